//! What the app tells the host page: DOM `CustomEvent`s on the host
//! element, named `csp-enroll:<name>`, bubbling and composed (so they leave
//! the shadow root). The list and the details are the embedding contract
//! (ARCHITECTURE.md); no answer, token or bank detail is ever in a detail:
//! the `HostEvent` variants have no field that could carry one.

use enroll_core::{Locale, Step};
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
    Error {
        code: HostErrorCode,
        message: String,
    },
    /// The app's height changed (CSS pixels).
    Resize { height: u32 },
    /// The app's language changed.
    Locale(Locale),
}

/// `error`'s `code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostErrorCode {
    /// An attribute's value was not understood; its default applies.
    BadAttribute,
    /// The service could not be reached, or failed, after the retries.
    Unavailable,
    /// A part of the app's code could not be downloaded.
    NotLoaded,
}

impl HostErrorCode {
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

    /// The event's `detail`: flat, field by field (`None` is `null`).
    /// Built as a JS object directly, not through `serde_json::Value`,
    /// which would add its code to the first page's wasm.
    pub fn detail(&self) -> Option<Vec<(&'static str, Detail)>> {
        use Detail::{Number, Text};
        Some(match self {
            Self::Ready | Self::Exit => return None,
            Self::Step(step) => {
                let index = Step::ALL.iter().position(|s| s == step).unwrap_or(0);
                vec![
                    ("step", Text(step.name().into())),
                    ("index", Number(index as u32)),
                    ("total", Number(Step::ALL.len() as u32)),
                ]
            }
            Self::Saved { application_id } => {
                vec![("application_id", Text(application_id.clone()))]
            }
            // The confirmation shows the application's id as its reference.
            Self::Submitted { application_id } => vec![
                ("application_id", Text(application_id.clone())),
                ("reference", Text(application_id.clone())),
            ],
            Self::Error { code, message } => vec![
                ("code", Text(code.as_str().into())),
                ("message", Text(message.clone())),
            ],
            Self::Resize { height } => vec![("height", Number(*height))],
            Self::Locale(locale) => vec![("locale", Text(locale.tag().into()))],
        })
    }

    fn detail_js(&self) -> JsValue {
        let Some(fields) = self.detail() else {
            return JsValue::NULL;
        };
        let object = js_sys::Object::new();
        for (name, value) in fields {
            let value = match value {
                Detail::Text(text) => JsValue::from_str(&text),
                Detail::Number(number) => JsValue::from(number),
            };
            let _ = js_sys::Reflect::set(&object, &name.into(), &value);
        }
        object.into()
    }
}

/// A value in an event's detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    Text(String),
    Number(u32),
}

/// Where the app's events go: the host element, or in iframe mode the host
/// page's window, by `postMessage` to its origin only (boot.js on that page
/// checks that they come from the app's and dispatches them on the
/// element). Cloned into whatever needs to tell the host something.
#[derive(Clone, Debug)]
pub struct HostEvents {
    // The browser has one thread; context values must be Send. `None`:
    // no host to tell (a view mounted on its own, as in the browser tests).
    host: Option<send_wrapper::SendWrapper<HtmlElement>>,
    framed_by: Option<String>,
}

/// Where the app's events go from here: the host, or nowhere for a view
/// mounted without one.
pub fn use_host_events() -> HostEvents {
    leptos::prelude::use_context().unwrap_or(HostEvents {
        host: None,
        framed_by: None,
    })
}

impl HostEvents {
    pub fn new(host: HtmlElement, framed_by: Option<String>) -> Self {
        Self {
            host: Some(send_wrapper::SendWrapper::new(host)),
            framed_by,
        }
    }

    pub fn emit(&self, event: HostEvent) {
        let detail = event.detail_js();
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
            if let Some(host) = &self.host {
                let _ = host.dispatch_event(&event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Detail::{Number, Text};

    #[test]
    fn details_are_as_the_contract_says() {
        assert_eq!(
            HostEvent::Step(Step::Company).detail(),
            Some(vec![
                ("step", Text("company".into())),
                ("index", Number(3)),
                ("total", Number(11))
            ])
        );
        assert_eq!(
            HostEvent::Submitted {
                application_id: "ab12".into()
            }
            .detail(),
            Some(vec![
                ("application_id", Text("ab12".into())),
                ("reference", Text("ab12".into()))
            ])
        );
        assert_eq!(
            HostEvent::Error {
                code: HostErrorCode::BadAttribute,
                message: "m".into()
            }
            .detail(),
            Some(vec![
                ("code", Text("bad_attribute".into())),
                ("message", Text("m".into()))
            ])
        );
        assert_eq!(
            HostEvent::Locale(Locale::ZhCn).detail(),
            Some(vec![("locale", Text("zh-CN".into()))])
        );
        assert_eq!(HostEvent::Ready.detail(), None);
    }
}
