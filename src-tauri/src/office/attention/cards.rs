//! The Sync page's attention list as cards: one card per cause (one missing service item is
//! one card with the 59 invoices folded under it, not 59 cards), records that wait on
//! another record folded under that record's card, and on each card and record only the
//! actions that work, as typed values the window renders (`list_attention_cards`). Also the
//! sales tax differences QuickBooks reported, with both amounts, until a person dismisses
//! them (`dismiss_attention_card`).
//!
//! Owns the grouping and which actions are offered. The records' problems are read by
//! [`super::item_of`]; the actions themselves are the commands that already exist (retry,
//! skip, rename, the Customers and Items pages).

use super::{attention_id, item_of, label, AttentionItem, AttentionProblem, EditableField};
use crate::money::format_amount;
use crate::office::items::MappingRole;
use crate::office::OfficeError;
use crate::store::codes::ProblemCode;
use crate::store::outbox::{OutboxEntry, SyncState};
use crate::store::standing::Standing;
use crate::store::{
    invoices, payments, projects, tax_differences, tickets, RecordKind, RecordRef, Store,
    StoreError,
};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;

/// What a card is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CardCause {
    /// A customer waits for a person to say which QuickBooks customer it is.
    NeedsDecision,
    /// An item mapping is missing or unusable (one card per role).
    NeedsMapping,
    /// A line names an item QuickBooks lacks or made inactive.
    MissingItem,
    /// A payment method or deposit account QuickBooks lacks.
    MissingPaymentSetup,
    /// A FieldBridge setting holds them (estimates off). The start date is not a cause:
    /// records before it are not waiting for anyone (`Standing::BeforeStartDate`).
    Settings,
    /// A name or number breaks a QuickBooks limit.
    TooLong,
    /// QuickBooks refused them (one card per status code).
    QuickBooksRefused,
    /// They wait for a record that is not waiting for a person (it is sent at the next sync).
    WaitingOnParent,
    /// Created in QuickBooks with a sales tax total other than the app's.
    TaxDifference,
    /// Anything else that stopped them.
    Other,
}

/// An action the window offers as a button; each one works for what it is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CardAction {
    /// Open the Customers page on this customer (link it, or create it).
    OpenCustomer { customer_id: String },
    /// Open the Items page (on this role's mapping, when there is one).
    OpenItems { role: Option<MappingRole> },
    /// Open the Settings page.
    OpenSettings,
    /// `retry_attention` for each of these attention ids.
    Retry { attention_ids: Vec<String> },
    /// `skip_attention`: only offered for a record QuickBooks already has.
    Skip { attention_id: String },
    /// `rename_attention` with a new value for this field.
    Rename {
        attention_id: String,
        field: EditableField,
    },
    /// `dismiss_attention_card`: a person looked at it.
    Dismiss { card_id: String },
}

/// A record on a card, with what can be done to it alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CardRecord {
    #[serde(flatten)]
    pub item: AttentionItem,
    pub actions: Vec<CardAction>,
}

/// A record that waits on one of the card's records (or on the record the card is about).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WaitingRecord {
    pub id: String,
    pub record_kind: RecordKind,
    pub record_id: String,
    pub record_label: String,
    /// The attention id of the record it waits for.
    pub waits_for: String,
}

/// Both amounts of a sales tax difference, exact decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TaxDifferenceView {
    pub invoice_id: String,
    pub invoice_label: String,
    /// What the field-service app expected.
    pub expected: String,
    /// QuickBooks' SalesTaxTotal.
    pub quickbooks: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AttentionCard {
    /// Stable while the cause lasts: `decision:C-1`, `mapping:service_item`, `tax:I-9`...
    pub id: String,
    pub cause: CardCause,
    /// Plain English: what happened.
    pub title: String,
    /// Plain English: what to do.
    pub advice: Option<String>,
    /// Every record this card stands for: its own and the ones folded under it.
    pub count: u64,
    pub records: Vec<CardRecord>,
    pub waiting: Vec<WaitingRecord>,
    /// The card's button(s).
    pub actions: Vec<CardAction>,
    pub tax: Option<TaxDifferenceView>,
    pub since: String,
}

