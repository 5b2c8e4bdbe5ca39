//! The one error every command answers with: `{ code, message }` (the IPC contract's
//! `IpcError`). The window branches on `code` only and shows `message` to a person.

use crate::app::AppError;
use crate::office::{self, OfficeError};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// One of the contract's codes (`not_found`, `invalid_input`, `conflict`, `busy`,
    /// `quickbooks_not_read`, `io`, `import_rejected`, `internal`).
    pub code: &'static str,
    /// Plain English for the office manager.
    pub message: String,
}

impl IpcError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: sentence(message.into()),
        }
    }
}

/// Messages from below may start in lower case (they were written to follow a colon in a
/// log line); a person reads a sentence.
fn sentence(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

impl From<OfficeError> for IpcError {
    fn from(e: OfficeError) -> Self {
        if e.code() == "internal" {
            tracing::error!("a window command failed: {e}");
        }
        IpcError::new(e.code(), e.to_string())
    }
}

impl From<AppError> for IpcError {
    fn from(e: AppError) -> Self {
        let code = match &e {
            AppError::Store(s) => office::store_code(s),
            _ => match e.code() {
                "unknown_customer" | "unknown_qb_customer" | "unknown_session" => "not_found",
                "already_paired" => "conflict",
                "unknown_role" => "invalid_input",
                "import_rejected" => "import_rejected",
                "password" | "write" | "import" | "data_dir" => "io",
                _ => "internal",
            },
        };
        if code == "internal" {
            tracing::error!("a window command failed: {e}");
        }
        IpcError::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_as_code_and_a_sentence() {
        let e = IpcError::from(AppError::UnknownSession(9));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json["code"], "not_found",
            "the contract's code, not the CLI's"
        );
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .starts_with("There is no sync session 9"),
            "a sentence starts with a capital: {json}"
        );
        let e = IpcError::from(OfficeError::Conflict("Taken.".into()));
        assert_eq!((e.code, e.message.as_str()), ("conflict", "Taken."));
    }
}
