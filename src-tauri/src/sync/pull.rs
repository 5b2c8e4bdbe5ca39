//! Reading QuickBooks: customers and jobs, items, accounts, payment methods, sales tax codes,
//! what became of our invoices (balance, paid), payments entered in QuickBooks, and
//! deletions. Owns the pull steps, their cursors and how each page is applied to the mirror.
//!
//! Incremental by modified date: each list keeps the latest TimeModified QuickBooks showed
//! (`sync_cursors`), and the next read starts [`CURSOR_OVERLAP`] before it. QuickBooks' time
//! offsets can be wrong by an hour around daylight-saving changes (qbwc-notes.md), so windows
//! overlap and every write is an upsert keyed by ListID or TxnID: reading a record twice
//! changes nothing. A cursor only moves when its whole step has been read and applied.

use super::batch::{self, Planned, PreparedBatch};
use super::inbound;
use super::problems::{self, code};
use super::returns;
use super::rows;
use super::session::{Phase, Session, REFRESH_CUSTOMERS};
use super::PULL_PAGE_SIZE;
use crate::qbxml::{
    self, AccountQuery, ActiveStatus, BillQuery, CheckQuery, CreditCardChargeQuery, CustomerQuery,
    EstimateQuery, InvoiceQuery, ItemQuery, ListDelType, ListDeletedQuery, ListFilter,
    ListSelection, PaymentMethodQuery, QueryIterator, ReceivePaymentQuery, Request, Response,
    SalesTaxCodeQuery, TxnDateRange, TxnDelType, TxnDeletedQuery, TxnFilter, TxnSelection,
    VendorQuery,
};
use crate::store::outbox;
use crate::store::qb_mirror;
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{accounts, settings, vendors, StoreError};
use chrono::{DateTime, Duration, FixedOffset};
use rusqlite::Transaction;
use std::collections::HashMap;

/// How far before the last TimeModified seen the next read starts: QuickBooks' offsets can
/// be an hour wrong around daylight-saving changes; three hours also covers a clock that
/// was corrected.
pub const CURSOR_OVERLAP: Duration = Duration::hours(3);

/// Transactions (invoices, estimates, payments, deletions) are only ours from the first
/// sync on: with no cursor yet, reading starts this long before now.
pub const FIRST_TXN_WINDOW: Duration = Duration::days(1);

/// One thing to read from QuickBooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullKind {
    Customers,
    Items,
    Accounts,
    PaymentMethods,
    SalesTaxCodes,
    Invoices,
    Estimates,
    Payments,
    DeletedLists,
    DeletedTxns,
    /// QuickBooks' vendors (pairing; recovery of a lost VendorAdd by ExternalGUID).
    Vendors,
    /// Bills, checks and credit-card charges: read only to recognise our own by ExternalGUID
    /// after a lost answer.
    Bills,
    Checks,
    CardCharges,
    /// Our summarized journal entries (summary mode): how a lost one is found.
    JournalEntries,
    /// Our deposits (a deposit account chosen): how a lost one is found.
    Deposits,
}

impl PullKind {
    /// The `sync_cursors` key.
    fn cursor_name(self) -> &'static str {
        match self {
            PullKind::Customers => "customers",
            PullKind::Items => "items",
            PullKind::Accounts => "accounts",
            PullKind::PaymentMethods => "payment_methods",
            PullKind::SalesTaxCodes => "sales_tax_codes",
            PullKind::Invoices => "invoices",
            PullKind::Estimates => "estimates",
            PullKind::Payments => "payments",
            PullKind::DeletedLists => "deleted_lists",
            PullKind::DeletedTxns => "deleted_txns",
            PullKind::Vendors => "vendors",
            PullKind::Bills => "bills",
            PullKind::Checks => "checks",
            PullKind::CardCharges => "credit_card_charges",
            PullKind::JournalEntries => "journal_entries",
            PullKind::Deposits => "deposits",
        }
    }

    fn is_transaction(self) -> bool {
        matches!(
            self,
            PullKind::Invoices
                | PullKind::Estimates
                | PullKind::Payments
                | PullKind::DeletedLists
                | PullKind::DeletedTxns
                | PullKind::Bills
                | PullKind::Checks
                | PullKind::CardCharges
                | PullKind::JournalEntries
                | PullKind::Deposits
        )
    }

    fn pages(self) -> bool {
        matches!(
            self,
            PullKind::Customers
                | PullKind::Items
                | PullKind::Invoices
                | PullKind::Estimates
                | PullKind::Payments
                | PullKind::Vendors
                | PullKind::Bills
                | PullKind::Checks
                | PullKind::CardCharges
                | PullKind::JournalEntries
                | PullKind::Deposits
        )
    }
}

