//! Summary mode (`mode summary`): instead of one InvoiceAdd per invoice and one
//! ReceivePaymentAdd per payment, one JournalEntryAdd per period (`summary-period`, a day by
//! default) for the invoices and one for the payments. Owns what such an entry says, which
//! records it carries, and what QuickBooks' answer (or its loss) does to them.
//!
//! # What an entry posts (all amounts exact decimals, each line rounded to the cent first)
//!
//! Invoices of one period:
//! - **credit** each income account with the sum of the invoice lines carrying it: the
//!   line's own `account` (import-format.md), else the income account of the line's item
//!   (the line's `item`, or the mapped service or project item);
//! - **credit** Sales Tax Payable with the invoices' sales tax (the app's `expected_tax`, or
//!   the mapped sales tax item's rate on the taxable lines, rounded per invoice as
//!   QuickBooks does);
//! - **debit** Accounts Receivable with the whole, under the customer chosen in
//!   `summary-customer` (QuickBooks wants a name on every A/R line).
//!
//! Payments of one period: **debit** Undeposited Funds, **credit** Accounts Receivable
//! under the same customer. `deposit-account` then takes Undeposited Funds to the bank
//! (`push::deposit`). A net negative account (a credit line larger than the sales) goes to
//! the other side, so no amount is ever negative (Intuit: "DO NOT supply negative sign").
//!
//! # Exactly once per period
//!
//! Each entry is a row of `store::journal` with a stable ExternalGUID, written with its
//! members in the transaction that records the batch in flight. A period with a live entry
//! is never posted again: records arriving later for it go into an adjusting entry (the next
//! adjusting number, RefNumber `FB261004I1`, memo "adjusting entry"), never into a second
//! copy. When the answer is lost, the next session's pull reads QuickBooks' journal entries
//! and [`resolve_lost`] looks the entry up by its ExternalGUID: found, its records are
//! synced; not found, the entry is dropped and its records are summarized afresh.
//!
//! `IsAdjustment` is not set: it marks an accountant's adjusting entry, which only some
//! QuickBooks editions show; "adjusting" here is only FieldBridge's word for a late entry.

use super::context::Context;
use super::kind::{before_start, Hold};
use super::parents;
use super::{label, park};
use crate::money::{round_cents, Decimal};
use crate::qbxml::{JournalEntryAdd, JournalLine, JournalSide, ListRef, Request, Response};
use crate::store::accounting::{self, Period};
use crate::store::accounts::{self, AccountType};
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::deposits::{self, Source};
use crate::store::journal::{self, What};
use crate::store::mappings::ItemRole;
use crate::store::outbox::{self, OutboxEntry, Problem};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::sessions::{self, OwnedHistory};
use crate::store::{invoices, payments, qb_mirror, StoreError};
use crate::sync::batch::{self, JournalPlan, Planned, PreparedBatch};
use crate::sync::problems::{self, code};
use crate::sync::session::{Phase, Session};
use crate::sync::status::{self, capitalise, Verdict};
use chrono::NaiveDate;
use rusqlite::Transaction;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// How many records one planning pass reads: a month of a busy business (10,000 invoices)
/// is summarized in one pass, so in one message set of at most 31 entries.
const SUMMARY_SCAN_MAX: usize = 50_000;

/// At most this many entries in one message set (a month of days is 31).
pub const ENTRIES_PER_BATCH: usize = 62;

/// Names QuickBooks gives its own accounts in a new company file (US editions).
const UNDEPOSITED_FUNDS: &str = "Undeposited Funds";
const SALES_TAX_PAYABLE: &str = "Sales Tax Payable";

/// The accounts and the customer every entry posts to, checked once per planning pass.
struct Postings {
    receivable: ListRef,
    customer: ListRef,
    undeposited: Option<ListRef>,
    sales_tax: Option<ListRef>,
    /// Income accounts looked up this pass: what a line or item names → the account's full
    /// name, or `None` when it is not an active Income / Other Income account.
    income: RefCell<HashMap<String, Option<String>>>,
}

