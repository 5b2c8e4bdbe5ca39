//! Reading field-service records from JSON and CSV files (shared design `import-format.md`,
//! a contract) into the store. Owns parsing, validation and the problem messages; owns no
//! SQL (it calls the `store` aggregates) and no QuickBooks rules (names over 41 characters,
//! a `:` in a name, long RefNumbers import fine: the sync pre-flight flags them).
//!
//! # API
//!
//! - [`import_file`]`(&Store, &Path) -> Result<ImportSummary, ImportError>`: the format is
//!   chosen by extension (`.json`, `.csv`), else by the first character (`{` → JSON).
//! - [`import_bytes`]`(&Store, name, &[u8])`: the same for bytes the window already holds;
//!   `name` is the file name shown in problems ("customers.csv row 18").
//! - [`ImportSummary`]: per kind, how many records were added, updated and unchanged.
//! - [`ImportError::Rejected`] carries every problem found (up to [`MAX_PROBLEMS`]); its
//!   Display prints one problem per line, exactly as the contract shows:
//!
//!   ```text
//!   invoices[3] (id I-12): date "2026-13-01" is not a date (YYYY-MM-DD)
//!   customers.csv row 18: customer_id "C-77" is not a known customer
//!   ```
//!
//! # Rules
//!
//! - A file is all or nothing: it is parsed and validated completely, then written in ONE
//!   store transaction; any problem and nothing changes.
//! - Locations: JSON records are `kind[index]` (0-based, the array index) followed by
//!   `(id X)` when the record has an id; fields inside lines are `lines[j].field`. CSV rows
//!   are `name row N`, where row 1 is the header row (as a spreadsheet numbers them); line
//!   fields are `line.field`.
//! - Numbers are exact: strings, or JSON numbers read from their text (serde_json's
//!   arbitrary precision), never through a float. Plain notation only (`crate::money`).
//! - Re-importing an id updates that record and keeps its guid (the ExternalGUID). A record
//!   QuickBooks already has becomes a pending update (`store::outbox::note_changed`); an
//!   unchanged record is left alone. Lines are replaced whole.
//! - A line's `taxable` left out means "the customer's taxable" and is stored as such (NULL).
//! - A customer's `taxable` and `active`, a project's `active` default to true; an invoice's
//!   `void` to false, and an expense's `void` (an optional extension of the contract) too.

mod csv_format;
mod expenses;
mod json_format;
mod validate;

use crate::store::{Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// At most this many problems are kept and printed. The contract asks for at least 50;
/// beyond a couple of hundred a person fixes the pattern, not each line.
pub const MAX_PROBLEMS: usize = 200;

/// What one kind's import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What an import did, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub customers: KindSummary,
    pub projects: KindSummary,
    pub service_tickets: KindSummary,
    pub invoices: KindSummary,
    pub payments: KindSummary,
    pub vendors: KindSummary,
    pub expenses: KindSummary,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [
            ("customers", self.customers),
            ("projects", self.projects),
            ("service tickets", self.service_tickets),
            ("invoices", self.invoices),
            ("payments", self.payments),
            ("vendors", self.vendors),
            ("expenses", self.expenses),
        ];
        let mut first = true;
        for (name, k) in parts {
            if k == KindSummary::default() {
                continue;
            }
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(
                f,
                "{name}: {} added, {} updated, {} unchanged",
                k.added, k.updated, k.unchanged
            )?;
        }
        if first {
            f.write_str("nothing to import")?;
        }
        Ok(())
    }
}

/// A rejected file: every problem found (the first [`MAX_PROBLEMS`]) and how many in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The file's name as given.
    pub file: String,
    /// Each problem in words, one line each, as the contract prints them.
    pub problems: Vec<String>,
    /// The same problems, taken apart (the local API's `errors`): `details[i]` is
    /// `problems[i]`.
    pub details: Vec<Problem>,
    pub total: usize,
}

