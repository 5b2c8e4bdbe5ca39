//! Vendors and what is bought from them: VendorAdd, BillAdd, CheckAdd, CreditCardChargeAdd
//! (and their Rets for the queries), with QuickBooks' rules that FieldBridge relies on:
//! names are unique across vendors and customers (3100), every reference must resolve (3140),
//! a check is drawn on a Bank account and a charge on a CreditCard account, an expense line
//! cannot post to a non-posting account, billable lines need a customer or job, and an
//! ExternalGUID is kept and returned (error recovery).
//!
//! Owns: the vendor and purchase handlers and Ret writers, and the test-facing inspection of
//! purchases (totals by account). Does not own: queries (query.rs selects, these write).

use rust_decimal::Decimal;

use super::lists::bool_text;
use super::model::*;
use super::{date_of, decimal_of, malformed, ref_parts, Answer, Company, Handled};
use crate::clock::format_datetime;
use crate::status::Status;
use crate::xml::Element;

/// Which transaction a purchase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurchaseKind {
    Bill,
    Check,
    CreditCardCharge,
}

impl PurchaseKind {
    pub fn object_name(self) -> &'static str {
        match self {
            PurchaseKind::Bill => "Bill",
            PurchaseKind::Check => "Check",
            PurchaseKind::CreditCardCharge => "CreditCardCharge",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Vendor {
    pub core: ListCore,
    pub name: String,
    pub is_active: bool,
    pub company_name: Option<String>,
    pub address: Option<Element>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub external_guid: Option<String>,
}

/// One expense line as QuickBooks keeps it.
#[derive(Debug, Clone)]
pub struct ExpenseLine {
    pub txn_line_id: String,
    pub account: String,
    pub amount: Decimal,
    pub memo: Option<String>,
    pub customer: Option<String>,
    pub billable: Option<String>,
}

/// A bill, check or credit-card charge.
#[derive(Debug, Clone)]
pub struct Purchase {
    pub core: TxnCore,
    pub kind: PurchaseKind,
    /// The vendor (VendorRef / PayeeEntityRef).
    pub vendor: Option<String>,
    /// Bills: the A/P account; checks and charges: the bank or card account.
    pub account: String,
    pub txn_date: chrono::NaiveDate,
    pub due_date: Option<chrono::NaiveDate>,
    pub ref_number: Option<String>,
    pub memo: Option<String>,
    pub external_guid: Option<String>,
    pub lines: Vec<ExpenseLine>,
    /// Bills: paid in full (Pay Bills; the test API's `pay_bill`).
    pub paid: bool,
}

impl Purchase {
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

/// Account types an expense line may not post to.
const NO_LINES: [&str; 3] = ["NonPosting", "AccountsPayable", "AccountsReceivable"];

impl Company {
    pub(crate) fn vendor_name_taken(&self, name: &str) -> bool {
        let name = name.trim();
        self.vendors
            .iter()
            .any(|v| v.name.eq_ignore_ascii_case(name))
    }

    pub(crate) fn resolve_vendor(&self, r: &Element) -> Option<String> {
        let (list_id, full_name, _) = ref_parts(r);
        self.vendors
            .iter()
            .find(|v| match (list_id, full_name) {
                (Some(id), _) => v.core.list_id == id,
                (None, Some(name)) => v.name.eq_ignore_ascii_case(name),
                (None, None) => false,
            })
            .map(|v| v.core.list_id.clone())
    }

    pub(crate) fn vendor_ref(&self, element: &str, id: &str) -> Element {
        let name = self
            .vendors
            .iter()
            .find(|v| v.core.list_id == id)
            .map(|v| v.name.as_str())
            .unwrap_or("");
        super::ref_element(element, id, name)
    }

    pub(crate) fn account_type_of(&self, id: &str) -> Option<&'static str> {
        self.accounts
            .iter()
            .find(|a| a.core.list_id == id)
            .map(|a| a.account_type)
    }

    fn account_name(&self, id: &str) -> String {
        self.accounts
            .iter()
            .find(|a| a.core.list_id == id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    }

    // ------------------------------------------------------------ test API: inspection

    /// How many vendors QuickBooks has with this name (case-insensitive).
    pub fn count_vendors_named(&self, name: &str) -> usize {
        self.vendors
            .iter()
            .filter(|v| v.name.eq_ignore_ascii_case(name))
            .count()
    }

    /// Adds a vendor "entered in QuickBooks"; returns its ListID (None when the name is
    /// taken by a vendor or a customer).
    pub fn add_vendor(&mut self, name: &str) -> Option<String> {
        if self.vendor_name_taken(name) || self.customer_id_by_full_name(name).is_some() {
            return None;
        }
        self.clock.tick();
        let core = self.new_list_core();
        let id = core.list_id.clone();
        self.vendors.push(Vendor {
            core,
            name: name.to_string(),
            is_active: true,
            company_name: None,
            address: None,
            phone: None,
            email: None,
            external_guid: None,
        });
        Some(id)
    }

    /// How many bills, checks or credit-card charges QuickBooks has.
    pub fn purchase_count(&self, kind: PurchaseKind) -> usize {
        self.purchases.iter().filter(|p| p.kind == kind).count()
    }

    /// Every purchase (bills, checks, charges) in the order they were saved.
    pub fn purchases(&self) -> &[Purchase] {
        &self.purchases
    }

    /// The sum of the expense lines posted to each account (by the account's name), over
    /// every bill, check and charge.
    pub fn expense_totals_by_account(&self) -> std::collections::BTreeMap<String, Decimal> {
        let mut out = std::collections::BTreeMap::new();
        for p in &self.purchases {
            for l in &p.lines {
                *out.entry(self.account_name(&l.account))
                    .or_insert(Decimal::ZERO) += l.amount;
            }
        }
        out
    }

    /// The amount drawn on each bank or card account (checks and charges), and owed on
    /// each A/P account (bills), by the account's name.
    pub fn purchase_totals_by_paying_account(&self) -> std::collections::BTreeMap<String, Decimal> {
        let mut out = std::collections::BTreeMap::new();
        for p in &self.purchases {
            *out.entry(self.account_name(&p.account))
                .or_insert(Decimal::ZERO) += p.total();
        }
        out
    }

    /// How many purchases carry this ExternalGUID (as written in the request).
    pub fn count_purchases_with_guid(&self, guid: &str) -> usize {
        self.purchases
            .iter()
            .filter(|p| {
                p.external_guid
                    .as_deref()
                    .is_some_and(|g| g.eq_ignore_ascii_case(guid))
            })
            .count()
    }
}

/// VendorAdd: Name unique among vendors and customers (QuickBooks' one name list).
pub(crate) fn vendor_add(c: &mut Company, rq: &Element) -> Handled {
    let body = rq
        .first("VendorAdd")
        .ok_or_else(|| malformed(rq, "<VendorAdd>"))?;
    let name = body
        .text_of("Name")
        .ok_or_else(|| malformed(rq, "<Name>"))?
        .trim()
        .to_string();
    if c.vendor_name_taken(&name) || c.customer_id_by_full_name(&name).is_some() {
        return Ok(Answer::status(Status::name_in_use(&name)));
    }
    let core = c.new_list_core();
    let id = core.list_id.clone();
    c.vendors.push(Vendor {
        core,
        name,
        is_active: super::bool_of(body, "IsActive").unwrap_or(true),
        company_name: body.text_of("CompanyName").map(str::to_string),
        address: body.first("VendorAddress").cloned(),
        phone: body.text_of("Phone").map(str::to_string),
        email: body.text_of("Email").map(str::to_string),
        external_guid: body.text_of("ExternalGUID").map(str::to_string),
    });
    Ok(Answer::ok(super::query::restrict(vendor_ret(c, &id), rq)))
}

/// VendorRet in qbXML 13.0 order.
pub(crate) fn vendor_ret(c: &Company, id: &str) -> Element {
    let mut out = Element::new("VendorRet");
    let Some(v) = c.vendors.iter().find(|v| v.core.list_id == id) else {
        return out;
    };
    out.push_leaf("ListID", v.core.list_id.clone());
    out.push_leaf("TimeCreated", format_datetime(&v.core.created));
    out.push_leaf("TimeModified", format_datetime(&v.core.modified));
    out.push_leaf("EditSequence", v.core.edit_sequence.to_string());
    out.push_leaf("Name", v.name.clone());
    out.push_leaf("IsActive", bool_text(v.is_active));
    out.push_opt("CompanyName", v.company_name.as_deref());
    if let Some(a) = &v.address {
        out.push(a.clone());
    }
    out.push_opt("Phone", v.phone.as_deref());
    out.push_opt("Email", v.email.as_deref());
    let owed: Decimal = c
        .purchases
        .iter()
        .filter(|p| p.kind == PurchaseKind::Bill && p.vendor.as_deref() == Some(id))
        .map(Purchase::total)
        .sum();
    out.push_leaf("Balance", format!("{:.2}", owed));
    out.push_opt("ExternalGUID", v.external_guid.as_deref());
    out
}

/// BillAdd, CheckAdd or CreditCardChargeAdd.
pub(crate) fn purchase_add(c: &mut Company, rq: &Element, kind: PurchaseKind) -> Handled {
    let object = kind.object_name();
    let body = rq
        .first(&format!("{object}Add"))
        .ok_or_else(|| malformed(rq, &format!("<{object}Add>")))?;
    let bad_ref = |what: &str, r: &Element| {
        Ok(Answer::status(Status::bad_reference(
            what,
            &ref_parts(r).2,
            object,
        )))
    };
    let vendor_element = match kind {
        PurchaseKind::Bill => Some(
            body.first("VendorRef")
                .ok_or_else(|| malformed(rq, "<VendorRef>"))?,
        ),
        _ => body.first("PayeeEntityRef"),
    };
    let vendor = match vendor_element {
        Some(r) => match c.resolve_vendor(r) {
            Some(id) => Some(id),
            None => return bad_ref("Vendor", r),
        },
        None => None,
    };
    let account = match kind {
        PurchaseKind::Bill => match body.first("APAccountRef") {
            Some(r) => match c.resolve_account(r) {
                Some(id) if c.account_type_of(&id) == Some("AccountsPayable") => id,
                _ => return bad_ref("Account", r),
            },
            None => match c.special_account("AccountsPayable") {
                Some(id) => id,
                None => {
                    return Ok(Answer::status(Status::invalid_field(
                        "APAccountRef",
                        "",
                        "There is no Accounts Payable account.",
                    )))
                }
            },
        },
        PurchaseKind::Check | PurchaseKind::CreditCardCharge => {
            let r = body
                .first("AccountRef")
                .ok_or_else(|| malformed(rq, "<AccountRef>"))?;
            let wanted = if kind == PurchaseKind::Check {
                "Bank"
            } else {
                "CreditCard"
            };
            match c.resolve_account(r) {
                Some(id) if c.account_type_of(&id) == Some(wanted) => id,
                _ => return bad_ref("Account", r),
            }
        }
    };
    let mut lines = Vec::new();
    for l in body.all("ExpenseLineAdd") {
        match expense_line(c, rq, l, object)? {
            Ok(line) => lines.push(line),
            Err(status) => return Ok(Answer::status(status)),
        }
    }
    let txn_date = date_of(rq, body, "TxnDate")?.unwrap_or_else(|| c.now().date_naive());
    let due_date = date_of(rq, body, "DueDate")?;
    let core = c.new_txn_core();
    for l in &mut lines {
        l.txn_line_id = c.new_txn_id();
    }
    let id = core.txn_id.clone();
    c.purchases.push(Purchase {
        core,
        kind,
        vendor,
        account,
        txn_date,
        due_date,
        ref_number: body.text_of("RefNumber").map(str::to_string),
        memo: body.text_of("Memo").map(str::to_string),
        external_guid: body.text_of("ExternalGUID").map(str::to_string),
        lines,
        paid: false,
    });
    Ok(Answer::ok(purchase_ret(c, &id, true)))
}

/// One `ExpenseLineAdd` or `ExpenseLineMod` (its TxnLineID is the caller's): every reference
/// resolves, the account takes expense lines, a billable line names a customer or job.
pub(crate) fn expense_line(
    c: &Company,
    rq: &Element,
    l: &Element,
    object: &str,
) -> Result<Result<ExpenseLine, Status>, crate::company::CompanyError> {
    let bad_ref =
        |what: &str, r: &Element| Ok(Err(Status::bad_reference(what, &ref_parts(r).2, object)));
    let r = l
        .first("AccountRef")
        .ok_or_else(|| malformed(rq, &format!("<AccountRef> in <{}>", l.name)))?;
    let line_account = match c.resolve_account(r) {
        Some(id)
            if !c
                .account_type_of(&id)
                .is_some_and(|t| NO_LINES.contains(&t)) =>
        {
            id
        }
        _ => return bad_ref("Account", r),
    };
    let customer = match l.first("CustomerRef") {
        Some(r) => match c.resolve_customer(r) {
            Some(id) => Some(id),
            None => return bad_ref("Customer", r),
        },
        None => None,
    };
    let billable = l.text_of("BillableStatus").map(str::to_string);
    if billable.as_deref() == Some("Billable") && customer.is_none() {
        return Ok(Err(Status::invalid_field(
            "BillableStatus",
            "Billable",
            "A billable expense needs a customer or job.",
        )));
    }
    let amount = decimal_of(rq, l, "Amount")?.unwrap_or(Decimal::ZERO);
    Ok(Ok(ExpenseLine {
        txn_line_id: String::new(),
        account: line_account,
        amount,
        memo: l.text_of("Memo").map(str::to_string),
        customer,
        billable,
    }))
}

fn push_lines(c: &Company, out: &mut Element, p: &Purchase, lines: bool) {
    if !lines {
        return;
    }
    for l in &p.lines {
        let mut e = Element::new("ExpenseLineRet");
        e.push_leaf("TxnLineID", l.txn_line_id.clone());
        e.push(c.account_ref("AccountRef", &l.account));
        e.push_leaf("Amount", format!("{:.2}", l.amount));
        e.push_opt("Memo", l.memo.as_deref());
        if let Some(cu) = &l.customer {
            e.push(c.customer_ref("CustomerRef", cu));
        }
        e.push_opt("BillableStatus", l.billable.as_deref());
        out.push(e);
    }
}

/// BillRet / CheckRet / CreditCardChargeRet in qbXML 13.0 order; the expense lines when
/// `lines` (an add's or mod's answer, a query with IncludeLineItems).
pub(crate) fn purchase_ret(c: &Company, id: &str, lines: bool) -> Element {
    let Some(p) = c.purchases.iter().find(|p| p.core.txn_id == id) else {
        return Element::new("BillRet");
    };
    let mut out = Element::new(format!("{}Ret", p.kind.object_name()));
    out.push_leaf("TxnID", p.core.txn_id.clone());
    out.push_leaf("TimeCreated", format_datetime(&p.core.created));
    out.push_leaf("TimeModified", format_datetime(&p.core.modified));
    out.push_leaf("EditSequence", p.core.edit_sequence.to_string());
    out.push_leaf("TxnNumber", p.core.txn_number.to_string());
    let total = format!("{:.2}", p.total());
    let date = p.txn_date.format("%Y-%m-%d").to_string();
    match p.kind {
        PurchaseKind::Bill => {
            if let Some(v) = &p.vendor {
                out.push(c.vendor_ref("VendorRef", v));
            }
            out.push(c.account_ref("APAccountRef", &p.account));
            out.push_leaf("TxnDate", date);
            if let Some(d) = p.due_date {
                out.push_leaf("DueDate", d.format("%Y-%m-%d").to_string());
            }
            out.push_leaf("AmountDue", total.clone());
            out.push_opt("RefNumber", p.ref_number.as_deref());
            out.push_opt("Memo", p.memo.as_deref());
            out.push_leaf("IsPaid", bool_text(p.paid));
            out.push_opt("ExternalGUID", p.external_guid.as_deref());
            push_lines(c, &mut out, p, lines);
            let open = if p.paid { Decimal::ZERO } else { p.total() };
            out.push_leaf("OpenAmount", format!("{:.2}", open));
        }
        PurchaseKind::Check => {
            out.push(c.account_ref("AccountRef", &p.account));
            if let Some(v) = &p.vendor {
                out.push(c.vendor_ref("PayeeEntityRef", v));
            }
            out.push_opt("RefNumber", p.ref_number.as_deref());
            out.push_leaf("TxnDate", date);
            out.push_leaf("Amount", total);
            out.push_opt("Memo", p.memo.as_deref());
            out.push_leaf("IsToBePrinted", "false");
            out.push_opt("ExternalGUID", p.external_guid.as_deref());
            push_lines(c, &mut out, p, lines);
        }
        PurchaseKind::CreditCardCharge => {
            out.push(c.account_ref("AccountRef", &p.account));
            if let Some(v) = &p.vendor {
                out.push(c.vendor_ref("PayeeEntityRef", v));
            }
            out.push_leaf("TxnDate", date);
            out.push_leaf("Amount", total);
            out.push_opt("RefNumber", p.ref_number.as_deref());
            out.push_opt("Memo", p.memo.as_deref());
            out.push_opt("ExternalGUID", p.external_guid.as_deref());
            push_lines(c, &mut out, p, lines);
        }
    }
    out
}
