//! JournalEntryAdd and JournalEntryQuery (qbXML 13.0).
//!
//! Intuit's reference for JournalEntryAdd: "You can supply as many credit lines and debit
//! lines in one single request as you want so long as the total monetary amount from the
//! credits equals the total monetary amount from the debits in that request. Finally, DO
//! NOT supply negative sign for the monetary amounts." Both rules are checked while
//! writing: an unbalanced entry or a negative amount yields a
//! [`BuildError`](crate::qbxml::BuildError) and no XML.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::query::write_txn_selection;
use crate::qbxml::limits;
use crate::qbxml::types::{ListRef, OwnerId, QueryIterator, TxnSelection};
use crate::qbxml::writer::QbWriter;

/// qbXML 13.0 `JournalEntryAdd/RefNumber`: maxLength 11.
pub const JOURNAL_REF_NUMBER_MAX: usize = 11;

/// Which side of the entry a line is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalSide {
    Debit,
    Credit,
}

/// `JournalDebitLine` / `JournalCreditLine`: an account, a non-negative amount, and for an
/// Accounts Receivable line the customer it belongs to (`EntityRef`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalLine {
    pub side: JournalSide,
    pub account: ListRef,
    pub amount: Decimal,
    pub memo: Option<String>,
    pub entity: Option<ListRef>,
}

/// `JournalEntryAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalEntryAdd {
    pub request_id: String,
    pub txn_date: Option<NaiveDate>,
    /// At most 11 characters.
    pub ref_number: Option<String>,
    pub memo: Option<String>,
    /// `IsAdjustment`: an adjusting entry.
    pub is_adjustment: bool,
    /// The entry's stable FieldBridge id, so a lost answer can be recognised later.
    pub external_guid: Option<Uuid>,
    pub lines: Vec<JournalLine>,
    /// `IncludeRetElement`: the JournalEntryRet elements QuickBooks returns (empty: all).
    pub include_ret: &'static [&'static str],
}

/// `JournalEntryQueryRq` (the `TxnQuery` group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalEntryQuery {
    pub request_id: String,
    pub selection: TxnSelection,
    pub include_line_items: bool,
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

impl JournalEntryAdd {
    /// The sum of one side's amounts.
    pub fn total(&self, side: JournalSide) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.side == side)
            .map(|l| l.amount)
            .sum()
    }

    /// qbXML 13.0 order: TxnDate, RefNumber, Memo, IsAdjustment, [IsHomeCurrencyAdjustment |
    /// CurrencyRef, ExchangeRate], ExternalGUID, (JournalDebitLine | JournalCreditLine)+;
    /// each line: TxnLineID, AccountRef, Amount, TaxAmount, Memo, EntityRef, ...
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("JournalEntryAddRq", &self.request_id, None);
        w.open("JournalEntryAdd");
        w.opt_date("TxnDate", self.txn_date);
        w.opt_text(
            "RefNumber",
            self.ref_number.as_ref(),
            JOURNAL_REF_NUMBER_MAX,
        );
        w.opt_text("Memo", self.memo.as_ref(), limits::MEMO_MAX);
        if self.is_adjustment {
            w.bool("IsAdjustment", true);
        }
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        if self.lines.is_empty() {
            w.empty("JournalDebitLine");
        }
        for (i, line) in self.lines.iter().enumerate() {
            let name = match line.side {
                JournalSide::Debit => "JournalDebitLine",
                JournalSide::Credit => "JournalCreditLine",
            };
            w.open_indexed(name, i + 1);
            w.list_ref("AccountRef", &line.account, limits::LIST_FULL_NAME_MAX);
            if line.amount < Decimal::ZERO {
                w.conflict(format!(
                    "{name}[{}]/Amount is {}: qbXML wants journal amounts without a sign (the side says debit or credit)",
                    i + 1,
                    line.amount
                ));
            }
            w.amount("Amount", line.amount);
            w.opt_text("Memo", line.memo.as_ref(), limits::MEMO_MAX);
            w.opt_list_ref(
                "EntityRef",
                line.entity.as_ref(),
                limits::CUSTOMER_FULL_NAME_MAX,
            );
            w.close(name);
        }
        let (debits, credits) = (
            self.total(JournalSide::Debit),
            self.total(JournalSide::Credit),
        );
        if debits != credits {
            w.conflict(format!(
                "the debits ({debits}) do not equal the credits ({credits}); QuickBooks refuses an entry out of balance"
            ));
        }
        w.close("JournalEntryAdd");
        for name in self.include_ret {
            w.text("IncludeRetElement", name, limits::INCLUDE_RET_ELEMENT_MAX);
        }
        w.close_request("JournalEntryAddRq");
    }
}

impl JournalEntryQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request(
            "JournalEntryQueryRq",
            &self.request_id,
            self.iterator.as_ref(),
        );
        write_txn_selection(w, &self.selection, JOURNAL_REF_NUMBER_MAX);
        if self.include_line_items {
            w.bool("IncludeLineItems", true);
        }
        w.owner_id(self.owner_id);
        w.close_request("JournalEntryQueryRq");
    }
}
