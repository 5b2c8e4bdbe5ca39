//! The typed words the store keeps: why a record waits ([`ProblemCode`]), what a history row
//! says was done and how it went ([`HistoryAction`], [`HistoryOutcome`]), and what kind of
//! QuickBooks item a mirrored item is ([`ItemType`]), what an item mapping is for
//! ([`ItemRole`]) and how a pairing was decided ([`PairingHow`]). Each has ONE text form in SQLite,
//! written by `as_str`/`to_text` and read back by `parse`; nothing else reads or writes those
//! columns' text, and nothing recovers a fact from English sentences.
//!
//! Owns the words, not the tables: `outbox`, `sessions` and `qb_mirror` store them.
//! Migration 4 converted the texts older versions wrote (see `migrations::V4`).

use super::StoreError;
use std::fmt;
use std::str::FromStr;

/// Why a record waits for a person or failed. Our own codes are kebab-case words;
/// QuickBooks' status codes are kept as their number and a refused request's HRESULT as
/// QuickBooks wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum ProblemCode {
    /// More than one QuickBooks customer could be this one: a person chooses.
    NeedsPairing,
    /// A plausible match exists and the settings say to ask before linking or creating.
    AskFirst,
    /// QuickBooks already has a customer by that name that FieldBridge did not link.
    NameInUse,
    /// The item mapping of this role is not set, missing, inactive or of the wrong type.
    NeedsMapping(ItemRole),
    /// A line names an item QuickBooks lacks or has made inactive.
    MissingItem,
    MissingPaymentMethod,
    MissingAccount,
    /// Estimates for tickets are switched off in FieldBridge's settings.
    EstimatesOff,
    /// QuickBooks' company file has estimates switched off.
    EstimatesOffInQuickBooks,
    /// Dated before the sync start date.
    BeforeStartDate,
    /// The record it belongs to (customer, job, invoice) is not in QuickBooks yet.
    WaitingOnParent,
    /// A QuickBooks field limit (length, ':' in a name).
    QuickBooksLimit,
    NameTooLong,
    DeletedInQuickBooks,
    TooManyAttempts,
    /// Written before edits were sent (issue 11); still read from older databases.
    ChangedAfterSync,
    Void,
    /// The linked QuickBooks customer or job is inactive: QuickBooks refuses new transactions
    /// for it until it is made active again.
    InactiveInQuickBooks,
    /// Changed in QuickBooks and in the app since the last sync: a person chooses whose
    /// values stay (`store::edits` keeps both).
    EditConflict,
    /// QuickBooks has payments applied to the invoice, so it refuses the change or the void.
    PaidInvoice,
    /// An expense QuickBooks has as a bill, check or card charge changed in a way QuickBooks
    /// does not take (a bill paid there, or its kind changed by paying it in the app).
    PaidExpense,
    /// A payment reversed in the app before it ever reached QuickBooks: nothing to send.
    Reversed,
    /// QuickBooks' statusCode.
    QuickBooks(i32),
    /// QuickBooks refused a whole request: its HRESULT, as sent (e.g. "0x80040400").
    Hresult(String),
}

impl ProblemCode {
    /// The codes that mean "a person decides which QuickBooks customer this is".
    pub const PAIRING: [ProblemCode; 3] = [
        ProblemCode::NeedsPairing,
        ProblemCode::AskFirst,
        ProblemCode::NameInUse,
    ];

    /// The stored text.
    pub fn to_text(&self) -> String {
        match self {
            ProblemCode::NeedsMapping(role) => format!("needs-mapping:{}", role.as_str()),
            ProblemCode::QuickBooks(n) => n.to_string(),
            ProblemCode::Hresult(h) => h.clone(),
            other => other.word().to_owned(),
        }
    }

