//! Typed qbXML 13.0: request builders that write elements in the schema's order and enforce
//! its limits, and streaming response parsers. Depends on nothing else of FieldBridge's
//! except the `money` helpers (the one decimal type and how amounts are written).

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
pub use parse::rets::*;
pub use parse::{parse_response, status, MsgsRs, Response, ResponseKind, Ret, Severity};
pub use requests::*;
pub use types::*;
pub use writer::QBXML_VERSION;