/// The record a record belongs to and waits for (payment → invoice → job or customer;
/// ticket → job or customer; job → customer).
fn parent(conn: &Connection, r: &RecordRef) -> Result<Option<RecordRef>, StoreError> {
    let owner = |project: Option<String>, customer: String| match project {
        Some(p) => RecordRef::new(RecordKind::Project, p),
        None => RecordRef::new(RecordKind::Customer, customer),
    };
    Ok(match r.kind {
        RecordKind::Customer => None,
        RecordKind::Project => projects::get(conn, &r.id)?
            .map(|p| RecordRef::new(RecordKind::Customer, p.project.customer_id)),
        RecordKind::ServiceTicket => {
            tickets::get(conn, &r.id)?.map(|t| owner(t.ticket.project_id, t.ticket.customer_id))
        }
        RecordKind::Invoice => {
            invoices::get(conn, &r.id)?.map(|i| owner(i.invoice.project_id, i.invoice.customer_id))
        }
        RecordKind::Payment => payments::get(conn, &r.id)?
            .map(|p| RecordRef::new(RecordKind::Invoice, p.payment.invoice_id)),
        RecordKind::Vendor => None,
        RecordKind::Expense => crate::store::expenses::get(conn, &r.id)?
            .map(|e| RecordRef::new(RecordKind::Vendor, e.expense.vendor_id)),
    })
}

/// The card a record belongs on, with its cause.
fn cause_of(item: &AttentionItem, code: Option<&ProblemCode>) -> (String, CardCause) {
    use ProblemCode as P;
    match (item.problem, code) {
        (AttentionProblem::NeedsPairing, _) => (
            format!("decision:{}", item.record_id),
            CardCause::NeedsDecision,
        ),
        (AttentionProblem::NeedsMapping, Some(P::NeedsMapping(role))) => (
            format!("mapping:{}", role.as_str()),
            CardCause::NeedsMapping,
        ),
        (AttentionProblem::TooLong, _) => (format!("record:{}", item.id), CardCause::TooLong),
        (_, Some(c @ P::MissingItem)) => (format!("code:{c}"), CardCause::MissingItem),
        (_, Some(c @ (P::MissingPaymentMethod | P::MissingAccount))) => {
            (format!("code:{c}"), CardCause::MissingPaymentSetup)
        }
        (_, Some(c @ (P::EstimatesOff | P::EstimatesOffInQuickBooks))) => {
            (format!("code:{c}"), CardCause::Settings)
        }
        (_, Some(c @ (P::QuickBooks(_) | P::Hresult(_)))) => {
            (format!("quickbooks:{c}"), CardCause::QuickBooksRefused)
        }
        (_, Some(c)) => (format!("code:{c}"), CardCause::Other),
        (_, None) => (format!("record:{}", item.id), CardCause::Other),
    }
}

/// The card's own button for its cause.
fn card_actions(cause: CardCause, records: &[CardRecord]) -> Vec<CardAction> {
    let first = &records[0].item;
    match cause {
        CardCause::NeedsDecision => vec![CardAction::OpenCustomer {
            customer_id: first.record_id.clone(),
        }],
        CardCause::NeedsMapping => vec![CardAction::OpenItems {
            role: first.mapping_role,
        }],
        CardCause::MissingItem | CardCause::MissingPaymentSetup => {
            vec![CardAction::OpenItems { role: None }]
        }
        CardCause::Settings => vec![CardAction::OpenSettings],
        CardCause::QuickBooksRefused | CardCause::Other => {
            let ids: Vec<String> = records
                .iter()
                .filter(|r| {
                    r.actions
                        .iter()
                        .any(|a| matches!(a, CardAction::Retry { .. }))
                })
                .map(|r| r.item.id.clone())
                .collect();
            if ids.len() > 1 {
                vec![CardAction::Retry { attention_ids: ids }]
            } else {
                Vec::new()
            }
        }
        CardCause::TooLong | CardCause::WaitingOnParent | CardCause::TaxDifference => Vec::new(),
    }
}

