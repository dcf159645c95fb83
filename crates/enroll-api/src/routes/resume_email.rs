//! The resume link by email: to the admin address only, once it is proven
//! (before that, the app offers the link to copy: our sender never mails
//! an address nobody has shown is theirs), pointing only to the app's own
//! address or a host page, a limited number of times.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::contract::{ResumeEmailQueued, ResumeEmailRequest};
use enroll_core::email::parse_email;
use enroll_core::ApiErrorBody;
use enroll_core::ErrorCode;

use super::applicant::Applicant;
use super::parameters::{ApplicationPath, ReplayKeyHeader};
use super::preconditions::idempotency_key;
use super::AppState;
use crate::error::ApiFailure;
use crate::json::OptionalJsonBody;
use crate::mail;
use crate::throttle::{Action, Client};

/// Email the resume link to the admin address
///
/// Only to a proven admin address. The body may be left out. With an `Idempotency-Key`, a repeated request
/// queues no second email and costs nothing against the limits.
#[utoipa::path(
    post,
    path = "/applications/{id}/resume-email",
    tag = "applications",
    params(ApplicationPath, ReplayKeyHeader),
    security(("resumeToken" = [])),
    request_body(content = Option<ResumeEmailRequest>, description = "Optional: where the link opens"),
    responses(
        (status = 202, description = "Queued (or queued already, for a replay)", body = ResumeEmailQueued),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application", body = ApiErrorBody),
        (status = 422, description = "`no_admin_email` (no valid admin address yet), `admin_email_unverified` (not proven with the emailed code yet: offer the link to copy), `bad_link_base` (not on a host origin), or `wrong_shape`", body = ApiErrorBody),
        (status = 429, description = "`too_many_resume_emails`: for this client, application or address", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be sent"))),
    ),
)]
pub async fn resume_email(
    State(state): State<AppState>,
    Applicant { record, token }: Applicant,
    client: Client,
    headers: HeaderMap,
    OptionalJsonBody(body): OptionalJsonBody<ResumeEmailRequest>,
) -> Result<Response, ApiFailure> {
    let to = record.answers.admin.email.trim().to_owned();
    if parse_email(&to).is_none() {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NoAdminEmail,
        ));
    }
    if !record.admin_email_is_confirmed() {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::AdminEmailUnverified,
        ));
    }
    let base = state
        .links
        .base(body.link_base.as_deref())
        .ok_or(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::BadLinkBase,
        ))?;
    let request_key = idempotency_key(&headers);
    // A replay of a request whose email is queued: the same answer, and no
    // cost against the client's limit.
    let replayed = match &request_key {
        Some(key) => state.store.resume_email_queued(&record.id, key).await?,
        None => false,
    };
    if !replayed {
        let limits = &state.limits;
        state
            .throttle
            .take(Action::ResumeEmail, client, limits.resume_emails_per_client)
            .await?
            .map_err(|wait| ApiFailure::throttled(ErrorCode::TooManyResumeEmails, wait))?;
        // The token travels in the fragment: never sent to a server, never
        // in a server log or a Referer.
        let link = format!("{base}#resume={}.{}", record.id, token);
        state
            .store
            .queue_resume_email(
                mail::resume_email(&record, &to, &link, request_key, state.clock.now()),
                limits.resume_emails_per_application,
                limits.resume_emails_per_recipient,
            )
            .await?
            .map_err(|t| ApiFailure::throttled(ErrorCode::TooManyResumeEmails, t.retry_after))?;
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(ResumeEmailQueued { queued: true, to }),
    )
        .into_response())
}
