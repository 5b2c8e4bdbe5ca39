//! What the Sync page's buttons do to one record, named the command line's way
//! (`fieldbridge retry KIND ID`, `fieldbridge skip KIND ID`) and the whole-list refresh
//! (`fieldbridge refresh`). Each calls the very function behind the window's button.

use crate::office::{attention, customers, OfficeError};
use crate::store::{RecordKind, RecordRef, Store};

/// A record kind as the command line writes it: `customer`, `project`, `service-ticket`,
/// `invoice`, `payment` (`service_ticket`, as the JSON outputs spell it, is accepted too).
pub fn parse_kind(text: &str) -> Result<RecordKind, OfficeError> {
    let words = |k: RecordKind| k.as_str().replace('_', "-");
    RecordKind::ALL
        .into_iter()
        .find(|&k| words(k) == text.replace('_', "-"))
        .ok_or_else(|| {
            OfficeError::InvalidInput(format!(
                "\"{text}\" is not a kind of record; the kinds are: {}",
                RecordKind::ALL.map(words).join(", ")
            ))
        })
}

fn waiting(kind: &str, id: &str) -> Result<String, OfficeError> {
    Ok(attention::attention_id(&RecordRef::new(
        parse_kind(kind)?,
        id,
    )))
}

/// The window's Retry: a failed record goes back to pending; the next sync sends it again.
pub fn retry(store: &Store, kind: &str, id: &str) -> Result<(), OfficeError> {
    attention::retry(store, &waiting(kind, id)?)
}

/// The window's Skip: the record is not sent (until it changes in the app).
pub fn skip(store: &Store, kind: &str, id: &str) -> Result<(), OfficeError> {
    attention::skip(store, &waiting(kind, id)?)
}

/// A person's choice for a record changed both in QuickBooks and in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// QuickBooks' values stay; FieldBridge does not send its own (as Skip).
    KeepQuickBooks,
    /// FieldBridge's values go to QuickBooks at the next run, over QuickBooks' (as Retry).
    SendFieldBridge,
}

impl Resolution {
    /// `keep-quickbooks` or `send-fieldbridge`, as the command line writes them.
    pub fn parse(text: &str) -> Result<Self, OfficeError> {
        match text {
            "keep-quickbooks" => Ok(Resolution::KeepQuickBooks),
            "send-fieldbridge" => Ok(Resolution::SendFieldBridge),
            other => Err(OfficeError::InvalidInput(format!(
                "\"{other}\" is not a choice; the choices are: keep-quickbooks, send-fieldbridge"
            ))),
        }
    }
}

/// Settles a conflict (`fieldbridge resolve KIND ID CHOICE`): only a record waiting because
/// both QuickBooks and the app changed it; the choice is the window's Skip or Retry.
pub fn resolve(store: &Store, kind: &str, id: &str, choice: &str) -> Result<(), OfficeError> {
    let choice = Resolution::parse(choice)?;
    let record = RecordRef::new(parse_kind(kind)?, id);
    let entry = store.read(|c| crate::store::outbox::get(c, &record))?;
    let in_conflict = entry
        .as_ref()
        .and_then(|e| e.problem.as_ref())
        .and_then(|p| p.code.as_ref())
        .is_some_and(|c| *c == crate::store::codes::ProblemCode::EditConflict);
    if !in_conflict {
        return Err(OfficeError::Conflict(format!(
            "{kind} {id} has no change from both sides to settle; use retry or skip for other problems."
        )));
    }
    match choice {
        Resolution::KeepQuickBooks => skip(store, kind, id),
        Resolution::SendFieldBridge => retry(store, kind, id),
    }
}

/// The window's "Read QuickBooks again": the next run re-reads QuickBooks' lists in full.
pub fn refresh(store: &Store) -> Result<(), OfficeError> {
    customers::request_refresh(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_read_with_either_separator_and_unknown_ones_named() {
        assert_eq!(
            parse_kind("service-ticket").unwrap(),
            RecordKind::ServiceTicket
        );
        assert_eq!(
            parse_kind("service_ticket").unwrap(),
            RecordKind::ServiceTicket
        );
        assert_eq!(parse_kind("invoice").unwrap(), RecordKind::Invoice);
        let e = parse_kind("invoices").unwrap_err();
        assert!(e.is_usage(), "a usage error");
        assert!(
            e.to_string()
                .contains("customer, project, service-ticket, invoice, payment"),
            "{e}"
        );
    }

    #[test]
    fn a_record_not_waiting_cannot_be_retried() {
        let store = Store::open_in_memory().unwrap();
        let e = retry(&store, "invoice", "I-1").unwrap_err();
        assert_eq!(e.code(), "not_found", "{e}");
    }
}
