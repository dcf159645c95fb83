//! The company: its MPN ID, legal name, website and tax ID.

use crate::email::parse_email;
use crate::problem::broken;
use crate::ProblemCode;
use validator::ValidationError;

/// MPN IDs (the numeric partner IDs the vendor issues) are 6 or 7 digits
/// in the IDs seen in Partner Center; up to 10 are accepted so that a
/// longer ID issued later is not refused here (the lookup confirms it).
const MPN_ID_DIGITS: std::ops::RangeInclusive<usize> = 6..=10;
const LEGAL_NAME_MIN_CHARS: usize = 2;
use crate::text::caps::LEGAL_NAME as LEGAL_NAME_MAX_CHARS;
const TAX_ID_CHARS: std::ops::RangeInclusive<usize> = 2..=32;
use crate::text::caps::WEBSITE as WEBSITE_MAX_CHARS;

/// The MPN ID as compared: with the spaces people type removed.
pub fn normalize_mpn_id(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The MPN ID's rule (a `validator` custom rule on `Answers::mpn_id`).
pub fn mpn_id(typed: &str) -> Result<(), ValidationError> {
    let id = normalize_mpn_id(typed);
    let (min, max) = (
        MPN_ID_DIGITS.start().to_string(),
        MPN_ID_DIGITS.end().to_string(),
    );
    let code = if id.is_empty() {
        return Err(broken(ProblemCode::Required, &[]));
    } else if !id.chars().all(|c| c.is_ascii_digit()) {
        ProblemCode::InvalidFormat
    } else if id.len() < *MPN_ID_DIGITS.start() {
        ProblemCode::TooShort
    } else if id.len() > *MPN_ID_DIGITS.end() {
        ProblemCode::TooLong
    } else {
        return Ok(());
    };
    Err(broken(code, &[("min", &min), ("max", &max)]))
}

/// [`mpn_id`]'s rule as a regular expression (ECMA-262, as JSON Schema's
/// `pattern` reads it), for the contract's `{mpn_id}`: the digits, with
/// the whitespace [`normalize_mpn_id`] drops allowed around and among them.
pub fn mpn_id_pattern() -> String {
    format!(
        r"^\s*(?:[0-9]\s*){{{},{}}}$",
        MPN_ID_DIGITS.start(),
        MPN_ID_DIGITS.end()
    )
}

/// The legal name's form, once it is there and not over its cap (the
/// `required` and `length` rules beside it on `Company::legal_name`).
pub fn legal_name(name: &str) -> Result<(), ValidationError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > LEGAL_NAME_MAX_CHARS {
        Ok(())
    } else if name.chars().count() < LEGAL_NAME_MIN_CHARS {
        let min = LEGAL_NAME_MIN_CHARS.to_string();
        Err(broken(ProblemCode::TooShort, &[("min", &min)]))
    } else if !name.chars().any(char::is_alphanumeric) {
        Err(broken(ProblemCode::InvalidFormat, &[]))
    } else {
        Ok(())
    }
}

/// The website, if given.
pub fn website(typed: &str) -> Result<(), ValidationError> {
    let website = typed.trim();
    match website.is_empty() || is_website(website) {
        true => Ok(()),
        false => Err(broken(ProblemCode::InvalidFormat, &[])),
    }
}

/// The tax or registration number, if given: letters, digits and the
/// separators people write them with.
pub fn tax_id(typed: &str) -> Result<(), ValidationError> {
    let tax_id = typed.trim();
    let allowed = |c: char| c.is_alphanumeric() || " .-/".contains(c);
    let len = tax_id.chars().count();
    match tax_id.is_empty() || (tax_id.chars().all(allowed) && TAX_ID_CHARS.contains(&len)) {
        true => Ok(()),
        false => Err(broken(ProblemCode::InvalidFormat, &[])),
    }
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
    use crate::Company;

    #[test]
    fn mpn_id_table() {
        for ok in ["1234567", "123 4567", " 123456 ", "1234567890"] {
            assert!(mpn_id(ok).is_ok(), "{ok}");
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
            let found = mpn_id(typed).unwrap_err().code;
            assert_eq!(found, code.as_str(), "{typed:?}");
        }
    }

    fn company(name: &str, website: &str, tax_id: &str) -> Vec<(String, ProblemCode)> {
        let company = Company {
            legal_name: name.into(),
            website: website.into(),
            tax_id: tax_id.into(),
        };
        crate::validate::checked(&company, Vec::new())
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
