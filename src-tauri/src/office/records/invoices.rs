//! Invoices on the Records page, each with what QuickBooks says about it (balance, paid,
//! the payments it applied, ours and ones entered there).

use super::{count_rows, count_states, public_state, sums, ListRecordsRequest, RecordPage};
use crate::money::{format_amount, parse_decimal};
use crate::office::OfficeError;
use crate::store::{Store, StoreError};
use serde::Serialize;

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
    /// pending, synced, failed or needs_attention.
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

/// A page of invoices as the Records page asks for it.
pub type InvoicePage = RecordPage<InvoiceRow>;

const FROM: &str = "FROM invoices t
    JOIN outbox o ON o.kind = 'invoice' AND o.record_id = t.id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN qb_invoice_status q ON q.invoice_id = t.id
    WHERE (?1 = '' OR t.number LIKE ?1 ESCAPE '\\' OR t.id LIKE ?1 ESCAPE '\\'
           OR c.name LIKE ?1 ESCAPE '\\')";

/// One page of invoices, newest first.
pub fn list_invoices(store: &Store, req: &ListRecordsRequest) -> Result<InvoicePage, OfficeError> {
    let n = req.narrowing()?;
    Ok(store.read(|c| -> Result<InvoicePage, StoreError> {
        let counts = count_states(c, FROM, &n.pattern)?;
        let total = count_rows(c, FROM, &n)?;
        let sql = format!(
            "SELECT t.id, t.number, t.customer_id, c.name, t.date, t.expected_tax, o.state, o.qb_id,
                    o.problem_text, q.balance, coalesce(q.is_paid, 0), t.void, o.problem_code
             {FROM}{} ORDER BY t.date DESC, t.rowid DESC LIMIT ?2 OFFSET ?3",
            n.state_sql
        );
        let mut raw = Vec::new();
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params![n.pattern, n.limit, n.offset])?;
        while let Some(r) = rows.next()? {
            raw.push((
                r.get::<_, Option<String>>(5)?,
                InvoiceRow {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    customer_id: r.get(2)?,
                    customer_name: r.get(3)?,
                    date: r.get(4)?,
                    total: String::new(),
                    state: public_state(
                        &r.get::<_, String>(6)?,
                        r.get::<_, Option<String>>(12)?.as_deref(),
                    )?,
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
            "invoice_id",
            &ids,
        )?;
        let paid = sums(
            c,
            "SELECT invoice_id, amount, NULL, NULL FROM qb_payments",
            "invoice_id",
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
        Ok(RecordPage {
            rows,
            total,
            counts,
        })
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::test_data::{req, store};
    use super::super::PageCounts;

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
            PageCounts {
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
            PageCounts {
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
