//! The platform link's durable state (`shared/design/platform-link.md`): where the platform
//! is, how often to poll, this installation's id, the changes cursor, how far the event feed
//! was delivered, and the link's health as a person sees it. Kept as `link.*` rows of the
//! settings table, so the changes cursor can be written in the same transaction as the page
//! it follows (INVARIANT: a page is stored iff the cursor after it is).
//!
//! Owns no HTTP and no scheduling (the `link` module does); the key itself lives in a file of its own
//! (never in the database, never logged).

use super::settings::{get_raw, set_raw};
use super::{now_utc, StoreError};
use rusqlite::{Connection, Transaction};

/// Seconds between polls when nobody chose (the contract's default).
pub const DEFAULT_INTERVAL_S: u32 = 60;
/// The contract's bounds on the poll interval.
pub const INTERVAL_RANGE: std::ops::RangeInclusive<u32> = 10..=3600;

const URL: &str = "link.url";
const INTERVAL: &str = "link.interval_s";
const ENABLED: &str = "link.enabled";
const INSTALLATION: &str = "link.installation_id";
const CURSOR: &str = "link.changes_cursor";
const DELIVERED: &str = "link.delivered_seq";
const STATE: &str = "link.state";
const LAST_POLL: &str = "link.last_poll_at";
const LAST_DELIVERY: &str = "link.last_delivery_at";
const LAST_PROBLEM: &str = "link.last_problem";
const GENERATION: &str = "link.generation";

/// The link's health, as `link status` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// The last calls went through.
    Ok,
    /// Calls fail (network, platform errors); they are retried with backoff.
    Failing,
    /// The platform refused the key (401/403): no calls until the key or URL changes.
    KeyRefused,
    /// No link is set up, or it was switched off.
    Off,
}

impl LinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Ok => "ok",
            LinkState::Failing => "failing",
            LinkState::KeyRefused => "key_refused",
            LinkState::Off => "off",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        Ok(match text {
            "ok" => LinkState::Ok,
            "failing" => LinkState::Failing,
            "key_refused" => LinkState::KeyRefused,
            "off" => LinkState::Off,
            other => {
                return Err(StoreError::Corrupt {
                    place: "settings link.state",
                    value: other.to_owned(),
                    expected: "ok, failing, key_refused or off",
                })
            }
        })
    }
}

/// Where the platform is and how often to ask it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkConfig {
    pub url: String,
    pub interval_s: u32,
    pub enabled: bool,
    /// Bumped by every `set`: the running link notices a new URL or key and a key refusal
    /// is lifted.
    pub generation: i64,
}

/// Everything `link status` shows (the contract's `link status --json` fields).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LinkStatus {
    pub url: Option<String>,
    pub enabled: bool,
    pub state: LinkState,
    pub last_poll_at: Option<String>,
    pub last_delivery_at: Option<String>,
    pub last_problem: Option<String>,
    pub changes_cursor: Option<String>,
    pub events_pending: u64,
    pub interval_s: u32,
}

/// The link's settings, or None when no link was ever set up.
pub fn config(conn: &Connection) -> Result<Option<LinkConfig>, StoreError> {
    let Some(url) = get_raw(conn, URL)? else {
        return Ok(None);
    };
    let interval_s = get_raw(conn, INTERVAL)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_INTERVAL_S);
    let enabled = get_raw(conn, ENABLED)?.as_deref() == Some("1");
    let generation = get_raw(conn, GENERATION)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(Some(LinkConfig {
        url,
        interval_s,
        enabled,
        generation,
    }))
}

/// Sets up (or changes) the link and switches it on. A new URL or key lifts a key refusal.
/// The changes cursor is kept when the URL is the same platform, and dropped when it
/// changes (another platform's cursor means nothing).
pub fn set(tx: &Transaction<'_>, url: &str, interval_s: u32) -> Result<(), StoreError> {
    if get_raw(tx, URL)?.as_deref() != Some(url) {
        set_raw(tx, CURSOR, None)?;
    }
    set_raw(tx, URL, Some(url))?;
    set_raw(tx, INTERVAL, Some(&interval_s.to_string()))?;
    set_raw(tx, ENABLED, Some("1"))?;
    let generation = get_raw(tx, GENERATION)?
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0)
        + 1;
    set_raw(tx, GENERATION, Some(&generation.to_string()))?;
    set_raw(tx, STATE, Some(LinkState::Ok.as_str()))?;
    set_raw(tx, LAST_PROBLEM, None)
}

/// Switches the link off (its settings and cursors are kept for `link set` again).
pub fn switch_off(tx: &Transaction<'_>) -> Result<(), StoreError> {
    set_raw(tx, ENABLED, Some("0"))?;
    set_raw(tx, STATE, Some(LinkState::Off.as_str()))
}

