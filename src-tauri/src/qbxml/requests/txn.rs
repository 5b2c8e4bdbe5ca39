//! TxnVoidRq and TxnDelRq: voiding or deleting a transaction QuickBooks has, by TxnID.
//!
//! qbXML 13.0 `TxnVoidType` lists Invoice, Bill, Check, CreditCardCharge (and more) but not
//! ReceivePayment: a
//! payment is removed with `TxnDelRq` (`TxnDelType` ReceivePayment), which frees the
//! invoices it was applied to. Neither takes an EditSequence.

use crate::qbxml::limits;
use crate::qbxml::types::TxnDelType;
use crate::qbxml::writer::QbWriter;

/// What a [`TxnVoid`] may void (the part of qbXML 13.0 `TxnVoidType` FieldBridge sends).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TxnVoidType {
    #[default]
    Invoice,
    Bill,
    Check,
    CreditCardCharge,
}

impl TxnVoidType {
    pub fn as_str(self) -> &'static str {
        match self {
            TxnVoidType::Invoice => "Invoice",
            TxnVoidType::Bill => "Bill",
            TxnVoidType::Check => "Check",
            TxnVoidType::CreditCardCharge => "CreditCardCharge",
        }
    }
}

/// `TxnVoidRq`: the transaction stays, with zero amounts, marked void.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxnVoid {
    pub request_id: String,
    pub txn_void_type: TxnVoidType,
    pub txn_id: String,
}

/// `TxnDelRq`: the transaction is gone (QuickBooks lists it in TxnDeletedQuery).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnDel {
    pub request_id: String,
    pub txn_del_type: TxnDelType,
    pub txn_id: String,
}

impl TxnVoid {
    /// qbXML 13.0: TxnVoidType, TxnID.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("TxnVoidRq", &self.request_id, None);
        w.text("TxnVoidType", self.txn_void_type.as_str(), usize::MAX);
        w.required_text("TxnID", &self.txn_id, limits::ID_MAX);
        w.close_request("TxnVoidRq");
    }
}

impl TxnDel {
    /// qbXML 13.0: TxnDelType, TxnID.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("TxnDelRq", &self.request_id, None);
        w.text("TxnDelType", self.txn_del_type.as_str(), usize::MAX);
        w.required_text("TxnID", &self.txn_id, limits::ID_MAX);
        w.close_request("TxnDelRq");
    }
}
