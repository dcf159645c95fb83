//! The OpenAPI document is valid OpenAPI 3.1, schemas included: checked
//! against the OpenAPI Initiative's meta-schema (`tests/data/openapi-3.1`,
//! its README says where it comes from), in its "schema-base" form, which
//! also holds every Schema Object to the OAS base dialect (JSON Schema
//! 2020-12). A generator or validator of OpenAPI 3.1 reads the document by
//! those rules; the answer tests (`common::checked`) only read the schemas
//! they need, with a validator that forgives what 2020-12 does not define.

use enroll_api::openapi::document;
use jsonschema::{Registry, Validator};
use serde_json::{json, Value};

const SCHEMA: &str = "https://spec.openapis.org/oas/3.1/schema";
const SCHEMA_BASE: &str = "https://spec.openapis.org/oas/3.1/schema-base";
const DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";
const VOCABULARY: &str = "https://spec.openapis.org/oas/3.1/meta/base";

fn vendored(text: &str) -> Value {
    serde_json::from_str(text).expect("the vendored meta-schema is JSON")
}

/// Checks a whole document against schema-base. The vendored files carry
/// no `$id`, so each is registered under the URI the others refer to it by.
fn check(document: &Value) -> Vec<String> {
    let registry = Registry::new()
        .extend([
            (
                SCHEMA,
                vendored(include_str!("data/openapi-3.1/schema.json")),
            ),
            (
                DIALECT,
                vendored(include_str!("data/openapi-3.1/dialect-base.json")),
            ),
            (
                VOCABULARY,
                vendored(include_str!("data/openapi-3.1/meta-base.json")),
            ),
        ])
        .and_then(|builder| builder.prepare())
        .expect("the vendored meta-schema registers");
    let schema_base = vendored(include_str!("data/openapi-3.1/schema-base.json"));
    let validator: Validator = jsonschema::draft202012::options()
        .with_registry(&registry)
        .with_base_uri(SCHEMA_BASE)
        .build(&schema_base)
        .expect("the vendored meta-schema compiles");
    // The evaluation's leaves name the keyword that failed deep inside a
    // `oneOf` or `$dynamicRef`; the top-level errors alone would often only
    // say "not valid under any of the schemas" at the operation.
    validator
        .evaluate(document)
        .iter_errors()
        .map(|error| {
            // A message quotes the instance, which can be a whole operation.
            let message: String = error.error.to_string().chars().take(400).collect();
            format!(
                "at {} (schema {}): {message}",
                if error.instance_location.as_str().is_empty() {
                    "/"
                } else {
                    error.instance_location.as_str()
                },
                error.schema_location,
            )
        })
        .collect()
}

#[test]
fn the_document_is_valid_openapi_3_1() {
    let errors = check(document());
    for error in &errors {
        eprintln!("{error}");
    }
    assert!(
        errors.is_empty(),
        "{} errors against the OpenAPI 3.1 meta-schema (schema-base), printed above",
        errors.len()
    );
}

/// Without this, a registry or `$dynamicRef` that went wrong would let any
/// schema through, and the test above would prove nothing about schemas:
/// the directory's rows written as a tuple the 2019-09 way (`items: [...]`,
/// which 2020-12 spells `prefixItems`) must be refused.
#[test]
fn the_meta_schema_reaches_into_schemas() {
    let mut tuple = document().clone();
    let row = tuple
        .pointer_mut("/components/schemas/CompactDirectory/properties/items/items")
        .expect("the directory's rows");
    let columns = row["prefixItems"].take();
    assert!(columns.is_array(), "the rows are a tuple: {row}");
    row.as_object_mut().unwrap().remove("prefixItems");
    row["items"] = columns;
    let errors = check(&tuple);
    for error in &errors {
        eprintln!("{error}");
    }
    assert!(
        errors.iter().any(
            |e| e.contains("/components/schemas/CompactDirectory/properties/items/items/items")
        ),
        "a tuple `items` passed: {errors:#?}"
    );
}

/// Every object in the document, with its JSON pointer.
fn objects<'a>(at: String, value: &'a Value, into: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(members) => {
            into.push((at.clone(), value));
            // Examples are bodies, not schemas: their `items` are data.
            let schemas = members
                .iter()
                .filter(|(key, _)| !matches!(key.as_str(), "examples" | "example"));
            for (key, member) in schemas {
                let key = key.replace('~', "~0").replace('/', "~1");
                objects(format!("{at}/{key}"), member, into);
            }
        }
        Value::Array(elements) => {
            for (index, element) in elements.iter().enumerate() {
                objects(format!("{at}/{index}"), element, into);
            }
        }
        _ => {}
    }
}

/// A 2019-09 tuple would still pass a 2020-12 reader that ignores it, and
/// a generator would type the rows as anything.
#[test]
fn no_schema_has_an_items_array() {
    let mut all = Vec::new();
    objects(String::new(), document(), &mut all);
    let tuples: Vec<&String> = all
        .iter()
        .filter(|(_, object)| object.get("items").is_some_and(Value::is_array))
        .map(|(at, _)| at)
        .collect();
    assert!(tuples.is_empty(), "`items` arrays at {tuples:?}");
}

/// Each `(method, path, operation)` of the document.
fn operations() -> Vec<(&'static str, &'static str, &'static Value)> {
    let methods = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    let mut all = Vec::new();
    for (path, item) in document()["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if methods.contains(&method.as_str()) {
                all.push((method.as_str(), path.as_str(), operation));
            }
        }
    }
    all
}

/// OpenAPI requires it (a link names its target by it), and a generated
/// client names its methods after it: two `read`s would not compile.
#[test]
fn operation_ids_are_unique() {
    let mut seen = std::collections::BTreeMap::new();
    for (method, path, operation) in operations() {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        if let Some(first) = seen.insert(id, format!("{method} {path}")) {
            panic!("`{id}` is the operationId of {first} and of {method} {path}");
        }
    }
}

