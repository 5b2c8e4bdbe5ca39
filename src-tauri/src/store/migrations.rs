//! Forward-only schema migrations, tracked in `PRAGMA user_version`.
//!
//! `MIGRATIONS[k]` takes the schema from version `k` to `k + 1`. The list is append-only:
//! a migration that has shipped is never edited (a database in the field already ran it);
//! a change is a new entry at the end, plus a seed in the tests' `SEED_ROWS` so the upgrade
//! test covers it. Each migration runs in its own transaction together with the
//! `user_version` bump, so a crash leaves the database at a whole version. PRAGMAs that
//! configure a connection live in `store::configure`, never here.
//!
//! Owns the schema text; owns no queries (those belong to the aggregate modules).

use super::StoreError;
use rusqlite::Connection;

/// Version 1: the whole first schema. Read the comments: they are the schema's documentation.
const V1: &str = r#"
-- ===================== App records (the field-service business's own) =====================
-- `id` is the app's import id (unique per kind). `guid` is generated at first import and
-- never changes: it is the ExternalGUID sent with the record's Add, the key that makes a lost
-- response recoverable without a duplicate.

CREATE TABLE customers (
    id                   TEXT PRIMARY KEY,
    guid                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,            -- QuickBooks' Name (limit 41 checked at sync)
    company_name         TEXT,
    first_name           TEXT,
    last_name            TEXT,
    email                TEXT,
    phone                TEXT,
    billing_line1        TEXT,
    billing_line2        TEXT,
    billing_city         TEXT,
    billing_state        TEXT,
    billing_postal_code  TEXT,
    billing_country      TEXT,
    service_line1        TEXT,
    service_line2        TEXT,
    service_city         TEXT,
    service_state        TEXT,
    service_postal_code  TEXT,
    service_country      TEXT,
    taxable              INTEGER NOT NULL CHECK (taxable IN (0, 1)),
    active               INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at           TEXT NOT NULL,            -- RFC 3339 UTC, first import
    updated_at           TEXT NOT NULL             -- RFC 3339 UTC, last import that changed it
);

-- A project becomes a QuickBooks job, "Customer:Project".
CREATE TABLE projects (
    id           TEXT PRIMARY KEY,
    guid         TEXT NOT NULL UNIQUE,
    customer_id  TEXT NOT NULL REFERENCES customers(id),
    name         TEXT NOT NULL,
    active       INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX projects_customer ON projects(customer_id);

-- A service ticket becomes a QuickBooks estimate when `estimates_for_tickets` is on.
CREATE TABLE service_tickets (
    id           TEXT PRIMARY KEY,
    guid         TEXT NOT NULL UNIQUE,
    customer_id  TEXT NOT NULL REFERENCES customers(id),
    project_id   TEXT REFERENCES projects(id),     -- NULL: for the customer itself
    number       TEXT NOT NULL,                    -- RefNumber (limit 11 checked at sync)
    date         TEXT NOT NULL,                    -- YYYY-MM-DD
    description  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- Lines of tickets and invoices share one shape. Money and quantities are exact decimal TEXT.
-- `taxable` NULL means "the customer's taxable" (the import format's default), resolved at
-- sync time. `item` NULL means "the mapped service/project item".
CREATE TABLE service_ticket_lines (
    ticket_id    TEXT NOT NULL REFERENCES service_tickets(id) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,                 -- 0-based, in file order
    description  TEXT NOT NULL,
    quantity     TEXT,
    rate         TEXT,
    amount       TEXT,
    taxable      INTEGER CHECK (taxable IN (0, 1)),
    item         TEXT,
    PRIMARY KEY (ticket_id, line_no)
);

-- project_id NULL: a *service* invoice; set: a *project* invoice (billed to the job).
CREATE TABLE invoices (
    id            TEXT PRIMARY KEY,
    guid          TEXT NOT NULL UNIQUE,
    customer_id   TEXT NOT NULL REFERENCES customers(id),
    project_id    TEXT REFERENCES projects(id),
    ticket_id     TEXT REFERENCES service_tickets(id),
    number        TEXT NOT NULL,                   -- RefNumber (limit 11 checked at sync)
    date          TEXT NOT NULL,
    due_date      TEXT,
    memo          TEXT,
    expected_tax  TEXT,                            -- what the app computed; compared with QB's
    void          INTEGER NOT NULL CHECK (void IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX invoices_customer ON invoices(customer_id);

CREATE TABLE invoice_lines (
    invoice_id   TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,
    description  TEXT NOT NULL,
    quantity     TEXT,
    rate         TEXT,
    amount       TEXT,
    taxable      INTEGER CHECK (taxable IN (0, 1)),
    item         TEXT,
    PRIMARY KEY (invoice_id, line_no)
);

-- A payment taken in the field; becomes a ReceivePayment applied to its invoice.
CREATE TABLE payments (
    id          TEXT PRIMARY KEY,
    guid        TEXT NOT NULL UNIQUE,
    invoice_id  TEXT NOT NULL REFERENCES invoices(id),
    date        TEXT NOT NULL,
    amount      TEXT NOT NULL,
    method      TEXT,                              -- the app's word; see payment_method_mappings
    reference   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX payments_invoice ON payments(invoice_id);

-- ===================== Sync bookkeeping =====================

-- One row per Web Connector session (FieldBridge's view of it).
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    company_file  TEXT,
    outcome       TEXT NOT NULL DEFAULT 'running'
                  CHECK (outcome IN ('running', 'ok', 'errors', 'failed')),
    message       TEXT,                            -- why the session failed, plain English
    requests      INTEGER NOT NULL DEFAULT 0,      -- qbXML requests sent
    created       INTEGER NOT NULL DEFAULT 0,      -- records added to QuickBooks
    updated       INTEGER NOT NULL DEFAULT 0,      -- records modified in QuickBooks
    failed        INTEGER NOT NULL DEFAULT 0       -- records that failed or need attention
);

-- One qbXML message set sent to QuickBooks. A row with answered_at NULL after its session
-- ended is a batch whose answer was lost: resolve it (oldMessageSetID) before sending more.
CREATE TABLE batches (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES sessions(id),
    message_set_id  TEXT NOT NULL UNIQUE,          -- newMessageSetID
    sent_at         TEXT NOT NULL,
    request_digest  TEXT NOT NULL,                 -- hex digest of the request text
    request_size    INTEGER NOT NULL,              -- bytes
    answered_at     TEXT,
    state           TEXT NOT NULL DEFAULT 'sent'
                    CHECK (state IN ('sent', 'answered', 'rejected', 'resolved'))
);
CREATE INDEX batches_unanswered ON batches(state) WHERE state = 'sent';

-- The outbox: the sync state of every app record (see store::outbox for the state machine).
-- `id` gives a stable order within a kind (first imported, first sent); `kind_rank` puts
-- parents before children, so "next pending in dependency order" is one index range scan.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN
                         ('customer', 'project', 'service_ticket', 'invoice', 'payment')),
    kind_rank        INTEGER NOT NULL,             -- 0 customer .. 4 payment
    record_id        TEXT NOT NULL,                -- the app record's import id
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
                         ('pending', 'in_flight', 'synced', 'failed', 'needs_attention')),
    qb_id            TEXT,                         -- ListID or TxnID once QuickBooks has it
    edit_sequence    TEXT,                         -- QuickBooks' EditSequence, for *Mod
    revision         INTEGER NOT NULL DEFAULT 1,   -- bumped at every change of the app record
    sent_revision    INTEGER,                      -- revision carried by the last send
    synced_revision  INTEGER,                      -- revision QuickBooks confirmed
    dirty            INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),
                                                   -- QuickBooks has the record but not its
                                                   -- latest content: the next send is a *Mod
    batch_id         INTEGER REFERENCES batches(id),  -- set while in_flight
    message_set_id   TEXT,                         -- set while in_flight
    request_id       TEXT,                         -- set while in_flight
    problem_code     TEXT,                         -- QuickBooks' statusCode (or our own code)
    problem_message  TEXT,                         -- QuickBooks' statusMessage, verbatim
    problem_text     TEXT,                         -- plain English: what happened
    advice           TEXT,                         -- plain English: what to do
    attempts         INTEGER NOT NULL DEFAULT 0,   -- sends since the content last changed
    updated_at       TEXT NOT NULL,
    UNIQUE (kind, record_id),
    -- INVARIANT: in_flight <=> a batch is set.
    CHECK ((state = 'in_flight') = (batch_id IS NOT NULL)),
    -- INVARIANT: synced => QuickBooks' id is known.
    CHECK (state <> 'synced' OR qb_id IS NOT NULL)
);
CREATE INDEX outbox_next ON outbox(state, kind_rank, id);
CREATE INDEX outbox_batch ON outbox(batch_id) WHERE batch_id IS NOT NULL;

-- What each session did to each record, for the history screen and `fieldbridge history`.
CREATE TABLE history (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER REFERENCES sessions(id),  -- NULL: a change outside a session (pairing)
    record_kind  TEXT,
    record_id    TEXT,
    action       TEXT NOT NULL,                    -- add, mod, query, pair, resolve, ...
    outcome      TEXT NOT NULL,                    -- ok, failed, needs_attention, skipped, ...
    qb_code      TEXT,
    qb_message   TEXT,
    text         TEXT,                             -- plain English
    at           TEXT NOT NULL
);
CREATE INDEX history_session ON history(session_id, id);

-- ===================== QuickBooks mirror (what we last read from QuickBooks) =====================

CREATE TABLE qb_customers (
    list_id          TEXT PRIMARY KEY,
    full_name        TEXT NOT NULL,                -- "Parent:Job" for jobs
    name             TEXT NOT NULL,
    parent_list_id   TEXT,
    sublevel         INTEGER NOT NULL DEFAULT 0,
    is_active        INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    company_name     TEXT,
    first_name       TEXT,
    last_name        TEXT,
    email            TEXT,
    phone            TEXT,
    bill_line1       TEXT,
    bill_line2       TEXT,
    bill_city        TEXT,
    bill_state       TEXT,
    bill_postal_code TEXT,
    bill_country     TEXT,
    ship_line1       TEXT,
    ship_line2       TEXT,
    ship_city        TEXT,
    ship_state       TEXT,
    ship_postal_code TEXT,
    ship_country     TEXT,
    edit_sequence    TEXT NOT NULL,
    time_modified    TEXT NOT NULL,                -- as QuickBooks wrote it (with its offset)
    external_guid    TEXT,                         -- ours, when FieldBridge created it
    seen_at          TEXT NOT NULL
);
CREATE INDEX qb_customers_full_name ON qb_customers(full_name);
CREATE INDEX qb_customers_guid ON qb_customers(external_guid) WHERE external_guid IS NOT NULL;

CREATE TABLE qb_items (
    list_id        TEXT PRIMARY KEY,
    full_name      TEXT NOT NULL,
    item_type      TEXT NOT NULL,                  -- Service, NonInventory, SalesTax, ...
    is_active      INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    tax_rate       TEXT,                           -- sales tax items: percent, exact
    edit_sequence  TEXT,
    time_modified  TEXT,
    seen_at        TEXT NOT NULL
);
CREATE INDEX qb_items_full_name ON qb_items(full_name);

CREATE TABLE qb_accounts (
    list_id        TEXT PRIMARY KEY,
    full_name      TEXT NOT NULL,
    account_type   TEXT NOT NULL,
    is_active      INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    seen_at        TEXT NOT NULL
);

CREATE TABLE qb_payment_methods (
    list_id        TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    is_active      INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    seen_at        TEXT NOT NULL
);

CREATE TABLE qb_sales_tax_codes (
    list_id        TEXT PRIMARY KEY,
    name           TEXT NOT NULL,                  -- "Tax", "Non", ...
    is_taxable     INTEGER NOT NULL CHECK (is_taxable IN (0, 1)),
    is_active      INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    seen_at        TEXT NOT NULL
);

-- What QuickBooks says about one of OUR invoices (by TxnID).
CREATE TABLE qb_invoice_status (
    txn_id           TEXT PRIMARY KEY,
    invoice_id       TEXT REFERENCES invoices(id), -- the app invoice, when it is ours
    balance          TEXT NOT NULL,                -- BalanceRemaining, exact
    is_paid          INTEGER NOT NULL CHECK (is_paid IN (0, 1)),
    subtotal         TEXT,
    sales_tax_total  TEXT,
    edit_sequence    TEXT,
    time_modified    TEXT,
    seen_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX qb_invoice_status_invoice ON qb_invoice_status(invoice_id)
    WHERE invoice_id IS NOT NULL;

-- Payments QuickBooks has against our invoices (including ones entered in QuickBooks).
CREATE TABLE qb_payments (
    txn_id           TEXT PRIMARY KEY,
    customer_list_id TEXT,
    invoice_txn_id   TEXT,                         -- the invoice it is applied to
    invoice_id       TEXT REFERENCES invoices(id), -- our invoice, when it is one of ours
    date             TEXT NOT NULL,
    amount           TEXT NOT NULL,                -- the amount applied to that invoice
    method           TEXT,
    reference        TEXT,
    external_guid    TEXT,
    time_modified    TEXT,
    seen_at          TEXT NOT NULL
);
CREATE INDEX qb_payments_invoice ON qb_payments(invoice_id);

-- Incremental reads: per list or transaction type, the latest TimeModified seen.
CREATE TABLE sync_cursors (
    list           TEXT PRIMARY KEY,               -- "customers", "items", "payments", ...
    last_modified  TEXT NOT NULL,                  -- as QuickBooks wrote it
    updated_at     TEXT NOT NULL
);

-- Objects QuickBooks reported deleted (ListDeletedQuery / TxnDeletedQuery).
CREATE TABLE qb_deleted (
    object_type   TEXT NOT NULL,                   -- ListDelType / TxnDelType, e.g. "Customer"
    qb_id         TEXT NOT NULL,
    full_name     TEXT,                            -- lists; RefNumber for transactions
    time_deleted  TEXT NOT NULL,
    seen_at       TEXT NOT NULL,
    PRIMARY KEY (object_type, qb_id)
);

-- ===================== Decisions the office manager made =====================

-- App customer <-> QuickBooks customer or job.
--   how = 'auto'    matched by FieldBridge (one obvious match)
--   how = 'manual'  chosen by a person
--   how = 'create'  a person asked FieldBridge to create it (list_id NULL until it is)
--   how = 'created' FieldBridge created it in QuickBooks
CREATE TABLE pairings (
    customer_id  TEXT PRIMARY KEY REFERENCES customers(id),
    list_id      TEXT UNIQUE,
    how          TEXT NOT NULL CHECK (how IN ('auto', 'manual', 'create', 'created')),
    decided_at   TEXT NOT NULL,
    -- INVARIANT: only a pending creation has no ListID.
    CHECK ((how = 'create') = (list_id IS NULL))
);

CREATE TABLE item_mappings (
    role            TEXT PRIMARY KEY CHECK (role IN
                        ('service-item', 'service-tax-item', 'project-item', 'project-tax-item')),
    item_full_name  TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The app's payment method word -> QuickBooks PaymentMethod name.
CREATE TABLE payment_method_mappings (
    app_method      TEXT PRIMARY KEY,
    qb_method_name  TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- The one company file this data folder syncs with (one row at most).
CREATE TABLE company_binding (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    company_file  TEXT NOT NULL,
    company_name  TEXT,
    bound_at      TEXT NOT NULL
);
"#;

/// Version 2: what the desktop window needs.
const V2: &str = r#"
-- A person's QuickBooks-side name or number for one record whose own is longer than
-- QuickBooks allows (the Sync page's "rename"). The app record keeps its own value; the sync
-- sends this one instead.
--   kind       customer, project, service_ticket, invoice
--   field      "name" (customers, projects) or "number" (tickets, invoices)
CREATE TABLE qb_name_overrides (
    kind        TEXT NOT NULL CHECK (kind IN
                    ('customer', 'project', 'service_ticket', 'invoice', 'payment')),
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (kind, record_id, field)
);

-- The Customers page lists customers by name, and the QuickBooks picker by full name,
-- 50,000 rows at a time without sorting them all on every page.
CREATE INDEX customers_name ON customers(name COLLATE NOCASE);
CREATE INDEX qb_customers_full_name_nocase ON qb_customers(full_name COLLATE NOCASE);
"#;

/// Version 3: trigram search indexes for the two customer lists a person searches while
/// typing (issue 5: a keystroke within 30 ms over 50,000 QuickBooks customers).
///
/// Each is an FTS5 *external-content* table: it stores only the index and reads the text
/// from its table. The columns are exactly the ones the searches compare
/// (`store::qb_mirror::search_customers`, `store::customers::pairing_rows`); a column added
/// to a search needs a new migration that rebuilds its index.
///
/// Triggers keep it in step, new rows in batches: SQLite opens a statement savepoint for
/// every statement that writes a virtual table, and FTS5 writes out what it holds at each
/// one, so indexing the sync's one-row upserts one by one wrote a new index segment per row
/// (a first pull of 50,000 QuickBooks customers: +3.1 s, against 0.5 s without the index).
/// New rows wait in a queue table instead and are indexed 1,000 at a time by one statement;
/// the searches test the queued rows (fewer than 1,000) directly. Changes to indexed rows
/// and deletions are applied at once (few after the first sync; `clear_customers` is one
/// statement).
const V3: &str = r#"
-- The fingerprints that tell whether the Customers page's suggestions are still current
-- (max(seen_at), max(updated_at)) are read at every keystroke: one index step each instead
-- of reading 50,000 rows.
CREATE INDEX qb_customers_seen_at ON qb_customers(seen_at);
CREATE INDEX customers_updated_at ON customers(updated_at);

-- Trigram tokenizer (SQLite >= 3.34): every 3 characters of a column are a token, folded to
-- one case, so a text of 3 or more characters is found anywhere inside a value through the
-- index. The searches still check each hit with their LIKE: the index only narrows.
-- INVARIANT: every row of the table is either in its index, with its current values, or in
-- its queue, never both; the index's rowid is the table's rowid. Both tables have implicit
-- rowids: nothing in FieldBridge VACUUMs (which could renumber them).

CREATE VIRTUAL TABLE qb_customers_fts USING fts5(
    full_name, company_name, email, phone, bill_line1, bill_line2, bill_city, ship_line1,
    content = 'qb_customers', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO qb_customers_fts (qb_customers_fts) VALUES ('rebuild');
-- Rowids of qb_customers not in qb_customers_fts yet.
CREATE TABLE qb_customers_fts_queue (row INTEGER PRIMARY KEY);

-- A new row waits in the queue; once 1,000 wait, one statement indexes them all. The two
-- insert triggers may fire in either order: either way each row ends indexed or queued.
CREATE TRIGGER qb_customers_fts_insert AFTER INSERT ON qb_customers BEGIN
    INSERT INTO qb_customers_fts_queue (row) VALUES (new.rowid);
END;
CREATE TRIGGER qb_customers_fts_index_queue AFTER INSERT ON qb_customers
WHEN (SELECT count(*) FROM qb_customers_fts_queue) >= 1000
BEGIN
    INSERT INTO qb_customers_fts (rowid, full_name, company_name, email, phone, bill_line1, bill_line2, bill_city, ship_line1)
        SELECT t.rowid, t.full_name, t.company_name, t.email, t.phone, t.bill_line1, t.bill_line2, t.bill_city, t.ship_line1
        FROM qb_customers_fts_queue q JOIN qb_customers t ON t.rowid = q.row;
    DELETE FROM qb_customers_fts_queue;
END;
-- A change to an indexed row re-indexes it at once (a queued row is read when the queue is
-- indexed). A re-read that changes no searched column (the sync's overlapping windows
-- rewrite every column with the same values) does nothing.
CREATE TRIGGER qb_customers_fts_update AFTER UPDATE ON qb_customers
WHEN old.rowid IS NOT new.rowid
  OR old.full_name IS NOT new.full_name
  OR old.company_name IS NOT new.company_name
  OR old.email IS NOT new.email
  OR old.phone IS NOT new.phone
  OR old.bill_line1 IS NOT new.bill_line1
  OR old.bill_line2 IS NOT new.bill_line2
  OR old.bill_city IS NOT new.bill_city
  OR old.ship_line1 IS NOT new.ship_line1
BEGIN
    INSERT INTO qb_customers_fts (qb_customers_fts, rowid, full_name, company_name, email, phone, bill_line1, bill_line2, bill_city, ship_line1)
        SELECT 'delete', old.rowid, old.full_name, old.company_name, old.email, old.phone, old.bill_line1, old.bill_line2, old.bill_city, old.ship_line1
        WHERE NOT EXISTS (SELECT 1 FROM qb_customers_fts_queue WHERE row = old.rowid);
    INSERT INTO qb_customers_fts (rowid, full_name, company_name, email, phone, bill_line1, bill_line2, bill_city, ship_line1)
        SELECT new.rowid, new.full_name, new.company_name, new.email, new.phone, new.bill_line1, new.bill_line2, new.bill_city, new.ship_line1
        WHERE NOT EXISTS (SELECT 1 FROM qb_customers_fts_queue WHERE row = old.rowid);
    UPDATE qb_customers_fts_queue SET row = new.rowid WHERE row = old.rowid;
END;
CREATE TRIGGER qb_customers_fts_delete AFTER DELETE ON qb_customers BEGIN
    INSERT INTO qb_customers_fts (qb_customers_fts, rowid, full_name, company_name, email, phone, bill_line1, bill_line2, bill_city, ship_line1)
        SELECT 'delete', old.rowid, old.full_name, old.company_name, old.email, old.phone, old.bill_line1, old.bill_line2, old.bill_city, old.ship_line1
        WHERE NOT EXISTS (SELECT 1 FROM qb_customers_fts_queue WHERE row = old.rowid);
    DELETE FROM qb_customers_fts_queue WHERE row = old.rowid;
END;

CREATE VIRTUAL TABLE customers_fts USING fts5(
    name, company_name, email, phone, billing_line1, billing_line2, billing_city, billing_postal_code, service_line1, service_city,
    content = 'customers', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');
-- Rowids of customers not in customers_fts yet.
CREATE TABLE customers_fts_queue (row INTEGER PRIMARY KEY);

-- A new row waits in the queue; once 1,000 wait, one statement indexes them all. The two
-- insert triggers may fire in either order: either way each row ends indexed or queued.
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts_queue (row) VALUES (new.rowid);
END;
CREATE TRIGGER customers_fts_index_queue AFTER INSERT ON customers
WHEN (SELECT count(*) FROM customers_fts_queue) >= 1000
BEGIN
    INSERT INTO customers_fts (rowid, name, company_name, email, phone, billing_line1, billing_line2, billing_city, billing_postal_code, service_line1, service_city)
        SELECT t.rowid, t.name, t.company_name, t.email, t.phone, t.billing_line1, t.billing_line2, t.billing_city, t.billing_postal_code, t.service_line1, t.service_city
        FROM customers_fts_queue q JOIN customers t ON t.rowid = q.row;
    DELETE FROM customers_fts_queue;
END;
-- A change to an indexed row re-indexes it at once (a queued row is read when the queue is
-- indexed). A re-read that changes no searched column (the sync's overlapping windows
-- rewrite every column with the same values) does nothing.
CREATE TRIGGER customers_fts_update AFTER UPDATE ON customers
WHEN old.rowid IS NOT new.rowid
  OR old.name IS NOT new.name
  OR old.company_name IS NOT new.company_name
  OR old.email IS NOT new.email
  OR old.phone IS NOT new.phone
  OR old.billing_line1 IS NOT new.billing_line1
  OR old.billing_line2 IS NOT new.billing_line2
  OR old.billing_city IS NOT new.billing_city
  OR old.billing_postal_code IS NOT new.billing_postal_code
  OR old.service_line1 IS NOT new.service_line1
  OR old.service_city IS NOT new.service_city
BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, company_name, email, phone, billing_line1, billing_line2, billing_city, billing_postal_code, service_line1, service_city)
        SELECT 'delete', old.rowid, old.name, old.company_name, old.email, old.phone, old.billing_line1, old.billing_line2, old.billing_city, old.billing_postal_code, old.service_line1, old.service_city
        WHERE NOT EXISTS (SELECT 1 FROM customers_fts_queue WHERE row = old.rowid);
    INSERT INTO customers_fts (rowid, name, company_name, email, phone, billing_line1, billing_line2, billing_city, billing_postal_code, service_line1, service_city)
        SELECT new.rowid, new.name, new.company_name, new.email, new.phone, new.billing_line1, new.billing_line2, new.billing_city, new.billing_postal_code, new.service_line1, new.service_city
        WHERE NOT EXISTS (SELECT 1 FROM customers_fts_queue WHERE row = old.rowid);
    UPDATE customers_fts_queue SET row = new.rowid WHERE row = old.rowid;
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, company_name, email, phone, billing_line1, billing_line2, billing_city, billing_postal_code, service_line1, service_city)
        SELECT 'delete', old.rowid, old.name, old.company_name, old.email, old.phone, old.billing_line1, old.billing_line2, old.billing_city, old.billing_postal_code, old.service_line1, old.service_city
        WHERE NOT EXISTS (SELECT 1 FROM customers_fts_queue WHERE row = old.rowid);
    DELETE FROM customers_fts_queue WHERE row = old.rowid;
END;
"#;

/// Version 4: typed values at the store boundary (issue 10), and what the attention list
/// needs (issue 17).
///
/// - `sessions.outcome` may be `interrupted` (a session FieldBridge stopped in the middle of;
///   closed at the next start). SQLite cannot change a CHECK in place, so the table is
///   rebuilt (SQLite's "12 steps": `migrate_to` turns foreign keys off around migrations
///   and checks them before each commit).
/// - `qb_items.item_type` was Rust's Debug text of the parser's enum ("NonInventory"); it is
///   now `store::codes::ItemType`'s word ("non_inventory").
/// - `history.outcome` `tax_mismatch` is `tax_difference` (the invoice WAS created).
/// - `outbox.problem_code` `needs-mapping` carries the role (`needs-mapping:service-tax-item`).
///   Older versions said the role only in the advice sentence; it is read from there this
///   once, so nothing reads English afterwards.
/// - `tax_differences`: invoices QuickBooks created with a SalesTaxTotal other than the app's
///   expected tax, until a person dismisses them.
const V4: &str = r#"
CREATE TABLE sessions_v4 (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    company_file  TEXT,
    outcome       TEXT NOT NULL DEFAULT 'running'
                  CHECK (outcome IN ('running', 'ok', 'errors', 'failed', 'interrupted')),
    message       TEXT,                            -- why the session failed, plain English
    requests      INTEGER NOT NULL DEFAULT 0,      -- qbXML requests sent
    created       INTEGER NOT NULL DEFAULT 0,      -- records added to QuickBooks
    updated       INTEGER NOT NULL DEFAULT 0,      -- records modified in QuickBooks
    failed        INTEGER NOT NULL DEFAULT 0       -- records that failed or need attention
);
INSERT INTO sessions_v4 (id, started_at, finished_at, company_file, outcome, message, requests,
                         created, updated, failed)
    SELECT id, started_at, finished_at, company_file, outcome, message, requests, created,
           updated, failed
    FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_v4 RENAME TO sessions;

UPDATE qb_items SET item_type = CASE item_type
    WHEN 'Service' THEN 'service'
    WHEN 'NonInventory' THEN 'non_inventory'
    WHEN 'OtherCharge' THEN 'other_charge'
    WHEN 'Inventory' THEN 'inventory'
    WHEN 'InventoryAssembly' THEN 'inventory_assembly'
    WHEN 'Group' THEN 'group'
    WHEN 'Discount' THEN 'discount'
    WHEN 'Payment' THEN 'payment'
    WHEN 'Subtotal' THEN 'subtotal'
    WHEN 'SalesTax' THEN 'sales_tax'
    WHEN 'SalesTaxGroup' THEN 'sales_tax_group'
    WHEN 'FixedAsset' THEN 'fixed_asset'
    ELSE item_type END;

UPDATE history SET outcome = 'tax_difference' WHERE outcome = 'tax_mismatch';

-- The advice said "Choose the {service|project} {item|sales tax item} on the Items page."
UPDATE outbox SET problem_code = 'needs-mapping:' ||
    CASE WHEN advice LIKE '%project%' THEN 'project' ELSE 'service' END ||
    CASE WHEN advice LIKE '%sales tax item%' THEN '-tax-item' ELSE '-item' END
WHERE problem_code = 'needs-mapping';

CREATE TABLE tax_differences (
    invoice_id    TEXT PRIMARY KEY REFERENCES invoices(id),
    expected      TEXT NOT NULL,                   -- the app's expected_tax, exact decimal
    quickbooks    TEXT NOT NULL,                   -- QuickBooks' SalesTaxTotal, exact decimal
    session_id    INTEGER REFERENCES sessions(id),
    noted_at      TEXT NOT NULL,
    dismissed_at  TEXT                             -- a person looked at it; NULL: still open
);
"#;

/// Version 5: the event feed (shared design `api.md`): the product's outbox of facts, read by
/// `GET /api/v1/events` and delivered by the platform link. Owned by `store::events`.
///
/// Every event is written by a TRIGGER on the table whose change it reports, so it is in the
/// same transaction as that change by construction: a rolled-back change leaves no event, a
/// committed one cannot lack its event, whichever code path (one-row or bulk statement) made
/// it. `seq` is AUTOINCREMENT: strictly increasing and never reused, also after pruning.
const V5: &str = r#"
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,                      -- RFC 3339 UTC
    type       TEXT NOT NULL,                      -- record.synced, payment.received, ...
    kind       TEXT,                               -- the API's kind (invoices), or NULL
    record_id  TEXT,                               -- the app record's id, or NULL
    data       TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX events_at ON events(at);

-- The deletion and payment triggers look records up by QuickBooks' id.
CREATE INDEX IF NOT EXISTS outbox_qb_id ON outbox(qb_id) WHERE qb_id IS NOT NULL;

-- A record's sync state moved: synced, needs attention, failed; deleted in QuickBooks.
CREATE TRIGGER events_outbox_state AFTER UPDATE OF state ON outbox
WHEN new.state IS NOT old.state AND new.state IN ('synced', 'needs_attention', 'failed')
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
           CASE new.state WHEN 'synced' THEN 'record.synced'
                          WHEN 'failed' THEN 'record.failed'
                          ELSE 'record.needs_attention' END,
           CASE new.kind WHEN 'customer' THEN 'customers' WHEN 'project' THEN 'projects'
                         WHEN 'service_ticket' THEN 'service_tickets'
                         WHEN 'invoice' THEN 'invoices' ELSE 'payments' END,
           new.record_id,
           CASE new.state
               WHEN 'synced' THEN
                   CASE WHEN new.kind = 'invoice' THEN
                       (SELECT json_object('qb_id', new.qb_id, 'balance', q.balance,
                                           'paid', json(CASE q.is_paid WHEN 1 THEN 'true'
                                                        WHEN 0 THEN 'false' ELSE 'null' END))
                        FROM (SELECT 1) LEFT JOIN qb_invoice_status q
                             ON q.invoice_id = new.record_id)
                   ELSE json_object('qb_id', new.qb_id) END
               WHEN 'failed' THEN
                   json_object('problem', new.problem_text, 'qb_status_code', new.problem_code,
                               'qb_status_message', new.problem_message)
               ELSE json_object('problem', new.problem_text, 'code', new.problem_code)
           END;
    INSERT INTO events (at, type, kind, record_id, data)
    SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'record.deleted_in_quickbooks',
           CASE new.kind WHEN 'customer' THEN 'customers' WHEN 'project' THEN 'projects'
                         WHEN 'service_ticket' THEN 'service_tickets'
                         WHEN 'invoice' THEN 'invoices' ELSE 'payments' END,
           new.record_id, json_object('qb_id', old.qb_id)
    WHERE new.problem_code = 'deleted-in-quickbooks' AND old.qb_id IS NOT NULL;
END;

-- QuickBooks reports a balance or paid state for one of our invoices it already has (the
-- answer to our own add is reported by record.synced instead).
CREATE TRIGGER events_invoice_status_insert AFTER INSERT ON qb_invoice_status
WHEN new.invoice_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM outbox WHERE kind = 'invoice' AND record_id = new.invoice_id
                 AND state <> 'in_flight')
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'invoice.balance_changed', 'invoices',
            new.invoice_id,
            json_object('qb_id', new.txn_id, 'balance', new.balance,
                        'paid', json(CASE new.is_paid WHEN 1 THEN 'true' ELSE 'false' END)));
END;
CREATE TRIGGER events_invoice_status_update AFTER UPDATE ON qb_invoice_status
WHEN new.invoice_id IS NOT NULL
     AND (new.balance IS NOT old.balance OR new.is_paid IS NOT old.is_paid
          OR new.invoice_id IS NOT old.invoice_id)
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'invoice.balance_changed', 'invoices',
            new.invoice_id,
            json_object('qb_id', new.txn_id, 'balance', new.balance,
                        'paid', json(CASE new.is_paid WHEN 1 THEN 'true' ELSE 'false' END)));
END;

-- A payment entered in QuickBooks applied to one of our invoices (not one we sent: neither
-- our TxnID nor our ExternalGUID, as `export` tells them apart).
CREATE TRIGGER events_qb_payment AFTER INSERT ON qb_payments
WHEN new.invoice_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM outbox WHERE qb_id = new.txn_id AND kind = 'payment')
     AND (new.external_guid IS NULL
          OR NOT EXISTS (SELECT 1 FROM payments WHERE guid = new.external_guid))
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'payment.received', 'invoices',
            new.invoice_id,
            json_object('qb_id', new.txn_id, 'invoice_id', new.invoice_id,
                        'amount', new.amount, 'date', new.date, 'method', new.method,
                        'reference', new.reference));
END;

-- A QuickBooks customer or job added, changed or made inactive.
CREATE TRIGGER events_qb_customer_insert AFTER INSERT ON qb_customers
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'quickbooks.customer_changed', NULL, NULL,
            json_object('list_id', new.list_id, 'full_name', new.full_name,
                        'active', json(CASE new.is_active WHEN 1 THEN 'true' ELSE 'false' END),
                        'linked_to', coalesce(
                            (SELECT customer_id FROM pairings WHERE list_id = new.list_id),
                            (SELECT record_id FROM outbox WHERE qb_id = new.list_id
                             AND kind IN ('customer', 'project')))));
END;
CREATE TRIGGER events_qb_customer_update AFTER UPDATE ON qb_customers
WHEN new.edit_sequence IS NOT old.edit_sequence OR new.is_active IS NOT old.is_active
     OR new.full_name IS NOT old.full_name
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'quickbooks.customer_changed', NULL, NULL,
            json_object('list_id', new.list_id, 'full_name', new.full_name,
                        'active', json(CASE new.is_active WHEN 1 THEN 'true' ELSE 'false' END),
                        'linked_to', coalesce(
                            (SELECT customer_id FROM pairings WHERE list_id = new.list_id),
                            (SELECT record_id FROM outbox WHERE qb_id = new.list_id
                             AND kind IN ('customer', 'project')))));
