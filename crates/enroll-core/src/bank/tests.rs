//! Tests of `bank`, kept apart from its code (they are as long).

use super::*;

fn bank(country: &str) -> BankDetails {
    BankDetails {
        country: country.into(),
        account_holder: "Contoso Ltd".into(),
        ..BankDetails::default()
    }
}

fn codes(details: &BankDetails) -> Vec<(String, ProblemCode)> {
    bank_problems(details)
        .into_iter()
        .map(|p| (p.field, p.code))
        .collect()
}

#[test]
fn secrets_are_masked_to_their_last_four_characters_when_long() {
    assert_eq!(mask("DE89370400440532013000"), "••••3000");
    assert_eq!(mask("DE89 3704 0044 0532 0130 00"), "••••3000");
    assert_eq!(mask("123456789"), "••••6789");
    assert_eq!(mask("12345678"), "••••", "eight or fewer: nothing shown");
    assert_eq!(mask("1234"), "••••");
    assert_eq!(mask(""), "");
    assert_eq!(mask("••••3000"), "••••3000");
    assert!(is_masked(&mask("12345678")));
}

#[test]
fn fields_the_scheme_does_not_use_are_refused_and_cleared() {
    let mut details = bank("GB");
    details.routing_code = "12-34-56".into();
    details.account_number = "12345678".into();
    details.iban = "DE89370400440532013000".into();
    assert_eq!(
        codes(&details),
        [("bank.iban".to_owned(), ProblemCode::NotApplicable)]
    );

    // A German draft moves to the UK: the IBAN and the BIC go, masked
    // or not; what the UK uses stays.
    let mut moved = bank("DE");
    moved.iban = "••••3000".into();
    moved.bic = "COBADEFFXXX".into();
    moved.country = "GB".into();
    moved.account_number = "12345678".into();
    clear_unused(&mut moved);
    assert_eq!((moved.iban.as_str(), moved.bic.as_str()), ("", ""));
    assert_eq!(moved.account_number, "12345678");

    for country in ["", "Germany", "DEU"] {
        let mut unknown = bank(country);
        unknown.iban = "DE89370400440532013000".into();
        clear_unused(&mut unknown);
        assert!(!unknown.iban.is_empty(), "nothing cleared for {country:?}");
    }
}

/// Example IBANs published in SWIFT's IBAN registry, one per country.
const REGISTRY_EXAMPLES: &[(&str, &str)] = &[
    ("DE", "DE89 3704 0044 0532 0130 00"),
    ("FR", "FR14 2004 1010 0505 0001 3M02 606"),
    ("NL", "NL91 ABNA 0417 1643 00"),
    ("ES", "ES91 2100 0418 4502 0005 1332"),
    ("IT", "IT60 X054 2811 1010 0000 0123 456"),
    ("BE", "BE68 5390 0754 7034"),
    ("CH", "CH93 0076 2011 6238 5295 7"),
    ("AT", "AT61 1904 3002 3457 3201"),
    ("NO", "NO93 8601 1117 947"),
    ("DK", "DK50 0040 0440 1162 43"),
    ("FI", "FI21 1234 5600 0007 85"),
    ("PL", "PL61 1090 1014 0000 0712 1981 2874"),
    ("IE", "IE29 AIBK 9311 5212 3456 78"),
    ("SE", "SE45 5000 0000 0583 9825 7466"),
];

#[test]
fn registry_example_ibans_are_valid_however_they_are_typed() {
    for (country, iban) in REGISTRY_EXAMPLES {
        let mut details = bank(country);
        details.bic = format!("ABCD{country}2L");
        for typed in [
            iban.to_string(),
            iban.replace(' ', ""),
            iban.to_lowercase(),
            iban.replace(' ', "-"),
        ] {
            details.iban = typed.clone();
            assert_eq!(codes(&details), [], "{country}: {typed}");
        }
    }
}

#[test]
fn iban_mistakes_get_their_own_codes() {
    let mut details = bank("DE");
    details.bic = "COBADEFFXXX".into();
    let cases = [
        // One digit changed in the registry example: the check digits catch it.
        ("DE89 3704 0044 0532 0130 01", ProblemCode::Checksum),
        ("DE89 3704 0044 0532 0130", ProblemCode::InvalidFormat),
        ("DE89 3704 0044 0532 0130 0!", ProblemCode::InvalidFormat),
        ("XX89 3704 0044 0532 0130 00", ProblemCode::InvalidFormat),
        ("NL91 ABNA 0417 1643 00", ProblemCode::CountryMismatch),
    ];
    for (typed, expected) in cases {
        details.iban = typed.into();
        assert_eq!(
            codes(&details),
            [("bank.iban".to_owned(), expected)],
            "{typed}"
        );
    }
}

#[test]
fn bic_table() {
    let mut details = bank("DE");
    details.iban = "DE89370400440532013000".into();
    let cases: [(&str, Option<ProblemCode>); 7] = [
        ("COBADEFFXXX", None),
        ("COBADEFF", None),
        ("coba de ff", None),
        ("COBADEF", Some(ProblemCode::InvalidFormat)),
        ("C0BADEFF", Some(ProblemCode::InvalidFormat)),
        ("COBADEFFXX", Some(ProblemCode::InvalidFormat)),
        ("NWBKGB2L", Some(ProblemCode::CountryMismatch)),
    ];
    for (typed, expected) in cases {
        details.bic = typed.into();
        let found: Vec<_> = bank_problems(&details)
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(found, expected.into_iter().collect::<Vec<_>>(), "{typed}");
    }
}

