//! Builder tests: every document is validated against Intuit's qbXML 13.0 schema with
//! xmllint (the order QuickBooks enforces), and every limit is shown to refuse bad values.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

use super::*;
use crate::qbxml::test_support::assert_schema_valid;
use crate::qbxml::types::*;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn central(y: i32, mo: u32, d: u32, h: u32) -> DateTime<FixedOffset> {
    FixedOffset::west_opt(5 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, mo, d, h, 0, 0)
        .unwrap()
}

fn guid() -> Uuid {
    Uuid::parse_str("6b063959-81b0-4622-85d6-f548c8ccb517").unwrap()
}

fn address() -> Address {
    Address {
        addr1: Some("Acme Plumbing".into()),
        addr2: Some("12 Main St".into()),
        city: Some("Springfield".into()),
        state: Some("IL".into()),
        postal_code: Some("62701".into()),
        country: Some("US".into()),
        ..Address::default()
    }
}

fn set(requests: Vec<Request>) -> MsgsRq {
    MsgsRq {
        on_error: OnError::ContinueOnError,
        new_message_set_id: None,
        old_message_set_id: None,
        requests,
    }
}

fn xml_of(request: impl Into<Request>) -> String {
    let xml = set(vec![request.into()])
        .to_xml()
        .expect("request must build");
    assert_schema_valid(&xml);
    xml
}

fn full_customer_add() -> CustomerAdd {
    CustomerAdd {
        request_id: "c1".into(),
        name: "Job 1001 - Water heater".into(),
        is_active: Some(true),
        fields: CustomerFields {
            parent: Some(ListRef::full_name("Acme Plumbing")),
            company_name: Some("Acme Plumbing LLC".into()),
            first_name: Some("Ann".into()),
            last_name: Some("Lee".into()),
            bill_address: Some(address()),
            ship_address: Some(address()),
            phone: Some("555-0100".into()),
            mobile: Some("555-0101".into()),
            alt_phone: Some("555-0102".into()),
            email: Some("ann@example.com".into()),
            contact: Some("Ann Lee".into()),
            sales_tax_code: Some(ListRef::full_name("Tax")),
            item_sales_tax: Some(ListRef::full_name("Springfield")),
            account_number: Some("A-42".into()),
            job_desc: Some("Replace 40 gal heater".into()),
            notes: Some("Gate code 1234".into()),
        },
        external_guid: Some(guid()),
    }
}

fn line(item: &str, qty: &str, rate: &str) -> SalesLine {
    SalesLine {
        item: Some(ListRef::full_name(item)),
        desc: Some(format!("{item} work")),
        quantity: Some(dec(qty)),
        rate: Some(dec(rate)),
        amount: None,
        service_date: None,
        sales_tax_code: Some(ListRef::full_name("Tax")),
    }
}

fn full_invoice() -> InvoiceAdd {
    InvoiceAdd {
        request_id: "i1".into(),
        customer: ListRef::list_id("80000013-1416570432"),
        ar_account: Some(ListRef::full_name("Accounts Receivable")),
        txn_date: Some(date(2026, 10, 1)),
        ref_number: Some("FS-1001".into()),
        bill_address: Some(address()),
        ship_address: Some(address()),
        po_number: Some("PO-7".into()),
        terms: Some(ListRef::full_name("Net 30")),
        due_date: Some(date(2026, 10, 31)),
        item_sales_tax: Some(ListRef::full_name("Springfield")),
        memo: Some("Field service job 1001".into()),
        is_to_be_printed: Some(false),
        is_to_be_emailed: Some(true),
        customer_sales_tax_code: Some(ListRef::full_name("Tax")),
        external_guid: Some(guid()),
        lines: vec![
            SalesLine {
                service_date: Some(date(2026, 9, 30)),
                ..line("Labor", "2", "95.00")
            },
            SalesLine {
                item: Some(ListRef::full_name("Parts:Water Heater 40gal")),
                quantity: Some(dec("1")),
                amount: Some(dec("650")),
                ..SalesLine::default()
            },
            SalesLine {
                desc: Some("Thank you!".into()),
                ..SalesLine::default()
            },
        ],
        include_ret: &["TxnID", "EditSequence", "SalesTaxTotal", "BalanceRemaining"],
    }
}

fn full_estimate() -> EstimateAdd {
    EstimateAdd {
        request_id: "e1".into(),
        customer: ListRef::full_name("Acme Plumbing:Job 1001 - Water heater"),
        txn_date: Some(date(2026, 9, 1)),
        ref_number: Some("EST-1001".into()),
        bill_address: Some(address()),
        ship_address: None,
        po_number: None,
        terms: None,
        due_date: Some(date(2026, 9, 30)),
        item_sales_tax: Some(ListRef::list_id("10000-1232327661")),
        memo: Some("Estimate".into()),
        is_to_be_emailed: Some(false),
        customer_sales_tax_code: Some(ListRef::full_name("Non")),
        external_guid: Some(guid()),
        lines: vec![line("Labor", "1.5", "95.12345")],
        include_ret: &["TxnID", "EditSequence"],
    }
}

fn full_payment() -> ReceivePaymentAdd {
    ReceivePaymentAdd {
        request_id: "p1".into(),
        customer: ListRef::list_id("80000013-1416570432"),
        ar_account: Some(ListRef::full_name("Accounts Receivable")),
        txn_date: Some(date(2026, 10, 5)),
        ref_number: Some("CHK-881".into()),
        total_amount: Some(dec("840")),
        payment_method: Some(ListRef::full_name("Check")),
        memo: Some("Thanks".into()),
        deposit_to_account: Some(ListRef::full_name("Undeposited Funds")),
        external_guid: Some(guid()),
        application: PaymentApplication::ToTxns(vec![
            AppliedToTxn {
                txn_id: "C5-1417118624".into(),
                payment_amount: Some(dec("800")),
            },
            AppliedToTxn {
                txn_id: "C6-1417118624".into(),
                payment_amount: Some(dec("40.5")),
            },
        ]),
    }
}

fn filter_since(from: DateTime<FixedOffset>) -> ListSelection {
    ListSelection::Filter(ListFilter {
        max_returned: Some(100),
        active_status: Some(ActiveStatus::All),
        from_modified: Some(from),
        ..ListFilter::default()
    })
}