END;

-- A Web Connector session ended; events older than 31 days go (kept at least 30).
CREATE TRIGGER events_session_finished AFTER UPDATE OF finished_at ON sessions
WHEN old.finished_at IS NULL AND new.finished_at IS NOT NULL
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'session.finished', NULL, NULL,
            json_object('session_id', new.id, 'outcome', new.outcome, 'created', new.created,
                        'updated', new.updated, 'failed', new.failed));
    DELETE FROM events WHERE at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-31 days');
END;
"#;

/// Version V_INBOUND (issue 11, "QuickBooks to app"): what people do in QuickBooks between
/// runs. Owned by `store::qb_changes`.
///
/// - `qb_invoices`: every invoice QuickBooks has for a linked customer or job, as last read.
///   Ours (`invoice_id` set) for the total, due date and void QuickBooks shows (their balance
///   stays in `qb_invoice_status`); those a person created directly in QuickBooks
///   (`invoice_id` NULL) in full, with their lines in `qb_invoice_lines`, exported with
///   `"source": "quickbooks"`.
/// - `qb_customer_renames`: a linked customer or job renamed in QuickBooks keeps its link; the
///   name it had is kept here for the Customers page and the API (written by a trigger on the
///   mirror, so no path that writes `qb_customers` can miss it).
/// - Events (same transaction as the change, like migration 5): `invoice.created_in_quickbooks`,
///   `invoice.changed_in_quickbooks`, and `record.deleted_in_quickbooks` for an invoice voided
///   or deleted in QuickBooks and for a payment entered in QuickBooks that was deleted there.
const V_INBOUND: &str = r#"
CREATE TABLE qb_invoices (
    txn_id           TEXT PRIMARY KEY,
    invoice_id       TEXT,                         -- our invoice; NULL: created in QuickBooks
    customer_list_id TEXT NOT NULL,                -- the QuickBooks customer or job it bills
    customer_id      TEXT NOT NULL,                -- the app customer (a job's: its project's)
    project_id       TEXT,                         -- the app project, when it bills a linked job
    ref_number       TEXT,
    txn_date         TEXT NOT NULL,                -- YYYY-MM-DD
    due_date         TEXT,                         -- YYYY-MM-DD
    memo             TEXT,
    subtotal         TEXT NOT NULL,                -- exact decimals, as QuickBooks computed them
    sales_tax_total  TEXT NOT NULL,
    total            TEXT NOT NULL,                -- subtotal + sales tax
    balance          TEXT NOT NULL,
    is_paid          INTEGER NOT NULL CHECK (is_paid IN (0, 1)),
    voided           INTEGER NOT NULL CHECK (voided IN (0, 1)),
    edit_sequence    TEXT,
    time_modified    TEXT,                         -- as QuickBooks wrote it
    seen_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX qb_invoices_ours ON qb_invoices(invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX qb_invoices_customer ON qb_invoices(customer_list_id);

-- The lines of invoices created in QuickBooks (ours keep theirs in invoice_lines). Written
-- before their invoice's row, so the creation event can carry them.
CREATE TABLE qb_invoice_lines (
    txn_id       TEXT NOT NULL,
    line_no      INTEGER NOT NULL,                 -- 0-based, in QuickBooks' order
    txn_line_id  TEXT,
    item         TEXT,                             -- the item's full name
    description  TEXT,
    quantity     TEXT,
    rate         TEXT,
    amount       TEXT NOT NULL,
    taxable      INTEGER CHECK (taxable IN (0, 1)), -- from the line's sales tax code; NULL unknown
    PRIMARY KEY (txn_id, line_no)
);

CREATE TABLE qb_customer_renames (
    kind        TEXT NOT NULL CHECK (kind IN ('customer', 'project')),
    record_id   TEXT NOT NULL,
    list_id     TEXT NOT NULL,
    old_name    TEXT NOT NULL,                     -- the full name it had when it was linked
    new_name    TEXT NOT NULL,
    renamed_on  TEXT NOT NULL,                     -- YYYY-MM-DD, QuickBooks' own date
    noted_at    TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
);

-- A linked customer or job renamed in QuickBooks. Not a rename in QuickBooks: FieldBridge
-- sending the app's own name. Renamed back, or the app's name now QuickBooks': the note goes.
CREATE TRIGGER qb_customer_renamed AFTER UPDATE OF full_name ON qb_customers
WHEN new.full_name IS NOT old.full_name
BEGIN
    INSERT INTO qb_customer_renames (kind, record_id, list_id, old_name, new_name, renamed_on,
                                     noted_at)
    SELECT o.kind, o.record_id, new.list_id, old.full_name, new.full_name,
           substr(new.time_modified, 1, 10), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM outbox o WHERE o.qb_id = new.list_id AND o.kind IN ('customer', 'project')
         AND new.name IS NOT CASE o.kind
             WHEN 'customer' THEN (SELECT c.name FROM customers c WHERE c.id = o.record_id)
             ELSE (SELECT j.name FROM projects j WHERE j.id = o.record_id) END
    ON CONFLICT (kind, record_id) DO UPDATE SET list_id = excluded.list_id,
        new_name = excluded.new_name, renamed_on = excluded.renamed_on,
        noted_at = excluded.noted_at;
    DELETE FROM qb_customer_renames WHERE list_id = new.list_id
        AND (old_name = new.full_name OR new_name IS NOT new.full_name);
END;

-- An invoice created in QuickBooks for a linked customer or job: all of it, lines included.
CREATE TRIGGER events_qb_invoice_created AFTER INSERT ON qb_invoices
WHEN new.invoice_id IS NULL
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'invoice.created_in_quickbooks', 'invoices',
            NULL,
            json_object('qb_id', new.txn_id, 'customer_id', new.customer_id,
                        'project_id', new.project_id, 'number', new.ref_number,
                        'date', new.txn_date, 'due_date', new.due_date, 'memo', new.memo,
                        'subtotal', new.subtotal, 'sales_tax_total', new.sales_tax_total,
                        'total', new.total, 'balance', new.balance,
                        'paid', json(CASE new.is_paid WHEN 1 THEN 'true' ELSE 'false' END),
                        'voided', json(CASE new.voided WHEN 1 THEN 'true' ELSE 'false' END),
                        'lines', json((SELECT json_group_array(json(l.line)) FROM (
                            SELECT json_object('description', description, 'item', item,
                                       'quantity', quantity, 'rate', rate, 'amount', amount,
                                       'taxable', json(CASE taxable WHEN 1 THEN 'true'
                                                       WHEN 0 THEN 'false' ELSE 'null' END))
                                   AS line
                            FROM qb_invoice_lines WHERE txn_id = new.txn_id ORDER BY line_no) l))));
END;

-- Its total or due date changed in QuickBooks (ours or theirs); for theirs also the balance and
-- paid state (ours report those as invoice.balance_changed). A void is reported below.
CREATE TRIGGER events_qb_invoice_changed AFTER UPDATE ON qb_invoices
WHEN (new.total IS NOT old.total OR new.due_date IS NOT old.due_date
      OR (new.invoice_id IS NULL AND (new.balance IS NOT old.balance
                                      OR new.is_paid IS NOT old.is_paid)))
     AND NOT (new.voided = 1 AND old.voided = 0)
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'invoice.changed_in_quickbooks', 'invoices',
            new.invoice_id,
            json_object('qb_id', new.txn_id, 'customer_id', new.customer_id,
                        'total', new.total, 'due_date', new.due_date, 'balance', new.balance,
                        'paid', json(CASE new.is_paid WHEN 1 THEN 'true' ELSE 'false' END)));
