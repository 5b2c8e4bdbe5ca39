//! The watched folder: the third door into the one import path (`import::import_as`, as a
//! file import and `POST /api/v1/records`). JSON and CSV files dropped into the folder named
//! by the setting `watch-folder` are imported, each all or nothing; then moved to
//! `imported/`, or to `failed/` with `NAME.errors.txt` beside it listing every problem. Either
//! way a History row (no session) and an [`AppEvent::WatchedFile`] say what happened.
//!
//! Owns: the setting's stored value, noticing files, deciding when a file is complete,
//! moving it, the errors file. Does not own: validation and storage (`import`).
//!
//! Rules that keep it safe with any program writing into the folder:
//! - A file is read only once its size and modification time have not changed for
//!   [`STABLE_FOR`] (a file still being written, or copied slowly, is left alone; a file
//!   renamed into place is complete and is taken after the same wait).
//! - Names starting with `.` or `~`, or ending `.tmp`, `.part` or `.crdownload`, are someone's
//!   temporary files: ignored. So are directories (including `imported/` and `failed/`).
//! - Over [`MAX_FILE_BYTES`]: refused without being read. Empty, binary, not UTF-8, not JSON
//!   or CSV: refused with the import's own words. Nothing is ever partly imported.
//! - Files of other types (`.txt`, `.xlsx`) are refused too, so nothing waits unseen.
//! - A file that cannot be moved (permissions) is reported once and not imported again
//!   until it changes.
//!
//! The worker is one thread (files and SQLite are blocking); it looks at the folder every
//! [`POLL_EVERY`] and stops when its [`Running`] handle is dropped.

use crate::app::App;
use crate::events::AppEvent;
use crate::import::Format;
use crate::office::OfficeError;
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::sessions::{self, NewHistory};
use crate::store::{settings, StoreError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// The setting's key in the settings table (`settings set watch-folder DIR|none`).
pub const SETTING_KEY: &str = "watch_folder";
/// How long a file's size and time must stay the same before it is read.
pub const STABLE_FOR: Duration = Duration::from_secs(2);
/// How often the folder is looked at.
pub const POLL_EVERY: Duration = Duration::from_millis(500);
/// The largest file imported: the same bound as the API's body.
pub const MAX_FILE_BYTES: u64 = crate::api::MAX_BODY_BYTES as u64;
/// The settings key holding the last file dealt with ([`LastFile`], as JSON).
pub const LAST_FILE_KEY: &str = "watch_last_file";
/// Where imported and refused files go, inside the watched folder.
pub const IMPORTED_DIR: &str = "imported";
pub const FAILED_DIR: &str = "failed";

/// The watched folder, if one is set.
pub fn folder(conn: &rusqlite::Connection) -> Result<Option<PathBuf>, StoreError> {
    Ok(settings::get_raw(conn, SETTING_KEY)?.map(PathBuf::from))
}

/// Sets (or with None, clears) the watched folder. The folder must exist.
pub fn set_folder(tx: &rusqlite::Transaction<'_>, dir: Option<&Path>) -> Result<(), StoreError> {
    if let Some(dir) = dir {
        if !dir.is_dir() {
            return Err(StoreError::InvalidSetting {
                key: "watch-folder",
                message: format!("{} is not a folder", dir.display()),
            });
        }
    }
    let text = dir.map(|d| d.to_string_lossy().into_owned());
    settings::set_raw(tx, SETTING_KEY, text.as_deref())
}

/// The last file the watcher dealt with: the Items page's "Last file" line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LastFile {
    /// The file's name as dropped.
    pub name: String,
    /// When it was dealt with (UTC, RFC 3339).
    pub at: String,
    /// Imported (moved to `imported/`), or refused (moved to `failed/`).
    pub imported: bool,
    /// Imported: how many records the file held (added, updated or unchanged).
    pub records: u32,
    /// Imported: what was imported, per kind; refused: the first problem.
    pub summary: String,
    /// Refused: how many problems `NAME.errors.txt` lists (0 when imported).
    pub problems: u32,
}

