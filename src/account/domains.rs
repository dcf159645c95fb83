//! The domains the account's users may have addresses in, and proving
//! another with an emailed code.

use enroll_core::account::Action;
use enroll_core::domains::{AccountDomains, DomainCode, DomainCodeSent, DomainProofRequest};
use enroll_core::msg;
use leptos::html::H1;
use leptos::prelude::*;

use super::AccountState;
use crate::i18n::use_i18n;
use crate::ui::field::PlainField;

/// The account's domains (users are added in these only) and, for a
/// global admin, proving another: a domain and an address in it, then the
/// code emailed there.
#[component]
pub fn DomainsPage(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let domain = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // The domain a code was sent for; the notice said where.
    let sent = RwSignal::new(None::<DomainCodeSent>);
    let told = RwSignal::new(None::<String>);
    let send = state.request(
        |api, token, locale, request: DomainProofRequest| async move {
            api.prove_domain(&token, &request, locale).await
        },
        move |_, answer: DomainCodeSent| {
            let minutes = (answer.expires_in_secs / 60).to_string();
            told.set(Some(i18n.tf(
                msg::account::ACCOUNT_DOMAINS_SENT,
                &[("email", &answer.to), ("minutes", &minutes)],
            )));
            code.set(String::new());
            sent.set(Some(answer));
        },
    );
    let verify = state.request(
        |api, token, locale, (domain, typed): (String, DomainCode)| async move {
            let proven = api.verify_domain(&token, &domain, &typed, locale).await;
            proven.map(|_| domain)
        },
        move |_, proven: String| {
            told.set(Some(i18n.tf(
                msg::account::ACCOUNT_DOMAINS_PROVEN,
                &[("domain", &proven)],
            )));
            sent.set(None);
            domain.set(String::new());
            email.set(String::new());
        },
    );
    let domains = state.loaded(
        move || {
            verify.version();
        },
        |api, token, locale| async move { api.domains(&token, locale).await },
    );
    let domains = move || {
        let list = domains
            .get()
            .flatten()
            .map(|list: AccountDomains| list.items);
        list.unwrap_or_default().into_iter().map(|d| d.domain)
    };
    let send_proof = move || {
        send.send(DomainProofRequest {
            domain: domain.get_untracked(),
            email: email.get_untracked(),
        })
    };
    let send_code = move || {
        if let Some(for_domain) = sent.get_untracked().map(|s| s.domain) {
            let typed = DomainCode {
                code: code.get_untracked(),
            };
            verify.send((for_domain, typed));
        }
    };
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_DOMAINS_TITLE)}</h1>
        <section data-domains>
            <p>{move || i18n.t(msg::account::ACCOUNT_DOMAINS_INTRO)}</p>
            <ul class="csp-list">
                {move || domains().map(|d| view! { <li>{d}</li> }).collect::<Vec<_>>()}
            </ul>
            {move || told.get().map(|t| view! { <p class="csp-notice" role="status">{t}</p> })}
            {move || state.may(Action::ProveDomain).then(|| match sent.get() {
                None => view! {
                    <form novalidate class="csp-prove-domain" on:submit=move |ev| { ev.prevent_default(); send_proof(); }>
                        <h2 class="csp-heading-m">{move || i18n.t(msg::account::ACCOUNT_DOMAINS_ADD)}</h2>
                        <p>{move || i18n.t(msg::account::ACCOUNT_DOMAINS_ADD_INTRO)}</p>
                        <PlainField path="domain" label_key=msg::account::ACCOUNT_DOMAINS_DOMAIN hint_key=msg::account::ACCOUNT_DOMAINS_DOMAIN_HINT width="csp-input--20" autocomplete="off" value=domain errors=state.errors/>
                        <PlainField path="email" label_key=msg::account::ACCOUNT_DOMAINS_EMAIL input_type="email" autocomplete="off" value=email errors=state.errors/>
                        <button type="submit" class="csp-button csp-button--secondary">{move || i18n.t(msg::account::ACCOUNT_DOMAINS_SEND)}</button>
                    </form>
                }.into_any(),
                Some(_) => view! {
                    <form novalidate class="csp-prove-domain" on:submit=move |ev| { ev.prevent_default(); send_code(); }>
                        <PlainField path="code" label_key=msg::account::ACCOUNT_DOMAINS_CODE width="csp-input--10" autocomplete="one-time-code" inputmode="numeric" value=code errors=state.errors/>
                        <button type="submit" class="csp-button">{move || i18n.t(msg::account::ACCOUNT_DOMAINS_VERIFY)}</button>
                        <p>
                            <button type="button" class="csp-link-button" data-another-address on:click=move |_| {
                                sent.set(None);
                                told.set(None);
                            }>{move || i18n.t(msg::account::ACCOUNT_DOMAINS_ANOTHER)}</button>
                        </p>
                    </form>
                }.into_any(),
            })}
        </section>
    }
}
