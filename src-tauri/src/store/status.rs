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
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateCounts {
    /// Includes records in flight.
    pub pending: u64,
    pub synced: u64,
    pub failed: u64,
    pub needs_attention: u64,
}

/// Counts for every kind (field names as in `status --json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
                        code: Some("3210".into()),
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
                needs_attention: 1
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
