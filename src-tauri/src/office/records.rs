//! The Records page's invoices (issue 12): one page at a time straight from SQL (never every
//! row), searched by number, id or customer and filtered by sync state, each with what
//! QuickBooks says about it (balance, paid, the payments it received).
//!
//! The sync state is the store's one decision ([`Standing`]), shown as `status` and
//! `export` show it (its public state), so the counts here agree with every other screen.

use super::OfficeError;
use crate::money::{format_amount, parse_decimal};
use crate::store::standing::Standing;
use crate::store::{Store, StoreError};
use rusqlite::{params_from_iter, Connection};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// At most this many rows per page (the window asks for what it shows, plus a margin).
pub const MAX_PAGE: u64 = 500;

/// Which invoices a page holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ListInvoicesRequest {
    /// Matches the number, the app's id or the customer's name (case-insensitive); "" for all.
    pub query: String,
    /// pending, synced, failed, needs_attention or before_start_date; null for all.
    pub state: Option<String>,
    pub offset: u64,
    pub limit: u64,
}

/// One invoice as the Records page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct InvoiceRow {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub customer_name: String,
    pub date: String,
    /// The lines' amounts plus the tax the app expected, exact, two places.
    pub total: String,
    /// pending, synced, failed, needs_attention or before_start_date.
    pub state: String,
    pub qb_id: Option<String>,
    /// Plain English, or null.
    pub problem: Option<String>,
    /// BalanceRemaining as QuickBooks last reported it; null until QuickBooks was read.
    pub qb_balance: Option<String>,
    pub qb_paid: bool,
    /// Payments QuickBooks has applied to this invoice (ours and ones entered there).
    pub qb_payments: u32,
    /// Their sum, exact; "0.00" when none.
    pub qb_payments_total: String,
    pub void: bool,
}

/// Invoices per public state, under the search (for the filter's counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct InvoiceCounts {
    pub all: u64,
    pub pending: u64,
    pub synced: u64,
    pub failed: u64,
    pub needs_attention: u64,
    /// Held back by the start date (not a problem).
    pub before_start_date: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct InvoicePage {
    pub rows: Vec<InvoiceRow>,
    /// How many match the search and the state filter.
    pub total: u64,
    /// Per state, under the search only.
    pub counts: InvoiceCounts,
}

const FROM: &str = "FROM invoices t
    JOIN outbox o ON o.kind = 'invoice' AND o.record_id = t.id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN qb_invoice_status q ON q.invoice_id = t.id
    WHERE (?1 = '' OR t.number LIKE ?1 ESCAPE '\\' OR t.id LIKE ?1 ESCAPE '\\'
           OR c.name LIKE ?1 ESCAPE '\\')";

/// The outbox rows behind a public state word (the one rule: `Standing`).
fn state_condition(state: &str) -> Result<&'static str, OfficeError> {
    Standing::sql_of_public_state(state).ok_or_else(|| {
        OfficeError::InvalidInput(format!(
            "\"{state}\" is not a state; use pending, synced, failed, needs_attention or before_start_date"
        ))
    })
}

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

