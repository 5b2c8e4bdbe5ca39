import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import LinkCard from "./LinkCard.svelte";
import { fakeBackend, ipcError } from "../../test/backend";
import { linkCard } from "../../test/fixtures";

const working = () =>
  linkCard(
    {
      url: "https://platform.example.com",
      enabled: true,
      state: "ok",
      last_poll_at: new Date(Date.now() - 2 * 60_000).toISOString(),
      last_delivery_at: null,
      interval_s: 120,
    },
    { key_stored: true, key_ending: "89ab" },
  );

describe("Field-service platform card", () => {
  it("shows the status light, last contact and only the key's ending", async () => {
    fakeBackend({ get_link_status: working() });
    render(LinkCard);
    expect(await screen.findByText("Working")).toBeInTheDocument();
    expect(screen.getByText("2 minutes ago")).toBeInTheDocument();
    expect(screen.getByTestId("key-help")).toHaveTextContent("key ending …89ab");
    expect(screen.getByLabelText("API key")).toHaveValue("");
    expect(screen.getByLabelText("Platform address")).toHaveValue("https://platform.example.com");
    expect(screen.getByRole("spinbutton")).toHaveValue(120);
    expect(screen.getByRole("button", { name: "Turn off" })).toBeInTheDocument();
  });

  it("says a refused key and the last problem in words", async () => {
    fakeBackend({
      get_link_status: linkCard({
        url: "https://p.example",
        enabled: true,
        state: "key_refused",
        last_problem: "The platform refused the key (401). Enter the new key.",
      }),
    });
    render(LinkCard);
    expect(await screen.findByText("Key refused")).toBeInTheDocument();
    expect(screen.getByTestId("link-problem")).toHaveTextContent("refused the key");
  });

  it("saves the URL, key and interval, then forgets the typed key", async () => {
    const backend = fakeBackend({ get_link_status: linkCard(), set_link: working() });
    render(LinkCard);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Platform address"), "https://platform.example.com");
    await user.type(screen.getByLabelText("API key"), "sk-live-0000000089ab");
    await user.clear(screen.getByRole("spinbutton"));
    await user.type(screen.getByRole("spinbutton"), "120");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(backend.called("set_link")).toEqual([
        { url: "https://platform.example.com", key: "sk-live-0000000089ab", intervalS: 120 },
      ]),
    );
    expect(await screen.findByText(/^Saved\./)).toBeInTheDocument();
    expect(screen.getByLabelText("API key"), "the key is not kept on screen").toHaveValue("");
    expect(screen.getByTestId("key-help")).toHaveTextContent("key ending …89ab");
  });

  it("shows why a test failed in plain English", async () => {
    const backend = fakeBackend({
      get_link_status: working(),
      test_link: ipcError("unreachable", "The platform did not answer (connection refused)."),
    });
    render(LinkCard);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Test connection" }));
    expect(await screen.findByText("The platform did not answer (connection refused).")).toBeInTheDocument();
    expect(backend.called("test_link")).toEqual([{ url: "https://platform.example.com", key: "" }]);
  });

  it("turns the link off", async () => {
    const backend = fakeBackend({ get_link_status: working(), turn_link_off: linkCard({ url: "https://platform.example.com" }) });
    render(LinkCard);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Turn off" }));
    expect(await screen.findByText("Off")).toBeInTheDocument();
    expect(backend.called("turn_link_off")).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Turn off" })).not.toBeInTheDocument();
  });

  it("re-reads when the connection changes", async () => {
    let state = working();
    const backend = fakeBackend({ get_link_status: () => state });
    render(LinkCard);
    expect(await screen.findByText("Working")).toBeInTheDocument();
    state = linkCard({ url: "https://platform.example.com", enabled: true, state: "failing", last_problem: "The platform answered 503; retrying in 4 seconds." });
    await backend.emit("connection-changed", null as never);
    expect(await screen.findByText("Failing: retrying")).toBeInTheDocument();
  });
});
