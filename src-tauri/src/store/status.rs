//! Answers for `fieldbridge status` and `fieldbridge export` (shared design `cli.md`, a
//! contract): counts by sync state, and every app record with what QuickBooks said. Owns no
//! tables; reads the aggregates' tables and the outbox.
//!
//! The outside world sees four states: `in_flight` is reported as `pending` (a person cannot
//! act on the difference, and the contract names four).

use super::outbox::SyncState;
use super::records::RecordKind;
use super::settings::{self, CompanyBinding};
use super::StoreError;
use rusqlite::Connection;
use serde::Serialize;

/// Records of one kind by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    /// Includes records in flight.
    pub pending: u64,
    pub synced: u64,
    pub failed: u64,
    pub needs_attention: u64,
}

/// Counts for every kind (field names as in `status --json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RecordCounts {
    pub customers: StateCounts,
    pub projects: StateCounts,
    pub service_tickets: StateCounts,
    pub invoices: StateCounts,
    pub payments: StateCounts,
}

impl RecordCounts {
    pub fn kind(&self, kind: RecordKind) -> &StateCounts {
        match kind {
            RecordKind::Customer => &self.customers,
            RecordKind::Project => &self.projects,
            RecordKind::ServiceTicket => &self.service_tickets,
            RecordKind::Invoice => &self.invoices,
            RecordKind::Payment => &self.payments,
        }
    }

    fn kind_mut(&mut self, kind: RecordKind) -> &mut StateCounts {
        match kind {
            RecordKind::Customer => &mut self.customers,
            RecordKind::Project => &mut self.projects,
            RecordKind::ServiceTicket => &mut self.service_tickets,
            RecordKind::Invoice => &mut self.invoices,
            RecordKind::Payment => &mut self.payments,
        }
    }
}

