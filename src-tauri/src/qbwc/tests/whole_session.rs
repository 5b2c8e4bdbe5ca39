//! A whole session through the endpoint: every Web Connector call in order, answered by the
//! recording handler.

use super::*;

// A whole session

#[tokio::test]
async fn a_whole_web_connector_session_over_http() {
    qbsim::skip_without_reference!();
    let ep = start(Limits::default()).await;
    let qbxml_request = r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"/></QBXMLMsgsRq></QBXML>"#;
    ep.handler
        .requests
        .lock()
        .expect("test lock")
        .push_back(qbxml_request.to_owned());

    let version = ep
        .call("serverVersion", &[])
        .await
        .one("serverVersionResult");
    assert!(
        version.starts_with("FieldBridge "),
        "serverVersion names us: {version}"
    );
    let client = ep
        .call("clientVersion", &[("strVersion", "2.3.0.215")])
        .await
        .one("clientVersionResult");
    assert_eq!(client, "", "clientVersion answers \"\": go on");

    let auth = ep.authenticate(USER, &ep.password).await;
    assert_eq!(auth.len(), 2, "authenticate answers [ticket, X]: {auth:?}");
    let ticket = auth[0].clone();
    assert_eq!(
        auth[1], "",
        "\"\" = use the company file open in QuickBooks"
    );
    assert_eq!(ticket.len(), 36, "a GUID-shaped 128-bit ticket");

    let hcp = reference_text(
        "samples/responses/strHCPResponse.Host+Company+Preferences.qbwc-gem-test-helper.FIXED-typo.xml",
    );
    let sent = ep
        .call(
            "sendRequestXML",
            &[
                ("ticket", &ticket),
                ("strHCPResponse", &hcp),
                ("strCompanyFileName", "C:\\Company Files\\Rock Castle.qbw"),
                ("qbXMLCountry", "US"),
                ("qbXMLMajorVers", "13"),
                ("qbXMLMinorVers", "0"),
            ],
        )
        .await
        .one("sendRequestXMLResult");
    assert_eq!(sent, qbxml_request, "the handler's qbXML goes out intact");

    let qbxml_response = reference_text("samples/responses/InvoiceAddRs.extracted.flowlink.xml");
    let percent = ep
        .call(
            "receiveResponseXML",
            &[
                ("ticket", &ticket),
                ("response", &qbxml_response),
                ("hresult", ""),
                ("message", ""),
            ],
        )
        .await
        .one("receiveResponseXMLResult");
    assert_eq!(
        percent, "100",
        "the handler's percent is returned as an int"
    );

    let last = ep
        .call("getLastError", &[("ticket", &ticket)])
        .await
        .one("getLastErrorResult");
    assert_eq!(last, "NoOp", "getLastError is the handler's text");
    let conn = ep
        .call(
            "connectionError",
            &[
                ("ticket", &ticket),
                ("hresult", "0x80040408"),
                ("message", "Could not start QuickBooks."),
            ],
        )
        .await
        .one("connectionErrorResult");
    assert_eq!(conn, "done", "connectionError is the handler's answer");
    let closed = ep
        .call("closeConnection", &[("ticket", &ticket)])
        .await
        .one("closeConnectionResult");
    assert_eq!(
        closed, "Sync complete: 1 invoice added.",
        "closeConnection shows the handler's text"
    );

    let key = SessionKey(1);
    let seen = ep.handler.seen();
    assert_eq!(
        seen,
        vec![
            Seen::Open(key),
            Seen::Send {
                key,
                hcp_response: hcp.clone(),
                company_file_name: "C:\\Company Files\\Rock Castle.qbw".into(),
                country: "US".into(),
                major: "13".into(),
                minor: "0".into(),
            },
            Seen::Receive {
                key,
                response: qbxml_response.clone(),
                hresult: String::new(),
                message: String::new(),
            },
            Seen::LastError(key),
            Seen::ConnectionError(
                key,
                "0x80040408".into(),
                "Could not start QuickBooks.".into()
            ),
            Seen::Close(key),
        ],
        "the handler sees every call of the session, in order, with the same key and exact text"
    );
    let after = ep
        .call("sendRequestXML", &[("ticket", &ticket)])
        .await
        .one("sendRequestXMLResult");
    assert_eq!(after, "", "a closed session's ticket no longer works");
    let handler = ep.stop().await;
    assert!(
        !handler.seen().contains(&Seen::Abandon(key)),
        "a session closed by closeConnection is not abandoned at shutdown"
    );
}

#[tokio::test]
async fn a_real_receive_response_envelope_is_applied_verbatim() {
    qbsim::skip_without_reference!();
    let ep = start(Limits::default()).await;
    let auth = ep.authenticate(USER, &ep.password).await;
    let raw = reference_text("samples/soap/receiveResponseXML.ReceivePaymentAddRs.flowlink.xml");
    // The sample carries the ticket of its own session; ours replaces it.
    let body = raw.replacen("354f40b4-b661-4472-a13f-8abf13a743c3", &auth[0], 1);
    let reply = ep.post_raw(body, None).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "a real Web Connector envelope is accepted: {}",
        reply.body
    );
    let expected = reference_text("samples/responses/ReceivePaymentAddRs.extracted.flowlink.xml");
    let applied = ep.handler.seen().into_iter().find_map(|s| match s {
        Seen::Receive { response, .. } => Some(response),
        _ => None,
    });
    assert_eq!(
        applied.as_deref().map(str::trim_end),
        Some(expected.trim_end()),
        "the handler receives exactly the unescaped qbXML that QuickBooks sent"
    );
    ep.stop().await;
}
