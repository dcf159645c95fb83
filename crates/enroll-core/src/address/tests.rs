//! Tests of `address`, kept apart from its code (they are as long).

use super::*;
use crate::msg;

#[test]
fn an_address_is_written_in_its_countrys_order() {
    let formats = crate::reference::vendored_address_formats();
    let written = |country: &str, address: Address| formats[country].written_lines(&address);
    let german = Address {
        country: "DE".into(),
        lines: vec!["Unter den Linden 1".into(), "".into()],
        locality: "Berlin".into(),
        postal_code: "10117".into(),
        ..Address::default()
    };
    assert_eq!(
        written("DE", german),
        ["Unter den Linden 1", "10117 Berlin"]
    );
    // Japanese script: the postal mark and code first, the prefecture,
    // then the street; no empty line for the missing organisation.
    let japanese = Address {
        country: "JP".into(),
        lines: vec!["千代田区丸の内1-1".into()],
        region: "東京都".into(),
        postal_code: "100-0005".into(),
        ..Address::default()
    };
    assert_eq!(
        written("JP", japanese),
        ["〒100-0005", "東京都", "千代田区丸の内1-1"]
    );
    // The same address in Latin letters follows the Latin order.
    // The prefecture as the form's list gives it: its key, in kanji.
    let romanised = Address {
        country: "JP".into(),
        lines: vec!["1-1 Marunouchi, Chiyoda-ku".into()],
        region: "東京都".into(),
        postal_code: "100-0005".into(),
        ..Address::default()
    };
    assert_eq!(
        written("JP", romanised),
        ["1-1 Marunouchi, Chiyoda-ku, Tokyo", "100-0005"]
    );
    // A field left empty leaves no dangling comma.
    let no_region = Address {
        country: "JP".into(),
        lines: vec!["1-1 Marunouchi".into()],
        postal_code: "100-0005".into(),
        ..Address::default()
    };
    assert_eq!(written("JP", no_region), ["1-1 Marunouchi", "100-0005"]);
    // Nor a separator doubled, or one before the first field written.
    let barbados = |region: &str, postal_code: &str| Address {
        country: "BB".into(),
        lines: vec!["1 Broad Street".into()],
        locality: "Bridgetown".into(),
        region: region.into(),
        postal_code: postal_code.into(),
        ..Address::default()
    };
    assert_eq!(
        written("BB", barbados("", "BB11000")),
        ["1 Broad Street", "Bridgetown BB11000"]
    );
    assert_eq!(
        written("BB", barbados("St. Michael", "BB11000")),
        ["1 Broad Street", "Bridgetown, St. Michael BB11000"]
    );
    assert_eq!(
        written("BB", barbados("St. Michael", "")),
        ["1 Broad Street", "Bridgetown, St. Michael"]
    );
    let brazil = Address {
        country: "BR".into(),
        lines: vec!["Av. Paulista, 1000".into()],
        region: "SP".into(),
        postal_code: "01310-100".into(),
        ..Address::default()
    };
    assert_eq!(
        written("BR", brazil),
        ["Av. Paulista, 1000", "SP", "01310-100"]
    );
    let swiss = Address {
        country: "CH".into(),
        lines: vec!["Bahnhofstrasse 1".into()],
        locality: "Zürich".into(),
        ..Address::default()
    };
    assert_eq!(written("CH", swiss), ["Bahnhofstrasse 1", "Zürich"]);
}
use crate::reference::vendored_address_formats;

fn format(code: &str) -> AddressFormat {
    vendored_address_formats()
        .remove(code)
        .unwrap_or_else(|| panic!("{code} in the data"))
}

