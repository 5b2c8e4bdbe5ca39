//! Changes after the first sync, end to end (issue 11, "App to QuickBooks"): the real
//! `fieldbridge serve`, the simulated QuickBooks and Web Connector from `qbsim`, real HTTP,
//! every request validated against the qbXML 13.0 schema by the driver.
//!
//! - every kind edited in the app reaches QuickBooks as a *Mod, compared field by field, with
//!   QuickBooks' line history kept (unchanged lines keep their TxnLineIDs);
//! - an invoice made from a ticket closes the ticket's estimate and holds exactly its lines;
//! - conflicts both ways: QuickBooks changed only fields FieldBridge does not send (the change
//!   goes again on the new EditSequence), or the same fields (a person chooses);
//! - voids and reversals; an invoice paid in QuickBooks is not changed below what was paid.

mod support;
use qbsim::Company;
use serde_json::{json, Value};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use support::*;

fn dec(s: &str) -> rust_decimal::Decimal {
    rust_decimal::Decimal::from_str(s).unwrap()
}

/// A small business: two customers (one with a project), a ticket, three invoices (one made
/// from the ticket), a payment.
fn business_v1() -> Value {
    json!({
        "customers": [
            {"id": "C-1", "name": "Ecker Designs", "phone": "(555) 201-3344",
             "email": "jane@ecker.example", "taxable": true,
             "billing_address": {"line1": "12 Mill Rd", "city": "Storrs", "state": "CT", "postal_code": "06268"}},
            {"id": "C-2", "name": "Hilltop Bakery", "phone": "(555) 100-2000", "taxable": false}
        ],
        "projects": [{"id": "P-1", "customer_id": "C-1", "name": "Office Repairs"}],
        "service_tickets": [
            {"id": "T-1", "customer_id": "C-1", "number": "T1001", "date": "2026-10-01",
             "description": "Quarterly HVAC inspection",
             "lines": [{"description": "Inspection labor", "quantity": "2", "rate": "95.00"}]}
        ],
        "invoices": [
            {"id": "I-1", "customer_id": "C-1", "ticket_id": "T-1", "number": "10001",
             "date": "2026-10-03", "due_date": "2026-11-02", "memo": "Thank you",
             "lines": [
                 {"description": "Inspection labor", "quantity": "2", "rate": "95.00", "taxable": false},
                 {"description": "Filter 20x25x1", "quantity": "4", "rate": "12.50", "taxable": true},
                 {"description": "Trip charge", "amount": "45.00", "taxable": false}
             ]},
            {"id": "I-2", "customer_id": "C-2", "number": "10002", "date": "2026-10-04",
             "lines": [{"description": "Oven repair", "quantity": "1", "rate": "300.00"}]},
            {"id": "I-3", "customer_id": "C-1", "project_id": "P-1", "number": "10003",
             "date": "2026-10-05", "lines": [{"description": "Drywall", "quantity": "3", "rate": "80.00"}]}
        ],
        "payments": [
            {"id": "PAY-1", "invoice_id": "I-2", "date": "2026-10-10", "amount": "100.00",
             "method": "Check", "reference": "CHK 101"}
        ]
    })
}

/// The same business after the field app changed something of every kind.
fn business_v2() -> Value {
    let mut doc = business_v1();
    doc["customers"][0]["phone"] = json!("(555) 201-9999");
    doc["customers"][0]["email"] = json!("office@ecker.example");
    doc["customers"][0]["billing_address"]["line1"] = json!("14 Mill Rd");
    doc["projects"][0]["name"] = json!("Office Repairs 2026");
    doc["service_tickets"][0]["description"] = json!("Quarterly HVAC inspection, 2 units");
    doc["service_tickets"][0]["lines"] = json!([
        {"description": "Inspection labor", "quantity": "3", "rate": "95.00"},
        {"description": "Coil cleaning", "quantity": "1", "rate": "60.00"}
    ]);
    // I-1: the labor rate changes, the filter line goes, the trip charge stays, a line is new.
    doc["invoices"][0]["memo"] = json!("Thank you for your business");
    doc["invoices"][0]["due_date"] = json!("2026-11-15");
    doc["invoices"][0]["lines"] = json!([
        {"description": "Inspection labor", "quantity": "2", "rate": "105.00", "taxable": false},
        {"description": "Trip charge", "amount": "45.00", "taxable": false},
        {"description": "Coil cleaning", "quantity": "1", "rate": "60.00", "taxable": false}
    ]);
    doc["invoices"][2]["lines"][0]["quantity"] = json!("4");
    doc["payments"][0]["reference"] = json!("CHK 101A");
    doc["payments"][0]["amount"] = json!("120.00");
    doc
}

