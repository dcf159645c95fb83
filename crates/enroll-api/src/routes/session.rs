//! Signing in to the partner account: a password, then (where set up) the
//! second factor's code; a temporary password allows only choosing a new
//! one. Sessions are random bearer tokens, stored hashed, ended by signing
//! out, 12 hours idle or 7 days. What each stage may do is enroll-core's
//! (`account::SessionStage`); this module asks it on every request.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::{
    guessable_password, limits, new_password_problem, own_words, Request, SessionState,
};
use enroll_core::contract::{Credentials, MfaCode, PasswordChange};
use enroll_core::email::address_key;
use enroll_core::ErrorCode;
use enroll_core::{ApiErrorBody, Problem, ProblemCode, ValidationReport};
use std::time::Duration;

use super::signed_in::{application_of, state_of, SignedIn};
use super::AppState;
use crate::auth::{random_hex, token_hash};
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mail;
use crate::mfa;
use crate::passwords;
use crate::store::{AttemptLimit, Lockout, NewToken, Session};
use crate::throttle::Client;

/// An attempt to sign in (a password or a code), counted before it is
/// checked, against what it is limited by; a right one is given back.
struct Attempt {
    ids: Vec<i64>,
}

impl Attempt {
    /// Counts an attempt with the address `email` (known or not; the
    /// signed-in user's for codes and current passwords) from `client`,
    /// and against `also` (a second-factor code's own limit): 429 while
    /// the address has failed 5 times from this client, or the client 20
    /// times, in 15 minutes; or while the address is locked after 100
    /// failures within 24 hours from everywhere (its owner is emailed,
    /// once a day).
    async fn begin(
        state: &AppState,
        email: &str,
        client: Client,
        also: Option<AttemptLimit>,
    ) -> Result<Self, ApiFailure> {
        let login = address_key(email);
        let window = limits::SIGN_IN_WINDOW_SECS;
        let mut counted = vec![AttemptLimit {
            scope: format!("pair:{login}|{}", client.key()),
            limit: limits::SIGN_IN_FAILURES_PER_ADDRESS,
            window_secs: window,
        }];
        counted.extend(
            client
                .scopes(limits::SIGN_IN_FAILURES_PER_CLIENT)
                .into_iter()
                .map(|(scope, limit)| AttemptLimit {
                    scope,
                    limit,
                    window_secs: window,
                }),
        );
        counted.extend(also);
        let lockout = Lockout {
            scope: format!("email:{login}"),
            login,
            limit: limits::SIGN_IN_FAILURES_PER_ADDRESS_DAY,
            window_secs: limits::SIGN_IN_ADDRESS_WINDOW_SECS,
            lock_secs: limits::SIGN_IN_ADDRESS_LOCK_SECS,
            notice: Some(mail::sign_in_locked_email),
        };
        let now = state.clock.now();
        match state.store.begin_attempt(counted, lockout, now).await? {
            Ok(ids) => Ok(Self { ids }),
            Err(wait) => Err(ApiFailure::throttled(
                ErrorCode::TooManyAttempts,
                Duration::from_secs(wait),
            )),
        }
    }

    /// The password or code was right: not a failure.
    async fn succeeded(self, state: &AppState) -> Result<(), ApiFailure> {
        state.store.forgive_attempt(self.ids).await?;
        Ok(())
    }
}

