//! Matching app customers to QuickBooks customers and jobs.
//!
//! Owns the rules for when two records are the same customer: the normalised forms of names,
//! phones, e-mail addresses and street addresses; the evidence a suggestion shows ("name",
//! "address", "phone", "email") and its strength; and the decision that follows:
//!
//! - **Link automatically** only on an exact normalised-name match that is the only one, with
//!   a compatible address where both sides have one.
//! - **Suggest** when there is evidence but not that certainty (a near name, or the same
//!   phone, e-mail or street address); the office manager decides.
//! - **No candidate**: the customer can be created in QuickBooks.
//!
//! It owns no storage and no I/O: callers pass the two lists in and store the outcome.
//! Matching is indexed (by name, rare name word, phone, e-mail and address), so 10,000 app
//! customers against 50,000 QuickBooks customers never compares every pair.

mod normalize;

pub use normalize::{address_key, digits, name_tokens, normalize_email, normalize_name};

use std::collections::{HashMap, HashSet};

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
const MAX_WORD_FANOUT: usize = 50;

/// An index of QuickBooks customers and jobs, built once per pairing pass.
pub struct Matcher {
    qb: Vec<Party>,
    /// QuickBooks Names only (not company names): what QuickBooks' own uniqueness rule sees.
    names: HashSet<String>,
    by_key: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    by_word: HashMap<String, Vec<usize>>,
    by_phone: HashMap<String, Vec<usize>>,
    by_email: HashMap<String, Vec<usize>>,
    by_address: HashMap<String, Vec<usize>>,
}

impl Matcher {
    pub fn new(qb: Vec<Party>) -> Self {
        let names = qb.iter().map(|p| normalize_name(&p.name)).collect();
        let mut m = Matcher {
            qb: Vec::new(),
            names,
            by_key: qb.iter().enumerate().map(|(i, p)| (p.key.clone(), i)).collect(),
            by_name: HashMap::new(),
            by_word: HashMap::new(),
            by_phone: HashMap::new(),
            by_email: HashMap::new(),
            by_address: HashMap::new(),
        };
        for (i, p) in qb.iter().enumerate() {
            for key in name_keys(p) {
                m.by_name.entry(key).or_default().push(i);
            }
            for word in party_words(p) {
                m.by_word.entry(word).or_default().push(i);
            }
            if let Some(k) = phone_key(p) {
                m.by_phone.entry(k).or_default().push(i);
            }
            if let Some(k) = p.email.as_deref().and_then(normalize_email) {
                m.by_email.entry(k).or_default().push(i);
            }
            if let Some(k) = address_key(p.address_line1.as_deref(), p.postal_code.as_deref()) {
                m.by_address.entry(k).or_default().push(i);
            }
        }
        for list in m.by_name.values_mut() {
            list.dedup();
        }
        m.by_word.retain(|_, v| {
            v.dedup();
            v.len() <= MAX_WORD_FANOUT
        });
        m.qb = qb;
        m
    }

    /// The QuickBooks record a candidate names.
    pub fn party(&self, list_id: &str) -> Option<&Party> {
        self.by_key.get(list_id).map(|&i| &self.qb[i])
    }

