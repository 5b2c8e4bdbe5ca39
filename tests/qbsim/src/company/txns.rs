//! Transactions: InvoiceAdd and EstimateAdd (lines, subtotal, sales tax) and
//! ReceivePaymentAdd (applications, balances, over-payment).
//!
//! Owns: the money rules — line amounts, `SalesTaxTotal` = taxable lines × the sales-tax
//! item's rate, rounded to cents half away from zero, `BalanceRemaining`, `IsPaid`,
//! `UnusedPayment` — and the Ret writers for invoices, estimates and payments.
//! Does not own: selection and iterators (`query.rs`), list objects (`lists.rs`),
//! deletions (`deleted.rs`).
//! Not modelled: line groups, discount/shipping/sales-tax lines (non-US), RatePercent and
//! price levels (answered 1030), credits (SetCredit, UnusedCredits is always 0.00).

use rust_decimal::Decimal;

use super::lists::bool_text;
use super::model::*;
use super::{date_of, decimal_of, malformed, ref_parts, Answer, Company, Handled};
use crate::clock::format_datetime;
use crate::status::{Severity, Status};
use crate::xml::Element;

// InvoiceAdd fields echoed into InvoiceRet, grouped by where they sit in InvoiceRet.
const INVOICE_AFTER_CUSTOMER: &[&str] = &["ClassRef"];
const INVOICE_AFTER_AR: &[&str] = &["TemplateRef"];
const INVOICE_AFTER_REF: &[&str] = &["BillAddress", "ShipAddress"];
const INVOICE_AFTER_FLAGS: &[&str] = &["PONumber", "TermsRef"];
const INVOICE_AFTER_DUE: &[&str] = &["SalesRepRef", "FOB"];
const INVOICE_AFTER_SHIP: &[&str] = &["ShipMethodRef"];
const INVOICE_AFTER_PAID: &[&str] = &["CustomerMsgRef"];
const INVOICE_AFTER_EMAIL: &[&str] = &["IsTaxIncluded"];
const INVOICE_AFTER_TAXCODE: &[&str] = &["Other"];
const INVOICE_ECHO_FLAGS: &[&str] = &[
    "IsPending",
    "IsFinanceCharge",
    "DueDate",
    "ShipDate",
    "IsToBePrinted",
    "IsToBeEmailed",
];

const ESTIMATE_AFTER_CUSTOMER: &[&str] = &["ClassRef", "TemplateRef"];
const ESTIMATE_AFTER_REF: &[&str] = &["BillAddress", "ShipAddress"];
const ESTIMATE_AFTER_ACTIVE: &[&str] = &["PONumber", "TermsRef", "DueDate", "SalesRepRef", "FOB"];
const ESTIMATE_AFTER_MEMO: &[&str] = &["CustomerMsgRef"];
const ESTIMATE_ECHO_FLAGS: &[&str] = &["IsActive", "IsToBeEmailed"];

fn echo_names(kind: SalesKind) -> Vec<&'static str> {
    match kind {
        SalesKind::Invoice => [
            INVOICE_AFTER_CUSTOMER,
            INVOICE_AFTER_AR,
            INVOICE_AFTER_REF,
            INVOICE_AFTER_FLAGS,
            INVOICE_AFTER_DUE,
            INVOICE_AFTER_SHIP,
            INVOICE_AFTER_PAID,
            INVOICE_AFTER_EMAIL,
            INVOICE_AFTER_TAXCODE,
            INVOICE_ECHO_FLAGS,
        ]
        .concat(),
        SalesKind::Estimate => [
            ESTIMATE_AFTER_CUSTOMER,
            ESTIMATE_AFTER_REF,
            ESTIMATE_AFTER_ACTIVE,
            ESTIMATE_AFTER_MEMO,
            INVOICE_AFTER_EMAIL,
            INVOICE_AFTER_TAXCODE,
            ESTIMATE_ECHO_FLAGS,
        ]
        .concat(),
    }
}