fn one_of_every_request() -> Vec<Request> {
    let since = central(2026, 10, 1, 12);
    let modified = TxnSelection::Filter(TxnFilter {
        max_returned: Some(50),
        date_range: Some(TxnDateRange::Modified {
            from: Some(since),
            to: None,
        }),
        entity_list_ids: vec!["80000013-1416570432".into()],
    });
    vec![
        HostQuery {
            request_id: "h".into(),
        }
        .into(),
        CompanyQuery {
            request_id: "co".into(),
            owner_id: Some(OwnerId::Guid(guid())),
        }
        .into(),
        PreferencesQuery {
            request_id: "pr".into(),
        }
        .into(),
        full_customer_add().into(),
        CustomerMod {
            request_id: "m1".into(),
            list_id: "80000013-1416570432".into(),
            edit_sequence: "1416570432".into(),
            name: Some("Acme Plumbing & Heating".into()),
            is_active: Some(false),
            fields: CustomerFields {
                phone: Some(String::new()),
                ..full_customer_add().fields
            },
        }
        .into(),
        CustomerQuery {
            request_id: "q1".into(),
            selection: filter_since(since),
            include_ret: &["ListID", "EditSequence", "BillAddress"],
            owner_id: Some(OwnerId::Zero),
            iterator: Some(QueryIterator::Start),
        }
        .into(),
        ItemQuery {
            request_id: "it1".into(),
            selection: filter_since(since),
            include_ret: &["ListID", "TaxRate"],
            owner_id: Some(OwnerId::Guid(guid())),
            iterator: Some(QueryIterator::Continue {
                iterator_id: "{eb05f701-e727-472f-8ade-6753c4f67a46}".into(),
            }),
        }
        .into(),
        ItemSalesTaxQuery {
            request_id: "tx1".into(),
            selection: filter_since(since),
            ..Default::default()
        }
        .into(),
        ItemSalesTaxGroupQuery {
            request_id: "tx2".into(),
            ..Default::default()
        }
        .into(),
        AccountQuery {
            request_id: "a1".into(),
            selection: ListSelection::FullNames(vec![
                "Undeposited Funds".into(),
                "Accounts Receivable".into(),
            ]),
            include_ret: &["ListID", "AccountType"],
            owner_id: None,
        }
        .into(),
        PaymentMethodQuery {
            request_id: "pm1".into(),
            selection: filter_since(since),
            include_ret: &["ListID", "Name"],
        }
        .into(),
        SalesTaxCodeQuery {
            request_id: "stc1".into(),
            selection: ListSelection::ListIds(vec!["10000-1232327562".into()]),
            include_ret: &["ListID", "IsTaxable"],
        }
        .into(),
        full_invoice().into(),
        InvoiceQuery {
            request_id: "iq1".into(),
            selection: modified.clone(),
            paid_status: Some(PaidStatus::All),
            include_line_items: true,
            include_linked_txns: true,
            include_ret: &["TxnID", "DueDate", "InvoiceLineRet"],
            owner_id: Some(OwnerId::Zero),
            iterator: Some(QueryIterator::Start),
        }
        .into(),
        full_estimate().into(),
        EstimateQuery {
            request_id: "eq1".into(),
            selection: TxnSelection::RefNumbers(vec!["EST-1001".into()]),
            include_line_items: true,
            ..Default::default()
        }
        .into(),
        full_payment().into(),
        ReceivePaymentQuery {
            request_id: "pq1".into(),
            selection: modified.clone(),
            include_line_items: true,
            include_ret: &["TxnID", "AppliedToTxnRet"],
            owner_id: None,
            iterator: Some(QueryIterator::Stop {
                iterator_id: "{eb05f701-e727-472f-8ade-6753c4f67a46}".into(),
            }),
        }
        .into(),
        ListDeletedQuery {
            request_id: "ld1".into(),
            types: vec![
                ListDelType::Customer,
                ListDelType::ItemService,
                ListDelType::ItemSalesTax,
            ],
            deleted_from: Some(since),
            deleted_to: None,
        }
        .into(),
        TxnDeletedQuery {
            request_id: "td1".into(),
            types: vec![
                TxnDelType::Invoice,
                TxnDelType::Estimate,
                TxnDelType::ReceivePayment,
            ],
            deleted_from: Some(since),
            deleted_to: Some(central(2026, 10, 2, 12)),
        }
        .into(),
        full_invoice_mod().into(),
        full_estimate_mod().into(),
        full_payment_mod().into(),
        TxnVoid {
            request_id: "v1".into(),
            txn_void_type: TxnVoidType::Invoice,
            txn_id: "C5-1417118624".into(),
        }
        .into(),
        TxnDel {
            request_id: "d1".into(),
            txn_del_type: TxnDelType::ReceivePayment,
            txn_id: "C7-1417118624".into(),
        }
        .into(),
        VendorAdd {
            request_id: "ven1".into(),
            name: "Acme Supply".into(),
            is_active: Some(true),
            company_name: Some("Acme Supply Co".into()),
            address: Some(Address {
                addr1: Some("1 Depot Rd".into()),
                city: Some("Storrs".into()),
                state: Some("CT".into()),
                postal_code: Some("06268".into()),
                ..Default::default()
            }),
            phone: Some("(555) 100-2000".into()),
            email: Some("ap@acme.example".into()),
            external_guid: Some(guid()),
        }
        .into(),
        VendorQuery {
            request_id: "vq1".into(),
            selection: filter_since(since),
            owner_id: None,
            iterator: Some(QueryIterator::Start),
        }
        .into(),
        BillAdd {
            request_id: "b1".into(),
            vendor: ListRef::list_id("80000020-1"),
            ap_account: Some(ListRef::full_name("Accounts Payable")),
            txn_date: Some(date(2026, 10, 4)),
            due_date: Some(date(2026, 11, 3)),
            ref_number: Some("INV-5531-ACME-2026".into()),
            memo: Some("Filters for the Ecker job".into()),
            external_guid: Some(guid()),
            lines: vec![
                ExpenseLine {
                    account: ListRef::full_name("Job Materials"),
                    amount: dec("84.20"),
                    memo: Some("Filters".into()),
                    customer: Some(ListRef::list_id("80000001-1")),
                    billable: Some(true),
                },
                ExpenseLine {
                    account: ListRef::full_name("Utilities:Gas"),
                    amount: dec("12.00"),
                    ..Default::default()
                },
            ],
        }
        .into(),
        BillQuery {
            include_line_items: true,
            request_id: "bq1".into(),
            selection: filter_modified_since(since),
            iterator: Some(QueryIterator::Start),
        }
        .into(),
        CheckAdd {
            request_id: "k1".into(),
            account: ListRef::full_name("Checking"),
            payee: Some(ListRef::list_id("80000020-1")),
            ref_number: Some("1042".into()),
            txn_date: Some(date(2026, 10, 4)),
            memo: None,
            is_to_be_printed: Some(false),
            external_guid: Some(guid()),
            lines: vec![ExpenseLine {
                account: ListRef::full_name("Job Materials"),
                amount: dec("84.20"),
                customer: Some(ListRef::list_id("80000001-1")),
                billable: Some(false),
                ..Default::default()
            }],
        }
        .into(),
        CheckQuery {
            request_id: "kq1".into(),
            selection: TxnSelection::TxnIds(vec!["D3-1417118624".into()]),
            iterator: None,
            include_line_items: true,
        }
        .into(),
        CreditCardChargeAdd {
            request_id: "cc1".into(),
            account: ListRef::full_name("Company Visa"),
            payee: Some(ListRef::list_id("80000020-1")),
            txn_date: Some(date(2026, 10, 4)),
            ref_number: Some("4481".into()),
            memo: Some("Filters".into()),
            external_guid: Some(guid()),
            lines: vec![ExpenseLine {
                account: ListRef::full_name("Job Materials"),
                amount: dec("84.20"),
                ..Default::default()
            }],
        }
        .into(),
        CreditCardChargeQuery {
            request_id: "ccq1".into(),
            selection: filter_modified_since(since),
            iterator: Some(QueryIterator::Start),
            include_line_items: false,
        }
        .into(),
        full_bill_mod().into(),
        full_check_mod().into(),
        full_card_charge_mod().into(),
        TxnVoid {
            request_id: "v2".into(),
            txn_void_type: TxnVoidType::Bill,
            txn_id: "D1-1417118624".into(),
        }
        .into(),
        summary_entry().into(),
        JournalEntryQuery {
            request_id: "jq1".into(),
            selection: modified.clone(),
            include_line_items: true,
            owner_id: None,
            iterator: Some(QueryIterator::Start),
        }
        .into(),
        DepositAdd {
            request_id: "dep1".into(),
            txn_date: Some(date(2026, 10, 5)),
            deposit_to_account: ListRef::full_name("Checking"),
            memo: Some("FieldBridge deposit of the field payments of 2026-10-05.".into()),
            external_guid: Some(guid()),
            lines: vec![
                DepositPaymentLine {
                    payment_txn_id: "1A-1416570432".into(),
                    payment_txn_line_id: None,
                },
                DepositPaymentLine {
                    payment_txn_id: "1B-1416570432".into(),
                    payment_txn_line_id: Some("1C-1416570432".into()),
                },
            ],
        }
        .into(),
        DepositQuery {
            request_id: "dq1".into(),
            selection: modified,
            include_line_items: false,
            owner_id: None,
            iterator: Some(QueryIterator::Start),
        }
        .into(),
    ]
}

