//! The parts of the app that load after the first page: the later wizard
//! pages, the provider finder, the partner account and its partner pages
//! (the business profile, the referrals, the customers), a customer's
//! pages (the find-a-partner page, the answers to a partner's invitation
//! and to its request for admin roles).
//!
//! In the release build (`cargo xtask`, `--cfg csp_split`) each part is a
//! wasm file of its own, fetched the first time it is shown, or earlier by
//! `fetch_soon` once the first page works; the first page then needs only
//! the rest. Everywhere else (`trunk serve`, the browser tests, native
//! builds) the parts are plain calls, because an unsplit build of a split
//! point imports a module no browser can resolve (TOOLCHAIN.md).
//!
//! A part that cannot be fetched is not fatal: `LaterPart` says so and
//! offers a retry. The answers live in the wizard's state, outside the
//! parts, so nothing typed is lost.

use enroll_core::msg;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use enroll_core::Step;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api::DraftRef;
use crate::embed::{use_host_events, HostErrorCode, HostEvent};
use crate::i18n::use_i18n;

/// A part of the app could not be fetched (the network, usually).
#[derive(Clone, Copy, Debug)]
pub struct NotLoaded;

#[cfg(csp_split)]
impl From<wasm_split_helpers::SplitLoaderError> for NotLoaded {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// A part on its way: boxed, so `LaterPart` is compiled once for every
/// part rather than once per caller (it is on the first page).
pub type Loading = Pin<Box<dyn Future<Output = Result<AnyView, NotLoaded>>>>;

/// What `LaterPart` calls for its part, again on a retry.
pub type Load = Box<dyn Fn() -> Loading>;

/// The page of a step after the first question: the other questions,
/// check your answers, the confirmation and the status.
pub fn page(step: Step) -> Loading {
    Box::pin(async move {
        #[cfg(csp_split)]
        return split::page_part(step).await;
        #[cfg(not(csp_split))]
        return split::page_part(step);
    })
}

/// The provider finder.
pub fn finder(applicant: Option<DraftRef>, on_back: Option<Callback<()>>) -> Loading {
    Box::pin(async move {
        #[cfg(csp_split)]
        return split::finder_part(applicant, on_back).await;
        #[cfg(not(csp_split))]
        return split::finder_part(applicant, on_back);
    })
}

/// The partner account, from signing in on.
pub fn account(email: Option<String>, on_back: Option<Callback<()>>) -> Loading {
    Box::pin(async move {
        #[cfg(csp_split)]
        return split::account_part(email, on_back).await;
        #[cfg(not(csp_split))]
        return split::account_part(email, on_back);
    })
}

/// The account's partner pages, its business profile, its referrals or
/// its customers (their messages in the partners' book, fetched with
/// them).
pub fn partners(
    page: crate::partners::PartnersPage,
    heading: NodeRef<leptos::html::H1>,
) -> Loading {
    Box::pin(async move {
        #[cfg(csp_split)]
        return split::partners_part(page, heading).await;
        #[cfg(not(csp_split))]
        return split::partners_part(page, heading);
    })
}

/// A page a customer opens with no account: the find-a-partner page (or
/// a request's page), the answer to a partner's invitation or to its
/// request for admin roles.
pub fn customer(page: crate::partners::CustomerPage) -> Loading {
    Box::pin(async move {
        #[cfg(csp_split)]
        return split::customer_part(page).await;
        #[cfg(not(csp_split))]
        return split::customer_part(page);
    })
}

/// Fetches the wizard's later pages in the background once the browser
/// is idle (not while the first page is still being drawn or answered),
/// so Continue does not wait for them. A failure here is silent: the page
/// that needs the part asks again and says so if it still cannot.
pub fn fetch_soon() {
    #[cfg(csp_split)]
    request_idle_callback(|| {
        leptos::task::spawn_local(async {
            let _ = split::fetch_wizard().await;
        })
    });
}

/// The split points. Each function's body is the only way into its part:
/// whatever only it reaches goes into that part's wasm.
mod split {
    use enroll_core::Step;
    use leptos::prelude::{AnyView, Callback};

    use super::NotLoaded;
    use crate::api::DraftRef;

