//! List objects: customers and jobs (add, mod), and how every list object is looked up by
//! reference and written as its `XxxRet` in schema order.
//!
//! Owns: CustomerAdd / CustomerMod rules (sibling name uniqueness, `Parent:Job` full names,
//! EditSequence), reference resolution for customers, items, accounts, payment methods and
//! sales-tax codes, and the Ret writers for them. Does not own: queries and iterators
//! (`query.rs`), transactions (`txns.rs`).

use rust_decimal::Decimal;

use super::model::*;
use super::{malformed, ref_element, ref_parts, Answer, Company, Handled};
use crate::clock::format_datetime;
use crate::status::Status;
use crate::xml::Element;

/// qbXML 13.0: `Sublevel` "the number of ancestors"; QuickBooks allows five levels of
/// sub-customers/jobs below a top-level customer.
pub const MAX_SUBLEVEL: u32 = 5;

/// CustomerAdd/CustomerMod children handled by the company itself (the rest are echoed).
const CUSTOMER_MODELLED: &[&str] = &[
    "ListID",
    "EditSequence",
    "Name",
    "IsActive",
    "ParentRef",
    "SalesTaxCodeRef",
    "ItemSalesTaxRef",
    "PreferredPaymentMethodRef",
    "ExternalGUID",
    // Accepted but not modelled (no opening-balance transaction, no contacts/notes lists):
    "OpenBalance",
    "OpenBalanceDate",
    "Contacts",
    "ContactsMod",
    "AdditionalNotes",
    "AdditionalNotesMod",
];

// CustomerRet order (qbXML 13.0 CustomerRet), split around the computed fields.
const CUSTOMER_AFTER_ACTIVE: &[&str] = &["ClassRef"];
const CUSTOMER_AFTER_SUBLEVEL: &[&str] = &[
    "CompanyName",
    "Salutation",
    "FirstName",
    "MiddleName",
    "LastName",
    "Suffix",
    "JobTitle",
    "BillAddress",
    "ShipAddress",
    "ShipToAddress",
    "PrintAs",
    "Phone",
    "Mobile",
    "Pager",
    "AltPhone",
    "Fax",
    "Email",
    "Cc",
    "Contact",
    "AltContact",
    "AdditionalContactRef",
    "CustomerTypeRef",
    "TermsRef",
    "SalesRepRef",
];
const CUSTOMER_AFTER_TAX: &[&str] = &[
    "SalesTaxCountry",
    "ResaleNumber",
    "AccountNumber",
    "CreditLimit",
];
const CUSTOMER_AFTER_PAYMENT: &[&str] = &[
    "CreditCardInfo",
    "JobStatus",
    "JobStartDate",
    "JobProjectedEndDate",
    "JobEndDate",
    "JobDesc",
    "JobTypeRef",
    "Notes",
    "IsStatementWithParent",
    "DeliveryMethod",
    "PreferredDeliveryMethod",
    "PriceLevelRef",
];
const CUSTOMER_AFTER_GUID: &[&str] = &["TaxRegistrationNumber", "CurrencyRef"];

impl Company {
    // ------------------------------------------------------------ customers

    pub(crate) fn customer_full_name(&self, id: &str) -> String {
        let mut parts = Vec::new();
        let mut at = Some(id.to_string());
        let mut guard = 0;
        while let Some(current) = at {
            let Some(c) = self.customer_by_id(&current) else {
                break;
            };
            parts.push(c.name.clone());
            at = c.parent.clone();
            guard += 1;
            if guard > MAX_SUBLEVEL + 1 {
                break;
            }
        }
        parts.reverse();
        parts.join(":")
    }

    pub(crate) fn customer_sublevel(&self, id: &str) -> u32 {
        let mut level = 0;
        let mut at = self.customer_by_id(id).and_then(|c| c.parent.clone());
        while let Some(p) = at {
            level += 1;
            if level > MAX_SUBLEVEL + 1 {
                break;
            }
            at = self.customer_by_id(&p).and_then(|c| c.parent.clone());
        }
        level
    }

    pub(crate) fn customer_id_by_full_name(&self, full_name: &str) -> Option<String> {
        self.customers
            .iter()
            .find(|c| {
                self.customer_full_name(&c.core.list_id)
                    .eq_ignore_ascii_case(full_name.trim())
            })
            .map(|c| c.core.list_id.clone())
    }

