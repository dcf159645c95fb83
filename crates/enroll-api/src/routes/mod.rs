//! The `/api/v1` handlers. Thin: parse, call the store or enroll-core,
//! answer. One file per part of the contract.

mod account;
mod admin_email;
mod admin_relationships;
mod applicant;
mod applications;
mod business_profile;
mod customers;
mod directory;
mod domains;
mod invitations;
mod organization;
pub mod parameters;
mod partner_requests;
mod preconditions;
mod referrals;
mod resume_email;
mod session;
mod signed_in;
mod submit;
mod token_opens;
mod users;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::ErrorCode;
use enroll_core::{
    validate, validate_sections, Answers, Catalog, ProgramSettings, Section, ValidationReport,
};
use serde::Deserialize;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::clock::SharedClock;
use crate::directory::Directory;
use crate::error::{ApiFailure, RequestLocale};
use crate::json::JsonBody;
use crate::limits::Limits;
use crate::reference::Reference;
use crate::secret::SecretKeys;
use crate::store::Store;
use crate::throttle::Throttle;
use enroll_core::ApiErrorBody;
use parameters::{BookPath, CountryPath};
use std::net::SocketAddr;
use utoipa::IntoParams;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub reference: Reference,
    pub directory: Arc<Directory>,
    pub limits: Arc<Limits>,
    pub links: Arc<ResumeLinks>,
    pub throttle: Throttle,
    /// Whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub proxies: Arc<crate::proxy::TrustedProxies>,
    /// The one clock of the partner account's rules.
    pub clock: SharedClock,
    /// Keys derived from the server's secret key (emailed codes' hashes).
    pub secrets: Arc<SecretKeys>,
}

/// Where resume links may point: the server's public address, or a page
/// on one of the origins configured to host the app. Never an address a
/// request makes up (its `Host` header, any other URL): a draft is free
/// and anonymous, and the email would carry whatever link it was given.
#[derive(Clone, Debug)]
pub struct ResumeLinks {
    public_url: String,
    /// The origins a `link_base` may have: the hosts', the public URL's.
    origins: Vec<String>,
}

impl ResumeLinks {
    pub fn new(public_url: Option<&str>, listen: SocketAddr, host_origins: &[String]) -> Self {
        let configured = public_url.is_some();
        let public_url = public_url.map_or_else(|| format!("http://{listen}/"), str::to_owned);
        let mut origins: Vec<String> = host_origins
            .iter()
            .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
            .collect();
        origins.push(
            public_url
                .split('/')
                .take(3)
                .collect::<Vec<_>>()
                .join("/")
                .to_ascii_lowercase(),
        );
        // Served on loopback without a public address (`cargo xtask run`):
        // whoever opens it as localhost gets links to localhost too.
        if !configured && listen.ip().is_loopback() {
            origins.push(format!("http://localhost:{}", listen.port()));
        }
        Self {
            public_url,
            origins,
        }
    }

    /// `path` at the server's public address (`api/v1/logos/…`).
    pub fn public(&self, path: &str) -> String {
        format!("{}/{path}", self.public_url.trim_end_matches('/'))
    }

    /// The page a resume link opens: `link_base` when it is an http(s)
    /// address on a configured host origin, the public address when absent;
    /// `None` for anything else. The fragment of `link_base` is dropped.
    pub fn base(&self, link_base: Option<&str>) -> Option<String> {
        let Some(base) = link_base else {
            return Some(self.public_url.clone());
        };
        let base = base.split('#').next().unwrap_or_default();
        // A URL and nothing else: no spaces or other text to carry a
        // message of the caller's into the email ("…/ Sign in again at
        // https://evil.example"), and not longer than a URL needs to be.
        if base.len() > 2048 || !base.chars().all(|c| c.is_ascii_graphic()) {
            return None;
        }
        let (scheme, rest) = base.split_once("://")?;
        if !matches!(scheme, "http" | "https") {
            return None;
        }
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        if authority.is_empty() || authority.contains('@') || base.chars().any(char::is_control) {
            return None;
        }
        let origin = format!("{scheme}://{}", authority.to_ascii_lowercase());
        self.origins.contains(&origin).then(|| base.to_owned())
    }
}

