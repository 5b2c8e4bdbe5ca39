//! HTTP requests → answers: `POST /qbwc` (SOAP), `GET /qbwc?wsdl`, `GET /support`, else 404.
//!
//! Owns: the routes, the body size limit and read timeout, and refusing requests that did not
//! come from a program on this computer (a `Host` other than localhost, or an `Origin`
//! header on a POST: browsers add one to cross-site requests, the Web Connector never does;
//! this keeps web pages from guessing passwords or tripping the throttle). Does not own:
//! sockets and connections (`server`), SOAP (`soap`), methods (`method`).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{
    HeaderMap, HeaderValue, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HOST, ORIGIN,
};
use hyper::{Method, Request, Response, StatusCode};

use super::method::Call;
use super::shared::Shared;
use super::soap::{self, write, FaultCode, Operation};
use super::{SOAP_PATH, SUPPORT_PATH};

/// What the routes need besides the shared state: pre-rendered documents and limits.
pub struct Site {
    pub shared: Arc<Shared>,
    /// Our WSDL with the real address in `soap:address`.
    pub wsdl: Bytes,
    /// The support page (the .qwc's AppSupport).
    pub support_page: Bytes,
    pub max_body_bytes: usize,
    pub body_read_timeout: Duration,
    /// The local API (`/api/v1`), when the app serves one.
    pub api: Option<Arc<crate::api::Api>>,
}

const XML: &str = "text/xml; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// Answers one HTTP request. Never fails: every problem is an HTTP or SOAP answer.
pub async fn handle(site: &Site, request: Request<Incoming>) -> Response<Full<Bytes>> {
    // The local API answers its own refusals (421, 403 as problem+json) with this file's
    // Host check.
    if let Some(api) = site
        .api
        .as_ref()
        .filter(|_| crate::api::is_api_path(request.uri().path()))
    {
        return crate::api::handle(api, request, is_loopback_host).await;
    }
    if let Some(refused) = refuse_other_host(request.headers()) {
        return refused;
    }
    let path = request.uri().path();
    let query = request.uri().query();
    match (request.method(), path) {
        (&Method::POST, SOAP_PATH) => soap(site, request).await,
        (&Method::GET, SOAP_PATH) if query.is_some_and(|q| q.eq_ignore_ascii_case("wsdl")) => {
            respond(StatusCode::OK, XML, site.wsdl.clone())
        }
        (&Method::GET, SUPPORT_PATH) => respond(StatusCode::OK, HTML, site.support_page.clone()),
        _ => plain(
            StatusCode::NOT_FOUND,
            format!(
                "Not found. This is FieldBridge's Web Connector endpoint: POST SOAP to {SOAP_PATH}, the WSDL is at {SOAP_PATH}?wsdl, help at {SUPPORT_PATH}."
            ),
        ),
    }
}

async fn soap(site: &Site, request: Request<Incoming>) -> Response<Full<Bytes>> {
    if let Some(refused) = refuse_web_page(request.headers()) {
        return refused;
    }
    let body = match read_body(site, request).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    // Parsed on the blocking pool: it runs before authentication on whatever a caller sent,
    // so it must not hold an async worker (the field cap in `soap::read` bounds its work).
    let parsed = match tokio::task::spawn_blocking(move || soap::parse(&body)).await {
        Ok(Ok(parsed)) => parsed,
        Err(err) => {
            tracing::error!("reading a SOAP request failed: {err}");
            return fault(
                FaultCode::Server,
                "FieldBridge hit an internal error while reading this request. Nothing was changed; run the Web Connector again.",
            );
        }
        Ok(Err(err)) => {
            tracing::warn!("refused a SOAP request: {err}");
            return fault(
                err.fault_code(),
                &format!("FieldBridge could not read this request: {err}."),
            );
        }
    };
    let call = Call::from_request(parsed);
    let operation = call.operation();
    tracing::debug!(operation = operation.name(), "SOAP call");
    match call.apply(&site.shared).await {
        Ok(answer) => {
            let mut response = respond(
                StatusCode::OK,
                XML,
                Bytes::from(write::response(operation, &answer)),
            );
            // closeConnection ends the session: close the connection too, so the next run
            // (minutes away) opens a fresh one instead of reusing this one after the client
            // or the server may have dropped it (see `connection`).
            if operation == Operation::CloseConnection {
                response
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
            }
            response
        }
        Err(err) => {
            tracing::error!(operation = operation.name(), "{err}");
            fault(FaultCode::Server, &err.to_string())
        }
    }
}

