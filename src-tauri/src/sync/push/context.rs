//! What planning one push batch reads from the store, read once: settings, item mappings,
//! the names a person chose, QuickBooks' items (looked up once per name), and the records of
//! the candidates with what they hang on, in a few bulk queries ([`Prefetch`]). Owns no
//! decision: each record kind's file under `push/` decides with what this holds.

use crate::store::customers;
use crate::store::mappings::{self, ItemRole};
use crate::store::outbox::{self, OutboxEntry};
use crate::store::qb_mirror::{self, QbItem};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{invoices, settings, tickets, StoreError};
use crate::sync::session::Company;
use rusqlite::Transaction;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Settings and lookups that hold for one planning pass.
pub(super) struct Context {
    pub(super) auto_create: bool,
    pub(super) update_customers: bool,
    pub(super) estimates_setting: bool,
    pub(super) start_date: Option<chrono::NaiveDate>,
    pub(super) deposit_account: Option<String>,
    pub(super) mappings: HashMap<ItemRole, Option<String>>,
    pub(super) taxable_code: String,
    pub(super) non_taxable_code: String,
    /// Names a person chose for records QuickBooks could not take as they are.
    pub(super) overrides: HashMap<(RecordRef, String), String>,
    /// QuickBooks' items by the name asked for, looked up once per planning pass.
    items: RefCell<HashMap<String, Option<QbItem>>>,
    /// The records of the candidates being planned and what they hang on.
    prefetched: RefCell<Prefetch>,
}

/// What planning a chunk of invoices or tickets needs from the store, read in a few bulk
/// queries ([`Prefetch::load`]) rather than several queries per record. A record missing
/// here is read on its own (the prepare functions fall back), so this is only ever faster.
#[derive(Default)]
pub(super) struct Prefetch {
    invoices: HashMap<String, invoices::StoredInvoice>,
    tickets: HashMap<String, tickets::StoredTicket>,
    /// The sync state of the customers and projects they are billed to.
    parents: HashMap<RecordRef, OutboxEntry>,
    /// Whether each of their customers is taxable.
    taxable: HashMap<String, bool>,
}

impl Prefetch {
    fn load(
        tx: &Transaction<'_>,
        kind: RecordKind,
        candidates: &[OutboxEntry],
    ) -> Result<Self, StoreError> {
        let ids: Vec<&str> = candidates.iter().map(|e| e.record.id.as_str()).collect();
        let mut pf = Prefetch::default();
        let billed: Vec<(String, Option<String>)> = match kind {
            RecordKind::Invoice => {
                pf.invoices = invoices::get_many(tx, &ids)?;
                pf.invoices
                    .values()
                    .map(|i| (i.invoice.customer_id.clone(), i.invoice.project_id.clone()))
                    .collect()
            }
            RecordKind::ServiceTicket => {
                pf.tickets = tickets::get_many(tx, &ids)?;
                pf.tickets
                    .values()
                    .map(|t| (t.ticket.customer_id.clone(), t.ticket.project_id.clone()))
                    .collect()
            }
            _ => return Ok(pf),
        };
        let parents: Vec<RecordRef> = billed
            .iter()
            .map(|(customer, project)| match project {
                Some(p) => RecordRef::new(RecordKind::Project, p.as_str()),
                None => RecordRef::new(RecordKind::Customer, customer.as_str()),
            })
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        pf.parents = outbox::get_many(tx, &parents)?;
        let customers: HashSet<&str> = billed.iter().map(|(c, _)| c.as_str()).collect();
        pf.taxable = customers::taxable_many(tx, &customers.into_iter().collect::<Vec<_>>())?;
        Ok(pf)
    }
}

impl Context {
    /// Reads what planning `candidates` (all of one kind) needs, in bulk.
    pub(super) fn load_candidates(
        &self,
        tx: &Transaction<'_>,
        kind: RecordKind,
        candidates: &[OutboxEntry],
    ) -> Result<(), StoreError> {
        *self.prefetched.borrow_mut() = Prefetch::load(tx, kind, candidates)?;
        Ok(())
    }

    pub(super) fn item(
        &self,
        tx: &Transaction<'_>,
        name: &str,
    ) -> Result<Option<QbItem>, StoreError> {
        if let Some(hit) = self.items.borrow().get(name) {
            return Ok(hit.clone());
        }
        let item = qb_mirror::item_by_full_name(tx, name)?;
        self.items
            .borrow_mut()
            .insert(name.to_owned(), item.clone());
        Ok(item)
    }

    pub(super) fn taxable(
        &self,
        tx: &Transaction<'_>,
        customer_id: &str,
    ) -> Result<bool, StoreError> {
        if let Some(t) = self.prefetched.borrow().taxable.get(customer_id) {
            return Ok(*t);
        }
        Ok(customers::get(tx, customer_id)?.is_some_and(|c| c.customer.taxable))
    }

    pub(super) fn parent(
        &self,
        tx: &Transaction<'_>,
        parent: &RecordRef,
    ) -> Result<Option<OutboxEntry>, StoreError> {
        if let Some(e) = self.prefetched.borrow().parents.get(parent) {
            return Ok(Some(e.clone()));
        }
        outbox::get(tx, parent)
    }

    pub(super) fn take_invoice(
        &self,
        tx: &Transaction<'_>,
        id: &str,
    ) -> Result<Option<invoices::StoredInvoice>, StoreError> {
        match self.prefetched.borrow_mut().invoices.remove(id) {
            Some(i) => Ok(Some(i)),
            None => invoices::get(tx, id),
        }
    }

    pub(super) fn take_ticket(
        &self,
        tx: &Transaction<'_>,
        id: &str,
    ) -> Result<Option<tickets::StoredTicket>, StoreError> {
        match self.prefetched.borrow_mut().tickets.remove(id) {
            Some(t) => Ok(Some(t)),
            None => tickets::get(tx, id),
        }
    }
}

pub(super) fn context(tx: &Transaction<'_>, company: &Company) -> Result<Context, StoreError> {
    let codes = qb_mirror::sales_tax_codes(tx)?;
    let pick = |preferred: &Option<String>, default: &str, taxable: bool| -> String {
        let wanted = preferred.clone().unwrap_or_else(|| default.to_owned());
        if codes.is_empty() || codes.iter().any(|(n, _)| n.eq_ignore_ascii_case(&wanted)) {
            return wanted;
        }
        codes
            .iter()
            .find(|(_, t)| *t == taxable)
            .map(|(n, _)| n.clone())
            .unwrap_or(wanted)
    };
    Ok(Context {
        auto_create: settings::auto_create_customers(tx)?,
        update_customers: settings::update_qb_customers(tx)?,
        estimates_setting: settings::estimates_for_tickets(tx)?,
        start_date: settings::invoice_start_date(tx)?,
        deposit_account: settings::deposit_account(tx)?,
        mappings: mappings::items(tx)?.into_iter().collect(),
        taxable_code: pick(&company.taxable_code, "Tax", true),
        non_taxable_code: pick(&company.non_taxable_code, "Non", false),
        overrides: crate::store::overrides::all(tx)?,
        items: RefCell::new(HashMap::new()),
        prefetched: RefCell::new(Prefetch::default()),
    })
}
