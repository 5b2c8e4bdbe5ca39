//! Queries: which objects a `XxxQueryRq` selects, MaxReturned, IncludeRetElement, and the
//! iterator protocol (`iterator="Start|Continue|Stop"`, `iteratorID`,
//! `iteratorRemainingCount`).
//!
//! Owns: list filters (ListID / FullName lists, ActiveStatus — ActiveOnly by default —,
//! From/ToModifiedDate, NameFilter, NameRangeFilter) and transaction filters (TxnID /
//! RefNumber lists, ModifiedDateRangeFilter, TxnDateRangeFilter, EntityFilter,
//! RefNumberFilter, RefNumberRangeFilter, PaidStatus). Does not own: how each object is
//! written (its Ret writer in lists.rs / txns.rs).
//! Modelled quirk: with [`Company::set_modified_filter_skew`], FromModifiedDate is applied
//! that much later than asked, as QuickBooks' wrong offsets around daylight-saving changes
//! do; a client that overlaps its incremental windows by at least the skew misses nothing.
//! Not modelled: TotalBalanceFilter, ClassFilter, CurrencyFilter, AccountFilter, DateMacro
//! (ignored, so they select more, never less), OwnerID (no data extensions are kept).

use std::collections::VecDeque;

use chrono::NaiveDate;

use super::model::*;
use super::purchases::{self, PurchaseKind};
use super::{lists, txns, Answer, Company, Handled, IteratorState};
use crate::status::Status;
use crate::xml::Element;

/// Which sort of object a query selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    Customer,
    /// `None` = every item kind (ItemQuery); otherwise that qbXML object name.
    Item(Option<&'static str>),
    Account,
    PaymentMethod,
    SalesTaxCode,
    Invoice,
    Estimate,
    ReceivePayment,
    Vendor,
    Bill,
    Check,
    CreditCardCharge,
    JournalEntry,
    Deposit,
}

impl QueryKind {
    pub fn for_request(name: &str) -> Option<QueryKind> {
        Some(match name {
            "CustomerQueryRq" => QueryKind::Customer,
            "ItemQueryRq" => QueryKind::Item(None),
            "ItemServiceQueryRq" => QueryKind::Item(Some("ItemService")),
            "ItemNonInventoryQueryRq" => QueryKind::Item(Some("ItemNonInventory")),
            "ItemOtherChargeQueryRq" => QueryKind::Item(Some("ItemOtherCharge")),
            "ItemSalesTaxQueryRq" => QueryKind::Item(Some("ItemSalesTax")),
            "ItemSalesTaxGroupQueryRq" => QueryKind::Item(Some("ItemSalesTaxGroup")),
            "AccountQueryRq" => QueryKind::Account,
            "PaymentMethodQueryRq" => QueryKind::PaymentMethod,
            "SalesTaxCodeQueryRq" => QueryKind::SalesTaxCode,
            "InvoiceQueryRq" => QueryKind::Invoice,
            "EstimateQueryRq" => QueryKind::Estimate,
            "ReceivePaymentQueryRq" => QueryKind::ReceivePayment,
            "VendorQueryRq" => QueryKind::Vendor,
            "BillQueryRq" => QueryKind::Bill,
            "CheckQueryRq" => QueryKind::Check,
            "CreditCardChargeQueryRq" => QueryKind::CreditCardCharge,
            "JournalEntryQueryRq" => QueryKind::JournalEntry,
            "DepositQueryRq" => QueryKind::Deposit,
            _ => return None,
        })
    }

    fn is_txn(self) -> bool {
        matches!(
            self,
            QueryKind::Invoice
                | QueryKind::Estimate
                | QueryKind::ReceivePayment
                | QueryKind::Bill
                | QueryKind::Check
                | QueryKind::CreditCardCharge
                | QueryKind::JournalEntry
                | QueryKind::Deposit
        )
    }
}

