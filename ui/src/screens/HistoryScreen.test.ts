import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import HistoryScreen from "./HistoryScreen.svelte";
import { fakeBackend, ipcError, pending } from "../test/backend";
import { session, sessionDetail } from "../test/fixtures";

describe("History screen", () => {
  it("shows a loading state first", () => {
    fakeBackend({ list_sessions: pending });
    render(HistoryScreen);
    expect(screen.getByRole("status")).toHaveTextContent("Loading history");
  });

  it("explains an empty history", async () => {
    fakeBackend({ list_sessions: { rows: [], total: 0 } });
    render(HistoryScreen);
    expect(await screen.findByRole("heading", { name: "No syncs yet" })).toBeInTheDocument();
  });

  it("shows the error in plain words", async () => {
    fakeBackend({ list_sessions: ipcError("internal", "FieldBridge could not read the sync history.") });
    render(HistoryScreen);
    expect(await screen.findByRole("alert")).toHaveTextContent("could not read the sync history");
  });

  it("lists sessions newest first with counts, duration, file, outcome, and a chart", async () => {
    fakeBackend({
      list_sessions: { rows: [session(), session({ id: 6, outcome: "ok", failed: 0, started_at: "2026-11-20T10:00:00Z", finished_at: "2026-11-20T10:00:48Z" })], total: 2 },
    });
    render(HistoryScreen);
    const table = await screen.findByRole("table", { name: "Sync sessions, newest first" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("2 min 5 s");
    expect(rows[0]).toHaveTextContent("Ecker HVAC.qbw");
    expect(rows[0]).toHaveTextContent("Needs attention");
    expect(rows[1]).toHaveTextContent("48 s");
    expect(rows[1]).toHaveTextContent("Completed");
    expect(screen.getByRole("img", { name: "Records sent per sync" })).toBeInTheDocument();
    const chartTable = screen.getByRole("table", { name: "Records sent per sync" });
    const chartRows = within(chartTable).getAllByRole("row").slice(1);
    expect(chartRows, "one bar group per session").toHaveLength(2);
    expect(chartRows[1], "oldest left, newest right; created+updated then failed").toHaveTextContent("71");
  });

  it("drills down to every record with QuickBooks' code under the plain text", async () => {
    const b = fakeBackend({ list_sessions: { rows: [session()], total: 1 }, get_session: sessionDetail() });
    const user = userEvent.setup();
    render(HistoryScreen);
    await user.click(await screen.findByRole("button", { name: /^Details of the sync/ }));
    const dialog = await screen.findByRole("dialog");
    await within(dialog).findByText("QuickBooks has no item named 'Labor'. Choose the service item on the Items page.");
    expect(b.called("get_session")).toEqual([{ sessionId: 7 }]);
    expect(within(dialog).getByText(/QuickBooks code 3140/)).toBeInTheDocument();
    expect(within(dialog).getByText("Added to QuickBooks.")).toBeInTheDocument();
    await user.click(within(dialog).getByLabelText("Only show records that failed"));
    expect(within(dialog).queryByText("Added to QuickBooks."), "filtered to failures").not.toBeInTheDocument();
  });

  it("exports to CSV through the save dialog", async () => {
    const b = fakeBackend({
      list_sessions: { rows: [session()], total: 1 },
      choose_save_path: "C:\\Users\\me\\history.csv",
      export_history_csv: { rows: 42 },
    });
    render(HistoryScreen);
    await userEvent.click(await screen.findByRole("button", { name: "Export to CSV…" }));
    expect(await screen.findByText("Saved 42 rows to C:\\Users\\me\\history.csv.")).toBeInTheDocument();
    expect(b.called("choose_save_path")[0]).toMatchObject({ extensions: ["csv"] });
    expect(b.called("export_history_csv")).toEqual([{ path: "C:\\Users\\me\\history.csv", sessionId: null }]);
  });

  it("pages to older sessions", async () => {
    const b = fakeBackend({
      list_sessions: ({ offset }: { offset: number }) =>
        offset === 0 ? { rows: [session()], total: 2 } : { rows: [session({ id: 1, started_at: "2026-10-01T10:00:00Z" })], total: 2 },
    });
    render(HistoryScreen);
    await userEvent.click(await screen.findByRole("button", { name: "Show older syncs" }));
    await waitFor(() => expect(screen.getAllByRole("button", { name: /^Details of the sync/ })).toHaveLength(2));
    expect(b.called("list_sessions")[1]).toEqual({ offset: 1, limit: 50 });
  });
});
