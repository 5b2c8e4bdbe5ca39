//! CheckAdd (an expense paid from a bank account), CheckMod (changing one QuickBooks has,
//! on the EditSequence last read) and CheckQuery.

use chrono::NaiveDate;
use uuid::Uuid;

use super::expense_line::{write_lines, write_mod_lines, ExpenseLine, ExpenseLineMod};
use super::query::write_txn_selection;
use crate::qbxml::limits;
use crate::qbxml::types::{ListRef, QueryIterator, TxnSelection};
use crate::qbxml::writer::QbWriter;

/// `CheckAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckAdd {
    pub request_id: String,
    /// The bank account the check is drawn on.
    pub account: ListRef,
    /// The vendor paid.
    pub payee: Option<ListRef>,
    /// The check number, at most 11 characters.
    pub ref_number: Option<String>,
    pub txn_date: Option<NaiveDate>,
    pub memo: Option<String>,
    /// false: already written by hand (FieldBridge records checks that were paid).
    pub is_to_be_printed: Option<bool>,
    pub external_guid: Option<Uuid>,
    pub lines: Vec<ExpenseLine>,
}

/// `CheckModRq`. Changes only what is `Some`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckMod {
    pub request_id: String,
    pub txn_id: String,
    /// From the latest CheckRet; QuickBooks refuses a stale one with status 3200.
    pub edit_sequence: String,
    /// The bank account the check is drawn on.
    pub account: Option<ListRef>,
    pub payee: Option<ListRef>,
    /// At most 11 characters.
    pub ref_number: Option<String>,
    pub txn_date: Option<NaiveDate>,
    pub memo: Option<String>,
    /// `Some`: every line the check keeps (at least one); `None`: lines untouched.
    pub lines: Option<Vec<ExpenseLineMod>>,
}

/// `CheckQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    pub iterator: Option<QueryIterator>,
    /// `IncludeLineItems`: the expense lines (with their TxnLineIDs), for a re-read.
    pub include_line_items: bool,
}

impl CheckAdd {
    /// qbXML 13.0 CheckAdd, in schema order: AccountRef, PayeeEntityRef, RefNumber,
    /// TxnDate, Memo, [Address], IsToBePrinted, ..., ExternalGUID, ExpenseLineAdd.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CheckAddRq", &self.request_id, None);
        w.open("CheckAdd");
        w.list_ref("AccountRef", &self.account, limits::LIST_FULL_NAME_MAX);
        w.opt_list_ref(
            "PayeeEntityRef",
            self.payee.as_ref(),
            limits::CUSTOMER_FULL_NAME_MAX,
        );
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::CHECK_REF_NUMBER_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        w.opt_bool("IsToBePrinted", self.is_to_be_printed);
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        write_lines(w, &self.lines);
        w.close("CheckAdd");
        w.close_request("CheckAddRq");
    }
}

impl CheckMod {
    /// qbXML 13.0 CheckMod, in schema order: TxnID, EditSequence, AccountRef,
    /// PayeeEntityRef, RefNumber, TxnDate, Memo, [Address, IsToBePrinted, ...,
    /// ClearExpenseLines], ExpenseLineMod.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CheckModRq", &self.request_id, None);
        w.open("CheckMod");
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
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::CHECK_REF_NUMBER_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        write_mod_lines(w, self.lines.as_ref());
        w.close("CheckMod");
        w.close_request("CheckModRq");
    }
}

impl CheckQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CheckQueryRq", &self.request_id, self.iterator.as_ref());
        write_txn_selection(w, &self.selection, limits::CHECK_REF_NUMBER_MAX);
        if self.include_line_items {
            w.bool("IncludeLineItems", true);
        }
        w.close_request("CheckQueryRq");
    }
}