    /// Resolves a CustomerRef/ParentRef: ListID wins over FullName, as in QuickBooks.
    pub(crate) fn resolve_customer(&self, r: &Element) -> Option<String> {
        let (list_id, full_name, _) = ref_parts(r);
        match (list_id, full_name) {
            (Some(id), _) => self.customer_by_id(id).map(|c| c.core.list_id.clone()),
            (None, Some(name)) => self.customer_id_by_full_name(name),
            (None, None) => None,
        }
    }

    pub(crate) fn customer_ref(&self, element: &str, id: &str) -> Element {
        ref_element(element, id, &self.customer_full_name(id))
    }

    /// Open invoices minus unapplied payments of this customer or job alone.
    pub(crate) fn customer_balance(&self, id: &str) -> Decimal {
        let invoices: Decimal = self
            .sales
            .iter()
            .filter(|s| s.kind == SalesKind::Invoice && s.customer == id)
            .map(SalesTxn::balance)
            .sum();
        let credits: Decimal = self
            .payments
            .iter()
            .filter(|p| p.customer == id)
            .map(Payment::unused)
            .sum();
        invoices - credits
    }

    /// Balance including every job below.
    pub(crate) fn customer_total_balance(&self, id: &str) -> Decimal {
        let mut total = self.customer_balance(id);
        for child in self
            .customers
            .iter()
            .filter(|c| c.parent.as_deref() == Some(id))
        {
            total += self.customer_total_balance(&child.core.list_id);
        }
        total
    }

    fn is_descendant_or_self(&self, candidate: &str, of: &str) -> bool {
        let mut at = Some(candidate.to_string());
        let mut guard = 0;
        while let Some(current) = at {
            if current == of {
                return true;
            }
            at = self
                .customers
                .iter()
                .find(|c| c.core.list_id == current)
                .and_then(|c| c.parent.clone());
            guard += 1;
            if guard > MAX_SUBLEVEL + 2 {
                break;
            }
        }
        false
    }

    /// Whether a sibling (same parent) other than `except` already has this name,
    /// compared case-insensitively as QuickBooks does.
    pub(crate) fn customer_name_taken(
        &self,
        name: &str,
        parent: Option<&str>,
        except: Option<&str>,
    ) -> bool {
        self.customers.iter().any(|c| {
            c.parent.as_deref() == parent
                && Some(c.core.list_id.as_str()) != except
                && c.name.eq_ignore_ascii_case(name.trim())
        })
    }

    // ------------------------------------------------------------ items and small lists

    pub(crate) fn item_full_name(&self, id: &str) -> String {
        let mut parts = Vec::new();
        let mut at = Some(id.to_string());
        let mut guard = 0;
        while let Some(current) = at {
            let Some(i) = self.items.iter().find(|i| i.core.list_id == current) else {
                break;
            };
            parts.push(i.name.clone());
            at = i.parent.clone();
            guard += 1;
            if guard > MAX_SUBLEVEL + 1 {
                break;
            }
        }
        parts.reverse();
        parts.join(":")
    }

    pub(crate) fn item_sublevel(&self, id: &str) -> u32 {
        let full = self.item_full_name(id);
        full.matches(':').count() as u32
    }

    pub(crate) fn item_id_by_full_name(&self, full_name: &str) -> Option<String> {
        self.items
            .iter()
            .find(|i| {
                self.item_full_name(&i.core.list_id)
                    .eq_ignore_ascii_case(full_name.trim())
            })
            .map(|i| i.core.list_id.clone())
    }

    pub(crate) fn resolve_item(&self, r: &Element) -> Option<String> {
        let (list_id, full_name, _) = ref_parts(r);
        match (list_id, full_name) {
            (Some(id), _) => self
                .items
                .iter()
                .find(|i| i.core.list_id == id)
                .map(|i| i.core.list_id.clone()),
            (None, Some(name)) => self.item_id_by_full_name(name),
            (None, None) => None,
        }
    }

