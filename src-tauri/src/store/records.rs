//! The vocabulary shared by the aggregate modules: which kind of app record, a reference to
//! one, what a save did, and the TEXT conversions of dates and decimals. Owns no tables.

use super::StoreError;
use crate::money::Decimal;
use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

/// The kinds of app records, in dependency order (a parent always sorts first):
/// a project needs its customer in QuickBooks, a ticket and an invoice their customer or
/// job, a payment its invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Customer,
    Project,
    ServiceTicket,
    Invoice,
    Payment,
    /// A QuickBooks vendor (issue 16).
    Vendor,
    /// A bill, check or credit-card charge from a vendor (issue 16); needs its vendor, and
    /// its customer or job when it has billable lines.
    Expense,
}

impl RecordKind {
    /// Every kind, parents first.
    pub const ALL: [RecordKind; 7] = [
        RecordKind::Customer,
        RecordKind::Project,
        RecordKind::ServiceTicket,
        RecordKind::Invoice,
        RecordKind::Payment,
        RecordKind::Vendor,
        RecordKind::Expense,
    ];

    /// The word stored in `outbox.kind` and `history.record_kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Customer => "customer",
            RecordKind::Project => "project",
            RecordKind::ServiceTicket => "service_ticket",
            RecordKind::Invoice => "invoice",
            RecordKind::Payment => "payment",
            RecordKind::Vendor => "vendor",
            RecordKind::Expense => "expense",
        }
    }

    /// The plural used by the import format and the CLI's JSON ("service_tickets").
    pub fn plural(self) -> &'static str {
        match self {
            RecordKind::Customer => "customers",
            RecordKind::Project => "projects",
            RecordKind::ServiceTicket => "service_tickets",
            RecordKind::Invoice => "invoices",
            RecordKind::Payment => "payments",
            RecordKind::Vendor => "vendors",
            RecordKind::Expense => "expenses",
        }
    }

    /// Position in dependency order (0 = customer); stored in `outbox.kind_rank`.
    pub fn rank(self) -> i64 {
        match self {
            RecordKind::Customer => 0,
            RecordKind::Project => 1,
            RecordKind::ServiceTicket => 2,
            RecordKind::Invoice => 3,
            RecordKind::Payment => 4,
            RecordKind::Vendor => 5,
            RecordKind::Expense => 6,
        }
    }

    pub fn parse(text: &str) -> Result<Self, StoreError> {
        RecordKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt {
                place: "record kind",
                value: text.to_owned(),
                expected: "customer, project, service_ticket, invoice, payment, vendor or expense",
            })
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordKind::Customer => "customer",
            RecordKind::Project => "project",
            RecordKind::ServiceTicket => "service ticket",
            RecordKind::Invoice => "invoice",
            RecordKind::Payment => "payment",
            RecordKind::Vendor => "vendor",
            RecordKind::Expense => "expense",
        })
    }
}

/// One app record: its kind and its import id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: String,
}

impl RecordRef {
    pub fn new(kind: RecordKind, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\"", self.kind, self.id)
    }
}

/// What saving an app record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// A new record (new guid, outbox `pending`).
    Added,
    /// An existing record whose content changed (outbox marked changed, see `outbox`).
    Updated,
    /// The same content as stored: nothing written.
    Unchanged,
}

pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(place: &'static str, text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| StoreError::Corrupt {
        place,
        value: text.to_owned(),
        expected: "a date YYYY-MM-DD",
    })
}

pub(crate) fn opt_date(
    place: &'static str,
    text: Option<String>,
) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| parse_date(place, &t)).transpose()
}

pub(crate) fn parse_dec(place: &'static str, text: &str) -> Result<Decimal, StoreError> {
    Decimal::from_str(text).map_err(|_| StoreError::Corrupt {
        place,
        value: text.to_owned(),
        expected: "a decimal number",
    })
}

pub(crate) fn opt_dec(
    place: &'static str,
    text: Option<String>,
) -> Result<Option<Decimal>, StoreError> {
    text.map(|t| parse_dec(place, &t)).transpose()
}

/// One line of a service ticket or an invoice (the two share a shape and a table layout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub description: String,
    pub quantity: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub amount: Option<Decimal>,
    /// None: the customer's `taxable` (resolved at sync time).
    pub taxable: Option<bool>,
    /// A QuickBooks item full name that overrides the mapped item.
    pub item: Option<String>,
    /// The QuickBooks income account (full name or number) the line's amount belongs to in
    /// the summarized journal-entry mode (else the account of the line's item); ignored in
    /// full mode.
    pub account: Option<String>,
}

impl Line {
    /// The line's amount: `amount` when given, else quantity × rate (exact, unrounded).
    pub fn total(&self) -> Option<Decimal> {
        self.amount.or(match (self.quantity, self.rate) {
            (Some(q), Some(r)) => Some(q * r),
            _ => None,
        })
    }
}

