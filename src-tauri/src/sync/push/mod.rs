//! Sending the app's records to QuickBooks: which records go next, one message set per
//! kind, and what becomes of each (a request, a link, a wait, or a problem for a person).
//! The answers are applied by `sync::apply`.
//!
//! Parents go first, one kind per message set: customers, projects (as jobs), service
//! tickets (as estimates), invoices, payments, vendors, expenses (as bills, checks or
//! credit-card charges). A child whose parent failed or needs a person
//! is parked with the parent's reason; a child whose parent is still waiting waits for a
//! later session; nothing unrelated is held up.
//!
//! One file per record kind ([`customer`], [`project`], [`ticket`], [`invoice`],
//! [`payment`]), each with its [`Kind`]: how a record is named and what it becomes. This
//! file only gathers candidates, asks the kind, batches and runs the pre-flight
//! ([`preflight`]). A new record kind is one new file and one arm in [`kind`].

mod accounts;
mod context;
mod customer;
pub mod deposit;
mod expense;
mod index;
mod invoice;
pub mod journal;
mod kind;
pub(super) mod owned;
mod parents;
mod payment;
mod preflight;
mod project;
mod reread;
mod sales;
mod ticket;
mod vendor;

pub use index::{file_queued, QbIndex};
use kind::{Hold, Kind, Planning, Prepared};
pub use reread::settle as settle_reread;

use super::batch::{self, Planned, PreparedBatch};
use super::problems::{self, code};
use super::session::{Phase, Session};
use super::status::capitalise;
use super::PUSH_BATCH_SIZE;
use crate::qbxml::Request;
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::outbox::{self, OutboxEntry, Problem};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{sessions, StoreError};
use context::Context;
use rusqlite::Transaction;
use std::collections::{HashMap, HashSet};

/// After this many sends without success (busy, locked, lost), a record stops being retried
/// by itself and waits for a person.
pub const MAX_SEND_ATTEMPTS: i64 = 8;

/// The one match over record kinds.
fn kind(kind: RecordKind) -> &'static Kind {
    match kind {
        RecordKind::Customer => &customer::KIND,
        RecordKind::Project => &project::KIND,
        RecordKind::ServiceTicket => &ticket::KIND,
        RecordKind::Invoice => &invoice::KIND,
        RecordKind::Payment => &payment::KIND,
        RecordKind::Vendor => &vendor::KIND,
        RecordKind::Expense => &expense::KIND,
    }
}

/// The next push batch (recorded in flight in the same transaction that builds it), or
/// `None` when nothing more can be sent in this session.
pub fn next_batch(
    tx: &Transaction<'_>,
    s: &mut Session,
    index: &QbIndex,
) -> Result<Option<PreparedBatch>, StoreError> {
    if !s.reread_wanted.is_empty() {
        return reread::batch(tx, s).map(Some);
    }
    let ctx = context::context(tx, &s.company)?;
    let summary = crate::store::accounting::mode(tx)? == crate::store::accounting::Mode::Summary;
    for record_kind in RecordKind::ALL {
        let batch = match (summary, record_kind) {
            // Summary mode: invoices and payments go as journal entries (`journal`).
            (true, RecordKind::Invoice | RecordKind::Payment) => {
                let what = if record_kind == RecordKind::Invoice {
                    crate::store::journal::What::Invoices
                } else {
                    crate::store::journal::What::Payments
                };
                journal::next_batch(tx, s, &ctx, what)?
            }
            _ => next_batch_of(tx, s, &ctx, index, record_kind)?,
        };
        if let Some(batch) = batch {
            return Ok(Some(batch));
        }
    }
    if let Some(batch) = deposit::next_batch(tx, s, &ctx)? {
        return Ok(Some(batch));
    }
    s.current_phase = Phase::Finishing;
    Ok(None)
}

