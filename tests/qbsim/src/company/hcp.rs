//! HostQuery, CompanyQuery and PreferencesQuery: what the Web Connector sends as
//! `strHCPResponse` on the first sendRequestXML of a session.
//!
//! Owns: the host (QuickBooks Pro 2014, US, qbXML 1.0–13.0, single-user), the company
//! description and the preferences, modelled on the real capture
//! `reference/samples/responses/strHCPResponse...FIXED-typo.xml`, with the preferences the
//! test switched (estimates, sales tax) reflected. Does not own: anything else.

use super::{Answer, Company};
use crate::status::Status;
use crate::xml::Element;

/// Every qbXML version QuickBooks Pro 2014 lists in HostRet (real capture).
const SUPPORTED_QBXML_VERSIONS: &[&str] = &[
    "1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0", "9.0", "10.0",
    "11.0", "12.0", "13.0",
];

/// The OwnerID under which the Web Connector keeps its FileID data extension in the
/// company file.
pub const QBWC_OWNER_ID: &str = "{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}";

fn leaves(parent: &mut Element, pairs: &[(&str, &str)]) {
    for (name, value) in pairs {
        parent.push_leaf(name, *value);
    }
}

fn group(name: &str, pairs: &[(&str, &str)]) -> Element {
    let mut e = Element::new(name);
    leaves(&mut e, pairs);
    e
}

pub(crate) fn host_ret() -> Element {
    let mut host = Element::new("HostRet");
    leaves(
        &mut host,
        &[
            ("ProductName", "QuickBooks Pro 2014"),
            ("MajorVersion", "24"),
            ("MinorVersion", "0"),
            ("Country", "US"),
        ],
    );
    for v in SUPPORTED_QBXML_VERSIONS {
        host.push_leaf("SupportedQBXMLVersion", *v);
    }
    leaves(
        &mut host,
        &[("IsAutomaticLogin", "false"), ("QBFileMode", "SingleUser")],
    );
    host
}

pub(crate) fn company_ret(c: &Company) -> Element {
    let mut company = Element::new("CompanyRet");
    leaves(
        &mut company,
        &[
            ("IsSampleCompany", "false"),
            ("CompanyName", c.config.company_name.as_str()),
            ("LegalCompanyName", c.config.company_name.as_str()),
        ],
    );
    company.push(group(
        "Address",
        &[
            ("Addr1", "100 Main St"),
            ("City", "Springfield"),
            ("State", "IL"),
            ("PostalCode", "62701"),
            ("Country", "US"),
        ],
    ));
    company.push(group(
        "AddressBlock",
        &[("Addr1", "100 Main St"), ("Addr2", "Springfield, IL 62701")],
    ));
    leaves(
        &mut company,
        &[
            ("Phone", "217-555-0100"),
            ("Email", "office@example.com"),
            ("FirstMonthFiscalYear", "January"),
            ("FirstMonthIncomeTaxYear", "January"),
            ("CompanyType", "InformationTechnologyComputersSoftware"),
            ("EIN", "12-3456789"),
            ("TaxForm", "Form1120"),
        ],
    );
    company.push(group(
        "AccountantCopy",
        &[("AccountantCopyExists", "false")],
    ));
    if let Some(file_id) = &c.config.file_id {
        company.push(group(
            "DataExtRet",
            &[
                ("OwnerID", QBWC_OWNER_ID),
                ("DataExtName", "FileID"),
                ("DataExtType", "STR255TYPE"),
                ("DataExtValue", file_id.as_str()),
            ],
        ));
    }
    company
}

