//! Import tests, grouped by concern: good files, exact numbers, re-import, every class of
//! problem (with its exact message), all-or-nothing.

use super::*;
use crate::store::outbox::{self, SyncState};
use crate::store::{customers, invoices, payments, status, tickets, RecordKind, RecordRef};

/// The example of import-format.md, verbatim.
const FORMAT_EXAMPLE: &str = r#"{
  "customers": [
    {
      "id": "C-1001",
      "name": "Ecker Designs",
      "company_name": "Ecker Designs LLC",
      "first_name": "Jane",
      "last_name": "Ecker",
      "email": "jane@ecker.example",
      "phone": "(555) 201-3344",
      "billing_address": {"line1": "12 Mill Rd", "line2": "Suite 4", "city": "Storrs",
                          "state": "CT", "postal_code": "06268", "country": "US"},
      "service_address": {"line1": "40 Depot St", "city": "Storrs", "state": "CT",
                          "postal_code": "06268"},
      "taxable": true,
      "active": true
    }
  ],
  "projects": [
    {"id": "P-77", "customer_id": "C-1001", "name": "Office Repairs", "active": true}
  ],
  "service_tickets": [
    {
      "id": "T-5", "customer_id": "C-1001", "project_id": null, "number": "T1005",
      "date": "2026-10-01", "description": "Quarterly HVAC inspection",
      "lines": [{"description": "Inspection labor", "quantity": "2", "rate": "95.00",
                 "taxable": false}]
    }
  ],
  "invoices": [
    {
      "id": "I-9", "customer_id": "C-1001", "project_id": null, "ticket_id": "T-5",
      "number": "10045", "date": "2026-10-03", "due_date": "2026-11-02",
      "memo": "Thank you for your business",
      "lines": [
        {"description": "Inspection labor", "quantity": "2", "rate": "95.00", "taxable": false},
        {"description": "Filter 20x25x1", "quantity": "4", "rate": "12.50", "taxable": true,
         "item": "Parts:Filters"}
      ],
      "expected_tax": "4.13",
      "void": false
    }
  ],
  "payments": [
    {"id": "PAY-3", "invoice_id": "I-9", "date": "2026-10-10", "amount": "194.13",
     "method": "Credit Card", "reference": "AUTH 889211"}
  ]
}"#;

fn dec(s: &str) -> Decimal {
    crate::money::parse_decimal(s).unwrap()
}
use crate::money::Decimal;

fn store() -> Store {
    Store::open_in_memory().unwrap()
}

fn rejected(result: Result<ImportSummary, ImportError>) -> Rejection {
    match result {
        Err(ImportError::Rejected(r)) => r,
        other => panic!("expected the file to be rejected, got {other:?}"),
    }
}

/// Imports `text` as `name` and returns the problem lines.
fn problems_of(store: &Store, name: &str, text: &str) -> Vec<String> {
    rejected(import_bytes(store, name, text.as_bytes())).problems
}

fn assert_problem(store: &Store, name: &str, text: &str, expected: &str) {
    let problems = problems_of(store, name, text);
    assert!(
        problems.iter().any(|p| p == expected),
        "expected the problem\n  {expected}\ngot\n  {}",
        problems.join("\n  ")
    );
}

const BASE: &str = r#"{"customers": [{"id": "C-1", "name": "Ecker"}],
    "invoices": [{"id": "I-1", "customer_id": "C-1", "number": "1", "date": "2026-10-03",
                  "lines": [{"description": "Labor", "amount": "10"}]}]}"#;

// ------------------------------------------------------------------ good files

#[test]
fn the_format_documents_example_imports_whole() {
    let store = store();
    let summary = import_bytes(&store, "example.json", FORMAT_EXAMPLE.as_bytes()).unwrap();
    let one = KindSummary {
        added: 1,
        ..KindSummary::default()
    };
    assert_eq!(
        summary,
        ImportSummary {
            customers: one,
            projects: one,
            service_tickets: one,
            invoices: one,
            payments: one,
            ..ImportSummary::default()
        },
        "one of each kind is in the example"
    );
    let c = store
        .read(|c| customers::get(c, "C-1001"))
        .unwrap()
        .unwrap();
    assert_eq!(c.customer.billing_address.line2.as_deref(), Some("Suite 4"));
    assert_eq!(
        c.customer.service_address.line1.as_deref(),
        Some("40 Depot St")
    );
    assert_eq!(
        c.customer.service_address.country, None,
        "not given stays not given"
    );
    let t = store.read(|c| tickets::get(c, "T-5")).unwrap().unwrap();
    assert_eq!(t.ticket.lines[0].rate, Some(dec("95.00")));
    assert_eq!(t.ticket.lines[0].taxable, Some(false));
    let i = store.read(|c| invoices::get(c, "I-9")).unwrap().unwrap();
    assert_eq!(i.invoice.ticket_id.as_deref(), Some("T-5"));
    assert_eq!(i.invoice.lines.len(), 2);
    assert_eq!(i.invoice.lines[1].item.as_deref(), Some("Parts:Filters"));
    assert_eq!(i.invoice.expected_tax, Some(dec("4.13")));
    assert_eq!(
        i.invoice.due_date.map(|d| d.to_string()).as_deref(),
        Some("2026-11-02")
    );
    let p = store.read(|c| payments::get(c, "PAY-3")).unwrap().unwrap();
    assert_eq!(
        p.payment.amount.to_string(),
        "194.13",
        "money is kept exactly as written"
    );
    let counts = store.read(status::status_counts).unwrap();
    assert_eq!(counts.invoices.pending, 1, "a new record waits to be sent");
}

