//! A customer looking for a partner: the request, the code proving the
//! customer's address (no partner hears of the request before), and the
//! request's page, opened by the token `POST /partner-requests` gave.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::limits as code_limits;
use enroll_core::contract::{EmailCodeSent, PartnerRequestCreated, PartnerRequestView};
use enroll_core::partner_request::PartnerRequest;
use enroll_core::referral::RequestStatus;
use enroll_core::{ApiErrorBody, ErrorCode};
use std::time::Duration;

use super::admin_email::{confirmed_or_problem, new_code, sent_or_throttled, typed_code};
use super::business_profile::logo_url;
use super::parameters::PartnerRequestPath;
use super::token_opens::{id_and_token_hash, opened};
use super::AppState;
use crate::auth::{new_id, random_hex, token_hash, Bearer};
use crate::clock::iso;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mail;
use crate::store::{
    About, EmailKind, NewPartnerRequest, RequestCodeSent, RequestProof, StoredRequest,
};
use crate::throttle::{Action, Client};

/// The request a route names (`/partner-requests/{id}/…`), opened by its
/// token: 401 without one or with another request's, 404 when there is no
/// such request.
pub struct Customer(StoredRequest);

impl FromRequestParts<AppState> for Customer {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiFailure> {
        let (id, hash) = id_and_token_hash(parts, state).await?;
        let found = state.store.partner_request_by_token(&hash).await?;
        let exists = state.store.partner_request_exists(&id);
        opened(found, |r| r.id == id, exists).await.map(Self)
    }
}

/// 409 `not_editable`: the address is proven, no code is needed.
fn proven_already() -> ApiFailure {
    ApiFailure::new(StatusCode::CONFLICT, ErrorCode::NotEditable)
}

/// 429 `too_many_partner_requests`: the address proved as many requests
/// as it may in a day.
fn day_full(retry_after_secs: u64) -> ApiFailure {
    ApiFailure::throttled(
        ErrorCode::TooManyPartnerRequests,
        Duration::from_secs(retry_after_secs),
    )
}

fn internal() -> ApiFailure {
    ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
}

/// Ask for a partner
///
/// Public: for the find-a-partner page. Kept, unproven, until the
/// customer's address is proven with an emailed code
/// (`/email/code`, `/email/verify`): no partner hears of it before, and
/// one not proven within a day is forgotten. At most 5 an hour from one
/// client; one address proves at most 3 a day.
#[utoipa::path(
    post,
    path = "/partner-requests",
    operation_id = "create_partner_request",
    tag = "partner requests",
    request_body = PartnerRequest,
    responses(
        (status = 201, description = "Kept: its id, and the token that opens it (given once)", body = PartnerRequestCreated),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "What is wrong, at each field (`needs.products`, `contact.email`, `consent_to_share`), worded in the request's language; or `wrong_shape`", body = super::parameters::Unprocessable),
        (status = 429, description = "`too_many_partner_requests`: 5 in the last hour from this client", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be made"))),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    client: Client,
    JsonBody(body): JsonBody<PartnerRequest>,
) -> Result<Response, ApiFailure> {
    let request = body.trimmed();
    let report = request.validate(&state.reference.data);
    if !report.errors.is_empty() {
        return Err(ApiFailure::invalid(report));
    }
    let too_many = |wait| ApiFailure::throttled(ErrorCode::TooManyPartnerRequests, wait);
    state
        .throttle
        .take(
            Action::PartnerRequest,
            client,
            state.limits.partner_requests_per_client,
        )
        .await?
        .map_err(too_many)?;
    let (id, token) = new_id()
        .and_then(|id| Ok((id, random_hex(32)?)))
        .map_err(|_| internal())?;
    let new = NewPartnerRequest {
        id: id.clone(),
        token_hash: token_hash(&token),
        request,
    };
    state
        .store
        .create_partner_request(new, state.clock.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PartnerRequestCreated { id, token }),
    )
        .into_response())
}

/// Email a code to the customer's address
///
/// A new code replaces the previous one; it works for 10 minutes and 5
/// tries; 3 may be sent an hour for one request and 3 to one address.
#[utoipa::path(
    post,
    path = "/partner-requests/{id}/email/code",
    operation_id = "send_partner_request_code",
    tag = "partner requests",
    params(PartnerRequestPath),
    security(("requestToken" = [])),
    responses(
        (status = 202, description = "Sent", body = EmailCodeSent),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such request", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: the address is proven already", body = ApiErrorBody),
        (status = 429, description = "`too_many_codes`: 3 were sent in the last hour for this request or to this address, or this client asked too often; `too_many_partner_requests`: this address proved 3 requests in the last day", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be sent"))),
    ),
)]
pub async fn send_code(
    State(state): State<AppState>,
    Customer(request): Customer,
    client: Client,
) -> Result<Response, ApiFailure> {
    if request.status != RequestStatus::Unproven {
        return Err(proven_already());
    }
    let code = new_code(&state, client, Action::RequestCode).await?;
    let now = state.clock.now();
    let sent = state
        .store
        .send_request_code(
            &request.id,
            state.secrets.code_hash(&code),
            now,
            state.limits.admin_codes_per_recipient,
            mail::request_code_email(&request, &code, now),
        )
        .await?;
    match sent {
        None => return Err(proven_already()),
        Some(RequestCodeSent::DayFull { retry_after_secs }) => {
            return Err(day_full(retry_after_secs))
        }
        Some(RequestCodeSent::Code(sent)) => sent_or_throttled(sent)?,
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(EmailCodeSent {
            to: request.contact.email,
            expires_in_secs: code_limits::EMAIL_CODE_SECS,
        }),
    )
        .into_response())
}

