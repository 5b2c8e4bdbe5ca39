//! One accepted connection: TCP_NODELAY, HTTP/1.1 with keep-alive, and the two deadlines
//! that bound how long a connection may hold one of the endpoint's slots.
//!
//! Owns: when a connection is closed for taking too long, and the socket options. Does not
//! own: accepting and the connection cap (`server`), what a request gets (`routes`), the body
//! read timeout (`routes`, since only the route knows it is reading a body).
//!
//! # Why two deadlines, not hyper's header-read timeout
//!
//! hyper's `header_read_timeout` starts as soon as a connection is waiting for a request,
//! which includes a kept-alive connection idling between two calls. With it at 30 s, the
//! server closed idle connections after 30 s, while clients keep them longer and reuse them:
//! the Web Connector's .NET client keeps an idle connection about 100 s
//! ([`DOTNET_CLIENT_IDLE`]). Its next call then went out on a connection the server had
//! already closed and failed before reaching FieldBridge ("client error (SendRequest)"):
//! the first call of a run started a minute or two after the previous one, or a
//! receiveResponseXML after QuickBooks worked on a large request for over 30 s.
//!
//! So a connection is in one of three phases, each with its own limit:
//! - **idle** (no byte of a request yet): closed after [`IDLE_CONNECTION_TIMEOUT`], longer
//!   than any client we know keeps an idle connection, so the client always closes first
//!   and never sends on a connection we closed;
//! - **head** (a request's first bytes arrived, its headers are not complete): closed after
//!   the header-read timeout, so a slow or half-sent request (slowloris) cannot hold a slot;
//! - **answering** (headers in): no connection deadline; the body has its own
//!   (`BODY_READ_TIMEOUT`, in `routes`) and QuickBooks' work between calls may take minutes.
//!
//! Also, closeConnection's answer carries `Connection: close` (see `routes`), so a new run
//! never starts on a connection left over from the previous one; the idle limit covers the
//! runs that end otherwise (`nvu`, `busy`, a Web Connector that stopped calling).
//!
//! One simplification: bytes of a pipelined next request that arrive while the previous one
//! is being answered are read by hyper meanwhile, so that request starts in the idle phase;
//! a half-sent pipelined request is therefore bounded by the idle limit, not the header one.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{watch, Notify};
use tokio::time::Instant;

use super::routes::{self, Site};

/// How long a kept-alive connection may wait for its next request before we close it.
/// Must exceed how long clients keep idle connections ([`DOTNET_CLIENT_IDLE`]): whoever
/// closes an idle connection first must be the client, or its next call is sent on a
/// connection that is already gone. Held idle connections are bounded by the connection cap.
pub const IDLE_CONNECTION_TIMEOUT: Duration = Duration::from_secs(120);

/// How long the Web Connector's .NET client keeps an idle connection for reuse:
/// `ServicePointManager.MaxServicePointIdleTime`, 100 000 ms by default.
pub const DOTNET_CLIENT_IDLE: Duration = Duration::from_secs(100);

// The client must always be the one to close an idle connection (see the module docs).
const _: () = assert!(IDLE_CONNECTION_TIMEOUT.as_secs() > DOTNET_CLIENT_IDLE.as_secs());

/// The limits one connection enforces.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    /// Waiting for a request's first byte.
    pub idle: Duration,
    /// From a request's first byte to its last header.
    pub header: Duration,
}

/// Sets the options every accepted connection gets.
///
/// TCP_NODELAY: our answers are written whole, so Nagle's algorithm has nothing to merge and
/// only adds delay. It does harm when a client sends `Expect: 100-continue` and then its body
/// without waiting: our `100 Continue` goes out, the answer is held back until the client
/// acknowledges it, and the client delays that acknowledgement (40 ms on Linux, 200 ms on
/// Windows), so every call stalls by that much (measured in docs/evidence.md).
pub fn configure(stream: &TcpStream) {
    if let Err(err) = stream.set_nodelay(true) {
        // Only slower, never wrong: serve the connection anyway.
        tracing::debug!("could not set TCP_NODELAY on a connection: {err}");
    }
}

