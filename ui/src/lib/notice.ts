/**
 * What every screen's state shares: the one Notice type (a short message after an action,
 * good or bad) and `loadInto`, the one way a state loads from the Rust side (loading
 * cleared at the end, the error kept in plain words, cleared on success).
 */
import { toIpcError } from "./ipc";
import type { IpcError } from "./ipc";

export type Notice = { tone: "good" | "bad"; text: string };

/** The fields a state shows while it loads. */
export interface Loadable {
  loading: boolean;
  error: IpcError | null;
}

/**
 * Fetches, hands the answer to `apply`, and keeps `state.loading` / `state.error` as every
 * screen shows them. Never rejects: a failure lands in `state.error`.
 */
export async function loadInto<T>(
  state: Loadable,
  fetch: () => Promise<T>,
  apply: (value: T) => void,
): Promise<void> {
  try {
    apply(await fetch());
    state.error = null;
  } catch (e) {
    state.error = toIpcError(e);
  } finally {
    state.loading = false;
  }
}