/// One problem, taken apart: which record, which field, what is wrong. Its `Display` is the
/// line in [`Rejection::problems`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The record's place, `invoices[3]` or `customers.csv row 18`; null for a problem with
    /// the file as a whole.
    pub record: Option<String>,
    /// The record's kind (`invoices`), when known.
    pub kind: Option<&'static str>,
    /// The record's id, when it has one.
    pub id: Option<String>,
    /// The field the problem is about (`date`, `lines[2].quantity`), when there is one.
    pub field: Option<String>,
    /// What is wrong, in words (it starts with the field's name when there is a field).
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.record, &self.id) {
            (Some(record), Some(id)) => {
                write!(f, "{record} (id {id}): {}", self.message)
            }
            (Some(record), _) => write!(f, "{record}: {}", self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

impl Problem {
    /// A problem at `loc` (a record's place as `Rec::loc` writes it). Every message written
    /// about a record starts with the field it concerns (`date "x" is not a date`,
    /// `lines[2].rate must be ...`, `unknown field "colour"`), which is how `field` is found.
    fn at(loc: &str, message: String, csv_kind: Option<Kind>) -> Self {
        let (record, id) = match loc.split_once(" (id ") {
            Some((record, rest)) => (
                record.to_owned(),
                Some(rest.strip_suffix(')').unwrap_or(rest).to_owned()),
            ),
            None => (loc.to_owned(), None),
        };
        let kind = csv_kind.map(Kind::key).or_else(|| {
            let head = record.split('[').next().unwrap_or("");
            Kind::ALL.into_iter().map(Kind::key).find(|k| *k == head)
        });
        Problem {
            field: field_of(&message),
            record: Some(record),
            kind,
            id,
            message,
        }
    }

    fn whole_file(message: String) -> Self {
        Problem {
            record: None,
            kind: None,
            id: None,
            field: None,
            message,
        }
    }
}

/// The field a record problem's message is about: its first word when that is a field path
/// (`date`, `lines[2].quantity`, `billing_address.city`), or the quoted name of an unknown
/// field.
fn field_of(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field \"") {
        return rest.split('"').next().map(str::to_owned);
    }
    let word = message.split(' ').next()?;
    let is_path = !word.is_empty()
        && word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.[]".contains(c));
    // "has 3 cells, ..." (a CSV row) is about the row, not a field.
    (is_path && word != "has").then(|| word.to_owned())
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(p)?;
        }
        if self.total > self.problems.len() {
            write!(
                f,
                "\n... and {} more problems",
                self.total - self.problems.len()
            )?;
        }
        Ok(())
    }
}

/// Why an import did not happen. In every case the store is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file has problems; nothing was imported.
    #[error("{0}")]
    Rejected(Rejection),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    /// The problems, when the file itself was at fault.
    pub fn problems(&self) -> &[String] {
        match self {
            ImportError::Rejected(r) => &r.problems,
            _ => &[],
        }
    }
}

/// Imports one file (all or nothing).
pub fn import_file(store: &Store, path: &Path) -> Result<ImportSummary, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    import_bytes(store, &name, &bytes)
}

/// Imports the bytes of a file called `name` (all or nothing); JSON or CSV as
/// [`Format::guess`] decides.
pub fn import_bytes(store: &Store, name: &str, bytes: &[u8]) -> Result<ImportSummary, ImportError> {
    import_as(store, name, bytes, Format::guess(name, bytes))
}

/// How a document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// By extension (`.json`, `.csv`), else by the first character (`{` → JSON).
    pub fn guess(name: &str, bytes: &[u8]) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            return Format::Json;
        }
        if lower.ends_with(".csv") {
            return Format::Csv;
        }
        let first = bytes
            .strip_prefix(UTF8_BOM)
            .unwrap_or(bytes)
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        if first == Some(&b'{') {
            Format::Json
        } else {
            Format::Csv
        }
    }
}

/// Editors on Windows (Excel, Notepad) like to start UTF-8 files with a byte order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// THE import path: every door (a file, the local API's `POST /api/v1/records`, the watched
/// folder) ends here. Parses `bytes` as `format`, validates everything, and writes it in ONE
/// store transaction, or rejects it with every problem and writes nothing. `name` is what
/// problems call the document ("customers.csv row 18"). Blocking (SQLite): async callers use
/// `spawn_blocking`.
pub fn import_as(
    store: &Store,
    name: &str,
    bytes: &[u8],
    format: Format,
) -> Result<ImportSummary, ImportError> {
    import_as_then(store, name, bytes, format, |_| Ok(()))
}

/// [`import_as`], and `then` in the same transaction when the document is accepted (the
/// platform link saves the changes cursor after a page this way: a page is stored iff the
/// cursor after it is). `then` failing rolls the import back.
pub fn import_as_then(
    store: &Store,
    name: &str,
    bytes: &[u8],
    format: Format,
    then: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<(), StoreError>,
) -> Result<ImportSummary, ImportError> {
    let name = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_owned());
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut problems = Problems::default();
    let doc = match format {
        Format::Json => json_format::parse(&name, bytes, &mut problems),
        Format::Csv => csv_format::parse(&name, bytes, &mut problems),
    };
    store.write(|tx| {
        let summary = validate::check_and_save(tx, doc, &mut problems)?;
        if problems.total > 0 {
            return Err(ImportError::Rejected(problems.into_rejection(name.clone())));
        }
        then(tx)?;
        Ok(summary)
    })
}

