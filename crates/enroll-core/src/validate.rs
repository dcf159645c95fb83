//! Validation of an application, whole or one section at a time.
//!
//! Two kinds of rules, put together here:
//! - rules on one answer, stated with `validator` beside the fields they
//!   check (`#[validate(...)]` in application.rs: required answers, caps,
//!   formats, as custom functions in each section's module). They run on
//!   the answers trimmed, since `length` counts what it is given;
//! - rules that need the country's formats, the reference data or several
//!   answers at once: plain functions (`address_problems`,
//!   `bank_problems`, `email_problems`, `same_tenant_problem`).
//!
//! validator's errors become the contract's problems in one place
//! (`from_validator`), which drops the raw answer validator attaches.

use crate::address::address_problems;
use crate::bank::bank_problems;
use crate::email::email_problems;
use crate::problem::broken;
use crate::reference::{Lookup, ReferenceData};
use crate::tenant::same_tenant_problem;
use crate::text::{character_problems, holds_pasted, strip_pasted};
use crate::{Answers, Field, Problem, ProblemCode, ValidationReport};
use std::borrow::Cow;
use validator::{Validate, ValidationError, ValidationErrors, ValidationErrorsKind};

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

    /// Its name, the first part of its fields' paths (`bank`).
    pub fn path(self) -> &'static str {
        match self {
            Section::Model => "model",
            Section::MpnId => "mpn_id",
            Section::Company => "company",
            Section::Address => "address",
            Section::Bank => "bank",
            Section::Admin => "admin",
            Section::Tenant => "tenant",
            Section::Attestations => "attestations",
        }
    }

    /// The section a field path belongs to (`bank.iban` → Bank), or named
    /// by it (`bank`).
    pub fn of_field(field: &str) -> Option<Section> {
        let head = field.split('.').next()?;
        Section::ALL
            .into_iter()
            .find(|section| section.path() == head)
    }
}

/// Validates the whole application, as submitting it requires.
pub fn validate(answers: &Answers, reference: &ReferenceData) -> ValidationReport {
    validate_sections(&Section::ALL, answers, reference)
}

/// Validates one section, as the wizard does on Continue.
pub fn validate_section(
    section: Section,
    answers: &Answers,
    reference: &ReferenceData,
) -> ValidationReport {
    validate_sections(&[section], answers, reference)
}

/// Validates some sections (a wizard step's, or those a client names),
/// their problems in the order of `sections`.
pub fn validate_sections(
    sections: &[Section],
    answers: &Answers,
    reference: &ReferenceData,
) -> ValidationReport {
    // A byte-order mark or a soft hyphen pasted along is not the
    // applicant's mistake (the API removes them on save).
    let answers = &each_text_where(answers, holds_pasted, strip_pasted);
    // Surrounding spaces are not part of an answer, and validator's
    // `length` would count them.
    let trimmed = &each_text_where(
        answers,
        |value| value.trim().len() != value.len(),
        |value| value.trim().to_owned(),
    );
    let controls = character_problems(answers);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for section in sections {
        let (e, w) = section_problems(*section, answers, trimmed, reference, &controls);
        errors.extend(e);
        warnings.extend(w);
    }
    ValidationReport::from_problems(errors, warnings)
}

/// The answers with every text answer that `needs` it replaced by `fix`
/// of it; borrowed, without a copy, when none does (the usual case).
fn each_text_where<'a>(
    answers: &'a Answers,
    needs: impl Fn(&str) -> bool,
    fix: impl Fn(&str) -> String,
) -> Cow<'a, Answers> {
    let mut any = false;
    answers.each_text(|_, value| any |= needs(value));
    if !any {
        return Cow::Borrowed(answers);
    }
    let mut fixed = answers.clone();
    fixed.each_text_mut(|_, value| {
        if needs(value) {
            *value = fix(value);
        }
    });
    Cow::Owned(fixed)
}

