/**
 * The IPC contract between the window and the Rust side: every type here mirrors a Rust
 * struct or enum exactly as serde serialises it (snake_case field names, enums as the
 * lower-snake-case strings listed). Times are RFC 3339 strings with an offset (UTC from
 * Rust); dates are `YYYY-MM-DD`; money is a decimal string, never a float.
 *
 * `ui/src/lib/ipc/README.md` lists every command and event with these types.
 */

// ---------------------------------------------------------------- errors

/**
 * The one error every command can reject with. `message` is plain English for a person
 * (the record named, the next step given); the UI shows it and branches only on `code`.
 */
export interface IpcError {
  code: ErrorCode;
  message: string;
}

/** Codes the UI branches on. The Rust side may add codes; unknown ones are shown as-is. */
export type ErrorCode =
  /** The record, session or file named does not exist (any more). */
  | "not_found"
  /** An argument was rejected (e.g. a name longer than QuickBooks allows). */
  | "invalid_input"
  /** The change clashes with the current state (e.g. a QuickBooks customer already linked). */
  | "conflict"
  /** The store was busy (a sync is writing); trying again shortly works. */
  | "busy"
  /** QuickBooks' lists have never been read: the Web Connector must run once first. */
  | "quickbooks_not_read"
  /** A file could not be read or written. */
  | "io"
  /** An import file was rejected; the message says how many problems. */
  | "import_rejected"
  /** Anything else; the message still says what happened. */
  | "internal"
  | (string & {});

// ---------------------------------------------------------------- shared

/** The five kinds of field-service record (import-format.md). */
export type RecordKind = "customer" | "project" | "service_ticket" | "invoice" | "payment";

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

// ---------------------------------------------------------------- connect

/** green / amber / red in the window, always with `reason` in words next to it. */
export type ConnectionHealth = "good" | "warning" | "problem";

export interface ConnectionStatus {
  /** Where the Web Connector calls, e.g. "http://localhost:8080/qbwc". */
  endpoint_url: string;
  /** The endpoint is listening right now. */
  endpoint_running: boolean;
  /** The Web Connector has called at least once with the right password. */
  ever_contacted: boolean;
  /** The last call from the Web Connector (RFC 3339), or null if never. */
  last_contact: string | null;
  /** The QuickBooks company file this data folder is bound to, or null before the first sync. */
  company_file: string | null;
  health: ConnectionHealth;
  /** Why the health is what it is, in plain words, e.g. "Last sync 12 minutes ago went well." */
  reason: string;
  /** The user name written into the .qwc file. */
  user_name: string;
  /** The Web Connector schedule written into the .qwc file (RunEveryNMinutes). */
  schedule_minutes: number;
}

// ---------------------------------------------------------------- customers (pairing)

/** Where an app customer stands with QuickBooks. */
export type PairingState =
  /** Linked to a QuickBooks customer or job. */
  | "linked"
  /** FieldBridge found a likely QuickBooks match; a person confirms it. */
  | "suggested"
  /** Several or no good candidates, and settings say "ask first": a person decides. */
  | "needs_decision"
  /** Will be added to QuickBooks at the next sync. */
  | "will_create"
  /** Adding or updating it in QuickBooks failed; `problem` says why. */
  | "failed";

/** What the customer list is filtered to; "all" shows every state. */
export type CustomerFilter = "all" | PairingState;

/** One piece of evidence behind a suggestion. */
export type MatchField = "name" | "company_name" | "address" | "phone" | "email";

export interface MatchReason {
  field: MatchField;
  /** Plain words, e.g. "Same phone number (555) 201-3344". */
  detail: string;
}

/** "exact": every compared field agrees, safe to accept in bulk. */
export type MatchStrength = "exact" | "strong" | "weak";

export interface Suggestion {
  qb_list_id: string;
  qb_full_name: string;
  strength: MatchStrength;
  /** 0..=100, how strongly the fields agree. */
  score: number;
  reasons: MatchReason[];
}

