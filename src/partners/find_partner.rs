//! A customer looking for a partner (`data-start="find-partner"`): what
//! the company needs and whom to contact, the address proven with an
//! emailed code (no partner hears of the request before), then the
//! request's page, which the link emailed to the customer opens again.
//! The rules are enroll-core's, applied by the API: the page shows what
//! it says, at the fields and in the error summary.

use enroll_core::contract::PartnerRequestView;
use enroll_core::matching::Needs;
use enroll_core::msg::partners as words;
use enroll_core::partner_request::{limits, PartnerRequest, RequestContact};
use enroll_core::referral::RequestStatus;
use enroll_core::vocabulary::{self, Vocabulary};
use enroll_core::{msg, MessageKey};
use leptos::html::H1;
use leptos::prelude::*;

use super::fields::{Checkbox, Choices, CountrySelect, Select, SummaryRow, TextArea};
use super::proof::{undelivered_code, Asking, CodeEntry};
use super::{need_words, PartnerCard};
use crate::api::{ApiClient, ApiFailure, RequestRef};
use crate::embed::HostConfig;
use crate::i18n::{use_i18n, I18n};
use crate::ui::error_summary::ErrorSummary;
use crate::ui::field::PlainField;

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

/// The page's shared state: the stage, the answers, its requests.
#[derive(Clone, Copy)]
struct Page {
    stage: RwSignal<Stage>,
    answers: Answers,
    asking: Asking,
}

impl Page {
    /// Asks for a code for `request` (`again`: a new one, asked by the
    /// customer), unless one is being asked for: the page says where it
    /// went, or why it did not.
    fn send_code(&self, api: ApiClient, i18n: I18n, request: RequestRef, again: bool) {
        let locale = i18n.locale.get_untracked();
        let asking = self.asking;
        asking.send_code(
            async move { api.send_request_code(&request, locale).await },
            again,
            move |sent| {
                if let Err(failure) = sent {
                    asking.failed(failure, &i18n);
                }
            },
        );
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
        asking: Asking::new(),
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
    let failure = page.asking.failure_view();
    view! {
        <div class="csp-find-partner" data-find-partner>
            {move || match stage.get() {
                Stage::Asking => view! {
                    <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::FIND_TITLE)}</h1>
                    <p>{move || i18n.t(words::FIND_INTRO)}</p>
                    {failure}
                    <ErrorSummary errors=page.asking.errors/>
                    <RequestForm page=page/>
                }.into_any(),
                Stage::Proving { request } => view! {
                    <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::FIND_CODE_TITLE)}</h1>
                    {failure}
                    <ErrorSummary errors=page.asking.errors/>
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
    let errors = page.asking.errors;
    let send = move || {
        let (api, request) = (api.clone(), a.request(&i18n));
        let (making, locale) = (api.clone(), i18n.locale.get_untracked());
        page.asking.send(
            async move { making.ask_for_partner(&request, locale).await },
            move |made| match made {
                Ok(made) => {
                    page.stage.set(Stage::Proving {
                        request: made.clone(),
                    });
                    page.send_code(api, i18n, made, false);
                }
                Err(failure) => page.asking.failed(failure, &i18n),
            },
        );
    };
    let described_max = limits::DESCRIPTION_MAX_CHARS;
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <fieldset class="csp-fieldset">
                <legend class="csp-heading-m">{move || i18n.t(words::FIND_NEEDS)}</legend>
                <Choices vocabulary=vocabulary::PRODUCTS chosen=a.products errors=errors
                    label=words::FIND_PRODUCTS path="needs.products"/>
                <Select path="needs.industry" label=words::FIND_INDUSTRY
                    options=named(vocabulary::INDUSTRIES, i18n) value=a.industry errors=errors/>
                <Select path="needs.company_size" label=words::FIND_COMPANY_SIZE
                    options=named(vocabulary::CUSTOMER_SIZES, i18n) value=a.company_size errors=errors/>
                <CountrySelect path="needs.country" label=words::FIND_COUNTRY value=a.country errors=errors/>
                <PlainField path="needs.city" label_key=words::FIND_CITY autocomplete="address-level2"
                    width="csp-input--20" value=a.city errors=errors/>
                <TextArea path="needs.description" label=words::FIND_DESCRIPTION
                    hint=words::FIND_DESCRIPTION_HINT value=a.description errors=errors/>
                <p class="csp-hint" data-characters>
                    {move || format!("{} / {described_max}", a.description.with(|d| d.chars().count()))}
                </p>
            </fieldset>
            <fieldset class="csp-fieldset">
                <legend class="csp-heading-m">{move || i18n.t(words::FIND_CONTACT)}</legend>
                <PlainField path="contact.name" label_key=words::FIND_NAME autocomplete="name"
                    value=a.name errors=errors/>
                <PlainField path="contact.email" label_key=words::FIND_EMAIL hint_key=words::FIND_EMAIL_HINT
                    input_type="email" autocomplete="email" value=a.email errors=errors/>
                <PlainField path="contact.phone" label_key=words::FIND_PHONE input_type="tel" autocomplete="tel"
                    width="csp-input--20" value=a.phone errors=errors/>
                <Checkbox path="consent_to_share" label=words::FIND_CONSENT value=a.consent errors=errors/>
            </fieldset>
            <button type="submit" class="csp-button" aria-disabled=move || page.asking.pending.get().to_string()>
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
    let undelivered = {
        let (api, request) = (api.clone(), request.clone());
        undelivered_code(page.asking, move || {
            let (api, request) = (api.clone(), request.clone());
            let locale = i18n.locale.get_untracked();
            async move {
                let now = api.partner_request(&request, locale).await?;
                Ok(now.code_delivery)
            }
        })
    };
    let confirm = {
        let (api, request) = (api.clone(), request.clone());
        move |()| {
            let (api, request) = (api.clone(), request.clone());
            let link_base = config.page_url.clone();
            let typed = code.get_untracked();
            let locale = i18n.locale.get_untracked();
            let proving = request.clone();
            page.asking.send(
                async move {
                    api.verify_request_code(&proving, &typed, &link_base, locale)
                        .await
                },
                move |proven| match proven {
                    Ok(_) => page.stage.set(Stage::Standing {
                        request,
                        confirmed: true,
                    }),
                    Err(failure) => page.asking.failed(failure, &i18n),
                },
            );
        }
    };
    let again = move |()| {
        page.asking.clear();
        page.send_code(api.clone(), i18n, request.clone(), true);
    };
    let change = move |()| {
        page.asking.clear();
        page.stage.set(Stage::Asking);
    };
    view! {
        <CodeEntry asking=page.asking undelivered=undelivered why=words::FIND_CODE_WHY code=code
            on_confirm=Callback::new(confirm) on_again=Callback::new(again)
            change=words::FIND_CHANGE on_change=Callback::new(change)/>
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
                            page.asking.clear();
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
    let partner = view
        .partner
        .clone()
        .map(|p| view! { <PartnerCard name=p.name website=p.website logo_url=p.logo_url/> });
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
