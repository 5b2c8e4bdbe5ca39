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
/// qbxml/` (the repo checked out next to `shared/`), else the nearest ancestor that has
/// `shared/reference/...` (a git worktree sits one level deeper) of this crate as it was
/// built, of the package whose tests are running (`CARGO_MANIFEST_DIR` at run time) or of
/// the working folder. The last two matter when a shared build cache holds this crate as
/// built in another checkout: cargo does not rebuild it for a moved checkout, so the path
/// compiled in can name a folder that no longer exists.
pub fn schema_path() -> PathBuf {
    if let Some(p) = std::env::var_os("QBSIM_SCHEMA") {
        return PathBuf::from(p);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let conventional = manifest.join("../../..").join(SCHEMA_IN_SHARED);
    if conventional.exists() {
        return conventional;
    }
    let starts = [
        Some(manifest),
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
        std::env::current_dir().ok(),
    ];
    starts
        .into_iter()
        .flatten()
        .find_map(|start| {
            start
                .ancestors()
                .map(|a| a.join(SCHEMA_IN_SHARED))
                .find(|p| p.exists())
        })
        .unwrap_or(conventional)
}

/// The variable that makes a missing reference folder or `xmllint` a failure instead of a
/// skip. `scripts/test.sh` sets it for the Linux suites; the Windows release workflow and
/// the Wine lane (no `xmllint` there, no `../shared/reference` on the runner) leave it unset.
pub const REQUIRE_VAR: &str = "FIELDBRIDGE_REQUIRE_REFERENCE";

/// True when [`REQUIRE_VAR`] is set to anything but empty or `0`.
pub fn required() -> bool {
    switch_on(std::env::var(REQUIRE_VAR).ok().as_deref())
}

fn switch_on(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0")
}

/// What a test needs from outside the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// The reference folder (`shared/reference`: schemas, real captures).
    Files,
    /// The folder and a runnable `xmllint` (schema checks).
    Xmllint,
}

/// Why this machine lacks what `needs` names (None: it has it). Checked once per process.
pub fn missing(needs: Needs) -> Option<String> {
    static FILES: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    static TOOL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let files = FILES.get_or_init(|| {
        let schema = schema_path();
        (!schema.exists()).then(|| {
            format!(
                "the reference folder is not here (no {}; it sits beside the repository, never in it)",
                schema.display()
            )
        })
    });
    if files.is_some() || needs == Needs::Files {
        return files.clone();
    }
    TOOL.get_or_init(|| match Command::new("xmllint").arg("--version").output() {
        Ok(_) => None,
        Err(e) => Some(format!("xmllint cannot run here ({e})")),
    })
    .clone()
}

/// Whether a test should skip: Some(why) when something is missing and not required.
/// Panics when it is missing and [`REQUIRE_VAR`] requires it (a CI that lost the reference
/// folder must fail, not pass by skipping). Used through [`crate::skip_without_reference`].
pub fn skip_reason(needs: Needs) -> Option<String> {
    let why = missing(needs)?;
    if required() {
        panic!("{why}, and {REQUIRE_VAR} is set, so this test may not skip");
    }
    Some(format!("{why}; set {REQUIRE_VAR}=1 to make this a failure"))
}

/// Whether the driver checks requests against the schema by default: yes when it can (or
/// when [`REQUIRE_VAR`] requires it: the run then fails saying why); otherwise no, said once
/// on stderr.
pub fn check_by_default() -> bool {
    match skip_reason_quiet() {
        None => true,
        Some(why) => {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| eprintln!("qbsim: requests are not schema-checked: {why}"));
            false
        }
    }
}

fn skip_reason_quiet() -> Option<String> {
    if required() {
        return None;
    }
    missing(Needs::Xmllint)
}

/// Returns from the calling test (after saying why on stderr) when the reference folder, or
/// with `xmllint` also the tool, is missing and not required (`FIELDBRIDGE_REQUIRE_REFERENCE`).
///
/// ```ignore
/// #[test]
/// fn every_sample_parses() {
///     qbsim::skip_without_reference!();        // needs shared/reference
///     qbsim::skip_without_reference!(xmllint); // needs it and xmllint
/// }
/// ```
#[macro_export]
macro_rules! skip_without_reference {
    () => {
        $crate::skip_without_reference!(@ $crate::schema::Needs::Files)
    };
    (xmllint) => {
        $crate::skip_without_reference!(@ $crate::schema::Needs::Xmllint)
    };
    (@ $needs:expr) => {
        if let Some(why) = $crate::schema::skip_reason($needs) {
            eprintln!("skipped {}: {why}", module_path!());
            return;
        }
    };
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
        crate::skip_without_reference!(xmllint);
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

    #[test]
    fn the_requirement_variable_is_read_as_a_switch() {
        // The value, not the process environment (tests run in parallel threads sharing it).
        assert!(
            switch_on(Some("1")) && switch_on(Some("yes")),
            "a value requires it"
        );
        assert!(
            !switch_on(Some("")) && !switch_on(Some("0")),
            "empty or 0 lets tests skip"
        );
        assert!(!switch_on(None), "unset lets tests skip");
    }
}
