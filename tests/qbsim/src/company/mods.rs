//! Changing transactions QuickBooks already has: InvoiceMod, EstimateMod, ReceivePaymentMod
//! and TxnVoid; and the test API that plays a person editing them in QuickBooks.
//!
//! Owns: the EditSequence rule for transactions (a mod must carry the one QuickBooks last
//! returned, else 3200, and every change gives a new one), line matching by TxnLineID
//! (a listed line is changed, `-1` adds one, an unlisted one is deleted), closing an
//! estimate (`IsActive` false), voiding an invoice, and what QuickBooks refuses on an
//! invoice with payments applied.
//!
//! Modelled refusals (statuses as QuickBooks words them for the same causes): a mod that
//! would leave an invoice's total below the payments applied to it, and voiding an invoice
//! with payments applied, are 3210 "invalid field value" with QuickBooks' reason; a mod of
//! a voided invoice is 3170 "could not be modified".
//!
//! Not modelled: line groups, changing the customer of a transaction with payments applied,
//! un-voiding.

use rust_decimal::Decimal;

use super::model::*;
use super::txns::{build_line, sales_ret, totals};
use super::{date_of, decimal_of, malformed, ref_parts, Answer, Company, Handled};
use crate::clock::format_datetime;
use crate::status::{Severity, Status};
use crate::xml::Element;

/// The memo prefix QuickBooks Desktop writes on a voided transaction.
const VOID_MEMO_PREFIX: &str = "VOID:";

fn is_void(s: &SalesTxn) -> bool {
    s.memo
        .as_deref()
        .is_some_and(|m| m.starts_with(VOID_MEMO_PREFIX))
}

fn refused(field: &str, value: &str, why: &str) -> Status {
    Status::invalid_field(field, value, why)
}

fn cannot_modify(object: &str, label: &str, why: &str) -> Status {
    Status {
        code: 3170,
        severity: Severity::Error,
        message: format!("There was an error when modifying a {object} \"{label}\".  QuickBooks error message: {why}"),
    }
}

fn replace_extra(extra: &mut Vec<Element>, element: Element) {
    extra.retain(|e| e.name != element.name);
    extra.push(element);
}

