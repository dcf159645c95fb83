//! A customer looking for a partner (`data-start="find-partner"`): what
//! the company needs and whom to contact, the address proven with an
//! emailed code (no partner hears of the request before), then the
//! request's page, which the link emailed to the customer opens again.
//! The rules are enroll-core's, applied by the API: the page shows what
//! it says, at the fields and in the error summary.

use enroll_core::contract::PartnerRequestView;
use enroll_core::matching::Needs;
use enroll_core::msg::partners as words;
use enroll_core::outbox::Delivery;
use enroll_core::partner_request::{limits, PartnerRequest, RequestContact};
use enroll_core::referral::RequestStatus;
use enroll_core::vocabulary::{self, Vocabulary};
use enroll_core::{msg, MessageKey, Problem};
use leptos::html::H1;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fields::{Checkbox, Choices, Select, SummaryRow, TextArea};
use super::need_words;
use crate::api::{ApiClient, ApiFailure, RequestRef};
use crate::embed::HostConfig;
use crate::i18n::{country_name, use_i18n, I18n};
use crate::ui::error_summary::ErrorSummary;
use crate::ui::field::PlainField;

/// How often the code's page asks whether its email reached the relay.
const DELIVERY_CHECK_MILLIS: u32 = 3_000;

/// Where the customer is.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    /// Telling what the company needs.
    Asking,
    /// The request made, its address to prove with the code emailed.
    Proving { request: RequestRef },
    /// The request's page; `confirmed` right after the code proved the
    /// address.
    Standing {
        request: RequestRef,
        confirmed: bool,
    },
}

/// What the customer typed: kept while the page is open, whichever stage
/// shows (going back to change the request loses nothing).
#[derive(Clone, Copy)]
struct Answers {
    products: RwSignal<Vec<String>>,
    industry: RwSignal<String>,
    company_size: RwSignal<String>,
    country: RwSignal<String>,
    city: RwSignal<String>,
    description: RwSignal<String>,
    name: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
    consent: RwSignal<bool>,
}

impl Answers {
    fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Self {
            products: RwSignal::new(Vec::new()),
            industry: text(),
            company_size: text(),
            country: text(),
            city: text(),
            description: text(),
            name: text(),
            email: text(),
            phone: text(),
            consent: RwSignal::new(false),
        }
    }

    fn request(&self, i18n: &I18n) -> PartnerRequest {
        PartnerRequest {
            locale: i18n.locale.get_untracked().tag().to_owned(),
            needs: Needs {
                products: self.products.get_untracked(),
                industry: self.industry.get_untracked(),
                company_size: self.company_size.get_untracked(),
                country: self.country.get_untracked(),
                city: self.city.get_untracked(),
                description: self.description.get_untracked(),
            },
            contact: RequestContact {
                name: self.name.get_untracked(),
                email: self.email.get_untracked(),
                phone: self.phone.get_untracked(),
            },
            consent_to_share: self.consent.get_untracked(),
        }
    }
}

/// The page's shared state: the stage, the answers, what went wrong.
#[derive(Clone, Copy)]
struct Page {
    stage: RwSignal<Stage>,
    answers: Answers,
    /// Problems at fields (the error summary lists them).
    errors: RwSignal<Vec<Problem>>,
    /// A failure that is no field's (offline, too many requests).
    failure: RwSignal<Option<String>>,
    /// A request is on its way: the button pressed again does nothing,
    /// so nothing is sent twice.
    pending: RwSignal<bool>,
    /// Where the server said it emailed the newest code (none yet, or the
    /// last ask failed).
    code_sent_to: RwSignal<Option<String>>,
    /// A new code was asked for, and sent.
    resent: RwSignal<bool>,
}

impl Page {
    /// A failure told where it belongs: the report's problems at their
    /// fields, anything else above the form.
    fn failed(&self, failure: ApiFailure, i18n: &I18n) {
        match failure {
            ApiFailure::Invalid(report) => self.errors.set(report.errors),
            other => self.failure.set(Some(other.describe(i18n))),
        }
    }

