//! The test-facing setup API: seeding customers, jobs and items, payments "entered in
//! QuickBooks", deletions, preference switches, injected lock faults and the clock.
//!
//! Owns: changes a test makes to the company outside qbXML, each stamped by the simulated
//! clock like a user's change in QuickBooks. Does not own: qbXML handling (the request
//! handlers) or inspection (`inspect.rs`).

use chrono::{DateTime, Duration, FixedOffset};
use rust_decimal::Decimal;

use super::model::*;
use super::{deleted, hcp, txns, Company, LockCode, LockFault};
use crate::clock::format_datetime;
use crate::status::Status;
use crate::xml::Element;

impl Company {
    // ---------------------------------------------------------------- test API: setup

    /// Adds a top-level customer "entered in QuickBooks"; returns its ListID.
    pub fn add_customer(&mut self, name: &str) -> String {
        self.insert_customer(name, None)
    }

    /// Adds a job under the customer (or job) with this full name; None if no such parent.
    pub fn add_job(&mut self, parent_full_name: &str, name: &str) -> Option<String> {
        let parent = self.customer_id_by_full_name(parent_full_name)?;
        Some(self.insert_customer(name, Some(parent)))
    }

    fn insert_customer(&mut self, name: &str, parent: Option<String>) -> String {
        self.clock.tick();
        let core = self.new_list_core();
        let id = core.list_id.clone();
        self.customers.push(Customer {
            core,
            name: name.to_string(),
            parent,
            is_active: true,
            sales_tax_code: None,
            item_sales_tax: None,
            preferred_payment_method: None,
            external_guid: None,
            extra: vec![Element::leaf("JobStatus", "None")],
        });
        id
    }

    /// Seeds `count` customers named `{prefix} 1` ... `{prefix} N`, each with `jobs_each`
    /// jobs named `Job 1` ...; returns the customers' ListIDs.
    pub fn seed_customers(&mut self, prefix: &str, count: usize, jobs_each: usize) -> Vec<String> {
        let mut ids = Vec::with_capacity(count);
        for n in 1..=count {
            let id = self.insert_customer(&format!("{prefix} {n}"), None);
            for j in 1..=jobs_each {
                self.insert_customer(&format!("Job {j}"), Some(id.clone()));
            }
            ids.push(id);
        }
        ids
    }

    /// Sets a customer's sales-tax code ("Tax"/"Non") and sales-tax item by full names.
    pub fn set_customer_tax(
        &mut self,
        full_name: &str,
        code: Option<&str>,
        item: Option<&str>,
    ) -> bool {
        let code_id = code.and_then(|c| self.tax_code_id_by_name(c));
        let item_id = item.and_then(|i| self.item_id_by_full_name(i));
        let Some(id) = self.customer_id_by_full_name(full_name) else {
            return false;
        };
        self.clock.tick();
        let now = self.now();
        if let Some(c) = self.customers.iter_mut().find(|c| c.core.list_id == id) {
            c.sales_tax_code = code_id;
            c.item_sales_tax = item_id;
            c.core.modified = now;
            c.core.edit_sequence = edit_sequence_after(now, c.core.edit_sequence);
        }
        true
    }

    /// Marks a customer active or inactive (as the user does in QuickBooks).
    pub fn set_customer_active(&mut self, full_name: &str, active: bool) -> bool {
        let Some(id) = self.customer_id_by_full_name(full_name) else {
            return false;
        };
        self.clock.tick();
        let now = self.now();
        if let Some(c) = self.customers.iter_mut().find(|c| c.core.list_id == id) {
            c.is_active = active;
            c.core.modified = now;
            c.core.edit_sequence = edit_sequence_after(now, c.core.edit_sequence);
        }
        true
    }

