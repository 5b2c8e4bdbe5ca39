//! Queries for the lists the engine reads but never writes: items (every type), sales tax
//! items and groups, accounts, payment methods and sales tax codes.

use super::query::{write_include_ret, write_list_selection};
use crate::qbxml::limits;
use crate::qbxml::types::{ListSelection, OwnerId, QueryIterator};
use crate::qbxml::writer::QbWriter;

/// `ItemQueryRq`: every item type at once (service, non-inventory, other charge, inventory,
/// sales tax, sales tax group, ...). Schema group ListQueryWithOwnerID; iterator allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemQuery {
    pub request_id: String,
    pub selection: ListSelection,
    /// `IncludeRetElement`: the top-level elements of each Ret QuickBooks returns (empty:
    /// all of them).
    pub include_ret: &'static [&'static str],
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

/// `ItemSalesTaxQueryRq` (schema group ListQueryWithOwnerIDAndClass; ClassFilter not written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemSalesTaxQuery {
    pub request_id: String,
    pub selection: ListSelection,
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

/// `ItemSalesTaxGroupQueryRq` (schema group ListQueryWithOwnerID).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemSalesTaxGroupQuery {
    pub request_id: String,
    pub selection: ListSelection,
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

/// `AccountQueryRq`. qbXML 13.0 gives it no iterator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountQuery {
    pub request_id: String,
    pub selection: ListSelection,
    /// `IncludeRetElement`: the top-level elements of each Ret QuickBooks returns (empty:
    /// all of them).
    pub include_ret: &'static [&'static str],
    pub owner_id: Option<OwnerId>,
}

/// `PaymentMethodQueryRq`. qbXML 13.0 gives it no iterator and no OwnerID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentMethodQuery {
    pub request_id: String,
    pub selection: ListSelection,
    /// `IncludeRetElement`: the top-level elements of each Ret QuickBooks returns (empty:
    /// all of them).
    pub include_ret: &'static [&'static str],
}

/// `SalesTaxCodeQueryRq`. qbXML 13.0 gives it no iterator and no OwnerID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesTaxCodeQuery {
    pub request_id: String,
    pub selection: ListSelection,
    /// `IncludeRetElement`: the top-level elements of each Ret QuickBooks returns (empty:
    /// all of them).
    pub include_ret: &'static [&'static str],
}

fn write_query(
    w: &mut QbWriter,
    element: &str,
    request_id: &str,
    selection: &ListSelection,
    full_name_max: usize,
    include_ret: &[&str],
    owner_id: Option<OwnerId>,
    iterator: Option<&QueryIterator>,
) {
    w.open_request(element, request_id, iterator);
    write_list_selection(w, selection, full_name_max);
    write_include_ret(w, include_ret);
    w.owner_id(owner_id);
    w.close_request(element);
}

impl ItemQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        let (sel, it) = (&self.selection, self.iterator.as_ref());
        write_query(
            w,
            "ItemQueryRq",
            &self.request_id,
            sel,
            limits::ITEM_FULL_NAME_MAX,
            self.include_ret,
            self.owner_id,
            it,
        );
    }
}

impl ItemSalesTaxQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        let (sel, it) = (&self.selection, self.iterator.as_ref());
        let max = limits::SIMPLE_LIST_FULL_NAME_MAX;
        write_query(
            w,
            "ItemSalesTaxQueryRq",
            &self.request_id,
            sel,
            max,
            &[],
            self.owner_id,
            it,
        );
    }
}

impl ItemSalesTaxGroupQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        let (sel, it) = (&self.selection, self.iterator.as_ref());
        let max = limits::SIMPLE_LIST_FULL_NAME_MAX;
        write_query(
            w,
            "ItemSalesTaxGroupQueryRq",
            &self.request_id,
            sel,
            max,
            &[],
            self.owner_id,
            it,
        );
    }
}

impl AccountQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        let max = limits::LIST_FULL_NAME_MAX;
        write_query(
            w,
            "AccountQueryRq",
            &self.request_id,
            &self.selection,
            max,
            self.include_ret,
            self.owner_id,
            None,
        );
    }
}

impl PaymentMethodQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        let max = limits::SIMPLE_LIST_FULL_NAME_MAX;
        write_query(
            w,
            "PaymentMethodQueryRq",
            &self.request_id,
            &self.selection,
            max,
            self.include_ret,
            None,
            None,
        );
    }
}

impl SalesTaxCodeQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        let max = limits::SALES_TAX_CODE_NAME_MAX;
        write_query(
            w,
            "SalesTaxCodeQueryRq",
            &self.request_id,
            &self.selection,
            max,
            self.include_ret,
            None,
            None,
        );
    }
}
