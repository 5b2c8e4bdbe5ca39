//! The QuickBooks mirror: what FieldBridge last read from QuickBooks (customers and jobs,
//! items, accounts, payment methods, sales tax codes, the state of our invoices, payments
//! against them), the incremental-read cursors and deletion markers. Owns the `qb_*`,
//! `sync_cursors` and `qb_deleted` tables. Every write is an upsert by QuickBooks' id: a
//! re-read (overlapping windows, see qbwc-notes) is harmless.

use super::codes::ItemType;
use super::customers::Address;
use super::records::parse_dec;
use super::{now_utc, StoreError};
use crate::money::Decimal;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// A QuickBooks customer or job (CustomerRet).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QbCustomer {
    pub list_id: String,
    /// "Parent:Job" for jobs.
    pub full_name: String,
    pub name: String,
    pub parent_list_id: Option<String>,
    pub sublevel: i64,
    pub is_active: bool,
    pub company_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub bill_address: Address,
    pub ship_address: Address,
    pub edit_sequence: String,
    /// As QuickBooks wrote it (with its own offset).
    pub time_modified: String,
    pub external_guid: Option<String>,
}

pub fn upsert_customer(tx: &Transaction<'_>, c: &QbCustomer) -> Result<(), StoreError> {
    let (b, s) = (&c.bill_address, &c.ship_address);
    tx.prepare_cached(
        "INSERT INTO qb_customers (list_id, full_name, name, parent_list_id, sublevel, is_active,
             company_name, first_name, last_name, email, phone,
             bill_line1, bill_line2, bill_city, bill_state, bill_postal_code, bill_country,
             ship_line1, ship_line2, ship_city, ship_state, ship_postal_code, ship_country,
             edit_sequence, time_modified, external_guid, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
             ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)
         ON CONFLICT (list_id) DO UPDATE SET full_name = excluded.full_name,
             name = excluded.name, parent_list_id = excluded.parent_list_id,
             sublevel = excluded.sublevel, is_active = excluded.is_active,
             company_name = excluded.company_name, first_name = excluded.first_name,
             last_name = excluded.last_name, email = excluded.email, phone = excluded.phone,
             bill_line1 = excluded.bill_line1, bill_line2 = excluded.bill_line2,
             bill_city = excluded.bill_city, bill_state = excluded.bill_state,
             bill_postal_code = excluded.bill_postal_code, bill_country = excluded.bill_country,
             ship_line1 = excluded.ship_line1, ship_line2 = excluded.ship_line2,
             ship_city = excluded.ship_city, ship_state = excluded.ship_state,
             ship_postal_code = excluded.ship_postal_code, ship_country = excluded.ship_country,
             edit_sequence = excluded.edit_sequence, time_modified = excluded.time_modified,
             external_guid = excluded.external_guid, seen_at = excluded.seen_at",
    )?
    .execute(params![
        c.list_id,
        c.full_name,
        c.name,
        c.parent_list_id,
        c.sublevel,
        c.is_active,
        c.company_name,
        c.first_name,
        c.last_name,
        c.email,
        c.phone,
        b.line1,
        b.line2,
        b.city,
        b.state,
        b.postal_code,
        b.country,
        s.line1,
        s.line2,
        s.city,
        s.state,
        s.postal_code,
        s.country,
        c.edit_sequence,
        c.time_modified,
        c.external_guid,
        now_utc()
    ])?;
    Ok(())
}

const CUSTOMER_COLUMNS: &str = "list_id, full_name, name, parent_list_id, sublevel, is_active, \
    company_name, first_name, last_name, email, phone, bill_line1, bill_line2, bill_city, \
    bill_state, bill_postal_code, bill_country, ship_line1, ship_line2, ship_city, ship_state, \
    ship_postal_code, ship_country, edit_sequence, time_modified, external_guid";

fn customer_row(r: &Row<'_>) -> rusqlite::Result<QbCustomer> {
    Ok(QbCustomer {
        list_id: r.get(0)?,
        full_name: r.get(1)?,
        name: r.get(2)?,
        parent_list_id: r.get(3)?,
        sublevel: r.get(4)?,
        is_active: r.get(5)?,
        company_name: r.get(6)?,
        first_name: r.get(7)?,
        last_name: r.get(8)?,
        email: r.get(9)?,
        phone: r.get(10)?,
        bill_address: Address::read(r, 11)?,
        ship_address: Address::read(r, 17)?,
        edit_sequence: r.get(23)?,
        time_modified: r.get(24)?,
        external_guid: r.get(25)?,
    })
}

pub fn customer(conn: &Connection, list_id: &str) -> Result<Option<QbCustomer>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM qb_customers WHERE list_id = ?1"
    ))?;
    Ok(stmt.query_row([list_id], customer_row).optional()?)
}

/// The QuickBooks customer carrying our ExternalGUID, if QuickBooks has one (lost-answer
/// recovery: the record was created after all).
pub fn customer_by_guid(conn: &Connection, guid: &str) -> Result<Option<QbCustomer>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM qb_customers WHERE external_guid = ?1"
    ))?;
    Ok(stmt.query_row([guid], customer_row).optional()?)
}

