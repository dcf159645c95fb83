//! The answers of an application by name: what the rules, the problems,
//! the form fields and the error summary refer to, so that a misspelled
//! field does not compile. On the wire a field is its contract path
//! (`bank.iban`, `address.lines.0`), whose head names its section
//! (`Section::of_field`).

use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Model,
    MpnId,
    LegalName,
    Website,
    TaxId,
    AddressCountry,
    /// The street lines as a list (too many of them).
    StreetLines,
    /// One street line, from 0.
    StreetLine(usize),
    Locality,
    Region,
    PostalCode,
    DependentLocality,
    SortingCode,
    BankCountry,
    AccountHolder,
    Iban,
    Bic,
    RoutingCode,
    AccountNumber,
    AccountType,
    FirstName,
    LastName,
    Email,
    Phone,
    CspDomain,
    CorporateDomain,
    NoResale,
    TermsAccepted,
}

/// Every field but the street lines, with its contract path.
const PATHS: [(Field, &str); 27] = [
    (Field::Model, "model"),
    (Field::MpnId, "mpn_id"),
    (Field::LegalName, "company.legal_name"),
    (Field::Website, "company.website"),
    (Field::TaxId, "company.tax_id"),
    (Field::AddressCountry, "address.country"),
    (Field::StreetLines, "address.lines"),
    (Field::Locality, "address.locality"),
    (Field::Region, "address.region"),
    (Field::PostalCode, "address.postal_code"),
    (Field::DependentLocality, "address.dependent_locality"),
    (Field::SortingCode, "address.sorting_code"),
    (Field::BankCountry, "bank.country"),
    (Field::AccountHolder, "bank.account_holder"),
    (Field::Iban, "bank.iban"),
    (Field::Bic, "bank.bic"),
    (Field::RoutingCode, "bank.routing_code"),
    (Field::AccountNumber, "bank.account_number"),
    (Field::AccountType, "bank.account_type"),
    (Field::FirstName, "admin.first_name"),
    (Field::LastName, "admin.last_name"),
    (Field::Email, "admin.email"),
    (Field::Phone, "admin.phone"),
    (Field::CspDomain, "tenant.csp_domain"),
    (Field::CorporateDomain, "tenant.corporate_domain"),
    (Field::NoResale, "attestations.no_resale_to_csp_partners"),
    (Field::TermsAccepted, "attestations.terms_accepted"),
];

/// The street lines an address normally has, named without allocating.
const LINE_PATHS: [&str; 4] = [
    "address.lines.0",
    "address.lines.1",
    "address.lines.2",
    "address.lines.3",
];

impl Field {
    /// The contract path: `bank.iban`, `address.lines.0`.
    pub fn path(self) -> Cow<'static, str> {
        match self {
            Field::StreetLine(i) => match LINE_PATHS.get(i) {
                Some(path) => Cow::Borrowed(path),
                None => Cow::Owned(format!("address.lines.{i}")),
            },
            field => Cow::Borrowed(
                PATHS
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map_or("", |(_, path)| path),
            ),
        }
    }

    /// The field at a contract path; `None` for a path the contract lacks.
    pub fn parse(path: &str) -> Option<Field> {
        if let Some(index) = path.strip_prefix("address.lines.") {
            // Digits only: "+1" or " 1" would name the same line twice.
            return index
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| index.parse().ok().map(Field::StreetLine))
                .flatten();
        }
        PATHS
            .iter()
            .find(|(_, p)| *p == path)
            .map(|(field, _)| *field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Section;

    #[test]
    fn every_field_parses_back_from_its_path() {
        for (field, path) in PATHS {
            assert_eq!(field.path(), path);
            assert_eq!(Field::parse(path), Some(field));
            // Every field belongs to a section, the head of its path.
            assert!(Section::of_field(path).is_some(), "{path}");
        }
        for i in [0, 3, 4, 12] {
            let path = Field::StreetLine(i).path();
            assert_eq!(Field::parse(&path), Some(Field::StreetLine(i)));
        }
        for unknown in [
            "",
            "bank",
            "bank.ibans",
            "address.lines.x",
            "address.lines.+1",
        ] {
            assert_eq!(Field::parse(unknown), None, "{unknown}");
        }
    }
}
