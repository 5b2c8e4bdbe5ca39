//! The simulated QuickBooks Web Connector: drives one session against an endpoint URL over
//! real HTTP, feeding each qbXML request to a [`Company`], and records what happened.
//!
//! Owns: the QBWC call order — serverVersion, clientVersion, authenticate, then
//! sendRequestXML → (QuickBooks) → receiveResponseXML until 100; getLastError after an
//! empty request (waiting and retrying on "NoOp") or a negative percent; closeConnection —
//! the strHCPResponse on the first sendRequestXML, schema validation of every request,
//! the round-trip cap, and injected faults (HRESULT failures, lost responses, a
//! kill/restart hook, connectionError). Does not own: how QuickBooks answers (the company).
//!
//! A run never hangs: every HTTP call has a timeout, NoOp waits are counted, and round
//! trips are capped.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::clock::SeededRng;
use crate::company::Company;
use crate::schema;
use crate::soap::{self, SoapResult};

/// The Web Connector version the driver announces in clientVersion (QBWC 2.3).
pub const QBWC_CLIENT_VERSION: &str = "2.3.0.215";
/// QBWC waits five seconds after getLastError answered "NoOp" (Programmer's Guide).
pub const QBWC_NOOP_WAIT: Duration = Duration::from_secs(5);
/// Round trips (sendRequestXML + receiveResponseXML) after which a run fails instead of
/// looping forever against an endpoint that never reaches 100.
pub const DEFAULT_MAX_ROUND_TRIPS: u32 = 200;
/// NoOp answers tolerated in one run before it is declared stuck.
pub const DEFAULT_MAX_NOOPS: u32 = 20;
/// Longest wait for one HTTP answer.
pub const DEFAULT_HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The HRESULT and message QuickBooks gives when a modal dialog blocks it: the usual
/// transient failure.
pub const HRESULT_MODAL_DIALOG: (&str, &str) = (
    "0x80040414",
    "A modal dialog box is showing in the QuickBooks user interface. Your application cannot access QuickBooks until the user dismisses the dialog box.",
);

/// A callback run between sendRequestXML and receiveResponseXML at chosen round trips
/// (1-based); it may kill and restart the endpoint and return its new URL.
pub type RestartHook =
    Box<dyn FnMut(u32) -> Pin<Box<dyn Future<Output = Option<String>> + Send>> + Send + Sync>;

/// Injected faults, all deterministic given `seed`.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    pub seed: u64,
    /// Per round trip, probability (‰) that QuickBooks fails the whole request: the
    /// company is not touched and receiveResponseXML gets an empty response plus `hresult`.
    pub hresult_per_mille: u32,
    /// Round trips that fail that way for sure. Round trips are numbered from 1 over every
    /// run of the same [`WebConnector`] (so is `lose_response_at`, and the restart hook's).
    pub hresult_at: Vec<u32>,
    pub hresult: (String, String),
    /// Round trips (1-based) whose answer is lost: the company applies the batch, the
    /// endpoint never hears back, and the run ends as after a dropped connection.
    pub lose_response_at: Vec<u32>,
    /// Per round trip, probability (‰) of such a loss.
    pub lose_response_per_mille: u32,
    /// QuickBooks cannot be reached at the start: the driver calls connectionError with
    /// this (hresult, message) instead of the first sendRequestXML.
    pub connection_error: Option<(String, String)>,
}

impl Default for FaultPlan {
    fn default() -> Self {
        FaultPlan {
            seed: 1,
            hresult_per_mille: 0,
            hresult_at: Vec::new(),
            hresult: (
                HRESULT_MODAL_DIALOG.0.to_string(),
                HRESULT_MODAL_DIALOG.1.to_string(),
            ),
            lose_response_at: Vec::new(),
            lose_response_per_mille: 0,
            connection_error: None,
        }
    }
}

