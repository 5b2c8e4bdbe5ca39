//! Reads QuickBooks' answer (`QBXMLMsgsRs`) into typed [`Response`]s, streaming, without
//! ever expanding a DOCTYPE or entity and without panicking on any input. Unknown elements
//! and unknown `*Ret` records are skipped; a value that breaks its qbXML type is an error
//! naming the field.

pub(crate) mod cursor;
pub mod hcp_rets;
pub mod purchase_rets;
pub mod rets;
pub(crate) mod values;

use cursor::{Cursor, Element};
pub use cursor::{MAX_DEPTH, MAX_RESPONSE_BYTES};
pub use purchase_rets::{ExpenseLineRet, PurchaseKind, PurchaseRet, VendorRet};
pub use rets::*;

use crate::qbxml::error::{quote, ParseError};
use hcp_rets::{CompanyInfo, HostInfo, Preferences};

/// Status codes the engine acts on (Intuit's qbXML status code list).
pub mod status {
    /// Status OK.
    pub const OK: i32 = 0;
    /// A query matched nothing: an empty result, not an error.
    pub const NO_MATCH: i32 = 1;
    /// Some of the requested objects were not found.
    pub const PARTIAL_NOT_FOUND: i32 = 500;
    /// The name is already in use.
    pub const NAME_IN_USE: i32 = 3100;
    /// An object referenced in the request cannot be found.
    pub const OBJECT_NOT_FOUND: i32 = 3120;
    /// An invalid reference to a parent.
    pub const INVALID_PARENT: i32 = 3130;
    /// An invalid reference to another object.
    pub const INVALID_REFERENCE: i32 = 3140;
    /// The object could not be modified.
    pub const MOD_FAILED: i32 = 3170;
    /// The list is locked / in use (transient).
    pub const LIST_IN_USE: i32 = 3175;
    /// The object is in use (transient).
    pub const OBJECT_IN_USE: i32 = 3176;
    /// There was an error when saving (often "modified by another user": transient).
    pub const SAVE_FAILED: i32 = 3180;
    /// The EditSequence is out of date.
    pub const EDIT_SEQUENCE_OUT_OF_DATE: i32 = 3200;
    /// A field has an invalid value (e.g. a payment larger than the balance).
    pub const INVALID_FIELD_VALUE: i32 = 3210;
    /// The feature is not enabled in this company file (e.g. estimates off).
    pub const FEATURE_NOT_ENABLED: i32 = 3250;
    /// Insufficient permission.
    pub const PERMISSION_DENIED: i32 = 3260;
    /// Insufficient permission for this operation in this mode.
    pub const PERMISSION_DENIED_MODE: i32 = 3261;
}

/// `statusSeverity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Warn,
    Error,
}

/// Which `*Rs` element an answer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseKind {
    CustomerAdd,
    CustomerMod,
    CustomerQuery,
    ItemQuery,
    ItemSalesTaxQuery,
    ItemSalesTaxGroupQuery,
    AccountQuery,
    PaymentMethodQuery,
    SalesTaxCodeQuery,
    InvoiceAdd,
    InvoiceQuery,
    EstimateAdd,
    EstimateQuery,
    ReceivePaymentAdd,
    ReceivePaymentQuery,
    ListDeletedQuery,
    TxnDeletedQuery,
    HostQuery,
    CompanyQuery,
    PreferencesQuery,
    InvoiceMod,
    EstimateMod,
    ReceivePaymentMod,
    TxnVoid,
    TxnDel,
    JournalEntryAdd,
    JournalEntryQuery,
    DepositAdd,
    DepositQuery,
    /// Any other answer, by its element name without `Rs` (e.g. "ItemInventoryQuery").
    Other(String),
}

