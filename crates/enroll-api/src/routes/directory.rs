//! The MPN lookup, the provider directory, and partnership requests.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::company::normalize_mpn_id;
use enroll_core::contract::{MpnEntry, PartnershipRequest, ProviderRequests};
use enroll_core::ErrorCode;
use enroll_core::{PartnerModel, Provider, ProviderPage};
use enroll_finder::{Facets, SortOrder};

use super::applicant::{Applicant, TokenHolder};
use super::parameters::{ApplicationPath, MpnIdPath, ProviderPath};
use super::AppState;
use crate::directory::ProviderQuery;
use crate::error::ApiFailure;
use crate::json::OptionalJsonBody;
use crate::store::RequestOutcome;
use crate::throttle::{Action, Client};
use enroll_core::text::{caps, is_forbidden, strip_pasted};
use enroll_core::{ApiErrorBody, ProviderRequest};
use enroll_finder::CompactDirectory;

/// Company name and country of an MPN ID
#[utoipa::path(
    get,
    path = "/mpn/{mpn_id}",
    tag = "directory",
    params(MpnIdPath),
    responses(
        (status = 200, description = "The company the MPN ID is registered to", body = MpnEntry),
        (status = 400, description = "`invalid_mpn_id`: not 6 to 10 digits", body = ApiErrorBody),
        (status = 404, description = "`mpn_not_found`", body = ApiErrorBody),
        (status = 429, description = "`too_many_lookups` from this client", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next lookup"))),
    ),
)]
pub async fn mpn_lookup(
    State(state): State<AppState>,
    client: Client,
    Path(mpn_id): Path<String>,
) -> Result<Json<MpnEntry>, ApiFailure> {
    // Limited per client: without it the 7-digit space, and with it every
    // company's name and country, could be read in minutes.
    state
        .throttle
        .take(
            Action::MpnLookup,
            client,
            state.limits.mpn_lookups_per_client,
        )
        .await?
        .map_err(|wait| ApiFailure::throttled(ErrorCode::TooManyLookups, wait))?;
    // Only what could be an MPN ID is looked up (the applicant's rule).
    if enroll_core::company::mpn_id(&mpn_id).is_err() {
        return Err(ApiFailure::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMpnId,
        ));
    }
    let id = normalize_mpn_id(&mpn_id);
    let entry = state.store.mpn_entry(&id).await?;
    let entry = entry.ok_or(ApiFailure::new(
        StatusCode::NOT_FOUND,
        ErrorCode::MpnNotFound,
    ))?;
    Ok(Json(entry))
}

/// Search providers
#[utoipa::path(
    get,
    path = "/providers",
    tag = "directory",
    params(
        ("q" = Option<String>, Query, description = "Words of the name, city, products, ..."),
        ("country" = Option<String>, Query, description = "A country served (ISO 3166-1 alpha-2)"),
        ("product" = Option<String>, Query, description = "One of `/providers/filters`' products"),
        ("language" = Option<String>, Query, description = "One of `/providers/filters`' languages"),
        ("service" = Option<String>, Query, description = "One of `/providers/filters`' services"),
        ("sort" = inline(Option<SortOrder>), Query, description = "`relevance` (the default) or `name`"),
        ("page" = Option<usize>, Query, minimum = 1, description = "From 1; the default is 1"),
        ("per_page" = Option<usize>, Query, minimum = 1, maximum = 100, description = "The default is 20"),
    ),
    responses(
        (status = 200, description = "One page of the providers found, and how many were", body = ProviderPage),
        (status = 400, description = "`bad_query`: an unknown parameter or a value out of range", body = ApiErrorBody),
    ),
)]
pub async fn search(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<ProviderPage>, ApiFailure> {
    let query = ProviderQuery::parse(&pairs)
        .map_err(|_| ApiFailure::new(StatusCode::BAD_REQUEST, ErrorCode::BadQuery))?;
    Ok(Json(state.directory.search(&query)))
}

/// The whole directory, compact, for searching in the browser
#[utoipa::path(
    get,
    path = "/providers/index",
    tag = "directory",
    params(("If-None-Match" = Option<String>, Header, description = "An ETag of this answer seen before")),
    responses(
        (status = 200, description = "The directory", body = CompactDirectory,
            headers(
                ("ETag" = String, description = "The directory's version"),
                ("Cache-Control" = String, description = "`no-cache`: revalidate with `If-None-Match`"),
            )),
        (status = 304, description = "Unchanged since the ETag `If-None-Match` names; no body",
            headers(("ETag" = String, description = "The directory's version"))),
    ),
)]
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

