//! Slowing down password guessing: after [`MAX_FAILURES`] different wrong passwords within
//! [`FAILURE_WINDOW`], `authenticate` is refused (answered `nvu`, without looking at the
//! password) for a lockout that doubles each time, from [`FIRST_LOCKOUT`] up to
//! [`MAX_LOCKOUT`]. A right password outside a lockout clears the record.
//!
//! Owns: the counting and the clock arithmetic. Does not own: comparing passwords, logging or
//! events (the caller does those, so this stays a pure state machine tested without sleeping).
//!
//! # Several Windows users on one PC
//!
//! The endpoint listens on loopback, which every user of a PC shares (Remote Desktop
//! Services, fast user switching), so the caller's address says nothing about who is
//! calling. A second user's Web Connector calling this FieldBridge on its schedule, with a
//! .qwc whose user name or password is not ours (its own FieldBridge's, or a stale one),
//! must not lock out the first user's Web Connector. Two rules see to that:
//!
//! - **Per user name.** Failures count against the user name they named ([`Caller`]): the
//!   .qwc's user name has its own record, every other name shares a second one. Only our
//!   user name can ever authenticate, so guesses under another name gain an attacker
//!   nothing, and their lockout never refuses our user.
//! - **Different passwords.** A Web Connector sends the same stored password on every
//!   scheduled run; sending it again is one mistake repeated, not a guess, so a wrong
//!   password counts once within the window. Guessing needs different passwords, and each
//!   is counted. Passwords are remembered only as a keyed hash (random key per process),
//!   never as text.
//!
//! The alternative, a port per data folder, is what lets each Windows user run a FieldBridge
//! of their own (the port is a setting); it does not make this throttle safe on its own, as
//! a second user's Web Connector may still be pointed at the first user's port. These rules
//! do, whatever the ports.

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

/// Different wrong passwords allowed inside the window before a lockout: a person mistyping
/// gets a few tries, a script does not get thousands.
pub const MAX_FAILURES: usize = 5;
/// How far back wrong attempts are counted.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(10 * 60);
/// The first lockout; each further one doubles.
pub const FIRST_LOCKOUT: Duration = Duration::from_secs(30);
/// The longest lockout, so a forgotten script cannot lock the office out for a day.
pub const MAX_LOCKOUT: Duration = Duration::from_secs(15 * 60);
/// After this long without a wrong attempt, the next lockout starts again from the first.
pub const LOCKOUT_MEMORY: Duration = Duration::from_secs(60 * 60);

/// Whose record an attempt counts against (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// The attempt named the .qwc's user name, the only one that can authenticate.
    OurUser,
    /// The attempt named any other user name.
    OtherUser,
}

#[derive(Debug, Default)]
pub struct Throttle {
    ours: Record,
    others: Record,
    /// Keys the hashes of wrong passwords (random per process).
    hasher: RandomState,
}

/// One user name's wrong attempts and lockouts.
#[derive(Debug, Default)]
struct Record {
    /// Recent different wrong passwords: when each was first sent and its keyed hash,
    /// oldest first.
    // INVARIANT: never longer than MAX_FAILURES, no hash twice; cleared when a lockout starts.
    failures: VecDeque<(Instant, u64)>,
    locked_until: Option<Instant>,
    /// How many lockouts in a row (sets the next lockout's length).
    lockouts: u32,
    last_failure: Option<Instant>,
}

impl Throttle {
    fn record(&self, caller: Caller) -> &Record {
        match caller {
            Caller::OurUser => &self.ours,
            Caller::OtherUser => &self.others,
        }
    }

    /// `Err(remaining)` while `caller`'s lockout lasts: refuse without checking the password.
    pub fn check(&self, caller: Caller, now: Instant) -> Result<(), Duration> {
        match self.record(caller).locked_until {
            Some(until) if now < until => Err(until - now),
            _ => Ok(()),
        }
    }

    /// Records a wrong attempt by `caller` with `password`; `Some(lockout)` when this attempt
    /// starts a lockout.
    pub fn record_failure(
        &mut self,
        caller: Caller,
        password: &str,
        now: Instant,
    ) -> Option<Duration> {
        let hash = self.hasher.hash_one(password);
        let record = match caller {
            Caller::OurUser => &mut self.ours,
            Caller::OtherUser => &mut self.others,
        };
        record.record_failure(hash, now)
    }

    /// A right password outside a lockout: forget our user's wrong attempts.
    pub fn record_success(&mut self) {
        self.ours = Record::default();
    }
}

