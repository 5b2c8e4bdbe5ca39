//! The simulated QuickBooks company file: answers a qbXML request document the way
//! QuickBooks Desktop (US, qbXML 13.0) does, and lets a test set up, disturb and inspect it.
//!
//! Owns: the message-set level (onError, newMessageSetID / oldMessageSetID error recovery,
//! responseData), dispatch of each request to its handler, iterators, injected lock faults,
//! id and EditSequence allocation, and the test-facing API (seed, add a payment "entered in
//! QuickBooks", delete, inspect).
//! Does not own: the handlers themselves (`lists`, `txns`, `query`, `hcp`), HTTP or SOAP
//! (the driver), schema validation (`crate::schema`).
//!
//! Determinism: given the same seed and the same request documents, a company answers
//! byte-for-byte the same. Nothing reads the real clock or a global random source.

mod hcp;
mod lists;
pub mod model;
mod query;
mod txns;

use std::collections::{HashMap, VecDeque};
use std::str::FromStr;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use rust_decimal::Decimal;

use crate::clock::{format_datetime, SeededRng, SimClock};
use crate::status::Status;
use crate::xml::{Element, XmlError};
use model::*;

pub use query::QueryKind;

/// The first ListID counter value QuickBooks hands out to user-created list objects
/// ("80000001-..."), as seen in every captured response.
const FIRST_LIST_SEQ: u32 = 0x8000_0001;
/// The first TxnID counter value; real files show small hex numbers ("C5-...", "1A-...").
const FIRST_TXN_SEQ: u64 = 0x1A;
/// Intuit: "oldMessageSetID ... max. 23 characters" (QBXMLMsgs attributes table).
pub const MAX_MESSAGE_SET_ID_LEN: usize = 23;
/// Intuit status 1060: a requestID longer than 50 characters is invalid.
pub const MAX_REQUEST_ID_LEN: usize = 50;

/// Why a whole request document was refused, as QuickBooks refuses a document it cannot
/// parse: the Web Connector then reports an HRESULT instead of a qbXML response.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CompanyError {
    #[error("expected a well-formed qbXML document, found: {0}")]
    Xml(#[from] XmlError),
    #[error("expected <QBXML><QBXMLMsgsRq onError=...>, found {0}")]
    Shape(String),
    #[error("expected onError to be stopOnError or continueOnError, found {0:?} (QuickBooks refuses rollbackOnError)")]
    OnError(String),
    #[error("expected {expected} in <{request}>, found it missing or malformed")]
    Malformed { request: String, expected: String },
}

impl CompanyError {
    /// The HRESULT the Web Connector passes to receiveResponseXML for this failure.
    pub fn hresult(&self) -> &'static str {
        "0x80040400"
    }

    /// The message QuickBooks gives with that HRESULT.
    pub fn qbwc_message(&self) -> String {
        format!("QuickBooks found an error when parsing the provided XML text stream. ({self})")
    }
}

/// How a company starts.
#[derive(Debug, Clone)]
pub struct CompanyConfig {
    /// Seeds iterator ids and transient faults.
    pub seed: u64,
    /// The simulated clock's start (its offset is the PC's zone).
    pub start: DateTime<FixedOffset>,
    pub company_name: String,
    /// What the Web Connector passes as strCompanyFileName.
    pub company_file: String,
    pub sales_tax_enabled: bool,
    pub estimates_enabled: bool,
    /// The FileID the Web Connector stored in this file (CompanyRet DataExtRet), if any.
    pub file_id: Option<String>,
}

impl Default for CompanyConfig {
    fn default() -> Self {
        CompanyConfig {
            seed: 1,
            start: SimClock::default_start(),
            company_name: "Simulated Plumbing Co".to_string(),
            company_file: r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Simulated Plumbing Co.QBW".to_string(),
            sales_tax_enabled: true,
            estimates_enabled: true,
            file_id: None,
        }
    }
}

/// Which lock fault to answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockCode {
    /// 3180: "This list has been modified by another user."
    Modified3180,
    /// 3175: the record is in use.
    InUse3175,
}

/// A queued, one-shot lock fault: the next add/mod/del request whose name matches (or any,
/// when `request` is None) fails with this code and changes nothing.
#[derive(Debug, Clone)]
pub struct LockFault {
    pub request: Option<String>,
    pub code: LockCode,
}

/// One request the company answered, for assertions such as "no 3100 was ever returned".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub request: String,
    pub request_id: Option<String>,
    pub status_code: u32,
    pub status_message: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Preferences {
    pub sales_tax: bool,
    pub estimates: bool,
    pub default_item_sales_tax: Option<String>,
}

/// What QuickBooks keeps for a message set sent with newMessageSetID.
#[derive(Debug, Clone)]
struct SavedMessageSet {
    recovery: Element,
    full: Element,
}

#[derive(Debug, Clone)]
pub(crate) struct IteratorState {
    pub kind: QueryKind,
    /// The Start request, whose options (IncludeLineItems...) apply to every chunk.
    pub start: Element,
    pub remaining: VecDeque<String>,
    pub max: usize,
}

