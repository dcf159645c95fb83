//! Validation of an application, whole or one section at a time.
//!
//! For now this reports what is missing; the format rules per country
//! (IBAN, postal codes, work email, ...) come next and report through the
//! same `Problem` shape, so the API and the app need no change for them.

use crate::{Answers, Problem, ProblemCode, ValidationReport};

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
}

/// Validates the whole application, as submitting it requires.
pub fn validate(answers: &Answers) -> ValidationReport {
    let errors = Section::ALL
        .iter()
        .flat_map(|section| section_errors(*section, answers))
        .collect();
    ValidationReport::from_problems(errors, Vec::new())
}

/// Validates one section, as the wizard does on Continue.
pub fn validate_section(section: Section, answers: &Answers) -> ValidationReport {
    ValidationReport::from_problems(section_errors(section, answers), Vec::new())
}

fn section_errors(section: Section, a: &Answers) -> Vec<Problem> {
    let mut errors = Vec::new();
    let mut require = |field: &str, value: &str| {
        if value.trim().is_empty() {
            errors.push(Problem::new(field, ProblemCode::Required));
        }
    };
    match section {
        Section::Model => {
            if a.model.is_none() {
                errors.push(Problem::new("model", ProblemCode::Required));
            }
        }
        Section::MpnId => require("mpn_id", &a.mpn_id),
        Section::Company => require("company.legal_name", &a.company.legal_name),
        Section::Address => {
            require("address.country", &a.address.country);
            let first_line = a.address.lines.first().map(String::as_str).unwrap_or("");
            require("address.lines.0", first_line);
            require("address.locality", &a.address.locality);
        }
        Section::Bank => {
            require("bank.country", &a.bank.country);
            require("bank.account_holder", &a.bank.account_holder);
            // Until the per-country rules know which one a country uses,
            // either an IBAN or a domestic account number will do.
            if a.bank.iban.trim().is_empty() && a.bank.account_number.trim().is_empty() {
                errors.push(Problem::new("bank.iban", ProblemCode::Required));
            }
        }
        Section::Admin => {
            require("admin.first_name", &a.admin.first_name);
            require("admin.last_name", &a.admin.last_name);
            require("admin.email", &a.admin.email);
        }
        Section::Tenant => require("tenant.csp_domain", &a.tenant.csp_domain),
        Section::Attestations => {
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
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Catalog, Locale, PartnerModel};

    fn complete() -> Answers {
        let mut a = Answers {
            model: Some(PartnerModel::IndirectReseller),
            mpn_id: "1234567".into(),
            ..Answers::default()
        };
        a.company.legal_name = "Contoso Ltd".into();
        a.address.country = "DE".into();
        a.address.lines = vec!["Unter den Linden 1".into()];
        a.address.locality = "Berlin".into();
        a.bank.country = "DE".into();
        a.bank.account_holder = "Contoso Ltd".into();
        a.bank.iban = "DE89370400440532013000".into();
        a.admin.first_name = "Jane".into();
        a.admin.last_name = "Doe".into();
        a.admin.email = "jane.doe@contoso.com".into();
        a.tenant.csp_domain = "contoso.onmicrosoft.com".into();
        a.attestations.no_resale_to_csp_partners = true;
        a.attestations.terms_accepted = true;
        a
    }

    fn fields(report: &ValidationReport) -> Vec<&str> {
        report.errors.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_complete_application_is_valid() {
        let report = validate(&complete());
        assert!(report.valid, "{:?}", report.errors);
    }

    #[test]
    fn an_empty_application_lists_every_required_field_once() {
        let report = validate(&Answers::default());
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
                "bank.account_holder",
                "bank.iban",
                "admin.first_name",
                "admin.last_name",
                "admin.email",
                "tenant.csp_domain",
                "attestations.no_resale_to_csp_partners",
                "attestations.terms_accepted",
            ]
        );
    }

    #[test]
    fn blank_answers_count_as_missing() {
        let mut a = complete();
        a.mpn_id = "   ".into();
        assert_eq!(fields(&validate_section(Section::MpnId, &a)), ["mpn_id"]);
    }

    #[test]
    fn a_section_reports_only_its_own_fields() {
        let mut a = Answers::default();
        a.admin.first_name = "Jane".into();
        assert_eq!(
            fields(&validate_section(Section::Admin, &a)),
            ["admin.last_name", "admin.email"]
        );
    }

    #[test]
    fn a_domestic_account_number_satisfies_the_bank_section() {
        let mut a = complete();
        a.bank.iban.clear();
        a.bank.account_number = "000123456789".into();
        assert!(validate_section(Section::Bank, &a).valid);
    }

    #[test]
    fn every_error_has_a_message_in_every_locale() {
        let report = validate(&Answers::default());
        for locale in Locale::ALL {
            let catalog = Catalog::get(locale);
            for problem in &report.errors {
                let message = catalog.problem_message(problem);
                assert!(
                    !message.starts_with("problem."),
                    "{} has no message for {}",
                    locale.tag(),
                    problem.field
                );
            }
        }
    }
}
