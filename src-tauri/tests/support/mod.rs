//! Shared pieces of the suites that sync with the simulated QuickBooks: the real
//! `fieldbridge serve` process (started, killed, restarted), generated field-service data,
//! and the Web Connector driver from `qbsim`.
#![allow(dead_code)]

use qbsim::driver::{DriverConfig, WebConnector};
use qbsim::Company;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fieldbridge"))
}

/// The command that runs the binary under test: this build's `fieldbridge`; or, when
/// `FIELDBRIDGE_TEST_EXE` is set (scripts/test-windows.sh: the cross-built `fieldbridge.exe`),
/// that program through `FIELDBRIDGE_TEST_LAUNCHER` (its Wine wrapper) if set.
pub fn fieldbridge() -> Command {
    let exe = std::env::var_os("FIELDBRIDGE_TEST_EXE");
    match (exe, std::env::var_os("FIELDBRIDGE_TEST_LAUNCHER")) {
        (Some(exe), Some(launcher)) => {
            let mut c = Command::new(launcher);
            c.arg(exe);
            c
        }
        (Some(exe), None) => Command::new(exe),
        (None, _) => Command::new(bin()),
    }
}

/// A data folder and the `fieldbridge serve` process running on it.
pub struct Fb {
    pub dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
}

impl Fb {
    pub fn new() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        Self {
            dir: tempfile::tempdir().expect("temporary folder"),
            port,
            child: None,
        }
    }

    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        fieldbridge()
            .arg("--data-dir")
            .arg(self.dir.path())
            .arg("--port")
            .arg(self.port.to_string())
            .args(args)
            .env_remove("FIELDBRIDGE_LOG")
            .stdin(Stdio::null())
            .output()
            .expect("fieldbridge runs")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "fieldbridge {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("JSON")
    }

    pub fn import(&self, doc: &Value) {
        let path = self.dir.path().join(format!("import-{}.json", uuid_like()));
        std::fs::write(&path, serde_json::to_vec(doc).unwrap()).unwrap();
        self.ok(&["import", path.to_str().unwrap()]);
    }

    pub fn map_fixture_items(&self) {
        self.ok(&["map", "service-item", "Labor"]);
        self.ok(&["map", "service-tax-item", "IL State"]);
        self.ok(&["map", "project-item", "Labor"]);
        self.ok(&["map", "project-tax-item", "IL State"]);
    }

    pub fn password(&self) -> String {
        self.ok(&["password"]).trim().to_owned()
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/qbwc", self.port)
    }

    /// Starts `fieldbridge serve` and waits until it accepts connections.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "already running");
        let child = fieldbridge()
            .arg("--data-dir")
            .arg(self.dir.path())
            .arg("--port")
            .arg(self.port.to_string())
            .arg("serve")
            .env("FIELDBRIDGE_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        self.child = Some(child);
        // A liveness wait, not a timing check: on a machine loaded with other builds a start
        // can take many seconds, so the limit is generous and a serve that exited says so.
        let deadline = Instant::now() + Duration::from_secs(120);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "serve exited ({status}) before it listened on port {}",
                    self.port
                );
            }
            assert!(
                Instant::now() < deadline,
                "serve did not start listening on port {} within 120 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// kill -9: no chance to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn driver(&self, company: &Arc<Mutex<Company>>) -> WebConnector {
        let mut config = DriverConfig::fast(&self.url(), "fieldbridge", &self.password());
        config.max_round_trips = 400;
        WebConnector::new(Arc::clone(company), config)
    }
}

/// A restart hook for qbsim's driver: `fieldbridge serve` killed (kill -9) while QuickBooks
/// works on the batch, then started again on the same data folder and port.
pub fn kill_and_restart(fb: &Arc<Mutex<Fb>>) -> qbsim::driver::RestartHook {
    let fb = Arc::clone(fb);
    Box::new(move |_n| {
        let fb = Arc::clone(&fb);
        Box::pin(async move {
            let mut fb = fb.lock().unwrap();
            fb.kill();
            fb.start();
            Some(fb.url())
        })
    })
}

