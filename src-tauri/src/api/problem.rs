//! Errors of the local API and their answers: every one is `application/problem+json`
//! (RFC 9457), with the import's per-record, per-field problems in `errors` when a document
//! was refused.
//!
//! RFC 9457 §3.1: "type" ... "When this member is not present, its value is assumed to be
//! "about:blank"", and with "about:blank" the "title" SHOULD be the same as the HTTP status
//! phrase; we keep "about:blank" and give a title a person can read, as api.md shows.

use crate::import::Problem;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use hyper::{Response, StatusCode};
use serde::Serialize;
use std::time::Duration;

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemDoc {
    #[serde(rename = "type")]
    pub problem_type: &'static str,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<Problem>>,
}

/// Why a request got no answer of its own.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("FieldBridge answers only requests addressed to localhost, not {0:?}")]
    ForeignHost(String),
    #[error(
        "FieldBridge's local API does not answer web pages (the request carried an Origin header)"
    )]
    FromBrowser,
    #[error(
        "send the API token as `Authorization: Bearer TOKEN` (`fieldbridge api-token` prints it)"
    )]
    MissingToken,
    #[error(
        "the API token is not this data folder's (`fieldbridge api-token` prints the right one)"
    )]
    WrongToken,
    #[error("too many wrong API tokens; try again in {} seconds", .0.as_secs().max(1))]
    Throttled(Duration),
    #[error("{0}")]
    NotFound(String),
    #[error("{method} is not allowed here; use {allowed}")]
    MethodNotAllowed {
        method: String,
        allowed: &'static str,
    },
    #[error("the request body is larger than the API accepts ({0} bytes)")]
    TooLarge(usize),
    #[error("the request body arrived too slowly; FieldBridge stopped waiting")]
    BodyTimeout,
    #[error("{0}")]
    BadRequest(String),
    #[error("{count} problem{}; nothing was stored", if *.count == 1 { "" } else { "s" })]
    Rejected { count: usize, details: Vec<Problem> },
    #[error("the database is busy (another FieldBridge process is writing); try again")]
    Busy,
    #[error("FieldBridge could not answer: {0}")]
    Internal(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::ForeignHost(_) => StatusCode::MISDIRECTED_REQUEST,
            ApiError::FromBrowser => StatusCode::FORBIDDEN,
            ApiError::MissingToken | ApiError::WrongToken => StatusCode::UNAUTHORIZED,
            ApiError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Rejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::ForeignHost(_) => "Misdirected request",
            ApiError::FromBrowser => "Web pages are not answered",
            ApiError::MissingToken | ApiError::WrongToken => "The API token is missing or wrong",
            ApiError::Throttled(_) => "Too many wrong tokens",
            ApiError::NotFound(_) => "Not found",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::TooLarge(_) => "The request is too large",
            ApiError::BodyTimeout => "The request arrived too slowly",
            ApiError::BadRequest(_) => "The request is not understood",
            ApiError::Rejected { .. } => "The records were not accepted",
            ApiError::Busy => "Busy",
            ApiError::Internal(_) => "Internal error",
        }
    }

    /// The problem+json answer.
    pub fn into_response(self) -> Response<Full<Bytes>> {
        let status = self.status();
        let detail = self.to_string();
        let title = self.title().to_owned();
        let mut extra: Vec<(hyper::header::HeaderName, HeaderValue)> = Vec::new();
        let errors = match self {
            ApiError::Rejected { details, .. } => Some(details),
            ApiError::MissingToken | ApiError::WrongToken => {
                extra.push((WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
                None
            }
            ApiError::Throttled(left) => {
                if let Ok(v) = HeaderValue::from_str(&left.as_secs().max(1).to_string()) {
                    extra.push((RETRY_AFTER, v));
                }
                None
            }
            // The rest of the body is never read, so this connection cannot carry another
            // request.
            ApiError::TooLarge(_) | ApiError::BodyTimeout => {
                extra.push((CONNECTION, HeaderValue::from_static("close")));
                None
            }
            _ => None,
        };
        let doc = ProblemDoc {
            problem_type: "about:blank",
            title,
            status: status.as_u16(),
            detail,
            errors,
        };
        let body = serde_json::to_vec(&doc).unwrap_or_default();
        let mut response = Response::new(Full::new(Bytes::from(body)));
        *response.status_mut() = status;
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        for (name, value) in extra {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        if e.is_retryable() {
            ApiError::Busy
        } else {
            tracing::error!("local API: {e}");
            ApiError::Internal(e.to_string())
        }
    }
}

impl From<crate::office::OfficeError> for ApiError {
    fn from(e: crate::office::OfficeError) -> Self {
        match e {
            crate::office::OfficeError::Store(s) => s.into(),
            other => {
                tracing::error!("local API: {other}");
                ApiError::Internal(other.to_string())
            }
        }
    }
}
