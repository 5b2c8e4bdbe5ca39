//! The simulated QuickBooks company file: answers a qbXML request document the way
//! QuickBooks Desktop (US, qbXML 13.0) does, and lets a test set up, disturb and inspect it.
//!
//! Owns: how a company starts (standard lists, the `fixture`), the message-set level
//! (onError, newMessageSetID / oldMessageSetID error recovery, responseData), dispatch of
//! each request to its handler, injected lock faults, and id and EditSequence allocation.
//! Does not own: the handlers (`lists`, `txns`, `query`, `hcp`), the test-facing setup and
//! inspection API (`setup`, `inspect`), HTTP or SOAP (the driver), schema validation
//! (`crate::schema`).
//!
//! Determinism: given the same seed and the same request documents, a company answers
//! byte-for-byte the same. Nothing reads the real clock or a global random source.

mod deleted;
mod hcp;
mod inspect;
mod journal;
mod lists;
pub mod model;
mod mods;
mod person;
mod purchase_mods;
mod purchases;
mod query;
mod setup;
mod txns;

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::str::FromStr;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use rust_decimal::Decimal;

use crate::clock::{SeededRng, SimClock};
use crate::status::Status;
use crate::xml::{Element, XmlError};
use model::*;

pub use inspect::{CustomerView, InvoiceView, LineView, PaymentView};
pub use journal::{DepositView, JournalView};
pub use person::TypedLine;
pub use purchases::{ExpenseLine, Purchase, PurchaseKind, Vendor};
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
    pub(crate) prefs: Preferences,
    pub(crate) customers: Vec<Customer>,
    /// ListID → position in `customers`: a cache that [`Company::customer_by_id`] checks on every
    /// use and rebuilds when stale, so nothing that changes `customers` has to keep it.
    customer_at: RefCell<HashMap<String, usize>>,
    /// Whether a message set works on a copy it can throw away when a request in it is
    /// malformed (QuickBooks changes nothing then). On by default; benchmarks of very large
    /// companies turn it off ([`Company::without_rollback`]), as copying a company of
    /// 500,000 names for every message set would be most of their time.
    rollback: bool,
    pub(crate) items: Vec<Item>,
    pub(crate) accounts: Vec<Account>,
    pub(crate) payment_methods: Vec<PaymentMethod>,
    pub(crate) tax_codes: Vec<SalesTaxCode>,
    pub(crate) sales: Vec<SalesTxn>,
    pub(crate) payments: Vec<Payment>,
    pub(crate) vendors: Vec<purchases::Vendor>,
    pub(crate) purchases: Vec<purchases::Purchase>,
    pub(crate) journal_entries: Vec<journal::JournalEntry>,
    pub(crate) deposits: Vec<journal::Deposit>,
    pub(crate) deleted_lists: Vec<Deleted>,
    pub(crate) deleted_txns: Vec<Deleted>,
    /// INVARIANT: holds the recovery form (ErrorRecovery shape) of every message set sent
    /// with a newMessageSetID, keyed by that id, until ClearAllMessageSets.
    message_sets: HashMap<String, SavedMessageSet>,
    /// Answer oldMessageSetID with the full saved response instead of the ErrorRecovery form.
    recovery_full_response: bool,
    /// How much later than asked FromModifiedDate filters apply (the DST quirk).
    pub(crate) modified_filter_skew: Duration,
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
    /// The customer or job with this ListID (through the position cache, so a lookup does
    /// not read the whole list: companies of 500,000 names stay usable).
    pub(crate) fn customer_by_id(&self, list_id: &str) -> Option<&Customer> {
        let found = |at: &HashMap<String, usize>| {
            at.get(list_id)
                .and_then(|&i| self.customers.get(i))
                .filter(|c| c.core.list_id == list_id)
        };
        let mut at = self.customer_at.borrow_mut();
        if let Some(c) = found(&at) {
            return Some(c);
        }
        // New customers are appended: file those past the cache's end before rebuilding it
        // all (a rebuild per CustomerAdd made adding N names O(N²)).
        let filed = at.len();
        if filed < self.customers.len() {
            for (i, c) in self.customers.iter().enumerate().skip(filed) {
                at.insert(c.core.list_id.clone(), i);
            }
            if let Some(c) = found(&at) {
                return Some(c);
            }
        }
        *at = self
            .customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.core.list_id.clone(), i))
            .collect();
        found(&at)
    }

    /// Stops copying the company before each message set (see the `rollback` field): a
    /// malformed request then leaves what the requests before it did. For benchmarks only.
    pub fn without_rollback(mut self) -> Company {
        self.rollback = false;
        self
    }

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
            customers: Vec::new(),
            customer_at: RefCell::new(HashMap::new()),
            rollback: true,
            items: Vec::new(),
            accounts: Vec::new(),
            payment_methods: Vec::new(),
            tax_codes: Vec::new(),
            sales: Vec::new(),
            payments: Vec::new(),
            vendors: Vec::new(),
            purchases: Vec::new(),
            journal_entries: Vec::new(),
            deposits: Vec::new(),
            deleted_lists: Vec::new(),
            deleted_txns: Vec::new(),
            message_sets: HashMap::new(),
            recovery_full_response: false,
            modified_filter_skew: Duration::zero(),
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
            (
                "Accounts Payable",
                "AccountsPayable",
                Some("AccountsPayable"),
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
                account_number: None,
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

    pub(crate) fn new_list_core(&mut self) -> ListCore {
        let now = self.clock.now();
        let list_id = format!("{:08X}-{}", self.next_list_seq, now.timestamp());
        self.next_list_seq = self.next_list_seq.wrapping_add(1);
        let edit_sequence = first_edit_sequence(now);
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
        let edit_sequence = first_edit_sequence(now);
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
        let snapshot = self.rollback.then(|| self.clone());
        match self.process_msgs(msgs, stop_on_error) {
            Ok(rs) => Ok(Element::new("QBXML").child(rs).to_response_document()),
            Err(e) => {
                if let Some(snapshot) = snapshot {
                    *self = snapshot;
                }
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
        let mutating = name.ends_with("AddRq")
            || name.ends_with("ModRq")
            || name.ends_with("DelRq")
            || name == "TxnVoidRq";
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
            "VendorAddRq" => purchases::vendor_add(self, rq),
            "BillAddRq" => purchases::purchase_add(self, rq, purchases::PurchaseKind::Bill),
            "CheckAddRq" => purchases::purchase_add(self, rq, purchases::PurchaseKind::Check),
            "CreditCardChargeAddRq" => {
                purchases::purchase_add(self, rq, purchases::PurchaseKind::CreditCardCharge)
            }
            "JournalEntryAddRq" => journal::journal_entry_add(self, rq),
            "DepositAddRq" => journal::deposit_add(self, rq),
            "ListDeletedQueryRq" => deleted::list_deleted_query(self, rq),
            "TxnDeletedQueryRq" => deleted::txn_deleted_query(self, rq),
            "ListDelRq" => deleted::list_del(self, rq),
            "TxnDelRq" => deleted::txn_del(self, rq),
            "InvoiceModRq" => mods::sales_mod(self, rq, SalesKind::Invoice),
            "EstimateModRq" if !self.prefs.estimates => Ok(Answer::status(Status::feature_off())),
            "EstimateModRq" => mods::sales_mod(self, rq, SalesKind::Estimate),
            "ReceivePaymentModRq" => mods::payment_mod(self, rq),
            "BillModRq" => purchase_mods::purchase_mod(self, rq, purchases::PurchaseKind::Bill),
            "CheckModRq" => purchase_mods::purchase_mod(self, rq, purchases::PurchaseKind::Check),
            "CreditCardChargeModRq" => {
                purchase_mods::purchase_mod(self, rq, purchases::PurchaseKind::CreditCardCharge)
            }
            "TxnVoidRq" => mods::txn_void(self, rq),
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
                | "VendorAddRq"
                | "BillAddRq"
                | "CheckAddRq"
                | "CreditCardChargeAddRq"
                | "JournalEntryAddRq"
                | "DepositAddRq"
                | "ListDelRq"
                | "TxnDelRq"
                | "InvoiceModRq"
                | "EstimateModRq"
                | "ReceivePaymentModRq"
                | "BillModRq"
                | "CheckModRq"
                | "CreditCardChargeModRq"
                | "TxnVoidRq"
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
