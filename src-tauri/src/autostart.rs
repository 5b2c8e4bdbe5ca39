//! Start at login, per user only: the one place that reads and writes it, for the window's
//! switch, `fieldbridge settings set start-at-login` and `fieldbridge doctor`.
//!
//! - Windows: the value `FieldBridge` under `HKEY_CURRENT_USER\Software\Microsoft\Windows\
//!   CurrentVersion\Run`, holding the quoted path of this exe and `--minimized`; the NSIS
//!   installer and the MSI write the same value (installer/windows/). Never HKLM, even when
//!   the program runs elevated (tauri-plugin-autostart's default tries HKLM first).
//! - Linux: `$XDG_CONFIG_HOME/autostart/FieldBridge.desktop` (the freedesktop autostart
//!   spec; `~/.config` when unset), with the same command line.

use std::io;
use std::path::Path;

/// The Run value's name and the autostart file's stem (the product name, as the installers
/// write it).
pub const ENTRY_NAME: &str = "FieldBridge";

/// The flag the entry passes: start hidden in the tray.
pub const MINIMIZED_FLAG: &str = "--minimized";

/// The command line the entry holds for `exe`: its path quoted (spaces in
/// `C:\Program Files\...`), then `--minimized`.
pub fn command_line(exe: &Path) -> String {
    format!("\"{}\" {MINIMIZED_FLAG}", exe.display())
}

/// The program an entry's command line starts: the quoted path, or the first word.
pub fn program_of(command: &str) -> &str {
    let command = command.trim();
    match command.strip_prefix('"') {
        Some(rest) => rest.split('"').next().unwrap_or(rest),
        None => command.split_whitespace().next().unwrap_or(""),
    }
}

/// True when the entry's command starts `exe` (case-insensitively on Windows, where paths
/// are).
pub fn points_at(command: &str, exe: &Path) -> bool {
    let program = program_of(command);
    let exe = exe.display().to_string();
    if cfg!(windows) {
        program.eq_ignore_ascii_case(&exe)
    } else {
        program == exe
    }
}

/// The entry's command line, or None when start at login is off.
pub fn current() -> io::Result<Option<String>> {
    imp::read()
}

/// Turns start at login on (for this exe) or off.
pub fn set(on: bool) -> io::Result<()> {
    if on {
        imp::write(&command_line(&std::env::current_exe()?))
    } else {
        imp::remove()
    }
}

#[cfg(windows)]
mod imp {
    use std::io;
    const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";

    pub fn read() -> io::Result<Option<String>> {
        crate::win::user_value(RUN_KEY, super::ENTRY_NAME)
    }
    pub fn write(command: &str) -> io::Result<()> {
        crate::win::set_user_value(RUN_KEY, super::ENTRY_NAME, command)
    }
    pub fn remove() -> io::Result<()> {
        crate::win::delete_user_value(RUN_KEY, super::ENTRY_NAME)
    }
}

#[cfg(not(windows))]
mod imp {
    use std::io;

    pub fn read() -> io::Result<Option<String>> {
        let path = super::desktop_file()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(text
                .lines()
                .find_map(|l| l.strip_prefix("Exec="))
                .map(str::to_owned)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
    pub fn write(command: &str) -> io::Result<()> {
        let path = super::desktop_file()?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = format!(
            "[Desktop Entry]\nType=Application\nName={}\nComment=Keeps the QuickBooks Web Connector endpoint listening\nExec={command}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n",
            super::ENTRY_NAME
        );
        std::fs::write(path, text)
    }
    pub fn remove() -> io::Result<()> {
        match std::fs::remove_file(super::desktop_file()?) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// `$XDG_CONFIG_HOME/autostart/FieldBridge.desktop`, else under `~/.config`.
#[cfg(not(windows))]
fn desktop_file() -> io::Result<std::path::PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.config_dir().to_path_buf()))
        .ok_or_else(|| io::Error::other("this account has no home folder"))?;
    Ok(config
        .join("autostart")
        .join(format!("{ENTRY_NAME}.desktop")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_command_quotes_the_path_and_names_the_exe_it_starts() {
        let exe = if cfg!(windows) {
            PathBuf::from(r"C:\Users\Ann Lee\AppData\Local\FieldBridge\fieldbridge.exe")
        } else {
            PathBuf::from("/opt/Field Bridge/fieldbridge")
        };
        let command = command_line(&exe);
        assert!(
            command.starts_with('"') && command.ends_with(" --minimized"),
            "{command}"
        );
        assert_eq!(program_of(&command), exe.display().to_string());
        assert!(points_at(&command, &exe));
        assert!(!points_at(&command, Path::new("/elsewhere/fieldbridge")));
        assert_eq!(
            program_of("fieldbridge --minimized"),
            "fieldbridge",
            "unquoted: first word"
        );
    }

    #[cfg(windows)]
    #[test]
    fn on_windows_paths_compare_without_case() {
        assert!(points_at(
            r#""C:\PROGRAM FILES\FieldBridge\FIELDBRIDGE.EXE" --minimized"#,
            Path::new(r"C:\Program Files\FieldBridge\fieldbridge.exe")
        ));
    }

    /// The real entry of the account running the tests: on Windows (under Wine in the lane)
    /// HKCU's Run key, elsewhere the autostart file. Left as it was found.
    #[test]
    fn turning_it_on_writes_this_exe_and_off_removes_it() {
        #[cfg(not(windows))]
        let _home = {
            // Never the developer's own ~/.config: a private XDG_CONFIG_HOME for this
            // process (no other test of this binary reads it).
            let dir = tempfile::tempdir().expect("temporary folder");
            std::env::set_var("XDG_CONFIG_HOME", dir.path());
            dir
        };
        let before = current().expect("read");
        set(true).expect("turn on");
        let command = current().expect("read").expect("an entry once on");
        let exe = std::env::current_exe().expect("exe");
        assert!(
            points_at(&command, &exe),
            "{command} starts {}",
            exe.display()
        );
        assert!(command.ends_with(MINIMIZED_FLAG));
        set(false).expect("turn off");
        assert_eq!(current().expect("read"), None, "off removes the entry");
        set(false).expect("turning off twice is fine");
        if let Some(previous) = before {
            imp::write(&previous).expect("put back what was there");
        }
    }
}
