//! Issue 16, expenses after they reached QuickBooks, end to end against the simulated
//! QuickBooks through the Web Connector: they follow the rules of invoices.
//!
//! - edits in the app (an amount, a new line, a memo) go as BillMod / CheckMod /
//!   CreditCardChargeMod on QuickBooks' lines, once, with the totals by account right;
//! - a save in QuickBooks of fields FieldBridge does not send (EditSequence moved) is re-read
//!   and the change goes again; the same field changed on both sides waits for a person, with
//!   both values, and `fieldbridge resolve expense ...` settles it either way;
//! - an expense voided in the app is voided in QuickBooks (never sent: not sent at all), once;
//! - what QuickBooks cannot take waits with advice: a bill paid there, a bill the app now
//!   says was paid (a check), a check moved to a credit card.

mod support;

use qbsim::{Company, PurchaseKind};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use support::*;

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

/// One bill (two lines, one billable), one check, one card charge.
fn books() -> Value {
    json!({
        "customers": [{"id": "C-1", "name": "Ecker Designs"}],
        "vendors": [{"id": "V-1", "name": "Acme Supply"}],
        "expenses": [
            {"id": "E-1", "vendor_id": "V-1", "date": "2026-10-04", "number": "INV-5531",
             "memo": "Filters", "customer_id": "C-1", "due_date": "2026-11-03",
             "lines": [{"account": "Job Materials", "amount": "84.20", "billable": true,
                        "description": "Filters"},
                       {"account": "6100", "amount": "15.00", "description": "Tape"}]},
            {"id": "E-2", "vendor_id": "V-1", "date": "2026-10-05", "paid": true,
             "paid_from": "Checking",
             "lines": [{"account": "Office Supplies", "amount": "40.00"}]},
            {"id": "E-3", "vendor_id": "V-1", "date": "2026-10-06", "paid": true,
             "paid_from": "2100",
             "lines": [{"account": "Office Supplies", "amount": "22.50"}]}
        ]
    })
}

fn company_with_accounts(seed: u64) -> Arc<Mutex<Company>> {
    let company = company(seed);
    {
        let mut c = company.lock().unwrap();
        c.add_account("Job Materials", "CostOfGoodsSold", Some("5010"))
            .unwrap();
        c.add_account("Office Supplies", "Expense", Some("6100"))
            .unwrap();
        c.add_account("Company Visa", "CreditCard", Some("2100"))
            .unwrap();
    }
    company
}

async fn first_sync(
    fb: &mut Fb,
    company: &Arc<Mutex<Company>>,
    doc: &Value,
) -> qbsim::driver::WebConnector {
    fb.import(doc);
    fb.ok(&["settings", "set", "start-date", "2026-09-01"]);
    fb.start();
    let mut qbwc = fb.driver(company);
    qbwc.run()
        .await
        .expect_completed()
        .expect("the first sync finishes");
    qbwc
}

fn record<'a>(export: &'a Value, kind: &str, id: &str) -> &'a Value {
    export[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} in the export: {export}"))
}

fn qb_id(fb: &Fb, id: &str) -> String {
    let export = fb.json(&["export", "--json"]);
    record(&export, "expenses", id)["qb_id"]
        .as_str()
        .unwrap_or_else(|| panic!("expense {id} has a QuickBooks id"))
        .to_owned()
}

/// The requests that change or void what QuickBooks has, with their status, from `from` on.
fn changes(c: &Company, from: usize) -> Vec<String> {
    c.history()[from..]
        .iter()
        .filter(|r| r.request.ends_with("ModRq") || r.request == "TxnVoidRq")
        .map(|r| format!("{} {}", r.request, r.status_code))
        .collect()
}

fn adds(c: &Company) -> usize {
    c.history()
        .iter()
        .filter(|r| r.request.ends_with("AddRq") && r.request != "VendorAddRq")
        .count()
}

