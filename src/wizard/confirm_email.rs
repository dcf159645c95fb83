//! The code page: the admin's address is proven with a code emailed to it
//! before the application can be sent (review emails and the partner
//! account's password go only to a proven address).

use enroll_core::account::limits;
use enroll_core::admin_proof::AdminProof;
use enroll_core::msg;
use enroll_core::outbox::Delivery;
use enroll_core::Step;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use super::use_wizard;
use crate::i18n::use_i18n;
use crate::ui::field::PlainField;

/// How often the page asks whether the code's email reached the relay.
const DELIVERY_CHECK_MILLIS: u32 = 3_000;

#[component]
pub fn ConfirmEmail() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let code = RwSignal::new(String::new());
    let typed = move || state.form.answers.with(|a| a.admin.email.trim().to_owned());
    // Said sent only where the server said it sent it: the address typed.
    let sent = Memo::new(move |_| state.admin_proof.with(|p| p.code_went_to(&typed())));
    let resent = Memo::new(move |_| state.admin_proof.with(AdminProof::resent));
    // A request for a code starting or ending (a "send a new code").
    let sending = Memo::new(move |_| state.admin_proof.with(AdminProof::sending));
    // The code goes to the address the server has: asked for once the
    // answers with it are saved (and again should the save come later).
    Effect::new(move |_| state.admin_code_page_opened());
    // Whether the email reached the mail relay: someone waiting for a code
    // that will not come is told so here, not left waiting. Asked every
    // few seconds after each send until it is known (and no longer once
    // the page is left).
    let delivery = RwSignal::new(None::<Delivery>);
    Effect::new(move |_| {
        if !sent.get() {
            return;
        }
        // What was known of the newest code's delivery is old once
        // another is asked for, and again once it is sent.
        sending.track();
        delivery.set(None);
        spawn_local_scoped_with_cancellation(async move {
            let Some(draft) = state.draft.get_untracked() else {
                return;
            };
            // For as long as the code works, and not past an answer that
            // is not one (no code sent, a token no longer valid).
            let checks = limits::EMAIL_CODE_SECS * 1000 / u64::from(DELIVERY_CHECK_MILLIS);
            for _ in 0..checks {
                gloo_timers::future::TimeoutFuture::new(DELIVERY_CHECK_MILLIS).await;
                let locale = i18n.locale.get_untracked();
                let Ok(now) = state.api().admin_code_delivery(&draft, locale).await else {
                    return;
                };
                delivery.set(Some(now));
                if now.is_final() {
                    return;
                }
            }
        });
    });
    let undelivered = move || delivery.get().is_some_and(Delivery::is_undelivered);
    let delivery_note = move || match delivery.get() {
        Some(Delivery::Retrying) => Some(("csp-hint", i18n.t(msg::CONFIRM_EMAIL_DELAYED))),
        Some(known) if known.is_undelivered() => Some((
            "csp-error-message",
            i18n.t(msg::CONFIRM_EMAIL_UNDELIVERED_HELP),
        )),
        _ => None,
    };
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            state.verify_admin_code(code.get_untracked());
        }>
            <h1 class="csp-heading-l">{move || i18n.t(Step::ConfirmEmail.title_key())}</h1>
            <p>
                {move || i18n.t(if undelivered() {
                    msg::CONFIRM_EMAIL_UNDELIVERED
                } else if sent.get() {
                    msg::CONFIRM_EMAIL_SENT
                } else {
                    msg::CONFIRM_EMAIL_SENDING
                })}
                " "<strong class="csp-address">{typed}</strong>
            </p>
            <p role="status">
                {move || delivery_note().map(|(class, text)| view! { <strong class=class>{text}</strong> })}
            </p>
            <p>{move || i18n.t(msg::CONFIRM_EMAIL_WHY)}</p>
            <PlainField
                path="code"
                label_key=msg::CONFIRM_EMAIL_CODE
                hint_key=msg::CONFIRM_EMAIL_CODE_HINT
                autocomplete="one-time-code"
                inputmode="numeric"
                width="csp-input--10"
                value=code
                errors=state.form.errors
            />
            <button type="submit" class="csp-button">{move || i18n.t(msg::FORM_CONTINUE)}</button>
            <p role="status" class="csp-hint">
                {move || resent.get().then(|| i18n.t(msg::CONFIRM_EMAIL_RESENT))}
            </p>
            <ul class="csp-list csp-actions">
                <li>
                    <button type="button" class="csp-link-button" on:click=move |_| state.send_admin_code_again()>
                        {move || i18n.t(msg::CONFIRM_EMAIL_SEND_AGAIN)}
                    </button>
                </li>
                <li>
                    <button type="button" class="csp-link-button" on:click=move |_| {
                        state.form.errors.set(Vec::new());
                        state.wizard.update(enroll_core::Wizard::back);
                    }>
                        {move || i18n.t(msg::CONFIRM_EMAIL_CHANGE_ADDRESS)}
                    </button>
                </li>
            </ul>
        </form>
    }
}
