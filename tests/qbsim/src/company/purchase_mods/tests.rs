//! BillMod, CheckMod, CreditCardChargeMod and TxnVoid of purchases as QuickBooks answers
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

fn line(account: &str, amount: &str) -> String {
    format!(
        "<ExpenseLineAdd><AccountRef><FullName>{account}</FullName></AccountRef><Amount>{amount}</Amount></ExpenseLineAdd>"
    )
}

/// A company with vendor "Acme Supply", accounts "Job Materials" and "Permits", and one
/// purchase of `rq` (BillAdd, CheckAdd...) with two lines; returns (TxnID, EditSequence,
/// TxnLineIDs).
fn purchase(c: &mut Company, add: &str, head: &str) -> (String, String, Vec<String>) {
    c.add_vendor("Acme Supply").expect("a new vendor");
    c.add_account("Job Materials", "CostOfGoodsSold", None)
        .unwrap();
    c.add_account("Permits", "Expense", None).unwrap();
    let rs = ask(
        c,
        &format!(
            r#"<{add}Rq requestID="1"><{add}>{head}<Memo>First</Memo>{}{}</{add}></{add}Rq>"#,
            line("Job Materials", "100.00"),
            line("Permits", "20.00")
        ),
    );
    assert_eq!(code(&rs.children[0]), "0", "{rs:?}");
    let ret = &rs.children[0].children[0];
    let id = ret.text_of("TxnID").unwrap().to_string();
    let es = ret.text_of("EditSequence").unwrap().to_string();
    let lines = c
        .purchase(&id)
        .unwrap()
        .lines
        .iter()
        .map(|l| l.txn_line_id.clone())
        .collect();
    (id, es, lines)
}

const BILL_HEAD: &str =
    "<VendorRef><FullName>Acme Supply</FullName></VendorRef><TxnDate>2026-10-04</TxnDate><RefNumber>INV-1</RefNumber>";

#[test]
fn a_bill_mod_changes_listed_lines_adds_new_ones_and_drops_the_rest() {
    let mut c = Company::fixture(1);
    let (id, es, lines) = purchase(&mut c, "BillAdd", BILL_HEAD);
    let rs = ask(
        &mut c,
        &format!(
            r#"<BillModRq requestID="2"><BillMod><TxnID>{id}</TxnID><EditSequence>{es}</EditSequence><DueDate>2026-11-30</DueDate><Memo>Revised</Memo><ExpenseLineMod><TxnLineID>{}</TxnLineID><AccountRef><FullName>Permits</FullName></AccountRef><Amount>25.00</Amount></ExpenseLineMod><ExpenseLineMod><TxnLineID>-1</TxnLineID><AccountRef><FullName>Job Materials</FullName></AccountRef><Amount>7.50</Amount><Memo>Fittings</Memo></ExpenseLineMod></BillMod></BillModRq>"#,
            lines[1]
        ),
    );
    assert_eq!(code(&rs.children[0]), "0", "{rs:?}");
    let ret = rs.children[0].first("BillRet").unwrap();
    assert_ne!(
        ret.text_of("EditSequence"),
        Some(es.as_str()),
        "a mod gives a new EditSequence"
    );
    assert_eq!(ret.text_of("AmountDue"), Some("32.50"));
    assert_eq!(ret.text_of("DueDate"), Some("2026-11-30"));
    let p = c.purchase(&id).unwrap();
    assert_eq!(p.memo.as_deref(), Some("Revised"));
    assert_eq!(p.lines.len(), 2, "the unlisted materials line is gone");
    assert_eq!(p.lines[0].txn_line_id, lines[1], "the permit line is kept");
    assert!(!lines.contains(&p.lines[1].txn_line_id), "-1 is a new line");
    let totals = c.expense_totals_by_account();
    assert_eq!(
        (totals.get("Job Materials"), totals.get("Permits")),
        (Some(&d("7.50")), Some(&d("25.00")))
    );
    // The old EditSequence is stale now.
    let stale = ask(
        &mut c,
        &format!(
            r#"<BillModRq requestID="3"><BillMod><TxnID>{id}</TxnID><EditSequence>{es}</EditSequence><Memo>Again</Memo></BillMod></BillModRq>"#
        ),
    );
    assert_eq!(code(&stale.children[0]), "3200");
    assert_eq!(
        c.purchase(&id).unwrap().memo.as_deref(),
        Some("Revised"),
        "a refused mod changes nothing"
    );
}

