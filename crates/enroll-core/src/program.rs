//! The program settings an operator controls (GET /program).

use serde::{Deserialize, Serialize};

use crate::{Answers, Field, PartnerModel, Problem, ProblemCode};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProgramSettings {
    /// The name in the request's language (`Accept-Language`) where the
    /// operator gave one, else the default name.
    pub program_name: String,
    /// The name in every language the operator gave one for, by tag
    /// (`zh-CN`): a language switch in the app needs no new request.
    #[serde(default)]
    pub program_names: std::collections::BTreeMap<String, String>,
    /// Direct enrollment was closed on the vendor's page, with a reopening
    /// expected: it is a setting so that reopening needs no code change.
    pub direct_enrollment_open: bool,
    /// Optional words on when direct enrollment reopens.
    #[serde(default)]
    pub direct_enrollment_note: Option<String>,
    /// ISO 3166-1 alpha-2 codes of the countries that can enroll.
    #[serde(default)]
    pub supported_countries: Vec<String>,
    pub links: ProgramLinks,
}

impl ProgramSettings {
    /// The program's name in `locale`: its own where the operator gave one,
    /// else `program_name`.
    pub fn name_in(&self, locale: crate::Locale) -> &str {
        self.program_names
            .get(locale.tag())
            .map_or(&self.program_name, String::as_str)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProgramLinks {
    /// Where a company without an MPN ID creates one.
    pub join_mpn: String,
}

/// What the vendor's partner directory says of the application's MPN ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MpnRecord<'a> {
    /// The server has no directory: the MPN ID cannot be checked.
    Unchecked,
    /// The directory does not know this MPN ID.
    Unknown,
    /// Registered to a company in `country`.
    Registered { country: &'a str },
}

/// The program's rules that depend on its settings and on the directory,
/// checked on submit (the browser can be bypassed): a direct partner only
/// while direct enrollment is open; the business address in a supported
/// country; the MPN ID known to the directory and registered in the
/// country of the address.
pub fn program_problems(
    answers: &Answers,
    settings: &ProgramSettings,
    mpn: MpnRecord<'_>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if answers.model == Some(PartnerModel::DirectPartner) && !settings.direct_enrollment_open {
        problems.push(Problem::new(
            Field::Model,
            ProblemCode::DirectEnrollmentClosed,
        ));
    }
    let country = answers.address.country.trim().to_ascii_uppercase();
    if !country.is_empty() && !settings.supported_countries.contains(&country) {
        problems.push(
            Problem::new(Field::AddressCountry, ProblemCode::UnsupportedCountry)
                .with_param("country", country.clone()),
        );
    }
    match mpn {
        MpnRecord::Unchecked => {}
        MpnRecord::Unknown => problems.push(Problem::new(Field::MpnId, ProblemCode::MpnUnknown)),
        MpnRecord::Registered {
            country: registered,
        } => {
            if !country.is_empty() && !registered.eq_ignore_ascii_case(&country) {
                problems.push(
                    Problem::new(Field::MpnId, ProblemCode::MpnCountryMismatch)
                        .with_param("country", registered.to_owned()),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(direct_open: bool) -> ProgramSettings {
        ProgramSettings {
            program_name: "CSP".into(),
            program_names: Default::default(),
            direct_enrollment_open: direct_open,
            direct_enrollment_note: None,
            supported_countries: vec!["DE".into(), "US".into()],
            links: ProgramLinks {
                join_mpn: "https://example.com".into(),
            },
        }
    }

    fn found(problems: Vec<Problem>) -> Vec<(String, ProblemCode)> {
        problems.into_iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn a_supported_application_with_a_matching_mpn_id_passes() {
        let de = MpnRecord::Registered { country: "DE" };
        assert!(program_problems(&Answers::example(), &settings(false), de).is_empty());
        let unchecked = MpnRecord::Unchecked;
        assert!(program_problems(&Answers::example(), &settings(false), unchecked).is_empty());
    }

    #[test]
    fn each_program_rule_refuses_on_its_field() {
        let mut direct = Answers::example();
        direct.model = Some(PartnerModel::DirectPartner);
        let de = MpnRecord::Registered { country: "DE" };
        assert_eq!(
            found(program_problems(&direct, &settings(false), de)),
            [("model".to_owned(), ProblemCode::DirectEnrollmentClosed)]
        );
        assert!(program_problems(&direct, &settings(true), de).is_empty());

        let mut elsewhere = Answers::example();
        elsewhere.address.country = "KP".into();
        let kp = MpnRecord::Registered { country: "KP" };
        assert_eq!(
            found(program_problems(&elsewhere, &settings(true), kp)),
            [(
                "address.country".to_owned(),
                ProblemCode::UnsupportedCountry
            )]
        );

        let unknown = MpnRecord::Unknown;
        assert_eq!(
            found(program_problems(
                &Answers::example(),
                &settings(true),
                unknown
            )),
            [("mpn_id".to_owned(), ProblemCode::MpnUnknown)]
        );
        let us = MpnRecord::Registered { country: "US" };
        let problems = program_problems(&Answers::example(), &settings(true), us);
        assert_eq!(problems[0].code, ProblemCode::MpnCountryMismatch);
        assert_eq!(problems[0].params["country"], "US");
    }
}
