//! Company behaviour tests, grouped by concern. Every response is also checked against the
//! qbXML 13.0 schema: a simulator that answers in a shape QuickBooks never uses would make
//! FieldBridge's tests lie.

use std::path::PathBuf;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::clock::format_datetime;
use crate::schema;

fn doc(on_error: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>"#
    )
}

fn ask(c: &mut Company, body: &str) -> Element {
    let response = c
        .process(&doc("continueOnError", body))
        .expect("the document is well-formed");
    assert_valid(&response);
    msgs(&response)
}

fn msgs(response: &str) -> Element {
    let root = Element::parse(response).expect("responses are well-formed");
    root.first("QBXMLMsgsRs")
        .cloned()
        .expect("a QBXMLMsgsRs element")
}

fn assert_valid(response: &str) {
    if let Err(e) = schema::validate(response) {
        panic!("the simulator's answer must be schema-valid: {e}\n{response}");
    }
}

fn code(rs: &Element) -> &str {
    rs.get_attr("statusCode").unwrap_or("")
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("test decimal")
}

fn reference(path: &str) -> PathBuf {
    schema::schema_path()
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join(path))
        .expect("reference folder")
}

fn add_customer_rq(id: &str, name: &str, parent: Option<&str>) -> String {
    let parent = parent
        .map(|p| format!("<ParentRef><FullName>{p}</FullName></ParentRef>"))
        .unwrap_or_default();
    format!(
        r#"<CustomerAddRq requestID="{id}"><CustomerAdd><Name>{name}</Name>{parent}</CustomerAdd></CustomerAddRq>"#
    )
}

// ------------------------------------------------------------------ reference samples

#[test]
fn answers_every_reference_request_with_a_schema_valid_response() {
    let dir = reference("samples/requests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("reference requests folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "the reference requests must be found at {}",
        dir.display()
    );
    for file in files {
        let mut c = Company::fixture(3);
        c.add_customer("Acme Plumbing");
        c.add_job("Acme Plumbing", "Job 1001 - Water heater");
        let request = std::fs::read_to_string(&file).expect("readable sample");
        let response = c
            .process(&request)
            .unwrap_or_else(|e| panic!("{} must be accepted: {e}", file.display()));
        if let Err(e) = schema::validate(&response) {
            panic!(
                "answer to {} must be schema-valid: {e}\n{response}",
                file.display()
            );
        }
    }
}

#[test]
fn the_written_customer_sample_adds_a_customer_and_its_job() {
    let mut c = Company::new(1);
    let request =
        std::fs::read_to_string(reference("samples/requests/CustomerAddRq.test-written.xml"))
            .expect("sample");
    let rs = msgs(&c.process(&request).expect("accepted"));
    assert_eq!(rs.children.len(), 2, "two requests, two responses");
    let job = rs.children[1].first("CustomerRet").expect("job added");
    assert_eq!(
        job.text_of("FullName"),
        Some("Acme Plumbing:Job 1001 - Water heater"),
        "jobs are Parent:Job"
    );
    assert_eq!(
        job.text_of("Sublevel"),
        Some("1"),
        "a job is one level down"
    );
    assert_eq!(
        job.path(&["ParentRef", "FullName"])
            .map(|e| e.text.as_str()),
        Some("Acme Plumbing")
    );
}

#[test]
fn the_written_invoice_sample_computes_tax_on_taxable_lines_only() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme Plumbing");
    c.add_job("Acme Plumbing", "Job 1001 - Water heater");
    let request =
        std::fs::read_to_string(reference("samples/requests/InvoiceAddRq.test-written.xml"))
            .expect("sample");
    let response = c.process(&request).expect("accepted");
    assert_valid(&response);
    let rs = msgs(&response);
    let ret = rs.children[0].first("InvoiceRet").expect("invoice added");
    assert_eq!(
        ret.text_of("Subtotal"),
        Some("840.00"),
        "2 x 95.00 + 650.00"
    );
    assert_eq!(
        ret.text_of("SalesTaxPercentage"),
        Some("6.25"),
        "the default sales-tax item IL State"
    );
    // Only the water heater (Tax) is taxable: 650.00 x 6.25% = 40.625 -> 40.63.
    assert_eq!(
        ret.text_of("SalesTaxTotal"),
        Some("40.63"),
        "tax on taxable lines, half away from zero"
    );
    assert_eq!(ret.text_of("BalanceRemaining"), Some("880.63"));
    assert_eq!(ret.text_of("IsPaid"), Some("false"));
    assert_eq!(ret.text_of("RefNumber"), Some("FS-1001"));
    let lines: Vec<&Element> = ret.all("InvoiceLineRet").collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0].text_of("Amount"),
        Some("190.00"),
        "quantity x rate"
    );
    assert_eq!(
        lines[1].text_of("Rate"),
        Some("650.00"),
        "rate derived from amount / quantity"
    );
}

// ------------------------------------------------------------------ customers and jobs

#[test]
fn customer_names_are_unique_among_siblings_case_insensitively() {
    let mut c = Company::new(1);
    let rs = ask(
        &mut c,
        &[
            add_customer_rq("1", "Acme", None),
            add_customer_rq("2", "ACME", None),
            add_customer_rq("3", "Job A", Some("Acme")),
            add_customer_rq("4", "job a", Some("Acme")),
            add_customer_rq("5", "Job A", None),
        ]
        .concat(),
    );
    let codes: Vec<&str> = rs.children.iter().map(code).collect();
    assert_eq!(
        codes,
        ["0", "3100", "0", "3100", "0"],
        "siblings clash, cousins do not"
    );
    assert_eq!(
        rs.children[1].get_attr("statusMessage"),
        Some("The name \"ACME\" of the list element is already in use."),
        "QuickBooks' exact 3100 wording"
    );
    assert_eq!(
        c.count_customers_named("acme"),
        1,
        "the duplicate was not created"
    );
    assert_eq!(c.customer_count(), 3);
}

#[test]
fn jobs_nest_with_full_names_sublevels_and_parent_refs() {
    let mut c = Company::new(1);
    let rs = ask(
        &mut c,
        &[
            add_customer_rq("1", "Acme", None),
            add_customer_rq("2", "Site 1", Some("Acme")),
            add_customer_rq("3", "Phase 2", Some("acme:site 1")),
            add_customer_rq("4", "Orphan", Some("Nobody")),
        ]
        .concat(),
    );
    let phase = rs.children[2].first("CustomerRet").expect("nested job");
    assert_eq!(
        phase.text_of("FullName"),
        Some("Acme:Site 1:Phase 2"),
        "full name joins every level"
    );
    assert_eq!(phase.text_of("Sublevel"), Some("2"));
    assert_eq!(code(&rs.children[3]), "3130", "a missing parent is 3130");
    let view = c.customer("Acme:Site 1").expect("job exists");
    assert_eq!(view.parent_full_name.as_deref(), Some("Acme"));
}

#[test]
fn external_guid_is_stored_returned_and_findable() {
    let mut c = Company::new(1);
    let guid = "{6B063959-81B0-4622-85D6-F548C8CCB517}";
    let rs = ask(
        &mut c,
        &format!(
            r#"<CustomerAddRq requestID="1"><CustomerAdd><Name>Acme</Name><CompanyName>Acme LLC</CompanyName><Phone>555-0100</Phone><SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef><ExternalGUID>{guid}</ExternalGUID></CustomerAdd></CustomerAddRq>"#
        ),
    );
    let ret = rs.children[0].first("CustomerRet").expect("added");
    assert_eq!(
        ret.text_of("ExternalGUID"),
        Some(guid),
        "the GUID comes back in CustomerRet"
    );
    assert_eq!(
        ret.text_of("CompanyName"),
        Some("Acme LLC"),
        "echoed fields come back"
    );
    assert_eq!(
        c.find_customer_by_external_guid(guid).map(|v| v.full_name),
        Some("Acme".to_string())
    );
}

