//! One Web Connector session as every stage sees it: the company it talks to, what waits
//! to be sent or answered, records set aside, its counters and its honest percent. What
//! only one stage needs (the pull's steps, the pairing index) belongs to that stage
//! (`stage.rs`), not here. Also whether a session has anything to do at all.

use super::batch::PreparedBatch;
use crate::qbwc::SessionKey;
use crate::store::records::RecordRef;
use crate::store::{outbox, settings, StoreError};
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};

/// Settings key: when a session last read QuickBooks completely (RFC 3339 UTC).
pub const LAST_FULL_RUN: &str = "last_full_run";
/// Settings key: a person asked for QuickBooks' whole customer list at the next sync.
pub const REFRESH_CUSTOMERS: &str = "refresh_customers";

/// Settings key: the company as the last session read it (JSON), for the preview.
pub const LAST_COMPANY: &str = "last_company";

/// The company as the first call of the session described it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Company {
    /// The company file's path, as the Web Connector names it.
    #[allow(dead_code)]
    pub file: String,
    pub name: Option<String>,
    pub sales_tax: bool,
    pub estimates: bool,
    /// QuickBooks' own default codes ("Tax", "Non"), when the preferences name them.
    pub taxable_code: Option<String>,
    pub non_taxable_code: Option<String>,
}

/// A session in progress.
pub struct Session {
    pub key: SessionKey,
    /// The `sessions` row.
    pub id: i64,
    pub company: Company,
    /// ExternalGUID (braced, upper case) → (TxnID, EditSequence) of transactions the pull saw
    /// this session: how a lost batch's invoices, estimates and payments are found.
    pub seen_txns: HashMap<String, (String, String)>,
    pub prepared: Option<PreparedBatch>,
    pub outstanding: Option<PreparedBatch>,
    /// Records left for a later session (transient refusals, parents that wait).
    pub skipped: HashSet<RecordRef>,
    /// Transient refusals per record in this session.
    pub transient: HashMap<RecordRef, u32>,
    /// Records QuickBooks last refused with a transient error (busy, in use, locked) and that
    /// have not gone through since: at the end of the session they wait for the next run,
    /// and the session says so (issue 11).
    pub retry_later: HashSet<RecordRef>,
    /// Records whose EditSequence must be re-read before the retry (3200).
    pub reread_wanted: Vec<RecordRef>,
    /// Records already re-read once in this session.
    pub reread_done: HashSet<RecordRef>,
    pub done_requests: u64,
    pub known_remaining: u64,
    pub percent: i32,
    pub created: u64,
    pub updated: u64,
    pub failed: u64,
    pub needs_attention: u64,
    pub current_phase: Phase,
    pub last_error: Option<String>,
    /// Why the session failed, if it did.
    pub failed_session: Option<String>,
    /// Sends are held: the words the session ends with (`hold::held_words`).
    pub held: Option<String>,
    /// A rebind the company check left to verify before the pull (`super::rebind`).
    pub rebind: Option<Box<super::rebind::RebindCheck>>,
    /// ExternalGUID → TxnLineID of the Undeposited Funds line of journal entries the pull
    /// saw: what a deposit of a recovered payments entry names.
    pub seen_uf_lines: HashMap<String, String>,
    /// Periods whose deposit QuickBooks refused in this session (tried again next session).
    pub deposits_refused: HashSet<chrono::NaiveDate>,
}

/// What the session is doing, in words the Sync screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Starting,
    ReadingQuickBooks,
    Checking,
    Customers,
    Projects,
    Tickets,
    Invoices,
    Payments,
    Finishing,
    Vendors,
    Expenses,
}

impl Session {
    pub fn new(key: SessionKey, id: i64) -> Self {
        Self {
            key,
            id,
            company: Company::default(),
            seen_txns: HashMap::new(),
            prepared: None,
            outstanding: None,
            skipped: HashSet::new(),
            transient: HashMap::new(),
            retry_later: HashSet::new(),
            reread_wanted: Vec::new(),
            reread_done: HashSet::new(),
            done_requests: 0,
            known_remaining: 0,
            percent: 0,
            created: 0,
            updated: 0,
            failed: 0,
            needs_attention: 0,
            current_phase: Phase::Starting,
            last_error: None,
            failed_session: None,
            held: None,
            rebind: None,
            seen_uf_lines: HashMap::new(),
            deposits_refused: HashSet::new(),
        }
    }