/// The whole body, or the response that refuses it: 413 when it is over the limit (checked
/// on Content-Length before reading anything, and again while streaming, since a sender may
/// omit or understate it), 408 when it arrives too slowly.
async fn read_body(
    site: &Site,
    request: Request<Incoming>,
) -> Result<Bytes, Response<Full<Bytes>>> {
    let limit = site.max_body_bytes;
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let collected = tokio::time::timeout(
        site.body_read_timeout,
        Limited::new(request.into_body(), limit).collect(),
    )
    .await;
    match collected {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => Err(too_large(limit)),
        Ok(Err(err)) => {
            tracing::warn!("could not read a request body: {err}");
            Err(plain(
                StatusCode::BAD_REQUEST,
                format!("FieldBridge could not read the request body: {err}."),
            ))
        }
        Err(_) => {
            tracing::warn!(
                "a request body took longer than {:?} to arrive",
                site.body_read_timeout
            );
            let mut response = plain(
                StatusCode::REQUEST_TIMEOUT,
                "The request body arrived too slowly; FieldBridge stopped waiting.".into(),
            );
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            Err(response)
        }
    }
}

fn too_large(limit: usize) -> Response<Full<Bytes>> {
    tracing::warn!("refused a request body over the {limit}-byte limit");
    let mut response = plain(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("The request is larger than FieldBridge accepts ({limit} bytes)."),
    );
    // The rest of the body is never read, so this connection cannot carry another request.
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// SOAP 1.1 §6.2: "In case of a SOAP error while processing the request, the SOAP HTTP
/// server MUST issue an HTTP 500 "Internal Server Error" response and include a SOAP message
/// in the response containing a SOAP Fault element".
fn fault(code: FaultCode, message: &str) -> Response<Full<Bytes>> {
    respond(
        StatusCode::INTERNAL_SERVER_ERROR,
        XML,
        Bytes::from(write::fault(code, message)),
    )
}

fn plain(status: StatusCode, text: String) -> Response<Full<Bytes>> {
    respond(status, TEXT, Bytes::from(text))
}

fn respond(status: StatusCode, content_type: &'static str, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The refusal for a request addressed to a host other than this computer (DNS
/// rebinding: a web page whose name resolves to 127.0.0.1), or `None` when the `Host`
/// header is a loopback name or absent. For every route on this server.
pub fn refuse_other_host(headers: &HeaderMap) -> Option<Response<Full<Bytes>>> {
    let host = headers.get(HOST)?;
    if is_loopback_host(host) {
        return None;
    }
    let shown = String::from_utf8_lossy(host.as_bytes()).into_owned();
    tracing::warn!(host = %shown.escape_debug(), "refused a request addressed to another host");
    Some(plain(
        StatusCode::FORBIDDEN,
        format!("FieldBridge answers only requests addressed to localhost, not {shown:?}."),
    ))
}

/// The refusal for a request sent by a web page (browsers add `Origin` to cross-site
/// requests; the Web Connector and other local programs never do), else `None`. For routes
/// that change something (SOAP posts).
pub fn refuse_web_page(headers: &HeaderMap) -> Option<Response<Full<Bytes>>> {
    if !headers.contains_key(ORIGIN) {
        return None;
    }
    tracing::warn!("refused a request sent by a web page (it carried an Origin header)");
    Some(plain(
        StatusCode::FORBIDDEN,
        "FieldBridge answers the QuickBooks Web Connector, not web pages.".into(),
    ))
}

/// `localhost`, `127.0.0.1`, `[::1]` (any letter case), each with or without a port.
fn is_loopback_host(host: &HeaderValue) -> bool {
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, _port)) => return inside == "::1",
            None => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(name, _port)| name)
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for ok in [
            "localhost",
            "LOCALHOST:8711",
            "127.0.0.1",
            "127.0.0.1:1",
            "[::1]",
            "[::1]:8711",
        ] {
            assert!(
                is_loopback_host(&HeaderValue::from_static(ok)),
                "{ok} names this computer"
            );
        }
        for bad in [
            "evil.example",
            "evil.example:8711",
            "localhost.evil.example",
            "[::2]:80",
            "10.0.0.1",
            "127.0.0.2",
        ] {
            assert!(
                !is_loopback_host(&HeaderValue::from_static(bad)),
                "{bad} is not loopback (DNS rebinding)"
            );
        }
    }
}
