//! Sending the app's records to QuickBooks: which records go next, the checks they must pass
//! before anything is sent (pre-flight), and the qbXML request each becomes. Owns the
//! decisions "link, create, ask, park or wait"; the answers are applied by [`super::apply`].
//!
//! Parents go first, one kind per message set: customers, projects (as jobs), service
//! tickets (as estimates), invoices, payments. A child whose parent failed or needs a person
//! is parked with the parent's reason; a child whose parent is still waiting waits for a
//! later session; nothing unrelated is held up.

use super::plan_context::{context, Context};
use super::session::{Phase, Planned, PreparedBatch, PushPlan, Session};
use super::status::capitalise;
use super::PUSH_BATCH_SIZE;
use crate::money::Decimal;
use crate::pairing::{Decision, Matcher, Party, Reason};
use crate::qbxml::{
    self, Address, AppliedToTxn, BuildError, CustomerAdd, CustomerFields, CustomerMod,
    CustomerQuery, EstimateAdd, InvoiceAdd, ListRef, ListSelection, MsgsRq, OnError,
    PaymentApplication, ReceivePaymentAdd, Request, SalesLine,
};
use crate::store::codes::{HistoryAction, HistoryOutcome, ProblemCode};
use crate::store::customers::{self, Address as StoreAddress, Customer};
use crate::store::mappings::{self, ItemRole};
use crate::store::outbox::{self, OutboxEntry, Problem, SyncState};
use crate::store::records::{Line, RecordKind, RecordRef};
use crate::store::{
    invoices, pairings, payments, projects, qb_mirror, sessions, tickets, StoreError,
};
use rusqlite::Transaction;
use std::collections::{HashMap, HashSet};

/// After this many sends without success (busy, locked, lost), a record stops being retried
/// by itself and waits for a person.
pub const MAX_SEND_ATTEMPTS: i64 = 8;

/// QuickBooks' customers and jobs, indexed for pairing during one session.
pub struct QbIndex {
    matcher: Matcher,
    /// (parent ListID, normalised job name) → (ListID, EditSequence) of existing jobs.
    jobs: HashMap<(String, String), (String, String)>,
}

impl QbIndex {
    fn build(tx: &Transaction<'_>) -> Result<Self, StoreError> {
        let all = qb_mirror::customers(tx)?;
        let mut parties = Vec::with_capacity(all.len());
        let mut jobs = HashMap::new();
        for c in all {
            if let Some(parent) = &c.parent_list_id {
                jobs.insert(
                    (parent.clone(), crate::pairing::normalize_name(&c.name)),
                    (c.list_id.clone(), c.edit_sequence.clone()),
                );
            }
            if !c.is_active {
                continue;
            }
            let address = if c.bill_address.line1.is_some() {
                &c.bill_address
            } else {
                &c.ship_address
            };
            parties.push(Party {
                key: c.list_id.clone(),
                name: c.name.clone(),
                company_name: c.company_name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                address_line1: address.line1.clone(),
                postal_code: address.postal_code.clone(),
            });
        }
        Ok(Self {
            matcher: Matcher::new(parties),
            jobs,
        })
    }
}

/// The app customer as pairing sees it.
pub fn party_of(c: &Customer) -> Party {
    let address = if c.billing_address.line1.is_some() {
        &c.billing_address
    } else {
        &c.service_address
    };
    Party {
        key: c.id.clone(),
        name: c.name.clone(),
        company_name: c.company_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        address_line1: address.line1.clone(),
        postal_code: address.postal_code.clone(),
    }
}

/// What one pending record becomes in this batch.
enum Prepared {
    Send(Box<Request>, PushPlan),
    /// Settled without a request (linked, settled, parked).
    Done,
    /// Not now: leave it for a later session.
    Skip,
}

