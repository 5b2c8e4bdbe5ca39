//! The link's task: poll the platform for changes, deliver the event feed, and wait, for as
//! long as the program runs (`fieldbridge serve` and the desktop app, window open or not).
//!
//! # One cycle
//!
//! 1. Deliver every event after the delivered cursor, oldest first, at most 500 per request;
//!    the cursor moves only after a 2xx ([`deliver_all`]).
//! 2. When the poll interval has come: ask for changes from the stored cursor, store each
//!    page through the one import path with the new cursor in the same transaction, and ask
//!    again at once while `more` ([`poll_all`]). A page the import refuses is not stored, the
//!    cursor stays, a `link.rejected` event carries every problem, and the same page is asked
//!    for at the next poll.
//! 3. Deliver again (what the pages changed, at once).
//!
//! Between cycles the task sleeps until the next poll, but wakes for new events (a commit of
//! this process, or at most [`EVENT_CHECK`] later for changes made by another process such as
//! `fieldbridge import`), so results reach the platform promptly after each Web Connector
//! session. Failures follow the contract's table: backoff with jitter and `Retry-After`
//! ([`super::backoff`]); a refused key stops all calls until `link set` gives a new key or URL.
//!
//! SQLite runs on blocking threads (`spawn_blocking`), never on the async workers, and the
//! task never holds the store across a call to the platform, so it cannot slow the Web
//! Connector endpoint down.

