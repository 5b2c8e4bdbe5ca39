/**
 * The Customers screen's state. The list can hold tens of thousands of customers, so it is
 * paged and searched on the Rust side: this keeps a sparse cache of pages and asks only for
 * the pages the table shows.
 */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import type { Notice } from "../notice";
import type {
  CustomerCounts,
  CustomerFilter,
  CustomerRow,
  IpcError,
  QbCustomer,
} from "../ipc";

/** Rows per request: a screenful several times over, small enough to answer at once. */
export const PAGE_SIZE = 100;
/** Typing pauses this long before the search goes out, so each key press is not a query. */
export const SEARCH_DEBOUNCE_MS = 250;

export type { Notice } from "../notice";

export class CustomersState {
  query = $state("");
  filter = $state<CustomerFilter>("all");
  total = $state(0);
  counts = $state<CustomerCounts | null>(null);
  exactMatches = $state(0);
  qbReadAt = $state<string | null>(null);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  notice = $state<Notice | null>(null);
  busy = $state<string | null>(null);
  /** Loaded pages by page number. Raw: rows are replaced whole, never mutated. */
  pages = $state.raw<Map<number, CustomerRow[]>>(new Map());

  #generation = 0;
  #inflight = new Set<number>();
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #range: [number, number] = [0, PAGE_SIZE];

  rowAt(index: number): CustomerRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Drops the cache and loads the first page (and the pages in view) again. */
  async reload() {
    const generation = ++this.#generation;
    this.#inflight.clear();
    try {
      const page = await ipc.listCustomers({
        query: this.query.trim(),
        filter: this.filter,
        offset: 0,
        limit: PAGE_SIZE,
      });
      if (generation !== this.#generation) return;
      this.pages = new Map([[0, page.rows]]);
      this.total = page.total;
      this.counts = page.counts;
      this.exactMatches = page.exact_matches;
      this.qbReadAt = page.qb_customers_read_at;
      this.error = null;
      this.ensureRange(...this.#range);
    } catch (e) {
      if (generation !== this.#generation) return;
      this.error = ipc.toIpcError(e);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Loads the pages covering rows [start, end) that are not loaded or loading. */
  ensureRange(start: number, end: number) {
    this.#range = [start, end];
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.floor(Math.max(start, end - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      if (p * PAGE_SIZE >= this.total || this.pages.has(p) || this.#inflight.has(p)) continue;
      void this.#loadPage(p);
    }
  }

  async #loadPage(pageNo: number) {
    const generation = this.#generation;
    this.#inflight.add(pageNo);
    try {
      const page = await ipc.listCustomers({
        query: this.query.trim(),
        filter: this.filter,
        offset: pageNo * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      if (generation !== this.#generation) return;
      const next = new Map(this.pages);
      next.set(pageNo, page.rows);
      this.pages = next;
      this.total = page.total;
    } catch (e) {
      if (generation === this.#generation) this.error = ipc.toIpcError(e);
    } finally {
      this.#inflight.delete(pageNo);
    }
  }

  setQuery(query: string) {
    this.query = query;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.reload(), SEARCH_DEBOUNCE_MS);
  }

  setFilter(filter: CustomerFilter) {
    this.filter = filter;
    void this.reload();
  }

  start(): () => void {
    void this.reload();
    const stop = onDataChanged(() => void this.reload());
    return () => {
      clearTimeout(this.#debounce);
      stop();
    };
  }

  async #act(label: string, action: () => Promise<string>) {
    this.busy = label;
    try {
      const text = await action();
      this.notice = { tone: "good", text };
      await this.reload();
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
  }

  link(row: CustomerRow, qb: QbCustomer) {
    return this.#act(`link:${row.id}`, async () => {
      await ipc.linkCustomer(row.id, qb.list_id);
      return `${row.name} is now linked to ${qb.full_name} in QuickBooks.`;
    });
  }

  acceptSuggestion(row: CustomerRow) {
    const s = row.suggestion;
    if (!s) return Promise.resolve();
    return this.#act(`link:${row.id}`, async () => {
      await ipc.linkCustomer(row.id, s.qb_list_id);
      return `${row.name} is now linked to ${s.qb_full_name} in QuickBooks.`;
    });
  }

  createInQb(row: CustomerRow) {
    return this.#act(`create:${row.id}`, async () => {
      await ipc.createCustomerInQb(row.id);
      return `${row.name} will be added to QuickBooks at the next sync.`;
    });
  }

  unlink(row: CustomerRow) {
    return this.#act(`unlink:${row.id}`, async () => {
      await ipc.unlinkCustomer(row.id);
      return `${row.name} is no longer linked to a QuickBooks customer.`;
    });
  }

  acceptExactMatches() {
    return this.#act("accept", async () => {
      const { linked } = await ipc.acceptExactMatches();
      return linked === 0
        ? "There were no exact matches to accept."
        : `Linked ${linked.toLocaleString()} ${linked === 1 ? "customer" : "customers"} to their exact match in QuickBooks.`;
    });
  }

  requestRefresh() {
    return this.#act("refresh", async () => {
      await ipc.requestCustomerRefresh();
      return "FieldBridge will read the full customer list from QuickBooks at the next sync.";
    });
  }

  importFromQb(listIds: string[]) {
    return this.#act("bring-in", async () => {
      const { created } = await ipc.importQbCustomers(listIds);
      return `Added ${created.toLocaleString()} ${created === 1 ? "customer" : "customers"} from QuickBooks to FieldBridge, already linked.`;
    });
  }
}

/** Searching QuickBooks' customers and jobs, for the link and bring-in dialogs. */
export class QbSearchState {
  query = $state("");
  rows = $state.raw<QbCustomer[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state<IpcError | null>(null);
  #generation = 0;
  #debounce: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly unlinkedOnly: boolean,
    readonly limit = 50,
  ) {}

  async search() {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const page = await ipc.searchQbCustomers({
        query: this.query.trim(),
        unlinked_only: this.unlinkedOnly,
        offset: 0,
        limit: this.limit,
      });
      if (generation !== this.#generation) return;
      this.rows = page.rows;
      this.total = page.total;
      this.error = null;
    } catch (e) {
      if (generation === this.#generation) this.error = ipc.toIpcError(e);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  setQuery(query: string) {
    this.query = query;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.search(), SEARCH_DEBOUNCE_MS);
  }

  dispose() {
    clearTimeout(this.#debounce);
    this.#generation++;
  }
}
