//! Where FieldBridge keeps its files: the data folder (database, password, logs, settings).
//! Owns the rule for choosing it; owns no file formats.
//!
//! Every path written is under the platform's per-user data folder (on Windows
//! `%LOCALAPPDATA%\app.fieldbridge.desktop`), or the folder named by `--data-dir` /
//! `FIELDBRIDGE_DATA_DIR`; never the install directory.

use std::path::{Path, PathBuf};

/// The data folder and the files inside it.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

/// Why the data folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    #[error("this computer has no per-user data folder; choose one with --data-dir")]
    NoDefault,
    #[error("the data folder {path} is on a network drive; FieldBridge's database must be on this PC's own disk (SQLite over a network share can corrupt it). Choose a local folder with --data-dir")]
    Network { path: PathBuf },
    #[error("FieldBridge is already running on the data folder {path} (the window or `fieldbridge serve`); close it first, or use another folder with --data-dir")]
    InUse { path: PathBuf },
    #[error("cannot take the data folder {path} for this program: {reason}")]
    Lock { path: PathBuf, reason: String },
    #[error("cannot create the data folder {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DataDir {
    /// The folder given on the command line or in the environment, else the platform default.
    pub fn resolve(explicit: Option<&Path>) -> Result<Self, DataDirError> {
        let root = match explicit {
            Some(p) => p.to_path_buf(),
            None => default_root().ok_or(DataDirError::NoDefault)?,
        };
        if is_network_location(&root) {
            return Err(DataDirError::Network { path: root });
        }
        std::fs::create_dir_all(&root).map_err(|source| DataDirError::Create {
            path: root.clone(),
            source,
        })?;
        std::fs::create_dir_all(root.join("logs")).map_err(|source| DataDirError::Create {
            path: root.join("logs"),
            source,
        })?;
        Ok(Self { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    /// The SQLite database.
    pub fn database(&self) -> PathBuf {
        self.root.join("fieldbridge.sqlite3")
    }
    /// The Web Connector password (one line, readable only by this user).
    pub fn password_file(&self) -> PathBuf {
        self.root.join("qbwc-password")
    }
    /// Claims the folder for the one program that runs the endpoint on it (the window or
    /// `serve`), before its database is opened or migrated. Held until the returned lock is
    /// dropped (or the process ends, however it ends). Other commands (status, import...)
    /// never claim it.
    ///
    /// The lock is an exclusive SQLite lock on `instance.lock`: the same on Windows and
    /// Unix, released by the operating system when the process dies.
    pub fn claim_instance(&self) -> Result<InstanceLock, DataDirError> {
        let path = self.root.join("instance.lock");
        let lock_err = |e: rusqlite::Error| DataDirError::Lock {
            path: path.clone(),
            reason: e.to_string(),
        };
        let conn = rusqlite::Connection::open(&path).map_err(lock_err)?;
        conn.busy_timeout(std::time::Duration::ZERO)
            .map_err(lock_err)?;
        let claimed = conn
            .pragma_update(None, "locking_mode", "EXCLUSIVE")
            .and_then(|()| conn.execute_batch("BEGIN EXCLUSIVE"));
        match claimed {
            Ok(()) => Ok(InstanceLock { _conn: conn }),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                Err(DataDirError::InUse {
                    path: self.root.clone(),
                })
            }
            Err(e) => Err(lock_err(e)),
        }
    }
    /// The field-service platform's API key (the platform link), owner-only like the password.
    pub fn platform_key_file(&self) -> PathBuf {
        self.root.join("platform-key")
    }
    /// Rotating log files.
    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }
}

/// Makes a file in the data folder private to this user, whatever the folder allows (a
/// custom `--data-dir` may be readable by everyone): on Unix mode 0600; on Windows an
/// access list that allows this user and SYSTEM and inherits nothing from the folder
/// ([`crate::win::restrict_to_owner`]). For the password, the API token, the platform key
/// and the database (with its `-wal` and `-shm` files).
pub fn keep_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(windows)]
    {
        crate::win::restrict_to_owner(path)
    }
}