#[test]
fn json_numbers_are_read_exactly() {
    let store = store();
    let text = r#"{"customers": [{"id": "C-1", "name": "Ecker"}],
        "invoices": [{"id": "I-1", "customer_id": "C-1", "number": "1", "date": "2026-10-03",
            "lines": [{"description": "a", "quantity": 0.1, "rate": 12345678901234.123456789},
                      {"description": "b", "amount": 0.30}]}],
        "payments": [{"id": "P-1", "invoice_id": "I-1", "date": "2026-10-04", "amount": 0.1}]}"#;
    import_bytes(&store, "n.json", text.as_bytes()).unwrap();
    let i = store.read(|c| invoices::get(c, "I-1")).unwrap().unwrap();
    let l = &i.invoice.lines;
    assert_eq!(
        l[0].quantity.unwrap().to_string(),
        "0.1",
        "a float would give 0.1000000000000000055"
    );
    assert_eq!(l[0].rate.unwrap().to_string(), "12345678901234.123456789");
    assert_eq!(
        l[1].amount.unwrap().to_string(),
        "0.30",
        "the written scale is kept"
    );
    let p = store.read(|c| payments::get(c, "P-1")).unwrap().unwrap();
    assert_eq!(p.payment.amount.to_string(), "0.1");
}

#[test]
fn csv_files_of_every_kind_import() {
    let store = store();
    let files = [
        (
            "customers.csv",
            "id,name,email,billing_address.line1,billing_address.city,taxable,active\n\
             C-1,Ecker Designs,jane@ecker.example,12 Mill Rd,Storrs,true,true\n\
             C-2,\"Smith, Bob\",,,,FALSE,\n",
        ),
        ("projects.csv", "id,customer_id,name,active\nP-1,C-1,Office Repairs,true\n"),
        (
            "service_tickets.csv",
            "id,customer_id,project_id,number,date,description,line.description,line.quantity,line.rate,line.taxable\n\
             T-1,C-1,P-1,T1005,2026-10-01,HVAC,Labor,2,95.00,false\n\
             T-1,C-1,P-1,T1005,2026-10-01,HVAC,Filter,4,12.50,true\n",
        ),
        (
            "invoices.csv",
            "id,customer_id,project_id,ticket_id,number,date,due_date,memo,expected_tax,void,line.description,line.quantity,line.rate,line.amount,line.taxable,line.item\n\
             I-1,C-1,P-1,T-1,10045,2026-10-03,2026-11-02,Thanks,4.13,false,Labor,2,95.00,,false,\n\
             I-1,C-1,P-1,T-1,10045,2026-10-03,2026-11-02,Thanks,4.13,false,Filter,,,50.00,true,Parts:Filters\n\
             I-2,C-2,,,10046,2026-10-04,,,,,Visit,,,80,,\n",
        ),
        (
            "payments.csv",
            "id,invoice_id,date,amount,method,reference\nPAY-1,I-1,2026-10-10,194.13,Check,1001\n",
        ),
    ];
    for (name, text) in files {
        import_bytes(&store, name, text.as_bytes())
            .unwrap_or_else(|e| panic!("{name} must import: {e}"));
    }
    let c2 = store.read(|c| customers::get(c, "C-2")).unwrap().unwrap();
    assert_eq!(
        c2.customer.name, "Smith, Bob",
        "quoted cells keep their commas"
    );
    assert!(!c2.customer.taxable, "FALSE is false");
    assert!(c2.customer.active, "an empty cell takes the default");
    let t = store.read(|c| tickets::get(c, "T-1")).unwrap().unwrap();
    assert_eq!(
        t.ticket.lines.len(),
        2,
        "two rows of one ticket are two lines"
    );
    let i1 = store.read(|c| invoices::get(c, "I-1")).unwrap().unwrap();
    assert_eq!(i1.invoice.lines[1].amount, Some(dec("50.00")));
    assert_eq!(i1.invoice.lines[1].item.as_deref(), Some("Parts:Filters"));
    assert_eq!(i1.invoice.project_id.as_deref(), Some("P-1"));
    let i2 = store.read(|c| invoices::get(c, "I-2")).unwrap().unwrap();
    assert_eq!((i2.invoice.project_id, i2.invoice.void), (None, false));
    assert!(store.read(|c| payments::get(c, "PAY-1")).unwrap().is_some());
}

