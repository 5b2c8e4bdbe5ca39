//! Applying QuickBooks' answer to a batch: every response by its requestID, all in the
//! round trip's one transaction with its history rows and the session's counters; what is
//! alike for many records (synced, mirrored, history) is written in one statement each.
//! Owns what each status means for the record it answers (through [`super::status`]).

use super::batch::{Planned, PreparedBatch, PushPlan, Removal};
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
use crate::store::{
    customers, edits, expenses, invoices, pairings, payments, sessions, tax_differences, vendors,
    StoreError,
};
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
                Planned::Rebind => match (&mut run.stage, response) {
                    (Stage::Verifying(check), Some(r)) => check.apply(r),
                    (Stage::Verifying(_), None) => {}
                    _ => tracing::warn!(session = s.id, "a rebind check answered outside it"),
                },
                Planned::Reread(record) => super::push::settle_reread(tx, s, record, response)?,
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
                Planned::Pull(_) | Planned::Reread(_) | Planned::Rebind => continue,
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
    if let Some(v) = r.vendors().next() {
        return Some((v.list_id.clone(), v.edit_sequence.clone()));
    }
    if let Some(p) = r.purchases().next() {
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
    let mut problem =
        problems::from_quickbooks(r.status_code, &r.status_message, x.text.clone(), x.advice);
    if record.kind == RecordKind::Payment
        && matches!(
            r.status_code,
            status::code::MISSING_REFERENCE | status::code::BAD_REFERENCE
        )
        && r.status_message.contains("Transaction")
    {
        problem = problems::payment_invoice_not_found(
            problem,
            &plan.label,
            &payment_invoice(tx, &record.id)?,
        );
    }
    if x.verdict != Verdict::RetryLater {
        s.retry_later.remove(record);
    }
    if let Some(removal) = plan.removal {
        if removed(tx, s, effects, plan, removal, r)? {
            return Ok(());
        }
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
            confirm_owned(tx, plan, r)?;
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
                RecordKind::Vendor => {
                    if let Some(v) = r.vendors().next() {
                        vendors::upsert_qb(tx, &rows::qb_vendor(v))?;
                    }
                    if plan.is_add {
                        vendors::record_created(tx, &record.id, &qb_id)?;
                    }
                }
                RecordKind::Expense => {
                    if let Some(p) = r.purchases().next() {
                        expenses::note_qb_status(tx, &record.id, &rows::expense_status(p))?;
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

/// QuickBooks took an add or a mod: the owned fields it sent are QuickBooks' base now, with
/// the TxnLineIDs QuickBooks gave the lines; an invoice made from a service ticket closes
/// the ticket's estimate (`sync::push` ticket).
fn confirm_owned(tx: &Transaction<'_>, plan: &PushPlan, r: &Response) -> Result<(), StoreError> {
    let record = &plan.record;
    if let Some(owned) = &plan.owned {
        let lines: Vec<Option<String>> = r
            .invoices()
            .chain(r.estimates())
            .flat_map(|t| t.lines.iter().map(|l| l.txn_line_id.clone()))
            .chain(
                r.purchases()
                    .flat_map(|p| p.lines.iter().map(|l| l.txn_line_id.clone())),
            )
            .collect();
        edits::confirm(
            tx,
            record,
            &super::push::owned::with_line_ids(owned.clone(), &lines),
        )?;
    }
    if record.kind == RecordKind::Invoice && plan.is_add {
        let ticket = crate::store::invoices::ticket_of(tx, &record.id)?
            .map(|t| RecordRef::new(RecordKind::ServiceTicket, t));
        if let Some(ticket) = ticket {
            if outbox::get(tx, &ticket)?.is_some_and(|e| e.qb_id.is_some()) {
                outbox::note_changed(tx, &ticket)?;
            }
        }
    }
    Ok(())
}

/// The answer to a void or a delete: done (or the payment was gone already, which is the
/// same for the invoice) → synced, with a history row; `false` lets the status's usual
/// meaning apply (busy, refused).
fn removed(
    tx: &Transaction<'_>,
    s: &mut Session,
    effects: &mut Effects,
    plan: &PushPlan,
    removal: Removal,
    r: &Response,
) -> Result<bool, StoreError> {
    let gone_already =
        removal == Removal::Delete && r.status_code == qbxml::status::OBJECT_NOT_FOUND;
    if r.status_code != qbxml::status::OK && !gone_already {
        return Ok(false);
    }
    let record = &plan.record;
    let Some(entry) = outbox::get(tx, record)? else {
        return Ok(true);
    };
    let Some(qb_id) = entry.qb_id.clone() else {
        return Ok(false);
    };
    let text = match removal {
        Removal::Void => format!("{} was voided in QuickBooks.", capitalise(&plan.label)),
        Removal::Delete => {
            edits::payment_removed(tx, &qb_id)?;
            qb_mirror::mark_deleted(tx, "ReceivePayment", &qb_id, None, &crate::store::now_utc())?;
            // An invoice voided in the app waited for this payment to go (push invoice).
            if let Some(p) = payments::get(tx, &record.id)? {
                s.skipped
                    .remove(&RecordRef::new(RecordKind::Invoice, p.payment.invoice_id));
            }
            format!(
                "{} was removed from QuickBooks (reversed); its invoice is open again.",
                capitalise(&plan.label)
            )
        }
    };
    effects
        .synced
        .push((record.clone(), qb_id, entry.edit_sequence.clone()));
    s.updated += 1;
    effects.history.push(OwnedHistory {
        record: Some(record.clone()),
        action: HistoryAction::Modify,
        outcome: HistoryOutcome::Updated,
        qb_code: None,
        qb_message: None,
        text: Some(text),
    });
    Ok(true)
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

/// The invoice a payment pays, as [`problems::payment_invoice_not_found`] words it: its
/// number, its customer, and whether that customer's link was changed (Customers, "Change
/// link...") after the invoice reached QuickBooks, with the QuickBooks customer it is
/// linked to now.
fn payment_invoice(
    tx: &Transaction<'_>,
    payment_id: &str,
) -> Result<problems::PaidInvoice, StoreError> {
    let invoice = payments::get(tx, payment_id)?
        .map(|p| p.payment.invoice_id)
        .and_then(|id| invoices::get(tx, &id).transpose())
        .transpose()?;
    let Some(invoice) = invoice else {
        return Ok(problems::PaidInvoice::default());
    };
    let i = invoice.invoice;
    let customer = customers::get(tx, &i.customer_id)?.map(|c| c.customer.name);
    let sent_at = outbox::get(tx, &RecordRef::new(RecordKind::Invoice, i.id.clone()))?
        .filter(|e| e.qb_id.is_some())
        .map(|e| e.updated_at);
    let relinked_to = match (pairings::get(tx, &i.customer_id)?, sent_at) {
        // RFC 3339 UTC stamps written by the store compare as text.
        (Some(p), Some(sent)) if p.decided_at > sent => match p.list_id {
            Some(list_id) => Some(
                qb_mirror::customer(tx, &list_id)?
                    .map(|c| c.full_name)
                    .unwrap_or(list_id),
            ),
            None => None,
        },
        _ => None,
    };
    Ok(problems::PaidInvoice {
        number: Some(i.number),
        customer,
        relinked_to,
    })
}

fn action_of(plan: &PushPlan) -> HistoryAction {
    if plan.is_add {
        HistoryAction::Add
    } else {
        HistoryAction::Modify
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Decimal;
    use crate::store::{customers::Customer, invoices::Invoice, qb_mirror::QbCustomer, Store};

    fn qb(list_id: &str, name: &str) -> QbCustomer {
        QbCustomer {
            list_id: list_id.into(),
            name: name.into(),
            full_name: name.into(),
            is_active: true,
            edit_sequence: "1".into(),
            time_modified: "2026-10-01T09:00:00-05:00".into(),
            ..Default::default()
        }
    }

    /// Customer C-1 linked to "Ecker Designs", invoice I-1 sent under it, payment P-1 on it.
    fn paid_invoice() -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                crate::store::customers::save(tx, &Customer::named("C-1", "Ecker Designs"))?;
                invoices::save(tx, &Invoice::for_test("I-1", "C-1", "10045"))?;
                payments::save(
                    tx,
                    &payments::Payment {
                        id: "P-1".into(),
                        invoice_id: "I-1".into(),
                        date: chrono::NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
                        amount: "50.00".parse::<Decimal>().unwrap(),
                        method: None,
                        reference: None,
                        reversed: false,
                    },
                )?;
                qb_mirror::upsert_customer(tx, &qb("80-1", "Ecker Designs"))?;
                qb_mirror::upsert_customer(tx, &qb("80-2", "Ecker Designs Group"))?;
                pairings::link(tx, "C-1", "80-1", pairings::PairingHow::Manual)?;
                let invoice = RecordRef::new(RecordKind::Invoice, "I-1");
                let session = sessions::start(tx, None)?;
                let b = outbox::begin_batch(tx, session, "ms-1", "<QBXML/>")?;
                outbox::mark_in_flight(tx, b, &[(invoice.clone(), "1".into())])?;
                outbox::mark_synced(tx, &invoice, "1A2-1700000000", Some("1"))?;
                outbox::finish_batch(tx, b, BatchEnd::Answered)?;
                // Linked and sent in the past.
                tx.execute(
                    "UPDATE outbox SET updated_at = '2026-10-02T09:00:00Z' WHERE kind = 'invoice'",
                    [],
                )?;
                tx.execute(
                    "UPDATE pairings SET decided_at = '2026-10-01T09:00:00Z'",
                    [],
                )?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
    }

    #[test]
    fn a_link_changed_after_the_invoice_was_sent_is_found_and_named() {
        let store = paid_invoice();
        let before = store.write(|tx| payment_invoice(tx, "P-1")).unwrap();
        assert_eq!(before.number.as_deref(), Some("10045"));
        assert_eq!(before.customer.as_deref(), Some("Ecker Designs"));
        assert_eq!(before.relinked_to, None, "linked before the invoice went");
        // Customers > Change link… to another QuickBooks customer.
        store
            .write(|tx| pairings::link(tx, "C-1", "80-2", pairings::PairingHow::Manual))
            .unwrap();
        let after = store.write(|tx| payment_invoice(tx, "P-1")).unwrap();
        assert_eq!(after.relinked_to.as_deref(), Some("Ecker Designs Group"));
    }
}
