//! The platform link end to end: the reference platform (`tests/platform`, no code shared
//! with FieldBridge) holds the business's records; the real `fieldbridge serve` process
//! fetches them by itself, the simulated Web Connector takes them to the simulated
//! QuickBooks, and every outcome flows back to the platform as events. Then the same with
//! the platform failing 30 % of calls and FieldBridge killed -9 at seeded moments: every
//! record once in QuickBooks, every event seq delivered.

mod support;
use fieldbridge::store::{events, Store};
use refplatform::{Faults, Platform};
use serde_json::Value;
use std::time::{Duration, Instant};
use support::*;

const KEY: &str = "platform-key-for-tests-0123456789";

async fn start_platform(p: &Platform) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let p = p.clone();
    tokio::spawn(async move { p.serve(listener, std::future::pending()).await });
    format!("http://{addr}")
}

fn link_set(fb: &Fb, url: &str, key: &str) {
    let key_file = fb.dir.path().join("key.txt");
    std::fs::write(&key_file, format!("{key}\n")).unwrap();
    fb.ok(&[
        "link",
        "set",
        url,
        "--key-file",
        key_file.to_str().unwrap(),
        "--interval",
        "10",
    ]);
    std::fs::remove_file(key_file).unwrap();
}

/// Polls `check` every 100 ms until it holds or `secs` pass.
async fn eventually(secs: u64, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn imported(fb: &Fb, kind: &str) -> usize {
    fb.json(&["export", "--json"])[kind]
        .as_array()
        .map_or(0, |a| {
            a.iter().filter(|r| r["source"] != "quickbooks").count()
        })
}

/// Every seq in FieldBridge's own feed.
fn feed_seqs(fb: &Fb) -> Vec<i64> {
    let store = Store::open(&fb.dir.path().join("fieldbridge.sqlite3"))
        .expect("the data folder's database");
    store
        .read(|c| events::after(c, 0, 1_000_000))
        .unwrap()
        .into_iter()
        .map(|e| e.seq)
        .collect()
}

fn link_status(fb: &Fb) -> Value {
    fb.json(&["link", "status", "--json"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_from_the_platform_reach_quickbooks_and_every_outcome_reaches_the_platform() {
    let platform = Platform::new(KEY);
    let doc = business(30);
    platform.upsert(&doc).unwrap();
    let url = start_platform(&platform).await;
    let mut fb = Fb::new();
    fb.map_fixture_items();
    link_set(&fb, &url, KEY);
    fb.start();
    eventually(30, "the platform's records stored", || {
        imported(&fb, "invoices") == 30
    })
    .await;
    assert_eq!(imported(&fb, "customers"), 30);
    assert_eq!(imported(&fb, "payments"), count(&doc, "payments"));

    let company = company(3);
    fb.driver(&company)
        .run()
        .await
        .expect_completed()
        .expect("one run syncs everything");
    assert_all_synced(&fb);
    assert_books_match(&fb, &company, &doc);

    let source = link_status(&fb);
    eventually(20, "every event delivered", || {
        link_status(&fb)["events_pending"] == 0
            && platform
                .received()
                .sources
                .values()
                .any(|l| l.by_type.contains_key("session.finished"))
    })
    .await;
    let received = platform.received();
    assert_eq!(received.sources.len(), 1, "one installation: {source}");
    let log = received.sources.values().next().unwrap();
    let ours = feed_seqs(&fb);
    let theirs: Vec<i64> = log.seqs.iter().map(|s| *s as i64).collect();
    assert_eq!(
        theirs, ours,
        "every event of the feed delivered, none invented"
    );
    assert_eq!(log.out_of_order, 0, "delivered in order");
    for kind in ["customers", "service_tickets", "invoices", "payments"] {
        for r in doc[kind].as_array().unwrap() {
            let id = r["id"].as_str().unwrap();
            let last = log
                .latest
                .get(&(kind.to_owned(), id.to_owned()))
                .unwrap_or_else(|| panic!("no event about {kind} {id}"));
            if kind == "invoices" {
                // An invoice's last word may be QuickBooks' balance after a field payment.
                assert!(
                    ["record.synced", "invoice.balance_changed"]
                        .contains(&last["type"].as_str().unwrap()),
                    "{last}"
                );
            } else {
                assert_eq!(last["type"], "record.synced", "{kind} {id}: {last}");
            }
            assert!(
                last["data"]["qb_id"]
                    .as_str()
                    .is_some_and(|q| !q.is_empty()),
                "{kind} {id} carries its QuickBooks id: {last}"
            );
        }
    }
    let status = link_status(&fb);
    assert_eq!(status["state"], "ok", "{status}");
    assert!(
        status["last_delivery_at"].is_string() && status["last_poll_at"].is_string(),
        "{status}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_stops_the_calls_until_a_new_key_is_given() {
    let platform = Platform::new(KEY);
    platform.upsert(&business(2)).unwrap();
    let url = start_platform(&platform).await;
    let mut fb = Fb::new();
    link_set(&fb, &url, KEY);
    fb.start();
    eventually(30, "the first page stored", || {
        imported(&fb, "customers") == 2
    })
    .await;
    platform.revoke_key();
    // New events (an import) make the link call, and the platform refuses the key.
    fb.import(&serde_json::json!({"customers": [{"id": "C-NEW", "name": "New Customer"}]}));
    eventually(30, "the link notices the refused key", || {
        link_status(&fb)["state"] == "key_refused"
    })
    .await;
    let refused = platform.calls().refused_key;
    tokio::time::sleep(Duration::from_secs(4)).await;
    fb.import(
        &serde_json::json!({"customers": [{"id": "C-NEW2", "name": "Another New Customer"}]}),
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        platform.calls().refused_key,
        refused,
        "no calls with a refused key"
    );
    let problem = link_status(&fb)["last_problem"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(problem.contains("refused FieldBridge's key"), "{problem}");
    platform.set_key("the-new-key-0123456789");
    link_set(&fb, &url, "the-new-key-0123456789");
    eventually(30, "delivery resumes with the new key", || {
        link_status(&fb)["events_pending"] == 0
    })
    .await;
    assert_eq!(link_status(&fb)["state"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_the_import_refuses_is_reported_to_the_platform_and_asked_for_again() {
    let platform = Platform::new(KEY);
    platform
        .upsert(&serde_json::json!({"invoices": [{"id": "I-BAD", "customer_id": "C-NOWHERE", "number": "1",
            "date": "2026-13-01", "lines": [{"description": "x", "amount": "1.00"}]}]}))
        .unwrap();
    let url = start_platform(&platform).await;
    let mut fb = Fb::new();
    link_set(&fb, &url, KEY);
    fb.start();
    eventually(30, "link.rejected delivered", || {
        platform
            .received()
            .sources
            .values()
            .any(|l| l.by_type.contains_key("link.rejected"))
    })
    .await;
    let received = platform.received();
    let rejected = received
        .sources
        .values()
        .next()
        .unwrap()
        .events
        .iter()
        .find(|e| e["type"] == "link.rejected")
        .unwrap()
        .clone();
    let errors = rejected["data"]["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["field"] == "date" && e["id"] == "I-BAD"),
        "{rejected}"
    );
    assert!(
        errors.iter().any(|e| e["field"] == "customer_id"),
        "{rejected}"
    );
    assert_eq!(imported(&fb, "invoices"), 0, "nothing of the page stored");
    let status = link_status(&fb);
    assert_eq!(
        status["changes_cursor"],
        Value::Null,
        "the cursor did not move: {status}"
    );
    assert!(
        status["last_problem"]
            .as_str()
            .unwrap_or_default()
            .contains("cannot accept"),
        "{status}"
    );
    // The platform fixes its data; the next poll (interval 10 s) stores it.
    platform
        .upsert(
            &serde_json::json!({"customers": [{"id": "C-NOWHERE", "name": "Found Customer"}],
            "invoices": [{"id": "I-BAD", "customer_id": "C-NOWHERE", "number": "1",
            "date": "2026-12-01", "lines": [{"description": "x", "amount": "1.00"}]}]}),
        )
        .unwrap();
    eventually(40, "the fixed page stored at the next poll", || {
        imported(&fb, "invoices") == 1
    })
    .await;
    eventually(10, "the problem cleared", || {
        link_status(&fb)["last_problem"].is_null()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_platform_failing_30_percent_and_kill_9_nothing_is_lost_or_duplicated() {
    let platform = Platform::new(KEY);
    let doc = business(60);
    platform.upsert(&doc).unwrap();
    platform.set_faults(Faults {
        retry_after_s: 1,
        ..Faults::flaky(11, 0.3)
    });
    // Small pages: many calls, so failures and kills land between pages too.
    platform.set_page_cap(15);
    let url = start_platform(&platform).await;
    let mut fb = Fb::new();
    fb.map_fixture_items();
    link_set(&fb, &url, KEY);
    let company = company(5);
    // Seeded kill points (ms after start), some during fetching, some during a session.
    let mut rng = 0x5eed_u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for round in 0..6 {
        fb.start();
        if round % 2 == 1 {
            let mut qbwc = fb.driver(&company);
            let run = tokio::spawn(async move { qbwc.run().await });
            tokio::time::sleep(Duration::from_millis(100 + next() % 600)).await;
            fb.kill();
            let _ = run.await;
        } else {
            tokio::time::sleep(Duration::from_millis(200 + next() % 1500)).await;
            fb.kill();
        }
    }
    fb.start();
    eventually(60, "every platform record stored", || {
        imported(&fb, "invoices") == 60
    })
    .await;
    for _ in 0..5 {
        if fb.driver(&company).run().await.expect_completed().is_ok() {
            break;
        }
    }
    assert_all_synced(&fb);
    assert_books_match(&fb, &company, &doc);
    eventually(120, "every event delivered through the failures", || {
        link_status(&fb)["events_pending"] == 0
    })
    .await;
    let received = platform.received();
    let log = received.sources.values().next().unwrap();
    let theirs: Vec<i64> = log.seqs.iter().map(|s| *s as i64).collect();
    assert_eq!(theirs, feed_seqs(&fb), "every seq delivered, none skipped");
    assert_eq!(log.out_of_order, 0);
    let calls = platform.calls();
    assert!(
        calls.injected_503 + calls.injected_drop > 0,
        "the platform did fail: {calls:?}"
    );
    eprintln!("platform calls {calls:?}; repeats {}", log.repeats);
}
