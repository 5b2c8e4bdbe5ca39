//! What an installed FieldBridge must do, checked on Linux: upgrades keep the data folder's
//! records and settings, every file goes to the per-user data folder, and the `.deb` that
//! `installer/build-deb.sh` makes installs a working `fieldbridge`.
//!
//! The first two run with every `cargo test` against the binary cargo built. The package
//! tests need the packaging tools and a built `.deb`, so they are `#[ignore]`d here and run by
//! `scripts/test.sh` (step "Linux package"):
//! `FIELDBRIDGE_DEB=path/to.deb cargo test -p fieldbridge --test packaging -- --ignored`.
//! They fail, saying what is missing, when what they need is not there; they never skip.
//!
//! This file owns no product code; it does not test the Windows installers (nothing on Linux
//! can build or run them: `installer/check-config.py` checks their configuration instead).
#![cfg(target_os = "linux")]

mod common;

use common::free_port;
use fieldbridge::store::{MIGRATIONS, SCHEMA_VERSION};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// The data folder's name under `$XDG_DATA_HOME` (the app identifier in tauri.conf.json).
const APP_IDENTIFIER: &str = "app.fieldbridge.desktop";

/// How long `serve` may take to start listening, or to stop after SIGTERM, before the test
/// gives up. Generous: the machine running the tests is shared and may be busy; the tests
/// assert that it happens, never how fast.
const PATIENCE: Duration = Duration::from_secs(60);
/// Pause between two looks while waiting.
const POLL: Duration = Duration::from_millis(100);

// ------------------------------------------------------------------------------------------
// An "old" data folder, as an earlier FieldBridge left it
// ------------------------------------------------------------------------------------------

/// Rows written right after migration `version` (1-based: the schema `MIGRATIONS[..version]`
/// makes), each on the schema it was written for. When a migration adds a table or column
/// worth keeping, add its rows here; rows of earlier versions must survive every later
/// migration, which is what the upgrade test checks.
const OLD_ROWS: &[(i64, &str)] = &[(
    1,
    r#"
INSERT INTO customers (id, guid, name, company_name, email, taxable, active, created_at, updated_at)
VALUES ('C-100', '6a0d9a54-6f6e-4b55-9d2b-3b1a6c1f0a01', 'Harbor Bakery', 'Harbor Bakery LLC',
        'office@harborbakery.example', 1, 1, '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z'),
       ('C-101', '6a0d9a54-6f6e-4b55-9d2b-3b1a6c1f0a02', 'Lena Ortiz', NULL,
        NULL, 0, 1, '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z');
INSERT INTO invoices (id, guid, customer_id, number, date, void, created_at, updated_at)
VALUES ('INV-7', '6a0d9a54-6f6e-4b55-9d2b-3b1a6c1f0a03', 'C-100', '1007', '2026-01-06', 0,
        '2026-01-06T09:00:00Z', '2026-01-06T09:00:00Z');
INSERT INTO invoice_lines (invoice_id, line_no, description, quantity, rate, amount)
VALUES ('INV-7', 0, 'Oven service call', '1', '145.50', '145.50');
INSERT INTO outbox (kind, kind_rank, record_id, state, qb_id, edit_sequence, revision,
                    sent_revision, synced_revision, updated_at)
VALUES ('customer', 0, 'C-100', 'synced', '80000001-1736071500', '1736071500', 1, 1, 1,
        '2026-01-05T10:05:00Z'),
       ('customer', 0, 'C-101', 'pending', NULL, NULL, 1, NULL, NULL, '2026-01-05T10:00:00Z'),
       ('invoice', 3, 'INV-7', 'pending', NULL, NULL, 1, NULL, NULL, '2026-01-06T09:00:00Z');
INSERT INTO pairings (customer_id, list_id, how, decided_at)
VALUES ('C-100', '80000001-1736071500', 'created', '2026-01-05T10:05:00Z');
INSERT INTO item_mappings (role, item_full_name, updated_at)
VALUES ('service-item', 'Labor', '2026-01-05T09:00:00Z');
INSERT INTO company_binding (id, company_file, company_name, bound_at)
VALUES (1, 'C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Harbor.qbw',
        'Harbor Bakery', '2026-01-05T10:05:00Z');
INSERT INTO settings (key, value)
VALUES ('port', '8123'),
       ('run_every_minutes', '30'),
       ('owner_id', '{0F6C2A8E-3B7D-4C1A-9E55-2D4B6A8C0E11}'),
       ('file_id', '{7A1B3C5D-9E2F-4A6B-8C0D-1E3F5A7B9C22}'),
       ('last_contact', '2026-01-05T10:05:00Z');
"#,
)];

