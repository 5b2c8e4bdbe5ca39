//! refplatform: a small field-service platform of our own that speaks FieldBridge's platform
//! link contract (`shared/design/platform-link.md`) from the platform's side. It shares no
//! code with FieldBridge's link (as `tests/qbsim` shares none with the sync engine), so a
//! misreading of the contract in FieldBridge cannot be copied into the test's other side.
//!
//! # What it does
//!
//! * Holds field-service records (import-format objects, `shared/design/import-format.md`)
//!   in a change log ([`records`]) and serves them as `GET /fieldbridge/v1/changes` pages
//!   with an opaque cursor and `more`.
//! * Receives `POST /fieldbridge/v1/events` ([`events`]): checks the body's shape and the
//!   `Idempotency-Key`, deduplicates by `source` + `seq`, counts repeats and events that
//!   arrive out of order, and keeps what each record's latest outcome is.
//! * Checks the key (`Authorization: Bearer KEY`); a key can be revoked.
//! * Fails on purpose ([`faults`]): a seeded fraction of 503s with `Retry-After`, dropped
//!   connections, slow answers, one malformed changes page.
//!
//! # Public API
//!
//! * [`Platform::new`]`(key)` — shared state (`Arc` inside; clone freely).
//! * [`Platform::serve`]`(listener, shutdown)` — the HTTP server (hyper, HTTP/1.1).
//! * set up and disturb: [`Platform::upsert`] (an import-format document),
//!   [`Platform::set_faults`], [`Platform::revoke_key`], [`Platform::set_key`].
//! * inspect: [`Platform::received`] (every event seq delivered, repeats, order problems),
//!   [`Platform::summary`] (counts for a person), [`Platform::calls`].
//!
//! The binary `platform-run` wraps it for demos and non-Rust suites (see README.md).
#![forbid(unsafe_code)]

pub mod events;
pub mod faults;
pub mod http;
pub mod records;
pub mod sample;

use std::sync::{Arc, Mutex, MutexGuard};

pub use events::{Received, SourceLog};
pub use faults::Faults;
pub use records::{ChangesPage, RecordsError};

/// The platform: records, received events, the key and the faults, behind one lock. A std
/// Mutex: every section is short and none is held across an await.
#[derive(Clone)]
pub struct Platform {
    inner: Arc<Mutex<State>>,
}

/// Everything the platform holds.
pub struct State {
    pub key: String,
    pub key_revoked: bool,
    pub records: records::RecordLog,
    pub events: events::Received,
    pub faults: faults::FaultState,
    pub calls: Calls,
    /// The most records one changes page holds, whatever `limit` asks (platforms cap pages).
    pub page_cap: usize,
}

/// How many calls of each kind arrived, and how they were answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Calls {
    pub changes: u64,
    pub events: u64,
    pub refused_key: u64,
    pub injected_503: u64,
    pub injected_drop: u64,
    pub injected_invalid: u64,
    pub bad_request: u64,
}

impl Platform {
    /// An empty platform that accepts `key`.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            inner: Arc::new(Mutex::new(State {
                key: key.into(),
                key_revoked: false,
                records: records::RecordLog::default(),
                events: events::Received::default(),
                faults: faults::FaultState::new(Faults::none()),
                calls: Calls::default(),
                page_cap: records::MAX_PAGE,
            })),
        }
    }

    /// The state, for a short section. A poisoned lock is recovered: every mutation keeps
    /// the state consistent before anything can panic.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds or changes records: `doc` is one import-format JSON document. Returns how many
    /// records it held.
    pub fn upsert(&self, doc: &serde_json::Value) -> Result<usize, RecordsError> {
        self.state().records.upsert(doc)
    }

    /// From now on requests fail as `faults` says (seeded, so a run can be repeated).
    pub fn set_faults(&self, faults: Faults) {
        self.state().faults = faults::FaultState::new(faults);
    }

    /// Changes pages hold at most `cap` records from now on (at least 1).
    pub fn set_page_cap(&self, cap: usize) {
        self.state().page_cap = cap.max(1);
    }

    /// Every later request with the key is answered 401, as a platform does when an
    /// administrator revokes the key.
    pub fn revoke_key(&self) {
        self.state().key_revoked = true;
    }

    /// A new key (the old one stops working).
    pub fn set_key(&self, key: impl Into<String>) {
        let mut s = self.state();
        s.key = key.into();
        s.key_revoked = false;
    }

    /// A copy of what was received.
    pub fn received(&self) -> Received {
        self.state().events.clone()
    }

    /// A copy of the call counters.
    pub fn calls(&self) -> Calls {
        self.state().calls.clone()
    }

    /// Counts for a person or a test: records held, events received by type, outcomes.
    pub fn summary(&self) -> serde_json::Value {
        let s = self.state();
        serde_json::json!({
            "records": s.records.counts(),
            "changes_served_up_to": s.records.last_change(),
            "events": s.events.summary(),
            "calls": s.calls,
        })
    }

    /// Serves the contract's two endpoints (and the control endpoints of [`http`]) on
    /// `listener` until `shutdown` resolves.
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        http::serve(self.clone(), listener, shutdown).await
    }
}

#[cfg(test)]
mod tests;
