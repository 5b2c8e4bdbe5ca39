//! App expenses (import format `expenses`) and their lines: saving and reading; and what
//! QuickBooks made of each one FieldBridge sent (a bill, a check or a card charge, and
//! whether the bill is paid). Owns tables `expenses`, `expense_lines` and
//! `qb_expense_status`. What an expense becomes in QuickBooks (a bill, a check, a
//! credit-card charge) is decided at sync time (`sync::push::expense`), from the accounts
//! QuickBooks has.

use super::customers::new_guid;
use super::outbox;
use super::records::{date_text, opt_date, parse_date, parse_dec, RecordKind, RecordRef, Saved};
use super::{now_utc, StoreError};
use crate::money::Decimal;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// One expense line: an amount posted to an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExpenseLine {
    /// A QuickBooks account by full name or account number.
    pub account: String,
    pub description: Option<String>,
    pub amount: Decimal,
    /// Billable to the expense's customer or job.
    pub billable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Expense {
    pub id: String,
    pub vendor_id: String,
    pub date: NaiveDate,
    /// The vendor's invoice number (QuickBooks' RefNumber).
    pub number: Option<String>,
    pub memo: Option<String>,
    pub customer_id: Option<String>,
    pub project_id: Option<String>,
    /// false: a bill (paid later in QuickBooks' Pay Bills); true: a check or card charge.
    pub paid: bool,
    /// The bank or credit-card account it was paid from (full name or number); required
    /// when paid.
    pub paid_from: Option<String>,
    pub due_date: Option<NaiveDate>,
    /// Voided in the app (an optional extension of the import format, as invoices' `void`):
    /// voided in QuickBooks too once it is there, else never sent.
    pub void: bool,
    pub lines: Vec<ExpenseLine>,
}

impl Expense {
    /// The expense's total (exact).
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredExpense {
    pub expense: Expense,
    /// The ExternalGUID of its Add.
    pub guid: String,
}

const SELECT: &str = "SELECT id, vendor_id, date, number, memo, customer_id, project_id, paid,
    paid_from, due_date, guid, void FROM expenses";

type Raw = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    Option<String>,
    Option<String>,
    String,
    bool,
);

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    ))
}

fn lines(conn: &Connection, id: &str) -> Result<Vec<ExpenseLine>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT account, description, amount, billable FROM expense_lines
         WHERE expense_id = ?1 ORDER BY line_no",
    )?;
    let raws = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(account, description, amount, billable)| {
            Ok(ExpenseLine {
                account,
                description,
                amount: parse_dec("expense_lines.amount", &amount)?,
                billable,
            })
        })
        .collect()
}

fn load(conn: &Connection, r: Raw) -> Result<StoredExpense, StoreError> {
    let (
        id,
        vendor_id,
        date,
        number,
        memo,
        customer_id,
        project_id,
        paid,
        paid_from,
        due,
        guid,
        void,
    ) = r;
    Ok(StoredExpense {
        expense: Expense {
            lines: lines(conn, &id)?,
            id,
            vendor_id,
            date: parse_date("expenses.date", &date)?,
            number,
            memo,
            customer_id,
            project_id,
            paid,
            paid_from,
            due_date: opt_date("expenses.due_date", due)?,
            void,
        },
        guid,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<StoredExpense>, StoreError> {
    let raw = conn
        .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], raw)
        .optional()?;
    raw.map(|r| load(conn, r)).transpose()
}

/// Every app expense, first imported first.
pub fn list(conn: &Connection) -> Result<Vec<StoredExpense>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY created_at, rowid"))?;
    let raws = stmt
        .query_map([], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(|r| load(conn, r)).collect()
}

fn write_lines(tx: &Transaction<'_>, e: &Expense) -> Result<(), StoreError> {
    tx.execute("DELETE FROM expense_lines WHERE expense_id = ?1", [&e.id])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO expense_lines (expense_id, line_no, account, description, amount, billable)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, l) in e.lines.iter().enumerate() {
        stmt.execute(params![
            e.id,
            i as i64,
            l.account,
            l.description,
            l.amount.to_string(),
            l.billable
        ])?;
    }
    Ok(())
}

/// Inserts or updates (the rules of `customers::save`; lines are replaced whole).
pub fn save(tx: &Transaction<'_>, e: &Expense) -> Result<Saved, StoreError> {
    let now = now_utc();
    let record = RecordRef::new(RecordKind::Expense, e.id.clone());
    match get(tx, &e.id)? {
        Some(old) if old.expense == *e => Ok(Saved::Unchanged),
        Some(_) => {
            tx.prepare_cached(
                "UPDATE expenses SET vendor_id = ?2, date = ?3, number = ?4, memo = ?5,
                     customer_id = ?6, project_id = ?7, paid = ?8, paid_from = ?9,
                     due_date = ?10, updated_at = ?11, void = ?12
                 WHERE id = ?1",
            )?
            .execute(params![
                e.id,
                e.vendor_id,
                date_text(e.date),
                e.number,
                e.memo,
                e.customer_id,
                e.project_id,
                e.paid,
                e.paid_from,
                e.due_date.map(date_text),
                now,
                e.void
            ])?;
            write_lines(tx, e)?;
            outbox::note_changed(tx, &record)?;
            Ok(Saved::Updated)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO expenses (id, vendor_id, date, number, memo, customer_id,
                     project_id, paid, paid_from, due_date, created_at, updated_at, guid, void)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)",
            )?
            .execute(params![
                e.id,
                e.vendor_id,
                date_text(e.date),
                e.number,
                e.memo,
                e.customer_id,
                e.project_id,
                e.paid,
                e.paid_from,
                e.due_date.map(date_text),
                now,
                new_guid(),
                e.void
            ])?;
            write_lines(tx, e)?;
            outbox::enqueue_new(tx, &record)?;
            Ok(Saved::Added)
        }
    }
}

