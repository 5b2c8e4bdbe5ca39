//! `clientVersion(strVersion)` → string: `""` go on, `W:text` warn, `E:text` stop,
//! `O:version` ask for a newer Web Connector.
//!
//! We always answer `""`: FieldBridge uses only calls every Web Connector 2.x makes, and
//! refusing a version we have never seen misbehave would stop syncs for no reason. The
//! version is logged, so support can see it.

use crate::qbwc::soap::{Answer, Fields};

#[derive(Debug)]
pub struct ClientVersion {
    version: String,
}

impl ClientVersion {
    pub fn parse(fields: &mut Fields) -> Self {
        ClientVersion {
            version: fields.take_or_empty("strVersion"),
        }
    }

    pub fn apply(self) -> Answer {
        tracing::info!(version = %self.version.escape_debug(), "Web Connector version");
        Answer::Text(String::new())
    }
}