// ---------------------------------------------------------------------------------------
// The shape both formats parse into, before validation.

/// A leaf value as the file gave it. Absent (JSON null, an empty CSV cell) is not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scalar {
    Text(String),
    Bool(bool),
    /// Given, but of the wrong type (already reported): neither missing nor usable.
    Bad,
}

impl Scalar {
    /// How the value is quoted in messages.
    pub(crate) fn shown(&self) -> String {
        match self {
            Scalar::Text(t) => format!("\"{t}\""),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Bad => "(invalid)".into(),
        }
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Text,
    Decimal,
    Date,
    Bool,
}

/// One record's fields (flattened names such as `billing_address.city`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Rec {
    /// "customers[0] (id C-1)" or "customers.csv row 2".
    pub loc: String,
    pub fields: BTreeMap<&'static str, Scalar>,
    /// Tickets and invoices.
    pub lines: Vec<LineRec>,
    /// Tickets and invoices: whether the file gave lines at all.
    pub has_lines: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct LineRec {
    /// Where this line's problems are reported (the record's place in JSON, its row in CSV).
    pub loc: String,
    /// "lines[2]" (JSON) or "line" (CSV): names the line in messages.
    pub label: String,
    /// "lines[2]." or "line.": prefixes field names in messages.
    pub prefix: String,
    pub fields: BTreeMap<&'static str, Scalar>,
}

/// Everything a file holds, per kind, in file order.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub customers: Vec<Rec>,
    pub projects: Vec<Rec>,
    pub service_tickets: Vec<Rec>,
    pub invoices: Vec<Rec>,
    pub payments: Vec<Rec>,
    pub vendors: Vec<Rec>,
    pub expenses: Vec<Rec>,
}

impl Doc {
    /// Where the records of `kind` go.
    pub(crate) fn of_kind(&mut self, kind: Kind) -> &mut Vec<Rec> {
        match kind {
            Kind::Customers => &mut self.customers,
            Kind::Projects => &mut self.projects,
            Kind::ServiceTickets => &mut self.service_tickets,
            Kind::Invoices => &mut self.invoices,
            Kind::Payments => &mut self.payments,
            Kind::Vendors => &mut self.vendors,
            Kind::Expenses => &mut self.expenses,
        }
    }
}

/// The record kinds of the format, with their fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Customers,
    Projects,
    ServiceTickets,
    Invoices,
    Payments,
    Vendors,
    Expenses,
}

