/** The only door to the Rust side. Components and state import from here, never from Tauri. */
export * from "./commands";
export * from "./events";
export * from "./errors";
export type * from "./types";
export { SYNC_STAGE_LABELS } from "./generated";
