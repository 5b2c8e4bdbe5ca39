//! App invoices and their lines: saving and reading. Owns tables `invoices` and
//! `invoice_lines`.
//!
//! An invoice already in QuickBooks that changes at a re-import goes back to pending with
//! `dirty` set (`outbox::note_changed`): the engine sends an InvoiceMod with the stored
//! EditSequence (QuickBooks keeps its TxnID and number). `void` turning true on a synced
//! invoice is likewise a pending change; the engine voids it in QuickBooks.

use super::customers::new_guid;
use super::outbox;
use super::records::{
    date_text, opt_date, opt_dec, parse_date, read_lines, read_with_lines, write_lines, Line,
    LineTable, RecordKind, RecordRef, Saved,
};
use super::{now_utc, StoreError};
use crate::money::Decimal;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: String,
    pub customer_id: String,
    /// None: a service invoice; Some: a project invoice (billed to the job).
    pub project_id: Option<String>,
    pub ticket_id: Option<String>,
    /// QuickBooks' RefNumber.
    pub number: String,
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub memo: Option<String>,
    pub expected_tax: Option<Decimal>,
    pub void: bool,
    pub lines: Vec<Line>,
}

#[cfg(test)]
impl Invoice {
    /// A service invoice without lines, dated 2026-10-03 (tests).
    pub fn for_test(id: &str, customer_id: &str, number: &str) -> Self {
        Invoice {
            id: id.into(),
            customer_id: customer_id.into(),
            project_id: None,
            ticket_id: None,
            number: number.into(),
            date: NaiveDate::from_ymd_opt(2026, 10, 3).expect("a valid date"),
            due_date: None,
            memo: None,
            expected_tax: None,
            void: false,
            lines: vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInvoice {
    pub invoice: Invoice,
    pub guid: String,
}

struct Raw {
    id: String,
    customer_id: String,
    project_id: Option<String>,
    ticket_id: Option<String>,
    number: String,
    date: String,
    due_date: Option<String>,
    memo: Option<String>,
    expected_tax: Option<String>,
    void: bool,
    guid: String,
}

const SELECT: &str = "SELECT id, customer_id, project_id, ticket_id, number, date, due_date, \
    memo, expected_tax, void, guid FROM invoices";

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok(Raw {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        project_id: r.get(2)?,
        ticket_id: r.get(3)?,
        number: r.get(4)?,
        date: r.get(5)?,
        due_date: r.get(6)?,
        memo: r.get(7)?,
        expected_tax: r.get(8)?,
        void: r.get(9)?,
        guid: r.get(10)?,
    })
}

fn load(conn: &Connection, r: Raw) -> Result<StoredInvoice, StoreError> {
    let lines = read_lines(conn, LineTable::Invoice, &r.id)?;
    assemble(r, lines)
}

fn assemble(r: Raw, lines: Vec<Line>) -> Result<StoredInvoice, StoreError> {
    Ok(StoredInvoice {
        invoice: Invoice {
            date: parse_date("invoices.date", &r.date)?,
            due_date: opt_date("invoices.due_date", r.due_date)?,
            expected_tax: opt_dec("invoices.expected_tax", r.expected_tax)?,
            id: r.id,
            customer_id: r.customer_id,
            project_id: r.project_id,
            ticket_id: r.ticket_id,
            number: r.number,
            memo: r.memo,
            void: r.void,
            lines,
        },
        guid: r.guid,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<StoredInvoice>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    let r = stmt.query_row([id], raw).optional()?;
    r.map(|r| load(conn, r)).transpose()
}

/// The service ticket an invoice was made from, if any (one column, no lines read).
pub fn ticket_of(conn: &Connection, id: &str) -> Result<Option<String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT ticket_id FROM invoices WHERE id = ?1")?;
    Ok(stmt
        .query_row([id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// Many invoices with their lines in two queries, by id (unknown ids are absent).
pub fn get_many(
    conn: &Connection,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, StoredInvoice>, StoreError> {
    read_with_lines(
        conn,
        SELECT,
        LineTable::Invoice,
        ids,
        raw,
        |r| r.id.as_str(),
        assemble,
    )
}

pub fn list(conn: &Connection) -> Result<Vec<StoredInvoice>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY created_at, rowid"))?;
    let raws = stmt
        .query_map([], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(|r| load(conn, r)).collect()
}

/// Inserts or updates, lines replaced whole (see `customers::save` and the module doc).
pub fn save(tx: &Transaction<'_>, i: &Invoice) -> Result<Saved, StoreError> {
    let now = now_utc();
    let saved = match get(tx, &i.id)? {
        Some(old) if old.invoice == *i => return Ok(Saved::Unchanged),
        Some(_) => {
            tx.prepare_cached(
                "UPDATE invoices SET customer_id = ?2, project_id = ?3, ticket_id = ?4,
                     number = ?5, date = ?6, due_date = ?7, memo = ?8, expected_tax = ?9,
                     void = ?10, updated_at = ?11
                 WHERE id = ?1",
            )?
            .execute(params![
                i.id,
                i.customer_id,
                i.project_id,
                i.ticket_id,
                i.number,
                date_text(i.date),
                i.due_date.map(date_text),
                i.memo,
                i.expected_tax.map(|d| d.to_string()),
                i.void,
                now
            ])?;
            outbox::note_changed(tx, &RecordRef::new(RecordKind::Invoice, i.id.clone()))?;
            Saved::Updated
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO invoices (id, guid, customer_id, project_id, ticket_id, number,
                     date, due_date, memo, expected_tax, void, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            )?
            .execute(params![
                i.id,
                new_guid(),
                i.customer_id,
                i.project_id,
                i.ticket_id,
                i.number,
                date_text(i.date),
                i.due_date.map(date_text),
                i.memo,
                i.expected_tax.map(|d| d.to_string()),
                i.void,
                now
            ])?;
            outbox::enqueue_new(tx, &RecordRef::new(RecordKind::Invoice, i.id.clone()))?;
            Saved::Added
        }
    };
    write_lines(tx, LineTable::Invoice, &i.id, &i.lines)?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{customers, Store};

    fn line(description: &str, amount: &str) -> Line {
        Line {
            description: description.into(),
            quantity: None,
            rate: None,
            amount: Some(amount.parse().unwrap()),
            taxable: None,
            item: None,
            account: None,
        }
    }

    fn invoice(id: &str, customer: &str, lines: Vec<Line>) -> Invoice {
        Invoice {
            id: id.into(),
            customer_id: customer.into(),
            project_id: None,
            ticket_id: None,
            number: id.into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            due_date: None,
            memo: None,
            expected_tax: None,
            void: false,
            lines,
        }
    }

    #[test]
    fn many_invoices_read_back_exactly_as_one_at_a_time() {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                let mut exempt = customers::Customer::named("C-2", "Exempt Church");
                exempt.taxable = false;
                customers::save(tx, &customers::Customer::named("C-1", "Ecker Designs"))?;
                customers::save(tx, &exempt)?;
                save(
                    tx,
                    &invoice(
                        "I-1",
                        "C-1",
                        vec![
                            line("Labor", "95.00"),
                            line("Parts", "12.50"),
                            line("Trip", "1"),
                        ],
                    ),
                )?;
                save(tx, &invoice("I-2", "C-2", vec![line("Inspection", "40")]))?;
                save(tx, &invoice("I-3", "C-1", vec![]))?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let many = store
            .read(|c| get_many(c, &["I-3", "I-1", "unknown", "I-2"]))
            .unwrap();
        assert_eq!(many.len(), 3, "unknown ids are left out");
        for id in ["I-1", "I-2", "I-3"] {
            let one = store.read(|c| get(c, id)).unwrap().unwrap();
            assert_eq!(
                many[id], one,
                "{id}: the bulk read must equal the single read"
            );
        }
        let labels: Vec<&str> = many["I-1"]
            .invoice
            .lines
            .iter()
            .map(|l| l.description.as_str())
            .collect();
        assert_eq!(labels, ["Labor", "Parts", "Trip"], "lines keep their order");
        assert!(many["I-3"].invoice.lines.is_empty(), "no lines, no lines");
        let taxable = store
            .read(|c| customers::taxable_many(c, &["C-1", "C-2", "C-9"]))
            .unwrap();
        assert_eq!(
            (taxable.get("C-1"), taxable.get("C-2"), taxable.get("C-9")),
            (Some(&true), Some(&false), None),
            "each customer's own flag; unknown customers absent"
        );
    }
}
