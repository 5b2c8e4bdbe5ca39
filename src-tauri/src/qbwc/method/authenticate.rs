//! `authenticate(strUserName, strPassword)` → `ArrayOfString` `[ticket, X]`, where X is
//! `""` (use the company file open in QuickBooks) or a company file path (there is work),
//! `none` (nothing to do), `busy` (come back later) or `nvu` (not a valid user).
//!
//! - The user name and password are compared in constant time; the password file is read
//!   again each time (a reset in another process takes effect at once).
//! - Wrong user or password → `nvu`, counted by the throttle against the user name it named
//!   (see `throttle` for why). While throttled → `nvu` without looking at the password, even
//!   a right one.
//! - A failure is logged and reported without anything the caller typed: a password pasted
//!   into the user name box must not land in the log. Only whether the user name was ours.
//! - Another session active → `busy` (see `session`), without asking the handler.
//! - With `busy` we add the optional third string, the seconds the Web Connector should wait
//!   before trying again ([`BUSY_RETRY_SECONDS`]); we never send the optional fourth
//!   (MinimumRunEveryNSeconds): the schedule in the .qwc stays in charge.
//! - The first string is always a ticket, because the Web Connector expects two strings; for
//!   `nvu`, `none` and `busy` it is a fresh random value that opens nothing.

use std::time::Instant;

use subtle::ConstantTimeEq;

use crate::qbwc::handler::{EndpointEvent, OpenSession};
use crate::qbwc::password;
use crate::qbwc::session::{OpenRefused, Ticket};
use crate::qbwc::shared::{MethodError, Shared};
use crate::qbwc::soap::{Answer, Fields, Operation};
use crate::qbwc::throttle::Caller;

/// After `busy`, how long the Web Connector should wait before trying again: long enough for
/// a running session to finish a batch, short enough that the office does not wait long.
pub const BUSY_RETRY_SECONDS: u32 = 120;

/// The answers of authenticate's second string.
const NOT_VALID_USER: &str = "nvu";
const NOTHING_TO_DO: &str = "none";
const BUSY: &str = "busy";

pub struct Authenticate {
    user_name: String,
    password: String,
}

impl std::fmt::Debug for Authenticate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticate")
            .field("user_name", &self.user_name)
            .field("password", &"<hidden>")
            .finish()
    }
}

impl Authenticate {
    pub fn parse(fields: &mut Fields) -> Self {
        Authenticate {
            user_name: fields.take_or_empty("strUserName"),
            password: fields.take_or_empty("strPassword"),
        }
    }

    pub async fn apply(self, shared: &Shared) -> Result<Answer, MethodError> {
        let now = Instant::now();
        let user_ok = self.user_name.as_bytes().ct_eq(shared.user_name.as_bytes());
        let caller = if bool::from(user_ok) {
            Caller::OurUser
        } else {
            Caller::OtherUser
        };
        // The guard must be gone before any `.await` (a std Mutex is never held across one).
        let throttled = shared.throttle().check(caller, now);
        if let Err(remaining) = throttled {
            let seconds = remaining.as_secs().max(1);
            tracing::warn!(
                "authenticate refused without checking the password: too many wrong passwords, {seconds} s of the lockout left"
            );
            shared.event(EndpointEvent::Throttled { seconds }).await;
            return refuse(NOT_VALID_USER);
        }

        let path = shared.password_file.clone();
        let stored = tokio::task::spawn_blocking(move || password::load_or_create(&path))
            .await
            .map_err(|_| MethodError::HandlerFailed {
                operation: Operation::Authenticate.name(),
            })??;
        let password_ok = subtle::Choice::from(u8::from(stored.matches(&self.password)));
        if !bool::from(user_ok & password_ok) {
            let lockout = shared
                .throttle()
                .record_failure(caller, &self.password, now);
            let known_user = caller == Caller::OurUser;
            if known_user {
                tracing::warn!("authenticate refused: wrong password");
            } else {
                tracing::warn!("authenticate refused: the user name is not this FieldBridge's");
            }
            shared
                .event(EndpointEvent::AuthenticationFailed { known_user })
                .await;
            if let Some(lockout) = lockout {
                let seconds = lockout.as_secs();
                tracing::warn!("too many wrong passwords: authenticate is refused for {seconds} s");
                shared.event(EndpointEvent::Throttled { seconds }).await;
            }
            return refuse(NOT_VALID_USER);
        }
        shared.throttle().record_success();

        let ticket = Ticket::generate().map_err(MethodError::Random)?;
        let superseded = shared.sessions.supersede_idle();
        if !superseded.is_empty() {
            shared
                .abandon(superseded, "a new Web Connector run started")
                .await;
        }
        let key = match shared.sessions.reserve(&ticket, now) {
            Ok(key) => key,
            Err(OpenRefused::Busy) => {
                tracing::info!(
                    "authenticate: another Web Connector session is active; answered busy"
                );
                return busy(ticket);
            }
        };
        let opened = shared
            .with_handler(Operation::Authenticate.name(), move |h| h.open_session(key))
            .await;
        let opened = match opened {
            Ok(opened) => opened,
            Err(err) => {
                shared.sessions.discard(&ticket);
                return Err(err);
            }
        };
        match opened {
            OpenSession::Work { company_file } => {
                shared.sessions.confirm(&ticket, Instant::now());
                tracing::info!("{key} opened: there is work to do");
                Ok(Answer::Strings(vec![
                    ticket.as_str().to_owned(),
                    company_file,
                ]))
            }
            OpenSession::NothingToDo => {
                shared.sessions.discard(&ticket);
                shared.sessions.note_nothing_to_do(&ticket);
                tracing::info!("{key}: nothing to do; answered none");
                Ok(Answer::Strings(vec![
                    ticket.as_str().to_owned(),
                    NOTHING_TO_DO.to_owned(),
                ]))
            }
            OpenSession::Busy => {
                shared.sessions.discard(&ticket);
                tracing::info!("{key}: the sync engine is busy; answered busy");
                busy(ticket)
            }
        }
    }
}

fn refuse(answer: &str) -> Result<Answer, MethodError> {
    let ticket = Ticket::generate().map_err(MethodError::Random)?;
    Ok(Answer::Strings(vec![
        ticket.as_str().to_owned(),
        answer.to_owned(),
    ]))
}

fn busy(ticket: Ticket) -> Result<Answer, MethodError> {
    Ok(Answer::Strings(vec![
        ticket.as_str().to_owned(),
        BUSY.to_owned(),
        BUSY_RETRY_SECONDS.to_string(),
    ]))
}
