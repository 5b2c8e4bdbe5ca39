//! `interactiveRejected(wcTicket, reason)` → string shown to the user. We never ask for
//! interactive mode, so nothing was lost; the answer says so and the reason is logged.

use crate::qbwc::soap::{Answer, Fields};

#[derive(Debug)]
pub struct InteractiveRejected {
    reason: String,
}

impl InteractiveRejected {
    pub fn parse(fields: &mut Fields) -> Self {
        InteractiveRejected {
            reason: fields.take_or_empty("reason"),
        }
    }

    pub fn apply(self) -> Answer {
        tracing::info!(reason = %self.reason.escape_debug(), "interactive mode was declined");
        Answer::Text(
            "FieldBridge does not use interactive mode, so nothing needs to be done.".to_owned(),
        )
    }
}
