//! Vendors: the app's own (import format `vendors`), QuickBooks' (VendorQuery, as last read)
//! and the pairing between them, decided exactly as customers' are (`store::pairings`).
//! Owns tables `vendors`, `qb_vendors` and `vendor_pairings`; keeps the vendor's outbox row
//! in step with each pairing decision. Finding candidates is `pairing/`'s job.

use super::codes::PairingHow;
use super::customers::new_guid;
use super::outbox::{self, SyncState};
use super::records::{RecordKind, RecordRef, Saved};
use super::{now_utc, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use std::collections::HashMap;

/// An app vendor (import format: `id`, `name` required).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Vendor {
    pub id: String,
    /// QuickBooks' Name (at most 41 characters, checked at sync).
    pub name: String,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: super::customers::Address,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVendor {
    pub vendor: Vendor,
    /// The ExternalGUID of its VendorAdd.
    pub guid: String,
}

const SELECT: &str = "SELECT id, name, company_name, email, phone, line1, line2, city, state,
    postal_code, country, active, guid FROM vendors";

fn load(r: &Row<'_>) -> rusqlite::Result<StoredVendor> {
    Ok(StoredVendor {
        vendor: Vendor {
            id: r.get(0)?,
            name: r.get(1)?,
            company_name: r.get(2)?,
            email: r.get(3)?,
            phone: r.get(4)?,
            address: super::customers::Address::read(r, 5)?,
            active: r.get(11)?,
        },
        guid: r.get(12)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<StoredVendor>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], load)
        .optional()?)
}

pub fn exists(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(get(conn, id)?.is_some())
}

/// Every app vendor, by name.
pub fn list(conn: &Connection) -> Result<Vec<StoredVendor>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY name COLLATE NOCASE, id"))?;
    let rows = stmt
        .query_map([], load)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Inserts or updates (the rules of `customers::save`: a new vendor is pending; a changed
/// one already in QuickBooks is a pending change; an unchanged one is left alone).
pub fn save(tx: &Transaction<'_>, v: &Vendor) -> Result<Saved, StoreError> {
    let now = now_utc();
    let record = RecordRef::new(RecordKind::Vendor, v.id.clone());
    let a = &v.address;
    match get(tx, &v.id)? {
        Some(old) if old.vendor == *v => Ok(Saved::Unchanged),
        Some(_) => {
            tx.prepare_cached(
                "UPDATE vendors SET name = ?2, company_name = ?3, email = ?4, phone = ?5,
                     line1 = ?6, line2 = ?7, city = ?8, state = ?9, postal_code = ?10,
                     country = ?11, active = ?12, updated_at = ?13
                 WHERE id = ?1",
            )?
            .execute(params![
                v.id,
                v.name,
                v.company_name,
                v.email,
                v.phone,
                a.line1,
                a.line2,
                a.city,
                a.state,
                a.postal_code,
                a.country,
                v.active,
                now
            ])?;
            outbox::note_changed(tx, &record)?;
            Ok(Saved::Updated)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO vendors (id, guid, name, company_name, email, phone, line1, line2,
                     city, state, postal_code, country, active, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
            )?
            .execute(params![
                v.id,
                new_guid(),
                v.name,
                v.company_name,
                v.email,
                v.phone,
                a.line1,
                a.line2,
                a.city,
                a.state,
                a.postal_code,
                a.country,
                v.active,
                now
            ])?;
            outbox::enqueue_new(tx, &record)?;
            Ok(Saved::Added)
        }
    }
}

// ------------------------------------------------------------------ QuickBooks' vendors

/// A QuickBooks vendor as last read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct QbVendor {
    pub list_id: String,
    pub name: String,
    pub is_active: bool,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub line1: Option<String>,
    pub postal_code: Option<String>,
    pub edit_sequence: String,
    pub time_modified: Option<String>,
    pub external_guid: Option<String>,
}

