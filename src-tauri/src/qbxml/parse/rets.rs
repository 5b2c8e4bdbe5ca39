//! The typed records QuickBooks returns (`*Ret`), and their streaming parsers. Each parser
//! reads the fields FieldBridge uses and skips everything else, so answers from newer
//! QuickBooks versions with extra elements still parse.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::cursor::Cursor;
use super::values as v;
use crate::qbxml::error::ParseError;
use crate::qbxml::types::{Address, ListDelType, RetRef, TxnDelType};

/// `DataExtRet`: a custom field, returned when the query carried an `OwnerID`
/// (`0` = QuickBooks' own custom fields, a GUID = that application's private fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataExtRet {
    /// `None` for QuickBooks' public custom fields.
    pub owner_id: Option<String>,
    pub name: String,
    /// e.g. `STR255TYPE`, `AMTTYPE`.
    pub data_ext_type: Option<String>,
    pub value: String,
}

/// `CustomerRet` (customers and jobs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerRet {
    pub list_id: String,
    pub time_created: Option<DateTime<FixedOffset>>,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub name: Option<String>,
    /// `Parent:Job` for jobs.
    pub full_name: Option<String>,
    pub is_active: Option<bool>,
    pub parent: Option<RetRef>,
    /// 0 for a customer, 1 for its job, ...
    pub sublevel: Option<u32>,
    pub company_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub bill_address: Option<Address>,
    pub ship_address: Option<Address>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub alt_phone: Option<String>,
    pub email: Option<String>,
    pub contact: Option<String>,
    pub balance: Option<Decimal>,
    pub total_balance: Option<Decimal>,
    pub sales_tax_code: Option<RetRef>,
    pub item_sales_tax: Option<RetRef>,
    pub account_number: Option<String>,
    pub job_desc: Option<String>,
    pub notes: Option<String>,
    pub external_guid: Option<Uuid>,
    /// Custom fields (only when the query asked with an OwnerID).
    pub data_ext: Vec<DataExtRet>,
}

/// Which kind of item an [`ItemRet`] came from (its `Item*Ret` element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemType {
    Service,
    NonInventory,
    OtherCharge,
    Inventory,
    InventoryAssembly,
    FixedAsset,
    Subtotal,
    Discount,
    Payment,
    SalesTax,
    SalesTaxGroup,
    Group,
}

impl ItemType {
    /// The item type of a `Item*Ret` element name.
    pub fn from_ret_element(name: &str) -> Option<Self> {
        Some(match name {
            "ItemServiceRet" => ItemType::Service,
            "ItemNonInventoryRet" => ItemType::NonInventory,
            "ItemOtherChargeRet" => ItemType::OtherCharge,
            "ItemInventoryRet" => ItemType::Inventory,
            "ItemInventoryAssemblyRet" => ItemType::InventoryAssembly,
            "ItemFixedAssetRet" => ItemType::FixedAsset,
            "ItemSubtotalRet" => ItemType::Subtotal,
            "ItemDiscountRet" => ItemType::Discount,
            "ItemPaymentRet" => ItemType::Payment,
            "ItemSalesTaxRet" => ItemType::SalesTax,
            "ItemSalesTaxGroupRet" => ItemType::SalesTaxGroup,
            "ItemGroupRet" => ItemType::Group,
            _ => return None,
        })
    }
}

/// Every item type normalised into one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRet {
    pub item_type: ItemType,
    pub list_id: String,
    pub time_created: Option<DateTime<FixedOffset>>,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub name: String,
    /// `FullName`; item types without one (sales tax, group, ...) repeat `name`.
    pub full_name: String,
    pub is_active: Option<bool>,
    pub parent: Option<RetRef>,
    pub sales_tax_code: Option<RetRef>,
    /// Sales description (`Desc`, `SalesDesc` or `ItemDesc`, whichever the type has).
    pub description: Option<String>,
    /// Sales price (`Price` or `SalesPrice`).
    pub price: Option<Decimal>,
    /// Income account (`AccountRef` or `IncomeAccountRef`).
    pub account: Option<RetRef>,
    /// `TaxRate` (percent) of a sales tax item.
    pub tax_rate: Option<Decimal>,
    /// The sales tax items of a sales tax group.
    pub group_members: Vec<RetRef>,
    pub external_guid: Option<Uuid>,
    /// Custom fields (only when the query asked with an OwnerID).
    pub data_ext: Vec<DataExtRet>,
}

