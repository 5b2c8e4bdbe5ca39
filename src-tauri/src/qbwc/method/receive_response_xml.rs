//! `receiveResponseXML(ticket, response, hresult, message)` → int: percent done 0..=100 (100
//! ends the session), negative for an error (the Web Connector then calls getLastError).
//!
//! Unknown or expired ticket: `-1`, so the Web Connector asks getLastError, which explains,
//! then closes. The response was not applied; the engine resolves it in the next session
//! (the batch is still recorded as in flight).

use crate::qbwc::handler::ReceiveResponseXml;
use crate::qbwc::session::Ticket;
use crate::qbwc::shared::{MethodError, Shared};
use crate::qbwc::soap::{Answer, Fields, Operation};

/// The answer for an unknown ticket.
const UNKNOWN_TICKET_PERCENT: i32 = -1;

#[derive(Debug)]
pub struct ReceiveResponseXmlCall {
    ticket: Ticket,
    args: ReceiveResponseXml,
}

impl ReceiveResponseXmlCall {
    pub fn parse(fields: &mut Fields) -> Self {
        ReceiveResponseXmlCall {
            ticket: Ticket::from_wire(fields.take_or_empty("ticket")),
            args: ReceiveResponseXml {
                response: fields.take_or_empty("response"),
                hresult: fields.take_or_empty("hresult"),
                message: fields.take_or_empty("message"),
            },
        }
    }

    pub async fn apply(self, shared: &Shared) -> Result<Answer, MethodError> {
        let op = Operation::ReceiveResponseXml;
        let Some(call) = shared
            .sessions
            .enter(self.ticket.as_str(), std::time::Instant::now())
        else {
            shared.unknown_ticket(op).await;
            return Ok(Answer::Int(UNKNOWN_TICKET_PERCENT));
        };
        let key = call.key();
        let args = self.args;
        tracing::info!(
            hresult = %args.hresult.escape_debug(),
            "{key}: receiveResponseXML with {} bytes of qbXML",
            args.response.len()
        );
        let percent = shared
            .with_handler(op.name(), move |h| h.receive_response_xml(key, &args))
            .await?;
        // QBWC reads anything above 100 as done anyway; say 100 so our logs agree with it.
        let percent = percent.min(100);
        drop(call);
        Ok(Answer::Int(percent))
    }
}