pub(crate) const ADDRESS_KEYS: [&str; 6] =
    ["line1", "line2", "city", "state", "postal_code", "country"];

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Customers,
        Kind::Projects,
        Kind::ServiceTickets,
        Kind::Invoices,
        Kind::Payments,
        Kind::Vendors,
        Kind::Expenses,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Customers => "customers",
            Kind::Projects => "projects",
            Kind::ServiceTickets => "service_tickets",
            Kind::Invoices => "invoices",
            Kind::Payments => "payments",
            Kind::Vendors => "vendors",
            Kind::Expenses => "expenses",
        }
    }

    /// The record's scalar fields (addresses flattened), with their types.
    pub fn fields(self) -> &'static [(&'static str, Ty)] {
        use Ty::*;
        match self {
            Kind::Customers => &[
                ("id", Text),
                ("name", Text),
                ("company_name", Text),
                ("first_name", Text),
                ("last_name", Text),
                ("email", Text),
                ("phone", Text),
                ("billing_address.line1", Text),
                ("billing_address.line2", Text),
                ("billing_address.city", Text),
                ("billing_address.state", Text),
                ("billing_address.postal_code", Text),
                ("billing_address.country", Text),
                ("service_address.line1", Text),
                ("service_address.line2", Text),
                ("service_address.city", Text),
                ("service_address.state", Text),
                ("service_address.postal_code", Text),
                ("service_address.country", Text),
                ("taxable", Bool),
                ("active", Bool),
            ],
            Kind::Projects => &[
                ("id", Text),
                ("customer_id", Text),
                ("name", Text),
                ("active", Bool),
            ],
            Kind::ServiceTickets => &[
                ("id", Text),
                ("customer_id", Text),
                ("project_id", Text),
                ("number", Text),
                ("date", Date),
                ("description", Text),
            ],
            Kind::Invoices => &[
                ("id", Text),
                ("customer_id", Text),
                ("project_id", Text),
                ("ticket_id", Text),
                ("number", Text),
                ("date", Date),
                ("due_date", Date),
                ("memo", Text),
                ("expected_tax", Decimal),
                ("void", Bool),
            ],
            Kind::Payments => &[
                ("id", Text),
                ("invoice_id", Text),
                ("date", Date),
                ("amount", Decimal),
                ("method", Text),
                ("reference", Text),
                ("reversed", Bool),
            ],
            Kind::Vendors => &[
                ("id", Text),
                ("name", Text),
                ("company_name", Text),
                ("phone", Text),
                ("email", Text),
                ("address.line1", Text),
                ("address.line2", Text),
                ("address.city", Text),
                ("address.state", Text),
                ("address.postal_code", Text),
                ("address.country", Text),
                ("active", Bool),
            ],
            Kind::Expenses => &[
                ("id", Text),
                ("vendor_id", Text),
                ("date", Date),
                ("number", Text),
                ("memo", Text),
                ("customer_id", Text),
                ("project_id", Text),
                ("paid", Bool),
                ("paid_from", Text),
                ("due_date", Date),
                // An optional extension of the shared contract, as invoices' `void`.
                ("void", Bool),
            ],
        }
    }

    /// The nested address objects a record of this kind may have (flattened as
    /// `key.line1`, ...).
    pub fn address_keys(self) -> &'static [&'static str] {
        match self {
            Kind::Customers => &["billing_address", "service_address"],
            Kind::Vendors => &["address"],
            _ => &[],
        }
    }

    /// The fields of this kind's lines (empty: it has none).
    pub fn line_fields(self) -> &'static [(&'static str, Ty)] {
        match self {
            Kind::ServiceTickets | Kind::Invoices => LINE_FIELDS,
            Kind::Expenses => EXPENSE_LINE_FIELDS,
            _ => &[],
        }
    }

    /// Required scalar fields (lines are required separately for tickets and invoices).
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Customers => &["id", "name"],
            Kind::Projects => &["id", "customer_id", "name"],
            Kind::ServiceTickets | Kind::Invoices => &["id", "customer_id", "number", "date"],
            Kind::Payments => &["id", "invoice_id", "date", "amount"],
            Kind::Vendors => &["id", "name"],
            Kind::Expenses => &["id", "vendor_id", "date"],
        }
    }

    /// Required line fields (the CSV header must have them as `line.*` columns).
    pub fn required_line_fields(self) -> &'static [&'static str] {
        match self {
            Kind::ServiceTickets | Kind::Invoices => &["description"],
            Kind::Expenses => &["account", "amount"],
            _ => &[],
        }
    }

    pub fn has_lines(self) -> bool {
        !self.line_fields().is_empty()
    }

    /// One record of this kind, in words ("service ticket").
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Customers => "customer",
            Kind::Projects => "project",
            Kind::ServiceTickets => "service ticket",
            Kind::Invoices => "invoice",
            Kind::Payments => "payment",
            Kind::Vendors => "vendor",
            Kind::Expenses => "expense",
        }
    }
}

/// Fields of a ticket or invoice line.
pub(crate) const LINE_FIELDS: &[(&str, Ty)] = &[
    ("description", Ty::Text),
    ("quantity", Ty::Decimal),
    ("rate", Ty::Decimal),
    ("amount", Ty::Decimal),
    ("taxable", Ty::Bool),
    ("item", Ty::Text),
    ("account", Ty::Text),
];

/// Fields of an expense line (import format, "Expenses, and income accounts").
pub(crate) const EXPENSE_LINE_FIELDS: &[(&str, Ty)] = &[
    ("account", Ty::Text),
    ("description", Ty::Text),
    ("amount", Ty::Decimal),
    ("billable", Ty::Bool),
];

/// Problems found so far: the first [`MAX_PROBLEMS`] kept, all counted.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    total: usize,
    /// A CSV file holds one kind, known once its header row is recognised.
    csv_kind: Option<Kind>,
}

impl Problems {
    /// A problem at a place: "`loc`: `what`".
    pub fn at(&mut self, loc: &str, what: impl fmt::Display) {
        let problem = Problem::at(loc, what.to_string(), self.csv_kind);
        self.keep(problem);
    }

    /// A problem with the file as a whole (its message names the file or the key).
    pub fn push(&mut self, line: String) {
        self.keep(Problem::whole_file(line));
    }

    /// The kind of the CSV file being read (its rows' problems name it).
    pub fn set_csv_kind(&mut self, kind: Kind) {
        self.csv_kind = Some(kind);
    }

    fn keep(&mut self, problem: Problem) {
        self.total += 1;
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(problem);
        }
    }

    pub fn total(&self) -> usize {
        self.total
    }

    fn into_rejection(self, file: String) -> Rejection {
        Rejection {
            file,
            problems: self.list.iter().map(ToString::to_string).collect(),
            details: self.list,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests;
