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
    /// The field-service platform's API key (the platform link), owner-only like the password.
    pub fn platform_key_file(&self) -> PathBuf {
        self.root.join("platform-key")
    }
    /// Rotating log files.
    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }
}

/// The app's identifier (tauri.conf.json): also the name of its data folder, as Tauri's own
/// `app_local_data_dir` names it, so the installer's "delete application data" finds it.
pub const APP_IDENTIFIER: &str = "app.fieldbridge.desktop";

/// The platform's per-user local data folder for FieldBridge
/// (`%LOCALAPPDATA%\\app.fieldbridge.desktop`, `~/.local/share/app.fieldbridge.desktop`).
pub fn default_root() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_local_dir().join(APP_IDENTIFIER))
}
