//! The sync engine: the [`QbwcHandler`] behind the Web Connector endpoint. It plans each
//! batch, builds it with [`crate::qbxml`], records it in flight, and applies QuickBooks'
//! answers to the [`crate::store`]: one transaction per round trip, holding the answer, its
//! consequences and the next batch.
//!
//! # One Web Connector session
//!
//! 1. `authenticate` → [`Engine::open_session`]: a session row, or `none` when nothing is
//!    pending and QuickBooks was read a moment ago.
//! 2. First `sendRequestXML`: read the company, its qbXML versions and preferences from the
//!    `strHCPResponse`; bind this data folder to that company file at the first sync, refuse
//!    any other file ([`session`]).
//! 3. **Pull** ([`pull`]): customers and jobs, items, accounts, payment methods, sales tax
//!    codes, our invoices' balances, payments, deletions; incremental by modified date with an
//!    overlap window, several queries per message set, iterators with large pages.
//! 4. **Resolve** ([`recover`]): a batch sent in an earlier session whose answer never came is
//!    settled before anything new goes out: each record in it is looked up by its
//!    ExternalGUID in what the pull just read; found → synced, not found → pending again.
//! 5. **Push** ([`push`]): parents first (customers, projects as jobs, tickets as estimates,
//!    invoices, payments), one kind per message set, pre-flight checks before anything is
//!    sent; answers applied by requestID ([`apply`]).
//! 6. Percent: honest and non-decreasing; 100 only when nothing known is left to do,
//!    including records imported while the session ran.
//!
//! # Invariants
//!
//! - INVARIANT: a batch is recorded in flight (with every record in it) in the same
//!   transaction that builds it, before its XML leaves the process. So a crash at any instant
//!   leaves either nothing sent, or a batch the next session resolves by ExternalGUID.
//! - INVARIANT: every add carries the record's stable ExternalGUID; every batch carries a new
//!   `newMessageSetID`.
//! - INVARIANT: an answer and all its consequences (sync state, mirror rows, history, session
//!   counters) commit in one transaction, together with the next batch recorded in flight.

mod apply;
mod plan_context;
mod pull;
mod push;
mod recover;
mod session;
pub mod status;

/// The settings key that asks the next session to read QuickBooks' whole customer list again
/// (the window's "Refresh from QuickBooks").
pub use session::REFRESH_CUSTOMERS;

use crate::events::{AppEvent, EventBus, SyncProgress};
use crate::qbwc::{
    EndpointEvent, OpenSession, QbwcHandler, ReceiveResponseXml, SendRequestXml, SessionKey,
};
use crate::store::{outbox, sessions, settings, Store, StoreError};
use rusqlite::Transaction;
use session::Session;
use std::sync::{Mutex, MutexGuard};

/// How many records one push message set carries. QuickBooks processes a message set in
/// one go; 100 keeps each answer well under a megabyte while a 10,000-invoice first sync
/// stays at about a hundred round trips (see README "Benchmarks").
pub const PUSH_BATCH_SIZE: usize = 100;

/// `MaxReturned` of list and transaction queries: one page of a pull.
pub const PULL_PAGE_SIZE: u32 = 1000;

/// A session that finds nothing pending answers `none` if QuickBooks was read this recently,
/// so a Web Connector scheduled every few minutes does not open QuickBooks for nothing.
pub const QUIET_INTERVAL_SECONDS: i64 = 10 * 60;

/// What the Web Connector shows when a session could not do its work, and what it shows
/// when everything is fine: words for the office manager.
const NOTHING_TO_DO: &str = "FieldBridge: everything is up to date.";

/// The engine. One per data folder; shared by the endpoint's sessions (one at a time).
pub struct Engine {
    store: Store,
    events: EventBus,
    /// The session in progress. A std Mutex: held only for short, blocking sections
    /// (handler methods run on blocking threads), never across an await.
    active: Mutex<Option<Session>>,
    /// The last problem outside any session (unknown session), for getLastError.
    last_error: Mutex<Option<String>>,
}

impl Engine {
    pub fn new(store: Store, events: EventBus) -> Self {
        Self {
            store,
            events,
            active: Mutex::new(None),
            last_error: Mutex::new(None),
        }
    }

