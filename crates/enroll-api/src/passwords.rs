//! Partner account passwords and one-time codes: argon2id hashes, random
//! temporary passwords and emailed codes. Hashing is slow on purpose, so
//! it runs on the blocking pool, never on the request's thread.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use enroll_core::account::limits;
use std::sync::OnceLock;

use crate::auth::{random_text, token_hash};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("no randomness: {0}")]
    Random(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

/// Characters of temporary passwords: no 0/O, 1/l/I, so one read from an
/// email is typed right.
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ";

/// A temporary password: 20 characters of 54 (115 bits).
pub fn temporary_password() -> Result<String, getrandom::Error> {
    random_text(ALPHABET, limits::TEMPORARY_PASSWORD_CHARS)
}

/// A code proving an email address: 6 digits.
pub fn email_code() -> Result<String, getrandom::Error> {
    random_text(b"0123456789", limits::EMAIL_CODE_DIGITS)
}

/// What the database keeps of a recovery code (single use, tried a limited
/// number of times, and long enough that SHA-256 is enough; passwords get
/// argon2id, emailed codes of six digits a keyed hash: `secret.rs`).
pub fn code_hash(code: &str) -> String {
    token_hash(code.trim())
}

fn hash_now(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PasswordError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

fn verify_now(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// The argon2id hash of `password` (default parameters: 19 MiB, 2 passes).
pub async fn hash(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))?
}

/// Whether `password` matches `hash`. Given no hash (no such user), it
/// checks against a hash of nothing anyone knows, so the answer takes as
/// long as for a real user: the time does not tell who has an account.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let known = hash.is_some();
    // On the blocking pool, the dummy's first hashing included.
    let matches = tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| {
            DUMMY
                .get_or_init(|| {
                    let unknowable = random_text(ALPHABET, 32).unwrap_or_default();
                    hash_now(&unknowable).unwrap_or_default()
                })
                .clone()
        });
        verify_now(&password, &hash)
    })
    .await
    .unwrap_or(false);
    known && matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_are_long_random_and_unambiguous() {
        let a = temporary_password().unwrap();
        let b = temporary_password().unwrap();
        assert_eq!(a.chars().count(), 20);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)), "{a}");
        let code = email_code().unwrap();
        assert!(code.len() == 6 && code.bytes().all(|c| c.is_ascii_digit()));
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hashed = hash("violet quarry tandem".into()).await.unwrap();
        assert!(hashed.starts_with("$argon2id$"), "{hashed}");
        assert!(!hashed.contains("violet"));
        assert!(verify("violet quarry tandem".into(), Some(hashed.clone())).await);
        assert!(!verify("violet quarry tandeM".into(), Some(hashed)).await);
        assert!(!verify("anything".into(), None).await);
        assert!(!verify("x".into(), Some("not a hash".into())).await);
    }
}
