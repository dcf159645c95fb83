//! Indirect providers, as the directory lists them (GET /providers).

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Provider {
    pub id: String,
    pub name: String,
    /// Where it is based (ISO 3166-1 alpha-2) and its city.
    pub country: String,
    pub city: String,
    /// Countries it serves resellers in.
    pub countries_served: Vec<String>,
    pub products: Vec<String>,
    /// BCP 47 language tags it supports resellers in.
    pub languages: Vec<String>,
    pub services: Vec<String>,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub description: String,
}

/// One page of a provider search.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct ProviderPage {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub items: Vec<Provider>,
}

/// A reseller's request to partner with a provider.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProviderRequest {
    pub id: i64,
    pub provider_id: String,
    pub provider_name: String,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    pub message: String,
    pub created_at: String,
}
