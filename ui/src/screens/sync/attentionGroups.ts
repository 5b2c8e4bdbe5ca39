/**
 * Attention grouped by cause: one card per thing a person must do, with the records it
 * holds up folded under it, and only the actions that work on it.
 *
 * `AttentionGroup` is the shape the Sync screen draws. The grouped list is being added on
 * the Rust side; until the window can ask for it, `groupAttention` builds the groups from
 * the flat `AttentionItem` list, conservatively: it offers an action only when the flat
 * item proves it works (Retry only when `retryable`; never Skip, since only a record
 * QuickBooks already has can be skipped and the flat item does not say whether it has).
 */
import type { AttentionItem, AttentionProblem, EditableField, MappingRole, RecordKind } from "../../lib/ipc";
import { ROLE } from "../../lib/labels";

/** A fix the card offers. Each is one button (or, for `rename`, the inline name box). */
export type AttentionActionKind =
  /** Put every record of the group back to pending (QuickBooks may take it now). */
  | "retry"
  /** Leave the records as QuickBooks has them (only for records QuickBooks already has). */
  | "skip"
  /** Give the record a QuickBooks-side name or number within QuickBooks' limit. */
  | "rename"
  /** The fix is on the Items and settings page (an item or payment method mapping). */
  | "open_items"
  /** Link the app customer to a QuickBooks customer (the Link dialog). */
  | "link_customer"
  /** Mark the app customer to be added to QuickBooks. */
  | "create_customer";

/** One record held up by a cause, with the records that in turn wait on it. */
export interface AttentionRecordRef {
  /** The attention id retry / skip / rename take. */
  attention_id: string;
  record_kind: RecordKind;
  record_id: string;
  record_label: string;
  /** Records that go once this one does (a payment under its invoice, say). */
  waiting: AttentionRecordRef[];
}

/** One cause and everything it holds up. */
export interface AttentionGroup {
  /** Stable key of the cause, e.g. "mapping:service_item" or "record:invoice:I-9". */
  cause: string;
  problem: AttentionProblem;
  /** What the card is about, e.g. "Invoice 10045 for Maple Dental" or "The service item". */
  title: string;
  /** What happened, plain English. */
  reason: string;
  /** What to do, or null when the button says it all. */
  advice: string | null;
  /** Every record this cause holds up, waiting ones included. */
  count: number;
  records: AttentionRecordRef[];
  /** The actions that work on this group, the main one first. */
  actions: AttentionActionKind[];
  qb_status_code: number | null;
  qb_status_message: string | null;
  /** For `link_customer` / `create_customer`. */
  app_customer_id: string | null;
  /** For `open_items`: the mapping to choose, when it is one. */
  mapping_role: MappingRole | null;
  /** For `rename` (single-record groups only). */
  field: EditableField | null;
  /** When the oldest record began waiting. */
  since: string;
}

function ref(item: AttentionItem): AttentionRecordRef {
  return {
    attention_id: item.id,
    record_kind: item.record_kind,
    record_id: item.record_id,
    record_label: item.record_label,
    waiting: [],
  };
}

function single(item: AttentionItem, actions: AttentionActionKind[]): AttentionGroup {
  return {
    cause: `record:${item.id}`,
    problem: item.problem,
    title: item.record_label,
    reason: item.reason,
    advice: item.advice,
    count: 1,
    records: [ref(item)],
    actions,
    qb_status_code: item.qb_status_code,
    qb_status_message: item.qb_status_message,
    app_customer_id: item.app_customer_id,
    mapping_role: item.mapping_role,
    field: item.field,
    since: item.since,
  };
}

/** Adds `item` to the group under `cause`, making the group from `make` the first time. */
function into(groups: Map<string, AttentionGroup>, cause: string, item: AttentionItem, make: () => AttentionGroup) {
  const group = groups.get(cause);
  if (!group) {
    groups.set(cause, { ...make(), cause });
    return;
  }
  group.records.push(ref(item));
  group.count += 1;
  if (item.since < group.since) group.since = item.since;
}

/**
 * Groups the flat list (oldest first) by cause: one card per missing mapping, one per
 * QuickBooks refusal shared by several records, one per record that needs its own decision
 * (pairing, rename), and the records that only wait on another folded into one card after
 * the causes. Order: the order in which each cause first appears.
 */
export function groupAttention(items: AttentionItem[]): AttentionGroup[] {
  const groups = new Map<string, AttentionGroup>();
  const waiting: AttentionItem[] = [];
  for (const item of items) {
    switch (item.problem) {
      case "needs_mapping": {
        const role = item.mapping_role;
        into(groups, `mapping:${role ?? "item"}`, item, () => ({
          ...single(item, ["open_items"]),
          title: role ? ROLE[role].label : "An item mapping",
          reason: item.reason,
        }));
        break;
      }
      case "failed": {
        const key = `failed:${item.retryable}:${item.qb_status_code ?? ""}:${item.qb_status_message ?? item.reason}`;
        // One record: its own card. Several refused alike: one card, titled by the refusal.
        into(groups, key, item, () => single(item, item.retryable ? ["retry"] : []));
        const group = groups.get(key)!;
        if (group.count === 2) {
          group.title = item.qb_status_message ?? item.reason;
          group.reason = "QuickBooks refused these records for the same reason.";
        }
        break;
      }
      case "needs_pairing":
        into(groups, `record:${item.id}`, item, () => single(item, item.app_customer_id ? ["link_customer", "create_customer"] : []));
        break;
      case "too_long":
        into(groups, `record:${item.id}`, item, () => single(item, item.field ? ["rename"] : []));
        break;
      case "waiting_on_parent":
        waiting.push(item);
        break;
    }
  }
  const list = [...groups.values()];
  if (waiting.length > 0) {
    const first = waiting[0];
    list.push({
      ...single(first, []),
      cause: "waiting",
      title: waiting.length === 1 ? first.record_label : `${waiting.length.toLocaleString()} records waiting on others`,
      reason:
        waiting.length === 1
          ? first.reason
          : "Each of these goes to QuickBooks by itself once the record it belongs to has gone.",
      advice: "Fix the cards above; nothing to do here.",
      count: waiting.length,
      records: waiting.map(ref),
      qb_status_code: null,
      qb_status_message: null,
      since: waiting.reduce((s, w) => (w.since < s ? w.since : s), first.since),
    });
  }
  return list;
}
