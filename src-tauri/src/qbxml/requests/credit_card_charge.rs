//! CreditCardChargeAdd (an expense paid with a company credit card) and
//! CreditCardChargeQuery.

use chrono::NaiveDate;
use uuid::Uuid;

use super::expense_line::{write_lines, ExpenseLine};
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

/// `CreditCardChargeQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditCardChargeQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    pub iterator: Option<QueryIterator>,
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

impl CreditCardChargeQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request(
            "CreditCardChargeQueryRq",
            &self.request_id,
            self.iterator.as_ref(),
        );
        write_txn_selection(w, &self.selection, limits::CHECK_REF_NUMBER_MAX);
        w.close_request("CreditCardChargeQueryRq");
    }
}
