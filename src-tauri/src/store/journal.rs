//! Summarized journal entries (tables `journal_entries`, `journal_members`): each
//! JournalEntryAdd FieldBridge built in summary mode, the ExternalGUID it carries, the
//! period it covers, and which invoices or payments it holds. Owns the SQL; what an entry
//! says and when it is sent is `sync::push::journal`.
//!
//! An entry is `in_flight` from the transaction that builds it (with its batch), then
//! `posted` (QuickBooks has it: its TxnID kept) or `dropped` (QuickBooks never saved it;
//! its records are sent again in a new entry with a new ExternalGUID).
//!
//! INVARIANT: per (what, period, first day) there is at most one live entry with each
//! adjusting number (a unique index), so a period is posted once; records that arrive for a
//! period already posted go into the next adjusting entry ([`next_adjusting`]).

use super::accounting::Period;
use super::records::{date_text, parse_date, parse_dec, RecordKind, RecordRef};
use super::{now_utc, StoreError};
use crate::money::Decimal;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// What an entry summarizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum What {
    Invoices,
    Payments,
}

impl What {
    pub fn as_str(self) -> &'static str {
        match self {
            What::Invoices => "invoices",
            What::Payments => "payments",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "invoices" => Ok(What::Invoices),
            "payments" => Ok(What::Payments),
            other => Err(StoreError::Corrupt {
                place: "journal_entries.what",
                value: other.to_owned(),
                expected: "invoices or payments",
            }),
        }
    }

    /// The record kind an entry of this sort carries.
    pub fn record_kind(self) -> RecordKind {
        match self {
            What::Invoices => RecordKind::Invoice,
            What::Payments => RecordKind::Payment,
        }
    }
}

/// Where an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    InFlight,
    Posted,
    Dropped,
}

impl EntryState {
    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "in_flight" => Ok(EntryState::InFlight),
            "posted" => Ok(EntryState::Posted),
            "dropped" => Ok(EntryState::Dropped),
            other => Err(StoreError::Corrupt {
                place: "journal_entries.state",
                value: other.to_owned(),
                expected: "in_flight, posted or dropped",
            }),
        }
    }
}

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub what: What,
    pub period: Period,
    pub period_start: NaiveDate,
    pub adjusting: i64,
    pub guid: String,
    pub ref_number: String,
    pub total: Decimal,
    pub state: EntryState,
    pub batch_id: Option<i64>,
    pub txn_id: Option<String>,
    pub uf_line_id: Option<String>,
}

/// An entry about to be sent.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub what: What,
    pub period: Period,
    pub period_start: NaiveDate,
    pub adjusting: i64,
    pub guid: &'a str,
    pub ref_number: &'a str,
    pub total: Decimal,
    pub batch_id: i64,
    /// The records it carries, each with what it adds to the entry.
    pub members: &'a [(RecordRef, Decimal)],
}

const COLUMNS: &str = "id, what, period, period_start, adjusting, guid, ref_number, total, state,
     batch_id, txn_id, uf_line_id";

type Raw = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    ))
}

fn entry_of(
    (id, what, period, start, adjusting, guid, ref_number, total, state, batch_id, txn_id, uf): Raw,
) -> Result<Entry, StoreError> {
    Ok(Entry {
        id,
        what: What::parse(&what)?,
        period: Period::parse(&period).ok_or(StoreError::Corrupt {
            place: "journal_entries.period",
            value: period.clone(),
            expected: "day, week or month",
        })?,
        period_start: parse_date("journal_entries.period_start", &start)?,
        adjusting,
        guid,
        ref_number,
        total: parse_dec("journal_entries.total", &total)?,
        state: EntryState::parse(&state)?,
        batch_id,
        txn_id,
        uf_line_id: uf,
    })
}

fn query(
    conn: &Connection,
    tail: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Entry>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM journal_entries {tail}"))?;
    let raws = stmt
        .query_map(p, raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(entry_of).collect()
}

/// The adjusting number the next entry of this period takes: 0 when the period has no live
/// entry yet, else one more than the last.
pub fn next_adjusting(
    conn: &Connection,
    what: What,
    period: Period,
    period_start: NaiveDate,
) -> Result<i64, StoreError> {
    let last: Option<i64> = conn
        .prepare_cached(
            "SELECT max(adjusting) FROM journal_entries
             WHERE what = ?1 AND period = ?2 AND period_start = ?3 AND state <> 'dropped'",
        )?
        .query_row(
            params![what.as_str(), period.as_str(), date_text(period_start)],
            |r| r.get(0),
        )?;
    Ok(last.map_or(0, |n| n + 1))
}

/// Records a new entry in flight, with its members. Returns its id.
///
/// INVARIANT: called in the transaction that records its batch in flight (so the entry and
/// its ExternalGUID exist before the request can leave the process).
pub fn insert(tx: &Transaction<'_>, e: &NewEntry<'_>) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO journal_entries (what, period, period_start, adjusting, guid, ref_number,
             total, state, batch_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'in_flight', ?8, ?9)",
    )?
    .execute(params![
        e.what.as_str(),
        e.period.as_str(),
        date_text(e.period_start),
        e.adjusting,
        e.guid,
        e.ref_number,
        e.total.to_string(),
        e.batch_id,
        now_utc()
    ])?;
    let id = tx.last_insert_rowid();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO journal_members (entry_id, kind, record_id, amount) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (record, amount) in e.members {
        stmt.execute(params![
            id,
            record.kind.as_str(),
            record.id,
            amount.to_string()
        ])?;
    }
    Ok(id)
}

