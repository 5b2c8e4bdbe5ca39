//! Summary mode and deposits end to end (issue 16): the real `fieldbridge serve`, the
//! simulated QuickBooks and Web Connector from `qbsim` (every request checked against the
//! qbXML 13.0 schema). What QuickBooks ends up with is compared with the imported records:
//! each account's journal total equals the sum of the invoice lines carrying it, sales tax,
//! receivables and Undeposited Funds to the cent; each period is posted once; late records go
//! into an adjusting entry; payments reach the bank in one deposit a day.

mod support;
use qbsim::Company;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use support::*;

/// The QuickBooks customer the summarized sales are owed by.
const SUMMARY_CUSTOMER: &str = "Field Sales";

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .expect("a decimal string")
        .parse()
        .expect("a decimal")
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A data folder in summary mode, items mapped, paying into Checking.
fn summary_folder(deposit: bool) -> Fb {
    let fb = Fb::new();
    fb.map_fixture_items();
    // The company already holds the summary customer: without this the first run would wait
    // for a person to look at the preview (issue 15, `safe_start_e2e.rs`).
    fb.ok(&["settings", "set", "hold-new-company-files", "false"]);
    fb.ok(&["settings", "set", "mode", "summary"]);
    fb.ok(&["settings", "set", "summary-customer", SUMMARY_CUSTOMER]);
    if deposit {
        fb.ok(&["settings", "set", "deposit-account", "Checking"]);
    }
    fb
}

/// The fixture company with the summary customer, an "Installation" income account (number
/// 4100) named by invoice lines, and "Parts Income" as the income account of the water heater
/// item.
fn summary_company(seed: u64) -> Arc<Mutex<Company>> {
    let company = company(seed);
    {
        let mut c = company.lock().unwrap();
        c.add_customer(SUMMARY_CUSTOMER);
        // Numbered: some lines name it by its account number.
        c.add_account("Installation", "Income", Some("4100"))
            .expect("an income account");
        c.add_income_account("Parts Income");
        assert!(c.set_item_income_account("Parts:Water Heater 40gal", "Parts Income"));
    }
    company
}

/// What QuickBooks' journal totals should be (credits minus debits, by account) for the
/// imported `doc`: every line to its account (its own, else its item's, else the mapped
/// Labor item's "Services"), sales tax at IL State's 6.25% on the taxable lines rounded per
/// invoice, the whole owed on Accounts Receivable; payments from Accounts Receivable to
/// Undeposited Funds.
fn expected_totals(doc: &Value) -> BTreeMap<String, Decimal> {
    let taxable_customer: BTreeMap<&str, bool> = doc["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["taxable"].as_bool().unwrap_or(true),
            )
        })
        .collect();
    let mut out: BTreeMap<String, Decimal> = BTreeMap::new();
    for inv in doc["invoices"].as_array().unwrap() {
        let mut taxable = Decimal::ZERO;
        let mut owed = Decimal::ZERO;
        for l in inv["lines"].as_array().unwrap() {
            let amount = cents(match l.get("amount") {
                Some(a) => dec(a),
                None => dec(&l["quantity"]) * dec(&l["rate"]),
            });
            let account = match (l.get("account"), l.get("item").and_then(Value::as_str)) {
                (Some(a), _) if a == "4100" => "Installation".to_owned(),
                (Some(a), _) => a.as_str().unwrap().to_owned(),
                (None, Some("Parts:Water Heater 40gal")) => "Parts Income".to_owned(),
                _ => "Services".to_owned(),
            };
            *out.entry(account).or_default() += amount;
            owed += amount;
            let customer = inv["customer_id"].as_str().unwrap();
            if l["taxable"].as_bool().unwrap_or(taxable_customer[customer]) {
                taxable += amount;
            }
        }
        let tax = cents(taxable * Decimal::new(625, 4));
        *out.entry("Sales Tax Payable".into()).or_default() += tax;
        *out.entry("Accounts Receivable".into()).or_default() -= owed + tax;
    }
    for p in doc["payments"].as_array().unwrap() {
        *out.entry("Accounts Receivable".into()).or_default() += dec(&p["amount"]);
        *out.entry("Undeposited Funds".into()).or_default() -= dec(&p["amount"]);
    }
    out.retain(|_, v| !v.is_zero());
    out
}

