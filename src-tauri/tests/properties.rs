//! Property tests (proptest):
//! - every message set the qbXML builders agree to write (random customers, jobs, invoices,
//!   estimates and payments, with random lines, amounts and text including `&<>"'`, unicode
//!   and the odd control character or ':') is valid qbXML 13.0 by `xmllint --schema`; the
//!   documents are validated many per xmllint call to keep it quick;
//! - what the builders refuse, they refuse with a [`BuildError`], never a panic;
//! - money arithmetic is exact: sums of cents, `round_cents` (half away from zero) against
//!   integer arithmetic, and `format_amount` round-trips through `parse_decimal`.
//!
//! The schema is found like qbsim finds it (`$QBSIM_SCHEMA`, else `shared/reference` next to
//! the repo or in an ancestor folder).

use chrono::NaiveDate;
use fieldbridge::money::{format_amount, parse_decimal, round_cents, Decimal};
use fieldbridge::qbxml::{
    Address, AppliedToTxn, CustomerAdd, CustomerFields, EstimateAdd, InvoiceAdd, ListRef, MsgsRq,
    OnError, PaymentApplication, ReceivePaymentAdd, Request, SalesLine,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use std::process::Command;

/// Message sets generated and validated (in one xmllint call).
const DOCUMENTS: usize = 400;
/// Of which at least this share must be accepted by the builders, or the generator is too
/// wild to say anything about valid documents.
const MIN_BUILT_SHARE: f64 = 0.5;

/// Characters text is drawn from: plain, XML-special, accented, CJK, emoji, combining, and
/// rarely a control character or ':' (which some fields refuse).
fn text(max: usize) -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        40 => proptest::char::range('a', 'z'),
        10 => proptest::char::range('A', 'Z'),
        8 => Just(' '),
        4 => proptest::sample::select(vec!['&', '<', '>', '"', '\'', ';', '#', '%']),
        4 => proptest::sample::select(vec!['é', 'ñ', 'ü', 'ß', 'Ø', '中', '文', '😀', '\u{301}', '€', '—']),
        2 => proptest::char::range('0', '9'),
    ];
    let clean = proptest::collection::vec(ch, 1..=max).prop_map(|v| v.into_iter().collect());
    // One text in fifty gets a character some fields refuse (':' in names, control
    // characters anywhere): the builders must refuse those with an error, not write them.
    prop_oneof![
        49 => clean,
        1 => (clean_prefix(max), proptest::sample::select(vec![':', '\t', '\u{7}', '\u{FFFE}']))
            .prop_map(|(mut t, c): (String, char)| { t.push(c); t }),
    ]
}

fn clean_prefix(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::char::range('a', 'z'), 0..max.max(1))
        .prop_map(|v| v.into_iter().collect())
}

fn opt_text(max: usize) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text(max))
}

/// An amount in cents with up to 12 integer digits (AMTTYPE allows 13), sometimes negative.
fn cents() -> impl Strategy<Value = Decimal> {
    (-99_999_999_999_999i64..=99_999_999_999_999i64).prop_map(|c| Decimal::new(c, 2))
}

/// A quantity or rate: up to 5 decimal places (QUANTYPE / PRICETYPE).
fn qty() -> impl Strategy<Value = Decimal> {
    (0i64..=9_999_999_999i64, 0u32..=5).prop_map(|(m, s)| Decimal::new(m, s))
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (2000i32..=2035, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("a real date"))
}

fn list_ref() -> impl Strategy<Value = ListRef> {
    prop_oneof![
        "[0-9A-F]{8}-[0-9]{10}".prop_map(ListRef::list_id),
        text(40).prop_map(ListRef::full_name),
    ]
}

fn address() -> impl Strategy<Value = Address> {
    (
        opt_text(41),
        opt_text(41),
        opt_text(31),
        opt_text(21),
        opt_text(13),
        opt_text(31),
    )
        .prop_map(
            |(addr1, addr2, city, state, postal_code, country)| Address {
                addr1,
                addr2,
                city,
                state,
                postal_code,
                country,
                ..Default::default()
            },
        )
}

fn line() -> impl Strategy<Value = SalesLine> {
    (
        proptest::option::of(list_ref()),
        opt_text(120),
        proptest::option::of(qty()),
        proptest::option::of(qty()),
        proptest::option::of(cents()),
        proptest::option::of(prop_oneof![Just("Tax"), Just("Non")]),
    )
        .prop_map(|(item, desc, quantity, rate, amount, tax)| SalesLine {
            item,
            desc,
            quantity,
            rate,
            amount,
            sales_tax_code: tax.map(ListRef::full_name),
            ..Default::default()
        })
}

