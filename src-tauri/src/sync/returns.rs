//! What FieldBridge asks QuickBooks to return when it reads (`IncludeRetElement` on every
//! list and transaction query): exactly the top-level elements of each `*Ret` that the sync
//! keeps or decides on (`sync::rows`, the pull's and the appliers' use of the answers).
//!
//! Without them QuickBooks writes every element it has: balances it must work out per
//! customer, contacts, notes, terms, custom fields, every line of a payment. That costs
//! QuickBooks time per page and FieldBridge bytes to parse (issue 18). Adding a use of
//! another element means adding it here: `returns_keep_what_the_sync_reads` (in
//! `sync::pull`'s tests) compares, for every list, the mirror rows made from a full
//! answer with those made from the restricted one.
//!
//! qbXML 13.0 (`qbxmlops130.xsd`, groups `ListQuery`, `CustomerListQuery`, `TxnQuery`,
//! `InvoiceQuery`): `IncludeRetElement` is STRTYPE of at most 50 characters, follows the
//! selection (and IncludeLineItems / IncludeLinkedTxns) and precedes OwnerID. A name not in
//! the Ret is ignored by QuickBooks, so one list serves every item type.

/// CustomerRet, as `rows::mirror_customer` keeps it (and `TimeModified` for the cursor).
pub const CUSTOMER: &[&str] = &[
    "ListID",
    "TimeModified",
    "EditSequence",
    "Name",
    "FullName",
    "IsActive",
    "ParentRef",
    "Sublevel",
    "CompanyName",
    "FirstName",
    "LastName",
    "BillAddress",
    "ShipAddress",
    "Phone",
    "Email",
    "ExternalGUID",
];

/// Item*Ret of every type, as `rows::item` keeps it (the type is the Ret's own name), with
/// the income account summary mode posts a line to: inside `SalesOrPurchase` /
/// `SalesAndPurchase` (service, non-inventory, other charge), or `IncomeAccountRef` at the
/// top (inventory).
pub const ITEM: &[&str] = &[
    "ListID",
    "TimeModified",
    "EditSequence",
    "Name",
    "FullName",
    "IsActive",
    "TaxRate",
    "SalesOrPurchase",
    "SalesAndPurchase",
    "IncomeAccountRef",
];

/// AccountRet, as `rows::account` keeps it, with its type.
pub const ACCOUNT: &[&str] = &[
    "ListID",
    "TimeModified",
    "EditSequence",
    "Name",
    "FullName",
    "IsActive",
    "AccountType",
    "SpecialAccountType",
    "AccountNumber",
];

/// PaymentMethodRet, as `rows::payment_method` keeps it.
pub const PAYMENT_METHOD: &[&str] = &["ListID", "TimeModified", "EditSequence", "Name", "IsActive"];

/// SalesTaxCodeRet, as `rows::sales_tax_code` keeps it, with whether it taxes.
pub const SALES_TAX_CODE: &[&str] = &[
    "ListID",
    "TimeModified",
    "EditSequence",
    "Name",
    "IsActive",
    "IsTaxable",
];

/// InvoiceRet: which of ours it is and what became of it (`rows::invoice_status`), and what
/// `sync::inbound::invoices` keeps of an invoice a person created in QuickBooks (its customer,
/// date, number, due date, memo and lines).
pub const INVOICE: &[&str] = &[
    "TxnID",
    "TimeModified",
    "EditSequence",
    "CustomerRef",
    "TxnDate",
    "RefNumber",
    "DueDate",
    "Subtotal",
    "SalesTaxTotal",
    "BalanceRemaining",
    "Memo",
    "IsPaid",
    "ExternalGUID",
    "InvoiceLineRet",
];

/// EstimateRet: only which of ours it is.
pub const ESTIMATE: &[&str] = &["TxnID", "TimeModified", "EditSequence", "ExternalGUID"];

/// ReceivePaymentRet with the invoices it pays (`rows::payment_row`).
pub const PAYMENT: &[&str] = &[
    "TxnID",
    "TimeModified",
    "EditSequence",
    "CustomerRef",
    "TxnDate",
    "RefNumber",
    "TotalAmount",
    "PaymentMethodRef",
    "ExternalGUID",
    "AppliedToTxnRet",
];

#[cfg(test)]
mod tests {
    //! Every restricted query keeps what the sync reads: the mirror rows made from a full
    //! answer and from the restricted one are the same, on records that carry every field
    //! (simulated QuickBooks), and each restricted query is valid qbXML 13.0.

