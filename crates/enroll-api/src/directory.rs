//! The provider directory in memory: searched on every request with the
//! same index and ranking the app uses (`enroll_finder`), and served
//! whole in its compact form for the app's in-browser search.

use enroll_core::{Provider, ProviderPage};
use enroll_finder::{CompactDirectory, Facets, FinderQuery, ProviderIndex, SortOrder};
use sha2::{Digest, Sha256};

/// Providers, their search index and their compact, cacheable form.
pub struct Directory {
    /// As loaded; the index refers to them by position.
    providers: Vec<Provider>,
    index: ProviderIndex,
    pub index_json: String,
    pub index_etag: String,
}

/// A parsed `GET /providers` query.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ProviderQuery {
    pub finder: FinderQuery,
    pub page: usize,
    pub per_page: usize,
}

pub const MAX_PER_PAGE: usize = 100;

impl ProviderQuery {
    /// Reads the query string's pairs; `Err` names the bad parameter.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, String> {
        let mut query = Self {
            page: 1,
            per_page: 20,
            ..Self::default()
        };
        let finder = &mut query.finder;
        for (key, value) in pairs {
            let text = || (!value.trim().is_empty()).then(|| value.trim().to_owned());
            match key.as_str() {
                "q" => finder.text = value.clone(),
                "country" => finder.country = text(),
                "product" => finder.product = text(),
                "language" => finder.language = text(),
                "service" => finder.service = text(),
                "sort" => {
                    finder.sort = match value.as_str() {
                        "relevance" => SortOrder::Relevance,
                        "name" => SortOrder::Name,
                        _ => return Err("sort".to_owned()),
                    }
                }
                "page" => query.page = value.parse().ok().filter(|p| *p >= 1).ok_or("page")?,
                "per_page" => {
                    query.per_page = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                        .ok_or("per_page")?
                }
                other => return Err(other.to_owned()),
            }
        }
        Ok(query)
    }
}

impl Directory {
    pub fn new(providers: Vec<Provider>) -> Self {
        let compact = CompactDirectory::from_providers(&providers);
        let index_json = serde_json::to_string(&compact).unwrap_or_default();
        let index = ProviderIndex::new(compact);
        let digest = Sha256::digest(index_json.as_bytes());
        let index_etag = format!("\"{}\"", crate::auth::hex(&digest[..12]));
        Self {
            providers,
            index,
            index_json,
            index_etag,
        }
    }

    pub fn len(&self) -> usize {
        self.providers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        let doc = self.index.position(id)?;
        self.providers.get(self.index.source(doc) as usize)
    }

    /// The filters' options.
    pub fn facets(&self) -> &Facets {
        self.index.facets()
    }

    /// Searches, then pages.
    pub fn search(&self, query: &ProviderQuery) -> ProviderPage {
        let found = self.index.search(&query.finder);
        let start = (query.page - 1).saturating_mul(query.per_page);
        ProviderPage {
            total: found.len(),
            page: query.page,
            per_page: query.per_page,
            items: found
                .iter()
                .skip(start)
                .take(query.per_page)
                .filter_map(|&doc| self.providers.get(self.index.source(doc) as usize).cloned())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::generate_providers;
    use enroll_finder::fold;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filters_narrow_and_pages_cover_every_match_once() {
        let directory = Directory::new(generate_providers(2_000));
        let query = ProviderQuery::parse(&pairs(&[
            ("country", "de"),
            ("product", "azure"),
            ("per_page", "50"),
        ]))
        .unwrap();
        let first = directory.search(&query);
        assert!(first.total > 0 && first.total < 2_000);
        let mut seen = Vec::new();
        for page in 1..=first.total.div_ceil(50) {
            let query = ProviderQuery {
                page,
                ..ProviderQuery::parse(&pairs(&[
                    ("country", "DE"),
                    ("product", "Azure"),
                    ("per_page", "50"),
                ]))
                .unwrap()
            };
            for p in directory.search(&query).items {
                assert!(p.countries_served.contains(&"DE".to_owned()));
                assert!(p.products.contains(&"Azure".to_owned()));
                seen.push(p.id);
            }
        }
        assert_eq!(seen.len(), first.total);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), first.total);
    }

    #[test]
    fn without_text_results_come_in_name_order() {
        let directory = Directory::new(generate_providers(500));
        let page = directory.search(&ProviderQuery::parse(&pairs(&[("per_page", "100")])).unwrap());
        let names: Vec<String> = page.items.iter().map(|p| fold(&p.name)).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    #[test]
    fn text_is_ranked_by_the_finder_and_sort_by_name_is_honoured() {
        let directory = Directory::new(generate_providers(2_000));
        let query =
            |list: &[(&str, &str)]| directory.search(&ProviderQuery::parse(&pairs(list)).unwrap());
        let muller = query(&[("q", "muller"), ("per_page", "100")]);
        assert!(muller.total > 0);
        assert!(muller.items.iter().all(|p| p.name.starts_with("Müller")));
        let relevance = query(&[("q", "科技"), ("per_page", "100")]);
        assert!(relevance.total > 0 && relevance.items.iter().all(|p| p.name.contains("科技")));
        let by_name = query(&[("q", "科技"), ("sort", "name"), ("per_page", "100")]);
        assert_eq!(by_name.total, relevance.total);
        let names: Vec<&str> = by_name.items.iter().map(|p| p.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let id = &muller.items[0].id;
        assert_eq!(directory.get(id).map(|p| &p.id), Some(id));
        assert!(directory.get("nobody").is_none());
    }

    #[test]
    fn q_and_language_match_case_insensitively() {
        let directory = Directory::new(generate_providers(2_000));
        let page = directory.search(
            &ProviderQuery::parse(&pairs(&[("q", "SÃO PAULO".to_lowercase().as_str())])).unwrap(),
        );
        assert!(page.total > 0);
        assert!(page
            .items
            .iter()
            .all(|p| p.city == "São Paulo" || p.name.to_lowercase().contains("são paulo")));
        let zh = directory.search(&ProviderQuery::parse(&pairs(&[("language", "zh")])).unwrap());
        assert!(
            zh.total > 0
                && zh
                    .items
                    .iter()
                    .all(|p| p.languages.iter().any(|l| l.starts_with("zh")))
        );
    }

    #[test]
    fn bad_parameters_are_named() {
        assert_eq!(
            ProviderQuery::parse(&pairs(&[("page", "0")])),
            Err("page".to_owned())
        );
        assert_eq!(
            ProviderQuery::parse(&pairs(&[("per_page", "1000")])),
            Err("per_page".to_owned())
        );
        assert_eq!(
            ProviderQuery::parse(&pairs(&[("colour", "red")])),
            Err("colour".to_owned())
        );
        assert_eq!(
            ProviderQuery::parse(&pairs(&[("sort", "price")])),
            Err("sort".to_owned())
        );
    }

    #[test]
    fn the_index_etag_follows_the_content() {
        let a = Directory::new(generate_providers(10));
        let b = Directory::new(generate_providers(11));
        assert_ne!(a.index_etag, b.index_etag);
        assert_eq!(
            a.index_etag,
            Directory::new(generate_providers(10)).index_etag
        );
        let index: serde_json::Value = serde_json::from_str(&a.index_json).unwrap();
        assert_eq!(index["items"].as_array().unwrap().len(), 10);
    }
}
