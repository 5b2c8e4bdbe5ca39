//! The [`Engine`]: the [`QbwcHandler`] behind the Web Connector endpoint. Each method is
//! the engine's side of one Web Connector call; it finds the session ([`Run`]), runs the
//! stage's work in one store transaction, and turns a [`SyncError`] into the words the Web
//! Connector shows. Owns the session's beginning and end (outcome, history, events).

use super::apply;
use super::company;
use super::error::SyncError;
use super::session::{self, Phase};
use super::stage::{Run, Stage};
use super::status;
use crate::events::{AppEvent, EventBus, SyncProgress};
use crate::qbwc::{
    EndpointEvent, OpenSession, QbwcHandler, ReceiveResponseXml, SendRequestXml, SessionKey,
};
use crate::store::{sessions, settings, Store, StoreError};
use std::sync::{Mutex, MutexGuard};

/// What the Web Connector shows when a session could not do its work, and what it shows
/// when everything is fine: words for the office manager.
const NOTHING_TO_DO: &str = "FieldBridge: everything is up to date.";

/// The engine. One per data folder; shared by the endpoint's sessions (one at a time).
pub struct Engine {
    store: Store,
    events: EventBus,
    /// The session in progress. A std Mutex: held only for short, blocking sections
    /// (handler methods run on blocking threads), never across an await.
    active: Mutex<Option<Run>>,
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

    fn active(&self) -> MutexGuard<'_, Option<Run>> {
        // A panic inside a handler poisons nothing we cannot recover: the session state is
        // rebuilt from the store at the next session.
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_engine_error(&self, text: impl Into<String>) {
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(text.into());
    }

