//! End-to-end tests of the endpoint: the real server on 127.0.0.1 port 0, driven over real
//! HTTP, with a recording [`QbwcHandler`]. Grouped by concern: a whole session, bad input,
//! authentication, tickets, routes, and the listener itself.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use quick_xml::events::{BytesText, Event};
use quick_xml::reader::Reader;
use quick_xml::writer::Writer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::handler::{
    EndpointEvent, OpenSession, QbwcHandler, ReceiveResponseXml, SendRequestXml, SessionKey,
};
use super::test_support::reference_path;
use super::{bind, password, Endpoint, Limits};

mod connection;
mod hardening;

// ---------------------------------------------------------------------------------------
// A recording handler

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Open(SessionKey),
    Send {
        key: SessionKey,
        hcp_response: String,
        company_file_name: String,
        country: String,
        major: String,
        minor: String,
    },
    Receive {
        key: SessionKey,
        response: String,
        hresult: String,
        message: String,
    },
    LastError(SessionKey),
    ConnectionError(SessionKey, String, String),
    Close(SessionKey),
    Abandon(SessionKey),
    Event(EndpointEvent),
}

struct Recording {
    seen: Mutex<Vec<Seen>>,
    open_answer: Mutex<OpenSession>,
    requests: Mutex<VecDeque<String>>,
    /// When set, send_request_xml reports that it started and waits for a go-ahead.
    gate: Mutex<
        Option<(
            tokio::sync::mpsc::UnboundedSender<()>,
            std::sync::mpsc::Receiver<()>,
        )>,
    >,
    /// When set, send_request_xml panics (a bug in the engine).
    panic_on_send: std::sync::atomic::AtomicBool,
}

impl Recording {
    fn new() -> Arc<Self> {
        Arc::new(Recording {
            seen: Mutex::new(vec![]),
            open_answer: Mutex::new(OpenSession::Work {
                company_file: String::new(),
            }),
            requests: Mutex::new(VecDeque::new()),
            gate: Mutex::new(None),
            panic_on_send: std::sync::atomic::AtomicBool::new(false),
        })
    }
    fn push(&self, s: Seen) {
        self.seen.lock().expect("test lock").push(s);
    }
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("test lock").clone()
    }
    fn events(&self) -> Vec<EndpointEvent> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Event(e) => Some(e),
                _ => None,
            })
            .collect()
    }
}

impl QbwcHandler for Recording {
    fn open_session(&self, session: SessionKey) -> OpenSession {
        self.push(Seen::Open(session));
        self.open_answer.lock().expect("test lock").clone()
    }
    fn send_request_xml(&self, session: SessionKey, call: &SendRequestXml) -> String {
        self.push(Seen::Send {
            key: session,
            hcp_response: call.hcp_response.clone(),
            company_file_name: call.company_file_name.clone(),
            country: call.qbxml_country.clone(),
            major: call.qbxml_major_version.clone(),
            minor: call.qbxml_minor_version.clone(),
        });
        if self
            .panic_on_send
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            panic!("simulated bug in the sync engine");
        }
        let gate = self.gate.lock().expect("test lock").take();
        if let Some((entered, go)) = gate {
            let _ = entered.send(());
            let _ = go.recv();
        }
        self.requests
            .lock()
            .expect("test lock")
            .pop_front()
            .unwrap_or_default()
    }
    fn receive_response_xml(&self, session: SessionKey, call: &ReceiveResponseXml) -> i32 {
        self.push(Seen::Receive {
            key: session,
            response: call.response.clone(),
            hresult: call.hresult.clone(),
            message: call.message.clone(),
        });
        100
    }
    fn get_last_error(&self, session: SessionKey) -> String {
        self.push(Seen::LastError(session));
        "NoOp".into()
    }
    fn connection_error(&self, session: SessionKey, hresult: &str, message: &str) -> String {
        self.push(Seen::ConnectionError(
            session,
            hresult.into(),
            message.into(),
        ));
        "done".into()
    }
    fn close_connection(&self, session: SessionKey) -> String {
        self.push(Seen::Close(session));
        "Sync complete: 1 invoice added.".into()
    }
    fn abandon_session(&self, session: SessionKey) {
        self.push(Seen::Abandon(session));
    }
    fn on_event(&self, event: EndpointEvent) {
        self.push(Seen::Event(event));
    }
}

