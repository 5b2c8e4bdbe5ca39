//! The SQLite store: connection setup, forward-only migrations, and one module per aggregate
//! that owns its SQL. Owns every byte FieldBridge keeps on disk about records and syncs; owns
//! no qbXML, no HTTP, no decisions about *what* to send (that is `sync/`).
//!
//! # Using it
//!
//! ```no_run
//! use fieldbridge::store::{Store, StoreError};
//! let store = Store::open(std::path::Path::new("fieldbridge.sqlite3"))?;
//! // Reads see one consistent snapshot:
//! let counts = store.read(|conn| fieldbridge::store::status::status_counts(conn))?;
//! // Writes run in ONE transaction that commits only when the closure returns Ok:
//! store.write(|tx| fieldbridge::store::settings::set_port(tx, Some(8090)))?;
//! # Ok::<(), StoreError>(())
//! ```
//!
//! - [`Store`] is a cheap-to-clone handle (one connection behind a mutex: SQLite has one writer
//!   anyway, and FieldBridge's traffic is one Web Connector session plus a window). Use it only
//!   from blocking contexts (`spawn_blocking`, the CLI, tests), never on an async worker.
//! - [`Store::write`] is atomic by construction: the closure gets a [`rusqlite::Transaction`]
//!   started `IMMEDIATE` (the write lock is taken up front, so a write never fails half way
//!   for lock upgrade); `Ok` commits, `Err` (or a panic) rolls back. The closure's error type
//!   only has to be `From<StoreError>`, so callers such as `import` roll back with their own
//!   errors.
//! - A busy or locked database surfaces as [`StoreError::Busy`]; [`StoreError::is_retryable`]
//!   says so.
//!
//! # Modules (each owns the SQL of its tables)
//!
//! | module | tables | for |
//! |---|---|---|
//! | [`migrations`] | all | `MIGRATIONS`, `SCHEMA_VERSION`, upgrading |
//! | [`records`] | — | [`RecordKind`], [`RecordRef`], text conversions shared by the rest |
//! | [`codes`] | — | the typed words kept in columns: problem codes, history actions and outcomes, item types |
//! | [`standing`] | — | THE rule of where a record stands for a person (every screen's counts) |
//! | [`customers`], [`projects`], [`tickets`], [`invoices`], [`payments`] | the app's records | save (insert or update, with outbox bookkeeping), get, list |
//! | [`outbox`] | `outbox`, `batches` | the per-record sync state machine (read its doc first) |
//! | [`qb_mirror`] | `qb_*`, `sync_cursors`, `qb_deleted` | what FieldBridge last saw in QuickBooks |
//! | [`qb_changes`] | `qb_invoices`, `qb_invoice_lines`, `qb_customer_renames` | what people do in QuickBooks to the records FieldBridge follows |
//! | [`pairings`] | `pairings` | app customer ↔ QuickBooks ListID |
//! | [`pairing_keys`] | `qb_pairing_keys`, `qb_pairing_queue` | the pairing index of QuickBooks' customers, on disk |
//! | [`mappings`] | `item_mappings`, `payment_method_mappings` | roles → QuickBooks items; methods |
//! | [`settings`] | `settings`, `company_binding` | typed settings, ids, the bound company file |
//! | [`overrides`] | `qb_name_overrides` | QuickBooks-side names a person chose for too-long records |
//! | [`sessions`] | `sessions`, `history` | Web Connector sessions and what each did |
//! | [`tax_differences`] | `tax_differences` | invoices created with another sales tax total than the app's |
//! | [`status`] | — | `status` and `export` answers for the CLI and the window |
//! | [`edits`] | `qb_edits` | the owned fields QuickBooks last confirmed, changes sent since, conflicts |
//!
//! # For the sync engine (read [`outbox`]'s doc for the state machine)
//!
//! 1. Session start: [`sessions::start`]; [`outbox::unanswered_batches`] lists batches whose
//!    answer was lost — resolve each ([`outbox::in_batch`], then `mark_synced` / `requeue`,
//!    and [`outbox::finish_batch`] with `Resolved`) before sending anything new.
//! 2. Plan: [`outbox::next_pending`] per kind, parents first; pre-flight problems go to
//!    [`outbox::mark_needs_attention`].
//! 3. Send, in ONE `write`: [`outbox::begin_batch`] + [`outbox::mark_in_flight`] (all or
//!    nothing) + [`sessions::add_counts`]; only after the commit does the request leave.
//! 4. Answer, in ONE `write`: per `requestID` `mark_synced` / `mark_failed` / `requeue`,
//!    mirror upserts ([`qb_mirror`]), [`pairings::record_created`] for new customers,
//!    [`sessions::add_history`] rows, then [`outbox::finish_batch`] with `Answered`.
//! 5. End: [`sessions::finish`]; [`settings::note_contact`] also when there was nothing to do.
//!
//! # Storage conventions
//! Money, quantities and rates are TEXT holding exact decimals (`Decimal::to_string`), dates
//! TEXT `YYYY-MM-DD`, times TEXT RFC 3339 in UTC (`2026-10-03T14:05:00Z`), booleans INTEGER
//! 0/1. Nothing is ever stored as a REAL.

