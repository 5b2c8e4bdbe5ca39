//! An expense: sent after its vendor (and the customer or job it is billed to) are in
//! QuickBooks. Unpaid, it becomes a Bill (paid later in QuickBooks' Pay Bills); paid, a
//! Check drawn on the bank account in `paid_from`, or a CreditCardCharge when that account is
//! a credit card. Every line posts its amount to its account (full name or number); billable
//! lines are billable to the expense's customer or job. Dated before the start date, or void
//! before it was sent, it is left out as invoices are.
//!
//! Once in QuickBooks it follows the rules of invoices: a change in the app goes as the Mod
//! of its kind (BillMod, CheckMod, CreditCardChargeMod) on the EditSequence QuickBooks last
//! gave, with only the fields FieldBridge owns and its lines matched to QuickBooks'
//! TxnLineIDs (`owned`, `store::edits`; a 3200 is re-read, `reread`); voided in the app, it is
//! voided there (TxnVoid). What QuickBooks does not take waits for a person, with what to
//! do: a bill paid in QuickBooks is not changed or voided, and an expense's kind does not
//! change once it is there (a bill that became paid in the app, a check that moved to a
//! credit card): a bill is paid in QuickBooks' Pay Bills, and FieldBridge does not turn a
//! bill into a check.

use super::accounts::{self, PaidWith};
use super::kind::{before_start, guid, Hold, Kind, Planning, Prepared};
use super::owned::{self, ExpenseHeader};
use super::parents;
use crate::qbxml::{
    BillAdd, BillMod, CheckAdd, CheckMod, CreditCardChargeAdd, CreditCardChargeMod, ExpenseLine,
    ListRef, Request, TxnVoid, TxnVoidType,
};
use crate::store::expenses::{self, Expense, QbExpenseKind, StoredExpense};
use crate::store::outbox::OutboxEntry;
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{edits, StoreError};
use crate::sync::batch::{PushPlan, Removal};
use crate::sync::problems::{self, code};
use crate::sync::session::Phase;
use crate::sync::status::capitalise;
use rusqlite::Transaction;

pub(super) const KIND: Kind = Kind {
    phase: Phase::Expenses,
    label,
    prepare,
};

