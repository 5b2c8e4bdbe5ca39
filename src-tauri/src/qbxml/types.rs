//! Value types shared by several requests and responses: references to list elements,
//! addresses, query selections and iterators, and the GUID text form. Owns no XML writing
//! or parsing.

use chrono::{DateTime, FixedOffset, NaiveDate};
use uuid::Uuid;

/// A reference to a QuickBooks list element (customer, item, account, ...). qbXML lets a
/// ref carry a ListID or a FullName; QuickBooks uses the ListID when both are given, so we
/// send exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListRef {
    /// QuickBooks' permanent id (survives renames). Prefer it once known.
    ListId(String),
    /// The full name, parents joined by ':' ("Acme Plumbing:Job 1001").
    FullName(String),
}

impl ListRef {
    pub fn list_id(id: impl Into<String>) -> Self {
        ListRef::ListId(id.into())
    }
    pub fn full_name(name: impl Into<String>) -> Self {
        ListRef::FullName(name.into())
    }
}

/// An empty ListID: lets request structs derive `Default`; building a request whose
/// required ref is still empty fails with `BuildError::Empty`.
impl Default for ListRef {
    fn default() -> Self {
        ListRef::ListId(String::new())
    }
}

/// A ref as QuickBooks returns it in a `*Ret`: either part may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetRef {
    pub list_id: Option<String>,
    pub full_name: Option<String>,
}

/// qbXML `AddressData` (BillAddress, ShipAddress). Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    pub addr1: Option<String>,
    pub addr2: Option<String>,
    pub addr3: Option<String>,
    pub addr4: Option<String>,
    pub addr5: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub note: Option<String>,
}

/// How QuickBooks goes on after a request in a message set fails.
///
/// qbXML 13.0 lists `rollbackOnError` too, but Intuit's reference says QuickBooks Desktop
/// refuses it ("rollbackOnError is not valid and will produce an error"), so it is not offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Stop at the first failed request; the ones before it stay done.
    StopOnError,
    /// Process every request; each answer carries its own status.
    #[default]
    ContinueOnError,
}

impl OnError {
    pub fn as_str(self) -> &'static str {
        match self {
            OnError::StopOnError => "stopOnError",
            OnError::ContinueOnError => "continueOnError",
        }
    }
}

/// `OwnerID` on a query: `0` returns QuickBooks' own custom fields, a GUID returns that
/// application's private data extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerId {
    Zero,
    Guid(Uuid),
}

/// Where a query is in an iteration. qbXML 13.0: `iterator="Start|Continue|Stop"`, with the
/// `iteratorID` QuickBooks returned for Continue and Stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryIterator {
    Start,
    Continue { iterator_id: String },
    Stop { iterator_id: String },
}

/// `ActiveStatus` on list queries. QuickBooks' default is ActiveOnly: ask for `All` to see
/// archived records too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveStatus {
    ActiveOnly,
    InactiveOnly,
    All,
}

impl ActiveStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActiveStatus::ActiveOnly => "ActiveOnly",
            ActiveStatus::InactiveOnly => "InactiveOnly",
            ActiveStatus::All => "All",
        }
    }
}

/// `MatchCriterion` of a NameFilter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchCriterion {
    StartsWith,
    Contains,
    EndsWith,
}

impl MatchCriterion {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchCriterion::StartsWith => "StartsWith",
            MatchCriterion::Contains => "Contains",
            MatchCriterion::EndsWith => "EndsWith",
        }
    }
}

/// `NameFilter` on list queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFilter {
    pub criterion: MatchCriterion,
    pub name: String,
}

/// qbXML `ListFilter`: the filters a list query takes when it does not name elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub max_returned: Option<u32>,
    pub active_status: Option<ActiveStatus>,
    /// Elements modified at or after this instant. Written with its offset
    /// (`2026-10-01T12:00:00-05:00`). QuickBooks' offsets can be wrong around daylight-saving
    /// changes: overlap windows and de-duplicate.
    pub from_modified: Option<DateTime<FixedOffset>>,
    pub to_modified: Option<DateTime<FixedOffset>>,
    pub name_filter: Option<NameFilter>,
}

/// Which list elements a query asks for. The schema makes these alternatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListSelection {
    /// These ListIDs (at least one).
    ListIds(Vec<String>),
    /// These full names (at least one).
    FullNames(Vec<String>),
    /// Everything matching the filter (`ListFilter::default()` = everything active).
    Filter(ListFilter),
}

impl Default for ListSelection {
    fn default() -> Self {
        ListSelection::Filter(ListFilter::default())
    }
}