use super::backoff::Backoff;
use super::client::{CallError, PlatformClient, DELIVERY_LIMIT, PAGE_LIMIT};
use crate::import::{self, Format, ImportError};
use crate::store::link::{self as state, LinkConfig, LinkState};
use crate::store::{events, Store, StoreError};
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often the task looks for events written by another process (its own commits wake it
/// at once).
pub const EVENT_CHECK: Duration = Duration::from_secs(2);
/// After a commit, wait this long for more before delivering, so a burst of changes goes
/// out as one request rather than one per commit.
pub const DELIVERY_SETTLE: Duration = Duration::from_millis(100);

/// What the link needs: the store and where the key is.
#[derive(Clone)]
pub struct Link {
    store: Store,
    key_file: PathBuf,
}

/// Why a cycle stopped early.
#[derive(Debug)]
enum Stop {
    Call(CallError),
    /// A local problem (the store, the key file): shown, retried with backoff.
    Local(String),
}

impl From<CallError> for Stop {
    fn from(e: CallError) -> Self {
        Stop::Call(e)
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Stop> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Stop::Local(format!("FieldBridge's link task stopped unexpectedly: {e}")))?
        .map_err(|e| {
            Stop::Local(format!(
                "FieldBridge could not read or write its database: {e}"
            ))
        })
}

impl Link {
    pub fn new(store: Store, key_file: PathBuf) -> Self {
        Self { store, key_file }
    }

    /// Runs until `shutdown` resolves. Never returns an error: every problem is recorded in
    /// the link's status (`link status`, the Connect page) and retried.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        let mut backoff = Backoff::new(seed);
        let mut commits = self.store.commits();
        let mut refused_generation: Option<i64> = None;
        let mut next_poll = Instant::now();
        // A refused changes page stays on screen until a poll stores one again.
        let mut rejected: Option<String> = None;
        loop {
            let cfg = {
                let store = self.store.clone();
                blocking(move || store.read(state::config)).await
            };
            let cfg = match cfg {
                Ok(Some(c)) if c.enabled && refused_generation != Some(c.generation) => c,
                _ => {
                    // Off, not set up, or the key was refused: look again when something changes.
                    tokio::select! {
                        _ = &mut shutdown => return,
                        _ = commits.changed() => {}
                        _ = tokio::time::sleep(EVENT_CHECK) => {}
                    }
                    continue;
                }
            };
            let poll_now = Instant::now() >= next_poll;
            match self.cycle(&cfg, poll_now).await {
                Ok(shown) => {
                    backoff.reset();
                    if poll_now {
                        next_poll = Instant::now() + Duration::from_secs(cfg.interval_s.into());
                        rejected = shown;
                    }
                    self.note(LinkState::Ok, rejected.clone()).await;
                    tokio::select! {
                        _ = &mut shutdown => return,
                        _ = self.wait_for_work(&mut commits, next_poll) => {}
                    }
                }
                Err(Stop::Call(CallError::KeyRefused { status })) => {
                    let why = CallError::KeyRefused { status }.to_string();
                    tracing::warn!(
                        status,
                        "the platform refused the key; the link waits for a new key"
                    );
                    refused_generation = Some(cfg.generation);
                    self.note(LinkState::KeyRefused, Some(why)).await;
                }
                Err(stop) => {
                    let (problem, retry_after) = match stop {
                        Stop::Call(CallError::Retry {
                            problem,
                            retry_after,
                        }) => (problem, retry_after),
                        Stop::Call(other) => (other.to_string(), None),
                        Stop::Local(problem) => (problem, None),
                    };
                    let wait = backoff.next_wait(retry_after);
                    tracing::info!(failures = backoff.failures(), wait_ms = wait.as_millis() as u64, %problem, "platform link call failed; retrying");
                    self.note(LinkState::Failing, Some(problem)).await;
                    tokio::select! {
                        _ = &mut shutdown => return,
                        _ = tokio::time::sleep(wait) => {}
                    }
                }
            }
        }
    }

    /// Sleeps until the next poll is due or there are events to deliver.
    async fn wait_for_work(
        &self,
        commits: &mut tokio::sync::watch::Receiver<u64>,
        next_poll: Instant,
    ) {
        loop {
            let now = Instant::now();
            if now >= next_poll {
                return;
            }
            let nap = (next_poll - now).min(EVENT_CHECK);
            let woke_by_commit = tokio::select! {
                r = commits.changed() => r.is_ok(),
                _ = tokio::time::sleep(nap) => false,
            };
            if woke_by_commit {
                tokio::time::sleep(DELIVERY_SETTLE).await;
            }
            if self.undelivered().await > 0 {
                return;
            }
        }
    }

    async fn undelivered(&self) -> u64 {
        let store = self.store.clone();
        blocking(move || store.read(|c| events::count_after(c, state::delivered_seq(c)?)))
            .await
            .unwrap_or(0)
    }

    async fn note(&self, s: LinkState, problem: Option<String>) {
        let store = self.store.clone();
        let _ =
            blocking(move || store.write(|tx| state::note_state(tx, s, problem.as_deref()))).await;
    }

    async fn client(&self, cfg: &LinkConfig) -> Result<PlatformClient, Stop> {
        let path = self.key_file.clone();
        let key = tokio::task::spawn_blocking(move || crate::qbwc::password::read_secret(&path))
            .await
            .map_err(|e| Stop::Local(e.to_string()))?
            .map_err(|_| {
                Stop::Local("FieldBridge has no key for the platform (its key file is missing or unreadable). Enter the platform's API key again in the Connect page or with `fieldbridge link set`.".into())
            })?;
        PlatformClient::new(&cfg.url, key.expose()).map_err(Stop::Local)
    }

    /// One cycle; `Ok(Some(problem))` when the platform's page was refused (the link works,
    /// the platform's data needs fixing).
    async fn cycle(&self, cfg: &LinkConfig, poll: bool) -> Result<Option<String>, Stop> {
        let client = self.client(cfg).await?;
        self.deliver_all(&client).await?;
        if !poll {
            return Ok(None);
        }
        let shown = self.poll_all(&client).await?;
        self.deliver_all(&client).await?;
        Ok(shown)
    }

    /// Delivers every undelivered event, in order, in batches of at most 500.
    async fn deliver_all(&self, client: &PlatformClient) -> Result<(), Stop> {
        loop {
            let store = self.store.clone();
            let (source, batch) = blocking(move || {
                let source = store.write(state::installation_id)?;
                let batch =
                    store.read(|c| events::after(c, state::delivered_seq(c)?, DELIVERY_LIMIT))?;
                Ok((source, batch))
            })
            .await?;
            let (Some(first), Some(last)) =
                (batch.first().map(|e| e.seq), batch.last().map(|e| e.seq))
            else {
                return Ok(());
            };
            client.deliver(&source, &batch, first, last).await?;
            tracing::debug!(first, last, "events delivered to the platform");
            let store = self.store.clone();
            blocking(move || store.write(|tx| state::set_delivered_seq(tx, last))).await?;
        }
    }

    /// Asks for changes until the platform has no more; each page stored with its cursor.
    /// `Ok(Some(problem))`: a page was refused (reported to the platform, asked again later).
    async fn poll_all(&self, client: &PlatformClient) -> Result<Option<String>, Stop> {
        loop {
            let store = self.store.clone();
            let cursor = blocking(move || store.read(state::changes_cursor)).await?;
            let page = client.changes(cursor.as_deref(), PAGE_LIMIT).await?;
            let store = self.store.clone();
            let next = page.cursor.clone();
            let stored = tokio::task::spawn_blocking(move || {
                import::import_as_then(
                    &store,
                    "the platform's changes page",
                    page.records.get().as_bytes(),
                    Format::Json,
                    |tx| state::set_changes_cursor(tx, &next),
                )
            })
            .await
            .map_err(|e| Stop::Local(e.to_string()))?;
            match stored {
                Ok(summary) => {
                    tracing::info!(%summary, "records from the platform stored");
                    if !page.more {
                        let store = self.store.clone();
                        blocking(move || store.write(state::note_poll)).await?;
                        return Ok(None);
                    }
                }
                Err(ImportError::Rejected(rejection)) => {
                    let problem = format!(
                        "The platform sent records FieldBridge cannot accept ({} problem{}; first: {}). Nothing from that page was stored; FieldBridge asks for it again at the next poll, and the platform was told every problem.",
                        rejection.total,
                        if rejection.total == 1 { "" } else { "s" },
                        rejection.problems.first().map(String::as_str).unwrap_or("unknown"),
                    );
                    tracing::warn!(
                        problems = rejection.total,
                        "a changes page from the platform was refused"
                    );
                    let store = self.store.clone();
                    blocking(move || {
                        store.write(|tx| {
                            events::append(
                                tx,
                                "link.rejected",
                                None,
                                None,
                                &serde_json::json!({"cursor": cursor, "errors": rejection.details, "problems": rejection.total}),
                            )
                            .map(|_| ())
                        })
                    })
                    .await?;
                    return Ok(Some(problem));
                }
                Err(ImportError::Store(e)) => {
                    return Err(Stop::Local(format!(
                        "FieldBridge could not store the platform's records: {e}"
                    )))
                }
                Err(other) => return Err(Stop::Local(other.to_string())),
            }
        }
    }
}
