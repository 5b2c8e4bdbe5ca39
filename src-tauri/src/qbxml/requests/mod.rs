//! Typed qbXML 13.0 requests: one struct per request, one [`Request`] enum that dispatches
//! them, and [`MsgsRq`], the message set that renders a full qbXML document. Each request
//! writes its elements in the schema's order (QuickBooks enforces it) and checks every value
//! against its limit while writing; a request that breaks a rule yields [`BuildError`]s and
//! no XML.

mod bill;
mod check;
mod credit_card_charge;
mod customer;
mod deleted;
mod deposit;
mod expense_line;
mod host;
mod journal;
mod lists;
mod payment;
mod query;
mod sales;
mod sales_mod;
mod txn;
mod vendor;

pub use bill::{BillAdd, BillMod, BillQuery};
pub use check::{CheckAdd, CheckMod, CheckQuery};
pub use credit_card_charge::{CreditCardChargeAdd, CreditCardChargeMod, CreditCardChargeQuery};
pub use customer::{CustomerAdd, CustomerFields, CustomerMod, CustomerQuery};
pub use deleted::{ListDeletedQuery, TxnDeletedQuery};
pub use deposit::{DepositAdd, DepositPaymentLine, DepositQuery};
pub use expense_line::{ExpenseLine, ExpenseLineMod};
pub use host::{CompanyQuery, HostQuery, PreferencesQuery};
pub use journal::{
    JournalEntryAdd, JournalEntryQuery, JournalLine, JournalSide, JOURNAL_REF_NUMBER_MAX,
};
pub use lists::{
    AccountQuery, ItemQuery, ItemSalesTaxGroupQuery, ItemSalesTaxQuery, PaymentMethodQuery,
    SalesTaxCodeQuery,
};
pub use payment::{
    AppliedToTxn, PaymentApplication, ReceivePaymentAdd, ReceivePaymentMod, ReceivePaymentQuery,
};
pub use sales::{EstimateAdd, EstimateQuery, InvoiceAdd, InvoiceQuery, SalesLine};
pub use sales_mod::{EstimateMod, InvoiceMod, SalesLineMod, NEW_TXN_LINE_ID};
pub use txn::{TxnDel, TxnVoid, TxnVoidType};
pub use vendor::{VendorAdd, VendorQuery};

use std::collections::HashSet;

use super::error::BuildError;
use super::limits::MESSAGE_SET_ID_MAX;
use super::types::OnError;
use super::writer::QbWriter;

/// The special oldMessageSetID that clears every recovery record QuickBooks keeps for this
/// application (Intuit's qbXML reference, QBXMLMsgsRq attributes).
pub const CLEAR_ALL_MESSAGE_SETS: &str = "ClearAllMessageSets";

/// One request of a message set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    HostQuery(HostQuery),
    CompanyQuery(CompanyQuery),
    PreferencesQuery(PreferencesQuery),
    CustomerAdd(CustomerAdd),
    CustomerMod(CustomerMod),
    CustomerQuery(CustomerQuery),
    ItemQuery(ItemQuery),
    ItemSalesTaxQuery(ItemSalesTaxQuery),
    ItemSalesTaxGroupQuery(ItemSalesTaxGroupQuery),
    AccountQuery(AccountQuery),
    PaymentMethodQuery(PaymentMethodQuery),
    SalesTaxCodeQuery(SalesTaxCodeQuery),
    InvoiceAdd(InvoiceAdd),
    InvoiceQuery(InvoiceQuery),
    EstimateAdd(EstimateAdd),
    EstimateQuery(EstimateQuery),
    ReceivePaymentAdd(ReceivePaymentAdd),
    ReceivePaymentQuery(ReceivePaymentQuery),
    ListDeletedQuery(ListDeletedQuery),
    TxnDeletedQuery(TxnDeletedQuery),
    InvoiceMod(InvoiceMod),
    EstimateMod(EstimateMod),
    ReceivePaymentMod(ReceivePaymentMod),
    TxnVoid(TxnVoid),
    TxnDel(TxnDel),
    VendorAdd(VendorAdd),
    VendorQuery(VendorQuery),
    BillAdd(BillAdd),
    BillQuery(BillQuery),
    BillMod(BillMod),
    CheckAdd(CheckAdd),
    CheckMod(CheckMod),
    CheckQuery(CheckQuery),
    CreditCardChargeAdd(CreditCardChargeAdd),
    CreditCardChargeQuery(CreditCardChargeQuery),
    CreditCardChargeMod(CreditCardChargeMod),
    JournalEntryAdd(JournalEntryAdd),
    JournalEntryQuery(JournalEntryQuery),
    DepositAdd(DepositAdd),
    DepositQuery(DepositQuery),
}

