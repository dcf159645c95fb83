//! A customer's request for a partner, as the find-a-partner page sends it
//! (`POST /partner-requests`): what the customer needs (`matching::Needs`),
//! whom to contact, and the consent that the contact goes to the one
//! partner who accepts. Its rules, stated once.

use serde::{Deserialize, Serialize};

use crate::email::email_problems_at;
use crate::matching::Needs;
use crate::reference::{Lookup, ReferenceData};
use crate::text::{is_forbidden, required_line};
use crate::validate::is_phone_number;
use crate::vocabulary::{Vocabulary, CUSTOMER_SIZES, INDUSTRIES, PRODUCTS};
use crate::{Problem, ProblemCode, ValidationReport};

/// The request's numbers (the issue's), one place.
pub mod limits {
    /// Characters in the description of the need.
    pub const DESCRIPTION_MAX_CHARS: usize = 1_000;
    /// Characters in a name or a city.
    pub const LINE_MAX_CHARS: usize = 100;
    /// Requests one client may make an hour,
    pub const REQUESTS_PER_CLIENT_HOUR: u32 = 5;
    /// and one customer address may make a day.
    pub const REQUESTS_PER_ADDRESS_DAY: u32 = 3;
    /// A partner answers a referral within this many days, or the next
    /// partner receives it.
    pub const REFERRAL_ANSWER_DAYS: u64 = 14;
    /// The link to the request's page works this long after the request
    /// is made: three partners' 14 days each, and time after.
    pub const REQUEST_LINK_SECS: u64 = 90 * 86_400;
}

/// Whom the partner who accepts contacts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct RequestContact {
    pub name: String,
    /// A work address, proven with a code before any partner hears of it.
    pub email: String,
    /// Optional.
    pub phone: String,
}

/// `POST /partner-requests`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct PartnerRequest {
    /// The customer's language (`zh-CN`): of the emails, and the language
    /// the partner should speak.
    pub locale: String,
    pub needs: Needs,
    pub contact: RequestContact,
    /// The contact goes to the one partner who accepts, and to nobody
    /// before.
    pub consent_to_share: bool,
}

impl PartnerRequest {
    /// As typed, without the spaces around each answer; codes once each.
    pub fn trimmed(&self) -> Self {
        let text = |t: &String| t.trim().to_owned();
        Self {
            locale: text(&self.locale),
            needs: Needs {
                products: PRODUCTS.in_order(&self.needs.products),
                industry: text(&self.needs.industry),
                company_size: text(&self.needs.company_size),
                country: text(&self.needs.country).to_ascii_uppercase(),
                city: text(&self.needs.city),
                description: text(&self.needs.description),
            },
            contact: RequestContact {
                name: text(&self.contact.name),
                email: text(&self.contact.email),
                phone: text(&self.contact.phone),
            },
            consent_to_share: self.consent_to_share,
        }
    }

