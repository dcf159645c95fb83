//! The finder's index against its definition, checked by brute force on
//! random directories and queries: a provider is found exactly when every
//! query word is the start of one of its words (after folding case and
//! diacritics), or, for Chinese/Japanese/Korean text, any fragment of it.

use enroll_core::Provider;
use enroll_finder::{fold, tokens, CompactDirectory, FinderQuery, ProviderIndex, SortOrder};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "Contoso",
    "Müller",
    "MULLER",
    "Mühle",
    "São",
    "Sao",
    "Paulo",
    "Cloud",
    "Cloudy",
    "Łódź",
    "Crème",
    "Straße",
    "北京云数据科技有限公司",
    "科技",
    "東京クラウド株式会社",
    "クラウド",
    "Ｃｌｏｕｄ",
    "24/7",
    "S.A.",
    "data-center",
    "Ölçü",
    "Nguyễn",
];

fn provider() -> impl Strategy<Value = Provider> {
    let words =
        || prop::collection::vec(prop::sample::select(WORDS), 1..4).prop_map(|w| w.join(" "));
    (
        words(),
        words(),
        prop::sample::subsequence(vec!["Azure", "Microsoft 365", "Teams Phone"], 0..3),
        prop::sample::subsequence(vec!["licensing", "24/7 support", "Cloud migration"], 0..3),
    )
        .prop_map(|(name, city, products, services)| Provider {
            name,
            city,
            products: products.into_iter().map(String::from).collect(),
            services: services.into_iter().map(String::from).collect(),
            ..Provider::default()
        })
}

/// The definition, written the slow and obvious way.
fn matches(provider: &Provider, query: &str) -> bool {
    let text = fold(&format!(
        "{} {} {} {}",
        provider.name,
        provider.city,
        provider.products.join(" "),
        provider.services.join(" ")
    ));
    let words: Vec<_> = tokens(&text).collect();
    tokens(&fold(query)).all(|q| {
        words.iter().any(|w| {
            if q.cjk {
                w.cjk && w.text.contains(q.text)
            } else {
                w.text.starts_with(q.text)
            }
        })
    })
}

fn query() -> impl Strategy<Value = String> {
    // Fragments of the words, as someone mid-typing would have them.
    prop::collection::vec((prop::sample::select(WORDS), 0usize..8, 1usize..8), 0..3).prop_map(
        |parts| {
            parts
                .into_iter()
                .map(|(word, skip, take)| {
                    let chars: Vec<char> = word.chars().collect();
                    let skip = if chars.iter().any(|c| enroll_finder::is_cjk(*c)) {
                        skip.min(chars.len() - 1)
                    } else {
                        0
                    };
                    chars[skip..].iter().take(take).collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}

proptest! {
    #[test]
    fn the_index_finds_exactly_what_the_definition_says(
        mut providers in prop::collection::vec(provider(), 0..40),
        text in query(),
        by_name in any::<bool>(),
    ) {
        for (i, p) in providers.iter_mut().enumerate() {
            p.id = format!("p{i:03}");
        }
        let index = ProviderIndex::new(CompactDirectory::from_providers(&providers));
        let sort = if by_name { SortOrder::Name } else { SortOrder::Relevance };
        let found = index.search(&FinderQuery { text: text.clone(), sort, ..FinderQuery::default() });
        let mut found_ids: Vec<String> = found.iter().map(|&d| index.listing(d).id.to_owned()).collect();
        if by_name {
            let mut sorted = found.clone();
            sorted.sort_unstable();
            prop_assert_eq!(&found, &sorted, "name order is document order");
        }
        found_ids.sort();
        let before = found_ids.len();
        found_ids.dedup();
        prop_assert_eq!(before, found_ids.len(), "each provider once");
        let expected: Vec<String> = providers.iter().filter(|p| matches(p, &text)).map(|p| p.id.clone()).collect();
        prop_assert_eq!(found_ids, expected, "query {:?}", text);
    }
}