/// One page of invoices, newest first.
pub fn list_invoices(store: &Store, req: &ListInvoicesRequest) -> Result<InvoicePage, OfficeError> {
    let state_sql = match req.state.as_deref() {
        None | Some("all") => String::new(),
        Some(s) => format!(" AND {}", state_condition(s)?),
    };
    let pattern = like_pattern(&req.query);
    let limit = req.limit.min(MAX_PAGE) as i64;
    let offset = req.offset.min(i64::MAX as u64) as i64;
    Ok(store.read(|c| -> Result<InvoicePage, StoreError> {
        let counts = counts(c, &pattern)?;
        let total: i64 = c
            .prepare_cached(&format!("SELECT count(*) {FROM}{state_sql}"))?
            .query_row([&pattern], |r| r.get(0))?;
        let sql = format!(
            "SELECT t.id, t.number, t.customer_id, c.name, t.date, t.expected_tax, o.state, o.qb_id,
                    o.problem_text, q.balance, coalesce(q.is_paid, 0), t.void, o.problem_code
             {FROM}{state_sql} ORDER BY t.date DESC, t.rowid DESC LIMIT ?2 OFFSET ?3"
        );
        let mut raw = Vec::new();
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params![pattern, limit, offset])?;
        while let Some(r) = rows.next()? {
            let state: String = r.get(6)?;
            raw.push((
                r.get::<_, Option<String>>(5)?,
                InvoiceRow {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    customer_id: r.get(2)?,
                    customer_name: r.get(3)?,
                    date: r.get(4)?,
                    total: String::new(),
                    state: Standing::from_stored(
                        &state,
                        r.get::<_, Option<String>>(12)?.as_deref(),
                    )?
                    .public_state()
                    .to_owned(),
                    qb_id: r.get(7)?,
                    problem: r.get(8)?,
                    qb_balance: r.get(9)?,
                    qb_paid: r.get(10)?,
                    qb_payments: 0,
                    qb_payments_total: String::new(),
                    void: r.get(11)?,
                },
            ));
        }
        let ids: Vec<&str> = raw.iter().map(|(_, r)| r.id.as_str()).collect();
        let lines = sums(
            c,
            "SELECT invoice_id, amount, quantity, rate FROM invoice_lines",
            &ids,
        )?;
        let paid = sums(
            c,
            "SELECT invoice_id, amount, NULL, NULL FROM qb_payments",
            &ids,
        )?;
        let rows = raw
            .into_iter()
            .map(|(tax, mut row)| {
                let (lines_total, _) = lines.get(&row.id).copied().unwrap_or_default();
                let tax = tax
                    .as_deref()
                    .and_then(|t| parse_decimal(t).ok())
                    .unwrap_or_default();
                row.total = format_amount(lines_total + tax);
                let (sum, n) = paid.get(&row.id).copied().unwrap_or_default();
                row.qb_payments = n;
                row.qb_payments_total = format_amount(sum);
                row
            })
            .collect();
        Ok(InvoicePage {
            rows,
            total: total as u64,
            counts,
        })
    })?)
}

fn counts(c: &Connection, pattern: &str) -> Result<InvoiceCounts, StoreError> {
    let mut out = InvoiceCounts::default();
    let mut stmt = c.prepare_cached(&format!(
        "SELECT o.state, o.problem_code, count(*) {FROM} GROUP BY o.state, o.problem_code"
    ))?;
    let mut rows = stmt.query([pattern])?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(2)?;
        let n = n as u64;
        out.all += n;
        let code: Option<String> = r.get(1)?;
        match Standing::from_stored(&r.get::<_, String>(0)?, code.as_deref())?.public_state() {
            "pending" => out.pending += n,
            "synced" => out.synced += n,
            "failed" => out.failed += n,
            "before_start_date" => out.before_start_date += n,
            _ => out.needs_attention += n,
        }
    }
    Ok(out)
}

