//! Holding sends (issue 15): while `hold-sends` is on, a Web Connector run still reads
//! QuickBooks completely (so the preview is computed against what QuickBooks really holds)
//! but sends nothing: the pushing stage is never entered. A new data folder's first run on a
//! company file that already holds customers or transactions starts held, with the reason
//! kept for the Sync page, unless the office manager switched that default off.

use crate::store::{settings, StoreError};
use rusqlite::{Connection, Transaction};

/// Settings key: `"1"` while sends are held.
pub const HOLD_SENDS: &str = "hold_sends";
/// Settings key: why sends are held, in words for the Sync page (when FieldBridge held them).
pub const HOLD_REASON: &str = "hold_sends_reason";
/// Settings key: `"1"` when a new company file that already holds records must NOT start held.
pub const FIRST_RUN_HOLD: &str = "first_run_hold";
/// Settings key: set once the first run decided whether to hold (so it decides only once).
const FIRST_RUN_DECIDED: &str = "first_run_hold_decided";

pub fn is_held(conn: &Connection) -> Result<bool, StoreError> {
    Ok(settings::get_raw(conn, HOLD_SENDS)?.as_deref() == Some("1"))
}

/// Holds or releases sends; a release forgets the reason.
pub fn set_held(tx: &Transaction<'_>, held: bool, reason: Option<&str>) -> Result<(), StoreError> {
    settings::set_raw(tx, HOLD_SENDS, held.then_some("1"))?;
    settings::set_raw(tx, HOLD_REASON, if held { reason } else { None })?;
    // A person's own choice settles the first-run question too.
    settings::set_raw(tx, FIRST_RUN_DECIDED, Some("1"))
}

/// Why sends are held, when FieldBridge held them itself.
pub fn reason(conn: &Connection) -> Result<Option<String>, StoreError> {
    settings::get_raw(conn, HOLD_REASON)
}

/// Whether a new company file that already holds records starts held. On for a data
/// folder created by this version (`App::open_dir` sets it when it creates the folder: the
/// Sync page shows the preview and "Start sending"); off for folders made before, which
/// keep what they had, and for in-memory stores.
pub fn first_run_hold_enabled(conn: &Connection) -> Result<bool, StoreError> {
    Ok(settings::get_raw(conn, FIRST_RUN_HOLD)?.as_deref() == Some("1"))
}

pub fn set_first_run_hold_enabled(tx: &Transaction<'_>, on: bool) -> Result<(), StoreError> {
    settings::set_raw(tx, FIRST_RUN_HOLD, on.then_some("1"))
}

/// At the end of the first complete read of a company file: holds sends when QuickBooks
/// already holds customers or transactions (and the default is on). Decided once per data
/// folder. Returns whether it held them now.
pub fn decide_first_run(tx: &Transaction<'_>) -> Result<bool, StoreError> {
    if settings::get_raw(tx, FIRST_RUN_DECIDED)?.is_some() {
        return Ok(false);
    }
    settings::set_raw(tx, FIRST_RUN_DECIDED, Some("1"))?;
    // A data folder that read QuickBooks completely or sent anything before (one made
    // before this setting existed) is not new: its runs go on as they did.
    let not_new = settings::get_raw(tx, super::session::LAST_FULL_RUN)?.is_some()
        || tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM outbox WHERE qb_id IS NOT NULL)",
            [],
            |r| r.get::<_, bool>(0),
        )?;
    if not_new || !first_run_hold_enabled(tx)? {
        return Ok(false);
    }
    let (customers, txns) = existing_records(tx)?;
    if customers == 0 && txns == 0 {
        return Ok(false);
    }
    let reason = format!(
        "This company file already holds {}, so FieldBridge read it but sends nothing until you have looked at the preview and started sending.",
        holdings(customers, txns)
    );
    settings::set_raw(tx, HOLD_SENDS, Some("1"))?;
    settings::set_raw(tx, HOLD_REASON, Some(&reason))?;
    Ok(true)
}

/// "1 customer or job and 2 payments", "312 customers and jobs", "40 payments".
fn holdings(customers: i64, txns: i64) -> String {
    let names = match customers {
        0 => None,
        1 => Some("1 customer or job".to_owned()),
        n => Some(format!("{n} customers and jobs")),
    };
    let paid = match txns {
        0 => None,
        1 => Some("1 payment".to_owned()),
        n => Some(format!("{n} payments")),
    };
    match (names, paid) {
        (Some(a), Some(b)) => format!("{a} and {b}"),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => "records".to_owned(),
    }
}

