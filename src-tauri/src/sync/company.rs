//! The first `sendRequestXML` of a session: which QuickBooks answered (version, country),
//! which company file is open and its preferences (sales tax, estimates). Binds this data
//! folder to that company file at the first sync and refuses any other file afterwards.

use super::error::CompanyError;
use super::session::{Company, Phase, Session, LAST_COMPANY};
use crate::qbwc::SendRequestXml;
use crate::qbxml::{self, Hcp};
use crate::store::codes::{HistoryAction, HistoryOutcome};
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
                    if settings::get_raw(tx, REBIND)?.is_none() {
                        return Ok(Some(CompanyError::OtherFile {
                            open: file.clone(),
                            bound: b.company_file,
                        }));
                    }
                    settings::set_raw(tx, REBIND, None)?;
                    rebind(tx, id, &b, &file, name.as_deref())
                }
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
    if let Some(refused) = bound {
        tracing::warn!(open = %file, "refusing a different company file: {refused}");
        return Err(refused);
    }
    Ok(())
}

/// Settings key: a person said the company file QuickBooks opens next is this data folder's
/// company file (`fieldbridge rebind`); used once, at the next run.
pub const REBIND: &str = "rebind_requested";

/// A person said the open file `file` is the same company file as the one bound (`b`):
/// accepted when what can be checked agrees (QuickBooks' company name), refused otherwise;
/// History says what was checked either way. FieldBridge's own records are looked for by
/// ExternalGUID by the lost-batch check and the pull of this same run.
fn rebind(
    tx: &rusqlite::Transaction<'_>,
    session_id: i64,
    b: &settings::CompanyBinding,
    file: &str,
    name: Option<&str>,
) -> Result<Option<CompanyError>, StoreError> {
    let names_agree = match (b.company_name.as_deref(), name) {
        (Some(bound), Some(open)) => bound.trim().eq_ignore_ascii_case(open.trim()),
        // Nothing to compare: the person's word is taken.
        _ => true,
    };
    let (outcome, text) = if names_agree {
        (
            HistoryOutcome::Linked,
            format!(
                "You said \"{file}\" is the same company file as \"{}\". FieldBridge checked the company name QuickBooks gives it ({}) and accepted it; it syncs with \"{file}\" from now on.",
                b.company_file,
                match (b.company_name.as_deref(), name) {
                    (Some(n), Some(_)) => format!("\"{n}\", the same as at the first sync"),
                    _ => "QuickBooks gave no name to compare, so your word was taken".to_owned(),
                }
            ),
        )
    } else {
        (HistoryOutcome::Failed, format!(
            "You said \"{file}\" is the same company file as \"{}\", but QuickBooks names its company \"{}\", not \"{}\". FieldBridge refused it and sent nothing.",
            b.company_file,
            name.unwrap_or_default(),
            b.company_name.as_deref().unwrap_or_default()
        ))
    };
    sessions::add_history(
        tx,
        Some(session_id),
        &sessions::NewHistory {
            record: None,
            action: HistoryAction::Check,
            outcome,
            qb_code: None,
            qb_message: None,
            text: Some(&text),
        },
    )?;
    if !names_agree {
        return Ok(Some(CompanyError::OtherCompany {
            open: file.to_owned(),
            bound: b.company_file.clone(),
            open_name: name.unwrap_or_default().to_owned(),
            bound_name: b.company_name.clone().unwrap_or_default(),
        }));
    }
    settings::bind_company(tx, file, name.or(b.company_name.as_deref()))?;
    sessions::set_company_file(tx, session_id, file)?;
    tracing::info!(company_file = %file, "re-bound this data folder to the company file");
    Ok(None)
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