/// What can be done to one record alone.
fn record_actions(item: &AttentionItem, e: &OutboxEntry, cause: CardCause) -> Vec<CardAction> {
    let mut out = Vec::new();
    if let Some(field) = &item.field {
        out.push(CardAction::Rename {
            attention_id: item.id.clone(),
            field: field.clone(),
        });
    }
    // Causes fixed elsewhere release their records by themselves; the others go again
    // when a person says so. A failed record can always be retried (the cause may have
    // been fixed in QuickBooks).
    let fixed_elsewhere = matches!(
        cause,
        CardCause::NeedsDecision
            | CardCause::NeedsMapping
            | CardCause::MissingItem
            | CardCause::MissingPaymentSetup
            | CardCause::Settings
            | CardCause::TooLong
    );
    if !fixed_elsewhere && (item.retryable || e.state == SyncState::Failed) {
        out.push(CardAction::Retry {
            attention_ids: vec![item.id.clone()],
        });
    }
    // The skip rule of `super::skip`: only a record QuickBooks already has.
    if e.qb_id.is_some() {
        out.push(CardAction::Skip {
            attention_id: item.id.clone(),
        });
    }
    out
}

fn tax_card(
    conn: &Connection,
    d: tax_differences::TaxDifference,
) -> Result<AttentionCard, StoreError> {
    let r = RecordRef::new(RecordKind::Invoice, d.invoice_id.clone());
    let invoice_label = label(conn, &r)?;
    let id = format!("tax:{}", d.invoice_id);
    Ok(AttentionCard {
        title: format!(
            "QuickBooks created {invoice_label} with sales tax of {}, but your field-service app expected {}.",
            format_amount(d.quickbooks),
            format_amount(d.expected)
        ),
        advice: Some(
            "Check the sales tax item (and its rate) on the Items page, and the customer's sales tax code in QuickBooks: a tax-exempt customer needs a non-taxable code. Then correct the invoice in QuickBooks if needed, and dismiss this."
                .into(),
        ),
        count: 1,
        records: Vec::new(),
        waiting: Vec::new(),
        actions: vec![
            CardAction::OpenItems { role: None },
            CardAction::Dismiss {
                card_id: id.clone(),
            },
        ],
        tax: Some(TaxDifferenceView {
            invoice_id: d.invoice_id,
            invoice_label,
            expected: d.expected.to_string(),
            quickbooks: d.quickbooks.to_string(),
        }),
        since: d.noted_at,
        cause: CardCause::TaxDifference,
        id,
    })
}

