//! The draft's state on the page: the save indicator with what to do when
//! saving failed, and "Save and come back later".

use enroll_core::draft::{Lifecycle, NextAction, SaveStatus, Trouble};
use enroll_core::msg;
use leptos::prelude::*;

use super::use_wizard;
use crate::api::describe_trouble;
use crate::i18n::use_i18n;

/// "Save and come back later": the resume link to copy, or emailed.
#[component]
pub fn SaveForLater() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let open = move |_| {
        if state.draft.get_untracked().is_none() {
            state.save_now();
        }
        state.later_open.set(true);
    };
    view! {
        <div class="csp-later">
            <button type="button" class="csp-link-button" aria-expanded=move || state.later_open.get().to_string() on:click=open>
                {move || i18n.t(msg::LATER_BUTTON)}
            </button>
            {move || state.later_open.get().then(|| view! {
                <div class="csp-inset" data-resume-panel="">
                    {move || match state.resume_link() {
                        None => view! { <p>{i18n.t(msg::SAVE_SAVING)}</p> }.into_any(),
                        Some(link) => {
                            let email = state.form.answers.with(|a| a.admin.email.trim().to_owned());
                            view! {
                                <p>{i18n.t(msg::LATER_EXPLAIN)}</p>
                                <label class="csp-label" for="f-resume-link">{i18n.t(msg::LATER_LINK_LABEL)}</label>
                                <input class="csp-input" id="f-resume-link" readonly value=link on:focus=|ev| {
                                    use wasm_bindgen::JsCast;
                                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                        input.select();
                                    }
                                }/>
                                <p class="csp-hint">{i18n.t(msg::LATER_PRIVATE)}</p>
                                {if email.is_empty() {
                                    view! { <p>{i18n.t(msg::LATER_NO_EMAIL)}</p> }.into_any()
                                } else if !state.admin_email_proven() {
                                    // Our sender mails only an address shown
                                    // to be the applicant's.
                                    view! { <p data-resume-unproven="">{i18n.t(msg::LATER_UNPROVEN)}</p> }.into_any()
                                } else {
                                    view! {
                                        <button type="button" class="csp-button csp-button--secondary" data-email-link="" on:click=move |_| state.email_resume_link()>
                                            {i18n.tf(msg::LATER_EMAIL_BUTTON, &[("email", &email)])}
                                        </button>
                                    }.into_any()
                                }}
                                {move || state.emailed_to.get().map(|to| view! {
                                    <p role="status" data-resume-emailed="">{i18n.tf(msg::LATER_EMAILED, &[("email", &to)])}</p>
                                })}
                            }.into_any()
                        }
                    }}
                </div>
            })}
        </div>
    }
}

/// "Saving…" / "Saved" / what went wrong, announced politely, with what
/// the applicant can do about it.
#[component]
pub fn SaveIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let trouble = Memo::new(move |_| state.lifecycle.with(|l| l.trouble().cloned()));
    view! {
        <p class="csp-save-state" role="status" aria-live="polite">
            {move || match (state.lifecycle.with(Lifecycle::save_status), trouble.get()) {
                // A conflict is worded in its notice, beside its choice.
                (_, Some(Trouble::Conflict)) => String::new(),
                (_, Some(trouble)) => describe_trouble(&trouble, &i18n),
                (SaveStatus::Saving, _) => i18n.t(msg::SAVE_SAVING),
                (SaveStatus::Saved, _) => i18n.t(msg::SAVE_SAVED),
                (SaveStatus::New | SaveStatus::Unsaved | SaveStatus::Trouble, _) => String::new(),
            }}
        </p>
        {move || trouble.get().map(|trouble| match trouble.next_action() {
            NextAction::ChooseVersion => view! {
                <div class="csp-notice csp-notice--problem" role="alert" data-conflict="">
                    <p>{i18n.t(msg::SAVE_CONFLICT)}</p>
                    <button type="button" class="csp-button" on:click=move |_| state.keep_mine()>{i18n.t(msg::SAVE_KEEP_MINE)}</button>
                    " "
                    <button type="button" class="csp-button csp-button--secondary" on:click=move |_| state.take_saved()>{i18n.t(msg::SAVE_TAKE_THEIRS)}</button>
                </div>
            }.into_any(),
            NextAction::RetryNow => view! {
                <p class="csp-save-action"><button type="button" class="csp-button csp-button--secondary" data-retry-now="" on:click=move |_| state.retry_now()>{i18n.t(msg::DRAFT_RETRY_NOW)}</button></p>
            }.into_any(),
            NextAction::StartAgain => view! {
                <p class="csp-save-action"><button type="button" class="csp-button" on:click=move |_| state.start_again()>{i18n.t(msg::DRAFT_START_AGAIN)}</button></p>
            }.into_any(),
            NextAction::ShowStatus => view! {
                <p class="csp-save-action"><button type="button" class="csp-button" on:click=move |_| state.show_status()>{i18n.t(msg::DRAFT_SHOW_STATUS)}</button></p>
            }.into_any(),
            // The problems are at their fields and in the error summary.
            NextAction::FixAnswers => ().into_any(),
        })}
    }
}
