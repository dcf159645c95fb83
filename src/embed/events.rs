//! What the app tells the host page: DOM `CustomEvent`s on the host
//! element, named `csp-enroll:<name>`, bubbling and composed (so they leave
//! the shadow root). The list and the details are the embedding contract
//! (ARCHITECTURE.md); no answer, token or bank detail is ever in a detail:
//! the `HostEvent` variants have no field that could carry one.

use enroll_core::{Locale, Step};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// One event for the host.
#[derive(Clone, Debug, PartialEq)]
pub enum HostEvent {
    /// The app is mounted and drawing its first page.
    Ready,
    /// A page of the wizard is shown.
    Step(Step),
    /// The answers were saved as the application `application_id`.
    Saved { application_id: String },
    /// The application was sent; `reference` is what the applicant is
    /// shown to quote.
    Submitted { application_id: String },
    /// The user is done with the app and goes back to the host's page.
    Exit,
    /// The app cannot go on by itself (never a problem in the form, which
    /// the user fixes there).
    Error { code: ErrorCode, message: String },
    /// The app's height changed (CSS pixels).
    Resize { height: u32 },
    /// The app's language changed.
    Locale(Locale),
}

/// `error`'s `code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// An attribute's value was not understood; its default applies.
    BadAttribute,
    /// The service could not be reached, or failed, after the retries.
    Unavailable,
    /// A part of the app's code could not be downloaded.
    NotLoaded,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadAttribute => "bad_attribute",
            Self::Unavailable => "unavailable",
            Self::NotLoaded => "not_loaded",
        }
    }
}

impl HostEvent {
    /// The event's name after `csp-enroll:`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Step(_) => "step",
            Self::Saved { .. } => "saved",
            Self::Submitted { .. } => "submitted",
            Self::Exit => "exit",
            Self::Error { .. } => "error",
            Self::Resize { .. } => "resize",
            Self::Locale(_) => "locale",
        }
    }

    /// The event's `detail`.
    pub fn detail(&self) -> Value {
        match self {
            Self::Ready | Self::Exit => Value::Null,
            Self::Step(step) => {
                let index = Step::ALL.iter().position(|s| s == step).unwrap_or(0);
                json!({ "step": step.name(), "index": index, "total": Step::ALL.len() })
            }
            Self::Saved { application_id } => json!({ "application_id": application_id }),
            Self::Submitted { application_id } => {
                // The confirmation shows the application's id as its reference.
                json!({ "application_id": application_id, "reference": application_id })
            }
            Self::Error { code, message } => json!({ "code": code.as_str(), "message": message }),
            Self::Resize { height } => json!({ "height": height }),
            Self::Locale(locale) => json!({ "locale": locale.tag() }),
        }
    }
}

/// Where the app's events go: the host element, or in iframe mode the host
/// page's window, by `postMessage` to its origin only (boot.js on that page
/// checks that they come from the app's and dispatches them on the
/// element). Cloned into whatever needs to tell the host something.
#[derive(Clone, Debug)]
pub struct HostEvents {
    // The browser has one thread; context values must be Send.
    host: send_wrapper::SendWrapper<HtmlElement>,
    framed_by: Option<String>,
}

impl HostEvents {
    pub fn new(host: HtmlElement, framed_by: Option<String>) -> Self {
        Self {
            host: send_wrapper::SendWrapper::new(host),
            framed_by,
        }
    }

    pub fn emit(&self, event: HostEvent) {
        let detail = js_sys::JSON::parse(&event.detail().to_string()).unwrap_or(JsValue::NULL);
        if let Some(origin) = &self.framed_by {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"csp-enroll".into());
            let _ = js_sys::Reflect::set(&message, &"name".into(), &event.name().into());
            let _ = js_sys::Reflect::set(&message, &"detail".into(), &detail);
            let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
            if let Some(parent) = parent {
                // Never '*': only the host page's origin may read it.
                let _ = parent.post_message(&message, origin);
            }
            return;
        }
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(event) =
            CustomEvent::new_with_event_init_dict(&format!("csp-enroll:{}", event.name()), &init)
        {
            // A host listener that throws must not break the app.
            let _ = self.host.dispatch_event(&event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_as_the_contract_says() {
        assert_eq!(
            HostEvent::Step(Step::Company).detail(),
            json!({ "step": "company", "index": 3, "total": 10 })
        );
        assert_eq!(
            HostEvent::Submitted {
                application_id: "ab12".into()
            }
            .detail(),
            json!({ "application_id": "ab12", "reference": "ab12" })
        );
        assert_eq!(
            HostEvent::Error {
                code: ErrorCode::BadAttribute,
                message: "m".into()
            }
            .detail(),
            json!({ "code": "bad_attribute", "message": "m" })
        );
        assert_eq!(
            HostEvent::Locale(Locale::ZhCn).detail(),
            json!({ "locale": "zh-CN" })
        );
        assert_eq!(HostEvent::Ready.detail(), Value::Null);
    }
}