    fn clear(&self) {
        self.errors.set(Vec::new());
        self.failure.set(None);
    }

    /// Asks for a code for `request` (`again`: a new one, asked by the
    /// customer), unless one is being asked for: the page says where it
    /// went, or why it did not.
    fn send_code(&self, api: ApiClient, i18n: I18n, request: RequestRef, again: bool) {
        if self.pending.get_untracked() {
            return;
        }
        let page = *self;
        page.pending.set(true);
        page.code_sent_to.set(None);
        page.resent.set(false);
        spawn_local(async move {
            let locale = i18n.locale.get_untracked();
            match api.send_request_code(&request, locale).await {
                Ok(sent) => {
                    page.code_sent_to.set(Some(sent.to));
                    page.resent.set(again);
                }
                Err(failure) => page.failed(failure, &i18n),
            }
            page.pending.set(false);
        });
    }
}

#[component]
pub fn FindPartnerPage(opened: Option<RequestRef>) -> impl IntoView {
    let i18n = use_i18n();
    let page = Page {
        stage: RwSignal::new(match opened {
            Some(request) => Stage::Standing {
                request,
                confirmed: false,
            },
            None => Stage::Asking,
        }),
        answers: Answers::new(),
        errors: RwSignal::new(Vec::new()),
        failure: RwSignal::new(None),
        pending: RwSignal::new(false),
        code_sent_to: RwSignal::new(None),
        resent: RwSignal::new(false),
    };
    // Drawn again only when the stage itself changes: what is typed,
    // focus and "a new code is on its way" stay while a code is asked for.
    let stage = Memo::new(move |_| page.stage.get());
    // Each stage opens with its heading focused: a keyboard or screen
    // reader user starts at the top of what changed.
    let heading = NodeRef::<H1>::new();
    Effect::new(move |previous: Option<()>| {
        stage.track();
        if previous.is_some() {
            request_animation_frame(move || {
                if let Some(h1) = heading.get_untracked() {
                    let _ = h1.focus();
                }
            });
        }
    });
    let failure = move || {
        page.failure
            .get()
            .map(|text| view! { <p class="csp-notice csp-notice--problem" role="alert">{text}</p> })
    };
    view! {
        <div class="csp-find-partner" data-find-partner>
            {move || match stage.get() {
                Stage::Asking => view! {
                    <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::FIND_TITLE)}</h1>
                    <p>{move || i18n.t(words::FIND_INTRO)}</p>
                    {failure}
                    <ErrorSummary errors=page.errors/>
                    <RequestForm page=page/>
                }.into_any(),
                Stage::Proving { request } => view! {
                    <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::FIND_CODE_TITLE)}</h1>
                    {failure}
                    <ErrorSummary errors=page.errors/>
                    <CodeForm page=page request=request/>
                }.into_any(),
                Stage::Standing { request, confirmed } => view! {
                    <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::FIND_REQUEST_TITLE)}</h1>
                    <RequestPage page=page request=request confirmed=confirmed/>
                }.into_any(),
            }}
        </div>
    }
}

/// The vocabulary's terms as (code, name) in the page's language.
fn named(vocabulary: Vocabulary, i18n: I18n) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        i18n.locale.track();
        vocabulary
            .terms
            .iter()
            .map(|t| (t.code.to_owned(), i18n.t(t.name)))
            .collect()
    })
}

