/**
 * The one place that invokes a Tauri command: every rejection becomes an IpcError
 * (./errors.ts). The typed wrappers in ./generated-commands.ts call this.
 */
import { invoke } from "@tauri-apps/api/core";
import { toIpcError } from "./errors";

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}
