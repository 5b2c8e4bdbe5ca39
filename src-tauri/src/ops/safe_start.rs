//! A safe start on an existing company file (issue 15), as both edges offer it: the preview
//! of the next run ([`crate::sync::preview`]), "Start sending" (releasing `hold-sends`) and
//! "this is the same company file" (`fieldbridge rebind`).

use crate::office::OfficeError;
use crate::store::{settings, Store, StoreError};
use crate::sync::preview::{self, Action, Preview};
use crate::sync::{hold, REBIND};

/// What the next Web Connector run would do (the window's `get_preview`).
pub fn get_preview(store: &Store) -> Result<Preview, OfficeError> {
    Ok(preview::preview(store)?)
}

/// The window's "Start sending": the next run sends.
pub fn start_sending(store: &Store) -> Result<(), OfficeError> {
    Ok(store.write(|tx| hold::set_held(tx, false, None))?)
}

/// `fieldbridge rebind`: the next run accepts the company file QuickBooks has open, after
/// checking its company name.
pub fn rebind(store: &Store) -> Result<(), OfficeError> {
    Ok(store.write(|tx| settings::set_raw(tx, REBIND, Some("1")))?)
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
