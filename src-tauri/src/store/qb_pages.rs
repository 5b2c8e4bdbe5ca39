//! Pages of the QuickBooks mirror for the local API (`GET /api/v1/quickbooks/...`): QuickBooks
//! customers and jobs with the app record each is linked to, and items, in row order after a
//! cursor. Reads only; the tables belong to `qb_mirror`.

use super::customers::Address;
use super::records::like_pattern;
use super::StoreError;
use rusqlite::{params, Connection, Row};
use serde::Serialize;

/// A QuickBooks customer or job as last read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QbCustomerRow {
    pub list_id: String,
    pub full_name: String,
    pub name: String,
    pub parent_list_id: Option<String>,
    pub company_name: Option<String>,
    pub active: bool,
    pub billing_address: Address,
    pub ship_address: Address,
    /// The app customer (or project, for a job) it is linked to, or null.
    pub linked_to: Option<String>,
}

/// A QuickBooks item as last read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QbItemRow {
    pub list_id: String,
    pub full_name: String,
    #[serde(rename = "type")]
    pub item_type: String,
    pub active: bool,
    /// Sales tax items: the rate in percent, exact; absent for other items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
}

fn address(r: &Row<'_>, at: usize) -> rusqlite::Result<Address> {
    Ok(Address {
        line1: r.get(at)?,
        line2: r.get(at + 1)?,
        city: r.get(at + 2)?,
        state: r.get(at + 3)?,
        postal_code: r.get(at + 4)?,
        country: r.get(at + 5)?,
    })
}

/// At most `limit` customers and jobs after row `after`, those whose full name, company
/// name, email or phone contain `search` (any case) when it is given: (row, customer).
pub fn customers(
    conn: &Connection,
    search: Option<&str>,
    after: i64,
    limit: usize,
) -> Result<Vec<(i64, QbCustomerRow)>, StoreError> {
    let pattern = search.filter(|s| !s.trim().is_empty()).map(like_pattern);
    let mut stmt = conn.prepare_cached(
        "SELECT c.rowid, c.list_id, c.full_name, c.name, c.parent_list_id, c.company_name,
                c.is_active,
                c.bill_line1, c.bill_line2, c.bill_city, c.bill_state, c.bill_postal_code,
                c.bill_country,
                c.ship_line1, c.ship_line2, c.ship_city, c.ship_state, c.ship_postal_code,
                c.ship_country,
                coalesce((SELECT p.customer_id FROM pairings p WHERE p.list_id = c.list_id),
                         (SELECT o.record_id FROM outbox o WHERE o.qb_id = c.list_id
                          AND o.kind IN ('customer', 'project')))
         FROM qb_customers c
         WHERE c.rowid > ?1
           AND (?2 IS NULL OR c.full_name LIKE ?2 ESCAPE '\\'
                OR c.company_name LIKE ?2 ESCAPE '\\' OR c.email LIKE ?2 ESCAPE '\\'
                OR c.phone LIKE ?2 ESCAPE '\\')
         ORDER BY c.rowid LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![after, pattern, limit as i64], |r| {
            Ok((
                r.get(0)?,
                QbCustomerRow {
                    list_id: r.get(1)?,
                    full_name: r.get(2)?,
                    name: r.get(3)?,
                    parent_list_id: r.get(4)?,
                    company_name: r.get(5)?,
                    active: r.get(6)?,
                    billing_address: address(r, 7)?,
                    ship_address: address(r, 13)?,
                    linked_to: r.get(19)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// At most `limit` items after row `after`: (row, item).
pub fn items(
    conn: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<(i64, QbItemRow)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, list_id, full_name, item_type, is_active,
                CASE WHEN item_type = 'sales_tax' THEN tax_rate END
         FROM qb_items WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![after, limit as i64], |r| {
            Ok((
                r.get(0)?,
                QbItemRow {
                    list_id: r.get(1)?,
                    full_name: r.get(2)?,
                    item_type: r.get(3)?,
                    active: r.get(4)?,
                    rate: r.get(5)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
