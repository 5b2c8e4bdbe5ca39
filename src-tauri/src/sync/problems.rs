//! Every [`Problem`] the engine stores is made here: FieldBridge's own problem codes in one
//! list ([`code`], typed: `store::codes::ProblemCode`) and a few constructors. The wording of each problem stays with the code that finds
//! it; this module only gives it its shape.

use crate::store::codes::ProblemCode;
use crate::store::outbox::Problem;

/// FieldBridge's own problem codes (QuickBooks' are its status codes and HRESULTs, kept as
/// QuickBooks sent them).
pub mod code {
    use crate::store::codes::ProblemCode;
    use crate::store::mappings::ItemRole;

    /// A line or tax item role has no usable QuickBooks item (the role is part of the code).
    pub fn needs_mapping(role: ItemRole) -> ProblemCode {
        ProblemCode::NeedsMapping(role)
    }
    /// A line names an item QuickBooks lacks or has made inactive.
    pub const MISSING_ITEM: ProblemCode = ProblemCode::MissingItem;
    /// Sending tickets as estimates is switched off in FieldBridge.
    pub const ESTIMATES_OFF: ProblemCode = ProblemCode::EstimatesOff;
    /// Estimates are switched off in QuickBooks' preferences.
    pub const ESTIMATES_OFF_IN_QUICKBOOKS: ProblemCode = ProblemCode::EstimatesOffInQuickBooks;
    /// A void invoice that never reached QuickBooks.
    pub const VOID: ProblemCode = ProblemCode::Void;
    /// An invoice dated before the invoice start date.
    pub const BEFORE_START_DATE: ProblemCode = ProblemCode::BeforeStartDate;
    pub const MISSING_PAYMENT_METHOD: ProblemCode = ProblemCode::MissingPaymentMethod;
    pub const MISSING_ACCOUNT: ProblemCode = ProblemCode::MissingAccount;
    /// Sent `push::MAX_SEND_ATTEMPTS` times without QuickBooks taking it.
    pub const TOO_MANY_ATTEMPTS: ProblemCode = ProblemCode::TooManyAttempts;
    /// Pairing found a plausible QuickBooks customer but is not sure.
    pub const NEEDS_PAIRING: ProblemCode = ProblemCode::NeedsPairing;
    /// Not in QuickBooks and the settings say to ask before creating.
    pub const ASK_FIRST: ProblemCode = ProblemCode::AskFirst;
    /// QuickBooks already has a customer of that name.
    pub const NAME_IN_USE: ProblemCode = ProblemCode::NameInUse;
    /// A value breaks a qbXML limit (found before sending).
    pub const QUICKBOOKS_LIMIT: ProblemCode = ProblemCode::QuickBooksLimit;
    /// The parent needs a person first.
    pub const WAITING_ON_PARENT: ProblemCode = ProblemCode::WaitingOnParent;
    /// The record QuickBooks had was deleted there.
    pub const DELETED_IN_QUICKBOOKS: ProblemCode = ProblemCode::DeletedInQuickBooks;
    /// Both QuickBooks and the app changed the record's owned fields.
    pub const EDIT_CONFLICT: ProblemCode = ProblemCode::EditConflict;
    /// QuickBooks has payments applied to the invoice.
    pub const PAID_INVOICE: ProblemCode = ProblemCode::PaidInvoice;
    /// A payment reversed before it reached QuickBooks.
    pub const REVERSED: ProblemCode = ProblemCode::Reversed;
}

/// A problem FieldBridge found itself, with one of its own [`code`]s.
pub fn ours(code: ProblemCode, text: String, advice: impl Into<String>) -> Problem {
    Problem {
        code: Some(code),
        message: None,
        text,
        advice: Some(advice.into()),
    }
}

/// A problem QuickBooks reported for one request: its status code and message, verbatim,
/// under FieldBridge's words.
pub fn from_quickbooks(status_code: i32, message: &str, text: String, advice: String) -> Problem {
    Problem {
        code: Some(ProblemCode::QuickBooks(status_code)),
        message: Some(message.to_owned()),
        text,
        advice: Some(advice),
    }
}

/// QuickBooks refused a whole request with an HRESULT.
pub fn from_hresult(hresult: &str, message: &str, text: String, advice: String) -> Problem {
    Problem {
        code: Some(ProblemCode::Hresult(hresult.to_owned())),
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
        code: Some(code::WAITING_ON_PARENT),
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