/// A simulated QuickBooks company file. See the module docs and the crate README.
#[derive(Debug, Clone)]
pub struct Company {
    pub(crate) clock: SimClock,
    pub(crate) rng: SeededRng,
    pub(crate) config: CompanyConfig,
    next_list_seq: u32,
    next_txn_seq: u64,
    next_txn_number: u64,
    next_ref_number: HashMap<&'static str, u64>,
    last_edit_sequence: u64,
    pub(crate) prefs: Preferences,
    pub(crate) customers: Vec<Customer>,
    pub(crate) items: Vec<Item>,
    pub(crate) accounts: Vec<Account>,
    pub(crate) payment_methods: Vec<PaymentMethod>,
    pub(crate) tax_codes: Vec<SalesTaxCode>,
    pub(crate) sales: Vec<SalesTxn>,
    pub(crate) payments: Vec<Payment>,
    pub(crate) deleted_lists: Vec<Deleted>,
    pub(crate) deleted_txns: Vec<Deleted>,
    /// INVARIANT: holds the recovery form (ErrorRecovery shape) of every message set sent
    /// with a newMessageSetID, keyed by that id, until ClearAllMessageSets.
    message_sets: HashMap<String, SavedMessageSet>,
    /// Answer oldMessageSetID with the full saved response instead of the ErrorRecovery form.
    recovery_full_response: bool,
    pub(crate) iterators: HashMap<String, IteratorState>,
    lock_faults: VecDeque<LockFault>,
    transient_per_mille: u32,
    transient_codes: Vec<LockCode>,
    history: Vec<RequestRecord>,
}

/// What a handler produces; the dispatcher turns it into the `XxxRs` element.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: Status,
    pub rets: Vec<Element>,
    pub attrs: Vec<(String, String)>,
}

impl Answer {
    pub fn status(status: Status) -> Answer {
        Answer {
            status,
            rets: Vec::new(),
            attrs: Vec::new(),
        }
    }

    pub fn ok(ret: Element) -> Answer {
        Answer {
            status: Status::ok(),
            rets: vec![ret],
            attrs: Vec::new(),
        }
    }
}

pub(crate) type Handled = Result<Answer, CompanyError>;

pub(crate) fn malformed(rq: &Element, expected: &str) -> CompanyError {
    CompanyError::Malformed {
        request: rq.name.clone(),
        expected: expected.to_string(),
    }
}

/// Reads a decimal element; a present but unparsable value is malformed.
pub(crate) fn decimal_of(
    rq: &Element,
    parent: &Element,
    name: &str,
) -> Result<Option<Decimal>, CompanyError> {
    match parent.text_of(name) {
        None => Ok(None),
        Some(text) => Decimal::from_str(text.trim())
            .map(Some)
            .map_err(|_| malformed(rq, &format!("a number in <{name}>"))),
    }
}

pub(crate) fn bool_of(parent: &Element, name: &str) -> Option<bool> {
    parent.text_of(name).map(|t| {
        let t = t.trim();
        t == "1" || t.eq_ignore_ascii_case("true")
    })
}

pub(crate) fn date_of(
    rq: &Element,
    parent: &Element,
    name: &str,
) -> Result<Option<NaiveDate>, CompanyError> {
    match parent.text_of(name) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| malformed(rq, &format!("a date in <{name}>"))),
    }
}

/// `<Name><ListID>..</ListID><FullName>..</FullName></Name>`.
pub(crate) fn ref_element(name: &str, list_id: &str, full_name: &str) -> Element {
    Element::new(name)
        .child(Element::leaf("ListID", list_id))
        .child(Element::leaf("FullName", full_name))
}

/// What a `XxxRef` in a request names: (ListID, FullName), and a label for messages.
pub(crate) fn ref_parts(r: &Element) -> (Option<&str>, Option<&str>, String) {
    let list_id = r.text_of("ListID").map(str::trim);
    let full_name = r.text_of("FullName").map(str::trim);
    let label = full_name.or(list_id).unwrap_or("").to_string();
    (list_id, full_name, label)
}

impl Company {
    /// An empty company with the default chart of accounts, payment methods, the Tax/Non
    /// sales-tax codes and one 0% sales-tax item ("Out of State", the default).
    pub fn new(seed: u64) -> Company {
        Company::with_config(CompanyConfig {
            seed,
            ..CompanyConfig::default()
        })
    }

    pub fn with_config(config: CompanyConfig) -> Company {
        let mut company = Company {
            clock: SimClock::new(config.start),
            rng: SeededRng::new(config.seed),
            prefs: Preferences {
                sales_tax: config.sales_tax_enabled,
                estimates: config.estimates_enabled,
                default_item_sales_tax: None,
            },
            config,
            next_list_seq: FIRST_LIST_SEQ,
            next_txn_seq: FIRST_TXN_SEQ,
            next_txn_number: 1,
            next_ref_number: HashMap::new(),
            last_edit_sequence: 0,
            customers: Vec::new(),
            items: Vec::new(),
            accounts: Vec::new(),
            payment_methods: Vec::new(),
            tax_codes: Vec::new(),
            sales: Vec::new(),
            payments: Vec::new(),
            deleted_lists: Vec::new(),
            deleted_txns: Vec::new(),
            message_sets: HashMap::new(),
            recovery_full_response: false,
            iterators: HashMap::new(),
            lock_faults: VecDeque::new(),
            transient_per_mille: 0,
            transient_codes: vec![LockCode::Modified3180, LockCode::InUse3175],
            history: Vec::new(),
        };
        company.seed_standard_lists();
        company
    }

