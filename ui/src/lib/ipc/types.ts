/**
 * The IPC contract's types. They are generated from the Rust types (./generated.ts, by
 * src-tauri/src/desktop/ipc_types.rs; never edit that file by hand) and re-exported here
 * under the names the screens use. Conventions (snake_case fields, `Option<T>` as
 * `T | null`, times RFC 3339, money as decimal strings) are in ./README.md.
 */
export type * from "./generated";
export type {
  /** How a session ended (`running` until it does). */
  Outcome as SessionOutcome,
  /** A session's phase as a stable word; SYNC_STAGE_LABELS says it in words. */
  SyncStage as SyncPhase,
} from "./generated";