/// InvoiceAdd / EstimateAdd.
pub(crate) fn sales_add(c: &mut Company, rq: &Element, kind: SalesKind) -> Handled {
    let object = kind.object_name();
    let body = rq
        .first(&format!("{object}Add"))
        .ok_or_else(|| malformed(rq, &format!("<{object}Add>")))?;
    let customer_ref = body
        .first("CustomerRef")
        .ok_or_else(|| malformed(rq, "<CustomerRef>"))?;
    let Some(customer) = c.resolve_customer(customer_ref) else {
        return Ok(Answer::status(Status::bad_reference(
            "Customer",
            &ref_parts(customer_ref).2,
            object,
        )));
    };
    if let Some(refused) = super::person::refuse_inactive_customer(c, &customer, object) {
        return Ok(Answer::status(refused));
    }
    for unsupported in [
        "InvoiceLineGroupAdd",
        "EstimateLineGroupAdd",
        "DiscountLineAdd",
        "SalesTaxLineAdd",
        "ShippingLineAdd",
        "SetCredit",
    ] {
        if body.first(unsupported).is_some() {
            return Ok(Answer::status(Status::unsupported(unsupported)));
        }
    }
    let ar_account = match (kind, body.first("ARAccountRef")) {
        (SalesKind::Invoice, Some(r)) => match c.resolve_account(r) {
            Some(id) => Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "Account",
                    &ref_parts(r).2,
                    object,
                )))
            }
        },
        (SalesKind::Invoice, None) => c.special_account("AccountsReceivable"),
        (SalesKind::Estimate, _) => None,
    };
    let txn_date = date_of(rq, body, "TxnDate")?.unwrap_or_else(|| c.now().date_naive());
    let customer_record = c.customer_by_id(&customer).cloned();
    // Sales tax item: the one on the form, else the customer's, else the company default.
    let mut item_sales_tax = None;
    if c.prefs.sales_tax {
        item_sales_tax = match body.first("ItemSalesTaxRef") {
            Some(r) => match c.resolve_item(r).filter(|id| c.item_tax_rate(id).is_some()) {
                Some(id) => Some(id),
                None => {
                    return Ok(Answer::status(Status::bad_reference(
                        "ItemSalesTax",
                        &ref_parts(r).2,
                        object,
                    )))
                }
            },
            None => customer_record
                .as_ref()
                .and_then(|cu| cu.item_sales_tax.clone())
                .or_else(|| c.prefs.default_item_sales_tax.clone()),
        };
    }
    let customer_sales_tax_code = match body.first("CustomerSalesTaxCodeRef") {
        Some(r) => match c.resolve_tax_code(r) {
            Some(id) => Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "SalesTaxCode",
                    &ref_parts(r).2,
                    object,
                )))
            }
        },
        None if c.prefs.sales_tax => customer_record
            .as_ref()
            .and_then(|cu| cu.sales_tax_code.clone()),
        None => None,
    };
    let line_name = format!("{object}LineAdd");
    let mut lines: Vec<SalesLine> = Vec::new();
    for line in body.all(&line_name) {
        match build_line(c, rq, line, object)? {
            Ok(l) => lines.push(l),
            Err(status) => return Ok(Answer::status(status)),
        }
    }
    if kind == SalesKind::Invoice {
        // LinkToTxnID: the linked estimates' lines come into the invoice (mods.rs).
        if let Err(status) = super::mods::link_estimates(c, body, &mut lines) {
            return Ok(Answer::status(status));
        }
    }
    let (subtotal, tax_percent, tax_total) = match totals(
        c,
        &lines,
        item_sales_tax.as_ref(),
        customer_sales_tax_code.as_ref(),
    ) {
        Ok(t) => t,
        Err(status) => return Ok(Answer::status(status)),
    };
    let ref_number = match body.text_of("RefNumber") {
        Some(r) => {
            c.note_ref_number(object, r);
            Some(r.to_string())
        }
        None => Some(c.next_ref_number(object)),
    };
    let echo = echo_names(kind);
    let extra = body
        .children
        .iter()
        .filter(|e| echo.contains(&e.name.as_str()))
        .cloned()
        .collect();
    let core = c.new_txn_core();
    for l in &mut lines {
        l.txn_line_id = c.new_txn_id();
    }
    let id = core.txn_id.clone();
    c.sales.push(SalesTxn {
        kind,
        core,
        customer,
        ar_account,
        txn_date,
        ref_number,
        item_sales_tax,
        tax_percent,
        subtotal,
        tax_total,
        memo: body.text_of("Memo").map(str::to_string),
        customer_sales_tax_code,
        external_guid: body.text_of("ExternalGUID").map(str::to_string),
        lines,
        extra,
        applied: Decimal::ZERO,
    });
    Ok(Answer::ok(super::query::restrict(
        sales_ret(c, &id, true, false),
        rq,
    )))
}