fn customer() -> impl Strategy<Value = Request> {
    (
        text(41),
        proptest::option::of(text(41).prop_map(ListRef::full_name)),
        opt_text(41),
        opt_text(25),
        proptest::option::of(address()),
        opt_text(21),
        opt_text(60),
        opt_text(200),
        any::<bool>(),
    )
        .prop_map(
            |(name, parent, company_name, first_name, bill, phone, email, notes, taxable)| {
                CustomerAdd {
                    request_id: String::new(),
                    name,
                    fields: CustomerFields {
                        parent,
                        company_name,
                        first_name,
                        bill_address: bill,
                        phone,
                        email,
                        notes,
                        sales_tax_code: Some(ListRef::full_name(if taxable {
                            "Tax"
                        } else {
                            "Non"
                        })),
                        ..Default::default()
                    },
                    external_guid: Some(uuid::Uuid::new_v4()),
                    ..Default::default()
                }
                .into()
            },
        )
}

fn invoice() -> impl Strategy<Value = Request> {
    (
        list_ref(),
        proptest::option::of(date()),
        opt_text(11),
        proptest::option::of(address()),
        opt_text(25),
        opt_text(300),
        proptest::collection::vec(line(), 1..6),
    )
        .prop_map(|(customer, txn_date, ref_number, bill, po, memo, lines)| {
            InvoiceAdd {
                customer,
                txn_date,
                ref_number,
                bill_address: bill,
                po_number: po,
                memo,
                due_date: txn_date,
                external_guid: Some(uuid::Uuid::new_v4()),
                lines,
                ..Default::default()
            }
            .into()
        })
}

fn estimate() -> impl Strategy<Value = Request> {
    (
        list_ref(),
        opt_text(11),
        opt_text(200),
        proptest::collection::vec(line(), 1..4),
    )
        .prop_map(|(customer, ref_number, memo, lines)| {
            EstimateAdd {
                customer,
                ref_number,
                memo,
                external_guid: Some(uuid::Uuid::new_v4()),
                lines,
                ..Default::default()
            }
            .into()
        })
}

fn payment() -> impl Strategy<Value = Request> {
    (
        list_ref(),
        proptest::option::of(date()),
        opt_text(20),
        cents(),
        opt_text(200),
        prop_oneof![
            Just(PaymentApplication::AutoApply),
            Just(PaymentApplication::Unapplied),
            proptest::collection::vec(
                ("[0-9A-F]{4}-[0-9]{10}", proptest::option::of(cents())),
                1..3
            )
            .prop_map(|v| PaymentApplication::ToTxns(
                v.into_iter()
                    .map(|(txn_id, payment_amount)| AppliedToTxn {
                        txn_id,
                        payment_amount
                    })
                    .collect()
            )),
        ],
    )
        .prop_map(
            |(customer, txn_date, ref_number, total, memo, application)| {
                ReceivePaymentAdd {
                    customer,
                    txn_date,
                    ref_number,
                    total_amount: Some(total),
                    payment_method: Some(ListRef::full_name("Check")),
                    memo,
                    external_guid: Some(uuid::Uuid::new_v4()),
                    application,
                    ..Default::default()
                }
                .into()
            },
        )
}

/// A message set of 1–8 requests of one kind (as the engine batches them).
fn message_set() -> impl Strategy<Value = MsgsRq> {
    let requests = prop_oneof![
        proptest::collection::vec(customer(), 1..8),
        proptest::collection::vec(invoice(), 1..8),
        proptest::collection::vec(estimate(), 1..8),
        proptest::collection::vec(payment(), 1..8),
    ];
    (requests, any::<bool>(), "[a-z0-9-]{1,23}").prop_map(|(mut requests, stop, set_id)| {
        for (i, r) in requests.iter_mut().enumerate() {
            set_request_id(r, format!("r{i}"));
        }
        MsgsRq {
            on_error: if stop {
                OnError::StopOnError
            } else {
                OnError::ContinueOnError
            },
            new_message_set_id: Some(set_id),
            old_message_set_id: None,
            requests,
        }
    })
}

fn set_request_id(r: &mut Request, id: String) {
    match r {
        Request::CustomerAdd(x) => x.request_id = id,
        Request::InvoiceAdd(x) => x.request_id = id,
        Request::EstimateAdd(x) => x.request_id = id,
        Request::ReceivePaymentAdd(x) => x.request_id = id,
        other => panic!("the generator makes no {other:?}"),
    }
}

/// Validates many documents in one xmllint call; returns the names xmllint rejected with its
/// messages.
fn validate_all(docs: &[String]) -> Vec<(usize, String)> {
    let schema = qbsim::schema::schema_path();
    assert!(
        schema.exists(),
        "the qbXML 13.0 schema is needed: {} (set QBSIM_SCHEMA)",
        schema.display()
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    let paths: Vec<_> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = dir.path().join(format!("doc{i}.xml"));
            std::fs::write(&p, d).expect("write document");
            p
        })
        .collect();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .args(&paths)
        .output()
        .expect("xmllint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut failures = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        let shown = p.display().to_string();
        if stderr.contains(&format!("{shown} fails to validate")) {
            let why: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&shown)).collect();
            failures.push((i, why.join("\n")));
        } else {
            assert!(
                stderr.contains(&format!("{shown} validates")),
                "xmllint said nothing about {shown}: {stderr}"
            );
        }
    }
    failures
}

