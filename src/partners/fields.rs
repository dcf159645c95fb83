//! Fields the partners' pages share: a checkbox per term of a
//! vocabulary, a single checkbox, a text of several lines, a choice of
//! one, a country of the program's; each with its problem said above it
//! and tied to it.

use enroll_core::msg::partners as words;
use enroll_core::vocabulary::Vocabulary;
use enroll_core::{msg, MessageKey, Problem};
use leptos::prelude::*;

use crate::api::ApiClient;
use crate::i18n::{country_name, use_i18n};
use crate::ui::field::{capitalized, message_at};
use crate::ui::field_id;

/// A field's problem, if it has one: its words in the page's language,
/// and the id (`<path>-error`) its field names in `aria-describedby`.
#[derive(Clone)]
struct FieldError {
    message: Memo<Option<String>>,
    id: String,
}

impl FieldError {
    fn at(errors: Option<RwSignal<Vec<Problem>>>, path: &'static str) -> Self {
        Self {
            message: Memo::new(move |_| errors.and_then(|e| message_at(&e, path))),
            id: format!("{path}-error"),
        }
    }

    fn is_shown(&self) -> bool {
        self.message.with(Option::is_some)
    }

    /// The problem's paragraph, while there is one.
    fn view(&self) -> impl IntoView + use<> {
        let (message, id) = (self.message, self.id.clone());
        move || {
            message
                .get()
                .map(|m| view! { <p class="csp-error-message" id=id.clone()>{m}</p> })
        }
    }

    /// `aria-describedby`: `hint` (the id of the field's hint, if it has
    /// one), then the problem while there is one.
    fn described(&self, hint: Option<String>) -> impl Fn() -> Option<String> + use<> {
        let (message, id) = (self.message, self.id.clone());
        move || {
            let problem = message.with(Option::is_some).then(|| id.clone());
            match (hint.clone(), problem) {
                (Some(hint), Some(problem)) => Some(format!("{hint} {problem}")),
                (hint, problem) => hint.or(problem),
            }
        }
    }
}

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
    let error = FieldError::at(Some(errors), field);
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
    let shown = error.clone();
    view! {
        <fieldset class="csp-fieldset csp-field" class:csp-group--error=move || shown.is_shown() id=field_id(field) tabindex="-1"
            aria-describedby=error.described(None)>
            <legend class="csp-label">{move || i18n.t(label)}</legend>
            {error.view()}
            <div class="csp-choices">{boxes}</div>
        </fieldset>
    }
}

/// A single checkbox of the form (its path for the error summary), with
/// its `hint` under its label, if it has one, and its problem, when
/// `errors` are given, said above it and tied to it.
#[component]
pub fn Checkbox(
    path: &'static str,
    label: MessageKey,
    value: RwSignal<bool>,
    #[prop(optional)] errors: Option<RwSignal<Vec<Problem>>>,
    #[prop(optional)] hint: Option<MessageKey>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(path);
    let error = FieldError::at(errors, path);
    let (shown, invalid) = (error.clone(), error.clone());
    let hint_id = hint.map(|_| format!("{path}-hint"));
    let described = error.described(hint_id.clone());
    view! {
        <div class="csp-field" class:csp-field--error=move || shown.is_shown()>
            {error.view()}
            <div class="csp-checkbox">
                <input class="csp-checkbox__input" type="checkbox" id=id.clone()
                    aria-describedby=described
                    aria-invalid=move || invalid.is_shown().to_string()
                    prop:checked=move || value.get()
                    on:change:target=move |ev| value.set(ev.target().checked())/>
                <label class="csp-checkbox__label" for=id>{move || i18n.t(label)}</label>
                // Set in from the box as a radio's hint is (no style of
                // its own: the first page carries the app's styles).
                {hint.map(|hint| view! { <div class="csp-hint csp-radio__hint" id=hint_id>{move || i18n.t(hint)}</div> })}
            </div>
        </div>
    }
}

