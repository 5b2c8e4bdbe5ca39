// Generated from the Rust types by src-tauri/src/desktop/ipc_types.rs: do not edit.
// Regenerate: FIELDBRIDGE_WRITE_IPC=1 cargo test -p fieldbridge --lib desktop::ipc_types

export type AcceptMatchesResult = { linked: number, };

export type Address = { line1: string | null, line2: string | null, city: string | null, state: string | null, postal_code: string | null, country: string | null, };

export type AttentionCard = { 
/**
 * Stable while the cause lasts: `decision:C-1`, `mapping:service_item`, `tax:I-9`...
 */
id: string, cause: CardCause, 
/**
 * Plain English: what happened.
 */
title: string, 
/**
 * Plain English: what to do.
 */
advice: string | null, 
/**
 * Every record this card stands for: its own and the ones folded under it.
 */
count: number, records: Array<CardRecord>, waiting: Array<WaitingRecord>, 
/**
 * The card's button(s).
 */
actions: Array<CardAction>, tax: TaxDifferenceView | null, since: string, };

export type AttentionItem = { id: string, record_kind: RecordKind, record_id: string, record_label: string, problem: AttentionProblem, reason: string, advice: string | null, qb_status_code: number | null, qb_status_message: string | null, app_customer_id: string | null, mapping_role: MappingRole | null, field: EditableField | null, retryable: boolean, since: string, };

export type AttentionProblem = "needs_pairing" | "needs_mapping" | "too_long" | "failed" | "waiting_on_parent";

/**
 * An action the window offers as a button; each one works for what it is attached to.
 */
export type CardAction = { "action": "open_customer", customer_id: string, } | { "action": "open_items", role: MappingRole | null, } | { "action": "open_settings" } | { "action": "retry", attention_ids: Array<string>, } | { "action": "skip", attention_id: string, } | { "action": "rename", attention_id: string, field: EditableField, } | { "action": "dismiss", card_id: string, };

/**
 * What a card is about.
 */
export type CardCause = "needs_decision" | "needs_mapping" | "missing_item" | "missing_payment_setup" | "settings" | "too_long" | "quick_books_refused" | "waiting_on_parent" | "tax_difference" | "other";

/**
 * A record on a card, with what can be done to it alone.
 */
export type CardRecord = { actions: Array<CardAction>, id: string, record_kind: RecordKind, record_id: string, record_label: string, problem: AttentionProblem, reason: string, advice: string | null, qb_status_code: number | null, qb_status_message: string | null, app_customer_id: string | null, mapping_role: MappingRole | null, field: EditableField | null, retryable: boolean, since: string, };

export type ConnectionHealth = "good" | "warning" | "problem";

export type ConnectionStatus = { endpoint_url: string, endpoint_running: boolean, ever_contacted: boolean, last_contact: string | null, company_file: string | null, health: ConnectionHealth, reason: string, user_name: string, schedule_minutes: number, };

export type CustomerCounts = { all: number, linked: number, suggested: number, needs_decision: number, will_create: number, failed: number, };

/**
 * What the list is filtered to.
 */
export type CustomerFilter = "all" | "linked" | "suggested" | "needs_decision" | "will_create" | "failed";

export type CustomerPage = { rows: Array<CustomerRow>, total: number, counts: CustomerCounts, exact_matches: number, qb_customers_read_at: string | null, };

export type CustomerRow = { id: string, name: string, company_name: string | null, email: string | null, phone: string | null, billing_address: Address | null, state: PairingState, linked: LinkedQbCustomer | null, suggestion: Suggestion | null, problem: string | null, 
/**
 * What a QuickBooks user did to the linked customer that needs nobody (a rename), in
 * plain English; what needs a person is in `problem`.
 */
quickbooks_note: string | null, };

export type DepositTo = { "kind": "undeposited_funds" } | { "kind": "account", account_full_name: string, };

/**
 * One check's outcome.
 */