#[test]
fn quickbooks_limits_are_not_import_errors() {
    let store = store();
    let long = "A customer name that is much longer than forty-one characters";
    let text = format!(
        r#"{{"customers": [{{"id": "C-1", "name": "{long}"}}, {{"id": "C-2", "name": "Has:Colon"}}],
            "invoices": [{{"id": "I-1", "customer_id": "C-1", "number": "INV-2026-000123",
                "date": "2026-10-03", "lines": [{{"description": "x", "amount": "1",
                "item": "An item name far longer than thirty-one characters"}}]}}]}}"#
    );
    let summary = import_bytes(&store, "limits.json", text.as_bytes()).unwrap();
    assert_eq!(
        summary.customers.added, 2,
        "the sync pre-flight flags these, not import"
    );
    assert_eq!(summary.invoices.added, 1);
}

// ------------------------------------------------------------------ re-import

#[test]
fn reimport_updates_by_id_keeps_the_guid_and_leaves_same_content_alone() {
    let store = store();
    import_bytes(&store, "a.json", BASE.as_bytes()).unwrap();
    let guid = store
        .read(|c| customers::get(c, "C-1"))
        .unwrap()
        .unwrap()
        .guid;
    let again = import_bytes(&store, "a.json", BASE.as_bytes()).unwrap();
    assert_eq!(
        again.customers.unchanged, 1,
        "the same content is not a change"
    );
    assert_eq!(again.invoices.unchanged, 1);
    let changed = BASE.replace("\"Ecker\"", "\"Ecker Designs\"");
    let s = import_bytes(&store, "a.json", changed.as_bytes()).unwrap();
    assert_eq!((s.customers.updated, s.invoices.unchanged), (1, 1));
    let c = store.read(|c| customers::get(c, "C-1")).unwrap().unwrap();
    assert_eq!(c.customer.name, "Ecker Designs");
    assert_eq!(c.guid, guid, "the ExternalGUID must survive a re-import");
}

#[test]
fn reimport_of_a_synced_invoice_makes_it_a_pending_update() {
    let store = store();
    import_bytes(&store, "a.json", BASE.as_bytes()).unwrap();
    let inv = RecordRef::new(RecordKind::Invoice, "I-1");
    store
        .write(|tx| {
            let s = crate::store::sessions::start(tx, None)?;
            let b = outbox::begin_batch(tx, s, "ms-1", "<QBXML/>")?;
            outbox::mark_in_flight(tx, b, &[(inv.clone(), "1".into())])?;
            outbox::mark_synced(tx, &inv, "1-2", Some("9"))
        })
        .unwrap();
    let changed = BASE.replace("\"10\"", "\"12.00\"");
    let s = import_bytes(&store, "a.json", changed.as_bytes()).unwrap();
    assert_eq!(s.invoices.updated, 1);
    let e = store.read(|c| outbox::get(c, &inv)).unwrap().unwrap();
    assert_eq!(
        e.state,
        SyncState::Pending,
        "the change must reach QuickBooks"
    );
    assert!(
        e.dirty,
        "QuickBooks has it already: an InvoiceMod, not a second InvoiceAdd"
    );
    assert_eq!(e.qb_id.as_deref(), Some("1-2"));
    let i = store.read(|c| invoices::get(c, "I-1")).unwrap().unwrap();
    assert_eq!(i.invoice.lines[0].amount, Some(dec("12.00")));
}

// ------------------------------------------------------------------ problems, exactly

#[test]
fn a_bad_date_is_named_with_record_and_field() {
    let text = BASE.replace("2026-10-03", "2026-13-01");
    assert_problem(
        &store(),
        "a.json",
        &text,
        "invoices[0] (id I-1): date \"2026-13-01\" is not a date (YYYY-MM-DD)",
    );
    let text = BASE.replace("2026-10-03", "2026-2-30");
    assert_problem(
        &store(),
        "a.json",
        &text,
        "invoices[0] (id I-1): date \"2026-2-30\" is not a date (YYYY-MM-DD)",
    );
}

