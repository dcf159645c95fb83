//! The account's navigation: its sections, each shown only where the
//! user's roles allow (`AccountState::may`, from `GET /account`).

use enroll_core::account::Action;
use enroll_core::{msg, MessageKey};
use leptos::prelude::*;

use super::{AccountState, Section};
use crate::i18n::use_i18n;

/// The way back to the account's first page, from its inner pages.
#[component]
pub fn ToAccount() -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    view! {
        <button type="button" class="csp-back-link" data-to-account on:click=move |_| state.open(Section::Home)>
            {move || i18n.t(msg::account::ACCOUNT_NAV_HOME)}
        </button>
    }
}

/// Links to the pages the user's roles allow.
#[component]
pub fn AccountNav() -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let link = move |action: Action, section: Section, key: MessageKey, marker: &'static str| {
        state.may(action).then(|| {
            view! {
                <li>
                    <button type="button" class="csp-link-button" data-nav=marker on:click=move |_| state.open(section)>
                        {move || i18n.t(key)}
                    </button>
                </li>
            }
        })
    };
    view! {
        <nav aria-label=move || i18n.t(msg::account::ACCOUNT_NAV_LABEL)>
            <ul class="csp-list csp-actions">
                {move || link(Action::ListUsers, Section::Users, msg::account::ACCOUNT_NAV_USERS, "users")}
                {move || link(Action::ListUsers, Section::Domains, msg::account::ACCOUNT_NAV_DOMAINS, "domains")}
                {move || link(Action::ViewOrganizationProfile, Section::Profile, msg::account::ACCOUNT_NAV_PROFILE, "profile")}
                {move || link(Action::ViewProviderRequests, Section::ProviderRequests, msg::account::ACCOUNT_NAV_PROVIDERS, "providers")}
                {move || link(Action::ViewBusinessProfile, Section::BusinessProfile, msg::account::ACCOUNT_NAV_BUSINESS_PROFILE, "business-profile")}
                {move || link(Action::ViewReferrals, Section::Referrals, msg::account::ACCOUNT_NAV_REFERRALS, "referrals")}
                {move || link(Action::ViewCustomers, Section::Customers, msg::account::ACCOUNT_NAV_CUSTOMERS, "customers")}
            </ul>
        </nav>
    }
}