export type DoctorCheck = { 
/**
 * A stable name (`web-connector`, `localhost-ipv4`, ...).
 */
name: string, status: DoctorLevel, 
/**
 * What was seen, in words.
 */
detail: string, 
/**
 * What to do about it (None when all is well).
 */
fix: string | null, };

/**
 * How a check came out.
 */
export type DoctorLevel = "ok" | "warn" | "fail";

/**
 * Every check, in the order a person would fix things.
 */
export type DoctorReport = { checks: Array<DoctorCheck>, };

export type EditableField = { name: string, label: string, value: string, max_length: number, };

/**
 * What the window branches on (never on the message). Stable words: the IPC contract.
 */
export type ErrorCode = "not_found" | "invalid_input" | "conflict" | "busy" | "quickbooks_not_read" | "io" | "import_rejected" | "unreachable" | "internal";

export type ExportResult = { rows: number, };

/**
 * Why a record is held back, as one word the window groups by (the reason says it in
 * full).
 */
export type HeldBecause = "start_date" | "pairing_decision" | "name_in_quick_books" | "missing_mapping" | "waiting_on_parent" | "settings" | "too_long" | "quick_books_refused" | "later_run" | "other";

/**
 * Who held sends.
 */
export type HeldBy = "first_run" | "office_manager";

/**
 * How many of one reason are held back.
 */
export type HeldCount = { because: HeldBecause, count: number, };

export type ImportFileResult = { path: string, imported: boolean, created: KindCounts, updated: KindCounts, problems: Array<string>, problem_count: number, };

export type ImportQbCustomersResult = { created: number, };

export type ImportReport = { files: Array<ImportFileResult>, };

/**
 * One invoice as the Records page shows it.
 */
export type InvoiceRow = { id: string, number: string, customer_id: string, customer_name: string, date: string, 
/**
 * The lines' amounts plus the tax the app expected, exact, two places.
 */
total: string, 
/**
 * pending, synced, failed or needs_attention.
 */
state: string, qb_id: string | null, 
/**
 * Plain English, or null.
 */
problem: string | null, 
/**
 * BalanceRemaining as QuickBooks last reported it; null until QuickBooks was read.
 */
qb_balance: string | null, qb_paid: boolean, 
/**
 * Payments QuickBooks has applied to this invoice (ours and ones entered there).
 */
qb_payments: number, 
/**
 * Their sum, exact; "0.00" when none.
 */
qb_payments_total: string, void: boolean, };

/**
 * How the window receives an error (the IPC contract's `IpcError`).
 */
export type IpcError = { code: ErrorCode, 
/**
 * Plain English for the office manager: the record named, the next step given.
 */
message: string, };

export type ItemMapping = { role: MappingRole, item_full_name: string | null, item_list_id: string | null, 
/**
 * The chosen sales tax item's rate in percent (exact decimal text), when it has one.
 */
rate: string | null, status: MappingStatus, problem: string | null, };

/**
 * A QuickBooks item's type (qbXML `ItemXxxRet`), as the mirror keeps it.
 */
export type ItemType = "service" | "non_inventory" | "other_charge" | "inventory" | "inventory_assembly" | "group" | "discount" | "payment" | "subtotal" | "sales_tax" | "sales_tax_group" | "fixed_asset";

export type KindCounts = { customers: number, projects: number, service_tickets: number, invoices: number, payments: number, vendors: number, expenses: number, };

/**
 * One kind's counts in the preview.
 */
export type KindPreview = { kind: RecordKind, add: number, change: number, link: number, held: number, 
/**
 * `held` by reason, most first.
 */
held_because: Array<HeldCount>, };

/**
 * The last file the watcher dealt with: the Items page's "Last file" line.
 */