    /// The company most end-to-end suites start from (see README "Fixtures"): the standard
    /// lists plus items `Labor` (service, 95.00, Non), `Trip Charge` (other charge, 49.00,
    /// Non), `Parts` and `Parts:Water Heater 40gal` (non-inventory, 650.00, Tax), sales-tax
    /// items `IL State` 6.25%, `Chicago` 1.75% and the group `Chicago Combined` (8.00%),
    /// with `IL State` as the default sales-tax item.
    pub fn fixture(seed: u64) -> Company {
        let mut c = Company::new(seed);
        c.add_service_item("Labor", Decimal::new(9500, 2), false);
        c.add_other_charge_item("Trip Charge", Decimal::new(4900, 2), false);
        c.add_non_inventory_item("Parts", None, Decimal::ZERO, true);
        c.add_non_inventory_item(
            "Water Heater 40gal",
            Some("Parts"),
            Decimal::new(65000, 2),
            true,
        );
        let state = c.add_sales_tax_item("IL State", Decimal::new(625, 2));
        c.add_sales_tax_item("Chicago", Decimal::new(175, 2));
        c.add_sales_tax_group("Chicago Combined", &["IL State", "Chicago"]);
        c.prefs.default_item_sales_tax = Some(state);
        c
    }

    fn seed_standard_lists(&mut self) {
        for (name, account_type, special) in [
            (
                "Accounts Receivable",
                "AccountsReceivable",
                Some("AccountsReceivable"),
            ),
            ("Checking", "Bank", None),
            (
                "Undeposited Funds",
                "OtherCurrentAsset",
                Some("UndepositedFunds"),
            ),
            (
                "Sales Tax Payable",
                "OtherCurrentLiability",
                Some("SalesTaxPayable"),
            ),
            ("Services", "Income", None),
            ("Sales", "Income", None),
        ] {
            let core = self.new_list_core();
            self.accounts.push(Account {
                core,
                name: name.to_string(),
                is_active: true,
                account_type,
                special_account_type: special,
            });
        }
        for (name, method_type) in [
            ("Cash", "Cash"),
            ("Check", "Check"),
            ("Visa", "Visa"),
            ("MasterCard", "MasterCard"),
            ("American Express", "AmericanExpress"),
            ("Discover", "Discover"),
        ] {
            let core = self.new_list_core();
            self.payment_methods.push(PaymentMethod {
                core,
                name: name.to_string(),
                is_active: true,
                method_type,
            });
        }
        for (name, taxable, desc) in [
            ("Tax", true, "Taxable Sales"),
            ("Non", false, "Non-Taxable Sales"),
        ] {
            let core = self.new_list_core();
            self.tax_codes.push(SalesTaxCode {
                core,
                name: name.to_string(),
                is_active: true,
                is_taxable: taxable,
                desc: desc.to_string(),
            });
        }
        let out_of_state = self.add_sales_tax_item("Out of State", Decimal::ZERO);
        self.prefs.default_item_sales_tax = Some(out_of_state);
    }

    // ---------------------------------------------------------------- ids and time

    pub(crate) fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    /// A new EditSequence: the modification time in seconds, strictly increasing so it
    /// changes on every modification even within one second.
    pub(crate) fn next_edit_sequence(&mut self) -> u64 {
        let candidate = u64::try_from(self.clock.now().timestamp()).unwrap_or(0);
        let next = candidate.max(self.last_edit_sequence + 1);
        self.last_edit_sequence = next;
        next
    }

    pub(crate) fn new_list_core(&mut self) -> ListCore {
        let now = self.clock.now();
        let list_id = format!("{:08X}-{}", self.next_list_seq, now.timestamp());
        self.next_list_seq = self.next_list_seq.wrapping_add(1);
        let edit_sequence = self.next_edit_sequence();
        ListCore {
            list_id,
            created: now,
            modified: now,
            edit_sequence,
        }
    }

    pub(crate) fn new_txn_id(&mut self) -> String {
        let id = format!("{:X}-{}", self.next_txn_seq, self.clock.now().timestamp());
        self.next_txn_seq += 1;
        id
    }

    pub(crate) fn new_txn_core(&mut self) -> TxnCore {
        let now = self.clock.now();
        let txn_id = self.new_txn_id();
        let edit_sequence = self.next_edit_sequence();
        let txn_number = self.next_txn_number;
        self.next_txn_number += 1;
        TxnCore {
            txn_id,
            created: now,
            modified: now,
            edit_sequence,
            txn_number,
        }
    }

    /// The next automatic RefNumber for a kind of transaction (QuickBooks continues from
    /// the last number used).
    pub(crate) fn next_ref_number(&mut self, kind: &'static str) -> String {
        let n = self.next_ref_number.entry(kind).or_insert(1);
        let value = *n;
        *n += 1;
        value.to_string()
    }

    /// Keeps the automatic numbering ahead of numeric RefNumbers the user supplied.
    pub(crate) fn note_ref_number(&mut self, kind: &'static str, given: &str) {
        if let Ok(n) = given.trim().parse::<u64>() {
            let next = self.next_ref_number.entry(kind).or_insert(1);
            if *next <= n {
                *next = n + 1;
            }
        }
    }

    // ---------------------------------------------------------------- processing

