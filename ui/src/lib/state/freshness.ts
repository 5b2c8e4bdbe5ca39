/**
 * Keeps every screen current: one place that knows which events mean "the records may have
 * changed outside this screen" (a sync ended, customers or attention changed, an import
 * stored a file, anything committed to the database by any process) and calls the screen's reload once per burst of them.
 */
import * as ipc from "../ipc";
import { imports } from "./imports.svelte";

/** Events arriving within this long of each other cause one reload, not one each. */
export const DATA_RELOAD_MS = 150;

/** Calls `reload` (coalesced) whenever data may have changed elsewhere. Returns the stop. */
export function onDataChanged(reload: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, DATA_RELOAD_MS);
  };
  const subs = [
    ipc.onSyncProgress((p) => {
      if (p.state !== "running") soon();
    }),
    ipc.onCustomersChanged(soon),
    ipc.onAttentionChanged(soon),
    // Any commit to the database by any process: the CLI, the local API, the platform link,
    // the watched folder, another window.
    ipc.onDataChanged(soon),
  ];
  const stopImports = imports.onImported(soon);
  return () => {
    clearTimeout(timer);
    stopImports();
    for (const s of subs) void s.then((f) => f()).catch(() => {});
  };
}
