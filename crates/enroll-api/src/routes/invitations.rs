//! The customer's side of an invitation to a reseller relationship, opened
//! by the token in the link the partner gave (no account): who invites,
//! the customer admin's address proven with a code, and the answer,
//! checked against the resale rule.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::limits as code_limits;
use enroll_core::contract::{
    EmailCodeSent, InvitationAddress, InvitationCode, InvitationView, InvitingPartner,
};
use enroll_core::customer::InvitationAcceptance;
use enroll_core::email::email_problems_at;
use enroll_core::{ApiErrorBody, ErrorCode, Problem, ProblemCode, ValidationReport};

use super::admin_email::{confirmed_or_problem, new_code, sent_or_throttled, typed_code};
use super::business_profile::logo_url;
use super::customers::customer_view;
use super::parameters::InvitationPath;
use super::token_opens::{id_and_token_hash, opened};
use super::AppState;
use crate::auth::new_id;
use crate::clock::iso;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mail;
use crate::store::{About, Accepted, EmailKind, StoredInvitation};
use crate::throttle::{Action, Client};

/// The invitation a route names (`/invitations/{id}/…`), opened by its
/// token: 401 without one or with another invitation's, 404 when there is
/// no such invitation.
pub struct Invited(StoredInvitation);

impl FromRequestParts<AppState> for Invited {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiFailure> {
        let (id, hash) = id_and_token_hash(parts, state).await?;
        let found = state.store.invitation_by_token(&hash).await?;
        let exists = state.store.invitation_exists(&id);
        opened(found, |i| i.id == id, exists).await.map(Self)
    }
}

/// 409 `not_editable`: accepted, declined, expired or withdrawn (or, for a
/// code, the address is proven already).
fn closed() -> ApiFailure {
    ApiFailure::new(StatusCode::CONFLICT, ErrorCode::NotEditable)
}

/// 409 `admin_email_unverified`: prove the address first.
fn unproven() -> ApiFailure {
    ApiFailure::new(StatusCode::CONFLICT, ErrorCode::AdminEmailUnverified)
}

fn internal() -> ApiFailure {
    ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
}

/// An invitation
///
/// As its customer sees it: who invites, where it stands, whether the
/// address is proven, and once accepted, the customer it made.
#[utoipa::path(
    get,
    path = "/invitations/{id}",
    operation_id = "read_invitation",
    tag = "customers",
    params(InvitationPath),
    security(("invitationToken" = [])),
    responses(
        (status = 200, description = "The invitation", body = InvitationView),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such invitation", body = ApiErrorBody),
    ),
)]
pub async fn read(
    State(state): State<AppState>,
    Invited(invitation): Invited,
) -> Result<Response, ApiFailure> {
    Ok(Json(view(&state, invitation).await?).into_response())
}

