//! Who a request is from: the applicant, by the resume token of their
//! draft; the client, by its address (what the rate limits count).
//! Checked here, once, for every route that needs it.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::StatusCode;
use enroll_core::ErrorCode;

use super::AppState;
use crate::auth::{token_hash, Bearer};
use crate::error::ApiFailure;
use crate::store::Record;
use crate::throttle::Client;

/// The application a request names (`/applications/{id}/…`), opened by
/// its resume token: 401 without a token or with another application's,
/// 404 when there is no such application.
pub struct Applicant {
    pub record: Record,
    /// The token it was opened with (for the resume link it emails).
    pub token: String,
}

impl FromRequestParts<AppState> for Applicant {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiFailure> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiFailure::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest))?;
        let TokenHolder { record, token } = match TokenHolder::from_request_parts(parts, state)
            .await
        {
            Ok(holder) if holder.record.id == id => holder,
            // No token, or the store failed: said as it is.
            Err(failure)
                if failure.code == ErrorCode::TokenRequired || failure.status.is_server_error() =>
            {
                return Err(failure)
            }
            _ => {
                return Err(match state.store.application(&id).await? {
                    None => ApiFailure::not_found(),
                    Some(_) => ApiFailure::new(StatusCode::UNAUTHORIZED, ErrorCode::InvalidToken),
                })
            }
        };
        Ok(Self { record, token })
    }
}

/// Whoever holds a valid resume token, on a route that names no
/// application (a request to a provider): its application.
pub struct TokenHolder {
    pub record: Record,
    pub token: String,
}

impl FromRequestParts<AppState> for TokenHolder {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiFailure> {
        let Bearer(token) = Bearer::from_request_parts(parts, state).await?;
        let record = state
            .store
            .application_by_token(&token_hash(&token))
            .await?
            .ok_or(ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidToken,
            ))?;
        Ok(Self { record, token })
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    /// The peer address of the connection, or, when that peer is a proxy
    /// the operator trusts (`--trusted-proxy`), the client it names in
    /// `X-Forwarded-For`. Anyone can send that header: from anyone else
    /// it is not read.
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(state.proxies.client_address(parts)))
    }
}