/// Where a step is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepState {
    NotStarted,
    Continue(String),
    Done,
}

/// One pull step of a session.
#[derive(Debug, Clone)]
pub struct PullStep {
    pub kind: PullKind,
    pub from: Option<DateTime<FixedOffset>>,
    pub state: StepState,
    /// QuickBooks' iteratorRemainingCount after the last page.
    pub remaining: Option<u32>,
    /// The latest TimeModified (or TimeDeleted) seen by this step.
    pub newest: Option<DateTime<FixedOffset>>,
}

impl PullStep {
    /// Round trips this step still needs (for the percent).
    pub fn pages_left(&self) -> u64 {
        match &self.state {
            StepState::Done => 0,
            StepState::NotStarted => 1,
            StepState::Continue(_) => {
                u64::from(self.remaining.unwrap_or(0).div_ceil(PULL_PAGE_SIZE).max(1))
            }
        }
    }
}

/// The pull of one session: its steps and where each stands. Owned by the session's
/// pulling stage.
pub struct Pull {
    steps: Vec<PullStep>,
    /// A page of customers read in this round trip and not its step's last: written just
    /// after the round trip commits ([`super::deferred`]).
    deferred: Vec<qb_mirror::QbCustomer>,
}

impl Pull {
    /// Plans the steps of this session's pull (what to read, from when).
    pub fn plan(tx: &Transaction<'_>, s: &Session) -> Result<Self, StoreError> {
        Ok(Self {
            steps: plan(tx, s)?,
            deferred: Vec::new(),
        })
    }

    /// Round trips the pull still needs (for the percent).
    pub fn pages_left(&self) -> u64 {
        self.steps.iter().map(PullStep::pages_left).sum()
    }

    /// The next pull batch, if any page is left to read; `None` when the pull is complete.
    pub fn next_batch(
        &mut self,
        tx: &Transaction<'_>,
        s: &mut Session,
    ) -> Result<Option<PreparedBatch>, StoreError> {
        next_batch(tx, s, &self.steps)
    }

    /// A step QuickBooks gave no answer for: it stops here, its cursor unmoved.
    pub fn step_unanswered(&mut self, step_index: usize) {
        if let Some(step) = self.steps.get_mut(step_index) {
            step.state = StepState::Done;
        }
    }

    /// Applies one page of a pull step (inside the answer's transaction).
    pub fn apply_page(
        &mut self,
        tx: &Transaction<'_>,
        s: &mut Session,
        step_index: usize,
        response: &Response,
    ) -> Result<(), StoreError> {
        apply_page(
            tx,
            s,
            &mut self.steps,
            &mut self.deferred,
            step_index,
            response,
        )
    }

    /// The page of customers to write once this round trip has committed (empty if none).
    pub fn take_deferred(&mut self) -> Vec<qb_mirror::QbCustomer> {
        std::mem::take(&mut self.deferred)
    }
}

fn next_batch(
    tx: &Transaction<'_>,
    s: &mut Session,
    steps: &[PullStep],
) -> Result<Option<PreparedBatch>, StoreError> {
    let mut requests = Vec::new();
    let mut planned = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        let iterator = match &step.state {
            StepState::Done => continue,
            StepState::NotStarted => QueryIterator::Start,
            StepState::Continue(id) => QueryIterator::Continue {
                iterator_id: id.clone(),
            },
        };
        let request_id = format!("pull-{i}");
        requests.push(build(step, &request_id, iterator));
        planned.insert(request_id, Planned::Pull(i));
    }
    if requests.is_empty() {
        return Ok(None);
    }
    s.current_phase = Phase::ReadingQuickBooks;
    batch::record_queries(tx, s.id, requests, planned).map(Some)
}

