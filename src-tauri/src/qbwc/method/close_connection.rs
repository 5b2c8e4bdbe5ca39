//! `closeConnection(ticket)` → the text the Web Connector shows in its status column. The
//! session ends here: its ticket stops working and the handler hears `close_connection`.
//!
//! A ticket answered `none`: "everything is up to date". Unknown or expired ticket: a
//! sentence saying the session had already ended.

use crate::qbwc::session::Ticket;
use crate::qbwc::shared::{MethodError, Shared};
use crate::qbwc::soap::{Answer, Fields, Operation};

/// The status text after `authenticate` answered `none`.
pub const NOTHING_TO_DO_TEXT: &str = "FieldBridge: everything is up to date.";

/// The status text for a ticket we do not know.
pub const ALREADY_ENDED_TEXT: &str = "This FieldBridge session had already ended (it was idle too long or FieldBridge was restarted). Nothing was lost; run the Web Connector again to sync.";

#[derive(Debug)]
pub struct CloseConnection {
    ticket: Ticket,
}

impl CloseConnection {
    pub fn parse(fields: &mut Fields) -> Self {
        CloseConnection {
            ticket: Ticket::from_wire(fields.take_or_empty("ticket")),
        }
    }

    pub async fn apply(self, shared: &Shared) -> Result<Answer, MethodError> {
        let op = Operation::CloseConnection;
        let Some(key) = shared
            .sessions
            .close(self.ticket.as_str(), std::time::Instant::now())
        else {
            if shared.sessions.take_nothing_to_do(self.ticket.as_str()) {
                return Ok(Answer::Text(NOTHING_TO_DO_TEXT.to_owned()));
            }
            shared.unknown_ticket(op).await;
            return Ok(Answer::Text(ALREADY_ENDED_TEXT.to_owned()));
        };
        let text = shared
            .with_handler(op.name(), move |h| h.close_connection(key))
            .await?;
        tracing::info!("{key} closed");
        Ok(Answer::Text(text))
    }
}