    /// The QuickBooks records that may be `app`, best first (at most five, each at least
    /// [`MIN_SUGGESTION_SCORE`]).
    pub fn candidates(&self, app: &Party) -> Vec<Candidate> {
        let mut seen: Vec<usize> = Vec::new();
        for key in name_keys(app) {
            if let Some(v) = self.by_name.get(&key) {
                seen.extend(v);
            }
        }
        for word in party_words(app) {
            if let Some(v) = self.by_word.get(&word) {
                seen.extend(v);
            }
        }
        if let Some(v) = phone_key(app).and_then(|k| self.by_phone.get(&k)) {
            seen.extend(v);
        }
        if let Some(v) = app
            .email
            .as_deref()
            .and_then(normalize_email)
            .and_then(|k| self.by_email.get(&k))
        {
            seen.extend(v);
        }
        if let Some(v) = address_key(app.address_line1.as_deref(), app.postal_code.as_deref())
            .and_then(|k| self.by_address.get(&k))
        {
            seen.extend(v);
        }
        seen.sort_unstable();
        seen.dedup();
        let mut out: Vec<Candidate> = seen
            .into_iter()
            .filter_map(|i| {
                let (score, reasons) = compare(app, &self.qb[i]);
                (score >= MIN_SUGGESTION_SCORE).then(|| Candidate {
                    list_id: self.qb[i].key.clone(),
                    score,
                    reasons,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.list_id.cmp(&b.list_id))
        });
        out.truncate(MAX_SUGGESTIONS);
        out
    }

    /// Links, suggests or finds nothing for `app` (the rules in the module doc).
    pub fn decide(&self, app: &Party) -> Decision {
        let candidates = self.candidates(app);
        let exact: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| c.reasons.contains(&Reason::SameName))
            .collect();
        if exact.len() == 1 {
            let qb = self.party(&exact[0].list_id);
            if qb.is_some_and(|qb| addresses_compatible(app, qb)) {
                return Decision::Link(exact[0].list_id.clone());
            }
        }
        if candidates.is_empty() {
            Decision::NoCandidate
        } else {
            Decision::Suggest(candidates)
        }
    }

    /// True when QuickBooks already has a customer or job whose name is `name` once case,
    /// spacing and punctuation are set aside: FieldBridge must never create such a customer.
    pub fn name_taken(&self, name: &str) -> bool {
        self.names.contains(&normalize_name(name))
    }
}

/// Scores how strongly the evidence says `app` and `qb` are the same customer.
pub fn compare(app: &Party, qb: &Party) -> (u8, Vec<Reason>) {
    let mut reasons = Vec::new();
    let mut score: u32 = 0;
    let app_names = name_keys(app);
    let qb_names = name_keys(qb);
    if app_names.iter().any(|n| qb_names.contains(n)) {
        reasons.push(Reason::SameName);
        score += 70;
    } else {
        let similarity = word_similarity(&party_words(app), &party_words(qb));
        if similarity >= 0.5 {
            reasons.push(Reason::SimilarName);
            score += (similarity * 50.0).round() as u32;
        }
    }
    let app_addr = address_key(app.address_line1.as_deref(), app.postal_code.as_deref());
    if app_addr.is_some()
        && app_addr == address_key(qb.address_line1.as_deref(), qb.postal_code.as_deref())
    {
        reasons.push(Reason::SameAddress);
        score += 25;
    }
    if phone_key(app).is_some() && phone_key(app) == phone_key(qb) {
        reasons.push(Reason::SamePhone);
        score += 20;
    }
    let app_email = app.email.as_deref().and_then(normalize_email);
    if app_email.is_some() && app_email == qb.email.as_deref().and_then(normalize_email) {
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

/// The normalised names a party answers to: its name and its company name.
fn name_keys(p: &Party) -> Vec<String> {
    let mut keys = vec![normalize_name(&p.name)];
    if let Some(c) = p.company_name.as_deref() {
        let k = normalize_name(c);
        if !k.is_empty() && !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}

fn party_words(p: &Party) -> Vec<String> {
    let mut words = name_tokens(&p.name);
    if let Some(c) = p.company_name.as_deref() {
        words.extend(name_tokens(c));
    }
    words.sort();
    words.dedup();
    words
}

fn phone_key(p: &Party) -> Option<String> {
    let d = digits(p.phone.as_deref()?);
    // The last ten digits: "(555) 201-3344", "555.201.3344" and "+1 555 201 3344" agree.
    (d.len() >= 7).then(|| d[d.len().saturating_sub(10)..].to_owned())
}

/// Shared distinctive words over all distinctive words (Jaccard), 0.0..=1.0.
fn word_similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|w| b.contains(w)).count();
    let union = a.len() + b.len() - shared;
    shared as f64 / union as f64
}

#[cfg(test)]
mod tests;
