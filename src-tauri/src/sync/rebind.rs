//! "This is the same company file" (`fieldbridge rebind`, the Sync page's button): a person
//! says the company file QuickBooks has open, under another path than the one this data
//! folder is bound to, is the same company. FieldBridge checks before it believes it: it
//! asks QuickBooks for a sample of the customers and invoices it sent to the bound file, by
//! their ListIDs and TxnIDs, and compares the ExternalGUID mark FieldBridge put on each. If
//! any is there, it is the same company (a moved or re-mapped file, a restored backup); if
//! none is, it is another company, and nothing is sent. With nothing sent yet to look for,
//! the company name QuickBooks gives must agree. History says what was checked either way.
//!
//! Owns the check (what to look for, what was found, the decision and its words). The
//! session's stages ([`super::stage`]) run it between the company check and the pull.

use super::batch::{self, Planned, PreparedBatch};
use super::error::CompanyError;
use super::session::Session;
use crate::qbxml::{
    self, CustomerQuery, InvoiceQuery, ListSelection, Request, Response, TxnSelection,
};
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::{sessions, settings, StoreError};
use rusqlite::{Connection, Transaction};
use std::collections::HashMap;

/// How many customers and how many invoices are looked for: enough that a different
/// company cannot hold them by chance, few enough for one small message set.
pub const LOOK_FOR: usize = 25;

/// What FieldBridge sent to the bound company file: QuickBooks id → FieldBridge's
/// ExternalGUID mark.
#[derive(Debug, Default)]
struct Ours {
    customers: HashMap<String, Option<uuid::Uuid>>,
    invoices: HashMap<String, Option<uuid::Uuid>>,
}

impl Ours {
    fn read(conn: &Connection) -> Result<Self, StoreError> {
        let read = |sql: &str| -> Result<HashMap<String, Option<uuid::Uuid>>, StoreError> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt
                .query_map([LOOK_FOR as i64], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows
                .into_iter()
                .map(|(id, guid)| (id, qbxml::parse_guid(&guid)))
                .collect())
        };
        Ok(Self {
            customers: read(
                "SELECT o.qb_id, t.guid FROM outbox o JOIN customers t ON t.id = o.record_id
                 WHERE o.kind = 'customer' AND o.qb_id IS NOT NULL ORDER BY o.id LIMIT ?1",
            )?,
            invoices: read(
                "SELECT o.qb_id, t.guid FROM outbox o JOIN invoices t ON t.id = o.record_id
                 WHERE o.kind = 'invoice' AND o.qb_id IS NOT NULL ORDER BY o.id LIMIT ?1",
            )?,
        })
    }

    fn is_empty(&self) -> bool {
        self.customers.is_empty() && self.invoices.is_empty()
    }

    /// "3 customers and 1 invoice".
    fn words(&self) -> String {
        let n = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        [
            n(self.customers.len(), "customer", "customers"),
            n(self.invoices.len(), "invoice", "invoices"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" and ")
    }
}

/// What the next run will check, in words (`fieldbridge rebind` prints them).
pub fn plan_words(conn: &Connection) -> Result<String, StoreError> {
    let Some(bound) = settings::company_binding(conn)? else {
        return Ok("FieldBridge is not bound to a company file yet: the next Web Connector run binds it to the file QuickBooks has open.".to_owned());
    };
    let ours = Ours::read(conn)?;
    let file = &bound.company_file;
    Ok(if ours.is_empty() {
        match &bound.company_name {
            Some(name) => format!("At the next Web Connector run, FieldBridge accepts the company file QuickBooks has open in place of \"{file}\" if QuickBooks names its company \"{name}\" (nothing has been sent to \"{file}\" yet, so there is nothing else to look for). History shows what it found."),
            None => format!("At the next Web Connector run, FieldBridge accepts the company file QuickBooks has open in place of \"{file}\" (nothing has been sent to it yet and it has no company name to compare, so your word is taken)."),
        }
    } else {
        format!(
            "At the next Web Connector run, FieldBridge looks in the company file QuickBooks has open for {} it sent to \"{file}\" (by their QuickBooks ids and FieldBridge's own ExternalGUID mark). If it finds them, it is the same company and FieldBridge syncs with that file from then on; if it finds none, it refuses the file and sends nothing. History shows what it found.",
            ours.words()
        )
    })
}

/// What QuickBooks returned of ours.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Found {
    customers: u64,
    invoices: u64,
    /// Of those, carrying FieldBridge's own ExternalGUID mark.
    marked: u64,
}

/// A rebind being checked in this session.
#[derive(Debug)]
pub struct RebindCheck {
    bound: settings::CompanyBinding,
    open_file: String,
    open_name: Option<String>,
    ours: Ours,
    found: Found,
}