// ---------------------------------------------------------------------------------------
// A running endpoint and a client

const USER: &str = "fieldbridge";

struct Running {
    port: u16,
    password: String,
    password_file: std::path::PathBuf,
    handler: Arc<Recording>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    _dir: tempfile::TempDir,
}

async fn start(limits: Limits) -> Running {
    let dir = tempfile::tempdir().expect("temp dir");
    let password_file = dir.path().join("qbwc-password");
    let password = password::load_or_create(&password_file)
        .expect("password")
        .expose()
        .to_owned();
    let handler = Recording::new();
    let mut config = Endpoint::new(0, USER, &password_file, handler.clone());
    config.limits = limits;
    let bound = bind(config).await.expect("binds on a free port");
    let port = bound.local_port();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bound.run(async move {
        let _ = rx.await;
    }));
    Running {
        port,
        password,
        password_file,
        handler,
        stop: Some(tx),
        server,
        client: Client::builder(TokioExecutor::new()).build_http(),
        _dir: dir,
    }
}

/// A request envelope written with quick-xml's writer (values escaped by it).
fn envelope(op: &str, fields: &[(&str, &str)]) -> String {
    let mut w = Writer::new(Vec::new());
    w.create_element("soap:Envelope")
        .with_attribute(("xmlns:soap", "http://schemas.xmlsoap.org/soap/envelope/"))
        .write_inner_content(|w| {
            w.create_element("soap:Body").write_inner_content(|w| {
                w.create_element(op)
                    .with_attribute(("xmlns", "http://developer.intuit.com/"))
                    .write_inner_content(|w| {
                        for (name, value) in fields {
                            w.create_element(*name)
                                .write_text_content(BytesText::new(value))?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
            Ok(())
        })
        .expect("writing to a Vec");
    String::from_utf8(w.into_inner()).expect("UTF-8")
}

struct Reply {
    status: StatusCode,
    content_type: String,
    body: String,
}

impl Reply {
    /// The text of every element named `name`, in order.
    fn all(&self, name: &str) -> Vec<String> {
        let mut reader = Reader::from_str(&self.body);
        let mut out = vec![];
        let mut inside = false;
        loop {
            match reader
                .read_event()
                .expect("the endpoint answers well-formed XML")
            {
                Event::Start(e) if e.local_name().as_ref() == name => {
                    inside = true;
                    out.push(String::new());
                }
                Event::Empty(e) if e.local_name().as_ref() == name => out.push(String::new()),
                Event::Text(t) if inside => {
                    if let Some(last) = out.last_mut() {
                        last.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) if inside => {
                    if let Some(last) = out.last_mut() {
                        let c = match &*r {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "quot" => '"',
                            "apos" => '\'',
                            other => panic!("unexpected entity {other}"),
                        };
                        last.push(c);
                    }
                }
                Event::End(e) if e.local_name().as_ref() == name => inside = false,
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }
    fn one(&self, name: &str) -> String {
        let all = self.all(name);
        assert_eq!(all.len(), 1, "exactly one <{name}> in {}", self.body);
        all.into_iter().next().unwrap_or_default()
    }
}

impl Running {
    async fn send(&self, request: Request<Full<Bytes>>) -> Reply {
        let response = self
            .client
            .request(request)
            .await
            .expect("the endpoint answers");
        let status = response.status();
        let content_type = response
            .headers()
            .get(hyper::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            content_type,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    async fn post_raw(&self, body: String, soap_action: Option<&str>) -> Reply {
        let mut builder = Request::post(format!("http://127.0.0.1:{}/qbwc", self.port))
            .header("content-type", "text/xml; charset=utf-8");
        if let Some(action) = soap_action {
            builder = builder.header("soapaction", action);
        }
        self.send(builder.body(Full::new(Bytes::from(body))).expect("request"))
            .await
    }

    async fn call(&self, op: &str, fields: &[(&str, &str)]) -> Reply {
        let action = format!("\"http://developer.intuit.com/{op}\"");
        let reply = self.post_raw(envelope(op, fields), Some(&action)).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{op} is answered: {}",
            reply.body
        );
        assert!(
            reply.content_type.starts_with("text/xml"),
            "SOAP 1.1 travels as text/xml"
        );
        reply
    }

    async fn get(&self, path_and_query: &str) -> Reply {
        let request = Request::get(format!("http://127.0.0.1:{}{path_and_query}", self.port))
            .body(Full::new(Bytes::new()))
            .expect("request");
        self.send(request).await
    }

    async fn authenticate(&self, user: &str, password: &str) -> Vec<String> {
        self.call(
            "authenticate",
            &[("strUserName", user), ("strPassword", password)],
        )
        .await
        .all("string")
    }

    async fn stop(mut self) -> Arc<Recording> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(30), self.server)
            .await
            .expect("run() returns after shutdown")
            .expect("the server task does not panic");
        self.handler
    }
}

fn reference_text(relative: &str) -> String {
    let path = reference_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------
// A whole session

#[tokio::test]
async fn a_whole_web_connector_session_over_http() {
    qbsim::skip_without_reference!();
    let ep = start(Limits::default()).await;
    let qbxml_request = r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"/></QBXMLMsgsRq></QBXML>"#;
    ep.handler
        .requests
        .lock()
        .expect("test lock")
        .push_back(qbxml_request.to_owned());

    let version = ep
        .call("serverVersion", &[])
        .await
        .one("serverVersionResult");
    assert!(
        version.starts_with("FieldBridge "),
        "serverVersion names us: {version}"
    );
    let client = ep
        .call("clientVersion", &[("strVersion", "2.3.0.215")])
        .await
        .one("clientVersionResult");
    assert_eq!(client, "", "clientVersion answers \"\": go on");

    let auth = ep.authenticate(USER, &ep.password).await;
    assert_eq!(auth.len(), 2, "authenticate answers [ticket, X]: {auth:?}");
    let ticket = auth[0].clone();
    assert_eq!(
        auth[1], "",
        "\"\" = use the company file open in QuickBooks"
    );
    assert_eq!(ticket.len(), 36, "a GUID-shaped 128-bit ticket");

    let hcp = reference_text(
        "samples/responses/strHCPResponse.Host+Company+Preferences.qbwc-gem-test-helper.FIXED-typo.xml",
    );
    let sent = ep
        .call(
            "sendRequestXML",
            &[
                ("ticket", &ticket),
                ("strHCPResponse", &hcp),
                ("strCompanyFileName", "C:\\Company Files\\Rock Castle.qbw"),
                ("qbXMLCountry", "US"),
                ("qbXMLMajorVers", "13"),
                ("qbXMLMinorVers", "0"),
            ],
        )
        .await
        .one("sendRequestXMLResult");
    assert_eq!(sent, qbxml_request, "the handler's qbXML goes out intact");

    let qbxml_response = reference_text("samples/responses/InvoiceAddRs.extracted.flowlink.xml");
    let percent = ep
        .call(
            "receiveResponseXML",
            &[
                ("ticket", &ticket),
                ("response", &qbxml_response),
                ("hresult", ""),
                ("message", ""),
            ],
        )
        .await
        .one("receiveResponseXMLResult");
    assert_eq!(
        percent, "100",
        "the handler's percent is returned as an int"
    );

    let last = ep
        .call("getLastError", &[("ticket", &ticket)])
        .await
        .one("getLastErrorResult");
    assert_eq!(last, "NoOp", "getLastError is the handler's text");
    let conn = ep
        .call(
            "connectionError",
            &[
                ("ticket", &ticket),
                ("hresult", "0x80040408"),
                ("message", "Could not start QuickBooks."),
            ],
        )
        .await
        .one("connectionErrorResult");
    assert_eq!(conn, "done", "connectionError is the handler's answer");
    let closed = ep
        .call("closeConnection", &[("ticket", &ticket)])
        .await
        .one("closeConnectionResult");
    assert_eq!(
        closed, "Sync complete: 1 invoice added.",
        "closeConnection shows the handler's text"
    );

    let key = SessionKey(1);
    let seen = ep.handler.seen();
    assert_eq!(
        seen,
        vec![
            Seen::Open(key),
            Seen::Send {
                key,
                hcp_response: hcp.clone(),
                company_file_name: "C:\\Company Files\\Rock Castle.qbw".into(),
                country: "US".into(),
                major: "13".into(),
                minor: "0".into(),
            },
            Seen::Receive {
                key,
                response: qbxml_response.clone(),
                hresult: String::new(),
                message: String::new(),
            },
            Seen::LastError(key),
            Seen::ConnectionError(
                key,
                "0x80040408".into(),
                "Could not start QuickBooks.".into()
            ),
            Seen::Close(key),
        ],
        "the handler sees every call of the session, in order, with the same key and exact text"
    );
    let after = ep
        .call("sendRequestXML", &[("ticket", &ticket)])
        .await
        .one("sendRequestXMLResult");
    assert_eq!(after, "", "a closed session's ticket no longer works");
    let handler = ep.stop().await;
    assert!(
        !handler.seen().contains(&Seen::Abandon(key)),
        "a session closed by closeConnection is not abandoned at shutdown"
    );
}

#[tokio::test]
async fn a_real_receive_response_envelope_is_applied_verbatim() {
    qbsim::skip_without_reference!();
    let ep = start(Limits::default()).await;
    let auth = ep.authenticate(USER, &ep.password).await;
    let raw = reference_text("samples/soap/receiveResponseXML.ReceivePaymentAddRs.flowlink.xml");
    // The sample carries the ticket of its own session; ours replaces it.
    let body = raw.replacen("354f40b4-b661-4472-a13f-8abf13a743c3", &auth[0], 1);
    let reply = ep.post_raw(body, None).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "a real Web Connector envelope is accepted: {}",
        reply.body
    );
    let expected = reference_text("samples/responses/ReceivePaymentAddRs.extracted.flowlink.xml");
    let applied = ep.handler.seen().into_iter().find_map(|s| match s {
        Seen::Receive { response, .. } => Some(response),
        _ => None,
    });
    assert_eq!(
        applied.as_deref().map(str::trim_end),
        Some(expected.trim_end()),
        "the handler receives exactly the unescaped qbXML that QuickBooks sent"
    );
    ep.stop().await;
}

// ---------------------------------------------------------------------------------------
// Bad input

#[tokio::test]
async fn bad_requests_get_a_fault_and_the_server_keeps_serving() {
    let ep = start(Limits::default()).await;
    let cases: Vec<(&str, String, &str)> = vec![
        ("malformed XML", "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><serverVersion".into(), "not well-formed"),
        ("not SOAP", "<html><body>hello</body></html>".into(), "expected a SOAP 1.1 <Envelope>"),
        ("unknown operation", envelope("dropDatabase", &[]), "unknown operation <dropDatabase>"),
        (
            "DOCTYPE with entities",
            format!(
                "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>{}",
                envelope("serverVersion", &[])
            ),
            "DOCTYPE",
        ),
        ("empty body", String::new(), "expected a SOAP 1.1 <Envelope>"),
    ];
    for (name, body, reason) in cases {
        let reply = ep
            .post_raw(body, Some("\"http://developer.intuit.com/serverVersion\""))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{name}: SOAP 1.1 faults travel with HTTP 500"
        );
        assert!(
            reply.content_type.starts_with("text/xml"),
            "{name}: a fault is a SOAP message"
        );
        assert_eq!(
            reply.one("faultcode"),
            "soap:Client",
            "{name}: the sender is at fault"
        );
        let text = reply.one("faultstring");
        assert!(
            text.contains(reason),
            "{name}: the faultstring says why ({reason}): {text}"
        );
        let next = ep
            .call("serverVersion", &[])
            .await
            .one("serverVersionResult");
        assert!(
            next.starts_with("FieldBridge"),
            "{name}: the next request is still answered"
        );
    }
    assert!(
        ep.handler.seen().is_empty(),
        "no bad request reaches the handler"
    );
    ep.stop().await;
}

#[tokio::test]
async fn soap_action_quoted_unquoted_or_missing_is_all_the_same() {
    let ep = start(Limits::default()).await;
    for action in [
        Some("\"http://developer.intuit.com/serverVersion\""),
        Some("http://developer.intuit.com/serverVersion"),
        Some("\"http://developer.intuit.com/somethingElse\""),
        Some(""),
        None,
    ] {
        let reply = ep.post_raw(envelope("serverVersion", &[]), action).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "SOAPAction {action:?} does not matter: the Body does"
        );
        assert!(
            reply.one("serverVersionResult").starts_with("FieldBridge"),
            "answered by Body element"
        );
    }
    ep.stop().await;
}

/// The Web Connector is a .NET client, and .NET sends `Expect: 100-continue` on POSTs,
/// waiting for the interim answer before it sends the body.
#[tokio::test]
async fn expect_100_continue_is_honoured() {
    let ep = start(Limits::default()).await;
    let body = envelope("serverVersion", &[]);
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", ep.port))
        .await
        .expect("connect");
    let head = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost:{}\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"http://developer.intuit.com/serverVersion\"\r\nExpect: 100-continue\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        ep.port,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    let mut interim = [0u8; 25];
    tokio::time::timeout(Duration::from_secs(30), stream.read_exact(&mut interim))
        .await
        .expect("the interim answer comes without the body")
        .expect("read");
    assert_eq!(
        &interim, b"HTTP/1.1 100 Continue\r\n\r\n",
        "the client is told to send the body"
    );
    stream.write_all(body.as_bytes()).await.expect("write body");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "then the call is answered: {answer}"
    );
    assert!(
        answer.contains("<serverVersionResult>FieldBridge"),
        "with the SOAP answer: {answer}"
    );
    ep.stop().await;
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_before_it_is_read() {
    let ep = start(Limits::default()).await;
    // Declared too large: refused on the header alone (the body is never sent).
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", ep.port))
        .await
        .expect("connect");
    let head = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost:{}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        ep.port,
        super::MAX_BODY_BYTES + 1
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers without waiting for 32 MiB")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "over the limit by Content-Length: 413, got {answer}"
    );
    ep.stop().await;

    // Streamed without a length: cut off once the limit is passed.
    let ep = start(Limits {
        max_body_bytes: 1024,
        ..Limits::default()
    })
    .await;
    let big = envelope("getLastError", &[("ticket", &"x".repeat(4096))]);
    let request = Request::post(format!("http://127.0.0.1:{}/qbwc", ep.port))
        .body(Full::new(Bytes::from(big)))
        .expect("request");
    let reply = ep.send(request).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "over the limit: 413"
    );
    let next = ep.call("serverVersion", &[]).await;
    assert!(
        next.one("serverVersionResult").starts_with("FieldBridge"),
        "and the server keeps serving"
    );
    ep.stop().await;
}

#[tokio::test]
async fn a_handler_panic_is_a_server_fault_and_the_session_goes_on() {
    let ep = start(Limits::default()).await;
    let ticket = ep.authenticate(USER, &ep.password).await[0].clone();
    ep.handler
        .panic_on_send
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let reply = ep
        .post_raw(envelope("sendRequestXML", &[("ticket", &ticket)]), None)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "a failed call is a SOAP fault"
    );
    assert_eq!(
        reply.one("faultcode"),
        "soap:Server",
        "the fault is ours, not the sender's"
    );
    assert!(
        reply.one("faultstring").contains("internal error"),
        "the Web Connector shows a plain explanation: {}",
        reply.body
    );
    let again = ep.call("sendRequestXML", &[("ticket", &ticket)]).await;
    assert_eq!(
        again.one("sendRequestXMLResult"),
        "",
        "the session's ticket still works after the fault"
    );
    ep.stop().await;
}

#[tokio::test]
async fn an_unreadable_password_file_is_a_fault_that_names_it() {
    let ep = start(Limits::default()).await;
    std::fs::remove_file(&ep.password_file).expect("remove");
    std::fs::create_dir(&ep.password_file).expect("a directory where the file was");
    let reply = ep
        .post_raw(
            envelope(
                "authenticate",
                &[("strUserName", USER), ("strPassword", &ep.password)],
            ),
            None,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "not `nvu`: the password was not checked"
    );
    let text = reply.one("faultstring");
    assert!(
        text.contains("qbwc-password"),
        "the fault names the file to fix: {text}"
    );
    ep.stop().await;
}

// ---------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn wrong_user_or_password_is_nvu_and_reaches_no_handler_method() {
    let ep = start(Limits::default()).await;
    for (user, pass) in [(USER, "wrong"), ("someone", ep.password.as_str()), ("", "")] {
        let auth = ep.authenticate(user, pass).await;
        assert_eq!(auth.len(), 2, "two strings even when refused: {auth:?}");
        assert_eq!(auth[1], "nvu", "{user:?}/{pass:?} is not a valid user");
        let after = ep
            .call("sendRequestXML", &[("ticket", &auth[0])])
            .await
            .one("sendRequestXMLResult");
        assert_eq!(after, "", "a refused authenticate's ticket opens nothing");
    }
    let opened = ep
        .handler
        .seen()
        .iter()
        .filter(|s| matches!(s, Seen::Open(_)))
        .count();
    assert_eq!(opened, 0, "no session is opened for a wrong password");
    let failures = ep
        .handler
        .events()
        .into_iter()
        .filter(|e| matches!(e, EndpointEvent::AuthenticationFailed { .. }))
        .count();
    assert_eq!(
        failures, 3,
        "each failure is reported to the office manager"
    );
    ep.stop().await;
}

#[tokio::test]
async fn repeated_failures_throttle_even_the_right_password() {
    let ep = start(Limits::default()).await;
    for i in 0..super::throttle::MAX_FAILURES {
        assert_eq!(
            ep.authenticate(USER, &format!("guess {i}")).await[1],
            "nvu",
            "wrong password"
        );
    }
    let refused = ep.authenticate(USER, &ep.password).await;
    assert_eq!(
        refused[1], "nvu",
        "while throttled even the right password is refused"
    );
    assert!(
        ep.handler
            .events()
            .iter()
            .any(|e| matches!(e, EndpointEvent::Throttled { seconds } if *seconds > 0)),
        "throttling is reported with its length"
    );
    assert!(
        !ep.handler.seen().iter().any(|s| matches!(s, Seen::Open(_))),
        "no session opens during a lockout"
    );
    ep.stop().await;
}

#[tokio::test]
async fn a_password_reset_elsewhere_takes_effect_at_once() {
    let ep = start(Limits::default()).await;
    let new = password::reset(&ep.password_file)
        .expect("reset")
        .expose()
        .to_owned();
    assert_eq!(
        ep.authenticate(USER, &ep.password).await[1],
        "nvu",
        "the old password stops working at once"
    );
    assert_eq!(
        ep.authenticate(USER, &new).await[1],
        "",
        "the new one works without a restart"
    );
    ep.stop().await;
}

#[tokio::test]
async fn none_and_a_new_run_supersedes_an_idle_session() {
    let ep = start(Limits::default()).await;
    *ep.handler.open_answer.lock().expect("test lock") = OpenSession::NothingToDo;
    let auth = ep.authenticate(USER, &ep.password).await;
    assert_eq!(auth[1], "none", "the handler's nothing-to-do is `none`");
    let closed = ep
        .call("closeConnection", &[("ticket", auth[0].as_str())])
        .await;
    assert!(
        closed.body.contains("everything is up to date"),
        "closing after `none` says so, not that the session was lost: {}",
        closed.body
    );
    *ep.handler.open_answer.lock().expect("test lock") = OpenSession::Work {
        company_file: "C:\\Company.qbw".into(),
    };
    let first = ep.authenticate(USER, &ep.password).await;
    assert_eq!(
        first[1], "C:\\Company.qbw",
        "a company file path is passed through"
    );
    // The Web Connector never runs two sessions of one application at once: a new run
    // means the first one's connection is gone (e.g. an answer was lost), so it must not
    // lock FieldBridge out for the idle timeout.
    let second = ep.authenticate(USER, &ep.password).await;
    assert_eq!(second[1], "C:\\Company.qbw", "the new run gets to work");
    let seen = ep.handler.seen();
    let abandoned = seen.iter().position(|s| matches!(s, Seen::Abandon(_)));
    let last_open = seen.iter().rposition(|s| matches!(s, Seen::Open(_)));
    assert!(
        matches!((abandoned, last_open), (Some(a), Some(o)) if a < o),
        "the idle session is abandoned before the new one opens: {seen:?}"
    );
    let stale = ep
        .call("sendRequestXML", &[("ticket", first[0].as_str())])
        .await;
    assert_eq!(
        stale.status,
        StatusCode::OK,
        "a superseded ticket gets a protocol answer"
    );
    assert!(
        stale
            .body
            .contains("<sendRequestXMLResult></sendRequestXMLResult>")
            || stale.body.contains("<sendRequestXMLResult />")
            || stale.body.contains("<sendRequestXMLResult/>"),
        "and no work: {}",
        stale.body
    );
    ep.stop().await;
}

// ---------------------------------------------------------------------------------------
// Tickets

#[tokio::test]
async fn unknown_and_expired_tickets_get_protocol_answers() {
    // An idle timeout of zero expires every session right after authenticate.
    let ep = start(Limits {
        session_idle_timeout: Duration::ZERO,
        ..Limits::default()
    })
    .await;
    let expired = ep.authenticate(USER, &ep.password).await[0].clone();
    for ticket in ["no-such-ticket", expired.as_str()] {
        let t = [("ticket", ticket)];
        assert_eq!(
            ep.call("sendRequestXML", &t)
                .await
                .one("sendRequestXMLResult"),
            "",
            "nothing to send"
        );
        assert_eq!(
            ep.call("receiveResponseXML", &t)
                .await
                .one("receiveResponseXMLResult"),
            "-1",
            "an error percent"
        );
        let text = ep.call("getLastError", &t).await.one("getLastErrorResult");
        assert!(
            text.contains("run the Web Connector again")
                || text.contains("Run the Web Connector again"),
            "plain English with the next step: {text}"
        );
        assert_eq!(
            ep.call("connectionError", &t)
                .await
                .one("connectionErrorResult"),
            "done",
            "nothing to retry"
        );
        let closed = ep
            .call("closeConnection", &t)
            .await
            .one("closeConnectionResult");
        assert!(
            closed.contains("already ended"),
            "a sentence for the status column: {closed}"
        );
    }
    let unknown = ep
        .handler
        .events()
        .into_iter()
        .filter(|e| matches!(e, EndpointEvent::UnknownTicket { .. }))
        .count();
    assert_eq!(unknown, 10, "every call with a bad ticket is reported");
    let work = ep
        .handler
        .seen()
        .iter()
        .filter(|s| matches!(s, Seen::Send { .. } | Seen::Receive { .. } | Seen::Close(_)))
        .count();
    assert_eq!(
        work, 0,
        "a bad ticket never reaches the handler's work methods"
    );
    ep.stop().await;
}

#[tokio::test]
async fn idle_sessions_are_abandoned_to_the_handler() {
    let handler = Recording::new();
    let shared = super::shared::Shared::new(
        USER.into(),
        std::path::PathBuf::from("unused"),
        handler.clone(),
        super::session::Sessions::new(Duration::from_secs(60)),
    );
    let ticket = super::session::Ticket::generate().expect("random");
    let now = Instant::now();
    let key = shared.sessions.reserve(&ticket, now).expect("free");
    shared.sessions.confirm(&ticket, now);
    shared.expire_idle(now).await;
    assert!(
        handler.seen().is_empty(),
        "a fresh session is not abandoned"
    );
    shared.expire_idle(now + Duration::from_secs(61)).await;
    assert_eq!(
        handler.seen(),
        vec![Seen::Abandon(key)],
        "an idle session is handed back as abandoned"
    );
}

// ---------------------------------------------------------------------------------------
// Routes

#[tokio::test]
async fn wsdl_support_page_and_404() {
    let ep = start(Limits::default()).await;
    let wsdl = ep.get("/qbwc?wsdl").await;
    assert_eq!(wsdl.status, StatusCode::OK, "the WSDL is served");
    assert!(
        wsdl.body
            .contains(&format!("http://localhost:{}/qbwc", ep.port)),
        "with the real address"
    );
    let upper = ep.get("/qbwc?WSDL").await;
    assert_eq!(
        upper.status,
        StatusCode::OK,
        "?WSDL like ASP.NET services accept"
    );
    let support = ep.get("/support").await;
    assert_eq!(
        support.status,
        StatusCode::OK,
        "the AppSupport page is served"
    );
    assert!(support.content_type.starts_with("text/html"), "as HTML");
    assert!(
        support.body.contains("qbwc-password"),
        "it says where the password is"
    );
    assert!(
        !support.body.contains(&ep.password),
        "it never shows the password itself"
    );
    for path in ["/", "/qbwc", "/qbwc?other", "/admin", "/support/x"] {
        assert_eq!(
            ep.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path} is not ours"
        );
    }
    ep.stop().await;
}

