//! The account's pages. Thin: each form hands its fields to `AccountState`
//! and shows what comes back; the error summary and field errors are the
//! wizard's components.

use enroll_core::account::{Action, Role};
use enroll_core::{msg, MessageKey};
use leptos::html::H1;
use leptos::prelude::*;

use super::{domains, nav, profile, provider_requests, users, AccountState, Page};
use crate::i18n::use_i18n;
use crate::later::{self, LaterPart};
use crate::partners::PartnersPage;
use crate::ui::error_summary::ErrorSummary;
use crate::ui::field::PlainField;

#[component]
pub fn AccountPages(email: String, on_back: Option<Callback<()>>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let page = Memo::new(move |_| state.page());
    // A new page starts with its heading focused (screen readers read it,
    // the keyboard starts from it); its old problems go.
    let heading = NodeRef::<H1>::new();
    Effect::new(move |previous: Option<Page>| {
        let now = page.get();
        if previous.is_some_and(|p| p != now) {
            state.errors.set(Vec::new());
            request_animation_frame(move || {
                if let Some(h1) = heading.get_untracked() {
                    let _ = h1.focus();
                }
            });
        }
        now
    });
    let email = RwSignal::new(email);
    view! {
        // Back to the application from the account's first pages; its
        // inner pages lead back to the account instead.
        // (Both before the error summary, as on the wizard's pages.)
        {move || {
            let inner = matches!(page.get(), Page::Users | Page::Domains | Page::Profile | Page::ProviderRequests | Page::BusinessProfile | Page::Referrals | Page::Customers);
            if inner {
                return Some(view! { <nav::ToAccount/> }.into_any());
            }
            on_back.map(|back| view! {
                <button type="button" class="csp-back-link" on:click=move |_| back.run(())>
                    {move || i18n.t(msg::account::ACCOUNT_BACK)}
                </button>
            }.into_any())
        }}
        {move || state.notice.get().map(|failure| view! {
            <div class="csp-notice csp-notice--problem" role="alert"><p>{move || failure.describe(&i18n)}</p></div>
        })}
        <ErrorSummary errors=state.errors/>
        {move || match page.get() {
            Page::SignIn => view! { <SignIn heading=heading email=email/> }.into_any(),
            Page::MfaCode => view! { <MfaCode heading=heading/> }.into_any(),
            Page::ChangePassword => view! { <ChangePassword heading=heading/> }.into_any(),
            Page::EnrolMfa => view! { <EnrolMfa heading=heading/> }.into_any(),
            Page::RecoveryCodes => view! { <RecoveryCodes heading=heading/> }.into_any(),
            Page::Home => view! { <Home heading=heading/> }.into_any(),
            Page::Users => view! { <users::Users heading=heading/> }.into_any(),
            Page::Domains => view! { <domains::DomainsPage heading=heading/> }.into_any(),
            Page::Profile => view! { <profile::ProfilePage heading=heading/> }.into_any(),
            Page::ProviderRequests => view! { <provider_requests::ProviderRequests heading=heading/> }.into_any(),
            // A part of their own, with the partners' book of messages.
            Page::BusinessProfile => view! { <LaterPart load=Box::new(move || later::partners(PartnersPage::BusinessProfile, heading))/> }.into_any(),
            Page::Referrals => view! { <LaterPart load=Box::new(move || later::partners(PartnersPage::Referrals, heading))/> }.into_any(),
            Page::Customers => view! { <LaterPart load=Box::new(move || later::partners(PartnersPage::Customers, heading))/> }.into_any(),
        }}
    }
}

/// The form's button: "Please wait" while its request is on its way.
#[component]
pub(super) fn Submit(label_key: MessageKey, pending: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="csp-button" aria-disabled=move || pending.get().to_string()>
            {move || if pending.get() { i18n.t(msg::account::ACCOUNT_WAIT) } else { i18n.t(label_key) }}
        </button>
    }
}

#[component]
fn SignIn(heading: NodeRef<H1>, email: RwSignal<String>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let sign_in = state.signing_in();
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            state.signed_out.set(false);
            let (email, password) = (email.get_untracked(), password.get_untracked());
            if state.filled(&[("email", &email), ("password", &password)]) {
                sign_in.send((email, password));
            }
        }>
            <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_SIGN_IN_TITLE)}</h1>
            {move || state.signed_out.get().then(|| view! {
                <p class="csp-notice" role="status">{move || i18n.t(msg::account::ACCOUNT_SIGNED_OUT)}</p>
            })}
            <p>{move || i18n.t(msg::account::ACCOUNT_SIGN_IN_INTRO)}</p>
            <PlainField path="email" label_key=msg::account::ACCOUNT_EMAIL input_type="email" autocomplete="username" value=email errors=state.errors/>
            <PlainField path="password" label_key=msg::account::ACCOUNT_PASSWORD input_type="password" autocomplete="current-password" width="csp-input--20" value=password errors=state.errors/>
            <Submit label_key=msg::account::ACCOUNT_SIGN_IN_SUBMIT pending=sign_in.pending()/>
        </form>
    }
}

#[component]
fn MfaCode(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let give = state.giving_mfa_code();
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            let code = code.get_untracked();
            if state.filled(&[("code", &code)]) {
                give.send(code);
            }
        }>
            <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_MFA_TITLE)}</h1>
            <PlainField path="code" label_key=msg::account::ACCOUNT_MFA_CODE hint_key=msg::account::ACCOUNT_MFA_CODE_HINT autocomplete="one-time-code" width="csp-input--10" value=code errors=state.errors/>
            <Submit label_key=msg::FORM_CONTINUE pending=give.pending()/>
        </form>
    }
}

