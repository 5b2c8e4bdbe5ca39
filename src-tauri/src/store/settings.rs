//! Settings (typed helpers over a key/value table), the install's Web Connector ids, and the
//! company file this data folder is bound to. Owns tables `settings` and `company_binding`.
//!
//! Defaults live here, next to the reason for each, and are returned when nothing is stored.

use super::records::{date_text, parse_date};
use super::{now_utc, StoreError};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// Web Connector schedule. 15 minutes: a run with nothing to do costs nothing (we answer
/// `none` at authenticate and QuickBooks is never opened), and field payments and QuickBooks'
/// invoice balances are then at most a quarter of an hour old, which is what an office
/// working from both screens needs.
pub const DEFAULT_RUN_EVERY_MINUTES: u32 = 15;
/// The schedule's bounds: at least every minute (QBWC's own floor for RunEveryNMinutes),
/// at most once a day.
pub const RUN_EVERY_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 1..=1440;

/// Creating missing customers is what a new user expects; ambiguous matches still stop for
/// a person (pairing).
pub const DEFAULT_AUTO_CREATE_CUSTOMERS: bool = true;
/// Edits made in the field app reach QuickBooks (issue 11: "anytime you ... edit current
/// data, it'll be transferred"), in a data folder made since edits are sent
/// (`folder_defaults`, migration V_EDITS). An edit made in QuickBooks to a field FieldBridge
/// also changed is never overwritten silently: it stops for a person (a conflict).
pub const DEFAULT_UPDATE_QB_CUSTOMERS: bool = true;
/// A data folder that held records before edits were sent keeps the default it had: QuickBooks
/// is the office's book of record, and nobody there chose to have it overwritten.
pub const DEFAULT_UPDATE_QB_CUSTOMERS_BEFORE_EDITS: bool = false;
/// Tickets as estimates let the office see field work before it is invoiced.
pub const DEFAULT_ESTIMATES_FOR_TICKETS: bool = true;

const OWNER_ID: &str = "owner_id";
const FILE_ID: &str = "file_id";
const RUN_EVERY: &str = "run_every_minutes";
const PORT: &str = "port";
const AUTO_CREATE: &str = "auto_create_customers";
const UPDATE_QB: &str = "update_qb_customers";
const ESTIMATES: &str = "estimates_for_tickets";
const INVOICE_START: &str = "invoice_start_date";
const DEPOSIT_ACCOUNT: &str = "deposit_account";
const LAST_CONTACT: &str = "last_contact";

pub fn get_raw(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Sets a value; None removes it (back to the default).
pub fn set_raw(tx: &Transaction<'_>, key: &str, value: Option<&str>) -> Result<(), StoreError> {
    match value {
        Some(v) => tx
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, v])?,
        None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

#[cfg(test)]
pub(crate) fn set_raw_for_test(
    conn: &Connection,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)",
        params![key, value],
    )?;
    Ok(())
}

fn get_or_create_id(tx: &Transaction<'_>, key: &str) -> Result<String, StoreError> {
    if let Some(v) = get_raw(tx, key)? {
        return Ok(v);
    }
    let id = super::customers::new_guid();
    set_raw(tx, key, Some(&id))?;
    Ok(id)
}

/// The .qwc OwnerID: a braced GUID made once per data folder, the same ever after
/// (QBWC keys the application by it).
pub fn owner_id(tx: &Transaction<'_>) -> Result<String, StoreError> {
    get_or_create_id(tx, OWNER_ID)
}

/// The .qwc FileID: like [`owner_id`]; QBWC stores it in the company file.
pub fn file_id(tx: &Transaction<'_>) -> Result<String, StoreError> {
    get_or_create_id(tx, FILE_ID)
}

fn get_bool(conn: &Connection, key: &'static str, default: bool) -> Result<bool, StoreError> {
    match get_raw(conn, key)?.as_deref() {
        None => Ok(default),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(other) => Err(StoreError::Corrupt {
            place: "settings",
            value: format!("{key}={other}"),
            expected: "true or false",
        }),
    }
}

fn set_bool(tx: &Transaction<'_>, key: &str, value: bool) -> Result<(), StoreError> {
    set_raw(tx, key, Some(if value { "true" } else { "false" }))
}

pub fn run_every_minutes(conn: &Connection) -> Result<u32, StoreError> {
    match get_raw(conn, RUN_EVERY)? {
        None => Ok(DEFAULT_RUN_EVERY_MINUTES),
        Some(v) => v.parse().map_err(|_| StoreError::Corrupt {
            place: "settings.run_every_minutes",
            value: v,
            expected: "a whole number of minutes",
        }),
    }
}