export type LastFile = { 
/**
 * The file's name as dropped.
 */
name: string, 
/**
 * When it was dealt with (UTC, RFC 3339).
 */
at: string, 
/**
 * Imported (moved to `imported/`), or refused (moved to `failed/`).
 */
imported: boolean, 
/**
 * Imported: how many records the file held (added, updated or unchanged).
 */
records: number, 
/**
 * Imported: what was imported, per kind; refused: the first problem.
 */
summary: string, 
/**
 * Refused: how many problems `NAME.errors.txt` lists (0 when imported).
 */
problems: number, };

/**
 * What the card shows: the link's status and the stored key's last characters.
 */
export type LinkCard = { status: LinkStatus, 
/**
 * True when a key is stored (the key itself never leaves the data folder).
 */
key_stored: boolean, 
/**
 * The key's last characters, when it is long enough that they give nothing away.
 */
key_ending: string | null, };

/**
 * The link's health, as `link status` names it.
 */
export type LinkState = "ok" | "failing" | "key_refused" | "off";

/**
 * Everything `link status` shows (the contract's `link status --json` fields).
 */
export type LinkStatus = { url: string | null, enabled: boolean, state: LinkState, last_poll_at: string | null, last_delivery_at: string | null, last_problem: string | null, changes_cursor: string | null, events_pending: number, interval_s: number, };

export type LinkedQbCustomer = { list_id: string, full_name: string, is_job: boolean, };

export type ListCustomersRequest = { query: string, filter: CustomerFilter, offset: number, limit: number, };

/**
 * Which records of one kind a page holds.
 */
export type ListRecordsRequest = { 
/**
 * Matches the number, the app's id or the customer's name (case-insensitive); "" for all.
 */
query: string, 
/**
 * pending, synced, failed, needs_attention or before_start_date; null for all.
 */
state: string | null, offset: number, limit: number, };

/**
 * The four roles, with the contract's words.
 */
export type MappingRole = "service_item" | "service_tax_item" | "project_item" | "project_tax_item";

export type MappingStatus = "valid" | "not_set" | "missing" | "wrong_type" | "inactive";

export type MatchField = "name" | "company_name" | "address" | "phone" | "email";

export type MatchReason = { field: MatchField, 
/**
 * Plain words, e.g. "Same phone number (555) 201-3344".
 */
detail: string, };

/**
 * `Exact`: the matcher would link it without asking (one customer with the same name, and
 * no address that disagrees): safe to accept in bulk.
 */
export type MatchStrength = "exact" | "strong" | "weak";

/**
 * How invoices and payments reach QuickBooks.
 */
export type Mode = "full" | "summary";

export type NewCustomerPolicy = "create_automatically" | "ask_first";

/**
 * How a session ended (`running` until it does).
 */
export type Outcome = "running" | "ok" | "errors" | "failed" | "interrupted";

/**
 * Records per public state, under the search (for the filter's counts).
 */
export type PageCounts = { all: number, pending: number, synced: number, failed: number, needs_attention: number, 
/**
 * Held back by the start date (not a problem).
 */
before_start_date: number, };

/**
 * Where an app customer stands with QuickBooks.
 */
export type PairingState = "linked" | "suggested" | "needs_decision" | "will_create" | "failed";

export type PaymentMethodMapping = { app_method: string, qb_method: string | null, };

/**
 * One payment as the Records page shows it.
 */
export type PaymentRow = { id: string, invoice_id: string, invoice_number: string, customer_name: string, date: string, 
/**
 * Exact, two places.
 */
amount: string, 
/**
 * The app's word for how it was paid, or null.
 */
method: string | null, reference: string | null, 
/**
 * pending, synced, failed or needs_attention.
 */
state: string, 
/**
 * The ReceivePayment's TxnID once QuickBooks has it.
 */
qb_id: string | null, 
/**
 * Plain English, or null.
 */
problem: string | null, };

/**
 * A span of days that one summarized entry or one deposit covers. Dates are the records'
 * own dates (the business's local calendar day, as the field-service app wrote them).
 */
export type Period = "day" | "week" | "month";

