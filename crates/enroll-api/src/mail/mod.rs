//! Emails to applicants and partner users, worded from the catalog in the
//! recipient's locale, as plain text and as simple HTML carrying the same
//! words. No bank secret is ever part of one. Subjects are fixed per kind
//! and language: nothing anyone typed reaches a header but the validated
//! To address, and no code, password or link is in a subject (it shows on
//! lock screens, and stays in the outbox once the body is erased). What
//! the applicant typed goes into the body as one short line
//! (`text::one_line`): a draft may hold control characters or a name of
//! 60,000 characters until it is validated.
//!
//! `message` makes the MIME message, `relay` talks to the SMTP relay,
//! `sender` is the background job delivering the outbox.

pub mod defaults;
pub mod message;
pub mod relay;
pub mod sender;

use enroll_core::account::limits;
use enroll_core::address::AddressFormat;
use enroll_core::i18n::EmailWording;
use enroll_core::msg;
use enroll_core::partner_request;
use enroll_core::reference::Lookup;
use enroll_core::text::{caps, one_line};
use enroll_core::{ApplicationStatus, Catalog, Locale, MessageKey, ReferenceData};

use crate::store::{
    About, EmailKind, NewEmail, Record, ReferralLetters, RelationshipLetters, StoredCustomer,
    StoredInvitation, StoredRelationship, StoredRequest, Told,
};
use enroll_core::admin_relationship::{self, AdminRole};
use enroll_core::contract::InvitationEmail;
use enroll_core::customer;
use enroll_core::matching::{reasons_line, Reason};

/// A value put into a message: text, or our own link (made a real link in
/// the HTML part), or a code or password (set apart in the HTML part).
#[derive(Clone, Copy)]
enum Value<'a> {
    Text(&'a str),
    Link(&'a str),
    Secret(&'a str),
}

/// The words of one email, as text and as HTML, built message by message
/// from the catalog.
struct Letter {
    catalog: &'static Catalog,
    subject: String,
    text: String,
    html: String,
}

/// `s` escaped for HTML text and attribute values.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

impl Letter {
    /// A letter under the fixed subject `subject_key`.
    fn new(catalog: &'static Catalog, subject_key: MessageKey) -> Self {
        Self {
            catalog,
            subject: catalog.text(subject_key),
            text: String::new(),
            html: String::new(),
        }
    }

    /// Adds the message `key` with its placeholders filled: into the text
    /// as it is, into the HTML escaped, a paragraph per blank line and a
    /// line break per line.
    fn add(&mut self, key: MessageKey, params: &[(&str, Value)]) {
        let plain: Vec<(&str, &str)> = params
            .iter()
            .map(|(name, value)| match value {
                Value::Text(v) | Value::Link(v) | Value::Secret(v) => (*name, *v),
            })
            .collect();
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.text.push_str(&self.catalog.format(key, &plain));
        // The template is escaped before the values go in, each escaped
        // on its own: a value can never become markup.
        let marked: Vec<(String, String)> = params
            .iter()
            .map(|(name, value)| {
                let shown = match value {
                    Value::Text(v) => escape_html(v),
                    Value::Link(url) => {
                        let url = escape_html(url);
                        // Long links wrap on a phone's narrow screen.
                        format!("<a href=\"{url}\" style=\"overflow-wrap:anywhere\">{url}</a>")
                    }
                    Value::Secret(v) => format!(
                        "<strong style=\"font-size:1.5em;letter-spacing:0.1em\">{}</strong>",
                        escape_html(v)
                    ),
                };
                ((*name).to_owned(), shown)
            })
            .collect();
        let template = escape_html(&self.catalog.text(key));
        let marked: Vec<(&str, &str)> = marked
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let filled = Catalog::fill(&template, &marked);
        for paragraph in filled.split("\n\n") {
            self.html.push_str("<p>");
            self.html.push_str(&paragraph.replace('\n', "<br>\n"));
            self.html.push_str("</p>\n");
        }
    }

    fn into_email(self, kind: EmailKind, about: About, to: &str, now: u64) -> NewEmail {
        let lang = self.catalog.locale().tag();
        let subject = escape_html(&self.subject);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{subject}</title>\n</head>\n\
             <body style=\"font-family:sans-serif;font-size:16px;line-height:1.5;color:#1b1b1b;max-width:40em\">\n\
             <h1 style=\"font-size:1.4em\">{subject}</h1>\n{}</body>\n</html>\n",
            self.html
        );
        NewEmail {
            kind,
            about,
            to: to.to_owned(),
            locale: lang.to_owned(),
            subject: self.subject,
            body: self.text,
            html,
            request_key: None,
            queued_at: now,
        }
    }
}

fn catalog_of(record: &Record) -> &'static Catalog {
    Catalog::get(Locale::from_tag(&record.locale).unwrap_or_default())
}