export interface LinkedQbCustomer {
  list_id: string;
  /** "Customer" or "Customer:Job". */
  full_name: string;
  is_job: boolean;
}

export interface CustomerRow {
  /** The field-service app's own id (import `id`). */
  id: string;
  name: string;
  company_name: string | null;
  email: string | null;
  phone: string | null;
  billing_address: Address | null;
  state: PairingState;
  /** Set when `state` is "linked". */
  linked: LinkedQbCustomer | null;
  /** Set when `state` is "suggested" (and may be set for "needs_decision"). */
  suggestion: Suggestion | null;
  /** Plain-English reason, set when `state` is "failed" or "needs_decision". */
  problem: string | null;
}

export interface ListCustomersRequest {
  /** Free text matched against name, company, email, phone and address; "" for all. */
  query: string;
  filter: CustomerFilter;
  offset: number;
  limit: number;
}

export interface CustomerCounts {
  all: number;
  linked: number;
  suggested: number;
  needs_decision: number;
  will_create: number;
  failed: number;
}

export interface CustomerPage {
  rows: CustomerRow[];
  /** How many rows match query + filter in total (for the scroll height). */
  total: number;
  /** Counts per state for the whole list (ignoring filter, honouring query). */
  counts: CustomerCounts;
  /** Suggestions whose strength is "exact" (what "Accept all exact matches" would link). */
  exact_matches: number;
  /** When QuickBooks' customer list was last read (RFC 3339), or null if never. */
  qb_customers_read_at: string | null;
}

/** A QuickBooks customer or job, as last read from QuickBooks. */
export interface QbCustomer {
  list_id: string;
  /** "Customer" or "Customer:Job" (FullName). */
  full_name: string;
  name: string;
  company_name: string | null;
  is_job: boolean;
  bill_address_line1: string | null;
  bill_address_line2: string | null;
  ship_address_line1: string | null;
  phone: string | null;
  email: string | null;
  active: boolean;
  /** The app customer already linked to it, if any. */
  linked_app_customer_id: string | null;
}

export interface SearchQbCustomersRequest {
  query: string;
  /** Only QuickBooks customers that no app customer is linked to. */
  unlinked_only: boolean;
  offset: number;
  limit: number;
}

export interface QbCustomerPage {
  rows: QbCustomer[];
  total: number;
}

export interface AcceptMatchesResult {
  /** How many suggestions were accepted and are now linked. */
  linked: number;
}

export interface ImportQbCustomersResult {
  /** How many new app customers were made (already-linked ones are skipped). */
  created: number;
}

// ---------------------------------------------------------------- items and settings

export type MappingRole = "service_item" | "service_tax_item" | "project_item" | "project_tax_item";

export type QbItemType =
  | "service"
  | "non_inventory"
  | "other_charge"
  | "inventory"
  | "inventory_assembly"
  | "group"
  | "discount"
  | "payment"
  | "subtotal"
  | "sales_tax"
  | "sales_tax_group"
  | "fixed_asset";

export interface QbItem {
  list_id: string;
  full_name: string;
  item_type: QbItemType;
  active: boolean;
  /** Sales price, or tax rate for sales-tax items, as QuickBooks reports it (decimal string). */
  rate: string | null;
  /** The mappings this item can be chosen for (Rust's one rule, `ItemRole::accepts`). */
  roles: MappingRole[];
}

export interface QbAccount {
  list_id: string;
  full_name: string;
  /** QuickBooks AccountType, e.g. "Bank", "OtherCurrentAsset". Only depositable accounts are listed. */
  account_type: string;
}

export interface QbPaymentMethod {
  list_id: string;
  name: string;
}

/** QuickBooks' own lists that the Items page chooses from. */
export interface QbLists {
  /** False until the Web Connector has run once and FieldBridge read the lists. */
  ever_read: boolean;
  read_at: string | null;
  items: QbItem[];
  deposit_accounts: QbAccount[];
  payment_methods: QbPaymentMethod[];
}

