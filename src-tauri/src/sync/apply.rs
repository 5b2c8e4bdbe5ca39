//! Applying QuickBooks' answer to a batch: every response by its requestID, all in the
//! round trip's one transaction with its history rows and the session's counters; what is
//! alike for many records (synced, mirrored, history) is written in one statement each.
//! Owns what each status means for the record it answers (through [`super::status`]).

use super::batch::{Planned, PreparedBatch, PushPlan};
use super::error::SyncError;
use super::problems;
use super::rows;
use super::session::Session;
use super::stage::{Run, Stage};
use super::status::capitalise;
use super::status::{self, Verdict};
use crate::qbxml::{self, MsgsRs, Response, Severity};
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::outbox::{self, BatchEnd, Problem};
use crate::store::qb_mirror::{self, QbInvoiceStatus};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::sessions::OwnedHistory;
use crate::store::{pairings, payments, sessions, tax_differences, StoreError};
use rusqlite::Transaction;

/// QuickBooks' answer, read before anything is written. When it cannot be read nothing is
/// applied: the batch stays in flight and the next session settles it by ExternalGUID, so
/// a garbled answer can neither lose nor duplicate anything.
pub fn read_answer(s: &Session, xml: &str) -> Result<MsgsRs, SyncError> {
    qbxml::parse_response(xml).map_err(|e| {
        tracing::warn!(session = s.id, "QuickBooks' answer could not be read: {e}");
        SyncError::UnreadableAnswer(e)
    })
}

/// QuickBooks answered (the normal case): applies every response, in the caller's
/// transaction.
pub fn answered_batch(
    tx: &Transaction<'_>,
    run: &mut Run,
    batch: &PreparedBatch,
    msgs: &MsgsRs,
) -> Result<(), StoreError> {
    let s = &mut run.session;
    let before = (s.created, s.updated, s.failed);
    {
        let mut effects = Effects::default();
        for id in batch.request_ids_in_order() {
            let response = msgs.by_request_id(id);
            match &batch.requests[id] {
                // INVARIANT: pull pages are only planned, and so only answered, while the
                // session is pulling (the stage moves on when the next batch is planned).
                Planned::Pull(step) => match (&mut run.stage, response) {
                    (Stage::Pulling(pull), Some(r)) => pull.apply_page(tx, s, *step, r)?,
                    (Stage::Pulling(pull), None) => pull.step_unanswered(*step),
                    _ => tracing::warn!(session = s.id, "a pull page answered outside the pull"),
                },
                Planned::Reread(record) => {
                    if let Some(c) = response.and_then(|r| r.customers().next()) {
                        qb_mirror::upsert_customer(tx, &rows::mirror_customer(c))?;
                        outbox::set_edit_sequence(tx, record, &c.edit_sequence)?;
                    }
                }
                Planned::Push(plan) => apply_push(tx, s, &mut effects, plan, response)?,
                Planned::Journal(plan) => {
                    super::push::journal::apply_answer(tx, s, plan, response)?
                }
                Planned::Deposit(plan) => {
                    super::push::deposit::apply_answer(tx, s, plan, response)?
                }
            }
        }
        effects.flush(tx, s.id)?;
        outbox::finish_batch(tx, batch.batch_id, BatchEnd::Answered)?;
        sessions::add_counts(
            tx,
            s.id,
            0,
            (s.created - before.0) as i64,
            (s.updated - before.1) as i64,
            (s.failed - before.2) as i64,
        )?;
    }
    s.done_requests += batch.requests.len() as u64;
    Ok(())
}

/// QuickBooks refused the whole request (an HRESULT instead of a response): its records
/// are failed or requeued, and the refusal (`SyncError::Refused`) stops the session.
pub fn rejected_batch(
    tx: &Transaction<'_>,
    s: &mut Session,
    batch: &PreparedBatch,
    hresult: &str,
    message: &str,
) -> Result<SyncError, StoreError> {
    let (what, todo) = status::explain_hresult(hresult, message);
    // 0x80040400: QuickBooks could not parse what we sent. Sending it again would fail the
    // same way, so its records fail (with the words) instead of looping.
    let unparsable = hresult.trim().eq_ignore_ascii_case("0x80040400");
    tracing::warn!(
        session = s.id,
        hresult,
        "QuickBooks refused a whole request"
    );
    let session_id = s.id;
    let mut failed = 0;
    {
        let mut effects = Effects::default();
        for planned in batch.requests.values() {
            let plan = match planned {
                Planned::Push(plan) => plan,
                Planned::Journal(j) => {
                    failed += super::push::journal::refused(tx, j, hresult, message, unparsable)?;
                    continue;
                }
                Planned::Deposit(d) => {
                    super::push::deposit::apply_answer(tx, s, d, None)?;
                    continue;
                }
                Planned::Pull(_) | Planned::Reread(_) => continue,
            };
            let problem = problems::from_hresult(
                hresult,
                message,
                format!("{what} It happened while sending {}.", plan.label),
                todo.clone(),
            );
            if unparsable {
                outbox::mark_failed(tx, &plan.record, &problem)?;
                failed += 1;
            } else {
                outbox::requeue(tx, &plan.record, Some(&problem))?;
            }
            effects.history(
                plan,
                if unparsable {
                    HistoryOutcome::Failed
                } else {
                    HistoryOutcome::Retry
                },
                &problem,
            );
        }
        effects.flush(tx, session_id)?;
        outbox::finish_batch(tx, batch.batch_id, BatchEnd::Rejected)?;
        sessions::add_counts(tx, session_id, 0, 0, 0, failed)?;
    }
    s.failed += failed as u64;
    Ok(SyncError::Refused {
        hresult: hresult.to_owned(),
        what,
        todo,
    })
}

