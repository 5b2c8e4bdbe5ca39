//! The local API, `/api/v1` (shared design `api.md`, a contract): records in, status, records,
//! QuickBooks' lists and the event feed out, on the Web Connector endpoint's loopback server
//! and port. `qbwc::routes` hands every request under [`PREFIX`] to [`handle`].
//!
//! Owns: the API's routes, its checks (Host → 421, Origin → 403, bearer token → 401, throttled
//! guessing → 429), the 64 MiB body limit, query parsing, JSON answers and problem+json errors
//! ([`problem`]). Does not own: validation and storage of records (`import`: the same path a
//! file import takes), SQL (`store`), sockets (`qbwc::server`).
//!
//! Every handler reads and writes SQLite (and parses JSON) on the blocking pool
//! (`spawn_blocking`), never on an async worker.

mod feed;
pub mod openapi;
pub mod problem;
mod records;
pub mod token;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST, ORIGIN};
use hyper::{Method, Request, Response, StatusCode};
use serde::Serialize;

use crate::app::App;
pub use problem::ApiError;

/// Every API path starts with this.
pub const PREFIX: &str = "/api/v1";

/// The largest request body accepted: 10,000 invoices with lines are about 6 MiB, so 64 MiB
/// is far beyond any real document while bounding memory per request.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// How long a client may take to send a body (64 MiB over loopback takes well under a second).
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(120);

/// Lists: the page size when `limit=` is not given, and the largest.
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

/// Whether `path` is the API's (the endpoint's one route arm asks this).
pub fn is_api_path(path: &str) -> bool {
    path == PREFIX || path.starts_with("/api/v1/")
}

/// What the API needs: the opened data folder and the token gate. It also holds the
/// watched folder's worker (`watch`), the third door, so that both open and close with the
/// endpoint, under `serve` and in the desktop app alike.
pub struct Api {
    app: App,
    gate: token::Gate,
    /// Long-polls waiting at once (see [`feed::MAX_WAITERS`]).
    waiters: Arc<tokio::sync::Semaphore>,
    _watch: Option<crate::watch::Running>,
}

impl Api {
    /// The API of `app`'s data folder. Makes the token file if it does not exist yet, and
    /// starts watching the watched folder (when one is set; the setting is read at each look).
    pub fn new(app: App) -> Result<Arc<Self>, token::TokenError> {
        let file = token::file_in(app.data_dir().root());
        token::load_or_create(&file)?;
        let watch = crate::watch::start(app.clone())
            .map_err(|e| tracing::error!("the watched folder cannot be watched: {e}"))
            .ok();
        Ok(Arc::new(Api {
            app,
            gate: token::Gate::new(file),
            waiters: Arc::new(tokio::sync::Semaphore::new(feed::MAX_WAITERS)),
            _watch: watch,
        }))
    }

    /// Runs `f` with the app on the blocking pool (SQLite, JSON).
    async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&App) -> Result<T, ApiError> + Send + 'static,
    {
        let app = self.app.clone();
        tokio::task::spawn_blocking(move || f(&app))
            .await
            .map_err(|e| ApiError::Internal(format!("the request's worker failed: {e}")))?
    }
}

