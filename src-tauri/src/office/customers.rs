//! The Customers page: every app customer with where it stands with QuickBooks (linked,
//! suggested, needs a decision, will be created, failed), FieldBridge's best suggestion with
//! its evidence, and the decisions a person makes (link, unlink, create, accept every exact
//! match, re-read QuickBooks' list).
//!
//! "Suggested" is an exact unique match the next sync links by itself; any other candidate
//! (a near name, a shared phone, e-mail or address) makes the customer "needs a decision",
//! whatever the new-customer setting, with the candidate and its evidence in words: the sync
//! does not create it until a person links it or chooses Create in QuickBooks.
//!
//! Owns how a pairing state is derived from the pairing, the outbox and the matcher, and the
//! [`Suggestions`] cache. Does not own the matching rules (`pairing/`) nor the pairing SQL
//! (`store::pairings`).
//!
//! Suggestions come from [`Matcher`] over QuickBooks' *active* customers and jobs that no
//! app customer is linked to yet (the same parties the sync pairs against). Building them for
//! 50,000 customers takes a moment, so they are computed once and kept until the customers,
//! the mirror or the pairings change ([`Suggestions`]).

use super::{page_limit, OfficeError};
use crate::pairing::{names, Decision, Matcher, Party, Reason};
use crate::store::customers::{self, PairingRow};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::standing::Standing;
use crate::store::{pairings, qb_changes, qb_mirror, settings, Store, StoreError};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Where an app customer stands with QuickBooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PairingState {
    Linked,
    Suggested,
    NeedsDecision,
    WillCreate,
    Failed,
}

/// What the list is filtered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CustomerFilter {
    All,
    Linked,
    Suggested,
    NeedsDecision,
    WillCreate,
    Failed,
}

