/**
 * The Connect page's "Field-service platform" card: where the link stands, setting it up
 * (the key is typed once and never shown again, only its ending), testing and switching it
 * off. Re-reads on `connection-changed`, whenever data changed elsewhere, and every
 * REFRESH_MS so "last contact" stays true.
 */
import * as ipc from "../ipc";
import { loadInto, type Notice } from "../notice";
import { onDataChanged } from "./freshness";
import { REFRESH_MS } from "./connection.svelte";
import type { IpcError, LinkCard } from "../ipc";

/** The contract's default poll interval (seconds), shown before a link is set up. */
export const DEFAULT_INTERVAL_S = 60;

export class LinkCardState {
  card = $state<LinkCard | null>(null);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  busy = $state<"save" | "test" | "off" | null>(null);
  notice = $state<Notice | null>(null);
  now = $state(new Date());
  /** The form: the URL and interval start from what is stored; the key always starts empty. */
  url = $state("");
  key = $state("");
  intervalS = $state(DEFAULT_INTERVAL_S);
  #formFilled = false;

  async load() {
    await loadInto(this, ipc.getLinkStatus, (card) => this.#apply(card));
    this.now = new Date();
  }

  #apply(card: LinkCard) {
    this.card = card;
    if (!this.#formFilled) {
      this.url = card.status.url ?? "";
      this.intervalS = card.status.interval_s;
      this.#formFilled = true;
    }
  }

  start(): () => void {
    void this.load();
    const timer = setInterval(() => void this.load(), REFRESH_MS);
    const unlisten = ipc.onConnectionChanged(() => void this.load());
    const stopData = onDataChanged(() => void this.load());
    return () => {
      clearInterval(timer);
      stopData();
      void unlisten.then((f) => f()).catch(() => {});
    };
  }

  async #act(busy: "save" | "test" | "off", act: () => Promise<string>) {
    this.busy = busy;
    this.notice = null;
    try {
      this.notice = { tone: "good", text: await act() };
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
  }

  save() {
    return this.#act("save", async () => {
      const card = await ipc.setLink(this.url.trim(), this.key, Number(this.intervalS));
      this.card = card;
      this.key = "";
      return "Saved. FieldBridge now fetches the platform's records and reports every outcome back.";
    });
  }

  test() {
    return this.#act("test", async () => {
      await ipc.testLink(this.url.trim(), this.key);
      return "The platform answered and accepted the key.";
    });
  }

  turnOff() {
    return this.#act("off", async () => {
      this.card = await ipc.turnLinkOff();
      return "The link is off. Nothing is forgotten: save again to carry on where it stopped.";
    });
  }
}
