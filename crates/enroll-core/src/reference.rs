//! The reference data the rules need beyond the answers: address formats
//! and the free-mail domains. The API has all of it (vendored, `data/`);
//! the app fetches a country's format or the free-mail list when the user
//! gets there, so the wasm stays small. A rule whose data is not loaded yet
//! is skipped: the API runs it on submit anyway.

use std::collections::{BTreeMap, HashSet};

use crate::address::AddressFormat;

/// What is known about one kind of reference data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup<T> {
    Found(T),
    /// The data is complete and has no such entry.
    Absent,
    /// Not loaded (yet): the rule cannot be checked here.
    Unknown,
}

#[derive(Clone, Debug, Default)]
pub struct ReferenceData {
    address_formats: BTreeMap<String, AddressFormat>,
    /// Every country's format is here: a missing one is not a country.
    all_countries: bool,
    free_mail_domains: Option<HashSet<String>>,
}

impl ReferenceData {
    /// Nothing loaded: only the rules that need no data run.
    pub fn none() -> Self {
        Self::default()
    }

    /// Everything: every country's format and the free-mail list.
    pub fn complete(
        address_formats: BTreeMap<String, AddressFormat>,
        free_mail_domains: impl IntoIterator<Item = String>,
    ) -> Self {
        Self {
            address_formats,
            all_countries: true,
            free_mail_domains: Some(
                free_mail_domains
                    .into_iter()
                    .map(|d| d.to_ascii_lowercase())
                    .collect(),
            ),
        }
    }

    /// Adds one country's format (as fetched by the app).
    pub fn add_address_format(&mut self, country: &str, format: AddressFormat) {
        self.address_formats
            .insert(country.to_ascii_uppercase(), format);
    }

    pub fn set_free_mail_domains(&mut self, domains: impl IntoIterator<Item = String>) {
        self.free_mail_domains = Some(
            domains
                .into_iter()
                .map(|d| d.to_ascii_lowercase())
                .collect(),
        );
    }

    pub fn address_format(&self, country: &str) -> Lookup<&AddressFormat> {
        match self
            .address_formats
            .get(&country.trim().to_ascii_uppercase())
        {
            Some(format) => Lookup::Found(format),
            None if self.all_countries => Lookup::Absent,
            None => Lookup::Unknown,
        }
    }

    pub fn has_address_format(&self, country: &str) -> bool {
        matches!(self.address_format(country), Lookup::Found(_))
    }

    pub fn has_free_mail_domains(&self) -> bool {
        self.free_mail_domains.is_some()
    }

    /// Whether `domain` or a domain it belongs to (`mail.qq.com` belongs to
    /// `qq.com`) is a free-mail provider; `None` when the list is not loaded.
    pub fn is_free_mail(&self, domain: &str) -> Option<bool> {
        let list = self.free_mail_domains.as_ref()?;
        let domain = domain.to_ascii_lowercase();
        let mut rest = domain.as_str();
        loop {
            if list.contains(rest) {
                return Some(true);
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => return Some(false),
            }
        }
    }

    /// The country codes with a known format.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.address_formats.keys().map(String::as_str)
    }
}

/// Parses `data/address-formats.json` (one object keyed by country code).
pub fn parse_address_formats(
    json: &str,
) -> Result<BTreeMap<String, AddressFormat>, serde_json::Error> {
    serde_json::from_str(json)
}

#[cfg(any(test, feature = "vendored-data"))]
mod vendored {
    use super::*;

    /// libaddressinput metadata (CC BY 4.0, data/README.md).
    pub const ADDRESS_FORMATS_JSON: &str = include_str!("../../../data/address-formats.json");
    /// Free-mail domains (MIT, data/README.md).
    pub const FREE_EMAIL_DOMAINS_JSON: &str = include_str!("../../../data/free-email-domains.json");

    /// Every country's address format from the vendored data.
    pub fn vendored_address_formats() -> BTreeMap<String, AddressFormat> {
        // The file is part of the build and checked by tests: a parse
        // failure is a broken build, not a user error.
        parse_address_formats(ADDRESS_FORMATS_JSON).expect("data/address-formats.json is valid")
    }

    /// Common passwords (BSD 3-Clause, from Django; data/README.md).
    pub const COMMON_PASSWORDS_TXT: &str = include_str!("../../../data/common-passwords.txt");

    pub fn vendored_common_passwords() -> crate::account::CommonPasswords {
        crate::account::CommonPasswords::from_lines(COMMON_PASSWORDS_TXT)
    }

    pub fn vendored_free_mail_domains() -> Vec<String> {
        serde_json::from_str(FREE_EMAIL_DOMAINS_JSON)
            .expect("data/free-email-domains.json is valid")
    }

    impl ReferenceData {
        /// Everything, from the vendored files.
        pub fn vendored() -> Self {
            Self::complete(vendored_address_formats(), vendored_free_mail_domains())
        }
    }
}

#[cfg(any(test, feature = "vendored-data"))]
pub use vendored::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_mail_includes_the_big_chinese_providers_and_their_subdomains() {
        let data = ReferenceData::vendored();
        for domain in [
            "qq.com",
            "163.com",
            "126.com",
            "gmail.com",
            "QQ.COM",
            "vip.163.com",
        ] {
            assert_eq!(data.is_free_mail(domain), Some(true), "{domain}");
        }
        assert_eq!(data.is_free_mail("contoso.com"), Some(false));
        assert_eq!(ReferenceData::none().is_free_mail("qq.com"), None);
    }

    #[test]
    fn lookups_say_whether_data_is_missing_or_absent() {
        let data = ReferenceData::vendored();
        assert!(matches!(data.address_format("de"), Lookup::Found(_)));
        assert_eq!(data.address_format("XX"), Lookup::Absent);
        assert_eq!(ReferenceData::none().address_format("DE"), Lookup::Unknown);
    }
}
