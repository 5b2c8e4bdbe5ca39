//! The first `sendRequestXML` of a session carries `strHCPResponse`: QuickBooks' answers to
//! HostQuery, CompanyQuery and PreferencesQuery. This module reads it into [`Hcp`] and picks
//! the qbXML version to speak. It does not decide whether the company file is the right one
//! (the engine does).

use crate::qbxml::error::{ParseError, VersionError};
pub use crate::qbxml::parse::hcp_rets::{CompanyInfo, HostInfo, Preferences, SalesTaxPreferences};
use crate::qbxml::parse::{parse_response, Ret};
use crate::qbxml::writer::QBXML_VERSION;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbxml::test_support::reference;
    use chrono::NaiveDate;

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
