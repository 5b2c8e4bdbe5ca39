//! The QuickBooks Web Connector endpoint: HTTP on loopback, the SOAP 1.1 envelope, one file
//! per Web Connector method, tickets, the password, the WSDL, the support page and the .qwc.
//!
//! This layer knows SOAP and sessions, never customers: every call that is about work is
//! handed to a [`QbwcHandler`], which the sync engine implements.
//!
//! # Public API (for `cli.rs` and `desktop/`)
//!
//! ```ignore
//! use fieldbridge::qbwc::{self, Endpoint};
//! // The password: printed by `fieldbridge password`, replaced by `--reset`.
//! let password = qbwc::password::load_or_create(&data_dir.password_file())?; // -> Password
//! println!("{}", password.expose());
//! let fresh = qbwc::password::reset(&data_dir.password_file())?;
//!
//! // The endpoint: bind (errors are one plain sentence), then run until shutdown.
//! let config = Endpoint::new(port /* qbwc::DEFAULT_PORT */, qbwc::DEFAULT_USER_NAME,
//!                            data_dir.password_file(), handler /* Arc<dyn QbwcHandler> */);
//! let bound = qbwc::bind(config).await?;        // Result<Bound, BindError>
//! let url = bound.soap_url();                   // http://localhost:PORT/qbwc
//! bound.run(tokio::signal::ctrl_c()).await;     // returns after the request in hand
//!
//! // The .qwc file (OwnerID/FileID are stored in the app's settings; make them once with
//! // qwc::new_owner_id() / qwc::new_file_id()).
//! let text: String = qbwc::qwc::render(&qbwc::qwc::QwcConfig { .. });
//! ```
//!
//! Constants: [`DEFAULT_PORT`], [`DEFAULT_USER_NAME`], [`SOAP_PATH`], [`SUPPORT_PATH`], and
//! the limits in [`Limits`] (named constants in `server`).
//!
//! # Behaviour worth knowing
//!
//! - Kept-alive connections stay open [`IDLE_CONNECTION_TIMEOUT`] between requests (longer
//!   than the Web Connector's client keeps them), while a request whose headers have started
//!   must finish them within [`HEADER_READ_TIMEOUT`]; closeConnection's answer closes the
//!   connection. TCP_NODELAY is set on every connection (see `connection`).
//! - Loopback only: 127.0.0.1 and ::1 (::1 is skipped, with a log line, where unavailable).
//!   Requests addressed to another host name, and SOAP posts from web pages (an `Origin`
//!   header), are refused.
//! - One session at a time: a second `authenticate` while a session is active is answered
//!   `busy` (see [`session`]). A session ends at closeConnection, after
//!   [`SESSION_IDLE_TIMEOUT`] without a call (the handler hears `abandon_session`), or when
//!   the endpoint stops.
//! - Wrong user or password → `nvu`; repeated guesses lock authenticate for a growing time
//!   ([`throttle`]): per user name, counting different wrong passwords, so another Windows
//!   user's Web Connector on the same PC cannot lock this one out. Nothing typed is logged.
//!   The password file is read on every authenticate.
//! - A request has at most [`soap::read::MAX_FIELDS`] fields and is parsed on the blocking
//!   pool (it comes before authentication).
//! - Unknown or expired tickets get protocol answers that end the run cleanly with an
//!   explanation (see [`method`]); malformed requests get a SOAP Fault (HTTP 500) and the
//!   server keeps serving.
//! - Interactive mode is never used: getInteractiveURL answers "", interactiveDone "Done",
//!   interactiveRejected a sentence. clientVersion always answers "" (go on).
//! - Passwords and tickets never reach a log or the handler.

mod connection;
pub mod handler;
pub mod method;
pub mod password;
pub mod qwc;
mod routes;
mod server;
pub mod session;
mod shared;
pub mod soap;
mod support;
#[cfg(test)]
mod test_support;
pub mod throttle;
pub mod wsdl;

pub use handler::{
    EndpointEvent, OpenSession, QbwcHandler, ReceiveResponseXml, SendRequestXml, SessionKey,
};
/// The Host and Origin checks, for any other route served on this endpoint's port (the
/// local API): a request for another host name (DNS rebinding) or from a web page gets the
/// returned refusal.
pub use routes::{refuse_other_host, refuse_web_page};
pub use server::{
    bind, BindError, Bound, Endpoint, Limits, BODY_READ_TIMEOUT, DEFAULT_PORT, HEADER_READ_TIMEOUT,
    IDLE_CONNECTION_TIMEOUT, MAX_BODY_BYTES, MAX_CONNECTIONS, SESSION_IDLE_TIMEOUT, SHUTDOWN_GRACE,
};

/// Where the Web Connector posts SOAP (and `?wsdl` fetches the WSDL).
pub const SOAP_PATH: &str = "/qbwc";
/// The help page named by the .qwc's AppSupport.
pub const SUPPORT_PATH: &str = "/support";
/// The .qwc UserName unless the settings say otherwise.
pub const DEFAULT_USER_NAME: &str = "fieldbridge";

/// The URL the Web Connector calls: `http://localhost:{port}/qbwc`.
pub fn soap_url(port: u16) -> String {
    format!("http://localhost:{port}{SOAP_PATH}")
}

#[cfg(test)]
mod tests;
