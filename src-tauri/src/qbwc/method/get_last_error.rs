//! `getLastError(ticket)` → the text the Web Connector shows after an empty request or a
//! negative percent (`NoOp`: wait five seconds and call sendRequestXML again).
//!
//! Unknown or expired ticket: a plain-English explanation and what to do.

use super::EXPIRED_SESSION_TEXT;
use crate::qbwc::session::Ticket;
use crate::qbwc::shared::{MethodError, Shared};
use crate::qbwc::soap::{Answer, Fields, Operation};

#[derive(Debug)]
pub struct GetLastError {
    ticket: Ticket,
}

impl GetLastError {
    pub fn parse(fields: &mut Fields) -> Self {
        GetLastError {
            ticket: Ticket::from_wire(fields.take_or_empty("ticket")),
        }
    }

    pub async fn apply(self, shared: &Shared) -> Result<Answer, MethodError> {
        let op = Operation::GetLastError;
        let Some(call) = shared
            .sessions
            .enter(self.ticket.as_str(), std::time::Instant::now())
        else {
            shared.unknown_ticket(op).await;
            return Ok(Answer::Text(EXPIRED_SESSION_TEXT.to_owned()));
        };
        let key = call.key();
        let text = shared
            .with_handler(op.name(), move |h| h.get_last_error(key))
            .await?;
        drop(call);
        Ok(Answer::Text(text))
    }
}
