//! The server's one secret key (`ENROLL_SECRET_KEY`: 32 random bytes,
//! base64), the same on every instance. Keys for each use are derived from
//! it (HKDF-SHA-256, one label per use), so a use added later never shares
//! a key with another: today the key that stores emailed codes as
//! HMAC-SHA-256, so a copy of the database does not reveal them (six
//! digits hashed without a key are reversed in a moment). A previous key
//! may be given while rotating: what it made is still recognised.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

/// Bytes in the secret key.
pub const KEY_BYTES: usize = 32;

/// The label of the key that stores emailed codes (HKDF's `info`).
const EMAIL_CODES: &[u8] = b"csp-enroll email codes v1";

#[derive(Debug, thiserror::Error)]
pub enum SecretKeyError {
    #[error(
        "{name} is not base64 of {KEY_BYTES} bytes: make one with `enroll-api new-secret-key`"
    )]
    Malformed { name: &'static str },
    #[error("ENROLL_SECRET_KEY is not set: make one with `enroll-api new-secret-key` and give the same to every instance (README, \"Security\"); for development only, pass --dev-secret-key FILE")]
    Missing,
    #[error("the development key file {path}: {message}")]
    DevFile { path: String, message: String },
    #[error("no randomness for a key: {0}")]
    Random(String),
}

/// One 32-byte key. Its bytes never reach a log.
#[derive(Clone)]
struct Key([u8; KEY_BYTES]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    fn parse(name: &'static str, text: &str) -> Result<Self, SecretKeyError> {
        let bytes = BASE64
            .decode(text.trim())
            .map_err(|_| SecretKeyError::Malformed { name })?;
        let bytes: [u8; KEY_BYTES] = bytes
            .try_into()
            .map_err(|_| SecretKeyError::Malformed { name })?;
        Ok(Self(bytes))
    }

    fn random() -> Result<Self, SecretKeyError> {
        let mut bytes = [0u8; KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| SecretKeyError::Random(e.to_string()))?;
        Ok(Self(bytes))
    }

    /// The key for one use, derived from this one.
    fn derive(&self, label: &[u8]) -> [u8; KEY_BYTES] {
        let mut out = [0u8; KEY_BYTES];
        Hkdf::<Sha256>::new(None, &self.0)
            .expand(label, &mut out)
            .expect("32 bytes is a valid HKDF-SHA-256 length");
        out
    }

    /// HMAC-SHA-256 of `text` under the key derived for `label`, hex.
    fn mac(&self, label: &[u8], text: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.derive(label))
            .expect("HMAC takes a key of any length");
        mac.update(text.as_bytes());
        crate::auth::hex(&mac.finalize().into_bytes())
    }
}

/// The current key, and the previous one while rotating.
#[derive(Clone, Debug)]
pub struct SecretKeys {
    current: Key,
    previous: Option<Key>,
}

impl SecretKeys {
    /// From `ENROLL_SECRET_KEY` and, while rotating,
    /// `ENROLL_PREVIOUS_SECRET_KEY` (both base64).
    pub fn from_base64(current: &str, previous: Option<&str>) -> Result<Self, SecretKeyError> {
        Ok(Self {
            current: Key::parse("ENROLL_SECRET_KEY", current)?,
            previous: previous
                .filter(|p| !p.trim().is_empty())
                .map(|p| Key::parse("ENROLL_PREVIOUS_SECRET_KEY", p))
                .transpose()?,
        })
    }

    /// A key of this process alone (a test's server, a library user that
    /// runs one instance and keeps nothing across restarts).
    pub fn ephemeral() -> Result<Self, SecretKeyError> {
        Ok(Self {
            current: Key::random()?,
            previous: None,
        })
    }

    /// The development key kept in `path` (made there the first time,
    /// readable by its owner only): `cargo xtask run` passes one under
    /// target/, so codes sent before a restart still work after it.
    pub fn development(path: &Path) -> Result<Self, SecretKeyError> {
        let failed = |e: std::io::Error| SecretKeyError::DevFile {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if let Ok(text) = std::fs::read_to_string(path) {
            return Self::from_base64(&text, None);
        }
        let key = Key::random()?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        write_private(path, &BASE64.encode(key.0)).map_err(failed)?;
        Ok(Self {
            current: key,
            previous: None,
        })
    }

    /// A new key, as `enroll-api new-secret-key` prints it.
    pub fn new_base64() -> Result<String, SecretKeyError> {
        Ok(BASE64.encode(Key::random()?.0))
    }

    /// What the database keeps of an emailed code: HMAC-SHA-256 under the
    /// current key.
    pub fn code_hash(&self, code: &str) -> String {
        self.current.mac(EMAIL_CODES, code.trim())
    }

    /// What a typed code may match: its hash under the current key, and
    /// under the previous one while rotating.
    pub fn code_hashes(&self, code: &str) -> Vec<String> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .map(|key| key.mac(EMAIL_CODES, code.trim()))
            .collect()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const KEY_B: &str = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    #[test]
    fn codes_are_keyed_and_a_previous_key_still_recognises_its_own() {
        let a = SecretKeys::from_base64(KEY_A, None).unwrap();
        let b = SecretKeys::from_base64(KEY_B, None).unwrap();
        // Keyed: the same code under two keys, and not the plain SHA-256.
        assert_ne!(a.code_hash("123456"), b.code_hash("123456"));
        assert_ne!(a.code_hash("123456"), crate::auth::token_hash("123456"));
        assert_eq!(a.code_hash(" 123456 "), a.code_hash("123456"));
        // Rotating from A to B: a code stored under A is still matched.
        let rotating = SecretKeys::from_base64(KEY_B, Some(KEY_A)).unwrap();
        let stored = a.code_hash("123456");
        assert!(rotating.code_hashes("123456").contains(&stored));
        assert_eq!(rotating.code_hash("123456"), b.code_hash("123456"));
    }

    #[test]
    fn a_key_is_32_bytes_of_base64_and_never_printed() {
        for bad in ["", "not base64!", "AAECAwQ=", &format!("{KEY_A}AA")] {
            assert!(SecretKeys::from_base64(bad, None).is_err(), "{bad:?}");
        }
        let keys = SecretKeys::from_base64(KEY_A, Some(KEY_B)).unwrap();
        let shown = format!("{keys:?}");
        // KEY_A is the bytes 0, 1, 2, …: neither they nor their base64.
        assert!(shown.contains("Key(..)"), "{shown}");
        assert!(
            !shown.contains("1, 2, 3") && !shown.contains("AAEC"),
            "{shown}"
        );
        let new = SecretKeys::new_base64().unwrap();
        assert!(SecretKeys::from_base64(&new, None).is_ok());
    }

    #[test]
    fn the_development_key_is_made_once_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/dev-secret-key");
        let first = SecretKeys::development(&path).unwrap();
        let again = SecretKeys::development(&path).unwrap();
        assert_eq!(first.code_hash("1"), again.code_hash("1"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
