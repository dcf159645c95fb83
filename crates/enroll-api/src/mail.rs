//! Emails to applicants, worded from the catalog in the applicant's
//! locale. No bank secret is ever part of one.

use enroll_core::{ApplicationStatus, Catalog, Locale};

use crate::store::{Record, Store, StoreError};

fn catalog_of(record: &Record) -> &'static Catalog {
    Catalog::get(Locale::from_tag(&record.locale).unwrap_or_default())
}

/// Tells the admin address that the status changed (and why, if a
/// reviewer said why). Drafts get no email.
pub async fn queue_status_email(
    store: &Store,
    record: &Record,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    let to = record.answers.admin.email.trim();
    if to.is_empty() || record.status == ApplicationStatus::Draft {
        return Ok(());
    }
    let catalog = catalog_of(record);
    let status = record.status.as_str();
    let company = record.answers.company.legal_name.trim();
    let name = record.answers.admin.first_name.trim();
    let params = [
        ("name", name),
        ("company", company),
        ("reason", reason.unwrap_or("")),
    ];
    let subject = catalog.format(&format!("email.status.{status}.subject"), &params);
    let mut body = catalog.format(&format!("email.status.{status}.body"), &params);
    if let Some(reason) = reason.filter(|r| !r.trim().is_empty()) {
        body.push_str("\n\n");
        body.push_str(&catalog.format("email.reason", &[("reason", reason.trim())]));
    }
    store
        .queue_email(Some(&record.id), to, &subject, &body)
        .await
}

/// Sends the admin address the link that resumes the application.
pub async fn queue_resume_email(
    store: &Store,
    record: &Record,
    to: &str,
    link: &str,
) -> Result<(), StoreError> {
    let catalog = catalog_of(record);
    let params = [
        ("name", record.answers.admin.first_name.trim()),
        ("link", link),
    ];
    let subject = catalog.format("email.resume.subject", &params);
    let body = catalog.format("email.resume.body", &params);
    store
        .queue_email(Some(&record.id), to, &subject, &body)
        .await
}