/// Sign in
///
/// The same answer, taking as long, for an unknown address and a wrong
/// password. After 5 failures in 15 minutes for one address (known or
/// not) from one client, or 20 from one client: 429 for that client until
/// the oldest leaves the window (other clients still sign in). After 100
/// failures for one address from all clients within 24 hours: 429 for an
/// hour for everyone, and again while 100 are left in the 24 hours; the
/// owner is emailed, once a day.
/// Each attempt is counted before the password is checked, so attempts
/// sent at once cannot pass the count together.
#[utoipa::path(
    post,
    path = "/session",
    tag = "account",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the state says what must come first", body = SessionState),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`wrong_shape`: JSON, but not an email and a password", body = ApiErrorBody),
        (status = 401, description = "`invalid_credentials`, or `temporary_password_expired` (ask for a new invitation)", body = ApiErrorBody),
        (status = 429, description = "`too_many_attempts`", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another try is counted"))),
    ),
)]
pub async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    JsonBody(credentials): JsonBody<Credentials>,
) -> Result<Response, ApiFailure> {
    let user = state.store.user_by_email(&credentials.email).await?;
    let attempt = Attempt::begin(&state, &credentials.email, client, None).await?;
    // Bounded before hashing: argon2 over megabytes costs the server.
    let password = credentials.password;
    let right = password.chars().count() <= limits::PASSWORD_MAX_CHARS
        && passwords::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await;
    let (true, Some(user)) = (right, user) else {
        return Err(ApiFailure::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
        ));
    };
    let now = state.clock.now();
    if user.password_temporary && user.password_expires_at.is_some_and(|end| end <= now) {
        return Err(ApiFailure::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::TemporaryPasswordExpired,
        ));
    }
    attempt.succeeded(&state).await?;
    let token = random_hex(32)
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    // Without a second factor set up there is no code to wait for.
    let mfa_passed = user.totp_secret.is_none();
    state
        .store
        .create_session(&token_hash(&token), &user.id, now, mfa_passed)
        .await?;
    Ok(Json(state_of(&user, mfa_passed, Some(token))).into_response())
}

/// Sign out
#[utoipa::path(
    delete,
    path = "/session",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 204, description = "Signed out: the token no longer works"),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
    ),
)]
pub async fn sign_out(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
) -> Result<StatusCode, ApiFailure> {
    state.store.end_session(&session.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn wrong(field: &str, code: ProblemCode) -> ApiFailure {
    ApiFailure::invalid(ValidationReport::from_problems(
        vec![Problem::at(field, code)],
        Vec::new(),
    ))
}

/// Give the second factor's code
///
/// Completes a sign-in that needs it. Each code, and each recovery code,
/// is accepted once. Wrong codes count with failed passwords: 5 in 15
/// minutes for the user's address from one client (whatever passwords
/// were right meanwhile), 20 wrong codes for the user from all clients, 20
/// failures from one client, or 100 for the address within 24 hours from
/// everywhere: 429.
#[utoipa::path(
    post,
    path = "/session/mfa",
    tag = "account",
    security(("session" = [])),
    request_body = MfaCode,
    responses(
        (status = 200, description = "Signed in", body = SessionState),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`mfa_not_due`: no code is due", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`wrong_code` on `code`; or `wrong_shape`: JSON, but not this body", body = super::parameters::Unprocessable),
        (status = 429, description = "`too_many_attempts`", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another try is counted"))),
    ),
)]
pub async fn give_mfa_code(
    State(state): State<AppState>,
    client: Client,
    signed_in: SignedIn,
    JsonBody(body): JsonBody<MfaCode>,
) -> Result<Response, ApiFailure> {
    let session = signed_in.may(Request::MfaCode)?;
    let user = &session.user;
    // Codes count with the passwords, per address and client, and on their
    // own per user across clients (against someone holding the password
    // on many machines): a right password gives back only its own
    // attempt, never a code's.
    let per_user = AttemptLimit {
        scope: format!("mfa:{}", user.id),
        limit: limits::MFA_CODE_FAILURES_PER_USER,
        window_secs: limits::SIGN_IN_WINDOW_SECS,
    };
    let attempt = Attempt::begin(&state, &user.email, client, Some(per_user)).await?;
    let now = state.clock.now();
    let secret = user
        .totp_secret
        .as_deref()
        .and_then(mfa::Secret::from_base32);
    let by_app = match secret.and_then(|s| mfa::matching_step(&s, &body.code, now)) {
        Some(step) => state.store.accept_totp_step(&user.id, step).await?,
        None => false,
    };
    let accepted = by_app || {
        let recovery = passwords::code_hash(&mfa::normalize_recovery_code(&body.code));
        state
            .store
            .use_recovery_code(&user.id, &recovery, now)
            .await?
    };
    if !accepted {
        return Err(wrong("code", ProblemCode::WrongCode));
    }
    attempt.succeeded(&state).await?;
    let (token, rotation) = next_token(session)?;
    state.store.pass_mfa(&rotation).await?;
    Ok(Json(state_of(user, true, Some(token))).into_response())
}