/// The filters' options: countries served, products, languages, services
#[utoipa::path(
    get,
    path = "/providers/filters",
    tag = "directory",
    responses((status = 200, description = "Each option list, sorted", body = Facets)),
)]
pub async fn filters(State(state): State<AppState>) -> Json<Facets> {
    Json(state.directory.facets().clone())
}

/// One provider
#[utoipa::path(
    get,
    path = "/providers/{id}",
    tag = "directory",
    params(ProviderPath),
    responses(
        (status = 200, description = "The provider, contact details included", body = Provider),
        (status = 404, description = "`not_found`: no such provider", body = ApiErrorBody),
    ),
)]
pub async fn provider(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Provider>, ApiFailure> {
    state
        .directory
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(ApiFailure::not_found())
}

/// Ask a provider to partner
///
/// For a submitted indirect reseller (its resume token). Asking the same
/// provider again answers the first request.
#[utoipa::path(
    post,
    path = "/providers/{id}/requests",
    tag = "directory",
    params(ProviderPath),
    security(("resumeToken" = [])),
    request_body(content = Option<PartnershipRequest>, description = "Optional: a message to the provider"),
    responses(
        (status = 201, description = "Asked", body = ProviderRequest),
        (status = 200, description = "Asked before: that request", body = ProviderRequest),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such provider", body = ApiErrorBody),
        (status = 409, description = "`not_submitted`, `not_indirect_reseller`, or `too_many_open_requests`", body = ApiErrorBody),
        (status = 422, description = "`message_too_long`, `message_control_character`, or `wrong_shape`", body = ApiErrorBody),
    ),
)]
pub async fn request_partnership(
    State(state): State<AppState>,
    Path(provider_id): Path<String>,
    TokenHolder {
        record: applicant, ..
    }: TokenHolder,
    OptionalJsonBody(body): OptionalJsonBody<PartnershipRequest>,
) -> Result<Response, ApiFailure> {
    let provider = state
        .directory
        .get(&provider_id)
        .ok_or(ApiFailure::not_found())?;
    if !applicant.status.may_ask_providers() {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::NotSubmitted,
        ));
    }
    if applicant.answers.model != Some(PartnerModel::IndirectReseller) {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::NotIndirectReseller,
        ));
    }
    let message = strip_pasted(body.message.trim());
    if message.chars().count() > caps::MESSAGE {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::MessageTooLong,
        ));
    }
    // A message may have several lines; nothing that is not text.
    if message.chars().any(|c| is_forbidden(c, true)) {
        return Err(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::MessageControlCharacter,
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
        .await?;
    Ok(match outcome {
        RequestOutcome::Created(request) => (StatusCode::CREATED, Json(request)).into_response(),
        RequestOutcome::Existing(request) => (StatusCode::OK, Json(request)).into_response(),
        RequestOutcome::TooManyOpen => {
            ApiFailure::new(StatusCode::CONFLICT, ErrorCode::TooManyOpenRequests).into_response()
        }
    })
}

/// This applicant's partnership requests and their status
#[utoipa::path(
    get,
    path = "/applications/{id}/provider-requests",
    tag = "applications",
    params(ApplicationPath),
    security(("resumeToken" = [])),
    responses(
        (status = 200, description = "The requests", body = ProviderRequests),
        (status = 401, description = "`token_required`, or `invalid_token`: not this application's token", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such application", body = ApiErrorBody),
    ),
)]
pub async fn requests_of_application(
    State(state): State<AppState>,
    Applicant { record, .. }: Applicant,
) -> Result<Json<ProviderRequests>, ApiFailure> {
    let items = state.store.provider_requests(&record.id).await?;
    Ok(Json(ProviderRequests { items }))
}
