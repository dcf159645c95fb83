//! Drafts: create, read, autosave, and the status with its history.
//! Submission and the resume email have files of their own.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::bank::{clear_unused, is_masked, mask_secrets, secrets_mut};
use enroll_core::company::normalize_mpn_id;
use enroll_core::contract::{CreatedApplication, DraftAnswers, StatusHistory};
use enroll_core::text::{cap_problems, strip_pasted_answers};
use enroll_core::ErrorCode;
use enroll_core::{Answers, ApiErrorBody, Application, Locale, ValidationReport};
use serde_json::Value;

use super::applicant::Applicant;
use super::parameters::{ApplicationPath, IfMatchHeader, Unprocessable};
use super::preconditions::{if_match, IfMatch};
use super::AppState;
use crate::auth::{new_id, random_hex, token_hash, TOKEN_DAYS};
use crate::error::{ApiFailure, RequestLocale};
use crate::json::JsonBody;
use crate::store::{NewDraft, Record, UpdateOutcome};
use crate::throttle::{Action, Client};

/// The application as the API shows it: bank secrets masked.
pub fn public(record: &Record) -> Application {
    let mut answers = record.answers.clone();
    mask_secrets(&mut answers.bank);
    Application {
        id: record.id.clone(),
        status: record.status,
        locale: record.locale.clone(),
        answers,
        admin_email_confirmed: record.admin_email_is_confirmed(),
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

/// Answers from a request body, which may leave out anything. A bank
/// secret left out, or sent back masked, keeps the stored value.
fn merge_answers(body: &Value, stored: &Answers) -> Result<Answers, ApiFailure> {
    let mut answers: Answers = serde_json::from_value(body.clone())
        .map_err(|_| ApiFailure::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::WrongShape))?;
    let mut stored_bank = stored.bank.clone();
    let stored_secrets = secrets_mut(&mut stored_bank);
    for ((field, new), (_, old)) in secrets_mut(&mut answers.bank)
        .into_iter()
        .zip(stored_secrets)
    {
        let key = field.path();
        let key = key.trim_start_matches("bank.");
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
        return Err(ApiFailure::invalid(report));
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
            ErrorCode::WrongShape,
        ));
    }
    state
        .throttle
        .take(Action::CreateDraft, client, state.limits.drafts_per_client)
        .await?
        .map_err(|wait| ApiFailure::throttled(ErrorCode::TooManyDrafts, wait))?;
    let answers = merge_answers(&body, &Answers::default())?;
    let internal = |_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal);
    let id = new_id().map_err(internal)?;
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
        .await?;
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
    // Unique: the default (the function's name) is another operation's too.
    operation_id = "read_application",
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
pub async fn read(Applicant { record, .. }: Applicant) -> Response {
    with_etag(
        StatusCode::OK,
        &record,
        serde_json::to_value(public(&record)).unwrap_or_default(),
    )
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
    Applicant {
        record: current, ..
    }: Applicant,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiFailure> {
    let expected = match if_match(&headers)? {
        IfMatch::Any => current.version,
        IfMatch::Version(v) => v,
    };
    if !body.is_object() {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::WrongShape,
        ));
    }
    let answers = merge_answers(&body, &current.answers)?;
    let new_locale = body_locale(&body, &current.locale);
    let outcome = state
        .store
        .update_answers(
            &current.id,
            expected,
            &answers,
            &normalize_mpn_id(&answers.mpn_id),
            &new_locale,
        )
        .await?;
    match outcome {
        UpdateOutcome::Updated(record) => Ok(with_etag(
            StatusCode::OK,
            &record,
            serde_json::to_value(public(&record)).unwrap_or_default(),
        )),
        UpdateOutcome::Stale { .. } => Err(ApiFailure::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::StaleEtag,
        )),
        UpdateOutcome::NotEditable(_) => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::NotEditable,
        )),
        UpdateOutcome::Missing => Err(ApiFailure::not_found()),
    }
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
    Applicant { record, .. }: Applicant,
) -> Result<Json<StatusHistory>, ApiFailure> {
    let history = state.store.history(&record.id).await?;
    Ok(Json(StatusHistory {
        id: record.id,
        status: record.status,
        updated_at: record.updated_at,
        history,
    }))
}
