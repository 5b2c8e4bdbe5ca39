//! QuickBooks accounts as FieldBridge last read them (AccountQuery): full name, type, special
//! type and account number, and THE lookup "an account by full name or account number" that
//! expenses (and the summarized journal entries) use.
//!
//! Owns the SQL of `qb_accounts`. Owns no decision about which account a record may use:
//! `sync::push::preflight` says a bank account is needed for a check, and so on.

use super::{now_utc, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// qbXML 13.0 `AccountType` (qbxml130.xsd, the element's enumeration): the kinds an account
/// can be. Kept in SQLite as QuickBooks' own word (`as_str`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum AccountType {
    AccountsPayable,
    AccountsReceivable,
    Bank,
    CostOfGoodsSold,
    CreditCard,
    Equity,
    Expense,
    FixedAsset,
    Income,
    LongTermLiability,
    NonPosting,
    OtherAsset,
    OtherCurrentAsset,
    OtherCurrentLiability,
    OtherExpense,
    OtherIncome,
}

impl AccountType {
    pub const ALL: [AccountType; 16] = [
        AccountType::AccountsPayable,
        AccountType::AccountsReceivable,
        AccountType::Bank,
        AccountType::CostOfGoodsSold,
        AccountType::CreditCard,
        AccountType::Equity,
        AccountType::Expense,
        AccountType::FixedAsset,
        AccountType::Income,
        AccountType::LongTermLiability,
        AccountType::NonPosting,
        AccountType::OtherAsset,
        AccountType::OtherCurrentAsset,
        AccountType::OtherCurrentLiability,
        AccountType::OtherExpense,
        AccountType::OtherIncome,
    ];

    /// QuickBooks' word (`AccountType` in qbXML, and the stored text).
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::AccountsPayable => "AccountsPayable",
            AccountType::AccountsReceivable => "AccountsReceivable",
            AccountType::Bank => "Bank",
            AccountType::CostOfGoodsSold => "CostOfGoodsSold",
            AccountType::CreditCard => "CreditCard",
            AccountType::Equity => "Equity",
            AccountType::Expense => "Expense",
            AccountType::FixedAsset => "FixedAsset",
            AccountType::Income => "Income",
            AccountType::LongTermLiability => "LongTermLiability",
            AccountType::NonPosting => "NonPosting",
            AccountType::OtherAsset => "OtherAsset",
            AccountType::OtherCurrentAsset => "OtherCurrentAsset",
            AccountType::OtherCurrentLiability => "OtherCurrentLiability",
            AccountType::OtherExpense => "OtherExpense",
            AccountType::OtherIncome => "OtherIncome",
        }
    }

    /// The type QuickBooks wrote, or None for a word qbXML 13.0 does not define.
    pub fn parse(word: &str) -> Option<AccountType> {
        AccountType::ALL.into_iter().find(|t| t.as_str() == word)
    }

    /// How a person reads it ("credit card", "accounts payable").
    pub fn plain(self) -> &'static str {
        match self {
            AccountType::AccountsPayable => "accounts payable",
            AccountType::AccountsReceivable => "accounts receivable",
            AccountType::Bank => "bank",
            AccountType::CostOfGoodsSold => "cost of goods sold",
            AccountType::CreditCard => "credit card",
            AccountType::Equity => "equity",
            AccountType::Expense => "expense",
            AccountType::FixedAsset => "fixed asset",
            AccountType::Income => "income",
            AccountType::LongTermLiability => "long-term liability",
            AccountType::NonPosting => "non-posting",
            AccountType::OtherAsset => "other asset",
            AccountType::OtherCurrentAsset => "other current asset",
            AccountType::OtherCurrentLiability => "other current liability",
            AccountType::OtherExpense => "other expense",
            AccountType::OtherIncome => "other income",
        }
    }

    /// Whether a transaction line may post to it. QuickBooks refuses lines on non-posting
    /// accounts (estimates, purchase orders) and keeps Accounts Payable/Receivable for the
    /// transactions that own them.
    pub fn takes_lines(self) -> bool {
        !matches!(
            self,
            AccountType::NonPosting
                | AccountType::AccountsPayable
                | AccountType::AccountsReceivable
        )
    }
}

/// One QuickBooks account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QbAccount {
    pub list_id: String,
    /// `Parent:Child` for subaccounts.
    pub full_name: String,
    /// None when QuickBooks wrote a type qbXML 13.0 does not define (kept as text in SQLite).
    pub account_type: Option<AccountType>,
    /// e.g. `UndepositedFunds`, `AccountsPayable`.
    pub special_account_type: Option<String>,
    /// The account number, when the company numbers its accounts (at most 7 characters).
    pub account_number: Option<String>,
    pub is_active: bool,
}

/// Writes (or rewrites) one account as QuickBooks answered it. `account_type` is QuickBooks'
/// word as written, so a type this version does not know is kept, not lost.
pub fn upsert(
    tx: &Transaction<'_>,
    a: &QbAccount,
    account_type_word: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO qb_accounts (list_id, full_name, account_type, special_account_type,
                                  account_number, is_active, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (list_id) DO UPDATE SET full_name = excluded.full_name,
             account_type = excluded.account_type,
             special_account_type = excluded.special_account_type,
             account_number = excluded.account_number, is_active = excluded.is_active,
             seen_at = excluded.seen_at",
    )?
    .execute(params![
        a.list_id,
        a.full_name,
        account_type_word,
        a.special_account_type,
        a.account_number,
        a.is_active,
        now_utc()
    ])?;
    Ok(())
}

