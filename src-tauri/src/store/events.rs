//! The event feed (shared design `api.md`, a contract): everything that happens to the app's
//! records and everything FieldBridge learns from QuickBooks about them, in order. Owns the
//! `events` table's reads; the rows are written by triggers (migration 5) on the tables
//! whose changes they report, so every event is in the same transaction as its change:
//!
//! | type | written when |
//! |---|---|
//! | `record.synced` | an `outbox` row moves to `synced` (`data`: `qb_id`; invoices also `balance`, `paid`) |
//! | `record.needs_attention` | an `outbox` row moves to `needs_attention` (`problem`, `code`) |
//! | `record.failed` | an `outbox` row moves to `failed` (`problem`, `qb_status_code`, `qb_status_message`) |
//! | `record.deleted_in_quickbooks` | a record is flagged gone from QuickBooks (`qb_id`, the id it had) |
//! | `invoice.balance_changed` | `qb_invoice_status` of one of our invoices QuickBooks already had is new or changed (`qb_id`, `balance`, `paid`) |
//! | `payment.received` | `qb_payments` gets a payment entered in QuickBooks against one of our invoices (`qb_id`, `invoice_id`, `amount`, `date`, `method`, `reference`) |
//! | `quickbooks.customer_changed` | `qb_customers` gets a new row, or a new EditSequence, name or active flag (`list_id`, `full_name`, `active`, `linked_to`) |
//! | `session.finished` | a session's `finished_at` is set (`session_id`, `outcome`, `created`, `updated`, `failed`) |
//! | `invoice.created_in_quickbooks` | `qb_invoices` gets an invoice a person created in QuickBooks for a linked customer or job (`qb_id`, `customer_id`, `project_id`, `number`, `date`, `due_date`, `memo`, `subtotal`, `sales_tax_total`, `total`, `balance`, `paid`, `voided`, `lines`); `kind` invoices, `id` null |
//! | `invoice.changed_in_quickbooks` | an invoice's total or due date changed in QuickBooks (ours: `id` set), or the balance or paid state of one created there (`qb_id`, `customer_id`, `total`, `due_date`, `balance`, `paid`) |
//! | `record.deleted_in_quickbooks` (more) | an invoice voided in QuickBooks (`qb_id`, `voided`: true, `total`, `balance`, `paid`), an invoice created there deleted (`id` null), a payment entered there deleted (`kind` payments, `id` null: `qb_id`, `invoice_id`, `amount`, `date`) |
//!
//! The last three rows come from migration V_INBOUND (`store::qb_changes`).
//!
//! `seq` is strictly increasing and never reused (AUTOINCREMENT). Events older than
//! [`KEPT_DAYS`] + 1 days are deleted when a session finishes. Waiting for the next event
//! (long-poll) is the caller's: [`super::Store::commits`] changes after every commit.

use super::StoreError;
use rusqlite::{params, Connection};
use serde::Serialize;

/// Events are kept at least this many days (the contract's promise).
pub const KEPT_DAYS: u32 = 30;

/// Every event type the feed writes today (others may be added; none renamed or removed).
pub const TYPES: [&str; 10] = [
    "record.synced",
    "record.needs_attention",
    "record.failed",
    "invoice.balance_changed",
    "payment.received",
    "record.deleted_in_quickbooks",
    "quickbooks.customer_changed",
    "session.finished",
    "invoice.created_in_quickbooks",
    "invoice.changed_in_quickbooks",
];

/// One event as the feed shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Event {
    pub seq: i64,
    /// When it was written, RFC 3339 UTC.
    pub at: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// The app record's kind (`invoices`), null for `quickbooks.*` and `session.*`.
    pub kind: Option<String>,
    /// The app record's id, null with `kind`.
    pub id: Option<String>,
    /// What happened; the fields each type holds are listed in api.md.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// At most `limit` events with `seq` greater than `after`, oldest first.
pub fn after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, type, kind, record_id, data FROM events WHERE seq > ?1
         ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![after, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(seq, at, event_type, kind, id, data)| {
            let data = serde_json::from_str(&data).map_err(|_| StoreError::Corrupt {
                place: "events.data",
                value: data,
                expected: "a JSON object",
            })?;
            Ok(Event {
                seq,
                at,
                event_type,
                kind,
                id,
                data,
            })
        })
        .collect()
}

/// The newest event's `seq`, 0 when there is none.
pub fn last_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))?)
}

/// Writes an event that no table change reports by itself (the platform link's
/// `link.rejected`), in the caller's transaction.
pub fn append(
    tx: &rusqlite::Transaction<'_>,
    event_type: &str,
    kind: Option<&str>,
    id: Option<&str>,
    data: &serde_json::Value,
) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO events (at, type, kind, record_id, data) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        super::now_utc(),
        event_type,
        kind,
        id,
        data.to_string()
    ])?;
    Ok(tx.last_insert_rowid())
}

