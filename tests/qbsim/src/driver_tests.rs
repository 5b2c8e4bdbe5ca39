//! Driver tests against tiny scripted SOAP endpoints on 127.0.0.1:0: call order, escaping,
//! NoOp, negative percents, the round-trip cap, schema failures and injected faults.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::*;
use crate::xml::Element;

enum Reply {
    Text(String),
    Strings(Vec<&'static str>),
}

type Script = Box<dyn FnMut(&str, &Element) -> Reply + Send>;

/// Every call a fake endpoint received: (operation, parameters).
type Received = Arc<Mutex<Vec<(String, Element)>>>;

struct Fake {
    url: String,
    received: Received,
    task: JoinHandle<()>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn fake_endpoint(script: Script) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let url = format!("http://{}/qbwc", listener.local_addr().expect("address"));
    let received: Received = Arc::new(Mutex::new(Vec::new()));
    let script = Arc::new(Mutex::new(script));
    let seen = Arc::clone(&received);
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let script = Arc::clone(&script);
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let script = Arc::clone(&script);
                    let seen = Arc::clone(&seen);
                    async move {
                        let body = req
                            .into_body()
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let text = String::from_utf8_lossy(&body).into_owned();
                        let (op, params) =
                            soap::parse_call(&text).expect("the driver sends well-formed SOAP");
                        seen.lock()
                            .expect("lock")
                            .push((op.clone(), params.clone()));
                        let reply = (script.lock().expect("lock"))(&op, &params);
                        let out = match reply {
                            Reply::Text(t) => soap::result_text(&op, &t),
                            Reply::Strings(v) => soap::result_strings(&op, &v),
                        };
                        Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from(out))))
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Fake {
        url,
        received,
        task,
    }
}

fn text(t: &str) -> Reply {
    Reply::Text(t.to_string())
}

fn add_customer_request(name_escaped: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="1"><CustomerAdd><Name>{name_escaped}</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>"#
    )
}

const QUERY: &str = r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError"><CustomerQueryRq requestID="2"><ActiveStatus>All</ActiveStatus></CustomerQueryRq></QBXMLMsgsRq></QBXML>"#;

/// The usual handshake answers, then `exchange` for sendRequestXML / receiveResponseXML.
fn script(mut exchange: impl FnMut(&str, &Element) -> Reply + Send + 'static) -> Script {
    Box::new(move |op, params| match op {
        "serverVersion" => text("FieldBridge test 1.0"),
        "clientVersion" => text(""),
        "authenticate" => Reply::Strings(vec!["tkt-1", ""]),
        "closeConnection" => text("OK, done"),
        _ => exchange(op, params),
    })
}

fn company() -> Arc<Mutex<Company>> {
    Arc::new(Mutex::new(Company::fixture(7)))
}

fn ops(received: &Received) -> Vec<String> {
    received
        .lock()
        .expect("lock")
        .iter()
        .map(|(op, _)| op.clone())
        .collect()
}