/// Subtotal, sales tax percentage and sales tax total of a transaction's lines, as
/// QuickBooks computes them (also after a mod).
pub(crate) fn totals(
    c: &Company,
    lines: &[SalesLine],
    item_sales_tax: Option<&String>,
    customer_sales_tax_code: Option<&String>,
) -> Result<(Decimal, Decimal, Decimal), Status> {
    let tax_percent = item_sales_tax
        .and_then(|id| c.item_tax_rate(id))
        .unwrap_or(Decimal::ZERO);
    let too_large = || Status::invalid_field("Amount", "", "The transaction total is too large.");
    let Some(subtotal) = lines
        .iter()
        .try_fold(Decimal::ZERO, |acc, l| acc.checked_add(l.amount))
    else {
        return Err(too_large());
    };
    // The customer's sales tax code on the transaction (sent, else the customer's own) wins
    // over the lines' codes: a non-taxable one means no line is taxed, whatever the line
    // says (QuickBooks Desktop US: "Customer Tax Code" on the form). A taxable or absent one
    // leaves each line's own code to decide.
    let customer_exempt = customer_sales_tax_code.is_some_and(|t| !c.tax_code_is_taxable(t));
    let Some(taxable) = lines
        .iter()
        .filter(|l| {
            !customer_exempt
                && l.sales_tax_code
                    .as_ref()
                    .is_some_and(|t| c.tax_code_is_taxable(t))
        })
        .try_fold(Decimal::ZERO, |acc, l| acc.checked_add(l.amount))
    else {
        return Err(too_large());
    };
    // QuickBooks computes the tax on the taxable subtotal and rounds to cents, half away
    // from zero.
    let tax_total = taxable
        .checked_mul(tax_percent)
        .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
        .map(round_cents);
    let Some(tax_total) = tax_total.filter(|t| subtotal.checked_add(*t).is_some()) else {
        return Err(too_large());
    };
    Ok((subtotal, tax_percent, tax_total))
}

/// One InvoiceLineAdd / EstimateLineAdd (or a line of a mod: the same elements after its
/// TxnLineID). Outer error: malformed document; inner: a status.
pub(crate) fn build_line(
    c: &Company,
    rq: &Element,
    line: &Element,
    owner: &str,
) -> Result<Result<SalesLine, Status>, super::CompanyError> {
    for unsupported in [
        "RatePercent",
        "PriceLevelRef",
        "MarkupRate",
        "MarkupRatePercent",
    ] {
        if line.first(unsupported).is_some() {
            return Ok(Err(Status::unsupported(unsupported)));
        }
    }
    let item = match line.first("ItemRef") {
        Some(r) => match c.resolve_item(r) {
            Some(id) => Some(id),
            None => return Ok(Err(Status::bad_reference("Item", &ref_parts(r).2, owner))),
        },
        None => None,
    };
    let item_record = item.as_ref().and_then(|id| c.item(id));
    if item
        .as_ref()
        .is_some_and(|id| c.item_tax_rate(id).is_some())
    {
        // A sales-tax item on a line charges a percentage of the lines above it; qbsim
        // does not model that.
        return Ok(Err(Status::unsupported(
            "sales-tax items on transaction lines",
        )));
    }
    let quantity = decimal_of(rq, line, "Quantity")?;
    let mut rate = decimal_of(rq, line, "Rate")?;
    let given_amount = decimal_of(rq, line, "Amount")?;
    if rate.is_none() && given_amount.is_none() {
        rate = item_record.and_then(|i| i.price);
    }
    let amount = match (given_amount, rate) {
        (Some(a), _) => a,
        (None, Some(r)) => match quantity.unwrap_or(Decimal::ONE).checked_mul(r) {
            Some(v) => round_cents(v),
            None => {
                return Ok(Err(Status::invalid_field(
                    "Quantity",
                    &format_quantity(quantity.unwrap_or(Decimal::ONE)),
                    "The amount is too large.",
                )))
            }
        },
        (None, None) => Decimal::ZERO,
    };
    if !amount_fits(amount) {
        return Ok(Err(Status::invalid_field(
            "Amount",
            &amount.to_string(),
            "The amount is too large.",
        )));
    }
    if rate.is_none() {
        if let Some(q) = quantity.filter(|q| !q.is_zero()) {
            rate = amount.checked_div(q);
        }
    }
    if let Some(a) = given_amount {
        if a.scale() > 2 && round_cents(a) != a {
            return Ok(Err(Status::invalid_field(
                "Amount",
                &a.to_string(),
                "The amount has more than two decimal places.",
            )));
        }
    }
    let sales_tax_code = if c.prefs.sales_tax {
        match line.first("SalesTaxCodeRef") {
            Some(r) => match c.resolve_tax_code(r) {
                Some(id) => Some(id),
                None => {
                    return Ok(Err(Status::bad_reference(
                        "SalesTaxCode",
                        &ref_parts(r).2,
                        owner,
                    )))
                }
            },
            None => item_record.and_then(|i| i.sales_tax_code.clone()),
        }
    } else {
        None
    };
    Ok(Ok(SalesLine {
        txn_line_id: String::new(),
        desc: line
            .text_of("Desc")
            .map(str::to_string)
            .or_else(|| item_record.and_then(|i| i.desc.clone())),
        item,
        quantity,
        rate,
        amount,
        sales_tax_code,
    }))
}