/// The next push batch (recorded in flight in the same transaction that builds it), or
/// `None` when nothing more can be sent in this session.
pub fn next_batch(
    tx: &Transaction<'_>,
    s: &mut Session,
) -> Result<Option<PreparedBatch>, StoreError> {
    if !s.reread_wanted.is_empty() {
        return reread_batch(tx, s).map(Some);
    }
    if s.matcher.is_none() {
        s.matcher = Some(QbIndex::build(tx)?);
    }
    let ctx = context(tx, s)?;
    for kind in RecordKind::ALL {
        let mut taken: HashSet<RecordRef> = HashSet::new();
        // Gather up to a batch of this kind, build it, and go on gathering if every
        // request in it had to be set aside.
        'gather: loop {
            let mut requests: Vec<Request> = Vec::new();
            let mut planned = HashMap::new();
            let mut sending: Vec<(RecordRef, String)> = Vec::new();
            loop {
                let skipped_here = s.skipped.iter().filter(|r| r.kind == kind).count();
                let want = PUSH_BATCH_SIZE + skipped_here + taken.len();
                let candidates: Vec<OutboxEntry> = outbox::next_pending(tx, kind, want)?
                    .into_iter()
                    .filter(|e| !s.skipped.contains(&e.record) && !taken.contains(&e.record))
                    .collect();
                if candidates.is_empty() {
                    break;
                }
                ctx.load_candidates(tx, kind, &candidates)?;
                for entry in candidates {
                    if requests.len() >= PUSH_BATCH_SIZE {
                        break;
                    }
                    let record = entry.record.clone();
                    match prepare(tx, s, &ctx, &entry)? {
                        Prepared::Send(request, plan) => {
                            let request_id = format!("r{}", taken.len() + 1);
                            let request = with_request_id(*request, &request_id);
                            requests.push(request);
                            planned.insert(request_id.clone(), Planned::Push(plan));
                            sending.push((record.clone(), request_id));
                            taken.insert(record);
                        }
                        Prepared::Done => {}
                        Prepared::Skip => {
                            s.skipped.insert(record);
                        }
                    }
                }
                if requests.len() >= PUSH_BATCH_SIZE {
                    break;
                }
            }
            if requests.is_empty() {
                break 'gather;
            }
            s.current_phase = match kind {
                RecordKind::Customer => Phase::Customers,
                RecordKind::Project => Phase::Projects,
                RecordKind::ServiceTicket => Phase::Tickets,
                RecordKind::Invoice => Phase::Invoices,
                RecordKind::Payment => Phase::Payments,
            };
            let message_set_id = super::pull::new_message_set_id();
            let mut msgs = MsgsRq {
                on_error: OnError::ContinueOnError,
                new_message_set_id: Some(message_set_id.clone()),
                old_message_set_id: None,
                requests,
            };
            // Pre-flight: the build itself finds every request that breaks a qbXML rule
            // (a name too long, a ':' in it...); those records wait for a person and the
            // rest is built again. One build in the usual case, not one per request.
            let xml = loop {
                match msgs.build() {
                    Ok(xml) => break xml,
                    Err(errors) => {
                        let mut by_request: HashMap<String, Vec<BuildError>> = HashMap::new();
                        for e in errors {
                            let id = e.request_id().to_owned();
                            if id.is_empty() || !planned.contains_key(&id) {
                                return Err(StoreError::Corrupt {
                                    place: "a qbXML message set FieldBridge built",
                                    value: e.to_string(),
                                    expected: "a message set without problems of its own",
                                });
                            }
                            by_request.entry(id).or_default().push(e);
                        }
                        for (id, problems) in &by_request {
                            if let Some(Planned::Push(plan)) = planned.remove(id) {
                                park(
                                    tx,
                                    s,
                                    &plan.record,
                                    preflight_problem(&plan.label, problems),
                                )?;
                            }
                        }
                        msgs.requests
                            .retain(|r| !by_request.contains_key(r.request_id()));
                        sending.retain(|(_, id)| !by_request.contains_key(id));
                        if msgs.requests.is_empty() {
                            continue 'gather;
                        }
                    }
                }
            };
            // INVARIANT: recorded in flight before the XML can leave the process.
            let batch_id = outbox::begin_batch(tx, s.id, &message_set_id, &xml)?;
            outbox::mark_in_flight(tx, batch_id, &sending)?;
            sessions::add_counts(tx, s.id, msgs.requests.len() as i64, 0, 0, 0)?;
            return Ok(Some(PreparedBatch {
                batch_id,
                xml,
                requests: planned,
            }));
        }
    }
    s.current_phase = Phase::Finishing;
    Ok(None)
}

/// One CustomerQuery per record whose EditSequence QuickBooks said was out of date.
fn reread_batch(tx: &Transaction<'_>, s: &mut Session) -> Result<PreparedBatch, StoreError> {
    let wanted = std::mem::take(&mut s.reread_wanted);
    let mut requests = Vec::new();
    let mut planned = HashMap::new();
    for (i, record) in wanted.into_iter().enumerate() {
        let qb_id = outbox::get(tx, &record)?.and_then(|e| e.qb_id);
        let Some(list_id) = qb_id else { continue };
        let request_id = format!("reread-{i}");
        requests.push(
            CustomerQuery {
                request_id: request_id.clone(),
                selection: ListSelection::ListIds(vec![list_id]),
                owner_id: None,
                iterator: None,
            }
            .into(),
        );
        s.reread_done.insert(record.clone());
        planned.insert(request_id, Planned::Reread(record));
    }
    super::pull::record_batch(tx, s, requests, planned)
}

fn with_request_id(request: Request, id: &str) -> Request {
    let id = id.to_owned();
    match request {
        Request::CustomerAdd(mut r) => {
            r.request_id = id;
            Request::CustomerAdd(r)
        }
        Request::CustomerMod(mut r) => {
            r.request_id = id;
            Request::CustomerMod(r)
        }
        Request::EstimateAdd(mut r) => {
            r.request_id = id;
            Request::EstimateAdd(r)
        }
        Request::InvoiceAdd(mut r) => {
            r.request_id = id;
            Request::InvoiceAdd(r)
        }
        Request::ReceivePaymentAdd(mut r) => {
            r.request_id = id;
            Request::ReceivePaymentAdd(r)
        }
        other => other,
    }
}

/// Parks a record as needing a person (counted in the session, with a history row).
pub fn park(
    tx: &Transaction<'_>,
    s: &mut Session,
    record: &RecordRef,
    problem: Problem,
) -> Result<(), StoreError> {
    // A record released for a fresh check that is parked again for the same reason gets no
    // second history row: the history says what changed, not what stayed.
    let same_as_before = outbox::get(tx, record)?
        .and_then(|e| e.problem)
        .is_some_and(|p| p.code == problem.code && p.text == problem.text);
    outbox::mark_needs_attention(tx, record, &problem)?;
    s.needs_attention += 1;
    if same_as_before {
        return Ok(());
    }
    sessions::add_history(
        tx,
        Some(s.id),
        &sessions::NewHistory {
            record: Some(record),
            action: HistoryAction::Check,
            outcome: HistoryOutcome::NeedsAttention,
            qb_code: problem.code.as_ref(),
            qb_message: problem.message.as_deref(),
            text: Some(&problem.text),
        },
    )?;
    Ok(())
}