macro_rules! dispatch {
    ($self:expr, $r:ident => $body:expr) => {
        match $self {
            Request::HostQuery($r) => $body,
            Request::CompanyQuery($r) => $body,
            Request::PreferencesQuery($r) => $body,
            Request::CustomerAdd($r) => $body,
            Request::CustomerMod($r) => $body,
            Request::CustomerQuery($r) => $body,
            Request::ItemQuery($r) => $body,
            Request::ItemSalesTaxQuery($r) => $body,
            Request::ItemSalesTaxGroupQuery($r) => $body,
            Request::AccountQuery($r) => $body,
            Request::PaymentMethodQuery($r) => $body,
            Request::SalesTaxCodeQuery($r) => $body,
            Request::InvoiceAdd($r) => $body,
            Request::InvoiceQuery($r) => $body,
            Request::EstimateAdd($r) => $body,
            Request::EstimateQuery($r) => $body,
            Request::ReceivePaymentAdd($r) => $body,
            Request::ReceivePaymentQuery($r) => $body,
            Request::ListDeletedQuery($r) => $body,
            Request::TxnDeletedQuery($r) => $body,
            Request::InvoiceMod($r) => $body,
            Request::EstimateMod($r) => $body,
            Request::ReceivePaymentMod($r) => $body,
            Request::TxnVoid($r) => $body,
            Request::TxnDel($r) => $body,
            Request::VendorAdd($r) => $body,
            Request::VendorQuery($r) => $body,
            Request::BillAdd($r) => $body,
            Request::BillQuery($r) => $body,
            Request::BillMod($r) => $body,
            Request::CheckMod($r) => $body,
            Request::CreditCardChargeMod($r) => $body,
            Request::CheckAdd($r) => $body,
            Request::CheckQuery($r) => $body,
            Request::CreditCardChargeAdd($r) => $body,
            Request::CreditCardChargeQuery($r) => $body,
            Request::JournalEntryAdd($r) => $body,
            Request::JournalEntryQuery($r) => $body,
            Request::DepositAdd($r) => $body,
            Request::DepositQuery($r) => $body,
        }
    };
}

macro_rules! from_request {
    ($($t:ident),+) => {$(
        impl From<$t> for Request {
            fn from(r: $t) -> Self {
                Request::$t(r)
            }
        }
    )+};
}

from_request!(
    HostQuery,
    CompanyQuery,
    PreferencesQuery,
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
    InvoiceMod,
    EstimateMod,
    ReceivePaymentMod,
    TxnVoid,
    TxnDel,
    VendorAdd,
    VendorQuery,
    BillAdd,
    BillQuery,
    BillMod,
    CheckMod,
    CreditCardChargeMod,
    CheckAdd,
    CheckQuery,
    CreditCardChargeAdd,
    CreditCardChargeQuery,
    JournalEntryAdd,
    JournalEntryQuery,
    DepositAdd,
    DepositQuery
);

impl Request {
    /// The `requestID` QuickBooks will echo in the answer.
    pub fn request_id(&self) -> &str {
        dispatch!(self, r => &r.request_id)
    }

