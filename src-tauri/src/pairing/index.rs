//! The compact lookup structure behind [`super::Matcher`]: rows by hashed key.
//!
//! Owns how keys are hashed and laid out. One entry is 12 bytes (a 64-bit hash and a 32-bit
//! row number) in two parallel vectors sorted by hash, plus about one byte of bucket offsets,
//! so 50,000 QuickBooks records with about six keys each hold under 4 MB, with no per-key
//! allocation. A hash collision only
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
    /// Where the hashes starting with each `bits`-bit prefix begin (one more at the end), so
    /// a lookup searches a handful of entries instead of the whole list: about one 4-byte
    /// offset per four entries.
    starts: Vec<u32>,
    bits: u32,
}

impl Index {
    /// An index of `(hash, row)` entries (duplicates kept once).
    pub fn new(mut entries: Vec<(u64, u32)>) -> Self {
        entries.sort_unstable();
        entries.dedup();
        Self::from_sorted(
            entries.iter().map(|e| e.0).collect(),
            entries.iter().map(|e| e.1).collect(),
        )
    }

    fn from_sorted(hashes: Vec<u64>, rows: Vec<u32>) -> Self {
        let bits = (hashes.len() / 4).max(1).ilog2().clamp(1, 24);
        let mut starts = Vec::with_capacity((1 << bits) + 1);
        let mut i = 0;
        for prefix in 0..(1u64 << bits) {
            while i < hashes.len() && hashes[i] >> (64 - bits) < prefix {
                i += 1;
            }
            starts.push(u32::try_from(i).expect("fewer than 4 billion entries"));
        }
        starts.push(u32::try_from(hashes.len()).expect("fewer than 4 billion entries"));
        Index {
            hashes,
            rows,
            starts,
            bits,
        }
    }

    /// The rows filed under `hash`.
    pub fn get(&self, hash: u64) -> &[u32] {
        let prefix = (hash >> (64 - self.bits)) as usize;
        let (lo, hi) = match self.starts.get(prefix..prefix + 2) {
            Some(&[lo, hi]) => (lo as usize, hi as usize),
            _ => return &[],
        };
        let bucket = &self.hashes[lo..hi];
        let start = bucket.partition_point(|h| *h < hash);
        let end = start + bucket[start..].partition_point(|h| *h == hash);
        &self.rows[lo + start..lo + end]
    }

    /// This index without the keys filed under more than `max` rows.
    pub fn without_common(self, max: usize) -> Self {
        let (mut hashes, mut rows) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < self.hashes.len() {
            let run = self.hashes[i..].partition_point(|h| *h == self.hashes[i]);
            if run <= max {
                hashes.extend_from_slice(&self.hashes[i..i + run]);
                rows.extend_from_slice(&self.rows[i..i + run]);
            }
            i += run;
        }
        hashes.shrink_to_fit();
        rows.shrink_to_fit();
        Self::from_sorted(hashes, rows)
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
        assert!(
            rare.get(a).is_empty(),
            "a key on two rows is dropped at max 1"
        );
        assert_eq!(rare.get(b), &[1]);
    }

    #[test]
    fn every_key_of_a_large_index_is_found_in_its_bucket() {
        let entries: Vec<(u64, u32)> = (0..10_000u32)
            .map(|i| (hash(Key::ListId, &format!("80-{i}")), i))
            .chain([(0, 7), (u64::MAX, 8)])
            .collect();
        let index = Index::new(entries.clone());
        for (h, row) in entries {
            assert_eq!(index.get(h), &[row], "hash {h:x}");
        }
        assert!(
            Index::new(Vec::new()).get(5).is_empty(),
            "an empty index finds nothing"
        );
    }
}
