//! What the platform received on `POST /fieldbridge/v1/events`: every event kept once by
//! `source` + `seq` (the contract's deduplication key), with the repeats and out-of-order
//! arrivals counted so a test can tell "at least once" (repeats allowed) from "lost" or
//! "reordered" (failures).
//!
//! A delivery is checked before anything is kept: the body's shape, at most
//! [`MAX_BATCH`] events, seqs strictly increasing within the batch, and the
//! `Idempotency-Key` equal to `SOURCE:FIRST-LAST`. A delivery that fails a check changes
//! nothing.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The contract's ceiling on events per request.
pub const MAX_BATCH: usize = 500;

/// Every source's log.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub sources: BTreeMap<String, SourceLog>,
}

/// What one installation (one `source`) delivered.
#[derive(Debug, Clone, Default)]
pub struct SourceLog {
    /// Every distinct seq received.
    pub seqs: BTreeSet<u64>,
    /// The distinct events, in the order they first arrived.
    pub events: Vec<Value>,
    /// Events received again (same seq): allowed by the contract after a crash.
    pub repeats: u64,
    /// New events whose seq was below one already received: a reordering, never allowed.
    pub out_of_order: u64,
    /// Accepted deliveries.
    pub batches: u64,
    /// Distinct events per `type`.
    pub by_type: BTreeMap<String, u64>,
    /// The latest event about each app record (`kind`, `id`).
    pub latest: BTreeMap<(String, String), Value>,
}

/// What one accepted delivery added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    pub new: usize,
    pub repeated: usize,
}

impl SourceLog {
    /// Seqs missing between the first and the last received (meaningful when the sender's
    /// seqs have no holes of their own; a test compares against the sender's own list).
    pub fn holes(&self) -> Vec<u64> {
        let (Some(first), Some(last)) = (self.seqs.first(), self.seqs.last()) else {
            return Vec::new();
        };
        (*first..=*last)
            .filter(|s| !self.seqs.contains(s))
            .collect()
    }
}

impl Received {
    /// Checks and keeps one delivery. `Err` says in words what was wrong (answered 400).
    pub fn deliver(
        &mut self,
        body: &Value,
        idempotency_key: Option<&str>,
    ) -> Result<Delivery, String> {
        let source = body
            .get("source")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or("the body has no \"source\" string")?;
        let events = body
            .get("events")
            .and_then(Value::as_array)
            .ok_or("the body has no \"events\" array")?;
        if let Some(extra) = body
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "source" && *k != "events"))
        {
            return Err(format!("unknown field {extra:?} in the body"));
        }
        if events.is_empty() {
            return Err("\"events\" is empty".into());
        }
        if events.len() > MAX_BATCH {
            return Err(format!(
                "{} events in one request; at most {MAX_BATCH}",
                events.len()
            ));
        }
        let mut seqs = Vec::with_capacity(events.len());
        for (i, e) in events.iter().enumerate() {
            let seq = e
                .get("seq")
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("events[{i}] has no numeric \"seq\""))?;
            for field in ["type", "at"] {
                e.get(field)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("events[{i}] has no \"{field}\" string"))?;
            }
            if seqs.last().is_some_and(|prev| *prev >= seq) {
                return Err(format!(
                    "events[{i}]: seq {seq} does not follow the previous one"
                ));
            }
            seqs.push(seq);
        }
        let expected = format!("{source}:{}-{}", seqs[0], seqs[seqs.len() - 1]);
        match idempotency_key {
            Some(k) if k == expected => {}
            Some(k) => return Err(format!("Idempotency-Key {k:?}, expected {expected:?}")),
            None => return Err(format!("no Idempotency-Key header (expected {expected:?})")),
        }
        let log = self.sources.entry(source.to_owned()).or_default();
        let mut outcome = Delivery {
            new: 0,
            repeated: 0,
        };
        for (e, seq) in events.iter().zip(seqs) {
            if !log.seqs.insert(seq) {
                log.repeats += 1;
                outcome.repeated += 1;
                continue;
            }
            if log.seqs.last().is_some_and(|max| *max > seq) {
                log.out_of_order += 1;
            }
            let kind = e.get("type").and_then(Value::as_str).unwrap_or_default();
            *log.by_type.entry(kind.to_owned()).or_insert(0) += 1;
            if let (Some(k), Some(id)) = (
                e.get("kind").and_then(Value::as_str),
                e.get("id").and_then(Value::as_str),
            ) {
                log.latest.insert((k.to_owned(), id.to_owned()), e.clone());
            }
            log.events.push(e.clone());
            outcome.new += 1;
        }
        log.batches += 1;
        Ok(outcome)
    }

    /// Counts per source, for a person.
    pub fn summary(&self) -> Value {
        let mut out = serde_json::Map::new();
        for (source, log) in &self.sources {
            out.insert(
                source.clone(),
                serde_json::json!({
                    "events": log.seqs.len(),
                    "first_seq": log.seqs.first(),
                    "last_seq": log.seqs.last(),
                    "holes": log.holes().len(),
                    "repeats": log.repeats,
                    "out_of_order": log.out_of_order,
                    "batches": log.batches,
                    "by_type": log.by_type,
                }),
            );
        }
        Value::Object(out)
    }
}