#[tokio::test]
async fn requests_from_web_pages_or_for_other_hosts_are_refused() {
    let ep = start(Limits::default()).await;
    let with_origin = Request::post(format!("http://127.0.0.1:{}/qbwc", ep.port))
        .header("origin", "https://evil.example")
        .body(Full::new(Bytes::from(envelope(
            "authenticate",
            &[("strUserName", USER), ("strPassword", "x")],
        ))))
        .expect("request");
    assert_eq!(
        ep.send(with_origin).await.status,
        StatusCode::FORBIDDEN,
        "a browser page cannot post SOAP"
    );
    let rebound = Request::get(format!("http://127.0.0.1:{}/support", ep.port))
        .header("host", "evil.example")
        .body(Full::new(Bytes::new()))
        .expect("request");
    assert_eq!(
        ep.send(rebound).await.status,
        StatusCode::FORBIDDEN,
        "DNS rebinding: another Host is refused"
    );
    assert!(
        ep.handler.events().is_empty(),
        "refused requests never reach authenticate"
    );
    ep.stop().await;
}

// ---------------------------------------------------------------------------------------
// The listener

#[tokio::test]
async fn listens_on_loopback_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bound = bind(Endpoint::new(
        0,
        USER,
        dir.path().join("p"),
        Recording::new(),
    ))
    .await
    .expect("binds");
    let addrs = bound.local_addrs();
    assert!(!addrs.is_empty(), "at least 127.0.0.1");
    assert!(
        addrs.iter().all(|a| a.ip().is_loopback()),
        "every listener is on loopback: {addrs:?}"
    );
    assert!(
        addrs.iter().all(|a| a.port() == bound.local_port()),
        "one port for both addresses"
    );
    assert!(
        addrs.iter().any(|a| a.is_ipv4()),
        "127.0.0.1 is always bound"
    );
    assert_eq!(
        bound.soap_url(),
        format!("http://localhost:{}/qbwc", bound.local_port()),
        "the URL for the .qwc"
    );
}

