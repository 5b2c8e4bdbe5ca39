//! Field payments on the Records page: each with the invoice it pays, where it is in syncing
//! (as a QuickBooks ReceivePayment) and whether the platform reversed it.

use super::{count_rows, count_states, public_state, ListRecordsRequest, RecordPage};
use crate::money::{format_amount, parse_decimal};
use crate::office::OfficeError;
use crate::store::{Store, StoreError};
use serde::Serialize;

/// One payment as the Records page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PaymentRow {
    pub id: String,
    pub invoice_id: String,
    pub invoice_number: String,
    pub customer_name: String,
    pub date: String,
    /// Exact, two places.
    pub amount: String,
    /// The app's word for how it was paid, or null.
    pub method: Option<String>,
    pub reference: Option<String>,
    /// pending, synced, failed or needs_attention.
    pub state: String,
    /// The ReceivePayment's TxnID once QuickBooks has it.
    pub qb_id: Option<String>,
    /// Plain English, or null.
    pub problem: Option<String>,
}

/// A page of payments as the Records page asks for it.
pub type PaymentPage = RecordPage<PaymentRow>;

const FROM: &str = "FROM payments t
    JOIN outbox o ON o.kind = 'payment' AND o.record_id = t.id
    JOIN invoices i ON i.id = t.invoice_id
    JOIN customers c ON c.id = i.customer_id
    WHERE (?1 = '' OR t.id LIKE ?1 ESCAPE '\\' OR i.number LIKE ?1 ESCAPE '\\'
           OR c.name LIKE ?1 ESCAPE '\\' OR t.reference LIKE ?1 ESCAPE '\\')";

/// One page of payments, newest first.
pub fn list_payments(store: &Store, req: &ListRecordsRequest) -> Result<PaymentPage, OfficeError> {
    let n = req.narrowing()?;
    Ok(store.read(|c| -> Result<PaymentPage, StoreError> {
        let counts = count_states(c, FROM, &n.pattern)?;
        let total = count_rows(c, FROM, &n)?;
        let sql = format!(
            "SELECT t.id, t.invoice_id, i.number, c.name, t.date, t.amount, t.method, t.reference,
                    o.state, o.problem_code, o.qb_id, o.problem_text
             {FROM}{} ORDER BY t.date DESC, t.rowid DESC LIMIT ?2 OFFSET ?3",
            n.state_sql
        );
        let mut out = Vec::new();
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params![n.pattern, n.limit, n.offset])?;
        while let Some(r) = rows.next()? {
            let amount: String = r.get(5)?;
            out.push(PaymentRow {
                id: r.get(0)?,
                invoice_id: r.get(1)?,
                invoice_number: r.get(2)?,
                customer_name: r.get(3)?,
                date: r.get(4)?,
                amount: parse_decimal(&amount).map(format_amount).unwrap_or(amount),
                method: r.get(6)?,
                reference: r.get(7)?,
                state: public_state(
                    &r.get::<_, String>(8)?,
                    r.get::<_, Option<String>>(9)?.as_deref(),
                )?,
                qb_id: r.get(10)?,
                problem: r.get(11)?,
            });
        }
        Ok(RecordPage {
            rows: out,
            total,
            counts,
        })
    })?)
}

#[cfg(test)]
mod tests {
    use super::super::test_data::{req, store};
    use super::*;

    #[test]
    fn lists_payments_newest_first_with_their_invoice_and_customer() {
        let s = store();
        let page = list_payments(&s, &req("", None, 0, 10)).unwrap();
        assert_eq!(page.total, 2);
        let ids: Vec<_> = page.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["P-2", "P-1"]);
        let p1 = &page.rows[1];
        assert_eq!(
            (
                p1.invoice_number.as_str(),
                p1.customer_name.as_str(),
                p1.amount.as_str(),
                p1.method.as_deref(),
                p1.reference.as_deref(),
                p1.state.as_str()
            ),
            (
                "1001",
                "Ecker Designs",
                "60.00",
                Some("card"),
                Some("AUTH-77"),
                "pending"
            )
        );
    }

    #[test]
    fn search_matches_invoice_number_customer_or_reference() {
        let s = store();
        let ids = |q: &str| -> Vec<String> {
            list_payments(&s, &req(q, None, 0, 10))
                .unwrap()
                .rows
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(ids("1002"), ["P-2"]);
        assert_eq!(ids("auth-7"), ["P-1"]);
        assert_eq!(ids("100%"), ["P-2"], "% is a character");
        assert!(ids("nobody").is_empty());
        let page = list_payments(&s, &req("", Some("synced"), 0, 10)).unwrap();
        assert_eq!((page.total, page.counts.pending), (0, 2));
    }
}
