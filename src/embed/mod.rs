//! Everything that touches the host page: its configuration (`config`),
//! the shadow root the app lives in, following the element's attributes,
//! and the events the app sends to the host (`events`). Nothing else in
//! the app reaches outside its root.

mod config;
mod events;

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CssStyleSheet, Element, HtmlElement, MutationObserver, MutationObserverInit, ResizeObserver,
    ShadowRootInit, ShadowRootMode,
};

pub use config::{
    parse_locale, parse_resume_fragment, ConfigProblem, HostConfig, Mode, StartAt,
    IN_BROWSER_LIMIT, REMOUNTING_ATTRIBUTES,
};
pub use events::{use_host_events, HostErrorCode, HostEvent, HostEvents};

use crate::App;

/// The elements that carry the app: `<csp-enroll>` (defined by boot.js)
/// and the older `<div data-csp-enroll>`.
pub const HOST_SELECTOR: &str = "csp-enroll, [data-csp-enroll]";

/// The app's stylesheet, adopted by its shadow root: host CSS cannot reach
/// in, the app's cannot leak out, and CSP's style-src does not govern
/// constructed stylesheets (so no 'unsafe-inline').
const APP_CSS: &str = include_str!("../../style/app.css");

impl HostConfig {
    pub fn from_element(host: &Element) -> Self {
        let window = web_sys::window();
        let browser_language = window.as_ref().and_then(|w| w.navigator().language());
        let location = window.map(|w| w.location());
        let href = location
            .as_ref()
            .and_then(|l| l.href().ok())
            .unwrap_or_default();
        let hash = location
            .as_ref()
            .and_then(|l| l.hash().ok())
            .unwrap_or_default();
        let framed_in = framed_in();
        Self::read_with_location(
            |name| host.get_attribute(name),
            browser_language,
            &href,
            &hash,
            framed_in.as_deref(),
        )
    }
}

/// The origin of the page around this one when it is in a frame, as the
/// browser says, not the URL: `location.ancestorOrigins` (Chromium,
/// Safari), else the referrer of the frame's first load. `None` at the top.
fn framed_in() -> Option<String> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    if js_sys::Object::is(&parent, &window) {
        return None;
    }
    let location = window.location();
    let ancestors = js_sys::Reflect::get(&location, &"ancestorOrigins".into()).ok();
    let nearest = ancestors
        .filter(|list| !list.is_undefined())
        .and_then(|list| js_sys::Reflect::get(&list, &0.into()).ok())
        .and_then(|origin| origin.as_string());
    nearest.or_else(|| {
        let referrer = window.document()?.referrer();
        let url = web_sys::Url::new(&referrer).ok()?;
        Some(url.origin())
    })
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

/// Mounts the app in an open shadow root of `host`, and follows the
/// element's attributes from then on. A host that already carries the app
/// is left alone, so calling this twice is harmless; one in iframe mode is
/// boot.js's (it draws the iframe).
#[wasm_bindgen(js_name = mount)]
pub fn mount(host: &HtmlElement) -> Result<(), JsValue> {
    if host.has_attribute("data-csp-mounted") {
        return Ok(());
    }
    let config = HostConfig::from_element(host);
    if config.mode == Mode::Iframe {
        return Ok(());
    }
    let framed = config.framed_by.is_some();
    let shadow = match host.shadow_root() {
        Some(existing) => existing,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(APP_CSS)?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    host.set_attribute("data-csp-mounted", "")?;
    // For the host page's (and our tests') performance timeline.
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("csp-enroll:mounted");
    }

    let running = Rc::new(RefCell::new(Some(Running::start(host, &shadow, config)?)));
    // A new language is switched to in place, keeping every answer; any
    // other setting mounts the app again with it.
    let follow = {
        let host = host.clone();
        let running = running.clone();
        move |records: js_sys::Array, _: MutationObserver| {
            let changed: Vec<String> = records
                .iter()
                .filter_map(|r| r.dyn_into::<web_sys::MutationRecord>().ok())
                .filter_map(|r| r.attribute_name())
                .collect();
            if changed
                .iter()
                .any(|name| REMOUNTING_ATTRIBUTES.contains(&name.as_str()))
            {
                running.borrow_mut().take();
                let config = HostConfig::from_element(&host);
                // In iframe mode now: boot.js draws the iframe instead.
                if config.mode == Mode::Iframe {
                    return;
                }
                if let Some(shadow) = host.shadow_root() {
                    match Running::start(&host, &shadow, config) {
                        Ok(app) => *running.borrow_mut() = Some(app),
                        Err(err) => {
                            web_sys::console::error_2(&"csp-enroll: cannot mount".into(), &err)
                        }
                    }
                }
            } else if changed.iter().any(|name| name == "data-locale") {
                if let Some(app) = running.borrow().as_ref() {
                    app.follow_locale(host.get_attribute("data-locale"));
                }
            }
        }
    };
    let follow = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(follow);
    let observer = MutationObserver::new(follow.as_ref().unchecked_ref())?;
    let watched = js_sys::Array::new();
    for name in REMOUNTING_ATTRIBUTES.iter().chain(&["data-locale"]) {
        watched.push(&JsValue::from_str(name));
    }
    let options = MutationObserverInit::new();
    options.set_attributes(true);
    options.set_attribute_filter(&watched);
    observer.observe_with_options(host, &options)?;
    // In an iframe, boot.js passes a new language by changing the
    // fragment (which does not reload the page).
    if framed {
        let running = running.clone();
        let framed = host.clone();
        let on_hash = Closure::<dyn FnMut()>::new(move || {
            // Read with every check a first load makes (the parent's origin).
            let config = HostConfig::from_element(&framed);
            if let (Some(app), Some(_)) = (running.borrow().as_ref(), &config.framed_by) {
                app.follow_locale(Some(config.locale.tag().to_owned()));
            }
        });
        if let Some(window) = web_sys::window() {
            window
                .add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref())?;
        }
        on_hash.forget();
    }
    // Both live as long as the page: the element may come back after being
    // moved, and the app with it.
    follow.forget();
    Ok(())
}

