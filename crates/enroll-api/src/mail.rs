//! Emails to applicants, worded from the catalog in the applicant's
//! locale. No bank secret is ever part of one. What the applicant typed
//! goes in as one short line (`text::one_line`): a draft may hold control
//! characters or a name of 60,000 characters until it is validated.

use enroll_core::account::limits;
use enroll_core::address::AddressFormat;
use enroll_core::reference::Lookup;
use enroll_core::text::{caps, one_line};
use enroll_core::{ApplicationStatus, Catalog, Locale, ReferenceData};

use crate::store::{EmailKind, NewEmail, Record};

fn catalog_of(record: &Record) -> &'static Catalog {
    Catalog::get(Locale::from_tag(&record.locale).unwrap_or_default())
}

/// The greeting's name and the company, as one clean line each.
fn names(record: &Record) -> (String, String) {
    (
        one_line(&record.answers.admin.first_name, caps::PERSON_NAME),
        one_line(&record.answers.company.legal_name, caps::LEGAL_NAME),
    )
}

/// The email telling the admin address that the status changed (and why,
/// if a reviewer said why). Drafts get none. The receipt for a submission
/// repeats the business address, as its country writes it (`reference`
/// has the country's format).
pub fn status_email(
    record: &Record,
    reason: Option<&str>,
    reference: &ReferenceData,
) -> Option<NewEmail> {
    let to = record.answers.admin.email.trim();
    let key = record.status.email_key()?;
    if to.is_empty() {
        return None;
    }
    let catalog = catalog_of(record);
    let (name, company) = names(record);
    let params = [
        ("name", name.as_str()),
        ("company", company.as_str()),
        ("reason", reason.unwrap_or("")),
    ];
    let subject = catalog.format(&format!("{key}.subject"), &params);
    let mut body = catalog.format(&format!("{key}.body"), &params);
    if let Some(reason) = reason.filter(|r| !r.trim().is_empty()) {
        body.push_str("\n\n");
        body.push_str(&catalog.format("email.reason", &[("reason", reason.trim())]));
    }
    if record.status == ApplicationStatus::Submitted {
        body.push_str("\n\n");
        let address = written_address(record, reference);
        body.push_str(&catalog.format("email.address", &[("address", &address)]));
    }
    Some(NewEmail {
        kind: EmailKind::Status,
        application_id: record.id.clone(),
        to: to.to_owned(),
        subject,
        body,
        request_key: None,
    })
}

/// The business address in its country's written order, each line made
/// one clean line, the country's postal name last ("GERMANY", as the post
/// writes it on international mail).
/// A written line holds up to three fields ("Bridgetown, St. Michael
/// BB11000"), each within `caps::ADDRESS_FIELD` once submitted.
const WRITTEN_LINE: usize = 3 * caps::ADDRESS_FIELD;

fn written_address(record: &Record, reference: &ReferenceData) -> String {
    let address = &record.answers.address;
    let fallback = AddressFormat::fallback();
    let format = match reference.address_format(&address.country) {
        Lookup::Found(format) => format,
        Lookup::Absent | Lookup::Unknown => &fallback,
    };
    format
        .written_lines(address)
        .iter()
        .map(|line| one_line(line, WRITTEN_LINE))
        .chain((!format.name.is_empty()).then(|| format.name.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The email that sends the admin address the link resuming the draft.
pub fn resume_email(
    record: &Record,
    to: &str,
    link: &str,
    request_key: Option<String>,
) -> NewEmail {
    let catalog = catalog_of(record);
    let (name, _) = names(record);
    let params = [("name", name.as_str()), ("link", link)];
    NewEmail {
        kind: EmailKind::Resume,
        application_id: record.id.clone(),
        to: to.to_owned(),
        subject: catalog.format("email.resume.subject", &params),
        body: catalog.format("email.resume.body", &params),
        request_key,
    }
}

/// The email carrying the code that proves the admin's address, to that
/// address, in the applicant's language.
pub fn admin_code_email(record: &Record, code: &str) -> NewEmail {
    let catalog = catalog_of(record);
    let (name, _) = names(record);
    let minutes = (limits::EMAIL_CODE_SECS / 60).to_string();
    let params = [
        ("name", name.as_str()),
        ("code", code),
        ("minutes", &minutes),
    ];
    NewEmail {
        kind: EmailKind::AdminCode,
        application_id: record.id.clone(),
        to: record.answers.admin.email.trim().to_owned(),
        subject: catalog.format("email.admin_code.subject", &params),
        body: catalog.format("email.admin_code.body", &params),
        request_key: None,
    }
}

/// The email giving a partner account user (`name`, at `to`) their
/// temporary password: the only place it exists in plain text (the outbox
/// is the transport). In the application's language.
pub fn temporary_password_email(record: &Record, name: &str, to: &str, password: &str) -> NewEmail {
    let catalog = catalog_of(record);
    let (_, company) = names(record);
    let name = one_line(name, caps::PERSON_NAME);
    let days = (limits::TEMPORARY_PASSWORD_SECS / 86_400).to_string();
    let params = [
        ("name", name.as_str()),
        ("company", company.as_str()),
        ("email", to),
        ("password", password),
        ("days", &days),
    ];
    NewEmail {
        kind: EmailKind::TemporaryPassword,
        application_id: record.id.clone(),
        to: to.to_owned(),
        subject: catalog.format("email.temporary_password.subject", &params),
        body: catalog.format("email.temporary_password.body", &params),
        request_key: None,
    }
}
