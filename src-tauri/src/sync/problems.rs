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
    /// A record changed in the app after it reached QuickBooks that FieldBridge does not
    /// change there (expenses).
    pub const CHANGED_AFTER_SYNC: ProblemCode = ProblemCode::ChangedAfterSync;
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
    /// The linked QuickBooks customer or job was made inactive there.
    pub const INACTIVE_IN_QUICKBOOKS: ProblemCode = ProblemCode::InactiveInQuickBooks;
    /// Both QuickBooks and the app changed the record's owned fields.
    pub const EDIT_CONFLICT: ProblemCode = ProblemCode::EditConflict;
    /// QuickBooks has payments applied to the invoice.
    pub const PAID_INVOICE: ProblemCode = ProblemCode::PaidInvoice;
    /// A paid expense's kind cannot change once QuickBooks has it; a bill paid there is not
    /// changed.
    pub const PAID_EXPENSE: ProblemCode = ProblemCode::PaidExpense;
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

/// The invoice a refused payment pays, as far as FieldBridge knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaidInvoice {
    /// The invoice's number.
    pub number: Option<String>,
    /// The app customer it is billed to.
    pub customer: Option<String>,
    /// When that customer's link was changed after the invoice reached QuickBooks: the
    /// QuickBooks customer it is linked to now.
    pub relinked_to: Option<String>,
}

/// QuickBooks refused a payment with "There is an invalid reference to QuickBooks
/// Transaction ..." (3120/3140): the invoice it pays is not under the customer the payment
/// names. Most often because the customer's link was changed after the invoice was sent
/// (the invoice stays with the QuickBooks customer it was sent to). Says that, not "check
/// the item mappings" (a payment has no items). QuickBooks' code and message are kept.
pub fn payment_invoice_not_found(p: Problem, label: &str, invoice: &PaidInvoice) -> Problem {
    let number = invoice
        .number
        .as_deref()
        .map_or_else(|| "its invoice".to_owned(), |n| format!("invoice {n}"));
    let who = invoice.customer.as_deref().unwrap_or("the customer");
    let (text, advice) = match &invoice.relinked_to {
        Some(now) => (
            format!(
                "QuickBooks could not apply {label} to {number}: the link of {who} was changed after {number} was sent, so the payment went to \"{now}\" in QuickBooks, but {number} is still under the QuickBooks customer it was sent to."
            ),
            format!(
                "Either change the link of {who} back on the Customers page (Change link…), or in QuickBooks move {number} to \"{now}\". Then choose Retry."
            ),
        ),
        None => (
            format!(
                "QuickBooks could not apply {label} to {number}: QuickBooks does not have {number} under {who} (it may have been deleted, or moved to another customer in QuickBooks)."
            ),
            format!(
                "In QuickBooks, find {number} and check which customer it is under and that it is not deleted; correct it there or change the link of {who} on the Customers page. Then choose Retry."
            ),
        ),
    };
    reworded(p, text, &advice)
}

/// Two problems are the same for History when their code and words are.
pub fn same(a: &Problem, b: &Problem) -> bool {
    a.code == b.code && a.text == b.text
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFUSED: &str = "There is an invalid reference to QuickBooks Transaction \"1A2-1700000000\" in the ReceivePayment.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.";

    fn refused() -> Problem {
        let x = crate::sync::status::explain(3140, "Error", REFUSED, "payment P-1");
        from_quickbooks(3140, REFUSED, x.text, x.advice)
    }

    #[test]
    fn a_payment_refused_after_its_customer_link_changed_says_so() {
        let p = payment_invoice_not_found(
            refused(),
            "payment P-1 of $50.00 on invoice I-1",
            &PaidInvoice {
                number: Some("10045".into()),
                customer: Some("Ecker Designs".into()),
                relinked_to: Some("Ecker Designs Group".into()),
            },
        );
        assert!(
            p.text
                .contains("the link of Ecker Designs was changed after invoice 10045 was sent"),
            "names what happened: {}",
            p.text
        );
        let advice = p.advice.unwrap();
        assert!(
            advice.contains("Change link") && advice.contains("Retry"),
            "{advice}"
        );
        for wrong in ["item mappings", "invalid reference"] {
            assert!(
                !p.text.contains(wrong) && !advice.contains(wrong),
                "not QuickBooks' words nor item advice: {} / {advice}",
                p.text
            );
        }
        assert_eq!(
            p.code,
            Some(ProblemCode::QuickBooks(3140)),
            "QuickBooks' code kept"
        );
        assert_eq!(
            p.message.as_deref(),
            Some(REFUSED),
            "and its message, underneath"
        );
    }

    #[test]
    fn a_payment_whose_invoice_quickbooks_lacks_says_where_to_look() {
        let p = payment_invoice_not_found(
            refused(),
            "payment P-1",
            &PaidInvoice {
                number: Some("10045".into()),
                customer: Some("Ecker Designs".into()),
                relinked_to: None,
            },
        );
        assert!(
            p.text
                .contains("does not have invoice 10045 under Ecker Designs"),
            "{}",
            p.text
        );
        assert!(!p.advice.unwrap().contains("item mappings"));
    }
}
