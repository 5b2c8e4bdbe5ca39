//! The platform's records and their change log: what `GET /fieldbridge/v1/changes` serves.
//!
//! Every upsert gives the record a new change number; a changes page holds the records whose
//! latest change is after the cursor, oldest change first, grouped into one import-format
//! document. A record changed twice appears once, at its latest change, as a platform's
//! "changed since" query would return it. Parents are created before their children, so a
//! page never names a parent that an earlier page or the same page did not hold.
//! The cursor is opaque to FieldBridge; here it is `c` followed by a change number.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// The import format's top-level keys, in the order a document lists them.
pub const KINDS: [&str; 7] = [
    "customers",
    "projects",
    "service_tickets",
    "invoices",
    "payments",
    "vendors",
    "expenses",
];

/// The most records one changes page may hold (the contract's `limit` ceiling).
pub const MAX_PAGE: usize = 1000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RecordsError {
    #[error("the document is not a JSON object")]
    NotAnObject,
    #[error("unknown kind {0:?} (expected one of {KINDS:?})")]
    UnknownKind(String),
    #[error("{kind} must be an array of objects, each with a string \"id\"")]
    BadRecord { kind: String },
    #[error("cursor {0:?} was never issued by this platform")]
    BadCursor(String),
}

/// One page of changes, as the contract's answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChangesPage {
    pub records: Value,
    pub cursor: String,
    pub more: bool,
}

/// The records and their change order.
#[derive(Debug, Default)]
pub struct RecordLog {
    /// (kind, id) → (change number, the record).
    records: HashMap<(String, String), (u64, Value)>,
    /// change number → (kind, id): the change order, one entry per record (its latest).
    order: BTreeMap<u64, (String, String)>,
    last_change: u64,
}

impl RecordLog {
    /// Adds or replaces every record of an import-format document, in the document's kind
    /// order (parents first). All or nothing: a malformed document changes nothing.
    pub fn upsert(&mut self, doc: &Value) -> Result<usize, RecordsError> {
        let obj = doc.as_object().ok_or(RecordsError::NotAnObject)?;
        for key in obj.keys() {
            if !KINDS.contains(&key.as_str()) {
                return Err(RecordsError::UnknownKind(key.clone()));
            }
        }
        let mut staged = Vec::new();
        for kind in KINDS {
            let Some(list) = obj.get(kind) else { continue };
            let bad = || RecordsError::BadRecord {
                kind: kind.to_owned(),
            };
            for record in list.as_array().ok_or_else(bad)? {
                let id = record.get("id").and_then(Value::as_str).ok_or_else(bad)?;
                if !record.is_object() {
                    return Err(bad());
                }
                staged.push((kind.to_owned(), id.to_owned(), record.clone()));
            }
        }
        let n = staged.len();
        for (kind, id, record) in staged {
            self.last_change += 1;
            let key = (kind, id);
            if let Some((old, _)) = self.records.get(&key) {
                self.order.remove(old);
            }
            self.order.insert(self.last_change, key.clone());
            self.records.insert(key, (self.last_change, record));
        }
        Ok(n)
    }

    /// The page after `cursor` (None: from the beginning), at most `limit` records.
    pub fn changes(&self, cursor: Option<&str>, limit: usize) -> Result<ChangesPage, RecordsError> {
        let after = match cursor {
            None => 0,
            Some(c) => c
                .strip_prefix('c')
                .and_then(|n| n.parse::<u64>().ok())
                .filter(|n| *n <= self.last_change)
                .ok_or_else(|| RecordsError::BadCursor(c.to_owned()))?,
        };
        let limit = limit.clamp(1, MAX_PAGE);
        let mut doc: Map<String, Value> = Map::new();
        let mut last = after;
        let mut taken = 0;
        let mut range = self.order.range(after + 1..);
        for (change, key) in range.by_ref() {
            let (_, record) = &self.records[key];
            doc.entry(key.0.clone())
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
                .expect("inserted as an array just above")
                .push(record.clone());
            last = *change;
            taken += 1;
            if taken == limit {
                break;
            }
        }
        let more = range.next().is_some();
        Ok(ChangesPage {
            records: Value::Object(doc),
            cursor: format!("c{last}"),
            more,
        })
    }

    /// How many records of each kind the platform holds.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for (kind, _) in self.records.keys() {
            *counts.entry(kind.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// The newest change number (0 when empty).
    pub fn last_change(&self) -> u64 {
        self.last_change
    }

    /// One record as the platform holds it.
    pub fn get(&self, kind: &str, id: &str) -> Option<&Value> {
        self.records
            .get(&(kind.to_owned(), id.to_owned()))
            .map(|(_, v)| v)
    }
}
