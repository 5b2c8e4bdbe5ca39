/**
 * A fake Rust side for component tests: mockIPC with events, a record of every command
 * called, and handlers per command. A command with no handler rejects, so a screen that
 * calls something unexpected fails its test instead of silently getting undefined.
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { EventName, EventPayloads, IpcError } from "../lib/ipc";
import type { Commands } from "../lib/ipc/generated";

export type Handler = (args: Record<string, unknown>) => unknown;

/** A fake for one command of the contract: its answer, or a function of its arguments. */
type Fake<K extends keyof Commands> =
  | Commands[K]["returns"]
  | Promise<never>
  | ((args: Commands[K]["args"]) => Commands[K]["returns"] | Promise<Commands[K]["returns"]> | Promise<never>);

/** Fakes for the contract's commands, typed by the contract generated from Rust; other
 * names (Tauri's plugins) take anything. */
export type Fakes = { [K in keyof Commands]?: Fake<K> } & Record<string, unknown>;

export interface FakeBackend {
  calls: { cmd: string; args: Record<string, unknown> }[];
  called(cmd: string): Record<string, unknown>[];
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): Promise<void>;
}

export function fakeBackend(handlers: Fakes): FakeBackend {
  const calls: FakeBackend["calls"] = [];
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      if (!(cmd in handlers)) {
        return Promise.reject({ code: "internal", message: `no fake for ${cmd}` } satisfies IpcError);
      }
      const h = handlers[cmd];
      return typeof h === "function" ? (h as Handler)(a) : h;
    },
    { shouldMockEvents: true },
  );
  return {
    calls,
    called: (cmd) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
    emit: (event, payload) => emit(event, payload),
  };
}

/** A promise that never settles: the screen stays in its loading state. */
export const pending = () => new Promise<never>(() => {});

/** A rejection shaped like the Rust side's error. */
export const ipcError = (code: string, message: string) => () => Promise.reject({ code, message });
