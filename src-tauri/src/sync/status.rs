//! What QuickBooks' answers mean and what to do about them: the status-code table of the
//! shared design's `qbwc-notes.md`, turned into a retry rule and plain English for the office
//! manager. Owns the wording; owns no state (the appliers decide and store the outcome).
//!
//! Every explanation names the record (`subject`, e.g. `customer "Ecker Designs" (C-1001)`)
//! and says what to do next. QuickBooks' own code and message are kept separately by the
//! caller and shown underneath.

/// What to do with a record after QuickBooks answered with a status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// statusCode 0 (or an Info/Warn severity that still returned the object): apply it.
    Apply,
    /// statusCode 1: a query matched nothing. Not an error.
    NothingFound,
    /// Worth sending again in a later batch or session (locks, "in use"): transient.
    RetryLater,
    /// 3200: our EditSequence is stale. Re-read the record, then retry once.
    RereadAndRetry,
    /// QuickBooks already has this name (3100): never retry blindly; offer to pair.
    NameInUse,
    /// A person has to change something (a mapping, a preference, a permission, a parent).
    NeedsAttention,
    /// QuickBooks refused the record as it is; it stays failed until it changes or a person
    /// retries.
    Failed,
}

/// The plain-English side of a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub verdict: Verdict,
    /// What happened, naming the record.
    pub text: String,
    /// What to do next.
    pub advice: String,
}

/// QuickBooks' status codes this module knows by number (qbXML 13.0 SDK, "Status codes").
pub mod code {
    pub const OK: i32 = 0;
    pub const NO_MATCH: i32 = 1;
    pub const SOME_NOT_FOUND: i32 = 500;
    pub const NAME_IN_USE: i32 = 3100;
    pub const MISSING_REFERENCE: i32 = 3120;
    pub const BAD_PARENT: i32 = 3130;
    pub const BAD_REFERENCE: i32 = 3140;
    pub const CANNOT_MODIFY: i32 = 3170;
    pub const CANNOT_SAVE: i32 = 3175;
    pub const CANNOT_SAVE_IN_USE: i32 = 3176;
    pub const LIST_LOCKED: i32 = 3180;
    pub const STALE_EDIT_SEQUENCE: i32 = 3200;
    pub const INVALID_VALUE: i32 = 3210;
    pub const FEATURE_OFF: i32 = 3250;
    pub const NO_PERMISSION: i32 = 3260;
    pub const NO_PERMISSION_SENSITIVE: i32 = 3261;
}