/// A day's invoices summarized: A/R (with its customer) debited, two income accounts and
/// sales tax credited.
fn summary_entry() -> JournalEntryAdd {
    let line = |side, account: &str, amount: &str, entity: Option<&str>| JournalLine {
        side,
        account: ListRef::full_name(account),
        amount: dec(amount),
        memo: None,
        entity: entity.map(ListRef::full_name),
    };
    JournalEntryAdd {
        request_id: "je1".into(),
        txn_date: Some(date(2026, 10, 4)),
        ref_number: Some("FB261004I".into()),
        memo: Some("FieldBridge summary of 3 invoices of 2026-10-04.".into()),
        is_adjustment: false,
        external_guid: Some(guid()),
        lines: vec![
            line(
                JournalSide::Debit,
                "Accounts Receivable",
                "312.78",
                Some("Field Sales"),
            ),
            line(JournalSide::Credit, "Services", "190.00", None),
            line(JournalSide::Credit, "Installation", "110.00", None),
            line(JournalSide::Credit, "Sales Tax Payable", "12.78", None),
        ],
        include_ret: &["TxnID", "EditSequence"],
    }
}

#[test]
fn a_journal_entry_writes_its_lines_in_order_with_the_customer_on_receivables() {
    let xml = xml_of(summary_entry());
    assert!(
        xml.contains(
            "<JournalEntryAdd><TxnDate>2026-10-04</TxnDate><RefNumber>FB261004I</RefNumber><Memo>"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<JournalDebitLine><AccountRef><FullName>Accounts Receivable</FullName></AccountRef><Amount>312.78</Amount><EntityRef><FullName>Field Sales</FullName></EntityRef></JournalDebitLine>"),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<ExternalGUID>{6B063959-81B0-4622-85D6-F548C8CCB517}</ExternalGUID><JournalDebitLine>"
        ),
        "{xml}"
    );
}

#[test]
fn a_journal_entry_out_of_balance_or_with_a_sign_is_refused_before_sending() {
    let mut e = summary_entry();
    e.lines[1].amount = dec("190.01");
    let problems = Request::from(e).check();
    assert!(
        problems
            .iter()
            .any(|p| p.to_string().contains("do not equal the credits")),
        "QuickBooks refuses an entry out of balance, so it is never sent: {problems:?}"
    );
    let mut e = summary_entry();
    e.lines[0].amount = dec("-312.78");
    e.lines[1].amount = dec("-190.00");
    e.lines[2].amount = dec("-110.00");
    e.lines[3].amount = dec("-12.78");
    let problems = Request::from(e).check();
    assert!(
        problems
            .iter()
            .any(|p| p.to_string().contains("without a sign")),
        "Intuit: DO NOT supply negative sign for the monetary amounts: {problems:?}"
    );
    let mut e = summary_entry();
    e.ref_number = Some("FB261004I123".into());
    assert!(!Request::from(e).check().is_empty(), "RefNumber at most 11");
}

fn full_invoice_mod() -> InvoiceMod {
    InvoiceMod {
        request_id: "im1".into(),
        txn_id: "C5-1417118624".into(),
        edit_sequence: "1417118625".into(),
        customer: Some(ListRef::list_id("80000013-1416570432")),
        txn_date: Some(date(2026, 10, 2)),
        ref_number: Some("FS-1001".into()),
        due_date: Some(date(2026, 11, 1)),
        item_sales_tax: Some(ListRef::full_name("Springfield")),
        memo: Some(String::new()),
        customer_sales_tax_code: Some(ListRef::full_name("Tax")),
        lines: Some(vec![
            SalesLineMod {
                txn_line_id: Some("C8-1417118624".into()),
                line: SalesLine {
                    service_date: Some(date(2026, 9, 30)),
                    ..line("Labor", "3", "95.00")
                },
            },
            SalesLineMod {
                txn_line_id: None,
                line: line("Parts", "1", "12.50"),
            },
        ]),
        include_ret: &["TxnID", "EditSequence", "InvoiceLineRet"],
    }
}

fn full_estimate_mod() -> EstimateMod {
    EstimateMod {
        request_id: "em1".into(),
        txn_id: "C9-1417118624".into(),
        edit_sequence: "1417118626".into(),
        customer: Some(ListRef::full_name("Acme Plumbing:Job 1001 - Water heater")),
        txn_date: Some(date(2026, 9, 2)),
        ref_number: Some("EST-1001".into()),
        is_active: Some(false),
        due_date: Some(date(2026, 9, 30)),
        item_sales_tax: Some(ListRef::full_name("Springfield")),
        memo: Some("Estimate, revised".into()),
        customer_sales_tax_code: Some(ListRef::full_name("Non")),
        lines: Some(vec![SalesLineMod {
            txn_line_id: Some("CA-1417118624".into()),
            line: line("Labor", "2", "95.00"),
        }]),
        include_ret: &["TxnID", "EditSequence"],
    }
}

fn full_payment_mod() -> ReceivePaymentMod {
    ReceivePaymentMod {
        request_id: "rpm1".into(),
        txn_id: "C7-1417118624".into(),
        edit_sequence: "1417118627".into(),
        txn_date: Some(date(2026, 10, 6)),
        ref_number: Some("CHK-882".into()),
        total_amount: Some(dec("120")),
        payment_method: Some(ListRef::full_name("Check")),
        memo: Some("Corrected".into()),
        applied: vec![AppliedToTxn {
            txn_id: "C5-1417118624".into(),
            payment_amount: Some(dec("120")),
        }],
        include_ret: &["TxnID", "EditSequence"],
    }
}

fn expense_line_mod(id: Option<&str>, account: &str, amount: &str) -> ExpenseLineMod {
    ExpenseLineMod {
        txn_line_id: id.map(str::to_owned),
        line: ExpenseLine {
            account: ListRef::list_id(account),
            amount: dec(amount),
            memo: Some("Copper pipe".into()),
            customer: Some(ListRef::list_id("80000013-1416570432")),
            billable: Some(true),
        },
    }
}

fn full_bill_mod() -> BillMod {
    BillMod {
        request_id: "bm1".into(),
        txn_id: "D1-1417118624".into(),
        edit_sequence: "1417118630".into(),
        vendor: Some(ListRef::list_id("80000020-1")),
        txn_date: Some(date(2026, 10, 4)),
        due_date: Some(date(2026, 11, 3)),
        ref_number: Some("INV-5531".into()),
        memo: Some(String::new()),
        lines: Some(vec![
            expense_line_mod(Some("D2-1417118624"), "80000030-1", "120.00"),
            expense_line_mod(None, "80000031-1", "15.50"),
        ]),
    }
}