#[tokio::test]
async fn follows_the_qbwc_call_order_and_escapes_qbxml_both_ways() {
    let mut sends = 0;
    let fake = fake_endpoint(script(move |op, _| match op {
        "sendRequestXML" => {
            sends += 1;
            match sends {
                1 => Reply::Text(add_customer_request("Smith &amp; Sons &lt;HQ&gt;")),
                2 => text(""),
                _ => Reply::Text(QUERY.to_string()),
            }
        }
        "receiveResponseXML" => text(if sends == 1 { "50" } else { "100" }),
        "getLastError" => text("NoOp"),
        other => text(&format!("unexpected {other}")),
    }))
    .await;
    let shared = company();
    let mut qbwc = WebConnector::new(
        Arc::clone(&shared),
        DriverConfig::fast(&fake.url, "user", "secret"),
    );
    let report = qbwc.run().await;
    report
        .expect_completed()
        .expect("the scripted endpoint reaches 100");
    assert_eq!(
        ops(&fake.received),
        [
            "serverVersion",
            "clientVersion",
            "authenticate",
            "sendRequestXML",
            "receiveResponseXML",
            "sendRequestXML",
            "getLastError",
            "sendRequestXML",
            "receiveResponseXML",
            "closeConnection"
        ],
        "QBWC's order: handshake, exchanges, getLastError after an empty request, close"
    );
    assert_eq!(report.percents, [50, 100]);
    assert_eq!(report.last_errors, ["NoOp"]);
    assert_eq!(report.close_message.as_deref(), Some("OK, done"));
    assert_eq!(report.authenticate_result, ["tkt-1", ""]);
    let received = fake.received.lock().expect("lock").clone();
    let auth = &received[2].1;
    assert_eq!(auth.text_of("strUserName"), Some("user"));
    assert_eq!(auth.text_of("strPassword"), Some("secret"));
    let first_send = &received[3].1;
    assert!(
        first_send
            .text_of("strHCPResponse")
            .is_some_and(|h| h.contains("<HostRet>")),
        "the first sendRequestXML carries strHCPResponse"
    );
    assert_eq!(first_send.text_of("qbXMLCountry"), Some("US"));
    assert_eq!(first_send.text_of("qbXMLMajorVers"), Some("13"));
    assert_eq!(first_send.text_of("qbXMLMinorVers"), Some("0"));
    assert_eq!(
        first_send.text_of("ticket"),
        Some("tkt-1"),
        "the ticket from authenticate is passed on"
    );
    assert_eq!(
        received[5].1.text_of("strHCPResponse"),
        Some(""),
        "later calls carry an empty strHCPResponse"
    );
    let receive = &received[4].1;
    let response = receive.text_of("response").expect("a response");
    assert!(
        response.contains("Smith &amp; Sons &lt;HQ&gt;"),
        "the qbXML reached the endpoint intact: {response}"
    );
    assert_eq!(
        receive.text_of("hresult"),
        Some(""),
        "empty hresult on success"
    );
    assert_eq!(
        shared
            .lock()
            .expect("lock")
            .count_customers_named("Smith & Sons <HQ>"),
        1,
        "the company read the doubly escaped name correctly"
    );
}

#[tokio::test]
async fn a_negative_percent_asks_get_last_error_then_closes() {
    let fake = fake_endpoint(script(|op, _| match op {
        "sendRequestXML" => Reply::Text(QUERY.to_string()),
        "receiveResponseXML" => text("-1"),
        "getLastError" => text("Something broke. Do this next."),
        _ => text(""),
    }))
    .await;
    let report = WebConnector::new(company(), DriverConfig::fast(&fake.url, "u", "p"))
        .run()
        .await;
    assert_eq!(
        report.outcome,
        RunOutcome::EndpointStopped("Something broke. Do this next.".to_string())
    );
    assert_eq!(
        report.operations()[3..],
        [
            "sendRequestXML",
            "receiveResponseXML",
            "getLastError",
            "closeConnection"
        ],
        "negative percent: getLastError, then closeConnection"
    );
}

#[tokio::test]
async fn a_looping_endpoint_hits_the_round_trip_cap() {
    let fake = fake_endpoint(script(|op, _| match op {
        "sendRequestXML" => Reply::Text(QUERY.to_string()),
        "receiveResponseXML" => text("10"),
        _ => text(""),
    }))
    .await;
    let mut config = DriverConfig::fast(&fake.url, "u", "p");
    config.max_round_trips = 3;
    config.validate_requests = false;
    let report = WebConnector::new(company(), config).run().await;
    assert_eq!(
        report.outcome,
        RunOutcome::RoundTripCap,
        "a run that never reaches 100 fails"
    );
    assert_eq!(report.round_trips, 3);
    assert_eq!(report.operations().last(), Some(&"closeConnection"));
}

#[tokio::test]
async fn a_schema_invalid_request_fails_the_run_with_xmllints_message() {
    crate::skip_without_reference!(xmllint);
    // MaxReturned after ActiveStatus: out of schema order.
    let bad = r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"><ActiveStatus>All</ActiveStatus><MaxReturned>5</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>"#;
    let fake = fake_endpoint(script(move |op, _| match op {
        "sendRequestXML" => Reply::Text(bad.to_string()),
        "receiveResponseXML" => text("-1"),
        "getLastError" => text("QuickBooks could not read the request."),
        _ => text(""),
    }))
    .await;
    let report = WebConnector::new(company(), DriverConfig::fast(&fake.url, "u", "p"))
        .run()
        .await;
    match &report.outcome {
        RunOutcome::SchemaInvalid(m) => {
            assert!(m.contains("MaxReturned"), "xmllint names the element: {m}")
        }
        other => panic!("an invalid request must fail the run, got {other:?}"),
    }
    assert_eq!(
        report.hresults[0].0, "0x80040400",
        "the endpoint is told QuickBooks could not parse it"
    );
    assert_eq!(
        report.responses[0], "",
        "no qbXML response for an unparsable request"
    );
}