    /// Answers one qbXML request document with a `QBXMLMsgsRs` document, exactly as the
    /// Web Connector would get it from QuickBooks. A document QuickBooks could not parse is
    /// an error (the Web Connector reports it as an HRESULT) and changes nothing.
    pub fn process(&mut self, request_xml: &str) -> Result<String, CompanyError> {
        let root = Element::parse(request_xml)?;
        if root.name != "QBXML" {
            return Err(CompanyError::Shape(format!("root <{}>", root.name)));
        }
        let msgs = root
            .first("QBXMLMsgsRq")
            .ok_or_else(|| CompanyError::Shape("no <QBXMLMsgsRq>".to_string()))?;
        let on_error = msgs
            .get_attr("onError")
            .ok_or_else(|| CompanyError::OnError(String::new()))?;
        let stop_on_error = match on_error {
            "stopOnError" => true,
            "continueOnError" => false,
            other => return Err(CompanyError::OnError(other.to_string())),
        };
        // Intuit, QBXMLMsgs attributes: "oldMessageSetID: Optional; max. 23 characters",
        // same for newMessageSetID. A longer id (a 36-character UUID, say) is refused.
        for attr in ["newMessageSetID", "oldMessageSetID"] {
            if let Some(id) = msgs.get_attr(attr) {
                if id.chars().count() > MAX_MESSAGE_SET_ID_LEN {
                    return Err(CompanyError::Malformed {
                        request: "QBXMLMsgsRq".to_string(),
                        expected: format!(
                            "{attr} of at most {MAX_MESSAGE_SET_ID_LEN} characters (found {})",
                            id.chars().count()
                        ),
                    });
                }
            }
        }
        let snapshot = self.clone();
        match self.process_msgs(msgs, stop_on_error) {
            Ok(rs) => Ok(Element::new("QBXML").child(rs).to_response_document()),
            Err(e) => {
                *self = snapshot;
                Err(e)
            }
        }
    }

    fn process_msgs(
        &mut self,
        msgs: &Element,
        stop_on_error: bool,
    ) -> Result<Element, CompanyError> {
        let new_id = msgs.get_attr("newMessageSetID").map(str::to_string);
        if let Some(old_id) = msgs.get_attr("oldMessageSetID") {
            // Intuit error recovery: "oldMessageSetID ... Identifies the last message set
            // that was sent with error recovery enabled"; "ClearAllMessageSets" clears them.
            if old_id == "ClearAllMessageSets" {
                self.message_sets.clear();
            } else if let Some(saved) = self.message_sets.get(old_id) {
                return Ok(if self.recovery_full_response {
                    saved.full.clone()
                } else {
                    saved.recovery.clone()
                });
            } else if msgs.children.is_empty() {
                // 600: "No cleared state to return" — nothing was saved under that id, so
                // QuickBooks never processed it.
                return Ok(Element::new("QBXMLMsgsRs").attr("messageSetStatusCode", "600"));
            }
        }
        let include_none = msgs.get_attr("responseData") == Some("includeNone");
        let mut rs_all = Element::new("QBXMLMsgsRs");
        for rq in &msgs.children {
            self.clock.tick();
            let answer = self.dispatch(rq)?;
            let stops = answer.status.stops();
            let mut rs = answer.status.rs_for(rq);
            for (k, v) in answer.attrs {
                rs.set_attr(&k, v);
            }
            if !include_none {
                rs.children = answer.rets;
            }
            self.history.push(RequestRecord {
                request: rq.name.clone(),
                request_id: rq.get_attr("requestID").map(str::to_string),
                status_code: answer.status.code,
                status_message: answer.status.message.clone(),
            });
            rs_all.push(rs);
            if stop_on_error && stops {
                break;
            }
        }
        if let Some(id) = new_id {
            rs_all.set_attr("newMessageSetID", id.clone());
            rs_all.set_attr("messageSetStatusCode", "0");
            self.message_sets.insert(
                id,
                SavedMessageSet {
                    recovery: recovery_form(&rs_all),
                    full: rs_all.clone(),
                },
            );
        }
        Ok(rs_all)
    }

    fn dispatch(&mut self, rq: &Element) -> Handled {
        let name = rq.name.as_str();
        // Intuit status 1060: "The request ID ... is invalid, possibly too long" (max 50).
        if let Some(id) = rq.get_attr("requestID") {
            if id.chars().count() > MAX_REQUEST_ID_LEN {
                return Ok(Answer::status(Status::invalid_request_id(id)));
            }
        }
        let mutating =
            name.ends_with("AddRq") || name.ends_with("ModRq") || name.ends_with("DelRq");
        if mutating && self.is_supported(name) {
            if let Some(code) = self.take_lock_fault(name) {
                return Ok(Answer::status(lock_status(code, rq)));
            }
        }
        match name {
            "HostQueryRq" => Ok(hcp::host_query(self)),
            "CompanyQueryRq" => Ok(hcp::company_query(self)),
            "PreferencesQueryRq" => Ok(hcp::preferences_query(self)),
            "CustomerAddRq" => lists::customer_add(self, rq),
            "CustomerModRq" => lists::customer_mod(self, rq),
            "InvoiceAddRq" => txns::sales_add(self, rq, SalesKind::Invoice),
            "EstimateAddRq" => {
                if !self.prefs.estimates {
                    return Ok(Answer::status(Status::feature_off()));
                }
                txns::sales_add(self, rq, SalesKind::Estimate)
            }
            "EstimateQueryRq" if !self.prefs.estimates => Ok(Answer::status(Status::feature_off())),
            "ReceivePaymentAddRq" => txns::payment_add(self, rq),
            "ListDeletedQueryRq" => txns::list_deleted_query(self, rq),
            "TxnDeletedQueryRq" => txns::txn_deleted_query(self, rq),
            "ListDelRq" => txns::list_del(self, rq),
            "TxnDelRq" => txns::txn_del(self, rq),
            other => match QueryKind::for_request(other) {
                Some(kind) => query::answer(self, rq, kind),
                None => {
                    let what = other.strip_suffix("Rq").unwrap_or(other).to_string();
                    Ok(Answer::status(Status::unsupported(&what)))
                }
            },
        }
    }

