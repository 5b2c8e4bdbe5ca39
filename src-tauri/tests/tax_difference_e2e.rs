//! Issue 10 and issue 17 §1, end to end against the simulated QuickBooks: an invoice that
//! QuickBooks creates with a sales tax total other than the app's expected tax is created
//! (not "Failed"), its history row has its own outcome, and the Sync page's attention list
//! has a card with both amounts and what to check, which a person can dismiss.

mod support;

use fieldbridge::office::attention::cards::{self, CardAction, CardCause};
use fieldbridge::office::history::{self, RecordResult};
use fieldbridge::store::Store;
use serde_json::json;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tax_difference_is_created_shown_apart_and_dismissable() {
    let mut fb = Fb::new();
    fb.import(&json!({
        "customers": [{"id": "C-1", "name": "Taxed Customer", "taxable": true}],
        "invoices": [{"id": "I-1", "customer_id": "C-1", "number": "5001", "date": "2026-10-02",
                      "lines": [{"description": "Filter", "quantity": "4", "rate": "12.50"}],
                      "expected_tax": "4.13"}]
    }));
    fb.map_fixture_items();
    fb.start();
    let company = company(8);
    fb.driver(&company).run().await.expect_completed().unwrap();
    fb.kill();

    let export = fb.json(&["export", "--json"]);
    assert_eq!(
        export["invoices"][0]["state"], "synced",
        "the invoice is in QuickBooks: {export}"
    );
    let store = Store::open(&fb.dir.path().join("fieldbridge.sqlite3")).unwrap();
    let sessions = history::list(&store, 0, 10).unwrap();
    let detail = history::detail(&store, sessions.rows[0].id).unwrap();
    let results: Vec<_> = detail
        .records
        .iter()
        .filter(|r| r.record_id == "I-1")
        .map(|r| r.result)
        .collect();
    assert_eq!(
        results,
        [RecordResult::Created, RecordResult::TaxDifference],
        "created, then worth a look; never a red Failed"
    );

    // IL State is 6.25 %: QuickBooks computes 3.13 on 50.00.
    let all = cards::list_cards(&store).unwrap();
    let tax = all
        .iter()
        .find(|c| c.cause == CardCause::TaxDifference)
        .unwrap_or_else(|| panic!("a card for the difference: {all:#?}"));
    let view = tax.tax.as_ref().unwrap();
    assert_eq!(
        (
            view.invoice_id.as_str(),
            view.expected.as_str(),
            view.quickbooks.as_str()
        ),
        ("I-1", "4.13", "3.13"),
        "both amounts, exactly"
    );
    assert!(tax.title.contains("Invoice 5001"), "{}", tax.title);
    let CardAction::Dismiss { card_id } = tax.actions.last().unwrap().clone() else {
        panic!("the card can be dismissed: {:?}", tax.actions);
    };
    cards::dismiss(&store, &card_id).unwrap();
    assert!(cards::list_cards(&store)
        .unwrap()
        .iter()
        .all(|c| c.cause != CardCause::TaxDifference));
}
