//! Benchmark 1: FieldBridge's own cost per Web Connector round trip.
//!
//! Drives the real [`fieldbridge::sync::Engine`] through the [`QbwcHandler`] trait (no HTTP,
//! no SOAP) with the `qbsim` company answering, on a real data folder (SQLite in WAL mode,
//! `synchronous=FULL`, so every commit is on disk). Only FieldBridge's calls are timed:
//! `send_request_xml` and `receive_response_xml`, which parses and applies QuickBooks'
//! answer in one transaction and then plans, builds and records the next batch.
//!
//! ```text
//! cargo run --release -p fieldbridge --no-default-features --example bench_endpoint -- [INVOICES]
//! cargo run --release -p fieldbridge --no-default-features --example bench_endpoint -- --http expect|plain [INVOICES]
//! ```
//! INVOICES defaults to 10,000 (100 batches of 100). Prints figures; asserts nothing.
//!
//! `--http` (benchmark 1e) drives the same whole session over HTTP instead: the real
//! endpoint on loopback with the engine behind it, and a client keeping one connection for
//! every call, timed from its first byte written to the answer's last byte read. `expect`:
//! the client sends `Expect: 100-continue` and then the body at once, without waiting for
//! `100 Continue` (as HTTP clients may), the case Nagle's algorithm stalls unless the server
//! sets TCP_NODELAY; `plain`: headers and body in one write.

#[path = "bench_support/mod.rs"]
mod bench_support;

use bench_support::{field_data, machine, summary, ITEM_MAPPINGS};
use fieldbridge::app::App;
use fieldbridge::paths::DataDir;
use fieldbridge::qbwc::{OpenSession, QbwcHandler, ReceiveResponseXml, SendRequestXml, SessionKey};
use fieldbridge::sync::Engine;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The `--http` mode: a whole session over HTTP (benchmark 1e).
#[path = "bench_endpoint/http.rs"]
mod http;

/// Time this thread has spent on a CPU (`/proc/thread-self/schedstat`, first field, ns): on
/// a machine shared with other work, wall time includes waiting for a core, this does not.
fn on_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|t| t.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// The simulated QuickBooks on a thread of its own, as QuickBooks runs in a process of its
/// own: its large trees of XML elements then live in another malloc arena and do not slow
/// down FieldBridge's allocations, which they would on one shared thread.
struct SimulatedQuickBooks {
    requests: mpsc::Sender<Option<String>>,
    answers: mpsc::Receiver<Result<String, String>>,
    hcp: (Option<String>, String),
}

impl SimulatedQuickBooks {
    fn start() -> Self {
        let (requests, inbox) = mpsc::channel::<Option<String>>();
        let (outbox, answers) = mpsc::channel();
        let (hcp_tx, hcp_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut company = qbsim::Company::fixture(1);
            company.set_clock(chrono::Local::now().fixed_offset());
            let _ = hcp_tx.send((
                Some(company.hcp_response()),
                company.company_file().to_owned(),
            ));
            while let Ok(Some(request)) = inbox.recv() {
                let answer = company
                    .process(&request)
                    .map_err(|e| format!("the simulated QuickBooks refused a request: {e:?}"));
                if outbox.send(answer).is_err() {
                    break;
                }
            }
        });
        let hcp = hcp_rx.recv().unwrap_or_default();
        Self {
            requests,
            answers,
            hcp,
        }
    }

    fn hcp(&self) -> (Option<String>, String) {
        self.hcp.clone()
    }

    fn process(&self, request: String) -> Result<String, Box<dyn std::error::Error>> {
        self.requests.send(Some(request))?;
        Ok(self.answers.recv()??)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let http_mode = if args.first().map(String::as_str) == Some("--http") {
        args.remove(0);
        Some(http::Client::from_arg(&args.remove(0))?)
    } else {
        None
    };
    let invoices: usize = args
        .first()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let customers = invoices.clamp(1, 1000);
    println!("machine: {}", machine());
    let dir = tempfile::tempdir()?;
    let app = App::open_dir(DataDir::resolve(Some(dir.path()))?, None)?;
    let doc = field_data(customers, invoices, 1);
    app.import_bytes("bench.json", &serde_json::to_vec(&doc)?)?;
    for (role, item) in ITEM_MAPPINGS {
        app.map_item(role, item)?;
    }
    let engine = Engine::new(app.store().clone(), app.events().clone());
    let quickbooks = SimulatedQuickBooks::start();
    println!("invoices: {invoices}, app customers: {customers}");
    match http_mode {
        Some(client) => http::session(&app, engine, &quickbooks, client),
        None => in_process(&app, &engine, &quickbooks, invoices),
    }
}

