//! The CSV form of the import format: one file per kind, recognised by its header row.
//! Column names are the JSON field names, addresses flattened (`billing_address.line1`);
//! ticket and invoice files have one row per line, the header fields repeated on each row
//! (they must agree) and `line.*` columns for the line. Empty cells are "not given".
//!
//! Rows are numbered as a spreadsheet shows them: the header row is row 1.

use super::{Doc, Kind, LineRec, Problems, Rec, Scalar, Ty};
use std::collections::BTreeMap;

const LINE_PREFIX: &str = "line.";

pub(crate) fn parse(name: &str, bytes: &[u8], problems: &mut Problems) -> Doc {
    let mut doc = Doc::default();
    let Ok(text) = std::str::from_utf8(bytes) else {
        problems.push(format!(
            "{name}: not UTF-8 text (save the file as CSV UTF-8)"
        ));
        return doc;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, result) in reader.records().enumerate() {
        match result {
            Ok(r) => rows.push(r),
            Err(e) => {
                problems.push(format!("{name} row {}: not readable as CSV: {e}", i + 1));
                return doc;
            }
        }
    }
    let Some(header) = rows.first() else {
        problems.push(format!("{name}: the file is empty (expected a header row)"));
        return doc;
    };
    let columns: Vec<String> = header.iter().map(|c| c.trim().to_owned()).collect();
    for (i, c) in columns.iter().enumerate() {
        if columns[..i].contains(c) {
            problems.push(format!(
                "{name}: column \"{c}\" appears twice in the header row"
            ));
            return doc;
        }
    }
    let Some(kind) = recognise(name, &columns, problems) else {
        return doc;
    };
    problems.set_csv_kind(kind);
    // Which field each column fills: (is_line, static field name, type).
    let mut map: Vec<(bool, &'static str, Ty)> = Vec::with_capacity(columns.len());
    for c in &columns {
        if let Some(&(f, ty)) = kind.fields().iter().find(|(f, _)| f == c) {
            map.push((false, f, ty));
        } else if let Some(&(f, ty)) = c
            .strip_prefix(LINE_PREFIX)
            .and_then(|l| kind.line_fields().iter().find(|(f, _)| *f == l))
        {
            map.push((true, f, ty));
        } else {
            // recognise() already refused unknown columns.
            return doc;
        }
    }

    let mut recs: Vec<Rec> = Vec::new();
    // Tickets and invoices: the index in `recs` of each id, and the row that started it.
    let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let row_no = i + 1;
        let loc = format!("{name} row {row_no}");
        if row.iter().all(|c| c.trim().is_empty()) {
            continue; // a blank line at the end of a spreadsheet export
        }
        if row.len() != columns.len() {
            problems.at(
                &loc,
                format!(
                    "has {} cell{}, the header row has {}",
                    row.len(),
                    if row.len() == 1 { "" } else { "s" },
                    columns.len()
                ),
            );
            continue;
        }
        let mut fields = BTreeMap::new();
        let mut line_fields = BTreeMap::new();
        for (cell, &(is_line, field, ty)) in row.iter().zip(&map) {
            let shown = if is_line {
                format!("{LINE_PREFIX}{field}")
            } else {
                field.to_owned()
            };
            if let Some(s) = scalar(&loc, &shown, ty, cell, problems) {
                if is_line {
                    line_fields.insert(field, s);
                } else {
                    fields.insert(field, s);
                }
            }
        }
        if !kind.has_lines() {
            recs.push(Rec {
                loc,
                fields,
                ..Rec::default()
            });
            continue;
        }
        let line = LineRec {
            loc: loc.clone(),
            label: "line".into(),
            prefix: LINE_PREFIX.into(),
            fields: line_fields,
        };
        let id = match fields.get("id") {
            Some(Scalar::Text(id)) => id.clone(),
            _ => {
                // No id: it cannot be grouped; validate it alone so every problem shows.
                recs.push(Rec {
                    loc,
                    fields,
                    lines: vec![line],
                    has_lines: true,
                });
                continue;
            }
        };
        match groups.get(&id) {
            Some(&(at, first_row)) => {
                let first = &recs[at];
                for &(f, _) in kind.fields() {
                    let (a, b) = (first.fields.get(f), fields.get(f));
                    if a != b {
                        let shown = |v: Option<&Scalar>| v.map_or("(empty)".into(), Scalar::shown);
                        problems.at(
                            &loc,
                            format!(
                                "{f} {} differs from {} on row {first_row} for the same {} \
                                 (id {id}); header fields must repeat on every line",
                                shown(b),
                                shown(a),
                                kind.singular()
                            ),
                        );
                    }
                }
                recs[at].lines.push(line);
            }
            None => {
                groups.insert(id, (recs.len(), row_no));
                recs.push(Rec {
                    loc,
                    fields,
                    lines: vec![line],
                    has_lines: true,
                });
            }
        }
    }
    *doc.of_kind(kind) = recs;
    doc
}

