//! Batch bookkeeping: what each request of a message set was for ([`Planned`]), the batch
//! built and recorded in flight ([`PreparedBatch`]), request IDs, `newMessageSetID`s, and
//! recording a batch in the outbox before its XML can leave the process. Knows nothing of
//! what a pull or a push decides.

use crate::money::Decimal;
use crate::qbxml::{MsgsRq, OnError, Request};
use crate::store::outbox;
use crate::store::records::RecordRef;
use crate::store::{sessions, StoreError};
use rusqlite::Transaction;
use std::collections::HashMap;

/// What one request in a batch was for, so its answer can be applied.
#[derive(Debug, Clone)]
pub enum Planned {
    /// A page of a pull step (index into the pull's steps).
    Pull(usize),
    /// A record sent to QuickBooks.
    Push(PushPlan),
    /// Re-reading a customer or job whose EditSequence was out of date.
    Reread(RecordRef),
    /// Looking for FieldBridge's own records in a company file a person said is the same
    /// (`super::rebind`).
    Rebind,
    /// A summarized journal entry and the records it carries (summary mode).
    Journal(JournalPlan),
    /// A deposit of payments from Undeposited Funds.
    Deposit(DepositPlan),
}

/// What applying an entry's answer needs.
#[derive(Debug, Clone)]
pub struct JournalPlan {
    pub entry_id: i64,
    pub what: crate::store::journal::What,
    /// Words naming the entry, e.g. `journal entry FB261004I (invoices of 2026-10-04)`.
    pub label: String,
    pub members: Vec<RecordRef>,
    /// The date of the entry (the period's last day), for the deposit.
    pub date: chrono::NaiveDate,
    pub total: Decimal,
}

/// What applying a deposit's answer needs.
#[derive(Debug, Clone)]
pub struct DepositPlan {
    pub deposit_id: i64,
    pub period_start: chrono::NaiveDate,
    /// Words naming it, e.g. `the deposit of 2026-10-04 (12 payments, 1,204.50) into Checking`.
    pub label: String,
}

/// A record in a push batch.
#[derive(Debug, Clone)]
pub struct PushPlan {
    pub record: RecordRef,
    /// Words naming the record for history and problems, e.g. `customer "Ecker Designs" (C-1001)`.
    pub label: String,
    /// An add (created) or a modification (updated).
    pub is_add: bool,
    /// For invoices: the tax the field-service app expected, compared with QuickBooks'.
    pub expected_tax: Option<Decimal>,
    /// The fields FieldBridge owns, as this request sends them: QuickBooks' base once it
    /// accepts them (`store::edits`).
    pub owned: Option<crate::store::edits::Owned>,
    /// The request voids or deletes the record in QuickBooks instead of adding or changing it.
    pub removal: Option<Removal>,
}

/// How a record leaves QuickBooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// TxnVoid: an invoice void in the app.
    Void,
    /// TxnDel: a payment the platform reversed.
    Delete,
}

impl PushPlan {
    pub fn add(record: &RecordRef, label: String) -> Self {
        Self {
            record: record.clone(),
            label,
            is_add: true,
            expected_tax: None,
            owned: None,
            removal: None,
        }
    }

    pub fn modify(record: &RecordRef, label: String) -> Self {
        Self {
            is_add: false,
            ..Self::add(record, label)
        }
    }

    /// A void or delete of a record QuickBooks has.
    pub fn remove(record: &RecordRef, label: String, removal: Removal) -> Self {
        Self {
            removal: Some(removal),
            ..Self::modify(record, label)
        }
    }

    /// The same plan, with the owned fields its request sends.
    pub fn owning(mut self, owned: crate::store::edits::Owned) -> Self {
        self.owned = Some(owned);
        self
    }
}

/// A batch built and recorded in flight, waiting to be sent or answered.
#[derive(Debug, Clone)]
pub struct PreparedBatch {
    pub batch_id: i64,
    pub xml: String,
    pub requests: HashMap<String, Planned>,
}

impl PreparedBatch {
    /// Request IDs in the order they were written (r1, r2, ... / pull-0, pull-1, ...), the
    /// order answers are applied in.
    pub fn request_ids_in_order(&self) -> Vec<&String> {
        let mut ids: Vec<&String> = self.requests.keys().collect();
        ids.sort_by_key(|id| {
            (
                id.trim_start_matches(|c: char| !c.is_ascii_digit())
                    .parse::<u64>()
                    .unwrap_or(0),
                (*id).clone(),
            )
        });
        ids
    }
}

/// The requestID of the `n`th record of a push batch (from 1).
pub fn push_request_id(n: usize) -> String {
    format!("r{n}")
}

/// A fresh `newMessageSetID`: "FB" and 21 random hex digits (qbXML allows 23 characters).
pub fn new_message_set_id() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    format!("FB{}", &hex[..21])
}

/// A message set of `requests` that QuickBooks processes to the end even when one fails,
/// under a new `newMessageSetID`.
pub fn message_set(requests: Vec<Request>) -> MsgsRq {
    MsgsRq {
        on_error: OnError::ContinueOnError,
        new_message_set_id: Some(new_message_set_id()),
        old_message_set_id: None,
        requests,
    }
}

/// Builds a message set of queries (which have no pre-flight of their own), then records it
/// before it can be sent.
pub fn record_queries(
    tx: &Transaction<'_>,
    session_id: i64,
    requests: Vec<Request>,
    planned: HashMap<String, Planned>,
) -> Result<PreparedBatch, StoreError> {
    let msgs = message_set(requests);
    let xml = msgs.to_xml().map_err(|e| StoreError::Corrupt {
        place: "a qbXML request FieldBridge built",
        value: e.to_string(),
        expected: "a request that passed its pre-flight checks",
    })?;
    record(tx, session_id, &msgs, xml, planned, &[])
}

/// Records a built message set in the outbox, with the records it sends (record,
/// requestID) marked in flight.
///
/// INVARIANT: called in the transaction that built the batch, before its XML can leave the
/// process; so a crash at any instant leaves either nothing sent or a batch in flight that
/// the next session resolves by ExternalGUID.
pub fn record(
    tx: &Transaction<'_>,
    session_id: i64,
    msgs: &MsgsRq,
    xml: String,
    planned: HashMap<String, Planned>,
    sending: &[(RecordRef, String)],
) -> Result<PreparedBatch, StoreError> {
    let message_set_id = msgs.new_message_set_id.as_deref().unwrap_or_default();
    let batch_id = outbox::begin_batch(tx, session_id, message_set_id, &xml)?;
    if !sending.is_empty() {
        outbox::mark_in_flight(tx, batch_id, sending)?;
    }
    sessions::add_counts(tx, session_id, msgs.requests.len() as i64, 0, 0, 0)?;
    Ok(PreparedBatch {
        batch_id,
        xml,
        requests: planned,
    })
}
