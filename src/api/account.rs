//! The partner account: signing in, the second factor, the account. Each
//! call after signing in carries the session's token, which the app keeps
//! in memory only (never in storage, the URL, or an event).

use super::{body_of, read, read_text, ApiClient, ApiFailure};
use enroll_core::account::RolesChange;
use enroll_core::account::{
    AccountView, NewUserRequest, SessionState, TotpConfirmed, TotpOffer, UserView,
};
use enroll_core::contract::{
    Credentials, MfaCode, PasswordChange, ProviderRequests, TotpConfirmation, Users,
};
use enroll_core::domains::{AccountDomains, DomainCode, DomainCodeSent, DomainProofRequest};
use enroll_core::{ErrorCode, Locale};
use serde::de::DeserializeOwned;

const ORGANIZATION_PROFILE: &str = "/account/organization-profile";
const BUSINESS_PROFILE: &str = "/account/business-profile";
const BUSINESS_LOGO: &str = "/account/business-profile/logo";

impl ApiClient {
    /// A POST of `body` (JSON) as `token`, its answer read as `T`. Not
    /// retried: each is a step of signing in, repeated by the user.
    pub(super) async fn post_as<T: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
        locale: Locale,
    ) -> Result<T, ApiFailure> {
        let (value, _) = self.send_as("POST", path, token, body, locale).await?;
        Ok(value)
    }

    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        locale: Locale,
    ) -> Result<SessionState, ApiFailure> {
        let body = body_of(&Credentials {
            email: email.to_owned(),
            password: password.to_owned(),
        })?;
        self.post_as("/session", None, Some(body), locale).await
    }

    /// The second factor's code (or a recovery code) at sign-in.
    pub async fn give_mfa_code(
        &self,
        token: &str,
        code: &str,
        locale: Locale,
    ) -> Result<SessionState, ApiFailure> {
        let body = body_of(&MfaCode {
            code: code.to_owned(),
        })?;
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
        let body = body_of(&PasswordChange {
            current_password: current.to_owned(),
            new_password: new.to_owned(),
        })?;
        self.post_as("/session/password", Some(token), Some(body), locale)
            .await
    }

    pub async fn account(&self, token: &str, locale: Locale) -> Result<AccountView, ApiFailure> {
        let (account, _) = self
            .send_as("GET", "/account", Some(token), None, locale)
            .await?;
        Ok(account)
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
        let body = body_of(&TotpConfirmation {
            code: code.to_owned(),
        })?;
        self.post_as("/account/mfa/totp/confirm", Some(token), Some(body), locale)
            .await
    }

    pub async fn sign_out(&self, token: &str, locale: Locale) -> Result<(), ApiFailure> {
        self.delete_as("/session", token, locale).await
    }

    /// A DELETE as `token`; its answer has no body.
    async fn delete_as(&self, path: &str, token: &str, locale: Locale) -> Result<(), ApiFailure> {
        let response = self
            .request_as("DELETE", path, locale, Some(token))
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read_text(response).await.map(|_| ())
    }
}

/// A profile (the organization's, the business one) and the version to
/// save it against.
#[derive(Clone, Debug, PartialEq)]
pub struct Versioned<T> {
    pub profile: T,
    pub etag: String,
}

impl<T> Versioned<T> {
    /// An answer's body and its `ETag`.
    fn read((profile, etag): (T, Option<String>)) -> Self {
        Self {
            profile,
            etag: etag.unwrap_or_default(),
        }
    }

    /// Whether a save found the profile saved by someone else meanwhile
    /// (412 `profile_changed`): the page loads it again.
    pub fn changed_elsewhere(answer: &Result<Self, ApiFailure>) -> bool {
        answer.as_ref().err().and_then(ApiFailure::code) == Some(ErrorCode::ProfileChanged)
    }
}

/// The organization profile and its version.
pub type Profile = Versioned<enroll_core::organization::OrganizationProfile>;

/// The business profile and its version.
pub type BusinessProfile = Versioned<enroll_core::business_profile::BusinessProfile>;

