//! Web Connector sessions: the secret ticket each one is known by, the [`SessionKey`] the
//! handler sees instead, and when a session ends.
//!
//! Rules:
//! - A ticket is 128 bits from the operating system's CSPRNG, written as 32 hex digits in the
//!   8-4-4-4-12 grouping the Web Connector's log shows for GUIDs. It never reaches a log or
//!   the handler (`Ticket`'s `Debug` hides it).
//! - One session at a time. The Web Connector never runs two sessions of one application at
//!   once, so an `authenticate` with the right password while an earlier session sits idle
//!   means that earlier session is over (its connection dropped, the Web Connector gave up
//!   on it): it is superseded ([`Sessions::supersede_idle`]) and the handler hears
//!   `abandon_session` before the new one opens. Only a session that is opening or has a call
//!   in progress at that very moment makes a second `authenticate` answer `busy`.
//! - A session ends at `closeConnection`, or when it has had no call for the idle timeout and
//!   no call is in progress (the Web Connector vanished); then the handler hears
//!   `abandon_session`. A call in progress keeps its session alive however long it takes.
//! - Sessions answered `none` or `busy` are never registered: the Web Connector makes no
//!   further call for them.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::SessionKey;

/// A ticket: the secret the Web Connector sends back with every call of its session.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Ticket(String);

impl Ticket {
    /// A fresh random ticket.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Ticket(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )))
    }

    /// A ticket as the Web Connector sent it back (it may be unknown, expired or forged).
    pub fn from_wire(text: String) -> Self {
        Ticket(text)
    }

    /// The text sent to the Web Connector.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ticket(<hidden>)")
    }
}

/// Why a new session was not opened.
#[derive(Debug, PartialEq, Eq)]
pub enum OpenRefused {
    /// Another session is active.
    Busy,
}

#[derive(Debug)]
struct Entry {
    key: SessionKey,
    /// Still waiting for the handler's `open_session`: not usable by calls yet.
    opening: bool,
    last_seen: Instant,
    /// Calls of this session being answered right now.
    in_flight: u32,
}

/// How many tickets answered `none` are remembered, so the Web Connector's closeConnection
/// for them gets a plain "nothing to do" rather than "already ended".
const NOTHING_TO_DO_MEMORY: usize = 32;

#[derive(Debug, Default)]
struct State {
    /// Tickets answered `none` (no session was opened for them), oldest first.
    nothing_to_do: std::collections::VecDeque<String>,
    // INVARIANT: at most one entry is active (opening, in a call, or seen within the idle
    // timeout); others are idle-expired and wait for `expire` to hand them to the handler.
    by_ticket: HashMap<String, Entry>,
    next_key: u64,
}

/// The live sessions.
#[derive(Debug)]
pub struct Sessions {
    idle_timeout: Duration,
    state: Mutex<State>,
}

