//! Applying QuickBooks' answer to a batch: every response by its requestID, all in one
//! transaction with its history rows and the session's counters. Owns what each status
//! means for the record it answers (through [`super::status`]).

use super::pull;
use super::session::{Planned, PreparedBatch, PushPlan, Session};
use super::status::capitalise;
use super::status::{self, Verdict};
use crate::qbxml::{self, Response, Severity};
use crate::store::outbox::{self, BatchEnd, Problem};
use crate::store::qb_mirror;
use crate::store::records::RecordKind;
use crate::store::{pairings, payments, sessions, Store, StoreError};
use rusqlite::Transaction;

/// What the session does after an answer.
pub enum BatchOutcome {
    Applied,
    /// The session cannot go on; the text says why (for getLastError).
    StopSession(String),
}

/// QuickBooks answered (the normal case).
pub fn answered_batch(
    store: &Store,
    s: &mut Session,
    batch: &PreparedBatch,
    xml: &str,
) -> Result<BatchOutcome, StoreError> {
    let msgs = match qbxml::parse_response(xml) {
        Ok(m) => m,
        Err(e) => {
            // Nothing is applied: the batch stays in flight and the next session settles it
            // by ExternalGUID, so a garbled answer can neither lose nor duplicate anything.
            tracing::warn!(session = s.id, "QuickBooks' answer could not be read: {e}");
            return Ok(BatchOutcome::StopSession(
                "FieldBridge could not read QuickBooks' answer. Nothing is lost: the next Web Connector run checks what QuickBooks saved and carries on.".to_owned(),
            ));
        }
    };
    let before = (s.created, s.updated, s.failed);
    store.write(|tx| {
        // Apply in the order the requests were written (r1, r2, ... / pull-0, pull-1, ...).
        let mut ids: Vec<&String> = batch.requests.keys().collect();
        ids.sort_by_key(|id| {
            (
                id.trim_start_matches(|c: char| !c.is_ascii_digit())
                    .parse::<u64>()
                    .unwrap_or(0),
                (*id).clone(),
            )
        });
        for id in ids {
            let response = msgs.by_request_id(id);
            match &batch.requests[id] {
                Planned::Pull(step) => match response {
                    Some(r) => pull::apply_page(tx, s, *step, r)?,
                    None => s.pulls[*step].state = pull::StepState::Done,
                },
                Planned::Reread(record) => {
                    if let Some(c) = response.and_then(|r| r.customers().next()) {
                        qb_mirror::upsert_customer(tx, &pull::mirror_customer(c))?;
                        outbox::set_edit_sequence(tx, record, &c.edit_sequence)?;
                    }
                }
                Planned::Push(plan) => apply_push(tx, s, plan, response)?,
            }
        }
        outbox::finish_batch(tx, batch.batch_id, BatchEnd::Answered)?;
        sessions::add_counts(
            tx,
            s.id,
            0,
            (s.created - before.0) as i64,
            (s.updated - before.1) as i64,
            (s.failed - before.2) as i64,
        )?;
        Ok::<_, StoreError>(())
    })?;
    s.done_requests += batch.requests.len() as u64;
    Ok(BatchOutcome::Applied)
}

/// QuickBooks refused the whole request (an HRESULT instead of a response).
pub fn rejected_batch(
    store: &Store,
    s: &mut Session,
    batch: &PreparedBatch,
    hresult: &str,
    message: &str,
) -> Result<BatchOutcome, StoreError> {
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
    store.write(|tx| {
        for planned in batch.requests.values() {
            let Planned::Push(plan) = planned else {
                continue;
            };
            let problem = Problem {
                code: Some(hresult.to_owned()),
                message: Some(message.to_owned()),
                text: format!("{what} It happened while sending {}.", plan.label),
                advice: Some(todo.clone()),
            };
            if unparsable {
                outbox::mark_failed(tx, &plan.record, &problem)?;
                failed += 1;
            } else {
                outbox::requeue(tx, &plan.record, Some(&problem))?;
            }
            history(
                tx,
                session_id,
                plan,
                if unparsable { "failed" } else { "retry" },
                &problem,
            )?;
        }
        outbox::finish_batch(tx, batch.batch_id, BatchEnd::Rejected)?;
        sessions::add_counts(tx, session_id, 0, 0, 0, failed)?;
        Ok::<_, StoreError>(())
    })?;
    s.failed += failed as u64;
    Ok(BatchOutcome::StopSession(format!("{what} {todo}")))
}

