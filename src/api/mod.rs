//! The typed HTTP client of the REST API (ARCHITECTURE.md, contract v1).
//! The only module that speaks HTTP.

use enroll_core::{ApiErrorBody, Locale, ProgramSettings};
use gloo_net::http::Request;

/// Why a request did not give what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// No answer: offline, the server down, or blocked by the browser.
    Unreachable,
    /// The server answered with an error, worded in the user's locale when
    /// it said why.
    Status {
        status: u16,
        message: Option<String>,
    },
    /// The server answered with something that is not the contract.
    Unreadable,
}

impl ApiFailure {
    /// The catalog key of the message to show.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Unreachable => "app.unreachable",
            Self::Status { .. } | Self::Unreadable => "app.server_error",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiClient {
    /// Origin the `/api/v1` paths are appended to; empty for the page's own.
    base: String,
}

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

    /// `locale` goes out as `Accept-Language`, so server messages match.
    pub async fn program(&self, locale: Locale) -> Result<ProgramSettings, ApiFailure> {
        let response = Request::get(&self.url("/program"))
            .header("Accept", "application/json")
            .header("Accept-Language", locale.tag())
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        if !response.ok() {
            let message = response
                .json::<ApiErrorBody>()
                .await
                .ok()
                .map(|body| body.error.message);
            return Err(ApiFailure::Status {
                status: response.status(),
                message,
            });
        }
        response.json().await.map_err(|_| ApiFailure::Unreadable)
    }
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
