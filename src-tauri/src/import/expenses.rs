//! Vendors and expenses in the import format ("Expenses, and income accounts"): checking
//! each record's fields and lines and its references, then saving. Part of the one import
//! path (`validate::check_and_save` calls it), so a file, the local API and the watched
//! folder all take vendors and expenses alike.
//!
//! Accounts (`lines[j].account`, `paid_from`) are not checked here: they name QuickBooks
//! accounts, which the sync's pre-flight looks up (a file imports before QuickBooks was
//! ever read).

use super::validate::{address, count, ids, Fields};
use super::{Doc, ImportSummary, Problems, Rec, Scalar};
use crate::money::Decimal;
use crate::store::expenses::{self, Expense, ExpenseLine};
use crate::store::vendors::{self, Vendor};
use crate::store::StoreError;
use rusqlite::Transaction;
use std::collections::HashSet;

/// The vendors and expenses of a file that passed their checks.
#[derive(Default)]
pub(super) struct Checked {
    vendors: Vec<Vendor>,
    expenses: Vec<Expense>,
}

fn vendor(rec: &Rec, p: &mut Problems) -> Option<Vendor> {
    let mut f = Fields::of_rec(rec);
    let id = f.required(p, "id");
    let name = f.required(p, "name");
    let v = Vendor {
        id: id?,
        name: name?,
        company_name: f.optional("company_name"),
        email: f.optional("email"),
        phone: f.optional("phone"),
        address: address(&f, "address"),
        active: f.flag("active").unwrap_or(true),
    };
    f.ok.then_some(v)
}

fn expense_lines(rec: &Rec, p: &mut Problems) -> Option<Vec<ExpenseLine>> {
    if !rec.has_lines {
        p.at(&rec.loc, "lines is missing");
        return None;
    }
    if rec.lines.is_empty() {
        p.at(&rec.loc, "lines is empty (at least one line is needed)");
        return None;
    }
    let mut out = Vec::with_capacity(rec.lines.len());
    let mut ok = true;
    for l in &rec.lines {
        let mut f = Fields::of_line(l);
        let account = f.required(p, "account");
        let amount = f.required_decimal(p, "amount");
        let line = ExpenseLine {
            account: account.unwrap_or_default(),
            description: f.optional("description"),
            amount: amount.unwrap_or_default(),
            billable: f.flag("billable").unwrap_or(false),
        };
        if f.ok {
            out.push(line);
        } else {
            ok = false;
        }
    }
    ok.then_some(out)
}

fn expense(rec: &Rec, p: &mut Problems) -> Option<Expense> {
    let mut f = Fields::of_rec(rec);
    let id = f.required(p, "id");
    let vendor_id = f.required(p, "vendor_id");
    let date = f.required_date(p, "date");
    let due_date = f.optional_date(p, "due_date");
    let paid = f.flag("paid").unwrap_or(false);
    let paid_from = f.optional("paid_from");
    if paid && paid_from.is_none() && !f.bad("paid_from") {
        f.problem(
            p,
            "paid_from is missing: a paid expense names the bank or credit-card account it was \
             paid from (full name or account number)"
                .into(),
        );
    }
    if !paid {
        if let Some(from) = &paid_from {
            f.problem(
                p,
                format!(
                    "paid_from \"{from}\" is given but paid is false (an unpaid expense becomes \
                     a bill; set paid to true for a check or a credit-card charge)"
                ),
            );
        }
    }
    let customer_id = f.optional("customer_id");
    let project_id = f.optional("project_id");
    let lines = expense_lines(rec, p);
    if let Some(lines) = &lines {
        if customer_id.is_none() && project_id.is_none() {
            if let Some(j) = lines.iter().position(|l| l.billable) {
                f.problem(
                    p,
                    format!(
                        "lines[{j}].billable is true but the expense has no customer_id or \
                         project_id to bill it to"
                    ),
                );
            }
        }
        let total: Decimal = lines.iter().map(|l| l.amount).sum();
        if total <= Decimal::ZERO {
            f.problem(
                p,
                format!("lines add up to {total}: an expense must come to more than zero"),
            );
        }
    }
    let e = Expense {
        id: id?,
        vendor_id: vendor_id?,
        date: date?,
        number: f.optional("number"),
        memo: f.optional("memo"),
        customer_id,
        project_id,
        paid,
        paid_from: if paid { paid_from } else { None },
        due_date,
        void: f.flag("void").unwrap_or(false),
        lines: lines?,
    };
    f.ok.then_some(e)
}

/// Checks every vendor and expense of `doc`, and the references of every expense (also one
/// with other problems, so that a file is reported whole): its vendor, customer and job.
/// `known_customer`, `known_project` and `project_owner` see the file and the store.
pub(super) fn check(
    tx: &Transaction<'_>,
    doc: &Doc,
    p: &mut Problems,
    known_customer: &dyn Fn(&str) -> Result<bool, StoreError>,
    known_project: &dyn Fn(&str) -> Result<bool, StoreError>,
    project_owner: &dyn Fn(&str) -> Result<Option<String>, StoreError>,
) -> Result<Checked, StoreError> {
    let vendor_ids: HashSet<String> = ids(&doc.vendors, p);
    let _ = ids(&doc.expenses, p);
    let vendors: Vec<Vendor> = doc.vendors.iter().filter_map(|r| vendor(r, p)).collect();
    let expenses: Vec<Expense> = doc.expenses.iter().filter_map(|r| expense(r, p)).collect();
    let raw = |rec: &Rec, field: &str| -> Option<String> {
        match rec.fields.get(field) {
            Some(Scalar::Text(t)) if !t.trim().is_empty() => Some(t.clone()),
            _ => None,
        }
    };
    for rec in &doc.expenses {
        if let Some(vendor_id) = raw(rec, "vendor_id") {
            if !vendor_ids.contains(&vendor_id) && !vendors::exists(tx, &vendor_id)? {
                p.at(
                    &rec.loc,
                    format!("vendor_id \"{vendor_id}\" is not a known vendor"),
                );
            }
        }
        let customer_id = raw(rec, "customer_id");
        if let Some(cid) = &customer_id {
            if !known_customer(cid)? {
                p.at(
                    &rec.loc,
                    format!("customer_id \"{cid}\" is not a known customer"),
                );
            }
        }
        if let Some(pid) = raw(rec, "project_id") {
            if !known_project(&pid)? {
                p.at(
                    &rec.loc,
                    format!("project_id \"{pid}\" is not a known project"),
                );
            } else if let (Some(owner), Some(cid)) = (project_owner(&pid)?, &customer_id) {
                if &owner != cid {
                    p.at(
                        &rec.loc,
                        format!(
                            "project_id \"{pid}\" belongs to customer \"{owner}\", not to \
                             customer_id \"{cid}\""
                        ),
                    );
                }
            }
        }
    }
    Ok(Checked { vendors, expenses })
}

/// Saves what [`check`] accepted (vendors before the expenses that name them). Called only
/// when the whole file is clean, after customers and projects are saved.
pub(super) fn save(
    tx: &Transaction<'_>,
    checked: &Checked,
    summary: &mut ImportSummary,
) -> Result<(), StoreError> {
    for v in &checked.vendors {
        count(&mut summary.vendors, vendors::save(tx, v)?);
    }
    for e in &checked.expenses {
        count(&mut summary.expenses, expenses::save(tx, e)?);
    }
    Ok(())
}
