//! Setting the link up, switching it off, and reading its status: the operations behind
//! `fieldbridge link set | off | status` and the Connect page's platform card (both edges
//! call these). Checks the URL and interval, stores the key owner-only, and asks nothing of
//! the platform (the running link does; "Test connection" is [`test_connection`]).

use super::client::{check_url, CallError, PlatformClient};
use crate::qbwc::password;
use crate::store::link::{self as state, LinkStatus, INTERVAL_RANGE};
use crate::store::{events, Store, StoreError};
use std::path::Path;

/// Why a link operation could not be done, in words for the person who asked.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The URL, key or interval given cannot be used (a usage error: exit 2).
    #[error("{0}")]
    Invalid(String),
    #[error("cannot store the platform's key: {0}")]
    Key(#[from] password::PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// "Test connection" reached the platform but it said no, or did not answer.
    #[error("{0}")]
    Unreachable(String),
}

/// Sets up (or changes) the link: the URL (https, or http for this computer), the key, and
/// the poll interval in seconds (None keeps the current one, else the default).
pub fn set(
    store: &Store,
    key_file: &Path,
    url: &str,
    key: &str,
    interval_s: Option<u32>,
) -> Result<(), LinkError> {
    let url = check_url(url).map_err(LinkError::Invalid)?;
    let key = key.trim();
    if key.is_empty() {
        return Err(LinkError::Invalid(
            "the platform's key is empty; give the API key the platform issued".into(),
        ));
    }
    if key.chars().any(|c| c.is_control() || c == ' ') {
        return Err(LinkError::Invalid("the platform's key contains spaces or control characters; copy it again from the platform".into()));
    }
    if let Some(i) = interval_s {
        if !INTERVAL_RANGE.contains(&i) {
            return Err(LinkError::Invalid(format!(
                "the poll interval must be from {} to {} seconds",
                INTERVAL_RANGE.start(),
                INTERVAL_RANGE.end()
            )));
        }
    }
    password::store_secret(key_file, password::given(key))?;
    let current = store.read(state::config)?;
    let interval = interval_s
        .or(current.map(|c| c.interval_s))
        .unwrap_or(state::DEFAULT_INTERVAL_S);
    store.write(|tx| {
        state::installation_id(tx)?;
        state::set(tx, &url, interval)
    })?;
    Ok(())
}

/// Switches the link off (nothing is forgotten: `link set` resumes where it stopped).
pub fn off(store: &Store) -> Result<(), LinkError> {
    Ok(store.write(state::switch_off)?)
}

/// Where the link stands (`link status`).
pub fn status(store: &Store) -> Result<LinkStatus, LinkError> {
    Ok(store.read(|c| {
        let pending = events::count_after(c, state::delivered_seq(c)?)?;
        state::status(c, pending)
    })?)
}

/// Asks the platform for one record without storing it or moving any cursor: the Connect
/// page's "Test connection". Ok is the platform answering with the contract's shape.
pub async fn test_connection(url: &str, key: &str) -> Result<(), LinkError> {
    let url = check_url(url).map_err(LinkError::Invalid)?;
    let client = PlatformClient::new(&url, key).map_err(LinkError::Unreachable)?;
    match client.changes(None, 1).await {
        Ok(_) => Ok(()),
        Err(e @ CallError::KeyRefused { .. }) => Err(LinkError::Unreachable(e.to_string())),
        Err(e) => Err(LinkError::Unreachable(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_checks_what_it_is_given_and_keeps_the_key_out_of_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let key_file = dir.path().join("platform-key");
        assert!(matches!(
            set(&store, &key_file, "http://platform.example", "k", None),
            Err(LinkError::Invalid(_))
        ));
        assert!(matches!(
            set(&store, &key_file, "https://p.example", "  ", None),
            Err(LinkError::Invalid(_))
        ));
        assert!(matches!(
            set(&store, &key_file, "https://p.example", "k", Some(5)),
            Err(LinkError::Invalid(_))
        ));
        assert!(!key_file.exists(), "nothing stored by a refused set");
        set(
            &store,
            &key_file,
            "https://p.example/",
            "secret-key-123",
            Some(30),
        )
        .unwrap();
        assert_eq!(
            password::read_secret(&key_file).unwrap().expose(),
            "secret-key-123"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let db = std::fs::read(dir.path().join("db.sqlite3")).unwrap();
        assert!(
            !db.windows(14).any(|w| w == b"secret-key-123"),
            "the key is never in the database"
        );
        let s = status(&store).unwrap();
        assert_eq!(
            (s.url.as_deref(), s.enabled, s.interval_s),
            (Some("https://p.example"), true, 30)
        );
        off(&store).unwrap();
        let s = status(&store).unwrap();
        assert_eq!((s.enabled, s.state), (false, state::LinkState::Off));
        set(
            &store,
            &key_file,
            "https://p.example",
            "secret-key-123",
            None,
        )
        .unwrap();
        assert_eq!(
            status(&store).unwrap().interval_s,
            30,
            "no --interval keeps the one chosen before"
        );
    }
}