    pub(crate) fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.core.list_id == id)
    }

    /// The rate in percent of a sales-tax item, or of a group (the sum of its members).
    pub(crate) fn item_tax_rate(&self, id: &str) -> Option<Decimal> {
        match &self.item(id)?.kind {
            ItemKind::SalesTax { rate } => Some(*rate),
            ItemKind::SalesTaxGroup { members } => {
                Some(members.iter().filter_map(|m| self.item_tax_rate(m)).sum())
            }
            _ => None,
        }
    }

    pub(crate) fn item_ref(&self, element: &str, id: &str) -> Element {
        ref_element(element, id, &self.item_full_name(id))
    }

    pub(crate) fn tax_code_id_by_name(&self, name: &str) -> Option<String> {
        self.tax_codes
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
            .map(|t| t.core.list_id.clone())
    }

    pub(crate) fn resolve_tax_code(&self, r: &Element) -> Option<String> {
        let (list_id, full_name, _) = ref_parts(r);
        match (list_id, full_name) {
            (Some(id), _) => self
                .tax_codes
                .iter()
                .find(|t| t.core.list_id == id)
                .map(|t| t.core.list_id.clone()),
            (None, Some(name)) => self.tax_code_id_by_name(name),
            (None, None) => None,
        }
    }

    pub(crate) fn tax_code_is_taxable(&self, id: &str) -> bool {
        self.tax_codes
            .iter()
            .any(|t| t.core.list_id == id && t.is_taxable)
    }

    pub(crate) fn tax_code_ref(&self, element: &str, id: &str) -> Element {
        let name = self
            .tax_codes
            .iter()
            .find(|t| t.core.list_id == id)
            .map(|t| t.name.as_str())
            .unwrap_or("");
        ref_element(element, id, name)
    }

    pub(crate) fn resolve_account(&self, r: &Element) -> Option<String> {
        let (list_id, full_name, _) = ref_parts(r);
        self.accounts
            .iter()
            .find(|a| match (list_id, full_name) {
                (Some(id), _) => a.core.list_id == id,
                (None, Some(name)) => a.name.eq_ignore_ascii_case(name),
                (None, None) => false,
            })
            .map(|a| a.core.list_id.clone())
    }

    pub(crate) fn special_account(&self, special: &str) -> Option<String> {
        self.accounts
            .iter()
            .find(|a| a.special_account_type == Some(special))
            .map(|a| a.core.list_id.clone())
    }

    pub(crate) fn account_ref(&self, element: &str, id: &str) -> Element {
        let name = self
            .accounts
            .iter()
            .find(|a| a.core.list_id == id)
            .map(|a| a.name.as_str())
            .unwrap_or("");
        ref_element(element, id, name)
    }

    pub(crate) fn resolve_payment_method(&self, r: &Element) -> Option<String> {
        let (list_id, full_name, _) = ref_parts(r);
        self.payment_methods
            .iter()
            .find(|m| match (list_id, full_name) {
                (Some(id), _) => m.core.list_id == id,
                (None, Some(name)) => m.name.eq_ignore_ascii_case(name),
                (None, None) => false,
            })
            .map(|m| m.core.list_id.clone())
    }

    pub(crate) fn payment_method_ref(&self, element: &str, id: &str) -> Element {
        let name = self
            .payment_methods
            .iter()
            .find(|m| m.core.list_id == id)
            .map(|m| m.name.as_str())
            .unwrap_or("");
        ref_element(element, id, name)
    }
}

/// The tax/payment references a CustomerAdd or CustomerMod may carry, resolved.
struct CustomerRefs {
    sales_tax_code: Option<Option<String>>,
    item_sales_tax: Option<Option<String>>,
    preferred_payment_method: Option<Option<String>>,
}

/// Resolves SalesTaxCodeRef, ItemSalesTaxRef, PreferredPaymentMethodRef; a reference that
/// names nothing is 3140.
fn resolve_customer_refs(c: &Company, body: &Element) -> Result<CustomerRefs, Status> {
    let mut refs = CustomerRefs {
        sales_tax_code: None,
        item_sales_tax: None,
        preferred_payment_method: None,
    };
    if let Some(r) = body.first("SalesTaxCodeRef") {
        let id = c
            .resolve_tax_code(r)
            .ok_or_else(|| Status::bad_reference("SalesTaxCode", &ref_parts(r).2, "Customer"))?;
        refs.sales_tax_code = Some(Some(id));
    }
    if let Some(r) = body.first("ItemSalesTaxRef") {
        let id = c
            .resolve_item(r)
            .filter(|id| c.item_tax_rate(id).is_some())
            .ok_or_else(|| Status::bad_reference("ItemSalesTax", &ref_parts(r).2, "Customer"))?;
        refs.item_sales_tax = Some(Some(id));
    }
    if let Some(r) = body.first("PreferredPaymentMethodRef") {
        let id = c
            .resolve_payment_method(r)
            .ok_or_else(|| Status::bad_reference("PaymentMethod", &ref_parts(r).2, "Customer"))?;
        refs.preferred_payment_method = Some(Some(id));
    }
    Ok(refs)
}

