//! When `fieldbridge serve` stops: the signals that ask a program without a window to end.
//! Owns which signals count on each platform; not what stopping does (the endpoint finishes
//! the request in hand, `qbwc::Bound::run`).
//!
//! - Unix: SIGINT (Ctrl-C) and SIGTERM (systemd, `kill`, the package's tests).
//! - Windows: Ctrl-C, Ctrl-Break, the console window closed, the user logging off, and the
//!   PC shutting down (`tokio::signal::windows`). Windows gives a console program about five
//!   seconds after a close, logoff or shutdown event before it ends it: enough for the
//!   request in hand, whose changes are one SQLite transaction either way.

/// Resolves at the first signal that asks the program to stop; returns its name for the log.
pub async fn requested() -> &'static str {
    #[cfg(unix)]
    {
        unix().await
    }
    #[cfg(windows)]
    {
        windows().await
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

#[cfg(unix)]
async fn unix() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => "Ctrl-C",
        _ = term => "SIGTERM",
    }
}

#[cfg(windows)]
async fn windows() -> &'static str {
    use tokio::signal::windows as w;
    // One console event; never resolves when it cannot be listened for (the others still
    // count).
    macro_rules! event {
        ($listen:expr) => {
            async {
                match $listen {
                    Ok(mut s) => {
                        s.recv().await;
                    }
                    Err(_) => std::future::pending::<()>().await,
                }
            }
        };
    }
    tokio::select! {
        _ = event!(w::ctrl_c()) => "Ctrl-C",
        _ = event!(w::ctrl_break()) => "Ctrl-Break",
        _ = event!(w::ctrl_close()) => "the console window closing",
        _ = event!(w::ctrl_logoff()) => "the user logging off",
        _ = event!(w::ctrl_shutdown()) => "Windows shutting down",
    }
}
