import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import SyncScreen from "./SyncScreen.svelte";
import { fakeBackend, ipcError, pending, type Fakes } from "../test/backend";
import { attention, card, customer, qbCustomer, safeStart, session, syncStatus, taxCard } from "../test/fixtures";
import { nav } from "../lib/state/nav.svelte";
import type { AttentionCard, CardRecord, SyncProgress } from "../lib/ipc";

/** The Sync page's three reads, each overridable. */
const sync = (over: Fakes = {}) =>
  fakeBackend({ get_sync_status: syncStatus(), list_attention_cards: [], get_safe_start: safeStart(), ...over });

/** One card per cause standing for `records` (as the Rust side groups them). */
const group = (id: string, cause: AttentionCard["cause"], records: CardRecord[], over: Partial<AttentionCard> = {}): AttentionCard => ({
  id,
  cause,
  title: records.length > 1 ? `${records.length} records: ${records[0].reason}` : records[0].reason,
  advice: records[0].advice,
  count: records.length,
  records,
  waiting: [],
  actions: [],
  tax: null,
  since: records[0].since,
  ...over,
});

const progress = (over: Partial<SyncProgress> = {}): SyncProgress => ({
  session_id: 8,
  state: "running",
  phase: "invoices",
  percent: 40,
  done: 40,
  total: 100,
  started_at: new Date().toISOString(),
  company_file: "Ecker HVAC.qbw",
  problem: null,
  ...over,
});

