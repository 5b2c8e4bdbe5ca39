//! What FieldBridge knows of the fields it owns on each record QuickBooks has, for sending
//! changes (*Mod) safely. Owns table `qb_edits`.
//!
//! Three snapshots per record, each an [`Owned`] (the fields FieldBridge sends, by their
//! plain-English names, and the lines with QuickBooks' TxnLineIDs):
//!
//! - `base`: the values QuickBooks confirmed last (the answer to our add or mod, or a
//!   re-read). A change QuickBooks refuses as out of date (3200) is re-read: QuickBooks'
//!   values equal to `base` on every owned field mean a person changed only fields FieldBridge
//!   does not send, so our change goes again on the new EditSequence; otherwise both sides
//!   changed the same record and a person chooses.
//! - `sent`: every change sent since `base` (oldest first) whose answer has not been applied.
//!   A re-read that finds one of them in QuickBooks knows QuickBooks saved it (an answer lost
//!   to a crash or a dropped connection): nothing is sent twice, nothing is lost.
//! - `theirs`: QuickBooks' values when they conflicted with ours, shown to the person who
//!   chooses.
//!
//! Also: whether a service ticket has been invoiced in QuickBooks (its estimate is then
//! closed).

use super::records::RecordRef;
use super::{now_utc, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The fields FieldBridge owns on one QuickBooks record, as sent or as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owned {
    /// Field (its plain-English name, e.g. "memo", "due date") → its value in a normal form
    /// (decimals without trailing zeros, dates as YYYY-MM-DD, an absent text as "").
    pub fields: BTreeMap<String, String>,
    /// The lines, for invoices, estimates and expenses (`None` for the other kinds).
    pub lines: Option<Vec<OwnedLine>>,
}

/// One line of an invoice, estimate or expense.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedLine {
    /// QuickBooks' TxnLineID, once QuickBooks has the line.
    pub txn_line_id: Option<String>,
    pub fields: BTreeMap<String, String>,
}

impl OwnedLine {
    /// The same line, on the fields `keys` names only.
    fn on(&self, keys: &OwnedLine) -> BTreeMap<String, String> {
        keys.fields
            .keys()
            .map(|k| (k.clone(), self.fields.get(k).cloned().unwrap_or_default()))
            .collect()
    }
}

impl Owned {
    /// The fields (and, as "lines", the lines) where `other` differs from `self`, on the
    /// fields `self` names: what FieldBridge sends is what counts.
    pub fn differences(&self, other: &Owned) -> Vec<String> {
        let mut out: Vec<String> = self
            .fields
            .iter()
            .filter(|(k, v)| other.fields.get(*k).map(String::as_str).unwrap_or("") != v.as_str())
            .map(|(k, _)| k.clone())
            .collect();
        if let Some(ours) = &self.lines {
            let theirs = other.lines.as_deref().unwrap_or(&[]);
            let same = ours.len() == theirs.len()
                && ours.iter().zip(theirs).all(|(o, t)| t.on(o) == o.fields);
            if !same {
                out.push("lines".to_owned());
            }
        }
        out
    }

    /// `self` (what QuickBooks holds) agrees with `other` (a snapshot FieldBridge sent or
    /// QuickBooks confirmed) on the fields `keys` names and on `other`'s lines (as many, each
    /// with the values `other` owns).
    pub fn agrees_on(&self, other: &Owned, keys: &Owned) -> bool {
        let field = |o: &Owned, k: &str| o.fields.get(k).cloned().unwrap_or_default();
        let fields_agree = keys
            .fields
            .keys()
            .all(|k| field(self, k) == field(other, k));
        let lines_agree = match &other.lines {
            None => true,
            Some(theirs) => {
                let ours = self.lines.as_deref().unwrap_or(&[]);
                ours.len() == theirs.len()
                    && ours.iter().zip(theirs).all(|(a, b)| a.on(b) == b.fields)
            }
        };
        fields_agree && lines_agree
    }

