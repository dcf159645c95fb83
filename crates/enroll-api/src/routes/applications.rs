//! Drafts, autosave, submission, status, and the resume email.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::bank::is_masked;
use enroll_core::company::normalize_mpn_id;
use enroll_core::email::parse_email;
use enroll_core::{validate, Answers, Application, Catalog, Locale};
use serde::Deserialize;
use serde_json::{json, Value};

use super::AppState;
use crate::auth::{random_hex, token_hash, Bearer, TOKEN_DAYS};
use crate::error::{ApiFailure, RequestLocale};
use crate::json::{JsonBody, OptionalJsonBody};
use crate::mail;
use crate::store::{NewDraft, Record, UpdateOutcome};

/// Shows the last four characters of a bank secret, e.g. `••••3000`.
pub fn mask(secret: &str) -> String {
    let compact: Vec<char> = secret.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return String::new();
    }
    let tail: String = compact[compact.len().saturating_sub(4)..].iter().collect();
    format!("••••{tail}")
}

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
    Ok(answers)
}

fn body_locale(body: &Value, fallback: &str) -> String {
    body.get("locale")
        .and_then(Value::as_str)
        .and_then(Locale::from_tag)
        .map(|l| l.tag().to_owned())
        .unwrap_or_else(|| fallback.to_owned())
}

pub async fn create(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiFailure> {
    if !body.is_object() {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_shape",
            locale,
        ));
    }
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
    let mut body = serde_json::to_value(public(&record)).unwrap_or_default();
    body["resume_token"] = json!(token);
    let mut response = with_etag(StatusCode::CREATED, &record, body);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/applications/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

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

pub async fn submit(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    authorize(&state, &id, &token, locale).await?;
    let expected = if_match(&headers, locale)?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .ok_or(ApiFailure::new(
            StatusCode::BAD_REQUEST,
            "idempotency_key_required",
            locale,
        ))?
        .to_owned();
    let reference = state.reference.data.clone();
    let answer = state
        .store
        .submit(
            &id,
            &key,
            |record, mpn_taken| {
                if !record.status.is_editable() {
                    return Err((409, error_body("not_editable", locale)));
                }
                if let IfMatch::Version(v) = expected {
                    if v != record.version {
                        return Err((412, error_body("stale_etag", locale)));
                    }
                }
                let mut report = validate(&record.answers, &reference);
                if !report.valid {
                    report.localize(Catalog::get(locale));
                    return Err((422, serde_json::to_string(&report).unwrap_or_default()));
                }
                if mpn_taken {
                    return Err((409, error_body("mpn_already_enrolled", locale)));
                }
                Ok(())
            },
            |record| serde_json::to_string(&public(record)).unwrap_or_default(),
        )
        .await
        .map_err(|e| ApiFailure::store(e, locale))?
        .ok_or(ApiFailure::not_found(locale))?;
    let (code, body) = answer;
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if status.is_success() {
        if let Some(record) = state
            .store
            .application(&id)
            .await
            .map_err(|e| ApiFailure::store(e, locale))?
        {
            if let Ok(value) = HeaderValue::from_str(&etag(&record)) {
                response.headers_mut().insert(header::ETAG, value);
            }
            mail::queue_status_email(&state.store, &record, None)
                .await
                .map_err(|e| ApiFailure::store(e, locale))?;
        }
    }
    Ok(response)
}

pub async fn status(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
) -> Result<Json<Value>, ApiFailure> {
    let record = authorize(&state, &id, &token, locale).await?;
    let history = state
        .store
        .history(&id)
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    Ok(Json(json!({
        "id": record.id,
        "status": record.status,
        "updated_at": record.updated_at,
        "history": history,
    })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResumeEmailRequest {
    /// The page the link opens (the app's address on the host site);
    /// defaults to this server's own origin.
    link_base: Option<String>,
}

pub async fn resume_email(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
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
    let base = match body.link_base {
        Some(base) if base.starts_with("https://") || base.starts_with("http://") => base,
        Some(_) => {
            return Err(ApiFailure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_link_base",
                locale,
            ))
        }
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}/")
        }
    };
    // The token travels in the fragment: never sent to a server, never in
    // a server log or a Referer.
    let link = format!(
        "{}#resume={}.{}",
        base.split('#').next().unwrap_or(&base),
        record.id,
        token
    );
    mail::queue_resume_email(&state.store, &record, &to, &link)
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"queued": true, "to": to})),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_to_their_last_four_characters() {
        assert_eq!(mask("DE89370400440532013000"), "••••3000");
        assert_eq!(mask("DE89 3704 0044 0532 0130 00"), "••••3000");
        assert_eq!(mask("123"), "••••123");
        assert_eq!(mask(""), "");
        assert!(is_masked(&mask("12345678")));
    }
}