impl ResponseKind {
    fn from_element(name: &str) -> Self {
        let base = name.strip_suffix("Rs").unwrap_or(name);
        match base {
            "CustomerAdd" => ResponseKind::CustomerAdd,
            "CustomerMod" => ResponseKind::CustomerMod,
            "CustomerQuery" => ResponseKind::CustomerQuery,
            "ItemQuery" => ResponseKind::ItemQuery,
            "ItemSalesTaxQuery" => ResponseKind::ItemSalesTaxQuery,
            "ItemSalesTaxGroupQuery" => ResponseKind::ItemSalesTaxGroupQuery,
            "AccountQuery" => ResponseKind::AccountQuery,
            "PaymentMethodQuery" => ResponseKind::PaymentMethodQuery,
            "SalesTaxCodeQuery" => ResponseKind::SalesTaxCodeQuery,
            "InvoiceAdd" => ResponseKind::InvoiceAdd,
            "InvoiceQuery" => ResponseKind::InvoiceQuery,
            "EstimateAdd" => ResponseKind::EstimateAdd,
            "EstimateQuery" => ResponseKind::EstimateQuery,
            "ReceivePaymentAdd" => ResponseKind::ReceivePaymentAdd,
            "ReceivePaymentQuery" => ResponseKind::ReceivePaymentQuery,
            "ListDeletedQuery" => ResponseKind::ListDeletedQuery,
            "TxnDeletedQuery" => ResponseKind::TxnDeletedQuery,
            "HostQuery" => ResponseKind::HostQuery,
            "CompanyQuery" => ResponseKind::CompanyQuery,
            "PreferencesQuery" => ResponseKind::PreferencesQuery,
            "InvoiceMod" => ResponseKind::InvoiceMod,
            "EstimateMod" => ResponseKind::EstimateMod,
            "ReceivePaymentMod" => ResponseKind::ReceivePaymentMod,
            "TxnVoid" => ResponseKind::TxnVoid,
            "TxnDel" => ResponseKind::TxnDel,
            "JournalEntryAdd" => ResponseKind::JournalEntryAdd,
            "JournalEntryQuery" => ResponseKind::JournalEntryQuery,
            "DepositAdd" => ResponseKind::DepositAdd,
            "DepositQuery" => ResponseKind::DepositQuery,
            other => ResponseKind::Other(other.to_owned()),
        }
    }
}

/// The most records one response's list is sized for in advance (a thousand-record pull
/// page fits; a hostile `retCount` cannot make the parser reserve more than this).
const MAX_PREALLOCATED_RETS: u32 = 2_000;

/// One typed record of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ret {
    Customer(CustomerRet),
    Item(ItemRet),
    Account(AccountRet),
    PaymentMethod(PaymentMethodRet),
    SalesTaxCode(SalesTaxCodeRet),
    Invoice(InvoiceRet),
    Estimate(EstimateRet),
    ReceivePayment(ReceivePaymentRet),
    ListDeleted(ListDeletedRet),
    TxnDeleted(TxnDeletedRet),
    Host(HostInfo),
    Company(CompanyInfo),
    Preferences(Preferences),
    Vendor(VendorRet),
    /// A bill, check or credit-card charge.
    Purchase(PurchaseRet),
    JournalEntry(JournalEntryRet),
    Deposit(DepositRet),
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The `requestID` we sent, echoed (`None` when QuickBooks sent none).
    pub request_id: Option<String>,
    pub kind: ResponseKind,
    pub status_code: i32,
    pub status_severity: Severity,
    pub status_message: String,
    pub ret_count: Option<u32>,
    /// Records still waiting in the iterator; 0 (or `None`) when the query is complete.
    pub iterator_remaining_count: Option<u32>,
    pub iterator_id: Option<String>,
    pub rets: Vec<Ret>,
    /// How many `*Ret` records of a kind we do not model were skipped.
    pub skipped_rets: usize,
}

