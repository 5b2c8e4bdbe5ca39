//! The watched folder, look by look (the clock is passed in, nothing sleeps).

use super::*;
use crate::paths::DataDir;
use crate::store::status;

struct Fixture {
    _data: tempfile::TempDir,
    folder: tempfile::TempDir,
    app: App,
    watcher: Watcher,
    now: Instant,
}

impl Fixture {
    fn new() -> Self {
        let data = tempfile::tempdir().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let app = App::open_dir(DataDir::resolve(Some(data.path())).unwrap(), Some(0)).unwrap();
        app.store()
            .write(|tx| set_folder(tx, Some(folder.path())))
            .unwrap();
        Fixture {
            _data: data,
            folder,
            app,
            watcher: Watcher::default(),
            now: Instant::now(),
        }
    }

    fn drop_file(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.folder.path().join(name), bytes).unwrap();
    }

    /// A look `secs` seconds after the previous one.
    fn look_after(&mut self, secs: u64) -> Vec<(PathBuf, Outcome)> {
        self.now += Duration::from_secs(secs);
        self.watcher.look(&self.app, self.now)
    }

    fn customers(&self) -> usize {
        self.app
            .store()
            .read(status::export)
            .unwrap()
            .customers
            .len()
    }

    fn exists(&self, rel: &str) -> bool {
        self.folder.path().join(rel).exists()
    }

    fn history(&self) -> Vec<(String, Option<String>)> {
        self.app
            .store()
            .read(sessions::all_history)
            .unwrap()
            .into_iter()
            .map(|h| (h.outcome.as_str().to_owned(), h.text))
            .collect()
    }
}

const GOOD: &[u8] = br#"{"customers": [{"id": "C-1", "name": "Ecker"}]}"#;

#[test]
fn a_complete_file_is_imported_moved_and_noted() {
    let mut f = Fixture::new();
    f.drop_file("day.json", GOOD);
    assert!(f.look_after(0).is_empty(), "first seen: not read yet");
    assert!(f.look_after(1).is_empty(), "not stable for long enough yet");
    let done = f.look_after(2);
    assert_eq!(done.len(), 1);
    assert!(matches!(done[0].1, Outcome::Imported(_)), "{done:?}");
    assert_eq!(f.customers(), 1);
    assert!(
        !f.exists("day.json") && f.exists("imported/day.json"),
        "moved to imported/"
    );
    let history = f.history();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].0, "ok");
    assert!(history[0].1.as_deref().unwrap().contains("day.json"));
    // The same name again does not overwrite the first.
    f.drop_file("day.json", GOOD);
    f.look_after(0);
    f.look_after(3);
    assert!(
        f.exists("imported/day (2).json"),
        "a second file of that name is kept too"
    );
}

