//! The first `sendRequestXML` of a session carries `strHCPResponse`: QuickBooks' answers to
//! HostQuery, CompanyQuery and PreferencesQuery. This module reads it into [`Hcp`] and picks
//! the qbXML version to speak. It does not decide whether the company file is the right one
//! (the engine does).

use chrono::NaiveDate;

use crate::qbxml::error::{ParseError, VersionError};
use crate::qbxml::parse::cursor::Cursor;
use crate::qbxml::parse::rets::DataExtRet;
use crate::qbxml::parse::values as v;
use crate::qbxml::parse::{parse_response, Ret};
use crate::qbxml::types::{Address, RetRef};
use crate::qbxml::writer::QBXML_VERSION;

/// `HostRet`: which QuickBooks answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostInfo {
    /// e.g. "QuickBooks Pro 2014".
    pub product_name: Option<String>,
    /// e.g. "24" (QuickBooks 2014).
    pub major_version: Option<String>,
    pub minor_version: Option<String>,
    /// "US", "CA", "UK", ...
    pub country: Option<String>,
    /// As QuickBooks lists them, e.g. ["1.0", ..., "13.0"] (some editions prefix a country,
    /// "CA3.0").
    pub supported_qbxml_versions: Vec<String>,
    pub is_automatic_login: Option<bool>,
    /// "SingleUser" or "MultiUser".
    pub qb_file_mode: Option<String>,
}

/// `CompanyRet`: the open company file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyInfo {
    pub is_sample_company: Option<bool>,
    pub company_name: Option<String>,
    pub legal_company_name: Option<String>,
    pub address: Option<Address>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub ein: Option<String>,
    /// Custom fields on the company, including the `FileID` the Web Connector stores for
    /// each application (under the .qwc's OwnerID).
    pub data_ext: Vec<DataExtRet>,
}

impl CompanyInfo {
    /// The `FileID` the Web Connector stored in this company file for the application with
    /// this .qwc `OwnerID` (GUIDs compared without regard to case or braces). Tells whether
    /// the open company file is the one this data folder is bound to.
    pub fn qbwc_file_id(&self, owner_id: &str) -> Option<&str> {
        let norm = |s: &str| {
            s.trim()
                .trim_start_matches('{')
                .trim_end_matches('}')
                .to_ascii_lowercase()
        };
        let wanted = norm(owner_id);
        self.data_ext
            .iter()
            .find(|d| {
                d.name == "FileID"
                    && d.owner_id.as_deref().map(norm).as_deref() == Some(wanted.as_str())
            })
            .map(|d| d.value.as_str())
    }
}

/// `SalesTaxPreferences`: present only when sales tax is turned on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesTaxPreferences {
    pub default_item_sales_tax: Option<RetRef>,
    /// "Monthly", "Quarterly" or "Annually".
    pub pay_sales_tax: Option<String>,
    pub default_taxable_code: Option<RetRef>,
    pub default_non_taxable_code: Option<RetRef>,
}

/// `PreferencesRet`: the switches the engine must respect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    /// `JobsAndEstimatesPreferences/IsUsingEstimates` (EstimateAdd fails with 3250 when off).
    pub estimates_enabled: Option<bool>,
    pub progress_invoicing_enabled: Option<bool>,
    pub class_tracking_enabled: Option<bool>,
    /// `AccountingPreferences/ClosingDate`: QuickBooks refuses changes dated before it.
    pub closing_date: Option<NaiveDate>,
    pub multi_currency_enabled: Option<bool>,
    pub inventory_enabled: Option<bool>,
    /// `SalesAndCustomersPreferences/IsAutoApplyingPayments`.
    pub auto_applying_payments: Option<bool>,
    /// `None` when QuickBooks sent no SalesTaxPreferences, i.e. sales tax is off.
    pub sales_tax: Option<SalesTaxPreferences>,
}

impl Preferences {
    /// Sales tax is on when QuickBooks reports SalesTaxPreferences.
    pub fn sales_tax_enabled(&self) -> bool {
        self.sales_tax.is_some()
    }
}

