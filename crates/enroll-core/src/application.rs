//! The application as the API contract spells it (ARCHITECTURE.md).
//!
//! Every answer defaults to empty so that a partial draft deserializes: the
//! wizard saves as the user goes, long before the application is complete.

use crate::text::caps;
use crate::validate::Checked;
use crate::Field;
use serde::{Deserialize, Serialize};
use validator::Validate;

/// How the company will sell: through an indirect provider, or on its own.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum PartnerModel {
    /// Works through an indirect provider, who brings customers and handles
    /// purchases, billing and support.
    IndirectReseller,
    /// Owns the whole relationship with its customers and with the vendor.
    DirectPartner,
}

/// Where an application is in its review.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    #[default]
    Draft,
    Submitted,
    InReview,
    Approved,
    Rejected,
    MoreInfoNeeded,
}

impl ApplicationStatus {
    /// The contract's spelling, also the catalog key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::InReview => "in_review",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::MoreInfoNeeded => "more_info_needed",
        }
    }

    /// Parses the contract's spelling (as stored in the database).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

// The `#[validate]` rules of a section see one answer at a time, trimmed
// (validate.rs); rules that need the country's formats or several answers
// are plain functions beside them (address.rs, bank.rs, email.rs).

// The caps (text::caps) as validator's `length` takes them.
const LEGAL_NAME_MAX: u64 = caps::LEGAL_NAME as u64;
const PERSON_NAME_MAX: u64 = caps::PERSON_NAME as u64;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, Validate)]
#[serde(default)]
pub struct Company {
    #[validate(
        length(max = LEGAL_NAME_MAX, code = "too_long"),
        custom(function = "crate::validate::required"),
        custom(function = "crate::company::legal_name")
    )]
    pub legal_name: String,
    /// Optional.
    #[validate(custom(function = "crate::company::website"))]
    pub website: String,
    /// Optional: tax or company registration number.
    #[validate(custom(function = "crate::company::tax_id"))]
    pub tax_id: String,
}

impl Checked for Company {
    const FIELDS: &'static [(&'static str, Field)] = &[
        ("legal_name", Field::LegalName),
        ("website", Field::Website),
        ("tax_id", Field::TaxId),
    ];
}

/// A postal address in libaddressinput's terms, so every country fits.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Address {
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub lines: Vec<String>,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
    pub dependent_locality: String,
    pub sorting_code: String,
}

impl Address {
    /// As typed, without the spaces around each part or empty street
    /// lines; the country in upper case.
    pub fn trimmed(&self) -> Self {
        let text = |t: &String| t.trim().to_owned();
        Self {
            country: text(&self.country).to_ascii_uppercase(),
            lines: self
                .lines
                .iter()
                .map(text)
                .filter(|l| !l.is_empty())
                .collect(),
            locality: text(&self.locality),
            region: text(&self.region),
            postal_code: text(&self.postal_code),
            dependent_locality: text(&self.dependent_locality),
            sorting_code: text(&self.sorting_code),
        }
    }
}

/// Where the vendor pays the partner. `iban` and `account_number` are bank
/// secrets: never logged, never stored in the browser, returned masked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct BankDetails {
    pub country: String,
    pub account_holder: String,
    pub iban: String,
    pub bic: String,
    /// The country's domestic bank code (ABA, sort code, BSB, IFSC, ...).
    pub routing_code: String,
    pub account_number: String,
    pub account_type: String,
}

/// The employee who becomes the global admin of the partner account.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, Validate)]
#[serde(default)]
pub struct Admin {
    #[validate(
        length(max = PERSON_NAME_MAX, code = "too_long"),
        custom(function = "crate::validate::required")
    )]
    pub first_name: String,
    #[validate(
        length(max = PERSON_NAME_MAX, code = "too_long"),
        custom(function = "crate::validate::required")
    )]
    pub last_name: String,
    /// Checked against the reference data's free-mail domains, with
    /// warnings for likely typos: `email::email_problems`.
    pub email: String,
    /// Optional.
    #[validate(custom(function = "crate::validate::phone"))]
    pub phone: String,
}