fn problem_of(fb: &Fb, id: &str) -> String {
    let export = fb.json(&["export", "--json"]);
    let r = record(&export, "expenses", id);
    assert_eq!(r["state"], "needs_attention", "expense {id}: {r}");
    format!(
        "{} {}",
        r["problem"].as_str().unwrap_or_default(),
        r["advice"].as_str().unwrap_or_default()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expenses_edited_in_the_app_reach_quickbooks_as_mods_on_their_own_lines() {
    let mut fb = Fb::new();
    let company = company_with_accounts(31);
    let mut qbwc = first_sync(&mut fb, &company, &books()).await;
    assert_all_synced(&fb);
    let (bill, check, charge) = (qb_id(&fb, "E-1"), qb_id(&fb, "E-2"), qb_id(&fb, "E-3"));
    let (bill_lines_before, adds_before, history_before) = {
        let c = company.lock().unwrap();
        let lines: Vec<String> = c
            .purchase(&bill)
            .unwrap()
            .lines
            .iter()
            .map(|l| l.txn_line_id.clone())
            .collect();
        (lines, adds(&c), c.history().len())
    };

    // The office corrects the bill (an amount, a new line, the memo) and the check's memo.
    let mut doc = books();
    doc["expenses"][0]["lines"][0]["amount"] = json!("90.00");
    doc["expenses"][0]["lines"]
        .as_array_mut()
        .unwrap()
        .push(json!({"account": "Office Supplies", "amount": "5.00", "description": "Gloves"}));
    doc["expenses"][0]["memo"] = json!("Filters and fittings");
    doc["expenses"][1]["memo"] = json!("Paid at the counter");
    fb.import(&doc);
    qbwc.run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
    {
        let c = company.lock().unwrap();
        assert_eq!(
            changes(&c, history_before),
            vec!["BillModRq 0".to_owned(), "CheckModRq 0".to_owned()],
            "each change once, as the mod of its kind; the unchanged charge is not sent"
        );
        assert_eq!(adds(&c), adds_before, "nothing added again");
        let b = c.purchase(&bill).unwrap();
        assert_eq!(b.memo.as_deref(), Some("Filters and fittings"));
        assert_eq!(b.total(), dec("110.00"));
        assert_eq!(
            b.lines[..2]
                .iter()
                .map(|l| l.txn_line_id.clone())
                .collect::<Vec<_>>(),
            bill_lines_before,
            "the changed line and the unchanged one stay QuickBooks' own lines"
        );
        assert!(
            !bill_lines_before.contains(&b.lines[2].txn_line_id),
            "the new line is a new QuickBooks line"
        );
        assert_eq!(
            b.lines[0].billable.as_deref(),
            Some("Billable"),
            "still billable to the customer"
        );
        assert_eq!(
            c.purchase(&check).unwrap().memo.as_deref(),
            Some("Paid at the counter")
        );
        let by_account = c.expense_totals_by_account();
        assert_eq!(by_account.get("Job Materials"), Some(&dec("90.00")));
        assert_eq!(
            by_account.get("Office Supplies"),
            Some(&dec("82.50")),
            "15.00 + 5.00 on the bill, 40.00 on the check, 22.50 on the charge"
        );
    }

    // Nothing changed since: nothing is sent.
    let before = company.lock().unwrap().history().len();
    qbwc.run().await;
    assert_eq!(
        changes(&company.lock().unwrap(), before),
        Vec::<String>::new(),
        "nothing sent twice"
    );

    // A person saves the charge in QuickBooks (fields FieldBridge does not send) while the
    // office changes its amount: re-read, and FieldBridge's change goes on the new
    // EditSequence.
    assert!(company.lock().unwrap().save_purchase_unchanged(&charge));
    doc["expenses"][2]["lines"][0]["amount"] = json!("25.00");
    fb.import(&doc);
    let before = company.lock().unwrap().history().len();
    qbwc.run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
    let c = company.lock().unwrap();
    assert_eq!(
        changes(&c, before),
        vec![
            "CreditCardChargeModRq 3200".to_owned(),
            "CreditCardChargeModRq 0".to_owned()
        ],
        "refused as out of date, re-read, sent again"
    );
    assert_eq!(c.purchase(&charge).unwrap().total(), dec("25.00"));
    assert_eq!(
        c.purchase_totals_by_paying_account().get("Company Visa"),
        Some(&dec("25.00"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_expense_field_changed_on_both_sides_waits_and_resolve_settles_it() {
    let mut fb = Fb::new();
    let company = company_with_accounts(32);
    let mut qbwc = first_sync(&mut fb, &company, &books()).await;
    assert_all_synced(&fb);
    let (bill, check) = (qb_id(&fb, "E-1"), qb_id(&fb, "E-2"));
    {
        let mut c = company.lock().unwrap();
        assert!(c.edit_purchase_memo(&bill, "Call Acme first"));
        assert!(c.edit_purchase_memo(&check, "Counter sale"));
    }
    let mut doc = books();
    doc["expenses"][0]["memo"] = json!("Filters, returned one");
    doc["expenses"][1]["memo"] = json!("Paid in cash");
    fb.import(&doc);
    qbwc.run().await;

    for (id, theirs, ours) in [
        ("E-1", "Call Acme first", "Filters, returned one"),
        ("E-2", "Counter sale", "Paid in cash"),
    ] {
        let problem = problem_of(&fb, id);
        assert!(
            problem.contains(&format!("memo is \"{theirs}\" in QuickBooks"))
                && problem.contains(&format!("\"{ours}\" in FieldBridge"))
                && problem.contains(&format!("fieldbridge resolve expense {id}")),
            "both values, in plain English, and the command: {problem}"
        );
    }
    {
        let c = company.lock().unwrap();
        assert_eq!(
            c.purchase(&bill).unwrap().memo.as_deref(),
            Some("Call Acme first"),
            "nothing overwritten"
        );
    }

    // Send FieldBridge's for the bill, keep QuickBooks' for the check.
    fb.ok(&["resolve", "expense", "E-1", "send-fieldbridge"]);
    fb.ok(&["resolve", "expense", "E-2", "keep-quickbooks"]);
    let wrong = fb.cli(&["resolve", "expense", "E-3", "send-fieldbridge"]);
    assert!(
        !wrong.status.success(),
        "only a conflict is resolved this way"
    );
    let before = company.lock().unwrap().history().len();
    qbwc.run().await.expect_completed().unwrap();
    let c = company.lock().unwrap();
    assert_eq!(
        changes(&c, before),
        vec!["BillModRq 0".to_owned()],
        "one mod, on the new EditSequence"
    );
    assert_eq!(
        c.purchase(&bill).unwrap().memo.as_deref(),
        Some("Filters, returned one"),
        "FieldBridge's sent"
    );
    assert_eq!(
        c.purchase(&check).unwrap().memo.as_deref(),
        Some("Counter sale"),
        "QuickBooks' kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voided_expenses_are_voided_once_and_paid_ones_wait_with_advice() {
    let mut fb = Fb::new();
    let company = company_with_accounts(33);
    let mut doc = books();
    let more = doc["expenses"].as_array_mut().unwrap();
    // E-4: a bill a person pays in QuickBooks. E-5: a bill the app later says was paid.
    // E-6: void before it was ever sent.
    more.push(
        json!({"id": "E-4", "vendor_id": "V-1", "date": "2026-10-07",
        "lines": [{"account": "Office Supplies", "amount": "60.00"}]}),
    );
    more.push(
        json!({"id": "E-5", "vendor_id": "V-1", "date": "2026-10-08",
        "lines": [{"account": "Office Supplies", "amount": "12.00"}]}),
    );
    more.push(
        json!({"id": "E-6", "vendor_id": "V-1", "date": "2026-10-09", "void": true,
        "lines": [{"account": "Office Supplies", "amount": "7.00"}]}),
    );
    let mut qbwc = first_sync(&mut fb, &company, &doc).await;
    {
        let c = company.lock().unwrap();
        assert_eq!(
            c.purchase_count(PurchaseKind::Bill),
            3,
            "E-1, E-4, E-5: the void E-6 is not sent"
        );
        assert_eq!(c.purchase_count(PurchaseKind::Check), 1);
    }
    let export = fb.json(&["export", "--json"]);
    let e6 = record(&export, "expenses", "E-6");
    assert!(e6["qb_id"].is_null(), "never sent: {e6}");
    assert_eq!(e6["void"], true, "the export says it is void: {e6}");
    assert_eq!(record(&export, "expenses", "E-1")["void"], false);
    let (check, paid_bill, e5) = (qb_id(&fb, "E-2"), qb_id(&fb, "E-4"), qb_id(&fb, "E-5"));

    // The office voids the check, changes the bill QuickBooks has meanwhile paid, says E-5
    // was paid by check after all, and moves the card charge E-3 to the bank.
    assert!(company.lock().unwrap().pay_bill(&paid_bill));
    doc["expenses"][1]["void"] = json!(true);
    doc["expenses"][3]["lines"][0]["amount"] = json!("65.00");
    doc["expenses"][4]["paid"] = json!(true);
    doc["expenses"][4]["paid_from"] = json!("Checking");
    doc["expenses"][2]["paid_from"] = json!("Checking");
    fb.import(&doc);
    let before = company.lock().unwrap().history().len();
    qbwc.run().await;
    {
        let c = company.lock().unwrap();
        assert!(c.is_purchase_voided(&check), "the check is voided");
        assert_eq!(
            changes(&c, before),
            vec!["TxnVoidRq 0".to_owned()],
            "the void only: the pull read the bill paid, so its change was held before it was \
             sent, and the kinds that changed were never sent"
        );
        assert_eq!(
            c.purchase(&paid_bill).unwrap().total(),
            dec("60.00"),
            "the paid bill is as QuickBooks has it"
        );
        assert_eq!(c.purchase(&e5).unwrap().kind, PurchaseKind::Bill);
        assert_eq!(c.purchase_count(PurchaseKind::Check), 1, "no check added");
    }
    let export = fb.json(&["export", "--json"]);
    assert_eq!(record(&export, "expenses", "E-2")["state"], "synced");
    let paid = problem_of(&fb, "E-4");
    assert!(
        paid.contains("the bill was paid in QuickBooks") && paid.contains("Pay Bills"),
        "{paid}"
    );
    let became_paid = problem_of(&fb, "E-5");
    assert!(
        became_paid.contains("is a bill in QuickBooks")
            && became_paid.contains("now makes it a check")
            && became_paid.contains("paid in QuickBooks' Pay Bills")
            && became_paid.contains("does not turn a bill into a check"),
        "{became_paid}"
    );
    let moved = problem_of(&fb, "E-3");
    assert!(
        moved.contains("is a credit card charge in QuickBooks")
            && moved.contains("now makes it a check"),
        "{moved}"
    );

    // The next run sends nothing again.
    let before = company.lock().unwrap().history().len();
    qbwc.run().await;
    assert_eq!(
        changes(&company.lock().unwrap(), before),
        Vec::<String>::new(),
        "the void is not sent twice, and what waits stays waiting"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bill_paid_in_quickbooks_while_its_change_is_on_the_way_is_re_read_and_held() {
    let mut fb = Fb::new();
    let company = company_with_accounts(34);
    let _ = first_sync(&mut fb, &company, &books()).await;
    assert_all_synced(&fb);
    let bill = qb_id(&fb, "E-1");
    let mut doc = books();
    doc["expenses"][0]["lines"][1]["amount"] = json!("18.00");
    fb.import(&doc);
    // The person pays the bill in Pay Bills after FieldBridge read QuickBooks (round trip 1,
    // the pull) and before its BillMod arrives.
    let payer = Arc::clone(&company);
    let paid_bill = bill.clone();
    let before = company.lock().unwrap().history().len();
    let mut qbwc = fb.driver(&company).with_restart_hook(
        vec![1],
        Box::new(move |_| {
            assert!(
                payer.lock().unwrap().pay_bill(&paid_bill),
                "the bill exists"
            );
            Box::pin(async { None })
        }),
    );
    qbwc.run().await;
    let c = company.lock().unwrap();
    assert_eq!(
        changes(&c, before),
        vec!["BillModRq 3200".to_owned()],
        "refused as out of date, re-read (IsPaid), and not sent again"
    );
    assert!(
        c.history()[before..]
            .iter()
            .any(|r| r.request == "BillQueryRq"
                && r.request_id
                    .as_deref()
                    .is_some_and(|id| id.starts_with("reread"))
                && r.status_code == 0),
        "the re-read asked for the bill (not only the pull)"
    );
    assert_eq!(
        c.purchase(&bill).unwrap().total(),
        dec("99.20"),
        "unchanged"
    );
    drop(c);
    let paid = problem_of(&fb, "E-1");
    assert!(
        paid.contains("the bill was paid in QuickBooks") && paid.contains("Pay Bills"),
        "{paid}"
    );
}
