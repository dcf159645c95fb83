//! Shared form components, GOV.UK-style: labelled fields with their error
//! beside them, the error summary, an action that asks first, and the
//! language switch.

pub mod confirm;
pub mod debounce;
pub mod error_summary;
pub mod field;
pub mod language;

/// The element id of a field path (`bank.iban` → `f-bank-iban`).
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// The root (shadow root or document) `from` is in: where ids are looked
/// up. Taken before a re-render, as the element itself may go away.
pub fn root_of(from: &web_sys::EventTarget) -> Option<web_sys::Node> {
    use wasm_bindgen::JsCast;
    Some(from.dyn_ref::<web_sys::Node>()?.get_root_node())
}

/// Focuses the element `id` in `root`, without touching the URL.
pub fn focus_id(root: &web_sys::Node, id: &str) {
    use wasm_bindgen::JsCast;
    let target = if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
        shadow.get_element_by_id(id)
    } else if let Some(document) = root.dyn_ref::<web_sys::Document>() {
        document.get_element_by_id(id)
    } else {
        None
    };
    if let Some(element) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Moves focus to the element `id` in the same root as `from`.
pub fn focus_in_root(from: &web_sys::EventTarget, id: &str) {
    if let Some(root) = root_of(from) {
        focus_id(&root, id);
    }
}

/// Focuses `id` once the change just made has been rendered.
pub fn focus_after_render(root: Option<web_sys::Node>, id: String) {
    if let Some(root) = root {
        leptos::prelude::request_animation_frame(move || focus_id(&root, &id));
    }
}
