//! The provider directory and the MPN lookup: public reads, and the
//! applicant's requests to partner.

use super::{body_of, read, ApiClient, ApiFailure, DraftRef};
use enroll_core::contract::{MpnEntry, PartnershipRequest};
use enroll_core::{Locale, Provider, ProviderPage, ProviderRequest};
use enroll_finder::{CompactDirectory, Facets, FinderQuery, SortOrder};

impl ApiClient {
    /// The company an MPN ID belongs to; `Ok(None)` when the directory
    /// does not know it.
    pub async fn mpn(&self, mpn_id: &str, locale: Locale) -> Result<Option<MpnEntry>, ApiFailure> {
        match self.get(&format!("/mpn/{mpn_id}"), locale, None).await {
            Ok(entry) => Ok(Some(entry)),
            Err(ApiFailure::Status {
                status: 404 | 400, ..
            }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// How many providers the directory has.
    pub async fn provider_count(&self, locale: Locale) -> Result<usize, ApiFailure> {
        let page: ProviderPage = self.get("/providers?per_page=1", locale, None).await?;
        Ok(page.total)
    }

    /// The whole directory, compact, for searching in the browser. The
    /// browser's HTTP cache revalidates it by its ETag (`no-cache`).
    pub async fn provider_index(&self, locale: Locale) -> Result<CompactDirectory, ApiFailure> {
        let text = self.get_text("/providers/index", locale, None).await?;
        CompactDirectory::from_json(&text).map_err(|_| ApiFailure::Unreadable)
    }

    /// The filters' options, when the directory is searched on the server.
    pub async fn provider_filters(&self, locale: Locale) -> Result<Facets, ApiFailure> {
        self.get("/providers/filters", locale, None).await
    }

    /// One page of a search on the server (same index and ranking).
    pub async fn search_providers(
        &self,
        query: &FinderQuery,
        page: usize,
        per_page: usize,
        locale: Locale,
    ) -> Result<ProviderPage, ApiFailure> {
        let mut path = format!("/providers?page={page}&per_page={per_page}");
        let sort = match query.sort {
            SortOrder::Relevance => "relevance",
            SortOrder::Name => "name",
        };
        path.push_str(&format!("&sort={sort}"));
        let pairs = [
            ("q", Some(&query.text).filter(|t| !t.trim().is_empty())),
            ("country", query.country.as_ref()),
            ("product", query.product.as_ref()),
            ("language", query.language.as_ref()),
            ("service", query.service.as_ref()),
        ];
        for (key, value) in pairs {
            if let Some(value) = value {
                let encoded = String::from(js_sys::encode_uri_component(value));
                path.push_str(&format!("&{key}={encoded}"));
            }
        }
        self.get(&path, locale, None).await
    }

    pub async fn provider(&self, id: &str, locale: Locale) -> Result<Provider, ApiFailure> {
        let encoded = String::from(js_sys::encode_uri_component(id));
        self.get(&format!("/providers/{encoded}"), locale, None)
            .await
    }

    /// Asks a provider to partner. Safe to retry: the API keeps one request
    /// per applicant and provider and answers the existing one.
    pub async fn request_partnership(
        &self,
        draft: &DraftRef,
        provider_id: &str,
        message: &str,
        locale: Locale,
    ) -> Result<ProviderRequest, ApiFailure> {
        let encoded = String::from(js_sys::encode_uri_component(provider_id));
        let response = self
            .request(
                "POST",
                &format!("/providers/{encoded}/requests"),
                locale,
                Some(draft),
            )
            .json(&body_of(&PartnershipRequest {
                message: message.to_owned(),
            })?)
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read(response).await.map(|(request, _)| request)
    }
}