impl Postings {
    /// The income account a line or item names, by full name or account number
    /// (`store::accounts`, the one lookup expenses use too); `None` when QuickBooks has no
    /// active Income or Other Income account by that name or number.
    fn income(&self, tx: &Transaction<'_>, reference: &str) -> Result<Option<String>, StoreError> {
        let key = reference.trim().to_lowercase();
        if let Some(hit) = self.income.borrow().get(&key) {
            return Ok(hit.clone());
        }
        let found = accounts::by_name_or_number(tx, reference)?
            .filter(|a| {
                a.is_active
                    && matches!(
                        a.account_type,
                        Some(AccountType::Income | AccountType::OtherIncome)
                    )
            })
            .map(|a| a.full_name);
        self.income.borrow_mut().insert(key, found.clone());
        Ok(found)
    }
}

/// One record's share of an entry.
struct Member {
    record: RecordRef,
    date: NaiveDate,
    /// Income account full name → amount (invoices; empty for payments).
    income: Vec<(String, Decimal)>,
    tax: Decimal,
    total: Decimal,
}

/// The next summarized batch of `what`, or `None` when nothing of it can be sent now.
pub(super) fn next_batch(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    what: What,
) -> Result<Option<PreparedBatch>, StoreError> {
    let sales_tax = s.company.sales_tax;
    let kind = what.record_kind();
    let candidates: Vec<OutboxEntry> = outbox::next_pending(tx, kind, SUMMARY_SCAN_MAX)?
        .into_iter()
        .filter(|e| !s.skipped.contains(&e.record))
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let postings = match postings(tx, ctx, what, sales_tax)? {
        Ok(postings) => postings,
        Err(problem) => {
            for e in &candidates {
                let words = label(tx, &e.record)?;
                let mut mine = problem.clone();
                mine.text = format!(
                    "{} cannot be summarized: {}",
                    capitalise(&words),
                    problem.text
                );
                park(tx, s, &e.record, mine)?;
            }
            return Ok(None);
        }
    };
    ctx.load_candidates(tx, kind, &candidates)?;
    let period = accounting::summary_period(tx)?;
    let mut groups: BTreeMap<NaiveDate, Vec<Member>> = BTreeMap::new();
    for entry in &candidates {
        let prepared = match what {
            What::Invoices => invoice_member(tx, ctx, sales_tax, &postings, entry),
            What::Payments => payment_member(tx, ctx, entry),
        };
        match prepared {
            Ok(m) => groups.entry(period.start(m.date)).or_default().push(m),
            Err(Hold::Settled) => {}
            Err(Hold::Wait) => {
                s.skipped.insert(entry.record.clone());
            }
            Err(Hold::Park(problem)) => park(tx, s, &entry.record, problem)?,
            Err(Hold::ParentBlocked(blocked)) => {
                let parent_label = label(tx, &blocked.parent)?;
                let problem =
                    problems::waiting_on_parent(&blocked.label, &parent_label, blocked.problem);
                park(tx, s, &entry.record, problem)?;
            }
            Err(Hold::Store(e)) => return Err(e),
        }
    }
    if groups.is_empty() {
        return Ok(None);
    }
    s.current_phase = match what {
        What::Invoices => Phase::Invoices,
        What::Payments => Phase::Payments,
    };
    let mut requests = Vec::new();
    let mut sending = Vec::new();
    let mut rows = Vec::new();
    for (start, members) in groups.into_iter().take(ENTRIES_PER_BATCH) {
        let adjusting = journal::next_adjusting(tx, what, period, start)?;
        let request_id = batch::push_request_id(requests.len() + 1);
        let (request, plan) = build(what, period, start, adjusting, &postings, &members);
        let request = request.with_request_id(request_id.clone());
        let broken = request.check();
        if !broken.is_empty() {
            let why = broken
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            for m in &members {
                let problem = problems::ours(
                    code::QUICKBOOKS_LIMIT,
                    format!(
                        "{} cannot be summarized: {} breaks a QuickBooks rule ({why}).",
                        capitalise(&label(tx, &m.record)?),
                        plan.label
                    ),
                    "Correct the amounts in your field-service app and import it again.",
                );
                park(tx, s, &m.record, problem)?;
            }
            continue;
        }
        for m in &members {
            sending.push((m.record.clone(), request_id.clone()));
        }
        rows.push((request_id, plan, members, adjusting, start));
        requests.push(request);
    }
    if requests.is_empty() {
        return Ok(None);
    }
    let msgs = batch::message_set(requests);
    let xml = msgs.to_xml().map_err(|e| StoreError::Corrupt {
        place: "a journal entry FieldBridge built",
        value: e.to_string(),
        expected: "an entry that passed its pre-flight checks",
    })?;
    let mut prepared = batch::record(tx, s.id, &msgs, xml, HashMap::new(), &sending)?;
    for (request_id, mut plan, members, adjusting, start) in rows {
        let shares: Vec<(RecordRef, Decimal)> = members
            .iter()
            .map(|m| (m.record.clone(), m.total))
            .collect();
        let Some(Request::JournalEntryAdd(je)) =
            msgs.requests.iter().find(|r| r.request_id() == request_id)
        else {
            continue;
        };
        let guid = je
            .external_guid
            .map(crate::qbxml::format_guid)
            .unwrap_or_default();
        plan.entry_id = journal::insert(
            tx,
            &journal::NewEntry {
                what,
                period,
                period_start: start,
                adjusting,
                guid: &guid,
                ref_number: je.ref_number.as_deref().unwrap_or_default(),
                total: plan.total,
                batch_id: prepared.batch_id,
                members: &shares,
            },
        )?;
        prepared.requests.insert(request_id, Planned::Journal(plan));
    }
    Ok(Some(prepared))
}

