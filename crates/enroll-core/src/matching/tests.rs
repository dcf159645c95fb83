use super::*;
use crate::{Address, Catalog, Locale};

fn location(country: &str, city: &str) -> Address {
    Address {
        country: country.into(),
        locality: city.into(),
        ..Address::default()
    }
}

/// A published profile: products, industries, sizes, languages and its
/// locations as (country, city).
fn profile(
    products: &[&str],
    industries: &[&str],
    sizes: &[&str],
    languages: &[&str],
    places: &[(&str, &str)],
) -> BusinessProfile {
    let codes = |list: &[&str]| list.iter().map(|c| c.to_string()).collect();
    BusinessProfile {
        products: codes(products),
        industries: codes(industries),
        customer_sizes: codes(sizes),
        languages: codes(languages),
        locations: places.iter().map(|(c, l)| location(c, l)).collect(),
        published: true,
        ..BusinessProfile::default()
    }
}

fn needs(products: &[&str], industry: &str, size: &str, country: &str, city: &str) -> Needs {
    Needs {
        products: products.iter().map(|c| c.to_string()).collect(),
        industry: industry.into(),
        company_size: size.into(),
        country: country.into(),
        city: city.into(),
        description: String::new(),
    }
}

/// The table: six partners in Germany and France, one request each row,
/// the ranking and the first one's reasons.
#[test]
fn partners_are_ranked_by_products_industry_size_city_then_language() {
    let profiles = [
        // a: Azure for hospitals in Berlin, German and English.
        (
            "a",
            profile(
                &["azure"],
                &["healthcare"],
                &["50_99"],
                &["de", "en"],
                &[("DE", "Berlin")],
            ),
        ),
        // b: Azure and Microsoft 365 for everyone, in Munich.
        (
            "b",
            profile(
                &["azure", "microsoft_365"],
                &["retail"],
                &["50_99", "100_249"],
                &["de"],
                &[("DE", "München")],
            ),
        ),
        // c: Microsoft 365 only, in Berlin.
        (
            "c",
            profile(
                &["microsoft_365"],
                &["healthcare"],
                &["50_99"],
                &["de"],
                &[("DE", "Berlin")],
            ),
        ),
        // d: Azure, only for companies of 1,000 or more, in Berlin.
        (
            "d",
            profile(
                &["azure"],
                &["healthcare"],
                &["1000_2499"],
                &["de"],
                &[("DE", "Berlin")],
            ),
        ),
        // e: Azure for hospitals, in Paris only.
        (
            "e",
            profile(
                &["azure"],
                &["healthcare"],
                &["50_99"],
                &["fr"],
                &[("FR", "Paris")],
            ),
        ),
        // f: as a, but Chinese-speaking, in Hamburg.
        (
            "f",
            profile(
                &["azure"],
                &["healthcare"],
                &["50_99"],
                &["de", "zh"],
                &[("DE", "Hamburg")],
            ),
        ),
    ];
    let mut profiles = profiles.to_vec();
    profiles[3].1.only_listed_sizes = true;
    let candidates: Vec<Candidate> = profiles
        .iter()
        .enumerate()
        .map(|(n, (id, p))| Candidate {
            account_id: id,
            profile: p,
            open_referrals: 0,
            since: n as u64,
        })
        .collect();
    let ids = |matches: Vec<Match>| -> Vec<String> {
        matches.into_iter().map(|m| m.account_id).collect()
    };
    let cases: [(Needs, Locale, &[&str]); 5] = [
        // Two products: b has both; then the industry, then the city.
        (
            needs(
                &["azure", "microsoft_365"],
                "healthcare",
                "50_99",
                "DE",
                "Berlin",
            ),
            Locale::EnUs,
            &["b", "a", "c"],
        ),
        // One product: c (no Azure) and d (refuses the size), e (France) out;
        // a in Berlin before f in Hamburg, b (not healthcare) last.
        (
            needs(&["azure"], "healthcare", "50_99", "DE", "Berlin"),
            Locale::EnUs,
            &["a", "f", "b"],
        ),
        // Same but in Chinese, in Hamburg: f's city and language.
        (
            needs(&["azure"], "healthcare", "50_99", "DE", "hamburg"),
            Locale::ZhCn,
            &["f", "a", "b"],
        ),
        // München written in capitals without its umlaut is München.
        (
            needs(&["azure"], "retail", "100_249", "DE", "MUNCHEN"),
            Locale::EnUs,
            &["b", "a", "f"],
        ),
        // Nobody in Spain.
        (
            needs(&["azure"], "healthcare", "50_99", "ES", "Madrid"),
            Locale::EnUs,
            &[],
        ),
    ];
    for (request, locale, expected) in cases {
        let found = ids(rank(&request, locale, &candidates));
        assert_eq!(found, expected, "{request:?} {locale:?}");
    }
    let best = &rank(&cases_first(), Locale::EnUs, &candidates)[0];
    let en = Catalog::get(Locale::EnUs);
    assert_eq!(
        reasons_line(&best.reasons, en),
        "Azure · Healthcare · 50 to 99 employees · Berlin · English"
    );
    let zh = Catalog::get(Locale::ZhCn);
    assert_eq!(
        reasons_line(&best.reasons, zh),
        "Azure · 医疗保健 · 50 至 99 名员工 · Berlin · 英语"
    );
}

