//! Benchmark 4: `fieldbridge serve` from spawn to accepting connections.
//!
//! ```text
//! cargo build --release -p fieldbridge --no-default-features --bin fieldbridge --example bench_startup
//! target/release/examples/bench_startup [RUNS]
//! ```
//! Each run spawns the binary (found next to the examples folder, or `$FIELDBRIDGE_BIN`) and
//! connects to its port every 0.5 ms until a connection is accepted; then kills it. Two
//! series: a data folder used before (the usual start) and a new one each time (the first
//! start ever: the folder, the database and its schema are created).

#[path = "bench_support/mod.rs"]
mod bench_support;

use bench_support::{machine, summary};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(p) = std::env::var_os("FIELDBRIDGE_BIN") {
        return Ok(p.into());
    }
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(|p| p.parent())
        .ok_or("the example is not inside a target folder")?;
    Ok(dir.join("fieldbridge"))
}

fn start_once(bin: &Path, data: &Path) -> Result<Duration, Box<dyn std::error::Error>> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let t = Instant::now();
    let mut child = Command::new(bin)
        .arg("--data-dir")
        .arg(data)
        .arg("--port")
        .arg(port.to_string())
        .arg("serve")
        .env_remove("FIELDBRIDGE_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        if t.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            return Err("serve did not accept a connection within 20 s".into());
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    let took = t.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    Ok(took)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(30);
    println!("machine: {}", machine());
    let bin = binary()?;
    let warm = tempfile::tempdir()?;
    start_once(&bin, warm.path())?; // creates the database once
    let mut used = Vec::new();
    for _ in 0..runs {
        used.push(start_once(&bin, warm.path())?);
    }
    let mut fresh = Vec::new();
    for _ in 0..runs {
        let dir = tempfile::tempdir()?;
        fresh.push(start_once(&bin, &dir.path().join("data"))?);
    }
    println!(
        "spawn -> accepting connections, data folder used before: {}",
        summary(&mut used)
    );
    println!(
        "spawn -> accepting connections, new data folder:        {}",
        summary(&mut fresh)
    );
    Ok(())
}
