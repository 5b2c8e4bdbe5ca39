//! Settling batches whose answer never came (and, first, releasing records that waited on
//! QuickBooks' lists, now that they were read again) (the process was killed, the connection dropped,
//! the Web Connector gave up). Owns the rule that keeps QuickBooks free of duplicates: a
//! record in such a batch is never sent again blind.
//!
//! The pull that precedes this step reads everything modified since the oldest lost batch
//! was sent (less the overlap). Each record of a lost batch is then looked for by its
//! ExternalGUID in what QuickBooks showed: found → synced with QuickBooks' id; not found →
//! pending, to be sent afresh. A modification (which has no ExternalGUID of its own) goes
//! back to pending: sending it again is harmless, because a stale EditSequence is refused
//! (3200) and re-read.

use super::session::{Phase, Session};
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::outbox::{self, BatchEnd, SyncState};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{
    customers, expenses, invoices, pairings, payments, projects, qb_mirror, sessions, tickets,
    vendors, StoreError,
};
use rusqlite::Transaction;

/// Resolves every unanswered batch (in the caller's transaction).
pub fn resolve_lost_batches(tx: &Transaction<'_>, s: &mut Session) -> Result<(), StoreError> {
    // QuickBooks' lists were just read: records that waited on something there (an item,
    // a payment method, an account, a preference, a parent) are checked again.
    let released = outbox::release_parked(tx, outbox::waits_on::QUICKBOOKS_LISTS)?;
    if released > 0 {
        tracing::info!(
            released,
            "records that waited on QuickBooks' lists are checked again"
        );
    }
    let lost = outbox::unanswered_batches(tx)?;
    if lost.is_empty() {
        return Ok(());
    }
    s.current_phase = Phase::Checking;
    // Summarized entries and deposits first: they settle the records they carry, which the
    // loop below then finds no longer in flight.
    for batch in &lost {
        super::push::journal::resolve_lost(tx, s, batch.id)?;
        super::push::deposit::resolve_lost(tx, s, batch.id)?;
    }
    let session_id = s.id;
    let seen = &s.seen_txns;
    let (found, requeued) = {
        let (mut found, mut requeued) = (0u64, 0u64);
        for batch in &lost {
            for entry in outbox::in_batch(tx, batch.id)? {
                if entry.state != SyncState::InFlight {
                    continue;
                }
                let record = entry.record.clone();
                let hit = if entry.qb_id.is_some() {
                    None
                } else {
                    find(tx, seen, &record)?
                };
                match hit {
                    Some((qb_id, edit_sequence)) => {
                        outbox::adopt_existing(tx, &record, &qb_id, edit_sequence.as_deref())?;
                        if record.kind == RecordKind::Customer {
                            pairings::record_created(tx, &record.id, &qb_id)?;
                        }
                        if record.kind == RecordKind::Vendor {
                            vendors::record_created(tx, &record.id, &qb_id)?;
                        }
                        sessions::add_history(
                            tx,
                            Some(session_id),
                            &sessions::NewHistory {
                                record: Some(&record),
                                action: HistoryAction::Recover,
                                outcome: HistoryOutcome::Created,
                                qb_code: None,
                                qb_message: None,
                                text: Some(
                                    "QuickBooks had already saved this record when the connection was lost; FieldBridge found it by its ExternalGUID and did not send it again.",
                                ),
                            },
                        )?;
                        found += 1;
                    }
                    None => {
                        outbox::requeue(tx, &record, None)?;
                        requeued += 1;
                    }
                }
            }
            outbox::finish_batch(tx, batch.id, BatchEnd::Resolved)?;
        }
        (found, requeued)
    };
    tracing::info!(
        batches = lost.len(),
        found,
        requeued,
        "resolved batches whose answer was lost"
    );
    Ok(())
}

/// QuickBooks' id (and EditSequence) of a record it already has, found by ExternalGUID.
fn find(
    tx: &Transaction<'_>,
    seen: &std::collections::HashMap<String, (String, String)>,
    record: &RecordRef,
) -> Result<Option<(String, Option<String>)>, StoreError> {
    let guid = match record.kind {
        RecordKind::Customer => customers::get(tx, &record.id)?.map(|c| c.guid),
        RecordKind::Project => projects::get(tx, &record.id)?.map(|p| p.guid),
        RecordKind::ServiceTicket => tickets::get(tx, &record.id)?.map(|t| t.guid),
        RecordKind::Invoice => invoices::get(tx, &record.id)?.map(|i| i.guid),
        RecordKind::Payment => payments::get(tx, &record.id)?.map(|p| p.guid),
        RecordKind::Vendor => vendors::get(tx, &record.id)?.map(|v| v.guid),
        RecordKind::Expense => expenses::get(tx, &record.id)?.map(|e| e.guid),
    };
    let Some(guid) = guid else { return Ok(None) };
    Ok(match record.kind {
        RecordKind::Customer | RecordKind::Project => {
            qb_mirror::customer_by_guid(tx, &guid)?.map(|c| (c.list_id, Some(c.edit_sequence)))
        }
        RecordKind::Vendor => {
            vendors::qb_vendor_by_guid(tx, &guid)?.map(|v| (v.list_id, Some(v.edit_sequence)))
        }
        _ => seen
            .get(&guid)
            .map(|(txn_id, es)| (txn_id.clone(), Some(es.clone()))),
    })
}
