/**
 * A long list paged and searched on the Rust side (tens of thousands of rows): a sparse
 * cache of the pages the table shows, the search debounced, everything reloaded whenever
 * data changed elsewhere (a sync, an import, the CLI, the platform link). The Customers and
 * Records screens are built on it.
 */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import type { IpcError } from "../ipc";

/** Rows per request: a screenful several times over, small enough to answer at once. */
export const PAGE_SIZE = 100;
/** Typing pauses this long before the search goes out, so each key press is not a query. */
export const SEARCH_DEBOUNCE_MS = 250;

/** What every paged answer carries. */
export interface Paged<Row, Counts> {
  rows: Row[];
  total: number;
  counts: Counts;
}

/** Which rows to ask for. */
export interface PageAsk<Filter> {
  query: string;
  filter: Filter;
  offset: number;
  limit: number;
}

export class PagedList<Row, Counts, Filter, Page extends Paged<Row, Counts> = Paged<Row, Counts>> {
  query = $state("");
  filter = $state() as Filter;
  total = $state(0);
  counts = $state<Counts | null>(null);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  /** Loaded pages by page number. Raw: rows are replaced whole, never mutated. */
  pages = $state.raw<Map<number, Row[]>>(new Map());

  #generation = 0;
  #inflight = new Set<number>();
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #range: [number, number] = [0, PAGE_SIZE];

  constructor(
    private readonly fetchPage: (ask: PageAsk<Filter>) => Promise<Page>,
    filter: Filter,
  ) {
    this.filter = filter;
  }

  /** Told of each first page (a reload): for what a screen reads beside the rows. */
  protected received(_page: Page): void {}

  rowAt(index: number): Row | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  #ask(pageNo: number): Promise<Page> {
    return this.fetchPage({ query: this.query.trim(), filter: this.filter, offset: pageNo * PAGE_SIZE, limit: PAGE_SIZE });
  }

  /** Drops the cache and loads the first page (and the pages in view) again. */
  async reload() {
    const generation = ++this.#generation;
    this.#inflight.clear();
    try {
      const page = await this.#ask(0);
      if (generation !== this.#generation) return;
      this.pages = new Map([[0, page.rows]]);
      this.total = page.total;
      this.counts = page.counts;
      this.received(page);
      this.error = null;
      this.ensureRange(...this.#range);
    } catch (e) {
      if (generation === this.#generation) this.error = ipc.toIpcError(e);
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
      const page = await this.#ask(pageNo);
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

  setFilter(filter: Filter) {
    this.filter = filter;
    void this.reload();
  }

  /** Loads now and again whenever data changes elsewhere. Returns the stop. */
  start(): () => void {
    void this.reload();
    const stop = onDataChanged(() => void this.reload());
    return () => {
      clearTimeout(this.#debounce);
      this.#generation++;
      stop();
    };
  }
}
