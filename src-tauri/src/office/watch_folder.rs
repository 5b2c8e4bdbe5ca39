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
    /// The last file the watcher imported or refused, or null before the first.
    pub last_file: Option<watch::LastFile>,
}

pub fn get(store: &Store) -> Result<WatchFolder, OfficeError> {
    let (path, last_file) =
        store.read(|c| Ok::<_, StoreError>((watch::folder(c)?, watch::last_file(c)?)))?;
    Ok(WatchFolder {
        path: path.map(|p| p.to_string_lossy().into_owned()),
        last_file,
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

/// The folder the last file went to (`imported/` or `failed/` inside the watched folder),
/// for the Items page's "Show in folder"; the watched folder itself before any file.
pub fn last_file_folder(store: &Store) -> Result<std::path::PathBuf, OfficeError> {
    let (dir, last) =
        store.read(|c| Ok::<_, StoreError>((watch::folder(c)?, watch::last_file(c)?)))?;
    let dir = dir.ok_or_else(|| {
        OfficeError::NotFound("No folder is watched; choose one first.".to_owned())
    })?;
    let sub = match last {
        Some(l) if l.imported => dir.join(watch::IMPORTED_DIR),
        Some(_) => dir.join(watch::FAILED_DIR),
        None => dir.clone(),
    };
    Ok(if sub.is_dir() { sub } else { dir })
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

    #[test]
    fn the_folder_to_show_is_where_the_last_file_went() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            last_file_folder(&store).unwrap_err().code(),
            ErrorCode::NotFound
        );
        set(
            &store,
            &EventBus::new(),
            Some(&dir.path().to_string_lossy()),
        )
        .unwrap();
        assert_eq!(last_file_folder(&store).unwrap(), dir.path(), "no file yet");
        std::fs::create_dir(dir.path().join("failed")).unwrap();
        let refused = r#"{"name":"bad.csv","at":"2026-12-02T09:00:00Z","imported":false,"records":0,"summary":"x","problems":1}"#;
        store
            .write(|tx| crate::store::settings::set_raw(tx, watch::LAST_FILE_KEY, Some(refused)))
            .unwrap();
        assert_eq!(last_file_folder(&store).unwrap(), dir.path().join("failed"));
    }
}
