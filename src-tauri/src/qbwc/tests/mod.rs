//! End-to-end tests of the endpoint: the real server on 127.0.0.1 port 0, driven over real
//! HTTP, with a recording [`QbwcHandler`]. This file holds the recording handler and the
//! client; the tests are grouped by concern in the files beside it: a whole session, bad
//! input, authentication and tickets, routes and the listener, the connection, hardening.

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

mod auth;
mod bad_input;
mod connection;
mod hardening;
mod routes;
mod whole_session;

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
