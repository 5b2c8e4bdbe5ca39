//! Test helpers other modules' tests reuse: validating XML against Intuit's qbXML 13.0
//! schema with `xmllint`, and reading the reference samples by path.

use std::io::Write;
use std::process::{Command, Stdio};

/// `shared/reference/` beside the repository (never copied into the repo): `../shared` from
/// the main checkout, `../../shared` from a worktree under `wt/`.
pub(crate) fn reference_path(relative: &str) -> String {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let candidates = [
        format!("{manifest}/../../shared/reference"),
        format!("{manifest}/../../../shared/reference"),
    ];
    let base = candidates
        .iter()
        .find(|c| std::path::Path::new(c).is_dir())
        .unwrap_or(&candidates[0]);
    format!("{base}/{relative}")
}

/// Reads a reference file (e.g. `samples/responses/CustomerAddRs.qbwc-qbxml.xml`).
pub(crate) fn reference(relative: &str) -> String {
    let path = reference_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reference file {path}: {e}"))
}

/// Runs `xmllint --noout --schema qbxmlops130.xsd -` on `xml`; returns xmllint's complaint
/// if the document is not valid. Where xmllint or the schema is missing (under Wine, on the
/// Windows release runner) and `FIELDBRIDGE_REQUIRE_REFERENCE` is not set, checks nothing
/// and says so (`scripts/test.sh` sets it, so the Linux suites always check).
pub(crate) fn schema_errors(xml: &str) -> Option<String> {
    if let Some(why) = qbsim::schema::skip_reason(qbsim::schema::Needs::Xmllint) {
        eprintln!("schema check skipped: {why}");
        return None;
    }
    let schema = reference_path("qbxml/qbxmlops130.xsd");
    let mut child = Command::new("xmllint")
        .args(["--noout", "--schema", &schema, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xmllint must be installed to validate qbXML");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(xml.as_bytes())
        .expect("write to xmllint");
    let out = child.wait_with_output().expect("xmllint runs");
    if out.status.success() {
        None
    } else {
        Some(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Panics with xmllint's message unless `xml` is valid qbXML 13.0.
pub(crate) fn assert_schema_valid(xml: &str) {
    if let Some(err) = schema_errors(xml) {
        panic!("QuickBooks would reject this document (schema order/limits):\n{err}\n--- document ---\n{xml}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_check_rejects_what_quickbooks_rejects() {
        qbsim::skip_without_reference!(xmllint);
        let valid = r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="1"><CustomerAdd><Name>A</Name><IsActive>true</IsActive></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>"#;
        assert_eq!(schema_errors(valid), None, "a correct request passes");
        let swapped = valid.replace(
            "<Name>A</Name><IsActive>true</IsActive>",
            "<IsActive>true</IsActive><Name>A</Name>",
        );
        assert!(
            schema_errors(&swapped).is_some(),
            "elements out of schema order must fail validation"
        );
        let too_long = valid.replace(
            "<Name>A</Name>",
            &format!("<Name>{}</Name>", "x".repeat(42)),
        );
        assert!(
            schema_errors(&too_long).is_some(),
            "a 42-character Name must fail validation"
        );
    }

    #[test]
    fn every_reference_request_sample_is_valid() {
        qbsim::skip_without_reference!();
        for f in [
            "CustomerAddRq.test-written.xml",
            "InvoiceAddRq.test-written.xml",
            "MiscSyncRequests.test-written.xml",
        ] {
            assert_schema_valid(&reference(&format!("samples/requests/{f}")));
        }
    }
}