#[test]
fn an_unknown_reference_in_csv_is_named_by_row() {
    let store = store();
    let csv = "id,customer_id,name\nP-1,C-1,Here\nP-2,C-77,Gone\n";
    import_bytes(&store, "x.json", BASE.as_bytes()).unwrap();
    assert_problem(
        &store,
        "projects.csv",
        csv,
        "projects.csv row 3: customer_id \"C-77\" is not a known customer",
    );
    let pay = r#"{"payments": [{"id": "P-1", "invoice_id": "I-404", "date": "2026-10-04", "amount": "5"}]}"#;
    assert_problem(
        &store,
        "p.json",
        pay,
        "payments[0] (id P-1): invoice_id \"I-404\" is not a known invoice",
    );
    let inv = BASE.replace(
        "\"customer_id\": \"C-1\",",
        "\"customer_id\": \"C-1\", \"project_id\": \"P-9\", \"ticket_id\": \"T-9\",",
    );
    let problems = problems_of(&store, "i.json", &inv);
    assert!(
        problems.contains(
            &"invoices[0] (id I-1): project_id \"P-9\" is not a known project".to_owned()
        ),
        "{problems:?}"
    );
    assert!(
        problems.contains(
            &"invoices[0] (id I-1): ticket_id \"T-9\" is not a known service ticket".to_owned()
        ),
        "{problems:?}"
    );
}

#[test]
fn a_project_of_another_customer_is_refused() {
    let text = r#"{"customers": [{"id": "C-1", "name": "A"}, {"id": "C-2", "name": "B"}],
        "projects": [{"id": "P-1", "customer_id": "C-2", "name": "Roof"}],
        "invoices": [{"id": "I-1", "customer_id": "C-1", "project_id": "P-1", "number": "1",
            "date": "2026-10-03", "lines": [{"description": "x", "amount": "1"}]}]}"#;
    assert_problem(
        &store(),
        "a.json",
        text,
        "invoices[0] (id I-1): project_id \"P-1\" belongs to customer \"C-2\", not to customer_id \"C-1\"",
    );
}

#[test]
fn unknown_keys_anywhere_are_errors() {
    let s = store();
    assert_problem(
        &s,
        "a.json",
        r#"{"custmers": []}"#,
        "unknown top-level key \"custmers\" (expected customers, projects, service_tickets, invoices, payments, vendors or expenses)",
    );
    assert_problem(
        &s,
        "a.json",
        r#"{"customers": [{"id": "C-1", "name": "A", "emial": "a@b"}]}"#,
        "customers[0] (id C-1): unknown field \"emial\"",
    );
    assert_problem(
        &s,
        "a.json",
        r#"{"customers": [{"id": "C-1", "name": "A", "billing_address": {"zip": "1"}}]}"#,
        "customers[0] (id C-1): unknown field \"billing_address.zip\"",
    );
    let text = BASE.replace("\"amount\": \"10\"", "\"amount\": \"10\", \"qty\": 1");
    assert_problem(
        &s,
        "a.json",
        &text,
        "invoices[0] (id I-1): unknown field \"lines[0].qty\"",
    );
    assert_problem(
        &s,
        "customers.csv",
        "id,name,emial\nC-1,A,a@b\n",
        "customers.csv: unknown column \"emial\" for a customers file",
    );
}

#[test]
fn missing_and_empty_required_fields() {
    let s = store();
    let text = r#"{"customers": [{"id": "C-1"}, {"name": "No id"}, {"id": "C-3", "name": " "}]}"#;
    let problems = problems_of(&s, "a.json", text);
    assert_eq!(
        problems,
        [
            "customers[0] (id C-1): name is missing",
            "customers[1]: id is missing",
            "customers[2] (id C-3): name is empty",
        ],
        "each missing field named, in file order"
    );
    let text = r#"{"customers": [{"id": "C-1", "name": "A"}],
        "invoices": [{"id": "I-1", "customer_id": "C-1", "number": "1", "date": "2026-10-03"},
                     {"id": "I-2", "customer_id": "C-1", "number": "2", "date": "2026-10-03", "lines": []}]}"#;
    let problems = problems_of(&s, "a.json", text);
    assert_eq!(
        problems,
        [
            "invoices[0] (id I-1): lines is missing",
            "invoices[1] (id I-2): lines is empty (at least one line is needed)",
        ]
    );
}

#[test]
fn bad_decimals_and_wrong_types() {
    let s = store();
    let text = r#"{"customers": [{"id": "C-1", "name": "A", "taxable": "yes"}],
        "invoices": [{"id": "I-1", "customer_id": "C-1", "number": 10045, "date": "2026-10-03",
            "lines": [{"description": "x", "amount": "1,000.00"}, {"description": "y", "amount": 1e3}]}]}"#;
    let problems = problems_of(&s, "a.json", text);
    assert_eq!(
        problems.len(),
        4,
        "a wrongly typed field is not also missing: {problems:#?}"
    );
    for expected in [
        "customers[0] (id C-1): taxable must be true or false, found \"yes\"",
        "invoices[0] (id I-1): number must be a string, found 10045",
        "invoices[0] (id I-1): lines[0].amount \"1,000.00\" is not a decimal number (use digits with an optional point, e.g. 95.00)",
        // serde_json writes an exponent in its own normal form; refused either way.
        "invoices[0] (id I-1): lines[1].amount \"1e+3\" is not a decimal number (use digits with an optional point, e.g. 95.00)",
    ] {
        assert!(problems.iter().any(|p| p == expected), "missing {expected:?} in {problems:#?}");
    }
    assert_problem(
        &s,
        "customers.csv",
        "id,name,taxable\nC-1,A,Y\n",
        "customers.csv row 2: taxable must be true or false, found \"Y\"",
    );
    assert_problem(
        &s,
        "a.json",
        r#"{"customers": [{"id": "C-1", "name": "A"}], "payments": [{"id": "P-1", "invoice_id": "I-1", "date": "2026-10-04", "amount": "0"}]}"#,
        "payments[0] (id P-1): amount \"0\" must be more than zero",
    );
}

