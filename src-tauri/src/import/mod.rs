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
//!   `void` to false.

mod csv_format;
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
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [
            ("customers", self.customers),
            ("projects", self.projects),
            ("service tickets", self.service_tickets),
            ("invoices", self.invoices),
            ("payments", self.payments),
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
    pub problems: Vec<String>,
    pub total: usize,
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

/// Imports the bytes of a file called `name` (all or nothing).
pub fn import_bytes(store: &Store, name: &str, bytes: &[u8]) -> Result<ImportSummary, ImportError> {
    let name = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_owned());
    // Editors on Windows (Excel, Notepad) like to start UTF-8 files with a byte order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut problems = Problems::default();
    let doc = if is_json(&name, bytes) {
        json_format::parse(&name, bytes, &mut problems)
    } else {
        csv_format::parse(&name, bytes, &mut problems)
    };
    store.write(|tx| {
        let summary = validate::check_and_save(tx, doc, &mut problems)?;
        if problems.total > 0 {
            return Err(ImportError::Rejected(problems.into_rejection(name.clone())));
        }
        Ok(summary)
    })
}

fn is_json(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        return true;
    }
    if lower.ends_with(".csv") {
        return false;
    }
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
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
}

/// The record kinds of the format, with their fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Customers,
    Projects,
    ServiceTickets,
    Invoices,
    Payments,
}

pub(crate) const ADDRESS_KEYS: [&str; 6] =
    ["line1", "line2", "city", "state", "postal_code", "country"];

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Customers,
        Kind::Projects,
        Kind::ServiceTickets,
        Kind::Invoices,
        Kind::Payments,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Customers => "customers",
            Kind::Projects => "projects",
            Kind::ServiceTickets => "service_tickets",
            Kind::Invoices => "invoices",
            Kind::Payments => "payments",
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
            ],
        }
    }

    /// Required scalar fields (lines are required separately for tickets and invoices).
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Customers => &["id", "name"],
            Kind::Projects => &["id", "customer_id", "name"],
            Kind::ServiceTickets | Kind::Invoices => &["id", "customer_id", "number", "date"],
            Kind::Payments => &["id", "invoice_id", "date", "amount"],
        }
    }

    pub fn has_lines(self) -> bool {
        matches!(self, Kind::ServiceTickets | Kind::Invoices)
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
];

/// Problems found so far: the first [`MAX_PROBLEMS`] kept, all counted.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<String>,
    total: usize,
}

impl Problems {
    /// A problem at a place: "`loc`: `what`".
    pub fn at(&mut self, loc: &str, what: impl fmt::Display) {
        self.push(format!("{loc}: {what}"));
    }

    /// A problem with the file as a whole (its message names the file or the key).
    pub fn push(&mut self, line: String) {
        self.total += 1;
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(line);
        }
    }

    pub fn total(&self) -> usize {
        self.total
    }

    fn into_rejection(self, file: String) -> Rejection {
        Rejection {
            file,
            problems: self.list,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests;