/**
 * What the next run does with one record.
 */
export type PreviewAction = "add" | "change" | "link" | "held";

/**
 * One record in the preview, named for a person.
 */
export type PreviewRow = { kind: RecordKind, id: string, 
/**
 * e.g. "Invoice 10045 for Ecker Designs".
 */
label: string, action: PreviewAction, reason: string, held_because: HeldBecause | null, };

export type QbAccount = { list_id: string, full_name: string, account_type: string, };

/**
 * A QuickBooks customer or job, as last read from QuickBooks.
 */
export type QbCustomer = { list_id: string, full_name: string, name: string, company_name: string | null, is_job: boolean, bill_address_line1: string | null, bill_address_line2: string | null, ship_address_line1: string | null, phone: string | null, email: string | null, active: boolean, linked_app_customer_id: string | null, };

export type QbCustomerPage = { rows: Array<QbCustomer>, total: number, };

export type QbItem = { list_id: string, full_name: string, item_type: ItemType, active: boolean, 
/**
 * Sales tax items: the rate in percent, exact decimal text (shown in the pickers).
 */
rate: string | null, 
/**
 * The mappings this item can be chosen for: the store's one rule
 * ([`ItemRole::accepts`]), so the pickers offer what the sync would send.
 */
roles: Array<MappingRole>, };

export type QbLists = { ever_read: boolean, read_at: string | null, items: Array<QbItem>, deposit_accounts: Array<QbAccount>, payment_methods: Array<QbPaymentMethod>, };

export type QbPaymentMethod = { list_id: string, name: string, };

/**
 * Counts for every kind (field names as in `status --json`).
 */
export type RecordCounts = { customers: StateCounts, projects: StateCounts, service_tickets: StateCounts, invoices: StateCounts, payments: StateCounts, vendors: StateCounts, expenses: StateCounts, };

/**
 * The kinds of app records, in dependency order (a parent always sorts first):
 * a project needs its customer in QuickBooks, a ticket and an invoice their customer or
 * job, a payment its invoice.
 */
export type RecordKind = "customer" | "project" | "service_ticket" | "invoice" | "payment" | "vendor" | "expense";

export type RecordOutcome = { record_kind: RecordKind, record_id: string, record_label: string, result: RecordResult, message: string, qb_status_code: number | null, qb_status_message: string | null, qb_id: string | null, at: string, };

/**
 * One page of one kind of record.
 */
export type RecordPage<R> = { rows: Array<R>, 
/**
 * How many match the search and the state filter.
 */
total: number, 
/**
 * Per state, under the search only.
 */
counts: PageCounts, };

export type RecordResult = "created" | "updated" | "linked" | "read" | "failed" | "skipped" | "tax_difference";

/**
 * A company file the last run refused because this data folder syncs with another.
 */
export type RefusedFile = { 
/**
 * The file QuickBooks had open.
 */
open_file: string, 
/**
 * The file this data folder syncs with.
 */
bound_file: string, 
/**
 * A person said it is the same company file: checked at the next run.
 */
rebind_requested: boolean, 
/**
 * What the last check found, when a rebind was refused.
 */
checked: string | null, };

/**
 * The Sync page's safe-start panel.
 */
export type SafeStart = { hold: SendHold, 
/**
 * Every kind, in dependency order.
 */
kinds: Array<KindPreview>, 
/**
 * Every record the next run sends, links or holds back, in dependency order.
 */
records: Array<PreviewRow>, refused: RefusedFile | null, };

export type SearchQbCustomersRequest = { query: string, unlinked_only: boolean, offset: number, limit: number, };

/**
 * Whether sends are held, and why.
 */
export type SendHold = { held: boolean, held_by: HeldBy | null, 
/**
 * FieldBridge's words when it held them itself (what the company file holds).
 */
reason: string | null, };

export type SessionDetail = { session: SessionSummary, records: Array<RecordOutcome>, };

