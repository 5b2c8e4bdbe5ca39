//! Validation of qbXML documents against Intuit's qbXML 13.0 schema with `xmllint`.
//!
//! Owns: locating `qbxmlops130.xsd` in the shared reference folder (never copied into the
//! repo) and running `xmllint --noout --schema XSD -` on a document. Does not own: what a
//! caller does with a failure (the driver fails the run; tests assert).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Why a document did not validate, or could not be checked.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("expected a qbXML 13.0 schema-valid document, xmllint says: {0}")]
    Invalid(String),
    #[error("expected to run xmllint, could not: {0}")]
    Tool(String),
}

/// Where the schema sits below the shared folder.
const SCHEMA_IN_SHARED: &str = "shared/reference/qbxml/qbxmlops130.xsd";

/// `qbxmlops130.xsd`: `$QBSIM_SCHEMA` if set; else `tests/qbsim/../../../shared/reference/
/// qbxml/` (the repo checked out next to `shared/`), else the nearest ancestor of this crate
/// that has `shared/reference/...` (a git worktree sits one level deeper).
pub fn schema_path() -> PathBuf {
    if let Some(p) = std::env::var_os("QBSIM_SCHEMA") {
        return PathBuf::from(p);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let conventional = manifest.join("../../..").join(SCHEMA_IN_SHARED);
    if conventional.exists() {
        return conventional;
    }
    manifest
        .ancestors()
        .map(|a| a.join(SCHEMA_IN_SHARED))
        .find(|p| p.exists())
        .unwrap_or(conventional)
}

/// Validates a document (request or response: the schema's root accepts both).
pub fn validate(document: &str) -> Result<(), SchemaError> {
    validate_with(&schema_path(), document)
}

/// Validates against a given schema file.
pub fn validate_with(schema: &std::path::Path, document: &str) -> Result<(), SchemaError> {
    let mut child = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(schema)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| SchemaError::Tool(e.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(document.as_bytes())
            .map_err(|e| SchemaError::Tool(e.to_string()))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| SchemaError::Tool(e.to_string()))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.ends_with("fails to validate"))
        .collect();
    if !schema.exists() || stderr.contains("failed to compile") {
        return Err(SchemaError::Tool(format!(
            "could not load the schema at {}: {}",
            schema.display(),
            message.join(" ")
        )));
    }
    Err(SchemaError::Invalid(message.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_valid_request_and_names_the_fault_in_an_invalid_one() {
        let ok = r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"><ActiveStatus>All</ActiveStatus></CustomerQueryRq></QBXMLMsgsRq></QBXML>"#;
        assert_eq!(validate(ok), Ok(()), "a schema-valid request must pass");
        // ActiveStatus must come after MaxReturned: order is enforced.
        let bad = r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"><ActiveStatus>All</ActiveStatus><MaxReturned>5</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>"#;
        match validate(bad) {
            Err(SchemaError::Invalid(m)) => assert!(
                m.contains("MaxReturned"),
                "the message names the element: {m}"
            ),
            other => panic!("element order must be enforced, got {other:?}"),
        }
    }
}
