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
