//! The app's side of the message catalog: the current locale as a signal,
//! so switching language re-renders text and keeps every answer.

use enroll_core::msg;
use enroll_core::{Catalog, ErrorCode, Locale, MessageKey, PluralKey, ProviderRequest};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

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

    /// The text of a message in the current locale (tracked: call it
    /// inside a reactive closure to follow language changes).
    pub fn t(&self, key: MessageKey) -> String {
        Catalog::get(self.locale.get()).text(key)
    }

    /// A partnership request's status in words, or as the server sent it
    /// when this version does not know it (tracked, like `t`).
    pub fn request_status(&self, request: &ProviderRequest) -> String {
        request
            .status_key()
            .map_or_else(|| request.status.clone(), |key| self.t(key))
    }

    /// The catalog's words for an error code the server sent, if it has
    /// them (tracked, like `t`): a code from a newer server, or one the
    /// account's book words before that book is here, has none.
    pub fn error_words(&self, code: ErrorCode) -> Option<String> {
        Catalog::get(self.locale.get())
            .lookup(&code.message_key())
            .map(str::to_owned)
    }

    /// Items as the locale lists them: "English, German" / "英语、德语",
    /// through the browser's `Intl.ListFormat` (a narrow conjunction: no
    /// "and", which a list of facts does not want).
    pub fn list(&self, items: &[String]) -> String {
        // Browsers before 2021 (Safari 14.0) have no ListFormat; a call
        // would throw and take the page down with it.
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into());
        let has_it =
            intl.is_ok_and(|intl| js_sys::Reflect::has(&intl, &"ListFormat".into()) == Ok(true));
        if !has_it {
            return items.join(", ");
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"type".into(), &"conjunction".into());
        let _ = js_sys::Reflect::set(&options, &"style".into(), &"narrow".into());
        let list: js_sys::Array = items.iter().map(|item| JsValue::from_str(item)).collect();
        js_sys::Intl::ListFormat::new(&self.locales(), &options)
            .format(&list)
            .as_string()
            .unwrap_or_else(|| items.join(", "))
    }

    /// The message for `count` things: `{key}.{category}`, the category
    /// (`one`, `other`, …) chosen by the browser's `Intl.PluralRules` for
    /// the locale, `{key}.other` when the catalog has no such form, with
    /// `{count}` written as the locale writes numbers.
    pub fn plural(&self, key: PluralKey, count: usize) -> String {
        let rules = js_sys::Intl::PluralRules::new(&self.locales(), &js_sys::Object::new());
        let category = String::from(rules.select(count as f64));
        let catalog = Catalog::get(self.locale.get());
        let form = Some(key.form(&category))
            .filter(|form| catalog.lookup(form).is_some())
            .unwrap_or_else(|| key.form("other"));
        catalog.format_of(&form, &[("count", &number(count, self.locale.get()))])
    }

    /// The current locale as `Intl` constructors take it (tracked).
    fn locales(&self) -> js_sys::Array {
        js_sys::Array::of1(&self.locale.get().tag().into())
    }

    /// Where a provider is: "Shanghai, China" / "中国上海".
    pub fn place(&self, city: &str, country: &str) -> String {
        if city.is_empty() {
            return country.to_owned();
        }
        // Chinese runs its own words together ("中国上海") but sets a
        // space between them and other scripts ("瑞典 Stockholm"); CJK
        // starts at U+2E80.
        let key = if city.starts_with(|c: char| c.is_alphabetic() && c < '\u{2E80}') {
            msg::FINDER_PLACE_LATIN
        } else {
            msg::FINDER_PLACE
        };
        self.tf(key, &[("city", city), ("country", country)])
    }

    /// An RFC 3339 timestamp as the locale writes a date ("25 November
    /// 2026" / "2026年11月25日"), with the time of day in the reader's
    /// time zone when `with_time`; through the browser's
    /// `Intl.DateTimeFormat`. What is not a timestamp is shown as given.
    pub fn date(&self, at: &str, with_time: bool) -> String {
        let date = js_sys::Date::new(&JsValue::from_str(at));
        if date.get_time().is_nan() {
            return at.to_owned();
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
        if with_time {
            let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        }
        js_sys::Intl::DateTimeFormat::new(&self.locales(), &options)
            .format()
            .call1(&JsValue::UNDEFINED, &date)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| at.to_owned())
    }

    /// Like `t`, with `{name}` parameters filled in.
    pub fn tf(&self, key: MessageKey, params: &[(&str, &str)]) -> String {
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
    display_name("region", code, locale)
}