fn full_check_mod() -> CheckMod {
    CheckMod {
        request_id: "km1".into(),
        txn_id: "D3-1417118624".into(),
        edit_sequence: "1417118631".into(),
        account: Some(ListRef::full_name("Checking")),
        payee: Some(ListRef::list_id("80000020-1")),
        ref_number: Some("1042".into()),
        txn_date: Some(date(2026, 10, 5)),
        memo: Some("Vendor invoice INV-77".into()),
        lines: Some(vec![expense_line_mod(
            Some("D4-1417118624"),
            "80000030-1",
            "64.00",
        )]),
    }
}

fn full_card_charge_mod() -> CreditCardChargeMod {
    CreditCardChargeMod {
        request_id: "ccm1".into(),
        txn_id: "D5-1417118624".into(),
        edit_sequence: "1417118632".into(),
        account: Some(ListRef::full_name("Company Visa")),
        payee: Some(ListRef::list_id("80000020-1")),
        txn_date: Some(date(2026, 10, 6)),
        ref_number: Some("4481".into()),
        memo: Some("Filters".into()),
        lines: Some(vec![expense_line_mod(None, "80000030-1", "84.20")]),
    }
}

#[test]
fn expense_mods_write_their_ids_first_and_lines_with_txn_line_ids() {
    let xml = xml_of(full_bill_mod());
    assert!(
        xml.contains("<BillMod><TxnID>D1-1417118624</TxnID><EditSequence>1417118630</EditSequence><VendorRef>"),
        "TxnCoreMod opens the mod, then the vendor, as qbXML 13.0 orders it: {xml}"
    );
    assert!(
        xml.contains("<ExpenseLineMod><TxnLineID>D2-1417118624</TxnLineID><AccountRef>")
            && xml.contains("<ExpenseLineMod><TxnLineID>-1</TxnLineID><AccountRef>"),
        "a kept line names its TxnLineID, a new one -1: {xml}"
    );
    assert!(
        xml.contains("<Memo></Memo>") || xml.contains("<Memo/>"),
        "an emptied memo is sent empty, which blanks it in QuickBooks: {xml}"
    );
    let xml = xml_of(full_check_mod());
    assert!(
        xml.contains("<AccountRef><FullName>Checking</FullName></AccountRef><PayeeEntityRef>"),
        "a check mod names its bank account before the payee: {xml}"
    );
    let xml = xml_of(full_card_charge_mod());
    assert!(
        xml.contains("<TxnDate>2026-10-06</TxnDate><RefNumber>4481</RefNumber>"),
        "a card charge's date comes before its number (unlike a check's): {xml}"
    );
    let untouched = xml_of(BillMod {
        lines: None,
        ..full_bill_mod()
    });
    assert!(
        !untouched.contains("ExpenseLineMod"),
        "no lines: QuickBooks keeps its own: {untouched}"
    );
    assert!(
        matches!(
            only_error(BillMod {
                lines: Some(vec![]),
                ..full_bill_mod()
            }),
            BuildError::Conflict { .. }
        ),
        "an empty line list would not remove QuickBooks' lines, so it is refused"
    );
    let mut unbillable = full_check_mod();
    if let Some(lines) = unbillable.lines.as_mut() {
        lines[0].line.customer = None;
    }
    assert!(
        matches!(only_error(unbillable), BuildError::Conflict { .. }),
        "a billable line needs a customer or job, in a mod as in an add"
    );
}

#[test]
fn mods_write_their_ids_first_and_lines_with_txn_line_ids() {
    let xml = xml_of(full_invoice_mod());
    assert!(
        xml.contains(
            "<InvoiceMod><TxnID>C5-1417118624</TxnID><EditSequence>1417118625</EditSequence>"
        ),
        "TxnCoreMod opens the mod, as qbXML 13.0 orders it: {xml}"
    );
    assert!(
        xml.contains("<InvoiceLineMod><TxnLineID>C8-1417118624</TxnLineID>")
            && xml.contains("<InvoiceLineMod><TxnLineID>-1</TxnLineID>"),
        "a kept line names its TxnLineID, a new one -1: {xml}"
    );
    assert!(
        xml.contains("<Memo></Memo>") || xml.contains("<Memo/>"),
        "an emptied memo is sent empty, which blanks it in QuickBooks: {xml}"
    );
    let xml = xml_of(full_estimate_mod());
    assert!(
        xml.contains("<IsActive>false</IsActive>"),
        "an estimate is closed with IsActive false: {xml}"
    );
    xml_of(full_payment_mod());
}

#[test]
fn a_mod_that_leaves_lines_alone_writes_none_and_one_that_empties_them_is_refused() {
    let untouched = InvoiceMod {
        lines: None,
        ..full_invoice_mod()
    };
    let xml = xml_of(untouched);
    assert!(
        !xml.contains("InvoiceLineMod"),
        "no lines: QuickBooks keeps its own: {xml}"
    );
    let emptied = InvoiceMod {
        lines: Some(vec![]),
        ..full_invoice_mod()
    };
    assert!(
        matches!(only_error(emptied), BuildError::Conflict { .. }),
        "an empty line list would not remove QuickBooks' lines, so it is refused"
    );
}

#[test]
fn void_and_delete_name_the_transaction_type_and_id() {
    let xml = xml_of(TxnVoid {
        request_id: "v1".into(),
        txn_void_type: TxnVoidType::Invoice,
        txn_id: "C5-1".into(),
    });
    assert!(xml.contains("<TxnVoidRq requestID=\"v1\"><TxnVoidType>Invoice</TxnVoidType><TxnID>C5-1</TxnID></TxnVoidRq>"), "{xml}");
    for (kind, word) in [
        (TxnVoidType::Bill, "Bill"),
        (TxnVoidType::Check, "Check"),
        (TxnVoidType::CreditCardCharge, "CreditCardCharge"),
    ] {
        let xml = xml_of(TxnVoid {
            request_id: "v1".into(),
            txn_void_type: kind,
            txn_id: "D1-1".into(),
        });
        assert!(
            xml.contains(&format!(
                "<TxnVoidType>{word}</TxnVoidType><TxnID>D1-1</TxnID>"
            )),
            "{xml}"
        );
    }
    let xml = xml_of(TxnDel {
        request_id: "d1".into(),
        txn_del_type: TxnDelType::ReceivePayment,
        txn_id: "C7-1".into(),
    });
    assert!(xml.contains("<TxnDelRq requestID=\"d1\"><TxnDelType>ReceivePayment</TxnDelType><TxnID>C7-1</TxnID></TxnDelRq>"), "{xml}");
}

fn filter_modified_since(since: chrono::DateTime<chrono::FixedOffset>) -> TxnSelection {
    TxnSelection::Filter(TxnFilter {
        max_returned: Some(100),
        date_range: Some(TxnDateRange::Modified {
            from: Some(since),
            to: None,
        }),
        entity_list_ids: Vec::new(),
    })
}

// --- documents that QuickBooks accepts ------------------------------------------------------

