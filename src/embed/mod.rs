//! Everything that touches the host page: reading its configuration from
//! data-* attributes, the shadow root the app lives in, and the events the
//! app sends to the host. Nothing else in the app reaches outside its root.

use enroll_core::Locale;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CssStyleSheet, CustomEvent, CustomEventInit, Element, HtmlElement, ShadowRootInit,
    ShadowRootMode,
};

use crate::App;

/// The attribute that marks an element as a place for the app.
pub const HOST_SELECTOR: &str = "[data-csp-enroll]";

/// The app's stylesheet, adopted by its shadow root: host CSS cannot reach
/// in, the app's cannot leak out, and CSP's style-src does not govern
/// constructed stylesheets (so no 'unsafe-inline').
const APP_CSS: &str = include_str!("../style/app.css");

/// What the host page configures through data-* attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostConfig {
    /// `data-api-base`: origin that `/api/v1/...` is appended to; empty
    /// means the page's own origin.
    pub api_base: String,
    /// `data-locale`, else the browser's language, else en-US.
    pub locale: Locale,
    /// `data-owns-page`: the app is the page (it may set the title).
    pub owns_page: bool,
    /// `data-view`: what the app shows.
    pub view: HostView,
    /// `data-finder-in-browser-limit`: the largest directory the finder
    /// downloads and searches in the browser (default
    /// `finder::IN_BROWSER_LIMIT`); a host whose users have fast
    /// connections may raise it.
    pub finder_in_browser_limit: usize,
    /// A resume link's `#resume=<id>.<token>`, when the page was opened
    /// from one.
    pub resume: Option<(String, String)>,
    /// The page's address without its fragment: where resume links point.
    pub page_url: String,
}

/// What the host page asks the app to be.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HostView {
    /// The enrollment wizard (no `data-view`).
    #[default]
    Wizard,
    /// `data-view="finder"`: the provider finder on its own.
    Finder,
}

/// `#resume=<id>.<token>` → (id, token).
pub fn parse_resume_fragment(hash: &str) -> Option<(String, String)> {
    let value = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("resume="))?;
    let (id, token) = value.split_once('.')?;
    let ok = |s: &str| !s.is_empty() && s.len() <= 128 && s.chars().all(|c| c.is_ascii_hexdigit());
    (ok(id) && ok(token)).then(|| (id.to_owned(), token.to_owned()))
}

impl HostConfig {
    /// Reads the configuration through `attribute` (the host element's
    /// `getAttribute`), falling back to the browser's language.
    pub fn read(
        attribute: impl Fn(&str) -> Option<String>,
        browser_language: Option<String>,
    ) -> Self {
        Self::read_with_location(attribute, browser_language, "", "")
    }

    /// Like `read`, with the page's address split into URL and fragment.
    pub fn read_with_location(
        attribute: impl Fn(&str) -> Option<String>,
        browser_language: Option<String>,
        page_url: &str,
        hash: &str,
    ) -> Self {
        let locale = attribute("data-locale")
            .and_then(|tag| Locale::from_tag(&tag))
            .or_else(|| browser_language.as_deref().and_then(Locale::from_tag))
            .unwrap_or_default();
        Self {
            api_base: attribute("data-api-base")
                .unwrap_or_default()
                .trim()
                .to_owned(),
            locale,
            owns_page: attribute("data-owns-page").is_some(),
            finder_in_browser_limit: attribute("data-finder-in-browser-limit")
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(crate::finder::IN_BROWSER_LIMIT),
            view: match attribute("data-view").as_deref().map(str::trim) {
                Some("finder") => HostView::Finder,
                _ => HostView::Wizard,
            },
            resume: parse_resume_fragment(hash),
            page_url: page_url.split('#').next().unwrap_or_default().to_owned(),
        }
    }

    pub fn from_element(host: &Element) -> Self {
        let window = web_sys::window();
        let browser_language = window.as_ref().and_then(|w| w.navigator().language());
        let location = window.map(|w| w.location());
        let href = location
            .as_ref()
            .and_then(|l| l.href().ok())
            .unwrap_or_default();
        let hash = location.and_then(|l| l.hash().ok()).unwrap_or_default();
        Self::read_with_location(
            |name| host.get_attribute(name),
            browser_language,
            &href,
            &hash,
        )
    }
}