/// Every customer and job, by full name.
pub fn customers(conn: &Connection) -> Result<Vec<QbCustomer>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM qb_customers ORDER BY full_name"
    ))?;
    let rows = stmt
        .query_map([], customer_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A QuickBooks item (any ItemXxxRet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QbItem {
    pub list_id: String,
    pub full_name: String,
    pub item_type: ItemType,
    pub is_active: bool,
    /// Sales tax items: the rate in percent, exact.
    pub tax_rate: Option<Decimal>,
    pub edit_sequence: Option<String>,
    pub time_modified: Option<String>,
    /// The item's income account (`IncomeAccountRef` or `AccountRef`), by full name: where
    /// its sales go in the summarized journal-entry mode.
    pub income_account: Option<String>,
}

pub fn upsert_item(tx: &Transaction<'_>, i: &QbItem) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO qb_items (list_id, full_name, item_type, is_active, tax_rate, edit_sequence,
             time_modified, seen_at, income_account) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (list_id) DO UPDATE SET full_name = excluded.full_name,
             item_type = excluded.item_type, is_active = excluded.is_active,
             tax_rate = excluded.tax_rate, edit_sequence = excluded.edit_sequence,
             time_modified = excluded.time_modified, seen_at = excluded.seen_at,
             income_account = excluded.income_account",
    )?
    .execute(params![
        i.list_id,
        i.full_name,
        i.item_type,
        i.is_active,
        i.tax_rate.map(|d| d.to_string()),
        i.edit_sequence,
        i.time_modified,
        now_utc(),
        i.income_account
    ])?;
    Ok(())
}

const ITEM_COLUMNS: &str =
    "list_id, full_name, item_type, is_active, tax_rate, edit_sequence, time_modified, income_account";

/// One `qb_items` row read with [`ITEM_COLUMNS`], its type and rate still text.
type RawItem = (
    String,
    String,
    String,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn raw_item(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawItem> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn item_of(
    (list_id, full_name, item_type, is_active, rate, es, tm, account): RawItem,
) -> Result<QbItem, StoreError> {
    Ok(QbItem {
        list_id,
        full_name,
        item_type: ItemType::parse(&item_type)?,
        is_active,
        tax_rate: rate
            .map(|t| parse_dec("qb_items.tax_rate", &t))
            .transpose()?,
        edit_sequence: es,
        time_modified: tm,
        income_account: account,
    })
}

/// The item with this full name (QuickBooks compares names without regard to case).
pub fn item_by_full_name(conn: &Connection, full_name: &str) -> Result<Option<QbItem>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM qb_items WHERE full_name = ?1 COLLATE NOCASE"
    ))?;
    stmt.query_row([full_name], raw_item)
        .optional()?
        .map(item_of)
        .transpose()
}

/// A list element with a name and an active flag (accounts, payment methods).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QbNamed {
    pub list_id: String,
    pub name: String,
    pub is_active: bool,
}

/// An account known only by name, type and active flag (no number); the whole row is
/// `store::accounts::upsert`'s.
pub fn upsert_account(
    tx: &Transaction<'_>,
    a: &QbNamed,
    account_type: &str,
) -> Result<(), StoreError> {
    let account = super::accounts::QbAccount {
        list_id: a.list_id.clone(),
        full_name: a.name.clone(),
        account_type: super::accounts::AccountType::parse(account_type),
        special_account_type: None,
        account_number: None,
        is_active: a.is_active,
    };
    super::accounts::upsert(tx, &account, account_type)
}

pub fn upsert_payment_method(tx: &Transaction<'_>, m: &QbNamed) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO qb_payment_methods (list_id, name, is_active, seen_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (list_id) DO UPDATE SET name = excluded.name,
             is_active = excluded.is_active, seen_at = excluded.seen_at",
    )?
    .execute(params![m.list_id, m.name, m.is_active, now_utc()])?;
    Ok(())
}

pub fn upsert_sales_tax_code(
    tx: &Transaction<'_>,
    c: &QbNamed,
    is_taxable: bool,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO qb_sales_tax_codes (list_id, name, is_taxable, is_active, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (list_id) DO UPDATE SET name = excluded.name,
             is_taxable = excluded.is_taxable, is_active = excluded.is_active,
             seen_at = excluded.seen_at",
    )?
    .execute(params![
        c.list_id,
        c.name,
        is_taxable,
        c.is_active,
        now_utc()
    ])?;
    Ok(())
}

/// What QuickBooks says about an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QbInvoiceStatus {
    pub txn_id: String,
    /// Our invoice, when it is one of ours.
    pub invoice_id: Option<String>,
    pub balance: Decimal,
    pub is_paid: bool,
    pub subtotal: Option<Decimal>,
    pub sales_tax_total: Option<Decimal>,
    pub edit_sequence: Option<String>,
    pub time_modified: Option<String>,
}

pub fn upsert_invoice_status(tx: &Transaction<'_>, s: &QbInvoiceStatus) -> Result<(), StoreError> {
    upsert_invoice_statuses(tx, std::slice::from_ref(s))
}

/// [`upsert_invoice_status`] for many invoices in one statement.
pub fn upsert_invoice_statuses(
    tx: &Transaction<'_>,
    all: &[QbInvoiceStatus],
) -> Result<(), StoreError> {
    if all.is_empty() {
        return Ok(());
    }
    let list = super::records::json_rows(
        all.iter()
            .map(|s| {
                (
                    &s.txn_id,
                    &s.invoice_id,
                    s.balance.to_string(),
                    s.is_paid,
                    s.subtotal.map(|d| d.to_string()),
                    s.sales_tax_total.map(|d| d.to_string()),
                    &s.edit_sequence,
                    &s.time_modified,
                )
            })
            .collect(),
    )?;
    tx.prepare_cached(
        "INSERT INTO qb_invoice_status (txn_id, invoice_id, balance, is_paid, subtotal,
             sales_tax_total, edit_sequence, time_modified, seen_at)
         SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4,
             j.value ->> 5, j.value ->> 6, j.value ->> 7, ?2
         FROM jsonb_each(?1) AS j WHERE true ORDER BY j.key
         ON CONFLICT (txn_id) DO UPDATE SET invoice_id = excluded.invoice_id,
             balance = excluded.balance, is_paid = excluded.is_paid,
             subtotal = excluded.subtotal, sales_tax_total = excluded.sales_tax_total,
             edit_sequence = excluded.edit_sequence, time_modified = excluded.time_modified,
             seen_at = excluded.seen_at",
    )?
    .execute(params![list, now_utc()])?;
    Ok(())
}