/// What the old folder's password file holds (the Web Connector has it; it must keep working).
const OLD_PASSWORD: &str = "Kept7AcrossUpgrades9Hx4Q";

/// Makes a data folder at schema version `k` with raw SQL: migrations `0..k` exactly as an
/// earlier FieldBridge ran them (each in a transaction with its `user_version` bump), the
/// rows of each version right after it, and a password file.
fn make_old_data_folder(dir: &Path, k: i64) {
    let mut conn =
        rusqlite::Connection::open(dir.join("fieldbridge.sqlite3")).expect("create the old db");
    conn.pragma_update(None, "foreign_keys", "ON")
        .expect("foreign keys on, as FieldBridge runs");
    for (index, sql) in MIGRATIONS.iter().enumerate().take(k as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction().expect("begin");
        tx.execute_batch(sql)
            .unwrap_or_else(|e| panic!("migration {index} must apply: {e}"));
        tx.pragma_update(None, "user_version", version)
            .expect("bump user_version");
        for (_, rows) in OLD_ROWS.iter().filter(|(v, _)| *v == version) {
            tx.execute_batch(rows)
                .unwrap_or_else(|e| panic!("rows for schema {version} must insert: {e}"));
        }
        tx.commit().expect("commit");
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("read user_version");
    assert_eq!(version, k, "the old database must be at schema {k}");
    std::fs::write(dir.join("qbwc-password"), format!("{OLD_PASSWORD}\n"))
        .expect("write the old password file");
}

/// Runs `bin ARGS` against `data_dir` with nothing inherited that could redirect it.
fn run_in(bin: &Path, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(bin)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("FIELDBRIDGE_DATA_DIR")
        .env_remove("FIELDBRIDGE_PORT")
        .env_remove("FIELDBRIDGE_LOG")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{} must start: {e}", bin.display()))
}

/// Standard output of a command that must succeed.
fn ok_in(bin: &Path, data_dir: &Path, args: &[&str]) -> String {
    let out = run_in(bin, data_dir, args);
    assert!(
        out.status.success(),
        "fieldbridge {args:?} must succeed on this data folder; exit {:?}, stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

fn json_in(bin: &Path, data_dir: &Path, args: &[&str]) -> Value {
    let text = ok_in(bin, data_dir, args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?} must print JSON: {e}\n{text}"))
}

/// What `bin --version` prints.
fn version_of(bin: &Path) -> String {
    let out = Command::new(bin)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{} must start: {e}", bin.display()));
    assert!(
        out.status.success(),
        "--version must succeed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The schema number in `--version`'s "… (database schema N)".
fn schema_in_version_line(text: &str) -> i64 {
    let (_, rest) = text
        .split_once("database schema ")
        .unwrap_or_else(|| panic!("--version must name the database schema: {text:?}"));
    rest.trim_end()
        .trim_end_matches(')')
        .parse()
        .unwrap_or_else(|_| panic!("--version's schema must be a number: {text:?}"))
}

/// Checks that the current binary reads an old folder with everything in it intact.
fn check_upgraded_folder(bin: &Path, dir: &Path, k: i64) {
    let had_rows = OLD_ROWS.iter().any(|(v, _)| *v <= k);
    let status = json_in(bin, dir, &["status", "--json"]);
    let export = json_in(bin, dir, &["export", "--json"]);

    let db = rusqlite::Connection::open(dir.join("fieldbridge.sqlite3")).expect("reopen");
    let version: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    assert_eq!(
        version, SCHEMA_VERSION,
        "opening a schema-{k} folder must upgrade it to the current schema"
    );
    assert_eq!(
        ok_in(bin, dir, &["password"]).trim(),
        OLD_PASSWORD,
        "the Web Connector's password must survive an upgrade from schema {k}"
    );
    if !had_rows {
        return;
    }

    // Settings and the company binding (status) ...
    assert_eq!(
        status["endpoint"]["port"], 8123,
        "the saved port must survive the upgrade from schema {k}: {status}"
    );
    assert_eq!(
        status["company_file"],
        r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Harbor.qbw",
        "the bound company file must survive the upgrade from schema {k}: {status}"
    );
    assert_eq!(
        status["last_contact"], "2026-01-05T10:05:00Z",
        "the last contact must survive the upgrade from schema {k}: {status}"
    );
    assert_eq!(
        (
            &status["records"]["customers"]["synced"],
            &status["records"]["customers"]["pending"],
            &status["records"]["invoices"]["pending"],
        ),
        (&Value::from(1), &Value::from(1), &Value::from(1)),
        "every record's sync state must survive the upgrade from schema {k}: {status}"
    );
    // ... the .qwc ids (the Web Connector keys FieldBridge by them) and the schedule ...
    let qwc = ok_in(bin, dir, &["qwc"]);
    for (what, expected) in [
        (
            "OwnerID",
            "<OwnerID>{0F6C2A8E-3B7D-4C1A-9E55-2D4B6A8C0E11}</OwnerID>",
        ),
        (
            "FileID",
            "<FileID>{7A1B3C5D-9E2F-4A6B-8C0D-1E3F5A7B9C22}</FileID>",
        ),
        (
            "RunEveryNMinutes",
            "<RunEveryNMinutes>30</RunEveryNMinutes>",
        ),
    ] {
        assert!(
            qwc.contains(expected),
            "the .qwc {what} must be the one saved before the upgrade from schema {k}:\n{qwc}"
        );
    }
    // ... and the records with their QuickBooks ids (export).
    let customers = export["customers"].as_array().expect("customers array");
    let harbor = customers
        .iter()
        .find(|c| c["id"] == "C-100")
        .unwrap_or_else(|| panic!("customer C-100 must survive the upgrade from {k}: {export}"));
    assert_eq!(
        (
            &harbor["name"],
            &harbor["guid"],
            &harbor["state"],
            &harbor["qb_id"]
        ),
        (
            &Value::from("Harbor Bakery"),
            &Value::from("6a0d9a54-6f6e-4b55-9d2b-3b1a6c1f0a01"),
            &Value::from("synced"),
            &Value::from("80000001-1736071500")
        ),
        "a synced customer keeps its ExternalGUID and ListID across the upgrade from {k}, or \
         the next sync would add it to QuickBooks twice"
    );
    assert!(
        customers.iter().any(|c| c["id"] == "C-101"),
        "customer C-101 must survive the upgrade from {k}: {export}"
    );
    let invoices = export["invoices"].as_array().expect("invoices array");
    assert!(
        invoices
            .iter()
            .any(|i| i["id"] == "INV-7" && i["number"] == "1007" && i["state"] == "pending"),
        "invoice INV-7 must survive the upgrade from {k}: {export}"
    );
    let lines: Vec<(String, String)> = db
        .prepare("SELECT description, amount FROM invoice_lines WHERE invoice_id = 'INV-7'")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()
        })
        .expect("read invoice lines");
    assert_eq!(
        lines,
        vec![("Oven service call".to_owned(), "145.50".to_owned())],
        "invoice lines keep their exact amounts across the upgrade from {k}"
    );
}

#[test]
fn installing_a_newer_version_keeps_records_and_settings_from_every_earlier_schema() {
    assert!(
        OLD_ROWS
            .iter()
            .all(|(v, _)| (1..=SCHEMA_VERSION).contains(v)),
        "OLD_ROWS names only schema versions that exist"
    );
    let bin = common::bin();
    let version_line = version_of(&bin);
    assert_eq!(
        schema_in_version_line(&version_line),
        SCHEMA_VERSION,
        "--version must report the schema this build writes"
    );
    // Every schema a released FieldBridge may have left behind: 0 (a database file made but
    // never migrated) up to the one before the current.
    for k in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().expect("temporary data folder");
        make_old_data_folder(dir.path(), k);
        check_upgraded_folder(&bin, dir.path(), k);
    }
    // And the current schema reopened: nothing may change either.
    let dir = tempfile::tempdir().expect("temporary data folder");
    make_old_data_folder(dir.path(), SCHEMA_VERSION);
    check_upgraded_folder(&bin, dir.path(), SCHEMA_VERSION);
}

// ------------------------------------------------------------------------------------------
// Where files are written
// ------------------------------------------------------------------------------------------

/// Every file under `root`, relative to it, sorted.
fn files_under(root: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).expect("under root").to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// An HTTP/1.1 GET on 127.0.0.1:`port`; the whole answer (status line, headers, body), or
/// None while nothing listens there.
fn http_get(port: u16, target: &str) -> Option<String> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(PATIENCE)).ok()?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    Some(String::from_utf8_lossy(&answer).into_owned())
}

