//! A service ticket: sent as a QuickBooks estimate (EstimateAdd) when the settings and
//! QuickBooks' preferences allow; once there, changed (EstimateMod, owned fields only, lines
//! matched to QuickBooks' TxnLineIDs) when the app changes it, and closed (EstimateMod
//! `IsActive` false) once an invoice made from it is in QuickBooks.
//!
//! Why closing, not linking: qbXML's InvoiceAdd `LinkToTxnID` brings the linked estimate's
//! lines into the invoice (Intuit's SDK notes; qbsim models it so). FieldBridge's invoice
//! carries its own lines (the work actually done, which may differ from the estimate), so a
//! linked invoice would hold them twice. Closing the estimate ("Mark as closed" in
//! QuickBooks) leaves it no longer open and the invoice with exactly its own lines.

use super::kind::{before_start, guid, qb_name, Hold, Kind, Planning, Prepared};
use super::owned;
use super::sales::{self, Billing};
use crate::qbxml::{EstimateAdd, EstimateMod, ListRef};
use crate::store::outbox::OutboxEntry;
use crate::store::{edits, tickets, StoreError};
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

/// The EstimateRet elements an EstimateAdd or EstimateMod asks back: its id, EditSequence
/// and its lines' TxnLineIDs (for the next mod).
const ESTIMATE_RETURNS: &[&str] = &["TxnID", "TimeModified", "EditSequence", "EstimateLineRet"];

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
    if let Some(txn_id) = &entry.qb_id {
        let Some(edit_sequence) = entry.edit_sequence.clone() else {
            return Err(Hold::Wait);
        };
        let base = edits::get(tx, record)?.base;
        let lines = owned::lines_to_send(&parts.lines, base.as_ref());
        let memo = owned::memo_to_send(t.description.as_ref(), base.as_ref());
        let request = EstimateMod {
            request_id: String::new(),
            txn_id: txn_id.clone(),
            edit_sequence,
            customer: Some(ListRef::list_id(parts.customer)),
            txn_date: Some(t.date),
            ref_number: Some(qb_name(p.ctx, record, "number", &t.number)),
            // Open until an invoice made from the ticket is in QuickBooks (see the module).
            is_active: Some(!edits::ticket_invoiced(tx, &t.id)?),
            due_date: None,
            item_sales_tax: parts.tax_item.map(ListRef::full_name),
            memo,
            customer_sales_tax_code: parts.customer_tax_code,
            lines,
            include_ret: ESTIMATE_RETURNS,
        };
        let sent = owned::estimate_mod_sent(&request, &parts.lines);
        edits::note_sent(tx, record, &sent)?;
        return Ok((request.into(), PushPlan::modify(record, label).owning(sent)));
    }
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
        include_ret: ESTIMATE_RETURNS,
        ..EstimateAdd::default()
    };
    let sent = owned::estimate_add_sent(&request);
    Ok((request.into(), PushPlan::add(record, label).owning(sent)))
}
