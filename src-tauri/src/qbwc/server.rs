//! The HTTP server: loopback listeners, the accept loop, connections, graceful shutdown.
//!
//! Owns: binding 127.0.0.1 and ::1 on one port, accepting under the connection cap, the
//! idle-session sweep, and shutting down (stop accepting, let the request in hand finish,
//! tell the handler about sessions left open). Does not own: one connection's HTTP and
//! deadlines (`connection`), what a request gets (`routes`).

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

use super::connection::{self, Deadlines};
use super::handler::QbwcHandler;
use super::routes::Site;
use super::session::Sessions;
use super::shared::Shared;
use super::{support, wsdl};

/// The port the endpoint listens on unless `--port` / `FIELDBRIDGE_PORT` says otherwise.
/// An unusual port (no common service or development server defaults to it) below every
/// operating system's ephemeral range (Windows 49152+, Linux 32768+), so an outgoing
/// connection never holds it.
pub const DEFAULT_PORT: u16 = 8711;

/// The largest request body accepted. The Web Connector's biggest bodies are
/// receiveResponseXML answers to queries; our queries page with MaxReturned, so a page is a
/// few MiB at most. 32 MiB leaves wide room and still bounds memory per connection.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// Connections served at once. The Web Connector uses one; a few more allow the WSDL
/// checker or a browser on the support page. More would only be a misbehaving client.
pub const MAX_CONNECTIONS: usize = 16;
/// How long a client may take from a request's first byte to its last header (slowloris).
/// It applies to a request that has started, never to an idle kept-alive connection (that
/// is [`IDLE_CONNECTION_TIMEOUT`]; see `connection`). The Web Connector sends its headers in
/// one write over loopback; 30 s only matters to a stalled or hostile client.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
pub use super::connection::IDLE_CONNECTION_TIMEOUT;
/// How long a client may take to send a body; 32 MiB over loopback takes well under a second.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(120);
/// A session with no call for this long is over (the Web Connector vanished) and a new one
/// may start. Between calls QuickBooks works on our request, which for a large page can take
/// minutes; 20 minutes covers that while not keeping a crashed run's `busy` for long.
pub const SESSION_IDLE_TIMEOUT: Duration = Duration::from_secs(20 * 60);
/// How often idle sessions are looked for.
const SWEEP_INTERVAL: Duration = Duration::from_secs(30);
/// At shutdown, how long the requests in hand may take to finish before we stop waiting.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(60);
/// Tries at finding a port free on both 127.0.0.1 and ::1 when the port is chosen by the OS.
const EPHEMERAL_BIND_ATTEMPTS: usize = 16;
/// The pause after a failed accept (e.g. out of file handles) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(250);

/// Limits; [`Limits::default`] gives the named constants above.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_connections: usize,
    pub idle_connection_timeout: Duration,
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    pub session_idle_timeout: Duration,
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: MAX_BODY_BYTES,
            max_connections: MAX_CONNECTIONS,
            idle_connection_timeout: IDLE_CONNECTION_TIMEOUT,
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            session_idle_timeout: SESSION_IDLE_TIMEOUT,
            shutdown_grace: SHUTDOWN_GRACE,
        }
    }
}

/// Everything needed to run the endpoint.
#[derive(Clone)]
pub struct Endpoint {
    /// 0 lets the operating system choose (tests); see [`Bound::local_port`].
    pub port: u16,
    /// The .qwc's UserName; authenticate must name it.
    pub user_name: String,
    /// The password file (`DataDir::password_file`), read on every authenticate.
    pub password_file: PathBuf,
    pub handler: Arc<dyn QbwcHandler>,
    pub limits: Limits,
    /// The local API served under `/api/v1` on the same port, if any.
    pub api: Option<Arc<crate::api::Api>>,
}

impl Endpoint {
    /// An endpoint with the default limits.
    pub fn new(
        port: u16,
        user_name: impl Into<String>,
        password_file: impl Into<PathBuf>,
        handler: Arc<dyn QbwcHandler>,
    ) -> Self {
        Endpoint {
            port,
            user_name: user_name.into(),
            password_file: password_file.into(),
            handler,
            limits: Limits::default(),
            api: None,
        }
    }
}

/// Why the endpoint could not start listening. Each message is one sentence a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    #[error("Port {port} is already in use on this computer (is FieldBridge already running?). Close the other program or choose another port with --port or FIELDBRIDGE_PORT.")]
    PortInUse { port: u16 },
    #[error("This computer does not allow FieldBridge to listen on port {port} (it may be reserved by the system or another program). Choose another port with --port or FIELDBRIDGE_PORT.")]
    PortNotAllowed { port: u16 },
    #[error("FieldBridge could not listen on {address}: {source}.")]
    Other {
        address: SocketAddr,
        source: std::io::Error,
    },
}

