//! Matching app customers to QuickBooks customers and jobs.
//!
//! Owns the rules for when two records are the same customer: the normalised forms of names,
//! phones, e-mail addresses and street addresses; the evidence a suggestion shows ("name",
//! "address", "phone", "email") and its strength; and the decision that follows:
//!
//! - **Link automatically** only on an exact normalised-name match that is the only one, with
//!   a compatible address where both sides have one.
//! - **Suggest** (a person decides; nothing is created meanwhile) when there is evidence but
//!   not that certainty: a near name as a person searching QuickBooks would find it (joined
//!   or split words, a trailing "Grp", "Inc" or "Center", a plural, punctuation: see
//!   [`names`]), or the same phone, e-mail or street address.
//! - **No candidate**: the customer can be created in QuickBooks.
//!
//! Out of the way, never a reason to hold a customer back: a QuickBooks name that differs by
//! a number ("Andersen Hardware 2", QuickBooks' habit for same-named customers), and a
//! QuickBooks record already linked to another app customer ([`Matcher::with_links`]).
//!
//! It owns no storage and no I/O: callers pass the two lists in and store the outcome.
//! Matching is indexed (by name, core name, rare name word, phone, e-mail and address), so
//! 10,000 app customers against 50,000 QuickBooks customers never compares every pair.

mod index;
mod lookup;
pub mod names;
mod normalize;

pub use lookup::QbLookup;
pub use normalize::{address_key, digits, normalize_email, normalize_name};

use index::{hash, Index, Key};
use names::{NameForms, NameMatch};
use std::borrow::Cow;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Mutex, MutexGuard};

/// One side of a comparison: the fields that can show two records are the same customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// The app customer's id, or the QuickBooks ListID.
    pub key: String,
    /// The name QuickBooks shows (for a job: its own name, not `Parent:Job`).
    pub name: String,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Billing address line 1 (the street), or the service address when there is no billing one.
    pub address_line1: Option<String>,
    pub postal_code: Option<String>,
}

/// Why a candidate is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The names are the same once case, spacing and punctuation are set aside.
    SameName,
    /// The names share their distinctive words ("Ecker Designs" / "Ecker Designs LLC").
    SimilarName,
    SameAddress,
    SamePhone,
    SameEmail,
}

/// A QuickBooks customer or job that may be the same as an app customer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Candidate {
    pub list_id: String,
    /// 0..=100: how strongly the evidence says "the same customer".
    pub score: u8,
    pub reasons: Vec<Reason>,
}

/// What to do with one app customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Certain: link to this ListID without asking.
    Link(String),
    /// Evidence but no certainty: the office manager chooses (best first).
    Suggest(Vec<Candidate>),
    /// Nothing in QuickBooks looks like this customer.
    NoCandidate,
}

/// The least score worth showing as a suggestion.
const MIN_SUGGESTION_SCORE: u8 = 35;
/// At most this many suggestions per app customer.
const MAX_SUGGESTIONS: usize = 5;
/// A name word shared by more QuickBooks records than this ("residence", "family", "inc")
/// says nothing about identity, and indexing it would compare too many pairs.
pub const MAX_WORD_FANOUT: usize = 50;

/// The name evidence's score: the same name; the same core name (see [`names`]); and the
/// most a shared-words hint reaches (times the share of words in common, from
/// [`MIN_WORD_SHARE`]: below it shared words are no evidence).
const SAME_NAME_SCORE: u32 = 70;
const CORE_NAME_SCORE: u32 = 60;
const WORDS_SCORE: f64 = 60.0;
const MIN_WORD_SHARE: f64 = 0.5;

/// An index of QuickBooks customers and jobs, built once per pairing pass.
///
/// Per QuickBooks record it holds the [`Party`] and one 12-byte index entry per key the
/// record is found by (ListID, Name, company name, core names, rare words, phone, e-mail,
/// street address): see `index.rs`.
pub struct Matcher {
    qb: Vec<Party>,
    keys: Index,
    words: Index,
    /// QuickBooks records already linked to an app customer (row → that customer's key):
    /// no candidate for any other. Filled by [`Matcher::with_links`] and by every
    /// [`Decision::Link`] this matcher hands out.
    claimed: Mutex<HashMap<u32, String>>,
}