END;

-- Voided in QuickBooks: the invoice is still there, with nothing to pay.
CREATE TRIGGER events_qb_invoice_voided AFTER UPDATE OF voided ON qb_invoices
WHEN new.voided = 1 AND old.voided = 0
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'record.deleted_in_quickbooks', 'invoices',
            new.invoice_id,
            json_object('qb_id', new.txn_id, 'voided', json('true'), 'total', new.total,
                        'balance', new.balance,
                        'paid', json(CASE new.is_paid WHEN 1 THEN 'true' ELSE 'false' END)));
END;

-- An invoice created in QuickBooks was deleted there (ours: reported by the outbox trigger).
CREATE TRIGGER events_qb_invoice_deleted AFTER DELETE ON qb_invoices
WHEN old.invoice_id IS NULL
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'record.deleted_in_quickbooks', 'invoices',
            NULL, json_object('qb_id', old.txn_id, 'customer_id', old.customer_id));
    DELETE FROM qb_invoice_lines WHERE txn_id = old.txn_id;
END;

-- A payment entered in QuickBooks against one of our invoices was deleted there (ours: by the
-- outbox trigger). Its invoice's new balance follows as invoice.balance_changed.
CREATE TRIGGER events_qb_payment_deleted AFTER DELETE ON qb_payments
WHEN old.invoice_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM outbox WHERE qb_id = old.txn_id AND kind = 'payment')
     AND (old.external_guid IS NULL
          OR NOT EXISTS (SELECT 1 FROM payments WHERE guid = old.external_guid))
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'record.deleted_in_quickbooks', 'payments',
            NULL,
            json_object('qb_id', old.txn_id, 'invoice_id', old.invoice_id,
                        'amount', old.amount, 'date', old.date));
