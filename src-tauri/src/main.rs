//! The `fieldbridge` binary: no subcommand opens the desktop app; a subcommand runs the CLI.
#![forbid(unsafe_code)]
// No console window behind the desktop app on Windows release builds.
#![cfg_attr(
    all(not(debug_assertions), feature = "desktop"),
    windows_subsystem = "windows"
)]

fn main() {
    // The release build is a GUI-subsystem program, which Windows starts without a console:
    // with a subcommand (or --help, --version) it writes to the console it was started
    // from (cmd, PowerShell). Started from Explorer or at login, there is none to attach.
    #[cfg(windows)]
    if std::env::args_os().skip(1).any(|a| a != "--minimized") {
        fieldbridge::win::attach_parent_console();
    }
    std::process::exit(fieldbridge::cli::main());
}
