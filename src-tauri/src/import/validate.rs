//! Checking parsed records (both formats) and saving them: required fields, dates, exact
//! decimals, lines, duplicate ids, references to records in the same file or already
//! imported. Writes only when the whole file is clean, inside the caller's transaction.

use super::{Doc, ImportSummary, KindSummary, LineRec, Problems, Rec, Scalar};
use crate::money::{parse_decimal, round_cents, Decimal};
use crate::store::customers::{self, Address, Customer};
use crate::store::invoices::{self, Invoice};
use crate::store::payments::{self, Payment};
use crate::store::projects::{self, Project};
use crate::store::records::Line;
use crate::store::tickets::{self, ServiceTicket};
use crate::store::{Saved, StoreError};
use chrono::NaiveDate;
use rusqlite::Transaction;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Reads one record's (or line's) fields, reporting each problem and remembering whether
/// any was found.
pub(super) struct Fields<'a> {
    loc: &'a str,
    prefix: &'a str,
    map: &'a BTreeMap<&'static str, Scalar>,
    pub(super) ok: bool,
}

impl<'a> Fields<'a> {
    pub(super) fn of_rec(rec: &'a Rec) -> Self {
        Fields {
            loc: &rec.loc,
            prefix: "",
            map: &rec.fields,
            ok: true,
        }
    }

    pub(super) fn of_line(line: &'a LineRec) -> Self {
        Fields {
            loc: &line.loc,
            prefix: &line.prefix,
            map: &line.fields,
            ok: true,
        }
    }

    pub(super) fn problem(&mut self, p: &mut Problems, what: String) {
        self.ok = false;
        p.at(self.loc, what);
    }

    pub(super) fn raw(&self, name: &str) -> Option<&'a str> {
        match self.map.get(name) {
            Some(Scalar::Text(t)) => Some(t.as_str()),
            _ => None,
        }
    }

    /// Was the field given with the wrong type (already reported)?
    pub(super) fn bad(&mut self, name: &str) -> bool {
        let bad = matches!(self.map.get(name), Some(Scalar::Bad));
        if bad {
            self.ok = false;
        }
        bad
    }

    /// A required text: missing or blank is a problem.
    pub(super) fn required(&mut self, p: &mut Problems, name: &str) -> Option<String> {
        if self.bad(name) {
            return None;
        }
        match self.raw(name) {
            None => {
                self.problem(p, format!("{}{name} is missing", self.prefix));
                None
            }
            Some(t) if t.trim().is_empty() => {
                self.problem(p, format!("{}{name} is empty", self.prefix));
                None
            }
            Some(t) => Some(t.to_owned()),
        }
    }

    /// An optional text: blank counts as not given.
    pub(super) fn optional(&self, name: &str) -> Option<String> {
        self.raw(name)
            .filter(|t| !t.trim().is_empty())
            .map(str::to_owned)
    }

    pub(super) fn date_from(
        &mut self,
        p: &mut Problems,
        name: &str,
        text: &str,
    ) -> Option<NaiveDate> {
        // YYYY-MM-DD exactly: chrono alone would also take "2026-1-5".
        let shape_ok = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) if shape_ok => Some(d),
            _ => {
                self.problem(
                    p,
                    format!(
                        "{}{name} \"{text}\" is not a date (YYYY-MM-DD)",
                        self.prefix
                    ),
                );
                None
            }
        }
    }

    pub(super) fn required_date(&mut self, p: &mut Problems, name: &str) -> Option<NaiveDate> {
        let text = self.required(p, name)?;
        self.date_from(p, name, &text)
    }

    pub(super) fn optional_date(&mut self, p: &mut Problems, name: &str) -> Option<NaiveDate> {
        if self.bad(name) {
            return None;
        }
        let text = self.optional(name)?;
        self.date_from(p, name, &text)
    }

    pub(super) fn decimal_from(
        &mut self,
        p: &mut Problems,
        name: &str,
        text: &str,
    ) -> Option<Decimal> {
        match parse_decimal(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.problem(p, format!("{}{name} {e}", self.prefix));
                None
            }
        }
    }

    /// Ok(None): not given; Err(()): given but wrong (already reported).
    pub(super) fn optional_decimal(
        &mut self,
        p: &mut Problems,
        name: &str,
    ) -> Result<Option<Decimal>, ()> {
        if self.bad(name) {
            return Err(());
        }
        match self.optional(name) {
            None => Ok(None),
            Some(t) => self.decimal_from(p, name, &t).map(Some).ok_or(()),
        }
    }

    pub(super) fn required_decimal(&mut self, p: &mut Problems, name: &str) -> Option<Decimal> {
        let text = self.required(p, name)?;
        self.decimal_from(p, name, &text)
    }

    pub(super) fn flag(&self, name: &str) -> Option<bool> {
        match self.map.get(name) {
            Some(Scalar::Bool(b)) => Some(*b),
            _ => None,
        }
    }
}