fn push_echoed(out: &mut Element, extra: &[Element], names: &[&str]) {
    for name in names {
        for e in extra.iter().filter(|e| e.name == *name) {
            out.push(e.clone());
        }
    }
}

fn echoed_or(out: &mut Element, extra: &[Element], name: &str, default: &str) {
    match extra.iter().find(|e| e.name == name) {
        Some(e) => out.push(e.clone()),
        None => out.push_leaf(name, default),
    }
}

pub(crate) fn push_txn_core(out: &mut Element, core: &TxnCore) {
    out.push_leaf("TxnID", core.txn_id.clone());
    out.push_leaf("TimeCreated", format_datetime(&core.created));
    out.push_leaf("TimeModified", format_datetime(&core.modified));
    out.push_leaf("EditSequence", core.edit_sequence.to_string());
    out.push_leaf("TxnNumber", core.txn_number.to_string());
}

/// InvoiceRet / EstimateRet in qbXML 13.0 order.
pub(crate) fn sales_ret(
    c: &Company,
    id: &str,
    include_lines: bool,
    include_linked: bool,
) -> Element {
    let Some(s) = c.sales.iter().find(|s| s.core.txn_id == id) else {
        return Element::new("InvoiceRet");
    };
    let object = s.kind.object_name();
    let mut out = Element::new(format!("{object}Ret"));
    push_txn_core(&mut out, &s.core);
    out.push(c.customer_ref("CustomerRef", &s.customer));
    let date = s.txn_date.format("%Y-%m-%d").to_string();
    match s.kind {
        SalesKind::Invoice => {
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_CUSTOMER);
            if let Some(a) = &s.ar_account {
                out.push(c.account_ref("ARAccountRef", a));
            }
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_AR);
            out.push_leaf("TxnDate", date.clone());
            out.push_opt("RefNumber", s.ref_number.as_deref());
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_REF);
            echoed_or(&mut out, &s.extra, "IsPending", "false");
            echoed_or(&mut out, &s.extra, "IsFinanceCharge", "false");
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_FLAGS);
            echoed_or(&mut out, &s.extra, "DueDate", &date);
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_DUE);
            echoed_or(&mut out, &s.extra, "ShipDate", &date);
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_SHIP);
            push_tax_data(c, &mut out, s);
            out.push_leaf("AppliedAmount", format_amount(-s.applied));
            out.push_leaf("BalanceRemaining", format_amount(s.balance()));
            out.push_opt("Memo", s.memo.as_deref());
            out.push_leaf("IsPaid", bool_text(s.balance() <= Decimal::ZERO));
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_PAID);
            echoed_or(&mut out, &s.extra, "IsToBePrinted", "true");
            echoed_or(&mut out, &s.extra, "IsToBeEmailed", "false");
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_EMAIL);
            if let Some(t) = &s.customer_sales_tax_code {
                out.push(c.tax_code_ref("CustomerSalesTaxCodeRef", t));
            }
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_TAXCODE);
            out.push_opt("ExternalGUID", s.external_guid.as_deref());
            if include_linked {
                for p in c.payments.iter() {
                    for a in p.applied.iter().filter(|a| a.txn_id == s.core.txn_id) {
                        let mut linked = Element::new("LinkedTxn");
                        linked.push_leaf("TxnID", p.core.txn_id.clone());
                        linked.push_leaf("TxnType", "ReceivePayment");
                        linked.push_leaf("TxnDate", p.txn_date.format("%Y-%m-%d").to_string());
                        linked.push_opt("RefNumber", p.ref_number.as_deref());
                        linked.push_leaf("LinkType", "AMTTYPE");
                        linked.push_leaf("Amount", format_amount(-a.amount));
                        out.push(linked);
                    }
                }
            }
        }
        SalesKind::Estimate => {
            push_echoed(&mut out, &s.extra, ESTIMATE_AFTER_CUSTOMER);
            out.push_leaf("TxnDate", date);
            out.push_opt("RefNumber", s.ref_number.as_deref());
            push_echoed(&mut out, &s.extra, ESTIMATE_AFTER_REF);
            echoed_or(&mut out, &s.extra, "IsActive", "true");
            push_echoed(&mut out, &s.extra, ESTIMATE_AFTER_ACTIVE);
            push_tax_data(c, &mut out, s);
            out.push_leaf("TotalAmount", format_amount(s.total()));
            out.push_opt("Memo", s.memo.as_deref());
            push_echoed(&mut out, &s.extra, ESTIMATE_AFTER_MEMO);
            echoed_or(&mut out, &s.extra, "IsToBeEmailed", "false");
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_EMAIL);
            if let Some(t) = &s.customer_sales_tax_code {
                out.push(c.tax_code_ref("CustomerSalesTaxCodeRef", t));
            }
            push_echoed(&mut out, &s.extra, INVOICE_AFTER_TAXCODE);
            out.push_opt("ExternalGUID", s.external_guid.as_deref());
        }
    }
    if include_lines {
        for l in &s.lines {
            let mut line = Element::new(format!("{object}LineRet"));
            line.push_leaf("TxnLineID", l.txn_line_id.clone());
            if let Some(i) = &l.item {
                line.push(c.item_ref("ItemRef", i));
            }
            line.push_opt("Desc", l.desc.as_deref());
            if let Some(q) = l.quantity {
                line.push_leaf("Quantity", format_quantity(q));
            }
            if let Some(r) = l.rate {
                line.push_leaf("Rate", format_price(r));
            }
            line.push_leaf("Amount", format_amount(l.amount));
            if let Some(t) = &l.sales_tax_code {
                line.push(c.tax_code_ref("SalesTaxCodeRef", t));
            }
            out.push(line);
        }
    }
    out
}

