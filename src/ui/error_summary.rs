//! "There is a problem": focused when it appears, one link per error that
//! moves focus to its field (never the URL).

use enroll_core::msg;
use enroll_core::{Catalog, Problem};
use leptos::html::Div;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::{field_id, focus_in_root};

#[component]
pub fn ErrorSummary(
    /// The problems to list; nothing shows while empty.
    errors: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = NodeRef::<Div>::new();
    // Focus the summary each time a Continue finds problems, so screen
    // readers announce it and keyboard users start from it. Only then: a
    // language switch re-words it in place and leaves focus on the switch.
    Effect::new(move |_| {
        if !errors.with(Vec::is_empty) {
            if let Some(element) = summary.get_untracked() {
                let _ = element.focus();
            }
        }
    });
    move || {
        let problems = errors.get();
        (!problems.is_empty()).then(|| {
            let items: Vec<_> = problems
                .into_iter()
                .map(|problem| {
                    let id = field_id(&problem.field);
                    let href = format!("#{id}");
                    let message =
                        move || Catalog::get(i18n.locale.get()).problem_message(&problem);
                    view! {
                        <li>
                            <a class="csp-link" href=href on:click=move |ev| {
                                ev.prevent_default();
                                if let Some(target) = ev.target() {
                                    focus_in_root(&target, &id);
                                }
                            }>{message}</a>
                        </li>
                    }
                })
                .collect();
            view! {
                <div class="csp-error-summary" node_ref=summary tabindex="-1" role="alert" aria-labelledby="csp-error-summary-title">
                    <h2 class="csp-error-summary__title" id="csp-error-summary-title">{move || i18n.t(msg::FORM_ERROR_SUMMARY)}</h2>
                    <ul class="csp-list">{items}</ul>
                </div>
            }
        })
    }
}
