use super::*;
use crate::money::Decimal;
use crate::office::test_support::*;
use crate::store::invoices::Invoice;
use crate::store::mappings::ItemRole;
use crate::store::outbox::{self, Problem};
use crate::store::payments::Payment;
use chrono::NaiveDate;

fn r(kind: RecordKind, id: &str) -> RecordRef {
    RecordRef::new(kind, id)
}

fn park(store: &Store, record: &RecordRef, code: ProblemCode, text: &str) {
    store
        .write(|tx| {
            outbox::mark_needs_attention(
                tx,
                record,
                &Problem {
                    code: Some(code.clone()),
                    message: None,
                    text: text.into(),
                    advice: Some("Do the thing.".into()),
                },
            )
        })
        .unwrap();
}

fn fail(store: &Store, record: &RecordRef, status: i32) {
    store
        .write(|tx| {
            let s = crate::store::sessions::start(tx, None)?;
            let b = outbox::begin_batch(tx, s, &format!("ms-{}", record.id), "<QBXML/>")?;
            outbox::mark_in_flight(tx, b, &[(record.clone(), "0".into())])?;
            outbox::mark_failed(
                tx,
                record,
                &Problem {
                    code: Some(ProblemCode::QuickBooks(status)),
                    message: Some("There is an invalid reference.".into()),
                    text: "QuickBooks refused it.".into(),
                    advice: Some("Check it, then retry.".into()),
                },
            )
        })
        .unwrap();
}

fn payment(id: &str, invoice: &str) -> Payment {
    Payment {
        id: id.into(),
        invoice_id: invoice.into(),
        date: NaiveDate::from_ymd_opt(2026, 10, 10).unwrap(),
        amount: "25.00".parse::<Decimal>().unwrap(),
        method: None,
        reference: None,
        reversed: false,
    }
}

fn fixture() -> Store {
    let store = store();
    save_customers(
        &store,
        &[
            customer("C-1", "Brookside Dental", None, None),
            customer("C-2", "Ecker", None, None),
        ],
    );
    store
        .write(|tx| {
            for n in 1..=5 {
                invoices::save(
                    tx,
                    &Invoice::for_test(&format!("I-{n}"), "C-2", &format!("100{n}")),
                )?;
            }
            invoices::save(tx, &Invoice::for_test("I-9", "C-1", "1009"))?;
            payments::save(tx, &payment("P-9", "I-9"))?;
            payments::save(tx, &payment("P-2", "I-2"))
        })
        .unwrap();
    // One missing service item stops five invoices.
    for n in 1..=5 {
        park(
            &store,
            &r(RecordKind::Invoice, &format!("I-{n}")),
            ProblemCode::NeedsMapping(ItemRole::ServiceItem),
            "No service item is chosen, so FieldBridge cannot say what the lines are in QuickBooks.",
        );
    }
    // A customer waits for a decision; its invoice and that invoice's payment wait on it.
    park(
        &store,
        &r(RecordKind::Customer, "C-1"),
        ProblemCode::AskFirst,
        "Brookside Dental may already be in QuickBooks.",
    );
    park(
        &store,
        &r(RecordKind::Invoice, "I-9"),
        ProblemCode::WaitingOnParent,
        "Waits for its customer.",
    );
    park(
        &store,
        &r(RecordKind::Payment, "P-9"),
        ProblemCode::WaitingOnParent,
        "Waits for its invoice.",
    );
    // A payment QuickBooks refused.
    fail(&store, &r(RecordKind::Payment, "P-2"), 3120);
    store
}

#[test]
fn one_cause_is_one_card_with_its_records_folded_under_it() {
    let store = fixture();
    let cards = list_cards(&store).unwrap();
    let mapping: Vec<_> = cards
        .iter()
        .filter(|c| c.cause == CardCause::NeedsMapping)
        .collect();
    assert_eq!(mapping.len(), 1, "one missing item, one card: {cards:#?}");
    let m = mapping[0];
    assert_eq!((m.count, m.records.len()), (5, 5));
    assert_eq!(m.id, "mapping:service-item");
    assert_eq!(
        m.actions,
        [CardAction::OpenItems {
            role: Some(MappingRole::ServiceItem)
        }],
        "the one button goes to the Items page, on the role to set"
    );
    assert!(
        m.records.iter().all(|r| r.actions.is_empty()),
        "mapping it releases them; nothing to retry or skip"
    );

    let decision = cards.iter().find(|c| c.id == "decision:C-1").unwrap();
    assert_eq!(decision.cause, CardCause::NeedsDecision);
    assert_eq!(
        decision.count, 3,
        "the customer, its invoice and the invoice's payment"
    );
    let folded: Vec<_> = decision
        .waiting
        .iter()
        .map(|w| (w.id.as_str(), w.waits_for.as_str()))
        .collect();
    assert_eq!(
        folded,
        [
            ("invoice:I-9", "customer:C-1"),
            ("payment:P-9", "customer:C-1")
        ],
        "records waiting on records fold under the one a person acts on, not in a chain"
    );
    assert_eq!(
        decision.actions,
        [CardAction::OpenCustomer {
            customer_id: "C-1".into()
        }]
    );
    let total: u64 = cards.iter().map(|c| c.count).sum();
    let needs_person = store
        .read(crate::store::status::status_counts)
        .unwrap()
        .needs_person();
    assert_eq!(
        total, needs_person,
        "the cards count every waiting record once"
    );
}