pub fn set_run_every_minutes(tx: &Transaction<'_>, minutes: u32) -> Result<(), StoreError> {
    if !RUN_EVERY_MINUTES_RANGE.contains(&minutes) {
        return Err(StoreError::InvalidSetting {
            key: RUN_EVERY,
            message: format!(
                "expected {} to {} minutes, found {minutes}",
                RUN_EVERY_MINUTES_RANGE.start(),
                RUN_EVERY_MINUTES_RANGE.end()
            ),
        });
    }
    set_raw(tx, RUN_EVERY, Some(&minutes.to_string()))
}

/// The endpoint's port, if one was chosen (None: the endpoint's built-in default).
pub fn port(conn: &Connection) -> Result<Option<u16>, StoreError> {
    get_raw(conn, PORT)?
        .map(|v| {
            v.parse().map_err(|_| StoreError::Corrupt {
                place: "settings.port",
                value: v,
                expected: "a port number 1-65535",
            })
        })
        .transpose()
}

pub fn set_port(tx: &Transaction<'_>, port: Option<u16>) -> Result<(), StoreError> {
    if port == Some(0) {
        return Err(StoreError::InvalidSetting {
            key: PORT,
            message: "expected a port number 1-65535, found 0".into(),
        });
    }
    set_raw(tx, PORT, port.map(|p| p.to_string()).as_deref())
}

pub fn auto_create_customers(conn: &Connection) -> Result<bool, StoreError> {
    get_bool(conn, AUTO_CREATE, DEFAULT_AUTO_CREATE_CUSTOMERS)
}
pub fn set_auto_create_customers(tx: &Transaction<'_>, v: bool) -> Result<(), StoreError> {
    set_bool(tx, AUTO_CREATE, v)
}

pub fn update_qb_customers(conn: &Connection) -> Result<bool, StoreError> {
    let born_with_edits: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM folder_defaults WHERE key = ?1)")?
        .query_row([UPDATE_QB], |r| r.get(0))?;
    let default = if born_with_edits {
        DEFAULT_UPDATE_QB_CUSTOMERS
    } else {
        DEFAULT_UPDATE_QB_CUSTOMERS_BEFORE_EDITS
    };
    get_bool(conn, UPDATE_QB, default)
}
pub fn set_update_qb_customers(tx: &Transaction<'_>, v: bool) -> Result<(), StoreError> {
    set_bool(tx, UPDATE_QB, v)
}

pub fn estimates_for_tickets(conn: &Connection) -> Result<bool, StoreError> {
    get_bool(conn, ESTIMATES, DEFAULT_ESTIMATES_FOR_TICKETS)
}
pub fn set_estimates_for_tickets(tx: &Transaction<'_>, v: bool) -> Result<(), StoreError> {
    set_bool(tx, ESTIMATES, v)?;
    super::outbox::release_parked(tx, super::outbox::waits_on::ESTIMATES)?;
    Ok(())
}

/// Invoices dated before this are not sent (None: all are).
pub fn invoice_start_date(conn: &Connection) -> Result<Option<NaiveDate>, StoreError> {
    get_raw(conn, INVOICE_START)?
        .map(|v| parse_date("settings.invoice_start_date", &v))
        .transpose()
}
pub fn set_invoice_start_date(
    tx: &Transaction<'_>,
    d: Option<NaiveDate>,
) -> Result<(), StoreError> {
    set_raw(tx, INVOICE_START, d.map(date_text).as_deref())?;
    super::outbox::release_parked(tx, super::outbox::waits_on::START_DATE)?;
    Ok(())
}

/// The account field payments are deposited to (None: QuickBooks' Undeposited Funds).
pub fn deposit_account(conn: &Connection) -> Result<Option<String>, StoreError> {
    get_raw(conn, DEPOSIT_ACCOUNT)
}
pub fn set_deposit_account(tx: &Transaction<'_>, account: Option<&str>) -> Result<(), StoreError> {
    set_raw(tx, DEPOSIT_ACCOUNT, account)?;
    super::outbox::release_parked(tx, super::outbox::waits_on::DEPOSIT_ACCOUNT)?;
    Ok(())
}

