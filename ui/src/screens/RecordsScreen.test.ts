import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import RecordsScreen from "./RecordsScreen.svelte";
import { fakeBackend } from "../test/backend";
import type { InvoicePage, InvoiceRow, ListInvoicesRequest } from "../lib/ipc";

const invoice = (over: Partial<InvoiceRow> = {}): InvoiceRow => ({
  id: "I-1",
  number: "1001",
  customer_id: "C-1",
  customer_name: "Ecker Designs",
  date: "2026-10-03",
  total: "100.40",
  state: "synced",
  qb_id: "1-2",
  problem: null,
  qb_balance: "40.40",
  qb_paid: false,
  qb_payments: 2,
  qb_payments_total: "60.00",
  void: false,
  ...over,
});

const page = (rows: InvoiceRow[], total = rows.length): InvoicePage => ({
  rows,
  total,
  counts: { all: total, pending: 0, synced: total, failed: 0, needs_attention: 0, before_start_date: 0 },
});

describe("Records screen", () => {
  it("shows each invoice with its sync state and what QuickBooks says", async () => {
    fakeBackend({
      list_invoices: page([
        invoice(),
        invoice({ id: "I-2", number: "1002", total: "50.00", state: "failed", qb_id: null, problem: "QuickBooks has no item named 'Labor'.", qb_balance: null, qb_payments: 0, qb_payments_total: "0.00" }),
      ]),
    });
    render(RecordsScreen);
    expect(await screen.findByText("#1001")).toBeInTheDocument();
    expect(screen.getByText("Balance $40.40")).toBeInTheDocument();
    expect(screen.getByText("2 payments, $60.00")).toBeInTheDocument();
    expect(screen.getByText("$100.40")).toBeInTheDocument();
    expect(screen.getByText("In QuickBooks", { selector: ".chip" })).toBeInTheDocument();
    expect(screen.getByText("QuickBooks has no item named 'Labor'.")).toBeInTheDocument();
  });

  it("asks the Rust side for pages, never for every row, and searches there", async () => {
    const backend = fakeBackend({
      list_invoices: ({ request }: { request: ListInvoicesRequest }) =>
        page(Array.from({ length: Math.min(request.limit, 5) }, (_, i) => invoice({ id: `I-${request.offset + i}`, number: String(request.offset + i) })), 20_000),
    });
    render(RecordsScreen);
    await screen.findByRole("table", { name: "Invoices" });
    const first = backend.called("list_invoices")[0].request as ListInvoicesRequest;
    expect(first).toEqual({ query: "", state: null, offset: 0, limit: 100 });
    expect(screen.getByText("20,000 shown.")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByRole("searchbox", { name: "Search invoices" }), "ecker");
    await waitFor(() => expect(backend.called("list_invoices").some((a) => (a.request as ListInvoicesRequest).query === "ecker")).toBe(true));
    await user.click(screen.getByRole("button", { name: /^Failed/ }));
    await waitFor(() => expect(backend.called("list_invoices").some((a) => (a.request as ListInvoicesRequest).state === "failed")).toBe(true));
  });

  it("reloads when a sync ends", async () => {
    let rows = [invoice({ state: "pending", qb_id: null, qb_balance: null, qb_payments: 0 })];
    const backend = fakeBackend({ list_invoices: () => page(rows) });
    render(RecordsScreen);
    expect(await screen.findByText("Waiting to sync")).toBeInTheDocument();
    rows = [invoice({ qb_paid: true, qb_balance: "0.00" })];
    await backend.emit("sync-progress", { state: "finished" } as never);
    expect(await screen.findByText("Paid")).toBeInTheDocument();
  });

  it("explains an empty list", async () => {
    fakeBackend({ list_invoices: page([]) });
    render(RecordsScreen);
    expect(await screen.findByText("No invoices yet")).toBeInTheDocument();
  });
});
