//! Parser tests on real QuickBooks answers (../shared/reference/samples/responses) and on
//! hostile or broken input: each must give a typed answer or a clear error, never a panic.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate};
use rust_decimal::Decimal;

use super::*;
use crate::qbxml::test_support::reference;
use crate::qbxml::types::{ListDelType, TxnDelType};

fn sample(name: &str) -> MsgsRs {
    let xml = reference(&format!("samples/responses/{name}"));
    parse_response(&xml)
        .unwrap_or_else(|e| panic!("{name} is a real QuickBooks answer and must parse: {e}"))
}

fn dec(s: &str) -> Option<Decimal> {
    Some(Decimal::from_str(s).unwrap())
}

fn only(msgs: &MsgsRs) -> &Response {
    assert_eq!(msgs.responses.len(), 1, "one answer expected");
    &msgs.responses[0]
}

#[test]
fn customer_query_response_is_read_into_a_typed_customer() {
    qbsim::skip_without_reference!();
    let msgs = sample("CustomerQueryRs.qbwc-qbxml.xml");
    let r = only(&msgs);
    assert_eq!(r.request_id.as_deref(), Some("Q3VzdG9tZXJRdWVyeXwyODk2"));
    assert_eq!(r.kind, ResponseKind::CustomerQuery);
    assert_eq!(
        (r.status_code, r.status_severity, r.status_message.as_str()),
        (0, Severity::Info, "Status OK")
    );
    assert!(r.is_ok() && !r.has_more());
    let c: Vec<&CustomerRet> = r.customers().collect();
    assert_eq!(c.len(), 1);
    let c = c[0];
    assert_eq!(c.list_id, "10006-1211236622");
    assert_eq!(c.edit_sequence, "1213155356");
    assert_eq!(
        c.time_modified,
        Some(DateTime::parse_from_rfc3339("2008-06-10T23:35:56-05:00").unwrap()),
        "offset kept"
    );
    assert_eq!(c.name.as_deref(), Some("Keith Palmer"));
    assert_eq!(c.is_active, Some(true));
    assert_eq!(c.sublevel, Some(0));
    assert_eq!(c.first_name.as_deref(), Some("Keith"));
    let bill = c.bill_address.as_ref().unwrap();
    assert_eq!(
        (bill.addr2.as_deref(), bill.postal_code.as_deref()),
        (Some("Suite D"), Some("06268")),
        "leading zero kept"
    );
    assert_eq!(c.phone.as_deref(), Some("(860) 634-1602"));
    assert_eq!(c.email.as_deref(), Some("keith@uglyslug.com"));
    assert_eq!(c.balance, dec("250.00"));
    assert_eq!(
        c.sales_tax_code
            .as_ref()
            .and_then(|r| r.full_name.as_deref()),
        Some("Non")
    );
    assert_eq!(
        c.item_sales_tax.as_ref().and_then(|r| r.list_id.as_deref()),
        Some("10000-1211066051")
    );
    assert_eq!(r.skipped_rets, 0);
}

#[test]
fn iterator_attributes_are_read() {
    qbsim::skip_without_reference!();
    let msgs = sample("CustomerQueryRs.iterator.qbwc-qbxml.xml");
    let r = only(&msgs);
    assert_eq!(r.iterator_remaining_count, Some(18));
    assert_eq!(
        r.iterator_id.as_deref(),
        Some("{eb05f701-e727-472f-8ade-6753c4f67a46}")
    );
    assert!(r.has_more(), "18 remaining means Continue");
    assert_eq!(
        r.customers().next().map(|c| c.list_id.as_str()),
        Some("110000-1232697602")
    );
}