pub fn status_counts(conn: &Connection) -> Result<RecordCounts, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT kind, state, count(*) FROM outbox GROUP BY kind, state")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut counts = RecordCounts::default();
    for (kind, state, n) in rows {
        let c = counts.kind_mut(RecordKind::parse(&kind)?);
        let n = n as u64;
        match SyncState::parse(&state)? {
            SyncState::Pending | SyncState::InFlight => c.pending += n,
            SyncState::Synced => c.synced += n,
            SyncState::Failed => c.failed += n,
            SyncState::NeedsAttention => c.needs_attention += n,
        }
    }
    Ok(counts)
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncFields {
    /// pending, synced, failed or needs_attention.
    pub state: &'static str,
    pub qb_id: Option<String>,
    /// Plain English, or null.
    pub problem: Option<String>,
    /// What to do about it, or null.
    pub advice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedCustomer {
    pub id: String,
    pub name: String,
    pub guid: String,
    #[serde(flatten)]
    pub sync: SyncFields,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedProject {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    #[serde(flatten)]
    pub sync: SyncFields,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedTicket {
    pub id: String,
    pub customer_id: String,
    pub project_id: Option<String>,
    pub number: String,
    pub date: String,
    #[serde(flatten)]
    pub sync: SyncFields,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedInvoice {
    pub id: String,
    pub customer_id: String,
    pub project_id: Option<String>,
    pub number: String,
    pub date: String,
    pub void: bool,
    #[serde(flatten)]
    pub sync: SyncFields,
    /// BalanceRemaining as QuickBooks last reported it (exact decimal text), or null.
    pub balance: Option<String>,
    pub paid: bool,
    pub sales_tax_total: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// `export --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Export {
    pub customers: Vec<ExportedCustomer>,
    pub projects: Vec<ExportedProject>,
    pub service_tickets: Vec<ExportedTicket>,
    pub invoices: Vec<ExportedInvoice>,
    pub payments: Vec<ExportedPayment>,
}

/// Columns 0..=4 of every export query: the outbox's view of the record.
const SYNC_COLUMNS: &str = "o.state, o.qb_id, o.problem_text, o.advice";

fn sync_fields(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<(String, SyncFields)> {
    let state: String = r.get(at)?;
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

fn finish_sync((state, mut s): (String, SyncFields)) -> Result<SyncFields, StoreError> {
    s.state = SyncState::parse(&state)?.public();
    Ok(s)
}

fn join(kind: RecordKind, table: &str) -> String {
    format!(
        "FROM {table} t JOIN outbox o ON o.kind = '{}' AND o.record_id = t.id",
        kind.as_str()
    )
}

pub fn export(conn: &Connection) -> Result<Export, StoreError> {
    let mut out = Export::default();

    let sql = format!(
        "SELECT t.id, t.name, t.guid, {SYNC_COLUMNS} {} ORDER BY t.created_at, t.rowid",
        join(RecordKind::Customer, "customers")
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, sync_fields(r, 3)?))
        })?
        .collect::<rusqlite::Result<Vec<(String, String, String, _)>>>()?;
    for (id, name, guid, s) in rows {
        out.customers.push(ExportedCustomer {
            id,
            name,
            guid,
            sync: finish_sync(s)?,
        });
    }

    let sql = format!(
        "SELECT t.id, t.customer_id, t.name, {SYNC_COLUMNS} {} ORDER BY t.created_at, t.rowid",
        join(RecordKind::Project, "projects")
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, sync_fields(r, 3)?))
        })?
        .collect::<rusqlite::Result<Vec<(String, String, String, _)>>>()?;
    for (id, customer_id, name, s) in rows {
        out.projects.push(ExportedProject {
            id,
            customer_id,
            name,
            sync: finish_sync(s)?,
        });
    }

    let sql = format!(
        "SELECT t.id, t.customer_id, t.project_id, t.number, t.date, {SYNC_COLUMNS} {}
         ORDER BY t.created_at, t.rowid",
        join(RecordKind::ServiceTicket, "service_tickets")
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                sync_fields(r, 5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<(String, String, Option<String>, String, String, _)>>>()?;
    for (id, customer_id, project_id, number, date, s) in rows {
        out.service_tickets.push(ExportedTicket {
            id,
            customer_id,
            project_id,
            number,
            date,
            sync: finish_sync(s)?,
        });
    }

    let sql = format!(
        "SELECT t.id, t.customer_id, t.project_id, t.number, t.date, t.void,
                q.balance, coalesce(q.is_paid, 0), q.sales_tax_total, {SYNC_COLUMNS} {}
         LEFT JOIN qb_invoice_status q ON q.invoice_id = t.id
         ORDER BY t.created_at, t.rowid",
        join(RecordKind::Invoice, "invoices")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                ExportedInvoice {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    project_id: r.get(2)?,
                    number: r.get(3)?,
                    date: r.get(4)?,
                    void: r.get(5)?,
                    balance: r.get(6)?,
                    paid: r.get(7)?,
                    sales_tax_total: r.get(8)?,
                    sync: SyncFields {
                        state: "",
                        qb_id: None,
                        problem: None,
                        advice: None,
                    },
                },
                sync_fields(r, 9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (mut inv, s) in rows {
        inv.sync = finish_sync(s)?;
        out.invoices.push(inv);
    }

    let sql = format!(
        "SELECT t.id, t.invoice_id, t.date, t.amount, t.method, t.reference, {SYNC_COLUMNS} {}
         ORDER BY t.created_at, t.rowid",
        join(RecordKind::Payment, "payments")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                ExportedPayment {
                    id: r.get(0)?,
                    source: "app",
                    invoice_id: r.get(1)?,
                    date: r.get(2)?,
                    amount: r.get(3)?,
                    method: r.get(4)?,
                    reference: r.get(5)?,
                    sync: SyncFields {
                        state: "",
                        qb_id: None,
                        problem: None,
                        advice: None,
                    },
                },
                sync_fields(r, 6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (mut p, s) in rows {
        p.sync = finish_sync(s)?;
        out.payments.push(p);
    }

    // Payments QuickBooks has that are not ours (neither our TxnID nor our ExternalGUID).
    let mut stmt = conn.prepare_cached(
        "SELECT q.txn_id, q.invoice_id, q.date, q.amount, q.method, q.reference
         FROM qb_payments q
         WHERE q.txn_id NOT IN (SELECT qb_id FROM outbox WHERE kind = 'payment'
                                AND qb_id IS NOT NULL)
           AND (q.external_guid IS NULL OR q.external_guid NOT IN (SELECT guid FROM payments))
         ORDER BY q.date, q.txn_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ExportedPayment {
                id: None,
                source: "quickbooks",
                invoice_id: r.get(1)?,
                date: r.get(2)?,
                amount: r.get(3)?,
                method: r.get(4)?,
                reference: r.get(5)?,
                sync: SyncFields {
                    state: SyncState::Synced.public(),
                    qb_id: r.get(0)?,
                    problem: None,
                    advice: None,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    out.payments.extend(rows);
    Ok(out)
}
