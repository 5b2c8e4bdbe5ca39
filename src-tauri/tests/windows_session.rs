//! The cross-built `fieldbridge.exe` under Wine, seen from outside as the real Web Connector
//! sees it: this test runs on Linux, where qbsim's driver checks every request against the
//! qbXML 13.0 schema with xmllint (not available inside Wine), and starts `fieldbridge.exe`
//! through Wine (`FIELDBRIDGE_TEST_EXE`, `FIELDBRIDGE_TEST_LAUNCHER`).
//!
//! Run by `scripts/test-windows.sh` (`--include-ignored`). The Windows-built suites (sync_e2e,
//! sync_faults, the CLI contract, the unit tests) run inside Wine in the same lane.

mod support;
use qbsim::driver::RunOutcome;
use std::io::Read;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::*;

const WHY: &str = "runs fieldbridge.exe under Wine: scripts/test-windows.sh";

/// The Wine prefix the lane runs in (its C: drive holds %LOCALAPPDATA%).
fn wine_prefix() -> std::path::PathBuf {
    assert!(
        std::env::var_os("FIELDBRIDGE_TEST_EXE").is_some(),
        "FIELDBRIDGE_TEST_EXE must name fieldbridge.exe: {WHY}"
    );
    std::env::var_os("WINEPREFIX")
        .map(Into::into)
        .expect("WINEPREFIX is set by scripts/test-windows.sh")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs fieldbridge.exe under Wine: scripts/test-windows.sh"]
async fn a_first_sync_with_a_lost_answer_and_a_restart_leaves_the_books_exact() {
    wine_prefix();
    let doc = business(6);
    let mut fb = Fb::new();
    fb.import(&doc);
    fb.map_fixture_items();
    fb.start();
    let company = company(14);
    let shared = Arc::new(Mutex::new(fb));
    // Round trip 4: fieldbridge.exe killed while QuickBooks works on the batch, then started
    // again on the same data folder.
    let hook = kill_and_restart(&shared);
    let mut qbwc = shared
        .lock()
        .unwrap()
        .driver(&company)
        .with_restart_hook(vec![4], hook);
    assert!(
        qbwc.config_mut().validate_requests,
        "on Linux every request fieldbridge.exe sends is checked against the schema"
    );
    // Round trip 2: QuickBooks applies the batch but the answer never reaches FieldBridge.
    qbwc.config_mut().faults.lose_response_at = vec![2];
    let mut runs = 0;
    loop {
        runs += 1;
        let report = qbwc.run().await;
        if let RunOutcome::SchemaInvalid(why) = &report.outcome {
            panic!("fieldbridge.exe sent a request that is not valid qbXML 13.0: {why}");
        }
        let fb = shared.lock().unwrap();
        let export = fb.json(&["export", "--json"]);
        if states(&export).iter().all(|(_, _, s)| s == "synced") {
            break;
        }
        assert!(runs < 6, "still not synced after {runs} runs: {export}");
    }
    assert!(runs >= 2, "the lost answer and the restart each end a run");
    let fb = shared.lock().unwrap();
    assert_books_match(&fb, &company, &doc);
    let c = company.lock().unwrap();
    assert!(
        c.history().iter().all(|r| r.status_code != 3100),
        "never a blind second add of the same customer"
    );
}

#[test]
#[ignore = "runs fieldbridge.exe under Wine: scripts/test-windows.sh"]
fn ctrl_c_stops_serve_which_exits_0_after_saying_so() {
    wine_prefix();
    let fb = Fb::new();
    let mut child = fieldbridge()
        .arg("--data-dir")
        .arg(fb.dir.path())
        .arg("--port")
        .arg(fb.port.to_string())
        .arg("serve")
        .env("FIELDBRIDGE_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", fb.port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not start listening");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Wine turns SIGINT into the console's CTRL_C_EVENT for the Windows program.
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut log)
        .expect("stderr");
    assert_eq!(status.code(), Some(0), "Ctrl-C is a clean stop: {log}");
    assert!(
        log.contains("stopping (Ctrl-C)") && log.contains("stopped"),
        "serve says why it stops and that it stopped: {log}"
    );
}

#[test]
#[ignore = "runs fieldbridge.exe under Wine: scripts/test-windows.sh"]
fn without_data_dir_everything_goes_under_localappdata() {
    let prefix = wine_prefix();
    let work = tempfile::tempdir().expect("temporary folder");
    let out = fieldbridge()
        .arg("password")
        .current_dir(work.path())
        .env_remove("FIELDBRIDGE_DATA_DIR")
        .stdin(Stdio::null())
        .output()
        .expect("fieldbridge.exe runs");
    assert!(
        out.status.success(),
        "password: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let password = String::from_utf8(out.stdout).expect("UTF-8");
    let users = prefix.join("drive_c/users");
    let found: Vec<_> = std::fs::read_dir(&users)
        .expect("the prefix has users")
        .filter_map(Result::ok)
        .map(|u| {
            u.path()
                .join("AppData/Local/app.fieldbridge.desktop/qbwc-password")
        })
        .filter(|p| p.exists())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "the password is in %LOCALAPPDATA%\\app.fieldbridge.desktop: {found:?}"
    );
    let saved = std::fs::read_to_string(&found[0]).expect("read the password file");
    assert_eq!(
        saved.trim(),
        password.trim(),
        "the file holds what was printed"
    );
    let database = found[0].with_file_name("fieldbridge.sqlite3");
    assert!(database.exists(), "the database sits beside it");
    assert_eq!(
        std::fs::read_dir(work.path()).expect("list").count(),
        0,
        "nothing is written in the working folder"
    );
}

#[test]
#[ignore = "runs fieldbridge.exe under Wine: scripts/test-windows.sh"]
fn the_doctor_sees_the_running_endpoint_and_the_missing_web_connector() {
    wine_prefix();
    let mut fb = Fb::new();
    fb.start();
    let out = fb.cli(&["doctor", "--json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("doctor --json prints JSON");
    let status = |name: &str| {
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("a {name} check in {report}"))["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    for name in ["localhost-ipv4", "localhost-ipv6", "port", "data-folder"] {
        assert_eq!(status(name), "ok", "{name}: {report}");
    }
    // A fresh Wine prefix has neither Intuit program: a fail, so the exit status is 1.
    assert_eq!(status("web-connector"), "fail", "{report}");
    assert_eq!(status("quickbooks"), "fail", "{report}");
    assert_eq!(out.status.code(), Some(1), "any fail exits 1");
    let web_connector = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "web-connector")
        .unwrap();
    assert!(
        web_connector["fix"]
            .as_str()
            .is_some_and(|f| f.contains("qwc")),
        "a fail says what to do: {web_connector}"
    );
}

/// Runs everywhere: in `cargo test` against this build's binary, and in the Windows lane
/// (`--include-ignored`) against fieldbridge.exe under Wine.
#[test]
fn a_second_serve_on_the_same_data_folder_is_refused_before_it_opens_the_database() {
    let mut fb = Fb::new();
    fb.start();
    let out = fb.cli(&["serve"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "refused: {stderr}");
    assert!(
        stderr.contains("already running on the data folder"),
        "says why (not a port clash found after migrating): {stderr}"
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", fb.port)).is_ok(),
        "the first one keeps serving"
    );
}