/// Everything `strHCPResponse` tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hcp {
    pub host: HostInfo,
    /// `None` when QuickBooks could not answer CompanyQuery.
    pub company: Option<CompanyInfo>,
    /// `None` when QuickBooks could not answer PreferencesQuery.
    pub preferences: Option<Preferences>,
}

/// Reads `strHCPResponse`. HostRet must be present (without it we cannot know which
/// qbXML to speak); CompanyRet and PreferencesRet are passed on when present.
pub fn parse_hcp(xml: &str) -> Result<Hcp, ParseError> {
    let msgs = parse_response(xml)?;
    let mut hcp = Hcp::default();
    let mut host = None;
    for response in msgs.responses {
        for ret in response.rets {
            match ret {
                Ret::Host(h) => host = Some(h),
                Ret::Company(c) => hcp.company = Some(c),
                Ret::Preferences(p) => hcp.preferences = Some(p),
                _ => {}
            }
        }
    }
    hcp.host = host.ok_or(ParseError::MissingHcpPart {
        part: "HostRet",
        detail: "QuickBooks did not say which qbXML versions it supports".into(),
    })?;
    Ok(hcp)
}

/// A qbXML version QuickBooks offered, as (major, minor).
fn version_number(text: &str) -> Option<(u32, u32)> {
    let digits = text
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let (major, minor) = digits.split_once('.').unwrap_or((digits, "0"));
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Picks the qbXML version to speak: the highest QuickBooks supports that we build, which
/// is always 13.0 (QuickBooks supports every version below its newest, so any host that
/// lists 13.0 or later understands our 13.0 documents).
pub fn pick_qbxml_version(host: &HostInfo) -> Result<&'static str, VersionError> {
    let ours = version_number(QBXML_VERSION).unwrap_or((13, 0));
    let offered: Vec<(u32, u32)> = host
        .supported_qbxml_versions
        .iter()
        .filter_map(|s| version_number(s))
        .collect();
    match offered.iter().max() {
        None => Err(VersionError::NoneUnderstood {
            offered: host.supported_qbxml_versions.clone(),
        }),
        Some(&highest) if highest >= ours => Ok(QBXML_VERSION),
        Some(&(major, minor)) => Err(VersionError::TooOld {
            highest: format!("{major}.{minor}"),
            needed: QBXML_VERSION,
        }),
    }
}

pub(crate) fn host_ret(c: &mut Cursor<'_>) -> Result<HostInfo, ParseError> {
    let mut h = HostInfo::default();
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ProductName" => h.product_name = v::opt_text(c)?,
            "MajorVersion" => h.major_version = v::opt_text(c)?,
            "MinorVersion" => h.minor_version = v::opt_text(c)?,
            "Country" => h.country = v::opt_text(c)?,
            "SupportedQBXMLVersion" => h
                .supported_qbxml_versions
                .push(v::text(c)?.trim().to_owned()),
            "IsAutomaticLogin" => h.is_automatic_login = v::bool(c)?,
            "QBFileMode" => h.qb_file_mode = v::opt_text(c)?,
            _ => c.skip()?,
        }
    }
    Ok(h)
}

pub(crate) fn company_ret(c: &mut Cursor<'_>) -> Result<CompanyInfo, ParseError> {
    let mut r = CompanyInfo::default();
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "IsSampleCompany" => r.is_sample_company = v::bool(c)?,
            "CompanyName" => r.company_name = v::opt_text(c)?,
            "LegalCompanyName" => r.legal_company_name = v::opt_text(c)?,
            "Address" => r.address = v::address(c)?,
            "Phone" => r.phone = v::opt_text(c)?,
            "Email" => r.email = v::opt_text(c)?,
            "EIN" => r.ein = v::opt_text(c)?,
            "DataExtRet" => r.data_ext.push(crate::qbxml::parse::rets::data_ext(c)?),
            _ => c.skip()?,
        }
    }
    Ok(r)
}

