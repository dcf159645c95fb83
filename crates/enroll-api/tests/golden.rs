//! `POST /validate` answers the golden cases of validation exactly as the
//! app's rules do (enroll-core's tests/golden/validation.jsonl): the same
//! errors and warnings, in the same order, with the same params and the
//! same message in each locale it is asked for.

mod common;

use test_postgres::backends;

use common::Checked;

#[path = "../../enroll-core/tests/support/golden.rs"]
mod golden;

use common::start;
use enroll_core::{Locale, ValidationReport};
use std::sync::Arc;

#[backends]
async fn validate_answers_every_golden_case_as_the_app_does() {
    let api = start(false).await;
    let url = Arc::new(format!("{}/api/v1/validate", api.server.url()));
    let cases = golden::read();
    assert!(cases.len() > 1500, "only {} golden cases", cases.len());
    // Eight requests at a time: the cases are many, the machine small.
    let chunks: Vec<Vec<golden::Case>> = cases
        .chunks(cases.len() / 8 + 1)
        .map(<[_]>::to_vec)
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in chunks {
        let (client, url) = (api.client.clone(), url.clone());
        tasks.spawn(async move {
            let mut differences = Vec::new();
            for case in chunk {
                let mut reports = Vec::new();
                for locale in Locale::ALL {
                    let response = client
                        .post(url.as_str())
                        .header("Accept-Language", locale.tag())
                        .json(&case.answers())
                        .checked()
                        .await;
                    assert_eq!(response.status(), 200, "{}", case.name);
                    let body: serde_json::Value = response.body.clone();
                    reports.push(serde_json::from_value::<ValidationReport>(body).unwrap());
                }
                let found = golden::found(&reports);
                if found != (case.errors.clone(), case.warnings.clone()) {
                    differences.push(format!(
                        "{}: {}",
                        case.name,
                        serde_json::to_string(&found).unwrap()
                    ));
                }
            }
            differences
        });
    }
    let mut differences = Vec::new();
    while let Some(result) = tasks.join_next().await {
        differences.extend(result.unwrap());
    }
    assert!(
        differences.is_empty(),
        "{} cases differ from the golden file; the first: {}",
        differences.len(),
        differences[..differences.len().min(3)].join("\n")
    );
}