END;
"#;

/// Edits after the first sync (owned by `store::edits`, `store::payments`): the fields
/// FieldBridge owns on each QuickBooks record as QuickBooks last confirmed them, the changes
/// sent since, and QuickBooks' values when both sides changed a record; the payments the
/// platform reversed (removed from QuickBooks again).
///
/// Sending customer edits (`update_qb_customers`) becomes on by default for new data
/// folders; a data folder that already holds records keeps what it had (off unless chosen):
/// `folder_defaults` says which.
const V_EDITS: &str = r#"
CREATE TABLE qb_edits (
    kind        TEXT NOT NULL CHECK (kind IN
                    ('customer', 'project', 'service_ticket', 'invoice', 'payment')),
    record_id   TEXT NOT NULL,                   -- the app record's import id
    base        TEXT CHECK (base IS NULL OR json_valid(base)),     -- as QuickBooks confirmed
    sent        TEXT CHECK (sent IS NULL OR json_valid(sent)),     -- changes sent since
    theirs      TEXT CHECK (theirs IS NULL OR json_valid(theirs)), -- QuickBooks' side of a conflict
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
);

-- Payments the platform reversed (a row each; a table of its own so that `payments` keeps
-- its columns).
CREATE TABLE payment_reversals (
    payment_id  TEXT PRIMARY KEY REFERENCES payments(id),
    reversed_at TEXT NOT NULL
);

-- The defaults a data folder was born with: a new one sends customer edits; one that already
-- held records keeps the default it had (off). Read by `store::settings`.
CREATE TABLE folder_defaults (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO folder_defaults (key, value)
    SELECT 'update_qb_customers', 'true' WHERE NOT EXISTS (SELECT 1 FROM outbox);
"#;

/// Account numbers and special types beside each QuickBooks account (issue 16): expenses
/// and summarized journal entries name accounts "by full name or account number"
/// (`store::accounts`). The accounts cursor is forgotten so the next sync reads every account
/// again, with its number.
const V_ACCOUNTS: &str = r#"
ALTER TABLE qb_accounts ADD COLUMN special_account_type TEXT;
ALTER TABLE qb_accounts ADD COLUMN account_number TEXT;
CREATE INDEX qb_accounts_full_name ON qb_accounts(full_name COLLATE NOCASE);
CREATE INDEX qb_accounts_number ON qb_accounts(account_number) WHERE account_number IS NOT NULL;
DELETE FROM sync_cursors WHERE list = 'accounts';
"#;

/// Vendors and expenses (issue 16; shared design `import-format.md`, "Expenses, and income
/// accounts"): the app's vendors and expenses with their lines, QuickBooks' vendors, the
/// vendor pairings, and two more outbox kinds (`vendor`, rank 5; `expense`, rank 6). SQLite
/// cannot change the outbox's CHECK in place, so the outbox is rebuilt (its indexes and its
/// event trigger with it; the trigger now names the two new kinds). The triggers of other
/// tables that read the outbox are created again as version 5 wrote them.
const V_EXPENSES: &str = r#"
CREATE TABLE vendors (
    id            TEXT PRIMARY KEY,
    guid          TEXT NOT NULL UNIQUE,            -- the ExternalGUID of its VendorAdd
    name          TEXT NOT NULL,                   -- QuickBooks' Name (limit 41 checked at sync)
    company_name  TEXT,
    email         TEXT,
    phone         TEXT,
    line1         TEXT,
    line2         TEXT,
    city          TEXT,
    state         TEXT,
    postal_code   TEXT,
    country       TEXT,
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX vendors_name ON vendors(name COLLATE NOCASE);

-- paid = 0: a Bill; paid = 1: a Check, or a CreditCardCharge when `paid_from` is a credit
-- card account (decided at sync time from QuickBooks' account type).
CREATE TABLE expenses (
    id           TEXT PRIMARY KEY,
    guid         TEXT NOT NULL UNIQUE,
    vendor_id    TEXT NOT NULL REFERENCES vendors(id),
    date         TEXT NOT NULL,
    number       TEXT,                             -- the vendor's invoice number: RefNumber
    memo         TEXT,
    customer_id  TEXT REFERENCES customers(id),    -- billable lines are billable to it
    project_id   TEXT REFERENCES projects(id),     -- ... or to this job
    paid         INTEGER NOT NULL CHECK (paid IN (0, 1)),
    paid_from    TEXT,                             -- account full name or number (paid = 1)
    due_date     TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (paid = 0 OR paid_from IS NOT NULL)
);
CREATE INDEX expenses_vendor ON expenses(vendor_id);

CREATE TABLE expense_lines (
    expense_id   TEXT NOT NULL REFERENCES expenses(id) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,
    account      TEXT NOT NULL,                    -- QuickBooks account: full name or number
    description  TEXT,
    amount       TEXT NOT NULL,                    -- exact decimal
    billable     INTEGER NOT NULL CHECK (billable IN (0, 1)),
    PRIMARY KEY (expense_id, line_no)
);

CREATE TABLE qb_vendors (
    list_id        TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    is_active      INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    company_name   TEXT,
    email          TEXT,
    phone          TEXT,
    line1          TEXT,
    postal_code    TEXT,
    edit_sequence  TEXT NOT NULL,
    time_modified  TEXT,
    external_guid  TEXT,                           -- ours, when FieldBridge created it
    seen_at        TEXT NOT NULL
);
CREATE INDEX qb_vendors_name ON qb_vendors(name COLLATE NOCASE);
CREATE INDEX qb_vendors_guid ON qb_vendors(external_guid) WHERE external_guid IS NOT NULL;

-- App vendor <-> QuickBooks vendor, decided as customers' pairings are.
CREATE TABLE vendor_pairings (
    vendor_id   TEXT PRIMARY KEY REFERENCES vendors(id),
    list_id     TEXT UNIQUE,
    how         TEXT NOT NULL CHECK (how IN ('auto', 'manual', 'create', 'created')),
    decided_at  TEXT NOT NULL,
    CHECK ((how = 'create') = (list_id IS NULL))
);

CREATE TABLE outbox_v6 (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN
                         ('customer', 'project', 'service_ticket', 'invoice', 'payment',
                          'vendor', 'expense')),
    kind_rank        INTEGER NOT NULL,             -- 0 customer .. 4 payment, 5 vendor, 6 expense
    record_id        TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
                         ('pending', 'in_flight', 'synced', 'failed', 'needs_attention')),
    qb_id            TEXT,
    edit_sequence    TEXT,
    revision         INTEGER NOT NULL DEFAULT 1,
    sent_revision    INTEGER,
    synced_revision  INTEGER,
    dirty            INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),
    batch_id         INTEGER REFERENCES batches(id),
    message_set_id   TEXT,
    request_id       TEXT,
    problem_code     TEXT,
    problem_message  TEXT,
    problem_text     TEXT,
    advice           TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    updated_at       TEXT NOT NULL,
    UNIQUE (kind, record_id),
    -- INVARIANT: in_flight <=> a batch is set.
    CHECK ((state = 'in_flight') = (batch_id IS NOT NULL)),
    -- INVARIANT: synced => QuickBooks' id is known.
    CHECK (state <> 'synced' OR qb_id IS NOT NULL)
);
INSERT INTO outbox_v6 SELECT * FROM outbox;
-- Other tables' triggers read the outbox in their bodies; SQLite's rename re-checks them
-- while no `outbox` exists, so they are dropped here and created again below, unchanged
-- (as version 5 wrote them).
DROP TRIGGER events_invoice_status_insert;
DROP TRIGGER events_qb_payment;
DROP TRIGGER events_qb_customer_insert;
DROP TRIGGER events_qb_customer_update;
DROP TABLE outbox;
ALTER TABLE outbox_v6 RENAME TO outbox;
CREATE TRIGGER events_invoice_status_insert AFTER INSERT ON qb_invoice_status
WHEN new.invoice_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM outbox WHERE kind = 'invoice' AND record_id = new.invoice_id
                 AND state <> 'in_flight')
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'invoice.balance_changed', 'invoices',
            new.invoice_id,
            json_object('qb_id', new.txn_id, 'balance', new.balance,
                        'paid', json(CASE new.is_paid WHEN 1 THEN 'true' ELSE 'false' END)));
