//! Invoices QuickBooks has for linked customers and jobs: ours (what QuickBooks now says their
//! total, due date and void are) and those a person created directly in QuickBooks (kept in
//! full, lines included, so the platform receives them).

use crate::qbxml::InvoiceRet;
use crate::store::qb_changes::{self, QbInvoice, QbInvoiceLine, SentInvoice};
use crate::store::{qb_mirror, StoreError};
use rusqlite::Transaction;
use std::collections::HashMap;

/// What QuickBooks Desktop writes at the start of a voided invoice's memo.
const VOID_MEMO_PREFIX: &str = "VOID:";

/// qbXML 13.0's InvoiceRet has no "voided" element. QuickBooks Desktop voids an invoice by
/// zeroing its lines (Subtotal and SalesTaxTotal read 0.00) and writing "VOID:" at the start
/// of its memo; FieldBridge reads both together as voided (either alone is an ordinary
/// invoice: a zero invoice, or a memo someone typed).
pub fn is_voided(inv: &InvoiceRet) -> bool {
    let zero = |d: Option<crate::money::Decimal>| d.is_none_or(|d| d.is_zero());
    inv.memo
        .as_deref()
        .is_some_and(|m| m.trim_start().starts_with(VOID_MEMO_PREFIX))
        && zero(inv.subtotal)
        && zero(inv.sales_tax_total)
}

/// One invoice of an invoice page. `ours`: the app invoice it is (by ExternalGUID or TxnID),
/// None when a person created it in QuickBooks; such an invoice is kept only when it bills a
/// customer or job linked to the app (FieldBridge follows nobody else's books).
pub fn read(tx: &Transaction<'_>, inv: &InvoiceRet, ours: Option<&str>) -> Result<(), StoreError> {
    let Some(customer_list_id) = inv.customer.as_ref().and_then(|c| c.list_id.clone()) else {
        return Ok(());
    };
    let record = |customer_id: String, project_id: Option<String>| QbInvoice {
        txn_id: inv.txn_id.clone(),
        invoice_id: ours.map(str::to_owned),
        customer_list_id: customer_list_id.clone(),
        customer_id,
        project_id,
        ref_number: inv.ref_number.clone(),
        txn_date: inv
            .txn_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        due_date: inv.due_date.map(|d| d.format("%Y-%m-%d").to_string()),
        memo: inv.memo.clone(),
        subtotal: inv.subtotal.unwrap_or_default(),
        sales_tax_total: inv.sales_tax_total.unwrap_or_default(),
        balance: inv.balance_remaining.unwrap_or_default(),
        is_paid: inv.is_paid.unwrap_or(false),
        voided: is_voided(inv),
        edit_sequence: Some(inv.edit_sequence.clone()),
        time_modified: inv.time_modified.map(|t| t.to_rfc3339()),
    };
    match ours {
        Some(id) => {
            let Some(sent) = qb_changes::sent_invoice(tx, id)? else {
                return Ok(());
            };
            let now = record(sent.customer_id.clone(), sent.project_id.clone());
            if sent.edit_sequence.as_deref() == Some(inv.edit_sequence.as_str()) {
                // The very version QuickBooks gave FieldBridge last (the answer to its own add
                // or modification, or the last read): no news, kept without an event.
                qb_changes::forget_invoice(tx, &inv.txn_id)?;
            } else if qb_changes::invoice(tx, &inv.txn_id)?.is_none() {
                // First read since FieldBridge added it: what it sent is the baseline, so a
                // change made in QuickBooks before this read is reported like any later one.
                qb_changes::upsert_invoice(tx, &as_sent(&now, &sent), &[])?;
            }
            qb_changes::upsert_invoice(tx, &now, &[])
        }
        None => {
            let Some(linked) = qb_changes::linked_to(tx, &customer_list_id)? else {
                return Ok(());
            };
            let taxable: HashMap<String, bool> =
                qb_mirror::sales_tax_codes(tx)?.into_iter().collect();
            let lines: Vec<QbInvoiceLine> = inv
                .lines
                .iter()
                .map(|l| QbInvoiceLine {
                    txn_line_id: l.txn_line_id.clone(),
                    item: l.item.as_ref().and_then(|i| i.full_name.clone()),
                    description: l.desc.clone(),
                    quantity: l.quantity,
                    rate: l.rate,
                    amount: l.amount.unwrap_or_default(),
                    taxable: l
                        .sales_tax_code
                        .as_ref()
                        .and_then(|c| c.full_name.as_ref())
                        .and_then(|name| taxable.get(name).copied()),
                })
                .collect();
            qb_changes::upsert_invoice(tx, &record(linked.customer_id, linked.project_id), &lines)
        }
    }
}

/// Our invoice as FieldBridge sent it: QuickBooks' totals from the add's answer and the app's
/// due date (QuickBooks' own when the app gave none: QuickBooks then chose it), not voided.
fn as_sent(now: &QbInvoice, sent: &SentInvoice) -> QbInvoice {
    QbInvoice {
        subtotal: sent.subtotal.unwrap_or(now.subtotal),
        sales_tax_total: sent.sales_tax_total.unwrap_or(now.sales_tax_total),
        due_date: sent.due_date.clone().or(now.due_date.clone()),
        voided: false,
        ..now.clone()
    }
}

/// An invoice deleted in QuickBooks (TxnDeletedQuery): forgotten here too. One created in
/// QuickBooks is reported deleted by the store's trigger; ours is flagged by the pull.
pub fn deleted(tx: &Transaction<'_>, txn_id: &str) -> Result<(), StoreError> {
    qb_changes::forget_invoice(tx, txn_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::parse_decimal;

    fn ret(memo: Option<&str>, subtotal: &str) -> InvoiceRet {
        InvoiceRet {
            memo: memo.map(str::to_owned),
            subtotal: Some(parse_decimal(subtotal).unwrap()),
            sales_tax_total: Some(parse_decimal("0.00").unwrap()),
            ..InvoiceRet::default()
        }
    }

    #[test]
    fn only_a_zeroed_invoice_whose_memo_says_void_is_voided() {
        assert!(is_voided(&ret(Some("VOID: Thanks"), "0.00")));
        assert!(is_voided(&ret(Some("VOID:"), "0.00")));
        assert!(
            !is_voided(&ret(Some("VOID: typed by someone"), "95.00")),
            "an invoice with money on it is not void, whatever its memo says"
        );
        assert!(
            !is_voided(&ret(None, "0.00")),
            "a zero invoice is an ordinary invoice"
        );
        assert!(!is_voided(&ret(Some("Avoid the dog"), "0.00")));
    }
}
