//! enroll-finder's provider index, exported to JavaScript so the finder bench
//! can time it beside JavaScript search libraries in the same page. The app
//! itself does not use this crate.

use enroll_finder::{CompactDirectory, FinderQuery, ProviderIndex};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Finder {
    index: ProviderIndex,
    parse_ms: f64,
}

#[wasm_bindgen]
impl Finder {
    /// Builds the index from the text of `GET /providers/index`.
    #[wasm_bindgen(constructor)]
    pub fn new(json: &str) -> Result<Finder, JsError> {
        let started = js_sys::Date::now();
        let compact = CompactDirectory::from_json(json)?;
        let parse_ms = js_sys::Date::now() - started;
        Ok(Finder {
            index: ProviderIndex::new(compact),
            parse_ms,
        })
    }

    /// How long reading the JSON took, of the whole build (1 ms steps).
    #[wasm_bindgen(getter)]
    pub fn parse_ms(&self) -> f64 {
        self.parse_ms
    }

    /// Every match for `text`, best first, as positions in the directory.
    pub fn search(&self, text: &str) -> Vec<u32> {
        let query = FinderQuery {
            text: text.to_owned(),
            ..FinderQuery::default()
        };
        self.index
            .search(&query)
            .into_iter()
            .map(|doc| self.index.source(doc))
            .collect()
    }
}
