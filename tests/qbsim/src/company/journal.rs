//! General journal entries and deposits: JournalEntryAdd, DepositAdd, their Ret writers and
//! queries' rows, and the test-facing views (entries, deposits, each account's journal
//! total).
//!
//! Rules modelled as QuickBooks enforces them (Intuit's JournalEntryAdd reference: "the
//! total monetary amount from the credits [must equal] the total monetary amount from the
//! debits in that request. Finally, DO NOT supply negative sign for the monetary amounts"):
//! - an entry out of balance is refused, 3210 "Transaction not in balance.";
//! - a negative amount is refused (3210);
//! - every line names an account QuickBooks has (else 3140), and an Accounts Receivable
//!   line names a customer (else 3210: QuickBooks asks for a customer on A/R lines);
//! - a deposit goes to a bank account, each line takes money waiting in Undeposited Funds
//!   (a ReceivePayment deposited there, or a journal entry's Undeposited Funds debit line,
//!   named by PaymentTxnID / PaymentTxnLineID), and money already deposited cannot be
//!   deposited again (3210).
//!
//! Does not own: queries' filters (query.rs), message sets and dispatch (mod.rs).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::model::*;
use super::{date_of, decimal_of, malformed, ref_parts, Answer, Company, Handled};
use crate::status::Status;
use crate::xml::Element;

/// A line of a journal entry.
#[derive(Debug, Clone)]
pub struct JournalLine {
    pub txn_line_id: String,
    pub debit: bool,
    /// The account's ListID.
    pub account: String,
    pub amount: Decimal,
    pub memo: Option<String>,
    /// The customer's ListID (A/R lines).
    pub entity: Option<String>,
}

/// A general journal entry.
#[derive(Debug, Clone)]
pub struct JournalEntry {
    pub core: TxnCore,
    pub txn_date: chrono::NaiveDate,
    pub ref_number: Option<String>,
    pub memo: Option<String>,
    pub is_adjustment: bool,
    pub external_guid: Option<String>,
    pub lines: Vec<JournalLine>,
}

/// A deposit line: money taken out of Undeposited Funds.
#[derive(Debug, Clone)]
pub struct DepositLine {
    pub txn_line_id: String,
    /// The payment's or journal entry's TxnID.
    pub payment_txn_id: String,
    pub payment_txn_line_id: Option<String>,
    pub txn_type: &'static str,
    pub amount: Decimal,
}

/// A deposit.
#[derive(Debug, Clone)]
pub struct Deposit {
    pub core: TxnCore,
    pub txn_date: chrono::NaiveDate,
    /// The bank account's ListID.
    pub deposit_to: String,
    pub memo: Option<String>,
    pub external_guid: Option<String>,
    pub lines: Vec<DepositLine>,
}

impl Deposit {
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

/// A journal entry as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalView {
    pub txn_id: String,
    pub txn_date: chrono::NaiveDate,
    pub ref_number: Option<String>,
    pub memo: Option<String>,
    pub external_guid: Option<String>,
    /// (debit?, account full name, amount, customer full name)
    pub lines: Vec<(bool, String, Decimal, Option<String>)>,
}

/// A deposit as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositView {
    pub txn_id: String,
    pub txn_date: chrono::NaiveDate,
    pub account: String,
    pub total: Decimal,
    pub external_guid: Option<String>,
    /// (TxnID, TxnLineID) of the money each line took.
    pub sources: Vec<(String, Option<String>)>,
}

fn account_type(c: &Company, id: &str) -> &'static str {
    c.accounts
        .iter()
        .find(|a| a.core.list_id == id)
        .map_or("", |a| a.account_type)
}

fn account_name(c: &Company, id: &str) -> String {
    c.accounts
        .iter()
        .find(|a| a.core.list_id == id)
        .map(|a| a.name.clone())
        .unwrap_or_default()
}