/// How the driver behaves.
#[derive(Debug, Clone)]
pub struct DriverConfig {
    pub url: String,
    pub user_name: String,
    pub password: String,
    pub client_version: String,
    /// strCompanyFileName; None = the company's own path.
    pub company_file: Option<String>,
    pub max_round_trips: u32,
    pub noop_wait: Duration,
    pub max_noops: u32,
    pub http_timeout: Duration,
    /// Validate every request against qbXML 13.0 (on by default where `xmllint` and the
    /// schema are at hand, and always when `FIELDBRIDGE_REQUIRE_REFERENCE` is set; see
    /// [`schema::check_by_default`]).
    pub validate_requests: bool,
    pub schema: PathBuf,
    pub faults: FaultPlan,
    /// The least time QuickBooks takes to answer a request (zero: as fast as the simulator,
    /// which answers a page of 1,000 customers in about 13 ms). The wait counts as
    /// QuickBooks' time: benchmarks use it to see what the endpoint does while a slower
    /// QuickBooks works.
    pub quickbooks_floor: Duration,
}

impl DriverConfig {
    /// Defaults like the real Web Connector (5 s NoOp wait).
    pub fn new(url: &str, user_name: &str, password: &str) -> DriverConfig {
        DriverConfig {
            url: url.to_string(),
            user_name: user_name.to_string(),
            password: password.to_string(),
            client_version: QBWC_CLIENT_VERSION.to_string(),
            company_file: None,
            max_round_trips: DEFAULT_MAX_ROUND_TRIPS,
            noop_wait: QBWC_NOOP_WAIT,
            max_noops: DEFAULT_MAX_NOOPS,
            http_timeout: DEFAULT_HTTP_TIMEOUT,
            validate_requests: schema::check_by_default(),
            schema: schema::schema_path(),
            faults: FaultPlan::default(),
            quickbooks_floor: Duration::ZERO,
        }
    }

    /// Same, with a 10 ms NoOp wait for fast tests.
    pub fn fast(url: &str, user_name: &str, password: &str) -> DriverConfig {
        DriverConfig {
            noop_wait: Duration::from_millis(10),
            ..DriverConfig::new(url, user_name, password)
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RunOutcome {
    /// receiveResponseXML answered 100; closeConnection was called.
    Completed,
    /// authenticate answered `none`.
    NothingToDo,
    /// authenticate answered `nvu` (or `busy`, with that word).
    AuthenticationRejected(String),
    /// clientVersion answered `E:...`.
    ClientVersionRejected(String),
    /// An empty request or a negative percent; getLastError said this (not NoOp).
    EndpointStopped(String),
    /// getLastError kept answering NoOp.
    NoOpLimit,
    /// The endpoint never reached 100 within the cap.
    RoundTripCap,
    /// A request failed qbXML 13.0 validation (xmllint's message).
    SchemaInvalid(String),
    /// The answer to this round trip (counted over all runs) was lost (injected); the run
    /// ended there.
    LostResponse { round_trip: u32 },
    /// connectionError answered `done`.
    QuickBooksUnavailable(String),
    /// HTTP failed, timed out, or the endpoint answered a Fault or nonsense.
    Transport(String),
    #[default]
    NotStarted,
}

/// One call the driver made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub operation: &'static str,
    /// The result as text (percent, ticket + answer, message...).
    pub result: String,
}

/// Everything one run did.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    pub outcome: RunOutcome,
    pub server_version: Option<String>,
    pub client_version_result: Option<String>,
    pub authenticate_result: Vec<String>,
    /// qbXML requests the endpoint sent, in order.
    pub requests: Vec<String>,
    /// What the driver passed back for each request ("" when QuickBooks "failed").
    pub responses: Vec<String>,
    /// (hresult, message) passed with each response (both empty when none).
    pub hresults: Vec<(String, String)>,
    pub percents: Vec<i32>,
    /// Every getLastError answer, in order.
    pub last_errors: Vec<String>,
    pub last_error: Option<String>,
    pub close_message: Option<String>,
    pub connection_error_result: Option<String>,
    pub transcript: Vec<Call>,
    pub round_trips: u32,
    /// Time the simulated QuickBooks spent answering (so a benchmark can tell the
    /// endpoint's share of the run from QuickBooks').
    pub quickbooks_time: std::time::Duration,
}

impl RunReport {
    pub fn completed(&self) -> bool {
        self.outcome == RunOutcome::Completed
    }

    /// Ok when the run completed; otherwise a readable account of how it ended.
    pub fn expect_completed(&self) -> Result<(), String> {
        if self.completed() {
            return Ok(());
        }
        let ops: Vec<String> = self
            .transcript
            .iter()
            .map(|c| format!("{}={:?}", c.operation, c.result))
            .collect();
        Err(format!(
            "expected the Web Connector run to complete, it ended with {:?}; last error {:?}; calls: {}",
            self.outcome,
            self.last_error,
            ops.join(", ")
        ))
    }

