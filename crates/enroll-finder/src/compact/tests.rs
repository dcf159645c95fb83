//! Tests of `compact`, kept apart from its code (they are as long).

use super::*;

#[test]
fn the_compact_form_names_each_value_once_and_round_trips_as_json() {
    let providers = vec![
        Provider {
            id: "p1".into(),
            name: "Contoso Cloud GmbH".into(),
            country: "DE".into(),
            city: "Berlin".into(),
            countries_served: vec!["DE".into(), "AT".into()],
            products: vec!["Azure".into()],
            languages: vec!["en".into(), "de".into()],
            services: vec!["licensing".into()],
            email: "not in the index".into(),
            ..Provider::default()
        },
        Provider {
            id: "p2".into(),
            name: "上海云科技有限公司".into(),
            country: "CN".into(),
            city: "上海".into(),
            countries_served: vec!["CN".into()],
            products: vec!["Azure".into(), "Microsoft 365".into()],
            languages: vec!["en".into(), "zh-CN".into()],
            services: vec!["billing".into()],
            ..Provider::default()
        },
    ];
    let compact = CompactDirectory::from_providers(&providers);
    assert_eq!(compact.facets.countries, ["AT", "CN", "DE"]);
    assert_eq!(compact.facets.products, ["Azure", "Microsoft 365"]);
    assert_eq!(compact.get(0).countries_served, [2, 0]);
    assert_eq!(compact.get(1).products, [0, 1]);
    assert_eq!(compact.get(1).name, "上海云科技有限公司");
    let json = serde_json::to_string(&compact).unwrap();
    assert!(json.starts_with("{\"countries\":[\"AT\""), "{json}");
    assert!(!json.contains("not in the index"));
    assert_eq!(
        serde_json::from_str::<CompactDirectory>(&json).unwrap(),
        compact
    );
}

#[test]
fn escaped_strings_unknown_keys_and_extra_fields_read_as_expected() {
    let json = r#"{"countries":["DE"],"later":{"a":[1]},"products":[],
        "items":[["p1","Say \"Hi\" \u00e9\ud83d\ude00","DE","K\u00f6ln",[0],[],[],[],"extra"],
                 ["p2","","DE","",[],[],[],[]]],
        "languages":["de"],"services":[]}"#;
    let directory: CompactDirectory = serde_json::from_str(json).unwrap();
    assert_eq!(directory.len(), 2);
    let first = directory.get(0);
    assert_eq!(first.name, "Say \"Hi\" é😀");
    assert_eq!(first.city, "Köln");
    assert_eq!(first.countries_served, [0]);
    assert_eq!(directory.get(1).id, "p2");
    assert_eq!(directory.get(1).name, "");
    assert_eq!(directory.facets.languages, ["de"]);
}

#[test]
fn a_short_or_mistyped_item_is_an_error_not_a_panic() {
    for json in [
        r#"{"items":[["p1","Name","DE","Berlin",[0],[],[]]]}"#,
        r#"{"items":[["p1","Name","DE","Berlin",[0],[],[],["x"]]]}"#,
        r#"{"items":[["p1",7,"DE","Berlin",[],[],[],[]]]}"#,
        r#"{"items":[["p1","Name","DE","Berlin",[70000],[],[],[]]]}"#,
        r#"{"items":{}}"#,
        r#"[]"#,
    ] {
        assert!(
            serde_json::from_str::<CompactDirectory>(json).is_err(),
            "{json}"
        );
    }
    let empty: CompactDirectory = serde_json::from_str("{}").unwrap();
    assert!(empty.is_empty());
}

#[test]
fn the_scanner_reads_what_the_api_writes_as_serde_does() {
    let mut providers: Vec<Provider> = (0..300)
        .map(|i| Provider {
            id: format!("p{i:05}"),
            name: [
                "Müller AG",
                "北京云数据科技有限公司",
                "Contoso Cloud",
                "東京・クラウド",
            ][i % 4]
                .into(),
            country: ["DE", "CN", "US", "JP"][i % 4].into(),
            city: ["Köln", "北京", "", "東京"][i % 4].into(),
            countries_served: vec![["DE", "AT", "CH"][i % 3].into()],
            products: (0..i % 3).map(|p| format!("Product {p}")).collect(),
            languages: vec!["en".into()],
            services: Vec::new(),
            ..Provider::default()
        })
        .collect();
    providers[7].name = "Fabrikam 😀 Ltd".into();
    let written = CompactDirectory::from_providers(&providers);
    let json = serde_json::to_string(&written).unwrap();
    let scanned = Scanner::new(&json)
        .directory()
        .expect("the scanner reads it");
    assert_eq!(scanned, written);
    assert_eq!(
        scanned,
        serde_json::from_str::<CompactDirectory>(&json).unwrap()
    );
    // Pretty-printed, too (whitespace between tokens).
    let pretty = serde_json::to_string_pretty(&written).unwrap();
    assert_eq!(Scanner::new(&pretty).directory(), Some(written));
}

#[test]
fn what_the_scanner_does_not_read_goes_through_serde() {
    // An escaped quote: left to serde, read all the same.
    let escaped = r#"{"items":[["p1","Say \"Hi\"","DE","",[],[],[],[]]]}"#;
    assert!(Scanner::new(escaped).directory().is_none());
    let read = CompactDirectory::from_json(escaped).unwrap();
    assert_eq!(read.get(0).name, "Say \"Hi\"");
    // Malformed: an error from serde, never a panic or half a directory.
    for json in [
        r#"{"items":[["p1","Name","DE","Berlin",[0],[],[]]]}"#,
        r#"{"items":[["p1","Name","DE","Berlin",[70000],[],[],[]]]}"#,
        r#"{"items":[["p1","Name","DE","Berlin",[01],[],[],[]]]}"#,
        r#"{"items":[["p1","Name","DE","Berlin",[-1],[],[],[]]]}"#,
        r#"{"items":[["p1","Name","DE","Berlin",[],[],[],[]]] x"#,
        r#"{"items":[["p1","Name"#,
        "",
    ] {
        assert!(Scanner::new(json).directory().is_none(), "{json}");
        assert!(CompactDirectory::from_json(json).is_err(), "{json}");
    }
}
