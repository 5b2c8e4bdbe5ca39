//! Exact money, quantities and rates. Owns the one decimal type FieldBridge uses for every
//! amount (never a binary float) and how amounts are read and written as text.
//!
//! QuickBooks' AMTTYPE is a decimal with two places; PRICETYPE and QUANTYPE allow more. We
//! keep what the record says and round only where QuickBooks' own rules round.

pub use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a text is not an amount.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MoneyError {
    #[error("\"{0}\" is not a decimal number (use digits with an optional point, e.g. 95.00)")]
    NotADecimal(String),
}

/// Reads a decimal written in plain notation ("95.00", "-3", "0.125"). Exponents, thousands
/// separators, currency signs and surrounding spaces are refused: an import must say exactly
/// what it means.
pub fn parse_decimal(text: &str) -> Result<Decimal, MoneyError> {
    let ok = !text.is_empty()
        && text
            .strip_prefix('-')
            .unwrap_or(text)
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && text.chars().filter(|c| *c == '.').count() <= 1
        && text
            .trim_start_matches('-')
            .chars()
            .any(|c| c.is_ascii_digit());
    if !ok {
        return Err(MoneyError::NotADecimal(text.to_owned()));
    }
    Decimal::from_str(text).map_err(|_| MoneyError::NotADecimal(text.to_owned()))
}

/// Rounds to cents the way QuickBooks rounds amounts: half away from zero.
pub fn round_cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Writes an amount as QuickBooks' AMTTYPE wants it: always two places ("12.50", "-3.00").
pub fn format_amount(value: Decimal) -> String {
    let mut v = round_cents(value);
    v.rescale(2);
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_parse_exactly() {
        // 0.1 + 0.2 must be 0.3 exactly: the reason we never use floats.
        let sum = parse_decimal("0.1").unwrap() + parse_decimal("0.2").unwrap();
        assert_eq!(sum, parse_decimal("0.3").unwrap());
        assert_eq!(parse_decimal("-3").unwrap().to_string(), "-3");
    }

    #[test]
    fn anything_but_plain_notation_is_refused() {
        for bad in [
            "", "-", ".", "1e3", "1,000", "$5", " 5", "5 ", "1.2.3", "abc", "--1",
        ] {
            assert!(parse_decimal(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn amounts_are_written_with_two_places_rounding_half_away_from_zero() {
        assert_eq!(format_amount(parse_decimal("12.5").unwrap()), "12.50");
        assert_eq!(format_amount(parse_decimal("4.125").unwrap()), "4.13");
        assert_eq!(format_amount(parse_decimal("-4.125").unwrap()), "-4.13");
        assert_eq!(format_amount(parse_decimal("7").unwrap()), "7.00");
    }
}
