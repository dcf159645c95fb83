//! The search index: a sorted term list with posting lists, so a prefix is a
//! binary search plus a contiguous run of terms, and bitsets for filters.
//!
//! Latin-script words are matched by prefix ("mul" finds Müller). A CJK run
//! (Chinese and Japanese names have no spaces) is indexed by every suffix,
//! so a prefix of a suffix is any fragment: "科技" finds 北京云数据科技有限公司.
//!
//! Ranking: each query word scores its best match in the provider: where
//! (name start > name > city > product > service) and how well (a whole
//! word beats a prefix); the words' scores add up, a name that starts with
//! the whole query gets a bonus, and ties go to name order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::compact::{CompactDirectory, Facets};
use super::fold::{fold_words, is_cjk, tokens};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Best match first; name order when there is no text.
    #[default]
    Relevance,
    Name,
}

/// What the user asked for: text and filters. A filter's value is compared
/// without regard to case; a language matches by its primary subtag, so
/// `zh` finds providers that list `zh-CN`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinderQuery {
    pub text: String,
    pub country: Option<String>,
    pub product: Option<String>,
    pub language: Option<String>,
    pub service: Option<String>,
    pub sort: SortOrder,
}

/// One provider as the index holds it; the four lists are positions in the
/// index's `Facets`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub id: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub countries_served: Vec<u16>,
    pub products: Vec<u16>,
    pub languages: Vec<u16>,
    pub services: Vec<u16>,
    /// Where it was in the directory the index was built from.
    pub source: u32,
}

/// Where a term occurs, strongest first; stored in a posting's low 3 bits.
#[derive(Clone, Copy)]
enum Field {
    NameStart = 0,
    Name = 1,
    City = 2,
    Product = 3,
    Service = 4,
}

/// (whole word, prefix) score per `Field`.
const WEIGHTS: [(u16, u16); 5] = [(100, 70), (60, 40), (50, 30), (30, 20), (20, 12)];
/// For a name that starts with the whole query ("contoso clo").
const NAME_PREFIX_BONUS: u32 = 40;
/// Words beyond this are ignored: a search box, not a document.
const MAX_QUERY_WORDS: usize = 8;

/// FxHash (the multiply-rotate hash of Firefox and rustc): several times
/// faster than the default SipHash on short words, and the index is built
/// from the directory's own data, so there is no attacker to resist.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Collects terms and their postings while the index is built.
#[derive(Default)]
struct Terms {
    ids: FastMap<String, u32>,
    texts: Vec<String>,
    postings: Vec<Vec<u32>>,
}

impl Terms {
    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.ids.insert(term.to_owned(), id);
        self.texts.push(term.to_owned());
        self.postings.push(Vec::new());
        id
    }

    /// The terms of `text` with the field each is in: the first word (or
    /// a CJK run's first suffix) in `first`, the rest in `rest`.
    fn of(&mut self, text: &str, first: Field, rest: Field) -> Vec<(u32, Field)> {
        let mut out = Vec::new();
        self.of_folded(&fold_words(text), first, rest, &mut out);
        out
    }

    /// Like `of`, for text already folded, into `out` (cleared first).
    fn of_folded(&mut self, folded: &str, first: Field, rest: Field, out: &mut Vec<(u32, Field)>) {
        out.clear();
        // `fold_words` left one space between words: no need to tokenize.
        for (position, word) in folded.split(' ').filter(|w| !w.is_empty()).enumerate() {
            let field = |at_start: bool| if at_start { first } else { rest };
            if word.chars().next().is_some_and(is_cjk) {
                for (offset, _) in word.char_indices() {
                    let id = self.id(&word[offset..]);
                    out.push((id, field(position == 0 && offset == 0)));
                }
            } else {
                out.push((self.id(word), field(position == 0)));
            }
        }
    }

    fn post(&mut self, terms: &[(u32, Field)], doc: u32) {
        for &(term, field) in terms {
            self.postings[term as usize].push(doc << 3 | field as u32);
        }
    }
}

/// Which list of `Facets` a filter or a listing's positions refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    Countries,
    Products,
    Languages,
    Services,
}

pub struct ProviderIndex {
    facets: Facets,
    /// In name order: a document's number is its place here.
    listings: Vec<Listing>,
    /// Each name's words, folded, joined by one space.
    folded_names: Vec<String>,
    /// Sorted, so the terms with a prefix are one run.
    terms: Vec<Box<str>>,
    /// Per term, `doc << 3 | field`, in document order.
    postings: Vec<Box<[u32]>>,
    /// Per facet and value, the documents that have it (64 per word).
    bits: [Vec<Vec<u64>>; 4],
}