    fn is_supported(&self, name: &str) -> bool {
        matches!(
            name,
            "CustomerAddRq"
                | "CustomerModRq"
                | "InvoiceAddRq"
                | "EstimateAddRq"
                | "ReceivePaymentAddRq"
                | "ListDelRq"
                | "TxnDelRq"
        )
    }

    fn take_lock_fault(&mut self, name: &str) -> Option<LockCode> {
        let position = self
            .lock_faults
            .iter()
            .position(|f| f.request.as_deref().is_none_or(|r| r == name));
        if let Some(i) = position {
            return self.lock_faults.remove(i).map(|f| f.code);
        }
        if self.rng.chance(self.transient_per_mille) {
            let i = self.rng.below(self.transient_codes.len());
            return self.transient_codes.get(i).copied();
        }
        None
    }

    // ---------------------------------------------------------------- test API: setup

    /// Adds a top-level customer "entered in QuickBooks"; returns its ListID.
    pub fn add_customer(&mut self, name: &str) -> String {
        self.insert_customer(name, None)
    }

    /// Adds a job under the customer (or job) with this full name; None if no such parent.
    pub fn add_job(&mut self, parent_full_name: &str, name: &str) -> Option<String> {
        let parent = self.customer_id_by_full_name(parent_full_name)?;
        Some(self.insert_customer(name, Some(parent)))
    }

    fn insert_customer(&mut self, name: &str, parent: Option<String>) -> String {
        self.clock.tick();
        let core = self.new_list_core();
        let id = core.list_id.clone();
        self.customers.push(Customer {
            core,
            name: name.to_string(),
            parent,
            is_active: true,
            sales_tax_code: None,
            item_sales_tax: None,
            preferred_payment_method: None,
            external_guid: None,
            extra: vec![Element::leaf("JobStatus", "None")],
        });
        id
    }

    /// Seeds `count` customers named `{prefix} 1` ... `{prefix} N`, each with `jobs_each`
    /// jobs named `Job 1` ...; returns the customers' ListIDs.
    pub fn seed_customers(&mut self, prefix: &str, count: usize, jobs_each: usize) -> Vec<String> {
        let mut ids = Vec::with_capacity(count);
        for n in 1..=count {
            let id = self.insert_customer(&format!("{prefix} {n}"), None);
            for j in 1..=jobs_each {
                self.insert_customer(&format!("Job {j}"), Some(id.clone()));
            }
            ids.push(id);
        }
        ids
    }

    /// Sets a customer's sales-tax code ("Tax"/"Non") and sales-tax item by full names.
    pub fn set_customer_tax(
        &mut self,
        full_name: &str,
        code: Option<&str>,
        item: Option<&str>,
    ) -> bool {
        let code_id = code.and_then(|c| self.tax_code_id_by_name(c));
        let item_id = item.and_then(|i| self.item_id_by_full_name(i));
        let Some(id) = self.customer_id_by_full_name(full_name) else {
            return false;
        };
        self.clock.tick();
        let es = self.next_edit_sequence();
        let now = self.now();
        if let Some(c) = self.customers.iter_mut().find(|c| c.core.list_id == id) {
            c.sales_tax_code = code_id;
            c.item_sales_tax = item_id;
            c.core.modified = now;
            c.core.edit_sequence = es;
        }
        true
    }

    /// Marks a customer active or inactive (as the user does in QuickBooks).
    pub fn set_customer_active(&mut self, full_name: &str, active: bool) -> bool {
        let Some(id) = self.customer_id_by_full_name(full_name) else {
            return false;
        };
        self.clock.tick();
        let es = self.next_edit_sequence();
        let now = self.now();
        if let Some(c) = self.customers.iter_mut().find(|c| c.core.list_id == id) {
            c.is_active = active;
            c.core.modified = now;
            c.core.edit_sequence = es;
        }
        true
    }

    fn insert_item(
        &mut self,
        name: &str,
        parent: Option<&str>,
        kind: ItemKind,
        price: Option<Decimal>,
        taxable: Option<bool>,
    ) -> String {
        self.clock.tick();
        let parent = parent.and_then(|p| self.item_id_by_full_name(p));
        let sales_tax_code =
            taxable.and_then(|t| self.tax_code_id_by_name(if t { "Tax" } else { "Non" }));
        let account = self
            .accounts
            .iter()
            .find(|a| a.name == "Services")
            .map(|a| a.core.list_id.clone());
        let is_tax_item = matches!(
            kind,
            ItemKind::SalesTax { .. } | ItemKind::SalesTaxGroup { .. }
        );
        let core = self.new_list_core();
        let id = core.list_id.clone();
        self.items.push(Item {
            core,
            name: name.to_string(),
            parent,
            is_active: true,
            kind,
            desc: if is_tax_item {
                None
            } else {
                Some(name.to_string())
            },
            price,
            sales_tax_code,
            account: if is_tax_item { None } else { account },
            external_guid: None,
        });
        id
    }