/// What the company needs, and whom to contact.
#[component]
fn RequestForm(page: Page) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<ApiClient>();
    let a = page.answers;
    // The markets the program runs in, named in the page's language.
    let program = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            let locale = i18n.locale.get();
            async move { api.program(locale).await }
        })
    };
    let countries = Signal::derive(move || {
        let locale = i18n.locale.get();
        let mut named: Vec<(String, String)> = program
            .get()
            .and_then(Result::ok)
            .map(|p| p.supported_countries)
            .unwrap_or_default()
            .into_iter()
            .map(|code| {
                let name = country_name(&code, locale);
                (code, name)
            })
            .collect();
        named.sort_by(|x, y| x.1.cmp(&y.1));
        named
    });
    let send = move || {
        if page.pending.get_untracked() {
            return;
        }
        page.clear();
        page.pending.set(true);
        let api = api.clone();
        let request = a.request(&i18n);
        spawn_local(async move {
            let locale = i18n.locale.get_untracked();
            let made = api.ask_for_partner(&request, locale).await;
            page.pending.set(false);
            match made {
                Ok(made) => {
                    page.stage.set(Stage::Proving {
                        request: made.clone(),
                    });
                    page.send_code(api, i18n, made, false);
                }
                Err(failure) => page.failed(failure, &i18n),
            }
        });
    };
    // Without the markets no country can be chosen: said, with a retry.
    let markets_failed = move || {
        program.get().and_then(Result::err).map(|failure| {
            view! {
                <div class="csp-notice csp-notice--problem" role="alert">
                    <p>{move || failure.describe(&i18n)}</p>
                    <button type="button" class="csp-button csp-button--secondary" on:click=move |_| program.refetch()>
                        {move || i18n.t(msg::APP_RETRY)}
                    </button>
                </div>
            }
        })
    };
    let described_max = limits::DESCRIPTION_MAX_CHARS;
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <fieldset class="csp-fieldset">
                <legend class="csp-heading-m">{move || i18n.t(words::FIND_NEEDS)}</legend>
                <Choices vocabulary=vocabulary::PRODUCTS chosen=a.products errors=page.errors
                    label=words::FIND_PRODUCTS path="needs.products"/>
                <Select path="needs.industry" label=words::FIND_INDUSTRY
                    options=named(vocabulary::INDUSTRIES, i18n) value=a.industry errors=page.errors/>
                <Select path="needs.company_size" label=words::FIND_COMPANY_SIZE
                    options=named(vocabulary::CUSTOMER_SIZES, i18n) value=a.company_size errors=page.errors/>
                {markets_failed}
                <Select path="needs.country" label=words::FIND_COUNTRY options=countries
                    value=a.country errors=page.errors/>
                <PlainField path="needs.city" label_key=words::FIND_CITY autocomplete="address-level2"
                    width="csp-input--20" value=a.city errors=page.errors/>
                <TextArea path="needs.description" label=words::FIND_DESCRIPTION
                    hint=words::FIND_DESCRIPTION_HINT value=a.description errors=page.errors/>
                <p class="csp-hint" data-characters>
                    {move || format!("{} / {described_max}", a.description.with(|d| d.chars().count()))}
                </p>
            </fieldset>
            <fieldset class="csp-fieldset">
                <legend class="csp-heading-m">{move || i18n.t(words::FIND_CONTACT)}</legend>
                <PlainField path="contact.name" label_key=words::FIND_NAME autocomplete="name"
                    value=a.name errors=page.errors/>
                <PlainField path="contact.email" label_key=words::FIND_EMAIL hint_key=words::FIND_EMAIL_HINT
                    input_type="email" autocomplete="email" value=a.email errors=page.errors/>
                <PlainField path="contact.phone" label_key=words::FIND_PHONE input_type="tel" autocomplete="tel"
                    width="csp-input--20" value=a.phone errors=page.errors/>
                <Checkbox path="consent_to_share" label=words::FIND_CONSENT value=a.consent errors=page.errors/>
            </fieldset>
            <button type="submit" class="csp-button" aria-disabled=move || page.pending.get().to_string()>
                {move || i18n.t(words::FIND_SEND)}
            </button>
        </form>
    }
}

