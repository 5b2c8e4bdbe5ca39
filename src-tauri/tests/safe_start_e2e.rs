//! A safe start on an existing company file (issue 15), end to end with the real
//! `fieldbridge serve` and the simulated QuickBooks: held runs read but write nothing, the
//! preview equals what the next run sends, a new folder on a company file with customers
//! starts held, the start date holds every dated kind, and rebind.

mod support;
use qbsim::company::CompanyConfig;
use qbsim::Company;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use support::*;

fn writes(company: &Arc<Mutex<Company>>, from: usize) -> Vec<String> {
    company.lock().unwrap().history()[from..]
        .iter()
        .map(|r| r.request.clone())
        .filter(|r| !r.ends_with("QueryRq"))
        .collect()
}

fn history_len(company: &Arc<Mutex<Company>>) -> usize {
    company.lock().unwrap().history().len()
}

fn state_of(export: &Value, kind: &str, id: &str) -> Value {
    export[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{kind} {id} in the export"))
}

/// A company that already has customers: two with exactly an app customer's name, one
/// with a near name ("Hilltop Bakery"), and many others.
fn existing_company() -> Arc<Mutex<Company>> {
    let company = company(7);
    {
        let mut c = company.lock().unwrap();
        for n in 1..=300 {
            c.add_customer(&format!("Older Client {n:04}"));
        }
        c.add_customer("Customer 00001");
        c.add_customer("Customer 00002");
        c.add_customer("Hilltop Bakery");
    }
    company
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_run_writes_nothing_and_the_release_sends_exactly_the_preview() {
    let mut fb = Fb::new();
    let doc = business(12);
    fb.import(&doc);
    fb.import(&json!({"customers": [
        {"id": "C-H", "name": "Hilltop Bakery Studio", "phone": "(555) 201-3344"}
    ]}));
    fb.map_fixture_items();
    fb.ok(&["settings", "set", "hold-sends", "true"]);
    fb.start();
    let company = existing_company();
    let mut qbwc = fb.driver(&company);

    let held = qbwc.run().await;
    held.expect_completed().unwrap();
    assert!(
        writes(&company, 0).is_empty(),
        "a held run only reads: {:?}",
        writes(&company, 0)
    );
    let last = &fb.json(&["history", "--json"]).as_array().unwrap().clone();
    let session = last.last().unwrap();
    assert!(
        session.to_string().contains("Sending is on hold"),
        "the session says sends are held: {session}"
    );

    let preview = fb.json(&["preview", "--json"]);
    // Nothing was kept by the preview: asked again, it says the same.
    assert_eq!(preview, fb.json(&["preview", "--json"]));
    let records = preview["records"].as_array().unwrap().clone();
    let action = |kind: &str, id: &str| -> Value {
        records
            .iter()
            .find(|r| r["kind"] == kind && r["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{kind} {id} in the preview: {preview}"))
    };
    assert_eq!(action("customers", "C-1")["action"], "link");
    assert_eq!(action("customers", "C-2")["action"], "link");
    assert_eq!(action("customers", "C-4")["action"], "add");
    // The same preview after a held run of nothing sent: still nothing in QuickBooks.
    assert!(writes(&company, 0).is_empty());

    let before = history_len(&company);
    fb.ok(&["settings", "set", "hold-sends", "false"]);
    qbwc.run().await.expect_completed().unwrap();
    let sent = writes(&company, before);
    let adds = sent.iter().filter(|r| r.ends_with("AddRq")).count() as u64;
    let mods = sent.iter().filter(|r| r.ends_with("ModRq")).count() as u64;
    let sum = |field: &str| -> u64 {
        preview
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| *k != "records")
            .map(|(_, c)| c[field].as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        adds,
        sum("add"),
        "adds sent = adds previewed; sent {sent:?}; preview {preview}"
    );
    // An invoice made from a ticket closes the ticket's estimate in the same run (issue 11:
    // EstimateMod IsActive false): a consequence of the invoice's add, not a change the
    // preview lists. At most one per invoice added.
    let closes = sent.iter().filter(|r| *r == "EstimateModRq").count() as u64;
    assert!(closes <= preview["invoices"]["add"].as_u64().unwrap());
    assert_eq!(
        mods - closes,
        sum("change"),
        "changes sent = changes previewed; sent {sent:?}; preview {preview}"
    );
    assert!(adds > 0);
    // Per record: what the preview said is what became of it.
    let export = fb.json(&["export", "--json"]);
    for r in &records {
        let kind = r["kind"].as_str().unwrap();
        let id = r["id"].as_str().unwrap();
        let got = state_of(&export, kind, id);
        match r["action"].as_str().unwrap() {
            "add" | "change" | "link" => assert_eq!(got["state"], "synced", "{r} → {got}"),
            "held" => {
                assert_ne!(got["state"], "synced", "{r} → {got}");
                assert_eq!(got["problem"], r["reason"], "{r} → {got}");
            }
            other => panic!("unknown action {other}"),
        }
    }
    // The near name waits for a person, in both.
    assert_eq!(action("customers", "C-H")["action"], "held");
    assert!(action("customers", "C-H")["reason"]
        .as_str()
        .unwrap()
        .contains("Hilltop Bakery"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_folder_on_a_company_with_customers_starts_held_and_an_empty_one_does_not() {
    let mut fb = Fb::new();
    fb.import(&business(3));
    fb.map_fixture_items();
    fb.ok(&["settings", "set", "hold-new-company-files", "true"]);
    fb.start();
    let company = existing_company();
    fb.driver(&company).run().await.expect_completed().unwrap();
    assert!(
        writes(&company, 0).is_empty(),
        "held at first: {:?}",
        writes(&company, 0)
    );
    let settings = fb.json(&["settings", "--json"]);
    assert_eq!(settings["hold-sends"], true, "{settings}");
    // "Start sending".
    fb.ok(&["settings", "set", "hold-sends", "false"]);
    fb.driver(&company).run().await.expect_completed().unwrap();
    assert!(!writes(&company, 0).is_empty());

    let mut empty_fb = Fb::new();
    empty_fb.import(&business(3));
    empty_fb.map_fixture_items();
    empty_fb.ok(&["settings", "set", "hold-new-company-files", "true"]);
    empty_fb.start();
    let empty = support::company(8);
    empty_fb
        .driver(&empty)
        .run()
        .await
        .expect_completed()
        .unwrap();
    assert!(
        !writes(&empty, 0).is_empty(),
        "an empty company file starts at once"
    );

    // Switched off (the default while the window has no "Start sending" button).
    let mut off = Fb::new();
    off.import(&business(3));
    off.map_fixture_items();
    off.ok(&["settings", "set", "hold-new-company-files", "false"]);
    off.start();
    let company = existing_company();
    off.driver(&company).run().await.expect_completed().unwrap();
    assert!(
        !writes(&company, 0).is_empty(),
        "not held when switched off"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_date_holds_every_dated_kind_and_moving_it_releases_them() {
    let mut fb = Fb::new();
    fb.import(&business(6));
    fb.map_fixture_items();
    fb.ok(&["settings", "set", "start-date", "2026-10-03"]);
    fb.start();
    let company = company(9);
    let mut qbwc = fb.driver(&company);
    qbwc.run().await.expect_completed().unwrap();
    let export = fb.json(&["export", "--json"]);
    // Tickets (10-01), invoices (10-02) are before 10-03: held; payments (10-05) wait for
    // their invoice.
    for (kind, id) in [("service_tickets", "T-1"), ("invoices", "I-1")] {
        let r = state_of(&export, kind, id);
        assert!(
            r["problem"]
                .as_str()
                .unwrap()
                .contains("before the start date"),
            "{r}"
        );
    }
    assert_eq!(state_of(&export, "customers", "C-1")["state"], "synced");
    let sent = writes(&company, 0);
    assert!(sent.iter().all(|r| r.starts_with("Customer")), "{sent:?}");

    // A start date after the payments too: they are held for their own date.
    fb.ok(&["settings", "set", "start-date", "2026-10-06"]);
    let preview = fb.json(&["preview", "--json"]);
    assert_eq!(preview["payments"]["add"], 0, "{preview}");

    fb.ok(&["settings", "set", "start-date", "none"]);
    qbwc.run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_company_file_is_refused_until_rebind_and_another_company_always() {
    let mut fb = Fb::new();
    fb.import(&json!({"customers": [{"id": "C-1", "name": "Ecker Designs"}]}));
    fb.start();
    let company = company(10);
    fb.driver(&company).run().await.expect_completed().unwrap();

    let moved = |fb: &Fb| {
        let mut d = fb.driver(&company);
        d.config_mut().company_file = Some(r"\\SERVER\QB\Simulated Plumbing Co.QBW".into());
        d
    };
    fb.import(&json!({"customers": [{"id": "C-2", "name": "Second Customer"}]}));
    let before = history_len(&company);
    let refused = moved(&fb).run().await;
    assert!(refused.expect_completed().is_err() || writes(&company, before).is_empty());
    assert!(writes(&company, before).is_empty(), "refused before rebind");

    // A different company, even after rebind, is refused.
    fb.ok(&["rebind"]);
    let other = Arc::new(Mutex::new(Company::with_config(CompanyConfig {
        company_name: "Another Company Inc".into(),
        company_file: r"C:\Books\Another.QBW".into(),
        ..CompanyConfig::default()
    })));
    let refused = fb.driver(&other).run().await;
    assert!(
        refused
            .close_message
            .as_deref()
            .is_some_and(|m| m.contains("found none of them")),
        "the Web Connector shows what was checked: {:?}",
        refused.close_message
    );
    assert!(writes(&other, 0).is_empty(), "another company is refused");
    let history = fb.json(&["history", "--json"]).to_string();
    assert!(
        history.contains("Another Company Inc"),
        "history says what was checked: {history}"
    );

    assert!(
        history.contains("found none of them"),
        "history says what was looked for and not found: {history}"
    );

    // The same company name is not enough: a new company file that happens to carry the
    // name holds none of FieldBridge's records, and is refused.
    let words = fb.ok(&["rebind"]);
    assert!(
        words.contains("for 1 customer it sent") && words.contains("ExternalGUID"),
        "rebind says what the next run checks: {words}"
    );
    let twin = Arc::new(Mutex::new(Company::with_config(CompanyConfig {
        company_file: r"C:\Books\Twin.QBW".into(),
        ..CompanyConfig::default()
    })));
    let _ = fb.driver(&twin).run().await;
    assert!(
        writes(&twin, 0).is_empty(),
        "a same-named company without our records is refused"
    );

    // The moved file holds FieldBridge's own customer (its ListID, its ExternalGUID mark):
    // the same company, accepted, and History says what was found.
    fb.ok(&["rebind"]);
    moved(&fb).run().await.expect_completed().unwrap();
    let sent = writes(&company, before);
    assert!(
        sent.iter().any(|r| r == "CustomerAddRq"),
        "accepted after rebind: {sent:?}"
    );
    let sessions = fb.json(&["history", "--json"]);
    let accepted = sessions[0]["id"].as_i64().unwrap().to_string();
    let history = fb
        .json(&["history", "--session", &accepted, "--json"])
        .to_string();
    assert!(
        history.contains("found 1 of the customers")
            && history.contains("1 carrying FieldBridge's own ExternalGUID mark"),
        "history says what was found: {history}"
    );
    // From then on the moved file is the company file: no rebind needed again.
    fb.import(&json!({"customers": [{"id": "C-3", "name": "Third Customer"}]}));
    let before = history_len(&company);
    moved(&fb).run().await.expect_completed().unwrap();
    assert!(writes(&company, before)
        .iter()
        .any(|r| r == "CustomerAddRq"));
}
