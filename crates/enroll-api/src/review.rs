//! Reviewers' decisions (`enroll-api review ...`): each moves an
//! application along the status flow, records why, and emails the applicant.

use enroll_core::ApplicationStatus::{self, *};

use crate::mail;
use crate::store::{Record, StatusChange, Store, StoreError};
use enroll_core::text::is_forbidden;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Start,
    Approve,
    Reject,
    RequestInfo,
}

impl Decision {
    /// (statuses it starts from, status it leads to)
    fn transition(self) -> (&'static [ApplicationStatus], ApplicationStatus) {
        match self {
            Self::Start => (&[Submitted], InReview),
            Self::Approve => (&[InReview], Approved),
            Self::Reject => (&[Submitted, InReview], Rejected),
            Self::RequestInfo => (&[Submitted, InReview], MoreInfoNeeded),
        }
    }

    /// Rejecting or asking for more must say why: the applicant acts on it.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Reject | Self::RequestInfo)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("no application {0}")]
    Missing(String),
    #[error("application {id} is {status}; this decision needs it to be {allowed}")]
    NotAllowed {
        id: String,
        status: &'static str,
        allowed: String,
    },
    #[error("say why with --reason: the applicant is told")]
    ReasonRequired,
    #[error("the reason holds a control character: write it again without one")]
    ControlCharacter,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn decide(
    store: &Store,
    id: &str,
    decision: Decision,
    reason: Option<&str>,
) -> Result<Record, ReviewError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if decision.needs_reason() && reason.is_none() {
        return Err(ReviewError::ReasonRequired);
    }
    // Several lines are fine (the applicant reads them in an email and on
    // the status page); terminal escapes and bidi overrides are not.
    if reason.is_some_and(|r| r.chars().any(|c| is_forbidden(c, true))) {
        return Err(ReviewError::ControlCharacter);
    }
    let (from, to) = decision.transition();
    let note = reason.map(str::to_owned);
    let email = move |record: &Record| mail::status_email(record, note.as_deref());
    match store.change_status(id, from, to, reason, email).await? {
        StatusChange::Changed(record) => Ok(*record),
        StatusChange::NotAllowed(status) => Err(ReviewError::NotAllowed {
            id: id.to_owned(),
            status: status.as_str(),
            allowed: from
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
        }),
        StatusChange::Missing => Err(ReviewError::Missing(id.to_owned())),
    }
}