#[test]
fn every_message_set_the_builders_write_is_valid_qbxml_13() {
    qbsim::skip_without_reference!(xmllint);
    let mut runner = TestRunner::new(Config {
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..Config::default()
    });
    let strategy = message_set();
    let mut docs = Vec::new();
    let mut refused = 0usize;
    let mut reasons = std::collections::BTreeMap::new();
    for _ in 0..DOCUMENTS {
        let set = strategy
            .new_tree(&mut runner)
            .expect("a generated message set")
            .current();
        // Never a panic, whatever the input: either a document or a BuildError.
        match std::panic::catch_unwind(|| set.to_xml()) {
            Ok(Ok(xml)) => docs.push(xml),
            Ok(Err(why)) => {
                refused += 1;
                *reasons
                    .entry(why.to_string().chars().take(60).collect::<String>())
                    .or_insert(0usize) += 1;
            }
            Err(_) => panic!("to_xml panicked on {set:?}"),
        }
    }
    let built = docs.len() as f64 / DOCUMENTS as f64;
    println!(
        "{} documents written, {refused} refused by the builders' pre-flight: {reasons:#?}",
        docs.len()
    );
    assert!(
        built >= MIN_BUILT_SHARE,
        "most generated message sets should be writable ({:.0}% were), else nothing is tested",
        built * 100.0
    );
    let failures = validate_all(&docs);
    assert!(
        failures.is_empty(),
        "every document the builders write validates against qbXML 13.0; {} did not, the first:\n{}\n{}",
        failures.len(),
        failures[0].1,
        docs[failures[0].0]
    );
}

/// Plain-notation decimal text with up to `places` decimals.
fn decimal_text(places: u32) -> impl Strategy<Value = (i64, u32, String)> {
    (-9_999_999_999_999i64..=9_999_999_999_999i64, 0..=places).prop_map(|(m, s)| {
        let d = Decimal::new(m, s);
        (m, s, d.to_string())
    })
}

proptest! {
    #![proptest_config(Config { cases: 2000, ..Config::default() })]

    #[test]
    fn sums_of_amounts_are_exact(cs in proptest::collection::vec(-1_000_000_000i64..=1_000_000_000i64, 0..200)) {
        let total: Decimal = cs.iter().map(|c| Decimal::new(*c, 2)).sum();
        let exact: i64 = cs.iter().sum();
        prop_assert_eq!(total, Decimal::new(exact, 2), "a sum of cents is the cents summed, exactly");
        // And the text QuickBooks receives says the same.
        prop_assert_eq!(parse_decimal(&format_amount(total)).unwrap(), total);
    }

    #[test]
    fn format_amount_round_trips_and_rounds_half_away_from_zero((m, s, text) in decimal_text(6)) {
        let d = parse_decimal(&text).expect("plain notation parses");
        prop_assert_eq!(d, Decimal::new(m, s), "parse_decimal reads exactly what was written");
        let written = format_amount(d);
        let (_, frac) = written.rsplit_once('.').expect("two places");
        prop_assert_eq!(frac.len(), 2, "AMTTYPE text has exactly two places: {}", written);
        let back = parse_decimal(&written).expect("format_amount writes what parse_decimal reads");
        prop_assert_eq!(back, round_cents(d));
        // Half away from zero, by integer arithmetic on the mantissa.
        let expected = if s <= 2 {
            Decimal::new(m, s)
        } else {
            let div = 10i128.pow(s - 2);
            let q = (i128::from(m).abs() * 2 + div) / (2 * div);
            let q = if m < 0 { -q } else { q };
            Decimal::from_i128_with_scale(q, 2)
        };
        prop_assert_eq!(round_cents(d), expected, "round_cents({}) rounds half away from zero", d);
        // Rounding twice changes nothing.
        prop_assert_eq!(round_cents(round_cents(d)), round_cents(d));
    }

    #[test]
    fn line_amounts_are_exact_products(q in 0i64..=100_000i64, qs in 0u32..=3, r in 0i64..=10_000_000i64) {
        let quantity = Decimal::new(q, qs);
        let rate = Decimal::new(r, 2);
        let amount = round_cents(quantity * rate);
        // The product computed in integers: q * r / 10^(qs+2), then to cents.
        let exact = i128::from(q) * i128::from(r);
        let div = 10i128.pow(qs);
        let cents = (exact * 2 + div) / (2 * div);
        prop_assert_eq!(amount, Decimal::from_i128_with_scale(cents, 2));
    }

    #[test]
    fn texts_that_are_not_plain_decimals_are_refused(s in "[0-9]{0,3}[eE,$ +][0-9]{1,3}") {
        prop_assert!(parse_decimal(&s).is_err(), "{:?} is not plain notation", s);
    }
}
