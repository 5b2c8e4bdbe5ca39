//! The Connect page's state: whether the Web Connector endpoint listens (or why not), when
//! the Web Connector last called, the bound company file, wrong passwords, and from those
//! the connection's health (good / warning / problem) with the reason in words.
//!
//! Owns [`ConnectionMonitor`] (what the store does not keep: the endpoint's state and recent
//! wrong passwords) and [`Watched`], a [`QbwcHandler`] that passes every call to the engine
//! and notes the endpoint's events on the way. Owns the health rules:
//!
//! - **problem**: the endpoint is not listening (e.g. the port is in use); the last session
//!   failed; or a wrong password arrived after the last good call.
//! - **warning**: the Web Connector never called; records are failed or waiting for a person
//!   (counted by the store's one rule, `store::standing`, as the Sync page and `status`
//!   count them); the last session was interrupted; or it has not called for
//!   [`LATE_FACTOR`] times its schedule.
//! - **good**: otherwise.

use super::OfficeError;
use crate::events::{AppEvent, EventBus};
use crate::qbwc::{
    EndpointEvent, OpenSession, QbwcHandler, ReceiveResponseXml, SendRequestXml, SessionKey,
};
use crate::store::{sessions, settings, status, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// The Web Connector is "late" after missing this many scheduled runs in a row.
pub const LATE_FACTOR: i64 = 3;
/// ...and never before this many minutes (a one-minute schedule is not late after three).
pub const LATE_MINIMUM_MINUTES: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ConnectionHealth {
    Good,
    Warning,
    Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConnectionStatus {
    pub endpoint_url: String,
    pub endpoint_running: bool,
    pub ever_contacted: bool,
    pub last_contact: Option<String>,
    pub company_file: Option<String>,
    pub health: ConnectionHealth,
    pub reason: String,
    pub user_name: String,
    pub schedule_minutes: u32,
}

/// Whether the endpoint listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointState {
    /// Not started yet (the first moments of the app).
    Starting,
    Running,
    /// It could not start or stopped; the sentence says why and what to do.
    Down(String),
}

#[derive(Debug)]
struct Noted {
    endpoint: EndpointState,
    /// The last wrong password (or throttling) and its sentence.
    wrong_password: Option<(DateTime<Utc>, String)>,
}

/// What the store does not keep about the connection. Cheap to clone (shared).
#[derive(Clone, Debug)]
pub struct ConnectionMonitor {
    noted: Arc<Mutex<Noted>>,
}

impl Default for ConnectionMonitor {
    fn default() -> Self {
        Self {
            noted: Arc::new(Mutex::new(Noted {
                endpoint: EndpointState::Starting,
                wrong_password: None,
            })),
        }
    }
}

impl ConnectionMonitor {
    pub fn new() -> Self {
        Self::default()
    }

    fn noted(&self) -> std::sync::MutexGuard<'_, Noted> {
        self.noted.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_endpoint(&self, state: EndpointState) {
        self.noted().endpoint = state;
    }

    pub fn endpoint(&self) -> EndpointState {
        self.noted().endpoint.clone()
    }

    /// Notes something the endpoint saw.
    pub fn note(&self, event: &EndpointEvent, at: DateTime<Utc>) {
        let sentence = match event {
            EndpointEvent::AuthenticationFailed { .. } => {
                "The Web Connector sent a wrong password. Copy the password from this page into the Web Connector's Password column.".to_owned()
            }
            EndpointEvent::Throttled { seconds } => format!(
                "Too many wrong passwords: FieldBridge refuses the Web Connector for {seconds} seconds. Copy the password from this page into the Web Connector."
            ),
            EndpointEvent::UnknownTicket { .. } => return,
        };
        self.noted().wrong_password = Some((at, sentence));
    }
}

/// The engine behind the endpoint, watched: every call goes to `inner`; the endpoint's
/// events are noted in the monitor first.
pub struct Watched<H> {
    pub inner: H,
    pub monitor: ConnectionMonitor,
    pub events: EventBus,
}

impl<H: QbwcHandler> QbwcHandler for Watched<H> {
    fn open_session(&self, session: SessionKey) -> OpenSession {
        self.inner.open_session(session)
    }
    fn send_request_xml(&self, session: SessionKey, call: &SendRequestXml) -> String {
        self.inner.send_request_xml(session, call)
    }
    fn receive_response_xml(&self, session: SessionKey, call: &ReceiveResponseXml) -> i32 {
        self.inner.receive_response_xml(session, call)
    }
    fn get_last_error(&self, session: SessionKey) -> String {
        self.inner.get_last_error(session)
    }
    fn connection_error(&self, session: SessionKey, hresult: &str, message: &str) -> String {
        self.inner.connection_error(session, hresult, message)
    }
    fn close_connection(&self, session: SessionKey) -> String {
        let text = self.inner.close_connection(session);
        // The session's end changes the health even when nothing else announced it.
        self.events.emit(AppEvent::ConnectionChanged);
        text
    }
    fn abandon_session(&self, session: SessionKey) {
        self.inner.abandon_session(session)
    }
    fn on_event(&self, event: EndpointEvent) {
        self.monitor.note(&event, Utc::now());
        self.inner.on_event(event)
    }
}

/// "12 minutes ago", "3 hours ago", "2 days ago".
fn ago(minutes: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    match minutes {
        m if m < 1 => "just now".to_owned(),
        m if m < 120 => plural(m, "minute"),
        m if m < 48 * 60 => plural(m / 60, "hour"),
        m => plural(m / (24 * 60), "day"),
    }
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The Connect page's status (the contract's `get_connection_status`), as of `now`.
pub fn status(
    store: &Store,
    monitor: &ConnectionMonitor,
    endpoint_url: &str,
    user_name: &str,
    now: DateTime<Utc>,
) -> Result<ConnectionStatus, OfficeError> {
    let (last_contact, binding, schedule, last, waiting) = store.read(|c| {
        Ok::<_, StoreError>((
            settings::last_contact(c)?,
            settings::company_binding(c)?,
            settings::run_every_minutes(c)?,
            sessions::last_ended(c)?,
            status::status_counts(c)?.needs_person(),
        ))
    })?;
    let (endpoint, wrong_password) = {
        let n = monitor.noted();
        (n.endpoint.clone(), n.wrong_password.clone())
    };
    let contact_at = last_contact.as_deref().and_then(parse_time);
    let minutes_since = contact_at.map(|t| (now - t).num_minutes().max(0));
    let late_after = (i64::from(schedule) * LATE_FACTOR).max(LATE_MINIMUM_MINUTES);

    use ConnectionHealth::*;
    let (health, reason) = if let EndpointState::Down(why) = &endpoint {
        (Problem, why.clone())
    } else if let Some((_, sentence)) =
        wrong_password.filter(|(at, _)| contact_at.is_none_or(|c| *at > c))
    {
        (Problem, sentence)
    } else if endpoint == EndpointState::Starting {
        (
            Warning,
            "FieldBridge is starting its Web Connector endpoint.".to_owned(),
        )
    } else if contact_at.is_none() {
        (
            Warning,
            "The Web Connector has not called yet. Save the .qwc file and add it to the QuickBooks Web Connector, then enter the password.".to_owned(),
        )
    } else if let Some(s) = last
        .as_ref()
        .filter(|s| s.outcome == sessions::Outcome::Failed)
    {
        (
            Problem,
            format!(
                "The last sync failed: {}",
                s.message
                    .clone()
                    .unwrap_or_else(|| "see the History page.".into())
            ),
        )
    } else if minutes_since.is_some_and(|m| m > late_after) {
        (
            Warning,
            format!(
                "The Web Connector last called {} but should call every {schedule} minutes. Check that QuickBooks and the Web Connector are running.",
                ago(minutes_since.unwrap_or_default())
            ),
        )
    } else if waiting > 0 {
        (
            Warning,
            format!(
                "The last sync finished, but {waiting} record{} need{} your attention. See the Sync page.",
                if waiting == 1 { "" } else { "s" },
                if waiting == 1 { "s" } else { "" }
            ),
        )
    } else if let Some(s) = last
        .as_ref()
        .filter(|s| s.outcome == sessions::Outcome::Interrupted)
    {
        (
            Warning,
            s.message
                .clone()
                .unwrap_or_else(|| sessions::INTERRUPTED_NOTE.to_owned()),
        )
    } else {
        let when = ago(minutes_since.unwrap_or_default());
        (
            Good,
            match &last {
                Some(s) if s.finished_at.as_deref().and_then(parse_time).is_some() => {
                    format!("The Web Connector last called {when}; the last sync went well.")
                }
                _ => format!("The Web Connector last called {when}; everything is up to date."),
            },
        )
    };
    Ok(ConnectionStatus {
        endpoint_url: endpoint_url.to_owned(),
        endpoint_running: endpoint == EndpointState::Running,
        ever_contacted: last_contact.is_some(),
        last_contact,
        company_file: binding.map(|b| b.company_file),
        health,
        reason,
        user_name: user_name.to_owned(),
        schedule_minutes: schedule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::test_support::store;
    use chrono::Duration;

    const URL: &str = "http://localhost:8711/qbwc";

    fn running() -> ConnectionMonitor {
        let m = ConnectionMonitor::new();
        m.set_endpoint(EndpointState::Running);
        m
    }

    fn check(store: &Store, m: &ConnectionMonitor, now: DateTime<Utc>) -> ConnectionStatus {
        status(store, m, URL, "fieldbridge", now).unwrap()
    }

    fn contact_now(store: &Store) -> DateTime<Utc> {
        store.write(settings::note_contact).unwrap();
        let text = store.read(settings::last_contact).unwrap().unwrap();
        parse_time(&text).unwrap()
    }

    #[test]
    fn a_port_in_use_is_a_problem_with_the_endpoints_sentence() {
        let store = store();
        let m = ConnectionMonitor::new();
        m.set_endpoint(EndpointState::Down("Port 8711 is already in use.".into()));
        let s = check(&store, &m, Utc::now());
        assert_eq!(s.health, ConnectionHealth::Problem);
        assert!(!s.endpoint_running);
        assert_eq!(s.reason, "Port 8711 is already in use.");
        assert_eq!(s.schedule_minutes, 15);
        assert_eq!(s.user_name, "fieldbridge");
    }

    #[test]
    fn never_called_is_a_warning_and_a_recent_good_call_is_good() {
        let store = store();
        let m = running();
        let s = check(&store, &m, Utc::now());
        assert_eq!(s.health, ConnectionHealth::Warning);
        assert!(
            !s.ever_contacted && s.reason.contains(".qwc"),
            "{}",
            s.reason
        );
        let at = contact_now(&store);
        let s = check(&store, &m, at + Duration::minutes(5));
        assert_eq!(s.health, ConnectionHealth::Good, "{}", s.reason);
        assert!(s.reason.contains("5 minutes ago"), "{}", s.reason);
        let s = check(&store, &m, at + Duration::hours(3));
        assert_eq!(
            s.health,
            ConnectionHealth::Warning,
            "3 hours on a 15-minute schedule is late"
        );
        assert!(s.reason.contains("3 hours ago"), "{}", s.reason);
    }

    #[test]
    fn session_outcomes_and_wrong_passwords_set_the_health() {
        let store = store();
        let m = running();
        let id = store.write(|tx| sessions::start(tx, None)).unwrap();
        store
            .write(|tx| {
                sessions::finish(
                    tx,
                    id,
                    sessions::Outcome::Failed,
                    Some("QuickBooks was closed."),
                )
            })
            .unwrap();
        let at = contact_now(&store);
        let s = check(&store, &m, at);
        assert_eq!(s.health, ConnectionHealth::Problem);
        assert!(s.reason.contains("QuickBooks was closed."), "{}", s.reason);

        let id = store.write(|tx| sessions::start(tx, None)).unwrap();
        store
            .write(|tx| {
                sessions::add_counts(tx, id, 1, 0, 0, 2)?;
                sessions::finish(tx, id, sessions::Outcome::Errors, None)
            })
            .unwrap();
        let s = check(&store, &m, at);
        assert_eq!(
            s.health,
            ConnectionHealth::Good,
            "the session's own counter is history: no record waits now ({})",
            s.reason
        );
        park_two(&store);
        let s = check(&store, &m, at);
        assert_eq!(s.health, ConnectionHealth::Warning);
        assert!(s.reason.contains("2 records need"), "{}", s.reason);

        m.note(
            &EndpointEvent::AuthenticationFailed { known_user: true },
            at + Duration::minutes(1),
        );
        let s = check(&store, &m, at + Duration::minutes(2));
        assert_eq!(
            s.health,
            ConnectionHealth::Problem,
            "a wrong password after the last good call"
        );
        assert!(s.reason.contains("wrong password"));
        let earlier = running();
        earlier.note(
            &EndpointEvent::AuthenticationFailed { known_user: false },
            at - Duration::minutes(1),
        );
        let s = check(&store, &earlier, at);
        assert_ne!(
            s.health,
            ConnectionHealth::Problem,
            "a good call since then clears it"
        );
    }

    /// Issue 17: a session FieldBridge stopped in the middle of is said in words.
    #[test]
    fn an_interrupted_last_sync_is_a_warning_with_its_note() {
        let store = store();
        let m = running();
        store.write(|tx| sessions::start(tx, None)).unwrap();
        store.write(sessions::close_interrupted).unwrap();
        let at = contact_now(&store);
        let s = check(&store, &m, at);
        assert_eq!(s.health, ConnectionHealth::Warning);
        assert_eq!(s.reason, sessions::INTERRUPTED_NOTE);
    }

    /// Two customers waiting for a person: one for a decision, one refused by QuickBooks.
    fn park_two(store: &Store) {
        use crate::office::test_support::{customer, save_customers};
        use crate::store::codes::ProblemCode;
        use crate::store::outbox::{self, Problem};
        use crate::store::{RecordKind, RecordRef};
        save_customers(
            store,
            &[
                customer("C-1", "Ecker", None, None),
                customer("C-2", "Baker", None, None),
            ],
        );
        store
            .write(|tx| {
                for (id, code) in [
                    ("C-1", ProblemCode::AskFirst),
                    ("C-2", ProblemCode::QuickBooksLimit),
                ] {
                    let problem = Problem {
                        code: Some(code),
                        text: "Waiting.".into(),
                        ..Problem::default()
                    };
                    outbox::mark_needs_attention(
                        tx,
                        &RecordRef::new(RecordKind::Customer, id),
                        &problem,
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    /// A handler that only counts what reached it.
    #[derive(Default)]
    struct Counting {
        events: std::sync::atomic::AtomicUsize,
    }

    impl QbwcHandler for Counting {
        fn open_session(&self, _: SessionKey) -> OpenSession {
            OpenSession::NothingToDo
        }
        fn send_request_xml(&self, _: SessionKey, _: &SendRequestXml) -> String {
            String::new()
        }
        fn receive_response_xml(&self, _: SessionKey, _: &ReceiveResponseXml) -> i32 {
            100
        }
        fn get_last_error(&self, _: SessionKey) -> String {
            String::new()
        }
        fn connection_error(&self, _: SessionKey, _: &str, _: &str) -> String {
            "done".into()
        }
        fn close_connection(&self, _: SessionKey) -> String {
            "closed".into()
        }
        fn abandon_session(&self, _: SessionKey) {}
        fn on_event(&self, _: EndpointEvent) {
            self.events
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[test]
    fn the_watched_engine_notes_wrong_passwords_and_passes_everything_on() {
        let store = store();
        let monitor = running();
        let watched = Watched {
            inner: Counting::default(),
            monitor: monitor.clone(),
            events: EventBus::new(),
        };
        let mut rx = watched.events.subscribe();
        watched.on_event(EndpointEvent::Throttled { seconds: 60 });
        assert_eq!(
            watched
                .inner
                .events
                .load(std::sync::atomic::Ordering::SeqCst),
            1,
            "the engine still hears of it"
        );
        let s = check(&store, &monitor, Utc::now());
        assert_eq!(s.health, ConnectionHealth::Problem);
        assert!(s.reason.contains("60 seconds"), "{}", s.reason);
        assert_eq!(
            watched.close_connection(SessionKey(1)),
            "closed",
            "answers pass through"
        );
        assert_eq!(
            rx.try_recv().unwrap(),
            AppEvent::ConnectionChanged,
            "a session's end refreshes the Connect page"
        );
    }
}