describe("Sync screen", () => {
  it("shows a loading state first", () => {
    fakeBackend({ get_sync_status: pending, list_attention_cards: pending, get_safe_start: pending });
    render(SyncScreen);
    expect(screen.getByRole("status")).toHaveTextContent("Loading sync status");
  });

  it("says nothing needs attention and that no sync ran yet (empty state)", async () => {
    sync({ get_sync_status: syncStatus({ last_session: null }) });
    render(SyncScreen);
    expect(await screen.findByRole("heading", { name: "Nothing needs your attention" })).toBeInTheDocument();
    expect(screen.getByText(/No sync has run yet/)).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Sending is on hold" }), "not held").not.toBeInTheDocument();
  });

  it("shows the error in plain words", async () => {
    sync({ get_sync_status: ipcError("busy", "FieldBridge is busy. Try again in a moment.") });
    render(SyncScreen);
    expect(await screen.findByRole("alert")).toHaveTextContent("FieldBridge is busy. Try again in a moment.");
  });

  it("moves the progress bar on each sync-progress event and reloads when the session ends", async () => {
    const b = sync();
    render(SyncScreen);
    await screen.findByText(/No sync running/);
    await b.emit("sync-progress", progress());
    const bar = await screen.findByRole("progressbar");
    expect(bar).toHaveAttribute("aria-valuenow", "40");
    expect(screen.getByText("Sending invoices"), "the phase in words").toBeInTheDocument();
    expect(screen.getByText(/40 of 100 records done/)).toBeInTheDocument();

    await b.emit("sync-progress", progress({ phase: "payments", percent: 85, done: 85 }));
    await waitFor(() => expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "85"));
    expect(screen.getByText("Sending payments")).toBeInTheDocument();

    const statusReads = b.called("get_sync_status").length;
    await b.emit("sync-progress", progress({ state: "finished", percent: 100, done: 100 }));
    await waitFor(() => expect(b.called("get_sync_status").length).toBe(statusReads + 1));
    expect(screen.queryByRole("progressbar"), "no bar once it ended").not.toBeInTheDocument();
  });

  it("counts records honestly: never 0 of 0, never fewer of more than were done", async () => {
    const b = sync();
    render(SyncScreen);
    await screen.findByText(/No sync running/);
    await b.emit("sync-progress", progress({ phase: "reading_lists", percent: 5, done: 0, total: 0 }));
    const bar = await screen.findByRole("progressbar");
    expect(bar.getAttribute("aria-valuetext")).not.toMatch(/0 of 0/);
    expect(screen.queryByText(/of 0 records/)).not.toBeInTheDocument();
    await b.emit("sync-progress", progress({ phase: "customers", percent: 70, done: 49, total: 32 }));
    expect(await screen.findByText(/^49 records done/)).toBeInTheDocument();
    expect(screen.queryByText(/of 32 records/)).not.toBeInTheDocument();
  });

  it("shows the cards the Rust side builds, with the reason, QuickBooks' words, and only the buttons they carry", async () => {
    let cards = [card({}, [{ action: "retry", attention_ids: ["A-1"] }])];
    const b = sync({
      list_attention_cards: () => cards,
      retry_record: () => {
        cards = [];
        return null;
      },
    });
    const user = userEvent.setup();
    render(SyncScreen);
    const li = (await screen.findByRole("heading", { name: "Payment of $194.13 from Harbor Bakery" })).closest("li")!;
    expect(li).toHaveTextContent("QuickBooks was busy and could not save the payment.");
    expect(li).toHaveTextContent("QuickBooks said (code 3175): The record is in use by another user.");
    expect(within(li).queryByRole("button", { name: /Skip/ }), "no Skip the card does not carry").not.toBeInTheDocument();
    expect(b.called("list_attention"), "the window builds no cards of its own").toHaveLength(0);
    await user.click(within(li).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(b.called("retry_record")).toEqual([{ attentionId: "A-1" }]));
    expect(await screen.findByRole("heading", { name: "Nothing needs your attention" })).toBeInTheDocument();
  });

  it("shows one card per missing mapping, with one button and the records folded under it", async () => {
    const invoices = Array.from({ length: 59 }, (_, n) => ({
      ...attention({
        id: `invoice:I-${n}`, record_kind: "invoice", record_id: `I-${n}`, record_label: `Invoice ${10000 + n}`,
        problem: "needs_mapping", mapping_role: "service_item", reason: "QuickBooks has no item named 'Labor'.",
        advice: "Choose the service item on the Items page.", qb_status_code: null, retryable: false,
      }),
      actions: [],
    }));
    sync({ list_attention_cards: [group("mapping:service_item", "needs_mapping", invoices, { title: "QuickBooks has no item named 'Labor'.", actions: [{ action: "open_items", role: "service_item" }] })] });
    const user = userEvent.setup();
    render(SyncScreen);
    const li = (await screen.findByRole("heading", { name: "QuickBooks has no item named 'Labor'." })).closest("li")!;
    expect(screen.getAllByRole("heading", { level: 3 }), "59 records, one cause, one card").toHaveLength(1);
    expect(within(li).getAllByRole("button").map((b) => b.textContent?.trim())).toEqual(["Choose the service item"]);
    expect(li).toHaveTextContent("59 records");
    const more = within(li).getByText("Show the 59 records");
    expect(within(li).getByText("Invoice 10058")).not.toBeVisible();
    await user.click(more);
    expect(within(li).getByText("Invoice 10058")).toBeVisible();
    await user.click(within(li).getByRole("button", { name: "Choose the service item" }));
    expect(nav.current).toBe("items");
  });

  it("folds records that wait on another under it, named, without chained sentences", async () => {
    const decision = card(
      { id: "customer:C-1", record_kind: "customer", record_id: "C-1", record_label: "Customer Ecker Designs", problem: "needs_pairing", reason: "Ecker Designs may already be in QuickBooks as \"Ecker Designs LLC\".", app_customer_id: "C-1", qb_status_code: null, qb_status_message: null, retryable: false },
      [],
      {
        id: "decision:C-1",
        cause: "needs_decision",
        count: 3,
        actions: [{ action: "open_customer", customer_id: "C-1" }],
        waiting: [
          { id: "invoice:I-1", record_kind: "invoice", record_id: "I-1", record_label: "Invoice 10045 for Ecker Designs", waits_for: "customer:C-1" },
          { id: "payment:P-1", record_kind: "payment", record_id: "P-1", record_label: "Payment of $50.00 on invoice 10045", waits_for: "customer:C-1" },
        ],
      },
    );
    sync({ list_attention_cards: [decision] });
    const user = userEvent.setup();
    render(SyncScreen);
    const li = (await screen.findByRole("heading", { name: /^Ecker Designs may already be in QuickBooks/ })).closest("li")!;
    expect(li).toHaveTextContent("3 records");
    await user.click(within(li).getByText("Show the 3 records"));
    expect(within(li).getByText("Payment of $50.00 on invoice 10045")).toBeVisible();
    expect(within(li).getAllByText("waits for Customer Ecker Designs")).toHaveLength(2);
    expect(li).not.toHaveTextContent("which waits for");
  });

  it("retries every record QuickBooks refused alike with one button", async () => {
    const busy = [1, 2, 3].map((n) => ({ ...attention({ id: `payment:P-${n}`, record_label: `Payment ${n}` }), actions: [{ action: "retry" as const, attention_ids: [`payment:P-${n}`] }] }));
    const b = sync({
      list_attention_cards: [group("quickbooks:3175", "quick_books_refused", busy, { title: "QuickBooks was busy and could not save the payment.", actions: [{ action: "retry", attention_ids: busy.map((r) => r.id) }] })],
      retry_record: null,
    });
    const user = userEvent.setup();
    render(SyncScreen);
    const li = (await screen.findByRole("heading", { name: "QuickBooks was busy and could not save the payment." })).closest("li")!;
    await user.click(within(li).getByRole("button", { name: "Retry all 3" }));
    await waitFor(() =>
      expect(b.called("retry_record")).toEqual([{ attentionId: "payment:P-1" }, { attentionId: "payment:P-2" }, { attentionId: "payment:P-3" }]),
    );
  });

  it("one missing payment method: one card for every payment it stops, with a button to the Items page", async () => {
    const payments = [12, 18, 21].map((n) => ({
      ...attention({
        id: `payment:PAY-${n}`, record_id: `PAY-${n}`, record_label: `Payment on invoice 100${n}`,
        reason: `Payment PAY-${n} cannot be sent: QuickBooks has no active payment method named "Credit Card".`,
        advice: "Add it in QuickBooks, or map the method to one QuickBooks has on the Items page.",
        qb_status_code: null, qb_status_message: null, retryable: false,
      }),
      actions: [],
    }));
    sync({ list_attention_cards: [group("code:missing-payment-method", "missing_payment_setup", payments, { actions: [{ action: "open_items", role: null }] })] });
    const user = userEvent.setup();
    render(SyncScreen);
    const li = (await screen.findByRole("heading", { name: /^3 records: Payment PAY-12 cannot be sent/ })).closest("li")!;
    expect(screen.getAllByRole("heading", { level: 3 })).toHaveLength(1);
    await user.click(within(li).getByRole("button", { name: "Go to the Items page" }));
    expect(nav.current).toBe("items");
  });

  it("offers no button for a refusal that retrying cannot fix", async () => {
    sync({ list_attention_cards: [card({ retryable: false, qb_status_code: 3100, qb_status_message: "The name is already in use." })] });
    render(SyncScreen);
    const li = (await screen.findByRole("heading", { name: "Payment of $194.13 from Harbor Bakery" })).closest("li")!;
    expect(within(li).queryAllByRole("button")).toHaveLength(0);
  });

  const long = "Northeast Heating and Air Conditioning Services of CT";
  const tooLong = () =>
    card(
      { id: "A-2", record_kind: "customer", record_label: long, problem: "too_long", reason: "QuickBooks allows customer names of at most 41 characters.", qb_status_code: null, qb_status_message: null, retryable: false, field: { name: "name", label: "Customer name", value: long, max_length: 41 } },
      [{ action: "rename", attention_id: "A-2", field: { name: "name", label: "Customer name", value: long, max_length: 41 } }],
      { cause: "too_long" },
    );

  it("renames inline within QuickBooks' limit", async () => {
    const b = sync({ list_attention_cards: [tooLong()], rename_record: null });
    const user = userEvent.setup();
    render(SyncScreen);
    const input = await screen.findByLabelText("Customer name for QuickBooks");
    expect(screen.getByText(`${long.length} of 41 characters: ${long.length - 41} too many`)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save name" })).toBeDisabled();
    await user.clear(input);
    await user.type(input, "Northeast Heating and Air");
    expect(screen.getByText("25 of 41 characters")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save name" }));
    await waitFor(() => expect(b.called("rename_record")).toEqual([{ attentionId: "A-2", value: "Northeast Heating and Air" }]));
  });

  it("saves a rename with Enter, and not while it is still too long", async () => {
    const b = sync({ list_attention_cards: [tooLong()], rename_record: null });
    const user = userEvent.setup();
    render(SyncScreen);
    const input = await screen.findByLabelText("Customer name for QuickBooks");
    await user.type(input, "X{Enter}");
    expect(b.called("rename_record"), "still too long: Enter does nothing").toHaveLength(0);
    await user.clear(input);
    await user.type(input, "Northeast Heating{Enter}");
    await waitFor(() => expect(b.called("rename_record")).toEqual([{ attentionId: "A-2", value: "Northeast Heating" }]));
  });

  it("shows a refused fix on its own card", async () => {
    sync({
      list_attention_cards: [card({}, [{ action: "retry", attention_ids: ["A-1"] }])],
      retry_record: ipcError("not_found", "That record is no longer waiting. The list has been refreshed."),
    });
    render(SyncScreen);
    await userEvent.click(await screen.findByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That record is no longer waiting.");
  });

  it("links a customer from the list and sends mapping problems to the Items page", async () => {
    const b = sync({
      list_attention_cards: [
        card({ id: "customer:C-1", record_kind: "customer", record_id: "C-1", record_label: "Ecker Designs", problem: "needs_pairing", app_customer_id: "C-1", qb_status_code: null, qb_status_message: null, retryable: false }, [], { id: "decision:C-1", cause: "needs_decision", actions: [{ action: "open_customer", customer_id: "C-1" }] }),
        card({ id: "invoice:I-4", record_kind: "invoice", record_label: "Invoice 10045", problem: "needs_mapping", mapping_role: "service_item", reason: "QuickBooks has no item named 'Labor'.", qb_status_code: null, retryable: false }, [], { id: "mapping:service_item", cause: "needs_mapping", actions: [{ action: "open_items", role: "service_item" }] }),
      ],
      search_qb_customers: { rows: [qbCustomer()], total: 1 },
      link_customer: customer({ id: "C-1", state: "linked" }),
    });
    const user = userEvent.setup();
    render(SyncScreen);
    await user.click(await screen.findByRole("button", { name: "Link to…" }));
    const dialog = screen.getByRole("dialog");
    await user.click(await within(dialog).findByRole("option", { name: /Ecker Designs LLC/ }));
    await user.click(within(dialog).getByRole("button", { name: "Link to Ecker Designs LLC" }));
    await waitFor(() => expect(b.called("link_customer")).toEqual([{ appCustomerId: "C-1", qbListId: "QB-1" }]));

    await user.click(screen.getByRole("button", { name: "Choose the service item" }));
    expect(nav.current).toBe("items");
  });

  it("says in words why a session stopped", async () => {
    const b = sync();
    render(SyncScreen);
    await screen.findByText(/No sync running/);
    await b.emit(
      "sync-progress",
      progress({ state: "failed", problem: "QuickBooks has another company file open. Open Ecker HVAC.qbw and run the Web Connector again." }),
    );
    expect(await screen.findByText("Sync stopped")).toBeInTheDocument();
    expect(screen.getByText(/Open Ecker HVAC.qbw and run the Web Connector again/)).toBeInTheDocument();
  });

  it("draws a long attention list a hundred cards at a time", { timeout: 20_000 }, async () => {
    const many = Array.from({ length: 130 }, (_, n) =>
      card(
        { id: `customer:C-${n}`, record_kind: "customer", record_id: `C-${n}`, record_label: `Customer ${n}`, problem: "needs_pairing", app_customer_id: `C-${n}`, retryable: false },
        [],
        { id: `decision:C-${n}`, cause: "needs_decision", actions: [{ action: "open_customer", customer_id: `C-${n}` }] },
      ),
    );
    sync({ list_attention_cards: many });
    const user = userEvent.setup();
    render(SyncScreen);
    await screen.findByRole("heading", { name: "Customer 0" });
    expect(screen.getAllByRole("button", { name: "Link to…" })).toHaveLength(100);
    await user.click(screen.getByRole("button", { name: "Show 30 more of 130" }));
    expect(screen.getAllByRole("button", { name: "Link to…" })).toHaveLength(130);
    expect(screen.queryByRole("button", { name: /more of/ })).not.toBeInTheDocument();
  });

  it("shows a sales tax difference with both amounts as money and what to check; Dismiss takes it away", async () => {
    let cards = [taxCard()];
    const b = sync({
      list_attention_cards: () => cards,
      dismiss_attention_card: () => {
        cards = [];
        return null;
      },
    });
    const user = userEvent.setup();
    render(SyncScreen);
    const li = (await screen.findByRole("heading", { name: /with sales tax of \$6.08/ })).closest("li")!;
    expect(within(li).getByText("Sales tax your field-service app expected").nextElementSibling).toHaveTextContent("$0.00");
    expect(within(li).getByText("Sales tax QuickBooks put on Invoice 10045 for Greenfield Elementary").nextElementSibling).toHaveTextContent("$6.08");
    expect(li).toHaveTextContent("customer's sales tax code");
    expect(li).toHaveTextContent("sales tax item");
    await user.click(within(li).getByRole("button", { name: "Go to the Items page" }));
    expect(nav.current).toBe("items");
    await user.click(within(li).getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(b.called("dismiss_attention_card")).toEqual([{ cardId: "tax:I-9" }]));
    expect(await screen.findByRole("heading", { name: "Nothing needs your attention" })).toBeInTheDocument();
  });

  it("every button on every kind of card does something", async () => {
    const cards: AttentionCard[] = [
      card({}, [{ action: "retry", attention_ids: ["A-1"] }, { action: "skip", attention_id: "A-1" }]),
      card({ id: "customer:C-1", record_kind: "customer", record_id: "C-1", record_label: "Ecker Designs", problem: "needs_pairing", app_customer_id: "C-1" }, [], { id: "decision:C-1", cause: "needs_decision", actions: [{ action: "open_customer", customer_id: "C-1" }] }),
      card({ id: "ticket:T-1", record_kind: "service_ticket", record_label: "Service ticket T1 for Ecker" }, [], { id: "code:estimates-off", cause: "settings", actions: [{ action: "open_settings" }] }),
      taxCard(),
    ];
    const b = sync({ list_attention_cards: cards, retry_record: null, skip_record: null, create_customer_in_qb: customer({ state: "will_create" }), dismiss_attention_card: null });
    const user = userEvent.setup();
    render(SyncScreen);
    await screen.findByRole("heading", { name: "Payment of $194.13 from Harbor Bakery" });
    const before = () => b.calls.length;
    for (const button of screen.getAllByRole("button").filter((x) => x.closest("ul.attention"))) {
      const n = before();
      nav.go("sync");
      await user.click(button);
      const moved = nav.current !== "sync";
      const dialog = screen.queryByRole("dialog");
      expect(b.calls.length > n || moved || dialog !== null, `"${button.textContent?.trim()}" does something`).toBe(true);
      if (dialog) await user.keyboard("{Escape}");
    }
  });

  it("while sends are held, says why and starts sending with one button", async () => {
    let held = true;
    const b = sync({
      // The last run ended without a problem, but it sent nothing: it was held.
      get_sync_status: syncStatus({ last_session: session({ outcome: "ok" }) }),
      get_safe_start: () =>
        safeStart({
          hold: held
            ? { held: true, held_by: "first_run", reason: "This company file already holds 312 customers and jobs and 40 payments, so FieldBridge read it but sends nothing until you have looked at the preview and started sending." }
            : { held: false, held_by: null, reason: null },
        }),
      start_sending: () => {
        held = false;
        return null;
      },
    });
    const user = userEvent.setup();
    render(SyncScreen);
    const notice = (await screen.findByRole("heading", { name: "Sending is on hold" })).closest("section")!;
    expect(notice).toHaveTextContent("already holds 312 customers and jobs");
    expect(within(notice).getAllByRole("button").map((x) => x.textContent?.trim()), "one button").toEqual(["Start sending"]);
    const now = screen.getByRole("heading", { name: "Right now" }).closest("section")!;
    await waitFor(() => expect(now, "a held run is not called all synced").toHaveTextContent("Sending on hold"));
    expect(now).not.toHaveTextContent("Completed");
    await user.click(within(notice).getByRole("button", { name: "Start sending" }));
    await waitFor(() => expect(b.called("start_sending")).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole("heading", { name: "Sending is on hold" })).not.toBeInTheDocument());
    expect(now).toHaveTextContent("Completed");
  });

  it("says when the office manager held sends in settings", async () => {
    sync({ get_safe_start: safeStart({ hold: { held: true, held_by: "office_manager", reason: null } }) });
    render(SyncScreen);
    const notice = (await screen.findByRole("heading", { name: "Sending is on hold" })).closest("section")!;
    expect(notice).toHaveTextContent("put on hold in FieldBridge's settings");
  });

  it("previews the next sync: counts per kind, why records are held back, every record a hundred at a time", async () => {
    const rows = [
      ...Array.from({ length: 150 }, (_, n) => ({ kind: "customer" as const, id: `C-${n}`, label: `Customer Client ${n}`, action: (n % 3 === 0 ? "link" : "add") as "link" | "add", reason: n % 3 === 0 ? "QuickBooks already has it: FieldBridge links to it and sends nothing." : "QuickBooks does not have it yet.", held_because: null })),
      { kind: "customer" as const, id: "C-H", label: "Customer Hilltop Bakery Studio", action: "held" as const, reason: "Hilltop Bakery Studio may already be in QuickBooks as \"Hilltop Bakery\".", held_because: "pairing_decision" as const },
      { kind: "invoice" as const, id: "I-1", label: "Invoice 9001 for Maple Dental", action: "held" as const, reason: "Invoice 9001 is dated 2025-12-01, before the start date (2026-01-01), so FieldBridge leaves it out.", held_because: "start_date" as const },
    ];
    const base = safeStart();
    sync({
      get_safe_start: safeStart({
        hold: { held: true, held_by: "first_run", reason: "This company file already holds 2 customers." },
        records: rows,
        kinds: base.kinds.map((k) =>
          k.kind === "customer"
            ? { ...k, add: 100, link: 50, held: 1, held_because: [{ because: "pairing_decision", count: 1 }] }
            : k.kind === "invoice"
              ? { ...k, held: 1, held_because: [{ because: "start_date", count: 1 }] }
              : k,
        ),
      }),
    });
    const user = userEvent.setup();
    render(SyncScreen);
    const table = await screen.findByRole("table", { name: "What the next sync does, by kind" });
    const customers = within(table).getByRole("row", { name: /^Customers/ });
    const cells = within(customers).getAllByRole("cell");
    expect(cells.slice(0, 3).map((c) => c.textContent?.trim())).toEqual(["100", "0", "50"]);
    expect(cells[3]).toHaveTextContent(/^1\s*1 waiting for you to choose its QuickBooks customer$/);
    expect(within(table).getByRole("row", { name: /^Invoices/ })).toHaveTextContent("1 before the start date");
    const list = screen.getByRole("list", { name: "Records in the next sync" });
    expect(within(list).getAllByRole("listitem"), "a hundred at a time").toHaveLength(100);
    await user.click(screen.getByRole("button", { name: "Held back 2" }));
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    expect(list).toHaveTextContent("before the start date (2026-01-01)");
    expect(list).toHaveTextContent("Customer Hilltop Bakery Studio");
    await user.click(screen.getByRole("button", { name: "All 152" }));
    await user.click(screen.getByRole("button", { name: "Show 52 more of 152 records" }));
    expect(within(list).getAllByRole("listitem")).toHaveLength(152);
  });

  it("counts records before the start date apart, never as needing you or failed", async () => {
    const status = syncStatus();
    status.records.invoices = { ...status.records.invoices, failed: 0, needs_attention: 0, before_start_date: 7 };
    sync({ get_sync_status: status });
    render(SyncScreen);
    const table = await screen.findByRole("table", { name: "Records by state" });
    const row = within(table).getByRole("row", { name: /^Invoices/ });
    expect(within(row).getAllByRole("cell").map((c) => c.textContent?.trim())).toEqual(["0", "0", "0", "0", "7"]);
  });

  it("offers 'This is the same company file' on a refused file, and says what happens next", async () => {
    let requested = false;
    const refusal = () =>
      safeStart({ refused: { open_file: "\\\\SERVER\\QB\\Ecker HVAC.qbw", bound_file: "Z:\\QB\\Ecker HVAC.qbw", rebind_requested: requested, checked: null } });
    const b = sync({
      get_safe_start: () => refusal(),
      rebind_company_file: () => {
        requested = true;
        return "At the next Web Connector run, FieldBridge looks in the company file QuickBooks has open for 25 customers and 12 invoices it sent to \"Z:\\QB\\Ecker HVAC.qbw\".";
      },
    });
    const user = userEvent.setup();
    render(SyncScreen);
    const notice = (await screen.findByRole("heading", { name: /did not sync with the company file/ })).closest("section")!;
    expect(notice).toHaveTextContent("Ecker HVAC.qbw");
    await user.click(within(notice).getByRole("button", { name: "This is the same company file" }));
    await waitFor(() => expect(b.called("rebind_company_file")).toHaveLength(1));
    expect(await screen.findByText(/looks in the company file QuickBooks has open for 25 customers/)).toBeInTheDocument();
    await waitFor(() => expect(within(notice).queryByRole("button", { name: "This is the same company file" })).not.toBeInTheDocument());
    expect(notice).toHaveTextContent("You said it is the same company file");
  });
});