    /// What is wrong with it, at the contract's fields (`needs.products`,
    /// `contact.email`). Call on `trimmed()`.
    pub fn validate(&self, reference: &ReferenceData) -> ValidationReport {
        let mut errors = Vec::new();
        // The language of the emails and the one a partner should speak:
        // one the product has words in.
        if crate::Locale::from_tag(&self.locale).is_none() {
            errors.push(Problem::at("locale", ProblemCode::InvalidFormat));
        }
        let needs = &self.needs;
        if needs.products.is_empty() {
            errors.push(Problem::at("needs.products", ProblemCode::Required));
        }
        errors.extend(PRODUCTS.unknown("needs.products", &needs.products));
        let one_of = |path: &str, code: &String, vocabulary: Vocabulary| {
            if code.is_empty() {
                Some(Problem::at(path, ProblemCode::Required))
            } else {
                vocabulary.unknown(path, std::slice::from_ref(code))
            }
        };
        errors.extend(one_of("needs.industry", &needs.industry, INDUSTRIES));
        errors.extend(one_of(
            "needs.company_size",
            &needs.company_size,
            CUSTOMER_SIZES,
        ));
        if needs.country.is_empty() {
            errors.push(Problem::at("needs.country", ProblemCode::Required));
        } else if matches!(reference.address_format(&needs.country), Lookup::Absent) {
            errors.push(Problem::at("needs.country", ProblemCode::UnknownCountry));
        }
        errors.extend(required_line(
            "needs.city",
            &needs.city,
            limits::LINE_MAX_CHARS,
        ));
        if needs.description.is_empty() {
            errors.push(Problem::at("needs.description", ProblemCode::Required));
        } else if needs.description.chars().any(|c| is_forbidden(c, true)) {
            errors.push(Problem::at(
                "needs.description",
                ProblemCode::ControlCharacter,
            ));
        } else if needs.description.chars().count() > limits::DESCRIPTION_MAX_CHARS {
            errors.push(
                Problem::at("needs.description", ProblemCode::TooLong)
                    .with_param("max", limits::DESCRIPTION_MAX_CHARS.to_string()),
            );
        }
        errors.extend(required_line(
            "contact.name",
            &self.contact.name,
            limits::LINE_MAX_CHARS,
        ));
        // A work address, by the admin's rules.
        let (email_errors, warnings) =
            email_problems_at("contact.email", &self.contact.email, reference);
        errors.extend(email_errors);
        let phone = &self.contact.phone;
        if !phone.is_empty() && !is_phone_number(phone) {
            errors.push(Problem::at("contact.phone", ProblemCode::InvalidFormat));
        }
        if !self.consent_to_share {
            errors.push(Problem::at("consent_to_share", ProblemCode::MustAccept));
        }
        ValidationReport::from_problems(errors, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Catalog, Locale};

    fn request() -> PartnerRequest {
        PartnerRequest {
            locale: "zh-CN".into(),
            needs: Needs {
                products: vec!["azure".into()],
                industry: "healthcare".into(),
                company_size: "50_99".into(),
                country: "de".into(),
                city: " Berlin ".into(),
                description: "Move our patient records to Azure.".into(),
            },
            contact: RequestContact {
                name: "Li Wei".into(),
                email: "li.wei@fabrikam.com".into(),
                phone: String::new(),
            },
            consent_to_share: true,
        }
    }

    fn problems(request: &PartnerRequest) -> Vec<(String, &'static str)> {
        request
            .trimmed()
            .validate(&ReferenceData::vendored())
            .errors
            .iter()
            .map(|p| (p.field.clone(), p.code.as_str()))
            .collect()
    }

    #[test]
    fn a_complete_request_passes_and_each_answer_has_its_rule() {
        assert_eq!(problems(&request()), []);
        assert_eq!(request().trimmed().needs.country, "DE");
        type Change = fn(&mut PartnerRequest);
        let cases: Vec<(Change, (&str, &str))> = vec![
            (|r| r.needs.products.clear(), ("needs.products", "required")),
            (
                |r| r.needs.products.push("aws".into()),
                ("needs.products", "invalid_format"),
            ),
            (|r| r.needs.industry.clear(), ("needs.industry", "required")),
            (
                |r| r.needs.company_size = "10-49".into(),
                ("needs.company_size", "invalid_format"),
            ),
            (
                |r| r.needs.country = "XX".into(),
                ("needs.country", "unknown_country"),
            ),
            (|r| r.needs.city = "  ".into(), ("needs.city", "required")),
            (
                |r| r.needs.description = "x".repeat(1_001),
                ("needs.description", "too_long"),
            ),
            (|r| r.contact.name.clear(), ("contact.name", "required")),
            (
                |r| r.contact.email = "li@qq.com".into(),
                ("contact.email", "free_email_domain"),
            ),
            (
                |r| r.contact.email = "not an address".into(),
                ("contact.email", "invalid_format"),
            ),
            (
                |r| r.contact.phone = "call me".into(),
                ("contact.phone", "invalid_format"),
            ),
            (
                |r| r.consent_to_share = false,
                ("consent_to_share", "must_accept"),
            ),
        ];
        for (change, expected) in cases {
            let mut r = request();
            change(&mut r);
            let found = problems(&r);
            assert!(
                found.contains(&(expected.0.to_owned(), expected.1)),
                "{expected:?} not in {found:?}"
            );
        }
    }

    #[test]
    fn every_problem_is_worded_in_both_languages() {
        let mut empty = PartnerRequest::default();
        empty.contact.phone = "call me".into();
        for locale in Locale::ALL {
            let mut report = empty.trimmed().validate(&ReferenceData::vendored());
            report.localize(Catalog::get(locale));
            let catalog = Catalog::get(locale);
            for problem in &report.errors {
                // Each in words of its own ("Enter your name"), not the
                // generic "This is required".
                let own = format!("problem.{}.{}", problem.field, problem.code.as_str());
                assert!(catalog.lookup(&own).is_some(), "{own} in {}", locale.tag());
                assert_eq!(problem.message.as_deref(), catalog.lookup(&own));
            }
            assert_eq!(report.errors.len(), 11, "{:?}", report.errors);
        }
    }
}
