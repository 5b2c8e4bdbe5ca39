//! The pairing index of QuickBooks' customers and jobs, kept in SQLite so that a sync's
//! memory does not grow with QuickBooks' lists (issue 18). Owns tables `qb_pairing_keys`
//! and `qb_pairing_queue` (migration `V_LARGE`), and reads `qb_customers` by rowid in the
//! few columns pairing compares.
//!
//! - `qb_pairing_keys (key, row)`: one row per key an *active* QuickBooks record is found by
//!   (`pairing::qb_keys`: hashed ListID, names, core names, name words, phone, e-mail,
//!   street address); `row` is the record's `qb_customers.rowid`. About 8 keys per record,
//!   ~20 bytes each on disk; nothing of it is held in memory.
//! - `qb_pairing_queue (row)`: records whose keys must be worked out again. Triggers on
//!   `qb_customers` fill it on insert and whenever a compared field or `is_active` changes,
//!   whichever code path wrote the row, and drop a deleted record's keys at once. What the
//!   keys are is `pairing/`'s rule, in Rust, so the queue is emptied by the sync
//!   ([`file_next`], a thousand records at a time) as it reads QuickBooks' customers and
//!   when pushing starts.
//!
//! INVARIANT: a `qb_customers` row that is not queued has exactly the keys `pairing::qb_keys`
//! gives its current fields (none when inactive).
//!
//! Does not own: what the keys are (`pairing/`), or the mirror's rows (`qb_mirror`).

use super::StoreError;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// A QuickBooks customer or job in the columns pairing compares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QbPartyRow {
    pub row: i64,
    pub list_id: String,
    /// Its own name (for a job, not `Parent:Job`).
    pub name: String,
    pub is_active: bool,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub bill_line1: Option<String>,
    pub bill_postal_code: Option<String>,
    pub ship_line1: Option<String>,
    pub ship_postal_code: Option<String>,
}

const PARTY_COLUMNS: &str = "rowid, list_id, name, is_active, company_name, email, phone, \
    bill_line1, bill_postal_code, ship_line1, ship_postal_code";

fn party_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QbPartyRow> {
    Ok(QbPartyRow {
        row: r.get(0)?,
        list_id: r.get(1)?,
        name: r.get(2)?,
        is_active: r.get(3)?,
        company_name: r.get(4)?,
        email: r.get(5)?,
        phone: r.get(6)?,
        bill_line1: r.get(7)?,
        bill_postal_code: r.get(8)?,
        ship_line1: r.get(9)?,
        ship_postal_code: r.get(10)?,
    })
}

/// A key as SQLite stores it (the same 64 bits, signed).
fn stored(key: u64) -> i64 {
    i64::from_ne_bytes(key.to_ne_bytes())
}

/// The rows filed under `key`, in row order.
pub fn rows(conn: &Connection, key: u64) -> Result<Vec<i64>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT row FROM qb_pairing_keys WHERE key = ?1")?;
    let rows = stmt
        .query_map([stored(key)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The rows filed under `key`, or none when more than `max` rows share it.
pub fn rows_at_most(conn: &Connection, key: u64, max: usize) -> Result<Vec<i64>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT row FROM qb_pairing_keys WHERE key = ?1 LIMIT ?2")?;
    let limit = i64::try_from(max.saturating_add(1)).unwrap_or(i64::MAX);
    let rows: Vec<i64> = stmt
        .query_map(params![stored(key), limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if rows.len() > max { Vec::new() } else { rows })
}

/// One QuickBooks customer or job by rowid.
pub fn party(conn: &Connection, row: i64) -> Result<Option<QbPartyRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PARTY_COLUMNS} FROM qb_customers WHERE rowid = ?1"
    ))?;
    Ok(stmt.query_row([row], party_row).optional()?)
}