impl CustomerFilter {
    fn admits(self, state: PairingState) -> bool {
        match self {
            CustomerFilter::All => true,
            CustomerFilter::Linked => state == PairingState::Linked,
            CustomerFilter::Suggested => state == PairingState::Suggested,
            CustomerFilter::NeedsDecision => state == PairingState::NeedsDecision,
            CustomerFilter::WillCreate => state == PairingState::WillCreate,
            CustomerFilter::Failed => state == PairingState::Failed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MatchField {
    Name,
    CompanyName,
    Address,
    Phone,
    Email,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MatchReason {
    pub field: MatchField,
    /// Plain words, e.g. "Same phone number (555) 201-3344".
    pub detail: String,
}

/// `Exact`: the matcher would link it without asking (one customer with the same name, and
/// no address that disagrees): safe to accept in bulk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MatchStrength {
    Exact,
    Strong,
    Weak,
}

/// A score from this up is "strong" evidence (a same name alone scores 70).
const STRONG_SCORE: u8 = 70;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Suggestion {
    pub qb_list_id: String,
    pub qb_full_name: String,
    pub strength: MatchStrength,
    pub score: u8,
    pub reasons: Vec<MatchReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LinkedQbCustomer {
    pub list_id: String,
    pub full_name: String,
    pub is_job: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

impl Address {
    fn of(a: &customers::Address) -> Option<Self> {
        (!a.is_empty()).then(|| Address {
            line1: a.line1.clone(),
            line2: a.line2.clone(),
            city: a.city.clone(),
            state: a.state.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CustomerRow {
    pub id: String,
    pub name: String,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub billing_address: Option<Address>,
    pub state: PairingState,
    pub linked: Option<LinkedQbCustomer>,
    pub suggestion: Option<Suggestion>,
    pub problem: Option<String>,
    /// What a QuickBooks user did to the linked customer that needs nobody (a rename), in
    /// plain English; what needs a person is in `problem`.
    pub quickbooks_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ListCustomersRequest {
    pub query: String,
    pub filter: CustomerFilter,
    pub offset: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CustomerCounts {
    pub all: u64,
    pub linked: u64,
    pub suggested: u64,
    pub needs_decision: u64,
    pub will_create: u64,
    pub failed: u64,
}

impl CustomerCounts {
    fn add(&mut self, state: PairingState) {
        self.all += 1;
        *match state {
            PairingState::Linked => &mut self.linked,
            PairingState::Suggested => &mut self.suggested,
            PairingState::NeedsDecision => &mut self.needs_decision,
            PairingState::WillCreate => &mut self.will_create,
            PairingState::Failed => &mut self.failed,
        } += 1;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CustomerPage {
    pub rows: Vec<CustomerRow>,
    pub total: u64,
    pub counts: CustomerCounts,
    pub exact_matches: u64,
    pub qb_customers_read_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AcceptMatchesResult {
    pub linked: u64,
}

/// What identifies one state of the data the suggestions were computed from.
type Fingerprint = (
    (i64, Option<String>),
    (i64, Option<String>),
    (i64, Option<String>, i64),
);

/// The best suggestion for every unpaired app customer, kept until the customers, the
/// QuickBooks mirror or the pairings change. Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct Suggestions {
    cached: Arc<Mutex<Option<(Fingerprint, SuggestionMap)>>>,
}

/// App customer id → its best suggestion.
type SuggestionMap = Arc<HashMap<String, Suggestion>>;

impl Suggestions {
    pub fn new() -> Self {
        Self::default()
    }

    /// The suggestions for the store as it is now (recomputed if anything changed).
    pub fn current(
        &self,
        conn: &Connection,
    ) -> Result<Arc<HashMap<String, Suggestion>>, StoreError> {
        let key: Fingerprint = (
            customers::fingerprint(conn)?,
            qb_mirror::customers_fingerprint(conn)?,
            pairings::fingerprint(conn)?,
        );
        let mut guard = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((k, map)) = guard.as_ref() {
            if *k == key {
                return Ok(map.clone());
            }
        }
        let map = Arc::new(compute_suggestions(conn)?);
        *guard = Some((key, map.clone()));
        Ok(map)
    }
}

/// The app customer as pairing sees it (the same fields as the sync's `party_of`).
fn party_of_row(r: &PairingRow) -> Party {
    Party {
        key: r.id.clone(),
        name: r.name.clone(),
        company_name: r.company_name.clone(),
        email: r.email.clone(),
        phone: r.phone.clone(),
        address_line1: r.address_line1.clone(),
        postal_code: r.postal_code.clone(),
    }
}

fn is_linked(r: &PairingRow) -> bool {
    r.qb_id.is_some() || r.paired_list_id.is_some()
}

fn compute_suggestions(conn: &Connection) -> Result<HashMap<String, Suggestion>, StoreError> {
    let linked = pairings::linked_list_ids(conn)?;
    let mut parties = Vec::new();
    let mut full_names = HashMap::new();
    for c in qb_mirror::customers(conn)? {
        if !c.is_active || linked.contains_key(&c.list_id) {
            continue;
        }
        let address = if c.bill_address.line1.is_some() {
            &c.bill_address
        } else {
            &c.ship_address
        };
        full_names.insert(c.list_id.clone(), c.full_name.clone());
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
    if parties.is_empty() {
        return Ok(HashMap::new());
    }
    let matcher = Matcher::new(parties);
    let mut out = HashMap::new();
    for row in customers::pairing_rows(conn, "")? {
        if is_linked(&row) || row.paired_how == Some(pairings::PairingHow::Create) {
            continue;
        }
        let app = party_of_row(&row);
        let decision = matcher.decide(&app);
        let candidates = match &decision {
            Decision::NoCandidate => continue,
            Decision::Link(_) => matcher.candidates(&app),
            Decision::Suggest(c) => c.clone(),
        };
        let Some(best) = candidates.first() else {
            continue;
        };
        let Some(qb) = matcher.party(&best.list_id) else {
            continue;
        };
        let strength = match &decision {
            Decision::Link(id) if *id == best.list_id => MatchStrength::Exact,
            _ if best.score >= STRONG_SCORE => MatchStrength::Strong,
            _ => MatchStrength::Weak,
        };
        out.insert(
            row.id.clone(),
            Suggestion {
                qb_list_id: best.list_id.clone(),
                qb_full_name: full_names
                    .get(&best.list_id)
                    .cloned()
                    .unwrap_or_else(|| qb.name.clone()),
                strength,
                score: best.score,
                reasons: best
                    .reasons
                    .iter()
                    .map(|r| reason_words(*r, &app, qb))
                    .collect(),
            },
        );
    }
    Ok(out)
}

/// Why a customer with a plausible QuickBooks match waits, in plain words.
fn wait_reason(s: &Suggestion) -> String {
    let evidence: Vec<&str> = s.reasons.iter().map(|r| r.detail.as_str()).collect();
    format!(
        "May already be in QuickBooks as \"{}\" ({}). FieldBridge will not create it until you link it or choose Create in QuickBooks.",
        s.qb_full_name,
        evidence.join("; ")
    )
}

/// How the names differ, in words, trying the app's and QuickBooks' names and company names.
fn name_difference(app: &Party, qb: &Party) -> Option<String> {
    let names = |p: &Party| -> Vec<String> {
        std::iter::once(p.name.clone())
            .chain(p.company_name.clone())
            .collect()
    };
    names(app)
        .iter()
        .flat_map(|a| names(qb).into_iter().map(move |q| (a.clone(), q)))
        .find_map(|(a, q)| names::difference(&a, &q))
}

/// One piece of evidence in words, quoting QuickBooks' side.
fn reason_words(reason: Reason, app: &Party, qb: &Party) -> MatchReason {
    let or_blank = |v: &Option<String>| v.clone().unwrap_or_default();
    match reason {
        Reason::SameName => MatchReason {
            field: MatchField::Name,
            detail: format!("Same name \"{}\"", qb.name),
        },
        Reason::SimilarName => MatchReason {
            field: MatchField::Name,
            detail: match name_difference(app, qb) {
                Some(how) => format!("Similar name \"{}\": {how}", qb.name),
                None => format!("Similar name \"{}\"", qb.name),
            },
        },
        Reason::SameAddress => MatchReason {
            field: MatchField::Address,
            detail: format!("Same address {}", or_blank(&qb.address_line1)),
        },
        Reason::SamePhone => MatchReason {
            field: MatchField::Phone,
            detail: format!("Same phone number {}", or_blank(&qb.phone)),
        },
        Reason::SameEmail => MatchReason {
            field: MatchField::Email,
            detail: format!("Same e-mail address {}", or_blank(&qb.email)),
        },
    }
}

/// A customer's state, and the plain-English problem when it has one.
fn state_of(
    row: &PairingRow,
    suggestion: Option<&Suggestion>,
    auto_create: bool,
) -> (PairingState, Option<String>) {
    if is_linked(row) {
        // Still linked, and waiting when QuickBooks made its customer inactive (the problem
        // says since when and what to do).
        let waits = row.standing.is_some_and(Standing::needs_person);
        return (
            PairingState::Linked,
            waits.then(|| row.problem_text.clone()).flatten(),
        );
    }
    // Where it stands is the store's one decision (the Sync page and `status` read it too).
    match row.standing {
        Some(Standing::NeedsDecision) => {
            return (PairingState::NeedsDecision, row.problem_text.clone())
        }
        Some(Standing::Failed | Standing::NeedsAttention | Standing::WaitingOnParent) => {
            return (PairingState::Failed, row.problem_text.clone())
        }
        _ => {}
    }
    if row.paired_how == Some(pairings::PairingHow::Create) {
        return (PairingState::WillCreate, None);
    }
    match suggestion {
        Some(s) if s.strength == MatchStrength::Exact => {
            return (PairingState::Suggested, None);
        }
        // The sync will not create it: a person decides, whatever the new-customer setting.
        Some(s) => return (PairingState::NeedsDecision, Some(wait_reason(s))),
        None => {}
    }
    if !auto_create {
        return (
            PairingState::NeedsDecision,
            Some(
                "Not in QuickBooks yet, and FieldBridge is set to ask before creating customers: link it or choose Create in QuickBooks."
                    .into(),
            ),
        );
    }
    (PairingState::WillCreate, None)
}

/// One page of customers (the contract's `list_customers`).
pub fn list(
    store: &Store,
    suggestions: &Suggestions,
    request: &ListCustomersRequest,
) -> Result<CustomerPage, OfficeError> {
    Ok(store.read(|conn| {
        let all = suggestions.current(conn)?;
        let auto_create = settings::auto_create_customers(conn)?;
        let mut counts = CustomerCounts::default();
        let mut matching = Vec::new();
        for row in customers::pairing_rows(conn, &request.query)? {
            let suggestion = all.get(&row.id);
            let (state, problem) = state_of(&row, suggestion, auto_create);
            counts.add(state);
            if request.filter.admits(state) {
                matching.push((row, state, problem));
            }
        }
        let total = matching.len() as u64;
        let rows = matching
            .into_iter()
            .skip(request.offset as usize)
            .take(page_limit(request.limit) as usize)
            .map(|(row, state, problem)| full_row(conn, &row, state, problem, all.get(&row.id)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let exact_matches = all
            .values()
            .filter(|s| s.strength == MatchStrength::Exact)
            .count() as u64;
        Ok::<_, StoreError>(CustomerPage {
            rows,
            total,
            counts,
            exact_matches,
            qb_customers_read_at: qb_mirror::read_at(conn, "customers")?,
        })
    })?)
}

fn full_row(
    conn: &Connection,
    row: &PairingRow,
    state: PairingState,
    problem: Option<String>,
    suggestion: Option<&Suggestion>,
) -> Result<CustomerRow, StoreError> {
    let billing =
        customers::get(conn, &row.id)?.and_then(|c| Address::of(&c.customer.billing_address));
    let linked = match (state, row.qb_id.as_ref().or(row.paired_list_id.as_ref())) {
        (PairingState::Linked, Some(list_id)) => Some(match qb_mirror::customer(conn, list_id)? {
            Some(qb) => LinkedQbCustomer {
                list_id: qb.list_id,
                full_name: qb.full_name,
                is_job: qb.parent_list_id.is_some(),
            },
            None => LinkedQbCustomer {
                list_id: list_id.clone(),
                full_name: list_id.clone(),
                is_job: false,
            },
        }),
        _ => None,
    };
    Ok(CustomerRow {
        id: row.id.clone(),
        name: row.name.clone(),
        company_name: row.company_name.clone(),
        email: row.email.clone(),
        phone: row.phone.clone(),
        billing_address: billing,
        state,
        linked,
        suggestion: matches!(state, PairingState::Suggested | PairingState::NeedsDecision)
            .then(|| suggestion.cloned())
            .flatten(),
        problem,
        quickbooks_note: match state {
            PairingState::Linked => {
                qb_changes::rename(conn, &RecordRef::new(RecordKind::Customer, row.id.clone()))?
                    .map(|r| r.note())
            }
            _ => None,
        },
    })
}

/// One customer's row as the list shows it now.
pub fn row(store: &Store, suggestions: &Suggestions, id: &str) -> Result<CustomerRow, OfficeError> {
    store.read(|conn| {
        let all = suggestions.current(conn)?;
        let auto_create = settings::auto_create_customers(conn)?;
        let Some(r) = customers::pairing_row(conn, id)? else {
            return Err(OfficeError::NotFound(format!(
                "There is no customer with id \"{id}\" in FieldBridge any more. Refresh the list."
            )));
        };
        let (state, problem) = state_of(&r, all.get(id), auto_create);
        Ok(full_row(conn, &r, state, problem, all.get(id))?)
    })
}

/// Links an app customer to a QuickBooks customer or job (a person's decision).
pub fn link(
    store: &Store,
    suggestions: &Suggestions,
    app_customer_id: &str,
    qb_list_id: &str,
) -> Result<CustomerRow, OfficeError> {
    store
        .write(|tx| pairings::link(tx, app_customer_id, qb_list_id, pairings::PairingHow::Manual))
        .map_err(|e| match e {
            StoreError::ListIdAlreadyPaired { customer_id, .. } => OfficeError::Conflict(format!(
                "That QuickBooks customer is already linked to app customer \"{customer_id}\". Unlink that one first, or choose another QuickBooks customer."
            )),
            StoreError::UnknownQbListId(_) => OfficeError::NotFound(
                "That QuickBooks customer is not in FieldBridge's copy of QuickBooks' list any more. Refresh the list from QuickBooks and choose again.".into(),
            ),
            other => OfficeError::Store(other),
        })?;
    row(store, suggestions, app_customer_id)
}

/// Removes a link or a "will be created" mark.
pub fn unlink(
    store: &Store,
    suggestions: &Suggestions,
    app_customer_id: &str,
) -> Result<CustomerRow, OfficeError> {
    store
        .write(|tx| pairings::unpair(tx, app_customer_id))
        .map_err(|e| match e {
            StoreError::NotPaired(_) => OfficeError::Conflict(format!(
                "Customer \"{app_customer_id}\" is not linked and was not marked to be created by hand. If it is due to be created, that is because Settings say to create new customers automatically: link it to a QuickBooks customer instead, or switch New customers to \"Ask first\" in Settings."
            )),
            other => OfficeError::Store(other),
        })?;
    row(store, suggestions, app_customer_id)
}

/// Marks the customer to be added to QuickBooks at the next sync.
pub fn create_in_quickbooks(
    store: &Store,
    suggestions: &Suggestions,
    app_customer_id: &str,
) -> Result<CustomerRow, OfficeError> {
    store
        .write(|tx| pairings::mark_create(tx, app_customer_id))
        .map_err(|e| match e {
            StoreError::AlreadyInQuickBooks { .. } => OfficeError::Conflict(format!(
                "Customer \"{app_customer_id}\" is already in QuickBooks. Unlink it first if it should be added again."
            )),
            other => OfficeError::Store(other),
        })?;
    row(store, suggestions, app_customer_id)
}

/// Links every customer whose suggestion is exact, in one transaction.
pub fn accept_exact_matches(
    store: &Store,
    suggestions: &Suggestions,
) -> Result<AcceptMatchesResult, OfficeError> {
    let exact: Vec<(String, String)> = store.read(|conn| {
        Ok::<_, StoreError>(
            suggestions
                .current(conn)?
                .iter()
                .filter(|(_, s)| s.strength == MatchStrength::Exact)
                .map(|(id, s)| (id.clone(), s.qb_list_id.clone()))
                .collect(),
        )
    })?;
    let linked = store.write(|tx| {
        let mut n = 0;
        for (customer_id, list_id) in &exact {
            match pairings::link(tx, customer_id, list_id, pairings::PairingHow::Manual) {
                Ok(()) => n += 1,
                // Taken meanwhile, or in flight: left for the person to see.
                Err(StoreError::ListIdAlreadyPaired { .. } | StoreError::InFlight { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok::<_, StoreError>(n)
    })?;
    Ok(AcceptMatchesResult { linked })
}

/// Asks the next sync to read QuickBooks' whole customer list again.
pub fn request_refresh(store: &Store) -> Result<(), OfficeError> {
    Ok(store.write(|tx| {
        settings::set_raw(
            tx,
            crate::sync::REFRESH_CUSTOMERS,
            Some(&crate::store::now_utc()),
        )
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::test_support::*;
    use crate::store::customers::Customer;

    fn request(query: &str, filter: CustomerFilter) -> ListCustomersRequest {
        ListCustomersRequest {
            query: query.into(),
            filter,
            offset: 0,
            limit: 50,
        }
    }

    /// Ecker: exact; Baker: near name + same phone (weak); Zed: nothing; Linked Co: linked.
    fn fixture() -> (Store, Suggestions) {
        let store = store();
        save_customers(
            &store,
            &[
                customer("C-1", "Ecker Designs", None, Some("12 Mill Rd")),
                customer("C-2", "Baker Bros", Some("(555) 201-3344"), None),
                customer("C-3", "Zed Zebra", None, None),
                customer("C-4", "Linked Co", None, None),
            ],
        );
        save_qb(
            &store,
            &[
                qb("80-1", "Ecker Designs", None, Some("12 Mill Road")),
                qb("80-2", "Baker Bros Plumbing", Some("555.201.3344"), None),
                qb("80-4", "Linked Co", None, None),
            ],
        );
        store
            .write(|tx| pairings::link(tx, "C-4", "80-4", pairings::PairingHow::Manual))
            .unwrap();
        (store, Suggestions::new())
    }

    #[test]
    fn states_suggestions_and_counts_follow_the_evidence() {
        let (store, sug) = fixture();
        let page = list(&store, &sug, &request("", CustomerFilter::All)).unwrap();
        let by_id: HashMap<_, _> = page.rows.iter().map(|r| (r.id.as_str(), r)).collect();
        assert_eq!(page.total, 4, "every customer is listed under all");
        let ecker = by_id["C-1"];
        assert_eq!(ecker.state, PairingState::Suggested);
        let s = ecker.suggestion.as_ref().expect("Ecker has a suggestion");
        assert_eq!(
            s.strength,
            MatchStrength::Exact,
            "unique same name, same street: exact"
        );
        assert_eq!(s.qb_list_id, "80-1");
        assert!(
            s.reasons
                .iter()
                .any(|r| r.field == MatchField::Name && r.detail.contains("Ecker Designs")),
            "the name evidence is named: {:?}",
            s.reasons
        );
        let baker = by_id["C-2"];
        assert_eq!(
            baker.state,
            PairingState::NeedsDecision,
            "a near name and a shared phone: a person decides before anything is created"
        );
        assert!(
            baker
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("\"Baker Bros Plumbing\"")),
            "the reason names the candidate: {:?}",
            baker.problem
        );
        let s = baker.suggestion.as_ref().unwrap();
        assert_eq!(
            s.strength,
            MatchStrength::Weak,
            "a near name is not the same name"
        );
        let phone = s
            .reasons
            .iter()
            .find(|r| r.field == MatchField::Phone)
            .expect("phone evidence");
        assert!(
            phone.detail.contains("555.201.3344"),
            "QuickBooks' phone is quoted: {}",
            phone.detail
        );
        assert_eq!(
            by_id["C-3"].state,
            PairingState::WillCreate,
            "no candidate + create automatically"
        );
        let linked = by_id["C-4"];
        assert_eq!(linked.state, PairingState::Linked);
        assert_eq!(
            linked.linked,
            Some(LinkedQbCustomer {
                list_id: "80-4".into(),
                full_name: "Linked Co".into(),
                is_job: false
            })
        );
        assert_eq!(
            page.counts,
            CustomerCounts {
                all: 4,
                linked: 1,
                suggested: 1,
                needs_decision: 1,
                will_create: 1,
                failed: 0
            }
        );
        assert_eq!(
            page.exact_matches, 1,
            "only Ecker would be accepted in bulk"
        );
        assert!(
            page.qb_customers_read_at.is_some(),
            "the customer list was read"
        );
    }

    #[test]
    fn query_and_filter_narrow_rows_while_counts_ignore_the_filter() {
        let (store, sug) = fixture();
        let page = list(&store, &sug, &request("ecker", CustomerFilter::Linked)).unwrap();
        assert_eq!(page.total, 0, "Ecker is not linked");
        assert_eq!(page.counts.all, 1, "counts honour the query");
        assert_eq!(page.counts.suggested, 1, "counts ignore the filter");
        let page = list(&store, &sug, &request("201-3344", CustomerFilter::All)).unwrap();
        assert_eq!(page.rows.len(), 1, "the phone is searched");
        assert_eq!(page.rows[0].id, "C-2");
        let page = list(&store, &sug, &request("mill rd", CustomerFilter::All)).unwrap();
        assert_eq!(
            page.rows[0].id, "C-1",
            "the address is searched, case-insensitively"
        );
        let page = list(&store, &sug, &request("100%", CustomerFilter::All)).unwrap();
        assert_eq!(page.total, 0, "% in a query is a literal, not a wildcard");
    }

    #[test]
    fn pages_are_cut_in_name_order() {
        let store = store();
        let list_of: Vec<Customer> = (0..30)
            .map(|i| {
                customer(
                    &format!("C-{i:02}"),
                    &format!("Customer {i:02}"),
                    None,
                    None,
                )
            })
            .collect();
        save_customers(&store, &list_of);
        let sug = Suggestions::new();
        let page = list(
            &store,
            &sug,
            &ListCustomersRequest {
                query: String::new(),
                filter: CustomerFilter::All,
                offset: 25,
                limit: 10,
            },
        )
        .unwrap();
        assert_eq!(page.total, 30, "total counts every match, not the page");
        let ids: Vec<_> = page.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            ["C-25", "C-26", "C-27", "C-28", "C-29"],
            "the last page holds the rest"
        );
    }

    #[test]
    fn ask_first_turns_unmatched_customers_into_decisions() {
        let (store, sug) = fixture();
        store
            .write(|tx| settings::set_auto_create_customers(tx, false))
            .unwrap();
        let page = list(&store, &sug, &request("zed", CustomerFilter::NeedsDecision)).unwrap();
        assert_eq!(
            page.total, 1,
            "no candidate and ask first: a person decides"
        );
        assert!(page.rows[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("ask before creating"));
    }

    #[test]
    fn near_duplicates_need_a_decision_under_both_settings_and_numbered_names_do_not() {
        let store = store();
        save_customers(
            &store,
            &[
                customer("C-1", "Hilltop Bakery", None, None),
                customer("C-2", "Andersen Hardware", None, None),
                customer("C-3", "Andersen Hardware 2", None, None),
            ],
        );
        save_qb(
            &store,
            &[
                qb("80-1", "Hill Top Bakery", None, None),
                qb("80-2", "Andersen Hardware", None, None),
            ],
        );
        store
            .write(|tx| pairings::link(tx, "C-2", "80-2", pairings::PairingHow::Manual))
            .unwrap();
        for auto_create in [true, false] {
            store
                .write(|tx| settings::set_auto_create_customers(tx, auto_create))
                .unwrap();
            let sug = Suggestions::new();
            let hilltop = row(&store, &sug, "C-1").unwrap();
            assert_eq!(hilltop.state, PairingState::NeedsDecision, "{hilltop:?}");
            let problem = hilltop.problem.unwrap_or_default();
            assert!(
                problem.contains("\"Hill Top Bakery\"") && problem.contains("joined or apart"),
                "the candidate and how the names differ, in words: {problem}"
            );
            let numbered = row(&store, &sug, "C-3").unwrap();
            assert!(
                numbered.suggestion.is_none(),
                "a numbered name is no similar name: {numbered:?}"
            );
            let expected = if auto_create {
                PairingState::WillCreate
            } else {
                PairingState::NeedsDecision
            };
            assert_eq!(
                numbered.state, expected,
                "only the setting decides: {numbered:?}"
            );
        }
    }

    #[test]
    fn link_unlink_create_and_accept_exact_matches() {
        let (store, sug) = fixture();
        let row = link(&store, &sug, "C-2", "80-2").unwrap();
        assert_eq!(row.state, PairingState::Linked, "a person's link is a link");
        let err = link(&store, &sug, "C-3", "80-2").unwrap_err();
        assert_eq!(
            err.code(),
            "conflict",
            "one QuickBooks customer, one app customer"
        );
        assert!(
            err.to_string().contains("C-2"),
            "the message names the holder: {err}"
        );
        let err = link(&store, &sug, "C-3", "nope").unwrap_err();
        assert_eq!(err.code(), "not_found");
        let row = unlink(&store, &sug, "C-2").unwrap();
        assert_ne!(row.state, PairingState::Linked, "unlinked");
        assert_eq!(
            unlink(&store, &sug, "C-3").unwrap_err().code(),
            "conflict",
            "nothing to unlink"
        );
        let row = create_in_quickbooks(&store, &sug, "C-2").unwrap();
        assert_eq!(row.state, PairingState::WillCreate);
        assert!(row.suggestion.is_none(), "a creation shows no suggestion");
        assert_eq!(
            create_in_quickbooks(&store, &sug, "C-4")
                .unwrap_err()
                .code(),
            "conflict",
            "a linked customer is already in QuickBooks"
        );
        let accepted = accept_exact_matches(&store, &sug).unwrap();
        assert_eq!(accepted.linked, 1, "only the exact match is accepted");
        assert_eq!(row_state(&store, &sug, "C-1"), PairingState::Linked);
        assert_eq!(
            accept_exact_matches(&store, &sug).unwrap().linked,
            0,
            "nothing left to accept"
        );
    }

    fn row_state(store: &Store, sug: &Suggestions, id: &str) -> PairingState {
        row(store, sug, id).unwrap().state
    }

    #[test]
    fn a_refused_customer_is_failed_with_its_reason() {
        let (store, sug) = fixture();
        store
            .write(|tx| {
                let r = crate::store::RecordRef::new(crate::store::RecordKind::Customer, "C-3");
                crate::store::outbox::mark_needs_attention(
                    tx,
                    &r,
                    &crate::store::outbox::Problem {
                        code: Some(crate::store::codes::ProblemCode::QuickBooksLimit),
                        message: None,
                        text: "Customer \"Zed Zebra\" is too long.".into(),
                        advice: None,
                    },
                )
            })
            .unwrap();
        let r = row(&store, &sug, "C-3").unwrap();
        assert_eq!(
            r.state,
            PairingState::Failed,
            "a limit problem is not a pairing question"
        );
        assert_eq!(
            r.problem.as_deref(),
            Some("Customer \"Zed Zebra\" is too long.")
        );
        assert_eq!(row(&store, &sug, "C-9").unwrap_err().code(), "not_found");
    }

    #[test]
    fn a_refresh_request_is_left_for_the_next_sync() {
        let (store, _) = fixture();
        request_refresh(&store).unwrap();
        assert!(
            store
                .read(|c| settings::get_raw(c, crate::sync::REFRESH_CUSTOMERS))
                .unwrap()
                .is_some(),
            "the sync reads this key to re-read the whole list"
        );
    }
}

#[cfg(test)]
mod scale {
    use super::*;
    use crate::office::test_support::*;

    /// 50,000 customers on each side: run by hand (`--ignored --nocapture`) to see how long
    /// the first page and a search take. Prints; asserts only the counts.
    #[test]
    #[ignore]
    fn fifty_thousand_customers() {
        let store = store();
        let n = 50_000;
        let app: Vec<_> = (0..n)
            .map(|i| {
                customer(
                    &format!("C-{i}"),
                    &format!("Customer {i} Services"),
                    Some(&format!("555-{i:07}")),
                    None,
                )
            })
            .collect();
        save_customers(&store, &app);
        let qbs: Vec<_> = (0..n)
            .map(|i| {
                qb(
                    &format!("80-{i}"),
                    &format!("Customer {i} Services"),
                    None,
                    None,
                )
            })
            .collect();
        save_qb(&store, &qbs);
        let sug = Suggestions::new();
        let req = ListCustomersRequest {
            query: String::new(),
            filter: CustomerFilter::All,
            offset: 0,
            limit: 100,
        };
        for round in 0..2 {
            let t = std::time::Instant::now();
            let page = list(&store, &sug, &req).unwrap();
            println!(
                "round {round}: first page in {:?} (total {})",
                t.elapsed(),
                page.total
            );
            assert_eq!(page.total, n as u64);
        }
        let t = std::time::Instant::now();
        let page = list(
            &store,
            &sug,
            &ListCustomersRequest {
                query: "4999".into(),
                ..req.clone()
            },
        )
        .unwrap();
        println!("search: {:?} ({} matches)", t.elapsed(), page.total);
    }
}
