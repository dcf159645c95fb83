//! The domains a partner account's users may have addresses in (the part
//! after `@`, lower case, exact: a subdomain is another domain). An account
//! starts with the domain of its proven admin address; its global admin
//! proves others by a code emailed to an address in them. So no account
//! can add, and so stall the approval of, another company's people.

use serde::{Deserialize, Serialize};

use crate::email::parse_email;
use crate::{Problem, ProblemCode, ReferenceData};

/// A domain the account's users may have addresses in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AccountDomain {
    /// Lower case; exact (a subdomain is another domain).
    pub domain: String,
    /// Seconds since the Unix epoch.
    pub proven_at: u64,
}

/// `GET /account/domains`, and the answer of a proof.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AccountDomains {
    /// In the order they were proven; the first is the admin address's.
    pub items: Vec<AccountDomain>,
}

/// `POST /account/domains`: a domain to prove, and the address in it the
/// code goes to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct DomainProofRequest {
    pub domain: String,
    pub email: String,
}

/// The code is on its way.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct DomainCodeSent {
    pub domain: String,
    pub to: String,
    pub expires_in_secs: u64,
}

/// `POST /account/domains/{domain}/verify`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct DomainCode {
    /// The 6 digits from the email (spaces are fine).
    pub code: String,
}

/// The domain of `email`, lower case; none for an address that is not one.
pub fn domain_of(email: &str) -> Option<String> {
    parse_email(email.trim()).map(|parsed| parsed.domain.to_ascii_lowercase())
}

/// `typed` as a domain (lower case, no trailing dot), if it is one with at
/// least two labels.
pub fn parse_domain(typed: &str) -> Option<String> {
    let domain = typed.trim().trim_end_matches('.').to_ascii_lowercase();
    let valid = domain.contains('.')
        && domain.len() <= 253
        && parse_email(&format!("x@{domain}")).is_some();
    valid.then_some(domain)
}

/// What is wrong with proving `domain` by a code sent to `email`: the
/// domain must be one, and not a free-mail one (anyone has an address
/// there); the address must be in it, exactly.
pub fn proof_problems(domain: &str, email: &str, reference: &ReferenceData) -> Vec<Problem> {
    let mut problems = Vec::new();
    let parsed = parse_domain(domain);
    match &parsed {
        _ if domain.trim().is_empty() => {
            problems.push(Problem::at("domain", ProblemCode::Required));
        }
        None => problems.push(Problem::at("domain", ProblemCode::InvalidFormat)),
        Some(domain) if reference.is_free_mail(domain) == Some(true) => problems
            .push(Problem::at("domain", ProblemCode::FreeEmailDomain).with_param("domain", domain)),
        Some(_) => {}
    }
    if email.trim().is_empty() {
        problems.push(Problem::at("email", ProblemCode::Required));
    } else if let Some(of_email) = domain_of(email) {
        if parsed.is_some_and(|domain| domain != of_email) {
            problems.push(Problem::at("email", ProblemCode::NotInDomain));
        }
    } else {
        problems.push(Problem::at("email", ProblemCode::InvalidFormat));
    }
    problems
}

/// The domain of a company's website address (`https://www.contoso.com/`
/// is `contoso.com`: a leading `www.` aside), if it has one.
pub fn website_domain(website: &str) -> Option<String> {
    let rest = website.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, after)| after);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    parse_domain(host)
}

/// A reviewer's signal: whether the admin's address is in the domain of
/// the company's website (the one, or a subdomain of it).
pub fn admin_matches_website(admin_email: &str, website: &str) -> bool {
    match (domain_of(admin_email), website_domain(website)) {
        (Some(admin), Some(site)) => admin == site || admin.ends_with(&format!(".{site}")),
        _ => false,
    }
}

/// Whether `email` is in one of `domains` (each lower case).
pub fn in_domains(email: &str, domains: &[String]) -> bool {
    domain_of(email).is_some_and(|domain| domains.contains(&domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_is_exact_and_lower_case() {
        assert_eq!(
            domain_of(" Jane@Contoso.COM ").as_deref(),
            Some("contoso.com")
        );
        assert_eq!(domain_of("jane"), None);
        assert_eq!(parse_domain("Contoso.com.").as_deref(), Some("contoso.com"));
        assert_eq!(parse_domain("contoso"), None);
        assert_eq!(parse_domain("-x.com"), None);
        let ours = vec!["contoso.com".to_owned()];
        assert!(in_domains("sam@CONTOSO.com", &ours));
        // Neither a subdomain nor a look-alike.
        assert!(!in_domains("sam@eu.contoso.com", &ours));
        assert!(!in_domains("sam@contoso.com.evil.example", &ours));
    }

    #[test]
    fn the_admin_matches_the_website_in_its_domain_or_below() {
        assert_eq!(
            website_domain("https://www.Contoso.com/about").as_deref(),
            Some("contoso.com")
        );
        assert_eq!(website_domain("contoso.de").as_deref(), Some("contoso.de"));
        assert_eq!(website_domain("").as_deref(), None);
        assert!(admin_matches_website(
            "jane@contoso.com",
            "https://www.contoso.com"
        ));
        assert!(admin_matches_website("jane@eu.contoso.com", "contoso.com"));
        assert!(!admin_matches_website(
            "jane@contoso.com.evil.example",
            "contoso.com"
        ));
        assert!(!admin_matches_website(
            "jane@fabrikam.com",
            "https://contoso.com"
        ));
        assert!(!admin_matches_website("jane@contoso.com", ""));
    }

    #[test]
    fn a_proof_needs_an_address_in_a_domain_that_is_not_free_mail() {
        let reference = ReferenceData::vendored();
        let codes = |domain: &str, email: &str| {
            proof_problems(domain, email, &reference)
                .into_iter()
                .map(|p| (p.field, p.code))
                .collect::<Vec<_>>()
        };
        assert!(codes("fabrikam.com", "it@fabrikam.com").is_empty());
        assert!(codes("Fabrikam.COM", "IT@fabrikam.com").is_empty());
        assert_eq!(
            codes("fabrikam.com", "it@contoso.com"),
            [("email".into(), ProblemCode::NotInDomain)]
        );
        assert_eq!(
            codes("gmail.com", "someone@gmail.com"),
            [("domain".into(), ProblemCode::FreeEmailDomain)]
        );
        assert_eq!(
            codes("", ""),
            [
                ("domain".into(), ProblemCode::Required),
                ("email".into(), ProblemCode::Required)
            ]
        );
        assert_eq!(
            codes("not a domain", "x"),
            [
                ("domain".into(), ProblemCode::InvalidFormat),
                ("email".into(), ProblemCode::InvalidFormat)
            ]
        );
    }
}