    fn active(&self) -> MutexGuard<'_, Option<Session>> {
        // A panic inside a handler poisons nothing we cannot recover: the session state is
        // rebuilt from the store at the next session.
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_engine_error(&self, text: impl Into<String>) {
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(text.into());
    }

    fn emit_progress(&self, s: &Session) {
        use crate::events::{SyncRunState, SyncStage};
        use session::Phase;
        let stage = match s.current_phase {
            _ if s.finished => SyncStage::Finishing,
            Phase::Starting => SyncStage::Starting,
            Phase::ReadingQuickBooks if !s.company_checked => SyncStage::ReadingCompany,
            Phase::ReadingQuickBooks => SyncStage::ReadingLists,
            Phase::Checking => SyncStage::Checking,
            Phase::Customers => SyncStage::Customers,
            Phase::Projects => SyncStage::Jobs,
            Phase::Tickets => SyncStage::Estimates,
            Phase::Invoices => SyncStage::Invoices,
            Phase::Payments => SyncStage::Payments,
            Phase::Finishing => SyncStage::Finishing,
        };
        let problem = s.failed_session.clone();
        let state = match (s.finished, &problem) {
            (false, _) => SyncRunState::Running,
            (true, Some(_)) => SyncRunState::Failed,
            (true, None) => SyncRunState::Finished,
        };
        // Records, not requests: what the office manager counts.
        let records_done = s.created + s.updated + s.failed + s.needs_attention;
        self.events.emit(AppEvent::SyncProgress(SyncProgress {
            session_id: s.id,
            stage,
            state,
            percent: s.percent.clamp(0, 100) as u8,
            done: records_done,
            to_do: s.known_remaining,
            total: records_done + s.known_remaining,
            running: !s.finished,
            company_file: (!s.company.file.is_empty()).then(|| s.company.file.clone()),
            problem,
        }));
    }

    /// Ends the session: outcome, history, events. Safe to call twice.
    fn finish(&self, s: &mut Session, failure: Option<&str>) {
        if s.finished {
            return;
        }
        s.finished = true;
        let outcome = if failure.is_some() || s.failed_session.is_some() {
            sessions::Outcome::Failed
        } else if s.failed > 0 || s.needs_attention > 0 {
            sessions::Outcome::Errors
        } else {
            sessions::Outcome::Ok
        };
        let message = failure
            .map(str::to_owned)
            .or_else(|| s.failed_session.clone());
        let pulled = s.pull_complete;
        let id = s.id;
        let result = self.store.write(|tx| {
            sessions::finish(tx, id, outcome, message.as_deref())?;
            if pulled {
                settings::set_raw(tx, session::LAST_FULL_RUN, Some(&crate::store::now_utc()))?;
            }
            Ok::<_, StoreError>(())
        });
        if let Err(e) = result {
            tracing::error!(session = id, "could not record the end of the session: {e}");
        }
        tracing::info!(
            session = id,
            outcome = outcome.as_str(),
            created = s.created,
            updated = s.updated,
            failed = s.failed,
            "session ended"
        );
        self.emit_progress(s);
        self.events.emit(AppEvent::SessionFinished {
            session_id: id,
            outcome: outcome.as_str().to_owned(),
            failed: s.failed + s.needs_attention,
        });
    }

    /// A store failure inside a call: the session cannot go on safely. Whatever was sent
    /// stays recorded in flight and is resolved at the next session.
    fn store_failure(&self, s: &mut Session, e: &StoreError) -> String {
        tracing::error!(session = s.id, "store error during the session: {e}");
        let text = format!(
            "FieldBridge could not save its work ({e}). Nothing is lost: the next Web Connector run picks up where this one stopped."
        );
        s.last_error = Some(text.clone());
        s.failed_session = Some(text.clone());
        text
    }
}

