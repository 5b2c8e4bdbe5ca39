//! Answers for `fieldbridge status` and `fieldbridge export` (shared design `cli.md`, a
//! contract): counts by sync state, and every app record with what QuickBooks said. Owns no
//! tables; reads the aggregates' tables and the outbox.
//!
//! The outside world sees four states: `in_flight` is reported as `pending` (a person cannot
//! act on the difference, and the contract names four).

use super::records::RecordKind;
use super::settings::{self, CompanyBinding};
use super::standing::Standing;
pub use super::standing::{RecordCounts, StateCounts};
use super::StoreError;
use rusqlite::Connection;
use serde::Serialize;

/// Counts by kind and standing (see [`super::standing`]).
pub fn status_counts(conn: &Connection) -> Result<RecordCounts, StoreError> {
    super::standing::counts(conn)
}

/// The store's part of `status`: the endpoint's URL is the caller's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreStatus {
    pub company_file: Option<String>,
    pub company: Option<CompanyBinding>,
    pub last_contact: Option<String>,
    pub records: RecordCounts,
}

pub fn status(conn: &Connection) -> Result<StoreStatus, StoreError> {
    let company = settings::company_binding(conn)?;
    Ok(StoreStatus {
        company_file: company.as_ref().map(|c| c.company_file.clone()),
        company,
        last_contact: settings::last_contact(conn)?,
        records: status_counts(conn)?,
    })
}

