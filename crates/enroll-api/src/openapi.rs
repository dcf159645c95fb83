//! The contract as OpenAPI 3.1 (`GET /api/v1/openapi.json`), generated:
//! every route is registered through utoipa-axum's `OpenApiRouter` with its
//! `#[utoipa::path]` (clippy.toml refuses a plain `.route()`), and every
//! body is described by the Rust type that is sent or read. What no single
//! handler says (the answers the middleware gives any route, the
//! `Accept-Language` every route reads) is added here.

use std::sync::OnceLock;

use serde_json::{json, Value};
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::routes::{api_v1, cacheable_v1, AppState};
use axum::Json;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CSP enrollment API",
        version = "1",
        description = "Enrollment in the Cloud Solution Provider program: drafts, submission, \
                       review status, the provider directory, the partner account. Every non-2xx answer is \
                       `{\"error\": {\"code\", \"message\"}}` (ApiErrorBody) unless it says \
                       otherwise; a 422 on answers is their ValidationReport."
    ),
    servers((url = "/api/v1")),
    modifiers(&ResumeToken),
)]
struct ApiDoc;

/// The bearer schemes: the resume token of every `/applications/{id}/...`
/// route, the session of the partner account's.
struct ResumeToken;

impl Modify for ResumeToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The `resume_token` `POST /applications` answered (once); it expires after 30 days",
            ))
            .build();
        let session = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The `token` `POST /session` answered; it ends on sign-out, after 12 hours idle or 7 days",
            ))
            .build();
        let request = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The `token` `POST /partner-requests` answered (once); it expires after 90 days",
            ))
            .build();
        let invitation = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The `token` of the invitation's link (`#invitation=<id>.<token>`), which \
                 `POST /account/customer-invitations` answered once",
            ))
            .build();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("invitationToken", SecurityScheme::Http(invitation));
        let relationship = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The `token` of an admin relationship's link \
                 (`#admin-relationship=<id>.<token>`), emailed to the customer's admin",
            ))
            .build();
        components.add_security_scheme("relationshipToken", SecurityScheme::Http(relationship));
        components.add_security_scheme("requestToken", SecurityScheme::Http(request));
        components.add_security_scheme("resumeToken", SecurityScheme::Http(scheme));
        components.add_security_scheme("session", SecurityScheme::Http(session));
    }
}

/// The document, built once from the same router functions the server
/// serves (`routes::api_v1`, `routes::cacheable_v1`).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut openapi = OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
            .merge(api_v1())
            .merge(cacheable_v1())
            .merge(router())
            .into_openapi();
        link_new_application(&mut openapi);
        // Serializing utoipa's own model cannot fail (string keys only).
        let mut document = serde_json::to_value(openapi).unwrap_or_default();
        add_shared_answers(&mut document);
        add_examples(&mut document);
        document
    })
}

/// `GET /openapi.json`: served beside `routes::api_v1` (server.rs), and
/// kept here so that the routes need not know the document built from
/// them.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::default().routes(routes!(serve_document))
}

/// This document
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "program",
    responses((status = 200, description = "The contract as OpenAPI 3.1", body = serde_json::Value,
        example = json!({"openapi": "3.1.0", "info": {"title": "CSP enrollment API", "version": "1"}, "paths": {}}))),
)]
async fn serve_document() -> Json<&'static Value> {
    Json(document())
}

/// An example of each body, one JSON file each in `contract-examples/`,
/// named for its schema: written by hand, as a reader of the document
/// would see a real one (tests/contract_examples.rs checks each against
/// its schema and reads it with the app's type).
macro_rules! examples {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), include_str!(concat!("../contract-examples/", stringify!($name), ".json"))),)*]
    };
}

const EXAMPLES: &[(&str, &str)] = examples!(
    AccountDomains,
    AdminRelationship,
    AdminRelationshipCreated,
    AdminRelationshipRequest,
    AdminRelationships,
    AutoExtendChange,
    AccountView,
    AddressFormat,
    AdminEmailCode,
    EmailCodeSent,
    AdminEmailConfirmed,
    AdminEmailDelivery,
    Answers,
    ApiErrorBody,
    Application,
    BusinessProfile,
    CompactDirectory,
    Closing,
    CreatedApplication,
    Credentials,
    CustomerInvitation,
    CustomerInvitationCreated,
    CustomerInvitations,
    Customers,
    Deal,
    Declining,
    DomainCode,
    DomainCodeSent,
    DomainProofRequest,
    DraftAnswers,
    Facets,
    InvitationAcceptance,
    InvitationAddress,
    InvitationCode,
    InvitationSend,
    InvitationView,
    MfaCode,
    MpnEntry,
    NewAdminRelationship,
    NewInvitation,
    NewUserRequest,
    OrganizationProfile,
    PartnerRequest,
    PartnerRequestCreated,
    PartnerRequestView,
    PartnerVocabularies,
    PartnershipRequest,
    PasswordChange,
    ProgramSettings,
    Provider,
    ProviderPage,
    ProviderRequest,
    ProviderRequests,
    ReferralView,
    Referrals,
    RelationshipTemplates,
    RequestProof,
    ResumeEmailQueued,
    ResumeEmailRequest,
    RolesChange,
    SessionState,
    StatusHistory,
    TotpConfirmation,
    TotpConfirmed,
    TotpOffer,
    Unprocessable,
    UserView,
    Users,
    ValidationReport
);