impl QbwcHandler for Engine {
    fn open_session(&self, key: SessionKey) -> OpenSession {
        let mut guard = self.active();
        if let Some(old) = guard.as_mut() {
            // The endpoint only opens a session when none is active; an old one left here
            // was abandoned without notice.
            self.finish(
                old,
                Some("The Web Connector started a new run before this one ended."),
            );
        }
        *guard = None;
        let started = self.store.write(|tx| {
            settings::note_contact(tx)?;
            if !session::has_work(tx)? {
                return Ok(None);
            }
            let binding = settings::company_binding(tx)?;
            let id = sessions::start(tx, binding.as_ref().map(|b| b.company_file.as_str()))?;
            Ok::<_, StoreError>(Some(id))
        });
        self.events.emit(AppEvent::ConnectionChanged);
        match started {
            Ok(None) => {
                tracing::info!("the Web Connector called; nothing to do");
                OpenSession::NothingToDo
            }
            Ok(Some(id)) => {
                tracing::info!(session = id, "sync session started");
                let s = Session::new(key, id);
                self.emit_progress(&s);
                *guard = Some(s);
                OpenSession::Work {
                    company_file: String::new(),
                }
            }
            Err(e) => {
                tracing::error!("cannot start a session: {e}");
                self.set_engine_error(format!("FieldBridge could not open its database: {e}"));
                OpenSession::Busy
            }
        }
    }

    fn send_request_xml(&self, key: SessionKey, call: &SendRequestXml) -> String {
        let mut guard = self.active();
        let Some(s) = guard.as_mut().filter(|s| s.key == key) else {
            self.set_engine_error(
                "FieldBridge has no record of this Web Connector session. Run the Web Connector again.",
            );
            return String::new();
        };
        if s.finished {
            return String::new();
        }
        if !s.company_checked {
            if let Err(text) = session::check_company(&self.store, s, call) {
                s.last_error = Some(text.clone());
                s.failed_session = Some(text.clone());
                self.finish(s, Some(&text));
                return String::new();
            }
            self.events.emit(AppEvent::ConnectionChanged);
            match self.store.write(|tx| self.prepare_next(tx, s)) {
                Ok(true) => {}
                Ok(false) => {
                    s.last_error = Some(NOTHING_TO_DO.to_owned());
                    self.finish(s, None);
                    return String::new();
                }
                Err(e) => {
                    let text = self.store_failure(s, &e);
                    self.finish(s, Some(&text));
                    return String::new();
                }
            }
        }
        if s.outstanding.is_some() {
            // QuickBooks has not answered the last batch: never send work twice.
            let text = "The Web Connector asked for more work before QuickBooks answered the last request. FieldBridge stopped this run so nothing is sent twice; the next run carries on.".to_owned();
            s.last_error = Some(text.clone());
            self.finish(s, Some(&text));
            return String::new();
        }
        match s.prepared.take() {
            Some(batch) => {
                let xml = batch.xml.clone();
                tracing::info!(
                    session = s.id,
                    requests = batch.requests.len(),
                    bytes = xml.len(),
                    "sending a batch"
                );
                tracing::debug!(request = %xml, "qbXML request");
                s.outstanding = Some(batch);
                xml
            }
            None => {
                s.last_error = Some(NOTHING_TO_DO.to_owned());
                String::new()
            }
        }
    }

    fn receive_response_xml(&self, key: SessionKey, call: &ReceiveResponseXml) -> i32 {
        let mut guard = self.active();
        let Some(s) = guard.as_mut().filter(|s| s.key == key) else {
            self.set_engine_error(
                "FieldBridge has no record of this Web Connector session. Run the Web Connector again.",
            );
            return -1;
        };
        let Some(batch) = s.outstanding.take() else {
            s.last_error =
                Some("QuickBooks answered a request FieldBridge did not send in this run.".into());
            return -1;
        };
        tracing::debug!(response = %call.response, "qbXML response");
        // The answer, its consequences and the next batch (recorded in flight) commit in
        // one transaction: one sync to disk per round trip. Should planning the next batch
        // fail, the answer is not applied either; its batch stays in flight and the next
        // session settles it by ExternalGUID, as after a crash.
        let next = if call.response.trim().is_empty() {
            self.store
                .write(|tx| apply::rejected_batch(tx, s, &batch, &call.hresult, &call.message))
                .map(Err)
        } else {
            match apply::read_answer(s, &call.response) {
                Err(text) => Ok(Err(text)),
                Ok(msgs) => self.store.write(|tx| {
                    apply::answered_batch(tx, s, &batch, &msgs)?;
                    self.prepare_next(tx, s).map(Ok)
                }),
            }
        };
        match next {
            Ok(Ok(true)) => {
                self.events.emit(AppEvent::RecordsChanged);
                s.update_percent(false);
                self.emit_progress(s);
                s.percent
            }
            Ok(Ok(false)) => {
                self.events.emit(AppEvent::RecordsChanged);
                s.update_percent(true);
                self.finish(s, None);
                100
            }
            // A refused or unreadable answer: the session cannot go on.
            Ok(Err(text)) => {
                s.last_error = Some(text.clone());
                s.failed_session = Some(text.clone());
                self.finish(s, Some(&text));
                self.events.emit(AppEvent::RecordsChanged);
                -1
            }
            Err(e) => {
                let text = self.store_failure(s, &e);
                self.finish(s, Some(&text));
                -1
            }
        }
    }

