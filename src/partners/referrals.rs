//! The referrals inbox: customers' requests offered to this partner,
//! newest first, filtered by status; one opened shows what the customer
//! needs and why it matched, and is accepted (the deal), declined (a
//! reason) or, accepted, closed won or lost. The customer's contact is
//! shown only where the API gives it: once accepted.

use enroll_core::contract::ReferralView;
use enroll_core::msg::partners as words;
use enroll_core::referral::{Deal, Outcome, ReferralStatus};
use enroll_core::MessageKey;
use leptos::html::H1;
use leptos::prelude::*;

use super::fields::{Select, SummaryRow, TextArea};
use super::need_words;
use crate::account::AccountState;
use crate::api::ReferralAnswer;
use crate::i18n::{language_name, use_i18n};
use crate::ui::field::PlainField;

/// What each status is called.
fn status_words(status: ReferralStatus) -> MessageKey {
    match status {
        ReferralStatus::Received => words::REFERRALS_STATUS_RECEIVED,
        ReferralStatus::Accepted => words::REFERRALS_STATUS_ACCEPTED,
        ReferralStatus::Declined => words::REFERRALS_STATUS_DECLINED,
        ReferralStatus::Won => words::REFERRALS_STATUS_WON,
        ReferralStatus::Lost => words::REFERRALS_STATUS_LOST,
        ReferralStatus::Expired => words::REFERRALS_STATUS_EXPIRED,
    }
}

#[component]
pub fn ReferralsPage(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    // The filter: a status's name, or empty for all.
    let filter = RwSignal::new(String::new());
    // The referral open, by its id.
    let open = RwSignal::new(None::<String>);
    let answering = state.request(
        |api, token, locale, (id, answer): (String, ReferralAnswer)| async move {
            api.answer_referral(&token, &id, &answer, locale).await
        },
        |_, referral: ReferralView| referral,
    );
    // After every answer, taken or refused (someone else answered, or it
    // expired meanwhile), the list and the referral are loaded again.
    let answered = Memo::new(move |_| answering.pending().get());
    let list = state.loaded(
        move || {
            filter.track();
            answered.track();
        },
        move |api, token, locale| {
            let status = ReferralStatus::parse(&filter.get_untracked());
            async move { api.referrals(&token, status, locale).await }
        },
    );
    // The referral open, read on its own: whatever the filter, it stays
    // open as it is answered.
    let detail = state.loaded(
        move || {
            open.track();
            answered.track();
        },
        move |api, token, locale| {
            let id = open.get_untracked();
            async move {
                match id {
                    Some(id) => api.referral(&token, &id, locale).await.map(Some),
                    None => Ok(None),
                }
            }
        },
    );
    // The page arrives with its part: its heading is focused as it does,
    // when a referral is opened or left, and once it is answered.
    Effect::new(move |_| {
        open.track();
        answering.version();
        request_animation_frame(move || {
            if let Some(h1) = heading.get_untracked() {
                let _ = h1.focus();
            }
        });
    });
    let statuses = Signal::derive(move || {
        ReferralStatus::ALL
            .into_iter()
            .map(|s| (s.as_str().to_owned(), i18n.t(status_words(s))))
            .collect::<Vec<_>>()
    });
    let shown = move || {
        let id = open.get()?;
        detail.get().flatten().flatten().filter(|r| r.id == id)
    };
    view! {
        {move || match shown() {
            Some(referral) => view! {
                <p>
                    <button type="button" class="csp-back-link" data-referrals-back on:click=move |_| {
                        state.errors.set(Vec::new());
                        open.set(None);
                    }>{move || i18n.t(words::REFERRALS_BACK)}</button>
                </p>
                <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::REFERRALS_ONE)}</h1>
                <Referral referral=referral answering=answering/>
            }.into_any(),
            None => view! {
                <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::REFERRALS_TITLE)}</h1>
                <p>{move || i18n.t(words::REFERRALS_INTRO)}</p>
                <Select path="referrals-filter" label=words::REFERRALS_FILTER options=statuses value=filter
                    errors=state.errors any=words::REFERRALS_ALL/>
                {move || list.get().flatten().map(|items| if items.is_empty() {
                    view! { <p data-referrals>{move || i18n.t(words::REFERRALS_NONE)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="csp-list csp-referrals" data-referrals>
                            {items.into_iter().map(|r| view! { <Summary referral=r open=open/> }).collect::<Vec<_>>()}
                        </ul>
                    }.into_any()
                })}
            }.into_any(),
        }}
    }
}

