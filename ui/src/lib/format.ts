/** Wording and formatting shared by the screens: times for people, counts, plurals. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 minutes ago", "yesterday", "in 5 minutes". `now` is injectable for tests. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return "at an unknown time";
  const diff = then.getTime() - now.getTime();
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (abs < MINUTE) return "just now";
  if (abs < HOUR) return rtf.format(Math.round(diff / MINUTE), "minute");
  if (abs < DAY) return rtf.format(Math.round(diff / HOUR), "hour");
  // Past a day, count calendar days, so the same date never reads both "yesterday" and "2 days ago".
  const midnight = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return rtf.format(Math.round((midnight(then) - midnight(now)) / DAY), "day");
}

/** The local date and time, e.g. "21 Nov 2026, 14:05". */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "unknown time";
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function localDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "unknown date";
  return d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

/** "2 min 5 s", "48 s", or "still running". */
export function duration(startIso: string, endIso: string | null): string {
  if (!endIso) return "still running";
  const ms = new Date(endIso).getTime() - new Date(startIso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return "unknown";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** The file name from a Windows or POSIX path, for short labels. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/**
 * A Windows path, URL or file name cut into pieces that each end at a separator (`\`, `/`,
 * `.`, `:`, `?`, `&`, `=`, `_`, `-`), so the screen can offer a line break after each one
 * (`<wbr>`) and never break inside a word: `C:\Company Files\Ecker.qbw` becomes
 * `C:\`, `Company Files\`, `Ecker.`, `qbw`. Joined, the pieces are the text again.
 */
export function breakPoints(text: string): string[] {
  return text.match(/[^\\/.:?&=_-]*(?:[\\/.:?&=_-]+|$)/g)?.filter((p) => p !== "") ?? [];
}

/**
 * What the progress bar says about records: "12 of 40 records done", or only "49 records
 * done" once a session has done more than it first counted (its total may grow while it
 * runs), or nothing while the session knows of no records yet (never "0 of 0").
 */
export function recordsDone(done: number, total: number): string | null {
  if (total <= 0 && done <= 0) return null;
  if (done > total) return `${plural(done, "record")} done`;
  return `${done.toLocaleString()} of ${plural(total, "record")} done`;
}

/**
 * A money amount from the contract's exact decimal string, e.g. "1234.5" -> "$1,234.50",
 * "-6.08" -> "-$6.08". Works on the digits, never through a float; text that is not a
 * decimal is shown as it came.
 */
export function money(decimal: string): string {
  const m = /^\s*(-)?(\d+)(?:\.(\d+))?\s*$/.exec(decimal);
  if (!m) return decimal;
  const [, minus, whole, fraction = ""] = m;
  const cents = fraction.length >= 2 ? fraction : fraction.padEnd(2, "0");
  const grouped = whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${minus ?? ""}$${grouped}.${cents}`;
}
