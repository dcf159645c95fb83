//! The directory in the compact form `GET /providers/index` serves: what the
//! finder searches and lists, without contact details, with each country,
//! product, language and service named once and referred to by position.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use enroll_core::Provider;

/// The values the directory's providers have, sorted: the filters' options.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Where the `i`th item lies when items are laid end to end and `ends`
/// holds where each one ends: the layout of every list in the directory
/// and the index.
pub(crate) fn span(ends: &[u32], i: usize) -> Range<usize> {
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    start..ends[i] as usize
}

/// One provider as the compact directory holds it, borrowed from it: the
/// four lists are positions in the directory's `Facets`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listing<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub city: &'a str,
    pub countries_served: &'a [u16],
    pub products: &'a [u16],
    pub languages: &'a [u16],
    pub services: &'a [u16],
    /// Where it is in the directory it came from.
    pub source: u32,
}

/// The directory: in JSON, `{countries, products, languages, services,
/// items}` where each item is `[id, name, country, city, served, products,
/// languages, services]`, the last four as positions in the `Facets` lists
/// (an array rather than an object: at 100,000 providers the field names
/// alone would be megabytes).
///
/// In memory it is columns: every provider's text in one string and every
/// position in one vector. Reading 100,000 providers makes a few dozen
/// allocations rather than 800,000, which is most of what loading the
/// finder costs in the browser.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompactDirectory {
    pub facets: Facets,
    /// Each provider's id, name, country and city, one after another.
    text: String,
    /// Where each of those ends in `text`: four per provider.
    text_ends: Vec<u32>,
    /// Each provider's served countries, products, languages and services.
    positions: Vec<u16>,
    /// Where each of those lists ends in `positions`: four per provider.
    position_ends: Vec<u32>,
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
        let mut directory = Self::default();
        for p in providers {
            for text in [&p.id, &p.name, &p.country, &p.city] {
                directory.push_text(text);
            }
            for (list, wanted) in [
                (&facets.countries, &p.countries_served),
                (&facets.products, &p.products),
                (&facets.languages, &p.languages),
                (&facets.services, &p.services),
            ] {
                directory.push_positions(&positions(list, wanted));
            }
        }
        directory.facets = facets;
        directory
    }

    pub fn len(&self) -> usize {
        self.text_ends.len() / 4
    }

    pub fn is_empty(&self) -> bool {
        self.text_ends.is_empty()
    }

    /// The provider at `at`, which must be below `len()`.
    pub fn get(&self, at: u32) -> Listing<'_> {
        let i = at as usize * 4;
        let text = |k: usize| &self.text[span(&self.text_ends, i + k)];
        let list = |k: usize| &self.positions[span(&self.position_ends, i + k)];
        Listing {
            id: text(0),
            name: text(1),
            country: text(2),
            city: text(3),
            countries_served: list(0),
            products: list(1),
            languages: list(2),
            services: list(3),
            source: at,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Listing<'_>> {
        (0..self.len() as u32).map(|at| self.get(at))
    }

    fn push_text(&mut self, text: &str) {
        self.text.push_str(text);
        self.text_ends.push(self.text.len() as u32);
    }

    fn push_positions(&mut self, positions: &[u16]) {
        self.positions.extend_from_slice(positions);
        self.position_ends.push(self.positions.len() as u32);
    }
}

impl CompactDirectory {
    /// Reads the JSON of `GET /providers/index`. What the API writes (no
    /// escapes, no unknown keys) is read by a scanner made for it, three
    /// times faster than serde in the browser; anything else goes through
    /// serde, which also gives the error.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        match Scanner::new(json).directory() {
            Some(directory) => Ok(directory),
            None => serde_json::from_str(json),
        }
    }
}

