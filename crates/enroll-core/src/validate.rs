//! Validation of an application, whole or one section at a time: each
//! section's rules live in their own module; this one puts them together.

use crate::address::address_problems;
use crate::bank::bank_problems;
use crate::company::{company_problems, mpn_id_problems};
use crate::email::email_problems;
use crate::reference::{Lookup, ReferenceData};
use crate::tenant::tenant_problems;
use crate::text::{character_problems, holds_pasted, strip_pasted_answers};
use crate::{Answers, Problem, ProblemCode, ValidationReport};
use std::borrow::Cow;

/// The parts of an application that the wizard asks for on their own page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    Model,
    MpnId,
    Company,
    Address,
    Bank,
    Admin,
    Tenant,
    Attestations,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Model,
        Section::MpnId,
        Section::Company,
        Section::Address,
        Section::Bank,
        Section::Admin,
        Section::Tenant,
        Section::Attestations,
    ];

    /// The section a field path belongs to (`bank.iban` → Bank).
    pub fn of_field(field: &str) -> Option<Section> {
        let head = field.split('.').next()?;
        Some(match head {
            "model" => Section::Model,
            "mpn_id" => Section::MpnId,
            "company" => Section::Company,
            "address" => Section::Address,
            "bank" => Section::Bank,
            "admin" => Section::Admin,
            "tenant" => Section::Tenant,
            "attestations" => Section::Attestations,
            _ => return None,
        })
    }
}

/// Validates the whole application, as submitting it requires.
pub fn validate(answers: &Answers, reference: &ReferenceData) -> ValidationReport {
    let answers = &without_pasted_invisibles(answers);
    let controls = character_problems(answers);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for section in Section::ALL {
        let (e, w) = section_problems(section, answers, reference, &controls);
        errors.extend(e);
        warnings.extend(w);
    }
    ValidationReport::from_problems(errors, warnings)
}

/// Validates one section, as the wizard does on Continue.
pub fn validate_section(
    section: Section,
    answers: &Answers,
    reference: &ReferenceData,
) -> ValidationReport {
    let answers = &without_pasted_invisibles(answers);
    let controls = character_problems(answers);
    let (errors, warnings) = section_problems(section, answers, reference, &controls);
    ValidationReport::from_problems(errors, warnings)
}

use crate::text::caps::PERSON_NAME as NAME_MAX_CHARS;

/// The answers as validated: a byte-order mark or a soft hyphen pasted
/// along is not the applicant's mistake (the API removes them on save).
fn without_pasted_invisibles(answers: &Answers) -> Cow<'_, Answers> {
    let mut pasted = false;
    answers.each_text(|_, value| pasted |= holds_pasted(value));
    if !pasted {
        return Cow::Borrowed(answers);
    }
    let mut cleaned = answers.clone();
    strip_pasted_answers(&mut cleaned);
    Cow::Owned(cleaned)
}

/// A section's problems. A field holding a control character (`controls`,
/// found once for the whole application) gets that one problem: its other
/// rules would only confuse (an IBAN with an ESC in it is "invalid" for a
/// reason the applicant cannot see).
fn section_problems(
    section: Section,
    a: &Answers,
    reference: &ReferenceData,
    controls: &[Problem],
) -> (Vec<Problem>, Vec<Problem>) {
    let (mut errors, mut warnings) = rule_problems(section, a, reference);
    let controls: Vec<Problem> = controls
        .iter()
        .filter(|p| Section::of_field(&p.field) == Some(section))
        .cloned()
        .collect();
    if !controls.is_empty() {
        let tainted = |p: &Problem| controls.iter().any(|c| c.field == p.field);
        errors.retain(|p| !tainted(p));
        warnings.retain(|p| !tainted(p));
        errors.extend(controls);
    }
    (errors, warnings)
}

fn rule_problems(
    section: Section,
    a: &Answers,
    reference: &ReferenceData,
) -> (Vec<Problem>, Vec<Problem>) {
    let mut warnings = Vec::new();
    let errors = match section {
        Section::Model => match a.model {
            None => vec![Problem::new("model", ProblemCode::Required)],
            Some(_) => Vec::new(),
        },
        Section::MpnId => mpn_id_problems(&a.mpn_id),
        Section::Company => company_problems(&a.company),
        Section::Address => {
            let country = a.address.country.trim();
            if country.is_empty() {
                let mut problems = vec![Problem::new("address.country", ProblemCode::Required)];
                problems.extend(address_problems(&a.address, None));
                problems
            } else {
                match reference.address_format(country) {
                    Lookup::Found(format) => address_problems(&a.address, Some(format)),
                    Lookup::Unknown => address_problems(&a.address, None),
                    Lookup::Absent => {
                        vec![Problem::new("address.country", ProblemCode::UnknownCountry)]
                    }
                }
            }
        }
        Section::Bank => {
            if reference.address_format(&a.bank.country) == Lookup::Absent
                && !a.bank.country.trim().is_empty()
            {
                vec![Problem::new("bank.country", ProblemCode::UnknownCountry)]
            } else {
                bank_problems(&a.bank)
            }
        }
        Section::Admin => {
            let mut errors = Vec::new();
            for (field, value) in [
                ("admin.first_name", &a.admin.first_name),
                ("admin.last_name", &a.admin.last_name),
            ] {
                let value = value.trim();
                if value.is_empty() {
                    errors.push(Problem::new(field, ProblemCode::Required));
                } else if value.chars().count() > NAME_MAX_CHARS {
                    errors.push(
                        Problem::new(field, ProblemCode::TooLong)
                            .with_param("max", NAME_MAX_CHARS.to_string()),
                    );
                }
            }
            let (email_errors, email_warnings) =
                email_problems("admin.email", &a.admin.email, reference);
            errors.extend(email_errors);
            warnings.extend(email_warnings);
            if !a.admin.phone.trim().is_empty() && !is_phone_number(&a.admin.phone) {
                errors.push(Problem::new("admin.phone", ProblemCode::InvalidFormat));
            }
            errors
        }
        Section::Tenant => tenant_problems(&a.tenant),
        Section::Attestations => {
            let mut errors = Vec::new();
            if !a.attestations.no_resale_to_csp_partners {
                errors.push(Problem::new(
                    "attestations.no_resale_to_csp_partners",
                    ProblemCode::MustAccept,
                ));
            }
            if !a.attestations.terms_accepted {
                errors.push(Problem::new(
                    "attestations.terms_accepted",
                    ProblemCode::MustAccept,
                ));
            }
            errors
        }
    };
    (errors, warnings)
}

