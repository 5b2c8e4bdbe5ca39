/** The Connect screen's state: the live connection panel, the Web Connector password, the .qwc. */
import * as ipc from "../ipc";
import { loadInto, type Notice } from "../notice";
import type { ConnectionStatus, IpcError } from "../ipc";

/** How often the panel re-reads the status without an event, so "5 minutes ago" stays true. */
export const REFRESH_MS = 30_000;

/** How long the Copy button says "Copied" after a copy. */
export const COPIED_MS = 2500;

export type { Notice } from "../notice";

export class ConnectionState {
  status = $state<ConnectionStatus | null>(null);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  /** The password once the person chose to see it; null while hidden. */
  password = $state<string | null>(null);
  busy = $state<"password" | "reset" | "qwc" | null>(null);
  notice = $state<Notice | null>(null);
  /** True for COPIED_MS after the password went to the clipboard: the Copy button says so. */
  copied = $state(false);
  now = $state(new Date());
  #copiedTimer: ReturnType<typeof setTimeout> | undefined;

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

  async showPassword() {
    this.busy = "password";
    try {
      this.password = await ipc.getQwcPassword();
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
  }

  hidePassword() {
    this.password = null;
    this.copied = false;
  }

  async copyPassword() {
    if (this.password === null) return;
    try {
      await navigator.clipboard.writeText(this.password);
      this.copied = true;
      clearTimeout(this.#copiedTimer);
      this.#copiedTimer = setTimeout(() => (this.copied = false), COPIED_MS);
    } catch {
      this.notice = {
        tone: "bad",
        text: "Could not copy to the clipboard. Select the password and copy it by hand.",
      };
    }
  }

  async resetPassword() {
    this.busy = "reset";
    try {
      this.password = await ipc.resetQwcPassword();
      this.notice = {
        tone: "good",
        text: "New password made. The old one no longer works: paste this one into the Web Connector.",
      };
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
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