pub mod accounting;
pub mod accounts;
pub mod codes;
pub mod customers;
pub mod deposits;
pub mod edits;
pub mod events;
pub mod expenses;
pub mod invoices;
pub mod journal;
pub mod link;
pub mod mappings;
pub mod migrations;
pub mod outbox;
pub mod overrides;
pub mod pairing_keys;
pub mod pairings;
pub mod payments;
pub mod projects;
pub mod qb_changes;
pub mod qb_mirror;
pub mod qb_pages;
pub mod records;
pub mod sessions;
pub mod settings;
pub mod standing;
pub mod status;
pub mod tax_differences;
pub mod tickets;
pub mod vendors;

pub use migrations::{MIGRATIONS, SCHEMA_VERSION};
pub use records::{RecordKind, RecordRef, Saved};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long a statement waits for another connection's lock before giving up with
/// [`StoreError::Busy`]. Long enough to ride out a checkpoint or the CLI importing while the
/// app runs; short enough that a stuck process is reported rather than hanging a session.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "this database was made by a newer FieldBridge (schema version {found}; this version \
         knows up to {known}); install the newer FieldBridge, or use another data folder"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("the database is busy (another FieldBridge process is writing); try again")]
    Busy(#[source] rusqlite::Error),
    #[error("database error: {0}")]
    Sqlite(#[source] rusqlite::Error),
    #[error("the database lock was poisoned by a crash in another thread")]
    Poisoned,
    #[error("the stored value {value:?} in {place} is not valid: expected {expected}")]
    Corrupt {
        place: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("there is no customer with id \"{0}\" in FieldBridge (import it first)")]
    UnknownCustomer(String),
    #[error(
        "QuickBooks customer or job \"{0}\" is not known to FieldBridge yet; run a sync (so \
         FieldBridge reads QuickBooks' customer list) and try again"
    )]
    UnknownQbListId(String),
    #[error(
        "QuickBooks customer \"{list_id}\" is already paired with app customer \"{customer_id}\"; \
         unpair that one first"
    )]
    ListIdAlreadyPaired {
        list_id: String,
        customer_id: String,
    },
    #[error("customer \"{0}\" is not paired with anything in QuickBooks")]
    NotPaired(String),
    #[error(
        "customer \"{customer_id}\" already exists in QuickBooks as \"{list_id}\"; unpair it \
         first if it should be created again"
    )]
    AlreadyInQuickBooks {
        customer_id: String,
        list_id: String,
    },
    #[error("{kind} \"{id}\" is being sent to QuickBooks right now; try again after the sync")]
    InFlight { kind: RecordKind, id: String },
    #[error("{what} \"{id}\" was not found")]
    NotFound { what: &'static str, id: String },
    #[error("cannot move {record} from {from} to {to}: {why}")]
    BadTransition {
        record: RecordRef,
        from: String,
        to: &'static str,
        why: &'static str,
    },
    #[error("setting {key}: {message}")]
    InvalidSetting { key: &'static str, message: String },
    /// A vendor pairing decision that cannot be made as asked (the sentence says why and
    /// what to do).
    #[error("{0}")]
    VendorPairing(String),
}

impl StoreError {
    /// True when trying again later can succeed (another process held the lock).
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Busy(_))
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy(e),
            _ => StoreError::Sqlite(e),
        }
    }
}