impl RebindCheck {
    /// Starts the check of `open_file` (named `open_name` by QuickBooks) against `bound`.
    pub fn new(
        conn: &Connection,
        bound: settings::CompanyBinding,
        open_file: String,
        open_name: Option<String>,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            bound,
            open_file,
            open_name,
            ours: Ours::read(conn)?,
            found: Found::default(),
        })
    }

    /// The queries for what FieldBridge sent, recorded as a batch; `None` when it never sent
    /// anything (then only the company name can be compared).
    pub fn batch(
        &self,
        tx: &Transaction<'_>,
        s: &Session,
    ) -> Result<Option<PreparedBatch>, StoreError> {
        if self.ours.is_empty() {
            return Ok(None);
        }
        let mut requests = Vec::new();
        let mut planned = HashMap::new();
        let sorted = |ids: &HashMap<String, Option<uuid::Uuid>>| {
            let mut v: Vec<String> = ids.keys().cloned().collect();
            v.sort();
            v
        };
        if !self.ours.customers.is_empty() {
            let id = "rebind-1".to_owned();
            requests.push(Request::CustomerQuery(CustomerQuery {
                request_id: id.clone(),
                selection: ListSelection::ListIds(sorted(&self.ours.customers)),
                include_ret: crate::sync::returns::CUSTOMER,
                owner_id: None,
                iterator: None,
            }));
            planned.insert(id, Planned::Rebind);
        }
        if !self.ours.invoices.is_empty() {
            let id = "rebind-2".to_owned();
            requests.push(Request::InvoiceQuery(InvoiceQuery {
                request_id: id.clone(),
                selection: TxnSelection::TxnIds(sorted(&self.ours.invoices)),
                ..InvoiceQuery::default()
            }));
            planned.insert(id, Planned::Rebind);
        }
        batch::record_queries(tx, s.id, requests, planned).map(Some)
    }

    /// Counts what QuickBooks returned of ours (ids it lacks are simply not returned).
    pub fn apply(&mut self, r: &Response) {
        for c in r.customers() {
            if let Some(mark) = self.ours.customers.get(&c.list_id) {
                self.found.customers += 1;
                if mark.is_some() && *mark == c.external_guid {
                    self.found.marked += 1;
                }
            }
        }
        for i in r.invoices() {
            if let Some(mark) = self.ours.invoices.get(&i.txn_id) {
                self.found.invoices += 1;
                if mark.is_some() && *mark == i.external_guid {
                    self.found.marked += 1;
                }
            }
        }
    }

    fn names_agree(&self) -> bool {
        match (
            self.bound.company_name.as_deref(),
            self.open_name.as_deref(),
        ) {
            (Some(bound), Some(open)) => bound.trim().eq_ignore_ascii_case(open.trim()),
            // Nothing to compare: the person's word is taken.
            _ => true,
        }
    }

    /// What was looked for and found, in words.
    fn what_was_checked(&self) -> String {
        let looked_for = self.ours.words();
        let name = match (
            self.open_name.as_deref(),
            self.bound.company_name.as_deref(),
        ) {
            (Some(open), Some(bound)) if self.names_agree() => {
                format!("QuickBooks names its company \"{open}\", as at the first sync ({bound}).")
            }
            (Some(open), Some(bound)) => {
                format!("QuickBooks names its company \"{open}\"; at the first sync it was \"{bound}\".")
            }
            _ => "QuickBooks gave no company name to compare.".to_owned(),
        };
        if self.ours.is_empty() {
            return format!(
                "FieldBridge has not sent anything to \"{}\" yet, so it could only compare the company name. {name}",
                self.bound.company_file
            );
        }
        let f = self.found;
        let found = if f.customers + f.invoices == 0 {
            "found none of them".to_owned()
        } else {
            format!(
                "found {} of the customers and {} of the invoices ({} carrying FieldBridge's own ExternalGUID mark)",
                f.customers, f.invoices, f.marked
            )
        };
        format!(
            "FieldBridge looked in it for {looked_for} it had sent to \"{}\" and {found}. {name}",
            self.bound.company_file
        )
    }

    /// Accepts the file (binds this data folder to it) or refuses it; History says what was
    /// checked either way. The request is used up.
    pub fn decide(
        &self,
        tx: &Transaction<'_>,
        session_id: i64,
    ) -> Result<Option<CompanyError>, StoreError> {
        let same = if self.ours.is_empty() {
            self.names_agree()
        } else {
            self.found.customers + self.found.invoices > 0
        };
        let checked = self.what_was_checked();
        let file = &self.open_file;
        let bound = &self.bound.company_file;
        let (outcome, text) = if same {
            (
                HistoryOutcome::Linked,
                format!("You said \"{file}\" is the same company file as \"{bound}\". {checked} It is the same company: FieldBridge syncs with \"{file}\" from now on."),
            )
        } else {
            (
                HistoryOutcome::Failed,
                format!("You said \"{file}\" is the same company file as \"{bound}\". {checked} It is a different company, so FieldBridge refused it and sent nothing."),
            )
        };
        sessions::add_history(
            tx,
            Some(session_id),
            &sessions::NewHistory {
                record: None,
                action: HistoryAction::Check,
                outcome,
                qb_code: None,
                qb_message: None,
                text: Some(&text),
            },
        )?;
        settings::set_raw(tx, super::company::REBIND, None)?;
        if !same {
            settings::set_raw(tx, super::company::REFUSED_FILE, Some(file))?;
            settings::set_raw(tx, super::company::REFUSED_CHECK, Some(&checked))?;
            return Ok(Some(CompanyError::NotSameCompany {
                open: file.clone(),
                bound: bound.clone(),
                checked,
            }));
        }
        settings::bind_company(
            tx,
            file,
            self.open_name
                .as_deref()
                .or(self.bound.company_name.as_deref()),
        )?;
        settings::set_raw(tx, super::company::REFUSED_FILE, None)?;
        settings::set_raw(tx, super::company::REFUSED_CHECK, None)?;
        sessions::set_company_file(tx, session_id, file)?;
        tracing::info!(company_file = %file, "re-bound this data folder to the company file");
        Ok(None)
    }
}