    pub fn add_service_item(&mut self, name: &str, price: Decimal, taxable: bool) -> String {
        self.insert_item(name, None, ItemKind::Service, Some(price), Some(taxable))
    }

    /// A non-inventory part, optionally under a parent item (by full name).
    pub fn add_non_inventory_item(
        &mut self,
        name: &str,
        parent: Option<&str>,
        price: Decimal,
        taxable: bool,
    ) -> String {
        self.insert_item(
            name,
            parent,
            ItemKind::NonInventory,
            Some(price),
            Some(taxable),
        )
    }

    pub fn add_other_charge_item(&mut self, name: &str, price: Decimal, taxable: bool) -> String {
        self.insert_item(
            name,
            None,
            ItemKind::OtherCharge,
            Some(price),
            Some(taxable),
        )
    }

    /// A sales-tax item with its rate in percent (6.25 = 6.25%).
    pub fn add_sales_tax_item(&mut self, name: &str, rate_percent: Decimal) -> String {
        self.insert_item(
            name,
            None,
            ItemKind::SalesTax { rate: rate_percent },
            None,
            None,
        )
    }

    /// A sales-tax group of existing sales-tax items (by name); its rate is their sum.
    pub fn add_sales_tax_group(&mut self, name: &str, members: &[&str]) -> String {
        let members = members
            .iter()
            .filter_map(|m| self.item_id_by_full_name(m))
            .collect();
        self.insert_item(name, None, ItemKind::SalesTaxGroup { members }, None, None)
    }

    /// The default sales-tax item used when neither the invoice nor the customer names one.
    pub fn set_default_sales_tax_item(&mut self, name: &str) -> bool {
        match self.item_id_by_full_name(name) {
            Some(id) => {
                self.prefs.default_item_sales_tax = Some(id);
                true
            }
            None => false,
        }
    }

    /// Preference: Sales Tax on/off (off: no tax on any new invoice).
    pub fn set_sales_tax_enabled(&mut self, on: bool) {
        self.prefs.sales_tax = on;
    }

    /// Preference: Jobs & Estimates "Do you create estimates?" (off: EstimateAdd → 3250).
    pub fn set_estimates_enabled(&mut self, on: bool) {
        self.prefs.estimates = on;
    }

    /// A payment "entered in QuickBooks" by the user, applied to invoices by TxnID.
    /// Returns its TxnID, or QuickBooks' status when it would refuse the payment.
    pub fn add_payment(
        &mut self,
        customer_full_name: &str,
        total: Decimal,
        applied: &[(&str, Decimal)],
        ref_number: Option<&str>,
    ) -> Result<String, Status> {
        self.clock.tick();
        let Some(customer) = self.customer_id_by_full_name(customer_full_name) else {
            return Err(Status::bad_reference(
                "Customer",
                customer_full_name,
                "ReceivePayment",
            ));
        };
        let applied: Vec<Applied> = applied
            .iter()
            .map(|(txn_id, amount)| Applied {
                txn_id: txn_id.to_string(),
                amount: *amount,
            })
            .collect();
        let method = self
            .payment_methods
            .iter()
            .find(|m| m.name == "Check")
            .map(|m| m.core.list_id.clone());
        let date = self.now().date_naive();
        txns::insert_payment(
            self,
            customer,
            date,
            ref_number.map(str::to_string),
            total,
            method,
            None,
            applied,
            None,
        )
        .map(|p| p.core.txn_id.clone())
    }

    /// Deletes a list object (customer/job, item, payment method...) as the user would.
    /// QuickBooks refuses when it is used: a customer with jobs or transactions, an item on
    /// a transaction line. Recorded for ListDeletedQuery.
    pub fn delete_list_object(&mut self, list_id: &str) -> Result<(), Status> {
        self.clock.tick();
        txns::delete_list(self, list_id).map(|_| ())
    }

    /// Deletes a transaction; a payment's applications are undone first. An invoice with
    /// payments applied is refused, as QuickBooks does. Recorded for TxnDeletedQuery.
    pub fn delete_txn(&mut self, txn_id: &str) -> Result<(), Status> {
        self.clock.tick();
        txns::delete_txn(self, txn_id).map(|_| ())
    }

    /// Queues a one-shot lock fault for the next matching add/mod/del request.
    pub fn inject_lock_fault(&mut self, request: Option<&str>, code: LockCode) {
        self.lock_faults.push_back(LockFault {
            request: request.map(str::to_string),
            code,
        });
    }

    /// Every add/mod/del request fails with 3180 or 3175 with probability `per_mille`/1000
    /// (seeded: the same seed fails the same requests).
    pub fn set_transient_fault_rate(&mut self, per_mille: u32) {
        self.transient_per_mille = per_mille;
    }

    pub fn advance_clock(&mut self, by: Duration) {
        self.clock.advance(by);
    }

    /// Sets the simulated time (and with it the offset new times are stamped with).
    pub fn set_clock(&mut self, now: DateTime<FixedOffset>) {
        self.clock.set_now(now);
    }

    /// The company's current time, formatted as QuickBooks does.
    pub fn now_text(&self) -> String {
        format_datetime(&self.now())
    }

    /// The Web Connector's strHCPResponse for this company: HostQuery, CompanyQuery and
    /// PreferencesQuery answers (requestIDs 0, 1, 2), modelled on a real QuickBooks Pro one.
    pub fn hcp_response(&self) -> String {
        hcp::hcp_response(self)
    }