fn push_tax_data(c: &Company, out: &mut Element, s: &SalesTxn) {
    out.push_leaf("Subtotal", format_amount(s.subtotal));
    if let Some(i) = &s.item_sales_tax {
        out.push(c.item_ref("ItemSalesTaxRef", i));
    }
    out.push_leaf("SalesTaxPercentage", format_price(s.tax_percent));
    out.push_leaf("SalesTaxTotal", format_amount(s.tax_total));
}

/// ReceivePaymentAdd.
pub(crate) fn payment_add(c: &mut Company, rq: &Element) -> Handled {
    let body = rq
        .first("ReceivePaymentAdd")
        .ok_or_else(|| malformed(rq, "<ReceivePaymentAdd>"))?;
    let customer_ref = body
        .first("CustomerRef")
        .ok_or_else(|| malformed(rq, "<CustomerRef>"))?;
    let Some(customer) = c.resolve_customer(customer_ref) else {
        return Ok(Answer::status(Status::bad_reference(
            "Customer",
            &ref_parts(customer_ref).2,
            "ReceivePayment",
        )));
    };
    if let Some(refused) = super::person::refuse_inactive_customer(c, &customer, "ReceivePayment") {
        return Ok(Answer::status(refused));
    }
    let ar_account = match body.first("ARAccountRef") {
        Some(r) => match c.resolve_account(r) {
            Some(id) => Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "Account",
                    &ref_parts(r).2,
                    "ReceivePayment",
                )))
            }
        },
        None => None,
    };
    let method = match body.first("PaymentMethodRef") {
        Some(r) => match c.resolve_payment_method(r) {
            Some(id) => Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "PaymentMethod",
                    &ref_parts(r).2,
                    "ReceivePayment",
                )))
            }
        },
        None => None,
    };
    let deposit_to = match body.first("DepositToAccountRef") {
        Some(r) => match c.resolve_account(r) {
            Some(id) => Some(id),
            None => {
                return Ok(Answer::status(Status::bad_reference(
                    "Account",
                    &ref_parts(r).2,
                    "ReceivePayment",
                )))
            }
        },
        None => None,
    };
    let txn_date = date_of(rq, body, "TxnDate")?.unwrap_or_else(|| c.now().date_naive());
    let mut applied = Vec::new();
    for a in body.all("AppliedToTxnAdd") {
        let txn_id = a
            .text_of("TxnID")
            .ok_or_else(|| malformed(rq, "<TxnID> in <AppliedToTxnAdd>"))?
            .trim()
            .to_string();
        let amount = match decimal_of(rq, a, "PaymentAmount")? {
            Some(v) => v,
            None => c
                .sales
                .iter()
                .find(|s| s.core.txn_id == txn_id)
                .map(SalesTxn::balance)
                .unwrap_or(Decimal::ZERO),
        };
        applied.push(Applied { txn_id, amount });
    }
    let total = match decimal_of(rq, body, "TotalAmount")? {
        Some(t) => t,
        None => applied.iter().map(|a| a.amount).sum(),
    };
    if super::bool_of(body, "IsAutoApply") == Some(true) {
        // Oldest open invoices of this customer first, until the payment is used up.
        let mut left = total;
        for s in c
            .sales
            .iter()
            .filter(|s| s.kind == SalesKind::Invoice && s.customer == customer)
        {
            if left <= Decimal::ZERO {
                break;
            }
            let take = s.balance().min(left);
            if take > Decimal::ZERO {
                applied.push(Applied {
                    txn_id: s.core.txn_id.clone(),
                    amount: take,
                });
                left -= take;
            }
        }
    }
    let ref_number = body.text_of("RefNumber").map(str::to_string);
    let memo = body.text_of("Memo").map(str::to_string);
    let guid = body.text_of("ExternalGUID").map(str::to_string);
    let inserted = insert_payment(
        c, customer, txn_date, ref_number, total, method, memo, applied, guid,
    )
    .map(|p| p.core.txn_id.clone());
    match inserted {
        Ok(id) => {
            if let (Some(ar), Some(p)) = (
                ar_account,
                c.payments.iter_mut().find(|p| p.core.txn_id == id),
            ) {
                p.ar_account = ar;
            }
            if let (Some(dep), Some(p)) = (
                deposit_to,
                c.payments.iter_mut().find(|p| p.core.txn_id == id),
            ) {
                p.deposit_to = dep;
            }
            Ok(Answer::ok(super::query::restrict(payment_ret(c, &id), rq)))
        }
        Err(status) => Ok(Answer::status(status)),
    }
}