#[test]
fn customer_mod_needs_the_current_edit_sequence_and_changes_it() {
    let mut c = Company::new(1);
    let id = c.add_customer("Acme");
    let es = c.customer("Acme").expect("exists").edit_sequence;
    let stale = ask(
        &mut c,
        &format!(
            r#"<CustomerModRq requestID="1"><CustomerMod><ListID>{id}</ListID><EditSequence>1</EditSequence><Phone>1</Phone></CustomerMod></CustomerModRq>"#
        ),
    );
    assert_eq!(
        code(&stale.children[0]),
        "3200",
        "a stale EditSequence is refused"
    );
    let ok = ask(
        &mut c,
        &format!(
            r#"<CustomerModRq requestID="2"><CustomerMod><ListID>{id}</ListID><EditSequence>{es}</EditSequence><Name>Acme Co</Name><Phone>555</Phone></CustomerMod></CustomerModRq>"#
        ),
    );
    let ret = ok.children[0].first("CustomerRet").expect("modified");
    assert_ne!(
        ret.text_of("EditSequence"),
        Some(es.as_str()),
        "every mod changes EditSequence"
    );
    assert_eq!(ret.text_of("FullName"), Some("Acme Co"));
    assert_eq!(ret.text_of("Phone"), Some("555"));
    let missing = ask(
        &mut c,
        r#"<CustomerModRq requestID="3"><CustomerMod><ListID>80000999-1</ListID><EditSequence>1</EditSequence></CustomerMod></CustomerModRq>"#,
    );
    assert_eq!(
        code(&missing.children[0]),
        "3120",
        "an unknown ListID is 3120"
    );
}

#[test]
fn customer_query_is_active_only_unless_asked_and_filters_by_modified_date() {
    let mut c = Company::new(1);
    c.add_customer("Active One");
    c.add_customer("Sleeping");
    c.set_customer_active("Sleeping", false);
    let default = ask(&mut c, r#"<CustomerQueryRq requestID="1"/>"#);
    assert_eq!(
        default.children[0].all("CustomerRet").count(),
        1,
        "ActiveStatus defaults to ActiveOnly"
    );
    let all = ask(
        &mut c,
        r#"<CustomerQueryRq requestID="1"><ActiveStatus>All</ActiveStatus></CustomerQueryRq>"#,
    );
    assert_eq!(
        all.children[0].all("CustomerRet").count(),
        2,
        "All includes inactive records"
    );
    let by_name = ask(
        &mut c,
        r#"<CustomerQueryRq requestID="1"><FullName>sleeping</FullName></CustomerQueryRq>"#,
    );
    assert_eq!(
        by_name.children[0].all("CustomerRet").count(),
        1,
        "FullName finds inactive records"
    );
    c.advance_clock(chrono::Duration::hours(1));
    let cutoff = c.now_text();
    c.add_customer("Later");
    let since = ask(
        &mut c,
        &format!(
            r#"<CustomerQueryRq requestID="1"><FromModifiedDate>{}</FromModifiedDate></CustomerQueryRq>"#,
            &cutoff[..19]
        ),
    );
    let names: Vec<&str> = since.children[0]
        .all("CustomerRet")
        .filter_map(|r| r.text_of("Name"))
        .collect();
    assert_eq!(
        names,
        ["Later"],
        "FromModifiedDate (company-local) selects only newer changes"
    );
    let unknown = ask(
        &mut c,
        r#"<CustomerQueryRq requestID="1"><ListID>8000FFFF-1</ListID></CustomerQueryRq>"#,
    );
    assert_eq!(
        code(&unknown.children[0]),
        "3120",
        "an unknown ListID is 3120, as captured"
    );
}

// ------------------------------------------------------------------ tax and money

fn invoice_rq(customer: &str, lines: &[(&str, &str, Option<&str>)], extra: &str) -> String {
    let lines: String = lines
        .iter()
        .map(|(item, amount, code)| {
            let code = code.map(|c| format!("<SalesTaxCodeRef><FullName>{c}</FullName></SalesTaxCodeRef>")).unwrap_or_default();
            format!("<InvoiceLineAdd><ItemRef><FullName>{item}</FullName></ItemRef><Amount>{amount}</Amount>{code}</InvoiceLineAdd>")
        })
        .collect();
    format!(
        r#"<InvoiceAddRq requestID="i"><InvoiceAdd><CustomerRef><FullName>{customer}</FullName></CustomerRef>{extra}{lines}</InvoiceAdd></InvoiceAddRq>"#
    )
}

#[test]
fn sales_tax_is_exact_and_rounds_half_away_from_zero() {
    type Line<'a> = (&'a str, &'a str, Option<&'a str>);
    let cases: &[(&str, &[Line<'_>], &str, &str, &str)] = &[
        // (tax item, lines, expected subtotal, expected percent, expected tax)
        (
            "IL State",
            &[("Labor", "0.40", Some("Tax"))],
            "0.40",
            "6.25",
            "0.03",
        ), // 0.025 -> 0.03
        (
            "IL State",
            &[("Labor", "0.20", Some("Tax"))],
            "0.20",
            "6.25",
            "0.01",
        ), // 0.0125 -> 0.01
        (
            "Chicago Combined",
            &[
                ("Labor", "100.00", Some("Tax")),
                ("Trip Charge", "49.00", None),
            ],
            "149.00",
            "8.00",
            "8.00",
        ),
        (
            "Chicago Combined",
            &[
                ("Labor", "33.33", Some("Tax")),
                ("Labor", "33.33", Some("Tax")),
            ],
            "66.66",
            "8.00",
            "5.33",
        ), // 5.3328
        (
            "Out of State",
            &[("Labor", "100.00", Some("Tax"))],
            "100.00",
            "0.00",
            "0.00",
        ),
    ];
    for (tax_item, lines, subtotal, percent, tax) in cases {
        let mut c = Company::fixture(1);
        c.add_customer("Acme");
        let extra = format!("<ItemSalesTaxRef><FullName>{tax_item}</FullName></ItemSalesTaxRef>");
        let rs = ask(&mut c, &invoice_rq("Acme", lines, &extra));
        let ret = rs.children[0]
            .first("InvoiceRet")
            .unwrap_or_else(|| panic!("invoice added for {tax_item}: {rs:?}"));
        assert_eq!(
            ret.text_of("Subtotal"),
            Some(*subtotal),
            "{tax_item} subtotal"
        );
        assert_eq!(
            ret.text_of("SalesTaxPercentage"),
            Some(*percent),
            "{tax_item} percent"
        );
        assert_eq!(
            ret.text_of("SalesTaxTotal"),
            Some(*tax),
            "{tax_item}: tax on {lines:?}"
        );
        let view = c.invoices().pop().expect("one invoice");
        assert_eq!(
            view.total,
            d(subtotal) + d(tax),
            "total = subtotal + tax, exactly"
        );
    }
}

#[test]
fn sales_tax_off_means_no_tax_and_customer_tax_item_is_used() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    c.set_customer_tax("Acme", Some("Tax"), Some("Chicago Combined"));
    let rs = ask(
        &mut c,
        &invoice_rq("Acme", &[("Labor", "100.00", Some("Tax"))], ""),
    );
    let ret = rs.children[0].first("InvoiceRet").expect("added");
    assert_eq!(
        ret.path(&["ItemSalesTaxRef", "FullName"])
            .map(|e| e.text.as_str()),
        Some("Chicago Combined"),
        "the customer's tax item applies"
    );
    assert_eq!(ret.text_of("SalesTaxTotal"), Some("8.00"));
    c.set_sales_tax_enabled(false);
    let rs = ask(
        &mut c,
        &invoice_rq("Acme", &[("Labor", "100.00", Some("Tax"))], ""),
    );
    let ret = rs.children[0].first("InvoiceRet").expect("added");
    assert_eq!(
        ret.text_of("SalesTaxTotal"),
        Some("0.00"),
        "no sales tax when the preference is off"
    );
    assert!(ret.first("ItemSalesTaxRef").is_none());
}

#[test]
fn a_non_taxable_customer_code_wins_over_taxable_lines() {
    let mut c = Company::fixture(1);
    c.add_customer("Greenfield Elementary");
    c.set_customer_tax("Greenfield Elementary", Some("Non"), Some("IL State"));
    let taxable_lines: &[(&str, &str, Option<&str>)] = &[
        ("Labor", "100.00", Some("Tax")),
        ("Labor", "21.60", Some("Tax")),
    ];
    // The customer's own code (Non), no code on the form: no line is taxed.
    let rs = ask(
        &mut c,
        &invoice_rq("Greenfield Elementary", taxable_lines, ""),
    );
    let ret = rs.children[0].first("InvoiceRet").expect("added");
    assert_eq!(ret.text_of("Subtotal"), Some("121.60"));
    assert_eq!(
        ret.text_of("SalesTaxTotal"),
        Some("0.00"),
        "an exempt customer is not taxed whatever the lines say"
    );
    // The code on the form wins over the customer's own, both ways.
    let taxed = "<CustomerSalesTaxCodeRef><FullName>Tax</FullName></CustomerSalesTaxCodeRef>";
    let rs = ask(
        &mut c,
        &invoice_rq("Greenfield Elementary", taxable_lines, taxed),
    );
    let ret = rs.children[0].first("InvoiceRet").expect("added");
    assert_eq!(
        ret.text_of("SalesTaxTotal"),
        Some("7.60"),
        "a taxable code on the form: each taxable line is taxed (6.25 % of 121.60)"
    );
    c.add_customer("Acme");
    c.set_customer_tax("Acme", Some("Tax"), Some("IL State"));
    let exempt = "<CustomerSalesTaxCodeRef><FullName>Non</FullName></CustomerSalesTaxCodeRef>";
    let rs = ask(&mut c, &invoice_rq("Acme", taxable_lines, exempt));
    let ret = rs.children[0].first("InvoiceRet").expect("added");
    assert_eq!(
        ret.text_of("SalesTaxTotal"),
        Some("0.00"),
        "Non on the form exempts a taxable customer's invoice"
    );
}

#[test]
fn include_ret_element_on_an_add_returns_only_the_named_elements() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    let rq = r#"<InvoiceAddRq requestID="i"><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><InvoiceLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Amount>10.00</Amount></InvoiceLineAdd></InvoiceAdd><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>EditSequence</IncludeRetElement><IncludeRetElement>BalanceRemaining</IncludeRetElement></InvoiceAddRq>"#;
    let rs = ask(&mut c, rq);
    assert_eq!(code(&rs.children[0]), "0", "the invoice is added");
    let ret = rs.children[0].first("InvoiceRet").expect("added");
    let names: Vec<&str> = ret.children.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["TxnID", "EditSequence", "BalanceRemaining"],
        "QuickBooks returns only what IncludeRetElement names, in schema order"
    );
    assert_eq!(
        c.invoice_count(),
        1,
        "the add itself is whole: restricting the answer changes nothing saved"
    );
}