/// A listening endpoint, not yet serving: [`Bound::run`] serves it.
pub struct Bound {
    v4: TcpListener,
    v6: Option<TcpListener>,
    port: u16,
    config: Endpoint,
}

/// Binds 127.0.0.1 and ::1 on the configured port (never any other address). When ::1 is not
/// available on this computer, 127.0.0.1 alone is used and that is logged.
pub async fn bind(config: Endpoint) -> Result<Bound, BindError> {
    let attempts = if config.port == 0 {
        EPHEMERAL_BIND_ATTEMPTS
    } else {
        1
    };
    let mut last_err = None;
    for _ in 0..attempts {
        let v4 = listen(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            config.port,
        ))
        .await?;
        let port = v4
            .local_addr()
            .map_err(|source| BindError::Other {
                address: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), config.port),
                source,
            })?
            .port();
        let v6_addr = SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port);
        let err = match listen(v6_addr).await {
            Ok(v6) => return Ok(Bound::new(v4, Some(v6), port, config)),
            Err(err) => err,
        };
        match when_v6_fails(&err, config.port == 0) {
            V6Failure::TryAnotherPort => last_err = Some(err),
            V6Failure::Fatal => return Err(err),
            V6Failure::Ipv4Only => {
                tracing::info!(
                    "FieldBridge cannot listen on IPv6 loopback [::1]:{port} ({err}); listening on 127.0.0.1 only"
                );
                return Ok(Bound::new(v4, None, port, config));
            }
        }
    }
    Err(last_err.unwrap_or(BindError::PortInUse { port: config.port }))
}

/// What to do when 127.0.0.1 was bound and ::1 on the same port was not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum V6Failure {
    /// The port was chosen by the OS for 127.0.0.1 and is taken on ::1: try another.
    TryAnotherPort,
    /// Listen on 127.0.0.1 alone. `localhost` still reaches it: the Web Connector falls back
    /// to 127.0.0.1 when ::1 refuses the connection.
    Ipv4Only,
    /// Stop and say why.
    Fatal,
}

/// The decision after ::1 failed. A port in use on ::1 is another program holding our port:
/// fatal (the Web Connector might reach that program instead of us). Refused with a permission
/// error (a firewall or policy that reserves ::1, an excluded port range on IPv6 only) or ::1
/// missing altogether (IPv6 turned off): 127.0.0.1 alone serves.
fn when_v6_fails(err: &BindError, port_chosen_by_os: bool) -> V6Failure {
    match err {
        BindError::PortInUse { .. } if port_chosen_by_os => V6Failure::TryAnotherPort,
        BindError::PortInUse { .. } => V6Failure::Fatal,
        BindError::PortNotAllowed { .. } | BindError::Other { .. } => V6Failure::Ipv4Only,
    }
}

async fn listen(address: SocketAddr) -> Result<TcpListener, BindError> {
    TcpListener::bind(address)
        .await
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AddrInUse => BindError::PortInUse {
                port: address.port(),
            },
            std::io::ErrorKind::PermissionDenied => BindError::PortNotAllowed {
                port: address.port(),
            },
            _ => BindError::Other { address, source },
        })
}

impl Bound {
    fn new(v4: TcpListener, v6: Option<TcpListener>, port: u16, config: Endpoint) -> Self {
        Bound {
            v4,
            v6,
            port,
            config,
        }
    }

    /// The port actually listened on (the chosen one when configured as 0).
    pub fn local_port(&self) -> u16 {
        self.port
    }

    /// The addresses listened on: 127.0.0.1 and, when available, ::1.
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        std::iter::once(&self.v4)
            .chain(self.v6.as_ref())
            .filter_map(|l| l.local_addr().ok())
            .collect()
    }

    /// The URL the Web Connector calls, e.g. `http://localhost:8711/qbwc`.
    pub fn soap_url(&self) -> String {
        super::soap_url(self.port)
    }

    /// Serves until `shutdown` completes; then stops accepting, lets the requests in hand
    /// finish (up to the shutdown grace), tells the handler about sessions left open
    /// (`abandon_session`), and returns.
    pub async fn run(self, shutdown: impl Future) {
        let Bound {
            v4,
            v6,
            port,
            config,
        } = self;
        let limits = config.limits.clone();
        let shared = Arc::new(Shared::new(
            config.user_name,
            config.password_file.clone(),
            config.handler,
            Sessions::new(limits.session_idle_timeout),
        ));
        let site = Arc::new(Site {
            shared: Arc::clone(&shared),
            wsdl: Bytes::from(wsdl::render(port)),
            support_page: Bytes::from(support::render(port, &config.password_file)),
            max_body_bytes: limits.max_body_bytes,
            body_read_timeout: limits.body_read_timeout,
            api: config.api.clone(),
        });
        let connections = Arc::new(Semaphore::new(limits.max_connections));
        let (stop_tx, stop_rx) = watch::channel(false);
        tracing::info!(
            "Web Connector endpoint listening at {}",
            super::soap_url(port)
        );

        tokio::select! {
            () = accept_loop(&v4, v6.as_ref(), &site, &connections, &stop_rx, &limits) => {}
            () = sweep_loop(&shared) => {}
            _ = shutdown => tracing::info!("Web Connector endpoint stopping"),
        }

        drop(v4);
        drop(v6);
        let _ = stop_tx.send(true);
        let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
        match tokio::time::timeout(limits.shutdown_grace, connections.acquire_many(all)).await {
            Ok(_) => {}
            Err(_) => tracing::warn!(
                "stopped waiting for open requests after {:?}",
                limits.shutdown_grace
            ),
        }
        let open = shared.sessions.drain();
        shared
            .abandon(open, "FieldBridge stopped during the session")
            .await;
        tracing::info!("Web Connector endpoint stopped");
    }
}