impl Checked for Admin {
    const FIELDS: &'static [(&'static str, Field)] = &[
        ("first_name", Field::FirstName),
        ("last_name", Field::LastName),
        ("email", Field::Email),
        ("phone", Field::Phone),
    ];
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, Validate)]
#[serde(default)]
pub struct Tenant {
    /// The tenant that carries CSP transactions; it can never buy from
    /// another CSP partner.
    #[validate(custom(function = "crate::tenant::csp_domain"))]
    pub csp_domain: String,
    /// Optional separate tenant for the company's own use; it may buy from
    /// another CSP partner (not the CSP tenant: `tenant::same_tenant_problem`).
    #[validate(custom(function = "crate::tenant::corporate_domain"))]
    pub corporate_domain: String,
}

impl Checked for Tenant {
    const FIELDS: &'static [(&'static str, Field)] = &[
        ("csp_domain", Field::CspDomain),
        ("corporate_domain", Field::CorporateDomain),
    ];
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, Validate)]
#[serde(default)]
pub struct Attestations {
    #[validate(custom(function = "crate::validate::must_accept"))]
    pub no_resale_to_csp_partners: bool,
    #[validate(custom(function = "crate::validate::must_accept"))]
    pub terms_accepted: bool,
}

impl Checked for Attestations {
    const FIELDS: &'static [(&'static str, Field)] = &[
        ("no_resale_to_csp_partners", Field::NoResale),
        ("terms_accepted", Field::TermsAccepted),
    ];
}

/// Everything the applicant answers. A draft holds any subset of it. Its
/// own `#[validate]` rules are those of the two answers outside a section.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, Validate)]
#[serde(default)]
pub struct Answers {
    #[validate(required(code = "required"))]
    pub model: Option<PartnerModel>,
    #[validate(custom(function = "crate::company::mpn_id"))]
    pub mpn_id: String,
    pub company: Company,
    pub address: Address,
    pub bank: BankDetails,
    pub admin: Admin,
    pub tenant: Tenant,
    pub attestations: Attestations,
}

impl Checked for Answers {
    const FIELDS: &'static [(&'static str, Field)] =
        &[("model", Field::Model), ("mpn_id", Field::MpnId)];
}

impl Answers {
    /// The contract's example application (ARCHITECTURE.md): complete and
    /// valid, with the IBAN registry's German specimen. For tests, docs and
    /// benchmarks.
    pub fn example() -> Self {
        let text = |s: &str| s.to_owned();
        Self {
            model: Some(PartnerModel::IndirectReseller),
            mpn_id: text("1234567"),
            company: Company {
                legal_name: text("Contoso Ltd"),
                website: text("https://contoso.com"),
                tax_id: String::new(),
            },
            address: Address {
                country: text("DE"),
                lines: vec![text("Unter den Linden 1")],
                locality: text("Berlin"),
                postal_code: text("10117"),
                ..Address::default()
            },
            bank: BankDetails {
                country: text("DE"),
                account_holder: text("Contoso Ltd"),
                iban: text("DE89370400440532013000"),
                bic: text("COBADEFFXXX"),
                ..BankDetails::default()
            },
            admin: Admin {
                first_name: text("Jane"),
                last_name: text("Doe"),
                email: text("jane.doe@contoso.com"),
                phone: String::new(),
            },
            tenant: Tenant {
                csp_domain: text("contoso.onmicrosoft.com"),
                corporate_domain: String::new(),
            },
            attestations: Attestations {
                no_resale_to_csp_partners: true,
                terms_accepted: true,
            },
        }
    }
}