/// InvoiceMod / EstimateMod.
pub(crate) fn sales_mod(c: &mut Company, rq: &Element, kind: SalesKind) -> Handled {
    let object = kind.object_name();
    let body = rq
        .first(&format!("{object}Mod"))
        .ok_or_else(|| malformed(rq, &format!("<{object}Mod>")))?;
    let txn_id = body
        .text_of("TxnID")
        .ok_or_else(|| malformed(rq, "<TxnID>"))?
        .trim()
        .to_string();
    let given_es = body
        .text_of("EditSequence")
        .ok_or_else(|| malformed(rq, "<EditSequence>"))?
        .trim()
        .to_string();
    let Some(index) = c
        .sales
        .iter()
        .position(|s| s.core.txn_id == txn_id && s.kind == kind)
    else {
        return Ok(Answer::status(Status::object_not_found(&txn_id)));
    };
    // qbXML: a Mod must carry the EditSequence QuickBooks last returned; otherwise 3200.
    if c.sales[index].core.edit_sequence.to_string() != given_es {
        return Ok(Answer::status(Status::stale_edit_sequence(&given_es)));
    }
    let label = c.sales[index]
        .ref_number
        .clone()
        .unwrap_or_else(|| txn_id.clone());
    if is_void(&c.sales[index]) {
        return Ok(Answer::status(cannot_modify(
            object,
            &label,
            "A voided transaction cannot be changed.",
        )));
    }
    for unsupported in ["InvoiceLineGroupMod", "EstimateLineGroupMod", "SetCredit"] {
        if body.first(unsupported).is_some() {
            return Ok(Answer::status(Status::unsupported(unsupported)));
        }
    }
    let mut next = c.sales[index].clone();
    if let Some(r) = body.first("CustomerRef") {
        match c.resolve_customer(r) {
            Some(id) => next.customer = id,
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "Customer",
                    &ref_parts(r).2,
                    object,
                )))
            }
        }
    }
    if let Some(d) = date_of(rq, body, "TxnDate")? {
        next.txn_date = d;
    }
    if let Some(r) = body.text_of("RefNumber") {
        c.note_ref_number(object, r);
        next.ref_number = Some(r.to_string()).filter(|r| !r.is_empty());
    }
    for echoed in ["DueDate", "IsActive", "PONumber"] {
        if let Some(e) = body.first(echoed) {
            replace_extra(&mut next.extra, e.clone());
        }
    }
    if let Some(r) = body.first("ItemSalesTaxRef") {
        match c.resolve_item(r).filter(|id| c.item_tax_rate(id).is_some()) {
            Some(id) => next.item_sales_tax = Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "ItemSalesTax",
                    &ref_parts(r).2,
                    object,
                )))
            }
        }
    }
    if let Some(m) = body.text_of("Memo") {
        next.memo = Some(m.to_string()).filter(|m| !m.is_empty());
    }
    if let Some(r) = body.first("CustomerSalesTaxCodeRef") {
        match c.resolve_tax_code(r) {
            Some(id) => next.customer_sales_tax_code = Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "SalesTaxCode",
                    &ref_parts(r).2,
                    object,
                )))
            }
        }
    }
    let line_name = format!("{object}LineMod");
    let line_mods: Vec<&Element> = body.all(&line_name).collect();
    if !line_mods.is_empty() {
        // qbXML: listed lines are kept (changed), -1 adds one, and every line not listed is
        // deleted.
        let mut lines = Vec::with_capacity(line_mods.len());
        for m in line_mods {
            let id = m
                .text_of("TxnLineID")
                .ok_or_else(|| malformed(rq, "<TxnLineID>"))?
                .trim()
                .to_string();
            let mut line = match build_line(c, rq, m, object)? {
                Ok(l) => l,
                Err(status) => return Ok(Answer::status(status)),
            };
            if id == "-1" {
                line.txn_line_id = c.new_txn_id();
            } else if next.lines.iter().any(|l| l.txn_line_id == id) {
                line.txn_line_id = id;
            } else {
                return Ok(Answer::status(Status::object_not_found(&id)));
            }
            lines.push(line);
        }
        next.lines = lines;
    }
    let (subtotal, tax_percent, tax_total) = match totals(
        c,
        &next.lines,
        next.item_sales_tax.as_ref(),
        next.customer_sales_tax_code.as_ref(),
    ) {
        Ok(t) => t,
        Err(status) => return Ok(Answer::status(status)),
    };
    next.subtotal = subtotal;
    next.tax_percent = tax_percent;
    next.tax_total = tax_total;
    if kind == SalesKind::Invoice && next.applied > Decimal::ZERO {
        if next.customer != c.sales[index].customer {
            return Ok(Answer::status(refused(
                "CustomerRef",
                &ref_parts(body.first("CustomerRef").unwrap_or(body)).2,
                "The customer of an invoice with payments applied cannot be changed.",
            )));
        }
        if next.total() < next.applied {
            return Ok(Answer::status(refused(
                "Amount",
                &format_amount(next.total()),
                "The invoice total cannot be less than the payments applied to it.",
            )));
        }
    }
    let now = c.now();
    next.core.modified = now;
    next.core.edit_sequence = edit_sequence_after(now, next.core.edit_sequence);
    c.sales[index] = next;
    Ok(Answer::ok(super::query::restrict(
        sales_ret(c, &txn_id, true, false),
        rq,
    )))
}

