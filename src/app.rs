//! The app root: provides the catalog and the API client, and shows the
//! wizard (once the program settings are loaded) or the finder on its own.

use enroll_core::msg;
use leptos::prelude::*;

use crate::api::{ApiClient, ApiFailure, DraftRef};
use crate::embed::{use_host_events, HostConfig, HostErrorCode, HostEvent, HostEvents, StartAt};
use crate::finder::DirectoryCache;
use crate::i18n::{use_i18n, I18n};
use crate::later::{self, LaterPart};
use crate::partners::CustomerPage;
use crate::ui::language::LanguageSwitch;
use crate::wizard::WizardView;

#[component]
pub fn App(
    /// What the host page configured.
    config: HostConfig,
    /// The app's language (`data-locale` changes it in place).
    i18n: I18n,
    /// Where to tell the host page what happens.
    events: HostEvents,
    /// The program settings boot.js asked for early, if it did.
    early_program: Option<js_sys::Promise>,
) -> impl IntoView {
    provide_context(i18n);
    let api = ApiClient::new(&config.api_base);
    provide_context(api.clone());
    provide_context(config.clone());
    provide_context(DirectoryCache(RwSignal::new(None)));
    let owns_page = config.owns_page;

    // The finder on its own: requests go out as the application whose
    // resume link opened the page, if any.
    let applicant = config
        .resume
        .clone()
        .map(|(id, token)| DraftRef { id, token });
    events.emit(HostEvent::Ready);
    // However the language changes (the switch, `data-locale`), the host
    // hears it once.
    let told = events.clone();
    Effect::new(move |previous: Option<()>| {
        let locale = i18n.locale.get();
        if previous.is_some() {
            told.emit(HostEvent::Locale(locale));
        }
    });
    provide_context(events);

    let content = match config.start {
        StartAt::Finder => {
            view! { <LaterPart load=Box::new(move || later::finder(applicant.clone(), None))/> }
                .into_any()
        }
        StartAt::Account => {
            view! { <LaterPart load=Box::new(move || later::account(None, None))/> }.into_any()
        }
        StartAt::FindPartner | StartAt::Invitation | StartAt::AdminRelationship => {
            let page = customer_page(&config);
            view! { <LaterPart load=Box::new(move || later::customer(page.clone()))/> }.into_any()
        }
        StartAt::Wizard => view! { <Wizard api=api early=early_program/> }.into_any(),
    };
    // Inside a partner's page the landmarks are the page's: the app is a
    // region of it, not its `main`.
    let content = if owns_page {
        view! { <main class="csp-main"><LanguageSwitch/>{content}</main> }.into_any()
    } else {
        view! { <div class="csp-main"><LanguageSwitch/>{content}</div> }.into_any()
    };
    view! {
        <div class="csp-app" lang=move || i18n.locale.get().tag()>{content}</div>
    }
}

/// The page a customer opens with no account that `config` starts at,
/// with what its link's fragment names (none when there was no link, or
/// not a whole one).
fn customer_page(config: &HostConfig) -> CustomerPage {
    match config.start {
        StartAt::Invitation => CustomerPage::Invitation(
            config
                .invitation
                .clone()
                .map(|(id, token)| crate::api::InvitationRef { id, token }),
        ),
        StartAt::AdminRelationship => CustomerPage::AdminRelationship(
            config
                .admin_relationship
                .clone()
                .map(|(id, token)| crate::api::RelationshipRef { id, token }),
        ),
        _ => CustomerPage::FindPartner(
            config
                .partner_request
                .clone()
                .map(|(id, token)| crate::api::RequestRef { id, token }),
        ),
    }
}

/// The wizard, once the program settings it follows are loaded (the
/// standalone finder never asks for them).
#[component]
fn Wizard(api: ApiClient, early: Option<js_sys::Promise>) -> impl IntoView {
    let i18n = use_i18n();
    // Used once: a retry after a failure asks the API again.
    let early = StoredValue::new_local(early);
    let program = LocalResource::new(move || {
        let api = api.clone();
        let locale = i18n.locale.get_untracked();
        let early = early.try_update_value(Option::take).flatten();
        async move { api.program_soon(early, locale).await }
    });
    move || match program.get() {
        None => {
            view! { <p class="csp-loading" role="status">{move || i18n.t(msg::APP_LOADING)}</p> }
                .into_any()
        }
        Some(Ok(settings)) => view! { <WizardView program=settings/> }.into_any(),
        Some(Err(failure)) => {
            view! { <LoadFailure failure=failure on_retry=move || program.refetch()/> }.into_any()
        }
    }
}

/// What the user sees when the program settings could not be loaded, and
/// the way to try again.
#[component]
fn LoadFailure(failure: ApiFailure, on_retry: impl Fn() + 'static) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    use_host_events().emit(HostEvent::Error {
        code: HostErrorCode::Unavailable,
        message: "the program settings could not be loaded".into(),
    });
    view! {
        <div class="csp-notice csp-notice--problem" role="alert">
            <p>{move || failure.describe(&i18n)}</p>
            <button type="button" class="csp-button csp-button--secondary" on:click=move |_| on_retry()>
                {move || i18n.t(msg::APP_RETRY)}
            </button>
        </div>
    }
}