    fn word(&self) -> &'static str {
        match self {
            ProblemCode::NeedsPairing => "needs-pairing",
            ProblemCode::AskFirst => "ask-first",
            ProblemCode::NameInUse => "name-in-use",
            ProblemCode::NeedsMapping(_) => "needs-mapping",
            ProblemCode::MissingItem => "missing-item",
            ProblemCode::MissingPaymentMethod => "missing-payment-method",
            ProblemCode::MissingAccount => "missing-account",
            ProblemCode::EstimatesOff => "estimates-off",
            ProblemCode::EstimatesOffInQuickBooks => "estimates-off-in-quickbooks",
            ProblemCode::BeforeStartDate => "before-start-date",
            ProblemCode::WaitingOnParent => "waiting-on-parent",
            ProblemCode::QuickBooksLimit => "quickbooks-limit",
            ProblemCode::NameTooLong => "name-too-long",
            ProblemCode::DeletedInQuickBooks => "deleted-in-quickbooks",
            ProblemCode::TooManyAttempts => "too-many-attempts",
            ProblemCode::ChangedAfterSync => "changed-after-sync",
            ProblemCode::Void => "void",
            ProblemCode::InactiveInQuickBooks => "inactive-in-quickbooks",
            ProblemCode::EditConflict => "edit-conflict",
            ProblemCode::PaidInvoice => "paid-invoice",
            ProblemCode::PaidExpense => "paid-expense",
            ProblemCode::Reversed => "reversed",
            ProblemCode::QuickBooks(_) => "quickbooks",
            ProblemCode::Hresult(_) => "hresult",
        }
    }

    /// Reads the stored text back.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        const WORDS: [ProblemCode; 21] = [
            ProblemCode::NeedsPairing,
            ProblemCode::AskFirst,
            ProblemCode::NameInUse,
            ProblemCode::MissingItem,
            ProblemCode::MissingPaymentMethod,
            ProblemCode::MissingAccount,
            ProblemCode::EstimatesOff,
            ProblemCode::EstimatesOffInQuickBooks,
            ProblemCode::BeforeStartDate,
            ProblemCode::WaitingOnParent,
            ProblemCode::QuickBooksLimit,
            ProblemCode::NameTooLong,
            ProblemCode::DeletedInQuickBooks,
            ProblemCode::TooManyAttempts,
            ProblemCode::ChangedAfterSync,
            ProblemCode::Void,
            ProblemCode::InactiveInQuickBooks,
            ProblemCode::EditConflict,
            ProblemCode::PaidInvoice,
            ProblemCode::PaidExpense,
            ProblemCode::Reversed,
        ];
        if let Some(code) = WORDS.iter().find(|c| c.word() == text) {
            return Ok(code.clone());
        }
        if let Some(role) = text.strip_prefix("needs-mapping:") {
            if let Some(r) = ItemRole::ALL.iter().find(|r| r.as_str() == role) {
                return Ok(ProblemCode::NeedsMapping(*r));
            }
        }
        if let Ok(n) = text.parse::<i32>() {
            return Ok(ProblemCode::QuickBooks(n));
        }
        if text.len() > 2 && text[..2].eq_ignore_ascii_case("0x") {
            return Ok(ProblemCode::Hresult(text.to_owned()));
        }
        Err(StoreError::Corrupt {
            place: "outbox.problem_code",
            value: text.to_owned(),
            expected: "a FieldBridge problem word, needs-mapping:ROLE, a QuickBooks status code or an HRESULT",
        })
    }

    /// QuickBooks' own status code, when the problem is one.
    pub fn quickbooks_status(&self) -> Option<i32> {
        match self {
            ProblemCode::QuickBooks(n) => Some(*n),
            _ => None,
        }
    }

    /// A person decides which QuickBooks customer this is.
    pub fn is_pairing(&self) -> bool {
        ProblemCode::PAIRING.contains(self)
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl rusqlite::ToSql for ProblemCode {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::from(self.to_text()))
    }
}

