//! Pages of QuickBooks' customers and jobs written to the mirror just after the round trip
//! that read them commits, on a thread of their own, while QuickBooks reads the next page
//! (issue 18: in a company of 50,000 names, writing each page to the mirror and filing it in
//! the pairing index was most of the time FieldBridge kept QuickBooks waiting). Owns only the
//! hand-over; what a page writes is `qb_mirror`'s, and how it is filed is the pairing
//! index's (`push::file_queued`, given by the stage that owns it).
//!
//! Why nothing can be lost or written twice:
//! - A page is handed over only after its round trip has committed, and the engine waits for
//!   it before it applies the next answer or ends the session, so the writes keep the order
//!   they would have inside the round trips.
//! - Only a page that is not its step's last is deferred. The last page, the step's cursor
//!   and what follows a complete read of the customers are written inside the round trip,
//!   after every earlier page (the engine waited for it). A stop before a deferred page is
//!   written leaves the cursor where it was: the next session reads the same window again,
//!   and every write of the mirror is an upsert by ListID.
//! - A page that could not be written fails the session at the next answer with the store's
//!   words, the cursor unmoved, as if the round trip itself had failed.
//!
//! Also owns what waits for the session's end: the QuickBooks customers the session wrote
//! wait in the search queue and are indexed for search after it ([`index_for_search_later`]).

use crate::store::qb_mirror::{self, QbCustomer};
use crate::store::{Store, StoreError};
use std::thread::JoinHandle;

