//! What the browser tests do to a rendered page, as a user would: click,
//! type, choose, read. Each test file uses a part of it.
#![allow(dead_code)]

use gloo_timers::future::TimeoutFuture;
use std::fmt::Debug;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets an app just mounted start. `mount_to` draws it at once, but Leptos
/// gives each effect its first run in a task of its own, and the app counts
/// on those runs having happened before anyone acts on the page (the error
/// summary takes focus only then), as they have by the time a person can
/// click. Not a wait for a length of time: one turn of the event loop (a
/// zero timeout), by which every task the mount queued has run.
pub async fn app_started() {
    TimeoutFuture::new(0).await;
}

/// How long a test waits for the page to show something: generous, as
/// the app answers in milliseconds and a busy machine may take longer.
const PATIENCE_MS: f64 = 5_000.0;

/// How often a wait looks again (effects, timers and animation frames run
/// in between).
const POLL_MS: u32 = 10;

/// Looks at the page with `check` until it gives `Ok`, and returns what it
/// gave; after `PATIENCE_MS`, fails saying that `what` never became true
/// and what the last look saw (its `Err`). The one way these tests wait:
/// for a condition, never for a length of time.
pub async fn eventually<T, E: Debug>(what: &str, mut check: impl FnMut() -> Result<T, E>) -> T {
    let deadline = js_sys::Date::now() + PATIENCE_MS;
    loop {
        match check() {
            Ok(found) => return found,
            Err(last) if js_sys::Date::now() > deadline => {
                panic!("never true within {PATIENCE_MS} ms: {what}; last seen: {last:?}")
            }
            Err(_) => TimeoutFuture::new(POLL_MS).await,
        }
    }
}

/// Waits until `condition` holds (`what` says what it is, for the failure).
pub async fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    eventually(what, || condition().then_some(()).ok_or(false)).await
}

/// Waits until the first match of `selector` reads `expected`.
pub async fn wait_for_text(root: &HtmlElement, selector: &str, expected: &str) {
    let what = format!("`{selector}` reads {expected:?}");
    eventually(&what, || {
        let now = text(root, selector);
        if now == expected {
            Ok(())
        } else {
            Err(now)
        }
    })
    .await
}

/// Waits until `selector` matches inside `root`, and returns the element.
pub async fn wait_for(root: &HtmlElement, selector: &str) -> Element {
    let what = format!("`{selector}` is on the page");
    eventually(&what, || {
        root.query_selector(selector).unwrap().ok_or("absent")
    })
    .await
}

/// Waits until the element focused in the document has the id `id`.
pub async fn wait_for_focus(id: &str) {
    let what = format!("`#{id}` has focus");
    eventually(&what, || {
        let focused = document().active_element().map(|e| e.id());
        if focused.as_deref() == Some(id) {
            Ok(())
        } else {
            Err(focused)
        }
    })
    .await
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