    use super::super::rows;
    use super::*;
    use crate::qbxml::test_support::assert_schema_valid;
    use crate::qbxml::{
        AccountQuery, ActiveStatus, Address, CustomerAdd, CustomerFields, CustomerQuery,
        EstimateAdd, EstimateQuery, InvoiceAdd, InvoiceQuery, ItemQuery, ListFilter, ListRef,
        ListSelection, MsgsRq, OnError, PaymentMethodQuery, ReceivePaymentQuery, Request, Response,
        SalesLine, SalesTaxCodeQuery, TxnFilter, TxnSelection,
    };
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn send(qb: &mut qbsim::Company, requests: Vec<Request>) -> crate::qbxml::MsgsRs {
        let xml = MsgsRq {
            on_error: OnError::ContinueOnError,
            requests,
            ..MsgsRq::default()
        }
        .to_xml()
        .expect("the request builds");
        assert_schema_valid(&xml);
        let answer = qb.process(&xml).expect("the simulated QuickBooks answers");
        crate::qbxml::parse_response(&answer).expect("the answer parses")
    }

    fn address(street: &str) -> Address {
        Address {
            addr1: Some(street.into()),
            addr2: Some("Suite 4".into()),
            city: Some("Springfield".into()),
            state: Some("IL".into()),
            postal_code: Some("62701".into()),
            country: Some("US".into()),
            ..Address::default()
        }
    }

    fn customer(name: &str, parent: Option<&str>, n: u128) -> Request {
        CustomerAdd {
            request_id: format!("c-{name}"),
            name: name.into(),
            is_active: Some(true),
            fields: CustomerFields {
                parent: parent.map(ListRef::full_name),
                company_name: Some(format!("{name} LLC")),
                first_name: Some("Ann".into()),
                last_name: Some("Lee".into()),
                bill_address: Some(address("12 Mill Rd")),
                ship_address: Some(address("9 Elm St")),
                phone: Some("555-0100".into()),
                mobile: Some("555-0101".into()),
                email: Some("ann@example.com".into()),
                contact: Some("Ann Lee".into()),
                account_number: Some("A-42".into()),
                notes: Some("Gate code 1234".into()),
                ..CustomerFields::default()
            },
            external_guid: Some(uuid::Uuid::from_u128(n)),
        }
        .into()
    }

    fn lines() -> Vec<SalesLine> {
        vec![SalesLine {
            item: Some(ListRef::full_name("Labor")),
            desc: Some("Labor".into()),
            quantity: Some(Decimal::from(2)),
            rate: Some(Decimal::from_str("95.00").unwrap()),
            ..SalesLine::default()
        }]
    }

    /// A company whose records carry every field FieldBridge could read.
    fn company() -> qbsim::Company {
        let mut qb = qbsim::Company::fixture(7);
        let added = send(
            &mut qb,
            vec![
                customer("Ecker Designs", None, 1),
                customer("Brookside Dental", None, 2),
                customer("Office Repairs", Some("Ecker Designs"), 3),
            ],
        );
        assert!(added.responses.iter().all(Response::is_success));
        let sales = send(
            &mut qb,
            vec![
                InvoiceAdd {
                    request_id: "i".into(),
                    customer: ListRef::full_name("Ecker Designs"),
                    ref_number: Some("10045".into()),
                    memo: Some("Thanks".into()),
                    external_guid: Some(uuid::Uuid::from_u128(10)),
                    lines: lines(),
                    ..InvoiceAdd::default()
                }
                .into(),
                EstimateAdd {
                    request_id: "e".into(),
                    customer: ListRef::full_name("Brookside Dental"),
                    external_guid: Some(uuid::Uuid::from_u128(11)),
                    lines: lines(),
                    ..EstimateAdd::default()
                }
                .into(),
            ],
        );
        let invoice = sales
            .by_request_id("i")
            .and_then(|r| r.invoices().next())
            .expect("the invoice was added")
            .txn_id
            .clone();
        qb.add_payment(
            "Ecker Designs",
            Decimal::from(100),
            &[(invoice.as_str(), Decimal::from(100))],
            Some("CHK 501"),
        )
        .expect("the payment is entered");
        qb
    }

    fn all() -> ListSelection {
        ListSelection::Filter(ListFilter {
            active_status: Some(ActiveStatus::All),
            ..ListFilter::default()
        })
    }

    fn txns() -> TxnSelection {
        TxnSelection::Filter(TxnFilter::default())
    }

