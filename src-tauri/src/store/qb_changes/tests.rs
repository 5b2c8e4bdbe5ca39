//! The tables of what people do in QuickBooks, and the events their triggers write: one per
//! fact, none for a re-read that changes nothing, none for FieldBridge's own doing.

use super::*;
use crate::money::parse_decimal;
use crate::store::codes::PairingHow;
use crate::store::events::{self, Event};
use crate::store::qb_mirror::{self, QbCustomer, QbPayment};
use crate::store::{pairings, Store};

const DATA: &str = r#"{"customers": [{"id": "C-1", "name": "Acme Plumbing"},
                                     {"id": "C-2", "name": "Baker Bros"}],
    "invoices": [{"id": "I-1", "customer_id": "C-1", "number": "1", "date": "2026-10-03",
                  "lines": [{"description": "x", "amount": "100.00"}]}]}"#;

fn d(s: &str) -> Decimal {
    parse_decimal(s).unwrap()
}

fn qb_customer(list_id: &str, name: &str, active: bool, es: &str) -> QbCustomer {
    QbCustomer {
        list_id: list_id.into(),
        full_name: name.into(),
        name: name.into(),
        is_active: active,
        edit_sequence: es.into(),
        time_modified: "2026-12-02T09:30:00-05:00".into(),
        ..QbCustomer::default()
    }
}

/// C-1 linked to QuickBooks' "Acme Plumbing" (80-1), C-2 not linked.
fn linked_store() -> Store {
    let store = Store::open_in_memory().unwrap();
    crate::import::import_bytes(&store, "d.json", DATA.as_bytes()).unwrap();
    store
        .write(|tx| {
            qb_mirror::upsert_customer(tx, &qb_customer("80-1", "Acme Plumbing", true, "1"))?;
            pairings::link(tx, "C-1", "80-1", PairingHow::Manual)
        })
        .unwrap();
    store
}

fn events_after(store: &Store, seq: i64) -> Vec<Event> {
    store.read(|c| events::after(c, seq, 1000)).unwrap()
}

fn last_seq(store: &Store) -> i64 {
    store.read(events::last_seq).unwrap()
}

fn theirs(balance: &str, due: &str) -> QbInvoice {
    QbInvoice {
        txn_id: "9-1".into(),
        invoice_id: None,
        customer_list_id: "80-1".into(),
        customer_id: "C-1".into(),
        project_id: None,
        ref_number: Some("Q-1".into()),
        txn_date: "2026-12-02".into(),
        due_date: Some(due.into()),
        memo: None,
        subtotal: d("190.00"),
        sales_tax_total: d("0.00"),
        balance: d(balance),
        is_paid: balance == "0.00",
        voided: false,
        edit_sequence: Some("1".into()),
        time_modified: Some("2026-12-02T09:30:00-05:00".into()),
    }
}

fn labor_line() -> QbInvoiceLine {
    QbInvoiceLine {
        txn_line_id: Some("9-2".into()),
        item: Some("Labor".into()),
        description: Some("Labor".into()),
        quantity: Some(d("2")),
        rate: Some(d("95.00")),
        amount: d("190.00"),
        taxable: Some(false),
    }
}

#[test]
fn an_invoice_created_in_quickbooks_is_one_event_with_its_lines() {
    let store = linked_store();
    let before = last_seq(&store);
    let write = |inv: QbInvoice| {
        store
            .write(|tx| upsert_invoice(tx, &inv, &[labor_line()]))
            .unwrap()
    };
    write(theirs("190.00", "2027-01-01"));
    write(theirs("190.00", "2027-01-01"));
    let events = events_after(&store, before);
    assert_eq!(events.len(), 1, "a re-read changes nothing: {events:?}");
    let e = &events[0];
    assert_eq!(e.event_type, "invoice.created_in_quickbooks");
    assert_eq!(
        (e.kind.as_deref(), e.id.as_deref()),
        (Some("invoices"), None),
        "about invoices, with no app id"
    );
    assert_eq!(e.data["customer_id"], "C-1");
    assert_eq!(e.data["number"], "Q-1");
    assert_eq!(e.data["total"], "190.00");
    assert_eq!(e.data["due_date"], "2027-01-01");
    assert_eq!(
        e.data["lines"],
        serde_json::json!([{"description": "Labor", "item": "Labor", "quantity": "2",
                            "rate": "95.00", "amount": "190.00", "taxable": false}]),
        "the platform receives the whole invoice"
    );
    let listed = store
        .read(|c| quickbooks_invoices(c, 0, -1, false))
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1.total(), d("190.00"));
    assert_eq!(store.read(|c| lines(c, "9-1")).unwrap(), [labor_line()]);
}

#[test]
fn changes_voids_and_deletions_of_an_invoice_created_in_quickbooks_are_events() {
    let store = linked_store();
    store
        .write(|tx| upsert_invoice(tx, &theirs("190.00", "2027-01-01"), &[labor_line()]))
        .unwrap();
    let before = last_seq(&store);
    store
        .write(|tx| upsert_invoice(tx, &theirs("90.00", "2027-02-01"), &[labor_line()]))
        .unwrap();
    let mut voided = theirs("0.00", "2027-02-01");
    voided.subtotal = d("0.00");
    voided.voided = true;
    store.write(|tx| upsert_invoice(tx, &voided, &[])).unwrap();
    store.write(|tx| forget_invoice(tx, "9-1")).unwrap();
    let events = events_after(&store, before);
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "invoice.changed_in_quickbooks",
            "record.deleted_in_quickbooks",
            "record.deleted_in_quickbooks"
        ],
        "a void is reported as such, not also as a change"
    );
    assert_eq!(events[0].data["balance"], "90.00");
    assert_eq!(events[0].data["due_date"], "2027-02-01");
    assert_eq!(events[1].data["voided"], true);
    assert_eq!(events[2].data["qb_id"], "9-1");
    assert!(
        store.read(|c| lines(c, "9-1")).unwrap().is_empty(),
        "a deleted invoice's lines go with it"
    );
}

