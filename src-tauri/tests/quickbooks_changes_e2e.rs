//! A person working in QuickBooks between Web Connector runs, and the very next run picking
//! it all up (issue 11, "QuickBooks to app"): the real `fieldbridge serve` process, qbsim's
//! company and Web Connector, real HTTP. What FieldBridge learned is read where the platform
//! and the office manager read it: `export --json`, the local API's records and its event
//! feed.
//!
//! Runs follow each other within seconds here; FieldBridge answers "none" to a run in the
//! same minute as its last full read when it has nothing to send, so `force_read` stands for
//! the minute a real schedule waits between runs.

mod support;
use qbsim::{Company, TypedLine};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// `GET /api/v1{path}` with the data folder's token, over a plain socket (what curl sends).
fn api_get(fb: &Fb, path: &str) -> Value {
    let token = fb.ok(&["api-token"]).trim().to_owned();
    let mut s = TcpStream::connect(("127.0.0.1", fb.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "GET /api/v1{path} HTTP/1.1\r\nHost: localhost:{}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n",
        fb.port
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let at = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole HTTP answer");
    assert!(
        raw.starts_with(b"HTTP/1.1 200"),
        "{path}: {}",
        String::from_utf8_lossy(&raw)
    );
    serde_json::from_slice(&raw[at + 4..]).expect("JSON")
}

/// Every event after `after` (the feed read page by page, as the platform link reads it).
fn events_after(fb: &Fb, after: i64) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor = after.to_string();
    loop {
        let page = api_get(fb, &format!("/events?after={cursor}&limit=1000"));
        let events = page["events"].as_array().unwrap().clone();
        if events.is_empty() {
            return out;
        }
        cursor = page["next"].as_str().unwrap().to_owned();
        out.extend(events);
    }
}

fn last_seq(fb: &Fb) -> i64 {
    events_after(fb, 0)
        .last()
        .map_or(0, |e| e["seq"].as_i64().unwrap())
}

fn of_type<'a>(events: &'a [Value], t: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == t).collect()
}

fn record<'a>(export: &'a Value, kind: &str, id: &str) -> &'a Value {
    export[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} is exported: {export}"))
}

fn by_qb_id<'a>(export: &'a Value, kind: &str, qb_id: &str) -> Option<&'a Value> {
    export[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["qb_id"] == qb_id)
}

fn labor(qty: &str, rate: &str) -> TypedLine {
    TypedLine {
        item: "Labor".into(),
        desc: Some("Drain cleaning".into()),
        quantity: d(qty),
        rate: d(rate),
    }
}

fn txn_of(export: &Value, id: &str) -> String {
    record(export, "invoices", id)["qb_id"]
        .as_str()
        .expect("in QuickBooks")
        .to_owned()
}

