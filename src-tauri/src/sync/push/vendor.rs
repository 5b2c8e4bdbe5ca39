//! A vendor: linked to the QuickBooks vendor pairing finds (an exact name links itself), left
//! for a person when pairing is unsure, created (VendorAdd) when QuickBooks has none, never
//! under a name QuickBooks already has (vendors share one name space with customers). Changes
//! after it reached QuickBooks are not sent: FieldBridge keeps QuickBooks' vendor as it is.

use super::index::vendor_party;
use super::kind::{guid, note_linked, qb_name, Hold, Kind, Planning, Prepared};
use crate::pairing::{Decision, Reason};
use crate::qbxml::{Address, VendorAdd};
use crate::store::codes::PairingHow;
use crate::store::outbox::{self, OutboxEntry};
use crate::store::vendors::{self, Vendor};
use crate::store::StoreError;
use crate::sync::batch::PushPlan;
use crate::sync::problems::{self, code};
use crate::sync::session::Phase;
use crate::sync::status::capitalise;
use rusqlite::Transaction;

pub(super) const KIND: Kind = Kind {
    phase: Phase::Vendors,
    label,
    prepare,
};

fn label(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, StoreError> {
    Ok(vendors::get(tx, id)?.map(|v| vendor_label(&v.vendor)))
}

fn vendor_label(v: &Vendor) -> String {
    format!("vendor \"{}\" ({})", v.name, v.id)
}

fn prepare(tx: &Transaction<'_>, p: &Planning<'_>, entry: &OutboxEntry) -> Prepared {
    let record = &entry.record;
    let Some(stored) = vendors::get(tx, &record.id)? else {
        return Err(Hold::Wait);
    };
    let v = &stored.vendor;
    let label = vendor_label(v);
    if entry.qb_id.is_some() {
        // QuickBooks has it: the vendor's details there are the office's to keep.
        outbox::settle_without_sending(tx, record)?;
        return Err(Hold::Settled);
    }
    let matcher = &p.index.vendors;
    match vendors::pairing(tx, &v.id)? {
        Some(pairing) if pairing.how == PairingHow::Create => {}
        Some(pairing) => {
            if let Some(list_id) = pairing.list_id {
                vendors::link(tx, &v.id, &list_id, pairing.how)?;
                return Err(Hold::Settled);
            }
        }
        None => match matcher.decide(&vendor_party(v)) {
            Decision::Link(list_id) => {
                vendors::link(tx, &v.id, &list_id, PairingHow::Auto)?;
                note_linked(
                    tx,
                    p.s.id,
                    record,
                    &format!("Linked {label} to the QuickBooks vendor with the same name."),
                )?;
                return Err(Hold::Settled);
            }
            Decision::Suggest(candidates) => {
                let best = &candidates[0];
                let shown = matcher
                    .party(&best.list_id)
                    .map(|q| q.name.clone())
                    .unwrap_or_else(|| best.list_id.clone());
                let why: Vec<&str> = best
                    .reasons
                    .iter()
                    .map(|r| match r {
                        Reason::SameName => "the same name",
                        Reason::SimilarName => "a similar name",
                        Reason::SameAddress => "the same address",
                        Reason::SamePhone => "the same phone number",
                        Reason::SameEmail => "the same e-mail address",
                    })
                    .collect();
                return Err(Hold::Park(problems::ours(
                    code::NEEDS_PAIRING,
                    format!(
                        "{} may already be in QuickBooks as \"{shown}\" ({}), but FieldBridge is not sure.",
                        capitalise(&label),
                        why.join(", ")
                    ),
                    "Link it to the right QuickBooks vendor (fieldbridge vendors link), or create it (fieldbridge vendors create).",
                )));
            }
            Decision::NoCandidate => {}
        },
    }
    // Never create a vendor under a name QuickBooks already has: vendors, customers, employees
    // and other names share one list of names in QuickBooks (a VendorAdd would fail with
    // 3100 "name in use").
    let name = qb_name(p.ctx, record, "name", &v.name);
    if matcher.name_taken(&name)
        || crate::pairing::QbLookup::name_taken(&p.index.matcher(tx), &name)?
        || vendors::name_in_quickbooks(tx, &name)?
    {
        return Err(Hold::Park(problems::ours(
            code::NAME_IN_USE,
            format!(
                "QuickBooks already has a name \"{name}\" (a vendor or a customer), so FieldBridge did not create a second one for {label}.",
            ),
            "Link it to that QuickBooks vendor (fieldbridge vendors link), or rename the vendor in your field-service app.",
        )));
    }
    let a = &v.address;
    let any_address = a.line1.is_some() || a.city.is_some() || a.postal_code.is_some();
    let request = VendorAdd {
        request_id: String::new(),
        name,
        is_active: Some(v.active),
        company_name: v.company_name.clone(),
        address: any_address.then(|| Address {
            addr1: a.line1.clone(),
            addr2: a.line2.clone(),
            city: a.city.clone(),
            state: a.state.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
            ..Address::default()
        }),
        phone: v.phone.clone(),
        email: v.email.clone(),
        external_guid: guid(&stored.guid),
    };
    Ok((request.into(), PushPlan::add(record, label)))
}
