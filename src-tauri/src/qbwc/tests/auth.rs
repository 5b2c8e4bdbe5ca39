//! Authentication and tickets: passwords, lockout, and session tickets that cannot be
//! guessed or reused.

use super::*;

// ---------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn wrong_user_or_password_is_nvu_and_reaches_no_handler_method() {
    let ep = start(Limits::default()).await;
    for (user, pass) in [(USER, "wrong"), ("someone", ep.password.as_str()), ("", "")] {
        let auth = ep.authenticate(user, pass).await;
        assert_eq!(auth.len(), 2, "two strings even when refused: {auth:?}");
        assert_eq!(auth[1], "nvu", "{user:?}/{pass:?} is not a valid user");
        let after = ep
            .call("sendRequestXML", &[("ticket", &auth[0])])
            .await
            .one("sendRequestXMLResult");
        assert_eq!(after, "", "a refused authenticate's ticket opens nothing");
    }
    let opened = ep
        .handler
        .seen()
        .iter()
        .filter(|s| matches!(s, Seen::Open(_)))
        .count();
    assert_eq!(opened, 0, "no session is opened for a wrong password");
    let failures = ep
        .handler
        .events()
        .into_iter()
        .filter(|e| matches!(e, EndpointEvent::AuthenticationFailed { .. }))
        .count();
    assert_eq!(
        failures, 3,
        "each failure is reported to the office manager"
    );
    ep.stop().await;
}

#[tokio::test]
async fn repeated_failures_throttle_even_the_right_password() {
    let ep = start(Limits::default()).await;
    for i in 0..crate::qbwc::throttle::MAX_FAILURES {
        assert_eq!(
            ep.authenticate(USER, &format!("guess {i}")).await[1],
            "nvu",
            "wrong password"
        );
    }
    let refused = ep.authenticate(USER, &ep.password).await;
    assert_eq!(
        refused[1], "nvu",
        "while throttled even the right password is refused"
    );
    assert!(
        ep.handler
            .events()
            .iter()
            .any(|e| matches!(e, EndpointEvent::Throttled { seconds } if *seconds > 0)),
        "throttling is reported with its length"
    );
    assert!(
        !ep.handler.seen().iter().any(|s| matches!(s, Seen::Open(_))),
        "no session opens during a lockout"
    );
    ep.stop().await;
}

#[tokio::test]
async fn a_password_reset_elsewhere_takes_effect_at_once() {
    let ep = start(Limits::default()).await;
    let new = password::reset(&ep.password_file)
        .expect("reset")
        .expose()
        .to_owned();
    assert_eq!(
        ep.authenticate(USER, &ep.password).await[1],
        "nvu",
        "the old password stops working at once"
    );
    assert_eq!(
        ep.authenticate(USER, &new).await[1],
        "",
        "the new one works without a restart"
    );
    ep.stop().await;
}

#[tokio::test]
async fn none_and_a_new_run_supersedes_an_idle_session() {
    let ep = start(Limits::default()).await;
    *ep.handler.open_answer.lock().expect("test lock") = OpenSession::NothingToDo;
    let auth = ep.authenticate(USER, &ep.password).await;
    assert_eq!(auth[1], "none", "the handler's nothing-to-do is `none`");
    let closed = ep
        .call("closeConnection", &[("ticket", auth[0].as_str())])
        .await;
    assert!(
        closed.body.contains("everything is up to date"),
        "closing after `none` says so, not that the session was lost: {}",
        closed.body
    );
    *ep.handler.open_answer.lock().expect("test lock") = OpenSession::Work {
        company_file: "C:\\Company.qbw".into(),
    };
    let first = ep.authenticate(USER, &ep.password).await;
    assert_eq!(
        first[1], "C:\\Company.qbw",
        "a company file path is passed through"
    );
    // The Web Connector never runs two sessions of one application at once: a new run
    // means the first one's connection is gone (e.g. an answer was lost), so it must not
    // lock FieldBridge out for the idle timeout.
    let second = ep.authenticate(USER, &ep.password).await;
    assert_eq!(second[1], "C:\\Company.qbw", "the new run gets to work");
    let seen = ep.handler.seen();
    let abandoned = seen.iter().position(|s| matches!(s, Seen::Abandon(_)));
    let last_open = seen.iter().rposition(|s| matches!(s, Seen::Open(_)));
    assert!(
        matches!((abandoned, last_open), (Some(a), Some(o)) if a < o),
        "the idle session is abandoned before the new one opens: {seen:?}"
    );
    let stale = ep
        .call("sendRequestXML", &[("ticket", first[0].as_str())])
        .await;
    assert_eq!(
        stale.status,
        StatusCode::OK,
        "a superseded ticket gets a protocol answer"
    );
    assert!(
        stale
            .body
            .contains("<sendRequestXMLResult></sendRequestXMLResult>")
            || stale.body.contains("<sendRequestXMLResult />")
            || stale.body.contains("<sendRequestXMLResult/>"),
        "and no work: {}",
        stale.body
    );
    ep.stop().await;
}

