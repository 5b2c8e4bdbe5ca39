//! Web Connector sessions and their history rows: what each sync did, to which record, with
//! QuickBooks' words and ours. Owns tables `sessions` and `history`. Answers
//! `fieldbridge history` (shared design `cli.md`).

use super::codes::{HistoryAction, HistoryOutcome, ProblemCode};
use super::records::RecordRef;
use super::{now_utc, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// How a session ended (`running` until it does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Running,
    /// Finished, nothing failed.
    Ok,
    /// Finished, some records failed or need attention.
    Errors,
    /// The session itself failed (QuickBooks unreachable, wrong company file, ...).
    Failed,
    /// FieldBridge stopped while the session ran (closed, crashed, the PC shut down); the
    /// next start closed it. What QuickBooks received is settled by the next session.
    Interrupted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Running => "running",
            Outcome::Ok => "ok",
            Outcome::Errors => "errors",
            Outcome::Failed => "failed",
            Outcome::Interrupted => "interrupted",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "running" => Outcome::Running,
            "ok" => Outcome::Ok,
            "errors" => Outcome::Errors,
            "failed" => Outcome::Failed,
            "interrupted" => Outcome::Interrupted,
            other => {
                return Err(StoreError::Corrupt {
                    place: "sessions.outcome",
                    value: other.to_owned(),
                    expected: "running, ok, errors, failed or interrupted",
                })
            }
        })
    }
}

/// One session as `history --json` shows it (field names are a contract).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionSummary {
    pub id: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub company_file: Option<String>,
    pub outcome: Outcome,
    /// Why the session failed, in plain English.
    pub message: Option<String>,
    pub requests: i64,
    pub created: i64,
    pub updated: i64,
    pub failed: i64,
}

/// One thing a session did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryRow {
    pub session_id: Option<i64>,
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    pub action: HistoryAction,
    pub outcome: HistoryOutcome,
    pub qb_code: Option<String>,
    pub qb_message: Option<String>,
    /// Plain English.
    pub text: Option<String>,
    pub at: String,
}

/// A history row to write (the time is the store's).
#[derive(Debug, Clone)]
pub struct NewHistory<'a> {
    pub record: Option<&'a RecordRef>,
    pub action: HistoryAction,
    pub outcome: HistoryOutcome,
    /// QuickBooks' status code or FieldBridge's own problem code.
    pub qb_code: Option<&'a ProblemCode>,
    pub qb_message: Option<&'a str>,
    pub text: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionDetail {
    #[serde(flatten)]
    pub session: SessionSummary,
    pub history: Vec<HistoryRow>,
}

/// Opens a session row (outcome `running`). Returns its id.
pub fn start(tx: &Transaction<'_>, company_file: Option<&str>) -> Result<i64, StoreError> {
    tx.prepare_cached("INSERT INTO sessions (started_at, company_file) VALUES (?1, ?2)")?
        .execute(params![now_utc(), company_file])?;
    Ok(tx.last_insert_rowid())
}

/// The company file became known (first sendRequestXML).
pub fn set_company_file(tx: &Transaction<'_>, id: i64, file: &str) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE sessions SET company_file = ?2 WHERE id = ?1")?
        .execute(params![id, file])?;
    Ok(())
}

/// Adds to the session's counters (requests sent; records created, updated, failed).
pub fn add_counts(
    tx: &Transaction<'_>,
    id: i64,
    requests: i64,
    created: i64,
    updated: i64,
    failed: i64,
) -> Result<(), StoreError> {
    let n = tx
        .prepare_cached(
            "UPDATE sessions SET requests = requests + ?2, created = created + ?3,
             updated = updated + ?4, failed = failed + ?5 WHERE id = ?1",
        )?
        .execute(params![id, requests, created, updated, failed])?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "session",
            id: id.to_string(),
        });
    }
    Ok(())
}

/// Ends the session.
pub fn finish(
    tx: &Transaction<'_>,
    id: i64,
    outcome: Outcome,
    message: Option<&str>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE sessions SET finished_at = ?2, outcome = ?3, message = ?4 WHERE id = ?1",
    )?
    .execute(params![id, now_utc(), outcome.as_str(), message])?;
    Ok(())
}