/// The accounts and customer every entry of `what` needs, or the problem that stops them all.
fn postings(
    tx: &Transaction<'_>,
    ctx: &Context,
    what: What,
    sales_tax: bool,
) -> Result<Result<Postings, Problem>, StoreError> {
    let missing_account = |text: String, advice: &str| {
        Err(problems::ours(
            code::MISSING_ACCOUNT,
            text,
            advice.to_owned(),
        ))
    };
    let receivable = qb_mirror::accounts_of_types(tx, &["AccountsReceivable"])?;
    let Some((_, receivable, _)) = receivable
        .iter()
        .find(|(_, n, _)| n.eq_ignore_ascii_case("Accounts Receivable"))
        .or(receivable.first())
        .cloned()
    else {
        return Ok(missing_account(
            "QuickBooks has no active Accounts Receivable account to post the summary to.".into(),
            "Make the Accounts Receivable account active in QuickBooks (Lists > Chart of Accounts), then run the sync again.",
        ));
    };
    let Some(customer_name) = accounting::summary_customer(tx)? else {
        return Ok(missing_account(
            "no summary customer is chosen: QuickBooks wants a customer on the Accounts Receivable line of every summarized entry.".into(),
            "Choose the QuickBooks customer summarized sales are posted to: fieldbridge settings set summary-customer \"NAME\" (or on the Items page).",
        ));
    };
    let customer = qb_mirror::customers(tx)?
        .into_iter()
        .find(|c| c.full_name.eq_ignore_ascii_case(&customer_name));
    let customer = match customer {
        Some(c) if c.is_active => ListRef::list_id(c.list_id),
        _ => {
            return Ok(missing_account(
                format!("QuickBooks has no active customer named \"{customer_name}\" to post the summary to."),
                "Add that customer in QuickBooks (Customers > Customer Center > New Customer), or choose another with fieldbridge settings set summary-customer \"NAME\".",
            ));
        }
    };
    let known = accounts::all(tx)?;
    // QuickBooks' own accounts by their special type (whatever the office renamed them to),
    // else by the name QuickBooks gives them in a new company file.
    let named = |name: &str| -> Result<Option<ListRef>, StoreError> {
        let special = match name {
            UNDEPOSITED_FUNDS => Some("UndepositedFunds"),
            SALES_TAX_PAYABLE => Some("SalesTaxPayable"),
            _ => None,
        };
        let by_special = special.and_then(|sp| {
            known
                .iter()
                .find(|a| a.is_active && a.special_account_type.as_deref() == Some(sp))
        });
        if let Some(a) = by_special {
            return Ok(Some(ListRef::full_name(a.full_name.clone())));
        }
        Ok(qb_mirror::account_by_name(tx, name)?
            .filter(|a| a.is_active)
            .map(|a| ListRef::full_name(a.name)))
    };
    let undeposited = match what {
        What::Payments => match named(UNDEPOSITED_FUNDS)? {
            Some(a) => Some(a),
            None => {
                return Ok(missing_account(
                    format!("QuickBooks has no active \"{UNDEPOSITED_FUNDS}\" account to receive the payments in."),
                    "Make Undeposited Funds active in QuickBooks (Lists > Chart of Accounts), then run the sync again.",
                ))
            }
        },
        What::Invoices => None,
    };
    if what == What::Payments {
        if let Some(bank) = &ctx.deposit_account {
            if named(bank)?.is_none() {
                return Ok(missing_account(
                    format!("QuickBooks has no active account named \"{bank}\" to deposit the payments to."),
                    "Choose where payments are deposited on the Items page.",
                ));
            }
        }
    }
    let sales_tax = match (what, sales_tax) {
        (What::Invoices, true) => match named(SALES_TAX_PAYABLE)? {
            Some(a) => Some(a),
            None => {
                return Ok(missing_account(
                    format!("QuickBooks has no active \"{SALES_TAX_PAYABLE}\" account for the sales tax."),
                    "Turn sales tax on in QuickBooks (Edit > Preferences > Sales Tax), which creates it, then run the sync again.",
                ))
            }
        },
        _ => None,
    };
    Ok(Ok(Postings {
        receivable: ListRef::full_name(receivable),
        customer,
        undeposited,
        sales_tax,
        income: RefCell::new(HashMap::new()),
    }))
}

