//! The local API's bearer token: one per data folder, in the file `api-token` beside the
//! Web Connector password, made and compared exactly as that password is (`qbwc::password`:
//! a CSPRNG, a file only this user can read, replaced atomically, constant-time matching),
//! and guesses throttled as that password's are (`qbwc::throttle`). Never logged.

use crate::qbwc::password::{self, Password, PasswordError};
use crate::qbwc::throttle::{Caller, Throttle};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Random characters in a token (grouped by four with '-', so 49 characters in all): about
/// 233 bits, and at least the 32 characters the contract asks for.
pub const TOKEN_CHARS: usize = 40;

/// The token file's name inside the data folder.
pub const TOKEN_FILE: &str = "api-token";

/// Why the token file cannot be used, in words that name the API, not the password.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("cannot read the local API token file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the local API token file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the local API token file {path} is empty or not text; make a new token with `fieldbridge api-token --reset`")]
    Unusable { path: PathBuf },
    #[error("this computer's random number source failed, so no API token could be made: {0}")]
    Random(getrandom::Error),
}

impl From<PasswordError> for TokenError {
    fn from(e: PasswordError) -> Self {
        match e {
            PasswordError::Read { path, source } => TokenError::Read { path, source },
            PasswordError::Write { path, source } => TokenError::Write { path, source },
            PasswordError::Empty { path } | PasswordError::NotText { path } => {
                TokenError::Unusable { path }
            }
            PasswordError::Random(e) => TokenError::Random(e),
        }
    }
}

/// The token file of a data folder.
pub fn file_in(data_dir: &Path) -> PathBuf {
    data_dir.join(TOKEN_FILE)
}

/// The token (made on first use).
pub fn load_or_create(file: &Path) -> Result<Password, TokenError> {
    Ok(password::load_or_create_secret(file, TOKEN_CHARS)?)
}

/// A new token; the old one stops working at once (the file is read on every request).
pub fn reset(file: &Path) -> Result<Password, TokenError> {
    Ok(password::reset_secret(file, TOKEN_CHARS)?)
}

/// Why a request was not let in.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` header (not counted as a guess).
    Missing,
    /// A token that is not this data folder's.
    Wrong,
    /// Too many wrong tokens lately: refused without looking, for this long.
    Throttled(Duration),
}

/// Checks bearer tokens against the file, throttling wrong ones.
#[derive(Debug)]
pub struct Gate {
    file: PathBuf,
    throttle: Mutex<Throttle>,
}

impl Gate {
    pub fn new(file: PathBuf) -> Self {
        Gate {
            file,
            throttle: Mutex::new(Throttle::default()),
        }
    }

    /// Lets `authorization` (the header's value) in, or says why not. Reads the file each
    /// time, so `api-token --reset` in another process takes effect at once. Blocking (a
    /// small file read).
    pub fn check(&self, authorization: Option<&[u8]>, now: Instant) -> Result<(), Refusal> {
        // The throttle's fields are each updated in one step; a poisoned lock still holds
        // consistent counts.
        let throttle = || self.throttle.lock().unwrap_or_else(|p| p.into_inner());
        // The API has one kind of caller: everyone presents the one token.
        if let Err(left) = throttle().check(Caller::OurUser, now) {
            return Err(Refusal::Throttled(left));
        }
        let presented = authorization
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or(Refusal::Missing)?;
        let matches = match load_or_create(&self.file) {
            Ok(token) => token.matches(presented),
            Err(e) => {
                tracing::error!("{e}");
                false
            }
        };
        if matches {
            throttle().record_success();
            return Ok(());
        }
        // As with the password: a stale token sent again and again is one mistake, different
        // guesses each count.
        if let Some(lockout) = throttle().record_failure(Caller::OurUser, presented, now) {
            tracing::warn!(
                "the local API refuses requests for {lockout:?} after repeated wrong tokens"
            );
        }
        Err(Refusal::Wrong)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbwc::throttle::{FIRST_LOCKOUT, MAX_FAILURES};

    #[test]
    fn a_token_is_long_private_stable_and_reset_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = file_in(dir.path());
        let first = load_or_create(&file).unwrap();
        assert!(first.expose().len() >= 32, "at least 32 characters");
        assert_eq!(load_or_create(&file).unwrap(), first, "stable until reset");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "only this user may read the token");
        }
        #[cfg(windows)]
        crate::win::assert_owner_only(&file);
        let gate = Gate::new(file.clone());
        let header = |t: &str| format!("Bearer {t}").into_bytes();
        let now = Instant::now();
        assert_eq!(gate.check(Some(&header(first.expose())), now), Ok(()));
        let second = reset(&file).unwrap();
        assert_ne!(first, second);
        assert_eq!(
            gate.check(Some(&header(first.expose())), now),
            Err(Refusal::Wrong),
            "the old token stops working at once"
        );
        assert_eq!(gate.check(Some(&header(second.expose())), now), Ok(()));
    }

    #[test]
    fn missing_and_wrong_tokens_are_refused_and_guessing_is_throttled() {
        let dir = tempfile::tempdir().unwrap();
        let file = file_in(dir.path());
        let token = load_or_create(&file).unwrap();
        let gate = Gate::new(file);
        let now = Instant::now();
        assert_eq!(gate.check(None, now), Err(Refusal::Missing));
        assert_eq!(gate.check(Some(b"Basic abc"), now), Err(Refusal::Missing));
        for _ in 0..MAX_FAILURES + 2 {
            assert_eq!(gate.check(Some(b"Bearer stale"), now), Err(Refusal::Wrong));
        }
        assert_eq!(
            gate.check(Some(format!("Bearer {}", token.expose()).as_bytes()), now),
            Ok(()),
            "one stale token sent again and again is one mistake, not guessing"
        );
        for i in 0..MAX_FAILURES {
            let guess = format!("Bearer guess-{i}");
            assert_eq!(gate.check(Some(guess.as_bytes()), now), Err(Refusal::Wrong));
        }
        let right = format!("Bearer {}", token.expose());
        assert!(
            matches!(
                gate.check(Some(right.as_bytes()), now),
                Err(Refusal::Throttled(_))
            ),
            "during a lockout even the right token waits: guessing cannot go on"
        );
        assert_eq!(
            gate.check(Some(right.as_bytes()), now + FIRST_LOCKOUT),
            Ok(()),
            "after the lockout the right token works"
        );
    }
}
