//! The search index: a sorted term list with posting lists, so a prefix is a
//! binary search plus a contiguous run of terms, and bitsets for filters.
//! A product, service or city term is posted once for the value; its
//! providers come from the facet's bitset or the city's document list.
//!
//! Latin-script words are matched by prefix ("mul" finds Müller). A CJK run
//! (Chinese and Japanese names have no spaces) is indexed by every suffix,
//! so a prefix of a suffix is any fragment: "科技" finds 北京云数据科技有限公司.
//!
//! Ranking: each query word scores its best match in the provider: where
//! (name start > name > city > product > service) and how well (a whole
//! word beats a prefix); the words' scores add up, a name that starts with
//! the whole query gets a bonus, and ties go to name order.

use serde::{Deserialize, Serialize};

use super::compact::{span, CompactDirectory, Facets, Listing};
use super::fold::{fold_words, fold_words_into, tokens};

mod terms;
use terms::{FastMap, Terms};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Where a term occurs, strongest first; stored in a posting's low 3 bits.
#[derive(Clone, Copy)]
enum Field {
    NameStart = 0,
    Name = 1,
    City = 2,
    Product = 3,
    Service = 4,
}

const CITY: u32 = Field::City as u32;
const PRODUCT: u32 = Field::Product as u32;
const SERVICE: u32 = Field::Service as u32;

/// Calls `visit` with each document in the bitset.
fn each_doc(set: &[u64], mut visit: impl FnMut(u32)) {
    for (at, &word) in set.iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            visit(at as u32 * 64 + rest.trailing_zeros());
            rest &= rest - 1;
        }
    }
}

/// (whole word, prefix) score per `Field`.
const WEIGHTS: [(u16, u16); 5] = [(100, 70), (60, 40), (50, 30), (30, 20), (20, 12)];
/// For a name that starts with the whole query ("contoso clo").
const NAME_PREFIX_BONUS: u32 = 40;
/// Words beyond this are ignored: a search box, not a document.
const MAX_QUERY_WORDS: usize = 8;

/// Which list of `Facets` a filter or a listing's positions refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    Countries,
    Products,
    Languages,
    Services,
}

pub struct ProviderIndex {
    directory: CompactDirectory,
    /// Document → place in `directory`. Documents are in name order, so a
    /// document's number is its rank by name.
    order: Vec<u32>,
    /// Each document's name, folded, words joined by one space; one after
    /// another in name order, with their ends.
    names: String,
    name_ends: Vec<u32>,
    /// The terms, sorted (so the terms with a prefix are one run), one
    /// after another, with their ends.
    terms: String,
    term_ends: Vec<u32>,
    /// Per term, `id << 3 | field`, term after term: `id` is a document
    /// for a name, a city for `Field::City`, a product or service (its
    /// position in the facets) for those.
    postings: Vec<u32>,
    posting_ends: Vec<u32>,
    /// Each city's documents, city after city, with their ends.
    city_docs: Vec<u32>,
    city_ends: Vec<u32>,
    /// Per facet and value, the documents that have it (64 per word).
    bits: [Vec<Vec<u64>>; 4],
}

/// Sorts `order` by `name`, ties by number. Compares eight bytes at a time
/// as one integer, then sorts the runs that share those bytes by the next
/// eight: in wasm a string comparison is a loop over bytes, and sorting
/// 100,000 names that way was a third of the build.
fn sort_by_name<'a>(order: &mut [u32], name: &dyn Fn(u32) -> &'a [u8]) {
    fn chunk(name: &[u8], depth: usize) -> u64 {
        let mut bytes = [0u8; 8];
        if let Some(rest) = name.get(depth..) {
            let n = rest.len().min(8);
            bytes[..n].copy_from_slice(&rest[..n]);
        }
        // Folded names hold no NUL, so a name that ends sorts first.
        u64::from_be_bytes(bytes)
    }
    fn by_chunk<'a>(order: &mut [u32], name: &dyn Fn(u32) -> &'a [u8], depth: usize) {
        let mut keys: Vec<(u64, u32)> = order
            .iter()
            .map(|&at| (chunk(name(at), depth), at))
            .collect();
        keys.sort_unstable();
        let mut runs = Vec::new();
        let mut start = 0;
        for (i, &(key, at)) in keys.iter().enumerate() {
            order[i] = at;
            if i + 1 == keys.len() || keys[i + 1].0 != key {
                if i > start {
                    runs.push(start..i + 1);
                }
                start = i + 1;
            }
        }
        drop(keys);
        for run in runs {
            let run = &mut order[run];
            if run.iter().any(|&at| name(at).len() > depth + 8) {
                by_chunk(run, name, depth + 8);
            }
        }
    }
    by_chunk(order, name, 0);
}

