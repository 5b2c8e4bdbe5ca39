//! The session as a state machine: which stage it is in, and what each stage owns. The
//! transitions happen in [`Run::prepare_next`], inside the round trip's transaction:
//!
//! ```text
//! Opened ──company checked──▶ [Verifying(rebind) ──same company──▶] Pulling(steps) ──pull done, lost batches resolved──▶
//!     Pushing(pairing index) ──nothing left──▶ Finished { pulled: true }
//!     (or, while sends are held: ──▶ Held ──▶ Finished { pulled: true }, nothing sent)
//! (any stage) ──refused, failed, closed early──▶ Finished { pulled }
//! ```
//!
//! The pairing index exists only while pushing, and is built the moment pushing starts, so
//! nothing can ask for it before it is there.

use super::deferred::Deferred;
use super::error::SyncError;
use super::hold;
use super::pull::Pull;
use super::push::{self, QbIndex};
use super::rebind::RebindCheck;
use super::recover;
use super::session::Session;
use crate::qbwc::SessionKey;
use crate::store::outbox;
use crate::store::{Store, StoreError};
use rusqlite::Transaction;

/// A rebind refused: the session ends failed with the refusal's words (kept, with History's
/// row of what was checked: the round trip's transaction commits).
fn refuse(s: &mut super::session::Session, refused: &super::error::CompanyError) {
    let text = refused.to_string();
    tracing::warn!(session = s.id, "refusing a rebind: {text}");
    s.last_error = Some(text.clone());
    s.failed_session = Some(text);
}

/// Where a session is.
pub enum Stage {
    /// Started by `authenticate`; the first `sendRequestXML` has not checked the company.
    Opened,
    /// A person said the open file is the same company as the bound one: FieldBridge's own
    /// records are looked for in it before anything else ([`RebindCheck`]).
    Verifying(Box<RebindCheck>),
    /// Reading QuickBooks: the pull's steps and where each stands.
    Pulling(Pull),
    /// Sending the app's records, with QuickBooks' customers and jobs indexed for pairing.
    Pushing(Box<QbIndex>),
    /// QuickBooks was read completely, but sends are held (`hold-sends`, [`hold`]): the
    /// session ends without pushing.
    Held,
    /// Ended. `pulled`: QuickBooks was read completely in this session.
    Finished { pulled: bool },
}

/// A session in progress: what every stage shares, and the stage.
pub struct Run {
    pub session: Session,
    pub stage: Stage,
    /// The page of QuickBooks' customers being written after its round trip.
    pub deferred: Deferred,
}

impl Run {
    pub fn new(key: SessionKey, id: i64) -> Self {
        Self {
            session: Session::new(key, id),
            stage: Stage::Opened,
            deferred: Deferred::new(push::file_queued),
        }
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.stage, Stage::Finished { .. })
    }

    /// Ends the stage machine; whether QuickBooks was read completely.
    pub fn finish(&mut self) -> bool {
        let pulled = match self.stage {
            Stage::Pushing(_) | Stage::Held => true,
            Stage::Finished { pulled } => pulled,
            Stage::Opened | Stage::Verifying(_) | Stage::Pulling(_) => false,
        };
        self.stage = Stage::Finished { pulled };
        pulled
    }

    /// Starts writing the page of customers this round trip read and left for after its
    /// commit, if any ([`Deferred`]).
    pub fn start_deferred(&mut self, store: &Store) -> Result<(), StoreError> {
        match &mut self.stage {
            Stage::Pulling(pull) => self.deferred.start(store, pull.take_deferred()),
            _ => Ok(()),
        }
    }

    /// Pull pages still to read (for the percent).
    fn pages_left(&self) -> u64 {
        match &self.stage {
            Stage::Pulling(pull) => pull.pages_left(),
            Stage::Opened
            | Stage::Verifying(_)
            | Stage::Pushing(_)
            | Stage::Held
            | Stage::Finished { .. } => 0,
        }
    }

    /// The honest percent for `receiveResponseXML` ([`Session::update_percent`]).
    pub fn update_percent(&mut self, finished_all: bool) {
        let pages_left = self.pages_left();
        self.session.update_percent(finished_all, pages_left);
    }

    /// Plans the next batch of the session, moving through the stages as each runs out of
    /// work, and records it in flight; keeps it for the next `sendRequestXML`.
    /// `Ok(false)`: nothing left to do.
    pub fn prepare_next(&mut self, tx: &Transaction<'_>) -> Result<bool, SyncError> {
        let s = &mut self.session;
        let batch = loop {
            match &mut self.stage {
                Stage::Opened => match s.rebind.take() {
                    Some(check) => match check.batch(tx, s)? {
                        Some(batch) => {
                            self.stage = Stage::Verifying(check);
                            break Some(batch);
                        }
                        // Nothing sent yet to look for: decided on the company name.
                        None => {
                            if let Some(refused) = check.decide(tx, s.id)? {
                                // The engine ends the session (Finished) with its words.
                                refuse(s, &refused);
                                break None;
                            }
                            self.stage = Stage::Pulling(Pull::plan(tx, s)?);
                        }
                    },
                    None => self.stage = Stage::Pulling(Pull::plan(tx, s)?),
                },
                Stage::Verifying(check) => {
                    if let Some(refused) = check.decide(tx, s.id)? {
                        // The engine ends the session (Finished) with its words.
                        refuse(s, &refused);
                        break None;
                    }
                    self.stage = Stage::Pulling(Pull::plan(tx, s)?);
                }
                Stage::Pulling(pull) => match pull.next_batch(tx, s)? {
                    Some(batch) => break Some(batch),
                    None => {
                        recover::resolve_lost_batches(tx, s)?;
                        hold::decide_first_run(tx)?;
                        self.stage = if hold::is_held(tx)? {
                            let waiting = outbox::pending_count(tx)?;
                            s.held = Some(hold::held_words(waiting));
                            Stage::Held
                        } else {
                            Stage::Pushing(Box::new(QbIndex::build(tx)?))
                        };
                    }
                },
                Stage::Pushing(index) => break push::next_batch(tx, s, index)?,
                Stage::Held | Stage::Finished { .. } => break None,
            }
        };
        // Work still known after this batch: the records waiting (imports that arrived
        // during the session included), less those left for a later session.
        let waiting = outbox::pending_count(tx)?;
        s.known_remaining = waiting.saturating_sub(s.skipped.len() as u64);
        let more = batch.is_some();
        s.prepared = batch;
        Ok(more)
    }
}