impl Answers {
    /// A text answer; `None` for a field that is not text (the model, an
    /// attestation, the list of street lines). A street line not there is
    /// empty.
    pub fn text(&self, field: Field) -> Option<&str> {
        if let Field::StreetLine(i) = field {
            return Some(self.address.lines.get(i).map_or("", String::as_str));
        }
        let mut found = None;
        self.each_text(|f, value| {
            if f == field {
                found = Some(value);
            }
        });
        found
    }

    /// Sets a text answer, as typed; false for a field that is not text. A
    /// new bank country clears the account fields its scheme does not use
    /// (`bank::clear_unused`).
    pub fn set_text(&mut self, field: Field, value: String) -> bool {
        if let Field::StreetLine(i) = field {
            if i >= crate::text::caps::ADDRESS_LINES {
                return false;
            }
            while self.address.lines.len() <= i {
                self.address.lines.push(String::new());
            }
        }
        let mut slot = None;
        self.each_text_mut(|f, answer| {
            if f == field {
                slot = Some(answer);
            }
        });
        let Some(slot) = slot else {
            return false;
        };
        *slot = value;
        if field == Field::BankCountry {
            crate::bank::clear_unused(&mut self.bank);
        }
        true
    }
}

/// Visits every text answer of `$answers` with its field, borrowed as
/// `$borrow` (`&` or `&mut`), in the order the wizard asks for them: the
/// one list of text answers behind `each_text`, `each_text_mut`, `text`
/// and `set_text`.
macro_rules! visit_texts {
    ($answers:expr, $visit:expr, $($borrow:tt)+) => {{
        let a = $answers;
        let visit = &mut $visit;
        visit(Field::MpnId, $($borrow)+ a.mpn_id);
        visit(Field::LegalName, $($borrow)+ a.company.legal_name);
        visit(Field::Website, $($borrow)+ a.company.website);
        visit(Field::TaxId, $($borrow)+ a.company.tax_id);
        visit(Field::AddressCountry, $($borrow)+ a.address.country);
        for (i, line) in ($($borrow)+ a.address.lines).into_iter().enumerate() {
            visit(Field::StreetLine(i), line);
        }
        visit(Field::Locality, $($borrow)+ a.address.locality);
        visit(Field::Region, $($borrow)+ a.address.region);
        visit(Field::PostalCode, $($borrow)+ a.address.postal_code);
        visit(Field::DependentLocality, $($borrow)+ a.address.dependent_locality);
        visit(Field::SortingCode, $($borrow)+ a.address.sorting_code);
        visit(Field::BankCountry, $($borrow)+ a.bank.country);
        visit(Field::AccountHolder, $($borrow)+ a.bank.account_holder);
        visit(Field::Iban, $($borrow)+ a.bank.iban);
        visit(Field::Bic, $($borrow)+ a.bank.bic);
        visit(Field::RoutingCode, $($borrow)+ a.bank.routing_code);
        visit(Field::AccountNumber, $($borrow)+ a.bank.account_number);
        visit(Field::AccountType, $($borrow)+ a.bank.account_type);
        visit(Field::FirstName, $($borrow)+ a.admin.first_name);
        visit(Field::LastName, $($borrow)+ a.admin.last_name);
        visit(Field::Email, $($borrow)+ a.admin.email);
        visit(Field::Phone, $($borrow)+ a.admin.phone);
        visit(Field::CspDomain, $($borrow)+ a.tenant.csp_domain);
        visit(Field::CorporateDomain, $($borrow)+ a.tenant.corporate_domain);
    }};
}

