//! Issue 16, vendors and expenses, end to end against the simulated QuickBooks: accounts are
//! read with their type and number; (further tests below) vendors pair like customers and
//! expenses become bills, checks and credit-card charges exactly once.

mod support;

use fieldbridge::store::accounts::{self, AccountType};
use fieldbridge::store::Store;
use serde_json::json;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_are_read_with_their_type_and_number() {
    let mut fb = Fb::new();
    fb.import(&json!({"customers": [{"id": "C-1", "name": "Someone"}]}));
    fb.map_fixture_items();
    fb.start();
    let company = company(16);
    {
        let mut c = company.lock().unwrap();
        c.add_account("Job Materials", "CostOfGoodsSold", Some("5010"))
            .unwrap();
        c.add_account("Company Visa", "CreditCard", Some("2100"))
            .unwrap();
    }
    fb.driver(&company).run().await.expect_completed().unwrap();
    fb.kill();

    let store = Store::open(&fb.dir.path().join("fieldbridge.sqlite3")).unwrap();
    let by = |r: &str| store.read(|c| accounts::by_name_or_number(c, r)).unwrap();
    let materials = by("5010").expect("found by its number");
    assert_eq!(
        (
            materials.full_name.as_str(),
            materials.account_type,
            materials.account_number.as_deref()
        ),
        (
            "Job Materials",
            Some(AccountType::CostOfGoodsSold),
            Some("5010")
        )
    );
    assert_eq!(
        by("company visa").and_then(|a| a.account_type),
        Some(AccountType::CreditCard),
        "found by full name, whatever the case, with its type"
    );
    assert_eq!(
        by("Undeposited Funds").and_then(|a| a.special_account_type),
        Some("UndepositedFunds".to_owned()),
        "the special type is kept"
    );
}

/// The office's expenses, one of each case: see the test below.
fn expenses_doc() -> serde_json::Value {
    json!({
        "customers": [{"id": "C-1", "name": "Ecker Designs"}],
        "projects": [{"id": "P-1", "customer_id": "C-1", "name": "Office Repairs"}],
        "vendors": [
            {"id": "V-1", "name": "Acme Supply"},
            {"id": "V-2", "name": "Baker Electric"},
            {"id": "V-3", "name": "Hilltop Lumber", "company_name": "Hilltop Lumber Inc"},
            {"id": "V-4", "name": "Ecker Designs"}
        ],
        "expenses": [
            {"id": "E-1", "vendor_id": "V-1", "date": "2026-10-04", "number": "INV-5531",
             "customer_id": "C-1", "due_date": "2026-11-03",
             "lines": [{"account": "Job Materials", "amount": "84.20", "billable": true},
                       {"account": "6100", "amount": "15.00"}]},
            {"id": "E-2", "vendor_id": "V-2", "date": "2026-10-05", "project_id": "P-1",
             "paid": true, "paid_from": "Checking",
             "lines": [{"account": "5010", "amount": "40.00", "billable": true}]},
            {"id": "E-3", "vendor_id": "V-2", "date": "2026-10-06", "paid": true,
             "paid_from": "2100", "number": "R-77",
             "lines": [{"account": "Office Supplies", "amount": "22.50"}]},
            {"id": "E-4", "vendor_id": "V-1", "date": "2026-10-07", "paid": true,
             "paid_from": "Job Materials",
             "lines": [{"account": "Office Supplies", "amount": "9.99"}]},
            {"id": "E-5", "vendor_id": "V-1", "date": "2026-10-08",
             "lines": [{"account": "Shop Rent", "amount": "1200.00"}]},
            {"id": "E-6", "vendor_id": "V-1", "date": "2026-01-15",
             "lines": [{"account": "Office Supplies", "amount": "3.00"}]},
            {"id": "E-7", "vendor_id": "V-3", "date": "2026-10-09",
             "lines": [{"account": "Job Materials", "amount": "310.00"}]}
        ]
    })
}

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