/// The short form of a record's place, for "also ..." in duplicate messages.
fn short(loc: &str) -> &str {
    if let Some(i) = loc.find(" (id ") {
        &loc[..i]
    } else if let Some(i) = loc.rfind(" row ") {
        &loc[i + 1..]
    } else {
        loc
    }
}

/// The id text of every record of a kind (valid or not), reporting duplicates.
pub(super) fn ids(recs: &[Rec], p: &mut Problems) -> HashSet<String> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for rec in recs {
        if let Some(Scalar::Text(id)) = rec.fields.get("id") {
            if id.trim().is_empty() {
                continue;
            }
            match seen.get(id.as_str()) {
                Some(first) => p.at(
                    &rec.loc,
                    format!("id \"{id}\" is used more than once in this file (also {first})"),
                ),
                None => {
                    seen.insert(id.clone(), short(&rec.loc));
                }
            }
        }
    }
    seen.into_keys().collect()
}

pub(super) fn address(f: &Fields<'_>, which: &str) -> Address {
    let get = |k: &str| f.optional(&format!("{which}.{k}"));
    Address {
        line1: get("line1"),
        line2: get("line2"),
        city: get("city"),
        state: get("state"),
        postal_code: get("postal_code"),
        country: get("country"),
    }
}

fn customer(rec: &Rec, p: &mut Problems) -> Option<Customer> {
    let mut f = Fields::of_rec(rec);
    let id = f.required(p, "id");
    let name = f.required(p, "name");
    let c = Customer {
        id: id?,
        name: name?,
        company_name: f.optional("company_name"),
        first_name: f.optional("first_name"),
        last_name: f.optional("last_name"),
        email: f.optional("email"),
        phone: f.optional("phone"),
        billing_address: address(&f, "billing_address"),
        service_address: address(&f, "service_address"),
        taxable: f.flag("taxable").unwrap_or(true),
        active: f.flag("active").unwrap_or(true),
    };
    f.ok.then_some(c)
}

fn project(rec: &Rec, p: &mut Problems) -> Option<Project> {
    let mut f = Fields::of_rec(rec);
    let id = f.required(p, "id");
    let customer_id = f.required(p, "customer_id");
    let name = f.required(p, "name");
    let pr = Project {
        id: id?,
        customer_id: customer_id?,
        name: name?,
        active: f.flag("active").unwrap_or(true),
    };
    f.ok.then_some(pr)
}

fn line(l: &LineRec, p: &mut Problems) -> Option<Line> {
    let mut f = Fields::of_line(l);
    let description = f.required(p, "description");
    let quantity = f.optional_decimal(p, "quantity");
    let rate = f.optional_decimal(p, "rate");
    let amount = f.optional_decimal(p, "amount");
    let (Ok(quantity), Ok(rate), Ok(amount)) = (quantity, rate, amount) else {
        return None;
    };
    match (quantity, rate, amount) {
        (_, _, Some(a)) => {
            if let (Some(q), Some(r)) = (quantity, rate) {
                let product = round_cents(q * r);
                if round_cents(a) != product {
                    f.problem(
                        p,
                        format!(
                            "{}amount \"{a}\" is not quantity × rate ({q} × {r} = {product})",
                            l.prefix
                        ),
                    );
                }
            }
        }
        (Some(_), Some(_), None) => {}
        _ => f.problem(p, format!("{} needs amount, or quantity and rate", l.label)),
    }
    let out = Line {
        description: description?,
        quantity,
        rate,
        amount,
        taxable: f.flag("taxable"),
        item: f.optional("item"),
        account: f.optional("account"),
    };
    f.ok.then_some(out)
}

