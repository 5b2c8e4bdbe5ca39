//! The Settings page: every setting the office manager controls, read and saved at once
//! (deposit account, payment method mappings, invoice start date, estimates, new-customer
//! policy, updating QuickBooks customers, the Web Connector schedule), plus the desktop's own
//! remembered choices (start at login, the "still running in the tray" notice).
//!
//! Owns the window's `Settings` shape and the validation of what a person typed. The values
//! and their defaults live in `store::settings` and `store::mappings`.

use super::OfficeError;
use crate::store::accounting::{self, Mode, Period};
use crate::store::{mappings, payments, settings, Store, StoreError};
use crate::sync::hold;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DepositTo {
    UndepositedFunds,
    Account { account_full_name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PaymentMethodMapping {
    pub app_method: String,
    pub qb_method: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum NewCustomerPolicy {
    CreateAutomatically,
    AskFirst,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Settings {
    pub deposit_to: DepositTo,
    pub payment_methods: Vec<PaymentMethodMapping>,
    pub invoice_start_date: Option<String>,
    pub estimates_for_tickets: bool,
    pub new_customers: NewCustomerPolicy,
    pub update_qb_customers: bool,
    pub schedule_minutes: u32,
    /// Sends are held (`hold-sends`): runs read QuickBooks but send nothing. `None` when
    /// saved by a form that does not know it: left as it is.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub hold_sends: Option<bool>,
    /// A new company file that already holds records starts with sends held (default on).
    /// `None`: left as it is.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub hold_new_company_files: Option<bool>,
    /// The watched folder (`watch-folder`): files dropped there are imported. Empty: none.
    /// `None`: left as it is (the window's Items page sets it through its own picker).
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub watch_folder: Option<String>,
    /// The Web Connector endpoint's port (`port`), used from the next start; the .qwc file
    /// must then be added to the Web Connector again. `None`: left as it is.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub port: Option<u16>,
    /// FieldBridge starts when this Windows user signs in (`start-at-login`; HKCU only).
    /// `None`: left as it is.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub start_at_login: Option<bool>,
    /// How sales reach QuickBooks (`mode`): an invoice per invoice, or summarized journal
    /// entries. Changing it once records were sent is refused. `None`: left as it is.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub mode: Option<Mode>,
    /// The span of one summarized journal entry (`summary-period`). `None`: left as it is.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub summary_period: Option<Period>,
    /// The QuickBooks customer summarized sales are owed by (`summary-customer`). Empty:
    /// none chosen. `None`: left as it is.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub summary_customer: Option<String>,
    /// The span of one deposit (`deposit-period`). `None`: left as it is.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub deposit_period: Option<Period>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SettingsSaved {
    pub settings: Settings,
    /// The .qwc file changed (the schedule or the port): it must be added to the Web
    /// Connector again.
    pub qwc_changed: bool,
}

/// qbXML 13.0: a PaymentMethodRef FullName is at most 31 characters.
const PAYMENT_METHOD_NAME_MAX: usize = 31;
/// qbXML 13.0: an AccountRef FullName is at most 159 characters.
const ACCOUNT_FULL_NAME_MAX: usize = 159;
/// qbXML 13.0: a customer's FullName (with its parents) is at most 209 characters.
const CUSTOMER_FULL_NAME_MAX: usize = 209;

/// Every setting as it stands (the contract's `get_settings`).
pub fn get(store: &Store) -> Result<Settings, OfficeError> {
    Ok(store.read(|conn| {
        let mapped = mappings::payment_methods(conn)?;
        let mut methods: Vec<PaymentMethodMapping> = payments::methods(conn)?
            .into_iter()
            .map(|app_method| PaymentMethodMapping {
                qb_method: mapped
                    .iter()
                    .find(|(a, _)| *a == app_method)
                    .map(|(_, q)| q.clone()),
                app_method,
            })
            .collect();
        // A mapping for a method no payment uses any more is still shown (and kept).
        for (app, qb) in &mapped {
            if !methods.iter().any(|m| m.app_method == *app) {
                methods.push(PaymentMethodMapping {
                    app_method: app.clone(),
                    qb_method: Some(qb.clone()),
                });
            }
        }
        Ok::<_, StoreError>(Settings {
            deposit_to: match settings::deposit_account(conn)? {
                Some(account_full_name) => DepositTo::Account { account_full_name },
                None => DepositTo::UndepositedFunds,
            },
            payment_methods: methods,
            invoice_start_date: settings::invoice_start_date(conn)?
                .map(|d| d.format("%Y-%m-%d").to_string()),
            estimates_for_tickets: settings::estimates_for_tickets(conn)?,
            new_customers: if settings::auto_create_customers(conn)? {
                NewCustomerPolicy::CreateAutomatically
            } else {
                NewCustomerPolicy::AskFirst
            },
            update_qb_customers: settings::update_qb_customers(conn)?,
            schedule_minutes: settings::run_every_minutes(conn)?,
            hold_sends: Some(hold::is_held(conn)?),
            hold_new_company_files: Some(hold::first_run_hold_enabled(conn)?),
            watch_folder: Some(
                crate::watch::folder(conn)?
                    .map(|f| f.display().to_string())
                    .unwrap_or_default(),
            ),
            port: Some(settings::port(conn)?.unwrap_or(crate::qbwc::DEFAULT_PORT)),
            start_at_login: Some(start_at_login_now()),
            mode: Some(accounting::mode(conn)?),
            summary_period: Some(accounting::summary_period(conn)?),
            summary_customer: Some(accounting::summary_customer(conn)?.unwrap_or_default()),
            deposit_period: Some(accounting::deposit_period(conn)?),
        })
    })?)
}

/// Saves every setting in one transaction (the contract's `update_settings`); nothing is
/// saved when one value is rejected.
pub fn update(store: &Store, new: &Settings) -> Result<SettingsSaved, OfficeError> {
    let range = settings::RUN_EVERY_MINUTES_RANGE;
    if !range.contains(&new.schedule_minutes) {
        return Err(OfficeError::InvalidInput(format!(
            "The Web Connector can run every {} to {} minutes; {} is outside that.",
            range.start(),
            range.end(),
            new.schedule_minutes
        )));
    }
    if new.port == Some(0) {
        return Err(OfficeError::InvalidInput(
            "The port must be a number from 1 to 65535.".to_owned(),
        ));
    }
    let start = match new.invoice_start_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            OfficeError::InvalidInput(format!(
                "The invoice start date \"{text}\" is not a date; write it as YYYY-MM-DD."
            ))
        })?),
    };
    let deposit = match &new.deposit_to {
        DepositTo::UndepositedFunds => None,
        DepositTo::Account { account_full_name } => {
            let name = account_full_name.trim();
            if name.is_empty() || name.chars().count() > ACCOUNT_FULL_NAME_MAX {
                return Err(OfficeError::InvalidInput(format!(
                    "Choose the account payments are deposited to (a QuickBooks account name of 1 to {ACCOUNT_FULL_NAME_MAX} characters)."
                )));
            }
            Some(name.to_owned())
        }
    };
    for m in &new.payment_methods {
        if let Some(q) = &m.qb_method {
            if q.trim().chars().count() > PAYMENT_METHOD_NAME_MAX {
                return Err(OfficeError::InvalidInput(format!(
                    "The QuickBooks payment method for \"{}\" can be at most {PAYMENT_METHOD_NAME_MAX} characters long.",
                    m.app_method
                )));
            }
        }
    }
    if let Some(c) = &new.summary_customer {
        if c.trim().chars().count() > CUSTOMER_FULL_NAME_MAX {
            return Err(OfficeError::InvalidInput(format!(
                "The summary customer's QuickBooks name can be at most {CUSTOMER_FULL_NAME_MAX} characters long."
            )));
        }
    }
    let qwc_changed = store.write(|tx| {
        if let Some(mode) = new.mode {
            let now = accounting::mode(tx)?;
            if mode != now {
                if accounting::anything_sent(tx)? {
                    return Err(OfficeError::Conflict(format!(
                        "FieldBridge already sent records to QuickBooks in {} mode, so it stays in that mode: switching to {} now would put the same sales in QuickBooks twice (as invoices and as journal entries) or leave payments without their invoices. Use a new data folder (--data-dir) for a company file that starts in {} mode.",
                        now.as_str(),
                        mode.as_str(),
                        mode.as_str()
                    )));
                }
                accounting::set_mode(tx, mode)?;
            }
        }
        if let Some(period) = new.summary_period {
            accounting::set_summary_period(tx, period)?;
        }
        if let Some(period) = new.deposit_period {
            accounting::set_deposit_period(tx, period)?;
        }
        if let Some(c) = &new.summary_customer {
            let c = c.trim();
            if accounting::summary_customer(tx)?.as_deref().unwrap_or("") != c {
                accounting::set_summary_customer(tx, Some(c))?;
            }
        }
        let before = settings::run_every_minutes(tx)?;
        settings::set_run_every_minutes(tx, new.schedule_minutes)?;
        settings::set_invoice_start_date(tx, start)?;
        settings::set_deposit_account(tx, deposit.as_deref())?;
        settings::set_estimates_for_tickets(tx, new.estimates_for_tickets)?;
        settings::set_auto_create_customers(
            tx,
            new.new_customers == NewCustomerPolicy::CreateAutomatically,
        )?;
        settings::set_update_qb_customers(tx, new.update_qb_customers)?;
        if let Some(held) = new.hold_sends {
            if held != hold::is_held(tx)? {
                hold::set_held(tx, held, None)?;
            }
        }
        if let Some(on) = new.hold_new_company_files {
            hold::set_first_run_hold_enabled(tx, on)?;
        }
        let mut port_changed = false;
        if let Some(port) = new.port {
            if settings::port(tx)?.unwrap_or(crate::qbwc::DEFAULT_PORT) != port {
                settings::set_port(tx, Some(port))?;
                port_changed = true;
            }
        }
        if let Some(folder) = new.watch_folder.as_deref().map(str::trim) {
            let folder = (!folder.is_empty()).then(|| std::path::Path::new(folder));
            crate::watch::set_folder(tx, folder)?;
        }
        for m in &new.payment_methods {
            match m.qb_method.as_deref().map(str::trim) {
                Some(q) if !q.is_empty() => mappings::set_payment_method(tx, &m.app_method, q)?,
                _ => mappings::clear_payment_method(tx, &m.app_method)?,
            }
        }
        // The .qwc file holds the schedule and the endpoint's address (its port).
        Ok::<_, OfficeError>(before != new.schedule_minutes || port_changed)
    })?;
    if let Some(on) = new.start_at_login {
        if on != start_at_login_now() {
            crate::autostart::set(on).map_err(|e| {
                OfficeError::Io(format!(
                    "FieldBridge could not change whether it starts when you sign in: {e}"
                ))
            })?;
        }
    }
    Ok(SettingsSaved {
        settings: get(store)?,
        qwc_changed,
    })
}

