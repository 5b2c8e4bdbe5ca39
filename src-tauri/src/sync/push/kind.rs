//! What every record kind's file shares with the dispatcher: what `prepare` sees
//! ([`Planning`]), why a record does not go out ([`Hold`]), the [`Kind`] each file
//! declares, and the names and ExternalGUIDs every request carries.

use super::context::Context;
use super::index::QbIndex;
use crate::qbxml::{self, Request};
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::outbox::{self, OutboxEntry, Problem};
use crate::store::records::RecordRef;
use crate::store::{qb_mirror, sessions, StoreError};
use crate::sync::batch::PushPlan;
use crate::sync::session::{Phase, Session};
use rusqlite::Transaction;

/// What a kind's `prepare` sees: the session, this pass's settings and lookups, and
/// QuickBooks' customers indexed for pairing (owned by the pushing stage).
pub struct Planning<'a> {
    pub s: &'a Session,
    pub ctx: &'a Context,
    pub index: &'a QbIndex,
}

/// Why a record does not go out in this batch.
pub enum Hold {
    /// A person must act: the record is parked with this problem.
    Park(Problem),
    /// Not now (its parent is still on its way, its row is gone): left for a later session.
    Wait,
    /// Its parent needs a person: the record (named `label`) is parked with the parent's
    /// reason, under both names.
    ParentBlocked(Box<ParentBlocked>),
    /// Settled without a request (linked to what QuickBooks has, nothing to send).
    Settled,
    /// The store failed: the round trip's transaction is abandoned.
    Store(StoreError),
}

/// A child held up by its parent, and why.
pub struct ParentBlocked {
    /// The child's words.
    pub label: String,
    pub parent: RecordRef,
    /// The parent's problem.
    pub problem: Problem,
}

impl From<StoreError> for Hold {
    fn from(e: StoreError) -> Self {
        Hold::Store(e)
    }
}

/// What a kind makes of one pending record: the request to send (its requestID is given
/// when it joins a batch) and what applying the answer needs; or why not.
pub type Prepared = Result<(Request, PushPlan), Hold>;

/// One record kind as pushing sees it.
pub struct Kind {
    /// What the Sync screen says while this kind is sent.
    pub phase: Phase,
    /// Words naming a record of this kind (by id), e.g. `customer "Ecker Designs" (C-1001)`.
    pub label: fn(&Transaction<'_>, &str) -> Result<Option<String>, StoreError>,
    /// What one pending record becomes.
    pub prepare: fn(&Transaction<'_>, &Planning<'_>, &OutboxEntry) -> Prepared,
}

/// Notes in History that a record was linked to what QuickBooks already has.
pub fn note_linked(
    tx: &Transaction<'_>,
    session_id: i64,
    record: &RecordRef,
    text: &str,
) -> Result<(), StoreError> {
    sessions::add_history(
        tx,
        Some(session_id),
        &sessions::NewHistory {
            record: Some(record),
            action: HistoryAction::Pair,
            outcome: HistoryOutcome::Linked,
            qb_code: None,
            qb_message: None,
            text: Some(text),
        },
    )
}

/// The EditSequence to modify a customer or job QuickBooks has (`list_id`) with; settled
/// without sending when the settings keep QuickBooks as it is and the change is not an
/// archiving (inactive in the app, active in QuickBooks).
pub fn existing_customer(
    tx: &Transaction<'_>,
    p: &Planning<'_>,
    entry: &OutboxEntry,
    list_id: &str,
    active: bool,
) -> Result<String, Hold> {
    let mirror = qb_mirror::customer(tx, list_id)?;
    let archive = !active && mirror.as_ref().is_none_or(|m| m.is_active);
    if !archive && !p.ctx.update_customers {
        outbox::settle_without_sending(tx, &entry.record)?;
        return Err(Hold::Settled);
    }
    match entry
        .edit_sequence
        .clone()
        .or(mirror.map(|m| m.edit_sequence))
    {
        Some(edit_sequence) => Ok(edit_sequence),
        None => Err(Hold::Wait),
    }
}

/// The name or number sent to QuickBooks: the one a person chose on the Sync page for a
/// record whose own value breaks a QuickBooks limit, else the record's own.
pub fn qb_name(ctx: &Context, record: &RecordRef, field: &str, own: &str) -> String {
    ctx.overrides
        .get(&(record.clone(), field.to_owned()))
        .cloned()
        .unwrap_or_else(|| own.to_owned())
}

pub fn guid(text: &str) -> Option<uuid::Uuid> {
    qbxml::parse_guid(text)
}

/// A dated record (invoice, service ticket, payment) dated before the start date is held
/// back, "before the start date" (released when the date moves, `waits_on::START_DATE`).
pub fn before_start(ctx: &Context, label: &str, date: chrono::NaiveDate) -> Result<(), Hold> {
    match ctx.start_date {
        Some(start) if date < start => Err(Hold::Park(crate::sync::problems::ours(
            crate::sync::problems::code::BEFORE_START_DATE,
            format!(
                "{} is dated {date}, before the start date ({start}), so FieldBridge leaves it out.",
                crate::sync::status::capitalise(label)
            ),
            "Nothing to do if QuickBooks already has it. To send it, move the start date in Settings.",
        ))),
        _ => Ok(()),
    }
}
