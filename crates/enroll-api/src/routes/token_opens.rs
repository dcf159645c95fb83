//! What a link's token opens, for the routes of someone with no account
//! (a customer's request for a partner, an invitation, an admin
//! relationship): the route's `{id}`, the token sent as `Authorization:
//! Bearer` (never in a path), and the one answer each case gets.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::StatusCode;
use enroll_core::ErrorCode;
use std::future::Future;

use super::AppState;
use crate::auth::{token_hash, Bearer};
use crate::error::ApiFailure;
use crate::store::StoreError;

/// The route's `{id}` and the hash of its Bearer token: 400 for a path
/// without one, 401 `token_required` without a token.
pub async fn id_and_token_hash(
    parts: &mut Parts,
    state: &AppState,
) -> Result<(String, String), ApiFailure> {
    let Path(id) = Path::<String>::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiFailure::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest))?;
    let Bearer(token) = Bearer::from_request_parts(parts, state).await?;
    Ok((id, token_hash(&token)))
}

/// What the token opened (`found`), if it is what the route names
/// (`is_named`); else 401 `invalid_token` when that exists (another
/// token's, or one run out), 404 when nothing does (`exists` is asked
/// only then).
pub async fn opened<T>(
    found: Option<T>,
    is_named: impl Fn(&T) -> bool,
    exists: impl Future<Output = Result<bool, StoreError>>,
) -> Result<T, ApiFailure> {
    match found {
        Some(found) if is_named(&found) => Ok(found),
        _ if exists.await? => Err(ApiFailure::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidToken,
        )),
        _ => Err(ApiFailure::not_found()),
    }
}