/// What applying one answer writes for many records alike, gathered while the answers are
/// read and written in one statement each ([`Effects::flush`]) before the transaction
/// commits: a 100-invoice answer is three statements, not three hundred.
#[derive(Default)]
struct Effects {
    /// (record, QuickBooks id, EditSequence) of every record QuickBooks now has.
    synced: Vec<(RecordRef, String, Option<String>)>,
    invoice_statuses: Vec<QbInvoiceStatus>,
    /// In the order the answers were read.
    history: Vec<OwnedHistory>,
}

impl Effects {
    fn history(&mut self, plan: &PushPlan, outcome: HistoryOutcome, problem: &Problem) {
        self.history.push(OwnedHistory {
            record: Some(plan.record.clone()),
            action: action_of(plan),
            outcome,
            qb_code: problem.code.clone(),
            qb_message: problem.message.clone(),
            text: Some(problem.text.clone()),
        });
    }

    fn flush(self, tx: &Transaction<'_>, session_id: i64) -> Result<(), StoreError> {
        // Statuses first: the record.synced event (store::events) carries the balance.
        qb_mirror::upsert_invoice_statuses(tx, &self.invoice_statuses)?;
        outbox::mark_synced_many(tx, &self.synced)?;
        sessions::add_history_rows(tx, Some(session_id), &self.history)
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "Info",
        Severity::Warn => "Warn",
        Severity::Error => "Error",
    }
}

/// The id and EditSequence of what an add or mod answer carries.
fn returned_ids(r: &Response) -> Option<(String, String)> {
    if let Some(c) = r.customers().next() {
        return Some((c.list_id.clone(), c.edit_sequence.clone()));
    }
    if let Some(i) = r.invoices().next() {
        return Some((i.txn_id.clone(), i.edit_sequence.clone()));
    }
    if let Some(e) = r.estimates().next() {
        return Some((e.txn_id.clone(), e.edit_sequence.clone()));
    }
    if let Some(p) = r.payments().next() {
        return Some((p.txn_id.clone(), p.edit_sequence.clone()));
    }
    None
}