fn problem(code: ProblemCode, text: String, advice: &str) -> Problem {
    Problem {
        code: Some(code),
        message: None,
        text,
        advice: Some(advice.to_owned()),
    }
}

/// Plain English for the qbXML rules a record breaks (names too long, a ':' in a name...).
fn preflight_problem(label: &str, errors: &[BuildError]) -> Problem {
    let details: Vec<String> = errors
        .iter()
        .map(|e| match e {
            BuildError::TooLong {
                field, max, found, ..
            } => format!(
                "{} is {found} characters long; QuickBooks allows at most {max}",
                field_words(field)
            ),
            BuildError::InvalidName { field, value, .. } => format!(
                "{} \"{value}\" contains ':', which QuickBooks does not allow in a name",
                field_words(field)
            ),
            BuildError::InvalidCharacter { field, .. } => format!(
                "{} contains an invisible control character QuickBooks cannot store",
                field_words(field)
            ),
            BuildError::NumberOutOfRange { field, value, .. } => format!(
                "{} ({value}) is too large or has too many decimal places for QuickBooks",
                field_words(field)
            ),
            other => other.to_string(),
        })
        .collect();
    Problem {
        code: Some(ProblemCode::QuickBooksLimit),
        message: None,
        text: format!(
            "{} cannot go to QuickBooks as it is: {}.",
            capitalise(label),
            details.join("; ")
        ),
        advice: Some(
            "Shorten or correct it in your field-service app and import it again, or give it a QuickBooks name on the Sync page."
                .into(),
        ),
    }
}

/// "CustomerAdd/Name" → "the name"; "InvoiceAdd/RefNumber" → "the number".
fn field_words(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    let words = match last {
        "Name" => "the name",
        "RefNumber" => "the number",
        "CompanyName" => "the company name",
        "FirstName" => "the first name",
        "LastName" => "the last name",
        "Phone" => "the phone number",
        "Email" => "the e-mail address",
        "Addr1" | "Addr2" | "Addr3" | "City" | "State" | "PostalCode" | "Country" => {
            "an address line"
        }
        "Desc" => "a line's description",
        "Memo" => "the memo",
        "Quantity" => "a line's quantity",
        "Rate" => "a line's rate",
        "Amount" | "TotalAmount" | "PaymentAmount" => "an amount",
        other => return format!("the {other} field"),
    };
    words.to_owned()
}

/// The name or number sent to QuickBooks: the one a person chose on the Sync page for a
/// record whose own value breaks a QuickBooks limit, else the record's own.
fn qb_name(ctx: &Context, record: &RecordRef, field: &str, own: &str) -> String {
    ctx.overrides
        .get(&(record.clone(), field.to_owned()))
        .cloned()
        .unwrap_or_else(|| own.to_owned())
}

fn guid(text: &str) -> Option<uuid::Uuid> {
    qbxml::parse_guid(text)
}

fn qb_address(a: &StoreAddress) -> Option<Address> {
    let any = a.line1.is_some()
        || a.line2.is_some()
        || a.city.is_some()
        || a.state.is_some()
        || a.postal_code.is_some();
    any.then(|| Address {
        addr1: a.line1.clone(),
        addr2: a.line2.clone(),
        city: a.city.clone(),
        state: a.state.clone(),
        postal_code: a.postal_code.clone(),
        country: a.country.clone(),
        ..Address::default()
    })
}

fn customer_fields(c: &Customer) -> CustomerFields {
    CustomerFields {
        company_name: c.company_name.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        bill_address: qb_address(&c.billing_address),
        ship_address: qb_address(&c.service_address),
        phone: c.phone.clone(),
        email: c.email.clone(),
        ..CustomerFields::default()
    }
}

/// How a parent stands for its children.
enum ParentState {
    Ready(String),
    Waiting,
    Blocked(Problem),
}

fn parent_state(
    tx: &Transaction<'_>,
    ctx: &Context,
    parent: &RecordRef,
) -> Result<ParentState, StoreError> {
    let Some(e) = ctx.parent(tx, parent)? else {
        return Ok(ParentState::Blocked(Problem {
            text: format!("{parent} is missing from FieldBridge"),
            ..Problem::default()
        }));
    };
    Ok(match (e.state, e.qb_id) {
        (_, Some(id)) if e.state != SyncState::NeedsAttention => ParentState::Ready(id),
        (SyncState::Failed | SyncState::NeedsAttention, _) => {
            ParentState::Blocked(e.problem.unwrap_or_default())
        }
        _ => ParentState::Waiting,
    })
}

/// The child waits for its parent: parked with the parent's reason, or left for later.
fn blocked_by_parent(
    tx: &Transaction<'_>,
    s: &mut Session,
    record: &RecordRef,
    label: &str,
    parent_label: &str,
    parent: Problem,
) -> Result<Prepared, StoreError> {
    park(
        tx,
        s,
        record,
        Problem {
            code: Some(ProblemCode::WaitingOnParent),
            message: parent.message.clone(),
            text: format!(
                "{} waits for {parent_label}: {}",
                capitalise(label),
                parent.text
            ),
            advice: parent.advice.or(Some(format!("Fix {parent_label} first."))),
        },
    )?;
    Ok(Prepared::Done)
}

