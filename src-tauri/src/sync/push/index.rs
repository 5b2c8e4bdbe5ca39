//! QuickBooks' customers and jobs as pairing sees them, indexed once per session when
//! pushing starts: the [`Matcher`] over active customers, and existing jobs by parent and
//! name; and the same [`Matcher`] over active vendors (vendors pair as customers do).

use crate::pairing::{Matcher, Party};
use crate::store::customers::Customer;
use crate::store::vendors::{self, Vendor};
use crate::store::{pairings, qb_mirror, StoreError};
use rusqlite::Transaction;
use std::collections::HashMap;

/// QuickBooks' customers and jobs, indexed for pairing during one session.
pub struct QbIndex {
    pub(super) matcher: Matcher,
    /// (parent ListID, normalised job name) → (ListID, EditSequence) of existing jobs.
    pub(super) jobs: HashMap<(String, String), (String, String)>,
    /// QuickBooks' active vendors (keys: ListIDs), linked ones claimed.
    pub(super) vendors: Matcher,
}

impl QbIndex {
    /// Reads QuickBooks' customers and jobs from the mirror (once, when pushing starts).
    pub fn build(tx: &Transaction<'_>) -> Result<Self, StoreError> {
        let all = qb_mirror::customers(tx)?;
        let mut parties = Vec::with_capacity(all.len());
        let mut jobs = HashMap::new();
        for c in all {
            if let Some(parent) = &c.parent_list_id {
                jobs.insert(
                    (parent.clone(), crate::pairing::normalize_name(&c.name)),
                    (c.list_id.clone(), c.edit_sequence.clone()),
                );
            }
            if !c.is_active {
                continue;
            }
            let address = if c.bill_address.line1.is_some() {
                &c.bill_address
            } else {
                &c.ship_address
            };
            parties.push(Party {
                key: c.list_id.clone(),
                name: c.name.clone(),
                company_name: c.company_name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                address_line1: address.line1.clone(),
                postal_code: address.postal_code.clone(),
            });
        }
        // A QuickBooks customer linked to one app customer is no candidate for another.
        let linked = pairings::linked_list_ids(tx)?;
        let vendor_parties: Vec<Party> = vendors::qb_vendors(tx)?
            .into_iter()
            .filter(|v| v.is_active)
            .map(|v| Party {
                key: v.list_id,
                name: v.name,
                company_name: v.company_name,
                email: v.email,
                phone: v.phone,
                address_line1: v.line1,
                postal_code: v.postal_code,
            })
            .collect();
        let linked_vendors = vendors::linked_list_ids(tx)?;
        Ok(Self {
            matcher: Matcher::new(parties).with_links(&linked),
            jobs,
            vendors: Matcher::new(vendor_parties).with_links(&linked_vendors),
        })
    }
}

/// The app vendor as pairing sees it.
pub fn vendor_party(v: &Vendor) -> Party {
    Party {
        key: v.id.clone(),
        name: v.name.clone(),
        company_name: v.company_name.clone(),
        email: v.email.clone(),
        phone: v.phone.clone(),
        address_line1: v.address.line1.clone(),
        postal_code: v.address.postal_code.clone(),
    }
}

/// The app customer as pairing sees it.
pub fn party_of(c: &Customer) -> Party {
    let address = if c.billing_address.line1.is_some() {
        &c.billing_address
    } else {
        &c.service_address
    };
    Party {
        key: c.id.clone(),
        name: c.name.clone(),
        company_name: c.company_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        address_line1: address.line1.clone(),
        postal_code: address.postal_code.clone(),
    }
}