/// One pushed record's answer: what QuickBooks' status means ([`status::explain`]) and what
/// it does to the record, the mirror, History and the session's counters. Longer than most
/// functions on purpose: one arm per verdict, side by side, so the outcomes can be compared.
fn apply_push(
    tx: &Transaction<'_>,
    s: &mut Session,
    effects: &mut Effects,
    plan: &PushPlan,
    response: Option<&Response>,
) -> Result<(), StoreError> {
    let record = &plan.record;
    let Some(r) = response else {
        // QuickBooks skipped it (it should not with continueOnError): send it again later.
        outbox::requeue(tx, record, None)?;
        return Ok(());
    };
    // A non-zero status with Info or Warn severity still saved the record when QuickBooks
    // returns it; without the record it did not (e.g. 3210 "Info" on an over-payment).
    let severity = if r.status_code != 0 && returned_ids(r).is_none() {
        "Error"
    } else {
        severity_word(r.status_severity)
    };
    let x = status::explain(r.status_code, severity, &r.status_message, &plan.label);
    let problem =
        problems::from_quickbooks(r.status_code, &r.status_message, x.text.clone(), x.advice);
    if x.verdict != Verdict::RetryLater {
        s.retry_later.remove(record);
    }
    match x.verdict {
        Verdict::Apply => {
            let Some((qb_id, edit_sequence)) = returned_ids(r) else {
                let p = problems::reworded(
                    problem,
                    format!(
                        "QuickBooks accepted {} but did not return it, so FieldBridge cannot tell what it saved.",
                        plan.label
                    ),
                    "Check the record in QuickBooks, then choose Retry or Skip.",
                );
                outbox::mark_needs_attention(tx, record, &p)?;
                effects.history(plan, HistoryOutcome::NeedsAttention, &p);
                s.needs_attention += 1;
                return Ok(());
            };
            effects
                .synced
                .push((record.clone(), qb_id.clone(), Some(edit_sequence)));
            match record.kind {
                RecordKind::Customer | RecordKind::Project => {
                    if let Some(c) = r.customers().next() {
                        qb_mirror::upsert_customer(tx, &rows::mirror_customer(c))?;
                    }
                    if record.kind == RecordKind::Customer && plan.is_add {
                        pairings::record_created(tx, &record.id, &qb_id)?;
                    }
                }
                RecordKind::Invoice => {
                    if let Some(inv) = r.invoices().next() {
                        effects
                            .invoice_statuses
                            .push(rows::invoice_status(inv, Some(record.id.clone())));
                    }
                }
                RecordKind::Payment => {
                    if let Some(p) = r.payments().next() {
                        let ours = payments::get(tx, &record.id)?;
                        for applied in &p.applied_to {
                            let invoice_id = ours.as_ref().map(|o| o.payment.invoice_id.clone());
                            qb_mirror::upsert_payment(
                                tx,
                                &rows::payment_row(p, applied, invoice_id),
                            )?;
                        }
                    }
                }
                RecordKind::ServiceTicket => {}
            }
            let outcome = if plan.is_add {
                HistoryOutcome::Created
            } else {
                HistoryOutcome::Updated
            };
            if plan.is_add {
                s.created += 1;
            } else {
                s.updated += 1;
            }
            let text = format!(
                "{} {}.",
                capitalise(&plan.label),
                if plan.is_add {
                    "was added to QuickBooks"
                } else {
                    "was updated in QuickBooks"
                }
            );
            effects.history.push(OwnedHistory {
                record: Some(record.clone()),
                action: action_of(plan),
                outcome,
                qb_code: (r.status_code != 0).then(|| problem.code.clone()).flatten(),
                qb_message: (r.status_code != 0).then(|| r.status_message.clone()),
                text: Some(text),
            });
            if let Some(inv) = r.invoices().next() {
                check_tax(tx, s.id, effects, plan, inv.sales_tax_total)?;
            }
        }
        Verdict::RetryLater => {
            s.retry_later.insert(record.clone());
            let n = s.transient.entry(record.clone()).or_insert(0);
            *n += 1;
            if *n >= 2 {
                // Twice in one session: leave it for the next run, so one locked record
                // never holds up the rest.
                s.skipped.insert(record.clone());
            }
            outbox::requeue(tx, record, Some(&problem))?;
            effects.history(plan, HistoryOutcome::Retry, &problem);
        }
        Verdict::RereadAndRetry => {
            if s.reread_done.contains(record) {
                outbox::mark_failed(tx, record, &problem)?;
                effects.history(plan, HistoryOutcome::Failed, &problem);
                s.failed += 1;
            } else {
                outbox::requeue(tx, record, Some(&problem))?;
                s.reread_wanted.push(record.clone());
                effects.history(plan, HistoryOutcome::Retry, &problem);
            }
        }
        Verdict::NameInUse | Verdict::NeedsAttention => {
            outbox::mark_needs_attention(tx, record, &problem)?;
            effects.history(plan, HistoryOutcome::NeedsAttention, &problem);
            s.needs_attention += 1;
        }
        Verdict::Failed | Verdict::NothingFound => {
            outbox::mark_failed(tx, record, &problem)?;
            effects.history(plan, HistoryOutcome::Failed, &problem);
            s.failed += 1;
        }
    }
    Ok(())
}

/// QuickBooks computes sales tax itself; a difference from what the field-service app
/// expected is written to the history (its own outcome: the invoice was created) and noted
/// for the Sync page's attention list, with both amounts, until a person dismisses it.
fn check_tax(
    tx: &Transaction<'_>,
    session_id: i64,
    effects: &mut Effects,
    plan: &PushPlan,
    quickbooks: Option<crate::money::Decimal>,
) -> Result<(), StoreError> {
    let (Some(expected), Some(computed)) = (plan.expected_tax, quickbooks) else {
        return Ok(());
    };
    if crate::money::round_cents(expected) == crate::money::round_cents(computed) {
        return Ok(());
    }
    tax_differences::note(tx, &plan.record.id, expected, computed, Some(session_id))?;
    let text = format!(
        "QuickBooks computed sales tax of {} on {}, but your field-service app expected {}. Check the sales tax item on the Items page and which lines are taxable.",
        crate::money::format_amount(computed),
        plan.label,
        crate::money::format_amount(expected)
    );
    effects.history.push(OwnedHistory {
        record: Some(plan.record.clone()),
        action: HistoryAction::Check,
        outcome: HistoryOutcome::TaxDifference,
        qb_code: None,
        qb_message: None,
        text: Some(text),
    });
    Ok(())
}

fn action_of(plan: &PushPlan) -> HistoryAction {
    if plan.is_add {
        HistoryAction::Add
    } else {
        HistoryAction::Modify
    }
}
