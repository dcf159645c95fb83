//! The vocabularies a business profile and a customer's request share
//! (Partner Center's lists: 14 industries, 20 products, 10 services, 11
//! customer sizes, and the languages partners work in). A term is a stable
//! snake_case code on the wire and a name in each catalog (the partners'
//! book), so the profile, the request and the matching compare codes and
//! only the pages and the reasons show names.

use serde::Serialize;

use crate::msg::partners::*;
use crate::{Catalog, MessageKey, Problem, ProblemCode};

/// One term: its code and its name's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    pub code: &'static str,
    pub name: MessageKey,
}

/// A list of terms, named by the field that holds its codes.
#[derive(Clone, Copy, Debug)]
pub struct Vocabulary {
    /// The field of a profile holding codes of it (`industries`).
    pub field: &'static str,
    /// In the order the pages show them (sizes from small to large).
    pub terms: &'static [Term],
}

impl Vocabulary {
    pub fn term(&self, code: &str) -> Option<&'static Term> {
        self.terms.iter().find(|t| t.code == code)
    }

    pub fn knows(&self, code: &str) -> bool {
        self.term(code).is_some()
    }

    /// Its place in the list, for sorting codes as the pages show them.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.terms.iter().position(|t| t.code == code)
    }

    /// `codes` trimmed, once each, in this list's order (unknown ones
    /// last, to be reported by `unknown`).
    pub fn in_order(&self, codes: &[String]) -> Vec<String> {
        let mut codes: Vec<String> = codes.iter().map(|c| c.trim().to_owned()).collect();
        codes.sort_by_key(|c| (self.position(c).unwrap_or(usize::MAX), c.clone()));
        codes.dedup();
        codes
    }

    /// The problem at `path` with the first of `codes` this list lacks,
    /// if any: `invalid_format`, naming it (cut to 40 characters).
    pub fn unknown(&self, path: &str, codes: &[String]) -> Option<Problem> {
        let code = codes.iter().find(|c| !self.knows(c))?;
        Some(
            Problem::at(path, ProblemCode::InvalidFormat)
                .with_param("value", code.chars().take(40).collect::<String>()),
        )
    }

    /// Its terms with their names in `catalog`'s language.
    pub fn named(&self, catalog: &Catalog) -> Vec<NamedTerm> {
        self.terms
            .iter()
            .map(|t| NamedTerm {
                code: t.code.to_owned(),
                name: catalog.text(t.name),
            })
            .collect()
    }
}

/// A term as `GET /reference/partner-vocabularies` gives it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct NamedTerm {
    pub code: String,
    pub name: String,
}

/// Every vocabulary, in the reader's language.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PartnerVocabularies {
    pub industries: Vec<NamedTerm>,
    pub products: Vec<NamedTerm>,
    pub services: Vec<NamedTerm>,
    pub customer_sizes: Vec<NamedTerm>,
    pub languages: Vec<NamedTerm>,
}

impl PartnerVocabularies {
    pub fn named(catalog: &Catalog) -> Self {
        Self {
            industries: INDUSTRIES.named(catalog),
            products: PRODUCTS.named(catalog),
            services: SERVICES.named(catalog),
            customer_sizes: CUSTOMER_SIZES.named(catalog),
            languages: LANGUAGES.named(catalog),
        }
    }
}

const fn term(code: &'static str, name: MessageKey) -> Term {
    Term { code, name }
}

pub const INDUSTRIES: Vocabulary = Vocabulary {
    field: "industries",
    terms: &[
        term("agriculture", INDUSTRY_AGRICULTURE),
        term("automotive", INDUSTRY_AUTOMOTIVE),
        term("distribution", INDUSTRY_DISTRIBUTION),
        term("education", INDUSTRY_EDUCATION),
        term("financial_services", INDUSTRY_FINANCIAL_SERVICES),
        term("government", INDUSTRY_GOVERNMENT),
        term("healthcare", INDUSTRY_HEALTHCARE),
        term("hospitality_travel", INDUSTRY_HOSPITALITY_TRAVEL),
        term("manufacturing", INDUSTRY_MANUFACTURING),
        term("media_communications", INDUSTRY_MEDIA_COMMUNICATIONS),
        term("nonprofit", INDUSTRY_NONPROFIT),
        term("power_utilities", INDUSTRY_POWER_UTILITIES),
        term("professional_services", INDUSTRY_PROFESSIONAL_SERVICES),
        term("retail", INDUSTRY_RETAIL),
    ],
};

pub const PRODUCTS: Vocabulary = Vocabulary {
    field: "products",
    terms: &[
        term("azure", PRODUCT_AZURE),
        term("azure_ai", PRODUCT_AZURE_AI),
        term("azure_data", PRODUCT_AZURE_DATA),
        term("azure_infrastructure", PRODUCT_AZURE_INFRASTRUCTURE),
        term("azure_virtual_desktop", PRODUCT_AZURE_VIRTUAL_DESKTOP),
        term("business_central", PRODUCT_BUSINESS_CENTRAL),
        term("dynamics_crm", PRODUCT_DYNAMICS_CRM),
        term("dynamics_erp", PRODUCT_DYNAMICS_ERP),
        term("microsoft_365", PRODUCT_MICROSOFT_365),
        term("teams", PRODUCT_TEAMS),
        term("sharepoint", PRODUCT_SHAREPOINT),
        term("exchange", PRODUCT_EXCHANGE),
        term("intune", PRODUCT_INTUNE),
        term("defender", PRODUCT_DEFENDER),
        term("entra", PRODUCT_ENTRA),
        term("purview", PRODUCT_PURVIEW),
        term("power_bi", PRODUCT_POWER_BI),
        term("power_apps", PRODUCT_POWER_APPS),
        term("power_automate", PRODUCT_POWER_AUTOMATE),
        term("windows_365", PRODUCT_WINDOWS_365),
    ],
};

