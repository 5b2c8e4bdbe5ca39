//! Service tickets on the Records page: each with its total, where it is in syncing (as a
//! QuickBooks estimate) and the invoice the field made from it, if any.

use super::{count_rows, count_states, public_state, sums, ListRecordsRequest, RecordPage};
use crate::money::format_amount;
use crate::office::OfficeError;
use crate::store::{Store, StoreError};
use serde::Serialize;

/// One service ticket as the Records page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TicketRow {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub customer_name: String,
    /// The project (QuickBooks job) it is for, or null when it is for the customer itself.
    pub project_name: Option<String>,
    pub date: String,
    pub description: Option<String>,
    /// The lines' amounts, exact, two places (an estimate carries no tax of the app's).
    pub total: String,
    /// pending, synced, failed or needs_attention.
    pub state: String,
    /// The estimate's TxnID once QuickBooks has it.
    pub qb_id: Option<String>,
    /// Plain English, or null.
    pub problem: Option<String>,
    /// The number of the invoice made from this ticket, or null.
    pub invoice_number: Option<String>,
}

/// A page of tickets as the Records page asks for it.
pub type TicketPage = RecordPage<TicketRow>;

const FROM: &str = "FROM service_tickets t
    JOIN outbox o ON o.kind = 'service_ticket' AND o.record_id = t.id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN projects p ON p.id = t.project_id
    WHERE (?1 = '' OR t.number LIKE ?1 ESCAPE '\\' OR t.id LIKE ?1 ESCAPE '\\'
           OR c.name LIKE ?1 ESCAPE '\\' OR p.name LIKE ?1 ESCAPE '\\')";

/// One page of service tickets, newest first.
pub fn list_tickets(store: &Store, req: &ListRecordsRequest) -> Result<TicketPage, OfficeError> {
    let n = req.narrowing()?;
    Ok(store.read(|c| -> Result<TicketPage, StoreError> {
        let counts = count_states(c, FROM, &n.pattern)?;
        let total = count_rows(c, FROM, &n)?;
        let sql = format!(
            "SELECT t.id, t.number, t.customer_id, c.name, p.name, t.date, t.description, o.state,
                    o.problem_code, o.qb_id, o.problem_text,
                    (SELECT i.number FROM invoices i WHERE i.ticket_id = t.id
                     ORDER BY i.rowid LIMIT 1)
             {FROM}{} ORDER BY t.date DESC, t.rowid DESC LIMIT ?2 OFFSET ?3",
            n.state_sql
        );
        let mut out = Vec::new();
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params![n.pattern, n.limit, n.offset])?;
        while let Some(r) = rows.next()? {
            out.push(TicketRow {
                id: r.get(0)?,
                number: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                project_name: r.get(4)?,
                date: r.get(5)?,
                description: r.get(6)?,
                total: String::new(),
                state: public_state(
                    &r.get::<_, String>(7)?,
                    r.get::<_, Option<String>>(8)?.as_deref(),
                )?,
                qb_id: r.get(9)?,
                problem: r.get(10)?,
                invoice_number: r.get(11)?,
            });
        }
        let ids: Vec<&str> = out.iter().map(|r| r.id.as_str()).collect();
        let lines = sums(
            c,
            "SELECT ticket_id, amount, quantity, rate FROM service_ticket_lines",
            "ticket_id",
            &ids,
        )?;
        for row in &mut out {
            let (sum, _) = lines.get(&row.id).copied().unwrap_or_default();
            row.total = format_amount(sum);
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
    use super::super::PageCounts;
    use super::*;

    #[test]
    fn lists_tickets_with_exact_totals_and_the_invoice_made_from_each() {
        let s = store();
        let page = list_tickets(&s, &req("", None, 0, 10)).unwrap();
        assert_eq!(page.total, 1);
        let t = &page.rows[0];
        assert_eq!(
            (
                t.number.as_str(),
                t.customer_name.as_str(),
                t.total.as_str(),
                t.invoice_number.as_deref(),
                t.state.as_str()
            ),
            ("T1005", "Ecker Designs", "102.50", Some("1001"), "pending")
        );
        assert_eq!(
            page.counts,
            PageCounts {
                all: 1,
                pending: 1,
                ..Default::default()
            }
        );
    }

    #[test]
    fn search_and_state_filter_narrow_tickets() {
        let s = store();
        assert_eq!(
            list_tickets(&s, &req("hill", None, 0, 10)).unwrap().total,
            0
        );
        assert_eq!(
            list_tickets(&s, &req("t100", None, 0, 10)).unwrap().total,
            1
        );
        let failed = list_tickets(&s, &req("", Some("failed"), 0, 10)).unwrap();
        assert_eq!((failed.total, failed.counts.all), (0, 1));
        let e = list_tickets(&s, &req("", Some("lost"), 0, 10)).unwrap_err();
        assert_eq!(e.code(), crate::office::ErrorCode::InvalidInput);
    }
}