export type SessionPage = { rows: Array<SessionSummary>, total: number, };

/**
 * A session as the History page lists it (`history --json`'s fields plus `problem`).
 */
export type SessionSummary = { id: number, started_at: string, finished_at: string | null, company_file: string | null, outcome: Outcome, requests: number, created: number, updated: number, failed: number, problem: string | null, };

export type Settings = { deposit_to: DepositTo, payment_methods: Array<PaymentMethodMapping>, invoice_start_date: string | null, estimates_for_tickets: boolean, new_customers: NewCustomerPolicy, update_qb_customers: boolean, schedule_minutes: number, 
/**
 * Sends are held (`hold-sends`): runs read QuickBooks but send nothing. `None` when
 * saved by a form that does not know it: left as it is.
 */
hold_sends?: boolean, 
/**
 * A new company file that already holds records starts with sends held (default on).
 * `None`: left as it is.
 */
hold_new_company_files?: boolean, 
/**
 * The watched folder (`watch-folder`): files dropped there are imported. Empty: none.
 * `None`: left as it is (the window's Items page sets it through its own picker).
 */
watch_folder?: string, 
/**
 * The Web Connector endpoint's port (`port`), used from the next start; the .qwc file
 * must then be added to the Web Connector again. `None`: left as it is.
 */
port?: number, 
/**
 * FieldBridge starts when this Windows user signs in (`start-at-login`; HKCU only).
 * `None`: left as it is.
 */
start_at_login?: boolean, 
/**
 * How sales reach QuickBooks (`mode`): an invoice per invoice, or summarized journal
 * entries. Changing it once records were sent is refused. `None`: left as it is.
 */
mode?: Mode, 
/**
 * The span of one summarized journal entry (`summary-period`). `None`: left as it is.
 */
summary_period?: Period, 
/**
 * The QuickBooks customer summarized sales are owed by (`summary-customer`). Empty:
 * none chosen. `None`: left as it is.
 */
summary_customer?: string, 
/**
 * The span of one deposit (`deposit-period`). `None`: left as it is.
 */
deposit_period?: Period, };

export type SettingsSaved = { settings: Settings, 
/**
 * The .qwc file changed (the schedule or the port): it must be added to the Web
 * Connector again.
 */
qwc_changed: boolean, };

/**
 * Records of one kind by state (the contract's four), and the two kinds of waiting inside
 * `needs_attention` that screens name apart. Decided by [`Standing`].
 */
export type StateCounts = { 
/**
 * Includes records in flight.
 */
pending: number, synced: number, failed: number, needs_attention: number, 
/**
 * Of `needs_attention`: waiting for a person to decide which QuickBooks customer.
 */
needs_decision: number, 
/**
 * Of `needs_attention`: waiting for the record they belong to.
 */
waiting_on_parent: number, 
/**
 * Dated before the start date (`start-date`): never sent, and nothing for a person to
 * do (not counted in `needs_attention` or `failed`).
 */
before_start_date: number, };

export type Suggestion = { qb_list_id: string, qb_full_name: string, strength: MatchStrength, score: number, reasons: Array<MatchReason>, };

/**
 * The `sync-progress` payload and `SyncStatus.current`.
 */
export type SyncProgress = { session_id: number, state: SyncRunState, phase: SyncStage, percent: number, done: number, total: number, started_at: string, company_file: string | null, problem: string | null, };

/**
 * Whether a session runs, or how it ended.
 */
export type SyncRunState = "running" | "finished" | "failed";

/**
 * A session's phase as a stable word (the IPC contract's `SyncStage`). Its words for
 * people are [`SyncStage::label`]: the one table, also generated into the window's
 * TypeScript (`SYNC_STAGE_LABELS`).
 */
export type SyncStage = "starting" | "reading_company" | "reading_lists" | "customers" | "jobs" | "estimates" | "invoices" | "payments" | "checking" | "finishing" | "vendors" | "expenses";

