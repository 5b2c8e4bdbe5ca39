//! qbXML's value types read from text: BOOLTYPE, INTTYPE, AMTTYPE/PRICETYPE/QUANTYPE/
//! PERCENTTYPE (as exact decimals), DATETYPE and DATETIMETYPE (with its offset). Every
//! reader names the field in its error and never panics.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;

use super::cursor::Cursor;
use crate::money::parse_decimal;
use crate::qbxml::error::{quote, ParseError};
use crate::qbxml::types::{parse_guid, RetRef};

fn invalid(field: String, expected: &'static str, found: &str) -> ParseError {
    ParseError::InvalidValue {
        field,
        expected,
        found: quote(found),
    }
}

/// BOOLTYPE: `true|false|1|0`, or empty (= not given).
pub(crate) fn parse_bool(field: &str, text: &str) -> Result<Option<bool>, ParseError> {
    match text.trim() {
        "true" | "1" => Ok(Some(true)),
        "false" | "0" => Ok(Some(false)),
        "" => Ok(None),
        other => Err(invalid(field.to_owned(), "true or false", other)),
    }
}

/// A decimal (AMTTYPE, PRICETYPE, QUANTYPE, PERCENTTYPE); empty = not given.
pub(crate) fn parse_number(field: &str, text: &str) -> Result<Option<Decimal>, ParseError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let unsigned = t.strip_prefix('+').unwrap_or(t);
    parse_decimal(unsigned)
        .map(Some)
        .map_err(|_| invalid(field.to_owned(), "a decimal number", t))
}

/// INTTYPE that must fit an i32 (status codes).
pub(crate) fn parse_i32(field: &str, text: &str) -> Result<i32, ParseError> {
    text.trim()
        .parse::<i32>()
        .map_err(|_| invalid(field.to_owned(), "a whole number", text))
}

/// INTTYPE counts (retCount, Sublevel, ...): non-negative.
pub(crate) fn parse_u32(field: &str, text: &str) -> Result<u32, ParseError> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| invalid(field.to_owned(), "a non-negative whole number", text))
}

/// DATETYPE `YYYY-MM-DD`; empty = not given.
pub(crate) fn parse_date(field: &str, text: &str) -> Result<Option<NaiveDate>, ParseError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| invalid(field.to_owned(), "a date YYYY-MM-DD", t))
}

/// DATETIMETYPE as QuickBooks sends it, with its offset (`2026-10-01T09:12:00-05:00`);
/// empty = not given. A time without an offset is refused: we never guess a zone.
pub(crate) fn parse_datetime(
    field: &str,
    text: &str,
) -> Result<Option<DateTime<FixedOffset>>, ParseError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%:z")
        .map(Some)
        .map_err(|_| {
            invalid(
                field.to_owned(),
                "a date-time with offset, e.g. 2026-10-01T09:12:00-05:00",
                t,
            )
        })
}

// --- cursor helpers: read the element just opened as a value --------------------------------

fn field_of(c: &Cursor<'_>) -> String {
    c.path()
}

pub(crate) fn text(c: &mut Cursor<'_>) -> Result<String, ParseError> {
    c.text()
}

pub(crate) fn opt_text(c: &mut Cursor<'_>) -> Result<Option<String>, ParseError> {
    c.text().map(Some)
}

pub(crate) fn bool(c: &mut Cursor<'_>) -> Result<Option<bool>, ParseError> {
    let field = field_of(c);
    parse_bool(&field, &c.text()?)
}

pub(crate) fn number(c: &mut Cursor<'_>) -> Result<Option<Decimal>, ParseError> {
    let field = field_of(c);
    parse_number(&field, &c.text()?)
}

pub(crate) fn u32_value(c: &mut Cursor<'_>) -> Result<Option<u32>, ParseError> {
    let field = field_of(c);
    let t = c.text()?;
    if t.trim().is_empty() {
        return Ok(None);
    }
    parse_u32(&field, &t).map(Some)
}

pub(crate) fn date(c: &mut Cursor<'_>) -> Result<Option<NaiveDate>, ParseError> {
    let field = field_of(c);
    parse_date(&field, &c.text()?)
}

