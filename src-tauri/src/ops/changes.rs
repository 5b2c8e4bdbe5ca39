//! Noticing that the data folder's records changed, whoever changed them: this process (a
//! sync, an import, a button), or another one (`fieldbridge import` or `settings set` in a
//! terminal, a second copy of the endpoint). The window reloads what it shows on each
//! notice, so every screen is current at once without knowing who wrote.
//!
//! How: SQLite's `PRAGMA data_version` on a connection of our own changes whenever any
//! other connection (in this process or another) commits. One thread polls it on a timer;
//! it never runs on the async runtime and costs one tiny query per tick. Notices are at
//! most one per tick however much was written, so a sync writing hundreds of rows makes the
//! window reload about once a [`POLL`], not hundreds of times.

use crate::office::OfficeError;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How often the database is asked whether it changed: quick enough to look instant to a
/// person, rare enough to cost nothing.
pub const POLL: Duration = Duration::from_millis(700);

/// Watches until dropped.
pub struct ChangeWatcher {
    _stop: mpsc::Sender<()>,
}

/// Starts watching the database at `db_path`; `on_change` runs (on the watcher's thread)
/// once per tick in which anything was committed.
pub fn watch(
    db_path: &Path,
    every: Duration,
    on_change: impl Fn() + Send + 'static,
) -> Result<ChangeWatcher, OfficeError> {
    let conn = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| OfficeError::Io(format!("cannot watch {}: {e}", db_path.display())))?;
    let mut last = data_version(&conn)
        .map_err(|e| OfficeError::Io(format!("cannot watch {}: {e}", db_path.display())))?;
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("fieldbridge-changes".into())
        .spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                match data_version(&conn) {
                    Ok(now) if now != last => {
                        last = now;
                        on_change();
                    }
                    Ok(_) => {}
                    Err(e) => tracing::debug!("could not ask the database what changed: {e}"),
                }
            }
        })
        .map_err(|e| OfficeError::Internal(format!("cannot start watching for changes: {e}")))?;
    Ok(ChangeWatcher { _stop: stop })
}

fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{settings, Store};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn a_commit_from_any_connection_is_noticed_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fieldbridge.db");
        let store = Store::open(&path).unwrap();
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let tick = Duration::from_millis(20);
        let watcher = watch(&path, tick, move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        std::thread::sleep(tick * 5);
        assert_eq!(
            seen.load(Ordering::SeqCst),
            0,
            "nothing written, nothing said"
        );

        // Another process is another connection: a second Store stands for it.
        let other = Store::open(&path).unwrap();
        other
            .write(|tx| settings::set_run_every_minutes(tx, 30))
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while seen.load(Ordering::SeqCst) == 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(tick);
        }
        assert_eq!(seen.load(Ordering::SeqCst), 1, "one commit, one notice");

        store
            .write(|tx| settings::set_run_every_minutes(tx, 45))
            .unwrap();
        while seen.load(Ordering::SeqCst) == 1 && std::time::Instant::now() < deadline {
            std::thread::sleep(tick);
        }
        assert_eq!(
            seen.load(Ordering::SeqCst),
            2,
            "this process's own writes too"
        );

        drop(watcher);
        std::thread::sleep(tick * 3);
        other
            .write(|tx| settings::set_run_every_minutes(tx, 60))
            .unwrap();
        std::thread::sleep(tick * 5);
        assert_eq!(
            seen.load(Ordering::SeqCst),
            2,
            "a dropped watcher is silent"
        );
    }
}
