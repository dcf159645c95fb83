//! The directory in the compact form `GET /providers/index` serves: what the
//! finder searches and lists, without contact details, with each country,
//! product, language and service named once and referred to by position.

use serde::{Deserialize, Serialize};

use crate::Provider;

/// The values the directory's providers have, sorted: the filters' options.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Facets {
    /// Countries served (ISO 3166-1 alpha-2).
    pub countries: Vec<String>,
    pub products: Vec<String>,
    /// BCP 47 language tags.
    pub languages: Vec<String>,
    pub services: Vec<String>,
}

/// One provider: `[id, name, country, city, served, products, languages,
/// services]`, the last four as positions in the `Facets` lists. An array
/// rather than an object: at 100,000 providers the field names alone would
/// be megabytes.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct CompactEntry(
    pub String,
    pub String,
    pub String,
    pub String,
    pub Vec<u16>,
    pub Vec<u16>,
    pub Vec<u16>,
    pub Vec<u16>,
);

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct CompactDirectory {
    #[serde(flatten)]
    pub facets: Facets,
    pub items: Vec<CompactEntry>,
}

impl CompactDirectory {
    /// The compact form of `providers`, in the same order.
    pub fn from_providers(providers: &[Provider]) -> Self {
        fn values<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<String> {
            let mut all: Vec<String> = lists.flatten().cloned().collect();
            all.sort();
            all.dedup();
            all
        }
        let facets = Facets {
            countries: values(providers.iter().map(|p| &p.countries_served)),
            products: values(providers.iter().map(|p| &p.products)),
            languages: values(providers.iter().map(|p| &p.languages)),
            services: values(providers.iter().map(|p| &p.services)),
        };
        // Positions fit in u16: a facet has at most a few hundred values
        // (countries, languages); more would be a data error, clamped.
        let positions = |list: &[String], wanted: &[String]| -> Vec<u16> {
            wanted
                .iter()
                .filter_map(|w| list.binary_search(w).ok())
                .map(|i| i.min(u16::MAX as usize) as u16)
                .collect()
        };
        let items = providers
            .iter()
            .map(|p| {
                CompactEntry(
                    p.id.clone(),
                    p.name.clone(),
                    p.country.clone(),
                    p.city.clone(),
                    positions(&facets.countries, &p.countries_served),
                    positions(&facets.products, &p.products),
                    positions(&facets.languages, &p.languages),
                    positions(&facets.services, &p.services),
                )
            })
            .collect();
        Self { facets, items }
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(compact.items[0].4, [2, 0]);
        assert_eq!(compact.items[1].5, [0, 1]);
        let json = serde_json::to_string(&compact).unwrap();
        assert!(json.starts_with("{\"countries\":[\"AT\""), "{json}");
        assert!(!json.contains("not in the index"));
        assert_eq!(
            serde_json::from_str::<CompactDirectory>(&json).unwrap(),
            compact
        );
    }
}
