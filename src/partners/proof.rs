//! What a customer's pages share as they ask the API and prove an address
//! with an emailed code (the find-a-partner page, an invitation's page):
//! one request at a time, its failure where it belongs, the code typed
//! back, and, while the customer waits, whether its email will arrive.

use enroll_core::contract::EmailCodeSent;
use enroll_core::msg::partners as words;
use enroll_core::outbox::Delivery;
use enroll_core::{MessageKey, Problem};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

use crate::api::ApiFailure;
use crate::i18n::{use_i18n, I18n};
use crate::ui::field::PlainField;

/// How often the code's page asks whether its email reached the relay.
const DELIVERY_CHECK_MILLIS: u32 = 3_000;

/// A customer's page's requests: what went wrong with the last, whether
/// one is on its way, and where the newest code went.
#[derive(Clone, Copy)]
pub(super) struct Asking {
    /// Problems at fields (the error summary lists them).
    pub errors: RwSignal<Vec<Problem>>,
    /// A failure that is no field's (offline, too many requests).
    pub failure: RwSignal<Option<String>>,
    /// A request is on its way: the button pressed again does nothing,
    /// so nothing is sent twice.
    pub pending: RwSignal<bool>,
    /// Where the server said it emailed the newest code (none yet, or the
    /// last ask failed).
    pub code_sent_to: RwSignal<Option<String>>,
    /// A new code was asked for, and sent.
    pub resent: RwSignal<bool>,
}

impl Asking {
    pub fn new() -> Self {
        Self {
            errors: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            pending: RwSignal::new(false),
            code_sent_to: RwSignal::new(None),
            resent: RwSignal::new(false),
        }
    }

    /// A failure told where it belongs: the report's problems at their
    /// fields, anything else above the form.
    pub fn failed(&self, failure: ApiFailure, i18n: &I18n) {
        match failure {
            ApiFailure::Invalid(report) => self.errors.set(report.errors),
            other => self.failure.set(Some(other.describe(i18n))),
        }
    }

    pub fn clear(&self) {
        self.errors.set(Vec::new());
        self.failure.set(None);
    }

    /// Sends `request` unless one is on its way, what the last found wrong
    /// cleared; its answer goes to `then`.
    pub fn send<T: 'static>(
        &self,
        request: impl Future<Output = Result<T, ApiFailure>> + 'static,
        then: impl FnOnce(Result<T, ApiFailure>) + 'static,
    ) {
        if self.pending.get_untracked() {
            return;
        }
        self.clear();
        self.pending.set(true);
        let pending = self.pending;
        spawn_local(async move {
            let answer = request.await;
            pending.set(false);
            then(answer);
        });
    }

    /// Asks for a code (`again`: a new one, asked by the customer), unless
    /// a request is on its way: the page says where it went, and `then`
    /// hears whether it did.
    pub fn send_code(
        &self,
        request: impl Future<Output = Result<EmailCodeSent, ApiFailure>> + 'static,
        again: bool,
        then: impl FnOnce(Result<(), ApiFailure>) + 'static,
    ) {
        if self.pending.get_untracked() {
            return;
        }
        let asking = *self;
        asking.code_sent_to.set(None);
        asking.resent.set(false);
        self.send(request, move |answer| {
            then(answer.map(|sent| {
                asking.code_sent_to.set(Some(sent.to));
                asking.resent.set(again);
            }))
        });
    }

    /// The failure that is no field's, above the form, while there is one.
    pub fn failure_view(&self) -> impl Fn() -> Option<AnyView> + Copy + use<> {
        let failure = self.failure;
        move || {
            failure.get().map(|text| {
                view! { <p class="csp-notice csp-notice--problem" role="alert">{text}</p> }
                    .into_any()
            })
        }
    }
}

/// Whether the newest code's email will not arrive: someone waiting for a
/// code that will not come is told so, not left waiting. Asked through
/// `delivery` (where the page's request says the newest code's email is)
/// every few seconds after each send, for as long as a code works.
pub(super) fn undelivered_code<F>(
    asking: Asking,
    delivery: impl Fn() -> F + Clone + 'static,
) -> RwSignal<bool>
where
    F: Future<Output = Result<Option<Delivery>, ApiFailure>> + 'static,
{
    let undelivered = RwSignal::new(false);
    Effect::new(move |_| {
        if asking.code_sent_to.with(Option::is_none) {
            return;
        }
        undelivered.set(false);
        let delivery = delivery.clone();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let checks = enroll_core::account::limits::EMAIL_CODE_SECS * 1000
                / u64::from(DELIVERY_CHECK_MILLIS);
            for _ in 0..checks {
                gloo_timers::future::TimeoutFuture::new(DELIVERY_CHECK_MILLIS).await;
                let Ok(now) = delivery().await else {
                    return;
                };
                let Some(now) = now else {
                    continue;
                };
                undelivered.set(now.is_undelivered());
                if now.is_final() || now == Delivery::Retrying {
                    return;
                }
            }
        });
    });
    undelivered
}

/// The code emailed to the customer, typed back: where it went (or that
/// it will not arrive), `why` it is asked, and the ways on: a new code,
/// or `change` (the request, the address).
#[component]
pub(super) fn CodeEntry(
    asking: Asking,
    undelivered: RwSignal<bool>,
    why: MessageKey,
    code: RwSignal<String>,
    on_confirm: Callback<()>,
    on_again: Callback<()>,
    change: MessageKey,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Said sent only where the server said it sent it.
    let sent_to = move || {
        asking.code_sent_to.get().map(|to| {
            let key = if undelivered.get() {
                words::FIND_UNDELIVERED
            } else {
                words::FIND_CODE_SENT
            };
            view! { <p>{move || i18n.t(key)}" "<strong class="csp-address">{to}</strong></p> }
        })
    };
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); on_confirm.run(()); }>
            {sent_to}
            <p>{move || i18n.t(why)}</p>
            <PlainField path="code" label_key=words::FIND_CODE hint_key=words::FIND_CODE_HINT
                autocomplete="one-time-code" inputmode="numeric" width="csp-input--10"
                value=code errors=asking.errors/>
            <button type="submit" class="csp-button" aria-disabled=move || asking.pending.get().to_string()>
                {move || i18n.t(words::FIND_CONFIRM)}
            </button>
            <p role="status" class="csp-hint">{move || asking.resent.get().then(|| i18n.t(words::FIND_RESENT))}</p>
            <ul class="csp-list csp-actions">
                <li><button type="button" class="csp-link-button" on:click=move |_| on_again.run(())>{move || i18n.t(words::FIND_SEND_AGAIN)}</button></li>
                <li><button type="button" class="csp-link-button" on:click=move |_| on_change.run(())>{move || i18n.t(change)}</button></li>
            </ul>
        </form>
    }
}
