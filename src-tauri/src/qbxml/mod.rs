//! Typed qbXML 13.0: request builders that write elements in the schema's order and enforce
//! its limits, and streaming response parsers. Depends on nothing else of FieldBridge's
//! except `money` (the one decimal type and how amounts are written). Knows nothing of SOAP,
//! sessions, SQLite or the outbox: the sync engine decides *what* to send and *what an
//! answer means*; this module makes sure it is said and read correctly.
//!
//! # Sending: build a message set
//!
//! ```
//! use fieldbridge::qbxml::{self, CustomerAdd, CustomerFields, ListRef, MsgsRq, OnError};
//!
//! let batch = MsgsRq {
//!     on_error: OnError::ContinueOnError,
//!     new_message_set_id: Some("fb-42".into()), // at most 23 characters
//!     old_message_set_id: None,
//!     requests: vec![CustomerAdd {
//!         request_id: "c-17".into(),
//!         name: "Job 1001".into(),
//!         fields: CustomerFields { parent: Some(ListRef::full_name("Acme Plumbing")), ..Default::default() },
//!         external_guid: Some(uuid::Uuid::new_v4()),
//!         ..Default::default()
//!     }
//!     .into()],
//! };
//! let xml: String = batch.to_xml()?; // the full document, ready for sendRequestXML
//! # assert!(xml.contains("<Name>Job 1001</Name>"));
//! # Ok::<(), qbxml::BuildError>(())
//! ```
//!
//! - One struct per request, every one with a `request_id` (echoed as `requestID`):
//!   [`CustomerAdd`], [`CustomerMod`] (archive with `is_active: Some(false)`),
//!   [`CustomerQuery`], [`ItemQuery`] (all item types), [`ItemSalesTaxQuery`],
//!   [`ItemSalesTaxGroupQuery`], [`AccountQuery`], [`PaymentMethodQuery`],
//!   [`SalesTaxCodeQuery`], [`InvoiceAdd`], [`InvoiceQuery`], [`EstimateAdd`],
//!   [`EstimateQuery`], [`ReceivePaymentAdd`], [`ReceivePaymentQuery`], [`ListDeletedQuery`],
//!   [`TxnDeletedQuery`], [`HostQuery`], [`CompanyQuery`], [`PreferencesQuery`]. Each
//!   converts `.into()` a [`Request`].
//! - Shared pieces: [`ListRef`] (ListID or FullName), [`Address`], [`SalesLine`],
//!   [`ListSelection`] / [`ListFilter`] (ListIDs, FullNames, or MaxReturned + ActiveStatus +
//!   FromModifiedDate + NameFilter), [`TxnSelection`] / [`TxnFilter`] (TxnIDs, RefNumbers, or
//!   MaxReturned + [`TxnDateRange`] + customer ListIDs), [`QueryIterator`]
//!   (Start / Continue / Stop with the iteratorID), [`OwnerId`].
//! - Money is `Decimal`: amounts are written with two places (rounded half away from zero,
//!   like QuickBooks), rates and quantities exactly (at most five places, else refused).
//!   Dates are `NaiveDate`; modified-date filters are `DateTime<FixedOffset>` and are written
//!   with their offset (`2026-10-01T12:00:00-05:00`).
//! - [`MsgsRq::to_xml`] refuses (no XML) with the first [`BuildError`] if any value breaks a
//!   qbXML rule: too long ([`limits`] has every limit as a named constant), a ':' in a name,
//!   a control character, a number that does not fit its type, an empty required list,
//!   duplicate requestIDs, a message set ID over 23 characters. Pre-flight before batching:
//!   [`Request::check`] / [`MsgsRq::check`] return *every* problem, each naming the field
//!   (`"InvoiceAdd/InvoiceLineAdd[2]/Desc"`), for the record's `needs_attention` text;
//!   [`limits::check_customer_name`] and friends check single values for the UI.
//!
//! # Receiving: parse the answer
//!
//! [`parse_response`]`(&str) -> Result<`[`MsgsRs`]`, `[`ParseError`]`>` reads
//! `receiveResponseXML`'s `response`. [`MsgsRs::responses`] keeps QuickBooks' order; find an
//! answer with [`MsgsRs::by_request_id`]. Each [`Response`] has `kind` ([`ResponseKind`]),
//! `status_code` (see [`status`] for the codes the engine acts on), `status_severity`,
//! `status_message`, `ret_count`, `iterator_remaining_count`, `iterator_id` (and
//! [`Response::has_more`]), and typed records in `rets` ([`Ret`]) with accessors
//! (`customers()`, `items()`, `invoices()`, `estimates()`, `payments()`, `accounts()`,
//! `payment_methods()`, `sales_tax_codes()`, `deleted_list_elements()`, `deleted_txns()`).
//! Every Ret that has `ExternalGUID` exposes it as `external_guid: Option<Uuid>`, which is
//! how a lost batch is resolved (query by name / RefNumber / modified date and compare).
//! Items of every type come back as one [`ItemRet`] with an [`ItemType`]. Times keep the
//! offset QuickBooks sent (`DateTime<FixedOffset>`). `MsgsRs::message_set_status_code` and
//! `new_message_set_id` carry QuickBooks' answer to error recovery (`oldMessageSetID`).
//!
//! The parser is hardened: bodies over [`parse::MAX_RESPONSE_BYTES`] are refused, any DOCTYPE
//! or entity declaration is refused (never expanded), nesting is capped at
//! [`parse::MAX_DEPTH`], a truncated body is reported as such, and no input panics.
//! Unknown elements and unknown `*Ret` kinds are skipped (`Response::skipped_rets` counts
//! the latter).
//!
//! # The first call of a session
//!
//! [`parse_hcp`]`(strHCPResponse) -> Result<`[`Hcp`]`, ParseError>` gives [`HostInfo`]
//! (product, version, country, supported qbXML versions), [`CompanyInfo`] and
//! [`Preferences`] (`sales_tax_enabled()`, `estimates_enabled`, closing date, ...);
//! [`CompanyInfo::qbwc_file_id`] finds the FileID the Web Connector stored for our OwnerID.
//! [`pick_qbxml_version`] returns `"13.0"` or a [`VersionError`] that tells the user to
//! update QuickBooks.

pub mod error;
pub mod hcp;
pub mod limits;
pub mod parse;
mod requests;
pub mod types;
mod writer;

#[cfg(test)]
pub(crate) mod test_support;

pub use error::{BuildError, ParseError, VersionError};
pub use hcp::{
    parse_hcp, pick_qbxml_version, CompanyInfo, Hcp, HostInfo, Preferences, SalesTaxPreferences,
};
pub use parse::purchase_rets::*;
pub use parse::rets::*;
pub use parse::{parse_response, status, MsgsRs, Response, ResponseKind, Ret, Severity};
pub use requests::*;
pub use types::*;
pub use writer::QBXML_VERSION;
