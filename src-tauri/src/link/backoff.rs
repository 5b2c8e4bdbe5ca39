//! When to call the platform again after a failure (`platform-link.md`, "Failures"):
//! exponential from 1 s to 5 minutes with jitter, honouring the platform's `Retry-After`.
//!
//! Jitter is "equal jitter": half the step fixed, half random, so a fleet of offices that
//! lost the platform at the same moment does not come back in the same second, and no wait
//! is ever shorter than half its step.

use std::time::Duration;

/// The first wait after a failure.
pub const FIRST: Duration = Duration::from_secs(1);
/// The longest wait: a platform that is down for an hour is retried every five minutes, so
/// it hears from the office within five minutes of coming back.
pub const MAX: Duration = Duration::from_secs(5 * 60);

/// Consecutive failures and the random stream for jitter.
#[derive(Debug, Clone)]
pub struct Backoff {
    failures: u32,
    rng: u64,
}

impl Backoff {
    /// `seed` only spreads the jitter; any value works.
    pub fn new(seed: u64) -> Self {
        Self {
            failures: 0,
            rng: seed | 1,
        }
    }

    /// A call went through: the next failure starts again at [`FIRST`].
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// How many calls failed in a row.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A call failed: how long to wait before the next one. `retry_after` is what the
    /// platform asked for; it is honoured (never called sooner), up to [`MAX`].
    pub fn next_wait(&mut self, retry_after: Option<Duration>) -> Duration {
        let step = FIRST.saturating_mul(1u32 << self.failures.min(16)).min(MAX);
        self.failures = self.failures.saturating_add(1);
        let half = step / 2;
        let jitter = half.mul_f64(self.unit());
        let wait = half + jitter;
        match retry_after {
            Some(asked) => wait.max(asked.min(MAX)),
            None => wait,
        }
    }

    /// xorshift64*: enough to spread retries; not for secrets.
    fn unit(&mut self) -> f64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let x = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_from_one_second_to_five_minutes_with_jitter_inside_each_step() {
        let mut b = Backoff::new(7);
        let mut steps = Vec::new();
        for _ in 0..15 {
            steps.push(b.next_wait(None));
        }
        assert!(
            steps[0] >= Duration::from_millis(500) && steps[0] <= FIRST,
            "{:?}",
            steps[0]
        );
        assert!(steps[3] >= Duration::from_secs(4) && steps[3] <= Duration::from_secs(8));
        for w in &steps {
            assert!(*w <= MAX, "never more than five minutes: {w:?}");
        }
        assert!(
            steps[14] >= MAX / 2,
            "after many failures the wait sits near the cap"
        );
        let distinct: std::collections::HashSet<_> = steps[10..].iter().collect();
        assert!(distinct.len() > 1, "capped waits still vary (jitter)");
    }

    #[test]
    fn retry_after_is_honoured_but_capped_and_a_success_starts_again() {
        let mut b = Backoff::new(1);
        assert!(b.next_wait(Some(Duration::from_secs(30))) >= Duration::from_secs(30));
        assert_eq!(
            b.next_wait(Some(Duration::from_secs(86_400))),
            MAX,
            "a day is capped at five minutes"
        );
        b.reset();
        assert_eq!(b.failures(), 0);
        assert!(b.next_wait(None) <= FIRST);
    }
}
