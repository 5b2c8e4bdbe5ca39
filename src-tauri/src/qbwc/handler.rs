//! The seam between the Web Connector endpoint and whatever does the work.
//!
//! The endpoint authenticates, keeps tickets and speaks SOAP; the handler decides what to
//! send and applies what comes back. Handler methods are blocking (they touch SQLite): the
//! endpoint always calls them off the async runtime (`spawn_blocking`).

use std::fmt;

/// Identifies one Web Connector session to the handler. It is not the ticket: tickets are
/// secrets that stay inside the endpoint and never reach logs or the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionKey(pub u64);

impl fmt::Display for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "session {}", self.0)
    }
}

/// What `authenticate` answers after the password was right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenSession {
    /// There is work: use this company file ("" = whatever file is open in QuickBooks).
    Work { company_file: String },
    /// Nothing to do now (`none`).
    NothingToDo,
    /// Come back later (`busy`), e.g. the engine is finishing another session.
    Busy,
}

/// The arguments of `sendRequestXML`.
#[derive(Debug, Clone, Default)]
pub struct SendRequestXml {
    /// QuickBooks' answers to HostQuery, CompanyQuery and PreferencesQuery; only on the
    /// first call of a session, empty afterwards.
    pub hcp_response: String,
    pub company_file_name: String,
    pub qbxml_country: String,
    pub qbxml_major_version: String,
    pub qbxml_minor_version: String,
}

/// The arguments of `receiveResponseXML`.
#[derive(Debug, Clone, Default)]
pub struct ReceiveResponseXml {
    /// The qbXML response (already unescaped); empty when QuickBooks rejected the request.
    pub response: String,
    /// Set when QuickBooks could not process the request, e.g. "0x80040400".
    pub hresult: String,
    pub message: String,
}

/// Things the endpoint noticed that the office manager should be able to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointEvent {
    /// A call arrived with a wrong user name or password. `known_user`: the user name was
    /// the .qwc's (so the password was wrong). What was typed is never carried: a password
    /// pasted into the wrong box would travel with it.
    AuthenticationFailed { known_user: bool },
    /// Too many wrong passwords: authentication is refused for this many seconds.
    Throttled { seconds: u64 },
    /// A call named a ticket that is unknown or expired.
    UnknownTicket { operation: &'static str },
}

/// The work behind a Web Connector session. Every method is blocking and called off the
/// async runtime; none may panic on any input.
pub trait QbwcHandler: Send + Sync + 'static {
    /// The password was right: is there anything to do?
    fn open_session(&self, session: SessionKey) -> OpenSession;

    /// The next qbXML request, or "" for "nothing now" (the Web Connector then calls
    /// `get_last_error`).
    fn send_request_xml(&self, session: SessionKey, call: &SendRequestXml) -> String;

    /// Applies QuickBooks' answer; returns percent done (0..=100, 100 ends the session),
    /// or a negative number for an error (the Web Connector then calls `get_last_error`).
    fn receive_response_xml(&self, session: SessionKey, call: &ReceiveResponseXml) -> i32;

    /// The text the Web Connector shows after an empty request or a negative percent
    /// ("NoOp" asks it to wait five seconds and call `send_request_xml` again).
    fn get_last_error(&self, session: SessionKey) -> String;

    /// The Web Connector could not reach QuickBooks; answer "done" or a company file path
    /// to try instead.
    fn connection_error(&self, session: SessionKey, hresult: &str, message: &str) -> String;

    /// The session ends; the text is shown in the Web Connector's status column.
    fn close_connection(&self, session: SessionKey) -> String;

    /// The session's ticket expired without `closeConnection` (the Web Connector vanished).
    fn abandon_session(&self, session: SessionKey);

    /// Something the office manager should see (wrong password, throttling...).
    fn on_event(&self, _event: EndpointEvent) {}
}
