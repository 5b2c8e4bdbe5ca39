import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import AttentionCard from "./AttentionCard.svelte";
import { attention } from "../../test/fixtures";
import type { AttentionCard as Card } from "../../lib/ipc";

/** Cards shaped as the Rust side's list_attention_cards serialises them. */
const refused: Card = {
  id: "quickbooks:3175",
  cause: "quick_books_refused",
  title: "2 records: QuickBooks was busy and could not save the payment.",
  advice: "Retry: this usually works at the next sync.",
  count: 3,
  records: [
    { ...attention({ id: "payment:P-1", record_label: "Payment 1" }), actions: [{ action: "retry", attention_ids: ["payment:P-1"] }, { action: "skip", attention_id: "payment:P-1" }] },
    { ...attention({ id: "payment:P-2", record_label: "Payment 2" }), actions: [{ action: "retry", attention_ids: ["payment:P-2"] }] },
  ],
  waiting: [{ id: "payment:P-9", record_kind: "payment", record_id: "P-9", record_label: "Payment 9", waits_for: "payment:P-2" }],
  actions: [{ action: "retry", attention_ids: ["payment:P-1", "payment:P-2"] }],
  tax: null,
  since: "2026-11-21T10:00:00Z",
};

const tax: Card = {
  id: "tax:I-9",
  cause: "tax_difference",
  title: "QuickBooks created Invoice 10045 with sales tax of 6.08, but your field-service app expected 0.00.",
  advice: "Check the sales tax item (and its rate) on the Items page, and the customer's sales tax code in QuickBooks.",
  count: 1,
  records: [],
  waiting: [],
  actions: [{ action: "open_items", role: null }, { action: "dismiss", card_id: "tax:I-9" }],
  tax: { invoice_id: "I-9", invoice_label: "Invoice 10045", expected: "0.00", quickbooks: "6.08" },
  since: "2026-11-21T10:00:00Z",
};

function show(card: Card, over: Record<string, unknown> = {}) {
  const props = { card, busy: false, error: undefined, onact: vi.fn(), onlink: vi.fn(), oncreate: vi.fn(), onopenitems: vi.fn(), ...over };
  render(AttentionCard, props);
  return props;
}

describe("AttentionCard", () => {
  it("acts on the whole cause with one button, and on each folded record alone", async () => {
    const props = show(refused);
    const user = userEvent.setup();
    const card = screen.getByRole("listitem", { name: refused.title });
    await user.click(within(card).getByRole("button", { name: "Retry all 2" }));
    expect(props.onact).toHaveBeenLastCalledWith(refused.actions[0]);
    await user.click(within(card).getByText("Show the 3 records"));
    expect(within(card).getByText("waits for Payment 2")).toBeVisible();
    const skips = within(card).getAllByRole("button", { name: "Skip this record" });
    expect(skips, "skip only where the Rust side says it works").toHaveLength(1);
    await user.click(skips[0]);
    expect(props.onact).toHaveBeenLastCalledWith({ action: "skip", attention_id: "payment:P-1" });
  });

  it("shows both tax amounts as money, sends the person to Items, and dismisses", async () => {
    const props = show(tax);
    const card = screen.getByRole("listitem");
    expect(card).toHaveTextContent("Sales tax your field-service app expected$0.00");
    expect(card).toHaveTextContent("Sales tax QuickBooks put on Invoice 10045$6.08");
    await userEvent.click(within(card).getByRole("button", { name: "Go to the Items page" }));
    expect(props.onopenitems).toHaveBeenCalled();
    await userEvent.click(within(card).getByRole("button", { name: "Dismiss" }));
    expect(props.onact).toHaveBeenLastCalledWith({ action: "dismiss", card_id: "tax:I-9" });
  });
});