fn plan(conn: &Transaction<'_>, s: &Session) -> Result<Vec<PullStep>, StoreError> {
    let estimates = s.company.estimates;
    {
        let lost = outbox::unanswered_batches(conn)?;
        let oldest_lost = lost
            .iter()
            .filter_map(|b| DateTime::parse_from_rfc3339(&b.sent_at).ok())
            .min();
        let refresh = settings::get_raw(conn, REFRESH_CUSTOMERS)?.is_some();
        let now = chrono::Local::now().fixed_offset();
        let mut kinds = vec![
            PullKind::Customers,
            PullKind::Items,
            PullKind::Accounts,
            PullKind::PaymentMethods,
            PullKind::SalesTaxCodes,
            PullKind::Invoices,
            PullKind::Payments,
            PullKind::DeletedLists,
            PullKind::DeletedTxns,
            PullKind::Vendors,
            PullKind::Bills,
            PullKind::Checks,
            PullKind::CardCharges,
        ];
        if estimates {
            kinds.insert(6, PullKind::Estimates);
        }
        // Only read when they can be ours (or one of ours is waiting for its answer).
        let summary =
            crate::store::accounting::mode(conn)? == crate::store::accounting::Mode::Summary;
        let (journal_lost, deposit_lost) = lost.iter().try_fold((false, false), |(j, d), b| {
            Ok::<_, StoreError>((
                j || !crate::store::journal::in_flight_in_batch(conn, b.id)?.is_empty(),
                d || !crate::store::deposits::in_flight_in_batch(conn, b.id)?.is_empty(),
            ))
        })?;
        if summary || journal_lost {
            kinds.push(PullKind::JournalEntries);
        }
        if settings::deposit_account(conn)?.is_some() || deposit_lost {
            kinds.push(PullKind::Deposits);
        }
        let mut steps = Vec::new();
        for kind in kinds {
            let cursor = qb_mirror::cursor(conn, kind.cursor_name())?
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t - CURSOR_OVERLAP);
            let mut from = match (cursor, kind.is_transaction()) {
                (Some(c), _) => Some(c),
                (None, true) => Some(now - FIRST_TXN_WINDOW),
                (None, false) => None,
            };
            if kind == PullKind::Customers && refresh {
                from = None;
            }
            // A lost batch is found by reading everything modified since it was sent.
            if let (Some(lost_at), Some(f)) = (oldest_lost, from) {
                let lost_from = lost_at - CURSOR_OVERLAP;
                if lost_from < f {
                    from = Some(lost_from);
                }
            }
            steps.push(PullStep {
                kind,
                from,
                state: StepState::NotStarted,
                remaining: None,
                newest: None,
            });
        }
        Ok(steps)
    }
}

fn list_selection(step: &PullStep, paged: bool) -> ListSelection {
    ListSelection::Filter(ListFilter {
        max_returned: paged.then_some(PULL_PAGE_SIZE),
        active_status: Some(ActiveStatus::All),
        from_modified: step.from,
        ..ListFilter::default()
    })
}

fn txn_selection(step: &PullStep) -> TxnSelection {
    TxnSelection::Filter(TxnFilter {
        max_returned: Some(PULL_PAGE_SIZE),
        date_range: Some(TxnDateRange::Modified {
            from: step.from,
            to: None,
        }),
        entity_list_ids: Vec::new(),
    })
}

