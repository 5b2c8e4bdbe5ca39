//! `getInteractiveURL(wcTicket, sessionID)` → string. FieldBridge never asks for interactive
//! mode (no `getLastError` answer of ours is "Interactive mode"), so there is no page to
//! show: we answer `""`, "no URL", and the Web Connector carries on without one.

use crate::qbwc::soap::{Answer, Fields};

#[derive(Debug)]
pub struct GetInteractiveUrl;

impl GetInteractiveUrl {
    pub fn parse(_fields: &mut Fields) -> Self {
        GetInteractiveUrl
    }

    pub fn apply(self) -> Answer {
        tracing::info!("the Web Connector asked for an interactive page; FieldBridge has none");
        Answer::Text(String::new())
    }
}
