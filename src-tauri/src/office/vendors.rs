//! Vendors for the office manager (the CLI's `fieldbridge vendors ...` and the Vendors tab of
//! the window's Customers page): each app vendor with where it stands and the QuickBooks
//! vendors pairing suggests, and the decisions (link to a QuickBooks vendor, create it,
//! unlink), which are the Customers page's, applied to vendors. Also QuickBooks' accounts as
//! read.
//!
//! Owns how a vendor's [`PairingState`] (the Customers page's five words) is derived from its
//! outbox row, its pairing and the matcher, deciding as the sync's vendor step does: an
//! exact name links itself at the next sync ("suggested"), a near match waits for a person
//! ("needs a decision"), and a name QuickBooks already has is never created. Does not own the
//! matching rules (`pairing/`) nor the pairing SQL (`store::vendors`).

use super::customers::PairingState;
use super::OfficeError;
use crate::pairing::{Decision, Matcher, Party};
use crate::store::accounts::{self, QbAccount};
use crate::store::codes::PairingHow;
use crate::store::outbox::{self, OutboxEntry};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::standing::Standing;
use crate::store::vendors;
use crate::store::Store;
use serde::Serialize;

/// A QuickBooks vendor a person may link an app vendor to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct VendorSuggestion {
    pub list_id: String,
    pub name: String,
    /// 0..=100, higher is likelier.
    pub score: u8,
}

/// One app vendor and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct VendorRow {
    pub id: String,
    pub name: String,
    /// pending, synced, failed or needs_attention (the outbox's word, as `status` says it).
    #[cfg_attr(
        test,
        ts(type = "\"pending\" | \"synced\" | \"failed\" | \"needs_attention\"")
    )]
    pub state: &'static str,
    /// Where it stands with QuickBooks in the Customers page's words (linked, suggested,
    /// needs a decision, will be created, failed).
    pub pairing_state: PairingState,
    /// The QuickBooks vendor it is linked to, when it is.
    pub qb_list_id: Option<String>,
    pub qb_name: Option<String>,
    /// auto, manual, create or created.
    #[cfg_attr(
        test,
        ts(type = "\"auto\" | \"manual\" | \"create\" | \"created\" | null")
    )]
    pub how: Option<&'static str>,
    /// Why it waits, in plain English.
    pub problem: Option<String>,
    /// QuickBooks vendors it may be, likeliest first (only while not linked).
    pub suggestions: Vec<VendorSuggestion>,
}

