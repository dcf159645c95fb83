//! Every body in the OpenAPI document carries an example, each example is
//! what its schema says, and each is read by the type the app reads (or
//! writes) that body with, and written back the same: a field renamed on
//! one side, or an example left behind by a change, fails here.

use enroll_api::openapi::document;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `value` read as `T` and written back: the same JSON, or why not.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let read: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let written = serde_json::to_value(read).map_err(|e| e.to_string())?;
    if &written == value {
        Ok(())
    } else {
        Err(format!("written back as {written}"))
    }
}

type Check = fn(&Value) -> Result<(), String>;

/// The type the app (or, for a request, the server) reads each body with,
/// by its schema's name in the document.
fn readers() -> BTreeMap<&'static str, Check> {
    use enroll_core::account::*;
    use enroll_core::contract::*;
    use enroll_core::domains::*;
    let mut readers: BTreeMap<&'static str, Check> = BTreeMap::new();
    macro_rules! read_as {
        ($($name:ident),* $(,)?) => {
            $(readers.insert(stringify!($name), round_trip::<$name>);)*
        };
    }
    // The contract's own bodies, then the account's and its domains'.
    read_as!(
        AdminEmailCode,
        EmailCodeSent,
        AdminEmailConfirmed,
        AdminEmailDelivery,
        CreatedApplication,
        DraftAnswers,
        ResumeEmailQueued,
        ResumeEmailRequest,
        StatusHistory,
        MpnEntry,
        PartnershipRequest,
        ProviderRequests,
        Credentials,
        MfaCode,
        PasswordChange,
        TotpConfirmation,
        Users,
        PartnerRequestCreated,
        PartnerRequestView,
        RequestProof,
        ReferralView,
        Referrals,
        CustomerInvitation,
        CustomerInvitationCreated,
        CustomerInvitations,
        Customers,
        InvitationAddress,
        InvitationCode,
        InvitationSend,
        InvitationView,
        AdminRelationship,
        AdminRelationshipCreated,
        AdminRelationshipRequest,
        AdminRelationships,
        AutoExtendChange,
        RelationshipTemplates,
    );
    read_as!(
        AccountView,
        SessionState,
        TotpOffer,
        TotpConfirmed,
        UserView,
        NewUserRequest,
        RolesChange,
        AccountDomains,
        DomainProofRequest,
        DomainCodeSent,
        DomainCode,
    );
    use enroll_core::address::AddressFormat;
    use enroll_core::admin_relationship::NewAdminRelationship;
    use enroll_core::business_profile::BusinessProfile;
    use enroll_core::customer::{InvitationAcceptance, NewInvitation};
    use enroll_core::organization::OrganizationProfile;
    use enroll_core::partner_request::PartnerRequest;
    use enroll_core::referral::{Closing, Deal, Declining};
    use enroll_core::vocabulary::PartnerVocabularies;
    use enroll_core::{
        Answers, ApiErrorBody, Application, ProgramSettings, Provider, ProviderPage,
        ProviderRequest, ValidationReport,
    };
    use enroll_finder::Facets;
    read_as!(
        AddressFormat,
        Answers,
        ApiErrorBody,
        Application,
        BusinessProfile,
        Facets,
        OrganizationProfile,
        PartnerRequest,
        InvitationAcceptance,
        NewInvitation,
        NewAdminRelationship,
        Closing,
        Deal,
        Declining,
        PartnerVocabularies,
        ProgramSettings,
        Provider,
        ProviderPage,
        ProviderRequest,
        ValidationReport,
    );
    // Read by its own parser, rows as arrays.
    readers.insert("CompactDirectory", |value| {
        enroll_finder::CompactDirectory::from_json(&value.to_string())
            .map(|_| ())
            .map_err(|e| format!("{e:?}"))
    });
    // Either of two bodies: the app reads a 422 as a report first.
    readers.insert("Unprocessable", |value| {
        round_trip::<ValidationReport>(value).or_else(|_| round_trip::<ApiErrorBody>(value))
    });
    readers
}

/// Every JSON body of every operation: its media type's object and where
/// (a logo's bytes have no example to give).
fn bodies(document: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let request = operation.get("requestBody").into_iter();
            let answers = operation["responses"]
                .as_object()
                .into_iter()
                .flat_map(|r| r.values());
            for (n, body) in request.chain(answers).enumerate() {
                let contents = body["content"].as_object().into_iter().flatten();
                for (media, content) in contents.filter(|(m, _)| !m.starts_with("image/")) {
                    let at = format!("{method} {path} body {n} {media}");
                    found.push((at, content.clone()));
                }
            }
        }
    }
    found
}

/// The component a schema names, if it is a `$ref`.
fn named(schema: &Value) -> Option<&str> {
    schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

#[test]
fn every_body_has_an_example() {
    let document = document();
    let schemas = &document["components"]["schemas"];
    let mut missing = Vec::new(); // or wrong
    for (at, content) in bodies(document) {
        let example = match named(&content["schema"]) {
            Some(name) => schemas[name]["examples"][0].clone(),
            None => content["example"].clone(),
        };
        if example.is_null() {
            missing.push(format!("{at}: {}", content["schema"]));
        } else if named(&content["schema"]).is_none() {
            // An inline schema (a list, a map): the example is what it
            // says, its items' `$ref`s read from the document's components.
            let mut schema = content["schema"].clone();
            schema["components"] = document["components"].clone();
            let validator = jsonschema::draft202012::new(&schema).unwrap();
            for error in validator.iter_errors(&example) {
                missing.push(format!("{at}: the example: {error}"));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "no example, or a wrong one:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_example_is_what_its_schema_says_and_what_the_app_reads() {
    let document = document();
    let readers = readers();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
        let Some(example) = schema["examples"].get(0) else {
            continue;
        };
        checked += 1;
        let mut root = json!({"$ref": format!("#/components/schemas/{name}")});
        root["components"] = document["components"].clone();
        let validator = jsonschema::draft202012::new(&root).unwrap();
        for error in validator.iter_errors(example) {
            wrong.push(format!("{name}: {error} at {}", error.instance_path()));
        }
        match readers.get(name.as_str()) {
            Some(read) => {
                if let Err(why) = read(example) {
                    wrong.push(format!("{name}: the app's type: {why}"));
                }
            }
            None => wrong.push(format!("{name}: no reader named in this test")),
        }
    }
    assert!(checked >= 35, "only {checked} examples");
    // An example file for a schema the document does not have is left out
    // of it: said here rather than lost.
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/contract-examples");
    for file in std::fs::read_dir(folder).unwrap() {
        let name = file
            .unwrap()
            .file_name()
            .to_string_lossy()
            .replace(".json", "");
        if document["components"]["schemas"][&name]["examples"].is_null() {
            wrong.push(format!(
                "contract-examples/{name}.json: no such schema in the document"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
