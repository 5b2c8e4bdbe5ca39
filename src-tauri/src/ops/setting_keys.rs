//! The settings as the command line names them (`fieldbridge settings [--json]`,
//! `fieldbridge settings set KEY VALUE`; shared design `cli.md`): ONE table, one row per key,
//! each row saying its name, the values it takes, what it does, how to read it from the
//! window's [`Settings`] form and how to write a typed value into it.
//!
//! A change is saved by [`office::settings::update`](crate::office::settings::update), the
//! very function behind the window's Save button, so a key and a form field cannot accept
//! different values. Work that adds a setting adds a field to `Settings` and one row to
//! [`KEYS`]; nothing else here changes.

use crate::office::settings::{self, DepositTo, NewCustomerPolicy, Settings, SettingsSaved};
use crate::office::OfficeError;
use crate::store::accounting::{Mode, Period};
use crate::store::Store;
use serde_json::Value;

/// One setting as the command line knows it.
pub struct Key {
    /// The name on the command line and in `settings --json`, e.g. `schedule-minutes`.
    pub name: &'static str,
    /// The values it takes, in words (said when a value is refused).
    pub values: &'static str,
    /// What it does, in words.
    pub about: &'static str,
    /// Its value in `settings --json` (a JSON string, number, bool or null).
    pub read: fn(&Settings) -> Value,
    /// Parses `text` and writes it into the form; `Err` when `text` is not one of `values`.
    pub write: fn(&mut Settings, &str) -> Result<(), ()>,
}

/// A row for a true/false setting kept in the form's field `$field`.
macro_rules! flag {
    ($name:literal, $about:literal, $field:ident) => {
        Key {
            name: $name,
            values: "true or false",
            about: $about,
            read: |s| Value::from(s.$field),
            write: |s, v| {
                s.$field = parse_bool(v)?;
                Ok(())
            },
        }
    };
}

/// Every setting the command line can read and change, in the order `settings` lists them.
pub const KEYS: &[Key] = &[
    Key {
        name: "schedule-minutes",
        values: "a whole number of minutes from 1 to 1440",
        about: "how often the Web Connector runs FieldBridge (written into the .qwc file)",
        read: |s| Value::from(s.schedule_minutes),
        write: |s, v| {
            s.schedule_minutes = v.parse().map_err(|_| ())?;
            Ok(())
        },
    },
    Key {
        name: "start-date",
        values: "a date as YYYY-MM-DD, or none",
        about: "invoices, service tickets (estimates) and payments dated before this are never sent (none: all are sent)",
        read: |s| {
            s.invoice_start_date
                .clone()
                .map_or(Value::Null, Value::from)
        },
        write: |s, v| {
            s.invoice_start_date = match v {
                "none" => None,
                date => {
                    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| ())?;
                    Some(date.to_owned())
                }
            };
            Ok(())
        },
    },
    flag!(
        "tickets-as-estimates",
        "send service tickets to QuickBooks as estimates",
        estimates_for_tickets
    ),
    flag!(
        "send-customer-edits",
        "send changes to customers that are already in QuickBooks",
        update_qb_customers
    ),
    Key {
        name: "hold-sends",
        values: "true or false",
        about: "true: runs read QuickBooks but send nothing until this is false (preview shows what waits)",
        read: |s| Value::from(s.hold_sends.unwrap_or(false)),
        write: |s, v| {
            s.hold_sends = Some(parse_bool(v)?);
            Ok(())
        },
    },
    Key {
        name: "hold-new-company-files",
        values: "true or false",
        about: "a new data folder's first run on a company file that already holds records starts with sends held",
        read: |s| Value::from(s.hold_new_company_files.unwrap_or(false)),
        write: |s, v| {
            s.hold_new_company_files = Some(parse_bool(v)?);
            Ok(())
        },
    },
    Key {
        name: "port",
        values: "a port number from 1 to 65535",
        about: "the Web Connector endpoint's port from the next start (then add the new .qwc file to the Web Connector again)",
        read: |s| s.port.map_or(Value::Null, Value::from),
        write: |s, v| {
            s.port = Some(v.parse().ok().filter(|p| *p != 0).ok_or(())?);
            Ok(())
        },
    },
    Key {
        name: "start-at-login",
        values: "true or false",
        about: "FieldBridge starts when you sign in to Windows, so the Web Connector finds it at night",
        read: |s| Value::from(s.start_at_login.unwrap_or(false)),
        write: |s, v| {
            s.start_at_login = Some(parse_bool(v)?);
            Ok(())
        },
    },
    Key {
        name: "watch-folder",
        values: "a folder that exists, or none",
        about: "JSON or CSV files dropped in this folder are imported automatically (all or nothing each)",
        read: |s| {
            s.watch_folder
                .clone()
                .filter(|f| !f.is_empty())
                .map_or(Value::Null, Value::from)
        },
        write: |s, v| {
            s.watch_folder = Some(if v == "none" { String::new() } else { v.to_owned() });
            Ok(())
        },
    },
    Key {
        name: "new-customers",
        values:
            "create (add customers QuickBooks lacks at the next sync) or ask (wait for a person)",
        about: "what happens to an app customer with no match in QuickBooks",
        read: |s| {
            Value::from(match s.new_customers {
                NewCustomerPolicy::CreateAutomatically => "create",
                NewCustomerPolicy::AskFirst => "ask",
            })
        },
        write: |s, v| {
            s.new_customers = match v {
                "create" => NewCustomerPolicy::CreateAutomatically,
                "ask" => NewCustomerPolicy::AskFirst,
                _ => return Err(()),
            };
            Ok(())
        },
    },
    Key {
        name: "mode",
        values: "full (one QuickBooks invoice per invoice) or summary (summarized journal entries)",
        about: "how sales reach QuickBooks; fixed once records were sent (README \"Summarized journal entries\")",
        read: |s| Value::from(s.mode.unwrap_or(Mode::Full).as_str()),
        write: |s, v| {
            s.mode = Some(Mode::parse(v).ok_or(())?);
            Ok(())
        },
    },
    Key {
        name: "summary-period",
        values: "day, week or month",
        about: "summary mode: one journal entry for the invoices and one for the payments of each day (week: Monday to Sunday; month)",
        read: |s| Value::from(s.summary_period.unwrap_or(Period::Day).as_str()),
        write: |s, v| {
            s.summary_period = Some(Period::parse(v).ok_or(())?);
            Ok(())
        },
    },
    Key {
        name: "summary-customer",
        values: "a QuickBooks customer's full name, or none",
        about: "summary mode: the customer the summarized sales are owed by (QuickBooks names one on every Accounts Receivable line)",
        read: |s| {
            s.summary_customer
                .clone()
                .filter(|c| !c.is_empty())
                .map_or(Value::Null, Value::from)
        },
        write: |s, v| {
            s.summary_customer = Some(if v == "none" { String::new() } else { v.to_owned() });
            Ok(())
        },
    },
    Key {
        name: "deposit-account",
        values: "a QuickBooks bank account's full name, or none",
        about: "payments go to Undeposited Funds; with an account, FieldBridge deposits them there (DepositAdd), one deposit per deposit-period (none: you deposit them in QuickBooks)",
        read: |s| match &s.deposit_to {
            DepositTo::Account { account_full_name } => Value::from(account_full_name.clone()),
            DepositTo::UndepositedFunds => Value::Null,
        },
        write: |s, v| {
            s.deposit_to = match v {
                "none" | "" => DepositTo::UndepositedFunds,
                name => DepositTo::Account {
                    account_full_name: name.to_owned(),
                },
            };
            Ok(())
        },
    },
    Key {
        name: "deposit-period",
        values: "day, week or month",
        about: "with a deposit account: one deposit for the payments of each day (week: Monday to Sunday; month)",
        read: |s| Value::from(s.deposit_period.unwrap_or(Period::Day).as_str()),
        write: |s, v| {
            s.deposit_period = Some(Period::parse(v).ok_or(())?);
            Ok(())
        },
    },
];

