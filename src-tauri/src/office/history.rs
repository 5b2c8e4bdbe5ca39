//! The History page: sessions newest first, one session with every record's outcome (with
//! QuickBooks' code and message), and the history written out as CSV for an accountant.
//!
//! Owns the reading of history rows into the window's `RecordResult` words and the CSV
//! columns. The rows themselves are `store::sessions`'.

use super::attention::label;
use super::sync_status::SessionSummary;
use super::{page_limit, OfficeError};
use crate::store::codes::{HistoryAction, HistoryOutcome};
use crate::store::sessions::{self, HistoryRow};
use crate::store::{outbox, RecordKind, RecordRef, Store, StoreError};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SessionPage {
    pub rows: Vec<SessionSummary>,
    pub total: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RecordResult {
    Created,
    Updated,
    Linked,
    Read,
    Failed,
    Skipped,
    /// Created in QuickBooks, but its sales tax differs from the app's: worth a look.
    TaxDifference,
}

impl RecordResult {
    /// From a history row's action and outcome (as the sync writes them).
    fn of(action: HistoryAction, outcome: HistoryOutcome) -> Self {
        match outcome {
            HistoryOutcome::Created => RecordResult::Created,
            HistoryOutcome::Updated => RecordResult::Updated,
            HistoryOutcome::Linked => RecordResult::Linked,
            HistoryOutcome::Failed | HistoryOutcome::NeedsAttention => RecordResult::Failed,
            HistoryOutcome::TaxDifference => RecordResult::TaxDifference,
            // Put back to be sent again later: not done in this session.
            HistoryOutcome::Retry | HistoryOutcome::Skipped => RecordResult::Skipped,
            HistoryOutcome::Ok => match action {
                // A watched-folder file imported: records came in.
                HistoryAction::Add | HistoryAction::Import => RecordResult::Created,
                HistoryAction::Modify => RecordResult::Updated,
                HistoryAction::Pair => RecordResult::Linked,
                HistoryAction::Check | HistoryAction::Recover => RecordResult::Read,
            },
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            RecordResult::Created => "created",
            RecordResult::Updated => "updated",
            RecordResult::Linked => "linked",
            RecordResult::Read => "read",
            RecordResult::Failed => "failed",
            RecordResult::Skipped => "skipped",
            RecordResult::TaxDifference => "tax_difference",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecordOutcome {
    pub record_kind: RecordKind,
    pub record_id: String,
    pub record_label: String,
    pub result: RecordResult,
    pub message: String,
    pub qb_status_code: Option<i64>,
    pub qb_status_message: Option<String>,
    pub qb_id: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SessionDetail {
    pub session: SessionSummary,
    pub records: Vec<RecordOutcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportResult {
    pub rows: u64,
}

/// One page of sessions, newest first (the contract's `list_sessions`).
pub fn list(store: &Store, offset: u64, limit: u64) -> Result<SessionPage, OfficeError> {
    let (rows, total) = store.read(|c| sessions::page(c, offset, page_limit(limit)))?;
    Ok(SessionPage {
        rows: rows.into_iter().map(SessionSummary::from).collect(),
        total,
    })
}

fn no_session(id: i64) -> OfficeError {
    OfficeError::NotFound(format!("There is no sync session {id} in the history."))
}

/// Labels and QuickBooks ids looked up once per record, however many rows name it.
#[derive(Default)]
struct Lookups {
    labels: HashMap<RecordRef, (String, Option<String>)>,
}

impl Lookups {
    fn outcome(
        &mut self,
        conn: &Connection,
        h: HistoryRow,
    ) -> Result<Option<RecordOutcome>, StoreError> {
        let (Some(kind), Some(id)) = (h.record_kind.as_deref(), h.record_id.clone()) else {
            return Ok(None);
        };
        let r = RecordRef::new(RecordKind::parse(kind)?, id);
        if !self.labels.contains_key(&r) {
            let qb_id = outbox::get(conn, &r)?.and_then(|e| e.qb_id);
            self.labels.insert(r.clone(), (label(conn, &r)?, qb_id));
        }
        let (record_label, qb_id) = self.labels[&r].clone();
        let result = RecordResult::of(h.action, h.outcome);
        let message = h
            .text
            .unwrap_or_else(|| format!("{record_label}: {}.", result.as_str()));
        Ok(Some(RecordOutcome {
            record_kind: r.kind,
            record_id: r.id,
            record_label,
            result,
            message,
            qb_status_code: h.qb_code.as_deref().and_then(|c| c.parse().ok()),
            qb_status_message: h.qb_message,
            qb_id: matches!(
                result,
                RecordResult::Created | RecordResult::Updated | RecordResult::Linked
            )
            .then_some(qb_id)
            .flatten(),
            at: h.at,
        }))
    }
}

/// One session with every record's outcome, in order (the contract's `get_session`).
pub fn detail(store: &Store, session_id: i64) -> Result<SessionDetail, OfficeError> {
    store.read(|conn| {
        let d =
            sessions::session_detail(conn, session_id)?.ok_or_else(|| no_session(session_id))?;
        let mut lookups = Lookups::default();
        let mut records = Vec::new();
        for h in d.history {
            if let Some(o) = lookups.outcome(conn, h)? {
                records.push(o);
            }
        }
        Ok(SessionDetail {
            session: SessionSummary::from(d.session),
            records,
        })
    })
}

/// The CSV header; one row per record outcome.
const CSV_HEADER: [&str; 10] = [
    "session",
    "time",
    "kind",
    "record_id",
    "record",
    "result",
    "message",
    "quickbooks_code",
    "quickbooks_message",
    "quickbooks_id",
];

/// Writes the history (every session, or one session's records) to `path` as CSV.
pub fn export_csv(
    store: &Store,
    path: &Path,
    session_id: Option<i64>,
) -> Result<ExportResult, OfficeError> {
    let rows: Vec<(Option<i64>, RecordOutcome)> = store.read(|conn| {
        let history = match session_id {
            Some(id) => {
                sessions::session_detail(conn, id)?
                    .ok_or_else(|| no_session(id))?
                    .history
            }
            None => sessions::all_history(conn)?,
        };
        let mut lookups = Lookups::default();
        let mut out = Vec::new();
        for h in history {
            let session = h.session_id;
            if let Some(o) = lookups.outcome(conn, h)? {
                out.push((session, o));
            }
        }
        Ok::<_, OfficeError>(out)
    })?;
    let io = |e: &dyn std::fmt::Display| {
        OfficeError::Io(format!(
            "FieldBridge could not write {}: {e}",
            path.display()
        ))
    };
    let mut w = csv::Writer::from_path(path).map_err(|e| io(&e))?;
    w.write_record(CSV_HEADER).map_err(|e| io(&e))?;
    for (session, o) in &rows {
        w.write_record([
            session.map(|s| s.to_string()).unwrap_or_default(),
            o.at.clone(),
            o.record_kind.as_str().to_owned(),
            text_cell(&o.record_id),
            text_cell(&o.record_label),
            o.result.as_str().to_owned(),
            text_cell(&o.message),
            o.qb_status_code.map(|c| c.to_string()).unwrap_or_default(),
            text_cell(o.qb_status_message.as_deref().unwrap_or_default()),
            text_cell(o.qb_id.as_deref().unwrap_or_default()),
        ])
        .map_err(|e| io(&e))?;
    }
    w.flush().map_err(|e| io(&e))?;
    Ok(ExportResult {
        rows: rows.len() as u64,
    })
}

/// A cell of text from outside (names, messages, ids) as a spreadsheet will read it
/// safely. Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-` or
/// `@` (and, after trimming, a tab or carriage return) as a formula, so a customer named
/// `=HYPERLINK(...)` would run when the CSV is opened (CSV injection, OWASP). Such a cell
/// gets a leading `'`, which spreadsheets show as text and do not display.
fn text_cell(text: &str) -> String {
    const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::test_support::*;
    use crate::store::codes::ProblemCode;
    use crate::store::sessions::{NewHistory, Outcome};

    fn fixture() -> (Store, i64, i64) {
        let store = store();
        save_customers(
            &store,
            &[customer("C-1", "Ecker, \"The\" Designs", None, None)],
        );
        let r = RecordRef::new(RecordKind::Customer, "C-1");
        let ids = store
            .write(|tx| {
                let first = sessions::start(tx, Some("C:\\Co.qbw"))?;
                sessions::add_history(
                    tx,
                    Some(first),
                    &NewHistory {
                        record: Some(&r),
                        action: HistoryAction::Add,
                        outcome: HistoryOutcome::Failed,
                        qb_code: Some(&ProblemCode::QuickBooks(3100)),
                        qb_message: Some(
                            "The name \"Ecker\" of the list element is already in use.",
                        ),
                        text: Some("QuickBooks already has a customer named Ecker."),
                    },
                )?;
                sessions::finish(tx, first, Outcome::Errors, None)?;
                let second = sessions::start(tx, Some("C:\\Co.qbw"))?;
                sessions::add_history(
                    tx,
                    Some(second),
                    &NewHistory {
                        record: Some(&r),
                        action: HistoryAction::Pair,
                        outcome: HistoryOutcome::Linked,
                        qb_code: None,
                        qb_message: None,
                        text: Some("Linked."),
                    },
                )?;
                sessions::finish(tx, second, Outcome::Failed, Some("QuickBooks was closed."))?;
                Ok::<_, StoreError>((first, second))
            })
            .unwrap();
        (store, ids.0, ids.1)
    }

    #[test]
    fn sessions_list_newest_first_with_their_problem() {
        let (store, first, second) = fixture();
        let page = list(&store, 0, 10).unwrap();
        assert_eq!(page.total, 2);
        assert_eq!(page.rows[0].id, second, "newest first");
        assert_eq!(
            page.rows[0].problem.as_deref(),
            Some("QuickBooks was closed.")
        );
        let page = list(&store, 1, 10).unwrap();
        assert_eq!(
            (page.rows.len(), page.rows[0].id),
            (1, first),
            "offset pages"
        );
    }

    #[test]
    fn a_session_shows_every_record_outcome_with_quickbooks_words() {
        let (store, first, _) = fixture();
        let d = detail(&store, first).unwrap();
        assert_eq!(d.session.outcome, sessions::Outcome::Errors);
        let o = &d.records[0];
        assert_eq!(o.result, RecordResult::Failed);
        assert_eq!(o.qb_status_code, Some(3100));
        assert!(o
            .qb_status_message
            .as_deref()
            .unwrap()
            .contains("already in use"));
        assert_eq!(o.record_label, "Customer Ecker, \"The\" Designs");
        assert_eq!(o.qb_id, None, "a failure has no QuickBooks id");
        assert_eq!(detail(&store, 99).unwrap_err().code(), "not_found");
    }

    #[test]
    fn csv_export_quotes_what_needs_quoting() {
        let (store, first, _) = fixture();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.csv");
        let result = export_csv(&store, &path, None).unwrap();
        assert_eq!(result.rows, 2, "both sessions' rows");
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], CSV_HEADER.join(","), "the header first");
        assert!(
            lines[1].contains("\"Customer Ecker, \"\"The\"\" Designs\""),
            "commas and quotes are quoted per RFC 4180: {}",
            lines[1]
        );
        assert!(lines[1].contains(",failed,") && lines[1].contains(",3100,"));
        let one = export_csv(&store, &path, Some(first)).unwrap();
        assert_eq!(one.rows, 1, "one session's rows only");
        assert_eq!(
            export_csv(&store, &path, Some(99)).unwrap_err().code(),
            "not_found"
        );
        let err = export_csv(&store, &dir.path().join("no/such/dir/x.csv"), None).unwrap_err();
        assert_eq!(err.code(), "io");
    }

    /// Issue 10: a sales tax difference on an invoice that WAS created showed a red "Failed".
    #[test]
    fn a_tax_difference_is_its_own_result_not_a_failure() {
        let store = store();
        save_customers(
            &store,
            &[customer("C-1", "Greenfield Elementary", None, None)],
        );
        let r = RecordRef::new(RecordKind::Invoice, "I-1");
        let id = store
            .write(|tx| {
                crate::store::invoices::save(
                    tx,
                    &crate::store::invoices::Invoice::for_test("I-1", "C-1", "10045"),
                )?;
                let id = sessions::start(tx, None)?;
                for (action, outcome) in [
                    (HistoryAction::Add, HistoryOutcome::Created),
                    (HistoryAction::Check, HistoryOutcome::TaxDifference),
                ] {
                    sessions::add_history(
                        tx,
                        Some(id),
                        &NewHistory {
                            record: Some(&r),
                            action,
                            outcome,
                            qb_code: None,
                            qb_message: None,
                            text: Some("QuickBooks computed sales tax of 6.08."),
                        },
                    )?;
                }
                Ok::<_, StoreError>(id)
            })
            .unwrap();
        let d = detail(&store, id).unwrap();
        let results: Vec<_> = d.records.iter().map(|o| o.result).collect();
        assert_eq!(
            results,
            [RecordResult::Created, RecordResult::TaxDifference],
            "the invoice was created; the difference is worth a look, not a failure"
        );
        assert_eq!(
            serde_json::to_value(RecordResult::TaxDifference).unwrap(),
            "tax_difference"
        );
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised() {
        for (typed, written) in [
            (
                "=HYPERLINK(\"http://evil.example\",\"x\")",
                "'=HYPERLINK(\"http://evil.example\",\"x\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("Ecker Designs", "Ecker Designs"),
            ("A-1 Plumbing = best", "A-1 Plumbing = best"),
            ("", ""),
        ] {
            assert_eq!(text_cell(typed), written, "{typed:?}");
        }
        let store = store();
        save_customers(&store, &[customer("C-9", "=cmd|' /C calc'!A0", None, None)]);
        let r = RecordRef::new(RecordKind::Customer, "C-9");
        store
            .write(|tx| {
                let id = sessions::start(tx, None)?;
                sessions::add_history(
                    tx,
                    Some(id),
                    &NewHistory {
                        record: Some(&r),
                        action: HistoryAction::Add,
                        outcome: HistoryOutcome::Failed,
                        qb_code: None,
                        qb_message: None,
                        text: Some("-check the name"),
                    },
                )
            })
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.csv");
        export_csv(&store, &path, None).unwrap();
        let mut rows = csv::Reader::from_path(&path).unwrap();
        let row = rows.records().next().expect("one row").unwrap();
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "no cell starts like a formula: {row:?}"
            );
        }
        assert!(
            row.iter().any(|c| c == "'-check the name"),
            "the message is kept, neutralised: {row:?}"
        );
    }
}
