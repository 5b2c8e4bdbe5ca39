//! A change QuickBooks refused as out of date (3200: someone saved the record in QuickBooks
//! since FieldBridge last read it): re-read in the same session, then one of three ways.
//!
//! qbXML (every *Mod): "EditSequence ... must match the current EditSequence of the object,
//! or the request fails"; QuickBooks answers 3200. The record is read back (by ListID or
//! TxnID, with its lines) and QuickBooks' values of the fields FieldBridge owns are compared
//! with what FieldBridge knows (`store::edits`):
//!
//! 1. They equal one of the changes FieldBridge sent (an answer lost to a crash or a dropped
//!    connection, the change saved all the same): QuickBooks has it. Nothing is sent twice.
//! 2. They equal what QuickBooks confirmed last: the person in QuickBooks changed only fields
//!    FieldBridge does not send. FieldBridge's change goes again, on the new EditSequence.
//! 3. Otherwise both sides changed the same fields: the record needs attention, with both
//!    values in plain English and the choice (keep QuickBooks', send FieldBridge's).
//!
//! A second 3200 for the same record in one session fails it (see `sync::apply`), so a
//! record edited in QuickBooks over and over cannot keep a session going.

use super::batch::{self, Planned, PreparedBatch};
use super::owned;
use super::sessions;
use super::Session;
use crate::qbxml::{
    BillQuery, CheckQuery, CreditCardChargeQuery, CustomerQuery, EstimateQuery, InvoiceQuery,
    ListSelection, ReceivePaymentQuery, Request, Response, TxnSelection,
};
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::edits::{self, Owned};
use crate::store::expenses::{self, QbExpenseKind};
use crate::store::outbox::{self, SyncState};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{qb_mirror, StoreError};
use crate::sync::problems::{self, code};
use crate::sync::rows;
use crate::sync::status::capitalise;
use rusqlite::Transaction;
use std::collections::HashMap;

/// One query per record whose change QuickBooks refused as out of date.
pub(super) fn batch(tx: &Transaction<'_>, s: &mut Session) -> Result<PreparedBatch, StoreError> {
    let wanted = std::mem::take(&mut s.reread_wanted);
    let mut requests = Vec::new();
    let mut planned = HashMap::new();
    for (i, record) in wanted.into_iter().enumerate() {
        let qb_id = outbox::get(tx, &record)?.and_then(|e| e.qb_id);
        let Some(qb_id) = qb_id else { continue };
        // Only kinds FieldBridge modifies are ever re-read (vendors are not).
        let Some(request) = query(tx, &record, qb_id)? else {
            continue;
        };
        let request_id = format!("reread-{i}");
        requests.push(request.with_request_id(request_id.clone()));
        s.reread_done.insert(record.clone());
        planned.insert(request_id, Planned::Reread(record));
    }
    batch::record_queries(tx, s.id, requests, planned)
}

fn query(
    tx: &Transaction<'_>,
    record: &RecordRef,
    qb_id: String,
) -> Result<Option<Request>, StoreError> {
    let txns = || TxnSelection::TxnIds(vec![qb_id.clone()]);
    Ok(Some(match record.kind {
        RecordKind::Customer | RecordKind::Project => CustomerQuery {
            selection: ListSelection::ListIds(vec![qb_id.clone()]),
            ..CustomerQuery::default()
        }
        .into(),
        RecordKind::Invoice => InvoiceQuery {
            selection: txns(),
            include_line_items: true,
            ..InvoiceQuery::default()
        }
        .into(),
        RecordKind::ServiceTicket => EstimateQuery {
            selection: txns(),
            include_line_items: true,
            ..EstimateQuery::default()
        }
        .into(),
        RecordKind::Payment => ReceivePaymentQuery {
            selection: txns(),
            include_line_items: true,
            ..ReceivePaymentQuery::default()
        }
        .into(),
        RecordKind::Expense => {
            // What QuickBooks made of it when it was sent (an expense sent before that was
            // kept: a bill when unpaid, else a check; a card charge read as a check is not
            // found, and the next send fails with QuickBooks' words).
            let kind = match expenses::qb_status(tx, &record.id)? {
                Some(s) => s.kind,
                None => match expenses::get(tx, &record.id)? {
                    Some(e) if e.expense.paid => QbExpenseKind::Check,
                    _ => QbExpenseKind::Bill,
                },
            };
            let selection = txns();
            match kind {
                QbExpenseKind::Bill => BillQuery {
                    selection,
                    include_line_items: true,
                    ..BillQuery::default()
                }
                .into(),
                QbExpenseKind::Check => CheckQuery {
                    selection,
                    include_line_items: true,
                    ..CheckQuery::default()
                }
                .into(),
                QbExpenseKind::CreditCardCharge => CreditCardChargeQuery {
                    selection,
                    include_line_items: true,
                    ..CreditCardChargeQuery::default()
                }
                .into(),
            }
        }
        RecordKind::Vendor => return Ok(None),
    }))
}