/// `AccountRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountRet {
    pub list_id: String,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub name: Option<String>,
    pub full_name: Option<String>,
    pub is_active: Option<bool>,
    pub parent: Option<RetRef>,
    /// e.g. `Bank`, `AccountsReceivable`, `OtherCurrentAsset`, `Income`.
    pub account_type: Option<String>,
    /// e.g. `UndepositedFunds`, `AccountsReceivable`.
    pub special_account_type: Option<String>,
    pub account_number: Option<String>,
    pub balance: Option<Decimal>,
}

/// `PaymentMethodRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentMethodRet {
    pub list_id: String,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub name: Option<String>,
    pub is_active: Option<bool>,
    /// e.g. `Cash`, `Check`, `Visa`.
    pub payment_method_type: Option<String>,
}

/// `SalesTaxCodeRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesTaxCodeRet {
    pub list_id: String,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    /// `Tax`, `Non`, ...
    pub name: Option<String>,
    pub is_active: Option<bool>,
    pub is_taxable: Option<bool>,
    pub desc: Option<String>,
    pub item_sales_tax: Option<RetRef>,
}

/// One line of an invoice or estimate (`InvoiceLineRet` / `EstimateLineRet`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesLineRet {
    pub txn_line_id: Option<String>,
    pub item: Option<RetRef>,
    pub desc: Option<String>,
    pub quantity: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub amount: Option<Decimal>,
    pub service_date: Option<NaiveDate>,
    pub sales_tax_code: Option<RetRef>,
    /// The line came from inside a group item (`InvoiceLineGroupRet`).
    pub from_group: bool,
}

/// `InvoiceRet` and `EstimateRet` (one shape; fields one kind lacks stay `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesTxnRet {
    pub txn_id: String,
    pub time_created: Option<DateTime<FixedOffset>>,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub txn_number: Option<u32>,
    pub customer: Option<RetRef>,
    pub ar_account: Option<RetRef>,
    pub txn_date: Option<NaiveDate>,
    pub ref_number: Option<String>,
    pub bill_address: Option<Address>,
    pub ship_address: Option<Address>,
    pub due_date: Option<NaiveDate>,
    pub subtotal: Option<Decimal>,
    pub item_sales_tax: Option<RetRef>,
    pub sales_tax_percentage: Option<Decimal>,
    /// What QuickBooks computed; compare it with what the app expected.
    pub sales_tax_total: Option<Decimal>,
    /// Estimates only.
    pub total_amount: Option<Decimal>,
    /// Invoices only: payments and credits applied (QuickBooks sends it negative).
    pub applied_amount: Option<Decimal>,
    /// Invoices only.
    pub balance_remaining: Option<Decimal>,
    pub memo: Option<String>,
    /// Invoices only.
    pub is_paid: Option<bool>,
    /// Estimates only.
    pub is_active: Option<bool>,
    pub customer_sales_tax_code: Option<RetRef>,
    pub external_guid: Option<Uuid>,
    /// Only when the query asked for line items (adds always return them).
    pub lines: Vec<SalesLineRet>,
    /// Custom fields (only when the query asked with an OwnerID).
    pub data_ext: Vec<DataExtRet>,
}

pub type InvoiceRet = SalesTxnRet;
pub type EstimateRet = SalesTxnRet;

/// `AppliedToTxnRet`: part of a payment applied to one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppliedToTxnRet {
    pub txn_id: String,
    /// e.g. `Invoice`.
    pub txn_type: Option<String>,
    pub txn_date: Option<NaiveDate>,
    pub ref_number: Option<String>,
    pub balance_remaining: Option<Decimal>,
    /// The amount of this payment applied to that transaction (qbXML `Amount`).
    pub amount: Option<Decimal>,
    pub discount_amount: Option<Decimal>,
}

