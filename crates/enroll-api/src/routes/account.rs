//! The partner account as its signed-in users see it, and setting up the
//! second factor. Every route asks the session's stage (routes/signed_in.rs)
//! and the user's roles (enroll-core's table) first.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::{
    account_actions, AccountView, Action, Request, TotpConfirmed, TotpOffer,
};
use enroll_core::contract::TotpConfirmation;
use enroll_core::ErrorCode;
use enroll_core::{ApiErrorBody, Problem, ProblemCode, ValidationReport};

use super::signed_in::{application_of, permitted, SignedIn};
use super::AppState;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mfa;
use crate::passwords;

/// The account
#[utoipa::path(
    get,
    path = "/account",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "The account and what the user may do", body = AccountView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`mfa_required`, `password_change_required`, `mfa_enrolment_required` (that step first), or `forbidden`", body = ApiErrorBody),
    ),
)]
pub async fn account(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<AccountView>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ViewAccount)?;
    let user = &session.user;
    let (account, application) = application_of(&state, session).await?;
    Ok(Json(AccountView {
        id: account.id,
        company: application.answers.company.legal_name.trim().to_owned(),
        model: application.answers.model,
        status: application.status,
        user: user.into(),
        actions: account_actions(&user.roles, application.answers.model),
    }))
}

/// Start setting up a second factor (TOTP)
///
/// A new secret each time; it counts once confirmed. Only while none is
/// set up.
#[utoipa::path(
    post,
    path = "/account/mfa/totp",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "The secret, as text and as a QR code", body = TotpOffer),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`mfa_required` or `password_change_required`: that step first", body = ApiErrorBody),
        (status = 409, description = "`mfa_already_enrolled`: an authenticator is set up already", body = ApiErrorBody),
    ),
)]
pub async fn start_totp(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<TotpOffer>, ApiFailure> {
    let session = permitted(&signed_in, Request::EnrolMfa, Action::ManageOwnSecurity)?;
    // Replacing an authenticator would need the current one's code first:
    // not offered yet, so a session (or a stolen token) cannot swap it.
    if session.user.totp_secret.is_some() {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::MfaAlreadyEnrolled,
        ));
    }
    let secret = mfa::Secret::generate()
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    state
        .store
        .offer_totp(&session.user.id, &secret.to_base32())
        .await?;
    let settings = state.store.program_settings().await?;
    let uri = mfa::otpauth_uri(&secret, &settings.program_name, &session.user.email);
    Ok(Json(TotpOffer {
        secret: secret.grouped(),
        qr_svg: mfa::qr_svg(&uri),
        uri,
    }))
}

/// Confirm the second factor with a code from the app
#[utoipa::path(
    post,
    path = "/account/mfa/totp/confirm",
    tag = "account",
    security(("session" = [])),
    request_body = TotpConfirmation,
    responses(
        (status = 200, description = "Set up; the session is signed in", body = TotpConfirmed),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`mfa_required` or `password_change_required`: that step first", body = ApiErrorBody),
        (status = 409, description = "`no_totp_offered`: start with `POST /account/mfa/totp`", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`wrong_code` on `code`; or `wrong_shape`: JSON, but not this body", body = super::parameters::Unprocessable),
    ),
)]
pub async fn confirm_totp(
    State(state): State<AppState>,
    signed_in: SignedIn,
    JsonBody(body): JsonBody<TotpConfirmation>,
) -> Result<Response, ApiFailure> {
    let session = permitted(&signed_in, Request::EnrolMfa, Action::ManageOwnSecurity)?;
    let user = &session.user;
    let offered = user.totp_offered.clone().ok_or(ApiFailure::new(
        StatusCode::CONFLICT,
        ErrorCode::NoTotpOffered,
    ))?;
    let secret = mfa::Secret::from_base32(&offered).ok_or(ApiFailure::new(
        StatusCode::CONFLICT,
        ErrorCode::NoTotpOffered,
    ))?;
    let Some(step) = mfa::matching_step(&secret, &body.code, state.clock.now()) else {
        return Err(ApiFailure::invalid(ValidationReport::from_problems(
            vec![Problem::at("code", ProblemCode::WrongCode)],
            Vec::new(),
        )));
    };
    let codes = mfa::recovery_codes()
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    let hashes = codes
        .iter()
        .map(|code| passwords::code_hash(&mfa::normalize_recovery_code(code)))
        .collect();
    let (token, rotation) = super::session::next_token(session)?;
    let confirmed = state
        .store
        .confirm_totp(&user.id, &offered, step, hashes, &rotation)
        .await?;
    if !confirmed {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::NoTotpOffered,
        ));
    }
    Ok(Json(TotpConfirmed {
        recovery_codes: codes,
        token: Some(token),
    })
    .into_response())
}