/// The entries a batch carried that are still in flight.
pub fn in_flight_in_batch(conn: &Connection, batch_id: i64) -> Result<Vec<Entry>, StoreError> {
    query(
        conn,
        "WHERE batch_id = ?1 AND state = 'in_flight' ORDER BY id",
        params![batch_id],
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Entry>, StoreError> {
    Ok(query(conn, "WHERE id = ?1", params![id])?
        .into_iter()
        .next())
}

/// Every entry, oldest first (for `export`, the tests and the evidence).
pub fn all(conn: &Connection) -> Result<Vec<Entry>, StoreError> {
    query(conn, "ORDER BY id", [])
}

/// The records an entry carries.
pub fn members(conn: &Connection, entry_id: i64) -> Result<Vec<RecordRef>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, record_id FROM journal_members WHERE entry_id = ?1 ORDER BY rowid",
    )?;
    let rows = stmt
        .query_map([entry_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(kind, id)| Ok(RecordRef::new(RecordKind::parse(&kind)?, id)))
        .collect()
}

/// The live entry carrying a record (in flight or posted), if any.
pub fn live_entry_of(conn: &Connection, record: &RecordRef) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT e.id FROM journal_members m JOIN journal_entries e ON e.id = m.entry_id
             WHERE m.kind = ?1 AND m.record_id = ?2 AND e.state <> 'dropped'",
        )?
        .query_row(params![record.kind.as_str(), record.id], |r| r.get(0))
        .optional()?)
}

/// QuickBooks has the entry: its TxnID, and (payments) its Undeposited Funds line.
pub fn post(
    tx: &Transaction<'_>,
    id: i64,
    txn_id: &str,
    uf_line_id: Option<&str>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE journal_entries SET state = 'posted', txn_id = ?2, uf_line_id = ?3, posted_at = ?4
         WHERE id = ?1 AND state = 'in_flight'",
    )?
    .execute(params![id, txn_id, uf_line_id, now_utc()])?;
    Ok(())
}

/// QuickBooks never saved the entry: it stops counting for its period.
pub fn drop_entry(tx: &Transaction<'_>, id: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE journal_entries SET state = 'dropped' WHERE id = ?1 AND state = 'in_flight'",
    )?
    .execute([id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn batch(tx: &Transaction<'_>) -> i64 {
        tx.execute(
            "INSERT INTO sessions (id, started_at) VALUES (1, 'x') ON CONFLICT DO NOTHING",
            [],
        )
        .unwrap();
        crate::store::outbox::begin_batch(tx, 1, &uuid::Uuid::new_v4().to_string()[..20], "x")
            .unwrap()
    }

    fn new<'a>(guid: &'a str, adjusting: i64, batch_id: i64) -> NewEntry<'a> {
        NewEntry {
            what: What::Invoices,
            period: Period::Day,
            period_start: d("2026-10-04"),
            adjusting,
            guid,
            ref_number: "FB261004S",
            total: "10.00".parse().unwrap(),
            batch_id,
            members: &[],
        }
    }

    #[test]
    fn a_period_has_one_live_entry_per_adjusting_number() {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                let b = batch(tx);
                assert_eq!(
                    next_adjusting(tx, What::Invoices, Period::Day, d("2026-10-04"))?,
                    0
                );
                let first = insert(tx, &new("g1", 0, b))?;
                assert!(
                    insert(tx, &new("g2", 0, b)).is_err(),
                    "the database refuses a second entry for a period already live"
                );
                assert_eq!(
                    next_adjusting(tx, What::Invoices, Period::Day, d("2026-10-04"))?,
                    1
                );
                drop_entry(tx, first)?;
                assert_eq!(
                    next_adjusting(tx, What::Invoices, Period::Day, d("2026-10-04"))?,
                    0,
                    "a dropped entry never reached QuickBooks: the period is free again"
                );
                let again = insert(tx, &new("g3", 0, b))?;
                post(tx, again, "TX-1", None)?;
                assert_eq!(get(tx, again)?.unwrap().state, EntryState::Posted);
                assert_eq!(
                    next_adjusting(tx, What::Invoices, Period::Day, d("2026-10-04"))?,
                    1
                );
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}