/// Gathers up to a batch of one kind, builds it, and goes on gathering if every request in
/// it had to be set aside by the pre-flight.
fn next_batch_of(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    index: &QbIndex,
    record_kind: RecordKind,
) -> Result<Option<PreparedBatch>, StoreError> {
    let mut taken: HashSet<RecordRef> = HashSet::new();
    loop {
        let mut requests: Vec<Request> = Vec::new();
        let mut planned = HashMap::new();
        let mut sending: Vec<(RecordRef, String)> = Vec::new();
        loop {
            let skipped_here = s.skipped.iter().filter(|r| r.kind == record_kind).count();
            let want = PUSH_BATCH_SIZE + skipped_here + taken.len();
            let candidates: Vec<OutboxEntry> = outbox::next_pending(tx, record_kind, want)?
                .into_iter()
                .filter(|e| !s.skipped.contains(&e.record) && !taken.contains(&e.record))
                .collect();
            if candidates.is_empty() {
                break;
            }
            ctx.load_candidates(tx, record_kind, &candidates)?;
            for entry in candidates {
                if requests.len() >= PUSH_BATCH_SIZE {
                    break;
                }
                let record = entry.record.clone();
                match prepare(tx, s, ctx, index, &entry) {
                    Ok((request, plan)) => {
                        let request_id = batch::push_request_id(taken.len() + 1);
                        requests.push(request.with_request_id(request_id.clone()));
                        planned.insert(request_id.clone(), Planned::Push(plan));
                        sending.push((record.clone(), request_id));
                        taken.insert(record);
                    }
                    Err(Hold::Settled) => {}
                    Err(Hold::Wait) => {
                        s.skipped.insert(record);
                    }
                    Err(Hold::Park(problem)) => park(tx, s, &record, problem)?,
                    Err(Hold::ParentBlocked(blocked)) => {
                        let parent_label = label(tx, &blocked.parent)?;
                        let problem = problems::waiting_on_parent(
                            &blocked.label,
                            &parent_label,
                            blocked.problem,
                        );
                        park(tx, s, &record, problem)?;
                    }
                    Err(Hold::Store(e)) => return Err(e),
                }
            }
            if requests.len() >= PUSH_BATCH_SIZE {
                break;
            }
        }
        if requests.is_empty() {
            return Ok(None);
        }
        s.current_phase = kind(record_kind).phase;
        let mut msgs = batch::message_set(requests);
        let (xml, refused) = preflight::build(&mut msgs, &mut planned, &mut sending)?;
        for (record, problem) in refused {
            park(tx, s, &record, problem)?;
        }
        let Some(xml) = xml else {
            // Every request broke a qbXML rule (each now waits for a person): gather again.
            continue;
        };
        return batch::record(tx, s.id, &msgs, xml, planned, &sending).map(Some);
    }
}

/// One pending record through its kind, unless it was sent too often already.
fn prepare(
    tx: &Transaction<'_>,
    s: &Session,
    ctx: &Context,
    index: &QbIndex,
    entry: &OutboxEntry,
) -> Prepared {
    if entry.attempts >= MAX_SEND_ATTEMPTS {
        let label = label(tx, &entry.record)?;
        return Err(Hold::Park(problems::ours(
            code::TOO_MANY_ATTEMPTS,
            format!(
                "{} was sent {} times without QuickBooks taking it (it was busy, locked or the answer was lost).",
                capitalise(&label),
                entry.attempts
            ),
            "Make sure nobody has the record open in QuickBooks, then choose Retry.",
        )));
    }
    let planning = Planning { s, ctx, index };
    (kind(entry.record.kind).prepare)(tx, &planning, entry)
}

/// Parks a record as needing a person (counted in the session, with a history row).
pub(super) fn park(
    tx: &Transaction<'_>,
    s: &mut Session,
    record: &RecordRef,
    problem: Problem,
) -> Result<(), StoreError> {
    // A record released for a fresh check that is parked again for the same reason gets no
    // second history row: the history says what changed, not what stayed.
    let same_as_before = outbox::get(tx, record)?
        .and_then(|e| e.problem)
        .is_some_and(|p| problems::same(&p, &problem));
    outbox::mark_needs_attention(tx, record, &problem)?;
    s.needs_attention += 1;
    if same_as_before {
        return Ok(());
    }
    sessions::add_history(
        tx,
        Some(s.id),
        &sessions::NewHistory {
            record: Some(record),
            action: HistoryAction::Check,
            outcome: HistoryOutcome::NeedsAttention,
            qb_code: problem.code.as_ref(),
            qb_message: problem.message.as_deref(),
            text: Some(&problem.text),
        },
    )?;
    Ok(())
}

/// Words naming a record, e.g. `customer "Ecker Designs" (C-1001)`.
pub fn label(tx: &Transaction<'_>, record: &RecordRef) -> Result<String, StoreError> {
    Ok((kind(record.kind).label)(tx, &record.id)?
        .unwrap_or_else(|| format!("{} {}", record.kind, record.id)))
}