#[test]
fn a_bad_file_goes_to_failed_with_every_problem_and_nothing_is_stored() {
    let mut f = Fixture::new();
    f.drop_file(
        "bad.json",
        br#"{"customers": [{"id": "C-1", "name": "A"}, {"id": "C-2"}, {"name": "x"}]}"#,
    );
    f.look_after(0);
    let done = f.look_after(3);
    let Outcome::Refused(problems) = &done[0].1 else {
        panic!("{done:?}")
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(
        f.customers(),
        0,
        "all or nothing: C-1 was fine but is not stored"
    );
    assert!(f.exists("failed/bad.json"));
    let errors =
        std::fs::read_to_string(f.folder.path().join("failed/bad.json.errors.txt")).unwrap();
    assert_eq!(
        errors,
        "customers[1] (id C-2): name is missing\ncustomers[2]: id is missing\n"
    );
    assert_eq!(f.history()[0].0, "failed");
}

#[test]
fn a_file_still_being_written_is_not_read() {
    let mut f = Fixture::new();
    f.drop_file("big.json", b"{\"customers\": [");
    f.look_after(0);
    // The writer goes on: the size changes, so the clock starts again.
    f.drop_file("big.json", br#"{"customers": [{"id": "C-1", "#);
    assert!(
        f.look_after(3).is_empty(),
        "changed since the last look: still being written"
    );
    f.drop_file("big.json", GOOD);
    assert!(f.look_after(1).is_empty());
    assert_eq!(f.look_after(3).len(), 1);
    assert_eq!(f.customers(), 1, "read once complete, never half");
}

#[test]
fn odd_files_are_refused_or_ignored_never_a_crash() {
    let mut f = Fixture::new();
    f.drop_file("empty.json", b"");
    f.drop_file("empty.csv", b"");
    f.drop_file("binary.json", &[0, 159, 146, 150, 255, 0, 1]);
    f.drop_file("notes.txt", b"hello");
    f.drop_file(".partial.json", GOOD);
    f.drop_file("download.json.part", GOOD);
    std::fs::create_dir(f.folder.path().join("folder.json")).unwrap();
    let huge = std::fs::File::create(f.folder.path().join("huge.json")).unwrap();
    huge.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: nothing is written or read
    drop(huge);
    f.look_after(0);
    let mut done = f.look_after(3);
    done.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<String> = done
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "binary.json",
            "empty.csv",
            "empty.json",
            "huge.json",
            "notes.txt"
        ],
        "temporary files and folders are left alone"
    );
    assert!(
        done.iter().all(|(_, o)| matches!(o, Outcome::Refused(_))),
        "{done:?}"
    );
    for n in &names {
        assert!(
            f.exists(&format!("failed/{n}.errors.txt")),
            "{n} has its errors file"
        );
    }
    let huge =
        std::fs::read_to_string(f.folder.path().join("failed/huge.json.errors.txt")).unwrap();
    assert!(huge.contains("at most"), "{huge}");
    assert!(f.exists(".partial.json") && f.exists("folder.json"));
    assert_eq!(f.customers(), 0);
}

#[test]
fn csv_files_import_and_no_folder_means_nothing_happens() {
    let mut f = Fixture::new();
    f.drop_file("customers.csv", b"id,name\nC-1,Ecker\nC-2,Baker\n");
    f.look_after(0);
    f.look_after(3);
    assert_eq!(f.customers(), 2);
    f.app.store().write(|tx| set_folder(tx, None)).unwrap();
    f.drop_file("more.json", GOOD);
    f.look_after(0);
    assert!(
        f.look_after(3).is_empty(),
        "no watched folder: nothing is read"
    );
    assert!(f.exists("more.json"));
    let err = f
        .app
        .store()
        .write(|tx| set_folder(tx, Some(Path::new("/no/such/folder"))))
        .unwrap_err();
    assert!(err.to_string().contains("is not a folder"), "{err}");
}

/// The Items page's "Last file" line: the last file imported (with its record count) or
/// refused (with its first problem and how many there are), saved with its History row.
#[test]
fn the_last_file_is_remembered_for_the_items_page() {
    let mut f = Fixture::new();
    fn f_last(app: &App) -> Option<LastFile> {
        app.store().read(last_file).unwrap()
    }
    assert_eq!(f_last(&f.app), None, "no file yet");
    f.drop_file("day.json", GOOD);
    f.look_after(0);
    f.look_after(3);
    let seen = f_last(&f.app).expect("remembered");
    assert_eq!(
        (
            seen.name.as_str(),
            seen.imported,
            seen.records,
            seen.problems
        ),
        ("day.json", true, 1, 0)
    );
    assert!(seen.summary.contains("customers: 1 added"), "{seen:?}");
    assert!(seen.at.ends_with('Z'), "a UTC time: {}", seen.at);
    f.drop_file(
        "bad.json",
        br#"{"customers": [{"id": "C-2"}, {"name": "x"}]}"#,
    );
    f.look_after(0);
    f.look_after(3);
    let seen = f_last(&f.app).expect("remembered");
    assert_eq!(
        (seen.name.as_str(), seen.imported, seen.problems),
        ("bad.json", false, 2)
    );
    assert_eq!(seen.summary, "customers[0] (id C-2): name is missing");
    let shown = crate::office::watch_folder::get(f.app.store()).unwrap();
    assert_eq!(shown.last_file, Some(seen), "the Items page reads the same");
}