export type SyncStatus = { current: SyncProgress | null, last_session: SessionSummary | null, records: RecordCounts, };

/**
 * Both amounts of a sales tax difference, exact decimal strings.
 */
export type TaxDifferenceView = { invoice_id: string, invoice_label: string, 
/**
 * What the field-service app expected.
 */
expected: string, 
/**
 * QuickBooks' SalesTaxTotal.
 */
quickbooks: string, };

/**
 * One service ticket as the Records page shows it.
 */
export type TicketRow = { id: string, number: string, customer_id: string, customer_name: string, 
/**
 * The project (QuickBooks job) it is for, or null when it is for the customer itself.
 */
project_name: string | null, date: string, description: string | null, 
/**
 * The lines' amounts, exact, two places (an estimate carries no tax of the app's).
 */
total: string, 
/**
 * pending, synced, failed or needs_attention.
 */
state: string, 
/**
 * The estimate's TxnID once QuickBooks has it.
 */
qb_id: string | null, 
/**
 * Plain English, or null.
 */
problem: string | null, 
/**
 * The number of the invoice made from this ticket, or null.
 */
invoice_number: string | null, };

/**
 * One app vendor and where it stands.
 */
export type VendorRow = { id: string, name: string, 
/**
 * pending, synced, failed or needs_attention (the outbox's word, as `status` says it).
 */
state: "pending" | "synced" | "failed" | "needs_attention", 
/**
 * Where it stands with QuickBooks in the Customers page's words (linked, suggested,
 * needs a decision, will be created, failed).
 */
pairing_state: PairingState, 
/**
 * The QuickBooks vendor it is linked to, when it is.
 */
qb_list_id: string | null, qb_name: string | null, 
/**
 * auto, manual, create or created.
 */
how: "auto" | "manual" | "create" | "created" | null, 
/**
 * Why it waits, in plain English.
 */
problem: string | null, 
/**
 * QuickBooks vendors it may be, likeliest first (only while not linked).
 */
suggestions: Array<VendorSuggestion>, };

/**
 * A QuickBooks vendor a person may link an app vendor to.
 */
export type VendorSuggestion = { list_id: string, name: string, 
/**
 * 0..=100, higher is likelier.
 */
score: number, };

/**
 * A record that waits on one of the card's records (or on the record the card is about).
 */
export type WaitingRecord = { id: string, record_kind: RecordKind, record_id: string, record_label: string, 
/**
 * The attention id of the record it waits for.
 */
waits_for: string, };

export type WatchFolder = { 
/**
 * The folder watched, or null when none is.
 */
path: string | null, 
/**
 * The last file the watcher imported or refused, or null before the first.
 */
last_file: LastFile | null, };

