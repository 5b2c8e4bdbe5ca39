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