/// The routes under `/api/v1` whose answers must not be cached. Each is
/// registered with its `#[utoipa::path]`, so serving it documents it
/// (`crate::openapi::document`); clippy refuses a plain `.route()`.
pub fn api_v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(get_program))
        .routes(routes!(post_validate))
        .routes(routes!(applications::create))
        .routes(routes!(applications::read, applications::update))
        .routes(routes!(submit::submit))
        .routes(routes!(applications::status))
        .routes(routes!(resume_email::resume_email))
        .routes(routes!(admin_email::send_code, admin_email::code_delivery))
        .routes(routes!(admin_email::verify_code))
        .routes(routes!(session::sign_in, session::sign_out))
        .routes(routes!(session::give_mfa_code))
        .routes(routes!(session::change_password))
        .routes(routes!(account::account))
        .routes(routes!(account::start_totp))
        .routes(routes!(account::confirm_totp))
        .routes(routes!(users::list, users::add))
        .routes(routes!(users::read, users::change_roles, users::remove))
        .routes(routes!(users::resend_invitation))
        .routes(routes!(domains::list, domains::start_proof))
        .routes(routes!(domains::verify))
        .routes(routes!(organization::read, organization::save))
        .routes(routes!(organization::provider_requests))
        .routes(routes!(business_profile::read, business_profile::save))
        .merge(business_profile::logo_routes())
        .routes(routes!(referrals::list))
        .routes(routes!(referrals::read))
        .routes(routes!(referrals::accept))
        .routes(routes!(referrals::decline))
        .routes(routes!(referrals::close))
        .routes(routes!(
            customers::list_invitations,
            customers::create_invitation
        ))
        .routes(routes!(customers::withdraw_invitation))
        .routes(routes!(customers::send_invitation))
        .routes(routes!(customers::list_customers))
        .routes(routes!(
            admin_relationships::list,
            admin_relationships::create
        ))
        .routes(routes!(
            admin_relationships::change,
            admin_relationships::terminate
        ))
        .routes(routes!(
            admin_relationships::templates,
            admin_relationships::save_template
        ))
        .routes(routes!(admin_relationships::delete_template))
        .routes(routes!(admin_relationships::read_request))
        .routes(routes!(admin_relationships::send_code))
        .routes(routes!(admin_relationships::approve))
        .routes(routes!(admin_relationships::reject))
        .routes(routes!(admin_relationships::end))
        .routes(routes!(invitations::read))
        .routes(routes!(invitations::send_code))
        .routes(routes!(invitations::verify_code))
        .routes(routes!(invitations::accept))
        .routes(routes!(invitations::decline))
        .routes(routes!(partner_requests::create))
        .routes(routes!(partner_requests::read))
        .routes(routes!(partner_requests::send_code))
        .routes(routes!(partner_requests::verify_code))
        .routes(routes!(directory::requests_of_application))
        .routes(routes!(directory::mpn_lookup))
        .routes(routes!(directory::search))
        .routes(routes!(directory::provider))
        .routes(routes!(directory::request_partnership))
        .fallback(unknown_route)
}

/// Reference data and the provider index: the same for everyone, cacheable.
pub fn cacheable_v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::default()
        .routes(routes!(get_address_format))
        .routes(routes!(get_free_email_domains))
        .routes(routes!(get_messages))
        .routes(routes!(business_profile::vocabularies))
        .routes(routes!(admin_relationships::roles))
        .routes(routes!(business_profile::logo_file))
        .routes(routes!(directory::index))
        .routes(routes!(directory::filters))
}

/// Program settings: direct enrollment open or closed, supported countries, links
#[utoipa::path(
    get,
    path = "/program",
    tag = "program",
    responses((status = 200, description = "The program's settings, its name in the request's language", body = ProgramSettings)),
)]
async fn get_program(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
) -> Result<Json<ProgramSettings>, ApiFailure> {
    let mut settings = state.store.program_settings().await?;
    settings.program_name = settings.name_in(locale).to_owned();
    Ok(Json(settings))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ValidateQuery {
    /// Comma-separated sections, named by any field of theirs (`bank`,
    /// `admin.email`); absent means all of them.
    sections: Option<String>,
}

/// Validate a (partial) application
///
/// The answer is the report whether the answers are valid or not (200 with
/// `valid: false`); `message`s are worded in the `Accept-Language` locale.
#[utoipa::path(
    post,
    path = "/validate",
    tag = "program",
    params(ValidateQuery),
    request_body(content = Answers, description = "The answers so far; any may be left out"),
    responses(
        (status = 200, description = "What is wrong (`errors`, blocking) and what may be (`warnings`)", body = ValidationReport),
        (status = 400, description = "`unknown_section`: a name in `sections` is no section's", body = ApiErrorBody),
        (status = 415, description = "`json_required`: the body is not `application/json`", body = ApiErrorBody),
        (status = 422, description = "`wrong_shape`: JSON, but not answers", body = ApiErrorBody),
    ),
)]
async fn post_validate(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Query(query): Query<ValidateQuery>,
    JsonBody(answers): JsonBody<Answers>,
) -> Result<Json<ValidationReport>, ApiFailure> {
    let mut report = match query.sections.as_deref() {
        None => validate(&answers, &state.reference.data),
        Some(list) => {
            let sections = list
                .split(',')
                .map(|name| Section::of_field(name.trim()))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    ApiFailure::new(StatusCode::BAD_REQUEST, ErrorCode::UnknownSection)
                })?;
            validate_sections(&sections, &answers, &state.reference.data)
        }
    };
    report.localize(Catalog::get(locale));
    Ok(Json(report))
}

