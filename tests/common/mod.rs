//! What the browser tests do to a rendered page, as a user would: click,
//! type, choose, read. Each test file uses a part of it.
#![allow(dead_code)]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets effects, timers and microtasks run.
pub async fn settle() {
    TimeoutFuture::new(50).await;
}

pub fn click(root: &HtmlElement, selector: &str) {
    let element: HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .unchecked_into();
    element.click();
}

/// The text of the first match, or "" when there is none.
pub fn text(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

/// Sets an input's value and fires `input`, as typing does.
pub fn type_into(root: &HtmlElement, selector: &str, value: &str) {
    let input: HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Picks a select's option by value and fires `change`.
pub fn choose(root: &HtmlElement, selector: &str, value: &str) {
    let select: HtmlSelectElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .unchecked_into();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}