pub(crate) fn preferences_ret(c: &Company) -> Element {
    let bool_text = super::lists::bool_text;
    let mut p = Element::new("PreferencesRet");
    p.push(group(
        "AccountingPreferences",
        &[
            ("IsUsingAccountNumbers", "false"),
            ("IsRequiringAccounts", "true"),
            ("IsUsingClassTracking", "false"),
            ("IsUsingAuditTrail", "true"),
            ("IsAssigningJournalEntryNumbers", "true"),
        ],
    ));
    p.push(group(
        "FinanceChargePreferences",
        &[
            ("AnnualInterestRate", "0.00"),
            ("MinFinanceCharge", "0.00"),
            ("GracePeriod", "0"),
            ("IsAssessingForOverdueCharges", "false"),
            ("CalculateChargesFrom", "DueDate"),
            ("IsMarkedToBePrinted", "false"),
        ],
    ));
    p.push(group(
        "JobsAndEstimatesPreferences",
        &[
            ("IsUsingEstimates", bool_text(c.prefs.estimates)),
            ("IsUsingProgressInvoicing", "false"),
            ("IsPrintingItemsWithZeroAmounts", "false"),
        ],
    ));
    p.push(group(
        "MultiCurrencyPreferences",
        &[("IsMultiCurrencyOn", "false")],
    ));
    p.push(group(
        "MultiLocationInventoryPreferences",
        &[
            ("IsMultiLocationInventoryAvailable", "false"),
            ("IsMultiLocationInventoryEnabled", "false"),
        ],
    ));
    p.push(group(
        "PurchasesAndVendorsPreferences",
        &[
            ("IsUsingInventory", "false"),
            ("DaysBillsAreDue", "10"),
            ("IsAutomaticallyUsingDiscounts", "false"),
        ],
    ));
    p.push(group(
        "ReportsPreferences",
        &[
            ("AgingReportBasis", "AgeFromDueDate"),
            ("SummaryReportBasis", "Accrual"),
        ],
    ));
    let mut sales = group(
        "SalesAndCustomersPreferences",
        &[
            ("IsTrackingReimbursedExpensesAsIncome", "false"),
            ("IsAutoApplyingPayments", "true"),
        ],
    );
    sales.push(group(
        "PriceLevels",
        &[
            ("IsUsingPriceLevels", "false"),
            ("IsRoundingSalesPriceUp", "false"),
        ],
    ));
    p.push(sales);
    if let (true, Some(default_item)) = (c.prefs.sales_tax, &c.prefs.default_item_sales_tax) {
        let mut tax = Element::new("SalesTaxPreferences");
        tax.push(c.item_ref("DefaultItemSalesTaxRef", default_item));
        tax.push_leaf("PaySalesTax", "Monthly");
        if let Some(t) = c.tax_code_id_by_name("Tax") {
            tax.push(c.tax_code_ref("DefaultTaxableSalesTaxCodeRef", &t));
        }
        if let Some(n) = c.tax_code_id_by_name("Non") {
            tax.push(c.tax_code_ref("DefaultNonTaxableSalesTaxCodeRef", &n));
        }
        p.push(tax);
    }
    p.push(group(
        "TimeTrackingPreferences",
        &[("FirstDayOfWeek", "Monday")],
    ));
    p.push(group(
        "CurrentAppAccessRights",
        &[
            ("IsAutomaticLoginAllowed", "false"),
            ("IsPersonalDataAccessAllowed", "false"),
        ],
    ));
    p
}

pub(crate) fn host_query(_c: &Company) -> Answer {
    Answer::ok(host_ret())
}

pub(crate) fn company_query(c: &Company) -> Answer {
    Answer::ok(company_ret(c))
}

pub(crate) fn preferences_query(c: &Company) -> Answer {
    Answer::ok(preferences_ret(c))
}

/// The whole strHCPResponse document (requestIDs 0, 1, 2 as in the real capture).
pub(crate) fn hcp_response(c: &Company) -> String {
    let mut msgs = Element::new("QBXMLMsgsRs");
    for (i, (name, ret)) in [
        ("HostQueryRq", host_ret()),
        ("CompanyQueryRq", company_ret(c)),
        ("PreferencesQueryRq", preferences_ret(c)),
    ]
    .into_iter()
    .enumerate()
    {
        let rq = Element::new(name).attr("requestID", i.to_string());
        msgs.push(Status::ok().rs_for(&rq).child(ret));
    }
    Element::new("QBXML").child(msgs).to_response_document()
}
