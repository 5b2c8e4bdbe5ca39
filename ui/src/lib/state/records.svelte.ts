/**
 * The Records screen's state: invoices, service tickets and payments, each a list paged and
 * searched on the Rust side (`paged.svelte.ts`). Only the tab in view is loaded, and it is
 * reloaded whenever data changed elsewhere (a sync, an import, the platform link).
 */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import { PagedList, type PageAsk } from "./paged.svelte";
import type { InvoiceRow, ListRecordsRequest, PageCounts, PaymentRow, RecordPage, TicketRow } from "../ipc";

export { PAGE_SIZE, SEARCH_DEBOUNCE_MS } from "./paged.svelte";

export type StateFilter = keyof PageCounts;
export type RecordsTab = "invoices" | "tickets" | "payments";

const request = (ask: PageAsk<StateFilter>): ListRecordsRequest => ({
  query: ask.query,
  state: ask.filter === "all" ? null : ask.filter,
  offset: ask.offset,
  limit: ask.limit,
});

export class RecordsState {
  tab = $state<RecordsTab>("invoices");
  readonly invoices = new PagedList<InvoiceRow, PageCounts, StateFilter, RecordPage<InvoiceRow>>((a) => ipc.listInvoices(request(a)), "all");
  readonly tickets = new PagedList<TicketRow, PageCounts, StateFilter, RecordPage<TicketRow>>((a) => ipc.listTickets(request(a)), "all");
  readonly payments = new PagedList<PaymentRow, PageCounts, StateFilter, RecordPage<PaymentRow>>((a) => ipc.listPayments(request(a)), "all");

  /** The list in view. */
  get active() {
    return this[this.tab];
  }

  /** Shows another tab, freshly loaded (its search and filter are kept). */
  show(tab: RecordsTab) {
    if (tab === this.tab) return;
    this.tab = tab;
    void this.active.reload();
  }

  start(): () => void {
    void this.active.reload();
    return onDataChanged(() => void this.active.reload());
  }
}
