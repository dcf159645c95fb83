//! What the routes' documentation shares: the path parameters (each with
//! the pattern of what it names), the headers some routes require, and the
//! body of a 422 that is either a report or an error.

use enroll_core::{ApiErrorBody, ValidationReport};
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, Required};
use utoipa::{IntoParams, PartialSchema, ToSchema};

/// A 422 on answers: their validation report when an answer is longer
/// than any answer needs, the error `wrong_shape` when the body is not
/// answers at all.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Unprocessable {
    Report(ValidationReport),
    Error(ApiErrorBody),
}

/// A parameter of the request, with a string value.
fn string_parameter(
    name: &str,
    place: ParameterIn,
    required: bool,
    description: &str,
) -> Parameter {
    parameter(name, place, required, description, String::schema())
}

/// A parameter of the request, with `schema` for its value.
fn parameter(
    name: &str,
    place: ParameterIn,
    required: bool,
    description: &str,
    schema: impl Into<RefOr<Schema>>,
) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place)
        .required(if required {
            Required::True
        } else {
            Required::False
        })
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// A string of `pattern`: the schema of a `{name}` of the path, so that a
/// client (and a generated one) knows the shape of a value before it sends
/// one.
fn string_of(pattern: String) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
}

/// `IntoParams` types of one `{name}` of the path each: the type, then
/// the name, its description and its schema.
macro_rules! path_parameters {
    ($($(#[$doc:meta])* $type:ident => ($name:literal, $description:literal, $schema:expr);)*) => {$(
        $(#[$doc])*
        pub struct $type;

        impl IntoParams for $type {
            fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
                vec![parameter($name, ParameterIn::Path, true, $description, $schema)]
            }
        }
    )*};
}

/// `{id}` and `{rid}` of `/account/customers/{id}/admin-relationships/{rid}`.
pub struct RelationshipPath;

impl IntoParams for RelationshipPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let id = || string_of(crate::auth::id_pattern());
        vec![
            parameter("id", ParameterIn::Path, true, "The customer's id", id()),
            parameter(
                "rid",
                ParameterIn::Path,
                true,
                "The admin relationship's id",
                id(),
            ),
        ]
    }
}

/// A domain as `enroll_core::domains::parse_domain` takes it: two labels
/// or more of letters, digits and inner hyphens (1 to 63 characters each,
/// as `parse_email` checks a label), any case, a trailing dot allowed.
const DOMAIN_PATTERN: &str = r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$";

path_parameters! {
    /// `{id}` of the `/applications/{id}/...` routes.
    ApplicationPath => (
        "id",
        "The application's id, as `POST /applications` answered it",
        string_of(crate::auth::id_pattern())
    );
    /// `{id}` of the `/providers/{id}/...` routes.
    ProviderPath => (
        "id",
        "The provider's id",
        string_of(crate::seed::provider_id_pattern())
    );
    /// `{id}` of the `/partner-requests/{id}/...` routes.
    PartnerRequestPath => (
        "id",
        "The request's id, as `POST /partner-requests` answered it",
        string_of(crate::auth::id_pattern())
    );
    /// `{id}` of the `/account/customer-invitations/{id}/...` and
    /// `/invitations/{id}/...` routes.
    InvitationPath => (
        "id",
        "The invitation's id, as `POST /account/customer-invitations` answered it",
        string_of(crate::auth::id_pattern())
    );
    /// `{id}` of the `/account/customers/{id}/...` routes.
    CustomerPath => (
        "id",
        "The customer's id",
        string_of(crate::auth::id_pattern())
    );
    /// `{id}` of `/account/admin-relationship-templates/{id}`.
    TemplatePath => (
        "id",
        "The template's id",
        string_of(crate::auth::id_pattern())
    );
    /// `{id}` of the `/admin-relationship-requests/{id}/...` routes.
    RelationshipRequestPath => (
        "id",
        "The admin relationship's id, as its link gave it",
        string_of(crate::auth::id_pattern())
    );
    /// `{id}` of the `/account/referrals/{id}/...` routes.
    ReferralPath => (
        "id",
        "The referral's id",
        string_of(crate::auth::id_pattern())
    );
    /// `{id}` of the `/account/users/{id}/...` routes.
    UserPath => ("id", "The user's id", string_of(crate::auth::id_pattern()));
    /// `{mpn_id}` of `GET /mpn/{mpn_id}`.
    MpnIdPath => (
        "mpn_id",
        "The MPN ID: 6 to 10 digits, spaces ignored",
        string_of(enroll_core::company::mpn_id_pattern())
    );
    /// `{domain}` of `/account/domains/{domain}/verify`.
    DomainPath => (
        "domain",
        "The domain being proven, as `POST /account/domains` named it (any case)",
        string_of(DOMAIN_PATTERN.to_owned())
    );
    /// `{country}` of `/reference/address-formats/{country}`.
    CountryPath => (
        "country",
        "ISO 3166-1 alpha-2 code, any case",
        string_of("^[A-Za-z]{2}$".to_owned())
    );
    /// `{book}` of `/reference/messages/{book}`: the names served, listed
    /// rather than described by a pattern.
    BookPath => (
        "book",
        "The book's name",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(crate::routes::SERVED_BOOKS.map(|(name, _)| name)))
    );
}

/// `If-Match` of the routes that change an application.
pub struct IfMatchHeader;

impl IntoParams for IfMatchHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![string_parameter(
            "If-Match",
            ParameterIn::Header,
            true,
            "The ETag of the version the applicant saw (`\"3\"`, `W/\"3\"`), or `*` for any: \
             428 without it, 412 when it is not the stored version",
        )]
    }
}

/// `Idempotency-Key` where it is required (submit).
pub struct IdempotencyKeyHeader;

impl IntoParams for IdempotencyKeyHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![string_parameter(
            "Idempotency-Key",
            ParameterIn::Header,
            true,
            "Up to 255 characters, new for each submission: a request repeated with the same \
             key answers what the first one did (400 without it)",
        )]
    }
}

/// `Idempotency-Key` where it is optional (the resume email).
pub struct ReplayKeyHeader;

impl IntoParams for ReplayKeyHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![string_parameter(
            "Idempotency-Key",
            ParameterIn::Header,
            false,
            "Up to 255 characters: a request repeated with the same key queues no second email",
        )]
    }
}
