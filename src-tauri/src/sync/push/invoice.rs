//! An invoice: sent (InvoiceAdd) with its lines, the mapped items and sales tax item; once
//! in QuickBooks, changed (InvoiceMod, only the fields FieldBridge owns, lines matched to
//! QuickBooks' TxnLineIDs) or voided (TxnVoid) when the app changes or voids it. An invoice
//! with payments applied in QuickBooks is not changed in ways QuickBooks refuses: it waits
//! for a person, with what to do. Dated before the invoice start date or void before it was
//! sent: left out, with the reason.

use super::kind::{before_start, guid, qb_name, Hold, Kind, Planning, Prepared};
use super::owned;
use super::sales::{self, Billing};
use crate::money::Decimal;
use crate::qbxml::{InvoiceAdd, InvoiceMod, ListRef, SalesLine, TxnVoid, TxnVoidType};
use crate::store::outbox::OutboxEntry;
use crate::store::{edits, invoices, StoreError};
use crate::sync::batch::{PushPlan, Removal};
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
    // The lines' TxnLineIDs, so a later InvoiceMod changes QuickBooks' own lines.
    "InvoiceLineRet",
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
    if let Some(txn_id) = &entry.qb_id {
        return if inv.void {
            void(tx, entry, inv, txn_id, label)
        } else {
            modify(tx, p, entry, &stored, txn_id, label)
        };
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
    let mut plan = PushPlan::add(record, label).owning(owned::invoice_add_sent(&request));
    plan.expected_tax = inv.expected_tax;
    Ok((request.into(), plan))
}

/// The InvoiceRet elements an InvoiceMod asks back: as for an add.
const INVOICE_MOD_RETURNS: &[&str] = INVOICE_ADD_RETURNS;

/// The invoice's total as the app would send it: its lines (quantity × rate, to the cent)
/// and the tax it expects.
fn app_total(lines: &[SalesLine], expected_tax: Option<Decimal>) -> Decimal {
    let lines: Decimal = lines
        .iter()
        .map(|l| match (l.quantity, l.rate) {
            (Some(q), Some(r)) => crate::money::round_cents(q * r),
            _ => l.amount.unwrap_or_default(),
        })
        .sum();
    lines + expected_tax.unwrap_or_default()
}

/// A change to an invoice QuickBooks has: an InvoiceMod on the EditSequence FieldBridge
/// last saw, with the fields FieldBridge owns; lines only when they changed.
fn modify(
    tx: &rusqlite::Transaction<'_>,
    p: &Planning<'_>,
    entry: &OutboxEntry,
    stored: &invoices::StoredInvoice,
    txn_id: &str,
    label: String,
) -> Prepared {
    let record = &entry.record;
    let inv = &stored.invoice;
    let Some(edit_sequence) = entry.edit_sequence.clone() else {
        return Err(Hold::Wait);
    };
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
    // QuickBooks Desktop keeps an invoice's total at least what is paid on it: a change
    // below that is refused, so it waits for a person instead of failing in QuickBooks.
    if let Some(paid) = edits::paid_in_quickbooks(tx, &inv.id)?.filter(|p| *p > Decimal::ZERO) {
        let total = app_total(&parts.lines, inv.expected_tax);
        if total < paid {
            return Err(Hold::Park(problems::ours(
                code::PAID_INVOICE,
                format!(
                    "{} changed in your field-service app to a total of {}, but QuickBooks has {} of payments applied to it, and QuickBooks does not let an invoice total less than what was paid.",
                    capitalise(&label),
                    crate::money::format_amount(total),
                    crate::money::format_amount(paid)
                ),
                "Reverse or reduce the payment first (in your field-service app, or in QuickBooks), then choose Retry; or choose Skip to leave the invoice in QuickBooks as it is.",
            )));
        }
    }
    let base = edits::get(tx, record)?.base;
    let lines = owned::lines_to_send(&parts.lines, base.as_ref());
    let memo = owned::memo_to_send(inv.memo.as_ref(), base.as_ref());
    let request = InvoiceMod {
        request_id: String::new(),
        txn_id: txn_id.to_owned(),
        edit_sequence,
        customer: Some(ListRef::list_id(parts.customer)),
        txn_date: Some(inv.date),
        ref_number: Some(qb_name(p.ctx, record, "number", &inv.number)),
        due_date: inv.due_date,
        item_sales_tax: parts.tax_item.map(ListRef::full_name),
        memo,
        customer_sales_tax_code: parts.customer_tax_code,
        lines,
        include_ret: INVOICE_MOD_RETURNS,
    };
    let sent = owned::invoice_mod_sent(&request, &parts.lines);
    edits::note_sent(tx, record, &sent)?;
    let mut plan = PushPlan::modify(record, label).owning(sent);
    plan.expected_tax = inv.expected_tax;
    Ok((request.into(), plan))
}

/// An invoice voided in the app after it reached QuickBooks: voided there too (TxnVoid),
/// once no payment is applied to it (QuickBooks refuses to void a paid invoice).
fn void(
    tx: &rusqlite::Transaction<'_>,
    entry: &OutboxEntry,
    inv: &invoices::Invoice,
    txn_id: &str,
    label: String,
) -> Prepared {
    if edits::reversals_waiting(tx, &inv.id)? {
        // Its reversed payments are removed from QuickBooks first (payments go after
        // invoices in a session): the void follows once they are gone.
        return Err(Hold::Wait);
    }
    if let Some(paid) = edits::paid_in_quickbooks(tx, &inv.id)?.filter(|p| *p > Decimal::ZERO) {
        return Err(Hold::Park(problems::ours(
            code::PAID_INVOICE,
            format!(
                "{} was voided in your field-service app, but QuickBooks has {} of payments applied to it, and QuickBooks does not void an invoice with payments.",
                capitalise(&label),
                crate::money::format_amount(paid)
            ),
            "Mark its payments reversed in your field-service app (or delete them in QuickBooks), then choose Retry.",
        )));
    }
    let request = TxnVoid {
        request_id: String::new(),
        txn_void_type: TxnVoidType::Invoice,
        txn_id: txn_id.to_owned(),
    };
    Ok((
        request.into(),
        PushPlan::remove(&entry.record, label, Removal::Void),
    ))
}
