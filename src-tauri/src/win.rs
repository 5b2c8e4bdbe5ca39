//! The few Windows API calls FieldBridge makes, and the only `unsafe` in the crate
//! (lib.rs denies it everywhere else). Each function is a thin, safe wrapper: it turns
//! Rust strings into NUL-terminated UTF-16, calls one Win32 function from `windows-sys`
//! with buffers it owns, and turns the status into `io::Result`. Owns no policy: what to do
//! with a console, a Run value or a drive type is decided by the callers (`main`,
//! `autostart.rs`, `paths.rs`).
#![allow(unsafe_code)]

use std::io;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use windows_sys::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_SUCCESS, WIN32_ERROR};
use windows_sys::Win32::System::Registry as reg;

fn wide(text: &std::ffi::OsStr) -> Vec<u16> {
    text.encode_wide().chain(std::iter::once(0)).collect()
}

fn status(code: WIN32_ERROR) -> io::Result<()> {
    if code == ERROR_SUCCESS {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(code as i32))
    }
}

/// Attaches this process to the console of the program that started it (cmd, PowerShell),
/// so a GUI-subsystem `fieldbridge.exe password` prints there. Standard handles that are
/// already valid (redirected to a file or pipe) are kept; missing ones are pointed at the
/// console. Returns false when there is no parent console (started from Explorer).
pub fn attach_parent_console() -> bool {
    use windows_sys::Win32::Storage::FileSystem::{
        CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING,
    };
    use windows_sys::Win32::System::Console::{
        AttachConsole, GetStdHandle, SetStdHandle, ATTACH_PARENT_PROCESS, STD_ERROR_HANDLE,
        STD_OUTPUT_HANDLE,
    };
    // SAFETY: AttachConsole takes a process id constant and touches no memory of ours.
    if unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } == 0 {
        return false;
    }
    let conout = wide(std::ffi::OsStr::new("CONOUT$"));
    for which in [STD_OUTPUT_HANDLE, STD_ERROR_HANDLE] {
        // SAFETY: GetStdHandle reads a process-wide table; the handle is only compared.
        let current = unsafe { GetStdHandle(which) };
        if !current.is_null() && current as isize != -1 {
            continue;
        }
        // SAFETY: `conout` is a NUL-terminated UTF-16 string that outlives the call; the
        // other arguments are constants or null, as CreateFileW documents.
        let handle = unsafe {
            CreateFileW(
                conout.as_ptr(),
                0x4000_0000, // GENERIC_WRITE
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                std::ptr::null(),
                OPEN_EXISTING,
                0,
                std::ptr::null_mut(),
            )
        };
        if handle as isize != -1 {
            // SAFETY: the handle was just opened and stays open for the process's life.
            unsafe { SetStdHandle(which, handle) };
        }
    }
    true
}

/// True when `path` lives on a network drive (a mapped drive letter or a UNC share), as
/// GetDriveTypeW reports its volume. Unknown (the path does not exist yet): false.
pub fn is_remote_drive(path: &Path) -> bool {
    use windows_sys::Win32::Storage::FileSystem::{GetDriveTypeW, GetVolumePathNameW};
    const DRIVE_REMOTE: u32 = 4; // WinBase.h
    let path = wide(path.as_os_str());
    let mut volume = vec![0u16; 1024];
    // SAFETY: `path` is NUL-terminated; `volume` is a buffer of the length passed.
    let ok = unsafe { GetVolumePathNameW(path.as_ptr(), volume.as_mut_ptr(), volume.len() as u32) };
    if ok == 0 {
        return false;
    }
    // SAFETY: GetVolumePathNameW wrote a NUL-terminated root such as "C:\" or "\\s\share\".
    unsafe { GetDriveTypeW(volume.as_ptr()) == DRIVE_REMOTE }
}

/// A REG_SZ value under HKEY_CURRENT_USER\`subkey`, or None when it is not there.
pub fn user_value(subkey: &str, name: &str) -> io::Result<Option<String>> {
    let (key, value) = (wide(subkey.as_ref()), wide(name.as_ref()));
    // One RegGetValueW call: with a null `data` it only reports the size into `bytes`.
    let get = |data: *mut u16, bytes: &mut u32| {
        // SAFETY: `key` and `value` are NUL-terminated and outlive the call; `data` is null
        // or a buffer of at least `*bytes` bytes (the callers below guarantee it).
        unsafe {
            reg::RegGetValueW(
                reg::HKEY_CURRENT_USER,
                key.as_ptr(),
                value.as_ptr(),
                reg::RRF_RT_REG_SZ,
                std::ptr::null_mut(),
                data.cast(),
                bytes,
            )
        }
    };
    let mut bytes: u32 = 0;
    let code = get(std::ptr::null_mut(), &mut bytes);
    if code == ERROR_FILE_NOT_FOUND {
        return Ok(None);
    }
    status(code)?;
    let mut buffer = vec![0u16; (bytes as usize).div_ceil(2)];
    bytes = (buffer.len() * 2) as u32;
    status(get(buffer.as_mut_ptr(), &mut bytes))?;
    let text = String::from_utf16_lossy(&buffer);
    Ok(Some(text.trim_end_matches('\0').to_owned()))
}

/// Writes a REG_SZ value under HKEY_CURRENT_USER\`subkey` (made if missing). Never HKLM.
pub fn set_user_value(subkey: &str, name: &str, data: &str) -> io::Result<()> {
    let (key, value, text) = (
        wide(subkey.as_ref()),
        wide(name.as_ref()),
        wide(data.as_ref()),
    );
    // SAFETY: strings are NUL-terminated and live across the call; the size is in bytes,
    // the terminating NUL included, as REG_SZ requires.
    status(unsafe {
        reg::RegSetKeyValueW(
            reg::HKEY_CURRENT_USER,
            key.as_ptr(),
            value.as_ptr(),
            reg::REG_SZ,
            text.as_ptr().cast(),
            (text.len() * 2) as u32,
        )
    })
}

/// Removes a value under HKEY_CURRENT_USER\`subkey`; Ok when it was not there.
pub fn delete_user_value(subkey: &str, name: &str) -> io::Result<()> {
    let (key, value) = (wide(subkey.as_ref()), wide(name.as_ref()));
    // SAFETY: both strings are NUL-terminated and live across the call.
    let code =
        unsafe { reg::RegDeleteKeyValueW(reg::HKEY_CURRENT_USER, key.as_ptr(), value.as_ptr()) };
    if code == ERROR_FILE_NOT_FOUND {
        return Ok(());
    }
    status(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_value_is_written_read_and_removed() {
        let key = r"Software\FieldBridge-tests";
        let name = format!("value-{}", std::process::id());
        delete_user_value(key, &name).expect("removing a missing value is fine");
        assert_eq!(user_value(key, &name).expect("read"), None);
        let text = r#""C:\Program Files\Field Bridge\fieldbridge.exe" --minimized é"#;
        set_user_value(key, &name, text).expect("write");
        assert_eq!(user_value(key, &name).expect("read").as_deref(), Some(text));
        delete_user_value(key, &name).expect("remove");
        assert_eq!(
            user_value(key, &name).expect("read"),
            None,
            "gone after removal"
        );
    }

    #[test]
    fn a_local_folder_is_not_a_network_drive() {
        let dir = std::env::temp_dir();
        assert!(!is_remote_drive(&dir), "{} is local", dir.display());
    }
}
