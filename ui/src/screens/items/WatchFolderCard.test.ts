import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import WatchFolderCard from "./WatchFolderCard.svelte";
import { fakeBackend, ipcError } from "../../test/backend";
import type { LastFile } from "../../lib/ipc";

describe("Watched folder card", () => {
  it("picks a folder with the folder dialog and saves it", async () => {
    const backend = fakeBackend({
      get_watch_folder: { path: null, last_file: null },
      choose_folder: () => "C:\\Inbox",
      set_watch_folder: ({ path }) => ({ path, last_file: null }),
    });
    render(WatchFolderCard);
    expect(await screen.findByText("No folder is watched.")).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Choose folder…" }));
    await waitFor(() => expect(backend.called("set_watch_folder")).toEqual([{ path: "C:\\Inbox" }]));
    expect(backend.called("choose_folder")[0]).toEqual({ title: "Folder to import from" });
    expect(await screen.findByTestId("watch-folder")).toHaveTextContent("C:\\Inbox");
  });

  it("turns watching off with None, and a cancelled dialog changes nothing", async () => {
    const backend = fakeBackend({
      get_watch_folder: { path: "C:\\Inbox", last_file: null },
      choose_folder: () => null,
      set_watch_folder: () => ({ path: null, last_file: null }),
    });
    render(WatchFolderCard);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Choose another folder…" }));
    expect(backend.called("set_watch_folder")).toEqual([]);
    await user.click(screen.getByRole("button", { name: "None" }));
    await waitFor(() => expect(backend.called("set_watch_folder")).toEqual([{ path: null }]));
    expect(await screen.findByText("No folder is watched.")).toBeInTheDocument();
  });

  it("says why a folder was refused", async () => {
    fakeBackend({
      get_watch_folder: { path: null, last_file: null },
      choose_folder: () => "Z:\\gone",
      set_watch_folder: ipcError("invalid_input", "Z:\\gone is not a folder"),
    });
    render(WatchFolderCard);
    await userEvent.setup().click(await screen.findByRole("button", { name: "Choose folder…" }));
    expect(await screen.findByText("Z:\\gone is not a folder")).toBeInTheDocument();
  });

  it("shows the last file imported, with its record count, and opens its folder", async () => {
    const b = fakeBackend({
      get_watch_folder: {
        path: "C:\\Inbox",
        last_file: { name: "day.json", at: "2026-12-02T09:30:00Z", imported: true, records: 12, summary: "customers: 12 added, 0 updated, 0 unchanged", problems: 0 },
      },
      show_watch_folder: null,
    });
    render(WatchFolderCard);
    const line = await screen.findByTestId("watch-last-file");
    expect(line).toHaveTextContent("Last file: day.json");
    expect(line).toHaveTextContent("imported 12 records.");
    expect(line).not.toHaveTextContent("not imported");
    await userEvent.setup().click(screen.getByRole("button", { name: "Show in folder" }));
    await waitFor(() => expect(b.called("show_watch_folder")).toHaveLength(1));
  });

  it("shows the last file refused with its first problem and how many more", async () => {
    fakeBackend({
      get_watch_folder: {
        path: "C:\\Inbox",
        last_file: { name: "bad.csv", at: "2026-12-02T09:30:00Z", imported: false, records: 0, summary: "customers[1] (id C-2): name is missing", problems: 3 },
      },
    });
    render(WatchFolderCard);
    const line = await screen.findByTestId("watch-last-file");
    expect(line).toHaveTextContent("bad.csv");
    expect(line).toHaveTextContent("not imported: customers[1] (id C-2): name is missing (and 2 more problems).");
    expect(line).toHaveTextContent("bad.csv.errors.txt");
  });

  it("has no last-file line before the first file, and shows one when a file arrives", async () => {
    let last: LastFile | null = null;
    const b = fakeBackend({ get_watch_folder: () => ({ path: "C:\\Inbox", last_file: last }) });
    render(WatchFolderCard);
    expect(await screen.findByTestId("watch-folder")).toHaveTextContent("C:\\Inbox");
    expect(screen.queryByTestId("watch-last-file")).not.toBeInTheDocument();
    last = { name: "new.json", at: "2026-12-02T09:31:00Z", imported: true, records: 1, summary: "customers: 1 added, 0 updated, 0 unchanged", problems: 0 };
    await b.emit("data-changed", null);
    expect(await screen.findByTestId("watch-last-file")).toHaveTextContent("imported 1 record.");
  });
});
