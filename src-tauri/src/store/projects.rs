//! App projects (QuickBooks jobs, `Customer:Project`): saving and reading. Owns table
//! `projects`.

use super::customers::new_guid;
use super::outbox;
use super::records::{RecordKind, RecordRef, Saved};
use super::{now_utc, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProject {
    pub project: Project,
    pub guid: String,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<StoredProject> {
    Ok(StoredProject {
        project: Project {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            name: r.get(2)?,
            active: r.get(3)?,
        },
        guid: r.get(4)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<StoredProject>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT id, customer_id, name, active, guid FROM projects WHERE id = ?1")?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<StoredProject>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, customer_id, name, active, guid FROM projects ORDER BY created_at, rowid",
    )?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Inserts or updates (see `customers::save` for the rules).
pub fn save(tx: &Transaction<'_>, p: &Project) -> Result<Saved, StoreError> {
    let now = now_utc();
    match get(tx, &p.id)? {
        Some(old) if old.project == *p => Ok(Saved::Unchanged),
        Some(_) => {
            tx.prepare_cached(
                "UPDATE projects SET customer_id = ?2, name = ?3, active = ?4, updated_at = ?5
                 WHERE id = ?1",
            )?
            .execute(params![p.id, p.customer_id, p.name, p.active, now])?;
            outbox::note_changed(tx, &RecordRef::new(RecordKind::Project, p.id.clone()))?;
            Ok(Saved::Updated)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO projects (id, guid, customer_id, name, active, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )?
            .execute(params![
                p.id,
                new_guid(),
                p.customer_id,
                p.name,
                p.active,
                now
            ])?;
            outbox::enqueue_new(tx, &RecordRef::new(RecordKind::Project, p.id.clone()))?;
            Ok(Saved::Added)
        }
    }
}
