//! Form fields bound to a text answer of the application by its contract
//! path. Each shows its label, hint, error and warning, and keeps what the
//! user typed exactly as typed.

use enroll_core::bank::mask;
use enroll_core::{msg, MessageKey};
use enroll_core::{Answers, Catalog, Field, Problem};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::field_id;

/// The answers being edited and the problems of the last Continue.
#[derive(Clone, Copy)]
pub struct FormState {
    pub answers: RwSignal<Answers>,
    pub errors: RwSignal<Vec<Problem>>,
    pub warnings: RwSignal<Vec<Problem>>,
}

pub fn use_form() -> FormState {
    expect_context::<FormState>()
}

/// The message of the first problem at `path` in `problems`, if any, in
/// the current language (tracked).
pub fn message_at(problems: &RwSignal<Vec<Problem>>, path: &str) -> Option<String> {
    let locale = use_i18n().locale.get();
    problems.with(|list| {
        list.iter()
            .find(|p| p.field == path)
            .map(|p| Catalog::get(locale).problem_message(p))
    })
}

fn message_for(problems: &RwSignal<Vec<Problem>>, field: Field) -> Option<String> {
    message_at(problems, &field.path())
}

/// Upper-cases the first letter: catalog labels are written for the middle
/// of a sentence ("postcode"), a label starts one.
pub fn capitalized(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// A labelled text input with its hint, error and warning (GOV.UK's
/// pattern): what it edits, and how, is the caller's.
#[component]
pub fn Input(
    /// The contract path it answers (`admin.email`, `new_password`): its
    /// id and name, and where the error summary links.
    #[prop(into)]
    path: String,
    /// Catalog key of the label.
    #[prop(into)]
    label_key: Signal<MessageKey>,
    /// Catalog key of a hint under the label, if it has one.
    #[prop(optional, into)]
    hint_key: Signal<Option<MessageKey>>,
    /// Marks the label "(optional)".
    #[prop(optional)]
    optional: bool,
    /// `text`, `email`, `tel`, `url`, `password`.
    #[prop(default = "text")]
    input_type: &'static str,
    /// The autocomplete token, e.g. `organization`, `one-time-code`.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The on-screen keyboard (`numeric` for codes); none when empty.
    #[prop(default = "")]
    inputmode: &'static str,
    /// A CSS width class, e.g. `csp-input--10`.
    #[prop(default = "")]
    width: &'static str,
    #[prop(into)] value: Signal<String>,
    /// Each keystroke's value.
    on_input: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] warning: Option<Signal<Option<String>>>,
    /// Told when the input gains (true) and loses focus.
    #[prop(optional)]
    on_focus: Option<Callback<bool>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(&path);
    let warning = warning.unwrap_or_else(|| Signal::derive(|| None));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let warning_id = format!("{id}-warning");
    let described_by = {
        let (hint_id, error_id, warning_id) =
            (hint_id.clone(), error_id.clone(), warning_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint_key.get().is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            if warning.get().is_some() {
                ids.push(warning_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="csp-field" class:csp-field--error=move || error.get().is_some()>
            <label class="csp-label" for=id.clone()>
                {move || capitalized(i18n.t(label_key.get()))}
                {optional.then(|| view! { " "<span class="csp-optional">{move || i18n.t(msg::FORM_OPTIONAL)}</span> })}
            </label>
            {move || hint_key.get().map(|key| view! { <div class="csp-hint" id=hint_id.clone()>{move || i18n.t(key)}</div> })}
            {move || error.get().map(|m| view! { <p class="csp-error-message" id=error_id.clone()><span class="csp-visually-hidden">{i18n.t(msg::FORM_ERROR_PREFIX)}</span>{m}</p> })}
            <input
                class=format!("csp-input {width}")
                id=id.clone()
                name=path.clone()
                type=input_type
                autocomplete=autocomplete
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                spellcheck="false"
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described_by
                prop:value=move || value.get()
                on:focus=move |_| if let Some(told) = on_focus { told.run(true) }
                on:blur=move |_| if let Some(told) = on_focus { told.run(false) }
                on:input:target=move |ev| on_input.run(ev.target().value())
            />
            {move || warning.get().map(|m| view! { <p class="csp-warning-message" id=warning_id.clone()>{m}</p> })}
        </div>
    }
}

/// A text answer of the application.
#[component]
pub fn TextField(
    /// The answer it edits.
    field: Field,
    /// Catalog key of the label.
    #[prop(into)]
    label_key: Signal<MessageKey>,
    /// Catalog key of a hint under the label, if it has one.
    #[prop(default = None, into)]
    hint_key: Option<MessageKey>,
    /// Marks the label "(optional)".
    #[prop(optional)]
    optional: bool,
    /// `text`, `email`, `tel`, `url`.
    #[prop(default = "text")]
    input_type: &'static str,
    /// The autocomplete token, e.g. `organization`.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A CSS width class, e.g. `csp-input--10`.
    #[prop(default = "")]
    width: &'static str,
    /// A bank secret: shown masked (`enroll_core::bank::mask`) except while
    /// the field has focus.
    #[prop(optional)]
    secret: bool,
) -> impl IntoView {
    let focused = RwSignal::new(false);
    let form = use_form();
    let error = Memo::new(move |_| message_for(&form.errors, field));
    let warning = Memo::new(move |_| message_for(&form.warnings, field));
    let value = Signal::derive(move || {
        let value = form
            .answers
            .with(|a| a.text(field).unwrap_or_default().to_owned());
        if secret && !focused.get() {
            mask(&value)
        } else {
            value
        }
    });
    let on_input = Callback::new(move |value: String| {
        form.answers.update(|a| {
            a.set_text(field, value);
        });
    });
    view! {
        <Input
            path=field.path().into_owned()
            label_key=label_key
            hint_key=hint_key
            optional=optional
            input_type=input_type
            autocomplete=autocomplete
            width=width
            value=value
            on_input=on_input
            error=error
            warning=warning
            on_focus=Callback::new(move |on| focused.set(on))
        />
    }
}

/// A text input of a form outside the application's answers (signing in,
/// a code), its errors those of `errors` at `path`.
#[component]
pub fn PlainField(
    #[prop(into)] path: String,
    label_key: MessageKey,
    #[prop(optional)] hint_key: Option<MessageKey>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = "")] inputmode: &'static str,
    #[prop(default = "")] width: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let at = path.clone();
    let error = Memo::new(move |_| message_at(&errors, &at));
    view! {
        <Input
            path=path
            label_key=label_key
            hint_key=hint_key
            input_type=input_type
            autocomplete=autocomplete
            inputmode=inputmode
            width=width
            value=value
            on_input=Callback::new(move |typed: String| value.set(typed))
            error=error
        />
    }
}

#[component]
pub fn SelectField(
    /// The answer it chooses.
    field: Field,
    #[prop(into)] label_key: Signal<MessageKey>,
    /// (value, shown text), in display order.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = use_form();
    let path = field.path();
    let id = field_id(&path);
    let error = Memo::new(move |_| message_for(&form.errors, field));
    let error_id = format!("{id}-error");
    let current = move || {
        form.answers
            .with(|a| a.text(field).unwrap_or_default().to_owned())
    };
    view! {
        <div class="csp-field" class:csp-field--error=move || error.get().is_some()>
            <label class="csp-label" for=id.clone()>{move || capitalized(i18n.t(label_key.get()))}</label>
            {
                let error_id = error_id.clone();
                move || error.get().map(|m| view! { <p class="csp-error-message" id=error_id.clone()>{m}</p> })
            }
            <select
                class="csp-select"
                id=id.clone()
                name=path.clone()
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().is_some().then(|| error_id.clone())
                on:change:target=move |ev| {
                    let value = ev.target().value();
                    form.answers.update(|a| {
                        a.set_text(field, value);
                    });
                }
            >
                <option value="" selected=move || current().is_empty()>{move || i18n.t(msg::FORM_CHOOSE)}</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let selected = current() == value;
                            view! { <option value=value selected=selected>{text}</option> }
                        })
                        .collect::<Vec<_>>()
                }}
            </select>
        </div>
    }
}