/// Declares a unit enum with one stored word per variant: `as_str`, `parse`, `ToSql`.
macro_rules! stored_words {
    ($(#[$meta:meta])* $name:ident, $place:literal { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(test, derive(ts_rs::TS))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            /// Reads the stored text back.
            pub fn parse(text: &str) -> Result<Self, StoreError> {
                match text {
                    $($word => Ok($name::$variant),)+
                    other => Err(StoreError::Corrupt {
                        place: $place,
                        value: other.to_owned(),
                        expected: concat!($($word, " "),+),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }
    };
}

stored_words! {
    /// What a history row says was done to the record.
    HistoryAction, "history.action" {
        Add => "add",
        Modify => "modify",
        /// A pre-flight or after-the-fact check (nothing sent for this row).
        Check => "check",
        Pair => "pair",
        /// A lost batch settled by looking the record up.
        Recover => "recover",
        /// A file imported (or refused) from the watched folder (no session, no record).
        Import => "import",
    }
}

stored_words! {
    /// How it went.
    HistoryOutcome, "history.outcome" {
        Created => "created",
        Updated => "updated",
        Linked => "linked",
        Failed => "failed",
        NeedsAttention => "needs_attention",
        /// Put back to be sent again later.
        Retry => "retry",
        Skipped => "skipped",
        Ok => "ok",
        /// The invoice was created, but QuickBooks' SalesTaxTotal differs from the app's
        /// expected tax: worth a look, not a failure.
        TaxDifference => "tax_difference",
    }
}

stored_words! {
    /// A QuickBooks item's type (qbXML `ItemXxxRet`), as the mirror keeps it.
    ItemType, "qb_items.item_type" {
        Service => "service",
        NonInventory => "non_inventory",
        OtherCharge => "other_charge",
        Inventory => "inventory",
        InventoryAssembly => "inventory_assembly",
        Group => "group",
        Discount => "discount",
        Payment => "payment",
        Subtotal => "subtotal",
        SalesTax => "sales_tax",
        SalesTaxGroup => "sales_tax_group",
        FixedAsset => "fixed_asset",
    }
}

impl ItemType {
    /// In words with its article ("an inventory", "a service").
    pub fn a_words(self) -> String {
        let w = self.words();
        let article = if w.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {w}")
    }

    /// In words, for sentences ("an inventory item").
    pub fn words(self) -> &'static str {
        match self {
            ItemType::Service => "service",
            ItemType::NonInventory => "non-inventory",
            ItemType::OtherCharge => "other charge",
            ItemType::Inventory => "inventory",
            ItemType::InventoryAssembly => "inventory assembly",
            ItemType::Group => "group",
            ItemType::Discount => "discount",
            ItemType::Payment => "payment",
            ItemType::Subtotal => "subtotal",
            ItemType::SalesTax => "sales tax",
            ItemType::SalesTaxGroup => "sales tax group",
            ItemType::FixedAsset => "fixed asset",
        }
    }
}

/// What an item mapping is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ItemRole {
    /// Lines of service invoices and tickets.
    #[serde(rename = "service-item")]
    ServiceItem,
    /// The sales tax item of service invoices.
    #[serde(rename = "service-tax-item")]
    ServiceTaxItem,
    /// Lines of project invoices.
    #[serde(rename = "project-item")]
    ProjectItem,
    /// The sales tax item of project invoices.
    #[serde(rename = "project-tax-item")]
    ProjectTaxItem,
}

impl ItemRole {
    pub const ALL: [ItemRole; 4] = [
        ItemRole::ServiceItem,
        ItemRole::ServiceTaxItem,
        ItemRole::ProjectItem,
        ItemRole::ProjectTaxItem,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemRole::ServiceItem => "service-item",
            ItemRole::ServiceTaxItem => "service-tax-item",
            ItemRole::ProjectItem => "project-item",
            ItemRole::ProjectTaxItem => "project-tax-item",
        }
    }

    /// A sales tax item role (the others carry the lines).
    pub fn is_tax(self) -> bool {
        matches!(self, ItemRole::ServiceTaxItem | ItemRole::ProjectTaxItem)
    }

    /// THE rule of which QuickBooks item types fit this role, read by the Items page and the
    /// sync's pre-flight alike. Lines (qbXML 13.0 InvoiceLineAdd / EstimateLineAdd ItemRef)
    /// can carry service, non-inventory, other charge and inventory items; the invoice's
    /// ItemSalesTaxRef must be a sales tax item or group.
    pub fn accepts(self, item_type: ItemType) -> bool {
        use ItemType::*;
        if self.is_tax() {
            matches!(item_type, SalesTax | SalesTaxGroup)
        } else {
            matches!(item_type, Service | NonInventory | OtherCharge | Inventory)
        }
    }

    /// What the role accepts, in words ("a service, non-inventory, other charge or
    /// inventory item").
    pub fn accepted_words(self) -> &'static str {
        if self.is_tax() {
            "a sales tax item or sales tax group"
        } else {
            "a service, non-inventory, other charge or inventory item"
        }
    }
}

