//! The program settings an operator controls (GET /program).

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProgramSettings {
    pub program_name: String,
    /// Direct enrollment was closed on the vendor's page, with a reopening
    /// expected: it is a setting so that reopening needs no code change.
    pub direct_enrollment_open: bool,
    /// Optional words on when direct enrollment reopens.
    #[serde(default)]
    pub direct_enrollment_note: Option<String>,
    /// ISO 3166-1 alpha-2 codes of the countries that can enroll.
    #[serde(default)]
    pub supported_countries: Vec<String>,
    pub links: ProgramLinks,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProgramLinks {
    /// Where a company without an MPN ID creates one.
    pub join_mpn: String,
}
