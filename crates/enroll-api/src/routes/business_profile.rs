//! The business profile customers' requests are matched against, its
//! logo, and the vocabularies its codes come from.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use enroll_core::account::{allowed_actions, Action, Request};
use enroll_core::business_profile::limits::LOGO_MAX_BYTES;
use enroll_core::business_profile::{BusinessProfile, ContactChoice};
use enroll_core::vocabulary::PartnerVocabularies;
use enroll_core::{ApiErrorBody, Catalog, ErrorCode, Problem, ProblemCode, ValidationReport};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::parameters::IfMatchHeader;
use super::preconditions::{if_match, with_etag};
use super::signed_in::{permitted, SignedIn};
use super::{cacheable_json, AppState};
use crate::error::ApiFailure;
use crate::error::RequestLocale;
use crate::json::JsonBody;
use crate::store::{Saved, Session};

/// The profile and its version, for the account of `session` (an empty,
/// unpublished one, version 0, until someone saves it), with its logo's
/// URL and the users who may be its referral contact.
async fn current(
    state: &AppState,
    session: &Session,
) -> Result<(BusinessProfile, i64), ApiFailure> {
    let account_id = &session.user.account_id;
    let (mut profile, version) = match state.store.business_profile(account_id).await? {
        None => (BusinessProfile::default(), 0),
        Some(stored) => {
            let mut profile: BusinessProfile =
                serde_json::from_str(&stored.body).map_err(|_| internal())?;
            profile.logo_url = stored.logo.map(|file| logo_url(state, &file));
            (profile, stored.version)
        }
    };
    // Who may edit it chooses among the users; who reads it sees the one
    // chosen, not the account's whole list.
    let may_edit = allowed_actions(&session.user.roles).contains(&Action::EditBusinessProfile);
    profile.contacts = state
        .store
        .users_of(account_id)
        .await?
        .into_iter()
        .filter(|user| may_edit || profile.referral_contact.as_ref() == Some(&user.id))
        .map(|user| ContactChoice {
            name: format!("{} {}", user.first_name, user.last_name),
            id: user.id,
            email: user.email,
        })
        .collect();
    Ok((profile, version))
}

/// Where the logo stored as `file` is served (`GET /logos/{file}`).
pub(super) fn logo_url(state: &AppState, file: &str) -> String {
    state.links.public(&format!("api/v1/logos/{file}"))
}

/// A logo's bytes, as uploaded or served.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct LogoImage(#[allow(dead_code)] Vec<u8>);

fn internal() -> ApiFailure {
    ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
}

/// The business profile
#[utoipa::path(
    get,
    path = "/account/business-profile",
    operation_id = "read_business_profile",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "The profile (empty and unpublished until saved)", body = BusinessProfile,
            headers(("ETag" = String, description = "Its version, for `If-Match`"))),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn read(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ViewBusinessProfile)?;
    let (profile, version) = current(&state, session).await?;
    Ok(with_etag(&profile, version))
}

/// Save the business profile
///
/// Of the version `If-Match` names. `published: true` is refused while
/// the profile lacks anything a published one needs: each is a `required`
/// problem at its field. `logo_url` is ignored (the logo has its own
/// route).
#[utoipa::path(
    put,
    path = "/account/business-profile",
    operation_id = "save_business_profile",
    tag = "account",
    security(("session" = [])),
    params(IfMatchHeader),
    request_body = BusinessProfile,
    responses(
        (status = 200, description = "Saved", body = BusinessProfile,
            headers(("ETag" = String, description = "Its new version"))),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 412, description = "`profile_changed`: saved by someone else since the version `If-Match` names", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "The report (`description`, `website`, `linkedin`, `industries`, `locations.0.postal_code`, `referral_contact`, …); or `wrong_shape`", body = super::parameters::Unprocessable),
        (status = 428, description = "`if_match_required`", body = ApiErrorBody),
    ),
)]
pub async fn save(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    JsonBody(profile): JsonBody<BusinessProfile>,
) -> Result<Response, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::EditBusinessProfile)?;
    let expected = if_match(&headers)?.version();
    let account_id = &session.user.account_id;
    let profile = profile.trimmed();
    let users: Vec<String> = state
        .store
        .users_of(account_id)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let report = profile.validate(&state.reference.data, &users);
    if !report.valid {
        return Err(ApiFailure::invalid(report));
    }
    let body = serde_json::to_string(&profile).map_err(|_| internal())?;
    let saved = state
        .store
        .save_business_profile(
            account_id,
            expected,
            body,
            profile.published,
            profile.referral_contact.clone(),
        )
        .await?;
    match saved {
        Saved::Version(_) => {
            let (profile, version) = current(&state, session).await?;
            Ok(with_etag(&profile, version))
        }
        Saved::Changed(_) => Err(ApiFailure::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::ProfileChanged,
        )),
        // Removed between the check above and the save.
        Saved::NoSuchContact => Err(ApiFailure::invalid(ValidationReport::from_problems(
            vec![Problem::at("referral_contact", ProblemCode::Required)],
            Vec::new(),
        ))),
    }
}

