import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import CustomersScreen from "./CustomersScreen.svelte";
import { fakeBackend, ipcError, pending } from "../test/backend";
import { customer, page, qbCustomer } from "../test/fixtures";
import type { CustomerRow, ListCustomersRequest } from "../lib/ipc";
import { PAGE_SIZE } from "../lib/state/customers.svelte";
import { imports } from "../lib/state/imports.svelte";

const suggested = customer({
  id: "C-2",
  name: "Maple Dental",
  company_name: null,
  state: "suggested",
  problem: null,
  suggestion: {
    qb_list_id: "QB-9",
    qb_full_name: "Maple Dental PC",
    strength: "exact",
    score: 100,
    reasons: [
      { field: "name", detail: "Same name" },
      { field: "phone", detail: "Same phone number (555) 201-3344" },
    ],
  },
});

/** Renders the screen and opens the Link dialog on its first row. */
async function openLinkDialog() {
  const user = userEvent.setup();
  render(CustomersScreen);
  const table = await screen.findByRole("table", { name: "Customers" });
  await user.click(within(table).getByRole("button", { name: "Link to…" }));
  const dialog = screen.getByRole("dialog", { name: "Link Ecker Designs to QuickBooks" });
  const search = within(dialog).getByRole("combobox", { name: "Search QuickBooks customers and jobs" });
  return { user, dialog, search };
}