fn invoice_label(i: &invoices::Invoice) -> String {
    format!("invoice {} ({})", i.number, i.id)
}

/// An invoice's share: its lines by income account and its sales tax.
fn invoice_member(
    tx: &Transaction<'_>,
    ctx: &Context,
    sales_tax: bool,
    postings: &Postings,
    entry: &OutboxEntry,
) -> Result<Member, Hold> {
    let Some(stored) = ctx.take_invoice(tx, &entry.record.id)? else {
        return Err(Hold::Wait);
    };
    let inv = &stored.invoice;
    let label = invoice_label(inv);
    if entry.qb_id.is_some() {
        return Err(Hold::Park(problems::ours(
            code::CHANGED_AFTER_SYNC,
            format!(
                "{} changed in your field-service app after it was summarized into a journal entry in QuickBooks.",
                capitalise(&label)
            ),
            "Correct the summary in QuickBooks with a journal entry of your own, then choose Skip here.",
        )));
    }
    if inv.void {
        return Err(Hold::Park(problems::ours(
            code::VOID,
            format!(
                "{} is void in your field-service app, so FieldBridge does not summarize it.",
                capitalise(&label)
            ),
            "Nothing to do.",
        )));
    }
    before_start(ctx, &label, inv.date)?;
    let role = if inv.project_id.is_some() {
        ItemRole::ProjectItem
    } else {
        ItemRole::ServiceItem
    };
    let default_item = ctx.mappings.get(&role).cloned().flatten();
    let taxable_customer = ctx.taxable(tx, &inv.customer_id)?;
    let mut income: Vec<(String, Decimal)> = Vec::new();
    let mut taxable_sum = Decimal::ZERO;
    for (n, line) in inv.lines.iter().enumerate() {
        let amount = round_cents(line.total().unwrap_or(Decimal::ZERO));
        let account = match &line.account {
            Some(named) => match postings.income(tx, named)? {
                Some(full) => full,
                None => {
                    return Err(Hold::Park(problems::ours(
                        code::MISSING_ACCOUNT,
                        format!("{} cannot be summarized: line {} names the account \"{named}\", which is not an active income account in QuickBooks.", capitalise(&label), n + 1),
                        "Add the account in QuickBooks (Lists > Chart of Accounts, type Income), or correct the line in your field-service app.",
                    )));
                }
            },
            None => {
                let item_name = line.item.clone().or(default_item.clone());
                let item = match &item_name {
                    Some(name) => ctx.item(tx, name)?,
                    None => None,
                };
                match item.and_then(|i| i.income_account) {
                    // The item's own account, as QuickBooks names it.
                    Some(a) => postings.income(tx, &a)?.unwrap_or(a),
                    None => {
                        return Err(Hold::Park(problems::ours(
                            code::MISSING_ACCOUNT,
                            format!(
                                "{} cannot be summarized: line {} names no income account, and {} has none in QuickBooks.",
                                capitalise(&label),
                                n + 1,
                                item_name.map_or("no item is mapped for it".to_owned(), |i| format!("the item \"{i}\""))
                            ),
                            "Give the line an account in your field-service app, or choose the service item on the Items page (its income account is used).",
                        )));
                    }
                }
            }
        };
        match income.iter_mut().find(|(a, _)| *a == account) {
            Some((_, sum)) => *sum += amount,
            None => income.push((account, amount)),
        }
        if line.taxable.unwrap_or(taxable_customer) {
            taxable_sum += amount;
        }
    }
    let tax = if sales_tax {
        match inv.expected_tax {
            Some(t) => round_cents(t),
            None => round_cents(
                taxable_sum * tax_rate(tx, ctx, inv.project_id.is_some())? / Decimal::ONE_HUNDRED,
            ),
        }
    } else {
        Decimal::ZERO
    };
    let total = income.iter().map(|(_, a)| *a).sum::<Decimal>() + tax;
    Ok(Member {
        record: entry.record.clone(),
        date: inv.date,
        income,
        tax,
        total,
    })
}

