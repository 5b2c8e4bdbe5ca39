//! `fieldbridge preview`: what the next Web Connector run would do, computed by the very
//! planning the run uses (`push::next_batch` with each kind's `prepare`), inside a write
//! transaction that is always rolled back. Each batch planned is taken as sent and answered
//! (its records marked synced with a stand-in id), so children whose parent would be added
//! in the same run are planned as the run would plan them. Nothing is kept; nothing is sent.

use super::push::{self, QbIndex};
use super::session::{Company, Session, LAST_COMPANY};
use crate::qbwc::SessionKey;
use crate::store::codes::ProblemCode;
use crate::store::outbox::{self, SyncState};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{sessions, settings, Store, StoreError};
use rusqlite::Transaction;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What the next run does with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PreviewAction"))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Added to QuickBooks.
    Add,
    /// A change sent to what QuickBooks has.
    Change,
    /// Linked to a record QuickBooks already has; nothing sent.
    Link,
    /// Not sent, for the reason given.
    Held,
}

/// Why a record is held back, as one word the window groups by (the reason says it in
/// full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum HeldBecause {
    /// Dated before the start date (`start-date`).
    StartDate,
    /// A person decides which QuickBooks customer it is (link, or create).
    PairingDecision,
    /// QuickBooks already has a customer of that name that FieldBridge did not link.
    NameInQuickBooks,
    /// An item mapping, item, payment method or deposit account QuickBooks lacks.
    MissingMapping,
    /// It belongs to a record that is itself held back.
    WaitingOnParent,
    /// A FieldBridge or QuickBooks setting (estimates off).
    Settings,
    /// A name or number longer than QuickBooks allows.
    TooLong,
    /// QuickBooks refused it at an earlier run.
    QuickBooksRefused,
    /// Its parent or QuickBooks' copy is not ready: a later run sends it.
    LaterRun,
    /// Anything else that stopped it.
    Other,
}

impl HeldBecause {
    /// The word for a record parked with this problem code.
    pub fn of(code: Option<&ProblemCode>) -> Self {
        use ProblemCode as P;
        match code {
            Some(P::BeforeStartDate) => HeldBecause::StartDate,
            Some(P::NameInUse) => HeldBecause::NameInQuickBooks,
            Some(c) if c.is_pairing() => HeldBecause::PairingDecision,
            Some(
                P::NeedsMapping(_) | P::MissingItem | P::MissingPaymentMethod | P::MissingAccount,
            ) => HeldBecause::MissingMapping,
            Some(P::WaitingOnParent) => HeldBecause::WaitingOnParent,
            Some(P::EstimatesOff | P::EstimatesOffInQuickBooks) => HeldBecause::Settings,
            Some(P::QuickBooksLimit | P::NameTooLong) => HeldBecause::TooLong,
            Some(P::QuickBooks(_) | P::Hresult(_)) => HeldBecause::QuickBooksRefused,
            _ => HeldBecause::Other,
        }
    }
}

/// One record in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewRecord {
    /// The kind, plural as the import format names it (`customers`, `service_tickets`...).
    pub kind: &'static str,
    pub id: String,
    pub action: Action,
    /// Why, in plain English.
    pub reason: String,
    /// For a held record: why, as one word (`start_date`, `pairing_decision`...).
    pub held_because: Option<HeldBecause>,
}

/// Counts of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub add: u64,
    pub change: u64,
    pub link: u64,
    pub held: u64,
}

/// The whole preview: counts per kind (every kind present) and the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    pub counts: BTreeMap<&'static str, Counts>,
    pub records: Vec<PreviewRecord>,
}

impl Preview {
    /// The contract's JSON: `{"customers": {"add", "change", "link", "held"}, ..., "records": [...]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for (kind, counts) in &self.counts {
            map.insert((*kind).to_owned(), serde_json::json!(counts));
        }
        map.insert("records".into(), serde_json::json!(self.records));
        serde_json::Value::Object(map)
    }
}

