//! Benchmark 1e: a whole Web Connector session over HTTP against the real endpoint, with a
//! client that keeps one connection and (in `expect` mode) sends `Expect: 100-continue`
//! followed by the body without waiting. Every call is timed from its first byte written to
//! the answer's last byte read; the simulated QuickBooks' time between calls is not.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fieldbridge::app::App;
use fieldbridge::qbwc::{self, Endpoint};
use fieldbridge::sync::Engine;
use qbsim::soap::{self, Param};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{summary, SimulatedQuickBooks};

type Error = Box<dyn std::error::Error>;

/// serverVersion calls made on the connection before the session: the smallest call, so
/// their time is the HTTP exchange itself (the engine is not in it).
const LIGHT_CALLS: usize = 200;
/// A call taking this long is counted as stalled: an HTTP exchange on loopback takes well
/// under a millisecond, Linux delays an acknowledgement by 40 ms.
const STALL: Duration = Duration::from_millis(20);

/// "k of n over 20 ms".
fn stalled(samples: &[Duration]) -> String {
    let k = samples.iter().filter(|d| **d >= STALL).count();
    format!(
        "{k} of {} took {} ms or more",
        samples.len(),
        STALL.as_millis()
    )
}

/// How the client sends each call.
#[derive(Debug, Clone, Copy)]
pub enum Client {
    /// `Expect: 100-continue`, then the body in a second write at once, without waiting for
    /// `100 Continue`.
    ExpectWithoutWaiting,
    /// Headers and body in one write, no `Expect`.
    Plain,
}

impl Client {
    pub fn from_arg(arg: &str) -> Result<Self, Error> {
        match arg {
            "expect" => Ok(Client::ExpectWithoutWaiting),
            "plain" => Ok(Client::Plain),
            other => Err(format!("--http takes expect or plain, not {other:?}").into()),
        }
    }
}

/// One kept-alive connection to the endpoint.
struct Connection {
    stream: TcpStream,
    port: u16,
    client: Client,
    /// Bytes read past the previous answer.
    pending: Vec<u8>,
    /// Each call's time, by operation.
    times: BTreeMap<&'static str, Vec<Duration>>,
}

impl Connection {
    async fn open(port: u16, client: Client) -> Result<Self, Error> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        // The client's own writes are not delayed: what is measured is the server's side.
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            port,
            client,
            pending: Vec::new(),
            times: BTreeMap::new(),
        })
    }

    /// Calls `operation` and returns the SOAP answer's text; records the time.
    async fn call(
        &mut self,
        operation: &'static str,
        params: &[Param<'_>],
    ) -> Result<String, Error> {
        let body = soap::call(operation, params);
        let expect = match self.client {
            Client::ExpectWithoutWaiting => "Expect: 100-continue\r\n",
            Client::Plain => "",
        };
        let head = format!(
            "POST /qbwc HTTP/1.1\r\nHost: localhost:{}\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"{}{operation}\"\r\nContent-Length: {}\r\n{expect}\r\n",
            self.port,
            soap::INTUIT_NS,
            body.len()
        );
        let started = Instant::now();
        match self.client {
            Client::ExpectWithoutWaiting => {
                self.stream.write_all(head.as_bytes()).await?;
                self.stream.write_all(body.as_bytes()).await?;
            }
            Client::Plain => {
                self.stream
                    .write_all(format!("{head}{body}").as_bytes())
                    .await?
            }
        }
        let answer = loop {
            let (status, text) = self.read_answer().await?;
            if status != 100 {
                break text;
            }
        };
        self.times
            .entry(operation)
            .or_default()
            .push(started.elapsed());
        Ok(answer)
    }

    /// Reads one HTTP answer (Content-Length framed; `100 Continue` has no body).
    async fn read_answer(&mut self) -> Result<(u16, String), Error> {
        let mut chunk = vec![0u8; 64 * 1024];
        let end = loop {
            if let Some(end) = self.pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err("the endpoint closed the connection before answering".into());
            }
            self.pending.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&self.pending[..end]).into_owned();
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or("an HTTP status line")?;
        let length: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        while self.pending.len() < end + 4 + length {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err("the endpoint closed the connection inside an answer".into());
            }
            self.pending.extend_from_slice(&chunk[..n]);
        }
        let body = String::from_utf8(self.pending[end + 4..end + 4 + length].to_vec())?;
        self.pending.drain(..end + 4 + length);
        if !(100..300).contains(&status) {
            return Err(format!("HTTP {status}: {body}").into());
        }
        Ok((status, body))
    }
}