#[test]
fn lines_need_a_description_and_an_amount() {
    let s = store();
    let text = BASE.replace(
        r#"[{"description": "Labor", "amount": "10"}]"#,
        r#"[{"quantity": "2"}, {"description": "b", "quantity": "2", "rate": "95", "amount": "100"}]"#,
    );
    let problems = problems_of(&s, "a.json", &text);
    assert_eq!(
        problems,
        [
            "invoices[0] (id I-1): lines[0].description is missing",
            "invoices[0] (id I-1): lines[0] needs amount, or quantity and rate",
            "invoices[0] (id I-1): lines[1].amount \"100\" is not quantity × rate (2 × 95 = 190)",
        ]
    );
    import_bytes(
        &s,
        "c.json",
        r#"{"customers": [{"id": "C-1", "name": "A"}]}"#.as_bytes(),
    )
    .unwrap();
    assert_problem(
        &s,
        "invoices.csv",
        "id,customer_id,number,date,line.description,line.quantity,line.rate,line.amount\nI-1,C-1,1,2026-10-03,Labor,2,,\n",
        "invoices.csv row 2: line needs amount, or quantity and rate",
    );
}

#[test]
fn duplicate_ids_in_one_file() {
    let s = store();
    let text = r#"{"customers": [{"id": "C-1", "name": "A"}, {"id": "C-1", "name": "B"}]}"#;
    assert_problem(
        &s,
        "a.json",
        text,
        "customers[1] (id C-1): id \"C-1\" is used more than once in this file (also customers[0])",
    );
    assert_problem(
        &s,
        "customers.csv",
        "id,name\nC-1,A\nC-2,B\nC-1,C\n",
        "customers.csv row 4: id \"C-1\" is used more than once in this file (also row 2)",
    );
}

#[test]
fn csv_header_fields_must_repeat_identically() {
    let s = store();
    import_bytes(
        &s,
        "c.json",
        r#"{"customers": [{"id": "C-1", "name": "A"}]}"#.as_bytes(),
    )
    .unwrap();
    let csv = "id,customer_id,number,date,line.description,line.amount\n\
               I-9,C-1,10045,2026-10-03,Labor,10\n\
               I-9,C-1,10045,2026-10-04,Parts,5\n";
    assert_problem(
        &s,
        "invoices.csv",
        csv,
        "invoices.csv row 3: date \"2026-10-04\" differs from \"2026-10-03\" on row 2 for the same invoice (id I-9); header fields must repeat on every line",
    );
}

#[test]
fn files_that_are_not_what_they_claim() {
    let s = store();
    let problems = problems_of(&s, "a.json", "{\"customers\": [");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("a.json: not valid JSON: "),
        "{problems:?}"
    );
    assert_problem(
        &s,
        "a.json",
        "[]",
        "a.json: expected one JSON object at the top level, found an array",
    );
    assert_problem(
        &s,
        "a.json",
        r#"{"customers": {"id": "C-1"}}"#,
        "customers must be an array of records, found an object",
    );
    assert_problem(
        &s,
        "stuff.csv",
        "foo,bar\n1,2\n",
        "stuff.csv: the header row matches no kind of record (customers need the columns id, name; projects: id, customer_id, name; service_tickets and invoices: id, customer_id, number, date, line.description; payments: id, invoice_id, date, amount; vendors: id, name; expenses: id, vendor_id, date, line.account, line.amount)",
    );
    assert_problem(
        &s,
        "lines.csv",
        "id,customer_id,number,date,line.description,line.amount\nX,C,1,2026-01-01,a,1\n",
        "lines.csv: the header row fits service_tickets and invoices; name the file after its kind (e.g. invoices.csv) or add a column only that kind has",
    );
    assert_problem(
        &s,
        "customers.csv",
        "id,name\nC-1,A,extra\n",
        "customers.csv row 2: has 3 cells, the header row has 2",
    );
}

