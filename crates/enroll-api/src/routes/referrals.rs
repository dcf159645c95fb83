//! The referrals inbox: customers' requests offered to this partner, for
//! its referrals admins and global admins. The customer's contact is in no
//! answer until the partner accepts (the store leaves it out).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use enroll_core::account::{Action, Request};
use enroll_core::contract::{ReferralView, Referrals};
use enroll_core::matching::Reason;
use enroll_core::referral::{Closing, Deal, Declining, ReferralStatus};
use enroll_core::{ApiErrorBody, Catalog, ErrorCode, Locale};
use serde::Deserialize;
use utoipa::IntoParams;

use super::parameters::ReferralPath;
use super::signed_in::{permitted, SignedIn};
use super::AppState;
use crate::clock::iso;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mail::REFERRAL_LETTERS;
use crate::store::{Answer, Answered, StoredReferral};

/// A referral as its partner sees it, its reasons worded in `locale`.
fn shown(referral: StoredReferral, locale: Locale) -> ReferralView {
    let catalog = Catalog::get(locale);
    ReferralView {
        reasons: referral
            .reasons
            .iter()
            .map(|r: &Reason| r.words(catalog))
            .collect(),
        id: referral.id,
        status: referral.status,
        needs: referral.needs,
        locale: referral.locale,
        received_at: iso(referral.received_at),
        expires_at: iso(referral.expires_at),
        deal: referral.deal,
        decline_reason: referral.decline_reason,
        contact: referral.contact,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralsQuery {
    /// Only the referrals in this status.
    status: Option<ReferralStatus>,
}

/// The referrals inbox
///
/// Newest first; each with what the customer needs and why it matched,
/// and the customer's contact only once accepted.
#[utoipa::path(
    get,
    path = "/account/referrals",
    operation_id = "list_referrals",
    tag = "account",
    security(("session" = [])),
    params(ReferralsQuery),
    responses(
        (status = 200, description = "The referrals", body = Referrals),
        (status = 400, description = "`bad_query`: no such status", body = ApiErrorBody),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (referrals admins and global admins only), or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    crate::error::RequestLocale(locale): crate::error::RequestLocale,
    query: Result<Query<ReferralsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Referrals>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ViewReferrals)?;
    let Query(query) =
        query.map_err(|_| ApiFailure::new(StatusCode::BAD_REQUEST, ErrorCode::BadQuery))?;
    let items = state
        .store
        .referrals_of(&session.user.account_id, query.status)
        .await?
        .into_iter()
        .map(|r| shown(r, locale))
        .collect();
    Ok(Json(Referrals { items }))
}

/// A referral
#[utoipa::path(
    get,
    path = "/account/referrals/{id}",
    operation_id = "read_referral",
    tag = "account",
    security(("session" = [])),
    params(ReferralPath),
    responses(
        (status = 200, description = "The referral", body = ReferralView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such referral of this partner", body = ApiErrorBody),
    ),
)]
pub async fn read(
    State(state): State<AppState>,
    signed_in: SignedIn,
    crate::error::RequestLocale(locale): crate::error::RequestLocale,
    Path(id): Path<String>,
) -> Result<Json<ReferralView>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ViewReferrals)?;
    let referral = state
        .store
        .referral_of(&session.user.account_id, &id)
        .await?
        .ok_or_else(ApiFailure::not_found)?;
    Ok(Json(shown(referral, locale)))
}

/// The account of who asks, if they may answer referrals.
fn answerer(signed_in: &SignedIn) -> Result<&str, ApiFailure> {
    let session = permitted(signed_in, Request::Account, Action::AnswerReferrals)?;
    Ok(&session.user.account_id)
}

/// An answer given for partner `account_id` (its `answerer`): the
/// referral as it now is, 404 or 409.
async fn answered(
    state: &AppState,
    account_id: &str,
    locale: Locale,
    id: &str,
    answer: Answer,
) -> Result<Json<ReferralView>, ApiFailure> {
    match state
        .store
        .answer_referral(account_id, id, answer, &REFERRAL_LETTERS)
        .await?
    {
        Answered::Done(referral) => Ok(Json(shown(*referral, locale))),
        Answered::NotNow(_) => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::ReferralAnswered,
        )),
        Answered::Missing => Err(ApiFailure::not_found()),
    }
}

/// Accept a referral
///
/// Opens the deal; the answer carries the customer's contact from now
/// on, and the customer is emailed who will make contact.
#[utoipa::path(
    post,
    path = "/account/referrals/{id}/accept",
    tag = "account",
    security(("session" = [])),
    params(ReferralPath),
    request_body = Deal,
    responses(
        (status = 200, description = "Accepted, with the customer's contact", body = ReferralView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such referral of this partner", body = ApiErrorBody),
        (status = 409, description = "`referral_answered`: answered (or expired) already", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "At `deal_name`, `estimated_value`, `currency`, `notes`; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn accept(
    State(state): State<AppState>,
    signed_in: SignedIn,
    crate::error::RequestLocale(locale): crate::error::RequestLocale,
    Path(id): Path<String>,
    JsonBody(deal): JsonBody<Deal>,
) -> Result<Json<ReferralView>, ApiFailure> {
    let account_id = answerer(&signed_in)?;
    let deal = deal.trimmed();
    let report = deal.validate();
    if !report.errors.is_empty() {
        return Err(ApiFailure::invalid(report));
    }
    answered(&state, account_id, locale, &id, Answer::Accept(deal)).await
}

/// Decline a referral
///
/// With a reason. The request goes to the next partner that matches (or
/// the customer is told none is left); the contact was never shown.
#[utoipa::path(
    post,
    path = "/account/referrals/{id}/decline",
    tag = "account",
    security(("session" = [])),
    params(ReferralPath),
    request_body = Declining,
    responses(
        (status = 200, description = "Declined", body = ReferralView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such referral of this partner", body = ApiErrorBody),
        (status = 409, description = "`referral_answered`: answered (or expired) already", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "At `reason`; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn decline(
    State(state): State<AppState>,
    signed_in: SignedIn,
    crate::error::RequestLocale(locale): crate::error::RequestLocale,
    Path(id): Path<String>,
    JsonBody(declining): JsonBody<Declining>,
) -> Result<Json<ReferralView>, ApiFailure> {
    let account_id = answerer(&signed_in)?;
    let report = declining.validate();
    if !report.errors.is_empty() {
        return Err(ApiFailure::invalid(report));
    }
    let reason = declining.reason.trim().to_owned();
    answered(&state, account_id, locale, &id, Answer::Decline(reason)).await
}

/// Close an accepted referral
///
/// Won or lost; closed, it cannot change.
#[utoipa::path(
    post,
    path = "/account/referrals/{id}/close",
    tag = "account",
    security(("session" = [])),
    params(ReferralPath),
    request_body = Closing,
    responses(
        (status = 200, description = "Closed", body = ReferralView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such referral of this partner", body = ApiErrorBody),
        (status = 409, description = "`referral_answered`: not accepted, or closed already", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`wrong_shape`: `outcome` is `won` or `lost`", body = ApiErrorBody),
    ),
)]
pub async fn close(
    State(state): State<AppState>,
    signed_in: SignedIn,
    crate::error::RequestLocale(locale): crate::error::RequestLocale,
    Path(id): Path<String>,
    JsonBody(closing): JsonBody<Closing>,
) -> Result<Json<ReferralView>, ApiFailure> {
    let account_id = answerer(&signed_in)?;
    let answer = Answer::Close(closing.outcome);
    answered(&state, account_id, locale, &id, answer).await
}
