//! Shared form components, GOV.UK-style: labelled fields with their error
//! beside them, and the error summary.

pub mod error_summary;
pub mod field;

/// The element id of a field path (`bank.iban` → `f-bank-iban`).
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// Moves focus to the element `id` in the same root (shadow root or
/// document) as `from`, without touching the URL.
pub fn focus_in_root(from: &web_sys::EventTarget, id: &str) {
    use wasm_bindgen::JsCast;
    let Some(node) = from.dyn_ref::<web_sys::Node>() else {
        return;
    };
    let root = node.get_root_node();
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