/// Writes one history row (session None: a change outside a session, such as a pairing).
pub fn add_history(
    tx: &Transaction<'_>,
    session_id: Option<i64>,
    h: &NewHistory<'_>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO history (session_id, record_kind, record_id, action, outcome, qb_code,
             qb_message, text, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        session_id,
        h.record.map(|r| r.kind.as_str()),
        h.record.map(|r| r.id.as_str()),
        h.action,
        h.outcome,
        h.qb_code,
        h.qb_message,
        h.text,
        now_utc()
    ])?;
    Ok(())
}

/// An owned history row, for writing many at once with [`add_history_rows`].
#[derive(Debug, Clone)]
pub struct OwnedHistory {
    pub record: Option<RecordRef>,
    pub action: HistoryAction,
    pub outcome: HistoryOutcome,
    pub qb_code: Option<ProblemCode>,
    pub qb_message: Option<String>,
    pub text: Option<String>,
}

/// Writes many history rows of one session in one statement, in the order given.
pub fn add_history_rows(
    tx: &Transaction<'_>,
    session_id: Option<i64>,
    rows: &[OwnedHistory],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let list = super::records::json_rows(
        rows.iter()
            .map(|h| {
                (
                    h.record.as_ref().map(|r| r.kind.as_str()),
                    h.record.as_ref().map(|r| r.id.as_str()),
                    h.action.as_str(),
                    h.outcome.as_str(),
                    h.qb_code.as_ref().map(ProblemCode::to_text),
                    &h.qb_message,
                    &h.text,
                )
            })
            .collect(),
    )?;
    tx.prepare_cached(
        "INSERT INTO history (session_id, record_kind, record_id, action, outcome, qb_code,
             qb_message, text, at)
         SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3,
             j.value ->> 4, j.value ->> 5, j.value ->> 6, ?3
         FROM jsonb_each(?2) AS j ORDER BY j.key",
    )?
    .execute(params![session_id, list, now_utc()])?;
    Ok(())
}

const SESSION_COLUMNS: &str =
    "id, started_at, finished_at, company_file, outcome, message, requests, created, updated, failed";

fn session_row(r: &Row<'_>) -> rusqlite::Result<(SessionSummary, String)> {
    Ok((
        SessionSummary {
            id: r.get(0)?,
            started_at: r.get(1)?,
            finished_at: r.get(2)?,
            company_file: r.get(3)?,
            outcome: Outcome::Running,
            message: r.get(5)?,
            requests: r.get(6)?,
            created: r.get(7)?,
            updated: r.get(8)?,
            failed: r.get(9)?,
        },
        r.get(4)?,
    ))
}

fn with_outcome((mut s, outcome): (SessionSummary, String)) -> Result<SessionSummary, StoreError> {
    s.outcome = Outcome::parse(&outcome)?;
    Ok(s)
}

/// The latest sessions, newest first.
pub fn list_sessions(conn: &Connection, limit: usize) -> Result<Vec<SessionSummary>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([limit as i64], session_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(with_outcome).collect()
}

/// One session with everything it did, in order. None: no such session.
pub fn session_detail(conn: &Connection, id: i64) -> Result<Option<SessionDetail>, StoreError> {
    let raw = conn
        .query_row(
            &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"),
            [id],
            session_row,
        )
        .optional()?;
    let Some(raw) = raw else {
        return Ok(None);
    };
    let session = with_outcome(raw)?;
    let mut stmt = conn.prepare_cached(
        "SELECT session_id, record_kind, record_id, action, outcome, qb_code, qb_message, text, at
         FROM history WHERE session_id = ?1 ORDER BY id",
    )?;
    let history = stmt
        .query_map([id], raw_history)?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(RawHistory::into_row)
        .collect::<Result<_, _>>()?;
    Ok(Some(SessionDetail { session, history }))
}

/// One page of sessions, newest first, and how many there are in all.
pub fn page(
    conn: &Connection,
    offset: u64,
    limit: u64,
) -> Result<(Vec<SessionSummary>, u64), StoreError> {
    let total: i64 = conn.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions ORDER BY id DESC LIMIT ?1 OFFSET ?2"
    ))?;
    let rows = stmt
        .query_map(params![limit as i64, offset as i64], session_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((
        rows.into_iter()
            .map(with_outcome)
            .collect::<Result<_, _>>()?,
        total as u64,
    ))
}

/// One session's summary, if there is such a session.
pub fn summary(conn: &Connection, id: i64) -> Result<Option<SessionSummary>, StoreError> {
    conn.query_row(
        &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"),
        [id],
        session_row,
    )
    .optional()?
    .map(with_outcome)
    .transpose()
}