/// A name or company as one clean line: controls and the Unicode line and
/// paragraph separators go (they would break the line in the text part).
fn clean(value: &str, cap: usize) -> String {
    one_line(value, cap).replace(['\u{2028}', '\u{2029}'], " ")
}

/// The greeting's name and the company, as one clean line each.
fn names(record: &Record) -> (String, String) {
    (
        clean(&record.answers.admin.first_name, caps::PERSON_NAME),
        clean(&record.answers.company.legal_name, caps::LEGAL_NAME),
    )
}

/// The email telling the admin address that the status changed (and why,
/// if a reviewer said why), queued at `now`. Drafts get none. The receipt
/// for a submission repeats the business address, as its country writes
/// it (`reference` has the country's format).
pub fn status_email(
    record: &Record,
    reason: Option<&str>,
    reference: &ReferenceData,
    now: u64,
) -> Option<NewEmail> {
    let to = record.answers.admin.email.trim();
    let wording = record.status.email()?;
    if to.is_empty() {
        return None;
    }
    let (name, company) = names(record);
    let mut letter = Letter::new(catalog_of(record), wording.subject);
    letter.add(
        wording.body,
        &[
            ("name", Value::Text(&name)),
            ("company", Value::Text(&company)),
        ],
    );
    if let Some(reason) = reason.filter(|r| !r.trim().is_empty()) {
        letter.add(
            msg::email::EMAIL_REASON,
            &[("reason", Value::Text(reason.trim()))],
        );
    }
    if record.status == ApplicationStatus::Submitted {
        let address = written_address(record, reference);
        letter.add(
            msg::email::EMAIL_ADDRESS,
            &[("address", Value::Text(&address))],
        );
    }
    Some(letter.into_email(
        EmailKind::Status,
        About::Application(record.id.clone()),
        to,
        now,
    ))
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
        .map(|line| clean(line, WRITTEN_LINE))
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
    now: u64,
) -> NewEmail {
    let (name, _) = names(record);
    let mut letter = Letter::new(catalog_of(record), msg::email::EMAIL_RESUME_SUBJECT);
    letter.add(
        msg::email::EMAIL_RESUME_BODY,
        &[("name", Value::Text(&name)), ("link", Value::Link(link))],
    );
    NewEmail {
        request_key,
        ..letter.into_email(
            EmailKind::Resume,
            About::Application(record.id.clone()),
            to,
            now,
        )
    }
}

/// The email carrying the code that proves the admin's address, to that
/// address, in the applicant's language. The address is not proven yet,
/// so nothing typed is in it: no name, no company.
pub fn admin_code_email(record: &Record, code: &str, now: u64) -> NewEmail {
    let to = record.answers.admin.email.trim();
    let wording = EmailWording {
        subject: msg::email::EMAIL_ADMIN_CODE_SUBJECT,
        body: msg::email::EMAIL_ADMIN_CODE_BODY,
    };
    let about = About::Application(record.id.clone());
    code_email(
        (EmailKind::AdminCode, wording),
        catalog_of(record),
        about,
        to,
        code,
        now,
    )
}

/// The email carrying the code that proves a domain for the users of the
/// account whose application is `record`, to `to` in that domain. The
/// address is not proven yet: nothing anyone typed is in it.
pub fn domain_code_email(record: &Record, to: &str, code: &str, now: u64) -> NewEmail {
    let wording = EmailWording {
        subject: msg::email::EMAIL_DOMAIN_CODE_SUBJECT,
        body: msg::email::EMAIL_DOMAIN_CODE_BODY,
    };
    let about = About::Application(record.id.clone());
    code_email(
        (EmailKind::DomainCode, wording),
        catalog_of(record),
        about,
        to,
        code,
        now,
    )
}