/// The ids a query selected, in answer order, and a non-OK status to report with them.
struct Found {
    ids: Vec<String>,
    warning: Option<Status>,
}

/// One list object as filters see it.
struct ListRow {
    id: String,
    full_name: String,
    is_active: bool,
    modified: Time,
}

fn list_rows(c: &Company, kind: QueryKind) -> Vec<ListRow> {
    let mut rows: Vec<ListRow> = match kind {
        QueryKind::Customer => c
            .customers
            .iter()
            .map(|x| ListRow {
                id: x.core.list_id.clone(),
                full_name: c.customer_full_name(&x.core.list_id),
                is_active: x.is_active,
                modified: x.core.modified,
            })
            .collect(),
        QueryKind::Item(filter) => c
            .items
            .iter()
            .filter(|i| filter.is_none_or(|f| i.kind.object_name() == f))
            .map(|x| ListRow {
                id: x.core.list_id.clone(),
                full_name: c.item_full_name(&x.core.list_id),
                is_active: x.is_active,
                modified: x.core.modified,
            })
            .collect(),
        QueryKind::Account => c
            .accounts
            .iter()
            .map(|x| ListRow {
                id: x.core.list_id.clone(),
                full_name: x.name.clone(),
                is_active: x.is_active,
                modified: x.core.modified,
            })
            .collect(),
        QueryKind::PaymentMethod => c
            .payment_methods
            .iter()
            .map(|x| ListRow {
                id: x.core.list_id.clone(),
                full_name: x.name.clone(),
                is_active: x.is_active,
                modified: x.core.modified,
            })
            .collect(),
        QueryKind::Vendor => c
            .vendors
            .iter()
            .map(|x| ListRow {
                id: x.core.list_id.clone(),
                full_name: x.name.clone(),
                is_active: x.is_active,
                modified: x.core.modified,
            })
            .collect(),
        QueryKind::SalesTaxCode => c
            .tax_codes
            .iter()
            .map(|x| ListRow {
                id: x.core.list_id.clone(),
                full_name: x.name.clone(),
                is_active: x.is_active,
                modified: x.core.modified,
            })
            .collect(),
        _ => Vec::new(),
    };
    // QuickBooks lists come back in name order, a parent before its jobs.
    rows.sort_by_key(|r| r.full_name.to_lowercase());
    rows
}

fn find_list(c: &Company, rq: &Element, kind: QueryKind) -> Result<Found, Status> {
    let rows = list_rows(c, kind);
    let list_ids: Vec<&str> = rq.all("ListID").map(|e| e.text.trim()).collect();
    if !list_ids.is_empty() {
        let mut ids = Vec::new();
        for wanted in list_ids {
            match rows.iter().find(|r| r.id == wanted) {
                Some(r) => ids.push(r.id.clone()),
                None => return Err(Status::object_not_found(wanted)),
            }
        }
        return Ok(Found { ids, warning: None });
    }
    let names: Vec<&str> = rq.all("FullName").map(|e| e.text.trim()).collect();
    if !names.is_empty() {
        let mut ids = Vec::new();
        let mut warning = None;
        for wanted in names {
            match rows
                .iter()
                .find(|r| r.full_name.eq_ignore_ascii_case(wanted))
            {
                Some(r) => ids.push(r.id.clone()),
                None => {
                    if warning.is_none() {
                        warning = Some(Status::some_not_found(wanted));
                    }
                }
            }
        }
        return Ok(Found { ids, warning });
    }
    // qbXML: ActiveStatus defaults to ActiveOnly — inactive records are invisible unless
    // the request asks for All or InactiveOnly.
    let active = rq.text_of("ActiveStatus").unwrap_or("ActiveOnly");
    let from = rq
        .text_of("FromModifiedDate")
        .and_then(|t| c.clock.parse_datetime(t))
        .map(|f| f + c.modified_filter_skew);
    let to = rq
        .text_of("ToModifiedDate")
        .and_then(|t| c.clock.parse_datetime(t));
    let name_filter = rq.first("NameFilter");
    let range = rq.first("NameRangeFilter");
    let ids = rows
        .into_iter()
        .filter(|r| match active {
            "All" => true,
            "InactiveOnly" => !r.is_active,
            _ => r.is_active,
        })
        .filter(|r| from.is_none_or(|f| r.modified >= f))
        .filter(|r| to.is_none_or(|t| r.modified <= t))
        .filter(|r| name_filter.is_none_or(|f| text_matches(f, "Name", &r.full_name)))
        .filter(|r| {
            range.is_none_or(|f| {
                let name = r.full_name.to_lowercase();
                f.text_of("FromName")
                    .is_none_or(|v| name >= v.to_lowercase())
                    && f.text_of("ToName").is_none_or(|v| name <= v.to_lowercase())
            })
        })
        .map(|r| r.id)
        .collect();
    Ok(Found { ids, warning: None })
}