/// `ReceivePaymentRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceivePaymentRet {
    pub txn_id: String,
    pub time_created: Option<DateTime<FixedOffset>>,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub txn_number: Option<u32>,
    pub customer: Option<RetRef>,
    pub ar_account: Option<RetRef>,
    pub txn_date: Option<NaiveDate>,
    pub ref_number: Option<String>,
    pub total_amount: Option<Decimal>,
    pub payment_method: Option<RetRef>,
    pub memo: Option<String>,
    pub deposit_to_account: Option<RetRef>,
    pub unused_payment: Option<Decimal>,
    pub unused_credits: Option<Decimal>,
    pub external_guid: Option<Uuid>,
    pub applied_to: Vec<AppliedToTxnRet>,
    /// Custom fields (only when the query asked with an OwnerID).
    pub data_ext: Vec<DataExtRet>,
}

/// `ListDeletedRet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDeletedRet {
    pub list_del_type: ListDelType,
    pub list_id: String,
    pub time_created: Option<DateTime<FixedOffset>>,
    pub time_deleted: Option<DateTime<FixedOffset>>,
    pub full_name: Option<String>,
}

/// `TxnDeletedRet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnDeletedRet {
    pub txn_del_type: TxnDelType,
    pub txn_id: String,
    pub time_created: Option<DateTime<FixedOffset>>,
    pub time_deleted: Option<DateTime<FixedOffset>>,
    pub ref_number: Option<String>,
}

pub(crate) fn data_ext(c: &mut Cursor<'_>) -> Result<DataExtRet, ParseError> {
    let mut d = DataExtRet::default();
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "OwnerID" => d.owner_id = v::opt_text(c)?,
            "DataExtName" => d.name = v::text(c)?,
            "DataExtType" => d.data_ext_type = v::opt_text(c)?,
            "DataExtValue" => d.value = v::text(c)?,
            _ => c.skip()?,
        }
    }
    Ok(d)
}

/// An identifying element QuickBooks always sends in a full Ret (ListID, TxnID, EditSequence).
fn required(
    value: Option<String>,
    c: &Cursor<'_>,
    ret: &str,
    expected: &'static str,
) -> Result<String, ParseError> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(ParseError::MissingElement {
            context: format!("{}/{ret}", c.path()),
            expected,
            found: "nothing".into(),
        }),
    }
}

pub(crate) fn customer(c: &mut Cursor<'_>) -> Result<CustomerRet, ParseError> {
    let mut r = CustomerRet::default();
    let (mut list_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ListID" => list_id = Some(v::text(c)?),
            "TimeCreated" => r.time_created = v::datetime(c)?,
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "Name" => r.name = v::opt_text(c)?,
            "FullName" => r.full_name = v::opt_text(c)?,
            "IsActive" => r.is_active = v::bool(c)?,
            "ParentRef" => r.parent = v::ret_ref(c)?,
            "Sublevel" => r.sublevel = v::u32_value(c)?,
            "CompanyName" => r.company_name = v::opt_text(c)?,
            "FirstName" => r.first_name = v::opt_text(c)?,
            "LastName" => r.last_name = v::opt_text(c)?,
            "BillAddress" => r.bill_address = v::address(c)?,
            "ShipAddress" => r.ship_address = v::address(c)?,
            "Phone" => r.phone = v::opt_text(c)?,
            "Mobile" => r.mobile = v::opt_text(c)?,
            "AltPhone" => r.alt_phone = v::opt_text(c)?,
            "Email" => r.email = v::opt_text(c)?,
            "Contact" => r.contact = v::opt_text(c)?,
            "Balance" => r.balance = v::number(c)?,
            "TotalBalance" => r.total_balance = v::number(c)?,
            "SalesTaxCodeRef" => r.sales_tax_code = v::ret_ref(c)?,
            "ItemSalesTaxRef" => r.item_sales_tax = v::ret_ref(c)?,
            "AccountNumber" => r.account_number = v::opt_text(c)?,
            "JobDesc" => r.job_desc = v::opt_text(c)?,
            "Notes" => r.notes = v::opt_text(c)?,
            "ExternalGUID" => r.external_guid = v::guid(c)?,
            "DataExtRet" => r.data_ext.push(data_ext(c)?),
            _ => c.skip()?,
        }
    }
    r.list_id = required(list_id, c, "CustomerRet", "ListID")?;
    r.edit_sequence = required(edit_sequence, c, "CustomerRet", "EditSequence")?;
    Ok(r)
}

