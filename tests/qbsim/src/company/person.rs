//! A person working in QuickBooks between Web Connector runs: creating an invoice for a
//! customer, renaming a customer, changing an unpaid invoice's due date or a line's rate,
//! voiding an invoice. (Entering a payment, making a customer inactive and deleting are in
//! `setup.rs`: `add_payment`, `set_customer_active`, `delete_txn`, `delete_list_object`.)
//!
//! Owns: what QuickBooks does to the company when a person does these in its windows, each
//! stamped by the simulated clock (TimeModified, a new EditSequence), and the one refusal
//! that follows from a customer being inactive. Does not own: qbXML requests (they go through
//! `process`), queries, deletions.
//!
//! Modelled, not captured: QuickBooks Desktop voids an invoice by zeroing its lines (so its
//! Subtotal, SalesTaxTotal and BalanceRemaining read 0.00) and writing "VOID:" at the start of
//! its memo; qbXML 13.0's InvoiceRet has no element saying "voided".

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::*;
use super::{txns, Company};
use crate::status::Status;
use crate::xml::Element;

/// One line a person types on an invoice: an item by full name, a quantity and a rate.
#[derive(Debug, Clone)]
pub struct TypedLine {
    pub item: String,
    pub desc: Option<String>,
    pub quantity: Decimal,
    pub rate: Decimal,
}

/// What QuickBooks' memo of a voided invoice starts with.
pub const VOID_MEMO_PREFIX: &str = "VOID:";

/// qbXML 13.0: a transaction cannot name an inactive customer or job. QuickBooks answers an
/// add that does with 3140, an invalid reference (modelled).
pub(crate) fn refuse_inactive_customer(
    c: &Company,
    customer: &str,
    object: &str,
) -> Option<Status> {
    let inactive = c.customer_by_id(customer).is_some_and(|x| !x.is_active);
    inactive.then(|| Status::bad_reference("Customer", &c.customer_full_name(customer), object))
}

impl Company {
    /// An invoice a person enters in QuickBooks for a customer or job (by full name), with
    /// QuickBooks' own numbering when `ref_number` is None. Returns its TxnID, or QuickBooks'
    /// refusal (an unknown or inactive customer, an unknown item).
    pub fn create_invoice_in_quickbooks(
        &mut self,
        customer_full_name: &str,
        ref_number: Option<&str>,
        due_date: Option<NaiveDate>,
        lines: &[TypedLine],
    ) -> Result<String, Status> {
        let mut add = Element::new("InvoiceAdd").child(
            Element::new("CustomerRef").child(Element::leaf("FullName", customer_full_name)),
        );
        if let Some(r) = ref_number {
            add.push_leaf("RefNumber", r);
        }
        if let Some(d) = due_date {
            add.push_leaf("DueDate", d.format("%Y-%m-%d").to_string());
        }
        for l in lines {
            let mut line = Element::new("InvoiceLineAdd")
                .child(Element::new("ItemRef").child(Element::leaf("FullName", l.item.clone())));
            if let Some(d) = &l.desc {
                line.push_leaf("Desc", d.clone());
            }
            line.push_leaf("Quantity", format_quantity(l.quantity));
            line.push_leaf("Rate", format_price(l.rate));
            add.push(line);
        }
        let rq = Element::new("InvoiceAddRq").child(add);
        self.clock.tick();
        let answer = txns::sales_add(self, &rq, SalesKind::Invoice)
            .map_err(|e| Status::invalid_field("InvoiceAdd", "", &e.to_string()))?;
        if !answer.status.is_ok() {
            return Err(answer.status);
        }
        answer
            .rets
            .first()
            .and_then(|r| r.text_of("TxnID"))
            .map(str::to_string)
            .ok_or_else(|| Status::object_not_found("invoice"))
    }

