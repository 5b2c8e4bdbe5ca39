//! When two business names are the same name, nearly the same name, or deliberately different.
//!
//! Owns the forms a name is compared in and the verdict on a pair of names:
//!
//! - **Same**: equal once case, spacing and punctuation are set aside ("&" reads "and").
//! - **Core**: equal once the words that say what *kind* of business it is are set aside at
//!   the end ("Grp", "Group", "Co", "Inc", "LLC", "Center", "& Sons", ...), abbreviations
//!   are written out ("Grp" → "group", "Ctr" → "center"), plurals are singular ("Designs" →
//!   "design") and the spaces between words are ignored ("Hilltop" / "Hill Top"). These are
//!   what a person searching QuickBooks for the name would find, and what QuickBooks users
//!   type differently for the same business.
//! - **Words**: most distinctive words shared (after the same treatment, joined and split
//!   words aligned): a weaker hint, scored by how much is shared.
//! - **Numbered**: the names differ in a number ("Andersen Hardware 2" / "Andersen
//!   Hardware"). QuickBooks users number same-named customers that way on purpose, so a
//!   differing number says "a different customer", never "a similar name".

use super::normalize::normalize_name;

/// Legal forms: they never tell one business from another wherever they stand.
const LEGAL_FORMS: &[&str] = &[
    "llc",
    "inc",
    "incorporated",
    "co",
    "corp",
    "corporation",
    "company",
    "ltd",
    "limited",
    "pc",
    "pllc",
    "lp",
    "llp",
    "plc",
];

/// Words that say what kind of business it is when they end the name ("Summit Fitness
/// Center", "Brookside Dental Group", "Smith & Sons").
const TRAILING_KINDS: &[&str] = &[
    "group",
    "center",
    "associate",
    "son",
    "partner",
    "enterprise",
    "holding",
    "service",
];

/// Little words that join others ("Smith and Jones", "The Hilltop", "House of Pies").
const JOINING_WORDS: &[&str] = &["the", "and", "of"];

/// Abbreviations written out, so both spellings compare equal.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("grp", "group"),
    ("ctr", "center"),
    ("cntr", "center"),
    ("centre", "center"),
    ("assoc", "associate"),
    ("assocs", "associate"),
    ("bros", "brother"),
    ("svc", "service"),
    ("svcs", "service"),
    ("srvcs", "service"),
    ("mfg", "manufacturing"),
    ("intl", "international"),
    ("natl", "national"),
    ("mgmt", "management"),
    ("mt", "mount"),
    ("ft", "fort"),
    ("hts", "height"),
    ("ent", "enterprise"),
    ("ptnrs", "partner"),
    ("saint", "st"),
    ("vet", "veterinary"),
];

/// A name in the forms names are compared in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameForms {
    /// [`normalize_name`]: the "same name" form.
    pub exact: String,
    /// Distinctive words, abbreviations written out, singular, no legal forms, no joining
    /// words, no trailing kind words; numbers excluded.
    pub words: Vec<String>,
    /// `words` joined without spaces, then the numbers: the "core" form ("hilltopbakery",
    /// "andersenhardware#2").
    pub core: String,
    /// The numbers in the name, in order ("Andersen Hardware 2" → ["2"]).
    pub numbers: Vec<String>,
}

/// How two names compare.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NameMatch {
    Same,
    Core,
    /// Share of distinctive words in common, 0.0..=1.0.
    Words(f64),
    Numbered,
    Different,
}

impl NameForms {
    pub fn of(name: &str) -> Self {
        let exact = normalize_name(name);
        let mut numbers = Vec::new();
        let mut words: Vec<String> = Vec::new();
        for w in exact.split(' ').filter(|w| !w.is_empty()) {
            if w.chars().all(|c| c.is_ascii_digit()) {
                numbers.push(w.to_owned());
                continue;
            }
            if LEGAL_FORMS.contains(&w) || JOINING_WORDS.contains(&w) {
                continue;
            }
            let one = singular(w);
            let written_out = ABBREVIATIONS
                .iter()
                .find(|(short, _)| *short == w || *short == one)
                .map(|(_, long)| (*long).to_owned());
            words.push(written_out.unwrap_or(one));
        }
        while words.len() > 1
            && words
                .last()
                .is_some_and(|w| TRAILING_KINDS.contains(&w.as_str()))
        {
            words.pop();
        }
        // Numbers are part of the core: "Andersen Hardware 2" files apart from "Andersen
        // Hardware", and "James Smith 12" apart from "James Smith 13".
        let core = std::iter::once(words.concat())
            .chain(numbers.iter().cloned())
            .collect::<Vec<_>>()
            .join("#");
        NameForms {
            exact,
            words,
            core,
            numbers,
        }
    }

    /// True when there is nothing to compare (an empty or punctuation-only name).
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// How this name compares with `other` (the rules in the module doc).
    pub fn compare(&self, other: &NameForms) -> NameMatch {
        if self.is_empty() || other.is_empty() {
            return NameMatch::Different;
        }
        if self.exact == other.exact {
            return NameMatch::Same;
        }
        if self.numbers != other.numbers {
            return NameMatch::Numbered;
        }
        if !self.words.is_empty() && self.core == other.core {
            return NameMatch::Core;
        }
        let share = word_share(&self.words, &other.words);
        if share > 0.0 {
            NameMatch::Words(share)
        } else {
            NameMatch::Different
        }
    }
}