/// Serves HTTP/1.1 on `stream` until the client closes it, a deadline passes, or the
/// endpoint stops (then the request in hand finishes first).
pub async fn serve(
    stream: TcpStream,
    site: Arc<Site>,
    mut stop: watch::Receiver<bool>,
    deadlines: Deadlines,
) {
    let activity = Arc::new(Activity::new(Instant::now()));
    let io = Watched {
        inner: stream,
        activity: Arc::clone(&activity),
    };
    let in_service = Arc::clone(&activity);
    let service = service_fn(move |request| {
        let site = Arc::clone(&site);
        let activity = Arc::clone(&in_service);
        activity.request_started();
        async move {
            let response = routes::handle(&site, request).await;
            activity.request_answered(Instant::now());
            Ok::<_, std::convert::Infallible>(response)
        }
    });
    // hyper's own header-read timeout is off: it would also close idle connections
    // (module docs); the deadlines below replace it.
    let connection = http1::Builder::new()
        .header_read_timeout(None)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let result = loop {
        let deadline = activity.deadline(deadlines);
        let changed = activity.changed.notified();
        tokio::select! {
            // Biased: the connection is polled first, so bytes that arrived are read (and the
            // phase updated) before a deadline is judged.
            biased;
            r = connection.as_mut() => break r,
            () = stopping(&mut stop) => {
                // Finish the request in hand (if any), then close.
                connection.as_mut().graceful_shutdown();
                break connection.await;
            }
            () = changed => {}
            () = sleep_until(deadline) => {
                if let Some(phase) = activity.expired(deadlines, Instant::now()) {
                    tracing::debug!("closed a connection: {phase}");
                    // Dropping the connection closes the socket.
                    return;
                }
            }
        }
    };
    if let Err(err) = result {
        tracing::debug!("connection ended: {err}");
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Completes once the endpoint is stopping (or its stop signal is gone).
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopping| *stopping).await;
}

/// Where a connection is, as far as its deadlines care (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle { since: Instant },
    Head { since: Instant },
    Answering,
}

/// A connection's phase, updated by its reads and its service, watched by [`serve`].
struct Activity {
    phase: Mutex<Phase>,
    /// Wakes [`serve`] to recompute the deadline when the phase changes.
    changed: Notify,
}

impl Activity {
    fn new(now: Instant) -> Self {
        Activity {
            phase: Mutex::new(Phase::Idle { since: now }),
            changed: Notify::new(),
        }
    }

    fn phase(&self) -> MutexGuard<'_, Phase> {
        // A phase is one value written in one step; a poisoned lock still holds a valid one.
        self.phase.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, phase: Phase) {
        *self.phase() = phase;
        self.changed.notify_one();
    }

    /// Bytes were read from the client.
    fn bytes_arrived(&self, now: Instant) {
        let idle = matches!(*self.phase(), Phase::Idle { .. });
        if idle {
            self.set(Phase::Head { since: now });
        }
    }

    /// hyper has a request's headers and calls the service.
    fn request_started(&self) {
        self.set(Phase::Answering);
    }

    /// The service has its answer (hyper writes it at once: it is one buffer).
    fn request_answered(&self, now: Instant) {
        self.set(Phase::Idle { since: now });
    }

    fn deadline(&self, deadlines: Deadlines) -> Option<Instant> {
        match *self.phase() {
            Phase::Idle { since } => Some(since + deadlines.idle),
            Phase::Head { since } => Some(since + deadlines.header),
            Phase::Answering => None,
        }
    }

    /// Why the connection is to be closed, if its deadline has passed at `now`.
    fn expired(&self, deadlines: Deadlines, now: Instant) -> Option<&'static str> {
        let phase = *self.phase();
        let passed = self.deadline(deadlines).is_some_and(|at| now >= at);
        match phase {
            Phase::Idle { .. } if passed => Some("idle for longer than the keep-alive limit"),
            Phase::Head { .. } if passed => Some("its request headers arrived too slowly"),
            _ => None,
        }
    }
}

/// The socket, telling [`Activity`] when bytes arrive.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bytes_arrived(Instant::now());
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Deadlines = Deadlines {
        idle: Duration::from_secs(120),
        header: Duration::from_secs(30),
    };

    #[test]
    fn an_idle_connection_gets_the_idle_limit_not_the_header_one() {
        let start = Instant::now();
        let a = Activity::new(start);
        assert_eq!(a.deadline(LIMITS), Some(start + LIMITS.idle));
        assert_eq!(
            a.expired(LIMITS, start + Duration::from_secs(60)),
            None,
            "60 s idle (a client between two calls) is not closed"
        );
        assert!(a.expired(LIMITS, start + LIMITS.idle).is_some());
    }

    #[test]
    fn a_started_request_gets_the_header_limit_then_none_while_answered() {
        let start = Instant::now();
        let a = Activity::new(start);
        let first_byte = start + Duration::from_secs(100);
        a.bytes_arrived(first_byte);
        assert_eq!(
            a.deadline(LIMITS),
            Some(first_byte + LIMITS.header),
            "the header limit runs from the request's first byte"
        );
        a.bytes_arrived(first_byte + Duration::from_secs(5));
        assert_eq!(
            a.deadline(LIMITS),
            Some(first_byte + LIMITS.header),
            "more header bytes do not extend it (a trickle cannot hold the slot)"
        );
        assert!(a.expired(LIMITS, first_byte + LIMITS.header).is_some());
        a.request_started();
        assert_eq!(a.deadline(LIMITS), None, "no deadline while answering");
        a.bytes_arrived(first_byte + Duration::from_secs(40));
        assert_eq!(
            a.deadline(LIMITS),
            None,
            "body bytes do not start a header deadline"
        );
        let answered = first_byte + Duration::from_secs(200);
        a.request_answered(answered);
        assert_eq!(
            a.deadline(LIMITS),
            Some(answered + LIMITS.idle),
            "after the answer the connection is idle again"
        );
    }
}