#[test]
fn only_actions_that_work_are_offered() {
    let store = fixture();
    let cards = list_cards(&store).unwrap();
    let refused = cards
        .iter()
        .find(|c| c.cause == CardCause::QuickBooksRefused)
        .unwrap();
    let p = &refused.records[0];
    assert_eq!(p.item.id, "payment:P-2");
    assert!(
        p.actions.contains(&CardAction::Retry {
            attention_ids: vec!["payment:P-2".into()]
        }),
        "a failed payment can be retried: {:?}",
        p.actions
    );
    assert!(
        !p.actions
            .iter()
            .any(|a| matches!(a, CardAction::Skip { .. })),
        "QuickBooks does not have it, and skip refuses such records"
    );
    for card in &cards {
        for rec in &card.records {
            for a in &rec.actions {
                if let CardAction::Skip { attention_id } = a {
                    super::super::skip(&store, attention_id).expect("an offered skip works");
                }
            }
        }
    }
    super::super::retry(&store, "payment:P-2").expect("the offered retry works");
}

#[test]
fn a_tax_difference_is_a_card_with_both_amounts_until_dismissed() {
    let store = fixture();
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    store
        .write(|tx| tax_differences::note(tx, "I-9", d("0.00"), d("6.08"), None))
        .unwrap();
    let cards = list_cards(&store).unwrap();
    let tax = cards
        .iter()
        .find(|c| c.cause == CardCause::TaxDifference)
        .unwrap();
    let view = tax.tax.as_ref().unwrap();
    assert_eq!(
        (view.expected.as_str(), view.quickbooks.as_str()),
        ("0.00", "6.08")
    );
    assert!(
        tax.title.contains("6.08") && tax.title.contains("0.00"),
        "{}",
        tax.title
    );
    let advice = tax.advice.as_deref().unwrap();
    assert!(
        advice.contains("sales tax item") && advice.contains("tax code"),
        "{advice}"
    );
    assert!(tax.actions.contains(&CardAction::Dismiss {
        card_id: "tax:I-9".into()
    }));
    dismiss(&store, "tax:I-9").unwrap();
    assert!(list_cards(&store)
        .unwrap()
        .iter()
        .all(|c| c.cause != CardCause::TaxDifference));
    assert_eq!(dismiss(&store, "tax:I-9").unwrap_err().code(), "not_found");
    assert_eq!(
        dismiss(&store, "mapping:service-item").unwrap_err().code(),
        "invalid_input",
        "a card that goes away when fixed cannot be dismissed"
    );
    let json = serde_json::to_value(&tax.actions).unwrap();
    assert_eq!(
        json[1]["action"], "dismiss",
        "typed actions the window branches on"
    );
    // Dismissed stays dismissed (stored), but a new difference on the same invoice (a later
    // answer from QuickBooks) shows again, with its new amount.
    assert!(list_cards(&store)
        .unwrap()
        .iter()
        .all(|c| c.cause != CardCause::TaxDifference));
    store
        .write(|tx| tax_differences::note(tx, "I-9", d("0.00"), d("5.00"), None))
        .unwrap();
    let again = list_cards(&store).unwrap();
    let tax = again
        .iter()
        .find(|c| c.cause == CardCause::TaxDifference)
        .expect("a new difference shows again");
    assert_eq!(tax.tax.as_ref().unwrap().quickbooks, "5.00");
}

#[test]
fn records_before_the_start_date_are_on_no_card() {
    let store = fixture();
    let before = list_cards(&store).unwrap();
    park(
        &store,
        &r(RecordKind::Invoice, "I-9"),
        ProblemCode::BeforeStartDate,
        "Invoice 10049 is dated 2026-10-01, before the start date (2026-10-03), so FieldBridge leaves it out.",
    );
    let after = list_cards(&store).unwrap();
    assert!(
        after.iter().all(|c| c.cause != CardCause::Settings
            || c.records.iter().all(|r| r.item.id != "invoice:I-9")),
        "held by the start date: nothing for a person to do"
    );
    assert!(after
        .iter()
        .flat_map(|c| c
            .records
            .iter()
            .map(|r| r.item.id.clone())
            .chain(c.waiting.iter().map(|w| w.id.clone())))
        .all(|id| id != "invoice:I-9"));
    assert!(
        after.iter().map(|c| c.count).sum::<u64>() <= before.iter().map(|c| c.count).sum::<u64>()
    );
    let total: u64 = after
        .iter()
        .filter(|c| c.tax.is_none())
        .map(|c| c.count)
        .sum();
    let needs_person = store
        .read(crate::store::standing::counts)
        .unwrap()
        .needs_person();
    assert_eq!(total, needs_person, "the cards and the counts agree");
}
