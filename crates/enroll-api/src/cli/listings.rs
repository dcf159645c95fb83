//! What the operator commands print: emails, accounts and their users,
//! applications with a reviewer's signals. Everything an applicant typed
//! is escaped: a terminal obeys the escape sequences it may hold.

use crate::store::Email;
use crate::store::{Record, Store, StoreError};
use enroll_core::company::normalize_mpn_id;
use enroll_core::contract::MpnEntry;
use enroll_core::domains::{admin_matches_website, domain_of, website_domain};
use enroll_core::matching::reasons_line;
use enroll_core::text::escape_unprintable;
use enroll_core::{Catalog, Locale};

use crate::clock::iso;

/// One email as the operator reads it: its state, attempts, next attempt
/// and the relay's last reply, then the message (or that it was erased).
/// Escaped: the addresses and names come from applicants, and a terminal
/// obeys the escape sequences they may hold.
pub(super) fn shown(email: &Email) -> String {
    let mut state = format!("{}, {} attempt(s)", email.state.as_str(), email.attempts);
    if let Some(next) = &email.next_attempt_at {
        state.push_str(&format!(", next at {next}"));
    }
    if let Some(sent) = &email.sent_at {
        state.push_str(&format!(", sent at {sent}"));
    }
    let reply = email
        .last_reply
        .as_deref()
        .map(|r| format!("Relay: {}\n", escape_unprintable(r)))
        .unwrap_or_default();
    let body = if email.erased {
        "(body erased: it carried a code, a password or a link)".to_owned()
    } else {
        let lines: Vec<String> = email.body.lines().map(escape_unprintable).collect();
        lines.join("\n")
    };
    format!(
        "#{} {} {} [{state}]\nTo: {}\nSubject: {}\n{reply}\n{body}\n\n",
        email.id,
        email.created_at,
        email.kind,
        escape_unprintable(&email.to),
        escape_unprintable(&email.subject),
    )
}

/// Prints every account, its company, and each user with their roles and
/// how far they are in setting up their sign-in (escaped: names and
/// addresses come from applicants).
pub(super) async fn accounts_list(store: &Store) -> Result<(), StoreError> {
    for (account, users) in store.accounts().await? {
        let company = match store.application(&account.application_id).await? {
            Some(record) => escape_unprintable(record.answers.company.legal_name.trim()),
            None => String::new(),
        };
        println!(
            "account {}  application {}  {company}",
            account.id, account.application_id
        );
        for user in users {
            let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
            let state = match (user.password_temporary, user.totp_secret.is_some()) {
                (true, _) => "temporary password",
                (false, false) => "password",
                (false, true) => "password + TOTP",
            };
            println!(
                "  {}  {} {}  [{}]  {state}",
                escape_unprintable(&user.email),
                escape_unprintable(&user.first_name),
                escape_unprintable(&user.last_name),
                roles.join(", ")
            );
        }
    }
    Ok(())
}

/// Prints every referral, newest first: its id, where it stands, which
/// request and round, the partner, when it arrived and must be answered,
/// and why it matched (in English). Never the customer's contact.
pub(super) async fn referrals_list(store: &Store) -> Result<(), StoreError> {
    let english = Catalog::get(Locale::EnUs);
    println!(
        "{:<32}  {:<8}  {:<32}  {:<5}  {:<20}  {:<20}  partner · why",
        "id", "status", "request", "round", "received", "answer by"
    );
    for referral in store.referrals().await? {
        println!(
            "{:<32}  {:<8}  {:<32}  {:<5}  {:<20}  {:<20}  {} · {}",
            referral.id,
            referral.status.as_str(),
            referral.request_id,
            referral.round,
            iso(referral.received_at),
            iso(referral.expires_at),
            escape_unprintable(referral.company.trim()),
            escape_unprintable(&reasons_line(&referral.reasons, english)),
        );
    }
    Ok(())
}

/// Prints every application for a reviewer, newest first, those for one
/// MPN ID side by side, each with the signals a reviewer weighs: whether
/// the company name is the directory's for its MPN ID, and whether the
/// admin's address is in the website's domain (someone who knows another
/// company's MPN ID and country can apply too, and the reviewer is who
/// notices).
pub(super) async fn review_list(store: &Store) -> Result<(), StoreError> {
    println!(
        "{:<32}  {:<16}  {:<10}  {:<20}  company",
        "id", "status", "mpn_id", "updated"
    );
    let records = store.applications().await?;
    // Applications for one MPN ID side by side (the group where its newest
    // is), so the reviewer compares them before approving one.
    let mut shown_mpn: Vec<String> = Vec::new();
    for first in &records {
        let mpn_id = normalize_mpn_id(&first.answers.mpn_id);
        if !mpn_id.is_empty() {
            if shown_mpn.contains(&mpn_id) {
                continue;
            }
            shown_mpn.push(mpn_id.clone());
        }
        let group: Vec<&Record> = if mpn_id.is_empty() {
            vec![first]
        } else {
            records
                .iter()
                .filter(|r| normalize_mpn_id(&r.answers.mpn_id) == mpn_id)
                .collect()
        };
        let registered = store.mpn_entry(&mpn_id).await?;
        if group.len() > 1 {
            println!(
                "-- {} applications for MPN ID {}: approve one, reject the others with --reason",
                group.len(),
                escape_unprintable(&mpn_id)
            );
        }
        for record in group {
            println!(
                "{:<32}  {:<16}  {:<10}  {:<20}  {}",
                record.id,
                record.status.as_str(),
                escape_unprintable(&mpn_id),
                record.updated_at,
                shown_company(record, registered.as_ref())
            );
        }
    }
    Ok(())
}

/// The company as the applicant named it, with the reviewer's signals:
/// whether the name is the directory's, and whether the admin's address
/// is in the domain of the company's website.
fn shown_company(record: &Record, registered: Option<&MpnEntry>) -> String {
    let company = record.answers.company.legal_name.trim();
    let mut shown = escape_unprintable(company);
    if let Some(entry) = registered {
        if same_company_name(company, &entry.company_name) {
            shown.push_str("  [name = directory]");
        } else {
            let name = escape_unprintable(&entry.company_name);
            shown.push_str(&format!("  [directory: {name}]"));
        }
    }
    let answers = &record.answers;
    let admin = domain_of(&answers.admin.email).unwrap_or_default();
    if admin_matches_website(&answers.admin.email, &answers.company.website) {
        shown.push_str("  [admin domain = website]");
    } else {
        let site = website_domain(&answers.company.website).unwrap_or_default();
        shown.push_str(&format!(
            "  [admin domain {} != website {}]",
            escape_unprintable(&admin),
            escape_unprintable(&site)
        ));
    }
    shown
}

/// Names compared as a reviewer would: case, spaces and punctuation aside
/// ("Contoso Ltd" and "CONTOSO LTD." are one company).
fn same_company_name(a: &str, b: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    key(a) == key(b)
}