/// `SalesOrPurchase` / `SalesAndPurchase` inside service, non-inventory and other-charge items.
fn item_sales_info(c: &mut Cursor<'_>, r: &mut ItemRet) -> Result<(), ParseError> {
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "Desc" | "SalesDesc" => r.description = v::opt_text(c)?,
            "Price" | "SalesPrice" => r.price = v::number(c)?,
            "AccountRef" | "IncomeAccountRef" => r.account = v::ret_ref(c)?,
            _ => c.skip()?,
        }
    }
    Ok(())
}

pub(crate) fn item(c: &mut Cursor<'_>, item_type: ItemType) -> Result<ItemRet, ParseError> {
    let mut r = ItemRet {
        item_type,
        list_id: String::new(),
        time_created: None,
        time_modified: None,
        edit_sequence: String::new(),
        name: String::new(),
        full_name: String::new(),
        is_active: None,
        parent: None,
        sales_tax_code: None,
        description: None,
        price: None,
        account: None,
        tax_rate: None,
        group_members: Vec::new(),
        external_guid: None,
        data_ext: Vec::new(),
    };
    let (mut list_id, mut edit_sequence, mut name, mut full_name) = (None, None, None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ListID" => list_id = Some(v::text(c)?),
            "TimeCreated" => r.time_created = v::datetime(c)?,
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "Name" => name = Some(v::text(c)?),
            "FullName" => full_name = Some(v::text(c)?),
            "IsActive" => r.is_active = v::bool(c)?,
            "ParentRef" => r.parent = v::ret_ref(c)?,
            "SalesTaxCodeRef" => r.sales_tax_code = v::ret_ref(c)?,
            "SalesOrPurchase" | "SalesAndPurchase" => item_sales_info(c, &mut r)?,
            "SalesDesc" | "ItemDesc" => r.description = v::opt_text(c)?,
            "SalesPrice" => r.price = v::number(c)?,
            "IncomeAccountRef" | "AccountRef" => r.account = v::ret_ref(c)?,
            "TaxRate" => r.tax_rate = v::number(c)?,
            "ItemSalesTaxRef" => {
                if let Some(m) = v::ret_ref(c)? {
                    r.group_members.push(m);
                }
            }
            "ExternalGUID" => r.external_guid = v::guid(c)?,
            "DataExtRet" => r.data_ext.push(data_ext(c)?),
            _ => c.skip()?,
        }
    }
    r.list_id = required(list_id, c, "Item*Ret", "ListID")?;
    r.edit_sequence = required(edit_sequence, c, "Item*Ret", "EditSequence")?;
    r.name = name.unwrap_or_default();
    r.full_name = full_name.unwrap_or_else(|| r.name.clone());
    Ok(r)
}

pub(crate) fn account(c: &mut Cursor<'_>) -> Result<AccountRet, ParseError> {
    let mut r = AccountRet::default();
    let (mut list_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ListID" => list_id = Some(v::text(c)?),
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "Name" => r.name = v::opt_text(c)?,
            "FullName" => r.full_name = v::opt_text(c)?,
            "IsActive" => r.is_active = v::bool(c)?,
            "ParentRef" => r.parent = v::ret_ref(c)?,
            "AccountType" => r.account_type = v::opt_text(c)?,
            "SpecialAccountType" => r.special_account_type = v::opt_text(c)?,
            "AccountNumber" => r.account_number = v::opt_text(c)?,
            "Balance" => r.balance = v::number(c)?,
            _ => c.skip()?,
        }
    }
    r.list_id = required(list_id, c, "AccountRet", "ListID")?;
    r.edit_sequence = required(edit_sequence, c, "AccountRet", "EditSequence")?;
    Ok(r)
}

pub(crate) fn payment_method(c: &mut Cursor<'_>) -> Result<PaymentMethodRet, ParseError> {
    let mut r = PaymentMethodRet::default();
    let (mut list_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ListID" => list_id = Some(v::text(c)?),
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "Name" => r.name = v::opt_text(c)?,
            "IsActive" => r.is_active = v::bool(c)?,
            "PaymentMethodType" => r.payment_method_type = v::opt_text(c)?,
            _ => c.skip()?,
        }
    }
    r.list_id = required(list_id, c, "PaymentMethodRet", "ListID")?;
    r.edit_sequence = required(edit_sequence, c, "PaymentMethodRet", "EditSequence")?;
    Ok(r)
}