    /// `self` with the TxnLineIDs of `held`'s lines (QuickBooks' own, in order), when both
    /// have as many lines.
    pub fn with_line_ids_of(mut self, held: &Owned) -> Owned {
        if let (Some(lines), Some(ids)) = (self.lines.as_mut(), held.lines.as_ref()) {
            if lines.len() == ids.len() {
                for (l, h) in lines.iter_mut().zip(ids) {
                    l.txn_line_id = h.txn_line_id.clone();
                }
            }
        }
        self
    }

    /// `self` on the fields (and, line by line, the line fields) `keys` names: QuickBooks'
    /// values kept as a base hold only what FieldBridge sends.
    pub fn restricted_to(&self, keys: &Owned) -> Owned {
        let fields = keys
            .fields
            .keys()
            .map(|k| (k.clone(), self.fields.get(k).cloned().unwrap_or_default()))
            .collect();
        let key_lines = keys.lines.as_deref().unwrap_or(&[]);
        let lines = self.lines.as_ref().map(|lines| {
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| match key_lines.get(i) {
                    Some(k) => OwnedLine {
                        txn_line_id: l.txn_line_id.clone(),
                        fields: l.on(k),
                    },
                    None => l.clone(),
                })
                .collect()
        });
        Owned { fields, lines }
    }

    /// The value of a field for people: `(none)` when it is empty.
    pub fn shown(&self, key: &str) -> String {
        match self.fields.get(key).map(String::as_str) {
            None | Some("") => "(none)".to_owned(),
            Some(v) => format!("\"{v}\""),
        }
    }

    /// The lines for people, e.g. `2 × "Labor" at 95.00; "Trip charge" 45.00`.
    pub fn shown_lines(&self) -> String {
        let lines = self.lines.as_deref().unwrap_or(&[]);
        if lines.is_empty() {
            return "no lines".to_owned();
        }
        lines
            .iter()
            .map(|l| {
                let f = |k: &str| l.fields.get(k).cloned().unwrap_or_default();
                let what = if f("description").is_empty() {
                    f("item")
                } else {
                    f("description")
                };
                match (f("quantity").as_str(), f("rate").as_str()) {
                    ("", "") => format!("\"{what}\" {}", f("amount")),
                    (q, r) => format!("{q} × \"{what}\" at {r}"),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A record's three snapshots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits {
    pub base: Option<Owned>,
    pub sent: Vec<Owned>,
    pub theirs: Option<Owned>,
}

fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt {
        place: "qb_edits",
        value: e.to_string(),
        expected: "a snapshot that serialises",
    })
}

fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        place: "qb_edits",
        value: format!("{e}: {text}"),
        expected: "a snapshot of owned fields",
    })
}

