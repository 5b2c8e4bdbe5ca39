//! The `fieldbridge` binary: chooses the edge. No subcommand opens the desktop app; a
//! subcommand runs the CLI.
#![forbid(unsafe_code)]
// No console window behind the desktop app on Windows release builds.
#![cfg_attr(
    all(not(debug_assertions), feature = "desktop"),
    windows_subsystem = "windows"
)]

use fieldbridge::cli;
use fieldbridge::options::GlobalOpts;

fn main() {
    // The release build is a GUI-subsystem program, which Windows starts without a console:
    // with a subcommand (or --help, --version) it writes to the console it was started
    // from (cmd, PowerShell). Started from Explorer or at login, there is none to attach.
    #[cfg(windows)]
    if std::env::args_os().skip(1).any(|a| a != "--minimized") {
        fieldbridge::win::attach_parent_console();
    }
    let code = match cli::parse() {
        Err(code) => code,
        Ok(cli::Cli {
            command: Some(command),
            global,
            ..
        }) => cli::run(&global, command),
        Ok(cli::Cli {
            command: None,
            global,
            minimized,
        }) => desktop(&global, minimized),
    };
    std::process::exit(code);
}

/// The desktop window until Quit.
#[cfg(feature = "desktop")]
fn desktop(global: &GlobalOpts, minimized: bool) -> i32 {
    fieldbridge::desktop::run(global, minimized)
}

/// This build has no window: say so.
#[cfg(not(feature = "desktop"))]
fn desktop(_global: &GlobalOpts, _minimized: bool) -> i32 {
    eprintln!(
        "fieldbridge: this build has no desktop window; run a command such as `fieldbridge serve` (see --help)"
    );
    fieldbridge::options::EXIT_FAILED
}