/// Logos decoded at once, at most: each may hold 80 MB
/// (`LOGO_MAX_DECODE_BYTES`) while it is decoded.
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The logo's routes, with the body limit of their own (1 MB; every other
/// route keeps 64 KB).
pub fn logo_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(put_logo, delete_logo))
        .layer(DefaultBodyLimit::max(LOGO_MAX_BYTES))
}

/// Upload the business profile's logo
///
/// The image itself is the body: a PNG or a JPEG, told by its first bytes
/// (the declared type is not trusted), at most 1 MB, at most 4,000 pixels
/// on each side and at least 216 on the shorter one. It is decoded and
/// encoded again: its metadata (EXIF, GPS, text) and anything after the
/// image are not kept. Served at a content-hashed URL (`logo_url`).
#[utoipa::path(
    put,
    path = "/account/business-profile/logo",
    tag = "account",
    security(("session" = [])),
    request_body(description = "The image", content(
        (LogoImage = "image/png"),
        (LogoImage = "image/jpeg"),
    )),
    responses(
        (status = 200, description = "The profile with its new `logo_url`", body = BusinessProfile,
            headers(("ETag" = String, description = "The profile's version (a logo does not change it)"))),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 413, description = "`too_large`: over 1 MB", body = ApiErrorBody),
        (status = 422, description = "At `logo`: `invalid_format` (not a whole PNG or JPEG: SVG, HTML, a polyglot, a damaged file), `too_short` (under 216 px), `too_long` (over 4,000 px)", body = super::parameters::Unprocessable),
    ),
)]
pub async fn put_logo(
    State(state): State<AppState>,
    signed_in: SignedIn,
    body: Bytes,
) -> Result<Response, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::EditBusinessProfile)?;
    // Decoding takes a core and up to 80 MB for a moment on a large
    // image: off the threads that answer requests, and a few at a time.
    let _turn = DECODING.acquire().await.map_err(|_| internal())?;
    let cleaned = tokio::task::spawn_blocking(move || crate::logo::clean(&body))
        .await
        .map_err(|_| internal())?
        .map_err(|problem| {
            ApiFailure::invalid(ValidationReport::from_problems(vec![problem], Vec::new()))
        })?;
    let logo = (cleaned.file_name, cleaned.content_type, cleaned.bytes);
    set_logo(&state, session, Some(logo)).await
}

/// Remove the business profile's logo
#[utoipa::path(
    delete,
    path = "/account/business-profile/logo",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "The profile without a logo", body = BusinessProfile),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn delete_logo(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::EditBusinessProfile)?;
    set_logo(&state, session, None).await
}

async fn set_logo(
    state: &AppState,
    session: &Session,
    logo: Option<(String, &'static str, Vec<u8>)>,
) -> Result<Response, ApiFailure> {
    let empty = serde_json::to_string(&BusinessProfile::default()).map_err(|_| internal())?;
    state
        .store
        .set_business_logo(&session.user.account_id, logo, empty)
        .await?;
    let (profile, version) = current(state, session).await?;
    Ok(with_etag(&profile, version))
}

/// A logo
///
/// As a business profile shows it: public, named by its content's hash,
/// so cached for a year.
#[utoipa::path(
    get,
    path = "/logos/{file}",
    tag = "reference",
    params(("file" = String, Path, description = "`<sha-256>.png` or `<sha-256>.jpg`", pattern = "^[0-9a-f]{64}\\.(png|jpg)$")),
    responses(
        (status = 200, description = "The image", content(
            (LogoImage = "image/png"),
            (LogoImage = "image/jpeg"),
        ),
            headers(("Cache-Control" = String, description = "`public, max-age=31536000, immutable`"))),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
    ),
)]
pub async fn logo_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiFailure> {
    let logo = state
        .store
        .logo(&file)
        .await?
        .ok_or(ApiFailure::not_found())?;
    let content_type = HeaderValue::from_str(&logo.content_type).map_err(|_| internal())?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
            // Never a document: nothing in it runs, whatever a browser
            // makes of it.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        logo.bytes,
    )
        .into_response())
}

/// The partner vocabularies
///
/// Industries, products, services, customer sizes and languages: the
/// codes a business profile and a customer's request hold, named in the
/// request's language.
#[utoipa::path(
    get,
    path = "/reference/partner-vocabularies",
    tag = "reference",
    responses(
        (status = 200, description = "Each vocabulary's terms; cacheable for an hour", body = PartnerVocabularies,
            headers(("Cache-Control" = String, description = "`public, max-age=3600`"))),
    ),
)]
pub async fn vocabularies(RequestLocale(locale): RequestLocale) -> Response {
    let named = PartnerVocabularies::named(Catalog::get(locale));
    let json = serde_json::to_string(&named).unwrap_or_default();
    let mut answer = cacheable_json(json, "public, max-age=3600");
    // Its words follow Accept-Language.
    answer
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-language"));
    answer
}