    /// The percent for `receiveResponseXML`: requests answered over requests answered plus
    /// work still known (`pages_left` of the pull, records waiting), never lower than the
    /// last one returned, and 100 only when `finished_all` (nothing left at all).
    pub fn update_percent(&mut self, finished_all: bool, pages_left: u64) {
        if finished_all {
            self.percent = 100;
            self.known_remaining = 0;
            return;
        }
        let prepared = self
            .prepared
            .as_ref()
            .map_or(0, |b| b.requests.len() as u64);
        let remaining = self.known_remaining + pages_left + prepared;
        let done = self.done_requests;
        let total = done + remaining.max(1);
        let honest = ((done * 100) / total) as i32;
        // INVARIANT: 0 < percent < 100 while work remains, and it never goes down.
        self.percent = honest.clamp(1, 99).max(self.percent);
    }

    /// "3 records will be retried at the next run", when QuickBooks left some for later.
    pub fn retry_words(&self) -> Option<String> {
        match self.retry_later.len() {
            0 => None,
            1 => Some("1 record will be retried at the next run".to_owned()),
            n => Some(format!("{n} records will be retried at the next run")),
        }
    }

    /// What the Web Connector shows in its status column at the end.
    pub fn closing_words(&self) -> String {
        if let Some(f) = &self.failed_session {
            return format!("FieldBridge: {f}");
        }
        if let Some(held) = &self.held {
            return format!("FieldBridge: {held}");
        }
        let mut parts = Vec::new();
        if self.created > 0 {
            parts.push(format!("{} added", self.created));
        }
        if self.updated > 0 {
            parts.push(format!("{} updated", self.updated));
        }
        if self.failed > 0 {
            parts.push(format!("{} failed", self.failed));
        }
        if self.needs_attention > 0 {
            parts.push(format!("{} need attention", self.needs_attention));
        }
        if let Some(words) = self.retry_words() {
            parts.push(words);
        }
        if parts.is_empty() {
            "FieldBridge: everything is up to date.".to_owned()
        } else if self.failed + self.needs_attention > 0 {
            format!(
                "FieldBridge: {}. Open FieldBridge's Sync page to see what needs you.",
                parts.join(", ")
            )
        } else {
            format!("FieldBridge: {}.", parts.join(", "))
        }
    }
}

/// Is there anything for a session to do? Pending records, an unanswered batch, a refresh
/// asked for, or QuickBooks not read within [`super::QUIET_INTERVAL_SECONDS`] (payments,
/// balances and deletions change there; incremental reads are cheap).
pub fn has_work(conn: &Connection) -> Result<bool, StoreError> {
    if outbox::pending_count(conn)? > 0 || !outbox::unanswered_batches(conn)?.is_empty() {
        return Ok(true);
    }
    if settings::get_raw(conn, REFRESH_CUSTOMERS)?.is_some() {
        return Ok(true);
    }
    let last = settings::get_raw(conn, LAST_FULL_RUN)?
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok());
    Ok(match last {
        None => true,
        Some(t) => {
            chrono::Utc::now().signed_duration_since(t).num_seconds()
                >= super::QUIET_INTERVAL_SECONDS
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::new(SessionKey(1), 1)
    }

    #[test]
    fn the_percent_never_goes_down_and_reaches_100_only_at_the_end() {
        let mut s = session();
        s.known_remaining = 10;
        s.done_requests = 5;
        s.update_percent(false, 0);
        let first = s.percent;
        assert!(first > 0 && first < 100, "{first}");
        // Records imported during the session: more work known, the percent holds.
        s.known_remaining = 1_000;
        s.update_percent(false, 0);
        assert_eq!(s.percent, first, "new work never moves the bar backwards");
        s.known_remaining = 0;
        s.done_requests = 10_000;
        s.update_percent(false, 0);
        assert_eq!(s.percent, 99, "99 until nothing is left");
        s.update_percent(true, 0);
        assert_eq!(s.percent, 100);
    }

    #[test]
    fn closing_words_say_what_happened_and_where_to_look() {
        let mut s = session();
        assert_eq!(s.closing_words(), "FieldBridge: everything is up to date.");
        s.created = 3;
        s.updated = 1;
        assert_eq!(s.closing_words(), "FieldBridge: 3 added, 1 updated.");
        s.needs_attention = 2;
        assert!(s.closing_words().contains("2 need attention"));
        assert!(
            s.closing_words().contains("Sync page"),
            "{}",
            s.closing_words()
        );
        let mut busy = session();
        busy.created = 2;
        for id in ["I-1", "I-2", "I-3"] {
            busy.retry_later.insert(RecordRef::new(
                crate::store::records::RecordKind::Invoice,
                id,
            ));
        }
        assert_eq!(
            busy.closing_words(),
            "FieldBridge: 2 added, 3 records will be retried at the next run."
        );
        s.failed_session = Some("QuickBooks has another file open.".into());
        assert!(s.closing_words().contains("another file open"));
    }
}
