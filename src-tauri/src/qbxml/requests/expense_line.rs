//! `ExpenseLineAdd` and `ExpenseLineMod`, the lines shared by BillAdd / BillMod, CheckAdd /
//! CheckMod and CreditCardChargeAdd / CreditCardChargeMod: an amount posted to an account,
//! optionally billable to a customer or job.
//!
//! qbXML 13.0, BillMod (and CheckMod, CreditCardChargeMod): an `ExpenseLineMod` with its
//! `TxnLineID` changes that line, one with `TxnLineID` `-1` adds a line, and "if you include
//! line items in a mod request, any existing line that you do not include is deleted".

use rust_decimal::Decimal;

use super::sales_mod::NEW_TXN_LINE_ID;
use crate::qbxml::limits;
use crate::qbxml::types::ListRef;
use crate::qbxml::writer::QbWriter;

/// One expense line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpenseLine {
    /// The expense (or cost of goods, or asset) account.
    pub account: ListRef,
    pub amount: Decimal,
    pub memo: Option<String>,
    /// The customer or job the line is for.
    pub customer: Option<ListRef>,
    /// `Some(true)`: BillableStatus Billable; `Some(false)`: NotBillable.
    pub billable: Option<bool>,
}

/// One line of a mod: the QuickBooks line it changes (`None`: a new line, written as
/// [`NEW_TXN_LINE_ID`]) and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpenseLineMod {
    pub txn_line_id: Option<String>,
    pub line: ExpenseLine,
}

/// qbXML 13.0 ExpenseLineAdd, in schema order: AccountRef, Amount, [TaxAmount], Memo,
/// CustomerRef, [ClassRef, SalesTaxCodeRef], BillableStatus.
pub(crate) fn write_lines(w: &mut QbWriter, lines: &[ExpenseLine]) {
    if lines.is_empty() {
        // FieldBridge's rule: an expense without lines is a mistake upstream.
        w.empty("ExpenseLineAdd");
    }
    for (i, line) in lines.iter().enumerate() {
        write_line(w, "ExpenseLineAdd", i + 1, None, line);
    }
}

/// qbXML 13.0 ExpenseLineMod, in schema order: TxnLineID, AccountRef, Amount, [TaxAmount],
/// Memo, CustomerRef, [ClassRef, SalesTaxCodeRef], BillableStatus. `None`: the mod leaves
/// QuickBooks' lines as they are; `Some`: every line the expense keeps (at least one).
pub(crate) fn write_mod_lines(w: &mut QbWriter, lines: Option<&Vec<ExpenseLineMod>>) {
    let Some(lines) = lines else { return };
    if lines.is_empty() {
        // No line at all would not delete them (QuickBooks reads "no lines" as "lines
        // untouched"), so an empty list is a caller's mistake.
        w.conflict("ExpenseLineMod: a mod that changes lines must keep at least one");
    }
    for (i, l) in lines.iter().enumerate() {
        let id = l.txn_line_id.as_deref().unwrap_or(NEW_TXN_LINE_ID);
        write_line(w, "ExpenseLineMod", i + 1, Some(id), &l.line);
    }
}

fn write_line(
    w: &mut QbWriter,
    element: &str,
    index: usize,
    txn_line_id: Option<&str>,
    line: &ExpenseLine,
) {
    w.open_indexed(element, index);
    if let Some(id) = txn_line_id {
        w.required_text("TxnLineID", id, limits::ID_MAX);
    }
    w.list_ref("AccountRef", &line.account, limits::LIST_FULL_NAME_MAX);
    w.amount("Amount", line.amount);
    w.opt_text("Memo", line.memo.as_ref(), limits::MEMO_MAX);
    w.opt_list_ref(
        "CustomerRef",
        line.customer.as_ref(),
        limits::CUSTOMER_FULL_NAME_MAX,
    );
    if let Some(b) = line.billable {
        if b && line.customer.is_none() {
            w.conflict(format!(
                "{element}[{index}]: a billable line needs a customer or job"
            ));
        }
        let status = if b { "Billable" } else { "NotBillable" };
        w.text("BillableStatus", status, usize::MAX);
    }
    w.close(element);
}
