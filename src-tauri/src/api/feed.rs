//! `GET /events?after=&limit=&wait=`: the event feed (`store::events`), with a long-poll.
//!
//! A request with `wait=S` and nothing new waits up to S seconds (at most [`MAX_WAIT`]) and
//! is woken by the next commit (`Store::commits`, a watch channel signalled after every
//! write commits), never by asking SQLite again on a timer. It subscribes BEFORE reading, so
//! an event committed between the read and the wait still wakes it.

use super::problem::ProblemDoc;
use super::{json_bytes, Api, ApiError, Query};
use crate::store::events::{self, Event};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// The longest a request may wait for a new event.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// Long-polls that may wait at once. A waiting request holds one of the endpoint's
/// connections (`qbwc::MAX_CONNECTIONS`, 16), and the Web Connector must always find one
/// free: beyond this many, a request answers at once with what there is (never an error),
/// and its client simply asks again.
pub const MAX_WAITERS: usize = 4;

/// `{"events": [...], "next": "CURSOR"}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventPage {
    pub events: Vec<Event>,
    /// The cursor to pass as `after` next time: the last event's seq, or the cursor given
    /// when there was nothing new.
    pub next: String,
}

/// `GET /events`: the event feed after a cursor, waiting up to `wait` seconds for news.
#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    params(
        ("after" = Option<String>, Query, description = "the `next` of the previous answer; omitted: the oldest kept"),
        ("limit" = Option<u32>, Query, description = "default 100, at most 1000", minimum = 1),
        ("wait" = Option<u32>, Query, description = "with nothing new, wait up to this many seconds (at most 30)", maximum = 30)),
    responses(
        (status = 200, description = "the events, oldest first, and the next cursor", body = EventPage),
        (status = 400, description = "a bad cursor, limit or wait", body = ProblemDoc, content_type = "application/problem+json")))]
pub(crate) async fn events(api: &Api, query: Query) -> Result<Response<Full<Bytes>>, ApiError> {
    query.only(&["after", "limit", "wait"])?;
    let limit = query.limit()?;
    let after = query.after()?;
    let wait = match &query.wait {
        None => Duration::ZERO,
        Some(text) => text
            .parse::<u64>()
            .map(|s| Duration::from_secs(s).min(MAX_WAIT))
            .map_err(|_| {
                ApiError::BadRequest(format!(
                    "wait \"{text}\" is not a whole number of seconds (at most 30)"
                ))
            })?,
    };
    // INVARIANT: at most MAX_WAITERS requests wait; the permit is held until we answer.
    let permit = if wait.is_zero() {
        None
    } else {
        Arc::clone(&api.waiters).try_acquire_owned().ok()
    };
    let wait = if permit.is_some() {
        wait
    } else {
        Duration::ZERO
    };
    let deadline = Instant::now() + wait;
    let mut commits = api.app.store().commits();
    let mut last_look = false;
    loop {
        let (count, body) = api
            .blocking(move |app| {
                let found = app.store().read(|c| events::after(c, after, limit))?;
                let next = found
                    .last()
                    .map_or_else(|| after.to_string(), |e| e.seq.to_string());
                let count = found.len();
                let body = serde_json::to_vec(&EventPage {
                    events: found,
                    next,
                })
                .map_err(|e| ApiError::Internal(format!("cannot write JSON: {e}")))?;
                Ok((count, body))
            })
            .await?;
        if count > 0 || last_look || Instant::now() >= deadline {
            return Ok(json_bytes(StatusCode::OK, Bytes::from(body)));
        }
        // Woken by the next commit in this process; a commit that wrote no event just sends
        // us round once more. At the deadline (or if the store is gone) one last read: it
        // also sees what another process (the CLI) committed meanwhile.
        match tokio::time::timeout_at(deadline, commits.changed()).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) | Err(_) => last_look = true,
        }
    }
}