#[test]
fn odd_inputs_are_reported_not_panicked_on() {
    let s = store();
    assert_eq!(
        problems_of(&s, "x.csv", ""),
        ["x.csv: the file is empty (expected a header row)"]
    );
    assert_eq!(
        problems_of(&s, "x.csv", "id,name\n\u{0}\u{1}"),
        ["x.csv row 2: has 1 cell, the header row has 2"]
    );
    let r = rejected(import_bytes(&s, "x.csv", &[0xff, 0xfe, 0x00]));
    assert_eq!(
        r.problems,
        ["x.csv: not UTF-8 text (save the file as CSV UTF-8)"]
    );
    let empty = import_bytes(&s, "x.json", b"{}").unwrap();
    assert_eq!(
        empty,
        ImportSummary::default(),
        "every top-level key is optional"
    );
    assert_eq!(empty.to_string(), "nothing to import");
    let header_only = import_bytes(&s, "customers.csv", b"id,name\n").unwrap();
    assert_eq!(header_only, ImportSummary::default());
}

#[test]
fn csv_cells_lose_surrounding_spaces() {
    let s = store();
    import_bytes(
        &s,
        "customers.csv",
        b"id, name, taxable\nC-1, Ecker , TRUE\n",
    )
    .unwrap();
    let c = s.read(|c| customers::get(c, "C-1")).unwrap().unwrap();
    assert_eq!(
        c.customer.name, "Ecker",
        "the space after a comma is not part of the name"
    );
}

// ------------------------------------------------------------------ all or nothing

#[test]
fn a_bad_file_changes_nothing() {
    let s = store();
    import_bytes(&s, "a.json", BASE.as_bytes()).unwrap();
    let before = s.read(status::export).unwrap();
    let before_c = s.read(|c| customers::get(c, "C-1")).unwrap();
    // Good updates and additions mixed with one bad record.
    let text = r#"{"customers": [{"id": "C-1", "name": "Renamed"}, {"id": "C-2", "name": "New"}],
        "payments": [{"id": "P-1", "invoice_id": "I-1", "date": "2026-10-44", "amount": "5"}]}"#;
    let r = rejected(import_bytes(&s, "b.json", text.as_bytes()));
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!(
        s.read(status::export).unwrap(),
        before,
        "no record added or changed"
    );
    assert_eq!(
        s.read(|c| customers::get(c, "C-1")).unwrap(),
        before_c,
        "C-1 not renamed"
    );
}

