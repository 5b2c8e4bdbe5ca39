//! `interactiveDone(wcTicket)` → string: "Done" ends an interactive session. We never start
//! one, so the session is always done.

use crate::qbwc::soap::{Answer, Fields};

#[derive(Debug)]
pub struct InteractiveDone;

impl InteractiveDone {
    pub fn parse(_fields: &mut Fields) -> Self {
        InteractiveDone
    }

    pub fn apply(self) -> Answer {
        Answer::Text("Done".to_owned())
    }
}