END;
CREATE TRIGGER events_qb_payment AFTER INSERT ON qb_payments
WHEN new.invoice_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM outbox WHERE qb_id = new.txn_id AND kind = 'payment')
     AND (new.external_guid IS NULL
          OR NOT EXISTS (SELECT 1 FROM payments WHERE guid = new.external_guid))
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'payment.received', 'invoices',
            new.invoice_id,
            json_object('qb_id', new.txn_id, 'invoice_id', new.invoice_id,
                        'amount', new.amount, 'date', new.date, 'method', new.method,
                        'reference', new.reference));
END;
CREATE TRIGGER events_qb_customer_insert AFTER INSERT ON qb_customers
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'quickbooks.customer_changed', NULL, NULL,
            json_object('list_id', new.list_id, 'full_name', new.full_name,
                        'active', json(CASE new.is_active WHEN 1 THEN 'true' ELSE 'false' END),
                        'linked_to', coalesce(
                            (SELECT customer_id FROM pairings WHERE list_id = new.list_id),
                            (SELECT record_id FROM outbox WHERE qb_id = new.list_id
                             AND kind IN ('customer', 'project')))));
END;
CREATE TRIGGER events_qb_customer_update AFTER UPDATE ON qb_customers
WHEN new.edit_sequence IS NOT old.edit_sequence OR new.is_active IS NOT old.is_active
     OR new.full_name IS NOT old.full_name
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'quickbooks.customer_changed', NULL, NULL,
            json_object('list_id', new.list_id, 'full_name', new.full_name,
                        'active', json(CASE new.is_active WHEN 1 THEN 'true' ELSE 'false' END),
                        'linked_to', coalesce(
                            (SELECT customer_id FROM pairings WHERE list_id = new.list_id),
                            (SELECT record_id FROM outbox WHERE qb_id = new.list_id
                             AND kind IN ('customer', 'project')))));
END;
CREATE INDEX outbox_next ON outbox(state, kind_rank, id);
CREATE INDEX outbox_batch ON outbox(batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX outbox_qb_id ON outbox(qb_id) WHERE qb_id IS NOT NULL;

CREATE TRIGGER events_outbox_state AFTER UPDATE OF state ON outbox
WHEN new.state IS NOT old.state AND new.state IN ('synced', 'needs_attention', 'failed')
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
           CASE new.state WHEN 'synced' THEN 'record.synced'
                          WHEN 'failed' THEN 'record.failed'
                          ELSE 'record.needs_attention' END,
           CASE new.kind WHEN 'customer' THEN 'customers' WHEN 'project' THEN 'projects'
                         WHEN 'service_ticket' THEN 'service_tickets'
                         WHEN 'invoice' THEN 'invoices' WHEN 'vendor' THEN 'vendors'
                         WHEN 'expense' THEN 'expenses' ELSE 'payments' END,
           new.record_id,
           CASE new.state
               WHEN 'synced' THEN
                   CASE WHEN new.kind = 'invoice' THEN
                       (SELECT json_object('qb_id', new.qb_id, 'balance', q.balance,
                                           'paid', json(CASE q.is_paid WHEN 1 THEN 'true'
                                                        WHEN 0 THEN 'false' ELSE 'null' END))
                        FROM (SELECT 1) LEFT JOIN qb_invoice_status q
                             ON q.invoice_id = new.record_id)
                   ELSE json_object('qb_id', new.qb_id) END
               WHEN 'failed' THEN
                   json_object('problem', new.problem_text, 'qb_status_code', new.problem_code,
                               'qb_status_message', new.problem_message)
               ELSE json_object('problem', new.problem_text, 'code', new.problem_code)
           END;
    INSERT INTO events (at, type, kind, record_id, data)
    SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'record.deleted_in_quickbooks',
           CASE new.kind WHEN 'customer' THEN 'customers' WHEN 'project' THEN 'projects'
                         WHEN 'service_ticket' THEN 'service_tickets'
                         WHEN 'invoice' THEN 'invoices' WHEN 'vendor' THEN 'vendors'
                         WHEN 'expense' THEN 'expenses' ELSE 'payments' END,
           new.record_id, json_object('qb_id', old.qb_id)
    WHERE new.problem_code = 'deleted-in-quickbooks' AND old.qb_id IS NOT NULL;
END;
"#;

/// Version V_LARGE (large company files, issue 18): the pairing index of QuickBooks' customers
/// and jobs moves from memory to SQLite. Owned by `store::pairing_keys` (read its doc).
///
/// The keys are hashes worked out in Rust (`pairing::qb_keys`), so the triggers only queue
/// the rows whose keys are out of date; the sync files them when pushing starts. Every
/// existing row is queued here, so an upgraded database is filed at its next sync. The
/// index on `parent_list_id` finds a customer's existing jobs without reading every record.
const V_LARGE: &str = r#"
CREATE TABLE qb_pairing_keys (
    key  INTEGER NOT NULL,                         -- pairing::qb_keys hash, 64 bits signed
    row  INTEGER NOT NULL,                         -- qb_customers.rowid
    PRIMARY KEY (key, row)
) WITHOUT ROWID;
CREATE INDEX qb_pairing_keys_row ON qb_pairing_keys(row);

-- Rowids of qb_customers whose keys are to be worked out again.
CREATE TABLE qb_pairing_queue (row INTEGER PRIMARY KEY);
INSERT INTO qb_pairing_queue (row) SELECT rowid FROM qb_customers;

-- Not INSERT OR IGNORE: an outer statement's conflict clause (the mirror's upserts) would
-- replace the trigger's own.
CREATE TRIGGER qb_pairing_insert AFTER INSERT ON qb_customers BEGIN
    INSERT INTO qb_pairing_queue (row) SELECT new.rowid
        WHERE NOT EXISTS (SELECT 1 FROM qb_pairing_queue WHERE row = new.rowid);
END;
CREATE TRIGGER qb_pairing_update AFTER UPDATE ON qb_customers
WHEN new.rowid IS NOT old.rowid OR new.list_id IS NOT old.list_id
     OR new.name IS NOT old.name OR new.is_active IS NOT old.is_active
     OR new.company_name IS NOT old.company_name OR new.email IS NOT old.email
     OR new.phone IS NOT old.phone
     OR new.bill_line1 IS NOT old.bill_line1 OR new.bill_postal_code IS NOT old.bill_postal_code
     OR new.ship_line1 IS NOT old.ship_line1 OR new.ship_postal_code IS NOT old.ship_postal_code
BEGIN
    DELETE FROM qb_pairing_keys WHERE row = old.rowid AND old.rowid IS NOT new.rowid;
    DELETE FROM qb_pairing_queue WHERE row = old.rowid AND old.rowid IS NOT new.rowid;
    INSERT INTO qb_pairing_queue (row) SELECT new.rowid
        WHERE NOT EXISTS (SELECT 1 FROM qb_pairing_queue WHERE row = new.rowid);
END;
CREATE TRIGGER qb_pairing_delete AFTER DELETE ON qb_customers BEGIN
    DELETE FROM qb_pairing_keys WHERE row = old.rowid;
    DELETE FROM qb_pairing_queue WHERE row = old.rowid;
END;

CREATE INDEX qb_customers_parent ON qb_customers(parent_list_id)
    WHERE parent_list_id IS NOT NULL;
"#;

/// Summarized journal entries and deposits (issue 16; shared design `import-format.md`
/// "Expenses, and income accounts", `cli.md` settings `mode`, `deposit-account`). Owned by
/// `store::journal` and `store::deposits`; the settings rows by `store::accounting`.
///
/// - A line's income `account` (summary mode), on both line tables (they share a layout).
/// - QuickBooks items' income account; the items cursor is dropped so the next run reads
///   every item again and learns it.
/// - `journal_entries`: one row per JournalEntryAdd FieldBridge built, with its stable
///   ExternalGUID; `journal_members`: which invoices or payments each one carries.
///   INVARIANT (exactly once per period): at most one live (not dropped) entry per
///   (what, period, adjusting number), so a period's entry and each adjusting entry can exist
///   only once; a record is carried by at most one live entry.
/// - `deposits` and `undeposited`: money FieldBridge put in Undeposited Funds (a payment, or
///   a summarized payments entry) and the one live deposit that took it to the bank.
const V_SUMMARY: &str = r#"
ALTER TABLE invoice_lines ADD COLUMN account TEXT;
ALTER TABLE service_ticket_lines ADD COLUMN account TEXT;
ALTER TABLE qb_items ADD COLUMN income_account TEXT;
DELETE FROM sync_cursors WHERE list = 'items';

CREATE TABLE journal_entries (
    id            INTEGER PRIMARY KEY,
    what          TEXT NOT NULL CHECK (what IN ('invoices', 'payments')),
    period        TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
    period_start  TEXT NOT NULL,                   -- YYYY-MM-DD, the records' own dates
    adjusting     INTEGER NOT NULL CHECK (adjusting >= 0),  -- 0: the period's entry
    guid          TEXT NOT NULL UNIQUE,            -- ExternalGUID sent with it
    ref_number    TEXT NOT NULL,
    total         TEXT NOT NULL,                   -- the debits (= the credits), exact
    state         TEXT NOT NULL CHECK (state IN ('in_flight', 'posted', 'dropped')),
    batch_id      INTEGER REFERENCES batches(id),
    txn_id        TEXT,                            -- QuickBooks' TxnID once posted
    uf_line_id    TEXT,                            -- its Undeposited Funds line (payments)
    created_at    TEXT NOT NULL,
    posted_at     TEXT
);
CREATE UNIQUE INDEX journal_entries_once
    ON journal_entries(what, period, period_start, adjusting) WHERE state <> 'dropped';
CREATE INDEX journal_entries_batch ON journal_entries(batch_id) WHERE state = 'in_flight';

CREATE TABLE journal_members (
    entry_id   INTEGER NOT NULL REFERENCES journal_entries(id),
    kind       TEXT NOT NULL CHECK (kind IN ('invoice', 'payment')),
    record_id  TEXT NOT NULL,
    amount     TEXT NOT NULL,                      -- what it added to the entry, exact
    PRIMARY KEY (entry_id, kind, record_id)
);
CREATE INDEX journal_members_record ON journal_members(kind, record_id);

CREATE TABLE deposits (
    id            INTEGER PRIMARY KEY,
    period        TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
    period_start  TEXT NOT NULL,
    account       TEXT NOT NULL,                   -- the bank account, as chosen
    guid          TEXT NOT NULL UNIQUE,
    total         TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('in_flight', 'posted', 'dropped')),
    batch_id      INTEGER REFERENCES batches(id),
    txn_id        TEXT,
    created_at    TEXT NOT NULL,
    posted_at     TEXT
);
CREATE INDEX deposits_batch ON deposits(batch_id) WHERE state = 'in_flight';

-- Money FieldBridge put in Undeposited Funds, waiting to be deposited (deposit_id NULL) or
-- taken by a deposit (live while that deposit is not dropped).
CREATE TABLE undeposited (
    source      TEXT NOT NULL CHECK (source IN ('payment', 'journal')),
    source_id   TEXT NOT NULL,                     -- the payment's id, or journal_entries.id
    date        TEXT NOT NULL,                     -- the payment's (or period's) date
    amount      TEXT NOT NULL,
    deposit_id  INTEGER REFERENCES deposits(id),
    PRIMARY KEY (source, source_id)
);
CREATE INDEX undeposited_waiting ON undeposited(date) WHERE deposit_id IS NULL;
"#;

/// Expenses follow the rules of invoices (issue 16): one voided in the app is voided in
/// QuickBooks, and what QuickBooks made of each (a bill, a check or a card charge; whether
/// the bill is paid) is kept, because a paid expense's kind cannot change once it is there.
const V_EXPENSE_EDITS: &str = r#"
ALTER TABLE expenses ADD COLUMN void INTEGER NOT NULL DEFAULT 0 CHECK (void IN (0, 1));

-- Expenses' owned-field snapshots (`store::edits`) join those of the other kinds: the table
-- is rebuilt for its wider CHECK (SQLite cannot alter one), every row kept.
CREATE TABLE qb_edits_new (
    kind        TEXT NOT NULL CHECK (kind IN
                    ('customer', 'project', 'service_ticket', 'invoice', 'payment', 'expense')),
    record_id   TEXT NOT NULL,                   -- the app record's import id
    base        TEXT CHECK (base IS NULL OR json_valid(base)),     -- as QuickBooks confirmed
    sent        TEXT CHECK (sent IS NULL OR json_valid(sent)),     -- changes sent since
    theirs      TEXT CHECK (theirs IS NULL OR json_valid(theirs)), -- QuickBooks' side of a conflict
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
);
INSERT INTO qb_edits_new (kind, record_id, base, sent, theirs, updated_at)
    SELECT kind, record_id, base, sent, theirs, updated_at FROM qb_edits;