/// Customers and jobs, and transactions, QuickBooks holds that FieldBridge did not send.
fn existing_records(tx: &Transaction<'_>) -> Result<(i64, i64), StoreError> {
    let customers: i64 = tx.query_row("SELECT COUNT(*) FROM qb_customers", [], |r| r.get(0))?;
    // The pull reads QuickBooks' payments; its invoices are read only as FieldBridge's own.
    let txns: i64 = tx.query_row("SELECT COUNT(*) FROM qb_payments", [], |r| r.get(0))?;
    Ok((customers, txns))
}

/// The words a held run ends with, e.g. "Sending is on hold: 12 records wait. Start sending
/// in FieldBridge."
pub fn held_words(waiting: u64) -> String {
    let records = if waiting == 1 {
        "1 record waits".to_owned()
    } else {
        format!("{waiting} records wait")
    };
    format!("Sending is on hold: {records}. Start sending on FieldBridge's Sync page (or `fieldbridge settings set hold-sends false`).")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn held_words_count_the_waiting_records() {
        assert_eq!(held_words(1), "Sending is on hold: 1 record waits. Start sending on FieldBridge's Sync page (or `fieldbridge settings set hold-sends false`).");
        assert!(held_words(12).contains("12 records wait"));
    }

    #[test]
    fn hold_is_off_by_default_and_a_release_forgets_the_reason() {
        let store = Store::open_in_memory().unwrap();
        assert!(!store.read(is_held).unwrap());
        store
            .write(|tx| set_held(tx, true, Some("because")))
            .unwrap();
        assert!(store.read(is_held).unwrap());
        assert_eq!(store.read(reason).unwrap().as_deref(), Some("because"));
        store.write(|tx| set_held(tx, false, None)).unwrap();
        assert!(!store.read(is_held).unwrap());
        assert_eq!(store.read(reason).unwrap(), None);
    }

    #[test]
    fn an_empty_company_file_is_not_held() {
        let store = Store::open_in_memory().unwrap();
        assert!(!store.write(decide_first_run).unwrap());
        assert!(!store.read(is_held).unwrap());
    }

    fn with_a_qb_customer() -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                crate::store::qb_mirror::upsert_customer(
                    tx,
                    &crate::store::qb_mirror::QbCustomer {
                        list_id: "80000001-1".into(),
                        name: "Ecker Designs".into(),
                        full_name: "Ecker Designs".into(),
                        is_active: true,
                        edit_sequence: "1".into(),
                        time_modified: "2026-10-01T09:00:00-05:00".into(),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        store
    }

    #[test]
    fn a_company_with_customers_is_held_once_and_an_older_folder_never() {
        let store = with_a_qb_customer();
        store
            .write(|tx| set_first_run_hold_enabled(tx, true))
            .unwrap();
        assert!(store.write(decide_first_run).unwrap());
        assert!(store.read(is_held).unwrap());
        assert!(store
            .read(reason)
            .unwrap()
            .unwrap()
            .contains("1 customer or job"));
        store.write(|tx| set_held(tx, false, None)).unwrap();
        assert!(!store.write(decide_first_run).unwrap(), "decided once");

        let older = with_a_qb_customer();
        older
            .write(|tx| set_first_run_hold_enabled(tx, true))
            .unwrap();
        older
            .write(|tx| {
                settings::set_raw(
                    tx,
                    crate::sync::session::LAST_FULL_RUN,
                    Some("2026-10-01T00:00:00Z"),
                )
            })
            .unwrap();
        assert!(!older.write(decide_first_run).unwrap());
        assert!(!older.read(is_held).unwrap());

        let off = with_a_qb_customer();
        off.write(|tx| set_first_run_hold_enabled(tx, false))
            .unwrap();
        assert!(!off.write(decide_first_run).unwrap());
        let default = with_a_qb_customer();
        assert!(
            !default.write(decide_first_run).unwrap(),
            "off unless asked for"
        );
    }
}

#[cfg(test)]
mod holdings_words {
    #[test]
    fn counts_are_said_in_the_singular_or_plural_and_zeros_are_left_out() {
        assert_eq!(super::holdings(1, 0), "1 customer or job");
        assert_eq!(
            super::holdings(312, 40),
            "312 customers and jobs and 40 payments"
        );
        assert_eq!(super::holdings(0, 1), "1 payment");
        assert_eq!(super::holdings(2, 1), "2 customers and jobs and 1 payment");
    }
}
