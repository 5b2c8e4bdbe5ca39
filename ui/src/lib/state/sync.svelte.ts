/** The Sync screen's state: the session in progress (live) and everything that needs attention. */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import { loadInto, type Notice } from "../notice";
import type { AttentionItem, IpcError, SyncProgress, SyncStatus } from "../ipc";
import { cardsFromItems, type AttentionCard, type CardAction } from "../../screens/sync/attentionCards";

export type { Notice } from "../notice";

export class SyncState {
  status = $state.raw<SyncStatus | null>(null);
  /** The latest progress, from the event or from the status. */
  progress = $state.raw<SyncProgress | null>(null);
  attention = $state.raw<AttentionItem[]>([]);
  /** The attention list as one card per cause. */
  cards = $derived<AttentionCard[]>(cardsFromItems(this.attention));
  loading = $state(true);
  error = $state<IpcError | null>(null);
  notice = $state<Notice | null>(null);
  /** Attention id or group cause -> a problem with the fix just tried, shown on that card. */
  rowErrors = $state<Record<string, string>>({});
  busy = $state<string | null>(null);

  load() {
    return loadInto(
      this,
      () => Promise.all([ipc.getSyncStatus(), ipc.listAttention()]),
      ([status, attention]) => {
        this.status = status;
        this.progress = status.current ?? this.progress;
        this.attention = attention;
      },
    );
  }

  async loadAttention() {
    try {
      this.attention = await ipc.listAttention();
    } catch (e) {
      this.error = ipc.toIpcError(e);
    }
  }

  start(): () => void {
    void this.load();
    const progress = ipc.onSyncProgress((p) => {
      this.progress = p;
    });
    // A session's end, an import, a link: the counts and the attention list are read again.
    const stop = onDataChanged(() => void this.load());
    return () => {
      stop();
      void progress.then((f) => f()).catch(() => {});
    };
  }

  /**
   * Runs `run` for the card (busy and any refusal shown on it), then reads the list again
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
      await this.loadAttention();
    }
  }

  /** Retry (each record in turn, stopping at a refusal), skip or rename, as the card says. */
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
}