/// The window receives the contract's JSON too (`get_preview`).
impl Serialize for Preview {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// Why the transaction ends: always rolled back.
enum Undo {
    Store(StoreError),
    Done(Preview),
}

impl From<StoreError> for Undo {
    fn from(e: StoreError) -> Self {
        Undo::Store(e)
    }
}

/// The preview of the next run (the store is left exactly as it was).
pub fn preview(store: &Store) -> Result<Preview, StoreError> {
    match store.write(|tx| Err::<(), _>(Undo::Done(plan(tx)?))) {
        Err(Undo::Done(preview)) => Ok(preview),
        Err(Undo::Store(e)) => Err(e),
        Ok(()) => unreachable!("the preview's transaction always ends in Undo"),
    }
}

/// The company as the last run read it (sales tax, estimates); before any run, estimates on.
fn last_company(tx: &Transaction<'_>) -> Result<Company, StoreError> {
    Ok(settings::get_raw(tx, LAST_COMPANY)?
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Company {
            estimates: true,
            ..Company::default()
        }))
}

fn plan(tx: &Transaction<'_>) -> Result<Preview, StoreError> {
    // As the run does after reading QuickBooks: records that waited on its lists are
    // checked again.
    outbox::release_parked(tx, outbox::waits_on::QUICKBOOKS_LISTS)?;
    let mut before: Vec<(RecordRef, bool)> = outbox::next_pending_any(tx, usize::MAX >> 1)?
        .into_iter()
        .map(|e| (e.record, e.qb_id.is_some()))
        .collect();
    // Records an earlier run held back stay held (the run leaves them as they are): listed
    // with their reason, so the preview shows everything that is not sent and why.
    for state in [SyncState::NeedsAttention, SyncState::Failed] {
        before.extend(
            outbox::in_state(tx, state)?
                .into_iter()
                .map(|e| (e.record, e.qb_id.is_some())),
        );
    }
    let id = sessions::start(tx, None)?;
    let mut s = Session::new(SessionKey(0), id);
    s.company = last_company(tx)?;
    let index = QbIndex::build(tx)?;
    let mut sent: HashMap<RecordRef, Action> = HashMap::new();
    let mut stand_in = 0u64;
    while let Some(batch) = push::next_batch(tx, &mut s, &index)? {
        let mut answered = Vec::new();
        for planned in batch.requests.into_values() {
            if let super::batch::Planned::Push(plan) = planned {
                let action = if plan.is_add {
                    Action::Add
                } else {
                    Action::Change
                };
                stand_in += 1;
                answered.push((
                    plan.record.clone(),
                    format!("preview-{stand_in}"),
                    Some("0".to_owned()),
                ));
                sent.insert(plan.record, action);
            }
        }
        outbox::mark_synced_many(tx, &answered)?;
    }
    let mut out = Preview::default();
    for kind in RecordKind::ALL {
        out.counts.insert(kind.plural(), Counts::default());
    }
    for (record, had_id) in before {
        let (action, reason, held_because) = match sent.get(&record) {
            Some(Action::Add) => (
                Action::Add,
                "QuickBooks does not have it yet.".to_owned(),
                None,
            ),
            Some(_) => (
                Action::Change,
                "It changed in your field-service app.".to_owned(),
                None,
            ),
            None => match outbox::get(tx, &record)? {
                Some(e) if e.state == SyncState::NeedsAttention || e.state == SyncState::Failed => {
                    let because = HeldBecause::of(e.problem.as_ref().and_then(|p| p.code.as_ref()));
                    (
                        Action::Held,
                        e.problem.map(|p| p.text).unwrap_or_default(),
                        Some(because),
                    )
                }
                Some(e) if e.state == SyncState::Synced && !had_id => (
                    Action::Link,
                    "QuickBooks already has it: FieldBridge links to it and sends nothing."
                        .to_owned(),
                    None,
                ),
                // Already in QuickBooks and nothing to send (the settings keep it as it is).
                Some(e) if e.state == SyncState::Synced => continue,
                _ => (
                    Action::Held,
                    "It waits for a later run (its parent or QuickBooks' copy is not ready)."
                        .to_owned(),
                    Some(HeldBecause::LaterRun),
                ),
            },
        };
        let counts = out.counts.entry(record.kind.plural()).or_default();
        match action {
            Action::Add => counts.add += 1,
            Action::Change => counts.change += 1,
            Action::Link => counts.link += 1,
            Action::Held => counts.held += 1,
        }
        out.records.push(PreviewRecord {
            kind: record.kind.plural(),
            id: record.id,
            action,
            reason,
            held_because,
        });
    }
    Ok(out)
}