pub fn upsert_qb(tx: &Transaction<'_>, v: &QbVendor) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO qb_vendors (list_id, name, is_active, company_name, email, phone, line1,
             postal_code, edit_sequence, time_modified, external_guid, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (list_id) DO UPDATE SET name = excluded.name,
             is_active = excluded.is_active, company_name = excluded.company_name,
             email = excluded.email, phone = excluded.phone, line1 = excluded.line1,
             postal_code = excluded.postal_code, edit_sequence = excluded.edit_sequence,
             time_modified = excluded.time_modified,
             external_guid = coalesce(excluded.external_guid, qb_vendors.external_guid),
             seen_at = excluded.seen_at",
    )?
    .execute(params![
        v.list_id,
        v.name,
        v.is_active,
        v.company_name,
        v.email,
        v.phone,
        v.line1,
        v.postal_code,
        v.edit_sequence,
        v.time_modified,
        v.external_guid,
        now_utc()
    ])?;
    Ok(())
}

const QB_SELECT: &str = "SELECT list_id, name, is_active, company_name, email, phone, line1,
    postal_code, edit_sequence, time_modified, external_guid FROM qb_vendors";

fn load_qb(r: &Row<'_>) -> rusqlite::Result<QbVendor> {
    Ok(QbVendor {
        list_id: r.get(0)?,
        name: r.get(1)?,
        is_active: r.get(2)?,
        company_name: r.get(3)?,
        email: r.get(4)?,
        phone: r.get(5)?,
        line1: r.get(6)?,
        postal_code: r.get(7)?,
        edit_sequence: r.get(8)?,
        time_modified: r.get(9)?,
        external_guid: r.get(10)?,
    })
}

pub fn qb_vendor(conn: &Connection, list_id: &str) -> Result<Option<QbVendor>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("{QB_SELECT} WHERE list_id = ?1"))?
        .query_row([list_id], load_qb)
        .optional()?)
}

/// The QuickBooks vendor FieldBridge created with this ExternalGUID (lost-answer recovery).
pub fn qb_vendor_by_guid(conn: &Connection, guid: &str) -> Result<Option<QbVendor>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "{QB_SELECT} WHERE external_guid = ?1 COLLATE NOCASE"
        ))?
        .query_row([guid], load_qb)
        .optional()?)
}

/// Every QuickBooks vendor read, by name.
pub fn qb_vendors(conn: &Connection) -> Result<Vec<QbVendor>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{QB_SELECT} ORDER BY name COLLATE NOCASE"))?;
    let rows = stmt
        .query_map([], load_qb)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Whether QuickBooks (as last read, including what FieldBridge added this session) has a
/// vendor or a top-level customer named `name`, without regard to case: QuickBooks keeps one
/// list of names for both, so a vendor cannot take a customer's name.
pub fn name_in_quickbooks(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM qb_vendors WHERE name = ?1 COLLATE NOCASE)
                 OR EXISTS (SELECT 1 FROM qb_customers
                            WHERE full_name = ?1 COLLATE NOCASE AND parent_list_id IS NULL)",
        )?
        .query_row([name.trim()], |r| r.get(0))?)
}

// ------------------------------------------------------------------ pairings

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorPairing {
    pub vendor_id: String,
    /// None only while `how` is `Create`.
    pub list_id: Option<String>,
    pub how: PairingHow,
}

