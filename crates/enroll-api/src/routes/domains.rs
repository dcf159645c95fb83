//! The domains an account's users may have addresses in (enroll-core's
//! `domains`): listed for those who add users, proven by the global admin
//! with a code emailed to an address in the new domain.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::{limits, Action, Request};
use enroll_core::domains::{
    parse_domain, proof_problems, AccountDomain, AccountDomains, DomainCode, DomainCodeSent,
    DomainProofRequest,
};
use enroll_core::ErrorCode;
use enroll_core::{ApiErrorBody, ValidationReport};

use super::admin_email::{confirmed_or_problem, sent_or_throttled, typed_code};
use super::parameters::DomainPath;
use super::signed_in::SignedIn;
use super::signed_in::{application_of, permitted};
use super::AppState;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mail;
use crate::passwords::email_code;
use crate::store::{NewCode, Proof};

async fn domains(state: &AppState, account_id: &str) -> Result<AccountDomains, ApiFailure> {
    let items = state
        .store
        .account_domains(account_id)
        .await?
        .into_iter()
        .map(|(domain, proven_at)| AccountDomain { domain, proven_at })
        .collect();
    Ok(AccountDomains { items })
}

/// The account's domains
///
/// Users are added only with addresses in these.
#[utoipa::path(
    get,
    path = "/account/domains",
    // Unique: the default (the function's name) is another operation's too.
    operation_id = "list_domains",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "The proven domains", body = AccountDomains),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<AccountDomains>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ListUsers)?;
    Ok(Json(domains(&state, &session.user.account_id).await?))
}

/// Prove another domain
///
/// Emails a code to `email`, which must be in `domain` (not a free-mail
/// one). Global admins only. A new code replaces the previous one; it
/// works 10 minutes and 5 tries; 3 are sent an hour for the account, and
/// 3 to one address.
#[utoipa::path(
    post,
    path = "/account/domains",
    tag = "account",
    security(("session" = [])),
    request_body = DomainProofRequest,
    responses(
        (status = 202, description = "The code is on its way", body = DomainCodeSent),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: global admins only", body = ApiErrorBody),
        (status = 409, description = "`domain_proven`: the account has it already", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`domain` (`required`, `invalid_format`, `free_email_domain`), `email` (`required`, `invalid_format`, `not_in_domain`)", body = ValidationReport),
        (status = 429, description = "`too_many_codes`", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be sent"))),
    ),
)]
pub async fn start_proof(
    State(state): State<AppState>,
    signed_in: SignedIn,
    JsonBody(request): JsonBody<DomainProofRequest>,
) -> Result<Response, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ProveDomain)?;
    let problems = proof_problems(&request.domain, &request.email, &state.reference.data);
    if !problems.is_empty() {
        return Err(ApiFailure::invalid(ValidationReport::from_problems(
            problems,
            Vec::new(),
        )));
    }
    let domain = parse_domain(&request.domain).unwrap_or_default();
    let to = request.email.trim().to_owned();
    let proven = domains(&state, &session.user.account_id).await?;
    if proven.items.iter().any(|d| d.domain == domain) {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::DomainProven,
        ));
    }
    let (account, record) = application_of(&state, session).await?;
    let code = email_code()
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    let now = state.clock.now();
    let sent = state
        .store
        .send_email_code(
            NewCode {
                application_id: account.application_id.clone(),
                email: to.clone(),
                proof: Proof::Domain,
                code_hash: state.secrets.code_hash(&code),
            },
            now,
            state.limits.admin_codes_per_recipient,
            mail::domain_code_email(&record, &to, &code, now),
        )
        .await?;
    sent_or_throttled(sent)?;
    let answer = DomainCodeSent {
        domain,
        to,
        expires_in_secs: limits::EMAIL_CODE_SECS,
    };
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

/// Confirm a domain with the emailed code
#[utoipa::path(
    post,
    path = "/account/domains/{domain}/verify",
    tag = "account",
    security(("session" = [])),
    params(DomainPath),
    request_body = DomainCode,
    responses(
        (status = 200, description = "Proven: the account's domains", body = AccountDomains),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`: global admins only", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`code`: `wrong_code` (with `tries_left`) or `code_expired` (too old, tried 5 times, or sent for another domain)", body = super::parameters::Unprocessable),
    ),
)]
pub async fn verify(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(domain): Path<String>,
    JsonBody(body): JsonBody<DomainCode>,
) -> Result<Json<AccountDomains>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ProveDomain)?;
    let typed = typed_code(&body.code)?;
    let account = super::signed_in::account_of(&state, session).await?;
    let domain = parse_domain(&domain).unwrap_or_default();
    let check = state
        .store
        .check_email_code(
            &account.application_id,
            &domain,
            Proof::Domain,
            state.secrets.code_hashes(&typed),
            state.clock.now(),
        )
        .await?;
    confirmed_or_problem(check)?;
    Ok(Json(domains(&state, &session.user.account_id).await?))
}