#[test]
fn customer_add_responses_parse_with_and_without_request_id() {
    qbsim::skip_without_reference!();
    let msgs = sample("CustomerAddRs.qbwc-qbxml.xml");
    let r = only(&msgs);
    assert_eq!(
        (r.kind.clone(), r.request_id.as_deref()),
        (ResponseKind::CustomerAdd, Some("15"))
    );
    let c = r.customers().next().unwrap();
    assert_eq!(c.company_name.as_deref(), Some("Eastern XYZ University"));
    assert_eq!(
        c.bill_address.as_ref().and_then(|a| a.addr3.as_deref()),
        Some("123 XYZ Road")
    );
    assert_eq!(c.contact.as_deref(), Some("Keith Palmer"));
    assert_eq!(c.alt_phone.as_deref(), Some("860-429-0021"));

    let msgs = sample("CustomerAddRs.qbwc-gem-test-helper.xml");
    let r = only(&msgs);
    assert_eq!(r.request_id, None, "this answer carries no requestID");
    let c = r.customers().next().unwrap();
    assert_eq!(
        (c.name.as_deref(), c.full_name.as_deref()),
        (Some("mrjoecustomer"), Some("Joseph Customer"))
    );
    assert_eq!(c.account_number.as_deref(), Some("8"));
}

#[test]
fn error_statuses_are_read_with_their_messages() {
    qbsim::skip_without_reference!();
    let msgs = sample("CustomerQueryRs.error3120.qbwc-gem-test-helper.xml");
    let r = only(&msgs);
    assert_eq!(
        (r.status_code, r.status_severity),
        (status::OBJECT_NOT_FOUND, Severity::Error)
    );
    assert!(
        r.status_message
            .starts_with("Object \"8000001B-1405768916\" specified"),
        "entities in attributes resolved: {}",
        r.status_message
    );
    assert!(r.rets.is_empty());

    let msgs = sample("CustomerAddRs.error3180.consolibyte.xml");
    let r = only(&msgs);
    assert_eq!(r.status_code, status::SAVE_FAILED);
    assert_eq!(r.request_id.as_deref(), Some("Q3VzdG9tZXJBZGR8Mw=="));
    assert!(r.status_message.contains("modified by another user"));

    let msgs = sample("ReceivePaymentAddRs.error3210.consolibyte.xml");
    let r = only(&msgs);
    assert_eq!(
        (r.kind.clone(), r.status_code, r.status_severity),
        (
            ResponseKind::ReceivePaymentAdd,
            status::INVALID_FIELD_VALUE,
            Severity::Info
        ),
        "3210 can come with severity Info"
    );
    assert!(!r.is_ok(), "Info severity does not make 3210 a success");
    assert!(r
        .status_message
        .contains("You cannot pay more than the amount due"));
}

#[test]
fn a_batch_with_mixed_results_keeps_each_answer_with_its_request_id() {
    qbsim::skip_without_reference!();
    let msgs = sample("CustomerAddRs.batch-mixed-errors-3100-3250-3130.qbwc-common.xml");
    let codes: Vec<(Option<&str>, i32)> = msgs
        .responses
        .iter()
        .map(|r| (r.request_id.as_deref(), r.status_code))
        .collect();
    assert_eq!(
        codes,
        vec![
            (Some("ext-mix-1"), 0),
            (Some("ext-mix-2"), 3100),
            (Some("ext-mix-3"), 3250),
            (Some("ext-mix-4"), 3130),
            (Some("ext-mix-5"), 0)
        ]
    );
    assert_eq!(
        msgs.by_request_id("ext-mix-5")
            .and_then(|r| r.customers().next())
            .map(|c| c.list_id.as_str()),
        Some("8000274D-1785964190")
    );
    assert!(msgs
        .by_request_id("ext-mix-4")
        .unwrap()
        .status_message
        .contains("NONEXISTENT-PARENT-CUSTOMER"));
    assert_eq!(
        msgs.message_set_status_code, None,
        "no error recovery was asked for"
    );
}

#[test]
fn invoice_add_response_reads_totals_and_lines() {
    qbsim::skip_without_reference!();
    let msgs = sample("InvoiceAddRs.extracted.flowlink.xml");
    let r = only(&msgs);
    assert_eq!(r.kind, ResponseKind::InvoiceAdd);
    let inv = r.invoices().next().unwrap();
    assert_eq!(inv.txn_id, "C5-1417118624");
    assert_eq!(inv.edit_sequence, "1417118624");
    assert_eq!(inv.txn_number, Some(64));
    assert_eq!(inv.ref_number.as_deref(), Some("R1TT46883"));
    assert_eq!(inv.txn_date, NaiveDate::from_ymd_opt(2014, 2, 3));
    assert_eq!(
        inv.customer.as_ref().and_then(|c| c.list_id.as_deref()),
        Some("80000013-1416570432")
    );
    assert_eq!(
        (inv.subtotal, inv.sales_tax_percentage, inv.sales_tax_total),
        (dec("206.00"), dec("0.00"), dec("0.00"))
    );
    assert_eq!(
        (inv.applied_amount, inv.balance_remaining, inv.is_paid),
        (dec("0.00"), dec("206.00"), Some(false))
    );
    assert_eq!(inv.lines.len(), 1);
    let l = &inv.lines[0];
    assert_eq!(
        (l.quantity, l.rate, l.amount),
        (dec("2"), dec("103.00"), dec("206.00"))
    );
    assert_eq!(
        l.item.as_ref().and_then(|i| i.full_name.as_deref()),
        Some("SPREE-T-SHIRT")
    );
    assert_eq!(l.txn_line_id.as_deref(), Some("C7-1417118624"));
}

