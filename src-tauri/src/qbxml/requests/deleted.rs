//! ListDeletedQuery and TxnDeletedQuery: the only way QuickBooks tells about deletions.

use chrono::{DateTime, FixedOffset};

use crate::qbxml::types::{ListDelType, TxnDelType};
use crate::qbxml::writer::QbWriter;

/// `ListDeletedQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListDeletedQuery {
    pub request_id: String,
    /// At least one.
    pub types: Vec<ListDelType>,
    pub deleted_from: Option<DateTime<FixedOffset>>,
    pub deleted_to: Option<DateTime<FixedOffset>>,
}

/// `TxnDeletedQueryRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxnDeletedQuery {
    pub request_id: String,
    /// At least one.
    pub types: Vec<TxnDelType>,
    pub deleted_from: Option<DateTime<FixedOffset>>,
    pub deleted_to: Option<DateTime<FixedOffset>>,
}

/// qbXML 13.0: `XxxDelType+`, then `DeletedDateRangeFilter` (FromDeletedDate, ToDeletedDate).
fn write_deleted(
    w: &mut QbWriter,
    element: &str,
    request_id: &str,
    type_element: &str,
    types: &[&'static str],
    from: Option<DateTime<FixedOffset>>,
    to: Option<DateTime<FixedOffset>>,
) {
    w.open_request(element, request_id, None);
    if types.is_empty() {
        w.empty(type_element);
    }
    for t in types {
        w.text(type_element, t, usize::MAX);
    }
    if from.is_some() || to.is_some() {
        w.open("DeletedDateRangeFilter");
        w.opt_datetime("FromDeletedDate", from);
        w.opt_datetime("ToDeletedDate", to);
        w.close("DeletedDateRangeFilter");
    }
    w.close_request(element);
}

impl ListDeletedQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        let types: Vec<&'static str> = self.types.iter().map(|t| t.as_str()).collect();
        let (from, to) = (self.deleted_from, self.deleted_to);
        write_deleted(
            w,
            "ListDeletedQueryRq",
            &self.request_id,
            "ListDelType",
            &types,
            from,
            to,
        );
    }
}

impl TxnDeletedQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        let types: Vec<&'static str> = self.types.iter().map(|t| t.as_str()).collect();
        let (from, to) = (self.deleted_from, self.deleted_to);
        write_deleted(
            w,
            "TxnDeletedQueryRq",
            &self.request_id,
            "TxnDelType",
            &types,
            from,
            to,
        );
    }
}
