//! Checks: the QuickBooks Web Connector and QuickBooks Desktop are installed on this PC
//! (their program folders; both are Windows-only programs).

use super::Check;
use std::path::{Path, PathBuf};

/// `%ProgramFiles(x86)%` and `%ProgramFiles%`, where Intuit installs.
fn program_folders() -> Vec<PathBuf> {
    ["ProgramFiles(x86)", "ProgramFiles"]
        .iter()
        .filter_map(std::env::var_os)
        .map(PathBuf::from)
        .collect()
}

/// Where the Web Connector's program would be under one program folder.
fn web_connector_exe(programs: &Path) -> PathBuf {
    [
        "Common Files",
        "Intuit",
        "QuickBooks",
        "QBWebConnector",
        "QBWebConnector.exe",
    ]
    .iter()
    .fold(programs.to_path_buf(), |p, part| p.join(part))
}

/// `Intuit\QuickBooks ...` folders (one per edition and year) that hold `QBW32.exe` or
/// `QBW.exe`.
fn quickbooks_installs(programs: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(programs.join("Intuit")) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("QuickBooks"))
                && (p.join("QBW32.exe").exists() || p.join("QBW.exe").exists())
        })
        .collect()
}

pub fn web_connector() -> Check {
    web_connector_in(&program_folders())
}

fn web_connector_in(folders: &[PathBuf]) -> Check {
    const NAME: &str = "web-connector";
    match folders.iter().map(|f| web_connector_exe(f)).find(|p| p.exists()) {
        Some(exe) => Check::ok(NAME, format!("the QuickBooks Web Connector is installed ({})", exe.display())),
        None if !cfg!(windows) => Check::warn(
            NAME,
            "the QuickBooks Web Connector runs only on Windows; this PC is not",
            "run FieldBridge on the Windows PC where QuickBooks Desktop is installed",
        ),
        None => Check::fail(
            NAME,
            "the QuickBooks Web Connector is not installed",
            "install it from Intuit (search \"QuickBooks Web Connector download\"), then open the .qwc file from `fieldbridge qwc -o FieldBridge.qwc`",
        ),
    }
}

pub fn quickbooks() -> Check {
    quickbooks_in(&program_folders())
}

fn quickbooks_in(folders: &[PathBuf]) -> Check {
    const NAME: &str = "quickbooks";
    let found: Vec<PathBuf> = folders
        .iter()
        .flat_map(|f| quickbooks_installs(f))
        .collect();
    match found.first() {
        Some(dir) => Check::ok(NAME, format!("QuickBooks Desktop is installed ({})", dir.display())),
        None if !cfg!(windows) => Check::warn(
            NAME,
            "QuickBooks Desktop runs only on Windows; this PC is not",
            "run FieldBridge on the Windows PC where QuickBooks Desktop is installed",
        ),
        None => Check::fail(
            NAME,
            "QuickBooks Desktop is not installed on this PC",
            "install FieldBridge on the PC that runs QuickBooks Desktop (the Web Connector talks to QuickBooks on the same PC)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Level;

    #[test]
    fn found_in_a_program_folder_is_ok_and_missing_says_what_to_do() {
        let programs = tempfile::tempdir().expect("temporary folder");
        let folders = vec![programs.path().to_path_buf()];
        let missing = [web_connector_in(&folders), quickbooks_in(&folders)];
        for c in &missing {
            assert_ne!(c.status, Level::Ok, "{c:?}");
            assert!(c.fix.is_some(), "a missing program says what to do: {c:?}");
        }
        let wc = web_connector_exe(programs.path());
        std::fs::create_dir_all(wc.parent().unwrap()).unwrap();
        std::fs::write(&wc, b"").unwrap();
        let qb = programs.path().join("Intuit").join("QuickBooks 2024");
        std::fs::create_dir_all(&qb).unwrap();
        std::fs::write(qb.join("QBW32.exe"), b"").unwrap();
        assert_eq!(web_connector_in(&folders).status, Level::Ok);
        assert_eq!(quickbooks_in(&folders).status, Level::Ok);
    }
}