/// The mapped sales tax item's rate in percent (0 when none is mapped or it has no rate).
fn tax_rate(tx: &Transaction<'_>, ctx: &Context, project: bool) -> Result<Decimal, StoreError> {
    let role = if project {
        ItemRole::ProjectTaxItem
    } else {
        ItemRole::ServiceTaxItem
    };
    let Some(Some(name)) = ctx.mappings.get(&role) else {
        return Ok(Decimal::ZERO);
    };
    Ok(ctx
        .item(tx, name)?
        .and_then(|i| i.tax_rate)
        .unwrap_or(Decimal::ZERO))
}

/// A payment's share, once its invoice is in a posted entry.
fn payment_member(
    tx: &Transaction<'_>,
    ctx: &Context,
    entry: &OutboxEntry,
) -> Result<Member, Hold> {
    let Some(stored) = payments::get(tx, &entry.record.id)? else {
        return Err(Hold::Wait);
    };
    let pay = &stored.payment;
    let label = format!(
        "payment {} of {} on invoice {}",
        pay.id,
        crate::money::format_amount(pay.amount),
        pay.invoice_id
    );
    if entry.qb_id.is_some() {
        return Err(Hold::Park(problems::ours(
            code::CHANGED_AFTER_SYNC,
            format!("{} changed in your field-service app after it was summarized into a journal entry in QuickBooks.", capitalise(&label)),
            "Correct the summary in QuickBooks with a journal entry of your own, then choose Skip here.",
        )));
    }
    before_start(ctx, &label, pay.date)?;
    parents::ready(
        tx,
        ctx,
        &label,
        &RecordRef::new(RecordKind::Invoice, pay.invoice_id.clone()),
    )?;
    Ok(Member {
        record: entry.record.clone(),
        date: pay.date,
        income: Vec::new(),
        tax: Decimal::ZERO,
        total: round_cents(pay.amount),
    })
}

