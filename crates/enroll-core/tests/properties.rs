//! Property tests of the rules. `cargo xtask fuzz` runs them with many more
//! cases (PROPTEST_CASES); `cargo xtask test` with proptest's default 256.

mod support;

use enroll_core::bank::{compact, iban_print_format, with_check_digits, BankScheme};
use enroll_core::company::normalize_mpn_id;
use enroll_core::tenant::normalize_tenant_domain;
use enroll_core::*;
use proptest::prelude::*;
use support::{answers, formats, reference, text};

/// BBAN structures of a few registry countries, as (country, generator).
fn valid_iban() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{18}".prop_map(|b| ("DE", b)),
        "[A-Z]{4}[0-9]{10}".prop_map(|b| ("NL", b)),
        "[0-9]{12}".prop_map(|b| ("BE", b)),
        "[0-9]{16}".prop_map(|b| ("AT", b)),
        "[0-9]{4}[0-9]{4}[0-9]{12}".prop_map(|b| ("ES", b)),
    ]
    .prop_map(|(country, bban)| {
        with_check_digits(&format!("{country}00{bban}")).expect("ASCII IBAN")
    })
}

proptest! {
    #[test]
    fn validation_never_panics_and_valid_means_no_errors(answers in answers()) {
        for reference in [reference(), &ReferenceData::none()] {
            let report = validate(&answers, reference);
            prop_assert_eq!(report.valid, report.errors.is_empty());
            for section in Section::ALL {
                let part = validate_section(section, &answers, reference);
                for problem in &part.errors {
                    prop_assert_eq!(Section::of_field(&problem.field), Some(section));
                }
            }
            // Every problem can be worded, in every locale.
            for locale in Locale::ALL {
                for problem in report.errors.iter().chain(&report.warnings) {
                    let message = Catalog::get(locale).problem_message(problem);
                    prop_assert!(!message.is_empty());
                }
            }
        }
    }

    #[test]
    fn postal_code_normalizing_is_idempotent_and_yields_valid_codes(
        country in prop::sample::select(formats().keys().cloned().collect::<Vec<_>>()),
        typed in "[0-9A-Za-z \\-]{0,12}",
    ) {
        let format = &formats()[&country];
        if let Some(once) = format.normalize_postal_code(&typed) {
            if let Some(zip) = &format.zip {
                let pattern = enroll_core::pattern::Pattern::parse(zip).expect("vendored patterns parse");
                prop_assert!(pattern.is_full_match(&once), "{} {:?} gave {:?}", country, typed, once);
            }
            let again = format.normalize_postal_code(&once);
            prop_assert_eq!(again.as_ref(), Some(&once));
            let from_lower = format.normalize_postal_code(&once.to_lowercase());
            prop_assert_eq!(from_lower.as_ref(), Some(&once));
        }
    }

    /// The other side of the property above: a normalizer that refused
    /// every input would pass it. Every country's example codes, typed in
    /// lower case, with the separators left out or padded with spaces, are
    /// taken, and as codes the country's pattern matches.
    #[test]
    fn postal_code_normalizing_accepts_every_example_however_typed(
        (country, example) in prop::sample::select(postal_code_examples()),
        lower in any::<bool>(),
        joined in any::<bool>(),
        pad in " {0,2}",
    ) {
        let format = &formats()[&country];
        let mut typed = if lower { example.to_lowercase() } else { example.clone() };
        if joined {
            typed.retain(|c| c.is_ascii_alphanumeric());
        }
        let typed = format!("{pad}{typed}{pad}");
        let normalized = format.normalize_postal_code(&typed);
        prop_assert!(normalized.is_some(), "{} refused {:?} (example {:?})", country, typed, example);
        if let (Some(zip), Some(normalized)) = (&format.zip, &normalized) {
            let pattern = enroll_core::pattern::Pattern::parse(zip).expect("vendored patterns parse");
            prop_assert!(pattern.is_full_match(normalized), "{} {:?} gave {:?}", country, typed, normalized);
        }
    }

    #[test]
    fn other_normalizers_are_idempotent(typed in text()) {
        let mpn = normalize_mpn_id(&typed);
        prop_assert_eq!(normalize_mpn_id(&mpn), mpn.clone());
        let tenant = normalize_tenant_domain(&typed);
        prop_assert_eq!(normalize_tenant_domain(&tenant), tenant.clone());
        let compacted = compact(&typed);
        prop_assert_eq!(compact(&compacted), compacted.clone());
        let printed = iban_print_format(&typed);
        prop_assert_eq!(iban_print_format(&printed), printed.clone());
    }

    #[test]
    fn an_iban_in_groups_of_four_parses_back_to_the_same_iban(iban in valid_iban()) {
        let printed = iban_print_format(&iban);
        prop_assert_eq!(compact(&printed), iban.clone());
        let country = &iban[..2];
        for typed in [iban.clone(), printed.clone(), printed.to_lowercase()] {
            let bank = BankDetails {
                country: country.into(), account_holder: "Contoso".into(), iban: typed,
                bic: format!("ABCD{country}2L"), ..BankDetails::default()
            };
            prop_assert_eq!(BankScheme::for_country(country), BankScheme::Iban);
            let problems = enroll_core::bank::bank_problems(&bank);
            prop_assert!(problems.is_empty(), "{:?}", problems);
        }
    }

    #[test]
    fn any_single_mistyped_digit_in_an_iban_is_caught(iban in valid_iban(), at in any::<usize>(), shift in 1u32..10) {
        let mut chars: Vec<char> = iban.chars().collect();
        // A digit of the check digits or the BBAN, changed to another digit.
        let digits: Vec<usize> = (2..chars.len()).filter(|i| chars[*i].is_ascii_digit()).collect();
        let at = digits[at % digits.len()];
        let old = chars[at].to_digit(10).expect("a digit");
        chars[at] = char::from_digit((old + shift) % 10, 10).expect("a digit");
        let bank = BankDetails {
            country: iban[..2].into(), account_holder: "Contoso".into(),
            iban: chars.into_iter().collect(), bic: format!("ABCD{}2L", &iban[..2]),
            ..BankDetails::default()
        };
        let codes: Vec<ProblemCode> = enroll_core::bank::bank_problems(&bank).iter().map(|p| p.code).collect();
        prop_assert_eq!(codes, vec![ProblemCode::Checksum]);
    }
}

/// Every (country, example postal code) the vendored formats give.
fn postal_code_examples() -> Vec<(String, String)> {
    let mut examples = Vec::new();
    for (country, format) in formats() {
        for example in format.zipex.iter().flat_map(|ex| ex.split(',')) {
            examples.push((country.clone(), example.trim().to_owned()));
        }
    }
    assert!(examples.len() > 200, "only {} examples", examples.len());
    examples
}