/** Every command: its arguments (as the window passes them) and its answer. */
export type Commands = {
  get_connection_status: { args: {  }; returns: ConnectionStatus };
  get_qwc_password: { args: {  }; returns: string };
  reset_qwc_password: { args: {  }; returns: string };
  get_api_token: { args: {  }; returns: string };
  reset_api_token: { args: {  }; returns: string };
  save_qwc: { args: { path: string }; returns: null };
  list_customers: { args: { request: ListCustomersRequest }; returns: CustomerPage };
  search_qb_customers: { args: { request: SearchQbCustomersRequest }; returns: QbCustomerPage };
  link_customer: { args: { appCustomerId: string; qbListId: string }; returns: CustomerRow };
  unlink_customer: { args: { appCustomerId: string }; returns: CustomerRow };
  create_customer_in_qb: { args: { appCustomerId: string }; returns: CustomerRow };
  accept_exact_matches: { args: {  }; returns: AcceptMatchesResult };
  request_customer_refresh: { args: {  }; returns: null };
  list_vendors: { args: {  }; returns: Array<VendorRow> };
  link_vendor: { args: { vendorId: string; listId: string }; returns: null };
  create_vendor: { args: { vendorId: string }; returns: null };
  unpair_vendor: { args: { vendorId: string }; returns: null };
  import_qb_customers: { args: { qbListIds: Array<string> }; returns: ImportQbCustomersResult };
  get_qb_lists: { args: {  }; returns: QbLists };
  get_item_mappings: { args: {  }; returns: Array<ItemMapping> };
  set_item_mapping: { args: { role: MappingRole; itemFullName: string }; returns: ItemMapping };
  get_settings: { args: {  }; returns: Settings };
  update_settings: { args: { settings: Settings }; returns: SettingsSaved };
  get_sync_status: { args: {  }; returns: SyncStatus };
  list_attention: { args: {  }; returns: Array<AttentionItem> };
  retry_record: { args: { attentionId: string }; returns: null };
  skip_record: { args: { attentionId: string }; returns: null };
  rename_record: { args: { attentionId: string; value: string }; returns: null };
  list_sessions: { args: { offset: number; limit: number }; returns: SessionPage };
  get_session: { args: { sessionId: number }; returns: SessionDetail };
  export_history_csv: { args: { path: string; sessionId: number | null }; returns: ExportResult };
  import_files: { args: { paths: Array<string> }; returns: ImportReport };
  import_sample_data: { args: {  }; returns: ImportReport };
  get_link_status: { args: {  }; returns: LinkCard };
  set_link: { args: { url: string; key: string; intervalS: number | null }; returns: LinkCard };
  turn_link_off: { args: {  }; returns: LinkCard };
  test_link: { args: { url: string; key: string }; returns: null };
  list_invoices: { args: { request: ListRecordsRequest }; returns: RecordPage<InvoiceRow> };
  list_tickets: { args: { request: ListRecordsRequest }; returns: RecordPage<TicketRow> };
  list_payments: { args: { request: ListRecordsRequest }; returns: RecordPage<PaymentRow> };
  get_watch_folder: { args: {  }; returns: WatchFolder };
  set_watch_folder: { args: { path: string | null }; returns: WatchFolder };
  choose_save_path: { args: { fileName: string; filterName: string; extensions: Array<string> }; returns: string | null };
  choose_import_files: { args: {  }; returns: Array<string> | null };
  choose_folder: { args: { title: string }; returns: string | null };
  run_doctor: { args: {  }; returns: DoctorReport };
  show_watch_folder: { args: {  }; returns: null };
  list_attention_cards: { args: {  }; returns: Array<AttentionCard> };
  dismiss_attention_card: { args: { cardId: string }; returns: null };
  get_safe_start: { args: {  }; returns: SafeStart };
  start_sending: { args: {  }; returns: null };
  rebind_company_file: { args: {  }; returns: string };
};

/** Event names and their payloads. */
export type EventPayloads = {
  /** The Web Connector called, the endpoint started or stopped, or the company file changed. */
  "connection-changed": null;
  /** A session started, moved on, or ended. */
  "sync-progress": SyncProgress;
  /** The set of records needing attention changed. */
  "attention-changed": null;
  /** Customers or their pairing changed (import, sync). */
  "customers-changed": null;
  /** Anything in the data folder changed, whoever changed it (this window, a sync, the command line in another process): every screen reloads what it shows. */
  "data-changed": null;
};

export type EventName = keyof EventPayloads;

/** The sync stages in words: the one table (Rust `SyncStage::label`). */
export const SYNC_STAGE_LABELS: Record<SyncStage, string> = {
  starting: "Starting",
  reading_company: "Reading the company file",
  reading_lists: "Reading customers and items from QuickBooks",
  customers: "Sending customers",
  jobs: "Sending projects (jobs)",
  estimates: "Sending service tickets (estimates)",
  invoices: "Sending invoices",
  payments: "Sending payments",
  checking: "Checking what QuickBooks changed",
  finishing: "Finishing",
  vendors: "Sending vendors",
  expenses: "Sending expenses (bills, checks, card charges)",
};
