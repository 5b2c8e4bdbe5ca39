//! `sendRequestXML(ticket, strHCPResponse, strCompanyFileName, qbXMLCountry, qbXMLMajorVers,
//! qbXMLMinorVers)` → the next qbXML request, or `""` for "nothing now" (the Web Connector then
//! calls getLastError).
//!
//! Unknown or expired ticket: `""`, so the Web Connector asks getLastError, which explains.

use crate::qbwc::handler::SendRequestXml;
use crate::qbwc::session::Ticket;
use crate::qbwc::shared::{MethodError, Shared};
use crate::qbwc::soap::{Answer, Fields, Operation};

#[derive(Debug)]
pub struct SendRequestXmlCall {
    ticket: Ticket,
    args: SendRequestXml,
}

impl SendRequestXmlCall {
    pub fn parse(fields: &mut Fields) -> Self {
        SendRequestXmlCall {
            ticket: Ticket::from_wire(fields.take_or_empty("ticket")),
            args: SendRequestXml {
                hcp_response: fields.take_or_empty("strHCPResponse"),
                company_file_name: fields.take_or_empty("strCompanyFileName"),
                qbxml_country: fields.take_or_empty("qbXMLCountry"),
                qbxml_major_version: fields.take_or_empty("qbXMLMajorVers").trim().to_owned(),
                qbxml_minor_version: fields.take_or_empty("qbXMLMinorVers").trim().to_owned(),
            },
        }
    }

    pub async fn apply(self, shared: &Shared) -> Result<Answer, MethodError> {
        let op = Operation::SendRequestXml;
        let Some(call) = shared
            .sessions
            .enter(self.ticket.as_str(), std::time::Instant::now())
        else {
            shared.unknown_ticket(op).await;
            return Ok(Answer::Text(String::new()));
        };
        let key = call.key();
        let args = self.args;
        let request = shared
            .with_handler(op.name(), move |h| h.send_request_xml(key, &args))
            .await?;
        tracing::info!(
            "{key}: sendRequestXML answered {} bytes of qbXML",
            request.len()
        );
        drop(call);
        Ok(Answer::Text(request))
    }
}