/// A line of the list: the need in short, where it stands, and the way in.
#[component]
fn Summary(referral: ReferralView, open: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = referral.id.clone();
    let status = referral.status;
    let received = referral.received_at.clone();
    let answer_by = referral.expires_at.clone();
    let waiting = status == ReferralStatus::Received;
    let need = need_line(&referral, i18n);
    view! {
        <li class="csp-referral" data-referral=referral.id.clone() data-status=status.as_str()>
            <p><strong>{move || i18n.t(status_words(status))}</strong>" · "
                {move || i18n.tf(words::REFERRALS_RECEIVED, &[("date", &i18n.date(&received, false))])}
                {waiting.then(|| {
                    let answer_by = answer_by.clone();
                    view! { " · "{move || i18n.tf(words::REFERRALS_ANSWER_BY, &[("date", &i18n.date(&answer_by, false))])} }
                })}
            </p>
            <p id=format!("need-{}", referral.id)>{need}</p>
            <button type="button" class="csp-button csp-button--secondary" data-open-referral
                aria-describedby=format!("need-{}", referral.id) on:click=move |_| open.set(Some(id.clone()))>
                {move || i18n.t(words::REFERRALS_OPEN)}
            </button>
        </li>
    }
}

/// "Azure, Microsoft 365 · Healthcare · 50 to 99 employees · Berlin, Germany".
fn need_line(referral: &ReferralView, i18n: crate::i18n::I18n) -> String {
    need_words(&referral.needs, i18n).join(" · ")
}

/// One referral: the need, why it matched, the contact once accepted, and
/// what may be done with it now.
#[component]
fn Referral(
    referral: ReferralView,
    answering: crate::account::Request<(String, ReferralAnswer), ReferralView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = referral.status;
    let row = |key: MessageKey, value: String| view! { <SummaryRow key=key value=value/> };
    let contact = match &referral.contact {
        Some(c) => {
            let lines = [c.name.clone(), c.email.clone(), c.phone.clone()]
                .into_iter()
                .filter(|l| !l.is_empty())
                .map(|l| view! { <li>{l}</li> })
                .collect::<Vec<_>>();
            view! {
                <section class="csp-inset" data-contact aria-labelledby="contact-heading">
                    <h2 class="csp-heading-m" id="contact-heading">{move || i18n.t(words::REFERRALS_CONTACT)}</h2>
                    <ul class="csp-list">{lines}</ul>
                </section>
            }
            .into_any()
        }
        None => view! { <p class="csp-inset" data-contact-hidden>{move || i18n.t(words::REFERRALS_CONTACT_HIDDEN)}</p> }.into_any(),
    };
    let deal = referral.deal.clone().map(|d| {
        let value = format!("{} {}", d.estimated_value, d.currency);
        view! {
            <h2 class="csp-heading-m">{move || i18n.t(words::REFERRALS_DEAL)}</h2>
            <dl class="csp-summary" data-deal>
                {row(words::REFERRALS_DEAL_NAME, d.deal_name)}
                {row(words::REFERRALS_ESTIMATED_VALUE, value)}
                {(!d.notes.is_empty()).then(|| row(words::REFERRALS_NOTES, d.notes))}
            </dl>
        }
    });
    let declined = referral.decline_reason.clone().map(|reason| {
        view! { <dl class="csp-summary">{row(words::REFERRALS_DECLINED_BECAUSE, reason)}</dl> }
    });
    let language = language_name(&referral.locale, i18n.locale.get_untracked());
    let [products, industry, size, place] = need_words(&referral.needs, i18n);
    let id = referral.id.clone();
    let actions = match status {
        ReferralStatus::Received => view! { <Answers id=id answering=answering/> }.into_any(),
        ReferralStatus::Accepted => view! { <CloseDeal id=id answering=answering/> }.into_any(),
        _ => view! { <p data-closed>{move || i18n.t(words::REFERRALS_CLOSED)}</p> }.into_any(),
    };
    view! {
        <p data-referral-status=status.as_str()><strong>{move || i18n.t(status_words(status))}</strong></p>
        {contact}
        <h2 class="csp-heading-m">{move || i18n.t(words::REFERRALS_NEEDS)}</h2>
        <dl class="csp-summary" data-needs>
            {row(words::REFERRALS_PRODUCTS, products)}
            {row(words::REFERRALS_INDUSTRY, industry)}
            {row(words::REFERRALS_SIZE, size)}
            {row(words::REFERRALS_PLACE, place)}
            {row(words::REFERRALS_DESCRIPTION, referral.needs.description.clone())}
            {row(words::REFERRALS_WHY, referral.reasons.join(" · "))}
            {row(words::REFERRALS_LANGUAGE, language)}
        </dl>
        {deal}
        {declined}
        {actions}
    }
}