/// Each schema's example, as JSON Schema 2020-12 puts it (`examples`).
fn add_examples(document: &mut Value) {
    for (name, text) in EXAMPLES {
        // Looked up, not indexed: an example of a schema the document does
        // not have is left out (and the examples test says which).
        let schema = document
            .pointer_mut(&format!("/components/schemas/{name}"))
            .and_then(Value::as_object_mut);
        // The files are this crate's, read by the test: never malformed.
        if let (Some(schema), Ok(example)) = (schema, serde_json::from_str::<Value>(text)) {
            schema.insert("examples".to_owned(), json!([example]));
        }
    }
}

/// The new application's `id` (`POST /applications`' 201) is the `{id}` of
/// every `/applications/{id}...` operation: said as OpenAPI links, one per
/// operation, so that a client (or a generator) can follow them. Made here
/// from the routes rather than listed in `create`'s attribute, so that a
/// route added under `/applications/{id}` is linked without a second edit.
fn link_new_application(openapi: &mut utoipa::openapi::OpenApi) {
    let targets: Vec<String> = openapi
        .paths
        .paths
        .iter()
        .filter(|(path, _)| {
            *path == "/applications/{id}" || path.starts_with("/applications/{id}/")
        })
        .flat_map(|(_, item)| {
            [
                &item.get,
                &item.put,
                &item.post,
                &item.delete,
                &item.patch,
                &item.head,
                &item.options,
                &item.trace,
            ]
        })
        .filter_map(|operation| operation.as_ref()?.operation_id.clone())
        .collect();
    let created = openapi
        .paths
        .paths
        .get_mut("/applications")
        .and_then(|item| item.post.as_mut())
        .and_then(|create| create.responses.responses.get_mut("201"));
    let Some(RefOr::T(created)) = created else {
        return;
    };
    for operation_id in targets {
        let link = LinkBuilder::new()
            .operation_id(&operation_id)
            .parameter("id", "$response.body#/id")
            .description("The new application's `id`; its `resume_token` is the bearer token")
            .build();
        created.links.insert(operation_id, RefOr::T(link));
    }
}

/// Answers any route may give, from the middleware and the body extractors
/// rather than the handler (`guards.rs`, `json.rs`), and the header every
/// route reads. Where a handler documents the same status for its own
/// reason, this one is added to its description.
fn add_shared_answers(document: &mut Value) {
    let every_route = [
        (
            "414",
            "`uri_too_long`: the path and query are longer than the server takes",
        ),
        (
            "431",
            "`headers_too_large`: the headers are larger than the server takes",
        ),
        ("500", "`internal`: the server failed; nothing was changed"),
    ];
    let with_a_body = [
        ("400", "`invalid_json`: the body is not JSON"),
        ("408", "`request_timeout`: the body took too long to arrive"),
        ("413", "`too_large`: the body is larger than 64 KiB"),
    ];
    let accept_language = json!({
        "name": "Accept-Language",
        "in": "header",
        "required": false,
        "description": "The locale of `message`s: en-US or zh-CN (the default en-US)",
        "schema": {"type": "string"}
    });
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    let methods = ["get", "put", "post", "delete", "patch"];
    for operation in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.iter_mut())
        .filter(|(method, _)| methods.contains(&method.as_str()))
        .filter_map(|(_, operation)| operation.as_object_mut())
    {
        let has_body = operation.contains_key("requestBody");
        // utoipa writes an optional body (`Option<T>`) as "T or null"; these
        // routes take no body for the default, and refuse `null` (422).
        let body = operation.get_mut("requestBody");
        if let Some(schema) = body.and_then(|b| b.pointer_mut("/content/application~1json/schema"))
        {
            let optional = match schema.get("oneOf").and_then(Value::as_array) {
                Some(choices) if choices.len() == 2 && choices[1] == json!({"type": "null"}) => {
                    Some(choices[0].clone())
                }
                _ => None,
            };
            if let Some(optional) = optional {
                *schema = optional;
            }
        }
        if let Some(parameters) = operation
            .entry("parameters")
            .or_insert_with(|| json!([]))
            .as_array_mut()
        {
            parameters.push(accept_language.clone());
        }
        let Some(responses) = operation["responses"].as_object_mut() else {
            continue;
        };
        let shared = every_route
            .iter()
            .chain(with_a_body.iter().filter(|_| has_body));
        for (status, description) in shared {
            match responses.get_mut(*status) {
                Some(documented) => {
                    let before = documented["description"].as_str().unwrap_or_default();
                    documented["description"] = json!(format!("{before}; or {description}"));
                }
                None => {
                    responses.insert(
                        (*status).to_owned(),
                        json!({
                            "description": description,
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/ApiErrorBody"
                            }}}
                        }),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use enroll_core::reference::vendored_address_formats;

    /// The reference data is served as stored JSON, not through the type
    /// the schema comes from: every country's must be what it says.
    #[test]
    fn every_vendored_address_format_is_what_the_contract_says() {
        let mut schema = json!({"$ref": "#/components/schemas/AddressFormat"});
        schema["components"] = document()["components"].clone();
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        let reference = crate::reference::Reference::vendored();
        let countries = vendored_address_formats();
        assert!(countries.len() > 200);
        for country in countries.keys() {
            let json = reference.address_format_json(country).unwrap();
            let format: Value = serde_json::from_str(json).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&format)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{country}: {errors:?}");
        }
    }
}
