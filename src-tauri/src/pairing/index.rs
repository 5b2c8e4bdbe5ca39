//! The compact lookup structure behind [`super::Matcher`]: rows by hashed key.
//!
//! Owns how keys are hashed and laid out. One entry is 12 bytes (a 64-bit hash and a 32-bit
//! row number) in two parallel vectors sorted by hash, so 50,000 QuickBooks records with
//! about ten keys each hold about 6 MB, with no per-key allocation. A hash collision only
//! puts an extra row in front of the caller, which checks every row it is given.

use std::hash::{Hash, Hasher};

/// What a key is; hashed with the key's text so equal texts of two kinds differ.
#[derive(Debug, Clone, Copy, Hash)]
pub enum Key {
    ListId,
    Name,
    CompanyName,
    Core,
    Word,
    Phone,
    Email,
    Address,
}

/// A key's hash: SipHash with fixed keys, so the same text hashes the same in every run.
pub fn hash(kind: Key, text: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (kind, text).hash(&mut h);
    h.finish()
}

/// Rows by hashed key.
#[derive(Default)]
pub struct Index {
    hashes: Vec<u64>,
    rows: Vec<u32>,
}

impl Index {
    /// An index of `(hash, row)` entries (duplicates kept once).
    pub fn new(mut entries: Vec<(u64, u32)>) -> Self {
        entries.sort_unstable();
        entries.dedup();
        Index {
            hashes: entries.iter().map(|e| e.0).collect(),
            rows: entries.iter().map(|e| e.1).collect(),
        }
    }

    /// The rows filed under `hash`.
    pub fn get(&self, hash: u64) -> &[u32] {
        let start = self.hashes.partition_point(|h| *h < hash);
        let end = start + self.hashes[start..].partition_point(|h| *h == hash);
        &self.rows[start..end]
    }

    /// This index without the keys filed under more than `max` rows.
    pub fn without_common(self, max: usize) -> Self {
        let mut out = Index {
            hashes: Vec::with_capacity(self.hashes.len()),
            rows: Vec::with_capacity(self.rows.len()),
        };
        let mut i = 0;
        while i < self.hashes.len() {
            let run = self.hashes[i..].partition_point(|h| *h == self.hashes[i]);
            if run <= max {
                out.hashes.extend_from_slice(&self.hashes[i..i + run]);
                out.rows.extend_from_slice(&self.rows[i..i + run]);
            }
            i += run;
        }
        out.hashes.shrink_to_fit();
        out.rows.shrink_to_fit();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_key_and_common_keys_can_be_dropped() {
        let a = hash(Key::Word, "bakery");
        let b = hash(Key::Word, "dental");
        assert_ne!(a, hash(Key::Name, "bakery"), "the kind is part of the key");
        let index = Index::new(vec![(a, 3), (b, 1), (a, 2), (a, 3)]);
        assert_eq!(index.get(a), &[2, 3], "each row once, in order");
        assert_eq!(index.get(b), &[1]);
        assert!(index.get(hash(Key::Word, "other")).is_empty());
        let rare = index.without_common(1);
        assert!(rare.get(a).is_empty(), "a key on two rows is dropped at max 1");
        assert_eq!(rare.get(b), &[1]);
    }
}