/// A payment QuickBooks has against an invoice (ReceivePaymentRet, one applied invoice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QbPayment {
    pub txn_id: String,
    pub customer_list_id: Option<String>,
    pub invoice_txn_id: Option<String>,
    pub invoice_id: Option<String>,
    pub date: String,
    pub amount: Decimal,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub external_guid: Option<String>,
    pub time_modified: Option<String>,
}

pub fn upsert_payment(tx: &Transaction<'_>, p: &QbPayment) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO qb_payments (txn_id, customer_list_id, invoice_txn_id, invoice_id, date,
             amount, method, reference, external_guid, time_modified, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (txn_id) DO UPDATE SET customer_list_id = excluded.customer_list_id,
             invoice_txn_id = excluded.invoice_txn_id, invoice_id = excluded.invoice_id,
             date = excluded.date, amount = excluded.amount, method = excluded.method,
             reference = excluded.reference, external_guid = excluded.external_guid,
             time_modified = excluded.time_modified, seen_at = excluded.seen_at",
    )?
    .execute(params![
        p.txn_id,
        p.customer_list_id,
        p.invoice_txn_id,
        p.invoice_id,
        p.date,
        p.amount.to_string(),
        p.method,
        p.reference,
        p.external_guid,
        p.time_modified,
        now_utc()
    ])?;
    Ok(())
}

/// The latest TimeModified seen for a list ("customers", "items", ...), if any.
pub fn cursor(conn: &Connection, list: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT last_modified FROM sync_cursors WHERE list = ?1",
            [list],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_cursor(tx: &Transaction<'_>, list: &str, last_modified: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sync_cursors (list, last_modified, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (list) DO UPDATE SET last_modified = excluded.last_modified,
             updated_at = excluded.updated_at",
    )?
    .execute(params![list, last_modified, now_utc()])?;
    Ok(())
}

/// Records that QuickBooks deleted an object, and drops it from the mirror tables that hold
/// that kind of object (customers and jobs, items, payments).
pub fn mark_deleted(
    tx: &Transaction<'_>,
    object_type: &str,
    qb_id: &str,
    full_name: Option<&str>,
    time_deleted: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO qb_deleted (object_type, qb_id, full_name, time_deleted, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (object_type, qb_id) DO UPDATE SET time_deleted = excluded.time_deleted,
             seen_at = excluded.seen_at",
    )?
    .execute(params![
        object_type,
        qb_id,
        full_name,
        time_deleted,
        now_utc()
    ])?;
    match object_type {
        "Customer" => tx.execute("DELETE FROM qb_customers WHERE list_id = ?1", [qb_id])?,
        "ReceivePayment" => tx.execute("DELETE FROM qb_payments WHERE txn_id = ?1", [qb_id])?,
        "Invoice" => tx.execute("DELETE FROM qb_invoice_status WHERE txn_id = ?1", [qb_id])?,
        t if t.starts_with("Item") => {
            tx.execute("DELETE FROM qb_items WHERE list_id = ?1", [qb_id])?
        }
        _ => 0,
    };
    Ok(())
}

/// Was this object reported deleted in QuickBooks?
pub fn is_deleted(conn: &Connection, qb_id: &str) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM qb_deleted WHERE qb_id = ?1)",
        [qb_id],
        |r| r.get(0),
    )?)
}

/// An account by full name (QuickBooks compares names without regard to case).
pub fn account_by_name(conn: &Connection, full_name: &str) -> Result<Option<QbNamed>, StoreError> {
    named(
        conn,
        "SELECT list_id, full_name, is_active FROM qb_accounts WHERE full_name = ?1 COLLATE NOCASE",
        full_name,
    )
}

/// A payment method by name (without regard to case).
pub fn payment_method_by_name(
    conn: &Connection,
    name: &str,
) -> Result<Option<QbNamed>, StoreError> {
    named(
        conn,
        "SELECT list_id, name, is_active FROM qb_payment_methods WHERE name = ?1 COLLATE NOCASE",
        name,
    )
}

/// One (list_id, name, is_active) row found by name.
fn named(conn: &Connection, sql: &str, name: &str) -> Result<Option<QbNamed>, StoreError> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row([name], |r| {
            Ok(QbNamed {
                list_id: r.get(0)?,
                name: r.get(1)?,
                is_active: r.get(2)?,
            })
        })
        .optional()?)
}

/// Active sales tax codes with whether each is taxable ("Tax" true, "Non" false).
pub fn sales_tax_codes(conn: &Connection) -> Result<Vec<(String, bool)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, is_taxable FROM qb_sales_tax_codes WHERE is_active = 1 ORDER BY name",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every item of the given types, active first, by full name.
pub fn items_of_types(conn: &Connection, types: &[ItemType]) -> Result<Vec<QbItem>, StoreError> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM qb_items WHERE item_type = ?1 ORDER BY is_active DESC, full_name"
    ))?;
    for t in types {
        let rows = stmt
            .query_map([t], raw_item)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for raw in rows {
            out.push(item_of(raw)?);
        }
    }
    Ok(out)
}

/// Forgets every QuickBooks customer and job (before a full re-read of the list).
pub fn clear_customers(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("DELETE FROM qb_customers", [])?;
    Ok(())
}

/// A fingerprint of the customer mirror: changes whenever a customer is read or forgotten.
/// Two subqueries, so each is one step on an index (`qb_customers_seen_at` for the max);
/// `count(*), max(seen_at)` in one SELECT would read every row.
pub fn customers_fingerprint(conn: &Connection) -> Result<(i64, Option<String>), StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM qb_customers), (SELECT max(seen_at) FROM qb_customers)",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// The columns `qb_customers_fts` indexes (migration 3), in its order.
pub(crate) const SEARCH_COLUMNS: &str =
    "full_name, company_name, email, phone, bill_line1, bill_line2, bill_city, ship_line1";