/// Reads one response's status for the record it concerns.
///
/// `severity` is QuickBooks' statusSeverity ("Info", "Warn", "Error"): per the qbXML SDK,
/// only "Error" means the request was not carried out, so a non-zero code with Info or Warn
/// severity still applies (QuickBooks did the work and is telling us something).
pub fn explain(status_code: i32, severity: &str, message: &str, subject: &str) -> Explanation {
    use code::*;
    let e = |verdict, text: String, advice: &str| Explanation {
        verdict,
        text,
        advice: advice.to_owned(),
    };
    if status_code == OK || (status_code != NO_MATCH && !severity.eq_ignore_ascii_case("error")) {
        return e(
            Verdict::Apply,
            format!("QuickBooks accepted {subject}."),
            "Nothing to do.",
        );
    }
    let lower = message.to_ascii_lowercase();
    let transient_words = lower.contains("in use") || lower.contains("locked");
    match status_code {
        NO_MATCH => e(
            Verdict::NothingFound,
            format!("QuickBooks has nothing matching {subject}."),
            "Nothing to do.",
        ),
        NAME_IN_USE => e(
            Verdict::NameInUse,
            format!("QuickBooks already has a record with the name of {subject}, so FieldBridge did not create another."),
            "Open Customers and link it to the existing QuickBooks customer, or rename it in your field-service app.",
        ),
        MISSING_REFERENCE | BAD_REFERENCE => e(
            Verdict::NeedsAttention,
            format!("QuickBooks could not find something {subject} refers to (an item, customer, account or payment method). QuickBooks said: {message}"),
            "Check the item mappings on the Items page and that the named item, account or payment method exists and is active in QuickBooks, then retry.",
        ),
        BAD_PARENT => e(
            Verdict::NeedsAttention,
            format!("QuickBooks would not put {subject} under its customer. QuickBooks said: {message}"),
            "Make sure the customer exists and is active in QuickBooks, then retry.",
        ),
        CANNOT_MODIFY | CANNOT_SAVE | CANNOT_SAVE_IN_USE | LIST_LOCKED => {
            if transient_words || status_code == LIST_LOCKED || status_code == CANNOT_SAVE_IN_USE {
                e(
                    Verdict::RetryLater,
                    format!("QuickBooks was busy with {subject} (someone may have it open)."),
                    "Nothing to do: FieldBridge tries again in the next batch or at the next Web Connector run. If it keeps happening, close the record's window in QuickBooks.",
                )
            } else {
                e(
                    Verdict::Failed,
                    format!("QuickBooks could not save {subject}. QuickBooks said: {message}"),
                    "Open the record in QuickBooks to see what stops it from being changed (a closed period, for example), fix it there, then retry.",
                )
            }
        }
        STALE_EDIT_SEQUENCE => e(
            Verdict::RereadAndRetry,
            format!("{} was changed in QuickBooks while FieldBridge was updating it.", capitalise(subject)),
            "Nothing to do: FieldBridge reads it again and retries once.",
        ),
        INVALID_VALUE => e(
            Verdict::Failed,
            format!("QuickBooks refused {subject} because a value is not allowed. QuickBooks said: {message}"),
            "Correct the value in your field-service app (for a payment, check it is not more than the invoice's balance), then retry.",
        ),
        FEATURE_OFF => e(
            Verdict::NeedsAttention,
            format!("QuickBooks has a feature switched off that {subject} needs. QuickBooks said: {message}"),
            "In QuickBooks open Edit > Preferences > Company Preferences and switch the feature on (for service tickets: Jobs & Estimates > \"Do you create estimates?\" Yes), or switch estimates off on FieldBridge's Items page.",
        ),
        NO_PERMISSION | NO_PERMISSION_SENSITIVE => e(
            Verdict::NeedsAttention,
            format!("QuickBooks did not allow FieldBridge to work with {subject}."),
            "In QuickBooks open Edit > Preferences > Integrated Applications > Company Preferences, select FieldBridge, choose Properties and allow access (including personal data), then run the Web Connector again.",
        ),
        SOME_NOT_FOUND => e(
            Verdict::Apply,
            format!("QuickBooks did not find every record asked for about {subject}."),
            "Nothing to do.",
        ),
        _ => e(
            Verdict::Failed,
            format!("QuickBooks refused {subject}. QuickBooks said: {message}"),
            "Fix what QuickBooks names in your field-service app or in QuickBooks, then retry. If the message makes no sense, send FieldBridge's support the code and message shown below.",
        ),
    }
}

/// The plain English for an HRESULT the Web Connector reports instead of a response
/// (receiveResponseXML's hresult, or connectionError), with what to do.
pub fn explain_hresult(hresult: &str, message: &str) -> (String, String) {
    let normalized = hresult.trim().to_ascii_lowercase();
    let (what, todo) = match normalized.as_str() {
        "0x80040400" => (
            "QuickBooks could not read a request FieldBridge sent.",
            "This is a fault in FieldBridge: nothing was changed in QuickBooks. Please send FieldBridge's support the log from the data folder.",
        ),
        "0x80040401" => (
            "The Web Connector could not reach QuickBooks.",
            "Open QuickBooks with your company file, then run the Web Connector again.",
        ),
        "0x80040402" => (
            "QuickBooks hit an unexpected error.",
            "Restart QuickBooks and run the Web Connector again.",
        ),
        "0x80040408" => (
            "The Web Connector could not start QuickBooks.",
            "Open QuickBooks yourself with your company file, then run the Web Connector again.",
        ),
        "0x8004040a" => (
            "QuickBooks has a different company file open.",
            "Open the company file FieldBridge syncs with (shown on the Connect page), then run the Web Connector again.",
        ),
        "0x80040410" => (
            "The company file is open in a mode that does not allow FieldBridge in.",
            "Close and reopen the company file in QuickBooks, then run the Web Connector again.",
        ),
        "0x80040414" => (
            "A window open in QuickBooks is blocking it.",
            "Close any open dialog in QuickBooks, then run the Web Connector again.",
        ),
        "0x80040416" => (
            "QuickBooks is not running and no company file was given.",
            "Open QuickBooks with your company file, then run the Web Connector again.",
        ),
        "0x80040420" => (
            "Access to QuickBooks was denied to FieldBridge.",
            "In QuickBooks, allow FieldBridge under Edit > Preferences > Integrated Applications, then run the Web Connector again.",
        ),
        "0x80040422" => (
            "QuickBooks needs the company file in single-user mode for this.",
            "In QuickBooks choose File > Switch to Single-user Mode, then run the Web Connector again.",
        ),
        _ => (
            "The Web Connector reported a problem talking to QuickBooks.",
            "Make sure QuickBooks is open with your company file, then run the Web Connector again.",
        ),
    };
    let mut text = what.to_owned();
    if !message.trim().is_empty() {
        text.push_str(&format!(" (QuickBooks said: {})", message.trim()));
    }
    (text, todo.to_owned())
}

