//! The local API end to end (shared design `api.md`): the real `fieldbridge serve` process,
//! plain HTTP/1.1 over a TCP socket (what curl sends), the simulated QuickBooks from `qbsim`.
//! Records are posted, synced, read back, and every outcome and payment is read from the feed.

mod support;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::*;

/// An answer: status, headers (lower-cased names), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One request, `Connection: close`, raw bytes: nothing hides what is on the wire.
fn http(port: u16, head: &str, body: &[u8]) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole HTTP answer");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

struct Client {
    port: u16,
    token: String,
}

impl Client {
    fn of(fb: &Fb) -> Self {
        Client {
            port: fb.port,
            token: fb.ok(&["api-token"]).trim().to_owned(),
        }
    }
    fn get(&self, path: &str) -> Answer {
        http(
            self.port,
            &format!(
                "GET /api/v1{path} HTTP/1.1\r\nHost: localhost:{}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
                self.port, self.token
            ),
            b"",
        )
    }
    fn post(&self, doc: &[u8]) -> Answer {
        http(
            self.port,
            &format!(
                "POST /api/v1/records HTTP/1.1\r\nHost: localhost:{}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                self.port, self.token, doc.len()
            ),
            doc,
        )
    }
    fn events_after(&self, after: &str) -> (Vec<Value>, String) {
        let page = self
            .get(&format!("/events?after={after}&limit=1000"))
            .json();
        (
            page["events"].as_array().unwrap().clone(),
            page["next"].as_str().unwrap().to_owned(),
        )
    }
}

