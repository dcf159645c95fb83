//! Who is asking: a live session (`SignedIn`), where it stands (the
//! stage enroll-core's `SessionStage` gives it), what its roles allow,
//! and the account and application it belongs to. Every route of the
//! partner account starts here.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use enroll_core::account::{
    allowed_actions, AccountUser, Action, Request, SessionStage, SessionState, SignInState,
};
use enroll_core::ErrorCode;

use super::AppState;
use crate::auth::token_hash;
use crate::error::ApiFailure;
use crate::store::{Account, Record, Session, User};

impl From<&User> for AccountUser {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.clone(),
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            roles: user.roles.clone(),
        }
    }
}

/// Where a session of `user` stands.
pub(super) fn state_of(user: &User, mfa_passed: bool, token: Option<String>) -> SessionState {
    SessionState::at(stage(user, mfa_passed), user.into(), token)
}

fn stage(user: &User, mfa_passed: bool) -> SessionStage {
    SessionStage::of(SignInState {
        mfa_enrolled: user.totp_secret.is_some(),
        mfa_passed,
        temporary_password: user.password_temporary,
    })
}

/// A request from a live session: 401 `session_required` without a
/// token, `session_expired` with one that is unknown, signed out or too
/// old.
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiFailure> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| crate::auth::bearer_token(v))
            .filter(|t| t.len() <= 256)
            .ok_or(ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::SessionRequired,
            ))?;
        let session = state
            .store
            .live_session(&token_hash(token), state.clock.now())
            .await?
            .ok_or(ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::SessionExpired,
            ))?;
        Ok(Self(session))
    }
}

impl SignedIn {
    /// The session, if its stage allows `request`; 403 with the step it
    /// must take first otherwise.
    pub fn may(&self, request: Request) -> Result<&Session, ApiFailure> {
        match stage(&self.0.user, self.0.mfa_passed).refusal(request) {
            None => Ok(&self.0),
            Some(code) => Err(ApiFailure::new(StatusCode::FORBIDDEN, code)),
        }
    }
}

/// The session, if its stage allows `request` and the user's roles allow
/// `action`: 403 `forbidden` otherwise.
pub(super) fn permitted(
    signed_in: &SignedIn,
    request: Request,
    action: Action,
) -> Result<&Session, ApiFailure> {
    let session = signed_in.may(request)?;
    if !allowed_actions(&session.user.roles).contains(&action) {
        return Err(ApiFailure::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden));
    }
    Ok(session)
}

/// The signed-in user's account.
pub(super) async fn account_of(state: &AppState, session: &Session) -> Result<Account, ApiFailure> {
    state
        .store
        .account(&session.user.account_id)
        .await?
        .ok_or(ApiFailure::not_found())
}

/// The signed-in user's account and the application it was made from (its
/// company, its answers, the language of its emails).
pub(super) async fn application_of(
    state: &AppState,
    session: &Session,
) -> Result<(Account, Record), ApiFailure> {
    let account = account_of(state, session).await?;
    let application = state
        .store
        .application(&account.application_id)
        .await?
        .ok_or(ApiFailure::not_found())?;
    Ok((account, application))
}