/// Accept (the deal) or decline (a reason) a referral received.
#[component]
fn Answers(
    id: String,
    answering: crate::account::Request<(String, ReferralAnswer), ReferralView>,
) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let deal_name = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let currency = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let accept_id = id.clone();
    view! {
        <form novalidate data-accept on:submit=move |ev| {
            ev.prevent_default();
            let deal = Deal {
                deal_name: deal_name.get_untracked(),
                estimated_value: value.get_untracked(),
                currency: currency.get_untracked(),
                notes: notes.get_untracked(),
            };
            answering.send((accept_id.clone(), ReferralAnswer::Accept(deal)));
        }>
            <h2 class="csp-heading-m">{move || i18n.t(words::REFERRALS_ACCEPT_TITLE)}</h2>
            <PlainField path="deal_name" label_key=words::REFERRALS_DEAL_NAME value=deal_name errors=state.errors/>
            <PlainField path="estimated_value" label_key=words::REFERRALS_ESTIMATED_VALUE inputmode="decimal"
                width="csp-input--10" value=value errors=state.errors/>
            <PlainField path="currency" label_key=words::REFERRALS_CURRENCY hint_key=words::REFERRALS_CURRENCY_HINT
                width="csp-input--4" value=currency errors=state.errors/>
            <TextArea path="notes" label=words::REFERRALS_NOTES hint=words::REFERRALS_NOTES_HINT value=notes errors=state.errors/>
            <button type="submit" class="csp-button" aria-disabled=move || answering.pending().get().to_string()>
                {move || i18n.t(words::REFERRALS_ACCEPT)}
            </button>
        </form>
        <form novalidate data-decline on:submit=move |ev| {
            ev.prevent_default();
            answering.send((id.clone(), ReferralAnswer::Decline(reason.get_untracked())));
        }>
            <h2 class="csp-heading-m">{move || i18n.t(words::REFERRALS_DECLINE_TITLE)}</h2>
            <TextArea path="reason" label=words::REFERRALS_REASON hint=words::REFERRALS_REASON_HINT value=reason errors=state.errors/>
            <button type="submit" class="csp-button csp-button--warning" aria-disabled=move || answering.pending().get().to_string()>
                {move || i18n.t(words::REFERRALS_DECLINE)}
            </button>
        </form>
    }
}

/// Close an accepted referral: won or lost.
#[component]
fn CloseDeal(
    id: String,
    answering: crate::account::Request<(String, ReferralAnswer), ReferralView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let close = move |outcome: Outcome| {
        let id = id.clone();
        move |_| answering.send((id.clone(), ReferralAnswer::Close(outcome)))
    };
    view! {
        <section aria-labelledby="close-heading">
            <h2 class="csp-heading-m" id="close-heading">{move || i18n.t(words::REFERRALS_CLOSE_TITLE)}</h2>
            <div class="csp-actions-row">
                <button type="button" class="csp-button" data-won on:click=close(Outcome::Won)>{move || i18n.t(words::REFERRALS_WON)}</button>
                <button type="button" class="csp-button csp-button--secondary" data-lost on:click=close(Outcome::Lost)>{move || i18n.t(words::REFERRALS_LOST)}</button>
            </div>
        </section>
    }
}