/// The app's books: four customers, three invoices; Delta Diner has none (QuickBooks only
/// deletes a customer without transactions).
fn books() -> Value {
    let invoice = |id: &str, customer: &str, number: &str| {
        json!({"id": id, "customer_id": customer, "number": number, "date": "2026-10-02",
               "due_date": "2026-11-01",
               "lines": [{"description": "Labor", "quantity": "2", "rate": "95.00", "taxable": false}]})
    };
    json!({
        "customers": [
            {"id": "C-1", "name": "Acme Plumbing", "taxable": false},
            {"id": "C-2", "name": "Baker Bros", "taxable": false},
            {"id": "C-3", "name": "Cedar Dental", "taxable": false},
            {"id": "C-4", "name": "Delta Diner", "taxable": false}
        ],
        "invoices": [invoice("I-1", "C-1", "5001"), invoice("I-2", "C-1", "5002"),
                     invoice("I-3", "C-2", "5003")]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_person_does_in_quickbooks_reaches_fieldbridge_at_the_very_next_run() {
    let mut fb = Fb::new();
    fb.import(&books());
    fb.map_fixture_items();
    fb.start();
    let company: Arc<Mutex<Company>> = company(11);
    let mut qbwc = fb.driver(&company);
    qbwc.run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
    let export = fb.json(&["export", "--json"]);
    let (i1, i2, i3) = (
        txn_of(&export, "I-1"),
        txn_of(&export, "I-2"),
        txn_of(&export, "I-3"),
    );
    let first_run_seq = last_seq(&fb);

    // ---- A person in QuickBooks, between runs.
    let (q1, q2) = {
        let mut c = company.lock().unwrap();
        c.add_payment(
            "Acme Plumbing",
            d("190.00"),
            &[(i1.as_str(), d("190.00"))],
            Some("CHK-1"),
        )
        .expect("a payment of I-1 in full");
        let q1 = c
            .create_invoice_in_quickbooks(
                "Acme Plumbing",
                Some("Q-1"),
                chrono::NaiveDate::from_ymd_opt(2027, 1, 15),
                &[labor("3", "95.00")],
            )
            .expect("an invoice typed in QuickBooks");
        let q2 = c
            .create_invoice_in_quickbooks("Baker Bros", Some("Q-2"), None, &[labor("1", "95.00")])
            .unwrap();
        c.void_invoice_in_quickbooks(&i2).expect("I-2 voided");
        c.set_invoice_due_date(&i3, chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())
            .unwrap();
        c.set_invoice_line_rate(&i3, 0, d("100.00"))
            .expect("I-3 now 2 x 100.00");
        c.set_customer_active("Cedar Dental", false);
        c.rename_customer("Baker Bros", "Baker Brothers Bakery")
            .unwrap();
        let delta = c.customer("Delta Diner").unwrap().list_id;
        c.delete_list_object(&delta).expect("Delta Diner deleted");
        (q1, q2)
    };
    // Meanwhile the field app has a new invoice for Cedar Dental.
    fb.import(
        &json!({"invoices": [{"id": "I-4", "customer_id": "C-3", "number": "5004",
        "date": "2026-10-03", "lines": [{"description": "Labor", "amount": "95.00"}]}]}),
    );
    let requests_before = company.lock().unwrap().history().len();

    // ---- The very next run.
    force_read(&fb);
    qbwc.run().await.expect_completed().unwrap();

    let export = fb.json(&["export", "--json"]);
    // An invoice created in QuickBooks: a record of its own, source quickbooks, lines and all.
    let created = by_qb_id(&export, "invoices", &q1).expect("Q-1 is exported");
    assert_eq!(created["source"], "quickbooks", "{created}");
    assert!(created["id"].is_null(), "no app id: {created}");
    assert_eq!(created["customer_id"], "C-1");
    assert_eq!(created["number"], "Q-1");
    assert_eq!(created["due_date"], "2027-01-15");
    assert_eq!(created["total"], "285.00");
    assert_eq!(created["balance"], "285.00");
    assert_eq!(created["state"], "synced");
    assert_eq!(created["lines"][0]["quantity"], "3");
    assert_eq!(created["lines"][0]["rate"], "95.00");
    assert_eq!(created["lines"][0]["amount"], "285.00");
    assert_eq!(created["lines"][0]["description"], "Drain cleaning");
    assert_eq!(created["lines"][0]["item"], "Labor");
    assert!(by_qb_id(&export, "invoices", &q2).is_some(), "Q-2 too");
    // The payment.
    let i1_now = record(&export, "invoices", "I-1");
    assert_eq!(
        (i1_now["balance"].as_str(), i1_now["paid"].as_bool()),
        (Some("0.00"), Some(true)),
        "{i1_now}"
    );
    assert!(export["payments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["source"] == "quickbooks" && p["invoice_id"] == "I-1"));
    // The void.
    let i2_now = record(&export, "invoices", "I-2");
    assert_eq!(i2_now["voided_in_quickbooks"], true, "{i2_now}");
    assert_eq!(i2_now["balance"], "0.00");
    assert_eq!(i2_now["total"], "0.00");
    assert_eq!(
        i2_now["state"], "synced",
        "still in QuickBooks, never re-added"
    );
    // Amount and due date of an unpaid invoice.
    let i3_now = record(&export, "invoices", "I-3");
    assert_eq!(i3_now["due_date"], "2026-12-31", "{i3_now}");
    assert_eq!(i3_now["total"], "200.00");
    assert_eq!(i3_now["balance"], "200.00");
    // The customers.
    let baker = record(&export, "customers", "C-2");
    assert_eq!(baker["state"], "synced", "a rename keeps the link: {baker}");
    assert_eq!(baker["quickbooks_name"], "Baker Brothers Bakery");
    assert!(
        baker["quickbooks_note"]
            .as_str()
            .unwrap()
            .contains("(it was \"Baker Bros\"); still linked"),
        "{baker}"
    );
    let cedar = record(&export, "customers", "C-3");
    assert_eq!(cedar["state"], "needs_attention", "{cedar}");
    assert!(
        cedar["problem"]
            .as_str()
            .unwrap()
            .starts_with("Made inactive in QuickBooks on "),
        "{cedar}"
    );
    assert!(cedar["advice"]
        .as_str()
        .unwrap()
        .contains("make \"Cedar Dental\" active again"));
    let i4 = record(&export, "invoices", "I-4");
    assert_eq!(
        i4["state"], "needs_attention",
        "Cedar's new invoice waits: {i4}"
    );
    let delta = record(&export, "customers", "C-4");
    assert_eq!(delta["state"], "needs_attention", "{delta}");
    assert!(delta["qb_id"].is_null(), "unlinked: {delta}");
    assert!(
        delta["problem"]
            .as_str()
            .unwrap()
            .starts_with("Deleted in QuickBooks on "),
        "{delta}"
    );
    let status = fb.json(&["status", "--json"]);
    assert_eq!(
        status["records"]["customers"]["needs_attention"], 2,
        "Cedar and Delta: {status}"
    );
    {
        let c = company.lock().unwrap();
        assert_eq!(
            c.count_invoices_with_ref("5004"),
            0,
            "nothing sent for Cedar"
        );
        let refused: Vec<_> = c.history()[requests_before..]
            .iter()
            .filter(|r| r.status_code != 0 && r.status_code != 1)
            .collect();
        assert!(
            refused.is_empty(),
            "FieldBridge sent nothing QuickBooks refused: {refused:?}"
        );
        assert_eq!(c.count_customers_named("Delta Diner"), 0, "not re-added");
        assert_eq!(c.count_invoices_with_ref("5002"), 1, "I-2 not re-added");
    }

    // The same facts in the feed, as the platform link delivers them.
    let feed = events_after(&fb, first_run_seq);
    let created_events = of_type(&feed, "invoice.created_in_quickbooks");
    assert_eq!(created_events.len(), 2, "Q-1 and Q-2, once each: {feed:?}");
    let e = created_events
        .iter()
        .find(|e| e["data"]["qb_id"] == q1.as_str())
        .unwrap();
    assert_eq!(e["data"]["customer_id"], "C-1");
    assert_eq!(e["data"]["lines"].as_array().unwrap().len(), 1);
    assert!(of_type(&feed, "payment.received")
        .iter()
        .any(|e| e["id"] == "I-1" && e["data"]["amount"] == "190.00"));
    assert!(of_type(&feed, "invoice.balance_changed")
        .iter()
        .any(|e| e["id"] == "I-1" && e["data"]["paid"] == true));
    let deleted = of_type(&feed, "record.deleted_in_quickbooks");
    assert!(
        deleted
            .iter()
            .any(|e| e["id"] == "I-2" && e["data"]["voided"] == true),
        "the void: {deleted:?}"
    );
    assert!(
        deleted
            .iter()
            .any(|e| e["kind"] == "customers" && e["id"] == "C-4"),
        "Delta Diner: {deleted:?}"
    );
    assert!(of_type(&feed, "invoice.changed_in_quickbooks")
        .iter()
        .any(|e| e["id"] == "I-3"
            && e["data"]["due_date"] == "2026-12-31"
            && e["data"]["total"] == "200.00"));
    assert!(of_type(&feed, "record.needs_attention")
        .iter()
        .any(|e| e["id"] == "C-3" && e["data"]["code"] == "inactive-in-quickbooks"));
    let customer_changes = of_type(&feed, "quickbooks.customer_changed");
    assert!(customer_changes
        .iter()
        .any(|e| e["data"]["full_name"] == "Baker Brothers Bakery"
            && e["data"]["linked_to"] == "C-2"));
    assert!(customer_changes
        .iter()
        .any(|e| e["data"]["full_name"] == "Cedar Dental" && e["data"]["active"] == false));

    // The local API lists QuickBooks' invoices after the app's, paged like payments.
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page = api_get(&fb, &format!("/records/invoices?limit=2{after}"));
        seen.extend(page["records"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => after = format!("&after={next}"),
            None => break,
        }
    }
    let sources: Vec<&str> = seen.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        ["app", "app", "app", "app", "quickbooks", "quickbooks"],
        "every invoice once, the app's first"
    );

    // ---- The person again: the payment was a mistake, Cedar is back, Q-1 partly paid,
    // Q-2 deleted.
    let before_second = last_seq(&fb);
    {
        let mut c = company.lock().unwrap();
        let chk = c
            .payments()
            .into_iter()
            .find(|p| p.ref_number.as_deref() == Some("CHK-1"))
            .unwrap()
            .txn_id;
        c.delete_txn(&chk).expect("the payment deleted");
        c.set_customer_active("Cedar Dental", true);
        c.add_payment(
            "Acme Plumbing",
            d("85.00"),
            &[(q1.as_str(), d("85.00"))],
            None,
        )
        .unwrap();
        c.delete_txn(&q2).expect("Q-2 deleted");
    }
    force_read(&fb);
    qbwc.run().await.expect_completed().unwrap();

    let export = fb.json(&["export", "--json"]);
    let i1_now = record(&export, "invoices", "I-1");
    assert_eq!(
        (i1_now["balance"].as_str(), i1_now["paid"].as_bool()),
        (Some("190.00"), Some(false)),
        "the deleted payment no longer pays it: {i1_now}"
    );
    assert!(
        !export["payments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["reference"] == "CHK-1"),
        "nor is it listed"
    );
    assert_eq!(record(&export, "customers", "C-3")["state"], "synced");
    assert_eq!(
        record(&export, "invoices", "I-4")["state"],
        "synced",
        "what waited went at the same run"
    );
    assert_eq!(
        by_qb_id(&export, "invoices", &q1).unwrap()["balance"],
        "200.00"
    );
    assert!(by_qb_id(&export, "invoices", &q2).is_none(), "Q-2 is gone");
    assert_eq!(company.lock().unwrap().count_invoices_with_ref("5004"), 1);

    let feed = events_after(&fb, before_second);
    let deleted = of_type(&feed, "record.deleted_in_quickbooks");
    assert!(
        deleted
            .iter()
            .any(|e| e["kind"] == "payments" && e["data"]["invoice_id"] == "I-1"),
        "the payment's deletion: {feed:?}"
    );
    assert!(deleted.iter().any(|e| e["kind"] == "invoices"
        && e["data"]["qb_id"] == q2.as_str()
        && e["id"].is_null()));
    assert!(of_type(&feed, "invoice.balance_changed")
        .iter()
        .any(|e| e["id"] == "I-1" && e["data"]["paid"] == false));
    assert!(of_type(&feed, "invoice.changed_in_quickbooks")
        .iter()
        .any(|e| e["data"]["qb_id"] == q1.as_str() && e["data"]["balance"] == "200.00"));
    assert!(of_type(&feed, "record.synced")
        .iter()
        .any(|e| e["id"] == "I-4"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_reading_quickbooks_and_read_again_each_change_is_reported_once() {
    let mut fb = Fb::new();
    fb.import(&books());
    fb.map_fixture_items();
    fb.start();
    let company = company(12);
    fb.driver(&company).run().await.expect_completed().unwrap();
    let export = fb.json(&["export", "--json"]);
    let (i1, i2) = (txn_of(&export, "I-1"), txn_of(&export, "I-2"));
    let before = last_seq(&fb);
    {
        let mut c = company.lock().unwrap();
        c.add_payment(
            "Acme Plumbing",
            d("190.00"),
            &[(i1.as_str(), d("190.00"))],
            None,
        )
        .unwrap();
        c.create_invoice_in_quickbooks("Acme Plumbing", Some("Q-1"), None, &[labor("1", "95.00")])
            .unwrap();
        c.void_invoice_in_quickbooks(&i2).unwrap();
        c.set_customer_active("Cedar Dental", false);
    }
    force_read(&fb);
    // kill -9 while QuickBooks answers the first two batches of the next runs (the reads),
    // then run on: every run after reads the same window of QuickBooks again.
    let shared = Arc::new(Mutex::new(fb));
    let hook = kill_and_restart(&shared);
    let mut qbwc = shared
        .lock()
        .unwrap()
        .driver(&company)
        .with_restart_hook(vec![1, 2], hook);
    for _ in 0..4 {
        qbwc.run().await;
        force_read(&shared.lock().unwrap());
    }
    let fb = shared.lock().unwrap();
    let feed = events_after(&fb, before);
    let count = |t: &str, matches: &dyn Fn(&Value) -> bool| {
        of_type(&feed, t).into_iter().filter(|e| matches(e)).count()
    };
    assert_eq!(
        count("invoice.created_in_quickbooks", &|e| e["data"]["number"]
            == "Q-1"),
        1,
        "{feed:?}"
    );
    assert_eq!(count("payment.received", &|e| e["id"] == "I-1"), 1);
    assert_eq!(
        count("record.deleted_in_quickbooks", &|e| e["id"] == "I-2"),
        1,
        "the void, once"
    );
    assert_eq!(
        count("record.needs_attention", &|e| e["id"] == "C-3"),
        1,
        "Cedar made inactive, once"
    );
    let export = fb.json(&["export", "--json"]);
    let from_qb: Vec<_> = export["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["source"] == "quickbooks")
        .collect();
    assert_eq!(from_qb.len(), 1, "Q-1 once: {export}");
}
