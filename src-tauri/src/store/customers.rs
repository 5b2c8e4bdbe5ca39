//! App customers: saving (insert or update, with outbox bookkeeping) and reading. Owns table
//! `customers`; does not judge QuickBooks limits (the sync pre-flight does).

use super::codes::PairingHow;
use super::outbox;
use super::records::{RecordKind, RecordRef, Saved};
use super::standing::Standing;
use super::{now_utc, StoreError};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// A postal address as the import format has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

impl Address {
    /// Reads the six address columns (line1, line2, city, state, postal_code, country)
    /// starting at column `at`.
    pub(crate) fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Self> {
        Ok(Address {
            line1: r.get(at)?,
            line2: r.get(at + 1)?,
            city: r.get(at + 2)?,
            state: r.get(at + 3)?,
            postal_code: r.get(at + 4)?,
            country: r.get(at + 5)?,
        })
    }

    pub fn is_empty(&self) -> bool {
        *self == Address::default()
    }
}

/// One app customer (its content; the guid is the store's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub company_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub billing_address: Address,
    pub service_address: Address,
    /// Default for lines that do not say (import format). Default true.
    pub taxable: bool,
    pub active: bool,
}

impl Customer {
    /// A customer with only an id and a name (taxable, active).
    pub fn named(id: &str, name: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            company_name: None,
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            billing_address: Address::default(),
            service_address: Address::default(),
            taxable: true,
            active: true,
        }
    }
}