fn of_type<'a>(events: &'a [Value], t: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == t).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_sync_read_records_and_every_outcome_and_payment_from_the_feed() {
    let mut fb = Fb::new();
    fb.map_fixture_items();
    fb.start();
    let api = Client::of(&fb);
    let doc = serde_json::to_vec(&business(3)).unwrap();

    let first = api.post(&doc);
    assert_eq!(
        first.status,
        200,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    assert_eq!(first.json()["added"]["invoices"], 3, "{}", first.json());
    let again = api.post(&doc).json();
    assert_eq!(
        again["unchanged"]["invoices"], 3,
        "the same document twice changes nothing"
    );
    assert_eq!(again["added"]["invoices"], 0);
    assert_eq!(again["updated"]["invoices"], 0);
    assert!(
        again["added"].get("projects").is_none(),
        "only the kinds present: {again}"
    );
    assert_eq!(
        api.get("/records/invoices?state=synced").json()["records"],
        json!([])
    );

    // A long-poll waiting for the first event is woken by the sync's commit.
    let waiter = {
        let (port, token) = (api.port, api.token.clone());
        std::thread::spawn(move || {
            let started = Instant::now();
            let c = Client { port, token };
            let page = c.get("/events?wait=25").json();
            (started.elapsed(), page)
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let company = company(3);
    let mut qbwc = fb.driver(&company);
    qbwc.run().await.expect_completed().unwrap();
    let (waited, woken) = waiter.join().unwrap();
    assert!(
        waited < Duration::from_secs(20) && !woken["events"].as_array().unwrap().is_empty(),
        "the long-poll answered with the first events when they were committed ({waited:?})"
    );

    let (events, cursor) = api.events_after("0");
    let synced = of_type(&events, "record.synced");
    let inv = synced
        .iter()
        .find(|e| e["kind"] == "invoices" && e["id"] == "I-1")
        .unwrap_or_else(|| panic!("I-1's sync is in the feed: {events:?}"));
    assert!(inv["data"]["qb_id"].is_string());
    assert!(inv["data"]["balance"].is_string(), "{inv}");
    assert_eq!(inv["data"]["paid"], false, "{inv}");
    assert_eq!(of_type(&events, "session.finished").len(), 1);
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "seq strictly increases"
    );
    assert_eq!(
        cursor,
        seqs.last().unwrap().to_string(),
        "next is the last seq"
    );

    // Records, paged, and one by one.
    let page = api.get("/records/invoices?state=synced&limit=2").json();
    assert_eq!(page["records"].as_array().unwrap().len(), 2);
    let next = page["next"].as_str().expect("a second page").to_owned();
    let rest = api
        .get(&format!(
            "/records/invoices?state=synced&limit=2&after={next}"
        ))
        .json();
    assert_eq!(rest["records"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next"], Value::Null, "the last page says so");
    let one = api.get("/records/invoices/I-1").json();
    assert_eq!(one["qb_id"], inv["data"]["qb_id"]);
    assert_eq!(one["state"], "synced");
    assert_eq!(api.get("/records/invoices/NOPE").status, 404);
    let status = api.get("/status").json();
    assert_eq!(
        status,
        fb.json(&["status", "--json"]),
        "exactly status --json"
    );
    let qb = api.get("/quickbooks/customers?limit=1000").json();
    assert!(
        qb["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["linked_to"] == "C-1"),
        "QuickBooks' copy of C-1 is linked to it: {qb}"
    );
    let items = api.get("/quickbooks/items").json();
    assert!(
        items["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["type"] == "sales_tax" && i["rate"].is_string()),
        "sales tax items carry their rate: {items}"
    );

    // A payment entered in QuickBooks arrives as an event at the next run.
    let txn = one["qb_id"].as_str().unwrap().to_owned();
    let total = pay_in_full_in_quickbooks(&company, &txn);
    force_read(&fb);
    qbwc.run().await.expect_completed().unwrap();
    let (later, _) = api.events_after(&cursor);
    let paid = of_type(&later, "payment.received");
    assert_eq!(paid.len(), 1, "one payment from QuickBooks: {later:?}");
    assert_eq!(paid[0]["data"]["invoice_id"], "I-1");
    assert_eq!(paid[0]["data"]["amount"], total.to_string());
    let balance = of_type(&later, "invoice.balance_changed");
    assert!(
        balance.iter().any(|e| e["id"] == "I-1"
            && e["data"]["paid"] == true
            && e["data"]["balance"] == "0.00"),
        "I-1 is paid in full: {later:?}"
    );

    // The payments list pages through the app's own, then those entered in QuickBooks.
    let (mut after, mut payments) = (String::new(), Vec::new());
    loop {
        let page = api.get(&format!("/records/payments?limit=1{after}")).json();
        payments.extend(page["records"].as_array().unwrap().clone());
        match page["next"].as_str() {
            Some(next) => after = format!("&after={next}"),
            None => break,
        }
    }
    let sources: Vec<&str> = payments
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        ["app", "quickbooks"],
        "as export --json lists them: {payments:?}"
    );
    assert_eq!(payments[1]["invoice_id"], "I-1");
    assert_eq!(
        api.get("/records/payments?after=qx").status,
        400,
        "a bad cursor"
    );

    // Events survive a restart with the same seqs.
    let (before, _) = api.events_after("0");
    fb.kill();
    fb.start();
    let (after, _) = api.events_after("0");
    assert_eq!(before, after, "the feed is durable, seqs included");
}

#[test]
fn bad_input_is_refused_with_problem_json_and_nothing_is_stored() {
    let mut fb = Fb::new();
    fb.start();
    let api = Client::of(&fb);
    let port = fb.port;
    let get = |headers: &str| {
        http(
            port,
            &format!("GET /api/v1/status HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"),
            b"",
        )
    };
    let host = format!("Host: localhost:{port}\r\n");
    let auth = format!("Authorization: Bearer {}\r\n", api.token);

    let missing = get(&host);
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(missing.json()["status"], 401);
    assert_eq!(
        get(&format!("{host}Authorization: Bearer nope\r\n")).status,
        401
    );
    assert_eq!(
        get(&format!("{host}{auth}Origin: http://evil.example\r\n")).status,
        403,
        "a web page is refused even with the token"
    );
    assert_eq!(
        get(&format!("Host: evil.example:{port}\r\n{auth}")).status,
        421,
        "DNS rebinding: another Host"
    );
    assert_eq!(get(&format!("{host}{auth}")).status, 200);
    let openapi = http(
        port,
        &format!("GET /api/v1/openapi.json HTTP/1.1\r\n{host}Connection: close\r\n\r\n"),
        b"",
    );
    assert_eq!(openapi.status, 200, "the description needs no token");
    assert_eq!(openapi.json()["openapi"], "3.1.0");

    // A document with problems: 422, every problem with record, field and message.
    let bad = br#"{"customers": [{"id": "C-1", "name": "A"}],
        "invoices": [{"id": "I-12", "customer_id": "C-77", "number": "1", "date": "2026-13-01",
                      "lines": [{"description": "x", "amount": "1"}], "colour": "red"}]}"#;
    let answer = api.post(bad);
    assert_eq!(answer.status, 422);
    let p = answer.json();
    assert_eq!(p["title"], "The records were not accepted");
    let errors = p["errors"].as_array().unwrap();
    assert_eq!(
        p["detail"],
        format!("{} problems; nothing was stored", errors.len())
    );
    assert!(
        errors.iter().any(|e| e["record"] == "invoices[0]"
            && e["kind"] == "invoices"
            && e["id"] == "I-12"
            && e["field"] == "date"
            && e["message"] == "date \"2026-13-01\" is not a date (YYYY-MM-DD)"),
        "{p}"
    );
    assert!(
        errors.iter().any(|e| e["field"] == "colour"),
        "unknown fields: {p}"
    );
    assert!(
        errors.iter().any(|e| e["field"] == "customer_id"),
        "references: {p}"
    );
    assert_eq!(
        api.get("/records/customers").json()["records"],
        json!([]),
        "nothing was stored (C-1 was fine, but the document is all or nothing)"
    );
    for (body, why) in [
        (&b"{not json"[..], "invalid JSON"),
        (b"[]", "not an object"),
        (b"id,name\nC-1,A\n", "CSV is not the API's format"),
        (br#"{"widgets": []}"#, "an unknown kind"),
    ] {
        let a = api.post(body);
        assert_eq!(a.status, 422, "{why}: {}", String::from_utf8_lossy(&a.body));
        assert!(!a.json()["errors"].as_array().unwrap().is_empty(), "{why}");
    }
    assert_eq!(api.get("/records/widgets").status, 404, "a wrong kind");
    assert_eq!(
        api.get("/records/invoices?after=abc").status,
        400,
        "a bad cursor"
    );
    assert_eq!(api.get("/events?after=-1").status, 400, "a bad cursor");
    assert_eq!(api.get("/events?wait=soon").status, 400);
    assert_eq!(api.get("/records/invoices?state=lost").status, 400);
    assert_eq!(api.get("/nothing").status, 404);

    // Over 64 MiB: refused from the declared length, before any of it is read.
    let started = Instant::now();
    let too_big = http(
        port,
        &format!(
            "POST /api/v1/records HTTP/1.1\r\n{host}{auth}Content-Length: {}\r\n\r\n",
            64 * 1024 * 1024 + 1
        ),
        b"{",
    );
    assert_eq!(too_big.status, 413);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it did not wait for the body"
    );
    // ... and while streaming, when no length is declared.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(
        format!("POST /api/v1/records HTTP/1.1\r\n{host}{auth}Transfer-Encoding: chunked\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..70 {
        let framed = [
            format!("{:x}\r\n", chunk.len()).as_bytes(),
            &chunk[..],
            b"\r\n",
        ]
        .concat();
        if s.write_all(&framed).is_err() {
            break; // the server stopped reading: it has answered
        }
    }
    let mut raw = Vec::new();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.read_to_end(&mut raw);
    assert!(
        String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 413"),
        "a streamed body over the limit is refused: {}",
        String::from_utf8_lossy(&raw[..raw.len().min(200)])
    );
    assert_eq!(api.get("/status").status, 200, "the server keeps serving");

    // Long-polls cannot take every connection: beyond four waiting, one answers at once.
    let waiting: Vec<_> = (0..4)
        .map(|_| {
            let (port, token) = (api.port, api.token.clone());
            std::thread::spawn(move || Client { port, token }.get("/events?wait=4").status)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let fifth = api.get("/events?wait=4");
    assert_eq!(fifth.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the fifth long-poll answered at once ({:?})",
        started.elapsed()
    );
    for w in waiting {
        assert_eq!(w.join().unwrap(), 200);
    }
}

#[test]
fn files_dropped_in_the_watched_folder_are_imported_under_serve() {
    let mut fb = Fb::new();
    let folder = tempfile::tempdir().unwrap();
    fb.start();
    // The setting as `settings set watch-folder DIR` stores it (the serving process reads it
    // at each look, so no restart is needed).
    let conn = rusqlite::Connection::open(fb.dir.path().join("fieldbridge.sqlite3")).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('watch_folder', ?1)",
        [folder.path().to_str().unwrap()],
    )
    .unwrap();
    // Written the way a careful program writes: a temporary name, then renamed into place.
    let tmp = folder.path().join(".day.json.tmp");
    std::fs::write(&tmp, serde_json::to_vec(&business(2)).unwrap()).unwrap();
    std::fs::rename(&tmp, folder.path().join("day.json")).unwrap();
    std::fs::write(
        folder.path().join("bad.json"),
        b"{\"customers\": [{\"id\": \"C-9\"}]}",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !(folder.path().join("imported/day.json").exists()
        && folder.path().join("failed/bad.json.errors.txt").exists())
    {
        assert!(
            Instant::now() < deadline,
            "the files were not taken within 20 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let api = Client::of(&fb);
    let customers = api.get("/records/customers").json();
    assert_eq!(
        customers["records"].as_array().unwrap().len(),
        2,
        "{customers}"
    );
    let errors = std::fs::read_to_string(folder.path().join("failed/bad.json.errors.txt")).unwrap();
    assert_eq!(errors, "customers[0] (id C-9): name is missing\n");
}
