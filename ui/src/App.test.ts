import { beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "./App.svelte";
import { fakeBackend, pending } from "./test/backend";
import { connection, records } from "./test/fixtures";
import { nav } from "./lib/state/nav.svelte";
import type { ConnectionStatus } from "./lib/ipc";

describe("the window", () => {
  beforeEach(() => nav.reset());

  it("reaches all six screens from the keyboard and marks the current one", async () => {
    fakeBackend({
      get_connection_status: pending,
      list_customers: pending,
      list_invoices: pending,
      get_link_status: pending,
      get_qb_lists: pending,
      get_item_mappings: pending,
      get_settings: pending,
      get_sync_status: pending,
      list_attention: pending,
      list_sessions: pending,
    });
    const user = userEvent.setup();
    render(App);
    const nav = screen.getByRole("navigation", { name: "Main" });
    const links = within(nav).getAllByRole("button");
    expect(links.map((l) => l.textContent?.trim())).toEqual(["Connect", "Customers", "Records", "Items and settings", "Sync", "History"]);
    expect(links[0]).toHaveAttribute("aria-current", "page");
    for (const [i, heading] of ["Customers", "Records", "Items and settings", "Sync", "History"].entries()) {
      links[i + 1].focus();
      await user.keyboard("{Enter}");
      expect(await screen.findByRole("heading", { level: 1, name: heading })).toBeInTheDocument();
      expect(links[i + 1]).toHaveAttribute("aria-current", "page");
    }
  });

  it("imports chosen files and lists every problem of a rejected one", async () => {
    const b = fakeBackend({
      get_connection_status: pending,
      choose_import_files: ["C:\\in\\customers.json", "C:\\in\\bad.csv"],
      import_files: {
        files: [
          { path: "C:\\in\\customers.json", imported: true, created: { customers: 3, projects: 0, service_tickets: 0, invoices: 2, payments: 0, vendors: 0, expenses: 0 }, updated: { customers: 0, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, problems: [], problem_count: 0 },
          { path: "C:\\in\\bad.csv", imported: false, created: { customers: 0, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, updated: { customers: 0, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, problems: ["customers.csv row 18: customer_id \"C-77\" is not a known customer"], problem_count: 51 },
        ],
      },
    });
    const user = userEvent.setup();
    render(App);
    await user.click(screen.getByRole("button", { name: "Import records…" }));
    const dialog = await screen.findByRole("dialog", { name: "Some files were not imported" });
    expect(b.called("import_files")).toEqual([{ paths: ["C:\\in\\customers.json", "C:\\in\\bad.csv"] }]);
    expect(b.called("choose_import_files"), "FieldBridge's own dialog, which remembers the choice").toHaveLength(1);
    expect(dialog).toHaveTextContent("Added 3 customers, 2 invoices");
    expect(dialog).toHaveTextContent('customers.csv row 18: customer_id "C-77" is not a known customer');
    expect(dialog).toHaveTextContent("…and 50 more.");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("shows an import that failed outright in plain words", async () => {
    fakeBackend({
      get_connection_status: pending,
      choose_import_files: ["C:\\in\\x.json"],
      import_files: () => Promise.reject({ code: "io", message: "FieldBridge could not read C:\\in\\x.json: it is open in another program." }),
    });
    render(App);
    await userEvent.click(screen.getByRole("button", { name: "Import records…" }));
    const dialog = await screen.findByRole("dialog", { name: "Import did not finish" });
    expect(dialog).toHaveTextContent("it is open in another program.");
  });

  it("opens on Sync once the Web Connector has called, on the setup steps before", async () => {
    fakeBackend({
      get_connection_status: connection({ ever_contacted: true }),
      get_sync_status: { current: null, last_session: null, records: records() },
      list_attention: [],
    });
    render(App);
    expect(await screen.findByRole("heading", { level: 1, name: "Sync" })).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("button", { name: "Sync" })).toHaveAttribute("aria-current", "page");
  });

  it("stays on Connect for a new install", async () => {
    const b = fakeBackend({ get_connection_status: connection({ ever_contacted: false, last_contact: null }) });
    render(App);
    await waitFor(() => expect(b.called("get_connection_status").length).toBeGreaterThan(1));
    expect(screen.getByRole("heading", { level: 1, name: "Connect QuickBooks" })).toBeInTheDocument();
  });

  it("never moves a person who already chose a screen", async () => {
    let answer: (v: ConnectionStatus) => void = () => {};
    fakeBackend({
      get_connection_status: () => new Promise<ConnectionStatus>((r) => (answer = r)),
      list_sessions: pending,
    });
    const user = userEvent.setup();
    render(App);
    await user.click(screen.getByRole("button", { name: "History" }));
    answer(connection({ ever_contacted: true }));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByRole("heading", { level: 1, name: "History" })).toBeInTheDocument();
  });

  it("keeps every rail button's name as its tooltip, for the icons-only rail", () => {
    fakeBackend({ get_connection_status: pending });
    render(App);
    const nav = screen.getByRole("navigation", { name: "Main" });
    for (const b of within(nav).getAllByRole("button")) expect(b).toHaveAttribute("title", b.textContent?.trim());
  });
});