    #[cfg_attr(
        csp_split,
        wasm_split_helpers::wasm_split(wizard, fallible, preload(fetch_wizard))
    )]
    pub fn page_part(step: Step) -> Result<AnyView, NotLoaded> {
        Ok(crate::wizard::later_page(step))
    }

    #[cfg_attr(csp_split, wasm_split_helpers::wasm_split(finder, fallible))]
    pub fn finder_part(
        applicant: Option<DraftRef>,
        on_back: Option<Callback<()>>,
    ) -> Result<AnyView, NotLoaded> {
        Ok(crate::finder::finder_page(applicant, on_back))
    }

    #[cfg_attr(csp_split, wasm_split_helpers::wasm_split(partners, fallible))]
    pub fn partners_part(
        page: crate::partners::PartnersPage,
        heading: leptos::prelude::NodeRef<leptos::html::H1>,
    ) -> Result<AnyView, NotLoaded> {
        Ok(crate::partners::partners_page(page, heading))
    }

    // One part for all of a customer's pages: they share most of their
    // code (proving an address, the countries, the partner's card, asking
    // the API one request at a time), and the invitation's page in a part
    // of its own took the first page to 222.3 KB of brotli, over its
    // budget (the split loader's entries for it, and the chunks the parts
    // then share); in this one, 221.9 KB (221.3 KB before the
    // invitation). The admin relationship's page joined it likewise.
    #[cfg_attr(csp_split, wasm_split_helpers::wasm_split(customer, fallible))]
    pub fn customer_part(page: crate::partners::CustomerPage) -> Result<AnyView, NotLoaded> {
        Ok(crate::partners::customer_page(page))
    }

    #[cfg_attr(csp_split, wasm_split_helpers::wasm_split(account, fallible))]
    pub fn account_part(
        email: Option<String>,
        on_back: Option<Callback<()>>,
    ) -> Result<AnyView, NotLoaded> {
        Ok(crate::account::account_page(email, on_back))
    }
}

/// Where a part being shown is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Progress {
    Loading,
    Shown,
    Failed,
}

/// Shows a part once it is loaded: at once when it already is (every
/// time after the first), "Loading…" until then, and when it cannot be
/// fetched, a message and a retry in its place.
///
/// Not `Suspense`: rebuilding a `Suspend` always waits a tick, and a page
/// of a loaded part must appear as synchronously as the first page does.
#[component]
pub fn LaterPart(load: Load) -> impl IntoView {
    let i18n = use_i18n();
    let progress = RwSignal::new(Progress::Loading);
    // The part's view, taken by the render below once.
    let part = StoredValue::new_local(None::<AnyView>);
    let events = StoredValue::new(use_host_events());
    // `try_`: a page gone meanwhile takes its values with it.
    let done = move |loaded: Result<AnyView, NotLoaded>| match loaded {
        Ok(view) => {
            part.try_set_value(Some(view));
            progress.try_set(Progress::Shown);
        }
        Err(NotLoaded) => {
            progress.try_set(Progress::Failed);
            // The host hears it too: the app cannot go on by itself.
            events.try_with_value(|events| {
                events.emit(HostEvent::Error {
                    code: HostErrorCode::NotLoaded,
                    message: "a part of the app could not be downloaded".into(),
                })
            });
        }
    };
    // Polled at once, and always under this component's owner (a retry's
    // click has none of its own): the part's views find the wizard's
    // context, and a loaded part needs no second tick.
    let owner = Owner::current().map(|owner| owner.downgrade());
    let load = StoredValue::new_local((load, owner));
    let attempt = move || {
        let Some(owner) = load
            .try_with_value(|(_, owner)| owner.as_ref().and_then(|o| o.upgrade()))
            .flatten()
        else {
            // The page this part was for is gone.
            return;
        };
        owner.with(|| {
            let Some(mut loading) = load.try_with_value(|(load, _)| load()) else {
                return;
            };
            let mut now = Context::from_waker(Waker::noop());
            match loading.as_mut().poll(&mut now) {
                Poll::Ready(loaded) => done(loaded),
                // Dropped with the page it was for (the applicant went
                // back, the app was mounted again): nothing left to show.
                Poll::Pending => {
                    spawn_local_scoped_with_cancellation(async move { done(loading.await) })
                }
            }
        })
    };
    attempt();
    move || {
        match progress.get() {
        Progress::Loading => {
            view! { <p class="csp-loading" role="status">{move || i18n.t(msg::APP_PART_LOADING)}</p> }
                .into_any()
        }
        Progress::Shown => part
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
        Progress::Failed => view! {
            <h1 class="csp-heading-l">{move || i18n.t(msg::APP_PART_NOT_LOADED_TITLE)}</h1>
            <div class="csp-notice csp-notice--problem" role="alert">
                <p>{move || i18n.t(msg::APP_PART_NOT_LOADED)}</p>
                <button
                    type="button"
                    class="csp-button csp-button--secondary"
                    on:click=move |_| {
                        progress.set(Progress::Loading);
                        attempt();
                    }
                >
                    {move || i18n.t(msg::APP_RETRY)}
                </button>
            </div>
        }
        .into_any(),
    }
    }
}