/// Indexes for search up to `limit` QuickBooks customers waiting in the search queue (the
/// lowest rowids first) and takes them off it; returns how many. New rows wait there from
/// their insert (migration `V_LEAN_MIRROR`) and [`search_customers`] reads them directly, so
/// indexing them changes no answer, only how much a search reads.
pub fn index_for_search(tx: &Transaction<'_>, limit: usize) -> Result<usize, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let last: Option<i64> = tx
        .prepare_cached(
            "SELECT max(row) FROM (SELECT row FROM qb_customers_fts_queue ORDER BY row LIMIT ?1)",
        )?
        .query_row([limit], |r| r.get(0))?;
    let Some(last) = last else {
        return Ok(0);
    };
    tx.prepare_cached(&format!(
        "INSERT INTO qb_customers_fts (rowid, {SEARCH_COLUMNS})
         SELECT t.rowid, {} FROM qb_customers_fts_queue q JOIN qb_customers t ON t.rowid = q.row
         WHERE q.row <= ?1",
        super::records::qualified_columns(SEARCH_COLUMNS, "t")
    ))?
    .execute([last])?;
    Ok(tx
        .prepare_cached("DELETE FROM qb_customers_fts_queue WHERE row <= ?1")?
        .execute([last])?)
}

/// A QuickBooks customer with the app customer linked to it, if any.
pub type LinkedQbCustomer = (QbCustomer, Option<String>);

/// The LIKE test of [`search_customers`]: `?1` (a [`like_pattern`](super::records::like_pattern))
/// anywhere in one of the searched columns. `qb_customers_fts` (migration 3) indexes exactly
/// these columns.
const SEARCH_LIKE: &str = "(q.full_name LIKE ?1 ESCAPE '\\' OR q.company_name LIKE ?1 ESCAPE '\\'
        OR q.email LIKE ?1 ESCAPE '\\' OR q.phone LIKE ?1 ESCAPE '\\'
        OR q.bill_line1 LIKE ?1 ESCAPE '\\' OR q.bill_line2 LIKE ?1 ESCAPE '\\'
        OR q.bill_city LIKE ?1 ESCAPE '\\' OR q.ship_line1 LIKE ?1 ESCAPE '\\')";

/// "Not FieldBridge's" (what `unlinked_only` keeps, for "Bring in from QuickBooks"): a
/// QuickBooks customer or job that no app customer is linked to (`p`, the pairings row
/// joined on the ListID), that is no app project's job, and that FieldBridge did not create
/// (its ExternalGUID is none of the app's customers' or projects').
const NOT_FIELDBRIDGES: &str = "(p.customer_id IS NULL
        AND (q.parent_list_id IS NULL OR q.list_id NOT IN
             (SELECT qb_id FROM outbox WHERE kind = 'project' AND qb_id IS NOT NULL))
        AND (q.external_guid IS NULL
             OR (NOT EXISTS (SELECT 1 FROM customers c WHERE c.guid = q.external_guid)
                 AND NOT EXISTS (SELECT 1 FROM projects j WHERE j.guid = q.external_guid))))";

/// True when the QuickBooks customer or job is linked to, or was created by, FieldBridge
/// (the opposite of [`NOT_FIELDBRIDGES`]); false for a ListID the mirror does not hold.
pub fn is_fieldbridges(conn: &Connection, list_id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT NOT {NOT_FIELDBRIDGES} FROM qb_customers q
             LEFT JOIN pairings p ON p.list_id = q.list_id WHERE q.list_id = ?1"
        ))?
        .query_row([list_id], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// One page of QuickBooks customers and jobs matching `query` (name, full name, company,
/// address, phone, e-mail; "" for all), by full name, with the app customer linked to each;
/// and how many match in all.
///
/// A match is `LIKE '%query%'` on one of the columns (case-insensitive for ASCII, `%` and `_`
/// literal), whatever the path: a text of [`TRIGRAM_MIN_CHARS`](super::records::TRIGRAM_MIN_CHARS)
/// or more is looked up in the trigram index (and its queue of rows not indexed yet, see
/// migration 3) and only those rows are tested with LIKE; a
/// shorter one tests every row once. Either way the matching rows are read once (key and
/// sort columns only): their number is the total, the page is cut from them and only the
/// page's rows are read in full. A short text that many customers contain is paged from the
/// first customers by name instead ([`DENSE_PROBE_FACTOR`]) and only counted over the rest.
///
/// Call it inside one read transaction (`Store::read`), so the rows counted are the rows read.
pub fn search_customers(
    conn: &Connection,
    query: &str,
    unlinked_only: bool,
    offset: u64,
    limit: u64,
) -> Result<(Vec<LinkedQbCustomer>, u64), StoreError> {
    if query.trim().is_empty() {
        return all_customers_page(conn, unlinked_only, offset, limit);
    }
    let pattern = super::records::like_pattern(query);
    let mut hits: Vec<(i64, String, String)> = match super::records::trigram_phrase(query) {
        Some(phrase) => conn
            .prepare_cached(&format!(
                "SELECT q.rowid, q.full_name, q.list_id FROM qb_customers q
                 LEFT JOIN pairings p ON p.list_id = q.list_id
                 WHERE q.rowid IN (SELECT rowid FROM qb_customers_fts
                                   WHERE qb_customers_fts MATCH ?3
                                   UNION ALL SELECT row FROM qb_customers_fts_queue)
                   AND {SEARCH_LIKE} AND (?2 = 0 OR {NOT_FIELDBRIDGES})"
            ))?
            .query_map(params![pattern, unlinked_only, phrase], search_hit)?
            .collect::<rusqlite::Result<_>>()?,
        None => {
            if let Some(page) = dense_page(conn, &pattern, unlinked_only, offset, limit)? {
                let total: i64 = conn
                    .prepare_cached(&format!(
                        "SELECT count(*) FROM qb_customers q NOT INDEXED
                         LEFT JOIN pairings p ON p.list_id = q.list_id
                         WHERE {SEARCH_LIKE} AND (?2 = 0 OR {NOT_FIELDBRIDGES})"
                    ))?
                    .query_row(params![pattern, unlinked_only], |r| r.get(0))?;
                return Ok((read_hits(conn, &page)?, total as u64));
            }
            // NOT INDEXED: every row is tested anyway; reading the table in order is
            // quicker than walking the name index and looking each row up.
            conn.prepare_cached(&format!(
                "SELECT q.rowid, q.full_name, q.list_id FROM qb_customers q NOT INDEXED
                 LEFT JOIN pairings p ON p.list_id = q.list_id
                 WHERE {SEARCH_LIKE} AND (?2 = 0 OR {NOT_FIELDBRIDGES})"
            ))?
            .query_map(params![pattern, unlinked_only], search_hit)?
            .collect::<rusqlite::Result<_>>()?
        }
    };
    // ORDER BY full_name COLLATE NOCASE, list_id.
    hits.sort_unstable_by(|a, b| {
        super::records::nocase_cmp(&a.1, &b.1).then_with(|| a.2.cmp(&b.2))
    });
    let total = hits.len() as u64;
    let page: Vec<i64> = hits
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|(rowid, _, _)| *rowid)
        .collect();
    Ok((read_hits(conn, &page)?, total))
}