/** Whether a mapping can be used, and if not, why. */
export type MappingStatus =
  | "valid"
  /** Nothing chosen yet. */
  | "not_set"
  /** The chosen item is no longer in QuickBooks. */
  | "missing"
  /** The chosen item is of a type this role cannot use. */
  | "wrong_type"
  /** The chosen item is inactive in QuickBooks. */
  | "inactive";

export interface ItemMapping {
  role: MappingRole;
  item_full_name: string | null;
  item_list_id: string | null;
  /** The chosen sales tax item's rate in percent (decimal string), or null. */
  rate: string | null;
  status: MappingStatus;
  /** Plain words when status is not "valid", e.g. "QuickBooks has no item named 'Labor'." */
  problem: string | null;
}

export type DepositTo =
  | { kind: "undeposited_funds" }
  | { kind: "account"; account_full_name: string };

export interface PaymentMethodMapping {
  /** The method name as the field app writes it, e.g. "Credit Card". */
  app_method: string;
  /** The QuickBooks payment method's name, or null to send none. */
  qb_method: string | null;
}

export type NewCustomerPolicy = "create_automatically" | "ask_first";

export interface Settings {
  deposit_to: DepositTo;
  /** Every payment method seen in the app's payments, with its mapping. */
  payment_methods: PaymentMethodMapping[];
  /** Invoices dated before this are never sent (YYYY-MM-DD), or null for all. */
  invoice_start_date: string | null;
  /** Send service tickets to QuickBooks as estimates. */
  estimates_for_tickets: boolean;
  new_customers: NewCustomerPolicy;
  /** Send changes to customers already in QuickBooks. */
  update_qb_customers: boolean;
  /** The Web Connector's RunEveryNMinutes, written into the .qwc file. */
  schedule_minutes: number;
}

export interface SettingsSaved {
  settings: Settings;
  /** The .qwc file changed (the schedule): the Web Connector needs the new one. */
  qwc_changed: boolean;
}

// ---------------------------------------------------------------- sync

export type SyncPhase =
  | "starting"
  | "reading_company"
  | "reading_lists"
  | "customers"
  | "jobs"
  | "estimates"
  | "invoices"
  | "payments"
  | "checking"
  | "finishing";

export type SyncRunState = "running" | "finished" | "failed";

/** Payload of the `sync-progress` event and part of `get_sync_status`. */
export interface SyncProgress {
  session_id: number;
  state: SyncRunState;
  phase: SyncPhase;
  /** 0..=100, the honest percent also told to the Web Connector. */
  percent: number;
  /** Records finished in this session so far. */
  done: number;
  /** Records this session knows it has to do (may grow while it runs). */
  total: number;
  started_at: string;
  company_file: string | null;
  /** Plain words when state is "failed". */
  problem: string | null;
}

export interface StateCounts {
  pending: number;
  synced: number;
  failed: number;
  needs_attention: number;
  /** Of needs_attention: customers waiting for a person to choose the QuickBooks customer. */
  needs_decision: number;
  /** Of needs_attention: records waiting for the record they belong to. */
  waiting_on_parent: number;
}

/** Same shape as `fieldbridge status --json`'s `records`. */
export interface RecordCounts {
  customers: StateCounts;
  projects: StateCounts;
  service_tickets: StateCounts;
  invoices: StateCounts;
  payments: StateCounts;
}

export interface SyncStatus {
  /** The session in progress, or null. */
  current: SyncProgress | null;
  /** The last session that ended, or null if none ever did. */
  last_session: SessionSummary | null;
  records: RecordCounts;
}

/** Why a record waits for a person. Decides which fix the UI offers. */
export type AttentionProblem =
  /** An app customer needs linking to a QuickBooks customer (or creating). Fix: link. */
  | "needs_pairing"
  /** An item mapping is missing or invalid. Fix: choose the item on the Items page. */
  | "needs_mapping"
  /** A name or number is longer than QuickBooks allows. Fix: rename inline. */
  | "too_long"
  /** QuickBooks refused it. Fix: retry (when retryable) or skip. */
  | "failed"
  /** Waits for a parent record that failed; fixed by fixing the parent. */
  | "waiting_on_parent";

