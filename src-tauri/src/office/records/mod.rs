//! The Records page (issue 12): invoices, service tickets and payments, one page at a time
//! straight from SQL (never every row), searched and filtered by sync state, each with what
//! QuickBooks says about it.
//!
//! | module | owns |
//! |---|---|
//! | [`invoices`] | invoices with QuickBooks' balance, paid state and the payments it applied |
//! | [`tickets`] | service tickets (QuickBooks estimates) and the invoice made from each |
//! | [`payments`] | field payments and the invoice each pays |
//!
//! What the three share lives here: the request, the per-state counts, the search pattern and
//! the state filter. The sync state is the store's one decision ([`Standing`]), shown as
//! `status` and `export` show it (its public state), so every count here agrees with every
//! other screen.

pub mod invoices;
pub mod payments;
pub mod tickets;

pub use invoices::{list_invoices, InvoicePage, InvoiceRow};
pub use payments::{list_payments, PaymentPage, PaymentRow};
pub use tickets::{list_tickets, TicketPage, TicketRow};

use super::OfficeError;
use crate::money::parse_decimal;
use crate::store::standing::Standing;
use crate::store::StoreError;
use rusqlite::{params_from_iter, Connection};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// At most this many rows per page (the window asks for what it shows, plus a margin).
pub const MAX_PAGE: u64 = 500;

/// Which records of one kind a page holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ListRecordsRequest {
    /// Matches the number, the app's id or the customer's name (case-insensitive); "" for all.
    pub query: String,
    /// pending, synced, failed, needs_attention or before_start_date; null for all.
    pub state: Option<String>,
    pub offset: u64,
    pub limit: u64,
}

/// One page of one kind of record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecordPage<R> {
    pub rows: Vec<R>,
    /// How many match the search and the state filter.
    pub total: u64,
    /// Per state, under the search only.
    pub counts: PageCounts,
}

/// Records per public state, under the search (for the filter's counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageCounts {
    pub all: u64,
    pub pending: u64,
    pub synced: u64,
    pub failed: u64,
    pub needs_attention: u64,
    /// Held back by the start date (not a problem).
    pub before_start_date: u64,
}

impl PageCounts {
    fn add(&mut self, standing: Standing, n: u64) {
        self.all += n;
        match standing.public_state() {
            "pending" => self.pending += n,
            "synced" => self.synced += n,
            "failed" => self.failed += n,
            "before_start_date" => self.before_start_date += n,
            _ => self.needs_attention += n,
        }
    }
}

/// The SQL a request narrows by: the `LIKE` pattern (`""` for all), the state clause to
/// append to a `WHERE` over the outbox aliased `o`, and the clamped limit and offset.
pub(crate) struct Narrowing {
    pub pattern: String,
    pub state_sql: String,
    pub limit: i64,
    pub offset: i64,
}

impl ListRecordsRequest {
    pub(crate) fn narrowing(&self) -> Result<Narrowing, OfficeError> {
        let state_sql = match self.state.as_deref() {
            None | Some("all") => String::new(),
            Some(s) => format!(" AND {}", state_condition(s)?),
        };
        Ok(Narrowing {
            pattern: like_pattern(&self.query),
            state_sql,
            limit: self.limit.min(MAX_PAGE) as i64,
            offset: self.offset.min(i64::MAX as u64) as i64,
        })
    }
}

/// The outbox rows behind a public state word (the one rule: `Standing`).
fn state_condition(state: &str) -> Result<&'static str, OfficeError> {
    Standing::sql_of_public_state(state).ok_or_else(|| {
        OfficeError::InvalidInput(format!(
            "\"{state}\" is not a state; use pending, synced, failed, needs_attention or before_start_date"
        ))
    })
}