/// A line on its side: a negative net goes to the other side, a zero is left out.
fn line(
    lines: &mut Vec<JournalLine>,
    side: JournalSide,
    account: &ListRef,
    amount: Decimal,
    entity: Option<&ListRef>,
) {
    if amount.is_zero() {
        return;
    }
    let (side, amount) = if amount < Decimal::ZERO {
        let other = match side {
            JournalSide::Debit => JournalSide::Credit,
            JournalSide::Credit => JournalSide::Debit,
        };
        (other, -amount)
    } else {
        (side, amount)
    };
    lines.push(JournalLine {
        side,
        account: account.clone(),
        amount,
        memo: None,
        entity: entity.cloned(),
    });
}

/// The entry for one period's records, and its plan (its id is given once it is stored).
fn build(
    what: What,
    period: Period,
    start: NaiveDate,
    adjusting: i64,
    postings: &Postings,
    members: &[Member],
) -> (Request, JournalPlan) {
    let date = period.end(start);
    let letter = match what {
        What::Invoices => 'I',
        What::Payments => 'P',
    };
    let base = format!("FB{}{letter}", start.format("%y%m%d"));
    let ref_number = match adjusting {
        0 => base,
        n => {
            let with = format!("{base}{n}");
            if with.chars().count() <= crate::qbxml::JOURNAL_REF_NUMBER_MAX {
                with
            } else {
                base
            }
        }
    };
    let span = match period {
        Period::Day => start.to_string(),
        _ => format!("{start} to {date}"),
    };
    let count = members.len();
    let mut lines = Vec::new();
    let total: Decimal = members.iter().map(|m| m.total).sum();
    let noun = match what {
        What::Invoices => "invoices",
        What::Payments => "payments",
    };
    match what {
        What::Invoices => {
            let mut by_account: BTreeMap<&str, Decimal> = BTreeMap::new();
            for m in members {
                for (account, amount) in &m.income {
                    *by_account.entry(account.as_str()).or_default() += *amount;
                }
            }
            let tax: Decimal = members.iter().map(|m| m.tax).sum();
            line(
                &mut lines,
                JournalSide::Debit,
                &postings.receivable,
                total,
                Some(&postings.customer),
            );
            for (account, amount) in by_account {
                line(
                    &mut lines,
                    JournalSide::Credit,
                    &ListRef::full_name(account),
                    amount,
                    None,
                );
            }
            if let Some(sales_tax) = &postings.sales_tax {
                line(&mut lines, JournalSide::Credit, sales_tax, tax, None);
            }
        }
        What::Payments => {
            if let Some(uf) = &postings.undeposited {
                line(&mut lines, JournalSide::Debit, uf, total, None);
            }
            line(
                &mut lines,
                JournalSide::Credit,
                &postings.receivable,
                total,
                Some(&postings.customer),
            );
        }
    }
    let memo = if adjusting == 0 {
        format!("FieldBridge summary of {count} {noun} of {span}.")
    } else {
        format!("FieldBridge adjusting entry {adjusting} for {span}: {count} {noun} that arrived after the period was posted.")
    };
    let request = JournalEntryAdd {
        request_id: String::new(),
        txn_date: Some(date),
        ref_number: Some(ref_number.clone()),
        memo: Some(memo),
        is_adjustment: false,
        external_guid: Some(uuid::Uuid::new_v4()),
        lines,
        include_ret: &[],
    };
    let debits = request.total(JournalSide::Debit);
    let plan = JournalPlan {
        entry_id: 0,
        what,
        label: format!("journal entry {ref_number} ({count} {noun} of {span})"),
        members: members.iter().map(|m| m.record.clone()).collect(),
        date,
        total: debits,
    };
    (request.into(), plan)
}