/// A phone number as people write it: an optional leading +, digits,
/// spaces, hyphens, dots and brackets; 6 to 15 digits (E.164's maximum).
pub fn is_phone_number(typed: &str) -> bool {
    let typed = typed.trim();
    let body = typed.strip_prefix('+').unwrap_or(typed);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || " -.()".contains(c))
        && (6..=15).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Catalog, Locale};

    fn complete() -> Answers {
        Answers::example()
    }

    fn fields(report: &ValidationReport) -> Vec<&str> {
        report.errors.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_complete_application_is_valid() {
        let report = validate(&complete(), &ReferenceData::vendored());
        assert!(report.valid, "{:?}", report.errors);
        assert!(report.warnings.is_empty());
    }

    #[test]
    fn an_empty_application_lists_every_required_field_once() {
        let report = validate(&Answers::default(), &ReferenceData::vendored());
        assert!(!report.valid);
        assert_eq!(
            fields(&report),
            [
                "model",
                "mpn_id",
                "company.legal_name",
                "address.country",
                "address.lines.0",
                "address.locality",
                "bank.country",
                "admin.first_name",
                "admin.last_name",
                "admin.email",
                "tenant.csp_domain",
                "attestations.no_resale_to_csp_partners",
                "attestations.terms_accepted",
            ]
        );
        assert!(report
            .errors
            .iter()
            .all(|p| matches!(p.code, ProblemCode::Required | ProblemCode::MustAccept)));
    }

    #[test]
    fn a_section_reports_only_its_own_fields() {
        let mut a = Answers::default();
        a.admin.first_name = "Jane".into();
        let report = validate_section(Section::Admin, &a, &ReferenceData::none());
        assert_eq!(fields(&report), ["admin.last_name", "admin.email"]);
        for problem in &report.errors {
            assert_eq!(Section::of_field(&problem.field), Some(Section::Admin));
        }
    }

    #[test]
    fn unknown_countries_are_refused_only_with_complete_data() {
        let mut a = complete();
        a.address.country = "XX".into();
        a.bank.country = "XX".into();
        let report = validate(&a, &ReferenceData::vendored());
        assert_eq!(fields(&report), ["address.country", "bank.country"]);
        assert!(report
            .errors
            .iter()
            .all(|p| p.code == ProblemCode::UnknownCountry));
    }

    #[test]
    fn warnings_never_block() {
        let mut a = complete();
        a.admin.email = "jane.doe@contoso.con".into();
        let report = validate(&a, &ReferenceData::vendored());
        assert!(report.valid);
        assert_eq!(report.warnings[0].code, ProblemCode::EmailDomainTypo);
    }

    #[test]
    fn phone_numbers_as_people_write_them() {
        for ok in ["+49 30 1234567", "(425) 555-0100", "030.1234.567"] {
            assert!(is_phone_number(ok), "{ok}");
        }
        for bad in ["12345", "+49 30 12345 67890 12", "call me", "++4930123456"] {
            assert!(!is_phone_number(bad), "{bad}");
        }
    }

    #[test]
    fn every_problem_has_a_message_in_every_locale() {
        let mut broken = complete();
        broken.mpn_id = "12a".into();
        broken.company.website = "nope".into();
        broken.address.postal_code = "1".into();
        broken.address.country = "US".into();
        broken.address.region = "Nowhere".into();
        broken.bank.iban = "DE00 0000".into();
        broken.bank.bic = "X".into();
        broken.admin.email = "info@qq.com".into();
        broken.admin.phone = "x".into();
        broken.tenant.csp_domain = "contoso".into();
        broken.tenant.corporate_domain = "contoso.onmicrosoft.com".into();
        let mut reports = vec![validate(&Answers::default(), &ReferenceData::vendored())];
        reports.push(validate(&broken, &ReferenceData::vendored()));
        let mut typo = complete();
        typo.admin.email = "jane@gmial.com".into();
        reports.push(validate(&typo, &ReferenceData::vendored()));
        for locale in Locale::ALL {
            let catalog = Catalog::get(locale);
            for problem in reports
                .iter()
                .flat_map(|r| r.errors.iter().chain(r.warnings.iter()))
            {
                let message = catalog.problem_message(problem);
                assert!(
                    !message.contains("problem.") && !message.contains('{'),
                    "{}: {} {:?} gives {message:?}",
                    locale.tag(),
                    problem.field,
                    problem.code
                );
            }
        }
    }
}