/// Answers one request under [`PREFIX`]. Never fails: every problem is a problem+json answer.
/// `host_is_loopback` is the endpoint's own Host check (`qbwc::routes`), reused.
pub async fn handle(
    api: &Arc<Api>,
    request: Request<Incoming>,
    host_is_loopback: fn(&HeaderValue) -> bool,
) -> Response<Full<Bytes>> {
    match route(api, request, host_is_loopback).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn route(
    api: &Arc<Api>,
    request: Request<Incoming>,
    host_is_loopback: fn(&HeaderValue) -> bool,
) -> Result<Response<Full<Bytes>>, ApiError> {
    if let Some(host) = request.headers().get(HOST) {
        if !host_is_loopback(host) {
            let shown = String::from_utf8_lossy(host.as_bytes()).into_owned();
            tracing::warn!(host = %shown.escape_debug(), "the local API refused a request addressed to another host");
            return Err(ApiError::ForeignHost(shown));
        }
    }
    // Browsers add Origin to cross-site requests (and to every POST); programs on this
    // computer do not. This keeps web pages from reading records or guessing the token.
    if request.headers().contains_key(ORIGIN) {
        tracing::warn!("the local API refused a request from a web page (Origin header)");
        return Err(ApiError::FromBrowser);
    }
    let path = request.uri().path().to_owned();
    let rest = path.strip_prefix(PREFIX).unwrap_or("");
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let method = request.method().clone();
    if segments == ["openapi.json"] {
        allow(&method, &Method::GET, "GET")?;
        return Ok(openapi_json());
    }
    let endpoint = Endpoint::parse(&segments)?;
    allow(&method, endpoint.method(), endpoint.method().as_str())?;
    let authorization = request
        .headers()
        .get(AUTHORIZATION)
        .map(|v| v.as_bytes().to_vec());
    // A small file read: on the blocking pool like the rest.
    let gate_result = {
        let api = Arc::clone(api);
        tokio::task::spawn_blocking(move || {
            api.gate.check(authorization.as_deref(), Instant::now())
        })
        .await
        .map_err(|e| ApiError::Internal(format!("the token check failed: {e}")))?
    };
    match gate_result {
        Ok(()) => {}
        Err(token::Refusal::Missing) => return Err(ApiError::MissingToken),
        Err(token::Refusal::Wrong) => {
            tracing::warn!("the local API refused a wrong token");
            return Err(ApiError::WrongToken);
        }
        Err(token::Refusal::Throttled(left)) => return Err(ApiError::Throttled(left)),
    }
    let query = Query::parse(request.uri().query())?;
    match endpoint {
        Endpoint::Status => status(api).await,
        Endpoint::PostRecords => {
            let body = read_body(request).await?;
            records::post(api, body).await
        }
        Endpoint::Records(kind) => records::page(api, kind, query).await,
        Endpoint::Record(kind, id) => records::one(api, kind, id).await,
        Endpoint::QbCustomers => records::qb_customers(api, query).await,
        Endpoint::QbItems => records::qb_items(api, query).await,
        Endpoint::Events => feed::events(api, query).await,
    }
}

/// `GET /status`: where things stand, exactly as `status --json` prints it.
#[utoipa::path(get, path = "/api/v1/status", tag = "status",
    responses((status = 200, description = "exactly the `status --json` object", body = crate::app::Status)))]
async fn status(api: &Api) -> Result<Response<Full<Bytes>>, ApiError> {
    let status = api.blocking(|app| Ok(app.status()?)).await?;
    Ok(json(StatusCode::OK, &status))
}

/// `GET /openapi.json`: this API described (OpenAPI 3.1); the one request without a token.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "status", security(()),
    responses((status = 200, description = "the OpenAPI 3.1 document", content_type = "application/json")))]
fn openapi_json() -> Response<Full<Bytes>> {
    json_bytes(StatusCode::OK, openapi::document_bytes())
}

/// The API's endpoints (besides openapi.json, which needs no token).
enum Endpoint {
    Status,
    PostRecords,
    Records(records::Kind),
    Record(records::Kind, String),
    QbCustomers,
    QbItems,
    Events,
}

impl Endpoint {
    fn parse(segments: &[&str]) -> Result<Endpoint, ApiError> {
        Ok(match segments {
            ["status"] => Endpoint::Status,
            ["records"] => Endpoint::PostRecords,
            ["records", kind] => Endpoint::Records(records::Kind::parse(kind)?),
            ["records", kind, id] => Endpoint::Record(records::Kind::parse(kind)?, decode(id)?),
            ["quickbooks", "customers"] => Endpoint::QbCustomers,
            ["quickbooks", "items"] => Endpoint::QbItems,
            ["events"] => Endpoint::Events,
            _ => {
                return Err(ApiError::NotFound(
                    "no such API endpoint; GET /api/v1/openapi.json lists them".into(),
                ))
            }
        })
    }

    fn method(&self) -> &'static Method {
        match self {
            Endpoint::PostRecords => &Method::POST,
            _ => &Method::GET,
        }
    }
}

fn allow(method: &Method, wanted: &Method, name: &'static str) -> Result<(), ApiError> {
    if method == wanted {
        Ok(())
    } else {
        Err(ApiError::MethodNotAllowed {
            method: method.to_string(),
            allowed: name,
        })
    }
}

/// A path segment, percent-decoded (record ids may hold any character).
fn decode(segment: &str) -> Result<String, ApiError> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ApiError::BadRequest("the path is not UTF-8 once decoded".into()))
}

/// The query parameters the lists take.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pub after: Option<String>,
    pub limit: Option<String>,
    pub state: Option<String>,
    pub search: Option<String>,
    pub wait: Option<String>,
}