export interface EditableField {
  /** Field name as the Rust side knows it, e.g. "name", "number". */
  name: string;
  /** Label for people, e.g. "Customer name". */
  label: string;
  value: string;
  /** QuickBooks' limit, e.g. 41 for a customer Name, 11 for a RefNumber. */
  max_length: number;
}

export interface AttentionItem {
  /** Stable id of this attention entry (used by retry/skip/rename). */
  id: string;
  record_kind: RecordKind;
  record_id: string;
  /** What a person calls the record, e.g. "Invoice 10045 for Ecker Designs". */
  record_label: string;
  problem: AttentionProblem;
  /** What happened, plain English. */
  reason: string;
  /** What to do next, plain English, or null when the action button says it all. */
  advice: string | null;
  /** QuickBooks' statusCode, when QuickBooks said something. */
  qb_status_code: number | null;
  /** QuickBooks' statusMessage, shown under the plain text. */
  qb_status_message: string | null;
  /** For "needs_pairing": the app customer to link. */
  app_customer_id: string | null;
  /** For "needs_mapping": which mapping to fix. */
  mapping_role: MappingRole | null;
  /** For "too_long": the field to rename. */
  field: EditableField | null;
  /** For "failed": whether retrying can help (see qbwc-notes status table). */
  retryable: boolean;
  since: string;
}

// ---------------------------------------------------------------- history

export type SessionOutcome = "ok" | "errors" | "failed" | "running" | "interrupted";

/** Same fields as `fieldbridge history --json`, plus `problem`. */
export interface SessionSummary {
  id: number;
  started_at: string;
  finished_at: string | null;
  company_file: string | null;
  outcome: SessionOutcome;
  requests: number;
  created: number;
  updated: number;
  failed: number;
  /** Plain words when outcome is "failed" (the session itself failed). */
  problem: string | null;
}

export interface SessionPage {
  rows: SessionSummary[];
  total: number;
}

export type RecordResult =
  | "created"
  | "updated"
  | "linked"
  | "read"
  | "failed"
  | "skipped"
  | "tax_difference";

export interface RecordOutcome {
  record_kind: RecordKind;
  record_id: string;
  record_label: string;
  result: RecordResult;
  /** Plain English: what happened and, on failure, what to do. */
  message: string;
  qb_status_code: number | null;
  qb_status_message: string | null;
  /** ListID or TxnID in QuickBooks, when known. */
  qb_id: string | null;
  at: string;
}

export interface SessionDetail {
  session: SessionSummary;
  records: RecordOutcome[];
}

export interface ExportResult {
  /** Data rows written (not counting the header). */
  rows: number;
}

// ---------------------------------------------------------------- import

export interface KindCounts {
  customers: number;
  projects: number;
  service_tickets: number;
  invoices: number;
  payments: number;
}

export interface ImportFileResult {
  path: string;
  /** Each file is all or nothing: true when it was stored whole. */
  imported: boolean;
  /** New records, by kind (zero when not imported). */
  created: KindCounts;
  /** Existing records changed, by kind. */
  updated: KindCounts;
  /**
   * Every problem found (at least the first 50), each naming the record, the field and
   * what is wrong, e.g. `invoices[3] (id I-12): date "2026-13-01" is not a date (YYYY-MM-DD)`.
   */
  problems: string[];
  /** How many problems there were in all (may exceed problems.length). */
  problem_count: number;
}

export interface ImportReport {
  files: ImportFileResult[];
}

// ---------------------------------------------------------------- events

/** Event names and their payloads. */
export interface EventPayloads {
  /** The Web Connector called, the endpoint started or stopped, or the company file changed. */
  "connection-changed": null;
  /** A session started, moved on, or ended. */
  "sync-progress": SyncProgress;
  /** The set of records needing attention changed. */
  "attention-changed": null;
  /** Customers or their pairing changed (import, sync, another window). */
  "customers-changed": null;
}

export type EventName = keyof EventPayloads;
