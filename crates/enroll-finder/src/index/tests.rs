//! Tests of `index`, kept apart from its code (they are as long).

use super::*;
use enroll_core::Provider;

fn provider(id: &str, name: &str, city: &str, country: &str) -> Provider {
    Provider {
        id: id.into(),
        name: name.into(),
        city: city.into(),
        country: country.into(),
        countries_served: vec![country.into()],
        products: vec!["Azure".into()],
        languages: vec!["en".into()],
        services: vec!["licensing".into()],
        ..Provider::default()
    }
}

fn directory() -> ProviderIndex {
    let mut providers = vec![
        provider("p1", "Contoso Cloud GmbH", "Berlin", "DE"),
        provider("p2", "Müller Systems AG", "Zürich", "CH"),
        provider("p3", "Fabrikam Distribution Ltda.", "São Paulo", "BR"),
        provider("p4", "北京云数据科技有限公司", "北京", "CN"),
        provider("p5", "上海智能信息技术有限公司", "上海", "CN"),
        provider("p6", "東京クラウド株式会社", "東京", "JP"),
        provider("p7", "Cloudberry Partners Ltd", "London", "GB"),
        provider("p8", "Northwind Consulting Inc.", "Cloudcroft", "US"),
        provider("p9", "Adatum Data S.L.", "Málaga", "ES"),
        provider("p10", "Berlin Digital GmbH", "Hamburg", "DE"),
    ];
    providers[1].products = vec!["Dynamics 365".into(), "Azure".into()];
    providers[1].languages = vec!["en".into(), "de".into(), "fr".into()];
    providers[1].countries_served = vec!["CH".into(), "DE".into()];
    providers[3].languages = vec!["en".into(), "zh-CN".into()];
    providers[4].languages = vec!["zh-CN".into()];
    providers[6].products = vec!["Microsoft 365".into()];
    providers[6].services = vec!["migration".into(), "24/7 support".into()];
    providers[7].services = vec!["cloud migration".into()];
    ProviderIndex::new(CompactDirectory::from_providers(&providers))
}

fn ids(index: &ProviderIndex, query: &FinderQuery) -> Vec<String> {
    index
        .search(query)
        .into_iter()
        .map(|d| index.listing(d).id.to_owned())
        .collect()
}

fn text(index: &ProviderIndex, text: &str) -> Vec<String> {
    ids(
        index,
        &FinderQuery {
            text: text.into(),
            ..FinderQuery::default()
        },
    )
}

#[test]
fn no_text_lists_everyone_in_name_order() {
    let index = directory();
    let names: Vec<String> = index
        .search(&FinderQuery::default())
        .into_iter()
        .map(|d| index.listing(d).name.to_owned())
        .collect();
    assert_eq!(names.len(), 10);
    assert_eq!(names[0], "Adatum Data S.L.");
    assert_eq!(names[1], "Berlin Digital GmbH");
    assert_eq!(names[9], "東京クラウド株式会社");
}

#[test]
fn ranking_prefers_where_and_how_well_the_words_match() {
    let index = directory();
    // Cloudberry: name start, prefix, and the name starts with the query;
    // Contoso Cloud: a whole word inside the name; Northwind: only its
    // city (Cloudcroft) and a service ("cloud migration").
    assert_eq!(text(&index, "cloud"), ["p7", "p1", "p8"]);
    // A whole word in the name beats the same word as a city.
    assert_eq!(text(&index, "berlin"), ["p10", "p1"]);
    // Every word must match; the order of the words does not matter.
    assert_eq!(text(&index, "contoso berlin"), ["p1"]);
    assert_eq!(text(&index, "berlin contoso"), ["p1"]);
    assert_eq!(text(&index, "cont hamburg"), Vec::<String>::new());
    // Products and services are searchable too, below names and cities.
    assert_eq!(text(&index, "dynamics"), ["p2"]);
    assert_eq!(text(&index, "24/7"), ["p7"]);
}

#[test]
fn ties_keep_name_order_and_name_sort_ignores_scores() {
    let index = directory();
    // Every provider but Cloudberry offers Azure: the same score each.
    let azure = text(&index, "azure");
    assert_eq!(azure.len(), 9);
    let in_name_order: Vec<String> = index
        .search(&FinderQuery::default())
        .into_iter()
        .map(|d| index.listing(d).id.to_owned())
        .filter(|id| id != "p7")
        .collect();
    assert_eq!(azure, in_name_order);
    // "m": Müller's name, Málaga (city), Microsoft 365 (product), migration.
    assert_eq!(text(&index, "m"), ["p2", "p9", "p7", "p8"]);
    let by_name = ids(
        &index,
        &FinderQuery {
            text: "m".into(),
            sort: SortOrder::Name,
            ..FinderQuery::default()
        },
    );
    assert_eq!(by_name, ["p9", "p7", "p2", "p8"]);
}

#[test]
fn diacritics_and_case_do_not_matter() {
    let index = directory();
    assert_eq!(text(&index, "muller"), ["p2"]);
    assert_eq!(text(&index, "MÜLLER"), ["p2"]);
    assert_eq!(text(&index, "sao paulo"), ["p3"]);
    assert_eq!(text(&index, "São Pau"), ["p3"]);
    assert_eq!(text(&index, "zurich"), ["p2"]);
    assert_eq!(text(&index, "malaga"), ["p9"]);
    assert_eq!(text(&index, "ＭＵＬＬＥＲ"), ["p2"], "full-width Latin");
}

