//! The requests to indirect providers made from the finder, and their
//! answers.

use enroll_core::msg;
use enroll_core::ProviderRequest;
use leptos::html::H1;
use leptos::prelude::*;

use super::AccountState;
use crate::i18n::use_i18n;

#[component]
pub fn ProviderRequests(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let requests = state.loaded(
        || (),
        |api, token, locale| async move { api.provider_relationships(&token, locale).await },
    );
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_PROVIDERS_TITLE)}</h1>
        {move || requests.get().flatten().map(|list: Vec<ProviderRequest>| if list.is_empty() {
            view! { <p data-provider-requests>{move || i18n.t(msg::account::ACCOUNT_PROVIDERS_NONE)}</p> }.into_any()
        } else {
            view! {
                <ul class="csp-list csp-history" data-provider-requests>
                    {list.into_iter().map(|r| {
                        let status = i18n.request_status(&r);
                        view! { <li><strong>{r.provider_name}</strong>" — "{status}" · "{i18n.date(&r.created_at, false)}</li> }
                    }).collect::<Vec<_>>()}
                </ul>
            }.into_any()
        })}
    }
}