    /// Stores the Web Connector's FileID data extension (shown in CompanyQueryRs).
    pub fn set_file_id(&mut self, file_id: &str) {
        self.config.file_id = Some(file_id.to_string());
    }

    pub fn company_file(&self) -> &str {
        &self.config.company_file
    }

    /// A Web Connector session ended: QuickBooks drops its iterators.
    pub fn end_session(&mut self) {
        self.iterators.clear();
    }

    // ---------------------------------------------------------------- test API: inspect

    /// Every request answered so far, in order.
    pub fn history(&self) -> &[RequestRecord] {
        &self.history
    }

    /// The saved recovery answer for a message set, if QuickBooks has one.
    pub fn saved_message_set(&self, id: &str) -> Option<String> {
        self.message_sets.get(id).map(|m| m.recovery.to_xml())
    }

    /// Off (the default): an oldMessageSetID status check answers each response's status
    /// with the `ErrorRecovery` aggregate, the shape qbXML 13.0 defines for it. On: the
    /// full saved response (every Ret) comes back instead.
    pub fn set_recovery_returns_full_response(&mut self, on: bool) {
        self.recovery_full_response = on;
    }

    pub fn customer_count(&self) -> usize {
        self.customers.len()
    }

    /// How many customers/jobs have this full name, case-insensitively ("nothing duplicated").
    pub fn count_customers_named(&self, full_name: &str) -> usize {
        self.customers
            .iter()
            .filter(|c| {
                self.customer_full_name(&c.core.list_id)
                    .eq_ignore_ascii_case(full_name)
            })
            .count()
    }

    pub fn customer(&self, full_name: &str) -> Option<CustomerView> {
        let id = self.customer_id_by_full_name(full_name)?;
        self.customer_view(&id)
    }

    pub fn customer_by_list_id(&self, list_id: &str) -> Option<CustomerView> {
        self.customer_view(list_id)
    }

    pub fn find_customer_by_external_guid(&self, guid: &str) -> Option<CustomerView> {
        let c = self.customers.iter().find(|c| {
            c.external_guid
                .as_deref()
                .is_some_and(|g| g.eq_ignore_ascii_case(guid))
        })?;
        self.customer_view(&c.core.list_id)
    }

    pub fn customers(&self) -> Vec<CustomerView> {
        self.customers
            .iter()
            .filter_map(|c| self.customer_view(&c.core.list_id))
            .collect()
    }

    pub fn invoice_count(&self) -> usize {
        self.sales
            .iter()
            .filter(|s| s.kind == SalesKind::Invoice)
            .count()
    }

    pub fn estimate_count(&self) -> usize {
        self.sales
            .iter()
            .filter(|s| s.kind == SalesKind::Estimate)
            .count()
    }

    pub fn payment_count(&self) -> usize {
        self.payments.len()
    }

    /// How many invoices carry this RefNumber ("nothing duplicated").
    pub fn count_invoices_with_ref(&self, ref_number: &str) -> usize {
        self.sales
            .iter()
            .filter(|s| s.kind == SalesKind::Invoice && s.ref_number.as_deref() == Some(ref_number))
            .count()
    }

    /// An invoice or estimate by TxnID.
    pub fn invoice(&self, txn_id: &str) -> Option<InvoiceView> {
        self.sales
            .iter()
            .find(|s| s.core.txn_id == txn_id)
            .map(|s| self.invoice_view(s))
    }

    pub fn find_invoice_by_external_guid(&self, guid: &str) -> Option<InvoiceView> {
        self.sales
            .iter()
            .find(|s| {
                s.external_guid
                    .as_deref()
                    .is_some_and(|g| g.eq_ignore_ascii_case(guid))
            })
            .map(|s| self.invoice_view(s))
    }

    pub fn invoices(&self) -> Vec<InvoiceView> {
        self.sales.iter().map(|s| self.invoice_view(s)).collect()
    }

    pub fn payments(&self) -> Vec<PaymentView> {
        self.payments.iter().map(|p| self.payment_view(p)).collect()
    }

    pub fn find_payment_by_external_guid(&self, guid: &str) -> Option<PaymentView> {
        self.payments
            .iter()
            .find(|p| {
                p.external_guid
                    .as_deref()
                    .is_some_and(|g| g.eq_ignore_ascii_case(guid))
            })
            .map(|p| self.payment_view(p))
    }

    /// The ListID of an item by full name (case-insensitive).
    pub fn item_list_id(&self, full_name: &str) -> Option<String> {
        self.item_id_by_full_name(full_name)
    }

    fn customer_view(&self, id: &str) -> Option<CustomerView> {
        let c = self.customers.iter().find(|c| c.core.list_id == id)?;
        Some(CustomerView {
            list_id: c.core.list_id.clone(),
            name: c.name.clone(),
            full_name: self.customer_full_name(id),
            parent_full_name: c.parent.as_ref().map(|p| self.customer_full_name(p)),
            sublevel: self.customer_sublevel(id),
            is_active: c.is_active,
            edit_sequence: c.core.edit_sequence.to_string(),
            external_guid: c.external_guid.clone(),
            balance: self.customer_balance(id),
            total_balance: self.customer_total_balance(id),
            time_modified: format_datetime(&c.core.modified),
        })
    }

