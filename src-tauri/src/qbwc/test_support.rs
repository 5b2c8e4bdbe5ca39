//! Test-only helpers shared by the endpoint's unit tests.

use std::path::PathBuf;

/// A file under the shared reference folder, used in place (never copied into the repo).
/// The repo's root sits next to `shared/` (`../shared/reference`); in a git worktree nested
/// one level deeper the same folder is one more `..` away, so both are tried.
pub fn reference_path(relative: &str) -> PathBuf {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let candidates = [
        format!("{manifest}/../../shared/reference/{relative}"),
        format!("{manifest}/../../../shared/reference/{relative}"),
    ];
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(&candidates[0]))
}
