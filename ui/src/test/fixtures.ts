/** Contract-shaped sample values for component tests. */
import type {
  AttentionCard,
  AttentionItem,
  CardAction,
  SafeStart,
  ConnectionStatus,
  CustomerPage,
  CustomerRow,
  ItemMapping,
  LinkCard,
  LinkStatus,
  QbCustomer,
  QbLists,
  RecordCounts,
  SessionDetail,
  SessionSummary,
  Settings,
  SyncStatus,
  VendorRow,
} from "../lib/ipc";

export const connection = (over: Partial<ConnectionStatus> = {}): ConnectionStatus => ({
  endpoint_url: "http://localhost:8080/qbwc",
  endpoint_running: true,
  ever_contacted: true,
  last_contact: new Date(Date.now() - 5 * 60_000).toISOString(),
  company_file: "C:\\Company Files\\Ecker HVAC.qbw",
  health: "good",
  reason: "The last sync went well.",
  user_name: "fieldbridge",
  schedule_minutes: 30,
  ...over,
});

/** The platform link card: off and never set up unless `over` says otherwise. */
export const linkCard = (over: Partial<LinkStatus> = {}, key: Partial<Omit<LinkCard, "status">> = {}): LinkCard => ({
  status: {
    url: null,
    enabled: false,
    state: "off",
    last_poll_at: null,
    last_delivery_at: null,
    last_problem: null,
    changes_cursor: null,
    events_pending: 0,
    interval_s: 60,
    ...over,
  },
  key_stored: false,
  key_ending: null,
  ...key,
});

export const customer = (over: Partial<CustomerRow> = {}): CustomerRow => ({
  id: "C-1",
  name: "Ecker Designs",
  company_name: "Ecker Designs LLC",
  email: "jane@ecker.example",
  phone: "(555) 201-3344",
  billing_address: { line1: "12 Mill Rd", line2: "Suite 4", city: "Storrs", state: "CT", postal_code: "06268", country: "US" },
  state: "needs_decision",
  linked: null,
  suggestion: null,
  problem: "Two QuickBooks customers look like this one.",
  quickbooks_note: null,
  ...over,
});

/** A vendor waiting for a person: a near match in QuickBooks, not created until someone decides. */
export const vendor = (over: Partial<VendorRow> = {}): VendorRow => ({
  id: "V-3",
  name: "Hilltop Lumber",
  state: "needs_attention",
  pairing_state: "needs_decision",
  qb_list_id: null,
  qb_name: null,
  how: null,
  problem: 'Vendor "Hilltop Lumber" (V-3) may already be in QuickBooks as "Hill Top Lumber" (a similar name), but FieldBridge is not sure.',
  suggestions: [
    { list_id: "80-2", name: "Hill Top Lumber", score: 85 },
    { list_id: "80-3", name: "Hilltop Lumber Yard", score: 60 },
  ],
  ...over,
});

export const page = (rows: CustomerRow[], over: Partial<CustomerPage> = {}): CustomerPage => ({
  rows,
  total: rows.length,
  counts: { all: rows.length, linked: 0, suggested: 0, needs_decision: rows.length, will_create: 0, failed: 0 },
  exact_matches: 0,
  qb_customers_read_at: "2026-11-21T10:00:00Z",
  ...over,
});

export const qbCustomer = (over: Partial<QbCustomer> = {}): QbCustomer => ({
  list_id: "QB-1",
  full_name: "Ecker Designs LLC",
  name: "Ecker Designs LLC",
  company_name: "Ecker Designs LLC",
  is_job: false,
  bill_address_line1: "12 Mill Rd",
  bill_address_line2: "Suite 4",
  ship_address_line1: "40 Depot St",
  phone: null,
  email: null,
  active: true,
  linked_app_customer_id: null,
  ...over,
});

export const qbLists = (over: Partial<QbLists> = {}): QbLists => ({
  ever_read: true,
  read_at: "2026-11-21T10:00:00Z",
  items: [
    { list_id: "I1", full_name: "Labor", roles: ["service_item", "project_item"], item_type: "service", active: true, rate: "95.00" },
    { list_id: "I2", full_name: "Parts", roles: ["service_item", "project_item"], item_type: "non_inventory", active: true, rate: null },
    { list_id: "I3", full_name: "Furnace", roles: ["service_item", "project_item"], item_type: "inventory", active: true, rate: null },
    { list_id: "I4", full_name: "CT Sales Tax", roles: ["service_tax_item", "project_tax_item"], item_type: "sales_tax", active: true, rate: "6.35" },
    { list_id: "I5", full_name: "Old Labor", roles: ["service_item", "project_item"], item_type: "service", active: false, rate: null },
  ],
  deposit_accounts: [{ list_id: "A1", full_name: "Checking", account_type: "Bank" }],
  payment_methods: [{ list_id: "P1", name: "Visa" }],
  ...over,
});

