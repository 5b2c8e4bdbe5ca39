//! The `fieldbridge` command line, checked command by command against the contract in the
//! shared design's `cli.md`: arguments, exit statuses (0 done, 1 failed with one line on
//! stderr, 2 usage) and the JSON fields tests outside the project rely on.

mod common;
use common::*;
use serde_json::Value;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn version_names_the_product_version_and_the_schema_version() {
    let env = Env::new();
    let text = env.ok(&["--version"]);
    assert!(
        text.contains(env!("CARGO_PKG_VERSION")) && text.contains("schema"),
        "--version must print the version and the database schema version: {text}"
    );
}

#[test]
fn unknown_commands_and_bad_arguments_exit_2() {
    let env = Env::new();
    for args in [
        vec!["frobnicate"],
        vec!["import"],
        vec!["map", "service-item"],
        vec!["pair", "C-1"],
        vec!["pair", "C-1", "80000001-1", "--create"],
        vec!["history", "--session", "not-a-number"],
        vec!["--port", "99999", "status"],
    ] {
        let out = env.run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} is a usage error: {}",
            stderr(&out)
        );
    }
}

#[test]
fn password_is_one_stable_line_and_reset_replaces_it() {
    let env = Env::new();
    let first = env.ok(&["password"]);
    assert!(
        first.ends_with('\n') && first.lines().count() == 1,
        "one line: {first:?}"
    );
    let first = first.trim().to_owned();
    assert!(first.len() >= 20, "at least 20 characters: {first}");
    assert!(
        first.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "a readable alphabet a person can paste: {first}"
    );
    assert_eq!(
        env.ok(&["password"]).trim(),
        first,
        "the same password until reset"
    );
    let reset = env.ok(&["password", "--reset"]).trim().to_owned();
    assert_ne!(reset, first, "--reset makes a new password");
    assert_eq!(
        env.ok(&["password"]).trim(),
        reset,
        "and prints it from then on"
    );
}

#[test]
fn qwc_points_the_web_connector_at_this_endpoint_and_keeps_its_ids() {
    let env = Env::new();
    let qwc = env.ok(&["--port", "8765", "qwc"]);
    assert!(
        qwc.contains("<AppURL>http://localhost:8765/qbwc</AppURL>"),
        "{qwc}"
    );
    assert!(
        qwc.contains("<AppSupport>http://localhost:8765/support</AppSupport>"),
        "{qwc}"
    );
    assert!(qwc.contains("<QBType>QBFS</QBType>"), "{qwc}");
    let owner = between(&qwc, "<OwnerID>", "</OwnerID>");
    let file = between(&qwc, "<FileID>", "</FileID>");
    assert!(
        owner.starts_with('{') && owner.ends_with('}') && owner.len() == 38,
        "{owner}"
    );
    assert!(
        file.starts_with('{') && file.ends_with('}') && file.len() == 38,
        "{file}"
    );

    let out = env.data_dir().join("FieldBridge.qwc");
    env.ok(&["--port", "8765", "qwc", "-o", out.to_str().unwrap()]);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, qwc, "-o writes exactly what stdout would show");

    let default_port = env.ok(&["qwc"]);
    assert_eq!(
        between(&default_port, "<OwnerID>", "</OwnerID>"),
        owner,
        "OwnerID is generated once per data folder and stays the same"
    );
    assert_eq!(
        between(&default_port, "<FileID>", "</FileID>"),
        file,
        "so is FileID"
    );

    let other = Env::new().ok(&["qwc"]);
    assert_ne!(
        between(&other, "<FileID>", "</FileID>"),
        file,
        "another data folder, another FileID"
    );
}

#[test]
fn port_comes_from_the_environment_when_not_given() {
    let env = Env::new();
    let out = env
        .command(&["qwc"])
        .env("FIELDBRIDGE_PORT", "9123")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("http://localhost:9123/qbwc"));
}

#[test]
fn data_dir_comes_from_the_environment_when_not_given() {
    let env = Env::new();
    let out = std::process::Command::new(bin())
        .arg("password")
        .env("FIELDBRIDGE_DATA_DIR", env.data_dir())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        env.ok(&["password"]).trim(),
        "FIELDBRIDGE_DATA_DIR and --data-dir name the same folder"
    );
}

fn counts(status: &Value, kind: &str) -> (u64, u64, u64, u64) {
    let c = &status["records"][kind];
    (
        c["pending"].as_u64().unwrap(),
        c["synced"].as_u64().unwrap(),
        c["failed"].as_u64().unwrap(),
        c["needs_attention"].as_u64().unwrap(),
    )
}

