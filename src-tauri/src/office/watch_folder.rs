//! The watched folder's picker on the Items and settings page: reads and sets the
//! `watch-folder` setting through [`crate::watch::set_folder`] (the folder must exist;
//! "none" turns watching off). The worker notices the change at its next look.

use super::OfficeError;
use crate::events::{AppEvent, EventBus};
use crate::store::{Store, StoreError};
use crate::watch;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WatchFolder {
    /// The folder watched, or null when none is.
    pub path: Option<String>,
}

pub fn get(store: &Store) -> Result<WatchFolder, OfficeError> {
    let path = store.read(watch::folder)?;
    Ok(WatchFolder {
        path: path.map(|p| p.to_string_lossy().into_owned()),
    })
}

/// Sets the folder (null or "none" turns watching off).
pub fn set(
    store: &Store,
    events: &EventBus,
    path: Option<&str>,
) -> Result<WatchFolder, OfficeError> {
    let dir = path
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "none")
        .map(Path::new);
    store.write(|tx| -> Result<(), StoreError> { watch::set_folder(tx, dir) })?;
    events.emit(AppEvent::RecordsChanged);
    get(store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::ErrorCode;

    #[test]
    fn sets_checks_and_clears_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let events = EventBus::new();
        assert_eq!(get(&store).unwrap().path, None);
        let p = dir.path().to_string_lossy().into_owned();
        assert_eq!(
            set(&store, &events, Some(&p)).unwrap().path.as_deref(),
            Some(p.as_str())
        );
        let e = set(&store, &events, Some("/no/such/folder/here")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
        assert_eq!(
            get(&store).unwrap().path.as_deref(),
            Some(p.as_str()),
            "a refused folder changes nothing"
        );
        assert_eq!(set(&store, &events, Some("none")).unwrap().path, None);
        set(&store, &events, Some(&p)).unwrap();
        assert_eq!(set(&store, &events, None).unwrap().path, None);
    }
}
