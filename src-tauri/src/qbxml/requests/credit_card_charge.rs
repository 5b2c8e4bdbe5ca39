//! CreditCardChargeAdd (an expense paid with a company credit card), CreditCardChargeMod
//! (changing one QuickBooks has, on the EditSequence last read) and CreditCardChargeQuery.

use chrono::NaiveDate;
use uuid::Uuid;

use super::expense_line::{write_lines, write_mod_lines, ExpenseLine, ExpenseLineMod};
use super::query::write_txn_selection;
use crate::qbxml::limits;
use crate::qbxml::types::{ListRef, QueryIterator, TxnSelection};
use crate::qbxml::writer::QbWriter;

/// `CreditCardChargeAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditCardChargeAdd {
    pub request_id: String,
    /// The credit card account charged.
    pub account: ListRef,
    /// The vendor paid.
    pub payee: Option<ListRef>,
    pub txn_date: Option<NaiveDate>,
    /// At most 11 characters.
    pub ref_number: Option<String>,
    pub memo: Option<String>,
    pub external_guid: Option<Uuid>,
    pub lines: Vec<ExpenseLine>,
}

/// `CreditCardChargeModRq`. Changes only what is `Some`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditCardChargeMod {
    pub request_id: String,
    pub txn_id: String,
    /// From the latest CreditCardChargeRet; QuickBooks refuses a stale one with 3200.
    pub edit_sequence: String,
    /// The credit card account charged.
    pub account: Option<ListRef>,
    pub payee: Option<ListRef>,
    pub txn_date: Option<NaiveDate>,
    /// At most 11 characters.
    pub ref_number: Option<String>,
    pub memo: Option<String>,
    /// `Some`: every line the charge keeps (at least one); `None`: lines untouched.
    pub lines: Option<Vec<ExpenseLineMod>>,
}

/// `CreditCardChargeQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditCardChargeQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    pub iterator: Option<QueryIterator>,
    /// `IncludeLineItems`: the expense lines (with their TxnLineIDs), for a re-read.
    pub include_line_items: bool,
}

impl CreditCardChargeAdd {
    /// qbXML 13.0 CreditCardChargeAdd, in schema order: AccountRef, PayeeEntityRef,
    /// TxnDate, RefNumber, Memo, ..., ExternalGUID, ExpenseLineAdd.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CreditCardChargeAddRq", &self.request_id, None);
        w.open("CreditCardChargeAdd");
        w.list_ref("AccountRef", &self.account, limits::LIST_FULL_NAME_MAX);
        w.opt_list_ref(
            "PayeeEntityRef",
            self.payee.as_ref(),
            limits::CUSTOMER_FULL_NAME_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::CHECK_REF_NUMBER_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        write_lines(w, &self.lines);
        w.close("CreditCardChargeAdd");
        w.close_request("CreditCardChargeAddRq");
    }
}

impl CreditCardChargeMod {
    /// qbXML 13.0 CreditCardChargeMod, in schema order: TxnID, EditSequence, AccountRef,
    /// PayeeEntityRef, TxnDate, RefNumber, Memo, [IsTaxIncluded ... ClearExpenseLines],
    /// ExpenseLineMod.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CreditCardChargeModRq", &self.request_id, None);
        w.open("CreditCardChargeMod");
        w.required_text("TxnID", &self.txn_id, limits::ID_MAX);
        w.required_text(
            "EditSequence",
            &self.edit_sequence,
            limits::EDIT_SEQUENCE_MAX,
        );
        w.opt_list_ref(
            "AccountRef",
            self.account.as_ref(),
            limits::LIST_FULL_NAME_MAX,
        );
        w.opt_list_ref(
            "PayeeEntityRef",
            self.payee.as_ref(),
            limits::CUSTOMER_FULL_NAME_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::CHECK_REF_NUMBER_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        write_mod_lines(w, self.lines.as_ref());
        w.close("CreditCardChargeMod");
        w.close_request("CreditCardChargeModRq");
    }
}

impl CreditCardChargeQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request(
            "CreditCardChargeQueryRq",
            &self.request_id,
            self.iterator.as_ref(),
        );
        write_txn_selection(w, &self.selection, limits::CHECK_REF_NUMBER_MAX);
        if self.include_line_items {
            w.bool("IncludeLineItems", true);
        }
        w.close_request("CreditCardChargeQueryRq");
    }
}
