//! How FieldBridge posts sales to QuickBooks (the accounting mode, `mode`), how summarized
//! entries and deposits are grouped in time (`summary-period`, `deposit-period`), and the
//! QuickBooks customer that summarized sales are owed by (`summary-customer`). Typed helpers
//! over rows of the `settings` table; the rule that refuses a switch of mode once records
//! were sent ([`anything_sent`]) lives with them.
//!
//! Owns no table of its own (the `settings` rows `accounting_mode`, `summary_period`,
//! `summary_customer`, `deposit_period`); the journal entries and deposits themselves are
//! `store::journal` and `store::deposits`.

use super::settings::{get_raw, set_raw};
use super::StoreError;
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};

const MODE: &str = "accounting_mode";
const SUMMARY_PERIOD: &str = "summary_period";
const SUMMARY_CUSTOMER: &str = "summary_customer";
const DEPOSIT_PERIOD: &str = "deposit_period";

/// How invoices and payments reach QuickBooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// One InvoiceAdd per invoice and one ReceivePaymentAdd per payment (the default: what
    /// an office expects to find in QuickBooks).
    Full,
    /// One JournalEntryAdd per period for the invoices (income by account, sales tax) and
    /// one for the payments (`sync::push::journal`).
    Summary,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::Summary => "summary",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "full" => Some(Mode::Full),
            "summary" => Some(Mode::Summary),
            _ => None,
        }
    }
}

/// A span of days that one summarized entry or one deposit covers. Dates are the records'
/// own dates (the business's local calendar day, as the field-service app wrote them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// One calendar day (the default: a bank deposit and a day's sales are both daily).
    Day,
    /// Monday to Sunday (ISO 8601 weeks).
    Week,
    /// A calendar month.
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "day" => Some(Period::Day),
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            _ => None,
        }
    }

    /// The first day of the period holding `date`.
    pub fn start(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => date,
            Period::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            Period::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// The last day of the period starting on `start` (a period's entry is dated on it).
    pub fn end(self, start: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => start,
            Period::Week => start + Duration::days(6),
            Period::Month => {
                let (y, m) = if start.month() == 12 {
                    (start.year() + 1, 1)
                } else {
                    (start.year(), start.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).map_or(start, |next| next - Duration::days(1))
            }
        }
    }
}

fn read<T>(
    conn: &Connection,
    key: &'static str,
    parse: fn(&str) -> Option<T>,
    default: T,
    expected: &'static str,
) -> Result<T, StoreError> {
    match get_raw(conn, key)? {
        None => Ok(default),
        Some(v) => parse(&v).ok_or(StoreError::Corrupt {
            place: key,
            value: v,
            expected,
        }),
    }
}

/// The accounting mode (default [`Mode::Full`]).
pub fn mode(conn: &Connection) -> Result<Mode, StoreError> {
    read(conn, MODE, Mode::parse, Mode::Full, "full or summary")
}

/// Changes the accounting mode. The caller checks [`anything_sent`] first (the office's
/// settings operation refuses a switch once records were sent).
pub fn set_mode(tx: &Transaction<'_>, mode: Mode) -> Result<(), StoreError> {
    set_raw(tx, MODE, Some(mode.as_str()))
}

/// The period of a summarized journal entry (default a day).
pub fn summary_period(conn: &Connection) -> Result<Period, StoreError> {
    read(
        conn,
        SUMMARY_PERIOD,
        Period::parse,
        Period::Day,
        "day, week or month",
    )
}

pub fn set_summary_period(tx: &Transaction<'_>, period: Period) -> Result<(), StoreError> {
    set_raw(tx, SUMMARY_PERIOD, Some(period.as_str()))
}

/// How many days one deposit gathers (default a day).
pub fn deposit_period(conn: &Connection) -> Result<Period, StoreError> {
    read(
        conn,
        DEPOSIT_PERIOD,
        Period::parse,
        Period::Day,
        "day, week or month",
    )
}

pub fn set_deposit_period(tx: &Transaction<'_>, period: Period) -> Result<(), StoreError> {
    set_raw(tx, DEPOSIT_PERIOD, Some(period.as_str()))
}

/// The QuickBooks customer (full name) that summarized sales are owed by: QuickBooks wants
/// a name on every Accounts Receivable line of a journal entry. None: not chosen yet.
pub fn summary_customer(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(get_raw(conn, SUMMARY_CUSTOMER)?.filter(|v| !v.is_empty()))
}

pub fn set_summary_customer(tx: &Transaction<'_>, name: Option<&str>) -> Result<(), StoreError> {
    set_raw(tx, SUMMARY_CUSTOMER, name.filter(|n| !n.is_empty()))?;
    super::outbox::release_parked(tx, super::outbox::waits_on::DEPOSIT_ACCOUNT)?;
    Ok(())
}

/// Whether this data folder has sent anything to QuickBooks: a record ever put in a batch,
/// or a summarized journal entry. Once it has, the mode stays as it is: the same sale would
/// otherwise reach QuickBooks twice (an invoice and a journal entry) or half (payments
/// applied to invoices QuickBooks never got).
pub fn anything_sent(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE sent_revision IS NOT NULL)
             OR EXISTS (SELECT 1 FROM journal_entries)",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_start_and_end_where_the_calendar_says() {
        // 2026-10-07 is a Wednesday.
        assert_eq!(Period::Day.start(d("2026-10-07")), d("2026-10-07"));
        assert_eq!(
            Period::Week.start(d("2026-10-07")),
            d("2026-10-05"),
            "Monday"
        );
        assert_eq!(Period::Week.start(d("2026-10-05")), d("2026-10-05"));
        assert_eq!(Period::Week.end(d("2026-10-05")), d("2026-10-11"), "Sunday");
        assert_eq!(Period::Month.start(d("2026-10-31")), d("2026-10-01"));
        assert_eq!(Period::Month.end(d("2026-02-01")), d("2026-02-28"));
        assert_eq!(
            Period::Month.end(d("2026-12-01")),
            d("2026-12-31"),
            "over the year"
        );
    }

    #[test]
    fn words_round_trip_and_unknown_words_are_refused() {
        for m in [Mode::Full, Mode::Summary] {
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        for p in [Period::Day, Period::Week, Period::Month] {
            assert_eq!(Period::parse(p.as_str()), Some(p));
        }
        assert_eq!(Mode::parse("summarized"), None);
        assert_eq!(Period::parse("year"), None);
    }
}