#[tokio::test]
async fn injected_faults_hresult_and_lost_response() {
    let mut sends = 0;
    let fake = fake_endpoint(script(move |op, _| match op {
        "sendRequestXML" => {
            sends += 1;
            Reply::Text(add_customer_request(&format!("Customer {sends}")))
        }
        "receiveResponseXML" => text("50"),
        _ => text(""),
    }))
    .await;
    let shared = company();
    let mut config = DriverConfig::fast(&fake.url, "u", "p");
    config.faults.hresult_at = vec![1];
    config.faults.lose_response_at = vec![2];
    let report = WebConnector::new(Arc::clone(&shared), config).run().await;
    assert_eq!(report.outcome, RunOutcome::LostResponse { round_trip: 2 });
    assert_eq!(
        report.hresults[0].0, HRESULT_MODAL_DIALOG.0,
        "round trip 1 failed at the HRESULT level"
    );
    assert_eq!(report.responses[0], "");
    let c = shared.lock().expect("lock");
    assert_eq!(
        c.count_customers_named("Customer 1"),
        0,
        "an HRESULT failure applies nothing"
    );
    assert_eq!(
        c.count_customers_named("Customer 2"),
        1,
        "a lost response was still applied by QuickBooks"
    );
    drop(c);
    let ops = ops(&fake.received);
    assert_eq!(
        ops.iter().filter(|o| *o == "receiveResponseXML").count(),
        1,
        "the lost answer was never delivered"
    );
    assert!(
        !ops.contains(&"closeConnection".to_string()),
        "a dropped connection does not close"
    );
}

#[tokio::test]
async fn the_restart_hook_runs_between_send_and_receive_and_can_move_the_endpoint() {
    let first = fake_endpoint(script(|op, _| match op {
        "sendRequestXML" => Reply::Text(QUERY.to_string()),
        _ => text("100"),
    }))
    .await;
    let second = fake_endpoint(script(|_, _| text("100"))).await;
    let new_url = second.url.clone();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&calls);
    let hook: RestartHook = Box::new(move |round_trip| {
        seen.lock().expect("lock").push(round_trip);
        let url = new_url.clone();
        Box::pin(async move { Some(url) })
    });
    let report = WebConnector::new(company(), DriverConfig::fast(&first.url, "u", "p"))
        .with_restart_hook(vec![1], hook)
        .run()
        .await;
    assert_eq!(
        *calls.lock().expect("lock"),
        [1],
        "the hook ran at round trip 1"
    );
    assert_eq!(
        ops(&second.received),
        ["receiveResponseXML", "closeConnection"],
        "after the hook, calls go to the new URL"
    );
    assert!(report.completed());
}

#[tokio::test]
async fn authenticate_answers_end_the_run_as_qbwc_does() {
    let nvu = fake_endpoint(Box::new(|op, _| match op {
        "authenticate" => Reply::Strings(vec!["", "nvu"]),
        _ => text(""),
    }))
    .await;
    let report = WebConnector::new(company(), DriverConfig::fast(&nvu.url, "u", "wrong"))
        .run()
        .await;
    assert_eq!(
        report.outcome,
        RunOutcome::AuthenticationRejected("nvu".to_string())
    );
    assert!(!ops(&nvu.received).contains(&"closeConnection".to_string()));
    let none = fake_endpoint(Box::new(|op, _| match op {
        "authenticate" => Reply::Strings(vec!["t", "none"]),
        _ => text("bye"),
    }))
    .await;
    let report = WebConnector::new(company(), DriverConfig::fast(&none.url, "u", "p"))
        .run()
        .await;
    assert_eq!(report.outcome, RunOutcome::NothingToDo);
    assert_eq!(
        report.close_message.as_deref(),
        Some("bye"),
        "'none' still closes the connection"
    );
}