#[test]
fn payments_read_applied_amounts() {
    qbsim::skip_without_reference!();
    let msgs = sample("ReceivePaymentAddRs.extracted.flowlink.xml");
    let p = only(&msgs).payments().next().unwrap().clone();
    assert_eq!(
        (p.txn_id.as_str(), p.ref_number.as_deref()),
        ("B7-1417040299", Some("R154817935"))
    );
    assert_eq!(
        (p.total_amount, p.unused_payment),
        (dec("210.00"), dec("210.00"))
    );
    assert_eq!(
        p.payment_method.and_then(|m| m.full_name).as_deref(),
        Some("Check")
    );
    assert_eq!(
        p.deposit_to_account.and_then(|m| m.full_name).as_deref(),
        Some("Undeposited Funds")
    );

    let msgs = sample("ReceivePaymentQueryRs.qbwc-qbxml.xml");
    let r = only(&msgs);
    assert_eq!(r.kind, ResponseKind::ReceivePaymentQuery);
    let p = r.payments().next().unwrap();
    assert_eq!(p.applied_to.len(), 1);
    let a = &p.applied_to[0];
    assert_eq!(
        (
            a.txn_id.as_str(),
            a.txn_type.as_deref(),
            a.amount,
            a.balance_remaining
        ),
        (
            "244B-1263497335",
            Some("Invoice"),
            dec("112.35"),
            dec("0.00")
        )
    );
    assert_eq!(
        p.time_modified.map(|t| t.offset().local_minus_utc()),
        Some(-8 * 3600)
    );
}

#[test]
fn unknown_answers_and_records_are_skipped_not_fatal() {
    qbsim::skip_without_reference!();
    let msgs = sample("ItemInventoryQueryRs-status1+SalesOrderAddRs.extracted.flowlink.xml");
    assert_eq!(msgs.responses.len(), 4);
    assert_eq!(
        msgs.responses[0].kind,
        ResponseKind::Other("ItemInventoryQuery".into())
    );
    assert_eq!(msgs.responses[0].status_code, status::NO_MATCH);
    assert!(
        msgs.responses[0].is_success(),
        "no match is an empty result"
    );
    assert_eq!(
        msgs.responses[2].skipped_rets, 1,
        "SalesOrderRet is not modelled"
    );
    assert_eq!(msgs.responses[3].status_code, status::INVALID_REFERENCE);

    let msgs = sample("ItemInventoryQueryRs.extracted.flowlink.xml");
    let items: Vec<&ItemRet> = msgs.responses.iter().flat_map(|r| r.items()).collect();
    assert!(!items.is_empty(), "inventory items are read as ItemRet");
    assert!(items
        .iter()
        .all(|i| i.item_type == ItemType::Inventory && !i.list_id.is_empty()));
}