fn build(step: &PullStep, request_id: &str, iterator: QueryIterator) -> Request {
    let request_id = request_id.to_owned();
    match step.kind {
        PullKind::Customers => CustomerQuery {
            request_id,
            selection: list_selection(step, true),
            include_ret: returns::CUSTOMER,
            owner_id: None,
            iterator: Some(iterator),
        }
        .into(),
        PullKind::Items => ItemQuery {
            request_id,
            selection: list_selection(step, true),
            include_ret: returns::ITEM,
            owner_id: None,
            iterator: Some(iterator),
        }
        .into(),
        PullKind::Accounts => AccountQuery {
            request_id,
            selection: list_selection(step, false),
            include_ret: returns::ACCOUNT,
            owner_id: None,
        }
        .into(),
        PullKind::PaymentMethods => PaymentMethodQuery {
            request_id,
            selection: list_selection(step, false),
            include_ret: returns::PAYMENT_METHOD,
        }
        .into(),
        PullKind::SalesTaxCodes => SalesTaxCodeQuery {
            request_id,
            selection: list_selection(step, false),
            include_ret: returns::SALES_TAX_CODE,
        }
        .into(),
        // With their lines: an invoice a person created in QuickBooks is kept whole
        // (`inbound::invoices`); only the elements read come back.
        PullKind::Invoices => InvoiceQuery {
            request_id,
            selection: txn_selection(step),
            paid_status: None,
            include_line_items: true,
            include_linked_txns: false,
            include_ret: returns::INVOICE,
            owner_id: None,
            iterator: Some(iterator),
        }
        .into(),
        PullKind::Estimates => EstimateQuery {
            request_id,
            selection: txn_selection(step),
            include_line_items: false,
            include_linked_txns: false,
            include_ret: returns::ESTIMATE,
            owner_id: None,
            iterator: Some(iterator),
        }
        .into(),
        PullKind::Payments => ReceivePaymentQuery {
            request_id,
            selection: txn_selection(step),
            include_line_items: true,
            include_ret: returns::PAYMENT,
            owner_id: None,
            iterator: Some(iterator),
        }
        .into(),
        PullKind::DeletedLists => ListDeletedQuery {
            request_id,
            types: vec![
                ListDelType::Customer,
                ListDelType::ItemService,
                ListDelType::ItemNonInventory,
                ListDelType::ItemOtherCharge,
                ListDelType::ItemInventory,
                ListDelType::ItemSalesTax,
                ListDelType::ItemSalesTaxGroup,
                ListDelType::Account,
                ListDelType::PaymentMethod,
                ListDelType::SalesTaxCode,
                ListDelType::Vendor,
            ],
            deleted_from: step.from,
            deleted_to: None,
        }
        .into(),
        PullKind::JournalEntries => crate::qbxml::JournalEntryQuery {
            request_id,
            selection: txn_selection(step),
            include_line_items: true,
            owner_id: None,
            iterator: Some(iterator),
        }
        .into(),
        PullKind::Deposits => crate::qbxml::DepositQuery {
            request_id,
            selection: txn_selection(step),
            include_line_items: false,
            owner_id: None,
            iterator: Some(iterator),
        }
        .into(),
        PullKind::DeletedTxns => TxnDeletedQuery {
            request_id,
            types: vec![
                TxnDelType::Invoice,
                TxnDelType::Estimate,
                TxnDelType::ReceivePayment,
                TxnDelType::Bill,
                TxnDelType::Check,
                TxnDelType::CreditCardCharge,
            ],
            deleted_from: step.from,
            deleted_to: None,
        }
        .into(),
        PullKind::Vendors => VendorQuery {
            request_id,
            selection: list_selection(step, true),
            owner_id: None,
            iterator: Some(iterator),
        }
        .into(),
        PullKind::Bills => BillQuery {
            request_id,
            selection: txn_selection(step),
            iterator: Some(iterator),
            include_line_items: false,
        }
        .into(),
        PullKind::Checks => CheckQuery {
            request_id,
            selection: txn_selection(step),
            iterator: Some(iterator),
            include_line_items: false,
        }
        .into(),
        PullKind::CardCharges => CreditCardChargeQuery {
            request_id,
            selection: txn_selection(step),
            iterator: Some(iterator),
            include_line_items: false,
        }
        .into(),
    }
}