/// Waits for `child` to exit; kills it and fails the test if it has not within [`PATIENCE`].
fn wait_for_exit(child: &mut Child, what: &str) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().expect("poll the child") {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not exit within {PATIENCE:?}");
        }
        std::thread::sleep(POLL);
    }
}

/// Runs `serve` (already spawned as `child`, on `port`): it must answer `GET /qbwc?wsdl` with
/// the WSDL, then stop with exit status 0 at SIGTERM (how systemd and `kill` stop it).
fn check_serve_answers_then_stops_on_sigterm(mut child: Child, port: u16) {
    let deadline = std::time::Instant::now() + PATIENCE;
    let answer = loop {
        if let Some(answer) = http_get(port, "/qbwc?wsdl") {
            break answer;
        }
        if let Some(status) = child.try_wait().expect("poll serve") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("serve exited ({status}) before it answered on port {port}: {err}");
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve did not answer on port {port} within {PATIENCE:?}");
        }
        std::thread::sleep(POLL);
    };
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "GET /qbwc?wsdl must answer 200: {answer}"
    );
    assert!(
        answer.contains("definitions") && answer.contains("authenticate"),
        "GET /qbwc?wsdl must return the Web Connector WSDL: {answer}"
    );
    let kill = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("run kill");
    assert!(kill.success(), "kill -TERM must reach serve");
    let status = wait_for_exit(&mut child, "serve after SIGTERM");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    assert_eq!(
        status.code(),
        Some(0),
        "serve must stop cleanly (exit 0) at SIGTERM: {status}; stderr: {err}"
    );
}

