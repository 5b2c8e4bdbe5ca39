/** Typed subscriptions to the Rust side's events. Each returns its unlisten function. */
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { EventName, EventPayloads, SyncProgress } from "./types";

export type { UnlistenFn };

export async function subscribe<E extends EventName>(
  event: E,
  handler: (payload: EventPayloads[E]) => void,
): Promise<UnlistenFn> {
  return listen<EventPayloads[E]>(event, (e) => handler(e.payload));
}

export const onConnectionChanged = (handler: () => void) =>
  subscribe("connection-changed", () => handler());
export const onSyncProgress = (handler: (progress: SyncProgress) => void) =>
  subscribe("sync-progress", handler);
export const onAttentionChanged = (handler: () => void) =>
  subscribe("attention-changed", () => handler());
export const onCustomersChanged = (handler: () => void) =>
  subscribe("customers-changed", () => handler());

/**
 * Anything in the data folder changed, whoever changed it: this window, a sync, an import,
 * or the command line in another process (at most about once a second while a sync
 * writes). A screen's state reloads what it shows:
 *
 *   start() { const stop = ipc.onDataChanged(() => void this.load()); return () => void stop.then((f) => f()); }
 */
export const onDataChanged = (handler: () => void) => subscribe("data-changed", () => handler());