/// The line tables; the owner column is named for the parent.
#[derive(Debug, Clone, Copy)]
pub(crate) enum LineTable {
    Ticket,
    Invoice,
}

impl LineTable {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            LineTable::Ticket => ("service_ticket_lines", "ticket_id"),
            LineTable::Invoice => ("invoice_lines", "invoice_id"),
        }
    }
}

type RawLine = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<bool>,
    Option<String>,
    Option<String>,
);

fn raw_line(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<RawLine> {
    Ok((
        r.get(first)?,
        r.get(first + 1)?,
        r.get(first + 2)?,
        r.get(first + 3)?,
        r.get(first + 4)?,
        r.get(first + 5)?,
        r.get(first + 6)?,
    ))
}

fn line_of(
    (description, q, rate, amount, taxable, item, account): RawLine,
) -> Result<Line, StoreError> {
    Ok(Line {
        description,
        quantity: opt_dec("line quantity", q)?,
        rate: opt_dec("line rate", rate)?,
        amount: opt_dec("line amount", amount)?,
        taxable,
        item,
        account,
    })
}

pub(crate) fn read_lines(
    conn: &rusqlite::Connection,
    table: LineTable,
    owner: &str,
) -> Result<Vec<Line>, StoreError> {
    let (t, col) = table.names();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT description, quantity, rate, amount, taxable, item, account FROM {t}
         WHERE {col} = ?1 ORDER BY line_no"
    ))?;
    let raws = stmt
        .query_map([owner], |r| raw_line(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(line_of).collect()
}

/// The lines of many owners in one query, by owner id (owners without lines are absent).
pub(crate) fn read_lines_many(
    conn: &rusqlite::Connection,
    table: LineTable,
    owners: &str,
) -> Result<std::collections::HashMap<String, Vec<Line>>, StoreError> {
    let (t, col) = table.names();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {col}, description, quantity, rate, amount, taxable, item, account FROM {t}
         WHERE {col} IN (SELECT value FROM json_each(?1)) ORDER BY {col}, line_no"
    ))?;
    let raws = stmt
        .query_map([owners], |r| Ok((r.get::<_, String>(0)?, raw_line(r, 1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: std::collections::HashMap<String, Vec<Line>> = std::collections::HashMap::new();
    for (owner, raw) in raws {
        out.entry(owner).or_default().push(line_of(raw)?);
    }
    Ok(out)
}

/// Many records with lines (invoices, tickets) in two queries: `select` (their SELECT
/// without a WHERE) for the rows, [`read_lines_many`] for the lines; by id, unknown ids
/// absent. `owner` names a row's id; `assemble` joins a row with its lines.
pub(crate) fn read_with_lines<R, T>(
    conn: &rusqlite::Connection,
    select: &str,
    table: LineTable,
    ids: &[&str],
    raw: fn(&rusqlite::Row<'_>) -> rusqlite::Result<R>,
    owner: fn(&R) -> &str,
    assemble: fn(R, Vec<Line>) -> Result<T, StoreError>,
) -> Result<std::collections::HashMap<String, T>, StoreError> {
    let list = json_ids(ids.iter().copied())?;
    let mut stmt = conn.prepare_cached(&format!(
        "{select} WHERE id IN (SELECT value FROM json_each(?1))"
    ))?;
    let raws = stmt
        .query_map([&list], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut lines = read_lines_many(conn, table, &list)?;
    raws.into_iter()
        .map(|r| {
            let id = owner(&r).to_owned();
            let l = lines.remove(&id).unwrap_or_default();
            Ok((id, assemble(r, l)?))
        })
        .collect()
}

/// A comma-separated column list with each column qualified by a table alias
/// (`"id, name"`, `"c"` → `"c.id, c.name"`), for joins over a module's column constant.
pub(crate) fn qualified_columns(columns: &str, alias: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A JSON array of ids, the one parameter of the `json_each(?)` bulk queries.
pub(crate) fn json_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<String, StoreError> {
    json_rows(ids.into_iter().collect())
}

/// A JSON array of rows (tuples become arrays), the one parameter of a bulk statement that
/// reads them with `json_each(?)` and `value ->> N`. Written straight from the tuples.
pub(crate) fn json_rows<T: serde::Serialize>(rows: Vec<T>) -> Result<String, StoreError> {
    serde_json::to_string(&rows).map_err(|e| StoreError::Corrupt {
        place: "the rows of a bulk statement",
        value: e.to_string(),
        expected: "strings, numbers, booleans and nulls",
    })
}

/// Replaces all lines of `owner` with `lines` (in order).
pub(crate) fn write_lines(
    tx: &rusqlite::Transaction<'_>,
    table: LineTable,
    owner: &str,
    lines: &[Line],
) -> Result<(), StoreError> {
    let (t, col) = table.names();
    tx.execute(&format!("DELETE FROM {t} WHERE {col} = ?1"), [owner])?;
    let mut stmt = tx.prepare_cached(&format!(
        "INSERT INTO {t} ({col}, line_no, description, quantity, rate, amount, taxable, item, account)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    ))?;
    for (i, l) in lines.iter().enumerate() {
        stmt.execute(rusqlite::params![
            owner,
            i as i64,
            l.description,
            l.quantity.map(|d| d.to_string()),
            l.rate.map(|d| d.to_string()),
            l.amount.map(|d| d.to_string()),
            l.taxable,
            l.item,
            l.account
        ])?;
    }
    Ok(())
}

/// A LIKE pattern that finds `text` anywhere (case-insensitive for ASCII, as SQLite's LIKE
/// is), with `%`, `_` and `\` in the text matched literally. Use with `ESCAPE '\'`.
pub fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for ch in text.trim().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// The fewest characters the trigram search indexes (migration 3) can look up: their tokens
/// are 3 characters long, and SQLite's trigram tokenizer matches no row for a shorter phrase
/// ("Substrings consisting of fewer than 3 unicode characters do not match any rows when used
/// with a full-text query", sqlite.org/fts5.html). Shorter texts are searched with LIKE alone.
pub const TRIGRAM_MIN_CHARS: usize = 3;

/// The FTS5 query that finds the trimmed `text` anywhere in an indexed column, through a
/// trigram index: one phrase (the text in double quotes, its own double quotes doubled, as
/// the FTS5 query syntax escapes them), so `%`, `_`, `*`, `:` and words like `OR` are plain
/// characters. None when the text is shorter than [`TRIGRAM_MIN_CHARS`].
///
/// The trigram tokenizer folds case for all of Unicode, where LIKE folds ASCII only, so the
/// phrase finds every row the [`like_pattern`] finds and possibly more: callers keep their
/// LIKE test on the rows the index returns.
pub fn trigram_phrase(text: &str) -> Option<String> {
    let text = text.trim();
    if text.chars().count() < TRIGRAM_MIN_CHARS {
        return None;
    }
    Some(format!("\"{}\"", text.replace('"', "\"\"")))
}

/// SQLite's built-in `NOCASE` collation: bytes compared as `BINARY` (shorter first on a
/// common prefix) after folding the 26 ASCII capitals to lower case, nothing else
/// (sqlite.org/datatype3.html#collation). For ordering rows in Rust exactly as an
/// `ORDER BY ... COLLATE NOCASE` would.
pub fn nocase_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn a_trigram_phrase_is_one_quoted_phrase_of_three_characters_or_more() {
        let cases: &[(&str, Option<&str>)] = &[
            ("", None),
            ("ab", None),
            ("  ab  ", None),
            ("é", None),
            ("éé", None),
            ("abc", Some("\"abc\"")),
            ("ééé", Some("\"ééé\"")),
            (" a b ", Some("\"a b\"")),
            ("say \"hi\"", Some("\"say \"\"hi\"\"\"")),
            ("\"\"\"", Some("\"\"\"\"\"\"\"\"")),
            ("a OR b*", Some("\"a OR b*\"")),
            ("100%_", Some("\"100%_\"")),
        ];
        for (text, want) in cases {
            assert_eq!(
                trigram_phrase(text).as_deref(),
                *want,
                "{text:?}: characters (not bytes) after trimming decide; quotes are doubled"
            );
        }
        // FTS5 must accept every phrase as one string (an error would be a broken search).
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'trigram')")
            .unwrap();
        for (text, _) in cases {
            if let Some(p) = trigram_phrase(text) {
                conn.query_row("SELECT count(*) FROM t WHERE t MATCH ?1", [&p], |r| {
                    r.get::<_, i64>(0)
                })
                .unwrap_or_else(|e| panic!("{p} must be a valid FTS5 query: {e}"));
            }
        }
    }

    #[test]
    fn nocase_cmp_orders_as_sqlite_nocase_does() {
        let words = [
            "b", "B", "a", "A", "ab", "aB", "Ab", "a b", "a_b", "a-b", "É", "é", "e", "E", "z",
            "Z", "", "ä", "Ä", "zz", "[", "_", "`", "~", "0", "10", "9",
        ];
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE w (t TEXT)").unwrap();
        for w in words {
            conn.execute("INSERT INTO w VALUES (?1)", [w]).unwrap();
        }
        let sqlite: Vec<String> = conn
            .prepare("SELECT t FROM w ORDER BY t COLLATE NOCASE, t")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut ours: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        ours.sort_by(|a, b| nocase_cmp(a, b).then_with(|| a.cmp(b)));
        assert_eq!(ours, sqlite, "Rust's order must be SQLite's NOCASE order");
    }
}