/// A word in its singular form: "designs" → "design", "bakeries" → "bakery"; short words and
/// words ending in "ss", "us" or "is" are left as they are ("glass", "campus", "tennis").
fn singular(w: &str) -> String {
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if w.len() > 3
        && w.ends_with('s')
        && !(w.ends_with("ss") || w.ends_with("us") || w.ends_with("is"))
    {
        return w[..w.len() - 1].to_owned();
    }
    w.to_owned()
}

/// Shared words over all words (Jaccard), after aligning words one side writes joined and
/// the other split ("hilltop" / "hill top").
fn word_share(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let a = joined_where_other_joins(a, b);
    let b = joined_where_other_joins(b, &a);
    let shared = a.iter().filter(|w| b.contains(w)).count();
    let union = a.len() + b.len() - shared;
    shared as f64 / union as f64
}

/// `words` with each adjacent pair that `other` writes as one word joined.
fn joined_where_other_joins(words: &[String], other: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if i + 1 < words.len() {
            let joined = format!("{}{}", words[i], words[i + 1]);
            if other.contains(&joined) {
                out.push(joined);
                i += 2;
                continue;
            }
        }
        out.push(words[i].clone());
        i += 1;
    }
    out
}

/// In plain words, why two names that are not the same name count as one ("spacing",
/// "the words \"Grp\"" ...), for the reason a person reads; None when they are the same
/// name or not alike.
pub fn difference(app: &str, qb: &str) -> Option<String> {
    let (a, q) = (NameForms::of(app), NameForms::of(qb));
    match a.compare(&q) {
        NameMatch::Core => {}
        NameMatch::Words(_) => return Some("most of the same words".into()),
        _ => return None,
    }
    let spelled = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '&')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (aw, qw) = (spelled(app), spelled(qb));
    let lower = |v: &[String]| v.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>();
    let (al, ql) = (lower(&aw), lower(&qw));
    let extra: Vec<&String> = qw
        .iter()
        .zip(&ql)
        .filter(|(_, l)| !al.contains(l))
        .map(|(w, _)| w)
        .chain(
            aw.iter()
                .zip(&al)
                .filter(|(_, l)| !ql.contains(l))
                .map(|(w, _)| w),
        )
        .collect();
    if a.words.concat() == q.words.concat() && a.words.len() != q.words.len() {
        return Some("the same words written joined or apart".into());
    }
    if extra.is_empty() {
        return Some("the same words".into());
    }
    let quoted: Vec<String> = extra.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("the same name apart from {}", quoted.join(" and ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(a: &str, b: &str) -> NameMatch {
        NameForms::of(a).compare(&NameForms::of(b))
    }

    #[test]
    fn what_quickbooks_users_write_differently_is_the_core_name() {
        for (a, b) in [
            ("Brookside Dental", "Brookside Dental Grp"),
            ("Brookside Dental Group", "Brookside Dental Grp"),
            ("Hilltop Bakery", "Hill Top Bakery"),
            ("Summit Fitness", "Summit Fitness Center"),
            ("Summit Fitness Centre", "Summit Fitness Ctr"),
            ("Ecker Designs", "Ecker Design Co"),
            ("Smith & Sons", "Smith"),
            ("The Corner Deli", "Corner Deli LLC"),
            ("Lakeside Bakeries", "Lakeside Bakery"),
            ("Baker Bros Plumbing", "Baker Brothers Plumbing, Inc."),
        ] {
            assert_eq!(verdict(a, b), NameMatch::Core, "{a:?} / {b:?}");
            assert_eq!(verdict(b, a), NameMatch::Core, "{b:?} / {a:?} (symmetric)");
        }
    }

    #[test]
    fn a_differing_number_is_a_different_customer() {
        assert_eq!(
            verdict("Andersen Hardware 2", "Andersen Hardware"),
            NameMatch::Numbered
        );
        assert_eq!(
            verdict("Andersen Hardware", "Andersen Hardware #3"),
            NameMatch::Numbered
        );
        assert_eq!(
            verdict("Andersen Hardware 2", "Andersen Hardware #2"),
            NameMatch::Same
        );
    }

    #[test]
    fn different_businesses_with_a_word_in_common_are_not_the_core_name() {
        assert!(matches!(
            verdict("Hill Top Bakery", "Hilltop Brewery"),
            NameMatch::Words(s) if s < 0.5
        ));
        assert!(matches!(
            verdict("Summit Fitness", "Summit Dental"),
            NameMatch::Words(s) if s < 0.5
        ));
        assert!(matches!(
            verdict("Glass Works", "Glas Works"),
            NameMatch::Words(_)
        ));
    }

    #[test]
    fn joined_and_split_words_align_in_the_word_share() {
        assert!(matches!(
            verdict("Hill Top Bakery Cafe", "Hilltop Bakery"),
            NameMatch::Words(s) if s > 0.6
        ));
    }

    #[test]
    fn the_difference_is_said_in_words() {
        assert_eq!(
            difference("Brookside Dental", "Brookside Dental Grp").as_deref(),
            Some("the same name apart from \"Grp\"")
        );
        assert_eq!(
            difference("Hilltop Bakery", "Hill Top Bakery").as_deref(),
            Some("the same words written joined or apart")
        );
        assert_eq!(difference("Hilltop Bakery", "Hilltop Bakery"), None);
        assert_eq!(difference("Andersen Hardware 2", "Andersen Hardware"), None);
    }
}
