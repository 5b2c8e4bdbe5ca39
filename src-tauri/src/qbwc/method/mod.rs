//! One file per Web Connector method. Each holds a type with `parse` (its fields out of the
//! SOAP request) and `apply` (the answer, asking the handler when the call is about work),
//! and [`Call`] dispatches between them: a new method is one new file and one match arm.
//!
//! Unknown or expired tickets get a protocol-correct answer (see each method), a log line
//! and an [`EndpointEvent::UnknownTicket`](crate::qbwc::EndpointEvent::UnknownTicket); never
//! a fault, so the Web Connector ends the run cleanly and shows our explanation.

mod authenticate;
mod client_version;
mod close_connection;
mod connection_error;
mod get_interactive_url;
mod get_last_error;
mod interactive_done;
mod interactive_rejected;
mod receive_response_xml;
mod send_request_xml;
mod server_version;

pub use authenticate::{Authenticate, BUSY_RETRY_SECONDS};
pub use client_version::ClientVersion;
pub use close_connection::CloseConnection;
pub use connection_error::ConnectionError;
pub use get_interactive_url::GetInteractiveUrl;
pub use get_last_error::GetLastError;
pub use interactive_done::InteractiveDone;
pub use interactive_rejected::InteractiveRejected;
pub use receive_response_xml::ReceiveResponseXmlCall;
pub use send_request_xml::SendRequestXmlCall;
pub use server_version::ServerVersion;

use super::shared::{MethodError, Shared};
use super::soap::{Answer, Operation, Request};

/// The text `getLastError` answers for a ticket we do not know.
pub const EXPIRED_SESSION_TEXT: &str = "FieldBridge no longer recognises this Web Connector session: it was idle too long or FieldBridge was restarted. Nothing was lost. Run the Web Connector again (Update Selected) to finish the sync.";

/// One parsed Web Connector call.
#[derive(Debug)]
pub enum Call {
    ServerVersion(ServerVersion),
    ClientVersion(ClientVersion),
    Authenticate(Authenticate),
    SendRequestXml(SendRequestXmlCall),
    ReceiveResponseXml(ReceiveResponseXmlCall),
    GetLastError(GetLastError),
    ConnectionError(ConnectionError),
    CloseConnection(CloseConnection),
    GetInteractiveUrl(GetInteractiveUrl),
    InteractiveDone(InteractiveDone),
    InteractiveRejected(InteractiveRejected),
}

impl Call {
    /// The typed call for a parsed SOAP request.
    pub fn from_request(request: Request) -> Call {
        let Request {
            operation,
            mut fields,
        } = request;
        let f = &mut fields;
        match operation {
            Operation::ServerVersion => Call::ServerVersion(ServerVersion::parse(f)),
            Operation::ClientVersion => Call::ClientVersion(ClientVersion::parse(f)),
            Operation::Authenticate => Call::Authenticate(Authenticate::parse(f)),
            Operation::SendRequestXml => Call::SendRequestXml(SendRequestXmlCall::parse(f)),
            Operation::ReceiveResponseXml => {
                Call::ReceiveResponseXml(ReceiveResponseXmlCall::parse(f))
            }
            Operation::GetLastError => Call::GetLastError(GetLastError::parse(f)),
            Operation::ConnectionError => Call::ConnectionError(ConnectionError::parse(f)),
            Operation::CloseConnection => Call::CloseConnection(CloseConnection::parse(f)),
            Operation::GetInteractiveUrl => Call::GetInteractiveUrl(GetInteractiveUrl::parse(f)),
            Operation::InteractiveDone => Call::InteractiveDone(InteractiveDone::parse(f)),
            Operation::InteractiveRejected => {
                Call::InteractiveRejected(InteractiveRejected::parse(f))
            }
        }
    }

    pub fn operation(&self) -> Operation {
        match self {
            Call::ServerVersion(_) => Operation::ServerVersion,
            Call::ClientVersion(_) => Operation::ClientVersion,
            Call::Authenticate(_) => Operation::Authenticate,
            Call::SendRequestXml(_) => Operation::SendRequestXml,
            Call::ReceiveResponseXml(_) => Operation::ReceiveResponseXml,
            Call::GetLastError(_) => Operation::GetLastError,
            Call::ConnectionError(_) => Operation::ConnectionError,
            Call::CloseConnection(_) => Operation::CloseConnection,
            Call::GetInteractiveUrl(_) => Operation::GetInteractiveUrl,
            Call::InteractiveDone(_) => Operation::InteractiveDone,
            Call::InteractiveRejected(_) => Operation::InteractiveRejected,
        }
    }

    /// Answers the call.
    pub async fn apply(self, shared: &Shared) -> Result<Answer, MethodError> {
        match self {
            Call::ServerVersion(c) => Ok(c.apply()),
            Call::ClientVersion(c) => Ok(c.apply()),
            Call::Authenticate(c) => c.apply(shared).await,
            Call::SendRequestXml(c) => c.apply(shared).await,
            Call::ReceiveResponseXml(c) => c.apply(shared).await,
            Call::GetLastError(c) => c.apply(shared).await,
            Call::ConnectionError(c) => c.apply(shared).await,
            Call::CloseConnection(c) => c.apply(shared).await,
            Call::GetInteractiveUrl(c) => Ok(c.apply()),
            Call::InteractiveDone(c) => Ok(c.apply()),
            Call::InteractiveRejected(c) => Ok(c.apply()),
        }
    }
}