pub(crate) fn sales_tax_code(c: &mut Cursor<'_>) -> Result<SalesTaxCodeRet, ParseError> {
    let mut r = SalesTaxCodeRet::default();
    let (mut list_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ListID" => list_id = Some(v::text(c)?),
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "Name" => r.name = v::opt_text(c)?,
            "IsActive" => r.is_active = v::bool(c)?,
            "IsTaxable" => r.is_taxable = v::bool(c)?,
            "Desc" => r.desc = v::opt_text(c)?,
            "ItemSalesTaxRef" => r.item_sales_tax = v::ret_ref(c)?,
            _ => c.skip()?,
        }
    }
    r.list_id = required(list_id, c, "SalesTaxCodeRet", "ListID")?;
    r.edit_sequence = required(edit_sequence, c, "SalesTaxCodeRet", "EditSequence")?;
    Ok(r)
}

fn sales_line(c: &mut Cursor<'_>) -> Result<SalesLineRet, ParseError> {
    let mut l = SalesLineRet::default();
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnLineID" => l.txn_line_id = v::opt_text(c)?,
            "ItemRef" => l.item = v::ret_ref(c)?,
            "Desc" => l.desc = v::opt_text(c)?,
            "Quantity" => l.quantity = v::number(c)?,
            "Rate" => l.rate = v::number(c)?,
            "Amount" => l.amount = v::number(c)?,
            "ServiceDate" => l.service_date = v::date(c)?,
            "SalesTaxCodeRef" => l.sales_tax_code = v::ret_ref(c)?,
            _ => c.skip()?,
        }
    }
    Ok(l)
}

/// `InvoiceRet` or `EstimateRet`; `ret` names which, for errors.
pub(crate) fn sales_txn(c: &mut Cursor<'_>, ret: &str) -> Result<SalesTxnRet, ParseError> {
    let mut r = SalesTxnRet::default();
    let (mut txn_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnID" => txn_id = Some(v::text(c)?),
            "TimeCreated" => r.time_created = v::datetime(c)?,
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "TxnNumber" => r.txn_number = v::u32_value(c)?,
            "CustomerRef" => r.customer = v::ret_ref(c)?,
            "ARAccountRef" => r.ar_account = v::ret_ref(c)?,
            "TxnDate" => r.txn_date = v::date(c)?,
            "RefNumber" => r.ref_number = v::opt_text(c)?,
            "BillAddress" => r.bill_address = v::address(c)?,
            "ShipAddress" => r.ship_address = v::address(c)?,
            "DueDate" => r.due_date = v::date(c)?,
            "Subtotal" => r.subtotal = v::number(c)?,
            "ItemSalesTaxRef" => r.item_sales_tax = v::ret_ref(c)?,
            "SalesTaxPercentage" => r.sales_tax_percentage = v::number(c)?,
            "SalesTaxTotal" => r.sales_tax_total = v::number(c)?,
            "TotalAmount" => r.total_amount = v::number(c)?,
            "AppliedAmount" => r.applied_amount = v::number(c)?,
            "BalanceRemaining" => r.balance_remaining = v::number(c)?,
            "Memo" => r.memo = v::opt_text(c)?,
            "IsPaid" => r.is_paid = v::bool(c)?,
            "IsActive" => r.is_active = v::bool(c)?,
            "CustomerSalesTaxCodeRef" => r.customer_sales_tax_code = v::ret_ref(c)?,
            "ExternalGUID" => r.external_guid = v::guid(c)?,
            "DataExtRet" => r.data_ext.push(data_ext(c)?),
            "InvoiceLineRet" | "EstimateLineRet" => r.lines.push(sales_line(c)?),
            // A group item's lines are flattened into `lines`, marked `from_group`.
            "InvoiceLineGroupRet" | "EstimateLineGroupRet" => {
                while let Some(line) = c.next_child()? {
                    match line.name.as_str() {
                        "InvoiceLineRet" | "EstimateLineRet" => {
                            let mut l = sales_line(c)?;
                            l.from_group = true;
                            r.lines.push(l);
                        }
                        _ => c.skip()?,
                    }
                }
            }
            _ => c.skip()?,
        }
    }
    r.txn_id = required(txn_id, c, ret, "TxnID")?;
    r.edit_sequence = required(edit_sequence, c, ret, "EditSequence")?;
    Ok(r)
}

