//! The fields FieldBridge owns on a QuickBooks record, as one [`Owned`] snapshot: read from
//! the request about to be sent (what FieldBridge says) and from what QuickBooks returns (what
//! QuickBooks holds), in one normal form so the two compare. And which QuickBooks line each
//! of our invoice, estimate or expense lines changes ([`line_ids`]).
//!
//! Only what a request sends is owned: a field FieldBridge leaves out (`None`) is QuickBooks'
//! to keep, and a change made in QuickBooks to it is nobody's conflict.

use crate::money::Decimal;
use crate::qbxml::{
    Address, CustomerFields, CustomerRet, EstimateAdd, EstimateMod, InvoiceAdd, InvoiceMod,
    ListRef, ReceivePaymentAdd, ReceivePaymentMod, ReceivePaymentRet, RetRef, SalesLine,
    SalesLineMod, SalesLineRet, SalesTxnRet,
};
use crate::qbxml::{
    AppliedToTxn, ExpenseLine, ExpenseLineMod, ExpenseLineRet, PaymentApplication, PurchaseRet,
};
use crate::store::edits::{Owned, OwnedLine};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Field names, as people read them in a conflict.
mod key {
    pub const NAME: &str = "name";
    pub const ACTIVE: &str = "active";
    pub const COMPANY: &str = "company name";
    pub const FIRST: &str = "first name";
    pub const LAST: &str = "last name";
    pub const BILL: &str = "billing address";
    pub const SHIP: &str = "service address";
    pub const PHONE: &str = "phone";
    pub const EMAIL: &str = "email";
    pub const TAX_CODE: &str = "sales tax code";
    pub const CUSTOMER: &str = "customer";
    pub const DATE: &str = "date";
    pub const NUMBER: &str = "number";
    pub const DUE: &str = "due date";
    pub const TAX_ITEM: &str = "sales tax item";
    pub const MEMO: &str = "memo";
    pub const OPEN: &str = "open";
    pub const AMOUNT: &str = "amount";
    pub const METHOD: &str = "payment method";
    pub const APPLIED: &str = "applied to";
    pub const ITEM: &str = "item";
    pub const DESC: &str = "description";
    pub const QUANTITY: &str = "quantity";
    pub const RATE: &str = "rate";
    pub const VENDOR: &str = "vendor";
    pub const PAID_FROM: &str = "paid from";
    pub const ACCOUNT: &str = "account";
    pub const BILLABLE: &str = "billable";
}

fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn flag(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

/// A reference as sent: its ListID, or its full name (names compare without case, as
/// QuickBooks compares them).
fn list_ref(r: &ListRef) -> String {
    match r {
        ListRef::ListId(id) => id.clone(),
        ListRef::FullName(n) => n.to_lowercase(),
    }
}

fn address(a: &Address) -> String {
    [
        &a.addr1,
        &a.addr2,
        &a.addr3,
        &a.addr4,
        &a.addr5,
        &a.city,
        &a.state,
        &a.postal_code,
        &a.country,
    ]
    .into_iter()
    .flatten()
    .map(|s| s.trim())
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl Fields {
    fn set(&mut self, k: &str, v: impl Into<String>) {
        self.0.insert(k.to_owned(), v.into());
    }
    fn opt<T>(&mut self, k: &str, v: Option<T>, f: impl Fn(T) -> String) {
        if let Some(v) = v {
            self.set(k, f(v));
        }
    }
}

// ---------------------------------------------------------------- customers and jobs

/// A customer or job as a CustomerAdd or CustomerMod sends it.
pub fn customer_sent(name: Option<&str>, active: Option<bool>, c: &CustomerFields) -> Owned {
    let mut f = Fields::default();
    f.opt(key::NAME, name, str::to_owned);
    f.opt(key::ACTIVE, active, flag);
    f.opt(key::COMPANY, c.company_name.as_ref(), Clone::clone);
    f.opt(key::FIRST, c.first_name.as_ref(), Clone::clone);
    f.opt(key::LAST, c.last_name.as_ref(), Clone::clone);
    f.opt(key::BILL, c.bill_address.as_ref(), address);
    f.opt(key::SHIP, c.ship_address.as_ref(), address);
    f.opt(key::PHONE, c.phone.as_ref(), Clone::clone);
    f.opt(key::EMAIL, c.email.as_ref(), Clone::clone);
    f.opt(key::TAX_CODE, c.sales_tax_code.as_ref(), list_ref);
    Owned {
        fields: f.0,
        lines: None,
    }
}

/// A customer or job as QuickBooks holds it.
pub fn customer_held(c: &CustomerRet) -> Owned {
    let mut f = Fields::default();
    f.set(key::NAME, c.name.clone().unwrap_or_default());
    f.set(key::ACTIVE, flag(c.is_active.unwrap_or(true)));
    f.set(key::COMPANY, c.company_name.clone().unwrap_or_default());
    f.set(key::FIRST, c.first_name.clone().unwrap_or_default());
    f.set(key::LAST, c.last_name.clone().unwrap_or_default());
    f.set(
        key::BILL,
        c.bill_address.as_ref().map(address).unwrap_or_default(),
    );
    f.set(
        key::SHIP,
        c.ship_address.as_ref().map(address).unwrap_or_default(),
    );
    f.set(key::PHONE, c.phone.clone().unwrap_or_default());
    f.set(key::EMAIL, c.email.clone().unwrap_or_default());
    let code = c.sales_tax_code.as_ref().and_then(|r| r.full_name.clone());
    f.set(key::TAX_CODE, code.unwrap_or_default().to_lowercase());
    Owned {
        fields: f.0,
        lines: None,
    }
}

// ---------------------------------------------------------------- invoices and estimates

/// One line as sent.
pub fn line_sent(l: &SalesLine) -> OwnedLine {
    let mut f = Fields::default();
    f.opt(key::ITEM, l.item.as_ref(), list_ref);
    f.set(key::DESC, l.desc.clone().unwrap_or_default());
    match (l.quantity, l.rate) {
        (Some(q), Some(r)) => {
            f.set(key::QUANTITY, dec(q));
            f.set(key::RATE, dec(r));
        }
        _ => f.opt(key::AMOUNT, l.amount, dec),
    }
    f.opt(key::TAX_CODE, l.sales_tax_code.as_ref(), list_ref);
    OwnedLine {
        txn_line_id: None,
        fields: f.0,
    }
}

fn line_held(l: &SalesLineRet) -> OwnedLine {
    let mut f = Fields::default();
    let item = l.item.as_ref().and_then(|r| r.full_name.clone());
    f.set(key::ITEM, item.unwrap_or_default().to_lowercase());
    f.set(key::DESC, l.desc.clone().unwrap_or_default());
    f.opt(key::QUANTITY, l.quantity, dec);
    f.opt(key::RATE, l.rate, dec);
    f.opt(key::AMOUNT, l.amount, dec);
    let code = l.sales_tax_code.as_ref().and_then(|r| r.full_name.clone());
    f.set(key::TAX_CODE, code.unwrap_or_default().to_lowercase());
    OwnedLine {
        txn_line_id: l.txn_line_id.clone(),
        fields: f.0,
    }
}

/// The header fields an invoice or estimate sends (add or mod alike).
struct SalesHeader<'a> {
    customer: Option<&'a ListRef>,
    date: Option<NaiveDate>,
    number: Option<&'a String>,
    due: Option<NaiveDate>,
    tax_item: Option<&'a ListRef>,
    memo: Option<&'a String>,
    customer_tax_code: Option<&'a ListRef>,
    open: Option<bool>,
}

fn sales_sent(h: SalesHeader<'_>, lines: Option<Vec<OwnedLine>>) -> Owned {
    let mut f = Fields::default();
    f.opt(key::CUSTOMER, h.customer, list_ref);
    f.opt(key::DATE, h.date, date);
    f.opt(key::NUMBER, h.number, Clone::clone);
    f.opt(key::DUE, h.due, date);
    f.opt(key::TAX_ITEM, h.tax_item, list_ref);
    f.opt(key::MEMO, h.memo, Clone::clone);
    f.opt(key::TAX_CODE, h.customer_tax_code, list_ref);
    f.opt(key::OPEN, h.open, flag);
    Owned { fields: f.0, lines }
}

pub fn invoice_add_sent(r: &InvoiceAdd) -> Owned {
    sales_sent(
        SalesHeader {
            customer: Some(&r.customer),
            date: r.txn_date,
            number: r.ref_number.as_ref(),
            due: r.due_date,
            tax_item: r.item_sales_tax.as_ref(),
            memo: r.memo.as_ref(),
            customer_tax_code: r.customer_sales_tax_code.as_ref(),
            open: None,
        },
        Some(r.lines.iter().map(line_sent).collect()),
    )
}

pub fn estimate_add_sent(r: &EstimateAdd) -> Owned {
    sales_sent(
        SalesHeader {
            customer: Some(&r.customer),
            date: r.txn_date,
            number: r.ref_number.as_ref(),
            due: r.due_date,
            tax_item: r.item_sales_tax.as_ref(),
            memo: r.memo.as_ref(),
            customer_tax_code: r.customer_sales_tax_code.as_ref(),
            open: None,
        },
        Some(r.lines.iter().map(line_sent).collect()),
    )
}

/// An invoice mod's fields; `all_lines` are every line the invoice has after it (the mod
/// may leave lines out when they did not change).
pub fn invoice_mod_sent(r: &InvoiceMod, all_lines: &[SalesLine]) -> Owned {
    sales_sent(
        SalesHeader {
            customer: r.customer.as_ref(),
            date: r.txn_date,
            number: r.ref_number.as_ref(),
            due: r.due_date,
            tax_item: r.item_sales_tax.as_ref(),
            memo: r.memo.as_ref(),
            customer_tax_code: r.customer_sales_tax_code.as_ref(),
            open: None,
        },
        Some(all_lines.iter().map(line_sent).collect()),
    )
}

pub fn estimate_mod_sent(r: &EstimateMod, all_lines: &[SalesLine]) -> Owned {
    sales_sent(
        SalesHeader {
            customer: r.customer.as_ref(),
            date: r.txn_date,
            number: r.ref_number.as_ref(),
            due: r.due_date,
            tax_item: r.item_sales_tax.as_ref(),
            memo: r.memo.as_ref(),
            customer_tax_code: r.customer_sales_tax_code.as_ref(),
            open: r.is_active,
        },
        Some(all_lines.iter().map(line_sent).collect()),
    )
}

/// An invoice or estimate as QuickBooks holds it (its customer by ListID, as FieldBridge
/// sends it; the sales tax item and codes by name).
pub fn sales_held(t: &SalesTxnRet) -> Owned {
    let name = |r: Option<&RetRef>| {
        r.and_then(|r| r.full_name.clone())
            .unwrap_or_default()
            .to_lowercase()
    };
    let mut f = Fields::default();
    let customer = t.customer.as_ref().and_then(|r| r.list_id.clone());
    f.set(key::CUSTOMER, customer.unwrap_or_default());
    f.opt(key::DATE, t.txn_date, date);
    f.set(key::NUMBER, t.ref_number.clone().unwrap_or_default());
    f.opt(key::DUE, t.due_date, date);
    f.set(key::TAX_ITEM, name(t.item_sales_tax.as_ref()));
    f.set(key::MEMO, t.memo.clone().unwrap_or_default());
    f.set(key::TAX_CODE, name(t.customer_sales_tax_code.as_ref()));
    f.set(key::OPEN, flag(t.is_active.unwrap_or(true)));
    Owned {
        fields: f.0,
        lines: Some(t.lines.iter().map(line_held).collect()),
    }
}

/// `owned` with the TxnLineIDs QuickBooks gave its lines (`returned`, in the order they were
/// sent, which is the order QuickBooks keeps); unchanged when QuickBooks did not return as
/// many lines.
pub fn with_line_ids(mut owned: Owned, returned: &[Option<String>]) -> Owned {
    if let Some(lines) = owned.lines.as_mut() {
        if lines.len() == returned.len() {
            for (l, r) in lines.iter_mut().zip(returned) {
                l.txn_line_id = r.clone();
            }
        }
    }
    owned
}

/// Which QuickBooks line each of `ours` changes (`None`: a new line), given the lines
/// QuickBooks confirmed last (`base`): first every line that did not change keeps its
/// TxnLineID; then the changed lines take the remaining QuickBooks lines in order; what is
/// left of ours is new, and what is left of QuickBooks' is dropped.
pub fn line_ids(ours: &[OwnedLine], base: &[OwnedLine]) -> Vec<Option<String>> {
    let mut taken = vec![false; base.len()];
    let mut ids: Vec<Option<String>> = vec![None; ours.len()];
    for (i, o) in ours.iter().enumerate() {
        let same = base
            .iter()
            .enumerate()
            .find(|(j, b)| !taken[*j] && b.txn_line_id.is_some() && b.fields == o.fields);
        if let Some((j, b)) = same {
            taken[j] = true;
            ids[i] = b.txn_line_id.clone();
        }
    }
    let mut rest = base
        .iter()
        .enumerate()
        .filter(|(j, b)| !taken[*j] && b.txn_line_id.is_some())
        .map(|(_, b)| b.txn_line_id.clone());
    for id in ids.iter_mut().filter(|id| id.is_none()) {
        match rest.next() {
            Some(next) => *id = next,
            None => break,
        }
    }
    ids
}

/// The lines of an invoice or estimate mod: `None` when they are what QuickBooks confirmed
/// last (QuickBooks keeps its lines as they are), else every line, each on the QuickBooks
/// line it changes ([`line_ids`]).
pub fn lines_to_send(lines: &[SalesLine], base: Option<&Owned>) -> Option<Vec<SalesLineMod>> {
    let ours: Vec<OwnedLine> = lines.iter().map(line_sent).collect();
    let base_lines = base.and_then(|b| b.lines.as_deref()).unwrap_or(&[]);
    let unchanged = base.and_then(|b| b.lines.as_ref()).is_some_and(|b| {
        b.len() == ours.len() && b.iter().zip(&ours).all(|(b, o)| b.fields == o.fields)
    });
    (!unchanged).then(|| {
        line_ids(&ours, base_lines)
            .into_iter()
            .zip(lines.iter().cloned())
            .map(|(txn_line_id, line)| SalesLineMod { txn_line_id, line })
            .collect()
    })
}

/// The memo of a mod: the app's; blank when the app removed one FieldBridge sent before;
/// left out (QuickBooks' to keep) when FieldBridge never sent one.
pub fn memo_to_send(own: Option<&String>, base: Option<&Owned>) -> Option<String> {
    own.cloned().or_else(|| {
        base.is_some_and(|b| b.fields.contains_key(key::MEMO))
            .then(String::new)
    })
}

// ---------------------------------------------------------------- expenses

/// One expense line as sent (add or mod alike).
pub fn expense_line_sent(l: &ExpenseLine) -> OwnedLine {
    let mut f = Fields::default();
    f.set(key::ACCOUNT, list_ref(&l.account));
    f.set(key::AMOUNT, dec(l.amount));
    f.set(key::DESC, l.memo.clone().unwrap_or_default());
    f.opt(key::CUSTOMER, l.customer.as_ref(), list_ref);
    f.opt(key::BILLABLE, l.billable, flag);
    OwnedLine {
        txn_line_id: None,
        fields: f.0,
    }
}

fn expense_line_held(l: &ExpenseLineRet) -> OwnedLine {
    let id = |r: Option<&RetRef>| r.and_then(|r| r.list_id.clone()).unwrap_or_default();
    let mut f = Fields::default();
    f.set(key::ACCOUNT, id(l.account.as_ref()));
    f.opt(key::AMOUNT, l.amount, dec);
    f.set(key::DESC, l.memo.clone().unwrap_or_default());
    f.set(key::CUSTOMER, id(l.customer.as_ref()));
    // HasBeenBilled: billable, and already on an invoice.
    f.opt(key::BILLABLE, l.billable_status.as_deref(), |s| {
        flag(s != "NotBillable")
    });
    OwnedLine {
        txn_line_id: l.txn_line_id.clone(),
        fields: f.0,
    }
}

/// The header fields a bill, check or card charge sends (add or mod alike): the vendor by
/// ListID, the bank or card account it was paid from (checks and charges).
pub struct ExpenseHeader<'a> {
    pub vendor: Option<&'a ListRef>,
    pub paid_from: Option<&'a ListRef>,
    pub date: Option<NaiveDate>,
    pub number: Option<&'a String>,
    pub due: Option<NaiveDate>,
    pub memo: Option<&'a String>,
}