fn history(
    tx: &Transaction<'_>,
    session_id: i64,
    plan: &PushPlan,
    outcome: &str,
    problem: &Problem,
) -> Result<(), StoreError> {
    sessions::add_history(
        tx,
        Some(session_id),
        &sessions::NewHistory {
            record: Some(&plan.record),
            action: if plan.is_add { "add" } else { "modify" },
            outcome,
            qb_code: problem.code.as_deref(),
            qb_message: problem.message.as_deref(),
            text: Some(&problem.text),
        },
    )
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

fn apply_push(
    tx: &Transaction<'_>,
    s: &mut Session,
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
    let problem = Problem {
        code: Some(r.status_code.to_string()),
        message: Some(r.status_message.clone()),
        text: x.text.clone(),
        advice: Some(x.advice.clone()),
    };
    match x.verdict {
        Verdict::Apply => {
            let Some((qb_id, edit_sequence)) = returned_ids(r) else {
                let p = Problem {
                    text: format!(
                        "QuickBooks accepted {} but did not return it, so FieldBridge cannot tell what it saved.",
                        plan.label
                    ),
                    advice: Some("Check the record in QuickBooks, then choose Retry or Skip.".into()),
                    ..problem
                };
                outbox::mark_needs_attention(tx, record, &p)?;
                history(tx, s.id, plan, "needs_attention", &p)?;
                s.needs_attention += 1;
                return Ok(());
            };
            outbox::mark_synced(tx, record, &qb_id, Some(&edit_sequence))?;
            match record.kind {
                RecordKind::Customer | RecordKind::Project => {
                    if let Some(c) = r.customers().next() {
                        qb_mirror::upsert_customer(tx, &pull::mirror_customer(c))?;
                    }
                    if record.kind == RecordKind::Customer && plan.is_add {
                        pairings::record_created(tx, &record.id, &qb_id)?;
                    }
                }
                RecordKind::Invoice => {
                    if let Some(inv) = r.invoices().next() {
                        qb_mirror::upsert_invoice_status(
                            tx,
                            &pull::invoice_status(inv, Some(record.id.clone())),
                        )?;
                        check_tax(tx, s.id, plan, inv.sales_tax_total)?;
                    }
                }
                RecordKind::Payment => {
                    if let Some(p) = r.payments().next() {
                        let ours = payments::get(tx, &record.id)?;
                        for applied in &p.applied_to {
                            let invoice_id = ours.as_ref().map(|o| o.payment.invoice_id.clone());
                            qb_mirror::upsert_payment(
                                tx,
                                &pull::payment_row(p, applied, invoice_id),
                            )?;
                        }
                    }
                }
                RecordKind::ServiceTicket => {}
            }
            let outcome = if plan.is_add { "created" } else { "updated" };
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
            sessions::add_history(
                tx,
                Some(s.id),
                &sessions::NewHistory {
                    record: Some(record),
                    action: if plan.is_add { "add" } else { "modify" },
                    outcome,
                    qb_code: (r.status_code != 0)
                        .then_some(problem.code.as_deref())
                        .flatten(),
                    qb_message: (r.status_code != 0).then_some(r.status_message.as_str()),
                    text: Some(&text),
                },
            )?;
        }
        Verdict::RetryLater => {
            let n = s.transient.entry(record.clone()).or_insert(0);
            *n += 1;
            if *n >= 2 {
                // Twice in one session: leave it for the next run, so one locked record
                // never holds up the rest.
                s.skipped.insert(record.clone());
            }
            outbox::requeue(tx, record, Some(&problem))?;
            history(tx, s.id, plan, "retry", &problem)?;
        }
        Verdict::RereadAndRetry => {
            if s.reread_done.contains(record) {
                outbox::mark_failed(tx, record, &problem)?;
                history(tx, s.id, plan, "failed", &problem)?;
                s.failed += 1;
            } else {
                outbox::requeue(tx, record, Some(&problem))?;
                s.reread_wanted.push(record.clone());
                history(tx, s.id, plan, "retry", &problem)?;
            }
        }
        Verdict::NameInUse | Verdict::NeedsAttention => {
            outbox::mark_needs_attention(tx, record, &problem)?;
            history(tx, s.id, plan, "needs_attention", &problem)?;
            s.needs_attention += 1;
        }
        Verdict::Failed | Verdict::NothingFound => {
            outbox::mark_failed(tx, record, &problem)?;
            history(tx, s.id, plan, "failed", &problem)?;
            s.failed += 1;
        }
    }
    Ok(())
}

/// QuickBooks computes sales tax itself; a difference from what the field-service app
/// expected is written to the history where the office manager sees it.
fn check_tax(
    tx: &Transaction<'_>,
    session_id: i64,
    plan: &PushPlan,
    quickbooks: Option<crate::money::Decimal>,
) -> Result<(), StoreError> {
    let (Some(expected), Some(computed)) = (plan.expected_tax, quickbooks) else {
        return Ok(());
    };
    if crate::money::round_cents(expected) == crate::money::round_cents(computed) {
        return Ok(());
    }
    let text = format!(
        "QuickBooks computed sales tax of {} on {}, but your field-service app expected {}. Check the sales tax item on the Items page and which lines are taxable.",
        crate::money::format_amount(computed),
        plan.label,
        crate::money::format_amount(expected)
    );
    sessions::add_history(
        tx,
        Some(session_id),
        &sessions::NewHistory {
            record: Some(&plan.record),
            action: "check",
            outcome: "tax_mismatch",
            qb_code: None,
            qb_message: None,
            text: Some(&text),
        },
    )
}
