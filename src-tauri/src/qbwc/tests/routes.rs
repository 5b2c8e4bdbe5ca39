//! Routes and the listener: what each path answers, Host and Origin checks, and the
//! listener's own behaviour.

use super::*;

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
        matches!(err, crate::qbwc::BindError::PortInUse { port: p } if p == port),
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
