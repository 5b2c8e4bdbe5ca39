import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import SyncScreen from "./SyncScreen.svelte";
import { fakeBackend, ipcError, pending } from "../test/backend";
import { attention, customer, qbCustomer, syncStatus } from "../test/fixtures";
import { nav } from "../lib/state/nav.svelte";
import type { SyncProgress } from "../lib/ipc";

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
    fakeBackend({ get_sync_status: pending, list_attention: pending });
    render(SyncScreen);
    expect(screen.getByRole("status")).toHaveTextContent("Loading sync status");
  });

  it("says nothing needs attention and that no sync ran yet (empty state)", async () => {
    fakeBackend({ get_sync_status: syncStatus({ last_session: null }), list_attention: [] });
    render(SyncScreen);
    expect(await screen.findByRole("heading", { name: "Nothing needs your attention" })).toBeInTheDocument();
    expect(screen.getByText(/No sync has run yet/)).toBeInTheDocument();
  });

  it("shows the error in plain words", async () => {
    fakeBackend({ get_sync_status: ipcError("busy", "FieldBridge is busy. Try again in a moment."), list_attention: [] });
    render(SyncScreen);
    expect(await screen.findByRole("alert")).toHaveTextContent("FieldBridge is busy. Try again in a moment.");
  });

  it("moves the progress bar on each sync-progress event and reloads when the session ends", async () => {
    const b = fakeBackend({ get_sync_status: syncStatus(), list_attention: [] });
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
    const b = fakeBackend({ get_sync_status: syncStatus(), list_attention: [] });
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

  it("lists what needs attention with the reason, QuickBooks' words, and Retry; no Skip it cannot prove", async () => {
    let items = [attention()];
    const b = fakeBackend({
      get_sync_status: syncStatus(),
      list_attention: () => items,
      retry_record: () => {
        items = [];
        return null;
      },
    });
    const user = userEvent.setup();
    render(SyncScreen);
    const card = (await screen.findByRole("heading", { name: "Payment of $194.13 from Harbor Bakery" })).closest("li")!;
    expect(card).toHaveTextContent("QuickBooks was busy and could not save the payment.");
    expect(card).toHaveTextContent("QuickBooks said (code 3175): The record is in use by another user.");
    expect(
      within(card).queryByRole("button", { name: /Skip/ }),
      "skip works only on records QuickBooks already has, which the flat item does not say",
    ).not.toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(b.called("retry_record")).toEqual([{ attentionId: "A-1" }]));
    expect(await screen.findByRole("heading", { name: "Nothing needs your attention" })).toBeInTheDocument();
  });

  it("shows one card per missing mapping, with one button and the records folded under it", async () => {
    const invoices = Array.from({ length: 59 }, (_, n) =>
      attention({
        id: `invoice:I-${n}`, record_kind: "invoice", record_id: `I-${n}`, record_label: `Invoice ${10000 + n}`,
        problem: "needs_mapping", mapping_role: "service_item", reason: "QuickBooks has no item named 'Labor'.",
        advice: "Choose the service item on the Items page.", qb_status_code: 3140, retryable: false,
      }),
    );
    fakeBackend({ get_sync_status: syncStatus(), list_attention: invoices });
    const user = userEvent.setup();
    render(SyncScreen);
    const card = (await screen.findByRole("heading", { name: "QuickBooks has no item named 'Labor'." })).closest("li")!;
    expect(screen.getAllByRole("heading", { level: 3 }), "59 records, one cause, one card").toHaveLength(1);
    expect(within(card).getAllByRole("button").map((b) => b.textContent?.trim())).toEqual(["Choose the service item"]);
    expect(card).toHaveTextContent("59 records");
    const more = within(card).getByText("Show the 59 records");
    expect(within(card).getByText("Invoice 10058")).not.toBeVisible();
    await user.click(more);
    expect(within(card).getByText("Invoice 10058")).toBeVisible();
    await user.click(within(card).getByRole("button", { name: "Choose the service item" }));
    expect(nav.current).toBe("items");
  });

  it("folds records that only wait on another into one quiet card, without chained sentences", async () => {
    fakeBackend({
      get_sync_status: syncStatus(),
      list_attention: [
        attention({ id: "customer:C-1", record_kind: "customer", record_label: "Ecker Designs", problem: "needs_pairing", app_customer_id: "C-1", qb_status_code: null, qb_status_message: null, retryable: false }),
        attention({ id: "invoice:I-1", record_kind: "invoice", record_label: "Invoice 10045 for Ecker Designs", problem: "waiting_on_parent", reason: "Invoice 10045 waits for customer Ecker Designs.", qb_status_code: null, qb_status_message: null, retryable: false }),
        attention({ id: "payment:P-1", record_kind: "payment", record_label: "Payment of $50.00 from Ecker Designs", problem: "waiting_on_parent", reason: "Payment waits for invoice 10045, which waits for customer Ecker Designs.", qb_status_code: null, qb_status_message: null, retryable: false }),
      ],
    });
    render(SyncScreen);
    const card = (await screen.findByRole("heading", { name: /wait for others/ })).closest("li")!;
    expect(within(card).queryAllByRole("button"), "nothing to do on the waiting ones themselves").toHaveLength(0);
    expect(card).not.toHaveTextContent("which waits for");
    expect(within(card).getByText("Payment of $50.00 from Ecker Designs")).toBeInTheDocument();
    expect(card).toHaveTextContent("2 records");
    expect(screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual([
      "Ecker Designs",
      "These records wait for others that are not in QuickBooks yet.",
    ]);
  });

  it("retries every record QuickBooks refused alike with one button", async () => {
    const busy = [1, 2, 3].map((n) => attention({ id: `payment:P-${n}`, record_label: `Payment ${n}` }));
    const b = fakeBackend({ get_sync_status: syncStatus(), list_attention: busy, retry_record: null });
    const user = userEvent.setup();
    render(SyncScreen);
    const card = (await screen.findByRole("heading", { name: "QuickBooks was busy and could not save the payment." })).closest("li")!;
    await user.click(within(card).getByRole("button", { name: "Retry all 3" }));
    await waitFor(() =>
      expect(b.called("retry_record")).toEqual([{ attentionId: "payment:P-1" }, { attentionId: "payment:P-2" }, { attentionId: "payment:P-3" }]),
    );
  });

  it("one missing payment method: one card for every payment it stops, with a button to the Items page", async () => {
    const payments = [12, 18, 21].map((n) =>
      attention({
        id: `payment:PAY-${n}`, record_id: `PAY-${n}`, record_label: `Payment on invoice 100${n}`,
        reason: `Payment PAY-${n} cannot be sent: QuickBooks has no active payment method named "Credit Card".`,
        advice: "Add it in QuickBooks, or map the method to one QuickBooks has on the Items page.",
        qb_status_code: null, qb_status_message: null, retryable: false,
      }),
    );
    fakeBackend({ get_sync_status: syncStatus(), list_attention: payments });
    const user = userEvent.setup();
    render(SyncScreen);
    const card = (await screen.findByRole("heading", { name: /^3 records: Payment PAY-12 cannot be sent/ })).closest("li")!;
    expect(screen.getAllByRole("heading", { level: 3 })).toHaveLength(1);
    await user.click(within(card).getByRole("button", { name: "Go to the Items page" }));
    expect(nav.current).toBe("items");
  });

  it("offers no button for a refusal that retrying cannot fix", async () => {
    fakeBackend({ get_sync_status: syncStatus(), list_attention: [attention({ retryable: false, qb_status_code: 3100, qb_status_message: "The name is already in use." })] });
    render(SyncScreen);
    const card = (await screen.findByRole("heading", { name: "Payment of $194.13 from Harbor Bakery" })).closest("li")!;
    expect(within(card).queryAllByRole("button")).toHaveLength(0);
  });

  it("renames inline within QuickBooks' limit", async () => {
    const long = "Northeast Heating and Air Conditioning Services of CT";
    const b = fakeBackend({
      get_sync_status: syncStatus(),
      list_attention: [
        attention({
          id: "A-2",
          record_kind: "customer",
          record_label: long,
          problem: "too_long",
          reason: "QuickBooks allows customer names of at most 41 characters.",
          qb_status_code: null,
          qb_status_message: null,
          retryable: false,
          field: { name: "name", label: "Customer name", value: long, max_length: 41 },
        }),
      ],
      rename_record: null,
    });
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
    const long = "Northeast Heating and Air Conditioning Services of CT";
    const b = fakeBackend({
      get_sync_status: syncStatus(),
      list_attention: [
        attention({ id: "A-2", record_kind: "customer", record_label: long, problem: "too_long", retryable: false, field: { name: "name", label: "Customer name", value: long, max_length: 41 } }),
      ],
      rename_record: null,
    });
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
    fakeBackend({
      get_sync_status: syncStatus(),
      list_attention: [attention()],
      retry_record: ipcError("not_found", "That record is no longer waiting. The list has been refreshed."),
    });
    render(SyncScreen);
    await userEvent.click(await screen.findByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That record is no longer waiting.");
  });

  it("links a customer from the list and sends mapping problems to the Items page", async () => {
    const b = fakeBackend({
      get_sync_status: syncStatus(),
      list_attention: [
        attention({ id: "A-3", record_kind: "customer", record_label: "Ecker Designs", problem: "needs_pairing", app_customer_id: "C-1", qb_status_code: null, qb_status_message: null, retryable: false }),
        attention({ id: "A-4", record_kind: "invoice", record_label: "Invoice 10045", problem: "needs_mapping", mapping_role: "service_item", reason: "QuickBooks has no item named 'Labor'.", qb_status_code: 3140, retryable: false }),
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
    const b = fakeBackend({ get_sync_status: syncStatus(), list_attention: [] });
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
      attention({ id: `customer:C-${n}`, record_kind: "customer", record_id: `C-${n}`, record_label: `Customer ${n}`, problem: "needs_pairing", app_customer_id: `C-${n}`, retryable: false }),
    );
    fakeBackend({ get_sync_status: syncStatus(), list_attention: many });
    const user = userEvent.setup();
    render(SyncScreen);
    await screen.findByRole("heading", { name: "Customer 0" });
    expect(screen.getAllByRole("button", { name: "Link to…" })).toHaveLength(100);
    await user.click(screen.getByRole("button", { name: "Show 30 more of 130" }));
    expect(screen.getAllByRole("button", { name: "Link to…" })).toHaveLength(130);
    expect(screen.queryByRole("button", { name: /more of/ })).not.toBeInTheDocument();
  });
});
