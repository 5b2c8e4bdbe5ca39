/**
 * The Customers screen's state: the paged list of customers (tens of thousands, paged and
 * searched on the Rust side, see `paged.svelte.ts`) and the linking actions on them.
 */
import * as ipc from "../ipc";
import { PagedList, SEARCH_DEBOUNCE_MS } from "./paged.svelte";
import type { Notice } from "../notice";
import type {
  CustomerCounts,
  CustomerFilter,
  CustomerPage,
  CustomerRow,
  IpcError,
  QbCustomer,
} from "../ipc";

export { PAGE_SIZE, SEARCH_DEBOUNCE_MS } from "./paged.svelte";

export type { Notice } from "../notice";

export class CustomersState extends PagedList<CustomerRow, CustomerCounts, CustomerFilter, CustomerPage> {
  exactMatches = $state(0);
  qbReadAt = $state<string | null>(null);
  notice = $state<Notice | null>(null);
  busy = $state<string | null>(null);

  constructor() {
    super(
      (ask) => ipc.listCustomers({ query: ask.query, filter: ask.filter, offset: ask.offset, limit: ask.limit }),
      "all",
    );
  }

  protected override received(page: CustomerPage) {
    this.exactMatches = page.exact_matches;
    this.qbReadAt = page.qb_customers_read_at;
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
