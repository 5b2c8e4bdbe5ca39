//! The `fieldbridge` binary: no subcommand opens the desktop app; a subcommand runs the CLI.
#![forbid(unsafe_code)]
// No console window behind the desktop app on Windows release builds.
#![cfg_attr(all(not(debug_assertions), feature = "desktop"), windows_subsystem = "windows")]

fn main() {
    std::process::exit(fieldbridge::cli::main());
}
