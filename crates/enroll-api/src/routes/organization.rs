//! The organization profile (legal name, address, contacts; from the
//! application until someone saves it) and the provider requests, as the
//! account's users see them.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use enroll_core::account::{Action, Request};
use enroll_core::contract::ProviderRequests;
use enroll_core::organization::OrganizationProfile;
use enroll_core::ApiErrorBody;
use enroll_core::ErrorCode;

use super::parameters::IfMatchHeader;
use super::preconditions::{if_match, with_etag};
use super::signed_in::SignedIn;
use super::signed_in::{account_of, application_of, permitted};
use super::AppState;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::store::Session;

/// The profile and its version, for the account of `session`.
async fn current(
    state: &AppState,
    session: &Session,
) -> Result<(OrganizationProfile, i64), ApiFailure> {
    let account_id = &session.user.account_id;
    if let Some((version, body)) = state.store.organization_profile(account_id).await? {
        let profile = serde_json::from_str(&body)
            .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
        return Ok((profile, version));
    }
    let (_, application) = application_of(state, session).await?;
    Ok((
        OrganizationProfile::from_application(&application.answers),
        0,
    ))
}

/// The organization profile
#[utoipa::path(
    get,
    path = "/account/organization-profile",
    // Unique: the default (the function's name) is another operation's too.
    operation_id = "read_organization_profile",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "The profile (the application's until saved)", body = OrganizationProfile,
            headers(("ETag" = String, description = "Its version, for `If-Match`"))),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn read(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, ApiFailure> {
    let session = permitted(
        &signed_in,
        Request::Account,
        Action::ViewOrganizationProfile,
    )?;
    let (profile, version) = current(&state, session).await?;
    Ok(with_etag(&profile, version))
}

/// Save the organization profile
///
/// Of the version `If-Match` names; checked by the application's rules
/// (the address by its country, work email addresses).
#[utoipa::path(
    put,
    path = "/account/organization-profile",
    tag = "account",
    security(("session" = [])),
    params(IfMatchHeader),
    request_body = OrganizationProfile,
    responses(
        (status = 200, description = "Saved", body = OrganizationProfile,
            headers(("ETag" = String, description = "Its new version"))),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 412, description = "`profile_changed`: saved by someone else since the version `If-Match` names", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "The report (`legal_name`, `address.*`, `primary_contact.*`, `support_contact.*`); or `wrong_shape`", body = super::parameters::Unprocessable),
        (status = 428, description = "`if_match_required`", body = ApiErrorBody),
    ),
)]
pub async fn save(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    JsonBody(profile): JsonBody<OrganizationProfile>,
) -> Result<Response, ApiFailure> {
    let profile = profile.trimmed();
    let session = permitted(
        &signed_in,
        Request::Account,
        Action::EditOrganizationProfile,
    )?;
    let expected = if_match(&headers)?.version();
    let report = profile.validate(&state.reference.data);
    if !report.valid {
        return Err(ApiFailure::invalid(report));
    }
    let body = serde_json::to_string(&profile)
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    match state
        .store
        .save_organization_profile(&session.user.account_id, expected, body)
        .await?
    {
        Ok(version) => Ok(with_etag(&profile, version)),
        Err(_) => Err(ApiFailure::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::ProfileChanged,
        )),
    }
}

/// The provider requests
///
/// An indirect reseller's requests to indirect providers (made from the
/// finder), and their answers, oldest first.
#[utoipa::path(
    get,
    path = "/account/provider-relationships",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "The requests", body = ProviderRequests),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn provider_requests(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<ProviderRequests>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ViewProviderRequests)?;
    let account = account_of(&state, session).await?;
    let items = state
        .store
        .provider_requests(&account.application_id)
        .await?;
    Ok(Json(ProviderRequests { items }))
}