/// A stored customer: content plus the store's own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCustomer {
    pub customer: Customer,
    /// The ExternalGUID, generated at first import, never changed.
    pub guid: String,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, name, company_name, first_name, last_name, email, phone, \
    billing_line1, billing_line2, billing_city, billing_state, billing_postal_code, billing_country, \
    service_line1, service_line2, service_city, service_state, service_postal_code, service_country, \
    taxable, active, guid, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<StoredCustomer> {
    Ok(StoredCustomer {
        customer: Customer {
            id: r.get(0)?,
            name: r.get(1)?,
            company_name: r.get(2)?,
            first_name: r.get(3)?,
            last_name: r.get(4)?,
            email: r.get(5)?,
            phone: r.get(6)?,
            billing_address: Address::read(r, 7)?,
            service_address: Address::read(r, 13)?,
            taxable: r.get(19)?,
            active: r.get(20)?,
        },
        guid: r.get(21)?,
        created_at: r.get(22)?,
        updated_at: r.get(23)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<StoredCustomer>, StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

pub fn exists(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

/// Every customer, in import order.
pub fn list(conn: &Connection) -> Result<Vec<StoredCustomer>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customers ORDER BY created_at, rowid"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Inserts a new customer (new guid, outbox pending) or updates an existing one (same guid;
/// outbox told of the change, see `outbox::note_changed`). Same content: nothing written.
pub fn save(tx: &Transaction<'_>, c: &Customer) -> Result<Saved, StoreError> {
    let existing = get(tx, &c.id)?;
    let now = now_utc();
    let b = &c.billing_address;
    let s = &c.service_address;
    match existing {
        Some(old) if old.customer == *c => Ok(Saved::Unchanged),
        Some(_) => {
            tx.prepare_cached(
                "UPDATE customers SET name = ?2, company_name = ?3, first_name = ?4,
                     last_name = ?5, email = ?6, phone = ?7,
                     billing_line1 = ?8, billing_line2 = ?9, billing_city = ?10,
                     billing_state = ?11, billing_postal_code = ?12, billing_country = ?13,
                     service_line1 = ?14, service_line2 = ?15, service_city = ?16,
                     service_state = ?17, service_postal_code = ?18, service_country = ?19,
                     taxable = ?20, active = ?21, updated_at = ?22
                 WHERE id = ?1",
            )?
            .execute(params![
                c.id,
                c.name,
                c.company_name,
                c.first_name,
                c.last_name,
                c.email,
                c.phone,
                b.line1,
                b.line2,
                b.city,
                b.state,
                b.postal_code,
                b.country,
                s.line1,
                s.line2,
                s.city,
                s.state,
                s.postal_code,
                s.country,
                c.taxable,
                c.active,
                now
            ])?;
            outbox::note_changed(tx, &RecordRef::new(RecordKind::Customer, c.id.clone()))?;
            Ok(Saved::Updated)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO customers (id, name, company_name, first_name, last_name, email,
                     phone, billing_line1, billing_line2, billing_city, billing_state,
                     billing_postal_code, billing_country, service_line1, service_line2,
                     service_city, service_state, service_postal_code, service_country,
                     taxable, active, guid, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?23)",
            )?
            .execute(params![
                c.id,
                c.name,
                c.company_name,
                c.first_name,
                c.last_name,
                c.email,
                c.phone,
                b.line1,
                b.line2,
                b.city,
                b.state,
                b.postal_code,
                b.country,
                s.line1,
                s.line2,
                s.city,
                s.state,
                s.postal_code,
                s.country,
                c.taxable,
                c.active,
                new_guid(),
                now
            ])?;
            outbox::enqueue_new(tx, &RecordRef::new(RecordKind::Customer, c.id.clone()))?;
            Ok(Saved::Added)
        }
    }
}

/// A new ExternalGUID in the form QuickBooks wants: `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`.
pub(crate) fn new_guid() -> String {
    format!(
        "{{{}}}",
        uuid::Uuid::new_v4().hyphenated().to_string().to_uppercase()
    )
}

/// One app customer as the Customers page sees it: the fields pairing compares, and where
/// its pairing and sync stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingRow {
    pub id: String,
    pub name: String,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Billing street, or the service street when there is no billing one.
    pub address_line1: Option<String>,
    pub postal_code: Option<String>,
    /// The pairing's ListID (None for none, or a pending creation).
    pub paired_list_id: Option<String>,
    /// How the pairing was decided, if there is one.
    pub paired_how: Option<PairingHow>,
    /// The outbox state ("pending", "failed", ...).
    pub sync_state: Option<String>,
    /// QuickBooks' ListID as the outbox knows it.
    pub qb_id: Option<String>,
    pub problem_code: Option<String>,
    pub problem_text: Option<String>,
    /// Where it stands for a person ([`Standing::of`], the rule every screen reads); None
    /// for a customer without an outbox row.
    pub standing: Option<Standing>,
}

/// Whether each listed customer is taxable, in one query (unknown ids are absent).
pub fn taxable_many(
    conn: &Connection,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, bool>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, taxable FROM customers WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt
        .query_map([super::records::json_ids(ids.iter().copied())?], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The LIKE test of [`pairing_rows`]: `?1` (a [`like_pattern`](super::records::like_pattern))
/// anywhere in one of the searched columns. `customers_fts` (migration 3) indexes exactly
/// these columns.
const SEARCH_LIKE: &str = "(c.name LIKE ?1 ESCAPE '\\' OR c.company_name LIKE ?1 ESCAPE '\\'
        OR c.email LIKE ?1 ESCAPE '\\' OR c.phone LIKE ?1 ESCAPE '\\'
        OR c.billing_line1 LIKE ?1 ESCAPE '\\' OR c.billing_line2 LIKE ?1 ESCAPE '\\'
        OR c.billing_city LIKE ?1 ESCAPE '\\' OR c.billing_postal_code LIKE ?1 ESCAPE '\\'
        OR c.service_line1 LIKE ?1 ESCAPE '\\' OR c.service_city LIKE ?1 ESCAPE '\\')";

/// Every customer matching `query` (anywhere in name, company, e-mail, phone or address;
/// "" for all), by name, with pairing and sync state: one scan, light columns only, so
/// 50,000 customers stay quick.
///
/// A match is `LIKE '%query%'` on one of the columns (case-insensitive for ASCII, `%` and `_`
/// literal). A text of [`TRIGRAM_MIN_CHARS`](super::records::TRIGRAM_MIN_CHARS) or more is
/// looked up in the trigram index (and its queue of rows not indexed yet, see migration 3)
/// and only those rows are tested with LIKE.
pub fn pairing_rows(conn: &Connection, query: &str) -> Result<Vec<PairingRow>, StoreError> {
    // Read in table order and sorted here (ORDER BY name COLLATE NOCASE, id): when most rows
    // match, that is quicker than walking the name index and looking each row up, and
    // quicker than SQLite's sorter carrying every column.
    let scan = format!("SELECT {PAIRING_COLUMNS} FROM customers c NOT INDEXED {PAIRING_JOINS}");
    let mut rows = if query.trim().is_empty() {
        conn.prepare_cached(&scan)?
            .query_map([], pairing_row_of)?
            .collect::<rusqlite::Result<Vec<_>>>()?
    } else {
        let pattern = super::records::like_pattern(query);
        match super::records::trigram_phrase(query) {
            Some(phrase) => conn
                .prepare_cached(&format!(
                    "SELECT {PAIRING_COLUMNS} FROM customers c {PAIRING_JOINS}
                     WHERE c.rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?2
                                       UNION ALL SELECT row FROM customers_fts_queue)
                       AND {SEARCH_LIKE}"
                ))?
                .query_map(params![pattern, phrase], pairing_row_of)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => conn
                .prepare_cached(&format!("{scan} WHERE {SEARCH_LIKE}"))?
                .query_map(params![pattern], pairing_row_of)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        }
    };
    rows.sort_unstable_by(|a, b| {
        super::records::nocase_cmp(&a.name, &b.name).then_with(|| a.id.cmp(&b.id))
    });
    Ok(rows)
}

/// One customer's [`PairingRow`], if the customer exists.
pub fn pairing_row(conn: &Connection, id: &str) -> Result<Option<PairingRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAIRING_COLUMNS} FROM customers c {PAIRING_JOINS} WHERE c.id = ?1"
    ))?;
    Ok(stmt.query_row([id], pairing_row_of).optional()?)
}

