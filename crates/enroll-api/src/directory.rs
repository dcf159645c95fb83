//! The provider directory in memory: searched on every request without a
//! database round trip, and served whole as a compact, cacheable index.

use enroll_core::{Provider, ProviderPage};
use sha2::{Digest, Sha256};

/// Providers plus their precomputed compact index.
pub struct Directory {
    pub providers: Vec<Provider>,
    /// Lower-cased name, city and products, for `q`.
    haystacks: Vec<String>,
    pub index_json: String,
    pub index_etag: String,
}

/// A parsed `GET /providers` query.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ProviderQuery {
    pub q: Option<String>,
    pub country: Option<String>,
    pub product: Option<String>,
    pub language: Option<String>,
    pub service: Option<String>,
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
        for (key, value) in pairs {
            let text = || (!value.trim().is_empty()).then(|| value.trim().to_owned());
            match key.as_str() {
                "q" => query.q = text(),
                "country" => query.country = text().map(|c| c.to_ascii_uppercase()),
                "product" => query.product = text(),
                "language" => query.language = text(),
                "service" => query.service = text(),
                // Relevance ranking arrives with the finder; name order for now.
                "sort" if matches!(value.as_str(), "name" | "relevance") => {}
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

fn has(list: &[String], wanted: &str) -> bool {
    list.iter().any(|item| item.eq_ignore_ascii_case(wanted))
}

impl Directory {
    pub fn new(mut providers: Vec<Provider>) -> Self {
        providers.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.id.cmp(&b.id))
        });
        let haystacks = providers
            .iter()
            .map(|p| format!("{} {} {}", p.name, p.city, p.products.join(" ")).to_lowercase())
            .collect();
        let index_json = compact_index(&providers);
        let digest = Sha256::digest(index_json.as_bytes());
        let index_etag = format!(
            "\"{}\"",
            digest[..12]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        Self {
            providers,
            haystacks,
            index_json,
            index_etag,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// Filters, then pages, in name order.
    pub fn search(&self, query: &ProviderQuery) -> ProviderPage {
        let needle = query.q.as_deref().map(str::to_lowercase);
        let matches: Vec<&Provider> = self
            .providers
            .iter()
            .zip(&self.haystacks)
            .filter(|(p, hay)| {
                needle.as_deref().is_none_or(|n| hay.contains(n))
                    && query
                        .country
                        .as_deref()
                        .is_none_or(|c| has(&p.countries_served, c))
                    && query.product.as_deref().is_none_or(|x| has(&p.products, x))
                    && query.service.as_deref().is_none_or(|x| has(&p.services, x))
                    && query.language.as_deref().is_none_or(|l| {
                        p.languages
                            .iter()
                            .any(|t| t.eq_ignore_ascii_case(l) || t.split('-').next() == Some(l))
                    })
            })
            .map(|(p, _)| p)
            .collect();
        let start = (query.page - 1).saturating_mul(query.per_page);
        ProviderPage {
            total: matches.len(),
            page: query.page,
            per_page: query.per_page,
            items: matches
                .into_iter()
                .skip(start)
                .take(query.per_page)
                .cloned()
                .collect(),
        }
    }
}

/// The whole directory as `{"fields": [...], "items": [[...], ...]}`:
/// one array per provider, field names once, for the app's in-browser
/// search. Contact details are left to `GET /providers/{id}`.
fn compact_index(providers: &[Provider]) -> String {
    let items: Vec<serde_json::Value> = providers
        .iter()
        .map(|p| {
            serde_json::json!([
                p.id,
                p.name,
                p.country,
                p.city,
                p.countries_served,
                p.products,
                p.languages,
                p.services
            ])
        })
        .collect();
    serde_json::json!({
        "fields": ["id", "name", "country", "city", "countries_served", "products", "languages", "services"],
        "items": items,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::generate_providers;

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
    fn results_come_in_name_order() {
        let directory = Directory::new(generate_providers(500));
        let page = directory.search(&ProviderQuery::parse(&pairs(&[("per_page", "100")])).unwrap());
        let names: Vec<String> = page.items.iter().map(|p| p.name.to_lowercase()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
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
