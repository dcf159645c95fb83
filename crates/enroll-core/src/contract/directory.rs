//! The MPN lookup and an applicant's requests to indirect providers.

use serde::{Deserialize, Serialize};

use crate::ProviderRequest;

/// The company an MPN ID is registered to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct MpnEntry {
    pub mpn_id: String,
    pub company_name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// `POST /providers/{id}/requests` (the body may be left out).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct PartnershipRequest {
    /// To the provider, several lines at most 1,000 characters.
    pub message: String,
}

/// An applicant's, or an account's, requests to providers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProviderRequests {
    /// Oldest first.
    pub items: Vec<ProviderRequest>,
}
