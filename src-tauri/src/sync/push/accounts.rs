//! The accounts an expense names, looked up in what QuickBooks has (full name or account
//! number, `store::accounts`), with the pre-flight problems when one is missing, inactive
//! or of the wrong type: in plain English, with what to do. Such a record waits
//! (`missing-account`) and is checked again after every read of QuickBooks' lists.

use super::kind::Hold;
use crate::store::accounts::{self, AccountType, QbAccount};
use crate::sync::problems::{self, code};
use crate::sync::status::capitalise;
use rusqlite::Transaction;

/// How a paid expense was paid: QuickBooks' account type decides the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PaidWith {
    /// A bank account: a Check.
    Bank,
    /// A credit card account: a CreditCardCharge.
    CreditCard,
}

fn found(tx: &Transaction<'_>, reference: &str) -> Result<Option<QbAccount>, Hold> {
    Ok(accounts::by_name_or_number(tx, reference)?)
}

fn missing(label: &str, reference: &str, what: &str) -> Hold {
    Hold::Park(problems::ours(
        code::MISSING_ACCOUNT,
        format!(
            "{} cannot be sent: QuickBooks has no account named or numbered \"{reference}\" ({what}).",
            capitalise(label)
        ),
        "Add the account in QuickBooks (Lists > Chart of Accounts), or correct the account in your field-service app. FieldBridge checks again at the next sync.",
    ))
}

fn inactive(label: &str, a: &QbAccount) -> Hold {
    Hold::Park(problems::ours(
        code::MISSING_ACCOUNT,
        format!(
            "{} cannot be sent: the QuickBooks account \"{}\" is inactive.",
            capitalise(label),
            a.full_name
        ),
        "Make the account active in QuickBooks (Lists > Chart of Accounts, Include inactive), or use another account in your field-service app.",
    ))
}

fn kind_of(a: &QbAccount) -> &'static str {
    a.account_type
        .map_or("an unknown kind of", AccountType::plain)
}

/// The account of an expense line (`line` says which, e.g. "line 2"): any account a
/// transaction line may post to (expense, cost of goods sold, asset...), active.
pub(super) fn line_account(
    tx: &Transaction<'_>,
    label: &str,
    line: &str,
    reference: &str,
) -> Result<QbAccount, Hold> {
    let Some(a) = found(tx, reference)? else {
        return Err(missing(label, reference, &format!("the account of {line}")));
    };
    if !a.is_active {
        return Err(inactive(label, &a));
    }
    if !a.account_type.is_some_and(AccountType::takes_lines) {
        return Err(Hold::Park(problems::ours(
            code::MISSING_ACCOUNT,
            format!(
                "{} cannot be sent: {line} names \"{}\", which is {} account in QuickBooks; an expense line needs an expense, cost of goods sold or other posting account.",
                capitalise(label),
                a.full_name,
                with_article(kind_of(&a))
            ),
            "Correct the line's account in your field-service app (a full name or number from QuickBooks' Chart of Accounts).",
        )));
    }
    Ok(a)
}

/// The account a paid expense was paid from: a bank account (a check) or a credit card
/// account (a card charge), active.
pub(super) fn paid_from(
    tx: &Transaction<'_>,
    label: &str,
    reference: &str,
) -> Result<(QbAccount, PaidWith), Hold> {
    let Some(a) = found(tx, reference)? else {
        return Err(missing(label, reference, "the account it was paid from"));
    };
    if !a.is_active {
        return Err(inactive(label, &a));
    }
    match a.account_type {
        Some(AccountType::Bank) => Ok((a, PaidWith::Bank)),
        Some(AccountType::CreditCard) => Ok((a, PaidWith::CreditCard)),
        _ => Err(Hold::Park(problems::ours(
            code::MISSING_ACCOUNT,
            format!(
                "{} cannot be sent: it was paid from \"{}\", which is {} account in QuickBooks, not a bank or credit card account.",
                capitalise(label),
                a.full_name,
                with_article(kind_of(&a))
            ),
            "In your field-service app, set paid_from to the bank account (for a check) or the credit card account (for a charge) it was paid from.",
        ))),
    }
}

fn with_article(kind: &str) -> String {
    let vowel = kind.starts_with(['a', 'e', 'i', 'o', 'u']);
    if kind.starts_with("an ") {
        kind.to_owned()
    } else if vowel {
        format!("an {kind}")
    } else {
        format!("a {kind}")
    }
}