#[test]
fn item_types_are_normalised_into_one_record() {
    let xml = r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>
      <ItemQueryRs requestID="it1" statusCode="0" statusSeverity="Info" statusMessage="Status OK" iteratorRemainingCount="0" iteratorID="{a}">
        <ItemServiceRet><ListID>1-1</ListID><TimeCreated>2026-01-01T10:00:00-05:00</TimeCreated><TimeModified>2026-10-01T09:12:00-05:00</TimeModified><EditSequence>11</EditSequence><Name>Labor</Name><FullName>Services:Labor</FullName><IsActive>true</IsActive><ParentRef><ListID>1-0</ListID><FullName>Services</FullName></ParentRef><Sublevel>1</Sublevel><SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef><SalesOrPurchase><Desc>Labor hour</Desc><Price>95.00</Price><AccountRef><FullName>Income</FullName></AccountRef></SalesOrPurchase><ExternalGUID>{6B063959-81B0-4622-85D6-F548C8CCB517}</ExternalGUID></ItemServiceRet>
        <ItemNonInventoryRet><ListID>2-1</ListID><EditSequence>12</EditSequence><Name>Pipe</Name><FullName>Pipe</FullName><IsActive>false</IsActive><SalesAndPurchase><SalesDesc>Copper pipe</SalesDesc><SalesPrice>4.12345</SalesPrice><IncomeAccountRef><FullName>Parts</FullName></IncomeAccountRef><PurchaseCost>2.00</PurchaseCost></SalesAndPurchase></ItemNonInventoryRet>
        <ItemSalesTaxRet><ListID>3-1</ListID><EditSequence>13</EditSequence><Name>Springfield</Name><IsActive>true</IsActive><ItemDesc>City tax</ItemDesc><TaxRate>8.25</TaxRate></ItemSalesTaxRet>
        <ItemSalesTaxGroupRet><ListID>4-1</ListID><EditSequence>14</EditSequence><Name>IL Combined</Name><ItemSalesTaxRef><ListID>3-1</ListID><FullName>Springfield</FullName></ItemSalesTaxRef><ItemSalesTaxRef><ListID>3-2</ListID><FullName>State</FullName></ItemSalesTaxRef></ItemSalesTaxGroupRet>
        <ItemOtherChargeRet><ListID>5-1</ListID><EditSequence>15</EditSequence><Name>Trip fee</Name><FullName>Trip fee</FullName></ItemOtherChargeRet>
      </ItemQueryRs></QBXMLMsgsRs></QBXML>"#;
    let msgs = parse_response(xml).unwrap();
    let items: Vec<&ItemRet> = msgs.responses[0].items().collect();
    let types: Vec<ItemType> = items.iter().map(|i| i.item_type).collect();
    assert_eq!(
        types,
        [
            ItemType::Service,
            ItemType::NonInventory,
            ItemType::SalesTax,
            ItemType::SalesTaxGroup,
            ItemType::OtherCharge
        ]
    );
    let labor = items[0];
    assert_eq!(
        (labor.full_name.as_str(), labor.name.as_str()),
        ("Services:Labor", "Labor")
    );
    assert_eq!(
        (labor.description.as_deref(), labor.price),
        (Some("Labor hour"), dec("95.00"))
    );
    assert_eq!(
        labor.external_guid.map(|g| g.to_string()),
        Some("6b063959-81b0-4622-85d6-f548c8ccb517".into())
    );
    assert_eq!(
        labor.parent.as_ref().and_then(|p| p.full_name.as_deref()),
        Some("Services")
    );
    assert_eq!(
        (items[1].price, items[1].is_active),
        (dec("4.12345"), Some(false)),
        "PRICETYPE keeps 5 places"
    );
    assert_eq!(
        items[1]
            .account
            .as_ref()
            .and_then(|a| a.full_name.as_deref()),
        Some("Parts")
    );
    assert_eq!(
        (items[2].tax_rate, items[2].full_name.as_str()),
        (dec("8.25"), "Springfield"),
        "no FullName: name is used"
    );
    assert_eq!(items[3].group_members.len(), 2);
    assert_eq!(msgs.responses[0].iterator_remaining_count, Some(0));
}

