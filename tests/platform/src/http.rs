//! The platform's HTTP side: the contract's two endpoints behind the key, and control
//! endpoints for demos and suites written in other languages.
//!
//! | method and path | auth | does |
//! |---|---|---|
//! | `GET /fieldbridge/v1/changes?cursor=C&limit=N` | key | a changes page ([`crate::records`]) |
//! | `POST /fieldbridge/v1/events` | key | a delivery ([`crate::events`]) |
//! | `GET /_control/summary` | none | counts: records, events, calls |
//! | `GET /_control/events?source=S` | none | the distinct events received from S, in arrival order |
//! | `POST /_control/records` | none | body: an import-format document to add or change |
//! | `POST /_control/faults` | none | body: a [`crate::Faults`] object |
//! | `POST /_control/revoke` | none | revokes the key |
//!
//! Control endpoints carry no key because the server binds loopback only and is a test
//! fixture; a real platform has an administrator's screens instead.

use crate::faults::Fate;
use crate::Platform;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

/// The largest body accepted: a thousand-record page of events is far below it.
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// Why a connection was dropped on purpose (the service's error makes hyper close it
/// without an answer, as a reset or a crashed proxy would).
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

type Answer = Result<Response<Full<Bytes>>, Dropped>;

pub async fn serve(
    platform: Platform,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => return,
            a = listener.accept() => a,
        };
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        let platform = platform.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let platform = platform.clone();
                async move { handle(platform, req).await }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn reply(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a status and a fixed header always make a response")
}

fn problem(status: StatusCode, detail: impl Into<String>) -> Response<Full<Bytes>> {
    reply(
        status,
        &json!({"title": status.canonical_reason(), "status": status.as_u16(), "detail": detail.into()}),
    )
}

fn query_param(req: &Request<Incoming>, name: &str) -> Option<String> {
    req.uri().query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn read_json(req: Request<Incoming>) -> Result<Value, Response<Full<Bytes>>> {
    let body = Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|_| {
            problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is too large or was cut off",
            )
        })?
        .to_bytes();
    serde_json::from_slice(&body).map_err(|e| {
        problem(
            StatusCode::BAD_REQUEST,
            format!("the body is not JSON: {e}"),
        )
    })
}

/// The key check: `Authorization: Bearer KEY`, the key current and not revoked.
fn key_ok(platform: &Platform, req: &Request<Incoming>) -> bool {
    let given = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let s = platform.state();
    !s.key_revoked && given == Some(s.key.as_str())
}

async fn handle(platform: Platform, req: Request<Incoming>) -> Answer {
    let path = req.uri().path().to_owned();
    if let Some(control) = path.strip_prefix("/_control/") {
        return Ok(handle_control(platform, control.to_owned(), req).await);
    }
    let contract = matches!(
        (req.method(), path.as_str()),
        (&Method::GET, "/fieldbridge/v1/changes") | (&Method::POST, "/fieldbridge/v1/events")
    );
    if !contract {
        return Ok(problem(
            StatusCode::NOT_FOUND,
            format!("no endpoint {} {path}", req.method()),
        ));
    }
    let (fate, delay) = {
        let mut s = platform.state();
        let fate = s.faults.draw();
        (fate, s.faults.delay())
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match fate {
        Fate::Answer => {}
        Fate::Drop => {
            platform.state().calls.injected_drop += 1;
            return Err(Dropped);
        }
        Fate::Unavailable { retry_after_s } => {
            platform.state().calls.injected_503 += 1;
            let mut r = problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the platform is busy; try again",
            );
            r.headers_mut().insert(
                "retry-after",
                retry_after_s
                    .to_string()
                    .parse()
                    .expect("digits are a valid header value"),
            );
            return Ok(r);
        }
    }
    if !key_ok(&platform, &req) {
        platform.state().calls.refused_key += 1;
        return Ok(problem(
            StatusCode::UNAUTHORIZED,
            "the key is missing, wrong or revoked",
        ));
    }
    if req.method() == Method::GET {
        Ok(changes(&platform, &req))
    } else {
        Ok(events(&platform, req).await)
    }
}

fn changes(platform: &Platform, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let cursor = query_param(req, "cursor");
    let limit = match query_param(req, "limit").map(|l| l.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) if (1..=crate::records::MAX_PAGE).contains(&n) => n,
        Some(_) => {
            platform.state().calls.bad_request += 1;
            return problem(
                StatusCode::BAD_REQUEST,
                "limit must be a number from 1 to 1000",
            );
        }
    };
    let mut s = platform.state();
    s.calls.changes += 1;
    if s.faults.take_invalid_page() {
        s.calls.injected_invalid += 1;
        return reply(
            StatusCode::OK,
            &json!({"records": "not a document", "more": "maybe"}),
        );
    }
    let limit = limit.min(s.page_cap);
    match s.records.changes(cursor.as_deref(), limit) {
        Ok(page) => reply(
            StatusCode::OK,
            &serde_json::to_value(page).expect("a page is plain JSON"),
        ),
        Err(e) => {
            s.calls.bad_request += 1;
            problem(StatusCode::BAD_REQUEST, e.to_string())
        }
    }
}

async fn events(platform: &Platform, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = match read_json(req).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut s = platform.state();
    s.calls.events += 1;
    match s.events.deliver(&body, key.as_deref()) {
        Ok(d) => reply(
            StatusCode::OK,
            &json!({"accepted": d.new, "repeated": d.repeated}),
        ),
        Err(why) => {
            s.calls.bad_request += 1;
            problem(StatusCode::BAD_REQUEST, why)
        }
    }
}

async fn handle_control(
    platform: Platform,
    what: String,
    req: Request<Incoming>,
) -> Response<Full<Bytes>> {
    match (req.method().clone(), what.as_str()) {
        (Method::GET, "summary") => reply(StatusCode::OK, &platform.summary()),
        (Method::GET, "events") => {
            let source = query_param(&req, "source").unwrap_or_default();
            let received = platform.received();
            let list = received
                .sources
                .get(&source)
                .map(|l| l.events.clone())
                .unwrap_or_default();
            reply(StatusCode::OK, &Value::Array(list))
        }
        (Method::POST, "records") => match read_json(req).await {
            Ok(doc) => match platform.upsert(&doc) {
                Ok(n) => reply(StatusCode::OK, &json!({"stored": n})),
                Err(e) => problem(StatusCode::BAD_REQUEST, e.to_string()),
            },
            Err(r) => r,
        },
        (Method::POST, "faults") => match read_json(req).await {
            Ok(v) => match serde_json::from_value(v) {
                Ok(f) => {
                    platform.set_faults(f);
                    reply(StatusCode::OK, &json!({"ok": true}))
                }
                Err(e) => problem(StatusCode::BAD_REQUEST, e.to_string()),
            },
            Err(r) => r,
        },
        (Method::POST, "revoke") => {
            platform.revoke_key();
            reply(StatusCode::OK, &json!({"ok": true}))
        }
        (m, p) => problem(
            StatusCode::NOT_FOUND,
            format!("no control endpoint {m} /_control/{p}"),
        ),
    }
}