pub(crate) fn datetime(c: &mut Cursor<'_>) -> Result<Option<DateTime<FixedOffset>>, ParseError> {
    let field = field_of(c);
    parse_datetime(&field, &c.text()?)
}

/// GUIDTYPE (ExternalGUID): `{...}`. Anything else is refused rather than dropped, because
/// the engine recognises its own records by this value.
pub(crate) fn guid(c: &mut Cursor<'_>) -> Result<Option<uuid::Uuid>, ParseError> {
    let field = field_of(c);
    let t = c.text()?;
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_guid(t)
        .map(Some)
        .ok_or_else(|| invalid(field, "a GUID in braces", t))
}

/// A `*Ref` element: ListID and/or FullName.
pub(crate) fn ret_ref(c: &mut Cursor<'_>) -> Result<Option<RetRef>, ParseError> {
    let mut r = RetRef::default();
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ListID" => r.list_id = Some(c.text()?),
            "FullName" => r.full_name = Some(c.text()?),
            _ => c.skip()?,
        }
    }
    Ok(Some(r))
}

/// Address data (BillAddress, ShipAddress, Company Address...).
pub(crate) fn address(
    c: &mut Cursor<'_>,
) -> Result<Option<crate::qbxml::types::Address>, ParseError> {
    let mut a = crate::qbxml::types::Address::default();
    while let Some(child) = c.next_child()? {
        let slot = match child.name.as_str() {
            "Addr1" => &mut a.addr1,
            "Addr2" => &mut a.addr2,
            "Addr3" => &mut a.addr3,
            "Addr4" => &mut a.addr4,
            "Addr5" => &mut a.addr5,
            "City" => &mut a.city,
            "State" => &mut a.state,
            "PostalCode" => &mut a.postal_code,
            "Country" => &mut a.country,
            "Note" => &mut a.note,
            _ => {
                c.skip()?;
                continue;
            }
        };
        *slot = Some(c.text()?);
    }
    Ok(Some(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_exactly_or_fail_with_the_field_named() {
        assert_eq!(parse_bool("f", "true"), Ok(Some(true)));
        assert_eq!(parse_bool("f", "0"), Ok(Some(false)));
        assert_eq!(parse_bool("f", ""), Ok(None), "BOOLTYPE allows empty");
        assert!(
            matches!(parse_bool("X/IsActive", "yes"), Err(ParseError::InvalidValue { ref field, .. }) if field == "X/IsActive")
        );

        assert_eq!(
            parse_number("a", "250.00").unwrap().unwrap().to_string(),
            "250.00",
            "scale is kept"
        );
        assert_eq!(
            parse_number("a", "+3.5").unwrap().unwrap().to_string(),
            "3.5"
        );
        assert_eq!(
            parse_number("a", "-0.125").unwrap().unwrap().to_string(),
            "-0.125"
        );
        for bad in [
            "1e5",
            "12,00",
            "abc",
            "99999999999999999999999999999999999999999",
            "--1",
        ] {
            assert!(
                parse_number("a", bad).is_err(),
                "{bad} is not an exact qbXML number"
            );
        }

        assert_eq!(parse_i32("statusCode", "3120"), Ok(3120));
        assert!(
            parse_i32("statusCode", "99999999999").is_err(),
            "too big for a status code"
        );
        assert!(parse_i32("statusCode", "OK").is_err());
        assert!(parse_u32("retCount", "-1").is_err());

        let t = parse_datetime("t", "2026-10-01T09:12:00-05:00")
            .unwrap()
            .unwrap();
        assert_eq!(
            t.to_rfc3339(),
            "2026-10-01T09:12:00-05:00",
            "the offset is kept as sent"
        );
        assert!(
            parse_datetime("t", "2026-10-01T09:12:00").is_err(),
            "no offset: refused, never guessed"
        );
        assert!(
            parse_date("d", "2026-02-30").is_err(),
            "not a calendar date"
        );
        assert_eq!(
            parse_date("d", "2026-02-28").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
    }
}
