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

/// Who may open a private file: this user and the operating system itself (SYSTEM, as
/// root on Unix still can read a 0600 file); nobody else, and nothing inherited from the
/// folder. The access rights are full control for both.
pub fn restrict_to_owner(path: &Path) -> io::Result<()> {
    use windows_sys::Win32::Security::Authorization::{SetNamedSecurityInfoW, SE_FILE_OBJECT};
    use windows_sys::Win32::Security::{
        AddAccessAllowedAce, GetLengthSid, InitializeAcl, ACCESS_ALLOWED_ACE, ACL, ACL_REVISION,
        DACL_SECURITY_INFORMATION, PROTECTED_DACL_SECURITY_INFORMATION,
    };
    use windows_sys::Win32::Storage::FileSystem::FILE_ALL_ACCESS;
    let user = current_user_sid()?;
    let system = local_system_sid()?;
    let sids = [user.as_psid(), system.as_psid()];
    // SAFETY: both SIDs are valid (made by the OS into buffers we own).
    let sid_bytes: u32 = sids.iter().map(|s| unsafe { GetLengthSid(*s) }).sum();
    // The ACL's documented size: the header, then per ACE its fixed part less the SidStart
    // placeholder, plus the SID.
    let size = std::mem::size_of::<ACL>() as u32
        + 2 * (std::mem::size_of::<ACCESS_ALLOWED_ACE>() as u32 - 4)
        + sid_bytes;
    let mut acl = vec![0u32; (size as usize).div_ceil(4)];
    let acl_ptr = acl.as_mut_ptr().cast::<ACL>();
    // SAFETY: `acl` is a DWORD-aligned buffer of at least `size` bytes that outlives every
    // call below; the SIDs are valid.
    unsafe {
        if InitializeAcl(acl_ptr, size, ACL_REVISION) == 0 {
            return Err(io::Error::last_os_error());
        }
        for sid in sids {
            if AddAccessAllowedAce(acl_ptr, ACL_REVISION, FILE_ALL_ACCESS, sid) == 0 {
                return Err(io::Error::last_os_error());
            }
        }
    }
    let name = wide(path.as_os_str());
    // SAFETY: `name` is NUL-terminated; the ACL was built above; owner, group and SACL are
    // left as they are (null).
    status(unsafe {
        SetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            acl_ptr,
            std::ptr::null(),
        )
    })
}

/// A file's access list as the OS reports it (GetNamedSecurityInfoW): whether it is
/// protected from inheritance, and each entry's kind (0: allow), rights and whether its SID
/// is this user's or SYSTEM's. For tests and the doctor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileAccess {
    pub protected: bool,
    pub entries: Vec<AccessEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub allow: bool,
    pub mask: u32,
    pub who: Who,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    ThisUser,
    System,
    Someone,
}

pub fn file_access(path: &Path) -> io::Result<FileAccess> {
    use windows_sys::Win32::Foundation::LocalFree;
    use windows_sys::Win32::Security::Authorization::{GetNamedSecurityInfoW, SE_FILE_OBJECT};
    use windows_sys::Win32::Security::{
        AclSizeInformation, EqualSid, GetAce, GetAclInformation, GetSecurityDescriptorControl,
        ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, ACL_SIZE_INFORMATION, DACL_SECURITY_INFORMATION,
        SE_DACL_PROTECTED,
    };
    let user = current_user_sid()?;
    let system = local_system_sid()?;
    let name = wide(path.as_os_str());
    let mut dacl: *mut ACL = std::ptr::null_mut();
    let mut descriptor = std::ptr::null_mut();
    // SAFETY: `name` is NUL-terminated; the out pointers are ours; the descriptor the OS
    // allocates is freed with LocalFree below, and `dacl` points into it.
    status(unsafe {
        GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut dacl,
            std::ptr::null_mut(),
            &mut descriptor,
        )
    })?;
    let read = || -> io::Result<FileAccess> {
        let mut control: u16 = 0;
        let mut revision: u32 = 0;
        // SAFETY: `descriptor` is the one the OS just returned.
        if unsafe { GetSecurityDescriptorControl(descriptor, &mut control, &mut revision) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut entries = Vec::new();
        if !dacl.is_null() {
            // SAFETY: all-zero is a valid ACL_SIZE_INFORMATION (plain integers).
            let mut info: ACL_SIZE_INFORMATION = unsafe { std::mem::zeroed() };
            // SAFETY: `dacl` is valid while `descriptor` lives; `info` is the size passed.
            if unsafe {
                GetAclInformation(
                    dacl,
                    (&mut info as *mut ACL_SIZE_INFORMATION).cast(),
                    std::mem::size_of::<ACL_SIZE_INFORMATION>() as u32,
                    AclSizeInformation,
                )
            } == 0
            {
                return Err(io::Error::last_os_error());
            }
            for i in 0..info.AceCount {
                let mut ace = std::ptr::null_mut();
                // SAFETY: `i` is below the ACE count the OS reported.
                if unsafe { GetAce(dacl, i, &mut ace) } == 0 {
                    return Err(io::Error::last_os_error());
                }
                // SAFETY: every ACE starts with an ACE_HEADER. Allow and deny entries share
                // ACCESS_ALLOWED_ACE's layout (header, mask, SID), which is all that is read.
                let (header, ace) = unsafe {
                    (
                        *ace.cast::<ACE_HEADER>(),
                        &*ace.cast::<ACCESS_ALLOWED_ACE>(),
                    )
                };
                let sid = (&ace.SidStart as *const u32).cast_mut().cast();
                // SAFETY: both SIDs are valid for the calls.
                let who = if unsafe { EqualSid(sid, user.as_psid()) } != 0 {
                    Who::ThisUser
                } else if unsafe { EqualSid(sid, system.as_psid()) } != 0 {
                    Who::System
                } else {
                    Who::Someone
                };
                entries.push(AccessEntry {
                    allow: header.AceType == 0, // ACCESS_ALLOWED_ACE_TYPE
                    mask: ace.Mask,
                    who,
                });
            }
        }
        Ok(FileAccess {
            protected: control & SE_DACL_PROTECTED != 0,
            entries,
        })
    };
    let access = read();
    // SAFETY: allocated by GetNamedSecurityInfoW, freed once.
    unsafe { LocalFree(descriptor) };
    access
}