impl DataDir {
    /// The database and its journal files made private ([`keep_private`]) after they are
    /// opened: SQLite makes `-wal` and `-shm` anew when the last connection closes, so this
    /// runs at every open. A file that cannot be restricted is logged, not fatal.
    pub fn keep_database_private(&self) {
        let db = self.database();
        for suffix in ["", "-wal", "-shm"] {
            let mut name = db.clone().into_os_string();
            name.push(suffix);
            let file = PathBuf::from(name);
            if file.exists() {
                if let Err(e) = keep_private(&file) {
                    tracing::warn!("cannot make {} private to this user: {e}", file.display());
                }
            }
        }
    }
}

/// The data folder claimed by this process ([`DataDir::claim_instance`]); released on drop.
pub struct InstanceLock {
    _conn: rusqlite::Connection,
}

/// The app's identifier (tauri.conf.json): also the name of its data folder, as Tauri's own
/// `app_local_data_dir` names it, so the installer's "delete application data" finds it.
pub const APP_IDENTIFIER: &str = "app.fieldbridge.desktop";

/// The platform's per-user local data folder for FieldBridge
/// (`%LOCALAPPDATA%\\app.fieldbridge.desktop`, `~/.local/share/app.fieldbridge.desktop`).
pub fn default_root() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_local_dir().join(APP_IDENTIFIER))
}

/// True when `path` is on a network share: a UNC path (`\\server\share\...`) or, on
/// Windows, a drive Windows reports as remote (a mapped letter), judged by the nearest part
/// of the path that exists.
pub fn is_network_location(path: &Path) -> bool {
    if is_unc(path) {
        return true;
    }
    #[cfg(windows)]
    {
        if let Some(existing) = path.ancestors().find(|a| a.exists()) {
            return crate::win::is_remote_drive(existing);
        }
    }
    false
}

/// A UNC path: `\\server\share` or `\\?\UNC\server\share` (Windows path syntax only).
fn is_unc(path: &Path) -> bool {
    use std::path::{Component, Prefix};
    matches!(
        path.components().next(),
        Some(Component::Prefix(p)) if matches!(p.kind(), Prefix::UNC(..) | Prefix::VerbatimUNC(..))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_folder_is_accepted_and_made() {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let root = tmp.path().join("data");
        let dir = DataDir::resolve(Some(&root)).expect("a local folder is fine");
        assert!(
            dir.logs().is_dir(),
            "the folder and its logs folder are made"
        );
        assert!(!is_network_location(&root));
    }

    #[test]
    fn a_second_claim_on_the_same_folder_is_refused_until_the_first_is_released() {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let dir = DataDir::resolve(Some(tmp.path())).expect("folder");
        let first = dir.claim_instance().expect("the first claim succeeds");
        match dir.claim_instance() {
            Err(DataDirError::InUse { path }) => assert_eq!(path, tmp.path()),
            Err(e) => panic!("expected InUse, got {e}"),
            Ok(_) => panic!("a second claim must be refused while the first is held"),
        }
        drop(first);
        dir.claim_instance().expect("free again once released");
    }

    /// Issue 14: the database in a custom data folder is this user's alone (0600 on Unix;
    /// on Windows an owner-only access list, read back under Wine in the Windows lane).
    #[test]
    fn the_database_files_are_made_private() {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let dir = DataDir::resolve(Some(tmp.path())).expect("folder");
        let _store = crate::store::Store::open(&dir.database()).expect("open");
        dir.keep_database_private();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.database())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "only this user may read the database");
        }
        #[cfg(windows)]
        crate::win::assert_owner_only(&dir.database());
    }

    #[cfg(windows)]
    #[test]
    fn a_unc_share_is_refused_before_anything_is_written() {
        for share in [
            r"\\fileserver\books\fieldbridge",
            r"\\?\UNC\fileserver\books",
        ] {
            assert!(
                is_network_location(Path::new(share)),
                "{share} is a network share"
            );
            match DataDir::resolve(Some(Path::new(share))) {
                Err(DataDirError::Network { path }) => assert_eq!(path, Path::new(share)),
                other => panic!("{share} must be refused as a network drive, got {other:?}"),
            }
        }
        assert!(!is_network_location(Path::new(r"C:\Users\ann\FieldBridge")));
    }

    #[cfg(windows)]
    #[test]
    fn the_default_folder_is_under_localappdata() {
        let local = std::env::var_os("LOCALAPPDATA").expect("Windows sets LOCALAPPDATA");
        assert_eq!(
            default_root().expect("a default"),
            Path::new(&local).join(APP_IDENTIFIER)
        );
    }
}
