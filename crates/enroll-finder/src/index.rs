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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::compact::{span, CompactDirectory, Facets, Listing};
use super::fold::{fold_words, fold_words_into, is_cjk, tokens};

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

/// Collects terms and their postings while the index is built: the terms'
/// text in one string, found again through an open-addressing table, and
/// every posting as (term, posting), gathered by term into one array at the
/// end. A few large vectors instead of a `String` and a `Vec` per term:
/// allocation was most of the build time in the browser.
struct Terms {
    text: String,
    ends: Vec<u32>,
    /// Term id + 1 per slot (0: empty); a power of two long.
    slots: Vec<u32>,
    /// (term, `id << 3 | field`), in the order they were posted.
    posted: Vec<(u32, u32)>,
}

impl Terms {
    fn new() -> Self {
        Self {
            text: String::new(),
            ends: Vec::new(),
            slots: vec![0; 1 << 12],
            posted: Vec::new(),
        }
    }

    fn text(&self, id: u32) -> &str {
        nth(&self.text, &self.ends, id as usize)
    }

    fn hash(term: &str) -> usize {
        let mut hasher = FxHasher::default();
        hasher.write(term.as_bytes());
        hasher.finish() as usize
    }

    fn id(&mut self, term: &str) -> u32 {
        let mask = self.slots.len() - 1;
        let mut slot = Self::hash(term) & mask;
        loop {
            match self.slots[slot] {
                0 => break,
                taken if self.text(taken - 1) == term => return taken - 1,
                _ => slot = (slot + 1) & mask,
            }
        }
        let id = self.ends.len() as u32;
        self.text.push_str(term);
        self.ends.push(self.text.len() as u32);
        self.slots[slot] = id + 1;
        // At most half full, so probes stay short.
        if self.ends.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        let mut slots = vec![0u32; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for id in 0..self.ends.len() as u32 {
            let mut slot = Self::hash(self.text(id)) & mask;
            while slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id + 1;
        }
        self.slots = slots;
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

    /// Posts `terms` for `id`: a document, or a city, product or service
    /// (see `ProviderIndex::postings`).
    fn post(&mut self, terms: &[(u32, Field)], id: u32) {
        for &(term, field) in terms {
            self.posted.push((term, id << 3 | field as u32));
        }
    }

    /// The terms in sorted order, one after another with their ends, and
    /// their postings likewise.
    fn finish(self) -> (String, Vec<u32>, Vec<u32>, Vec<u32>) {
        let mut sorted: Vec<u32> = (0..self.ends.len() as u32).collect();
        sorted.sort_unstable_by(|&a, &b| self.text(a).cmp(self.text(b)));
        let mut text = String::with_capacity(self.text.len());
        let mut ends = Vec::with_capacity(sorted.len());
        // Each term's place in sorted order, by term id.
        let mut rank = vec![0u32; sorted.len()];
        for (place, &id) in sorted.iter().enumerate() {
            text.push_str(self.text(id));
            ends.push(text.len() as u32);
            rank[id as usize] = place as u32;
        }
        let ranked = self
            .posted
            .iter()
            .map(|&(term, posting)| (rank[term as usize], posting));
        let (postings, posting_ends) = gather(sorted.len(), ranked);
        (text, ends, postings, posting_ends)
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
mod tests {
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
}
