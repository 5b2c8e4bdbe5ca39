//! The QuickBooks Web Connector endpoint: HTTP on loopback, the SOAP 1.1 envelope, one file
//! per Web Connector method, tickets, the password, the WSDL, the support page and the .qwc.
//!
//! This layer knows SOAP and sessions, never customers: every call that is about work is
//! handed to a [`QbwcHandler`], which the sync engine implements.

pub mod handler;
pub mod soap;
#[cfg(test)]
mod test_support;

pub use handler::{
    EndpointEvent, OpenSession, QbwcHandler, ReceiveResponseXml, SendRequestXml, SessionKey,
};
