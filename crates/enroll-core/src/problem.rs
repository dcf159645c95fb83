//! How the API and the app report what is wrong.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `ProblemCode`, written by `problem_codes!` from its variants and their
/// spellings: by hand rather than derived, as `ErrorCode` is, since serde's
/// derive matches every name twice (as text and as bytes) in the first
/// page's wasm.
macro_rules! problem_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:tt,)*) => {
        /// Stable identifiers clients rely on; the message is derived from them.
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ProblemCode {
            $($(#[$doc])* #[cfg_attr(feature = "openapi", schema(rename = $code))] $variant,)*
            /// A code this version does not know: sent by a newer server.
            #[cfg_attr(feature = "openapi", schema(rename = "unknown"))]
            Unknown,
        }

        impl ProblemCode {
            /// Every code but `Unknown`.
            pub const ALL: &'static [ProblemCode] = &[$(Self::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Unknown => "unknown",
                }
            }

            /// The code spelled `code`; `Unknown` for one this version lacks.
            pub fn parse(code: &str) -> Self {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|known| known.as_str() == code)
                    .unwrap_or(Self::Unknown)
            }
        }
    };
}

impl Serialize for ProblemCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProblemCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(Self::parse(&code))
    }
}

problem_codes! {
    Required = "required",
    MustAccept = "must_accept",
    InvalidFormat = "invalid_format",
    TooShort = "too_short",
    TooLong = "too_long",
    /// Check digits do not match: a mistyped character.
    Checksum = "checksum",
    PostalCodeFormat = "postal_code_format",
    UnknownRegion = "unknown_region",
    UnknownCountry = "unknown_country",
    FreeEmailDomain = "free_email_domain",
    RoleAddress = "role_address",
    /// Warning: the domain looks like a typo of a well-known one.
    EmailDomainTypo = "email_domain_typo",
    TenantDomainFormat = "tenant_domain_format",
    SameAsCspTenant = "same_as_csp_tenant",
    /// The IBAN or BIC belongs to another country than the bank's.
    CountryMismatch = "country_mismatch",
    /// Direct enrollment is closed by the program settings.
    DirectEnrollmentClosed = "direct_enrollment_closed",
    /// A field the answers' scheme has no use for (an IBAN for a UK bank).
    NotApplicable = "not_applicable",
    /// A control or bidirectional-control character (often pasted along).
    ControlCharacter = "control_character",
    /// The program does not accept companies from this country.
    UnsupportedCountry = "unsupported_country",
    /// The partner directory does not know this MPN ID.
    MpnUnknown = "mpn_unknown",
    /// The MPN ID is registered in another country than the address's.
    MpnCountryMismatch = "mpn_country_mismatch",
    /// A new password the same as the one it replaces.
    SameAsPrevious = "same_as_previous",
    /// A new password on the list of common ones.
    CommonPassword = "common_password",
    /// A new password the estimator finds easy to guess (`label_key` says
    /// why).
    WeakPassword = "weak_password",
    /// The admin's address has not been proven with the emailed code.
    AdminEmailUnverified = "admin_email_unverified",
    /// A code (emailed, or from an authenticator app) that is not the one.
    WrongCode = "wrong_code",
    /// A code too old, or tried too often: a new one is needed.
    CodeExpired = "code_expired",
    /// Not the user's current password.
    WrongPassword = "wrong_password",
    /// A role the account does not have.
    UnknownRole = "unknown_role",
    /// An address outside the account's proven domains (or one that signs
    /// in to another account: told apart from nothing else).
    OutsideAccountDomains = "outside_account_domains",
    /// An address not in the domain it is to prove.
    NotInDomain = "not_in_domain",
    /// A tenant another approved partner uses for CSP transactions: it
    /// cannot buy from a CSP partner (seed fact 5).
    CspTenantOfAnotherPartner = "csp_tenant_of_another_partner",
    /// One of the inviting partner's own tenants.
    OwnTenant = "own_tenant",
    /// Another country than the partner's (CSP markets are per country).
    OtherCountry = "other_country",
    /// A tenant that is the partner's customer already.
    AlreadyCustomer = "already_customer",
    /// A name the partner gave another of its admin relationships.
    NameTaken = "name_taken",
    /// Auto-extend asked for with Global Administrator among the roles.
    AutoExtendGlobalAdmin = "auto_extend_global_admin",
    /// An address in the inviting partner's own domains, given as the
    /// customer's: the customer's own admin must answer.
    PartnerAddress = "partner_address",
}

