//! Drafts, autosave, submission, status, and the resume email.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::bank::{clear_unused, is_masked, mask};
use enroll_core::company::normalize_mpn_id;
use enroll_core::email::parse_email;
use enroll_core::text::{cap_problems, strip_pasted_answers};
use enroll_core::{
    program_problems, validate, Answers, Application, ApplicationStatus, Catalog, Locale,
    MpnRecord, ValidationReport,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::AppState;
use crate::auth::{random_hex, token_hash, Bearer, TOKEN_DAYS};
use crate::error::{ApiFailure, RequestLocale};
use crate::json::{JsonBody, OptionalJsonBody};
use crate::mail;
use crate::openapi::{ApplicationPath, IdempotencyKeyHeader, IfMatchHeader, ReplayKeyHeader};
use crate::openapi::{DraftAnswers, Unprocessable};
use crate::store::{HistoryEntry, NewDraft, Record, UpdateOutcome};
use crate::throttle::{Action, Client};
use enroll_core::ApiErrorBody;

/// The application as the API shows it: bank secrets masked.
fn public(record: &Record) -> Application {
    let mut answers = record.answers.clone();
    answers.bank.iban = mask(&answers.bank.iban);
    answers.bank.account_number = mask(&answers.bank.account_number);
    Application {
        id: record.id.clone(),
        status: record.status,
        locale: record.locale.clone(),
        answers,
    }
}

pub fn etag(record: &Record) -> String {
    format!("\"{}\"", record.version)
}

fn with_etag(status: StatusCode, record: &Record, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(record)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The application `id`, if `token` is its unexpired resume token.
async fn authorize(
    state: &AppState,
    id: &str,
    token: &str,
    locale: Locale,
) -> Result<Record, ApiFailure> {
    let record = state
        .store
        .application_by_token(&token_hash(token))
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    match record {
        Some(record) if record.id == id => Ok(record),
        _ => {
            let exists = state
                .store
                .application(id)
                .await
                .map_err(|e| ApiFailure::store(e, locale))?;
            Err(match exists {
                None => ApiFailure::not_found(locale),
                Some(_) => ApiFailure::new(StatusCode::UNAUTHORIZED, "invalid_token", locale),
            })
        }
    }
}

/// The version an `If-Match` header names (`"3"`, `W/"3"`), or `*`.
#[derive(Clone, Copy)]
enum IfMatch {
    Any,
    Version(i64),
}

fn if_match(headers: &HeaderMap, locale: Locale) -> Result<IfMatch, ApiFailure> {
    let value = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .ok_or(ApiFailure::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if_match_required",
            locale,
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

/// Answers from a request body, which may leave out anything. A bank
/// secret left out, or sent back masked, keeps the stored value.
fn merge_answers(body: &Value, stored: &Answers, locale: Locale) -> Result<Answers, ApiFailure> {
    let mut answers: Answers = serde_json::from_value(body.clone())
        .map_err(|_| ApiFailure::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_shape", locale))?;
    for (key, new, old) in [
        ("iban", &mut answers.bank.iban, &stored.bank.iban),
        (
            "account_number",
            &mut answers.bank.account_number,
            &stored.bank.account_number,
        ),
    ] {
        let sent = body.get("bank").and_then(|b| b.get(key)).is_some();
        if !sent || is_masked(new) {
            new.clone_from(old);
        }
    }
    strip_pasted_answers(&mut answers);
    clear_unused(&mut answers.bank);
    // A save keeps what was typed, control characters included (validation
    // asks for those to go), but not more of it than any answer needs.
    let too_long = cap_problems(&answers);
    if !too_long.is_empty() {
        let report = ValidationReport::from_problems(too_long, Vec::new());
        return Err(ApiFailure::invalid(report, locale));
    }
    Ok(answers)
}

fn body_locale(body: &Value, fallback: &str) -> String {
    body.get("locale")
        .and_then(Value::as_str)
        .and_then(Locale::from_tag)
        .map(|l| l.tag().to_owned())
        .unwrap_or_else(|| fallback.to_owned())
}

/// A new draft as `POST /applications` answers it: the application and,
/// this once, the secret that opens it.
#[derive(Serialize, ToSchema)]
pub struct CreatedApplication {
    #[serde(flatten)]
    application: Application,
    /// Bearer token of every `/applications/{id}/...` request; shown only
    /// here (the server keeps its hash).
    resume_token: String,
}

/// Create a draft
///
/// Answers the draft with its `id` and a secret `resume_token`; the ETag is
/// what the first `If-Match` names.
#[utoipa::path(
    post,
    path = "/applications",
    tag = "applications",
    request_body(content = DraftAnswers, description = "The answers so far (any may be left out) and the draft's `locale`"),
    responses(
        (status = 201, description = "The draft, bank secrets masked", body = CreatedApplication,
            headers(
                ("ETag" = String, description = "The draft's version, for `If-Match`"),
                ("Location" = String, description = "`/api/v1/applications/{id}`"),
            )),
        (status = 415, description = "`json_required`: the body is not `application/json`", body = ApiErrorBody),
        (status = 422, description = "`wrong_shape` (not an object of answers), or the report of answers longer than any answer needs", body = Unprocessable),
        (status = 429, description = "`too_many_drafts` from this client", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until a draft may be created"))),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    client: Client,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiFailure> {
    if !body.is_object() {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_shape",
            locale,
        ));
    }
    state
        .throttle
        .take(Action::CreateDraft, client, state.limits.drafts_per_client)
        .map_err(|wait| ApiFailure::throttled("too_many_drafts", wait, locale))?;
    let answers = merge_answers(&body, &Answers::default(), locale)?;
    let internal = |_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", locale);
    let id = random_hex(16).map_err(internal)?;
    let token = random_hex(32).map_err(internal)?;
    let draft_locale = body_locale(&body, locale.tag());
    let record = state
        .store
        .create_application(NewDraft {
            id: &id,
            token_hash: &token_hash(&token),
            token_days: TOKEN_DAYS,
            locale: &draft_locale,
            answers: &answers,
            mpn_id: &normalize_mpn_id(&answers.mpn_id),
        })
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    let body = CreatedApplication {
        application: public(&record),
        resume_token: token,
    };
    let body = serde_json::to_value(body).unwrap_or_default();
    let mut response = with_etag(StatusCode::CREATED, &record, body);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/applications/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Read a draft (bank secrets masked)
#[utoipa::path(
    get,
    path = "/applications/{id}",
    tag = "applications",
    params(ApplicationPath),
    security(("resumeToken" = [])),
    responses(
        (status = 200, description = "The application", body = Application,
            headers(("ETag" = String, description = "Its version, for `If-Match`"))),
        (status = 401, description = "`token_required`, or `invalid_token`: not this application's token", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application", body = ApiErrorBody),
    ),
)]
pub async fn read(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
) -> Result<Response, ApiFailure> {
    let record = authorize(&state, &id, &token, locale).await?;
    Ok(with_etag(
        StatusCode::OK,
        &record,
        serde_json::to_value(public(&record)).unwrap_or_default(),
    ))
}

/// Autosave a draft
///
/// The body replaces the answers, except a bank secret that is left out or
/// sent back masked, which keeps its stored value.
#[utoipa::path(
    put,
    path = "/applications/{id}",
    tag = "applications",
    params(ApplicationPath, IfMatchHeader),
    security(("resumeToken" = [])),
    request_body(content = DraftAnswers, description = "The answers (a bank secret left out or masked keeps its value) and the draft's `locale`"),
    responses(
        (status = 200, description = "The saved application", body = Application,
            headers(("ETag" = String, description = "Its new version"))),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: submitted, and not sent back for more information", body = ApiErrorBody),
        (status = 412, description = "`stale_etag`: changed since the version `If-Match` names", body = ApiErrorBody),
        (status = 415, description = "`json_required`: the body is not `application/json`", body = ApiErrorBody),
        (status = 422, description = "`wrong_shape` (not an object of answers), or the report of answers longer than any answer needs", body = Unprocessable),
        (status = 428, description = "`if_match_required`", body = ApiErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiFailure> {
    let current = authorize(&state, &id, &token, locale).await?;
    let expected = match if_match(&headers, locale)? {
        IfMatch::Any => current.version,
        IfMatch::Version(v) => v,
    };
    if !body.is_object() {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_shape",
            locale,
        ));
    }
    let answers = merge_answers(&body, &current.answers, locale)?;
    let new_locale = body_locale(&body, &current.locale);
    let outcome = state
        .store
        .update_answers(
            &id,
            expected,
            &answers,
            &normalize_mpn_id(&answers.mpn_id),
            &new_locale,
        )
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    match outcome {
        UpdateOutcome::Updated(record) => Ok(with_etag(
            StatusCode::OK,
            &record,
            serde_json::to_value(public(&record)).unwrap_or_default(),
        )),
        UpdateOutcome::Stale { .. } => Err(ApiFailure::new(
            StatusCode::PRECONDITION_FAILED,
            "stale_etag",
            locale,
        )),
        UpdateOutcome::NotEditable(_) => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            "not_editable",
            locale,
        )),
        UpdateOutcome::Missing => Err(ApiFailure::not_found(locale)),
    }
}

fn error_body(code: &str, locale: Locale) -> String {
    json!({"error": {"code": code, "message": Catalog::get(locale).text(&format!("api.error.{code}"))}}).to_string()
}

/// The request's `Idempotency-Key`, if it sent a usable one.
fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .map(str::to_owned)
}

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
        (status = 409, description = "`not_editable` (already submitted), or `mpn_already_enrolled`: another application with this MPN ID is submitted, in review or approved", body = ApiErrorBody),
        (status = 412, description = "`stale_etag`: changed since the version `If-Match` names", body = ApiErrorBody),
        (status = 422, description = "Not valid: the full validation's report, program rules included", body = ValidationReport),
        (status = 428, description = "`if_match_required`", body = ApiErrorBody),
    ),
)]
pub async fn submit(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let seen = authorize(&state, &id, &token, locale).await?;
    let expected = if_match(&headers, locale)?;
    let key = idempotency_key(&headers).ok_or(ApiFailure::new(
        StatusCode::BAD_REQUEST,
        "idempotency_key_required",
        locale,
    ))?;
    let store_failure = |e| ApiFailure::store(e, locale);
    // The program's rules need the settings and the directory; read here,
    // for the MPN ID the check below finds unchanged.
    let settings = state
        .store
        .program_settings()
        .await
        .map_err(store_failure)?;
    let mpn_id = normalize_mpn_id(&seen.answers.mpn_id);
    let directory_on = state
        .store
        .has_mpn_directory()
        .await
        .map_err(store_failure)?;
    let entry = match directory_on {
        true => state
            .store
            .mpn_entry(&mpn_id)
            .await
            .map_err(store_failure)?,
        false => None,
    };
    let reference = state.reference.data.clone();
    let check = move |record: &Record, mpn_taken: bool| {
        if !record.status.is_editable() {
            return Err((409, error_body("not_editable", locale)));
        }
        let changed = normalize_mpn_id(&record.answers.mpn_id) != mpn_id;
        match expected {
            IfMatch::Version(v) if v != record.version => {
                return Err((412, error_body("stale_etag", locale)))
            }
            _ if changed => return Err((412, error_body("stale_etag", locale))),
            _ => {}
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
        errors.extend(program_problems(&record.answers, &settings, mpn));
        let mut report = ValidationReport::from_problems(errors, report.warnings);
        if !report.valid {
            report.localize(Catalog::get(locale));
            return Err((422, serde_json::to_string(&report).unwrap_or_default()));
        }
        if mpn_taken {
            return Err((409, error_body("mpn_already_enrolled", locale)));
        }
        Ok(())
    };
    // The answer and the "we received it" email are recorded in the same
    // transaction as the submission: a replay queues nothing, and a client
    // that hangs up cannot leave one without the other.
    let render = |record: &Record| {
        (
            serde_json::to_string(&public(record)).unwrap_or_default(),
            mail::status_email(record, None),
        )
    };
    let (code, body) = state
        .store
        .submit(&id, &key, check, render)
        .await
        .map_err(store_failure)?
        .ok_or(ApiFailure::not_found(locale))?;
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if status.is_success() {
        if let Some(record) = state.store.application(&id).await.map_err(store_failure)? {
            if let Ok(value) = HeaderValue::from_str(&etag(&record)) {
                response.headers_mut().insert(header::ETAG, value);
            }
        }
    }
    Ok(response)
}

/// Where an application is, and how it got there.
#[derive(Serialize, ToSchema)]
pub struct StatusHistory {
    id: String,
    status: ApplicationStatus,
    /// When the status last changed (UTC, RFC 3339).
    updated_at: String,
    /// Every status it has had, oldest first, with the reviewer's reasons.
    history: Vec<HistoryEntry>,
}

/// Status and its history, with reasons
#[utoipa::path(
    get,
    path = "/applications/{id}/status",
    tag = "applications",
    params(ApplicationPath),
    security(("resumeToken" = [])),
    responses(
        (status = 200, description = "The status and its history", body = StatusHistory),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application", body = ApiErrorBody),
    ),
)]
pub async fn status(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
) -> Result<Json<StatusHistory>, ApiFailure> {
    let record = authorize(&state, &id, &token, locale).await?;
    let history = state
        .store
        .history(&id)
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    Ok(Json(StatusHistory {
        id: record.id,
        status: record.status,
        updated_at: record.updated_at,
        history,
    }))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
pub struct ResumeEmailRequest {
    /// The page the link opens (the app's address on the host site): an
    /// address on one of the configured host origins; defaults to the
    /// server's public address.
    link_base: Option<String>,
}

/// What `POST .../resume-email` queued, and to whom.
#[derive(Serialize, ToSchema)]
pub struct ResumeEmailQueued {
    queued: bool,
    /// The admin address the link goes to.
    to: String,
}

/// Email the resume link to the admin address
///
/// The body may be left out. With an `Idempotency-Key`, a repeated request
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
        (status = 422, description = "`no_admin_email` (no valid admin address yet), `bad_link_base` (not on a host origin), or `wrong_shape`", body = ApiErrorBody),
        (status = 429, description = "`too_many_resume_emails`: for this client, application or address", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be sent"))),
    ),
)]
pub async fn resume_email(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
    client: Client,
    headers: HeaderMap,
    OptionalJsonBody(body): OptionalJsonBody<ResumeEmailRequest>,
) -> Result<Response, ApiFailure> {
    let record = authorize(&state, &id, &token, locale).await?;
    let to = record.answers.admin.email.trim().to_owned();
    if parse_email(&to).is_none() {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_admin_email",
            locale,
        ));
    }
    let base = state
        .links
        .base(body.link_base.as_deref())
        .ok_or(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_link_base",
            locale,
        ))?;
    let request_key = idempotency_key(&headers);
    let store_failure = |e| ApiFailure::store(e, locale);
    // A replay of a request whose email is queued: the same answer, and no
    // cost against the client's limit.
    let replayed = match &request_key {
        Some(key) => state
            .store
            .resume_email_queued(&record.id, key)
            .await
            .map_err(store_failure)?,
        None => false,
    };
    if !replayed {
        let limits = &state.limits;
        state
            .throttle
            .take(Action::ResumeEmail, client, limits.resume_emails_per_client)
            .map_err(|wait| ApiFailure::throttled("too_many_resume_emails", wait, locale))?;
        // The token travels in the fragment: never sent to a server, never
        // in a server log or a Referer.
        let link = format!("{base}#resume={}.{}", record.id, token);
        state
            .store
            .queue_resume_email(
                mail::resume_email(&record, &to, &link, request_key),
                limits.resume_emails_per_application,
                limits.resume_emails_per_recipient,
            )
            .await
            .map_err(store_failure)?
            .map_err(|t| ApiFailure::throttled("too_many_resume_emails", t.retry_after, locale))?;
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(ResumeEmailQueued { queued: true, to }),
    )
        .into_response())
}
