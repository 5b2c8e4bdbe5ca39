//! Slowing down password guessing: after [`MAX_FAILURES`] wrong attempts within
//! [`FAILURE_WINDOW`], `authenticate` is refused (answered `nvu`, without looking at the
//! password) for a lockout that doubles each time, from [`FIRST_LOCKOUT`] up to
//! [`MAX_LOCKOUT`]. A right password outside a lockout clears the record.
//!
//! Owns: the counting and the clock arithmetic. Does not own: comparing passwords, logging or
//! events (the caller does those, so this stays a pure state machine tested without sleeping).
//! The endpoint listens on loopback only, so one throttle for all callers is enough.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Wrong attempts allowed inside the window before a lockout: a person mistyping gets a few
/// tries, a script does not get thousands.
pub const MAX_FAILURES: usize = 5;
/// How far back wrong attempts are counted.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(10 * 60);
/// The first lockout; each further one doubles.
pub const FIRST_LOCKOUT: Duration = Duration::from_secs(30);
/// The longest lockout, so a forgotten script cannot lock the office out for a day.
pub const MAX_LOCKOUT: Duration = Duration::from_secs(15 * 60);
/// After this long without a wrong attempt, the next lockout starts again from the first.
pub const LOCKOUT_MEMORY: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Default)]
pub struct Throttle {
    /// When recent wrong attempts happened, oldest first.
    // INVARIANT: never longer than MAX_FAILURES; cleared when a lockout starts.
    failures: VecDeque<Instant>,
    locked_until: Option<Instant>,
    /// How many lockouts in a row (sets the next lockout's length).
    lockouts: u32,
    last_failure: Option<Instant>,
}

impl Throttle {
    /// `Err(remaining)` while a lockout lasts: refuse without checking the password.
    pub fn check(&self, now: Instant) -> Result<(), Duration> {
        match self.locked_until {
            Some(until) if now < until => Err(until - now),
            _ => Ok(()),
        }
    }

    /// Records a wrong attempt; `Some(lockout)` when this attempt starts a lockout.
    pub fn record_failure(&mut self, now: Instant) -> Option<Duration> {
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
            .is_some_and(|t| now.duration_since(*t) >= FAILURE_WINDOW)
        {
            self.failures.pop_front();
        }
        self.failures.push_back(now);
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

    /// A right password outside a lockout: forget the wrong ones.
    pub fn record_success(&mut self) {
        *self = Throttle::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail_times(t: &mut Throttle, now: Instant, n: usize) -> Option<Duration> {
        let mut last = None;
        for _ in 0..n {
            last = t.record_failure(now);
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
        assert_eq!(t.check(now), Ok(()), "and authenticate is still heard");
    }

    #[test]
    fn the_limit_locks_out_and_the_lockout_grows() {
        let start = Instant::now();
        let mut t = Throttle::default();
        let first = fail_times(&mut t, start, MAX_FAILURES).expect("the fifth failure locks");
        assert_eq!(first, FIRST_LOCKOUT, "the first lockout is the shortest");
        assert_eq!(
            t.check(start + Duration::from_secs(1)),
            Err(first - Duration::from_secs(1)),
            "refused during the lockout"
        );
        let after = start + first;
        assert_eq!(t.check(after), Ok(()), "heard again once the lockout ends");
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
            t.record_failure(later),
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
            t.record_failure(start),
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
}