/// What QuickBooks made of one of our expenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QbExpenseKind {
    Bill,
    Check,
    CreditCardCharge,
}

impl QbExpenseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QbExpenseKind::Bill => "bill",
            QbExpenseKind::Check => "check",
            QbExpenseKind::CreditCardCharge => "credit_card_charge",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "bill" => Ok(QbExpenseKind::Bill),
            "check" => Ok(QbExpenseKind::Check),
            "credit_card_charge" => Ok(QbExpenseKind::CreditCardCharge),
            other => Err(StoreError::Corrupt {
                place: "qb_expense_status.kind",
                value: other.to_owned(),
                expected: "bill, check or credit_card_charge",
            }),
        }
    }

    /// In words: "bill", "check", "credit card charge".
    pub fn words(self) -> &'static str {
        match self {
            QbExpenseKind::Bill => "bill",
            QbExpenseKind::Check => "check",
            QbExpenseKind::CreditCardCharge => "credit card charge",
        }
    }
}

/// QuickBooks' side of one of our expenses, as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QbExpenseStatus {
    pub txn_id: String,
    pub kind: QbExpenseKind,
    /// Bills: IsPaid (paid in full in Pay Bills).
    pub is_paid: bool,
}

/// Notes what QuickBooks holds for one of our expenses (an answer, a re-read, the pull).
pub fn note_qb_status(
    tx: &Transaction<'_>,
    expense_id: &str,
    status: &QbExpenseStatus,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO qb_expense_status (expense_id, txn_id, kind, is_paid, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (expense_id) DO UPDATE SET txn_id = excluded.txn_id,
             kind = excluded.kind, is_paid = excluded.is_paid, seen_at = excluded.seen_at",
    )?
    .execute(params![
        expense_id,
        status.txn_id,
        status.kind.as_str(),
        status.is_paid,
        now_utc()
    ])?;
    Ok(())
}

/// What QuickBooks last held for one of our expenses (None: never read since it was sent).
pub fn qb_status(
    conn: &Connection,
    expense_id: &str,
) -> Result<Option<QbExpenseStatus>, StoreError> {
    let row: Option<(String, String, bool)> = conn
        .prepare_cached(
            "SELECT txn_id, kind, is_paid FROM qb_expense_status WHERE expense_id = ?1",
        )?
        .query_row([expense_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.map(|(txn_id, kind, is_paid)| {
        Ok(QbExpenseStatus {
            txn_id,
            kind: QbExpenseKind::parse(&kind)?,
            is_paid,
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::vendors::{self, Vendor};
    use crate::store::Store;
    use std::str::FromStr;

    fn expense() -> Expense {
        Expense {
            id: "E-1".into(),
            vendor_id: "V-1".into(),
            date: NaiveDate::from_ymd_opt(2026, 10, 4).unwrap(),
            number: Some("INV-5531".into()),
            memo: None,
            customer_id: None,
            project_id: None,
            paid: true,
            paid_from: Some("Checking".into()),
            due_date: None,
            void: false,
            lines: vec![ExpenseLine {
                account: "5010".into(),
                description: Some("Filters".into()),
                amount: Decimal::from_str("84.20").unwrap(),
                billable: false,
            }],
        }
    }

    #[test]
    fn an_expense_saves_reads_back_and_a_change_is_an_update() {
        let store = Store::open_in_memory().unwrap();
        let vendor = Vendor {
            id: "V-1".into(),
            name: "Acme Supply".into(),
            active: true,
            ..Vendor::default()
        };
        let e = expense();
        let saved = store
            .write(|tx| {
                vendors::save(tx, &vendor)?;
                save(tx, &e)
            })
            .unwrap();
        assert_eq!(saved, Saved::Added);
        let back = store.read(|c| get(c, "E-1")).unwrap().unwrap();
        assert_eq!(back.expense, e, "every field and line reads back exactly");
        assert_eq!(back.expense.total().to_string(), "84.20");
        assert_eq!(store.write(|tx| save(tx, &e)).unwrap(), Saved::Unchanged);
        let mut changed = e.clone();
        changed.lines[0].amount = Decimal::from_str("90.00").unwrap();
        assert_eq!(
            store.write(|tx| save(tx, &changed)).unwrap(),
            Saved::Updated
        );
        let entry = store
            .read(|c| outbox::get(c, &RecordRef::new(RecordKind::Expense, "E-1")))
            .unwrap()
            .unwrap();
        assert_eq!(entry.record.kind.rank(), 6, "expenses go after vendors");
        let mut voided = changed.clone();
        voided.void = true;
        assert_eq!(store.write(|tx| save(tx, &voided)).unwrap(), Saved::Updated);
        assert!(
            store.read(|c| get(c, "E-1")).unwrap().unwrap().expense.void,
            "void is kept"
        );
    }

    #[test]
    fn quickbooks_side_of_an_expense_is_kept_and_replaced() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.read(|c| qb_status(c, "E-1")).unwrap(), None);
        let bill = QbExpenseStatus {
            txn_id: "1-20".into(),
            kind: QbExpenseKind::Bill,
            is_paid: false,
        };
        store.write(|tx| note_qb_status(tx, "E-1", &bill)).unwrap();
        let paid = QbExpenseStatus {
            is_paid: true,
            ..bill.clone()
        };
        store.write(|tx| note_qb_status(tx, "E-1", &paid)).unwrap();
        assert_eq!(
            store.read(|c| qb_status(c, "E-1")).unwrap(),
            Some(paid),
            "the latest reading wins"
        );
    }
}
