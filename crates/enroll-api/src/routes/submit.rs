//! Submission: once per Idempotency-Key, of the version If-Match names,
//! with the full validation and the program's rules.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use enroll_core::company::normalize_mpn_id;
use enroll_core::ErrorCode;
use enroll_core::{
    program_problems, validate, ApiErrorBody, Application, Field, MpnRecord, Problem, ProblemCode,
    ValidationReport,
};

use super::applicant::Applicant;
use super::applications::{etag, public};
use super::parameters::{ApplicationPath, IdempotencyKeyHeader, IfMatchHeader};
use super::preconditions::{idempotency_key, if_match, IfMatch};
use super::AppState;
use crate::error::{ApiFailure, RequestLocale};
use crate::mail;
use crate::store::Record;

/// Submit an application
///
/// No body. `If-Match` names the version the applicant checked; the
/// `Idempotency-Key` makes a repeated request (a double click, a retry)
/// answer what the first one did, and submit once.
#[utoipa::path(
    post,
    path = "/applications/{id}/submit",
    tag = "applications",
    params(ApplicationPath, IfMatchHeader, IdempotencyKeyHeader),
    security(("resumeToken" = [])),
    responses(
        (status = 200, description = "Submitted (or the replay of the request that submitted it)", body = Application,
            headers(("ETag" = String, description = "Its version"))),
        (status = 400, description = "`idempotency_key_required`", body = ApiErrorBody),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application", body = ApiErrorBody),
        (status = 409, description = "`not_editable` (already submitted), or `mpn_already_enrolled`: another application with this MPN ID is approved", body = ApiErrorBody),
        (status = 412, description = "`stale_etag`: changed since the version `If-Match` names", body = ApiErrorBody),
        (status = 422, description = "Not valid: the full validation's report, program rules included; `admin_email_unverified` on `admin.email` until the admin address is proven (`/admin-email/verify`)", body = ValidationReport),
        (status = 428, description = "`if_match_required`", body = ApiErrorBody),
    ),
)]
pub async fn submit(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Applicant { record: seen, .. }: Applicant,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let id = seen.id.clone();
    let expected = if_match(&headers)?;
    let key = idempotency_key(&headers).ok_or(ApiFailure::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::IdempotencyKeyRequired,
    ))?;
    // The program's rules need the settings and the directory; read here,
    // for the MPN ID the check below finds unchanged.
    let settings = state.store.program_settings().await?;
    let mpn_id = normalize_mpn_id(&seen.answers.mpn_id);
    let directory_on = state.store.has_mpn_directory().await?;
    let entry = match directory_on {
        true => state.store.mpn_entry(&mpn_id).await?,
        false => None,
    };
    let reference = state.reference.data.clone();
    let check = move |record: &Record, mpn_taken: bool| {
        if !record.status.is_editable() {
            return Err(ApiFailure::new(
                StatusCode::CONFLICT,
                ErrorCode::NotEditable,
            ));
        }
        let changed = normalize_mpn_id(&record.answers.mpn_id) != mpn_id;
        let stale = matches!(expected, IfMatch::Version(v) if v != record.version);
        if stale || changed {
            return Err(ApiFailure::new(
                StatusCode::PRECONDITION_FAILED,
                ErrorCode::StaleEtag,
            ));
        }
        let mpn = match (&entry, directory_on) {
            (_, false) => MpnRecord::Unchecked,
            (None, true) => MpnRecord::Unknown,
            (Some(entry), true) => MpnRecord::Registered {
                country: &entry.country,
            },
        };
        let report = validate(&record.answers, &reference);
        let mut errors = report.errors;
        // Review emails and the account's temporary password go only to a
        // proven address.
        let email_field = Field::Email.path();
        if !record.admin_email_is_confirmed() && errors.iter().all(|p| p.field != email_field) {
            errors.push(Problem::new(
                Field::Email,
                ProblemCode::AdminEmailUnverified,
            ));
        }
        errors.extend(program_problems(&record.answers, &settings, mpn));
        let report = ValidationReport::from_problems(errors, report.warnings);
        if !report.valid {
            return Err(ApiFailure::invalid(report));
        }
        if mpn_taken {
            return Err(ApiFailure::new(
                StatusCode::CONFLICT,
                ErrorCode::MpnAlreadyEnrolled,
            ));
        }
        Ok(())
    };
    // A refusal is kept as worded for this request: a replay of the same
    // key answers exactly what the first request was answered.
    let check = move |record: &Record, mpn_taken: bool| {
        check(record, mpn_taken).map_err(|f| (f.status.as_u16(), f.worded(locale)))
    };
    // The answer and the "we received it" email are recorded in the same
    // transaction as the submission: a replay queues nothing, and a client
    // that hangs up cannot leave one without the other.
    let formats = state.reference.data.clone();
    let now = state.clock.now();
    let render = move |record: &Record| {
        (
            serde_json::to_string(&public(record)).unwrap_or_default(),
            mail::status_email(record, None, &formats, now),
        )
    };
    let (code, body) = state
        .store
        .submit(&id, &key, check, render)
        .await?
        .ok_or(ApiFailure::not_found())?;
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if status.is_success() {
        if let Some(record) = state.store.application(&id).await? {
            if let Ok(value) = HeaderValue::from_str(&etag(&record)) {
                response.headers_mut().insert(header::ETAG, value);
            }
        }
    }
    Ok(response)
}
