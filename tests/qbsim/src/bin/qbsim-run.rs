//! `qbsim-run`: the simulated QuickBooks company and Web Connector as a command, for suites
//! that are not written in Rust (the real-window WebDriver suite in `tests/e2e-desktop/`).
//!
//! Owns: turning command-line arguments into a [`Company::fixture`] (its clock set to now,
//! plus any customers asked for) and a [`DriverConfig::fast`] Web Connector, running it
//! against an endpoint URL, and printing each run's summary as one line of JSON.
//! Does not own: how QuickBooks answers or how the Web Connector behaves (the library).
//!
//! ```text
//! qbsim-run URL USER PASSWORD SEED [--near-match NAME]... [--pause-ms N] [--runs-from-stdin]
//! ```
//!
//! * `--near-match NAME` adds a customer "already in QuickBooks" (repeatable), e.g. a name
//!   close to one of the app's customers so the window suggests linking them.
//! * `--pause-ms N` waits N ms inside every round trip (between sendRequestXML and
//!   receiveResponseXML), so a person or a test can watch a session move.
//! * `--runs-from-stdin` keeps the same company between runs: every line `run` on stdin
//!   starts one Web Connector run and prints its summary; end of input exits. Without it,
//!   one run.
//!
//! Exit status: 0 when every run completed (reached 100 and closed), 1 when one did not,
//! 2 for wrong arguments.

#![forbid(unsafe_code)]

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qbsim::driver::{DriverConfig, RunReport, WebConnector, DEFAULT_MAX_ROUND_TRIPS};
use qbsim::Company;
use serde_json::json;

const USAGE: &str = "usage: qbsim-run URL USER PASSWORD SEED [--near-match NAME]... [--pause-ms N] [--runs-from-stdin]";

/// The longest pause accepted: a minute per round trip is already far beyond watching.
const MAX_PAUSE_MS: u64 = 60_000;

/// What the command line asked for.
#[derive(Debug, PartialEq)]
struct Args {
    url: String,
    user: String,
    password: String,
    seed: u64,
    near_matches: Vec<String>,
    pause: Duration,
    runs_from_stdin: bool,
}

fn parse_args(raw: &[String]) -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut near_matches = Vec::new();
    let mut pause = Duration::ZERO;
    let mut runs_from_stdin = false;
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--near-match" => {
                let name = it
                    .next()
                    .ok_or("--near-match needs a customer name after it")?;
                if name.trim().is_empty() {
                    return Err("--near-match needs a non-empty customer name".to_string());
                }
                near_matches.push(name.clone());
            }
            "--pause-ms" => {
                let text = it
                    .next()
                    .ok_or("--pause-ms needs a number of milliseconds")?;
                let ms: u64 = text.parse().map_err(|_| {
                    format!("--pause-ms expects whole milliseconds, found {text:?}")
                })?;
                if ms > MAX_PAUSE_MS {
                    return Err(format!(
                        "--pause-ms expects at most {MAX_PAUSE_MS}, found {ms}"
                    ));
                }
                pause = Duration::from_millis(ms);
            }
            "--runs-from-stdin" => runs_from_stdin = true,
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other:?}"));
            }
            _ => positional.push(arg.clone()),
        }
    }
    let [url, user, password, seed] = positional.as_slice() else {
        return Err(format!(
            "expected 4 arguments (URL USER PASSWORD SEED), found {}",
            positional.len()
        ));
    };
    let seed = seed
        .parse()
        .map_err(|_| format!("SEED must be a whole number, found {seed:?}"))?;
    Ok(Args {
        url: url.clone(),
        user: user.clone(),
        password: password.clone(),
        seed,
        near_matches,
        pause,
        runs_from_stdin,
    })
}

/// The company the run talks to: the fixture, on today's clock, plus the asked-for customers.
fn company(args: &Args) -> Company {
    let mut company = Company::fixture(args.seed);
    // Invoices dated today must not look like they come from the future.
    company.set_clock(chrono::Local::now().fixed_offset());
    for name in &args.near_matches {
        company.add_customer(name);
    }
    company
}

fn connector(args: &Args, company: Arc<Mutex<Company>>) -> WebConnector {
    let config = DriverConfig::fast(&args.url, &args.user, &args.password);
    let connector = WebConnector::new(company, config);
    if args.pause.is_zero() {
        return connector;
    }
    let pause = args.pause;
    // The restart hook runs between sendRequestXML and receiveResponseXML; returning None
    // keeps the same URL, so it is only a wait.
    connector.with_restart_hook(
        (1..=DEFAULT_MAX_ROUND_TRIPS).collect(),
        Box::new(move |_| {
            Box::pin(async move {
                tokio::time::sleep(pause).await;
                None
            })
        }),
    )
}