/// Whether this user's start-at-login entry exists (an unreadable one counts as off).
fn start_at_login_now() -> bool {
    matches!(crate::autostart::current(), Ok(Some(_)))
}

/// The desktop's remembered choices (settings keys; the window never edits them directly).
const START_AT_LOGIN: &str = "desktop_start_at_login";
const TRAY_NOTICE_SHOWN: &str = "desktop_tray_notice_shown";

/// Whether FieldBridge starts when the person logs in; None before the first run decided.
pub fn start_at_login(store: &Store) -> Result<Option<bool>, OfficeError> {
    Ok(store
        .read(|c| settings::get_raw(c, START_AT_LOGIN))?
        .map(|v| v == "true"))
}

pub fn set_start_at_login(store: &Store, on: bool) -> Result<(), OfficeError> {
    Ok(store.write(|tx| {
        settings::set_raw(tx, START_AT_LOGIN, Some(if on { "true" } else { "false" }))
    })?)
}

/// True once the person was told that closing the window keeps FieldBridge in the tray.
pub fn tray_notice_shown(store: &Store) -> Result<bool, OfficeError> {
    Ok(store
        .read(|c| settings::get_raw(c, TRAY_NOTICE_SHOWN))?
        .is_some())
}

pub fn note_tray_notice_shown(store: &Store) -> Result<(), OfficeError> {
    Ok(store
        .write(|tx| settings::set_raw(tx, TRAY_NOTICE_SHOWN, Some(&crate::store::now_utc())))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::test_support::store;

    #[test]
    fn defaults_round_trip_and_only_the_schedule_changes_the_qwc() {
        let store = store();
        let s = get(&store).unwrap();
        assert_eq!(
            s.deposit_to,
            DepositTo::UndepositedFunds,
            "default: Undeposited Funds"
        );
        assert_eq!(s.new_customers, NewCustomerPolicy::CreateAutomatically);
        assert_eq!(s.schedule_minutes, settings::DEFAULT_RUN_EVERY_MINUTES);
        assert!(s.payment_methods.is_empty(), "no payments, no methods");

        let mut changed = s.clone();
        changed.deposit_to = DepositTo::Account {
            account_full_name: "Checking".into(),
        };
        changed.invoice_start_date = Some("2026-01-01".into());
        changed.estimates_for_tickets = false;
        changed.new_customers = NewCustomerPolicy::AskFirst;
        changed.update_qb_customers = !s.update_qb_customers;
        changed.payment_methods = vec![PaymentMethodMapping {
            app_method: "Card".into(),
            qb_method: Some("Visa".into()),
        }];
        let saved = update(&store, &changed).unwrap();
        assert!(!saved.qwc_changed, "the schedule did not change");
        assert_eq!(
            saved.settings, changed,
            "every setting is saved and read back"
        );

        changed.schedule_minutes = 30;
        assert!(
            update(&store, &changed).unwrap().qwc_changed,
            "a new schedule needs a new .qwc"
        );
        changed.payment_methods[0].qb_method = None;
        let saved = update(&store, &changed).unwrap();
        assert!(
            saved.settings.payment_methods.is_empty(),
            "a cleared mapping is forgotten"
        );
    }

    #[test]
    fn a_new_port_changes_the_qwc_and_zero_is_refused() {
        let store = store();
        let mut s = get(&store).unwrap();
        assert_eq!(s.port, Some(crate::qbwc::DEFAULT_PORT));
        let saved = update(&store, &s).unwrap();
        assert!(!saved.qwc_changed, "the same port: the .qwc is as it was");
        s.port = Some(8799);
        let saved = update(&store, &s).unwrap();
        assert!(saved.qwc_changed, "the .qwc holds the endpoint's port");
        assert_eq!(saved.settings.port, Some(8799));
        s.port = Some(0);
        assert_eq!(update(&store, &s).unwrap_err().code(), "invalid_input");
        assert_eq!(get(&store).unwrap().port, Some(8799), "nothing saved");
    }

    #[test]
    fn wrong_values_are_refused_and_nothing_is_saved() {
        let store = store();
        let mut s = get(&store).unwrap();
        s.update_qb_customers = !s.update_qb_customers;
        let before = get(&store).unwrap().update_qb_customers;
        s.schedule_minutes = 0;
        assert_eq!(update(&store, &s).unwrap_err().code(), "invalid_input");
        s.schedule_minutes = 15;
        s.invoice_start_date = Some("2026-13-01".into());
        let err = update(&store, &s).unwrap_err();
        assert!(
            err.to_string().contains("YYYY-MM-DD"),
            "the message says the format: {err}"
        );
        assert_eq!(
            get(&store).unwrap().update_qb_customers,
            before,
            "nothing saved from a refused form"
        );
    }

    #[test]
    fn desktop_choices_are_remembered() {
        let store = store();
        assert_eq!(
            start_at_login(&store).unwrap(),
            None,
            "undecided before the first run"
        );
        set_start_at_login(&store, true).unwrap();
        assert_eq!(start_at_login(&store).unwrap(), Some(true));
        assert!(!tray_notice_shown(&store).unwrap());
        note_tray_notice_shown(&store).unwrap();
        assert!(tray_notice_shown(&store).unwrap(), "said once, remembered");
    }
}