/// The last time the Web Connector reached FieldBridge (RFC 3339 UTC), also when there was
/// nothing to do (so no session row was written).
pub fn last_contact(conn: &Connection) -> Result<Option<String>, StoreError> {
    let noted = get_raw(conn, LAST_CONTACT)?;
    let session: Option<String> = conn.query_row(
        "SELECT max(coalesce(finished_at, started_at)) FROM sessions",
        [],
        |r| r.get(0),
    )?;
    // Both are RFC 3339 UTC with the same shape, so text order is time order.
    Ok(noted.into_iter().chain(session).max())
}

pub fn note_contact(tx: &Transaction<'_>) -> Result<(), StoreError> {
    set_raw(tx, LAST_CONTACT, Some(&now_utc()))
}

/// The company file this data folder syncs with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CompanyBinding {
    pub company_file: String,
    pub company_name: Option<String>,
    pub bound_at: String,
}

pub fn company_binding(conn: &Connection) -> Result<Option<CompanyBinding>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT company_file, company_name, bound_at FROM company_binding WHERE id = 1",
            [],
            |r| {
                Ok(CompanyBinding {
                    company_file: r.get(0)?,
                    company_name: r.get(1)?,
                    bound_at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Binds (or re-binds, by a person's decision) this data folder to a company file.
pub fn bind_company(
    tx: &Transaction<'_>,
    company_file: &str,
    company_name: Option<&str>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO company_binding (id, company_file, company_name, bound_at)
         VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET company_file = excluded.company_file,
             company_name = excluded.company_name, bound_at = excluded.bound_at",
    )?
    .execute(params![company_file, company_name, now_utc()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn defaults_apply_until_set_and_values_round_trip() {
        let store = Store::open_in_memory().unwrap();
        store
            .read(|c| -> Result<(), StoreError> {
                assert_eq!(run_every_minutes(c)?, DEFAULT_RUN_EVERY_MINUTES);
                assert_eq!(port(c)?, None);
                assert!(auto_create_customers(c)?);
                assert!(
                    update_qb_customers(c)?,
                    "a new data folder sends customer edits (issue 11)"
                );
                assert!(estimates_for_tickets(c)?);
                assert_eq!(invoice_start_date(c)?, None);
                assert_eq!(deposit_account(c)?, None, "None means Undeposited Funds");
                Ok(())
            })
            .unwrap();
        store
            .write(|tx| -> Result<(), StoreError> {
                set_run_every_minutes(tx, 60)?;
                set_port(tx, Some(8123))?;
                set_update_qb_customers(tx, false)?;
                set_invoice_start_date(tx, NaiveDate::from_ymd_opt(2026, 1, 1))?;
                set_deposit_account(tx, Some("Checking"))
            })
            .unwrap();
        store
            .read(|c| -> Result<(), StoreError> {
                assert_eq!(run_every_minutes(c)?, 60);
                assert_eq!(port(c)?, Some(8123));
                assert!(!update_qb_customers(c)?);
                assert_eq!(invoice_start_date(c)?, NaiveDate::from_ymd_opt(2026, 1, 1));
                assert_eq!(deposit_account(c)?.as_deref(), Some("Checking"));
                Ok(())
            })
            .unwrap();
        let err = store.write(|tx| set_run_every_minutes(tx, 0)).unwrap_err();
        assert!(err.to_string().contains("found 0"), "{err}");
    }

    #[test]
    fn owner_and_file_ids_are_made_once_and_stay() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let (o1, f1) = {
            let store = Store::open(&path).unwrap();
            store
                .write(|tx| Ok::<_, StoreError>((owner_id(tx)?, file_id(tx)?)))
                .unwrap()
        };
        let store = Store::open(&path).unwrap();
        let (o2, f2) = store
            .write(|tx| Ok::<_, StoreError>((owner_id(tx)?, file_id(tx)?)))
            .unwrap();
        assert_eq!(
            (&o1, &f1),
            (&o2, &f2),
            "QBWC keys the app by them: they must not change"
        );
        assert_ne!(o1, f1);
        assert!(
            o1.starts_with('{') && o1.ends_with('}'),
            "QBWC wants braces: {o1}"
        );
    }

    #[test]
    fn company_binding_is_one_row() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.read(company_binding).unwrap(), None);
        store
            .write(|tx| bind_company(tx, "C:\\A.qbw", Some("A")))
            .unwrap();
        store
            .write(|tx| bind_company(tx, "C:\\B.qbw", None))
            .unwrap();
        let b = store.read(company_binding).unwrap().unwrap();
        assert_eq!(b.company_file, "C:\\B.qbw");
    }
}