/// An email of `kind` carrying an emailed code, worded by `wording` in
/// `catalog`'s language: the code and its minutes, nothing else (its
/// address is not proven yet).
fn code_email(
    (kind, wording): (EmailKind, EmailWording),
    catalog: &'static Catalog,
    about: About,
    to: &str,
    code: &str,
    now: u64,
) -> NewEmail {
    let minutes = (limits::EMAIL_CODE_SECS / 60).to_string();
    let mut letter = Letter::new(catalog, wording.subject);
    letter.add(
        wording.body,
        &[
            ("code", Value::Secret(code)),
            ("minutes", Value::Text(&minutes)),
        ],
    );
    letter.into_email(kind, about, to, now)
}

fn request_catalog(request: &StoredRequest) -> &'static Catalog {
    Catalog::get(Locale::from_tag(&request.locale).unwrap_or_default())
}

/// The email carrying the code that proves the address of a customer
/// asking for a partner, in the customer's language. Nothing typed is in
/// it: the address is not proven yet.
pub fn request_code_email(request: &StoredRequest, code: &str, now: u64) -> NewEmail {
    let wording = EmailWording {
        subject: msg::email::EMAIL_REQUEST_CODE_SUBJECT,
        body: msg::email::EMAIL_REQUEST_CODE_BODY,
    };
    code_email(
        (EmailKind::RequestCode, wording),
        request_catalog(request),
        About::PartnerRequest(request.id.clone()),
        request.contact.email.trim(),
        code,
        now,
    )
}

/// The email giving a customer whose address is now proven the link to
/// the request's page, saying whether a partner received the request.
pub fn request_link_email(
    request: &StoredRequest,
    link: &str,
    offered: bool,
    now: u64,
) -> NewEmail {
    let name = clean(&request.contact.name, caps::PERSON_NAME);
    let days = partner_request::limits::REFERRAL_ANSWER_DAYS.to_string();
    let mut letter = Letter::new(
        request_catalog(request),
        msg::email::EMAIL_REQUEST_LINK_SUBJECT,
    );
    let body = if offered {
        msg::email::EMAIL_REQUEST_LINK_BODY
    } else {
        msg::email::EMAIL_REQUEST_LINK_NO_PARTNER
    };
    letter.add(
        body,
        &[
            ("name", Value::Text(&name)),
            ("days", Value::Text(&days)),
            ("link", Value::Link(link)),
        ],
    );
    let about = About::PartnerRequest(request.id.clone());
    letter.into_email(
        EmailKind::RequestLink,
        about,
        request.contact.email.trim(),
        now,
    )
}

/// The email telling an admin (at `to`) of the account whose application
/// is `holder` that the invitation of `withdrawn` was withdrawn: that
/// address became the admin of another, approved account.
pub fn invitation_withdrawn_email(
    holder: &Record,
    to: &str,
    withdrawn: &str,
    now: u64,
) -> NewEmail {
    let (_, company) = names(holder);
    let mut letter = Letter::new(
        catalog_of(holder),
        msg::email::EMAIL_INVITATION_WITHDRAWN_SUBJECT,
    );
    letter.add(
        msg::email::EMAIL_INVITATION_WITHDRAWN_BODY,
        &[
            ("email", Value::Text(withdrawn)),
            ("company", Value::Text(&company)),
        ],
    );
    letter.into_email(
        EmailKind::InvitationWithdrawn,
        About::Application(holder.id.clone()),
        to,
        now,
    )
}

/// The email telling a user (at `to`) of the account whose application is
/// `holder` that signing in with their address is paused after too many
/// failed attempts from everywhere.
pub fn sign_in_locked_email(holder: &Record, to: &str, now: u64) -> NewEmail {
    let (_, company) = names(holder);
    let count = limits::SIGN_IN_FAILURES_PER_ADDRESS_DAY.to_string();
    let minutes = (limits::SIGN_IN_ADDRESS_LOCK_SECS / 60).to_string();
    let mut letter = Letter::new(catalog_of(holder), msg::email::EMAIL_SIGN_IN_LOCKED_SUBJECT);
    letter.add(
        msg::email::EMAIL_SIGN_IN_LOCKED_BODY,
        &[
            ("count", Value::Text(&count)),
            ("company", Value::Text(&company)),
            ("minutes", Value::Text(&minutes)),
        ],
    );
    letter.into_email(
        EmailKind::SignInLocked,
        About::Application(holder.id.clone()),
        to,
        now,
    )
}