/// QuickBooks' answer to one entry: posted (its records synced, its Undeposited Funds line
/// noted for the deposit) or not (its records back to wait, or to a person).
pub fn apply_answer(
    tx: &Transaction<'_>,
    s: &mut Session,
    plan: &JournalPlan,
    response: Option<&Response>,
) -> Result<(), StoreError> {
    let Some(r) = response else {
        journal::drop_entry(tx, plan.entry_id)?;
        for m in &plan.members {
            outbox::requeue(tx, m, None)?;
        }
        return Ok(());
    };
    if let (0, Some(je)) = (r.status_code, r.journal_entries().next()) {
        let uf_line = uf_line_of(je);
        return posted(
            tx,
            s,
            plan,
            &je.txn_id,
            &je.edit_sequence,
            uf_line.as_deref(),
            false,
        );
    }
    journal::drop_entry(tx, plan.entry_id)?;
    let x = status::explain(r.status_code, "Error", &r.status_message, &plan.label);
    let problem =
        problems::from_quickbooks(r.status_code, &r.status_message, x.text.clone(), x.advice);
    let mut history = Vec::new();
    match x.verdict {
        Verdict::RetryLater | Verdict::RereadAndRetry => {
            let first = plan.members.first().cloned();
            let n = first.map_or(0, |f| {
                let n = s.transient.entry(f).or_insert(0);
                *n += 1;
                *n
            });
            for m in &plan.members {
                outbox::requeue(tx, m, Some(&problem))?;
                s.retry_later.insert(m.clone());
                if n >= 2 {
                    s.skipped.insert(m.clone());
                }
                history.push(row(m, HistoryAction::Add, HistoryOutcome::Retry, &problem));
            }
        }
        Verdict::Failed | Verdict::NothingFound => {
            for m in &plan.members {
                outbox::mark_failed(tx, m, &problem)?;
                history.push(row(m, HistoryAction::Add, HistoryOutcome::Failed, &problem));
            }
            s.failed += plan.members.len() as u64;
        }
        Verdict::Apply | Verdict::NameInUse | Verdict::NeedsAttention => {
            for m in &plan.members {
                outbox::mark_needs_attention(tx, m, &problem)?;
                history.push(row(
                    m,
                    HistoryAction::Add,
                    HistoryOutcome::NeedsAttention,
                    &problem,
                ));
            }
            s.needs_attention += plan.members.len() as u64;
        }
    }
    sessions::add_history_rows(tx, Some(s.id), &history)
}

fn row(
    record: &RecordRef,
    action: HistoryAction,
    outcome: HistoryOutcome,
    p: &Problem,
) -> OwnedHistory {
    OwnedHistory {
        record: Some(record.clone()),
        action,
        outcome,
        qb_code: p.code.clone(),
        qb_message: p.message.clone(),
        text: Some(p.text.clone()),
    }
}

/// The TxnLineID of a payments entry's Undeposited Funds debit line: the line on the account
/// of that name, else its only debit line (the account may have been renamed).
fn uf_line_of(je: &crate::qbxml::JournalEntryRet) -> Option<String> {
    let debits: Vec<_> = je.lines.iter().filter(|l| l.is_debit).collect();
    debits
        .iter()
        .find(|l| {
            l.account
                .as_ref()
                .and_then(|a| a.full_name.as_deref())
                .is_some_and(|n| n.eq_ignore_ascii_case(UNDEPOSITED_FUNDS))
        })
        .or(debits.first().filter(|_| debits.len() == 1))
        .and_then(|l| l.txn_line_id.clone())
}

/// QuickBooks has the entry (answered now, or found by its ExternalGUID after a loss).
fn posted(
    tx: &Transaction<'_>,
    s: &mut Session,
    plan: &JournalPlan,
    txn_id: &str,
    edit_sequence: &str,
    uf_line: Option<&str>,
    recovered: bool,
) -> Result<(), StoreError> {
    journal::post(tx, plan.entry_id, txn_id, uf_line)?;
    let synced: Vec<(RecordRef, String, Option<String>)> = plan
        .members
        .iter()
        .map(|m| (m.clone(), txn_id.to_owned(), Some(edit_sequence.to_owned())))
        .collect();
    if recovered {
        for (m, id, es) in &synced {
            outbox::adopt_existing(tx, m, id, es.as_deref())?;
        }
    } else {
        outbox::mark_synced_many(tx, &synced)?;
    }
    if plan.what == What::Payments && accounting_deposits_on(tx)? {
        deposits::note_undeposited(
            tx,
            Source::Journal,
            &plan.entry_id.to_string(),
            plan.date,
            plan.total,
        )?;
    }
    for m in &plan.members {
        s.retry_later.remove(m);
    }
    s.created += plan.members.len() as u64;
    let text = if recovered {
        format!("QuickBooks had already saved {} when the connection was lost; FieldBridge found it by its ExternalGUID and did not send it again.", plan.label)
    } else {
        format!("Summarized in {}, added to QuickBooks.", plan.label)
    };
    let history: Vec<OwnedHistory> = plan
        .members
        .iter()
        .map(|m| OwnedHistory {
            record: Some(m.clone()),
            action: if recovered {
                HistoryAction::Recover
            } else {
                HistoryAction::Add
            },
            outcome: HistoryOutcome::Created,
            qb_code: None,
            qb_message: None,
            text: Some(text.clone()),
        })
        .collect();
    sessions::add_history_rows(tx, Some(s.id), &history)
}

