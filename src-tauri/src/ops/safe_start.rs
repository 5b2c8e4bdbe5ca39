//! A safe start on an existing company file (issue 15), as both edges offer it: the preview
//! of the next run ([`crate::sync::preview`]), "Start sending" (releasing `hold-sends`) and
//! "this is the same company file" (`fieldbridge rebind`).
//!
//! The window's Sync page reads [`safe_start`]: whether sends are held and why, the preview
//! (the very one `fieldbridge preview --json` prints) with each record named, and a refused
//! company file with what was checked. Its two buttons are [`start_sending`] (the settings
//! operation `fieldbridge settings set hold-sends false` runs) and [`rebind`] (the one
//! `fieldbridge rebind` runs).

use crate::office::attention::label;
use crate::office::OfficeError;
use crate::ops::setting_keys;
use crate::store::{settings, RecordKind, RecordRef, Store, StoreError};
use crate::sync::preview::{self, Action, HeldBecause, Preview};
use crate::sync::{hold, REBIND, REFUSED_CHECK, REFUSED_FILE};
use rusqlite::Connection;
use serde::Serialize;

/// Who held sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum HeldBy {
    /// FieldBridge, at a new data folder's first run on a company file that already holds
    /// records (`hold-new-company-files`).
    FirstRun,
    /// A person (`settings set hold-sends true`).
    OfficeManager,
}

/// Whether sends are held, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SendHold {
    pub held: bool,
    pub held_by: Option<HeldBy>,
    /// FieldBridge's words when it held them itself (what the company file holds).
    pub reason: Option<String>,
}

/// How many of one reason are held back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct HeldCount {
    pub because: HeldBecause,
    pub count: u64,
}

/// One kind's counts in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct KindPreview {
    pub kind: RecordKind,
    pub add: u64,
    pub change: u64,
    pub link: u64,
    pub held: u64,
    /// `held` by reason, most first.
    pub held_because: Vec<HeldCount>,
}

/// One record in the preview, named for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewRow {
    pub kind: RecordKind,
    pub id: String,
    /// e.g. "Invoice 10045 for Ecker Designs".
    pub label: String,
    pub action: Action,
    pub reason: String,
    pub held_because: Option<HeldBecause>,
}

/// A company file the last run refused because this data folder syncs with another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RefusedFile {
    /// The file QuickBooks had open.
    pub open_file: String,
    /// The file this data folder syncs with.
    pub bound_file: String,
    /// A person said it is the same company file: checked at the next run.
    pub rebind_requested: bool,
    /// What the last check found, when a rebind was refused.
    pub checked: Option<String>,
}

/// The Sync page's safe-start panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SafeStart {
    pub hold: SendHold,
    /// Every kind, in dependency order.
    pub kinds: Vec<KindPreview>,
    /// Every record the next run sends, links or holds back, in dependency order.
    pub records: Vec<PreviewRow>,
    pub refused: Option<RefusedFile>,
}

/// What the next Web Connector run would do (`fieldbridge preview`).
pub fn get_preview(store: &Store) -> Result<Preview, OfficeError> {
    Ok(preview::preview(store)?)
}

fn kind_of(plural: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|k| k.plural() == plural)
}

fn hold_of(conn: &Connection) -> Result<SendHold, StoreError> {
    let held = hold::is_held(conn)?;
    let reason = hold::reason(conn)?;
    Ok(SendHold {
        held,
        held_by: held.then(|| {
            if reason.is_some() {
                HeldBy::FirstRun
            } else {
                HeldBy::OfficeManager
            }
        }),
        reason: if held { reason } else { None },
    })
}

fn refused_of(conn: &Connection) -> Result<Option<RefusedFile>, StoreError> {
    let Some(open_file) = settings::get_raw(conn, REFUSED_FILE)? else {
        return Ok(None);
    };
    let bound_file = settings::company_binding(conn)?
        .map(|b| b.company_file)
        .unwrap_or_default();
    Ok(Some(RefusedFile {
        open_file,
        bound_file,
        rebind_requested: settings::get_raw(conn, REBIND)?.is_some(),
        checked: settings::get_raw(conn, REFUSED_CHECK)?,
    }))
}

/// The window's `get_safe_start`: the hold, the preview (the same operation as `fieldbridge
/// preview --json`, its records named) and a refused company file.
pub fn safe_start(store: &Store) -> Result<SafeStart, OfficeError> {
    let p = preview::preview(store)?;
    Ok(store.read(|conn| {
        let kinds = RecordKind::ALL
            .into_iter()
            .map(|kind| {
                let c = p.counts.get(kind.plural()).copied().unwrap_or_default();
                let mut by: Vec<HeldCount> = Vec::new();
                for r in p.records.iter().filter(|r| r.kind == kind.plural()) {
                    let Some(because) = r.held_because else {
                        continue;
                    };
                    match by.iter_mut().find(|h| h.because == because) {
                        Some(h) => h.count += 1,
                        None => by.push(HeldCount { because, count: 1 }),
                    }
                }
                by.sort_by(|a, b| b.count.cmp(&a.count).then(a.because.cmp(&b.because)));
                KindPreview {
                    kind,
                    add: c.add,
                    change: c.change,
                    link: c.link,
                    held: c.held,
                    held_because: by,
                }
            })
            .collect();
        let mut records = Vec::with_capacity(p.records.len());
        for r in &p.records {
            let Some(kind) = kind_of(r.kind) else {
                continue;
            };
            records.push(PreviewRow {
                kind,
                id: r.id.clone(),
                label: label(conn, &RecordRef::new(kind, r.id.clone()))?,
                action: r.action,
                reason: r.reason.clone(),
                held_because: r.held_because,
            });
        }
        Ok::<_, StoreError>(SafeStart {
            hold: hold_of(conn)?,
            kinds,
            records,
            refused: refused_of(conn)?,
        })
    })?)
}

