/**
 * The Records screen's state: invoices paged and searched on the Rust side (tens of
 * thousands of rows), a sparse cache of the pages the table shows, reloaded whenever data
 * changed elsewhere (a sync, an import, the platform link).
 */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import type { InvoiceCounts, InvoiceRow, IpcError } from "../ipc";

/** Rows per request. */
export const PAGE_SIZE = 100;
/** Typing pauses this long before the search goes out. */
export const SEARCH_DEBOUNCE_MS = 250;

export type StateFilter = keyof InvoiceCounts;

export class RecordsState {
  query = $state("");
  filter = $state<StateFilter>("all");
  total = $state(0);
  counts = $state<InvoiceCounts | null>(null);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  pages = $state.raw<Map<number, InvoiceRow[]>>(new Map());

  #generation = 0;
  #inflight = new Set<number>();
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #range: [number, number] = [0, PAGE_SIZE];

  rowAt(index: number): InvoiceRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  #fetch(pageNo: number) {
    return ipc.listInvoices({
      query: this.query.trim(),
      state: this.filter === "all" ? null : this.filter,
      offset: pageNo * PAGE_SIZE,
      limit: PAGE_SIZE,
    });
  }

  /** Drops the cache and loads the first page and the pages in view again. */
  async reload() {
    const generation = ++this.#generation;
    this.#inflight.clear();
    try {
      const page = await this.#fetch(0);
      if (generation !== this.#generation) return;
      this.pages = new Map([[0, page.rows]]);
      this.total = page.total;
      this.counts = page.counts;
      this.error = null;
      this.ensureRange(...this.#range);
    } catch (e) {
      if (generation === this.#generation) this.error = ipc.toIpcError(e);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Loads the pages covering rows [start, end) not loaded or loading yet. */
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
      const page = await this.#fetch(pageNo);
      if (generation !== this.#generation) return;
      this.pages = new Map(this.pages).set(pageNo, page.rows);
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

  setFilter(filter: StateFilter) {
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
}
