//! Importing the field-service app's files from the window (each file all or nothing, as
//! the import format says), and the bundled sample data, reported per file with counts and
//! every problem (at least the first 50) in words.
//!
//! Owns the window's report shape. Reading and validating files is `import/`'s job.

use super::OfficeError;
use crate::events::{AppEvent, EventBus};
use crate::import::{self, ImportError, ImportSummary, KindSummary};
use crate::store::Store;
use serde::Serialize;
use std::path::Path;

/// The sample data the Welcome screen offers (a small HVAC business), built into the binary.
pub const SAMPLE_DATA: &[u8] = include_bytes!("../../../assets/sample-data/northwind-hvac.json");
/// The name the sample data is reported under.
pub const SAMPLE_DATA_NAME: &str = "northwind-hvac.json";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct KindCounts {
    pub customers: u64,
    pub projects: u64,
    pub service_tickets: u64,
    pub invoices: u64,
    pub payments: u64,
    pub vendors: u64,
    pub expenses: u64,
}

impl KindCounts {
    fn of(s: &ImportSummary, pick: impl Fn(&KindSummary) -> usize) -> Self {
        Self {
            customers: pick(&s.customers) as u64,
            projects: pick(&s.projects) as u64,
            service_tickets: pick(&s.service_tickets) as u64,
            invoices: pick(&s.invoices) as u64,
            payments: pick(&s.payments) as u64,
            vendors: pick(&s.vendors) as u64,
            expenses: pick(&s.expenses) as u64,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportFileResult {
    pub path: String,
    pub imported: bool,
    pub created: KindCounts,
    pub updated: KindCounts,
    pub problems: Vec<String>,
    pub problem_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportReport {
    pub files: Vec<ImportFileResult>,
}

fn file_result(
    path: String,
    result: Result<ImportSummary, ImportError>,
) -> Result<ImportFileResult, OfficeError> {
    let (imported, created, updated, problems) = match result {
        Ok(s) => (
            true,
            KindCounts::of(&s, |k| k.added),
            KindCounts::of(&s, |k| k.updated),
            Vec::new(),
        ),
        Err(ImportError::Rejected(r)) => {
            let count = r.total as u64;
            return Ok(ImportFileResult {
                path,
                imported: false,
                created: KindCounts::default(),
                updated: KindCounts::default(),
                problems: r.problems,
                problem_count: count,
            });
        }
        // The store failing is not a problem with the file: the window says so as an error.
        Err(ImportError::Store(e)) => return Err(OfficeError::Store(e)),
        Err(other) => (
            false,
            KindCounts::default(),
            KindCounts::default(),
            vec![other.to_string()],
        ),
    };
    Ok(ImportFileResult {
        path,
        imported,
        created,
        updated,
        problem_count: problems.len() as u64,
        problems,
    })
}

fn announce(events: &EventBus, report: &ImportReport) {
    if report.files.iter().any(|f| f.imported) {
        events.emit(AppEvent::RecordsChanged);
    }
}

/// Imports each file on its own, all or nothing per file (the contract's `import_files`).
pub fn import_files(
    store: &Store,
    events: &EventBus,
    paths: &[String],
) -> Result<ImportReport, OfficeError> {
    let mut files = Vec::with_capacity(paths.len());
    for p in paths {
        files.push(file_result(
            p.clone(),
            import::import_file(store, Path::new(p)),
        )?);
        tracing::info!(file = %p, imported = files.last().is_some_and(|f| f.imported), "import from the window");
    }
    let report = ImportReport { files };
    announce(events, &report);
    Ok(report)
}

/// Imports the bundled sample data (the contract's `import_sample_data`).
pub fn import_sample_data(store: &Store, events: &EventBus) -> Result<ImportReport, OfficeError> {
    let result = import::import_bytes(store, SAMPLE_DATA_NAME, SAMPLE_DATA);
    let report = ImportReport {
        files: vec![file_result(SAMPLE_DATA_NAME.to_owned(), result)?],
    };
    announce(events, &report);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::test_support::store;

    #[test]
    fn the_sample_data_imports_whole_and_announces_it() {
        let store = store();
        let events = EventBus::new();
        let mut rx = events.subscribe();
        let report = import_sample_data(&store, &events).unwrap();
        let f = &report.files[0];
        assert!(f.imported, "the bundled sample is valid: {:?}", f.problems);
        assert!(
            f.created.customers > 0 && f.created.invoices > 0,
            "it has customers and invoices"
        );
        assert_eq!(f.problem_count, 0);
        assert_eq!(
            rx.try_recv().unwrap(),
            AppEvent::RecordsChanged,
            "the window refreshes"
        );
        let again = import_sample_data(&store, &events).unwrap();
        assert_eq!(
            again.files[0].created,
            KindCounts::default(),
            "importing twice creates nothing"
        );
    }

    #[test]
    fn each_file_stands_alone_with_its_problems() {
        let store = store();
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.json");
        std::fs::write(&good, SAMPLE_DATA).unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, br#"{"customers": [{"id": "C-1"}]}"#).unwrap();
        let missing = dir.path().join("missing.json");
        let paths: Vec<String> = [&bad, &good, &missing]
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let report = import_files(&store, &EventBus::new(), &paths).unwrap();
        assert_eq!(report.files.len(), 3, "one result per file, in order");
        let bad = &report.files[0];
        assert!(!bad.imported, "a file with a problem imports nothing");
        assert!(bad.problem_count >= 1 && !bad.problems.is_empty());
        assert!(
            bad.problems[0].contains("C-1") || bad.problems[0].contains("name"),
            "{:?}",
            bad.problems
        );
        assert!(
            report.files[1].imported,
            "a bad file does not stop a good one"
        );
        let missing = &report.files[2];
        assert!(
            !missing.imported && missing.problem_count == 1,
            "an unreadable file is one problem"
        );
    }
}
