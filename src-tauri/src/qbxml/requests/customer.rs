//! CustomerAdd, CustomerMod and CustomerQuery (customers and jobs: a job is a customer with
//! a ParentRef).

use uuid::Uuid;

use super::query::{write_include_ret, write_list_selection};
use crate::qbxml::limits;
use crate::qbxml::types::{Address, ListRef, ListSelection, OwnerId, QueryIterator};
use crate::qbxml::writer::QbWriter;

/// The customer fields FieldBridge writes, shared by add and mod. On a mod, `None` leaves
/// the QuickBooks value as it is, and a text field set to `Some(String::new())` is written
/// as an empty element, which asks QuickBooks to blank it. An address on a mod should be
/// sent whole (every line that should remain), not just the changed line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFields {
    /// The parent customer when this record is a job (`Parent:Job`).
    pub parent: Option<ListRef>,
    pub company_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub bill_address: Option<Address>,
    pub ship_address: Option<Address>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub alt_phone: Option<String>,
    pub email: Option<String>,
    pub contact: Option<String>,
    /// `Tax` / `Non` (SalesTaxCodeRef, FullName at most 3 characters).
    pub sales_tax_code: Option<ListRef>,
    /// The customer's default sales tax item or group.
    pub item_sales_tax: Option<ListRef>,
    pub account_number: Option<String>,
    pub job_desc: Option<String>,
    pub notes: Option<String>,
}

/// `CustomerAddRq`. Adds a customer, or a job when `fields.parent` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerAdd {
    pub request_id: String,
    /// The element's own name (41 characters, no ':'); QuickBooks builds the FullName.
    pub name: String,
    pub is_active: Option<bool>,
    pub fields: CustomerFields,
    /// The record's stable FieldBridge id, so a lost answer can be recognised later.
    pub external_guid: Option<Uuid>,
}

/// `CustomerModRq`. Changes only what is `Some`; `is_active: Some(false)` archives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerMod {
    pub request_id: String,
    pub list_id: String,
    /// From the latest CustomerRet; QuickBooks refuses a stale one with status 3200.
    pub edit_sequence: String,
    pub name: Option<String>,
    pub is_active: Option<bool>,
    pub fields: CustomerFields,
}

/// `CustomerQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    pub request_id: String,
    pub selection: ListSelection,
    /// `IncludeRetElement`: the top-level CustomerRet elements QuickBooks returns (empty:
    /// all of them).
    pub include_ret: &'static [&'static str],
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

/// qbXML 13.0 CustomerAdd/CustomerMod sequence from ParentRef on (ClassRef, Salutation,
/// MiddleName, JobTitle, PrintAs, ... are not written): ParentRef, CompanyName, FirstName,
/// LastName, BillAddress, ShipAddress, Phone, Mobile, AltPhone, Email, Contact, [TermsRef],
/// SalesTaxCodeRef, ItemSalesTaxRef, AccountNumber (JobDesc and Notes follow later).
fn write_fields(w: &mut QbWriter, f: &CustomerFields) {
    w.opt_list_ref("ParentRef", f.parent.as_ref(), limits::PARENT_FULL_NAME_MAX);
    w.opt_text(
        "CompanyName",
        f.company_name.as_ref(),
        limits::COMPANY_NAME_MAX,
    );
    w.opt_text("FirstName", f.first_name.as_ref(), limits::FIRST_NAME_MAX);
    w.opt_text("LastName", f.last_name.as_ref(), limits::LAST_NAME_MAX);
    w.opt_address("BillAddress", f.bill_address.as_ref());
    w.opt_address("ShipAddress", f.ship_address.as_ref());
    w.opt_text("Phone", f.phone.as_ref(), limits::PHONE_MAX);
    w.opt_text("Mobile", f.mobile.as_ref(), limits::PHONE_MAX);
    w.opt_text("AltPhone", f.alt_phone.as_ref(), limits::PHONE_MAX);
    w.opt_text("Email", f.email.as_ref(), limits::EMAIL_MAX);
    w.opt_text("Contact", f.contact.as_ref(), limits::CONTACT_MAX);
    w.opt_list_ref(
        "SalesTaxCodeRef",
        f.sales_tax_code.as_ref(),
        limits::SALES_TAX_CODE_NAME_MAX,
    );
    w.opt_list_ref(
        "ItemSalesTaxRef",
        f.item_sales_tax.as_ref(),
        limits::SIMPLE_LIST_FULL_NAME_MAX,
    );
    w.opt_text(
        "AccountNumber",
        f.account_number.as_ref(),
        limits::ACCOUNT_NUMBER_MAX,
    );
}

/// JobDesc and Notes come after CreditCardInfo/JobStatus/dates in the schema, i.e. after
/// everything `write_fields` writes.
fn write_job_and_notes(w: &mut QbWriter, f: &CustomerFields) {
    w.opt_text("JobDesc", f.job_desc.as_ref(), limits::JOB_DESC_MAX);
    w.opt_text("Notes", f.notes.as_ref(), limits::NOTES_MAX);
}

impl CustomerAdd {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CustomerAddRq", &self.request_id, None);
        w.open("CustomerAdd");
        w.list_name("Name", &self.name, limits::CUSTOMER_NAME_MAX);
        w.opt_bool("IsActive", self.is_active);
        write_fields(w, &self.fields);
        write_job_and_notes(w, &self.fields);
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        w.close("CustomerAdd");
        w.close_request("CustomerAddRq");
    }
}

impl CustomerMod {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CustomerModRq", &self.request_id, None);
        w.open("CustomerMod");
        w.required_text("ListID", &self.list_id, limits::ID_MAX);
        w.required_text(
            "EditSequence",
            &self.edit_sequence,
            limits::EDIT_SEQUENCE_MAX,
        );
        if let Some(n) = &self.name {
            w.list_name("Name", n, limits::CUSTOMER_NAME_MAX);
        }
        w.opt_bool("IsActive", self.is_active);
        write_fields(w, &self.fields);
        write_job_and_notes(w, &self.fields);
        w.close("CustomerMod");
        w.close_request("CustomerModRq");
    }
}

impl CustomerQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CustomerQueryRq", &self.request_id, self.iterator.as_ref());
        write_list_selection(w, &self.selection, limits::CUSTOMER_FULL_NAME_MAX);
        write_include_ret(w, self.include_ret);
        w.owner_id(self.owner_id);
        w.close_request("CustomerQueryRq");
    }
}
