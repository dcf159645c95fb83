//! Generators of applications shared by the property tests and the golden
//! test of validation.
#![allow(dead_code)] // each test file uses its own part of this

pub mod golden;

use enroll_core::address::AddressFormat;
use enroll_core::reference::vendored_address_formats;
use enroll_core::*;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub fn reference() -> &'static ReferenceData {
    static DATA: OnceLock<ReferenceData> = OnceLock::new();
    DATA.get_or_init(ReferenceData::vendored)
}

pub fn formats() -> &'static BTreeMap<String, AddressFormat> {
    static DATA: OnceLock<BTreeMap<String, AddressFormat>> = OnceLock::new();
    DATA.get_or_init(vendored_address_formats)
}

/// Strings that reach the rules' edges: any Unicode, or the characters the
/// formats are made of, with separators, case and lengths around the limits.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9A-Za-z \\-.@+]{0,40}",
        "[0-9]{0,20}",
        "[a-z0-9]{1,30}(\\.onmicrosoft\\.com)?",
        "[a-z.]{1,10}@[a-z0-9.-]{1,20}",
        "[A-Z]{2}[0-9]{2}[0-9A-Z ]{0,34}",
        "\\PC{0,300}",
    ]
}

pub fn country() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(formats().keys().cloned().collect::<Vec<_>>()),
        "[A-Za-z]{0,3}",
    ]
}

prop_compose! {
    pub fn answers()(
        model in prop::option::of(prop::sample::select(vec![PartnerModel::IndirectReseller, PartnerModel::DirectPartner])),
        mpn_id in text(),
        company in (text(), text(), text()),
        address_country in country(),
        lines in prop::collection::vec(text(), 0..6),
        address in (text(), text(), text(), text(), text()),
        bank_country in country(),
        bank in (text(), text(), text(), text(), text(), text()),
        admin in (text(), text(), text(), text()),
        tenant in (text(), text()),
        attestations in (any::<bool>(), any::<bool>()),
    ) -> Answers {
        Answers {
            model,
            mpn_id,
            company: Company { legal_name: company.0, website: company.1, tax_id: company.2 },
            address: Address {
                country: address_country, lines, locality: address.0, region: address.1,
                postal_code: address.2, dependent_locality: address.3, sorting_code: address.4,
            },
            bank: BankDetails {
                country: bank_country, account_holder: bank.0, iban: bank.1, bic: bank.2,
                routing_code: bank.3, account_number: bank.4, account_type: bank.5,
            },
            admin: Admin { first_name: admin.0, last_name: admin.1, email: admin.2, phone: admin.3 },
            tenant: Tenant { csp_domain: tenant.0, corporate_domain: tenant.1 },
            attestations: Attestations { no_resale_to_csp_partners: attestations.0, terms_accepted: attestations.1 },
        }
    }
}
