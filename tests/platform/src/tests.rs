//! The reference platform's own tests: pages, deliveries, the key and the faults, over real
//! HTTP where the wire matters.

use super::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn doc(customers: usize) -> Value {
    sample::generate("X", customers, 1, 3)
}

#[test]
fn changes_come_in_pages_oldest_first_and_the_cursor_moves_on() {
    let p = Platform::new("k");
    p.upsert(&doc(5)).unwrap(); // 5 customers, 5 invoices, 1 payment = 11 records
    let s = p.state();
    let first = s.records.changes(None, 4).unwrap();
    assert!(first.more, "11 records do not fit in a page of 4");
    assert_eq!(
        first.records["customers"].as_array().unwrap().len(),
        4,
        "customers were stored first"
    );
    let second = s.records.changes(Some(&first.cursor), 100).unwrap();
    assert!(!second.more);
    let total: usize = second
        .records
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_array().unwrap().len())
        .sum();
    assert_eq!(total, 7, "the rest of the 11 records, none twice");
    let empty = s.records.changes(Some(&second.cursor), 100).unwrap();
    assert_eq!(empty.records, json!({}), "nothing after the last change");
    assert_eq!(
        empty.cursor, second.cursor,
        "an empty page keeps the cursor"
    );
}

#[test]
fn a_changed_record_is_served_again_once_at_its_latest_change() {
    let p = Platform::new("k");
    p.upsert(&json!({"customers": [{"id": "C-1", "name": "A"}, {"id": "C-2", "name": "B"}]}))
        .unwrap();
    let cursor = p.state().records.changes(None, 10).unwrap().cursor;
    p.upsert(&json!({"customers": [{"id": "C-1", "name": "A renamed"}]}))
        .unwrap();
    let page = p.state().records.changes(Some(&cursor), 10).unwrap();
    assert_eq!(
        page.records,
        json!({"customers": [{"id": "C-1", "name": "A renamed"}]})
    );
    let all = p.state().records.changes(None, 10).unwrap();
    assert_eq!(
        all.records["customers"].as_array().unwrap().len(),
        2,
        "C-1 once, at its latest change"
    );
}

#[test]
fn cursors_never_issued_and_malformed_documents_are_refused_and_change_nothing() {
    let p = Platform::new("k");
    p.upsert(&doc(1)).unwrap();
    let s = &mut p.state();
    assert!(matches!(
        s.records.changes(Some("c999"), 10),
        Err(RecordsError::BadCursor(_))
    ));
    assert!(matches!(
        s.records.changes(Some("zzz"), 10),
        Err(RecordsError::BadCursor(_))
    ));
    let before = s.records.last_change();
    let bad = json!({"customers": [{"id": "C-9", "name": "ok"}], "invoicez": []});
    assert!(matches!(
        s.records.upsert(&bad),
        Err(RecordsError::UnknownKind(_))
    ));
    let no_id = json!({"customers": [{"id": "C-9"}, {"name": "no id"}]});
    assert!(matches!(
        s.records.upsert(&no_id),
        Err(RecordsError::BadRecord { .. })
    ));
    assert_eq!(
        s.records.last_change(),
        before,
        "a refused document stores nothing"
    );
}

fn event(seq: u64) -> Value {
    json!({"seq": seq, "at": "2026-12-02T10:00:00Z", "type": "record.synced", "kind": "invoices",
           "id": format!("I-{seq}"), "data": {"qb_id": "1-1"}})
}

#[test]
fn deliveries_are_kept_once_by_source_and_seq_and_repeats_are_counted() {
    let mut r = Received::default();
    let body = json!({"source": "inst", "events": [event(1), event(2), event(3)]});
    assert_eq!(
        r.deliver(&body, Some("inst:1-3")).unwrap(),
        events::Delivery {
            new: 3,
            repeated: 0
        }
    );
    let again = json!({"source": "inst", "events": [event(3), event(4)]});
    assert_eq!(
        r.deliver(&again, Some("inst:3-4")).unwrap(),
        events::Delivery {
            new: 1,
            repeated: 1
        }
    );
    let log = &r.sources["inst"];
    assert_eq!(log.seqs.len(), 4);
    assert_eq!(log.repeats, 1);
    assert_eq!(log.out_of_order, 0);
    assert!(log.holes().is_empty());
    let late = json!({"source": "inst", "events": [event(9)]});
    r.deliver(&late, Some("inst:9-9")).unwrap();
    assert_eq!(
        r.sources["inst"].holes(),
        vec![5, 6, 7, 8],
        "a gap is visible to the test"
    );
    let behind = json!({"source": "inst", "events": [event(6)]});
    r.deliver(&behind, Some("inst:6-6")).unwrap();
    assert_eq!(
        r.sources["inst"].out_of_order, 1,
        "a new seq below the highest one is a reordering"
    );
}