/// Every app vendor with its state, link and suggestions.
pub fn list(store: &Store) -> Result<Vec<VendorRow>, OfficeError> {
    Ok(store.read(|conn| {
        let qb = vendors::qb_vendors(conn)?;
        let linked = vendors::linked_list_ids(conn)?;
        let matcher = Matcher::new(
            qb.iter()
                .filter(|v| v.is_active)
                .map(|v| Party {
                    key: v.list_id.clone(),
                    name: v.name.clone(),
                    company_name: v.company_name.clone(),
                    email: v.email.clone(),
                    phone: v.phone.clone(),
                    address_line1: v.line1.clone(),
                    postal_code: v.postal_code.clone(),
                })
                .collect(),
        )
        .with_links(&linked);
        let mut rows = Vec::new();
        for stored in vendors::list(conn)? {
            let v = stored.vendor;
            let entry = outbox::get(conn, &RecordRef::new(RecordKind::Vendor, v.id.as_str()))?;
            let pairing = vendors::pairing(conn, &v.id)?;
            let how = pairing.as_ref().map(|p| p.how);
            let qb_list_id = entry.as_ref().and_then(|e| e.qb_id.clone());
            let qb_name = qb_list_id
                .as_ref()
                .and_then(|id| qb.iter().find(|q| &q.list_id == id))
                .map(|q| q.name.clone());
            let party = Party {
                key: v.id.clone(),
                name: v.name.clone(),
                company_name: v.company_name.clone(),
                email: v.email.clone(),
                phone: v.phone.clone(),
                address_line1: v.address.line1.clone(),
                postal_code: v.address.postal_code.clone(),
            };
            // As the sync's vendor step decides: only a vendor with no decision yet is
            // matched (and an exact match claims its QuickBooks vendor, as the sync's does).
            let decision = (qb_list_id.is_none() && how.is_none()).then(|| matcher.decide(&party));
            let mut suggestions: Vec<VendorSuggestion> = if qb_list_id.is_none() {
                matcher
                    .candidates(&party)
                    .into_iter()
                    .map(|c| VendorSuggestion {
                        name: matcher
                            .party(&c.list_id)
                            .map(|p| p.name.clone())
                            .unwrap_or_default(),
                        list_id: c.list_id,
                        score: c.score,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            if let Some(Decision::Link(list_id)) = &decision {
                // The one the sync would link goes first (Accept takes the first).
                suggestions.sort_by_key(|s| &s.list_id != list_id);
            }
            let name_taken = qb_list_id.is_none() && vendors::name_in_quickbooks(conn, &v.name)?;
            let (pairing_state, problem) = state_of(
                entry.as_ref(),
                decision.as_ref(),
                suggestions.first(),
                name_taken,
            );
            let state = match entry.as_ref().map(|e| e.state) {
                Some(outbox::SyncState::Synced) => "synced",
                Some(outbox::SyncState::Failed) => "failed",
                Some(outbox::SyncState::NeedsAttention) => "needs_attention",
                _ => "pending",
            };
            rows.push(VendorRow {
                id: v.id,
                name: v.name,
                state,
                pairing_state,
                qb_list_id,
                qb_name,
                how: how.map(PairingHow::as_str),
                problem,
                suggestions,
            });
        }
        Ok::<_, crate::store::StoreError>(rows)
    })?)
}

/// A vendor's pairing state, and the plain-English problem when a person has something to do.
fn state_of(
    entry: Option<&OutboxEntry>,
    decision: Option<&Decision>,
    best: Option<&VendorSuggestion>,
    name_taken: bool,
) -> (PairingState, Option<String>) {
    let standing =
        entry.map(|e| Standing::of(e.state, e.problem.as_ref().and_then(|p| p.code.as_ref())));
    let stored_problem = || {
        entry
            .and_then(|e| e.problem.as_ref())
            .map(|p| p.text.clone())
    };
    if entry.is_some_and(|e| e.qb_id.is_some()) {
        let waits = standing.is_some_and(Standing::needs_person);
        return (PairingState::Linked, waits.then(stored_problem).flatten());
    }
    // Where the last sync left it is the store's one decision (the Sync page reads it too).
    match standing {
        Some(Standing::NeedsDecision) => return (PairingState::NeedsDecision, stored_problem()),
        Some(Standing::Failed | Standing::NeedsAttention | Standing::WaitingOnParent) => {
            return (PairingState::Failed, stored_problem())
        }
        _ => {}
    }
    match decision {
        Some(Decision::Link(_)) => (PairingState::Suggested, None),
        Some(Decision::Suggest(_)) => (
            PairingState::NeedsDecision,
            Some(match best {
                Some(s) => format!(
                    "May already be in QuickBooks as \"{}\". FieldBridge will not create it until you link it or choose Create in QuickBooks.",
                    s.name
                ),
                None => "May already be in QuickBooks. FieldBridge will not create it until you link it or choose Create in QuickBooks.".to_owned(),
            }),
        ),
        // QuickBooks keeps one list of names for vendors and customers: never a second one,
        // even when a person chose Create (the sync would refuse it).
        _ if name_taken => (
            PairingState::NeedsDecision,
            Some("QuickBooks already has this name (a vendor or a customer), so FieldBridge will not create a second one: link it to the QuickBooks vendor, or rename it in your field-service app.".to_owned()),
        ),
        // Nothing like it in QuickBooks, or a person chose Create.
        _ => (PairingState::WillCreate, None),
    }
}

/// Links an app vendor to a QuickBooks vendor (a person's choice).
pub fn link(store: &Store, vendor_id: &str, list_id: &str) -> Result<(), OfficeError> {
    Ok(store.write(|tx| vendors::link(tx, vendor_id, list_id, PairingHow::Manual))?)
}

/// Creates the vendor in QuickBooks at the next sync (a person's choice).
pub fn create(store: &Store, vendor_id: &str) -> Result<(), OfficeError> {
    Ok(store.write(|tx| vendors::mark_create(tx, vendor_id))?)
}

/// Removes the vendor's link; it is matched or created again at the next sync.
pub fn unpair(store: &Store, vendor_id: &str) -> Result<(), OfficeError> {
    Ok(store.write(|tx| vendors::unpair(tx, vendor_id))?)
}

/// QuickBooks' accounts as last read (active first, by full name).
pub fn accounts(store: &Store) -> Result<Vec<QbAccount>, OfficeError> {
    Ok(store.read(accounts::all)?)
}