/// One run as JSON: how it ended, what the endpoint said, and what the company now holds.
fn summary(report: &RunReport, company: &Company) -> serde_json::Value {
    let customers: Vec<String> = company
        .customers()
        .into_iter()
        .map(|c| c.full_name)
        .collect();
    json!({
        "completed": report.completed(),
        "outcome": format!("{:?}", report.outcome),
        "round_trips": report.round_trips,
        "requests": report.requests.len(),
        "percents": report.percents,
        "authenticate": report.authenticate_result,
        "last_error": report.last_error,
        "close_message": report.close_message,
        "problem": report.expect_completed().err(),
        "company": {
            "file": company.company_file(),
            "customers": customers,
            "invoices": company.invoice_count(),
            "estimates": company.estimate_count(),
            "payments": company.payment_count(),
        },
    })
}

async fn run_once(connector: &mut WebConnector, company: &Arc<Mutex<Company>>) -> bool {
    let report = connector.run().await;
    let line = match company.lock() {
        Ok(c) => summary(&report, &c),
        Err(poisoned) => summary(&report, &poisoned.into_inner()),
    };
    let mut out = std::io::stdout().lock();
    // A closed stdout only means nobody is listening; the exit status still tells.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
    report.completed()
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&raw) {
        Ok(args) => args,
        Err(problem) => {
            eprintln!("qbsim-run: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("qbsim-run: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let company = Arc::new(Mutex::new(company(&args)));
    let mut connector = connector(&args, Arc::clone(&company));
    let all_completed = runtime.block_on(async {
        if !args.runs_from_stdin {
            return run_once(&mut connector, &company).await;
        }
        let mut all = true;
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            match line.trim() {
                "run" => all &= run_once(&mut connector, &company).await,
                "" => {}
                other => eprintln!("qbsim-run: ignoring {other:?}; the only command is \"run\""),
            }
        }
        all
    });
    if all_completed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn positional_arguments_and_options_in_any_order() {
        let args = parse_args(&strings(&[
            "--near-match",
            "Ecker Designs Inc",
            "http://127.0.0.1:8080/qbwc",
            "fieldbridge",
            "secret",
            "--pause-ms",
            "250",
            "7",
            "--near-match",
            "Kim Residence",
            "--runs-from-stdin",
        ]))
        .expect("a complete command line parses");
        assert_eq!(
            args,
            Args {
                url: "http://127.0.0.1:8080/qbwc".into(),
                user: "fieldbridge".into(),
                password: "secret".into(),
                seed: 7,
                near_matches: vec!["Ecker Designs Inc".into(), "Kim Residence".into()],
                pause: Duration::from_millis(250),
                runs_from_stdin: true,
            },
            "every argument lands where it was meant to, options may come anywhere"
        );
    }

    #[test]
    fn wrong_arguments_are_refused_with_what_was_found() {
        let cases: &[(&[&str], &str)] = &[
            (&["u", "fieldbridge", "pw"], "found 3"),
            (&["u", "fieldbridge", "pw", "seven"], "\"seven\""),
            (
                &["u", "fieldbridge", "pw", "7", "--near-match"],
                "--near-match needs",
            ),
            (
                &["u", "fieldbridge", "pw", "7", "--pause-ms", "soon"],
                "\"soon\"",
            ),
            (
                &["u", "fieldbridge", "pw", "7", "--pause-ms", "60001"],
                "at most",
            ),
            (&["u", "fieldbridge", "pw", "7", "--fast"], "unknown option"),
        ];
        for (raw, expected) in cases {
            let err = parse_args(&strings(raw)).expect_err("a wrong command line is refused");
            assert!(
                err.contains(expected),
                "the message for {raw:?} should mention {expected:?}, it was {err:?}"
            );
        }
    }

    #[test]
    fn the_company_holds_the_near_matches_and_runs_on_today() {
        let args = parse_args(&strings(&[
            "u",
            "fieldbridge",
            "pw",
            "3",
            "--near-match",
            "Ecker Designs Inc",
        ]))
        .expect("parses");
        let company = company(&args);
        assert_eq!(
            company.count_customers_named("Ecker Designs Inc"),
            1,
            "the near-match customer is in the company so the app can suggest it"
        );
        let today = chrono::Local::now().format("%Y-%m-%d").to_string();
        assert!(
            company.now_text().starts_with(&today),
            "the company's clock is set to now ({today}), found {}",
            company.now_text()
        );
    }
}
