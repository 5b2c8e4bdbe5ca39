//! When `fieldbridge serve` stops: the signals that ask a program without a window to end.
//! Owns which signals count on each platform; not what stopping does (the endpoint finishes
//! the request in hand, `qbwc::Bound::run`).
//!
//! - Unix: SIGINT (Ctrl-C) and SIGTERM (systemd, `kill`, the package's tests).
//! - Windows: Ctrl-C, Ctrl-Break, the console window closed, the user logging off, and the
//!   PC shutting down (`tokio::signal::windows`). Windows gives a console program about five
//!   seconds after a close, logoff or shutdown event before it ends it: enough for the
//!   request in hand, whose changes are one SQLite transaction either way.

/// Starts listening for the signals now (inside a tokio runtime): a signal that arrives
/// before anyone awaits [`Listener::requested`] still counts, instead of ending the program
/// by the system's default. `serve` listens before it binds its port, so a signal sent as
/// soon as the port answers is never missed.
pub fn listen() -> Listener {
    Listener::new()
}

#[cfg(unix)]
pub struct Listener {
    interrupt: Option<tokio::signal::unix::Signal>,
    terminate: Option<tokio::signal::unix::Signal>,
}

#[cfg(unix)]
impl Listener {
    fn new() -> Self {
        use tokio::signal::unix::{signal, SignalKind};
        Listener {
            interrupt: signal(SignalKind::interrupt()).ok(),
            terminate: signal(SignalKind::terminate()).ok(),
        }
    }

    /// Resolves at the first signal; returns its name for the log.
    pub async fn requested(mut self) -> &'static str {
        tokio::select! {
            _ = recv(self.interrupt.as_mut()) => "Ctrl-C",
            _ = recv(self.terminate.as_mut()) => "SIGTERM",
        }
    }
}

/// One signal stream's next signal; never, when it could not be listened for (the others
/// still count).
#[cfg(unix)]
async fn recv(s: Option<&mut tokio::signal::unix::Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

#[cfg(windows)]
pub struct Listener {
    c: Option<tokio::signal::windows::CtrlC>,
    brk: Option<tokio::signal::windows::CtrlBreak>,
    close: Option<tokio::signal::windows::CtrlClose>,
    logoff: Option<tokio::signal::windows::CtrlLogoff>,
    shutdown: Option<tokio::signal::windows::CtrlShutdown>,
}

#[cfg(windows)]
impl Listener {
    fn new() -> Self {
        use tokio::signal::windows as w;
        Listener {
            c: w::ctrl_c().ok(),
            brk: w::ctrl_break().ok(),
            close: w::ctrl_close().ok(),
            logoff: w::ctrl_logoff().ok(),
            shutdown: w::ctrl_shutdown().ok(),
        }
    }

    /// Resolves at the first console event; returns its name for the log. An event that
    /// could not be listened for never resolves (the others still count).
    pub async fn requested(mut self) -> &'static str {
        macro_rules! event {
            ($s:expr) => {
                async {
                    match $s.as_mut() {
                        Some(s) => {
                            s.recv().await;
                        }
                        None => std::future::pending::<()>().await,
                    }
                }
            };
        }
        tokio::select! {
            _ = event!(self.c) => "Ctrl-C",
            _ = event!(self.brk) => "Ctrl-Break",
            _ = event!(self.close) => "the console window closing",
            _ = event!(self.logoff) => "the user logging off",
            _ = event!(self.shutdown) => "Windows shutting down",
        }
    }
}

#[cfg(not(any(unix, windows)))]
pub struct Listener;

#[cfg(not(any(unix, windows)))]
impl Listener {
    fn new() -> Self {
        Listener
    }

    pub async fn requested(self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
