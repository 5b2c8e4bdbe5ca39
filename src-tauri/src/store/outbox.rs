//! The outbox: every app record's sync state, and the only code that changes it. Also the
//! batches (qbXML message sets) that carry records to QuickBooks. Owns tables `outbox` and
//! `batches`; does not decide what to send or how to read QuickBooks' answers (`sync/`).
//!
//! # The state machine
//!
//! ```text
//!                 new record (import)
//!                        │
//!                        ▼
//!   ┌──────────────►  pending  ◄───────────────────────────────┐
//!   │                    │ mark_in_flight (batch, request_id)   │ requeue (transient error,
//!   │                    ▼                                      │  lost batch resolved "not done")
//!   │                in_flight ─────────────────────────────────┘
//!   │          ┌─────────┼──────────────┬──────────────────┐
//!   │   mark_synced  mark_failed   mark_needs_attention    │
//!   │          ▼         ▼              ▼                  │
//!   │       synced     failed     needs_attention ◄── (pre-flight: also from pending)
//!   │          │         │              │
//!   └──────────┴─────────┴──────────────┘
//!     the app record changes (note_changed), or a person retries (retry)
//! ```
//!
//! - **pending**: waiting to be sent. `qb_id` NULL → the next send is an *Add* (with the
//!   record's guid as ExternalGUID); `qb_id` set (`dirty` = 1) → a *Mod* with `edit_sequence`.
//! - **in_flight**: in a batch that was sent (`batch_id`, `message_set_id`, `request_id`
//!   set). INVARIANT: a record is in flight iff its `batch_id` is set (a CHECK enforces it).
//!   A batch still `sent` at the start of a session lost its answer: resolve it (ask
//!   QuickBooks with `oldMessageSetID`, or look the record up by ExternalGUID), then
//!   `mark_synced` or `requeue` each of its records; never send them again blind.
//! - **synced**: QuickBooks has the record (`qb_id`, `edit_sequence`) with the content of
//!   revision `synced_revision`.
//! - **failed**: QuickBooks refused it (its code and message kept verbatim, plus plain
//!   text and advice). Not retried automatically; a change to the record or `retry` puts it
//!   back to pending.
//! - **needs_attention**: a person must decide (pairing, item mapping) or fix the record
//!   (a QuickBooks limit such as a 41-character name). Same ways out as failed.
//!
//! Content changes are counted by `revision` (bumped by `note_changed`, which the
//! aggregate modules call when a save changes a record). `sent_revision` is what the last
//! send carried; when its answer arrives, a record changed meanwhile goes back to pending
//! (dirty) instead of synced, so no change is ever lost. `dirty` = QuickBooks has the
//! record but not its latest content. `attempts` counts sends since the content last changed.
//!
//! One `outbox` table serves all five kinds (keyed by kind and import id) rather than sync
//! columns on each record table: one set of transitions, one index that yields the whole
//! plan in dependency order, and app-record tables that hold only the app's data. The
//! aggregate modules create the outbox row in the same transaction as the record.
//!
//! Children wait for parents: the planner reads [`next_pending`] in dependency order
//! (customers, projects, tickets, invoices, payments; oldest first within a kind), one index
//! range scan (`outbox_next`).

use super::codes::ProblemCode;
use super::records::{json_rows, RecordKind, RecordRef};
use super::{now_utc, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use std::collections::HashSet;

/// Where a record stands with QuickBooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    Pending,
    InFlight,
    Synced,
    Failed,
    NeedsAttention,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Pending => "pending",
            SyncState::InFlight => "in_flight",
            SyncState::Synced => "synced",
            SyncState::Failed => "failed",
            SyncState::NeedsAttention => "needs_attention",
        }
    }

    pub fn parse(text: &str) -> Result<Self, StoreError> {
        Ok(match text {
            "pending" => SyncState::Pending,
            "in_flight" => SyncState::InFlight,
            "synced" => SyncState::Synced,
            "failed" => SyncState::Failed,
            "needs_attention" => SyncState::NeedsAttention,
            other => {
                return Err(StoreError::Corrupt {
                    place: "outbox.state",
                    value: other.to_owned(),
                    expected: "pending, in_flight, synced, failed or needs_attention",
                })
            }
        })
    }
}

/// Why a record failed or needs attention: QuickBooks' own words and ours.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problem {
    /// QuickBooks' statusCode (e.g. 3100), or FieldBridge's own code for pre-flight
    /// problems (e.g. a missing item mapping, with its role).
    pub code: Option<ProblemCode>,
    /// QuickBooks' statusMessage, verbatim.
    pub message: Option<String>,
    /// Plain English: what happened, naming the record.
    pub text: String,
    /// Plain English: what to do next.
    pub advice: Option<String>,
}

/// One record's row in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub record: RecordRef,
    pub state: SyncState,
    pub qb_id: Option<String>,
    pub edit_sequence: Option<String>,
    pub dirty: bool,
    pub revision: i64,
    pub batch_id: Option<i64>,
    pub message_set_id: Option<String>,
    pub request_id: Option<String>,
    pub problem: Option<Problem>,
    pub attempts: i64,
    pub updated_at: String,
}

const COLUMNS: &str = "kind, record_id, state, qb_id, edit_sequence, dirty, revision, batch_id, \
    message_set_id, request_id, problem_code, problem_message, problem_text, advice, attempts, \
    updated_at";

struct RawEntry {
    kind: String,
    record_id: String,
    state: String,
    qb_id: Option<String>,
    edit_sequence: Option<String>,
    dirty: bool,
    revision: i64,
    batch_id: Option<i64>,
    message_set_id: Option<String>,
    request_id: Option<String>,
    problem_code: Option<String>,
    problem_message: Option<String>,
    problem_text: Option<String>,
    advice: Option<String>,
    attempts: i64,
    updated_at: String,
}