#[test]
fn a_file_with_many_problems_reports_at_least_fifty() {
    let s = store();
    let recs: Vec<String> = (0..60).map(|i| format!(r#"{{"id": "C-{i}"}}"#)).collect();
    let text = format!(r#"{{"customers": [{}]}}"#, recs.join(","));
    let r = rejected(import_bytes(&s, "many.json", text.as_bytes()));
    assert_eq!(r.total, 60, "every problem is counted");
    assert!(
        r.problems.len() >= 50,
        "the contract promises at least the first 50"
    );
    assert_eq!(r.problems[59], "customers[59] (id C-59): name is missing");
    assert_eq!(
        r.to_string().lines().count(),
        r.problems.len(),
        "Display prints one problem per line"
    );
}

#[test]
fn import_file_reads_from_disk_and_names_rows_by_file_name() {
    let s = store();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("customers.csv");
    std::fs::write(&path, "\u{feff}id,name\nC-1,Ecker\nC-2,\n").unwrap();
    let err = import_file(&s, &path).unwrap_err();
    assert_eq!(err.to_string(), "customers.csv row 3: name is missing");
    std::fs::write(&path, "\u{feff}id,name\nC-1,Ecker\n").unwrap();
    let summary = import_file(&s, &path).unwrap();
    assert_eq!(
        summary.customers.added, 1,
        "a byte order mark is not part of the header"
    );
    let missing = import_file(&s, &dir.path().join("nope.json")).unwrap_err();
    assert!(matches!(missing, ImportError::Read { .. }), "{missing:?}");
}

// ------------------------------------------------------------------ problems, taken apart

#[test]
fn each_problem_names_its_record_kind_id_and_field_for_the_api() {
    let s = store();
    let text = r#"{"customers": [{"id": "C-1", "name": "Ecker"}],
        "invoices": [{"id": "I-12", "customer_id": "C-1", "number": "1", "date": "2026-13-01",
                      "lines": [{"description": "x", "quantity": "a", "rate": "1"}], "colour": 1}],
        "bogus": []}"#;
    let r = rejected(import_bytes(&s, "d.json", text.as_bytes()));
    assert_eq!(r.details.len(), r.problems.len(), "one detail per line");
    for (d, line) in r.details.iter().zip(&r.problems) {
        assert_eq!(&d.to_string(), line, "a detail prints as its line");
    }
    let date = r
        .details
        .iter()
        .find(|d| d.field.as_deref() == Some("date"))
        .expect("the bad date is reported with its field");
    assert_eq!(date.record.as_deref(), Some("invoices[0]"));
    assert_eq!(date.kind, Some("invoices"));
    assert_eq!(date.id.as_deref(), Some("I-12"));
    assert_eq!(
        date.message,
        "date \"2026-13-01\" is not a date (YYYY-MM-DD)"
    );
    assert!(
        r.details
            .iter()
            .any(|d| d.field.as_deref() == Some("lines[0].quantity")),
        "a line's field is named by its path: {:?}",
        r.details
    );
    assert!(
        r.details
            .iter()
            .any(|d| d.field.as_deref() == Some("colour") && d.id.as_deref() == Some("I-12")),
        "an unknown field is named: {:?}",
        r.details
    );
    let top = r
        .details
        .iter()
        .find(|d| d.message.contains("bogus"))
        .expect("the unknown key is reported");
    assert_eq!(top.record, None, "a top-level key is about the document");
}

#[test]
fn csv_problems_carry_the_files_kind() {
    let s = store();
    let r = rejected(import_bytes(&s, "c.csv", b"id,name\nC-1,\n"));
    assert_eq!(r.details[0].record.as_deref(), Some("c.csv row 2"));
    assert_eq!(
        r.details[0].kind,
        Some("customers"),
        "the header says customers"
    );
    assert_eq!(r.details[0].field.as_deref(), Some("name"));
}

#[test]
fn a_forced_format_is_not_guessed() {
    let s = store();
    let err = import_as(&s, "body", b"id,name\nC-1,A\n", Format::Json).unwrap_err();
    assert!(
        err.to_string().starts_with("body: not valid JSON"),
        "the API's body is JSON whatever it looks like: {err}"
    );
}

// ------------------------------------------------------------------ vendors and expenses

/// The example of import-format.md's "Expenses, and income accounts", verbatim, with the
/// customer it names.
const EXPENSES_EXAMPLE: &str = r#"{
  "customers": [{"id": "C-1001", "name": "Ecker Designs"}],
  "vendors": [
    {"id": "V-3", "name": "Acme Supply", "company_name": "Acme Supply Co",
     "phone": "(555) 100-2000", "email": "ap@acme.example",
     "address": {"line1": "1 Depot Rd", "city": "Storrs", "state": "CT", "postal_code": "06268"},
     "active": true}
  ],
  "expenses": [
    {"id": "E-41", "vendor_id": "V-3", "date": "2026-10-04", "number": "INV-5531",
     "memo": "Filters for the Ecker job", "customer_id": "C-1001", "project_id": null,
     "lines": [{"account": "Job Materials", "description": "Filters", "amount": "84.20",
                "billable": true}],
     "paid": false, "paid_from": null, "due_date": "2026-11-03"}
  ]
}"#;

#[test]
fn the_expenses_example_imports_whole_and_is_exported() {
    let s = store();
    let summary = import_bytes(&s, "e.json", EXPENSES_EXAMPLE.as_bytes()).unwrap();
    assert_eq!(summary.vendors.added, 1);
    assert_eq!(summary.expenses.added, 1);
    let e = s
        .read(|c| crate::store::expenses::get(c, "E-41"))
        .unwrap()
        .unwrap()
        .expense;
    assert_eq!(
        (e.vendor_id.as_str(), e.paid, e.number.as_deref(), e.total()),
        ("V-3", false, Some("INV-5531"), dec("84.20"))
    );
    assert_eq!(e.lines[0].account, "Job Materials");
    assert!(e.lines[0].billable);
    let v = s
        .read(|c| crate::store::vendors::get(c, "V-3"))
        .unwrap()
        .unwrap()
        .vendor;
    assert_eq!(v.address.postal_code.as_deref(), Some("06268"));
    let export = s.read(status::export).unwrap();
    assert_eq!(export.vendors[0].id, "V-3");
    assert_eq!(
        (
            export.expenses[0].total.as_str(),
            export.expenses[0].sync.state
        ),
        ("84.20", "pending")
    );
    let entry = s
        .read(|c| outbox::get(c, &RecordRef::new(RecordKind::Expense, "E-41")))
        .unwrap()
        .unwrap();
    assert_eq!(entry.state, SyncState::Pending);
    // Again: nothing changes.
    let again = import_bytes(&s, "e.json", EXPENSES_EXAMPLE.as_bytes()).unwrap();
    assert_eq!(again.expenses.unchanged, 1);
}

#[test]
fn expense_problems_are_named_per_record_and_field() {
    let s = store();
    let doc = r#"{"vendors": [{"id": "V-1", "name": "Acme"}],
        "expenses": [
          {"id": "E-1", "vendor_id": "V-9", "date": "2026-10-04",
           "lines": [{"account": "Job Materials", "amount": "1.00"}]},
          {"id": "E-2", "vendor_id": "V-1", "date": "2026-10-04", "paid": true,
           "lines": [{"account": "Job Materials", "amount": "1.00"}]},
          {"id": "E-3", "vendor_id": "V-1", "date": "2026-10-04", "paid_from": "Checking",
           "lines": [{"account": "Job Materials", "amount": "1.00"}]},
          {"id": "E-4", "vendor_id": "V-1", "date": "2026-10-04",
           "lines": [{"amount": "x"}]},
          {"id": "E-5", "vendor_id": "V-1", "date": "2026-10-04",
           "lines": [{"account": "Job Materials", "amount": "5.00", "billable": true}]},
          {"id": "E-6", "vendor_id": "V-1", "date": "2026-10-04", "customer_id": "C-404",
           "lines": [{"account": "Job Materials", "amount": "5.00", "colour": "red"}]}
        ]}"#;
    let problems = problems_of(&s, "e.json", doc);
    for expected in [
        "expenses[0] (id E-1): vendor_id \"V-9\" is not a known vendor",
        "expenses[1] (id E-2): paid_from is missing: a paid expense names the bank or credit-card account it was paid from (full name or account number)",
        "expenses[2] (id E-3): paid_from \"Checking\" is given but paid is false (an unpaid expense becomes a bill; set paid to true for a check or a credit-card charge)",
        "expenses[3] (id E-4): lines[0].account is missing",
        "expenses[4] (id E-5): lines[0].billable is true but the expense has no customer_id or project_id to bill it to",
        "expenses[5] (id E-6): unknown field \"lines[0].colour\"",
        "expenses[5] (id E-6): customer_id \"C-404\" is not a known customer",
    ] {
        assert!(
            problems.iter().any(|p| p == expected),
            "expected the problem\n  {expected}\ngot\n  {}",
            problems.join("\n  ")
        );
    }
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("expenses[3] (id E-4): lines[0].amount ")),
        "{problems:?}"
    );
    assert!(
        s.read(|c| crate::store::vendors::get(c, "V-1"))
            .unwrap()
            .is_none(),
        "a bad file changes nothing"
    );
    let details = rejected(import_bytes(&s, "e.json", doc.as_bytes())).details;
    let billable = details
        .iter()
        .find(|d| d.id.as_deref() == Some("E-5"))
        .unwrap();
    assert_eq!(
        (billable.kind, billable.field.as_deref()),
        (Some("expenses"), Some("lines[0].billable"))
    );
}