#[test]
fn missing_references_answer_3140_in_quickbooks_words() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    let rs = ask(
        &mut c,
        &[
            invoice_rq("Nobody", &[("Labor", "1.00", None)], ""),
            invoice_rq("Acme", &[("Nothing", "1.00", None)], ""),
        ]
        .concat(),
    );
    assert_eq!(code(&rs.children[0]), "3140");
    assert_eq!(
        rs.children[0].get_attr("statusMessage"),
        Some("There is an invalid reference to QuickBooks Customer \"Nobody\" in the Invoice.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list."),
    );
    assert_eq!(code(&rs.children[1]), "3140");
    assert!(
        rs.children[1]
            .get_attr("statusMessage")
            .is_some_and(|m| m.contains("Item \"Nothing\"")),
        "the message names the missing item"
    );
    assert_eq!(
        c.invoice_count(),
        0,
        "nothing is added on a failed reference"
    );
}

#[test]
fn estimates_follow_the_preference() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    let estimate = r#"<EstimateAddRq requestID="e"><EstimateAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><ExternalGUID>{11111111-2222-3333-4444-555555555555}</ExternalGUID><EstimateLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Quantity>3</Quantity></EstimateLineAdd></EstimateAdd></EstimateAddRq>"#;
    let rs = ask(&mut c, estimate);
    let ret = rs.children[0].first("EstimateRet").expect("estimate added");
    assert_eq!(
        ret.text_of("TotalAmount"),
        Some("285.00"),
        "3 x the item's price 95.00, Labor is Non"
    );
    c.set_estimates_enabled(false);
    let rs = ask(&mut c, estimate);
    assert_eq!(
        code(&rs.children[0]),
        "3250",
        "estimates off: feature not enabled"
    );
    assert_eq!(c.estimate_count(), 1);
}

// ------------------------------------------------------------------ payments

#[test]
fn payments_reduce_balances_and_overpayment_is_3210() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    let rs = ask(
        &mut c,
        &invoice_rq(
            "Acme",
            &[
                ("Parts:Water Heater 40gal", "650.00", None),
                ("Labor", "190.00", None),
            ],
            "",
        ),
    );
    let txn = rs.children[0]
        .path(&["InvoiceRet", "TxnID"])
        .expect("invoice")
        .text
        .clone();
    assert_eq!(c.invoice(&txn).map(|v| v.total), Some(d("880.63")));
    let pay = |amount: &str| {
        format!(
            r#"<ReceivePaymentAddRq requestID="p"><ReceivePaymentAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><TotalAmount>{amount}</TotalAmount><PaymentMethodRef><FullName>Check</FullName></PaymentMethodRef><ExternalGUID>{{AAAAAAAA-2222-3333-4444-555555555555}}</ExternalGUID><AppliedToTxnAdd><TxnID>{txn}</TxnID><PaymentAmount>{amount}</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>"#
        )
    };
    let rs = ask(&mut c, &pay("500.00"));
    let ret = rs.children[0]
        .first("ReceivePaymentRet")
        .expect("payment added");
    assert_eq!(
        ret.path(&["AppliedToTxnRet", "BalanceRemaining"])
            .map(|e| e.text.as_str()),
        Some("380.63")
    );
    assert_eq!(
        c.invoice(&txn).map(|v| v.balance_remaining),
        Some(d("380.63")),
        "the payment reduces the balance"
    );
    assert_eq!(
        c.customer("Acme").map(|v| v.balance),
        Some(d("380.63")),
        "and the customer's balance"
    );
    let rs = ask(&mut c, &pay("380.64"));
    assert_eq!(
        code(&rs.children[0]),
        "3210",
        "paying more than is due is refused"
    );
    assert_eq!(
        rs.children[0].get_attr("statusMessage"),
        Some("The \"AppliedToTxnAdd payment amount\" field has an invalid value \"380.64\".  QuickBooks error message: You cannot pay more than the amount due."),
    );
    assert_eq!(
        rs.children[0].get_attr("statusSeverity"),
        Some("Info"),
        "as captured from QuickBooks"
    );
    assert_eq!(c.payment_count(), 1, "the refused payment was not recorded");
    // A payment entered in QuickBooks by the user settles the rest.
    c.add_payment("Acme", d("380.63"), &[(&txn, d("380.63"))], Some("CHK-9"))
        .expect("user payment");
    let view = c.invoice(&txn).expect("invoice");
    assert!(
        view.is_paid && view.balance_remaining.is_zero(),
        "fully paid: {view:?}"
    );
    let q = ask(
        &mut c,
        r#"<ReceivePaymentQueryRq requestID="q"><IncludeLineItems>true</IncludeLineItems></ReceivePaymentQueryRq>"#,
    );
    assert_eq!(
        q.children[0].all("ReceivePaymentRet").count(),
        2,
        "both payments are queryable"
    );
}