pub fn pairing(conn: &Connection, vendor_id: &str) -> Result<Option<VendorPairing>, StoreError> {
    let raw = conn
        .prepare_cached("SELECT list_id, how FROM vendor_pairings WHERE vendor_id = ?1")?
        .query_row([vendor_id], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?;
    raw.map(|(list_id, how)| {
        Ok(VendorPairing {
            vendor_id: vendor_id.to_owned(),
            list_id,
            how: PairingHow::parse(&how)?,
        })
    })
    .transpose()
}

fn vendor_ref(tx: &Transaction<'_>, vendor_id: &str) -> Result<RecordRef, StoreError> {
    if !exists(tx, vendor_id)? {
        return Err(StoreError::NotFound {
            what: "vendor",
            id: vendor_id.to_owned(),
        });
    }
    let record = RecordRef::new(RecordKind::Vendor, vendor_id);
    if let Some(e) = outbox::get(tx, &record)? {
        if e.state == SyncState::InFlight {
            return Err(StoreError::InFlight {
                kind: RecordKind::Vendor,
                id: vendor_id.to_owned(),
            });
        }
    }
    Ok(record)
}

/// Links an app vendor to a QuickBooks vendor the mirror holds (`Manual` from a person,
/// `Auto` from the matcher); the vendor counts as synced with that ListID from now on, and
/// its expenses that waited for it go next.
pub fn link(
    tx: &Transaction<'_>,
    vendor_id: &str,
    list_id: &str,
    how: PairingHow,
) -> Result<(), StoreError> {
    let record = vendor_ref(tx, vendor_id)?;
    let qb = qb_vendor(tx, list_id)?.ok_or_else(|| {
        StoreError::VendorPairing(format!(
            "QuickBooks vendor \"{list_id}\" is not known to FieldBridge yet; run a sync (so \
             FieldBridge reads QuickBooks' vendor list) and try again"
        ))
    })?;
    let holder: Option<String> = tx
        .query_row(
            "SELECT vendor_id FROM vendor_pairings WHERE list_id = ?1 AND vendor_id <> ?2",
            params![list_id, vendor_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = holder {
        return Err(StoreError::VendorPairing(format!(
            "QuickBooks vendor \"{}\" is already paired with app vendor \"{other}\"; unpair \
             that one first",
            qb.name
        )));
    }
    upsert_pairing(tx, vendor_id, Some(list_id), how)?;
    outbox::link_existing(tx, &record, list_id, Some(&qb.edit_sequence))?;
    outbox::release_parked(tx, outbox::waits_on::PARENT)?;
    Ok(())
}

/// Marks the vendor to be created in QuickBooks at the next sync (a person's choice, for a
/// vendor pairing was unsure about).
pub fn mark_create(tx: &Transaction<'_>, vendor_id: &str) -> Result<(), StoreError> {
    let record = vendor_ref(tx, vendor_id)?;
    if let Some(list_id) = outbox::get(tx, &record)?.and_then(|e| e.qb_id) {
        return Err(StoreError::VendorPairing(format!(
            "vendor \"{vendor_id}\" already exists in QuickBooks as \"{list_id}\"; unpair it \
             first if it should be created again"
        )));
    }
    upsert_pairing(tx, vendor_id, None, PairingHow::Create)?;
    outbox::release_if_parked(tx, &record)
}

/// FieldBridge created the vendor (in the transaction that marks it synced).
pub fn record_created(
    tx: &Transaction<'_>,
    vendor_id: &str,
    list_id: &str,
) -> Result<(), StoreError> {
    upsert_pairing(tx, vendor_id, Some(list_id), PairingHow::Created)
}

/// Removes the link; the vendor is pending again (to be matched or created).
pub fn unpair(tx: &Transaction<'_>, vendor_id: &str) -> Result<(), StoreError> {
    let record = vendor_ref(tx, vendor_id)?;
    let n = tx.execute(
        "DELETE FROM vendor_pairings WHERE vendor_id = ?1",
        [vendor_id],
    )?;
    let linked = outbox::get(tx, &record)?.is_some_and(|e| e.qb_id.is_some());
    if n == 0 && !linked {
        return Err(StoreError::VendorPairing(format!(
            "vendor \"{vendor_id}\" is not paired with anything in QuickBooks"
        )));
    }
    outbox::unlink(tx, &record)
}

fn upsert_pairing(
    tx: &Transaction<'_>,
    vendor_id: &str,
    list_id: Option<&str>,
    how: PairingHow,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO vendor_pairings (vendor_id, list_id, how, decided_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (vendor_id) DO UPDATE SET list_id = excluded.list_id,
             how = excluded.how, decided_at = excluded.decided_at",
    )?
    .execute(params![vendor_id, list_id, how.as_str(), now_utc()])?;
    Ok(())
}

/// Every QuickBooks ListID some app vendor is linked to, with that vendor's id.
pub fn linked_list_ids(conn: &Connection) -> Result<HashMap<String, String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT list_id, vendor_id FROM vendor_pairings WHERE list_id IS NOT NULL
         UNION
         SELECT qb_id, record_id FROM outbox WHERE kind = 'vendor' AND qb_id IS NOT NULL",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
