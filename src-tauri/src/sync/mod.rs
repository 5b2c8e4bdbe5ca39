//! The sync engine: the [`QbwcHandler`] behind the Web Connector endpoint. It plans each
//! batch, builds it with [`crate::qbxml`], records it in flight, and applies QuickBooks'
//! answers to the [`crate::store`]: one transaction per round trip, holding the answer, its
//! consequences and the next batch.
//!
//! # One Web Connector session
//!
//! 1. `authenticate` → [`Engine`]'s `open_session` ([`engine`]): a session row, or `none`
//!    when FieldBridge has nothing to send and QuickBooks was checked within this minute
//!    ([`session::has_work`]).
//! 2. First `sendRequestXML`: read the company, its qbXML versions and preferences from the
//!    `strHCPResponse`; bind this data folder to that company file at the first sync, refuse
//!    any other file ([`company`]).
//! 3. **Pull** ([`pull`]): customers and jobs, items, accounts, payment methods, sales tax
//!    codes, our invoices' balances, payments, deletions; incremental by modified date with an
//!    overlap window, several queries per message set, iterators with large pages. What people
//!    did in QuickBooks to the records FieldBridge follows (invoices created or changed there,
//!    voids, linked customers made inactive, renamed or deleted) is read by `inbound`.
//! 4. **Resolve** ([`recover`]): a batch sent in an earlier session whose answer never came is
//!    settled before anything new goes out: each record in it is looked up by its
//!    ExternalGUID in what the pull just read; found → synced, not found → pending again.
//! 5. **Push** ([`push`]): parents first (customers, projects as jobs, tickets as estimates,
//!    invoices, payments), one kind per message set, one file per kind, pre-flight checks
//!    before anything is sent. In summary mode (`mode summary`) invoices and payments go as
//!    one JournalEntryAdd per period each (`push::journal`); with a deposit account, the
//!    money in Undeposited Funds then goes to the bank, one DepositAdd per period
//!    (`push::deposit`). Both are found again by ExternalGUID after a lost answer.
//! 6. Percent: honest and non-decreasing; 100 only when nothing known is left to do,
//!    including records imported while the session ran.
//!
//! The stages (opened, pulling, pushing, finished) and what each owns are in [`stage`].
//!
//! # Following one `receiveResponseXML` from the endpoint to the store
//!
//! 1. `qbwc/` reads the SOAP call and calls [`engine`]'s `receive_response_xml` with the
//!    session's key and QuickBooks' `response` (or its HRESULT).
//! 2. The engine takes the batch it sent ([`batch::PreparedBatch`]: the batch id and what
//!    each requestID was for, [`batch::Planned`]) and reads the answer with
//!    [`apply::read_answer`] (typed [`crate::qbxml::MsgsRs`]; unreadable → [`SyncError`],
//!    nothing applied).
//! 3. In one store transaction, [`apply::answered_batch`] walks the requestIDs in the order
//!    they were written: a pull page goes to [`pull::Pull::apply_page`] (rows converted by
//!    [`rows`]); a record sent goes to [`apply`]'s push applier, which asks [`status`] what
//!    QuickBooks' status code means and marks the record synced, failed, needing attention
//!    or retried, writing History rows; what is alike for many records is written in one
//!    statement each. The batch is closed in the outbox.
//! 4. Still in that transaction, [`stage::Run::prepare_next`] plans the next batch (moving
//!    from pulling to resolving to pushing as each runs out of work), and
//!    [`batch::record`] records it in flight. The transaction commits.
//! 5. The engine returns the percent; the next `sendRequestXML` hands over the batch
//!    already prepared. A [`SyncError`] anywhere ends the session with its words.
//!
//! # Invariants
//!
//! - INVARIANT: a batch is recorded in flight (with every record in it) in the same
//!   transaction that builds it, before its XML leaves the process. So a crash at any instant
//!   leaves either nothing sent, or a batch the next session resolves by ExternalGUID.
//! - INVARIANT: every add carries the record's stable ExternalGUID; every batch carries a new
//!   `newMessageSetID`.
//! - INVARIANT: an answer and all its consequences (sync state, mirror rows, history, session
//!   counters) commit in one transaction, together with the next batch recorded in flight.
//!   One exception, safe by construction: a page of QuickBooks' customers that is not its
//!   step's last is written to the mirror just after that transaction, while QuickBooks
//!   reads the next page, and before the next answer is applied ([`deferred`]); the step's
//!   cursor only moves with its last page, so a stop in between loses nothing.
//!
//! # Dependencies (one way)
//!
//! `engine` → `stage` → {`pull`, `push`, `recover`} → {`batch`, `rows`, `problems`,
//! `session`, `status`}; `apply` sits beside `stage` and uses `pull` for pages. Nothing
//! below imports what is above it.

mod apply;
mod batch;
mod company;
mod deferred;
mod engine;
mod error;
pub mod hold;
mod inbound;
pub mod preview;
mod problems;
mod pull;
mod push;
mod rebind;
mod recover;
mod returns;
mod rows;
mod session;
mod stage;
pub mod status;

/// The settings key by which a person says the next company file QuickBooks opens is this
/// data folder's company file (`fieldbridge rebind`).
pub use company::REBIND;
/// The settings keys of a refused company file (the Sync page's notice): the file
/// QuickBooks had open, and what the last rebind check found.
pub use company::{REFUSED_CHECK, REFUSED_FILE};
pub use engine::Engine;
pub use error::{CompanyError, SyncError};
/// What the next run checks for `fieldbridge rebind`, in words.
pub use rebind::plan_words as rebind_plan_words;
/// The settings key that asks the next session to read QuickBooks' whole customer list again
/// (the window's "Refresh from QuickBooks").
pub use session::REFRESH_CUSTOMERS;

#[cfg(doc)]
use crate::qbwc::QbwcHandler;

/// How many records one push message set carries. QuickBooks processes a message set in
/// one go; 100 keeps each answer well under a megabyte while a 10,000-invoice first sync
/// stays at about a hundred round trips (see README "Benchmarks").
pub const PUSH_BATCH_SIZE: usize = 100;

/// `MaxReturned` of list and transaction queries: one page of a pull.
pub const PULL_PAGE_SIZE: u32 = 1000;

/// A run answers `none` only when FieldBridge has nothing to send and QuickBooks was read
/// this recently (within the current minute); every other run reads QuickBooks' changes,
/// so a payment entered there shows at the very next run, whatever the schedule (issue 11:
/// ten minutes here made a 5-minute schedule read QuickBooks only every other run).
pub const QUIET_INTERVAL_SECONDS: i64 = 60;
