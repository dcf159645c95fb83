//! An action that asks first (withdrawing an invitation, declining one):
//! its button turns into the question, with a button that confirms and
//! one that cancels. Focus goes to the confirming button as the question
//! appears, and back to the asking one on Cancel or Escape, so a keyboard
//! user never loses their place.

use leptos::html::Button;
use leptos::prelude::*;

#[component]
pub fn AskFirst(
    /// The question's element id, unique on the page: the group of
    /// buttons is labelled by it.
    id: String,
    /// Names the buttons for tests and styles (`data-ask`, `data-yes`).
    marker: &'static str,
    /// The asking button's words, and its class.
    #[prop(into)]
    label: Signal<String>,
    #[prop(default = "csp-link-button")] class: &'static str,
    /// What the action is about, said after `label` to screen readers
    /// only (a list has a "Withdraw" on every row).
    #[prop(optional, into)]
    about: String,
    #[prop(into)] question: Signal<String>,
    #[prop(into)] yes: Signal<String>,
    #[prop(into)] no: Signal<String>,
    on_yes: Callback<()>,
    /// The confirming button says it is busy while its request is on its
    /// way.
    #[prop(into)]
    pending: Signal<bool>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let yes_button = NodeRef::<Button>::new();
    let ask_button = NodeRef::<Button>::new();
    Effect::new(move |previous: Option<bool>| {
        let now = asking.get();
        if previous.is_some() {
            request_animation_frame(move || {
                let target = if now { yes_button } else { ask_button };
                if let Some(button) = target.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
        now
    });
    let about = (!about.is_empty()).then(|| format!(" {about}"));
    move || {
        if asking.get() {
            let (id, labelled_by) = (id.clone(), id.clone());
            view! {
                <span class="csp-confirm" role="group" aria-labelledby=labelled_by
                    on:keydown=move |ev| if ev.key() == "Escape" { asking.set(false) }>
                    <span id=id>{question}</span>" "
                    <button type="button" class="csp-button csp-button--warning" node_ref=yes_button data-yes=marker
                        aria-disabled=move || pending.get().to_string() on:click=move |_| on_yes.run(())>
                        {yes}
                    </button>" "
                    <button type="button" class="csp-link-button" on:click=move |_| asking.set(false)>{no}</button>
                </span>
            }
            .into_any()
        } else {
            let about = about
                .clone()
                .map(|about| view! { <span class="csp-visually-hidden">{about}</span> });
            view! {
                <button type="button" class=class node_ref=ask_button data-ask=marker on:click=move |_| asking.set(true)>
                    {label}{about}
                </button>
            }
            .into_any()
        }
    }
}
