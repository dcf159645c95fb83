//! The application as the API contract spells it (ARCHITECTURE.md).
//!
//! Every answer defaults to empty so that a partial draft deserializes: the
//! wizard saves as the user goes, long before the application is complete.

use serde::{Deserialize, Serialize};

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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Company {
    pub legal_name: String,
    /// Optional.
    pub website: String,
    /// Optional: tax or company registration number.
    pub tax_id: String,
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
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Admin {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Optional.
    pub phone: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Tenant {
    /// The tenant that carries CSP transactions; it can never buy from
    /// another CSP partner.
    pub csp_domain: String,
    /// Optional separate tenant for the company's own use; it may buy from
    /// another CSP partner.
    pub corporate_domain: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Attestations {
    pub no_resale_to_csp_partners: bool,
    pub terms_accepted: bool,
}

/// Everything the applicant answers. A draft holds any subset of it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Answers {
    pub model: Option<PartnerModel>,
    pub mpn_id: String,
    pub company: Company,
    pub address: Address,
    pub bank: BankDetails,
    pub admin: Admin,
    pub tenant: Tenant,
    pub attestations: Attestations,
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
    /// The text answer at a contract field path (`bank.iban`,
    /// `address.lines.0`); `None` for a path that is not a text answer.
    pub fn text(&self, path: &str) -> Option<&str> {
        Some(match path {
            "mpn_id" => &self.mpn_id,
            "company.legal_name" => &self.company.legal_name,
            "company.website" => &self.company.website,
            "company.tax_id" => &self.company.tax_id,
            "address.country" => &self.address.country,
            "address.lines.0" => self.address.lines.first().map_or("", String::as_str),
            "address.lines.1" => self.address.lines.get(1).map_or("", String::as_str),
            "address.locality" => &self.address.locality,
            "address.region" => &self.address.region,
            "address.postal_code" => &self.address.postal_code,
            "address.dependent_locality" => &self.address.dependent_locality,
            "address.sorting_code" => &self.address.sorting_code,
            "bank.country" => &self.bank.country,
            "bank.account_holder" => &self.bank.account_holder,
            "bank.iban" => &self.bank.iban,
            "bank.bic" => &self.bank.bic,
            "bank.routing_code" => &self.bank.routing_code,
            "bank.account_number" => &self.bank.account_number,
            "bank.account_type" => &self.bank.account_type,
            "admin.first_name" => &self.admin.first_name,
            "admin.last_name" => &self.admin.last_name,
            "admin.email" => &self.admin.email,
            "admin.phone" => &self.admin.phone,
            "tenant.csp_domain" => &self.tenant.csp_domain,
            "tenant.corporate_domain" => &self.tenant.corporate_domain,
            _ => return None,
        })
    }

    /// Sets the text answer at a field path, as typed; false for a path
    /// that is not a text answer. A new bank country clears the account
    /// fields its scheme does not use (`bank::clear_unused`).
    pub fn set_text(&mut self, path: &str, value: String) -> bool {
        let slot = match path {
            "mpn_id" => &mut self.mpn_id,
            "company.legal_name" => &mut self.company.legal_name,
            "company.website" => &mut self.company.website,
            "company.tax_id" => &mut self.company.tax_id,
            "address.country" => &mut self.address.country,
            "address.lines.0" | "address.lines.1" => {
                let index = usize::from(path.ends_with('1'));
                while self.address.lines.len() <= index {
                    self.address.lines.push(String::new());
                }
                &mut self.address.lines[index]
            }
            "address.locality" => &mut self.address.locality,
            "address.region" => &mut self.address.region,
            "address.postal_code" => &mut self.address.postal_code,
            "address.dependent_locality" => &mut self.address.dependent_locality,
            "address.sorting_code" => &mut self.address.sorting_code,
            "bank.country" => &mut self.bank.country,
            "bank.account_holder" => &mut self.bank.account_holder,
            "bank.iban" => &mut self.bank.iban,
            "bank.bic" => &mut self.bank.bic,
            "bank.routing_code" => &mut self.bank.routing_code,
            "bank.account_number" => &mut self.bank.account_number,
            "bank.account_type" => &mut self.bank.account_type,
            "admin.first_name" => &mut self.admin.first_name,
            "admin.last_name" => &mut self.admin.last_name,
            "admin.email" => &mut self.admin.email,
            "admin.phone" => &mut self.admin.phone,
            "tenant.csp_domain" => &mut self.tenant.csp_domain,
            "tenant.corporate_domain" => &mut self.tenant.corporate_domain,
            _ => return false,
        };
        *slot = value;
        if path == "bank.country" {
            crate::bank::clear_unused(&mut self.bank);
        }
        true
    }
}

/// Visits every text answer of `$answers` with its path, borrowed as
/// `$borrow` (`&` or `&mut`), in the order the wizard asks for them: the
/// one list of paths behind `each_text` and `each_text_mut`.
macro_rules! visit_texts {
    ($answers:expr, $visit:expr, $($borrow:tt)+) => {{
        let a = $answers;
        let visit = &mut $visit;
        visit("mpn_id", $($borrow)+ a.mpn_id);
        visit("company.legal_name", $($borrow)+ a.company.legal_name);
        visit("company.website", $($borrow)+ a.company.website);
        visit("company.tax_id", $($borrow)+ a.company.tax_id);
        visit("address.country", $($borrow)+ a.address.country);
        for (i, line) in ($($borrow)+ a.address.lines).into_iter().enumerate() {
            visit(&line_path(i), line);
        }
        visit("address.locality", $($borrow)+ a.address.locality);
        visit("address.region", $($borrow)+ a.address.region);
        visit("address.postal_code", $($borrow)+ a.address.postal_code);
        visit("address.dependent_locality", $($borrow)+ a.address.dependent_locality);
        visit("address.sorting_code", $($borrow)+ a.address.sorting_code);
        visit("bank.country", $($borrow)+ a.bank.country);
        visit("bank.account_holder", $($borrow)+ a.bank.account_holder);
        visit("bank.iban", $($borrow)+ a.bank.iban);
        visit("bank.bic", $($borrow)+ a.bank.bic);
        visit("bank.routing_code", $($borrow)+ a.bank.routing_code);
        visit("bank.account_number", $($borrow)+ a.bank.account_number);
        visit("bank.account_type", $($borrow)+ a.bank.account_type);
        visit("admin.first_name", $($borrow)+ a.admin.first_name);
        visit("admin.last_name", $($borrow)+ a.admin.last_name);
        visit("admin.email", $($borrow)+ a.admin.email);
        visit("admin.phone", $($borrow)+ a.admin.phone);
        visit("tenant.csp_domain", $($borrow)+ a.tenant.csp_domain);
        visit("tenant.corporate_domain", $($borrow)+ a.tenant.corporate_domain);
    }};
}

/// The path of street line `i` (`address.lines.0`), without an allocation
/// for the lines an address normally has.
fn line_path(i: usize) -> std::borrow::Cow<'static, str> {
    const PATHS: [&str; 4] = [
        "address.lines.0",
        "address.lines.1",
        "address.lines.2",
        "address.lines.3",
    ];
    match PATHS.get(i) {
        Some(path) => std::borrow::Cow::Borrowed(path),
        None => std::borrow::Cow::Owned(format!("address.lines.{i}")),
    }
}

impl Answers {
    /// Calls `visit` with the path and value of every text answer, every
    /// street line included, in the order the wizard asks for them.
    pub fn each_text(&self, mut visit: impl FnMut(&str, &str)) {
        visit_texts!(self, |path: &str, value: &String| visit(path, value), &);
    }

    /// As `each_text`, with each value to change in place.
    pub fn each_text_mut(&mut self, mut visit: impl FnMut(&str, &mut String)) {
        visit_texts!(self, |path: &str, value: &mut String| visit(path, value), &mut);
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

    #[test]
    fn the_contract_example_round_trips() {
        let json = serde_json::json!({
            "id": "a1", "status": "draft", "locale": "en-US",
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
        for (i, path) in paths.iter().enumerate() {
            assert!(answers.set_text(path, format!("v{i}")), "{path}");
        }
        for (i, path) in paths.iter().enumerate() {
            assert_eq!(answers.text(path), Some(format!("v{i}").as_str()), "{path}");
        }
        assert!(!answers.set_text("model", "x".into()));
        assert_eq!(answers.text("nope"), None);
    }

    #[test]
    fn a_new_bank_country_clears_what_its_scheme_does_not_use() {
        let mut answers = Answers::example();
        answers.set_text("bank.country", "GB".into());
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
