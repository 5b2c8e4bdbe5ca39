/** The Sync screen's state: the session in progress (live) and everything that needs attention. */
import * as ipc from "../ipc";
import { loadInto, type Notice } from "../notice";
import type { AttentionItem, IpcError, SyncProgress, SyncStatus } from "../ipc";

export type { Notice } from "../notice";

export class SyncState {
  status = $state.raw<SyncStatus | null>(null);
  /** The latest progress, from the event or from the status. */
  progress = $state.raw<SyncProgress | null>(null);
  attention = $state.raw<AttentionItem[]>([]);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  notice = $state<Notice | null>(null);
  /** Attention id -> a problem with the fix just tried, shown on that row. */
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
    const subs = [
      ipc.onSyncProgress((p) => {
        this.progress = p;
        if (p.state !== "running") void this.load();
      }),
      ipc.onAttentionChanged(() => void this.loadAttention()),
    ];
    return () => {
      for (const s of subs) void s.then((f) => f()).catch(() => {});
    };
  }

  async #fix(item: AttentionItem, action: () => Promise<unknown>, done: string) {
    this.busy = item.id;
    const { [item.id]: _, ...rest } = this.rowErrors;
    this.rowErrors = rest;
    try {
      await action();
      this.notice = { tone: "good", text: done };
      await this.loadAttention();
    } catch (e) {
      this.rowErrors = { ...this.rowErrors, [item.id]: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
  }

  retry(item: AttentionItem) {
    return this.#fix(
      item,
      () => ipc.retryRecord(item.id),
      `${item.record_label} will be tried again at the next sync.`,
    );
  }

  skip(item: AttentionItem) {
    return this.#fix(
      item,
      () => ipc.skipRecord(item.id),
      `${item.record_label} will not be sent to QuickBooks.`,
    );
  }

  rename(item: AttentionItem, value: string) {
    return this.#fix(
      item,
      () => ipc.renameRecord(item.id, value),
      `Renamed. ${item.record_label} will go to QuickBooks at the next sync.`,
    );
  }

  link(item: AttentionItem, qbListId: string, qbName: string) {
    const appId = item.app_customer_id;
    if (!appId) return Promise.resolve();
    return this.#fix(
      item,
      () => ipc.linkCustomer(appId, qbListId),
      `Linked to ${qbName}. Waiting records go at the next sync.`,
    );
  }

  createInQb(item: AttentionItem) {
    const appId = item.app_customer_id;
    if (!appId) return Promise.resolve();
    return this.#fix(
      item,
      () => ipc.createCustomerInQb(appId),
      "It will be added to QuickBooks at the next sync.",
    );
  }
}