fn raw(r: &Row<'_>) -> rusqlite::Result<RawEntry> {
    Ok(RawEntry {
        kind: r.get(0)?,
        record_id: r.get(1)?,
        state: r.get(2)?,
        qb_id: r.get(3)?,
        edit_sequence: r.get(4)?,
        dirty: r.get(5)?,
        revision: r.get(6)?,
        batch_id: r.get(7)?,
        message_set_id: r.get(8)?,
        request_id: r.get(9)?,
        problem_code: r.get(10)?,
        problem_message: r.get(11)?,
        problem_text: r.get(12)?,
        advice: r.get(13)?,
        attempts: r.get(14)?,
        updated_at: r.get(15)?,
    })
}

impl RawEntry {
    fn into_entry(self) -> Result<OutboxEntry, StoreError> {
        let code = self
            .problem_code
            .as_deref()
            .map(ProblemCode::parse)
            .transpose()?;
        let problem = self.problem_text.map(|text| Problem {
            code,
            message: self.problem_message,
            text,
            advice: self.advice,
        });
        Ok(OutboxEntry {
            record: RecordRef::new(RecordKind::parse(&self.kind)?, self.record_id),
            state: SyncState::parse(&self.state)?,
            qb_id: self.qb_id,
            edit_sequence: self.edit_sequence,
            dirty: self.dirty,
            revision: self.revision,
            batch_id: self.batch_id,
            message_set_id: self.message_set_id,
            request_id: self.request_id,
            problem,
            attempts: self.attempts,
            updated_at: self.updated_at,
        })
    }
}

fn query_entries(
    conn: &Connection,
    sql_tail: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM outbox {sql_tail}"))?;
    let raws = stmt
        .query_map(params, raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(RawEntry::into_entry).collect()
}

/// One record's sync state, if the record exists.
pub fn get(conn: &Connection, record: &RecordRef) -> Result<Option<OutboxEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE kind = ?1 AND record_id = ?2"
    ))?;
    let raw = stmt
        .query_row(params![record.kind.as_str(), record.id], raw)
        .optional()?;
    raw.map(RawEntry::into_entry).transpose()
}

fn require(conn: &Connection, record: &RecordRef) -> Result<OutboxEntry, StoreError> {
    get(conn, record)?.ok_or_else(|| StoreError::NotFound {
        what: "record",
        id: record.to_string(),
    })
}

/// Up to `limit` pending records of one kind, oldest first.
pub fn next_pending(
    conn: &Connection,
    kind: RecordKind,
    limit: usize,
) -> Result<Vec<OutboxEntry>, StoreError> {
    // The rank (0..=4, from the enum) is written into the SQL: one cached statement per
    // kind, which SQLite never re-plans because a bound value changed.
    query_entries(
        conn,
        &format!(
            "WHERE state = 'pending' AND kind_rank = {} ORDER BY id LIMIT ?1",
            kind.rank()
        ),
        params![limit as i64],
    )
}

/// Up to `limit` pending records of any kind, in dependency order (parents first).
pub fn next_pending_any(conn: &Connection, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
    query_entries(
        conn,
        "WHERE state = 'pending' ORDER BY kind_rank, id LIMIT ?1",
        params![limit as i64],
    )
}

/// Every record in one state (for the attention list and the tests).
pub fn in_state(conn: &Connection, state: SyncState) -> Result<Vec<OutboxEntry>, StoreError> {
    query_entries(
        conn,
        "WHERE state = ?1 ORDER BY kind_rank, id",
        params![state.as_str()],
    )
}

/// The records carried by one batch.
pub fn in_batch(conn: &Connection, batch_id: i64) -> Result<Vec<OutboxEntry>, StoreError> {
    query_entries(
        conn,
        "WHERE batch_id = ?1 ORDER BY kind_rank, id",
        params![batch_id],
    )
}

/// Is there anything to send (pending) or to resolve (in flight)?
pub fn has_work(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ('pending', 'in_flight'))",
        [],
        |r| r.get(0),
    )?)
}

/// A new app record enters the outbox as pending. Called by the aggregate modules' save.
pub(crate) fn enqueue_new(tx: &Transaction<'_>, record: &RecordRef) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO outbox (kind, kind_rank, record_id, state, updated_at)
         VALUES (?1, ?2, ?3, 'pending', ?4)",
    )?
    .execute(params![
        record.kind.as_str(),
        record.kind.rank(),
        record.id,
        now_utc()
    ])?;
    Ok(())
}

/// The app record's content changed (a re-import with different values).
///
/// - pending: stays pending (the next send carries the new content).
/// - in_flight: stays in flight; when the answer arrives, `mark_synced` sees the newer
///   revision and puts it back to pending (dirty) so the change is sent as a *Mod*.
/// - synced: back to pending with `dirty` = 1: the next send is a *Mod*. (When the settings
///   say not to update that kind in QuickBooks, the engine calls [`settle_without_sending`].)
/// - failed / needs_attention: back to pending with the problem cleared: the data changed,
///   so it gets a fresh try (pre-flight will say again if it still needs attention).
///
/// `attempts` restarts at 0.
pub(crate) fn note_changed(tx: &Transaction<'_>, record: &RecordRef) -> Result<(), StoreError> {
    let n = tx
        .prepare_cached(
            "UPDATE outbox SET
             revision = revision + 1,
             attempts = 0,
             state = CASE state WHEN 'in_flight' THEN 'in_flight' ELSE 'pending' END,
             dirty = (qb_id IS NOT NULL),
             problem_code = NULL, problem_message = NULL, problem_text = NULL, advice = NULL,
             updated_at = ?3
         WHERE kind = ?1 AND record_id = ?2",
        )?
        .execute(params![record.kind.as_str(), record.id, now_utc()])?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "record",
            id: record.to_string(),
        });
    }
    Ok(())
}

/// A batch about to be sent. Returns its id. Record the batch and its records
/// ([`mark_in_flight`]) in the same transaction, before the request leaves.
pub fn begin_batch(
    tx: &Transaction<'_>,
    session_id: i64,
    message_set_id: &str,
    request_xml: &str,
) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO batches (session_id, message_set_id, sent_at, request_digest, request_size)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        session_id,
        message_set_id,
        now_utc(),
        digest(request_xml),
        request_xml.len() as i64
    ])?;
    Ok(tx.last_insert_rowid())
}

