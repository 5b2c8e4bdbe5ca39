//! The records QuickBooks returns for vendors and what is bought from them: `VendorRet`,
//! and `BillRet`, `CheckRet`, `CreditCardChargeRet` read into one [`PurchaseRet`] (the
//! engine uses the same few fields of each: TxnID, EditSequence, date, amount, the
//! ExternalGUID that recognises our own after a lost answer, and the fields and expense lines
//! FieldBridge owns, with their TxnLineIDs, for changing it later). Everything else is
//! skipped.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::cursor::Cursor;
use super::values as v;
use crate::qbxml::error::ParseError;
use crate::qbxml::types::{Address, RetRef};

/// `VendorRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorRet {
    pub list_id: String,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    pub name: Option<String>,
    pub is_active: Option<bool>,
    pub company_name: Option<String>,
    pub address: Option<Address>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub external_guid: Option<Uuid>,
}

/// Which transaction a [`PurchaseRet`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PurchaseKind {
    #[default]
    Bill,
    Check,
    CreditCardCharge,
}

impl PurchaseKind {
    /// From the `*Ret` element's name.
    pub fn from_ret_element(name: &str) -> Option<Self> {
        match name {
            "BillRet" => Some(PurchaseKind::Bill),
            "CheckRet" => Some(PurchaseKind::Check),
            "CreditCardChargeRet" => Some(PurchaseKind::CreditCardCharge),
            _ => None,
        }
    }
}

/// One `ExpenseLineRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpenseLineRet {
    pub txn_line_id: Option<String>,
    pub account: Option<RetRef>,
    pub amount: Option<Decimal>,
    pub memo: Option<String>,
    pub customer: Option<RetRef>,
    /// `Billable`, `NotBillable` or `HasBeenBilled`.
    pub billable_status: Option<String>,
}

/// `BillRet`, `CheckRet` or `CreditCardChargeRet`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurchaseRet {
    pub kind: PurchaseKind,
    pub txn_id: String,
    pub time_modified: Option<DateTime<FixedOffset>>,
    pub edit_sequence: String,
    /// VendorRef (bills) or PayeeEntityRef (checks, card charges).
    pub payee: Option<RetRef>,
    /// The bank or card account (checks, card charges); the A/P account (bills).
    pub account: Option<RetRef>,
    pub txn_date: Option<NaiveDate>,
    pub ref_number: Option<String>,
    /// AmountDue (bills) or Amount (checks, card charges).
    pub amount: Option<Decimal>,
    /// Bills only: whether it was paid in full (Pay Bills).
    pub is_paid: Option<bool>,
    pub external_guid: Option<Uuid>,
    /// Bills only.
    pub due_date: Option<NaiveDate>,
    pub memo: Option<String>,
    /// The expense lines (item lines are skipped: FieldBridge sends none).
    pub lines: Vec<ExpenseLineRet>,
}

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

pub(crate) fn vendor(c: &mut Cursor<'_>) -> Result<VendorRet, ParseError> {
    let mut r = VendorRet::default();
    let (mut list_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "ListID" => list_id = Some(v::text(c)?),
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "Name" => r.name = v::opt_text(c)?,
            "IsActive" => r.is_active = v::bool(c)?,
            "CompanyName" => r.company_name = v::opt_text(c)?,
            "VendorAddress" => r.address = v::address(c)?,
            "Phone" => r.phone = v::opt_text(c)?,
            "Email" => r.email = v::opt_text(c)?,
            "ExternalGUID" => r.external_guid = v::guid(c)?,
            _ => c.skip()?,
        }
    }
    r.list_id = required(list_id, c, "VendorRet", "ListID")?;
    r.edit_sequence = required(edit_sequence, c, "VendorRet", "EditSequence")?;
    Ok(r)
}

pub(crate) fn purchase(c: &mut Cursor<'_>, kind: PurchaseKind) -> Result<PurchaseRet, ParseError> {
    let mut r = PurchaseRet {
        kind,
        ..PurchaseRet::default()
    };
    let (mut txn_id, mut edit_sequence) = (None, None);
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnID" => txn_id = Some(v::text(c)?),
            "TimeModified" => r.time_modified = v::datetime(c)?,
            "EditSequence" => edit_sequence = Some(v::text(c)?),
            "VendorRef" | "PayeeEntityRef" => r.payee = v::ret_ref(c)?,
            "AccountRef" | "APAccountRef" => r.account = v::ret_ref(c)?,
            "TxnDate" => r.txn_date = v::date(c)?,
            "RefNumber" => r.ref_number = v::opt_text(c)?,
            "AmountDue" | "Amount" => r.amount = v::number(c)?,
            "IsPaid" => r.is_paid = v::bool(c)?,
            "ExternalGUID" => r.external_guid = v::guid(c)?,
            "DueDate" => r.due_date = v::date(c)?,
            "Memo" => r.memo = v::opt_text(c)?,
            "ExpenseLineRet" => r.lines.push(expense_line(c)?),
            _ => c.skip()?,
        }
    }
    let element = match kind {
        PurchaseKind::Bill => "BillRet",
        PurchaseKind::Check => "CheckRet",
        PurchaseKind::CreditCardCharge => "CreditCardChargeRet",
    };
    r.txn_id = required(txn_id, c, element, "TxnID")?;
    r.edit_sequence = required(edit_sequence, c, element, "EditSequence")?;
    Ok(r)
}

fn expense_line(c: &mut Cursor<'_>) -> Result<ExpenseLineRet, ParseError> {
    let mut l = ExpenseLineRet::default();
    while let Some(child) = c.next_child()? {
        match child.name.as_str() {
            "TxnLineID" => l.txn_line_id = v::opt_text(c)?,
            "AccountRef" => l.account = v::ret_ref(c)?,
            "Amount" => l.amount = v::number(c)?,
            "Memo" => l.memo = v::opt_text(c)?,
            "CustomerRef" => l.customer = v::ret_ref(c)?,
            "BillableStatus" => l.billable_status = v::opt_text(c)?,
            _ => c.skip()?,
        }
    }
    Ok(l)
}
