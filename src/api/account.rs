//! The partner account: signing in, the second factor, the account. Each
//! call after signing in carries the session's token, which the app keeps
//! in memory only (never in storage, the URL, or an event).

use super::{read, read_text, ApiClient, ApiFailure};
use enroll_core::account::{AccountView, SessionState, TotpConfirmed, TotpOffer};
use enroll_core::Locale;
use serde::de::DeserializeOwned;
use serde_json::json;

impl ApiClient {
    /// A POST of `body` (JSON) as `token`, its answer read as `T`. Not
    /// retried: each is a step of signing in, repeated by the user.
    async fn post_as<T: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
        locale: Locale,
    ) -> Result<T, ApiFailure> {
        let request = self.request_as("POST", path, locale, token);
        let sent = match body {
            Some(body) => {
                request
                    .json(&body)
                    .map_err(|_| ApiFailure::Unreadable)?
                    .send()
                    .await
            }
            None => request.send().await,
        };
        let response = sent.map_err(|_| ApiFailure::Unreachable)?;
        read(response).await.map(|(value, _)| value)
    }

    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        locale: Locale,
    ) -> Result<SessionState, ApiFailure> {
        let body = json!({ "email": email, "password": password });
        self.post_as("/session", None, Some(body), locale).await
    }

    /// The second factor's code (or a recovery code) at sign-in.
    pub async fn give_mfa_code(
        &self,
        token: &str,
        code: &str,
        locale: Locale,
    ) -> Result<SessionState, ApiFailure> {
        let body = json!({ "code": code });
        self.post_as("/session/mfa", Some(token), Some(body), locale)
            .await
    }

    pub async fn change_password(
        &self,
        token: &str,
        current: &str,
        new: &str,
        locale: Locale,
    ) -> Result<SessionState, ApiFailure> {
        let body = json!({ "current_password": current, "new_password": new });
        self.post_as("/session/password", Some(token), Some(body), locale)
            .await
    }

    pub async fn account(&self, token: &str, locale: Locale) -> Result<AccountView, ApiFailure> {
        let response = self
            .request_as("GET", "/account", locale, Some(token))
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read(response).await.map(|(value, _)| value)
    }

    pub async fn start_totp(&self, token: &str, locale: Locale) -> Result<TotpOffer, ApiFailure> {
        self.post_as("/account/mfa/totp", Some(token), None, locale)
            .await
    }

    pub async fn confirm_totp(
        &self,
        token: &str,
        code: &str,
        locale: Locale,
    ) -> Result<TotpConfirmed, ApiFailure> {
        let body = json!({ "code": code });
        self.post_as("/account/mfa/totp/confirm", Some(token), Some(body), locale)
            .await
    }

    pub async fn sign_out(&self, token: &str, locale: Locale) -> Result<(), ApiFailure> {
        let response = self
            .request_as("DELETE", "/session", locale, Some(token))
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read_text(response).await.map(|_| ())
    }
}
