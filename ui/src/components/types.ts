/** Types shared by the generic components. */
export type Tone = "good" | "warn" | "bad" | "neutral" | "info";

export interface Column {
  key: string;
  label: string;
  /** A CSS grid track, e.g. "2fr" or "140px". */
  width: string;
}

export interface Series {
  name: string;
  /** CSS colour. */
  color: string;
}

export interface Group {
  /** Says which group this is in full (tooltips and the table for screen readers). */
  label: string;
  /** Axis text; when any group has one, only non-empty ticks are drawn. */
  tick?: string;
  values: number[];
}

/** How long a good notice floats before it goes away by itself (a bad one stays). */
export const GOOD_NOTICE_MS = 6000;
