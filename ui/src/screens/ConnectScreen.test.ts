import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import ConnectScreen from "./ConnectScreen.svelte";
import { fakeBackend, ipcError, pending } from "../test/backend";
import { connection, linkCard } from "../test/fixtures";

describe("Connect screen", () => {
  it("shows a loading state while the status is read", () => {
    fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] }, get_connection_status: pending });
    render(ConnectScreen);
    expect(screen.getAllByRole("status")[0]).toHaveTextContent("Checking the connection");
  });

  it("shows the connection in words: health, last contact, company file", async () => {
    fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] }, get_connection_status: connection() });
    render(ConnectScreen);
    expect(await screen.findByText("The last sync went well.")).toBeInTheDocument();
    expect(screen.getByText("Working"), "the colour is repeated in words").toBeInTheDocument();
    expect(screen.getByText("5 minutes ago"), "last contact is relative").toBeInTheDocument();
    expect(screen.getByText("Ecker HVAC.qbw"), "the company file is named").toBeInTheDocument();
  });

  it("says plainly when the Web Connector has never called (the empty state)", async () => {
    fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] },
      get_connection_status: connection({
        ever_contacted: false,
        last_contact: null,
        company_file: null,
        health: "warning",
        reason: "The Web Connector has not called yet. Follow the steps on the left.",
      }),
    });
    render(ConnectScreen);
    expect(await screen.findByText("Has not connected yet")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Connection" })).getByText("Never")).toBeInTheDocument();
    expect(screen.getByText("Needs a look")).toBeInTheDocument();
    expect(screen.getByText(/learns it at the first sync/)).toBeInTheDocument();
  });

  it("shows the error message, not a code, and retries", async () => {
    let fail = true;
    fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] },
      get_connection_status: () =>
        fail
          ? Promise.reject({ code: "internal", message: "FieldBridge could not read its settings." })
          : connection(),
    });
    render(ConnectScreen);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("FieldBridge could not read its settings.");
    expect(alert).not.toHaveTextContent("internal");
    fail = false;
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("The last sync went well.")).toBeInTheDocument();
  });

  it("refreshes when the connection-changed event arrives", async () => {
    let reason = "The Web Connector has not called yet.";
    const backend = fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] }, get_connection_status: () => connection({ reason }) });
    render(ConnectScreen);
    await screen.findByText(reason);
    reason = "The Web Connector called just now.";
    await backend.emit("connection-changed", null);
    expect(await screen.findByText("The Web Connector called just now.")).toBeInTheDocument();
  });

  it("shows the password on request and copies it", async () => {
    fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] }, get_connection_status: connection(), get_qwc_password: "k7Qm-29xR" });
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText");
    render(ConnectScreen);
    expect(screen.queryByText("k7Qm-29xR"), "hidden until asked").not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Show password" }));
    expect(await screen.findByText("k7Qm-29xR")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy" }));
    expect(writeText).toHaveBeenCalledWith("k7Qm-29xR");
    const button = await screen.findByRole("button", { name: /Copied/ });
    expect(button, "the button itself says it worked, where the person is looking").toBeInTheDocument();
    expect(screen.getByRole("status", { name: "" })).toHaveTextContent("Password copied");
    expect(document.querySelector("[data-notice]"), "no notice elsewhere on the page").toBeNull();
  });

  it("shows, copies and resets the local API token like the password, with its own words", async () => {
    const backend = fakeBackend({ get_link_status: linkCard(), get_connection_status: connection(), get_api_token: "tok-aaaa-bbbb", reset_api_token: "tok-new-cccc" });
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText");
    render(ConnectScreen);
    const card = (await screen.findByRole("heading", { name: "Local API token" })).closest("section") as HTMLElement;
    expect(within(card).getAllByText((_, el) => el?.tagName === "SPAN" && el.textContent === "http://localhost:8080/api/v1")[0]).toBeInTheDocument();
    expect(screen.queryByText("tok-aaaa-bbbb"), "hidden until asked").not.toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Show token" }));
    expect(await within(card).findByText("tok-aaaa-bbbb")).toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Copy" }));
    expect(writeText).toHaveBeenCalledWith("tok-aaaa-bbbb");
    expect(within(card).getByRole("status")).toHaveTextContent("Token copied");
    expect(backend.called("get_qwc_password"), "the password stays hidden").toHaveLength(0);

    await user.click(within(card).getByRole("button", { name: "Reset token…" }));
    const dialog = screen.getByRole("dialog", { name: "Make a new token?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(backend.called("reset_api_token"), "Cancel must not reset").toHaveLength(0);
    await user.click(within(card).getByRole("button", { name: "Reset token…" }));
    await user.click(screen.getByRole("button", { name: "Make a new token" }));
    expect(await within(card).findByText("tok-new-cccc")).toBeInTheDocument();
    expect(backend.called("reset_api_token")).toHaveLength(1);
    expect(within(card).getByText(/give this one to every program that uses the local API/)).toBeInTheDocument();
  });

  it("draws the Web Connector row with the schedule the .qwc carries", async () => {
    fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] }, get_connection_status: connection({ schedule_minutes: 15 }) });
    render(ConnectScreen);
    const picture = await screen.findByRole("img", { name: /every 15 minutes/ });
    expect(within(picture).getByTestId("picture-every-min")).toHaveTextContent("15");
    expect(screen.getByText(/should already say/)).toHaveTextContent("Every_Min should already say 15");
  });

  it("lets paths and addresses wrap only after their separators", async () => {
    fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] }, get_connection_status: connection({ company_file: "C:\\Company Files\\Ecker HVAC.qbw" }) });
    render(ConnectScreen);
    const address = await screen.findByText((_, el) => el?.tagName === "DD" && el.textContent === "http://localhost:8080/qbwc");
    expect(address.innerHTML.replace(/<!---->/g, "")).toContain("http://<wbr>localhost:<wbr>8080/<wbr>qbwc");
  });

  it("resets the password only after confirmation, and says the Web Connector needs it", async () => {
    const backend = fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] }, get_connection_status: connection(), reset_qwc_password: "NEW-PASS" });
    const user = userEvent.setup();
    render(ConnectScreen);
    await user.click(screen.getByRole("button", { name: "Reset password…" }));
    const dialog = screen.getByRole("dialog", { name: "Make a new password?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(backend.called("reset_qwc_password"), "Cancel must not reset").toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Reset password…" }));
    await user.click(screen.getByRole("button", { name: "Make a new password" }));
    expect(await screen.findByText("NEW-PASS")).toBeInTheDocument();
    expect(backend.called("reset_qwc_password")).toHaveLength(1);
    expect(screen.getByText(/paste this one into the Web Connector/)).toBeInTheDocument();
  });

  it("downloads the .qwc: FieldBridge's save dialog first, then save_qwc with the chosen path", async () => {
    const backend = fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] },
      get_connection_status: connection(),
      choose_save_path: "C:\\Users\\me\\FieldBridge.qwc",
      save_qwc: null,
    });
    render(ConnectScreen);
    await userEvent.click(screen.getByRole("button", { name: "Download QWC file" }));
    await screen.findByText(/Saved C:\\Users\\me\\FieldBridge.qwc/);
    const order = backend.calls.map((c) => c.cmd).filter((c) => c === "choose_save_path" || c === "save_qwc");
    expect(order, "the dialog comes before the write").toEqual(["choose_save_path", "save_qwc"]);
    expect(backend.called("choose_save_path")[0]).toEqual({
      fileName: "FieldBridge.qwc",
      filterName: "Web Connector file",
      extensions: ["qwc"],
    });
    expect(backend.called("save_qwc")[0]).toEqual({ path: "C:\\Users\\me\\FieldBridge.qwc" });
  });

  it("writes nothing when the save dialog is cancelled", async () => {
    const backend = fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] }, get_connection_status: connection(), choose_save_path: null });
    render(ConnectScreen);
    await userEvent.click(screen.getByRole("button", { name: "Download QWC file" }));
    await waitFor(() => expect(backend.called("choose_save_path")).toHaveLength(1));
    expect(backend.called("save_qwc")).toHaveLength(0);
  });

  it("shows a failed .qwc write in plain words", async () => {
    fakeBackend({ get_link_status: linkCard(), run_doctor: { checks: [] },
      get_connection_status: connection(),
      choose_save_path: "C:\\x.qwc",
      save_qwc: ipcError("io", "FieldBridge could not write C:\\x.qwc: the folder is read-only."),
    });
    render(ConnectScreen);
    await userEvent.click(screen.getByRole("button", { name: "Download QWC file" }));
    expect(await screen.findByText(/the folder is read-only/)).toBeInTheDocument();
  });
});