/// The schema of `{name}` of `method path`.
fn path_schema(method: &str, path: &str, name: &str) -> Value {
    let operation = &document()["paths"][path][method];
    let parameters = operation["parameters"].as_array().unwrap();
    let parameter = parameters
        .iter()
        .find(|p| p["in"] == "path" && p["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path} has no `{{{name}}}`"));
    parameter["schema"].clone()
}

fn accepts(schema: &Value, value: &str) -> bool {
    jsonschema::draft202012::new(schema)
        .unwrap()
        .is_valid(&json!(value))
}

/// Each `{name}` of a path is a parameter, which says the values it takes.
#[test]
fn every_path_parameter_states_its_shape() {
    for (method, path, _) in operations() {
        let names = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'));
        for name in names {
            let schema = path_schema(method, path, name);
            assert!(
                schema["pattern"].is_string() || schema["enum"].is_array(),
                "{method} {path}: `{{{name}}}` has neither a pattern nor an enum: {schema}"
            );
        }
    }
}

/// The schema and the server's own `rule` agree: both take each of
/// `valid`, both refuse each of `invalid`.
fn assert_agree(schema: &Value, rule: impl Fn(&str) -> bool, valid: &[&str], invalid: &[&str]) {
    let cases = valid.iter().map(|v| (v, true));
    for (value, valid) in cases.chain(invalid.iter().map(|v| (v, false))) {
        let verdicts = (accepts(schema, value), rule(value));
        assert_eq!(
            verdicts,
            (valid, valid),
            "{value:?}: (the schema, the rule)"
        );
    }
}

/// The pattern is the MPN ID's own rule (`company::mpn_id`): the two agree.
#[test]
fn the_mpn_id_pattern_is_the_mpn_id_rule() {
    assert_agree(
        &path_schema("get", "/mpn/{mpn_id}", "mpn_id"),
        |id| enroll_core::company::mpn_id(id).is_ok(),
        &["1234567", "123456", "1234567890", "123 4567", " 1234567 "],
        &[
            "12345",
            "abc1234",
            "12345678901",
            "",
            "123456a",
            "１２３４５６７",
        ],
    );
}

/// Ids as the server makes them fit their parameters; other strings do not.
#[test]
fn the_id_patterns_fit_the_ids_made() {
    let application = path_schema("get", "/applications/{id}", "id");
    let user = path_schema("get", "/account/users/{id}", "id");
    for _ in 0..20 {
        let id = enroll_api::auth::new_id().unwrap();
        assert!(accepts(&application, &id) && accepts(&user, &id), "{id}");
    }
    let provider = path_schema("get", "/providers/{id}", "id");
    for made in enroll_api::seed::generate_providers(2_000) {
        assert!(accepts(&provider, &made.id), "{}", made.id);
    }
    for wrong in ["", "x", "../status", "0123456789ABCDEF0123456789ABCDEF"] {
        assert!(
            !accepts(&application, wrong) && !accepts(&provider, wrong),
            "{wrong:?}"
        );
    }
}

/// The domain's pattern and `parse_domain` agree on what is a domain.
#[test]
fn the_domain_pattern_is_the_domain_rule() {
    assert_agree(
        &path_schema("post", "/account/domains/{domain}/verify", "domain"),
        |domain| enroll_core::domains::parse_domain(domain).is_some(),
        &[
            "contoso.com",
            "Contoso.COM",
            "mail.contoso.co.uk",
            "x-1.example.",
            "a.b",
        ],
        &[
            "contoso",
            "-contoso.com",
            "contoso-.com",
            "con_toso.com",
            "contoso..com",
            ".com",
        ],
    );
}

/// Every country with an address format fits `{country}`.
#[test]
fn the_country_pattern_fits_every_address_format() {
    let schema = path_schema("get", "/reference/address-formats/{country}", "country");
    let countries = enroll_core::reference::vendored_address_formats();
    for country in countries.keys() {
        assert!(accepts(&schema, country), "{country}");
        assert!(accepts(&schema, &country.to_lowercase()), "{country}");
    }
    assert!(!accepts(&schema, "DEU"));
}

/// `POST /applications`' 201 links its `id` to every operation on
/// `/applications/{id}...`, by an operationId that names one of them.
#[test]
fn the_new_application_links_to_its_operations() {
    let links = document()["paths"]["/applications"]["post"]["responses"]["201"]["links"]
        .as_object()
        .expect("the 201 has links");
    let under: Vec<(&str, &str, &Value)> = operations()
        .into_iter()
        .filter(|(_, path, _)| {
            *path == "/applications/{id}" || path.starts_with("/applications/{id}/")
        })
        .collect();
    assert!(under.len() >= 9, "{} operations", under.len());
    for (method, path, operation) in under {
        let id = operation["operationId"].as_str().unwrap();
        let link = links
            .values()
            .find(|link| link["operationId"] == id)
            .unwrap_or_else(|| panic!("no link to {method} {path} ({id})"));
        assert_eq!(
            link["parameters"],
            json!({"id": "$response.body#/id"}),
            "{id}"
        );
        path_schema(method, path, "id");
    }
    for link in links.values() {
        let id = &link["operationId"];
        assert!(
            operations().iter().any(|(_, _, o)| &o["operationId"] == id),
            "the link to {id} names no operation"
        );
    }
    // What `$response.body#/id` reads: the created application's `id`.
    let application = &document()["components"]["schemas"]["Application"];
    assert!(application["required"]
        .as_array()
        .unwrap()
        .contains(&json!("id")));
}
