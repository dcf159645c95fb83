//! Matching a customer's request for a partner to the published business
//! profiles (PRODUCT.md, "Business profile and referrals"): which partners
//! may receive it, in which order, and why. Deterministic: the same
//! profiles and request give the same ranking, whatever order the store
//! returns them in.
//!
//! A partner is left out when it has no location in the customer's
//! country (CSP markets are per country), works with none of the products
//! asked for (a referral it cannot act on is the spam partners complain
//! of), or refuses referrals outside its listed sizes and the customer's
//! is not listed. The others are ranked on, in this order: how many of
//! the products asked for it works with, the industry, the company's
//! size, a location in the customer's city (compared after folding case,
//! width and diacritics: "MÜNCHEN" is "München", "Ｂｅｒｌｉｎ" is
//! "Berlin"), the customer's language; then the partner with fewer open
//! referrals, then the older profile.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::business_profile::BusinessProfile;
use crate::vocabulary::{CUSTOMER_SIZES, INDUSTRIES, LANGUAGES, PRODUCTS};
use crate::{Catalog, Locale};

/// How many partners in turn may receive one request, at most.
pub const MAX_PARTNERS_PER_REQUEST: usize = 3;

/// What a customer looking for a partner needs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Needs {
    /// Product codes (`vocabulary::PRODUCTS`), at least one.
    pub products: Vec<String>,
    /// An industry code.
    pub industry: String,
    /// A customer-size code (`10_49`).
    pub company_size: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub city: String,
    /// What the customer wants done, in at most 1,000 characters.
    pub description: String,
}

/// A published profile that may receive a request.
#[derive(Clone, Debug)]
pub struct Candidate<'a> {
    pub account_id: &'a str,
    pub profile: &'a BusinessProfile,
    /// Its referrals not yet answered or closed.
    pub open_referrals: u32,
    /// When it was first published (seconds): the older ranks first.
    pub since: u64,
}

/// Why a partner matched: a term both share, or the city.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Reason {
    Product(String),
    Industry(String),
    CompanySize(String),
    /// As the partner wrote it in its location.
    City(String),
    Language(String),
}

impl Reason {
    /// Its words in `catalog`'s language: a term's name, the city as is.
    pub fn words(&self, catalog: &Catalog) -> String {
        let named = |vocabulary: crate::vocabulary::Vocabulary, code: &str| {
            vocabulary
                .term(code)
                .map_or_else(|| code.to_owned(), |t| catalog.text(t.name))
        };
        match self {
            Self::Product(code) => named(PRODUCTS, code),
            Self::Industry(code) => named(INDUSTRIES, code),
            Self::CompanySize(code) => named(CUSTOMER_SIZES, code),
            Self::City(city) => city.clone(),
            Self::Language(code) => named(LANGUAGES, code),
        }
    }
}

/// The reasons as one line ("Azure · Healthcare · Berlin").
pub fn reasons_line(reasons: &[Reason], catalog: &Catalog) -> String {
    reasons
        .iter()
        .map(|r| r.words(catalog))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A partner that may receive the request, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub account_id: String,
    pub reasons: Vec<Reason>,
}

/// `typed` as places are compared: Unicode compatibility forms (full
/// width) and Latin diacritics folded away, lower case, hyphens as
/// spaces, single spaces. Only the combining marks that are accents
/// (U+0300–U+036F) go: a Devanagari vowel sign or a kana's voicing mark
/// is part of the word. Letters with no decomposition are written as
/// their languages write them without (Łódź is Lodz, Tromsø Tromso).
pub fn folded_place(typed: &str) -> String {
    let mut folded = String::with_capacity(typed.len());
    for c in typed
        .nfkd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
    {
        for c in c.to_lowercase() {
            match c {
                'ß' => folded.push_str("ss"),
                'ł' => folded.push('l'),
                'ø' => folded.push('o'),
                'æ' => folded.push_str("ae"),
                'œ' => folded.push_str("oe"),
                'đ' | 'ð' => folded.push('d'),
                'ı' => folded.push('i'),
                'þ' => folded.push_str("th"),
                'ς' => folded.push('σ'),
                '-' | '‐' | '‑' => folded.push(' '),
                c => folded.push(c),
            }
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How well a partner matches, compared field by field in the order of
/// importance: products in common, the industry, the size listed, the
/// city, the language.
type Score = (usize, bool, bool, bool, bool);

/// The partners that may receive `needs` from a customer writing in
/// `locale`, best first, with their reasons: at most
/// `MAX_PARTNERS_PER_REQUEST`.
pub fn rank(needs: &Needs, locale: Locale, candidates: &[Candidate]) -> Vec<Match> {
    let language = locale.tag().split('-').next().unwrap_or_default();
    let city = folded_place(&needs.city);
    let mut ranked: Vec<(Score, &Candidate, Vec<Reason>)> = candidates
        .iter()
        .filter(|c| c.profile.published)
        .filter_map(|c| {
            let p = c.profile;
            let in_country: Vec<_> = p
                .locations
                .iter()
                .filter(|l| l.country.eq_ignore_ascii_case(&needs.country))
                .collect();
            let mut products: Vec<&String> = needs
                .products
                .iter()
                .filter(|code| p.products.contains(code))
                .collect();
            products.dedup();
            let size_listed = p.customer_sizes.contains(&needs.company_size);
            if in_country.is_empty() || products.is_empty() || (p.only_listed_sizes && !size_listed)
            {
                return None;
            }
            let industry = p.industries.contains(&needs.industry);
            let same_city = in_country
                .iter()
                .find(|l| !city.is_empty() && folded_place(&l.locality) == city);
            let speaks = p.languages.iter().any(|l| l == language);
            let mut reasons: Vec<Reason> = products
                .iter()
                .map(|code| Reason::Product((*code).clone()))
                .collect();
            if industry {
                reasons.push(Reason::Industry(needs.industry.clone()));
            }
            if size_listed {
                reasons.push(Reason::CompanySize(needs.company_size.clone()));
            }
            if let Some(location) = same_city {
                reasons.push(Reason::City(location.locality.clone()));
            }
            if speaks {
                reasons.push(Reason::Language(language.to_owned()));
            }
            let score = (
                products.len(),
                industry,
                size_listed,
                same_city.is_some(),
                speaks,
            );
            Some((score, c, reasons))
        })
        .collect();
    ranked.sort_by(|(a, ca, _), (b, cb, _)| {
        b.cmp(a)
            .then(ca.open_referrals.cmp(&cb.open_referrals))
            .then(ca.since.cmp(&cb.since))
            .then(ca.account_id.cmp(cb.account_id))
    });
    // One place per partner, whatever the store handed over twice.
    let mut seen = Vec::new();
    ranked.retain(|(_, c, _)| {
        let first = !seen.contains(&c.account_id);
        seen.push(c.account_id);
        first
    });
    ranked
        .into_iter()
        .take(MAX_PARTNERS_PER_REQUEST)
        .map(|(_, c, reasons)| Match {
            account_id: c.account_id.to_owned(),
            reasons,
        })
        .collect()
}

#[cfg(test)]
mod tests;