async fn first_sync(
    fb: &mut Fb,
    company: &Arc<Mutex<Company>>,
    doc: &Value,
) -> qbsim::driver::WebConnector {
    fb.import(doc);
    fb.map_fixture_items();
    fb.start();
    let mut qbwc = fb.driver(company);
    qbwc.run()
        .await
        .expect_completed()
        .expect("the first sync finishes");
    assert_all_synced(fb);
    qbwc
}

fn record<'a>(export: &'a Value, kind: &str, id: &str) -> &'a Value {
    export[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} in the export"))
}

fn qb_id(fb: &Fb, kind: &str, id: &str) -> String {
    let export = fb.json(&["export", "--json"]);
    record(&export, kind, id)["qb_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{kind} {id} has a QuickBooks id"))
        .to_owned()
}

fn mod_requests(c: &Company, from: usize) -> Vec<String> {
    c.history()[from..]
        .iter()
        .filter(|r| r.request.ends_with("ModRq"))
        .map(|r| format!("{} {}", r.request, r.status_code))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_edited_after_the_first_sync_reaches_quickbooks_field_by_field() {
    let mut fb = Fb::new();
    let company = company(11);
    let mut qbwc = first_sync(&mut fb, &company, &business_v1()).await;
    let (i1, t1, pay1) = (
        qb_id(&fb, "invoices", "I-1"),
        qb_id(&fb, "service_tickets", "T-1"),
        qb_id(&fb, "payments", "PAY-1"),
    );
    let (lines_before, counts_before, history_before) = {
        let c = company.lock().unwrap();
        (
            c.txn_line_ids(&i1),
            (
                c.invoice_count(),
                c.estimate_count(),
                c.payment_count(),
                c.customer_count(),
            ),
            c.history().len(),
        )
    };
    {
        let c = company.lock().unwrap();
        assert_eq!(
            c.txn_field(&t1, "IsActive").as_deref(),
            Some("false"),
            "the invoice made from T-1 closed its estimate in the same run"
        );
        assert_eq!(
            c.invoice(&i1).unwrap().lines.len(),
            3,
            "the invoice holds exactly its own lines (no estimate lines linked in)"
        );
    }

    fb.import(&business_v2());
    qbwc.run()
        .await
        .expect_completed()
        .expect("the edit run finishes");
    assert_all_synced(&fb);

    let c = company.lock().unwrap();
    assert_eq!(
        (
            c.invoice_count(),
            c.estimate_count(),
            c.payment_count(),
            c.customer_count()
        ),
        counts_before,
        "edits change records, they add none"
    );
    let mods = mod_requests(&c, history_before);
    for kind in [
        "CustomerModRq",
        "InvoiceModRq",
        "EstimateModRq",
        "ReceivePaymentModRq",
    ] {
        assert!(
            mods.iter().any(|m| m.starts_with(kind)),
            "{kind} was sent: {mods:?}"
        );
    }
    // Customer.
    assert_eq!(
        c.customer_field("Ecker Designs", "Phone").as_deref(),
        Some("(555) 201-9999")
    );
    assert_eq!(
        c.customer_field("Ecker Designs", "Email").as_deref(),
        Some("office@ecker.example")
    );
    let bill = c.customer_field("Ecker Designs", "BillAddress");
    assert!(bill.is_some(), "the billing address is there");
    // Project (job): renamed under its customer.
    assert_eq!(
        c.count_customers_named("Ecker Designs:Office Repairs 2026"),
        1
    );
    assert_eq!(c.count_customers_named("Ecker Designs:Office Repairs"), 0);
    // Ticket (estimate): lines and memo, still closed.
    let est = c.invoice(&t1).unwrap();
    assert_eq!(
        est.memo.as_deref(),
        Some("Quarterly HVAC inspection, 2 units")
    );
    assert_eq!(
        est.lines
            .iter()
            .map(|l| (l.desc.clone().unwrap(), l.amount))
            .collect::<Vec<_>>(),
        vec![
            ("Inspection labor".to_owned(), dec("285.00")),
            ("Coil cleaning".to_owned(), dec("60.00"))
        ]
    );
    assert_eq!(c.txn_field(&t1, "IsActive").as_deref(), Some("false"));
    // Invoice I-1: header and lines, field by field.
    let inv = c.invoice(&i1).unwrap();
    assert_eq!(inv.memo.as_deref(), Some("Thank you for your business"));
    assert_eq!(c.txn_field(&i1, "DueDate").as_deref(), Some("2026-11-15"));
    let lines: Vec<_> = inv
        .lines
        .iter()
        .map(|l| (l.desc.clone().unwrap(), l.quantity, l.rate, l.amount))
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                "Inspection labor".to_owned(),
                Some(dec("2")),
                Some(dec("105")),
                dec("210.00")
            ),
            ("Trip charge".to_owned(), None, None, dec("45.00")),
            (
                "Coil cleaning".to_owned(),
                Some(dec("1")),
                Some(dec("60")),
                dec("60.00")
            ),
        ]
    );
    assert_eq!(
        inv.subtotal,
        dec("315.00"),
        "QuickBooks' subtotal follows the lines"
    );
    let lines_after = c.txn_line_ids(&i1);
    assert_eq!(
        lines_after[1], lines_before[2],
        "the unchanged trip charge keeps its QuickBooks line (TxnLineID)"
    );
    assert_eq!(
        lines_after[0], lines_before[0],
        "the changed labor line is QuickBooks' same line, modified"
    );
    assert!(
        !lines_after.contains(&lines_before[1]) || lines_after[2] == lines_before[1],
        "the filter line is gone or reused for the new line, never kept as a filter"
    );
    // Project invoice I-3.
    let i3 = c
        .invoices()
        .into_iter()
        .find(|i| i.ref_number.as_deref() == Some("10003"))
        .unwrap();
    assert_eq!(i3.lines[0].quantity, Some(dec("4")));
    // Payment.
    let p = c.payments().into_iter().find(|p| p.txn_id == pay1).unwrap();
    assert_eq!(p.ref_number.as_deref(), Some("CHK 101A"));
    assert_eq!(p.total, dec("120.00"));
    assert_eq!(
        p.applied
            .iter()
            .map(|(_, a)| *a)
            .sum::<rust_decimal::Decimal>(),
        dec("120.00")
    );
    drop(c);

    // A third run sends nothing more.
    let before = company.lock().unwrap().history().len();
    qbwc.run().await;
    let c = company.lock().unwrap();
    assert!(
        mod_requests(&c, before).is_empty(),
        "nothing is sent twice: {:?}",
        mod_requests(&c, before)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quickbooks_edit_of_other_fields_is_kept_and_ours_goes_again_on_the_new_edit_sequence() {
    let mut fb = Fb::new();
    let company = company(12);
    let mut qbwc = first_sync(&mut fb, &company, &business_v1()).await;
    let i1 = qb_id(&fb, "invoices", "I-1");
    {
        let mut c = company.lock().unwrap();
        assert!(
            c.edit_txn_field(&i1, "PONumber", "PO-7781"),
            "a person sets the PO number"
        );
        assert!(c.edit_customer_field("Ecker Designs", "Notes", "Gate code 1234"));
    }
    let mut doc = business_v1();
    doc["invoices"][0]["memo"] = json!("Paid by card on site");
    doc["customers"][0]["phone"] = json!("(555) 201-0000");
    fb.import(&doc);
    let before = company.lock().unwrap().history().len();
    qbwc.run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
    let c = company.lock().unwrap();
    let mods = mod_requests(&c, before);
    assert!(
        mods.contains(&"InvoiceModRq 3200".to_owned())
            && mods.contains(&"InvoiceModRq 0".to_owned()),
        "refused as out of date, re-read, and sent again in the same run: {mods:?}"
    );
    let inv = c.invoice(&i1).unwrap();
    assert_eq!(
        inv.memo.as_deref(),
        Some("Paid by card on site"),
        "ours arrived"
    );
    assert_eq!(
        c.txn_field(&i1, "PONumber").as_deref(),
        Some("PO-7781"),
        "theirs stayed"
    );
    assert_eq!(
        c.customer_field("Ecker Designs", "Phone").as_deref(),
        Some("(555) 201-0000")
    );
    assert_eq!(
        c.customer_field("Ecker Designs", "Notes").as_deref(),
        Some("Gate code 1234")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_field_changed_on_both_sides_waits_for_a_person_who_chooses_either_way() {
    let mut fb = Fb::new();
    let company = company(13);
    let mut qbwc = first_sync(&mut fb, &company, &business_v1()).await;
    let i1 = qb_id(&fb, "invoices", "I-1");
    {
        let mut c = company.lock().unwrap();
        assert!(c.edit_txn_memo(&i1, "Call before coming"));
        assert!(c.edit_customer_field("Ecker Designs", "Phone", "(555) 777-0000"));
    }
    let mut doc = business_v1();
    doc["invoices"][0]["memo"] = json!("Gate code 1234");
    doc["customers"][0]["phone"] = json!("(555) 201-0000");
    fb.import(&doc);
    qbwc.run().await;

    let export = fb.json(&["export", "--json"]);
    let inv = record(&export, "invoices", "I-1");
    assert_eq!(inv["state"], "needs_attention", "{inv}");
    let problem = inv["problem"].as_str().unwrap();
    assert!(
        problem.contains("\"Call before coming\" in QuickBooks")
            && problem.contains("\"Gate code 1234\" in FieldBridge"),
        "both values, in plain English: {problem}"
    );
    let cust = record(&export, "customers", "C-1");
    assert_eq!(cust["state"], "needs_attention", "{cust}");
    {
        let c = company.lock().unwrap();
        assert_eq!(
            c.invoice(&i1).unwrap().memo.as_deref(),
            Some("Call before coming"),
            "nothing overwritten"
        );
        assert_eq!(
            c.customer_field("Ecker Designs", "Phone").as_deref(),
            Some("(555) 777-0000")
        );
    }

    // Send FieldBridge's for the invoice, keep QuickBooks' for the customer.
    fb.ok(&["resolve", "invoice", "I-1", "send-fieldbridge"]);
    fb.ok(&["resolve", "customer", "C-1", "keep-quickbooks"]);
    let wrong = fb.cli(&["resolve", "invoice", "I-2", "send-fieldbridge"]);
    assert!(
        !wrong.status.success(),
        "only a conflict is resolved this way"
    );
    let before = company.lock().unwrap().history().len();
    qbwc.run().await.expect_completed().unwrap();
    assert_all_synced(&fb);
    let c = company.lock().unwrap();
    assert_eq!(
        c.invoice(&i1).unwrap().memo.as_deref(),
        Some("Gate code 1234"),
        "FieldBridge's sent"
    );
    assert_eq!(
        c.customer_field("Ecker Designs", "Phone").as_deref(),
        Some("(555) 777-0000"),
        "QuickBooks' kept"
    );
    let mods = mod_requests(&c, before);
    assert_eq!(
        mods,
        vec!["InvoiceModRq 0".to_owned()],
        "one mod, on the new EditSequence"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_void_and_a_reversed_payment_reach_quickbooks_and_a_paid_invoice_is_not_cut_below_its_payments(
) {
    let mut fb = Fb::new();
    let company = company(14);
    let mut qbwc = first_sync(&mut fb, &company, &business_v1()).await;
    let (i2, i3) = (qb_id(&fb, "invoices", "I-2"), qb_id(&fb, "invoices", "I-3"));
    assert_eq!(
        company
            .lock()
            .unwrap()
            .invoice(&i2)
            .unwrap()
            .balance_remaining,
        dec("200.00")
    );
    let paid = pay_in_full_in_quickbooks(&company, &i3);
    force_read(&fb);

    let mut doc = business_v1();
    // The card payment on I-2 failed: reversed, and the invoice is void.
    doc["payments"][0]["reversed"] = json!(true);
    doc["invoices"][1]["void"] = json!(true);
    // I-3 was paid in full in QuickBooks; the app now bills less.
    doc["invoices"][2]["lines"][0]["quantity"] = json!("2");
    fb.import(&doc);
    qbwc.run().await;

    let export = fb.json(&["export", "--json"]);
    assert_eq!(record(&export, "payments", "PAY-1")["state"], "synced");
    assert_eq!(record(&export, "invoices", "I-2")["state"], "synced");
    let i3r = record(&export, "invoices", "I-3");
    assert_eq!(i3r["state"], "needs_attention", "{i3r}");
    assert!(
        i3r["problem"]
            .as_str()
            .unwrap()
            .contains("payments applied"),
        "{i3r}"
    );
    let c = company.lock().unwrap();
    assert_eq!(
        c.payment_count(),
        1,
        "the reversed payment is gone, QuickBooks' own stays"
    );
    assert!(c.is_voided(&i2), "the void invoice is voided in QuickBooks");
    assert_eq!(
        c.invoice(&i3).unwrap().total,
        paid,
        "the paid invoice is untouched"
    );
    assert!(
        !c.history()
            .iter()
            .any(|r| r.request == "InvoiceModRq" && r.status_code != 0),
        "nothing QuickBooks would refuse was sent"
    );
}
