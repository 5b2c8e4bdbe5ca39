//! Everything waiting for a person (records that failed or need attention), oldest first,
//! each with what happened, what to do, and which fix the window offers; and the three
//! fixes that need no other page: retry, skip, and rename (a QuickBooks-side name or number
//! for a record whose own breaks a QuickBooks limit).
//!
//! Owns the attention id (`kind:record_id`), the reading of the sync's problem codes into
//! the window's `AttentionProblem`, and the rename rules. Does not decide anything about
//! sending (the outbox and the sync do); a rename is stored as an override
//! (`store::overrides`) that the sync sends in place of the record's own value.

pub mod cards;

use super::items::MappingRole;
use super::OfficeError;
use crate::qbxml::limits::{CUSTOMER_NAME_MAX, ESTIMATE_REF_NUMBER_MAX, INVOICE_REF_NUMBER_MAX};
use crate::store::codes::ProblemCode;
use crate::store::outbox::{self, OutboxEntry, SyncState};
use crate::store::standing::Standing;
use crate::store::{
    customers, invoices, overrides, payments, projects, tickets, RecordKind, RecordRef, Store,
    StoreError,
};
use crate::sync::status::{explain, Verdict};
use rusqlite::Connection;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AttentionProblem {
    NeedsPairing,
    NeedsMapping,
    TooLong,
    Failed,
    WaitingOnParent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EditableField {
    pub name: String,
    pub label: String,
    pub value: String,
    pub max_length: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AttentionItem {
    pub id: String,
    pub record_kind: RecordKind,
    pub record_id: String,
    pub record_label: String,
    pub problem: AttentionProblem,
    pub reason: String,
    pub advice: Option<String>,
    pub qb_status_code: Option<i64>,
    pub qb_status_message: Option<String>,
    pub app_customer_id: Option<String>,
    pub mapping_role: Option<MappingRole>,
    pub field: Option<EditableField>,
    pub retryable: bool,
    pub since: String,
}

/// The attention id of a record: stable while the record waits.
pub fn attention_id(r: &RecordRef) -> String {
    format!("{}:{}", r.kind.as_str(), r.id)
}

fn parse_id(id: &str) -> Result<RecordRef, OfficeError> {
    let not_found = || {
        OfficeError::NotFound(format!(
            "\"{id}\" is not on the list of records waiting for you any more. Refresh the list."
        ))
    };
    let (kind, record_id) = id.split_once(':').ok_or_else(not_found)?;
    let kind = RecordKind::parse(kind).map_err(|_| not_found())?;
    Ok(RecordRef::new(kind, record_id))
}

/// The record's own QuickBooks name or number, with QuickBooks' limit for it.
struct Renamable {
    field: &'static str,
    label: &'static str,
    value: String,
    max_length: usize,
}

fn renamable(conn: &Connection, r: &RecordRef) -> Result<Option<Renamable>, StoreError> {
    let (field, label, value, max_length) = match r.kind {
        RecordKind::Customer => match customers::get(conn, &r.id)? {
            Some(c) => ("name", "Customer name", c.customer.name, CUSTOMER_NAME_MAX),
            None => return Ok(None),
        },
        // A project is a QuickBooks job: its own Name has the customer Name's limit.
        RecordKind::Project => match projects::get(conn, &r.id)? {
            Some(p) => ("name", "Job name", p.project.name, CUSTOMER_NAME_MAX),
            None => return Ok(None),
        },
        RecordKind::ServiceTicket => match tickets::get(conn, &r.id)? {
            Some(t) => (
                "number",
                "Estimate number",
                t.ticket.number,
                ESTIMATE_REF_NUMBER_MAX,
            ),
            None => return Ok(None),
        },
        RecordKind::Invoice => match invoices::get(conn, &r.id)? {
            Some(i) => (
                "number",
                "Invoice number",
                i.invoice.number,
                INVOICE_REF_NUMBER_MAX,
            ),
            None => return Ok(None),
        },
        RecordKind::Payment | RecordKind::Vendor | RecordKind::Expense => return Ok(None),
    };
    let value = overrides::get(conn, r, field)?.unwrap_or(value);
    Ok(Some(Renamable {
        field,
        label,
        value,
        max_length,
    }))
}

/// Whether a value breaks QuickBooks' rule for the field (too long; ':' in a name).
fn breaks_limit(field: &str, value: &str, max: usize) -> bool {
    value.chars().count() > max || (field == "name" && value.contains(':'))
}

/// What a person calls the record, e.g. "Invoice 10045 for Ecker Designs".
pub fn label(conn: &Connection, r: &RecordRef) -> Result<String, StoreError> {
    let customer_name = |id: &str| -> Result<String, StoreError> {
        Ok(customers::get(conn, id)?
            .map(|c| c.customer.name)
            .unwrap_or_else(|| id.to_owned()))
    };
    Ok(match r.kind {
        RecordKind::Customer => match customers::get(conn, &r.id)? {
            Some(c) => format!("Customer {}", c.customer.name),
            None => format!("Customer {}", r.id),
        },
        RecordKind::Project => match projects::get(conn, &r.id)? {
            Some(p) => format!(
                "Project {} for {}",
                p.project.name,
                customer_name(&p.project.customer_id)?
            ),
            None => format!("Project {}", r.id),
        },
        RecordKind::ServiceTicket => match tickets::get(conn, &r.id)? {
            Some(t) => format!(
                "Service ticket {} for {}",
                t.ticket.number,
                customer_name(&t.ticket.customer_id)?
            ),
            None => format!("Service ticket {}", r.id),
        },
        RecordKind::Invoice => match invoices::get(conn, &r.id)? {
            Some(i) => format!(
                "Invoice {} for {}",
                i.invoice.number,
                customer_name(&i.invoice.customer_id)?
            ),
            None => format!("Invoice {}", r.id),
        },
        RecordKind::Payment => match payments::get(conn, &r.id)? {
            Some(p) => {
                let invoice = invoices::get(conn, &p.payment.invoice_id)?
                    .map(|i| i.invoice.number)
                    .unwrap_or_else(|| p.payment.invoice_id.clone());
                format!(
                    "Payment of {} on invoice {invoice}",
                    crate::money::format_amount(p.payment.amount)
                )
            }
            None => format!("Payment {}", r.id),
        },
        RecordKind::Vendor => match crate::store::vendors::get(conn, &r.id)? {
            Some(v) => format!("Vendor {}", v.vendor.name),
            None => format!("Vendor {}", r.id),
        },
        RecordKind::Expense => match crate::store::expenses::get(conn, &r.id)? {
            Some(e) => {
                let vendor = crate::store::vendors::get(conn, &e.expense.vendor_id)?
                    .map(|v| v.vendor.name)
                    .unwrap_or_else(|| e.expense.vendor_id.clone());
                format!(
                    "Expense of {} from {vendor}",
                    crate::money::format_amount(e.expense.total())
                )
            }
            None => format!("Expense {}", r.id),
        },
    })
}

fn item_of(conn: &Connection, e: OutboxEntry) -> Result<AttentionItem, StoreError> {
    let r = e.record.clone();
    let problem = e.problem.clone().unwrap_or_else(|| outbox::Problem {
        text: format!(
            "{} was stopped without a reason on record.",
            label(conn, &r).unwrap_or_default()
        ),
        ..outbox::Problem::default()
    });
    let code = problem.code.clone();
    let qb_status_code = code
        .as_ref()
        .and_then(ProblemCode::quickbooks_status)
        .map(i64::from);
    let mut item = AttentionItem {
        id: attention_id(&r),
        record_kind: r.kind,
        record_id: r.id.clone(),
        record_label: label(conn, &r)?,
        problem: AttentionProblem::Failed,
        reason: problem.text.clone(),
        advice: problem.advice.clone(),
        qb_status_code,
        qb_status_message: problem.message.clone(),
        app_customer_id: None,
        mapping_role: None,
        field: None,
        retryable: false,
        since: e.updated_at.clone(),
    };
    let standing = Standing::of(e.state, code.as_ref());
    if standing == Standing::NeedsDecision && r.kind == RecordKind::Customer {
        item.problem = AttentionProblem::NeedsPairing;
        item.app_customer_id = Some(r.id.clone());
    } else if let Some(ProblemCode::NeedsMapping(role)) = code {
        item.problem = AttentionProblem::NeedsMapping;
        item.mapping_role = Some(MappingRole::of(role));
    } else if standing == Standing::WaitingOnParent {
        item.problem = AttentionProblem::WaitingOnParent;
    } else if let Some(rn) = renamable(conn, &r)?.filter(|rn| {
        code == Some(ProblemCode::QuickBooksLimit)
            && breaks_limit(rn.field, &rn.value, rn.max_length)
    }) {
        item.problem = AttentionProblem::TooLong;
        item.field = Some(EditableField {
            name: rn.field.to_owned(),
            label: rn.label.to_owned(),
            value: rn.value,
            max_length: rn.max_length,
        });
    } else {
        item.retryable = match qb_status_code {
            // QuickBooks' own verdict on its status code (qbwc-notes status table): worth
            // another send when QuickBooks was busy, and once a person fixed what it named
            // (a reference, a preference, a permission: the advice ends "then retry").
            Some(n) => matches!(
                explain(
                    n as i32,
                    "Error",
                    problem.message.as_deref().unwrap_or(""),
                    ""
                )
                .verdict,
                Verdict::RetryLater | Verdict::RereadAndRetry | Verdict::NeedsAttention
            ),
            // Our own stops (too many attempts, a pre-flight check a person may have fixed
            // elsewhere) are worth another try once the cause is dealt with.
            None => e.state == SyncState::Failed || code == Some(ProblemCode::TooManyAttempts),
        };
    }
    Ok(item)
}

/// The outbox entries a person has to act on ([`Standing::needs_person`]): failed and
/// parked ones, but not those the start date holds back on purpose.
fn waiting_for_a_person(conn: &Connection) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut entries = outbox::in_state(conn, SyncState::NeedsAttention)?;
    entries.extend(outbox::in_state(conn, SyncState::Failed)?);
    entries.retain(|e| {
        Standing::of(e.state, e.problem.as_ref().and_then(|p| p.code.as_ref())).needs_person()
    });
    Ok(entries)
}

/// Every record waiting for a person, oldest first (the contract's `list_attention`).
pub fn list(store: &Store) -> Result<Vec<AttentionItem>, OfficeError> {
    Ok(store.read(|conn| {
        let mut entries = waiting_for_a_person(conn)?;
        entries.sort_by(|a, b| {
            a.updated_at
                .cmp(&b.updated_at)
                .then(a.record.kind.rank().cmp(&b.record.kind.rank()))
                .then(a.record.id.cmp(&b.record.id))
        });
        entries
            .into_iter()
            .map(|e| item_of(conn, e))
            .collect::<Result<Vec<_>, StoreError>>()
    })?)
}

fn waiting_entry(conn: &Connection, id: &str) -> Result<(RecordRef, OutboxEntry), OfficeError> {
    let r = parse_id(id)?;
    match outbox::get(conn, &r)? {
        Some(e) if matches!(e.state, SyncState::Failed | SyncState::NeedsAttention) => Ok((r, e)),
        _ => Err(OfficeError::NotFound(format!(
            "{} is not waiting for you any more (it may have been sent or changed meanwhile). Refresh the list.",
            label(conn, &r)?
        ))),
    }
}

/// Puts a failed record back to pending: the next sync sends it again.
pub fn retry(store: &Store, attention_id: &str) -> Result<(), OfficeError> {
    store.write(|tx| {
        let (r, _) = waiting_entry(tx, attention_id)?;
        outbox::retry(tx, &r)?;
        Ok(())
    })
}

/// The record is not sent (until it changes in the app). Only a record QuickBooks already
/// has can be left as it is there; a record QuickBooks lacks cannot be skipped, or its
/// invoices and payments would have nothing to attach to.
pub fn skip(store: &Store, attention_id: &str) -> Result<(), OfficeError> {
    store.write(|tx| {
        let (r, e) = waiting_entry(tx, attention_id)?;
        if e.qb_id.is_none() {
            return Err(OfficeError::Conflict(format!(
                "{} is not in QuickBooks yet, so it cannot be skipped: fix it, or remove it in your field-service app.",
                label(tx, &r)?
            )));
        }
        // The outbox settles only pending updates: back to pending, then settled as it is.
        outbox::retry(tx, &r)?;
        outbox::settle_without_sending(tx, &r)?;
        Ok(())
    })
}

/// Sets the QuickBooks-side name or number of a record whose own is too long, and releases
/// it to pending.
pub fn rename(store: &Store, attention_id: &str, value: &str) -> Result<(), OfficeError> {
    store.write(|tx| {
        let (r, _) = waiting_entry(tx, attention_id)?;
        let Some(rn) = renamable(tx, &r)? else {
            return Err(OfficeError::InvalidInput(format!(
                "{} has no name or number to change.",
                label(tx, &r)?
            )));
        };
        let value = value.trim();
        let what = if rn.field == "name" { "name" } else { "number" };
        if value.is_empty() {
            return Err(OfficeError::InvalidInput(format!("Type the new {what}.")));
        }
        let length = value.chars().count();
        if length > rn.max_length {
            return Err(OfficeError::InvalidInput(format!(
                "QuickBooks allows at most {} characters in this {what}; \"{value}\" has {length}.",
                rn.max_length
            )));
        }
        // qbXML 13.0: a list Name may not contain ':' (it separates a job from its customer).
        if rn.field == "name" && value.contains(':') {
            return Err(OfficeError::InvalidInput(format!(
                "QuickBooks does not allow ':' in a name; \"{value}\" has one."
            )));
        }
        overrides::set(tx, &r, rn.field, value)?;
        outbox::retry(tx, &r)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::test_support::*;
    use crate::store::invoices::Invoice;
    use crate::store::outbox::Problem;
    use chrono::NaiveDate;

    fn park(store: &Store, r: &RecordRef, code: ProblemCode, message: Option<&str>, advice: &str) {
        store
            .write(|tx| {
                outbox::mark_needs_attention(
                    tx,
                    r,
                    &Problem {
                        code: Some(code.clone()),
                        message: message.map(str::to_owned),
                        text: format!("problem {code}"),
                        advice: Some(advice.into()),
                    },
                )
            })
            .unwrap();
    }

    fn invoice(id: &str, number: &str) -> Invoice {
        Invoice {
            id: id.into(),
            customer_id: "C-1".into(),
            project_id: None,
            ticket_id: None,
            number: number.into(),
            date: NaiveDate::from_ymd_opt(2026, 10, 3).unwrap(),
            due_date: None,
            memo: None,
            expected_tax: None,
            void: false,
            lines: vec![],
        }
    }

    fn fixture() -> Store {
        let store = store();
        let long = "A very long customer name that QuickBooks refuses";
        save_customers(
            &store,
            &[
                customer("C-1", "Ecker", None, None),
                customer("C-2", long, None, None),
            ],
        );
        store
            .write(|tx| {
                invoices::save(tx, &invoice("I-1", "10045"))?;
                invoices::save(tx, &invoice("I-2", "INV-2026-000123"))
            })
            .unwrap();
        let c = |id: &str| RecordRef::new(RecordKind::Customer, id);
        let i = |id: &str| RecordRef::new(RecordKind::Invoice, id);
        park(
            &store,
            &c("C-1"),
            ProblemCode::NeedsPairing,
            None,
            "Open Customers.",
        );
        park(
            &store,
            &c("C-2"),
            ProblemCode::QuickBooksLimit,
            None,
            "Shorten it.",
        );
        park(
            &store,
            &i("I-1"),
            ProblemCode::NeedsMapping(crate::store::mappings::ItemRole::ServiceTaxItem),
            None,
            // The advice no longer decides the role: a sentence naming another role.
            "Choose the project item on the Items page.",
        );
        park(
            &store,
            &i("I-2"),
            ProblemCode::QuickBooksLimit,
            None,
            "Shorten it.",
        );
        store
    }

    #[test]
    fn the_list_says_which_fix_each_record_needs() {
        let store = fixture();
        let items = list(&store).unwrap();
        assert_eq!(items.len(), 4);
        let by_id = |id: &str| items.iter().find(|i| i.id == id).unwrap();
        let pairing = by_id("customer:C-1");
        assert_eq!(pairing.problem, AttentionProblem::NeedsPairing);
        assert_eq!(pairing.app_customer_id.as_deref(), Some("C-1"));
        assert_eq!(pairing.record_label, "Customer Ecker");
        let mapping = by_id("invoice:I-1");
        assert_eq!(mapping.problem, AttentionProblem::NeedsMapping);
        assert_eq!(mapping.mapping_role, Some(MappingRole::ServiceTaxItem));
        assert_eq!(mapping.record_label, "Invoice 10045 for Ecker");
        let long = by_id("customer:C-2");
        assert_eq!(long.problem, AttentionProblem::TooLong);
        let f = long.field.as_ref().unwrap();
        assert_eq!((f.name.as_str(), f.max_length), ("name", 41));
        let number = by_id("invoice:I-2").field.as_ref().unwrap();
        assert_eq!((number.name.as_str(), number.max_length), ("number", 11));
        let json = serde_json::to_value(pairing).unwrap();
        assert_eq!(json["record_kind"], "customer");
        assert_eq!(json["problem"], "needs_pairing");
    }

    #[test]
    fn a_quickbooks_refusal_is_retryable_only_when_retrying_can_help() {
        let store = fixture();
        let r = RecordRef::new(RecordKind::Invoice, "I-1");
        store.write(|tx| outbox::retry(tx, &r)).unwrap();
        park(
            &store,
            &r,
            ProblemCode::QuickBooks(3180),
            Some("There was an error when saving. The list is locked."),
            "Wait.",
        );
        let item = list(&store)
            .unwrap()
            .into_iter()
            .find(|i| i.id == "invoice:I-1")
            .unwrap();
        assert_eq!(item.problem, AttentionProblem::Failed);
        assert_eq!(item.qb_status_code, Some(3180));
        assert!(item.retryable, "a locked list frees up");
        store.write(|tx| outbox::retry(tx, &r)).unwrap();
        park(
            &store,
            &r,
            ProblemCode::QuickBooks(3100),
            Some("The name is already in use."),
            "Link it.",
        );
        let item = list(&store)
            .unwrap()
            .into_iter()
            .find(|i| i.id == "invoice:I-1")
            .unwrap();
        assert!(!item.retryable, "the same name again fails again");
        store.write(|tx| outbox::retry(tx, &r)).unwrap();
        park(
            &store,
            &r,
            ProblemCode::QuickBooks(3140),
            Some("There is an invalid reference to QuickBooks Transaction \"1A2\" in the ReceivePayment."),
            "Change the link back, then choose Retry.",
        );
        let item = list(&store)
            .unwrap()
            .into_iter()
            .find(|i| i.id == "invoice:I-1")
            .unwrap();
        assert!(
            item.retryable,
            "a reference fixed elsewhere goes again on Retry, as its advice says"
        );
    }

    #[test]
    fn retry_skip_and_rename_follow_the_rules() {
        let store = fixture();
        retry(&store, "invoice:I-1").unwrap();
        let e = store
            .read(|c| outbox::get(c, &RecordRef::new(RecordKind::Invoice, "I-1")))
            .unwrap()
            .unwrap();
        assert_eq!(
            e.state,
            SyncState::Pending,
            "retried: sent again at the next sync"
        );
        assert_eq!(
            retry(&store, "invoice:I-1").unwrap_err().code(),
            "not_found",
            "no longer waiting"
        );
        assert_eq!(retry(&store, "garbage").unwrap_err().code(), "not_found");

        let err = skip(&store, "customer:C-1").unwrap_err();
        assert_eq!(
            err.code(),
            "conflict",
            "QuickBooks lacks it: cannot be skipped"
        );
        assert!(
            err.to_string().contains("Customer Ecker"),
            "names the record: {err}"
        );

        let err = rename(&store, "customer:C-2", &"x".repeat(42)).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "still too long");
        let err = rename(&store, "customer:C-2", "Ecker: West").unwrap_err();
        assert!(err.to_string().contains("':'"), "a colon is refused: {err}");
        assert_eq!(
            rename(&store, "invoice:I-2", "INV-2026-0001")
                .unwrap_err()
                .code(),
            "invalid_input"
        );
        rename(&store, "customer:C-2", "Long Name Co").unwrap();
        let r = RecordRef::new(RecordKind::Customer, "C-2");
        assert_eq!(
            store
                .read(|c| overrides::get(c, &r, "name"))
                .unwrap()
                .as_deref(),
            Some("Long Name Co"),
            "the QuickBooks name is kept for the sync"
        );
        assert_eq!(
            store.read(|c| outbox::get(c, &r)).unwrap().unwrap().state,
            SyncState::Pending,
            "renamed records go again"
        );
    }

    #[test]
    fn a_record_quickbooks_has_can_be_skipped() {
        let store = fixture();
        let r = RecordRef::new(RecordKind::Customer, "C-1");
        save_qb(&store, &[qb("80-1", "Ecker", None, None)]);
        store
            .write(|tx| {
                crate::store::pairings::link(
                    tx,
                    "C-1",
                    "80-1",
                    crate::store::pairings::PairingHow::Manual,
                )
            })
            .unwrap();
        // Changed in the app, then refused by QuickBooks on update.
        let mut changed = customer("C-1", "Ecker", Some("555-0100"), None);
        changed.email = Some("e@x.example".into());
        save_customers(&store, &[changed]);
        park(
            &store,
            &r,
            ProblemCode::QuickBooks(3210),
            Some("Invalid value"),
            "Fix it.",
        );
        skip(&store, "customer:C-1").unwrap();
        let e = store.read(|c| outbox::get(c, &r)).unwrap().unwrap();
        assert_eq!(e.state, SyncState::Synced, "left as QuickBooks has it");
        assert!(
            e.dirty,
            "and marked as differing, so a later change is still sent"
        );
    }
}
