//! The vendored reference data: loaded once, used by the validator, and
//! served to the app per country so its wasm does not carry it.

use enroll_core::account::CommonPasswords;
use enroll_core::address::AddressFormat;
use enroll_core::reference::{
    vendored_address_formats, vendored_common_passwords, vendored_free_mail_domains,
    FREE_EMAIL_DOMAINS_JSON,
};
use enroll_core::ReferenceData;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Reference data plus the JSON the app fetches, serialized once.
#[derive(Clone)]
pub struct Reference {
    pub data: Arc<ReferenceData>,
    /// Refused as new passwords.
    pub common_passwords: Arc<CommonPasswords>,
    formats_json: Arc<BTreeMap<String, String>>,
}

impl Reference {
    pub fn vendored() -> Self {
        let formats = vendored_address_formats();
        let formats_json = formats
            .iter()
            .map(|(code, format): (&String, &AddressFormat)| {
                let json = serde_json::to_string(format).unwrap_or_else(|_| "{}".into());
                (code.clone(), json)
            })
            .collect();
        Self {
            data: Arc::new(ReferenceData::complete(
                formats,
                vendored_free_mail_domains(),
            )),
            common_passwords: Arc::new(vendored_common_passwords()),
            formats_json: Arc::new(formats_json),
        }
    }

    /// One country's address format as JSON.
    pub fn address_format_json(&self, country: &str) -> Option<&str> {
        self.formats_json
            .get(&country.to_ascii_uppercase())
            .map(String::as_str)
    }

    pub fn free_email_domains_json(&self) -> &'static str {
        FREE_EMAIL_DOMAINS_JSON
    }
}
