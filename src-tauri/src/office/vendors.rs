//! Vendors for the office manager (the CLI's `fieldbridge vendors ...`; the window's Vendors
//! view is not built yet): each app vendor with where it stands and the QuickBooks vendors
//! pairing suggests, and the decisions (link to a QuickBooks vendor, create it, unlink),
//! which are the Customers page's, applied to vendors. Also QuickBooks' accounts as read.

use super::OfficeError;
use crate::pairing::{Matcher, Party};
use crate::store::accounts::{self, QbAccount};
use crate::store::codes::PairingHow;
use crate::store::outbox;
use crate::store::records::{RecordKind, RecordRef};
use crate::store::vendors;
use crate::store::Store;
use serde::Serialize;

/// A QuickBooks vendor a person may link an app vendor to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorSuggestion {
    pub list_id: String,
    pub name: String,
    /// 0..=100, higher is likelier.
    pub score: u8,
}

/// One app vendor and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorRow {
    pub id: String,
    pub name: String,
    /// pending, synced, failed or needs_attention.
    pub state: &'static str,
    /// The QuickBooks vendor it is linked to, when it is.
    pub qb_list_id: Option<String>,
    pub qb_name: Option<String>,
    /// auto, manual, create or created.
    pub how: Option<&'static str>,
    /// Why it waits, in plain English.
    pub problem: Option<String>,
    /// QuickBooks vendors it may be (only while not linked).
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
            let qb_list_id = entry.as_ref().and_then(|e| e.qb_id.clone());
            let qb_name = qb_list_id
                .as_ref()
                .and_then(|id| qb.iter().find(|q| &q.list_id == id))
                .map(|q| q.name.clone());
            let suggestions = if qb_list_id.is_none() {
                let party = Party {
                    key: v.id.clone(),
                    name: v.name.clone(),
                    company_name: v.company_name.clone(),
                    email: v.email.clone(),
                    phone: v.phone.clone(),
                    address_line1: v.address.line1.clone(),
                    postal_code: v.address.postal_code.clone(),
                };
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
                qb_list_id,
                qb_name,
                how: pairing.map(|p| p.how.as_str()),
                problem: entry.and_then(|e| e.problem).map(|p| p.text),
                suggestions,
            });
        }
        Ok::<_, crate::store::StoreError>(rows)
    })?)
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