const MARK_IN_FLIGHT_SQL: &str =
    "UPDATE outbox SET state = 'in_flight', batch_id = ?1, message_set_id = ?2,
        request_id = j.value ->> 2, sent_revision = revision,
        attempts = attempts + 1, updated_at = ?3
    FROM jsonb_each(?4) AS j
    WHERE outbox.kind = j.value ->> 0 AND outbox.record_id = j.value ->> 1
      AND +outbox.state = 'pending'
    RETURNING outbox.kind, outbox.record_id";

/// Marks every listed record in flight in `batch_id`, each with its `requestID`. All or
/// nothing: a record that is not pending fails the whole call (the transaction rolls back).
pub fn mark_in_flight(
    tx: &Transaction<'_>,
    batch_id: i64,
    records: &[(RecordRef, String)],
) -> Result<(), StoreError> {
    let message_set_id: String = tx
        .prepare_cached("SELECT message_set_id FROM batches WHERE id = ?1")?
        .query_row([batch_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "batch",
            id: batch_id.to_string(),
        })?;
    let now = now_utc();
    // One statement for the whole batch: the records travel as one JSON array of
    // [kind, id, requestID], read with `jsonb_each` (the text is converted to SQLite's
    // binary JSON once, so `value ->> N` does not parse a row's text again for every
    // field), and SQLite finds each record by the (kind, record_id) key. The unary
    // `+` keeps the planner off the state index, which would scan every pending record
    // once per listed one (see `bulk_updates_look_records_up_by_their_key`).
    let list = json_rows(
        records
            .iter()
            .map(|(r, request_id)| (r.kind.as_str(), &r.id, request_id))
            .collect(),
    )?;
    let changed = run_bulk(
        tx,
        MARK_IN_FLIGHT_SQL,
        params![batch_id, message_set_id, now, list],
    )?;
    let refs: Vec<&RecordRef> = records.iter().map(|(r, _)| r).collect();
    // A record that was not pending (or is listed twice) is named; the caller's
    // transaction rolls back, so nothing of the batch is marked.
    check_bulk(
        tx,
        &refs,
        changed,
        "in_flight",
        "only a pending record can be sent",
    )
}

fn require_in_flight(
    tx: &Transaction<'_>,
    record: &RecordRef,
    to: &'static str,
) -> Result<(), StoreError> {
    let entry = require(tx, record)?;
    if entry.state != SyncState::InFlight {
        return Err(StoreError::BadTransition {
            record: record.clone(),
            from: entry.state.as_str().to_owned(),
            to,
            why: "only a record in flight has an answer to apply",
        });
    }
    Ok(())
}

/// QuickBooks has the record: keep its id and EditSequence. A record changed while in flight
/// goes back to pending (dirty) rather than synced.
pub fn mark_synced(
    tx: &Transaction<'_>,
    record: &RecordRef,
    qb_id: &str,
    edit_sequence: Option<&str>,
) -> Result<SyncState, StoreError> {
    mark_synced_many(
        tx,
        &[(
            record.clone(),
            qb_id.to_owned(),
            edit_sequence.map(str::to_owned),
        )],
    )?;
    Ok(require(tx, record)?.state)
}

const MARK_SYNCED_MANY_SQL: &str = "UPDATE outbox SET
        state = CASE WHEN revision > sent_revision THEN 'pending' ELSE 'synced' END,
        dirty = (revision > sent_revision),
        qb_id = j.value ->> 2, edit_sequence = j.value ->> 3,
        synced_revision = sent_revision,
        batch_id = NULL, message_set_id = NULL, request_id = NULL,
        problem_code = NULL, problem_message = NULL, problem_text = NULL,
        advice = NULL, updated_at = ?2
    FROM jsonb_each(?1) AS j
    WHERE outbox.kind = j.value ->> 0 AND outbox.record_id = j.value ->> 1
      AND +outbox.state = 'in_flight'
    RETURNING outbox.kind, outbox.record_id";

/// [`mark_synced`] for many records in one statement: `(record, QuickBooks id,
/// EditSequence)` each. All or nothing: a record not in flight fails the whole call.
pub fn mark_synced_many(
    tx: &Transaction<'_>,
    records: &[(RecordRef, String, Option<String>)],
) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let list = json_rows(
        records
            .iter()
            .map(|(r, qb_id, es)| (r.kind.as_str(), &r.id, qb_id, es))
            .collect(),
    )?;
    let changed = run_bulk(tx, MARK_SYNCED_MANY_SQL, params![list, now_utc()])?;
    let refs: Vec<&RecordRef> = records.iter().map(|(r, _, _)| r).collect();
    check_bulk(
        tx,
        &refs,
        changed,
        "synced",
        "only a record in flight has an answer to apply",
    )
}

/// Runs a bulk transition (its statement RETURNING kind and record_id) and says which
/// records it changed.
fn run_bulk(
    tx: &Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<HashSet<(String, String)>, StoreError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let changed = stmt
        .query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(changed)
}

/// A bulk transition must change every record it lists, each once; else the first record
/// it left alone is named (missing, or in the wrong state) and the caller's transaction
/// rolls back whole.
fn check_bulk(
    tx: &Transaction<'_>,
    records: &[&RecordRef],
    changed: HashSet<(String, String)>,
    to: &'static str,
    why: &'static str,
) -> Result<(), StoreError> {
    if changed.len() == records.len() {
        return Ok(());
    }
    let left = records
        .iter()
        .find(|r| !changed.contains(&(r.kind.as_str().to_owned(), r.id.clone())));
    let Some(record) = left.or(records.first()) else {
        return Ok(());
    };
    let entry = require(tx, record)?;
    Err(StoreError::BadTransition {
        record: (*record).clone(),
        from: entry.state.as_str().to_owned(),
        to,
        why: if left.is_some() {
            why
        } else {
            "a record was listed twice"
        },
    })
}