/// JournalEntryAdd.
pub(crate) fn journal_entry_add(c: &mut Company, rq: &Element) -> Handled {
    let body = rq
        .first("JournalEntryAdd")
        .ok_or_else(|| malformed(rq, "<JournalEntryAdd>"))?;
    let mut lines = Vec::new();
    for line in &body.children {
        let debit = match line.name.as_str() {
            "JournalDebitLine" => true,
            "JournalCreditLine" => false,
            _ => continue,
        };
        let account_ref = line
            .first("AccountRef")
            .ok_or_else(|| malformed(rq, "<AccountRef> in a journal line"))?;
        let Some(account) = c.resolve_account(account_ref) else {
            return Ok(Answer::status(Status::bad_reference(
                "Account",
                &ref_parts(account_ref).2,
                "JournalEntry",
            )));
        };
        let amount = decimal_of(rq, line, "Amount")?.unwrap_or(Decimal::ZERO);
        if amount < Decimal::ZERO || !amount_fits(amount) {
            return Ok(Answer::status(Status::invalid_field(
                "Amount",
                &amount.to_string(),
                "Journal amounts are entered without a sign; the line says debit or credit.",
            )));
        }
        let entity = match line.first("EntityRef") {
            Some(r) => match c.resolve_customer(r) {
                Some(id) => Some(id),
                None => {
                    return Ok(Answer::status(Status::bad_reference(
                        "Entity",
                        &ref_parts(r).2,
                        "JournalEntry",
                    )))
                }
            },
            None => None,
        };
        if account_type(c, &account) == "AccountsReceivable" && entity.is_none() {
            return Ok(Answer::status(Status::invalid_field(
                "EntityRef",
                "",
                "You must specify a customer in the Name column for a line that uses an Accounts Receivable account.",
            )));
        }
        lines.push(JournalLine {
            txn_line_id: String::new(),
            debit,
            account,
            amount: round_cents(amount),
            memo: line.text_of("Memo").map(str::to_string),
            entity,
        });
    }
    let debits: Decimal = lines.iter().filter(|l| l.debit).map(|l| l.amount).sum();
    let credits: Decimal = lines.iter().filter(|l| !l.debit).map(|l| l.amount).sum();
    if lines.is_empty() || debits != credits {
        return Ok(Answer::status(Status::invalid_field(
            "JournalCreditLine",
            &format_amount(credits),
            "Transaction not in balance.",
        )));
    }
    let txn_date = date_of(rq, body, "TxnDate")?.unwrap_or_else(|| c.now().date_naive());
    let core = c.new_txn_core();
    for l in &mut lines {
        l.txn_line_id = c.new_txn_id();
    }
    let id = core.txn_id.clone();
    c.journal_entries.push(JournalEntry {
        core,
        txn_date,
        ref_number: body.text_of("RefNumber").map(str::to_string),
        memo: body.text_of("Memo").map(str::to_string),
        is_adjustment: super::bool_of(body, "IsAdjustment").unwrap_or(false),
        external_guid: body.text_of("ExternalGUID").map(str::to_string),
        lines,
    });
    Ok(Answer::ok(super::query::restrict(
        journal_ret(c, &id, true),
        rq,
    )))
}

/// JournalEntryRet in qbXML 13.0 order.
pub(crate) fn journal_ret(c: &Company, id: &str, include_lines: bool) -> Element {
    let mut out = Element::new("JournalEntryRet");
    let Some(je) = c.journal_entries.iter().find(|j| j.core.txn_id == id) else {
        return out;
    };
    super::txns::push_txn_core(&mut out, &je.core);
    out.push_leaf("TxnDate", je.txn_date.format("%Y-%m-%d").to_string());
    out.push_opt("RefNumber", je.ref_number.as_deref());
    out.push_opt("Memo", je.memo.as_deref());
    out.push_leaf(
        "IsAdjustment",
        if je.is_adjustment { "true" } else { "false" },
    );
    out.push_opt("ExternalGUID", je.external_guid.as_deref());
    if include_lines {
        for l in &je.lines {
            let mut line = Element::new(if l.debit {
                "JournalDebitLine"
            } else {
                "JournalCreditLine"
            });
            line.push_leaf("TxnLineID", l.txn_line_id.clone());
            line.push(c.account_ref("AccountRef", &l.account));
            line.push_leaf("Amount", format_amount(l.amount));
            line.push_opt("Memo", l.memo.as_deref());
            if let Some(e) = &l.entity {
                line.push(c.customer_ref("EntityRef", e));
            }
            out.push(line);
        }
    }
    out
}