/// The `i`th of the strings laid end to end in `text`.
fn nth<'a>(text: &'a str, ends: &[u32], i: usize) -> &'a str {
    &text[span(ends, i)]
}

/// `(group, value)` pairs gathered by group: every value, group after group
/// (within a group in the pairs' order), and where each group ends. A
/// counting sort: linear, and three vectors however many groups there are.
fn gather(groups: usize, pairs: impl Iterator<Item = (u32, u32)> + Clone) -> (Vec<u32>, Vec<u32>) {
    let mut ends = vec![0u32; groups];
    for (group, _) in pairs.clone() {
        ends[group as usize] += 1;
    }
    let mut next = Vec::with_capacity(groups);
    let mut total = 0;
    for end in ends.iter_mut() {
        next.push(total);
        total += *end;
        *end = total;
    }
    let mut values = vec![0u32; total as usize];
    for (group, value) in pairs {
        let at = &mut next[group as usize];
        values[*at as usize] = value;
        *at += 1;
    }
    (values, ends)
}

impl ProviderIndex {
    pub fn new(directory: CompactDirectory) -> Self {
        let count = directory.len();
        let mut folded = String::with_capacity(count * 24);
        let mut folded_ends = Vec::with_capacity(count);
        for listing in directory.iter() {
            fold_words_into(listing.name, &mut folded);
            folded_ends.push(folded.len() as u32);
        }
        // Name order; ties keep the directory's order (the API's is by id).
        let mut order: Vec<u32> = (0..count as u32).collect();
        sort_by_name(&mut order, &|at| {
            nth(&folded, &folded_ends, at as usize).as_bytes()
        });
        let facets = &directory.facets;
        let mut terms = Terms::new();
        // Products, services and cities repeat across providers: their terms
        // are posted once, for the value; search finds the providers that
        // have a value through `bits` (products, services) or `city_docs`.
        for (value, product) in facets.products.iter().enumerate() {
            let found = terms.of(product, Field::Product, Field::Product);
            terms.post(&found, value as u32);
        }
        for (value, service) in facets.services.iter().enumerate() {
            let found = terms.of(service, Field::Service, Field::Service);
            terms.post(&found, value as u32);
        }
        let words_per_doc = count.div_ceil(64);
        let mut bits = [
            vec![vec![0u64; words_per_doc]; facets.countries.len()],
            vec![vec![0u64; words_per_doc]; facets.products.len()],
            vec![vec![0u64; words_per_doc]; facets.languages.len()],
            vec![vec![0u64; words_per_doc]; facets.services.len()],
        ];
        let mut city_ids: FastMap<&str, u32> = FastMap::default();
        let mut doc_cities = vec![0u32; count];
        let mut name_terms = Vec::new();
        // In directory order, not name order: reading the directory from
        // start to end rather than all over memory halved this loop.
        let mut docs = vec![0u32; count];
        for (doc, &source) in order.iter().enumerate() {
            docs[source as usize] = doc as u32;
        }
        for (listing, (name, &doc)) in directory.iter().zip(
            (0..count)
                .map(|source| nth(&folded, &folded_ends, source))
                .zip(&docs),
        ) {
            terms.of_folded(name, Field::NameStart, Field::Name, &mut name_terms);
            terms.post(&name_terms, doc);
            let next_city = city_ids.len() as u32;
            let city = *city_ids.entry(listing.city).or_insert_with(|| {
                let found = terms.of(listing.city, Field::City, Field::City);
                terms.post(&found, next_city);
                next_city
            });
            doc_cities[doc as usize] = city;
            let lists = [
                listing.countries_served,
                listing.products,
                listing.languages,
                listing.services,
            ];
            for (facet, values) in lists.into_iter().enumerate() {
                for &v in values {
                    if let Some(set) = bits[facet].get_mut(v as usize) {
                        set[doc as usize / 64] |= 1 << (doc % 64);
                    }
                }
            }
        }
        // Each city's documents, in document order, city after city.
        let (city_docs, city_ends) = gather(
            city_ids.len(),
            doc_cities
                .iter()
                .enumerate()
                .map(|(doc, &city)| (city, doc as u32)),
        );
        drop(city_ids);
        let (terms, term_ends, postings, posting_ends) = terms.finish();
        // The folded names again, in name order: ranking reads them for
        // many documents in that order, and reading them all over memory
        // made a one-letter search twice as slow.
        let mut names = String::with_capacity(folded.len());
        let mut name_ends = Vec::with_capacity(count);
        for &source in &order {
            names.push_str(nth(&folded, &folded_ends, source as usize));
            name_ends.push(names.len() as u32);
        }
        drop(folded);
        Self {
            directory,
            order,
            names,
            name_ends,
            terms,
            term_ends,
            postings,
            posting_ends,
            city_docs,
            city_ends,
            bits,
        }
    }

