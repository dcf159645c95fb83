//! The admin's work email: the WHATWG "valid e-mail address" grammar, a
//! domain with a dot, no free-mail provider, no role address; a likely typo
//! of a well-known domain is a warning with the fix.

use crate::reference::ReferenceData;
use crate::{Field, Problem, ProblemCode};

/// RFC 5321's limit on a path, which bounds any address.
use crate::text::caps::EMAIL as MAX_EMAIL_CHARS;

/// Mailboxes of a function rather than a person: the admin account needs a
/// person who can be reached and held to account.
const ROLE_LOCAL_PARTS: &[&str] = &[
    "abuse",
    "accounting",
    "accounts",
    "admin",
    "administrator",
    "billing",
    "careers",
    "contact",
    "enquiries",
    "finance",
    "help",
    "hello",
    "helpdesk",
    "hostmaster",
    "hr",
    "info",
    "it",
    "jobs",
    "legal",
    "mail",
    "marketing",
    "no-reply",
    "noreply",
    "office",
    "postmaster",
    "privacy",
    "root",
    "sales",
    "security",
    "service",
    "support",
    "team",
    "webmaster",
];

/// Domains people mistype often enough to be worth a suggestion.
const WELL_KNOWN_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "icloud.com",
    "aol.com",
    "protonmail.com",
    "gmx.de",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "foxmail.com",
    "aliyun.com",
];

/// Top-level domains mistyped for common ones.
const TLD_TYPOS: &[(&str, &str)] = &[
    ("con", "com"),
    ("cmo", "com"),
    ("ocm", "com"),
    ("comm", "com"),
    ("cm", "com"),
    ("vom", "com"),
    ("xom", "com"),
    ("c0m", "com"),
    ("net1", "net"),
    ("nte", "net"),
    ("ent", "net"),
    ("ogr", "org"),
    ("rog", "org"),
];

/// An address as the server and the app compare it (signing in, the
/// proven admin address, the account's users): trimmed, lower case. In
/// ASCII case: every address that passes `parse_email` (WHATWG's grammar)
/// is ASCII, and the full Unicode tables would cost the app's first page
/// 2 KB.
pub fn address_key(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// The mailbox an address delivers to: its `address_key` without a
/// `+tag` (jane+1@contoso.com and Jane@contoso.com are one inbox). Every
/// per-recipient limit counts by this.
pub fn mailbox(email: &str) -> String {
    let address = address_key(email);
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{local}@{domain}")
        }
        None => address,
    }
}

/// A syntactically valid address split at its `@`.
pub struct ParsedEmail<'a> {
    pub local: &'a str,
    pub domain: &'a str,
}

/// WHATWG HTML's "valid e-mail address": `local@domain` where local is
/// one or more of `A-Za-z0-9.!#$%&'*+/=?^_`{|}~-` and domain is labels of
/// letters, digits and inner hyphens (at most 63 each) joined by dots.
pub fn parse_email(email: &str) -> Option<ParsedEmail<'_>> {
    let (local, domain) = email.split_once('@')?;
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let domain_ok = !domain.is_empty() && domain.split('.').all(is_domain_label);
    (local_ok && domain_ok).then_some(ParsedEmail { local, domain })
}

fn is_domain_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Errors and warnings for the admin's email.
pub fn email_problems(
    field: Field,
    typed: &str,
    reference: &ReferenceData,
) -> (Vec<Problem>, Vec<Problem>) {
    let email = typed.trim();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if email.is_empty() {
        errors.push(Problem::new(field, ProblemCode::Required));
        return (errors, warnings);
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        errors.push(
            Problem::new(field, ProblemCode::TooLong)
                .with_param("max", MAX_EMAIL_CHARS.to_string()),
        );
        return (errors, warnings);
    }
    let Some(parsed) = parse_email(email).filter(|p| p.domain.contains('.')) else {
        errors.push(Problem::new(field, ProblemCode::InvalidFormat));
        return (errors, warnings);
    };
    let domain = parsed.domain.to_ascii_lowercase();
    if reference.is_free_mail(&domain) == Some(true) {
        errors.push(
            Problem::new(field, ProblemCode::FreeEmailDomain).with_param("domain", domain.clone()),
        );
    }
    // `sales+csp@` is still the sales mailbox.
    let mailbox = mailbox(email);
    let local = mailbox.split('@').next().unwrap_or_default();
    if ROLE_LOCAL_PARTS.contains(&local) {
        errors
            .push(Problem::new(field, ProblemCode::RoleAddress).with_param("local", parsed.local));
    }
    if let Some(fixed) = suggest_domain(&domain) {
        warnings.push(
            Problem::new(field, ProblemCode::EmailDomainTypo)
                .with_param("suggestion", format!("{}@{fixed}", parsed.local)),
        );
    }
    (errors, warnings)
}

/// `email_problems` for an address at `path` of a contract other than the
/// application's (`contact.email`, `admin_email`): a work address, by the
/// admin's rules.
pub fn email_problems_at(
    path: &str,
    typed: &str,
    reference: &ReferenceData,
) -> (Vec<Problem>, Vec<Problem>) {
    let (errors, warnings) = email_problems(Field::Email, typed, reference);
    let at_path = |problems: Vec<Problem>| {
        problems
            .into_iter()
            .map(|mut p| {
                p.field = path.to_owned();
                p
            })
            .collect()
    };
    (at_path(errors), at_path(warnings))
}