/// An error of a custom `#[validate]` rule (validator's type): the
/// contract's code and params, turned into a `Problem` by `validate`.
pub(crate) fn broken(
    code: ProblemCode,
    params: &[(&'static str, &str)],
) -> validator::ValidationError {
    let mut error = validator::ValidationError::new(code.as_str());
    for (name, value) in params {
        error.add_param(std::borrow::Cow::Borrowed(*name), value);
    }
    error
}

/// One thing wrong with one answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path in the contract's names: `bank.iban`, `address.lines.0`.
    pub field: String,
    pub code: ProblemCode,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// Filled in by whoever knows the reader's locale (the API, the app).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Problem {
    pub fn new(field: crate::Field, code: ProblemCode) -> Self {
        Self {
            field: field.path().into_owned(),
            code,
            params: BTreeMap::new(),
            message: None,
        }
    }

    /// A problem with a field outside the application's answers (a form
    /// of the account: `new_password`, `code`).
    pub fn at(path: &str, code: ProblemCode) -> Self {
        Self {
            field: path.to_owned(),
            code,
            params: BTreeMap::new(),
            message: None,
        }
    }

    pub fn with_param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }
}

/// The answer of `POST /validate`, and what the app shows on Continue.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct ValidationReport {
    pub valid: bool,
    /// Block submission.
    pub errors: Vec<Problem>,
    /// Never block (a likely typo, for instance).
    pub warnings: Vec<Problem>,
}

impl ValidationReport {
    pub fn from_problems(errors: Vec<Problem>, warnings: Vec<Problem>) -> Self {
        Self {
            valid: errors.is_empty(),
            errors,
            warnings,
        }
    }

    /// Fills in every message in the given locale.
    pub fn localize(&mut self, catalog: &crate::Catalog) {
        for problem in self.errors.iter_mut().chain(self.warnings.iter_mut()) {
            problem.message = Some(catalog.problem_message(problem));
        }
    }
}

/// Body of every non-2xx answer that is not a validation report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ApiErrorBody {
    pub error: ApiError,
}

/// Declares [`ErrorCode`]: each variant with its spelling on the wire,
/// stated once (serde's name, `as_str`, the message key and `ALL` all come
/// from it). `$code` is a `tt`, not a `literal`: a `literal` reaches the
/// derives wrapped in an invisible group, which utoipa does not read, and
/// the document would then name the variants instead.
macro_rules! error_codes {
    ($($variant:ident = $code:tt,)*) => {
        /// The stable `error.code` of every non-2xx answer that is not a
        /// validation report; the app matches these, never strings.
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(#[cfg_attr(feature = "openapi", schema(rename = $code))] $variant,)*
            /// A code this version does not know: sent by a newer server.
            /// The app then shows the server's own message.
            #[cfg_attr(feature = "openapi", schema(rename = "other"))]
            Other,
        }

        impl ErrorCode {
            /// Every code but `Other`.
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Other => "other",
                }
            }

            /// The code spelled `code`; `Other` for one this version lacks.
            /// A search of `ALL` rather than a `match` of every name: the
            /// names are in the first page's wasm once, in `as_str`.
            pub fn parse(code: &str) -> Self {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|known| known.as_str() == code)
                    .unwrap_or(Self::Other)
            }

            /// The catalog's words for the code, `api.error.<code>`. Made
            /// here rather than spelled in full: the first page's wasm
            /// carries each code's name once.
            pub fn message_key(self) -> String {
                format!("api.error.{}", self.as_str())
            }
        }
    };
}

// By hand rather than derived: serde's derive matches every name twice
// (as text and as bytes), in the first page's wasm.
impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(Self::parse(&code))
    }
}