/// A handle on the database. Clone it freely: clones share one connection.
#[derive(Clone, Debug)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    /// Counts commits made through this handle's connection; the event feed's long-poll
    /// waits on it (`events::Feed`) instead of asking SQLite again and again.
    commits: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, sets the connection's PRAGMAs and
    /// brings the schema up to [`SCHEMA_VERSION`].
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_connection(conn, true)
    }

    /// A private database in memory (tests, dry runs). Same schema, same rules.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()?;
        Self::from_connection(conn, false)
    }

    fn from_connection(mut conn: Connection, wal: bool) -> Result<Self, StoreError> {
        configure(&conn, wal)?;
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            commits: Arc::new(tokio::sync::watch::Sender::new(0)),
        })
    }

    /// A receiver that changes after every commit of [`Store::write`] (whatever it wrote).
    /// Subscribe BEFORE reading, so that a commit between the read and the wait still wakes.
    pub fn commits(&self) -> tokio::sync::watch::Receiver<u64> {
        self.commits.subscribe()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Runs `f` for reading inside one read transaction: every statement in `f` sees the
    /// same snapshot (WAL), even while another process writes. The transaction is rolled
    /// back at the end, so anything `f` tried to write is discarded: writes go through
    /// [`Store::write`].
    pub fn read<T, E>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.rollback().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Runs `f` in one IMMEDIATE transaction: commits when `f` returns `Ok`, rolls back
    /// otherwise (also on panic, when the transaction is dropped unfinished).
    pub fn write<T, E>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        self.commits.send_modify(|n| *n = n.wrapping_add(1));
        Ok(value)
    }
}

/// Prepared statements the connection keeps compiled. The per-record statements of a sync
/// batch (mark synced, history, mirror upserts: ~50 distinct in `store/`) run a hundred times
/// per answer; rusqlite's default of 16 would recompile them (docs/evidence.md, benchmark 1).
const STATEMENT_CACHE_CAPACITY: usize = 128;

