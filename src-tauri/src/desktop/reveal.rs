//! Opens a folder in the system's file manager (Explorer on Windows), for "Show in folder".
//! Only folders FieldBridge itself names (the watched folder's), never a path from the page.

use crate::office::OfficeError;
use std::path::Path;
use std::process::Command;

/// The program that opens a folder: Explorer, Finder, or the desktop's default (xdg-open).
fn opener() -> &'static str {
    if cfg!(windows) {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

/// Starts the file manager on `folder` and returns without waiting for it.
pub fn open_folder(folder: &Path) -> Result<(), OfficeError> {
    // Explorer's exit status is 1 even when it opened the folder: only a failure to start
    // it is an error.
    Command::new(opener())
        .arg(folder)
        .spawn()
        .map(|mut child| {
            // Reaped off this thread, so no finished opener lingers as a zombie.
            std::thread::spawn(move || child.wait());
        })
        .map_err(|e| {
            OfficeError::Io(format!(
                "FieldBridge could not open {} in the file manager ({e}); open it yourself.",
                folder.display()
            ))
        })
}