/// A section's problems. A field holding a control character (`controls`,
/// found once for the whole application) gets that one problem: its other
/// rules would only confuse (an IBAN with an ESC in it is "invalid" for a
/// reason the applicant cannot see).
fn section_problems(
    section: Section,
    a: &Answers,
    trimmed: &Answers,
    reference: &ReferenceData,
    controls: &[Problem],
) -> (Vec<Problem>, Vec<Problem>) {
    let (mut errors, mut warnings) = rule_problems(section, a, trimmed, reference);
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
    trimmed: &Answers,
    reference: &ReferenceData,
) -> (Vec<Problem>, Vec<Problem>) {
    let mut warnings = Vec::new();
    let errors = match section {
        Section::Model | Section::MpnId => {
            let mut problems = checked(trimmed, Vec::new());
            problems.retain(|p| Section::of_field(&p.field) == Some(section));
            problems
        }
        Section::Company => checked(&trimmed.company, Vec::new()),
        Section::Address => {
            let country = a.address.country.trim();
            if country.is_empty() {
                let mut problems = vec![Problem::new(Field::AddressCountry, ProblemCode::Required)];
                problems.extend(address_problems(&a.address, None));
                problems
            } else {
                match reference.address_format(country) {
                    Lookup::Found(format) => address_problems(&a.address, Some(format)),
                    Lookup::Unknown => address_problems(&a.address, None),
                    Lookup::Absent => {
                        vec![Problem::new(
                            Field::AddressCountry,
                            ProblemCode::UnknownCountry,
                        )]
                    }
                }
            }
        }
        Section::Bank => {
            if reference.address_format(&a.bank.country) == Lookup::Absent
                && !a.bank.country.trim().is_empty()
            {
                vec![Problem::new(
                    Field::BankCountry,
                    ProblemCode::UnknownCountry,
                )]
            } else {
                bank_problems(&a.bank)
            }
        }
        Section::Admin => {
            let (email_errors, email_warnings) =
                email_problems(Field::Email, &a.admin.email, reference);
            warnings = email_warnings;
            checked(&trimmed.admin, email_errors)
        }
        Section::Tenant => {
            let same = same_tenant_problem(&a.tenant).into_iter().collect();
            checked(&trimmed.tenant, same)
        }
        Section::Attestations => checked(&trimmed.attestations, Vec::new()),
    };
    (errors, warnings)
}

/// A part of the answers with `#[validate]` rules: a section, or the
/// answers themselves for the two answers outside any section.
pub trait Checked: Validate {
    /// Its fields, by the names validator reports them under, in the
    /// order the wizard asks for them: its problems are listed in this
    /// order (validator keeps them in a hash map).
    const FIELDS: &'static [(&'static str, Field)];
}

/// The problems of `part`: its `#[validate]` rules' and `more` (found by
/// rules validator cannot state), in the order of its fields.
pub(crate) fn checked<T: Checked>(part: &T, more: Vec<Problem>) -> Vec<Problem> {
    let mut problems = match part.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => from_validator(T::FIELDS, errors),
    };
    problems.extend(more);
    let rank = |p: &Problem| T::FIELDS.iter().position(|(_, f)| f.path() == p.field);
    // Stable: two problems of one field stay in the order found.
    problems.sort_by_key(rank);
    problems
}

/// validator's errors as the contract's problems: one for each field, the
/// first it reports (validator checks `length`, then `required`, then the
/// custom rules in the order written, whatever the attribute's order: a
/// name over its cap is only "too long"), with the params as text. validator adds
/// the raw answer to every error as `value`; it is dropped here, the one
/// way from validator to a problem, since an answer may be a secret and a
/// problem is shown, logged and sent.
fn from_validator(fields: &[(&str, Field)], errors: ValidationErrors) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (field, kind) in errors.into_errors() {
        // Sections are validated one by one (reference data cannot be
        // passed to a nested one), so every error is a field's.
        let ValidationErrorsKind::Field(found) = kind else {
            continue;
        };
        let Some(first) = found.into_iter().next() else {
            continue;
        };
        let Some((_, field)) = fields.iter().find(|(name, _)| *name == field) else {
            // A field with rules is listed in `Checked::FIELDS` (tested).
            continue;
        };
        let mut problem = Problem::new(*field, ProblemCode::parse(&first.code));
        for (name, value) in first.params {
            if name == "value" {
                continue;
            }
            let value = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            problem = problem.with_param(&name, value);
        }
        problems.push(problem);
    }
    problems
}

/// An answer that must be given.
pub fn required(value: &str) -> Result<(), ValidationError> {
    match value.trim().is_empty() {
        true => Err(broken(ProblemCode::Required, &[])),
        false => Ok(()),
    }
}

/// An attestation the applicant must tick.
pub fn must_accept(accepted: &bool) -> Result<(), ValidationError> {
    match accepted {
        true => Ok(()),
        false => Err(broken(ProblemCode::MustAccept, &[])),
    }
}

/// A phone number, if given.
pub fn phone(typed: &str) -> Result<(), ValidationError> {
    match typed.trim().is_empty() || is_phone_number(typed) {
        true => Ok(()),
        false => Err(broken(ProblemCode::InvalidFormat, &[])),
    }
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
    fn no_problem_carries_the_answer_it_is_about() {
        // validator attaches the raw answer to each error as `value`.
        let mut a = complete();
        a.company.legal_name = "X".into();
        a.admin.first_name = "a".repeat(101);
        a.admin.phone = "call me".into();
        a.mpn_id = "12345a7".into();
        let report = validate(&a, &ReferenceData::vendored());
        assert_eq!(report.errors.len(), 4, "{:?}", report.errors);
        for problem in &report.errors {
            assert!(!problem.params.contains_key("value"), "{problem:?}");
        }
        assert_eq!(report.errors[0].params["max"], "10");
        assert_eq!(report.errors[1].params["min"], "2");
        assert_eq!(report.errors[2].params["max"], "100");
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