/// A bill, check or card charge as sent; `lines` are every line it has after (a mod may
/// leave them out when they did not change).
pub fn expense_sent(h: ExpenseHeader<'_>, lines: &[ExpenseLine]) -> Owned {
    let mut f = Fields::default();
    f.opt(key::VENDOR, h.vendor, list_ref);
    f.opt(key::PAID_FROM, h.paid_from, list_ref);
    f.opt(key::DATE, h.date, date);
    f.opt(key::NUMBER, h.number, Clone::clone);
    f.opt(key::DUE, h.due, date);
    f.opt(key::MEMO, h.memo, Clone::clone);
    Owned {
        fields: f.0,
        lines: Some(lines.iter().map(expense_line_sent).collect()),
    }
}

/// A bill, check or card charge as QuickBooks holds it (references by ListID, as FieldBridge
/// sends them).
pub fn expense_held(p: &PurchaseRet) -> Owned {
    let id = |r: Option<&RetRef>| r.and_then(|r| r.list_id.clone()).unwrap_or_default();
    let mut f = Fields::default();
    f.set(key::VENDOR, id(p.payee.as_ref()));
    f.set(key::PAID_FROM, id(p.account.as_ref()));
    f.opt(key::DATE, p.txn_date, date);
    f.set(key::NUMBER, p.ref_number.clone().unwrap_or_default());
    f.opt(key::DUE, p.due_date, date);
    f.set(key::MEMO, p.memo.clone().unwrap_or_default());
    Owned {
        fields: f.0,
        lines: Some(p.lines.iter().map(expense_line_held).collect()),
    }
}