impl Record {
    fn record_failure(&mut self, hash: u64, now: Instant) -> Option<Duration> {
        if self
            .last_failure
            .is_some_and(|last| now.duration_since(last) >= LOCKOUT_MEMORY)
        {
            self.lockouts = 0;
        }
        self.last_failure = Some(now);
        while self
            .failures
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) >= FAILURE_WINDOW)
        {
            self.failures.pop_front();
        }
        if self.failures.iter().any(|(_, h)| *h == hash) {
            // The same wrong password again: one mistake repeated, not a new guess.
            return None;
        }
        self.failures.push_back((now, hash));
        if self.failures.len() < MAX_FAILURES {
            return None;
        }
        self.failures.clear();
        let lockout = FIRST_LOCKOUT
            .saturating_mul(1u32 << self.lockouts.min(16))
            .min(MAX_LOCKOUT);
        self.lockouts = self.lockouts.saturating_add(1);
        self.locked_until = Some(now + lockout);
        Some(lockout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const US: Caller = Caller::OurUser;

    /// `n` different wrong passwords by our user; the last answer.
    fn fail_times(t: &mut Throttle, now: Instant, n: usize) -> Option<Duration> {
        let mut last = None;
        for i in 0..n {
            last = t.record_failure(US, &format!("guess-{i}"), now);
        }
        last
    }

    #[test]
    fn a_few_mistakes_are_allowed() {
        let now = Instant::now();
        let mut t = Throttle::default();
        assert_eq!(
            fail_times(&mut t, now, MAX_FAILURES - 1),
            None,
            "below the limit: no lockout"
        );
        assert_eq!(t.check(US, now), Ok(()), "and authenticate is still heard");
    }

    #[test]
    fn the_limit_locks_out_and_the_lockout_grows() {
        let start = Instant::now();
        let mut t = Throttle::default();
        let first = fail_times(&mut t, start, MAX_FAILURES).expect("the fifth failure locks");
        assert_eq!(first, FIRST_LOCKOUT, "the first lockout is the shortest");
        assert_eq!(
            t.check(US, start + Duration::from_secs(1)),
            Err(first - Duration::from_secs(1)),
            "refused during the lockout"
        );
        let after = start + first;
        assert_eq!(
            t.check(US, after),
            Ok(()),
            "heard again once the lockout ends"
        );
        let second = fail_times(&mut t, after, MAX_FAILURES).expect("locks again");
        assert_eq!(second, FIRST_LOCKOUT * 2, "each lockout doubles");
        let mut now = after + second;
        let mut last = second;
        for _ in 0..10 {
            last = fail_times(&mut t, now, MAX_FAILURES).expect("locks again");
            now += last;
        }
        assert_eq!(last, MAX_LOCKOUT, "the lockout is capped");
    }

    #[test]
    fn old_failures_fall_out_of_the_window() {
        let start = Instant::now();
        let mut t = Throttle::default();
        fail_times(&mut t, start, MAX_FAILURES - 1);
        let later = start + FAILURE_WINDOW;
        assert_eq!(
            t.record_failure(US, "one more", later),
            None,
            "failures older than the window do not count"
        );
    }

    #[test]
    fn success_clears_the_record() {
        let start = Instant::now();
        let mut t = Throttle::default();
        fail_times(&mut t, start, MAX_FAILURES - 1);
        t.record_success();
        assert_eq!(
            t.record_failure(US, "one more", start),
            None,
            "a right password resets the count"
        );
    }

    #[test]
    fn a_quiet_hour_resets_the_lockout_length() {
        let start = Instant::now();
        let mut t = Throttle::default();
        fail_times(&mut t, start, MAX_FAILURES);
        let later = start + LOCKOUT_MEMORY + FIRST_LOCKOUT;
        assert_eq!(
            fail_times(&mut t, later, MAX_FAILURES),
            Some(FIRST_LOCKOUT),
            "after a long quiet period the next lockout is short again"
        );
    }

    #[test]
    fn the_same_wrong_password_again_and_again_never_locks_out() {
        let start = Instant::now();
        let mut t = Throttle::default();
        for run in 0..100u64 {
            // A Web Connector with a stale password, on a one-minute schedule.
            let now = start + Duration::from_secs(60 * run);
            assert_eq!(t.record_failure(US, "stale", now), None, "run {run}");
            assert_eq!(t.check(US, now), Ok(()), "run {run}: still heard");
        }
        assert_eq!(
            fail_times(
                &mut t,
                start + Duration::from_secs(60 * 99),
                MAX_FAILURES - 1
            ),
            Some(FIRST_LOCKOUT),
            "different guesses still count (the stale one is one of the five)"
        );
    }

    #[test]
    fn another_user_names_failures_never_lock_out_ours() {
        let now = Instant::now();
        let mut t = Throttle::default();
        let mut locked = None;
        for i in 0..(MAX_FAILURES * 4) {
            locked = locked.or(t.record_failure(Caller::OtherUser, &format!("p{i}"), now));
        }
        assert!(
            locked.is_some() && t.check(Caller::OtherUser, now).is_err(),
            "the other name is locked out (else this test proves nothing)"
        );
        assert_eq!(t.check(US, now), Ok(()), "our user is still heard");
    }
}