impl Sessions {
    pub fn new(idle_timeout: Duration) -> Self {
        Sessions {
            idle_timeout,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock leaves plain data that is still consistent (every
        // update is a single assignment), so a poisoned lock is used as is.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reserves a new session for `ticket` unless another is active. The reservation counts
    /// as active (so two simultaneous `authenticate`s cannot both open one) until
    /// [`Sessions::confirm`] or [`Sessions::discard`].
    pub fn reserve(&self, ticket: &Ticket, now: Instant) -> Result<SessionKey, OpenRefused> {
        let mut state = self.lock();
        if state.by_ticket.values().any(|e| {
            e.opening || e.in_flight > 0 || now.duration_since(e.last_seen) < self.idle_timeout
        }) {
            return Err(OpenRefused::Busy);
        }
        // Anything left is idle past the timeout; `expire` will hand it to the handler. It
        // must not block the new session meanwhile, and it cannot be used any more.
        state.next_key += 1;
        let key = SessionKey(state.next_key);
        state.by_ticket.insert(
            ticket.as_str().to_owned(),
            Entry {
                key,
                opening: true,
                last_seen: now,
                in_flight: 0,
            },
        );
        Ok(key)
    }

    /// Ends every session that is neither opening nor in a call (a new `authenticate` with the
    /// right password supersedes them), returning their keys for `abandon_session`.
    pub fn supersede_idle(&self) -> Vec<SessionKey> {
        let mut state = self.lock();
        let mut gone = Vec::new();
        state.by_ticket.retain(|_, e| {
            let idle = !e.opening && e.in_flight == 0;
            if idle {
                gone.push(e.key);
            }
            !idle
        });
        gone
    }

    /// The ticket was answered `none`: no session, but its closeConnection is expected.
    pub fn note_nothing_to_do(&self, ticket: &Ticket) {
        let mut state = self.lock();
        if state.nothing_to_do.len() >= NOTHING_TO_DO_MEMORY {
            state.nothing_to_do.pop_front();
        }
        state.nothing_to_do.push_back(ticket.as_str().to_owned());
    }

    /// Forgets a ticket answered `none`; true if it was one.
    pub fn take_nothing_to_do(&self, ticket: &str) -> bool {
        let mut state = self.lock();
        match state.nothing_to_do.iter().position(|t| t == ticket) {
            Some(i) => {
                state.nothing_to_do.remove(i);
                true
            }
            None => false,
        }
    }

    /// The handler opened the session: calls with its ticket are now accepted.
    pub fn confirm(&self, ticket: &Ticket, now: Instant) {
        if let Some(entry) = self.lock().by_ticket.get_mut(ticket.as_str()) {
            entry.opening = false;
            entry.last_seen = now;
        }
    }

    /// The session was not opened after all (`none`, `busy`, or the handler failed).
    pub fn discard(&self, ticket: &Ticket) {
        self.lock().by_ticket.remove(ticket.as_str());
    }

    /// Starts a call of the session known by `ticket`; `None` if the ticket is unknown,
    /// still opening, or idle past the timeout (expired, even if not yet swept).
    pub fn enter(&self, ticket: &str, now: Instant) -> Option<SessionCall<'_>> {
        let mut state = self.lock();
        let entry = state.by_ticket.get_mut(ticket)?;
        if entry.opening
            || (entry.in_flight == 0 && now.duration_since(entry.last_seen) >= self.idle_timeout)
        {
            return None;
        }
        entry.in_flight += 1;
        entry.last_seen = now;
        Some(SessionCall {
            sessions: self,
            ticket: ticket.to_owned(),
            key: entry.key,
        })
    }

    /// Ends the session known by `ticket` (closeConnection); `None` if unknown or expired.
    pub fn close(&self, ticket: &str, now: Instant) -> Option<SessionKey> {
        let mut state = self.lock();
        let entry = state.by_ticket.get(ticket)?;
        let expired =
            entry.in_flight == 0 && now.duration_since(entry.last_seen) >= self.idle_timeout;
        if entry.opening || expired {
            return None;
        }
        state.by_ticket.remove(ticket).map(|e| e.key)
    }

    /// Removes the sessions idle past the timeout with no call in progress, returning their
    /// keys so the caller can tell the handler (`abandon_session`).
    pub fn expire(&self, now: Instant) -> Vec<SessionKey> {
        let mut state = self.lock();
        let mut expired = Vec::new();
        state.by_ticket.retain(|_, e| {
            let idle = !e.opening
                && e.in_flight == 0
                && now.duration_since(e.last_seen) >= self.idle_timeout;
            if idle {
                expired.push(e.key);
            }
            !idle
        });
        expired
    }

    /// Removes every session (the endpoint is stopping), returning their keys. This includes
    /// a session still opening if the shutdown grace ran out during its `open_session`.
    pub fn drain(&self) -> Vec<SessionKey> {
        let mut state = self.lock();
        state.by_ticket.drain().map(|(_, e)| e.key).collect()
    }
}

/// A call in progress for one session; dropping it marks the call finished (also when the
/// request is abandoned half way), which restarts the idle clock.
#[derive(Debug)]
pub struct SessionCall<'a> {
    sessions: &'a Sessions,
    ticket: String,
    key: SessionKey,
}

impl SessionCall<'_> {
    pub fn key(&self) -> SessionKey {
        self.key
    }
}