#[test]
fn aba_routing_numbers_need_their_check_digit() {
    // Published routing numbers of the Federal Reserve Bank of Boston
    // (011000015) and of a large US bank (021000021).
    assert!(aba_checksum_ok("011000015"));
    assert!(aba_checksum_ok("021000021"));
    assert!(!aba_checksum_ok("021000022"));
    let mut details = bank("US");
    details.account_number = "000123456789".into();
    for (typed, expected) in [
        ("021000021", vec![]),
        ("0210-0002-1", vec![]),
        ("021000022", vec![ProblemCode::Checksum]),
        ("02100002", vec![ProblemCode::InvalidFormat]),
    ] {
        details.routing_code = typed.into();
        let found: Vec<_> = bank_problems(&details)
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(found, expected, "{typed}");
    }
    details.routing_code = "021000021".into();
    details.account_type = "savings".into();
    assert!(bank_problems(&details).is_empty());
    details.account_type = "premium".into();
    assert_eq!(
        codes(&details),
        [("bank.account_type".to_owned(), ProblemCode::InvalidFormat)]
    );
}

#[test]
fn domestic_schemes_table() {
    /// (country, routing code, account number, expected problems)
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        &'static [(&'static str, ProblemCode)],
    );
    let cases: &[Case] = &[
        ("GB", "12-34-56", "12345678", &[]),
        (
            "GB",
            "123456",
            "1234567",
            &[("bank.account_number", ProblemCode::TooShort)],
        ),
        (
            "GB",
            "12345",
            "12345678",
            &[("bank.routing_code", ProblemCode::InvalidFormat)],
        ),
        ("AU", "062-000", "12345678", &[]),
        (
            "AU",
            "06200",
            "1234",
            &[
                ("bank.routing_code", ProblemCode::InvalidFormat),
                ("bank.account_number", ProblemCode::TooShort),
            ],
        ),
        ("IN", "sbin0001234", "123456789012", &[]),
        (
            "IN",
            "SBIN1001234",
            "123456789012",
            &[("bank.routing_code", ProblemCode::InvalidFormat)],
        ),
        ("CA", "12345-003", "1234567", &[]),
        ("CA", "000312345", "1234567", &[]),
        (
            "CA",
            "1234-003",
            "1234567",
            &[("bank.routing_code", ProblemCode::InvalidFormat)],
        ),
        ("CN", "102100099996", "6222021234567890123", &[]),
        (
            "CN",
            "10210009999",
            "6222021234567890123",
            &[("bank.routing_code", ProblemCode::InvalidFormat)],
        ),
        ("JP", "0001-123", "1234567", &[]),
        (
            "JP",
            "0001-123",
            "123456",
            &[("bank.account_number", ProblemCode::TooShort)],
        ),
        (
            "JP",
            "0001-12",
            "12345678",
            &[
                ("bank.routing_code", ProblemCode::InvalidFormat),
                ("bank.account_number", ProblemCode::TooLong),
            ],
        ),
    ];
    for (country, routing, account, expected) in cases {
        let mut details = bank(country);
        details.routing_code = routing.to_string();
        details.account_number = account.to_string();
        let expected: Vec<_> = expected.iter().map(|(f, c)| (f.to_string(), *c)).collect();
        assert_eq!(codes(&details), expected, "{country} {routing} {account}");
    }
}

#[test]
fn non_ascii_bank_codes_are_refused_not_a_panic() {
    // Found by `cargo xtask fuzz`: 11 bytes that are not 11 characters.
    let mut details = bank("IN");
    details.account_number = "123456789012".into();
    for typed in ["B\u{1F6FC}*M\u{1E86E}", "ÄBCD0123456", "ＳＢＩＮ0001234"] {
        details.routing_code = typed.into();
        assert_eq!(
            codes(&details),
            [("bank.routing_code".to_owned(), ProblemCode::InvalidFormat)],
            "{typed}"
        );
    }
}

#[test]
fn other_countries_take_an_account_number_and_a_bic() {
    let mut details = bank("SG");
    assert_eq!(BankScheme::for_country("SG"), BankScheme::Swift);
    assert_eq!(
        codes(&details),
        [
            ("bank.account_number".to_owned(), ProblemCode::Required),
            ("bank.bic".to_owned(), ProblemCode::Required)
        ]
    );
    details.account_number = "123-456789-0".into();
    details.bic = "DBSSSGSG".into();
    assert_eq!(codes(&details), []);
    details.account_number = "1".repeat(35);
    assert_eq!(
        codes(&details),
        [("bank.account_number".to_owned(), ProblemCode::TooLong)]
    );
}

#[test]
fn a_masked_secret_from_the_api_is_not_revalidated() {
    let mut details = bank("DE");
    details.iban = "••••3000".into();
    details.bic = "COBADEFF".into();
    assert_eq!(codes(&details), []);
}

#[test]
fn check_digits_are_computed_as_iso_13616_says() {
    for (_, iban) in REGISTRY_EXAMPLES {
        let compact = compact(iban);
        let wrong = format!("{}00{}", &compact[..2], &compact[4..]);
        assert_eq!(with_check_digits(&wrong).as_deref(), Some(compact.as_str()));
    }
}

#[test]
fn ibans_print_in_groups_of_four() {
    assert_eq!(
        iban_print_format("de89370400440532013000"),
        "DE89 3704 0044 0532 0130 00"
    );
}