/// The latest session that ended, if any.
pub fn last_ended(conn: &Connection) -> Result<Option<SessionSummary>, StoreError> {
    conn.query_row(
        &format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE outcome <> 'running'
             ORDER BY id DESC LIMIT 1"
        ),
        [],
        session_row,
    )
    .optional()?
    .map(with_outcome)
    .transpose()
}

/// The latest session still running, if any.
pub fn running(conn: &Connection) -> Result<Option<SessionSummary>, StoreError> {
    conn.query_row(
        &format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE outcome = 'running'
             ORDER BY id DESC LIMIT 1"
        ),
        [],
        session_row,
    )
    .optional()?
    .map(with_outcome)
    .transpose()
}

/// Every history row of every session (and changes outside sessions), oldest first.
pub fn all_history(conn: &Connection) -> Result<Vec<HistoryRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT session_id, record_kind, record_id, action, outcome, qb_code, qb_message, text, at
         FROM history ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], raw_history)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(RawHistory::into_row).collect()
}

/// A history row as read (action and outcome still text).
struct RawHistory(HistoryRow, String, String);

fn raw_history(r: &Row<'_>) -> rusqlite::Result<RawHistory> {
    Ok(RawHistory(
        HistoryRow {
            session_id: r.get(0)?,
            record_kind: r.get(1)?,
            record_id: r.get(2)?,
            action: HistoryAction::Check,
            outcome: HistoryOutcome::Ok,
            qb_code: r.get(5)?,
            qb_message: r.get(6)?,
            text: r.get(7)?,
            at: r.get(8)?,
        },
        r.get(3)?,
        r.get(4)?,
    ))
}

impl RawHistory {
    fn into_row(self) -> Result<HistoryRow, StoreError> {
        let RawHistory(mut row, action, outcome) = self;
        row.action = HistoryAction::parse(&action)?;
        row.outcome = HistoryOutcome::parse(&outcome)?;
        Ok(row)
    }
}

/// The note written on a session that was still `running` when FieldBridge started again.
pub const INTERRUPTED_NOTE: &str = "FieldBridge stopped while this sync was running (it was closed, or the computer shut down). Nothing is lost: the next sync checks what QuickBooks received and carries on.";

