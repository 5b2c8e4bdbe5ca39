//! The one error every operation answers with, whichever edge asked: the window gets it as
//! `{ "code": ErrorCode, "message": "..." }` (the IPC contract's `IpcError`), the command
//! line gets `message` on stderr and an exit status from `code` (usage for
//! [`ErrorCode::InvalidInput`]). Everything below (store, import, password, endpoint) is
//! turned into it here, once.

use crate::store::StoreError;
use serde::Serialize;

/// What the window branches on (never on the message). Stable words: the IPC contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The record, session or file named does not exist (any more).
    NotFound,
    /// An argument was rejected (e.g. a name longer than QuickBooks allows, a bad setting).
    InvalidInput,
    /// The change clashes with the current state (e.g. a QuickBooks customer already linked).
    Conflict,
    /// The store was busy (a sync or another process is writing); trying again works.
    Busy,
    /// QuickBooks' lists have never been read: the Web Connector must run once first.
    #[serde(rename = "quickbooks_not_read")]
    QuickBooksNotRead,
    /// A file, folder or port could not be used.
    Io,
    /// An import file was rejected; the message says how many problems.
    ImportRejected,
    /// The field-service platform did not answer, or refused (the card's "Test connection").
    Unreachable,
    /// Anything else; the message still says what happened.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Busy => "busy",
            ErrorCode::QuickBooksNotRead => "quickbooks_not_read",
            ErrorCode::Io => "io",
            ErrorCode::ImportRejected => "import_rejected",
            ErrorCode::Unreachable => "unreachable",
            ErrorCode::Internal => "internal",
        }
    }
}

/// Tests (and logs) compare codes with their words.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What can go wrong in an operation, sorted by what the person can do about it.
#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    /// The record, session or file named does not exist (any more).
    #[error("{0}")]
    NotFound(String),
    /// An argument was rejected (too long, empty, not a date, an unknown setting...).
    #[error("{0}")]
    InvalidInput(String),
    /// The change clashes with the current state.
    #[error("{0}")]
    Conflict(String),
    /// QuickBooks' lists have never been read.
    #[error("{0}")]
    QuickBooksNotRead(String),
    /// A file, folder or port could not be used.
    #[error("{0}")]
    Io(String),
    /// An import file was rejected whole; `problems` lists what was found (at most the
    /// first few dozen), `count` how many there were.
    #[error("nothing was imported from {file}: {count} problem(s) found")]
    ImportRejected {
        file: String,
        count: usize,
        problems: Vec<String>,
        /// The same problems taken apart (the local API's `errors`).
        details: Vec<crate::import::Problem>,
    },
    /// The field-service platform did not answer or refused the call.
    #[error("{0}")]
    Unreachable(String),
    /// Something that should not happen (a worker thread lost, the runtime not starting).
    #[error("{0}")]
    Internal(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl OfficeError {
    /// The IPC contract's error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            OfficeError::NotFound(_) => ErrorCode::NotFound,
            OfficeError::InvalidInput(_) => ErrorCode::InvalidInput,
            OfficeError::Conflict(_) => ErrorCode::Conflict,
            OfficeError::QuickBooksNotRead(_) => ErrorCode::QuickBooksNotRead,
            OfficeError::Io(_) => ErrorCode::Io,
            OfficeError::ImportRejected { .. } => ErrorCode::ImportRejected,
            OfficeError::Unreachable(_) => ErrorCode::Unreachable,
            OfficeError::Internal(_) => ErrorCode::Internal,
            OfficeError::Store(e) => store_code(e),
        }
    }

    /// True when the person asked for something that cannot be (the CLI's exit status 2).
    pub fn is_usage(&self) -> bool {
        self.code() == ErrorCode::InvalidInput
    }

    /// The message as a sentence a person reads (messages from below may start in lower
    /// case: they were written to follow a colon in a log line).
    pub fn sentence(&self) -> String {
        let text = self.to_string();
        let mut chars = text.chars();
        match chars.next() {
            Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
            _ => text,
        }
    }
}

/// The IPC contract's code for a store error.
pub fn store_code(e: &StoreError) -> ErrorCode {
    match e {
        StoreError::Busy(_) | StoreError::InFlight { .. } => ErrorCode::Busy,
        StoreError::UnknownCustomer(_)
        | StoreError::NotFound { .. }
        | StoreError::UnknownQbListId(_) => ErrorCode::NotFound,
        StoreError::ListIdAlreadyPaired { .. }
        | StoreError::AlreadyInQuickBooks { .. }
        | StoreError::NotPaired(_)
        | StoreError::VendorPairing(_)
        | StoreError::BadTransition { .. } => ErrorCode::Conflict,
        StoreError::InvalidSetting { .. } => ErrorCode::InvalidInput,
        _ => ErrorCode::Internal,
    }
}

/// How the window receives an error (the IPC contract's `IpcError`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    pub code: ErrorCode,
    /// Plain English for the office manager: the record named, the next step given.
    pub message: String,
}

impl From<&OfficeError> for IpcError {
    fn from(e: &OfficeError) -> Self {
        IpcError {
            code: e.code(),
            message: e.sentence(),
        }
    }
}

impl Serialize for OfficeError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        IpcError::from(self).serialize(serializer)
    }
}

macro_rules! plain {
    ($($from:ty => $variant:ident),* $(,)?) => {$(
        impl From<$from> for OfficeError {
            fn from(e: $from) -> Self {
                OfficeError::$variant(e.to_string())
            }
        }
    )*};
}

plain! {
    crate::paths::DataDirError => Io,
    crate::qbwc::password::PasswordError => Io,
    crate::api::token::TokenError => Io,
    crate::qbwc::BindError => Io,
    crate::store::mappings::UnknownRole => InvalidInput,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_as_code_and_a_sentence() {
        let e = OfficeError::Store(StoreError::UnknownCustomer("C-9".into()));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "not_found", "{json}");
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .starts_with("There is no customer with id \"C-9\""),
            "a sentence starts with a capital: {json}"
        );
        let json = serde_json::to_value(OfficeError::Conflict("Taken.".into())).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "conflict", "message": "Taken."})
        );
    }

    #[test]
    fn every_code_serialises_as_its_word() {
        for code in [
            ErrorCode::NotFound,
            ErrorCode::InvalidInput,
            ErrorCode::Conflict,
            ErrorCode::Busy,
            ErrorCode::QuickBooksNotRead,
            ErrorCode::Io,
            ErrorCode::ImportRejected,
            ErrorCode::Unreachable,
            ErrorCode::Internal,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }

    #[test]
    fn only_invalid_input_is_a_usage_error() {
        assert!(OfficeError::InvalidInput("no".into()).is_usage());
        assert!(!OfficeError::NotFound("no".into()).is_usage());
        assert!(!OfficeError::Store(StoreError::Poisoned).is_usage());
    }
}
