//! InvoiceMod and EstimateMod (with their lines): changing an invoice or estimate QuickBooks
//! already has, on the EditSequence last read.
//!
//! qbXML 13.0, InvoiceMod / EstimateMod: "If you include line items in a mod request, any
//! existing line that you do not include is deleted"; a line with its `TxnLineID` is changed,
//! a line with `TxnLineID` `-1` is added. So a mod that touches lines carries every line that
//! stays, and a mod that leaves `lines` as `None` leaves QuickBooks' lines as they are.

use chrono::NaiveDate;

use super::query::write_include_ret;
use super::sales::{write_line, LineKind, SalesLine};
use crate::qbxml::limits;
use crate::qbxml::types::ListRef;
use crate::qbxml::writer::QbWriter;

/// The `TxnLineID` that asks QuickBooks to add a line in a mod.
pub const NEW_TXN_LINE_ID: &str = "-1";

/// One line of a mod: the QuickBooks line it changes (`None`: a new line, written as
/// [`NEW_TXN_LINE_ID`]) and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesLineMod {
    pub txn_line_id: Option<String>,
    pub line: SalesLine,
}

/// `InvoiceModRq`. Changes only what is `Some`; a text field set to `Some(String::new())` is
/// written empty, which blanks it in QuickBooks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceMod {
    pub request_id: String,
    pub txn_id: String,
    /// From the latest InvoiceRet; QuickBooks refuses a stale one with status 3200.
    pub edit_sequence: String,
    pub customer: Option<ListRef>,
    pub txn_date: Option<NaiveDate>,
    /// At most 11 characters.
    pub ref_number: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub item_sales_tax: Option<ListRef>,
    pub memo: Option<String>,
    pub customer_sales_tax_code: Option<ListRef>,
    /// `Some`: every line the invoice keeps (at least one); `None`: lines untouched.
    pub lines: Option<Vec<SalesLineMod>>,
    /// `IncludeRetElement`, as on an add.
    pub include_ret: &'static [&'static str],
}

/// `EstimateModRq`. As [`InvoiceMod`], plus `is_active`: `Some(false)` closes the estimate
/// (QuickBooks' "Mark as closed").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EstimateMod {
    pub request_id: String,
    pub txn_id: String,
    pub edit_sequence: String,
    pub customer: Option<ListRef>,
    pub txn_date: Option<NaiveDate>,
    pub ref_number: Option<String>,
    pub is_active: Option<bool>,
    pub due_date: Option<NaiveDate>,
    pub item_sales_tax: Option<ListRef>,
    pub memo: Option<String>,
    pub customer_sales_tax_code: Option<ListRef>,
    pub lines: Option<Vec<SalesLineMod>>,
    pub include_ret: &'static [&'static str],
}

fn write_core(w: &mut QbWriter, txn_id: &str, edit_sequence: &str) {
    w.required_text("TxnID", txn_id, limits::ID_MAX);
    w.required_text("EditSequence", edit_sequence, limits::EDIT_SEQUENCE_MAX);
}

fn write_lines(w: &mut QbWriter, element: &str, lines: Option<&Vec<SalesLineMod>>, kind: LineKind) {
    let Some(lines) = lines else { return };
    if lines.is_empty() {
        // Sending no line at all would not delete them (QuickBooks reads "no lines" as
        // "lines untouched"), so an empty list is a caller's mistake.
        w.conflict(format!(
            "{element}: a mod that changes lines must keep at least one"
        ));
    }
    for (i, l) in lines.iter().enumerate() {
        let id = l.txn_line_id.as_deref().unwrap_or(NEW_TXN_LINE_ID);
        write_line(w, element, i + 1, Some(id), &l.line, kind);
    }
}

impl InvoiceMod {
    /// qbXML 13.0 InvoiceMod order: TxnID, EditSequence, CustomerRef, [ClassRef,
    /// ARAccountRef, TemplateRef], TxnDate, RefNumber, [BillAddress ... ShipMethodRef except
    /// DueDate], DueDate, ItemSalesTaxRef, Memo, [CustomerMsgRef ... IsTaxIncluded],
    /// CustomerSalesTaxCodeRef, [Other, ExchangeRate, SetCredit], InvoiceLineMod*.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("InvoiceModRq", &self.request_id, None);
        w.open("InvoiceMod");
        write_core(w, &self.txn_id, &self.edit_sequence);
        w.opt_list_ref(
            "CustomerRef",
            self.customer.as_ref(),
            limits::CUSTOMER_FULL_NAME_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::INVOICE_REF_NUMBER_MAX,
        );
        w.opt_date("DueDate", self.due_date);
        w.opt_list_ref(
            "ItemSalesTaxRef",
            self.item_sales_tax.as_ref(),
            limits::SIMPLE_LIST_FULL_NAME_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        w.opt_list_ref(
            "CustomerSalesTaxCodeRef",
            self.customer_sales_tax_code.as_ref(),
            limits::SALES_TAX_CODE_NAME_MAX,
        );
        write_lines(w, "InvoiceLineMod", self.lines.as_ref(), LineKind::Invoice);
        w.close("InvoiceMod");
        write_include_ret(w, self.include_ret);
        w.close_request("InvoiceModRq");
    }
}

impl EstimateMod {
    /// qbXML 13.0 EstimateMod order: TxnID, EditSequence, CustomerRef, [ClassRef,
    /// TemplateRef], TxnDate, RefNumber, [BillAddress, ShipAddress], IsActive,
    /// [CreateChangeOrder, PONumber, TermsRef], DueDate, [SalesRepRef, FOB], ItemSalesTaxRef,
    /// Memo, [CustomerMsgRef, IsToBeEmailed, IsTaxIncluded], CustomerSalesTaxCodeRef,
    /// [Other, ExchangeRate], EstimateLineMod*.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("EstimateModRq", &self.request_id, None);
        w.open("EstimateMod");
        write_core(w, &self.txn_id, &self.edit_sequence);
        w.opt_list_ref(
            "CustomerRef",
            self.customer.as_ref(),
            limits::CUSTOMER_FULL_NAME_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::ESTIMATE_REF_NUMBER_MAX,
        );
        w.opt_bool("IsActive", self.is_active);
        w.opt_date("DueDate", self.due_date);
        w.opt_list_ref(
            "ItemSalesTaxRef",
            self.item_sales_tax.as_ref(),
            limits::SIMPLE_LIST_FULL_NAME_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        w.opt_list_ref(
            "CustomerSalesTaxCodeRef",
            self.customer_sales_tax_code.as_ref(),
            limits::SALES_TAX_CODE_NAME_MAX,
        );
        write_lines(
            w,
            "EstimateLineMod",
            self.lines.as_ref(),
            LineKind::Estimate,
        );
        w.close("EstimateMod");
        write_include_ret(w, self.include_ret);
        w.close_request("EstimateModRq");
    }
}
