//! A customer's request for a partner: made, its address proven, read
//! again. The request's token is kept in memory only (and in the link
//! emailed to the customer): never in storage, the URL's query or an
//! event.

use super::{body_of, ApiClient, ApiFailure};
use enroll_core::contract::{
    EmailCodeSent, PartnerRequestCreated, PartnerRequestView, RequestProof,
};
use enroll_core::partner_request::PartnerRequest;
use enroll_core::Locale;

/// The request this tab follows: its id and the token that opens it
/// (`Debug` without the token).
#[derive(Clone, PartialEq, Eq)]
pub struct RequestRef {
    pub id: String,
    pub token: String,
}

impl std::fmt::Debug for RequestRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestRef")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// Keeps the request, unproven: no partner hears of it yet.
    pub async fn ask_for_partner(
        &self,
        request: &PartnerRequest,
        locale: Locale,
    ) -> Result<RequestRef, ApiFailure> {
        let body = body_of(request)?;
        let made: PartnerRequestCreated = self
            .post_as("/partner-requests", None, Some(body), locale)
            .await?;
        Ok(RequestRef {
            id: made.id,
            token: made.token,
        })
    }

    /// Emails a code to the request's address.
    pub async fn send_request_code(
        &self,
        request: &RequestRef,
        locale: Locale,
    ) -> Result<EmailCodeSent, ApiFailure> {
        let path = format!("/partner-requests/{}/email/code", request.id);
        self.post_as(&path, Some(&request.token), None, locale)
            .await
    }

    /// The emailed code: the request as it now stands, with a partner's
    /// if one matched. The link emailed opens `link_base`.
    pub async fn verify_request_code(
        &self,
        request: &RequestRef,
        code: &str,
        link_base: &str,
        locale: Locale,
    ) -> Result<PartnerRequestView, ApiFailure> {
        let body = body_of(&RequestProof {
            code: code.to_owned(),
            link_base: (!link_base.is_empty()).then(|| link_base.to_owned()),
        })?;
        let path = format!("/partner-requests/{}/email/verify", request.id);
        self.post_as(&path, Some(&request.token), Some(body), locale)
            .await
    }

    /// Where the request stands.
    pub async fn partner_request(
        &self,
        request: &RequestRef,
        locale: Locale,
    ) -> Result<PartnerRequestView, ApiFailure> {
        let path = format!("/partner-requests/{}", request.id);
        let (view, _) = self
            .send_as("GET", &path, Some(&request.token), None, locale)
            .await?;
        Ok(view)
    }
}

/// A partner's answer to a referral, as the inbox sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferralAnswer {
    Accept(enroll_core::referral::Deal),
    /// With the reason.
    Decline(String),
    Close(enroll_core::referral::Outcome),
}

impl ApiClient {
    /// The partner's referrals, newest first (those in `status`, if given).
    pub async fn referrals(
        &self,
        token: &str,
        status: Option<enroll_core::referral::ReferralStatus>,
        locale: Locale,
    ) -> Result<Vec<enroll_core::contract::ReferralView>, ApiFailure> {
        let path = match status {
            Some(status) => format!("/account/referrals?status={}", status.as_str()),
            None => "/account/referrals".to_owned(),
        };
        let (list, _): (enroll_core::contract::Referrals, _) = self
            .send_as("GET", &path, Some(token), None, locale)
            .await?;
        Ok(list.items)
    }

    /// The partner's referral `id`.
    pub async fn referral(
        &self,
        token: &str,
        id: &str,
        locale: Locale,
    ) -> Result<enroll_core::contract::ReferralView, ApiFailure> {
        let path = format!("/account/referrals/{id}");
        let (referral, _) = self
            .send_as("GET", &path, Some(token), None, locale)
            .await?;
        Ok(referral)
    }

    /// Answers the referral `id`: the referral as it now is.
    pub async fn answer_referral(
        &self,
        token: &str,
        id: &str,
        answer: &ReferralAnswer,
        locale: Locale,
    ) -> Result<enroll_core::contract::ReferralView, ApiFailure> {
        use enroll_core::referral::{Closing, Declining};
        let (what, body) = match answer {
            ReferralAnswer::Accept(deal) => ("accept", body_of(deal)?),
            ReferralAnswer::Decline(reason) => (
                "decline",
                body_of(&Declining {
                    reason: reason.clone(),
                })?,
            ),
            ReferralAnswer::Close(outcome) => ("close", body_of(&Closing { outcome: *outcome })?),
        };
        let path = format!("/account/referrals/{id}/{what}");
        self.post_as(&path, Some(token), Some(body), locale).await
    }
}
