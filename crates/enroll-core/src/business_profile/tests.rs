use super::*;
use crate::{Catalog, Locale};

fn berlin() -> Address {
    Answers::example().address
}

/// A profile with everything publishing needs.
fn complete() -> BusinessProfile {
    BusinessProfile {
        description: "Cloud migrations for hospitals.\nSince 2009.".into(),
        website: "https://contoso.com".into(),
        linkedin: String::new(),
        industries: vec!["healthcare".into()],
        products: vec!["azure".into(), "microsoft_365".into()],
        services: vec!["migration".into()],
        customer_sizes: vec!["50_99".into(), "100_249".into()],
        only_listed_sizes: false,
        languages: vec!["de".into(), "en".into()],
        locations: vec![berlin()],
        referral_contact: Some("u1".into()),
        published: true,
        logo_url: None,
        contacts: Vec::new(),
    }
}

fn problems(profile: &BusinessProfile) -> Vec<(String, &'static str)> {
    let report = profile
        .trimmed()
        .validate(&ReferenceData::vendored(), &["u1".to_owned()]);
    report
        .errors
        .iter()
        .map(|p| (p.field.clone(), p.code.as_str()))
        .collect()
}

#[test]
fn a_complete_profile_publishes_and_an_empty_one_saves_unpublished() {
    assert_eq!(problems(&complete()), []);
    assert_eq!(problems(&BusinessProfile::default()), []);
    assert_eq!(BusinessProfile::default().missing().len(), 8);
    assert_eq!(complete().missing(), Vec::<&str>::new());
}

#[test]
fn publishing_an_incomplete_profile_names_each_thing_missing() {
    let mut profile = BusinessProfile {
        published: true,
        linkedin: String::new(),
        ..BusinessProfile::default()
    };
    profile.products = vec!["azure".into()];
    let found = problems(&profile);
    let expected = [
        "description",
        "industries",
        "services",
        "customer_sizes",
        "languages",
        "locations",
        "referral_contact",
    ];
    assert_eq!(
        found,
        expected.map(|f| (f.to_owned(), "required")).to_vec(),
        "the products are there; the logo and LinkedIn are optional"
    );
    // Each in words of its own, in both languages.
    for locale in Locale::ALL {
        let catalog = Catalog::get(locale);
        let mut report = profile
            .trimmed()
            .validate(&ReferenceData::vendored(), &["u1".to_owned()]);
        report.localize(catalog);
        let messages: Vec<String> = report
            .errors
            .into_iter()
            .filter_map(|p| p.message)
            .collect();
        let mut distinct = messages.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), expected.len(), "{messages:?}");
        assert!(
            messages.iter().all(|m| !m.starts_with("problem.")),
            "{messages:?}"
        );
    }
}

#[test]
fn each_answer_is_checked_by_its_rule() {
    type Change = fn(&mut BusinessProfile);
    let cases: Vec<(Change, (&str, &str))> = vec![
        (
            |p| p.description = "x".repeat(limits::DESCRIPTION_MAX_CHARS + 1),
            ("description", "too_long"),
        ),
        (
            |p| p.description = "a\u{202e}b".into(),
            ("description", "control_character"),
        ),
        (
            |p| p.website = "http://contoso.com".into(),
            ("website", "invalid_format"),
        ),
        (
            |p| p.website = "https://contoso".into(),
            ("website", "invalid_format"),
        ),
        (
            |p| p.website = "javascript:alert(1)".into(),
            ("website", "invalid_format"),
        ),
        (
            |p| p.linkedin = "https://www.linkedin.com/in/jane-doe".into(),
            ("linkedin", "invalid_format"),
        ),
        (
            |p| p.linkedin = "https://linkedin.com.evil.example/company/contoso".into(),
            ("linkedin", "invalid_format"),
        ),
        (
            |p| p.industries.push("mining".into()),
            ("industries", "invalid_format"),
        ),
        (
            |p| p.products = vec!["aws".into()],
            ("products", "invalid_format"),
        ),
        (
            |p| p.services.push("".into()),
            ("services", "invalid_format"),
        ),
        (
            |p| p.customer_sizes = vec!["10-49".into()],
            ("customer_sizes", "invalid_format"),
        ),
        (
            |p| p.languages = vec!["EN".into()],
            ("languages", "invalid_format"),
        ),
        (
            |p| p.referral_contact = Some("u2".into()),
            ("referral_contact", "required"),
        ),
        (
            |p| p.locations[0].postal_code = "1011".into(),
            ("locations.0.postal_code", "postal_code_format"),
        ),
        (
            |p| {
                p.locations.push(Address {
                    country: "DE".into(),
                    ..Address::default()
                })
            },
            ("locations.1.locality", "required"),
        ),
    ];
    for (change, expected) in cases {
        let mut profile = complete();
        change(&mut profile);
        let found = problems(&profile);
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1)),
            "{expected:?} not in {found:?}"
        );
    }
    for ok in [
        "https://www.linkedin.com/company/contoso",
        "https://linkedin.com/company/contoso-ltd/",
        "https://de.linkedin.com/company/contoso_gmbh",
        "HTTPS://WWW.LINKEDIN.COM/company/m%C3%BCller",
    ] {
        assert!(is_linkedin_company_page(ok), "{ok}");
    }
}

#[test]
fn at_most_five_locations_in_one_country_and_any_number_of_countries() {
    let mut profile = complete();
    profile.locations = vec![berlin(); limits::LOCATIONS_PER_COUNTRY];
    assert_eq!(problems(&profile), []);
    let mut paris = Address {
        country: "FR".into(),
        lines: vec!["1 rue de Rivoli".into()],
        locality: "Paris".into(),
        postal_code: "75001".into(),
        ..Address::default()
    };
    profile.locations.push(paris.clone());
    assert_eq!(problems(&profile), []);
    profile.locations.push(berlin());
    let found = problems(&profile);
    assert_eq!(found, [("locations".to_owned(), "too_long")]);
    let report = profile
        .trimmed()
        .validate(&ReferenceData::vendored(), &["u1".to_owned()]);
    assert_eq!(report.errors[0].params["country"], "DE");
    // Lower-case countries are the same country once trimmed.
    paris.country = " fr ".into();
    profile.locations.pop();
    profile.locations.push(paris);
    assert_eq!(problems(&profile), []);
}

#[test]
fn trimming_orders_codes_as_the_lists_do_once_each() {
    let mut profile = complete();
    profile.customer_sizes = vec![" 100_249".into(), "1_9".into(), "100_249".into()];
    profile.locations.push(Address::default());
    profile.referral_contact = Some("  ".into());
    let trimmed = profile.trimmed();
    assert_eq!(trimmed.customer_sizes, ["1_9", "100_249"]);
    assert_eq!(trimmed.referral_contact, None);
    // An empty location is reported where it is, not dropped (the page's
    // second location is the problems' `locations.1`).
    assert_eq!(trimmed.locations.len(), 2);
    assert!(problems(&profile).contains(&("locations.1.country".to_owned(), "required")));
}
