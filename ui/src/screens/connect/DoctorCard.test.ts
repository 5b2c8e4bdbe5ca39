import { describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import DoctorCard from "./DoctorCard.svelte";
import { fakeBackend, ipcError, pending } from "../../test/backend";
import type { DoctorReport } from "../../lib/ipc";

const report = (over: Partial<DoctorReport> = {}): DoctorReport => ({
  checks: [
    { name: "web-connector", status: "ok", detail: "the Web Connector is installed (QBWebConnector folder)", fix: null },
    {
      name: "localhost-ipv6",
      status: "warn",
      detail: "[::1] cannot be reached on this PC (address not available)",
      fix: "if the Web Connector cannot connect, turn IPv6 loopback back on",
    },
    {
      name: "port",
      status: "fail",
      detail: "port 8711 is taken by another program",
      fix: "choose a free port with `fieldbridge settings set port N` and re-add the .qwc file to the Web Connector",
    },
  ],
  ...over,
});

describe("Doctor panel on the Connect page", () => {
  it("runs the doctor's checks and shows each as OK, Check or Problem with what to do", async () => {
    const b = fakeBackend({ run_doctor: report() });
    render(DoctorCard);
    expect(screen.getByRole("status")).toHaveTextContent("Checking this computer");
    expect(await screen.findByTestId("doctor-summary")).toHaveTextContent("2 things need a look.");
    const ok = screen.getByTestId("doctor-web-connector");
    expect(within(ok).getByText("OK")).toBeInTheDocument();
    expect(within(ok).getByText("Web Connector installed")).toBeInTheDocument();
    expect(ok, "no advice when all is well").not.toHaveTextContent("What to do");
    const warn = screen.getByTestId("doctor-localhost-ipv6");
    expect(within(warn).getByText("Check")).toBeInTheDocument();
    const fail = screen.getByTestId("doctor-port");
    expect(within(fail).getByText("Problem")).toBeInTheDocument();
    expect(fail).toHaveTextContent("port 8711 is taken by another program");
    expect(fail).toHaveTextContent("What to do: choose a free port");
    expect(b.called("run_doctor"), "the same operation as `fieldbridge doctor --json`").toHaveLength(1);
  });

  it("runs the checks again on request and shows the new answer", async () => {
    let answer = report();
    const b = fakeBackend({ run_doctor: () => answer });
    render(DoctorCard);
    await screen.findByTestId("doctor-port");
    answer = report({ checks: [{ name: "port", status: "ok", detail: "port 8711 is FieldBridge's", fix: null }] });
    await userEvent.setup().click(screen.getByRole("button", { name: "Check again" }));
    await waitFor(() => expect(b.called("run_doctor")).toHaveLength(2));
    expect(await screen.findByText("Everything checked is fine.")).toBeInTheDocument();
    expect(within(screen.getByTestId("doctor-port")).getByText("OK")).toBeInTheDocument();
  });

  it("says in words when the checks could not run, and offers to try again", async () => {
    fakeBackend({ run_doctor: ipcError("internal", "FieldBridge stopped this request unexpectedly. Try again.") });
    render(DoctorCard);
    expect(await screen.findByRole("alert")).toHaveTextContent("stopped this request unexpectedly");
  });

  it("keeps the button busy while the checks run", () => {
    fakeBackend({ run_doctor: pending });
    render(DoctorCard);
    expect(screen.getByRole("button", { name: "Check again" })).toBeDisabled();
  });
});
