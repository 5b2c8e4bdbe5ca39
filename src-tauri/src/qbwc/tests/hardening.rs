//! Hardening (issue 14): requests with very many fields, what a failed authenticate logs,
//! and several Windows users' Web Connectors sharing this computer's loopback.

use std::io::Write;
use std::sync::{Arc, Mutex};

use hyper::StatusCode;

use super::super::soap::read::MAX_FIELDS;
use super::super::throttle::MAX_FAILURES;
use super::{envelope, start, EndpointEvent, Limits, Seen, USER};

#[tokio::test]
async fn a_request_with_very_many_fields_gets_a_clear_fault_and_the_server_keeps_serving() {
    let ep = start(Limits::default()).await;
    let names: Vec<String> = (0..50_000).map(|i| format!("f{i}")).collect();
    let fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "x")).collect();
    let reply = ep.post_raw(envelope("authenticate", &fields), None).await;
    assert_eq!(
        reply.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "refused with a SOAP Fault: {}",
        &reply.body[..reply.body.len().min(300)]
    );
    let text = reply.one("faultstring");
    assert!(
        text.contains(&format!("more than {MAX_FIELDS} child elements")),
        "the fault says what is wrong: {text}"
    );
    assert!(
        !ep.handler
            .seen()
            .iter()
            .any(|s| matches!(s, Seen::Event(_))),
        "refused before authentication is even considered"
    );
    let next = ep.call("serverVersion", &[]).await;
    assert!(next.one("serverVersionResult").starts_with("FieldBridge"));
    ep.stop().await;
}

/// Everything logged while it lives, as text.
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("test lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("test lock")).into_owned()
    }
}

/// A password pasted into the user name box must not land in the log: a failed
/// authenticate logs that it failed, never what was typed.
#[tokio::test]
async fn a_failed_authenticate_logs_that_it_failed_not_what_was_typed() {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // This test's runtime has one thread, so the endpoint's tasks log to this subscriber.
    let _guard = tracing::subscriber::set_default(subscriber);
    let ep = start(Limits::default()).await;
    const PASTED_IN_USER_BOX: &str = "Tr0ub4dor-and-3-pasted-in-the-user-box";
    const TYPED_PASSWORD: &str = "typed-password-Zq8";
    let auth = ep.authenticate(PASTED_IN_USER_BOX, TYPED_PASSWORD).await;
    assert_eq!(auth[1], "nvu");
    let auth = ep.authenticate(USER, PASTED_IN_USER_BOX).await;
    assert_eq!(auth[1], "nvu");
    ep.stop().await;
    let text = log.text();
    assert!(
        text.contains("authenticate refused"),
        "the failure is logged (else this test proves nothing): {text}"
    );
    for typed in [PASTED_IN_USER_BOX, TYPED_PASSWORD] {
        assert!(
            !text.contains(typed),
            "what was typed ({typed}) is never logged: {text}"
        );
    }
}

/// Several Windows users on one PC share loopback: a second user's Web Connector calling
/// with its own (for us wrong) user name or password on every scheduled run must not lock
/// out the first user's Web Connector (see `throttle`'s docs).
#[tokio::test]
async fn a_second_users_web_connector_does_not_lock_out_the_first() {
    let ep = start(Limits::default()).await;
    // The second user's .qwc names another user: however many different passwords.
    for i in 0..MAX_FAILURES * 3 {
        let auth = ep
            .authenticate("fieldbridge-second-user", &format!("their password {i}"))
            .await;
        assert_eq!(auth[1], "nvu");
    }
    // Or the same user name with that user's own password, sent on every run.
    for _ in 0..MAX_FAILURES * 3 {
        let auth = ep.authenticate(USER, "the second user's password").await;
        assert_eq!(auth[1], "nvu");
    }
    let first_user = ep.authenticate(USER, &ep.password).await;
    assert_eq!(
        first_user[1], "",
        "the first user's Web Connector still authenticates: {first_user:?}"
    );
    let events = ep.handler.events();
    for known_user in [false, true] {
        assert!(
            events.contains(&EndpointEvent::AuthenticationFailed { known_user }),
            "the office manager hears of the failures (known_user: {known_user}): {events:?}"
        );
    }
    ep.stop().await;
}