fn cases_first() -> Needs {
    needs(&["azure"], "healthcare", "50_99", "DE", "Berlin")
}

#[test]
fn ties_go_to_fewer_open_referrals_then_the_older_profile_whatever_the_order() {
    let same = profile(
        &["azure"],
        &["healthcare"],
        &["50_99"],
        &["de"],
        &[("DE", "Berlin")],
    );
    let request = cases_first();
    let candidate = |id: &'static str, open: u32, since: u64| Candidate {
        account_id: id,
        profile: &same,
        open_referrals: open,
        since,
    };
    let mut all = vec![
        candidate("busy-old", 4, 1),
        candidate("idle-new", 0, 9),
        candidate("idle-old", 0, 2),
        candidate("busier", 5, 0),
    ];
    let expected = ["idle-old", "idle-new", "busy-old"];
    for _ in 0..all.len() {
        all.rotate_left(1);
        let found: Vec<String> = rank(&request, Locale::EnUs, &all)
            .into_iter()
            .map(|m| m.account_id)
            .collect();
        assert_eq!(found, expected, "at most three, in the same order");
    }
    // A partner handed over twice takes one place.
    let twice = [
        candidate("idle-old", 0, 2),
        candidate("idle-old", 0, 2),
        candidate("idle-new", 0, 9),
    ];
    let found: Vec<String> = rank(&request, Locale::EnUs, &twice)
        .into_iter()
        .map(|m| m.account_id)
        .collect();
    assert_eq!(found, ["idle-old", "idle-new"]);
    // An unpublished profile receives nothing.
    let mut draft = same.clone();
    draft.published = false;
    let only = [Candidate {
        account_id: "draft",
        profile: &draft,
        open_referrals: 0,
        since: 0,
    }];
    assert!(rank(&request, Locale::EnUs, &only).is_empty());
}

#[test]
fn places_compare_without_case_width_or_diacritics() {
    for (a, b) in [
        ("München", "MUNCHEN"),
        ("Ｂｅｒｌｉｎ", "berlin"),
        ("  São  Paulo ", "sao paulo"),
        ("Straßburg", "Strassburg"),
        ("Zürich", "zurich"),
        ("Łódź", "Lodz"),
        ("Wrocław", "Wroclaw"),
        ("Tromsø", "Tromso"),
        ("Đà Nẵng", "Da Nang"),
        ("Diyarbakır", "Diyarbakir"),
        ("Saint-Étienne", "saint etienne"),
        ("Kraków", "Krakow"),
        ("İstanbul", "istanbul"),
        ("ΣΑΜΟΣ", "Σάμος"),
    ] {
        assert_eq!(folded_place(a), folded_place(b), "{a} / {b}");
    }
    // Marks that are part of a word are kept: two cities, not one.
    for (a, b) in [("Berlin", "Bern"), ("पुणे", "पण"), ("が", "か")] {
        assert_ne!(folded_place(a), folded_place(b), "{a} / {b}");
    }
}