/// The app running in a host's shadow root; dropping it unmounts it.
struct Running {
    host: HtmlElement,
    container: HtmlElement,
    events: HostEvents,
    i18n: Rc<std::cell::Cell<Option<crate::i18n::I18n>>>,
    resize: ResizeObserver,
    _on_resize: Closure<dyn FnMut(js_sys::Array, ResizeObserver)>,
    _app: Box<dyn std::any::Any>,
}

impl Running {
    fn start(
        host: &HtmlElement,
        shadow: &web_sys::ShadowRoot,
        config: HostConfig,
    ) -> Result<Self, JsValue> {
        let events = HostEvents::new(host.clone(), config.framed_by.clone());
        for problem in &config.problems {
            let message = problem.message();
            web_sys::console::warn_1(&format!("csp-enroll: {message}").into());
            events.emit(HostEvent::Error {
                code: HostErrorCode::BadAttribute,
                message,
            });
        }
        let document = host
            .owner_document()
            .ok_or("host element has no document")?;
        let container: HtmlElement = document.create_element("div")?.dyn_into()?;
        container.set_class_name("csp-root");
        shadow.append_child(&container)?;

        // The host sizes an iframe (or a panel) after the app.
        let last_height = std::cell::Cell::new(0);
        let on_resize = {
            let container = container.clone();
            let events = events.clone();
            Closure::<dyn FnMut(js_sys::Array, ResizeObserver)>::new(move |_, _| {
                let height = u32::try_from(container.offset_height()).unwrap_or(0);
                if height != last_height.replace(height) {
                    events.emit(HostEvent::Resize { height });
                }
            })
        };
        let resize = ResizeObserver::new(on_resize.as_ref().unchecked_ref())?;
        resize.observe(&container);

        // The program settings boot.js may have asked for already.
        let early = js_sys::Reflect::get(host, &JsValue::from_str("cspProgram"))
            .ok()
            .and_then(|value| value.dyn_into::<js_sys::Promise>().ok());
        let i18n = Rc::new(std::cell::Cell::new(None));
        let app = {
            let i18n = i18n.clone();
            let events = events.clone();
            leptos::mount::mount_to(container.clone(), move || {
                let language = crate::i18n::I18n::new(config.locale);
                i18n.set(Some(language));
                view! { <App config=config i18n=language events=events early_program=early/> }
            })
        };
        Ok(Self {
            host: host.clone(),
            container,
            events,
            i18n,
            resize,
            _on_resize: on_resize,
            _app: Box::new(app),
        })
    }

    /// `data-locale` changed to `value`.
    fn follow_locale(&self, value: Option<String>) {
        let Some(i18n) = self.i18n.get() else {
            return;
        };
        let locale = match value.as_deref().map(parse_locale) {
            Some(Ok(locale)) => locale,
            Some(Err(problem)) => {
                let message = problem.message();
                web_sys::console::warn_1(&format!("csp-enroll: {message}").into());
                self.events.emit(HostEvent::Error {
                    code: HostErrorCode::BadAttribute,
                    message,
                });
                return;
            }
            // Removed: the default, as when the app started without it.
            None => HostConfig::from_element(&self.host).locale,
        };
        // The app tells the host (`locale`), as for its own switch.
        if i18n.locale.get_untracked() != locale {
            i18n.locale.set(locale);
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.resize.disconnect();
        self.container.remove();
    }
}