impl fmt::Display for ItemRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not one of the four roles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not an item role (expected service-item, service-tax-item, project-item or project-tax-item)")]
pub struct UnknownRole(pub String);

impl FromStr for ItemRole {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ItemRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// How a pairing was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairingHow {
    /// FieldBridge found one obvious match.
    Auto,
    /// A person chose the QuickBooks customer.
    Manual,
    /// A person asked FieldBridge to create it (no ListID yet).
    Create,
    /// FieldBridge created it in QuickBooks.
    Created,
}

impl PairingHow {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            PairingHow::Auto => "auto",
            PairingHow::Manual => "manual",
            PairingHow::Create => "create",
            PairingHow::Created => "created",
        }
    }

    /// Reads the stored text back.
    pub fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "auto" => PairingHow::Auto,
            "manual" => PairingHow::Manual,
            "create" => PairingHow::Create,
            "created" => PairingHow::Created,
            other => {
                return Err(StoreError::Corrupt {
                    place: "pairings.how",
                    value: other.to_owned(),
                    expected: "auto, manual, create or created",
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_code_reads_back_as_itself() {
        let mut all = vec![
            ProblemCode::QuickBooks(3100),
            ProblemCode::Hresult("0x80040400".into()),
            ProblemCode::MissingItem,
            ProblemCode::Void,
            ProblemCode::InactiveInQuickBooks,
            ProblemCode::PaidExpense,
        ];
        all.extend(ItemRole::ALL.iter().map(|r| ProblemCode::NeedsMapping(*r)));
        all.extend(ProblemCode::PAIRING);
        for code in all {
            assert_eq!(ProblemCode::parse(&code.to_text()).unwrap(), code, "{code}");
        }
        assert_eq!(
            ProblemCode::NeedsMapping(ItemRole::ProjectTaxItem).to_text(),
            "needs-mapping:project-tax-item",
            "the role is part of the stored code, so nothing reads it from the advice"
        );
        assert!(
            ProblemCode::parse("Choose the project item").is_err(),
            "English is not a code"
        );
    }

    #[test]
    fn stored_words_are_stable() {
        for t in ItemType::ALL {
            assert_eq!(ItemType::parse(t.as_str()).unwrap(), *t);
        }
        assert_eq!(ItemType::NonInventory.as_str(), "non_inventory");
        assert_eq!(HistoryOutcome::TaxDifference.as_str(), "tax_difference");
        assert_eq!(ProblemCode::PaidExpense.to_text(), "paid-expense");
        assert_eq!(
            serde_json::to_value(ItemType::SalesTaxGroup).unwrap(),
            "sales_tax_group",
            "the window's word is the stored word"
        );
        assert!(
            ItemType::parse("NonInventory").is_err(),
            "Debug text is not stored any more"
        );
    }
}
