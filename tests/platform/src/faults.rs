//! Failing on purpose, as a real platform on the internet does: a seeded fraction of
//! requests answered 503 with `Retry-After`, connections dropped without an answer, slow
//! answers, one malformed changes page. Seeded (splitmix64), so a failing run can be
//! repeated exactly.

use std::time::Duration;

/// What to inject. Rates are per request, between 0 and 1.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    pub seed: u64,
    /// Fraction of requests answered `503` with `Retry-After: retry_after_s`.
    pub unavailable_rate: f64,
    pub retry_after_s: u64,
    /// Fraction of requests whose connection is dropped without an answer.
    pub drop_rate: f64,
    /// Every answer waits this long first.
    pub delay_ms: u64,
    /// The next N changes pages are malformed (not the contract's shape).
    pub invalid_pages: u32,
}

impl Default for Faults {
    fn default() -> Self {
        Self::none()
    }
}

impl Faults {
    /// A healthy platform.
    pub fn none() -> Self {
        Self {
            seed: 1,
            unavailable_rate: 0.0,
            retry_after_s: 1,
            drop_rate: 0.0,
            delay_ms: 0,
            invalid_pages: 0,
        }
    }

    /// `rate` of all requests fail, half as 503s and half as dropped connections.
    pub fn flaky(seed: u64, rate: f64) -> Self {
        Self {
            seed,
            unavailable_rate: rate / 2.0,
            drop_rate: rate / 2.0,
            ..Self::none()
        }
    }
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Answer,
    Unavailable { retry_after_s: u64 },
    Drop,
}

/// The faults and the random stream they draw from.
#[derive(Debug, Clone)]
pub struct FaultState {
    pub faults: Faults,
    rng: u64,
}

impl FaultState {
    pub fn new(faults: Faults) -> Self {
        let rng = faults.seed;
        Self { faults, rng }
    }

    fn next_unit(&mut self) -> f64 {
        // splitmix64: small, fast, well distributed; enough for choosing failures.
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Draws the fate of the next request.
    pub fn draw(&mut self) -> Fate {
        let x = self.next_unit();
        if x < self.faults.unavailable_rate {
            Fate::Unavailable {
                retry_after_s: self.faults.retry_after_s,
            }
        } else if x < self.faults.unavailable_rate + self.faults.drop_rate {
            Fate::Drop
        } else {
            Fate::Answer
        }
    }

    /// True (and counts it down) when this changes page must be malformed.
    pub fn take_invalid_page(&mut self) -> bool {
        if self.faults.invalid_pages > 0 {
            self.faults.invalid_pages -= 1;
            true
        } else {
            false
        }
    }

    pub fn delay(&self) -> Duration {
        Duration::from_millis(self.faults.delay_ms)
    }
}
