//! The golden cases of validation (tests/golden/validation.jsonl): each an
//! application and the report validation gave for it, in every locale.
//! Read by enroll-core's test `golden` (the app's rules) and by the API's
//! (`POST /validate`), so that both are held to the same answers.
#![allow(dead_code)] // the API's test reads the cases, it does not write them

use enroll_core::{
    Answers, Catalog, Locale, Problem, ProblemCode, ReferenceData, ValidationReport,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Case {
    pub name: String,
    /// The application; absent means the contract's example application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Answers>,
    /// Text answers set on it, as typed (path, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<(String, String)>,
    /// The errors found, then the warnings.
    pub errors: Vec<Found>,
    pub warnings: Vec<Found>,
}

/// One problem as the file keeps it: field, code, params, and its message
/// in each locale (`Locale::ALL`'s order).
pub type Found = (String, ProblemCode, BTreeMap<String, String>, Vec<String>);

impl Case {
    pub fn answers(&self) -> Answers {
        let mut answers = self.answers.clone().unwrap_or_else(Answers::example);
        for (path, value) in &self.set {
            let field = enroll_core::Field::parse(path).expect(path);
            assert!(answers.set_text(field, value.clone()), "{path}");
        }
        answers
    }
}

pub fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../enroll-core/tests/golden/validation.jsonl")
}

pub fn read() -> Vec<Case> {
    let text = std::fs::read_to_string(path()).expect("the golden cases");
    text.lines()
        .map(|line| serde_json::from_str(line).expect("a golden case"))
        .collect()
}

/// The errors and warnings of `reports` (one report per locale, in
/// `Locale::ALL`'s order, all of the same answers) as the file keeps them.
pub fn found(reports: &[ValidationReport]) -> (Vec<Found>, Vec<Found>) {
    let list = |of: fn(&ValidationReport) -> &Vec<Problem>| {
        (0..of(&reports[0]).len())
            .map(|i| {
                let p = &of(&reports[0])[i];
                let messages = reports
                    .iter()
                    .map(|r| of(r)[i].message.clone().unwrap_or_default())
                    .collect();
                (p.field.clone(), p.code, p.params.clone(), messages)
            })
            .collect()
    };
    (list(|r| &r.errors), list(|r| &r.warnings))
}

/// What validation finds now, as the file keeps it.
pub fn found_now(answers: &Answers, reference: &ReferenceData) -> (Vec<Found>, Vec<Found>) {
    let reports: Vec<ValidationReport> = Locale::ALL
        .into_iter()
        .map(|locale| {
            let mut report = enroll_core::validate(answers, reference);
            report.localize(Catalog::get(locale));
            report
        })
        .collect();
    found(&reports)
}
