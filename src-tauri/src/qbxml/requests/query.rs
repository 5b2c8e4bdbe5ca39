//! The selection part shared by list and transaction queries, written in schema order.

use crate::qbxml::limits;
use crate::qbxml::types::{ListSelection, TxnDateRange, TxnSelection};
use crate::qbxml::writer::QbWriter;

/// qbXML 13.0 list query head: `ListID+ | FullName+ | ListFilter`
/// (ListFilter = MaxReturned, ActiveStatus, FromModifiedDate, ToModifiedDate, NameFilter).
pub(crate) fn write_list_selection(
    w: &mut QbWriter,
    selection: &ListSelection,
    full_name_max: usize,
) {
    match selection {
        ListSelection::ListIds(ids) => w.text_list("ListID", ids, limits::ID_MAX),
        ListSelection::FullNames(names) => w.text_list("FullName", names, full_name_max),
        ListSelection::Filter(f) => {
            if let Some(n) = f.max_returned {
                w.int("MaxReturned", n);
            }
            if let Some(s) = f.active_status {
                w.text("ActiveStatus", s.as_str(), usize::MAX);
            }
            w.opt_datetime("FromModifiedDate", f.from_modified);
            w.opt_datetime("ToModifiedDate", f.to_modified);
            if let Some(nf) = &f.name_filter {
                w.open("NameFilter");
                w.text("MatchCriterion", nf.criterion.as_str(), usize::MAX);
                w.required_text("Name", &nf.name, full_name_max);
                w.close("NameFilter");
            }
        }
    }
}

/// qbXML 13.0 `IncludeRetElement` in a query (list and transaction queries alike): after
/// the selection (and IncludeLineItems / IncludeLinkedTxns), before OwnerID; STRTYPE, at
/// most 50 characters each. Empty: QuickBooks returns every element.
pub(crate) fn write_include_ret(w: &mut QbWriter, names: &[&str]) {
    for name in names {
        w.text("IncludeRetElement", name, limits::INCLUDE_RET_ELEMENT_MAX);
    }
}

/// qbXML 13.0 transaction query head: `TxnID+ | RefNumber+ | TxnFilter`
/// (TxnFilter = MaxReturned, ModifiedDateRangeFilter | TxnDateRangeFilter, EntityFilter).
/// Returns whether the filter branch was written (InvoiceQuery's PaidStatus belongs to it).
pub(crate) fn write_txn_selection(
    w: &mut QbWriter,
    selection: &TxnSelection,
    ref_number_max: usize,
) -> bool {
    match selection {
        TxnSelection::TxnIds(ids) => {
            w.text_list("TxnID", ids, limits::ID_MAX);
            false
        }
        TxnSelection::RefNumbers(refs) => {
            w.text_list("RefNumber", refs, ref_number_max);
            false
        }
        TxnSelection::Filter(f) => {
            if let Some(n) = f.max_returned {
                w.int("MaxReturned", n);
            }
            match &f.date_range {
                None => {}
                Some(TxnDateRange::Modified { from, to }) => {
                    w.open("ModifiedDateRangeFilter");
                    w.opt_datetime("FromModifiedDate", *from);
                    w.opt_datetime("ToModifiedDate", *to);
                    w.close("ModifiedDateRangeFilter");
                }
                Some(TxnDateRange::TxnDate { from, to }) => {
                    w.open("TxnDateRangeFilter");
                    w.opt_date("FromTxnDate", *from);
                    w.opt_date("ToTxnDate", *to);
                    w.close("TxnDateRangeFilter");
                }
            }
            if !f.entity_list_ids.is_empty() {
                w.open("EntityFilter");
                w.text_list("ListID", &f.entity_list_ids, limits::ID_MAX);
                w.close("EntityFilter");
            }
            true
        }
    }
}