/// Exact sums (and counts) of amounts per invoice for the page's invoices only: `amount`, or
/// quantity × rate when a line gives no amount. Text that is not a decimal counts as zero.
fn sums(
    c: &Connection,
    select: &str,
    ids: &[&str],
) -> Result<HashMap<String, (Decimal, u32)>, StoreError> {
    let mut out: HashMap<String, (Decimal, u32)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let mut stmt = c.prepare(&format!("{select} WHERE invoice_id IN ({marks})"))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::parse_decimal;

    const DATA: &str = r#"{"customers": [{"id": "C-1", "name": "Ecker Designs"}, {"id": "C-2", "name": "Hill 100% Co"}],
        "invoices": [
          {"id": "I-1", "customer_id": "C-1", "number": "1001", "date": "2026-10-03",
           "lines": [{"description": "x", "amount": "100.10"}, {"description": "y", "quantity": "3", "rate": "0.10"}]},
          {"id": "I-2", "customer_id": "C-2", "number": "1002", "date": "2026-10-05",
           "lines": [{"description": "z", "amount": "50.00"}]}]}"#;

    fn store() -> Store {
        let store = Store::open_in_memory().unwrap();
        crate::import::import_bytes(&store, "d.json", DATA.as_bytes()).unwrap();
        store
    }

    fn req(query: &str, state: Option<&str>, offset: u64, limit: u64) -> ListInvoicesRequest {
        ListInvoicesRequest {
            query: query.into(),
            state: state.map(Into::into),
            offset,
            limit,
        }
    }

    #[test]
    fn pages_newest_first_with_exact_totals_and_no_quickbooks_yet() {
        let s = store();
        let page = list_invoices(&s, &req("", None, 0, 10)).unwrap();
        assert_eq!(page.total, 2);
        assert_eq!(
            page.rows
                .iter()
                .map(|r| r.number.as_str())
                .collect::<Vec<_>>(),
            ["1002", "1001"]
        );
        let i1 = &page.rows[1];
        assert_eq!(
            (
                i1.total.as_str(),
                i1.customer_name.as_str(),
                i1.state.as_str()
            ),
            ("100.40", "Ecker Designs", "pending")
        );
        assert_eq!(
            (
                i1.qb_balance.as_deref(),
                i1.qb_paid,
                i1.qb_payments,
                i1.qb_payments_total.as_str()
            ),
            (None, false, 0, "0.00")
        );
        let second = list_invoices(&s, &req("", None, 1, 1)).unwrap();
        assert_eq!(
            (second.total, second.rows.len(), second.rows[0].id.as_str()),
            (2, 1, "I-1")
        );
    }

    #[test]
    fn search_matches_number_or_customer_and_treats_wildcards_literally() {
        let s = store();
        assert_eq!(
            list_invoices(&s, &req("ecker", None, 0, 10)).unwrap().rows[0].id,
            "I-1"
        );
        assert_eq!(
            list_invoices(&s, &req("1002", None, 0, 10)).unwrap().total,
            1
        );
        assert_eq!(
            list_invoices(&s, &req("100%", None, 0, 10)).unwrap().rows[0].id,
            "I-2",
            "% is a character"
        );
        assert_eq!(
            list_invoices(&s, &req("nobody", None, 0, 10))
                .unwrap()
                .total,
            0
        );
    }

    #[test]
    fn the_state_filter_narrows_rows_but_counts_stay_per_state() {
        let s = store();
        let synced = list_invoices(&s, &req("", Some("synced"), 0, 10)).unwrap();
        assert_eq!((synced.total, synced.rows.len()), (0, 0));
        assert_eq!(
            synced.counts,
            InvoiceCounts {
                all: 2,
                pending: 2,
                ..Default::default()
            }
        );
        let e = list_invoices(&s, &req("", Some("nonsense"), 0, 10)).unwrap_err();
        assert_eq!(e.code(), crate::office::ErrorCode::InvalidInput);
    }

    #[test]
    fn shows_what_quickbooks_says_balance_paid_and_payments_received() {
        use crate::store::outbox;
        use crate::store::qb_mirror::{self, QbInvoiceStatus, QbPayment};
        use crate::store::records::{RecordKind, RecordRef};
        use crate::store::sessions;
        let s = store();
        s.write(|tx| -> Result<(), StoreError> {
            let sess = sessions::start(tx, Some("C:\\Co.qbw"))?;
            let b = outbox::begin_batch(tx, sess, "ms-1", "<QBXML/>")?;
            let i1 = RecordRef::new(RecordKind::Invoice, "I-1");
            outbox::mark_in_flight(tx, b, &[(i1.clone(), "1".to_owned())])?;
            outbox::mark_synced(tx, &i1, "1-2", Some("1"))?;
            qb_mirror::upsert_invoice_status(
                tx,
                &QbInvoiceStatus {
                    txn_id: "1-2".into(),
                    invoice_id: Some("I-1".into()),
                    balance: parse_decimal("40.40").unwrap(),
                    is_paid: false,
                    subtotal: None,
                    sales_tax_total: None,
                    edit_sequence: None,
                    time_modified: None,
                },
            )?;
            for (txn, amount) in [("9-1", "40.00"), ("9-2", "20.00")] {
                qb_mirror::upsert_payment(
                    tx,
                    &QbPayment {
                        txn_id: txn.into(),
                        customer_list_id: None,
                        invoice_txn_id: Some("1-2".into()),
                        invoice_id: Some("I-1".into()),
                        date: "2026-10-06".into(),
                        amount: parse_decimal(amount).unwrap(),
                        method: None,
                        reference: None,
                        external_guid: None,
                        time_modified: None,
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
        let page = list_invoices(&s, &req("", Some("synced"), 0, 10)).unwrap();
        assert_eq!(page.rows.len(), 1);
        let i1 = &page.rows[0];
        assert_eq!(
            (
                i1.state.as_str(),
                i1.qb_id.as_deref(),
                i1.qb_balance.as_deref()
            ),
            ("synced", Some("1-2"), Some("40.40"))
        );
        assert_eq!(
            (i1.qb_payments, i1.qb_payments_total.as_str(), i1.qb_paid),
            (2, "60.00", false)
        );
        assert_eq!(
            page.counts,
            InvoiceCounts {
                all: 2,
                pending: 1,
                synced: 1,
                ..Default::default()
            }
        );
    }

    #[test]
    fn a_page_is_capped() {
        let s = store();
        assert_eq!(
            list_invoices(&s, &req("", None, 0, u64::MAX))
                .unwrap()
                .rows
                .len(),
            2
        );
        assert_eq!(
            list_invoices(&s, &req("", None, u64::MAX, 10))
                .unwrap()
                .rows
                .len(),
            0
        );
    }
}
