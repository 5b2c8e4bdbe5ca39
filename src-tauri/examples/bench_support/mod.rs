//! Shared pieces of the `bench_*` examples: generated field-service data and percentile
//! arithmetic. Not an example itself (cargo only builds `examples/*.rs` and
//! `examples/*/main.rs`); each bench includes it with `#[path]`.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::time::Duration;

/// A tiny deterministic generator (xorshift64*), so every run of a bench sees the same data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// An import document: `customers` app customers ("FS Client 100001"...: no word or number
/// they share with the QuickBooks side's "QB Customer 1"..., so none needs pairing) and one
/// invoice per customer, up to `invoices`, with 1 to 5 lines each.
pub fn field_data(customers: usize, invoices: usize, seed: u64) -> Value {
    let mut rng = Rng::new(seed);
    let mut cs = Vec::with_capacity(customers);
    let mut is = Vec::with_capacity(invoices);
    for n in 1..=customers {
        let num = 100_000 + n;
        cs.push(json!({
            "id": format!("C-{num}"),
            "name": format!("FS Client {num}"),
            "email": format!("office{num}@fieldservice.example"),
            "phone": format!("(312) {:03}-{:04}", num % 1000, num % 10_000),
            "billing_address": {"line1": format!("{num} Lake Shore Dr"), "city": "Chicago", "state": "IL", "postal_code": "60611"},
            "taxable": n % 2 == 0
        }));
    }
    for n in 1..=invoices {
        let num = 100_000 + ((n - 1) % customers.max(1)) + 1;
        let lines: Vec<Value> = (0..rng.range(1, 5))
            .map(|l| {
                json!({
                    "description": format!("Service line {l}: labor & parts <{n}>"),
                    "quantity": format!("{}", rng.range(1, 8)),
                    "rate": format!("{}.{:02}", rng.range(10, 400), rng.range(0, 99)),
                    "taxable": l % 2 == 1
                })
            })
            .collect();
        is.push(json!({
            "id": format!("I-{n}"),
            "customer_id": format!("C-{num}"),
            "number": format!("{}", 500_000 + n),
            "date": "2026-10-02",
            "due_date": "2026-11-01",
            "lines": lines
        }));
    }
    json!({"customers": cs, "invoices": is})
}

/// Item mappings every bench needs (the simulator's fixture items).
pub const ITEM_MAPPINGS: [(&str, &str); 4] = [
    ("service-item", "Labor"),
    ("service-tax-item", "IL State"),
    ("project-item", "Labor"),
    ("project-tax-item", "IL State"),
];

/// Nearest-rank percentile of sorted samples (`p` in 0..=100).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// "n=.. median=.. p99=.. max=.." in milliseconds.
pub fn summary(samples: &mut [Duration]) -> String {
    samples.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "n={} median={:.3} ms p99={:.3} ms max={:.3} ms",
        samples.len(),
        ms(percentile(samples, 50.0)),
        ms(percentile(samples, 99.0)),
        ms(samples.last().copied().unwrap_or_default())
    )
}

/// The machine, for the figures: `nproc`, memory and CPU model.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_owned())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| format!("{} GiB", kb / 1024 / 1024))
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{cores} cores, {mem} RAM, {cpu}")
}