impl ApiClient {
    /// A request as `token` with a JSON body (or none), read as `T`.
    pub(super) async fn send_as<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
        locale: Locale,
    ) -> Result<(T, Option<String>), ApiFailure> {
        let request = self.request_as(method, path, locale, token);
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
        read(sent.map_err(|_| ApiFailure::Unreachable)?).await
    }

    pub async fn users(&self, token: &str, locale: Locale) -> Result<Vec<UserView>, ApiFailure> {
        let (users, _): (Users, _) = self
            .send_as("GET", "/account/users", Some(token), None, locale)
            .await?;
        Ok(users.items)
    }

    pub async fn add_user(
        &self,
        token: &str,
        user: &NewUserRequest,
        locale: Locale,
    ) -> Result<UserView, ApiFailure> {
        let body = body_of(user)?;
        let (added, _) = self
            .send_as("POST", "/account/users", Some(token), Some(body), locale)
            .await?;
        Ok(added)
    }

    pub async fn change_roles(
        &self,
        token: &str,
        id: &str,
        roles: &[String],
        locale: Locale,
    ) -> Result<UserView, ApiFailure> {
        let body = body_of(&RolesChange {
            roles: roles.to_vec(),
        })?;
        let path = format!("/account/users/{id}");
        let (changed, _) = self
            .send_as("PATCH", &path, Some(token), Some(body), locale)
            .await?;
        Ok(changed)
    }

    pub async fn remove_user(
        &self,
        token: &str,
        id: &str,
        locale: Locale,
    ) -> Result<(), ApiFailure> {
        self.delete_as(&format!("/account/users/{id}"), token, locale)
            .await
    }

    pub async fn resend_invitation(
        &self,
        token: &str,
        id: &str,
        locale: Locale,
    ) -> Result<UserView, ApiFailure> {
        let path = format!("/account/users/{id}/invitation");
        let (user, _) = self
            .send_as("POST", &path, Some(token), None, locale)
            .await?;
        Ok(user)
    }

    /// The domains the account's users may have addresses in.
    pub async fn domains(&self, token: &str, locale: Locale) -> Result<AccountDomains, ApiFailure> {
        let (domains, _) = self
            .send_as("GET", "/account/domains", Some(token), None, locale)
            .await?;
        Ok(domains)
    }

    /// Emails a code proving `request.domain` to `request.email`.
    pub async fn prove_domain(
        &self,
        token: &str,
        request: &DomainProofRequest,
        locale: Locale,
    ) -> Result<DomainCodeSent, ApiFailure> {
        let body = body_of(request)?;
        self.post_as("/account/domains", Some(token), Some(body), locale)
            .await
    }

    /// The emailed code for `domain`: the account's domains once proven.
    pub async fn verify_domain(
        &self,
        token: &str,
        domain: &str,
        code: &DomainCode,
        locale: Locale,
    ) -> Result<AccountDomains, ApiFailure> {
        let body = body_of(code)?;
        let path = format!("/account/domains/{domain}/verify");
        self.post_as(&path, Some(token), Some(body), locale).await
    }

    /// A profile at `path` with its version.
    async fn versioned<T: DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
        locale: Locale,
    ) -> Result<Versioned<T>, ApiFailure> {
        let answer = self.send_as("GET", path, Some(token), None, locale).await?;
        Ok(Versioned::read(answer))
    }

    /// Saves a profile at `path` against the version it was read at.
    async fn save_versioned<T: serde::Serialize + DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
        sent: &Versioned<T>,
        locale: Locale,
    ) -> Result<Versioned<T>, ApiFailure> {
        let response = self
            .request_as("PUT", path, locale, Some(token))
            .header("If-Match", &sent.etag)
            .json(&sent.profile)
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        Ok(Versioned::read(read(response).await?))
    }

    pub async fn organization_profile(
        &self,
        token: &str,
        locale: Locale,
    ) -> Result<Profile, ApiFailure> {
        self.versioned(ORGANIZATION_PROFILE, token, locale).await
    }

    pub async fn save_organization_profile(
        &self,
        token: &str,
        profile: &Profile,
        locale: Locale,
    ) -> Result<Profile, ApiFailure> {
        self.save_versioned(ORGANIZATION_PROFILE, token, profile, locale)
            .await
    }

    pub async fn business_profile(
        &self,
        token: &str,
        locale: Locale,
    ) -> Result<BusinessProfile, ApiFailure> {
        self.versioned(BUSINESS_PROFILE, token, locale).await
    }

    pub async fn save_business_profile(
        &self,
        token: &str,
        profile: &BusinessProfile,
        locale: Locale,
    ) -> Result<BusinessProfile, ApiFailure> {
        self.save_versioned(BUSINESS_PROFILE, token, profile, locale)
            .await
    }

    /// Uploads the business profile's logo: the file as it is (the server
    /// tells PNG from JPEG by its bytes, and cleans it); `None` removes it.
    pub async fn set_business_logo(
        &self,
        token: &str,
        file: Option<web_sys::File>,
        locale: Locale,
    ) -> Result<BusinessProfile, ApiFailure> {
        let sent = match file {
            Some(file) => {
                self.request_as("PUT", BUSINESS_LOGO, locale, Some(token))
                    .body(file)
                    .map_err(|_| ApiFailure::Unreadable)?
                    .send()
                    .await
            }
            None => {
                self.request_as("DELETE", BUSINESS_LOGO, locale, Some(token))
                    .send()
                    .await
            }
        };
        let answer = read(sent.map_err(|_| ApiFailure::Unreachable)?).await?;
        Ok(Versioned::read(answer))
    }

    pub async fn provider_relationships(
        &self,
        token: &str,
        locale: Locale,
    ) -> Result<Vec<enroll_core::ProviderRequest>, ApiFailure> {
        let (requests, _): (ProviderRequests, _) = self
            .send_as(
                "GET",
                "/account/provider-relationships",
                Some(token),
                None,
                locale,
            )
            .await?;
        Ok(requests.items)
    }
}