#[test]
fn status_before_anything_happened() {
    let env = Env::new();
    let status = env.json(&["--port", "8799", "status", "--json"]);
    assert_eq!(status["endpoint"]["url"], "http://localhost:8799/qbwc");
    assert!(
        status["company_file"].is_null(),
        "no company file before the first sync"
    );
    assert!(
        status["last_contact"].is_null(),
        "the Web Connector never called"
    );
    for kind in [
        "customers",
        "projects",
        "service_tickets",
        "invoices",
        "payments",
    ] {
        assert_eq!(
            counts(&status, kind),
            (0, 0, 0, 0),
            "{kind} all zero in a new folder"
        );
    }
    let text = env.ok(&["status"]);
    assert!(
        text.contains("http://localhost:"),
        "the plain status names the endpoint: {text}"
    );
}

#[test]
fn import_of_the_sample_business_counts_every_record_as_pending() {
    let env = Env::new();
    let sample = repo("assets/sample-data/northwind-hvac.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&sample).unwrap()).unwrap();
    env.ok(&["import", sample.to_str().unwrap()]);
    let status = env.json(&["status", "--json"]);
    for kind in [
        "customers",
        "projects",
        "service_tickets",
        "invoices",
        "payments",
    ] {
        let n = doc[kind].as_array().unwrap().len() as u64;
        let (pending, synced, failed, attention) = counts(&status, kind);
        assert_eq!(
            pending + attention,
            n,
            "every imported {kind} is waiting for the first sync (pending or needing attention)"
        );
        assert_eq!(
            (synced, failed),
            (0, 0),
            "nothing synced before the Web Connector ran"
        );
    }

    let export = env.json(&["export", "--json"]);
    for kind in [
        "customers",
        "projects",
        "service_tickets",
        "invoices",
        "payments",
    ] {
        let records = export[kind].as_array().unwrap();
        assert_eq!(
            records.len(),
            doc[kind].as_array().unwrap().len(),
            "{kind} exported"
        );
        for r in records {
            assert!(r["id"].is_string(), "{kind} has its import id");
            assert!(r["qb_id"].is_null(), "no QuickBooks id before a sync");
            let state = r["state"].as_str().unwrap();
            assert!(
                state == "pending" || state == "needs_attention",
                "{kind}: {state}"
            );
        }
    }
    for inv in export["invoices"].as_array().unwrap() {
        assert!(
            inv["balance"].is_null(),
            "QuickBooks has not reported a balance yet"
        );
        assert_eq!(inv["paid"], false);
    }

    // Importing the same file again updates by id: nothing doubles.
    env.ok(&["import", sample.to_str().unwrap()]);
    let again = env.json(&["export", "--json"]);
    assert_eq!(
        again["customers"].as_array().unwrap().len(),
        doc["customers"].as_array().unwrap().len(),
        "re-import updates by id"
    );
}

#[test]
fn a_broken_import_lists_every_problem_exits_1_and_changes_nothing() {
    let env = Env::new();
    let good = env.write(
        "good.json",
        r#"{"customers":[{"id":"C-1","name":"Ecker Designs"}]}"#,
    );
    env.ok(&["import", good.to_str().unwrap()]);
    let before = env.ok(&["export", "--json"]);

    let bad = env.write(
        "bad.json",
        r#"{"customers":[{"id":"C-2","name":"New Customer"}],
            "invoices":[{"id":"I-1","customer_id":"C-404","number":"1","date":"2026-13-01",
                          "lines":[{"description":"Labor","quantity":"2","rate":"9x"}]}]}"#,
    );
    let out = env.run(&["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a bad file fails");
    let err = stderr(&out);
    assert!(
        err.contains("I-1") && err.contains("C-404"),
        "names the record and the reference: {err}"
    );
    assert!(err.contains("2026-13-01"), "names the bad date: {err}");
    assert!(err.contains("9x"), "names the bad rate: {err}");
    assert_eq!(
        env.ok(&["export", "--json"]),
        before,
        "nothing in the store changed, not even C-2"
    );
}

#[test]
fn map_takes_the_four_roles_only() {
    let env = Env::new();
    for role in [
        "service-item",
        "service-tax-item",
        "project-item",
        "project-tax-item",
    ] {
        env.ok(&["map", role, "Labor"]);
    }
    let out = env.run(&["map", "parts-item", "Labor"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown role is a usage error"
    );
    assert!(
        stderr(&out).contains("service-item"),
        "and the message lists the roles"
    );
}

#[test]
fn pair_and_unpair_check_what_they_are_given() {
    let env = Env::new();
    let good = env.write(
        "c.json",
        r#"{"customers":[{"id":"C-1","name":"Ecker Designs"}]}"#,
    );
    env.ok(&["import", good.to_str().unwrap()]);

    let out = env.run(&["pair", "C-404", "--create"]);
    assert_eq!(out.status.code(), Some(1), "an unknown app customer fails");
    assert!(stderr(&out).contains("C-404"), "{}", stderr(&out));

    let out = env.run(&["pair", "C-1", "80000001-1234567890"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a ListID QuickBooks never showed us fails"
    );
    assert!(
        stderr(&out).contains("80000001-1234567890"),
        "{}",
        stderr(&out)
    );

    env.ok(&["pair", "C-1", "--create"]);
    env.ok(&["unpair", "C-1"]);
}

#[test]
fn history_is_empty_before_the_first_session() {
    let env = Env::new();
    assert_eq!(env.json(&["history", "--json"]), Value::Array(vec![]));
    let out = env.run(&["history", "--session", "42"]);
    assert_eq!(out.status.code(), Some(1), "an unknown session fails");
    assert_eq!(stderr(&out).lines().count(), 1, "with one line on stderr");
}

#[test]
fn serve_refuses_a_port_in_use_with_a_sentence_that_says_what_to_do() {
    let env = Env::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = env.run(&["--port", &port, "serve"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "serve cannot start: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    let last = err.lines().last().unwrap_or_default();
    assert!(last.contains(&port), "names the port: {err}");
    assert!(last.contains("--port"), "says how to choose another: {err}");
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("{open} in {text}"))
        + open.len();
    let end = text[start..].find(close).unwrap() + start;
    &text[start..end]
}

#[cfg(unix)]
#[test]
fn serve_stops_cleanly_on_sigint_and_sigterm() {
    for signal in ["-INT", "-TERM"] {
        let env = Env::new();
        let port = free_port();
        let mut child = env
            .command(&["--port", &port.to_string(), "serve"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "serve listens");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let status = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        assert_eq!(exit.code(), Some(0), "serve exits 0 after kill {signal}");
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
            "and stops listening"
        );
    }
}

// ---- the window's operations on the command line (cli.md "Commands added...")

/// The settings the command line names today, with their values on a new data folder.
const SETTINGS: [&str; 15] = [
    "schedule-minutes",
    "start-date",
    "tickets-as-estimates",
    "send-customer-edits",
    "hold-sends",
    "hold-new-company-files",
    "watch-folder",
    "port",
    "start-at-login",
    "new-customers",
    "mode",
    "summary-period",
    "summary-customer",
    "deposit-account",
    "deposit-period",
];

#[test]
fn settings_lists_every_setting_and_json_is_one_object() {
    let env = Env::new();
    let json = env.json(&["settings", "--json"]);
    let object = json.as_object().expect("one object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = SETTINGS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "every setting, named as cli.md names them");
    assert_eq!(json["schedule-minutes"], 15, "{json}");
    assert_eq!(
        json["mode"], "full",
        "an invoice per invoice unless asked: {json}"
    );
    assert_eq!(
        json["deposit-account"],
        Value::Null,
        "no deposits made: {json}"
    );
    assert_eq!(json["summary-period"], "day", "{json}");
    assert_eq!(json["start-date"], Value::Null, "no start date: {json}");
    assert_eq!(
        json["watch-folder"],
        Value::Null,
        "no watched folder: {json}"
    );
    assert!(json["tickets-as-estimates"].is_boolean(), "{json}");
    assert!(json["send-customer-edits"].is_boolean(), "{json}");
    assert_eq!(json["new-customers"], "create", "{json}");
    assert_eq!(json["hold-sends"], false, "{json}");
    assert_eq!(
        json["hold-new-company-files"], true,
        "a new data folder holds its first run on a company file with records: {json}"
    );

    let text = env.ok(&["settings"]);
    for key in SETTINGS {
        assert!(
            text.lines().any(|l| l.starts_with(key)),
            "one line for {key}: {text}"
        );
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with("start-date") && l.contains("none")),
        "an unset date reads none: {text}"
    );
}

#[test]
fn settings_set_changes_one_setting_as_the_window_would() {
    let env = Env::new();
    for (key, value, json) in [
        ("schedule-minutes", "30", Value::from(30)),
        ("start-date", "2026-01-01", Value::from("2026-01-01")),
        ("tickets-as-estimates", "false", Value::from(false)),
        ("send-customer-edits", "true", Value::from(true)),
        ("new-customers", "ask", Value::from("ask")),
    ] {
        let out = env.ok(&["settings", "set", key, value]);
        assert!(out.is_empty(), "a change prints nothing: {out:?}");
        assert_eq!(env.json(&["settings", "--json"])[key], json, "{key}");
    }
    assert!(
        env.ok(&["qwc"])
            .contains("<RunEveryNMinutes>30</RunEveryNMinutes>"),
        "the schedule is the .qwc's"
    );
    env.ok(&["settings", "set", "start-date", "none"]);
    assert_eq!(env.json(&["settings", "--json"])["start-date"], Value::Null);
}

#[test]
fn settings_set_refuses_unknown_keys_and_bad_values_with_exit_2_naming_the_allowed() {
    let env = Env::new();
    let before = env.json(&["settings", "--json"]);
    for (args, must_name) in [
        (
            vec!["settings", "set", "colour", "blue"],
            "schedule-minutes",
        ),
        (
            vec!["settings", "set", "schedule-minutes", "often"],
            "1 to 1440",
        ),
        (
            vec!["settings", "set", "schedule-minutes", "0"],
            "1 to 1440",
        ),
        (
            vec!["settings", "set", "start-date", "2026-13-01"],
            "YYYY-MM-DD",
        ),
        (
            vec!["settings", "set", "tickets-as-estimates", "yes"],
            "true or false",
        ),
        (vec!["settings", "set", "new-customers", "maybe"], "ask"),
    ] {
        let out = env.run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(must_name), "{args:?} names {must_name}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
    assert_eq!(env.run(&["settings", "set", "port"]).status.code(), Some(2));
    assert_eq!(env.json(&["settings", "--json"]), before, "nothing changed");
}

/// The test's data folder's database, opened as another process would.
fn store(env: &Env) -> fieldbridge::store::Store {
    let db = fieldbridge::paths::DataDir::resolve(Some(env.data_dir()))
        .unwrap()
        .database();
    fieldbridge::store::Store::open(&db).unwrap()
}

/// A data folder with the sample business imported.
fn sample_business() -> Env {
    let env = Env::new();
    let sample = repo("assets/sample-data/northwind-hvac.json");
    env.ok(&["import", sample.to_str().unwrap()]);
    env
}

/// Marks a record as waiting for a person, as a sync's pre-flight would.
fn park(env: &Env, kind: fieldbridge::store::RecordKind, id: &str) {
    use fieldbridge::store::{outbox, RecordRef};
    store(env)
        .write(|tx| {
            outbox::mark_needs_attention(
                tx,
                &RecordRef::new(kind, id),
                &outbox::Problem {
                    code: Some(fieldbridge::store::codes::ProblemCode::MissingItem),
                    message: None,
                    text: format!("{id} waits for a test"),
                    advice: None,
                },
            )
        })
        .unwrap();
}

#[test]
fn retry_puts_a_waiting_record_back_to_pending() {
    let env = sample_business();
    let before = counts(&env.json(&["status", "--json"]), "invoices");
    park(&env, fieldbridge::store::RecordKind::Invoice, "I-1");
    let parked = counts(&env.json(&["status", "--json"]), "invoices");
    assert_eq!(parked.3, before.3 + 1, "I-1 needs attention");

    assert_eq!(env.ok(&["retry", "invoice", "I-1"]), "");
    assert_eq!(
        counts(&env.json(&["status", "--json"]), "invoices"),
        before,
        "I-1 is pending again"
    );
    let out = env.run(&["retry", "invoice", "I-1"]);
    assert_eq!(out.status.code(), Some(1), "no longer waiting");
    assert!(stderr(&out).contains("not waiting"), "{}", stderr(&out));
}

#[test]
fn skip_refuses_a_record_quickbooks_lacks_and_kinds_are_checked() {
    let env = sample_business();
    park(&env, fieldbridge::store::RecordKind::Customer, "C-1001");
    let out = env.run(&["skip", "customer", "C-1001"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not in QuickBooks yet"),
        "says why: {}",
        stderr(&out)
    );
    for args in [
        vec!["skip", "invoices", "I-1"],
        vec!["retry", "ticket", "T-1"],
        vec!["retry", "invoice"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = env.run(&["skip", "invoices", "I-1"]);
    assert!(
        stderr(&out).contains("customer, project, service-ticket, invoice, payment"),
        "names the kinds: {}",
        stderr(&out)
    );
    let out = env.run(&["skip", "service-ticket", "T-404"]);
    assert_eq!(out.status.code(), Some(1), "not waiting: {}", stderr(&out));
}

#[test]
fn refresh_asks_the_next_run_to_read_quickbooks_in_full() {
    use fieldbridge::store::settings;
    let env = Env::new();
    assert_eq!(env.ok(&["refresh"]), "");
    let asked = store(&env)
        .read(|c| settings::get_raw(c, fieldbridge::sync::REFRESH_CUSTOMERS))
        .unwrap();
    assert!(asked.is_some(), "the next run re-reads QuickBooks' lists");
}