    /// Adds an account "entered in QuickBooks" (`account_type` is qbXML's word, e.g. "Bank",
    /// "CreditCard", "Expense"; `number` its account number); returns its ListID. None when
    /// the name is taken or the type is not one qbXML 13.0 defines.
    pub fn add_account(
        &mut self,
        name: &str,
        account_type: &str,
        number: Option<&str>,
    ) -> Option<String> {
        const TYPES: [&str; 16] = [
            "AccountsPayable",
            "AccountsReceivable",
            "Bank",
            "CostOfGoodsSold",
            "CreditCard",
            "Equity",
            "Expense",
            "FixedAsset",
            "Income",
            "LongTermLiability",
            "NonPosting",
            "OtherAsset",
            "OtherCurrentAsset",
            "OtherCurrentLiability",
            "OtherExpense",
            "OtherIncome",
        ];
        let account_type = TYPES.into_iter().find(|t| *t == account_type)?;
        if self
            .accounts
            .iter()
            .any(|a| a.name.eq_ignore_ascii_case(name))
        {
            return None;
        }
        self.clock.tick();
        let core = self.new_list_core();
        let id = core.list_id.clone();
        self.accounts.push(Account {
            core,
            name: name.to_string(),
            is_active: true,
            account_type,
            special_account_type: None,
            account_number: number.map(str::to_owned),
        });
        Some(id)
    }

    fn insert_item(
        &mut self,
        name: &str,
        parent: Option<&str>,
        kind: ItemKind,
        price: Option<Decimal>,
        taxable: Option<bool>,
    ) -> String {
        self.clock.tick();
        let parent = parent.and_then(|p| self.item_id_by_full_name(p));
        let sales_tax_code =
            taxable.and_then(|t| self.tax_code_id_by_name(if t { "Tax" } else { "Non" }));
        let account = self
            .accounts
            .iter()
            .find(|a| a.name == "Services")
            .map(|a| a.core.list_id.clone());
        let is_tax_item = matches!(
            kind,
            ItemKind::SalesTax { .. } | ItemKind::SalesTaxGroup { .. }
        );
        let core = self.new_list_core();
        let id = core.list_id.clone();
        self.items.push(Item {
            core,
            name: name.to_string(),
            parent,
            is_active: true,
            kind,
            desc: if is_tax_item {
                None
            } else {
                Some(name.to_string())
            },
            price,
            sales_tax_code,
            account: if is_tax_item { None } else { account },
            external_guid: None,
        });
        id
    }

    pub fn add_service_item(&mut self, name: &str, price: Decimal, taxable: bool) -> String {
        self.insert_item(name, None, ItemKind::Service, Some(price), Some(taxable))
    }

    /// A non-inventory part, optionally under a parent item (by full name).
    pub fn add_non_inventory_item(
        &mut self,
        name: &str,
        parent: Option<&str>,
        price: Decimal,
        taxable: bool,
    ) -> String {
        self.insert_item(
            name,
            parent,
            ItemKind::NonInventory,
            Some(price),
            Some(taxable),
        )
    }

    pub fn add_other_charge_item(&mut self, name: &str, price: Decimal, taxable: bool) -> String {
        self.insert_item(
            name,
            None,
            ItemKind::OtherCharge,
            Some(price),
            Some(taxable),
        )
    }

    /// A sales-tax item with its rate in percent (6.25 = 6.25%).
    pub fn add_sales_tax_item(&mut self, name: &str, rate_percent: Decimal) -> String {
        self.insert_item(
            name,
            None,
            ItemKind::SalesTax { rate: rate_percent },
            None,
            None,
        )
    }

    /// A sales-tax group of existing sales-tax items (by name); its rate is their sum.
    pub fn add_sales_tax_group(&mut self, name: &str, members: &[&str]) -> String {
        let members = members
            .iter()
            .filter_map(|m| self.item_id_by_full_name(m))
            .collect();
        self.insert_item(name, None, ItemKind::SalesTaxGroup { members }, None, None)
    }

    /// The default sales-tax item used when neither the invoice nor the customer names one.
    pub fn set_default_sales_tax_item(&mut self, name: &str) -> bool {
        match self.item_id_by_full_name(name) {
            Some(id) => {
                self.prefs.default_item_sales_tax = Some(id);
                true
            }
            None => false,
        }
    }

    /// Preference: Sales Tax on/off (off: no tax on any new invoice).
    pub fn set_sales_tax_enabled(&mut self, on: bool) {
        self.prefs.sales_tax = on;
    }