/// A short text (no index) that many customers contain: reading the first rows in order
/// fills the page long before the end of the list, and only counting needs every row.
/// The search reads the first `(offset + limit) * DENSE_PROBE_FACTOR` customers by full
/// name and keeps the page if they hold it; otherwise (fewer than one row in
/// `DENSE_PROBE_FACTOR` matches) it reads every match, which are few then.
const DENSE_PROBE_FACTOR: u64 = 20;

/// Beyond this many rows up to the end of the page (a person scrolled far) the probe would
/// read a large part of the list for nothing if the page is not there: the search reads
/// every match instead. One largest page (`office::MAX_PAGE`) from the top still probes.
const DENSE_PROBE_MAX_ROWS: u64 = 500;

/// The page's rowids when the first customers by full name hold the whole page (see
/// [`DENSE_PROBE_FACTOR`]); None when they do not.
fn dense_page(
    conn: &Connection,
    pattern: &str,
    unlinked_only: bool,
    offset: u64,
    limit: u64,
) -> Result<Option<Vec<i64>>, StoreError> {
    let wanted = offset.saturating_add(limit);
    if wanted > DENSE_PROBE_MAX_ROWS {
        return Ok(None);
    }
    let rowids: Vec<i64> = conn
        .prepare_cached(&format!(
            "SELECT q.rid FROM (
                 SELECT rowid AS rid, list_id, full_name, company_name, email, phone,
                        bill_line1, bill_line2, bill_city, ship_line1, parent_list_id,
                        external_guid
                 FROM qb_customers ORDER BY full_name COLLATE NOCASE, list_id LIMIT ?3) q
             LEFT JOIN pairings p ON p.list_id = q.list_id
             WHERE {SEARCH_LIKE} AND (?2 = 0 OR {NOT_FIELDBRIDGES})
             ORDER BY q.full_name COLLATE NOCASE, q.list_id
             LIMIT ?4"
        ))?
        .query_map(
            params![
                pattern,
                unlinked_only,
                (wanted * DENSE_PROBE_FACTOR) as i64,
                wanted as i64
            ],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    if (rowids.len() as u64) < wanted {
        return Ok(None);
    }
    Ok(Some(rowids.into_iter().skip(offset as usize).collect()))
}

/// The customers with these rowids, in this order, each with its linked app customer.
fn read_hits(conn: &Connection, rowids: &[i64]) -> Result<Vec<LinkedQbCustomer>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {}, p.customer_id FROM qb_customers q
         LEFT JOIN pairings p ON p.list_id = q.list_id
         WHERE q.rowid = ?1",
        customer_columns_of("q")
    ))?;
    Ok(rowids
        .iter()
        .map(|rowid| stmt.query_row([rowid], linked_customer_row))
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A matching row of a search: its rowid and its sort keys.
fn search_hit(r: &Row<'_>) -> rusqlite::Result<(i64, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

/// [`CUSTOMER_COLUMNS`], each qualified with a table alias.
fn customer_columns_of(alias: &str) -> String {
    super::records::qualified_columns(CUSTOMER_COLUMNS, alias)
}

/// A customer row read with [`customer_columns_of`] followed by the linked app customer.
fn linked_customer_row(r: &Row<'_>) -> rusqlite::Result<LinkedQbCustomer> {
    Ok((customer_row(r)?, r.get(26)?))
}

/// [`search_customers`] with no text: the count, and the page read along the full-name
/// index (it stops after the page instead of sorting 50,000 rows).
fn all_customers_page(
    conn: &Connection,
    unlinked_only: bool,
    offset: u64,
    limit: u64,
) -> Result<(Vec<LinkedQbCustomer>, u64), StoreError> {
    let total: i64 = if unlinked_only {
        conn.prepare_cached(&format!(
            "SELECT count(*) FROM qb_customers q LEFT JOIN pairings p ON p.list_id = q.list_id
             WHERE {NOT_FIELDBRIDGES}"
        ))?
        .query_row([], |r| r.get(0))?
    } else {
        conn.prepare_cached("SELECT count(*) FROM qb_customers")?
            .query_row([], |r| r.get(0))?
    };
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {}, p.customer_id FROM qb_customers q
             LEFT JOIN pairings p ON p.list_id = q.list_id
             WHERE ?1 = 0 OR {NOT_FIELDBRIDGES}
             ORDER BY q.full_name COLLATE NOCASE, q.list_id LIMIT ?2 OFFSET ?3",
            customer_columns_of("q")
        ))?
        .query_map(
            params![
                unlinked_only,
                i64::try_from(limit).unwrap_or(i64::MAX),
                i64::try_from(offset).unwrap_or(i64::MAX)
            ],
            linked_customer_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total as u64))
}

