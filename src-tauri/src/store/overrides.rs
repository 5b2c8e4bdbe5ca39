//! QuickBooks-side names and numbers a person chose for records whose own value breaks a
//! QuickBooks limit (the Sync page's "rename"). Owns table `qb_name_overrides`. Owns no
//! validation (the caller checks QuickBooks' limits) and no decision to use an override
//! (the sync does, when it builds the record's request).

use super::records::{RecordKind, RecordRef};
use super::{now_utc, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::HashMap;

/// Sets the value sent to QuickBooks for one field of one record (replacing an earlier one).
pub fn set(
    tx: &Transaction<'_>,
    record: &RecordRef,
    field: &str,
    value: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO qb_name_overrides (kind, record_id, field, value, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (kind, record_id, field) DO UPDATE SET value = excluded.value,
             updated_at = excluded.updated_at",
        params![record.kind.as_str(), record.id, field, value, now_utc()],
    )?;
    Ok(())
}

/// The value a person chose for this field of this record, if any.
pub fn get(
    conn: &Connection,
    record: &RecordRef,
    field: &str,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT value FROM qb_name_overrides WHERE kind = ?1 AND record_id = ?2 AND field = ?3",
        )?
        .query_row(params![record.kind.as_str(), record.id, field], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Every override, by (record, field): the sync reads them once per batch it plans
/// (there are only as many as records a person renamed).
pub fn all(conn: &Connection) -> Result<HashMap<(RecordRef, String), String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT kind, record_id, field, value FROM qb_name_overrides")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(kind, id, field, value)| {
            Ok((
                (RecordRef::new(RecordKind::parse(&kind)?, id), field),
                value,
            ))
        })
        .collect()
}

/// Forgets the override (the record's own value is sent again).
pub fn clear(tx: &Transaction<'_>, record: &RecordRef, field: &str) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM qb_name_overrides WHERE kind = ?1 AND record_id = ?2 AND field = ?3",
        params![record.kind.as_str(), record.id, field],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn an_override_is_set_replaced_read_and_cleared() {
        let store = Store::open_in_memory().unwrap();
        let r = RecordRef::new(RecordKind::Invoice, "I-1");
        assert_eq!(
            store.read(|c| get(c, &r, "number")).unwrap(),
            None,
            "none yet"
        );
        store.write(|tx| set(tx, &r, "number", "10045")).unwrap();
        store.write(|tx| set(tx, &r, "number", "10046")).unwrap();
        assert_eq!(
            store.read(|c| get(c, &r, "number")).unwrap().as_deref(),
            Some("10046"),
            "a second rename replaces the first"
        );
        let other = RecordRef::new(RecordKind::ServiceTicket, "I-1");
        assert_eq!(
            store.read(|c| get(c, &other, "number")).unwrap(),
            None,
            "overrides are per kind: a ticket with the same id has none"
        );
        let every = store.read(all).unwrap();
        assert_eq!(
            every
                .get(&(r.clone(), "number".to_owned()))
                .map(String::as_str),
            Some("10046"),
            "all() holds what get() reads"
        );
        assert_eq!(every.len(), 1, "one record, one field");
        store.write(|tx| clear(tx, &r, "number")).unwrap();
        assert_eq!(store.read(|c| get(c, &r, "number")).unwrap(), None);
    }
}