fn echoed_fields(body: &Element) -> Vec<Element> {
    body.children
        .iter()
        .filter(|e| !CUSTOMER_MODELLED.contains(&e.name.as_str()))
        .cloned()
        .collect()
}

/// CustomerAdd: a customer, or a job when ParentRef is given.
pub(crate) fn customer_add(c: &mut Company, rq: &Element) -> Handled {
    let body = rq
        .first("CustomerAdd")
        .ok_or_else(|| malformed(rq, "<CustomerAdd>"))?;
    let name = body
        .text_of("Name")
        .ok_or_else(|| malformed(rq, "<Name>"))?
        .to_string();
    let parent = match body.first("ParentRef") {
        Some(r) => match c.resolve_customer(r) {
            Some(id) => Some(id),
            None => {
                return Ok(Answer::status(Status::bad_parent(
                    &ref_parts(r).2,
                    "Customers",
                )))
            }
        },
        None => None,
    };
    if let Some(p) = &parent {
        if c.customer_sublevel(p) + 1 > MAX_SUBLEVEL {
            return Ok(Answer::status(Status::bad_parent(
                &c.customer_full_name(p),
                "Customers",
            )));
        }
    }
    // QuickBooks: names are unique among siblings, case-insensitively ("The name ... of the
    // list element is already in use.", 3100).
    if c.customer_name_taken(&name, parent.as_deref(), None) {
        return Ok(Answer::status(Status::name_in_use(&name)));
    }
    let refs = match resolve_customer_refs(c, body) {
        Ok(r) => r,
        Err(status) => return Ok(Answer::status(status)),
    };
    let mut extra = echoed_fields(body);
    if !extra.iter().any(|e| e.name == "JobStatus") {
        extra.push(Element::leaf("JobStatus", "None"));
    }
    let core = c.new_list_core();
    let id = core.list_id.clone();
    c.customers.push(Customer {
        core,
        name,
        parent,
        is_active: super::bool_of(body, "IsActive").unwrap_or(true),
        sales_tax_code: refs.sales_tax_code.flatten(),
        item_sales_tax: refs.item_sales_tax.flatten(),
        preferred_payment_method: refs.preferred_payment_method.flatten(),
        external_guid: body.text_of("ExternalGUID").map(str::to_string),
        extra,
    });
    Ok(Answer::ok(super::query::restrict(customer_ret(c, &id), rq)))
}