/// ReceivePaymentMod: date, reference, amount, method, memo, and (when listed) where it is
/// applied (the listed applications replace the old ones).
pub(crate) fn payment_mod(c: &mut Company, rq: &Element) -> Handled {
    let body = rq
        .first("ReceivePaymentMod")
        .ok_or_else(|| malformed(rq, "<ReceivePaymentMod>"))?;
    let txn_id = body
        .text_of("TxnID")
        .ok_or_else(|| malformed(rq, "<TxnID>"))?
        .trim()
        .to_string();
    let given_es = body
        .text_of("EditSequence")
        .ok_or_else(|| malformed(rq, "<EditSequence>"))?
        .trim()
        .to_string();
    let Some(index) = c.payments.iter().position(|p| p.core.txn_id == txn_id) else {
        return Ok(Answer::status(Status::object_not_found(&txn_id)));
    };
    if c.payments[index].core.edit_sequence.to_string() != given_es {
        return Ok(Answer::status(Status::stale_edit_sequence(&given_es)));
    }
    let mut next = c.payments[index].clone();
    if let Some(d) = date_of(rq, body, "TxnDate")? {
        next.txn_date = d;
    }
    if let Some(r) = body.text_of("RefNumber") {
        next.ref_number = Some(r.to_string()).filter(|r| !r.is_empty());
    }
    if let Some(t) = decimal_of(rq, body, "TotalAmount")? {
        if !amount_fits(t) {
            return Ok(Answer::status(refused(
                "TotalAmount",
                &t.to_string(),
                "The amount is too large.",
            )));
        }
        next.total = t;
    }
    if let Some(r) = body.first("PaymentMethodRef") {
        match c.resolve_payment_method(r) {
            Some(id) => next.payment_method = Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "PaymentMethod",
                    &ref_parts(r).2,
                    "ReceivePayment",
                )))
            }
        }
    }
    if let Some(m) = body.text_of("Memo") {
        next.memo = Some(m.to_string()).filter(|m| !m.is_empty());
    }
    let listed: Vec<&Element> = body.all("AppliedToTxnMod").collect();
    if !listed.is_empty() {
        let mut applied = Vec::with_capacity(listed.len());
        for a in listed {
            let id = a
                .text_of("TxnID")
                .ok_or_else(|| malformed(rq, "<TxnID> in <AppliedToTxnMod>"))?
                .trim()
                .to_string();
            let amount = decimal_of(rq, a, "PaymentAmount")?.unwrap_or(Decimal::ZERO);
            applied.push(Applied { txn_id: id, amount });
        }
        next.applied = applied;
    }
    // Each invoice's balance as it would be without this payment, then with its new
    // applications: QuickBooks refuses to apply more than an invoice's open balance.
    for a in &next.applied {
        let Some(s) = c
            .sales
            .iter()
            .find(|s| s.core.txn_id == a.txn_id && s.kind == SalesKind::Invoice)
        else {
            return Ok(Answer::status(Status::object_not_found(&a.txn_id)));
        };
        let before: Decimal = c.payments[index]
            .applied
            .iter()
            .filter(|x| x.txn_id == a.txn_id)
            .map(|x| x.amount)
            .sum();
        if a.amount < Decimal::ZERO || a.amount > s.balance() + before {
            return Ok(Answer::status(refused(
                "AppliedToTxnMod payment amount",
                &format_amount(a.amount),
                "You cannot pay more than the amount due.",
            )));
        }
    }
    if next.applied.iter().map(|a| a.amount).sum::<Decimal>() > next.total {
        return Ok(Answer::status(refused(
            "AppliedToTxnMod payment amount",
            &format_amount(next.total),
            "The amounts applied are more than the payment amount.",
        )));
    }
    let now = c.now();
    let old = std::mem::take(&mut c.payments[index].applied);
    for (sign, list) in [(-Decimal::ONE, &old), (Decimal::ONE, &next.applied)] {
        for a in list {
            if let Some(s) = c.sales.iter_mut().find(|s| s.core.txn_id == a.txn_id) {
                s.applied += sign * a.amount;
                s.core.modified = now;
                s.core.edit_sequence = edit_sequence_after(now, s.core.edit_sequence);
            }
        }
    }
    next.core.modified = now;
    next.core.edit_sequence = edit_sequence_after(now, next.core.edit_sequence);
    c.payments[index] = next;
    Ok(Answer::ok(super::query::restrict(
        super::txns::payment_ret(c, &txn_id),
        rq,
    )))
}

