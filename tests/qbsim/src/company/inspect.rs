//! The test-facing inspection API: counts, lookups by name, ListID, TxnID and
//! ExternalGUID, and plain views of customers, invoices and payments, so end-to-end suites
//! can assert "nothing duplicated, nothing missing".
//!
//! Owns: the view types and how they are read from the company. Does not own: any change.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::*;
use super::{Company, RequestRecord};
use crate::clock::format_datetime;

impl Company {
    // ---------------------------------------------------------------- test API: inspect

    /// Every request answered so far, in order.
    pub fn history(&self) -> &[RequestRecord] {
        &self.history
    }

    /// The saved recovery answer for a message set, if QuickBooks has one.
    pub fn saved_message_set(&self, id: &str) -> Option<String> {
        self.message_sets.get(id).map(|m| m.recovery.to_xml())
    }

    /// Off (the default): an oldMessageSetID status check answers each response's status
    /// with the `ErrorRecovery` aggregate, the shape qbXML 13.0 defines for it. On: the
    /// full saved response (every Ret) comes back instead.
    pub fn set_recovery_returns_full_response(&mut self, on: bool) {
        self.recovery_full_response = on;
    }

    pub fn customer_count(&self) -> usize {
        self.customers.len()
    }

    /// How many customers/jobs have this full name, case-insensitively ("nothing duplicated").
    pub fn count_customers_named(&self, full_name: &str) -> usize {
        self.customers
            .iter()
            .filter(|c| {
                self.customer_full_name(&c.core.list_id)
                    .eq_ignore_ascii_case(full_name)
            })
            .count()
    }

    pub fn customer(&self, full_name: &str) -> Option<CustomerView> {
        let id = self.customer_id_by_full_name(full_name)?;
        self.customer_view(&id)
    }

    pub fn customer_by_list_id(&self, list_id: &str) -> Option<CustomerView> {
        self.customer_view(list_id)
    }

    pub fn find_customer_by_external_guid(&self, guid: &str) -> Option<CustomerView> {
        let c = self.customers.iter().find(|c| {
            c.external_guid
                .as_deref()
                .is_some_and(|g| g.eq_ignore_ascii_case(guid))
        })?;
        self.customer_view(&c.core.list_id)
    }

    pub fn customers(&self) -> Vec<CustomerView> {
        self.customers
            .iter()
            .filter_map(|c| self.customer_view(&c.core.list_id))
            .collect()
    }

    pub fn invoice_count(&self) -> usize {
        self.sales
            .iter()
            .filter(|s| s.kind == SalesKind::Invoice)
            .count()
    }

    pub fn estimate_count(&self) -> usize {
        self.sales
            .iter()
            .filter(|s| s.kind == SalesKind::Estimate)
            .count()
    }

    pub fn payment_count(&self) -> usize {
        self.payments.len()
    }

    /// How many invoices carry this RefNumber ("nothing duplicated").
    pub fn count_invoices_with_ref(&self, ref_number: &str) -> usize {
        self.sales
            .iter()
            .filter(|s| s.kind == SalesKind::Invoice && s.ref_number.as_deref() == Some(ref_number))
            .count()
    }

    /// An invoice or estimate by TxnID.
    pub fn invoice(&self, txn_id: &str) -> Option<InvoiceView> {
        self.sales
            .iter()
            .find(|s| s.core.txn_id == txn_id)
            .map(|s| self.invoice_view(s))
    }

    pub fn find_invoice_by_external_guid(&self, guid: &str) -> Option<InvoiceView> {
        self.sales
            .iter()
            .find(|s| {
                s.external_guid
                    .as_deref()
                    .is_some_and(|g| g.eq_ignore_ascii_case(guid))
            })
            .map(|s| self.invoice_view(s))
    }

    pub fn invoices(&self) -> Vec<InvoiceView> {
        self.sales.iter().map(|s| self.invoice_view(s)).collect()
    }

    pub fn payments(&self) -> Vec<PaymentView> {
        self.payments.iter().map(|p| self.payment_view(p)).collect()
    }

    pub fn find_payment_by_external_guid(&self, guid: &str) -> Option<PaymentView> {
        self.payments
            .iter()
            .find(|p| {
                p.external_guid
                    .as_deref()
                    .is_some_and(|g| g.eq_ignore_ascii_case(guid))
            })
            .map(|p| self.payment_view(p))
    }

    /// The ListID of an item by full name (case-insensitive).
    pub fn item_list_id(&self, full_name: &str) -> Option<String> {
        self.item_id_by_full_name(full_name)
    }