/// The business of `support::business`, with some lines naming their own account and some
/// selling the water heater (an item with its own income account).
fn accounting_business(customers: usize) -> Value {
    let mut doc = business(customers);
    for (n, inv) in doc["invoices"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        let lines = inv["lines"].as_array_mut().unwrap();
        if n % 2 == 0 {
            // By full name, or (every fourth) by account number.
            let account = if n % 4 == 0 { "4100" } else { "Installation" };
            lines.push(json!({"description": "Install", "amount": "80.00", "account": account, "taxable": false}));
        }
        if n % 3 == 0 {
            lines.push(json!({"description": "Water heater", "quantity": "1", "rate": "650.00", "item": "Parts:Water Heater 40gal", "taxable": true}));
        }
    }
    doc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summary_mode_posts_one_balanced_entry_per_day_with_totals_equal_to_the_records() {
    let mut fb = summary_folder(true);
    let doc = accounting_business(30);
    fb.import(&doc);
    fb.start();
    let company = summary_company(7);
    let report = fb.driver(&company).run().await;
    report
        .expect_completed()
        .expect("one Web Connector run sends the summaries");
    assert_all_synced(&fb);
    let c = company.lock().unwrap();
    assert_eq!(c.invoice_count(), 0, "summary mode sends no invoice");
    assert_eq!(c.payment_count(), 0, "nor a payment of its own");
    let entries = c.journal_entries();
    let refs: Vec<_> = entries
        .iter()
        .map(|e| e.ref_number.clone().unwrap())
        .collect();
    assert_eq!(
        refs,
        vec!["FB261002I".to_owned(), "FB261005P".to_owned()],
        "the invoices of 2026-10-02 in one entry, the payments of 2026-10-05 in another"
    );
    for e in &entries {
        let debits: Decimal = e.lines.iter().filter(|l| l.0).map(|l| l.2).sum();
        let credits: Decimal = e.lines.iter().filter(|l| !l.0).map(|l| l.2).sum();
        assert_eq!(debits, credits, "balanced to the cent: {e:?}");
        for (_, account, _, customer) in &e.lines {
            if account == "Accounts Receivable" {
                assert_eq!(
                    customer.as_deref(),
                    Some(SUMMARY_CUSTOMER),
                    "A/R carries the customer"
                );
            }
        }
    }
    assert_eq!(
        c.journal_totals(),
        expected_totals(&doc),
        "every account's total equals the imported records"
    );
    let deposits = c.deposits();
    let paid: Decimal = doc["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| dec(&p["amount"]))
        .sum();
    assert_eq!(
        deposits.len(),
        1,
        "one deposit for the day's payments: {deposits:?}"
    );
    assert_eq!(deposits[0].account, "Checking");
    assert_eq!(
        deposits[0].total, paid,
        "everything in Undeposited Funds reaches the bank"
    );
    assert_eq!(
        deposits[0].sources,
        vec![(entries[1].txn_id.clone(), deposits[0].sources[0].1.clone())],
        "the deposit takes the payments entry's Undeposited Funds line"
    );
    assert!(deposits[0].sources[0].1.is_some(), "named by its TxnLineID");
    drop(c);

    // The mode is fixed now: the same sales must not reach QuickBooks a second way.
    let out = fb.cli(&["settings", "set", "mode", "full"]);
    assert!(!out.status.success(), "switching after a sync is refused");
    let words = String::from_utf8_lossy(&out.stderr);
    assert!(words.contains("already sent records"), "says why: {words}");
    assert_eq!(fb.json(&["settings", "--json"])["mode"], "summary");

    // A second run sends nothing again.
    let before = company.lock().unwrap().history().len();
    fb.driver(&company).run().await;
    let c = company.lock().unwrap();
    let adds: Vec<_> = c.history()[before..]
        .iter()
        .filter(|r| r.request.ends_with("AddRq"))
        .collect();
    assert!(adds.is_empty(), "nothing posted twice: {adds:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_invoice_for_a_posted_day_goes_into_an_adjusting_entry_never_a_second_copy() {
    let mut fb = summary_folder(false);
    let doc = accounting_business(6);
    fb.import(&doc);
    fb.start();
    let company = summary_company(8);
    fb.driver(&company).run().await.expect_completed().unwrap();

    // The next day the field-service app sends one more invoice dated 2026-10-02.
    let late = json!({"invoices": [{
        "id": "I-LATE", "customer_id": "C-1", "number": "19999", "date": "2026-10-02",
        "lines": [{"description": "Forgotten part", "amount": "40.00", "account": "Installation", "taxable": false}]
    }]});
    fb.import(&late);
    force_read(&fb);
    fb.driver(&company).run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
    let c = company.lock().unwrap();
    let entries = c.journal_entries();
    let refs: Vec<_> = entries
        .iter()
        .map(|e| e.ref_number.clone().unwrap())
        .collect();
    assert_eq!(
        refs,
        vec!["FB261002I", "FB261005P", "FB261002I1"],
        "the posted day is left alone; the late invoice is in adjusting entry 1"
    );
    let adjusting = &entries[2];
    assert!(adjusting
        .memo
        .as_deref()
        .unwrap()
        .contains("adjusting entry 1"));
    let installation: Decimal = adjusting
        .lines
        .iter()
        .filter(|l| l.1 == "Installation")
        .map(|l| l.2)
        .sum();
    assert_eq!(
        installation,
        Decimal::new(4000, 2),
        "only the late invoice's line"
    );
    let mut all = doc.clone();
    all["invoices"]
        .as_array_mut()
        .unwrap()
        .push(late["invoices"][0].clone());
    assert_eq!(
        c.journal_totals(),
        expected_totals(&all),
        "totals still equal the records"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_mode_payments_go_to_undeposited_funds_and_are_deposited_once_a_day() {
    let mut fb = Fb::new();
    fb.map_fixture_items();
    fb.ok(&["settings", "set", "deposit-account", "Checking"]);
    let mut doc = business(9);
    // Two days of payments: 2026-10-05 (from business) and 2026-10-06.
    doc["payments"].as_array_mut().unwrap().push(json!({
        "id": "PAY-X", "invoice_id": "I-1", "date": "2026-10-06", "amount": "20.00", "method": "Cash"
    }));
    fb.import(&doc);
    fb.start();
    let company = company(9);
    fb.driver(&company).run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
    let c = company.lock().unwrap();
    assert_eq!(
        c.payment_count(),
        4,
        "full mode: a ReceivePayment per payment"
    );
    for p in c.payments() {
        assert_eq!(p.deposit_to, "Undeposited Funds", "{p:?}");
    }
    let deposits = c.deposits();
    assert_eq!(
        deposits
            .iter()
            .map(|d| (d.txn_date.to_string(), d.total))
            .collect::<Vec<_>>(),
        vec![
            ("2026-10-05".to_owned(), Decimal::new(15000, 2)),
            ("2026-10-06".to_owned(), Decimal::new(2000, 2))
        ],
        "one deposit a day, each with that day's payments"
    );
    assert_eq!(deposits[0].sources.len(), 3);
    drop(c);
    let before = company.lock().unwrap().history().len();
    fb.driver(&company).run().await;
    let c = company.lock().unwrap();
    assert!(
        c.history()[before..]
            .iter()
            .all(|r| r.request != "DepositAddRq"),
        "a payment is deposited once"
    );
}

/// Benchmark (figure in docs/evidence.md, "Summarized journal entries"): a month of 10,000
/// invoices, summarized in at most 31 journal entries, sent in one Web Connector session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_of_ten_thousand_invoices_is_31_entries_in_one_session() {
    let mut fb = summary_folder(false);
    let customers: Vec<Value> = (1..=200)
        .map(|n| json!({"id": format!("C-{n}"), "name": format!("Client {n:04}"), "taxable": n % 2 == 0}))
        .collect();
    let invoices: Vec<Value> = (0..10_000)
        .map(|n| {
            json!({
                "id": format!("I-{n}"), "customer_id": format!("C-{}", 1 + n % 200),
                "number": format!("{}", 100_000 + n),
                "date": format!("2026-10-{:02}", 1 + n % 31),
                "lines": [
                    {"description": "Labor", "quantity": "1.5", "rate": "95.00"},
                    {"description": "Install", "amount": format!("{}.{:02}", 10 + n % 90, n % 100), "account": "Installation", "taxable": false}
                ]
            })
        })
        .collect();
    let doc = json!({"customers": customers, "invoices": invoices, "payments": []});
    let t = std::time::Instant::now();
    fb.import(&doc);
    let imported = t.elapsed();
    fb.start();
    let company = summary_company(10);
    let t = std::time::Instant::now();
    let report = fb.driver(&company).run().await;
    let synced = t.elapsed();
    report
        .expect_completed()
        .expect("the month goes in one Web Connector session");
    assert_all_synced(&fb);
    let c = company.lock().unwrap();
    let entries = c.journal_entries();
    assert!(
        entries.len() <= 31,
        "at most one entry a day: {}",
        entries.len()
    );
    assert_eq!(entries.len(), 31, "October has 31 days with invoices");
    let mut doc_for_totals = doc.clone();
    doc_for_totals["payments"] = json!([]);
    assert_eq!(c.journal_totals(), expected_totals(&doc_for_totals));
    let je_round_trips = c
        .history()
        .iter()
        .filter(|r| r.request == "JournalEntryAddRq")
        .count();
    println!(
        "BENCH summary month: 10,000 invoices, {} journal entries in 1 session, {} round trips in all; import {:.2} s, sync {:.2} s (debug build)",
        entries.len(),
        report.round_trips,
        imported.as_secs_f64(),
        synced.as_secs_f64()
    );
    assert_eq!(je_round_trips, 31);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_summary_customer_nothing_is_summarized_and_the_records_say_what_to_do() {
    let mut fb = Fb::new();
    fb.map_fixture_items();
    fb.ok(&["settings", "set", "hold-new-company-files", "false"]);
    fb.ok(&["settings", "set", "mode", "summary"]);
    let doc = accounting_business(3);
    fb.import(&doc);
    fb.start();
    let company = summary_company(11);
    fb.driver(&company).run().await;
    assert_eq!(
        company.lock().unwrap().journal_entry_count(),
        0,
        "nothing is posted half-configured"
    );
    let export = fb.json(&["export", "--json"]);
    for inv in export["invoices"].as_array().unwrap() {
        assert_eq!(inv["state"], "needs_attention", "{inv}");
        let words = inv["problem"].as_str().unwrap_or_default();
        assert!(
            words.contains("no summary customer is chosen"),
            "plain English naming the cause: {words}"
        );
    }
    // The office manager chooses it; the next run summarizes.
    fb.ok(&["settings", "set", "summary-customer", SUMMARY_CUSTOMER]);
    fb.driver(&company).run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
    assert_eq!(company.lock().unwrap().journal_entry_count(), 2);
}