/// A new token for `session`, which moves to another stage of signing in:
/// the token (for the answer) and the change to store.
pub(super) fn next_token(session: &Session) -> Result<(String, NewToken), ApiFailure> {
    let token = random_hex(32)
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    let rotation = NewToken {
        old_hash: session.token_hash.clone(),
        new_hash: token_hash(&token),
    };
    Ok((token, rotation))
}

/// Choose a new password
///
/// The only thing a session signed in with a temporary password may do.
/// At least 12 characters, not the current one, not a common one, and not
/// easy to guess (zxcvbn's score of 3 or more, given the user's address,
/// names and company). The user's other sessions end.
#[utoipa::path(
    post,
    path = "/session/password",
    tag = "account",
    security(("session" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Changed; the state says what comes next", body = SessionState),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`mfa_required`", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`wrong_password` on `current_password`; `required`, `too_short` (`min`), `too_long` (`max`), `same_as_previous`, `common_password` or `weak_password` (its `label_key` names why) on `new_password`; or `wrong_shape`: JSON, but not this body", body = super::parameters::Unprocessable),
        (status = 429, description = "`too_many_attempts`", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another try is counted"))),
    ),
)]
pub async fn change_password(
    State(state): State<AppState>,
    client: Client,
    signed_in: SignedIn,
    JsonBody(change): JsonBody<PasswordChange>,
) -> Result<Response, ApiFailure> {
    let session = signed_in.may(Request::ChangePassword)?;
    let user = &session.user;
    let attempt = Attempt::begin(&state, &user.email, client, None).await?;
    let current = change.current_password;
    let right = current.chars().count() <= limits::PASSWORD_MAX_CHARS
        && passwords::verify(current.clone(), Some(user.password_hash.clone())).await;
    if !right {
        return Err(wrong("current_password", ProblemCode::WrongPassword));
    }
    attempt.succeeded(&state).await?;
    let new = change.new_password;
    if let Some(code) = new_password_problem(&new, &current, &state.reference.common_passwords) {
        let problem = Problem::at("new_password", code)
            .with_param("min", limits::PASSWORD_MIN_CHARS.to_string())
            .with_param("max", limits::PASSWORD_MAX_CHARS.to_string());
        return Err(ApiFailure::invalid(ValidationReport::from_problems(
            vec![problem],
            Vec::new(),
        )));
    }
    // Guessable from what anyone knows of the user: their address and
    // names, their company, the product.
    let (_, application) = application_of(&state, session).await?;
    let words = own_words(
        &user.email,
        &[
            &user.first_name,
            &user.last_name,
            &application.answers.company.legal_name,
        ],
    );
    // The estimator is CPU work: off the async workers.
    let judged = new.clone();
    let guessable = tokio::task::spawn_blocking(move || guessable_password(&judged, &words))
        .await
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    if let Some(why) = guessable {
        let problem = Problem::at("new_password", ProblemCode::WeakPassword)
            .with_param("label_key", why.label_key().as_str());
        return Err(ApiFailure::invalid(ValidationReport::from_problems(
            vec![problem],
            Vec::new(),
        )));
    }
    let hash = passwords::hash(new)
        .await
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    let (token, rotation) = next_token(session)?;
    state.store.set_password(&user.id, &hash, &rotation).await?;
    let mut changed = user.clone();
    changed.password_temporary = false;
    Ok(Json(state_of(&changed, session.mfa_passed, Some(token))).into_response())
}