/// TxnVoidRq for an invoice (bills, checks and charges: `purchase_mods`): its lines and totals become zero and its memo says VOID, as
/// QuickBooks Desktop does; refused while payments are applied to it.
pub(crate) fn txn_void(c: &mut Company, rq: &Element) -> Handled {
    let void_type = rq
        .text_of("TxnVoidType")
        .ok_or_else(|| malformed(rq, "<TxnVoidType>"))?
        .trim()
        .to_string();
    let txn_id = rq
        .text_of("TxnID")
        .ok_or_else(|| malformed(rq, "<TxnID>"))?
        .trim()
        .to_string();
    let purchase = match void_type.as_str() {
        "Invoice" => None,
        "Bill" => Some(super::purchases::PurchaseKind::Bill),
        "Check" => Some(super::purchases::PurchaseKind::Check),
        "CreditCardCharge" => Some(super::purchases::PurchaseKind::CreditCardCharge),
        _ => {
            return Ok(Answer::status(Status::unsupported(&format!(
                "voiding a {void_type}"
            ))))
        }
    };
    if let Some(kind) = purchase {
        return super::purchase_mods::purchase_void(c, kind, &txn_id);
    }
    let Some(s) = c
        .sales
        .iter_mut()
        .find(|s| s.core.txn_id == txn_id && s.kind == SalesKind::Invoice)
    else {
        return Ok(Answer::status(Status::object_not_found(&txn_id)));
    };
    if s.applied > Decimal::ZERO {
        return Ok(Answer::status(refused(
            "TxnID",
            &txn_id,
            "The transaction cannot be voided because payments are applied to it.",
        )));
    }
    if !is_void(s) {
        for l in &mut s.lines {
            l.amount = Decimal::ZERO;
            l.quantity = l.quantity.map(|_| Decimal::ZERO);
        }
        s.subtotal = Decimal::ZERO;
        s.tax_total = Decimal::ZERO;
        s.memo = Some(match s.memo.take() {
            Some(m) => format!("{VOID_MEMO_PREFIX} {m}"),
            None => VOID_MEMO_PREFIX.to_string(),
        });
    }
    let now = c.clock.now();
    s.core.modified = now;
    s.core.edit_sequence = edit_sequence_after(now, s.core.edit_sequence);
    let rets = vec![
        Element::leaf("TxnVoidType", "Invoice"),
        Element::leaf("TxnID", txn_id),
        Element::leaf("TimeCreated", format_datetime(&s.core.created)),
        Element::leaf("TimeModified", format_datetime(&s.core.modified)),
    ];
    let mut rets = rets;
    if let Some(r) = &s.ref_number {
        rets.push(Element::leaf("RefNumber", r.clone()));
    }
    Ok(Answer {
        status: Status::ok(),
        rets,
        attrs: Vec::new(),
    })
}

/// InvoiceAdd `LinkToTxnID` (qbXML 13.0, InvoiceAdd): "the linked transaction's line items
/// are brought into the invoice" and a fully invoiced estimate is no longer open. Each
/// linked estimate's lines are appended to `lines` (new TxnLineIDs are given later with the
/// invoice's own) and the estimate is closed. A linked id that is not an open estimate is
/// 3120 / 3210, as QuickBooks answers.
pub(crate) fn link_estimates(
    c: &mut Company,
    body: &Element,
    lines: &mut Vec<SalesLine>,
) -> Result<(), Status> {
    let linked: Vec<String> = body
        .all("LinkToTxnID")
        .map(|e| e.text.trim().to_string())
        .collect();
    let now = c.now();
    for id in linked {
        let Some(est) = c
            .sales
            .iter_mut()
            .find(|s| s.core.txn_id == id && s.kind == SalesKind::Estimate)
        else {
            return Err(Status::object_not_found(&id));
        };
        let open = est
            .extra
            .iter()
            .find(|e| e.name == "IsActive")
            .is_none_or(|e| e.text.trim() != "false");
        if !open {
            return Err(refused(
                "LinkToTxnID",
                &id,
                "The estimate is closed and cannot be linked.",
            ));
        }
        lines.extend(est.lines.iter().cloned());
        replace_extra(&mut est.extra, Element::leaf("IsActive", "false"));
        est.core.modified = now;
        est.core.edit_sequence = edit_sequence_after(now, est.core.edit_sequence);
    }
    Ok(())
}