/// Every item, active first, by full name.
pub fn items(conn: &Connection) -> Result<Vec<QbItem>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM qb_items ORDER BY is_active DESC, full_name COLLATE NOCASE"
    ))?;
    let raw = stmt
        .query_map([], raw_item)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter().map(item_of).collect()
}

/// Active accounts of the given types (e.g. "Bank"), by full name: (ListID, full name, type).
pub fn accounts_of_types(
    conn: &Connection,
    types: &[&str],
) -> Result<Vec<(String, String, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT list_id, full_name, account_type FROM qb_accounts
         WHERE is_active = 1 ORDER BY full_name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, t)| types.contains(&t.as_str()))
        .collect())
}

/// Active payment methods, by name.
pub fn payment_methods(conn: &Connection) -> Result<Vec<QbNamed>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT list_id, name, is_active FROM qb_payment_methods
         WHERE is_active = 1 ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(QbNamed {
                list_id: r.get(0)?,
                name: r.get(1)?,
                is_active: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// When a list was last read (the cursor's own time, RFC 3339 UTC), or None if never.
pub fn read_at(conn: &Connection, list: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT updated_at FROM sync_cursors WHERE list = ?1",
            [list],
            |r| r.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn upserts_replace_by_list_id_and_deletions_remove() {
        let store = Store::open_in_memory().unwrap();
        let mut c = QbCustomer {
            list_id: "80000001-1".into(),
            full_name: "Ecker".into(),
            name: "Ecker".into(),
            is_active: true,
            edit_sequence: "1".into(),
            time_modified: "2026-10-01T10:00:00-05:00".into(),
            ..QbCustomer::default()
        };
        store.write(|tx| upsert_customer(tx, &c)).unwrap();
        c.edit_sequence = "2".into();
        c.bill_address.city = Some("Storrs".into());
        store.write(|tx| upsert_customer(tx, &c)).unwrap();
        let back = store.read(|conn| customer(conn, "80000001-1")).unwrap();
        assert_eq!(
            back.as_ref(),
            Some(&c),
            "the second read replaces the first"
        );
        assert_eq!(store.read(customers).unwrap().len(), 1);
        store
            .write(|tx| {
                mark_deleted(
                    tx,
                    "Customer",
                    "80000001-1",
                    Some("Ecker"),
                    "2026-10-02T00:00:00Z",
                )
            })
            .unwrap();
        assert_eq!(
            store.read(|conn| customer(conn, "80000001-1")).unwrap(),
            None
        );
        assert!(store.read(|conn| is_deleted(conn, "80000001-1")).unwrap());
    }

    /// The search as it was before the trigram index (`LIKE` on every row, SQLite's sort):
    /// every matching ListID in order, with its linked app customer. The reference the
    /// indexed search must reproduce exactly.
    fn like_reference(
        conn: &Connection,
        query: &str,
        unlinked_only: bool,
    ) -> Vec<(String, Option<String>)> {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT q.list_id, p.customer_id FROM qb_customers q
                 LEFT JOIN pairings p ON p.list_id = q.list_id
                 WHERE (?1 = '%%'
                    OR q.full_name LIKE ?1 ESCAPE '\\' OR q.company_name LIKE ?1 ESCAPE '\\'
                    OR q.email LIKE ?1 ESCAPE '\\' OR q.phone LIKE ?1 ESCAPE '\\'
                    OR q.bill_line1 LIKE ?1 ESCAPE '\\' OR q.bill_line2 LIKE ?1 ESCAPE '\\'
                    OR q.bill_city LIKE ?1 ESCAPE '\\' OR q.ship_line1 LIKE ?1 ESCAPE '\\')
                   AND (?2 = 0 OR {NOT_FIELDBRIDGES})
                 ORDER BY q.full_name COLLATE NOCASE, q.list_id"
            ))
            .unwrap();
        stmt.query_map(
            params![super::super::records::like_pattern(query), unlinked_only],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn qb(list_id: &str, full_name: &str) -> QbCustomer {
        QbCustomer {
            list_id: list_id.into(),
            full_name: full_name.into(),
            name: full_name.rsplit(':').next().unwrap_or(full_name).into(),
            is_active: true,
            edit_sequence: "1".into(),
            time_modified: "2026-10-01T10:00:00-05:00".into(),
            ..QbCustomer::default()
        }
    }

    /// Names chosen to trip an index that is not exactly LIKE: wildcards and quotes as
    /// text, accents (LIKE folds ASCII only, the trigram tokenizer all of Unicode), mixed
    /// case, values split over columns, a sort that differs between NOCASE and BINARY.
    fn tricky_mirror() -> Store {
        let store = Store::open_in_memory().unwrap();
        let mut rows = vec![
            qb("80-01", "100% Plumbing"),
            qb("80-02", "Under_score Co"),
            qb("80-03", "O'Brien & Sons"),
            qb("80-04", "The \"Best\" Co"),
            qb("80-05", "Back\\slash Ltd"),
            qb("80-06", "Café Élan"),
            qb("80-07", "CAFÉ ÉLAN Two"),
            qb("80-08", "café élan three"),
            qb("80-09", "MiXeD CaSe Ltd"),
            qb("80-10", "mixed case ltd"),
            qb("80-11", "İstanbul Kebab"),
            qb("80-12", "Straße Bau"),
            qb("80-13", "Alpha"),
            qb("80-14", "Ecker Designs"),
            qb("80-15", "Ecker Designs:Job A"),
            qb("80-16", "_leading underscore"),
            qb("80-17", "Zed"),
            qb("80-18", "zed"),
        ];
        rows[12].company_name = Some("Beta".into());
        rows[12].email = Some("gamma@delta.example".into());
        rows[13].phone = Some("(555) 201-3344".into());
        rows[13].bill_address.line1 = Some("12 Mill Rd".into());
        rows[13].bill_address.line2 = Some("Suite 100%".into());
        rows[13].bill_address.city = Some("Storrs".into());
        rows[13].ship_address.line1 = Some("9 Dock St".into());
        rows[13].ship_address.city = Some("Shipcity".into()); // not a searched column
        rows[14].parent_list_id = Some("80-14".into());
        rows[14].sublevel = 1;
        store
            .write(|tx| {
                for c in &rows {
                    upsert_customer(tx, c)?;
                }
                let now = "2026-10-01T00:00:00Z";
                for (id, list_id) in [("C-1", "80-14"), ("C-2", "80-06")] {
                    tx.execute(
                        "INSERT INTO customers (id, guid, name, taxable, active, created_at,
                                                updated_at)
                         VALUES (?1, ?1, ?1, 1, 1, ?2, ?2)",
                        [id, now],
                    )?;
                    tx.execute(
                        "INSERT INTO pairings VALUES (?1, ?2, 'manual', ?3)",
                        [id, list_id, now],
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
    }

    /// Texts of 1, 2 and 3+ characters that LIKE treats specially or that an index could
    /// get wrong.
    const TRICKY_QUERIES: &[&str] = &[
        "",
        "   ",
        "a",
        "A",
        "é",
        "É",
        "%",
        "_",
        "\\",
        "'",
        "\"",
        "10",
        "0%",
        "% P",
        "0% p",
        "r_s",
        "_le",
        "o'b",
        "O'BRIEN",
        "\"best\"",
        "\"",
        "t \"b",
        "h\\s",
        "élan",
        "ÉLAN",
        "Élan",
        "cafe",
        "café",
        "CAFÉ",
        "mixed case",
        "MIXED",
        "ist",
        "İst",
        "straße",
        "STRASSE",
        "alphabeta",
        "phabe",
        "ha be",
        "a beta",
        "betagamma",
        "mill rd",
        "  mill  ",
        "STORRS",
        "dock",
        "shipcity",
        "555) 201",
        "(555)",
        "@delta",
        "ecker designs:job",
        "job a",
        "zed",
        "ZED",
        "zzz",
        "x",
        "ex",
        "uite 100%",
        "ty",
    ];

    #[test]
    fn search_finds_exactly_what_like_finds_in_the_same_order() {
        let store = tricky_mirror();
        let compare_all = |when: &str| {
            store
            .read(|conn| -> Result<(), StoreError> {
                for query in TRICKY_QUERIES {
                    for unlinked_only in [false, true] {
                        let expected = like_reference(conn, query, unlinked_only);
                        for (offset, limit) in [(0, 500), (0, 2), (1, 3), (4, 2), (50, 10)] {
                            let (rows, total) =
                                search_customers(conn, query, unlinked_only, offset, limit)?;
                            let got: Vec<(String, Option<String>)> = rows
                                .iter()
                                .map(|(c, linked)| (c.list_id.clone(), linked.clone()))
                                .collect();
                            let want: Vec<_> = expected
                                .iter()
                                .skip(offset as usize)
                                .take(limit as usize)
                                .cloned()
                                .collect();
                            assert_eq!(
                                got, want,
                                "rows {when}, query {query:?}, unlinked_only {unlinked_only}, offset {offset}, limit {limit}: the page must be LIKE's page, in LIKE's order"
                            );
                            assert_eq!(
                                total,
                                expected.len() as u64,
                                "rows {when}, query {query:?}, unlinked_only {unlinked_only}: the total must be LIKE's count"
                            );
                        }
                    }
                }
                Ok(())
            })
            .unwrap()
        };
        // New rows wait in the index's queue (fewer than 1,000 here), then are indexed.
        compare_all("queued");
        assert!(index_matches_table(&store), "the queue is indexed cleanly");
        compare_all("indexed");
    }

    #[test]
    fn search_rows_are_read_in_full_with_their_link() {
        let store = tricky_mirror();
        let (rows, total) = store
            .read(|conn| search_customers(conn, "mill", false, 0, 10))
            .unwrap();
        assert_eq!(total, 1, "only Ecker Designs has Mill Rd");
        let expected = store.read(|conn| customer(conn, "80-14")).unwrap();
        assert_eq!(
            Some(&rows[0].0),
            expected.as_ref(),
            "a search hit carries the whole customer"
        );
        assert_eq!(
            rows[0].1.as_deref(),
            Some("C-1"),
            "and its linked app customer"
        );
    }

    /// Indexes the queue and asks FTS5 whether both search indexes hold their tables.
    fn index_matches_table(store: &Store) -> bool {
        store
            .write(|tx| Ok::<_, StoreError>(super::super::migrations::index_queues_and_check(tx)))
            .unwrap()
            .is_ok()
    }

    fn queued(store: &Store) -> i64 {
        store
            .read(|c| {
                Ok::<i64, StoreError>(c.query_row(
                    "SELECT count(*) FROM qb_customers_fts_queue",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    }

    fn found(store: &Store, query: &str) -> Vec<String> {
        store
            .read(|conn| search_customers(conn, query, false, 0, 100))
            .unwrap()
            .0
            .into_iter()
            .map(|(c, _)| c.list_id)
            .collect()
    }

    #[test]
    fn the_search_index_follows_every_write_to_the_mirror() {
        let store = Store::open_in_memory().unwrap();
        let mut c = qb("80-1", "Ecker Designs");
        store.write(|tx| upsert_customer(tx, &c)).unwrap();
        assert_eq!(found(&store, "ecker"), ["80-1"], "an insert is indexed");
        c.full_name = "Baker Bros".into();
        c.phone = Some("555-0100".into());
        store.write(|tx| upsert_customer(tx, &c)).unwrap();
        assert!(
            found(&store, "ecker").is_empty(),
            "an update removes the old text from the index"
        );
        assert_eq!(found(&store, "bak"), ["80-1"], "and indexes the new");
        assert_eq!(found(&store, "0100"), ["80-1"], "in every searched column");
        c.edit_sequence = "2".into();
        store.write(|tx| upsert_customer(tx, &c)).unwrap();
        assert_eq!(
            found(&store, "bak"),
            ["80-1"],
            "a re-read that changes no searched column keeps the entry"
        );
        assert!(index_matches_table(&store), "index and table agree");
        store
            .write(|tx| upsert_customer(tx, &qb("80-2", "Baker Annex")))
            .unwrap();
        store
            .write(|tx| mark_deleted(tx, "Customer", "80-1", None, "2026-10-02T00:00:00Z"))
            .unwrap();
        assert_eq!(
            found(&store, "bak"),
            ["80-2"],
            "a deletion leaves the index"
        );
        assert!(index_matches_table(&store), "index and table agree");
        store.write(clear_customers).unwrap();
        assert!(
            found(&store, "bak").is_empty(),
            "clearing empties the index"
        );
        assert!(
            index_matches_table(&store),
            "index and table agree after clear_customers"
        );
        store
            .write(|tx| upsert_customer(tx, &qb("80-2", "Baker Annex")))
            .unwrap();
        assert_eq!(
            found(&store, "bak"),
            ["80-2"],
            "a re-read after clearing is indexed"
        );
    }

    #[test]
    fn the_integrity_check_would_notice_a_stale_index() {
        // Guards the test above: with the triggers gone, the check must fail.
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                upsert_customer(tx, &qb("80-1", "Ecker"))?;
                super::super::migrations::index_queues_and_check(tx).map_err(|e| {
                    StoreError::Corrupt {
                        place: "test",
                        value: e,
                        expected: "a clean index",
                    }
                })?;
                tx.execute_batch("DROP TRIGGER qb_customers_fts_update")?;
                upsert_customer(tx, &qb("80-1", "Baker"))
            })
            .unwrap();
        assert!(
            !index_matches_table(&store),
            "an index that still holds the old name must fail the check"
        );
    }

    #[test]
    fn short_searches_page_like_like_whether_matches_are_many_or_few() {
        // More rows than the dense probe reads for a small page, so both of its outcomes
        // (the page found among the first rows, or every match read) are taken.
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                for n in 0..300 {
                    let name = if n % 50 == 7 {
                        format!("Xavier {n:03}")
                    } else if n % 2 == 0 {
                        format!("name {n:03}")
                    } else {
                        format!("Name {n:03}")
                    };
                    upsert_customer(tx, &qb(&format!("80-{n:03}"), &name))?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
            .read(|conn| -> Result<(), StoreError> {
                for query in ["n", "N", "e", "x", "X", "0", "9", "x0", "7", "av", "zz"] {
                    let expected = like_reference(conn, query, false);
                    for (offset, limit) in [(0, 5), (3, 5), (0, 50), (40, 10), (290, 20)] {
                        let (rows, total) = search_customers(conn, query, false, offset, limit)?;
                        let got: Vec<String> = rows.into_iter().map(|(c, _)| c.list_id).collect();
                        let want: Vec<String> = expected
                            .iter()
                            .skip(offset as usize)
                            .take(limit as usize)
                            .map(|(id, _)| id.clone())
                            .collect();
                        assert_eq!(
                            got, want,
                            "query {query:?} at {offset}+{limit}: LIKE's page"
                        );
                        assert_eq!(
                            total,
                            expected.len() as u64,
                            "query {query:?}: LIKE's count"
                        );
                    }
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn new_customers_wait_in_the_queue_are_found_meanwhile_and_indexed_a_thousand_at_a_time() {
        let store = Store::open_in_memory().unwrap();
        let many: Vec<QbCustomer> = (0..2_500)
            .map(|n| qb(&format!("80-{n:05}"), &format!("Customer {n:05}")))
            .collect();
        store
            .write(|tx| {
                for c in &many[..999] {
                    upsert_customer(tx, c)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(
            queued(&store),
            999,
            "below the batch, new rows wait in the queue"
        );
        assert_eq!(
            found(&store, "customer 00123"),
            ["80-00123"],
            "a queued row is found all the same"
        );
        store
            .write(|tx| {
                // Changed and deleted while queued: the queue follows, the index is untouched.
                upsert_customer(tx, &qb("80-00005", "Renamed Five"))?;
                mark_deleted(tx, "Customer", "80-00006", None, "2026-10-02T00:00:00Z")?;
                for c in &many[999..] {
                    upsert_customer(tx, c)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(
            queued(&store),
            2_499,
            "new rows wait in the queue (the deleted one left it) until they are indexed"
        );
        assert_eq!(
            found(&store, "renamed five"),
            ["80-00005"],
            "a queued row is read as it is now"
        );
        let mut chunks = Vec::new();
        loop {
            let n = store.write(|tx| index_for_search(tx, 1_000)).unwrap();
            if n == 0 {
                break;
            }
            chunks.push(n);
        }
        assert_eq!(chunks, [1_000, 1_000, 499], "a thousand per transaction");
        assert_eq!(
            found(&store, "renamed five"),
            ["80-00005"],
            "indexed as it is now"
        );
        assert!(
            found(&store, "customer 00005").is_empty(),
            "its old name is gone"
        );
        assert!(
            found(&store, "customer 00006").is_empty(),
            "a deleted row is gone"
        );
        assert_eq!(
            found(&store, "customer 00123"),
            ["80-00123"],
            "now from the index"
        );
        assert_eq!(
            found(&store, "customer 02499"),
            ["80-02499"],
            "the last one is found too"
        );
        store
            .write(|tx| upsert_customer(tx, &qb("80-00123", "Renamed Indexed")))
            .unwrap();
        assert!(
            found(&store, "customer 00123").is_empty(),
            "an indexed row's change is applied"
        );
        assert_eq!(found(&store, "renamed indexed"), ["80-00123"], "at once");
        assert!(
            index_matches_table(&store),
            "index and table agree once the queue is indexed"
        );
        assert_eq!(queued(&store), 0, "and the queue is empty then");
    }
}
