//! `connectionError(ticket, hresult, message)` → `done`, or a company file path to try
//! instead. The Web Connector calls it when it could not reach QuickBooks.
//!
//! Unknown or expired ticket: `done` (there is no session to retry).

use crate::qbwc::session::Ticket;
use crate::qbwc::shared::{MethodError, Shared};
use crate::qbwc::soap::{Answer, Fields, Operation};

#[derive(Debug)]
pub struct ConnectionError {
    ticket: Ticket,
    hresult: String,
    message: String,
}

impl ConnectionError {
    pub fn parse(fields: &mut Fields) -> Self {
        ConnectionError {
            ticket: Ticket::from_wire(fields.take_or_empty("ticket")),
            hresult: fields.take_or_empty("hresult"),
            message: fields.take_or_empty("message"),
        }
    }

    pub async fn apply(self, shared: &Shared) -> Result<Answer, MethodError> {
        let op = Operation::ConnectionError;
        let Some(call) = shared
            .sessions
            .enter(self.ticket.as_str(), std::time::Instant::now())
        else {
            shared.unknown_ticket(op).await;
            return Ok(Answer::Text("done".to_owned()));
        };
        let key = call.key();
        tracing::warn!(
            hresult = %self.hresult.escape_debug(),
            message = %self.message.escape_debug(),
            "{key}: the Web Connector could not reach QuickBooks"
        );
        let (hresult, message) = (self.hresult, self.message);
        let answer = shared
            .with_handler(op.name(), move |h| {
                h.connection_error(key, &hresult, &message)
            })
            .await?;
        drop(call);
        Ok(Answer::Text(answer))
    }
}