fn prepare(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    entry: &OutboxEntry,
) -> Result<Prepared, StoreError> {
    if entry.attempts >= MAX_SEND_ATTEMPTS {
        let label = label(tx, &entry.record)?;
        park(
            tx,
            s,
            &entry.record,
            problem(
                ProblemCode::TooManyAttempts,
                format!(
                    "{} was sent {} times without QuickBooks taking it (it was busy, locked or the answer was lost).",
                    capitalise(&label),
                    entry.attempts
                ),
                "Make sure nobody has the record open in QuickBooks, then choose Retry.",
            ),
        )?;
        return Ok(Prepared::Done);
    }
    match entry.record.kind {
        RecordKind::Customer => prepare_customer(tx, s, ctx, entry),
        RecordKind::Project => prepare_project(tx, s, ctx, entry),
        RecordKind::ServiceTicket => prepare_ticket(tx, s, ctx, entry),
        RecordKind::Invoice => prepare_invoice(tx, s, ctx, entry),
        RecordKind::Payment => prepare_payment(tx, s, ctx, entry),
    }
}

/// Words naming a record, e.g. `customer "Ecker Designs" (C-1001)`.
pub fn label(tx: &Transaction<'_>, record: &RecordRef) -> Result<String, StoreError> {
    let id = &record.id;
    Ok(match record.kind {
        RecordKind::Customer => customers::get(tx, id)?.map(|c| customer_label(&c.customer)),
        RecordKind::Project => projects::get(tx, id)?.map(|p| project_label(&p.project)),
        RecordKind::ServiceTicket => tickets::get(tx, id)?.map(|t| ticket_label(&t.ticket)),
        RecordKind::Invoice => invoices::get(tx, id)?.map(|i| invoice_label(&i.invoice)),
        RecordKind::Payment => payments::get(tx, id)?.map(|p| payment_label(&p.payment)),
    }
    .unwrap_or_else(|| format!("{} {id}", record.kind)))
}

fn customer_label(c: &Customer) -> String {
    format!("customer \"{}\" ({})", c.name, c.id)
}

fn project_label(p: &projects::Project) -> String {
    format!("project \"{}\" ({})", p.name, p.id)
}

fn ticket_label(t: &tickets::ServiceTicket) -> String {
    format!("service ticket {} ({})", t.number, t.id)
}

fn invoice_label(i: &invoices::Invoice) -> String {
    format!("invoice {} ({})", i.number, i.id)
}

fn payment_label(p: &payments::Payment) -> String {
    format!(
        "payment {} of {} on invoice {}",
        p.id,
        crate::money::format_amount(p.amount),
        p.invoice_id
    )
}

fn push_plan(record: &RecordRef, label: String, is_add: bool) -> PushPlan {
    PushPlan {
        record: record.clone(),
        label,
        is_add,
        expected_tax: None,
    }
}

fn prepare_customer(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    entry: &OutboxEntry,
) -> Result<Prepared, StoreError> {
    let record = &entry.record;
    let Some(stored) = customers::get(tx, &record.id)? else {
        return Ok(Prepared::Skip);
    };
    let c = &stored.customer;
    let label = customer_label(c);

    // QuickBooks has it: an update, if the settings allow, or archiving.
    if let Some(list_id) = &entry.qb_id {
        let mirror = qb_mirror::customer(tx, list_id)?;
        let archive = !c.active && mirror.as_ref().is_none_or(|m| m.is_active);
        if !archive && !ctx.update_customers {
            outbox::settle_without_sending(tx, record)?;
            return Ok(Prepared::Done);
        }
        let edit_sequence = entry
            .edit_sequence
            .clone()
            .or(mirror.map(|m| m.edit_sequence));
        let Some(edit_sequence) = edit_sequence else {
            return Ok(Prepared::Skip);
        };
        let request = if ctx.update_customers {
            CustomerMod {
                request_id: String::new(),
                list_id: list_id.clone(),
                edit_sequence,
                name: Some(qb_name(ctx, record, "name", &c.name)),
                is_active: Some(c.active),
                fields: customer_fields(c),
            }
        } else {
            CustomerMod {
                request_id: String::new(),
                list_id: list_id.clone(),
                edit_sequence,
                name: None,
                is_active: Some(false),
                fields: CustomerFields::default(),
            }
        };
        return Ok(Prepared::Send(
            Box::new(request.into()),
            push_plan(record, label, false),
        ));
    }

    // INVARIANT: next_batch builds the index before it prepares any record.
    let index = s.matcher.as_ref().expect("built before planning");
    let pairing = pairings::get(tx, &c.id)?;
    let create = match pairing {
        Some(p) if p.how == pairings::PairingHow::Create => true,
        Some(p) => {
            if let Some(list_id) = p.list_id {
                // A link whose outbox side was lost (e.g. the customer was re-imported):
                // restore it.
                pairings::link(tx, &c.id, &list_id, p.how)?;
                return Ok(Prepared::Done);
            }
            true
        }
        None => match index.matcher.decide(&party_of(c)) {
            Decision::Link(list_id) => {
                pairings::link(tx, &c.id, &list_id, pairings::PairingHow::Auto)?;
                sessions::add_history(
                    tx,
                    Some(s.id),
                    &sessions::NewHistory {
                        record: Some(record),
                        action: HistoryAction::Pair,
                        outcome: HistoryOutcome::Linked,
                        qb_code: None,
                        qb_message: None,
                        text: Some(&format!(
                            "Linked {label} to the QuickBooks customer with the same name."
                        )),
                    },
                )?;
                return Ok(Prepared::Done);
            }
            Decision::Suggest(candidates) => {
                let best = &candidates[0];
                let shown = index
                    .matcher
                    .party(&best.list_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| best.list_id.clone());
                let why: Vec<&str> = best
                    .reasons
                    .iter()
                    .map(|r| match r {
                        Reason::SameName => "the same name",
                        Reason::SimilarName => "a similar name",
                        Reason::SameAddress => "the same address",
                        Reason::SamePhone => "the same phone number",
                        Reason::SameEmail => "the same e-mail address",
                    })
                    .collect();
                park(
                    tx,
                    s,
                    record,
                    problem(
                        ProblemCode::NeedsPairing,
                        format!(
                            "{} may already be in QuickBooks as \"{shown}\" ({}), but FieldBridge is not sure.",
                            capitalise(&label),
                            why.join(", ")
                        ),
                        "Open Customers and link it to the right QuickBooks customer, or choose Create in QuickBooks.",
                    ),
                )?;
                return Ok(Prepared::Done);
            }
            Decision::NoCandidate => {
                if !ctx.auto_create {
                    park(
                        tx,
                        s,
                        record,
                        problem(
                            ProblemCode::AskFirst,
                            format!(
                                "{} is not in QuickBooks yet, and FieldBridge is set to ask before creating customers.",
                                capitalise(&label)
                            ),
                            "Open Customers and choose Create in QuickBooks, or link it to an existing customer.",
                        ),
                    )?;
                    return Ok(Prepared::Done);
                }
                true
            }
        },
    };
    debug_assert!(create);
    // Never create a customer whose name QuickBooks already has.
    let name = qb_name(ctx, record, "name", &c.name);
    if index.matcher.name_taken(&name) {
        park(
            tx,
            s,
            record,
            problem(
                ProblemCode::NameInUse,
                format!(
                    "QuickBooks already has a customer named \"{name}\", so FieldBridge did not create a second one for {label}.",
                ),
                "Open Customers and link it to that QuickBooks customer, or rename it in your field-service app.",
            ),
        )?;
        return Ok(Prepared::Done);
    }
    let request = CustomerAdd {
        request_id: String::new(),
        name,
        is_active: Some(c.active),
        fields: customer_fields(c),
        external_guid: guid(&stored.guid),
    };
    Ok(Prepared::Send(
        Box::new(request.into()),
        push_plan(record, label, true),
    ))
}