/// CustomerMod: ListID + EditSequence, then only the fields present change.
pub(crate) fn customer_mod(c: &mut Company, rq: &Element) -> Handled {
    let body = rq
        .first("CustomerMod")
        .ok_or_else(|| malformed(rq, "<CustomerMod>"))?;
    let list_id = body
        .text_of("ListID")
        .ok_or_else(|| malformed(rq, "<ListID>"))?
        .trim()
        .to_string();
    let given_es = body
        .text_of("EditSequence")
        .ok_or_else(|| malformed(rq, "<EditSequence>"))?
        .trim()
        .to_string();
    let Some(index) = c.customers.iter().position(|x| x.core.list_id == list_id) else {
        return Ok(Answer::status(Status::object_not_found(&list_id)));
    };
    // qbXML: a Mod must carry the EditSequence QuickBooks last returned; otherwise 3200.
    if c.customers[index].core.edit_sequence.to_string() != given_es {
        return Ok(Answer::status(Status::stale_edit_sequence(&given_es)));
    }
    let mut parent = c.customers[index].parent.clone();
    if let Some(r) = body.first("ParentRef") {
        match c.resolve_customer(r) {
            Some(p)
                if !c.is_descendant_or_self(&p, &list_id)
                    && c.customer_sublevel(&p) < MAX_SUBLEVEL =>
            {
                parent = Some(p)
            }
            _ => {
                return Ok(Answer::status(Status::bad_parent(
                    &ref_parts(r).2,
                    "Customers",
                )))
            }
        }
    }
    let name = body
        .text_of("Name")
        .map(str::to_string)
        .unwrap_or_else(|| c.customers[index].name.clone());
    if c.customer_name_taken(&name, parent.as_deref(), Some(&list_id)) {
        return Ok(Answer::status(Status::name_in_use(&name)));
    }
    let refs = match resolve_customer_refs(c, body) {
        Ok(r) => r,
        Err(status) => return Ok(Answer::status(status)),
    };
    let now = c.now();
    let es = edit_sequence_after(now, c.customers[index].core.edit_sequence);
    let customer = &mut c.customers[index];
    customer.name = name;
    customer.parent = parent;
    if let Some(active) = super::bool_of(body, "IsActive") {
        customer.is_active = active;
    }
    if let Some(v) = refs.sales_tax_code {
        customer.sales_tax_code = v;
    }
    if let Some(v) = refs.item_sales_tax {
        customer.item_sales_tax = v;
    }
    if let Some(v) = refs.preferred_payment_method {
        customer.preferred_payment_method = v;
    }
    for field in echoed_fields(body) {
        customer.extra.retain(|e| e.name != field.name);
        customer.extra.push(field);
    }
    customer.core.modified = now;
    customer.core.edit_sequence = es;
    Ok(Answer::ok(super::query::restrict(
        customer_ret(c, &list_id),
        rq,
    )))
}

fn push_list_core(out: &mut Element, core: &ListCore) {
    out.push_leaf("ListID", core.list_id.clone());
    out.push_leaf("TimeCreated", format_datetime(&core.created));
    out.push_leaf("TimeModified", format_datetime(&core.modified));
    out.push_leaf("EditSequence", core.edit_sequence.to_string());
}

fn push_echoed(out: &mut Element, extra: &[Element], names: &[&str]) {
    for name in names {
        for e in extra.iter().filter(|e| e.name == *name) {
            out.push(e.clone());
        }
    }
}

/// CustomerRet in qbXML 13.0 order.
pub(crate) fn customer_ret(c: &Company, id: &str) -> Element {
    customer_ret_with(c, id, true)
}

/// [`customer_ret`]; `balances`: whether Balance and TotalBalance are worked out (QuickBooks'
/// own cost per customer, which it skips when IncludeRetElement leaves them out).
pub(crate) fn customer_ret_with(c: &Company, id: &str, balances: bool) -> Element {
    let mut out = Element::new("CustomerRet");
    let Some(cu) = c.customer_by_id(id) else {
        return out;
    };
    push_list_core(&mut out, &cu.core);
    out.push_leaf("Name", cu.name.clone());
    out.push_leaf("FullName", c.customer_full_name(id));
    out.push_leaf("IsActive", bool_text(cu.is_active));
    push_echoed(&mut out, &cu.extra, CUSTOMER_AFTER_ACTIVE);
    if let Some(p) = &cu.parent {
        out.push(c.customer_ref("ParentRef", p));
    }
    out.push_leaf("Sublevel", c.customer_sublevel(id).to_string());
    push_echoed(&mut out, &cu.extra, CUSTOMER_AFTER_SUBLEVEL);
    if balances {
        out.push_leaf("Balance", format_amount(c.customer_balance(id)));
        out.push_leaf("TotalBalance", format_amount(c.customer_total_balance(id)));
    }
    if let Some(t) = &cu.sales_tax_code {
        out.push(c.tax_code_ref("SalesTaxCodeRef", t));
    }
    if let Some(i) = &cu.item_sales_tax {
        out.push(c.item_ref("ItemSalesTaxRef", i));
    }
    push_echoed(&mut out, &cu.extra, CUSTOMER_AFTER_TAX);
    if let Some(m) = &cu.preferred_payment_method {
        out.push(c.payment_method_ref("PreferredPaymentMethodRef", m));
    }
    push_echoed(&mut out, &cu.extra, CUSTOMER_AFTER_PAYMENT);
    out.push_opt("ExternalGUID", cu.external_guid.as_deref());
    push_echoed(&mut out, &cu.extra, CUSTOMER_AFTER_GUID);
    out
}