    fn customer_view(&self, id: &str) -> Option<CustomerView> {
        let c = self.customers.iter().find(|c| c.core.list_id == id)?;
        Some(CustomerView {
            list_id: c.core.list_id.clone(),
            name: c.name.clone(),
            full_name: self.customer_full_name(id),
            parent_full_name: c.parent.as_ref().map(|p| self.customer_full_name(p)),
            sublevel: self.customer_sublevel(id),
            is_active: c.is_active,
            edit_sequence: c.core.edit_sequence.to_string(),
            external_guid: c.external_guid.clone(),
            balance: self.customer_balance(id),
            total_balance: self.customer_total_balance(id),
            time_modified: format_datetime(&c.core.modified),
            sales_tax_code: c.sales_tax_code.as_ref().and_then(|t| {
                self.tax_codes
                    .iter()
                    .find(|code| &code.core.list_id == t)
                    .map(|code| code.name.clone())
            }),
        })
    }

    fn invoice_view(&self, s: &SalesTxn) -> InvoiceView {
        InvoiceView {
            txn_id: s.core.txn_id.clone(),
            kind: s.kind.object_name(),
            customer_full_name: self.customer_full_name(&s.customer),
            ref_number: s.ref_number.clone(),
            txn_date: s.txn_date,
            subtotal: s.subtotal,
            sales_tax_percentage: s.tax_percent,
            sales_tax_total: s.tax_total,
            total: s.total(),
            balance_remaining: s.balance(),
            is_paid: s.kind == SalesKind::Invoice && s.balance() <= Decimal::ZERO,
            external_guid: s.external_guid.clone(),
            edit_sequence: s.core.edit_sequence.to_string(),
            memo: s.memo.clone(),
            lines: s
                .lines
                .iter()
                .map(|l| LineView {
                    item_full_name: l.item.as_ref().map(|i| self.item_full_name(i)),
                    desc: l.desc.clone(),
                    quantity: l.quantity,
                    rate: l.rate,
                    amount: l.amount,
                    taxable: l
                        .sales_tax_code
                        .as_ref()
                        .is_some_and(|c| self.tax_code_is_taxable(c)),
                })
                .collect(),
        }
    }

    fn payment_view(&self, p: &Payment) -> PaymentView {
        PaymentView {
            txn_id: p.core.txn_id.clone(),
            customer_full_name: self.customer_full_name(&p.customer),
            ref_number: p.ref_number.clone(),
            total: p.total,
            unused: p.unused(),
            applied: p
                .applied
                .iter()
                .map(|a| (a.txn_id.clone(), a.amount))
                .collect(),
            external_guid: p.external_guid.clone(),
            time_modified: format_datetime(&p.core.modified),
            deposit_to: self
                .accounts
                .iter()
                .find(|a| a.core.list_id == p.deposit_to)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
        }
    }
}

/// A customer or job as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerView {
    pub list_id: String,
    pub name: String,
    pub full_name: String,
    pub parent_full_name: Option<String>,
    pub sublevel: u32,
    pub is_active: bool,
    pub edit_sequence: String,
    pub external_guid: Option<String>,
    pub balance: Decimal,
    pub total_balance: Decimal,
    pub time_modified: String,
    /// The name of the customer's sales tax code ("Tax", "Non"), when it has one.
    pub sales_tax_code: Option<String>,
}

/// An invoice line as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineView {
    pub item_full_name: Option<String>,
    pub desc: Option<String>,
    pub quantity: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub amount: Decimal,
    pub taxable: bool,
}

/// An invoice or estimate as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceView {
    pub txn_id: String,
    /// "Invoice" or "Estimate".
    pub kind: &'static str,
    pub customer_full_name: String,
    pub ref_number: Option<String>,
    pub txn_date: NaiveDate,
    pub subtotal: Decimal,
    pub sales_tax_percentage: Decimal,
    pub sales_tax_total: Decimal,
    pub total: Decimal,
    pub balance_remaining: Decimal,
    pub is_paid: bool,
    pub external_guid: Option<String>,
    pub edit_sequence: String,
    pub memo: Option<String>,
    pub lines: Vec<LineView>,
}

/// A received payment as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentView {
    pub txn_id: String,
    pub customer_full_name: String,
    pub ref_number: Option<String>,
    pub total: Decimal,
    pub unused: Decimal,
    pub applied: Vec<(String, Decimal)>,
    pub external_guid: Option<String>,
    pub time_modified: String,
    /// The account it was deposited to (its full name).
    pub deposit_to: String,
}
