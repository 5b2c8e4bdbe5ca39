//! What people do in QuickBooks to the records FieldBridge follows (issue 11, "QuickBooks to
//! app"): invoices QuickBooks has for linked customers and jobs (ours: the total, due date and
//! void QuickBooks shows; those created directly in QuickBooks: in full, with their lines),
//! linked customers and jobs renamed or made inactive there.
//!
//! Owns the `qb_invoices`, `qb_invoice_lines` and `qb_customer_renames` tables (migration
//! V_INBOUND) and the reads that join them to the outbox and the mirror. The events these
//! changes make are written by that migration's triggers, in the same transaction. Owns no
//! decisions: which invoices are ours and what a person is told is `sync::inbound`'s.

use super::records::{opt_dec, parse_dec, RecordKind, RecordRef};
use super::{now_utc, StoreError};
use crate::money::Decimal;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// An invoice QuickBooks has for a linked customer or job, as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QbInvoice {
    pub txn_id: String,
    /// Our invoice; None for one created directly in QuickBooks.
    pub invoice_id: Option<String>,
    /// The QuickBooks customer or job it bills.
    pub customer_list_id: String,
    /// The app customer linked to that customer (for a job: its project's customer).
    pub customer_id: String,
    /// The app project, when it bills a linked job.
    pub project_id: Option<String>,
    pub ref_number: Option<String>,
    /// YYYY-MM-DD.
    pub txn_date: String,
    pub due_date: Option<String>,
    pub memo: Option<String>,
    pub subtotal: Decimal,
    pub sales_tax_total: Decimal,
    pub balance: Decimal,
    pub is_paid: bool,
    /// Voided in QuickBooks (it stays there with nothing to pay).
    pub voided: bool,
    pub edit_sequence: Option<String>,
    /// As QuickBooks wrote it.
    pub time_modified: Option<String>,
}

impl QbInvoice {
    /// What QuickBooks bills: the subtotal and its sales tax.
    pub fn total(&self) -> Decimal {
        self.subtotal + self.sales_tax_total
    }
}

/// One line of an invoice created in QuickBooks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QbInvoiceLine {
    pub txn_line_id: Option<String>,
    /// The item's full name.
    pub item: Option<String>,
    pub description: Option<String>,
    pub quantity: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub amount: Decimal,
    /// From the line's sales tax code; None when QuickBooks' code is unknown here.
    pub taxable: Option<bool>,
}

/// Writes what QuickBooks says about an invoice (insert or update by TxnID). The lines of an
/// invoice created in QuickBooks are replaced first, so the creation event (a trigger on the
/// invoice's row) carries them.
pub fn upsert_invoice(
    tx: &Transaction<'_>,
    inv: &QbInvoice,
    lines: &[QbInvoiceLine],
) -> Result<(), StoreError> {
    if inv.invoice_id.is_none() {
        tx.prepare_cached("DELETE FROM qb_invoice_lines WHERE txn_id = ?1")?
            .execute([&inv.txn_id])?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO qb_invoice_lines (txn_id, line_no, txn_line_id, item, description,
                 quantity, rate, amount, taxable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (n, l) in lines.iter().enumerate() {
            insert.execute(params![
                inv.txn_id,
                n as i64,
                l.txn_line_id,
                l.item,
                l.description,
                l.quantity.map(|d| d.to_string()),
                l.rate.map(|d| d.to_string()),
                l.amount.to_string(),
                l.taxable,
            ])?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO qb_invoices (txn_id, invoice_id, customer_list_id, customer_id, project_id,
             ref_number, txn_date, due_date, memo, subtotal, sales_tax_total, total, balance,
             is_paid, voided, edit_sequence, time_modified, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (txn_id) DO UPDATE SET invoice_id = excluded.invoice_id,
             customer_list_id = excluded.customer_list_id, customer_id = excluded.customer_id,
             project_id = excluded.project_id, ref_number = excluded.ref_number,
             txn_date = excluded.txn_date, due_date = excluded.due_date, memo = excluded.memo,
             subtotal = excluded.subtotal, sales_tax_total = excluded.sales_tax_total,
             total = excluded.total, balance = excluded.balance, is_paid = excluded.is_paid,
             voided = excluded.voided, edit_sequence = excluded.edit_sequence,
             time_modified = excluded.time_modified, seen_at = excluded.seen_at",
    )?
    .execute(params![
        inv.txn_id,
        inv.invoice_id,
        inv.customer_list_id,
        inv.customer_id,
        inv.project_id,
        inv.ref_number,
        inv.txn_date,
        inv.due_date,
        inv.memo,
        inv.subtotal.to_string(),
        inv.sales_tax_total.to_string(),
        inv.total().to_string(),
        inv.balance.to_string(),
        inv.is_paid,
        inv.voided,
        inv.edit_sequence,
        inv.time_modified,
        now_utc()
    ])?;
    Ok(())
}

/// An invoice deleted in QuickBooks: forgotten, lines included (the trigger reports one
/// created in QuickBooks as `record.deleted_in_quickbooks`).
pub fn forget_invoice(tx: &Transaction<'_>, txn_id: &str) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM qb_invoices WHERE txn_id = ?1")?
        .execute([txn_id])?;
    Ok(())
}

const INVOICE_COLUMNS: &str = "txn_id, invoice_id, customer_list_id, customer_id, project_id, \
    ref_number, txn_date, due_date, memo, subtotal, sales_tax_total, balance, is_paid, voided, \
    edit_sequence, time_modified";

/// One `qb_invoices` row read with [`INVOICE_COLUMNS`] from column `at`, money still text.
type RawInvoice = (QbInvoice, String, String, String);

fn raw_invoice(r: &Row<'_>, at: usize) -> rusqlite::Result<RawInvoice> {
    Ok((
        QbInvoice {
            txn_id: r.get(at)?,
            invoice_id: r.get(at + 1)?,
            customer_list_id: r.get(at + 2)?,
            customer_id: r.get(at + 3)?,
            project_id: r.get(at + 4)?,
            ref_number: r.get(at + 5)?,
            txn_date: r.get(at + 6)?,
            due_date: r.get(at + 7)?,
            memo: r.get(at + 8)?,
            subtotal: Decimal::ZERO,
            sales_tax_total: Decimal::ZERO,
            balance: Decimal::ZERO,
            is_paid: r.get(at + 12)?,
            voided: r.get(at + 13)?,
            edit_sequence: r.get(at + 14)?,
            time_modified: r.get(at + 15)?,
        },
        r.get(at + 9)?,
        r.get(at + 10)?,
        r.get(at + 11)?,
    ))
}

fn invoice_of((mut inv, subtotal, tax, balance): RawInvoice) -> Result<QbInvoice, StoreError> {
    inv.subtotal = parse_dec("qb_invoices.subtotal", &subtotal)?;
    inv.sales_tax_total = parse_dec("qb_invoices.sales_tax_total", &tax)?;
    inv.balance = parse_dec("qb_invoices.balance", &balance)?;
    Ok(inv)
}

/// The invoice with this TxnID, as last read.
pub fn invoice(conn: &Connection, txn_id: &str) -> Result<Option<QbInvoice>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {INVOICE_COLUMNS} FROM qb_invoices WHERE txn_id = ?1"
    ))?
    .query_row([txn_id], |r| raw_invoice(r, 0))
    .optional()?
    .map(invoice_of)
    .transpose()
}

