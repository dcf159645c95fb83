//! The app in a real headless Chromium (wasm-bindgen-test). Run through
//! `cargo xtask test`, or `cargo test --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

mod common;

use csp_enroll::embed;
use csp_enroll::i18n::I18n;
use csp_enroll::wizard::start::StartPage;
use enroll_core::{Locale, ProgramLinks, ProgramSettings};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use common::{document, eventually};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// An address where nothing answers: Chromium refuses the port, so the
/// fetch fails the way it does when the API is down.
const DEAD_API: &str = "http://127.0.0.1:9";

fn host(attributes: &[(&str, &str)]) -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    host.set_attribute("data-csp-enroll", "").unwrap();
    for (name, value) in attributes {
        host.set_attribute(name, value).unwrap();
    }
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn shadow_query(host: &HtmlElement, selector: &str) -> Option<Element> {
    host.shadow_root()?.query_selector(selector).ok()?
}

/// Waits until `selector` matches in the host's shadow root (`what` says
/// what it is, for the failure), and returns the element.
async fn wait_for_in_shadow(host: &HtmlElement, selector: &str, what: &str) -> Element {
    eventually(what, || shadow_query(host, selector).ok_or("absent")).await
}

#[wasm_bindgen_test]
async fn the_app_lives_in_a_shadow_root_that_host_css_cannot_reach() {
    // A host page with aggressive CSS of its own.
    let host_style: web_sys::HtmlStyleElement =
        document().create_element("style").unwrap().unchecked_into();
    host_style.set_text_content(Some(
        "p { color: rgb(255, 0, 0) !important; } .csp-notice { display: none; }",
    ));
    document()
        .head()
        .unwrap()
        .append_child(&host_style)
        .unwrap();

    let host = host(&[("data-api-base", DEAD_API), ("data-locale", "en-US")]);
    let ready = Rc::new(Cell::new(0));
    let counter = ready.clone();
    let on_ready = Closure::<dyn Fn()>::new(move || counter.set(counter.get() + 1));
    host.add_event_listener_with_callback("csp-enroll:ready", on_ready.as_ref().unchecked_ref())
        .unwrap();

    embed::mount(&host).unwrap();

    let shadow = host.shadow_root().expect("an open shadow root");
    assert_eq!(
        shadow.adopted_style_sheets().length(),
        1,
        "the app's CSS is adopted"
    );
    assert_eq!(ready.get(), 1, "the host heard `ready`");

    let notice = wait_for_in_shadow(
        &host,
        ".csp-notice--problem",
        "the unreachable API is reported",
    )
    .await;
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&notice)
        .unwrap()
        .unwrap();
    assert_ne!(style.get_property_value("display").unwrap(), "none");
    let paragraph = notice.query_selector("p").unwrap().unwrap();
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&paragraph)
        .unwrap()
        .unwrap();
    assert_ne!(style.get_property_value("color").unwrap(), "rgb(255, 0, 0)");

    // And the app's styles do not leak out into the host page.
    let outside = document().create_element("p").unwrap();
    outside.set_class_name("csp-notice");
    document().body().unwrap().append_child(&outside).unwrap();
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&outside)
        .unwrap()
        .unwrap();
    assert_eq!(
        style.get_property_value("border-left-style").unwrap(),
        "none"
    );

    host_style.remove();
    host.remove();
    outside.remove();
}

#[wasm_bindgen_test]
async fn an_unreachable_api_gets_a_clear_message_and_a_retry() {
    let host = host(&[("data-api-base", DEAD_API), ("data-locale", "en-US")]);
    embed::mount(&host).unwrap();
    let alert = wait_for_in_shadow(&host, "[role=alert]", "an alert").await;
    let text = alert.text_content().unwrap_or_default();
    assert!(
        text.contains("could not reach the enrollment service"),
        "{text}"
    );
    let retry: HtmlElement = alert
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(retry.text_content().unwrap_or_default(), "Try again");

    // Retrying goes back to loading and ends at the same clear message.
    retry.click();
    wait_for_in_shadow(&host, "[role=alert]", "an alert after retrying").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn data_locale_zh_cn_words_the_app_in_chinese_without_touching_the_page() {
    let html_lang_before = document().document_element().unwrap().get_attribute("lang");
    let host = host(&[("data-api-base", DEAD_API), ("data-locale", "zh-CN")]);
    embed::mount(&host).unwrap();

    let app = shadow_query(&host, ".csp-app").expect("the app");
    assert_eq!(app.get_attribute("lang").as_deref(), Some("zh-CN"));
    let alert = wait_for_in_shadow(&host, "[role=alert]", "an alert").await;
    assert!(alert
        .text_content()
        .unwrap_or_default()
        .contains("无法连接注册服务"));
    assert_eq!(
        document().document_element().unwrap().get_attribute("lang"),
        html_lang_before
    );
    host.remove();
}

#[wasm_bindgen_test]
fn mounting_twice_leaves_one_app() {
    let host = host(&[("data-api-base", DEAD_API)]);
    embed::mount(&host).unwrap();
    embed::mount(&host).unwrap();
    let roots = host
        .shadow_root()
        .unwrap()
        .query_selector_all(".csp-root")
        .unwrap();
    assert_eq!(roots.length(), 1);
    host.remove();
}

fn program(open: bool, note: Option<&str>) -> ProgramSettings {
    ProgramSettings {
        program_name: "Cloud Solution Provider program".into(),
        program_names: Default::default(),
        direct_enrollment_open: open,
        direct_enrollment_note: note.map(str::to_owned),
        supported_countries: vec!["DE".into()],
        links: ProgramLinks {
            join_mpn: "https://join.example/mpn".into(),
        },
    }
}

fn render_start(settings: ProgramSettings) -> HtmlElement {
    let parent: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    leptos::mount::mount_to(parent.clone(), move || {
        provide_context(I18n::new(Locale::EnUs));
        view! { <StartPage program=settings.clone() on_start=|| ()/> }
    })
    .forget();
    parent
}

#[wasm_bindgen_test]
fn the_start_page_says_direct_enrollment_is_closed_and_why() {
    let page = render_start(program(false, Some("Expected to reopen in spring.")));
    let notice = page
        .query_selector("[data-direct-enrollment]")
        .unwrap()
        .unwrap();
    assert_eq!(
        notice.get_attribute("data-direct-enrollment").as_deref(),
        Some("closed")
    );
    let text = notice.text_content().unwrap_or_default();
    assert!(text.contains("Direct enrollment is closed"), "{text}");
    assert!(text.contains("indirect reseller"), "{text}");
    assert!(text.contains("Expected to reopen in spring."), "{text}");

    let link = page
        .query_selector("a[href='https://join.example/mpn']")
        .unwrap();
    let link = link.expect("a link to create an MPN ID");
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    page.remove();
}

#[wasm_bindgen_test]
fn the_start_page_says_when_direct_enrollment_is_open() {
    let page = render_start(program(true, None));
    let notice = page
        .query_selector("[data-direct-enrollment]")
        .unwrap()
        .unwrap();
    assert_eq!(
        notice.get_attribute("data-direct-enrollment").as_deref(),
        Some("open")
    );
    assert!(notice
        .text_content()
        .unwrap_or_default()
        .contains("Direct enrollment is open"));
    assert_eq!(
        page.query_selector_all("li").unwrap().length(),
        4,
        "the four things to have ready"
    );
    page.remove();
}
