//! The business profile of a partner account: what customers looking for
//! a partner are matched against (PRODUCT.md, "Business profile and
//! referrals"). Its rules, stated once: the limits, the vocabularies'
//! codes, each location an address by its country's rules (the
//! application's), and what a profile needs before it may be published.

use serde::{Deserialize, Serialize};

use crate::company::is_website;
use crate::reference::ReferenceData;
use crate::text::is_forbidden;
use crate::vocabulary::{self, Vocabulary};
use crate::{validate_sections, Address, Answers, Problem, ProblemCode, Section, ValidationReport};

/// The profile's numbers (Partner Center's, and the logo's safety limits).
pub mod limits {
    /// Characters in the description.
    pub const DESCRIPTION_MAX_CHARS: usize = 2_500;
    /// Locations in one country.
    pub const LOCATIONS_PER_COUNTRY: usize = 5;
    /// A logo's file, in bytes (the logo route's own body limit; every
    /// other route keeps 64 KB).
    pub const LOGO_MAX_BYTES: usize = 1024 * 1024;
    /// A logo's width and height, in pixels, at most: checked from the
    /// header, before any pixel is decoded.
    pub const LOGO_MAX_SIDE_PX: u32 = 4_000;
    /// Its shorter side, at least (Partner Center asks 216 px).
    pub const LOGO_MIN_SIDE_PX: u32 = 216;
    /// Memory the decoder may take for one logo, in bytes: a 4,000 ×
    /// 4,000 RGBA image and its decoder's own buffers, no more.
    pub const LOGO_MAX_DECODE_BYTES: u64 = 80 * 1024 * 1024;
}

/// The profile, as `GET /account/business-profile` gives it and `PUT`
/// takes it. Codes are the vocabularies' (`vocabulary.rs`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct BusinessProfile {
    /// At most 2,500 characters; may hold line breaks.
    pub description: String,
    /// An https address.
    pub website: String,
    /// The company's LinkedIn page (`https://www.linkedin.com/company/…`);
    /// optional.
    pub linkedin: String,
    pub industries: Vec<String>,
    pub products: Vec<String>,
    pub services: Vec<String>,
    /// Employee bands (`10_49`) the partner serves.
    pub customer_sizes: Vec<String>,
    /// Refuse referrals from customers of other sizes.
    pub only_listed_sizes: bool,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    /// Complete addresses, at most 5 in one country.
    pub locations: Vec<Address>,
    /// The user (id) who acts on referrals.
    pub referral_contact: Option<String>,
    /// Referrals go only to published profiles.
    pub published: bool,
    /// Where the logo is served (content-hashed); set by the server and
    /// ignored when saved.
    pub logo_url: Option<String>,
    /// The account's users, to choose the referral contact from (a
    /// business profile admin may not list users otherwise); set by the
    /// server and ignored when saved.
    pub contacts: Vec<ContactChoice>,
}

/// A user of the account who may act on referrals.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct ContactChoice {
    pub id: String,
    pub name: String,
    pub email: String,
}