fn label(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, StoreError> {
    Ok(expenses::get(tx, id)?.map(|e| expense_label(&e.expense)))
}

fn expense_label(e: &Expense) -> String {
    let number = e
        .number
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    format!(
        "expense {}{number} of {} from vendor {}",
        e.id,
        crate::money::format_amount(e.total()),
        e.vendor_id
    )
}

/// What the lines are billed to: the job when there is one, else the customer.
fn billed_to(e: &Expense) -> Option<RecordRef> {
    match (&e.project_id, &e.customer_id) {
        (Some(p), _) => Some(RecordRef::new(RecordKind::Project, p.as_str())),
        (None, Some(c)) => Some(RecordRef::new(RecordKind::Customer, c.as_str())),
        (None, None) => None,
    }
}

/// What the expense is in QuickBooks' terms, from the app's `paid` and `paid_from`.
enum Target {
    Bill,
    /// A check drawn on this bank account.
    Check(ListRef),
    /// A charge to this credit card account.
    Charge(ListRef),
}

impl Target {
    fn kind(&self) -> QbExpenseKind {
        match self {
            Target::Bill => QbExpenseKind::Bill,
            Target::Check(_) => QbExpenseKind::Check,
            Target::Charge(_) => QbExpenseKind::CreditCardCharge,
        }
    }

    fn paid_from(&self) -> Option<&ListRef> {
        match self {
            Target::Bill => None,
            Target::Check(a) | Target::Charge(a) => Some(a),
        }
    }
}

/// Everything an add or a mod sends, resolved against QuickBooks.
struct Parts {
    vendor: ListRef,
    lines: Vec<ExpenseLine>,
    target: Target,
    /// The memo as sent: a check's or charge's carries the vendor's invoice number.
    memo: Option<String>,
    /// The bill's RefNumber (checks and charges send none).
    ref_number: Option<String>,
}

fn parts(
    tx: &Transaction<'_>,
    planning: &Planning<'_>,
    e: &Expense,
    label: &str,
) -> Result<Parts, Hold> {
    let ctx = planning.ctx;
    let vendor = parents::ready(
        tx,
        ctx,
        label,
        &RecordRef::new(RecordKind::Vendor, e.vendor_id.as_str()),
    )?;
    let customer = match billed_to(e) {
        Some(parent) => Some(ListRef::list_id(parents::ready(tx, ctx, label, &parent)?)),
        None => None,
    };
    let mut lines = Vec::with_capacity(e.lines.len());
    for (i, l) in e.lines.iter().enumerate() {
        let account = accounts::line_account(tx, label, &format!("line {}", i + 1), &l.account)?;
        lines.push(ExpenseLine {
            account: ListRef::list_id(account.list_id),
            amount: l.amount,
            memo: l.description.clone(),
            customer: customer.clone(),
            billable: customer.as_ref().map(|_| l.billable),
        });
    }
    let vendor = ListRef::list_id(vendor);
    let target = match (e.paid, e.paid_from.as_deref()) {
        (false, _) => {
            return Ok(Parts {
                vendor,
                lines,
                target: Target::Bill,
                memo: e.memo.clone(),
                ref_number: e.number.clone(),
            })
        }
        (true, None) => {
            // The import refuses this; a row written otherwise still gets plain words.
            return Err(Hold::Park(problems::ours(
                code::MISSING_ACCOUNT,
                format!(
                    "{} is marked paid but does not say which account it was paid from.",
                    capitalise(label)
                ),
                "Set paid_from in your field-service app to the bank or credit card account it was paid from, and import it again.",
            )));
        }
        (true, Some(from)) => {
            let (account, with) = accounts::paid_from(tx, label, from)?;
            let account = ListRef::list_id(account.list_id);
            match with {
                PaidWith::Bank => Target::Check(account),
                PaidWith::CreditCard => Target::Charge(account),
            }
        }
    };
    // A check's or charge's RefNumber is its own number (at most 11 characters); the
    // vendor's invoice number goes into the memo instead.
    let memo = match (&e.memo, &e.number) {
        (Some(m), Some(n)) => Some(format!("{m} (vendor invoice {n})")),
        (None, Some(n)) => Some(format!("Vendor invoice {n}")),
        (m, None) => m.clone(),
    };
    Ok(Parts {
        vendor,
        lines,
        target,
        memo,
        ref_number: None,
    })
}

fn prepare(tx: &Transaction<'_>, planning: &Planning<'_>, entry: &OutboxEntry) -> Prepared {
    let record = &entry.record;
    let Some(stored) = expenses::get(tx, &record.id)? else {
        return Err(Hold::Wait);
    };
    let e = &stored.expense;
    let label = expense_label(e);
    if let Some(txn_id) = &entry.qb_id {
        return if e.void {
            void(tx, entry, e, txn_id, label)
        } else {
            modify(tx, planning, entry, e, txn_id, label)
        };
    }
    if e.void {
        return Err(Hold::Park(problems::ours(
            code::VOID,
            format!(
                "{} is void in your field-service app, so FieldBridge does not send it.",
                capitalise(&label)
            ),
            "Nothing to do.",
        )));
    }
    before_start(planning.ctx, &label, e.date)?;
    add(tx, planning, record, &stored, label)
}

fn add(
    tx: &Transaction<'_>,
    planning: &Planning<'_>,
    record: &RecordRef,
    stored: &StoredExpense,
    label: String,
) -> Prepared {
    let e = &stored.expense;
    let p = parts(tx, planning, e, &label)?;
    let external_guid = guid(&stored.guid);
    let sent = owned::expense_sent(header(&p, e), &p.lines);
    let request: Request = match p.target {
        Target::Bill => BillAdd {
            request_id: String::new(),
            vendor: p.vendor,
            ap_account: None,
            txn_date: Some(e.date),
            due_date: e.due_date,
            ref_number: p.ref_number,
            memo: p.memo,
            external_guid,
            lines: p.lines,
        }
        .into(),
        Target::Check(account) => CheckAdd {
            request_id: String::new(),
            account,
            payee: Some(p.vendor),
            ref_number: None,
            txn_date: Some(e.date),
            memo: p.memo,
            is_to_be_printed: Some(false),
            external_guid,
            lines: p.lines,
        }
        .into(),
        Target::Charge(account) => CreditCardChargeAdd {
            request_id: String::new(),
            account,
            payee: Some(p.vendor),
            txn_date: Some(e.date),
            ref_number: None,
            memo: p.memo,
            external_guid,
            lines: p.lines,
        }
        .into(),
    };
    Ok((request, PushPlan::add(record, label).owning(sent)))
}

/// The owned header fields, as an add or a mod of `p` sends them.
fn header<'a>(p: &'a Parts, e: &Expense) -> ExpenseHeader<'a> {
    let bill = matches!(p.target, Target::Bill);
    ExpenseHeader {
        vendor: Some(&p.vendor),
        paid_from: p.target.paid_from(),
        date: Some(e.date),
        number: p.ref_number.as_ref(),
        due: if bill { e.due_date } else { None },
        memo: p.memo.as_ref(),
    }
}

/// The words for a kind, with its article: "a bill", "a check", "a credit card charge".
fn a(kind: QbExpenseKind) -> String {
    format!("a {}", kind.words())
}