/// The email giving a partner account user (`name`, at `to`) their
/// temporary password: the only place it exists in plain text, erased
/// from the outbox once delivered. In the application's language.
pub fn temporary_password_email(
    record: &Record,
    name: &str,
    to: &str,
    password: &str,
    now: u64,
) -> NewEmail {
    let (_, company) = names(record);
    let name = clean(name, caps::PERSON_NAME);
    let days = (limits::TEMPORARY_PASSWORD_SECS / 86_400).to_string();
    let mut letter = Letter::new(
        catalog_of(record),
        msg::email::EMAIL_TEMPORARY_PASSWORD_SUBJECT,
    );
    letter.add(
        msg::email::EMAIL_TEMPORARY_PASSWORD_BODY,
        &[
            ("name", Value::Text(&name)),
            ("company", Value::Text(&company)),
            ("email", Value::Text(to)),
            ("password", Value::Secret(password)),
            ("days", Value::Text(&days)),
        ],
    );
    letter.into_email(
        EmailKind::TemporaryPassword,
        About::Application(record.id.clone()),
        to,
        now,
    )
}

/// The emails referrals queue as they move, worded here (the store knows
/// when; this module, what they say).
pub const REFERRAL_LETTERS: ReferralLetters = ReferralLetters {
    offered: referral_email,
    digest: referral_digest_email,
    accepted: request_accepted_email,
    no_partner: request_no_partner_email,
};

/// The email telling a referrals admin (at `to`) of the partner whose
/// application is `partner` that a customer's request arrived, and why it
/// matched (`reasons`, in the partner's language). Nothing the customer
/// typed is in it: the partner reads the need, signed in.
fn referral_email(partner: &Record, to: &str, reasons: &[Reason], now: u64) -> NewEmail {
    let (_, company) = names(partner);
    let catalog = catalog_of(partner);
    let reasons = clean(&reasons_line(reasons, catalog), WRITTEN_LINE);
    let days = partner_request::limits::REFERRAL_ANSWER_DAYS.to_string();
    let mut letter = Letter::new(catalog, msg::email::EMAIL_REFERRAL_SUBJECT);
    letter.add(
        msg::email::EMAIL_REFERRAL_BODY,
        &[
            ("company", Value::Text(&company)),
            ("reasons", Value::Text(&reasons)),
            ("days", Value::Text(&days)),
        ],
    );
    let about = About::Application(partner.id.clone());
    letter.into_email(EmailKind::Referral, about, to, now)
}

/// The morning's one email telling a referrals admin of `count` referrals
/// that arrived past the day's first ten.
fn referral_digest_email(partner: &Record, to: &str, count: usize, now: u64) -> NewEmail {
    let (_, company) = names(partner);
    let (count, days) = (
        count.to_string(),
        partner_request::limits::REFERRAL_ANSWER_DAYS.to_string(),
    );
    let mut letter = Letter::new(
        catalog_of(partner),
        msg::email::EMAIL_REFERRAL_DIGEST_SUBJECT,
    );
    letter.add(
        msg::email::EMAIL_REFERRAL_DIGEST_BODY,
        &[
            ("count", Value::Text(&count)),
            ("company", Value::Text(&company)),
            ("days", Value::Text(&days)),
        ],
    );
    let about = About::Application(partner.id.clone());
    letter.into_email(EmailKind::ReferralDigest, about, to, now)
}

/// The email telling a customer which partner (`partner`, its legal name)
/// accepted the request and will make contact.
fn request_accepted_email(request: &StoredRequest, partner: &str, now: u64) -> NewEmail {
    let name = clean(&request.contact.name, caps::PERSON_NAME);
    let partner = clean(partner, caps::LEGAL_NAME);
    let mut letter = Letter::new(
        request_catalog(request),
        msg::email::EMAIL_REQUEST_ACCEPTED_SUBJECT,
    );
    letter.add(
        msg::email::EMAIL_REQUEST_ACCEPTED_BODY,
        &[
            ("name", Value::Text(&name)),
            ("partner", Value::Text(&partner)),
        ],
    );
    let about = About::PartnerRequest(request.id.clone());
    letter.into_email(
        EmailKind::RequestAccepted,
        about,
        request.contact.email.trim(),
        now,
    )
}