    /// Renames a customer or job (its Name; jobs keep their parent), as a person does in the
    /// Customer Center. QuickBooks refuses a name a sibling already has (3100).
    pub fn rename_customer(&mut self, full_name: &str, new_name: &str) -> Result<(), Status> {
        let Some(id) = self.customer_id_by_full_name(full_name) else {
            return Err(Status::object_not_found(full_name));
        };
        let parent = self
            .customers
            .iter()
            .find(|c| c.core.list_id == id)
            .and_then(|c| c.parent.clone());
        if self.customer_name_taken(new_name, parent.as_deref(), Some(&id)) {
            return Err(Status::name_in_use(new_name));
        }
        self.clock.tick();
        let now = self.now();
        if let Some(c) = self.customers.iter_mut().find(|c| c.core.list_id == id) {
            c.name = new_name.to_string();
            c.core.modified = now;
            c.core.edit_sequence = edit_sequence_after(now, c.core.edit_sequence);
        }
        Ok(())
    }

    /// Changes an invoice's due date, as a person does on the invoice form.
    pub fn set_invoice_due_date(&mut self, txn_id: &str, due: NaiveDate) -> Result<(), Status> {
        let i = self.invoice_index(txn_id)?;
        self.clock.tick();
        let s = &mut self.sales[i];
        s.extra.retain(|e| e.name != "DueDate");
        s.extra
            .push(Element::leaf("DueDate", due.format("%Y-%m-%d").to_string()));
        self.touch_sale(i);
        Ok(())
    }

    /// Changes the rate of line `line` (0-based) of an unpaid invoice; QuickBooks recomputes
    /// the line's amount, the subtotal, the sales tax and the balance. A rate that would
    /// bring the total under what was already paid is refused, as QuickBooks does.
    pub fn set_invoice_line_rate(
        &mut self,
        txn_id: &str,
        line: usize,
        rate: Decimal,
    ) -> Result<(), Status> {
        let i = self.invoice_index(txn_id)?;
        let mut changed = self.sales[i].clone();
        let Some(l) = changed.lines.get_mut(line) else {
            return Err(Status::invalid_field(
                "TxnLineID",
                &line.to_string(),
                "There is no such line.",
            ));
        };
        l.rate = Some(rate);
        l.amount = round_cents(l.quantity.unwrap_or(Decimal::ONE) * rate);
        self.recompute_totals(&mut changed);
        if changed.total() < changed.applied {
            return Err(Status::invalid_field(
                "Rate",
                &format_price(rate),
                "The invoice total cannot be less than the payments applied to it.",
            ));
        }
        self.clock.tick();
        self.sales[i] = changed;
        self.touch_sale(i);
        Ok(())
    }

    /// Voids an invoice, as a person does (Edit > Void Invoice): its lines are zeroed and its
    /// memo starts with "VOID:". An invoice with payments applied is refused, as deleting one
    /// is here.
    pub fn void_invoice_in_quickbooks(&mut self, txn_id: &str) -> Result<(), Status> {
        let i = self.invoice_index(txn_id)?;
        if self.sales[i].applied > Decimal::ZERO {
            return Err(Status::invalid_field(
                "TxnID",
                txn_id,
                "The invoice has payments applied; remove them before voiding it.",
            ));
        }
        self.clock.tick();
        let s = &mut self.sales[i];
        for l in &mut s.lines {
            l.quantity = l.quantity.map(|_| Decimal::ZERO);
            l.amount = Decimal::ZERO;
        }
        s.subtotal = Decimal::ZERO;
        s.tax_total = Decimal::ZERO;
        if !s
            .memo
            .as_deref()
            .is_some_and(|m| m.starts_with(VOID_MEMO_PREFIX))
        {
            s.memo = Some(match &s.memo {
                Some(m) => format!("{VOID_MEMO_PREFIX} {m}"),
                None => VOID_MEMO_PREFIX.to_string(),
            });
        }
        self.touch_sale(i);
        Ok(())
    }

