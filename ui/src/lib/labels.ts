/** Words and chip tones for the contract's codes. The UI branches on codes; people read these. */
import type { Tone } from "../components/types";
import type {
  ConnectionHealth,
  DoctorLevel,
  LinkState,
  MappingRole,
  MappingStatus,
  MatchField,
  MatchStrength,
  PairingState,
  RecordKind,
  RecordResult,
  SessionOutcome,
  SyncPhase,
  PreviewAction,
  HeldBecause,
} from "./ipc";
import { SYNC_STAGE_LABELS } from "./ipc";

type Chip = { tone: Tone; label: string };

export const HEALTH: Record<ConnectionHealth, Chip> = {
  good: { tone: "good", label: "Working" },
  warning: { tone: "warn", label: "Needs a look" },
  problem: { tone: "bad", label: "Not working" },
};

export const LINK_STATE: Record<LinkState, Chip> = {
  ok: { tone: "good", label: "Working" },
  failing: { tone: "warn", label: "Failing: retrying" },
  key_refused: { tone: "bad", label: "Key refused" },
  off: { tone: "neutral", label: "Off" },
};

/** An invoice's sync state on the Records page (the states `status` and `export` show). */
export const SYNC_STATE: Record<string, Chip> = {
  pending: { tone: "neutral", label: "Waiting to sync" },
  synced: { tone: "good", label: "In QuickBooks" },
  failed: { tone: "bad", label: "Failed" },
  needs_attention: { tone: "warn", label: "Needs attention" },
  before_start_date: { tone: "neutral", label: "Before the start date" },
};

export const PAIRING: Record<PairingState, Chip> = {
  linked: { tone: "good", label: "Linked" },
  suggested: { tone: "info", label: "Suggested match" },
  needs_decision: { tone: "warn", label: "Needs a decision" },
  will_create: { tone: "neutral", label: "Will be created" },
  failed: { tone: "bad", label: "Failed" },
};

export const STRENGTH: Record<MatchStrength, string> = {
  exact: "Exact match",
  strong: "Strong match",
  weak: "Possible match",
};

export const MATCH_FIELD: Record<MatchField, string> = {
  name: "Name",
  company_name: "Company",
  address: "Address",
  phone: "Phone",
  email: "Email",
};

/** How a Web Connector session ended. "ok" means it ended without a problem, not that
 * everything is in QuickBooks (sending may be on hold, or records may wait for a later run). */
export const OUTCOME: Record<SessionOutcome, Chip> = {
  ok: { tone: "good", label: "Completed" },
  errors: { tone: "warn", label: "Needs attention" },
  failed: { tone: "bad", label: "Sync failed" },
  running: { tone: "info", label: "Running" },
  interrupted: { tone: "warn", label: "Interrupted" },
};

export const RESULT: Record<RecordResult, Chip> = {
  created: { tone: "good", label: "Created" },
  updated: { tone: "good", label: "Updated" },
  linked: { tone: "good", label: "Linked" },
  read: { tone: "neutral", label: "Read" },
  failed: { tone: "bad", label: "Failed" },
  skipped: { tone: "neutral", label: "Skipped" },
  // Created in QuickBooks; the sales tax differs from the app's: worth a look, not red.
  tax_difference: { tone: "warn", label: "Tax differs" },
};

/** The sync stages' words: the one table, generated from Rust (`SyncStage::label`). */
export const PHASE: Record<SyncPhase, string> = SYNC_STAGE_LABELS;

export const ROLE: Record<MappingRole, { label: string; help: string }> = {
  service_item: {
    label: "Service item",
    help: "Used on invoice lines for service tickets. A service, non-inventory, other-charge or inventory item.",
  },
  service_tax_item: {
    label: "Service sales tax",
    help: "The sales-tax item or group for service invoices.",
  },
  project_item: {
    label: "Project item",
    help: "Used on invoice lines for projects. A service, non-inventory, other-charge or inventory item.",
  },
  project_tax_item: {
    label: "Project sales tax",
    help: "The sales-tax item or group for project invoices.",
  },
};

export const MAPPING_STATUS: Record<MappingStatus, Chip> = {
  valid: { tone: "good", label: "Ready" },
  not_set: { tone: "warn", label: "Not chosen" },
  missing: { tone: "bad", label: "Not in QuickBooks" },
  wrong_type: { tone: "bad", label: "Wrong kind of item" },
  inactive: { tone: "bad", label: "Inactive in QuickBooks" },
};

export const KIND: Record<RecordKind, string> = {
  customer: "Customer",
  project: "Project",
  service_ticket: "Service ticket",
  invoice: "Invoice",
  payment: "Payment",
  vendor: "Vendor",
  expense: "Expense",
};

/** What the next run does with a record (the Sync page's preview). */
export const PREVIEW_ACTION: Record<PreviewAction, Chip> = {
  add: { tone: "info", label: "Add" },
  change: { tone: "info", label: "Change" },
  link: { tone: "good", label: "Link to existing" },
  held: { tone: "neutral", label: "Held back" },
};

/** Why the preview holds a record back. */
export const HELD_BECAUSE: Record<HeldBecause, string> = {
  start_date: "before the start date",
  pairing_decision: "waiting for you to choose its QuickBooks customer",
  name_in_quick_books: "a name QuickBooks already has",
  missing_mapping: "a missing item, payment method or account mapping",
  waiting_on_parent: "waiting for the record it belongs to",
  settings: "a setting (estimates off)",
  too_long: "a name or number too long for QuickBooks",
  quick_books_refused: "QuickBooks refused it before",
  later_run: "sent at a later run",
  other: "another reason",
};

/** The doctor's checks (`fieldbridge doctor`), by their stable names; an unknown name shows as it is. */
export const DOCTOR_CHECK: Record<string, string> = {
  "web-connector": "Web Connector installed",
  quickbooks: "QuickBooks installed",
  "localhost-ipv4": "localhost (127.0.0.1) reaches FieldBridge",
  "localhost-ipv6": "localhost (::1) reaches FieldBridge",
  port: "Port",
  "data-folder": "Data folder",
  "start-at-login": "Starts when you sign in",
  sleep: "Sleep while the Web Connector should run",
  "last-contact": "Last call from the Web Connector",
};

export const DOCTOR_LEVEL: Record<DoctorLevel, Chip> = {
  ok: { tone: "good", label: "OK" },
  warn: { tone: "warn", label: "Check" },
  fail: { tone: "bad", label: "Problem" },
};