/// The sync state of each listed record that exists, in one query.
pub fn get_many(
    conn: &Connection,
    records: &[RecordRef],
) -> Result<std::collections::HashMap<RecordRef, OutboxEntry>, StoreError> {
    let list = json_rows(records.iter().map(|r| (r.kind.as_str(), &r.id)).collect())?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM jsonb_each(?1) AS j
         JOIN outbox AS o ON o.kind = j.value ->> 0 AND o.record_id = j.value ->> 1",
        super::records::qualified_columns(COLUMNS, "o")
    ))?;
    let raws = stmt
        .query_map([list], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|r| r.into_entry().map(|e| (e.record.clone(), e)))
        .collect()
}

fn park(
    tx: &Transaction<'_>,
    record: &RecordRef,
    state: SyncState,
    problem: &Problem,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET state = ?3,
             batch_id = NULL, message_set_id = NULL, request_id = NULL,
             dirty = (qb_id IS NOT NULL AND revision > COALESCE(synced_revision, 0)),
             problem_code = ?4, problem_message = ?5, problem_text = ?6, advice = ?7,
             updated_at = ?8
         WHERE kind = ?1 AND record_id = ?2",
    )?
    .execute(params![
        record.kind.as_str(),
        record.id,
        state.as_str(),
        problem.code,
        problem.message,
        problem.text,
        problem.advice,
        now_utc()
    ])?;
    Ok(())
}

/// QuickBooks refused the record (from in flight).
pub fn mark_failed(
    tx: &Transaction<'_>,
    record: &RecordRef,
    problem: &Problem,
) -> Result<(), StoreError> {
    require_in_flight(tx, record, "failed")?;
    park(tx, record, SyncState::Failed, problem)
}

/// A person must decide or fix something (from pending, in flight or failed; pre-flight
/// calls it on pending records before they are ever sent).
pub fn mark_needs_attention(
    tx: &Transaction<'_>,
    record: &RecordRef,
    problem: &Problem,
) -> Result<(), StoreError> {
    let entry = require(tx, record)?;
    if entry.state == SyncState::Synced {
        return Err(StoreError::BadTransition {
            record: record.clone(),
            from: entry.state.as_str().to_owned(),
            to: "needs_attention",
            why: "a synced record has nothing waiting to be decided",
        });
    }
    park(tx, record, SyncState::NeedsAttention, problem)
}

/// Back from in flight to pending: a transient refusal (list locked, record in use), or a
/// lost batch that QuickBooks says it never processed. `problem` (optional) is kept so the
/// window can say why it is waiting.
pub fn requeue(
    tx: &Transaction<'_>,
    record: &RecordRef,
    problem: Option<&Problem>,
) -> Result<(), StoreError> {
    require_in_flight(tx, record, "pending")?;
    let p = problem.cloned().unwrap_or_default();
    tx.prepare_cached(
        "UPDATE outbox SET state = 'pending',
             batch_id = NULL, message_set_id = NULL, request_id = NULL,
             problem_code = ?3, problem_message = ?4, problem_text = ?5, advice = ?6,
             updated_at = ?7
         WHERE kind = ?1 AND record_id = ?2",
    )?
    .execute(params![
        record.kind.as_str(),
        record.id,
        p.code,
        p.message,
        problem.map(|p| p.text.clone()),
        p.advice,
        now_utc()
    ])?;
    Ok(())
}

/// A person fixed the cause (mapped an item, switched on estimates): failed or
/// needs_attention goes back to pending, problem cleared, attempts restarted.
pub fn retry(tx: &Transaction<'_>, record: &RecordRef) -> Result<(), StoreError> {
    let entry = require(tx, record)?;
    if !matches!(entry.state, SyncState::Failed | SyncState::NeedsAttention) {
        return Err(StoreError::BadTransition {
            record: record.clone(),
            from: entry.state.as_str().to_owned(),
            to: "pending",
            why: "only a failed record or one needing attention is retried",
        });
    }
    tx.prepare_cached(
        "UPDATE outbox SET state = 'pending', attempts = 0,
             problem_code = NULL, problem_message = NULL, problem_text = NULL, advice = NULL,
             updated_at = ?3
         WHERE kind = ?1 AND record_id = ?2",
    )?
    .execute(params![record.kind.as_str(), record.id, now_utc()])?;
    release_parked(tx, waits_on::PARENT)?;
    Ok(())
}

/// A pending update the settings say not to send (e.g. `update_qb_customers` off): the
/// record counts as synced and stays `dirty` (QuickBooks has an older version, by choice).
pub fn settle_without_sending(tx: &Transaction<'_>, record: &RecordRef) -> Result<(), StoreError> {
    let entry = require(tx, record)?;
    if entry.state != SyncState::Pending || entry.qb_id.is_none() {
        return Err(StoreError::BadTransition {
            record: record.clone(),
            from: entry.state.as_str().to_owned(),
            to: "synced",
            why: "only a pending update of a record QuickBooks already has can be settled",
        });
    }
    tx.prepare_cached(
        "UPDATE outbox SET state = 'synced', dirty = 1, updated_at = ?3
         WHERE kind = ?1 AND record_id = ?2",
    )?
    .execute(params![record.kind.as_str(), record.id, now_utc()])?;
    Ok(())
}

/// QuickBooks reported a newer EditSequence for a synced record (a pull saw it changed).
pub fn set_edit_sequence(
    tx: &Transaction<'_>,
    record: &RecordRef,
    edit_sequence: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET edit_sequence = ?3, updated_at = ?4 WHERE kind = ?1 AND record_id = ?2",
    )?
    .execute(params![
        record.kind.as_str(),
        record.id,
        edit_sequence,
        now_utc()
    ])?;
    Ok(())
}