/// The email telling a customer that no partner is left to offer the
/// request to.
fn request_no_partner_email(request: &StoredRequest, now: u64) -> NewEmail {
    let name = clean(&request.contact.name, caps::PERSON_NAME);
    let mut letter = Letter::new(
        request_catalog(request),
        msg::email::EMAIL_REQUEST_NO_PARTNER_SUBJECT,
    );
    letter.add(
        msg::email::EMAIL_REQUEST_NO_PARTNER_BODY,
        &[("name", Value::Text(&name))],
    );
    let about = About::PartnerRequest(request.id.clone());
    letter.into_email(
        EmailKind::RequestNoPartner,
        about,
        request.contact.email.trim(),
        now,
    )
}

/// The invitation's words in the customer's language, as the partner
/// copies them and as the product sends them: who invites whom, what a
/// reseller relationship means, and the link (`link`, holding the token).
fn invitation_letter(partner: &Record, invitation: &StoredInvitation, link: &str) -> Letter {
    let (_, partner_name) = names(partner);
    let company = clean(&invitation.company_name, caps::LEGAL_NAME);
    let days = (customer::limits::INVITATION_SECS / 86_400).to_string();
    let catalog = Catalog::get(Locale::from_tag(&invitation.locale).unwrap_or_default());
    let mut letter = Letter::new(catalog, msg::email::EMAIL_CUSTOMER_INVITATION_SUBJECT);
    letter.add(
        msg::email::EMAIL_CUSTOMER_INVITATION_BODY,
        &[
            ("partner", Value::Text(&partner_name)),
            ("company", Value::Text(&company)),
            ("days", Value::Text(&days)),
            ("link", Value::Link(link)),
        ],
    );
    letter
}

/// The invitation's email text for the partner to copy or open in its
/// email program.
pub fn invitation_text(
    partner: &Record,
    invitation: &StoredInvitation,
    link: &str,
) -> InvitationEmail {
    let letter = invitation_letter(partner, invitation, link);
    InvitationEmail {
        subject: letter.subject,
        body: letter.text,
    }
}

/// The invitation as the product emails it to the address the partner
/// gave.
pub fn invitation_email(
    partner: &Record,
    invitation: &StoredInvitation,
    link: &str,
    now: u64,
) -> NewEmail {
    let about = About::Invitation(invitation.id.clone());
    invitation_letter(partner, invitation, link).into_email(
        EmailKind::CustomerInvitation,
        about,
        invitation.admin_email.trim(),
        now,
    )
}

/// The email carrying the code that proves the customer admin's address
/// (`to`), in the invitation's language.
pub fn invitation_code_email(
    invitation: &StoredInvitation,
    to: &str,
    code: &str,
    now: u64,
) -> NewEmail {
    let wording = EmailWording {
        subject: msg::email::EMAIL_CUSTOMER_CODE_SUBJECT,
        body: msg::email::EMAIL_CUSTOMER_CODE_BODY,
    };
    code_email(
        (EmailKind::CustomerCode, wording),
        Catalog::get(Locale::from_tag(&invitation.locale).unwrap_or_default()),
        About::Invitation(invitation.id.clone()),
        to,
        code,
        now,
    )
}

/// The email telling an admin agent (`to`) of the partner whose
/// application is `partner` that `customer` accepted its invitation.
pub fn customer_accepted_email(
    partner: &Record,
    to: &str,
    customer: &StoredCustomer,
    now: u64,
) -> NewEmail {
    let (_, company) = names(partner);
    let name = clean(&customer.company_name, caps::LEGAL_NAME);
    let mut letter = Letter::new(
        catalog_of(partner),
        msg::email::EMAIL_CUSTOMER_ACCEPTED_SUBJECT,
    );
    letter.add(
        msg::email::EMAIL_CUSTOMER_ACCEPTED_BODY,
        &[
            ("customer", Value::Text(&name)),
            ("company", Value::Text(&company)),
            ("tenant", Value::Text(&customer.tenant_domain)),
        ],
    );
    let about = About::Application(partner.id.clone());
    letter.into_email(EmailKind::CustomerAccepted, about, to, now)
}

/// A relationship's day (`2028-11-23`), as its emails say it: read the
/// same in both languages.
fn day(secs: u64) -> String {
    crate::clock::iso(secs).chars().take(10).collect()
}

