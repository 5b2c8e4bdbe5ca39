//! `ExpenseLineAdd`, the line shared by BillAdd, CheckAdd and CreditCardChargeAdd: an
//! amount posted to an account, optionally billable to a customer or job.

use rust_decimal::Decimal;

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

/// qbXML 13.0 ExpenseLineAdd, in schema order: AccountRef, Amount, [TaxAmount], Memo,
/// CustomerRef, [ClassRef, SalesTaxCodeRef], BillableStatus.
pub(crate) fn write_lines(w: &mut QbWriter, lines: &[ExpenseLine]) {
    if lines.is_empty() {
        // FieldBridge's rule: an expense without lines is a mistake upstream.
        w.empty("ExpenseLineAdd");
    }
    for (i, line) in lines.iter().enumerate() {
        w.open_indexed("ExpenseLineAdd", i + 1);
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
                    "ExpenseLineAdd[{}]: a billable line needs a customer or job",
                    i + 1
                ));
            }
            let status = if b { "Billable" } else { "NotBillable" };
            w.text("BillableStatus", status, usize::MAX);
        }
        w.close("ExpenseLineAdd");
    }
}