/// A change to an expense QuickBooks has: the Mod of its kind on the EditSequence FieldBridge
/// last saw, with the fields FieldBridge owns; lines only when they changed.
fn modify(
    tx: &Transaction<'_>,
    planning: &Planning<'_>,
    entry: &OutboxEntry,
    e: &Expense,
    txn_id: &str,
    label: String,
) -> Prepared {
    let record = &entry.record;
    let Some(edit_sequence) = entry.edit_sequence.clone() else {
        return Err(Hold::Wait);
    };
    let p = parts(tx, planning, e, &label)?;
    let wanted = p.target.kind();
    let held = expenses::qb_status(tx, &e.id)?.filter(|s| s.txn_id == txn_id);
    if let Some(held) = &held {
        if held.kind != wanted {
            return Err(Hold::Park(kind_changed(&label, held.kind, wanted)));
        }
        if held.kind == QbExpenseKind::Bill && held.is_paid {
            return Err(Hold::Park(problems::ours(
                code::PAID_EXPENSE,
                format!(
                    "{} changed in your field-service app, but the bill was paid in QuickBooks, and FieldBridge does not change a paid bill.",
                    capitalise(&label)
                ),
                "Make the change in QuickBooks if it is still needed (first undo its payment in Pay Bills when the amounts change), then choose Skip here.",
            )));
        }
    }
    let base = edits::get(tx, record)?.base;
    let lines = owned::expense_lines_to_send(&p.lines, base.as_ref());
    let memo = owned::memo_to_send(p.memo.as_ref(), base.as_ref());
    let ref_number = owned::text_to_send(p.ref_number.as_ref(), base.as_ref(), owned::NUMBER);
    let sent = owned::expense_sent(header(&p, e), &p.lines);
    let request: Request = match p.target {
        Target::Bill => BillMod {
            request_id: String::new(),
            txn_id: txn_id.to_owned(),
            edit_sequence,
            vendor: Some(p.vendor),
            txn_date: Some(e.date),
            due_date: e.due_date,
            ref_number,
            memo,
            lines,
        }
        .into(),
        Target::Check(account) => CheckMod {
            request_id: String::new(),
            txn_id: txn_id.to_owned(),
            edit_sequence,
            account: Some(account),
            payee: Some(p.vendor),
            ref_number: None,
            txn_date: Some(e.date),
            memo,
            lines,
        }
        .into(),
        Target::Charge(account) => CreditCardChargeMod {
            request_id: String::new(),
            txn_id: txn_id.to_owned(),
            edit_sequence,
            account: Some(account),
            payee: Some(p.vendor),
            txn_date: Some(e.date),
            ref_number: None,
            memo,
            lines,
        }
        .into(),
    };
    edits::note_sent(tx, record, &sent)?;
    Ok((request, PushPlan::modify(record, label).owning(sent)))
}

/// The expense is `held` in QuickBooks but the app now makes it `wanted`: QuickBooks has no
/// way to turn one into the other, and FieldBridge does not delete and re-enter it.
fn kind_changed(
    label: &str,
    held: QbExpenseKind,
    wanted: QbExpenseKind,
) -> crate::store::outbox::Problem {
    let advice = match (held, wanted) {
        (QbExpenseKind::Bill, _) => "A bill is paid in QuickBooks' Pay Bills: pay it there from the account it was paid from (FieldBridge does not turn a bill into a check or a charge), then choose Skip here.",
        (_, QbExpenseKind::Bill) => "FieldBridge does not turn a check or a charge into a bill. If it was not paid after all, void it in QuickBooks and enter the bill there, then choose Skip here.",
        _ => "FieldBridge does not move a payment between a bank account and a credit card. Void it in QuickBooks and enter it again from the right account, then choose Skip here.",
    };
    problems::ours(
        code::PAID_EXPENSE,
        format!(
            "{} is {} in QuickBooks, but your field-service app now makes it {}.",
            capitalise(label),
            a(held),
            a(wanted)
        ),
        advice,
    )
}

/// An expense voided in the app after it reached QuickBooks: voided there too (TxnVoid),
/// unless it is a bill paid in QuickBooks (QuickBooks refuses to void it).
fn void(
    tx: &Transaction<'_>,
    entry: &OutboxEntry,
    e: &Expense,
    txn_id: &str,
    label: String,
) -> Prepared {
    let held = expenses::qb_status(tx, &e.id)?.filter(|s| s.txn_id == txn_id);
    let kind = match &held {
        Some(h) if h.kind == QbExpenseKind::Bill && h.is_paid => {
            return Err(Hold::Park(problems::ours(
                code::PAID_EXPENSE,
                format!(
                    "{} was voided in your field-service app, but the bill was paid in QuickBooks, and QuickBooks does not void a paid bill.",
                    capitalise(&label)
                ),
                "Delete its bill payment in QuickBooks first, then choose Retry; or choose Skip to leave the bill in QuickBooks as it is.",
            )));
        }
        Some(h) => h.kind,
        // Sent before FieldBridge kept what QuickBooks made of it: a bill when unpaid, a
        // check when paid (a card charge voided as a check is not found, and the words
        // QuickBooks gives say so).
        None if e.paid => QbExpenseKind::Check,
        None => QbExpenseKind::Bill,
    };
    let request = TxnVoid {
        request_id: String::new(),
        txn_void_type: match kind {
            QbExpenseKind::Bill => TxnVoidType::Bill,
            QbExpenseKind::Check => TxnVoidType::Check,
            QbExpenseKind::CreditCardCharge => TxnVoidType::CreditCardCharge,
        },
        txn_id: txn_id.to_owned(),
    };
    Ok((
        request.into(),
        PushPlan::remove(&entry.record, label, Removal::Void),
    ))
}
