//! The typed HTTP client of the REST API (ARCHITECTURE.md, contract v1).
//! The only module that speaks HTTP. Idempotent reads are retried with
//! backoff and jitter; writes carry If-Match or an Idempotency-Key, so a
//! retry can never apply twice.

use enroll_core::address::AddressFormat;
use enroll_core::{
    Answers, ApiErrorBody, Application, Locale, ProgramSettings, Provider, ProviderPage,
    ProviderRequest, ValidationReport,
};
use enroll_finder::{CompactDirectory, Facets, FinderQuery, SortOrder};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Why a request did not give what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// No answer: offline, the server down, or blocked by the browser.
    Unreachable,
    /// The server answered with an error, with its stable code and a
    /// message in the user's locale when it said why.
    Status {
        status: u16,
        code: Option<String>,
        message: Option<String>,
    },
    /// The answers are not valid (422 on submit, or a save over a cap).
    Invalid(ValidationReport),
    /// The server answered with something that is not the contract.
    Unreadable,
}

impl ApiFailure {
    /// The catalog key of the message to show.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Unreachable => "app.unreachable",
            _ => "app.server_error",
        }
    }

    /// What to tell the user: the server's own words when it gave them
    /// (already in the user's language), else the app's.
    pub fn describe(&self, i18n: &crate::i18n::I18n) -> String {
        match self {
            Self::Status {
                message: Some(message),
                ..
            } => message.clone(),
            Self::Invalid(_) => i18n.t("app.invalid_answers"),
            other => i18n.t(other.message_key()),
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Status { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// The draft this browser tab works on. The token lives only in memory
/// (and in the resume link the user keeps): never in storage or the URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftRef {
    pub id: String,
    pub token: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MpnEntry {
    pub mpn_id: String,
    pub company_name: String,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct HistoryEntry {
    pub status: enroll_core::ApplicationStatus,
    pub reason: Option<String>,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StatusView {
    pub status: enroll_core::ApplicationStatus,
    pub history: Vec<HistoryEntry>,
}

/// An application as saved, with the ETag to send next.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    pub application: Application,
    pub etag: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiClient {
    /// Origin the `/api/v1` paths are appended to; empty for the page's own.
    base: String,
}

/// Attempts for a read before giving up (backoff 300 ms, 600 ms, ...).
const READ_ATTEMPTS: u32 = 3;

impl ApiClient {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// The full URL of a contract path such as `/program`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.base, path)
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        locale: Locale,
        draft: Option<&DraftRef>,
    ) -> RequestBuilder {
        let url = self.url(path);
        let builder = match method {
            "POST" => Request::post(&url),
            "PUT" => Request::put(&url),
            _ => Request::get(&url),
        };
        let builder = builder
            .header("Accept", "application/json")
            .header("Accept-Language", locale.tag());
        match draft {
            Some(draft) => builder.header("Authorization", &format!("Bearer {}", draft.token)),
            None => builder,
        }
    }

    /// A GET, retried on network failures and 5xx with backoff and jitter.
    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        locale: Locale,
        draft: Option<&DraftRef>,
    ) -> Result<T, ApiFailure> {
        let text = self.get_text(path, locale, draft).await?;
        serde_json::from_str(&text).map_err(|_| ApiFailure::Unreadable)
    }

    /// The body of a GET, retried on network errors and 5xx. Not generic,
    /// so its future is compiled once, not once per type read.
    async fn get_text(
        &self,
        path: &str,
        locale: Locale,
        draft: Option<&DraftRef>,
    ) -> Result<String, ApiFailure> {
        let mut attempt = 0;
        loop {
            let result = match self.request("GET", path, locale, draft).send().await {
                Ok(response) => read_text(response).await.map(|(body, _)| body),
                Err(_) => Err(ApiFailure::Unreachable),
            };
            let retryable = matches!(&result, Err(ApiFailure::Unreachable))
                || matches!(&result, Err(ApiFailure::Status { status, .. }) if *status >= 500);
            attempt += 1;
            if !retryable || attempt >= READ_ATTEMPTS {
                return result;
            }
            let jitter = (js_sys::Math::random() * 200.0) as u32;
            gloo_timers::future::TimeoutFuture::new(300 * 2u32.pow(attempt - 1) + jitter).await;
        }
    }

    pub async fn program(&self, locale: Locale) -> Result<ProgramSettings, ApiFailure> {
        self.get("/program", locale, None).await
    }

    pub async fn address_format(
        &self,
        country: &str,
        locale: Locale,
    ) -> Result<AddressFormat, ApiFailure> {
        self.get(
            &format!("/reference/address-formats/{country}"),
            locale,
            None,
        )
        .await
    }

    pub async fn free_email_domains(&self, locale: Locale) -> Result<Vec<String>, ApiFailure> {
        self.get("/reference/free-email-domains", locale, None)
            .await
    }

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

    /// Creates the draft (on the first Continue).
    pub async fn create(
        &self,
        answers: &Answers,
        locale: Locale,
    ) -> Result<(DraftRef, Saved), ApiFailure> {
        let mut body = serde_json::to_value(answers).map_err(|_| ApiFailure::Unreadable)?;
        body["locale"] = serde_json::Value::String(locale.tag().to_owned());
        let response = self
            .request("POST", "/applications", locale, None)
            .json(&body)
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let (value, etag): (serde_json::Value, _) = read(response).await?;
        let token = value["resume_token"]
            .as_str()
            .ok_or(ApiFailure::Unreadable)?
            .to_owned();
        let application: Application =
            serde_json::from_value(value).map_err(|_| ApiFailure::Unreadable)?;
        let draft = DraftRef {
            id: application.id.clone(),
            token,
        };
        Ok((
            draft,
            Saved {
                application,
                etag: etag.unwrap_or_default(),
            },
        ))
    }

    pub async fn load(&self, draft: &DraftRef, locale: Locale) -> Result<Saved, ApiFailure> {
        let response = self
            .request(
                "GET",
                &format!("/applications/{}", draft.id),
                locale,
                Some(draft),
            )
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let (application, etag) = read(response).await?;
        Ok(Saved {
            application,
            etag: etag.unwrap_or_default(),
        })
    }

    /// Autosave with If-Match; 412 comes back as a `Status` failure.
    pub async fn save(
        &self,
        draft: &DraftRef,
        etag: &str,
        answers: &Answers,
        locale: Locale,
    ) -> Result<Saved, ApiFailure> {
        let mut body = serde_json::to_value(answers).map_err(|_| ApiFailure::Unreadable)?;
        body["locale"] = serde_json::Value::String(locale.tag().to_owned());
        let response = self
            .request(
                "PUT",
                &format!("/applications/{}", draft.id),
                locale,
                Some(draft),
            )
            .header("If-Match", etag)
            .json(&body)
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let (application, etag) = read(response).await?;
        Ok(Saved {
            application,
            etag: etag.unwrap_or_default(),
        })
    }

    /// Submits exactly the version `etag` names; the same `key` always gets
    /// the same answer, so a retry or a double click submits once.
    pub async fn submit(
        &self,
        draft: &DraftRef,
        etag: &str,
        key: &str,
        locale: Locale,
    ) -> Result<Saved, ApiFailure> {
        let response = self
            .request(
                "POST",
                &format!("/applications/{}/submit", draft.id),
                locale,
                Some(draft),
            )
            .header("If-Match", etag)
            .header("Idempotency-Key", key)
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let (application, etag) = read(response).await?;
        Ok(Saved {
            application,
            etag: etag.unwrap_or_default(),
        })
    }

    /// Emails the resume link (`link_base` + the fragment) to the admin.
    pub async fn resume_email(
        &self,
        draft: &DraftRef,
        link_base: &str,
        locale: Locale,
    ) -> Result<(), ApiFailure> {
        let response = self
            .request(
                "POST",
                &format!("/applications/{}/resume-email", draft.id),
                locale,
                Some(draft),
            )
            // One key per press: should this request be sent again (a
            // retry, a proxy), the server queues the email once.
            .header("Idempotency-Key", &new_idempotency_key())
            .json(&serde_json::json!({ "link_base": link_base }))
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read::<serde_json::Value>(response).await.map(|_| ())
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
            .json(&serde_json::json!({ "message": message }))
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read(response).await.map(|(request, _)| request)
    }

    /// This applicant's partnership requests, oldest first.
    pub async fn partnership_requests(
        &self,
        draft: &DraftRef,
        locale: Locale,
    ) -> Result<Vec<ProviderRequest>, ApiFailure> {
        #[derive(Deserialize)]
        struct Requests {
            items: Vec<ProviderRequest>,
        }
        let list: Requests = self
            .get(
                &format!("/applications/{}/provider-requests", draft.id),
                locale,
                Some(draft),
            )
            .await?;
        Ok(list.items)
    }

    pub async fn status(&self, draft: &DraftRef, locale: Locale) -> Result<StatusView, ApiFailure> {
        self.get(
            &format!("/applications/{}/status", draft.id),
            locale,
            Some(draft),
        )
        .await
    }
}

/// The body of a 2xx answer and its ETag, or the failure it describes.
async fn read<T: DeserializeOwned>(response: Response) -> Result<(T, Option<String>), ApiFailure> {
    let (text, etag) = read_text(response).await?;
    let body = serde_json::from_str(&text).map_err(|_| ApiFailure::Unreadable)?;
    Ok((body, etag))
}

/// `read`, the body as text.
async fn read_text(response: Response) -> Result<(String, Option<String>), ApiFailure> {
    if !response.ok() {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        // A 422 is a validation report (submit, or a save over a cap);
        // every other error the contract's `{"error": …}`.
        if status == 422 {
            if let Ok(report) = serde_json::from_str::<ValidationReport>(&text) {
                return Err(ApiFailure::Invalid(report));
            }
        }
        let body = serde_json::from_str::<ApiErrorBody>(&text).ok();
        return Err(ApiFailure::Status {
            status,
            code: body.as_ref().map(|b| b.error.code.clone()),
            message: body.map(|b| b.error.message),
        });
    }
    let etag = response.headers().get("etag");
    let text = response.text().await.map_err(|_| ApiFailure::Unreadable)?;
    Ok((text, etag))
}

/// A fresh Idempotency-Key for one submission.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_the_base_without_double_slashes() {
        assert_eq!(ApiClient::new("").url("/program"), "/api/v1/program");
        assert_eq!(
            ApiClient::new("https://api.example/").url("/program"),
            "https://api.example/api/v1/program"
        );
    }
}