#[component]
fn ChangePassword(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = state.changing_password();
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            let (current, new) = (current.get_untracked(), new.get_untracked());
            if state.filled(&[("current_password", &current), ("new_password", &new)]) {
                change.send((current, new));
            }
        }>
            <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_PASSWORD_TITLE)}</h1>
            <p>{move || i18n.t(msg::account::ACCOUNT_PASSWORD_INTRO)}</p>
            <PlainField path="current_password" label_key=msg::account::ACCOUNT_PASSWORD_CURRENT input_type="password" autocomplete="current-password" width="csp-input--20" value=current errors=state.errors/>
            <PlainField path="new_password" label_key=msg::account::ACCOUNT_PASSWORD_NEW hint_key=msg::account::ACCOUNT_PASSWORD_NEW_HINT input_type="password" autocomplete="new-password" width="csp-input--20" value=new errors=state.errors/>
            <Submit label_key=msg::account::ACCOUNT_PASSWORD_SUBMIT pending=change.pending()/>
        </form>
    }
}

#[component]
fn EnrolMfa(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let offering = state.offering_totp();
    let confirm = state.confirming_totp();
    // A secret is asked for as the page opens.
    offering.send(());
    let offer = move || offering.answer();
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            let code = code.get_untracked();
            if state.filled(&[("code", &code)]) {
                confirm.send(code);
            }
        }>
            <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_ENROL_TITLE)}</h1>
            <p>{move || i18n.t(msg::account::ACCOUNT_ENROL_INTRO)}</p>
            <ol class="csp-list csp-list--number">
                <li>
                    <p>{move || i18n.t(msg::account::ACCOUNT_ENROL_SCAN)}</p>
                    // The QR code is made by the API from the secret alone.
                    <div class="csp-qr" role="img" aria-label=move || i18n.t(msg::account::ACCOUNT_ENROL_QR_LABEL)
                        inner_html=move || offer().map(|o| o.qr_svg).unwrap_or_default()></div>
                </li>
                <li>
                    <p>{move || i18n.t(msg::account::ACCOUNT_ENROL_TYPE)}</p>
                    <p><code class="csp-secret" data-secret>{move || offer().map(|o| o.secret).unwrap_or_default()}</code></p>
                </li>
                <li>
                    <PlainField path="code" label_key=msg::account::ACCOUNT_ENROL_CODE hint_key=msg::account::ACCOUNT_ENROL_CODE_HINT autocomplete="one-time-code" inputmode="numeric" width="csp-input--10" value=code errors=state.errors/>
                </li>
            </ol>
            <Submit label_key=msg::FORM_CONTINUE pending=confirm.pending()/>
        </form>
    }
}

#[component]
fn RecoveryCodes(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let codes = move || {
        state
            .recovery_codes
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|code| view! { <li><code>{code}</code></li> })
            .collect::<Vec<_>>()
    };
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_CODES_TITLE)}</h1>
        <p>{move || i18n.t(msg::account::ACCOUNT_CODES_INTRO)}</p>
        <ul class="csp-list csp-codes" data-recovery-codes>{codes}</ul>
        <button type="button" class="csp-button" on:click=move |_| state.codes_kept()>
            {move || i18n.t(msg::account::ACCOUNT_CODES_KEPT)}
        </button>
    }
}

#[component]
fn Home(heading: NodeRef<H1>) -> impl IntoView {
    let sign_out = expect_context::<AccountState>().signing_out();
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let roles = move |roles: &[Role]| {
        let names: Vec<String> = roles.iter().map(|role| i18n.t(role.label_key())).collect();
        i18n.list(&names)
    };
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>
            {move || state.account.with(|a| a.as_ref().map(|a| a.company.clone()))
                .unwrap_or_else(|| i18n.t(msg::account::ACCOUNT_HOME_TITLE))}
        </h1>
        {move || state.account.get().map(|account| {
            let user = account.user.clone();
            let name = format!("{} {}", user.first_name, user.last_name);
            let may_manage = account.actions.contains(&Action::ManageOwnSecurity);
            view! {
                <dl class="csp-summary" data-account>
                    <div class="csp-summary__row">
                        <dt class="csp-summary__key">{move || i18n.t(msg::account::ACCOUNT_HOME_SIGNED_IN_AS)}</dt>
                        <dd class="csp-summary__value">{name}<br/>{user.email.clone()}</dd>
                    </div>
                    <div class="csp-summary__row">
                        <dt class="csp-summary__key">{move || i18n.t(msg::account::ACCOUNT_HOME_ROLES)}</dt>
                        <dd class="csp-summary__value" data-roles>{move || roles(&user.roles)}</dd>
                    </div>
                    <div class="csp-summary__row">
                        <dt class="csp-summary__key">{move || i18n.t(msg::account::ACCOUNT_HOME_STATUS)}</dt>
                        <dd class="csp-summary__value">{move || i18n.t(account.status.label_key())}</dd>
                    </div>
                </dl>
                <nav::AccountNav/>
                {may_manage.then(|| view! { <p class="csp-hint">{move || i18n.t(msg::account::ACCOUNT_HOME_SECURITY)}</p> })}
            }
        })}
        <button type="button" class="csp-button csp-button--secondary" data-sign-out on:click=move |_| sign_out.send(())>
            {move || i18n.t(msg::account::ACCOUNT_SIGN_OUT)}
        </button>
    }
}