    fn emit_progress(&self, run: &Run) {
        use crate::events::{SyncRunState, SyncStage};
        let s = &run.session;
        let finished = run.is_finished();
        let stage = match s.current_phase {
            _ if finished => SyncStage::Finishing,
            Phase::Starting => SyncStage::Starting,
            Phase::ReadingQuickBooks
                if matches!(run.stage, Stage::Opened | Stage::Verifying(_)) =>
            {
                SyncStage::ReadingCompany
            }
            Phase::ReadingQuickBooks => SyncStage::ReadingLists,
            Phase::Checking => SyncStage::Checking,
            Phase::Customers => SyncStage::Customers,
            Phase::Projects => SyncStage::Jobs,
            Phase::Tickets => SyncStage::Estimates,
            Phase::Invoices => SyncStage::Invoices,
            Phase::Payments => SyncStage::Payments,
            Phase::Finishing => SyncStage::Finishing,
            Phase::Vendors => SyncStage::Vendors,
            Phase::Expenses => SyncStage::Expenses,
        };
        let problem = s.failed_session.clone();
        let state = match (finished, &problem) {
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
            running: !finished,
            company_file: (!s.company.file.is_empty()).then(|| s.company.file.clone()),
            problem,
        }));
    }

    /// Ends the session: outcome, history, events. Safe to call twice.
    fn finish(&self, run: &mut Run, failure: Option<&str>) {
        if run.is_finished() {
            return;
        }
        // A page of customers still being written is part of this session.
        let unwritten = run.deferred.wait().err().map(|e| {
            tracing::error!(
                session = run.session.id,
                "a page of QuickBooks customers could not be written: {e}"
            );
            SyncError::Store(e).to_string()
        });
        let failure = failure.or(unwritten.as_deref());
        let pulled = run.finish();
        let s = &run.session;
        let outcome = if failure.is_some() || s.failed_session.is_some() {
            sessions::Outcome::Failed
        } else if s.failed > 0 || s.needs_attention > 0 || !s.retry_later.is_empty() {
            // Records left for the next run by a transient refusal are not "ok": the
            // session says how many, and History has QuickBooks' code and message for each.
            sessions::Outcome::Errors
        } else {
            sessions::Outcome::Ok
        };
        let message = failure
            .map(str::to_owned)
            .or_else(|| s.failed_session.clone())
            .or_else(|| s.held.clone())
            .or_else(|| s.retry_words().map(|w| format!("{w}.")));
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
        // The QuickBooks customers this session read are indexed for search now, off the
        // session's time.
        let _ = super::deferred::index_for_search_later(&self.store);
        tracing::info!(
            session = id,
            outcome = outcome.as_str(),
            created = s.created,
            updated = s.updated,
            failed = s.failed,
            "session ended"
        );
        let failed = s.failed + s.needs_attention;
        self.emit_progress(run);
        self.events.emit(AppEvent::SessionFinished {
            session_id: id,
            outcome: outcome.as_str().to_owned(),
            failed,
        });
    }

    /// The session cannot go on: the words go to getLastError and History, and the session
    /// ends as failed. Whatever was sent stays recorded in flight and is resolved at the next
    /// session.
    fn fail(&self, run: &mut Run, e: &SyncError) {
        match e {
            SyncError::Store(inner) => {
                tracing::error!(
                    session = run.session.id,
                    "store error during the session: {inner}"
                )
            }
            other => tracing::warn!(session = run.session.id, "the session stops: {other:?}"),
        }
        let text = e.to_string();
        run.session.last_error = Some(text.clone());
        run.session.failed_session = Some(text.clone());
        self.finish(run, Some(&text));
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
            // No session of this engine runs now: a row still `running` was left by a
            // FieldBridge that stopped mid-run. Close it, so History does not say "running"
            // forever.
            let closed = sessions::close_interrupted(tx)?;
            if closed > 0 {
                tracing::warn!(closed, "closed sessions left running by an earlier stop");
            }
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
                let run = Run::new(key, id);
                self.emit_progress(&run);
                *guard = Some(run);
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
        let Some(run) = guard.as_mut().filter(|r| r.session.key == key) else {
            self.set_engine_error(
                "FieldBridge has no record of this Web Connector session. Run the Web Connector again.",
            );
            return String::new();
        };
        if run.is_finished() {
            return String::new();
        }
        if matches!(run.stage, Stage::Opened) {
            if let Err(e) = company::check_company(&self.store, &mut run.session, call) {
                self.fail(run, &SyncError::Company(e));
                return String::new();
            }
            self.events.emit(AppEvent::ConnectionChanged);
            match self.store.write(|tx| run.prepare_next(tx)) {
                Ok(true) => {}
                Ok(false) => {
                    if run.session.failed_session.is_none() {
                        run.session.last_error = Some(NOTHING_TO_DO.to_owned());
                    }
                    self.finish(run, None);
                    return String::new();
                }
                Err(e) => {
                    self.fail(run, &e);
                    return String::new();
                }
            }
        }
        if run.session.outstanding.is_some() {
            // QuickBooks has not answered the last batch: never send work twice.
            let text = "The Web Connector asked for more work before QuickBooks answered the last request. FieldBridge stopped this run so nothing is sent twice; the next run carries on.".to_owned();
            run.session.last_error = Some(text.clone());
            self.finish(run, Some(&text));
            return String::new();
        }
        let s = &mut run.session;
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
        let Some(run) = guard.as_mut().filter(|r| r.session.key == key) else {
            self.set_engine_error(
                "FieldBridge has no record of this Web Connector session. Run the Web Connector again.",
            );
            return -1;
        };
        let Some(batch) = run.session.outstanding.take() else {
            run.session.last_error =
                Some("QuickBooks answered a request FieldBridge did not send in this run.".into());
            return -1;
        };
        tracing::debug!(response = %call.response, "qbXML response");
        // QuickBooks' answer is read while the page of customers handed over at the last
        // answer is still being written; that page is in the mirror before this answer is
        // applied ([`super::deferred`]).
        let answer = (!call.response.trim().is_empty())
            .then(|| apply::read_answer(&run.session, &call.response));
        if let Err(e) = run.deferred.wait() {
            self.fail(run, &SyncError::Store(e));
            return -1;
        }
        // The answer, its consequences and the next batch (recorded in flight) commit in
        // one transaction: one sync to disk per round trip. Should planning the next batch
        // fail, the answer is not applied either; its batch stays in flight and the next
        // session settles it by ExternalGUID, as after a crash.
        let next = match answer {
            None => self
                .store
                .write(|tx| {
                    apply::rejected_batch(
                        tx,
                        &mut run.session,
                        &batch,
                        &call.hresult,
                        &call.message,
                    )
                })
                .map_or_else(|e| Err(SyncError::from(e)), Err),
            Some(read) => read
                .and_then(|msgs| {
                    self.store.write(|tx| {
                        apply::answered_batch(tx, run, &batch, &msgs)?;
                        run.prepare_next(tx)
                    })
                })
                .and_then(|more| {
                    run.start_deferred(&self.store)?;
                    Ok(more)
                }),
        };
        match next {
            Ok(true) => {
                self.events.emit(AppEvent::RecordsChanged);
                run.update_percent(false);
                self.emit_progress(run);
                run.session.percent
            }
            Ok(false) => {
                self.events.emit(AppEvent::RecordsChanged);
                run.update_percent(true);
                self.finish(run, None);
                100
            }
            Err(e) => {
                self.fail(run, &e);
                if !matches!(e, SyncError::Store(_)) {
                    self.events.emit(AppEvent::RecordsChanged);
                }
                -1
            }
        }
    }

    fn get_last_error(&self, key: SessionKey) -> String {
        let guard = self.active();
        if let Some(run) = guard.as_ref().filter(|r| r.session.key == key) {
            if let Some(text) = &run.session.last_error {
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
        if let Some(run) = guard.as_mut().filter(|r| r.session.key == key) {
            run.session.last_error = Some(text.clone());
            run.session.failed_session = Some(text.clone());
            self.finish(run, Some(&text));
        } else {
            self.set_engine_error(text);
        }
        self.events.emit(AppEvent::ConnectionChanged);
        "done".to_owned()
    }

    fn close_connection(&self, key: SessionKey) -> String {
        let mut guard = self.active();
        let Some(mut run) = guard.take_if(|r| r.session.key == key) else {
            return "FieldBridge: the run has ended.".to_owned();
        };
        if !run.is_finished() {
            let early = if run.session.outstanding.is_some() {
                Some("The Web Connector ended the run before QuickBooks answered; the next run checks what QuickBooks did.")
            } else {
                None
            };
            self.finish(&mut run, early);
        }
        self.events.emit(AppEvent::ConnectionChanged);
        run.session.closing_words()
    }

    fn abandon_session(&self, key: SessionKey) {
        let mut guard = self.active();
        if let Some(mut run) = guard.take_if(|r| r.session.key == key) {
            self.finish(
                &mut run,
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