    /// The operations called, in order.
    pub fn operations(&self) -> Vec<&'static str> {
        self.transcript.iter().map(|c| c.operation).collect()
    }
}

/// The simulated Web Connector. See the module docs.
pub struct WebConnector {
    company: Arc<Mutex<Company>>,
    config: DriverConfig,
    restart_at: Vec<u32>,
    restart_hook: Option<RestartHook>,
    client: Client<HttpConnector, Full<Bytes>>,
    rng: SeededRng,
    /// Round trips over every run of this connector: fault and hook round-trip numbers
    /// count on this, so a run after a lost response is not hit by the same fault again.
    total_round_trips: u32,
}

enum Step<T> {
    Go(T),
    End(RunOutcome),
}

fn lock(company: &Arc<Mutex<Company>>) -> MutexGuard<'_, Company> {
    company
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl WebConnector {
    pub fn new(company: Arc<Mutex<Company>>, config: DriverConfig) -> WebConnector {
        let rng = SeededRng::new(config.faults.seed);
        WebConnector {
            company,
            config,
            restart_at: Vec::new(),
            restart_hook: None,
            client: Client::builder(TokioExecutor::new()).build_http(),
            rng,
            total_round_trips: 0,
        }
    }

    /// Calls `hook(round_trip)` between sendRequestXML and receiveResponseXML at the given
    /// round trips; a returned URL replaces the endpoint's.
    pub fn with_restart_hook(mut self, at: Vec<u32>, hook: RestartHook) -> WebConnector {
        self.restart_at = at;
        self.restart_hook = Some(hook);
        self
    }

    pub fn config_mut(&mut self) -> &mut DriverConfig {
        &mut self.config
    }

    pub fn company(&self) -> Arc<Mutex<Company>> {
        Arc::clone(&self.company)
    }

    /// Runs one Web Connector session to its end and reports it. Iterators die with the
    /// session, as in QuickBooks.
    pub async fn run(&mut self) -> RunReport {
        let mut report = RunReport::default();
        let outcome = self.session(&mut report).await;
        report.outcome = outcome;
        lock(&self.company).end_session();
        report
    }

    /// Runs sessions until one completes or `max_runs` were tried (a lost response or a
    /// restarted endpoint ends a run; the next scheduled run picks up the work).
    pub async fn run_until_complete(&mut self, max_runs: usize) -> Vec<RunReport> {
        let mut reports = Vec::new();
        for _ in 0..max_runs {
            let report = self.run().await;
            let done = report.completed() || report.outcome == RunOutcome::NothingToDo;
            reports.push(report);
            if done {
                break;
            }
        }
        reports
    }

    async fn session(&mut self, report: &mut RunReport) -> RunOutcome {
        let version = match self.call(report, "serverVersion", &[]).await {
            Step::Go(r) => r.text(),
            Step::End(o) => return o,
        };
        report.server_version = Some(version);
        let client_version = self.config.client_version.clone();
        let answer = match self
            .call(
                report,
                "clientVersion",
                &[("strVersion", Some(&client_version))],
            )
            .await
        {
            Step::Go(r) => r.text(),
            Step::End(o) => return o,
        };
        report.client_version_result = Some(answer.clone());
        // QBWC: "E:" stops here; "W:" and "O:" are shown to the user and the run goes on.
        if let Some(message) = answer.strip_prefix("E:") {
            return RunOutcome::ClientVersionRejected(message.to_string());
        }
        let (user, password) = (self.config.user_name.clone(), self.config.password.clone());
        let auth = match self
            .call(
                report,
                "authenticate",
                &[
                    ("strUserName", Some(&user)),
                    ("strPassword", Some(&password)),
                ],
            )
            .await
        {
            Step::Go(SoapResult::Strings(v)) => v,
            Step::Go(SoapResult::Text(t)) => vec![t],
            Step::End(o) => return o,
        };
        report.authenticate_result = auth.clone();
        let ticket = auth.first().cloned().unwrap_or_default();
        let second = auth.get(1).cloned().unwrap_or_default();
        match second.as_str() {
            "nvu" | "busy" => return RunOutcome::AuthenticationRejected(second),
            "none" => {
                self.close(report, &ticket).await;
                return RunOutcome::NothingToDo;
            }
            _ => {}
        }
        let mut company_file = if second.is_empty() {
            self.config
                .company_file
                .clone()
                .unwrap_or_else(|| lock(&self.company).company_file().to_string())
        } else {
            second
        };
        if let Some((hresult, message)) = self.config.faults.connection_error.clone() {
            let answer = match self
                .call(
                    report,
                    "connectionError",
                    &[
                        ("ticket", Some(&ticket)),
                        ("hresult", Some(&hresult)),
                        ("message", Some(&message)),
                    ],
                )
                .await
            {
                Step::Go(r) => r.text(),
                Step::End(o) => return o,
            };
            report.connection_error_result = Some(answer.clone());
            if answer == "done" || answer.is_empty() {
                self.close(report, &ticket).await;
                return RunOutcome::QuickBooksUnavailable(answer);
            }
            company_file = answer;
        }
        self.exchange(report, &ticket, &company_file).await
    }

    async fn exchange(
        &mut self,
        report: &mut RunReport,
        ticket: &str,
        company_file: &str,
    ) -> RunOutcome {
        let mut hcp = Some(lock(&self.company).hcp_response());
        let mut noops = 0;
        loop {
            if report.round_trips >= self.config.max_round_trips {
                self.close(report, ticket).await;
                return RunOutcome::RoundTripCap;
            }
            // QBWC passes strHCPResponse on the first sendRequestXML of a session only.
            let hcp_text = hcp.take().unwrap_or_default();
            let request = match self
                .call(
                    report,
                    "sendRequestXML",
                    &[
                        ("ticket", Some(ticket)),
                        ("strHCPResponse", Some(&hcp_text)),
                        ("strCompanyFileName", Some(company_file)),
                        ("qbXMLCountry", Some("US")),
                        ("qbXMLMajorVers", Some("13")),
                        ("qbXMLMinorVers", Some("0")),
                    ],
                )
                .await
            {
                Step::Go(r) => r.text(),
                Step::End(o) => return o,
            };
            if request.is_empty() {
                let message = match self.last_error(report, ticket).await {
                    Step::Go(m) => m,
                    Step::End(o) => return o,
                };
                if message == "NoOp" {
                    noops += 1;
                    if noops > self.config.max_noops {
                        self.close(report, ticket).await;
                        return RunOutcome::NoOpLimit;
                    }
                    tokio::time::sleep(self.config.noop_wait).await;
                    continue;
                }
                self.close(report, ticket).await;
                return RunOutcome::EndpointStopped(message);
            }
            report.round_trips += 1;
            self.total_round_trips += 1;
            let round_trip = self.total_round_trips;
            report.requests.push(request.clone());
            let mut schema_failure = None;
            if self.config.validate_requests {
                if let Err(e) = schema::validate_with(&self.config.schema, &request) {
                    schema_failure = Some(e.to_string());
                }
            }
            let hresult_fault = self.config.faults.hresult_at.contains(&round_trip)
                || self.rng.chance(self.config.faults.hresult_per_mille);
            let lose = self.config.faults.lose_response_at.contains(&round_trip)
                || self.rng.chance(self.config.faults.lose_response_per_mille);
            let (response, hresult, message) = if let Some(failure) = &schema_failure {
                (
                    String::new(),
                    "0x80040400".to_string(),
                    format!("QuickBooks found an error when parsing the provided XML text stream. {failure}"),
                )
            } else if hresult_fault {
                (
                    String::new(),
                    self.config.faults.hresult.0.clone(),
                    self.config.faults.hresult.1.clone(),
                )
            } else {
                let started = std::time::Instant::now();
                let answer = lock(&self.company).process(&request);
                if let Some(rest) = self.config.quickbooks_floor.checked_sub(started.elapsed()) {
                    tokio::time::sleep(rest).await;
                }
                report.quickbooks_time += started.elapsed();
                match answer {
                    Ok(r) => (r, String::new(), String::new()),
                    Err(e) => (String::new(), e.hresult().to_string(), e.qbwc_message()),
                }
            };
            if lose && schema_failure.is_none() && !hresult_fault {
                // The connection dropped after QuickBooks applied the batch: the endpoint
                // never hears back and this run is over.
                return RunOutcome::LostResponse { round_trip };
            }
            if self.restart_at.contains(&round_trip) {
                if let Some(hook) = self.restart_hook.as_mut() {
                    if let Some(url) = hook(round_trip).await {
                        self.config.url = url;
                    }
                }
            }
            report.responses.push(response.clone());
            report.hresults.push((hresult.clone(), message.clone()));
            let params = [
                ("ticket", Some(ticket)),
                (
                    "response",
                    if response.is_empty() {
                        None
                    } else {
                        Some(response.as_str())
                    },
                ),
                (
                    "hresult",
                    if hresult.is_empty() {
                        None
                    } else {
                        Some(hresult.as_str())
                    },
                ),
                (
                    "message",
                    if message.is_empty() {
                        None
                    } else {
                        Some(message.as_str())
                    },
                ),
            ];
            let percent = match self.call(report, "receiveResponseXML", &params).await {
                Step::Go(r) => {
                    let text = r.text();
                    match text.trim().parse::<i32>() {
                        Ok(p) => p,
                        Err(_) => {
                            return RunOutcome::Transport(format!(
                                "receiveResponseXML answered {text:?}, not an int"
                            ))
                        }
                    }
                }
                Step::End(o) => return o,
            };
            report.percents.push(percent);
            if let Some(failure) = schema_failure {
                if percent < 0 {
                    let _ = self.last_error(report, ticket).await;
                }
                self.close(report, ticket).await;
                return RunOutcome::SchemaInvalid(failure);
            }
            if percent < 0 {
                let message = match self.last_error(report, ticket).await {
                    Step::Go(m) => m,
                    Step::End(o) => return o,
                };
                self.close(report, ticket).await;
                return RunOutcome::EndpointStopped(message);
            }
            if percent >= 100 {
                self.close(report, ticket).await;
                return RunOutcome::Completed;
            }
        }
    }

    async fn last_error(&mut self, report: &mut RunReport, ticket: &str) -> Step<String> {
        match self
            .call(report, "getLastError", &[("ticket", Some(ticket))])
            .await
        {
            Step::Go(r) => {
                let text = r.text();
                report.last_errors.push(text.clone());
                report.last_error = Some(text.clone());
                Step::Go(text)
            }
            Step::End(o) => Step::End(o),
        }
    }

    async fn close(&mut self, report: &mut RunReport, ticket: &str) {
        if let Step::Go(r) = self
            .call(report, "closeConnection", &[("ticket", Some(ticket))])
            .await
        {
            report.close_message = Some(r.text());
        }
    }

    /// Posts one SOAP call and reads its result; any failure ends the run as QBWC would.
    async fn call(
        &mut self,
        report: &mut RunReport,
        operation: &'static str,
        params: &[soap::Param<'_>],
    ) -> Step<SoapResult> {
        let body = soap::call(operation, params);
        let result = match tokio::time::timeout(
            self.config.http_timeout,
            self.post(operation, body),
        )
        .await
        {
            Ok(Ok(text)) => soap::parse_result(operation, &text).map_err(|e| e.to_string()),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(format!("no answer within {:?}", self.config.http_timeout)),
        };
        match result {
            Ok(r) => {
                report.transcript.push(Call {
                    operation,
                    result: r.text(),
                });
                Step::Go(r)
            }
            Err(e) => {
                report.transcript.push(Call {
                    operation,
                    result: format!("ERROR: {e}"),
                });
                Step::End(RunOutcome::Transport(format!("{operation}: {e}")))
            }
        }
    }

    async fn post(&self, operation: &str, body: String) -> Result<String, String> {
        let request = hyper::Request::builder()
            .method(hyper::Method::POST)
            .uri(&self.config.url)
            .header(hyper::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header(
                "SOAPAction",
                format!("\"{}{}\"", soap::INTUIT_NS, operation),
            )
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| format!("could not build the HTTP request: {e}"))?;
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| format!("HTTP failed: {e}"))?;
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("reading the answer failed: {e}"))?
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if !status.is_success() && !text.contains("Fault") {
            return Err(format!("HTTP {status}: {text}"));
        }
        Ok(text)
    }
}

#[cfg(test)]
#[path = "driver_tests.rs"]
mod tests;