#[test]
fn chinese_and_japanese_names_are_found_by_any_fragment() {
    let index = directory();
    assert_eq!(text(&index, "科技"), ["p4"]);
    // In name order (上 sorts before 北).
    assert_eq!(text(&index, "有限公司"), ["p5", "p4"]);
    // At the start of the name ranks first, then name order.
    assert_eq!(text(&index, "北京"), ["p4"]);
    assert_eq!(text(&index, "京云"), ["p4"]);
    assert_eq!(text(&index, "クラウド"), ["p6"]);
    assert_eq!(text(&index, "東京"), ["p6"]);
    assert_eq!(text(&index, "上海 信息"), ["p5"]);
    assert_eq!(
        text(&index, "科学"),
        Vec::<String>::new(),
        "both characters, in order"
    );
}

#[test]
fn each_filter_narrows_and_unknown_values_find_nothing() {
    let index = directory();
    let with = |query: FinderQuery| ids(&index, &query);
    let all = FinderQuery::default();
    let country = with(FinderQuery {
        country: Some("de".into()),
        ..all.clone()
    });
    assert_eq!(country, ["p10", "p1", "p2"], "served, not only based there");
    let product = with(FinderQuery {
        product: Some("dynamics 365".into()),
        ..all.clone()
    });
    assert_eq!(product, ["p2"]);
    let service = with(FinderQuery {
        service: Some("Migration".into()),
        ..all.clone()
    });
    assert_eq!(service, ["p7"]);
    let language = with(FinderQuery {
        language: Some("zh".into()),
        ..all.clone()
    });
    assert_eq!(language, ["p5", "p4"]);
    let language = with(FinderQuery {
        language: Some("zh-TW".into()),
        ..all.clone()
    });
    assert_eq!(language, ["p5", "p4"], "by primary subtag");
    let combined = with(FinderQuery {
        text: "gmbh".into(),
        country: Some("DE".into()),
        language: Some("fr".into()),
        ..all.clone()
    });
    assert!(combined.is_empty(), "{combined:?}");
    let combined = with(FinderQuery {
        text: "sys".into(),
        country: Some("DE".into()),
        language: Some("fr".into()),
        ..all.clone()
    });
    assert_eq!(combined, ["p2"]);
    assert!(with(FinderQuery {
        country: Some("XX".into()),
        ..all.clone()
    })
    .is_empty());
    assert!(with(FinderQuery {
        product: Some("Azur".into()),
        ..all
    })
    .is_empty());
}

#[test]
fn listings_keep_their_facets_and_source_position() {
    let index = directory();
    let doc = index.position("p2").unwrap();
    let listing = index.listing(doc);
    assert_eq!(listing.name, "Müller Systems AG");
    assert_eq!(listing.source, 1);
    let products: Vec<&str> = index.values(Facet::Products, listing.products).collect();
    assert_eq!(
        products,
        ["Dynamics 365", "Azure"],
        "as the provider lists them"
    );
    let served: Vec<&str> = index
        .values(Facet::Countries, listing.countries_served)
        .collect();
    assert_eq!(served, ["CH", "DE"]);
    assert_eq!(index.facets().languages, ["de", "en", "fr", "zh-CN"]);
}

#[test]
fn punctuation_and_empty_queries_are_harmless() {
    let index = directory();
    assert_eq!(text(&index, "   ").len(), 10);
    assert_eq!(text(&index, "--- !!").len(), 10);
    assert_eq!(text(&index, "data s.l."), ["p9"]);
    let long = "cloud ".repeat(500);
    assert_eq!(text(&index, &long), ["p7", "p1", "p8"]);
    assert!(ProviderIndex::new(CompactDirectory::default())
        .search(&FinderQuery::default())
        .is_empty());
}

#[test]
fn thousands_of_distinct_words_and_cities_are_all_found() {
    // Enough terms to grow the term table several times over, and as
    // many cities as providers.
    let providers: Vec<Provider> = (0..6000)
        .map(|i| {
            let mut p = provider(
                &format!("p{i:04}"),
                &format!("Word{i:04} Shared"),
                &format!("Town{i:04}"),
                "DE",
            );
            p.name = format!(
                "Word{i:04} Shared {}",
                if i % 2 == 0 { "数据" } else { "云" }
            );
            p
        })
        .collect();
    let index = ProviderIndex::new(CompactDirectory::from_providers(&providers));
    for i in [0, 1, 999, 4095, 5999] {
        // Fixed width: no word is a prefix of another.
        assert_eq!(text(&index, &format!("word{i:04}")), [format!("p{i:04}")]);
        assert_eq!(text(&index, &format!("town{i:04}")), [format!("p{i:04}")]);
    }
    assert_eq!(text(&index, "shared").len(), 6000);
    assert_eq!(text(&index, "数据").len(), 3000);
    assert_eq!(text(&index, "town5999 word5999"), ["p5999"]);
    assert!(text(&index, "town0001 word0002").is_empty());
    assert_eq!(text(&index, "word000").len(), 10);
}
