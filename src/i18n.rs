//! The app's side of the message catalog: the current locale as a signal,
//! so switching language re-renders text and keeps every answer.

use enroll_core::{Catalog, Locale};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    pub fn new(locale: Locale) -> Self {
        Self {
            locale: RwSignal::new(locale),
        }
    }

    /// The text of a key in the current locale (tracked: call it inside a
    /// reactive closure to follow language changes).
    pub fn t(&self, key: &str) -> String {
        Catalog::get(self.locale.get()).text(key)
    }

    /// Like `t`, with `{name}` parameters filled in.
    pub fn tf(&self, key: &str, params: &[(&str, &str)]) -> String {
        Catalog::get(self.locale.get()).format(key, params)
    }
}

/// The catalog provided by `App`.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A country's name in the locale, from the browser's `Intl.DisplayNames`
/// (no country list in the wasm); the code itself where that is missing.
pub fn country_name(code: &str, locale: Locale) -> String {
    use wasm_bindgen::{JsCast, JsValue};
    let name = (|| {
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let constructor: js_sys::Function = js_sys::Reflect::get(&intl, &"DisplayNames".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"type".into(), &"region".into()).ok()?;
        let locales = js_sys::Array::of1(&JsValue::from_str(locale.tag()));
        let names =
            js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&locales, &options))
                .ok()?;
        let of: js_sys::Function = js_sys::Reflect::get(&names, &"of".into())
            .ok()?
            .dyn_into()
            .ok()?;
        of.call1(&names, &JsValue::from_str(code)).ok()?.as_string()
    })();
    name.unwrap_or_else(|| code.to_owned())
}
