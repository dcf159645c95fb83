//! The `/api/v1` handlers. Thin: parse, call the store or enroll-core,
//! answer.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use enroll_core::{
    validate, validate_section, Answers, Catalog, ProgramSettings, Section, ValidationReport,
};
use serde::Deserialize;

use crate::error::{ApiFailure, RequestLocale};
use crate::json::JsonBody;
use crate::reference::Reference;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub reference: Reference,
}

/// The routes under `/api/v1` whose answers must not be cached.
pub fn api_v1() -> Router<AppState> {
    Router::new()
        .route("/program", get(get_program))
        .route("/validate", post(post_validate))
        .fallback(unknown_route)
}

/// Reference data: the same for everyone, cacheable for a day.
pub fn reference_v1() -> Router<AppState> {
    Router::new()
        .route(
            "/reference/address-formats/{country}",
            get(get_address_format),
        )
        .route("/reference/free-email-domains", get(get_free_email_domains))
}

async fn get_program(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
) -> Result<Json<ProgramSettings>, ApiFailure> {
    let settings = state
        .store
        .program_settings()
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    Ok(Json(settings))
}

#[derive(Deserialize)]
struct ValidateQuery {
    /// Comma-separated sections (`bank,admin`); absent means all of them.
    sections: Option<String>,
}

fn parse_section(name: &str) -> Option<Section> {
    Section::of_field(name.trim())
}

async fn post_validate(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Query(query): Query<ValidateQuery>,
    JsonBody(answers): JsonBody<Answers>,
) -> Result<Json<ValidationReport>, ApiFailure> {
    let mut report = match query.sections.as_deref() {
        None => validate(&answers, &state.reference.data),
        Some(list) => {
            let mut combined = ValidationReport::from_problems(Vec::new(), Vec::new());
            for name in list.split(',') {
                let section = parse_section(name).ok_or_else(|| {
                    ApiFailure::new(
                        axum::http::StatusCode::BAD_REQUEST,
                        "unknown_section",
                        locale,
                    )
                })?;
                let part = validate_section(section, &answers, &state.reference.data);
                combined.errors.extend(part.errors);
                combined.warnings.extend(part.warnings);
            }
            ValidationReport::from_problems(combined.errors, combined.warnings)
        }
    };
    report.localize(Catalog::get(locale));
    Ok(Json(report))
}

fn cacheable_json(body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        body,
    )
        .into_response()
}

async fn get_address_format(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(country): Path<String>,
) -> Result<Response, ApiFailure> {
    let json = state
        .reference
        .address_format_json(&country)
        .ok_or(ApiFailure::not_found(locale))?;
    Ok(cacheable_json(json.to_owned()))
}

async fn get_free_email_domains(State(state): State<AppState>) -> Response {
    cacheable_json(state.reference.free_email_domains_json().to_owned())
}

async fn unknown_route(RequestLocale(locale): RequestLocale) -> ApiFailure {
    ApiFailure::not_found(locale)
}
