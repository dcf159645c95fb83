//! Check your answers, the confirmation, and the status page.

use enroll_core::address::AddressFormat;
use enroll_core::msg;
use enroll_core::{ApplicationStatus, PartnerModel, Step};
use leptos::prelude::*;

use super::use_wizard;
use crate::embed::HostEvent;
use crate::i18n::{country_name, use_i18n};
use enroll_core::bank::mask_secrets;

#[component]
pub fn CheckAnswers() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    // The written order needs the country's format (not yet asked for when
    // a resume link opened the application here).
    Effect::new(move |_| {
        state.load_address_format(state.form.answers.with(|a| a.address.country.clone()))
    });
    let rows = move || {
        let a = state.form.answers.get();
        let locale = i18n.locale.get();
        let model = match a.model {
            Some(PartnerModel::IndirectReseller) => i18n.t(msg::MODELS_INDIRECT_TITLE),
            Some(PartnerModel::DirectPartner) => i18n.t(msg::MODELS_DIRECT_TITLE),
            None => String::new(),
        };
        // In the order the country writes its addresses (postal code first
        // in Japan, after the city in Germany), the country last.
        let address = state
            .address_format(&a.address.country)
            .unwrap_or_else(AddressFormat::fallback)
            .written_lines(&a.address)
            .into_iter()
            .chain(std::iter::once(country_name(&a.address.country, locale)));
        let address = lines(address);
        let mut shown = a.bank.clone();
        mask_secrets(&mut shown);
        let bank = lines([
            shown.account_holder,
            shown.iban,
            shown.bic,
            shown.routing_code,
            shown.account_number,
            country_name(&a.bank.country, locale),
        ]);
        let name = format!("{} {}", a.admin.first_name.trim(), a.admin.last_name.trim());
        let admin = lines([
            name,
            a.admin.email.trim().to_owned(),
            a.admin.phone.trim().to_owned(),
        ]);
        let tenant = lines([
            a.tenant.csp_domain.clone(),
            a.tenant.corporate_domain.clone(),
        ]);
        vec![
            (msg::CHECK_MODEL, model, Step::Model),
            (msg::CHECK_MPN_ID, a.mpn_id.clone(), Step::MpnId),
            (
                msg::CHECK_COMPANY,
                a.company.legal_name.clone(),
                Step::Company,
            ),
            (msg::CHECK_ADDRESS, address, Step::Company),
            (msg::CHECK_BANK, bank, Step::Bank),
            (msg::CHECK_ADMIN, admin, Step::Admin),
            (msg::CHECK_TENANT, tenant, Step::Tenant),
        ]
    };
    let sending = move || state.lifecycle.with(|l| l.submitting());
    let may_submit = move || state.lifecycle.with(|l| l.may_submit());
    view! {
        <h1 class="csp-heading-l">{move || i18n.t(msg::STEP_CHECK_TITLE)}</h1>
        <dl class="csp-summary">
            {move || rows().into_iter().map(|(key, value, step)| view! {
                <div class="csp-summary__row">
                    <dt class="csp-summary__key">{i18n.t(key)}</dt>
                    <dd class="csp-summary__value">{value}</dd>
                    <dd class="csp-summary__actions">
                        <button type="button" class="csp-link-button" on:click=move |_| {
                            state.form.errors.set(Vec::new());
                            state.wizard.update(|w| w.change(step));
                        }>
                            {i18n.t(msg::CHECK_CHANGE)}
                            <span class="csp-visually-hidden">{format!(" {}", i18n.t(key))}</span>
                        </button>
                    </dd>
                </div>
            }).collect::<Vec<_>>()}
        </dl>
        <h2 class="csp-heading-m">{move || i18n.t(msg::CHECK_SEND_HEADING)}</h2>
        <p>{move || i18n.t(msg::CHECK_SEND_BODY)}</p>
        // Pressed while answers are being saved, it sends right after them.
        <button type="button" class="csp-button" aria-disabled=move || (!may_submit()).to_string() on:click=move |_| state.submit()>
            {move || if sending() { i18n.t(msg::CHECK_SUBMITTING) } else { i18n.t(msg::CHECK_SUBMIT) }}
        </button>
    }
}

