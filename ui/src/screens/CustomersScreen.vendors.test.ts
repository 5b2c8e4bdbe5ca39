/** The Customers page's Vendors tab (issue 16), through the page a person opens. */
import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import CustomersScreen from "./CustomersScreen.svelte";
import { fakeBackend, ipcError } from "../test/backend";
import { customer, page, vendor } from "../test/fixtures";
import type { VendorRow } from "../lib/ipc";

const linked = vendor({
  id: "V-1",
  name: "Acme Supply",
  state: "synced",
  pairing_state: "linked",
  qb_list_id: "80-1",
  qb_name: "Acme Supply Co",
  how: "auto",
  problem: null,
  suggestions: [],
});
const exact = vendor({
  id: "V-2",
  name: "Baker Electric",
  state: "pending",
  pairing_state: "suggested",
  problem: null,
  suggestions: [{ list_id: "80-4", name: "Baker Electric", score: 100 }],
});
const nearMatch = vendor();
const fresh = vendor({ id: "V-4", name: "Shoreline Fuel", state: "pending", pairing_state: "will_create", problem: null, suggestions: [] });
const refused = vendor({
  id: "V-5",
  name: "Ecker Designs",
  state: "needs_attention",
  pairing_state: "failed",
  problem: 'QuickBooks already has a name "Ecker Designs" (a vendor or a customer), so FieldBridge did not create a second one.',
  suggestions: [],
});

/** Renders the page with these vendors and opens the Vendors tab. */
async function openVendors(vendors: VendorRow[], more: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({ list_customers: page([customer()]), list_vendors: () => vendors, ...more });
  const user = userEvent.setup();
  render(CustomersScreen);
  await user.click(await screen.findByRole("tab", { name: "Vendors" }));
  const table = await screen.findByRole("table", { name: "Vendors" });
  return { backend, user, table };
}

/** The table row of this vendor (its name is the row's first words). */
const rowOf = (table: HTMLElement, name: string) => {
  const row = within(table)
    .getAllByRole("row")
    .find((r) => r.querySelector("strong")?.textContent === name);
  if (!row) throw new Error(`no row for ${name}`);
  return row;
};