pub const SERVICES: Vocabulary = Vocabulary {
    field: "services",
    terms: &[
        term("consulting", SERVICE_CONSULTING),
        term("deployment", SERVICE_DEPLOYMENT),
        term("migration", SERVICE_MIGRATION),
        term("managed_services", SERVICE_MANAGED_SERVICES),
        term("licensing", SERVICE_LICENSING),
        term("training", SERVICE_TRAINING),
        term("custom_development", SERVICE_CUSTOM_DEVELOPMENT),
        term("integration", SERVICE_INTEGRATION),
        term("support", SERVICE_SUPPORT),
        term("security_assessment", SERVICE_SECURITY_ASSESSMENT),
    ],
};

/// Employees, in Partner Center's 11 bands, smallest first.
pub const CUSTOMER_SIZES: Vocabulary = Vocabulary {
    field: "customer_sizes",
    terms: &[
        term("1_9", SIZE_1_9),
        term("10_49", SIZE_10_49),
        term("50_99", SIZE_50_99),
        term("100_249", SIZE_100_249),
        term("250_499", SIZE_250_499),
        term("500_999", SIZE_500_999),
        term("1000_2499", SIZE_1000_2499),
        term("2500_4999", SIZE_2500_4999),
        term("5000_9999", SIZE_5000_9999),
        term("10000_19999", SIZE_10000_19999),
        term("20000_plus", SIZE_20000_PLUS),
    ],
};

/// ISO 639-1 codes, in the order of the codes.
pub const LANGUAGES: Vocabulary = Vocabulary {
    field: "languages",
    terms: &[
        term("ar", LANGUAGE_AR),
        term("cs", LANGUAGE_CS),
        term("da", LANGUAGE_DA),
        term("de", LANGUAGE_DE),
        term("el", LANGUAGE_EL),
        term("en", LANGUAGE_EN),
        term("es", LANGUAGE_ES),
        term("fi", LANGUAGE_FI),
        term("fr", LANGUAGE_FR),
        term("he", LANGUAGE_HE),
        term("hi", LANGUAGE_HI),
        term("hu", LANGUAGE_HU),
        term("id", LANGUAGE_ID),
        term("it", LANGUAGE_IT),
        term("ja", LANGUAGE_JA),
        term("ko", LANGUAGE_KO),
        term("nb", LANGUAGE_NB),
        term("nl", LANGUAGE_NL),
        term("pl", LANGUAGE_PL),
        term("pt", LANGUAGE_PT),
        term("ro", LANGUAGE_RO),
        term("ru", LANGUAGE_RU),
        term("sv", LANGUAGE_SV),
        term("th", LANGUAGE_TH),
        term("tr", LANGUAGE_TR),
        term("uk", LANGUAGE_UK),
        term("vi", LANGUAGE_VI),
        term("zh", LANGUAGE_ZH),
    ],
};

/// Every vocabulary a profile holds codes of.
pub const ALL: [Vocabulary; 5] = [INDUSTRIES, PRODUCTS, SERVICES, CUSTOMER_SIZES, LANGUAGES];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Locale;

    #[test]
    fn partner_centers_counts_each_code_once_and_named_in_both_languages() {
        let counts: Vec<(&str, usize)> = ALL.iter().map(|v| (v.field, v.terms.len())).collect();
        assert_eq!(
            &counts[..4],
            [
                ("industries", 14),
                ("products", 20),
                ("services", 10),
                ("customer_sizes", 11)
            ]
        );
        let en = Catalog::get(Locale::EnUs);
        let zh = Catalog::get(Locale::ZhCn);
        for vocabulary in ALL {
            let mut codes: Vec<&str> = vocabulary.terms.iter().map(|t| t.code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), vocabulary.terms.len(), "{}", vocabulary.field);
            for t in vocabulary.terms {
                assert!(
                    t.code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{} is not snake_case",
                    t.code
                );
                // Each catalog has its own name, not the key shown for a
                // missing one (product names like "Azure" are the same in
                // both, so they are compared with the key only).
                for catalog in [en, zh] {
                    assert!(catalog.lookup(t.name.as_str()).is_some(), "{}", t.code);
                }
            }
            let translated = vocabulary
                .terms
                .iter()
                .filter(|t| en.text(t.name) != zh.text(t.name))
                .count();
            let expected = match vocabulary.field {
                // Product names are brands: most stay as they are.
                "products" => 5,
                _ => vocabulary.terms.len(),
            };
            assert_eq!(translated, expected, "{}", vocabulary.field);
        }
        let named = PartnerVocabularies::named(zh);
        assert_eq!(named.industries[6].code, "healthcare");
        assert_eq!(named.industries[6].name, "医疗保健");
        assert_eq!(named.customer_sizes[1].code, "10_49");
    }
}
