//! `serverVersion()` → string: the first call of a run; the Web Connector logs our version.
//! Some callers send a `strVersion` or `ticket` child (the two public WSDLs disagree); it is
//! ignored.

use crate::qbwc::soap::{Answer, Fields};

#[derive(Debug)]
pub struct ServerVersion;

impl ServerVersion {
    pub fn parse(_fields: &mut Fields) -> Self {
        ServerVersion
    }

    pub fn apply(self) -> Answer {
        Answer::Text(format!("FieldBridge {}", crate::VERSION))
    }
}