/// Closes every session left `running` by a FieldBridge that stopped mid-run, as
/// `interrupted` with [`INTERRUPTED_NOTE`]. Call it when the sync engine starts, before its
/// first session (never from a second process while an engine runs: its session is live).
/// Returns how many were closed.
pub fn close_interrupted(tx: &Transaction<'_>) -> Result<usize, StoreError> {
    Ok(tx
        .prepare_cached(
            "UPDATE sessions SET outcome = 'interrupted', message = ?1,
                 finished_at = coalesce(finished_at, ?2)
             WHERE outcome = 'running'",
        )?
        .execute(params![INTERRUPTED_NOTE, now_utc()])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::records::RecordKind;
    use crate::store::Store;

    #[test]
    fn many_history_rows_are_written_in_order_with_every_field() {
        let store = Store::open_in_memory().unwrap();
        let rows = vec![
            OwnedHistory {
                record: Some(RecordRef::new(RecordKind::Invoice, "I-2")),
                action: HistoryAction::Add,
                outcome: HistoryOutcome::Created,
                qb_code: None,
                qb_message: None,
                text: Some("Invoice 2 was added to QuickBooks.".into()),
            },
            OwnedHistory {
                record: Some(RecordRef::new(RecordKind::Invoice, "I-1")),
                action: HistoryAction::Add,
                outcome: HistoryOutcome::Failed,
                qb_code: Some(ProblemCode::QuickBooks(3140)),
                qb_message: Some("There is an invalid reference \"x\" with 'quotes'.".into()),
                text: Some("Invoice 1 names a customer QuickBooks does not have.".into()),
            },
            OwnedHistory {
                record: None,
                action: HistoryAction::Check,
                outcome: HistoryOutcome::TaxDifference,
                qb_code: None,
                qb_message: None,
                text: None,
            },
        ];
        let id = store
            .write(|tx| {
                let id = start(tx, None)?;
                add_history_rows(tx, Some(id), &rows)?;
                add_history_rows(tx, Some(id), &[])?;
                Ok::<_, StoreError>(id)
            })
            .unwrap();
        let written = store.read(all_history).unwrap();
        assert_eq!(
            written.len(),
            3,
            "one row per entry, none for an empty list"
        );
        let ids: Vec<_> = written.iter().map(|h| h.record_id.as_deref()).collect();
        assert_eq!(ids, [Some("I-2"), Some("I-1"), None], "in the order given");
        let failed = &written[1];
        assert_eq!(failed.session_id, Some(id));
        assert_eq!(failed.record_kind.as_deref(), Some("invoice"));
        assert_eq!(
            (failed.action, failed.outcome),
            (HistoryAction::Add, HistoryOutcome::Failed)
        );
        assert_eq!(failed.qb_code.as_deref(), Some("3140"), "codes stay text");
        assert_eq!(
            failed.qb_message, rows[1].qb_message,
            "QuickBooks' words are kept verbatim, quotes included"
        );
        assert_eq!(failed.text, rows[1].text);
    }

    #[test]
    fn sessions_list_newest_first_with_their_history() {
        let store = Store::open_in_memory().unwrap();
        let (first, second) = store
            .write(|tx| -> Result<(i64, i64), StoreError> {
                let a = start(tx, Some("C:\\Co.qbw"))?;
                add_counts(tx, a, 2, 1, 0, 1)?;
                let rec = RecordRef::new(RecordKind::Customer, "C-1");
                add_history(
                    tx,
                    Some(a),
                    &NewHistory {
                        record: Some(&rec),
                        action: HistoryAction::Add,
                        outcome: HistoryOutcome::Failed,
                        qb_code: Some(&ProblemCode::QuickBooks(3100)),
                        qb_message: Some("name in use"),
                        text: Some("QuickBooks already has a customer named Ecker."),
                    },
                )?;
                finish(tx, a, Outcome::Errors, None)?;
                let b = start(tx, None)?;
                Ok((a, b))
            })
            .unwrap();
        let list = store.read(|c| list_sessions(c, 10)).unwrap();
        assert_eq!(
            list.iter().map(|s| s.id).collect::<Vec<_>>(),
            [second, first],
            "newest first"
        );
        assert_eq!(list[0].outcome, Outcome::Running);
        assert_eq!(
            (list[1].requests, list[1].created, list[1].failed),
            (2, 1, 1)
        );
        let d = store.read(|c| session_detail(c, first)).unwrap().unwrap();
        assert_eq!(d.session.outcome, Outcome::Errors);
        assert!(d.session.finished_at.is_some());
        assert_eq!(d.history.len(), 1);
        assert_eq!(d.history[0].qb_code.as_deref(), Some("3100"));
        assert_eq!(d.history[0].record_kind.as_deref(), Some("customer"));
        let json = serde_json::to_value(&list[1]).unwrap();
        for key in [
            "id",
            "started_at",
            "finished_at",
            "company_file",
            "outcome",
            "requests",
            "created",
            "updated",
            "failed",
        ] {
            assert!(json.get(key).is_some(), "history --json promises {key}");
        }
        assert_eq!(json["outcome"], "errors");
        assert_eq!(store.read(|c| session_detail(c, 999)).unwrap(), None);
    }

    /// Issue 17: a session killed mid-run stayed "running" in History forever.
    #[test]
    fn a_session_left_running_is_closed_as_interrupted_with_a_note() {
        let store = Store::open_in_memory().unwrap();
        let (done, killed) = store
            .write(|tx| {
                let done = start(tx, None)?;
                finish(tx, done, Outcome::Ok, None)?;
                Ok::<_, StoreError>((done, start(tx, None)?))
            })
            .unwrap();
        assert_eq!(
            store.write(close_interrupted).unwrap(),
            1,
            "only the running one"
        );
        let s = store.read(|c| summary(c, killed)).unwrap().unwrap();
        assert_eq!(s.outcome, Outcome::Interrupted);
        assert_eq!(s.message.as_deref(), Some(INTERRUPTED_NOTE));
        assert!(
            s.finished_at.is_some(),
            "it ended, as far as History is concerned"
        );
        assert_eq!(serde_json::to_value(s.outcome).unwrap(), "interrupted");
        let ok = store.read(|c| summary(c, done)).unwrap().unwrap();
        assert_eq!(ok.outcome, Outcome::Ok, "finished sessions are left alone");
        assert!(store.read(running).unwrap().is_none());
        assert_eq!(store.write(close_interrupted).unwrap(), 0, "idempotent");
    }
}