#[tokio::test]
async fn a_port_in_use_is_a_plain_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = bind(Endpoint::new(
        0,
        USER,
        dir.path().join("p"),
        Recording::new(),
    ))
    .await
    .expect("binds");
    let port = first.local_port();
    let second = bind(Endpoint::new(
        port,
        USER,
        dir.path().join("p"),
        Recording::new(),
    ))
    .await;
    let err = match second {
        Ok(_) => panic!("two endpoints cannot share port {port}"),
        Err(err) => err,
    };
    assert!(
        matches!(err, super::BindError::PortInUse { port: p } if p == port),
        "typed: {err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&port.to_string()) && text.contains("--port"),
        "names the port and the way out: {text}"
    );
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_hand_then_returns() {
    let ep = start(Limits::default()).await;
    let auth = ep.authenticate(USER, &ep.password).await;
    let (entered_tx, mut entered_rx) = tokio::sync::mpsc::unbounded_channel();
    let (go_tx, go_rx) = std::sync::mpsc::channel();
    *ep.handler.gate.lock().expect("test lock") = Some((entered_tx, go_rx));
    ep.handler
        .requests
        .lock()
        .expect("test lock")
        .push_back("<QBXML/>".into());

    let port = ep.port;
    let ticket = auth[0].clone();
    let client = ep.client.clone();
    let in_hand = tokio::spawn(async move {
        let request = Request::post(format!("http://127.0.0.1:{port}/qbwc"))
            .body(Full::new(Bytes::from(envelope(
                "sendRequestXML",
                &[("ticket", &ticket)],
            ))))
            .expect("request");
        let response = client
            .request(request)
            .await
            .expect("answered despite shutdown");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    });
    entered_rx
        .recv()
        .await
        .expect("the handler started the request");

    let Running {
        stop,
        server,
        handler,
        _dir,
        ..
    } = ep;
    if let Some(tx) = stop {
        let _ = tx.send(());
    }
    // New connections are refused once the listeners are gone (polled, no timing asserted).
    let refused = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_err()
            {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(
        refused.is_ok(),
        "after shutdown the endpoint stops accepting"
    );
    assert!(!server.is_finished(), "run() waits for the request in hand");

    go_tx.send(()).expect("release the handler");
    let (status, body) = in_hand.await.expect("client task");
    assert_eq!(status, StatusCode::OK, "the request in hand is answered");
    assert!(
        body.contains("&lt;QBXML/&gt;"),
        "with the handler's qbXML: {body}"
    );
    tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("run() returns")
        .expect("no panic");
    assert!(
        handler.seen().contains(&Seen::Abandon(SessionKey(1))),
        "a session still open at shutdown is handed back as abandoned"
    );
}