fn cacheable_json(body: String, cache_control: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache_control),
            ),
        ],
        body,
    )
        .into_response()
}

/// One country's address format (libaddressinput's data)
#[utoipa::path(
    get,
    path = "/reference/address-formats/{country}",
    tag = "reference",
    params(CountryPath),
    responses(
        (status = 200, description = "The format; cacheable for a day", body = enroll_core::address::AddressFormat,
            headers(("Cache-Control" = String, description = "`public, max-age=86400`"))),
        (status = 404, description = "`not_found`: no format for that country", body = ApiErrorBody),
    ),
)]
async fn get_address_format(
    State(state): State<AppState>,
    axum::extract::Path(country): axum::extract::Path<String>,
) -> Result<Response, ApiFailure> {
    let json = state
        .reference
        .address_format_json(&country)
        .ok_or(ApiFailure::not_found())?;
    Ok(cacheable_json(json.to_owned(), "public, max-age=86400"))
}

/// Free-mail domains, refused for the admin email
#[utoipa::path(
    get,
    path = "/reference/free-email-domains",
    tag = "reference",
    responses(
        (status = 200, description = "Lower-case domain names; cacheable for a day", body = Vec<String>,
            headers(("Cache-Control" = String, description = "`public, max-age=86400`")),
            example = json!(["gmail.com", "outlook.com", "qq.com"])),
    ),
)]
async fn get_free_email_domains(State(state): State<AppState>) -> Response {
    cacheable_json(
        state.reference.free_email_domains_json().to_owned(),
        "public, max-age=86400",
    )
}

/// The books `GET /reference/messages/{book}` serves, by their `{book}`
/// (the contract's `BookPath` lists the same names).
pub const SERVED_BOOKS: [(&str, enroll_core::i18n::Book); 3] = {
    use enroll_core::i18n::Book::{Account, Finder, Partners};
    [
        (Account.name(), Account),
        (Partners.name(), Partners),
        (Finder.name(), Finder),
    ]
};

/// A book of messages the app fetches with its part
///
/// The partner account's (`account`), the business profile's, referrals'
/// and find-a-partner page's (`partners`), the provider finder's
/// (`finder`), in every locale, as the catalog's
/// text (`key = text` lines): the first page's download does not carry
/// them.
#[utoipa::path(
    get,
    path = "/reference/messages/{book}",
    tag = "reference",
    params(BookPath),
    responses(
        (status = 200, description = "Each locale's text by its tag; cacheable for an hour", body = std::collections::BTreeMap<String, String>,
            headers(("Cache-Control" = String, description = "`public, max-age=3600`")),
            example = json!({"en-US": "account.nav.users = Users and roles\n", "zh-CN": "account.nav.users = 用户和角色\n"})),
        (status = 404, description = "`not_found`: no such book", body = ApiErrorBody),
    ),
)]
async fn get_messages(
    axum::extract::Path(book): axum::extract::Path<String>,
) -> Result<Response, ApiFailure> {
    let book = SERVED_BOOKS
        .iter()
        .find(|(name, _)| *name == book)
        .map(|(_, book)| *book)
        .ok_or(ApiFailure::not_found())?;
    let texts: std::collections::BTreeMap<&str, &str> = enroll_core::Locale::ALL
        .into_iter()
        .map(|locale| (locale.tag(), locale.source(book)))
        .collect();
    let json = serde_json::to_string(&texts).unwrap_or_default();
    // An hour: a new release's words reach a page left open soon enough.
    Ok(cacheable_json(json, "public, max-age=3600"))
}

/// No such route: told apart from "no such application" by its code.
async fn unknown_route() -> ApiFailure {
    ApiFailure::new(StatusCode::NOT_FOUND, ErrorCode::NoSuchRoute)
}

#[cfg(test)]
mod tests {
    use super::ResumeLinks;

    #[test]
    fn links_go_to_the_public_address_or_a_host_origin_only() {
        let hosts = ["https://partner.example".to_owned()];
        let local = ResumeLinks::new(None, "127.0.0.1:8080".parse().unwrap(), &hosts);
        assert_eq!(local.base(None).as_deref(), Some("http://127.0.0.1:8080/"));
        for fine in [
            "http://127.0.0.1:8080/",
            "http://localhost:8080/apply",
            "https://PARTNER.example/enroll?x=1",
        ] {
            assert!(local.base(Some(fine)).is_some(), "{fine}");
        }
        for refused in [
            "http://localhost:9999/",
            "https://partner.example:444/",
            "https://evil.example/",
            "https://partner.example/ Sign in at https://evil.example",
        ] {
            assert_eq!(local.base(Some(refused)), None, "{refused}");
        }
        let public = ResumeLinks::new(
            Some("https://apply.example/"),
            "127.0.0.1:8080".parse().unwrap(),
            &hosts,
        );
        assert_eq!(public.base(Some("http://localhost:8080/")), None);
    }
}