/// Sync fields every exported record has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SyncFields {
    /// pending, synced, failed, needs_attention or before_start_date.
    pub state: &'static str,
    pub qb_id: Option<String>,
    /// Plain English, or null.
    pub problem: Option<String>,
    /// What to do about it, or null.
    pub advice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportedCustomer {
    pub id: String,
    pub name: String,
    pub guid: String,
    #[serde(flatten)]
    pub sync: SyncFields,
    /// The full name of the linked QuickBooks customer as last read (it may have been renamed
    /// there), or null.
    pub quickbooks_name: Option<String>,
    /// What a QuickBooks user did to the linked customer that FieldBridge follows without a
    /// person (a rename), in plain English, or null. What needs a person is in `problem`.
    pub quickbooks_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportedProject {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    #[serde(flatten)]
    pub sync: SyncFields,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportedTicket {
    pub id: String,
    pub customer_id: String,
    pub project_id: Option<String>,
    pub number: String,
    pub date: String,
    #[serde(flatten)]
    pub sync: SyncFields,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportedInvoice {
    /// The app's import id; null for invoices created in QuickBooks.
    pub id: Option<String>,
    /// "app" (the field-service app's) or "quickbooks" (created directly in QuickBooks for a
    /// linked customer or job; `qb_id` is its TxnID).
    pub source: &'static str,
    pub customer_id: String,
    pub project_id: Option<String>,
    pub number: String,
    pub date: String,
    /// The due date QuickBooks shows once read (it may have been changed there), else the
    /// app's; null when neither has one.
    pub due_date: Option<String>,
    pub void: bool,
    #[serde(flatten)]
    pub sync: SyncFields,
    /// BalanceRemaining as QuickBooks last reported it (exact decimal text), or null.
    pub balance: Option<String>,
    pub paid: bool,
    pub sales_tax_total: Option<String>,
    /// What QuickBooks bills (subtotal and sales tax) as last read, or null.
    pub total: Option<String>,
    /// Voided in QuickBooks (it stays there with nothing to pay).
    pub voided_in_quickbooks: bool,
    /// The lines of an invoice created in QuickBooks; absent for the app's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<ExportedLine>>,
}

/// One line of an invoice created in QuickBooks, in the import format's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportedLine {
    pub description: Option<String>,
    pub quantity: Option<String>,
    pub rate: Option<String>,
    pub amount: String,
    /// From the line's sales tax code; null when unknown.
    pub taxable: Option<bool>,
    /// The QuickBooks item's full name.
    pub item: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportedPayment {
    /// The app's import id; null for payments entered in QuickBooks.
    pub id: Option<String>,
    /// "app" (taken in the field) or "quickbooks" (received in QuickBooks).
    pub source: &'static str,
    pub invoice_id: Option<String>,
    pub date: String,
    pub amount: String,
    pub method: Option<String>,
    pub reference: Option<String>,
    #[serde(flatten)]
    pub sync: SyncFields,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportedVendor {
    pub id: String,
    pub name: String,
    pub guid: String,
    #[serde(flatten)]
    pub sync: SyncFields,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportedExpense {
    pub id: String,
    pub vendor_id: String,
    pub customer_id: Option<String>,
    pub project_id: Option<String>,
    pub number: Option<String>,
    pub date: String,
    /// false: a bill; true: a check or credit-card charge from `paid_from`.
    pub paid: bool,
    pub paid_from: Option<String>,
    /// Voided in the app (voided in QuickBooks once it was there).
    pub void: bool,
    /// The sum of the lines (exact decimal text).
    pub total: String,
    #[serde(flatten)]
    pub sync: SyncFields,
}

/// `export --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Export {
    pub customers: Vec<ExportedCustomer>,
    pub projects: Vec<ExportedProject>,
    pub service_tickets: Vec<ExportedTicket>,
    pub invoices: Vec<ExportedInvoice>,
    pub payments: Vec<ExportedPayment>,
    pub vendors: Vec<ExportedVendor>,
    pub expenses: Vec<ExportedExpense>,
}

/// Columns 0..=4 of every export query: the outbox's view of the record.
const SYNC_COLUMNS: &str = "o.state, o.qb_id, o.problem_text, o.advice, o.problem_code";

/// The outbox's state and problem code as stored, for [`Standing::from_stored`].
struct RawState {
    state: String,
    code: Option<String>,
}

fn sync_fields(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<(RawState, SyncFields)> {
    let state = RawState {
        state: r.get(at)?,
        code: r.get(at + 4)?,
    };
    Ok((
        state,
        SyncFields {
            state: "",
            qb_id: r.get(at + 1)?,
            problem: r.get(at + 2)?,
            advice: r.get(at + 3)?,
        },
    ))
}

fn finish_sync((raw, mut s): (RawState, SyncFields)) -> Result<SyncFields, StoreError> {
    // The one rule: the problem code of a parked record says whether it is "before the
    // start date" (not a problem) or needs attention.
    s.state = Standing::from_stored(&raw.state, raw.code.as_deref())?.public_state();
    Ok(s)
}

fn join(kind: RecordKind, table: &str) -> String {
    format!(
        "FROM {table} t JOIN outbox o ON o.kind = '{}' AND o.record_id = t.id",
        kind.as_str()
    )
}

/// Which records a page holds (the local API's `GET /api/v1/records/{kind}`); the default
/// is every record, in export order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    /// Only records in this public state (`pending` includes in flight).
    pub state: Option<&'a str>,
    /// Only the record with this id.
    pub id: Option<&'a str>,
    /// Only records after this cursor (a row number from an earlier page), in row order.
    pub after: Option<i64>,
    /// At most this many.
    pub limit: Option<usize>,
}

impl Filter<'_> {
    /// `WHERE ... ORDER BY ... LIMIT ...` for the record table `t` joined to its outbox `o`.
    /// Values are bound as ?1 (id), ?2 (after), ?3 (limit); the state is one of the four
    /// fixed words, the public names of [`Standing`].
    fn clauses(&self) -> Result<String, StoreError> {
        let mut sql = String::from(" WHERE (?1 IS NULL OR t.id = ?1) AND t.rowid > ?2");
        if let Some(state) = self.state {
            let condition =
                Standing::sql_of_public_state(state).ok_or_else(|| StoreError::Corrupt {
                    place: "a record filter's state",
                    value: state.to_owned(),
                    expected: "pending, synced, failed, needs_attention or before_start_date",
                })?;
            sql.push_str(&format!(" AND {condition}"));
        }
        // Pages go in row order (the cursor is a row number); the whole export in the order
        // records were first imported.
        sql.push_str(if self.after.is_some() || self.limit.is_some() {
            " ORDER BY t.rowid LIMIT ?3"
        } else {
            " ORDER BY t.created_at, t.rowid LIMIT ?3"
        });
        Ok(sql)
    }

    fn params(&self) -> (Option<&str>, i64, i64) {
        (
            self.id,
            self.after.unwrap_or(0),
            self.limit.map_or(-1, |n| n.min(i64::MAX as usize) as i64),
        )
    }
}

/// Runs one kind's export query under `filter`: each row as (row number, record).
fn query_kind<T>(
    conn: &Connection,
    select: &str,
    kind: RecordKind,
    table: &str,
    extra_join: &str,
    filter: &Filter<'_>,
    row: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<(T, (RawState, SyncFields))>,
) -> Result<Vec<(i64, T)>, StoreError>
where
    T: WithSync,
{
    let sql = format!(
        "SELECT t.rowid, {select}, {SYNC_COLUMNS} {} {extra_join}{}",
        join(kind, table),
        filter.clauses()?
    );
    let (id, after, limit) = filter.params();
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params![id, after, limit], |r| {
            Ok((r.get::<_, i64>(0)?, row(r)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(n, (mut rec, s))| {
            *rec.sync_mut() = finish_sync(s)?;
            Ok((n, rec))
        })
        .collect()
}

/// Exported records carry [`SyncFields`].
pub trait WithSync {
    fn sync_mut(&mut self) -> &mut SyncFields;
}

macro_rules! with_sync {
    ($($t:ty),*) => {$(
        impl WithSync for $t {
            fn sync_mut(&mut self) -> &mut SyncFields {
                &mut self.sync
            }
        }
    )*};
}
with_sync!(
    ExportedCustomer,
    ExportedProject,
    ExportedTicket,
    ExportedInvoice,
    ExportedPayment,
    ExportedVendor,
    ExportedExpense
);

const NO_SYNC: SyncFields = SyncFields {
    state: "",
    qb_id: None,
    problem: None,
    advice: None,
};

/// Columns after `t.rowid` start at 1; the sync columns follow the kind's own.
pub fn customers(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedCustomer)>, StoreError> {
    query_kind(
        conn,
        "t.id, t.name, t.guid, q.full_name, n.old_name, n.renamed_on",
        RecordKind::Customer,
        "customers",
        "LEFT JOIN qb_customers q ON q.list_id = o.qb_id
         LEFT JOIN qb_customer_renames n ON n.kind = 'customer' AND n.record_id = t.id
                                        AND n.list_id = o.qb_id",
        f,
        |r| {
            let renamed = match (
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(4)?,
            ) {
                (Some(old_name), Some(renamed_on), Some(new_name)) => Some(
                    super::qb_changes::Rename {
                        old_name,
                        new_name,
                        renamed_on,
                    }
                    .note(),
                ),
                _ => None,
            };
            Ok((
                ExportedCustomer {
                    id: r.get(1)?,
                    name: r.get(2)?,
                    guid: r.get(3)?,
                    sync: NO_SYNC,
                    quickbooks_name: r.get(4)?,
                    quickbooks_note: renamed,
                },
                sync_fields(r, 7)?,
            ))
        },
    )
}

pub fn projects(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedProject)>, StoreError> {
    query_kind(
        conn,
        "t.id, t.customer_id, t.name",
        RecordKind::Project,
        "projects",
        "",
        f,
        |r| {
            Ok((
                ExportedProject {
                    id: r.get(1)?,
                    customer_id: r.get(2)?,
                    name: r.get(3)?,
                    sync: NO_SYNC,
                },
                sync_fields(r, 4)?,
            ))
        },
    )
}

pub fn service_tickets(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedTicket)>, StoreError> {
    query_kind(
        conn,
        "t.id, t.customer_id, t.project_id, t.number, t.date",
        RecordKind::ServiceTicket,
        "service_tickets",
        "",
        f,
        |r| {
            Ok((
                ExportedTicket {
                    id: r.get(1)?,
                    customer_id: r.get(2)?,
                    project_id: r.get(3)?,
                    number: r.get(4)?,
                    date: r.get(5)?,
                    sync: NO_SYNC,
                },
                sync_fields(r, 6)?,
            ))
        },
    )
}

pub fn invoices(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedInvoice)>, StoreError> {
    query_kind(
        conn,
        "t.id, t.customer_id, t.project_id, t.number, t.date, t.void,
         q.balance, coalesce(q.is_paid, 0), q.sales_tax_total,
         coalesce(i.due_date, t.due_date), i.total, coalesce(i.voided, 0)",
        RecordKind::Invoice,
        "invoices",
        "LEFT JOIN qb_invoice_status q ON q.invoice_id = t.id
         LEFT JOIN qb_invoices i ON i.invoice_id = t.id",
        f,
        |r| {
            Ok((
                ExportedInvoice {
                    id: r.get(1)?,
                    source: "app",
                    customer_id: r.get(2)?,
                    project_id: r.get(3)?,
                    number: r.get(4)?,
                    date: r.get(5)?,
                    due_date: r.get(10)?,
                    void: r.get(6)?,
                    balance: r.get(7)?,
                    paid: r.get(8)?,
                    sales_tax_total: r.get(9)?,
                    total: r.get(11)?,
                    voided_in_quickbooks: r.get(12)?,
                    lines: None,
                    sync: NO_SYNC,
                },
                sync_fields(r, 13)?,
            ))
        },
    )
}

/// The app's own payments (those taken in the field); [`export`] adds QuickBooks' others.
pub fn payments(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedPayment)>, StoreError> {
    query_kind(
        conn,
        "t.id, t.invoice_id, t.date, t.amount, t.method, t.reference",
        RecordKind::Payment,
        "payments",
        "",
        f,
        |r| {
            Ok((
                ExportedPayment {
                    id: r.get(1)?,
                    source: "app",
                    invoice_id: r.get(2)?,
                    date: r.get(3)?,
                    amount: r.get(4)?,
                    method: r.get(5)?,
                    reference: r.get(6)?,
                    sync: NO_SYNC,
                },
                sync_fields(r, 7)?,
            ))
        },
    )
}

pub fn vendors(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedVendor)>, StoreError> {
    query_kind(
        conn,
        "t.id, t.name, t.guid",
        RecordKind::Vendor,
        "vendors",
        "",
        f,
        |r| {
            Ok((
                ExportedVendor {
                    id: r.get(1)?,
                    name: r.get(2)?,
                    guid: r.get(3)?,
                    sync: NO_SYNC,
                },
                sync_fields(r, 4)?,
            ))
        },
    )
}

pub fn expenses(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedExpense)>, StoreError> {
    let mut rows = query_kind(
        conn,
        "t.id, t.vendor_id, t.customer_id, t.project_id, t.number, t.date, t.paid, t.paid_from,
         t.void",
        RecordKind::Expense,
        "expenses",
        "",
        f,
        |r| {
            Ok((
                ExportedExpense {
                    id: r.get(1)?,
                    vendor_id: r.get(2)?,
                    customer_id: r.get(3)?,
                    project_id: r.get(4)?,
                    number: r.get(5)?,
                    date: r.get(6)?,
                    paid: r.get(7)?,
                    paid_from: r.get(8)?,
                    void: r.get(9)?,
                    total: String::new(),
                    sync: NO_SYNC,
                },
                sync_fields(r, 10)?,
            ))
        },
    )?;
    // Totals are exact sums of the lines' decimal text (never SQLite's floating sum).
    let mut stmt = conn.prepare_cached("SELECT expense_id, amount FROM expense_lines")?;
    let mut totals: std::collections::HashMap<String, crate::money::Decimal> =
        std::collections::HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (id, amount) = row?;
        *totals.entry(id).or_default() +=
            super::records::parse_dec("expense_lines.amount", &amount)?;
    }
    for (_, e) in &mut rows {
        e.total = crate::money::format_amount(totals.get(&e.id).copied().unwrap_or_default());
    }
    Ok(rows)
}

/// The records of a page without their row numbers.
fn strip<T>(rows: Vec<(i64, T)>) -> Vec<T> {
    rows.into_iter().map(|(_, r)| r).collect()
}

pub fn export(conn: &Connection) -> Result<Export, StoreError> {
    let all = Filter::default();
    let mut out = Export {
        customers: strip(customers(conn, &all)?),
        projects: strip(projects(conn, &all)?),
        service_tickets: strip(service_tickets(conn, &all)?),
        invoices: strip(invoices(conn, &all)?),
        payments: strip(payments(conn, &all)?),
        vendors: strip(vendors(conn, &all)?),
        expenses: strip(expenses(conn, &all)?),
    };

    out.invoices
        .extend(strip(quickbooks_invoices(conn, &Filter::default())?));
    out.payments
        .extend(strip(quickbooks_payments(conn, &Filter::default())?));
    Ok(out)
}

/// Invoices a person created directly in QuickBooks for a linked customer or job, with their
/// lines, as `export --json` lists them after the app's own: by date in the whole export, in
/// row order in a page (`after`, `limit`). `state` and `id` do not apply (they are in
/// QuickBooks, and have no app id).
pub fn quickbooks_invoices(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedInvoice)>, StoreError> {
    let paged = f.after.is_some() || f.limit.is_some();
    let (_, after, limit) = f.params();
    super::qb_changes::quickbooks_invoices(conn, after, limit, paged)?
        .into_iter()
        .map(|(n, inv)| {
            let lines = super::qb_changes::lines(conn, &inv.txn_id)?
                .into_iter()
                .map(|l| ExportedLine {
                    description: l.description,
                    quantity: l.quantity.map(|d| d.to_string()),
                    rate: l.rate.map(|d| d.to_string()),
                    amount: l.amount.to_string(),
                    taxable: l.taxable,
                    item: l.item,
                })
                .collect();
            Ok((
                n,
                ExportedInvoice {
                    id: None,
                    source: "quickbooks",
                    customer_id: inv.customer_id.clone(),
                    project_id: inv.project_id.clone(),
                    number: inv.ref_number.clone().unwrap_or_default(),
                    date: inv.txn_date.clone(),
                    due_date: inv.due_date.clone(),
                    void: false,
                    sync: SyncFields {
                        state: Standing::Synced.public_state(),
                        qb_id: Some(inv.txn_id.clone()),
                        problem: None,
                        advice: None,
                    },
                    balance: Some(inv.balance.to_string()),
                    paid: inv.is_paid,
                    sales_tax_total: Some(inv.sales_tax_total.to_string()),
                    total: Some(inv.total().to_string()),
                    voided_in_quickbooks: inv.voided,
                    lines: Some(lines),
                },
            ))
        })
        .collect()
}

/// Payments QuickBooks has that are not ours (neither our TxnID nor our ExternalGUID): entered
/// in QuickBooks. The whole export lists them by date; a page (`after`, `limit`) in row order.
/// `state` and `id` do not apply (they are synced, and have no app id).
pub fn quickbooks_payments(
    conn: &Connection,
    f: &Filter<'_>,
) -> Result<Vec<(i64, ExportedPayment)>, StoreError> {
    let paged = f.after.is_some() || f.limit.is_some();
    let sql = format!(
        "SELECT q.rowid, q.txn_id, q.invoice_id, q.date, q.amount, q.method, q.reference
         FROM qb_payments q
         WHERE q.txn_id NOT IN (SELECT qb_id FROM outbox WHERE kind = 'payment'
                                AND qb_id IS NOT NULL)
           AND (q.external_guid IS NULL OR q.external_guid NOT IN (SELECT guid FROM payments))
           AND q.rowid > ?1
         ORDER BY {} LIMIT ?2",
        if paged { "q.rowid" } else { "q.date, q.txn_id" }
    );
    let (_, after, limit) = f.params();
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params![after, limit], |r| {
            Ok((
                r.get(0)?,
                ExportedPayment {
                    id: None,
                    source: "quickbooks",
                    invoice_id: r.get(2)?,
                    date: r.get(3)?,
                    amount: r.get(4)?,
                    method: r.get(5)?,
                    reference: r.get(6)?,
                    sync: SyncFields {
                        state: Standing::Synced.public_state(),
                        qb_id: r.get(1)?,
                        problem: None,
                        advice: None,
                    },
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::parse_decimal;
    use crate::store::outbox::{self, Problem};
    use crate::store::qb_mirror::{self, QbInvoiceStatus, QbPayment};
    use crate::store::records::RecordRef;
    use crate::store::{sessions, Store};

    const DATA: &str = r#"{"customers": [{"id": "C-1", "name": "A"}, {"id": "C-2", "name": "B"},
        {"id": "C-3", "name": "C"}],
        "invoices": [{"id": "I-1", "customer_id": "C-1", "number": "1", "date": "2026-10-03",
                      "lines": [{"description": "x", "amount": "100.00"}]}],
        "payments": [{"id": "PAY-1", "invoice_id": "I-1", "date": "2026-10-04", "amount": "40.00"}]}"#;

    fn r(kind: RecordKind, id: &str) -> RecordRef {
        RecordRef::new(kind, id)
    }

    /// C-1 synced, C-2 in flight, C-3 needs attention; I-1 synced with a QuickBooks status;
    /// PAY-1 failed; one payment entered in QuickBooks.
    fn populated() -> Store {
        let store = Store::open_in_memory().unwrap();
        crate::import::import_bytes(&store, "d.json", DATA.as_bytes()).unwrap();
        store
            .write(|tx| -> Result<(), StoreError> {
                let s = sessions::start(tx, Some("C:\\Co.qbw"))?;
                let b = outbox::begin_batch(tx, s, "ms-1", "<QBXML/>")?;
                let sent = [
                    (r(RecordKind::Customer, "C-1"), "1".to_owned()),
                    (r(RecordKind::Customer, "C-2"), "2".to_owned()),
                    (r(RecordKind::Invoice, "I-1"), "3".to_owned()),
                    (r(RecordKind::Payment, "PAY-1"), "4".to_owned()),
                ];
                outbox::mark_in_flight(tx, b, &sent)?;
                outbox::mark_synced(tx, &sent[0].0, "80000001-1", Some("1"))?;
                outbox::mark_synced(tx, &sent[2].0, "1-2", Some("1"))?;
                outbox::mark_failed(
                    tx,
                    &sent[3].0,
                    &Problem {
                        code: Some(crate::store::codes::ProblemCode::QuickBooks(3210)),
                        message: Some("amount too large".into()),
                        text: "The payment is larger than the invoice's balance.".into(),
                        advice: Some("Check the amount.".into()),
                    },
                )?;
                outbox::mark_needs_attention(
                    tx,
                    &r(RecordKind::Customer, "C-3"),
                    &Problem {
                        text: "Two QuickBooks customers are named C.".into(),
                        ..Problem::default()
                    },
                )?;
                qb_mirror::upsert_invoice_status(
                    tx,
                    &QbInvoiceStatus {
                        txn_id: "1-2".into(),
                        invoice_id: Some("I-1".into()),
                        balance: parse_decimal("60.00").unwrap(),
                        is_paid: false,
                        subtotal: None,
                        sales_tax_total: Some(parse_decimal("0.00").unwrap()),
                        edit_sequence: None,
                        time_modified: None,
                    },
                )?;
                qb_mirror::upsert_payment(
                    tx,
                    &QbPayment {
                        txn_id: "9-9".into(),
                        customer_list_id: Some("80000001-1".into()),
                        invoice_txn_id: Some("1-2".into()),
                        invoice_id: Some("I-1".into()),
                        date: "2026-10-05".into(),
                        amount: parse_decimal("40.00").unwrap(),
                        method: Some("Check".into()),
                        reference: Some("1001".into()),
                        external_guid: None,
                        time_modified: None,
                    },
                )?;
                sessions::finish(tx, s, sessions::Outcome::Errors, None)?;
                crate::store::settings::bind_company(tx, "C:\\Co.qbw", Some("Co"))
            })
            .unwrap();
        store
    }

    #[test]
    fn counts_report_in_flight_as_pending() {
        let store = populated();
        let st = store.read(status).unwrap();
        assert_eq!(
            st.records.customers,
            StateCounts {
                pending: 1,
                synced: 1,
                failed: 0,
                needs_attention: 1,
                needs_decision: 0,
                waiting_on_parent: 0,
                before_start_date: 0,
            },
            "C-2 is in flight, which a person sees as pending"
        );
        assert_eq!(st.records.invoices.synced, 1);
        assert_eq!(st.records.payments.failed, 1);
        assert_eq!(st.company_file.as_deref(), Some("C:\\Co.qbw"));
        assert!(st.last_contact.is_some(), "a finished session is a contact");
        let json = serde_json::to_value(st.records).unwrap();
        for kind in [
            "customers",
            "projects",
            "service_tickets",
            "invoices",
            "payments",
        ] {
            for state in ["pending", "synced", "failed", "needs_attention"] {
                assert!(
                    json[kind][state].is_u64(),
                    "status --json promises {kind}.{state}"
                );
            }
        }
    }

    #[test]
    fn export_shows_state_ids_problems_balances_and_quickbooks_payments() {
        let store = populated();
        let ex = store.read(export).unwrap();
        let states: Vec<_> = ex.customers.iter().map(|c| c.sync.state).collect();
        assert_eq!(states, ["synced", "pending", "needs_attention"]);
        assert_eq!(ex.customers[0].sync.qb_id.as_deref(), Some("80000001-1"));
        assert_eq!(
            ex.customers[2].sync.problem.as_deref(),
            Some("Two QuickBooks customers are named C.")
        );
        let inv = &ex.invoices[0];
        assert_eq!(
            inv.balance.as_deref(),
            Some("60.00"),
            "as QuickBooks reported it"
        );
        assert!(!inv.paid);
        assert_eq!(
            ex.payments.len(),
            2,
            "ours and the one received in QuickBooks"
        );
        assert_eq!(ex.payments[0].source, "app");
        assert_eq!(ex.payments[0].sync.state, "failed");
        assert_eq!(
            ex.payments[0].sync.problem.as_deref(),
            Some("The payment is larger than the invoice's balance.")
        );
        assert_eq!(ex.payments[1].source, "quickbooks");
        assert_eq!(ex.payments[1].sync.qb_id.as_deref(), Some("9-9"));
        assert_eq!(ex.payments[1].invoice_id.as_deref(), Some("I-1"));
        let json = serde_json::to_value(&ex).unwrap();
        for key in ["id", "state", "qb_id", "problem", "balance", "paid"] {
            assert!(
                json["invoices"][0].get(key).is_some(),
                "export promises invoices.{key}"
            );
        }
        assert_eq!(json["payments"][1]["source"], "quickbooks");
        assert!(
            json["customers"][1]["problem"].is_null(),
            "no problem is null, not absent"
        );
    }
}
