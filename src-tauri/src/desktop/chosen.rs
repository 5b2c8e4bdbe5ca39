//! Paths the person chose in one of FieldBridge's file dialogs, per window: the only paths
//! the window's commands that read or write a file (`save_qwc`, `export_history_csv`,
//! `import_files`, `set_watch_folder`) accept. A page that was made to misbehave can then
//! neither read a file the person did not pick nor overwrite one (the .qwc or the History CSV
//! written over a document of theirs).
//!
//! The dialogs are opened here, by the backend (tauri-plugin-dialog's Rust side), never by
//! the page: the window has no permission to call the dialog plugin itself
//! (capabilities/default.json). Each chosen path is good for one use.

use crate::office::OfficeError;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::{Manager, Runtime, WebviewWindow};
use tauri_plugin_dialog::{DialogExt, FilePath};

/// The paths chosen in each window's dialogs and not used yet, by window label.
#[derive(Default)]
pub struct ChosenPaths {
    by_window: Mutex<HashMap<String, HashSet<PathBuf>>>,
}

impl ChosenPaths {
    /// Notes paths the person chose in a dialog of `window`.
    pub fn remember(&self, window: &str, paths: impl IntoIterator<Item = PathBuf>) {
        let mut all = self.by_window.lock().unwrap_or_else(|p| p.into_inner());
        all.entry(window.to_owned()).or_default().extend(paths);
    }

    /// Takes `paths` for one use: every one must have been chosen in a dialog of `window`
    /// (and not used since); otherwise none is taken and the command is refused.
    pub fn take(&self, window: &str, paths: &[&Path]) -> Result<(), OfficeError> {
        let mut all = self.by_window.lock().unwrap_or_else(|p| p.into_inner());
        let chosen = all.get_mut(window);
        let missing = paths
            .iter()
            .find(|p| !chosen.as_ref().is_some_and(|c| c.contains(**p)));
        if let Some(missing) = missing {
            tracing::warn!(
                path = %missing.display(),
                "refused a path the person did not choose in a dialog"
            );
            return Err(OfficeError::InvalidInput(format!(
                "FieldBridge only opens or writes a file you choose in its own dialog, and {} was not chosen there. Choose it again.",
                missing.display()
            )));
        }
        if let Some(chosen) = chosen {
            for p in paths {
                chosen.remove(*p);
            }
        }
        Ok(())
    }
}

fn path_of(f: FilePath) -> Option<PathBuf> {
    f.into_path().ok()
}

/// Remembers and answers what the dialog gave (None: cancelled).
fn chosen<R: Runtime>(
    window: &WebviewWindow<R>,
    paths: Option<Vec<PathBuf>>,
) -> Option<Vec<String>> {
    let paths = paths.filter(|p| !p.is_empty())?;
    window
        .state::<ChosenPaths>()
        .remember(window.label(), paths.iter().cloned());
    Some(paths.iter().map(|p| p.display().to_string()).collect())
}

/// A file to write, first offered as `file_name` in the person's Documents folder (a bare
/// name would open the dialog wherever FieldBridge was started from).
pub async fn save_path<R: Runtime>(
    window: WebviewWindow<R>,
    file_name: String,
    filter_name: String,
    extensions: Vec<String>,
) -> Option<String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let extensions: Vec<&str> = extensions.iter().map(String::as_str).collect();
    let mut dialog = window
        .dialog()
        .file()
        .set_parent(&window)
        .set_file_name(&file_name)
        .add_filter(&filter_name, &extensions);
    if let Ok(documents) = window.path().document_dir() {
        dialog = dialog.set_directory(documents);
    }
    dialog.save_file(move |f| {
        let _ = tx.send(f.and_then(path_of));
    });
    let picked = rx.await.ok().flatten().map(|p| vec![p]);
    chosen(&window, picked).and_then(|mut p| p.pop())
}

/// Field-service files to import (JSON or CSV), one or more.
pub async fn import_files<R: Runtime>(window: WebviewWindow<R>) -> Option<Vec<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    window
        .dialog()
        .file()
        .set_parent(&window)
        .add_filter("Field-service records (JSON or CSV)", &["json", "csv"])
        .pick_files(move |f| {
            let _ = tx.send(f.map(|f| f.into_iter().filter_map(path_of).collect::<Vec<_>>()));
        });
    let picked = rx.await.ok().flatten();
    chosen(&window, picked)
}

/// A folder (the watched folder).
pub async fn folder<R: Runtime>(window: WebviewWindow<R>, title: String) -> Option<String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    window
        .dialog()
        .file()
        .set_parent(&window)
        .set_title(&title)
        .pick_folder(move |f| {
            let _ = tx.send(f.and_then(path_of));
        });
    let picked = rx.await.ok().flatten().map(|p| vec![p]);
    chosen(&window, picked).and_then(|mut p| p.pop())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_taken_once_from_its_own_window_and_all_or_none() {
        let chosen = ChosenPaths::default();
        let (a, b) = (Path::new("/home/ann/a.json"), Path::new("/home/ann/b.json"));
        assert!(chosen.take("main", &[a]).is_err(), "never chosen");
        chosen.remember("main", [a.to_path_buf()]);
        assert!(
            chosen.take("other", &[a]).is_err(),
            "chosen in another window"
        );
        assert!(
            chosen.take("main", &[a, b]).is_err(),
            "one unchosen path refuses all"
        );
        chosen
            .take("main", &[a])
            .expect("chosen, and not taken by the refusal");
        let e = chosen.take("main", &[a]).unwrap_err();
        assert_eq!(e.code(), crate::office::ErrorCode::InvalidInput);
        assert!(e.to_string().contains("Choose it again"), "{e}");
    }
}