    fn invoice_view(&self, s: &SalesTxn) -> InvoiceView {
        InvoiceView {
            txn_id: s.core.txn_id.clone(),
            kind: s.kind.object_name(),
            customer_full_name: self.customer_full_name(&s.customer),
            ref_number: s.ref_number.clone(),
            txn_date: s.txn_date,
            subtotal: s.subtotal,
            sales_tax_percentage: s.tax_percent,
            sales_tax_total: s.tax_total,
            total: s.total(),
            balance_remaining: s.balance(),
            is_paid: s.kind == SalesKind::Invoice && s.balance() <= Decimal::ZERO,
            external_guid: s.external_guid.clone(),
            edit_sequence: s.core.edit_sequence.to_string(),
            memo: s.memo.clone(),
            lines: s
                .lines
                .iter()
                .map(|l| LineView {
                    item_full_name: l.item.as_ref().map(|i| self.item_full_name(i)),
                    desc: l.desc.clone(),
                    quantity: l.quantity,
                    rate: l.rate,
                    amount: l.amount,
                    taxable: l
                        .sales_tax_code
                        .as_ref()
                        .is_some_and(|c| self.tax_code_is_taxable(c)),
                })
                .collect(),
        }
    }

    fn payment_view(&self, p: &Payment) -> PaymentView {
        PaymentView {
            txn_id: p.core.txn_id.clone(),
            customer_full_name: self.customer_full_name(&p.customer),
            ref_number: p.ref_number.clone(),
            total: p.total,
            unused: p.unused(),
            applied: p
                .applied
                .iter()
                .map(|a| (a.txn_id.clone(), a.amount))
                .collect(),
            external_guid: p.external_guid.clone(),
            time_modified: format_datetime(&p.core.modified),
        }
    }
}

/// A customer or job as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerView {
    pub list_id: String,
    pub name: String,
    pub full_name: String,
    pub parent_full_name: Option<String>,
    pub sublevel: u32,
    pub is_active: bool,
    pub edit_sequence: String,
    pub external_guid: Option<String>,
    pub balance: Decimal,
    pub total_balance: Decimal,
    pub time_modified: String,
}

/// An invoice line as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineView {
    pub item_full_name: Option<String>,
    pub desc: Option<String>,
    pub quantity: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub amount: Decimal,
    pub taxable: bool,
}

/// An invoice or estimate as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceView {
    pub txn_id: String,
    /// "Invoice" or "Estimate".
    pub kind: &'static str,
    pub customer_full_name: String,
    pub ref_number: Option<String>,
    pub txn_date: NaiveDate,
    pub subtotal: Decimal,
    pub sales_tax_percentage: Decimal,
    pub sales_tax_total: Decimal,
    pub total: Decimal,
    pub balance_remaining: Decimal,
    pub is_paid: bool,
    pub external_guid: Option<String>,
    pub edit_sequence: String,
    pub memo: Option<String>,
    pub lines: Vec<LineView>,
}

/// A received payment as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentView {
    pub txn_id: String,
    pub customer_full_name: String,
    pub ref_number: Option<String>,
    pub total: Decimal,
    pub unused: Decimal,
    pub applied: Vec<(String, Decimal)>,
    pub external_guid: Option<String>,
    pub time_modified: String,
}

fn lock_status(code: LockCode, rq: &Element) -> Status {
    let body = rq.children.first();
    let object = rq
        .name
        .trim_end_matches("Rq")
        .trim_end_matches("Add")
        .trim_end_matches("Mod")
        .trim_end_matches("Del")
        .to_string();
    let object = if object == "Customer" {
        "Customer list".to_string()
    } else {
        object
    };
    let label = body
        .and_then(|b| {
            b.text_of("Name")
                .or_else(|| b.text_of("RefNumber"))
                .or_else(|| b.text_of("ListID"))
        })
        .or_else(|| rq.text_of("TxnID").or_else(|| rq.text_of("ListID")))
        .unwrap_or("")
        .to_string();
    match code {
        LockCode::Modified3180 => Status::save_failed(&object, &label),
        LockCode::InUse3175 => Status::in_use(&object, &label),
    }
}

/// The answer QuickBooks keeps for a message set: each response's status, and for adds
/// and mods the ErrorRecovery aggregate (qbXML 13.0 `ErrorRecovery`: ListID or TxnID,
/// TxnNumber, EditSequence, ExternalGUID) instead of the full Ret.
fn recovery_form(rs_all: &Element) -> Element {
    let mut out = Element::new("QBXMLMsgsRs");
    out.attrs = rs_all.attrs.clone();
    for rs in &rs_all.children {
        let mut copy = Element::new(rs.name.clone());
        copy.attrs = rs.attrs.clone();
        let recoverable = rs.name.ends_with("AddRs") || rs.name.ends_with("ModRs");
        if let (true, Some(ret)) = (recoverable, rs.children.first()) {
            let mut er = Element::new("ErrorRecovery");
            if let Some(id) = ret.text_of("ListID") {
                er.push_leaf("ListID", id);
            } else if let Some(id) = ret.text_of("TxnID") {
                er.push_leaf("TxnID", id);
            }
            er.push_opt("TxnNumber", ret.text_of("TxnNumber"));
            er.push_opt("EditSequence", ret.text_of("EditSequence"));
            er.push_opt("ExternalGUID", ret.text_of("ExternalGUID"));
            copy.push(er);
        }
        out.push(copy);
    }
    out
}

#[cfg(test)]
mod tests;