/// The date window of a transaction query (qbXML: ModifiedDateRangeFilter or
/// TxnDateRangeFilter; the schema allows one of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnDateRange {
    Modified {
        from: Option<DateTime<FixedOffset>>,
        to: Option<DateTime<FixedOffset>>,
    },
    TxnDate {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
}

/// qbXML `TxnFilter`: the filters a transaction query takes when it does not name
/// transactions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxnFilter {
    pub max_returned: Option<u32>,
    pub date_range: Option<TxnDateRange>,
    /// `EntityFilter/ListID`: only transactions of these customers (or jobs).
    pub entity_list_ids: Vec<String>,
}

/// Which transactions a query asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnSelection {
    /// These TxnIDs (at least one).
    TxnIds(Vec<String>),
    /// These RefNumbers (at least one; QuickBooks matches case-insensitively).
    RefNumbers(Vec<String>),
    Filter(TxnFilter),
}

impl Default for TxnSelection {
    fn default() -> Self {
        TxnSelection::Filter(TxnFilter::default())
    }
}

/// `PaidStatus` on InvoiceQuery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidStatus {
    All,
    PaidOnly,
    NotPaidOnly,
}

impl PaidStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaidStatus::All => "All",
            PaidStatus::PaidOnly => "PaidOnly",
            PaidStatus::NotPaidOnly => "NotPaidOnly",
        }
    }
}

/// Writes a GUID the way qbXML's GUIDTYPE wants it: `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`.
pub fn format_guid(guid: Uuid) -> String {
    format!("{{{}}}", guid.hyphenated().to_string().to_uppercase())
}

/// Reads a GUIDTYPE (`{...}`, any case) back into a Uuid; `None` for `0` or anything else.
pub fn parse_guid(text: &str) -> Option<Uuid> {
    let inner = text.strip_prefix('{')?.strip_suffix('}')?;
    Uuid::try_parse(inner).ok()
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// The qbXML spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }
            /// Reads the qbXML spelling.
            pub fn from_qbxml(text: &str) -> Option<Self> {
                match text { $(stringify!($variant) => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

string_enum! {
    /// qbXML 13.0 `ListDelType`: which kind of list element was deleted.
    ListDelType {
        Account, BillingRate, Class, Currency, Customer, CustomerMsg, CustomerType,
        DateDrivenTerms, Employee, InventorySite, ItemDiscount, ItemFixedAsset, ItemGroup,
        ItemInventory, ItemInventoryAssembly, ItemNonInventory, ItemOtherCharge, ItemPayment,
        ItemSalesTax, ItemSalesTaxGroup, ItemService, ItemSubtotal, JobType, OtherName,
        PaymentMethod, PayrollItemNonWage, PayrollItemWage, PriceLevel, SalesRep, SalesTaxCode,
        ShipMethod, StandardTerms, ToDo, UnitOfMeasureSet, Vehicle, Vendor, VendorType,
        WorkersCompCode,
    }
}

string_enum! {
    /// qbXML 13.0 `TxnDelType`: which kind of transaction was deleted.
    TxnDelType {
        ARRefundCreditCard, Bill, BillPaymentCheck, BillPaymentCreditCard, BuildAssembly,
        Charge, Check, CreditCardCharge, CreditCardCredit, CreditMemo, Deposit, Estimate,
        InventoryAdjustment, Invoice, ItemReceipt, JournalEntry, PurchaseOrder, ReceivePayment,
        SalesOrder, SalesReceipt, SalesTaxPaymentCheck, TimeTracking, TransferInventory,
        VehicleMileage, VendorCredit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_written_in_braces_upper_case_and_read_back() {
        let g = Uuid::parse_str("6b063959-81b0-4622-85d6-f548c8ccb517").unwrap();
        assert_eq!(format_guid(g), "{6B063959-81B0-4622-85D6-F548C8CCB517}");
        assert_eq!(
            parse_guid(&format_guid(g)),
            Some(g),
            "a written GUID must read back"
        );
        assert_eq!(parse_guid("0"), None, "OwnerID 0 is not a GUID");
    }

    #[test]
    fn delete_types_round_trip_their_qbxml_spelling() {
        assert_eq!(
            ListDelType::from_qbxml("ItemService"),
            Some(ListDelType::ItemService)
        );
        assert_eq!(TxnDelType::ReceivePayment.as_str(), "ReceivePayment");
        assert_eq!(
            TxnDelType::from_qbxml("Nope"),
            None,
            "unknown spellings are not guessed"
        );
    }
}