/// The record's snapshots (all empty when FieldBridge never sent it).
pub fn get(conn: &Connection, record: &RecordRef) -> Result<Edits, StoreError> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT base, sent, theirs FROM qb_edits WHERE kind = ?1 AND record_id = ?2",
        )?
        .query_row(params![record.kind.as_str(), record.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((base, sent, theirs)) = row else {
        return Ok(Edits::default());
    };
    Ok(Edits {
        base: base.as_deref().map(from_json).transpose()?,
        sent: sent
            .as_deref()
            .map(from_json)
            .transpose()?
            .unwrap_or_default(),
        theirs: theirs.as_deref().map(from_json).transpose()?,
    })
}

fn put(tx: &Transaction<'_>, record: &RecordRef, e: &Edits) -> Result<(), StoreError> {
    let base = e.base.as_ref().map(to_json).transpose()?;
    let sent = (!e.sent.is_empty()).then(|| to_json(&e.sent)).transpose()?;
    let theirs = e.theirs.as_ref().map(to_json).transpose()?;
    tx.prepare_cached(
        "INSERT INTO qb_edits (kind, record_id, base, sent, theirs, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (kind, record_id) DO UPDATE SET base = excluded.base,
             sent = excluded.sent, theirs = excluded.theirs, updated_at = excluded.updated_at",
    )?
    .execute(params![
        record.kind.as_str(),
        record.id,
        base,
        sent,
        theirs,
        now_utc()
    ])?;
    Ok(())
}

/// A change is about to be sent (in the transaction that records its batch).
pub fn note_sent(
    tx: &Transaction<'_>,
    record: &RecordRef,
    owned: &Owned,
) -> Result<(), StoreError> {
    let mut e = get(tx, record)?;
    if e.sent.last() != Some(owned) {
        e.sent.push(owned.clone());
    }
    put(tx, record, &e)
}

/// QuickBooks confirmed these values (its answer to our add or mod): the new base; nothing
/// is waiting any more.
pub fn confirm(tx: &Transaction<'_>, record: &RecordRef, base: &Owned) -> Result<(), StoreError> {
    put(
        tx,
        record,
        &Edits {
            base: Some(base.clone()),
            sent: Vec::new(),
            theirs: None,
        },
    )
}

/// A re-read found QuickBooks' values (`current`) agreeing with what FieldBridge knew or sent:
/// they are the new base; the changes sent before are settled.
pub fn rebase(tx: &Transaction<'_>, record: &RecordRef, current: &Owned) -> Result<(), StoreError> {
    confirm(tx, record, current)
}

/// Both sides changed the record: QuickBooks' values are kept to be shown, and become the
/// base, so that "send FieldBridge's" goes out on QuickBooks' new EditSequence and "keep
/// QuickBooks'" leaves nothing behind.
pub fn conflict(
    tx: &Transaction<'_>,
    record: &RecordRef,
    theirs: &Owned,
) -> Result<(), StoreError> {
    put(
        tx,
        record,
        &Edits {
            base: Some(theirs.clone()),
            sent: Vec::new(),
            theirs: Some(theirs.clone()),
        },
    )
}

/// Whether an invoice made from this service ticket is in QuickBooks.
pub fn ticket_invoiced(conn: &Connection, ticket_id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM invoices AS i
                 JOIN outbox AS o ON o.kind = 'invoice' AND o.record_id = i.id
                 WHERE i.ticket_id = ?1 AND o.qb_id IS NOT NULL AND i.void = 0)",
        )?
        .query_row([ticket_id], |r| r.get(0))?)
}

/// How much QuickBooks says is paid on one of our invoices (its total less its open
/// balance, as last read), when QuickBooks reported it.
pub fn paid_in_quickbooks(
    conn: &Connection,
    invoice_id: &str,
) -> Result<Option<crate::money::Decimal>, StoreError> {
    let row: Option<(String, Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT balance, subtotal, sales_tax_total FROM qb_invoice_status
             WHERE invoice_id = ?1",
        )?
        .query_row([invoice_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((balance, Some(subtotal), tax)) = row else {
        return Ok(None);
    };
    let d = |place, t: &str| super::records::parse_dec(place, t);
    let total = d("qb_invoice_status.subtotal", &subtotal)?
        + tax
            .as_deref()
            .map(|t| d("qb_invoice_status.sales_tax_total", t))
            .transpose()?
            .unwrap_or_default();
    Ok(Some(total - d("qb_invoice_status.balance", &balance)?))
}

/// Payments of this invoice the platform reversed that QuickBooks still has (they are
/// removed before the invoice can be voided).
pub fn reversals_waiting(conn: &Connection, invoice_id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM payments AS p
                 JOIN payment_reversals AS r ON r.payment_id = p.id
                 JOIN outbox AS o ON o.kind = 'payment' AND o.record_id = p.id
                 WHERE p.invoice_id = ?1 AND o.qb_id IS NOT NULL AND o.state <> 'synced')",
        )?
        .query_row([invoice_id], |r| r.get(0))?)
}

