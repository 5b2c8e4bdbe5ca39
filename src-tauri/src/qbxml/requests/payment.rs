//! ReceivePaymentAdd and ReceivePaymentQuery.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::query::write_txn_selection;
use crate::qbxml::limits;
use crate::qbxml::types::{ListRef, OwnerId, QueryIterator, TxnSelection};
use crate::qbxml::writer::QbWriter;

/// Where a received payment goes. qbXML 13.0 requires exactly one of `IsAutoApply` or at
/// least one `AppliedToTxnAdd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentApplication {
    /// `IsAutoApply=true`: QuickBooks applies it to the oldest open invoices.
    AutoApply,
    /// `IsAutoApply=false`: QuickBooks keeps it as an unapplied credit.
    Unapplied,
    /// Applied to these invoices (at least one).
    ToTxns(Vec<AppliedToTxn>),
}

impl Default for PaymentApplication {
    fn default() -> Self {
        PaymentApplication::ToTxns(Vec::new())
    }
}

/// `AppliedToTxnAdd`: part of the payment applied to one invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppliedToTxn {
    pub txn_id: String,
    pub payment_amount: Option<Decimal>,
}

/// `ReceivePaymentAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceivePaymentAdd {
    pub request_id: String,
    pub customer: ListRef,
    pub ar_account: Option<ListRef>,
    pub txn_date: Option<NaiveDate>,
    /// At most 20 characters (e.g. the check number).
    pub ref_number: Option<String>,
    pub total_amount: Option<Decimal>,
    pub payment_method: Option<ListRef>,
    pub memo: Option<String>,
    pub deposit_to_account: Option<ListRef>,
    /// The record's stable FieldBridge id, so a lost answer can be recognised later.
    pub external_guid: Option<Uuid>,
    pub application: PaymentApplication,
}

/// `ReceivePaymentQueryRq`. Set `include_line_items` to get `AppliedToTxnRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceivePaymentQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    pub include_line_items: bool,
    /// `IncludeRetElement`: the top-level ReceivePaymentRet elements QuickBooks returns
    /// (empty: all of them; `AppliedToTxnRet` must be named to get the applied lines).
    pub include_ret: &'static [&'static str],
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

impl ReceivePaymentAdd {
    /// qbXML 13.0 order: CustomerRef, ARAccountRef, TxnDate, RefNumber, TotalAmount,
    /// [ExchangeRate], PaymentMethodRef, Memo, DepositToAccountRef, [CreditCardTxnInfo],
    /// ExternalGUID, IsAutoApply | AppliedToTxnAdd+.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("ReceivePaymentAddRq", &self.request_id, None);
        w.open("ReceivePaymentAdd");
        w.list_ref(
            "CustomerRef",
            &self.customer,
            limits::CUSTOMER_FULL_NAME_MAX,
        );
        w.opt_list_ref(
            "ARAccountRef",
            self.ar_account.as_ref(),
            limits::LIST_FULL_NAME_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::PAYMENT_REF_NUMBER_MAX,
        );
        w.opt_amount("TotalAmount", self.total_amount);
        let method = self.payment_method.as_ref();
        w.opt_list_ref(
            "PaymentMethodRef",
            method,
            limits::SIMPLE_LIST_FULL_NAME_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        let deposit = self.deposit_to_account.as_ref();
        w.opt_list_ref("DepositToAccountRef", deposit, limits::LIST_FULL_NAME_MAX);
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        match &self.application {
            PaymentApplication::AutoApply => w.bool("IsAutoApply", true),
            PaymentApplication::Unapplied => w.bool("IsAutoApply", false),
            PaymentApplication::ToTxns(applied) => {
                if applied.is_empty() {
                    w.empty("AppliedToTxnAdd");
                }
                for (i, a) in applied.iter().enumerate() {
                    w.open_indexed("AppliedToTxnAdd", i + 1);
                    w.required_text("TxnID", &a.txn_id, limits::ID_MAX);
                    w.opt_amount("PaymentAmount", a.payment_amount);
                    w.close("AppliedToTxnAdd");
                }
            }
        }
        w.close("ReceivePaymentAdd");
        w.close_request("ReceivePaymentAddRq");
    }
}

impl ReceivePaymentQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request(
            "ReceivePaymentQueryRq",
            &self.request_id,
            self.iterator.as_ref(),
        );
        write_txn_selection(w, &self.selection, limits::PAYMENT_REF_NUMBER_MAX);
        if self.include_line_items {
            w.bool("IncludeLineItems", true);
        }
        super::query::write_include_ret(w, self.include_ret);
        w.owner_id(self.owner_id);
        w.close_request("ReceivePaymentQueryRq");
    }
}

/// `ReceivePaymentModRq`: changes a payment QuickBooks already has, on the EditSequence last
/// read. Changes only what is `Some`; `applied` (when not empty) lists every invoice the
/// payment stays applied to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceivePaymentMod {
    pub request_id: String,
    pub txn_id: String,
    pub edit_sequence: String,
    pub txn_date: Option<NaiveDate>,
    /// At most 20 characters.
    pub ref_number: Option<String>,
    pub total_amount: Option<Decimal>,
    pub payment_method: Option<ListRef>,
    pub memo: Option<String>,
    pub applied: Vec<AppliedToTxn>,
    /// `IncludeRetElement`, as on an add.
    pub include_ret: &'static [&'static str],
}

impl ReceivePaymentMod {
    /// qbXML 13.0 order: TxnID, EditSequence, [CustomerRef, ARAccountRef], TxnDate,
    /// RefNumber, TotalAmount, [ExchangeRate], PaymentMethodRef, Memo, [DepositToAccountRef,
    /// CreditCardTxnInfoMod], AppliedToTxnMod*; then IncludeRetElement*.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("ReceivePaymentModRq", &self.request_id, None);
        w.open("ReceivePaymentMod");
        w.required_text("TxnID", &self.txn_id, limits::ID_MAX);
        w.required_text(
            "EditSequence",
            &self.edit_sequence,
            limits::EDIT_SEQUENCE_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::PAYMENT_REF_NUMBER_MAX,
        );
        w.opt_amount("TotalAmount", self.total_amount);
        let method = self.payment_method.as_ref();
        w.opt_list_ref(
            "PaymentMethodRef",
            method,
            limits::SIMPLE_LIST_FULL_NAME_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        for (i, a) in self.applied.iter().enumerate() {
            w.open_indexed("AppliedToTxnMod", i + 1);
            w.required_text("TxnID", &a.txn_id, limits::ID_MAX);
            w.opt_amount("PaymentAmount", a.payment_amount);
            w.close("AppliedToTxnMod");
        }
        w.close("ReceivePaymentMod");
        super::query::write_include_ret(w, self.include_ret);
        w.close_request("ReceivePaymentModRq");
    }
}