    /// The same request under another `requestID` (a batch numbers its requests when it
    /// takes them).
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        let id = id.into();
        dispatch!(&mut self, r => r.request_id = id);
        self
    }

    /// Every rule this request breaks (empty = it can be sent). The engine's pre-flight:
    /// a record with problems goes to `needs_attention` instead of into a batch.
    pub fn check(&self) -> Vec<BuildError> {
        let mut w = QbWriter::new();
        self.write(&mut w);
        w.errors().to_vec()
    }

    fn write(&self, w: &mut QbWriter) {
        let id = self.request_id();
        w.set_request(id);
        // QuickBooks echoes requestID in the answer; XML attribute-value normalisation
        // would turn tabs and newlines into spaces, so the echo would not match.
        if id.is_empty() {
            w.empty("requestID");
        } else if let Some(c) = id.chars().find(|c| c.is_control()) {
            w.fail(BuildError::InvalidCharacter {
                request_id: id.to_owned(),
                field: "requestID".into(),
                code: c as u32,
            });
        }
        dispatch!(self, r => r.write(w))
    }
}

/// A qbXML message set: `<QBXMLMsgsRq onError=.. newMessageSetID=.. oldMessageSetID=..>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MsgsRq {
    pub on_error: OnError,
    /// Asks QuickBooks to remember this set's outcome (error recovery). At most 23
    /// characters.
    pub new_message_set_id: Option<String>,
    /// Asks QuickBooks what became of an earlier set whose answer was lost; QuickBooks then
    /// answers with that set's stored responses (see `MsgsRs::message_set_status_code`).
    pub old_message_set_id: Option<String>,
    pub requests: Vec<Request>,
}

impl MsgsRq {
    /// Renders the whole document:
    /// `<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq ...>`.
    /// Returns the first problem if any request breaks a rule (see [`MsgsRq::check`] for all).
    pub fn to_xml(&self) -> Result<String, BuildError> {
        self.build().map_err(|errors| {
            let fallback = || BuildError::Write("the writer failed without saying why".into());
            errors.into_iter().next().unwrap_or_else(fallback)
        })
    }

    /// Every problem in the message set (empty = it can be sent).
    pub fn check(&self) -> Vec<BuildError> {
        match self.build() {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    /// The document, or every problem in it (each request's problems carry its
    /// requestID, so a caller can set those requests aside and build the rest).
    pub fn build(&self) -> Result<String, Vec<BuildError>> {
        let mut w = QbWriter::new();
        for (attribute, id) in [
            ("newMessageSetID", &self.new_message_set_id),
            ("oldMessageSetID", &self.old_message_set_id),
        ] {
            if let Some(id) = id {
                let n = id.chars().count();
                if n == 0 || n > MESSAGE_SET_ID_MAX || id.chars().any(char::is_control) {
                    w.fail(BuildError::InvalidMessageSetId {
                        attribute,
                        value: id.clone(),
                        max: MESSAGE_SET_ID_MAX,
                    });
                }
            }
        }
        let mut seen = HashSet::new();
        for r in &self.requests {
            if !r.request_id().is_empty() && !seen.insert(r.request_id()) {
                w.fail(BuildError::DuplicateRequestId {
                    request_id: r.request_id().to_owned(),
                });
            }
        }

        w.prolog();
        w.open("QBXML");
        let mut attrs: Vec<(&str, &str)> = vec![("onError", self.on_error.as_str())];
        if let Some(id) = &self.new_message_set_id {
            attrs.push(("newMessageSetID", id));
        }
        if let Some(id) = &self.old_message_set_id {
            attrs.push(("oldMessageSetID", id));
        }
        w.open_with("QBXMLMsgsRq", &attrs);
        for r in &self.requests {
            r.write(&mut w);
        }
        w.set_request("");
        w.close("QBXMLMsgsRq");
        w.close("QBXML");
        w.finish()
    }
}

#[cfg(test)]
mod tests;
