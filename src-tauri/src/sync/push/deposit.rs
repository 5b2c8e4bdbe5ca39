//! Deposits (`deposit-account`): the payments FieldBridge put in Undeposited Funds (each
//! ReceivePaymentAdd in full mode, each summarized payments entry in summary mode) go to the
//! chosen bank account in one DepositAdd per period (`deposit-period`, a day by default),
//! as an office takes a day's checks to the bank. Owns which money a deposit takes, what it
//! says, and what QuickBooks' answer (or its loss) does.
//!
//! Exactly once: a deposit is a row of `store::deposits` with a stable ExternalGUID, and the
//! money it takes is marked as its own in the transaction that records the batch in flight.
//! A lost answer is settled by [`resolve_lost`] from the pull's DepositQuery: found by its
//! ExternalGUID, it is posted; not found, it is dropped and its money waits for the next one.
//! A deposit QuickBooks refuses is written to History and not tried again in the session.

use super::context::Context;
use crate::money::Decimal;
use crate::qbxml::{DepositAdd, DepositPaymentLine, ListRef, Response};
use crate::store::accounting::{self, Period};
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::deposits::{self, Waiting};
use crate::store::{qb_mirror, sessions, StoreError};
use crate::sync::batch::{self, DepositPlan, Planned, PreparedBatch};
use crate::sync::problems;
use crate::sync::session::{Phase, Session};
use crate::sync::status;
use chrono::NaiveDate;
use rusqlite::Transaction;
use std::collections::{BTreeMap, HashMap};

/// At most this many deposits in one message set.
pub const DEPOSITS_PER_BATCH: usize = 62;

/// The next batch of deposits, or `None` when nothing waits to be deposited (or no deposit
/// account is chosen).
pub(super) fn next_batch(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
) -> Result<Option<PreparedBatch>, StoreError> {
    let Some(account) = ctx.deposit_account.as_deref() else {
        return Ok(None);
    };
    let waiting = deposits::waiting(tx)?;
    if waiting.is_empty() {
        return Ok(None);
    }
    let Some(bank) = qb_mirror::account_by_name(tx, account)?.filter(|a| a.is_active) else {
        // The payments themselves are held with this problem (push::payment, push::journal).
        tracing::warn!(
            account,
            "the deposit account is missing or inactive in QuickBooks"
        );
        return Ok(None);
    };
    let period = accounting::deposit_period(tx)?;
    let mut groups: BTreeMap<NaiveDate, Vec<Waiting>> = BTreeMap::new();
    for w in waiting {
        let start = period.start(w.date);
        if !s.deposits_refused.contains(&start) {
            groups.entry(start).or_default().push(w);
        }
    }
    if groups.is_empty() {
        return Ok(None);
    }
    s.current_phase = Phase::Payments;
    let mut requests = Vec::new();
    let mut built = Vec::new();
    for (start, lines) in groups.into_iter().take(DEPOSITS_PER_BATCH) {
        let request_id = batch::push_request_id(requests.len() + 1);
        let (request, plan, guid, total) = build(period, start, &bank.name, &lines);
        requests.push(request.with_request_id(request_id.clone()));
        built.push((request_id, plan, guid, total, lines));
    }
    let msgs = batch::message_set(requests);
    let xml = msgs.to_xml().map_err(|e| StoreError::Corrupt {
        place: "a deposit FieldBridge built",
        value: e.to_string(),
        expected: "a deposit of payments QuickBooks has",
    })?;
    let mut prepared = batch::record(tx, s.id, &msgs, xml, HashMap::new(), &[])?;
    for (request_id, mut plan, guid, total, lines) in built {
        plan.deposit_id = deposits::insert(
            tx,
            &deposits::NewDeposit {
                period,
                period_start: plan.period_start,
                account: &bank.name,
                guid: &guid,
                total,
                batch_id: prepared.batch_id,
                lines: &lines,
            },
        )?;
        prepared.requests.insert(request_id, Planned::Deposit(plan));
    }
    Ok(Some(prepared))
}

