//! The contract as OpenAPI 3.1 (GET /api/v1/openapi.json). Written by hand
//! beside the routes; a test checks every path here against the server.

use serde_json::{json, Value};

/// (method, path, summary, needs the resume token)
pub const OPERATIONS: &[(&str, &str, &str, bool)] = &[
    (
        "get",
        "/program",
        "Program settings: direct enrollment open or closed, supported countries, links",
        false,
    ),
    (
        "post",
        "/validate",
        "Validate a (partial) application; ?sections=bank,admin for some sections",
        false,
    ),
    (
        "post",
        "/applications",
        "Create a draft; answers id, a secret resume_token and an ETag",
        false,
    ),
    (
        "get",
        "/applications/{id}",
        "Read a draft (bank secrets masked)",
        true,
    ),
    (
        "put",
        "/applications/{id}",
        "Autosave; needs If-Match; 412 on a stale ETag, 409 once submitted",
        true,
    ),
    (
        "post",
        "/applications/{id}/submit",
        "Submit; needs If-Match and Idempotency-Key; 422 with errors",
        true,
    ),
    (
        "get",
        "/applications/{id}/status",
        "Status and its history, with reasons",
        true,
    ),
    (
        "post",
        "/applications/{id}/resume-email",
        "Email the resume link to the admin address",
        true,
    ),
    (
        "get",
        "/applications/{id}/provider-requests",
        "This applicant's partnership requests",
        true,
    ),
    (
        "get",
        "/mpn/{mpn_id}",
        "Company name and country of an MPN ID, or 404",
        false,
    ),
    (
        "get",
        "/providers",
        "Search providers: q, country, product, language, service, sort, page, per_page",
        false,
    ),
    (
        "get",
        "/providers/index",
        "The whole directory, compact, with an ETag",
        false,
    ),
    (
        "get",
        "/providers/filters",
        "The filters' options: countries served, products, languages, services",
        false,
    ),
    ("get", "/providers/{id}", "One provider", false),
    (
        "post",
        "/providers/{id}/requests",
        "A submitted indirect reseller asks this provider to partner",
        true,
    ),
    (
        "get",
        "/reference/address-formats/{country}",
        "One country's address format (libaddressinput)",
        false,
    ),
    (
        "get",
        "/reference/free-email-domains",
        "Free-mail domains refused for the admin email",
        false,
    ),
    ("get", "/openapi.json", "This document", false),
];

pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, summary, secured) in OPERATIONS {
        let mut operation = json!({
            "summary": summary,
            "responses": {
                "default": {
                    "description": "Errors: {\"error\": {\"code\", \"message\"}}; validation: {\"valid\", \"errors\", \"warnings\"}",
                    "content": {"application/json": {}}
                }
            }
        });
        if *secured {
            operation["security"] = json!([{"resumeToken": []}]);
        }
        let parameters: Vec<Value> = path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        if !parameters.is_empty() {
            operation["parameters"] = json!(parameters);
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "CSP enrollment API",
            "version": "1",
            "description": "Enrollment in the Cloud Solution Provider program: drafts, submission, review status, the provider directory."
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "resumeToken": {"type": "http", "scheme": "bearer", "description": "The resume_token returned when the draft was created"}
            }
        }
    })
}
