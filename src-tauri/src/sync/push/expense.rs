//! An expense: sent once, after its vendor (and the customer or job it is billed to) are in
//! QuickBooks. Unpaid, it becomes a Bill (paid later in QuickBooks' Pay Bills); paid, a
//! Check drawn on the bank account in `paid_from`, or a CreditCardCharge when that account is
//! a credit card. Every line posts its amount to its account (full name or number); billable
//! lines are billable to the expense's customer or job. Dated before the start date, it is
//! left out as invoices are. Changes after it reached QuickBooks are not sent (a person makes
//! them there).

use super::accounts::{self, PaidWith};
use super::kind::{before_start, guid, Hold, Kind, Planning, Prepared};
use super::parents;
use crate::qbxml::{BillAdd, CheckAdd, CreditCardChargeAdd, ExpenseLine, ListRef, Request};
use crate::store::expenses::{self, Expense};
use crate::store::outbox::OutboxEntry;
use crate::store::records::{RecordKind, RecordRef};
use crate::store::StoreError;
use crate::sync::batch::PushPlan;
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

fn prepare(tx: &Transaction<'_>, planning: &Planning<'_>, entry: &OutboxEntry) -> Prepared {
    let ctx = planning.ctx;
    let record = &entry.record;
    let Some(stored) = expenses::get(tx, &record.id)? else {
        return Err(Hold::Wait);
    };
    let e = &stored.expense;
    let label = expense_label(e);
    if entry.qb_id.is_some() {
        return Err(Hold::Park(problems::ours(
            code::CHANGED_AFTER_SYNC,
            format!("{} changed in your field-service app after it reached QuickBooks. FieldBridge does not change expenses already in QuickBooks.", capitalise(&label)),
            "Make the same change to the bill, check or charge in QuickBooks, then choose Skip here.",
        )));
    }
    before_start(ctx, &label, e.date)?;
    let vendor = parents::ready(
        tx,
        ctx,
        &label,
        &RecordRef::new(RecordKind::Vendor, e.vendor_id.as_str()),
    )?;
    let customer = match billed_to(e) {
        Some(parent) => Some(ListRef::list_id(parents::ready(tx, ctx, &label, &parent)?)),
        None => None,
    };
    let mut lines = Vec::with_capacity(e.lines.len());
    for (i, l) in e.lines.iter().enumerate() {
        let account = accounts::line_account(tx, &label, &format!("line {}", i + 1), &l.account)?;
        lines.push(ExpenseLine {
            account: ListRef::list_id(account.list_id),
            amount: l.amount,
            memo: l.description.clone(),
            customer: customer.clone(),
            billable: customer.as_ref().map(|_| l.billable),
        });
    }
    let vendor = ListRef::list_id(vendor);
    let external_guid = guid(&stored.guid);
    let request: Request = match (e.paid, e.paid_from.as_deref()) {
        (false, _) => BillAdd {
            request_id: String::new(),
            vendor,
            ap_account: None,
            txn_date: Some(e.date),
            due_date: e.due_date,
            ref_number: e.number.clone(),
            memo: e.memo.clone(),
            external_guid,
            lines,
        }
        .into(),
        (true, None) => {
            // The import refuses this; a row written otherwise still gets plain words.
            return Err(Hold::Park(problems::ours(
                code::MISSING_ACCOUNT,
                format!(
                    "{} is marked paid but does not say which account it was paid from.",
                    capitalise(&label)
                ),
                "Set paid_from in your field-service app to the bank or credit card account it was paid from, and import it again.",
            )));
        }
        (true, Some(from)) => {
            let (account, with) = accounts::paid_from(tx, &label, from)?;
            // A check's or charge's RefNumber is its own number (at most 11 characters);
            // the vendor's invoice number goes into the memo instead.
            let memo = match (&e.memo, &e.number) {
                (Some(m), Some(n)) => Some(format!("{m} (vendor invoice {n})")),
                (None, Some(n)) => Some(format!("Vendor invoice {n}")),
                (m, None) => m.clone(),
            };
            let account = ListRef::list_id(account.list_id);
            match with {
                PaidWith::Bank => CheckAdd {
                    request_id: String::new(),
                    account,
                    payee: Some(vendor),
                    ref_number: None,
                    txn_date: Some(e.date),
                    memo,
                    is_to_be_printed: Some(false),
                    external_guid,
                    lines,
                }
                .into(),
                PaidWith::CreditCard => CreditCardChargeAdd {
                    request_id: String::new(),
                    account,
                    payee: Some(vendor),
                    txn_date: Some(e.date),
                    ref_number: None,
                    memo,
                    external_guid,
                    lines,
                }
                .into(),
            }
        }
    };
    Ok((request, PushPlan::add(record, label)))
}
