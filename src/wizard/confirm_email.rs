//! The code page: the admin's address is proven with a code emailed to it
//! before the application can be sent (review emails and the partner
//! account's password go only to a proven address).

use enroll_core::Step;
use leptos::prelude::*;

use super::use_wizard;
use crate::i18n::use_i18n;
use crate::ui::field::PlainField;

#[component]
pub fn ConfirmEmail() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let code = RwSignal::new(String::new());
    let typed = move || state.form.answers.with(|a| a.admin.email.trim().to_owned());
    // Said sent only where the server said it sent it: the address typed.
    let sent = move || {
        let typed = typed().to_ascii_lowercase();
        state
            .admin_code_sent_to
            .with(|to| to.as_deref() == Some(typed.as_str()))
    };
    // The code goes to the address the server has: asked for once the
    // answers with it are saved (and again should the save come later).
    Effect::new(move |_| {
        if state.answers_saved() {
            state.send_admin_code(false);
        }
    });
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            state.verify_admin_code(code.get_untracked());
        }>
            <h1 class="csp-heading-l">{move || i18n.t(Step::ConfirmEmail.title_key())}</h1>
            <p>
                {move || if sent() { i18n.t("confirm_email.sent") } else { i18n.t("confirm_email.sending") }}
                " "<strong class="csp-address">{typed}</strong>
            </p>
            <p>{move || i18n.t("confirm_email.why")}</p>
            <PlainField
                path="code"
                label_key="confirm_email.code"
                hint_key="confirm_email.code_hint"
                autocomplete="one-time-code"
                inputmode="numeric"
                width="csp-input--10"
                value=code
                errors=state.form.errors
            />
            <button type="submit" class="csp-button">{move || i18n.t("form.continue")}</button>
            <p role="status" class="csp-hint">
                {move || state.admin_code_resent.get().then(|| i18n.t("confirm_email.resent"))}
            </p>
            <ul class="csp-list csp-actions">
                <li>
                    <button type="button" class="csp-link-button" on:click=move |_| state.send_admin_code(true)>
                        {move || i18n.t("confirm_email.send_again")}
                    </button>
                </li>
                <li>
                    <button type="button" class="csp-link-button" on:click=move |_| {
                        state.form.errors.set(Vec::new());
                        state.wizard.update(enroll_core::Wizard::back);
                    }>
                        {move || i18n.t("confirm_email.change_address")}
                    </button>
                </li>
            </ul>
        </form>
    }
}
