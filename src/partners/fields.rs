//! Fields the partners' pages share: a checkbox per term of a
//! vocabulary, and a single checkbox.

use enroll_core::msg::partners as words;
use enroll_core::vocabulary::Vocabulary;
use enroll_core::{MessageKey, Problem};
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::field::{capitalized, message_at};
use crate::ui::field_id;

/// A checkbox per term of `vocabulary`, in `chosen`, under `label`; its
/// fieldset is where the error summary's link for `path` (the
/// vocabulary's own field unless given) leads.
#[component]
pub fn Choices(
    vocabulary: Vocabulary,
    chosen: RwSignal<Vec<String>>,
    errors: RwSignal<Vec<Problem>>,
    label: MessageKey,
    #[prop(optional)] path: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = path.unwrap_or(vocabulary.field);
    let error = Memo::new(move |_| message_at(&errors, field));
    let boxes = vocabulary
        .terms
        .iter()
        .map(|term| {
            let code = term.code;
            let id = field_id(&format!("{field}.{code}"));
            view! {
                <div class="csp-checkbox">
                    <input class="csp-checkbox__input" type="checkbox" id=id.clone() value=code
                        prop:checked=move || chosen.with(|c| c.iter().any(|x| x == code))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            chosen.update(|c| {
                                c.retain(|x| x != code);
                                if on { c.push(code.to_owned()) }
                            });
                        }/>
                    <label class="csp-checkbox__label" for=id>{move || i18n.t(term.name)}</label>
                </div>
            }
        })
        .collect::<Vec<_>>();
    let error_id = format!("{field}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    view! {
        <fieldset class="csp-fieldset csp-field" class:csp-group--error=move || error.get().is_some() id=field_id(field) tabindex="-1"
            aria-describedby=described>
            <legend class="csp-label">{move || i18n.t(label)}</legend>
            {move || error.get().map(|m| view! { <p class="csp-error-message" id=error_id.clone()>{m}</p> })}
            <div class="csp-choices">{boxes}</div>
        </fieldset>
    }
}

/// A single checkbox of the form (its path for the error summary).
#[component]
pub fn Checkbox(path: &'static str, label: MessageKey, value: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(path);
    view! {
        <div class="csp-checkbox">
            <input class="csp-checkbox__input" type="checkbox" id=id.clone()
                prop:checked=move || value.get()
                on:change:target=move |ev| value.set(ev.target().checked())/>
            <label class="csp-checkbox__label" for=id>{move || i18n.t(label)}</label>
        </div>
    }
}

/// A text of several lines at `path`, with its hint and its error.
#[component]
pub fn TextArea(
    path: &'static str,
    label: MessageKey,
    hint: MessageKey,
    value: RwSignal<String>,
    errors: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Memo::new(move |_| message_at(&errors, path));
    let hint_id = format!("{path}-hint");
    let error_id = format!("{path}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    view! {
        <div class="csp-field" class:csp-field--error=move || error.get().is_some()>
            <label class="csp-label" for=field_id(path)>{move || capitalized(i18n.t(label))}</label>
            <div class="csp-hint" id=hint_id>{move || i18n.t(hint)}</div>
            {move || error.get().map(|m| view! { <p class="csp-error-message" id=error_id.clone()>{m}</p> })}
            <textarea class="csp-input csp-textarea" id=field_id(path) name=path rows="6"
                aria-describedby=described
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())></textarea>
        </div>
    }
}

/// One choice of `options` (value, shown text) at `path`, "Choose one"
/// first.
#[component]
pub fn Select(
    path: &'static str,
    label: MessageKey,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    value: RwSignal<String>,
    errors: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Memo::new(move |_| message_at(&errors, path));
    let error_id = format!("{path}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    view! {
        <div class="csp-field" class:csp-field--error=move || error.get().is_some()>
            <label class="csp-label" for=field_id(path)>{move || capitalized(i18n.t(label))}</label>
            {move || error.get().map(|m| view! { <p class="csp-error-message" id=error_id.clone()>{m}</p> })}
            <select class="csp-select" id=field_id(path) name=path
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
                on:change:target=move |ev| value.set(ev.target().value())>
                <option value="" selected=move || value.with(String::is_empty)>{move || i18n.t(words::FIND_CHOOSE)}</option>
                {move || options.get().into_iter().map(|(code, text)| {
                    let chosen = code.clone();
                    view! { <option value=code selected=move || value.with(|v| *v == chosen)>{text}</option> }
                }).collect::<Vec<_>>()}
            </select>
        </div>
    }
}
