//! The MPN lookup, the provider directory, and partnership requests.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::company::normalize_mpn_id;
use enroll_core::{PartnerModel, Provider, ProviderPage};
use enroll_finder::Facets;
use serde::Deserialize;
use serde_json::{json, Value};

use super::AppState;
use crate::auth::{token_hash, Bearer};
use crate::directory::ProviderQuery;
use crate::error::{ApiFailure, RequestLocale};
use crate::json::OptionalJsonBody;
use crate::store::RequestOutcome;
use crate::throttle::{Action, Client};
use enroll_core::text::{caps, is_forbidden, strip_pasted};

pub async fn mpn_lookup(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    client: Client,
    Path(mpn_id): Path<String>,
) -> Result<Json<Value>, ApiFailure> {
    // Limited per client: without it the 7-digit space, and with it every
    // company's name and country, could be read in minutes.
    state
        .throttle
        .take(
            Action::MpnLookup,
            client,
            state.limits.mpn_lookups_per_client,
        )
        .map_err(|wait| ApiFailure::throttled("too_many_lookups", wait, locale))?;
    let id = normalize_mpn_id(&mpn_id);
    if id.is_empty() || id.len() > 10 || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(ApiFailure::new(
            StatusCode::BAD_REQUEST,
            "invalid_mpn_id",
            locale,
        ));
    }
    let entry = state
        .store
        .mpn_entry(&id)
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    let entry = entry.ok_or(ApiFailure::new(
        StatusCode::NOT_FOUND,
        "mpn_not_found",
        locale,
    ))?;
    Ok(Json(json!(entry)))
}

pub async fn search(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<ProviderPage>, ApiFailure> {
    let query = ProviderQuery::parse(&pairs)
        .map_err(|_| ApiFailure::new(StatusCode::BAD_REQUEST, "bad_query", locale))?;
    Ok(Json(state.directory.search(&query)))
}

pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let etag = &state.directory.index_etag;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let etag_value = HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"\""));
    let cache = (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if fresh {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag_value), cache],
        )
            .into_response();
    }
    (
        [
            (header::ETAG, etag_value),
            cache,
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        state.directory.index_json.clone(),
    )
        .into_response()
}

pub async fn filters(State(state): State<AppState>) -> Json<Facets> {
    Json(state.directory.facets().clone())
}

pub async fn provider(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
) -> Result<Json<Provider>, ApiFailure> {
    state
        .directory
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(ApiFailure::not_found(locale))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PartnershipRequest {
    message: String,
}

pub async fn request_partnership(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(provider_id): Path<String>,
    Bearer(token): Bearer,
    OptionalJsonBody(body): OptionalJsonBody<PartnershipRequest>,
) -> Result<Response, ApiFailure> {
    let applicant = state
        .store
        .application_by_token(&token_hash(&token))
        .await
        .map_err(|e| ApiFailure::store(e, locale))?
        .ok_or(ApiFailure::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            locale,
        ))?;
    let provider = state
        .directory
        .get(&provider_id)
        .ok_or(ApiFailure::not_found(locale))?;
    if !applicant.status.may_ask_providers() {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            "not_submitted",
            locale,
        ));
    }
    if applicant.answers.model != Some(PartnerModel::IndirectReseller) {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            "not_indirect_reseller",
            locale,
        ));
    }
    let message = strip_pasted(body.message.trim());
    if message.chars().count() > caps::MESSAGE {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "message_too_long",
            locale,
        ));
    }
    // A message may have several lines; nothing that is not text.
    if message.chars().any(|c| is_forbidden(c, true)) {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "message_control_character",
            locale,
        ));
    }
    let outcome = state
        .store
        .request_provider(
            &applicant.id,
            provider,
            &message,
            state.limits.open_provider_requests,
        )
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    Ok(match outcome {
        RequestOutcome::Created(request) => (StatusCode::CREATED, Json(request)).into_response(),
        RequestOutcome::Existing(request) => (StatusCode::OK, Json(request)).into_response(),
        RequestOutcome::TooManyOpen => {
            ApiFailure::new(StatusCode::CONFLICT, "too_many_open_requests", locale).into_response()
        }
    })
}

pub async fn requests_of_application(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<String>,
    Bearer(token): Bearer,
) -> Result<Json<Value>, ApiFailure> {
    let applicant = state
        .store
        .application_by_token(&token_hash(&token))
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    match applicant {
        Some(applicant) if applicant.id == id => {}
        _ => {
            return Err(ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                locale,
            ))
        }
    }
    let items = state
        .store
        .provider_requests(&id)
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    Ok(Json(json!({ "items": items })))
}