/// Where money waiting in Undeposited Funds can be found: (amount, TxnType).
fn undeposited_source(
    c: &Company,
    txn_id: &str,
    line_id: Option<&str>,
) -> Option<(Decimal, &'static str)> {
    let uf = c.special_account("UndepositedFunds")?;
    if let Some(p) = c.payments.iter().find(|p| p.core.txn_id == txn_id) {
        return (p.deposit_to == uf && line_id.is_none()).then_some((p.total, "ReceivePayment"));
    }
    let je = c.journal_entries.iter().find(|j| j.core.txn_id == txn_id)?;
    let line = je
        .lines
        .iter()
        .find(|l| l.debit && l.account == uf && line_id.is_none_or(|id| id == l.txn_line_id))?;
    Some((line.amount, "JournalEntry"))
}

fn already_deposited(c: &Company, txn_id: &str, line_id: Option<&str>) -> bool {
    c.deposits.iter().flat_map(|d| &d.lines).any(|l| {
        l.payment_txn_id == txn_id
            && (line_id.is_none() || l.payment_txn_line_id.as_deref() == line_id)
    })
}

/// DepositAdd.
pub(crate) fn deposit_add(c: &mut Company, rq: &Element) -> Handled {
    let body = rq
        .first("DepositAdd")
        .ok_or_else(|| malformed(rq, "<DepositAdd>"))?;
    let to_ref = body
        .first("DepositToAccountRef")
        .ok_or_else(|| malformed(rq, "<DepositToAccountRef>"))?;
    let Some(deposit_to) = c.resolve_account(to_ref) else {
        return Ok(Answer::status(Status::bad_reference(
            "Account",
            &ref_parts(to_ref).2,
            "Deposit",
        )));
    };
    if account_type(c, &deposit_to) != "Bank" {
        return Ok(Answer::status(Status::invalid_field(
            "DepositToAccountRef",
            &account_name(c, &deposit_to),
            "A deposit goes to a bank account.",
        )));
    }
    let mut lines: Vec<DepositLine> = Vec::new();
    for l in body.all("DepositLineAdd") {
        let Some(txn_id) = l.text_of("PaymentTxnID").map(|t| t.trim().to_string()) else {
            return Ok(Answer::status(Status::unsupported(
                "DepositLineAdd without PaymentTxnID",
            )));
        };
        let line_id = l.text_of("PaymentTxnLineID").map(|t| t.trim().to_string());
        let Some((amount, txn_type)) = undeposited_source(c, &txn_id, line_id.as_deref()) else {
            return Ok(Answer::status(Status::object_not_found(&txn_id)));
        };
        let twice = lines
            .iter()
            .any(|x| x.payment_txn_id == txn_id && x.payment_txn_line_id == line_id);
        if twice || already_deposited(c, &txn_id, line_id.as_deref()) {
            return Ok(Answer::status(Status::invalid_field(
                "PaymentTxnID",
                &txn_id,
                "This payment has already been deposited.",
            )));
        }
        lines.push(DepositLine {
            txn_line_id: String::new(),
            payment_txn_id: txn_id,
            payment_txn_line_id: line_id,
            txn_type,
            amount,
        });
    }
    if lines.is_empty() {
        return Ok(Answer::status(Status::invalid_field(
            "DepositLineAdd",
            "",
            "A deposit needs at least one payment.",
        )));
    }
    let txn_date = date_of(rq, body, "TxnDate")?.unwrap_or_else(|| c.now().date_naive());
    let core = c.new_txn_core();
    for l in &mut lines {
        l.txn_line_id = c.new_txn_id();
    }
    let id = core.txn_id.clone();
    c.deposits.push(Deposit {
        core,
        txn_date,
        deposit_to,
        memo: body.text_of("Memo").map(str::to_string),
        external_guid: body.text_of("ExternalGUID").map(str::to_string),
        lines,
    });
    Ok(Answer::ok(super::query::restrict(
        deposit_ret(c, &id, true),
        rq,
    )))
}

