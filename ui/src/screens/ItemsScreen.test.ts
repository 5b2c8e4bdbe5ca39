import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import ItemsScreen from "./ItemsScreen.svelte";
import { fakeBackend, ipcError, pending } from "../test/backend";
import { mappings, qbLists, settings } from "../test/fixtures";
import type { Settings } from "../lib/ipc";
import { imports } from "../lib/state/imports.svelte";

function backend(over: Record<string, unknown> = {}) {
  return fakeBackend({ get_watch_folder: { path: null, last_file: null },
    get_qb_lists: qbLists(),
    get_item_mappings: mappings(),
    get_settings: settings(),
    ...over,
  });
}

describe("Items and settings screen", () => {
  it("shows a loading state first", () => {
    backend({ get_settings: pending });
    render(ItemsScreen);
    expect(screen.getByRole("status")).toHaveTextContent("Loading items and settings");
  });

  it("asks for one Web Connector run when QuickBooks was never read (empty state)", async () => {
    backend({ get_qb_lists: qbLists({ ever_read: false, read_at: null, items: [] }) });
    render(ItemsScreen);
    expect(
      await screen.findByRole("heading", { name: "Run the Web Connector once so FieldBridge can read your items" }),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText("Service item"), "no item pickers without items").not.toBeInTheDocument();
    expect(screen.getByLabelText("Sync every (minutes)"), "settings stay usable").toBeInTheDocument();
  });

  it("shows the error in plain words", async () => {
    backend({ get_qb_lists: ipcError("internal", "FieldBridge could not open its database. Restart FieldBridge.") });
    render(ItemsScreen);
    expect(await screen.findByRole("alert")).toHaveTextContent("could not open its database");
  });

  it("offers only the right item types for each role and marks each mapping", async () => {
    backend();
    render(ItemsScreen);
    const service = await screen.findByLabelText("Service item");
    const serviceOptions = within(service).getAllByRole("option").map((o) => o.textContent);
    expect(serviceOptions).toContain("Labor");
    expect(serviceOptions).toContain("Parts");
    // Issue 10: the sync sends inventory items on invoice lines; the picker offers them too.
    expect(serviceOptions, "inventory items are invoice line items").toContain("Furnace");
    expect(serviceOptions, "tax items are not line items").not.toContain("CT Sales Tax");
    const tax = screen.getByLabelText("Service sales tax");
    expect(within(tax).getAllByRole("option").map((o) => o.textContent), "tax items show their rate").toEqual([
      "Choose an item…",
      "CT Sales Tax (6.35 %)",
    ]);

    expect(within(screen.getByTestId("mapping-status-service_item")).getByText("Ready")).toBeInTheDocument();
    const project = screen.getByTestId("mapping-status-project_item");
    expect(within(project).getByText("Inactive in QuickBooks")).toBeInTheDocument();
    expect(within(project).getByText("'Old Labor' is inactive in QuickBooks.")).toBeInTheDocument();
    expect(screen.getByLabelText("Project item")).toHaveValue("Old Labor");
  });

  it("changes a mapping and shows the new state", async () => {
    const b = backend({
      set_item_mapping: ({ role, itemFullName }: { role: string; itemFullName: string }) => ({
        role,
        item_full_name: itemFullName,
        item_list_id: "I2",
        status: "valid",
        problem: null,
      }),
    });
    render(ItemsScreen);
    await userEvent.selectOptions(await screen.findByLabelText("Project item"), "Parts");
    await waitFor(() => expect(b.called("set_item_mapping")).toEqual([{ role: "project_item", itemFullName: "Parts" }]));
    expect(await within(screen.getByTestId("mapping-status-project_item")).findByText("Ready")).toBeInTheDocument();
  });

  it("does not save a mapping on one arrow key press; saves when the person settles (Enter or leaving)", async () => {
    const b = backend({
      set_item_mapping: ({ role, itemFullName }: { role: string; itemFullName: string }) => ({
        role, item_full_name: itemFullName, item_list_id: "I2", status: "valid", problem: null,
      }),
    });
    render(ItemsScreen);
    const select = (await screen.findByLabelText("Project item")) as HTMLSelectElement;
    select.focus();
    // What a browser does on ArrowDown in a closed drop-down: the value moves, change fires.
    const arrowTo = async (value: string) => {
      await fireEvent.keyDown(select, { key: "ArrowDown" });
      select.value = value;
      await fireEvent.change(select);
    };
    await arrowTo("Parts");
    await arrowTo("Labor");
    expect(b.called("set_item_mapping"), "passing through with the arrows saves nothing").toHaveLength(0);
    await fireEvent.keyDown(select, { key: "Enter" });
    expect(b.called("set_item_mapping")).toEqual([{ role: "project_item", itemFullName: "Labor" }]);

    await arrowTo("Parts");
    expect(b.called("set_item_mapping"), "after Enter, a new arrow press again waits").toHaveLength(1);
    await fireEvent.blur(select);
    expect(b.called("set_item_mapping")).toEqual([
      { role: "project_item", itemFullName: "Labor" },
      { role: "project_item", itemFullName: "Parts" },
    ]);
  });

  it("puts the drop-down back on Escape after moving it with the arrows", async () => {
    const b = backend({ set_item_mapping: null });
    render(ItemsScreen);
    const select = (await screen.findByLabelText("Put payments in")) as HTMLSelectElement;
    const was = select.value;
    await fireEvent.focus(select);
    await fireEvent.keyDown(select, { key: "ArrowDown" });
    select.value = "Checking";
    await fireEvent.change(select);
    await fireEvent.keyDown(select, { key: "Escape" });
    expect(select.value).toBe(was);
    await fireEvent.blur(select);
    expect(b.called("update_settings")).toHaveLength(0);
  });

  it("stays current: reads the lists again after an import, a finished sync or a customers change", async () => {
    let methods: Settings["payment_methods"] = [];
    const b = backend({
      get_settings: () => settings({ payment_methods: methods }),
      import_sample_data: () => {
        methods = [{ app_method: "Credit Card", qb_method: null }];
        return { files: [{ path: "sample", imported: true, created: { customers: 1, projects: 0, service_tickets: 0, invoices: 0, payments: 1, vendors: 0, expenses: 0 }, updated: { customers: 0, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, problems: [], problem_count: 0 }] };
      },
    });
    render(ItemsScreen);
    expect(await screen.findByText(/No payments imported yet/)).toBeInTheDocument();
    await imports.importSample();
    expect(await screen.findByLabelText("Credit Card"), "the imported payment method appears without leaving the page").toBeInTheDocument();
    imports.dismiss();

    const reads = b.called("get_qb_lists").length;
    await b.emit("sync-progress", { session_id: 9, state: "finished", phase: "finishing", percent: 100, done: 3, total: 3, started_at: "2026-11-21T10:00:00Z", company_file: null, problem: null });
    await b.emit("customers-changed", null);
    await waitFor(() => expect(b.called("get_qb_lists").length).toBe(reads + 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(b.called("get_qb_lists").length, "a burst of events is one reload").toBe(reads + 1);
  });

  it("shows why a mapping change was refused", async () => {
    backend({ set_item_mapping: ipcError("invalid_input", "'Furnace' is an inventory item; choose a service item.") });
    render(ItemsScreen);
    await userEvent.selectOptions(await screen.findByLabelText("Service item"), "Parts");
    expect(await screen.findByRole("alert")).toHaveTextContent("choose a service item");
  });

  it("saves settings and warns that a schedule change needs the .qwc again", async () => {
    const saved: Settings[] = [];
    const b = backend({
      update_settings: ({ settings: s }: { settings: Settings }) => {
        saved.push(s);
        return { settings: s, qwc_changed: s.schedule_minutes !== 30 };
      },
      choose_save_path: "C:\\FieldBridge.qwc",
      save_qwc: null,
    });
    const user = userEvent.setup();
    render(ItemsScreen);
    await user.click(await screen.findByLabelText(/Update customers in QuickBooks/));
    await waitFor(() => expect(saved.at(-1)?.update_qb_customers).toBe(true));
    expect(screen.queryByText("The Web Connector needs the new connection file."), "no .qwc warning for other settings").not.toBeInTheDocument();

    await user.click(screen.getByLabelText("Create them in QuickBooks automatically"));
    await waitFor(() => expect(saved.at(-1)?.new_customers).toBe("create_automatically"));

    const minutes = screen.getByLabelText("Sync every (minutes)");
    await user.clear(minutes);
    await user.type(minutes, "0");
    expect(screen.getByText(/Enter a whole number of minutes/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save schedule" })).toBeDisabled();
    await user.clear(minutes);
    await user.type(minutes, "15");
    await user.click(screen.getByRole("button", { name: "Save schedule" }));
    await waitFor(() => expect(saved.at(-1)?.schedule_minutes).toBe(15));
    expect(await screen.findByText("The Web Connector needs the new connection file.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Download new QWC file" }));
    await waitFor(() => expect(b.called("save_qwc")).toEqual([{ path: "C:\\FieldBridge.qwc" }]));
    expect(screen.queryByText("The Web Connector needs the new connection file.")).not.toBeInTheDocument();
  });

  it("saves a new port through the settings, says it applies from the next start and offers the new .qwc", async () => {
    const saved: Settings[] = [];
    const b = backend({
      update_settings: ({ settings: s }: { settings: Settings }) => {
        saved.push(s);
        return { settings: s, qwc_changed: s.port !== 8711 };
      },
      choose_save_path: "C:\\FieldBridge.qwc",
      save_qwc: null,
    });
    const user = userEvent.setup();
    render(ItemsScreen);
    const port = await screen.findByLabelText("Port the Web Connector calls");
    expect(port).toHaveValue(8711);
    const save = screen.getByRole("button", { name: "Save port" });
    expect(save, "nothing changed yet").toBeDisabled();
    await user.clear(port);
    await user.type(port, "70000");
    expect(screen.getByText("Enter a port number from 1 to 65535.")).toBeInTheDocument();
    expect(save).toBeDisabled();
    await user.clear(port);
    await user.type(port, "8799");
    await user.click(save);
    await waitFor(() => expect(saved.at(-1)?.port).toBe(8799));
    const warning = await screen.findByText("FieldBridge uses port 8799 from its next start.");
    expect(warning.closest("[role=alert]")).toHaveTextContent("Quit FieldBridge");
    expect(warning.closest("[role=alert]")).toHaveTextContent("remove FieldBridge and add the new file");
    expect(
      screen.queryByText("The Web Connector needs the new connection file."),
      "the schedule's warning is not the port's",
    ).not.toBeInTheDocument();
    await user.click(within(warning.closest("[role=alert]") as HTMLElement).getByRole("button", { name: "Download new QWC file" }));
    await waitFor(() => expect(b.called("save_qwc")).toEqual([{ path: "C:\\FieldBridge.qwc" }]));
    expect(screen.queryByText("FieldBridge uses port 8799 from its next start."), "gone once downloaded").not.toBeInTheDocument();
  });

  it("switches start at login through the settings, and flips back when it could not be changed", async () => {
    const saved: Settings[] = [];
    let fail = false;
    backend({
      update_settings: ({ settings: s }: { settings: Settings }) => {
        saved.push(s);
        if (fail) return Promise.reject({ code: "io", message: "FieldBridge could not change whether it starts when you sign in: access denied" });
        return { settings: s, qwc_changed: false };
      },
    });
    const user = userEvent.setup();
    render(ItemsScreen);
    const login = await screen.findByRole("switch", { name: "Start FieldBridge when I sign in" });
    expect(login).toBeChecked();
    await user.click(login);
    await waitFor(() => expect(saved.at(-1)?.start_at_login).toBe(false));
    await waitFor(() => expect(login).not.toBeChecked());
    fail = true;
    await user.click(login);
    expect(await screen.findByText(/access denied/)).toBeInTheDocument();
    await waitFor(() => expect(login, "nothing changed: the switch shows the saved value").not.toBeChecked());
  });

  it("maps a field-app payment method and the deposit account", async () => {
    const saved: Settings[] = [];
    backend({
      update_settings: ({ settings: s }: { settings: Settings }) => {
        saved.push(s);
        return { settings: s, qwc_changed: false };
      },
    });
    const user = userEvent.setup();
    render(ItemsScreen);
    await user.selectOptions(await screen.findByLabelText("Credit Card"), "Visa");
    await waitFor(() => expect(saved.at(-1)?.payment_methods).toEqual([{ app_method: "Credit Card", qb_method: "Visa" }]));
    await user.selectOptions(screen.getByLabelText("Put payments in"), "Checking");
    await waitFor(() => expect(saved.at(-1)?.deposit_to).toEqual({ kind: "account", account_full_name: "Checking" }));
  });
});

describe("Items and settings screen, summarized journal entries", () => {
  it("chooses summary mode, its period and customer with the one settings operation", async () => {
    const saved: Settings[] = [];
    backend({
      update_settings: ({ settings: s }: { settings: Settings }) => {
        saved.push(s);
        return { settings: s, qwc_changed: false };
      },
    });
    const user = userEvent.setup();
    render(ItemsScreen);
    await user.selectOptions(await screen.findByLabelText("Send sales to QuickBooks as"), "summary");
    await waitFor(() => expect(saved.at(-1)?.mode).toBe("summary"));
    await user.selectOptions(await screen.findByLabelText("One journal entry for the sales of each"), "week");
    await waitFor(() => expect(saved.at(-1)?.summary_period).toBe("week"));
    const customer = screen.getByLabelText("QuickBooks customer for the summarized sales");
    await user.type(customer, "Field Sales");
    await user.tab();
    await waitFor(() => expect(saved.at(-1)?.summary_customer).toBe("Field Sales"));
  });

  it("says in plain words why the mode cannot change after records were sent", async () => {
    backend({
      update_settings: ipcError("conflict", "FieldBridge already sent records to QuickBooks in full mode, so it stays in that mode."),
    });
    const user = userEvent.setup();
    render(ItemsScreen);
    await user.selectOptions(await screen.findByLabelText("Send sales to QuickBooks as"), "summary");
    expect(await screen.findByText(/already sent records to QuickBooks in full mode/)).toBeInTheDocument();
  });
});

describe("Items and settings screen, values QuickBooks no longer has", () => {
  it("still shows a mapped payment method and deposit account that are missing from QuickBooks' lists", async () => {
    backend({
      get_settings: settings({
        payment_methods: [{ app_method: "Credit Card", qb_method: "Amex" }],
        deposit_to: { kind: "account", account_full_name: "Old Bank" },
      }),
    });
    render(ItemsScreen);
    expect(await screen.findByLabelText("Credit Card"), "never a blank select").toHaveDisplayValue("Amex (not in QuickBooks)");
    expect(screen.getByLabelText("Put payments in")).toHaveDisplayValue("Old Bank (not in QuickBooks)");
  });
});