/// The lines of an expense mod: `None` when they are what QuickBooks confirmed last, else
/// every line, each on the QuickBooks line it changes ([`line_ids`]).
pub fn expense_lines_to_send(
    lines: &[ExpenseLine],
    base: Option<&Owned>,
) -> Option<Vec<ExpenseLineMod>> {
    let ours: Vec<OwnedLine> = lines.iter().map(expense_line_sent).collect();
    let base_lines = base.and_then(|b| b.lines.as_deref()).unwrap_or(&[]);
    let unchanged = base.and_then(|b| b.lines.as_ref()).is_some_and(|b| {
        b.len() == ours.len() && b.iter().zip(&ours).all(|(b, o)| b.fields == o.fields)
    });
    (!unchanged).then(|| {
        line_ids(&ours, base_lines)
            .into_iter()
            .zip(lines.iter().cloned())
            .map(|(txn_line_id, line)| ExpenseLineMod { txn_line_id, line })
            .collect()
    })
}

/// A text field of a mod (e.g. a bill's number): the app's; blank when the app removed one
/// FieldBridge sent before; left out when FieldBridge never sent one.
pub fn text_to_send(own: Option<&String>, base: Option<&Owned>, field: &str) -> Option<String> {
    own.cloned().or_else(|| {
        base.is_some_and(|b| b.fields.get(field).is_some_and(|v| !v.is_empty()))
            .then(String::new)
    })
}

