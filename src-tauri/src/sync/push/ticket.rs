//! A service ticket: sent as a QuickBooks estimate (EstimateAdd) when the settings and
//! QuickBooks' preferences allow; never changed once there.

use super::kind::{before_start, guid, qb_name, Hold, Kind, Planning, Prepared};
use super::sales::{self, Billing};
use crate::qbxml::{EstimateAdd, ListRef};
use crate::store::outbox::OutboxEntry;
use crate::store::{tickets, StoreError};
use crate::sync::batch::PushPlan;
use crate::sync::problems::{self, code};
use crate::sync::session::Phase;
use crate::sync::status::capitalise;
use rusqlite::Transaction;

pub(super) const KIND: Kind = Kind {
    phase: Phase::Tickets,
    label,
    prepare,
};

/// The EstimateRet elements an EstimateAdd asks back: its id and EditSequence.
const ESTIMATE_ADD_RETURNS: &[&str] = &["TxnID", "TimeModified", "EditSequence"];

fn label(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, StoreError> {
    Ok(tickets::get(tx, id)?.map(|t| ticket_label(&t.ticket)))
}

fn ticket_label(t: &tickets::ServiceTicket) -> String {
    format!("service ticket {} ({})", t.number, t.id)
}

fn prepare(tx: &Transaction<'_>, p: &Planning<'_>, entry: &OutboxEntry) -> Prepared {
    let record = &entry.record;
    let Some(stored) = p.ctx.take_ticket(tx, &record.id)? else {
        return Err(Hold::Wait);
    };
    let t = &stored.ticket;
    let label = ticket_label(t);
    if !p.ctx.estimates_setting {
        return Err(Hold::Park(problems::ours(
            code::ESTIMATES_OFF,
            format!("{} is not sent: sending service tickets as estimates is switched off in FieldBridge.", capitalise(&label)),
            "Nothing to do. To send tickets, switch on \"Send service tickets as estimates\" on the Items page.",
        )));
    }
    if !p.s.company.estimates {
        return Err(Hold::Park(problems::ours(
            code::ESTIMATES_OFF_IN_QUICKBOOKS,
            format!("{} cannot be sent: estimates are switched off in QuickBooks.", capitalise(&label)),
            "In QuickBooks choose Edit > Preferences > Jobs & Estimates > Company Preferences and answer Yes to \"Do you create estimates?\", or switch off sending tickets on FieldBridge's Items page.",
        )));
    }
    before_start(p.ctx, &label, t.date)?;
    if entry.qb_id.is_some() {
        return Err(Hold::Park(problems::ours(
            code::CHANGED_AFTER_SYNC,
            format!("{} changed in your field-service app after it reached QuickBooks as an estimate. FieldBridge does not change estimates already in QuickBooks.", capitalise(&label)),
            "Make the same change to the estimate in QuickBooks, then choose Skip here.",
        )));
    }
    let parts = sales::sales_parts(
        tx,
        p,
        &label,
        Billing {
            customer_id: &t.customer_id,
            project_id: t.project_id.as_deref(),
        },
        &t.lines,
    )?;
    let request = EstimateAdd {
        request_id: String::new(),
        customer: ListRef::list_id(parts.customer),
        txn_date: Some(t.date),
        ref_number: Some(qb_name(p.ctx, record, "number", &t.number)),
        item_sales_tax: parts.tax_item.map(ListRef::full_name),
        memo: t.description.clone(),
        customer_sales_tax_code: parts.customer_tax_code,
        external_guid: guid(&stored.guid),
        lines: parts.lines,
        include_ret: ESTIMATE_ADD_RETURNS,
        ..EstimateAdd::default()
    };
    Ok((request.into(), PushPlan::add(record, label)))
}