#[test]
fn every_country_pattern_parses_and_accepts_its_own_examples() {
    let formats = vendored_address_formats();
    assert!(formats.len() > 240, "all of libaddressinput's countries");
    let mut checked = 0;
    for (code, format) in &formats {
        let Some(zip) = &format.zip else { continue };
        let pattern = Pattern::parse(zip).unwrap_or_else(|e| panic!("{code}: {e}"));
        for example in format.zipex.iter().flat_map(|ex| ex.split(',')) {
            assert!(
                pattern.is_full_match(example),
                "{code}: {example} against {zip}"
            );
            let canonical = format
                .normalize_postal_code(example)
                .unwrap_or_else(|| panic!("{code}: {example} not accepted"));
            assert!(pattern.is_full_match(&canonical), "{code}: {canonical}");
            assert_eq!(
                format.normalize_postal_code(&canonical).as_ref(),
                Some(&canonical)
            );
            // Typed in lower case with the separators left out, the
            // letters and digits give the same code.
            let sloppy: String = example.chars().filter(|c| !is_separator(*c)).collect();
            assert_eq!(
                format
                    .normalize_postal_code(&sloppy.to_lowercase())
                    .as_ref(),
                Some(&canonical),
                "{code}: {sloppy}"
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} examples checked");
}

#[test]
fn postal_codes_are_normalized_to_the_canonical_form() {
    // Examples from libaddressinput's own zipex data.
    let cases = [
        ("JP", "1500001", Some("150-0001")),
        ("JP", "154-0023", Some("154-0023")),
        ("GB", "ec1a1bb", Some("EC1A 1BB")),
        ("GB", " EC1A   1BB ", Some("EC1A 1BB")),
        ("GB", "EC1A-1BB", Some("EC1A 1BB")),
        ("CA", "h3z2y7", Some("H3Z 2Y7")),
        ("NL", "1234ab", Some("1234 AB")),
        ("US", "95014", Some("95014")),
        ("US", "221621010", Some("22162-1010")),
        ("DE", "10117", Some("10117")),
        ("PL", "00950", Some("00-950")),
        ("BR", "40301110", Some("40301-110")),
        ("DE", "1011", None),
        ("DE", "ABCDE", None),
        ("GB", "EC1A 1B", None),
        ("CA", "D3Z 2Y7", None),
        ("JP", "150-00011", None),
        ("US", "9501", None),
    ];
    for (country, typed, expected) in cases {
        assert_eq!(
            format(country).normalize_postal_code(typed).as_deref(),
            expected,
            "{country} {typed:?}"
        );
    }
}

#[test]
fn required_fields_and_their_names_follow_the_country() {
    let us = format("US");
    let required: Vec<_> = us
        .fields()
        .iter()
        .filter(|f| f.required)
        .map(|f| f.field)
        .collect();
    assert_eq!(
        required,
        [
            AddressField::StreetLines,
            AddressField::Locality,
            AddressField::Region,
            AddressField::PostalCode
        ]
    );
    assert_eq!(
        us.label_key(AddressField::PostalCode),
        msg::ADDRESS_LABEL_ZIP
    );
    assert_eq!(us.label_key(AddressField::Region), msg::ADDRESS_LABEL_STATE);

    let de = format("DE");
    assert!(!de.uses(AddressField::Region));
    assert!(de.requires(AddressField::PostalCode));
    assert_eq!(
        de.label_key(AddressField::PostalCode),
        msg::ADDRESS_LABEL_POSTAL
    );

    let jp = format("JP");
    assert_eq!(
        jp.label_key(AddressField::Region),
        msg::ADDRESS_LABEL_PREFECTURE
    );
    assert_eq!(
        jp.fields()[0].field,
        AddressField::StreetLines,
        "street first on forms"
    );

    let in_ = format("IN");
    assert_eq!(
        in_.label_key(AddressField::PostalCode),
        msg::ADDRESS_LABEL_PIN
    );
    let ie = format("IE");
    assert_eq!(
        ie.label_key(AddressField::PostalCode),
        msg::ADDRESS_LABEL_EIRCODE
    );
    assert!(!ie.requires(AddressField::PostalCode));
}

#[test]
fn regions_are_found_by_key_name_or_latin_name() {
    let us = format("US");
    assert_eq!(us.find_region("CA").map(|r| r.key.as_str()), Some("CA"));
    assert_eq!(
        us.find_region("california").map(|r| r.key.as_str()),
        Some("CA")
    );
    assert!(us.find_region("Bavaria").is_none());
    let jp = format("JP");
    assert_eq!(
        jp.find_region("Hokkaido").map(|r| r.key.as_str()),
        Some("北海道")
    );
    assert_eq!(
        jp.find_region("北海道").map(|r| r.key.as_str()),
        Some("北海道")
    );
    let cn = format("CN");
    assert_eq!(
        cn.find_region("Beijing Shi").map(|r| r.key.as_str()),
        Some("北京市")
    );
}

fn address(country: &str, line: &str, locality: &str, region: &str, postal: &str) -> Address {
    Address {
        country: country.into(),
        lines: vec![line.into()],
        locality: locality.into(),
        region: region.into(),
        postal_code: postal.into(),
        ..Address::default()
    }
}

fn codes(problems: &[Problem]) -> Vec<(&str, ProblemCode)> {
    problems
        .iter()
        .map(|p| (p.field.as_str(), p.code))
        .collect()
}

#[test]
fn address_table() {
    let ok: [(&str, Address); 5] = [
        (
            "DE",
            address("DE", "Unter den Linden 1", "Berlin", "", "10117"),
        ),
        ("US", address("US", "1 Main St", "Cupertino", "CA", "95014")),
        (
            "JP",
            address("JP", "1-2-3 Shibuya", "Shibuya-ku", "Tokyo", "1500001"),
        ),
        ("GB", address("GB", "1 Long Lane", "London", "", "ec1a1bb")),
        ("IE", address("IE", "1 Main St", "Dublin", "Co. Dublin", "")),
    ];
    for (country, address) in ok {
        let problems = address_problems(&address, Some(&format(country)));
        assert!(problems.is_empty(), "{country}: {problems:?}");
    }

    let us = format("US");
    let missing = address_problems(&address("US", "", "", "", ""), Some(&us));
    assert_eq!(
        codes(&missing),
        [
            ("address.lines.0", ProblemCode::Required),
            ("address.locality", ProblemCode::Required),
            ("address.region", ProblemCode::Required),
            ("address.postal_code", ProblemCode::Required),
        ]
    );
    let wrong = address_problems(
        &address("US", "1 Main St", "X", "Bavaria", "9501"),
        Some(&us),
    );
    assert_eq!(
        codes(&wrong),
        [
            ("address.region", ProblemCode::UnknownRegion),
            ("address.postal_code", ProblemCode::PostalCodeFormat),
        ]
    );
    assert_eq!(wrong[1].params["example"], "95014");
    assert_eq!(
        wrong[1].params["label_key"],
        msg::ADDRESS_LABEL_ZIP.as_str()
    );

    let long = address_problems(
        &address("DE", &"x".repeat(201), "Berlin", "", "10117"),
        Some(&format("DE")),
    );
    assert_eq!(codes(&long), [("address.lines.0", ProblemCode::TooLong)]);
}

#[test]
fn without_the_format_only_universal_checks_run() {
    let problems = address_problems(&address("US", "1 Main St", "X", "anything", "abc"), None);
    assert!(problems.is_empty(), "{problems:?}");
    let problems = address_problems(&address("US", "", "", "", ""), None);
    assert_eq!(
        problems.len(),
        2,
        "street and locality are required everywhere"
    );
}

/// Every name a country's format gives a field has its own words: the
/// label is `address.label.<that name>`, not the common one in its place.
#[test]
fn each_name_the_formats_give_a_field_has_its_own_label() {
    for (country, format) in crate::reference::vendored_address_formats() {
        for (field, name) in [
            (
                AddressField::DependentLocality,
                &format.sublocality_name_type,
            ),
            (AddressField::Locality, &format.locality_name_type),
            (AddressField::Region, &format.state_name_type),
            (AddressField::PostalCode, &format.zip_name_type),
        ] {
            if name.is_empty() {
                continue;
            }
            assert_eq!(
                format.label_key(field).as_str(),
                format!("address.label.{name}"),
                "{country}: {field:?}"
            );
        }
    }
}
