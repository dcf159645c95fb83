//! The language switch: every language named in itself, the current one
//! pressed. Switching re-words everything in place (the app keeps keys and
//! codes, not worded text), so answers, the step, the error summary and the
//! focus (on the button pressed) stay.

use enroll_core::msg;
use enroll_core::Locale;
use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let options = Locale::ALL.map(|locale| {
        view! {
            <button
                type="button"
                class="csp-language__option"
                lang=locale.tag()
                aria-pressed=move || (i18n.locale.get() == locale).to_string()
                // Pressing the language shown changes nothing.
                on:click=move |_| {
                    if i18n.locale.get_untracked() != locale {
                        i18n.locale.set(locale);
                    }
                }
            >
                {locale.own_name()}
            </button>
        }
    });
    view! {
        <div class="csp-language" role="group" aria-label=move || i18n.t(msg::LANGUAGE_LABEL)>
            {options.into_iter().collect_view()}
        </div>
    }
}
