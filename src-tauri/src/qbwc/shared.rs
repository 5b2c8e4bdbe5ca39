//! What every Web Connector method needs: the handler, the sessions, the throttle, the
//! password file and the user name; plus the one way to call the (blocking) handler.
//!
//! Owns: running handler methods off the async runtime (`spawn_blocking`) and turning a
//! handler panic into a [`MethodError`] instead of a dead connection. Does not own: what the
//! methods answer (`method/`), HTTP (`routes`, `server`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use super::handler::{EndpointEvent, QbwcHandler, SessionKey};
use super::password::PasswordError;
use super::session::Sessions;
use super::soap::Operation;
use super::throttle::Throttle;

/// State shared by every connection of one endpoint.
pub struct Shared {
    /// The `UserName` of our .qwc file; `authenticate` must name it.
    pub user_name: String,
    /// Read again on every `authenticate`, so a reset elsewhere takes effect at once.
    pub password_file: PathBuf,
    pub handler: Arc<dyn QbwcHandler>,
    pub sessions: Sessions,
    throttle: Mutex<Throttle>,
}

/// Why a method could not give a protocol answer; it becomes a SOAP Fault whose text the Web
/// Connector shows, so it says what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum MethodError {
    #[error("FieldBridge hit an internal error while answering {operation}. Nothing was lost; the details are in FieldBridge's log. Run the Web Connector again, and contact support if it happens again.")]
    HandlerFailed { operation: &'static str },
    #[error("FieldBridge cannot check the Web Connector password: {0}")]
    Password(#[from] PasswordError),
    #[error("FieldBridge could not make a session ticket because this computer's random number source failed: {0}")]
    Random(getrandom::Error),
}

impl Shared {
    pub fn new(
        user_name: String,
        password_file: PathBuf,
        handler: Arc<dyn QbwcHandler>,
        sessions: Sessions,
    ) -> Self {
        Shared {
            user_name,
            password_file,
            handler,
            sessions,
            throttle: Mutex::new(Throttle::default()),
        }
    }

    /// The throttle, for a short section (never held across `.await`).
    pub fn throttle(&self) -> MutexGuard<'_, Throttle> {
        // The throttle's fields are each updated in one step; a poisoned lock still holds
        // consistent counts.
        self.throttle.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the handler on the blocking pool. A panic inside the handler is logged
    /// and reported as [`MethodError::HandlerFailed`].
    pub async fn with_handler<R, F>(&self, operation: &'static str, f: F) -> Result<R, MethodError>
    where
        R: Send + 'static,
        F: FnOnce(&dyn QbwcHandler) -> R + Send + 'static,
    {
        let handler = Arc::clone(&self.handler);
        tokio::task::spawn_blocking(move || f(handler.as_ref()))
            .await
            .map_err(|err| {
                tracing::error!(operation, "the sync handler failed: {err}");
                MethodError::HandlerFailed { operation }
            })
    }

    /// Tells the handler about something the office manager should see.
    pub async fn event(&self, event: EndpointEvent) {
        // A failing event sink must not fail the call that noticed the event; the failure is
        // already logged by `with_handler`.
        let _ = self
            .with_handler("on_event", move |h| h.on_event(event))
            .await;
    }

    /// A call named a ticket we do not know: log it and tell the handler. Never the ticket.
    pub async fn unknown_ticket(&self, operation: Operation) {
        tracing::warn!(
            operation = operation.name(),
            "the Web Connector called {} with an unknown or expired ticket",
            operation.name()
        );
        self.event(EndpointEvent::UnknownTicket {
            operation: operation.name(),
        })
        .await;
    }

    /// Ends sessions idle past the timeout and tells the handler each was abandoned.
    pub async fn expire_idle(&self, now: Instant) {
        let expired = self.sessions.expire(now);
        self.abandon(expired, "it had no call for longer than the idle timeout")
            .await;
    }

    /// Tells the handler these sessions were abandoned.
    pub async fn abandon(&self, keys: Vec<SessionKey>, why: &str) {
        for key in keys {
            tracing::info!("{key} abandoned: {why}");
            let _ = self
                .with_handler("abandon_session", move |h| h.abandon_session(key))
                .await;
        }
    }
}