#[test]
fn our_invoice_first_read_is_quiet_its_total_and_due_date_changes_are_not() {
    let store = linked_store();
    let ours = |total: &str, due: &str| QbInvoice {
        invoice_id: Some("I-1".into()),
        txn_id: "1-1".into(),
        subtotal: d(total),
        balance: d(total),
        due_date: Some(due.into()),
        ..theirs(total, due)
    };
    let before = last_seq(&store);
    store
        .write(|tx| upsert_invoice(tx, &ours("100.00", "2026-11-02"), &[]))
        .unwrap();
    assert!(
        events_after(&store, before).is_empty(),
        "what FieldBridge sent is no news"
    );
    store
        .write(|tx| upsert_invoice(tx, &ours("120.00", "2026-12-31"), &[]))
        .unwrap();
    let events = events_after(&store, before);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, "invoice.changed_in_quickbooks");
    assert_eq!(events[0].id.as_deref(), Some("I-1"), "about our invoice");
    assert_eq!(events[0].data["total"], "120.00");
    assert_eq!(events[0].data["due_date"], "2026-12-31");
}

#[test]
fn a_payment_entered_in_quickbooks_then_deleted_there_is_reported_deleted() {
    let store = linked_store();
    let payment = QbPayment {
        txn_id: "P-9".into(),
        customer_list_id: Some("80-1".into()),
        invoice_txn_id: Some("1-1".into()),
        invoice_id: Some("I-1".into()),
        date: "2026-12-02".into(),
        amount: d("40.00"),
        method: Some("Check".into()),
        reference: None,
        external_guid: None,
        time_modified: None,
    };
    store
        .write(|tx| qb_mirror::upsert_payment(tx, &payment))
        .unwrap();
    let before = last_seq(&store);
    store
        .write(|tx| {
            qb_mirror::mark_deleted(
                tx,
                "ReceivePayment",
                "P-9",
                None,
                "2026-12-02T10:00:00-05:00",
            )
        })
        .unwrap();
    let events = events_after(&store, before);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, "record.deleted_in_quickbooks");
    assert_eq!(events[0].kind.as_deref(), Some("payments"));
    assert_eq!(events[0].data["invoice_id"], "I-1");
    assert_eq!(events[0].data["amount"], "40.00");
}

#[test]
fn a_rename_in_quickbooks_is_noted_fieldbridges_own_and_a_rename_back_are_not() {
    let store = linked_store();
    let c1 = RecordRef::new(RecordKind::Customer, "C-1");
    let rename_to = |name: &str, es: &str| {
        store
            .write(|tx| qb_mirror::upsert_customer(tx, &qb_customer("80-1", name, true, es)))
            .unwrap()
    };
    rename_to("Acme Plumbing & Heating", "2");
    let note = store.read(|c| rename(c, &c1)).unwrap().expect("noted");
    assert_eq!(note.old_name, "Acme Plumbing");
    assert_eq!(note.new_name, "Acme Plumbing & Heating");
    assert_eq!(note.renamed_on, "2026-12-02", "QuickBooks' own day");
    assert_eq!(
        note.note(),
        "Renamed in QuickBooks on 2026-12-02 (it was \"Acme Plumbing\"); still linked."
    );
    rename_to("Acme Heating", "3");
    let note = store.read(|c| rename(c, &c1)).unwrap().unwrap();
    assert_eq!(
        (note.old_name.as_str(), note.new_name.as_str()),
        ("Acme Plumbing", "Acme Heating"),
        "the name it had when linked is kept"
    );
    rename_to("Acme Plumbing", "4");
    assert!(
        store.read(|c| rename(c, &c1)).unwrap().is_none(),
        "renamed back: nothing to say"
    );
    rename_to("Acme Plumbing & Heating", "5");
    store
        .write(|tx| {
            tx.execute(
                "UPDATE customers SET name = 'Acme Plumbing & Heating' WHERE id = 'C-1'",
                [],
            )?;
            qb_mirror::upsert_customer(
                tx,
                &qb_customer("80-1", "Acme Plumbing & Heating", true, "6"),
            )
        })
        .unwrap();
    rename_to("Acme Plumbing & Heating 2", "7");
    rename_to("Acme Plumbing & Heating", "8");
    assert!(
        store.read(|c| rename(c, &c1)).unwrap().is_none(),
        "FieldBridge sending the app's own name is no rename in QuickBooks"
    );
    let unlinked = RecordRef::new(RecordKind::Customer, "C-2");
    assert!(store.read(|c| rename(c, &unlinked)).unwrap().is_none());
}

#[test]
fn inactive_links_are_the_synced_ones_the_app_keeps_active() {
    let store = linked_store();
    assert!(store.read(inactive_links).unwrap().is_empty());
    store
        .write(|tx| {
            qb_mirror::upsert_customer(tx, &qb_customer("80-1", "Acme Plumbing", false, "2"))
        })
        .unwrap();
    let found = store.read(inactive_links).unwrap();
    assert_eq!(
        found,
        [InactiveLink {
            record: RecordRef::new(RecordKind::Customer, "C-1"),
            full_name: "Acme Plumbing".into(),
            changed_on: "2026-12-02".into(),
        }]
    );
    store
        .write(|tx| {
            tx.execute("UPDATE customers SET active = 0 WHERE id = 'C-1'", [])?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert!(
        store.read(inactive_links).unwrap().is_empty(),
        "the app made it inactive itself: QuickBooks agrees"
    );
}
