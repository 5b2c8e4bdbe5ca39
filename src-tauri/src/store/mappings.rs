//! Item mappings (which QuickBooks item each kind of line uses) and payment method mappings.
//! Owns tables `item_mappings` and `payment_method_mappings`. Whether the item exists in
//! QuickBooks is checked by the sync pre-flight against the mirror, so a mapping can be set
//! before the first sync.

use super::outbox;
use super::{now_utc, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// qbXML 13.0: ItemRef FullName is at most 159 characters (STRTYPE, "other list FullName").
pub const ITEM_FULL_NAME_MAX: usize = 159;

pub use super::codes::{ItemRole, UnknownRole};

/// Sets the item for a role.
pub fn set_item(
    tx: &Transaction<'_>,
    role: ItemRole,
    item_full_name: &str,
) -> Result<(), StoreError> {
    let name = item_full_name.trim();
    if name.is_empty() || name.chars().count() > ITEM_FULL_NAME_MAX {
        return Err(StoreError::InvalidSetting {
            key: "item mapping",
            message: format!(
                "the item name must be 1 to {ITEM_FULL_NAME_MAX} characters, found {:?}",
                item_full_name
            ),
        });
    }
    tx.prepare_cached(
        "INSERT INTO item_mappings (role, item_full_name, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (role) DO UPDATE SET item_full_name = excluded.item_full_name,
             updated_at = excluded.updated_at",
    )?
    .execute(params![role.as_str(), name, now_utc()])?;
    outbox::release_parked(tx, outbox::waits_on::MAPPING)?;
    Ok(())
}

pub fn item(conn: &Connection, role: ItemRole) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT item_full_name FROM item_mappings WHERE role = ?1",
            [role.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every role with its item (None: not mapped yet), in `ItemRole::ALL` order.
pub fn items(conn: &Connection) -> Result<Vec<(ItemRole, Option<String>)>, StoreError> {
    ItemRole::ALL
        .into_iter()
        .map(|r| Ok((r, item(conn, r)?)))
        .collect()
}

pub fn clear_item(tx: &Transaction<'_>, role: ItemRole) -> Result<(), StoreError> {
    tx.execute("DELETE FROM item_mappings WHERE role = ?1", [role.as_str()])?;
    outbox::release_parked(tx, outbox::waits_on::MAPPING)?;
    Ok(())
}

/// Maps an app payment method word ("Credit Card") to a QuickBooks PaymentMethod name.
pub fn set_payment_method(
    tx: &Transaction<'_>,
    app_method: &str,
    qb_method_name: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO payment_method_mappings (app_method, qb_method_name, updated_at)
         VALUES (?1, ?2, ?3)
         ON CONFLICT (app_method) DO UPDATE SET qb_method_name = excluded.qb_method_name,
             updated_at = excluded.updated_at",
    )?
    .execute(params![app_method, qb_method_name, now_utc()])?;
    outbox::release_parked(tx, outbox::waits_on::PAYMENT_METHOD)?;
    Ok(())
}

/// The QuickBooks method for an app method: the mapping, else None (the engine may then use
/// a QuickBooks method of the same name).
pub fn payment_method(conn: &Connection, app_method: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT qb_method_name FROM payment_method_mappings WHERE app_method = ?1",
            [app_method],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every payment method mapping: (app method, QuickBooks method), by app method.
pub fn payment_methods(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT app_method, qb_method_name FROM payment_method_mappings
         ORDER BY app_method COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Forgets a payment method mapping (no QuickBooks method is sent for it).
pub fn clear_payment_method(tx: &Transaction<'_>, app_method: &str) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM payment_method_mappings WHERE app_method = ?1",
        [app_method],
    )?;
    outbox::release_parked(tx, outbox::waits_on::PAYMENT_METHOD)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn roles_parse_from_the_cli_words_and_mappings_round_trip() {
        let role: ItemRole = "project-tax-item".parse().unwrap();
        assert_eq!(role, ItemRole::ProjectTaxItem);
        assert_eq!(
            "labor".parse::<ItemRole>().unwrap_err().to_string(),
            "\"labor\" is not an item role (expected service-item, service-tax-item, project-item or project-tax-item)"
        );
        let store = Store::open_in_memory().unwrap();
        store.write(|tx| set_item(tx, role, "Tax:CT")).unwrap();
        store.write(|tx| set_item(tx, role, "Tax:MA")).unwrap();
        assert_eq!(
            store.read(|c| item(c, role)).unwrap().as_deref(),
            Some("Tax:MA")
        );
        assert_eq!(
            store.read(|c| item(c, ItemRole::ServiceItem)).unwrap(),
            None
        );
        assert!(
            store.write(|tx| set_item(tx, role, "  ")).is_err(),
            "an empty name is no item"
        );
        store
            .write(|tx| set_payment_method(tx, "Card", "Visa"))
            .unwrap();
        assert_eq!(
            store
                .read(|c| payment_method(c, "Card"))
                .unwrap()
                .as_deref(),
            Some("Visa")
        );
    }
}