/// A party in the forms its fields are compared in, worked out once.
struct Side {
    /// Its name, then its company name if that differs.
    names: Vec<NameForms>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
}

impl Side {
    fn of(p: &Party) -> Self {
        let mut names = vec![NameForms::of(&p.name)];
        if let Some(c) = p.company_name.as_deref() {
            let f = NameForms::of(c);
            if f.exact != names[0].exact {
                names.push(f);
            }
        }
        names.retain(|f| !f.is_empty());
        Side {
            names,
            phone: phone_key(p),
            email: p.email.as_deref().and_then(normalize_email),
            address: address_key(p.address_line1.as_deref(), p.postal_code.as_deref()),
        }
    }

    /// The keys both sides are looked up by: core names, phone, e-mail and street address.
    fn shared_keys(&self) -> Vec<u64> {
        let cores = self.names.iter().filter(|f| !f.words.is_empty());
        cores
            .map(|f| hash(Key::Core, &f.core))
            .chain(self.phone.as_deref().map(|k| hash(Key::Phone, k)))
            .chain(self.email.as_deref().map(|k| hash(Key::Email, k)))
            .chain(self.address.as_deref().map(|k| hash(Key::Address, k)))
            .collect()
    }
}

/// The distinctive words of a party's names, hashed, each once.
fn word_keys(forms: &[NameForms]) -> Vec<u64> {
    let mut keys: Vec<u64> = forms
        .iter()
        .flat_map(|f| f.words.iter().map(|w| hash(Key::Word, w)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The keys a QuickBooks record is filed under, worked out from its fields alone (so a
/// keeper can store them with the record and file it again when it changes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QbKeys {
    /// ListID, name, company name, core names, phone, e-mail, street address.
    pub keys: Vec<u64>,
    /// The distinctive name words (looked up only while rare: [`MAX_WORD_FANOUT`]).
    pub words: Vec<u64>,
}

/// The keys [`QbLookup`] finds a QuickBooks record by.
pub fn qb_keys(p: &Party) -> QbKeys {
    let side = Side::of(p);
    let mut keys = vec![hash(Key::ListId, &p.key)];
    let name = normalize_name(&p.name);
    keys.push(hash(Key::Name, &name));
    for f in side.names.iter().filter(|f| f.exact != name) {
        keys.push(hash(Key::CompanyName, &f.exact));
    }
    keys.extend(side.shared_keys());
    QbKeys {
        keys,
        words: word_keys(&side.names),
    }
}

impl Matcher {
    pub fn new(qb: Vec<Party>) -> Self {
        let mut keys = Vec::with_capacity(qb.len() * 6);
        let mut words = Vec::with_capacity(qb.len() * 3);
        for (i, p) in qb.iter().enumerate() {
            let row = u32::try_from(i).expect("fewer than 4 billion QuickBooks records");
            let k = qb_keys(p);
            keys.extend(k.keys.into_iter().map(|k| (k, row)));
            words.extend(k.words.into_iter().map(|k| (k, row)));
        }
        Matcher {
            qb,
            keys: Index::new(keys),
            words: Index::new(words).without_common(MAX_WORD_FANOUT),
            claimed: Mutex::new(HashMap::new()),
        }
    }

    /// This matcher, told which QuickBooks records are already linked (ListID → the app
    /// customer's key): none of them is a candidate for another app customer.
    pub fn with_links<'a>(self, links: impl IntoIterator<Item = (&'a String, &'a String)>) -> Self {
        {
            let mut claimed = self.claims();
            for (list_id, app_key) in links {
                let Ok(row) = QbLookup::row_of(&self, list_id);
                if let Some(row) = row {
                    claimed.insert(row, app_key.clone());
                }
            }
        }
        self
    }

    fn claims(&self) -> MutexGuard<'_, HashMap<u32, String>> {
        // Every write is one insert: the map is whole even if a holder panicked.
        self.claimed.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The QuickBooks record a candidate names.
    pub fn party(&self, list_id: &str) -> Option<&Party> {
        let Ok(row) = QbLookup::row_of(self, list_id);
        row.map(|r| &self.qb[r as usize])
    }

    /// The QuickBooks records that may be `app`, best first (at most five, each at least
    /// [`MIN_SUGGESTION_SCORE`]), leaving out those linked to another app customer.
    pub fn candidates(&self, app: &Party) -> Vec<Candidate> {
        let Ok(c) = QbLookup::candidates(self, app);
        c
    }

    /// Links, suggests or finds nothing for `app` (the rules in the module doc). A link
    /// claims the QuickBooks record: from then on it is no candidate for another customer.
    pub fn decide(&self, app: &Party) -> Decision {
        let Ok(d) = QbLookup::decide(self, app);
        d
    }

    /// True when QuickBooks already has a customer or job whose name is `name` once case,
    /// spacing and punctuation are set aside: FieldBridge must never create such a customer.
    pub fn name_taken(&self, name: &str) -> bool {
        let Ok(taken) = QbLookup::name_taken(self, name);
        taken
    }
}

/// The in-memory keeper: rows are positions in the matcher's list.
impl QbLookup for Matcher {
    type Row = u32;
    type Error = Infallible;

    fn rows(&self, key: u64) -> Result<Vec<u32>, Infallible> {
        Ok(self.keys.get(key).to_vec())
    }

    fn word_rows(&self, key: u64) -> Result<Vec<u32>, Infallible> {
        Ok(self.words.get(key).to_vec())
    }

    fn party(&self, row: u32) -> Result<Option<Cow<'_, Party>>, Infallible> {
        Ok(self.qb.get(row as usize).map(Cow::Borrowed))
    }

    fn claimed_by_other(&self, row: u32, app_key: &str) -> Result<bool, Infallible> {
        Ok(self
            .claims()
            .get(&row)
            .is_some_and(|owner| owner != app_key))
    }

    fn claim(&self, row: u32, app_key: &str) -> Result<(), Infallible> {
        self.claims().insert(row, app_key.to_owned());
        Ok(())
    }
}

/// Scores how strongly the evidence says `app` and `qb` are the same customer.
pub fn compare(app: &Party, qb: &Party) -> (u8, Vec<Reason>) {
    compare_sides(&Side::of(app), &Side::of(qb))
}

/// The stronger of two name verdicts.
fn stronger(a: NameMatch, b: NameMatch) -> NameMatch {
    fn rank(m: NameMatch) -> (u8, f64) {
        match m {
            NameMatch::Same => (3, 0.0),
            NameMatch::Core => (2, 0.0),
            NameMatch::Words(s) => (1, s),
            NameMatch::Numbered | NameMatch::Different => (0, 0.0),
        }
    }
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// [`compare`] on both sides' compared forms.
fn compare_sides(app: &Side, qb: &Side) -> (u8, Vec<Reason>) {
    let mut reasons = Vec::new();
    let mut score: u32 = 0;
    let best = app
        .names
        .iter()
        .flat_map(|a| qb.names.iter().map(|q| a.compare(q)))
        .fold(NameMatch::Different, stronger);
    match best {
        NameMatch::Same => {
            reasons.push(Reason::SameName);
            score += SAME_NAME_SCORE;
        }
        NameMatch::Core => {
            reasons.push(Reason::SimilarName);
            score += CORE_NAME_SCORE;
        }
        NameMatch::Words(share) if share >= MIN_WORD_SHARE => {
            reasons.push(Reason::SimilarName);
            score += (share * WORDS_SCORE).round() as u32;
        }
        _ => {}
    }
    let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
    if same(&app.address, &qb.address) {
        reasons.push(Reason::SameAddress);
        score += 25;
    }
    if same(&app.phone, &qb.phone) {
        reasons.push(Reason::SamePhone);
        score += 20;
    }
    if same(&app.email, &qb.email) {
        reasons.push(Reason::SameEmail);
        score += 20;
    }
    (score.min(100) as u8, reasons)
}

/// Where both sides have a street address they must agree; where either has none, the name
/// decides alone.
fn addresses_compatible(app: &Party, qb: &Party) -> bool {
    match (
        address_key(app.address_line1.as_deref(), app.postal_code.as_deref()),
        address_key(qb.address_line1.as_deref(), qb.postal_code.as_deref()),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

fn phone_key(p: &Party) -> Option<String> {
    let d = digits(p.phone.as_deref()?);
    // The last ten digits: "(555) 201-3344", "555.201.3344" and "+1 555 201 3344" agree.
    (d.len() >= 7).then(|| d[d.len().saturating_sub(10)..].to_owned())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod quality;