/// The catalog of the side `told` is for: the partner's language, or the
/// customer's.
fn side_catalog(told: &Told) -> &'static Catalog {
    let locale = if told.to_partner {
        &told.partner.locale
    } else {
        &told.customer.locale
    };
    Catalog::get(Locale::from_tag(locale).unwrap_or_default())
}

/// The names a relationship's emails share: the relationship's, the
/// partner's, the customer's, the tenant.
fn relationship_names(
    relationship: &StoredRelationship,
    partner: &Record,
    customer: &StoredCustomer,
) -> [String; 4] {
    [
        clean(&relationship.name, caps::LEGAL_NAME),
        names(partner).1,
        clean(&customer.company_name, caps::LEGAL_NAME),
        customer.tenant_domain.clone(),
    ]
}

/// The request for an admin relationship, to the customer's admin in the
/// customer's language: who asks, for which roles and how long, and the
/// link (holding the token) that answers it.
pub fn relationship_request_email(
    partner: &Record,
    relationship: &StoredRelationship,
    customer: &StoredCustomer,
    link: &str,
    now: u64,
) -> NewEmail {
    let [name, partner_name, company, tenant] = relationship_names(relationship, partner, customer);
    let catalog = Catalog::get(Locale::from_tag(&customer.locale).unwrap_or_default());
    let roles: Vec<String> = relationship
        .roles
        .iter()
        .filter_map(|code| AdminRole::parse(code))
        .map(|role| format!("- {}", catalog.text(role.name_key())))
        .collect();
    let (days, request_days) = (
        relationship.duration_days.to_string(),
        admin_relationship::limits::REQUEST_DAYS.to_string(),
    );
    // The customer consents to the whole of it: an extension is said too.
    let extends = if relationship.auto_extend {
        catalog.text(msg::email::EMAIL_RELATIONSHIP_EXTENDS)
    } else {
        String::new()
    };
    let mut letter = Letter::new(catalog, msg::email::EMAIL_RELATIONSHIP_REQUEST_SUBJECT);
    letter.add(
        msg::email::EMAIL_RELATIONSHIP_REQUEST_BODY,
        &[
            ("partner", Value::Text(&partner_name)),
            ("company", Value::Text(&company)),
            ("name", Value::Text(&name)),
            ("tenant", Value::Text(&tenant)),
            ("days", Value::Text(&days)),
            ("extends", Value::Text(&extends)),
            ("roles", Value::Text(&roles.join("\n"))),
            ("request_days", Value::Text(&request_days)),
            ("link", Value::Link(link)),
        ],
    );
    let about = About::Relationship(relationship.id.clone());
    letter.into_email(
        EmailKind::RelationshipRequest,
        about,
        &customer.admin_email,
        now,
    )
}

/// An email to one side of a relationship (`to`) of `kind`, worded by
/// `subject` and `body` with the shared names and `extra`.
fn relationship_notice(
    told: &Told,
    to: &str,
    (kind, subject, body): (EmailKind, MessageKey, MessageKey),
    extra: &[(&str, &str)],
    now: u64,
) -> NewEmail {
    let [name, partner, company, tenant] =
        relationship_names(told.relationship, told.partner, told.customer);
    let mut params = vec![
        ("name", Value::Text(&name)),
        ("partner", Value::Text(&partner)),
        ("company", Value::Text(&company)),
        ("tenant", Value::Text(&tenant)),
    ];
    params.extend(extra.iter().map(|(n, v)| (*n, Value::Text(v))));
    let mut letter = Letter::new(side_catalog(told), subject);
    letter.add(body, &params);
    let about = About::Relationship(told.relationship.id.clone());
    letter.into_email(kind, about, to, now)
}

fn relationship_approved_email(told: &Told, to: &str, now: u64) -> NewEmail {
    let ends = told.relationship.ends_at.map(day).unwrap_or_default();
    relationship_notice(
        told,
        to,
        (
            EmailKind::RelationshipApproved,
            msg::email::EMAIL_RELATIONSHIP_APPROVED_SUBJECT,
            msg::email::EMAIL_RELATIONSHIP_APPROVED_BODY,
        ),
        &[("ends", &ends)],
        now,
    )
}