describe("Customers screen", () => {
  it("shows a loading state first", () => {
    fakeBackend({ list_customers: pending });
    render(CustomersScreen);
    expect(screen.getByRole("status")).toHaveTextContent("Loading customers");
  });

  it("offers import and sample data when there are no customers (empty state)", async () => {
    const backend = fakeBackend({
      list_customers: page([]),
      import_sample_data: { files: [] },
    });
    render(CustomersScreen);
    expect(await screen.findByRole("heading", { name: "No customers yet" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Load sample data" }));
    await waitFor(() => expect(backend.called("import_sample_data")).toHaveLength(1));
  });

  it("shows the error in plain words with a retry", async () => {
    fakeBackend({ list_customers: ipcError("busy", "FieldBridge is busy saving a sync. Try again in a moment.") });
    render(CustomersScreen);
    expect(await screen.findByRole("alert")).toHaveTextContent("busy saving a sync");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("lists customers with their state and why a suggestion matches", async () => {
    fakeBackend({
      list_customers: page([customer(), suggested], {
        counts: { all: 2, linked: 0, suggested: 1, needs_decision: 1, will_create: 0, failed: 0 },
        exact_matches: 1,
      }),
    });
    render(CustomersScreen);
    const table = await screen.findByRole("table", { name: "Customers" });
    expect(within(table).getByText("Needs a decision")).toBeInTheDocument();
    expect(within(table).getByText("Suggested match")).toBeInTheDocument();
    expect(within(table).getByText("Exact match (100%)"), "how strongly").toBeInTheDocument();
    expect(within(table).getByText(/same name, phone/), "why it matches").toBeInTheDocument();
  });

  it("renders only the visible rows of a long list and asks the server page by page", async () => {
    const TOTAL = 30_000;
    const backend = fakeBackend({
      list_customers: ({ request }: { request: ListCustomersRequest }) => {
        const rows: CustomerRow[] = [];
        for (let i = request.offset; i < Math.min(TOTAL, request.offset + request.limit); i++) {
          rows.push(customer({ id: `C-${i}`, name: `Customer ${i}` }));
        }
        return page(rows, { total: TOTAL, counts: { all: TOTAL, linked: 0, suggested: 0, needs_decision: TOTAL, will_create: 0, failed: 0 } });
      },
    });
    render(CustomersScreen);
    const table = await screen.findByRole("table", { name: "Customers" });
    expect(table).toHaveAttribute("aria-rowcount", String(TOTAL + 1));
    const rows = within(table).getAllByRole("row");
    expect(rows.length, "virtualised: a screenful, not 30,000 rows").toBeLessThan(60);
    const requests = backend.called("list_customers").map((a) => a.request as ListCustomersRequest);
    expect(requests.every((r) => r.limit === PAGE_SIZE), "paged on the server").toBe(true);
  });

  it("searches on the server after typing stops, and filters by state", async () => {
    const backend = fakeBackend({ list_customers: page([customer()]) });
    const user = userEvent.setup();
    render(CustomersScreen);
    await screen.findByRole("table", { name: "Customers" });
    await user.type(screen.getByRole("searchbox", { name: "Search customers" }), "Ecker");
    await waitFor(() => {
      const last = backend.called("list_customers").at(-1)?.request as ListCustomersRequest;
      expect(last.query).toBe("Ecker");
    });
    const queries = backend.called("list_customers").map((a) => (a.request as ListCustomersRequest).query);
    expect(queries.filter((q) => q.startsWith("E")).length, "debounced: not one request per key").toBeLessThan(3);

    await user.click(screen.getByRole("button", { name: /^Failed/ }));
    await waitFor(() => {
      const last = backend.called("list_customers").at(-1)?.request as ListCustomersRequest;
      expect(last.filter).toBe("failed");
    });
    expect(screen.getByRole("button", { name: /^Failed/ })).toHaveAttribute("aria-pressed", "true");
  });

  it("links through the searchable dialog showing addresses", async () => {
    const backend = fakeBackend({
      list_customers: page([customer()]),
      search_qb_customers: ({ request }: { request: { query: string } }) => ({
        rows: request.query.includes("Depot")
          ? [qbCustomer()]
          : [qbCustomer(), qbCustomer({ list_id: "QB-2", full_name: "Other Co", name: "Other Co", company_name: null })],
        total: 2,
      }),
      link_customer: customer({ state: "linked" }),
    });
    const { user, dialog, search } = await openLinkDialog();
    await user.clear(search);
    await user.type(search, "Depot");
    await waitFor(() => expect(within(dialog).queryByText("Other Co")).not.toBeInTheDocument());
    const option = within(dialog).getByRole("option", { name: /Ecker Designs LLC/ });
    expect(option).toHaveTextContent("12 Mill Rd, Suite 4");
    expect(option).toHaveTextContent("40 Depot St");
    await user.click(option);
    await user.click(within(dialog).getByRole("button", { name: "Link to Ecker Designs LLC" }));
    await waitFor(() => expect(backend.called("link_customer")).toEqual([{ appCustomerId: "C-1", qbListId: "QB-1" }]));
    expect(await screen.findByText(/is now linked to Ecker Designs LLC/)).toBeInTheDocument();
  });

  it("links from the keyboard: focus in the search, arrows through the results, Enter links", async () => {
    const backend = fakeBackend({
      list_customers: page([customer()]),
      search_qb_customers: {
        rows: [qbCustomer(), qbCustomer({ list_id: "QB-2", full_name: "Other Co", name: "Other Co", company_name: null })],
        total: 2,
      },
      link_customer: customer({ state: "linked" }),
    });
    const { user, dialog, search } = await openLinkDialog();
    await waitFor(() => expect(search, "the dialog opens with the focus in its search").toHaveFocus());
    await within(dialog).findByRole("option", { name: /Other Co/ });
    await user.keyboard("{Enter}");
    expect(backend.called("link_customer"), "nothing highlighted yet: Enter links nothing").toHaveLength(0);
    await user.keyboard("{ArrowDown}{ArrowDown}");
    const other = within(dialog).getByRole("option", { name: /Other Co/ });
    expect(other).toHaveAttribute("aria-selected", "true");
    expect(search).toHaveAttribute("aria-activedescendant", other.id);
    await user.keyboard("{ArrowUp}");
    expect(within(dialog).getByRole("option", { name: /Ecker Designs LLC/ })).toHaveAttribute("aria-selected", "true");
    expect(search, "the focus stays in the search while moving").toHaveFocus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(backend.called("link_customer")).toEqual([{ appCustomerId: "C-1", qbListId: "QB-1" }]));
  });

  it("changes a link: says what stays under the old QuickBooks customer, and never offers it again", async () => {
    const linkedRow = customer({ id: "C-3", name: "Harbor Bakery", state: "linked", problem: null, linked: { list_id: "QB-OLD", full_name: "Harbor Bakery Inc", is_job: false } });
    const backend = fakeBackend({
      list_customers: page([linkedRow]),
      search_qb_customers: {
        rows: [
          qbCustomer({ list_id: "QB-OLD", full_name: "Harbor Bakery Inc", name: "Harbor Bakery Inc", company_name: null }),
          qbCustomer({ list_id: "QB-NEW", full_name: "Harbor Bakery LLC", name: "Harbor Bakery LLC", company_name: null }),
        ],
        total: 2,
      },
      link_customer: linkedRow,
    });
    const user = userEvent.setup();
    render(CustomersScreen);
    const table = await screen.findByRole("table", { name: "Customers" });
    await user.click(within(table).getByRole("button", { name: "Change link…" }));
    const dialog = screen.getByRole("dialog", { name: "Change the link of Harbor Bakery" });
    const effects = within(dialog).getByTestId("change-link-effects");
    expect(effects).toHaveTextContent("Now linked to Harbor Bakery Inc");
    expect(effects).toHaveTextContent("already sent under Harbor Bakery Inc");
    expect(effects).toHaveTextContent("stays there");
    await within(dialog).findByRole("option", { name: /Harbor Bakery LLC/ });
    expect(within(dialog).queryByRole("option", { name: /Harbor Bakery Inc/ }), "the current link is not a choice").not.toBeInTheDocument();
    await user.keyboard("{ArrowDown}{Enter}");
    await waitFor(() => expect(backend.called("link_customer")).toEqual([{ appCustomerId: "C-3", qbListId: "QB-NEW" }]));
  });

  it("says what a QuickBooks user did to a linked customer: renamed (a note), made inactive (the problem)", async () => {
    const renamed = customer({
      id: "C-4", name: "Harbor Bakery", state: "linked", problem: null,
      linked: { list_id: "QB-4", full_name: "Harbor Bakery & Cafe", is_job: false },
      quickbooks_note: 'Renamed in QuickBooks on 2026-12-02 (it was "Harbor Bakery"); still linked.',
    });
    const inactive = customer({
      id: "C-5", name: "Maple Dental", state: "linked",
      linked: { list_id: "QB-5", full_name: "Maple Dental", is_job: false },
      problem: "Made inactive in QuickBooks on 2026-12-02: QuickBooks refuses new invoices, estimates and payments for the customer \"Maple Dental\", so those for customer C-5 wait until it is active again.",
    });
    fakeBackend({ list_customers: page([renamed, inactive]) });
    render(CustomersScreen);
    const table = await screen.findByRole("table", { name: "Customers" });
    expect(table, "the QuickBooks name shows, with the note").toHaveTextContent("Harbor Bakery & Cafe");
    expect(table).toHaveTextContent('Renamed in QuickBooks on 2026-12-02 (it was "Harbor Bakery")');
    expect(table, "the inactive customer's problem shows on its linked row").toHaveTextContent("Made inactive in QuickBooks on 2026-12-02");
  });

  it("shows imported customers at once (no more 'No customers yet' after an import)", async () => {
    let rows: CustomerRow[] = [];
    fakeBackend({
      list_customers: () => page(rows),
      choose_import_files: ["C:\\in\\customers.json"],
      import_files: () => {
        rows = [customer()];
        return { files: [{ path: "C:\\in\\customers.json", imported: true, created: { customers: 1, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, updated: { customers: 0, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, problems: [], problem_count: 0 }] };
      },
    });
    render(CustomersScreen);
    expect(await screen.findByRole("heading", { name: "No customers yet" })).toBeInTheDocument();
    await imports.importFiles();
    expect(await screen.findByRole("table", { name: "Customers" })).toHaveTextContent("Ecker Designs");
    imports.dismiss();
  });

  it("accepts every exact match in one click and says how many", async () => {
    const backend = fakeBackend({
      list_customers: page([suggested], { exact_matches: 1 }),
      accept_exact_matches: { linked: 1 },
    });
    render(CustomersScreen);
    await userEvent.click(await screen.findByRole("button", { name: "Accept 1 exact match" }));
    expect(await screen.findByText(/Linked 1 customer to their exact match/)).toBeInTheDocument();
    expect(backend.called("accept_exact_matches")).toHaveLength(1);
  });

  it("marks a customer to be created, unlinks a linked one, and asks for a refresh", async () => {
    const linked = customer({ id: "C-3", name: "Harbor Bakery", state: "linked", problem: null, linked: { list_id: "QB-3", full_name: "Harbor Bakery", is_job: false } });
    const backend = fakeBackend({
      list_customers: page([customer(), linked]),
      create_customer_in_qb: customer({ state: "will_create" }),
      unlink_customer: linked,
      request_customer_refresh: null,
    });
    const user = userEvent.setup();
    render(CustomersScreen);
    const table = await screen.findByRole("table", { name: "Customers" });
    await user.click(within(table).getByRole("button", { name: "Create in QuickBooks" }));
    await waitFor(() => expect(backend.called("create_customer_in_qb")).toEqual([{ appCustomerId: "C-1" }]));
    await user.click(within(table).getByRole("button", { name: "Unlink…" }));
    const confirm = screen.getByRole("dialog", { name: /^Unlink / });
    expect(backend.called("unlink_customer"), "Unlink asks first").toHaveLength(0);
    await waitFor(() => expect(within(confirm).getByRole("button", { name: "Cancel" }), "the safe answer has the focus").toHaveFocus());
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(backend.called("unlink_customer"), "Cancel unlinks nothing").toHaveLength(0);
    await user.click(within(table).getByRole("button", { name: "Unlink…" }));
    await user.click(within(screen.getByRole("dialog", { name: /^Unlink / })).getByRole("button", { name: "Unlink" }));
    await waitFor(() => expect(backend.called("unlink_customer")).toEqual([{ appCustomerId: "C-3" }]));
    await user.click(screen.getByRole("button", { name: "Refresh from QuickBooks" }));
    expect(await screen.findByText(/read the full customer list from QuickBooks at the next sync/)).toBeInTheDocument();
  });

  it("brings chosen QuickBooks customers into the app", async () => {
    const backend = fakeBackend({
      list_customers: page([customer()]),
      search_qb_customers: { rows: [qbCustomer(), qbCustomer({ list_id: "QB-7", full_name: "Cedar Farms", name: "Cedar Farms", company_name: null })], total: 2 },
      import_qb_customers: { created: 1 },
    });
    const user = userEvent.setup();
    render(CustomersScreen);
    await user.click(await screen.findByRole("button", { name: "Bring in from QuickBooks…" }));
    const dialog = screen.getByRole("dialog", { name: "Bring customers in from QuickBooks" });
    await user.click(await within(dialog).findByRole("checkbox", { name: /Cedar Farms/ }));
    await user.click(within(dialog).getByRole("button", { name: "Add 1 to FieldBridge" }));
    await waitFor(() => expect(backend.called("import_qb_customers")).toEqual([{ qbListIds: ["QB-7"] }]));
    expect(backend.called("search_qb_customers")[0].request).toMatchObject({ unlinked_only: true });
  });
});

describe("Customers screen, explaining a suggestion", () => {
  it("says why a suggestion matches and accepts it from there", async () => {
    const backend = fakeBackend({
      list_customers: page([suggested]),
      link_customer: customer({ state: "linked" }),
    });
    const user = userEvent.setup();
    render(CustomersScreen);
    await user.click(await screen.findByRole("button", { name: "Why is Maple Dental PC suggested for Maple Dental?" }));
    const dialog = screen.getByRole("dialog", { name: "Why this match?" });
    expect(dialog).toHaveTextContent("Same phone number (555) 201-3344");
    expect(dialog).toHaveTextContent("100% alike");
    await user.click(within(dialog).getByRole("button", { name: "Accept this match" }));
    await waitFor(() => expect(backend.called("link_customer")).toEqual([{ appCustomerId: "C-2", qbListId: "QB-9" }]));
  });
});