export const mappings = (): ItemMapping[] => [
  { role: "service_item", item_full_name: "Labor", item_list_id: "I1", rate: null, status: "valid", problem: null },
  { role: "service_tax_item", item_full_name: "CT Sales Tax", item_list_id: "I4", rate: null, status: "valid", problem: null },
  { role: "project_item", item_full_name: "Old Labor", item_list_id: "I5", rate: null, status: "inactive", problem: "'Old Labor' is inactive in QuickBooks." },
  { role: "project_tax_item", item_full_name: null, item_list_id: null, rate: null, status: "not_set", problem: null },
];

export const settings = (over: Partial<Settings> = {}): Settings => ({
  deposit_to: { kind: "undeposited_funds" },
  payment_methods: [{ app_method: "Credit Card", qb_method: null }],
  invoice_start_date: null,
  estimates_for_tickets: true,
  new_customers: "ask_first",
  update_qb_customers: false,
  schedule_minutes: 30,
  port: 8711,
  start_at_login: true,
  ...over,
});

const zero = { pending: 0, synced: 0, failed: 0, needs_attention: 0, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 };
export const records = (): RecordCounts => ({
  customers: { ...zero, synced: 10 },
  projects: zero,
  service_tickets: zero,
  invoices: { ...zero, failed: 1 },
  payments: zero,
  vendors: zero,
  expenses: zero,
});

export const session = (over: Partial<SessionSummary> = {}): SessionSummary => ({
  id: 7,
  started_at: "2026-11-21T10:00:00Z",
  finished_at: "2026-11-21T10:02:05Z",
  company_file: "C:\\Company Files\\Ecker HVAC.qbw",
  outcome: "errors",
  requests: 12,
  created: 5,
  updated: 2,
  failed: 1,
  problem: null,
  ...over,
});

export const syncStatus = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  current: null,
  last_session: session(),
  records: records(),
  ...over,
});

export const attention = (over: Partial<AttentionItem> = {}): AttentionItem => ({
  id: "A-1",
  record_kind: "payment",
  record_id: "PAY-3",
  record_label: "Payment of $194.13 from Harbor Bakery",
  problem: "failed",
  reason: "QuickBooks was busy and could not save the payment.",
  advice: "Retry: this usually works at the next sync.",
  qb_status_code: 3175,
  qb_status_message: "The record is in use by another user.",
  app_customer_id: null,
  mapping_role: null,
  field: null,
  retryable: true,
  since: "2026-11-21T10:00:00Z",
  ...over,
});

/** A card about one record (as `list_attention_cards` answers), with its own buttons. */
export const card = (item: Partial<AttentionItem> = {}, actions: CardAction[] = [], over: Partial<AttentionCard> = {}): AttentionCard => {
  const a = attention(item);
  return {
    id: `record:${a.id}`,
    cause: "quick_books_refused",
    title: a.reason,
    advice: a.advice,
    count: 1,
    records: [{ ...a, actions }],
    waiting: [],
    actions: [],
    tax: null,
    since: a.since,
    ...over,
  };
};

/** A sales tax difference card, as the Rust side builds it. */
export const taxCard = (over: Partial<AttentionCard> = {}): AttentionCard => ({
  id: "tax:I-9",
  cause: "tax_difference",
  title: "QuickBooks created Invoice 10045 for Greenfield Elementary with sales tax of $6.08, but your field-service app expected $0.00.",
  advice: "Check the sales tax item (and its rate) on the Items page, and the customer's sales tax code in QuickBooks: a tax-exempt customer needs a non-taxable code. Then correct the invoice in QuickBooks if needed, and dismiss this.",
  count: 1,
  records: [],
  waiting: [],
  actions: [{ action: "open_items", role: null }, { action: "dismiss", card_id: "tax:I-9" }],
  tax: { invoice_id: "I-9", invoice_label: "Invoice 10045 for Greenfield Elementary", expected: "0.00", quickbooks: "6.08" },
  since: "2026-11-21T10:00:00Z",
  ...over,
});

/** The safe start with sends going and nothing to preview, unless `over` says otherwise. */
export const safeStart = (over: Partial<SafeStart> = {}): SafeStart => ({
  hold: { held: false, held_by: null, reason: null },
  kinds: (["customer", "project", "service_ticket", "invoice", "payment"] as const).map((kind) => ({ kind, add: 0, change: 0, link: 0, held: 0, held_because: [] })),
  records: [],
  refused: null,
  ...over,
});

export const sessionDetail = (): SessionDetail => ({
  session: session(),
  records: [
    { record_kind: "customer", record_id: "C-1", record_label: "Ecker Designs", result: "created", message: "Added to QuickBooks.", qb_status_code: 0, qb_status_message: "Status OK", qb_id: "8000-1", at: "2026-11-21T10:01:00Z" },
    { record_kind: "invoice", record_id: "I-12", record_label: "Invoice 10046", result: "failed", message: "QuickBooks has no item named 'Labor'. Choose the service item on the Items page.", qb_status_code: 3140, qb_status_message: "There is an invalid reference to QuickBooks Item \"Labor\".", qb_id: null, at: "2026-11-21T10:01:30Z" },
  ],
});
