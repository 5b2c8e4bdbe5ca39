//! The office manager's operations: everything the desktop window asks of FieldBridge, as
//! plain functions over the [`Store`](crate::store::Store), with the window's own types
//! (serialised exactly as the IPC contract `ui/src/lib/ipc/README.md` says).
//!
//! One file per concern:
//!
//! | module | for |
//! |---|---|
//! | [`customers`] | the Customers page: pairing states, suggestions, link / unlink / create |
//! | [`qb_customers`] | QuickBooks customers as last read: search, import as app customers |
//! | [`items`] | QuickBooks' lists and the four item mappings, validated |
//! | [`settings`] | the Settings page: read and save all settings at once |
//! | [`sync_status`] | the Sync page's counts, the session in progress and the last one |
//! | [`attention`] | records waiting for a person, and retry / skip / rename |
//! | [`history`] | sessions, one session's records, CSV export |
//! | [`imports`] | importing files and the bundled sample data, reported per file |
//! | [`connection`] | the Connect page's health: endpoint state, wrong passwords, last contact |
//! | [`vendors`] | vendors: states, suggestions, link / create / unlink; QuickBooks' accounts |
//!
//! Owns no SQL (the store modules do) and knows nothing of Tauri (`desktop/` turns these
//! functions into commands). Every function is blocking: async callers use
//! `spawn_blocking`. Errors are [`OfficeError`] (module `error`), the one error type of both
//! edges: its [`code`](OfficeError::code) is one of the contract's codes and its message a
//! person can read.

pub mod attention;
pub mod connection;
pub mod customers;
pub mod history;
pub mod imports;
pub mod items;
pub mod link;
pub mod qb_customers;
pub mod records;
pub mod settings;
pub mod sync_status;
pub mod vendors;
pub mod watch_folder;

#[cfg(test)]
mod test_support;

mod error;

pub use error::{store_code, ErrorCode, IpcError, OfficeError};

/// The most rows one page may hold: a screenful many times over, and a bound on the work a
/// careless caller can ask for.
pub const MAX_PAGE: u64 = 500;

/// A page size the store can serve: at least one row, at most [`MAX_PAGE`].
fn page_limit(limit: u64) -> u64 {
    limit.clamp(1, MAX_PAGE)
}