#[test]
fn check_and_charge_mods_keep_lines_untouched_when_none_are_listed_and_check_accounts() {
    let mut c = Company::fixture(2);
    c.add_account("Company Visa", "CreditCard", None).unwrap();
    let (id, es, lines) = purchase(
        &mut c,
        "CheckAdd",
        "<AccountRef><FullName>Checking</FullName></AccountRef><PayeeEntityRef><FullName>Acme Supply</FullName></PayeeEntityRef><TxnDate>2026-10-05</TxnDate>",
    );
    let onto_card = ask(
        &mut c,
        &format!(
            r#"<CheckModRq requestID="2"><CheckMod><TxnID>{id}</TxnID><EditSequence>{es}</EditSequence><AccountRef><FullName>Company Visa</FullName></AccountRef></CheckMod></CheckModRq>"#
        ),
    );
    assert_eq!(
        code(&onto_card.children[0]),
        "3140",
        "a check is drawn on a bank account, in a mod as in an add"
    );
    let rs = ask(
        &mut c,
        &format!(
            r#"<CheckModRq requestID="3"><CheckMod><TxnID>{id}</TxnID><EditSequence>{es}</EditSequence><TxnDate>2026-10-06</TxnDate><Memo></Memo></CheckMod></CheckModRq>"#
        ),
    );
    assert_eq!(code(&rs.children[0]), "0", "{rs:?}");
    let p = c.purchase(&id).unwrap();
    assert_eq!(p.memo, None, "an empty memo blanks it");
    assert_eq!(
        p.lines
            .iter()
            .map(|l| l.txn_line_id.clone())
            .collect::<Vec<_>>(),
        lines,
        "no ExpenseLineMod: QuickBooks keeps its lines"
    );
    // A mod of a charge by CheckMod's name is not found.
    let wrong_kind = ask(
        &mut c,
        &format!(
            r#"<CreditCardChargeModRq requestID="4"><CreditCardChargeMod><TxnID>{id}</TxnID><EditSequence>1</EditSequence></CreditCardChargeMod></CreditCardChargeModRq>"#
        ),
    );
    assert_eq!(code(&wrong_kind.children[0]), "3120");
}

#[test]
fn purchases_are_voided_to_zero_and_a_paid_bill_is_neither_voided_nor_changed() {
    let mut c = Company::fixture(3);
    let (id, es, _) = purchase(&mut c, "BillAdd", BILL_HEAD);
    assert!(c.pay_bill(&id));
    let es_paid = c.purchase(&id).unwrap().core.edit_sequence.to_string();
    assert_ne!(es_paid, es, "paying a bill gives it a new EditSequence");
    let query = ask(
        &mut c,
        &format!(r#"<BillQueryRq requestID="q"><TxnID>{id}</TxnID></BillQueryRq>"#),
    );
    assert_eq!(
        query.children[0]
            .first("BillRet")
            .unwrap()
            .text_of("IsPaid"),
        Some("true")
    );
    assert!(
        query.children[0]
            .first("BillRet")
            .unwrap()
            .first("ExpenseLineRet")
            .is_none(),
        "no IncludeLineItems: no lines"
    );
    let with_lines = ask(
        &mut c,
        &format!(
            r#"<BillQueryRq requestID="q2"><TxnID>{id}</TxnID><IncludeLineItems>true</IncludeLineItems></BillQueryRq>"#
        ),
    );
    assert_eq!(
        with_lines.children[0]
            .first("BillRet")
            .unwrap()
            .all("ExpenseLineRet")
            .count(),
        2
    );
    let changed = ask(
        &mut c,
        &format!(
            r#"<BillModRq requestID="2"><BillMod><TxnID>{id}</TxnID><EditSequence>{es_paid}</EditSequence><ExpenseLineMod><TxnLineID>-1</TxnLineID><AccountRef><FullName>Permits</FullName></AccountRef><Amount>1.00</Amount></ExpenseLineMod></BillMod></BillModRq>"#
        ),
    );
    assert_eq!(code(&changed.children[0]), "3170");
    let void = ask(
        &mut c,
        &format!(
            r#"<TxnVoidRq requestID="3"><TxnVoidType>Bill</TxnVoidType><TxnID>{id}</TxnID></TxnVoidRq>"#
        ),
    );
    assert_eq!(code(&void.children[0]), "3210");
    assert!(!c.is_purchase_voided(&id));

    let (check, _, _) = purchase_again(&mut c);
    let void = ask(
        &mut c,
        &format!(
            r#"<TxnVoidRq requestID="4"><TxnVoidType>Check</TxnVoidType><TxnID>{check}</TxnID></TxnVoidRq>"#
        ),
    );
    assert_eq!(code(&void.children[0]), "0", "{void:?}");
    assert!(c.is_purchase_voided(&check));
    assert_eq!(c.purchase(&check).unwrap().total(), Decimal::ZERO);
    let as_bill = ask(
        &mut c,
        &format!(
            r#"<TxnVoidRq requestID="5"><TxnVoidType>Bill</TxnVoidType><TxnID>{check}</TxnID></TxnVoidRq>"#
        ),
    );
    assert_eq!(
        code(&as_bill.children[0]),
        "3120",
        "a check is not found as a bill"
    );
}

/// A check in a company that already has the vendor and accounts.
fn purchase_again(c: &mut Company) -> (String, String, Vec<String>) {
    let rs = ask(
        c,
        &format!(
            r#"<CheckAddRq requestID="k"><CheckAdd><AccountRef><FullName>Checking</FullName></AccountRef><PayeeEntityRef><FullName>Acme Supply</FullName></PayeeEntityRef>{}</CheckAdd></CheckAddRq>"#,
            line("Permits", "9.00")
        ),
    );
    assert_eq!(code(&rs.children[0]), "0");
    let ret = &rs.children[0].children[0];
    (
        ret.text_of("TxnID").unwrap().to_string(),
        ret.text_of("EditSequence").unwrap().to_string(),
        Vec::new(),
    )
}