    fn invoice_index(&self, txn_id: &str) -> Result<usize, Status> {
        self.sales
            .iter()
            .position(|s| s.core.txn_id == txn_id && s.kind == SalesKind::Invoice)
            .ok_or_else(|| Status::object_not_found(txn_id))
    }

    /// A change saved: a new TimeModified and EditSequence.
    fn touch_sale(&mut self, i: usize) {
        let now = self.now();
        let s = &mut self.sales[i];
        s.core.modified = now;
        s.core.edit_sequence = edit_sequence_after(now, s.core.edit_sequence);
    }

    /// Subtotal and sales tax from the lines, by the rules InvoiceAdd uses: the customer's
    /// non-taxable code on the form wins; otherwise each line's code decides.
    fn recompute_totals(&self, s: &mut SalesTxn) {
        s.subtotal = s.lines.iter().map(|l| l.amount).sum();
        let exempt = s
            .customer_sales_tax_code
            .as_ref()
            .is_some_and(|t| !self.tax_code_is_taxable(t));
        let taxable: Decimal = s
            .lines
            .iter()
            .filter(|l| {
                !exempt
                    && l.sales_tax_code
                        .as_ref()
                        .is_some_and(|t| self.tax_code_is_taxable(t))
            })
            .map(|l| l.amount)
            .sum();
        s.tax_total = round_cents(taxable * s.tax_percent / Decimal::ONE_HUNDRED);
    }
}

