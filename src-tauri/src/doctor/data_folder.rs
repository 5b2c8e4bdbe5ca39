//! Check: the data folder is on this PC's own disk and writable.

use super::Check;
use std::path::Path;

const NAME: &str = "data-folder";

pub fn check(root: &Path) -> Check {
    if crate::paths::is_network_location(root) {
        return Check::fail(
            NAME,
            format!("the data folder {} is on a network drive", root.display()),
            "move it to this PC's own disk: choose a local folder with --data-dir",
        );
    }
    let probe = root.join(format!(".doctor-{}", std::process::id()));
    match std::fs::write(&probe, b"FieldBridge doctor: can this folder be written?") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            Check::ok(NAME, format!("{} is local and writable", root.display()))
        }
        Err(e) => Check::fail(
            NAME,
            format!("cannot write in the data folder {}: {e}", root.display()),
            "give your Windows account write permission on that folder, or choose another with --data-dir",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Level;

    #[test]
    fn a_writable_local_folder_is_ok_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let c = check(dir.path());
        assert_eq!(c.status, Level::Ok, "{c:?}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the probe file is removed"
        );
    }

    #[test]
    fn a_folder_that_cannot_be_written_fails() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let missing = dir.path().join("not-there");
        let c = check(&missing);
        assert_eq!(c.status, Level::Fail, "{c:?}");
        assert!(c.fix.is_some());
    }
}