/// What QuickBooks holds of the record now: its owned fields and its EditSequence.
fn held(
    tx: &Transaction<'_>,
    record: &RecordRef,
    r: &Response,
) -> Result<Option<(Owned, String)>, StoreError> {
    Ok(match record.kind {
        RecordKind::Customer | RecordKind::Project => match r.customers().next() {
            Some(c) => {
                qb_mirror::upsert_customer(tx, &rows::mirror_customer(c))?;
                Some((owned::customer_held(c), c.edit_sequence.clone()))
            }
            None => None,
        },
        RecordKind::Invoice => r
            .invoices()
            .next()
            .map(|t| (owned::sales_held(t), t.edit_sequence.clone())),
        RecordKind::ServiceTicket => r
            .estimates()
            .next()
            .map(|t| (owned::sales_held(t), t.edit_sequence.clone())),
        RecordKind::Payment => r
            .payments()
            .next()
            .map(|p| (owned::payment_held(p), p.edit_sequence.clone())),
        RecordKind::Expense => match r.purchases().next() {
            Some(p) => {
                // A bill paid in QuickBooks since is not changed (`push::expense`).
                expenses::note_qb_status(tx, &record.id, &rows::expense_status(p))?;
                Some((owned::expense_held(p), p.edit_sequence.clone()))
            }
            None => None,
        },
        RecordKind::Vendor => None,
    })
}

/// Applies the re-read of one record (see the module for the three ways).
pub fn settle(
    tx: &Transaction<'_>,
    s: &mut Session,
    record: &RecordRef,
    response: Option<&Response>,
) -> Result<(), StoreError> {
    let Some(entry) = outbox::get(tx, record)? else {
        return Ok(());
    };
    let Some((current, edit_sequence)) =
        response.map(|r| held(tx, record, r)).transpose()?.flatten()
    else {
        // Not found (deleted in QuickBooks meanwhile): the next send fails with
        // QuickBooks' own words, and the pull reports the deletion.
        return Ok(());
    };
    if entry.state != SyncState::Pending {
        return Ok(());
    }
    outbox::set_edit_sequence(tx, record, &edit_sequence)?;
    let known = edits::get(tx, record)?;
    let Some(ours) = known.sent.last().cloned() else {
        // Nothing known of what was sent (a record from before edits were tracked): the
        // change goes again on the new EditSequence, as it always did.
        return Ok(());
    };
    // 1. QuickBooks has one of our changes already: that change, on QuickBooks' lines, is
    //    the base now.
    if let Some(sent) = known.sent.iter().find(|sent| current.agrees_on(sent, sent)) {
        let base = sent.clone().with_line_ids_of(&current);
        return edits::rebase(tx, record, &base);
    }
    // 2. QuickBooks' owned fields are as they were: only fields FieldBridge does not send
    //    changed there.
    if let Some(base) = &known.base {
        if current.agrees_on(base, &ours) {
            let rebased = Owned {
                fields: current.restricted_to(&ours).fields,
                lines: base.lines.clone(),
            }
            .with_line_ids_of(&current);
            return edits::rebase(tx, record, &rebased);
        }
    }
    // 3. Both sides changed what FieldBridge owns.
    let theirs = current.restricted_to(&ours);
    let changed_there: Vec<String> = match &known.base {
        Some(base) => {
            // A field QuickBooks had empty when FieldBridge last sent (so not in the base)
            // that a person filled in since changed there too.
            let mut changed = base.differences(&current);
            for k in ours.fields.keys() {
                let filled = current.fields.get(k).is_some_and(|v| !v.is_empty());
                if !base.fields.contains_key(k) && filled && !changed.contains(k) {
                    changed.push(k.clone());
                }
            }
            changed
        }
        None => ours.differences(&current),
    };
    let both: Vec<String> = ours
        .differences(&current)
        .into_iter()
        .filter(|k| changed_there.contains(k))
        .collect();
    let shown: Vec<String> = if both.is_empty() { changed_there } else { both }
        .iter()
        .map(|k| {
            if k == "lines" {
                format!(
                    "the lines are {} in QuickBooks and {} in FieldBridge",
                    theirs.shown_lines(),
                    ours.shown_lines()
                )
            } else {
                format!(
                    "{k} is {} in QuickBooks and {} in FieldBridge",
                    theirs.shown(k),
                    ours.shown(k)
                )
            }
        })
        .collect();
    let label = super::label(tx, record)?;
    let problem = problems::ours(
        code::EDIT_CONFLICT,
        format!(
            "{} was changed in QuickBooks and in your field-service app since the last sync: {}.",
            capitalise(&label),
            shown.join("; ")
        ),
        format!(
            "Choose Skip to keep QuickBooks' values, or Retry to send FieldBridge's (fieldbridge resolve {} {} keep-quickbooks|send-fieldbridge).",
            record.kind.as_str().replace('_', "-"),
            record.id
        ),
    );
    edits::conflict(tx, record, &theirs)?;
    outbox::mark_needs_attention(tx, record, &problem)?;
    s.needs_attention += 1;
    sessions::add_history(
        tx,
        Some(s.id),
        &sessions::NewHistory {
            record: Some(record),
            action: HistoryAction::Modify,
            outcome: HistoryOutcome::NeedsAttention,
            qb_code: problem.code.as_ref(),
            qb_message: None,
            text: Some(&problem.text),
        },
    )
}