fn applied_to_txn(c: &mut Cursor<'_>) -> Result<AppliedToTxnRet, ParseError> {
    let mut a = AppliedToTxnRet::default();
    let mut txn_id = None;
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnID" => txn_id = Some(v::text(c)?),
            "TxnType" => a.txn_type = v::opt_text(c)?,
            "TxnDate" => a.txn_date = v::date(c)?,
            "RefNumber" => a.ref_number = v::opt_text(c)?,
            "BalanceRemaining" => a.balance_remaining = v::number(c)?,
            "Amount" => a.amount = v::number(c)?,
            "DiscountAmount" => a.discount_amount = v::number(c)?,
            _ => c.skip()?,
        }
    }
    a.txn_id = required(txn_id, c, "AppliedToTxnRet", "TxnID")?;
    Ok(a)
}

pub(crate) fn receive_payment(c: &mut Cursor<'_>) -> Result<ReceivePaymentRet, ParseError> {
    let mut r = ReceivePaymentRet::default();
    let (mut txn_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnID" => txn_id = Some(v::text(c)?),
            "TimeCreated" => r.time_created = v::datetime(c)?,
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "TxnNumber" => r.txn_number = v::u32_value(c)?,
            "CustomerRef" => r.customer = v::ret_ref(c)?,
            "ARAccountRef" => r.ar_account = v::ret_ref(c)?,
            "TxnDate" => r.txn_date = v::date(c)?,
            "RefNumber" => r.ref_number = v::opt_text(c)?,
            "TotalAmount" => r.total_amount = v::number(c)?,
            "PaymentMethodRef" => r.payment_method = v::ret_ref(c)?,
            "Memo" => r.memo = v::opt_text(c)?,
            "DepositToAccountRef" => r.deposit_to_account = v::ret_ref(c)?,
            "UnusedPayment" => r.unused_payment = v::number(c)?,
            "UnusedCredits" => r.unused_credits = v::number(c)?,
            "ExternalGUID" => r.external_guid = v::guid(c)?,
            "DataExtRet" => r.data_ext.push(data_ext(c)?),
            "AppliedToTxnRet" => r.applied_to.push(applied_to_txn(c)?),
            _ => c.skip()?,
        }
    }
    r.txn_id = required(txn_id, c, "ReceivePaymentRet", "TxnID")?;
    r.edit_sequence = required(edit_sequence, c, "ReceivePaymentRet", "EditSequence")?;
    Ok(r)
}

pub(crate) fn list_deleted(c: &mut Cursor<'_>) -> Result<ListDeletedRet, ParseError> {
    let (mut kind, mut list_id, mut time_created, mut time_deleted, mut full_name) =
        (None, None, None, None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ListDelType" => {
                let field = c.path();
                let t = v::text(c)?;
                kind = Some(ListDelType::from_qbxml(t.trim()).ok_or_else(|| {
                    ParseError::InvalidValue {
                        field,
                        expected: "a qbXML 13.0 ListDelType",
                        found: crate::qbxml::error::quote(&t),
                    }
                })?);
            }
            "ListID" => list_id = Some(v::text(c)?),
            "TimeCreated" => time_created = v::datetime(c)?,
            "TimeDeleted" => time_deleted = v::datetime(c)?,
            "FullName" => full_name = v::opt_text(c)?,
            _ => c.skip()?,
        }
    }
    let list_del_type = kind.ok_or_else(|| ParseError::MissingElement {
        context: format!("{}/ListDeletedRet", c.path()),
        expected: "ListDelType",
        found: "nothing".into(),
    })?;
    let list_id = required(list_id, c, "ListDeletedRet", "ListID")?;
    Ok(ListDeletedRet {
        list_del_type,
        list_id,
        time_created,
        time_deleted,
        full_name,
    })
}

