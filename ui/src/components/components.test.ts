import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import DialogHarness from "./__fixtures__/DialogHarness.svelte";
import TableHarness from "./__fixtures__/TableHarness.svelte";
import ProgressBar from "./ProgressBar.svelte";
import StatusChip from "./StatusChip.svelte";
import Notice from "./Notice.svelte";
import Breakable from "./Breakable.svelte";
import { GOOD_NOTICE_MS } from "./types";

describe("Dialog", () => {
  it("takes focus, keeps Tab inside, closes on Escape and gives focus back", async () => {
    const user = userEvent.setup();
    render(DialogHarness);
    const opener = screen.getByRole("button", { name: "Open" });
    await user.click(opener);
    const dialog = screen.getByRole("dialog", { name: "Test dialog" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    await vi.waitFor(() => expect(within(dialog).getByRole("button", { name: "Close" })).toHaveFocus());
    within(dialog).getByRole("button", { name: "Last button" }).focus();
    await user.tab();
    expect(within(dialog).getByRole("button", { name: "Close" }), "Tab wraps to the first control").toHaveFocus();
    await user.tab({ shift: true });
    expect(within(dialog).getByRole("button", { name: "Last button" }), "Shift+Tab wraps to the last").toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(opener, "focus returns to what opened it").toHaveFocus();
  });
});

describe("Table", () => {
  it("renders only the rows in view and follows the scroll", async () => {
    const onrange = vi.fn();
    render(TableHarness, { rowCount: 50_000, loaded: () => true, onrange });
    const table = screen.getByRole("table", { name: "Things" });
    expect(table).toHaveAttribute("aria-rowcount", "50001");
    expect(within(table).getByText("Row 0")).toBeInTheDocument();
    const rendered = within(table).getAllByRole("row").length;
    expect(rendered, "a screenful plus a margin, not 50,000").toBeLessThan(40);
    expect(onrange).toHaveBeenLastCalledWith(0, expect.any(Number));

    const body = within(table).getAllByRole("rowgroup")[1];
    body.scrollTop = 40 * 20_000;
    await fireEvent.scroll(body);
    expect(within(table).queryByText("Row 0"), "rows scrolled away leave the DOM").not.toBeInTheDocument();
    expect(within(table).getByText("Row 20000")).toBeInTheDocument();
    expect(within(table).getByText("Row 20000").closest('[role="row"]')).toHaveAttribute("aria-rowindex", "20002");
    expect(onrange).toHaveBeenLastCalledWith(20_000 - 8, expect.any(Number));
  });

  it("shows a placeholder for rows not loaded yet", () => {
    render(TableHarness, { rowCount: 10, loaded: (i) => i < 5, onrange: () => {} });
    expect(screen.getByText("Row 4")).toBeInTheDocument();
    expect(screen.getAllByText("Loading…")).toHaveLength(5);
  });
});

describe("status, never colour alone", () => {
  it("a chip carries its meaning in text", () => {
    render(StatusChip, { tone: "bad", label: "Sync failed" });
    expect(screen.getByText("Sync failed")).toBeInTheDocument();
  });

  it("a progress bar says its value to assistive technology, clamped to 0..100", () => {
    render(ProgressBar, { value: 140, label: "Sending invoices", detail: "5 of 5 records" });
    const bar = screen.getByRole("progressbar", { name: "Sending invoices" });
    expect(bar).toHaveAttribute("aria-valuenow", "100");
    expect(bar).toHaveAttribute("aria-valuetext", "100%, 5 of 5 records");
  });
});

describe("Notice", () => {
  it("floats, goes away by itself when good, and stays when bad", () => {
    vi.useFakeTimers();
    try {
      const good = vi.fn();
      const bad = vi.fn();
      render(Notice, { tone: "good", text: "Saved.", ondismiss: good });
      render(Notice, { tone: "bad", text: "Could not save.", ondismiss: bad });
      expect(screen.getByRole("status")).toHaveTextContent("Saved.");
      expect(screen.getByRole("alert")).toHaveTextContent("Could not save.");
      vi.advanceTimersByTime(GOOD_NOTICE_MS + 1);
      expect(good).toHaveBeenCalledTimes(1);
      expect(bad, "a problem stays until the person dismisses it").not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("Breakable", () => {
  it("offers a line break after each separator and nowhere inside a word", () => {
    const { container } = render(Breakable, { text: "C:\\Company Files\\Ecker HVAC.qbw" });
    const span = container.querySelector("span")!;
    expect(span.textContent).toBe("C:\\Company Files\\Ecker HVAC.qbw");
    expect(span.innerHTML.replace(/<!---->/g, "")).toBe("C:\\<wbr>Company Files\\<wbr>Ecker HVAC.<wbr>qbw");
  });
});
