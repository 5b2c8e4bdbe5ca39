//! The JSON form of the import format: one object whose keys are the record kinds. Turns the
//! document into [`Rec`]s, reporting wrong types and unknown keys; values are checked later
//! (`validate`). Numbers keep the text they were written with (serde_json's arbitrary
//! precision), so `0.1` stays exactly "0.1".

use super::{Doc, Kind, LineRec, Problems, Rec, Scalar, Ty, ADDRESS_KEYS};
use serde_json::{Map, Value};

pub(crate) fn parse(name: &str, bytes: &[u8], problems: &mut Problems) -> Doc {
    let mut doc = Doc::default();
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            problems.push(format!("{name}: not valid JSON: {e}"));
            return doc;
        }
    };
    let Value::Object(top) = value else {
        problems.push(format!(
            "{name}: expected one JSON object at the top level, found {}",
            describe(&value)
        ));
        return doc;
    };
    for (key, value) in &top {
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.key() == key) else {
            problems.push(format!(
                "unknown top-level key \"{key}\" (expected customers, projects, \
                 service_tickets, invoices, payments, vendors or expenses)"
            ));
            continue;
        };
        let items = match value {
            Value::Null => continue,
            Value::Array(items) => items,
            other => {
                problems.push(format!(
                    "{key} must be an array of records, found {}",
                    describe(other)
                ));
                continue;
            }
        };
        let recs: Vec<Rec> = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| record(kind, i, item, problems))
            .collect();
        *doc.of_kind(kind) = recs;
    }
    doc
}

/// How a JSON value is shown in a message.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_str().to_owned(),
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The record's place: `kind[i]`, plus `(id X)` when it has a usable id.
fn location(kind: Kind, index: usize, obj: &Map<String, Value>) -> String {
    match obj.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => {
            format!("{}[{index}] (id {id})", kind.key())
        }
        _ => format!("{}[{index}]", kind.key()),
    }
}

fn record(kind: Kind, index: usize, item: &Value, problems: &mut Problems) -> Option<Rec> {
    let Value::Object(obj) = item else {
        problems.push(format!(
            "{}[{index}] must be an object, found {}",
            kind.key(),
            describe(item)
        ));
        return None;
    };
    let mut rec = Rec {
        loc: location(kind, index, obj),
        ..Rec::default()
    };
    for (key, value) in obj {
        if let Some(&(field, ty)) = kind.fields().iter().find(|(f, _)| f == key) {
            if let Some(s) = scalar(&rec.loc, key, ty, value, problems) {
                rec.fields.insert(field, s);
            }
        } else if kind.address_keys().contains(&key.as_str()) {
            address(kind, &mut rec, key, value, problems);
        } else if kind.has_lines() && key == "lines" {
            lines(kind, &mut rec, value, problems);
        } else {
            let loc = rec.loc.clone();
            problems.at(&loc, format!("unknown field \"{key}\""));
        }
    }
    Some(rec)
}

fn address(kind: Kind, rec: &mut Rec, key: &str, value: &Value, problems: &mut Problems) {
    let obj = match value {
        Value::Null => return,
        Value::Object(obj) => obj,
        other => {
            problems.at(
                &rec.loc,
                format!("{key} must be an object, found {}", describe(other)),
            );
            return;
        }
    };
    for (k, v) in obj {
        let path = format!("{key}.{k}");
        if !ADDRESS_KEYS.contains(&k.as_str()) {
            problems.at(&rec.loc, format!("unknown field \"{path}\""));
            continue;
        }
        // The flattened name is one of the kind's static field names.
        let Some(&(field, _)) = kind.fields().iter().find(|(f, _)| *f == path) else {
            continue;
        };
        if let Some(s) = scalar(&rec.loc, &path, Ty::Text, v, problems) {
            rec.fields.insert(field, s);
        }
    }
}

fn lines(kind: Kind, rec: &mut Rec, value: &Value, problems: &mut Problems) {
    let items = match value {
        Value::Null => return,
        Value::Array(items) => items,
        other => {
            problems.at(
                &rec.loc,
                format!("lines must be an array of lines, found {}", describe(other)),
            );
            return;
        }
    };
    rec.has_lines = true;
    for (j, item) in items.iter().enumerate() {
        let label = format!("lines[{j}]");
        let Value::Object(obj) = item else {
            problems.at(
                &rec.loc,
                format!("{label} must be an object, found {}", describe(item)),
            );
            continue;
        };
        let mut line = LineRec {
            loc: rec.loc.clone(),
            prefix: format!("{label}."),
            label,
            fields: Default::default(),
        };
        for (key, v) in obj {
            let path = format!("{}{key}", line.prefix);
            match kind.line_fields().iter().find(|(f, _)| f == key) {
                Some(&(field, ty)) => {
                    if let Some(s) = scalar(&rec.loc, &path, ty, v, problems) {
                        line.fields.insert(field, s);
                    }
                }
                None => problems.at(&rec.loc, format!("unknown field \"{path}\"")),
            }
        }
        rec.lines.push(line);
    }
}

/// One leaf, type-checked: strings for text and dates, strings or numbers for decimals,
/// true/false for flags. Null is "not given".
fn scalar(loc: &str, path: &str, ty: Ty, v: &Value, problems: &mut Problems) -> Option<Scalar> {
    match (ty, v) {
        (_, Value::Null) => None,
        (Ty::Text | Ty::Date | Ty::Decimal, Value::String(s)) => Some(Scalar::Text(s.clone())),
        // arbitrary_precision: the number's own text, never a float.
        (Ty::Decimal, Value::Number(n)) => Some(Scalar::Text(n.as_str().to_owned())),
        (Ty::Bool, Value::Bool(b)) => Some(Scalar::Bool(*b)),
        (Ty::Bool, other) => {
            problems.at(
                loc,
                format!("{path} must be true or false, found {}", describe(other)),
            );
            Some(Scalar::Bad)
        }
        (Ty::Decimal, other) => {
            problems.at(
                loc,
                format!(
                    "{path} must be a decimal number such as \"95.00\", found {}",
                    describe(other)
                ),
            );
            Some(Scalar::Bad)
        }
        (Ty::Text | Ty::Date, other) => {
            problems.at(
                loc,
                format!("{path} must be a string, found {}", describe(other)),
            );
            Some(Scalar::Bad)
        }
    }
}
