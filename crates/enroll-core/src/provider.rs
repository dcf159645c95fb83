//! Indirect providers, as the directory lists them (GET /providers).

use crate::{msg, MessageKey};
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

impl ProviderRequest {
    /// The status as the reseller reads it; `None` for one this version
    /// does not know (a newer server's), shown as sent.
    pub fn status_key(&self) -> Option<MessageKey> {
        Some(match self.status.as_str() {
            "pending" => msg::FINDER_REQUEST_STATUS_PENDING,
            "accepted" => msg::FINDER_REQUEST_STATUS_ACCEPTED,
            "declined" => msg::FINDER_REQUEST_STATUS_DECLINED,
            _ => return None,
        })
    }
}

/// The catalog's name for a service as the directory spells it ("24/7
/// support"); `None` for one it does not word, shown as spelled.
pub fn service_label(service: &str) -> Option<MessageKey> {
    Some(match service {
        "licensing" => msg::FINDER_SERVICE_LICENSING,
        "migration" => msg::FINDER_SERVICE_MIGRATION,
        "managed services" => msg::FINDER_SERVICE_MANAGED_SERVICES,
        "security" => msg::FINDER_SERVICE_SECURITY,
        "training" => msg::FINDER_SERVICE_TRAINING,
        "24/7 support" => msg::FINDER_SERVICE_SUPPORT_24X7,
        "billing" => msg::FINDER_SERVICE_BILLING,
        "deployment" => msg::FINDER_SERVICE_DEPLOYMENT,
        _ => return None,
    })
}