/// Builds the cards from every waiting record and open tax difference.
fn build(conn: &Connection) -> Result<Vec<AttentionCard>, StoreError> {
    let mut entries = super::waiting_for_a_person(conn)?;
    entries.sort_by(|a, b| {
        (
            a.updated_at.as_str(),
            a.record.kind.rank(),
            a.record.id.as_str(),
        )
            .cmp(&(
                b.updated_at.as_str(),
                b.record.kind.rank(),
                b.record.id.as_str(),
            ))
    });
    let standing: HashMap<RecordRef, Standing> = entries
        .iter()
        .map(|e| {
            let code = e.problem.as_ref().and_then(|p| p.code.as_ref());
            (e.record.clone(), Standing::of(e.state, code))
        })
        .collect();
    let mut cards: Vec<AttentionCard> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut card_of_record: HashMap<RecordRef, usize> = HashMap::new();
    let mut waiting = Vec::new();
    for e in entries {
        if standing[&e.record] == Standing::WaitingOnParent {
            waiting.push(e);
            continue;
        }
        let code = e.problem.as_ref().and_then(|p| p.code.clone());
        let item = item_of(conn, e.clone())?;
        let (key, cause) = cause_of(&item, code.as_ref());
        let record = CardRecord {
            actions: record_actions(&item, &e, cause),
            item,
        };
        let at = *index.entry(key.clone()).or_insert_with(|| {
            cards.push(AttentionCard {
                id: key,
                cause,
                title: record.item.reason.clone(),
                advice: record.item.advice.clone(),
                count: 0,
                records: Vec::new(),
                waiting: Vec::new(),
                actions: Vec::new(),
                tax: None,
                since: record.item.since.clone(),
            });
            cards.len() - 1
        });
        card_of_record.insert(e.record.clone(), at);
        cards[at].count += 1;
        cards[at].records.push(record);
    }
    // Fold each waiting record under the card of the first record up its chain that is not
    // itself waiting; when that record waits for nobody (it is sent at the next sync), the
    // waiting records share one card about it.
    for e in waiting {
        let mut up = parent(conn, &e.record)?;
        while let Some(p) = up.clone() {
            if standing.get(&p) != Some(&Standing::WaitingOnParent) {
                break;
            }
            up = parent(conn, &p)?;
        }
        let waits_for = up.clone().unwrap_or_else(|| e.record.clone());
        let at = match card_of_record.get(&waits_for) {
            Some(at) => *at,
            None => {
                let key = format!("waiting:{}", attention_id(&waits_for));
                *index.entry(key.clone()).or_insert_with(|| {
                    let about = label(conn, &waits_for).unwrap_or_default();
                    cards.push(AttentionCard {
                        id: key,
                        cause: CardCause::WaitingOnParent,
                        title: format!(
                            "These records wait for {about}, which is not in QuickBooks yet."
                        ),
                        advice: Some(
                            "Nothing to do: they are sent after it at the next sync.".into(),
                        ),
                        count: 0,
                        records: Vec::new(),
                        waiting: Vec::new(),
                        actions: Vec::new(),
                        tax: None,
                        since: e.updated_at.clone(),
                    });
                    cards.len() - 1
                })
            }
        };
        cards[at].count += 1;
        cards[at].waiting.push(WaitingRecord {
            id: attention_id(&e.record),
            record_kind: e.record.kind,
            record_id: e.record.id.clone(),
            record_label: label(conn, &e.record)?,
            waits_for: attention_id(&waits_for),
        });
    }
    for card in &mut cards {
        if card.records.len() > 1 && card.records.iter().any(|r| r.item.reason != card.title) {
            card.title = format!("{} records: {}", card.records.len(), card.title);
        }
        if !card.records.is_empty() {
            card.actions = card_actions(card.cause, &card.records);
        }
    }
    for d in tax_differences::open(conn)? {
        cards.push(tax_card(conn, d)?);
    }
    Ok(cards)
}

/// The contract's `list_attention_cards`.
pub fn list_cards(store: &Store) -> Result<Vec<AttentionCard>, OfficeError> {
    Ok(store.read(build)?)
}

/// The contract's `dismiss_attention_card`: only a card offering Dismiss can be dismissed.
pub fn dismiss(store: &Store, card_id: &str) -> Result<(), OfficeError> {
    let Some(invoice_id) = card_id.strip_prefix("tax:") else {
        return Err(OfficeError::InvalidInput(format!(
            "\"{card_id}\" cannot be dismissed: it goes away when its cause is fixed."
        )));
    };
    store.write(|tx| match tax_differences::dismiss(tx, invoice_id) {
        Err(StoreError::NotFound { .. }) => Err(OfficeError::NotFound(
            "That sales tax difference is not on the list any more. Refresh the list.".into(),
        )),
        other => Ok(other?),
    })
}

#[cfg(test)]
mod tests;