/// Email a code to the customer admin's address
///
/// A work address, by the admin's rules. A new code replaces the previous
/// one; it works for 10 minutes and 5 tries; 3 may be sent an hour for
/// one invitation and 3 to one address.
#[utoipa::path(
    post,
    path = "/invitations/{id}/email/code",
    operation_id = "send_invitation_code",
    tag = "customers",
    params(InvitationPath),
    security(("invitationToken" = [])),
    request_body = InvitationAddress,
    responses(
        (status = 202, description = "Sent", body = EmailCodeSent),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such invitation", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: answered, expired or withdrawn, or the address is proven already", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "Problems on `email`, worded in the request's language (`partner_address`: an address in the inviting partner's own domains); or `wrong_shape`", body = super::parameters::Unprocessable),
        (status = 429, description = "`too_many_codes`: 3 were sent in the last hour for this invitation or to this address, or this client asked too often", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be sent"))),
    ),
)]
pub async fn send_code(
    State(state): State<AppState>,
    Invited(invitation): Invited,
    client: Client,
    JsonBody(body): JsonBody<InvitationAddress>,
) -> Result<Response, ApiFailure> {
    if !invitation.status.is_open() || invitation.proven_email.is_some() {
        return Err(closed());
    }
    let email = body.email.trim().to_owned();
    let (mut errors, _) = email_problems_at("email", &email, &state.reference.data);
    // The link is the partner's too: an address at the partner (one of
    // its account's proven domains) cannot answer for the customer.
    let domain = email
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let partners_domains = state.store.account_domains(&invitation.account_id).await?;
    if errors.is_empty() && partners_domains.iter().any(|(d, _)| *d == domain) {
        errors.push(Problem::at("email", ProblemCode::PartnerAddress));
    }
    if !errors.is_empty() {
        return Err(ApiFailure::invalid(ValidationReport::from_problems(
            errors,
            Vec::new(),
        )));
    }
    let code = new_code(&state, client, Action::RequestCode).await?;
    let now = state.clock.now();
    let sent = state
        .store
        .send_invitation_code(
            &invitation.id,
            state.secrets.code_hash(&code),
            now,
            state.limits.admin_codes_per_recipient,
            mail::invitation_code_email(&invitation, &email, &code, now),
        )
        .await?
        .ok_or_else(closed)?;
    sent_or_throttled(sent)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(EmailCodeSent {
            to: email,
            expires_in_secs: code_limits::EMAIL_CODE_SECS,
        }),
    )
        .into_response())
}

/// Confirm the customer admin's address with the emailed code
///
/// Right, the address the code went to is proven, and the invitation may
/// be answered. Sent again once proven, it answers the same and changes
/// nothing.
#[utoipa::path(
    post,
    path = "/invitations/{id}/email/verify",
    operation_id = "verify_invitation_code",
    tag = "customers",
    params(InvitationPath),
    security(("invitationToken" = [])),
    request_body = InvitationCode,
    responses(
        (status = 200, description = "Proven: the invitation", body = InvitationView),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such invitation", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: answered, expired or withdrawn", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "A problem on `code`: `wrong_code` (with `tries_left`) or `code_expired` (ask for a new one); or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn verify_code(
    State(state): State<AppState>,
    Invited(invitation): Invited,
    JsonBody(body): JsonBody<InvitationCode>,
) -> Result<Response, ApiFailure> {
    let typed = typed_code(&body.code)?;
    let now = state.clock.now();
    let check = state
        .store
        .prove_invitation(&invitation.id, state.secrets.code_hashes(&typed), now)
        .await?
        .ok_or_else(closed)?;
    confirmed_or_problem(check)?;
    reread(&state, &invitation.id).await
}

