//! The company: its MPN ID, legal name, website and tax ID.

use crate::email::parse_email;
use crate::{Company, Problem, ProblemCode};

/// MPN IDs (the numeric partner IDs the vendor issues) are 6 or 7 digits
/// in the IDs seen in Partner Center; up to 10 are accepted so that a
/// longer ID issued later is not refused here (the lookup confirms it).
const MPN_ID_DIGITS: std::ops::RangeInclusive<usize> = 6..=10;
const LEGAL_NAME_CHARS: std::ops::RangeInclusive<usize> = 2..=crate::text::caps::LEGAL_NAME;
const TAX_ID_CHARS: std::ops::RangeInclusive<usize> = 2..=32;
use crate::text::caps::WEBSITE as WEBSITE_MAX_CHARS;

/// The MPN ID as compared: with the spaces people type removed.
pub fn normalize_mpn_id(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn mpn_id_problems(typed: &str) -> Vec<Problem> {
    let id = normalize_mpn_id(typed);
    let params = |p: Problem| {
        p.with_param("min", MPN_ID_DIGITS.start().to_string())
            .with_param("max", MPN_ID_DIGITS.end().to_string())
    };
    let problem = if id.is_empty() {
        Problem::new("mpn_id", ProblemCode::Required)
    } else if !id.chars().all(|c| c.is_ascii_digit()) {
        params(Problem::new("mpn_id", ProblemCode::InvalidFormat))
    } else if id.len() < *MPN_ID_DIGITS.start() {
        params(Problem::new("mpn_id", ProblemCode::TooShort))
    } else if id.len() > *MPN_ID_DIGITS.end() {
        params(Problem::new("mpn_id", ProblemCode::TooLong))
    } else {
        return Vec::new();
    };
    vec![problem]
}

pub fn company_problems(company: &Company) -> Vec<Problem> {
    let mut problems = Vec::new();
    let name = company.legal_name.trim();
    let name_len = name.chars().count();
    if name.is_empty() {
        problems.push(Problem::new("company.legal_name", ProblemCode::Required));
    } else if name_len < *LEGAL_NAME_CHARS.start() {
        problems
            .push(Problem::new("company.legal_name", ProblemCode::TooShort).with_param("min", "2"));
    } else if name_len > *LEGAL_NAME_CHARS.end() {
        problems.push(
            Problem::new("company.legal_name", ProblemCode::TooLong)
                .with_param("max", LEGAL_NAME_CHARS.end().to_string()),
        );
    } else if !name.chars().any(char::is_alphanumeric) {
        problems.push(Problem::new(
            "company.legal_name",
            ProblemCode::InvalidFormat,
        ));
    }

    let website = company.website.trim();
    if !website.is_empty() && !is_website(website) {
        problems.push(Problem::new("company.website", ProblemCode::InvalidFormat));
    }

    let tax_id = company.tax_id.trim();
    if !tax_id.is_empty() {
        let allowed = |c: char| c.is_alphanumeric() || " .-/".contains(c);
        let len = tax_id.chars().count();
        if !tax_id.chars().all(allowed) || !TAX_ID_CHARS.contains(&len) {
            problems.push(Problem::new("company.tax_id", ProblemCode::InvalidFormat));
        }
    }
    problems
}

/// `https://contoso.com/about`, `http://contoso.com` or `contoso.com`: an
/// http(s) address whose host is a domain with a dot.
pub fn is_website(typed: &str) -> bool {
    if typed.chars().count() > WEBSITE_MAX_CHARS || typed.chars().any(char::is_whitespace) {
        return false;
    }
    let lower = typed.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() {
            h
        } else {
            host
        }
    });
    // The email grammar's domain rule is the same label rule.
    host.contains('.') && parse_email(&format!("x@{host}")).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mpn_id_table() {
        for ok in ["1234567", "123 4567", " 123456 ", "1234567890"] {
            assert!(mpn_id_problems(ok).is_empty(), "{ok}");
        }
        let cases = [
            ("", ProblemCode::Required),
            ("   ", ProblemCode::Required),
            ("12345", ProblemCode::TooShort),
            ("12345678901", ProblemCode::TooLong),
            ("12345a7", ProblemCode::InvalidFormat),
            ("１２３４５６７", ProblemCode::InvalidFormat),
            ("-1234567", ProblemCode::InvalidFormat),
        ];
        for (typed, code) in cases {
            assert_eq!(mpn_id_problems(typed)[0].code, code, "{typed:?}");
        }
    }

    fn company(name: &str, website: &str, tax_id: &str) -> Vec<(String, ProblemCode)> {
        let company = Company {
            legal_name: name.into(),
            website: website.into(),
            tax_id: tax_id.into(),
        };
        company_problems(&company)
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    }

    #[test]
    fn company_table() {
        assert_eq!(company("Contoso Ltd", "", ""), []);
        assert_eq!(
            company(
                "北京科技有限公司",
                "https://contoso.cn/zh",
                "91110000600037341L"
            ),
            []
        );
        assert_eq!(company("Contoso GmbH", "contoso.de", "DE 123 456 789"), []);
        assert_eq!(
            company("Contoso", "http://contoso.com:8080/x?y#z", "12-3456789"),
            []
        );
        assert_eq!(
            company("", "", ""),
            [("company.legal_name".into(), ProblemCode::Required)]
        );
        assert_eq!(
            company("X", "", ""),
            [("company.legal_name".into(), ProblemCode::TooShort)]
        );
        assert_eq!(
            company("--", "", ""),
            [("company.legal_name".into(), ProblemCode::InvalidFormat)]
        );
        for site in [
            "contoso",
            "ftp://contoso.com",
            "https://",
            "https://conto so.com",
            "https://-x.com",
        ] {
            assert_eq!(
                company("Contoso", site, ""),
                [("company.website".into(), ProblemCode::InvalidFormat)],
                "{site}"
            );
        }
        for tax in ["1", "DE<123>", &"9".repeat(33)] {
            assert_eq!(
                company("Contoso", "", tax),
                [("company.tax_id".into(), ProblemCode::InvalidFormat)],
                "{tax}"
            );
        }
    }
}
