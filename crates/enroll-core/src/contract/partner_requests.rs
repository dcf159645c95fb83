//! A customer looking for a partner: the request's answers, the proof of
//! the address, and the request's page.

use serde::{Deserialize, Serialize};

use crate::matching::Needs;
use crate::outbox::Delivery;
use crate::partner_request::RequestContact;
use crate::referral::{Deal, ReferralStatus, RequestStatus};

/// `POST /partner-requests` answered: the request, and the token that
/// opens it (sent back as `Authorization: Bearer`). No `Debug`: the token
/// opens the request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct PartnerRequestCreated {
    pub id: String,
    /// Shown once: only its hash is kept.
    pub token: String,
}

/// `POST /partner-requests/{id}/email/verify`. No `Debug`: the code
/// proves an address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Default)]
#[serde(default)]
pub struct RequestProof {
    /// The 6 digits from the email (spaces are fine).
    pub code: String,
    /// The page the emailed link to the request opens (the app's address
    /// on the host site): an address on one of the configured host
    /// origins; defaults to the server's public address.
    pub link_base: Option<String>,
}

/// Who will contact the customer, once a partner accepted.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RequestPartner {
    /// The company's legal name.
    pub name: String,
    /// Its website, from its business profile.
    pub website: String,
    pub logo_url: Option<String>,
}

/// `GET /partner-requests/{id}`: where the request stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PartnerRequestView {
    pub id: String,
    pub status: RequestStatus,
    /// The customer's language.
    pub locale: String,
    pub needs: Needs,
    /// As the customer gave it (the token holder is the customer).
    pub contact: RequestContact,
    /// When it was made (UTC, RFC 3339).
    pub created_at: String,
    /// While the address is not proven: where the newest code's email is
    /// (`failed` or `expired`: it will not arrive); `null` before any.
    pub code_delivery: Option<Delivery>,
    /// Once a partner accepted: who will contact the customer.
    pub partner: Option<RequestPartner>,
}

/// A referral as the partner's referrals admins see it
/// (`GET /account/referrals/{id}`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ReferralView {
    pub id: String,
    pub status: ReferralStatus,
    /// What the customer needs.
    pub needs: Needs,
    /// Why it matched, worded in the reader's language
    /// (`Accept-Language`: "Azure", "Healthcare", "Berlin").
    pub reasons: Vec<String>,
    /// The language the customer wrote in (`zh-CN`).
    pub locale: String,
    /// When it arrived (UTC, RFC 3339).
    pub received_at: String,
    /// Unanswered by then, it expires and goes to the next partner.
    pub expires_at: String,
    /// Once accepted: the deal.
    pub deal: Option<Deal>,
    /// Once declined: why.
    pub decline_reason: Option<String>,
    /// The customer's contact: `null` until the partner accepts, and only
    /// then.
    pub contact: Option<RequestContact>,
}

/// `GET /account/referrals`: newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Referrals {
    pub items: Vec<ReferralView>,
}