fn prepare_project(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    entry: &OutboxEntry,
) -> Result<Prepared, StoreError> {
    let record = &entry.record;
    let Some(stored) = projects::get(tx, &record.id)? else {
        return Ok(Prepared::Skip);
    };
    let p = &stored.project;
    let label = project_label(p);
    let parent = RecordRef::new(RecordKind::Customer, p.customer_id.clone());
    let parent_list_id = match parent_state(tx, ctx, &parent)? {
        ParentState::Ready(id) => id,
        ParentState::Waiting => return Ok(Prepared::Skip),
        ParentState::Blocked(problem) => {
            let parent_label = self::label(tx, &parent)?;
            return blocked_by_parent(tx, s, record, &label, &parent_label, problem);
        }
    };
    if let Some(list_id) = &entry.qb_id {
        let mirror = qb_mirror::customer(tx, list_id)?;
        let archive = !p.active && mirror.as_ref().is_none_or(|m| m.is_active);
        if !archive && !ctx.update_customers {
            outbox::settle_without_sending(tx, record)?;
            return Ok(Prepared::Done);
        }
        let Some(edit_sequence) = entry
            .edit_sequence
            .clone()
            .or(mirror.map(|m| m.edit_sequence))
        else {
            return Ok(Prepared::Skip);
        };
        let request = CustomerMod {
            request_id: String::new(),
            list_id: list_id.clone(),
            edit_sequence,
            name: if ctx.update_customers {
                Some(qb_name(ctx, record, "name", &p.name))
            } else {
                None
            },
            is_active: Some(p.active),
            fields: CustomerFields::default(),
        };
        return Ok(Prepared::Send(
            Box::new(request.into()),
            push_plan(record, label, false),
        ));
    }
    // A job of that name under that customer already exists: it is this project.
    // INVARIANT: next_batch builds the index before it prepares any record.
    let index = s.matcher.as_ref().expect("built before planning");
    if let Some((list_id, edit_sequence)) = index
        .jobs
        .get(&(
            parent_list_id.clone(),
            crate::pairing::normalize_name(&p.name),
        ))
        .cloned()
    {
        outbox::adopt_existing(tx, record, &list_id, Some(&edit_sequence))?;
        sessions::add_history(
            tx,
            Some(s.id),
            &sessions::NewHistory {
                record: Some(record),
                action: HistoryAction::Pair,
                outcome: HistoryOutcome::Linked,
                qb_code: None,
                qb_message: None,
                text: Some(&format!(
                    "Linked {label} to the QuickBooks job with the same name under its customer."
                )),
            },
        )?;
        return Ok(Prepared::Done);
    }
    let request = CustomerAdd {
        request_id: String::new(),
        name: qb_name(ctx, record, "name", &p.name),
        is_active: Some(p.active),
        fields: CustomerFields {
            parent: Some(ListRef::list_id(parent_list_id)),
            ..CustomerFields::default()
        },
        external_guid: guid(&stored.guid),
    };
    Ok(Prepared::Send(
        Box::new(request.into()),
        push_plan(record, label, true),
    ))
}

