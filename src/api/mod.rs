//! The typed HTTP client of the REST API (ARCHITECTURE.md, contract v1).
//! The only module that speaks HTTP. Idempotent reads are retried with
//! backoff and jitter; writes carry If-Match or an Idempotency-Key, so a
//! retry can never apply twice (a customer's request for a partner is
//! not retried: one made twice is forgotten unproven within a day).

mod account;
mod customers;
mod directory;
mod drafts;
mod failure;
mod partner_requests;

pub use account::{BusinessProfile, Profile, Versioned};
pub use customers::{InvitationRef, RelationshipAnswer, RelationshipRef};
pub use failure::{describe_trouble, ApiFailure};
pub use partner_requests::{ReferralAnswer, RequestRef};

use enroll_core::address::AddressFormat;
use enroll_core::{ApiErrorBody, Application, Locale, ProgramSettings, ValidationReport};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;

/// The draft this browser tab works on. The token lives only in memory
/// (and in the resume link the user keeps): never in storage or the URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftRef {
    pub id: String,
    pub token: String,
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
        self.request_as(method, path, locale, draft.map(|d| d.token.as_str()))
    }

    /// A request with `token` (a draft's resume token, or a session's) as
    /// its bearer.
    fn request_as(
        &self,
        method: &str,
        path: &str,
        locale: Locale,
        token: Option<&str>,
    ) -> RequestBuilder {
        let url = self.url(path);
        let builder = match method {
            "POST" => Request::post(&url),
            "PUT" => Request::put(&url),
            "DELETE" => Request::delete(&url),
            "PATCH" => Request::patch(&url),
            _ => Request::get(&url),
        };
        let builder = builder
            .header("Accept", "application/json")
            .header("Accept-Language", locale.tag());
        match token {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
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

    /// The program settings `boot.js` asked for while the app was still
    /// downloading (`early`: a promise of the body's text, or of null), if
    /// it did and got them; else from the API now.
    pub async fn program_soon(
        &self,
        early: Option<js_sys::Promise>,
        locale: Locale,
    ) -> Result<ProgramSettings, ApiFailure> {
        if let Some(early) = early {
            let text = wasm_bindgen_futures::JsFuture::from(early).await.ok();
            let settings = text
                .and_then(|t| t.as_string())
                .and_then(|t| serde_json::from_str(&t).ok());
            if let Some(settings) = settings {
                return Ok(settings);
            }
        }
        self.program(locale).await
    }

    /// A book of messages, each locale's text by its tag.
    pub async fn messages(
        &self,
        book: &str,
        locale: Locale,
    ) -> Result<std::collections::BTreeMap<String, String>, ApiFailure> {
        self.get(&format!("/reference/messages/{book}"), locale, None)
            .await
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
}

/// A request's body (one of the contract's types) as JSON. Turned to a
/// value here so that sending it is compiled once, not once per body type.
fn body_of<T: serde::Serialize>(body: &T) -> Result<serde_json::Value, ApiFailure> {
    serde_json::to_value(body).map_err(|_| ApiFailure::Unreadable)
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
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|s| s.trim().parse().ok());
        let body = serde_json::from_str::<ApiErrorBody>(&text).ok();
        return Err(ApiFailure::Status {
            status,
            code: body.as_ref().map(|b| b.error.code),
            message: body.map(|b| b.error.message),
            retry_after,
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
    enroll_core::encoding::hex(&bytes)
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
