//! The records a simulated company file holds.
//!
//! Owns: the in-memory shape of customers, items, accounts, payment methods, sales-tax codes,
//! invoices, estimates, payments and deletion records, plus money formatting/rounding.
//! Does not own: how requests change them (lists.rs, txns.rs) or how they are queried.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::xml::Element;

pub type Time = DateTime<FixedOffset>;

/// ListID, times and EditSequence shared by every list object.
#[derive(Debug, Clone)]
pub struct ListCore {
    pub list_id: String,
    pub created: Time,
    pub modified: Time,
    pub edit_sequence: u64,
}

/// TxnID, times, EditSequence and TxnNumber shared by every transaction.
#[derive(Debug, Clone)]
pub struct TxnCore {
    pub txn_id: String,
    pub created: Time,
    pub modified: Time,
    pub edit_sequence: u64,
    pub txn_number: u64,
}

/// A customer or a job (a customer with a parent).
#[derive(Debug, Clone)]
pub struct Customer {
    pub core: ListCore,
    pub name: String,
    pub parent: Option<String>,
    pub is_active: bool,
    pub sales_tax_code: Option<String>,
    pub item_sales_tax: Option<String>,
    pub preferred_payment_method: Option<String>,
    pub external_guid: Option<String>,
    /// Fields kept as sent and echoed back in schema order (addresses, phones, JobStatus...).
    pub extra: Vec<Element>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    Service,
    NonInventory,
    OtherCharge,
    SalesTax { rate: Decimal },
    SalesTaxGroup { members: Vec<String> },
}