/// Accept the invitation
///
/// Once the address is proven: the company, its country and the tenant
/// the reseller relationship is for. Refused, each on its field, with
/// what to do: a tenant another approved partner uses for CSP
/// transactions (`csp_tenant_of_another_partner`; its corporate tenant
/// may buy), one of the inviting partner's own tenants (`own_tenant`), a
/// tenant that is its customer already (`already_customer`), another
/// country than the partner's (`other_country` on `country`). Accepted,
/// the partner's admin agents are emailed.
#[utoipa::path(
    post,
    path = "/invitations/{id}/accept",
    operation_id = "accept_invitation",
    tag = "customers",
    params(InvitationPath),
    security(("invitationToken" = [])),
    request_body = InvitationAcceptance,
    responses(
        (status = 200, description = "Accepted: a reseller relationship", body = InvitationView),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such invitation", body = ApiErrorBody),
        (status = 409, description = "`admin_email_unverified`: prove the address first; `not_editable`: answered, expired or withdrawn", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "Problems on `company_name`, `country`, `tenant_domain`, worded in the request's language; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn accept(
    State(state): State<AppState>,
    Invited(invitation): Invited,
    JsonBody(body): JsonBody<InvitationAcceptance>,
) -> Result<Response, ApiFailure> {
    if !invitation.status.is_open() {
        return Err(closed());
    }
    if invitation.proven_email.is_none() {
        return Err(unproven());
    }
    let acceptance = body.trimmed();
    let report = acceptance.validate(&state.reference.data);
    if !report.errors.is_empty() {
        return Err(ApiFailure::invalid(report));
    }
    let customer_id = new_id().map_err(|_| internal())?;
    let now = state.clock.now();
    let outcome = state
        .store
        .accept_invitation(
            &invitation.id,
            customer_id,
            acceptance,
            now,
            mail::customer_accepted_email,
        )
        .await?;
    answered(&state, &invitation.id, outcome).await
}

/// Decline the invitation
///
/// Once the address is proven. The partner sees it declined.
#[utoipa::path(
    post,
    path = "/invitations/{id}/decline",
    operation_id = "decline_invitation",
    tag = "customers",
    params(InvitationPath),
    security(("invitationToken" = [])),
    responses(
        (status = 200, description = "Declined", body = InvitationView),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such invitation", body = ApiErrorBody),
        (status = 409, description = "`admin_email_unverified`: prove the address first; `not_editable`: answered, expired or withdrawn", body = ApiErrorBody),
    ),
)]
pub async fn decline(
    State(state): State<AppState>,
    Invited(invitation): Invited,
) -> Result<Response, ApiFailure> {
    let now = state.clock.now();
    let outcome = state.store.decline_invitation(&invitation.id, now).await?;
    answered(&state, &invitation.id, outcome).await
}

/// An answer's outcome as the API says it.
async fn answered(state: &AppState, id: &str, outcome: Accepted) -> Result<Response, ApiFailure> {
    match outcome {
        Accepted::Customer(_) => reread(state, id).await,
        Accepted::Refused(problems) => Err(ApiFailure::invalid(ValidationReport::from_problems(
            problems,
            Vec::new(),
        ))),
        Accepted::Unproven => Err(unproven()),
        Accepted::NotOpen => Err(closed()),
    }
}

/// The invitation `id` as it now stands.
async fn reread(state: &AppState, id: &str) -> Result<Response, ApiFailure> {
    let invitation = state
        .store
        .invitation_by_id(id)
        .await?
        .ok_or_else(ApiFailure::not_found)?;
    Ok(Json(view(state, invitation).await?).into_response())
}

/// The partner of the account `account_id` as a customer sees it: its
/// legal name, website and logo, and the country it sells in.
pub(super) async fn inviting_partner(
    state: &AppState,
    account_id: &str,
) -> Result<InvitingPartner, ApiFailure> {
    let (partner, website, logo) = state.store.inviting_partner(account_id).await?;
    Ok(InvitingPartner {
        name: partner.answers.company.legal_name.trim().to_owned(),
        website,
        logo_url: logo.map(|file| logo_url(state, &file)),
        country: partner.answers.address.country.trim().to_ascii_uppercase(),
    })
}

/// `invitation` as the customer's page shows it.
async fn view(
    state: &AppState,
    invitation: StoredInvitation,
) -> Result<InvitationView, ApiFailure> {
    let partner = inviting_partner(state, &invitation.account_id).await?;
    let code_delivery = match invitation.proven_email {
        None if invitation.status.is_open() => {
            state
                .store
                .newest_delivery(
                    &About::Invitation(invitation.id.clone()),
                    EmailKind::CustomerCode,
                )
                .await?
        }
        _ => None,
    };
    let customer = state
        .store
        .customer_of_invitation(&invitation.id)
        .await?
        .map(|c| customer_view(c, Vec::new()).company);
    Ok(InvitationView {
        id: invitation.id,
        status: invitation.status,
        partner,
        company_name: invitation.company_name,
        admin_email: invitation.admin_email,
        locale: invitation.locale,
        expires_at: iso(invitation.expires_at),
        proven_email: invitation.proven_email,
        code_delivery,
        customer,
    })
}