error_codes! {
    AdminEmailUnverified = "admin_email_unverified",
    BadLinkBase = "bad_link_base",
    BadQuery = "bad_query",
    BadRequest = "bad_request",
    DomainProven = "domain_proven",
    Forbidden = "forbidden",
    HeadersTooLarge = "headers_too_large",
    IdempotencyKeyRequired = "idempotency_key_required",
    IfMatchRequired = "if_match_required",
    Internal = "internal",
    InvalidAnswers = "invalid_answers",
    InvalidCredentials = "invalid_credentials",
    InvalidJson = "invalid_json",
    InvalidMpnId = "invalid_mpn_id",
    InvalidToken = "invalid_token",
    JsonRequired = "json_required",
    LastGlobalAdmin = "last_global_admin",
    LengthRequired = "length_required",
    MalformedRequest = "malformed_request",
    MessageControlCharacter = "message_control_character",
    MessageTooLong = "message_too_long",
    MethodNotAllowed = "method_not_allowed",
    MfaAlreadyEnrolled = "mfa_already_enrolled",
    MfaEnrolmentRequired = "mfa_enrolment_required",
    MfaNotDue = "mfa_not_due",
    MfaRequired = "mfa_required",
    MpnAlreadyEnrolled = "mpn_already_enrolled",
    MpnNotFound = "mpn_not_found",
    NoAdminEmail = "no_admin_email",
    NoSuchRoute = "no_such_route",
    NoTotpOffered = "no_totp_offered",
    NotEditable = "not_editable",
    NotFound = "not_found",
    NotIndirectReseller = "not_indirect_reseller",
    NotSubmitted = "not_submitted",
    PasswordChangeRequired = "password_change_required",
    ProfileChanged = "profile_changed",
    ReferralAnswered = "referral_answered",
    RequestTimeout = "request_timeout",
    SessionExpired = "session_expired",
    SessionRequired = "session_required",
    SignedInAlready = "signed_in_already",
    StaleEtag = "stale_etag",
    TemporaryPasswordExpired = "temporary_password_expired",
    TokenRequired = "token_required",
    TooLarge = "too_large",
    TooManyAttempts = "too_many_attempts",
    TooManyCodes = "too_many_codes",
    TooManyDrafts = "too_many_drafts",
    TooManyLookups = "too_many_lookups",
    TooManyOpenRequests = "too_many_open_requests",
    TooManyPartnerRequests = "too_many_partner_requests",
    TooManyResumeEmails = "too_many_resume_emails",
    UnknownSection = "unknown_section",
    UnsupportedMediaType = "unsupported_media_type",
    UriTooLong = "uri_too_long",
    UserExists = "user_exists",
    WrongShape = "wrong_shape",
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_serializes_as_the_contract_says() {
        let problem =
            Problem::new(crate::Field::Iban, ProblemCode::Required).with_param("min", "15");
        assert_eq!(
            serde_json::to_value(&problem).unwrap(),
            serde_json::json!({"field": "bank.iban", "code": "required", "params": {"min": "15"}})
        );
    }

    /// The API words every failure from these keys (in the main book and
    /// the account's, which the API carries whole).
    #[test]
    fn every_error_code_has_words_in_every_language() {
        use crate::{Catalog, Locale};
        for code in ErrorCode::ALL {
            let key = code.message_key();
            let english = Catalog::get(Locale::EnUs).lookup(&key);
            assert!(english.is_some(), "{key} in en-US");
            // zh-CN falls back to en-US: a missing line shows as English.
            let chinese = Catalog::get(Locale::ZhCn).lookup(&key);
            assert_ne!(chinese, english, "{key} in zh-CN");
        }
    }

    #[test]
    fn error_codes_travel_as_their_names_and_a_newer_one_as_other() {
        let body: ApiErrorBody =
            serde_json::from_str(r#"{"error":{"code":"stale_etag","message":"m"}}"#).unwrap();
        assert_eq!(body.error.code, ErrorCode::StaleEtag);
        assert_eq!(
            serde_json::to_value(ErrorCode::TooManyCodes).unwrap(),
            serde_json::json!("too_many_codes")
        );
        let newer: ApiErrorBody =
            serde_json::from_str(r#"{"error":{"code":"brand_new","message":"m"}}"#).unwrap();
        assert_eq!(newer.error.code, ErrorCode::Other);
    }

    #[test]
    fn an_unknown_code_from_a_newer_server_still_parses() {
        let problem: Problem =
            serde_json::from_str(r#"{"field":"x","code":"brand_new_rule","params":{}}"#).unwrap();
        assert_eq!(problem.code, ProblemCode::Unknown);
    }
}