#[test]
fn a_message_set_with_one_of_every_request_is_schema_valid() {
    let requests = one_of_every_request();
    // An exhaustive match: a new Request variant does not compile until it is added here
    // (and, through this count, to one_of_every_request).
    let kinds: std::collections::HashSet<&str> = requests
        .iter()
        .map(|r| match r {
            Request::HostQuery(_) => "HostQuery",
            Request::CompanyQuery(_) => "CompanyQuery",
            Request::PreferencesQuery(_) => "PreferencesQuery",
            Request::CustomerAdd(_) => "CustomerAdd",
            Request::CustomerMod(_) => "CustomerMod",
            Request::CustomerQuery(_) => "CustomerQuery",
            Request::ItemQuery(_) => "ItemQuery",
            Request::ItemSalesTaxQuery(_) => "ItemSalesTaxQuery",
            Request::ItemSalesTaxGroupQuery(_) => "ItemSalesTaxGroupQuery",
            Request::AccountQuery(_) => "AccountQuery",
            Request::PaymentMethodQuery(_) => "PaymentMethodQuery",
            Request::SalesTaxCodeQuery(_) => "SalesTaxCodeQuery",
            Request::InvoiceAdd(_) => "InvoiceAdd",
            Request::InvoiceQuery(_) => "InvoiceQuery",
            Request::EstimateAdd(_) => "EstimateAdd",
            Request::EstimateQuery(_) => "EstimateQuery",
            Request::ReceivePaymentAdd(_) => "ReceivePaymentAdd",
            Request::ReceivePaymentQuery(_) => "ReceivePaymentQuery",
            Request::ListDeletedQuery(_) => "ListDeletedQuery",
            Request::TxnDeletedQuery(_) => "TxnDeletedQuery",
            Request::InvoiceMod(_) => "InvoiceMod",
            Request::EstimateMod(_) => "EstimateMod",
            Request::ReceivePaymentMod(_) => "ReceivePaymentMod",
            Request::TxnVoid(_) => "TxnVoid",
            Request::TxnDel(_) => "TxnDel",
            Request::VendorAdd(_) => "VendorAdd",
            Request::VendorQuery(_) => "VendorQuery",
            Request::BillAdd(_) => "BillAdd",
            Request::BillQuery(_) => "BillQuery",
            Request::CheckAdd(_) => "CheckAdd",
            Request::CheckQuery(_) => "CheckQuery",
            Request::CreditCardChargeAdd(_) => "CreditCardChargeAdd",
            Request::CreditCardChargeQuery(_) => "CreditCardChargeQuery",
            Request::BillMod(_) => "BillMod",
            Request::CheckMod(_) => "CheckMod",
            Request::CreditCardChargeMod(_) => "CreditCardChargeMod",
            Request::JournalEntryAdd(_) => "JournalEntryAdd",
            Request::JournalEntryQuery(_) => "JournalEntryQuery",
            Request::DepositAdd(_) => "DepositAdd",
            Request::DepositQuery(_) => "DepositQuery",
        })
        .collect();
    assert_eq!(kinds.len(), 40, "one of every Request variant");
    let msgs = MsgsRq {
        on_error: OnError::StopOnError,
        new_message_set_id: Some("fb-000042".into()),
        old_message_set_id: Some("fb-000041".into()),
        requests,
    };
    assert_eq!(
        msgs.check(),
        vec![],
        "nothing in the full set breaks a rule"
    );
    let xml = msgs.to_xml().unwrap();
    assert_schema_valid(&xml);
    assert!(
        xml.starts_with(r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError" newMessageSetID="fb-000042" oldMessageSetID="fb-000041">"#),
        "the header is exactly what the Web Connector expects: {xml}"
    );
}

#[test]
fn customer_add_writes_fields_in_schema_order_with_braced_guid() {
    let xml = xml_of(full_customer_add());
    assert!(xml.contains(r#"<CustomerAddRq requestID="c1"><CustomerAdd><Name>Job 1001 - Water heater</Name><IsActive>true</IsActive><ParentRef><FullName>Acme Plumbing</FullName></ParentRef>"#), "{xml}");
    assert!(
        xml.contains(
            "<ExternalGUID>{6B063959-81B0-4622-85D6-F548C8CCB517}</ExternalGUID></CustomerAdd>"
        ),
        "ExternalGUID is last and braced: {xml}"
    );
}

#[test]
fn text_is_escaped_by_the_writer_and_quotes_stay_literal() {
    let xml = xml_of(CustomerAdd {
        request_id: "r\"1".into(),
        name: "O'Brien \"Bob\" & <Sons>".into(),
        ..Default::default()
    });
    assert!(
        xml.contains(r#"<CustomerAddRq requestID="r&quot;1"><CustomerAdd><Name>O'Brien "Bob" &amp; &lt;Sons&gt;</Name>"#),
        "markup is escaped, quotes in content are not, quotes in attributes are: {xml}"
    );
}

#[test]
fn minimal_requests_are_schema_valid() {
    xml_of(CustomerAdd {
        request_id: "c".into(),
        name: "Bob".into(),
        ..Default::default()
    });
    xml_of(CustomerMod {
        request_id: "m".into(),
        list_id: "8000-1".into(),
        edit_sequence: "1".into(),
        is_active: Some(false),
        ..Default::default()
    });
    xml_of(CustomerQuery {
        request_id: "q".into(),
        ..Default::default()
    });
    xml_of(InvoiceAdd {
        request_id: "i".into(),
        customer: ListRef::list_id("8000-1"),
        lines: vec![line("Labor", "1", "1")],
        ..Default::default()
    });
    xml_of(ReceivePaymentAdd {
        request_id: "p".into(),
        customer: ListRef::list_id("8000-1"),
        application: PaymentApplication::AutoApply,
        ..Default::default()
    });
    let unapplied = xml_of(ReceivePaymentAdd {
        request_id: "p".into(),
        customer: ListRef::list_id("8000-1"),
        total_amount: Some(dec("5")),
        application: PaymentApplication::Unapplied,
        ..Default::default()
    });
    assert!(
        unapplied.contains("<IsAutoApply>false</IsAutoApply>"),
        "an unapplied payment says so: {unapplied}"
    );
    xml_of(InvoiceQuery {
        request_id: "iq".into(),
        selection: TxnSelection::TxnIds(vec!["C5-1".into()]),
        include_line_items: true,
        ..Default::default()
    });
    xml_of(ReceivePaymentQuery {
        request_id: "pq".into(),
        selection: TxnSelection::Filter(TxnFilter {
            date_range: Some(TxnDateRange::TxnDate {
                from: Some(date(2026, 1, 1)),
                to: Some(date(2026, 12, 31)),
            }),
            ..Default::default()
        }),
        ..Default::default()
    });
    xml_of(ListDeletedQuery {
        request_id: "ld".into(),
        types: vec![ListDelType::Customer],
        ..Default::default()
    });
}

#[test]
fn iterator_attributes_follow_the_request_id() {
    let xml = xml_of(CustomerQuery {
        request_id: "q2".into(),
        selection: ListSelection::Filter(ListFilter {
            max_returned: Some(100),
            ..Default::default()
        }),
        include_ret: &[],
        owner_id: None,
        iterator: Some(QueryIterator::Continue {
            iterator_id: "{eb05f701-e727-472f-8ade-6753c4f67a46}".into(),
        }),
    });
    assert!(
        xml.contains(r#"<CustomerQueryRq requestID="q2" iterator="Continue" iteratorID="{eb05f701-e727-472f-8ade-6753c4f67a46}"><MaxReturned>100</MaxReturned></CustomerQueryRq>"#),
        "{xml}"
    );
}

#[test]
fn include_ret_element_follows_the_add_and_is_checked_for_length() {
    let xml = xml_of(full_invoice());
    assert!(
        xml.contains("</InvoiceAdd><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>EditSequence</IncludeRetElement>"),
        "qbXML 13.0 puts IncludeRetElement after InvoiceAdd, in the order given: {xml}"
    );
    let xml = xml_of(full_estimate());
    assert!(
        xml.contains("</EstimateAdd><IncludeRetElement>TxnID</IncludeRetElement>"),
        "and after EstimateAdd: {xml}"
    );
    let long = InvoiceAdd {
        include_ret: &["AnElementNameFarLongerThanFiftyCharactersWhichIsTheLimit"],
        ..full_invoice()
    };
    assert!(
        !Request::from(long).check().is_empty(),
        "an IncludeRetElement over 50 characters breaks the schema and is refused"
    );
}

#[test]
fn an_invoice_query_names_its_elements_between_the_line_items_and_the_owner() {
    let xml = xml_of(InvoiceQuery {
        request_id: "iq".into(),
        selection: TxnSelection::TxnIds(vec!["C5-1".into()]),
        include_line_items: true,
        include_ret: &["TxnID", "InvoiceLineRet"],
        owner_id: Some(OwnerId::Zero),
        ..Default::default()
    });
    assert!(
        xml.contains("<IncludeLineItems>true</IncludeLineItems><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>InvoiceLineRet</IncludeRetElement><OwnerID>0</OwnerID>"),
        "qbXML 13.0 InvoiceQuery: IncludeLineItems, IncludeLinkedTxns, IncludeRetElement*, OwnerID*: {xml}"
    );
}

#[test]
fn money_dates_and_times_are_written_in_qbxml_form() {
    let xml = xml_of(full_invoice());
    assert!(
        xml.contains("<Quantity>2</Quantity><Rate>95.00</Rate>"),
        "PRICETYPE/QUANTYPE keep the value as given: {xml}"
    );
    assert!(
        xml.contains("<Amount>650.00</Amount>"),
        "AMTTYPE always has two places: {xml}"
    );
    assert!(
        xml.contains("<TxnDate>2026-10-01</TxnDate>"),
        "DATETYPE is YYYY-MM-DD: {xml}"
    );
    assert!(
        xml.contains("<ServiceDate>2026-09-30</ServiceDate><SalesTaxCodeRef>"),
        "ServiceDate precedes SalesTaxCodeRef: {xml}"
    );

    let utc = FixedOffset::east_opt(0)
        .unwrap()
        .with_ymd_and_hms(2026, 10, 1, 17, 0, 0)
        .unwrap();
    for (from, expected) in [
        (central(2026, 10, 1, 12), "2026-10-01T12:00:00-05:00"),
        (utc, "2026-10-01T17:00:00+00:00"),
    ] {
        let xml = xml_of(CustomerQuery {
            request_id: "q".into(),
            selection: filter_since(from),
            ..Default::default()
        });
        assert!(
            xml.contains(&format!("<FromModifiedDate>{expected}</FromModifiedDate>")),
            "explicit offset, never Z: {xml}"
        );
    }

    let xml = xml_of(full_estimate());
    assert!(
        xml.contains("<Quantity>1.5</Quantity><Rate>95.12345</Rate>"),
        "five price places are kept exactly: {xml}"
    );
    let xml = xml_of(full_payment());
    assert!(
        xml.contains("<PaymentAmount>40.50</PaymentAmount>"),
        "{xml}"
    );
    assert!(xml.contains("<TotalAmount>840.00</TotalAmount>"), "{xml}");
}

#[test]
fn names_with_markup_quotes_and_unicode_stay_schema_valid() {
    // Property-style: every pair of awkward pieces, in names, full names, memos and line
    // descriptions, must stay schema-valid and read back exactly as written.
    let pieces = [
        "&", "<", ">", "\"", "'", "é", "Ω", "😀", "&amp;", "]]>", "<!--", "\t", "\n", "\r", "Z",
    ];
    let mut requests: Vec<Request> = Vec::new();
    let mut expected = Vec::new();
    for a in pieces {
        for b in pieces {
            let n = requests.len();
            let name = format!("A{a}{b} Co");
            let memo = format!("memo {b}{a} \"x\" <y> & 'z'");
            requests.push(
                CustomerAdd {
                    request_id: format!("c{n}"),
                    name: name.clone(),
                    ..Default::default()
                }
                .into(),
            );
            requests.push(
                InvoiceAdd {
                    request_id: format!("i{n}"),
                    customer: ListRef::full_name(format!("Acme:{name}")),
                    memo: Some(memo.clone()),
                    lines: vec![SalesLine {
                        desc: Some(memo.clone()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }
                .into(),
            );
            expected.extend([name.clone(), format!("Acme:{name}"), memo.clone(), memo]);
        }
    }
    let xml = set(requests)
        .to_xml()
        .expect("awkward text is escaped, not refused");
    assert_schema_valid(&xml);
    let parsed = crate::qbxml::parse::read_texts(&xml, &["Name", "FullName", "Memo", "Desc"]);
    assert_eq!(parsed, expected, "text must read back exactly as written");
}

// --- documents we refuse to write ------------------------------------------------------------

fn only_error(request: impl Into<Request>) -> BuildError {
    let r: Request = request.into();
    let errors = r.check();
    assert_eq!(
        errors.len(),
        1,
        "exactly one problem expected, got {errors:?}"
    );
    let via_set = set(vec![r]).to_xml();
    assert_eq!(
        via_set.as_ref().err(),
        Some(&errors[0]),
        "to_xml refuses with the same error"
    );
    errors[0].clone()
}

#[test]
fn customer_name_limits_are_enforced_before_sending() {
    let too_long = "x".repeat(42);
    assert_eq!(
        only_error(CustomerAdd {
            request_id: "c".into(),
            name: too_long,
            ..Default::default()
        }),
        BuildError::TooLong {
            request_id: "c".into(),
            field: "CustomerAdd/Name".into(),
            max: 41,
            found: 42
        }
    );
    assert!(matches!(
        only_error(CustomerAdd { request_id: "c".into(), name: "Acme:Job".into(), ..Default::default() }),
        BuildError::InvalidName { ref field, .. } if field == "CustomerAdd/Name"
    ));
    assert!(matches!(
        only_error(CustomerAdd { request_id: "c".into(), name: String::new(), ..Default::default() }),
        BuildError::Empty { ref field, .. } if field == "CustomerAdd/Name"
    ));
    let mut deep = full_customer_add();
    deep.fields.bill_address = Some(Address {
        addr1: Some("a".repeat(42)),
        ..Address::default()
    });
    assert_eq!(
        only_error(deep),
        BuildError::TooLong {
            request_id: "c1".into(),
            field: "CustomerAdd/BillAddress/Addr1".into(),
            max: 41,
            found: 42
        },
        "the error names the exact field"
    );
    let mut phone = full_customer_add();
    phone.fields.phone = Some("1".repeat(22));
    assert!(matches!(
        only_error(phone),
        BuildError::TooLong { max: 21, .. }
    ));
    let mut parent = full_customer_add();
    parent.fields.parent = Some(ListRef::full_name("p".repeat(210)));
    assert!(matches!(
        only_error(parent),
        BuildError::TooLong { max: 209, .. }
    ));
}

#[test]
fn transaction_limits_are_enforced_before_sending() {
    let mut inv = full_invoice();
    inv.ref_number = Some("FS-100012345".into());
    assert_eq!(
        only_error(inv),
        BuildError::TooLong {
            request_id: "i1".into(),
            field: "InvoiceAdd/RefNumber".into(),
            max: 11,
            found: 12
        }
    );
    let mut inv = full_invoice();
    inv.memo = Some("m".repeat(4096));
    assert!(matches!(
        only_error(inv),
        BuildError::TooLong { max: 4095, .. }
    ));
    let mut inv = full_invoice();
    inv.lines[1].desc = Some("d".repeat(4096));
    assert!(
        matches!(only_error(inv), BuildError::TooLong { ref field, .. } if field == "InvoiceAdd/InvoiceLineAdd[2]/Desc"),
        "line errors name the line"
    );
    let mut inv = full_invoice();
    inv.lines.clear();
    assert!(
        matches!(only_error(inv), BuildError::Empty { .. }),
        "an invoice needs lines"
    );
    let mut est = full_estimate();
    est.lines.clear();
    assert!(
        matches!(only_error(est), BuildError::Empty { .. }),
        "qbXML requires an estimate line"
    );
    let mut est = full_estimate();
    est.lines[0].service_date = Some(date(2026, 1, 1));
    assert!(
        matches!(only_error(est), BuildError::Conflict { .. }),
        "EstimateLineAdd has no ServiceDate"
    );
    let mut pay = full_payment();
    pay.ref_number = Some("r".repeat(21));
    assert!(matches!(
        only_error(pay),
        BuildError::TooLong { max: 20, .. }
    ));
    let mut pay = full_payment();
    pay.application = PaymentApplication::ToTxns(vec![]);
    assert!(
        matches!(only_error(pay), BuildError::Empty { .. }),
        "the schema needs IsAutoApply or an AppliedToTxnAdd"
    );
    let mut code = full_invoice();
    code.customer_sales_tax_code = Some(ListRef::full_name("Taxable"));
    assert!(
        matches!(only_error(code), BuildError::TooLong { max: 3, .. }),
        "sales tax codes are 3 characters"
    );
}

#[test]
fn numbers_that_do_not_fit_qbxml_types_are_refused_not_rounded() {
    let mut inv = full_invoice();
    inv.lines[0].rate = Some(dec("1.123456"));
    assert!(matches!(
        only_error(inv),
        BuildError::NumberOutOfRange {
            qbxml_type: "PRICETYPE",
            ..
        }
    ));
    let mut inv = full_invoice();
    inv.lines[0].quantity = Some(dec("12345678901"));
    assert!(matches!(
        only_error(inv),
        BuildError::NumberOutOfRange {
            qbxml_type: "QUANTYPE",
            ..
        }
    ));
    let mut inv = full_invoice();
    inv.lines[1].amount = Some(dec("10000000000000"));
    assert!(matches!(
        only_error(inv),
        BuildError::NumberOutOfRange {
            qbxml_type: "AMTTYPE",
            ..
        }
    ));
    let mut inv = full_invoice();
    inv.lines[0].rate = Some(dec("95.1000000"));
    let xml = xml_of(inv);
    assert!(
        xml.contains("<Rate>95.1</Rate>"),
        "trailing zeros past five places are not precision: {xml}"
    );
}

#[test]
fn structural_mistakes_are_refused() {
    let paid = InvoiceQuery {
        request_id: "iq".into(),
        selection: TxnSelection::TxnIds(vec!["C5-1".into()]),
        paid_status: Some(PaidStatus::PaidOnly),
        ..Default::default()
    };
    assert!(
        matches!(only_error(paid), BuildError::Conflict { .. }),
        "PaidStatus lives inside the filter"
    );
    let none = CustomerQuery {
        request_id: "q".into(),
        selection: ListSelection::ListIds(vec![]),
        ..Default::default()
    };
    assert!(
        matches!(only_error(none), BuildError::Empty { .. }),
        "an empty ListID list would ask for nothing"
    );
    let no_types = TxnDeletedQuery {
        request_id: "t".into(),
        ..Default::default()
    };
    assert!(matches!(only_error(no_types), BuildError::Empty { .. }));
    let no_id = CustomerQuery::default();
    assert!(
        matches!(only_error(no_id), BuildError::Empty { .. }),
        "answers are matched by requestID"
    );
    let tab_id = CustomerQuery {
        request_id: "a\tb".into(),
        ..Default::default()
    };
    assert!(
        matches!(
            only_error(tab_id),
            BuildError::InvalidCharacter { code: 9, .. }
        ),
        "a tab in requestID would come back as a space"
    );
    let ctrl = CustomerAdd {
        request_id: "c".into(),
        name: "Bad\u{7}Bell".into(),
        ..Default::default()
    };
    assert!(matches!(
        only_error(ctrl),
        BuildError::InvalidCharacter { code: 7, .. }
    ));

    let dup = set(vec![
        CustomerQuery {
            request_id: "same".into(),
            ..Default::default()
        }
        .into(),
        ItemQuery {
            request_id: "same".into(),
            ..Default::default()
        }
        .into(),
    ]);
    assert_eq!(
        dup.to_xml(),
        Err(BuildError::DuplicateRequestId {
            request_id: "same".into()
        })
    );

    let long_id = MsgsRq {
        new_message_set_id: Some("x".repeat(24)),
        ..set(vec![])
    };
    assert!(
        matches!(
            long_id.to_xml(),
            Err(BuildError::InvalidMessageSetId { max: 23, .. })
        ),
        "QuickBooks keeps at most 23 characters"
    );
}

#[test]
fn check_reports_every_problem_at_once() {
    let mut inv = full_invoice();
    inv.ref_number = Some("r".repeat(12));
    inv.memo = Some("m".repeat(5000));
    inv.lines[0].desc = Some("d".repeat(5000));
    let errors = Request::from(inv).check();
    let fields: Vec<String> = errors
        .iter()
        .map(|e| match e {
            BuildError::TooLong { field, .. } => field.clone(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        fields,
        [
            "InvoiceAdd/RefNumber",
            "InvoiceAdd/Memo",
            "InvoiceAdd/InvoiceLineAdd[1]/Desc"
        ],
        "one error per bad field, in order"
    );
}

// --- the limits are the schema's, exactly ---------------------------------------------------

#[test]
fn every_schema_bounded_limit_matches_the_schema_exactly() {
    qbsim::skip_without_reference!(xmllint);
    use crate::qbxml::limits as l;
    use crate::qbxml::test_support::schema_errors;

    type Make = Box<dyn Fn(String) -> Request>;
    fn customer(f: impl Fn(&mut CustomerAdd, String) + 'static) -> Make {
        Box::new(move |s| {
            let mut c = CustomerAdd {
                request_id: "r".into(),
                name: "N".into(),
                ..Default::default()
            };
            f(&mut c, s);
            c.into()
        })
    }
    fn invoice(f: impl Fn(&mut InvoiceAdd, String) + 'static) -> Make {
        Box::new(move |s| {
            let mut i = InvoiceAdd {
                request_id: "r".into(),
                customer: ListRef::list_id("1-1"),
                lines: vec![SalesLine {
                    desc: Some("d".into()),
                    ..Default::default()
                }],
                ..Default::default()
            };
            f(&mut i, s);
            i.into()
        })
    }
    fn payment(f: impl Fn(&mut ReceivePaymentAdd, String) + 'static) -> Make {
        Box::new(move |s| {
            let mut p = ReceivePaymentAdd {
                request_id: "r".into(),
                customer: ListRef::list_id("1-1"),
                application: PaymentApplication::AutoApply,
                ..Default::default()
            };
            f(&mut p, s);
            p.into()
        })
    }
    fn bill(f: impl Fn(&mut Address, String) + 'static) -> Make {
        customer(move |c, s| {
            let mut a = Address::default();
            f(&mut a, s);
            c.fields.bill_address = Some(a);
        })
    }

    let cases: Vec<(&str, usize, Make)> = vec![
        (
            "CustomerAdd/Name",
            l::CUSTOMER_NAME_MAX,
            customer(|c, s| c.name = s),
        ),
        (
            "CompanyName",
            l::COMPANY_NAME_MAX,
            customer(|c, s| c.fields.company_name = Some(s)),
        ),
        (
            "FirstName",
            l::FIRST_NAME_MAX,
            customer(|c, s| c.fields.first_name = Some(s)),
        ),
        (
            "LastName",
            l::LAST_NAME_MAX,
            customer(|c, s| c.fields.last_name = Some(s)),
        ),
        (
            "Phone",
            l::PHONE_MAX,
            customer(|c, s| c.fields.phone = Some(s)),
        ),
        (
            "Mobile",
            l::PHONE_MAX,
            customer(|c, s| c.fields.mobile = Some(s)),
        ),
        (
            "AltPhone",
            l::PHONE_MAX,
            customer(|c, s| c.fields.alt_phone = Some(s)),
        ),
        (
            "Email",
            l::EMAIL_MAX,
            customer(|c, s| c.fields.email = Some(s)),
        ),
        (
            "Contact",
            l::CONTACT_MAX,
            customer(|c, s| c.fields.contact = Some(s)),
        ),
        (
            "AccountNumber",
            l::ACCOUNT_NUMBER_MAX,
            customer(|c, s| c.fields.account_number = Some(s)),
        ),
        (
            "JobDesc",
            l::JOB_DESC_MAX,
            customer(|c, s| c.fields.job_desc = Some(s)),
        ),
        (
            "Notes",
            l::NOTES_MAX,
            customer(|c, s| c.fields.notes = Some(s)),
        ),
        (
            "SalesTaxCodeRef/FullName",
            l::SALES_TAX_CODE_NAME_MAX,
            customer(|c, s| c.fields.sales_tax_code = Some(ListRef::FullName(s))),
        ),
        (
            "ItemSalesTaxRef/FullName",
            l::SIMPLE_LIST_FULL_NAME_MAX,
            customer(|c, s| c.fields.item_sales_tax = Some(ListRef::FullName(s))),
        ),
        ("Addr1", l::ADDRESS_LINE_MAX, bill(|a, s| a.addr1 = Some(s))),
        ("Addr5", l::ADDRESS_LINE_MAX, bill(|a, s| a.addr5 = Some(s))),
        ("City", l::CITY_MAX, bill(|a, s| a.city = Some(s))),
        ("State", l::STATE_MAX, bill(|a, s| a.state = Some(s))),
        (
            "PostalCode",
            l::POSTAL_CODE_MAX,
            bill(|a, s| a.postal_code = Some(s)),
        ),
        ("Country", l::COUNTRY_MAX, bill(|a, s| a.country = Some(s))),
        ("Note", l::ADDRESS_NOTE_MAX, bill(|a, s| a.note = Some(s))),
        (
            "CustomerRef/FullName",
            l::CUSTOMER_FULL_NAME_MAX,
            invoice(|i, s| i.customer = ListRef::FullName(s)),
        ),
        (
            "CustomerRef/ListID",
            l::ID_MAX,
            invoice(|i, s| i.customer = ListRef::ListId(s)),
        ),
        (
            "ARAccountRef/FullName",
            l::LIST_FULL_NAME_MAX,
            invoice(|i, s| i.ar_account = Some(ListRef::FullName(s))),
        ),
        (
            "InvoiceAdd/RefNumber",
            l::INVOICE_REF_NUMBER_MAX,
            invoice(|i, s| i.ref_number = Some(s)),
        ),
        (
            "PONumber",
            l::PO_NUMBER_MAX,
            invoice(|i, s| i.po_number = Some(s)),
        ),
        (
            "TermsRef/FullName",
            l::SIMPLE_LIST_FULL_NAME_MAX,
            invoice(|i, s| i.terms = Some(ListRef::FullName(s))),
        ),
        (
            "InvoiceAdd/Memo",
            l::MEMO_MAX,
            invoice(|i, s| i.memo = Some(s)),
        ),
        (
            "InvoiceLineAdd/Desc",
            l::LINE_DESC_MAX,
            invoice(|i, s| i.lines[0].desc = Some(s)),
        ),
        (
            "EstimateAdd/RefNumber",
            l::ESTIMATE_REF_NUMBER_MAX,
            Box::new(|s| {
                EstimateAdd {
                    request_id: "r".into(),
                    customer: ListRef::list_id("1-1"),
                    ref_number: Some(s),
                    lines: vec![SalesLine {
                        desc: Some("d".into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }
                .into()
            }),
        ),
        (
            "ReceivePaymentAdd/RefNumber",
            l::PAYMENT_REF_NUMBER_MAX,
            payment(|p, s| p.ref_number = Some(s)),
        ),
        (
            "PaymentMethodRef/FullName",
            l::SIMPLE_LIST_FULL_NAME_MAX,
            payment(|p, s| p.payment_method = Some(ListRef::FullName(s))),
        ),
        (
            "DepositToAccountRef/FullName",
            l::LIST_FULL_NAME_MAX,
            payment(|p, s| p.deposit_to_account = Some(ListRef::FullName(s))),
        ),
        (
            "ReceivePaymentAdd/Memo",
            l::MEMO_MAX,
            payment(|p, s| p.memo = Some(s)),
        ),
        (
            "CustomerMod/EditSequence",
            l::EDIT_SEQUENCE_MAX,
            Box::new(|s| {
                CustomerMod {
                    request_id: "r".into(),
                    list_id: "1-1".into(),
                    edit_sequence: s,
                    ..Default::default()
                }
                .into()
            }),
        ),
    ];

    for (label, max, make) in &cases {
        let at_limit = "q".repeat(*max);
        let xml = set(vec![make(at_limit.clone())])
            .to_xml()
            .unwrap_or_else(|e| panic!("{label} at {max} must build: {e}"));
        assert_schema_valid(&xml);

        let over = xml.replacen(&format!(">{at_limit}<"), &format!(">{at_limit}q<"), 1);
        assert_ne!(over, xml, "{label}: the value must appear in the document");
        assert!(
            schema_errors(&over).is_some(),
            "{label}: the schema accepts more than {max}; our limit is stricter than QuickBooks'"
        );

        let errors = make(format!("{at_limit}q")).check();
        assert!(
            matches!(errors.as_slice(), [BuildError::TooLong { max: m, found, .. }] if m == max && *found == max + 1),
            "{label}: one more than {max} must be refused, got {errors:?}"
        );
    }
}
