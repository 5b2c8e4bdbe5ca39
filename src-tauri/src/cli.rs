//! The headless `fieldbridge` commands (shared design `cli.md`, a contract).
pub fn main() -> i32 { 0 }