fn build(
    period: Period,
    start: NaiveDate,
    bank: &str,
    lines: &[Waiting],
) -> (crate::qbxml::Request, DepositPlan, String, Decimal) {
    let date = period.end(start);
    let total: Decimal = lines.iter().map(|w| w.amount).sum();
    let span = match period {
        Period::Day => start.to_string(),
        _ => format!("{start} to {date}"),
    };
    let guid = uuid::Uuid::new_v4();
    let request = DepositAdd {
        request_id: String::new(),
        txn_date: Some(date),
        deposit_to_account: ListRef::full_name(bank),
        memo: Some(format!(
            "FieldBridge deposit of the field payments of {span}."
        )),
        external_guid: Some(guid),
        lines: lines
            .iter()
            .map(|w| DepositPaymentLine {
                payment_txn_id: w.txn_id.clone(),
                payment_txn_line_id: w.txn_line_id.clone(),
            })
            .collect(),
    };
    let plan = DepositPlan {
        deposit_id: 0,
        period_start: start,
        label: format!(
            "the deposit of {span} ({} into {bank})",
            crate::money::format_amount(total)
        ),
    };
    (request.into(), plan, crate::qbxml::format_guid(guid), total)
}

/// QuickBooks' answer to one deposit.
pub fn apply_answer(
    tx: &Transaction<'_>,
    s: &mut Session,
    plan: &DepositPlan,
    response: Option<&Response>,
) -> Result<(), StoreError> {
    if let Some(d) =
        response.and_then(|r| (r.status_code == 0).then(|| r.deposits().next()).flatten())
    {
        deposits::post(tx, plan.deposit_id, &d.txn_id)?;
        return note(
            tx,
            s.id,
            HistoryAction::Add,
            HistoryOutcome::Created,
            None,
            &format!(
                "{} was added to QuickBooks.",
                crate::sync::status::capitalise(&plan.label)
            ),
        );
    }
    deposits::drop_deposit(tx, plan.deposit_id)?;
    s.deposits_refused.insert(plan.period_start);
    let Some(r) = response else {
        return Ok(());
    };
    let x = status::explain(r.status_code, "Error", &r.status_message, &plan.label);
    let problem = problems::from_quickbooks(r.status_code, &r.status_message, x.text, x.advice);
    sessions::add_history(
        tx,
        Some(s.id),
        &sessions::NewHistory {
            record: None,
            action: HistoryAction::Add,
            outcome: HistoryOutcome::Failed,
            qb_code: problem.code.as_ref(),
            qb_message: problem.message.as_deref(),
            text: Some(&format!(
                "{} {} The payments stay in Undeposited Funds; the next sync tries again.",
                problem.text,
                problem.advice.as_deref().unwrap_or_default()
            )),
        },
    )
}

fn note(
    tx: &Transaction<'_>,
    session_id: i64,
    action: HistoryAction,
    outcome: HistoryOutcome,
    code: Option<&crate::store::codes::ProblemCode>,
    text: &str,
) -> Result<(), StoreError> {
    sessions::add_history(
        tx,
        Some(session_id),
        &sessions::NewHistory {
            record: None,
            action,
            outcome,
            qb_code: code,
            qb_message: None,
            text: Some(text),
        },
    )
}

/// Settles the deposits of a batch whose answer was lost, by ExternalGUID.
pub fn resolve_lost(
    tx: &Transaction<'_>,
    s: &mut Session,
    batch_id: i64,
) -> Result<(), StoreError> {
    for d in deposits::in_flight_in_batch(tx, batch_id)? {
        match s.seen_txns.get(&d.guid) {
            Some((txn_id, _)) => {
                deposits::post(tx, d.id, txn_id)?;
                note(
                    tx,
                    s.id,
                    HistoryAction::Recover,
                    HistoryOutcome::Created,
                    None,
                    &format!(
                        "QuickBooks had already saved the deposit of {} ({}) when the connection was lost; FieldBridge found it by its ExternalGUID and did not send it again.",
                        d.period_start,
                        crate::money::format_amount(d.total)
                    ),
                )?;
            }
            None => deposits::drop_deposit(tx, d.id)?,
        }
    }
    Ok(())
}
