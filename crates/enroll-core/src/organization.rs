//! The organization profile of a partner account: the company's legal name
//! and address (from the application at first) and whom to contact. Checked
//! with the application's own rules: a profile is put into answers and the
//! same sections are validated, so each rule stays stated once.

use serde::{Deserialize, Serialize};

use crate::reference::ReferenceData;
use crate::{validate_sections, Address, Admin, Answers, Problem, Section, ValidationReport};

/// Someone to contact at the partner.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Contact {
    pub first_name: String,
    pub last_name: String,
    /// A work address, as the admin's.
    pub email: String,
    pub phone: String,
}

impl Contact {
    fn is_empty(&self) -> bool {
        [&self.first_name, &self.last_name, &self.email, &self.phone]
            .iter()
            .all(|v| v.trim().is_empty())
    }

    fn as_admin(&self) -> Admin {
        Admin {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct OrganizationProfile {
    pub legal_name: String,
    pub address: Address,
    /// Whom the vendor contacts about the partnership.
    pub primary_contact: Contact,
    /// Whom customers and the vendor reach for support; may be left empty.
    pub support_contact: Contact,
}

impl OrganizationProfile {
    /// The profile as the application left it: its company, its address,
    /// its admin as the primary contact.
    pub fn from_application(answers: &Answers) -> Self {
        let admin = &answers.admin;
        Self {
            legal_name: answers.company.legal_name.trim().to_owned(),
            address: answers.address.clone(),
            primary_contact: Contact {
                first_name: admin.first_name.trim().to_owned(),
                last_name: admin.last_name.trim().to_owned(),
                email: admin.email.trim().to_owned(),
                phone: admin.phone.trim().to_owned(),
            },
            support_contact: Contact::default(),
        }
    }

    /// As typed, without the spaces around each answer (a contact of only
    /// spaces is none).
    pub fn trimmed(&self) -> Self {
        let text = |t: &String| t.trim().to_owned();
        let contact = |c: &Contact| Contact {
            first_name: text(&c.first_name),
            last_name: text(&c.last_name),
            email: text(&c.email),
            phone: text(&c.phone),
        };
        Self {
            legal_name: text(&self.legal_name),
            address: self.address.trimmed(),
            primary_contact: contact(&self.primary_contact),
            support_contact: contact(&self.support_contact),
        }
    }

    /// What is wrong with it, by the application's rules: the legal name
    /// as the company's, the address by its country, each contact as the
    /// admin (a work email address). Fields are the profile's own
    /// (`legal_name`, `address.postal_code`, `support_contact.email`).
    pub fn validate(&self, reference: &ReferenceData) -> ValidationReport {
        let mut answers = Answers::default();
        answers.company.legal_name = self.legal_name.clone();
        answers.address = self.address.clone();
        answers.admin = self.primary_contact.as_admin();
        let rename = |mut problems: Vec<Problem>, admin_as: &str| {
            for problem in &mut problems {
                problem.field = match problem.field.split_once('.') {
                    Some(("company", rest)) => rest.to_owned(),
                    Some(("admin", rest)) => format!("{admin_as}.{rest}"),
                    _ => problem.field.clone(),
                };
            }
            problems
        };
        // Only the legal name of the company's answers is the profile's.
        let keep = |problems: Vec<Problem>| -> Vec<Problem> {
            problems
                .into_iter()
                .filter(|p| !p.field.starts_with("company.") || p.field == "company.legal_name")
                .collect()
        };
        let sections = [Section::Company, Section::Address, Section::Admin];
        let report = validate_sections(&sections, &answers, reference);
        let mut errors = rename(keep(report.errors), "primary_contact");
        let mut warnings = rename(keep(report.warnings), "primary_contact");
        if !self.support_contact.is_empty() {
            answers.admin = self.support_contact.as_admin();
            let support = validate_sections(&[Section::Admin], &answers, reference);
            // A support contact may well be a shared mailbox (support@):
            // the admin's rule against one is not the support contact's.
            let errors_of_support = support
                .errors
                .into_iter()
                .filter(|p| p.code != crate::ProblemCode::RoleAddress)
                .collect();
            errors.extend(rename(errors_of_support, "support_contact"));
            warnings.extend(rename(support.warnings, "support_contact"));
        }
        ValidationReport::from_problems(errors, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_starts_as_the_application_and_keeps_its_rules() {
        let reference = ReferenceData::vendored();
        let mut profile = OrganizationProfile::from_application(&Answers::example());
        assert_eq!(profile.legal_name, "Contoso Ltd");
        assert_eq!(profile.primary_contact.email, "jane.doe@contoso.com");
        assert!(profile.validate(&reference).valid);

        profile.legal_name.clear();
        profile.address.postal_code = "1011".into();
        profile.support_contact.email = "help@qq.com".into();
        let mut shared = profile.clone();
        shared.support_contact = Contact {
            first_name: "Help".into(),
            last_name: "Desk".into(),
            email: "support@contoso.com".into(),
            phone: String::new(),
        };
        assert!(
            shared
                .validate(&reference)
                .errors
                .iter()
                .all(|p| !p.field.starts_with("support")),
            "a shared support mailbox is fine"
        );
        let report = profile.validate(&reference);
        let fields: Vec<(&str, &str)> = report
            .errors
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert!(fields.contains(&("legal_name", "required")), "{fields:?}");
        assert!(
            fields.contains(&("address.postal_code", "postal_code_format")),
            "{fields:?}"
        );
        assert!(
            fields.contains(&("support_contact.email", "free_email_domain")),
            "{fields:?}"
        );
        assert!(
            fields.contains(&("support_contact.first_name", "required")),
            "{fields:?}"
        );
        assert!(
            fields
                .iter()
                .all(|(f, _)| !f.starts_with("primary_contact")),
            "{fields:?}"
        );
    }
}
