//! Reviewers' decisions (`enroll-api review ...`): each moves an
//! application along the status flow, records why, and emails the
//! applicant; approval also makes the partner account.

use enroll_core::{ApplicationStatus, Change, ReferenceData};

use crate::clock::Clock;
use crate::mail;
use crate::passwords;
use crate::store::{Consequences, NewAccount, NewUser, Record, StatusChange, Store, StoreError};
use enroll_core::account::{limits, Role};
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
    #[error("the admin's email address is not proven, so no password can go to it: use request-info, and the applicant proves it before sending again")]
    AdminEmailUnproven,
    #[error("cannot make the partner account: {0}")]
    Random(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A random id for an account or a user.
fn new_id() -> Result<String, ReviewError> {
    crate::auth::new_id().map_err(|e| ReviewError::Random(e.to_string()))
}

pub async fn decide(
    store: &Store,
    clock: &dyn Clock,
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
    // The temporary password goes only to a proven address (applications
    // sent before the proof existed have none: ask for more information,
    // and the applicant proves it on the way to sending again).
    if decision == Change::Approve {
        let record = store
            .application(id)
            .await?
            .ok_or_else(|| ReviewError::Missing(id.to_owned()))?;
        if !record.admin_email_is_confirmed() {
            return Err(ReviewError::AdminEmailUnproven);
        }
    }
    let note = reason.map(str::to_owned);
    // Approval makes the partner account, its first user the admin named
    // in the application (global admin), with a temporary password that
    // exists in plain text only in the email queued with it. Hashed here,
    // before the transaction: hashing is slow on purpose.
    let first_admin = match decision {
        Change::Approve => {
            let password =
                passwords::temporary_password().map_err(|e| ReviewError::Random(e.to_string()))?;
            let hash = passwords::hash(password.clone())
                .await
                .map_err(|e| ReviewError::Random(e.to_string()))?;
            Some((password, hash, new_id()?, new_id()?))
        }
        _ => None,
    };
    let now = clock.now();
    // A reviewer's decision never repeats the address (only the receipt
    // does): no reference data needed.
    let reference = ReferenceData::none();
    let then = move |record: &Record| {
        let mut emails: Vec<_> = mail::status_email(record, note.as_deref(), &reference, now)
            .into_iter()
            .collect();
        let account = first_admin.map(|(password, hash, account_id, user_id)| {
            let admin = &record.answers.admin;
            emails.push(mail::temporary_password_email(
                record,
                &admin.first_name,
                admin.email.trim(),
                &password,
                now,
            ));
            NewAccount {
                id: account_id,
                created_at: now,
                user: NewUser {
                    id: user_id,
                    email: admin.email.trim().to_owned(),
                    first_name: admin.first_name.trim().to_owned(),
                    last_name: admin.last_name.trim().to_owned(),
                    roles: vec![Role::GlobalAdmin],
                    password_hash: hash,
                    password_expires_at: now + limits::TEMPORARY_PASSWORD_SECS,
                },
            }
        });
        Consequences {
            emails,
            account,
            withdrawal_notice: Some(mail::invitation_withdrawn_email),
        }
    };
    match store.change_status(id, decision, reason, then).await? {
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