pub(crate) fn txn_deleted(c: &mut Cursor<'_>) -> Result<TxnDeletedRet, ParseError> {
    let (mut kind, mut txn_id, mut time_created, mut time_deleted, mut ref_number) =
        (None, None, None, None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnDelType" => {
                let field = c.path();
                let t = v::text(c)?;
                kind = Some(TxnDelType::from_qbxml(t.trim()).ok_or_else(|| {
                    ParseError::InvalidValue {
                        field,
                        expected: "a qbXML 13.0 TxnDelType",
                        found: crate::qbxml::error::quote(&t),
                    }
                })?);
            }
            "TxnID" => txn_id = Some(v::text(c)?),
            "TimeCreated" => time_created = v::datetime(c)?,
            "TimeDeleted" => time_deleted = v::datetime(c)?,
            "RefNumber" => ref_number = v::opt_text(c)?,
            _ => c.skip()?,
        }
    }
    let txn_del_type = kind.ok_or_else(|| ParseError::MissingElement {
        context: format!("{}/TxnDeletedRet", c.path()),
        expected: "TxnDelType",
        found: "nothing".into(),
    })?;
    let txn_id = required(txn_id, c, "TxnDeletedRet", "TxnID")?;
    Ok(TxnDeletedRet {
        txn_del_type,
        txn_id,
        time_created,
        time_deleted,
        ref_number,
    })
}

/// A `JournalDebitLine` or `JournalCreditLine` of a `JournalEntryRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalLineRet {
    /// A debit line (else a credit line).
    pub is_debit: bool,
    pub txn_line_id: Option<String>,
    pub account: Option<RetRef>,
    pub amount: Option<Decimal>,
    pub entity: Option<RetRef>,
}

/// `JournalEntryRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalEntryRet {
    pub txn_id: String,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub txn_date: Option<NaiveDate>,
    pub ref_number: Option<String>,
    pub is_adjustment: Option<bool>,
    pub external_guid: Option<Uuid>,
    /// Only when the query asked for line items (an add always returns them).
    pub lines: Vec<JournalLineRet>,
}

/// `DepositRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepositRet {
    pub txn_id: String,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub txn_date: Option<NaiveDate>,
    pub deposit_to_account: Option<RetRef>,
    pub deposit_total: Option<Decimal>,
    pub external_guid: Option<Uuid>,
}

fn journal_line(c: &mut Cursor<'_>, is_debit: bool) -> Result<JournalLineRet, ParseError> {
    let mut l = JournalLineRet {
        is_debit,
        ..JournalLineRet::default()
    };
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnLineID" => l.txn_line_id = v::opt_text(c)?,
            "AccountRef" => l.account = v::ret_ref(c)?,
            "Amount" => l.amount = v::number(c)?,
            "EntityRef" => l.entity = v::ret_ref(c)?,
            _ => c.skip()?,
        }
    }
    Ok(l)
}

pub(crate) fn journal_entry(c: &mut Cursor<'_>) -> Result<JournalEntryRet, ParseError> {
    let mut r = JournalEntryRet::default();
    let (mut txn_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnID" => txn_id = Some(v::text(c)?),
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "TxnDate" => r.txn_date = v::date(c)?,
            "RefNumber" => r.ref_number = v::opt_text(c)?,
            "IsAdjustment" => r.is_adjustment = v::bool(c)?,
            "ExternalGUID" => r.external_guid = v::guid(c)?,
            "JournalDebitLine" => r.lines.push(journal_line(c, true)?),
            "JournalCreditLine" => r.lines.push(journal_line(c, false)?),
            _ => c.skip()?,
        }
    }
    r.txn_id = required(txn_id, c, "JournalEntryRet", "TxnID")?;
    r.edit_sequence = required(edit_sequence, c, "JournalEntryRet", "EditSequence")?;
    Ok(r)
}

pub(crate) fn deposit(c: &mut Cursor<'_>) -> Result<DepositRet, ParseError> {
    let mut r = DepositRet::default();
    let (mut txn_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnID" => txn_id = Some(v::text(c)?),
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "TxnDate" => r.txn_date = v::date(c)?,
            "DepositToAccountRef" => r.deposit_to_account = v::ret_ref(c)?,
            "DepositTotal" => r.deposit_total = v::number(c)?,
            "ExternalGUID" => r.external_guid = v::guid(c)?,
            _ => c.skip()?,
        }
    }
    r.txn_id = required(txn_id, c, "DepositRet", "TxnID")?;
    r.edit_sequence = required(edit_sequence, c, "DepositRet", "EditSequence")?;
    Ok(r)
}
