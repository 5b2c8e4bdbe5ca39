/**
 * Attention as cards: one card per cause, the records it holds up folded under it, and on
 * each card and record only the actions that work.
 *
 * `AttentionCard` mirrors the Rust side's `list_attention_cards` (office/attention/cards.rs,
 * serde's JSON exactly). Until the window's IPC layer offers that command, `cardsFromItems`
 * builds the same shape from the flat `list_attention`, conservatively: it offers an action
 * only when the flat item proves it works (Retry only when `retryable`; never Skip, which
 * works only for records QuickBooks already has, and the flat item does not say that).
 */
import type { AttentionItem, EditableField, MappingRole, RecordKind } from "../../lib/ipc";

export type CardCause =
  | "needs_decision"
  | "needs_mapping"
  | "missing_item"
  | "missing_payment_setup"
  | "settings"
  | "too_long"
  | "quick_books_refused"
  | "waiting_on_parent"
  | "tax_difference"
  | "other";

/** A button, with what it acts on (serde `tag = "action"`). */
export type CardAction =
  /** Link this customer to a QuickBooks customer, or create it there. */
  | { action: "open_customer"; customer_id: string }
  /** The fix is on the Items page (this role's mapping, when there is one). */
  | { action: "open_items"; role: MappingRole | null }
  | { action: "open_settings" }
  | { action: "retry"; attention_ids: string[] }
  /** Only offered for a record QuickBooks already has. */
  | { action: "skip"; attention_id: string }
  | { action: "rename"; attention_id: string; field: EditableField }
  | { action: "dismiss"; card_id: string };

export type CardActionKind = CardAction["action"];

/** A record on a card, with what can be done to it alone. */
export type CardRecord = AttentionItem & { actions: CardAction[] };

/** A record that only waits for another (it goes once that one has gone). */
export interface WaitingRecord {
  id: string;
  record_kind: RecordKind;
  record_id: string;
  record_label: string;
  /** The attention id of the record it waits for ("" when not known). */
  waits_for: string;
}

export interface TaxDifferenceView {
  invoice_id: string;
  invoice_label: string;
  /** What the field-service app expected (decimal string). */
  expected: string;
  /** QuickBooks' SalesTaxTotal (decimal string). */
  quickbooks: string;
}

export interface AttentionCard {
  /** Stable while the cause lasts: `decision:C-1`, `mapping:service_item`, `tax:I-9`... */
  id: string;
  cause: CardCause;
  /** What happened, plain English. */
  title: string;
  /** What to do, plain English. */
  advice: string | null;
  /** Every record the card stands for: its own and the waiting ones. */
  count: number;
  records: CardRecord[];
  waiting: WaitingRecord[];
  /** The card's own button(s). */
  actions: CardAction[];
  tax: TaxDifferenceView | null;
  since: string;
}

/** The card a flat item belongs on, its cause, and what can be done to the record alone. */
function placeOf(item: AttentionItem): { key: string; cause: CardCause; actions: CardAction[] } {
  switch (item.problem) {
    case "needs_pairing":
      return { key: `decision:${item.record_id}`, cause: "needs_decision", actions: [] };
    case "needs_mapping":
      return { key: `mapping:${item.mapping_role ?? "item"}`, cause: "needs_mapping", actions: [] };
    case "too_long":
      return {
        key: `record:${item.id}`,
        cause: "too_long",
        actions: item.field ? [{ action: "rename", attention_id: item.id, field: item.field }] : [],
      };
    default: {
      const retry: CardAction[] = item.retryable ? [{ action: "retry", attention_ids: [item.id] }] : [];
      if (item.qb_status_code !== null) {
        return { key: `quickbooks:${item.qb_status_code}`, cause: "quick_books_refused", actions: retry };
      }
      // FieldBridge's own stops: the same advice is the same cause (one missing payment
      // method stops every payment that uses it).
      return { key: item.advice ? `advice:${item.advice}` : `record:${item.id}`, cause: "other", actions: retry };
    }
  }
}

/** The card's own buttons, from its cause and its records (as the Rust side decides them). */
function cardActions(card: AttentionCard): CardAction[] {
  const first = card.records[0];
  switch (card.cause) {
    case "needs_decision":
      return first.app_customer_id ? [{ action: "open_customer", customer_id: first.app_customer_id }] : [];
    case "needs_mapping":
      return [{ action: "open_items", role: first.mapping_role }];
    case "quick_books_refused":
    case "other": {
      const ids = card.records.filter((r) => r.actions.some((a) => a.action === "retry")).map((r) => r.id);
      const actions: CardAction[] = ids.length > 1 ? [{ action: "retry", attention_ids: ids }] : [];
      // The fix is a mapping on the Items page when the advice says so: the button goes there.
      if (card.advice?.includes("Items page")) actions.unshift({ action: "open_items", role: null });
      return actions;
    }
    default:
      return [];
  }
}

/**
 * Cards from the flat list (oldest first): one per missing mapping, per QuickBooks status
 * code, per customer decision and per rename; the records that only wait on another
 * folded into one card after them (the flat list does not say which record they wait for).
 */
export function cardsFromItems(items: AttentionItem[]): AttentionCard[] {
  const cards = new Map<string, AttentionCard>();
  const waiting: AttentionItem[] = [];
  for (const item of items) {
    if (item.problem === "waiting_on_parent") {
      waiting.push(item);
      continue;
    }
    const { key, cause, actions } = placeOf(item);
    let card = cards.get(key);
    if (!card) {
      card = { id: key, cause, title: item.reason, advice: item.advice, count: 0, records: [], waiting: [], actions: [], tax: null, since: item.since };
      cards.set(key, card);
    }
    card.count += 1;
    card.records.push({ ...item, actions });
  }
  const list = [...cards.values()];
  for (const card of list) {
    if (card.records.length > 1 && card.records.some((r) => r.reason !== card.title)) {
      card.title = `${card.records.length} records: ${card.title}`;
    }
    card.actions = cardActions(card);
  }
  if (waiting.length > 0) {
    list.push({
      id: "waiting",
      cause: "waiting_on_parent",
      title: "These records wait for others that are not in QuickBooks yet.",
      advice: "Nothing to do here: each goes after the record it belongs to.",
      count: waiting.length,
      records: [],
      waiting: waiting.map((w) => ({ id: w.id, record_kind: w.record_kind, record_id: w.record_id, record_label: w.record_label, waits_for: "" })),
      actions: [],
      tax: null,
      since: waiting[0].since,
    });
  }
  return list;
}
