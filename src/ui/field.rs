//! Form fields bound to a text answer of the application by its contract
//! path. Each shows its label, hint, error and warning, and keeps what the
//! user typed exactly as typed.

use enroll_core::bank::mask;
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

/// The message of the first problem with `field` in `problems`, if any.
fn message_for(problems: &RwSignal<Vec<Problem>>, field: Field) -> Option<String> {
    let locale = use_i18n().locale.get();
    let path = field.path();
    problems.with(|list| {
        list.iter()
            .find(|p| p.field == path)
            .map(|p| Catalog::get(locale).problem_message(p))
    })
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

#[component]
pub fn TextField(
    /// The answer it edits.
    field: Field,
    /// Catalog key of the label.
    #[prop(into)]
    label_key: Signal<String>,
    /// Catalog key of a hint under the label.
    #[prop(optional, into)]
    hint_key: Option<Signal<String>>,
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
    let i18n = use_i18n();
    let form = use_form();
    let path = field.path();
    let id = field_id(&path);
    let error = Memo::new(move |_| message_for(&form.errors, field));
    let warning = Memo::new(move |_| message_for(&form.warnings, field));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let warning_id = format!("{id}-warning");
    let described_by = {
        let (hint_id, error_id, warning_id) =
            (hint_id.clone(), error_id.clone(), warning_id.clone());
        let has_hint = hint_key.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
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
                {move || capitalized(i18n.t(&label_key.get()))}
                {optional.then(|| view! { " "<span class="csp-optional">{move || i18n.t("form.optional")}</span> })}
            </label>
            {hint_key.map(|key| view! { <div class="csp-hint" id=hint_id.clone()>{move || i18n.t(&key.get())}</div> })}
            {move || error.get().map(|m| view! { <p class="csp-error-message" id=error_id.clone()><span class="csp-visually-hidden">{i18n.t("form.error_prefix")}</span>{m}</p> })}
            <input
                class=format!("csp-input {width}")
                id=id.clone()
                name=path.clone()
                type=input_type
                autocomplete=autocomplete
                spellcheck="false"
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described_by
                prop:value=move || {
                    let value = form.answers.with(|a| a.text(field).unwrap_or_default().to_owned());
                    if secret && !focused.get() { mask(&value) } else { value }
                }
                on:focus=move |_| focused.set(true)
                on:blur=move |_| focused.set(false)
                on:input:target=move |ev| {
                    let value = ev.target().value();
                    form.answers.update(|a| {
                        a.set_text(field, value);
                    });
                }
            />
            {move || warning.get().map(|m| view! { <p class="csp-warning-message" id=warning_id.clone()>{m}</p> })}
        </div>
    }
}

#[component]
pub fn SelectField(
    /// The answer it chooses.
    field: Field,
    #[prop(into)] label_key: Signal<String>,
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
            <label class="csp-label" for=id.clone()>{move || capitalized(i18n.t(&label_key.get()))}</label>
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
                <option value="" selected=move || current().is_empty()>{move || i18n.t("form.choose")}</option>
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