/// True when `list_id` is linked to an app customer other than `app_key`: by a pairing, or
/// as the ListID a customer was sent to (`pairings::linked_list_ids`, asked for one ListID).
pub fn linked_to_other(
    conn: &Connection,
    list_id: &str,
    app_key: &str,
) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM pairings WHERE list_id = ?1 AND customer_id <> ?2)
             OR EXISTS (SELECT 1 FROM outbox WHERE qb_id = ?1 AND kind = 'customer'
                        AND record_id <> ?2)",
    )?;
    Ok(stmt.query_row(params![list_id, app_key], |r| r.get(0))?)
}

/// At most `limit` queued records, in row order (their current fields; a queued row whose
/// record is gone is dropped from the queue here).
fn queued(tx: &Transaction<'_>, limit: usize) -> Result<Vec<QbPartyRow>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {} FROM qb_pairing_queue q JOIN qb_customers c ON c.rowid = q.row
         ORDER BY q.row LIMIT ?1",
        PARTY_COLUMNS.replace("rowid", "q.row")
    ))?;
    let found: Vec<QbPartyRow> = stmt
        .query_map([limit], party_row)?
        .collect::<rusqlite::Result<_>>()?;
    if found.is_empty() {
        // Only orphans (if any) can be left.
        tx.prepare_cached(
            "DELETE FROM qb_pairing_queue WHERE row NOT IN (SELECT rowid FROM qb_customers)",
        )?
        .execute([])?;
    }
    Ok(found)
}

/// Key entries written per INSERT statement.
const INSERT_ROWS: usize = 100;

/// Files the next `limit` queued records (at most) under the keys `keys_of` gives each (none
/// for an inactive record), replacing what they had, and takes them off the queue. Returns
/// how many were filed: 0 when the queue is empty.
pub fn file_next(
    tx: &Transaction<'_>,
    limit: usize,
    keys_of: impl Fn(&QbPartyRow) -> Vec<u64>,
) -> Result<usize, StoreError> {
    let chunk = queued(tx, limit)?;
    let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
        return Ok(0);
    };
    // The chunk is every queued row from the first to the last (read in row order, and
    // nothing queues a row in this transaction meanwhile; rows in between that `queued`
    // skipped are orphans): their old keys and their places in the queue go in one
    // statement each.
    let range = [first.row, last.row];
    tx.prepare_cached(
        "DELETE FROM qb_pairing_keys WHERE row IN
             (SELECT row FROM qb_pairing_queue WHERE row BETWEEN ?1 AND ?2)",
    )?
    .execute(range)?;
    tx.prepare_cached("DELETE FROM qb_pairing_queue WHERE row BETWEEN ?1 AND ?2")?
        .execute(range)?;
    // Sorted by key, the new entries land next to each other in the key b-tree.
    let mut entries: Vec<(i64, i64)> = chunk
        .iter()
        .flat_map(|r| keys_of(r).into_iter().map(move |k| (stored(k), r.row)))
        .collect();
    entries.sort_unstable();
    entries.dedup();
    let mut groups = entries.chunks_exact(INSERT_ROWS);
    if groups.len() > 0 {
        let values = vec!["(?, ?)"; INSERT_ROWS].join(", ");
        let mut insert = tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO qb_pairing_keys (key, row) VALUES {values}"
        ))?;
        for group in groups.by_ref() {
            let flat: Vec<i64> = group.iter().flat_map(|&(k, r)| [k, r]).collect();
            insert.execute(rusqlite::params_from_iter(flat))?;
        }
    }
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO qb_pairing_keys (key, row) VALUES (?1, ?2)")?;
    for &(key, row) in groups.remainder() {
        insert.execute([key, row])?;
    }
    Ok(chunk.len())
}

/// Records waiting to be filed.
pub fn queue_len(conn: &Connection) -> Result<u64, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM qb_pairing_queue", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The jobs under `parent_list_id` (every job, active or not): (ListID, EditSequence, its own
/// name), by full name.
pub fn jobs_of(
    conn: &Connection,
    parent_list_id: &str,
) -> Result<Vec<(String, String, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT list_id, edit_sequence, name FROM qb_customers WHERE parent_list_id = ?1
         ORDER BY full_name",
    )?;
    let rows = stmt
        .query_map([parent_list_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
