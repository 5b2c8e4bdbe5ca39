/**
 * A secret the office manager shows, copies and resets: the Web Connector password and the
 * local API token. Hidden until asked for, "Copied" on the button after a copy, a reset only
 * after a confirmation (the caller's dialog), and every failure in plain words.
 */
import * as ipc from "../ipc";
import type { Notice } from "../notice";

/** How long the Copy button says "Copied" after a copy. */
export const COPIED_MS = 2500;

/** What a secret is called and what happens to it, in the office manager's words. */
export interface SecretWords {
  /** "password", "token". */
  noun: string;
  /** Said after a copy (read by screen readers): "Password copied. Paste it into the Web Connector." */
  copied: string;
  /** Said after a reset: "New password made. The old one no longer works: ..." */
  reset: string;
}

export class SecretState {
  /** The secret once the person chose to see it; null while hidden. */
  value = $state<string | null>(null);
  busy = $state<"show" | "reset" | null>(null);
  /** True for COPIED_MS after the secret went to the clipboard: the Copy button says so. */
  copied = $state(false);
  notice = $state<Notice | null>(null);
  #copiedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly words: SecretWords,
    private readonly read: () => Promise<string>,
    private readonly renew: () => Promise<string>,
  ) {}

  async show() {
    this.busy = "show";
    try {
      this.value = await this.read();
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
  }

  hide() {
    this.value = null;
    this.copied = false;
  }

  async copy() {
    if (this.value === null) return;
    try {
      await navigator.clipboard.writeText(this.value);
      this.copied = true;
      clearTimeout(this.#copiedTimer);
      this.#copiedTimer = setTimeout(() => (this.copied = false), COPIED_MS);
    } catch {
      this.notice = {
        tone: "bad",
        text: `Could not copy to the clipboard. Select the ${this.words.noun} and copy it by hand.`,
      };
    }
  }

  async reset() {
    this.busy = "reset";
    try {
      this.value = await this.renew();
      this.notice = { tone: "good", text: this.words.reset };
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
  }
}
