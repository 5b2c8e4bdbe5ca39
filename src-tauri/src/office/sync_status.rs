//! The Sync page's header: the session in progress (live, from the engine's progress
//! events), the last session that ended, and record counts by state; and the progress event
//! in the window's shape (with the session's start time and final outcome from the store).
//!
//! Owns [`LiveProgress`] (the latest progress the engine announced) and the window's
//! `SyncProgress` / `SessionSummary` shapes. Does not run sessions (`sync/`).

use super::OfficeError;
use crate::events::{self, SyncRunState, SyncStage};
use crate::store::status::RecordCounts;
use crate::store::{sessions, status, Store, StoreError};
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// The `sync-progress` payload and `SyncStatus.current`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SyncProgress {
    pub session_id: i64,
    pub state: SyncRunState,
    pub phase: SyncStage,
    pub percent: u8,
    pub done: u64,
    pub total: u64,
    pub started_at: String,
    pub company_file: Option<String>,
    pub problem: Option<String>,
}

/// A session as the History page lists it (`history --json`'s fields plus `problem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SessionSummary {
    pub id: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub company_file: Option<String>,
    pub outcome: sessions::Outcome,
    pub requests: i64,
    pub created: i64,
    pub updated: i64,
    pub failed: i64,
    pub problem: Option<String>,
}

impl From<sessions::SessionSummary> for SessionSummary {
    fn from(s: sessions::SessionSummary) -> Self {
        Self {
            id: s.id,
            started_at: s.started_at,
            finished_at: s.finished_at,
            company_file: s.company_file,
            outcome: s.outcome,
            requests: s.requests,
            created: s.created,
            updated: s.updated,
            failed: s.failed,
            problem: s.message,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SyncStatus {
    pub current: Option<SyncProgress>,
    pub last_session: Option<SessionSummary>,
    pub records: RecordCounts,
}

/// The latest progress the engine announced (kept by whoever relays its events).
#[derive(Clone, Default)]
pub struct LiveProgress {
    latest: Arc<Mutex<Option<SyncProgress>>>,
}

impl LiveProgress {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&self, p: SyncProgress) {
        *self.latest.lock().unwrap_or_else(|e| e.into_inner()) = Some(p);
    }

    pub fn get(&self) -> Option<SyncProgress> {
        self.latest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The engine's progress event in the window's shape: the start time from the session row,
/// and, once the session ended, its outcome and problem as the store recorded them (the
/// store is the truth: `finish` writes the row before it announces the end).
pub fn progress_of(store: &Store, e: &events::SyncProgress) -> Result<SyncProgress, OfficeError> {
    let row = store.read(|c| sessions::summary(c, e.session_id))?;
    let (started_at, state, problem, company_file) = match &row {
        Some(s) => {
            let state = match s.outcome {
                sessions::Outcome::Running if e.running => SyncRunState::Running,
                sessions::Outcome::Running => e.state,
                sessions::Outcome::Failed | sessions::Outcome::Interrupted => SyncRunState::Failed,
                sessions::Outcome::Ok | sessions::Outcome::Errors => SyncRunState::Finished,
            };
            (
                s.started_at.clone(),
                state,
                s.message.clone().or_else(|| e.problem.clone()),
                e.company_file.clone().or_else(|| s.company_file.clone()),
            )
        }
        None => (
            crate::store::now_utc(),
            e.state,
            e.problem.clone(),
            e.company_file.clone(),
        ),
    };
    Ok(SyncProgress {
        session_id: e.session_id,
        state,
        phase: e.stage,
        percent: e.percent.min(100),
        done: e.done,
        total: e.total.max(e.done),
        started_at,
        company_file,
        problem: if state == SyncRunState::Failed {
            problem
        } else {
            None
        },
    })
}

/// The contract's `get_sync_status`.
pub fn status(store: &Store, live: &LiveProgress) -> Result<SyncStatus, OfficeError> {
    let (running, last, records) = store.read(|c| {
        Ok::<_, StoreError>((
            sessions::running(c)?,
            sessions::last_ended(c)?,
            status::status_counts(c)?,
        ))
    })?;
    // In progress: the engine says so and the store agrees (a row left `running` by a crash
    // is not a session in progress).
    let current = live.get().filter(|p| {
        p.state == SyncRunState::Running && running.as_ref().is_some_and(|r| r.id == p.session_id)
    });
    Ok(SyncStatus {
        current,
        last_session: last.map(SessionSummary::from),
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::test_support::store;

    fn event(id: i64, running: bool) -> events::SyncProgress {
        events::SyncProgress {
            session_id: id,
            stage: SyncStage::Invoices,
            state: if running {
                SyncRunState::Running
            } else {
                SyncRunState::Finished
            },
            percent: 40,
            done: 4,
            to_do: 6,
            total: 10,
            running,
            company_file: Some("C:\\Co.qbw".into()),
            problem: None,
        }
    }

    #[test]
    fn progress_takes_the_start_time_and_the_final_outcome_from_the_store() {
        let store = store();
        let id = store.write(|tx| sessions::start(tx, None)).unwrap();
        let p = progress_of(&store, &event(id, true)).unwrap();
        assert_eq!(p.state, SyncRunState::Running);
        assert_eq!(p.phase, SyncStage::Invoices);
        assert_eq!((p.done, p.total, p.percent), (4, 10, 40));
        assert!(
            p.started_at.ends_with('Z'),
            "RFC 3339 UTC from the session row"
        );
        store
            .write(|tx| {
                sessions::finish(
                    tx,
                    id,
                    sessions::Outcome::Failed,
                    Some("QuickBooks closed."),
                )
            })
            .unwrap();
        let p = progress_of(&store, &event(id, false)).unwrap();
        assert_eq!(p.state, SyncRunState::Failed, "the store's outcome wins");
        assert_eq!(p.problem.as_deref(), Some("QuickBooks closed."));
        let json = serde_json::to_value(&p).unwrap();
        for key in [
            "session_id",
            "state",
            "phase",
            "percent",
            "done",
            "total",
            "started_at",
            "company_file",
            "problem",
        ] {
            assert!(
                json.get(key).is_some(),
                "the contract's field {key} is present"
            );
        }
        assert_eq!(json["phase"], "invoices");
        assert_eq!(json["state"], "failed");
    }

    #[test]
    fn status_shows_a_running_session_only_while_the_engine_runs_it() {
        let store = store();
        let live = LiveProgress::new();
        let s = status(&store, &live).unwrap();
        assert!(
            s.current.is_none() && s.last_session.is_none(),
            "nothing ever ran"
        );
        let first = store.write(|tx| sessions::start(tx, None)).unwrap();
        store
            .write(|tx| sessions::finish(tx, first, sessions::Outcome::Errors, None))
            .unwrap();
        let second = store.write(|tx| sessions::start(tx, None)).unwrap();
        let s = status(&store, &live).unwrap();
        assert!(
            s.current.is_none(),
            "a running row without the engine's word is not shown"
        );
        live.set(progress_of(&store, &event(second, true)).unwrap());
        let s = status(&store, &live).unwrap();
        assert_eq!(s.current.map(|c| c.session_id), Some(second));
        let last = s.last_session.unwrap();
        assert_eq!((last.id, last.outcome), (first, sessions::Outcome::Errors));
    }
}