    fn term(&self, i: usize) -> &str {
        nth(&self.terms, &self.term_ends, i)
    }

    fn city_docs_of(&self, city: u32) -> &[u32] {
        &self.city_docs[span(&self.city_ends, city as usize)]
    }

    fn postings_of(&self, i: usize) -> &[u32] {
        &self.postings[span(&self.posting_ends, i)]
    }

    /// The first term not below `word`: the start of the run of terms that
    /// begin with it.
    fn first_term_from(&self, word: &str) -> usize {
        let (mut low, mut high) = (0, self.term_ends.len());
        while low < high {
            let middle = (low + high) / 2;
            if self.term(middle) < word {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn facets(&self) -> &Facets {
        &self.directory.facets
    }

    /// The provider that is document `doc` (its `source` is its place in
    /// the directory the index was built from).
    pub fn listing(&self, doc: u32) -> Listing<'_> {
        self.directory.get(self.order[doc as usize])
    }

    /// Where document `doc` is in the directory the index was built from
    /// (`listing(doc).source`, without reading the listing).
    pub fn source(&self, doc: u32) -> u32 {
        self.order[doc as usize]
    }

    /// The document of the provider with this id.
    pub fn position(&self, id: &str) -> Option<u32> {
        (0..self.len() as u32).find(|&doc| self.listing(doc).id == id)
    }

    fn facet_list(&self, facet: Facet) -> &[String] {
        match facet {
            Facet::Countries => &self.directory.facets.countries,
            Facet::Products => &self.directory.facets.products,
            Facet::Languages => &self.directory.facets.languages,
            Facet::Services => &self.directory.facets.services,
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
            let mut these = vec![0u64; self.len().div_ceil(64)];
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
        let count = self.len();
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
            for t in self.first_term_from(word)..self.term_ends.len() {
                let term = self.term(t);
                if !term.starts_with(word) {
                    break;
                }
                let exact = term.len() == word.len();
                for &posting in self.postings_of(t) {
                    let (whole, prefix) = WEIGHTS[(posting & 7) as usize];
                    let weight = if exact { whole } else { prefix };
                    let mut visit = |doc: u32| {
                        let d = doc as usize;
                        if matched[d] as usize == i {
                            if best[d] == 0 {
                                touched.push(doc);
                            }
                            best[d] = best[d].max(weight);
                        }
                    };
                    let id = posting >> 3;
                    match posting & 7 {
                        CITY => self.city_docs_of(id).iter().for_each(|&d| visit(d)),
                        PRODUCT => {
                            each_doc(&self.bits[Facet::Products as usize][id as usize], visit)
                        }
                        SERVICE => {
                            each_doc(&self.bits[Facet::Services as usize][id as usize], visit)
                        }
                        _ => visit(id),
                    }
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
            if nth(&self.names, &self.name_ends, doc as usize).starts_with(&phrase) {
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
mod tests;