impl Answers {
    /// Calls `visit` with every text answer and its field, every street
    /// line included, in the order the wizard asks for them.
    pub fn each_text<'a>(&'a self, mut visit: impl FnMut(Field, &'a str)) {
        visit_texts!(self, |field: Field, value: &'a String| visit(field, value), &);
    }

    /// As `each_text`, with each answer to change in place.
    pub fn each_text_mut<'a>(&'a mut self, mut visit: impl FnMut(Field, &'a mut String)) {
        visit_texts!(self, |field: Field, value: &'a mut String| visit(field, value), &mut);
    }
}

/// An application as the API returns it: its identity and status, and the
/// answers beside them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(from = "ApplicationJson", into = "ApplicationJson")]
pub struct Application {
    pub id: String,
    pub status: ApplicationStatus,
    pub locale: String,
    pub answers: Answers,
    /// The admin address in the answers was proven with an emailed code
    /// (changing the address takes the proof away).
    pub admin_email_confirmed: bool,
}

/// `Application` in JSON: the answers at the same level as the id. Spelt
/// out rather than `#[serde(flatten)]`, whose machinery was 22 KB of the
/// app's wasm.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(description = "An application: its id, status and locale, and the answers beside them")
)]
#[derive(Serialize, Deserialize)]
struct ApplicationJson {
    id: String,
    status: ApplicationStatus,
    locale: String,
    /// The admin address in the answers was proven with the emailed code.
    #[serde(default)]
    admin_email_confirmed: bool,
    #[serde(default)]
    model: Option<PartnerModel>,
    #[serde(default)]
    mpn_id: String,
    #[serde(default)]
    company: Company,
    #[serde(default)]
    address: Address,
    #[serde(default)]
    bank: BankDetails,
    #[serde(default)]
    admin: Admin,
    #[serde(default)]
    tenant: Tenant,
    #[serde(default)]
    attestations: Attestations,
}

impl From<ApplicationJson> for Application {
    fn from(json: ApplicationJson) -> Self {
        Self {
            id: json.id,
            status: json.status,
            locale: json.locale,
            admin_email_confirmed: json.admin_email_confirmed,
            answers: Answers {
                model: json.model,
                mpn_id: json.mpn_id,
                company: json.company,
                address: json.address,
                bank: json.bank,
                admin: json.admin,
                tenant: json.tenant,
                attestations: json.attestations,
            },
        }
    }
}

impl From<Application> for ApplicationJson {
    fn from(application: Application) -> Self {
        let Answers {
            model,
            mpn_id,
            company,
            address,
            bank,
            admin,
            tenant,
            attestations,
        } = application.answers;
        Self {
            id: application.id,
            status: application.status,
            locale: application.locale,
            admin_email_confirmed: application.admin_email_confirmed,
            model,
            mpn_id,
            company,
            address,
            bank,
            admin,
            tenant,
            attestations,
        }
    }
}

/// `Application`'s schema is its JSON form's (`ApplicationJson`), which is
/// private to this module: a child module can reach it.
#[cfg(feature = "openapi")]
#[path = "application_schema.rs"]
mod schema;

#[cfg(test)]
mod tests {
    use super::*;

    /// `Checked::FIELDS` lists `T`'s answers in the order they are declared
    /// (and sent), each with the field its path names: every one of a
    /// section's, the answers' own two first.
    fn fields_in_order<T: Checked + Default + Serialize>(whole_section: bool) {
        let sent = serde_json::to_string(&T::default()).unwrap();
        let at = |name: &str| sent.find(&format!("\"{name}\":")).expect(name);
        let positions: Vec<usize> = T::FIELDS.iter().map(|(name, _)| at(name)).collect();
        assert!(positions.is_sorted(), "{:?}", T::FIELDS);
        for (name, field) in T::FIELDS {
            assert!(field.path().ends_with(name), "{name}: {field:?}");
        }
        let keys = serde_json::from_str::<serde_json::Map<_, _>>(&sent)
            .unwrap()
            .len();
        assert_eq!(whole_section, keys == T::FIELDS.len(), "{:?}", T::FIELDS);
    }

    #[test]
    fn each_checked_part_lists_its_fields_in_order() {
        fields_in_order::<Company>(true);
        fields_in_order::<Admin>(true);
        fields_in_order::<Tenant>(true);
        fields_in_order::<Attestations>(true);
        fields_in_order::<Answers>(false);
    }