impl LastFile {
    fn of(name: &str, outcome: &Outcome, at: String) -> Self {
        match outcome {
            Outcome::Imported(s) => {
                let kinds = [
                    s.customers,
                    s.projects,
                    s.service_tickets,
                    s.invoices,
                    s.payments,
                ];
                let records: usize = kinds
                    .iter()
                    .map(|k| k.added + k.updated + k.unchanged)
                    .sum();
                LastFile {
                    name: name.to_owned(),
                    at,
                    imported: true,
                    records: u32::try_from(records).unwrap_or(u32::MAX),
                    summary: s.to_string(),
                    problems: 0,
                }
            }
            Outcome::Refused(problems) => LastFile {
                name: name.to_owned(),
                at,
                imported: false,
                records: 0,
                summary: problems.first().cloned().unwrap_or_default(),
                problems: u32::try_from(problems.len()).unwrap_or(u32::MAX),
            },
        }
    }
}

/// The last file the watcher dealt with, if any (an unreadable value counts as none).
pub fn last_file(conn: &rusqlite::Connection) -> Result<Option<LastFile>, StoreError> {
    Ok(settings::get_raw(conn, LAST_FILE_KEY)?.and_then(|v| serde_json::from_str(&v).ok()))
}

/// The running worker; dropping it stops the worker (at its next look).
pub struct Running {
    _stop: mpsc::Sender<()>,
}

/// Starts the worker for `app`'s data folder.
pub fn start(app: App) -> std::io::Result<Running> {
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("watch-folder".into())
        .spawn(move || {
            let mut watcher = Watcher::default();
            // Err(Timeout): time for a look; anything else: the handle was dropped.
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(POLL_EVERY) {
                watcher.look(&app, Instant::now());
            }
        })?;
    Ok(Running { _stop: stop })
}

/// What a file looked like when last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    size: u64,
    modified: Option<SystemTime>,
    since: Instant,
    /// Dealt with already (it could not be moved): not again until it changes.
    done: bool,
}

/// The worker's memory of the files in the folder.
#[derive(Debug, Default)]
pub struct Watcher {
    seen: HashMap<PathBuf, Seen>,
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Imported(crate::import::ImportSummary),
    Refused(Vec<String>),
}

impl Watcher {
    /// One look at the folder: every complete file is imported (or refused) and moved.
    pub fn look(&mut self, app: &App, now: Instant) -> Vec<(PathBuf, Outcome)> {
        let dir = match app.store().read(folder) {
            Ok(Some(dir)) => dir,
            Ok(None) => return Vec::new(),
            Err(e) => {
                tracing::warn!("watched folder: cannot read the setting: {e}");
                return Vec::new();
            }
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new(); // gone or unreadable: nothing to do until it is back
        };
        let mut present = Vec::new();
        let mut done = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() || is_temporary(&entry.file_name().to_string_lossy()) {
                continue;
            }
            present.push(path.clone());
            let (size, modified) = (meta.len(), meta.modified().ok());
            let seen = self.seen.entry(path.clone()).or_insert(Seen {
                size,
                modified,
                since: now,
                done: false,
            });
            if seen.size != size || seen.modified != modified {
                *seen = Seen {
                    size,
                    modified,
                    since: now,
                    done: false,
                };
                continue;
            }
            if seen.done || now.duration_since(seen.since) < STABLE_FOR {
                continue;
            }
            let outcome = take(app, &dir, &path, size);
            match &outcome {
                Ok(o) => done.push((path.clone(), o.clone())),
                Err(e) => {
                    tracing::warn!("watched folder: {e}");
                    seen.done = true;
                }
            }
            if outcome.is_ok() {
                self.seen.remove(&path);
            }
        }
        self.seen.retain(|p, _| present.contains(p));
        done
    }
}

fn is_temporary(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with('.')
        || lower.starts_with('~')
        || [".tmp", ".part", ".crdownload"]
            .iter()
            .any(|s| lower.ends_with(s))
}

