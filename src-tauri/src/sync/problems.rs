//! Every [`Problem`] the engine stores is made here: FieldBridge's own problem codes in one
//! list ([`code`]) and a few constructors, so the store's problem type can change (e.g. to a
//! typed code) in this one file. The wording of each problem stays with the code that finds
//! it; this module only gives it its shape.

use crate::store::outbox::Problem;

/// FieldBridge's own problem codes (QuickBooks' are its status codes and HRESULTs, kept as
/// QuickBooks sent them).
pub mod code {
    /// A line or tax item role has no usable QuickBooks item.
    pub const NEEDS_MAPPING: &str = "needs-mapping";
    /// A line names an item QuickBooks lacks or has made inactive.
    pub const MISSING_ITEM: &str = "missing-item";
    /// Sending tickets as estimates is switched off in FieldBridge.
    pub const ESTIMATES_OFF: &str = "estimates-off";
    /// Estimates are switched off in QuickBooks' preferences.
    pub const ESTIMATES_OFF_IN_QUICKBOOKS: &str = "estimates-off-in-quickbooks";
    /// A transaction changed in the app after it reached QuickBooks.
    pub const CHANGED_AFTER_SYNC: &str = "changed-after-sync";
    /// A void invoice that never reached QuickBooks.
    pub const VOID: &str = "void";
    /// An invoice dated before the invoice start date.
    pub const BEFORE_START_DATE: &str = "before-start-date";
    pub const MISSING_PAYMENT_METHOD: &str = "missing-payment-method";
    pub const MISSING_ACCOUNT: &str = "missing-account";
    /// Sent `push::MAX_SEND_ATTEMPTS` times without QuickBooks taking it.
    pub const TOO_MANY_ATTEMPTS: &str = "too-many-attempts";
    /// Pairing found a plausible QuickBooks customer but is not sure.
    pub const NEEDS_PAIRING: &str = "needs-pairing";
    /// Not in QuickBooks and the settings say to ask before creating.
    pub const ASK_FIRST: &str = "ask-first";
    /// QuickBooks already has a customer of that name.
    pub const NAME_IN_USE: &str = "name-in-use";
    /// A value breaks a qbXML limit (found before sending).
    pub const QUICKBOOKS_LIMIT: &str = "quickbooks-limit";
    /// The parent needs a person first.
    pub const WAITING_ON_PARENT: &str = "waiting-on-parent";
    /// The record QuickBooks had was deleted there.
    pub const DELETED_IN_QUICKBOOKS: &str = "deleted-in-quickbooks";
}

/// A problem FieldBridge found itself, with one of its own [`code`]s.
pub fn ours(code: &'static str, text: String, advice: impl Into<String>) -> Problem {
    Problem {
        code: Some(code.to_owned()),
        message: None,
        text,
        advice: Some(advice.into()),
    }
}

/// A problem QuickBooks reported for one request: its status code and message, verbatim,
/// under FieldBridge's words.
pub fn from_quickbooks(status_code: i32, message: &str, text: String, advice: String) -> Problem {
    Problem {
        code: Some(status_code.to_string()),
        message: Some(message.to_owned()),
        text,
        advice: Some(advice),
    }
}

/// QuickBooks refused a whole request with an HRESULT.
pub fn from_hresult(hresult: &str, message: &str, text: String, advice: String) -> Problem {
    Problem {
        code: Some(hresult.to_owned()),
        message: Some(message.to_owned()),
        text,
        advice: Some(advice),
    }
}

/// A problem with no code: only words (e.g. a parent missing from FieldBridge).
pub fn words_only(text: String) -> Problem {
    Problem {
        text,
        ..Problem::default()
    }
}

/// A child parked because its parent needs a person: the parent's reason and advice,
/// under the child's name.
pub fn waiting_on_parent(child_label: &str, parent_label: &str, parent: Problem) -> Problem {
    Problem {
        code: Some(code::WAITING_ON_PARENT.to_owned()),
        message: parent.message.clone(),
        text: format!(
            "{} waits for {parent_label}: {}",
            super::status::capitalise(child_label),
            parent.text
        ),
        advice: parent.advice.or(Some(format!("Fix {parent_label} first."))),
    }
}

/// The same problem with its words replaced (QuickBooks' code and message kept).
pub fn reworded(p: Problem, text: String, advice: &str) -> Problem {
    Problem {
        text,
        advice: Some(advice.to_owned()),
        ..p
    }
}

/// Two problems are the same for History when their code and words are.
pub fn same(a: &Problem, b: &Problem) -> bool {
    a.code == b.code && a.text == b.text
}