/// One page of one step into the mirror, then the step's iterator and cursor. Longer than
/// most functions on purpose: one short arm per pull kind in one match, so what every kind
/// shares (the newest time seen, when the cursor may move) is written once, around it.
fn apply_page(
    tx: &Transaction<'_>,
    s: &mut Session,
    steps: &mut [PullStep],
    deferred: &mut Vec<qb_mirror::QbCustomer>,
    step_index: usize,
    response: &Response,
) -> Result<(), StoreError> {
    let Some(step) = steps.get(step_index).cloned() else {
        return Ok(());
    };
    let mut newest = step.newest;
    let mut seen = |t: Option<DateTime<FixedOffset>>| {
        if let Some(t) = t {
            if newest.is_none_or(|n| t > n) {
                newest = Some(t);
            }
        }
    };
    if !response.is_success() {
        // Not fatal: the step stops here without moving its cursor, so the next session
        // reads the same window again.
        tracing::warn!(
            step = step.kind.cursor_name(),
            code = response.status_code,
            message = %response.status_message,
            "QuickBooks refused a read"
        );
        steps[step_index].state = StepState::Done;
        return Ok(());
    }
    let more = step.kind.pages() && response.has_more();
    let next_state = match (&response.iterator_id, more) {
        (Some(id), true) => StepState::Continue(id.clone()),
        _ => StepState::Done,
    };
    match step.kind {
        // A page that is not the last is written after the round trip commits, while
        // QuickBooks reads the next ([`super::deferred`]); the last one here, before the
        // cursor moves.
        PullKind::Customers if next_state != StepState::Done => {
            deferred.extend(response.customers().map(|c| {
                seen(c.time_modified);
                rows::mirror_customer(c)
            }));
        }
        PullKind::Customers => {
            for c in response.customers() {
                seen(c.time_modified);
                qb_mirror::upsert_customer(tx, &rows::mirror_customer(c))?;
            }
        }
        PullKind::Items => {
            for i in response.items() {
                seen(i.time_modified);
                qb_mirror::upsert_item(tx, &rows::item(i))?;
            }
        }
        PullKind::Accounts => {
            for a in response.accounts() {
                seen(a.time_modified);
                accounts::upsert(
                    tx,
                    &rows::qb_account(a),
                    a.account_type.as_deref().unwrap_or(""),
                )?;
            }
        }
        PullKind::PaymentMethods => {
            for m in response.payment_methods() {
                seen(m.time_modified);
                qb_mirror::upsert_payment_method(tx, &rows::payment_method(m))?;
            }
        }
        PullKind::SalesTaxCodes => {
            for c in response.sales_tax_codes() {
                seen(c.time_modified);
                qb_mirror::upsert_sales_tax_code(
                    tx,
                    &rows::sales_tax_code(c),
                    c.is_taxable.unwrap_or(false),
                )?;
            }
        }
        PullKind::Invoices => {
            let mut statuses = Vec::new();
            for inv in response.invoices() {
                seen(inv.time_modified);
                let guid = inv.external_guid.map(qbxml::format_guid);
                if let Some(g) = &guid {
                    s.seen_txns
                        .insert(g.clone(), (inv.txn_id.clone(), inv.edit_sequence.clone()));
                }
                let ours = match &guid {
                    Some(g) => outbox::find_by_guid(tx, RecordKind::Invoice, g)?,
                    None => None,
                }
                .or(outbox::find_by_qb_id(tx, RecordKind::Invoice, &inv.txn_id)?);
                inbound::invoices::read(tx, inv, ours.as_deref())?;
                if let Some(invoice_id) = ours {
                    statuses.push(rows::invoice_status(inv, Some(invoice_id)));
                }
            }
            qb_mirror::upsert_invoice_statuses(tx, &statuses)?;
        }
        PullKind::Estimates => {
            for est in response.estimates() {
                seen(est.time_modified);
                if let Some(g) = est.external_guid.map(qbxml::format_guid) {
                    s.seen_txns
                        .insert(g, (est.txn_id.clone(), est.edit_sequence.clone()));
                }
            }
        }
        PullKind::Payments => {
            for p in response.payments() {
                seen(p.time_modified);
                let guid = p.external_guid.map(qbxml::format_guid);
                if let Some(g) = &guid {
                    s.seen_txns
                        .insert(g.clone(), (p.txn_id.clone(), p.edit_sequence.clone()));
                }
                for applied in &p.applied_to {
                    let Some(invoice_id) =
                        outbox::find_by_qb_id(tx, RecordKind::Invoice, &applied.txn_id)?
                    else {
                        continue;
                    };
                    qb_mirror::upsert_payment(
                        tx,
                        &rows::payment_row(p, applied, Some(invoice_id)),
                    )?;
                }
            }
        }
        PullKind::JournalEntries => {
            for je in response.journal_entries() {
                seen(je.time_modified);
                super::push::journal::seen(s, je);
            }
        }
        PullKind::Deposits => {
            for d in response.deposits() {
                seen(d.time_modified);
                if let Some(g) = d.external_guid.map(qbxml::format_guid) {
                    s.seen_txns
                        .insert(g, (d.txn_id.clone(), d.edit_sequence.clone()));
                }
            }
        }
        PullKind::DeletedLists => {
            for d in response.deleted_list_elements() {
                seen(d.time_deleted);
                let time = d.time_deleted.map(|t| t.to_rfc3339()).unwrap_or_default();
                qb_mirror::mark_deleted(
                    tx,
                    d.list_del_type.as_str(),
                    &d.list_id,
                    d.full_name.as_deref(),
                    &time,
                )?;
                if d.list_del_type == ListDelType::Customer {
                    inbound::customers::deleted(
                        tx,
                        &d.list_id,
                        d.full_name.as_deref(),
                        time.get(..10).unwrap_or_default(),
                    )?;
                }
                if d.list_del_type == ListDelType::Vendor {
                    gone_vendor(tx, &d.list_id, d.full_name.as_deref())?;
                }
            }
        }
        PullKind::DeletedTxns => {
            for d in response.deleted_txns() {
                seen(d.time_deleted);
                let time = d.time_deleted.map(|t| t.to_rfc3339()).unwrap_or_default();
                qb_mirror::mark_deleted(tx, d.txn_del_type.as_str(), &d.txn_id, None, &time)?;
                if d.txn_del_type == TxnDelType::Invoice {
                    inbound::invoices::deleted(tx, &d.txn_id)?;
                }
                let kind = match d.txn_del_type {
                    TxnDelType::Invoice => RecordKind::Invoice,
                    TxnDelType::Estimate => RecordKind::ServiceTicket,
                    TxnDelType::ReceivePayment => RecordKind::Payment,
                    TxnDelType::Bill | TxnDelType::Check | TxnDelType::CreditCardCharge => {
                        RecordKind::Expense
                    }
                    _ => continue,
                };
                if let Some(id) = outbox::find_by_qb_id(tx, kind, &d.txn_id)? {
                    gone_txn(tx, RecordRef::new(kind, id), d.ref_number.as_deref())?;
                }
            }
        }
        PullKind::Vendors => {
            for v in response.vendors() {
                seen(v.time_modified);
                vendors::upsert_qb(tx, &rows::qb_vendor(v))?;
            }
        }
        PullKind::Bills | PullKind::Checks | PullKind::CardCharges => {
            for p in response.purchases() {
                seen(p.time_modified);
                if let Some(g) = p.external_guid.map(qbxml::format_guid) {
                    s.seen_txns
                        .insert(g, (p.txn_id.clone(), p.edit_sequence.clone()));
                }
                // One of ours: what it is now in QuickBooks (a bill paid there is not changed).
                if let Some(id) = outbox::find_by_qb_id(tx, RecordKind::Expense, &p.txn_id)? {
                    crate::store::expenses::note_qb_status(tx, &id, &rows::expense_status(p))?;
                }
            }
        }
    }
    {
        let st = &mut steps[step_index];
        st.newest = newest;
        st.remaining = response.iterator_remaining_count;
        st.state = next_state.clone();
    }
    if next_state == StepState::Done {
        if let Some(n) = newest {
            qb_mirror::set_cursor(tx, step.kind.cursor_name(), &n.to_rfc3339())?;
        }
        if step.kind == PullKind::Customers && step.from.is_none() {
            settings::set_raw(tx, REFRESH_CUSTOMERS, None)?;
        }
        if step.kind == PullKind::Customers {
            inbound::customers::after_read(tx)?;
        }
    }
    Ok(())
}

