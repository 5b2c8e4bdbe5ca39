//! A customer: linked to the QuickBooks customer pairing finds, created (CustomerAdd) when
//! QuickBooks has none and the settings allow, parked when pairing is unsure; once in
//! QuickBooks, updated or archived (CustomerMod) as the settings say.

use super::index::party_of;
use super::kind::{existing_customer, guid, note_linked, qb_name, Hold, Kind, Planning, Prepared};
use super::owned;
use super::sales;
use crate::pairing::{Decision, QbLookup, Reason};
use crate::qbxml::{Address, CustomerAdd, CustomerFields, CustomerMod};
use crate::store::customers::{self, Address as StoreAddress, Customer};
use crate::store::outbox::OutboxEntry;
use crate::store::{edits, pairings, StoreError};
use crate::sync::batch::PushPlan;
use crate::sync::problems::{self, code};
use crate::sync::session::Phase;
use crate::sync::status::capitalise;
use rusqlite::Transaction;

pub(super) const KIND: Kind = Kind {
    phase: Phase::Customers,
    label,
    prepare,
};

fn label(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, StoreError> {
    Ok(customers::get(tx, id)?.map(|c| customer_label(&c.customer)))
}

fn customer_label(c: &Customer) -> String {
    format!("customer \"{}\" ({})", c.name, c.id)
}

fn qb_address(a: &StoreAddress) -> Option<Address> {
    let any = a.line1.is_some()
        || a.line2.is_some()
        || a.city.is_some()
        || a.state.is_some()
        || a.postal_code.is_some();
    any.then(|| Address {
        addr1: a.line1.clone(),
        addr2: a.line2.clone(),
        city: a.city.clone(),
        state: a.state.clone(),
        postal_code: a.postal_code.clone(),
        country: a.country.clone(),
        ..Address::default()
    })
}

/// What FieldBridge owns of a QuickBooks customer, with its sales tax code (`Tax`/`Non`
/// from `taxable`) when QuickBooks' sales tax is on.
fn customer_fields(p: &Planning<'_>, c: &Customer) -> CustomerFields {
    CustomerFields {
        sales_tax_code: sales::customer_tax_code(p.ctx, c.taxable, p.s.company.sales_tax),
        company_name: c.company_name.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        bill_address: qb_address(&c.billing_address),
        ship_address: qb_address(&c.service_address),
        phone: c.phone.clone(),
        email: c.email.clone(),
        ..CustomerFields::default()
    }
}

fn prepare(tx: &Transaction<'_>, p: &Planning<'_>, entry: &OutboxEntry) -> Prepared {
    let ctx = p.ctx;
    let record = &entry.record;
    let Some(stored) = customers::get(tx, &record.id)? else {
        return Err(Hold::Wait);
    };
    let c = &stored.customer;
    let label = customer_label(c);

    // QuickBooks has it: an update, if the settings allow, or archiving.
    if let Some(list_id) = &entry.qb_id {
        let edit_sequence = existing_customer(tx, p, entry, list_id, c.active)?;
        let request = if ctx.update_customers {
            CustomerMod {
                request_id: String::new(),
                list_id: list_id.clone(),
                edit_sequence,
                name: Some(qb_name(ctx, record, "name", &c.name)),
                is_active: Some(c.active),
                fields: customer_fields(p, c),
            }
        } else {
            CustomerMod {
                request_id: String::new(),
                list_id: list_id.clone(),
                edit_sequence,
                name: None,
                is_active: Some(false),
                fields: CustomerFields::default(),
            }
        };
        let sent =
            owned::customer_sent(request.name.as_deref(), request.is_active, &request.fields);
        edits::note_sent(tx, record, &sent)?;
        return Ok((request.into(), PushPlan::modify(record, label).owning(sent)));
    }

    let matcher = p.index.matcher(tx);
    match pairings::get(tx, &c.id)? {
        Some(pairing) if pairing.how == pairings::PairingHow::Create => {}
        Some(pairing) => {
            if let Some(list_id) = pairing.list_id {
                // A link whose outbox side was lost (e.g. the customer was re-imported):
                // restore it.
                pairings::link(tx, &c.id, &list_id, pairing.how)?;
                return Err(Hold::Settled);
            }
        }
        None => match matcher.decide(&party_of(c))? {
            Decision::Link(list_id) => {
                pairings::link(tx, &c.id, &list_id, pairings::PairingHow::Auto)?;
                note_linked(
                    tx,
                    p.s.id,
                    record,
                    &format!("Linked {label} to the QuickBooks customer with the same name."),
                )?;
                return Err(Hold::Settled);
            }
            Decision::Suggest(candidates) => {
                let best = &candidates[0];
                let shown = matcher
                    .party_of_list_id(&best.list_id)?
                    .map(|p| p.name)
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
                    "Open Customers and link it to the right QuickBooks customer, or choose Create in QuickBooks.",
                )));
            }
            Decision::NoCandidate => {
                if !ctx.auto_create {
                    return Err(Hold::Park(problems::ours(
                        code::ASK_FIRST,
                        format!(
                            "{} is not in QuickBooks yet, and FieldBridge is set to ask before creating customers.",
                            capitalise(&label)
                        ),
                        "Open Customers and choose Create in QuickBooks, or link it to an existing customer.",
                    )));
                }
            }
        },
    }
    // Never create a customer whose name QuickBooks already has.
    let name = qb_name(ctx, record, "name", &c.name);
    if matcher.name_taken(&name)? {
        return Err(Hold::Park(problems::ours(
            code::NAME_IN_USE,
            format!(
                "QuickBooks already has a customer named \"{name}\", so FieldBridge did not create a second one for {label}.",
            ),
            "Open Customers and link it to that QuickBooks customer, or rename it in your field-service app.",
        )));
    }
    let request = CustomerAdd {
        request_id: String::new(),
        name,
        is_active: Some(c.active),
        fields: customer_fields(p, c),
        external_guid: guid(&stored.guid),
    };
    let sent = owned::customer_sent(
        Some(request.name.as_str()),
        request.is_active,
        &request.fields,
    );
    Ok((request.into(), PushPlan::add(record, label).owning(sent)))
}
