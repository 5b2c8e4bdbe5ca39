//! The simulated clock and the deterministic random source.
//!
//! Owns: the company's notion of "now" (with its UTC offset, as QuickBooks reports times in
//! the PC's local zone), how it advances, and the seeded generator used for iterator ids and
//! fault injection. Does not own: what is stamped with the time (the company decides).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

/// How far the clock moves for every request QuickBooks processes. One second keeps
/// TimeModified strictly increasing between requests, as it is on a real company file.
pub const DEFAULT_TICK_SECONDS: i64 = 1;

/// The simulated wall clock of the PC running QuickBooks.
#[derive(Debug, Clone)]
pub struct SimClock {
    now: DateTime<FixedOffset>,
    tick: Duration,
}

impl SimClock {
    /// Starts at `start`; every [`SimClock::tick`] moves it by `DEFAULT_TICK_SECONDS`.
    pub fn new(start: DateTime<FixedOffset>) -> Self {
        SimClock {
            now: start,
            tick: Duration::seconds(DEFAULT_TICK_SECONDS),
        }
    }

    /// 2024-06-03 09:00:00 at UTC-05:00 (US Central daylight time).
    pub fn default_start() -> DateTime<FixedOffset> {
        let offset = FixedOffset::west_opt(5 * 3600).unwrap_or(Utc.fix());
        // 14:00 UTC is 09:00 at UTC-05:00.
        let utc = NaiveDate::from_ymd_opt(2024, 6, 3)
            .and_then(|d| d.and_hms_opt(14, 0, 0))
            .unwrap_or_default();
        DateTime::from_naive_utc_and_offset(utc, offset)
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.now
    }

    pub fn offset(&self) -> FixedOffset {
        *self.now.offset()
    }

    /// Moves forward by one tick and returns the new time.
    pub fn tick(&mut self) -> DateTime<FixedOffset> {
        self.now += self.tick;
        self.now
    }

    pub fn advance(&mut self, by: Duration) {
        self.now += by;
    }

    pub fn set_now(&mut self, now: DateTime<FixedOffset>) {
        self.now = now;
    }

    /// Reads a qbXML DATETIMETYPE / DATETYPE value. Without an offset the value is in the
    /// company's local zone, as QuickBooks reads it.
    pub fn parse_datetime(&self, text: &str) -> Option<DateTime<FixedOffset>> {
        let text = text.trim();
        if let Ok(with_offset) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%:z") {
            return Some(with_offset);
        }
        let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
            .ok()
            .or_else(|| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })?;
        self.offset().from_local_datetime(&naive).single()
    }
}

/// Formats a time the way QuickBooks does: `2024-06-03T09:00:00-05:00`.
pub fn format_datetime(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// SplitMix64: small, fast, and identical on every platform, so a seed always gives the
/// same run.
#[derive(Debug, Clone)]
pub struct SeededRng {
    state: u64,
}

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u32) -> bool {
        per_mille > 0 && (self.next_u64() % 1000) < u64::from(per_mille)
    }

    /// A value in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// A GUID in braces, as QuickBooks writes iterator ids.
    pub fn guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{{{:08x}-{:04x}-{:04x}-{:04x}-{:012x}}}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_times_without_offset_in_company_zone() {
        let clock = SimClock::new(SimClock::default_start());
        let t = clock.parse_datetime("2024-01-01T00:00:00").expect("valid");
        assert_eq!(
            format_datetime(&t),
            "2024-01-01T00:00:00-05:00",
            "a time without offset is company-local"
        );
        let d = clock
            .parse_datetime("2024-01-02")
            .expect("date only is valid");
        assert_eq!(format_datetime(&d), "2024-01-02T00:00:00-05:00");
        let z = clock
            .parse_datetime("2024-01-01T06:00:00+01:00")
            .expect("offset form");
        assert_eq!(z.timestamp(), t.timestamp(), "06:00+01 is 00:00-05");
    }

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SeededRng::new(7);
        let mut b = SeededRng::new(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys, "determinism is what makes fault runs reproducible");
        assert_ne!(SeededRng::new(8).next_u64(), xs[0], "seeds matter");
    }
}
