//! `platform-run`: the reference platform as a command, for demos (next to the app, see the
//! README's "Platform link") and for suites not written in Rust.
//!
//! ```text
//! platform-run [--port N] (--key KEY | --key-file F) [--records FILE] [--generate N]
//!              [--fail-rate R] [--seed S] [--trickle-seconds T]
//! ```
//!
//! * `--port N`: the loopback port (default 0: any free port).
//! * `--records FILE`: an import-format JSON document the platform holds at start.
//! * `--generate N`: N made-up customers with two invoices each (and some payments).
//! * `--fail-rate R`: R of the contract's requests fail (half 503 with Retry-After, half
//!   dropped connections), seeded by `--seed`.
//! * `--trickle-seconds T`: every T seconds a new invoice arrives, so a demo keeps moving.
//!
//! Prints one JSON line `{"url": ..., "control": ...}` once it listens; runs until Ctrl-C
//! or SIGTERM. Exit status 2 for wrong arguments, 1 when it cannot start.
#![forbid(unsafe_code)]

use refplatform::{Faults, Platform};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: platform-run [--port N] (--key KEY | --key-file F) [--records FILE] [--generate N] [--fail-rate R] [--seed S] [--trickle-seconds T]";

#[derive(Default)]
struct Args {
    port: u16,
    key: Option<String>,
    records: Option<String>,
    generate: usize,
    fail_rate: f64,
    seed: u64,
    trickle: Option<u64>,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        seed: 1,
        ..Args::default()
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => a.port = value()?.parse().map_err(|_| "--port takes a number")?,
            "--key" => a.key = Some(value()?),
            "--key-file" => {
                let f = value()?;
                let text =
                    std::fs::read_to_string(&f).map_err(|e| format!("cannot read {f}: {e}"))?;
                a.key = Some(text.trim().to_owned());
            }
            "--records" => a.records = Some(value()?),
            "--generate" => {
                a.generate = value()?.parse().map_err(|_| "--generate takes a number")?
            }
            "--fail-rate" => {
                a.fail_rate = value()?
                    .parse()
                    .map_err(|_| "--fail-rate takes a number from 0 to 1")?;
                if !(0.0..=1.0).contains(&a.fail_rate) {
                    return Err("--fail-rate takes a number from 0 to 1".into());
                }
            }
            "--seed" => a.seed = value()?.parse().map_err(|_| "--seed takes a number")?,
            "--trickle-seconds" => {
                a.trickle = Some(
                    value()?
                        .parse()
                        .map_err(|_| "--trickle-seconds takes a number")?,
                )
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.key.as_deref().is_none_or(str::is_empty) {
        return Err("a key is required (--key or --key-file)".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(why) => {
            if !why.is_empty() {
                eprintln!("platform-run: {why}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let platform = Platform::new(args.key.clone().unwrap_or_default());
    if let Some(file) = &args.records {
        let doc = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
            .and_then(|d| platform.upsert(&d).map_err(|e| e.to_string()));
        if let Err(why) = doc {
            eprintln!("platform-run: cannot load {file}: {why}");
            return ExitCode::from(1);
        }
    }
    if args.generate > 0 {
        let doc = refplatform::sample::generate("G", args.generate, 2, args.seed);
        platform
            .upsert(&doc)
            .expect("generated documents are well formed");
    }
    if args.fail_rate > 0.0 {
        platform.set_faults(Faults::flaky(args.seed, args.fail_rate));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    rt.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("platform-run: cannot listen on 127.0.0.1:{}: {e}", args.port);
                return ExitCode::from(1);
            }
        };
        let addr = listener.local_addr().expect("a bound listener has an address");
        println!(
            "{}",
            serde_json::json!({"url": format!("http://{addr}"), "control": format!("http://{addr}/_control/summary")})
        );
        if let Some(secs) = args.trickle.filter(|s| *s > 0) {
            let p = platform.clone();
            tokio::spawn(async move {
                let mut n = 0usize;
                loop {
                    tokio::time::sleep(Duration::from_secs(secs)).await;
                    n += 1;
                    let doc = refplatform::sample::generate(&format!("T{n}-"), 1, 1, n as u64);
                    let _ = p.upsert(&doc);
                }
            });
        }
        platform.serve(listener, shutdown()).await;
        ExitCode::SUCCESS
    })
}

async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler installs");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