/// Mounts the app on every host element of the page that has none yet.
pub fn mount_all() {
    console_error_panic_hook::set_once();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(hosts) = document.query_selector_all(HOST_SELECTOR) else {
        return;
    };
    for index in 0..hosts.length() {
        if let Some(host) = hosts
            .item(index)
            .and_then(|node| node.dyn_into::<HtmlElement>().ok())
        {
            if let Err(err) = mount(&host) {
                web_sys::console::error_2(&"csp-enroll: cannot mount".into(), &err);
            }
        }
    }
}

/// Mounts the app in an open shadow root of `host`. A host that already
/// carries the app is left alone, so calling this twice is harmless.
pub fn mount(host: &HtmlElement) -> Result<(), JsValue> {
    if host.has_attribute("data-csp-mounted") {
        return Ok(());
    }
    let config = HostConfig::from_element(host);
    let shadow = match host.shadow_root() {
        Some(existing) => existing,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(APP_CSS)?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));

    let document = host
        .owner_document()
        .ok_or("host element has no document")?;
    let container: HtmlElement = document.create_element("div")?.dyn_into()?;
    container.set_class_name("csp-root");
    shadow.append_child(&container)?;
    host.set_attribute("data-csp-mounted", "")?;
    // For the host page's (and our tests') performance timeline.
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("csp-enroll:mounted");
    }

    let events = HostEvents { host: host.clone() };
    // The program settings boot.js may have asked for already.
    let early = js_sys::Reflect::get(host, &JsValue::from_str("cspProgram"))
        .ok()
        .and_then(|value| value.dyn_into::<js_sys::Promise>().ok());
    leptos::mount::mount_to(
        container,
        move || view! { <App config=config.clone() events=events.clone() early_program=early.clone()/> },
    )
    .forget();
    Ok(())
}

/// Tells the host page what happens, through DOM CustomEvents on the host
/// element (`csp-enroll:<name>`), which bubble out of the shadow root.
#[derive(Clone, Debug)]
pub struct HostEvents {
    host: HtmlElement,
}

impl HostEvents {
    pub fn emit(&self, name: &str, detail: &JsValue) {
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(detail);
        if let Ok(event) =
            CustomEvent::new_with_event_init_dict(&format!("csp-enroll:{name}"), &init)
        {
            // A host listener that throws must not break the app.
            let _ = self.host.dispatch_event(&event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn data_locale_wins_over_the_browser_language() {
        let config = HostConfig::read(attrs(&[("data-locale", "zh-CN")]), Some("en-GB".into()));
        assert_eq!(config.locale, Locale::ZhCn);
    }

    #[test]
    fn the_browser_language_is_used_when_the_host_says_nothing() {
        assert_eq!(
            HostConfig::read(attrs(&[]), Some("zh-TW".into())).locale,
            Locale::ZhCn
        );
        assert_eq!(
            HostConfig::read(attrs(&[]), Some("fr".into())).locale,
            Locale::EnUs
        );
        assert_eq!(
            HostConfig::read(attrs(&[("data-locale", "xx")]), None).locale,
            Locale::EnUs
        );
    }

    #[test]
    fn a_resume_fragment_gives_the_draft_and_its_token() {
        assert_eq!(
            parse_resume_fragment("#resume=abc123.def456"),
            Some(("abc123".to_owned(), "def456".to_owned()))
        );
        assert_eq!(
            parse_resume_fragment("#other=1&resume=ab.cd"),
            Some(("ab".into(), "cd".into()))
        );
        for bad in [
            "",
            "#resume=",
            "#resume=abc",
            "#resume=a.b<script>",
            "#resume=.x",
        ] {
            assert_eq!(parse_resume_fragment(bad), None, "{bad}");
        }
        let config = HostConfig::read_with_location(
            attrs(&[]),
            None,
            "https://partner.example/join#resume=a.b",
            "#resume=a.b",
        );
        assert_eq!(config.page_url, "https://partner.example/join");
    }

    #[test]
    fn an_absent_api_base_means_the_same_origin() {
        assert_eq!(HostConfig::read(attrs(&[]), None).api_base, "");
        let config = HostConfig::read(attrs(&[("data-api-base", " https://api.example ")]), None);
        assert_eq!(config.api_base, "https://api.example");
    }
}