#[cfg(test)]
mod tests {
    //! What a person does in QuickBooks, seen through qbXML queries as a client sees it; every
    //! answer checked against the qbXML 13.0 schema.
    use super::*;
    use crate::schema;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test decimal")
    }

    fn ask(c: &mut Company, body: &str) -> Element {
        let response = c
            .process(&format!(
                r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">{body}</QBXMLMsgsRq></QBXML>"#
            ))
            .expect("the document is well-formed");
        if let Err(e) = schema::validate(&response) {
            panic!("the simulator's answer must be schema-valid: {e}\n{response}");
        }
        Element::parse(&response)
            .expect("well-formed")
            .first("QBXMLMsgsRs")
            .cloned()
            .expect("QBXMLMsgsRs")
    }

    fn invoice_ret(c: &mut Company, txn_id: &str) -> Element {
        let rs = ask(
            c,
            &format!(
                r#"<InvoiceQueryRq requestID="1"><TxnID>{txn_id}</TxnID><IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>"#
            ),
        );
        rs.path(&["InvoiceQueryRs", "InvoiceRet"])
            .cloned()
            .expect("the invoice is found")
    }

    fn labor(qty: &str, rate: &str) -> TypedLine {
        TypedLine {
            item: "Labor".into(),
            desc: Some("Labor".into()),
            quantity: d(qty),
            rate: d(rate),
        }
    }

    #[test]
    fn an_invoice_a_person_creates_is_answered_like_any_other() {
        let mut c = Company::fixture(3);
        c.add_customer("Acme Plumbing");
        let due = NaiveDate::from_ymd_opt(2024, 7, 3).unwrap();
        let txn = c
            .create_invoice_in_quickbooks(
                "Acme Plumbing",
                Some("Q-77"),
                Some(due),
                &[labor("2", "95.00")],
            )
            .expect("QuickBooks takes it");
        let ret = invoice_ret(&mut c, &txn);
        assert_eq!(ret.text_of("RefNumber"), Some("Q-77"));
        assert_eq!(ret.text_of("DueDate"), Some("2024-07-03"));
        assert_eq!(ret.text_of("Subtotal"), Some("190.00"));
        assert_eq!(ret.text_of("BalanceRemaining"), Some("190.00"));
        assert!(
            ret.text_of("ExternalGUID").is_none(),
            "nobody's GUID: a person made it"
        );
        assert_eq!(ret.all("InvoiceLineRet").count(), 1, "with its line");
    }

    #[test]
    fn due_dates_rates_and_voids_change_the_invoice_and_its_edit_sequence() {
        let mut c = Company::fixture(4);
        c.add_customer("Acme Plumbing");
        let txn = c
            .create_invoice_in_quickbooks("Acme Plumbing", None, None, &[labor("2", "95.00")])
            .unwrap();
        let first = invoice_ret(&mut c, &txn);
        c.set_invoice_due_date(&txn, NaiveDate::from_ymd_opt(2024, 8, 1).unwrap())
            .unwrap();
        c.set_invoice_line_rate(&txn, 0, d("100.00")).unwrap();
        let changed = invoice_ret(&mut c, &txn);
        assert_eq!(changed.text_of("DueDate"), Some("2024-08-01"));
        assert_eq!(changed.text_of("Subtotal"), Some("200.00"), "2 x 100.00");
        assert_eq!(changed.text_of("BalanceRemaining"), Some("200.00"));
        assert_ne!(
            changed.text_of("EditSequence"),
            first.text_of("EditSequence"),
            "every change is a new EditSequence"
        );
        assert!(
            changed.text_of("TimeModified") > first.text_of("TimeModified"),
            "and a later TimeModified, so an incremental read finds it"
        );
        c.void_invoice_in_quickbooks(&txn).unwrap();
        let voided = invoice_ret(&mut c, &txn);
        assert_eq!(voided.text_of("Subtotal"), Some("0.00"));
        assert_eq!(voided.text_of("BalanceRemaining"), Some("0.00"));
        assert!(voided.text_of("Memo").unwrap().starts_with("VOID:"));
        assert_eq!(c.invoice_count(), 1, "a void keeps the invoice");
    }

    #[test]
    fn a_paid_invoice_is_not_voided_nor_cut_below_its_payments() {
        let mut c = Company::fixture(5);
        c.add_customer("Acme Plumbing");
        let txn = c
            .create_invoice_in_quickbooks("Acme Plumbing", None, None, &[labor("2", "95.00")])
            .unwrap();
        c.add_payment(
            "Acme Plumbing",
            d("150.00"),
            &[(txn.as_str(), d("150.00"))],
            None,
        )
        .unwrap();
        assert!(c.void_invoice_in_quickbooks(&txn).is_err());
        assert!(c.set_invoice_line_rate(&txn, 0, d("50.00")).is_err());
        assert!(
            c.set_invoice_line_rate(&txn, 0, d("80.00")).is_ok(),
            "160.00 >= 150.00"
        );
    }

    #[test]
    fn a_renamed_customer_keeps_its_list_id_and_an_inactive_one_takes_no_invoice() {
        let mut c = Company::fixture(6);
        let id = c.add_customer("Acme Plumbing");
        c.add_customer("Baker Bros");
        assert!(
            c.rename_customer("Acme Plumbing", "Baker Bros").is_err(),
            "3100: taken"
        );
        c.rename_customer("Acme Plumbing", "Acme Plumbing & Heating")
            .unwrap();
        let view = c
            .customer("Acme Plumbing & Heating")
            .expect("found by its new name");
        assert_eq!(view.list_id, id, "the same customer");
        c.set_customer_active("Acme Plumbing & Heating", false);
        let refused = c
            .create_invoice_in_quickbooks(
                "Acme Plumbing & Heating",
                None,
                None,
                &[labor("1", "95.00")],
            )
            .expect_err("QuickBooks refuses an inactive customer on a new transaction");
        assert_eq!(refused.code, 3140);
        let rs = ask(
            &mut c,
            &format!(
                r#"<InvoiceAddRq requestID="2"><InvoiceAdd><CustomerRef><ListID>{id}</ListID></CustomerRef><InvoiceLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Amount>95.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"#
            ),
        );
        assert_eq!(
            rs.first("InvoiceAddRs")
                .and_then(|r| r.get_attr("statusCode")),
            Some("3140"),
            "by qbXML too"
        );
    }
}
