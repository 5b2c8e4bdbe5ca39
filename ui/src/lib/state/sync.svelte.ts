/**
 * The Sync screen's state: the session in progress (live), what needs attention as the Rust
 * side's cards (`list_attention_cards`: one card per cause, the only place cards are
 * built), and the safe start (`get_safe_start`: whether sends are held and why, the preview
 * of the next run, a refused company file).
 */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import { loadInto, type Notice } from "../notice";
import type { AttentionCard, CardAction, IpcError, SafeStart, SyncProgress, SyncStatus } from "../ipc";

export type { Notice } from "../notice";

export class SyncState {
  status = $state.raw<SyncStatus | null>(null);
  /** The latest progress, from the event or from the status. */
  progress = $state.raw<SyncProgress | null>(null);
  /** Everything that waits for a person, one card per cause. */
  cards = $state.raw<AttentionCard[]>([]);
  /** Records the cards stand for (not the sales tax differences, which are not records). */
  waitingRecords = $derived(this.cards.filter((c) => c.tax === null).reduce((n, c) => n + c.count, 0));
  safeStart = $state.raw<SafeStart | null>(null);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  notice = $state<Notice | null>(null);
  /** Card id -> a problem with the fix just tried, shown on that card. */
  rowErrors = $state<Record<string, string>>({});
  busy = $state<string | null>(null);
  /** "Start sending" or the rebind is on its way. */
  safeStartBusy = $state(false);
  safeStartError = $state<string | null>(null);

  load() {
    return loadInto(
      this,
      () => Promise.all([ipc.getSyncStatus(), ipc.listAttentionCards(), ipc.getSafeStart()]),
      ([status, cards, safeStart]) => {
        this.status = status;
        this.progress = status.current ?? this.progress;
        this.cards = cards;
        this.safeStart = safeStart;
      },
    );
  }

  async loadCards() {
    try {
      this.cards = await ipc.listAttentionCards();
    } catch (e) {
      this.error = ipc.toIpcError(e);
    }
  }

  start(): () => void {
    void this.load();
    const progress = ipc.onSyncProgress((p) => {
      this.progress = p;
    });
    // A session's end, an import, a link: the counts, the cards and the preview are read again.
    const stop = onDataChanged(() => void this.load());
    return () => {
      stop();
      void progress.then((f) => f()).catch(() => {});
    };
  }

  /**
   * Runs `run` for the card (busy and any refusal shown on it), then reads the cards again
   * whatever happened, so what went is gone and what stayed is current.
   */
  async #onCard(card: AttentionCard, run: () => Promise<unknown>, done: string) {
    this.busy = card.id;
    const { [card.id]: _, ...rest } = this.rowErrors;
    this.rowErrors = rest;
    try {
      await run();
      this.notice = { tone: "good", text: done };
    } catch (e) {
      this.rowErrors = { ...this.rowErrors, [card.id]: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
      await this.loadCards();
    }
  }

  /** Retry (each record in turn, stopping at a refusal), skip, rename or dismiss, as the card says. */
  act(card: AttentionCard, action: CardAction, value = "") {
    const count = (n: number) => (n === 1 ? "It" : `${n.toLocaleString()} records`);
    switch (action.action) {
      case "retry":
        return this.#onCard(
          card,
          async () => {
            for (const id of action.attention_ids) await ipc.retryRecord(id);
          },
          `${count(action.attention_ids.length)} will be tried again at the next sync.`,
        );
      case "skip":
        return this.#onCard(card, () => ipc.skipRecord(action.attention_id), "Skipped: it stays as QuickBooks has it.");
      case "rename":
        return this.#onCard(card, () => ipc.renameRecord(action.attention_id, value), "Renamed. It goes to QuickBooks at the next sync.");
      case "dismiss":
        return this.#onCard(card, () => ipc.dismissAttentionCard(action.card_id), "Dismissed. A new difference on this invoice shows again.");
      default:
        return Promise.resolve();
    }
  }

  link(card: AttentionCard, customerId: string, qbListId: string, qbName: string) {
    return this.#onCard(card, () => ipc.linkCustomer(customerId, qbListId), `Linked to ${qbName}. Waiting records go at the next sync.`);
  }

  createInQb(card: AttentionCard, customerId: string) {
    return this.#onCard(card, () => ipc.createCustomerInQb(customerId), "It will be added to QuickBooks at the next sync.");
  }

  async #onSafeStart(run: () => Promise<string>) {
    this.safeStartBusy = true;
    this.safeStartError = null;
    try {
      this.notice = { tone: "good", text: await run() };
    } catch (e) {
      this.safeStartError = ipc.toIpcError(e).message;
    } finally {
      this.safeStartBusy = false;
      try {
        this.safeStart = await ipc.getSafeStart();
      } catch (e) {
        this.error = ipc.toIpcError(e);
      }
    }
  }

  /** "Start sending": `hold-sends` false, as `fieldbridge settings set hold-sends false`. */
  startSending() {
    return this.#onSafeStart(async () => {
      await ipc.startSending();
      return "Sending is on: the next Web Connector run sends what the preview shows.";
    });
  }

  /** "This is the same company file": as `fieldbridge rebind`; answers what will be checked. */
  rebind() {
    return this.#onSafeStart(() => ipc.rebindCompanyFile());
  }
}
