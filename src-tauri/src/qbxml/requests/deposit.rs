//! DepositAdd and DepositQuery (qbXML 13.0): moving payments out of Undeposited Funds into
//! a bank account, one deposit for many payments.
//!
//! A `DepositLineAdd` is either a payment already received (`PaymentTxnID`, and for a
//! journal entry's line its `PaymentTxnLineID`) or money from an account (`DepositInfo`);
//! FieldBridge only writes the first kind, so every deposit line clears an entry of
//! QuickBooks' "Payments to Deposit" list.

use chrono::NaiveDate;
use uuid::Uuid;

use super::query::write_txn_selection;
use crate::qbxml::limits;
use crate::qbxml::types::{ListRef, OwnerId, QueryIterator, TxnSelection};
use crate::qbxml::writer::QbWriter;

/// `DepositLineAdd` of the `PaymentLine` kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepositPaymentLine {
    /// The TxnID of the payment (ReceivePayment) or journal entry holding the money.
    pub payment_txn_id: String,
    /// For a journal entry: the TxnLineID of its Undeposited Funds line.
    pub payment_txn_line_id: Option<String>,
}

/// `DepositAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepositAdd {
    pub request_id: String,
    pub txn_date: Option<NaiveDate>,
    pub deposit_to_account: ListRef,
    pub memo: Option<String>,
    /// The deposit's stable FieldBridge id, so a lost answer can be recognised later.
    pub external_guid: Option<Uuid>,
    pub lines: Vec<DepositPaymentLine>,
}

/// `DepositQueryRq` (the `DepositQuery` group: TxnID+ | DepositFilter, IncludeLineItems).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepositQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    pub include_line_items: bool,
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

impl DepositAdd {
    /// qbXML 13.0 order: TxnDate, DepositToAccountRef, Memo, CashBackInfoAdd, CurrencyRef,
    /// ExchangeRate, ExternalGUID, DepositLineAdd*; a payment line: PaymentTxnID,
    /// PaymentTxnLineID, OverrideMemo, ...
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("DepositAddRq", &self.request_id, None);
        w.open("DepositAdd");
        w.opt_date("TxnDate", self.txn_date);
        w.list_ref(
            "DepositToAccountRef",
            &self.deposit_to_account,
            limits::LIST_FULL_NAME_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        if self.lines.is_empty() {
            w.empty("DepositLineAdd");
        }
        for (i, line) in self.lines.iter().enumerate() {
            w.open_indexed("DepositLineAdd", i + 1);
            w.required_text("PaymentTxnID", &line.payment_txn_id, limits::ID_MAX);
            w.opt_text(
                "PaymentTxnLineID",
                line.payment_txn_line_id.as_ref(),
                limits::ID_MAX,
            );
            w.close("DepositLineAdd");
        }
        w.close("DepositAdd");
        w.close_request("DepositAddRq");
    }
}

impl DepositQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("DepositQueryRq", &self.request_id, self.iterator.as_ref());
        // DepositQuery has no RefNumber choice; a RefNumbers selection is not offered.
        write_txn_selection(w, &self.selection, limits::ID_MAX);
        if self.include_line_items {
            w.bool("IncludeLineItems", true);
        }
        w.owner_id(self.owner_id);
        w.close_request("DepositQueryRq");
    }
}