/// This installation's id (`source` of every delivery), made once per data folder.
pub fn installation_id(tx: &Transaction<'_>) -> Result<String, StoreError> {
    if let Some(id) = get_raw(tx, INSTALLATION)? {
        return Ok(id);
    }
    let id = uuid::Uuid::new_v4().to_string();
    set_raw(tx, INSTALLATION, Some(&id))?;
    Ok(id)
}

/// The changes cursor the next poll sends (None: from the beginning).
pub fn changes_cursor(conn: &Connection) -> Result<Option<String>, StoreError> {
    get_raw(conn, CURSOR)
}

/// Saves the cursor after a page: call in the transaction that stored the page.
pub fn set_changes_cursor(tx: &Transaction<'_>, cursor: &str) -> Result<(), StoreError> {
    set_raw(tx, CURSOR, Some(cursor))?;
    set_raw(tx, LAST_POLL, Some(&now_utc()))
}

/// The last event seq the platform acknowledged (0: none yet).
pub fn delivered_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(get_raw(conn, DELIVERED)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Moves the delivered cursor after a 2xx. INVARIANT: it never moves backwards.
pub fn set_delivered_seq(tx: &Transaction<'_>, seq: i64) -> Result<(), StoreError> {
    if seq > delivered_seq(tx)? {
        set_raw(tx, DELIVERED, Some(&seq.to_string()))?;
    }
    set_raw(tx, LAST_DELIVERY, Some(&now_utc()))
}

/// A poll that found nothing new still counts as contact.
pub fn note_poll(tx: &Transaction<'_>) -> Result<(), StoreError> {
    set_raw(tx, LAST_POLL, Some(&now_utc()))
}

/// Records the link's health after a call: `problem` in plain English, or None when fine.
/// A link switched off stays off whatever a late call reports.
pub fn note_state(
    tx: &Transaction<'_>,
    state: LinkState,
    problem: Option<&str>,
) -> Result<(), StoreError> {
    if get_raw(tx, ENABLED)?.as_deref() != Some("1") {
        return Ok(());
    }
    set_raw(tx, STATE, Some(state.as_str()))?;
    set_raw(tx, LAST_PROBLEM, problem)
}

/// The whole status; `events_pending` is given by the caller (the event feed's count after
/// the delivered cursor).
pub fn status(conn: &Connection, events_pending: u64) -> Result<LinkStatus, StoreError> {
    let cfg = config(conn)?;
    let enabled = cfg.as_ref().is_some_and(|c| c.enabled);
    let state = match get_raw(conn, STATE)? {
        _ if !enabled => LinkState::Off,
        Some(s) => LinkState::parse(&s)?,
        None => LinkState::Ok,
    };
    Ok(LinkStatus {
        url: cfg.as_ref().map(|c| c.url.clone()),
        enabled,
        state,
        last_poll_at: get_raw(conn, LAST_POLL)?,
        last_delivery_at: get_raw(conn, LAST_DELIVERY)?,
        last_problem: get_raw(conn, LAST_PROBLEM)?,
        changes_cursor: get_raw(conn, CURSOR)?,
        events_pending,
        interval_s: cfg.map_or(DEFAULT_INTERVAL_S, |c| c.interval_s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_new_url_drops_the_cursor_and_lifts_a_key_refusal_while_the_same_url_keeps_it() {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| -> Result<(), StoreError> {
                set(tx, "https://p.example", 60)?;
                set_changes_cursor(tx, "c10")?;
                note_state(
                    tx,
                    LinkState::KeyRefused,
                    Some("The platform refused the key."),
                )?;
                set(tx, "https://p.example", 120)?;
                Ok(())
            })
            .unwrap();
        let s = store.read(|c| status(c, 3)).unwrap();
        assert_eq!(
            s.changes_cursor.as_deref(),
            Some("c10"),
            "same platform, same cursor"
        );
        assert_eq!(s.state, LinkState::Ok, "a new `link set` lifts the refusal");
        assert_eq!((s.interval_s, s.events_pending), (120, 3));
        store
            .write(|tx| set(tx, "https://other.example", 60))
            .unwrap();
        assert_eq!(
            store.read(changes_cursor).unwrap(),
            None,
            "another platform starts from its beginning"
        );
    }

    #[test]
    fn switched_off_stays_off_and_the_delivered_cursor_never_goes_back() {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| -> Result<(), StoreError> {
                set(tx, "https://p.example", 60)?;
                set_delivered_seq(tx, 40)?;
                set_delivered_seq(tx, 12)?;
                switch_off(tx)?;
                note_state(tx, LinkState::Failing, Some("late"))
            })
            .unwrap();
        assert_eq!(store.read(delivered_seq).unwrap(), 40);
        let s = store.read(|c| status(c, 0)).unwrap();
        assert_eq!((s.enabled, s.state), (false, LinkState::Off));
        assert_eq!(
            s.last_problem, None,
            "a call that ends after `link off` reports nothing"
        );
    }

    #[test]
    fn the_installation_id_is_made_once() {
        let store = Store::open_in_memory().unwrap();
        let a = store.write(installation_id).unwrap();
        let b = store.write(installation_id).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 36);
    }
}