    /// Preference: Jobs & Estimates "Do you create estimates?" (off: EstimateAdd → 3250).
    pub fn set_estimates_enabled(&mut self, on: bool) {
        self.prefs.estimates = on;
    }

    /// A payment "entered in QuickBooks" by the user, applied to invoices by TxnID.
    /// Returns its TxnID, or QuickBooks' status when it would refuse the payment.
    pub fn add_payment(
        &mut self,
        customer_full_name: &str,
        total: Decimal,
        applied: &[(&str, Decimal)],
        ref_number: Option<&str>,
    ) -> Result<String, Status> {
        self.clock.tick();
        let Some(customer) = self.customer_id_by_full_name(customer_full_name) else {
            return Err(Status::bad_reference(
                "Customer",
                customer_full_name,
                "ReceivePayment",
            ));
        };
        let applied: Vec<Applied> = applied
            .iter()
            .map(|(txn_id, amount)| Applied {
                txn_id: txn_id.to_string(),
                amount: *amount,
            })
            .collect();
        let method = self
            .payment_methods
            .iter()
            .find(|m| m.name == "Check")
            .map(|m| m.core.list_id.clone());
        let date = self.now().date_naive();
        txns::insert_payment(
            self,
            customer,
            date,
            ref_number.map(str::to_string),
            total,
            method,
            None,
            applied,
            None,
        )
        .map(|p| p.core.txn_id.clone())
    }

    /// Deletes a list object (customer/job, item, payment method...) as the user would.
    /// QuickBooks refuses when it is used: a customer with jobs or transactions, an item on
    /// a transaction line. Recorded for ListDeletedQuery.
    pub fn delete_list_object(&mut self, list_id: &str) -> Result<(), Status> {
        self.clock.tick();
        deleted::delete_list(self, list_id).map(|_| ())
    }

    /// Deletes a transaction; a payment's applications are undone first. An invoice with
    /// payments applied is refused, as QuickBooks does. Recorded for TxnDeletedQuery.
    pub fn delete_txn(&mut self, txn_id: &str) -> Result<(), Status> {
        self.clock.tick();
        deleted::delete_txn(self, txn_id).map(|_| ())
    }

    /// Queues a one-shot lock fault for the next matching add/mod/del request.
    pub fn inject_lock_fault(&mut self, request: Option<&str>, code: LockCode) {
        self.lock_faults.push_back(LockFault {
            request: request.map(str::to_string),
            code,
        });
    }

    /// Every add/mod/del request fails with 3180 or 3175 with probability `per_mille`/1000
    /// (seeded: the same seed fails the same requests).
    pub fn set_transient_fault_rate(&mut self, per_mille: u32) {
        self.transient_per_mille = per_mille;
    }

    pub fn advance_clock(&mut self, by: Duration) {
        self.clock.advance(by);
    }

    /// QuickBooks' time offsets can be wrong around daylight-saving changes (qbwc-notes):
    /// from now on every FromModifiedDate filter applies `skew` later than asked, so records
    /// modified in the first `skew` of a window are not returned. Zero turns it off.
    pub fn set_modified_filter_skew(&mut self, skew: Duration) {
        self.modified_filter_skew = skew;
    }

    /// Sets the simulated time (and with it the offset new times are stamped with).
    pub fn set_clock(&mut self, now: DateTime<FixedOffset>) {
        self.clock.set_now(now);
    }

    /// The company's current time, formatted as QuickBooks does.
    pub fn now_text(&self) -> String {
        format_datetime(&self.now())
    }

    /// The Web Connector's strHCPResponse for this company: HostQuery, CompanyQuery and
    /// PreferencesQuery answers (requestIDs 0, 1, 2), modelled on a real QuickBooks Pro one.
    pub fn hcp_response(&self) -> String {
        hcp::hcp_response(self)
    }

    /// Stores the Web Connector's FileID data extension (shown in CompanyQueryRs).
    pub fn set_file_id(&mut self, file_id: &str) {
        self.config.file_id = Some(file_id.to_string());
    }

    pub fn company_file(&self) -> &str {
        &self.config.company_file
    }

    /// A Web Connector session ended: QuickBooks drops its iterators.
    pub fn end_session(&mut self) {
        self.iterators.clear();
    }
}