/// Runs the whole session and prints the figures.
pub fn session(
    app: &App,
    engine: Engine,
    quickbooks: &SimulatedQuickBooks,
    client: Client,
) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let password_file = app.data_dir().password_file();
        let password = qbwc::password::load_or_create(&password_file)?
            .expose()
            .to_owned();
        let endpoint = Endpoint::new(0, qbwc::DEFAULT_USER_NAME, password_file, Arc::new(engine));
        let bound = qbwc::bind(endpoint).await?;
        let port = bound.local_port();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(bound.run(async move {
            let _ = stopped.await;
        }));
        let mut connection = Connection::open(port, client).await?;
        for _ in 0..LIGHT_CALLS {
            connection.call("serverVersion", &[]).await?;
        }
        let light = std::mem::take(&mut connection.times);
        let started = Instant::now();
        let round_trips = drive(&mut connection, quickbooks, &password).await?;
        let whole = started.elapsed();
        let _ = stop.send(());
        server.await?;
        let mut light: Vec<Duration> = light.into_values().flatten().collect();
        println!(
            "{LIGHT_CALLS} serverVersion calls before the session: {}; {}",
            summary(&mut light),
            stalled(&light)
        );
        report(client, connection.times, round_trips, whole);
        Ok(())
    })
}

/// The Web Connector's call order: versions, authenticate, send/receive until 100, close.
async fn drive(
    c: &mut Connection,
    quickbooks: &SimulatedQuickBooks,
    password: &str,
) -> Result<usize, Error> {
    c.call("serverVersion", &[]).await?;
    c.call("clientVersion", &[("strVersion", Some("2.3.0.215"))])
        .await?;
    let auth = c
        .call(
            "authenticate",
            &[
                ("strUserName", Some(qbwc::DEFAULT_USER_NAME)),
                ("strPassword", Some(password)),
            ],
        )
        .await?;
    let strings = match soap::parse_result("authenticate", &auth)? {
        soap::SoapResult::Strings(s) => s,
        soap::SoapResult::Text(t) => vec![t],
    };
    let ticket = strings.first().cloned().unwrap_or_default();
    if strings.get(1).is_some_and(|s| !s.is_empty()) {
        return Err(format!("authenticate answered {strings:?}; expected work to do").into());
    }
    let (hcp, company_file) = quickbooks.hcp();
    let mut hcp = Some(hcp.unwrap_or_default());
    let mut round_trips = 0;
    loop {
        let hcp_text = hcp.take().unwrap_or_default();
        let answer = c
            .call(
                "sendRequestXML",
                &[
                    ("ticket", Some(&ticket)),
                    ("strHCPResponse", Some(&hcp_text)),
                    ("strCompanyFileName", Some(&company_file)),
                    ("qbXMLCountry", Some("US")),
                    ("qbXMLMajorVers", Some("13")),
                    ("qbXMLMinorVers", Some("0")),
                ],
            )
            .await?;
        let request = soap::parse_result("sendRequestXML", &answer)?.text();
        if request.is_empty() {
            c.call("getLastError", &[("ticket", Some(&ticket))]).await?;
            break;
        }
        round_trips += 1;
        let response = quickbooks.process(request)?;
        let answer = c
            .call(
                "receiveResponseXML",
                &[
                    ("ticket", Some(&ticket)),
                    ("response", Some(&response)),
                    ("hresult", None),
                    ("message", None),
                ],
            )
            .await?;
        let percent = soap::parse_int("receiveResponseXML", &answer)?;
        if percent < 0 {
            c.call("getLastError", &[("ticket", Some(&ticket))]).await?;
            return Err(format!("the engine stopped at round trip {round_trips}").into());
        }
        if percent >= 100 {
            break;
        }
    }
    c.call("closeConnection", &[("ticket", Some(&ticket))])
        .await?;
    Ok(round_trips)
}

fn report(
    client: Client,
    times: BTreeMap<&'static str, Vec<Duration>>,
    round_trips: usize,
    whole: Duration,
) {
    println!("client: {client:?}, one kept-alive connection, round trips: {round_trips}");
    let mut all: Vec<Duration> = times.values().flatten().copied().collect();
    println!("every call: {}", summary(&mut all));
    let small: Vec<Duration> = times
        .iter()
        .filter(|(op, _)| !matches!(**op, "sendRequestXML" | "receiveResponseXML"))
        .flat_map(|(_, t)| t.iter().copied())
        .collect();
    println!(
        "  the session's calls other than send/receive (no engine work): {}",
        stalled(&small)
    );
    for (operation, mut samples) in times {
        println!("  {operation}: {}", summary(&mut samples));
    }
    println!(
        "whole session (with the simulated QuickBooks): {:.1} ms",
        whole.as_secs_f64() * 1000.0
    );
}
