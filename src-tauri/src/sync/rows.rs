//! QuickBooks' records (typed qbXML `*Ret`s) as the store's mirror keeps them. Pure
//! conversions: no SQL, no decisions. Used by the pull (pages read) and by the appliers (a
//! record QuickBooks returns after an add or a modification).

use crate::qbxml;
use crate::store::codes::ItemType;
use crate::store::customers::Address as StoreAddress;
use crate::store::qb_mirror::{QbCustomer, QbInvoiceStatus, QbItem, QbNamed, QbPayment};

/// A QuickBooks customer or job as the mirror keeps it.
pub fn mirror_customer(c: &qbxml::CustomerRet) -> QbCustomer {
    let address = |a: &Option<qbxml::Address>| {
        a.as_ref()
            .map(|a| StoreAddress {
                line1: a.addr1.clone(),
                line2: a.addr2.clone(),
                city: a.city.clone(),
                state: a.state.clone(),
                postal_code: a.postal_code.clone(),
                country: a.country.clone(),
            })
            .unwrap_or_default()
    };
    let name = c.name.clone().unwrap_or_default();
    QbCustomer {
        list_id: c.list_id.clone(),
        full_name: c.full_name.clone().unwrap_or_else(|| name.clone()),
        name,
        parent_list_id: c.parent.as_ref().and_then(|p| p.list_id.clone()),
        sublevel: i64::from(c.sublevel.unwrap_or(0)),
        is_active: c.is_active.unwrap_or(true),
        company_name: c.company_name.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        bill_address: address(&c.bill_address),
        ship_address: address(&c.ship_address),
        edit_sequence: c.edit_sequence.clone(),
        time_modified: c.time_modified.map(|t| t.to_rfc3339()).unwrap_or_default(),
        external_guid: c.external_guid.map(qbxml::format_guid),
    }
}

/// A QuickBooks item of any type.
pub fn item(i: &qbxml::ItemRet) -> QbItem {
    QbItem {
        list_id: i.list_id.clone(),
        full_name: i.full_name.clone(),
        item_type: item_type_of(i.item_type),
        is_active: i.is_active.unwrap_or(true),
        tax_rate: i.tax_rate,
        edit_sequence: Some(i.edit_sequence.clone()),
        time_modified: i.time_modified.map(|t| t.to_rfc3339()),
        income_account: i.account.as_ref().and_then(|a| a.full_name.clone()),
    }
}

/// A QuickBooks account with its type, special type and number (`store::accounts`).
pub fn qb_account(a: &qbxml::AccountRet) -> crate::store::accounts::QbAccount {
    crate::store::accounts::QbAccount {
        list_id: a.list_id.clone(),
        full_name: a.full_name.clone().or(a.name.clone()).unwrap_or_default(),
        account_type: a
            .account_type
            .as_deref()
            .and_then(crate::store::accounts::AccountType::parse),
        special_account_type: a.special_account_type.clone(),
        account_number: a.account_number.clone().filter(|n| !n.trim().is_empty()),
        is_active: a.is_active.unwrap_or(true),
    }
}

/// What QuickBooks made of one of our expenses (a bill's IsPaid; checks and charges are
/// paid by what they are).
pub fn expense_status(p: &qbxml::PurchaseRet) -> crate::store::expenses::QbExpenseStatus {
    use crate::store::expenses::QbExpenseKind;
    crate::store::expenses::QbExpenseStatus {
        txn_id: p.txn_id.clone(),
        kind: match p.kind {
            qbxml::PurchaseKind::Bill => QbExpenseKind::Bill,
            qbxml::PurchaseKind::Check => QbExpenseKind::Check,
            qbxml::PurchaseKind::CreditCardCharge => QbExpenseKind::CreditCardCharge,
        },
        is_paid: p.kind == qbxml::PurchaseKind::Bill && p.is_paid.unwrap_or(false),
    }
}

