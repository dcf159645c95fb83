//! The CSP enrollment domain in plain Rust.
//!
//! Compiled into the browser app (wasm) and into the reference API, so the
//! contract types, the rules and the messages are one and the same on both
//! sides. Nothing here may depend on the web or on a runtime.

pub mod account;
pub mod address;
pub mod admin_proof;
pub mod admin_relationship;
pub mod application;
pub mod bank;
pub mod business_profile;
pub mod company;
pub mod contract;
pub mod customer;
pub mod domains;
pub mod draft;
pub mod email;
pub mod encoding;
pub mod field;
pub mod i18n;
pub mod matching;
pub mod organization;
pub mod outbox;
pub mod partner_request;
pub mod pattern;
pub mod problem;
pub mod program;
pub mod provider;
pub mod reference;
pub mod referral;
pub mod status;
pub mod tenant;
pub mod text;
pub mod validate;
pub mod vocabulary;
pub mod wizard;

/// Every message key, one constant each (`msg::START_HEADING`), written by
/// build.rs from the catalogs in locales/: the core book's here, the
/// account's in `msg::account` and the emails' in `msg::email`. Each says
/// its English text.
pub mod msg {
    use crate::i18n::{MessageKey, PluralKey};
    include!(concat!(env!("OUT_DIR"), "/message_keys.rs"));
}

pub use application::{
    Address, Admin, Answers, Application, ApplicationStatus, Attestations, BankDetails, Company,
    PartnerModel, Tenant,
};
pub use field::Field;
pub use i18n::{Catalog, Locale, MessageKey, PluralKey};
pub use problem::{ApiError, ApiErrorBody, ErrorCode, Problem, ProblemCode, ValidationReport};
pub use program::{program_problems, MpnRecord, ProgramLinks, ProgramSettings};
pub use provider::{Provider, ProviderPage, ProviderRequest};
pub use reference::ReferenceData;
pub use status::Change;
pub use validate::{validate, validate_section, validate_sections, Section};
pub use wizard::{Circumstances, Step, Wizard};