DROP TABLE qb_edits;
ALTER TABLE qb_edits_new RENAME TO qb_edits;

-- What QuickBooks holds for one of our expenses, from the answers to our adds and mods and
-- from re-reads and the pull.
CREATE TABLE qb_expense_status (
    expense_id  TEXT PRIMARY KEY,
    txn_id      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('bill', 'check', 'credit_card_charge')),
    is_paid     INTEGER NOT NULL CHECK (is_paid IN (0, 1)),   -- bills: IsPaid; else 0
    seen_at     TEXT NOT NULL
);
CREATE INDEX qb_expense_status_txn ON qb_expense_status(txn_id);
"#;

/// Large company files (issue 18), two costs of writing a QuickBooks customer to the mirror
/// that the sync does not need to pay:
/// - The index on `events.at` goes. Nothing reads events by time (the feed reads by `seq`,
///   and nothing prunes), yet every event paid for it: on a first read of 50,000 QuickBooks
///   customers, one `quickbooks.customer_changed` each, about a sixth of writing a customer.
/// - New QuickBooks customers are no longer indexed for search in the middle of the sync,
///   a thousand at a time: they wait in `qb_customers_fts_queue` (searches read queued rows
///   directly, so every answer is the same) and are indexed after the session, in chunks
///   (`qb_mirror::index_for_search`). Changes to indexed rows still re-index them at once.
const V_LEAN_MIRROR: &str = r#"
DROP INDEX IF EXISTS events_at;
DROP TRIGGER IF EXISTS qb_customers_fts_index_queue;
"#;

/// Large company files (issue 18): no temporary table for every row the sync writes.
///
/// SQLite evaluates `x IN ('a', 'b', 'c')` (a list of more than two constants) by building a
/// temporary B-tree of the list, once per statement, and a trigger's program or a CHECK
/// runs once per row written. So each row paid about 20,000 instructions for a table of
/// three to seven words: twice per record for the state trigger on `outbox` (in flight,
/// synced), twice for the record's owned-field snapshot (`qb_edits`: sent, confirmed), once
/// per customer paired; 8,214 temporary tables in a first sync of 2,000 records, about a
/// tenth of its work. The same tests are written as `=` joined by OR, which SQLite compares
/// in place. `store::migrations::tests::rows_the_sync_writes_build_no_temporary_table`
/// keeps it so. The rebuilt tables keep every row (SQLite cannot alter a CHECK).
const V_NO_TEMP_TABLES: &str = r#"
DROP TRIGGER events_outbox_state;
CREATE TRIGGER events_outbox_state AFTER UPDATE OF state ON outbox
WHEN new.state IS NOT old.state
     AND (new.state = 'synced' OR new.state = 'needs_attention' OR new.state = 'failed')
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    SELECT replace(datetime('now'), ' ', 'T') || 'Z',
           CASE new.state WHEN 'synced' THEN 'record.synced'
                          WHEN 'failed' THEN 'record.failed'
                          ELSE 'record.needs_attention' END,
           CASE new.kind WHEN 'customer' THEN 'customers' WHEN 'project' THEN 'projects'
                         WHEN 'service_ticket' THEN 'service_tickets'
                         WHEN 'invoice' THEN 'invoices' WHEN 'vendor' THEN 'vendors'
                         WHEN 'expense' THEN 'expenses' ELSE 'payments' END,
           new.record_id,
           CASE new.state
               WHEN 'synced' THEN
                   CASE WHEN new.kind = 'invoice' THEN
                       (SELECT json_object('qb_id', new.qb_id, 'balance', q.balance,
                                           'paid', json(CASE q.is_paid WHEN 1 THEN 'true'
                                                        WHEN 0 THEN 'false' ELSE 'null' END))
                        FROM (SELECT 1) LEFT JOIN qb_invoice_status q
                             ON q.invoice_id = new.record_id)
                   ELSE json_object('qb_id', new.qb_id) END
               WHEN 'failed' THEN
                   json_object('problem', new.problem_text, 'qb_status_code', new.problem_code,
                               'qb_status_message', new.problem_message)
               ELSE json_object('problem', new.problem_text, 'code', new.problem_code)
           END;
    INSERT INTO events (at, type, kind, record_id, data)
    SELECT replace(datetime('now'), ' ', 'T') || 'Z', 'record.deleted_in_quickbooks',
           CASE new.kind WHEN 'customer' THEN 'customers' WHEN 'project' THEN 'projects'
                         WHEN 'service_ticket' THEN 'service_tickets'
                         WHEN 'invoice' THEN 'invoices' WHEN 'vendor' THEN 'vendors'
                         WHEN 'expense' THEN 'expenses' ELSE 'payments' END,
           new.record_id, json_object('qb_id', old.qb_id)
    WHERE new.problem_code = 'deleted-in-quickbooks' AND old.qb_id IS NOT NULL;
END;

CREATE TABLE qb_edits_new (
    kind        TEXT NOT NULL CHECK (kind = 'customer' OR kind = 'project'
                    OR kind = 'service_ticket' OR kind = 'invoice' OR kind = 'payment'
                    OR kind = 'expense'),
    record_id   TEXT NOT NULL,                   -- the app record's import id
    base        TEXT CHECK (base IS NULL OR json_valid(base)),     -- as QuickBooks confirmed
    sent        TEXT CHECK (sent IS NULL OR json_valid(sent)),     -- changes sent since
    theirs      TEXT CHECK (theirs IS NULL OR json_valid(theirs)), -- QuickBooks' side of a conflict
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
);
INSERT INTO qb_edits_new (kind, record_id, base, sent, theirs, updated_at)
    SELECT kind, record_id, base, sent, theirs, updated_at FROM qb_edits;
DROP TABLE qb_edits;
ALTER TABLE qb_edits_new RENAME TO qb_edits;

-- The two triggers that read `pairings` go while it is rebuilt, and come back as they were
-- but for the time of the event (see below).
DROP TRIGGER events_qb_customer_insert;
DROP TRIGGER events_qb_customer_update;
CREATE TABLE pairings_new (
    customer_id  TEXT PRIMARY KEY REFERENCES customers(id),
    list_id      TEXT UNIQUE,
    how          TEXT NOT NULL CHECK (how = 'auto' OR how = 'manual' OR how = 'create'
                                      OR how = 'created'),
    decided_at   TEXT NOT NULL,
    -- INVARIANT: only a pending creation has no ListID.
    CHECK ((how = 'create') = (list_id IS NULL))
);
INSERT INTO pairings_new (customer_id, list_id, how, decided_at)
    SELECT customer_id, list_id, how, decided_at FROM pairings;
DROP TABLE pairings;
ALTER TABLE pairings_new RENAME TO pairings;

CREATE TRIGGER events_qb_customer_insert AFTER INSERT ON qb_customers
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (replace(datetime('now'), ' ', 'T') || 'Z', 'quickbooks.customer_changed', NULL, NULL,
            json_object('list_id', new.list_id, 'full_name', new.full_name,
                        'active', json(CASE new.is_active WHEN 1 THEN 'true' ELSE 'false' END),
                        'linked_to', coalesce(
                            (SELECT customer_id FROM pairings WHERE list_id = new.list_id),
                            (SELECT record_id FROM outbox WHERE qb_id = new.list_id
                             AND kind IN ('customer', 'project')))));
END;
CREATE TRIGGER events_qb_customer_update AFTER UPDATE ON qb_customers
WHEN new.edit_sequence IS NOT old.edit_sequence OR new.is_active IS NOT old.is_active
     OR new.full_name IS NOT old.full_name
BEGIN
    INSERT INTO events (at, type, kind, record_id, data)
    VALUES (replace(datetime('now'), ' ', 'T') || 'Z', 'quickbooks.customer_changed', NULL, NULL,
            json_object('list_id', new.list_id, 'full_name', new.full_name,
                        'active', json(CASE new.is_active WHEN 1 THEN 'true' ELSE 'false' END),
                        'linked_to', coalesce(
                            (SELECT customer_id FROM pairings WHERE list_id = new.list_id),
                            (SELECT record_id FROM outbox WHERE qb_id = new.list_id
                             AND kind IN ('customer', 'project')))));
END;

CREATE TABLE vendor_pairings_new (
    vendor_id   TEXT PRIMARY KEY REFERENCES vendors(id),
    list_id     TEXT UNIQUE,
    how         TEXT NOT NULL CHECK (how = 'auto' OR how = 'manual' OR how = 'create'
                                     OR how = 'created'),
    decided_at  TEXT NOT NULL,
    CHECK ((how = 'create') = (list_id IS NULL))
);
INSERT INTO vendor_pairings_new (vendor_id, list_id, how, decided_at)
    SELECT vendor_id, list_id, how, decided_at FROM vendor_pairings;
DROP TABLE vendor_pairings;
ALTER TABLE vendor_pairings_new RENAME TO vendor_pairings;
-- A QuickBooks customer queued for pairing: the row goes out and in again instead of
-- `INSERT ... SELECT ... WHERE NOT EXISTS` on the queue itself, which SQLite runs by first
-- copying the SELECT's rows to a temporary table (it reads the table it writes), once per
-- QuickBooks row written to the mirror. (Not INSERT OR IGNORE, for the reason in V_LARGE.)
DROP TRIGGER qb_pairing_insert;
DROP TRIGGER qb_pairing_update;
CREATE TRIGGER qb_pairing_insert AFTER INSERT ON qb_customers BEGIN
    DELETE FROM qb_pairing_queue WHERE row = new.rowid;
    INSERT INTO qb_pairing_queue (row) VALUES (new.rowid);
END;
CREATE TRIGGER qb_pairing_update AFTER UPDATE ON qb_customers
WHEN new.rowid IS NOT old.rowid OR new.list_id IS NOT old.list_id
     OR new.name IS NOT old.name OR new.is_active IS NOT old.is_active
     OR new.company_name IS NOT old.company_name OR new.email IS NOT old.email
     OR new.phone IS NOT old.phone
     OR new.bill_line1 IS NOT old.bill_line1 OR new.bill_postal_code IS NOT old.bill_postal_code
     OR new.ship_line1 IS NOT old.ship_line1 OR new.ship_postal_code IS NOT old.ship_postal_code
BEGIN
    DELETE FROM qb_pairing_keys WHERE row = old.rowid AND old.rowid IS NOT new.rowid;
    DELETE FROM qb_pairing_queue WHERE row = old.rowid AND old.rowid IS NOT new.rowid;
    DELETE FROM qb_pairing_queue WHERE row = new.rowid;
    INSERT INTO qb_pairing_queue (row) VALUES (new.rowid);
END;
"#;

/// The schema's history. Append only; never edit an entry that has shipped.
pub const MIGRATIONS: &[&str] = &[
    V1,
    V2,
    V3,
    V4,
    V5,
    V_ACCOUNTS,
    V_EXPENSES,
    V_INBOUND,
    V_EDITS,
    V_LARGE,
    V_SUMMARY,
    V_EXPENSE_EDITS,
    V_LEAN_MIRROR,
    V_NO_TEMP_TABLES,
];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The database's schema version (`PRAGMA user_version`, 0 for a new file).
pub fn schema_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the database up to [`SCHEMA_VERSION`]; refuses one made by a newer FieldBridge.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Applies migrations until the database is at `target` (tests use a lower target to build
/// old databases).
pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> Result<(), StoreError> {
    let found = schema_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            known: SCHEMA_VERSION,
        });
    }
    if found >= target {
        return Ok(());
    }
    // A migration may rebuild a table others refer to (SQLite's "12 steps" for changing a
    // CHECK): foreign keys are off while migrations run (the PRAGMA is a no-op inside a
    // transaction, so it is set around them) and checked before each commit.
    let enforced: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = apply_migrations(conn, found, target);
    conn.pragma_update(None, "foreign_keys", enforced)?;
    result
}