/// The QuickBooks customer or job a ticket, invoice or payment belongs to.
#[allow(clippy::too_many_arguments)]
fn billed_to(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    record: &RecordRef,
    label: &str,
    customer_id: &str,
    project_id: Option<&str>,
) -> Result<Result<String, Prepared>, StoreError> {
    let parent = match project_id {
        Some(p) => RecordRef::new(RecordKind::Project, p),
        None => RecordRef::new(RecordKind::Customer, customer_id),
    };
    Ok(match parent_state(tx, ctx, &parent)? {
        ParentState::Ready(id) => Ok(id),
        ParentState::Waiting => Err(Prepared::Skip),
        ParentState::Blocked(problem) => {
            let parent_label = self::label(tx, &parent)?;
            Err(blocked_by_parent(
                tx,
                s,
                record,
                label,
                &parent_label,
                problem,
            )?)
        }
    })
}

/// The item for lines and the sales tax item, checked against what QuickBooks has.
fn items_for(
    tx: &Transaction<'_>,
    ctx: &Context,
    project: bool,
    sales_tax: bool,
) -> Result<Result<(String, Option<String>), Problem>, StoreError> {
    let (item_role, tax_role, what) = if project {
        (ItemRole::ProjectItem, ItemRole::ProjectTaxItem, "project")
    } else {
        (ItemRole::ServiceItem, ItemRole::ServiceTaxItem, "service")
    };
    let item = match check_item(tx, ctx, item_role, what, "item")? {
        Ok(i) => i,
        Err(p) => return Ok(Err(p)),
    };
    let tax = if sales_tax {
        match check_item(tx, ctx, tax_role, what, "sales tax item")? {
            Ok(i) => Some(i),
            Err(p) => return Ok(Err(p)),
        }
    } else {
        None
    };
    Ok(Ok((item, tax)))
}

fn check_item(
    tx: &Transaction<'_>,
    ctx: &Context,
    role: ItemRole,
    what: &str,
    noun: &str,
) -> Result<Result<String, Problem>, StoreError> {
    let Some(Some(name)) = ctx.mappings.get(&role).cloned() else {
        return Ok(Err(problem(
            ProblemCode::NeedsMapping(role),
            format!("No {what} {noun} is chosen, so FieldBridge cannot say what the lines are in QuickBooks."),
            &format!("Choose the {what} {noun} on the Items page."),
        )));
    };
    match ctx.item(tx, &name)? {
        None => Ok(Err(problem(
            ProblemCode::NeedsMapping(role),
            format!("QuickBooks has no item named \"{name}\"."),
            &format!("Choose the {what} {noun} on the Items page."),
        ))),
        Some(i) if !i.is_active => Ok(Err(problem(
            ProblemCode::NeedsMapping(role),
            format!("The item \"{name}\" is inactive in QuickBooks."),
            &format!(
                "Make it active in QuickBooks, or choose another {what} {noun} on the Items page."
            ),
        ))),
        // The one rule of which types fit a role, shared with the Items page.
        Some(i) if !role.accepts(i.item_type) => Ok(Err(problem(
            ProblemCode::NeedsMapping(role),
            format!(
                "\"{name}\" is {} item in QuickBooks and cannot be the {what} {noun}.",
                i.item_type.a_words()
            ),
            &format!("Choose the {what} {noun} on the Items page."),
        ))),
        Some(i) => Ok(Ok(i.full_name)),
    }
}

/// The lines of a ticket or invoice as qbXML lines; a line that names an item QuickBooks
/// lacks is a problem for a person.
fn sales_lines(
    tx: &Transaction<'_>,
    ctx: &Context,
    lines: &[Line],
    default_item: &str,
    customer_taxable: bool,
    sales_tax: bool,
) -> Result<Result<Vec<SalesLine>, Problem>, StoreError> {
    let mut out = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let item = match &line.item {
            Some(name) => match ctx.item(tx, name)? {
                Some(i) if i.is_active => i.full_name,
                Some(_) => {
                    return Ok(Err(problem(
                        ProblemCode::MissingItem,
                        format!("Line {} names the item \"{name}\", which is inactive in QuickBooks.", n + 1),
                        "Make the item active in QuickBooks, or correct the line in your field-service app.",
                    )))
                }
                None => {
                    return Ok(Err(problem(
                        ProblemCode::MissingItem,
                        format!("Line {} names the item \"{name}\", which QuickBooks does not have.", n + 1),
                        "Add the item in QuickBooks, or correct the line in your field-service app.",
                    )))
                }
            },
            None => default_item.to_owned(),
        };
        let taxable = line.taxable.unwrap_or(customer_taxable);
        let (quantity, rate, amount) = match (line.quantity, line.rate) {
            (Some(q), Some(r)) => (Some(q), Some(r), None),
            _ => (None, None, line.amount),
        };
        out.push(SalesLine {
            item: Some(ListRef::full_name(item)),
            desc: Some(line.description.clone()),
            quantity,
            rate,
            amount,
            service_date: None,
            sales_tax_code: sales_tax.then(|| {
                ListRef::full_name(if taxable {
                    ctx.taxable_code.clone()
                } else {
                    ctx.non_taxable_code.clone()
                })
            }),
        });
    }
    Ok(Ok(out))
}

fn with_label(mut p: Problem, label: &str) -> Problem {
    p.text = format!("{} cannot be sent: {}", capitalise(label), p.text);
    p
}