#[test]
fn list_records_and_deletions_are_typed() {
    let xml = r#"<QBXML><QBXMLMsgsRs>
      <AccountQueryRs requestID="a" statusCode="0" statusSeverity="Info"><AccountRet><ListID>A-1</ListID><EditSequence>1</EditSequence><Name>Undeposited Funds</Name><FullName>Undeposited Funds</FullName><IsActive>true</IsActive><Sublevel>0</Sublevel><AccountType>OtherCurrentAsset</AccountType><SpecialAccountType>UndepositedFunds</SpecialAccountType><Balance>12.00</Balance></AccountRet></AccountQueryRs>
      <PaymentMethodQueryRs requestID="pm" statusCode="0" statusSeverity="Info"><PaymentMethodRet><ListID>P-1</ListID><EditSequence>1</EditSequence><Name>Check</Name><IsActive>true</IsActive><PaymentMethodType>Check</PaymentMethodType></PaymentMethodRet></PaymentMethodQueryRs>
      <SalesTaxCodeQueryRs requestID="s" statusCode="0" statusSeverity="Info"><SalesTaxCodeRet><ListID>S-1</ListID><EditSequence>1</EditSequence><Name>Tax</Name><IsActive>true</IsActive><IsTaxable>true</IsTaxable><Desc>Taxable</Desc></SalesTaxCodeRet></SalesTaxCodeQueryRs>
      <ListDeletedQueryRs requestID="ld" statusCode="0" statusSeverity="Info"><ListDeletedRet><ListDelType>Customer</ListDelType><ListID>8000-1</ListID><TimeCreated>2026-01-01T00:00:00-05:00</TimeCreated><TimeDeleted>2026-10-01T09:00:00-05:00</TimeDeleted><FullName>Gone Co</FullName></ListDeletedRet></ListDeletedQueryRs>
      <TxnDeletedQueryRs requestID="td" statusCode="0" statusSeverity="Info"><TxnDeletedRet><TxnDelType>Invoice</TxnDelType><TxnID>T-1</TxnID><TimeCreated>2026-01-01T00:00:00-05:00</TimeCreated><TimeDeleted>2026-10-01T09:00:00-05:00</TimeDeleted><RefNumber>FS-1</RefNumber></TxnDeletedRet></TxnDeletedQueryRs>
      <EstimateAddRs requestID="e" statusCode="0" statusSeverity="Info"><EstimateRet><TxnID>E-1</TxnID><EditSequence>9</EditSequence><TxnDate>2026-09-01</TxnDate><RefNumber>EST-1</RefNumber><IsActive>true</IsActive><Subtotal>142.68</Subtotal><TotalAmount>142.68</TotalAmount><ExternalGUID>{6B063959-81B0-4622-85D6-F548C8CCB517}</ExternalGUID><EstimateLineRet><TxnLineID>L-1</TxnLineID><Quantity>1.5</Quantity><Rate>95.12</Rate><Amount>142.68</Amount></EstimateLineRet><EstimateLineGroupRet><TxnLineID>G-1</TxnLineID><ItemGroupRef><FullName>Kit</FullName></ItemGroupRef><EstimateLineRet><TxnLineID>L-2</TxnLineID><Amount>0.00</Amount></EstimateLineRet></EstimateLineGroupRet><DataExtRet><OwnerID>{6B063959-81B0-4622-85D6-F548C8CCB517}</OwnerID><DataExtName>FieldAppID</DataExtName><DataExtType>STR255TYPE</DataExtType><DataExtValue>est-9 &amp; co</DataExtValue></DataExtRet></EstimateRet></EstimateAddRs>
    </QBXMLMsgsRs></QBXML>"#;
    let msgs = parse_response(xml).unwrap();
    let a = msgs.by_request_id("a").unwrap().accounts().next().unwrap();
    assert_eq!(
        (a.special_account_type.as_deref(), a.balance),
        (Some("UndepositedFunds"), dec("12.00"))
    );
    let pm = msgs
        .by_request_id("pm")
        .unwrap()
        .payment_methods()
        .next()
        .unwrap();
    assert_eq!(pm.payment_method_type.as_deref(), Some("Check"));
    let s = msgs
        .by_request_id("s")
        .unwrap()
        .sales_tax_codes()
        .next()
        .unwrap();
    assert_eq!((s.name.as_deref(), s.is_taxable), (Some("Tax"), Some(true)));
    let ld = msgs
        .by_request_id("ld")
        .unwrap()
        .deleted_list_elements()
        .next()
        .unwrap();
    assert_eq!(
        (
            ld.list_del_type,
            ld.list_id.as_str(),
            ld.full_name.as_deref()
        ),
        (ListDelType::Customer, "8000-1", Some("Gone Co"))
    );
    let td = msgs
        .by_request_id("td")
        .unwrap()
        .deleted_txns()
        .next()
        .unwrap();
    assert_eq!(
        (td.txn_del_type, td.txn_id.as_str()),
        (TxnDelType::Invoice, "T-1")
    );
    let e = msgs.by_request_id("e").unwrap().estimates().next().unwrap();
    assert_eq!(
        (e.total_amount, e.is_active, e.lines.len()),
        (dec("142.68"), Some(true), 2)
    );
    assert_eq!(
        (e.lines[1].txn_line_id.as_deref(), e.lines[1].from_group),
        (Some("L-2"), true),
        "lines inside a group item are kept, marked"
    );
    assert!(
        e.external_guid.is_some(),
        "ExternalGUID is read from every Ret that has it"
    );
}