    fn get_last_error(&self, key: SessionKey) -> String {
        let guard = self.active();
        if let Some(s) = guard.as_ref().filter(|s| s.key == key) {
            if let Some(text) = &s.last_error {
                return text.clone();
            }
        }
        drop(guard);
        self.last_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .unwrap_or_else(|| NOTHING_TO_DO.to_owned())
    }

    fn connection_error(&self, key: SessionKey, hresult: &str, message: &str) -> String {
        let (what, todo) = status::explain_hresult(hresult, message);
        let text = format!("{what} {todo}");
        tracing::warn!(hresult, "the Web Connector could not reach QuickBooks");
        let mut guard = self.active();
        if let Some(s) = guard.as_mut().filter(|s| s.key == key) {
            s.last_error = Some(text.clone());
            s.failed_session = Some(text.clone());
            self.finish(s, Some(&text));
        } else {
            self.set_engine_error(text);
        }
        self.events.emit(AppEvent::ConnectionChanged);
        "done".to_owned()
    }

    fn close_connection(&self, key: SessionKey) -> String {
        let mut guard = self.active();
        let Some(mut s) = guard.take_if(|s| s.key == key) else {
            return "FieldBridge: the run has ended.".to_owned();
        };
        if !s.finished {
            let early = if s.outstanding.is_some() {
                Some("The Web Connector ended the run before QuickBooks answered; the next run checks what QuickBooks did.")
            } else {
                None
            };
            self.finish(&mut s, early);
        }
        self.events.emit(AppEvent::ConnectionChanged);
        s.closing_words()
    }

    fn abandon_session(&self, key: SessionKey) {
        let mut guard = self.active();
        if let Some(mut s) = guard.take_if(|s| s.key == key) {
            self.finish(
                &mut s,
                Some("The Web Connector stopped calling in the middle of the run. Nothing is lost: the next run carries on."),
            );
        }
    }

    fn on_event(&self, event: EndpointEvent) {
        match &event {
            EndpointEvent::AuthenticationFailed { .. } => {
                self.set_engine_error(
                    "The Web Connector sent a wrong password. Copy the password from FieldBridge's Connect page into the Web Connector's Password column.",
                );
            }
            EndpointEvent::Throttled { seconds } => {
                self.set_engine_error(format!(
                    "Too many wrong passwords: FieldBridge refuses the Web Connector for {seconds} seconds. Copy the password from FieldBridge's Connect page into the Web Connector."
                ));
            }
            EndpointEvent::UnknownTicket { .. } => {}
        }
        self.events.emit(AppEvent::ConnectionChanged);
    }
}

impl Engine {
    /// Plans the next batch of the session, committing it in flight, and keeps it ready for
    /// the next `sendRequestXML`. `Ok(false)`: nothing left to do.
    fn prepare_next(&self, tx: &Transaction<'_>, s: &mut Session) -> Result<bool, StoreError> {
        let batch = match pull::next_batch(tx, s)? {
            Some(batch) => Some(batch),
            None => {
                if !s.recovered {
                    recover::resolve_lost_batches(tx, s)?;
                    s.recovered = true;
                }
                push::next_batch(tx, s)?
            }
        };
        // Work still known after this batch: the records waiting (imports that arrived
        // during the session included), less those left for a later session.
        let waiting = outbox::pending_count(tx)?;
        s.known_remaining = waiting.saturating_sub(s.skipped.len() as u64);
        let more = batch.is_some();
        s.prepared = batch;
        Ok(more)
    }
}