/// The name of the number field, for [`text_to_send`].
pub const NUMBER: &str = key::NUMBER;

// ---------------------------------------------------------------- payments

fn applied_text(applied: &[(String, Option<Decimal>)]) -> String {
    applied
        .iter()
        .map(|(id, a)| match a {
            Some(a) => format!("{id} {}", dec(*a)),
            None => id.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn applications(a: &[AppliedToTxn]) -> Vec<(String, Option<Decimal>)> {
    a.iter()
        .map(|a| (a.txn_id.clone(), a.payment_amount))
        .collect()
}

pub fn payment_add_sent(r: &ReceivePaymentAdd) -> Owned {
    let mut f = Fields::default();
    f.opt(key::DATE, r.txn_date, date);
    f.opt(key::NUMBER, r.ref_number.as_ref(), Clone::clone);
    f.opt(key::AMOUNT, r.total_amount, dec);
    f.opt(key::METHOD, r.payment_method.as_ref(), list_ref);
    if let PaymentApplication::ToTxns(a) = &r.application {
        f.set(key::APPLIED, applied_text(&applications(a)));
    }
    Owned {
        fields: f.0,
        lines: None,
    }
}

pub fn payment_mod_sent(r: &ReceivePaymentMod) -> Owned {
    let mut f = Fields::default();
    f.opt(key::DATE, r.txn_date, date);
    f.opt(key::NUMBER, r.ref_number.as_ref(), Clone::clone);
    f.opt(key::AMOUNT, r.total_amount, dec);
    f.opt(key::METHOD, r.payment_method.as_ref(), list_ref);
    if !r.applied.is_empty() {
        f.set(key::APPLIED, applied_text(&applications(&r.applied)));
    }
    Owned {
        fields: f.0,
        lines: None,
    }
}

pub fn payment_held(p: &ReceivePaymentRet) -> Owned {
    let mut f = Fields::default();
    f.opt(key::DATE, p.txn_date, date);
    f.set(key::NUMBER, p.ref_number.clone().unwrap_or_default());
    f.opt(key::AMOUNT, p.total_amount, dec);
    let method = p.payment_method.as_ref().and_then(|r| r.full_name.clone());
    f.set(key::METHOD, method.unwrap_or_default().to_lowercase());
    let applied: Vec<(String, Option<Decimal>)> = p
        .applied_to
        .iter()
        .map(|a| (a.txn_id.clone(), a.amount))
        .collect();
    f.set(key::APPLIED, applied_text(&applied));
    Owned {
        fields: f.0,
        lines: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(desc: &str, rate: &str, id: Option<&str>) -> OwnedLine {
        OwnedLine {
            txn_line_id: id.map(str::to_owned),
            fields: [
                ("description".to_owned(), desc.to_owned()),
                ("rate".to_owned(), rate.to_owned()),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn unchanged_lines_keep_their_ids_changed_ones_take_the_rest_and_new_ones_are_added() {
        let base = vec![
            line("Labor", "95", Some("L1")),
            line("Filter", "12.5", Some("L2")),
            line("Trip", "45", Some("L3")),
        ];
        // Filter removed, Labor's rate changed, Trip unchanged, a new line at the end.
        let ours = vec![
            line("Labor", "105", None),
            line("Trip", "45", None),
            line("Disposal", "20", None),
            line("Permit", "30", None),
        ];
        assert_eq!(
            line_ids(&ours, &base),
            vec![
                Some("L1".to_owned()),
                Some("L3".to_owned()),
                Some("L2".to_owned()),
                None
            ],
            "Trip keeps L3; the changed lines take L1 and L2 in order; the fourth is new"
        );
        assert_eq!(
            line_ids(&ours[..1], &base),
            vec![Some("L1".to_owned())],
            "lines QuickBooks has beyond ours are simply not listed (QuickBooks drops them)"
        );
    }

    #[test]
    fn decimals_and_names_are_compared_in_one_normal_form() {
        let sent = line_sent(&SalesLine {
            item: Some(ListRef::full_name("Labor")),
            desc: Some("Inspection".into()),
            quantity: Some("2.000".parse().unwrap()),
            rate: Some("95.00".parse().unwrap()),
            ..SalesLine::default()
        });
        let held = line_held(&SalesLineRet {
            txn_line_id: Some("L1".into()),
            item: Some(RetRef {
                list_id: Some("80-1".into()),
                full_name: Some("LABOR".into()),
            }),
            desc: Some("Inspection".into()),
            quantity: Some("2".parse().unwrap()),
            rate: Some("95".parse().unwrap()),
            amount: Some("190".parse().unwrap()),
            ..SalesLineRet::default()
        });
        let sent_owned = Owned {
            fields: BTreeMap::new(),
            lines: Some(vec![sent]),
        };
        let held_owned = Owned {
            fields: BTreeMap::new(),
            lines: Some(vec![held]),
        };
        assert!(
            sent_owned.differences(&held_owned).is_empty(),
            "2.000 × 95.00 of \"Labor\" is what QuickBooks holds as 2 × 95 of \"LABOR\""
        );
    }

    fn expense_line(account: &str, amount: &str, memo: Option<&str>) -> ExpenseLine {
        ExpenseLine {
            account: ListRef::list_id(account),
            amount: amount.parse().unwrap(),
            memo: memo.map(str::to_owned),
            customer: Some(ListRef::list_id("C-1")),
            billable: Some(true),
        }
    }

    fn ret_ref(id: &str, name: &str) -> Option<RetRef> {
        Some(RetRef {
            list_id: Some(id.into()),
            full_name: Some(name.into()),
        })
    }

    #[test]
    fn a_bill_as_sent_and_as_quickbooks_holds_it_compare_equal() {
        let lines = vec![expense_line("A-7", "84.20", Some("Filters"))];
        let number = "INV-1".to_owned();
        let vendor = ListRef::list_id("V-1");
        let sent = expense_sent(
            ExpenseHeader {
                vendor: Some(&vendor),
                paid_from: None,
                date: NaiveDate::from_ymd_opt(2026, 10, 4),
                number: Some(&number),
                due: NaiveDate::from_ymd_opt(2026, 11, 3),
                memo: None,
            },
            &lines,
        );
        let held = expense_held(&PurchaseRet {
            txn_id: "T-1".into(),
            edit_sequence: "9".into(),
            payee: ret_ref("V-1", "Acme Supply"),
            account: ret_ref("AP-1", "Accounts Payable"),
            txn_date: NaiveDate::from_ymd_opt(2026, 10, 4),
            due_date: NaiveDate::from_ymd_opt(2026, 11, 3),
            ref_number: Some("INV-1".into()),
            memo: Some("Typed in QuickBooks".into()),
            lines: vec![ExpenseLineRet {
                txn_line_id: Some("L-1".into()),
                account: ret_ref("A-7", "Job Materials"),
                amount: Some("84.2".parse().unwrap()),
                memo: Some("Filters".into()),
                customer: ret_ref("C-1", "Ecker"),
                billable_status: Some("HasBeenBilled".into()),
            }],
            ..PurchaseRet::default()
        });
        assert!(
            sent.differences(&held).is_empty(),
            "84.20 is 84.2, a billed line is billable, and the memo FieldBridge never sent and \
             the A/P account are QuickBooks' own: {:?}",
            sent.differences(&held)
        );
        let mut changed = lines.clone();
        changed[0].amount = "90".parse().unwrap();
        assert_eq!(
            Owned {
                fields: BTreeMap::new(),
                lines: Some(changed.iter().map(expense_line_sent).collect()),
            }
            .differences(&held),
            vec!["lines".to_owned()]
        );
    }

    #[test]
    fn expense_lines_go_only_when_changed_and_each_on_its_quickbooks_line() {
        let lines = vec![
            expense_line("A-7", "84.20", Some("Filters")),
            expense_line("A-8", "15", None),
        ];
        let base = Owned {
            fields: BTreeMap::new(),
            lines: Some(
                with_line_ids(
                    Owned {
                        fields: BTreeMap::new(),
                        lines: Some(lines.iter().map(expense_line_sent).collect()),
                    },
                    &[Some("L-1".into()), Some("L-2".into())],
                )
                .lines
                .unwrap(),
            ),
        };
        assert_eq!(
            expense_lines_to_send(&lines, Some(&base)),
            None,
            "unchanged lines are left to QuickBooks"
        );
        // The first line's amount changes, the second stays, a third is new.
        let mut ours = lines.clone();
        ours[0].amount = "90.00".parse().unwrap();
        ours.push(expense_line("A-8", "5", Some("Gloves")));
        let sent = expense_lines_to_send(&ours, Some(&base)).expect("lines changed");
        assert_eq!(
            sent.iter()
                .map(|l| l.txn_line_id.as_deref())
                .collect::<Vec<_>>(),
            vec![Some("L-1"), Some("L-2"), None]
        );
        assert_eq!(sent[0].line.amount, "90.00".parse().unwrap());
    }
}