#[test]
fn message_set_recovery_attributes_are_read() {
    let xml = r#"<QBXML><QBXMLMsgsRs newMessageSetID="fb-000042" messageSetStatusCode="0"><CustomerAddRs requestID="c1" statusCode="0" statusSeverity="Info"/></QBXMLMsgsRs></QBXML>"#;
    let msgs = parse_response(xml).unwrap();
    assert_eq!(msgs.new_message_set_id.as_deref(), Some("fb-000042"));
    assert_eq!(msgs.message_set_status_code, Some(0));
}

// --- broken and hostile answers --------------------------------------------------------------

#[test]
fn broken_answers_give_clear_errors() {
    let cases: &[(&str, &str)] = &[
        (
            "truncated",
            r#"<QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="0" statusSeverity="Info"><CustomerRet><ListID>1"#,
        ),
        ("garbage", "HTTP/1.1 500 Internal Server Error"),
        ("empty", ""),
        ("wrong root", "<html><body>hi</body></html>"),
        ("no message set", "<QBXML></QBXML>"),
        (
            "non-numeric statusCode",
            r#"<QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="OK" statusSeverity="Info"/></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "huge statusCode",
            r#"<QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="99999999999999999999" statusSeverity="Info"/></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "missing statusCode",
            r#"<QBXML><QBXMLMsgsRs><CustomerAddRs statusSeverity="Info"/></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "bad severity",
            r#"<QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="0" statusSeverity="Panic"/></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "negative retCount",
            r#"<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info" retCount="-5"/></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "huge amount",
            r#"<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info"><CustomerRet><ListID>1</ListID><EditSequence>1</EditSequence><Balance>999999999999999999999999999999999999999999.00</Balance></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "time without offset",
            r#"<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info"><CustomerRet><ListID>1</ListID><EditSequence>1</EditSequence><TimeModified>2026-10-01T09:12:00</TimeModified></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "Ret without ListID",
            r#"<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info"><CustomerRet><Name>x</Name></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "bad GUID",
            r#"<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info"><CustomerRet><ListID>1</ListID><EditSequence>1</EditSequence><ExternalGUID>not-a-guid</ExternalGUID></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "element inside a value",
            r#"<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info"><CustomerRet><ListID>1<b>2</b></ListID></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "doctype",
            r#"<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="0" statusSeverity="Info" statusMessage="&x;"/></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "undeclared entity",
            r#"<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0" statusSeverity="Info"><CustomerRet><ListID>&x;</ListID></CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"#,
        ),
        (
            "bad ListDelType",
            r#"<QBXML><QBXMLMsgsRs><ListDeletedQueryRs statusCode="0" statusSeverity="Info"><ListDeletedRet><ListDelType>Spaceship</ListDelType><ListID>1</ListID></ListDeletedRet></ListDeletedQueryRs></QBXMLMsgsRs></QBXML>"#,
        ),
    ];
    for (what, xml) in cases {
        let result = parse_response(xml);
        let err = result.expect_err(&format!("{what} must be refused"));
        assert!(
            !err.to_string().is_empty(),
            "{what}: the error explains itself"
        );
    }
    let err = parse_response(cases[5].1).unwrap_err();
    assert_eq!(
        err,
        ParseError::InvalidValue {
            field: "QBXML/QBXMLMsgsRs/CustomerAddRs@statusCode".into(),
            expected: "a whole number",
            found: "OK".into()
        },
        "the error names the attribute and what was found"
    );
    assert_eq!(parse_response(cases[15].1), Err(ParseError::Doctype));
}