// ------------------------------------------------------------------ iterators

#[test]
fn iterators_page_through_and_expire() {
    let mut c = Company::new(9);
    c.seed_customers("Customer", 12, 0);
    let start = ask(
        &mut c,
        r#"<CustomerQueryRq requestID="1" iterator="Start"><MaxReturned>5</MaxReturned></CustomerQueryRq>"#,
    );
    let rs = &start.children[0];
    assert_eq!(rs.all("CustomerRet").count(), 5);
    assert_eq!(rs.get_attr("iteratorRemainingCount"), Some("7"));
    let id = rs.get_attr("iteratorID").expect("iterator id").to_string();
    assert!(
        id.starts_with('{') && id.ends_with('}'),
        "QuickBooks iterator ids are braced GUIDs"
    );
    let cont = format!(
        r#"<CustomerQueryRq requestID="2" iterator="Continue" iteratorID="{id}"><MaxReturned>5</MaxReturned></CustomerQueryRq>"#
    );
    let second = ask(&mut c, &cont);
    assert_eq!(second.children[0].all("CustomerRet").count(), 5);
    assert_eq!(
        second.children[0].get_attr("iteratorRemainingCount"),
        Some("2")
    );
    let third = ask(&mut c, &cont);
    assert_eq!(third.children[0].all("CustomerRet").count(), 2);
    assert_eq!(
        third.children[0].get_attr("iteratorRemainingCount"),
        Some("0")
    );
    let mut seen: Vec<String> = [&start, &second, &third]
        .iter()
        .flat_map(|m| {
            m.children[0]
                .all("CustomerRet")
                .filter_map(|r| r.text_of("ListID").map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        12,
        "every customer exactly once across the pages"
    );
    let after = ask(&mut c, &cont);
    assert_eq!(
        code(&after.children[0]),
        "3000",
        "an exhausted iterator is gone"
    );
    // An iterator dies with the session.
    let start = ask(
        &mut c,
        r#"<CustomerQueryRq requestID="1" iterator="Start"><MaxReturned>5</MaxReturned></CustomerQueryRq>"#,
    );
    let id = start.children[0]
        .get_attr("iteratorID")
        .expect("id")
        .to_string();
    c.end_session();
    let expired = ask(
        &mut c,
        &format!(
            r#"<CustomerQueryRq requestID="2" iterator="Continue" iteratorID="{id}"><MaxReturned>5</MaxReturned></CustomerQueryRq>"#
        ),
    );
    assert_eq!(
        code(&expired.children[0]),
        "3000",
        "iterators expire when the session ends"
    );
}

// ------------------------------------------------------------------ message sets

#[test]
fn a_lost_message_set_is_recovered_with_old_message_set_id_without_duplicates() {
    let mut c = Company::new(1);
    let body = [
        add_customer_rq("a", "Acme", None),
        add_customer_rq("b", "Acme", None),
    ]
    .concat();
    let first = c
        .process(&format!(
            r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError" newMessageSetID="ms-1">{body}</QBXMLMsgsRq></QBXML>"#
        ))
        .expect("accepted");
    assert_valid(&first);
    let original = msgs(&first);
    assert_eq!(original.get_attr("newMessageSetID"), Some("ms-1"));
    let list_id = original.children[0]
        .path(&["CustomerRet", "ListID"])
        .expect("added")
        .text
        .clone();
    // The answer was "lost": ask what became of ms-1.
    let recovered = c
        .process(r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError" oldMessageSetID="ms-1"/></QBXML>"#)
        .expect("accepted");
    assert_valid(&recovered);
    let recovered = msgs(&recovered);
    assert_eq!(
        recovered.get_attr("messageSetStatusCode"),
        Some("0"),
        "the set was processed"
    );
    let codes: Vec<&str> = recovered.children.iter().map(code).collect();
    assert_eq!(
        codes,
        ["0", "3100"],
        "each request's original status comes back"
    );
    assert_eq!(recovered.children[0].get_attr("requestID"), Some("a"));
    assert_eq!(
        recovered.children[0]
            .path(&["ErrorRecovery", "ListID"])
            .map(|e| e.text.as_str()),
        Some(list_id.as_str()),
        "ErrorRecovery names the object the lost answer created"
    );
    assert_eq!(c.customer_count(), 1, "recovery never re-applies the set");
    let unknown = c
        .process(r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="continueOnError" oldMessageSetID="never-sent"/></QBXML>"#)
        .expect("accepted");
    assert_valid(&unknown);
    assert_eq!(
        msgs(&unknown).get_attr("messageSetStatusCode"),
        Some("600"),
        "nothing saved under an unknown id"
    );
}

#[test]
fn stop_on_error_stops_and_continue_on_error_goes_on() {
    let body = [
        add_customer_rq("1", "A", None),
        add_customer_rq("2", "A", None),
        add_customer_rq("3", "B", None),
    ]
    .concat();
    let mut c = Company::new(1);
    let stop = msgs(&c.process(&doc("stopOnError", &body)).expect("accepted"));
    assert_eq!(
        stop.children.len(),
        2,
        "stopOnError: nothing after the first error is processed or answered"
    );
    assert_eq!(c.customer_count(), 1);
    let mut c = Company::new(1);
    let go = msgs(&c.process(&doc("continueOnError", &body)).expect("accepted"));
    assert_eq!(go.children.len(), 3);
    assert_eq!(c.customer_count(), 2);
}

#[test]
fn lock_faults_fail_the_request_and_change_nothing() {
    let mut c = Company::new(1);
    c.inject_lock_fault(Some("CustomerAddRq"), LockCode::Modified3180);
    let rs = ask(&mut c, &add_customer_rq("1", "Newcastle", None));
    assert_eq!(code(&rs.children[0]), "3180");
    assert_eq!(
        rs.children[0].get_attr("statusMessage"),
        Some("There was an error when saving a Customer list, element \"Newcastle\". QuickBooks error message: This list has been modified by another user."),
        "QuickBooks' 3180 wording"
    );
    assert_eq!(c.customer_count(), 0);
    let rs = ask(&mut c, &add_customer_rq("1", "Newcastle", None));
    assert_eq!(code(&rs.children[0]), "0", "the fault was one-shot");
}

#[test]
fn transient_faults_are_seeded() {
    let run = |seed| {
        let mut c = Company::new(seed);
        c.set_transient_fault_rate(500);
        let body: String = (0..20)
            .map(|i| add_customer_rq(&i.to_string(), &format!("C{i}"), None))
            .collect();
        let rs = ask(&mut c, &body);
        rs.children
            .iter()
            .map(|r| code(r).to_string())
            .collect::<Vec<_>>()
    };
    let a = run(5);
    assert_eq!(a, run(5), "the same seed fails the same requests");
    assert!(
        a.iter().any(|c| c == "0") && a.iter().any(|c| c == "3180" || c == "3175"),
        "half fail: {a:?}"
    );
}

// ------------------------------------------------------------------ deletions

#[test]
fn deletions_show_in_deleted_queries_only() {
    let mut c = Company::fixture(1);
    let gone = c.add_customer("Gone Inc");
    c.add_customer("Acme");
    let rs = ask(
        &mut c,
        &invoice_rq(
            "Acme",
            &[("Labor", "10.00", None)],
            "<RefNumber>77</RefNumber>",
        ),
    );
    let txn = rs.children[0]
        .path(&["InvoiceRet", "TxnID"])
        .expect("added")
        .text
        .clone();
    c.delete_list_object(&gone)
        .expect("an unused customer can be deleted");
    c.delete_txn(&txn)
        .expect("an unpaid invoice can be deleted");
    assert!(
        c.delete_list_object(&c.customer("Acme").expect("acme").list_id)
            .is_ok(),
        "Acme has no transactions left"
    );
    let rs = ask(
        &mut c,
        r#"<ListDeletedQueryRq requestID="l"><ListDelType>Customer</ListDelType></ListDeletedQueryRq><TxnDeletedQueryRq requestID="t"><TxnDelType>Invoice</TxnDelType></TxnDeletedQueryRq><CustomerQueryRq requestID="c"><ActiveStatus>All</ActiveStatus></CustomerQueryRq>"#,
    );
    let names: Vec<&str> = rs.children[0]
        .all("ListDeletedRet")
        .filter_map(|r| r.text_of("FullName"))
        .collect();
    assert_eq!(names, ["Gone Inc", "Acme"]);
    assert_eq!(
        rs.children[1]
            .path(&["TxnDeletedRet", "RefNumber"])
            .map(|e| e.text.as_str()),
        Some("77")
    );
    assert_eq!(
        code(&rs.children[2]),
        "1",
        "deleted customers are invisible to CustomerQuery"
    );
}

#[test]
fn a_customer_in_use_cannot_be_deleted() {
    let mut c = Company::new(1);
    let parent = c.add_customer("Acme");
    c.add_job("Acme", "Job");
    assert!(
        c.delete_list_object(&parent).is_err(),
        "a customer with jobs stays"
    );
}

// ------------------------------------------------------------------ documents

#[test]
fn a_malformed_set_is_refused_whole_and_changes_nothing() {
    let mut c = Company::new(1);
    let body = [
        add_customer_rq("1", "Acme", None),
        r#"<CustomerAddRq requestID="2"><CustomerAdd/></CustomerAddRq>"#.to_string(),
    ]
    .concat();
    let err = c
        .process(&doc("continueOnError", &body))
        .expect_err("a missing Name is a parse failure");
    assert_eq!(err.hresult(), "0x80040400");
    assert_eq!(
        c.customer_count(),
        0,
        "QuickBooks applies nothing from a document it cannot parse"
    );
    let doctype = r#"<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY x "y">]><QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>"#;
    assert!(
        matches!(
            c.process(doctype),
            Err(CompanyError::Xml(XmlError::DocType))
        ),
        "DOCTYPE is refused"
    );
    assert!(matches!(
        c.process(&doc("rollbackOnError", "")),
        Err(CompanyError::OnError(_))
    ));
}

#[test]
fn unsupported_requests_get_a_status_not_silence() {
    let mut c = Company::new(1);
    let rs = ask(&mut c, r#"<EmployeeQueryRq requestID="v"/>"#);
    assert_eq!(
        code(&rs.children[0]),
        "1030",
        "the simulator says it does not model this"
    );
}

#[test]
fn same_seed_same_answers() {
    let run = || {
        let mut c = Company::fixture(42);
        let mut out = Vec::new();
        for body in [
            add_customer_rq("1", "Acme", None),
            invoice_rq("Acme", &[("Labor", "10.00", Some("Tax"))], ""),
            r#"<CustomerQueryRq requestID="1" iterator="Start"><MaxReturned>1</MaxReturned></CustomerQueryRq>"#.to_string(),
        ] {
            out.push(c.process(&doc("continueOnError", &body)).expect("accepted"));
        }
        out
    };
    assert_eq!(run(), run(), "a company is deterministic given its seed");
}

#[test]
fn the_hcp_response_looks_like_quickbooks_pro_and_tracks_preferences() {
    let mut c = Company::fixture(1);
    c.set_file_id("{00000EE0-1111-FFFF-CCCC-5FF123456047}");
    let hcp = c.hcp_response();
    assert_valid(&hcp);
    let m = msgs(&hcp);
    let host = m.children[0].first("HostRet").expect("HostRet");
    assert_eq!(host.text_of("Country"), Some("US"));
    assert_eq!(
        host.all("SupportedQBXMLVersion")
            .last()
            .map(|e| e.text.as_str()),
        Some("13.0")
    );
    assert!(host
        .text_of("ProductName")
        .is_some_and(|p| p.starts_with("QuickBooks Pro")));
    let estimates = |m: &Element| {
        m.children[2]
            .path(&[
                "PreferencesRet",
                "JobsAndEstimatesPreferences",
                "IsUsingEstimates",
            ])
            .map(|e| e.text.clone())
    };
    assert_eq!(estimates(&m).as_deref(), Some("true"));
    c.set_estimates_enabled(false);
    assert_eq!(
        estimates(&msgs(&c.hcp_response())).as_deref(),
        Some("false"),
        "preferences follow the switches"
    );
}

#[test]
fn recovery_can_return_the_full_saved_response_when_asked() {
    let mut c = Company::new(1);
    c.set_recovery_returns_full_response(true);
    c.process(&format!(
        r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="continueOnError" newMessageSetID="ms-2">{}</QBXMLMsgsRq></QBXML>"#,
        add_customer_rq("a", "Acme", None)
    ))
    .expect("accepted");
    let recovered = c
        .process(r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="continueOnError" oldMessageSetID="ms-2"/></QBXML>"#)
        .expect("accepted");
    assert_valid(&recovered);
    let m = msgs(&recovered);
    assert_eq!(
        m.children[0]
            .path(&["CustomerRet", "Name"])
            .map(|e| e.text.as_str()),
        Some("Acme"),
        "full mode returns the saved Ret itself"
    );
    assert_eq!(c.customer_count(), 1, "and still applies nothing twice");
}

#[test]
fn cut_documents_never_panic_and_never_apply_half_a_set() {
    let dir = reference("samples/requests");
    for entry in std::fs::read_dir(&dir).expect("samples").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("readable");
        for cut in (0..text.len()).step_by(37) {
            let Some(part) = text.get(..cut) else {
                continue;
            };
            let mut c = Company::fixture(1);
            let before = c.customer_count();
            if c.process(part).is_err() {
                assert_eq!(
                    c.customer_count(),
                    before,
                    "a refused document changes nothing"
                );
            }
        }
    }
}

#[test]
fn absurd_amounts_are_refused_not_panicked_on() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    let line = "<InvoiceLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Quantity>79228162514264337593543950335</Quantity><Rate>79228162514264337593543950335</Rate></InvoiceLineAdd>";
    let rs = c
        .process(&doc(
            "continueOnError",
            &format!(r#"<InvoiceAddRq requestID="i"><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>{line}</InvoiceAdd></InvoiceAddRq>"#),
        ))
        .expect("well-formed");
    assert_eq!(
        code(&msgs(&rs).children[0]),
        "3210",
        "an overflowing amount is an invalid value"
    );
    assert_eq!(c.invoice_count(), 0);
}

#[test]
fn invoice_query_by_txn_ids_modified_dates_entities_and_line_items() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    c.add_job("Acme", "Job 1");
    c.add_customer("Other");
    let first = ask(
        &mut c,
        &invoice_rq(
            "Acme:Job 1",
            &[("Labor", "10.00", None)],
            "<RefNumber>A-1</RefNumber>",
        ),
    );
    let first_id = first.children[0]
        .path(&["InvoiceRet", "TxnID"])
        .expect("added")
        .text
        .clone();
    c.advance_clock(chrono::Duration::hours(2));
    let cutoff = c.now_text();
    let second = ask(
        &mut c,
        &invoice_rq(
            "Other",
            &[("Labor", "20.00", None)],
            "<RefNumber>B-1</RefNumber>",
        ),
    );
    let second_id = second.children[0]
        .path(&["InvoiceRet", "TxnID"])
        .expect("added")
        .text
        .clone();

    let by_ids = ask(
        &mut c,
        &format!(
            r#"<InvoiceQueryRq requestID="q"><TxnID>{second_id}</TxnID><TxnID>{first_id}</TxnID></InvoiceQueryRq>"#
        ),
    );
    let ids: Vec<&str> = by_ids.children[0]
        .all("InvoiceRet")
        .filter_map(|r| r.text_of("TxnID"))
        .collect();
    assert_eq!(
        ids,
        [second_id.as_str(), first_id.as_str()],
        "TxnID lists come back in the order asked"
    );
    assert!(
        by_ids.children[0]
            .all("InvoiceRet")
            .all(|r| r.first("InvoiceLineRet").is_none()),
        "no lines unless IncludeLineItems"
    );

    let since = ask(
        &mut c,
        &format!(
            r#"<InvoiceQueryRq requestID="q"><ModifiedDateRangeFilter><FromModifiedDate>{cutoff}</FromModifiedDate></ModifiedDateRangeFilter><IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>"#
        ),
    );
    let rets: Vec<&Element> = since.children[0].all("InvoiceRet").collect();
    assert_eq!(rets.len(), 1, "only the invoice modified after the cutoff");
    assert_eq!(rets[0].text_of("RefNumber"), Some("B-1"));
    assert_eq!(
        rets[0].all("InvoiceLineRet").count(),
        1,
        "IncludeLineItems returns the lines"
    );

    let family = ask(
        &mut c,
        r#"<InvoiceQueryRq requestID="q"><EntityFilter><FullNameWithChildren>Acme</FullNameWithChildren></EntityFilter></InvoiceQueryRq>"#,
    );
    let refs: Vec<&str> = family.children[0]
        .all("InvoiceRet")
        .filter_map(|r| r.text_of("RefNumber"))
        .collect();
    assert_eq!(refs, ["A-1"], "a customer's jobs are included WithChildren");

    let missing = ask(
        &mut c,
        r#"<InvoiceQueryRq requestID="q"><TxnID>FFFF-1</TxnID></InvoiceQueryRq>"#,
    );
    assert_eq!(code(&missing.children[0]), "3120");
}

#[test]
fn list_del_and_txn_del_requests_answer_in_schema_shape() {
    let mut c = Company::fixture(1);
    let gone = c.add_customer("Gone Inc");
    c.add_customer("Acme");
    let inv = ask(
        &mut c,
        &invoice_rq(
            "Acme",
            &[("Labor", "10.00", None)],
            "<RefNumber>9</RefNumber>",
        ),
    );
    let txn = inv.children[0]
        .path(&["InvoiceRet", "TxnID"])
        .expect("added")
        .text
        .clone();
    let rs = ask(
        &mut c,
        &format!(
            r#"<ListDelRq requestID="l"><ListDelType>Customer</ListDelType><ListID>{gone}</ListID></ListDelRq><TxnDelRq requestID="t"><TxnDelType>Invoice</TxnDelType><TxnID>{txn}</TxnID></TxnDelRq><TxnDelRq requestID="t2"><TxnDelType>Invoice</TxnDelType><TxnID>{txn}</TxnID></TxnDelRq>"#
        ),
    );
    assert_eq!(rs.children[0].text_of("FullName"), Some("Gone Inc"));
    assert_eq!(rs.children[1].text_of("RefNumber"), Some("9"));
    assert_eq!(
        code(&rs.children[2]),
        "3120",
        "a deleted transaction cannot be deleted twice"
    );
    assert_eq!(c.invoice_count(), 0);
}

#[test]
fn message_set_ids_longer_than_23_characters_are_refused() {
    let mut c = Company::new(1);
    let uuid = "6b063959-81b0-4622-85d6-f548c8ccb517";
    let err = c
        .process(&format!(
            r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError" newMessageSetID="{uuid}">{}</QBXMLMsgsRq></QBXML>"#,
            add_customer_rq("1", "Acme", None)
        ))
        .expect_err("Intuit limits message set ids to 23 characters");
    assert!(
        err.to_string().contains("23"),
        "the error says the limit: {err}"
    );
    assert_eq!(c.customer_count(), 0, "nothing applied");
}

#[test]
fn request_ids_longer_than_50_characters_get_1060() {
    let mut c = Company::new(1);
    let long = "x".repeat(51);
    let rs = ask(&mut c, &add_customer_rq(&long, "Acme", None));
    assert_eq!(code(&rs.children[0]), "1060");
    assert_eq!(c.customer_count(), 0, "the request was not processed");
    let rs = ask(&mut c, &add_customer_rq(&"y".repeat(50), "Acme", None));
    assert_eq!(code(&rs.children[0]), "0", "50 characters is fine");
}

#[test]
fn every_list_query_answers_schema_valid_rets_of_its_kind() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    ask(&mut c, &invoice_rq("Acme", &[("Labor", "1.00", None)], ""));
    ask(
        &mut c,
        r#"<EstimateAddRq requestID="e"><EstimateAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><EstimateLineAdd><ItemRef><FullName>Labor</FullName></ItemRef></EstimateLineAdd></EstimateAdd></EstimateAddRq>"#,
    );
    let cases = [
        ("AccountQueryRq", "AccountRet", 7),
        ("PaymentMethodQueryRq", "PaymentMethodRet", 6),
        ("SalesTaxCodeQueryRq", "SalesTaxCodeRet", 2),
        ("ItemServiceQueryRq", "ItemServiceRet", 1),
        ("ItemNonInventoryQueryRq", "ItemNonInventoryRet", 2),
        ("ItemOtherChargeQueryRq", "ItemOtherChargeRet", 1),
        ("ItemSalesTaxQueryRq", "ItemSalesTaxRet", 3),
        ("ItemSalesTaxGroupQueryRq", "ItemSalesTaxGroupRet", 1),
        ("EstimateQueryRq", "EstimateRet", 1),
        ("InvoiceQueryRq", "InvoiceRet", 1),
    ];
    for (rq, ret, count) in cases {
        let rs = ask(&mut c, &format!(r#"<{rq} requestID="1"/>"#));
        assert_eq!(
            rs.children[0].all(ret).count(),
            count,
            "{rq} returns {count} {ret}"
        );
    }
    let items = ask(&mut c, r#"<ItemQueryRq requestID="1"/>"#);
    assert_eq!(
        items.children[0].children.len(),
        8,
        "ItemQuery returns every kind"
    );
    let heater = ask(
        &mut c,
        r#"<ItemQueryRq requestID="1"><FullName>parts:water heater 40GAL</FullName></ItemQueryRq>"#,
    );
    let ret = &heater.children[0].children[0];
    assert_eq!(ret.text_of("Sublevel"), Some("1"));
    assert_eq!(
        ret.path(&["SalesTaxCodeRef", "FullName"])
            .map(|e| e.text.as_str()),
        Some("Tax")
    );
    assert_eq!(
        ret.path(&["SalesOrPurchase", "Price"])
            .map(|e| e.text.as_str()),
        Some("650.00")
    );
}

#[test]
fn the_daylight_saving_skew_hides_records_from_a_window_without_overlap() {
    let mut c = Company::new(1);
    c.add_customer("Early");
    let modified = c.customer("Early").expect("exists").time_modified;
    c.set_modified_filter_skew(chrono::Duration::hours(1));
    let since = |c: &mut Company, from: &str| {
        let rs = ask(
            c,
            &format!(
                r#"<CustomerQueryRq requestID="1"><FromModifiedDate>{from}</FromModifiedDate></CustomerQueryRq>"#
            ),
        );
        rs.children[0].all("CustomerRet").count()
    };
    assert_eq!(
        since(&mut c, &modified),
        0,
        "a window starting at the change misses it under the skew"
    );
    let overlapped = c.clock.parse_datetime(&modified).expect("valid") - chrono::Duration::hours(2);
    assert_eq!(
        since(&mut c, &format_datetime(&overlapped)),
        1,
        "an overlapping window still sees it"
    );
    c.set_modified_filter_skew(chrono::Duration::zero());
    assert_eq!(
        since(&mut c, &modified),
        1,
        "no skew: FromModifiedDate is inclusive"
    );
}

#[test]
fn auto_applied_payments_pay_oldest_invoices_first_and_keep_the_rest_unused() {
    let mut c = Company::fixture(1);
    c.add_customer("Acme");
    let first = ask(
        &mut c,
        &invoice_rq("Acme", &[("Labor", "100.00", None)], ""),
    );
    let second = ask(&mut c, &invoice_rq("Acme", &[("Labor", "50.00", None)], ""));
    let first_id = first.children[0]
        .path(&["InvoiceRet", "TxnID"])
        .expect("added")
        .text
        .clone();
    let second_id = second.children[0]
        .path(&["InvoiceRet", "TxnID"])
        .expect("added")
        .text
        .clone();
    let rs = ask(
        &mut c,
        r#"<ReceivePaymentAddRq requestID="p"><ReceivePaymentAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><TotalAmount>170.00</TotalAmount><IsAutoApply>true</IsAutoApply></ReceivePaymentAdd></ReceivePaymentAddRq>"#,
    );
    let ret = rs.children[0]
        .first("ReceivePaymentRet")
        .expect("payment added");
    assert_eq!(
        ret.text_of("UnusedPayment"),
        Some("20.00"),
        "170 - 100 - 50 stays unused"
    );
    let applied: Vec<&str> = ret
        .all("AppliedToTxnRet")
        .filter_map(|a| a.text_of("TxnID"))
        .collect();
    assert_eq!(
        applied,
        [first_id.as_str(), second_id.as_str()],
        "oldest first"
    );
    assert!(
        c.invoices().iter().all(|i| i.is_paid),
        "both invoices are paid"
    );
    assert_eq!(
        c.customer("Acme").map(|v| v.balance),
        Some(d("-20.00")),
        "the unused payment is a credit"
    );
    let rs = ask(
        &mut c,
        &format!(
            r#"<InvoiceQueryRq requestID="q"><TxnID>{first_id}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns></InvoiceQueryRq>"#
        ),
    );
    let linked = rs.children[0]
        .path(&["InvoiceRet", "LinkedTxn"])
        .expect("the payment is linked");
    assert_eq!(linked.text_of("TxnType"), Some("ReceivePayment"));
    assert_eq!(
        linked.text_of("Amount"),
        Some("-100.00"),
        "QuickBooks shows the applied payment negative"
    );
}

#[test]
fn vendors_bills_checks_and_card_charges_are_saved_once_and_answered_schema_valid() {
    let mut c = Company::fixture(16);
    c.add_customer("Ecker Designs");
    c.add_account("Job Materials", "CostOfGoodsSold", Some("5010"))
        .unwrap();
    c.add_account("Company Visa", "CreditCard", Some("2100"))
        .unwrap();
    let rs = ask(
        &mut c,
        r#"<VendorAddRq requestID="v"><VendorAdd><Name>Acme Supply</Name><CompanyName>Acme Supply Co</CompanyName><VendorAddress><Addr1>1 Depot Rd</Addr1><City>Storrs</City></VendorAddress><Phone>555-100-2000</Phone><ExternalGUID>{6B063959-81B0-4622-85D6-F548C8CCB517}</ExternalGUID></VendorAdd></VendorAddRq>"#,
    );
    assert_eq!(code(&rs.children[0]), "0");
    let taken = ask(
        &mut c,
        r#"<VendorAddRq requestID="v2"><VendorAdd><Name>ecker designs</Name></VendorAdd></VendorAddRq>"#,
    );
    assert_eq!(
        code(&taken.children[0]),
        "3100",
        "vendors and customers share QuickBooks' one list of names"
    );
    let line = |account: &str, amount: &str, billable: &str| {
        format!(
            "<ExpenseLineAdd><AccountRef><FullName>{account}</FullName></AccountRef><Amount>{amount}</Amount><CustomerRef><FullName>Ecker Designs</FullName></CustomerRef><BillableStatus>{billable}</BillableStatus></ExpenseLineAdd>"
        )
    };
    let bill = ask(
        &mut c,
        &format!(
            r#"<BillAddRq requestID="b"><BillAdd><VendorRef><FullName>Acme Supply</FullName></VendorRef><TxnDate>2026-10-04</TxnDate><DueDate>2026-11-03</DueDate><RefNumber>INV-5531</RefNumber><ExternalGUID>{{1B063959-81B0-4622-85D6-F548C8CCB517}}</ExternalGUID>{}{}</BillAdd></BillAddRq>"#,
            line("Job Materials", "84.20", "Billable"),
            line("Job Materials", "1.00", "NotBillable")
        ),
    );
    assert_eq!(code(&bill.children[0]), "0");
    assert_eq!(
        bill.children[0].children[0].text_of("AmountDue"),
        Some("85.20")
    );
    let check = ask(
        &mut c,
        &format!(
            r#"<CheckAddRq requestID="k"><CheckAdd><AccountRef><FullName>Checking</FullName></AccountRef><PayeeEntityRef><FullName>Acme Supply</FullName></PayeeEntityRef><TxnDate>2026-10-05</TxnDate><IsToBePrinted>false</IsToBePrinted>{}</CheckAdd></CheckAddRq>"#,
            line("Job Materials", "10.00", "NotBillable")
        ),
    );
    assert_eq!(code(&check.children[0]), "0");
    let charge = ask(
        &mut c,
        &format!(
            r#"<CreditCardChargeAddRq requestID="cc"><CreditCardChargeAdd><AccountRef><FullName>Company Visa</FullName></AccountRef><PayeeEntityRef><FullName>Acme Supply</FullName></PayeeEntityRef>{}</CreditCardChargeAdd></CreditCardChargeAddRq>"#,
            line("Job Materials", "5.50", "Billable")
        ),
    );
    assert_eq!(code(&charge.children[0]), "0");
    // A check drawn on a credit card account, a charge on a bank account: refused (3140).
    let wrong_check = ask(
        &mut c,
        &format!(
            r#"<CheckAddRq requestID="k2"><CheckAdd><AccountRef><FullName>Company Visa</FullName></AccountRef>{}</CheckAdd></CheckAddRq>"#,
            line("Job Materials", "1.00", "NotBillable")
        ),
    );
    assert_eq!(code(&wrong_check.children[0]), "3140");
    let onto_ar = ask(
        &mut c,
        &format!(
            r#"<CreditCardChargeAddRq requestID="cc2"><CreditCardChargeAdd><AccountRef><FullName>Company Visa</FullName></AccountRef>{}</CreditCardChargeAdd></CreditCardChargeAddRq>"#,
            line("Accounts Receivable", "1.00", "NotBillable")
        ),
    );
    assert_eq!(
        code(&onto_ar.children[0]),
        "3140",
        "an expense line cannot post to Accounts Receivable"
    );
    assert_eq!(c.purchase_count(PurchaseKind::Bill), 1);
    assert_eq!(c.purchase_count(PurchaseKind::Check), 1);
    assert_eq!(c.purchase_count(PurchaseKind::CreditCardCharge), 1);
    assert_eq!(
        c.expense_totals_by_account().get("Job Materials"),
        Some(&d("100.70"))
    );
    assert_eq!(
        c.purchase_totals_by_paying_account()
            .get("Accounts Payable"),
        Some(&d("85.20"))
    );
    for (rq, ret, count) in [
        ("VendorQueryRq", "VendorRet", 1),
        ("BillQueryRq", "BillRet", 1),
        ("CheckQueryRq", "CheckRet", 1),
        ("CreditCardChargeQueryRq", "CreditCardChargeRet", 1),
    ] {
        let rs = ask(&mut c, &format!(r#"<{rq} requestID="1"/>"#));
        assert_eq!(
            rs.children[0].all(ret).count(),
            count,
            "{rq} returns {count} {ret}"
        );
    }
    let accounts = ask(
        &mut c,
        r#"<AccountQueryRq requestID="a"><FullName>Job Materials</FullName></AccountQueryRq>"#,
    );
    let a = &accounts.children[0].children[0];
    assert_eq!(a.text_of("AccountType"), Some("CostOfGoodsSold"));
    assert_eq!(a.text_of("AccountNumber"), Some("5010"));
}

// ------------------------------------------------------------- journal entries, deposits

fn journal_rq(id: &str, lines: &[(bool, &str, &str, Option<&str>)]) -> String {
    let body: String = lines
        .iter()
        .map(|(debit, account, amount, entity)| {
            let tag = if *debit { "JournalDebitLine" } else { "JournalCreditLine" };
            let entity = entity
                .map(|e| format!("<EntityRef><FullName>{e}</FullName></EntityRef>"))
                .unwrap_or_default();
            format!("<{tag}><AccountRef><FullName>{account}</FullName></AccountRef><Amount>{amount}</Amount>{entity}</{tag}>")
        })
        .collect();
    format!(
        r#"<JournalEntryAddRq requestID="{id}"><JournalEntryAdd><TxnDate>2026-10-05</TxnDate><RefNumber>FB261005P</RefNumber><ExternalGUID>{{6B063959-81B0-4622-85D6-F548C8CCB517}}</ExternalGUID>{body}</JournalEntryAdd></JournalEntryAddRq>"#
    )
}

#[test]
fn a_journal_entry_must_balance_name_a_customer_on_receivables_and_carry_no_sign() {
    let mut c = Company::fixture(4);
    c.add_customer("Field Sales");
    let rs = ask(
        &mut c,
        &[
            journal_rq(
                "out",
                &[
                    (true, "Accounts Receivable", "100.00", Some("Field Sales")),
                    (false, "Services", "99.99", None),
                ],
            ),
            journal_rq(
                "noname",
                &[
                    (true, "Accounts Receivable", "100.00", None),
                    (false, "Services", "100.00", None),
                ],
            ),
            journal_rq(
                "sign",
                &[
                    (true, "Services", "-5.00", None),
                    (false, "Sales", "-5.00", None),
                ],
            ),
            journal_rq(
                "ok",
                &[
                    (true, "Accounts Receivable", "106.25", Some("Field Sales")),
                    (false, "Services", "100.00", None),
                    (false, "Sales Tax Payable", "6.25", None),
                ],
            ),
        ]
        .concat(),
    );
    assert_eq!(code(&rs.children[0]), "3210", "out of balance is refused");
    assert!(rs.children[0]
        .get_attr("statusMessage")
        .unwrap()
        .contains("Transaction not in balance"));
    assert_eq!(code(&rs.children[1]), "3210", "A/R needs a customer");
    assert_eq!(code(&rs.children[2]), "3210", "no negative amounts");
    assert_eq!(code(&rs.children[3]), "0");
    assert_eq!(
        c.journal_entry_count(),
        1,
        "only the balanced entry is saved"
    );
    let ret = rs.children[3].first("JournalEntryRet").expect("the entry");
    assert_eq!(
        ret.all("JournalCreditLine").count(),
        2,
        "lines come back, each with its TxnLineID"
    );
    assert!(ret
        .first("JournalDebitLine")
        .unwrap()
        .text_of("TxnLineID")
        .is_some());
    let totals = c.journal_totals();
    assert_eq!(totals["Services"], d("100.00"));
    assert_eq!(totals["Accounts Receivable"], d("-106.25"));
    // Found again by a modified-date query with its lines and ExternalGUID.
    let q = ask(
        &mut c,
        r#"<JournalEntryQueryRq requestID="q"><ModifiedDateRangeFilter><FromModifiedDate>2020-01-01T00:00:00</FromModifiedDate></ModifiedDateRangeFilter><IncludeLineItems>true</IncludeLineItems></JournalEntryQueryRq>"#,
    );
    let found = q.children[0].first("JournalEntryRet").expect("found");
    assert_eq!(
        found.text_of("ExternalGUID"),
        Some("{6B063959-81B0-4622-85D6-F548C8CCB517}")
    );
    assert_eq!(found.all("JournalDebitLine").count(), 1);
}

#[test]
fn a_deposit_takes_money_from_undeposited_funds_once() {
    let mut c = Company::fixture(5);
    c.add_customer("Field Sales");
    let rs = ask(
        &mut c,
        &journal_rq(
            "je",
            &[
                (true, "Undeposited Funds", "75.50", None),
                (false, "Accounts Receivable", "75.50", Some("Field Sales")),
            ],
        ),
    );
    let je = rs.children[0].first("JournalEntryRet").expect("entry");
    let je_id = je.text_of("TxnID").unwrap().to_string();
    let line = je
        .first("JournalDebitLine")
        .and_then(|l| l.text_of("TxnLineID"))
        .unwrap()
        .to_string();
    let deposit = |to: &str, id: &str| {
        format!(
            r#"<DepositAddRq requestID="{id}"><DepositAdd><TxnDate>2026-10-05</TxnDate><DepositToAccountRef><FullName>{to}</FullName></DepositToAccountRef><ExternalGUID>{{6B063959-81B0-4622-85D6-F548C8CCB518}}</ExternalGUID><DepositLineAdd><PaymentTxnID>{je_id}</PaymentTxnID><PaymentTxnLineID>{line}</PaymentTxnLineID></DepositLineAdd></DepositAdd></DepositAddRq>"#
        )
    };
    let rs = ask(
        &mut c,
        &[
            deposit("Services", "wrong"),
            deposit("Checking", "first"),
            deposit("Checking", "again"),
        ]
        .concat(),
    );
    assert_eq!(
        code(&rs.children[0]),
        "3210",
        "a deposit goes to a bank account"
    );
    assert_eq!(code(&rs.children[1]), "0");
    assert_eq!(
        rs.children[1]
            .first("DepositRet")
            .and_then(|d| d.text_of("DepositTotal")),
        Some("75.50")
    );
    assert_eq!(
        code(&rs.children[2]),
        "3210",
        "the same money is not deposited twice"
    );
    let deposits = c.deposits();
    assert_eq!(deposits.len(), 1);
    assert_eq!(deposits[0].account, "Checking");
    assert_eq!(deposits[0].sources, vec![(je_id, Some(line))]);
    let q = ask(
        &mut c,
        r#"<DepositQueryRq requestID="q"><ModifiedDateRangeFilter><FromModifiedDate>2020-01-01T00:00:00</FromModifiedDate></ModifiedDateRangeFilter><IncludeLineItems>true</IncludeLineItems></DepositQueryRq>"#,
    );
    assert_eq!(q.children[0].all("DepositRet").count(), 1);
}
