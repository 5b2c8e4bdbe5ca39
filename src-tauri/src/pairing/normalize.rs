//! The normalised forms pairing compares: names, phones, e-mail and street addresses.

/// Street-type words in the form the US postal service abbreviates them to.
const STREET_WORDS: &[(&str, &str)] = &[
    ("street", "st"),
    ("road", "rd"),
    ("avenue", "ave"),
    ("av", "ave"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("court", "ct"),
    ("place", "pl"),
    ("boulevard", "blvd"),
    ("highway", "hwy"),
    ("parkway", "pkwy"),
    ("circle", "cir"),
    ("terrace", "ter"),
    ("suite", "ste"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
];

/// A name with case, spacing and punctuation set aside: "St. Mark's  Church" and
/// "st marks church" are the same name; "&" reads as "and".
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for ch in name.chars() {
        if ch == '&' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            space = true;
            continue;
        }
        if ch.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(ch.to_lowercase());
        } else if ch.is_whitespace() || ch == '-' || ch == '/' || ch == ',' {
            space = true;
        }
        // Other punctuation (. ' ") vanishes without splitting the word: "Mark's" → "marks".
    }
    out
}

/// Only the digits of a text (phone numbers).
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// An e-mail address compared case-insensitively, or None if it is not one.
pub fn normalize_email(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    (e.contains('@') && !e.starts_with('@') && !e.ends_with('@')).then_some(e)
}

/// A street address compared loosely: line 1 normalised with street words abbreviated, plus
/// the first five digits of the postal code when there is one. None when there is no street.
pub fn address_key(line1: Option<&str>, postal_code: Option<&str>) -> Option<String> {
    let street = normalize_name(line1?);
    if street.is_empty() {
        return None;
    }
    let street: Vec<&str> = street
        .split(' ')
        .map(|w| {
            STREET_WORDS
                .iter()
                .find(|(long, _)| *long == w)
                .map_or(w, |(_, short)| short)
        })
        .collect();
    let zip: String = postal_code
        .map(digits)
        .unwrap_or_default()
        .chars()
        .take(5)
        .collect();
    Some(format!("{}|{}", street.join(" "), zip))
}
