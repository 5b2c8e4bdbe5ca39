//! An invoice: sent once (InvoiceAdd) with its lines, the mapped items and sales tax item;
//! never changed once there (a change or a void afterwards needs a person). Dated before
//! the invoice start date or void before it was sent: left out, with the reason.

use super::kind::{before_start, guid, qb_name, Hold, Kind, Planning, Prepared};
use super::sales::{self, Billing};
use crate::qbxml::{InvoiceAdd, ListRef};
use crate::store::outbox::OutboxEntry;
use crate::store::{invoices, StoreError};
use crate::sync::batch::PushPlan;
use crate::sync::problems::{self, code};
use crate::sync::session::Phase;
use crate::sync::status::capitalise;
use rusqlite::Transaction;

pub(super) const KIND: Kind = Kind {
    phase: Phase::Invoices,
    label,
    prepare,
};

/// The InvoiceRet elements an InvoiceAdd asks back (`IncludeRetElement`): exactly what
/// applying the answer reads (its ids, the invoice status mirror, the tax check). Without
/// them QuickBooks echoes every line, address and reference: about 2 kB per invoice
/// instead of about 300 bytes.
const INVOICE_ADD_RETURNS: &[&str] = &[
    "TxnID",
    "TimeModified",
    "EditSequence",
    "Subtotal",
    "SalesTaxTotal",
    "BalanceRemaining",
    "IsPaid",
];

fn label(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, StoreError> {
    Ok(invoices::get(tx, id)?.map(|i| invoice_label(&i.invoice)))
}

fn invoice_label(i: &invoices::Invoice) -> String {
    format!("invoice {} ({})", i.number, i.id)
}

fn prepare(tx: &Transaction<'_>, p: &Planning<'_>, entry: &OutboxEntry) -> Prepared {
    let record = &entry.record;
    let Some(stored) = p.ctx.take_invoice(tx, &record.id)? else {
        return Err(Hold::Wait);
    };
    let inv = &stored.invoice;
    let label = invoice_label(inv);
    if entry.qb_id.is_some() {
        let text = if inv.void {
            format!(
                "{} was voided in your field-service app after it reached QuickBooks.",
                capitalise(&label)
            )
        } else {
            format!("{} changed in your field-service app after it reached QuickBooks. FieldBridge does not change invoices already in QuickBooks.", capitalise(&label))
        };
        let advice = if inv.void {
            "Void it in QuickBooks too (open it and choose Edit > Void Invoice), then choose Skip here."
        } else {
            "Make the same change to the invoice in QuickBooks, then choose Skip here."
        };
        return Err(Hold::Park(problems::ours(
            code::CHANGED_AFTER_SYNC,
            text,
            advice,
        )));
    }
    if inv.void {
        return Err(Hold::Park(problems::ours(
            code::VOID,
            format!(
                "{} is void in your field-service app, so FieldBridge does not send it.",
                capitalise(&label)
            ),
            "Nothing to do.",
        )));
    }
    before_start(p.ctx, &label, inv.date)?;
    let parts = sales::sales_parts(
        tx,
        p,
        &label,
        Billing {
            customer_id: &inv.customer_id,
            project_id: inv.project_id.as_deref(),
        },
        &inv.lines,
    )?;
    let request = InvoiceAdd {
        request_id: String::new(),
        customer: ListRef::list_id(parts.customer),
        txn_date: Some(inv.date),
        ref_number: Some(qb_name(p.ctx, record, "number", &inv.number)),
        due_date: inv.due_date,
        item_sales_tax: parts.tax_item.map(ListRef::full_name),
        memo: inv.memo.clone(),
        customer_sales_tax_code: parts.customer_tax_code,
        external_guid: guid(&stored.guid),
        lines: parts.lines,
        include_ret: INVOICE_ADD_RETURNS,
        ..InvoiceAdd::default()
    };
    let mut plan = PushPlan::add(record, label);
    plan.expected_tax = inv.expected_tax;
    Ok((request.into(), plan))
}