/// Imports (or refuses) one complete file and moves it; Err when it could not be moved.
fn take(app: &App, dir: &Path, path: &Path, size: u64) -> Result<Outcome, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let format = if lower.ends_with(".json") {
        Some(Format::Json)
    } else if lower.ends_with(".csv") {
        Some(Format::Csv)
    } else {
        None
    };
    let outcome = match format {
        None => Outcome::Refused(vec![format!(
            "{name}: only .json and .csv files are imported from the watched folder"
        )]),
        Some(_) if size > MAX_FILE_BYTES => Outcome::Refused(vec![format!(
            "{name}: the file is {size} bytes; at most {MAX_FILE_BYTES} are imported"
        )]),
        Some(format) => match std::fs::read(path) {
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
            Ok(bytes) => match app.import_as(&name, &bytes, format) {
                Ok(summary) => Outcome::Imported(summary),
                Err(OfficeError::ImportRejected {
                    problems, count, ..
                }) => {
                    let mut lines = problems;
                    if count > lines.len() {
                        lines.push(format!("... and {} more problems", count - lines.len()));
                    }
                    Outcome::Refused(lines)
                }
                // The store failing is not the file's fault: leave it for the next look.
                Err(e) => return Err(format!("{name} was not imported: {e}")),
            },
        },
    };
    let to = match &outcome {
        Outcome::Imported(_) => dir.join(IMPORTED_DIR),
        Outcome::Refused(_) => dir.join(FAILED_DIR),
    };
    let moved = move_into(path, &to, &name)?;
    if let Outcome::Refused(problems) = &outcome {
        let errors = moved.with_file_name(format!(
            "{}.errors.txt",
            moved
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        let text = problems.join("\n") + "\n";
        std::fs::write(&errors, text)
            .map_err(|e| format!("cannot write {}: {e}", errors.display()))?;
    }
    note(app, &name, &outcome);
    Ok(outcome)
}

/// Moves `path` into folder `to` (made if needed) under its own name, or `NAME (2)` etc. when
/// that is taken. Returns where it went.
fn move_into(path: &Path, to: &Path, name: &str) -> Result<PathBuf, String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot make {}: {e}", to.display()))?;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_owned(), format!(".{e}")),
        None => (name.to_owned(), String::new()),
    };
    for n in 1.. {
        let target = if n == 1 {
            to.join(name)
        } else {
            to.join(format!("{stem} ({n}){ext}"))
        };
        if target.exists() {
            continue;
        }
        return std::fs::rename(path, &target)
            .map(|()| target)
            .map_err(|e| format!("cannot move {} to {}: {e}", path.display(), to.display()));
    }
    unreachable!("the loop returns")
}

/// The History row and the event for the window (a notification).
fn note(app: &App, name: &str, outcome: &Outcome) {
    let (outcome_word, text) = match outcome {
        Outcome::Imported(summary) => (
            HistoryOutcome::Ok,
            format!("Imported {name} from the watched folder: {summary}."),
        ),
        Outcome::Refused(problems) => (
            HistoryOutcome::Failed,
            format!(
                "{name} in the watched folder was not imported ({} problem{}); it is in the \
                 failed folder with {name}.errors.txt listing them.",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ),
        ),
    };
    tracing::info!("{text}");
    let last = LastFile::of(name, outcome, crate::store::now_utc());
    let written = app.store().write(|tx| {
        sessions::add_history(
            tx,
            None,
            &NewHistory {
                record: None,
                action: HistoryAction::Import,
                outcome: outcome_word,
                qb_code: None,
                qb_message: None,
                text: Some(&text),
            },
        )?;
        // Beside the History row, in its transaction: the Items page's "Last file" line.
        let json = serde_json::to_string(&last).unwrap_or_default();
        settings::set_raw(tx, LAST_FILE_KEY, Some(&json))
    });
    if let Err(e) = written {
        tracing::warn!("watched folder: cannot write the History row: {e}");
    }
    app.events().emit(AppEvent::WatchedFile {
        file: name.to_owned(),
        imported: matches!(outcome, Outcome::Imported(_)),
        text,
    });
}

#[cfg(test)]
mod tests;
