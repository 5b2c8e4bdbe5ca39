import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import WatchFolderCard from "./WatchFolderCard.svelte";
import { fakeBackend, ipcError } from "../../test/backend";

describe("Watched folder card", () => {
  it("picks a folder with the folder dialog and saves it", async () => {
    const backend = fakeBackend({
      get_watch_folder: { path: null },
      "plugin:dialog|open": () => "C:\\Inbox",
      set_watch_folder: ({ path }) => ({ path }),
    });
    render(WatchFolderCard);
    expect(await screen.findByText("No folder is watched.")).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Choose folder…" }));
    await waitFor(() => expect(backend.called("set_watch_folder")).toEqual([{ path: "C:\\Inbox" }]));
    expect(backend.called("plugin:dialog|open")[0]).toMatchObject({ options: { directory: true } });
    expect(await screen.findByTestId("watch-folder")).toHaveTextContent("C:\\Inbox");
  });

  it("turns watching off with None, and a cancelled dialog changes nothing", async () => {
    const backend = fakeBackend({
      get_watch_folder: { path: "C:\\Inbox" },
      "plugin:dialog|open": () => null,
      set_watch_folder: () => ({ path: null }),
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
      get_watch_folder: { path: null },
      "plugin:dialog|open": () => "Z:\\gone",
      set_watch_folder: ipcError("invalid_input", "Z:\\gone is not a folder"),
    });
    render(WatchFolderCard);
    await userEvent.setup().click(await screen.findByRole("button", { name: "Choose folder…" }));
    expect(await screen.findByText("Z:\\gone is not a folder")).toBeInTheDocument();
  });
});