/// Links a record to an object QuickBooks already has (a pairing): synced with that id,
/// unless it is in flight. Used by `pairings`.
pub(crate) fn link_existing(
    tx: &Transaction<'_>,
    record: &RecordRef,
    qb_id: &str,
    edit_sequence: Option<&str>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET state = 'synced', qb_id = ?3, edit_sequence = ?4, dirty = 0,
             synced_revision = revision,
             problem_code = NULL, problem_message = NULL, problem_text = NULL, advice = NULL,
             attempts = 0, updated_at = ?5
         WHERE kind = ?1 AND record_id = ?2",
    )?
    .execute(params![
        record.kind.as_str(),
        record.id,
        qb_id,
        edit_sequence,
        now_utc()
    ])?;
    Ok(())
}

/// Forgets QuickBooks' id (unpair): the record is pending again, to be matched or created.
pub(crate) fn unlink(tx: &Transaction<'_>, record: &RecordRef) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET state = 'pending', qb_id = NULL, edit_sequence = NULL, dirty = 0,
             synced_revision = NULL,
             problem_code = NULL, problem_message = NULL, problem_text = NULL, advice = NULL,
             attempts = 0, updated_at = ?3
         WHERE kind = ?1 AND record_id = ?2",
    )?
    .execute(params![record.kind.as_str(), record.id, now_utc()])?;
    Ok(())
}

/// Clears a needs_attention / failed record's problem and returns it to pending, if it is
/// in one of those states (used when a pairing decision resolves it). Other states: no-op.
pub(crate) fn release_if_parked(
    tx: &Transaction<'_>,
    record: &RecordRef,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET state = 'pending', attempts = 0,
             problem_code = NULL, problem_message = NULL, problem_text = NULL, advice = NULL,
             updated_at = ?3
         WHERE kind = ?1 AND record_id = ?2 AND state IN ('failed', 'needs_attention')",
    )?
    .execute(params![record.kind.as_str(), record.id, now_utc()])?;
    Ok(())
}

/// Problem codes the sync's pre-flight gives a record that waits on a decision elsewhere:
/// an item mapping, an item, a payment method or account QuickBooks lacks, a setting, or its
/// parent. When that decision is made the records are released ([`release_parked`]) and the
/// next sync checks them again (parking them anew if the cause is still there).
pub mod waits_on {
    use super::super::codes::ProblemCode::{self, *};
    use super::super::mappings::ItemRole::*;

    pub const MAPPING: &[ProblemCode] = &[
        NeedsMapping(ServiceItem),
        NeedsMapping(ServiceTaxItem),
        NeedsMapping(ProjectItem),
        NeedsMapping(ProjectTaxItem),
        MissingItem,
    ];
    pub const PAYMENT_METHOD: &[ProblemCode] = &[MissingPaymentMethod];
    pub const DEPOSIT_ACCOUNT: &[ProblemCode] = &[MissingAccount];
    pub const ESTIMATES: &[ProblemCode] = &[EstimatesOff, EstimatesOffInQuickBooks];
    pub const START_DATE: &[ProblemCode] = &[BeforeStartDate];
    pub const PARENT: &[ProblemCode] = &[WaitingOnParent];
    /// Everything that depends on what QuickBooks' lists hold (re-checked after each read).
    pub const QUICKBOOKS_LISTS: &[ProblemCode] = &[
        NeedsMapping(ServiceItem),
        NeedsMapping(ServiceTaxItem),
        NeedsMapping(ProjectItem),
        NeedsMapping(ProjectTaxItem),
        MissingItem,
        MissingPaymentMethod,
        MissingAccount,
        EstimatesOffInQuickBooks,
        WaitingOnParent,
    ];
}

/// Puts records parked with one of these problem codes back to pending, keeping their
/// problem as the reason they waited (the next pre-flight replaces or clears it). Returns
/// how many were released.
pub fn release_parked(tx: &Transaction<'_>, codes: &[ProblemCode]) -> Result<usize, StoreError> {
    let mut n = 0;
    let mut stmt = tx.prepare_cached(
        "UPDATE outbox SET state = 'pending', updated_at = ?2
         WHERE state = 'needs_attention' AND problem_code = ?1",
    )?;
    let now = now_utc();
    for code in codes {
        n += stmt.execute(params![code, now])?;
    }
    Ok(n)
}

/// The table holding a kind's app records (for lookups by guid).
fn record_table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Customer => "customers",
        RecordKind::Project => "projects",
        RecordKind::ServiceTicket => "service_tickets",
        RecordKind::Invoice => "invoices",
        RecordKind::Payment => "payments",
        RecordKind::Vendor => "vendors",
        RecordKind::Expense => "expenses",
    }
}

/// The app record whose ExternalGUID is `guid` (as stored: `{UPPER-UUID}`), if any.
pub fn find_by_guid(
    conn: &Connection,
    kind: RecordKind,
    guid: &str,
) -> Result<Option<String>, StoreError> {
    let sql = format!("SELECT id FROM {} WHERE guid = ?1", record_table(kind));
    Ok(conn.query_row(&sql, [guid], |r| r.get(0)).optional()?)
}

/// The app record QuickBooks knows by `qb_id` (ListID or TxnID), if any.
pub fn find_by_qb_id(
    conn: &Connection,
    kind: RecordKind,
    qb_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT record_id FROM outbox WHERE kind = ?1 AND qb_id = ?2",
            params![kind.as_str(), qb_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// How many records wait to be sent (pending, not in flight).
pub fn pending_count(conn: &Connection) -> Result<u64, StoreError> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM outbox WHERE state = 'pending'")?
        .query_row([], |r| r.get(0))?;
    Ok(n as u64)
}

/// QuickBooks no longer has a record it had (deleted there): it needs a person's decision,
/// and FieldBridge forgets the old id so that a retry adds it afresh rather than modifying
/// something that is gone. Never re-added silently.
pub fn flag_gone_from_quickbooks(
    tx: &Transaction<'_>,
    record: &RecordRef,
    problem: &Problem,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET state = 'needs_attention', qb_id = NULL, edit_sequence = NULL,
             dirty = 0, synced_revision = NULL,
             problem_code = ?3, problem_message = ?4, problem_text = ?5, advice = ?6,
             updated_at = ?7
         WHERE kind = ?1 AND record_id = ?2 AND state <> 'in_flight'
           -- A payment FieldBridge removed from QuickBooks itself (reversed) is gone on
           -- purpose: nothing for a person to do.
           AND NOT (kind = 'payment'
                    AND EXISTS (SELECT 1 FROM payment_reversals WHERE payment_id = ?2))",
    )?
    .execute(params![
        record.kind.as_str(),
        record.id,
        problem.code,
        problem.message,
        problem.text,
        problem.advice,
        now_utc()
    ])?;
    Ok(())
}