/// Validates and records a payment (qbXML or "entered in QuickBooks" by a test).
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_payment(
    c: &mut Company,
    customer: String,
    txn_date: chrono::NaiveDate,
    ref_number: Option<String>,
    total: Decimal,
    payment_method: Option<String>,
    memo: Option<String>,
    applied: Vec<Applied>,
    external_guid: Option<String>,
) -> Result<&Payment, Status> {
    let field = "AppliedToTxnAdd payment amount";
    if !amount_fits(total) {
        return Err(Status::invalid_field(
            "TotalAmount",
            &total.to_string(),
            "The amount is too large.",
        ));
    }
    if let Some(a) = applied.iter().find(|a| !amount_fits(a.amount)) {
        return Err(Status::invalid_field(
            field,
            &a.amount.to_string(),
            "The amount is too large.",
        ));
    }
    let mut applied_sum = Decimal::ZERO;
    for (n, a) in applied.iter().enumerate() {
        let Some(s) = c
            .sales
            .iter()
            .find(|s| s.core.txn_id == a.txn_id && s.kind == SalesKind::Invoice)
        else {
            return Err(Status::object_not_found(&a.txn_id));
        };
        if s.customer != customer {
            return Err(Status::bad_reference(
                "Transaction",
                &a.txn_id,
                "ReceivePayment",
            ));
        }
        if a.amount < Decimal::ZERO {
            return Err(Status::invalid_field(
                field,
                &format_amount(a.amount),
                "The amount cannot be negative.",
            ));
        }
        let earlier: Decimal = applied[..n]
            .iter()
            .filter(|x| x.txn_id == a.txn_id)
            .map(|x| x.amount)
            .sum();
        // QuickBooks refuses to apply more than the invoice's open balance (3210,
        // "You cannot pay more than the amount due.").
        if a.amount + earlier > s.balance() {
            return Err(Status::invalid_field(
                field,
                &format_amount(a.amount),
                "You cannot pay more than the amount due.",
            ));
        }
        applied_sum += a.amount;
    }
    if applied_sum > total {
        return Err(Status {
            code: 3210,
            severity: Severity::Error,
            message: format!(
                "The \"{field}\" field has an invalid value \"{}\".  QuickBooks error message: The amounts applied are more than the payment amount.",
                format_amount(applied_sum)
            ),
        });
    }
    let ar_account = c.special_account("AccountsReceivable").unwrap_or_default();
    let deposit_to = c.special_account("UndepositedFunds").unwrap_or_default();
    let now = c.now();
    for a in &applied {
        if let Some(s) = c.sales.iter_mut().find(|s| s.core.txn_id == a.txn_id) {
            s.applied += a.amount;
            s.core.modified = now;
            s.core.edit_sequence = edit_sequence_after(now, s.core.edit_sequence);
        }
    }
    let core = c.new_txn_core();
    c.payments.push(Payment {
        core,
        customer,
        ar_account,
        txn_date,
        ref_number,
        total,
        payment_method,
        memo,
        deposit_to,
        applied,
        external_guid,
    });
    c.payments
        .last()
        .ok_or_else(|| Status::object_not_found("payment"))
}