/// Confirm the customer's address with the emailed code
///
/// Right, the address is proven and, at once, the request goes to the
/// best-matching partner, as a referral that shows the need and why it
/// matched but not the customer's contact until the partner accepts. The
/// customer is emailed the link to the request's page. Sent again once
/// proven, it answers the same and changes nothing.
#[utoipa::path(
    post,
    path = "/partner-requests/{id}/email/verify",
    operation_id = "verify_partner_request_code",
    tag = "partner requests",
    params(PartnerRequestPath),
    security(("requestToken" = [])),
    request_body = enroll_core::contract::RequestProof,
    responses(
        (status = 200, description = "Proven: where the request now stands", body = PartnerRequestView),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such request", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`bad_link_base` (not on a host origin); a problem on `code`: `wrong_code` (with `tries_left`) or `code_expired` (ask for a new one); or `wrong_shape`", body = super::parameters::Unprocessable),
        (status = 429, description = "`too_many_partner_requests`: this address proved 3 requests in the last day; the request stays unproven", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until it may be proven"))),
    ),
)]
pub async fn verify_code(
    State(state): State<AppState>,
    Customer(request): Customer,
    Bearer(token): Bearer,
    JsonBody(body): JsonBody<enroll_core::contract::RequestProof>,
) -> Result<Response, ApiFailure> {
    let base = state
        .links
        .base(body.link_base.as_deref())
        .ok_or(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::BadLinkBase,
        ))?;
    let typed = typed_code(&body.code)?;
    // The token travels in the fragment: never sent to a server, never in
    // a server log or a Referer.
    let link = format!("{base}#partner-request={}.{token}", request.id);
    let now = state.clock.now();
    let check = state
        .store
        .prove_partner_request(
            &request.id,
            state.secrets.code_hashes(&typed),
            now,
            Box::new(move |request, offered| {
                mail::request_link_email(request, &link, offered, now)
            }),
            &mail::REFERRAL_LETTERS,
        )
        .await?;
    match check {
        RequestProof::Code(check) => confirmed_or_problem(check)?,
        RequestProof::DayFull { retry_after_secs } => return Err(day_full(retry_after_secs)),
    }
    // Proven, it stands elsewhere now: read again.
    let proven = state
        .store
        .partner_request_by_token(&token_hash(&token))
        .await?
        .filter(|r| r.id == request.id)
        .ok_or_else(ApiFailure::not_found)?;
    Ok(Json(view(&state, proven).await?).into_response())
}

/// Where a request stands
///
/// For the customer holding its token: the request as made, whether a
/// partner has it, and once one accepted, who will make contact.
#[utoipa::path(
    get,
    path = "/partner-requests/{id}",
    operation_id = "read_partner_request",
    tag = "partner requests",
    params(PartnerRequestPath),
    security(("requestToken" = [])),
    responses(
        (status = 200, description = "The request", body = PartnerRequestView),
        (status = 401, description = "`token_required` or `invalid_token` (its token ran out after 90 days)", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such request", body = ApiErrorBody),
    ),
)]
pub async fn read(
    State(state): State<AppState>,
    Customer(request): Customer,
) -> Result<Response, ApiFailure> {
    // The request as the token opened it: polled every few seconds while
    // a code is awaited, so not read a second time.
    Ok(Json(view(&state, request).await?).into_response())
}

/// `request` as its page shows it: with where its code's email is while
/// unproven, and the partner once one accepted.
async fn view(state: &AppState, request: StoredRequest) -> Result<PartnerRequestView, ApiFailure> {
    let id = request.id.as_str();
    let code_delivery = match request.status {
        RequestStatus::Unproven => {
            state
                .store
                .newest_delivery(
                    &About::PartnerRequest(request.id.clone()),
                    EmailKind::RequestCode,
                )
                .await?
        }
        _ => None,
    };
    let partner = state
        .store
        .request_partner(id)
        .await?
        .map(|(mut partner, logo)| {
            partner.logo_url = logo.map(|file| logo_url(state, &file));
            partner
        });
    Ok(PartnerRequestView {
        id: request.id,
        status: request.status,
        locale: request.locale,
        needs: request.needs,
        contact: request.contact,
        created_at: iso(request.created_at),
        code_delivery,
        partner,
    })
}
