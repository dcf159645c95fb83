//! The request headers that make writes safe to repeat: `If-Match` (the
//! version a write was based on) and `Idempotency-Key` (one effect however
//! often a request is sent).

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::ErrorCode;

use crate::error::ApiFailure;

/// The version an `If-Match` header names (`"3"`, `W/"3"`), or `*`.
#[derive(Clone, Copy)]
pub enum IfMatch {
    Any,
    Version(i64),
}

pub fn if_match(headers: &HeaderMap) -> Result<IfMatch, ApiFailure> {
    let value = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .ok_or(ApiFailure::new(
            StatusCode::PRECONDITION_REQUIRED,
            ErrorCode::IfMatchRequired,
        ))?;
    if value == "*" {
        return Ok(IfMatch::Any);
    }
    let version = value
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .unwrap_or(-1);
    Ok(IfMatch::Version(version))
}

impl IfMatch {
    /// The version a write must find, if any (`*`: whichever).
    pub fn version(self) -> Option<i64> {
        match self {
            Self::Any => None,
            Self::Version(version) => Some(version),
        }
    }
}

/// `body` as JSON with its version as a strong `ETag` (`"3"`), for
/// `If-Match` on the next write.
pub fn with_etag<T: serde::Serialize>(body: &T, version: i64) -> Response {
    let etag = format!("\"{version}\"");
    ([(header::ETAG, etag)], Json(body)).into_response()
}

/// The request's `Idempotency-Key`, if it sent a usable one.
pub fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .map(str::to_owned)
}
