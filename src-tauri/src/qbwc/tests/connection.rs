//! The connection's life: kept-alive connections reused after a long idle, slow or
//! half-sent requests dropped, closeConnection closing the connection. Driven over one raw
//! TCP stream so that "the same connection" is certain. The limits are shortened through
//! [`Limits`] (the production ones are 30 s and 120 s) so nothing sleeps for a minute.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{envelope, start, Limits, USER};

/// The production ratio, scaled down: header limit 30 s → 300 ms, idle limit 120 s → 5 s
/// (longer, so a slow test machine cannot hit it by accident).
fn short_limits() -> Limits {
    Limits {
        header_read_timeout: Duration::from_millis(300),
        idle_connection_timeout: Duration::from_secs(5),
        ..Limits::default()
    }
}

/// Longest any step may take before the test gives up (far above every limit used here).
const PATIENCE: Duration = Duration::from_secs(20);

struct Answer {
    status: u16,
    head: String,
    body: String,
}

/// Writes one keep-alive SOAP POST on `stream`.
async fn post(stream: &mut TcpStream, port: u16, op: &str, fields: &[(&str, &str)]) {
    let body = envelope(op, fields);
    let head = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"http://developer.intuit.com/{op}\"\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream
        .write_all(format!("{head}{body}").as_bytes())
        .await
        .expect("the request is written");
}

/// Reads one answer (Content-Length framed); `None` when the server closed the connection
/// before answering.
async fn read_answer(stream: &mut TcpStream) -> Option<Answer> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find(&raw, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .expect("the answer has a Content-Length");
            while raw.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.expect("read the body");
                assert!(n > 0, "the body is cut short");
                raw.extend_from_slice(&chunk[..n]);
            }
            let status = head
                .split_whitespace()
                .nth(1)
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            let body = String::from_utf8_lossy(&raw[end + 4..end + 4 + length]).into_owned();
            return Some(Answer { status, head, body });
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) if raw.is_empty() => return None,
            Ok(0) | Err(_) => panic!("the answer is cut short: {raw:?}"),
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Waits until the server closes `stream` (a read gives end of file or a reset).
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut chunk = [0u8; 64];
    matches!(
        tokio::time::timeout(PATIENCE, stream.read(&mut chunk)).await,
        Ok(Ok(0) | Err(_))
    )
}

/// Issue 17 §5: a client that keeps its connection for the next call and sends it a minute
/// later (longer than the header-read limit, shorter than its own idle limit) must be
/// answered on that connection. Before the fix the server had closed it at the header-read
/// limit and the call failed before reaching the endpoint ("client error (SendRequest)").
#[tokio::test]
async fn a_kept_alive_connection_is_answered_after_idling_past_the_header_limit() {
    let limits = short_limits();
    let idle_between_calls = limits.header_read_timeout * 4;
    assert!(
        idle_between_calls < limits.idle_connection_timeout,
        "the wait is within the idle limit (as 60 s is within 120 s)"
    );
    let ep = start(limits).await;
    let mut stream = TcpStream::connect(("127.0.0.1", ep.port))
        .await
        .expect("connect");
    post(&mut stream, ep.port, "serverVersion", &[]).await;
    let first = read_answer(&mut stream)
        .await
        .expect("the first call is answered");
    assert_eq!(first.status, 200, "{}", first.body);
    tokio::time::sleep(idle_between_calls).await;
    post(
        &mut stream,
        ep.port,
        "authenticate",
        &[("strUserName", USER), ("strPassword", &ep.password)],
    )
    .await;
    let second = tokio::time::timeout(PATIENCE, read_answer(&mut stream))
        .await
        .expect("answered in time")
        .expect("the second call, on the same connection after the idle wait, is answered");
    assert_eq!(second.status, 200, "{}", second.body);
    assert!(
        second.body.contains("<string>"),
        "authenticate answered: {}",
        second.body
    );
    ep.stop().await;
}

/// The idle limit still ends a connection nobody uses, so idle connections cannot hold the
/// endpoint's slots for ever.
#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_limit() {
    let ep = start(Limits {
        header_read_timeout: Duration::from_millis(300),
        idle_connection_timeout: Duration::from_millis(600),
        ..Limits::default()
    })
    .await;
    let mut stream = TcpStream::connect(("127.0.0.1", ep.port))
        .await
        .expect("connect");
    post(&mut stream, ep.port, "serverVersion", &[]).await;
    assert!(read_answer(&mut stream).await.is_some(), "answered");
    assert!(
        closed_by_server(&mut stream).await,
        "an idle kept-alive connection is closed once the idle limit passes"
    );
    ep.stop().await;
}

/// Slowloris: a request whose headers trickle in, or stop half-way, is dropped at the
/// header limit although the idle limit is far longer.
#[tokio::test]
async fn slow_or_half_sent_request_headers_are_dropped_at_the_header_limit() {
    let ep = start(Limits {
        header_read_timeout: Duration::from_millis(300),
        // Longer than PATIENCE: a close seen within PATIENCE is the header limit's doing.
        idle_connection_timeout: Duration::from_secs(600),
        ..Limits::default()
    })
    .await;

    let mut half = TcpStream::connect(("127.0.0.1", ep.port))
        .await
        .expect("connect");
    half.write_all(b"POST /qbwc HTTP/1.1\r\nHost: local")
        .await
        .expect("write");
    assert!(
        closed_by_server(&mut half).await,
        "a half-sent request is dropped at the header limit"
    );

    let mut trickle = TcpStream::connect(("127.0.0.1", ep.port))
        .await
        .expect("connect");
    trickle
        .write_all(b"POST /qbwc HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .expect("write");
    let closed = async {
        // A header value growing by one byte every 50 ms, never finished.
        loop {
            if trickle.write_all(b"a").await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    assert!(
        tokio::time::timeout(PATIENCE, closed)
            .await
            .expect("the server stops the trickle"),
        "headers sent a byte at a time do not extend the header limit"
    );

    // A well-behaved client is still served.
    let reply = ep.call("serverVersion", &[]).await;
    assert!(reply.one("serverVersionResult").starts_with("FieldBridge"));
    ep.stop().await;
}

/// closeConnection ends the session, and its answer ends the connection: the next run opens
/// a fresh one instead of reusing one left over from this run.
#[tokio::test]
async fn close_connection_answer_closes_the_connection() {
    let ep = start(Limits::default()).await;
    let ticket = ep.authenticate(USER, &ep.password).await[0].clone();
    let mut stream = TcpStream::connect(("127.0.0.1", ep.port))
        .await
        .expect("connect");
    post(&mut stream, ep.port, "getLastError", &[("ticket", &ticket)]).await;
    let before = read_answer(&mut stream).await.expect("answered");
    assert!(
        !before
            .head
            .to_ascii_lowercase()
            .contains("connection: close"),
        "other calls keep the connection: {}",
        before.head
    );
    post(
        &mut stream,
        ep.port,
        "closeConnection",
        &[("ticket", &ticket)],
    )
    .await;
    let answer = read_answer(&mut stream).await.expect("answered");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer
            .head
            .to_ascii_lowercase()
            .contains("connection: close"),
        "the answer says the connection closes: {}",
        answer.head
    );
    assert!(
        closed_by_server(&mut stream).await,
        "and the server closes it"
    );
    ep.stop().await;
}