    /// The query with and without its `IncludeRetElement`.
    fn both(
        make: impl Fn(&'static [&'static str]) -> Request,
        names: &'static [&'static str],
    ) -> Vec<Request> {
        vec![make(names), make(&[])]
    }

    #[test]
    fn returns_keep_what_the_sync_reads() {
        let mut qb = company();
        let queries: Vec<(&str, Vec<Request>)> = vec![
            (
                "customers",
                both(
                    |r| {
                        CustomerQuery {
                            request_id: "q".into(),
                            selection: all(),
                            include_ret: r,
                            ..Default::default()
                        }
                        .into()
                    },
                    CUSTOMER,
                ),
            ),
            (
                "items",
                both(
                    |r| {
                        ItemQuery {
                            request_id: "q".into(),
                            selection: all(),
                            include_ret: r,
                            ..Default::default()
                        }
                        .into()
                    },
                    ITEM,
                ),
            ),
            (
                "accounts",
                both(
                    |r| {
                        AccountQuery {
                            request_id: "q".into(),
                            selection: all(),
                            include_ret: r,
                            ..Default::default()
                        }
                        .into()
                    },
                    ACCOUNT,
                ),
            ),
            (
                "payment methods",
                both(
                    |r| {
                        PaymentMethodQuery {
                            request_id: "q".into(),
                            selection: all(),
                            include_ret: r,
                        }
                        .into()
                    },
                    PAYMENT_METHOD,
                ),
            ),
            (
                "sales tax codes",
                both(
                    |r| {
                        SalesTaxCodeQuery {
                            request_id: "q".into(),
                            selection: all(),
                            include_ret: r,
                        }
                        .into()
                    },
                    SALES_TAX_CODE,
                ),
            ),
            (
                "invoices",
                both(
                    |r| {
                        InvoiceQuery {
                            request_id: "q".into(),
                            selection: txns(),
                            include_ret: r,
                            ..Default::default()
                        }
                        .into()
                    },
                    INVOICE,
                ),
            ),
            (
                "estimates",
                both(
                    |r| {
                        EstimateQuery {
                            request_id: "q".into(),
                            selection: txns(),
                            include_ret: r,
                            ..Default::default()
                        }
                        .into()
                    },
                    ESTIMATE,
                ),
            ),
            (
                "payments",
                both(
                    |r| {
                        ReceivePaymentQuery {
                            request_id: "q".into(),
                            selection: txns(),
                            include_line_items: true,
                            include_ret: r,
                            ..Default::default()
                        }
                        .into()
                    },
                    PAYMENT,
                ),
            ),
        ];
        for (what, pair) in queries {
            let mut answers = Vec::new();
            for request in pair {
                let msgs = send(&mut qb, vec![request]);
                let r = msgs.by_request_id("q").expect("answered").clone();
                assert!(r.is_success(), "{what}: {}", r.status_message);
                answers.push(r);
            }
            let (restricted, full) = (&answers[0], &answers[1]);
            // What the sync keeps of each answer, as text (every row type is Debug).
            let kept = |r: &Response| -> Vec<String> {
                let mut v: Vec<String> = Vec::new();
                v.extend(
                    r.customers()
                        .map(|c| format!("{:?}", rows::mirror_customer(c))),
                );
                v.extend(
                    r.items()
                        .map(|i| format!("{:?} {:?}", rows::item(i), i.time_modified)),
                );
                v.extend(r.accounts().map(|a| {
                    format!(
                        "{:?} {:?} {:?}",
                        rows::qb_account(a),
                        a.account_type,
                        a.time_modified
                    )
                }));
                v.extend(
                    r.payment_methods()
                        .map(|m| format!("{:?} {:?}", rows::payment_method(m), m.time_modified)),
                );
                v.extend(r.sales_tax_codes().map(|c| {
                    format!(
                        "{:?} {:?} {:?}",
                        rows::sales_tax_code(c),
                        c.is_taxable,
                        c.time_modified
                    )
                }));
                v.extend(
                    r.invoices().map(|i| {
                        format!("{:?} {:?}", rows::invoice_status(i, None), i.external_guid)
                    }),
                );
                v.extend(r.estimates().map(|e| {
                    format!(
                        "{} {} {:?} {:?}",
                        e.txn_id, e.edit_sequence, e.external_guid, e.time_modified
                    )
                }));
                v.extend(r.payments().flat_map(|p| {
                    p.applied_to
                        .iter()
                        .map(move |a| format!("{:?}", rows::payment_row(p, a, None)))
                }));
                v
            };
            let (from_restricted, from_full) = (kept(restricted), kept(full));
            assert!(!from_full.is_empty(), "{what}: the company has some");
            assert_eq!(
                from_restricted, from_full,
                "{what}: the restricted answer keeps every field the sync reads"
            );
        }
    }
}