/// The code emailed to the customer, typed back.
#[component]
fn CodeForm(page: Page, request: RequestRef) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<ApiClient>();
    let config = expect_context::<HostConfig>();
    let code = RwSignal::new(String::new());
    // Whether the code's email reached the relay: someone waiting for a
    // code that will not come is told so, not left waiting. Asked every
    // few seconds after each send, for as long as a code works.
    let undelivered = RwSignal::new(false);
    {
        let (api, request) = (api.clone(), request.clone());
        Effect::new(move |_| {
            if page.code_sent_to.with(Option::is_none) {
                return;
            }
            undelivered.set(false);
            let (api, request) = (api.clone(), request.clone());
            leptos::task::spawn_local_scoped_with_cancellation(async move {
                let checks = enroll_core::account::limits::EMAIL_CODE_SECS * 1000
                    / u64::from(DELIVERY_CHECK_MILLIS);
                for _ in 0..checks {
                    gloo_timers::future::TimeoutFuture::new(DELIVERY_CHECK_MILLIS).await;
                    let locale = i18n.locale.get_untracked();
                    let Ok(now) = api.partner_request(&request, locale).await else {
                        return;
                    };
                    let Some(delivery) = now.code_delivery else {
                        continue;
                    };
                    undelivered.set(delivery.is_undelivered());
                    if delivery.is_final() || delivery == Delivery::Retrying {
                        return;
                    }
                }
            });
        });
    }
    let confirm = {
        let (api, request) = (api.clone(), request.clone());
        move || {
            if page.pending.get_untracked() {
                return;
            }
            page.clear();
            page.pending.set(true);
            let (api, request) = (api.clone(), request.clone());
            let link_base = config.page_url.clone();
            let typed = code.get_untracked();
            spawn_local(async move {
                let locale = i18n.locale.get_untracked();
                let proven = api
                    .verify_request_code(&request, &typed, &link_base, locale)
                    .await;
                page.pending.set(false);
                match proven {
                    Ok(_) => page.stage.set(Stage::Standing {
                        request,
                        confirmed: true,
                    }),
                    Err(failure) => page.failed(failure, &i18n),
                }
            });
        }
    };
    let again = move |_| {
        page.clear();
        page.send_code(api.clone(), i18n, request.clone(), true);
    };
    // Said sent only where the server said it sent it.
    let sent_to = move || {
        page.code_sent_to.get().map(|to| {
            let key = if undelivered.get() {
                words::FIND_UNDELIVERED
            } else {
                words::FIND_CODE_SENT
            };
            view! { <p>{move || i18n.t(key)}" "<strong class="csp-address">{to}</strong></p> }
        })
    };
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); confirm(); }>
            {sent_to}
            <p>{move || i18n.t(words::FIND_CODE_WHY)}</p>
            <PlainField path="code" label_key=words::FIND_CODE hint_key=words::FIND_CODE_HINT
                autocomplete="one-time-code" inputmode="numeric" width="csp-input--10"
                value=code errors=page.errors/>
            <button type="submit" class="csp-button" aria-disabled=move || page.pending.get().to_string()>
                {move || i18n.t(words::FIND_CONFIRM)}
            </button>
            <p role="status" class="csp-hint">{move || page.resent.get().then(|| i18n.t(words::FIND_RESENT))}</p>
            <ul class="csp-list csp-actions">
                <li><button type="button" class="csp-link-button" on:click=again>{move || i18n.t(words::FIND_SEND_AGAIN)}</button></li>
                <li><button type="button" class="csp-link-button" on:click=move |_| {
                    page.clear();
                    page.stage.set(Stage::Asking);
                }>{move || i18n.t(words::FIND_CHANGE)}</button></li>
            </ul>
        </form>
    }
}

/// What each status tells the customer.
fn status_words(status: RequestStatus) -> MessageKey {
    match status {
        RequestStatus::Unproven => words::FIND_STATUS_UNPROVEN,
        RequestStatus::WithPartner => words::FIND_STATUS_WITH_PARTNER,
        RequestStatus::Accepted => words::FIND_STATUS_ACCEPTED,
        RequestStatus::NoPartner => words::FIND_STATUS_NO_PARTNER,
    }
}

