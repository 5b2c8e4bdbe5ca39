//! BillAdd (a vendor's bill, paid later in QuickBooks' Pay Bills), BillMod (changing one
//! QuickBooks has, on the EditSequence last read) and BillQuery.

use chrono::NaiveDate;
use uuid::Uuid;

use super::expense_line::{write_lines, write_mod_lines, ExpenseLine, ExpenseLineMod};
use super::query::write_txn_selection;
use crate::qbxml::limits;
use crate::qbxml::types::{ListRef, QueryIterator, TxnSelection};
use crate::qbxml::writer::QbWriter;

/// `BillAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillAdd {
    pub request_id: String,
    pub vendor: ListRef,
    /// Accounts Payable (None: QuickBooks' default A/P account).
    pub ap_account: Option<ListRef>,
    pub txn_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    /// The vendor's invoice number, at most 20 characters.
    pub ref_number: Option<String>,
    pub memo: Option<String>,
    pub external_guid: Option<Uuid>,
    pub lines: Vec<ExpenseLine>,
}

/// `BillModRq`. Changes only what is `Some`; a text set to `Some(String::new())` is written
/// empty, which blanks it in QuickBooks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillMod {
    pub request_id: String,
    pub txn_id: String,
    /// From the latest BillRet; QuickBooks refuses a stale one with status 3200.
    pub edit_sequence: String,
    pub vendor: Option<ListRef>,
    pub txn_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    /// At most 20 characters.
    pub ref_number: Option<String>,
    pub memo: Option<String>,
    /// `Some`: every line the bill keeps (at least one); `None`: lines untouched.
    pub lines: Option<Vec<ExpenseLineMod>>,
}

/// `BillQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    pub iterator: Option<QueryIterator>,
    /// `IncludeLineItems`: the expense lines (with their TxnLineIDs), for a re-read.
    pub include_line_items: bool,
}

impl BillAdd {
    /// qbXML 13.0 BillAdd, in schema order: VendorRef, [VendorAddress], APAccountRef,
    /// TxnDate, DueDate, RefNumber, [TermsRef], Memo, ..., ExternalGUID, ExpenseLineAdd.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("BillAddRq", &self.request_id, None);
        w.open("BillAdd");
        w.list_ref("VendorRef", &self.vendor, limits::LIST_FULL_NAME_MAX);
        w.opt_list_ref(
            "APAccountRef",
            self.ap_account.as_ref(),
            limits::LIST_FULL_NAME_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_date("DueDate", self.due_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::BILL_REF_NUMBER_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        write_lines(w, &self.lines);
        w.close("BillAdd");
        w.close_request("BillAddRq");
    }
}

impl BillMod {
    /// qbXML 13.0 BillMod, in schema order: TxnID, EditSequence, VendorRef,
    /// [VendorAddress, APAccountRef], TxnDate, DueDate, RefNumber, [TermsRef], Memo,
    /// [IsTaxIncluded ... ClearExpenseLines], ExpenseLineMod.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("BillModRq", &self.request_id, None);
        w.open("BillMod");
        w.required_text("TxnID", &self.txn_id, limits::ID_MAX);
        w.required_text(
            "EditSequence",
            &self.edit_sequence,
            limits::EDIT_SEQUENCE_MAX,
        );
        w.opt_list_ref(
            "VendorRef",
            self.vendor.as_ref(),
            limits::LIST_FULL_NAME_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_date("DueDate", self.due_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::BILL_REF_NUMBER_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        write_mod_lines(w, self.lines.as_ref());
        w.close("BillMod");
        w.close_request("BillModRq");
    }
}

impl BillQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("BillQueryRq", &self.request_id, self.iterator.as_ref());
        write_txn_selection(w, &self.selection, limits::BILL_REF_NUMBER_MAX);
        if self.include_line_items {
            w.bool("IncludeLineItems", true);
        }
        w.close_request("BillQueryRq");
    }
}
