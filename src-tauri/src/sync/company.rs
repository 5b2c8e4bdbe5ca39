//! The first `sendRequestXML` of a session: which QuickBooks answered (version, country),
//! which company file is open and its preferences (sales tax, estimates). Binds this data
//! folder to that company file at the first sync and refuses any other file afterwards.

use super::error::CompanyError;
use super::rebind::RebindCheck;
use super::session::{Company, Phase, Session, LAST_COMPANY};
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
    let company_json = serde_json::to_string(&s.company).unwrap_or_default();
    let bound = store
        .write(|tx| {
            settings::set_raw(tx, LAST_COMPANY, Some(&company_json))?;
            let binding = settings::company_binding(tx)?;
            match binding {
                Some(b) if !same_file(&b.company_file, &file) => {
                    // The Sync page's notice, with its "This is the same company file".
                    settings::set_raw(tx, REFUSED_FILE, Some(&file))?;
                    if settings::get_raw(tx, REBIND)?.is_none() {
                        return Ok(Binding::Refused(CompanyError::OtherFile {
                            open: file.clone(),
                            bound: b.company_file,
                        }));
                    }
                    // A person said it is the same company file: checked before the pull.
                    Ok(Binding::Check(RebindCheck::new(
                        tx,
                        b,
                        file.clone(),
                        name.clone(),
                    )?))
                }
                Some(_) => {
                    settings::set_raw(tx, REFUSED_FILE, None)?;
                    settings::set_raw(tx, REFUSED_CHECK, None)?;
                    sessions::set_company_file(tx, id, &file)?;
                    Ok(Binding::Bound)
                }
                None => {
                    settings::bind_company(tx, &file, name.as_deref())?;
                    sessions::set_company_file(tx, id, &file)?;
                    tracing::info!(company_file = %file, "bound this data folder to the company file");
                    Ok::<_, StoreError>(Binding::Bound)
                }
            }
        })
        .map_err(CompanyError::Database)?;
    match bound {
        Binding::Bound => Ok(()),
        Binding::Check(check) => {
            s.rebind = Some(Box::new(check));
            Ok(())
        }
        Binding::Refused(refused) => {
            tracing::warn!(open = %file, "refusing a different company file: {refused}");
            Err(refused)
        }
    }
}

/// What the company check decided.
enum Binding {
    /// The bound file (or the first one, now bound).
    Bound,
    /// Another path, and a person said it is the same company file: checked next.
    Check(RebindCheck),
    Refused(CompanyError),
}

/// Settings key: the company file the last run refused (another path than the bound one),
/// until a run accepts a file.
pub const REFUSED_FILE: &str = "company_refused_file";
/// Settings key: what the last rebind check found, in words, when it refused the file.
pub const REFUSED_CHECK: &str = "company_refused_check";

/// Settings key: a person said the company file QuickBooks opens next is this data folder's
/// company file (`fieldbridge rebind`); used once, at the next run.
pub const REBIND: &str = "rebind_requested";

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
