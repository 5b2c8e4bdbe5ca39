//! The Web Connector password: generated here, kept in one file in the data folder, compared
//! in constant time.
//!
//! Owns: the password's alphabet and length, the file's format (one line) and how it is
//! written (a temporary file renamed over the old one, so a reader sees the old password or
//! the new one, never half of either; readable only by this user on unix). Does not own:
//! where the data folder is (`paths::DataDir::password_file`), nor throttling (`throttle`).
//!
//! The endpoint reads the file again on every `authenticate`, so `fieldbridge password
//! --reset` in another process takes effect at once. Nothing here logs a password.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use subtle::ConstantTimeEq;

/// Characters a person can read aloud and type without confusing them: no 0/O, no 1/l/I.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
/// 24 characters from 57: about 140 bits, far beyond guessing even without the throttle.
const PASSWORD_CHARS: usize = 24;
/// Shown in groups of four joined by '-', which is easier to read out and compare.
const GROUP: usize = 4;

/// The Web Connector password. Its `Debug` hides the text so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// The password text, to print for the person who asked (`fieldbridge password`).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is this password, in time independent of where they differ.
    pub fn matches(&self, candidate: &str) -> bool {
        bool::from(self.0.as_bytes().ct_eq(candidate.as_bytes()))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<hidden>)")
    }
}

/// Why the password file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("cannot read the Web Connector password file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the Web Connector password file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the Web Connector password file {path} is empty; make a new password with `fieldbridge password --reset`")]
    Empty { path: PathBuf },
    #[error("the Web Connector password file {path} is not text; make a new password with `fieldbridge password --reset`")]
    NotText { path: PathBuf },
    #[error("this computer's random number source failed, so no password could be made: {0}")]
    Random(getrandom::Error),
}

/// A new password from the operating system's CSPRNG.
pub fn generate() -> Result<Password, PasswordError> {
    generate_secret(PASSWORD_CHARS)
}

