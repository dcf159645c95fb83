//! Start: what the program is, what the applicant needs, how one can sell,
//! and whether direct enrollment is open.

use enroll_core::msg;
use enroll_core::ProgramSettings;
use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn StartPage(
    /// The program settings from the API.
    program: ProgramSettings,
    /// What "Start now" does.
    on_start: impl Fn() + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    // In the language shown, whichever it is now.
    let program_name = {
        let program = program.clone();
        move || program.name_in(i18n.locale.get()).to_owned()
    };
    let ProgramSettings {
        direct_enrollment_open,
        direct_enrollment_note,
        links,
        ..
    } = program;
    let needs = [
        msg::START_NEED_MPN,
        msg::START_NEED_ADDRESS,
        msg::START_NEED_BANK,
        msg::START_NEED_ADMIN,
    ];
    let direct_key = if direct_enrollment_open {
        msg::PROGRAM_DIRECT_OPEN
    } else {
        msg::PROGRAM_DIRECT_CLOSED
    };
    view! {
        <h1 class="csp-heading-xl">{move || i18n.tf(msg::START_HEADING, &[("program", &program_name())])}</h1>
        <p class="csp-lead">{move || i18n.t(msg::START_LEAD)}</p>

        <h2 class="csp-heading-m">{move || i18n.t(msg::START_NEED_HEADING)}</h2>
        <p>{move || i18n.t(msg::START_NEED_INTRO)}</p>
        <ul class="csp-list csp-list--bullet">
            {needs.map(|key| view! { <li>{move || i18n.t(key)}</li> })}
        </ul>
        <p>
            <a class="csp-link" href=links.join_mpn target="_blank" rel="noopener noreferrer">
                {move || i18n.t(msg::START_NO_MPN)}
            </a>
        </p>

        <h2 class="csp-heading-m">{move || i18n.t(msg::MODELS_HEADING)}</h2>
        <div class="csp-models">
            <section class="csp-card" aria-labelledby="csp-model-indirect">
                <h3 class="csp-heading-s" id="csp-model-indirect">{move || i18n.t(msg::MODELS_INDIRECT_TITLE)}</h3>
                <p>{move || i18n.t(msg::MODELS_INDIRECT_BODY)}</p>
            </section>
            <section class="csp-card" aria-labelledby="csp-model-direct">
                <h3 class="csp-heading-s" id="csp-model-direct">{move || i18n.t(msg::MODELS_DIRECT_TITLE)}</h3>
                <p>{move || i18n.t(msg::MODELS_DIRECT_BODY)}</p>
            </section>
        </div>
        <div
            class="csp-notice"
            class:csp-notice--open=direct_enrollment_open
            data-direct-enrollment=if direct_enrollment_open { "open" } else { "closed" }
        >
            <p class="csp-notice__title">{move || i18n.t(direct_key)}</p>
            {direct_enrollment_note.map(|note| view! { <p>{note}</p> })}
        </div>

        <p class="csp-hint">{move || i18n.t(msg::START_REVIEW_TIME)}</p>
        <button type="button" class="csp-button csp-button--start" on:click=move |_| on_start()>
            {move || i18n.t(msg::START_START_BUTTON)}
        </button>
    }
}
