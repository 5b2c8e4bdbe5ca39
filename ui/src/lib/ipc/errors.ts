import type { IpcError } from "./types";

/** A plain sentence for anything that reached us without the `{ code, message }` shape. */
const UNKNOWN_MESSAGE =
  "FieldBridge could not finish that. Try again; if it keeps happening, restart FieldBridge.";

export function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as IpcError).code === "string" &&
    typeof (value as IpcError).message === "string"
  );
}

/**
 * Every rejection from the Rust side becomes an IpcError. Anything else (a bug, a lost
 * connection to the backend) becomes code "internal" with a sentence a person can read:
 * raw stack traces and bare codes never reach a screen.
 */
export function toIpcError(value: unknown): IpcError {
  if (isIpcError(value)) {
    return value.message.trim() === "" ? { code: value.code, message: UNKNOWN_MESSAGE } : value;
  }
  return { code: "internal", message: UNKNOWN_MESSAGE };
}
