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