impl BusinessProfile {
    /// As typed, without the spaces around each answer; codes once each,
    /// in their vocabulary's order (unknown ones last, to be reported);
    /// without what the server sets (the logo's
    /// URL, the contacts to choose from).
    pub fn trimmed(&self) -> Self {
        Self {
            description: self.description.trim().to_owned(),
            website: self.website.trim().to_owned(),
            linkedin: self.linkedin.trim().to_owned(),
            industries: vocabulary::INDUSTRIES.in_order(&self.industries),
            products: vocabulary::PRODUCTS.in_order(&self.products),
            services: vocabulary::SERVICES.in_order(&self.services),
            customer_sizes: vocabulary::CUSTOMER_SIZES.in_order(&self.customer_sizes),
            only_listed_sizes: self.only_listed_sizes,
            languages: vocabulary::LANGUAGES.in_order(&self.languages),
            // An empty one is kept, and reported at its own place: the
            // page's locations and the problems' numbers stay the same.
            locations: self.locations.iter().map(Address::trimmed).collect(),
            referral_contact: self
                .referral_contact
                .as_deref()
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_owned),
            published: self.published,
            logo_url: None,
            contacts: Vec::new(),
        }
    }

    /// The codes the profile holds of `vocabulary`.
    pub fn codes(&self, vocabulary: Vocabulary) -> &[String] {
        match vocabulary.field {
            "industries" => &self.industries,
            "products" => &self.products,
            "services" => &self.services,
            "customer_sizes" => &self.customer_sizes,
            _ => &self.languages,
        }
    }

    /// The fields a published profile needs and this one lacks, in the
    /// page's order (the logo and LinkedIn are optional).
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.description.trim().is_empty() {
            missing.push("description");
        }
        for vocabulary in vocabulary::ALL {
            if self.codes(vocabulary).is_empty() {
                missing.push(vocabulary.field);
            }
        }
        if self.locations.is_empty() {
            missing.push("locations");
        }
        if self.referral_contact.is_none() {
            missing.push("referral_contact");
        }
        missing
    }

    /// What is wrong with it (fields as in the contract: `website`,
    /// `locations.1.postal_code`): each answer by its rule,
    /// `referral_contact` one of `users` (the account's user ids), and,
    /// when it is to be published, each field it still needs (`required`).
    /// Call on `trimmed()`.
    pub fn validate(&self, reference: &ReferenceData, users: &[String]) -> ValidationReport {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let description = &self.description;
        if description.chars().any(|c| is_forbidden(c, true)) {
            errors.push(Problem::at("description", ProblemCode::ControlCharacter));
        } else if description.chars().count() > limits::DESCRIPTION_MAX_CHARS {
            errors.push(
                Problem::at("description", ProblemCode::TooLong)
                    .with_param("max", limits::DESCRIPTION_MAX_CHARS.to_string()),
            );
        }
        if !self.website.is_empty() && !is_https_website(&self.website) {
            errors.push(Problem::at("website", ProblemCode::InvalidFormat));
        }
        if !self.linkedin.is_empty() && !is_linkedin_company_page(&self.linkedin) {
            errors.push(Problem::at("linkedin", ProblemCode::InvalidFormat));
        }
        for vocabulary in vocabulary::ALL {
            errors.extend(vocabulary.unknown(vocabulary.field, self.codes(vocabulary)));
        }
        for (i, location) in self.locations.iter().enumerate() {
            let answers = Answers {
                address: location.clone(),
                ..Answers::default()
            };
            let report = validate_sections(&[Section::Address], &answers, reference);
            let at_location = |problems: Vec<Problem>| {
                problems.into_iter().map(move |mut p| {
                    let rest = p.field.strip_prefix("address.").unwrap_or(&p.field);
                    p.field = format!("locations.{i}.{rest}");
                    p
                })
            };
            errors.extend(at_location(report.errors));
            warnings.extend(at_location(report.warnings));
        }
        if let Some(country) = crowded_country(&self.locations) {
            errors.push(
                Problem::at("locations", ProblemCode::TooLong)
                    .with_param("max", limits::LOCATIONS_PER_COUNTRY.to_string())
                    .with_param("country", country),
            );
        }
        // A user since removed, or one of another account, is no contact:
        // the page lists the account's users to choose from.
        if let Some(contact) = &self.referral_contact {
            if !users.contains(contact) {
                errors.push(Problem::at("referral_contact", ProblemCode::Required));
            }
        }
        if self.published {
            for field in self.missing() {
                if !errors.iter().any(|p| p.field == field) {
                    errors.push(Problem::at(field, ProblemCode::Required));
                }
            }
        }
        ValidationReport::from_problems(errors, warnings)
    }
}

/// The first country with more locations than one country may have.
fn crowded_country(locations: &[Address]) -> Option<String> {
    let mut countries: Vec<&str> = locations.iter().map(|a| a.country.as_str()).collect();
    countries.sort_unstable();
    countries
        .chunk_by(|a, b| a == b)
        .find(|same| same.len() > limits::LOCATIONS_PER_COUNTRY)
        .map(|same| same[0].to_owned())
}

/// An https address of a website (`https://contoso.com/about`).
pub fn is_https_website(typed: &str) -> bool {
    typed
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        && is_website(typed)
}

/// A LinkedIn company page: `https://www.linkedin.com/company/<name>`
/// (or a country's `de.linkedin.com`, no `www.`), with a slash at the end
/// or not; its name of letters, digits, `-`, `_`, `.` and `%`-escapes.
pub fn is_linkedin_company_page(typed: &str) -> bool {
    let lower = typed.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://") else {
        return false;
    };
    let Some((host, path)) = rest.split_once('/') else {
        return false;
    };
    let host_ok = host == "linkedin.com"
        || host.strip_suffix(".linkedin.com").is_some_and(|sub| {
            (2..=3).contains(&sub.len()) && sub.chars().all(|c| c.is_ascii_lowercase())
        });
    let name = path
        .strip_prefix("company/")
        .map(|n| n.strip_suffix('/').unwrap_or(n));
    let name_ok = name.is_some_and(|n| {
        (1..=100).contains(&n.len())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.%".contains(c))
    });
    host_ok && name_ok
}

#[cfg(test)]
mod tests;
