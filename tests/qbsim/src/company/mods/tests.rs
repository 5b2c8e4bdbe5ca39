//! InvoiceMod, EstimateMod, ReceivePaymentMod, TxnVoid and LinkToTxnID as QuickBooks answers
//! them; every answer checked against the qbXML 13.0 schema.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::super::Company;
use crate::schema;
use crate::xml::Element;

fn ask(c: &mut Company, body: &str) -> Element {
    let doc = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">{body}</QBXMLMsgsRq></QBXML>"#
    );
    let response = c.process(&doc).expect("the document is well-formed");
    if let Err(e) = schema::validate(&response) {
        panic!("the simulator's answer must be schema-valid: {e}\n{response}");
    }
    Element::parse(&response)
        .expect("well-formed")
        .first("QBXMLMsgsRs")
        .cloned()
        .expect("QBXMLMsgsRs")
}

fn code(rs: &Element) -> &str {
    rs.get_attr("statusCode").unwrap_or("")
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

/// A company with customer "Ecker" and an invoice of two lines; returns (TxnID, EditSequence,
/// TxnLineIDs).
fn invoice(c: &mut Company) -> (String, String, Vec<String>) {
    c.add_customer("Ecker");
    let rs = ask(
        c,
        r#"<InvoiceAddRq requestID="1"><InvoiceAdd><CustomerRef><FullName>Ecker</FullName></CustomerRef><RefNumber>10001</RefNumber><Memo>Thanks</Memo><InvoiceLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Desc>Labor</Desc><Quantity>2</Quantity><Rate>95.00</Rate></InvoiceLineAdd><InvoiceLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Desc>Trip</Desc><Amount>45.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"#,
    );
    let ret = rs.children[0]
        .first("InvoiceRet")
        .expect("InvoiceRet")
        .clone();
    let id = ret.text_of("TxnID").unwrap().to_string();
    let es = ret.text_of("EditSequence").unwrap().to_string();
    let lines = c.txn_line_ids(&id);
    (id, es, lines)
}

#[test]
fn an_invoice_mod_changes_listed_lines_adds_new_ones_and_drops_the_rest() {
    let mut c = Company::fixture(1);
    let (id, es, lines) = invoice(&mut c);
    let rs = ask(
        &mut c,
        &format!(
            r#"<InvoiceModRq requestID="2"><InvoiceMod><TxnID>{id}</TxnID><EditSequence>{es}</EditSequence><Memo>Revised</Memo><InvoiceLineMod><TxnLineID>{}</TxnLineID><ItemRef><FullName>Labor</FullName></ItemRef><Desc>Trip</Desc><Amount>50.00</Amount></InvoiceLineMod><InvoiceLineMod><TxnLineID>-1</TxnLineID><ItemRef><FullName>Labor</FullName></ItemRef><Desc>Disposal</Desc><Amount>15.00</Amount></InvoiceLineMod></InvoiceMod><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>EditSequence</IncludeRetElement><IncludeRetElement>InvoiceLineRet</IncludeRetElement></InvoiceModRq>"#,
            lines[1]
        ),
    );
    assert_eq!(code(&rs.children[0]), "0");
    let ret = rs.children[0].first("InvoiceRet").unwrap();
    assert_ne!(
        ret.text_of("EditSequence"),
        Some(es.as_str()),
        "a mod gives a new EditSequence"
    );
    let after = c.txn_line_ids(&id);
    assert_eq!(after.len(), 2, "the labor line, not listed, is gone");
    assert_eq!(
        after[0], lines[1],
        "the trip line is the same QuickBooks line"
    );
    assert!(
        !lines.contains(&after[1]),
        "the new line has a new TxnLineID"
    );
    let v = c.invoice(&id).unwrap();
    assert_eq!(v.memo.as_deref(), Some("Revised"));
    assert_eq!(v.subtotal, d("65.00"), "totals follow the new lines");
}

#[test]
fn a_stale_edit_sequence_is_3200_and_changes_nothing() {
    let mut c = Company::fixture(2);
    let (id, es, _) = invoice(&mut c);
    assert!(c.edit_txn_memo(&id, "Changed in QuickBooks"));
    let rs = ask(
        &mut c,
        &format!(
            r#"<InvoiceModRq requestID="2"><InvoiceMod><TxnID>{id}</TxnID><EditSequence>{es}</EditSequence><Memo>Ours</Memo></InvoiceMod></InvoiceModRq>"#
        ),
    );
    assert_eq!(code(&rs.children[0]), "3200");
    assert_eq!(
        c.invoice(&id).unwrap().memo.as_deref(),
        Some("Changed in QuickBooks")
    );
}

#[test]
fn an_invoice_with_payments_is_not_cut_below_them_nor_voided_until_they_are_gone() {
    let mut c = Company::fixture(3);
    let (id, _, lines) = invoice(&mut c);
    c.add_payment("Ecker", d("200.00"), &[(&id, d("200.00"))], Some("CHK 1"))
        .unwrap();
    let es = c.invoice(&id).unwrap().edit_sequence;
    let rs = ask(
        &mut c,
        &format!(
            r#"<InvoiceModRq requestID="2"><InvoiceMod><TxnID>{id}</TxnID><EditSequence>{es}</EditSequence><InvoiceLineMod><TxnLineID>{}</TxnLineID><ItemRef><FullName>Labor</FullName></ItemRef><Desc>Labor</Desc><Quantity>1</Quantity><Rate>95.00</Rate></InvoiceLineMod></InvoiceMod></InvoiceModRq><TxnVoidRq requestID="3"><TxnVoidType>Invoice</TxnVoidType><TxnID>{id}</TxnID></TxnVoidRq>"#,
            lines[0]
        ),
    );
    assert_eq!(
        code(&rs.children[0]),
        "3210",
        "a total below the payments is refused"
    );
    assert_eq!(
        code(&rs.children[1]),
        "3210",
        "a paid invoice is not voided"
    );
    let payment = c.payments()[0].txn_id.clone();
    let rs = ask(
        &mut c,
        &format!(
            r#"<TxnDelRq requestID="4"><TxnDelType>ReceivePayment</TxnDelType><TxnID>{payment}</TxnID></TxnDelRq><TxnVoidRq requestID="5"><TxnVoidType>Invoice</TxnVoidType><TxnID>{id}</TxnID></TxnVoidRq>"#
        ),
    );
    assert_eq!(code(&rs.children[0]), "0");
    assert_eq!(
        code(&rs.children[1]),
        "0",
        "once the payment is gone the void goes through"
    );
    assert!(c.is_voided(&id));
    assert_eq!(c.invoice(&id).unwrap().total, d("0.00"));
}

#[test]
fn a_payment_mod_moves_its_amount_and_keeps_balances_right() {
    let mut c = Company::fixture(4);
    let (id, _, _) = invoice(&mut c);
    c.add_payment("Ecker", d("50.00"), &[(&id, d("50.00"))], Some("CHK 1"))
        .unwrap();
    let p = c.payments()[0].clone();
    let rs = ask(
        &mut c,
        &format!(
            r#"<ReceivePaymentQueryRq requestID="q"><TxnID>{}</TxnID></ReceivePaymentQueryRq>"#,
            p.txn_id
        ),
    );
    let es = rs.children[0]
        .first("ReceivePaymentRet")
        .and_then(|r| r.text_of("EditSequence"))
        .unwrap()
        .to_string();
    let rs = ask(
        &mut c,
        &format!(
            r#"<ReceivePaymentModRq requestID="m"><ReceivePaymentMod><TxnID>{}</TxnID><EditSequence>{es}</EditSequence><RefNumber>CHK 1A</RefNumber><TotalAmount>80.00</TotalAmount><AppliedToTxnMod><TxnID>{id}</TxnID><PaymentAmount>80.00</PaymentAmount></AppliedToTxnMod></ReceivePaymentMod></ReceivePaymentModRq>"#,
            p.txn_id
        ),
    );
    assert_eq!(code(&rs.children[0]), "0");
    assert_eq!(c.invoice(&id).unwrap().balance_remaining, d("155.00"));
    assert_eq!(c.payments()[0].ref_number.as_deref(), Some("CHK 1A"));
}

#[test]
fn linking_an_estimate_brings_its_lines_into_the_invoice_and_closing_one_does_not() {
    let mut c = Company::fixture(5);
    c.add_customer("Ecker");
    let rs = ask(
        &mut c,
        r#"<EstimateAddRq requestID="e"><EstimateAdd><CustomerRef><FullName>Ecker</FullName></CustomerRef><EstimateLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Desc>Labor</Desc><Quantity>2</Quantity><Rate>95.00</Rate></EstimateLineAdd></EstimateAdd></EstimateAddRq>"#,
    );
    let est = rs.children[0]
        .first("EstimateRet")
        .and_then(|r| r.text_of("TxnID"))
        .unwrap()
        .to_string();
    let rs = ask(
        &mut c,
        &format!(
            r#"<InvoiceAddRq requestID="i"><InvoiceAdd><CustomerRef><FullName>Ecker</FullName></CustomerRef><LinkToTxnID>{est}</LinkToTxnID><InvoiceLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Desc>Labor</Desc><Quantity>2</Quantity><Rate>95.00</Rate></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"#
        ),
    );
    let inv = rs.children[0]
        .first("InvoiceRet")
        .and_then(|r| r.text_of("TxnID"))
        .unwrap()
        .to_string();
    assert_eq!(
        c.invoice(&inv).unwrap().lines.len(),
        2,
        "the estimate's line came in beside the invoice's own: the work is billed twice"
    );
    assert_eq!(c.txn_field(&est, "IsActive").as_deref(), Some("false"));

    // Closing instead: EstimateMod IsActive false, the invoice holds its own lines only.
    let rs = ask(
        &mut c,
        r#"<EstimateAddRq requestID="e2"><EstimateAdd><CustomerRef><FullName>Ecker</FullName></CustomerRef><EstimateLineAdd><ItemRef><FullName>Labor</FullName></ItemRef><Desc>Labor</Desc><Quantity>1</Quantity><Rate>95.00</Rate></EstimateLineAdd></EstimateAdd></EstimateAddRq>"#,
    );
    let ret = rs.children[0].first("EstimateRet").unwrap();
    let (est2, es) = (
        ret.text_of("TxnID").unwrap().to_string(),
        ret.text_of("EditSequence").unwrap().to_string(),
    );
    let rs = ask(
        &mut c,
        &format!(
            r#"<EstimateModRq requestID="m"><EstimateMod><TxnID>{est2}</TxnID><EditSequence>{es}</EditSequence><IsActive>false</IsActive></EstimateMod></EstimateModRq>"#
        ),
    );
    assert_eq!(code(&rs.children[0]), "0");
    assert_eq!(c.txn_field(&est2, "IsActive").as_deref(), Some("false"));
    let rs = ask(
        &mut c,
        &format!(
            r#"<InvoiceAddRq requestID="i2"><InvoiceAdd><CustomerRef><FullName>Ecker</FullName></CustomerRef><LinkToTxnID>{est2}</LinkToTxnID><InvoiceLineAdd><Desc>x</Desc><Amount>1.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"#
        ),
    );
    assert_eq!(
        code(&rs.children[0]),
        "3210",
        "a closed estimate cannot be linked"
    );
}