/// Invoices created in QuickBooks with their row numbers (the API's cursor), after row
/// `after`, at most `limit` (negative: all); by row when `by_row`, else by date and TxnID.
pub fn quickbooks_invoices(
    conn: &Connection,
    after: i64,
    limit: i64,
    by_row: bool,
) -> Result<Vec<(i64, QbInvoice)>, StoreError> {
    let sql = format!(
        "SELECT rowid, {INVOICE_COLUMNS} FROM qb_invoices
         WHERE invoice_id IS NULL AND rowid > ?1 ORDER BY {} LIMIT ?2",
        if by_row { "rowid" } else { "txn_date, txn_id" }
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params![after, limit], |r| {
            Ok((r.get::<_, i64>(0)?, raw_invoice(r, 1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(n, raw)| Ok((n, invoice_of(raw)?)))
        .collect()
}

/// The lines of an invoice created in QuickBooks, in QuickBooks' order.
pub fn lines(conn: &Connection, txn_id: &str) -> Result<Vec<QbInvoiceLine>, StoreError> {
    let rows = conn
        .prepare_cached(
            "SELECT txn_line_id, item, description, quantity, rate, amount, taxable
             FROM qb_invoice_lines WHERE txn_id = ?1 ORDER BY line_no",
        )?
        .query_map([txn_id], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<bool>>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(txn_line_id, item, description, q, rate, amount, taxable)| {
                Ok(QbInvoiceLine {
                    txn_line_id,
                    item,
                    description,
                    quantity: opt_dec("qb_invoice_lines.quantity", q)?,
                    rate: opt_dec("qb_invoice_lines.rate", rate)?,
                    amount: parse_dec("qb_invoice_lines.amount", &amount)?,
                    taxable,
                })
            },
        )
        .collect()
}

/// The app customer or project linked to a QuickBooks customer or job, with the app customer
/// it bills (a project's customer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub record: RecordRef,
    pub customer_id: String,
    pub project_id: Option<String>,
}

/// Which app customer or project QuickBooks' customer or job `list_id` is linked to, if any.
pub fn linked_to(conn: &Connection, list_id: &str) -> Result<Option<Linked>, StoreError> {
    let found: Option<(String, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT o.kind, o.record_id, p.customer_id FROM outbox o
             LEFT JOIN projects p ON o.kind = 'project' AND p.id = o.record_id
             WHERE o.qb_id = ?1 AND o.kind IN ('customer', 'project')
             ORDER BY o.kind LIMIT 1",
        )?
        .query_row([list_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((kind, id, project_customer)) = found else {
        return Ok(None);
    };
    let kind = RecordKind::parse(&kind)?;
    Ok(Some(match kind {
        RecordKind::Project => Linked {
            customer_id: project_customer.unwrap_or_default(),
            project_id: Some(id.clone()),
            record: RecordRef::new(kind, id),
        },
        _ => Linked {
            customer_id: id.clone(),
            project_id: None,
            record: RecordRef::new(kind, id),
        },
    }))
}

/// One of our invoices as FieldBridge sent it: whom it bills, its due date, and the totals
/// and EditSequence QuickBooks last gave FieldBridge for it (`qb_invoice_status`: the answer
/// to its add or modification, or the last read), when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentInvoice {
    pub customer_id: String,
    pub project_id: Option<String>,
    pub due_date: Option<String>,
    pub subtotal: Option<Decimal>,
    pub sales_tax_total: Option<Decimal>,
    pub edit_sequence: Option<String>,
}

/// [`SentInvoice`] of app invoice `invoice_id`, if it exists.
pub fn sent_invoice(
    conn: &Connection,
    invoice_id: &str,
) -> Result<Option<SentInvoice>, StoreError> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT i.customer_id, i.project_id, i.due_date, s.subtotal, s.sales_tax_total,
                    s.edit_sequence
             FROM invoices i LEFT JOIN qb_invoice_status s ON s.invoice_id = i.id
             WHERE i.id = ?1",
        )?
        .query_row([invoice_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()?;
    row.map(
        |(customer_id, project_id, due_date, subtotal, tax, edit_sequence)| {
            Ok(SentInvoice {
                customer_id,
                project_id,
                due_date,
                subtotal: opt_dec("qb_invoice_status.subtotal", subtotal)?,
                sales_tax_total: opt_dec("qb_invoice_status.sales_tax_total", tax)?,
                edit_sequence,
            })
        },
    )
    .transpose()
}

/// A linked customer or job that QuickBooks shows inactive, with its name and the day
/// QuickBooks last changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InactiveLink {
    pub record: RecordRef,
    pub full_name: String,
    /// YYYY-MM-DD in QuickBooks' own time.
    pub changed_on: String,
}

/// Linked customers and jobs QuickBooks shows inactive that are synced: those to park. One
/// the app itself made inactive (`active: false`, sent as such) is not (QuickBooks only agrees
/// with it), nor one with a change of its own waiting to be sent (pending: that change says
/// whether it is active, and QuickBooks takes it).
pub fn inactive_links(conn: &Connection) -> Result<Vec<InactiveLink>, StoreError> {
    let rows = conn
        .prepare_cached(
            "SELECT o.kind, o.record_id, q.full_name, substr(q.time_modified, 1, 10)
             FROM qb_customers q JOIN outbox o ON o.qb_id = q.list_id
             WHERE q.is_active = 0 AND o.kind IN ('customer', 'project')
               AND o.state = 'synced'
               AND CASE o.kind
                   WHEN 'customer' THEN (SELECT c.active FROM customers c WHERE c.id = o.record_id)
                   ELSE (SELECT j.active FROM projects j WHERE j.id = o.record_id) END = 1
             ORDER BY o.kind, o.record_id",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(kind, id, full_name, changed_on)| {
            Ok(InactiveLink {
                record: RecordRef::new(RecordKind::parse(&kind)?, id),
                full_name,
                changed_on,
            })
        })
        .collect()
}

/// Customers and jobs parked because QuickBooks showed them inactive that QuickBooks now shows
/// active again: those to release.
pub fn active_again(conn: &Connection, parked_code: &str) -> Result<Vec<RecordRef>, StoreError> {
    let rows = conn
        .prepare_cached(
            "SELECT o.kind, o.record_id FROM outbox o JOIN qb_customers q ON q.list_id = o.qb_id
             WHERE o.state = 'needs_attention' AND o.problem_code = ?1 AND q.is_active = 1
             ORDER BY o.kind, o.record_id",
        )?
        .query_map([parked_code], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(kind, id)| Ok(RecordRef::new(RecordKind::parse(&kind)?, id)))
        .collect()
}

/// A linked customer or job renamed in QuickBooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub old_name: String,
    pub new_name: String,
    /// YYYY-MM-DD in QuickBooks' own time.
    pub renamed_on: String,
}

impl Rename {
    /// The note the Customers page and the API show.
    pub fn note(&self) -> String {
        format!(
            "Renamed in QuickBooks on {} (it was \"{}\"); still linked.",
            self.renamed_on, self.old_name
        )
    }
}

/// The rename of an app customer's or project's QuickBooks customer, if it was renamed there
/// since it was linked.
pub fn rename(conn: &Connection, record: &RecordRef) -> Result<Option<Rename>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT r.old_name, r.new_name, r.renamed_on FROM qb_customer_renames r
             JOIN outbox o ON o.kind = r.kind AND o.record_id = r.record_id
                          AND o.qb_id = r.list_id
             WHERE r.kind = ?1 AND r.record_id = ?2",
        )?
        .query_row(params![record.kind.as_str(), record.id], |r| {
            Ok(Rename {
                old_name: r.get(0)?,
                new_name: r.get(1)?,
                renamed_on: r.get(2)?,
            })
        })
        .optional()?)
}

#[cfg(test)]
mod tests;