/// A checkbox per option of `options` (its code, the key of its name and
/// that of what it means), in `chosen`, under `label` with its `hint`:
/// what each option means is said under its name and with its box; the
/// group's problem above them, its fieldset where the error summary's
/// link for `path` leads.
#[component]
pub fn ExplainedChoices(
    path: &'static str,
    label: MessageKey,
    hint: MessageKey,
    options: Vec<(&'static str, MessageKey, MessageKey)>,
    chosen: RwSignal<Vec<String>>,
    errors: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = FieldError::at(Some(errors), path);
    let hint_id = format!("{path}-hint");
    let boxes = options
        .into_iter()
        .map(|(code, name, meaning)| {
            let id = field_id(&format!("{path}.{code}"));
            let meaning_id = format!("{id}-hint");
            view! {
                <div class="csp-checkbox">
                    <input class="csp-checkbox__input" type="checkbox" id=id.clone() value=code
                        aria-describedby=meaning_id.clone()
                        prop:checked=move || chosen.with(|c| c.iter().any(|x| x == code))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            chosen.update(|c| {
                                c.retain(|x| x != code);
                                if on { c.push(code.to_owned()) }
                            });
                        }/>
                    <label class="csp-checkbox__label" for=id>{move || i18n.t(name)}</label>
                    <div class="csp-hint csp-radio__hint" id=meaning_id>{move || i18n.t(meaning)}</div>
                </div>
            }
        })
        .collect::<Vec<_>>();
    let shown = error.clone();
    let described = error.described(Some(hint_id.clone()));
    view! {
        <fieldset class="csp-fieldset csp-field" class:csp-group--error=move || shown.is_shown() id=field_id(path) tabindex="-1"
            aria-describedby=described>
            <legend class="csp-label">{move || i18n.t(label)}</legend>
            <div class="csp-hint" id=hint_id>{move || i18n.t(hint)}</div>
            {error.view()}
            {boxes}
        </fieldset>
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
    let error = FieldError::at(Some(errors), path);
    let hint_id = format!("{path}-hint");
    let (shown, invalid) = (error.clone(), error.clone());
    view! {
        <div class="csp-field" class:csp-field--error=move || shown.is_shown()>
            <label class="csp-label" for=field_id(path)>{move || capitalized(i18n.t(label))}</label>
            <div class="csp-hint" id=hint_id.clone()>{move || i18n.t(hint)}</div>
            {error.view()}
            <textarea class="csp-input csp-textarea" id=field_id(path) name=path rows="6"
                aria-describedby=error.described(Some(hint_id))
                aria-invalid=move || invalid.is_shown().to_string()
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())></textarea>
        </div>
    }
}

/// One choice of `options` (value, shown text) at `path`, the empty
/// choice first: "Choose one", or `any` ("All referrals"); with its
/// `hint`, if it has one.
#[component]
pub fn Select(
    path: &'static str,
    label: MessageKey,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    value: RwSignal<String>,
    errors: RwSignal<Vec<Problem>>,
    #[prop(optional)] any: Option<MessageKey>,
    #[prop(default = None)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let any = any.unwrap_or(words::FIND_CHOOSE);
    let i18n = use_i18n();
    let error = FieldError::at(Some(errors), path);
    let (shown, invalid) = (error.clone(), error.clone());
    let hint_id = hint.map(|_| format!("{path}-hint"));
    let described = error.described(hint_id.clone());
    view! {
        <div class="csp-field" class:csp-field--error=move || shown.is_shown()>
            <label class="csp-label" for=field_id(path)>{move || capitalized(i18n.t(label))}</label>
            {hint.map(|hint| view! { <div class="csp-hint" id=hint_id>{hint}</div> })}
            {error.view()}
            <select class="csp-select" id=field_id(path) name=path
                aria-invalid=move || invalid.is_shown().to_string()
                aria-describedby=described
                on:change:target=move |ev| value.set(ev.target().value())>
                <option value="" selected=move || value.with(String::is_empty)>{move || i18n.t(any)}</option>
                {move || options.get().into_iter().map(|(code, text)| {
                    let chosen = code.clone();
                    view! { <option value=code selected=move || value.with(|v| *v == chosen)>{text}</option> }
                }).collect::<Vec<_>>()}
            </select>
        </div>
    }
}

/// A country of the markets the program runs in, named in the page's
/// language, at `path`; where the markets cannot be loaded, that is said,
/// with a retry (no country can be chosen without them).
#[component]
pub fn CountrySelect(
    path: &'static str,
    label: MessageKey,
    value: RwSignal<String>,
    errors: RwSignal<Vec<Problem>>,
    #[prop(default = None)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<ApiClient>();
    let program = LocalResource::new(move || {
        let api = api.clone();
        let locale = i18n.locale.get();
        async move { api.program(locale).await }
    });
    let countries = Signal::derive(move || {
        let locale = i18n.locale.get();
        let mut named: Vec<(String, String)> = program
            .get()
            .and_then(Result::ok)
            .map(|p| p.supported_countries)
            .unwrap_or_default()
            .into_iter()
            .map(|code| {
                let name = country_name(&code, locale);
                (code, name)
            })
            .collect();
        named.sort_by(|x, y| x.1.cmp(&y.1));
        named
    });
    let markets_failed = move || {
        program.get().and_then(Result::err).map(|failure| {
            view! {
                <div class="csp-notice csp-notice--problem" role="alert">
                    <p>{move || failure.describe(&i18n)}</p>
                    <button type="button" class="csp-button csp-button--secondary" on:click=move |_| program.refetch()>
                        {move || i18n.t(msg::APP_RETRY)}
                    </button>
                </div>
            }
        })
    };
    view! {
        {markets_failed}
        <Select path=path label=label options=countries value=value errors=errors hint=hint/>
    }
}

/// A row of a summary list (`<dl class="csp-summary">`): what, and its
/// value as given (words of the page's language follow a switch when
/// given as a signal).
#[component]
pub fn SummaryRow(key: MessageKey, #[prop(into)] value: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="csp-summary__row">
            <dt class="csp-summary__key">{move || capitalized(i18n.t(key))}</dt>
            <dd class="csp-summary__value">{value}</dd>
        </div>
    }
}