/// `%query%` with `%`, `_` and `\` taken literally; "" when the search is empty.
fn like_pattern(query: &str) -> String {
    let q = query.trim();
    if q.is_empty() {
        return String::new();
    }
    let escaped: String = q
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// Per-state counts of the rows `from` (a `FROM … WHERE` taking the pattern as `?1`, with the
/// outbox aliased `o`) selects.
pub(crate) fn count_states(
    c: &Connection,
    from: &str,
    pattern: &str,
) -> Result<PageCounts, StoreError> {
    let mut out = PageCounts::default();
    let mut stmt = c.prepare_cached(&format!(
        "SELECT o.state, o.problem_code, count(*) {from} GROUP BY o.state, o.problem_code"
    ))?;
    let mut rows = stmt.query([pattern])?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(2)?;
        let code: Option<String> = r.get(1)?;
        out.add(
            Standing::from_stored(&r.get::<_, String>(0)?, code.as_deref())?,
            n as u64,
        );
    }
    Ok(out)
}

/// How many rows `from` selects under the state filter.
pub(crate) fn count_rows(c: &Connection, from: &str, n: &Narrowing) -> Result<u64, StoreError> {
    let total: i64 = c
        .prepare_cached(&format!("SELECT count(*) {from}{}", n.state_sql))?
        .query_row([&n.pattern], |r| r.get(0))?;
    Ok(total as u64)
}

/// Exact sums (and counts) of amounts per owner for the page's records only. `select` yields
/// (owner id, amount, quantity, rate) and ends where `WHERE {owner} IN (…)` can follow: a
/// row's amount is `amount`, or quantity × rate when it gives no amount; text that is not a
/// decimal counts as zero.
pub(crate) fn sums(
    c: &Connection,
    select: &str,
    owner: &str,
    ids: &[&str],
) -> Result<HashMap<String, (Decimal, u32)>, StoreError> {
    let mut out: HashMap<String, (Decimal, u32)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let mut stmt = c.prepare(&format!("{select} WHERE {owner} IN ({marks})"))?;
    let mut rows = stmt.query(params_from_iter(ids))?;
    let dec = |t: Option<String>| t.as_deref().and_then(|t| parse_decimal(t).ok());
    while let Some(r) = rows.next()? {
        let amount = match (dec(r.get(1)?), dec(r.get(2)?), dec(r.get(3)?)) {
            (Some(a), _, _) => a,
            (None, Some(q), Some(rate)) => q * rate,
            _ => Decimal::ZERO,
        };
        let e = out.entry(r.get(0)?).or_default();
        e.0 += amount;
        e.1 += 1;
    }
    Ok(out)
}

/// The public state of a stored outbox row (state, problem code).
pub(crate) fn public_state(state: &str, code: Option<&str>) -> Result<String, StoreError> {
    Ok(Standing::from_stored(state, code)?
        .public_state()
        .to_owned())
}

#[cfg(test)]
pub(crate) mod test_data {
    use crate::store::Store;

    /// Two customers (one with `%` in its name), two invoices, a ticket and two payments.
    pub const DATA: &str = r#"{"customers": [{"id": "C-1", "name": "Ecker Designs"}, {"id": "C-2", "name": "Hill 100% Co"}],
        "service_tickets": [
          {"id": "T-1", "customer_id": "C-1", "number": "T1005", "date": "2026-10-01",
           "lines": [{"description": "Inspect", "quantity": "2", "rate": "45.00"}, {"description": "Filter", "amount": "12.50"}]}],
        "invoices": [
          {"id": "I-1", "customer_id": "C-1", "ticket_id": "T-1", "number": "1001", "date": "2026-10-03",
           "lines": [{"description": "x", "amount": "100.10"}, {"description": "y", "quantity": "3", "rate": "0.10"}]},
          {"id": "I-2", "customer_id": "C-2", "number": "1002", "date": "2026-10-05",
           "lines": [{"description": "z", "amount": "50.00"}]}],
        "payments": [
          {"id": "P-1", "invoice_id": "I-1", "date": "2026-10-06", "amount": "60.00", "method": "card", "reference": "AUTH-77"},
          {"id": "P-2", "invoice_id": "I-2", "date": "2026-10-07", "amount": "50.00", "method": "check"}]}"#;

    pub fn store() -> Store {
        let store = Store::open_in_memory().unwrap();
        crate::import::import_bytes(&store, "d.json", DATA.as_bytes()).unwrap();
        store
    }

    pub fn req(
        query: &str,
        state: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> super::ListRecordsRequest {
        super::ListRecordsRequest {
            query: query.into(),
            state: state.map(Into::into),
            offset,
            limit,
        }
    }
}
