//! Benchmark 2: a first sync of 10,000 customers and 10,000 invoices (1 to 5 lines each)
//! with 50,000 customers already in QuickBooks to pull, through the real `fieldbridge serve`
//! process (release build) and qbsim's Web Connector over HTTP.
//!
//! ```text
//! cargo build --release -p fieldbridge --no-default-features --bin fieldbridge --example bench_first_sync
//! target/release/examples/bench_first_sync [CUSTOMERS] [INVOICES] [QB_CUSTOMERS]
//! ```
//! (`scripts/bench.sh` does both.) The `fieldbridge` binary is found next to the examples
//! folder, or at `$FIELDBRIDGE_BIN`. Request validation with xmllint is switched off (it
//! would dominate the run time with 100-record documents); the property tests and the e2e
//! suites validate what the builders produce.
//!
//! Figures: Web Connector sessions, round trips, wall time, the simulated QuickBooks' share
//! (timed around each answer in the driver), the serve
//! process's CPU time, and its peak memory (VmHWM from /proc/PID/status before it stops).

#[path = "bench_support/mod.rs"]
mod bench_support;

use bench_support::{field_data, machine, ITEM_MAPPINGS};
use fieldbridge::app::App;
use fieldbridge::paths::DataDir;
use qbsim::driver::{DriverConfig, RunOutcome, WebConnector};
use qbsim::Company;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(p) = std::env::var_os("FIELDBRIDGE_BIN") {
        return Ok(p.into());
    }
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(|p| p.parent())
        .ok_or("the example is not inside a target folder")?;
    Ok(dir.join("fieldbridge"))
}

fn status_field(pid: u32, field: &str) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))
        .map(|l| l[field.len()..].trim().to_owned())
}

/// utime + stime of a process, in seconds.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux
}

fn company(qb_customers: usize) -> Company {
    let mut c = Company::fixture(2);
    c.set_clock(chrono::Local::now().fixed_offset());
    c.seed_customers("QB Customer", qb_customers, 0);
    // No copy of the whole company per message set: FieldBridge sends no malformed request
    // here, and copying 500,000 names for each would be most of the run.
    c.without_rollback()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = |i: usize, d: usize| -> usize {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(d)
    };
    let (customers, invoices, qb_customers) = (arg(1, 10_000), arg(2, 10_000), arg(3, 50_000));
    println!("machine: {}", machine());
    let bin = binary()?;
    let dir = tempfile::tempdir()?;
    {
        let app = App::open_dir(DataDir::resolve(Some(dir.path()))?, None)?;
        let doc = field_data(customers, invoices, 2);
        let t = Instant::now();
        app.import_bytes("first-sync.json", &serde_json::to_vec(&doc)?)?;
        println!(
            "import of {customers} customers and {invoices} invoices: {:.2} s",
            t.elapsed().as_secs_f64()
        );
        for (role, item) in ITEM_MAPPINGS {
            app.map_item(role, item)?;
        }
        // The company already holds customers: a new folder's first run would read it and
        // wait for a person's "Start sending" (issue 15). The bench measures the sync itself.
        fieldbridge::ops::setting_keys::set(app.store(), "hold-new-company-files", "false")?;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let password = String::from_utf8(
        Command::new(&bin)
            .arg("--data-dir")
            .arg(dir.path())
            .arg("password")
            .output()?
            .stdout,
    )?
    .trim()
    .to_owned();
    let mut child = Command::new(&bin)
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--port")
        .arg(port.to_string())
        .arg("serve")
        .env_remove("FIELDBRIDGE_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let shared = Arc::new(Mutex::new(company(qb_customers)));
    let url = format!("http://127.0.0.1:{port}/qbwc");
    let mut config = DriverConfig::fast(&url, "fieldbridge", &password);
    config.validate_requests = false;
    config.max_round_trips = 5_000;
    config.http_timeout = Duration::from_secs(300);
    // FIELDBRIDGE_BENCH_QB_FLOOR_MS: every answer of the simulated QuickBooks takes at least
    // this long (its time is subtracted from the endpoint's all the same).
    if let Some(ms) = std::env::var("FIELDBRIDGE_BENCH_QB_FLOOR_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        config.quickbooks_floor = Duration::from_millis(ms);
        println!("every answer of the simulated QuickBooks takes at least {ms} ms");
    }
    let mut qbwc = WebConnector::new(Arc::clone(&shared), config);
    let t = Instant::now();
    let mut sessions = 0;
    let mut round_trips = 0;
    let mut qb_time = Duration::ZERO;
    let mut outcome = RunOutcome::NotStarted;
    for _ in 0..5 {
        let report = qbwc.run().await;
        sessions += 1;
        round_trips += report.round_trips;
        let completed = report.completed();
        qb_time += report.quickbooks_time;
        outcome = report.outcome.clone();
        if completed || outcome == RunOutcome::NothingToDo {
            break;
        }
    }
    let wall = t.elapsed();
    let hwm = status_field(pid, "VmHWM:").unwrap_or_else(|| "unknown".into());
    let cpu = cpu_seconds(pid);
    let _ = child.kill();
    let _ = child.wait();
    if std::env::var_os("FIELDBRIDGE_BENCH_KEEP").is_some() {
        // The data folder stays for inspection (query plans, sizes).
        println!("data folder kept: {}", dir.keep().display());
    }

    let (in_qb_customers, in_qb_invoices) = {
        let c = shared.lock().map_err(|_| "company lock poisoned")?;
        (c.customer_count(), c.invoice_count())
    };
    println!("outcome of the last run: {outcome:?}");
    println!("Web Connector sessions: {sessions}");
    println!("round trips: {round_trips}");
    println!("in QuickBooks afterwards: {in_qb_customers} customers, {in_qb_invoices} invoices");
    println!("wall time of the sync: {:.2} s", wall.as_secs_f64());
    println!(
        "  simulated QuickBooks (timed in the driver): {:.2} s",
        qb_time.as_secs_f64()
    );
    println!(
        "  FieldBridge + HTTP + driver (wall - QuickBooks): {:.2} s",
        (wall.saturating_sub(qb_time)).as_secs_f64()
    );
    if let Some(cpu) = cpu {
        println!("serve process CPU time (user + system): {cpu:.2} s");
    }
    println!("serve process peak memory (VmHWM): {hwm}");
    Ok(())
}