impl Company {
    // ---------------------------------------------------------------- test API: a person edits

    /// A person changes an invoice's or estimate's memo in QuickBooks (a new EditSequence).
    pub fn edit_txn_memo(&mut self, txn_id: &str, memo: &str) -> bool {
        self.edit_sales(txn_id, |s| s.memo = Some(memo.to_string()))
    }

    /// A person sets a field FieldBridge does not send (e.g. `PONumber`) on an invoice or
    /// estimate in QuickBooks (a new EditSequence).
    pub fn edit_txn_field(&mut self, txn_id: &str, element: &str, value: &str) -> bool {
        self.edit_sales(txn_id, |s| {
            replace_extra(&mut s.extra, Element::leaf(element, value))
        })
    }

    /// A person sets a customer's or job's field (e.g. `Phone`, or `Fax`, which FieldBridge
    /// does not send) in QuickBooks (a new EditSequence).
    pub fn edit_customer_field(&mut self, full_name: &str, element: &str, value: &str) -> bool {
        let Some(id) = self.customer_id_by_full_name(full_name) else {
            return false;
        };
        let now = self.now();
        let Some(cu) = self.customers.iter_mut().find(|x| x.core.list_id == id) else {
            return false;
        };
        replace_extra(&mut cu.extra, Element::leaf(element, value));
        cu.core.modified = now;
        cu.core.edit_sequence = edit_sequence_after(now, cu.core.edit_sequence);
        true
    }

    /// An estimate's or invoice's extra field as QuickBooks holds it (e.g. `IsActive`,
    /// `DueDate`, `PONumber`).
    pub fn txn_field(&self, txn_id: &str, element: &str) -> Option<String> {
        let s = self.sales.iter().find(|s| s.core.txn_id == txn_id)?;
        s.extra
            .iter()
            .find(|e| e.name == element)
            .map(|e| e.text.clone())
    }

    /// A customer's or job's field as QuickBooks holds it (e.g. `Phone`, `Email`), by the
    /// customer's full name.
    pub fn customer_field(&self, full_name: &str, element: &str) -> Option<String> {
        let id = self.customer_id_by_full_name(full_name)?;
        let cu = self.customers.iter().find(|x| x.core.list_id == id)?;
        cu.extra
            .iter()
            .find(|e| e.name == element)
            .map(|e| e.text.clone())
    }

    /// The TxnLineIDs of an invoice's or estimate's lines, in order.
    pub fn txn_line_ids(&self, txn_id: &str) -> Vec<String> {
        self.sales
            .iter()
            .find(|s| s.core.txn_id == txn_id)
            .map(|s| s.lines.iter().map(|l| l.txn_line_id.clone()).collect())
            .unwrap_or_default()
    }

    /// Whether an invoice was voided.
    pub fn is_voided(&self, txn_id: &str) -> bool {
        self.sales
            .iter()
            .any(|s| s.core.txn_id == txn_id && is_void(s))
    }

    fn edit_sales(&mut self, txn_id: &str, change: impl FnOnce(&mut SalesTxn)) -> bool {
        let now = self.now();
        let Some(s) = self.sales.iter_mut().find(|s| s.core.txn_id == txn_id) else {
            return false;
        };
        change(s);
        s.core.modified = now;
        s.core.edit_sequence = edit_sequence_after(now, s.core.edit_sequence);
        true
    }
}

#[cfg(test)]
mod tests;