#[test]
fn deeply_nested_junk_is_refused_not_recursed() {
    let junk = format!(
        "<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode=\"0\" statusSeverity=\"Info\"><Junk>{}{}</Junk></CustomerQueryRs></QBXMLMsgsRs></QBXML>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    assert_eq!(
        parse_response(&junk),
        Err(ParseError::TooDeep { limit: MAX_DEPTH })
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    qbsim::skip_without_reference!();
    // A small deterministic fuzz loop: every prefix of every sample, and byte-flipped
    // variants, must give Ok or Err, never a panic.
    let samples = [
        reference("samples/responses/InvoiceAddRs.extracted.flowlink.xml"),
        reference("samples/responses/CustomerQueryRs.qbwc-qbxml.xml"),
        reference("samples/responses/strHCPResponse.Host+Company+Preferences.qbwc-gem-test-helper.FIXED-typo.xml"),
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for s in &samples {
        for cut in (0..s.len()).step_by(7) {
            if s.is_char_boundary(cut) {
                let _ = parse_response(&s[..cut]);
                let _ = crate::qbxml::parse_hcp(&s[..cut]);
            }
        }
        for _ in 0..300 {
            let mut bytes = s.clone().into_bytes();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let i = (seed as usize) % bytes.len();
                bytes[i] = b"<>&;\"'/=!?x0 #"[(seed >> 32) as usize % 14];
            }
            if let Ok(text) = String::from_utf8(bytes) {
                let _ = parse_response(&text);
            }
        }
    }
}

#[test]
fn a_bill_mod_answer_carries_its_owned_fields_and_line_ids() {
    let xml = r#"<QBXML><QBXMLMsgsRs>
      <BillModRs requestID="b" statusCode="0" statusSeverity="Info"><BillRet><TxnID>D1-1</TxnID><TimeCreated>2026-10-04T09:00:00-05:00</TimeCreated><TimeModified>2026-10-05T09:00:00-05:00</TimeModified><EditSequence>1700000002</EditSequence><TxnNumber>7</TxnNumber><VendorRef><ListID>V-1</ListID><FullName>Acme Supply</FullName></VendorRef><APAccountRef><ListID>A-2</ListID><FullName>Accounts Payable</FullName></APAccountRef><TxnDate>2026-10-04</TxnDate><DueDate>2026-11-03</DueDate><AmountDue>135.50</AmountDue><RefNumber>INV-5531</RefNumber><Memo>Pipe &amp; fittings</Memo><IsPaid>true</IsPaid><ExpenseLineRet><TxnLineID>D2-1</TxnLineID><AccountRef><ListID>A-7</ListID><FullName>Job Materials</FullName></AccountRef><Amount>120.00</Amount><Memo>Copper</Memo><CustomerRef><ListID>C-1</ListID><FullName>Ecker</FullName></CustomerRef><BillableStatus>Billable</BillableStatus></ExpenseLineRet><ExpenseLineRet><TxnLineID>D3-1</TxnLineID><AccountRef><ListID>A-8</ListID></AccountRef><Amount>15.50</Amount></ExpenseLineRet><OpenAmount>0.00</OpenAmount></BillRet></BillModRs>
    </QBXMLMsgsRs></QBXML>"#;
    let msgs = parse_response(xml).unwrap();
    let b = msgs.by_request_id("b").unwrap().purchases().next().unwrap();
    assert_eq!(b.kind, PurchaseKind::Bill);
    assert_eq!(
        (
            b.edit_sequence.as_str(),
            b.due_date,
            b.memo.as_deref(),
            b.is_paid
        ),
        (
            "1700000002",
            NaiveDate::from_ymd_opt(2026, 11, 3),
            Some("Pipe & fittings"),
            Some(true)
        )
    );
    let lines: Vec<_> = b
        .lines
        .iter()
        .map(|l| {
            (
                l.txn_line_id.as_deref(),
                l.account.as_ref().and_then(|a| a.list_id.as_deref()),
                l.amount,
                l.customer.as_ref().and_then(|c| c.list_id.as_deref()),
                l.billable_status.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                Some("D2-1"),
                Some("A-7"),
                dec("120.00"),
                Some("C-1"),
                Some("Billable")
            ),
            (Some("D3-1"), Some("A-8"), dec("15.50"), None, None),
        ],
        "each expense line with its TxnLineID, so a later BillMod changes QuickBooks' own lines"
    );
}