impl Query {
    fn parse(query: Option<&str>) -> Result<Query, ApiError> {
        let mut q = Query::default();
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let slot = match key.as_ref() {
                "after" => &mut q.after,
                "limit" => &mut q.limit,
                "state" => &mut q.state,
                "search" => &mut q.search,
                "wait" => &mut q.wait,
                other => {
                    return Err(ApiError::BadRequest(format!(
                        "unknown query parameter \"{other}\""
                    )))
                }
            };
            *slot = Some(value.into_owned());
        }
        Ok(q)
    }

    /// `limit=`: 1 to [`MAX_LIMIT`] (larger asks get the largest), default [`DEFAULT_LIMIT`].
    pub fn limit(&self) -> Result<usize, ApiError> {
        match &self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(text) => match text.parse::<usize>() {
                Ok(0) | Err(_) => Err(ApiError::BadRequest(format!(
                    "limit \"{text}\" is not a whole number from 1 to {MAX_LIMIT}"
                ))),
                Ok(n) => Ok(n.min(MAX_LIMIT)),
            },
        }
    }

    /// `after=`: a cursor from an earlier answer's `next` (0 when not given).
    pub fn after(&self) -> Result<i64, ApiError> {
        match &self.after {
            None => Ok(0),
            Some(text) => text.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "after \"{text}\" is not a cursor (pass the `next` of an earlier answer)"
                ))
            }),
        }
    }

    /// Rejects parameters the endpoint does not take.
    pub fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        let given = [
            ("after", self.after.is_some()),
            ("limit", self.limit.is_some()),
            ("state", self.state.is_some()),
            ("search", self.search.is_some()),
            ("wait", self.wait.is_some()),
        ];
        for (name, present) in given {
            if present && !allowed.contains(&name) {
                return Err(ApiError::BadRequest(format!(
                    "this endpoint does not take \"{name}\""
                )));
            }
        }
        Ok(())
    }
}

/// A list answer: `{"records": [...], "next": "CURSOR or null"}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListPage<T> {
    pub records: Vec<T>,
    pub next: Option<String>,
}

impl<T> ListPage<T> {
    /// From up to `limit + 1` rows (row number, record): the extra row only says there is a
    /// next page, whose cursor is the last kept row's number.
    pub fn from_rows(mut rows: Vec<(i64, T)>, limit: usize) -> Self {
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more {
            rows.last().map(|(n, _)| n.to_string())
        } else {
            None
        };
        ListPage {
            records: rows.into_iter().map(|(_, r)| r).collect(),
            next,
        }
    }
}

/// The whole body, or why not: 413 when over [`MAX_BODY_BYTES`] (by Content-Length before
/// reading anything, and while reading, since a sender may omit or understate it), 408 when
/// it arrives too slowly.
async fn read_body(request: Request<Incoming>) -> Result<Bytes, ApiError> {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(ApiError::TooLarge(MAX_BODY_BYTES));
    }
    let limited = Limited::new(request.into_body(), MAX_BODY_BYTES);
    match tokio::time::timeout(BODY_READ_TIMEOUT, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(ApiError::TooLarge(MAX_BODY_BYTES))
        }
        Ok(Err(e)) => Err(ApiError::BadRequest(format!(
            "the request body could not be read: {e}"
        ))),
        Err(_) => Err(ApiError::BodyTimeout),
    }
}

/// A JSON answer (serialised by the caller, off the async workers for big ones).
pub(crate) fn json_bytes(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A small JSON answer.
pub(crate) fn json<T: Serialize>(status: StatusCode, value: &T) -> Response<Full<Bytes>> {
    match serde_json::to_vec(value) {
        Ok(body) => json_bytes(status, Bytes::from(body)),
        Err(e) => ApiError::Internal(format!("cannot write JSON: {e}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_api_paths_are_the_apis() {
        assert!(is_api_path("/api/v1"));
        assert!(is_api_path("/api/v1/records"));
        assert!(
            !is_api_path("/api/v10/records"),
            "a prefix is a whole segment"
        );
        assert!(!is_api_path("/qbwc"));
    }

    #[test]
    fn queries_are_checked() {
        let q = Query::parse(Some("limit=5000&after=12&state=synced")).unwrap();
        assert_eq!(
            q.limit().unwrap(),
            MAX_LIMIT,
            "a larger ask gets the largest page"
        );
        assert_eq!(q.after().unwrap(), 12);
        assert!(
            Query::parse(Some("colour=red")).is_err(),
            "unknown parameters are errors"
        );
        let bad = Query::parse(Some("after=abc&limit=0")).unwrap();
        assert!(bad.after().is_err(), "a bad cursor is a 400");
        assert!(bad.limit().is_err(), "limit 0 is a 400");
        assert!(
            Query::parse(Some("wait=3"))
                .unwrap()
                .only(&["after"])
                .is_err(),
            "a parameter the endpoint does not take is an error"
        );
    }

    #[test]
    fn a_page_knows_whether_there_is_a_next() {
        let page = ListPage::from_rows(vec![(3, 'a'), (7, 'b'), (9, 'c')], 2);
        assert_eq!(page.records, ['a', 'b']);
        assert_eq!(
            page.next.as_deref(),
            Some("7"),
            "the last kept row is the cursor"
        );
        let last = ListPage::from_rows(vec![(3, 'a')], 2);
        assert_eq!(last.next, None, "no more rows: no next page");
    }
}
