//! Deposits (tables `undeposited`, `deposits`): money FieldBridge put in Undeposited Funds
//! (a payment sent with ReceivePaymentAdd, or a summarized payments journal entry), and the
//! DepositAdd that took it to the bank account chosen in `deposit-account`. Owns the SQL;
//! when a deposit is built and sent is `sync::push::deposit`.
//!
//! INVARIANT (exactly once): a row of `undeposited` belongs to at most one live deposit
//! (`deposit_id` is set in the transaction that records the deposit in flight, and cleared
//! only when that deposit is dropped because QuickBooks never saved it).

use super::accounting::Period;
use super::records::{date_text, parse_date, parse_dec};
use super::{now_utc, StoreError};
use crate::money::Decimal;
use chrono::NaiveDate;
use rusqlite::{params, Connection, Transaction};

/// Where money in Undeposited Funds came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// A payment sent as its own ReceivePaymentAdd (full mode); `source_id` is its id.
    Payment,
    /// A summarized payments journal entry; `source_id` is `journal_entries.id`.
    Journal,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Payment => "payment",
            Source::Journal => "journal",
        }
    }
}

/// Money waiting in Undeposited Funds that QuickBooks has, ready to be deposited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub source: Source,
    pub source_id: String,
    pub date: NaiveDate,
    pub amount: Decimal,
    /// The QuickBooks transaction holding it (the payment, or the journal entry).
    pub txn_id: String,
    /// For a journal entry: its Undeposited Funds line.
    pub txn_line_id: Option<String>,
}

/// Notes money put in Undeposited Funds, to be deposited once QuickBooks has it. Noting the
/// same source twice changes nothing.
pub fn note_undeposited(
    tx: &Transaction<'_>,
    source: Source,
    source_id: &str,
    date: NaiveDate,
    amount: Decimal,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO undeposited (source, source_id, date, amount) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (source, source_id) DO NOTHING",
    )?
    .execute(params![
        source.as_str(),
        source_id,
        date_text(date),
        amount.to_string()
    ])?;
    Ok(())
}

/// Forgets a payment noted before it was sent when QuickBooks did not take it after all
/// (its next send notes it again).
pub fn forget_payment(tx: &Transaction<'_>, payment_id: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "DELETE FROM undeposited WHERE source = 'payment' AND source_id = ?1 AND deposit_id IS NULL",
    )?
    .execute([payment_id])?;
    Ok(())
}

/// Money in Undeposited Funds not in any live deposit whose QuickBooks transaction is
/// known (the payment synced, the journal entry posted), oldest first.
pub fn waiting(conn: &Connection) -> Result<Vec<Waiting>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.source, u.source_id, u.date, u.amount, o.qb_id, NULL
           FROM undeposited u JOIN outbox o ON o.kind = 'payment' AND o.record_id = u.source_id
          WHERE u.source = 'payment' AND u.deposit_id IS NULL
            AND o.state = 'synced' AND o.qb_id IS NOT NULL
         UNION ALL
         SELECT u.source, u.source_id, u.date, u.amount, j.txn_id, j.uf_line_id
           FROM undeposited u JOIN journal_entries j ON j.id = CAST(u.source_id AS INTEGER)
          WHERE u.source = 'journal' AND u.deposit_id IS NULL
            AND j.state = 'posted' AND j.txn_id IS NOT NULL
         ORDER BY 3, 1, 2",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(source, source_id, date, amount, txn_id, txn_line_id)| {
            Ok(Waiting {
                source: if source == "journal" {
                    Source::Journal
                } else {
                    Source::Payment
                },
                source_id,
                date: parse_date("undeposited.date", &date)?,
                amount: parse_dec("undeposited.amount", &amount)?,
                txn_id,
                txn_line_id,
            })
        })
        .collect()
}

/// A deposit about to be sent.
#[derive(Debug, Clone)]
pub struct NewDeposit<'a> {
    pub period: Period,
    pub period_start: NaiveDate,
    pub account: &'a str,
    pub guid: &'a str,
    pub total: Decimal,
    pub batch_id: i64,
    pub lines: &'a [Waiting],
}

/// Records a deposit in flight and gives it its money. Returns its id.
///
/// INVARIANT: called in the transaction that records its batch in flight.
pub fn insert(tx: &Transaction<'_>, d: &NewDeposit<'_>) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO deposits (period, period_start, account, guid, total, state, batch_id,
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'in_flight', ?6, ?7)",
    )?
    .execute(params![
        d.period.as_str(),
        date_text(d.period_start),
        d.account,
        d.guid,
        d.total.to_string(),
        d.batch_id,
        now_utc()
    ])?;
    let id = tx.last_insert_rowid();
    let mut stmt = tx.prepare_cached(
        "UPDATE undeposited SET deposit_id = ?1
         WHERE source = ?2 AND source_id = ?3 AND deposit_id IS NULL",
    )?;
    for w in d.lines {
        if stmt.execute(params![id, w.source.as_str(), w.source_id])? != 1 {
            return Err(StoreError::Corrupt {
                place: "undeposited.deposit_id",
                value: format!("{} {}", w.source.as_str(), w.source_id),
                expected: "money not yet in a live deposit",
            });
        }
    }
    Ok(id)
}

/// A deposit as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposit {
    pub id: i64,
    pub period_start: NaiveDate,
    pub account: String,
    pub guid: String,
    pub total: Decimal,
    pub state: String,
    pub txn_id: Option<String>,
}

fn query(
    conn: &Connection,
    tail: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Deposit>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, period_start, account, guid, total, state, txn_id FROM deposits {tail}"
    ))?;
    let rows = stmt
        .query_map(p, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, start, account, guid, total, state, txn_id)| {
            Ok(Deposit {
                id,
                period_start: parse_date("deposits.period_start", &start)?,
                account,
                guid,
                total: parse_dec("deposits.total", &total)?,
                state,
                txn_id,
            })
        })
        .collect()
}

/// The deposits a batch carried that are still in flight.
pub fn in_flight_in_batch(conn: &Connection, batch_id: i64) -> Result<Vec<Deposit>, StoreError> {
    query(
        conn,
        "WHERE batch_id = ?1 AND state = 'in_flight' ORDER BY id",
        params![batch_id],
    )
}

/// Every deposit, oldest first.
pub fn all(conn: &Connection) -> Result<Vec<Deposit>, StoreError> {
    query(conn, "ORDER BY id", [])
}

/// QuickBooks has the deposit.
pub fn post(tx: &Transaction<'_>, id: i64, txn_id: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE deposits SET state = 'posted', txn_id = ?2, posted_at = ?3
         WHERE id = ?1 AND state = 'in_flight'",
    )?
    .execute(params![id, txn_id, now_utc()])?;
    Ok(())
}

/// QuickBooks never saved the deposit: its money waits for the next one.
pub fn drop_deposit(tx: &Transaction<'_>, id: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE deposits SET state = 'dropped' WHERE id = ?1 AND state = 'in_flight'",
    )?
    .execute([id])?;
    tx.prepare_cached("UPDATE undeposited SET deposit_id = NULL WHERE deposit_id = ?1")?
        .execute([id])?;
    Ok(())
}
