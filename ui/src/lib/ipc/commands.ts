/**
 * One typed async function per Tauri command, generated from the Rust command table
 * (./generated-commands.ts). Argument keys are camelCase because Tauri 2 maps them to the
 * Rust parameters in snake_case (`appCustomerId` -> `app_customer_id`); struct arguments
 * and results keep serde's snake_case fields (see ./types.ts). Every function rejects with
 * an {@link IpcError}.
 */
export * from "./generated-commands";
export type { IpcError } from "./types";