/// What an estimate or invoice needs from its surroundings.
struct SalesParts {
    /// The customer's or job's ListID.
    customer: String,
    tax_item: Option<String>,
    lines: Vec<SalesLine>,
}

/// The customer or job, the mapped items and the lines of a ticket or invoice; or what
/// happened instead (waiting for the parent, parked for a mapping or an item).
#[allow(clippy::too_many_arguments)]
fn sales_parts(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    record: &RecordRef,
    label: &str,
    customer_id: &str,
    project_id: Option<&str>,
    lines: &[Line],
) -> Result<Result<SalesParts, Prepared>, StoreError> {
    let customer = match billed_to(tx, s, ctx, record, label, customer_id, project_id)? {
        Ok(id) => id,
        Err(p) => return Ok(Err(p)),
    };
    let taxable = ctx.taxable(tx, customer_id)?;
    let sales_tax = s.company.sales_tax;
    let (item, tax_item) = match items_for(tx, ctx, project_id.is_some(), sales_tax)? {
        Ok(x) => x,
        Err(p) => {
            park(tx, s, record, with_label(p, label))?;
            return Ok(Err(Prepared::Done));
        }
    };
    match sales_lines(tx, ctx, lines, &item, taxable, sales_tax)? {
        Ok(lines) => Ok(Ok(SalesParts {
            customer,
            tax_item,
            lines,
        })),
        Err(p) => {
            park(tx, s, record, with_label(p, label))?;
            Ok(Err(Prepared::Done))
        }
    }
}

fn prepare_ticket(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    entry: &OutboxEntry,
) -> Result<Prepared, StoreError> {
    let record = &entry.record;
    let Some(stored) = ctx.take_ticket(tx, &record.id)? else {
        return Ok(Prepared::Skip);
    };
    let t = &stored.ticket;
    let label = ticket_label(t);
    if !ctx.estimates_setting {
        park(tx, s, record, problem(
            ProblemCode::EstimatesOff,
            format!("{} is not sent: sending service tickets as estimates is switched off in FieldBridge.", capitalise(&label)),
            "Nothing to do. To send tickets, switch on \"Send service tickets as estimates\" on the Items page.",
        ))?;
        return Ok(Prepared::Done);
    }
    if !s.company.estimates {
        park(tx, s, record, problem(
            ProblemCode::EstimatesOffInQuickBooks,
            format!("{} cannot be sent: estimates are switched off in QuickBooks.", capitalise(&label)),
            "In QuickBooks choose Edit > Preferences > Jobs & Estimates > Company Preferences and answer Yes to \"Do you create estimates?\", or switch off sending tickets on FieldBridge's Items page.",
        ))?;
        return Ok(Prepared::Done);
    }
    if entry.qb_id.is_some() {
        park(tx, s, record, problem(
            ProblemCode::ChangedAfterSync,
            format!("{} changed in your field-service app after it reached QuickBooks as an estimate. FieldBridge does not change estimates already in QuickBooks.", capitalise(&label)),
            "Make the same change to the estimate in QuickBooks, then choose Skip here.",
        ))?;
        return Ok(Prepared::Done);
    }
    let parts = match sales_parts(
        tx,
        s,
        ctx,
        record,
        &label,
        &t.customer_id,
        t.project_id.as_deref(),
        &t.lines,
    )? {
        Ok(parts) => parts,
        Err(prepared) => return Ok(prepared),
    };
    let request = EstimateAdd {
        request_id: String::new(),
        customer: ListRef::list_id(parts.customer),
        txn_date: Some(t.date),
        ref_number: Some(qb_name(ctx, record, "number", &t.number)),
        item_sales_tax: parts.tax_item.map(ListRef::full_name),
        memo: t.description.clone(),
        external_guid: guid(&stored.guid),
        lines: parts.lines,
        include_ret: super::apply::ESTIMATE_ADD_RETURNS,
        ..EstimateAdd::default()
    };
    Ok(Prepared::Send(
        Box::new(request.into()),
        push_plan(record, label, true),
    ))
}

