//! Benchmark: the platform link against the local reference platform (`tests/platform`).
//!
//! 1. A changes feed of N records (default 10,000: customers with two invoices each and a
//!    payment on every third invoice) fetched and stored by the link task from a fresh data
//!    folder, in pages of 1,000: wall time from start until the cursor reaches the end, and
//!    peak memory (VmHWM) of this process.
//! 2. Delivery lag: a change committed in the store (an event written in the same
//!    transaction, as a Web Connector session's outcome is) until the platform has received
//!    it, 50 times; median and p99.
//!
//! ```text
//! cargo run --release -p fieldbridge --no-default-features --example bench_link -- [RECORDS]
//! ```
//! Prints figures; asserts nothing.

#[path = "bench_support/mod.rs"]
mod bench_support;

use bench_support::{machine, summary};
use fieldbridge::link::{setup, Link};
use fieldbridge::store::{events, link as link_state, Store};
use refplatform::Platform;
use std::time::{Duration, Instant};

fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let records: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    // customers c, invoices 2c, payments 2c/3: 11c/3 records.
    let customers = (records * 3).div_ceil(11);
    let platform = Platform::new("bench-key");
    let doc = refplatform::sample::generate("B", customers, 2, 9);
    let total: usize = ["customers", "invoices", "payments"]
        .iter()
        .map(|k| doc[k].as_array().unwrap().len())
        .sum();
    platform.upsert(&doc).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let p = platform.clone();
    tokio::spawn(async move { p.serve(listener, std::future::pending()).await });

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("fieldbridge.sqlite3")).unwrap();
    let key_file = dir.path().join("platform-key");
    setup::set(&store, &key_file, &url, "bench-key", Some(3600)).unwrap();
    let last = format!("c{}", platform.state().records.last_change());

    println!("{}", machine());
    println!("records in the changes feed: {total}");
    let before = vm_hwm();
    let started = Instant::now();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(Link::new(store.clone(), key_file).run(async move {
        let _ = stopped.await;
    }));
    loop {
        let cursor = store.read(link_state::changes_cursor).unwrap();
        if cursor.as_deref() == Some(last.as_str()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let stored = started.elapsed();
    println!(
        "stored {total} records from the feed in {:.2} s ({} pages of at most 1,000)",
        stored.as_secs_f64(),
        total.div_ceil(1000)
    );
    println!("peak memory (VmHWM): {before} before, {} after", vm_hwm());

    // Let the first deliveries (the import wrote no events; sessions do) settle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut lags = Vec::new();
    for n in 0..50 {
        let received_before = platform
            .received()
            .sources
            .values()
            .map(|l| l.seqs.len())
            .sum::<usize>();
        let t = Instant::now();
        store
            .write(|tx| {
                events::append(tx, "session.finished", None, None, &serde_json::json!({"session_id": n, "outcome": "ok", "created": 0, "updated": 0, "failed": 0}))
                    .map(|_| ())
            })
            .unwrap();
        loop {
            let now: usize = platform
                .received()
                .sources
                .values()
                .map(|l| l.seqs.len())
                .sum();
            if now > received_before {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        lags.push(t.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "delivery lag, commit to the platform having the event (50 samples): {}",
        summary(&mut lags)
    );
    let _ = stop.send(());
    let _ = task.await;
}
