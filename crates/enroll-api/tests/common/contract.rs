//! Every answer the tests look at, held to the contract: the OpenAPI
//! document the crate builds (`GET /api/v1/openapi.json`).

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// An answer of the API, its body read, and held to the contract.
pub struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
    /// The body as JSON; `Null` when there is none.
    pub body: Value,
}

impl Answer {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as sent.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn etag(&self) -> String {
        self.headers["etag"].to_str().unwrap().to_owned()
    }

    /// `error.code` of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    /// The status and `error.code` together: what a refusal is checked by.
    pub fn refusal(&self) -> (u16, &str) {
        (self.status.as_u16(), self.code())
    }
}

/// Sending a request to the API and checking its answer against the
/// contract: every answer the tests look at goes through this.
pub trait Checked {
    fn checked(self) -> impl std::future::Future<Output = Answer>;
}

impl Checked for RequestBuilder {
    async fn checked(self) -> Answer {
        let (client, request) = self.build_split();
        let request = request.unwrap();
        let method = request.method().as_str().to_owned();
        let path = request.url().path().to_owned();
        let response = client.execute(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!("{method} {path} answered {status} with a body that is not JSON ({e}): {text:.200}")
            })
        };
        assert_matches_contract(&method, &path, status.as_u16(), &body);
        Answer {
            status,
            headers,
            text,
            body,
        }
    }
}

/// What the contract says one operation answers: per status (or
/// `default`), the body's validator, or `None` for an answer without one.
type Answers = BTreeMap<String, Option<jsonschema::Validator>>;

/// The contract's operations: (method, path template) → answers.
struct Contract {
    operations: BTreeMap<(String, String), Answers>,
    /// Per operation, its path parameters' schemas by name.
    path_parameters: BTreeMap<(String, String), BTreeMap<String, jsonschema::Validator>>,
    /// The contract's rule for every answer outside an operation (an
    /// unknown route, a method a path does not have): the error body.
    error: jsonschema::Validator,
}

/// A validator of `schema` inside the document, so that its `$ref`s to
/// `#/components/schemas/...` resolve.
fn validator(document: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = schema.as_object().cloned().unwrap_or_default();
    root.insert("components".into(), document["components"].clone());
    jsonschema::draft202012::new(&Value::Object(root))
        .unwrap_or_else(|e| panic!("the contract's schema {schema} does not compile: {e}"))
}

fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let document = enroll_api::openapi::document();
        let mut operations = BTreeMap::new();
        let mut path_parameters = BTreeMap::new();
        for (template, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let in_path = operation["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|parameter| parameter["in"] == "path")
                    .map(|parameter| {
                        let name = parameter["name"].as_str().unwrap().to_owned();
                        (name, validator(document, &parameter["schema"]))
                    })
                    .collect();
                path_parameters.insert((method.to_uppercase(), template.clone()), in_path);
                let answers = operation["responses"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(status, response)| {
                        let schema = response.pointer("/content/application~1json/schema");
                        (status.clone(), schema.map(|s| validator(document, s)))
                    })
                    .collect();
                operations.insert((method.to_uppercase(), template.clone()), answers);
            }
        }
        let error = validator(
            document,
            &json!({"$ref": "#/components/schemas/ApiErrorBody"}),
        );
        Contract {
            operations,
            path_parameters,
            error,
        }
    })
}

/// Whether `path` (no prefix, no query) is an instance of `template`:
/// `{name}` segments match any one segment. `Some(n)` with `n` the number
/// of such segments, so the most literal template wins, as in the router.
fn instance_of(template: &str, path: &str) -> Option<usize> {
    let (template, path): (Vec<_>, Vec<_>) =
        (template.split('/').collect(), path.split('/').collect());
    if template.len() != path.len() {
        return None;
    }
    let mut parameters = 0;
    for (want, got) in template.iter().zip(&path) {
        if want.starts_with('{') && want.ends_with('}') && !got.is_empty() {
            parameters += 1;
        } else if want != got {
            return None;
        }
    }
    Some(parameters)
}

/// Fails unless the contract (`GET /api/v1/openapi.json`, built here from
/// the crate) documents answering `status` to `method path` with `body`
/// (`Null`: no body). Outside every documented operation, only the
/// contract's error body for a 404 (no such route) or 405 (no such method)
/// passes.
pub fn assert_matches_contract(method: &str, path: &str, status: u16, body: &Value) {
    let contract = contract();
    let path = path.split('?').next().unwrap_or_default();
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let operation = contract
        .operations
        .iter()
        .filter(|((m, _), _)| m == method)
        .filter_map(|((_, template), answers)| {
            Some((instance_of(template, path)?, template, answers))
        })
        .min_by_key(|(parameters, _, _)| *parameters);
    let Some((_, template, answers)) = operation else {
        assert!(
            matches!(status, 404 | 405),
            "{method} {path} is no operation of the contract, yet answered {status}: {}",
            excerpt(body)
        );
        let errors: Vec<String> = contract
            .error
            .iter_errors(body)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} {status}: not the error body: {errors:?}\n{}",
            excerpt(body)
        );
        return;
    };
    if (200..300).contains(&status) {
        assert_path_parameters_match(method, template, path, status);
    }
    let answer = answers
        .get(&status.to_string())
        .or_else(|| answers.get("default"))
        .unwrap_or_else(|| {
            panic!(
                "{method} {template} answered {status}, which the contract does not list: {}",
                excerpt(body)
            )
        });
    match answer {
        None => assert!(
            body.is_null(),
            "{method} {template} {status}: the contract says no body, got {}",
            excerpt(body)
        ),
        Some(validator) => {
            let errors: Vec<String> = validator
                .iter_errors(body)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{method} {template} {status}: the body is not what the contract says: {errors:#?}\n{}",
                excerpt(body)
            );
        }
    }
}

/// Fails when the server took a path parameter (it answered `status`, a
/// success) that the parameter's schema refuses: a client that checks the
/// contract's patterns would not have sent what the server serves.
fn assert_path_parameters_match(method: &str, template: &str, path: &str, status: u16) {
    let parameters = &contract().path_parameters[&(method.to_owned(), template.to_owned())];
    for (want, got) in template.split('/').zip(path.split('/')) {
        let Some(name) = want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) else {
            continue;
        };
        let value = Value::String(percent_decoded(got));
        let schema = parameters
            .get(name)
            .unwrap_or_else(|| panic!("{method} {template}: `{{{name}}}` is no parameter of it"));
        let errors: Vec<String> = schema.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{method} {path} answered {status}, yet the contract's `{{{name}}}` refuses {value}: {errors:?}"
        );
    }
}

/// A path segment as the server reads it: `%XX` escapes decoded.
fn percent_decoded(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The start of `body`, for a failure message (an index is megabytes).
fn excerpt(body: &Value) -> String {
    body.to_string().chars().take(2000).collect()
}

/// The `error.code` of an error answer ("" when it has none).
pub async fn error_code(answer: Answer) -> String {
    answer.body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
