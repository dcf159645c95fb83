//! Proving the admin's address before submitting: a 6-digit code emailed
//! to it, typed back into the wizard. Review emails and the partner
//! account's temporary password go only to a proven address.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::limits;
use enroll_core::contract::{
    AdminEmailCode, AdminEmailConfirmed, AdminEmailDelivery, EmailCodeSent,
};
use enroll_core::email::email_problems;
use enroll_core::ErrorCode;
use enroll_core::{ApiErrorBody, Field, Problem, ProblemCode, ValidationReport};
use std::time::Duration;

use super::applicant::Applicant;
use super::parameters::ApplicationPath;
use super::AppState;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mail;
use crate::passwords::email_code;
use crate::store::{CodeCheck, CodeSent, NewCode, Proof};
use crate::throttle::{Action, Client};

/// Where the emailed code is
///
/// Whether the email carrying the newest code reached the mail relay, so
/// an applicant waiting for it can be told when it will not arrive.
#[utoipa::path(
    get,
    path = "/applications/{id}/admin-email/code",
    tag = "applications",
    params(ApplicationPath),
    security(("resumeToken" = [])),
    responses(
        (status = 200, description = "The newest code's email", body = AdminEmailDelivery),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application, or no code was sent", body = ApiErrorBody),
    ),
)]
pub async fn code_delivery(
    State(state): State<AppState>,
    Applicant { record, .. }: Applicant,
) -> Result<Response, ApiFailure> {
    let delivery = state
        .store
        .admin_code_delivery(&record.id)
        .await?
        .ok_or_else(ApiFailure::not_found)?;
    Ok(Json(AdminEmailDelivery { delivery }).into_response())
}

/// Email a code to the admin address
///
/// To the admin address in the saved answers, which must be a valid work
/// address. A new code replaces the previous one; it works for 10 minutes
/// and 5 tries; 3 may be sent an hour to one application, 3 to one
/// address, and one client may ask as often as for resume links.
#[utoipa::path(
    post,
    path = "/applications/{id}/admin-email/code",
    tag = "applications",
    params(ApplicationPath),
    security(("resumeToken" = [])),
    responses(
        (status = 202, description = "Sent", body = EmailCodeSent),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: already submitted", body = ApiErrorBody),
        (status = 422, description = "The admin address is missing or not a work address: the report says why", body = ValidationReport),
        (status = 429, description = "`too_many_codes`: 3 were sent in the last hour for this application or to this address, or this client asked too often", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be sent"))),
    ),
)]
pub async fn send_code(
    State(state): State<AppState>,
    Applicant { record, .. }: Applicant,
    client: Client,
) -> Result<Response, ApiFailure> {
    if !record.status.is_editable() {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::NotEditable,
        ));
    }
    let to = record.answers.admin.email.trim().to_owned();
    let (errors, _) = email_problems(Field::Email, &to, &state.reference.data);
    if !errors.is_empty() {
        return Err(ApiFailure::invalid(ValidationReport::from_problems(
            errors,
            Vec::new(),
        )));
    }
    let code = new_code(&state, client, Action::AdminCode).await?;
    let now = state.clock.now();
    let sent = state
        .store
        .send_email_code(
            NewCode {
                application_id: record.id.clone(),
                email: to.clone(),
                proof: Proof::AdminAddress,
                code_hash: state.secrets.code_hash(&code),
            },
            now,
            state.limits.admin_codes_per_recipient,
            mail::admin_code_email(&record, &code, now),
        )
        .await?;
    sent_or_throttled(sent)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(EmailCodeSent {
            to,
            expires_in_secs: limits::EMAIL_CODE_SECS,
        }),
    )
        .into_response())
}

/// A new code to email for one who asked from `client` (`action` says for
/// what): emails cost and land in someone's inbox, so as many an hour from
/// one client as resume links, else 429 `too_many_codes`.
pub(super) async fn new_code(
    state: &AppState,
    client: Client,
    action: Action,
) -> Result<String, ApiFailure> {
    state
        .throttle
        .take(action, client, state.limits.resume_emails_per_client)
        .await?
        .map_err(|wait| ApiFailure::throttled(ErrorCode::TooManyCodes, wait))?;
    email_code()
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))
}

/// 429 `too_many_codes` when the code was not sent for the hour's limits.
pub(super) fn sent_or_throttled(sent: CodeSent) -> Result<(), ApiFailure> {
    match sent {
        CodeSent::Sent => Ok(()),
        CodeSent::TooMany { retry_after_secs } => Err(ApiFailure::throttled(
            ErrorCode::TooManyCodes,
            Duration::from_secs(retry_after_secs),
        )),
    }
}

/// The code as typed, without spaces; 422 `required` on `code` if none.
pub(super) fn typed_code(code: &str) -> Result<String, ApiFailure> {
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.is_empty() {
        return Err(code_problem(Problem::at("code", ProblemCode::Required)));
    }
    Ok(typed)
}

fn code_problem(problem: Problem) -> ApiFailure {
    ApiFailure::invalid(ValidationReport::from_problems(vec![problem], Vec::new()))
}

/// A checked code's answer: nothing when it was right, else 422 on `code`
/// (`wrong_code` with `tries_left`, or `code_expired`).
pub(super) fn confirmed_or_problem(check: CodeCheck) -> Result<(), ApiFailure> {
    match check {
        CodeCheck::Confirmed => Ok(()),
        CodeCheck::Wrong { tries_left } if tries_left > 0 => Err(code_problem(
            Problem::at("code", ProblemCode::WrongCode)
                .with_param("tries_left", tries_left.to_string()),
        )),
        CodeCheck::Wrong { .. } | CodeCheck::Expired => {
            Err(code_problem(Problem::at("code", ProblemCode::CodeExpired)))
        }
    }
}

/// Confirm the admin address with the emailed code
#[utoipa::path(
    post,
    path = "/applications/{id}/admin-email/verify",
    tag = "applications",
    params(ApplicationPath),
    security(("resumeToken" = [])),
    request_body = AdminEmailCode,
    responses(
        (status = 200, description = "The address is proven", body = AdminEmailConfirmed),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "A problem on `code`: `wrong_code` (with `tries_left`), or `code_expired` (too old, tried 5 times, or sent to an address since changed): ask for a new one; or `wrong_shape`: JSON, but not this body", body = super::parameters::Unprocessable),
    ),
)]
pub async fn verify_code(
    State(state): State<AppState>,
    Applicant { record, .. }: Applicant,
    JsonBody(body): JsonBody<AdminEmailCode>,
) -> Result<Response, ApiFailure> {
    let email = record.answers.admin.email.trim().to_owned();
    let typed = typed_code(&body.code)?;
    let check = state
        .store
        .check_email_code(
            &record.id,
            &email,
            Proof::AdminAddress,
            state.secrets.code_hashes(&typed),
            state.clock.now(),
        )
        .await?;
    confirmed_or_problem(check)?;
    Ok(Json(AdminEmailConfirmed {
        confirmed: true,
        email,
    })
    .into_response())
}
