//! Changing bills, checks and credit-card charges QuickBooks already has: BillMod, CheckMod,
//! CreditCardChargeMod and TxnVoid of the three; and the test API that plays a person
//! editing, paying or voiding them in QuickBooks.
//!
//! Owns: the EditSequence rule for purchases (a mod must carry the one QuickBooks last
//! returned, else 3200, and every change gives a new one), expense line matching by
//! TxnLineID (a listed line is changed, `-1` adds one, an unlisted one is deleted: qbXML
//! 13.0, "if you include line items in a mod request, any existing line that you do not
//! include is deleted"), and voiding (every line zero, the memo starting "VOID:", as
//! QuickBooks Desktop shows a voided bill or check).
//!
//! Modelled refusals: a mod of a voided purchase is 3170; a mod of a bill paid in full that
//! changes its lines is 3170 (QuickBooks keeps a bill at least what was paid on it); voiding
//! a paid bill is 3210 (its bill payment must be deleted first). Not modelled: item lines,
//! partial payments, un-voiding.

use rust_decimal::Decimal;

use super::model::*;
use super::purchases::{expense_line, purchase_ret, PurchaseKind};
use super::{date_of, malformed, ref_parts, Answer, Company, Handled};
use crate::clock::format_datetime;
use crate::status::{Severity, Status};
use crate::xml::Element;

/// The memo prefix QuickBooks Desktop writes on a voided transaction.
const VOID_MEMO_PREFIX: &str = "VOID:";

fn is_void(memo: Option<&str>) -> bool {
    memo.is_some_and(|m| m.starts_with(VOID_MEMO_PREFIX))
}

fn cannot_modify(object: &str, label: &str, why: &str) -> Status {
    Status {
        code: 3170,
        severity: Severity::Error,
        message: format!("There was an error when modifying a {object} \"{label}\".  QuickBooks error message: {why}"),
    }
}

/// BillMod, CheckMod or CreditCardChargeMod.
pub(crate) fn purchase_mod(c: &mut Company, rq: &Element, kind: PurchaseKind) -> Handled {
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
        .purchases
        .iter()
        .position(|p| p.core.txn_id == txn_id && p.kind == kind)
    else {
        return Ok(Answer::status(Status::object_not_found(&txn_id)));
    };
    // qbXML: a Mod must carry the EditSequence QuickBooks last returned; otherwise 3200.
    if c.purchases[index].core.edit_sequence.to_string() != given_es {
        return Ok(Answer::status(Status::stale_edit_sequence(&given_es)));
    }
    let label = c.purchases[index]
        .ref_number
        .clone()
        .unwrap_or_else(|| txn_id.clone());
    if is_void(c.purchases[index].memo.as_deref()) {
        return Ok(Answer::status(cannot_modify(
            object,
            &label,
            "A voided transaction cannot be changed.",
        )));
    }
    for unsupported in ["ItemLineMod", "ItemGroupLineMod", "ClearItemLines"] {
        if body.first(unsupported).is_some() {
            return Ok(Answer::status(Status::unsupported(unsupported)));
        }
    }
    let mut next = c.purchases[index].clone();
    let vendor_element = match kind {
        PurchaseKind::Bill => body.first("VendorRef"),
        _ => body.first("PayeeEntityRef"),
    };
    if let Some(r) = vendor_element {
        match c.resolve_vendor(r) {
            Some(id) => next.vendor = Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "Vendor",
                    &ref_parts(r).2,
                    object,
                )))
            }
        }
    }
    if kind != PurchaseKind::Bill {
        if let Some(r) = body.first("AccountRef") {
            let wanted = if kind == PurchaseKind::Check {
                "Bank"
            } else {
                "CreditCard"
            };
            match c.resolve_account(r) {
                Some(id) if c.account_type_of(&id) == Some(wanted) => next.account = id,
                _ => {
                    return Ok(Answer::status(Status::bad_reference(
                        "Account",
                        &ref_parts(r).2,
                        object,
                    )))
                }
            }
        }
    }
    if let Some(d) = date_of(rq, body, "TxnDate")? {
        next.txn_date = d;
    }
    if kind == PurchaseKind::Bill {
        if let Some(d) = date_of(rq, body, "DueDate")? {
            next.due_date = Some(d);
        }
    }
    if let Some(r) = body.text_of("RefNumber") {
        next.ref_number = Some(r.to_string()).filter(|r| !r.is_empty());
    }
    if let Some(m) = body.text_of("Memo") {
        next.memo = Some(m.to_string()).filter(|m| !m.is_empty());
    }
    let line_mods: Vec<&Element> = body.all("ExpenseLineMod").collect();
    if !line_mods.is_empty() {
        if next.paid {
            return Ok(Answer::status(cannot_modify(
                object,
                &label,
                "The bill has been paid; its amounts cannot be changed.",
            )));
        }
        let mut lines = Vec::with_capacity(line_mods.len());
        for m in line_mods {
            let id = m
                .text_of("TxnLineID")
                .ok_or_else(|| malformed(rq, "<TxnLineID> in <ExpenseLineMod>"))?
                .trim()
                .to_string();
            let mut line = match expense_line(c, rq, m, object)? {
                Ok(l) => l,
                Err(status) => return Ok(Answer::status(status)),
            };
            if id == "-1" {
                line.txn_line_id = String::new();
            } else if next.lines.iter().any(|l| l.txn_line_id == id) {
                line.txn_line_id = id;
            } else {
                return Ok(Answer::status(Status::object_not_found(&id)));
            }
            lines.push(line);
        }
        for l in &mut lines {
            if l.txn_line_id.is_empty() {
                l.txn_line_id = c.new_txn_id();
            }
        }
        next.lines = lines;
    }
    let now = c.now();
    next.core.modified = now;
    next.core.edit_sequence = edit_sequence_after(now, next.core.edit_sequence);
    c.purchases[index] = next;
    Ok(Answer::ok(super::query::restrict(
        purchase_ret(c, &txn_id, true),
        rq,
    )))
}

