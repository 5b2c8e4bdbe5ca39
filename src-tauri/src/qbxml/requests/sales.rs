//! InvoiceAdd and EstimateAdd (with their lines), InvoiceQuery and EstimateQuery.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::query::{write_include_ret, write_txn_selection};
use crate::qbxml::limits;
use crate::qbxml::types::{Address, ListRef, OwnerId, PaidStatus, QueryIterator, TxnSelection};
use crate::qbxml::writer::QbWriter;

/// One line of an invoice or estimate. QuickBooks computes Amount from Quantity × Rate when
/// Amount is left out; give Amount alone for a flat line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesLine {
    pub item: Option<ListRef>,
    pub desc: Option<String>,
    /// QUANTYPE: up to 10 digits before and 5 after the point.
    pub quantity: Option<Decimal>,
    /// PRICETYPE: up to 10 digits before and 5 after the point.
    pub rate: Option<Decimal>,
    /// AMTTYPE: written with two places.
    pub amount: Option<Decimal>,
    /// Invoices only: qbXML 13.0 EstimateLineAdd has no ServiceDate, so an estimate line
    /// with one is refused rather than silently losing it.
    pub service_date: Option<NaiveDate>,
    /// `Tax` / `Non`.
    pub sales_tax_code: Option<ListRef>,
}

/// `InvoiceAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceAdd {
    pub request_id: String,
    /// The customer or job (prefer its ListID).
    pub customer: ListRef,
    pub ar_account: Option<ListRef>,
    pub txn_date: Option<NaiveDate>,
    /// At most 11 characters.
    pub ref_number: Option<String>,
    pub bill_address: Option<Address>,
    pub ship_address: Option<Address>,
    pub po_number: Option<String>,
    pub terms: Option<ListRef>,
    pub due_date: Option<NaiveDate>,
    /// The sales tax item or group QuickBooks computes the tax with.
    pub item_sales_tax: Option<ListRef>,
    pub memo: Option<String>,
    pub is_to_be_printed: Option<bool>,
    pub is_to_be_emailed: Option<bool>,
    pub customer_sales_tax_code: Option<ListRef>,
    /// The record's stable FieldBridge id, so a lost answer can be recognised later.
    pub external_guid: Option<Uuid>,
    /// At least one (FieldBridge's rule: an invoice without lines is a mistake upstream).
    pub lines: Vec<SalesLine>,
    /// `IncludeRetElement`: the top-level InvoiceRet elements QuickBooks returns (empty:
    /// all of them). Naming only what the answer is used for keeps a 100-invoice answer
    /// small (no lines, addresses or refs echoed back).
    pub include_ret: &'static [&'static str],
}

/// `EstimateAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EstimateAdd {
    pub request_id: String,
    pub customer: ListRef,
    pub txn_date: Option<NaiveDate>,
    /// At most 11 characters.
    pub ref_number: Option<String>,
    pub bill_address: Option<Address>,
    pub ship_address: Option<Address>,
    pub po_number: Option<String>,
    pub terms: Option<ListRef>,
    pub due_date: Option<NaiveDate>,
    pub item_sales_tax: Option<ListRef>,
    pub memo: Option<String>,
    pub is_to_be_emailed: Option<bool>,
    pub customer_sales_tax_code: Option<ListRef>,
    pub external_guid: Option<Uuid>,
    /// At least one (qbXML 13.0: EstimateLineAdd is `minOccurs=1`).
    pub lines: Vec<SalesLine>,
    /// `IncludeRetElement`, as on [`InvoiceAdd`].
    pub include_ret: &'static [&'static str],
}

/// `InvoiceQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    /// Only with `TxnSelection::Filter` (qbXML puts PaidStatus inside InvoiceFilter).
    pub paid_status: Option<PaidStatus>,
    pub include_line_items: bool,
    pub include_linked_txns: bool,
    /// `IncludeRetElement`: only these top-level InvoiceRet elements come back (empty: all).
    /// A pull names what it reads, so a page of invoices stays small.
    pub include_ret: &'static [&'static str],
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

/// `EstimateQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EstimateQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    pub include_line_items: bool,
    pub include_linked_txns: bool,
    /// `IncludeRetElement`, as on [`InvoiceQuery`].
    pub include_ret: &'static [&'static str],
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LineKind {
    Invoice,
    Estimate,
}

/// qbXML 13.0 TxnLineCoreAdd: ItemRef, Desc, Quantity, Rate, Amount; then for invoices
/// ServiceDate, SalesTaxCodeRef; for estimates SalesTaxCodeRef. A `*LineMod` writes the same
/// after its `TxnLineID` (`txn_line_id`; "-1" adds the line).
pub(super) fn write_line(
    w: &mut QbWriter,
    element: &str,
    index: usize,
    txn_line_id: Option<&str>,
    line: &SalesLine,
    kind: LineKind,
) {
    w.open_indexed(element, index);
    if let Some(id) = txn_line_id {
        w.required_text("TxnLineID", id, limits::ID_MAX);
    }
    w.opt_list_ref("ItemRef", line.item.as_ref(), limits::ITEM_FULL_NAME_MAX);
    w.opt_text("Desc", line.desc.as_ref(), limits::LINE_DESC_MAX);
    if let Some(q) = line.quantity {
        w.price("Quantity", q, "QUANTYPE");
    }
    if let Some(r) = line.rate {
        w.price("Rate", r, "PRICETYPE");
    }
    w.opt_amount("Amount", line.amount);
    match kind {
        LineKind::Invoice => w.opt_date("ServiceDate", line.service_date),
        LineKind::Estimate => {
            if line.service_date.is_some() {
                w.conflict(format!(
                    "{element}[{index}]: an estimate line cannot carry a service date in qbXML 13.0"
                ));
            }
        }
    }
    w.opt_list_ref(
        "SalesTaxCodeRef",
        line.sales_tax_code.as_ref(),
        limits::SALES_TAX_CODE_NAME_MAX,
    );
    w.close(element);
}