/// A QuickBooks vendor as the mirror keeps it.
pub fn qb_vendor(v: &qbxml::VendorRet) -> crate::store::vendors::QbVendor {
    let address = v.address.clone().unwrap_or_default();
    crate::store::vendors::QbVendor {
        list_id: v.list_id.clone(),
        name: v.name.clone().unwrap_or_default(),
        is_active: v.is_active.unwrap_or(true),
        company_name: v.company_name.clone(),
        email: v.email.clone(),
        phone: v.phone.clone(),
        line1: address.addr1,
        postal_code: address.postal_code,
        edit_sequence: v.edit_sequence.clone(),
        time_modified: v.time_modified.map(|t| t.to_rfc3339()),
        external_guid: v.external_guid.map(qbxml::format_guid),
    }
}

/// A QuickBooks payment method.
pub fn payment_method(m: &qbxml::PaymentMethodRet) -> QbNamed {
    QbNamed {
        list_id: m.list_id.clone(),
        name: m.name.clone().unwrap_or_default(),
        is_active: m.is_active.unwrap_or(true),
    }
}

/// A QuickBooks sales tax code (whether it taxes is kept beside it).
pub fn sales_tax_code(c: &qbxml::SalesTaxCodeRet) -> QbNamed {
    QbNamed {
        list_id: c.list_id.clone(),
        name: c.name.clone().unwrap_or_default(),
        is_active: c.is_active.unwrap_or(true),
    }
}

/// One applied line of a QuickBooks payment as the mirror keeps it (the payment's TxnID,
/// the invoice it pays, the amount applied to that invoice).
pub fn payment_row(
    p: &qbxml::ReceivePaymentRet,
    applied: &qbxml::AppliedToTxnRet,
    invoice_id: Option<String>,
) -> QbPayment {
    QbPayment {
        txn_id: p.txn_id.clone(),
        customer_list_id: p.customer.as_ref().and_then(|c| c.list_id.clone()),
        invoice_txn_id: Some(applied.txn_id.clone()),
        invoice_id,
        date: p
            .txn_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        amount: applied.amount.or(p.total_amount).unwrap_or_default(),
        method: p.payment_method.as_ref().and_then(|m| m.full_name.clone()),
        reference: p.ref_number.clone(),
        external_guid: p.external_guid.map(qbxml::format_guid),
        time_modified: p.time_modified.map(|t| t.to_rfc3339()),
    }
}

/// What QuickBooks says about one of our invoices.
pub fn invoice_status(inv: &qbxml::InvoiceRet, invoice_id: Option<String>) -> QbInvoiceStatus {
    QbInvoiceStatus {
        txn_id: inv.txn_id.clone(),
        invoice_id,
        balance: inv.balance_remaining.unwrap_or_default(),
        is_paid: inv.is_paid.unwrap_or(false),
        subtotal: inv.subtotal,
        sales_tax_total: inv.sales_tax_total,
        edit_sequence: Some(inv.edit_sequence.clone()),
        time_modified: inv.time_modified.map(|t| t.to_rfc3339()),
    }
}

/// The parser's item type as the store keeps it.
fn item_type_of(t: crate::qbxml::ItemType) -> ItemType {
    use crate::qbxml::ItemType as Q;
    match t {
        Q::Service => ItemType::Service,
        Q::NonInventory => ItemType::NonInventory,
        Q::OtherCharge => ItemType::OtherCharge,
        Q::Inventory => ItemType::Inventory,
        Q::InventoryAssembly => ItemType::InventoryAssembly,
        Q::FixedAsset => ItemType::FixedAsset,
        Q::Subtotal => ItemType::Subtotal,
        Q::Discount => ItemType::Discount,
        Q::Payment => ItemType::Payment,
        Q::SalesTax => ItemType::SalesTax,
        Q::SalesTaxGroup => ItemType::SalesTaxGroup,
        Q::Group => ItemType::Group,
    }
}