impl ProviderIndex {
    pub fn new(directory: CompactDirectory) -> Self {
        let CompactDirectory { facets, items } = directory;
        // Name order: sort the distinct folded names, then the providers by
        // (name's rank, position), one integer each, so ties keep the
        // directory's order (the API's is by id).
        let folded: Vec<String> = items.iter().map(|e| fold_words(&e.1)).collect();
        let mut distinct: Vec<&str> = folded.iter().map(String::as_str).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let rank: FastMap<&str, u32> = distinct
            .iter()
            .enumerate()
            .map(|(r, name)| (*name, r as u32))
            .collect();
        let mut keys: Vec<u64> = folded
            .iter()
            .enumerate()
            .map(|(i, name)| u64::from(rank[name.as_str()]) << 32 | i as u64)
            .collect();
        keys.sort_unstable();
        drop(rank);
        let mut folded: Vec<Option<String>> = folded.into_iter().map(Some).collect();
        let order = keys.into_iter().map(|key| {
            let source = key as u32;
            (folded[source as usize].take().unwrap_or_default(), source)
        });
        let mut terms = Terms::default();
        // Products and services repeat across providers: their terms once.
        let product_terms: Vec<_> = facets
            .products
            .iter()
            .map(|p| terms.of(p, Field::Product, Field::Product))
            .collect();
        let service_terms: Vec<_> = facets
            .services
            .iter()
            .map(|s| terms.of(s, Field::Service, Field::Service))
            .collect();
        let words_per_doc = items.len().div_ceil(64);
        let mut bits = [
            vec![vec![0u64; words_per_doc]; facets.countries.len()],
            vec![vec![0u64; words_per_doc]; facets.products.len()],
            vec![vec![0u64; words_per_doc]; facets.languages.len()],
            vec![vec![0u64; words_per_doc]; facets.services.len()],
        ];
        // Cities repeat across providers: their terms once per city.
        let mut city_terms: FastMap<String, Vec<(u32, Field)>> = FastMap::default();
        let mut name_terms = Vec::new();
        let mut items: Vec<Option<_>> = items.into_iter().map(Some).collect();
        let mut listings = Vec::with_capacity(items.len());
        let mut folded_names = Vec::with_capacity(items.len());
        for (doc, (folded_name, source)) in order.enumerate() {
            let doc = doc as u32;
            let Some(entry) = items[source as usize].take() else {
                continue;
            };
            terms.of_folded(&folded_name, Field::NameStart, Field::Name, &mut name_terms);
            terms.post(&name_terms, doc);
            let city = match city_terms.get(&entry.3) {
                Some(city) => city,
                None => {
                    let found = terms.of(&entry.3, Field::City, Field::City);
                    city_terms.entry(entry.3.clone()).or_insert(found)
                }
            };
            terms.post(city, doc);
            for &p in &entry.5 {
                if let Some(t) = product_terms.get(p as usize) {
                    terms.post(t, doc);
                }
            }
            for &s in &entry.7 {
                if let Some(t) = service_terms.get(s as usize) {
                    terms.post(t, doc);
                }
            }
            for (facet, values) in [&entry.4, &entry.5, &entry.6, &entry.7]
                .into_iter()
                .enumerate()
            {
                for &v in values {
                    if let Some(set) = bits[facet].get_mut(v as usize) {
                        set[doc as usize / 64] |= 1 << (doc % 64);
                    }
                }
            }
            folded_names.push(folded_name);
            listings.push(Listing {
                id: entry.0,
                name: entry.1,
                country: entry.2,
                city: entry.3,
                countries_served: entry.4,
                products: entry.5,
                languages: entry.6,
                services: entry.7,
                source,
            });
        }
        let Terms {
            texts, postings, ..
        } = terms;
        let mut sorted: Vec<(String, Vec<u32>)> = texts.into_iter().zip(postings).collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (terms, postings) = sorted
            .into_iter()
            .map(|(t, p)| (t.into_boxed_str(), p.into_boxed_slice()))
            .unzip();
        Self {
            facets,
            listings,
            folded_names,
            terms,
            postings,
            bits,
        }
    }

    pub fn len(&self) -> usize {
        self.listings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.listings.is_empty()
    }

    pub fn facets(&self) -> &Facets {
        &self.facets
    }

    pub fn listing(&self, doc: u32) -> &Listing {
        &self.listings[doc as usize]
    }

    pub fn position(&self, id: &str) -> Option<u32> {
        self.listings
            .iter()
            .position(|l| l.id == id)
            .map(|p| p as u32)
    }

    fn facet_list(&self, facet: Facet) -> &[String] {
        match facet {
            Facet::Countries => &self.facets.countries,
            Facet::Products => &self.facets.products,
            Facet::Languages => &self.facets.languages,
            Facet::Services => &self.facets.services,
        }
    }