/// TxnVoidRq for a bill, check or credit-card charge: its lines become zero and its memo
/// says VOID. A paid bill is refused (its payment must go first, as in QuickBooks).
pub(crate) fn purchase_void(c: &mut Company, kind: PurchaseKind, txn_id: &str) -> Handled {
    let Some(p) = c
        .purchases
        .iter_mut()
        .find(|p| p.core.txn_id == txn_id && p.kind == kind)
    else {
        return Ok(Answer::status(Status::object_not_found(txn_id)));
    };
    if p.paid {
        return Ok(Answer::status(Status::invalid_field(
            "TxnID",
            txn_id,
            "The bill cannot be voided because a bill payment is applied to it.",
        )));
    }
    if !is_void(p.memo.as_deref()) {
        for l in &mut p.lines {
            l.amount = Decimal::ZERO;
        }
        p.memo = Some(match p.memo.take() {
            Some(m) => format!("{VOID_MEMO_PREFIX} {m}"),
            None => VOID_MEMO_PREFIX.to_string(),
        });
    }
    let now = c.clock.now();
    p.core.modified = now;
    p.core.edit_sequence = edit_sequence_after(now, p.core.edit_sequence);
    let mut rets = vec![
        Element::leaf("TxnVoidType", kind.object_name()),
        Element::leaf("TxnID", txn_id.to_string()),
        Element::leaf("TimeCreated", format_datetime(&p.core.created)),
        Element::leaf("TimeModified", format_datetime(&p.core.modified)),
    ];
    if let Some(r) = &p.ref_number {
        rets.push(Element::leaf("RefNumber", r.clone()));
    }
    Ok(Answer {
        status: Status::ok(),
        rets,
        attrs: Vec::new(),
    })
}

impl Company {
    // ---------------------------------------------------------------- test API: a person edits

    /// A person changes a bill's, check's or charge's memo in QuickBooks (a new
    /// EditSequence).
    pub fn edit_purchase_memo(&mut self, txn_id: &str, memo: &str) -> bool {
        self.edit_purchase(txn_id, |p| p.memo = Some(memo.to_string()))
    }

    /// A person saves a purchase in QuickBooks changing only what FieldBridge does not send
    /// (its terms, its class): a new EditSequence, the same owned fields.
    pub fn save_purchase_unchanged(&mut self, txn_id: &str) -> bool {
        self.edit_purchase(txn_id, |_| {})
    }

    /// A person pays a bill in full in QuickBooks' Pay Bills (a new EditSequence; IsPaid).
    pub fn pay_bill(&mut self, txn_id: &str) -> bool {
        self.edit_purchase(txn_id, |p| p.paid = p.kind == PurchaseKind::Bill)
    }

    /// Whether a bill, check or charge was voided.
    pub fn is_purchase_voided(&self, txn_id: &str) -> bool {
        self.purchases
            .iter()
            .any(|p| p.core.txn_id == txn_id && is_void(p.memo.as_deref()))
    }

    /// A purchase by its TxnID.
    pub fn purchase(&self, txn_id: &str) -> Option<&super::purchases::Purchase> {
        self.purchases.iter().find(|p| p.core.txn_id == txn_id)
    }

    fn edit_purchase(
        &mut self,
        txn_id: &str,
        change: impl FnOnce(&mut super::purchases::Purchase),
    ) -> bool {
        let now = self.now();
        let Some(p) = self.purchases.iter_mut().find(|p| p.core.txn_id == txn_id) else {
            return false;
        };
        change(p);
        p.core.modified = now;
        p.core.edit_sequence = edit_sequence_after(now, p.core.edit_sequence);
        true
    }
}

#[cfg(test)]
mod tests;