#[test]
fn vendor_and_expense_csv_files_import() {
    let s = store();
    import_bytes(
        &s,
        "vendors.csv",
        b"id,name,address.city,active\nV-1,Acme Supply,Storrs,true\n",
    )
    .unwrap();
    let summary = import_bytes(
        &s,
        "expenses.csv",
        b"id,vendor_id,date,paid,paid_from,line.account,line.amount,line.description\n\
          E-1,V-1,2026-10-04,true,1000,5010,84.20,Filters\n\
          E-1,V-1,2026-10-04,true,1000,Utilities:Gas,12.00,Gas\n",
    )
    .unwrap();
    assert_eq!(summary.expenses.added, 1);
    let e = s
        .read(|c| crate::store::expenses::get(c, "E-1"))
        .unwrap()
        .unwrap()
        .expense;
    assert_eq!(e.lines.len(), 2, "one row per line, as invoices");
    assert_eq!(e.total(), dec("96.20"));
    assert_eq!(e.paid_from.as_deref(), Some("1000"));
    assert!(!e.void, "void left out is false");
    // A minimal customer file (id, name) stays a customer file.
    let summary = import_bytes(&s, "people.csv", b"id,name\nC-1,Someone\n").unwrap();
    assert_eq!((summary.customers.added, summary.vendors.added), (1, 0));
}

#[test]
fn an_expense_may_be_voided_in_json_and_csv() {
    let s = store();
    let voided = EXPENSES_EXAMPLE.replace(r#""paid": false,"#, r#""paid": false, "void": true,"#);
    assert_ne!(voided, EXPENSES_EXAMPLE, "the example was changed");
    let summary = import_bytes(&s, "e.json", voided.as_bytes()).unwrap();
    assert_eq!(summary.expenses.added, 1);
    let void_of = |id: &str| {
        s.read(|c| crate::store::expenses::get(c, id))
            .unwrap()
            .unwrap()
            .expense
            .void
    };
    assert!(void_of("E-41"), "JSON: void true is kept");
    import_bytes(
        &s,
        "expenses.csv",
        b"id,vendor_id,date,void,line.account,line.amount\n\
          E-41,V-3,2026-10-04,false,Job Materials,84.20\n\
          E-42,V-3,2026-10-05,true,Job Materials,10.00\n",
    )
    .unwrap();
    assert!(!void_of("E-41"), "CSV: void false un-voids it");
    assert!(void_of("E-42"), "CSV: void true is kept");
    let problems = problems_of(
        &s,
        "e.json",
        r#"{"expenses": [{"id": "E-43", "vendor_id": "V-3", "date": "2026-10-04", "void": "maybe",
            "lines": [{"account": "Job Materials", "amount": "1.00"}]}]}"#,
    );
    assert!(
        problems.iter().any(|p| p.contains("void")),
        "a void that is not true or false is named: {problems:?}"
    );
}