fn record<'a>(export: &'a serde_json::Value, kind: &str, id: &str) -> &'a serde_json::Value {
    export[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} in the export: {export}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expenses_become_bills_checks_and_card_charges_with_every_total_in_its_account() {
    let mut fb = Fb::new();
    let doc = expenses_doc();
    fb.import(&doc);
    fb.ok(&["settings", "set", "start-date", "2026-09-01"]);
    fb.start();
    let company = company(16);
    {
        let mut c = company.lock().unwrap();
        c.add_account("Job Materials", "CostOfGoodsSold", Some("5010"))
            .unwrap();
        c.add_account("Office Supplies", "Expense", Some("6100"))
            .unwrap();
        c.add_account("Company Visa", "CreditCard", Some("2100"))
            .unwrap();
        c.add_vendor("Acme Supply").unwrap();
        c.add_vendor("Hill Top Lumber").unwrap();
    }
    fb.driver(&company).run().await.expect_completed().unwrap();
    // A second run sends nothing again (FieldBridge says everything is up to date).
    let _ = fb.driver(&company).run().await;
    fb.kill();

    let c = company.lock().unwrap();
    // Vendors pair as customers do.
    assert_eq!(
        c.count_vendors_named("Acme Supply"),
        1,
        "the exact name linked itself"
    );
    assert_eq!(
        c.count_vendors_named("Baker Electric"),
        1,
        "a new vendor, created once"
    );
    assert_eq!(
        c.count_vendors_named("Hilltop Lumber"),
        0,
        "a near match waits for a person"
    );
    assert_eq!(
        c.count_vendors_named("Ecker Designs"),
        0,
        "never a name QuickBooks already has (a customer's)"
    );
    // Each expense became what it is, once.
    assert_eq!(c.purchase_count(qbsim::PurchaseKind::Bill), 1);
    assert_eq!(c.purchase_count(qbsim::PurchaseKind::Check), 1);
    assert_eq!(c.purchase_count(qbsim::PurchaseKind::CreditCardCharge), 1);
    // Totals by account equal the imported records that went (E-1, E-2, E-3).
    let by_account = c.expense_totals_by_account();
    assert_eq!(by_account.get("Job Materials"), Some(&dec("124.20")));
    assert_eq!(by_account.get("Office Supplies"), Some(&dec("37.50")));
    assert_eq!(by_account.len(), 2, "{by_account:?}");
    let paying = c.purchase_totals_by_paying_account();
    assert_eq!(paying.get("Accounts Payable"), Some(&dec("99.20")));
    assert_eq!(paying.get("Checking"), Some(&dec("40.00")));
    assert_eq!(paying.get("Company Visa"), Some(&dec("22.50")));
    // Billable lines are billable to the customer or job.
    let bill = c
        .purchases()
        .iter()
        .find(|p| p.kind == qbsim::PurchaseKind::Bill)
        .unwrap();
    assert_eq!(bill.ref_number.as_deref(), Some("INV-5531"));
    assert_eq!(bill.lines[0].billable.as_deref(), Some("Billable"));
    assert_eq!(bill.lines[1].billable.as_deref(), Some("NotBillable"));
    let check = c
        .purchases()
        .iter()
        .find(|p| p.kind == qbsim::PurchaseKind::Check)
        .unwrap();
    assert_eq!(
        check.lines[0].customer.as_deref(),
        c.customer("Ecker Designs:Office Repairs")
            .map(|j| j.list_id)
            .as_deref(),
        "billed to the job"
    );
    drop(c);

    let export = fb.json(&["export", "--json"]);
    for id in ["E-1", "E-2", "E-3"] {
        assert_eq!(record(&export, "expenses", id)["state"], "synced", "{id}");
    }
    let problem_in = |state: &str, kind: &str, id: &str| -> String {
        let r = record(&export, kind, id);
        assert_eq!(r["state"], state, "{kind} {id}: {r}");
        format!(
            "{} {}",
            r["problem"].as_str().unwrap_or_default(),
            r["advice"].as_str().unwrap_or_default()
        )
    };
    let problem = |kind: &str, id: &str| problem_in("needs_attention", kind, id);
    let wrong_type = problem("expenses", "E-4");
    assert!(
        wrong_type.contains("\"Job Materials\", which is a cost of goods sold account in QuickBooks, not a bank or credit card account")
            && wrong_type.contains("set paid_from"),
        "{wrong_type}"
    );
    let missing = problem("expenses", "E-5");
    assert!(
        missing.contains("QuickBooks has no account named or numbered \"Shop Rent\"")
            && missing.contains("Chart of Accounts"),
        "{missing}"
    );
    // Held by the start date: its own state, never "needs attention" (issue 15).
    let early = problem_in("before_start_date", "expenses", "E-6");
    assert!(
        early.contains("before the start date (2026-09-01)"),
        "{early}"
    );
    assert!(
        problem("vendors", "V-3").contains("may already be in QuickBooks as \"Hill Top Lumber\""),
        "the near match is named"
    );
    assert!(problem("vendors", "V-4").contains("already has a name \"Ecker Designs\""));
    assert!(
        problem("expenses", "E-7").contains("Hilltop Lumber"),
        "the expense waits on its vendor, named"
    );

    // A person links the near match: its expense goes at the next run, once.
    let vendors = fb.json(&["vendors", "list", "--json"]);
    let v3 = vendors
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "V-3")
        .unwrap();
    let list_id = v3["suggestions"][0]["list_id"].as_str().unwrap().to_owned();
    fb.ok(&["vendors", "link", "V-3", &list_id]);
    fb.start();
    fb.driver(&company).run().await.expect_completed().unwrap();
    fb.kill();
    let c = company.lock().unwrap();
    assert_eq!(c.purchase_count(qbsim::PurchaseKind::Bill), 2);
    assert_eq!(
        c.expense_totals_by_account().get("Job Materials"),
        Some(&dec("434.20"))
    );
    assert_eq!(c.count_vendors_named("Hilltop Lumber"), 0);
}