/// A binary in `install_dir`, run with HOME and XDG_DATA_HOME inside `sandbox`, no
/// `--data-dir`, from an empty working folder: every command a person runs after installing.
fn run_commands_like_an_installed_app(bin: &Path, sandbox: &Path) -> PathBuf {
    let home = sandbox.join("home");
    let data_home = sandbox.join("xdg-data");
    let work = sandbox.join("cwd");
    for dir in [&home, &data_home, &work] {
        std::fs::create_dir_all(dir).expect("make sandbox folder");
    }
    let command = |args: &[&str]| {
        let mut cmd = Command::new(bin);
        cmd.args(args)
            .current_dir(&work)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", &data_home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env_remove("FIELDBRIDGE_DATA_DIR")
            .env_remove("FIELDBRIDGE_PORT")
            .env_remove("FIELDBRIDGE_LOG")
            .stdin(Stdio::null());
        cmd
    };
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assets/sample-data/northwind-hvac.json")
        .canonicalize()
        .expect("the sample data file exists");
    for args in [
        vec!["password"],
        vec!["import", sample.to_str().expect("UTF-8 path")],
        vec!["status", "--json"],
        vec!["export", "--json"],
        vec!["qwc"],
    ] {
        let out = command(&args).output().expect("fieldbridge runs");
        assert!(
            out.status.success(),
            "fieldbridge {args:?} must work with no --data-dir: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let port = free_port();
    let serve = command(&["--port", &port.to_string(), "serve"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    check_serve_answers_then_stops_on_sigterm(serve, port);
    data_home.join(APP_IDENTIFIER)
}

/// Checks that the sandbox holds only the data folder's files (and `allowed`, the binary).
fn check_only_the_data_folder_was_written(sandbox: &Path, allowed: &[PathBuf]) {
    let data = PathBuf::from("xdg-data").join(APP_IDENTIFIER);
    let written = files_under(sandbox);
    for must in ["fieldbridge.sqlite3", "qbwc-password"] {
        assert!(
            written.contains(&data.join(must)),
            "{must} must be in $XDG_DATA_HOME/{APP_IDENTIFIER}: {written:?}"
        );
    }
    assert!(
        written.iter().any(|f| f.starts_with(data.join("logs"))),
        "the log file must be in $XDG_DATA_HOME/{APP_IDENTIFIER}/logs: {written:?}"
    );
    let strays: Vec<&PathBuf> = written
        .iter()
        .filter(|f| !f.starts_with(&data) && !allowed.contains(f))
        .collect();
    assert!(
        strays.is_empty(),
        "FieldBridge may write only under $XDG_DATA_HOME/{APP_IDENTIFIER}, never next to \
         its binary, in the working folder or elsewhere in HOME; found {strays:?}"
    );
}

/// A freshly copied executable can be briefly unrunnable ("Text file busy"): a child that
/// another test thread forks at that moment inherits the copy's open file until it execs.
/// Waits that moment out; fails the test if it lasts beyond [`PATIENCE`].
fn wait_until_executable(bin: &Path) {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        match Command::new(bin).arg("--version").output() {
            Ok(out) if out.status.success() => return,
            Ok(out) => panic!(
                "{} --version failed: {}",
                bin.display(),
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "{} stayed busy for {PATIENCE:?}",
                    bin.display()
                );
                std::thread::sleep(POLL);
            }
            Err(e) => panic!("{} must run: {e}", bin.display()),
        }
    }
}

#[test]
fn every_file_goes_to_the_per_user_data_folder_and_none_next_to_the_binary() {
    let sandbox = tempfile::tempdir().expect("sandbox");
    // The binary in its own "install directory", so anything written next to it shows up in
    // the sandbox: a hard link (cheap for a large debug binary), else a copy.
    let install = sandbox.path().join("install");
    std::fs::create_dir_all(&install).expect("install dir");
    let bin = install.join("fieldbridge");
    std::fs::hard_link(common::bin(), &bin)
        .or_else(|_| std::fs::copy(common::bin(), &bin).map(|_| ()))
        .expect("put the binary into the install dir");
    wait_until_executable(&bin);
    run_commands_like_an_installed_app(&bin, sandbox.path());
    check_only_the_data_folder_was_written(sandbox.path(), &[PathBuf::from("install/fieldbridge")]);
}

// ------------------------------------------------------------------------------------------
// The .deb (ignored in plain `cargo test`; scripts/test.sh runs them after building it)
// ------------------------------------------------------------------------------------------

/// The package under test: `FIELDBRIDGE_DEB`, as `installer/build-deb.sh` prints it.
fn deb_under_test() -> PathBuf {
    let deb = std::env::var_os("FIELDBRIDGE_DEB").map(PathBuf::from).expect(
        "FIELDBRIDGE_DEB must name the .deb to test: run installer/build-deb.sh, then \
         FIELDBRIDGE_DEB=<the path it printed> cargo test -p fieldbridge --test packaging -- --ignored",
    );
    assert!(
        deb.is_file(),
        "FIELDBRIDGE_DEB={} is not a file",
        deb.display()
    );
    deb
}

fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (dpkg, a standard tool): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Unpacks the package (`dpkg -x`, no root needed) into `root`; returns the packaged binary.
fn unpack(deb: &Path, root: &Path) -> PathBuf {
    tool(
        "dpkg",
        &[
            "-x",
            deb.to_str().expect("UTF-8 path"),
            root.to_str().expect("UTF-8 path"),
        ],
    );
    let bin = root.join("usr/bin/fieldbridge");
    assert!(
        bin.is_file(),
        "the package must install usr/bin/fieldbridge: {:?}",
        files_under(root)
    );
    bin
}

#[test]
#[ignore = "needs a built .deb: run by scripts/test.sh (FIELDBRIDGE_DEB=... -- --ignored)"]
fn the_deb_names_fieldbridge_at_this_version_with_its_menu_entry_and_icons() {
    let deb = deb_under_test();
    let deb = deb.to_str().expect("UTF-8 path");
    let field = |name: &str| tool("dpkg-deb", &["--field", deb, name]).trim().to_owned();
    assert_eq!(
        field("Package"),
        "field-bridge",
        "the package name Tauri derives"
    );
    assert_eq!(
        field("Version"),
        env!("CARGO_PKG_VERSION"),
        "the package version comes from src-tauri/Cargo.toml, the one place it is set"
    );
    assert!(
        field("Depends").contains("libwebkit2gtk-4.1"),
        "the window needs WebKitGTK 4.1; the package must depend on it"
    );
    let root = tempfile::tempdir().expect("unpack root");
    unpack(Path::new(deb), root.path());
    let files = files_under(root.path());
    let desktop = root
        .path()
        .join("usr/share/applications/FieldBridge.desktop");
    let entry = std::fs::read_to_string(&desktop).unwrap_or_else(|e| {
        panic!(
            "the menu entry {} must exist: {e}: {files:?}",
            desktop.display()
        )
    });
    assert!(
        entry.contains("Exec=fieldbridge") && entry.contains("Name=FieldBridge"),
        "the menu entry must start fieldbridge under its product name: {entry}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("usr/share/icons/hicolor") && f.ends_with("fieldbridge.png")),
        "the app icon must be installed in the hicolor theme: {files:?}"
    );
}

#[test]
#[ignore = "needs a built .deb: run by scripts/test.sh (FIELDBRIDGE_DEB=... -- --ignored)"]
fn the_packaged_fieldbridge_reports_its_version_and_serves_then_stops_on_sigterm() {
    let deb = deb_under_test();
    let root = tempfile::tempdir().expect("unpack root");
    let bin = unpack(&deb, root.path());
    let packaged = files_under(root.path());

    let version = version_of(&bin);
    assert!(
        version.contains(env!("CARGO_PKG_VERSION")),
        "the packaged --version must print the product version: {version}"
    );
    assert_eq!(
        schema_in_version_line(&version),
        SCHEMA_VERSION,
        "the packaged --version must print the current database schema: {version}"
    );

    let data = tempfile::tempdir().expect("data folder");
    let port = free_port();
    let serve = Command::new(&bin)
        .arg("--data-dir")
        .arg(data.path())
        .args(["--port", &port.to_string(), "serve"])
        .env_remove("FIELDBRIDGE_DATA_DIR")
        .env_remove("FIELDBRIDGE_PORT")
        .env_remove("FIELDBRIDGE_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the packaged serve");
    check_serve_answers_then_stops_on_sigterm(serve, port);
    assert!(
        data.path().join("fieldbridge.sqlite3").is_file()
            && data.path().join("qbwc-password").is_file(),
        "serve must keep its database and password in the data folder"
    );
    assert_eq!(
        files_under(root.path()),
        packaged,
        "the packaged binary must not write into its install tree"
    );
}

#[test]
#[ignore = "needs a built .deb: run by scripts/test.sh (FIELDBRIDGE_DEB=... -- --ignored)"]
fn the_packaged_fieldbridge_writes_only_to_the_per_user_data_folder_and_upgrades_old_data() {
    let deb = deb_under_test();
    let root = tempfile::tempdir().expect("unpack root");
    let bin = unpack(&deb, root.path());
    let packaged = files_under(root.path());

    let sandbox = tempfile::tempdir().expect("sandbox");
    run_commands_like_an_installed_app(&bin, sandbox.path());
    check_only_the_data_folder_was_written(sandbox.path(), &[]);
    assert_eq!(
        files_under(root.path()),
        packaged,
        "nothing may be written next to the installed binary"
    );

    for k in 0..=SCHEMA_VERSION {
        let dir = tempfile::tempdir().expect("old data folder");
        make_old_data_folder(dir.path(), k);
        check_upgraded_folder(&bin, dir.path(), k);
    }
}

#[test]
#[ignore = "needs ui/node_modules and python3-jsonschema: run by scripts/test.sh"]
fn the_tauri_configuration_matches_the_tauri_cli_schema() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../installer/check-config.py");
    let out = Command::new("python3")
        .arg(&script)
        .output()
        .expect("python3 must be installed");
    assert!(
        out.status.success(),
        "installer/check-config.py must pass (every key in tauri*.conf.json is one Tauri 2 \
         knows, every file it names exists):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
