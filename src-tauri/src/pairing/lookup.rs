//! Where the QuickBooks side of pairing is kept, and the decision written once over it.
//!
//! Owns the [`QbLookup`] trait: rows by hashed key, a row's [`Party`], and which rows are
//! already linked. Two keepers implement it: [`super::Matcher`] holds everything in memory
//! (the Customers page's suggestions, the pairing tests), and the sync's pushing stage reads
//! the keys from SQLite (`store::pairing_keys`), so its memory does not grow with
//! QuickBooks' lists. The rules ([`QbLookup::candidates`], [`QbLookup::decide`],
//! [`QbLookup::name_taken`]) are the provided methods, so both keepers decide alike by
//! construction; what differs is only where a row comes from.
//!
//! Does not own: which keys a record is filed under ([`super::qb_keys`]) or how two parties
//! compare ([`super::compare`]).

use super::index::{hash, Key};
use super::{
    addresses_compatible, compare_sides, normalize_name, word_keys, Candidate, Decision, Party,
    Reason, Side, MAX_SUGGESTIONS, MIN_SUGGESTION_SCORE,
};
use std::borrow::Cow;

/// A keeper of QuickBooks' customers and jobs as pairing looks them up. Only *active*
/// records are filed (an inactive one is never a candidate).
pub trait QbLookup {
    /// How the keeper numbers its records.
    type Row: Copy + Ord;
    type Error;

    /// The rows filed under a key that is not a name word (ListID, name, company name,
    /// core name, phone, e-mail, street address), each once, in row order.
    fn rows(&self, key: u64) -> Result<Vec<Self::Row>, Self::Error>;

    /// The rows filed under a name word, each once; none when more than
    /// [`super::MAX_WORD_FANOUT`] rows share it (a common word says nothing about identity).
    fn word_rows(&self, key: u64) -> Result<Vec<Self::Row>, Self::Error>;

    /// The record a row holds (`None` if it is gone).
    fn party(&self, row: Self::Row) -> Result<Option<Cow<'_, Party>>, Self::Error>;

    /// True when the row's record is linked to an app customer other than `app_key`.
    fn claimed_by_other(&self, row: Self::Row, app_key: &str) -> Result<bool, Self::Error>;

    /// Records that a [`Decision::Link`] gave the row to `app_key` (a keeper that reads the
    /// links from where the caller stores them has nothing to do).
    fn claim(&self, row: Self::Row, app_key: &str) -> Result<(), Self::Error>;

    /// The row of a ListID, if that record is filed.
    fn row_of(&self, list_id: &str) -> Result<Option<Self::Row>, Self::Error> {
        for r in self.rows(hash(Key::ListId, list_id))? {
            if self.party(r)?.is_some_and(|p| p.key == list_id) {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// The QuickBooks record a candidate names.
    fn party_of_list_id(&self, list_id: &str) -> Result<Option<Party>, Self::Error> {
        match self.row_of(list_id)? {
            Some(r) => Ok(self.party(r)?.map(Cow::into_owned)),
            None => Ok(None),
        }
    }

    /// The QuickBooks records that may be `app`, best first (at most five, each at least
    /// [`MIN_SUGGESTION_SCORE`]), leaving out those linked to another app customer.
    fn candidates(&self, app: &Party) -> Result<Vec<Candidate>, Self::Error> {
        let side = Side::of(app);
        let mut seen: Vec<Self::Row> = Vec::new();
        for f in &side.names {
            for kind in [Key::Name, Key::CompanyName] {
                seen.extend(self.rows(hash(kind, &f.exact))?);
            }
        }
        for k in side.shared_keys() {
            seen.extend(self.rows(k)?);
        }
        for k in word_keys(&side.names) {
            seen.extend(self.word_rows(k)?);
        }
        seen.sort_unstable();
        seen.dedup();
        let mut out = Vec::new();
        for r in seen {
            if self.claimed_by_other(r, &app.key)? {
                continue;
            }
            let Some(qb) = self.party(r)? else {
                continue;
            };
            let (score, reasons) = compare_sides(&side, &Side::of(&qb));
            if score >= MIN_SUGGESTION_SCORE {
                out.push(Candidate {
                    list_id: qb.key.clone(),
                    score,
                    reasons,
                });
            }
        }
        out.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.list_id.cmp(&b.list_id))
        });
        out.truncate(MAX_SUGGESTIONS);
        Ok(out)
    }

    /// Links, suggests or finds nothing for `app` (the rules in the module doc of
    /// [`super`]). A link claims the QuickBooks record: from then on it is no candidate for
    /// another customer.
    fn decide(&self, app: &Party) -> Result<Decision, Self::Error> {
        let candidates = self.candidates(app)?;
        let exact: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| c.reasons.contains(&Reason::SameName))
            .collect();
        if let [only] = exact[..] {
            if let Some(row) = self.row_of(&only.list_id)? {
                let compatible = self
                    .party(row)?
                    .is_some_and(|qb| addresses_compatible(app, &qb));
                if compatible {
                    self.claim(row, &app.key)?;
                    return Ok(Decision::Link(only.list_id.clone()));
                }
            }
        }
        Ok(if candidates.is_empty() {
            Decision::NoCandidate
        } else {
            Decision::Suggest(candidates)
        })
    }

    /// True when QuickBooks already has an active customer or job whose name is `name` once
    /// case, spacing and punctuation are set aside: FieldBridge must never create such a
    /// customer.
    fn name_taken(&self, name: &str) -> Result<bool, Self::Error> {
        let name = normalize_name(name);
        for r in self.rows(hash(Key::Name, &name))? {
            if self
                .party(r)?
                .is_some_and(|p| normalize_name(&p.name) == name)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