/// What [`PairingRow`] reads, from `customers c` and the joins of [`PAIRING_JOINS`].
const PAIRING_COLUMNS: &str = "c.id, c.name, c.company_name, c.email, c.phone,
        CASE WHEN c.billing_line1 IS NOT NULL THEN c.billing_line1 ELSE c.service_line1 END,
        CASE WHEN c.billing_line1 IS NOT NULL THEN c.billing_postal_code
             ELSE c.service_postal_code END,
        p.list_id, p.how, o.state, o.qb_id, o.problem_code, o.problem_text";
const PAIRING_JOINS: &str = "LEFT JOIN pairings p ON p.customer_id = c.id
    LEFT JOIN outbox o ON o.kind = 'customer' AND o.record_id = c.id";

fn pairing_row_of(r: &Row<'_>) -> rusqlite::Result<PairingRow> {
    Ok(PairingRow {
        id: r.get(0)?,
        name: r.get(1)?,
        company_name: r.get(2)?,
        email: r.get(3)?,
        phone: r.get(4)?,
        address_line1: r.get(5)?,
        postal_code: r.get(6)?,
        paired_list_id: r.get(7)?,
        paired_how: r
            .get::<_, Option<String>>(8)?
            .map(|h| PairingHow::parse(&h))
            .transpose()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(8, Type::Text, Box::new(e)))?,
        sync_state: r.get(9)?,
        qb_id: r.get(10)?,
        problem_code: r.get(11)?,
        problem_text: r.get(12)?,
        standing: standing_of(r.get(9)?, r.get(11)?)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(9, Type::Text, Box::new(e)))?,
    })
}

fn standing_of(
    state: Option<String>,
    code: Option<String>,
) -> Result<Option<Standing>, StoreError> {
    state
        .map(|s| Standing::from_stored(&s, code.as_deref()))
        .transpose()
}

