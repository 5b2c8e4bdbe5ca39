//! App service tickets (QuickBooks estimates, when `estimates_for_tickets` is on) and their
//! lines: saving and reading. Owns tables `service_tickets` and `service_ticket_lines`.

use super::customers::new_guid;
use super::outbox;
use super::records::{
    date_text, parse_date, read_lines, read_with_lines, write_lines, Line, LineTable, RecordKind,
    RecordRef, Saved,
};
use super::{now_utc, StoreError};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTicket {
    pub id: String,
    pub customer_id: String,
    pub project_id: Option<String>,
    pub number: String,
    pub date: NaiveDate,
    pub description: Option<String>,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTicket {
    pub ticket: ServiceTicket,
    pub guid: String,
}

type Raw = (
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
);

fn load(conn: &Connection, raw: Raw) -> Result<StoredTicket, StoreError> {
    let lines = read_lines(conn, LineTable::Ticket, &raw.0)?;
    assemble(raw, lines)
}

fn assemble(raw: Raw, lines: Vec<Line>) -> Result<StoredTicket, StoreError> {
    let (id, customer_id, project_id, number, date, description, guid) = raw;
    Ok(StoredTicket {
        ticket: ServiceTicket {
            date: parse_date("service_tickets.date", &date)?,
            id,
            customer_id,
            project_id,
            number,
            description,
            lines,
        },
        guid,
    })
}

const SELECT: &str =
    "SELECT id, customer_id, project_id, number, date, description, guid FROM service_tickets";

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<StoredTicket>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    let r = stmt.query_row([id], raw).optional()?;
    r.map(|r| load(conn, r)).transpose()
}

/// Many tickets with their lines in two queries, by id (unknown ids are absent).
pub fn get_many(
    conn: &Connection,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, StoredTicket>, StoreError> {
    read_with_lines(
        conn,
        SELECT,
        LineTable::Ticket,
        ids,
        raw,
        |r| r.0.as_str(),
        assemble,
    )
}

pub fn list(conn: &Connection) -> Result<Vec<StoredTicket>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY created_at, rowid"))?;
    let raws = stmt
        .query_map([], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(|r| load(conn, r)).collect()
}

/// Inserts or updates, lines replaced whole (see `customers::save` for the rules).
pub fn save(tx: &Transaction<'_>, t: &ServiceTicket) -> Result<Saved, StoreError> {
    let now = now_utc();
    let saved = match get(tx, &t.id)? {
        Some(old) if old.ticket == *t => return Ok(Saved::Unchanged),
        Some(_) => {
            tx.prepare_cached(
                "UPDATE service_tickets SET customer_id = ?2, project_id = ?3, number = ?4,
                     date = ?5, description = ?6, updated_at = ?7
                 WHERE id = ?1",
            )?
            .execute(params![
                t.id,
                t.customer_id,
                t.project_id,
                t.number,
                date_text(t.date),
                t.description,
                now
            ])?;
            outbox::note_changed(tx, &RecordRef::new(RecordKind::ServiceTicket, t.id.clone()))?;
            Saved::Updated
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO service_tickets (id, guid, customer_id, project_id, number, date,
                     description, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?
            .execute(params![
                t.id,
                new_guid(),
                t.customer_id,
                t.project_id,
                t.number,
                date_text(t.date),
                t.description,
                now
            ])?;
            outbox::enqueue_new(tx, &RecordRef::new(RecordKind::ServiceTicket, t.id.clone()))?;
            Saved::Added
        }
    };
    write_lines(tx, LineTable::Ticket, &t.id, &t.lines)?;
    Ok(saved)
}
