//! Security checks against the real `fieldbridge serve` process:
//! - the endpoint cannot be reached on a non-loopback address of this machine;
//! - repeated guesses (different wrong passwords) are throttled (`nvu` even for the right
//!   password afterwards), while a Web Connector resending one stale password is not;
//! - no password (even one pasted into the user name box), ticket or qbXML body reaches the
//!   log file or stderr at the default level during a whole sync;
//! - a DOCTYPE or entity declaration is refused with a SOAP Fault and never expanded, in the
//!   SOAP envelope and in the qbXML QuickBooks' answer carries.

mod support;
use qbsim::driver::{DriverConfig, RunOutcome, WebConnector};
use serde_json::json;
use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

/// Starts `fieldbridge serve` as the installed app runs it: no FIELDBRIDGE_LOG (the default
/// level), stderr kept in `stderr_file`.
fn serve_default_level(fb: &Fb, stderr_file: &Path) -> Child {
    let err = std::fs::File::create(stderr_file).expect("stderr file");
    let child = Command::new(bin())
        .arg("--data-dir")
        .arg(fb.dir.path())
        .arg("--port")
        .arg(fb.port.to_string())
        .arg("serve")
        .env_remove("FIELDBRIDGE_LOG")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(err))
        .spawn()
        .expect("serve starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", fb.port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not start listening");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// One HTTP/1.1 POST on a fresh connection; (status code, body).
fn post(port: u16, body: &str, soap_action: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"http://developer.intuit.com/{soap_action}\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("an HTTP answer");
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The machine's own non-loopback IPv4 addresses: `hostname -I`, else the source address
/// the kernel picks for an outside destination (a UDP "connect" sends nothing).
fn non_loopback_addresses() -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = Command::new("hostname")
        .arg("-I")
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    if out.is_empty() {
        if let Ok(sock) = std::net::UdpSocket::bind("0.0.0.0:0") {
            if sock.connect("192.0.2.1:9").is_ok() {
                if let Ok(a) = sock.local_addr() {
                    out.push(a.ip());
                }
            }
        }
    }
    out.retain(|ip| !ip.is_loopback() && !ip.is_unspecified());
    out
}

#[test]
fn the_endpoint_is_not_reachable_on_a_non_loopback_address() {
    let addresses = non_loopback_addresses();
    if addresses.is_empty() {
        println!(
            "SKIPPED: this machine has no non-loopback address to try (hostname -I found none)"
        );
        return;
    }
    let mut fb = Fb::new();
    fb.start();
    assert!(
        TcpStream::connect(("127.0.0.1", fb.port)).is_ok(),
        "the endpoint answers on 127.0.0.1 (else the refusals below prove nothing)"
    );
    for ip in addresses {
        let refused = TcpStream::connect_timeout(&(ip, fb.port).into(), Duration::from_secs(2));
        assert!(
            refused.is_err(),
            "the endpoint must listen on loopback only, but {ip}:{} accepted a connection",
            fb.port
        );
        println!("{ip}:{} refused: {:?}", fb.port, refused.err());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_guesses_are_throttled_even_for_the_right_password() {
    let mut fb = Fb::new();
    fb.import(&business(1));
    fb.map_fixture_items();
    fb.start();
    let right = fb.password();
    let company = company(3);
    let wrong = WebConnector::new(
        Arc::clone(&company),
        DriverConfig::fast(&fb.url(), "fieldbridge", "not-the-password"),
    );
    let mut wrong = wrong;
    // The same stale password on every scheduled run is one mistake, not guessing: it never
    // locks the office out (a second Windows user's Web Connector on this PC does this).
    for attempt in 1..=6 {
        let report = wrong.run().await;
        assert_eq!(
            report.outcome,
            RunOutcome::AuthenticationRejected("nvu".into()),
            "stale password, run {attempt}: nvu"
        );
    }
    let mut good = WebConnector::new(
        Arc::clone(&company),
        DriverConfig::fast(&fb.url(), "fieldbridge", &right),
    );
    assert!(
        good.run().await.completed(),
        "a stale password resent does not lock out the right one"
    );
    // Guessing: a different password each time.
    for attempt in 1..=6 {
        wrong.config_mut().password = format!("guess number {attempt}");
        let report = wrong.run().await;
        assert_eq!(
            report.outcome,
            RunOutcome::AuthenticationRejected("nvu".into()),
            "wrong password, attempt {attempt}: nvu"
        );
    }
    let report = good.run().await;
    assert_eq!(
        report.outcome,
        RunOutcome::AuthenticationRejected("nvu".into()),
        "after repeated wrong passwords even the right one is refused for a while"
    );
    let before = company.lock().unwrap().history().len();
    let report = good.run().await;
    assert_eq!(
        report.outcome,
        RunOutcome::AuthenticationRejected("nvu".into()),
        "still locked out"
    );
    assert_eq!(
        company.lock().unwrap().history().len(),
        before,
        "nothing reached QuickBooks while locked out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_ticket_or_qbxml_body_reaches_the_log_or_stderr() {
    const DISTINCTIVE: &str = "Quokkaville Zanzibar Plumbing";
    let fb = Fb::new();
    let mut doc = business(3);
    doc["customers"][0]["name"] = json!(DISTINCTIVE);
    fb.import(&doc);
    fb.map_fixture_items();
    let password = fb.password();
    let stderr_file = fb.dir.path().join("serve-stderr.txt");
    let mut child = serve_default_level(&fb, &stderr_file);
    // The password pasted into the Web Connector's user name box: refused, and what was
    // typed must not be logged either.
    let (status, pasted) = post(
        fb.port,
        &format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><authenticate xmlns=\"http://developer.intuit.com/\"><strUserName>{password}</strUserName><strPassword>x</strPassword></authenticate></soap:Body></soap:Envelope>"),
        "authenticate",
    );
    assert!(
        status == 200 && pasted.contains("nvu"),
        "a password in the user name box is refused: {pasted}"
    );
    let company = company(4);
    let mut qbwc = WebConnector::new(
        Arc::clone(&company),
        DriverConfig::fast(&fb.url(), "fieldbridge", &password),
    );
    let report = qbwc.run().await;
    let _ = child.kill();
    let _ = child.wait();
    report.expect_completed().expect("the sync completes");
    assert_eq!(
        company.lock().unwrap().count_customers_named(DISTINCTIVE),
        1,
        "the distinctive customer went through QuickBooks (else its absence from the log proves nothing)"
    );
    let ticket = report
        .authenticate_result
        .first()
        .cloned()
        .expect("a ticket");
    assert!(ticket.len() >= 16, "a real ticket: {ticket:?}");

    let mut texts = vec![(
        "stderr".to_owned(),
        std::fs::read_to_string(&stderr_file).unwrap_or_default(),
    )];
    for entry in std::fs::read_dir(fb.dir.path().join("logs")).expect("the logs folder") {
        let path = entry.unwrap().path();
        texts.push((
            path.display().to_string(),
            String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned(),
        ));
    }
    let logged: usize = texts.iter().map(|(_, t)| t.len()).sum();
    assert!(
        logged > 0,
        "serve logs something at the default level (else this test proves nothing)"
    );
    for (name, text) in &texts {
        for (what, secret) in [
            ("the password", password.as_str()),
            ("the ticket", ticket.as_str()),
            ("a customer name from the qbXML", DISTINCTIVE),
            ("a qbXML body", "QBXMLMsgsRq"),
            ("a qbXML body", "QBXMLMsgsRs"),
            ("a qbXML body", "<CustomerAdd"),
        ] {
            assert!(
                !text.contains(secret),
                "{what} must never be logged at the default level, found in {name}"
            );
        }
    }
}

/// A SOAP envelope that declares an entity and uses it in the user name.
const DOCTYPE_ENVELOPE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE soap:Envelope [<!ENTITY secret "EXPANDED-ENTITY-VALUE"><!ENTITY lol "lollollollollollollollol">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
<soap:Body><authenticate xmlns="http://developer.intuit.com/"><strUserName>&secret;</strUserName><strPassword>&lol;</strPassword></authenticate></soap:Body>
</soap:Envelope>"#;

#[test]
fn a_doctype_or_entity_declaration_is_refused_with_a_soap_fault_and_not_expanded() {
    let mut fb = Fb::new();
    fb.start();
    let (status, body) = post(fb.port, DOCTYPE_ENVELOPE, "authenticate");
    assert_eq!(status, 500, "a SOAP Fault travels with HTTP 500: {body}");
    assert!(
        body.contains("Fault>") && body.contains("faultstring"),
        "the answer is a SOAP Fault: {body}"
    );
    assert!(
        !body.contains("EXPANDED-ENTITY-VALUE") && !body.contains("lollollol"),
        "the entity is never expanded: {body}"
    );
    // An entity declaration without a DOCTYPE name is refused the same way.
    let bare = DOCTYPE_ENVELOPE.replace("<!DOCTYPE soap:Envelope [", "<!DOCTYPE x [");
    let (status, body) = post(fb.port, &bare, "authenticate");
    assert_eq!(status, 500, "refused: {body}");
    // The server keeps serving after refusing.
    let ok = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><serverVersion xmlns=\"http://developer.intuit.com/\" /></soap:Body></soap:Envelope>";
    let (status, body) = post(fb.port, ok, "serverVersion");
    assert_eq!(status, 200, "the endpoint still answers: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_qbxml_answer_with_a_doctype_is_refused_and_not_expanded() {
    let mut fb = Fb::new();
    fb.import(&business(2));
    fb.map_fixture_items();
    fb.start();
    let company = company(5);
    let mut qbwc = fb.driver(&company);
    // QuickBooks' answer to the first request is swapped for one declaring an entity: the
    // restart hook runs between sendRequestXML and receiveResponseXML, so an answer can
    // only be replaced by speaking SOAP ourselves. Authenticate and send by hand instead.
    let password = fb.password();
    let envelope = |op: &str, inner: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><{op} xmlns=\"http://developer.intuit.com/\">{inner}</{op}></soap:Body></soap:Envelope>"
        )
    };
    let (_, auth) = post(
        fb.port,
        &envelope(
            "authenticate",
            &format!("<strUserName>fieldbridge</strUserName><strPassword>{password}</strPassword>"),
        ),
        "authenticate",
    );
    let ticket = auth
        .split("<string>")
        .nth(1)
        .and_then(|s| s.split("</string>").next())
        .expect("a ticket in authenticate's answer")
        .to_owned();
    let (hcp, file) = {
        let c = company.lock().unwrap();
        (c.hcp_response(), c.company_file().to_owned())
    };
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let (status, request) = post(
        fb.port,
        &envelope(
            "sendRequestXML",
            &format!(
                "<ticket>{ticket}</ticket><strHCPResponse>{}</strHCPResponse><strCompanyFileName>{}</strCompanyFileName><qbXMLCountry>US</qbXMLCountry><qbXMLMajorVers>13</qbXMLMajorVers><qbXMLMinorVers>0</qbXMLMinorVers>",
                escape(&hcp),
                escape(&file)
            ),
        ),
        "sendRequestXML",
    );
    assert_eq!(status, 200, "a request: {request}");
    let evil = r#"<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY x "EXPANDED-ENTITY-VALUE">]><?qbxml version="13.0"?><QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="&x;"/></QBXMLMsgsRs></QBXML>"#;
    let (status, percent) = post(
        fb.port,
        &envelope(
            "receiveResponseXML",
            &format!(
                "<ticket>{ticket}</ticket><response>{}</response><hresult/><message/>",
                escape(evil)
            ),
        ),
        "receiveResponseXML",
    );
    assert_eq!(status, 200, "the SOAP envelope itself is fine: {percent}");
    let value: i32 = percent
        .split("<receiveResponseXMLResult>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .and_then(|s| s.trim().parse().ok())
        .expect("a percent");
    assert!(
        value < 0,
        "an answer with a DOCTYPE is refused (negative percent), got {value}"
    );
    let (_, last) = post(
        fb.port,
        &envelope("getLastError", &format!("<ticket>{ticket}</ticket>")),
        "getLastError",
    );
    assert!(
        !last.contains("EXPANDED-ENTITY-VALUE"),
        "the entity is never expanded: {last}"
    );
    let export = fb.json(&["export", "--json"]);
    assert!(
        !export.to_string().contains("EXPANDED-ENTITY-VALUE"),
        "nothing of the refused answer was stored"
    );
    // A normal run afterwards still finishes the sync (the refused batch is resolved).
    let _ = post(
        fb.port,
        &envelope("closeConnection", &format!("<ticket>{ticket}</ticket>")),
        "closeConnection",
    );
    let mut done = false;
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        let report = qbwc.run().await;
        if report.completed() || report.outcome == RunOutcome::NothingToDo {
            done = true;
            break;
        }
        outcomes.push(report.outcome);
    }
    assert!(
        done,
        "the next Web Connector run finishes the sync: {outcomes:?}"
    );
    assert_all_synced(&fb);
}
