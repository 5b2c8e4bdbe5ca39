//! What a run of the `fieldbridge` binary was started with, shared by both edges: the options
//! every command and the window take, and the process exit statuses. Depends on nothing of
//! ours, so the CLI, the window and the library below them can all read it without
//! importing each other.

use clap::Args;
use std::path::PathBuf;

/// Exit status for a command that did its job.
pub const EXIT_OK: i32 = 0;
/// Exit status for a command that failed (one line on stderr says what and why).
pub const EXIT_FAILED: i32 = 1;
/// Exit status for a command line that could not be understood.
pub const EXIT_USAGE: i32 = 2;

/// Options every command takes (and the window).
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalOpts {
    /// Where the database, logs and settings live (default: your per-user data folder).
    #[arg(long, global = true, env = "FIELDBRIDGE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The Web Connector endpoint's port (serve and the desktop app).
    #[arg(long, global = true, env = "FIELDBRIDGE_PORT", value_name = "N")]
    pub port: Option<u16>,
}
