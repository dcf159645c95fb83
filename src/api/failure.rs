//! Why a request did not give what was asked, and what the applicant is
//! told about it: the one way from a failure to a message.

use crate::i18n::I18n;
use enroll_core::draft::{Answer, Trouble};
use enroll_core::{ErrorCode, ValidationReport};

/// Why a request did not give what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// No answer: offline, the server down, or blocked by the browser.
    Unreachable,
    /// The server answered with an error, with its stable code and a
    /// message in the user's locale when it said why.
    Status {
        status: u16,
        code: Option<ErrorCode>,
        message: Option<String>,
        /// Retry-After, in seconds, when the server gave it (429).
        retry_after: Option<u32>,
    },
    /// The answers are not valid (422 on submit, or a save over a cap).
    Invalid(ValidationReport),
    /// The server answered with something that is not the contract.
    Unreadable,
}

impl ApiFailure {
    /// What to tell the user: the server's own words when it gave them
    /// (already in the user's language), else the app's.
    /// Worded from the code where the catalog knows it (so it follows a
    /// language switch), else the server's words (in the language of the
    /// request), else the app's generic message.
    pub fn describe(&self, i18n: &I18n) -> String {
        match self {
            Self::Status {
                code: Some(code), ..
            } if i18n.has(&code.message_key()) => i18n.t(&code.message_key()),
            Self::Status {
                message: Some(message),
                ..
            } => message.clone(),
            Self::Unreachable => i18n.t("app.unreachable"),
            Self::Invalid(_) => i18n.t("app.invalid_answers"),
            _ => i18n.t("app.server_error"),
        }
    }

    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Status { code, .. } => *code,
            _ => None,
        }
    }
}

/// The draft's lifecycle tells answers apart by what it does next.
impl From<ApiFailure> for Answer {
    fn from(failure: ApiFailure) -> Self {
        match failure {
            ApiFailure::Unreachable => Answer::Unreachable,
            ApiFailure::Unreadable => Answer::ServerError,
            ApiFailure::Invalid(report) => Answer::Invalid(report),
            ApiFailure::Status {
                status,
                code,
                message,
                retry_after,
            } => match status {
                // The request did not arrive whole in time: as if unsent.
                408 => Answer::Unreachable,
                401 => Answer::Expired,
                404 => Answer::Gone,
                412 => Answer::Stale,
                429 => Answer::Throttled {
                    retry_after_secs: retry_after,
                },
                500.. => Answer::ServerError,
                _ => Answer::Refused { code, message },
            },
        }
    }
}

/// What to tell the user about a trouble of the draft's: the server's own
/// words for a refusal it explained, else the app's.
pub fn describe_trouble(trouble: &Trouble, i18n: &I18n) -> String {
    match trouble {
        // As `ApiFailure::describe`: the code's wording follows a switch.
        Trouble::Refused {
            code: Some(code), ..
        } if i18n.has(&code.message_key()) => i18n.t(&code.message_key()),
        Trouble::Refused {
            message: Some(message),
            ..
        } => message.clone(),
        other => i18n.t(other.message_key()),
    }
}