    /// The names behind a listing's positions in `facet`.
    pub fn values<'a>(
        &'a self,
        facet: Facet,
        positions: &'a [u16],
    ) -> impl Iterator<Item = &'a str> {
        let list = self.facet_list(facet);
        positions
            .iter()
            .filter_map(|&p| list.get(p as usize).map(String::as_str))
    }

    /// The documents every given filter allows; `None` when no filter is set.
    fn allowed(&self, query: &FinderQuery) -> Option<Vec<u64>> {
        let filters = [
            (Facet::Countries, &query.country),
            (Facet::Products, &query.product),
            (Facet::Languages, &query.language),
            (Facet::Services, &query.service),
        ];
        let mut allowed: Option<Vec<u64>> = None;
        for (facet, wanted) in filters {
            let Some(wanted) = wanted.as_deref() else {
                continue;
            };
            let matches = |value: &str| {
                value.eq_ignore_ascii_case(wanted)
                    || (facet == Facet::Languages
                        && value.split('-').next().is_some_and(|primary| {
                            primary.eq_ignore_ascii_case(wanted.split('-').next().unwrap_or(""))
                        }))
            };
            let mut these = vec![0u64; self.listings.len().div_ceil(64)];
            for (value, set) in self
                .facet_list(facet)
                .iter()
                .zip(&self.bits[facet as usize])
            {
                if matches(value) {
                    these.iter_mut().zip(set).for_each(|(a, b)| *a |= b);
                }
            }
            if let Some(so_far) = &mut allowed {
                so_far.iter_mut().zip(&these).for_each(|(a, b)| *a &= b);
            } else {
                allowed = Some(these);
            }
        }
        allowed
    }

    /// The matching documents, best first (or in name order).
    pub fn search(&self, query: &FinderQuery) -> Vec<u32> {
        let count = self.listings.len();
        let allowed = self.allowed(query);
        let passes = |doc: u32| {
            allowed
                .as_ref()
                .is_none_or(|bits| bits[doc as usize / 64] >> (doc % 64) & 1 == 1)
        };
        let phrase = fold_words(&query.text);
        let mut query_words: Vec<&str> = tokens(&phrase).map(|t| t.text).collect();
        query_words.sort_unstable();
        query_words.dedup();
        query_words.truncate(MAX_QUERY_WORDS);
        if query_words.is_empty() {
            return (0..count as u32).filter(|&d| passes(d)).collect();
        }
        // Per document: the score so far, how many words it matched, and the
        // current word's best match.
        let mut score = vec![0u32; count];
        let mut matched = vec![0u8; count];
        let mut best = vec![0u16; count];
        let mut touched: Vec<u32> = Vec::new();
        for (i, word) in query_words.iter().enumerate() {
            touched.clear();
            let start = self.terms.partition_point(|t| **t < **word);
            for (term, postings) in self.terms[start..].iter().zip(&self.postings[start..]) {
                if !term.starts_with(word) {
                    break;
                }
                let exact = term.len() == word.len();
                for &posting in postings.iter() {
                    let doc = (posting >> 3) as usize;
                    if matched[doc] as usize != i {
                        continue;
                    }
                    let (whole, prefix) = WEIGHTS[(posting & 7) as usize];
                    let weight = if exact { whole } else { prefix };
                    if best[doc] == 0 {
                        touched.push(doc as u32);
                    }
                    best[doc] = best[doc].max(weight);
                }
            }
            for &doc in &touched {
                let d = doc as usize;
                score[d] += u32::from(best[d]);
                best[d] = 0;
                matched[d] += 1;
            }
            if touched.is_empty() {
                return Vec::new();
            }
        }
        // The last word's documents matched every word; in document order.
        let mut found = touched;
        if found.len() * 16 < count {
            found.sort_unstable();
            found.retain(|&d| passes(d));
        } else {
            let all = query_words.len() as u8;
            found = (0..count as u32)
                .filter(|&d| matched[d as usize] == all && passes(d))
                .collect();
        }
        if query.sort == SortOrder::Name {
            return found;
        }
        for &doc in &found {
            if self.folded_names[doc as usize].starts_with(&phrase) {
                score[doc as usize] += NAME_PREFIX_BONUS;
            }
        }
        // Scores are small integers: a stable counting sort keeps name order
        // within a score, in linear time.
        let top = found.iter().map(|&d| score[d as usize]).max().unwrap_or(0) as usize;
        let mut starts = vec![0usize; top + 2];
        for &doc in &found {
            starts[top - score[doc as usize] as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut ranked = vec![0u32; found.len()];
        for &doc in &found {
            let slot = &mut starts[top - score[doc as usize] as usize];
            ranked[*slot] = doc;
            *slot += 1;
        }
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Provider;

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
            .map(|d| index.listing(d).id.clone())
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
            .map(|d| index.listing(d).name.clone())
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
            .map(|d| index.listing(d).id.clone())
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
        let products: Vec<&str> = index.values(Facet::Products, &listing.products).collect();
        assert_eq!(
            products,
            ["Dynamics 365", "Azure"],
            "as the provider lists them"
        );
        let served: Vec<&str> = index
            .values(Facet::Countries, &listing.countries_served)
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
}