#[tokio::test]
async fn connection_error_done_ends_the_run() {
    let fake = fake_endpoint(script(|op, params| match op {
        "connectionError" => text(if params.text_of("hresult") == Some("0x80040408") {
            "done"
        } else {
            "?"
        }),
        _ => text(""),
    }))
    .await;
    let mut config = DriverConfig::fast(&fake.url, "u", "p");
    config.faults.connection_error = Some((
        "0x80040408".to_string(),
        "Could not start QuickBooks.".to_string(),
    ));
    let report = WebConnector::new(company(), config).run().await;
    assert_eq!(
        report.outcome,
        RunOutcome::QuickBooksUnavailable("done".to_string())
    );
    assert_eq!(
        report.operations()[3..],
        ["connectionError", "closeConnection"]
    );
}

#[tokio::test]
async fn a_dead_endpoint_is_a_transport_failure_not_a_hang() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    drop(listener);
    let report = WebConnector::new(company(), DriverConfig::fast(&url, "u", "p"))
        .run()
        .await;
    assert!(
        matches!(report.outcome, RunOutcome::Transport(_)),
        "got {:?}",
        report.outcome
    );
}

#[test]
fn a_run_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let mut qbwc = WebConnector::new(
        company(),
        DriverConfig::fast("http://127.0.0.1:9/", "u", "p"),
    );
    let run = qbwc.run();
    assert_send(&run);
}

#[tokio::test]
async fn a_lost_answer_is_recovered_in_the_next_run_without_a_duplicate() {
    // A minimal endpoint that does what FieldBridge's architecture promises: every batch
    // carries a newMessageSetID, and a batch never answered is resolved with
    // oldMessageSetID before anything new is sent.
    #[derive(Default)]
    struct State {
        in_flight: Option<String>,
        recovered_list_id: Option<String>,
    }
    let state = Arc::new(Mutex::new(State::default()));
    let shared_state = Arc::clone(&state);
    let fake = fake_endpoint(script(move |op, params| {
        let mut s = shared_state.lock().expect("lock");
        match op {
            "sendRequestXML" => match &s.in_flight {
                None => {
                    s.in_flight = Some("ms-1".to_string());
                    Reply::Text(
                        r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError" newMessageSetID="ms-1"><CustomerAddRq requestID="c1"><CustomerAdd><Name>Acme</Name><ExternalGUID>{6B063959-81B0-4622-85D6-F548C8CCB517}</ExternalGUID></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>"#
                            .to_string(),
                    )
                }
                Some(id) => Reply::Text(format!(
                    r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError" oldMessageSetID="{id}"/></QBXML>"#
                )),
            },
            "receiveResponseXML" => {
                let response = params.text_of("response").unwrap_or("");
                let root = Element::parse(response).expect("QuickBooks answers well-formed qbXML");
                s.recovered_list_id = root
                    .path(&["QBXMLMsgsRs", "CustomerAddRs", "ErrorRecovery", "ListID"])
                    .map(|e| e.text.clone());
                s.in_flight = None;
                text("100")
            }
            _ => text(""),
        }
    }))
    .await;
    let shared = company();
    let mut config = DriverConfig::fast(&fake.url, "u", "p");
    config.faults.lose_response_at = vec![1];
    let mut qbwc = WebConnector::new(Arc::clone(&shared), config);
    let reports = qbwc.run_until_complete(3).await;
    assert_eq!(
        reports.len(),
        2,
        "the first run loses its answer, the second finishes"
    );
    assert_eq!(
        reports[0].outcome,
        RunOutcome::LostResponse { round_trip: 1 }
    );
    reports[1]
        .expect_completed()
        .expect("the second run completes");
    let c = shared.lock().expect("lock");
    assert_eq!(
        c.count_customers_named("Acme"),
        1,
        "at most once in QuickBooks"
    );
    let acme = c.customer("Acme").expect("added once");
    assert_eq!(
        state.lock().expect("lock").recovered_list_id.as_deref(),
        Some(acme.list_id.as_str()),
        "the recovery answer names the customer the lost answer created"
    );
}