/// DepositRet in qbXML 13.0 order.
pub(crate) fn deposit_ret(c: &Company, id: &str, include_lines: bool) -> Element {
    let mut out = Element::new("DepositRet");
    let Some(d) = c.deposits.iter().find(|d| d.core.txn_id == id) else {
        return out;
    };
    super::txns::push_txn_core(&mut out, &d.core);
    out.push_leaf("TxnDate", d.txn_date.format("%Y-%m-%d").to_string());
    out.push(c.account_ref("DepositToAccountRef", &d.deposit_to));
    out.push_opt("Memo", d.memo.as_deref());
    out.push_leaf("DepositTotal", format_amount(d.total()));
    out.push_opt("ExternalGUID", d.external_guid.as_deref());
    if include_lines {
        let uf = c.special_account("UndepositedFunds").unwrap_or_default();
        for l in &d.lines {
            let mut line = Element::new("DepositLineRet");
            line.push_leaf("TxnType", l.txn_type);
            line.push_leaf("TxnID", l.payment_txn_id.clone());
            line.push_leaf("TxnLineID", l.txn_line_id.clone());
            line.push_opt("PaymentTxnLineID", l.payment_txn_line_id.as_deref());
            line.push(c.account_ref("AccountRef", &uf));
            line.push_leaf("Amount", format_amount(l.amount));
            out.push(line);
        }
    }
    out
}

impl Company {
    // ------------------------------------------------------ test API: journals, deposits

    /// An active income account (`AccountType` Income) named `name`; its ListID.
    pub fn add_income_account(&mut self, name: &str) -> String {
        self.add_account(name, "Income", None).unwrap_or_default()
    }

    /// Makes `account` the income account of the item `item` (both by full name).
    pub fn set_item_income_account(&mut self, item: &str, account: &str) -> bool {
        let Some(account) = self
            .accounts
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(account))
            .map(|a| a.core.list_id.clone())
        else {
            return false;
        };
        let Some(id) = self.item_id_by_full_name(item) else {
            return false;
        };
        let now = self.now();
        match self.items.iter_mut().find(|i| i.core.list_id == id) {
            Some(i) => {
                i.account = Some(account);
                i.core.modified = now;
                true
            }
            None => false,
        }
    }

    pub fn journal_entry_count(&self) -> usize {
        self.journal_entries.len()
    }

    pub fn journal_entries(&self) -> Vec<JournalView> {
        self.journal_entries
            .iter()
            .map(|j| JournalView {
                txn_id: j.core.txn_id.clone(),
                txn_date: j.txn_date,
                ref_number: j.ref_number.clone(),
                memo: j.memo.clone(),
                external_guid: j.external_guid.clone(),
                lines: j
                    .lines
                    .iter()
                    .map(|l| {
                        (
                            l.debit,
                            account_name(self, &l.account),
                            l.amount,
                            l.entity.as_ref().map(|e| self.customer_full_name(e)),
                        )
                    })
                    .collect(),
            })
            .collect()
    }

    /// Every account's journal total: credits minus debits, by account name (an income
    /// account's sales are positive, Accounts Receivable's are negative).
    pub fn journal_totals(&self) -> BTreeMap<String, Decimal> {
        let mut out: BTreeMap<String, Decimal> = BTreeMap::new();
        for j in &self.journal_entries {
            for l in &j.lines {
                let sum = out.entry(account_name(self, &l.account)).or_default();
                if l.debit {
                    *sum -= l.amount;
                } else {
                    *sum += l.amount;
                }
            }
        }
        out
    }

    pub fn deposits(&self) -> Vec<DepositView> {
        self.deposits
            .iter()
            .map(|d| DepositView {
                txn_id: d.core.txn_id.clone(),
                txn_date: d.txn_date,
                account: account_name(self, &d.deposit_to),
                total: d.total(),
                external_guid: d.external_guid.clone(),
                sources: d
                    .lines
                    .iter()
                    .map(|l| (l.payment_txn_id.clone(), l.payment_txn_line_id.clone()))
                    .collect(),
            })
            .collect()
    }
}