// ---------------------------------------------------------------------------------------
// Tickets

#[tokio::test]
async fn unknown_and_expired_tickets_get_protocol_answers() {
    // An idle timeout of zero expires every session right after authenticate.
    let ep = start(Limits {
        session_idle_timeout: Duration::ZERO,
        ..Limits::default()
    })
    .await;
    let expired = ep.authenticate(USER, &ep.password).await[0].clone();
    for ticket in ["no-such-ticket", expired.as_str()] {
        let t = [("ticket", ticket)];
        assert_eq!(
            ep.call("sendRequestXML", &t)
                .await
                .one("sendRequestXMLResult"),
            "",
            "nothing to send"
        );
        assert_eq!(
            ep.call("receiveResponseXML", &t)
                .await
                .one("receiveResponseXMLResult"),
            "-1",
            "an error percent"
        );
        let text = ep.call("getLastError", &t).await.one("getLastErrorResult");
        assert!(
            text.contains("run the Web Connector again")
                || text.contains("Run the Web Connector again"),
            "plain English with the next step: {text}"
        );
        assert_eq!(
            ep.call("connectionError", &t)
                .await
                .one("connectionErrorResult"),
            "done",
            "nothing to retry"
        );
        let closed = ep
            .call("closeConnection", &t)
            .await
            .one("closeConnectionResult");
        assert!(
            closed.contains("already ended"),
            "a sentence for the status column: {closed}"
        );
    }
    let unknown = ep
        .handler
        .events()
        .into_iter()
        .filter(|e| matches!(e, EndpointEvent::UnknownTicket { .. }))
        .count();
    assert_eq!(unknown, 10, "every call with a bad ticket is reported");
    let work = ep
        .handler
        .seen()
        .iter()
        .filter(|s| matches!(s, Seen::Send { .. } | Seen::Receive { .. } | Seen::Close(_)))
        .count();
    assert_eq!(
        work, 0,
        "a bad ticket never reaches the handler's work methods"
    );
    ep.stop().await;
}

#[tokio::test]
async fn idle_sessions_are_abandoned_to_the_handler() {
    let handler = Recording::new();
    let shared = crate::qbwc::shared::Shared::new(
        USER.into(),
        std::path::PathBuf::from("unused"),
        handler.clone(),
        crate::qbwc::session::Sessions::new(Duration::from_secs(60)),
    );
    let ticket = crate::qbwc::session::Ticket::generate().expect("random");
    let now = Instant::now();
    let key = shared.sessions.reserve(&ticket, now).expect("free");
    shared.sessions.confirm(&ticket, now);
    shared.expire_idle(now).await;
    assert!(
        handler.seen().is_empty(),
        "a fresh session is not abandoned"
    );
    shared.expire_idle(now + Duration::from_secs(61)).await;
    assert_eq!(
        handler.seen(),
        vec![Seen::Abandon(key)],
        "an idle session is handed back as abandoned"
    );
}