#[test]
fn a_delivery_with_a_wrong_shape_or_key_is_refused_whole() {
    let mut r = Received::default();
    let body = json!({"source": "inst", "events": [event(2), event(1)]});
    assert!(r
        .deliver(&body, Some("inst:2-1"))
        .unwrap_err()
        .contains("does not follow"));
    let body = json!({"source": "inst", "events": [event(1), event(2)]});
    assert!(r
        .deliver(&body, Some("inst:1-3"))
        .unwrap_err()
        .contains("expected \"inst:1-2\""));
    assert!(r
        .deliver(&body, None)
        .unwrap_err()
        .contains("no Idempotency-Key"));
    let extra = json!({"source": "inst", "events": [event(1)], "x": 1});
    assert!(r
        .deliver(&extra, Some("inst:1-1"))
        .unwrap_err()
        .contains("unknown field"));
    let no_type = json!({"source": "inst", "events": [{"seq": 1, "at": "t"}]});
    assert!(r.deliver(&no_type, Some("inst:1-1")).is_err());
    assert!(
        r.sources.is_empty(),
        "nothing was kept from refused deliveries"
    );
}

#[test]
fn faults_are_seeded_and_close_to_their_rate() {
    let mut a = faults::FaultState::new(Faults::flaky(42, 0.3));
    let mut b = faults::FaultState::new(Faults::flaky(42, 0.3));
    let draws_a: Vec<_> = (0..2000).map(|_| a.draw()).collect();
    let draws_b: Vec<_> = (0..2000).map(|_| b.draw()).collect();
    assert_eq!(draws_a, draws_b, "the same seed fails the same requests");
    let failed = draws_a
        .iter()
        .filter(|f| **f != faults::Fate::Answer)
        .count();
    assert!(
        (500..700).contains(&failed),
        "about 30% of 2000 fail, got {failed}"
    );
}

/// One HTTP/1.1 request on a new connection; the status and the body, or None when the
/// connection was dropped without an answer.
async fn call(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<(u16, Value)> {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let text = String::from_utf8(out).ok()?;
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    Some((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

async fn started(p: &Platform) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let p = p.clone();
    tokio::spawn(async move {
        p.serve(listener, async {
            let _ = rx.await;
        })
        .await
    });
    (addr, tx)
}

#[tokio::test]
async fn over_http_the_key_guards_the_contract_and_a_revoked_key_is_refused() {
    let p = Platform::new("secret-key");
    p.upsert(&doc(2)).unwrap();
    let (addr, _stop) = started(&p).await;
    let (status, _) = call(addr, "GET", "/fieldbridge/v1/changes?limit=10", &[], "")
        .await
        .unwrap();
    assert_eq!(status, 401, "no key");
    let (status, _) = call(
        addr,
        "GET",
        "/fieldbridge/v1/changes",
        &[("Authorization", "Bearer nope")],
        "",
    )
    .await
    .unwrap();
    assert_eq!(status, 401, "wrong key");
    let auth = [("Authorization", "Bearer secret-key")];
    let (status, page) = call(addr, "GET", "/fieldbridge/v1/changes?limit=3", &auth, "")
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(page["more"], true);
    assert_eq!(page["records"]["customers"].as_array().unwrap().len(), 2);
    let cursor = page["cursor"].as_str().unwrap().to_owned();
    let (_, rest) = call(
        addr,
        "GET",
        &format!("/fieldbridge/v1/changes?cursor={cursor}&limit=1000"),
        &auth,
        "",
    )
    .await
    .unwrap();
    assert_eq!(rest["more"], false);
    let body = json!({"source": "inst", "events": [event(1)]}).to_string();
    let hdrs = [
        ("Authorization", "Bearer secret-key"),
        ("Idempotency-Key", "inst:1-1"),
    ];
    let (status, ans) = call(addr, "POST", "/fieldbridge/v1/events", &hdrs, &body)
        .await
        .unwrap();
    assert_eq!((status, ans["accepted"].as_u64()), (200, Some(1)));
    let (status, _) = call(addr, "POST", "/_control/revoke", &[], "")
        .await
        .unwrap();
    assert_eq!(status, 200);
    let (status, _) = call(addr, "GET", "/fieldbridge/v1/changes", &auth, "")
        .await
        .unwrap();
    assert_eq!(status, 401, "a revoked key stops working at once");
    assert_eq!(p.calls().refused_key, 3);
}

#[tokio::test]
async fn injected_failures_answer_503_with_retry_after_or_drop_the_connection() {
    let p = Platform::new("k");
    p.set_faults(Faults {
        unavailable_rate: 1.0,
        retry_after_s: 7,
        ..Faults::none()
    });
    let (addr, _stop) = started(&p).await;
    let auth = [("Authorization", "Bearer k")];
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /fieldbridge/v1/changes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 503"), "{raw}");
    assert!(raw.to_ascii_lowercase().contains("retry-after: 7"), "{raw}");
    p.set_faults(Faults {
        drop_rate: 1.0,
        ..Faults::none()
    });
    assert!(
        call(addr, "GET", "/fieldbridge/v1/changes", &auth, "")
            .await
            .is_none(),
        "dropped without an answer"
    );
    p.set_faults(Faults {
        invalid_pages: 1,
        ..Faults::none()
    });
    let (status, body) = call(addr, "GET", "/fieldbridge/v1/changes", &auth, "")
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(body["records"].is_string(), "the malformed page: {body}");
    let (_, good) = call(addr, "GET", "/fieldbridge/v1/changes", &auth, "")
        .await
        .unwrap();
    assert!(good["records"].is_object(), "only one page was malformed");
    let c = p.calls();
    assert_eq!(
        (c.injected_503, c.injected_drop, c.injected_invalid),
        (1, 1, 1)
    );
}
