//! Why a session cannot go on: one typed error for the whole engine, whose `Display` is the
//! sentence the Web Connector shows (getLastError, closeConnection) and History keeps. The
//! technical cause stays underneath (`source`) for the log.
//!
//! A record QuickBooks refuses is not an error here: it is an outcome the appliers store
//! (failed, needs attention, retried). Only what stops the whole session is a `SyncError`.

use crate::qbxml::{ParseError, VersionError};
use crate::store::StoreError;

/// What stops a session.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The database failed inside a round trip. Whatever was sent stays recorded in flight
    /// and the next session resolves it.
    #[error("FieldBridge could not save its work ({0}). Nothing is lost: the next Web Connector run picks up where this one stopped.")]
    Store(#[from] StoreError),
    /// QuickBooks' answer could not be read. Nothing was applied: the batch stays in flight
    /// and the next session settles it by ExternalGUID.
    #[error("FieldBridge could not read QuickBooks' answer. Nothing is lost: the next Web Connector run checks what QuickBooks saved and carries on.")]
    UnreadableAnswer(#[source] ParseError),
    /// QuickBooks refused the whole request (an HRESULT instead of a response).
    #[error("{what} {todo}")]
    Refused {
        hresult: String,
        /// What happened, in plain English.
        what: String,
        /// What to do next.
        todo: String,
    },
    /// The first call's company check failed.
    #[error(transparent)]
    Company(#[from] CompanyError),
}

/// Why the company QuickBooks has open cannot be synced with this data folder.
#[derive(Debug, thiserror::Error)]
pub enum CompanyError {
    #[error("FieldBridge could not read QuickBooks' description of the company file. Make sure QuickBooks is open with your company file, then run the Web Connector again.")]
    UnreadableHcp(#[source] ParseError),
    #[error("{0}")]
    Version(#[from] VersionError),
    #[error("This is the {country} edition of QuickBooks. FieldBridge works with the US edition of QuickBooks Desktop only.")]
    NotUs { country: String },
    #[error("QuickBooks did not say which company file is open. Open your company file in QuickBooks, then run the Web Connector again.")]
    NoFileName,
    #[error("FieldBridge could not open its database: {0}")]
    Database(#[source] StoreError),
    #[error("QuickBooks has the company file \"{open}\" open, but FieldBridge syncs with \"{bound}\". Nothing was changed. Open \"{bound}\" in QuickBooks and run the Web Connector again. If it is the same company file, moved or opened under another path, run `fieldbridge rebind` (or choose \"This is the same company file\") and run the Web Connector again.")]
    OtherFile { open: String, bound: String },
    #[error("QuickBooks has the company file \"{open}\" open and you said it is the same company file as \"{bound}\", but it is not: {checked} Nothing was changed. Open the right company file in QuickBooks and run the Web Connector again.")]
    NotSameCompany {
        open: String,
        bound: String,
        /// What was checked and found, in words.
        checked: String,
    },
}