/// Where the request stands, and what was asked.
#[component]
fn RequestPage(page: Page, request: RequestRef, confirmed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<ApiClient>();
    let loaded = LocalResource::new(move || {
        let (api, request) = (api.clone(), request.clone());
        let locale = i18n.locale.get();
        async move { api.partner_request(&request, locale).await }
    });
    view! {
        {confirmed.then(|| view! { <p class="csp-notice" role="status" data-confirmed>{move || i18n.t(words::FIND_CONFIRMED)}</p> })}
        {move || match loaded.get() {
            None => view! { <p class="csp-loading" role="status">{move || i18n.t(words::FIND_LOADING)}</p> }.into_any(),
            Some(Ok(view)) => view! { <Standing view=view/> }.into_any(),
            Some(Err(failure)) => {
                let gone = matches!(failure, ApiFailure::Status { status: 401 | 404, .. });
                // Gone, it can only be asked for again; anything else (the
                // network, the server) may pass.
                let action = if gone {
                    view! {
                        <button type="button" class="csp-button csp-button--secondary" on:click=move |_| {
                            page.clear();
                            page.stage.set(Stage::Asking);
                        }>{move || i18n.t(words::FIND_NEW_REQUEST)}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="csp-button csp-button--secondary" on:click=move |_| loaded.refetch()>
                            {move || i18n.t(msg::APP_RETRY)}
                        </button>
                    }.into_any()
                };
                view! {
                    <p class="csp-notice csp-notice--problem" role="alert">
                        {move || if gone { i18n.t(words::FIND_LINK_INVALID) } else { failure.describe(&i18n) }}
                    </p>
                    {action}
                }.into_any()
            }
        }}
    }
}

/// The request as it stands.
#[component]
fn Standing(view: PartnerRequestView) -> impl IntoView {
    let i18n = use_i18n();
    let status = view.status;
    let days = limits::REFERRAL_ANSWER_DAYS.to_string();
    let partner_name = view
        .partner
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let said = move || {
        i18n.tf(
            status_words(status),
            &[("days", &days), ("partner", &partner_name)],
        )
    };
    let partner = view.partner.clone().map(|p| {
        let alt = p.name.clone();
        view! {
            <div class="csp-inset" data-partner>
                {p.logo_url.map(|url| view! { <img class="csp-logo" src=url alt=alt/> })}
                <p><strong>{p.name}</strong></p>
                {(!p.website.is_empty()).then(|| {
                    let href = p.website.clone();
                    view! { <p>{move || i18n.t(words::FIND_PARTNER_WEBSITE)}": "<a class="csp-link" href=href rel="noopener noreferrer" target="_blank">{p.website.clone()}</a></p> }
                })}
            </div>
        }
    });
    let needs = view.needs;
    let [products, industry, size, place] = need_words(&needs, i18n);
    let contact = [
        view.contact.name.clone(),
        view.contact.email.clone(),
        view.contact.phone.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let row = |key: MessageKey, value: String| view! { <SummaryRow key=key value=value/> };
    view! {
        <div class="csp-inset" data-request-status=status.as_str()>
            <p>{said}</p>
        </div>
        {partner}
        <h2 class="csp-heading-m">{move || i18n.t(words::FIND_YOUR_REQUEST)}</h2>
        <dl class="csp-summary">
            {row(words::FIND_PRODUCTS, products)}
            {row(words::FIND_INDUSTRY, industry)}
            {row(words::FIND_COMPANY_SIZE, size)}
            {row(words::FIND_PLACE, place)}
            {row(words::FIND_DESCRIPTION, needs.description.clone())}
            {row(words::FIND_CONTACT, contact)}
        </dl>
    }
}