/// NameFilter / RefNumberFilter: MatchCriterion StartsWith | Contains | EndsWith,
/// case-insensitive as in QuickBooks.
fn text_matches(filter: &Element, field: &str, value: &str) -> bool {
    let wanted = filter.text_of(field).unwrap_or("").to_lowercase();
    let value = value.to_lowercase();
    match filter.text_of("MatchCriterion").unwrap_or("StartsWith") {
        "Contains" => value.contains(&wanted),
        "EndsWith" => value.ends_with(&wanted),
        _ => value.starts_with(&wanted),
    }
}

struct TxnRow {
    id: String,
    customer: String,
    ref_number: Option<String>,
    txn_date: NaiveDate,
    modified: Time,
    open: bool,
}

fn txn_rows(c: &Company, kind: QueryKind) -> Vec<TxnRow> {
    match kind {
        QueryKind::Invoice | QueryKind::Estimate => {
            let wanted = if kind == QueryKind::Invoice {
                SalesKind::Invoice
            } else {
                SalesKind::Estimate
            };
            c.sales
                .iter()
                .filter(|s| s.kind == wanted)
                .map(|s| TxnRow {
                    id: s.core.txn_id.clone(),
                    customer: s.customer.clone(),
                    ref_number: s.ref_number.clone(),
                    txn_date: s.txn_date,
                    modified: s.core.modified,
                    open: s.balance() > rust_decimal::Decimal::ZERO,
                })
                .collect()
        }
        QueryKind::ReceivePayment => c
            .payments
            .iter()
            .map(|p| TxnRow {
                id: p.core.txn_id.clone(),
                customer: p.customer.clone(),
                ref_number: p.ref_number.clone(),
                txn_date: p.txn_date,
                modified: p.core.modified,
                open: false,
            })
            .collect(),
        QueryKind::Bill | QueryKind::Check | QueryKind::CreditCardCharge => {
            let wanted = match kind {
                QueryKind::Bill => PurchaseKind::Bill,
                QueryKind::Check => PurchaseKind::Check,
                _ => PurchaseKind::CreditCardCharge,
            };
            c.purchases
                .iter()
                .filter(|p| p.kind == wanted)
                .map(|p| TxnRow {
                    id: p.core.txn_id.clone(),
                    customer: p.vendor.clone().unwrap_or_default(),
                    ref_number: p.ref_number.clone(),
                    txn_date: p.txn_date,
                    modified: p.core.modified,
                    open: p.kind == PurchaseKind::Bill && !p.paid,
                })
                .collect()
        }
        QueryKind::JournalEntry => c
            .journal_entries
            .iter()
            .map(|j| TxnRow {
                id: j.core.txn_id.clone(),
                customer: j
                    .lines
                    .iter()
                    .find_map(|l| l.entity.clone())
                    .unwrap_or_default(),
                ref_number: j.ref_number.clone(),
                txn_date: j.txn_date,
                modified: j.core.modified,
                open: false,
            })
            .collect(),
        QueryKind::Deposit => c
            .deposits
            .iter()
            .map(|d| TxnRow {
                id: d.core.txn_id.clone(),
                customer: String::new(),
                ref_number: None,
                txn_date: d.txn_date,
                modified: d.core.modified,
                open: false,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn find_txns(c: &Company, rq: &Element, kind: QueryKind) -> Result<Found, Status> {
    let rows = txn_rows(c, kind);
    let txn_ids: Vec<&str> = rq.all("TxnID").map(|e| e.text.trim()).collect();
    if !txn_ids.is_empty() {
        let mut ids = Vec::new();
        for wanted in txn_ids {
            match rows.iter().find(|r| r.id == wanted) {
                Some(r) => ids.push(r.id.clone()),
                None => return Err(Status::object_not_found(wanted)),
            }
        }
        return Ok(Found { ids, warning: None });
    }
    let refs: Vec<&str> = rq.all("RefNumber").map(|e| e.text.trim()).collect();
    let refs_cs: Vec<&str> = rq
        .all("RefNumberCaseSensitive")
        .map(|e| e.text.trim())
        .collect();
    if !refs.is_empty() || !refs_cs.is_empty() {
        let ids = rows
            .iter()
            .filter(|r| {
                r.ref_number.as_deref().is_some_and(|n| {
                    refs.iter().any(|w| w.eq_ignore_ascii_case(n)) || refs_cs.contains(&n)
                })
            })
            .map(|r| r.id.clone())
            .collect();
        return Ok(Found { ids, warning: None });
    }
    let modified = rq.first("ModifiedDateRangeFilter");
    let from = modified
        .and_then(|f| f.text_of("FromModifiedDate"))
        .and_then(|t| c.clock.parse_datetime(t))
        .map(|f| f + c.modified_filter_skew);
    let to = modified
        .and_then(|f| f.text_of("ToModifiedDate"))
        .and_then(|t| c.clock.parse_datetime(t));
    let dates = rq.first("TxnDateRangeFilter");
    let from_date = dates
        .and_then(|f| f.text_of("FromTxnDate"))
        .and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok());
    let to_date = dates
        .and_then(|f| f.text_of("ToTxnDate"))
        .and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok());
    let entities = rq.first("EntityFilter").map(|f| entity_ids(c, f));
    let ref_filter = rq.first("RefNumberFilter");
    let ref_range = rq.first("RefNumberRangeFilter");
    let paid = rq.text_of("PaidStatus").unwrap_or("All");
    let ids = rows
        .into_iter()
        .filter(|r| from.is_none_or(|f| r.modified >= f))
        .filter(|r| to.is_none_or(|t| r.modified <= t))
        .filter(|r| from_date.is_none_or(|f| r.txn_date >= f))
        .filter(|r| to_date.is_none_or(|t| r.txn_date <= t))
        .filter(|r| {
            entities
                .as_ref()
                .is_none_or(|set| set.contains(&r.customer))
        })
        .filter(|r| {
            ref_filter.is_none_or(|f| {
                r.ref_number
                    .as_deref()
                    .is_some_and(|n| text_matches(f, "RefNumber", n))
            })
        })
        .filter(|r| {
            ref_range.is_none_or(|f| {
                r.ref_number.as_deref().is_some_and(|n| {
                    f.text_of("FromRefNumber").is_none_or(|v| n >= v)
                        && f.text_of("ToRefNumber").is_none_or(|v| n <= v)
                })
            })
        })
        .filter(|r| match paid {
            "PaidOnly" => !r.open,
            "NotPaidOnly" => r.open,
            _ => true,
        })
        .map(|r| r.id)
        .collect();
    Ok(Found { ids, warning: None })
}

/// EntityFilter: ListID* | FullName* | ListIDWithChildren | FullNameWithChildren.
fn entity_ids(c: &Company, f: &Element) -> Vec<String> {
    let mut roots: Vec<(String, bool)> = Vec::new();
    for e in f.all("ListID") {
        roots.push((e.text.trim().to_string(), false));
    }
    for e in f.all("FullName") {
        if let Some(id) = c.customer_id_by_full_name(&e.text) {
            roots.push((id, false));
        }
    }
    if let Some(e) = f.first("ListIDWithChildren") {
        roots.push((e.text.trim().to_string(), true));
    }
    if let Some(e) = f.first("FullNameWithChildren") {
        if let Some(id) = c.customer_id_by_full_name(&e.text) {
            roots.push((id, true));
        }
    }
    let mut out = Vec::new();
    for (id, with_children) in roots {
        if with_children {
            let prefix = format!("{}:", c.customer_full_name(&id).to_lowercase());
            for cu in &c.customers {
                if c.customer_full_name(&cu.core.list_id)
                    .to_lowercase()
                    .starts_with(&prefix)
                {
                    out.push(cu.core.list_id.clone());
                }
            }
        }
        out.push(id);
    }
    out
}

fn render(c: &Company, kind: QueryKind, id: &str, options: &Element) -> Option<Element> {
    let ret = match kind {
        QueryKind::Customer => c.customer_by_id(id).is_some().then(|| {
            let wanted: Vec<&str> = options
                .all("IncludeRetElement")
                .map(|e| e.text.trim())
                .collect();
            let balances = wanted.is_empty()
                || wanted.contains(&"Balance")
                || wanted.contains(&"TotalBalance");
            lists::customer_ret_with(c, id, balances)
        }),
        QueryKind::Item(_) => c.item(id).map(|_| lists::item_ret(c, id)),
        QueryKind::Account => Some(lists::account_ret(c, id)),
        QueryKind::PaymentMethod => Some(lists::payment_method_ret(c, id)),
        QueryKind::SalesTaxCode => Some(lists::tax_code_ret(c, id)),
        QueryKind::Invoice | QueryKind::Estimate => {
            let lines = super::bool_of(options, "IncludeLineItems").unwrap_or(false);
            let linked = super::bool_of(options, "IncludeLinkedTxns").unwrap_or(false);
            c.sales
                .iter()
                .any(|s| s.core.txn_id == id)
                .then(|| txns::sales_ret(c, id, lines, linked))
        }
        QueryKind::ReceivePayment => c
            .payments
            .iter()
            .any(|p| p.core.txn_id == id)
            .then(|| txns::payment_ret(c, id)),
        QueryKind::Vendor => c
            .vendors
            .iter()
            .any(|v| v.core.list_id == id)
            .then(|| purchases::vendor_ret(c, id)),
        QueryKind::Bill | QueryKind::Check | QueryKind::CreditCardCharge => {
            let lines = super::bool_of(options, "IncludeLineItems").unwrap_or(false);
            c.purchases
                .iter()
                .any(|p| p.core.txn_id == id)
                .then(|| purchases::purchase_ret(c, id, lines))
        }
        QueryKind::JournalEntry => {
            let lines = super::bool_of(options, "IncludeLineItems").unwrap_or(false);
            c.journal_entries
                .iter()
                .any(|j| j.core.txn_id == id)
                .then(|| super::journal::journal_ret(c, id, lines))
        }
        QueryKind::Deposit => {
            let lines = super::bool_of(options, "IncludeLineItems").unwrap_or(false);
            c.deposits
                .iter()
                .any(|d| d.core.txn_id == id)
                .then(|| super::journal::deposit_ret(c, id, lines))
        }
    }?;
    Some(restrict(ret, options))
}

/// IncludeRetElement (queries and adds): only the named top-level children of each Ret
/// come back.
pub(crate) fn restrict(mut ret: Element, options: &Element) -> Element {
    let wanted: Vec<&str> = options
        .all("IncludeRetElement")
        .map(|e| e.text.trim())
        .collect();
    if !wanted.is_empty() {
        ret.children
            .retain(|child| wanted.contains(&child.name.as_str()));
    }
    ret
}

fn max_returned(rq: &Element) -> Option<usize> {
    rq.text_of("MaxReturned")
        .and_then(|t| t.trim().parse().ok())
}

/// Answers any query: selection, MaxReturned, and the iterator protocol.
pub(crate) fn answer(c: &mut Company, rq: &Element, kind: QueryKind) -> Handled {
    match rq.get_attr("iterator") {
        Some("Continue") => return Ok(continue_iterator(c, rq)),
        Some("Stop") => {
            let id = rq.get_attr("iteratorID").unwrap_or("");
            return Ok(match c.iterators.remove(id) {
                Some(_) => Answer::status(Status::ok()),
                None => Answer::status(Status::invalid_object_id(id, "iteratorID")),
            });
        }
        _ => {}
    }
    let found = if kind.is_txn() {
        find_txns(c, rq, kind)
    } else {
        find_list(c, rq, kind)
    };
    let found = match found {
        Ok(f) => f,
        Err(status) => return Ok(Answer::status(status)),
    };
    if rq.get_attr("iterator") == Some("Start") {
        let max = max_returned(rq).unwrap_or(usize::MAX).max(1);
        let mut remaining: VecDeque<String> = found.ids.into();
        let chunk: Vec<String> = (0..max).map_while(|_| remaining.pop_front()).collect();
        let iterator_id = c.rng.guid();
        let rets: Vec<Element> = chunk
            .iter()
            .filter_map(|id| render(c, kind, id, rq))
            .collect();
        let remaining_count = remaining.len();
        if remaining_count > 0 {
            c.iterators.insert(
                iterator_id.clone(),
                IteratorState {
                    kind,
                    start: rq.clone(),
                    remaining,
                    max,
                },
            );
        }
        let status = if rets.is_empty() {
            Status::no_match()
        } else {
            found.warning.unwrap_or_else(Status::ok)
        };
        return Ok(Answer {
            status,
            rets,
            attrs: vec![
                (
                    "iteratorRemainingCount".to_string(),
                    remaining_count.to_string(),
                ),
                ("iteratorID".to_string(), iterator_id),
            ],
        });
    }
    let mut ids = found.ids;
    if let Some(max) = max_returned(rq) {
        ids.truncate(max);
    }
    let rets: Vec<Element> = ids
        .iter()
        .filter_map(|id| render(c, kind, id, rq))
        .collect();
    let status = match found.warning {
        Some(w) => w,
        None if rets.is_empty() => Status::no_match(),
        None => Status::ok(),
    };
    Ok(Answer {
        status,
        rets,
        attrs: Vec::new(),
    })
}

/// iterator="Continue": the next MaxReturned of what Start selected. QuickBooks forgets an
/// iterator when it is exhausted or the session ends; an unknown id is 3000.
fn continue_iterator(c: &mut Company, rq: &Element) -> Answer {
    let id = rq.get_attr("iteratorID").unwrap_or("").to_string();
    let Some(mut state) = c.iterators.remove(&id) else {
        return Answer::status(Status::invalid_object_id(&id, "iteratorID"));
    };
    let max = max_returned(rq).unwrap_or(state.max).max(1);
    let chunk: Vec<String> = (0..max)
        .map_while(|_| state.remaining.pop_front())
        .collect();
    let rets: Vec<Element> = chunk
        .iter()
        .filter_map(|x| render(c, state.kind, x, &state.start))
        .collect();
    let remaining_count = state.remaining.len();
    if remaining_count > 0 {
        c.iterators.insert(id.clone(), state);
    }
    Answer {
        status: if rets.is_empty() {
            Status::no_match()
        } else {
            Status::ok()
        },
        rets,
        attrs: vec![
            (
                "iteratorRemainingCount".to_string(),
                remaining_count.to_string(),
            ),
            ("iteratorID".to_string(), id),
        ],
    }
}