/// A SID in a buffer we own (aligned for the OS's structures).
struct Sid(Vec<u64>, usize);

impl Sid {
    fn as_psid(&self) -> windows_sys::Win32::Security::PSID {
        // The SID starts `self.1` bytes into the buffer.
        // SAFETY: the offset is inside the buffer (set by the constructors below).
        unsafe { self.0.as_ptr().cast::<u8>().add(self.1) }
            .cast_mut()
            .cast()
    }
}

/// The SID of the user this process runs as (its token's TokenUser).
fn current_user_sid() -> io::Result<Sid> {
    use windows_sys::Win32::Foundation::CloseHandle;
    use windows_sys::Win32::Security::{GetTokenInformation, TokenUser, TOKEN_QUERY, TOKEN_USER};
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};
    let mut token = std::ptr::null_mut();
    // SAFETY: the pseudo-handle of this process; `token` is ours and closed below.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let mut buffer = vec![0u64; 64]; // 512 bytes: a TOKEN_USER and the largest SID fit
    let mut needed: u32 = 0;
    // SAFETY: `buffer` is 8-byte aligned and of the length passed; `token` is open.
    let ok = unsafe {
        GetTokenInformation(
            token,
            TokenUser,
            buffer.as_mut_ptr().cast(),
            (buffer.len() * 8) as u32,
            &mut needed,
        )
    };
    let error = io::Error::last_os_error();
    // SAFETY: opened above, closed once.
    unsafe { CloseHandle(token) };
    if ok == 0 {
        return Err(error);
    }
    // SAFETY: GetTokenInformation wrote a TOKEN_USER at the start of the buffer.
    let sid = unsafe { (*buffer.as_ptr().cast::<TOKEN_USER>()).User.Sid };
    let offset = (sid as usize)
        .checked_sub(buffer.as_ptr() as usize)
        .filter(|o| *o < buffer.len() * 8)
        .ok_or_else(|| io::Error::other("the token's user SID is outside its buffer"))?;
    Ok(Sid(buffer, offset))
}

/// The SID of LocalSystem (S-1-5-18).
fn local_system_sid() -> io::Result<Sid> {
    use windows_sys::Win32::Security::{CreateWellKnownSid, WinLocalSystemSid};
    let mut buffer = vec![0u64; 16]; // SECURITY_MAX_SID_SIZE is 68 bytes
    let mut size = (buffer.len() * 8) as u32;
    // SAFETY: `buffer` is of the size passed; no domain SID is needed for this one.
    if unsafe {
        CreateWellKnownSid(
            WinLocalSystemSid,
            std::ptr::null_mut(),
            buffer.as_mut_ptr().cast(),
            &mut size,
        )
    } == 0
    {
        return Err(io::Error::last_os_error());
    }
    Ok(Sid(buffer, 0))
}

/// Checks a file made private by [`restrict_to_owner`] (tests of every module that writes a
/// secret). On Windows (the release workflow's runner): the list is protected from
/// inheritance and allows this user and SYSTEM, nobody else. Under Wine (the Windows lane
/// sets `FIELDBRIDGE_UNDER_WINE`), which keeps a file's access list as Unix permission bits
/// and answers its own reading of them: the call succeeded and this user has full control;
/// the rest is verified only on Windows.
#[cfg(test)]
pub fn assert_owner_only(path: &Path) {
    use windows_sys::Win32::Storage::FileSystem::FILE_ALL_ACCESS;
    let access = file_access(path).expect("read the access list back");
    assert!(
        access
            .entries
            .iter()
            .any(|e| e.allow && e.who == Who::ThisUser && e.mask == FILE_ALL_ACCESS),
        "this user keeps full control of {}: {access:?}",
        path.display()
    );
    if std::env::var_os("FIELDBRIDGE_UNDER_WINE").is_some() {
        return;
    }
    assert!(
        access.protected,
        "nothing inherited from the folder: {access:?}"
    );
    assert!(
        access
            .entries
            .iter()
            .all(|e| e.allow && e.who != Who::Someone),
        "only this user and SYSTEM: {access:?}"
    );
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

    /// Issue 14: a secret in a custom data folder is readable by this user (and SYSTEM)
    /// only, whatever the folder allows: the inherited entries are gone.
    #[test]
    fn a_restricted_file_allows_this_user_and_system_and_inherits_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("secret");
        std::fs::write(&file, "x").expect("write");
        restrict_to_owner(&file).expect("restrict");
        assert_owner_only(&file);
        assert_eq!(
            std::fs::read_to_string(&file).expect("still readable by us"),
            "x"
        );
    }
}