/// How many events wait after `seq` (the link's `events_pending`).
pub fn count_after(conn: &Connection, seq: i64) -> Result<u64, StoreError> {
    Ok(
        conn.query_row("SELECT count(*) FROM events WHERE seq > ?1", [seq], |r| {
            r.get::<_, i64>(0)
        })? as u64,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::parse_decimal;
    use crate::store::outbox::{self, Problem};
    use crate::store::qb_mirror::{self, QbCustomer, QbInvoiceStatus, QbPayment};
    use crate::store::records::{RecordKind, RecordRef};
    use crate::store::{sessions, Store};

    const DATA: &str = r#"{"customers": [{"id": "C-1", "name": "A"}],
        "invoices": [{"id": "I-1", "customer_id": "C-1", "number": "1", "date": "2026-10-03",
                      "lines": [{"description": "x", "amount": "100.00"}]}]}"#;

    fn all(store: &Store) -> Vec<Event> {
        store.read(|c| after(c, 0, 1000)).unwrap()
    }

    fn types(events: &[Event]) -> Vec<&str> {
        events.iter().map(|e| e.event_type.as_str()).collect()
    }

    /// Sends I-1 in a batch and returns its batch id.
    fn send(store: &Store, record: &RecordRef) -> i64 {
        store
            .write(|tx| -> Result<i64, StoreError> {
                let session = sessions::start(tx, None)?;
                let batch = outbox::begin_batch(tx, session, "ms-1", "<request/>")?;
                outbox::mark_in_flight(tx, batch, &[(record.clone(), "1".to_owned())])?;
                Ok(batch)
            })
            .unwrap()
    }

    fn status(balance: &str, paid: bool) -> QbInvoiceStatus {
        QbInvoiceStatus {
            txn_id: "T-1".into(),
            invoice_id: Some("I-1".into()),
            balance: parse_decimal(balance).unwrap(),
            is_paid: paid,
            subtotal: None,
            sales_tax_total: None,
            edit_sequence: None,
            time_modified: None,
        }
    }

    fn populated() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        crate::import::import_bytes(&store, "d.json", DATA.as_bytes()).unwrap();
        (dir, store)
    }

    #[test]
    fn a_sync_answer_writes_synced_with_the_invoices_balance() {
        let (_dir, store) = populated();
        assert!(all(&store).is_empty(), "an import is not a sync event");
        let inv = RecordRef::new(RecordKind::Invoice, "I-1");
        send(&store, &inv);
        store
            .write(|tx| -> Result<(), StoreError> {
                // The answer to our own add: its status first, then synced (one transaction).
                qb_mirror::upsert_invoice_status(tx, &status("100.00", false))?;
                outbox::mark_synced(tx, &inv, "T-1", Some("7")).map(drop)
            })
            .unwrap();
        let events = all(&store);
        assert_eq!(
            types(&events),
            ["record.synced"],
            "our own add is reported once, as synced, not as a balance change"
        );
        let e = &events[0];
        assert_eq!(
            (e.kind.as_deref(), e.id.as_deref()),
            (Some("invoices"), Some("I-1"))
        );
        assert_eq!(
            e.data,
            serde_json::json!({"qb_id": "T-1", "balance": "100.00", "paid": false})
        );
    }

    #[test]
    fn what_quickbooks_reports_later_is_a_balance_change_and_a_payment() {
        let (_dir, store) = populated();
        let inv = RecordRef::new(RecordKind::Invoice, "I-1");
        send(&store, &inv);
        store
            .write(|tx| {
                qb_mirror::upsert_invoice_status(tx, &status("100.00", false))?;
                outbox::mark_synced(tx, &inv, "T-1", Some("7")).map(drop)
            })
            .unwrap();
        let before = store.read(last_seq).unwrap();
        store
            .write(|tx| -> Result<(), StoreError> {
                qb_mirror::upsert_invoice_status(tx, &status("100.00", false))?; // no change
                qb_mirror::upsert_invoice_status(tx, &status("0.00", true))?;
                qb_mirror::upsert_payment(
                    tx,
                    &QbPayment {
                        txn_id: "P-9".into(),
                        customer_list_id: None,
                        invoice_txn_id: Some("T-1".into()),
                        invoice_id: Some("I-1".into()),
                        date: "2026-10-10".into(),
                        amount: parse_decimal("100.00").unwrap(),
                        method: Some("Check".into()),
                        reference: None,
                        external_guid: None,
                        time_modified: None,
                    },
                )
            })
            .unwrap();
        let events = store.read(|c| after(c, before, 100)).unwrap();
        assert_eq!(
            types(&events),
            ["invoice.balance_changed", "payment.received"],
            "an unchanged re-read writes nothing"
        );
        assert_eq!(events[0].data["balance"], "0.00");
        assert_eq!(events[0].data["paid"], true);
        assert_eq!(events[1].data["invoice_id"], "I-1");
        assert_eq!(events[1].data["amount"], "100.00");
        assert_eq!(events[1].data["method"], "Check");
        assert!(events[0].seq < events[1].seq, "seq grows");
    }

    #[test]
    fn failures_attention_deletions_customers_and_sessions_are_events() {
        let (_dir, store) = populated();
        let c = RecordRef::new(RecordKind::Customer, "C-1");
        let batch = send(&store, &c);
        store
            .write(|tx| -> Result<(), StoreError> {
                outbox::mark_failed(
                    tx,
                    &c,
                    &Problem {
                        code: Some(crate::store::codes::ProblemCode::QuickBooks(3100)),
                        message: Some("The name is in use".into()),
                        text: "QuickBooks refused it".into(),
                        advice: None,
                    },
                )?;
                outbox::finish_batch(tx, batch, outbox::BatchEnd::Answered)?;
                sessions::finish(tx, 1, sessions::Outcome::Errors, None)
            })
            .unwrap();
        store
            .write(|tx| -> Result<(), StoreError> {
                outbox::adopt_existing(tx, &c, "80-1", Some("1"))?;
                qb_mirror::upsert_customer(
                    tx,
                    &QbCustomer {
                        list_id: "80-1".into(),
                        full_name: "A".into(),
                        name: "A".into(),
                        is_active: true,
                        edit_sequence: "1".into(),
                        time_modified: "2026-10-10T00:00:00-05:00".into(),
                        ..QbCustomer::default()
                    },
                )?;
                outbox::flag_gone_from_quickbooks(
                    tx,
                    &c,
                    &Problem {
                        code: Some(crate::store::codes::ProblemCode::DeletedInQuickBooks),
                        message: None,
                        text: "gone".into(),
                        advice: None,
                    },
                )
            })
            .unwrap();
        let events = all(&store);
        assert_eq!(
            types(&events),
            [
                "record.failed",
                "session.finished",
                "record.synced",
                "quickbooks.customer_changed",
                "record.needs_attention",
                "record.deleted_in_quickbooks"
            ]
        );
        // Every trigger writes the time the same way: RFC 3339 in UTC, to the second.
        let now = chrono::Utc::now();
        for e in &events {
            let at = chrono::NaiveDateTime::parse_from_str(&e.at, "%Y-%m-%dT%H:%M:%SZ")
                .unwrap_or_else(|err| {
                    panic!("{}: at {:?} is not RFC 3339 UTC: {err}", e.event_type, e.at)
                })
                .and_utc();
            assert!(
                (now - at).num_seconds().abs() < 60,
                "{}: at {}",
                e.event_type,
                e.at
            );
        }
        assert_eq!(
            events[0].data,
            serde_json::json!({"problem": "QuickBooks refused it", "qb_status_code": "3100",
                               "qb_status_message": "The name is in use"})
        );
        assert_eq!(events[1].data["outcome"], "errors");
        assert_eq!(events[1].kind, None, "sessions are about no record");
        assert_eq!(
            events[3].data["linked_to"], "C-1",
            "the QuickBooks customer is ours"
        );
        assert_eq!(events[3].data["active"], true);
        assert_eq!(events[4].data["code"], "deleted-in-quickbooks");
        assert_eq!(
            events[5].data["qb_id"], "80-1",
            "the id it had in QuickBooks"
        );
    }

    #[test]
    fn a_rolled_back_change_writes_no_event() {
        let (_dir, store) = populated();
        let inv = RecordRef::new(RecordKind::Invoice, "I-1");
        send(&store, &inv);
        let result: Result<(), StoreError> = store.write(|tx| {
            outbox::mark_synced(tx, &inv, "T-1", Some("7"))?;
            Err(StoreError::NotFound {
                what: "anything",
                id: "x".into(),
            })
        });
        assert!(result.is_err());
        assert!(
            all(&store).is_empty(),
            "the change was rolled back, so its event must be too"
        );
    }

    #[test]
    fn events_survive_a_restart_with_the_same_seqs_and_seqs_are_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let before = {
            let store = Store::open(&path).unwrap();
            crate::import::import_bytes(&store, "d.json", DATA.as_bytes()).unwrap();
            let inv = RecordRef::new(RecordKind::Invoice, "I-1");
            send(&store, &inv);
            store
                .write(|tx| outbox::mark_synced(tx, &inv, "T-1", Some("7")))
                .unwrap();
            all(&store)
        };
        assert_eq!(before.len(), 1);
        let store = Store::open(&path).unwrap();
        assert_eq!(all(&store), before, "the same events, the same seqs");
        // Pruned (as if 40 days old), the next event still gets a higher seq.
        store
            .write(|tx| {
                tx.execute("UPDATE events SET at = '2000-01-01T00:00:00Z'", [])
                    .map_err(StoreError::from)?;
                sessions::start(tx, None)?;
                sessions::finish(tx, 2, sessions::Outcome::Ok, None)
            })
            .unwrap();
        let after_prune = all(&store);
        assert_eq!(
            types(&after_prune),
            ["session.finished"],
            "old events pruned"
        );
        assert!(after_prune[0].seq > before[0].seq, "seq is never reused");
    }
}