/// A likely intended domain for a mistyped one, if any.
pub fn suggest_domain(domain: &str) -> Option<String> {
    let domain = domain.to_ascii_lowercase();
    if WELL_KNOWN_DOMAINS.contains(&domain.as_str()) {
        return None;
    }
    let close = WELL_KNOWN_DOMAINS
        .iter()
        .map(|known| (edit_distance(&domain, known), *known))
        .filter(|(d, known)| *d > 0 && *d <= if known.len() > 6 { 2 } else { 1 })
        .min_by_key(|(d, _)| *d);
    if let Some((_, known)) = close {
        return Some(known.to_owned());
    }
    let (name, tld) = domain.rsplit_once('.')?;
    TLD_TYPOS
        .iter()
        .find(|(typo, _)| *typo == tld)
        .map(|(_, fixed)| format!("{name}.{fixed}"))
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and swaps of neighbours ("gmial" → "gmail" is one).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_one_whatever_its_case_and_a_mailbox_whatever_its_tag() {
        assert_eq!(
            address_key("  Jane.Doe@Contoso.COM "),
            "jane.doe@contoso.com"
        );
        assert_eq!(address_key("jane+x@contoso.com"), "jane+x@contoso.com");
        assert_eq!(mailbox("Jane+Newsletter@Contoso.com"), "jane@contoso.com");
        assert_eq!(mailbox("jane@contoso.com"), "jane@contoso.com");
        assert_eq!(mailbox("not an address"), "not an address");
    }

    fn check(email: &str) -> (Vec<ProblemCode>, Vec<ProblemCode>) {
        let reference = ReferenceData::vendored();
        let (errors, warnings) = email_problems(Field::Email, email, &reference);
        (
            errors.iter().map(|p| p.code).collect(),
            warnings.iter().map(|p| p.code).collect(),
        )
    }

    #[test]
    fn whatwg_grammar_table() {
        let valid = [
            "jane.doe@contoso.com",
            "j+csp@contoso.co.uk",
            "o'brien@contoso.ie",
            "x@a-b.example",
            " jane@contoso.com ",
        ];
        for email in valid {
            assert_eq!(check(email), (vec![], vec![]), "{email}");
        }
        let invalid = [
            "jane",
            "jane@",
            "@contoso.com",
            "jane@@contoso.com",
            "jane@contoso",
            "jane doe@contoso.com",
            "jane@-contoso.com",
            "jane@contoso-.com",
            "jane@contoso..com",
            "jané@contoso.com",
            "jane@contoso.com.",
            "\"jane\"@contoso.com",
        ];
        for email in invalid {
            assert_eq!(check(email).0, [ProblemCode::InvalidFormat], "{email}");
        }
        assert_eq!(check("").0, [ProblemCode::Required]);
        assert_eq!(
            check(&format!("{}@contoso.com", "a".repeat(250))).0,
            [ProblemCode::TooLong]
        );
    }

    #[test]
    fn free_mail_and_role_addresses_are_refused() {
        for email in [
            "jane@gmail.com",
            "li.wei@qq.com",
            "wang@163.com",
            "zhang@126.com",
            "jane@Outlook.com",
        ] {
            assert_eq!(check(email).0, [ProblemCode::FreeEmailDomain], "{email}");
        }
        for email in [
            "info@contoso.com",
            "Admin@contoso.com",
            "sales+csp@contoso.com",
            "no-reply@contoso.com",
        ] {
            assert_eq!(check(email).0, [ProblemCode::RoleAddress], "{email}");
        }
        assert_eq!(
            check("info@qq.com").0,
            [ProblemCode::FreeEmailDomain, ProblemCode::RoleAddress]
        );
        assert_eq!(check("information@contoso.com"), (vec![], vec![]));
    }

    #[test]
    fn likely_typos_are_warnings_with_the_fix() {
        let reference = ReferenceData::vendored();
        let (_, warnings) = email_problems(Field::Email, "jane@gmial.com", &reference);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, ProblemCode::EmailDomainTypo);
        assert_eq!(warnings[0].params["suggestion"], "jane@gmail.com");
        let (errors, warnings) = email_problems(Field::Email, "jane@contoso.con", &reference);
        assert!(errors.is_empty());
        assert_eq!(warnings[0].params["suggestion"], "jane@contoso.com");
        for domain in ["contoso.com", "gmail.com", "fabrikam.net", "qq.com"] {
            assert_eq!(suggest_domain(domain), None, "{domain}");
        }
        assert_eq!(
            suggest_domain("hotmial.com").as_deref(),
            Some("hotmail.com")
        );
        assert_eq!(suggest_domain("outlok.com").as_deref(), Some("outlook.com"));
    }

    #[test]
    fn without_the_list_free_mail_is_left_to_the_server() {
        let (errors, _) = email_problems(Field::Email, "jane@gmail.com", &ReferenceData::none());
        assert!(errors.is_empty());
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("gmial", "gmail"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
