//! Benchmark of the local API (`/api/v1`), over real HTTP on loopback against the real
//! endpoint served in this process (a real data folder: SQLite in WAL mode, synchronous=FULL):
//!
//! 1. `POST /api/v1/records` of 10,000 invoices with two lines each (and their 1,000
//!    customers): wall time from the first byte sent to the answer, and the process's peak
//!    resident memory before and after (VmHWM).
//! 2. Reading 100,000 events by pages of 1,000 (`GET /api/v1/events?after=...&limit=1000`).
//! 3. Long-poll wake-up: a `GET /api/v1/events?wait=30` waiting; a commit writes an event;
//!    the time from the commit's return to the answer's arrival (20 times).
//! 4. What the feed costs the sync: a first pull of 50,000 QuickBooks customers
//!    (`qb_mirror::upsert_customer`, transactions of 1,000) with the event triggers, and on a
//!    second data folder with them dropped (each new customer is a `quickbooks.customer_changed`).
//!
//! ```text
//! cargo run --release -p fieldbridge --no-default-features --example bench_api
//! ```
//! Prints figures; asserts nothing.

use fieldbridge::app::App;
use fieldbridge::paths::DataDir;
use fieldbridge::store::qb_mirror;
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn http(port: u16, token: &str, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let head = format!(
        "{method} /api/v1{path} HTTP/1.1\r\nHost: localhost:{port}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).expect("write");
    s.write_all(body).expect("write body");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("answer");
    let status = String::from_utf8_lossy(&raw[9..12]).parse().unwrap_or(0);
    (status, raw[split + 4..].to_vec())
}

/// Peak resident memory of this process so far, in MiB.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn document(invoices: usize) -> Vec<u8> {
    let customers: Vec<_> = (0..invoices / 10)
        .map(|n| json!({"id": format!("C-{n}"), "name": format!("Customer {n:05}")}))
        .collect();
    let invoices: Vec<_> = (0..invoices)
        .map(|n| {
            json!({"id": format!("I-{n}"), "customer_id": format!("C-{}", n / 10),
                   "number": format!("{}", 10000 + n), "date": "2026-10-02",
                   "lines": [
                       {"description": "Labor", "quantity": "2", "rate": "95.00"},
                       {"description": "Filter 20x25x1", "quantity": "4", "rate": "12.50",
                        "taxable": true, "item": "Parts:Filters"}]})
        })
        .collect();
    serde_json::to_vec(&json!({"customers": customers, "invoices": invoices})).unwrap()
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::open_dir(DataDir::resolve(Some(dir.path())).unwrap(), Some(0)).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let bound = runtime.block_on(app.bind_endpoint()).expect("bind");
    let port = bound.local_port();
    runtime.spawn(bound.run(std::future::pending::<()>()));
    let token = app.api_token().unwrap();

    // 1. POST 10,000 invoices.
    let doc = document(10_000);
    let before = peak_rss_mib();
    let started = Instant::now();
    let (status, body) = http(port, &token, "POST", "/records", &doc);
    let post = started.elapsed();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    println!(
        "POST /records: 10,000 invoices (20,000 lines) + 1,000 customers, {:.1} MiB: {:.2} s; \
         peak RSS {before:.0} MiB before, {:.0} MiB after",
        doc.len() as f64 / 1048576.0,
        post.as_secs_f64(),
        peak_rss_mib()
    );

    // 2. 100,000 events read by pages of 1,000.
    app.store()
        .write(|tx| {
            tx.execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                 INSERT INTO events (at, type, kind, record_id, data)
                 SELECT '2026-12-02T10:00:00Z', 'record.synced', 'invoices', 'I-' || i,
                        json_object('qb_id', i || '-1733150591', 'balance', '194.13',
                                    'paid', json('false'))
                 FROM n",
            )
            .map_err(fieldbridge::store::StoreError::from)
        })
        .unwrap();
    let started = Instant::now();
    let (mut after, mut read) = ("0".to_owned(), 0usize);
    loop {
        let (_, body) = http(
            port,
            &token,
            "GET",
            &format!("/events?after={after}&limit=1000"),
            b"",
        );
        let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let n = page["events"].as_array().unwrap().len();
        if n == 0 {
            break;
        }
        read += n;
        after = page["next"].as_str().unwrap().to_owned();
    }
    println!(
        "GET /events: {read} events in pages of 1,000: {:.2} s",
        started.elapsed().as_secs_f64()
    );

    // 3. Long-poll wake-up after a commit.
    let mut wakes = Vec::new();
    for _ in 0..20 {
        let last = after.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let t = token.clone();
        std::thread::spawn(move || {
            let (_, body) = http(
                port,
                &t,
                "GET",
                &format!("/events?after={last}&wait=30"),
                b"",
            );
            let _ = tx.send((Instant::now(), body));
        });
        std::thread::sleep(Duration::from_millis(200)); // the request is waiting
        app.store()
            .write(|tx| {
                tx.execute(
                    "INSERT INTO events (at, type, data) VALUES ('2026-12-02T10:00:00Z', \
                     'session.finished', '{}')",
                    [],
                )
                .map_err(fieldbridge::store::StoreError::from)
            })
            .unwrap();
        let committed = Instant::now();
        let (arrived, body) = rx.recv().unwrap();
        let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
        after = page["next"].as_str().unwrap().to_owned();
        wakes.push(arrived.saturating_duration_since(committed));
    }
    wakes.sort();
    println!(
        "long-poll wake-up after a commit (20 runs): median {:.1} ms, max {:.1} ms",
        wakes[10].as_secs_f64() * 1000.0,
        wakes[19].as_secs_f64() * 1000.0
    );

    // 4. The triggers' cost on a first pull of 50,000 QuickBooks customers.
    for with_events in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let store = fieldbridge::store::Store::open(&dir.path().join("db.sqlite3")).unwrap();
        if !with_events {
            store
                .write(|tx| {
                    tx.execute_batch(
                        "DROP TRIGGER events_qb_customer_insert;
                         DROP TRIGGER events_qb_customer_update;",
                    )
                    .map_err(fieldbridge::store::StoreError::from)
                })
                .unwrap();
        }
        let started = Instant::now();
        for page in 0..50 {
            store
                .write(|tx| {
                    for n in page * 1000..(page + 1) * 1000 {
                        qb_mirror::upsert_customer(
                            tx,
                            &qb_mirror::QbCustomer {
                                list_id: format!("80000{n:05}-1"),
                                full_name: format!("Customer {n:05}"),
                                name: format!("Customer {n:05}"),
                                is_active: true,
                                company_name: Some(format!("Customer {n:05} LLC")),
                                edit_sequence: "1".into(),
                                time_modified: "2026-10-10T00:00:00-05:00".into(),
                                ..Default::default()
                            },
                        )?;
                    }
                    Ok::<_, fieldbridge::store::StoreError>(())
                })
                .unwrap();
        }
        println!(
            "first pull of 50,000 QuickBooks customers {}: {:.2} s",
            if with_events {
                "with the event feed"
            } else {
                "without the customer triggers"
            },
            started.elapsed().as_secs_f64()
        );
    }
}