const COLUMNS: &str =
    "list_id, full_name, account_type, special_account_type, account_number, is_active";

fn account_of(r: &Row<'_>) -> rusqlite::Result<QbAccount> {
    let word: String = r.get(2)?;
    Ok(QbAccount {
        list_id: r.get(0)?,
        full_name: r.get(1)?,
        account_type: AccountType::parse(&word),
        special_account_type: r.get(3)?,
        account_number: r.get(4)?,
        is_active: r.get(5)?,
    })
}

/// The account a record names, by full name (QuickBooks compares names without regard to
/// case) or else by account number (exact). A full name wins over a number: an account
/// named "6000" is that account even if another is numbered 6000. Inactive accounts are
/// found too (the caller says they cannot be used).
pub fn by_name_or_number(
    conn: &Connection,
    reference: &str,
) -> Result<Option<QbAccount>, StoreError> {
    let reference = reference.trim();
    if reference.is_empty() {
        return Ok(None);
    }
    let by_name = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM qb_accounts WHERE full_name = ?1 COLLATE NOCASE
             ORDER BY is_active DESC LIMIT 1"
        ))?
        .query_row([reference], account_of)
        .optional()?;
    if by_name.is_some() {
        return Ok(by_name);
    }
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM qb_accounts WHERE account_number = ?1
             ORDER BY is_active DESC LIMIT 1"
        ))?
        .query_row([reference], account_of)
        .optional()?)
}

/// Every account FieldBridge has read (active first, then by full name), for the Items and
/// settings page and `export`.
pub fn all(conn: &Connection) -> Result<Vec<QbAccount>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM qb_accounts ORDER BY is_active DESC, full_name COLLATE NOCASE"
    ))?;
    let rows = stmt
        .query_map([], account_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Whether any account was read yet (a lookup that finds nothing before the first read is
/// "not read yet", not "missing").
pub fn any(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM qb_accounts)")?
        .query_row([], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn account(id: &str, name: &str, t: AccountType, number: Option<&str>) -> QbAccount {
        QbAccount {
            list_id: id.into(),
            full_name: name.into(),
            account_type: Some(t),
            special_account_type: None,
            account_number: number.map(str::to_owned),
            is_active: true,
        }
    }

    fn store_with(accounts: &[QbAccount]) -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                for a in accounts {
                    let word = a.account_type.map(AccountType::as_str).unwrap_or("");
                    upsert(tx, a, word)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
    }

    #[test]
    fn an_account_is_found_by_full_name_without_regard_to_case_or_by_its_number() {
        let store = store_with(&[
            account(
                "A-1",
                "Job Materials",
                AccountType::CostOfGoodsSold,
                Some("5010"),
            ),
            account("A-2", "Checking", AccountType::Bank, Some("1000")),
            account("A-3", "Utilities:Gas", AccountType::Expense, None),
        ]);
        let find = |r: &str| {
            store
                .read(|c| by_name_or_number(c, r))
                .unwrap()
                .map(|a| a.list_id)
        };
        assert_eq!(
            find("job materials").as_deref(),
            Some("A-1"),
            "names ignore case"
        );
        assert_eq!(
            find("1000").as_deref(),
            Some("A-2"),
            "a number finds its account"
        );
        assert_eq!(
            find(" Utilities:Gas ").as_deref(),
            Some("A-3"),
            "subaccounts by full name"
        );
        assert_eq!(
            find("Gas"),
            None,
            "a subaccount's short name is not its full name"
        );
        assert_eq!(find("9999"), None);
        assert_eq!(find(""), None);
    }

    #[test]
    fn a_full_name_wins_over_another_accounts_number() {
        let store = store_with(&[
            account("A-1", "6000", AccountType::Expense, None),
            account("A-2", "Rent", AccountType::Expense, Some("6000")),
        ]);
        let found = store.read(|c| by_name_or_number(c, "6000")).unwrap();
        assert_eq!(found.map(|a| a.list_id).as_deref(), Some("A-1"));
    }

    #[test]
    fn type_number_and_special_type_are_kept_and_a_new_type_word_is_not_lost() {
        let mut card = account("A-9", "Visa Card", AccountType::CreditCard, Some("2100"));
        card.special_account_type = Some("None".into());
        let store = store_with(&[card.clone()]);
        store
            .write(|tx| {
                let odd = account("A-10", "Odd", AccountType::Bank, None);
                upsert(tx, &odd, "SomethingNew")
            })
            .unwrap();
        let all = store.read(all).unwrap();
        assert_eq!(all.iter().find(|a| a.list_id == "A-9"), Some(&card));
        let odd = all.iter().find(|a| a.list_id == "A-10").unwrap();
        assert_eq!(
            odd.account_type, None,
            "an unknown word reads as no known type"
        );
        let word: String = store
            .read(|c| {
                Ok::<_, StoreError>(c.query_row(
                    "SELECT account_type FROM qb_accounts WHERE list_id = 'A-10'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(word, "SomethingNew", "QuickBooks' word is kept as written");
    }

    #[test]
    fn every_account_type_word_reads_back() {
        for t in AccountType::ALL {
            assert_eq!(AccountType::parse(t.as_str()), Some(t));
        }
    }
}
