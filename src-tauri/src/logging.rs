//! Logging: `tracing` to stderr and to a daily-rotating file in the data folder's `logs/`.
//!
//! What may be logged is decided where the data is, not here: passwords and tickets are never
//! passed to a log macro, and full qbXML bodies only at `debug`. The default level is `info`
//! (override with `FIELDBRIDGE_LOG`, e.g. `FIELDBRIDGE_LOG=debug`).

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter, Layer};

/// How many daily log files are kept.
const KEEP_LOG_FILES: usize = 14;

/// Keeps the file writer flushing; drop it last (at exit).
pub struct LogGuard {
    _file: Option<WorkerGuard>,
}

/// Starts logging to stderr (at `stderr_level` unless `FIELDBRIDGE_LOG` says otherwise) and to
/// `logs/fieldbridge.log.YYYY-MM-DD` in the data folder. Safe to call once per process; a
/// second call is ignored.
pub fn init(log_dir: Option<&Path>, stderr_level: &str) -> LogGuard {
    let filter = |default: &str| {
        EnvFilter::try_from_env("FIELDBRIDGE_LOG").unwrap_or_else(|_| EnvFilter::new(default))
    };
    let stderr_layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(filter(stderr_level));
    let (file_layer, guard) = match log_dir.and_then(|dir| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("fieldbridge")
            .filename_suffix("log")
            .max_log_files(KEEP_LOG_FILES)
            .build(dir)
            .ok()
    }) {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = fmt::layer()
                .with_writer(writer)
                .with_ansi(false)
                .with_filter(filter("info"));
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(stderr_layer)
        .with(file_layer)
        .try_init();
    LogGuard { _file: guard }
}