fn prepare_invoice(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    entry: &OutboxEntry,
) -> Result<Prepared, StoreError> {
    let record = &entry.record;
    let Some(stored) = ctx.take_invoice(tx, &record.id)? else {
        return Ok(Prepared::Skip);
    };
    let inv = &stored.invoice;
    let label = invoice_label(inv);
    if entry.qb_id.is_some() {
        let text = if inv.void {
            format!(
                "{} was voided in your field-service app after it reached QuickBooks.",
                capitalise(&label)
            )
        } else {
            format!("{} changed in your field-service app after it reached QuickBooks. FieldBridge does not change invoices already in QuickBooks.", capitalise(&label))
        };
        let advice = if inv.void {
            "Void it in QuickBooks too (open it and choose Edit > Void Invoice), then choose Skip here."
        } else {
            "Make the same change to the invoice in QuickBooks, then choose Skip here."
        };
        park(
            tx,
            s,
            record,
            problem(ProblemCode::ChangedAfterSync, text, advice),
        )?;
        return Ok(Prepared::Done);
    }
    if inv.void {
        park(
            tx,
            s,
            record,
            problem(
                ProblemCode::Void,
                format!(
                    "{} is void in your field-service app, so FieldBridge does not send it.",
                    capitalise(&label)
                ),
                "Nothing to do.",
            ),
        )?;
        return Ok(Prepared::Done);
    }
    if let Some(start) = ctx.start_date {
        if inv.date < start {
            park(tx, s, record, problem(
                ProblemCode::BeforeStartDate,
                format!("{} is dated {}, before the start date for invoices ({}), so FieldBridge leaves it out.", capitalise(&label), inv.date, start),
                "Nothing to do if QuickBooks already has it. To send it, move the start date on the Items page, then choose Retry.",
            ))?;
            return Ok(Prepared::Done);
        }
    }
    let parts = match sales_parts(
        tx,
        s,
        ctx,
        record,
        &label,
        &inv.customer_id,
        inv.project_id.as_deref(),
        &inv.lines,
    )? {
        Ok(parts) => parts,
        Err(prepared) => return Ok(prepared),
    };
    let request = InvoiceAdd {
        request_id: String::new(),
        customer: ListRef::list_id(parts.customer),
        txn_date: Some(inv.date),
        ref_number: Some(qb_name(ctx, record, "number", &inv.number)),
        due_date: inv.due_date,
        item_sales_tax: parts.tax_item.map(ListRef::full_name),
        memo: inv.memo.clone(),
        external_guid: guid(&stored.guid),
        lines: parts.lines,
        include_ret: super::apply::INVOICE_ADD_RETURNS,
        ..InvoiceAdd::default()
    };
    let mut plan = push_plan(record, label, true);
    plan.expected_tax = inv.expected_tax;
    Ok(Prepared::Send(Box::new(request.into()), plan))
}

fn prepare_payment(
    tx: &Transaction<'_>,
    s: &mut Session,
    ctx: &Context,
    entry: &OutboxEntry,
) -> Result<Prepared, StoreError> {
    let record = &entry.record;
    let Some(stored) = payments::get(tx, &record.id)? else {
        return Ok(Prepared::Skip);
    };
    let p = &stored.payment;
    let label = payment_label(p);
    if entry.qb_id.is_some() {
        park(tx, s, record, problem(
            ProblemCode::ChangedAfterSync,
            format!("{} changed in your field-service app after it reached QuickBooks. FieldBridge does not change payments already in QuickBooks.", capitalise(&label)),
            "Make the same change to the payment in QuickBooks, then choose Skip here.",
        ))?;
        return Ok(Prepared::Done);
    }
    let invoice_ref = RecordRef::new(RecordKind::Invoice, p.invoice_id.clone());
    let invoice_txn = match parent_state(tx, ctx, &invoice_ref)? {
        ParentState::Ready(id) => id,
        ParentState::Waiting => return Ok(Prepared::Skip),
        ParentState::Blocked(problem) => {
            let parent_label = self::label(tx, &invoice_ref)?;
            return blocked_by_parent(tx, s, record, &label, &parent_label, problem);
        }
    };
    let Some(invoice) = invoices::get(tx, &p.invoice_id)? else {
        return Ok(Prepared::Skip);
    };
    let billed = match invoice.invoice.project_id.as_deref() {
        Some(project) => RecordRef::new(RecordKind::Project, project),
        None => RecordRef::new(RecordKind::Customer, invoice.invoice.customer_id.clone()),
    };
    let Some(customer) = outbox::get(tx, &billed)?.and_then(|e| e.qb_id) else {
        return Ok(Prepared::Skip);
    };
    let method = match p.method.as_deref() {
        None => None,
        Some(app_method) => {
            let wanted = mappings::payment_method(tx, app_method)?.unwrap_or(app_method.to_owned());
            match qb_mirror::payment_method_by_name(tx, &wanted)? {
                Some(m) if m.is_active => Some(ListRef::full_name(m.name)),
                _ => {
                    park(tx, s, record, problem(
                        ProblemCode::MissingPaymentMethod,
                        format!("{} cannot be sent: QuickBooks has no active payment method named \"{wanted}\".", capitalise(&label)),
                        "Add it in QuickBooks (Lists > Customer & Vendor Profile Lists > Payment Method List), or map the method to one QuickBooks has on the Items page.",
                    ))?;
                    return Ok(Prepared::Done);
                }
            }
        }
    };
    let deposit = match &ctx.deposit_account {
        Some(account) => match qb_mirror::account_by_name(tx, account)? {
            Some(a) if a.is_active => Some(ListRef::full_name(a.name)),
            _ => {
                park(tx, s, record, problem(
                    ProblemCode::MissingAccount,
                    format!("{} cannot be sent: QuickBooks has no active account named \"{account}\" to deposit it to.", capitalise(&label)),
                    "Choose where payments are deposited on the Items page.",
                ))?;
                return Ok(Prepared::Done);
            }
        },
        None => qb_mirror::account_by_name(tx, "Undeposited Funds")?
            .filter(|a| a.is_active)
            .map(|a| ListRef::full_name(a.name)),
    };
    let request = ReceivePaymentAdd {
        request_id: String::new(),
        customer: ListRef::list_id(customer),
        txn_date: Some(p.date),
        ref_number: p.reference.clone(),
        total_amount: Some(p.amount),
        payment_method: method,
        deposit_to_account: deposit,
        external_guid: guid(&stored.guid),
        application: PaymentApplication::ToTxns(vec![AppliedToTxn {
            txn_id: invoice_txn,
            payment_amount: Some(p.amount),
        }]),
        ..ReceivePaymentAdd::default()
    };
    let _: Decimal = p.amount;
    Ok(Prepared::Send(
        Box::new(request.into()),
        push_plan(record, label, true),
    ))
}