impl ItemKind {
    /// The qbXML object name: `ItemService`, ... (also the ListDelType).
    pub fn object_name(&self) -> &'static str {
        match self {
            ItemKind::Service => "ItemService",
            ItemKind::NonInventory => "ItemNonInventory",
            ItemKind::OtherCharge => "ItemOtherCharge",
            ItemKind::SalesTax { .. } => "ItemSalesTax",
            ItemKind::SalesTaxGroup { .. } => "ItemSalesTaxGroup",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    pub core: ListCore,
    pub name: String,
    pub parent: Option<String>,
    pub is_active: bool,
    pub kind: ItemKind,
    pub desc: Option<String>,
    pub price: Option<Decimal>,
    pub sales_tax_code: Option<String>,
    pub account: Option<String>,
    pub external_guid: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub core: ListCore,
    pub name: String,
    pub is_active: bool,
    pub account_type: &'static str,
    pub special_account_type: Option<&'static str>,
    /// The account number (qbXML AccountNumber, at most 7 characters), when numbered.
    pub account_number: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PaymentMethod {
    pub core: ListCore,
    pub name: String,
    pub is_active: bool,
    pub method_type: &'static str,
}

#[derive(Debug, Clone)]
pub struct SalesTaxCode {
    pub core: ListCore,
    pub name: String,
    pub is_active: bool,
    pub is_taxable: bool,
    pub desc: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalesKind {
    Invoice,
    Estimate,
}

impl SalesKind {
    pub fn object_name(self) -> &'static str {
        match self {
            SalesKind::Invoice => "Invoice",
            SalesKind::Estimate => "Estimate",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SalesLine {
    pub txn_line_id: String,
    pub item: Option<String>,
    pub desc: Option<String>,
    pub quantity: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub amount: Decimal,
    pub sales_tax_code: Option<String>,
}

/// An invoice or an estimate.
#[derive(Debug, Clone)]
pub struct SalesTxn {
    pub kind: SalesKind,
    pub core: TxnCore,
    pub customer: String,
    pub ar_account: Option<String>,
    pub txn_date: NaiveDate,
    pub ref_number: Option<String>,
    pub item_sales_tax: Option<String>,
    pub tax_percent: Decimal,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub memo: Option<String>,
    pub customer_sales_tax_code: Option<String>,
    pub external_guid: Option<String>,
    pub lines: Vec<SalesLine>,
    /// Echoed fields (BillAddress, PONumber, DueDate...).
    pub extra: Vec<Element>,
    /// Sum of payments applied to this invoice.
    pub applied: Decimal,
}

impl SalesTxn {
    pub fn total(&self) -> Decimal {
        self.subtotal + self.tax_total
    }

    pub fn balance(&self) -> Decimal {
        self.total() - self.applied
    }
}

#[derive(Debug, Clone)]
pub struct Applied {
    pub txn_id: String,
    pub amount: Decimal,
}

#[derive(Debug, Clone)]
pub struct Payment {
    pub core: TxnCore,
    pub customer: String,
    pub ar_account: String,
    pub txn_date: NaiveDate,
    pub ref_number: Option<String>,
    pub total: Decimal,
    pub payment_method: Option<String>,
    pub memo: Option<String>,
    pub deposit_to: String,
    pub applied: Vec<Applied>,
    pub external_guid: Option<String>,
}

impl Payment {
    pub fn unused(&self) -> Decimal {
        self.total - self.applied.iter().map(|a| a.amount).sum::<Decimal>()
    }
}

/// A ListDeletedRet / TxnDeletedRet row.
#[derive(Debug, Clone)]
pub struct Deleted {
    /// ListDelType or TxnDelType value.
    pub del_type: String,
    pub id: String,
    pub created: Time,
    pub deleted: Time,
    /// FullName for lists, RefNumber for transactions.
    pub label: Option<String>,
}

/// qbXML 13.0 AMTTYPE: `[+-]?[0-9]{1,13}(\.[0-9]{2})?` — no amount QuickBooks reports can
/// exceed 13 integer digits; larger computed amounts are refused (3210). This also keeps
/// every sum far inside Decimal's 28 digits.
pub fn max_amount() -> Decimal {
    Decimal::new(999_999_999_999_999, 2)
}

/// Whether an amount fits AMTTYPE.
pub fn amount_fits(value: Decimal) -> bool {
    value.abs() <= max_amount()
}

/// EditSequence for a new object: its creation time in seconds, as QuickBooks writes it.
pub fn first_edit_sequence(now: Time) -> u64 {
    u64::try_from(now.timestamp()).unwrap_or(0)
}

/// EditSequence after a change: the modification time in seconds, and never the same as
/// before, so it changes on every modification even within one second.
pub fn edit_sequence_after(now: Time, previous: u64) -> u64 {
    first_edit_sequence(now).max(previous.saturating_add(1))
}

/// Rounds to cents, half away from zero, as QuickBooks rounds sales tax.
pub fn round_cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// AMTTYPE as QuickBooks prints it: always two decimals ("206.00").
pub fn format_amount(value: Decimal) -> String {
    let mut v = round_cents(value);
    if v.is_zero() {
        // Never "-0.00" (an AppliedAmount of nothing, negated).
        v = Decimal::ZERO;
    }
    v.rescale(2);
    v.to_string()
}

/// PRICETYPE / PERCENTTYPE: at least two decimals, more when the value has them
/// ("103.00", "8.375").
pub fn format_price(value: Decimal) -> String {
    let mut v = value.normalize();
    if v.scale() < 2 {
        v.rescale(2);
    }
    v.to_string()
}

/// QUANTYPE: as few decimals as needed ("2", "1.5").
pub fn format_quantity(value: Decimal) -> String {
    value.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test decimal")
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_cents(d("0.125")), d("0.13"), "half up for positives");
        assert_eq!(
            round_cents(d("-0.125")),
            d("-0.13"),
            "half away for negatives"
        );
        assert_eq!(round_cents(d("0.124999")), d("0.12"));
    }

    #[test]
    fn formats_like_quickbooks() {
        assert_eq!(format_amount(d("206")), "206.00");
        assert_eq!(format_amount(-Decimal::ZERO), "0.00", "no negative zero");
        assert_eq!(format_price(d("103")), "103.00");
        assert_eq!(format_price(d("8.375")), "8.375");
        assert_eq!(format_quantity(d("2.000")), "2");
    }
}