/// A fingerprint of the customers table: changes whenever a customer is added or changed.
/// Two subqueries, so each is one step on an index (`customers_updated_at` for the max).
pub fn fingerprint(conn: &Connection) -> Result<(i64, Option<String>), StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM customers), (SELECT max(updated_at) FROM customers)",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn save_adds_then_updates_keeping_the_guid() {
        let store = Store::open_in_memory().unwrap();
        let mut c = Customer::named("C-1", "Ecker Designs");
        c.billing_address.city = Some("Storrs".into());
        assert_eq!(store.write(|tx| save(tx, &c)).unwrap(), Saved::Added);
        let first = store.read(|conn| get(conn, "C-1")).unwrap().unwrap();
        assert_eq!(first.customer, c, "what was saved must read back the same");
        assert!(
            first.guid.starts_with('{') && first.guid.len() == 38,
            "{}",
            first.guid
        );
        assert_eq!(store.write(|tx| save(tx, &c)).unwrap(), Saved::Unchanged);
        c.phone = Some("555".into());
        assert_eq!(store.write(|tx| save(tx, &c)).unwrap(), Saved::Updated);
        let second = store.read(|conn| get(conn, "C-1")).unwrap().unwrap();
        assert_eq!(
            second.guid, first.guid,
            "the ExternalGUID must never change"
        );
        assert_eq!(second.customer.phone.as_deref(), Some("555"));
    }

    /// The pairing list's search as it was before the trigram index (one SELECT joining the
    /// pairing and the outbox, LIKE, SQLite's sort): every matching row in order. The
    /// reference the indexed search must reproduce exactly.
    fn like_reference(conn: &Connection, query: &str) -> Vec<PairingRow> {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {PAIRING_COLUMNS} FROM customers c {PAIRING_JOINS}
                 WHERE ?2
                    OR c.name LIKE ?1 ESCAPE '\\' OR c.company_name LIKE ?1 ESCAPE '\\'
                    OR c.email LIKE ?1 ESCAPE '\\' OR c.phone LIKE ?1 ESCAPE '\\'
                    OR c.billing_line1 LIKE ?1 ESCAPE '\\' OR c.billing_line2 LIKE ?1 ESCAPE '\\'
                    OR c.billing_city LIKE ?1 ESCAPE '\\' OR c.billing_postal_code LIKE ?1 ESCAPE '\\'
                    OR c.service_line1 LIKE ?1 ESCAPE '\\' OR c.service_city LIKE ?1 ESCAPE '\\'
                 ORDER BY c.name COLLATE NOCASE, c.id"
            ))
            .unwrap();
        stmt.query_map(
            params![
                super::super::records::like_pattern(query),
                query.trim().is_empty()
            ],
            pairing_row_of,
        )
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    #[test]
    fn pairing_rows_find_exactly_what_like_finds_in_the_same_order() {
        let store = Store::open_in_memory().unwrap();
        let names = [
            "100% Plumbing",
            "Under_score Co",
            "O'Brien & Sons",
            "The \"Best\" Co",
            "Back\\slash Ltd",
            "Café Élan",
            "CAFÉ ÉLAN Two",
            "café élan three",
            "MiXeD CaSe Ltd",
            "mixed case ltd",
            "İstanbul Kebab",
            "Straße Bau",
            "Alpha",
            "Zed",
            "zed",
        ];
        store
            .write(|tx| {
                for (i, name) in names.iter().enumerate() {
                    let mut c = Customer::named(&format!("C-{i:02}"), name);
                    if *name == "Alpha" {
                        c.company_name = Some("Beta".into());
                        c.email = Some("gamma@delta.example".into());
                        c.phone = Some("(555) 201-3344".into());
                        c.billing_address.line1 = Some("12 Mill Rd".into());
                        c.billing_address.line2 = Some("Suite 100%".into());
                        c.billing_address.city = Some("Storrs".into());
                        c.billing_address.postal_code = Some("06268".into());
                        c.billing_address.state = Some("CT".into()); // not searched
                        c.service_address.line1 = Some("9 Dock St".into());
                        c.service_address.city = Some("Mansfield".into());
                    }
                    save(tx, &c)?;
                }
                // Outbox rows in several states, and one customer without any.
                tx.execute_batch(
                    "UPDATE outbox SET state = 'failed', problem_code = '3100',
                         problem_text = 'QuickBooks refused it' WHERE record_id = 'C-00';
                     UPDATE outbox SET state = 'synced', qb_id = '80-9' WHERE record_id = 'C-01';
                     DELETE FROM outbox WHERE record_id = 'C-02';",
                )?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let queries = [
            "",
            "  ",
            "a",
            "A",
            "é",
            "É",
            "%",
            "_",
            "\\",
            "'",
            "\"",
            "10",
            "0%",
            "% P",
            "r_s",
            "o'b",
            "\"best\"",
            "h\\s",
            "élan",
            "ÉLAN",
            "cafe",
            "café",
            "CAFÉ",
            "mixed case",
            "İst",
            "ist",
            "straße",
            "alphabeta",
            "phabe",
            "a beta",
            "betagamma",
            "mill rd",
            "  MILL  ",
            "storrs",
            "06268",
            "ct",
            "dock",
            "mansfield",
            "field",
            "555) 201",
            "@delta",
            "zed",
            "ZED",
            "zzz",
            "x",
            "uite 100%",
        ];
        let compare_all = |when: &str| {
            store
                .read(|conn| -> Result<(), StoreError> {
                    for query in queries {
                        assert_eq!(
                            pairing_rows(conn, query)?,
                            like_reference(conn, query),
                            "query {query:?}, rows {when}: the rows must be LIKE's rows, in \
                             LIKE's order, with their pairing and outbox columns"
                        );
                    }
                    Ok(())
                })
                .unwrap()
        };
        compare_all("queued");
        store
            .write(|tx| Ok::<_, StoreError>(super::super::migrations::index_queues_and_check(tx)))
            .unwrap()
            .unwrap();
        compare_all("indexed");
        // The index alone finds more than LIKE (it folds É to é): the LIKE test is what
        // keeps the two equal, and the table above covers it.
        let index_hits: i64 = store
            .read(|c| {
                Ok::<_, StoreError>(c.query_row(
                    "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '\"élan\"'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(
            index_hits, 3,
            "the trigram index folds non-ASCII case, LIKE does not (LIKE finds 2)"
        );
    }

    #[test]
    fn the_search_index_follows_saved_customers() {
        let store = Store::open_in_memory().unwrap();
        let mut c = Customer::named("C-1", "Ecker Designs");
        store.write(|tx| save(tx, &c)).unwrap();
        c.name = "Baker Bros".into();
        store.write(|tx| save(tx, &c)).unwrap();
        let ids = |q: &str| -> Vec<String> {
            store
                .read(|conn| pairing_rows(conn, q))
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert!(
            ids("ecker").is_empty(),
            "a renamed customer loses its old name"
        );
        assert_eq!(ids("baker"), ["C-1"], "and is found by its new one");
        let intact = store
            .write(|tx| Ok::<_, StoreError>(super::super::migrations::index_queues_and_check(tx)))
            .unwrap();
        assert_eq!(intact, Ok(()), "index and table agree after an update");
    }

    #[test]
    fn many_rows_keep_their_pairing_and_sync_state_and_order() {
        // Names whose NOCASE order differs from their BINARY order ("name" and "Name"
        // interleave), with outbox rows in several states and some missing.
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                for n in 0..1_200 {
                    save(
                        tx,
                        &Customer::named(
                            &format!("C-{n:05}"),
                            &format!("{} {n:05}", if n % 2 == 0 { "Name" } else { "name" }),
                        ),
                    )?;
                }
                tx.execute_batch(
                    "UPDATE outbox SET state = 'needs_attention', problem_code = 'ask-first',
                         problem_text = 'Decide' WHERE record_id LIKE 'C-0001_';
                     UPDATE outbox SET state = 'synced', qb_id = '80-' || record_id
                         WHERE record_id LIKE 'C-0002_';
                     DELETE FROM outbox WHERE record_id LIKE 'C-0003_';",
                )?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
            .read(|conn| -> Result<(), StoreError> {
                for query in ["", "n", "name", "name 0001", "zz"] {
                    let got = pairing_rows(conn, query)?;
                    assert_eq!(
                        got,
                        like_reference(conn, query),
                        "query {query:?}: the same rows and outbox columns as the SQL join"
                    );
                }
                assert_eq!(
                    pairing_rows(conn, "")?.len(),
                    1_200,
                    "every customer is listed"
                );
                Ok(())
            })
            .unwrap();
    }
}