/// A vendor we had was deleted in QuickBooks: unlinked and flagged, never re-added blindly.
fn gone_vendor(tx: &Transaction<'_>, list_id: &str, name: Option<&str>) -> Result<(), StoreError> {
    let shown = name.unwrap_or(list_id);
    if let Some(id) = outbox::find_by_qb_id(tx, RecordKind::Vendor, list_id)? {
        if vendors::pairing(tx, &id)?.is_some() {
            vendors::unpair(tx, &id)?;
        }
        outbox::flag_gone_from_quickbooks(
            tx,
            &RecordRef::new(RecordKind::Vendor, id.clone()),
            &problems::ours(
                code::DELETED_IN_QUICKBOOKS,
                format!("Vendor {id} was linked to \"{shown}\", which was deleted in QuickBooks."),
                "Choose Retry to add the vendor to QuickBooks again, or Skip to leave it out.",
            ),
        )?;
    }
    Ok(())
}

/// One of our invoices, estimates or payments was deleted in QuickBooks: flagged, never
/// silently re-added.
fn gone_txn(
    tx: &Transaction<'_>,
    record: RecordRef,
    ref_number: Option<&str>,
) -> Result<(), StoreError> {
    let what = match record.kind {
        RecordKind::Invoice => "Invoice",
        RecordKind::ServiceTicket => "The estimate for service ticket",
        RecordKind::Expense => "The bill, check or card charge for expense",
        _ => "Payment",
    };
    let number = ref_number.map(|n| format!(" {n}")).unwrap_or_default();
    outbox::flag_gone_from_quickbooks(
        tx,
        &record,
        &problems::ours(
            code::DELETED_IN_QUICKBOOKS,
            format!(
                "{what}{number} ({}) was deleted in QuickBooks. FieldBridge will not add it again by itself.",
                record.id
            ),
            "If it should be in QuickBooks, choose Retry and the next sync adds it again; otherwise choose Skip.",
        ),
    )
}
