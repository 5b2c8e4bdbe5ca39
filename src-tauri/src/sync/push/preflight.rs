//! Pre-flight: the build of a message set finds every request that breaks a qbXML rule (a
//! name too long, a ':' in it...); those records wait for a person, in plain English, and
//! the rest is built again. One build in the usual case, not one per request.

use crate::qbxml::{BuildError, MsgsRq};
use crate::store::outbox::Problem;
use crate::store::records::RecordRef;
use crate::store::StoreError;
use crate::sync::batch::Planned;
use crate::sync::problems::{self, code};
use crate::sync::status::capitalise;
use std::collections::HashMap;

/// What the pre-flight leaves: the XML (`None` when no request was left) and the records
/// set aside with their problem, for the caller to park.
pub(super) type Checked = (Option<String>, Vec<(RecordRef, Problem)>);

/// Builds `msgs`, taking out every request that breaks a qbXML rule (with its plan and its
/// `sending` row).
pub(super) fn build(
    msgs: &mut MsgsRq,
    planned: &mut HashMap<String, Planned>,
    sending: &mut Vec<(RecordRef, String)>,
) -> Result<Checked, StoreError> {
    let mut refused = Vec::new();
    loop {
        let errors = match msgs.build() {
            Ok(xml) => return Ok((Some(xml), refused)),
            Err(errors) => errors,
        };
        if let Some(e) = errors
            .iter()
            .find(|e| e.request_id().is_empty() || !planned.contains_key(e.request_id()))
        {
            return Err(StoreError::Corrupt {
                place: "a qbXML message set FieldBridge built",
                value: e.to_string(),
                expected: "a message set without problems of its own",
            });
        }
        let by_request = by_request(errors);
        for (id, errors) in &by_request {
            if let Some(Planned::Push(plan)) = planned.remove(id) {
                refused.push((plan.record.clone(), preflight_problem(&plan.label, errors)));
            }
        }
        msgs.requests
            .retain(|r| !by_request.contains_key(r.request_id()));
        sending.retain(|(_, id)| !by_request.contains_key(id));
        if msgs.requests.is_empty() {
            return Ok((None, refused));
        }
    }
}

/// The problems the build found, by the requestID they concern.
fn by_request(errors: Vec<BuildError>) -> HashMap<String, Vec<BuildError>> {
    let mut by_request: HashMap<String, Vec<BuildError>> = HashMap::new();
    for e in errors {
        by_request
            .entry(e.request_id().to_owned())
            .or_default()
            .push(e);
    }
    by_request
}

/// Plain English for the qbXML rules a record breaks (names too long, a ':' in a name...).
fn preflight_problem(label: &str, errors: &[BuildError]) -> Problem {
    let details: Vec<String> = errors
        .iter()
        .map(|e| match e {
            BuildError::TooLong {
                field, max, found, ..
            } => format!(
                "{} is {found} characters long; QuickBooks allows at most {max}",
                field_words(field)
            ),
            BuildError::InvalidName { field, value, .. } => format!(
                "{} \"{value}\" contains ':', which QuickBooks does not allow in a name",
                field_words(field)
            ),
            BuildError::InvalidCharacter { field, .. } => format!(
                "{} contains an invisible control character QuickBooks cannot store",
                field_words(field)
            ),
            BuildError::NumberOutOfRange { field, value, .. } => format!(
                "{} ({value}) is too large or has too many decimal places for QuickBooks",
                field_words(field)
            ),
            other => other.to_string(),
        })
        .collect();
    problems::ours(
        code::QUICKBOOKS_LIMIT,
        format!(
            "{} cannot go to QuickBooks as it is: {}.",
            capitalise(label),
            details.join("; ")
        ),
        "Shorten or correct it in your field-service app and import it again, or give it a QuickBooks name on the Sync page.",
    )
}

/// "CustomerAdd/Name" → "the name"; "InvoiceAdd/RefNumber" → "the number".
fn field_words(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    let words = match last {
        "Name" => "the name",
        "RefNumber" => "the number",
        "CompanyName" => "the company name",
        "FirstName" => "the first name",
        "LastName" => "the last name",
        "Phone" => "the phone number",
        "Email" => "the e-mail address",
        "Addr1" | "Addr2" | "Addr3" | "City" | "State" | "PostalCode" | "Country" => {
            "an address line"
        }
        "Desc" => "a line's description",
        "Memo" => "the memo",
        "Quantity" => "a line's quantity",
        "Rate" => "a line's rate",
        "Amount" | "TotalAmount" | "PaymentAmount" => "an amount",
        other => return format!("the {other} field"),
    };
    words.to_owned()
}