impl Drop for Fb {
    fn drop(&mut self) {
        self.kill();
    }
}

fn uuid_like() -> String {
    format!(
        "{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// The simulator's fixture company, with its clock at the real now (QuickBooks runs on the
/// same PC as FieldBridge, so their clocks agree).
pub fn company(seed: u64) -> Arc<Mutex<Company>> {
    let mut c = Company::fixture(seed);
    c.set_clock(chrono::Local::now().fixed_offset());
    Arc::new(Mutex::new(c))
}

/// A field-service business: `customers` customers (every fifth with a project), a ticket
/// and an invoice per customer (project invoices for those with a project), and a field
/// payment on every third invoice.
pub fn business(customers: usize) -> Value {
    let mut cs = Vec::new();
    let mut ps = Vec::new();
    let mut ts = Vec::new();
    let mut is = Vec::new();
    let mut pays = Vec::new();
    for n in 1..=customers {
        let id = format!("C-{n}");
        cs.push(json!({
            "id": id, "name": format!("Customer {n:05}"), "company_name": format!("Customer {n:05} LLC"),
            "email": format!("office{n}@example.com"), "phone": format!("(555) {:03}-{:04}", n % 1000, n),
            "billing_address": {"line1": format!("{n} Main St"), "city": "Springfield", "state": "IL", "postal_code": "62701"},
            "taxable": n % 2 == 0
        }));
        let project = if n % 5 == 0 {
            let pid = format!("P-{n}");
            ps.push(json!({"id": pid, "customer_id": id, "name": "Remodel"}));
            Some(pid)
        } else {
            None
        };
        ts.push(json!({
            "id": format!("T-{n}"), "customer_id": id, "project_id": project, "number": format!("T{n}"),
            "date": "2026-10-01", "description": "Service call",
            "lines": [{"description": "Labor", "quantity": "2", "rate": "95.00"}]
        }));
        is.push(json!({
            "id": format!("I-{n}"), "customer_id": id, "project_id": project, "ticket_id": format!("T-{n}"),
            "number": format!("{}", 10000 + n), "date": "2026-10-02", "due_date": "2026-11-01",
            "lines": [
                {"description": "Labor", "quantity": "2", "rate": "95.00", "taxable": false},
                {"description": "Filter", "quantity": "1", "rate": "12.50", "taxable": true}
            ]
        }));
        if n % 3 == 0 {
            pays.push(json!({
                "id": format!("PAY-{n}"), "invoice_id": format!("I-{n}"), "date": "2026-10-05",
                "amount": "50.00", "method": "Check", "reference": format!("CHK {n}")
            }));
        }
    }
    json!({"customers": cs, "projects": ps, "service_tickets": ts, "invoices": is, "payments": pays})
}

/// The business with vendors and expenses (issue 16): three vendors (`Acme Supply` is
/// already in QuickBooks, see [`expense_lists`]) and one expense per customer, in turn an
/// unpaid bill, a check from `Checking`, a charge on the card numbered 2100; every other
/// one billable to its customer. Lines post to `Job Materials` (by name) and `6100` (by
/// number).
pub fn with_expenses(mut doc: Value) -> Value {
    let vendors = json!([
        {"id": "V-1", "name": "Acme Supply"},
        {"id": "V-2", "name": "Baker Electric", "phone": "(555) 300-4000"},
        {"id": "V-3", "name": "Corner Hardware", "address": {"line1": "5 Elm St", "city": "Springfield"}}
    ]);
    let mut expenses = Vec::new();
    let customers: Vec<String> = doc["customers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for (n, customer) in customers.iter().enumerate() {
        let (paid, paid_from) = match n % 3 {
            0 => (false, Value::Null),
            1 => (true, json!("Checking")),
            _ => (true, json!("2100")),
        };
        let billable = n % 2 == 0;
        expenses.push(json!({
            "id": format!("E-{}", n + 1), "vendor_id": format!("V-{}", n % 3 + 1),
            "date": "2026-10-04", "number": format!("VI-{}", 500 + n),
            "customer_id": if billable { json!(customer) } else { Value::Null },
            "paid": paid, "paid_from": paid_from,
            "lines": [
                {"account": "Job Materials", "description": "Materials", "amount": format!("{}.25", 10 + n), "billable": billable},
                {"account": "6100", "description": "Supplies", "amount": "3.10"}
            ]
        }));
    }
    doc["vendors"] = vendors;
    doc["expenses"] = Value::Array(expenses);
    doc
}

/// What [`with_expenses`] needs in the company: its accounts (with numbers) and the vendor
/// that QuickBooks already has.
pub fn expense_lists(company: &Arc<Mutex<Company>>) {
    let mut c = company.lock().unwrap();
    c.add_account("Job Materials", "CostOfGoodsSold", Some("5010"))
        .expect("a new account");
    c.add_account("Office Supplies", "Expense", Some("6100"))
        .expect("a new account");
    c.add_account("Company Visa", "CreditCard", Some("2100"))
        .expect("a new account");
    c.add_vendor("Acme Supply").expect("a new vendor");
}

pub fn count(doc: &Value, kind: &str) -> usize {
    doc[kind].as_array().map_or(0, Vec::len)
}

/// Every record of the export in a state, as "kind:id".
pub fn states(export: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for kind in [
        "customers",
        "projects",
        "service_tickets",
        "invoices",
        "payments",
        "vendors",
        "expenses",
    ] {
        for r in export[kind].as_array().unwrap() {
            if r["source"] == "quickbooks" {
                continue;
            }
            out.push((
                kind.to_owned(),
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["state"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    out
}

pub fn assert_all_synced(fb: &Fb) {
    let export = fb.json(&["export", "--json"]);
    let not: Vec<_> = states(&export)
        .into_iter()
        .filter(|(_, _, s)| s != "synced")
        .collect();
    assert!(
        not.is_empty(),
        "every record reaches QuickBooks; not synced: {not:?}\n{}",
        serde_json::to_string_pretty(&export).unwrap()
    );
}

/// Nothing duplicated, nothing missing: every app record is in the company exactly once,
/// found by its ExternalGUID or name.
pub fn assert_books_match(fb: &Fb, company: &Arc<Mutex<Company>>, doc: &Value) {
    let c = company.lock().unwrap();
    for cust in doc["customers"].as_array().unwrap() {
        let name = cust["name"].as_str().unwrap();
        assert_eq!(
            c.count_customers_named(name),
            1,
            "customer {name} exactly once in QuickBooks"
        );
    }
    for inv in doc["invoices"].as_array().unwrap() {
        let number = inv["number"].as_str().unwrap();
        assert_eq!(
            c.count_invoices_with_ref(number),
            1,
            "invoice {number} exactly once in QuickBooks"
        );
    }
    assert_eq!(
        c.payment_count(),
        count(doc, "payments"),
        "every field payment once"
    );
    assert_eq!(
        c.estimate_count(),
        count(doc, "service_tickets"),
        "every ticket once as an estimate"
    );
    let dir: &Path = fb.dir.path();
    let _ = dir;
}

/// Marks QuickBooks as not read for a while, so the next run reads it again.
pub fn force_read(fb: &Fb) {
    let conn = rusqlite::Connection::open(fb.dir.path().join("fieldbridge.sqlite3")).unwrap();
    conn.execute("DELETE FROM settings WHERE key = 'last_full_run'", [])
        .unwrap();
}

/// Enters in QuickBooks a payment of the whole of invoice `txn`; returns the amount.
pub fn pay_in_full_in_quickbooks(
    company: &Arc<Mutex<Company>>,
    txn: &str,
) -> rust_decimal::Decimal {
    let mut c = company.lock().unwrap();
    let (customer, total) = {
        let v = c.invoice(txn).unwrap();
        (v.customer_full_name.clone(), v.total)
    };
    c.add_payment(&customer, total, &[(txn, total)], Some("CHK-77"))
        .unwrap();
    total
}