describe("Customers page, Vendors tab", () => {
  it("is not there while the data folder has no vendors, and appears when vendors arrive", async () => {
    let vendors: VendorRow[] = [];
    const backend = fakeBackend({ list_customers: page([customer()]), list_vendors: () => vendors });
    render(CustomersScreen);
    await screen.findByRole("table", { name: "Customers" });
    await waitFor(() => expect(backend.called("list_vendors").length).toBeGreaterThan(0));
    expect(screen.queryByRole("tablist"), "no tabs for an office without vendors").not.toBeInTheDocument();

    vendors = [nearMatch];
    await backend.emit("data-changed", null);
    expect(await screen.findByRole("tab", { name: "Vendors" }), "live, after an import of expenses").toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Customers" })).toHaveAttribute("aria-selected", "true");
  });

  it("lists each vendor with its status in plain words, its QuickBooks vendor and why it waits", async () => {
    const { table } = await openVendors([linked, exact, nearMatch, fresh, refused]);
    expect(screen.queryByRole("table", { name: "Customers" }), "one tab at a time").not.toBeInTheDocument();
    const acme = rowOf(table, "Acme Supply");
    expect(within(acme).getByText("Linked")).toBeInTheDocument();
    expect(within(acme).getByText("Acme Supply Co"), "the QuickBooks vendor it is linked to").toBeInTheDocument();
    expect(within(rowOf(table, "Baker Electric")).getByText("Suggested match")).toBeInTheDocument();
    const hilltop = rowOf(table, "Hilltop Lumber");
    expect(within(hilltop).getByText("Needs a decision")).toBeInTheDocument();
    expect(within(hilltop).getByText(/may already be in QuickBooks as "Hill Top Lumber"/)).toBeInTheDocument();
    expect(within(rowOf(table, "Shoreline Fuel")).getByText("Will be created")).toBeInTheDocument();
    const ecker = rowOf(table, "Ecker Designs");
    expect(within(ecker).getByText("Failed")).toBeInTheDocument();
    expect(within(ecker).getByText(/already has a name "Ecker Designs"/)).toBeInTheDocument();
    expect(within(ecker).getByRole("button", { name: "Create in QuickBooks" })).toBeInTheDocument();
    expect(within(acme).queryByRole("button", { name: "Accept" }), "nothing to accept once linked").not.toBeInTheDocument();
    expect(within(rowOf(table, "Shoreline Fuel")).queryByRole("button", { name: "Link to…" }), "no QuickBooks vendor to choose").not.toBeInTheDocument();
  });

  it("switches tabs with the arrow keys, as the Records page does", async () => {
    const { user } = await openVendors([nearMatch]);
    expect(screen.getByRole("tab", { name: "Vendors" })).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Customers" })).toHaveFocus();
    expect(await screen.findByRole("table", { name: "Customers" })).toBeInTheDocument();
    await user.keyboard("{ArrowLeft}");
    expect(screen.getByRole("tab", { name: "Vendors" })).toHaveAttribute("aria-selected", "true");
    expect(await screen.findByRole("table", { name: "Vendors" })).toBeInTheDocument();
  });

  it("Accept links the vendor to its likeliest QuickBooks vendor, and the list reloads", async () => {
    let rows = [nearMatch];
    const { backend, user, table } = await openVendors([], {
      list_vendors: () => rows,
      link_vendor: () => {
        rows = [{ ...nearMatch, pairing_state: "linked", state: "synced", qb_list_id: "80-2", qb_name: "Hill Top Lumber", how: "manual", problem: null, suggestions: [] }];
        return null;
      },
    });
    await user.click(within(table).getByRole("button", { name: "Accept" }));
    await waitFor(() => expect(backend.called("link_vendor")).toEqual([{ vendorId: "V-3", listId: "80-2" }]));
    expect(await screen.findByText("Hilltop Lumber is now linked to Hill Top Lumber in QuickBooks.")).toBeInTheDocument();
    expect(await within(table).findByText("Linked"), "reloaded after the decision").toBeInTheDocument();
  });

  it("Link… chooses among the QuickBooks vendors it may be", async () => {
    const { backend, user, table } = await openVendors([nearMatch], { link_vendor: null });
    await user.click(within(table).getByRole("button", { name: "Link to…" }));
    const dialog = screen.getByRole("dialog", { name: "Link Hilltop Lumber to QuickBooks" });
    expect(within(dialog).getByRole("radio", { name: /Hill Top Lumber/ }), "the likeliest is chosen first").toBeChecked();
    await user.click(within(dialog).getByRole("radio", { name: /Hilltop Lumber Yard/ }));
    await user.click(within(dialog).getByRole("button", { name: "Link" }));
    await waitFor(() => expect(backend.called("link_vendor")).toEqual([{ vendorId: "V-3", listId: "80-3" }]));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("creates a vendor in QuickBooks, and says so", async () => {
    const { backend, user, table } = await openVendors([nearMatch], { create_vendor: null });
    await user.click(within(table).getByRole("button", { name: "Create in QuickBooks" }));
    await waitFor(() => expect(backend.called("create_vendor")).toEqual([{ vendorId: "V-3" }]));
    expect(await screen.findByText("Hilltop Lumber will be added to QuickBooks at the next sync.")).toBeInTheDocument();
  });

  it("asks before unlinking, and unlinks only on yes", async () => {
    const { backend, user, table } = await openVendors([linked], { unpair_vendor: null });
    await user.click(within(table).getByRole("button", { name: "Unlink…" }));
    let dialog = screen.getByRole("dialog", { name: "Unlink Acme Supply?" });
    expect(dialog).toHaveTextContent("linked to Acme Supply Co in QuickBooks");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(backend.called("unpair_vendor"), "Cancel changes nothing").toHaveLength(0);

    await user.click(within(table).getByRole("button", { name: "Unlink…" }));
    dialog = screen.getByRole("dialog", { name: "Unlink Acme Supply?" });
    await user.click(within(dialog).getByRole("button", { name: "Unlink" }));
    await waitFor(() => expect(backend.called("unpair_vendor")).toEqual([{ vendorId: "V-1" }]));
    expect(await screen.findByText("Acme Supply is no longer linked to a QuickBooks vendor.")).toBeInTheDocument();
  });

  it("shows the Rust side's sentence when a decision is refused", async () => {
    const { user, table } = await openVendors([nearMatch], {
      link_vendor: ipcError("invalid_input", 'QuickBooks vendor "Hill Top Lumber" is already paired with app vendor "V-9"; unpair that one first'),
    });
    await user.click(within(table).getByRole("button", { name: "Accept" }));
    expect(await screen.findByText(/already paired with app vendor "V-9"/)).toBeInTheDocument();
  });

  it("narrows the list by status and by name", async () => {
    const { user, table } = await openVendors([linked, exact, nearMatch, fresh]);
    await user.click(screen.getByRole("button", { name: /^Needs a decision/ }));
    await waitFor(() => expect(within(table).queryByText("Acme Supply")).not.toBeInTheDocument());
    expect(within(table).getByText("Hilltop Lumber")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /^All/ }));
    await user.type(screen.getByRole("searchbox", { name: "Search vendors" }), "shore");
    await waitFor(() => expect(within(table).queryByText("Hilltop Lumber")).not.toBeInTheDocument());
    expect(within(table).getByText("Shoreline Fuel")).toBeInTheDocument();
  });
});