impl InvoiceAdd {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("InvoiceAddRq", &self.request_id, None);
        w.open("InvoiceAdd");
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
            limits::INVOICE_REF_NUMBER_MAX,
        );
        w.opt_address("BillAddress", self.bill_address.as_ref());
        w.opt_address("ShipAddress", self.ship_address.as_ref());
        w.opt_text("PONumber", self.po_number.as_ref(), limits::PO_NUMBER_MAX);
        w.opt_list_ref(
            "TermsRef",
            self.terms.as_ref(),
            limits::SIMPLE_LIST_FULL_NAME_MAX,
        );
        w.opt_date("DueDate", self.due_date);
        w.opt_list_ref(
            "ItemSalesTaxRef",
            self.item_sales_tax.as_ref(),
            limits::SIMPLE_LIST_FULL_NAME_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        w.opt_bool("IsToBePrinted", self.is_to_be_printed);
        w.opt_bool("IsToBeEmailed", self.is_to_be_emailed);
        let code = self.customer_sales_tax_code.as_ref();
        w.opt_list_ref(
            "CustomerSalesTaxCodeRef",
            code,
            limits::SALES_TAX_CODE_NAME_MAX,
        );
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        if self.lines.is_empty() {
            w.empty("InvoiceLineAdd");
        }
        for (i, line) in self.lines.iter().enumerate() {
            write_line(w, "InvoiceLineAdd", i + 1, None, line, LineKind::Invoice);
        }
        w.close("InvoiceAdd");
        write_include_ret(w, self.include_ret);
        w.close_request("InvoiceAddRq");
    }
}

impl EstimateAdd {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("EstimateAddRq", &self.request_id, None);
        w.open("EstimateAdd");
        w.list_ref(
            "CustomerRef",
            &self.customer,
            limits::CUSTOMER_FULL_NAME_MAX,
        );
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            limits::ESTIMATE_REF_NUMBER_MAX,
        );
        w.opt_address("BillAddress", self.bill_address.as_ref());
        w.opt_address("ShipAddress", self.ship_address.as_ref());
        w.opt_text("PONumber", self.po_number.as_ref(), limits::PO_NUMBER_MAX);
        w.opt_list_ref(
            "TermsRef",
            self.terms.as_ref(),
            limits::SIMPLE_LIST_FULL_NAME_MAX,
        );
        w.opt_date("DueDate", self.due_date);
        w.opt_list_ref(
            "ItemSalesTaxRef",
            self.item_sales_tax.as_ref(),
            limits::SIMPLE_LIST_FULL_NAME_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        w.opt_bool("IsToBeEmailed", self.is_to_be_emailed);
        let code = self.customer_sales_tax_code.as_ref();
        w.opt_list_ref(
            "CustomerSalesTaxCodeRef",
            code,
            limits::SALES_TAX_CODE_NAME_MAX,
        );
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        if self.lines.is_empty() {
            w.empty("EstimateLineAdd");
        }
        for (i, line) in self.lines.iter().enumerate() {
            write_line(w, "EstimateLineAdd", i + 1, None, line, LineKind::Estimate);
        }
        w.close("EstimateAdd");
        write_include_ret(w, self.include_ret);
        w.close_request("EstimateAddRq");
    }
}

/// The tail of InvoiceQuery / EstimateQuery in qbXML 13.0 order: IncludeLineItems,
/// IncludeLinkedTxns, IncludeRetElement*, OwnerID.
fn write_query_tail(
    w: &mut QbWriter,
    line_items: bool,
    linked: bool,
    include_ret: &[&str],
    owner_id: Option<OwnerId>,
) {
    if line_items {
        w.bool("IncludeLineItems", true);
    }
    if linked {
        w.bool("IncludeLinkedTxns", true);
    }
    write_include_ret(w, include_ret);
    w.owner_id(owner_id);
}

impl InvoiceQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("InvoiceQueryRq", &self.request_id, self.iterator.as_ref());
        let filtered = write_txn_selection(w, &self.selection, limits::INVOICE_REF_NUMBER_MAX);
        if let Some(p) = self.paid_status {
            if filtered {
                w.text("PaidStatus", p.as_str(), usize::MAX);
            } else {
                w.conflict(
                    "PaidStatus can only be combined with a filter, not with TxnIDs or RefNumbers",
                );
            }
        }
        write_query_tail(
            w,
            self.include_line_items,
            self.include_linked_txns,
            self.include_ret,
            self.owner_id,
        );
        w.close_request("InvoiceQueryRq");
    }
}

impl EstimateQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("EstimateQueryRq", &self.request_id, self.iterator.as_ref());
        write_txn_selection(w, &self.selection, limits::ESTIMATE_REF_NUMBER_MAX);
        write_query_tail(
            w,
            self.include_line_items,
            self.include_linked_txns,
            self.include_ret,
            self.owner_id,
        );
        w.close_request("EstimateQueryRq");
    }
}