    #[test]
    fn the_contract_example_round_trips() {
        let json = serde_json::json!({
            "id": "a1", "status": "draft", "locale": "en-US", "admin_email_confirmed": true,
            "model": "indirect_reseller",
            "mpn_id": "1234567",
            "company": {"legal_name": "Contoso Ltd", "website": "https://contoso.com", "tax_id": ""},
            "address": {"country": "DE", "lines": ["Unter den Linden 1"], "locality": "Berlin",
                        "region": "", "postal_code": "10117", "dependent_locality": "", "sorting_code": ""},
            "bank": {"country": "DE", "account_holder": "Contoso Ltd", "iban": "DE89370400440532013000",
                     "bic": "COBADEFFXXX", "routing_code": "", "account_number": "", "account_type": ""},
            "admin": {"first_name": "Jane", "last_name": "Doe", "email": "jane.doe@contoso.com", "phone": ""},
            "tenant": {"csp_domain": "contoso.onmicrosoft.com", "corporate_domain": ""},
            "attestations": {"no_resale_to_csp_partners": true, "terms_accepted": true}
        });
        let app: Application =
            serde_json::from_value(json.clone()).expect("contract example parses");
        assert_eq!(app.answers.model, Some(PartnerModel::IndirectReseller));
        assert_eq!(app.answers.address.lines, vec!["Unter den Linden 1"]);
        assert!(app.admin_email_confirmed);
        assert_eq!(serde_json::to_value(&app).unwrap(), json);
    }

    #[test]
    fn a_partial_draft_parses_with_everything_else_empty() {
        let answers: Answers = serde_json::from_str(r#"{"mpn_id":"42"}"#).unwrap();
        assert_eq!(answers.mpn_id, "42");
        assert_eq!(answers.model, None);
        assert!(answers.bank.iban.is_empty());
    }

    #[test]
    fn every_text_path_reads_back_what_was_set() {
        let paths = [
            "mpn_id",
            "company.legal_name",
            "company.website",
            "company.tax_id",
            "address.country",
            "address.lines.0",
            "address.lines.1",
            "address.locality",
            "address.region",
            "address.postal_code",
            "address.dependent_locality",
            "address.sorting_code",
            "bank.country",
            "bank.account_holder",
            "bank.iban",
            "bank.bic",
            "bank.routing_code",
            "bank.account_number",
            "bank.account_type",
            "admin.first_name",
            "admin.last_name",
            "admin.email",
            "admin.phone",
            "tenant.csp_domain",
            "tenant.corporate_domain",
        ];
        let mut answers = Answers::default();
        let fields: Vec<Field> = paths.iter().map(|p| Field::parse(p).expect(p)).collect();
        for (i, field) in fields.iter().enumerate() {
            assert!(answers.set_text(*field, format!("v{i}")), "{field:?}");
        }
        for (i, field) in fields.iter().enumerate() {
            let expected = format!("v{i}");
            assert_eq!(answers.text(*field), Some(expected.as_str()), "{field:?}");
        }
        assert!(!answers.set_text(Field::Model, "x".into()));
        assert!(!answers.set_text(Field::StreetLine(4), "x".into()));
        assert_eq!(answers.text(Field::TermsAccepted), None);
        assert_eq!(answers.text(Field::StreetLine(3)), Some(""));
    }

    #[test]
    fn a_new_bank_country_clears_what_its_scheme_does_not_use() {
        let mut answers = Answers::example();
        answers.set_text(Field::BankCountry, "GB".into());
        assert_eq!(answers.bank.iban, "");
        assert_eq!(answers.bank.bic, "");
        assert_eq!(answers.bank.account_holder, "Contoso Ltd");
    }

    #[test]
    fn statuses_use_the_contract_spelling() {
        for status in [
            ApplicationStatus::Draft,
            ApplicationStatus::MoreInfoNeeded,
            ApplicationStatus::InReview,
        ] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(ApplicationStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ApplicationStatus::parse("approved?"), None);
    }
}
