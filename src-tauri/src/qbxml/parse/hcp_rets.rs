//! The parts of `strHCPResponse` (HostRet, CompanyRet, PreferencesRet) as typed values and
//! their readers. Lives under `parse/` so the response parser can read them without knowing
//! about `qbxml::hcp`, which only assembles them into an `Hcp` and picks a version.

use chrono::NaiveDate;

use super::cursor::Cursor;
use super::rets::{data_ext, DataExtRet};
use super::values as v;
use crate::qbxml::error::ParseError;
use crate::qbxml::types::{Address, RetRef};

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
            "DataExtRet" => r.data_ext.push(data_ext(c)?),
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
