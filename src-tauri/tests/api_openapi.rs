//! The local API's OpenAPI document (`GET /api/v1/openapi.json`): generated from the Rust
//! types, committed as `docs/api/openapi.json`, kept current, and accepted by a real OpenAPI
//! validator (openapi-spec-validator, installed by scripts/setup.sh).
//!
//! After changing the API: `UPDATE_OPENAPI=1 cargo test -p fieldbridge --test api_openapi`.

use std::path::PathBuf;
use std::process::Command;

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/api/openapi.json")
}

fn generated() -> String {
    String::from_utf8(fieldbridge::api::openapi::document_bytes().to_vec()).unwrap()
}

#[test]
fn the_committed_document_is_the_generated_one() {
    let now = generated();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(committed(), &now).unwrap();
    }
    let on_disk = std::fs::read_to_string(committed()).unwrap_or_default();
    assert!(
        on_disk == now,
        "docs/api/openapi.json is stale; regenerate it with \
         UPDATE_OPENAPI=1 cargo test -p fieldbridge --test api_openapi"
    );
}

#[test]
fn it_describes_every_endpoint_of_the_contract_in_openapi_3_1() {
    let doc: serde_json::Value = serde_json::from_str(&generated()).unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "OpenAPI 3.1"
    );
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/status", "get"),
        ("/api/v1/records", "post"),
        ("/api/v1/records/{kind}", "get"),
        ("/api/v1/records/{kind}/{id}", "get"),
        ("/api/v1/quickbooks/customers", "get"),
        ("/api/v1/quickbooks/items", "get"),
        ("/api/v1/events", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} is described"
        );
    }
    let event = &doc["components"]["schemas"]["Event"]["properties"];
    for field in ["seq", "at", "type", "kind", "id", "data"] {
        assert!(event[field].is_object(), "an event's {field} is described");
    }
    assert!(
        paths["/api/v1/events"]["get"]["responses"]["401"].is_object(),
        "the refusals every request can get are described"
    );
}

#[test]
fn a_real_openapi_validator_accepts_it() {
    let home = std::env::var_os("HOME").expect("HOME");
    let validator = PathBuf::from(home).join(".cache/fieldbridge/venv/bin/openapi-spec-validator");
    assert!(
        validator.exists(),
        "{} is missing: run scripts/setup.sh (it installs openapi-spec-validator)",
        validator.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, generated()).unwrap();
    let out = Command::new(&validator).arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "openapi-spec-validator refused the document:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