/// A language's name in the locale (`zh-CN` → "Chinese (China)"), the same way.
pub fn language_name(tag: &str, locale: Locale) -> String {
    display_name("language", tag, locale)
}

/// `Intl.DisplayNames` of `kind` ("region", "language") for `code`,
/// remembered: the finder asks for the same few hundred names on every
/// keystroke, and constructing `Intl.DisplayNames` was most of its render.
fn display_name(kind: &'static str, code: &str, locale: Locale) -> String {
    use std::cell::RefCell;
    use std::collections::HashMap;
    type ByCode = HashMap<String, String>;
    thread_local! {
        static NAMES: RefCell<HashMap<(&'static str, Locale), ByCode>> = RefCell::default();
    }
    // Looked up by `&str`: no key to allocate when the name is known.
    let known = NAMES.with_borrow(|names| names.get(&(kind, locale))?.get(code).cloned());
    if let Some(name) = known {
        return name;
    }
    let name = look_up_display_name(kind, code, locale);
    NAMES.with_borrow_mut(|names| {
        names
            .entry((kind, locale))
            .or_default()
            .insert(code.to_owned(), name.clone())
    });
    name
}

fn look_up_display_name(kind: &str, code: &str, locale: Locale) -> String {
    use wasm_bindgen::JsCast;
    let name = (|| {
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let constructor: js_sys::Function = js_sys::Reflect::get(&intl, &"DisplayNames".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"type".into(), &kind.into()).ok()?;
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

/// A whole number as the locale writes it (12,345 / 12,345; grouping from
/// the browser's `Intl`).
pub fn number(value: usize, locale: Locale) -> String {
    js_sys::Number::from(value as f64)
        .to_locale_string(locale.tag())
        .as_string()
        .unwrap_or_else(|| value.to_string())
}

/// A part's view once its book of messages (one the first page's download
/// does not carry) is in every locale's catalog, so a language switch
/// finds it too: "Loading" until then, and a retry where it cannot be
/// fetched.
pub fn with_book(
    book: enroll_core::i18n::Book,
    part: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    if Catalog::added(book) {
        return part();
    }
    let i18n = use_i18n();
    let api = expect_context::<crate::api::ApiClient>();
    let name = book.name();
    let messages = LocalResource::new(move || {
        let api = api.clone();
        let locale = i18n.locale.get_untracked();
        async move {
            for (tag, text) in api.messages(name, locale).await? {
                if let Some(locale) = Locale::from_tag(&tag) {
                    // Kept for the page's life: the catalog refers to it.
                    Catalog::add(locale, book, Box::leak(text.into_boxed_str()));
                }
            }
            Ok::<(), crate::api::ApiFailure>(())
        }
    });
    (move || match messages.get() {
        None => view! { <p class="csp-loading" role="status">{move || i18n.t(msg::APP_PART_LOADING)}</p> }.into_any(),
        Some(Ok(())) => part(),
        Some(Err(failure)) => view! {
            <div class="csp-notice csp-notice--problem" role="alert">
                <p>{move || failure.describe(&i18n)}</p>
                <button type="button" class="csp-button csp-button--secondary" on:click=move |_| messages.refetch()>
                    {move || i18n.t(msg::APP_RETRY)}
                </button>
            </div>
        }
        .into_any(),
    })
    .into_any()
}