macro_rules! ret_accessor {
    ($(#[$m:meta])* $fn:ident, $variant:ident, $t:ty) => {
        $(#[$m])*
        pub fn $fn(&self) -> impl Iterator<Item = &$t> {
            self.rets.iter().filter_map(|r| match r {
                Ret::$variant(x) => Some(x),
                _ => None,
            })
        }
    };
}

impl Response {
    /// Status 0.
    pub fn is_ok(&self) -> bool {
        self.status_code == status::OK
    }

    /// Succeeded or matched nothing (status 0 or 1; 1 is an empty result, not an error).
    pub fn is_success(&self) -> bool {
        self.status_code == status::OK || self.status_code == status::NO_MATCH
    }

    /// An iterator query with records still to fetch (send `QueryIterator::Continue`).
    pub fn has_more(&self) -> bool {
        self.iterator_remaining_count.is_some_and(|n| n > 0)
    }

    ret_accessor!(customers, Customer, CustomerRet);
    ret_accessor!(items, Item, ItemRet);
    ret_accessor!(accounts, Account, AccountRet);
    ret_accessor!(payment_methods, PaymentMethod, PaymentMethodRet);
    ret_accessor!(sales_tax_codes, SalesTaxCode, SalesTaxCodeRet);
    ret_accessor!(invoices, Invoice, InvoiceRet);
    ret_accessor!(estimates, Estimate, EstimateRet);
    ret_accessor!(payments, ReceivePayment, ReceivePaymentRet);
    ret_accessor!(deleted_list_elements, ListDeleted, ListDeletedRet);
    ret_accessor!(deleted_txns, TxnDeleted, TxnDeletedRet);
    ret_accessor!(vendors, Vendor, VendorRet);
    ret_accessor!(
        /// Bills, checks and credit-card charges.
        purchases,
        Purchase,
        PurchaseRet
    );
    ret_accessor!(journal_entries, JournalEntry, JournalEntryRet);
    ret_accessor!(deposits, Deposit, DepositRet);
}

/// A whole answer (`QBXMLMsgsRs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MsgsRs {
    /// Echoed when the request set carried error-recovery attributes.
    pub new_message_set_id: Option<String>,
    /// The status of the message set as a whole; present only when the request used
    /// newMessageSetID / oldMessageSetID. When asked with oldMessageSetID, QuickBooks
    /// answers with the stored responses of that earlier set.
    pub message_set_status_code: Option<i32>,
    pub responses: Vec<Response>,
}

impl MsgsRs {
    /// The answer to the request with this requestID.
    pub fn by_request_id(&self, request_id: &str) -> Option<&Response> {
        self.responses
            .iter()
            .find(|r| r.request_id.as_deref() == Some(request_id))
    }
}

/// Parses QuickBooks' answer to a message set.
pub fn parse_response(xml: &str) -> Result<MsgsRs, ParseError> {
    let mut c = Cursor::new(xml)?;
    c.root("QBXML")?;
    let mut msgs = None;
    while let Some(child) = c.next_child()? {
        if child.name == "QBXMLMsgsRs" && msgs.is_none() {
            msgs = Some(message_set(&mut c, &child)?);
        } else {
            c.skip()?;
        }
    }
    c.finish()?;
    msgs.ok_or_else(|| ParseError::MissingElement {
        context: "QBXML".into(),
        expected: "QBXMLMsgsRs",
        found: "no message set".into(),
    })
}

fn message_set(c: &mut Cursor<'_>, element: &Element) -> Result<MsgsRs, ParseError> {
    let field = c.path();
    let mut msgs = MsgsRs {
        new_message_set_id: element.attr("newMessageSetID").map(str::to_owned),
        message_set_status_code: element
            .attr("messageSetStatusCode")
            .map(|s| values::parse_i32(&format!("{field}@messageSetStatusCode"), s))
            .transpose()?,
        responses: Vec::new(),
    };
    while let Some(child) = c.next_child()? {
        if child.name.ends_with("Rs") {
            msgs.responses.push(response(c, &child)?);
        } else {
            c.skip()?;
        }
    }
    Ok(msgs)
}

fn response(c: &mut Cursor<'_>, element: &Element) -> Result<Response, ParseError> {
    let field = c.path();
    let missing = |attribute| ParseError::MissingAttribute {
        element: quote(&element.name),
        attribute,
    };
    let status_code = values::parse_i32(
        &format!("{field}@statusCode"),
        element
            .attr("statusCode")
            .ok_or_else(|| missing("statusCode"))?,
    )?;
    let severity_text = element
        .attr("statusSeverity")
        .ok_or_else(|| missing("statusSeverity"))?;
    let status_severity = match severity_text.trim() {
        "Info" => Severity::Info,
        "Warn" | "Warning" => Severity::Warn,
        "Error" => Severity::Error,
        other => {
            return Err(ParseError::InvalidValue {
                field: format!("{field}@statusSeverity"),
                expected: "Info, Warn or Error",
                found: quote(other),
            })
        }
    };
    let count = |name: &str| -> Result<Option<u32>, ParseError> {
        element
            .attr(name)
            .map(|s| values::parse_u32(&format!("{field}@{name}"), s))
            .transpose()
    };
    let mut r = Response {
        request_id: element.attr("requestID").map(str::to_owned),
        kind: ResponseKind::from_element(&element.name),
        status_code,
        status_severity,
        status_message: element.attr("statusMessage").unwrap_or_default().to_owned(),
        ret_count: count("retCount")?,
        iterator_remaining_count: count("iteratorRemainingCount")?,
        iterator_id: element.attr("iteratorID").map(str::to_owned),
        rets: Vec::new(),
        skipped_rets: 0,
    };
    // Room for the records QuickBooks says it returns, so a page of a thousand is not
    // moved about while it grows; capped, since the count is only QuickBooks' word.
    let expected = r.ret_count.unwrap_or(1).min(MAX_PREALLOCATED_RETS);
    r.rets.reserve_exact(expected as usize);
    while let Some(child) = c.next_child()? {
        let name = child.name.as_str();
        let ret = match name {
            "CustomerRet" => Ret::Customer(rets::customer(c)?),
            "AccountRet" => Ret::Account(rets::account(c)?),
            "PaymentMethodRet" => Ret::PaymentMethod(rets::payment_method(c)?),
            "SalesTaxCodeRet" => Ret::SalesTaxCode(rets::sales_tax_code(c)?),
            "InvoiceRet" => Ret::Invoice(rets::sales_txn(c, name)?),
            "EstimateRet" => Ret::Estimate(rets::sales_txn(c, name)?),
            "ReceivePaymentRet" => Ret::ReceivePayment(rets::receive_payment(c)?),
            "ListDeletedRet" => Ret::ListDeleted(rets::list_deleted(c)?),
            "TxnDeletedRet" => Ret::TxnDeleted(rets::txn_deleted(c)?),
            "HostRet" => Ret::Host(hcp_rets::host_ret(c)?),
            "CompanyRet" => Ret::Company(hcp_rets::company_ret(c)?),
            "PreferencesRet" => Ret::Preferences(hcp_rets::preferences_ret(c)?),
            "JournalEntryRet" => Ret::JournalEntry(rets::journal_entry(c)?),
            "DepositRet" => Ret::Deposit(rets::deposit(c)?),
            "VendorRet" => Ret::Vendor(purchase_rets::vendor(c)?),
            _ => match (
                ItemType::from_ret_element(name),
                PurchaseKind::from_ret_element(name),
            ) {
                (Some(t), _) => Ret::Item(rets::item(c, t)?),
                (None, Some(kind)) => Ret::Purchase(purchase_rets::purchase(c, kind)?),
                (None, None) => {
                    if name.ends_with("Ret") {
                        r.skipped_rets += 1;
                    }
                    c.skip()?;
                    continue;
                }
            },
        };
        r.rets.push(ret);
    }
    Ok(r)
}

/// Test helper: the text of every element with one of `names`, in document order.
#[cfg(test)]
pub(crate) fn read_texts(xml: &str, names: &[&str]) -> Vec<String> {
    fn walk(c: &mut Cursor<'_>, names: &[&str], out: &mut Vec<String>) -> Result<(), ParseError> {
        while let Some(child) = c.next_child()? {
            if names.contains(&child.name.as_str()) {
                out.push(c.text()?);
            } else {
                walk(c, names, out)?;
            }
        }
        Ok(())
    }
    let mut c = Cursor::new(xml).expect("size");
    c.root("QBXML").expect("root");
    let mut out = Vec::new();
    walk(&mut c, names, &mut out).expect("well-formed");
    out
}

#[cfg(test)]
mod tests;