/// A record QuickBooks already had all along (a job found under its customer, a record
/// from a lost batch found by its ExternalGUID): synced with that id, whatever its state
/// (in flight included: the lost batch did reach QuickBooks).
pub fn adopt_existing(
    tx: &Transaction<'_>,
    record: &RecordRef,
    qb_id: &str,
    edit_sequence: Option<&str>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET state = 'synced', qb_id = ?3, edit_sequence = ?4,
             dirty = (sent_revision IS NOT NULL AND revision > sent_revision),
             synced_revision = coalesce(sent_revision, revision),
             batch_id = NULL, message_set_id = NULL, request_id = NULL,
             problem_code = NULL, problem_message = NULL, problem_text = NULL, advice = NULL,
             attempts = 0, updated_at = ?5
         WHERE kind = ?1 AND record_id = ?2",
    )?
    .execute(params![
        record.kind.as_str(),
        record.id,
        qb_id,
        edit_sequence,
        now_utc()
    ])?;
    // A change that arrived while the record was in flight still has to go out.
    tx.prepare_cached(
        "UPDATE outbox SET state = 'pending' WHERE kind = ?1 AND record_id = ?2 AND dirty = 1",
    )?
    .execute(params![record.kind.as_str(), record.id])?;
    Ok(())
}

/// A batch as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub session_id: i64,
    pub message_set_id: String,
    pub sent_at: String,
    pub request_digest: String,
    pub request_size: i64,
    pub answered_at: Option<String>,
    /// `sent`, `answered`, `rejected` (QuickBooks refused the whole request: HRESULT) or
    /// `resolved` (an unanswered batch settled later).
    pub state: String,
}

/// Batches sent whose answer never arrived, oldest first. Resolve these before sending more.
pub fn unanswered_batches(conn: &Connection) -> Result<Vec<Batch>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, session_id, message_set_id, sent_at, request_digest, request_size,
                answered_at, state
         FROM batches WHERE state = 'sent' ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Batch {
                id: r.get(0)?,
                session_id: r.get(1)?,
                message_set_id: r.get(2)?,
                sent_at: r.get(3)?,
                request_digest: r.get(4)?,
                request_size: r.get(5)?,
                answered_at: r.get(6)?,
                state: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchEnd {
    /// QuickBooks answered it.
    Answered,
    /// QuickBooks rejected the whole request (an HRESULT instead of a response).
    Rejected,
    /// Its answer was lost and it was settled afterwards.
    Resolved,
}

/// Records how a batch ended. Apply its records' outcomes in the same transaction.
pub fn finish_batch(tx: &Transaction<'_>, batch_id: i64, end: BatchEnd) -> Result<(), StoreError> {
    let state = match end {
        BatchEnd::Answered => "answered",
        BatchEnd::Rejected => "rejected",
        BatchEnd::Resolved => "resolved",
    };
    let n = tx
        .prepare_cached("UPDATE batches SET state = ?2, answered_at = ?3 WHERE id = ?1")?
        .execute(params![batch_id, state, now_utc()])?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "batch",
            id: batch_id.to_string(),
        });
    }
    Ok(())
}

/// FNV-1a (64 bit) of the request text, in hex: identifies a request in the batch log and
/// the history (which request was this?), not a security measure.
pub fn digest(text: &str) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = text
        .bytes()
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    format!("{hash:016x}")
}

/// A linked customer or job QuickBooks shows inactive (issue 11): QuickBooks refuses new
/// transactions for it, so it waits for a person with `problem`, keeping QuickBooks' id (the
/// link stands) and its dirty mark; records billed to it then wait on it. Only a synced record
/// is parked (a pending one carries a change that says whether it is active; one in flight is
/// settled first). Returns whether it was.
pub fn park_inactive_in_quickbooks(
    tx: &Transaction<'_>,
    record: &RecordRef,
    problem: &Problem,
) -> Result<bool, StoreError> {
    let n = tx
        .prepare_cached(
            "UPDATE outbox SET state = 'needs_attention',
                 problem_code = ?3, problem_message = ?4, problem_text = ?5, advice = ?6,
                 updated_at = ?7
             WHERE kind = ?1 AND record_id = ?2 AND state = 'synced' AND qb_id IS NOT NULL",
        )?
        .execute(params![
            record.kind.as_str(),
            record.id,
            problem.code,
            problem.message,
            problem.text,
            problem.advice,
            now_utc()
        ])?;
    Ok(n > 0)
}

/// Active again in QuickBooks: a record parked with `code` by
/// [`park_inactive_in_quickbooks`] is synced again, or pending when a change of it waits to
/// be sent.
pub fn release_active_in_quickbooks(
    tx: &Transaction<'_>,
    record: &RecordRef,
    code: &super::codes::ProblemCode,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET state = CASE WHEN dirty = 1 THEN 'pending' ELSE 'synced' END,
             problem_code = NULL, problem_message = NULL, problem_text = NULL, advice = NULL,
             attempts = 0, updated_at = ?4
         WHERE kind = ?1 AND record_id = ?2 AND state = 'needs_attention'
           AND problem_code = ?3",
    )?
    .execute(params![record.kind.as_str(), record.id, code, now_utc()])?;
    Ok(())
}

