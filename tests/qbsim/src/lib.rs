//! qbsim: an in-memory QuickBooks Desktop company that answers qbXML the way QuickBooks
//! does, and a Web Connector driver that calls a FieldBridge endpoint over real HTTP in the
//! real call order. It shares no code with FieldBridge: it is the independent other side.
//!
//! # Public API
//!
//! * [`Company`] — the simulated company file.
//!   * build: [`Company::new`]`(seed)`, [`Company::fixture`]`(seed)` (items and tax items
//!     most suites need), [`Company::with_config`]`(`[`CompanyConfig`]`)`.
//!   * answer: [`Company::process`]`(&str) -> Result<String, CompanyError>` (a
//!     `QBXMLMsgsRq` document in, a `QBXMLMsgsRs` document out), [`Company::hcp_response`].
//!   * set up and disturb: `add_customer`, `add_job`, `seed_customers`, `set_customer_tax`,
//!     `set_customer_active`, `add_service_item`, `add_non_inventory_item`,
//!     `add_other_charge_item`, `add_sales_tax_item`, `add_sales_tax_group`,
//!     `set_default_sales_tax_item`, `add_payment` (a payment "entered in QuickBooks"),
//!     `delete_list_object`, `delete_txn`, `set_sales_tax_enabled`, `set_estimates_enabled`,
//!     and what a person does in QuickBooks between runs: `create_invoice_in_quickbooks`,
//!     `rename_customer`, `set_invoice_due_date`, `set_invoice_line_rate`,
//!     `void_invoice_in_quickbooks`,
//!     `inject_lock_fault`, `set_transient_fault_rate`, `set_modified_filter_skew`,
//!     `advance_clock`, `set_clock`, `set_file_id`, `set_recovery_returns_full_response`,
//!     `end_session`.
//!   * inspect: `customer_count`, `count_customers_named`, `customer`, `customers`,
//!     `find_customer_by_external_guid`, `invoice_count`, `estimate_count`, `payment_count`,
//!     `count_invoices_with_ref`, `invoice`, `invoices`, `find_invoice_by_external_guid`,
//!     `payments`, `find_payment_by_external_guid`, `history` (every request's status),
//!     `saved_message_set`.
//! * [`driver`] — [`driver::WebConnector`] runs one Web Connector session against an
//!   endpoint URL and returns a [`driver::RunReport`]; [`driver::DriverConfig`] and
//!   [`driver::FaultPlan`] set the round-trip cap, NoOp wait, schema validation and
//!   injected faults (HRESULT failures, lost responses, a kill/restart hook).
//! * [`schema::validate`] — `xmllint` against qbXML 13.0 (`qbxmlops130.xsd`).
//!
//! See `tests/qbsim/README.md` for how end-to-end suites use it.

#![forbid(unsafe_code)]

pub mod clock;
pub mod company;
pub mod driver;
pub mod schema;
pub mod soap;
pub mod status;
pub mod xml;

pub use company::{
    Company, CompanyConfig, CompanyError, CustomerView, InvoiceView, LineView, LockCode,
    PaymentView, Purchase, PurchaseKind, RequestRecord, TypedLine,
};
pub use status::{Severity, Status};
