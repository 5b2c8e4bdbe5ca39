//! A test harness for the Web Connector endpoint alone: serves it with a small fixed handler
//! (no database, no sync engine) so outside checkers such as `tests/soap_client/` can drive
//! every operation. Not part of the product; `fieldbridge serve` is the real thing.
//!
//! ```text
//! cargo run -p fieldbridge --no-default-features --example qbwc_harness -- [PORT] [PASSWORD_FILE]
//! ```
//! PORT defaults to 0 (the OS picks one); PASSWORD_FILE defaults to a temporary file.
//! Prints `url=...` and `password=...` lines on stdout, then serves until Ctrl-C.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use fieldbridge::qbwc::{
    self, EndpointEvent, OpenSession, QbwcHandler, ReceiveResponseXml, SendRequestXml, SessionKey,
};

/// Sends one CustomerQuery per session, then nothing; every answer is accepted as 100 %.
#[derive(Default)]
struct FixedHandler {
    sent: AtomicBool,
}

const ONE_REQUEST: &str = r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"><MaxReturned>1</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>"#;

impl QbwcHandler for FixedHandler {
    fn open_session(&self, session: SessionKey) -> OpenSession {
        eprintln!("harness: open {session}");
        self.sent.store(false, Ordering::SeqCst);
        OpenSession::Work {
            company_file: String::new(),
        }
    }
    fn send_request_xml(&self, session: SessionKey, call: &SendRequestXml) -> String {
        eprintln!(
            "harness: {session} sendRequestXML (hcp {} bytes, qbXML {}.{})",
            call.hcp_response.len(),
            call.qbxml_major_version,
            call.qbxml_minor_version
        );
        if self.sent.swap(true, Ordering::SeqCst) {
            String::new()
        } else {
            ONE_REQUEST.to_owned()
        }
    }
    fn receive_response_xml(&self, session: SessionKey, call: &ReceiveResponseXml) -> i32 {
        eprintln!(
            "harness: {session} receiveResponseXML ({} bytes)",
            call.response.len()
        );
        100
    }
    fn get_last_error(&self, _session: SessionKey) -> String {
        "Nothing went wrong; the harness has no more work.".to_owned()
    }
    fn connection_error(&self, _session: SessionKey, _hresult: &str, _message: &str) -> String {
        "done".to_owned()
    }
    fn close_connection(&self, session: SessionKey) -> String {
        eprintln!("harness: close {session}");
        "Harness session closed.".to_owned()
    }
    fn abandon_session(&self, session: SessionKey) {
        eprintln!("harness: abandoned {session}");
    }
    fn on_event(&self, event: EndpointEvent) {
        eprintln!("harness: event {event:?}");
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let _logs = fieldbridge::logging::init(None, "info");
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().map(|p| p.parse()).transpose()?.unwrap_or(0);
    let temp = tempfile::tempdir()?;
    let password_file = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().join("qbwc-password"));
    let password = qbwc::password::load_or_create(&password_file)?;
    let config = qbwc::Endpoint::new(
        port,
        qbwc::DEFAULT_USER_NAME,
        &password_file,
        Arc::new(FixedHandler::default()),
    );
    let bound = qbwc::bind(config).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "url={}", bound.soap_url())?;
    writeln!(out, "user={}", qbwc::DEFAULT_USER_NAME)?;
    writeln!(out, "password={}", password.expose())?;
    out.flush()?;
    drop(out);
    bound
        .run(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    Ok(())
}