/// A reader for exactly the compact directory as the API writes it; `None`
/// as soon as anything differs (an escape, an unknown key, bad syntax).
struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
        bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// After a list's opening bracket: true while another element follows.
    fn more(&mut self, close: u8, first: &mut bool) -> Option<bool> {
        if self.peek()? == close {
            self.at += 1;
            return Some(false);
        }
        if !std::mem::take(first) {
            self.eat(b',')?;
        }
        Some(true)
    }

    /// A string without escapes, borrowed from the text.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let rest = &self.text.as_bytes()[self.at..];
        let length = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest[length] != b'"' {
            return None;
        }
        // Both ends are ASCII bytes of a `str`: character boundaries.
        let found = &self.text[self.at..self.at + length];
        self.at += length + 1;
        Some(found)
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        self.eat(b'[')?;
        let (mut list, mut first) = (Vec::new(), true);
        while self.more(b']', &mut first)? {
            list.push(self.string()?.to_owned());
        }
        Some(list)
    }

    fn positions(&mut self, into: &mut Vec<u16>) -> Option<()> {
        self.eat(b'[')?;
        let mut first = true;
        while self.more(b']', &mut first)? {
            self.peek()?;
            let bytes = self.text.as_bytes();
            let digits = bytes[self.at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 || digits > 5 || (digits > 1 && bytes[self.at] == b'0') {
                return None;
            }
            let value = bytes[self.at..self.at + digits]
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
            into.push(u16::try_from(value).ok()?);
            self.at += digits;
        }
        Some(())
    }

    fn directory(mut self) -> Option<CompactDirectory> {
        let mut directory = CompactDirectory::default();
        self.eat(b'{')?;
        let mut first = true;
        while self.more(b'}', &mut first)? {
            let key = self.string()?;
            self.eat(b':')?;
            match key {
                "countries" => directory.facets.countries = self.strings()?,
                "products" => directory.facets.products = self.strings()?,
                "languages" => directory.facets.languages = self.strings()?,
                "services" => directory.facets.services = self.strings()?,
                "items" => self.items(&mut directory)?,
                _ => return None,
            }
        }
        (self.peek().is_none()).then_some(directory)
    }

    fn items(&mut self, directory: &mut CompactDirectory) -> Option<()> {
        self.eat(b'[')?;
        let mut first = true;
        while self.more(b']', &mut first)? {
            self.eat(b'[')?;
            for field in 0..8 {
                if field > 0 {
                    self.eat(b',')?;
                }
                if field < 4 {
                    let text = self.string()?;
                    directory.push_text(text);
                } else {
                    self.positions(&mut directory.positions)?;
                    directory
                        .position_ends
                        .push(directory.positions.len() as u32);
                }
            }
            self.eat(b']')?;
        }
        Some(())
    }
}

impl Serialize for CompactDirectory {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Items<'a>(&'a CompactDirectory);
        impl Serialize for Items<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.iter().map(|l| {
                    (
                        l.id,
                        l.name,
                        l.country,
                        l.city,
                        l.countries_served,
                        l.products,
                        l.languages,
                        l.services,
                    )
                }))
            }
        }
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("countries", &self.facets.countries)?;
        map.serialize_entry("products", &self.facets.products)?;
        map.serialize_entry("languages", &self.facets.languages)?;
        map.serialize_entry("services", &self.facets.services)?;
        map.serialize_entry("items", &Items(self))?;
        map.end()
    }
}

/// Reads straight into the columns: each string is appended to `text` as
/// the parser hands it over, without a `String` of its own.
impl<'de> Deserialize<'de> for CompactDirectory {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(DirectoryVisitor)
    }
}

struct DirectoryVisitor;

impl<'de> Visitor<'de> for DirectoryVisitor {
    type Value = CompactDirectory;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the compact provider directory")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut directory = CompactDirectory::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "countries" => directory.facets.countries = map.next_value()?,
                "products" => directory.facets.products = map.next_value()?,
                "languages" => directory.facets.languages = map.next_value()?,
                "services" => directory.facets.services = map.next_value()?,
                "items" => map.next_value_seed(ItemsSeed(&mut directory))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(directory)
    }
}

/// `items`: each appended to the directory's columns.
struct ItemsSeed<'a>(&'a mut CompactDirectory);

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of providers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        if let Some(hint) = items.size_hint() {
            self.0.text_ends.reserve(hint * 4);
            self.0.position_ends.reserve(hint * 4);
        }
        while items.next_element_seed(ItemSeed(self.0))?.is_some() {}
        Ok(())
    }
}

/// One item: four strings, then four position lists.
struct ItemSeed<'a>(&'a mut CompactDirectory);

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("[id, name, country, city, served, products, languages, services]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut item: A) -> Result<(), A::Error> {
        for field in 0..8 {
            let found = if field < 4 {
                item.next_element_seed(TextSeed(self.0))?
            } else {
                item.next_element_seed(PositionsSeed(self.0))?
            };
            if found.is_none() {
                return Err(de::Error::invalid_length(field, &"8 fields"));
            }
        }
        while item.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// A string, appended to `text`.
struct TextSeed<'a>(&'a mut CompactDirectory);

impl<'de> DeserializeSeed<'de> for TextSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for TextSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.0.push_text(text);
        Ok(())
    }
}

/// A list of positions, appended to `positions`.
struct PositionsSeed<'a>(&'a mut CompactDirectory);

impl<'de> DeserializeSeed<'de> for PositionsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for PositionsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of positions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut list: A) -> Result<(), A::Error> {
        while let Some(position) = list.next_element::<u16>()? {
            self.0.positions.push(position);
        }
        self.0.position_ends.push(self.0.positions.len() as u32);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
