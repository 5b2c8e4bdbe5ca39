//! Pairings: which QuickBooks customer or job an app customer is. Owns table `pairings`;
//! keeps the customer's outbox row in step with each decision. Finding candidates is
//! `pairing/`'s job, not this module's.

use super::outbox::{self, SyncState};
use super::records::{RecordKind, RecordRef};
use super::{customers, now_utc, qb_mirror, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

pub use super::codes::PairingHow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    pub customer_id: String,
    /// None only while `how` is `Create`.
    pub list_id: Option<String>,
    pub how: PairingHow,
    pub decided_at: String,
}

pub fn get(conn: &Connection, customer_id: &str) -> Result<Option<Pairing>, StoreError> {
    let raw = conn
        .prepare_cached(
            "SELECT customer_id, list_id, how, decided_at FROM pairings WHERE customer_id = ?1",
        )?
        .query_row([customer_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .optional()?;
    raw.map(|(customer_id, list_id, how, decided_at)| {
        Ok(Pairing {
            customer_id,
            list_id,
            how: PairingHow::parse(&how)?,
            decided_at,
        })
    })
    .transpose()
}

fn customer_ref(tx: &Transaction<'_>, customer_id: &str) -> Result<RecordRef, StoreError> {
    if !customers::exists(tx, customer_id)? {
        return Err(StoreError::UnknownCustomer(customer_id.to_owned()));
    }
    let record = RecordRef::new(RecordKind::Customer, customer_id);
    if let Some(e) = outbox::get(tx, &record)? {
        if e.state == SyncState::InFlight {
            return Err(StoreError::InFlight {
                kind: RecordKind::Customer,
                id: customer_id.to_owned(),
            });
        }
    }
    Ok(record)
}

/// Links an app customer to a QuickBooks customer or job that the mirror holds (`how` is
/// `Manual` from a person, `Auto` from the matcher). The customer counts as synced with that
/// ListID from now on.
pub fn link(
    tx: &Transaction<'_>,
    customer_id: &str,
    list_id: &str,
    how: PairingHow,
) -> Result<(), StoreError> {
    let record = customer_ref(tx, customer_id)?;
    let qb = qb_mirror::customer(tx, list_id)?
        .ok_or_else(|| StoreError::UnknownQbListId(list_id.to_owned()))?;
    let holder: Option<String> = tx
        .query_row(
            "SELECT customer_id FROM pairings WHERE list_id = ?1 AND customer_id <> ?2",
            params![list_id, customer_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = holder {
        return Err(StoreError::ListIdAlreadyPaired {
            list_id: list_id.to_owned(),
            customer_id: other,
        });
    }
    upsert(tx, customer_id, Some(list_id), how)?;
    outbox::link_existing(tx, &record, list_id, Some(&qb.edit_sequence))?;
    // Its projects, tickets and invoices that waited for this decision go next.
    outbox::release_parked(tx, outbox::waits_on::PARENT)?;
    Ok(())
}

/// Marks the customer to be created in QuickBooks at the next sync.
pub fn mark_create(tx: &Transaction<'_>, customer_id: &str) -> Result<(), StoreError> {
    let record = customer_ref(tx, customer_id)?;
    if let Some(e) = outbox::get(tx, &record)? {
        if let Some(list_id) = e.qb_id {
            return Err(StoreError::AlreadyInQuickBooks {
                customer_id: customer_id.to_owned(),
                list_id,
            });
        }
    }
    upsert(tx, customer_id, None, PairingHow::Create)?;
    outbox::release_if_parked(tx, &record)
}

/// FieldBridge created the customer (the engine calls this with the new ListID in the same
/// transaction as `outbox::mark_synced`).
pub fn record_created(
    tx: &Transaction<'_>,
    customer_id: &str,
    list_id: &str,
) -> Result<(), StoreError> {
    upsert(tx, customer_id, Some(list_id), PairingHow::Created)
}

/// Removes the link; the customer is pending again (to be matched or created).
pub fn unpair(tx: &Transaction<'_>, customer_id: &str) -> Result<(), StoreError> {
    let record = customer_ref(tx, customer_id)?;
    let n = tx.execute("DELETE FROM pairings WHERE customer_id = ?1", [customer_id])?;
    let linked = outbox::get(tx, &record)?.is_some_and(|e| e.qb_id.is_some());
    if n == 0 && !linked {
        return Err(StoreError::NotPaired(customer_id.to_owned()));
    }
    outbox::unlink(tx, &record)
}

/// The QuickBooks customer a pairing named was deleted there: the pairing goes, the outbox
/// row is left as the caller set it (flagged, so the deletion is reported with the id it had).
pub fn forget_deleted(tx: &Transaction<'_>, customer_id: &str) -> Result<(), StoreError> {
    tx.execute("DELETE FROM pairings WHERE customer_id = ?1", [customer_id])?;
    Ok(())
}

fn upsert(
    tx: &Transaction<'_>,
    customer_id: &str,
    list_id: Option<&str>,
    how: PairingHow,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO pairings (customer_id, list_id, how, decided_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (customer_id) DO UPDATE SET list_id = excluded.list_id,
             how = excluded.how, decided_at = excluded.decided_at",
    )?
    .execute(params![customer_id, list_id, how.as_str(), now_utc()])?;
    Ok(())
}

/// Every ListID some app customer is linked to, with that customer's id.
pub fn linked_list_ids(
    conn: &Connection,
) -> Result<std::collections::HashMap<String, String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT list_id, customer_id FROM pairings WHERE list_id IS NOT NULL
         UNION
         SELECT qb_id, record_id FROM outbox WHERE kind = 'customer' AND qb_id IS NOT NULL",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A fingerprint of the pairings: changes whenever a pairing is made, changed or removed.
pub fn fingerprint(conn: &Connection) -> Result<(i64, Option<String>, i64), StoreError> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM pairings), (SELECT max(decided_at) FROM pairings),
                (SELECT count(*) FROM outbox WHERE kind = 'customer' AND qb_id IS NOT NULL)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::customers::Customer;
    use crate::store::qb_mirror::QbCustomer;
    use crate::store::Store;

    fn setup() -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                customers::save(tx, &Customer::named("C-1", "Ecker"))?;
                customers::save(tx, &Customer::named("C-2", "Other"))?;
                qb_mirror::upsert_customer(
                    tx,
                    &QbCustomer {
                        list_id: "80000001-1".into(),
                        full_name: "Ecker".into(),
                        name: "Ecker".into(),
                        is_active: true,
                        edit_sequence: "42".into(),
                        time_modified: "2026-10-01T10:00:00-05:00".into(),
                        ..QbCustomer::default()
                    },
                )
            })
            .unwrap();
        store
    }

    fn entry(store: &Store, id: &str) -> outbox::OutboxEntry {
        store
            .read(|c| outbox::get(c, &RecordRef::new(RecordKind::Customer, id)))
            .unwrap()
            .unwrap()
    }

    #[test]
    fn linking_makes_the_customer_synced_with_that_list_id() {
        let store = setup();
        store
            .write(|tx| link(tx, "C-1", "80000001-1", PairingHow::Manual))
            .unwrap();
        let e = entry(&store, "C-1");
        assert_eq!(e.state, SyncState::Synced);
        assert_eq!(e.qb_id.as_deref(), Some("80000001-1"));
        assert_eq!(
            e.edit_sequence.as_deref(),
            Some("42"),
            "from the mirror, for a later Mod"
        );
        let p = store.read(|c| get(c, "C-1")).unwrap().unwrap();
        assert_eq!(p.how, PairingHow::Manual);
    }

    #[test]
    fn validation_errors_are_typed_and_say_what_to_do() {
        let store = setup();
        let err = store
            .write(|tx| link(tx, "C-9", "80000001-1", PairingHow::Manual))
            .unwrap_err();
        assert!(
            matches!(err, StoreError::UnknownCustomer(ref id) if id == "C-9"),
            "{err:?}"
        );
        let err = store
            .write(|tx| link(tx, "C-1", "8000FFFF-1", PairingHow::Manual))
            .unwrap_err();
        assert!(matches!(err, StoreError::UnknownQbListId(_)), "{err:?}");
        assert!(
            err.to_string().contains("run a sync"),
            "the next step: {err}"
        );
        store
            .write(|tx| link(tx, "C-1", "80000001-1", PairingHow::Manual))
            .unwrap();
        let err = store
            .write(|tx| link(tx, "C-2", "80000001-1", PairingHow::Manual))
            .unwrap_err();
        assert!(
            matches!(err, StoreError::ListIdAlreadyPaired { .. }),
            "{err:?}"
        );
        let err = store.write(|tx| mark_create(tx, "C-1")).unwrap_err();
        assert!(
            matches!(err, StoreError::AlreadyInQuickBooks { .. }),
            "{err:?}"
        );
        let err = store.write(|tx| unpair(tx, "C-2")).unwrap_err();
        assert!(matches!(err, StoreError::NotPaired(_)), "{err:?}");
    }

    #[test]
    fn unpair_and_create_return_the_customer_to_pending() {
        let store = setup();
        store
            .write(|tx| link(tx, "C-1", "80000001-1", PairingHow::Manual))
            .unwrap();
        store.write(|tx| unpair(tx, "C-1")).unwrap();
        let e = entry(&store, "C-1");
        assert_eq!((e.state, e.qb_id), (SyncState::Pending, None));
        assert_eq!(store.read(|c| get(c, "C-1")).unwrap(), None);
        store.write(|tx| mark_create(tx, "C-1")).unwrap();
        let p = store.read(|c| get(c, "C-1")).unwrap().unwrap();
        assert_eq!((p.how, p.list_id), (PairingHow::Create, None));
        assert_eq!(entry(&store, "C-1").state, SyncState::Pending);
    }
}