fn relationship_ended_email(told: &Told, to: &str, now: u64) -> NewEmail {
    // A request the customer rejected gave no roles: said so.
    if told.relationship.approved_at.is_none()
        && told.relationship.ended_by.as_deref() == Some("customer")
    {
        return relationship_notice(
            told,
            to,
            (
                EmailKind::RelationshipEnded,
                msg::email::EMAIL_RELATIONSHIP_ENDED_SUBJECT,
                msg::email::EMAIL_RELATIONSHIP_REJECTED_BODY,
            ),
            &[],
            now,
        );
    }
    let by_key = match told.relationship.ended_by.as_deref() {
        Some("customer") => msg::email::EMAIL_RELATIONSHIP_BY_CUSTOMER,
        _ => msg::email::EMAIL_RELATIONSHIP_BY_PARTNER,
    };
    let by = side_catalog(told).text(by_key);
    relationship_notice(
        told,
        to,
        (
            EmailKind::RelationshipEnded,
            msg::email::EMAIL_RELATIONSHIP_ENDED_SUBJECT,
            msg::email::EMAIL_RELATIONSHIP_ENDED_BODY,
        ),
        &[("by", &by)],
        now,
    )
}

fn relationship_expired_email(told: &Told, to: &str, now: u64) -> NewEmail {
    // A request that went unanswered gave no roles: said so.
    let (body, days) = match told.relationship.approved_at {
        Some(_) => (msg::email::EMAIL_RELATIONSHIP_EXPIRED_BODY, String::new()),
        None => (
            msg::email::EMAIL_RELATIONSHIP_REQUEST_EXPIRED_BODY,
            admin_relationship::limits::REQUEST_DAYS.to_string(),
        ),
    };
    relationship_notice(
        told,
        to,
        (
            EmailKind::RelationshipExpired,
            msg::email::EMAIL_RELATIONSHIP_EXPIRED_SUBJECT,
            body,
        ),
        &[("days", &days)],
        now,
    )
}

/// The reminder before an end; `_before`, the reminder's own number of
/// days (30, 7, 1), is not said: the end's date is, and a relationship
/// shorter than that gets its first reminder with fewer days left.
fn relationship_reminder_email(told: &Told, to: &str, _before: u64, now: u64) -> NewEmail {
    let ends = told.relationship.ends_at.map(day).unwrap_or_default();
    relationship_notice(
        told,
        to,
        (
            EmailKind::RelationshipReminder,
            msg::email::EMAIL_RELATIONSHIP_REMINDER_SUBJECT,
            msg::email::EMAIL_RELATIONSHIP_REMINDER_BODY,
        ),
        &[("ends", &ends)],
        now,
    )
}

/// Auto-extend turned on or off by the partner, and the end it now has.
fn relationship_changed_email(told: &Told, to: &str, now: u64) -> NewEmail {
    let ends = told.relationship.ends_at.map(day).unwrap_or_default();
    let body = if told.relationship.auto_extend {
        msg::email::EMAIL_RELATIONSHIP_EXTENDS_ON_BODY
    } else {
        msg::email::EMAIL_RELATIONSHIP_EXTENDS_OFF_BODY
    };
    relationship_notice(
        told,
        to,
        (
            EmailKind::RelationshipChanged,
            msg::email::EMAIL_RELATIONSHIP_CHANGED_SUBJECT,
            body,
        ),
        &[("ends", &ends)],
        now,
    )
}

/// The emails admin relationships send as they move.
pub static RELATIONSHIP_LETTERS: RelationshipLetters = RelationshipLetters {
    approved: relationship_approved_email,
    ended: relationship_ended_email,
    expired: relationship_expired_email,
    reminder: relationship_reminder_email,
    changed: relationship_changed_email,
};

/// The code the customer's admin answers an admin relationship with, in
/// the customer's language, to the address that accepted the reseller
/// relationship.
pub fn relationship_code_email(
    relationship: &StoredRelationship,
    customer: &StoredCustomer,
    code: &str,
    now: u64,
) -> NewEmail {
    let wording = EmailWording {
        subject: msg::email::EMAIL_RELATIONSHIP_CODE_SUBJECT,
        body: msg::email::EMAIL_RELATIONSHIP_CODE_BODY,
    };
    code_email(
        (EmailKind::RelationshipCode, wording),
        Catalog::get(Locale::from_tag(&customer.locale).unwrap_or_default()),
        About::Relationship(relationship.id.clone()),
        &customer.admin_email,
        code,
        now,
    )
}