/// PRAGMAs are per connection, so they are set here and never inside a migration.
///
/// - `journal_mode=WAL`: readers never block the writer, and a commit is one append.
/// - `synchronous=FULL`: with WAL, NORMAL may lose the last commits on power loss (the
///   database stays consistent but a response QuickBooks already applied could be forgotten,
///   and then sent again). FULL syncs the WAL on every commit, so a committed response is
///   never lost. FieldBridge commits a few times per batch; the cost is invisible.
/// - `foreign_keys=ON`: SQLite's default is off; every reference in the schema is meant.
/// - `temp_store=MEMORY`: a statement that may have to undo itself (an upsert, a trigger, a
///   write to the search index) keeps the pages it changed in a statement journal. By
///   default that journal moves to a temporary file once it outgrows 64 KiB, and from then
///   on every such statement of the transaction wrote its pages to disk with a system call:
///   about a tenth of a first sync's CPU with 50,000 QuickBooks customers (docs/evidence.md,
///   issue 18). In memory it holds only the pages of the one statement running.
/// - Query planner stability (`SQLITE_DBCONFIG_ENABLE_QPSG`): SQLite 3.54 (as bundled) lets
///   the value bound to a parameter steer the plan when the parameter is a LIMIT, an
///   equality next to an ORDER BY, a LIKE pattern and more; such a statement is then
///   compiled again after every new binding, even from the statement cache. The sync's
///   per-record reads are exactly those (an invoice's lines by owner in line order, the
///   pairing index's rows by key with a LIMIT): 5 % of a first sync's CPU went into
///   recompiling them. With the guarantee a statement keeps its one plan.
/// - `busy_timeout`: see [`BUSY_TIMEOUT`].
fn configure(conn: &Connection, wal: bool) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    if wal {
        // journal_mode answers with the mode now in force: a row, so query it.
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt {
                place: "PRAGMA journal_mode",
                value: mode,
                expected: "wal (the database file system must support shared memory)",
            });
        }
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// The current time as stored: RFC 3339, UTC, whole seconds.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_database_uses_wal_full_sync_foreign_keys_and_memory_temp_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        store
            .read(|c| -> Result<(), StoreError> {
                let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                assert_eq!(mode, "wal", "WAL keeps readers off the writer's back");
                let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
                assert_eq!(
                    sync, 2,
                    "FULL (2): a committed response must survive power loss"
                );
                let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
                assert_eq!(fk, 1, "references in the schema must be enforced");
                let temp: i64 = c.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
                assert_eq!(temp, 2, "MEMORY (2): statement journals stay off the disk");
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_cached_statement_is_not_compiled_again_for_each_new_binding() {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                for n in 0..3i64 {
                    tx.execute(
                        "INSERT INTO qb_pairing_keys (key, row) VALUES (?1, ?2)",
                        rusqlite::params![n % 2, n],
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        // The shapes the sync runs per record: an equality beside ORDER BY, and a LIMIT.
        let shapes = [
            "SELECT row FROM qb_pairing_keys WHERE key = ?1 ORDER BY row",
            "SELECT row FROM qb_pairing_keys WHERE key = ?1 LIMIT ?2",
        ];
        store
            .read(|c| -> Result<(), StoreError> {
                for sql in shapes {
                    for i in 0..50i64 {
                        let mut stmt = c.prepare_cached(sql)?;
                        let rows: Vec<i64> = if sql.contains("?2") {
                            stmt.query_map(rusqlite::params![i % 2, 2 + i % 3], |r| r.get(0))?
                                .collect::<rusqlite::Result<_>>()?
                        } else {
                            stmt.query_map([i % 2], |r| r.get(0))?
                                .collect::<rusqlite::Result<_>>()?
                        };
                        assert!(!rows.is_empty());
                        assert_eq!(
                            stmt.get_status(rusqlite::StatementStatus::RePrepare),
                            0,
                            "{sql}: compiled again after binding new values"
                        );
                    }
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_write_that_fails_leaves_nothing_behind() {
        let store = Store::open_in_memory().unwrap();
        let result: Result<(), StoreError> = store.write(|tx| {
            settings::set_port(tx, Some(9000))?;
            Err(StoreError::NotFound {
                what: "thing",
                id: "x".into(),
            })
        });
        assert!(result.is_err());
        let port = store.read(settings::port).unwrap();
        assert_eq!(
            port, None,
            "the failed write's first statement must be rolled back"
        );
    }

    #[test]
    fn clones_share_one_database_across_threads() {
        let store = Store::open_in_memory().unwrap();
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let s = store.clone();
                std::thread::spawn(move || {
                    s.write(|tx| {
                        customers::save(tx, &customers::Customer::named(&format!("C-{i}"), "N"))
                    })
                    .unwrap();
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let n = store.read(customers::list).unwrap().len();
        assert_eq!(
            n, 4,
            "every thread's write must land in the one shared database"
        );
    }

    #[test]
    fn a_read_cannot_write() {
        let store = Store::open_in_memory().unwrap();
        store
            .read(|c| settings::set_raw_for_test(c, "port", "1"))
            .unwrap();
        assert_eq!(
            store.read(settings::port).unwrap(),
            None,
            "read() rolls back, so writes must go through write()"
        );
    }

    #[test]
    fn busy_errors_are_retryable_and_others_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let a = Store::open(&path).unwrap();
        let b = Connection::open(&path).unwrap();
        b.busy_timeout(Duration::from_millis(1)).unwrap();
        b.execute_batch("BEGIN IMMEDIATE").unwrap();
        // `a` waits BUSY_TIMEOUT; shorten it for this test only.
        a.read(|c| {
            c.busy_timeout(Duration::from_millis(1))
                .map_err(StoreError::from)
        })
        .unwrap();
        let err = a
            .write(|tx| settings::set_port(tx, Some(1)))
            .expect_err("another connection holds the write lock");
        assert!(
            err.is_retryable(),
            "a lock held elsewhere is transient: {err}"
        );
        b.execute_batch("ROLLBACK").unwrap();
        assert!(!StoreError::Poisoned.is_retryable());
    }
}