/// One cell. Spaces around a value are not part of it (hand-written CSV puts one after each
/// comma); an empty cell is "not given".
fn scalar(loc: &str, shown: &str, ty: Ty, cell: &str, problems: &mut Problems) -> Option<Scalar> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    match ty {
        Ty::Bool => match cell.to_ascii_lowercase().as_str() {
            "true" => Some(Scalar::Bool(true)),
            "false" => Some(Scalar::Bool(false)),
            _ => {
                problems.at(
                    loc,
                    format!("{shown} must be true or false, found \"{cell}\""),
                );
                None
            }
        },
        _ => Some(Scalar::Text(cell.to_owned())),
    }
}

/// All columns a kind's file may have.
fn allowed(kind: Kind) -> Vec<String> {
    let mut cols: Vec<String> = kind.fields().iter().map(|(f, _)| f.to_string()).collect();
    if kind.has_lines() {
        cols.extend(
            kind.line_fields()
                .iter()
                .map(|(f, _)| format!("{LINE_PREFIX}{f}")),
        );
    }
    cols
}

/// Columns a kind's file must have.
fn required(kind: Kind) -> Vec<String> {
    let mut cols: Vec<String> = kind.required().iter().map(|f| f.to_string()).collect();
    cols.extend(
        kind.required_line_fields()
            .iter()
            .map(|f| format!("{LINE_PREFIX}{f}")),
    );
    cols
}

/// Which kind of file this is, from its header row (the file name breaks a tie between
/// kinds whose columns both fit, such as a minimal ticket file and a minimal invoice file).
fn recognise(name: &str, columns: &[String], problems: &mut Problems) -> Option<Kind> {
    let candidates: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| required(*k).iter().all(|r| columns.contains(r)))
        .collect();
    let unknown = |k: Kind| -> Vec<&String> {
        let a = allowed(k);
        columns.iter().filter(|c| !a.contains(c)).collect()
    };
    let exact: Vec<Kind> = candidates
        .iter()
        .copied()
        .filter(|k| unknown(*k).is_empty())
        .collect();
    let stem = name.to_ascii_lowercase();
    let named = |k: &Kind| match k {
        Kind::Customers => stem.contains("customer"),
        Kind::Projects => stem.contains("project"),
        Kind::ServiceTickets => stem.contains("ticket"),
        Kind::Invoices => stem.contains("invoice"),
        Kind::Payments => stem.contains("payment"),
        Kind::Vendors => stem.contains("vendor"),
        Kind::Expenses => stem.contains("expense"),
    };
    match exact.len() {
        1 => return Some(exact[0]),
        n if n > 1 => {
            let by_name: Vec<Kind> = exact.iter().copied().filter(named).collect();
            if by_name.len() == 1 {
                return Some(by_name[0]);
            }
            // A vendor file has the columns of a minimal customer file (id, name): without
            // "vendor" in its name such a file stays what it always was, customers.
            let older: Vec<Kind> = exact
                .iter()
                .copied()
                .filter(|k| *k != Kind::Vendors)
                .collect();
            if older.len() == 1 {
                return Some(older[0]);
            }
            let kinds: Vec<&str> = exact.iter().map(|k| k.key()).collect();
            problems.push(format!(
                "{name}: the header row fits {}; name the file after its kind (e.g. {}.csv) \
                 or add a column only that kind has",
                kinds.join(" and "),
                kinds[kinds.len() - 1]
            ));
            return None;
        }
        _ => {}
    }
    if candidates.is_empty() {
        problems.push(format!(
            "{name}: the header row matches no kind of record (customers need the columns id, \
             name; projects: id, customer_id, name; service_tickets and invoices: id, \
             customer_id, number, date, line.description; payments: id, invoice_id, date, \
             amount; vendors: id, name; expenses: id, vendor_id, date, line.account, \
             line.amount)"
        ));
        return None;
    }
    // The closest kind: fewest unknown columns, the file's name breaking ties.
    let best = candidates
        .iter()
        .copied()
        .min_by_key(|k| (unknown(*k).len(), !named(k)))?;
    for c in unknown(best) {
        problems.push(format!(
            "{name}: unknown column \"{c}\" for a {} file",
            best.key()
        ));
    }
    None
}