/// The window's "Start sending": `hold-sends` false through the one settings operation
/// (`fieldbridge settings set hold-sends false`); the next run sends what the preview shows.
pub fn start_sending(store: &Store) -> Result<(), OfficeError> {
    setting_keys::set(store, "hold-sends", "false")?;
    Ok(())
}

/// `fieldbridge rebind` and the window's "This is the same company file": the next run
/// accepts the company file QuickBooks has open once it has checked that it is the same
/// company (FieldBridge's own records found in it, or its company name).
/// Returns, in words, what the next run will check.
pub fn rebind(store: &Store) -> Result<String, OfficeError> {
    Ok(store.write(|tx| {
        settings::set_raw(tx, REBIND, Some("1"))?;
        crate::sync::rebind_plan_words(tx)
    })?)
}

/// `preview` without `--json`: one line per kind, then one per record.
pub fn preview_text(p: &Preview, held: bool) -> String {
    let mut out = String::new();
    if held {
        out.push_str("Sending is on hold: nothing below is sent until you start sending (fieldbridge settings set hold-sends false).\n");
    }
    for (kind, c) in &p.counts {
        out.push_str(&format!(
            "{kind}: {} to add, {} to change, {} to link, {} held\n",
            c.add, c.change, c.link, c.held
        ));
    }
    for r in &p.records {
        let action = match r.action {
            Action::Add => "add",
            Action::Change => "change",
            Action::Link => "link",
            Action::Held => "held",
        };
        out.push_str(&format!("{} {}: {action}. {}\n", r.kind, r.id, r.reason));
    }
    out
}

/// Whether sends are held.
pub fn is_held(store: &Store) -> Result<bool, OfficeError> {
    Ok(store.read(|c| Ok::<_, StoreError>(hold::is_held(c)?))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::customers::{self, Customer};
    use crate::store::invoices::{self, Invoice};

    fn store() -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                customers::save(tx, &Customer::named("C-1", "Ecker Designs"))?;
                invoices::save(tx, &Invoice::for_test("I-1", "C-1", "10045"))
            })
            .unwrap();
        store
    }

    #[test]
    fn the_panel_is_the_cli_preview_with_each_record_named() {
        let store = store();
        let panel = safe_start(&store).unwrap();
        let cli = get_preview(&store).unwrap();
        assert_eq!(panel.records.len(), cli.records.len(), "the same records");
        for (row, r) in panel.records.iter().zip(&cli.records) {
            assert_eq!(
                (
                    row.kind.plural(),
                    row.id.as_str(),
                    row.action,
                    row.reason.as_str()
                ),
                (r.kind, r.id.as_str(), r.action, r.reason.as_str())
            );
        }
        let customers = &panel.kinds[0];
        assert_eq!(customers.kind, RecordKind::Customer);
        assert_eq!(customers.add, cli.counts["customers"].add);
        assert_eq!(panel.records[0].label, "Customer Ecker Designs");
        assert_eq!(
            panel.kinds.len(),
            RecordKind::ALL.len(),
            "every kind, even with nothing to do"
        );
    }

    #[test]
    fn start_sending_releases_a_hold_and_says_who_held() {
        let store = store();
        assert_eq!(
            safe_start(&store).unwrap().hold,
            SendHold {
                held: false,
                held_by: None,
                reason: None
            }
        );
        setting_keys::set(&store, "hold-sends", "true").unwrap();
        let hold = safe_start(&store).unwrap().hold;
        assert_eq!(hold.held_by, Some(HeldBy::OfficeManager));
        store
            .write(|tx| {
                hold::set_held(
                    tx,
                    true,
                    Some("This company file already holds 3 customers."),
                )
            })
            .unwrap();
        assert_eq!(
            safe_start(&store).unwrap().hold.held_by,
            Some(HeldBy::FirstRun)
        );
        start_sending(&store).unwrap();
        assert!(!is_held(&store).unwrap(), "released");
        assert!(!safe_start(&store).unwrap().hold.held);
    }

    #[test]
    fn records_before_the_start_date_are_held_for_that_reason() {
        let store = store();
        setting_keys::set(&store, "start-date", "2027-01-01").unwrap();
        let panel = safe_start(&store).unwrap();
        let invoice = panel
            .records
            .iter()
            .find(|r| r.kind == RecordKind::Invoice)
            .unwrap();
        assert_eq!(invoice.action, Action::Held);
        assert_eq!(invoice.held_because, Some(HeldBecause::StartDate));
        let invoices = &panel.kinds[3];
        assert_eq!(
            invoices.held_because,
            vec![HeldCount {
                because: HeldBecause::StartDate,
                count: 1
            }]
        );
    }
}
