import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import RecordsScreen from "./RecordsScreen.svelte";
import { fakeBackend } from "../test/backend";
import type { InvoiceRow, ListRecordsRequest, PaymentRow, RecordPage, TicketRow } from "../lib/ipc";

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

const ticket = (over: Partial<TicketRow> = {}): TicketRow => ({
  id: "T-1",
  number: "T1005",
  customer_id: "C-1",
  customer_name: "Ecker Designs",
  project_name: "Office Repairs",
  date: "2026-10-01",
  description: "Quarterly inspection",
  total: "102.50",
  state: "needs_attention",
  qb_id: null,
  problem: "Sending tickets as estimates is switched off.",
  invoice_number: "1001",
  ...over,
});

const payment = (over: Partial<PaymentRow> = {}): PaymentRow => ({
  id: "P-1",
  invoice_id: "I-1",
  invoice_number: "1001",
  customer_name: "Ecker Designs",
  date: "2026-10-06",
  amount: "60.00",
  method: "Credit Card",
  reference: "AUTH 889211",
  state: "synced",
  qb_id: "9-1",
  problem: null,
  ...over,
});

const counted = <R,>(rows: R[], total = rows.length) => ({
  rows,
  total,
  counts: { all: total, pending: 0, synced: total, failed: 0, needs_attention: 0, before_start_date: 0 },
});

const page = (rows: InvoiceRow[], total = rows.length): RecordPage<InvoiceRow> => ({
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
      list_invoices: ({ request }: { request: ListRecordsRequest }) =>
        page(Array.from({ length: Math.min(request.limit, 5) }, (_, i) => invoice({ id: `I-${request.offset + i}`, number: String(request.offset + i) })), 20_000),
    });
    render(RecordsScreen);
    await screen.findByRole("table", { name: "Invoices" });
    const first = backend.called("list_invoices")[0].request as ListRecordsRequest;
    expect(first).toEqual({ query: "", state: null, offset: 0, limit: 100 });
    expect(screen.getByText("20,000 shown.")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByRole("searchbox", { name: "Search invoices" }), "ecker");
    await waitFor(() => expect(backend.called("list_invoices").some((a) => (a.request as ListRecordsRequest).query === "ecker")).toBe(true));
    await user.click(screen.getByRole("button", { name: /^Failed/ }));
    await waitFor(() => expect(backend.called("list_invoices").some((a) => (a.request as ListRecordsRequest).state === "failed")).toBe(true));
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

  it("shows service tickets and payments on their own tabs, loading a tab only when shown", async () => {
    const backend = fakeBackend({
      list_invoices: page([invoice()]),
      list_tickets: counted([ticket()]),
      list_payments: counted([payment()]),
    });
    render(RecordsScreen);
    await screen.findByText("#1001");
    expect(backend.called("list_tickets")).toHaveLength(0);
    expect(backend.called("list_payments")).toHaveLength(0);
    const user = userEvent.setup();

    await user.click(screen.getByRole("tab", { name: "Service tickets" }));
    expect(await screen.findByText("#T1005")).toBeInTheDocument();
    expect(screen.getByText("Invoice #1001")).toBeInTheDocument();
    expect(screen.getByText("Ecker Designs · Office Repairs")).toBeInTheDocument();
    expect(screen.getByText("$102.50")).toBeInTheDocument();
    expect(screen.getByText("Sending tickets as estimates is switched off.")).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Service tickets" })).toHaveAttribute("aria-selected", "true");

    await user.click(screen.getByRole("tab", { name: "Payments" }));
    expect(await screen.findByText("For invoice #1001")).toBeInTheDocument();
    expect(screen.getByText("$60.00")).toBeInTheDocument();
    expect(screen.getByText("Credit Card")).toBeInTheDocument();
    expect(screen.getByText("AUTH 889211")).toBeInTheDocument();
    expect(backend.called("list_payments")[0].request).toEqual({ query: "", state: null, offset: 0, limit: 100 });
  });

  it("searches and filters payments on the Rust side", async () => {
    const backend = fakeBackend({
      list_invoices: page([invoice()]),
      list_payments: counted([payment()]),
    });
    render(RecordsScreen);
    await screen.findByText("#1001");
    const user = userEvent.setup();
    await user.click(screen.getByRole("tab", { name: "Payments" }));
    await user.type(await screen.findByRole("searchbox", { name: "Search payments" }), "auth");
    await waitFor(() => expect(backend.called("list_payments").some((a) => (a.request as ListRecordsRequest).query === "auth")).toBe(true));
    await user.click(screen.getByRole("button", { name: /^Needs attention/ }));
    await waitFor(() => expect(backend.called("list_payments").some((a) => (a.request as ListRecordsRequest).state === "needs_attention")).toBe(true));
  });

  it("moves between tabs with the arrow keys", async () => {
    fakeBackend({ list_invoices: page([invoice()]), list_tickets: counted([ticket()]), list_payments: counted([payment()]) });
    render(RecordsScreen);
    await screen.findByText("#1001");
    const user = userEvent.setup();
    screen.getByRole("tab", { name: "Invoices" }).focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Service tickets" })).toHaveFocus();
    expect(await screen.findByText("#T1005")).toBeInTheDocument();
    await user.keyboard("{ArrowLeft}{ArrowLeft}");
    expect(screen.getByRole("tab", { name: "Payments" })).toHaveFocus();
    expect(await screen.findByText("For invoice #1001")).toBeInTheDocument();
  });

  it("reloads only the tab in view when data changes elsewhere", async () => {
    let rows = [payment({ state: "pending", qb_id: null })];
    const backend = fakeBackend({ list_invoices: page([invoice()]), list_payments: () => counted(rows) });
    render(RecordsScreen);
    await screen.findByText("#1001");
    const user = userEvent.setup();
    await user.click(screen.getByRole("tab", { name: "Payments" }));
    expect(await screen.findByText("Waiting to sync")).toBeInTheDocument();
    const invoiceCalls = backend.called("list_invoices").length;
    rows = [payment()];
    await backend.emit("sync-progress", { state: "finished" } as never);
    expect(await screen.findByText("In QuickBooks", { selector: ".chip" })).toBeInTheDocument();
    expect(backend.called("list_invoices")).toHaveLength(invoiceCalls);
  });
});
