/** The Sync screen's state: the session in progress (live) and everything that needs attention. */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import type { AttentionItem, IpcError, SyncProgress, SyncStatus } from "../ipc";
import { groupAttention, type AttentionGroup } from "../../screens/sync/attentionGroups";

export type Notice = { tone: "good" | "bad"; text: string };

export class SyncState {
  status = $state.raw<SyncStatus | null>(null);
  /** The latest progress, from the event or from the status. */
  progress = $state.raw<SyncProgress | null>(null);
  attention = $state.raw<AttentionItem[]>([]);
  /** The attention list as one card per cause. */
  groups = $derived<AttentionGroup[]>(groupAttention(this.attention));
  loading = $state(true);
  error = $state<IpcError | null>(null);
  notice = $state<Notice | null>(null);
  /** Attention id or group cause -> a problem with the fix just tried, shown on that card. */
  rowErrors = $state<Record<string, string>>({});
  busy = $state<string | null>(null);

  async load() {
    try {
      const [status, attention] = await Promise.all([ipc.getSyncStatus(), ipc.listAttention()]);
      this.status = status;
      this.progress = status.current ?? this.progress;
      this.attention = attention;
      this.error = null;
    } catch (e) {
      this.error = ipc.toIpcError(e);
    } finally {
      this.loading = false;
    }
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
   * Runs `action` on every record of the group, in order, stopping at the first refusal
   * (shown on the card). The list is read again afterwards, so what went is gone.
   */
  async #fixGroup(group: AttentionGroup, action: (attentionId: string) => Promise<unknown>, done: string) {
    this.busy = group.cause;
    const { [group.cause]: _, ...rest } = this.rowErrors;
    this.rowErrors = rest;
    try {
      for (const r of group.records) await action(r.attention_id);
      this.notice = { tone: "good", text: done };
    } catch (e) {
      this.rowErrors = { ...this.rowErrors, [group.cause]: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
      await this.loadAttention();
    }
  }

  retryGroup(group: AttentionGroup) {
    return this.#fixGroup(
      group,
      (id) => ipc.retryRecord(id),
      group.count === 1
        ? `${group.title} will be tried again at the next sync.`
        : `${group.count.toLocaleString()} records will be tried again at the next sync.`,
    );
  }

  skipGroup(group: AttentionGroup) {
    return this.#fixGroup(
      group,
      (id) => ipc.skipRecord(id),
      group.count === 1
        ? `${group.title} stays as QuickBooks has it.`
        : `${group.count.toLocaleString()} records stay as QuickBooks has them.`,
    );
  }

  renameGroup(group: AttentionGroup, value: string) {
    const first = group.records[0];
    if (!first) return Promise.resolve();
    return this.#fixGroup(
      { ...group, records: [first] },
      (id) => ipc.renameRecord(id, value),
      `Renamed. ${group.title} will go to QuickBooks at the next sync.`,
    );
  }

  linkGroup(group: AttentionGroup, qbListId: string, qbName: string) {
    const appId = group.app_customer_id;
    if (!appId) return Promise.resolve();
    return this.#fixGroup(
      { ...group, records: group.records.slice(0, 1) },
      () => ipc.linkCustomer(appId, qbListId),
      `Linked to ${qbName}. Waiting records go at the next sync.`,
    );
  }

  createGroup(group: AttentionGroup) {
    const appId = group.app_customer_id;
    if (!appId) return Promise.resolve();
    return this.#fixGroup(
      { ...group, records: group.records.slice(0, 1) },
      () => ipc.createCustomerInQb(appId),
      `${group.title} will be added to QuickBooks at the next sync.`,
    );
  }
}
