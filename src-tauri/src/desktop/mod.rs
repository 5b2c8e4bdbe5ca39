//! The desktop window, tray and Tauri commands: the only module that names Tauri.
//!
//! STAND-IN (installer branch only): a plain window so that the `desktop` feature compiles
//! and the Linux package can be built and tested. The desktop branch replaces this file
//! with the real window, tray and commands; take that version at merge.

/// Opens the main window from `tauri.conf.json` and runs until it is closed.
pub fn run(_global: &crate::cli::GlobalOpts, _minimized: bool) -> i32 {
    match tauri::Builder::default().run(tauri::generate_context!()) {
        Ok(()) => crate::cli::EXIT_OK,
        Err(e) => {
            eprintln!("fieldbridge: cannot open the window: {e}");
            crate::cli::EXIT_FAILED
        }
    }
}