/// A customer flagged deleted in QuickBooks ([`flag_gone_from_quickbooks`], which reported
/// the deletion) now waits for a pairing decision: link it to another QuickBooks customer or
/// create it again. The problem's words stay.
pub fn wait_for_pairing(
    tx: &Transaction<'_>,
    record: &RecordRef,
    code: &super::codes::ProblemCode,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox SET problem_code = ?3, updated_at = ?4
         WHERE kind = ?1 AND record_id = ?2 AND state = 'needs_attention'",
    )?
    .execute(params![record.kind.as_str(), record.id, code, now_utc()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{customers, sessions, Store};

    fn store_with_customers(ids: &[&str]) -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                for id in ids {
                    customers::save(tx, &customers::Customer::named(id, &format!("Name {id}")))?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
    }

    fn c(id: &str) -> RecordRef {
        RecordRef::new(RecordKind::Customer, id)
    }

    fn send(store: &Store, ids: &[&str]) -> i64 {
        store
            .write(|tx| {
                let session = sessions::start(tx, Some("C:\\Co.qbw"))?;
                let batch = begin_batch(tx, session, &format!("ms-{}", ids.join("-")), "<QBXML/>")?;
                let recs: Vec<_> = ids
                    .iter()
                    .enumerate()
                    .map(|(i, id)| (c(id), i.to_string()))
                    .collect();
                mark_in_flight(tx, batch, &recs)?;
                Ok::<_, StoreError>(batch)
            })
            .unwrap()
    }

    fn state(store: &Store, id: &str) -> OutboxEntry {
        store.read(|conn| get(conn, &c(id))).unwrap().unwrap()
    }

    #[test]
    fn new_records_are_pending_in_dependency_and_import_order() {
        let store = store_with_customers(&["C-2", "C-1"]);
        let next = store.read(|c| next_pending_any(c, 10)).unwrap();
        let ids: Vec<_> = next.iter().map(|e| e.record.id.as_str()).collect();
        assert_eq!(ids, ["C-2", "C-1"], "oldest import first within a kind");
        assert!(next
            .iter()
            .all(|e| e.state == SyncState::Pending && e.qb_id.is_none()));
        let plan: String = store
            .read(|c| {
                c.query_row(
                    "EXPLAIN QUERY PLAN SELECT * FROM outbox WHERE state = 'pending' \
                     AND kind_rank = 0 ORDER BY id LIMIT 5",
                    [],
                    |r| r.get::<_, String>(3),
                )
                .map_err(StoreError::from)
            })
            .unwrap();
        assert!(
            plan.contains("outbox_next"),
            "the planner's query must use the index: {plan}"
        );
    }

    #[test]
    fn a_batch_goes_in_flight_whole_or_not_at_all() {
        let store = store_with_customers(&["C-1", "C-2"]);
        send(&store, &["C-1"]);
        let err = store
            .write(|tx| {
                let s = sessions::start(tx, None)?;
                let b = begin_batch(tx, s, "ms-x", "<QBXML/>")?;
                mark_in_flight(tx, b, &[(c("C-2"), "0".into()), (c("C-1"), "1".into())])
            })
            .expect_err("C-1 is already in flight");
        assert!(matches!(err, StoreError::BadTransition { .. }), "{err:?}");
        assert_eq!(
            state(&store, "C-2").state,
            SyncState::Pending,
            "C-2 must not stay in flight when the batch as a whole was refused"
        );
        assert_eq!(
            store.read(unanswered_batches).unwrap().len(),
            1,
            "the refused batch row must be rolled back with it"
        );
    }

    #[test]
    fn an_answer_moves_in_flight_to_synced_and_clears_the_batch() {
        let store = store_with_customers(&["C-1"]);
        let batch = send(&store, &["C-1"]);
        let e = state(&store, "C-1");
        assert_eq!(e.state, SyncState::InFlight);
        assert_eq!(e.batch_id, Some(batch));
        assert_eq!(e.request_id.as_deref(), Some("0"));
        assert_eq!(e.attempts, 1);
        store
            .write(|tx| {
                let s = mark_synced(tx, &c("C-1"), "80000001-1", Some("111"))?;
                finish_batch(tx, batch, BatchEnd::Answered)?;
                Ok::<_, StoreError>(s)
            })
            .unwrap();
        let e = state(&store, "C-1");
        assert_eq!(e.state, SyncState::Synced);
        assert_eq!(e.qb_id.as_deref(), Some("80000001-1"));
        assert_eq!(e.edit_sequence.as_deref(), Some("111"));
        assert!(!e.dirty && e.batch_id.is_none() && e.request_id.is_none());
        assert!(store.read(unanswered_batches).unwrap().is_empty());
    }

    #[test]
    fn bulk_updates_look_records_up_by_their_key() {
        let store = store_with_customers(&["C-1"]);
        for sql in [MARK_IN_FLIGHT_SQL, MARK_SYNCED_MANY_SQL] {
            let plan: Vec<String> = store
                .read(|c| {
                    let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                    let n = stmt.parameter_count();
                    let json = std::iter::repeat_n("[]", n);
                    let rows = stmt
                        .query_map(rusqlite::params_from_iter(json), |r| r.get::<_, String>(3))?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    Ok::<_, StoreError>(rows)
                })
                .unwrap();
            assert!(
                plan.iter()
                    .any(|p| p.contains("outbox") && p.contains("(kind=? AND record_id=?)")),
                "each listed record must be found by its key, not by scanning: {plan:?}"
            );
        }
    }

    #[test]
    fn many_answers_are_applied_with_the_rules_of_one() {
        let store = store_with_customers(&["C-1", "C-2", "C-3"]);
        let batch = send(&store, &["C-1", "C-2", "C-3"]);
        store
            .write(|tx| customers::save(tx, &customers::Customer::named("C-2", "Renamed")))
            .unwrap();
        let answers = |ids: &[&str]| -> Vec<(RecordRef, String, Option<String>)> {
            ids.iter()
                .map(|id| (c(id), format!("8000-{id}"), Some(format!("es-{id}"))))
                .collect()
        };
        store
            .write(|tx| {
                mark_synced_many(tx, &answers(&["C-1", "C-2", "C-3"]))?;
                finish_batch(tx, batch, BatchEnd::Answered)
            })
            .unwrap();
        for id in ["C-1", "C-3"] {
            let e = state(&store, id);
            assert_eq!(e.state, SyncState::Synced, "{id} is in QuickBooks");
            assert_eq!(e.qb_id, Some(format!("8000-{id}")), "{id} keeps its own id");
            assert_eq!(e.edit_sequence, Some(format!("es-{id}")));
            assert!(e.batch_id.is_none() && e.request_id.is_none() && !e.dirty);
        }
        let changed = state(&store, "C-2");
        assert_eq!(
            (changed.state, changed.dirty, changed.qb_id.as_deref()),
            (SyncState::Pending, true, Some("8000-C-2")),
            "a record changed while in flight still has its newer content to send"
        );
        let err = store
            .write(|tx| mark_synced_many(tx, &answers(&["C-1"])))
            .expect_err("C-1 is no longer in flight");
        assert!(matches!(err, StoreError::BadTransition { .. }), "{err:?}");
        assert_eq!(
            state(&store, "C-1").edit_sequence.as_deref(),
            Some("es-C-1"),
            "a refused answer changes nothing"
        );
        let many = store
            .read(|conn| get_many(conn, &[c("C-3"), c("C-1"), c("nobody")]))
            .unwrap();
        assert_eq!(many.len(), 2, "unknown records are left out");
        assert_eq!(many[&c("C-3")].qb_id.as_deref(), Some("8000-C-3"));
    }

    #[test]
    fn a_change_while_in_flight_is_not_lost() {
        let store = store_with_customers(&["C-1"]);
        send(&store, &["C-1"]);
        store
            .write(|tx| {
                let mut changed = customers::Customer::named("C-1", "Renamed");
                changed.email = Some("new@example.com".into());
                customers::save(tx, &changed)
            })
            .unwrap();
        assert_eq!(
            state(&store, "C-1").state,
            SyncState::InFlight,
            "the send is still out"
        );
        let after = store
            .write(|tx| mark_synced(tx, &c("C-1"), "80000001-1", Some("111")))
            .unwrap();
        assert_eq!(
            after,
            SyncState::Pending,
            "the newer content still has to go"
        );
        let e = state(&store, "C-1");
        assert!(
            e.dirty,
            "QuickBooks has an older version: the next send is a Mod"
        );
        assert_eq!(e.qb_id.as_deref(), Some("80000001-1"));
    }

    #[test]
    fn a_synced_record_that_changes_becomes_a_pending_update() {
        let store = store_with_customers(&["C-1"]);
        send(&store, &["C-1"]);
        store
            .write(|tx| mark_synced(tx, &c("C-1"), "80000001-1", Some("111")))
            .unwrap();
        store
            .write(|tx| customers::save(tx, &customers::Customer::named("C-1", "Renamed")))
            .unwrap();
        let e = state(&store, "C-1");
        assert_eq!((e.state, e.dirty), (SyncState::Pending, true));
        assert_eq!(e.edit_sequence.as_deref(), Some("111"), "the Mod needs it");
        store
            .write(|tx| settle_without_sending(tx, &c("C-1")))
            .unwrap();
        let e = state(&store, "C-1");
        assert_eq!((e.state, e.dirty), (SyncState::Synced, true));
    }

    #[test]
    fn failures_keep_quickbooks_words_and_ours_until_retried() {
        let store = store_with_customers(&["C-1"]);
        send(&store, &["C-1"]);
        let problem = Problem {
            code: Some(ProblemCode::QuickBooks(3100)),
            message: Some("The name \"Name C-1\" of the list element is already in use.".into()),
            text: "QuickBooks already has a customer named \"Name C-1\".".into(),
            advice: Some("Pair it on the Customers page.".into()),
        };
        store
            .write(|tx| mark_failed(tx, &c("C-1"), &problem))
            .unwrap();
        let e = state(&store, "C-1");
        assert_eq!(e.state, SyncState::Failed);
        assert_eq!(
            e.problem.as_ref(),
            Some(&problem),
            "both wordings must be kept"
        );
        assert!(e.batch_id.is_none(), "a failed record is out of its batch");
        let err = store
            .write(|tx| mark_synced(tx, &c("C-1"), "x", None))
            .expect_err("a failed record has no answer pending");
        assert!(matches!(err, StoreError::BadTransition { .. }));
        store.write(|tx| retry(tx, &c("C-1"))).unwrap();
        let e = state(&store, "C-1");
        assert_eq!(
            (e.state, e.problem, e.attempts),
            (SyncState::Pending, None, 0)
        );
    }

    #[test]
    fn requeue_returns_to_pending_with_the_reason_and_needs_attention_from_pending() {
        let store = store_with_customers(&["C-1", "C-2"]);
        send(&store, &["C-1"]);
        let why = Problem {
            text: "The customer list was in use in QuickBooks.".into(),
            ..Problem::default()
        };
        store
            .write(|tx| requeue(tx, &c("C-1"), Some(&why)))
            .unwrap();
        let e = state(&store, "C-1");
        assert_eq!(e.state, SyncState::Pending);
        assert_eq!(e.problem.map(|p| p.text), Some(why.text));
        assert_eq!(e.attempts, 1, "attempts count sends, so loops are visible");
        let long = Problem {
            code: Some(ProblemCode::NameTooLong),
            text: "The name is longer than QuickBooks' 41 characters.".into(),
            ..Problem::default()
        };
        store
            .write(|tx| mark_needs_attention(tx, &c("C-2"), &long))
            .unwrap();
        assert_eq!(state(&store, "C-2").state, SyncState::NeedsAttention);
    }

    #[test]
    fn the_digest_is_stable() {
        assert_eq!(digest(""), "cbf29ce484222325", "FNV-1a's offset basis");
        assert_eq!(digest("a"), "af63dc4c8601ec8c", "FNV-1a 64 of \"a\"");
    }
}