/// FieldBridge deleted a payment in QuickBooks (TxnDel): what it had applied to each invoice
/// is open again in the mirror's balances, as QuickBooks now has it.
pub fn payment_removed(tx: &Transaction<'_>, payment_txn_id: &str) -> Result<(), StoreError> {
    let applied: Vec<(String, String)> = tx
        .prepare_cached(
            "SELECT invoice_txn_id, amount FROM qb_payments
             WHERE txn_id = ?1 AND invoice_txn_id IS NOT NULL",
        )?
        .query_map([payment_txn_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (invoice_txn_id, amount) in applied {
        let balance: Option<String> = tx
            .prepare_cached("SELECT balance FROM qb_invoice_status WHERE txn_id = ?1")?
            .query_row([&invoice_txn_id], |r| r.get(0))
            .optional()?;
        let Some(balance) = balance else { continue };
        let open = super::records::parse_dec("qb_invoice_status.balance", &balance)?
            + super::records::parse_dec("qb_payments.amount", &amount)?;
        tx.prepare_cached(
            "UPDATE qb_invoice_status SET balance = ?2, is_paid = 0, seen_at = ?3
             WHERE txn_id = ?1",
        )?
        .execute(params![invoice_txn_id, open.to_string(), now_utc()])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(fields: &[(&str, &str)], lines: Option<Vec<&[(&str, &str)]>>) -> Owned {
        let map = |f: &[(&str, &str)]| {
            f.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        Owned {
            fields: map(fields),
            lines: lines.map(|ls| {
                ls.into_iter()
                    .map(|l| OwnedLine {
                        txn_line_id: None,
                        fields: map(l),
                    })
                    .collect()
            }),
        }
    }

    #[test]
    fn only_the_fields_fieldbridge_sends_count() {
        let ours = owned(&[("memo", "Thanks")], Some(vec![&[("rate", "95")]]));
        let theirs = owned(
            &[("memo", "Thanks"), ("po number", "PO-7")],
            Some(vec![&[("rate", "95"), ("amount", "190")]]),
        );
        assert!(
            ours.differences(&theirs).is_empty(),
            "QuickBooks' own fields (PO number, the computed amount) are not ours to compare"
        );
        let edited = owned(&[("memo", "Call first")], Some(vec![&[("rate", "95")]]));
        assert_eq!(ours.differences(&edited), vec!["memo".to_owned()]);
        let more_lines = owned(&[("memo", "Thanks")], Some(vec![&[("rate", "95")], &[]]));
        assert_eq!(
            ours.differences(&more_lines),
            vec!["lines".to_owned()],
            "a line added in QuickBooks is a change to the lines"
        );
    }

    #[test]
    fn agreement_is_judged_on_the_keys_given() {
        let keys = owned(&[("memo", "")], None);
        let a = owned(&[("memo", "x"), ("due date", "2026-10-01")], None);
        let b = owned(&[("memo", "x"), ("due date", "2026-11-01")], None);
        assert!(a.agrees_on(&b, &keys));
        let keys = owned(&[("memo", ""), ("due date", "")], None);
        assert!(!a.agrees_on(&b, &keys));
    }

    #[test]
    fn lines_agree_on_the_snapshot_s_own_lines_whatever_ours_now_holds() {
        // QuickBooks' two lines as confirmed, with its computed amounts beside them.
        let held = owned(
            &[],
            Some(vec![
                &[("rate", "95"), ("amount", "190")],
                &[("rate", "12.5"), ("amount", "12.5")],
            ]),
        );
        let base = owned(&[], Some(vec![&[("rate", "95")], &[("rate", "12.5")]]));
        // The app now has three lines: that is our change, not QuickBooks'.
        let ours = owned(
            &[],
            Some(vec![
                &[("rate", "99")],
                &[("rate", "12.5")],
                &[("rate", "15")],
            ]),
        );
        assert!(
            held.agrees_on(&base, &ours),
            "QuickBooks' lines are as confirmed (regression: compared by our new line count)"
        );
        assert!(!held.agrees_on(&ours, &ours));
    }
}