/// One fact per line (the value keeps line breaks), as on an envelope: a
/// comma between facts reads wrongly in Chinese, and a line does not.
fn lines(facts: impl IntoIterator<Item = String>) -> String {
    facts
        .into_iter()
        .filter(|fact| !fact.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[component]
pub fn Confirmation() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let reference = move || state.draft.get().map(|d| d.id).unwrap_or_default();
    view! {
        <div class="csp-panel" data-confirmation="submitted">
            <h1 class="csp-panel__title">{move || i18n.t(msg::STEP_CONFIRMATION_TITLE)}</h1>
            <p class="csp-panel__body">{move || i18n.t(msg::CONFIRMATION_REFERENCE)}<br/><strong class="csp-reference">{reference}</strong></p>
        </div>
        <h2 class="csp-heading-m">{move || i18n.t(msg::CONFIRMATION_NEXT_HEADING)}</h2>
        <p>{move || i18n.t(msg::CONFIRMATION_NEXT_BODY)}</p>
        <FindProvider/>
        <button type="button" class="csp-button csp-button--secondary" on:click=move |_| state.show_status()>
            {move || i18n.t(msg::CONFIRMATION_SEE_STATUS)}
        </button>
        // Embedded, the applicant goes back to the partner's page from
        // here; the host decides what that means (`exit`).
        {state.config.with_value(|c| !c.owns_page || c.framed_by.is_some()).then(|| view! {
            <button type="button" class="csp-button csp-button--secondary" data-exit="" on:click=move |_| state.tell_host(HostEvent::Exit)>
                {move || i18n.t(msg::CONFIRMATION_DONE)}
            </button>
        })}
    }
}

/// For an indirect reseller: the way to the provider finder.
#[component]
fn FindProvider() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let indirect = move || {
        state
            .form
            .answers
            .with(|a| a.model == Some(PartnerModel::IndirectReseller))
    };
    move || {
        indirect().then(|| {
            view! {
                <div class="csp-inset" data-find-provider="">
                    <h2 class="csp-heading-s">{i18n.t(msg::FINDER_ENTRY_TITLE)}</h2>
                    <p>{i18n.t(msg::FINDER_ENTRY_BODY)}</p>
                    <button type="button" class="csp-button" data-open-finder="" on:click=move |_| {
                        state.finder_open.set(true);
                        scroll_to_top();
                    }>{i18n.t(msg::FINDER_ENTRY_BUTTON)}</button>
                </div>
            }
        })
    }
}

/// A new page starts at its top, as a page load would.
fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    state.refresh_status();
    view! {
        <h1 class="csp-heading-l">{move || i18n.t(msg::STEP_STATUS_TITLE)}</h1>
        {move || state.status.get().map(|view| {
            let status = view.status;
            let reason = view.history.iter().rev().find(|h| h.status == status).and_then(|h| h.reason.clone());
            let history: Vec<_> = view.history.iter().map(|h| {
                let label = i18n.t(h.status.label_key());
                let reason = h.reason.clone().map(|r| format!(" — {r}")).unwrap_or_default();
                view! { <li><span class="csp-history__at">{i18n.date(&h.at, true)}</span>" "{label}{reason}</li> }
            }).collect();
            view! {
                <p class="csp-status" data-status=status.as_str()>
                    <strong class="csp-tag">{i18n.t(status.label_key())}</strong>
                </p>
                <p>{i18n.t(status.next_key())}</p>
                {reason.filter(|_| status == ApplicationStatus::MoreInfoNeeded).map(|r| view! {
                    <div class="csp-inset"><p>{r}</p></div>
                })}
                {(status == ApplicationStatus::MoreInfoNeeded).then(|| view! {
                    <button type="button" class="csp-button" on:click=move |_| state.edit_after_review()>{i18n.t(msg::STATUS_FIX)}</button>
                })}
                {(status == ApplicationStatus::Approved).then(|| view! {
                    <button type="button" class="csp-button" data-open-account on:click=move |_| state.account_open.set(true)>{i18n.t(msg::STATUS_SIGN_IN)}</button>
                })}
                <FindProvider/>
                <h2 class="csp-heading-m">{i18n.t(msg::STATUS_HISTORY)}</h2>
                <ul class="csp-list csp-history">{history}</ul>
                <button type="button" class="csp-button csp-button--secondary" on:click=move |_| state.refresh_status()>{i18n.t(msg::STATUS_REFRESH)}</button>
            }
        })}
    }
}
