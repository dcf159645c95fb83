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
    #[serde(default)]
    pub locale: Option<String>,
}

/// A new draft as `POST /applications` answers it: the application and,
/// this once, the secret that opens it. No `Debug`: the token is a secret.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Clone, PartialEq)]
pub struct CreatedApplication {
    #[serde(flatten)]
    pub application: Application,
    /// Bearer token of every `/applications/{id}/...` request; shown only
    /// here (the server keeps its hash).
    pub resume_token: String,
}

// The app writes `DraftAnswers` and reads `CreatedApplication` on its
// first page, through a JSON value (`json_of`, `from_json`): serde's
// `flatten` would compile the whole of `Answers` (or `Application`) once
// more for its own (de)serializer, KBs of the first page's wasm, where the
// value's code is there anyway. The wire is the same either way
// (crates/enroll-api/tests/contract_examples.rs reads and writes the
// examples).

impl DraftAnswers {
    /// The body as JSON: `answers`, with `locale` beside them. Borrowed
    /// rather than from a `DraftAnswers`: the app saves often, and would
    /// copy the answers to make one.
    pub fn json_of(
        answers: &Answers,
        locale: Option<&str>,
    ) -> Result<serde_json::Value, serde_json::Error> {
        let mut value = serde_json::to_value(answers)?;
        if let Some(locale) = locale {
            value["locale"] = locale.into();
        }
        Ok(value)
    }
}

impl Serialize for DraftAnswers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        Self::json_of(&self.answers, self.locale.as_deref())
            .map_err(S::Error::custom)?
            .serialize(serializer)
    }
}

impl CreatedApplication {
    /// The answer read from JSON: the application, and its `resume_token`
    /// (which the application's own fields leave aside).
    pub fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
        use serde::de::Error;
        let resume_token = value["resume_token"]
            .as_str()
            .ok_or_else(|| serde_json::Error::missing_field("resume_token"))?
            .to_owned();
        Ok(Self {
            application: Application::deserialize(value)?,
            resume_token,
        })
    }
}

impl<'de> Deserialize<'de> for CreatedApplication {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        Self::from_json(value).map_err(D::Error::custom)
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

/// A code is on its way to the address to prove (the admin's, or a
/// customer's asking for a partner).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct EmailCodeSent {
    /// The address it went to.
    pub to: String,
    /// How long the code works.
    pub expires_in_secs: u64,
}

/// `POST /applications/{id}/admin-email/verify`. No `Debug`: the code
/// proves an address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
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
