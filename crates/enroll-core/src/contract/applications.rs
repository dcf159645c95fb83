//! An applicant's draft: creating and saving it, proving the admin
//! address, the resume email, and the review status.

use serde::{Deserialize, Serialize};

use crate::outbox::Delivery;
use crate::{Answers, Application, ApplicationStatus};

/// The body of `POST /applications` and `PUT /applications/{id}`: the
/// answers (any may be left out) and the draft's locale.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Deserialize, Clone, Debug, PartialEq, Default)]
pub struct DraftAnswers {
    #[serde(flatten)]
    pub answers: Answers,
    /// `en-US` or `zh-CN`: the language of the application's emails; any
    /// other value keeps the draft's (at creation, the request's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// A new draft as `POST /applications` answers it: the application and,
/// this once, the secret that opens it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct CreatedApplication {
    #[serde(flatten)]
    pub application: Application,
    /// Bearer token of every `/applications/{id}/...` request; shown only
    /// here (the server keeps its hash).
    pub resume_token: String,
}

// The app writes `DraftAnswers` and reads `CreatedApplication` on its
// first page. serde's `flatten` would compile the whole of `Answers` (or
// `Application`) once more for its own (de)serializer, 4 KB of the first
// page's wasm; these go through a JSON value instead, whose code the app
// has anyway. The wire is the same (tests/contract_examples.rs).

impl Serialize for DraftAnswers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let mut value = serde_json::to_value(&self.answers).map_err(S::Error::custom)?;
        if let (Some(map), Some(locale)) = (value.as_object_mut(), &self.locale) {
            map.insert("locale".to_owned(), locale.clone().into());
        }
        value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CreatedApplication {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut value = serde_json::Value::deserialize(deserializer)?;
        let resume_token = value
            .as_object_mut()
            .and_then(|map| map.remove("resume_token"))
            .and_then(|token| token.as_str().map(str::to_owned))
            .ok_or_else(|| D::Error::missing_field("resume_token"))?;
        let application = Application::deserialize(value).map_err(D::Error::custom)?;
        Ok(Self {
            application,
            resume_token,
        })
    }
}

/// One status an application has had.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub status: ApplicationStatus,
    /// The reviewer's reason, where one was given.
    pub reason: Option<String>,
    /// When (UTC, RFC 3339).
    pub at: String,
}

/// Where an application is, and how it got there.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct StatusHistory {
    pub id: String,
    pub status: ApplicationStatus,
    /// When the status last changed (UTC, RFC 3339).
    pub updated_at: String,
    /// Every status it has had, oldest first, with the reviewer's reasons.
    pub history: Vec<HistoryEntry>,
}

/// A code is on its way to the admin address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AdminEmailCodeSent {
    /// The admin address it went to.
    pub to: String,
    /// How long the code works.
    pub expires_in_secs: u64,
}

/// `POST /applications/{id}/admin-email/verify`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AdminEmailCode {
    /// The 6 digits from the email (spaces are fine).
    pub code: String,
}

/// The admin address is proven.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AdminEmailConfirmed {
    pub confirmed: bool,
    /// The address the code proved.
    pub email: String,
}

/// Where the newest code's email is on its way.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AdminEmailDelivery {
    /// `queued` or `sending`: on its way; `retrying`: the mail relay said
    /// "later" and it is tried again; `sent`: the relay took it (it may
    /// still be in a spam folder); `failed` or `expired`: it will not
    /// arrive (check the address, or send a new code).
    pub delivery: Delivery,
}

/// `POST /applications/{id}/resume-email` (the body may be left out).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct ResumeEmailRequest {
    /// The page the link opens (the app's address on the host site): an
    /// address on one of the configured host origins; defaults to the
    /// server's public address.
    pub link_base: Option<String>,
}

/// What `POST .../resume-email` queued, and to whom.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ResumeEmailQueued {
    pub queued: bool,
    /// The admin address the link goes to.
    pub to: String,
}
