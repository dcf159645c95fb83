//! Reviewers' decisions (`enroll-api review ...`): each moves an
//! application along the status flow, records why, and emails the applicant.

use enroll_core::{ApplicationStatus, Change, ReferenceData};

use crate::mail;
use crate::store::{Record, StatusChange, Store, StoreError};
use enroll_core::text::is_forbidden;

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
    #[error("submitting is the applicant's, not a reviewer's decision")]
    NotADecision,
    #[error("the reason holds a control character: write it again without one")]
    ControlCharacter,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn decide(
    store: &Store,
    id: &str,
    decision: Change,
    reason: Option<&str>,
) -> Result<Record, ReviewError> {
    // Submitting is the applicant's, with its validation and checks.
    if decision == Change::Submit {
        return Err(ReviewError::NotADecision);
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if decision.needs_reason() && reason.is_none() {
        return Err(ReviewError::ReasonRequired);
    }
    // Several lines are fine (the applicant reads them in an email and on
    // the status page); terminal escapes and bidi overrides are not.
    if reason.is_some_and(|r| r.chars().any(|c| is_forbidden(c, true))) {
        return Err(ReviewError::ControlCharacter);
    }
    let note = reason.map(str::to_owned);
    // A reviewer's decision never repeats the address (only the receipt
    // does): no reference data needed.
    let reference = ReferenceData::none();
    let email = move |record: &Record| mail::status_email(record, note.as_deref(), &reference);
    match store.change_status(id, decision, reason, email).await? {
        StatusChange::Changed(record) => Ok(*record),
        StatusChange::NotAllowed(status) => Err(ReviewError::NotAllowed {
            id: id.to_owned(),
            status: status.as_str(),
            allowed: ApplicationStatus::before(decision)
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
        }),
        StatusChange::Missing => Err(ReviewError::Missing(id.to_owned())),
    }
}