/// Files the pairing keys of the QuickBooks records queued for it (`push::file_queued`).
pub type FileKeys = fn(&rusqlite::Transaction<'_>) -> Result<u64, StoreError>;

/// The page being written, if any.
pub struct Deferred {
    writing: Option<JoinHandle<Result<(), StoreError>>>,
    /// Files a written page's pairing keys, in the page's transaction.
    file_keys: FileKeys,
}

impl Deferred {
    pub fn new(file_keys: FileKeys) -> Self {
        Self {
            writing: None,
            file_keys,
        }
    }

    /// Starts writing `page` (nothing to do for an empty page). The caller has waited for the
    /// page before it ([`Deferred::wait`]). Without a thread (the system refuses one) the page
    /// is written here and now.
    pub fn start(&mut self, store: &Store, page: Vec<QbCustomer>) -> Result<(), StoreError> {
        debug_assert!(self.writing.is_none(), "a deferred page was not waited for");
        if page.is_empty() {
            return Ok(());
        }
        let writer = store.clone();
        let file_keys = self.file_keys;
        let (hand, take) = std::sync::mpsc::channel::<Vec<QbCustomer>>();
        let spawned = std::thread::Builder::new()
            .name("fieldbridge-mirror".into())
            .spawn(move || match take.recv() {
                Ok(page) => writer.write(|tx| write_page(tx, &page, file_keys)),
                Err(_) => Ok(()),
            });
        let page = match spawned {
            Ok(handle) => match hand.send(page) {
                Ok(()) => {
                    self.writing = Some(handle);
                    return Ok(());
                }
                Err(unsent) => unsent.0,
            },
            Err(e) => {
                tracing::warn!(
                    "no thread for a page of QuickBooks customers ({e}); writing it now"
                );
                page
            }
        };
        store.write(|tx| write_page(tx, &page, file_keys))
    }

    /// Waits until the page handed over last is written; its error, if it could not be.
    pub fn wait(&mut self) -> Result<(), StoreError> {
        match self.writing.take() {
            None => Ok(()),
            Some(handle) => handle.join().unwrap_or(Err(StoreError::Poisoned)),
        }
    }
}

/// QuickBooks customers indexed for search per transaction after a session: the window's
/// and the API's reads wait for at most one such chunk.
const SEARCH_CHUNK: usize = 1_000;

/// Indexes for search, on a thread of its own, the QuickBooks customers waiting in the search
/// queue (those a session just read), [`SEARCH_CHUNK`] per transaction. Searches read
/// queued rows directly, so nothing a person sees changes; a stop in between leaves the rest
/// queued for the next session's end. The number indexed, when joined (tests).
pub fn index_for_search_later(store: &Store) -> Option<JoinHandle<Result<usize, StoreError>>> {
    let store = store.clone();
    let spawned = std::thread::Builder::new()
        .name("fieldbridge-search-index".into())
        .spawn(move || {
            let mut indexed = 0;
            loop {
                let n = store.write(|tx| qb_mirror::index_for_search(tx, SEARCH_CHUNK))?;
                if n == 0 {
                    return Ok(indexed);
                }
                indexed += n;
            }
        });
    match spawned {
        Ok(handle) => Some(handle),
        Err(e) => {
            tracing::warn!(
                "no thread to index QuickBooks customers for search ({e}); they stay queued"
            );
            None
        }
    }
}

/// One page in one transaction: the rows, then their pairing keys (the triggers queued them).
fn write_page(
    tx: &rusqlite::Transaction<'_>,
    page: &[QbCustomer],
    file_keys: FileKeys,
) -> Result<(), StoreError> {
    for c in page {
        qb_mirror::upsert_customer(tx, c)?;
    }
    file_keys(tx)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::pairing_keys;

    fn page(from: usize, to: usize) -> Vec<QbCustomer> {
        (from..to)
            .map(|n| QbCustomer {
                list_id: format!("8000{n:04}-1"),
                name: format!("Customer {n}"),
                full_name: format!("Customer {n}"),
                is_active: true,
                phone: Some(format!("555-01{n:02}")),
                edit_sequence: "1".into(),
                time_modified: "2026-10-01T09:00:00-05:00".into(),
                ..Default::default()
            })
            .collect()
    }

    /// The one number `sql` selects.
    fn count(store: &Store, sql: &str) -> i64 {
        store
            .read(|c| c.query_row(sql, [], |r| r.get(0)).map_err(StoreError::from))
            .unwrap()
    }

    fn mirrored(store: &Store) -> i64 {
        count(store, "SELECT count(*) FROM qb_customers")
    }

    #[test]
    fn a_page_is_written_and_filed_by_the_time_the_wait_returns() {
        let store = Store::open_in_memory().unwrap();
        let mut deferred = Deferred::new(crate::sync::push::file_queued);
        deferred.start(&store, page(0, 40)).unwrap();
        deferred.wait().unwrap();
        assert_eq!(mirrored(&store), 40);
        let queued = store.read(pairing_keys::queue_len).unwrap();
        assert_eq!(queued, 0, "the page's pairing keys are filed with it");
        // Filed: a customer is found by its phone's key.
        let row = count(
            &store,
            "SELECT count(*) FROM qb_pairing_keys k JOIN qb_customers c ON c.rowid = k.row
             WHERE c.list_id = '80000007-1'",
        );
        assert!(row > 0, "keys filed for the page's customers");
        // The next page after waiting; nothing to wait for twice.
        deferred.start(&store, page(40, 50)).unwrap();
        deferred.wait().unwrap();
        deferred.wait().unwrap();
        assert_eq!(mirrored(&store), 50);
    }

    #[test]
    fn a_page_that_cannot_be_written_is_reported_and_writes_nothing() {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "CREATE TRIGGER refuse BEFORE INSERT ON qb_customers
                     WHEN new.list_id = '80000003-1' BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
                )
                .map_err(StoreError::from)
            })
            .unwrap();
        let mut deferred = Deferred::new(crate::sync::push::file_queued);
        deferred.start(&store, page(0, 10)).unwrap();
        let err = deferred.wait().unwrap_err();
        assert!(err.to_string().contains("disk full"), "{err}");
        assert_eq!(
            mirrored(&store),
            0,
            "the page is one transaction: all or nothing"
        );
        deferred.wait().unwrap();
    }

    #[test]
    fn customers_written_in_a_session_are_indexed_for_search_after_it() {
        let store = Store::open_in_memory().unwrap();
        let mut deferred = Deferred::new(crate::sync::push::file_queued);
        deferred.start(&store, page(0, 2_500)).unwrap();
        deferred.wait().unwrap();
        let queued = |store: &Store| count(store, "SELECT count(*) FROM qb_customers_fts_queue");
        assert_eq!(
            queued(&store),
            2_500,
            "nothing is indexed during the session"
        );
        let search = |store: &Store| {
            store
                .read(|c| qb_mirror::search_customers(c, "Customer 1234", false, 0, 10))
                .unwrap()
        };
        let before = search(&store);
        assert_eq!(before.1, 1, "a queued customer is found");
        let indexed = index_for_search_later(&store)
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert_eq!(indexed, 2_500);
        assert_eq!(queued(&store), 0);
        assert_eq!(search(&store), before, "the same answer from the index");
        let in_index = count(
            &store,
            r#"SELECT count(*) FROM qb_customers_fts WHERE qb_customers_fts MATCH 'full_name:"tomer 1234"'"#,
        );
        assert_eq!(in_index, 1, "found through the index itself");
        assert_eq!(
            index_for_search_later(&store)
                .unwrap()
                .join()
                .unwrap()
                .unwrap(),
            0
        );
    }

    #[test]
    fn an_empty_page_starts_nothing() {
        let store = Store::open_in_memory().unwrap();
        let mut deferred = Deferred::new(crate::sync::push::file_queued);
        deferred.start(&store, Vec::new()).unwrap();
        assert!(deferred.writing.is_none());
        deferred.wait().unwrap();
    }
}