/// ReceivePaymentRet in qbXML 13.0 order.
pub(crate) fn payment_ret(c: &Company, id: &str) -> Element {
    let mut out = Element::new("ReceivePaymentRet");
    let Some(p) = c.payments.iter().find(|p| p.core.txn_id == id) else {
        return out;
    };
    push_txn_core(&mut out, &p.core);
    out.push(c.customer_ref("CustomerRef", &p.customer));
    out.push(c.account_ref("ARAccountRef", &p.ar_account));
    out.push_leaf("TxnDate", p.txn_date.format("%Y-%m-%d").to_string());
    out.push_opt("RefNumber", p.ref_number.as_deref());
    out.push_leaf("TotalAmount", format_amount(p.total));
    if let Some(m) = &p.payment_method {
        out.push(c.payment_method_ref("PaymentMethodRef", m));
    }
    out.push_opt("Memo", p.memo.as_deref());
    out.push(c.account_ref("DepositToAccountRef", &p.deposit_to));
    out.push_leaf("UnusedPayment", format_amount(p.unused()));
    out.push_leaf("UnusedCredits", "0.00");
    out.push_opt("ExternalGUID", p.external_guid.as_deref());
    for a in &p.applied {
        let mut ret = Element::new("AppliedToTxnRet");
        ret.push_leaf("TxnID", a.txn_id.clone());
        ret.push_leaf("TxnType", "Invoice");
        if let Some(s) = c.sales.iter().find(|s| s.core.txn_id == a.txn_id) {
            ret.push_leaf("TxnDate", s.txn_date.format("%Y-%m-%d").to_string());
            ret.push_opt("RefNumber", s.ref_number.as_deref());
            ret.push_leaf("BalanceRemaining", format_amount(s.balance()));
        }
        ret.push_leaf("Amount", format_amount(a.amount));
        out.push(ret);
    }
    out
}
