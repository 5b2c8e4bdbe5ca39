/** The History screen's state: sessions newest first, one session's records, CSV export. */
import * as ipc from "../ipc";
import { loadInto, type Notice } from "../notice";
import type { IpcError, SessionDetail, SessionSummary } from "../ipc";

/** Sessions per request; "Show older" asks for the next ones. */
export const SESSIONS_PAGE = 50;

export type { Notice } from "../notice";

export class HistoryState {
  sessions = $state.raw<SessionSummary[]>([]);
  total = $state(0);
  loading = $state(true);
  loadingMore = $state(false);
  error = $state<IpcError | null>(null);
  detail = $state.raw<SessionDetail | null>(null);
  detailLoading = $state(false);
  detailError = $state<IpcError | null>(null);
  notice = $state<Notice | null>(null);
  exporting = $state(false);

  load() {
    return loadInto(this, () => ipc.listSessions(0, SESSIONS_PAGE), (page) => {
      this.sessions = page.rows;
      this.total = page.total;
    });
  }

  async loadMore() {
    this.loadingMore = true;
    try {
      const page = await ipc.listSessions(this.sessions.length, SESSIONS_PAGE);
      this.sessions = [...this.sessions, ...page.rows];
      this.total = page.total;
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.loadingMore = false;
    }
  }

  start(): () => void {
    void this.load();
    const unlisten = ipc.onSyncProgress((p) => {
      if (p.state !== "running") void this.load();
    });
    return () => void unlisten.then((f) => f()).catch(() => {});
  }

  async open(sessionId: number) {
    this.detailLoading = true;
    this.detailError = null;
    this.detail = null;
    try {
      this.detail = await ipc.getSession(sessionId);
    } catch (e) {
      this.detailError = ipc.toIpcError(e);
    } finally {
      this.detailLoading = false;
    }
  }

  close() {
    this.detail = null;
    this.detailError = null;
  }

  /** Exports every session, or one session's records when `sessionId` is given. */
  async exportCsv(sessionId: number | null) {
    this.exporting = true;
    try {
      const name = sessionId === null ? "FieldBridge-history.csv" : `FieldBridge-session-${sessionId}.csv`;
      const path = await ipc.chooseSavePath(name, "CSV spreadsheet", ["csv"]);
      if (path === null) return;
      const { rows } = await ipc.exportHistoryCsv(path, sessionId);
      this.notice = { tone: "good", text: `Saved ${rows.toLocaleString()} rows to ${path}.` };
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.exporting = false;
    }
  }
}