/// The first letter in upper case (labels start sentences: "Customer \"X\" ...").
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHO: &str = "customer \"Ecker Designs\" (C-1001)";

    #[test]
    fn each_code_in_the_design_table_gets_its_action() {
        for (code, severity, message, verdict) in [
            (0, "Info", "Status OK", Verdict::Apply),
            (
                1,
                "Info",
                "A query request did not find a matching object",
                Verdict::NothingFound,
            ),
            (500, "Warn", "some objects not found", Verdict::Apply),
            (
                3100,
                "Error",
                "The name \"Ecker Designs\" of the list element is already in use.",
                Verdict::NameInUse,
            ),
            (
                3120,
                "Error",
                "Object \"80000099-1\" specified in the request cannot be found.",
                Verdict::NeedsAttention,
            ),
            (
                3130,
                "Error",
                "There is an invalid reference to a parent",
                Verdict::NeedsAttention,
            ),
            (
                3140,
                "Error",
                "There is an invalid reference to QuickBooks Item \"Labor\"",
                Verdict::NeedsAttention,
            ),
            (
                3170,
                "Error",
                "The record is in use by another user",
                Verdict::RetryLater,
            ),
            (
                3170,
                "Error",
                "The transaction is in a closed period",
                Verdict::Failed,
            ),
            (3175, "Error", "The list is locked", Verdict::RetryLater),
            (3176, "Error", "cannot be saved", Verdict::RetryLater),
            (
                3180,
                "Error",
                "There was an error when saving a Customers list",
                Verdict::RetryLater,
            ),
            (
                3200,
                "Error",
                "The provided edit sequence \"1\" is out-of-date.",
                Verdict::RereadAndRetry,
            ),
            (
                3210,
                "Error",
                "The \"amount\" field has an invalid value",
                Verdict::Failed,
            ),
            (
                3250,
                "Error",
                "This feature is not enabled or not available",
                Verdict::NeedsAttention,
            ),
            (
                3260,
                "Error",
                "Insufficient permission level",
                Verdict::NeedsAttention,
            ),
            (
                3261,
                "Error",
                "no access to personal data",
                Verdict::NeedsAttention,
            ),
            (9999, "Error", "Something new", Verdict::Failed),
        ] {
            let x = explain(code, severity, message, WHO);
            assert_eq!(
                x.verdict, verdict,
                "status {code} ({message}) must lead to {verdict:?}"
            );
        }
    }

    #[test]
    fn a_non_error_severity_means_quickbooks_did_the_work() {
        // e.g. 3210 as Info: the object was saved, QuickBooks adds a remark.
        assert_eq!(
            explain(3210, "Info", "rounded", WHO).verdict,
            Verdict::Apply
        );
        assert_eq!(
            explain(530, "Warn", "something", WHO).verdict,
            Verdict::Apply
        );
    }

    #[test]
    fn every_failure_names_the_record_and_says_what_to_do() {
        for code in [
            3100, 3120, 3130, 3140, 3170, 3180, 3200, 3210, 3250, 3260, 4242,
        ] {
            let x = explain(code, "Error", "QuickBooks' words", WHO);
            assert!(
                x.text.contains("Ecker Designs") || x.text.contains("ecker designs"),
                "{code}: the office manager must see which record: {}",
                x.text
            );
            assert!(
                x.advice.len() > 10,
                "{code}: a next step is given: {}",
                x.advice
            );
            assert!(
                !x.text.contains("3100") && !x.text.contains("statusCode"),
                "no bare codes in the text"
            );
        }
    }

    #[test]
    fn hresults_are_explained_with_a_next_step() {
        let (text, todo) = explain_hresult("0x8004040A", "A different company file is open");
        assert!(text.contains("different company file"), "{text}");
        assert!(text.contains("QuickBooks said: A different company file is open"));
        assert!(todo.contains("Connect page"), "{todo}");
        let (text, _) = explain_hresult("0xdeadbeef", "");
        assert!(!text.contains("said"), "no empty quote: {text}");
    }
}