fn lines(rec: &Rec, p: &mut Problems) -> Option<Vec<Line>> {
    if !rec.has_lines {
        p.at(&rec.loc, "lines is missing");
        return None;
    }
    if rec.lines.is_empty() {
        p.at(&rec.loc, "lines is empty (at least one line is needed)");
        return None;
    }
    let mut ok = true;
    let mut out = Vec::with_capacity(rec.lines.len());
    for l in &rec.lines {
        match line(l, p) {
            Some(l) => out.push(l),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn ticket(rec: &Rec, p: &mut Problems) -> Option<ServiceTicket> {
    let mut f = Fields::of_rec(rec);
    let id = f.required(p, "id");
    let customer_id = f.required(p, "customer_id");
    let number = f.required(p, "number");
    let date = f.required_date(p, "date");
    let lines = lines(rec, p);
    let t = ServiceTicket {
        id: id?,
        customer_id: customer_id?,
        project_id: f.optional("project_id"),
        number: number?,
        date: date?,
        description: f.optional("description"),
        lines: lines?,
    };
    f.ok.then_some(t)
}

fn invoice(rec: &Rec, p: &mut Problems) -> Option<Invoice> {
    let mut f = Fields::of_rec(rec);
    let id = f.required(p, "id");
    let customer_id = f.required(p, "customer_id");
    let number = f.required(p, "number");
    let date = f.required_date(p, "date");
    let due_date = f.optional_date(p, "due_date");
    let expected_tax = f.optional_decimal(p, "expected_tax");
    let lines = lines(rec, p);
    let i = Invoice {
        id: id?,
        customer_id: customer_id?,
        project_id: f.optional("project_id"),
        ticket_id: f.optional("ticket_id"),
        number: number?,
        date: date?,
        due_date,
        memo: f.optional("memo"),
        expected_tax: expected_tax.ok()?,
        void: f.flag("void").unwrap_or(false),
        lines: lines?,
    };
    f.ok.then_some(i)
}

fn payment(rec: &Rec, p: &mut Problems) -> Option<Payment> {
    let mut f = Fields::of_rec(rec);
    let id = f.required(p, "id");
    let invoice_id = f.required(p, "invoice_id");
    let date = f.required_date(p, "date");
    let amount = f.required_decimal(p, "amount");
    if let Some(a) = amount {
        if a <= Decimal::ZERO {
            f.problem(p, format!("amount \"{a}\" must be more than zero"));
        }
    }
    let pay = Payment {
        id: id?,
        invoice_id: invoice_id?,
        date: date?,
        amount: amount?,
        method: f.optional("method"),
        reference: f.optional("reference"),
        reversed: f.flag("reversed").unwrap_or(false),
    };
    f.ok.then_some(pay)
}

/// Checks every record, then (only if the whole file is clean) saves them all. Problems go
/// to `p`; the caller rejects the file when it holds any.
pub(crate) fn check_and_save(
    tx: &Transaction<'_>,
    doc: Doc,
    p: &mut Problems,
) -> Result<ImportSummary, StoreError> {
    let customer_ids = ids(&doc.customers, p);
    let project_ids = ids(&doc.projects, p);
    let ticket_ids = ids(&doc.service_tickets, p);
    let invoice_ids = ids(&doc.invoices, p);
    let _ = ids(&doc.payments, p);

    let customers: Vec<(&Rec, Customer)> = doc
        .customers
        .iter()
        .filter_map(|r| customer(r, p).map(|c| (r, c)))
        .collect();
    let projects: Vec<(&Rec, Project)> = doc
        .projects
        .iter()
        .filter_map(|r| project(r, p).map(|x| (r, x)))
        .collect();
    let tickets: Vec<(&Rec, ServiceTicket)> = doc
        .service_tickets
        .iter()
        .filter_map(|r| ticket(r, p).map(|x| (r, x)))
        .collect();
    let invoices: Vec<(&Rec, Invoice)> = doc
        .invoices
        .iter()
        .filter_map(|r| invoice(r, p).map(|x| (r, x)))
        .collect();
    let payments: Vec<(&Rec, Payment)> = doc
        .payments
        .iter()
        .filter_map(|r| payment(r, p).map(|x| (r, x)))
        .collect();

    // Owners, to check that a project or ticket belongs to the record's customer. The file's
    // version wins over the stored one (it is about to replace it).
    let project_owner = |id: &str| -> Result<Option<String>, StoreError> {
        if let Some((_, pr)) = projects.iter().find(|(_, pr)| pr.id == id) {
            return Ok(Some(pr.customer_id.clone()));
        }
        Ok(projects::get(tx, id)?.map(|s| s.project.customer_id))
    };
    let ticket_owner = |id: &str| -> Result<Option<String>, StoreError> {
        if let Some((_, t)) = tickets.iter().find(|(_, t)| t.id == id) {
            return Ok(Some(t.customer_id.clone()));
        }
        Ok(tickets::get(tx, id)?.map(|s| s.ticket.customer_id))
    };
    let known_customer = |id: &str| -> Result<bool, StoreError> {
        Ok(customer_ids.contains(id) || customers::exists(tx, id)?)
    };
    let known_project = |id: &str| -> Result<bool, StoreError> {
        Ok(project_ids.contains(id) || projects::get(tx, id)?.is_some())
    };
    let known_ticket = |id: &str| -> Result<bool, StoreError> {
        Ok(ticket_ids.contains(id) || tickets::get(tx, id)?.is_some())
    };
    let known_invoice = |id: &str| -> Result<bool, StoreError> {
        Ok(invoice_ids.contains(id) || invoices::get(tx, id)?.is_some())
    };

    // References are checked on every record, also one with other problems, so that a file
    // is reported whole in one go (read from the raw fields: a record that failed to parse
    // still names its customer).
    let raw = |rec: &Rec, field: &str| -> Option<String> {
        match rec.fields.get(field) {
            Some(Scalar::Text(t)) if !t.is_empty() => Some(t.clone()),
            _ => None,
        }
    };
    for rec in &doc.projects {
        if let Some(customer_id) = raw(rec, "customer_id") {
            if !known_customer(&customer_id)? {
                p.at(
                    &rec.loc,
                    format!("customer_id \"{customer_id}\" is not a known customer"),
                );
            }
        }
    }
    // A ticket or invoice: its customer, and that its project (and ticket) are that customer's.
    let mut check_owned = |loc: &str,
                           customer_id: &str,
                           project_id: Option<&str>,
                           ticket_id: Option<&str>|
     -> Result<(), StoreError> {
        if !known_customer(customer_id)? {
            p.at(
                loc,
                format!("customer_id \"{customer_id}\" is not a known customer"),
            );
            return Ok(());
        }
        if let Some(pid) = project_id {
            if !known_project(pid)? {
                p.at(loc, format!("project_id \"{pid}\" is not a known project"));
            } else if let Some(owner) = project_owner(pid)? {
                if owner != customer_id {
                    p.at(
                        loc,
                        format!(
                            "project_id \"{pid}\" belongs to customer \"{owner}\", not to \
                             customer_id \"{customer_id}\""
                        ),
                    );
                }
            }
        }
        if let Some(tid) = ticket_id {
            if !known_ticket(tid)? {
                p.at(
                    loc,
                    format!("ticket_id \"{tid}\" is not a known service ticket"),
                );
            } else if let Some(owner) = ticket_owner(tid)? {
                if owner != customer_id {
                    p.at(
                        loc,
                        format!(
                            "ticket_id \"{tid}\" belongs to customer \"{owner}\", not to \
                             customer_id \"{customer_id}\""
                        ),
                    );
                }
            }
        }
        Ok(())
    };
    for rec in &doc.service_tickets {
        if let Some(customer_id) = raw(rec, "customer_id") {
            check_owned(
                &rec.loc,
                &customer_id,
                raw(rec, "project_id").as_deref(),
                None,
            )?;
        }
    }
    for rec in &doc.invoices {
        if let Some(customer_id) = raw(rec, "customer_id") {
            check_owned(
                &rec.loc,
                &customer_id,
                raw(rec, "project_id").as_deref(),
                raw(rec, "ticket_id").as_deref(),
            )?;
        }
    }
    for rec in &doc.payments {
        if let Some(invoice_id) = raw(rec, "invoice_id") {
            if !known_invoice(&invoice_id)? {
                p.at(
                    &rec.loc,
                    format!("invoice_id \"{invoice_id}\" is not a known invoice"),
                );
            }
        }
    }

    let vendors_and_expenses =
        super::expenses::check(tx, &doc, p, &known_customer, &known_project, &project_owner)?;

    let mut summary = ImportSummary::default();
    if p.total() > 0 {
        return Ok(summary);
    }
    // Parents first, so every reference exists when its child is written.
    for (_, c) in &customers {
        count(&mut summary.customers, customers::save(tx, c)?);
    }
    for (_, x) in &projects {
        count(&mut summary.projects, projects::save(tx, x)?);
    }
    for (_, x) in &tickets {
        count(&mut summary.service_tickets, tickets::save(tx, x)?);
    }
    for (_, x) in &invoices {
        count(&mut summary.invoices, invoices::save(tx, x)?);
    }
    for (_, x) in &payments {
        count(&mut summary.payments, payments::save(tx, x)?);
    }
    super::expenses::save(tx, &vendors_and_expenses, &mut summary)?;
    Ok(summary)
}

pub(super) fn count(k: &mut KindSummary, saved: Saved) {
    match saved {
        Saved::Added => k.added += 1,
        Saved::Updated => k.updated += 1,
        Saved::Unchanged => k.unchanged += 1,
    }
}