pub(crate) fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// ItemServiceRet / ItemNonInventoryRet / ItemOtherChargeRet / ItemSalesTaxRet /
/// ItemSalesTaxGroupRet in qbXML 13.0 order.
pub(crate) fn item_ret(c: &Company, id: &str) -> Element {
    let Some(item) = c.item(id) else {
        return Element::new("ItemServiceRet");
    };
    let mut out = Element::new(format!("{}Ret", item.kind.object_name()));
    push_list_core(&mut out, &item.core);
    out.push_leaf("Name", item.name.clone());
    match &item.kind {
        ItemKind::Service | ItemKind::NonInventory | ItemKind::OtherCharge => {
            out.push_leaf("FullName", c.item_full_name(id));
            out.push_leaf("IsActive", bool_text(item.is_active));
            if let Some(p) = &item.parent {
                out.push(c.item_ref("ParentRef", p));
            }
            out.push_leaf("Sublevel", c.item_sublevel(id).to_string());
            if let Some(t) = &item.sales_tax_code {
                out.push(c.tax_code_ref("SalesTaxCodeRef", t));
            }
            let mut sop = Element::new("SalesOrPurchase");
            sop.push_opt("Desc", item.desc.as_deref());
            if let Some(price) = item.price {
                sop.push_leaf("Price", format_price(price));
            }
            if let Some(a) = &item.account {
                sop.push(c.account_ref("AccountRef", a));
            }
            out.push(sop);
        }
        ItemKind::SalesTax { rate } => {
            out.push_leaf("IsActive", bool_text(item.is_active));
            out.push_leaf("ItemDesc", format!("{} sales tax", item.name));
            out.push_leaf("TaxRate", format_price(*rate));
        }
        ItemKind::SalesTaxGroup { members } => {
            out.push_leaf("IsActive", bool_text(item.is_active));
            out.push_leaf("ItemDesc", format!("{} sales tax group", item.name));
            for m in members {
                out.push(c.item_ref("ItemSalesTaxRef", m));
            }
        }
    }
    if !matches!(item.kind, ItemKind::SalesTaxGroup { .. }) {
        out.push_opt("ExternalGUID", item.external_guid.as_deref());
    }
    out
}

pub(crate) fn account_ret(c: &Company, id: &str) -> Element {
    let mut out = Element::new("AccountRet");
    let Some(a) = c.accounts.iter().find(|a| a.core.list_id == id) else {
        return out;
    };
    push_list_core(&mut out, &a.core);
    out.push_leaf("Name", a.name.clone());
    out.push_leaf("FullName", a.name.clone());
    out.push_leaf("IsActive", bool_text(a.is_active));
    out.push_leaf("Sublevel", "0");
    out.push_leaf("AccountType", a.account_type);
    out.push_opt("SpecialAccountType", a.special_account_type);
    out.push_opt("AccountNumber", a.account_number.as_deref());
    out.push_leaf("Balance", "0.00");
    out.push_leaf("TotalBalance", "0.00");
    out
}

pub(crate) fn payment_method_ret(c: &Company, id: &str) -> Element {
    let mut out = Element::new("PaymentMethodRet");
    let Some(m) = c.payment_methods.iter().find(|m| m.core.list_id == id) else {
        return out;
    };
    push_list_core(&mut out, &m.core);
    out.push_leaf("Name", m.name.clone());
    out.push_leaf("IsActive", bool_text(m.is_active));
    out.push_leaf("PaymentMethodType", m.method_type);
    out
}

pub(crate) fn tax_code_ret(c: &Company, id: &str) -> Element {
    let mut out = Element::new("SalesTaxCodeRet");
    let Some(t) = c.tax_codes.iter().find(|t| t.core.list_id == id) else {
        return out;
    };
    push_list_core(&mut out, &t.core);
    out.push_leaf("Name", t.name.clone());
    out.push_leaf("IsActive", bool_text(t.is_active));
    out.push_leaf("IsTaxable", bool_text(t.is_taxable));
    out.push_leaf("Desc", t.desc.clone());
    out
}