/// A new secret of `chars` random characters of the readable alphabet (grouped by four), for
/// the Web Connector password and the local API's token (`api::token`) alike.
pub fn generate_secret(length: usize) -> Result<Password, PasswordError> {
    // Rejection sampling keeps every character equally likely: bytes at or above the largest
    // multiple of the alphabet's size are drawn again instead of folded onto the first ones.
    let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u16;
    let mut chars = Vec::with_capacity(length);
    while chars.len() < length {
        let mut bytes = [0u8; 64];
        getrandom::fill(&mut bytes).map_err(PasswordError::Random)?;
        for b in bytes {
            if (b as u16) < limit && chars.len() < length {
                chars.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    let text = chars
        .chunks(GROUP)
        .map(|g| g.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-");
    Ok(Password(text))
}

/// The password in `path`, making one first if the file does not exist yet.
pub fn load_or_create(path: &Path) -> Result<Password, PasswordError> {
    load_or_create_secret(path, PASSWORD_CHARS)
}

/// [`load_or_create`] for a secret of `length` characters (the API token's file).
pub fn load_or_create_secret(path: &Path, length: usize) -> Result<Password, PasswordError> {
    match read(path) {
        Err(PasswordError::Read { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            create(path, length)
        }
        other => other,
    }
}

/// Replaces the password at once: the old one stops working for the next `authenticate`.
pub fn reset(path: &Path) -> Result<Password, PasswordError> {
    reset_secret(path, PASSWORD_CHARS)
}

/// [`reset`] for a secret of `length` characters (the API token's file).
pub fn reset_secret(path: &Path, length: usize) -> Result<Password, PasswordError> {
    store_secret(path, generate_secret(length)?)
}

/// Stores a secret someone gave FieldBridge (the platform link's key) in `path`, readable
/// only by this user, replacing what was there at once.
pub fn store_secret(path: &Path, password: Password) -> Result<Password, PasswordError> {
    let temp = write_temp(path, &password)?;
    std::fs::rename(&temp, path).map_err(|source| {
        let _ = std::fs::remove_file(&temp);
        PasswordError::Write {
            path: path.to_path_buf(),
            source,
        }
    })?;
    Ok(password)
}

/// A secret stored earlier (the platform link's key), read as it was stored.
pub fn read_secret(path: &Path) -> Result<Password, PasswordError> {
    read(path)
}

/// A secret given as text (trimmed; empty is refused by the caller).
pub fn given(text: &str) -> Password {
    Password(text.trim().to_owned())
}

fn read(path: &Path) -> Result<Password, PasswordError> {
    let bytes = std::fs::read(path).map_err(|source| PasswordError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| PasswordError::NotText {
        path: path.to_path_buf(),
    })?;
    let line = text.trim();
    if line.is_empty() {
        return Err(PasswordError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(Password(line.to_owned()))
}

/// First use: write a new password unless another process got there first, in which case
/// theirs is the password (a hard link fails if the name exists, so exactly one wins).
fn create(path: &Path, length: usize) -> Result<Password, PasswordError> {
    let password = generate_secret(length)?;
    let temp = write_temp(path, &password)?;
    let linked = std::fs::hard_link(&temp, path);
    let outcome = match linked {
        Ok(()) => Ok(password),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(path),
        // A file system without hard links: fall back to a rename (last writer wins).
        Err(_) => std::fs::rename(&temp, path)
            .map(|()| password)
            .map_err(|source| PasswordError::Write {
                path: path.to_path_buf(),
                source,
            }),
    };
    let _ = std::fs::remove_file(&temp);
    outcome
}

/// Writes the password to a fresh temporary file next to `path` and flushes it to disk.
fn write_temp(path: &Path, password: &Password) -> Result<PathBuf, PasswordError> {
    let write_err = |source| PasswordError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(PasswordError::Random)?;
    let name = format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "password".into()),
        suffix
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let temp = path.with_file_name(name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Only this user may read the password (Windows: an owner-only access list, below).
        options.mode(0o600);
    }
    let mut file = options.open(&temp).map_err(write_err)?;
    // Windows: the file inherited the folder's access list (a custom data folder may let
    // everyone read); made this user's alone before the secret is written into it.
    #[cfg(windows)]
    if let Err(source) = crate::paths::keep_private(&temp) {
        drop(file);
        let _ = std::fs::remove_file(&temp);
        return Err(write_err(source));
    }
    let written = file
        .write_all(password.expose().as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all());
    if let Err(source) = written {
        drop(file);
        let _ = std::fs::remove_file(&temp);
        return Err(write_err(source));
    }
    Ok(temp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_readable_and_different() {
        let a = generate().expect("the OS has a random source");
        let b = generate().expect("the OS has a random source");
        let letters: String = a.expose().chars().filter(|c| *c != '-').collect();
        assert!(
            letters.len() >= 20,
            "at least 20 random characters, got {}",
            letters.len()
        );
        assert!(
            letters.chars().all(|c| ALPHABET.contains(&(c as u8))),
            "only the readable alphabet is used: {letters:?}"
        );
        for confusable in ['0', 'O', '1', 'l', 'I'] {
            assert!(
                !ALPHABET.contains(&(confusable as u8)),
                "{confusable} is confusable"
            );
        }
        assert_ne!(a, b, "two passwords from a CSPRNG are never equal");
    }

    #[test]
    fn load_creates_once_then_returns_the_same_password() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("qbwc-password");
        let first = load_or_create(&path).expect("first use creates the file");
        let again = load_or_create(&path).expect("second use reads it");
        assert_eq!(first, again, "the password is stable until reset");
        let on_disk = std::fs::read_to_string(&path).expect("file exists");
        assert_eq!(
            on_disk,
            format!("{}\n", first.expose()),
            "one line in the file"
        );
        let leftovers = std::fs::read_dir(dir.path()).expect("dir").count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn reset_replaces_the_password_at_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("qbwc-password");
        let old = load_or_create(&path).expect("created");
        let new = reset(&path).expect("reset");
        assert_ne!(old, new, "reset makes a different password");
        let loaded = load_or_create(&path).expect("read back");
        assert!(
            loaded.matches(new.expose()),
            "the new password works at once"
        );
        assert!(
            !loaded.matches(old.expose()),
            "the old password stops working at once"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_readable_only_by_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("qbwc-password");
        load_or_create(&path).expect("created");
        let mode = std::fs::metadata(&path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(
            mode, 0o600,
            "a password file must not be group or world readable"
        );
        reset(&path).expect("reset");
        let mode = std::fs::metadata(&path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "a reset keeps the file private");
    }

    /// Issue 14: on Windows a custom data folder's access list is not inherited: the
    /// password file (created and reset) allows this user and SYSTEM only.
    #[cfg(windows)]
    #[test]
    fn the_password_file_has_an_owner_only_access_list() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("qbwc-password");
        load_or_create(&path).expect("created");
        crate::win::assert_owner_only(&path);
        reset(&path).expect("reset");
        crate::win::assert_owner_only(&path);
    }

    #[test]
    fn a_hand_edited_file_is_trimmed_and_an_empty_one_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("qbwc-password");
        std::fs::write(&path, "  my-own-password \r\n").expect("write");
        let p = load_or_create(&path).expect("a hand-written password is used");
        assert!(
            p.matches("my-own-password"),
            "surrounding whitespace and CRLF are not part of it"
        );
        std::fs::write(&path, "\n").expect("write");
        assert!(
            matches!(load_or_create(&path), Err(PasswordError::Empty { .. })),
            "an empty file is an error the person can act on, not an empty password"
        );
    }

    #[test]
    fn matching_is_exact() {
        let p = Password("abcd-efgh".into());
        assert!(p.matches("abcd-efgh"), "the same text matches");
        assert!(!p.matches("abcd-efg"), "a prefix does not match");
        assert!(!p.matches("ABCD-EFGH"), "case matters");
        assert!(!p.matches(""), "empty never matches a real password");
        assert_eq!(
            format!("{p:?}"),
            "Password(<hidden>)",
            "Debug never shows the text"
        );
    }
}
