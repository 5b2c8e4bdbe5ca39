//! Check: start at login is on and starts this program (the Web Connector runs at night
//! and must find FieldBridge listening after a restart).

use super::Check;
use std::path::Path;

const NAME: &str = "start-at-login";

pub fn check() -> Check {
    match (crate::autostart::current(), std::env::current_exe()) {
        (Ok(entry), Ok(exe)) => judge(entry.as_deref(), &exe),
        (Err(e), _) | (_, Err(e)) => Check::warn(
            NAME,
            format!("cannot read the start-at-login entry: {e}"),
            "turn it on with `fieldbridge settings set start-at-login true`",
        ),
    }
}

fn judge(entry: Option<&str>, exe: &Path) -> Check {
    match entry {
        Some(command) if crate::autostart::points_at(command, exe) => {
            Check::ok(NAME, "FieldBridge starts when you sign in")
        }
        Some(command) => Check::warn(
            NAME,
            format!(
                "start at login runs {} instead of this FieldBridge ({})",
                crate::autostart::program_of(command),
                exe.display()
            ),
            "run `fieldbridge settings set start-at-login true` from the FieldBridge you use",
        ),
        None => Check::warn(
            NAME,
            "FieldBridge does not start when you sign in: after a restart the Web Connector finds nothing listening",
            "turn it on: `fieldbridge settings set start-at-login true`",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Level;

    #[test]
    fn an_entry_for_this_exe_is_ok_and_others_warn() {
        let exe = Path::new("/opt/fieldbridge/fieldbridge");
        let ours = crate::autostart::command_line(exe);
        assert_eq!(judge(Some(&ours), exe).status, Level::Ok);
        let old = judge(Some("\"/old/fieldbridge\" --minimized"), exe);
        assert_eq!(old.status, Level::Warn);
        assert!(old.detail.contains("/old/fieldbridge"), "{old:?}");
        assert_eq!(judge(None, exe).status, Level::Warn);
    }
}