async fn accept_loop(
    v4: &TcpListener,
    v6: Option<&TcpListener>,
    site: &Arc<Site>,
    connections: &Arc<Semaphore>,
    stop: &watch::Receiver<bool>,
    limits: &Limits,
) {
    loop {
        // Wait for a free slot before accepting, so the cap is never exceeded.
        let Ok(permit) = Arc::clone(connections).acquire_owned().await else {
            return;
        };
        let accepted = accept(v4, v6).await;
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(err) => {
                tracing::warn!("accepting a connection failed: {err}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        // INVARIANT: the listeners are bound to loopback addresses only; a non-loopback peer
        // would mean the OS routed something unexpected, and it is dropped.
        if !peer.ip().is_loopback() {
            tracing::warn!(%peer, "dropped a connection from outside this computer");
            continue;
        }
        let site = Arc::clone(site);
        let stop = stop.clone();
        let deadlines = Deadlines {
            idle: limits.idle_connection_timeout,
            header: limits.header_read_timeout,
        };
        tokio::spawn(async move {
            connection::serve(stream, site, stop, deadlines).await;
            drop(permit);
        });
    }
}

/// The next connection on either listener, its socket options set (`connection::configure`).
async fn accept(
    v4: &TcpListener,
    v6: Option<&TcpListener>,
) -> std::io::Result<(TcpStream, SocketAddr)> {
    let (stream, peer) = tokio::select! {
        r = v4.accept() => r,
        r = accept_v6(v6) => r,
    }?;
    connection::configure(&stream);
    Ok((stream, peer))
}

async fn accept_v6(v6: Option<&TcpListener>) -> std::io::Result<(TcpStream, SocketAddr)> {
    match v6 {
        Some(l) => l.accept().await,
        None => std::future::pending().await,
    }
}

async fn sweep_loop(shared: &Shared) {
    let mut tick = tokio::time::interval(SWEEP_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        shared.expire_idle(Instant::now()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: ::1 alone refused with a permission error falls back to 127.0.0.1; a port
    /// in use on ::1 stays fatal (another program could answer the Web Connector there).
    #[test]
    fn when_only_ipv6_loopback_fails_permission_falls_back_and_in_use_is_fatal() {
        let in_use = BindError::PortInUse { port: 8711 };
        let denied = BindError::PortNotAllowed { port: 8711 };
        let missing = BindError::Other {
            address: SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 8711),
            source: std::io::Error::from(std::io::ErrorKind::AddrNotAvailable),
        };
        for (err, os_chose, expected) in [
            (&in_use, false, V6Failure::Fatal),
            (&in_use, true, V6Failure::TryAnotherPort),
            (&denied, false, V6Failure::Ipv4Only),
            (&denied, true, V6Failure::Ipv4Only),
            (&missing, false, V6Failure::Ipv4Only),
        ] {
            assert_eq!(
                when_v6_fails(err, os_chose),
                expected,
                "{err} (port chosen by the OS: {os_chose})"
            );
        }
    }

    /// A client sending `Expect: 100-continue` and its body at once stalls on Nagle's
    /// algorithm unless TCP_NODELAY is set (see `connection::configure`).
    #[tokio::test]
    async fn accepted_connections_have_tcp_nodelay() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let client = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        assert!(
            !client.nodelay().expect("read option"),
            "off unless set (else this test proves nothing)"
        );
        let (accepted, _) = accept(&listener, None).await.expect("accept");
        assert!(
            accepted.nodelay().expect("read option"),
            "the endpoint's accept sets TCP_NODELAY"
        );
    }
}
