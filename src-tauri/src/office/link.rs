//! The Connect page's "Field-service platform" card: where the link stands (with the key
//! shown only by its last characters), setting it up, switching it off and "Test
//! connection". Thin over [`crate::link::setup`] (the same operations `fieldbridge link`
//! calls); this module adds the key's ending, the event that refreshes the window, and the
//! mapping of [`LinkError`] to the one error type.

use super::OfficeError;
use crate::events::{AppEvent, EventBus};
use crate::link::{setup, LinkError};
use crate::qbwc::password;
use crate::store::link::LinkStatus;
use crate::store::Store;
use serde::Serialize;
use std::path::Path;

/// How many characters of the key the card shows ("key ending …89ab").
const KEY_ENDING_CHARS: usize = 4;
/// Keys shorter than this show no ending at all (four characters would be most of it).
const KEY_MIN_FOR_ENDING: usize = 12;

/// What the card shows: the link's status and the stored key's last characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LinkCard {
    pub status: LinkStatus,
    /// True when a key is stored (the key itself never leaves the data folder).
    pub key_stored: bool,
    /// The key's last characters, when it is long enough that they give nothing away.
    pub key_ending: Option<String>,
}

impl From<LinkError> for OfficeError {
    fn from(e: LinkError) -> Self {
        match e {
            LinkError::Invalid(why) => OfficeError::InvalidInput(why),
            LinkError::Unreachable(why) => OfficeError::Unreachable(why),
            LinkError::Key(e) => OfficeError::Io(format!("cannot store the platform's key: {e}")),
            LinkError::Store(e) => OfficeError::Store(e),
        }
    }
}

/// The card as it stands now.
pub fn card(store: &Store, key_file: &Path) -> Result<LinkCard, OfficeError> {
    let status = setup::status(store)?;
    let key = password::read_secret(key_file).ok();
    let key_ending = key.as_ref().and_then(|k| ending(k.expose()));
    Ok(LinkCard {
        status,
        key_stored: key.is_some(),
        key_ending,
    })
}

fn ending(key: &str) -> Option<String> {
    let chars: Vec<char> = key.chars().collect();
    (chars.len() >= KEY_MIN_FOR_ENDING)
        .then(|| chars[chars.len() - KEY_ENDING_CHARS..].iter().collect())
}

/// Sets up (or changes) the link. An empty `key` keeps the stored one (the card never
/// shows it again, so changing only the URL or the interval must not need it).
pub fn set(
    store: &Store,
    events: &EventBus,
    key_file: &Path,
    url: &str,
    key: &str,
    interval_s: Option<u32>,
) -> Result<LinkCard, OfficeError> {
    let key = key_or_stored(key, key_file)?;
    setup::set(store, key_file, url, &key, interval_s)?;
    events.emit(AppEvent::ConnectionChanged);
    card(store, key_file)
}

/// Switches the link off (nothing is forgotten; setting it again resumes where it stopped).
pub fn turn_off(
    store: &Store,
    events: &EventBus,
    key_file: &Path,
) -> Result<LinkCard, OfficeError> {
    setup::off(store)?;
    events.emit(AppEvent::ConnectionChanged);
    card(store, key_file)
}

/// "Test connection": asks the platform for one record, storing nothing. An empty `key`
/// tests with the stored one.
pub async fn test(url: &str, key: &str, key_file: &Path) -> Result<(), OfficeError> {
    let key = key_or_stored(key, key_file)?;
    Ok(setup::test_connection(url, &key).await?)
}

fn key_or_stored(key: &str, key_file: &Path) -> Result<String, OfficeError> {
    if !key.trim().is_empty() {
        return Ok(key.to_owned());
    }
    match password::read_secret(key_file) {
        Ok(stored) => Ok(stored.expose().to_owned()),
        Err(_) => Err(OfficeError::InvalidInput(
            "enter the API key the platform issued (it is stored once and never shown again)"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::ErrorCode;
    use crate::store::link::LinkState;

    fn setup_store() -> (tempfile::TempDir, Store, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let key_file = dir.path().join("platform-key");
        (dir, store, key_file)
    }

    #[test]
    fn the_card_shows_only_the_keys_ending_and_keeps_it_when_none_is_given() {
        let (_dir, store, key_file) = setup_store();
        let events = EventBus::new();
        let mut rx = events.subscribe();
        let before = card(&store, &key_file).unwrap();
        assert_eq!(
            (before.status.state, before.key_stored, before.key_ending),
            (LinkState::Off, false, None)
        );

        let after = set(
            &store,
            &events,
            &key_file,
            "https://p.example",
            "sk-live-0123456789ab",
            Some(30),
        )
        .unwrap();
        assert_eq!(after.key_ending.as_deref(), Some("89ab"));
        assert!(after.key_stored);
        assert_eq!(
            (after.status.state, after.status.interval_s),
            (LinkState::Ok, 30)
        );
        assert!(
            !serde_json::to_string(&after)
                .unwrap()
                .contains("0123456789"),
            "the key is never sent whole"
        );
        assert!(
            matches!(rx.try_recv(), Ok(AppEvent::ConnectionChanged)),
            "the window is told"
        );

        let changed = set(
            &store,
            &events,
            &key_file,
            "https://other.example",
            "  ",
            None,
        )
        .unwrap();
        assert_eq!(changed.status.url.as_deref(), Some("https://other.example"));
        assert_eq!(
            changed.key_ending.as_deref(),
            Some("89ab"),
            "an empty key keeps the stored one"
        );
        assert_eq!(changed.status.interval_s, 30);

        let off = turn_off(&store, &events, &key_file).unwrap();
        assert_eq!(
            (off.status.state, off.status.enabled),
            (LinkState::Off, false)
        );
    }

    #[test]
    fn short_keys_show_no_ending() {
        assert_eq!(ending("short-key"), None);
        assert_eq!(ending("abcdefghijkl").as_deref(), Some("ijkl"));
    }

    #[test]
    fn link_errors_become_the_contracts_codes() {
        let (_dir, store, key_file) = setup_store();
        let events = EventBus::new();
        let e = set(&store, &events, &key_file, "http://p.example", "k", None).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
        let e = set(&store, &events, &key_file, "https://p.example", "", None).unwrap_err();
        assert_eq!(
            e.code(),
            ErrorCode::InvalidInput,
            "no key given and none stored: {e}"
        );
        let e: OfficeError = LinkError::Unreachable("the platform did not answer".into()).into();
        assert_eq!(e.code(), ErrorCode::Unreachable);
        let e: OfficeError = LinkError::Store(crate::store::StoreError::Poisoned).into();
        assert_eq!(e.code(), ErrorCode::Internal);
    }

    #[test]
    fn test_connection_reports_a_platform_that_does_not_answer_as_unreachable() {
        let (_dir, _store, key_file) = setup_store();
        // A port nothing listens on, on this computer (http is allowed for localhost).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let e = rt
            .block_on(test(
                &format!("http://127.0.0.1:{port}"),
                "sk-test-key-123456",
                &key_file,
            ))
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Unreachable, "{e}");
        assert!(!e.to_string().is_empty());
    }
}