fn accounting_deposits_on(tx: &Transaction<'_>) -> Result<bool, StoreError> {
    Ok(crate::store::settings::deposit_account(tx)?.is_some())
}

/// Settles the entries of a batch whose answer was lost: each is looked up by its
/// ExternalGUID in what this session's pull read (`Session::seen_txns`).
pub fn resolve_lost(
    tx: &Transaction<'_>,
    s: &mut Session,
    batch_id: i64,
) -> Result<(), StoreError> {
    for entry in journal::in_flight_in_batch(tx, batch_id)? {
        let members: Vec<RecordRef> = journal::members(tx, entry.id)?
            .into_iter()
            .filter(|m| {
                outbox::get(tx, m)
                    .ok()
                    .flatten()
                    .is_some_and(|e| e.state == outbox::SyncState::InFlight)
            })
            .collect();
        let plan = JournalPlan {
            entry_id: entry.id,
            what: entry.what,
            label: format!("journal entry {}", entry.ref_number),
            members,
            date: entry.period.end(entry.period_start),
            total: entry.total,
        };
        match s.seen_txns.get(&entry.guid).cloned() {
            Some((txn_id, edit_sequence)) => {
                let uf_line = s.seen_uf_lines.get(&entry.guid).cloned();
                posted(
                    tx,
                    s,
                    &plan,
                    &txn_id,
                    &edit_sequence,
                    uf_line.as_deref(),
                    true,
                )?;
            }
            None => {
                journal::drop_entry(tx, entry.id)?;
                for m in &plan.members {
                    outbox::requeue(tx, m, None)?;
                }
            }
        }
    }
    Ok(())
}

/// What the pull keeps of one of QuickBooks' journal entries: its ExternalGUID's TxnID and
/// its Undeposited Funds line (for [`resolve_lost`]).
pub fn seen(s: &mut Session, je: &crate::qbxml::JournalEntryRet) {
    if let Some(g) = je.external_guid.map(crate::qbxml::format_guid) {
        if let Some(line) = uf_line_of(je) {
            s.seen_uf_lines.insert(g.clone(), line);
        }
        s.seen_txns
            .insert(g, (je.txn_id.clone(), je.edit_sequence.clone()));
    }
}

/// QuickBooks refused the whole request (an HRESULT): the entry never reached it. Its
/// records wait for the next try, or fail when QuickBooks could not even read the request.
/// Returns how many failed.
pub fn refused(
    tx: &Transaction<'_>,
    plan: &JournalPlan,
    hresult: &str,
    message: &str,
    unparsable: bool,
) -> Result<i64, StoreError> {
    journal::drop_entry(tx, plan.entry_id)?;
    let (what, todo) = status::explain_hresult(hresult, message);
    let problem = problems::from_hresult(
        hresult,
        message,
        format!("{what} It happened while sending {}.", plan.label),
        todo,
    );
    for m in &plan.members {
        if unparsable {
            outbox::mark_failed(tx, m, &problem)?;
        } else {
            outbox::requeue(tx, m, Some(&problem))?;
        }
    }
    Ok(if unparsable {
        plan.members.len() as i64
    } else {
        0
    })
}