fn parse_bool(v: &str) -> Result<bool, ()> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(()),
    }
}

/// The row named `name`, or an error naming every key there is.
pub fn key(name: &str) -> Result<&'static Key, OfficeError> {
    KEYS.iter().find(|k| k.name == name).ok_or_else(|| {
        OfficeError::InvalidInput(format!(
            "there is no setting \"{name}\"; the settings are: {}",
            KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// Every setting with its value, in table order.
pub fn all(store: &Store) -> Result<Vec<(&'static Key, Value)>, OfficeError> {
    let form = settings::get(store)?;
    Ok(KEYS.iter().map(|k| (k, (k.read)(&form))).collect())
}

/// Changes one setting, checked and saved exactly as the window's Save button does.
pub fn set(store: &Store, name: &str, value: &str) -> Result<SettingsSaved, OfficeError> {
    let key = key(name)?;
    let mut form = settings::get(store)?;
    (key.write)(&mut form, value.trim()).map_err(|()| {
        OfficeError::InvalidInput(format!(
            "{name} takes {}; \"{value}\" is not one of them",
            key.values
        ))
    })?;
    settings::update(store, &form)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        Store::open_in_memory().unwrap()
    }

    fn value(store: &Store, name: &str) -> Value {
        all(store)
            .unwrap()
            .into_iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
            .unwrap()
    }

    #[test]
    fn the_port_is_saved_for_the_next_start_and_zero_is_refused() {
        let store = store();
        assert_eq!(
            value(&store, "port"),
            Value::from(crate::qbwc::DEFAULT_PORT)
        );
        set(&store, "port", "8799").unwrap();
        assert_eq!(value(&store, "port"), Value::from(8799));
        assert_eq!(
            store.read(crate::store::settings::port).unwrap(),
            Some(8799)
        );
        assert!(set(&store, "port", "0").is_err());
        assert!(set(&store, "port", "70000").is_err());
        assert_eq!(
            value(&store, "port"),
            Value::from(8799),
            "a refused port changes nothing"
        );
    }

    #[test]
    fn the_watch_folder_must_exist_and_none_turns_it_off() {
        let store = store();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().display().to_string();
        set(&store, "watch-folder", &path).unwrap();
        assert_eq!(value(&store, "watch-folder"), Value::from(path.clone()));
        let missing = dir.path().join("nowhere").display().to_string();
        let e = set(&store, "watch-folder", &missing).unwrap_err();
        assert_eq!(e.code(), crate::office::ErrorCode::InvalidInput, "{e}");
        assert_eq!(
            value(&store, "watch-folder"),
            Value::from(path),
            "a refused folder changes nothing"
        );
        set(&store, "watch-folder", "none").unwrap();
        assert_eq!(value(&store, "watch-folder"), Value::Null);
    }
    #[test]
    fn names_are_unique_and_spelled_as_the_cli_spells_them() {
        for (i, k) in KEYS.iter().enumerate() {
            assert!(
                k.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                k.name
            );
            assert!(
                KEYS[..i].iter().all(|o| o.name != k.name),
                "{} twice",
                k.name
            );
        }
    }

    #[test]
    fn every_key_reads_back_what_was_set() {
        let store = store();
        for (name, text, json) in [
            ("schedule-minutes", "30", Value::from(30)),
            ("start-date", "2026-03-01", Value::from("2026-03-01")),
            ("start-date", "none", Value::Null),
            ("tickets-as-estimates", "false", Value::from(false)),
            ("send-customer-edits", "true", Value::from(true)),
            ("new-customers", "ask", Value::from("ask")),
            ("new-customers", "create", Value::from("create")),
            ("hold-sends", "true", Value::from(true)),
            ("hold-sends", "false", Value::from(false)),
            ("hold-new-company-files", "false", Value::from(false)),
            ("hold-new-company-files", "true", Value::from(true)),
            ("summary-period", "week", Value::from("week")),
            ("summary-period", "day", Value::from("day")),
            ("deposit-period", "month", Value::from("month")),
            (
                "summary-customer",
                "Field Sales",
                Value::from("Field Sales"),
            ),
            ("summary-customer", "none", Value::Null),
            ("deposit-account", "Checking", Value::from("Checking")),
            ("deposit-account", "none", Value::Null),
            ("mode", "summary", Value::from("summary")),
            ("mode", "full", Value::from("full")),
        ] {
            set(&store, name, text).unwrap();
            assert_eq!(value(&store, name), json, "{name} {text}");
        }
    }

    #[test]
    fn the_mode_is_full_by_default_and_fixed_once_a_record_was_sent() {
        let store = store();
        assert_eq!(value(&store, "mode"), Value::from("full"));
        assert_eq!(value(&store, "summary-period"), Value::from("day"));
        assert_eq!(value(&store, "deposit-period"), Value::from("day"));
        assert_eq!(value(&store, "deposit-account"), Value::Null);
        set(&store, "mode", "summary").unwrap();
        assert_eq!(
            value(&store, "mode"),
            Value::from("summary"),
            "nothing sent yet"
        );
        let e = set(&store, "mode", "monthly").unwrap_err();
        assert!(e.is_usage() && e.to_string().contains("full"), "{e}");
        // A record goes out in a batch: from then on the mode stays.
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO outbox (kind, kind_rank, record_id, state, sent_revision, updated_at)
                         VALUES ('customer', 0, 'C-1', 'failed', 1, 'x');",
                )?;
                Ok::<_, crate::store::StoreError>(())
            })
            .unwrap();
        let e = set(&store, "mode", "full").unwrap_err();
        assert_eq!(e.code(), crate::office::ErrorCode::Conflict, "{e}");
        assert!(
            e.to_string().contains("already sent records") && e.to_string().contains("twice"),
            "says why in plain English: {e}"
        );
        assert_eq!(
            value(&store, "mode"),
            Value::from("summary"),
            "refused: unchanged"
        );
        set(&store, "mode", "summary").unwrap();
    }

    #[test]
    fn bad_names_and_values_are_usage_errors_that_say_what_is_allowed() {
        let store = store();
        let e = set(&store, "colour", "blue").unwrap_err();
        assert!(e.is_usage());
        assert!(
            e.to_string().contains("schedule-minutes, start-date"),
            "{e}"
        );
        let e = set(&store, "tickets-as-estimates", "yes").unwrap_err();
        assert!(
            e.is_usage() && e.to_string().contains("true or false"),
            "{e}"
        );
        let e = set(&store, "start-date", "2026-13-01").unwrap_err();
        assert!(e.is_usage() && e.to_string().contains("YYYY-MM-DD"), "{e}");
        // Parsed, but refused by the window's own check: the same message as the window's.
        let e = set(&store, "schedule-minutes", "0").unwrap_err();
        assert!(e.is_usage() && e.to_string().contains("1 to 1440"), "{e}");
        assert_eq!(
            value(&store, "schedule-minutes"),
            Value::from(crate::store::settings::DEFAULT_RUN_EVERY_MINUTES),
            "nothing saved"
        );
    }
}
