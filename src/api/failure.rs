//! Why a request did not give what was asked, and what the applicant is
//! told about it: the one way from a failure to a message.

use crate::i18n::I18n;
use enroll_core::draft::{Answer, Trouble};
use enroll_core::msg;
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
    /// What to tell the user: `refusal_words` for an answer the server
    /// explained, else the app's own message.
    pub fn describe(&self, i18n: &I18n) -> String {
        match self {
            Self::Status { code, message, .. } => refusal_words(*code, message.as_ref(), i18n)
                .unwrap_or_else(|| i18n.t(msg::APP_SERVER_ERROR)),
            Self::Unreachable => i18n.t(msg::APP_UNREACHABLE),
            Self::Invalid(_) => i18n.t(msg::APP_INVALID_ANSWERS),
            Self::Unreadable => i18n.t(msg::APP_SERVER_ERROR),
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
        Trouble::Refused { code, message } => refusal_words(*code, message.as_ref(), i18n)
            .unwrap_or_else(|| i18n.t(trouble.message_key())),
        other => i18n.t(other.message_key()),
    }
}

/// The words for a refusal the server explained: the catalog's for its
/// code where the catalog has them (they follow a language switch), else
/// the server's own (in the language of the request); none for neither.
fn refusal_words(code: Option<ErrorCode>, message: Option<&String>, i18n: &I18n) -> Option<String> {
    code.and_then(|code| i18n.error_words(code))
        .or_else(|| message.cloned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use enroll_core::Locale;

    fn refused(code: Option<ErrorCode>, message: Option<&str>) -> ApiFailure {
        ApiFailure::Status {
            status: 409,
            code,
            message: message.map(str::to_owned),
            retry_after: None,
        }
    }

    #[test]
    fn a_refusal_is_worded_from_its_code_else_by_the_server_else_by_the_app() {
        let i18n = I18n::new(Locale::EnUs);
        let server = Some("The server's words");
        let stale = refused(Some(ErrorCode::StaleEtag), server);
        assert_eq!(stale.describe(&i18n), i18n.t(msg::API_ERROR_STALE_ETAG));
        let newer = refused(Some(ErrorCode::Other), server);
        assert_eq!(newer.describe(&i18n), "The server's words");
        let unexplained = refused(None, None);
        assert_eq!(unexplained.describe(&i18n), i18n.t(msg::APP_SERVER_ERROR));

        let Answer::Refused { code, message } = Answer::from(newer) else {
            panic!("a 409 is a refusal");
        };
        let trouble = Trouble::Refused { code, message };
        assert_eq!(describe_trouble(&trouble, &i18n), "The server's words");
        let trouble = Trouble::Refused {
            code: None,
            message: None,
        };
        assert_eq!(
            describe_trouble(&trouble, &i18n),
            i18n.t(trouble.message_key())
        );
    }
}