fn sales_tax_prefs(c: &mut Cursor<'_>) -> Result<SalesTaxPreferences, ParseError> {
    let mut s = SalesTaxPreferences::default();
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "DefaultItemSalesTaxRef" => s.default_item_sales_tax = v::ret_ref(c)?,
            "PaySalesTax" => s.pay_sales_tax = v::opt_text(c)?,
            "DefaultTaxableSalesTaxCodeRef" => s.default_taxable_code = v::ret_ref(c)?,
            "DefaultNonTaxableSalesTaxCodeRef" => s.default_non_taxable_code = v::ret_ref(c)?,
            _ => c.skip()?,
        }
    }
    Ok(s)
}

pub(crate) fn preferences_ret(c: &mut Cursor<'_>) -> Result<Preferences, ParseError> {
    let mut p = Preferences::default();
    while let Some(group) = c.next_child()? {
        match group.name.as_str() {
            "SalesTaxPreferences" => p.sales_tax = Some(sales_tax_prefs(c)?),
            "AccountingPreferences"
            | "JobsAndEstimatesPreferences"
            | "MultiCurrencyPreferences"
            | "PurchasesAndVendorsPreferences"
            | "SalesAndCustomersPreferences" => {
                while let Some(child) = c.next_child()? {
                    match child.name.as_str() {
                        "IsUsingEstimates" => p.estimates_enabled = v::bool(c)?,
                        "IsUsingProgressInvoicing" => p.progress_invoicing_enabled = v::bool(c)?,
                        "IsUsingClassTracking" => p.class_tracking_enabled = v::bool(c)?,
                        "ClosingDate" => p.closing_date = v::date(c)?,
                        "IsMultiCurrencyOn" => p.multi_currency_enabled = v::bool(c)?,
                        "IsUsingInventory" => p.inventory_enabled = v::bool(c)?,
                        "IsAutoApplyingPayments" => p.auto_applying_payments = v::bool(c)?,
                        _ => c.skip()?,
                    }
                }
            }
            _ => c.skip()?,
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbxml::test_support::reference;

    const HCP: &str = "samples/responses/strHCPResponse.Host+Company+Preferences.qbwc-gem-test-helper.FIXED-typo.xml";

    #[test]
    fn the_real_hcp_response_is_read_completely() {
        qbsim::skip_without_reference!();
        let hcp = parse_hcp(&reference(HCP)).expect("a real strHCPResponse must parse");
        assert_eq!(
            hcp.host.product_name.as_deref(),
            Some("QuickBooks Pro 2014")
        );
        assert_eq!(hcp.host.major_version.as_deref(), Some("24"));
        assert_eq!(hcp.host.minor_version.as_deref(), Some("0"));
        assert_eq!(hcp.host.country.as_deref(), Some("US"));
        assert_eq!(
            hcp.host.supported_qbxml_versions.len(),
            16,
            "1.0 through 13.0"
        );
        assert_eq!(
            hcp.host.supported_qbxml_versions.last().map(String::as_str),
            Some("13.0")
        );
        assert_eq!(hcp.host.qb_file_mode.as_deref(), Some("SingleUser"));
        let company = hcp.company.expect("CompanyRet is in the sample");
        assert_eq!(company.company_name.as_deref(), Some("myCompany"));
        assert_eq!(
            company.legal_company_name.as_deref(),
            Some("myCompany Legal Name")
        );
        assert_eq!(
            company.address.and_then(|a| a.postal_code).as_deref(),
            Some("12345")
        );
        let prefs = hcp.preferences.expect("PreferencesRet is in the sample");
        assert_eq!(prefs.estimates_enabled, Some(true));
        assert_eq!(prefs.progress_invoicing_enabled, Some(false));
        assert_eq!(prefs.auto_applying_payments, Some(true));
        assert_eq!(prefs.inventory_enabled, Some(false));
        assert!(
            !prefs.sales_tax_enabled(),
            "the sample has no SalesTaxPreferences: sales tax is off"
        );
        assert_eq!(pick_qbxml_version(&hcp.host), Ok("13.0"));
    }

    #[test]
    fn sales_tax_preferences_are_read_when_present() {
        let xml = r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRs>
            <HostQueryRs requestID="0" statusCode="0" statusSeverity="Info"><HostRet><ProductName>QuickBooks Pro 2021</ProductName><SupportedQBXMLVersion>16.0</SupportedQBXMLVersion></HostRet></HostQueryRs>
            <PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info"><PreferencesRet>
              <AccountingPreferences><IsUsingAccountNumbers>false</IsUsingAccountNumbers><IsRequiringAccounts>true</IsRequiringAccounts><IsUsingClassTracking>true</IsUsingClassTracking><IsUsingAuditTrail>true</IsUsingAuditTrail><IsAssigningJournalEntryNumbers>true</IsAssigningJournalEntryNumbers><ClosingDate>2025-12-31</ClosingDate></AccountingPreferences>
              <SalesTaxPreferences><DefaultItemSalesTaxRef><ListID>1-1</ListID><FullName>Springfield</FullName></DefaultItemSalesTaxRef><PaySalesTax>Monthly</PaySalesTax><DefaultTaxableSalesTaxCodeRef><FullName>Tax</FullName></DefaultTaxableSalesTaxCodeRef><DefaultNonTaxableSalesTaxCodeRef><FullName>Non</FullName></DefaultNonTaxableSalesTaxCodeRef></SalesTaxPreferences>
            </PreferencesRet></PreferencesQueryRs></QBXMLMsgsRs></QBXML>"#;
        let hcp = parse_hcp(xml).unwrap();
        let prefs = hcp.preferences.unwrap();
        assert!(prefs.sales_tax_enabled());
        let tax = prefs.sales_tax.unwrap();
        assert_eq!(
            tax.default_item_sales_tax
                .and_then(|r| r.full_name)
                .as_deref(),
            Some("Springfield")
        );
        assert_eq!(tax.pay_sales_tax.as_deref(), Some("Monthly"));
        assert_eq!(prefs.closing_date, NaiveDate::from_ymd_opt(2025, 12, 31));
        assert_eq!(prefs.class_tracking_enabled, Some(true));
        assert_eq!(hcp.company, None, "no CompanyQueryRs in this answer");
        assert_eq!(
            pick_qbxml_version(&hcp.host),
            Ok("13.0"),
            "a newer QuickBooks still speaks 13.0"
        );
    }

    #[test]
    fn an_old_quickbooks_is_refused_with_a_clear_reason() {
        let host = |versions: &[&str]| HostInfo {
            supported_qbxml_versions: versions.iter().map(|s| s.to_string()).collect(),
            ..HostInfo::default()
        };
        assert_eq!(
            pick_qbxml_version(&host(&["1.0", "11.0", "12.0"])),
            Err(VersionError::TooOld {
                highest: "12.0".into(),
                needed: "13.0"
            })
        );
        assert!(matches!(
            pick_qbxml_version(&host(&[])),
            Err(VersionError::NoneUnderstood { .. })
        ));
        assert!(matches!(
            pick_qbxml_version(&host(&["x.y"])),
            Err(VersionError::NoneUnderstood { .. })
        ));
        assert_eq!(
            pick_qbxml_version(&host(&["CA3.0", "13.0"])),
            Ok("13.0"),
            "country-prefixed versions are tolerated"
        );
        assert_eq!(
            pick_qbxml_version(&host(&["9.0", "13.10"])),
            Ok("13.0"),
            "13.10 is newer than 13.0, not 13.1 < 13.0"
        );
    }

    #[test]
    fn an_hcp_response_without_host_ret_is_an_error() {
        let xml = r#"<QBXML><QBXMLMsgsRs><HostQueryRs statusCode="3250" statusSeverity="Error" statusMessage="no"/></QBXMLMsgsRs></QBXML>"#;
        assert!(matches!(
            parse_hcp(xml),
            Err(ParseError::MissingHcpPart {
                part: "HostRet",
                ..
            })
        ));
        assert!(matches!(
            parse_hcp("not xml"),
            Err(ParseError::MissingElement { .. })
        ));
    }
}
