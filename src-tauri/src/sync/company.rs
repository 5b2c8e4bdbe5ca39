//! The first `sendRequestXML` of a session: which QuickBooks answered (version, country),
//! which company file is open and its preferences (sales tax, estimates). Binds this data
//! folder to that company file at the first sync and refuses any other file afterwards.

use super::error::CompanyError;
use super::session::{Company, Phase, Session};
use crate::qbwc::SendRequestXml;
use crate::qbxml::{self, Hcp};
use crate::store::{sessions, settings, Store, StoreError};

/// Reads the company, picks the qbXML version and binds this data folder to the company
/// file (at the first sync), or refuses a different file.
pub fn check_company(
    store: &Store,
    s: &mut Session,
    call: &SendRequestXml,
) -> Result<(), CompanyError> {
    s.current_phase = Phase::ReadingQuickBooks;
    let hcp: Hcp = qbxml::parse_hcp(&call.hcp_response).map_err(|e| {
        tracing::warn!("strHCPResponse could not be read: {e}");
        CompanyError::UnreadableHcp(e)
    })?;
    qbxml::pick_qbxml_version(&hcp.host)?;
    if let Some(country) = hcp.host.country.as_deref() {
        if !country.eq_ignore_ascii_case("US") {
            return Err(CompanyError::NotUs {
                country: country.to_owned(),
            });
        }
    }
    let file = call.company_file_name.trim().to_owned();
    if file.is_empty() {
        return Err(CompanyError::NoFileName);
    }
    let prefs = hcp.preferences.clone().unwrap_or_default();
    let sales = prefs.sales_tax.clone();
    s.company = Company {
        file: file.clone(),
        name: hcp
            .company
            .as_ref()
            .and_then(|c| c.company_name.clone().or(c.legal_company_name.clone())),
        sales_tax: prefs.sales_tax_enabled(),
        estimates: prefs.estimates_enabled.unwrap_or(true),
        taxable_code: sales
            .as_ref()
            .and_then(|t| t.default_taxable_code.as_ref())
            .and_then(|r| r.full_name.clone()),
        non_taxable_code: sales
            .as_ref()
            .and_then(|t| t.default_non_taxable_code.as_ref())
            .and_then(|r| r.full_name.clone()),
    };
    let name = s.company.name.clone();
    let id = s.id;
    let bound = store
        .write(|tx| {
            let binding = settings::company_binding(tx)?;
            match binding {
                Some(b) if !same_file(&b.company_file, &file) => Ok(Some(b.company_file)),
                Some(_) => {
                    sessions::set_company_file(tx, id, &file)?;
                    Ok(None)
                }
                None => {
                    settings::bind_company(tx, &file, name.as_deref())?;
                    sessions::set_company_file(tx, id, &file)?;
                    tracing::info!(company_file = %file, "bound this data folder to the company file");
                    Ok::<_, StoreError>(None)
                }
            }
        })
        .map_err(CompanyError::Database)?;
    if let Some(bound) = bound {
        tracing::warn!(open = %file, bound = %bound, "refusing a different company file");
        return Err(CompanyError::OtherFile { open: file, bound });
    }
    Ok(())
}

/// Windows paths compare without regard to case.
fn same_file(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_paths_compare_without_case() {
        assert!(same_file("C:\\Books\\ACME.QBW", " c:\\books\\acme.qbw "));
        assert!(!same_file("C:\\Books\\ACME.QBW", "C:\\Books\\Other.qbw"));
    }
}
