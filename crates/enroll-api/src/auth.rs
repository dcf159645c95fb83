//! The secrets the server makes (resume and session tokens, ids, random
//! text for passwords and codes): made here, given out once, stored hashed.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use enroll_core::ErrorCode;
use sha2::{Digest, Sha256};

use crate::error::ApiFailure;

/// How long a resume link works.
pub const TOKEN_DAYS: u32 = (enroll_core::outbox::RESUME_LINK_SECS / 86_400) as u32;

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)?;
    Ok(hex(&buf))
}

/// Random bytes in an id of an application, an account or a user.
const ID_BYTES: usize = 16;

/// A new id of an application, an account or a user: [`ID_BYTES`] random
/// bytes as lower-case hex.
pub fn new_id() -> Result<String, getrandom::Error> {
    random_hex(ID_BYTES)
}

/// The shape of every [`new_id`] (ECMA-262, as JSON Schema's `pattern`
/// reads it): the contract's `{id}` of an application or a user.
pub fn id_pattern() -> String {
    format!("^[0-9a-f]{{{}}}$", ID_BYTES * 2)
}

/// `bytes` as lower-case hex: tokens, token hashes, ETags.
pub use enroll_core::encoding::hex;

/// `count` characters drawn evenly from `alphabet` (at most 256 long):
/// temporary passwords, emailed codes, recovery codes.
pub fn random_text(alphabet: &[u8], count: usize) -> Result<String, getrandom::Error> {
    // Bytes at or above the largest multiple of the alphabet's size are
    // skipped, so every character is equally likely (a plain `%` would
    // favour the first few).
    let limit = 256 - 256 % alphabet.len();
    let mut text = String::with_capacity(count);
    while text.len() < count {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        for byte in bytes {
            if usize::from(byte) < limit && text.len() < count {
                text.push(char::from(alphabet[usize::from(byte) % alphabet.len()]));
            }
        }
    }
    Ok(text)
}

/// What the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The token of `Authorization: Bearer <token>`.
pub struct Bearer(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .filter(|t| t.len() <= 256)
            .map(|t| Bearer(t.to_owned()))
            .ok_or(ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::TokenRequired,
            ))
    }
}

/// The token of an `Authorization` value `Bearer <token>`. The scheme is
/// case-insensitive (RFC 9110, section 11.1); one or more spaces or tabs
/// may follow it.
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, rest) = value.split_at_checked(6)?;
    if !scheme.eq_ignore_ascii_case("bearer") || !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some(rest.trim_matches([' ', '\t'])).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("BEARER \t  abc "), Some("abc"));
        assert_eq!(bearer_token("Bearerabc"), None);
        assert_eq!(bearer_token("Bearer   "), None);
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Béarer abc"), None);
    }

    #[test]
    fn tokens_are_random_and_hashes_are_stable() {
        let a = random_hex(32).unwrap();
        let b = random_hex(32).unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