impl Drop for SessionCall<'_> {
    fn drop(&mut self) {
        let mut state = self.sessions.lock();
        if let Some(entry) = state.by_ticket.get_mut(&self.ticket) {
            entry.in_flight = entry.in_flight.saturating_sub(1);
            entry.last_seen = Instant::now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: Duration = Duration::from_secs(600);

    fn open(sessions: &Sessions, now: Instant) -> (Ticket, SessionKey) {
        let ticket = Ticket::generate().expect("random source");
        let key = sessions.reserve(&ticket, now).expect("no other session");
        sessions.confirm(&ticket, now);
        (ticket, key)
    }

    #[test]
    fn tickets_are_128_random_bits_in_guid_form() {
        let a = Ticket::generate().expect("random source");
        let b = Ticket::generate().expect("random source");
        let hex: String = a.as_str().chars().filter(|c| *c != '-').collect();
        assert_eq!(hex.len(), 32, "32 hex digits carry 128 bits");
        assert!(
            hex.chars().all(|c| c.is_ascii_hexdigit()),
            "hex only: {hex}"
        );
        assert_eq!(a.as_str().len(), 36, "8-4-4-4-12 grouping");
        assert_ne!(a, b, "tickets never repeat");
        assert_eq!(
            format!("{a:?}"),
            "Ticket(<hidden>)",
            "a ticket never reaches a log"
        );
    }

    #[test]
    fn calls_find_their_session_by_ticket() {
        let now = Instant::now();
        let sessions = Sessions::new(IDLE);
        let (ticket, key) = open(&sessions, now);
        let call = sessions
            .enter(ticket.as_str(), now)
            .expect("a live ticket is known");
        assert_eq!(
            call.key(),
            key,
            "the handler sees the same key for every call"
        );
        drop(call);
        assert!(
            sessions.enter("not-a-ticket", now).is_none(),
            "an unknown ticket is refused"
        );
    }

    #[test]
    fn a_second_session_is_busy_while_the_first_is_active() {
        let now = Instant::now();
        let sessions = Sessions::new(IDLE);
        let _first = open(&sessions, now);
        let other = Ticket::generate().expect("random source");
        assert_eq!(
            sessions.reserve(&other, now + IDLE / 2),
            Err(OpenRefused::Busy),
            "one session at a time"
        );
        assert!(
            sessions.reserve(&other, now + IDLE).is_ok(),
            "a session idle past the timeout no longer blocks a new one"
        );
    }

    #[test]
    fn an_opening_session_blocks_and_cannot_be_used() {
        let now = Instant::now();
        let sessions = Sessions::new(IDLE);
        let ticket = Ticket::generate().expect("random source");
        sessions.reserve(&ticket, now).expect("first");
        assert!(
            sessions.enter(ticket.as_str(), now).is_none(),
            "not usable before the handler opened it"
        );
        let other = Ticket::generate().expect("random source");
        assert_eq!(
            sessions.reserve(&other, now + IDLE * 2),
            Err(OpenRefused::Busy),
            "a reservation blocks"
        );
        sessions.discard(&ticket);
        assert!(
            sessions.reserve(&other, now).is_ok(),
            "a discarded reservation frees the slot"
        );
    }

    #[test]
    fn idle_sessions_expire_but_not_during_a_call() {
        let now = Instant::now();
        let sessions = Sessions::new(IDLE);
        let (ticket, key) = open(&sessions, now);
        let call = sessions.enter(ticket.as_str(), now).expect("live");
        assert!(
            sessions.expire(now + IDLE * 3).is_empty(),
            "a call in progress keeps the session"
        );
        drop(call);
        let later = Instant::now() + IDLE;
        assert!(
            sessions.enter(ticket.as_str(), later).is_none(),
            "past the idle timeout the ticket is refused"
        );
        assert_eq!(
            sessions.expire(later),
            vec![key],
            "the sweep reports it for abandon_session"
        );
        assert!(sessions.expire(later).is_empty(), "reported once");
    }

    #[test]
    fn close_ends_the_session_once() {
        let now = Instant::now();
        let sessions = Sessions::new(IDLE);
        let (ticket, key) = open(&sessions, now);
        assert_eq!(
            sessions.close(ticket.as_str(), now),
            Some(key),
            "closeConnection ends it"
        );
        assert_eq!(
            sessions.close(ticket.as_str(), now),
            None,
            "a second close finds nothing"
        );
        assert!(
            sessions.expire(now + IDLE * 2).is_empty(),
            "a closed session is never abandoned"
        );
    }
}