/// Benchmark 1: the engine's two calls, in-process.
fn in_process(
    app: &App,
    engine: &Engine,
    quickbooks: &SimulatedQuickBooks,
    invoices: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let key = SessionKey(1);
    match engine.open_session(key) {
        OpenSession::Work { .. } => {}
        other => return Err(format!("expected work to do, the engine said {other:?}").into()),
    }
    let (hcp, company_file) = quickbooks.hcp();
    let mut hcp = Some(hcp.unwrap_or_default());
    let (mut invoice_rt, mut invoice_send, mut invoice_recv) = (Vec::new(), Vec::new(), Vec::new());
    let mut other_rt: Vec<Duration> = Vec::new();
    let mut invoice_cpu: Vec<Duration> = Vec::new();
    let mut qb_time = Duration::ZERO;
    let mut responses = Vec::new();
    let mut round_trips = 0;
    loop {
        let call = SendRequestXml {
            hcp_response: hcp.take().unwrap_or_default(),
            company_file_name: company_file.clone(),
            qbxml_country: "US".into(),
            qbxml_major_version: "13".into(),
            qbxml_minor_version: "0".into(),
        };
        let c0 = on_cpu();
        let t0 = Instant::now();
        let request = engine.send_request_xml(key, &call);
        let send = t0.elapsed();
        let send_cpu = on_cpu().saturating_sub(c0);
        if request.is_empty() {
            break;
        }
        round_trips += 1;
        let q0 = Instant::now();
        let response = quickbooks.process(request.clone())?;
        qb_time += q0.elapsed();
        let answer = ReceiveResponseXml {
            response,
            ..Default::default()
        };
        let c1 = on_cpu();
        let t1 = Instant::now();
        let percent = engine.receive_response_xml(key, &answer);
        let recv = t1.elapsed();
        let recv_cpu = on_cpu().saturating_sub(c1);
        let adds = request.matches("<InvoiceAddRq").count();
        if adds == fieldbridge::sync::PUSH_BATCH_SIZE {
            invoice_rt.push(send + recv);
            invoice_cpu.push(send_cpu + recv_cpu);
            invoice_send.push(send);
            invoice_recv.push(recv);
            responses.push(answer.response);
        } else {
            other_rt.push(send + recv);
        }
        if !(0..100).contains(&percent) {
            if percent < 0 {
                return Err(format!("the engine stopped: {}", engine.get_last_error(key)).into());
            }
            break;
        }
    }
    engine.close_connection(key);
    // The parse alone, to say where the time of a round trip goes.
    let mut parse: Vec<Duration> = responses
        .iter()
        .map(|r| {
            let t = Instant::now();
            let parsed = fieldbridge::qbxml::parse_response(r);
            let d = t.elapsed();
            assert!(parsed.is_ok(), "the simulator's answers parse");
            d
        })
        .collect();
    // The floor under any round trip: one durable commit (WAL, synchronous=FULL) of a
    // transaction that changes a single row, on the same data folder.
    let mut commit: Vec<Duration> = (0..100)
        .map(|i| {
            let t = Instant::now();
            let written = app.store().write(|tx| {
                fieldbridge::store::settings::set_raw(tx, "bench.commit", Some(&i.to_string()))
            });
            let d = t.elapsed();
            assert!(written.is_ok(), "the bench can write its data folder");
            d
        })
        .collect();
    // And under any design that keeps each record's sync state in SQLite: a hundred records
    // changed by one statement and committed (each record moves twice per round trip).
    let mut hundred: Vec<Duration> = (0..100i64)
        .map(|i| {
            let t = Instant::now();
            let written = app.store().write(|tx| {
                tx.execute(
                    "UPDATE outbox SET attempts = attempts + 1 WHERE id > ?1 AND id <= ?1 + 100",
                    [(i * 100) % 9_900],
                )
                .map_err(fieldbridge::store::StoreError::from)
            });
            let d = t.elapsed();
            assert!(written.is_ok(), "the bench can write its data folder");
            d
        })
        .collect();
    println!("invoices: {invoices}, round trips: {round_trips}");
    println!(
        "round trip carrying {} InvoiceAdds (send + receive): {}",
        fieldbridge::sync::PUSH_BATCH_SIZE,
        summary(&mut invoice_rt)
    );
    println!(
        "  the same on CPU (this thread's CPU time, without waiting for a core): {}",
        summary(&mut invoice_cpu)
    );
    println!("  sendRequestXML:     {}", summary(&mut invoice_send));
    println!("  receiveResponseXML: {}", summary(&mut invoice_recv));
    println!("  of which parse_response alone: {}", summary(&mut parse));
    println!(
        "a commit of one changed row on the same data folder (the sync to disk alone): {}",
        summary(&mut commit)
    );
    println!(
        "100 outbox rows changed by one UPDATE and committed (SQLite alone): {}",
        summary(&mut hundred)
    );
    println!(
        "other round trips (pulls, customers): {}",
        summary(&mut other_rt)
    );
    println!(
        "simulated QuickBooks (not FieldBridge): {:.1} ms in total",
        qb_time.as_secs_f64() * 1000.0
    );
    Ok(())
}
