//! Bad input: malformed SOAP, wrong methods and types, huge or entity-laden bodies, each
//! answered clearly and changing nothing.

use super::*;

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
        crate::qbwc::MAX_BODY_BYTES + 1
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