fn apply_migrations(conn: &mut Connection, found: i64, target: i64) -> Result<(), StoreError> {
    for (index, sql) in MIGRATIONS.iter().enumerate().take(target as usize) {
        let version = index as i64 + 1;
        if version <= found {
            continue;
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        let dangling: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling > 0 {
            return Err(StoreError::Corrupt {
                place: "migration",
                value: format!("version {version}: {dangling} dangling references"),
                expected: "every reference to resolve after the migration",
            });
        }
        // user_version lives in the database header, which the transaction covers.
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

/// For tests: indexes the rows waiting in both search queues (what the 1,000th insert would
/// do), then asks FTS5 whether each index holds exactly its table (`integrity-check` with
/// rank 1 compares an external-content index with its content). Err names the index that
/// does not.
#[cfg(test)]
pub(crate) fn index_queues_and_check(tx: &rusqlite::Transaction<'_>) -> Result<(), String> {
    let indexes = [
        (
            "qb_customers",
            "qb_customers_fts",
            super::qb_mirror::SEARCH_COLUMNS,
        ),
        (
            "customers",
            "customers_fts",
            "name, company_name, email, phone, billing_line1, billing_line2, billing_city, \
             billing_postal_code, service_line1, service_city",
        ),
    ];
    for (table, fts, columns) in indexes {
        let from_t = super::records::qualified_columns(columns, "t");
        tx.execute_batch(&format!(
            "INSERT INTO {fts} (rowid, {columns})
                 SELECT t.rowid, {from_t} FROM {fts}_queue q JOIN {table} t ON t.rowid = q.row;
             DELETE FROM {fts}_queue;"
        ))
        .map_err(|e| format!("indexing the queue of {fts}: {e}"))?;
        tx.execute(
            &format!("INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"),
            [],
        )
        .map_err(|e| format!("{fts} does not match {table}: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{customers, qb_mirror, Store};
    use rusqlite::types::Value;

    /// Representative rows valid at each schema version: `SEED_ROWS[k]` runs on a database
    /// at version `k + 1`. A new migration must add its seed here (the test below insists).
    const SEED_ROWS: &[&str] = &[
        r#"
        INSERT INTO customers (id, guid, name, company_name, email, billing_line1, taxable,
                               active, created_at, updated_at)
            VALUES ('C-1', 'g-c1', 'Ecker Designs', 'Ecker Designs LLC', 'jane@ecker.example',
                    '12 Mill Rd', 1, 1, '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z');
        INSERT INTO projects VALUES ('P-1', 'g-p1', 'C-1', 'Office Repairs', 1,
                                     '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z');
        INSERT INTO service_tickets VALUES ('T-1', 'g-t1', 'C-1', NULL, 'T1005', '2026-10-01',
                                            'HVAC', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z');
        INSERT INTO service_ticket_lines (ticket_id, line_no, description, quantity, rate, amount,
                                          taxable, item)
            VALUES ('T-1', 0, 'Labor', '2', '95.00', NULL, 0, NULL);
        INSERT INTO invoices VALUES ('I-1', 'g-i1', 'C-1', NULL, 'T-1', '10045', '2026-10-03',
                                     '2026-11-02', 'Thanks', '4.13', 0,
                                     '2026-10-03T00:00:00Z', '2026-10-03T00:00:00Z');
        INSERT INTO invoice_lines (invoice_id, line_no, description, quantity, rate, amount, taxable,
                                   item)
            VALUES ('I-1', 0, 'Labor', '2', '95.00', NULL, 0, NULL);
        INSERT INTO payments VALUES ('PAY-1', 'g-pay1', 'I-1', '2026-10-10', '194.13',
                                     'Credit Card', 'AUTH 1', '2026-10-10T00:00:00Z',
                                     '2026-10-10T00:00:00Z');
        INSERT INTO sessions (id, started_at, finished_at, outcome, requests, created)
            VALUES (1, '2026-10-10T01:00:00Z', '2026-10-10T01:01:00Z', 'ok', 3, 2);
        INSERT INTO batches (id, session_id, message_set_id, sent_at, request_digest,
                             request_size)
            VALUES (1, 1, 'ms-1', '2026-10-10T01:00:01Z', 'abc', 100);
        INSERT INTO outbox (kind, kind_rank, record_id, state, qb_id, edit_sequence,
                            updated_at)
            VALUES ('customer', 0, 'C-1', 'synced', '80000001-1', '111', '2026-10-10T01:00:05Z');
        INSERT INTO outbox (kind, kind_rank, record_id, state, batch_id, message_set_id,
                            request_id, attempts, updated_at)
            VALUES ('invoice', 3, 'I-1', 'in_flight', 1, 'ms-1', '7', 1, '2026-10-10T01:00:05Z');
        INSERT INTO history (session_id, record_kind, record_id, action, outcome, at)
            VALUES (1, 'customer', 'C-1', 'add', 'ok', '2026-10-10T01:00:05Z');
        INSERT INTO qb_customers (list_id, full_name, name, is_active, edit_sequence,
                                  time_modified, seen_at)
            VALUES ('80000001-1', 'Ecker Designs', 'Ecker Designs', 1, '111',
                    '2026-10-10T01:00:05-05:00', '2026-10-10T01:00:05Z');
        INSERT INTO qb_items (list_id, full_name, item_type, is_active, tax_rate, edit_sequence,
                              time_modified, seen_at)
            VALUES ('80000002-1', 'Labor', 'Service', 1, NULL, NULL, NULL, '2026-10-10T01:00:05Z');
        INSERT INTO qb_invoice_status (txn_id, invoice_id, balance, is_paid, seen_at)
            VALUES ('1-2', 'I-1', '0.00', 1, '2026-10-10T01:00:05Z');
        INSERT INTO pairings VALUES ('C-1', '80000001-1', 'created', '2026-10-10T01:00:05Z');
        INSERT INTO item_mappings VALUES ('service-item', 'Labor', '2026-10-10T01:00:05Z');
        INSERT INTO settings VALUES ('owner_id', '{6F1E8A52-0000-4000-8000-000000000001}');
        INSERT INTO company_binding VALUES (1, 'C:\Co.qbw', 'Co', '2026-10-10T01:00:00Z');
    "#,
        r#"
        INSERT INTO qb_name_overrides VALUES ('customer', 'C-1', 'name', 'Ecker Designs',
                                              '2026-10-11T00:00:00Z');
    "#,
        // Writes through the search indexes' triggers: an update of an indexed row, an
        // insert (queued), a deletion of a queued row.
        r#"
        UPDATE qb_customers SET company_name = 'Ecker Holdings' WHERE list_id = '80000001-1';
        INSERT INTO qb_customers (list_id, full_name, name, is_active, phone, edit_sequence,
                                  time_modified, seen_at)
            VALUES ('80000003-1', 'Baker Bros', 'Baker Bros', 1, '555-0100', '7',
                    '2026-10-12T01:00:05-05:00', '2026-10-12T01:00:05Z');
        INSERT INTO qb_customers (list_id, full_name, name, is_active, edit_sequence,
                                  time_modified, seen_at)
            VALUES ('80000004-1', 'Gone Co', 'Gone Co', 1, '8',
                    '2026-10-12T01:00:05-05:00', '2026-10-12T01:00:05Z');
        DELETE FROM qb_customers WHERE list_id = '80000004-1';
        UPDATE customers SET phone = '555-0199' WHERE id = 'C-1';
    "#,
        r#"
        INSERT INTO sessions (id, started_at, outcome, message)
            VALUES (2, '2026-10-13T01:00:00Z', 'interrupted', 'FieldBridge stopped.');
        INSERT INTO tax_differences VALUES ('I-1', '4.13', '6.08', 1, '2026-10-13T01:00:00Z',
                                            NULL);
        INSERT INTO qb_items (list_id, full_name, item_type, is_active, tax_rate, edit_sequence,
                              time_modified, seen_at)
            VALUES ('80000005-1', 'CT Tax', 'sales_tax', 1, '6.35', NULL, NULL,
                    '2026-10-13T01:00:05Z');
    "#,
        r#"
        INSERT INTO events (at, type, kind, record_id, data)
            VALUES ('2026-10-12T01:00:05Z', 'record.synced', 'customers', 'C-1',
                    '{"qb_id": "80000001-1"}');
    "#,
        // V_ACCOUNTS, V_EXPENSES.
        r#"
        INSERT INTO qb_accounts (list_id, full_name, account_type, special_account_type,
                                 account_number, is_active, seen_at)
            VALUES ('80000010-1', 'Job Materials', 'CostOfGoodsSold', NULL, '5010', 1,
                    '2026-10-14T01:00:05Z');
    "#,
        r#"
        INSERT INTO vendors (id, guid, name, active, created_at, updated_at)
            VALUES ('V-1', 'g-v1', 'Acme Supply', 1, '2026-10-15T00:00:00Z',
                    '2026-10-15T00:00:00Z');
        INSERT INTO expenses (id, guid, vendor_id, date, number, customer_id, paid, paid_from,
                              created_at, updated_at)
            VALUES ('E-1', 'g-e1', 'V-1', '2026-10-15', 'INV-5531', 'C-1', 1, 'Checking',
                    '2026-10-15T00:00:00Z', '2026-10-15T00:00:00Z');
        INSERT INTO expense_lines VALUES ('E-1', 0, 'Job Materials', 'Filters', '84.20', 1);
        INSERT INTO qb_vendors (list_id, name, is_active, edit_sequence, seen_at)
            VALUES ('80000020-1', 'Acme Supply', 1, '5', '2026-10-15T00:00:00Z');
        INSERT INTO vendor_pairings VALUES ('V-1', '80000020-1', 'auto', '2026-10-15T00:00:00Z');
        INSERT INTO outbox (kind, kind_rank, record_id, state, updated_at)
            VALUES ('expense', 6, 'E-1', 'pending', '2026-10-15T00:00:00Z');
    "#,
        // V_INBOUND: an invoice created in QuickBooks with its line, a rename of a linked one.
        r#"
        INSERT INTO qb_invoice_lines VALUES ('9-1', 0, '9-2', 'Labor', 'Labor', '1', '95.00',
                                             '95.00', 0);
        INSERT INTO qb_invoices VALUES ('9-1', NULL, '80000001-1', 'C-1', NULL, 'Q-1',
            '2026-10-14', '2026-11-13', NULL, '95.00', '0.00', '95.00', '95.00', 0, 0, '5',
            '2026-10-14T09:00:00-05:00', '2026-10-14T14:00:05Z');
        UPDATE qb_customers SET full_name = 'Ecker Design Group', name = 'Ecker Design Group',
            edit_sequence = '112' WHERE list_id = '80000001-1';
        "#,
        r#"
        INSERT INTO qb_edits (kind, record_id, base, sent, theirs, updated_at)
            VALUES ('invoice', 'I-1', '{"fields": {"memo": "Thanks"}, "lines": []}', NULL, NULL,
                    '2026-10-14T01:00:05Z');
        INSERT INTO payment_reversals VALUES ('PAY-1', '2026-10-14T01:00:05Z');
    "#,
        // The pairing index's triggers: a filed row changed, a new row queued, one deleted.
        r#"
        INSERT INTO qb_pairing_keys (key, row)
            SELECT 42, rowid FROM qb_customers WHERE list_id = '80000003-1';
        DELETE FROM qb_pairing_queue WHERE row IN
            (SELECT rowid FROM qb_customers WHERE list_id = '80000003-1');
        UPDATE qb_customers SET email = 'office@baker.example' WHERE list_id = '80000003-1';
        INSERT INTO qb_customers (list_id, full_name, name, parent_list_id, sublevel, is_active,
                                  edit_sequence, time_modified, seen_at)
            VALUES ('80000006-1', 'Baker Bros:Annex', 'Annex', '80000003-1', 1, 1, '9',
                    '2026-10-14T01:00:05-05:00', '2026-10-14T01:00:05Z');
        DELETE FROM qb_customers WHERE list_id = '80000006-1';
    "#,
        // V_SUMMARY.
        r#"
        UPDATE invoice_lines SET account = 'Services' WHERE invoice_id = 'I-1';
        UPDATE qb_items SET income_account = 'Services' WHERE list_id = '80000002-1';
        INSERT INTO journal_entries (id, what, period, period_start, adjusting, guid, ref_number,
                                     total, state, batch_id, txn_id, uf_line_id, created_at,
                                     posted_at)
            VALUES (1, 'invoices', 'day', '2026-10-03', 0, '{6F1E8A52-0000-4000-8000-00000000000A}',
                    'FB261003S', '194.13', 'posted', 1, '1-9', NULL, '2026-10-14T00:00:00Z',
                    '2026-10-14T00:00:01Z');
        INSERT INTO journal_members VALUES (1, 'invoice', 'I-1', '194.13');
        INSERT INTO deposits (id, period, period_start, account, guid, total, state, created_at)
            VALUES (1, 'day', '2026-10-10', 'Checking', '{6F1E8A52-0000-4000-8000-00000000000B}',
                    '194.13', 'in_flight', '2026-10-14T00:00:00Z');
        INSERT INTO undeposited VALUES ('payment', 'PAY-1', '2026-10-10', '194.13', 1);
    "#,
        // V_EXPENSE_EDITS.
        r#"
        UPDATE expenses SET void = 1 WHERE id = 'E-1';
        INSERT INTO qb_expense_status VALUES ('E-1', '1-20', 'bill', 1, '2026-10-14T00:00:00Z');
        INSERT INTO qb_edits (kind, record_id, base, sent, theirs, updated_at)
            VALUES ('expense', 'E-1', '{"fields": {"memo": "Filters"}, "lines": []}', NULL,
                    NULL, '2026-10-14T00:00:00Z');
    "#,
        // V_LEAN_MIRROR: a QuickBooks customer read now waits in the search queue.
        r#"
        INSERT INTO qb_customers (list_id, full_name, name, is_active, edit_sequence,
                                  time_modified, seen_at)
            VALUES ('80000009-1', 'Lakeside Diner', 'Lakeside Diner', 1, '1',
                    '2026-10-14T09:00:00-05:00', '2026-10-14T14:00:00Z');
    "#,
        // V_NO_TEMP_TABLES: the rebuilt tables take rows as before.
        r#"
        INSERT INTO qb_edits (kind, record_id, base, sent, theirs, updated_at)
            VALUES ('customer', 'C-1', '{"fields": {"name": "Ecker Designs"}}', NULL, NULL,
                    '2026-10-16T00:00:00Z');
        UPDATE pairings SET how = 'manual', decided_at = '2026-10-16T00:00:00Z'
            WHERE customer_id = 'C-1';
        UPDATE vendor_pairings SET how = 'manual' WHERE vendor_id = 'V-1';
    "#,
    ];

    /// Values a migration converts on purpose: (first version with the new text, table,
    /// column, old text, new text). Every other value must survive an upgrade unchanged.
    const CONVERTED: &[(i64, &str, &str, &str, &str)] =
        &[(4, "qb_items", "item_type", "Service", "service")];

    /// FNV-1a 64 of each migration that has shipped. A shipped migration already ran on
    /// databases in the field, so its text must never change: add a new migration instead.
    const RELEASED: &[(usize, &str)] = &[
        (1, "1513acecc717362c"),
        (2, "340661a80b919076"),
        (3, "f057caafbe4a1580"),
        (4, "0ce514665301abd6"),
    ];

    #[test]
    fn sending_customer_edits_is_on_for_a_new_folder_and_stays_off_for_an_upgraded_one() {
        let fresh = Store::open_in_memory().unwrap();
        assert!(
            fresh
                .read(crate::store::settings::update_qb_customers)
                .unwrap(),
            "a new data folder sends customer edits"
        );
        let before_edits = MIGRATIONS
            .iter()
            .position(|m| *m == V_EDITS)
            .expect("V_EDITS is listed") as i64;
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, before_edits).unwrap();
        conn.execute_batch(SEED_ROWS[0]).unwrap();
        migrate(&mut conn).unwrap();
        assert!(
            !crate::store::settings::update_qb_customers(&conn).unwrap(),
            "a data folder that already synced keeps what it had: off"
        );
    }

    #[test]
    fn a_released_migration_is_never_edited() {
        for (version, digest) in RELEASED {
            assert_eq!(
                crate::store::outbox::digest(MIGRATIONS[version - 1]),
                *digest,
                "migration {version} has shipped: write a new migration instead of editing it"
            );
        }
    }

    #[test]
    fn version_4_converts_the_stored_words() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 3).unwrap();
        conn.execute_batch(SEED_ROWS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO qb_items VALUES ('80-2', 'Widget', 'NonInventory', 1, NULL, NULL, NULL, 'x');
             INSERT INTO history (session_id, action, outcome, at)
                 VALUES (1, 'check', 'tax_mismatch', 'x');
             INSERT INTO invoices VALUES ('I-2', 'g-i2', 'C-1', 'P-1', NULL, '10046', '2026-10-03',
                 NULL, NULL, NULL, 0, 'x', 'x');
             INSERT INTO outbox (kind, kind_rank, record_id, state, problem_code, problem_text,
                                 advice, updated_at)
                 VALUES ('invoice', 3, 'I-2', 'needs_attention', 'needs-mapping', 'No item',
                         'Choose the project sales tax item on the Items page.', 'x');",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let fk_before: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        migrate(&mut conn).unwrap();
        let one = |sql: &str| -> String {
            conn.query_row(sql, [], |r| r.get(0))
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        };
        assert_eq!(
            one("SELECT item_type FROM qb_items WHERE list_id = '80-2'"),
            "non_inventory"
        );
        assert_eq!(
            one("SELECT outcome FROM history WHERE action = 'check'"),
            "tax_difference"
        );
        assert_eq!(
            one("SELECT problem_code FROM outbox WHERE record_id = 'I-2'"),
            "needs-mapping:project-tax-item",
            "the role moves from the sentence into the code, once"
        );
        assert_eq!(one("SELECT outcome FROM sessions WHERE id = 1"), "ok");
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            fk, fk_before,
            "migrate leaves the connection's foreign-key setting as it found it"
        );
    }

    type Snapshot = Vec<(String, Vec<String>, Vec<Vec<Value>>)>;

    /// Every row of every table, by column name, in rowid order.
    fn snapshot(conn: &Connection) -> Snapshot {
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables.sort();
        tables
            .into_iter()
            .map(|t| {
                let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
                let cols: Vec<String> = stmt.column_names().map(|c| c.to_string()).collect();
                let rows = stmt
                    .query_map([], |r| {
                        (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()
                    })
                    .unwrap()
                    .collect::<Result<Vec<Vec<Value>>, _>>()
                    .unwrap();
                (t, cols, rows)
            })
            .collect()
    }

    #[test]
    fn the_migration_list_is_valid() {
        assert!(!MIGRATIONS.is_empty(), "version 0 is the empty database");
        for (i, m) in MIGRATIONS.iter().enumerate() {
            let lower = m.to_ascii_lowercase();
            assert!(
                !lower.contains("user_version"),
                "migration {i}: the version is bumped by migrate(), never by the migration"
            );
            assert!(
                !lower.contains("pragma"),
                "migration {i}: PRAGMAs are per connection and belong in store::configure"
            );
        }
        // Applying them one by one must work and land on SCHEMA_VERSION.
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        let fk_problems: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk_problems, 0, "an empty schema has no dangling references");
        // Running it again is a no-op.
        migrate(&mut conn).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
    }

    /// The temporary B-trees (`OpenEphemeral`) in the program of `sql`, its triggers' included
    /// (EXPLAIN lists their programs after the statement's).
    fn temporary_tables(conn: &Connection, sql: &str) -> usize {
        let mut stmt = conn.prepare(&format!("EXPLAIN {sql}")).unwrap();
        let nulls = vec![Value::Null; stmt.parameter_count()];
        let ops = stmt
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(1))
            .unwrap();
        ops.filter(|op| op.as_deref().unwrap() == "OpenEphemeral")
            .count()
    }

    /// Tables written once per session, batch or period, or by a person, where a temporary
    /// table per statement costs nothing that matters; every other table is written once per
    /// record or per QuickBooks row, and its inserts, updates and deletes (with the CHECKs
    /// and triggers they run) must build none (read V_NO_TEMP_TABLES).
    ///
    /// `outbox` is the one table written per record that is here: its CHECKs build their
    /// tables once per statement, and the sync writes it a batch per statement
    /// (`mark_in_flight`, `mark_synced_many`); an import writes a statement per record
    /// (about 20,000 instructions each). Rebuilding it means recreating the dozen triggers
    /// that read it, left for when the table next has to change.
    const WRITTEN_RARELY: &[&str] = &[
        "outbox",
        "sessions",
        "batches",
        "item_mappings",
        "qb_name_overrides",
        "journal_entries",
        "journal_members",
        "deposits",
        "qb_customer_renames",
        "qb_expense_status",
    ];

    #[test]
    fn rows_the_sync_writes_build_no_temporary_table() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%fts_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(tables.iter().any(|t| t == "qb_edits") && tables.len() > 30);
        let mut found = Vec::new();
        for table in tables
            .iter()
            .filter(|t| !WRITTEN_RARELY.contains(&t.as_str()))
        {
            let columns: Vec<(String, i64)> = conn
                .prepare(&format!(
                    "SELECT name, pk FROM pragma_table_info('{table}') ORDER BY cid"
                ))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let without_rowid: bool = conn
                .query_row(
                    "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            // One row, found by its key, as the code writes rows.
            let one_row = if without_rowid {
                let keys: Vec<String> = columns
                    .iter()
                    .filter(|(_, pk)| *pk > 0)
                    .map(|(c, _)| format!("\"{c}\" = ?"))
                    .collect();
                keys.join(" AND ")
            } else {
                "rowid = ?".to_owned()
            };
            let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
            let params = vec!["?"; names.len()].join(", ");
            let mut statements = vec![
                format!(
                    "INSERT INTO \"{table}\" ({}) VALUES ({params})",
                    names.join(", ")
                ),
                format!("DELETE FROM \"{table}\" WHERE {one_row}"),
            ];
            statements.extend(
                columns
                    .iter()
                    .filter(|(_, pk)| *pk == 0)
                    .map(|(c, _)| format!("UPDATE \"{table}\" SET \"{c}\" = ? WHERE {one_row}")),
            );
            for sql in statements {
                let n = temporary_tables(&conn, &sql);
                if n > 0 {
                    found.push(format!("{sql}: {n}"));
                }
            }
        }
        assert!(
            found.is_empty(),
            "statements building temporary tables per row:\n{}",
            found.join("\n")
        );
        // The check itself sees what it looks for.
        conn.execute_batch("CREATE TEMP TABLE probe (x TEXT CHECK (x IN ('a', 'b', 'c')))")
            .unwrap();
        assert_eq!(temporary_tables(&conn, "INSERT INTO probe VALUES ('a')"), 1);
    }

    #[test]
    fn every_migration_has_seed_rows_for_the_upgrade_test() {
        assert_eq!(
            SEED_ROWS.len(),
            MIGRATIONS.len(),
            "add representative rows for the new schema version to SEED_ROWS"
        );
    }

    #[test]
    fn data_survives_an_upgrade_from_every_earlier_version() {
        // k = SCHEMA_VERSION too: reopening an up-to-date database must not touch its rows.
        for k in 0..=SCHEMA_VERSION {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.sqlite3");
            let before = {
                let mut conn = Connection::open(&path).unwrap();
                conn.pragma_update(None, "foreign_keys", "ON").unwrap();
                migrate_to(&mut conn, k).unwrap();
                assert_eq!(schema_version(&conn).unwrap(), k);
                // Seeds of every version up to k, each on the schema it was written for.
                for seed in SEED_ROWS.iter().take(k as usize) {
                    conn.execute_batch(seed).unwrap();
                }
                snapshot(&conn)
            };
            let store = Store::open(&path)
                .unwrap_or_else(|e| panic!("upgrading from version {k} failed: {e}"));
            store
                .read(|conn| -> Result<(), StoreError> {
                    assert_eq!(schema_version(conn)?, SCHEMA_VERSION, "upgraded from {k}");
                    let after = snapshot(conn);
                    for (table, cols, rows) in &before {
                        let (_, new_cols, new_rows) = after
                            .iter()
                            .find(|(t, _, _)| t == table)
                            .unwrap_or_else(|| panic!("table {table} vanished upgrading from {k}"));
                        assert_eq!(
                            new_rows.len(),
                            rows.len(),
                            "rows of {table} must survive the upgrade from {k}"
                        );
                        for (ci, col) in cols.iter().enumerate() {
                            let ni = new_cols.iter().position(|c| c == col).unwrap_or_else(|| {
                                panic!("column {table}.{col} vanished upgrading from {k}")
                            });
                            for (r, row) in rows.iter().enumerate() {
                                let converted = CONVERTED.iter().find(|(v, t, c, old, _)| {
                                    k < *v
                                        && t == table
                                        && c == col
                                        && row[ci] == Value::Text((*old).into())
                                });
                                let expected = match converted {
                                    Some((.., new)) => Value::Text((*new).into()),
                                    None => row[ci].clone(),
                                };
                                assert_eq!(
                                    new_rows[r][ni], expected,
                                    "{table}.{col} row {r} must keep its value (from {k})"
                                );
                            }
                        }
                    }
                    Ok(())
                })
                .unwrap();
            // Then seed the remaining versions on the upgraded database: the latest schema
            // must still accept what older seeds wrote alongside newer ones.
            store
                .write(|tx| -> Result<(), StoreError> {
                    for seed in SEED_ROWS.iter().skip(k as usize) {
                        tx.execute_batch(seed)?;
                    }
                    Ok(())
                })
                .unwrap();
            // The search indexes hold what was there before the upgrade and what came after.
            store
                .write(|tx| -> Result<(), StoreError> {
                    let (hits, total) = qb_mirror::search_customers(tx, "holdings", false, 0, 10)?;
                    assert_eq!(total, 1, "upgraded from {k}: an indexed update is found");
                    assert_eq!(hits[0].0.list_id, "80000001-1");
                    let (_, total) = qb_mirror::search_customers(tx, "0100", false, 0, 10)?;
                    assert_eq!(total, 1, "upgraded from {k}: an insert is found");
                    let (_, total) = qb_mirror::search_customers(tx, "gone", false, 0, 10)?;
                    assert_eq!(total, 0, "upgraded from {k}: a deleted row is not");
                    let ids: Vec<String> = customers::pairing_rows(tx, "ecker")?
                        .into_iter()
                        .map(|r| r.id)
                        .collect();
                    assert_eq!(ids, ["C-1"], "upgraded from {k}: an app customer is found");
                    assert_eq!(customers::pairing_rows(tx, "0199")?.len(), 1, "from {k}");
                    index_queues_and_check(tx).unwrap_or_else(|e| panic!("upgraded from {k}: {e}"));
                    Ok(())
                })
                .unwrap();
        }
    }

    #[test]
    fn a_database_from_a_newer_fieldbridge_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = Store::open(&path).expect_err("a newer schema must not be touched");
        assert!(
            matches!(err, StoreError::NewerSchema { found, known } if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION),
            "expected NewerSchema, got {err:?}"
        );
        assert!(
            err.to_string().contains("made by a newer FieldBridge"),
            "the message must say what happened: {err}"
        );
    }
}
