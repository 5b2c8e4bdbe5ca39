//! A project: a QuickBooks job under its customer. Linked to a job of the same name under
//! that customer, else created (CustomerAdd with ParentRef); once in QuickBooks, renamed or
//! archived (CustomerMod) as the settings say.

use super::kind::{existing_customer, guid, note_linked, qb_name, Hold, Kind, Planning, Prepared};
use super::owned;
use super::parents;
use super::sales;
use crate::qbxml::{CustomerAdd, CustomerFields, CustomerMod, ListRef};
use crate::store::outbox::{self, OutboxEntry};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{edits, projects, StoreError};
use crate::sync::batch::PushPlan;
use crate::sync::session::Phase;
use rusqlite::Transaction;

pub(super) const KIND: Kind = Kind {
    phase: Phase::Projects,
    label,
    prepare,
};

fn label(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, StoreError> {
    Ok(projects::get(tx, id)?.map(|p| project_label(&p.project)))
}

fn project_label(p: &projects::Project) -> String {
    format!("project \"{}\" ({})", p.name, p.id)
}

fn prepare(tx: &Transaction<'_>, p: &Planning<'_>, entry: &OutboxEntry) -> Prepared {
    let ctx = p.ctx;
    let record = &entry.record;
    let Some(stored) = projects::get(tx, &record.id)? else {
        return Err(Hold::Wait);
    };
    let project = &stored.project;
    let label = project_label(project);
    let parent = RecordRef::new(RecordKind::Customer, project.customer_id.clone());
    let parent_list_id = parents::ready(tx, ctx, &label, &parent)?;
    if let Some(list_id) = &entry.qb_id {
        let edit_sequence = existing_customer(tx, p, entry, list_id, project.active)?;
        let request = CustomerMod {
            request_id: String::new(),
            list_id: list_id.clone(),
            edit_sequence,
            name: if ctx.update_customers {
                Some(qb_name(ctx, record, "name", &project.name))
            } else {
                None
            },
            is_active: Some(project.active),
            fields: CustomerFields::default(),
        };
        let sent =
            owned::customer_sent(request.name.as_deref(), request.is_active, &request.fields);
        edits::note_sent(tx, record, &sent)?;
        return Ok((request.into(), PushPlan::modify(record, label).owning(sent)));
    }
    // A job of that name under that customer already exists: it is this project.
    if let Some((list_id, edit_sequence)) = p.index.job(tx, &parent_list_id, &project.name)? {
        outbox::adopt_existing(tx, record, &list_id, Some(&edit_sequence))?;
        note_linked(
            tx,
            p.s.id,
            record,
            &format!("Linked {label} to the QuickBooks job with the same name under its customer."),
        )?;
        return Err(Hold::Settled);
    }
    let request = CustomerAdd {
        request_id: String::new(),
        name: qb_name(ctx, record, "name", &project.name),
        is_active: Some(project.active),
        fields: CustomerFields {
            parent: Some(ListRef::list_id(parent_list_id)),
            // A job is taxed as its customer is.
            sales_tax_code: sales::customer_tax_code(
                ctx,
                ctx.taxable(tx, &project.customer_id)?,
                p.s.company.sales_tax,
            ),
            ..CustomerFields::default()
        },
        external_guid: guid(&stored.guid),
    };
    let sent = owned::customer_sent(
        Some(request.name.as_str()),
        request.is_active,
        &request.fields,
    );
    Ok((request.into(), PushPlan::add(record, label).owning(sent)))
}
