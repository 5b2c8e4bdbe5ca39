//! App payments (taken in the field; QuickBooks ReceivePayments applied to their invoice):
//! saving and reading. Owns table `payments`. Payments QuickBooks reports are in `qb_mirror`.

use super::customers::new_guid;
use super::outbox;
use super::records::{date_text, parse_date, parse_dec, RecordKind, RecordRef, Saved};
use super::{now_utc, StoreError};
use crate::money::Decimal;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: String,
    pub invoice_id: String,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub method: Option<String>,
    pub reference: Option<String>,
    /// The platform reversed it (a failed card payment, a refund): it is removed from
    /// QuickBooks (TxnDel) so the invoice is open again.
    pub reversed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPayment {
    pub payment: Payment,
    pub guid: String,
}

type Raw = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    bool,
);

const SELECT: &str = "SELECT id, invoice_id, date, amount, method, reference, guid,
    EXISTS (SELECT 1 FROM payment_reversals AS r WHERE r.payment_id = payments.id)
    FROM payments";

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
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

fn load(r: Raw) -> Result<StoredPayment, StoreError> {
    let (id, invoice_id, date, amount, method, reference, guid, reversed) = r;
    Ok(StoredPayment {
        payment: Payment {
            id,
            invoice_id,
            date: parse_date("payments.date", &date)?,
            amount: parse_dec("payments.amount", &amount)?,
            method,
            reference,
            reversed,
        },
        guid,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<StoredPayment>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    stmt.query_row([id], raw).optional()?.map(load).transpose()
}

pub fn list(conn: &Connection) -> Result<Vec<StoredPayment>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY created_at, rowid"))?;
    let raws = stmt
        .query_map([], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(load).collect()
}

/// Inserts or updates (see `customers::save` for the rules).
pub fn save(tx: &Transaction<'_>, p: &Payment) -> Result<Saved, StoreError> {
    let now = now_utc();
    match get(tx, &p.id)? {
        Some(old) if old.payment == *p => Ok(Saved::Unchanged),
        Some(_) => {
            tx.prepare_cached(
                "UPDATE payments SET invoice_id = ?2, date = ?3, amount = ?4, method = ?5,
                     reference = ?6, updated_at = ?7
                 WHERE id = ?1",
            )?
            .execute(params![
                p.id,
                p.invoice_id,
                date_text(p.date),
                p.amount.to_string(),
                p.method,
                p.reference,
                now
            ])?;
            set_reversed(tx, &p.id, p.reversed, &now)?;
            outbox::note_changed(tx, &RecordRef::new(RecordKind::Payment, p.id.clone()))?;
            Ok(Saved::Updated)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO payments (id, guid, invoice_id, date, amount, method, reference,
                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?
            .execute(params![
                p.id,
                new_guid(),
                p.invoice_id,
                date_text(p.date),
                p.amount.to_string(),
                p.method,
                p.reference,
                now
            ])?;
            set_reversed(tx, &p.id, p.reversed, &now)?;
            outbox::enqueue_new(tx, &RecordRef::new(RecordKind::Payment, p.id.clone()))?;
            Ok(Saved::Added)
        }
    }
}

/// Keeps the payment's row in `payment_reversals` as its `reversed` says.
fn set_reversed(
    tx: &Transaction<'_>,
    id: &str,
    reversed: bool,
    now: &str,
) -> Result<(), StoreError> {
    if reversed {
        tx.prepare_cached(
            "INSERT INTO payment_reversals (payment_id, reversed_at) VALUES (?1, ?2)
             ON CONFLICT (payment_id) DO NOTHING",
        )?
        .execute(params![id, now])?;
    } else {
        tx.prepare_cached("DELETE FROM payment_reversals WHERE payment_id = ?1")?
            .execute([id])?;
    }
    Ok(())
}

/// Every payment method word the app's payments use, by name.
pub fn methods(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT method FROM payments WHERE method IS NOT NULL AND trim(method) <> ''
         ORDER BY method COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
