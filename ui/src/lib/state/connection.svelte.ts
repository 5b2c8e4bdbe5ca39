/**
 * The Connect screen's state: the live connection panel, the Web Connector password, the local
 * API token, the .qwc.
 */
import * as ipc from "../ipc";
import { loadInto, type Notice } from "../notice";
import { SecretState } from "./secret.svelte";
import type { ConnectionStatus, IpcError } from "../ipc";

/** How often the panel re-reads the status without an event, so "5 minutes ago" stays true. */
export const REFRESH_MS = 30_000;

export type { Notice } from "../notice";

export class ConnectionState {
  status = $state<ConnectionStatus | null>(null);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  busy = $state<"qwc" | null>(null);
  notice = $state<Notice | null>(null);
  now = $state(new Date());
  /** The Web Connector's password (`fieldbridge password [--reset]`). */
  readonly password = new SecretState(
    {
      noun: "password",
      copied: "Password copied. Paste it into the Web Connector.",
      reset: "New password made. The old one no longer works: paste this one into the Web Connector.",
    },
    ipc.getQwcPassword,
    ipc.resetQwcPassword,
  );
  /** The local API's bearer token (`fieldbridge api-token [--reset]`). */
  readonly apiToken = new SecretState(
    {
      noun: "token",
      copied: "Token copied. Paste it into the program that uses the local API.",
      reset: "New token made. The old one no longer works: give this one to every program that uses the local API.",
    },
    ipc.getApiToken,
    ipc.resetApiToken,
  );

  async load() {
    await loadInto(this, ipc.getConnectionStatus, (status) => (this.status = status));
    this.now = new Date();
  }

  /** Loads now, then on every `connection-changed` and every REFRESH_MS. Returns the stop. */
  start(): () => void {
    void this.load();
    const timer = setInterval(() => void this.load(), REFRESH_MS);
    const unlisten = ipc.onConnectionChanged(() => void this.load());
    return () => {
      clearInterval(timer);
      void unlisten.then((f) => f()).catch(() => {});
    };
  }

  async downloadQwc() {
    this.busy = "qwc";
    try {
      const path = await ipc.chooseSavePath("FieldBridge.qwc", "Web Connector file", ["qwc"]);
      if (path === null) return;
      await ipc.saveQwc(path);
      this.notice = { tone: "good", text: `Saved ${path}. Now add it in the Web Connector (step 2).` };
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
  }
}
