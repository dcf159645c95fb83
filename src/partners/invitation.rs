//! A partner's invitation to a reseller relationship, as its customer
//! answers it (`data-start="invitation"`, opened by the link the partner
//! gave, `#invitation=<id>.<token>`): who invites and what it means, the
//! admin's address proven with an emailed code, then the company, its
//! country and the tenant the relationship is for, accepted or declined.
//! The resale rule is enroll-core's, applied by the API: the page shows
//! what it says, at the fields and in the error summary.

use enroll_core::contract::InvitationView;
use enroll_core::customer::{InvitationAcceptance, InvitationStatus};
use enroll_core::msg::partners as words;
use enroll_core::{ErrorCode, Locale, MessageKey, ProblemCode};
use leptos::html::H1;
use leptos::prelude::*;
use std::future::Future;

use super::fields::CountrySelect;
use super::proof::{undelivered_code, Asking, CodeEntry};
use super::{address_at_admin, PartnerCard, ADMIN_ADDRESS};
use crate::api::{ApiClient, ApiFailure, InvitationRef};
use crate::i18n::{country_name, use_i18n, I18n};
use crate::ui::confirm::AskFirst;
use crate::ui::error_summary::ErrorSummary;
use crate::ui::field::PlainField;

/// The example the tenant's words show where the server suggests none
/// (it suggests only for a name typed without `.onmicrosoft.com`).
const TENANT_EXAMPLE: &str = "contoso.onmicrosoft.com";

/// What the customer is shown, by where the invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// The admin's address, to email a code to.
    Address,
    /// The code emailed, typed back.
    Code,
    /// The address proven: the company and its tenant, accepted or
    /// declined.
    Answer,
    /// Answered (here or before), expired or withdrawn.
    Closed(InvitationStatus),
}

impl Stage {
    fn of(view: &InvitationView, code_asked: bool) -> Self {
        if !view.status.is_open() {
            Self::Closed(view.status)
        } else if view.proven_email.is_some() {
            Self::Answer
        } else if code_asked {
            Self::Code
        } else {
            Self::Address
        }
    }
}

/// A closed invitation's heading and what it means for the customer.
fn closed_words(status: InvitationStatus) -> (MessageKey, MessageKey) {
    match status {
        InvitationStatus::Accepted => {
            (words::INVITATION_ACCEPTED_TITLE, words::INVITATION_ACCEPTED)
        }
        InvitationStatus::Declined => {
            (words::INVITATION_DECLINED_TITLE, words::INVITATION_DECLINED)
        }
        InvitationStatus::Expired => (words::INVITATION_EXPIRED_TITLE, words::INVITATION_EXPIRED),
        InvitationStatus::Withdrawn => (
            words::INVITATION_WITHDRAWN_TITLE,
            words::INVITATION_WITHDRAWN,
        ),
        InvitationStatus::Sent => (words::INVITATION_TITLE, words::INVITATION_INTRO),
    }
}

/// The page's shared state.
#[derive(Clone, Copy)]
struct Page {
    api: StoredValue<ApiClient>,
    i18n: I18n,
    /// The invitation's id and token: in memory only.
    invitation: StoredValue<InvitationRef>,
    /// The invitation as read, read again after a refusal.
    loaded: LocalResource<Result<InvitationView, ApiFailure>>,
    /// The invitation as the server last gave it.
    view: RwSignal<Option<InvitationView>>,
    /// A code was emailed: its field shows, until "Use another address".
    code_asked: RwSignal<bool>,
    /// The admin's address, kept when another is tried.
    email: RwSignal<String>,
    asking: Asking,
}

impl Page {
    /// A failure told where it belongs: a refusal of the invitation's as
    /// the invitation read again shows it, a link that no longer opens
    /// it, the report's problems at the page's fields, anything else
    /// above them. (The catalog's words for the refusals' codes are the
    /// application's, which would mislead here.)
    fn failed(&self, failure: ApiFailure) {
        let i18n = self.i18n;
        match failure.code() {
            // Answered, withdrawn or expired meanwhile, or, for a code, the
            // address proven in another tab: the stage it is now at says
            // so, from its heading on.
            Some(ErrorCode::NotEditable) => self.loaded.refetch(),
            Some(ErrorCode::AdminEmailUnverified) => {
                let unproven = i18n.t(words::INVITATION_UNPROVEN);
                self.asking.failure.set(Some(unproven));
                self.code_asked.set(false);
                self.loaded.refetch();
            }
            _ if matches!(
                failure,
                ApiFailure::Status {
                    status: 401 | 404,
                    ..
                }
            ) =>
            {
                let invalid = i18n.t(words::INVITATION_INVALID);
                self.asking.failure.set(Some(invalid));
            }
            _ => self.asking.failed(shown(failure), &i18n),
        }
    }

    /// Emails a code to the address typed (`again`: a new one, asked by
    /// the customer); its field shows once it is sent.
    fn send_code(&self, again: bool) {
        let page = *self;
        let (api, invitation) = (self.api.get_value(), self.invitation.get_value());
        let (email, locale) = (self.email.get_untracked(), self.i18n.locale.get_untracked());
        self.asking.send_code(
            async move { api.send_invitation_code(&invitation, &email, locale).await },
            again,
            move |sent| match sent {
                Ok(()) => page.code_asked.set(true),
                Err(failure) => page.failed(failure),
            },
        );
    }

    /// One of the customer's answers (the code, accept, decline), made by
    /// `request`: the invitation as it then stands, or what went wrong.
    fn answer<F>(&self, request: impl FnOnce(ApiClient, InvitationRef, Locale) -> F)
    where
        F: Future<Output = Result<InvitationView, ApiFailure>> + 'static,
    {
        let page = *self;
        let answer = request(
            self.api.get_value(),
            self.invitation.get_value(),
            self.i18n.locale.get_untracked(),
        );
        self.asking.send(answer, move |answer| match answer {
            Ok(view) => page.view.set(Some(view)),
            Err(failure) => page.failed(failure),
        });
    }
}

/// The report's problems as the page shows them: the address at the
/// admin's field, and an example where the tenant's words have no
/// suggestion to show.
fn shown(failure: ApiFailure) -> ApiFailure {
    let mut failure = address_at_admin(failure, "email");
    if let ApiFailure::Invalid(report) = &mut failure {
        let tenant_format =
            |p: &&mut enroll_core::Problem| p.code == ProblemCode::TenantDomainFormat;
        for problem in report.errors.iter_mut().filter(tenant_format) {
            problem
                .params
                .entry("suggestion".to_owned())
                .or_insert_with(|| TENANT_EXAMPLE.to_owned());
        }
    }
    failure
}

#[component]
pub fn InvitationPage(opened: Option<InvitationRef>) -> impl IntoView {
    let i18n = use_i18n();
    match opened {
        Some(invitation) => view! { <Opened invitation=invitation/> }.into_any(),
        // Nothing to ask the API: the link lost its fragment on the way.
        None => view! {
            <div class="csp-invitation" data-invitation="incomplete">
                <h1 class="csp-heading-l">{move || i18n.t(words::INVITATION_INCOMPLETE_TITLE)}</h1>
                <p>{move || i18n.t(words::INVITATION_INCOMPLETE)}</p>
            </div>
        }
        .into_any(),
    }
}

/// The invitation the link opened, by where it stands.
#[component]
fn Opened(invitation: InvitationRef) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<ApiClient>();
    let loaded = {
        let (api, invitation) = (api.clone(), invitation.clone());
        LocalResource::new(move || {
            let (api, invitation) = (api.clone(), invitation.clone());
            let locale = i18n.locale.get_untracked();
            async move { api.invitation(&invitation, locale).await }
        })
    };
    let page = Page {
        api: StoredValue::new(api),
        i18n,
        invitation: StoredValue::new(invitation),
        loaded,
        view: RwSignal::new(None),
        code_asked: RwSignal::new(false),
        email: RwSignal::new(String::new()),
        asking: Asking::new(),
    };
    // The first time, in the language the partner chose for the customer
    // (the email was), with the address the partner gave filled in.
    Effect::new(move |_| {
        let Some(Ok(view)) = loaded.get() else {
            return;
        };
        if page.view.with_untracked(Option::is_none) {
            if let Some(locale) = Locale::from_tag(&view.locale) {
                i18n.locale.set(locale);
            }
            page.email.set(view.admin_email.clone());
        }
        page.view.set(Some(view));
    });
    // Drawn again only when the stage itself changes: what is typed stays
    // while a request is on its way or refused.
    let stage = Memo::new(move |_| {
        page.view
            .with(|v| v.as_ref().map(|v| Stage::of(v, page.code_asked.get())))
    });
    // Each stage after the first opens with its heading focused: a
    // keyboard or screen reader user starts at the top of what changed.
    let heading = NodeRef::<H1>::new();
    Effect::new(move |previous: Option<Option<Stage>>| {
        let now = stage.get();
        if matches!(previous, Some(Some(_))) {
            request_animation_frame(move || {
                if let Some(h1) = heading.get_untracked() {
                    let _ = h1.focus();
                }
            });
        }
        now
    });
    let failure = page.asking.failure_view();
    let errors = page.asking.errors;
    view! {
        <div class="csp-invitation" data-invitation>
            {move || {
                let (Some(stage), Some(view)) = (stage.get(), page.view.get_untracked()) else {
                    return view! { <Unread page=page/> }.into_any();
                };
                let partner = view.partner.name.clone();
                let title = move |key: MessageKey| {
                    let partner = partner.clone();
                    move || i18n.tf(key, &[("partner", &partner)])
                };
                match stage {
                    Stage::Address => view! {
                        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{title(words::INVITATION_TITLE)}</h1>
                        {failure}
                        <ErrorSummary errors=errors/>
                        <About view=view/>
                        <AddressForm page=page/>
                    }.into_any(),
                    Stage::Code => view! {
                        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::FIND_CODE_TITLE)}</h1>
                        {failure}
                        <ErrorSummary errors=errors/>
                        <CodeForm page=page/>
                    }.into_any(),
                    Stage::Answer => view! {
                        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{title(words::INVITATION_TITLE)}</h1>
                        {failure}
                        <ErrorSummary errors=errors/>
                        <About view=view.clone()/>
                        <AnswerForm page=page view=view/>
                    }.into_any(),
                    Stage::Closed(status) => view! {
                        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{title(closed_words(status).0)}</h1>
                        {failure}
                        <Closed view=view/>
                    }.into_any(),
                }
            }}
        </div>
    }
}

/// The invitation before it is read: loading, or why it cannot be.
#[component]
fn Unread(page: Page) -> impl IntoView {
    let i18n = page.i18n;
    move || {
        match page.loaded.get() {
        None | Some(Ok(_)) => view! {
            <p class="csp-loading" role="status">{move || i18n.t(words::INVITATION_LOADING)}</p>
        }
        .into_any(),
        // No such invitation, or not this token's: only the partner can
        // give a link that works.
        Some(Err(ApiFailure::Status { status: 401 | 404, .. })) => view! {
            <h1 class="csp-heading-l">{move || i18n.t(words::INVITATION_INVALID_TITLE)}</h1>
            <p>{move || i18n.t(words::INVITATION_INVALID)}</p>
        }
        .into_any(),
        // The network, the server: it may pass.
        Some(Err(failure)) => view! {
            <div class="csp-notice csp-notice--problem" role="alert">
                <p>{move || failure.describe(&i18n)}</p>
                <button type="button" class="csp-button csp-button--secondary" on:click=move |_| page.loaded.refetch()>
                    {move || i18n.t(enroll_core::msg::APP_RETRY)}
                </button>
            </div>
        }
        .into_any(),
    }
    }
}

/// Who invites, and what a reseller relationship means.
#[component]
fn About(view: InvitationView) -> impl IntoView {
    let i18n = use_i18n();
    let partner = view.partner.name.clone();
    let company = view.company_name.clone();
    let until = view.expires_at.clone();
    let said = move |key: MessageKey| {
        let (partner, company) = (partner.clone(), company.clone());
        move || i18n.tf(key, &[("partner", &partner), ("company", &company)])
    };
    let p = view.partner;
    view! {
        <PartnerCard name=p.name website=p.website logo_url=p.logo_url/>
        <p>{said(words::INVITATION_INTRO)}</p>
        <h2 class="csp-heading-m">{move || i18n.t(words::INVITATION_MEANING_TITLE)}</h2>
        <ul class="csp-list" data-meaning>
            <li>{said(words::INVITATION_MEANING_SELL)}</li>
            <li>{move || i18n.t(words::INVITATION_MEANING_NO_ADMIN)}</li>
            <li>{move || i18n.t(words::INVITATION_MEANING_END)}</li>
        </ul>
        <p class="csp-hint">{move || i18n.tf(words::INVITATION_EXPIRES, &[("date", &i18n.date(&until, false))])}</p>
    }
}

/// The admin's address, a code emailed to it.
#[component]
fn AddressForm(page: Page) -> impl IntoView {
    let i18n = page.i18n;
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); page.send_code(false); }>
            <h2 class="csp-heading-m">{move || i18n.t(words::INVITATION_PROVE_TITLE)}</h2>
            <p>{move || i18n.t(words::INVITATION_PROVE_INTRO)}</p>
            <PlainField path=ADMIN_ADDRESS label_key=words::INVITATION_EMAIL hint_key=words::INVITATION_EMAIL_HINT
                input_type="email" autocomplete="email" value=page.email errors=page.asking.errors/>
            <button type="submit" class="csp-button" aria-disabled=move || page.asking.pending.get().to_string()>
                {move || i18n.t(words::INVITATION_SEND_CODE)}
            </button>
        </form>
    }
}

/// The code emailed to the admin, typed back.
#[component]
fn CodeForm(page: Page) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let undelivered = undelivered_code(page.asking, move || {
        let (api, invitation) = (page.api.get_value(), page.invitation.get_value());
        let locale = page.i18n.locale.get_untracked();
        async move { Ok(api.invitation(&invitation, locale).await?.code_delivery) }
    });
    let confirm = move |()| {
        let typed = code.get_untracked();
        page.answer(move |api, invitation, locale| async move {
            api.verify_invitation_code(&invitation, &typed, locale)
                .await
        });
    };
    let again = move |()| {
        page.asking.clear();
        page.send_code(true);
    };
    let other_address = move |()| {
        page.asking.clear();
        page.code_asked.set(false);
    };
    view! {
        <CodeEntry asking=page.asking undelivered=undelivered why=words::INVITATION_CODE_WHY code=code
            on_confirm=Callback::new(confirm) on_again=Callback::new(again)
            change=words::INVITATION_OTHER_ADDRESS on_change=Callback::new(other_address)/>
    }
}

/// The company, its country and its tenant: accepted, or declined.
#[component]
fn AnswerForm(page: Page, view: InvitationView) -> impl IntoView {
    let i18n = page.i18n;
    let errors = page.asking.errors;
    let company_name = RwSignal::new(view.company_name.clone());
    // The partner's market: a customer elsewhere is refused (CSP markets
    // are per country), so it is the likely answer, and said beside it.
    let market = view.partner.country.clone();
    let country = RwSignal::new(market.clone());
    let tenant_domain = RwSignal::new(String::new());
    let partner = view.partner.name.clone();
    let country_hint = {
        let partner = partner.clone();
        Signal::derive(move || {
            let country = country_name(&market, i18n.locale.get());
            i18n.tf(
                words::INVITATION_COUNTRY_HINT,
                &[("partner", &partner), ("country", &country)],
            )
        })
    };
    let accept = move || {
        let acceptance = InvitationAcceptance {
            company_name: company_name.get_untracked(),
            country: country.get_untracked(),
            tenant_domain: tenant_domain.get_untracked(),
        };
        page.answer(move |api, invitation, locale| async move {
            api.accept_invitation(&invitation, &acceptance, locale)
                .await
        });
    };
    let decline = Callback::new(move |()| {
        page.answer(|api, invitation, locale| async move {
            api.decline_invitation(&invitation, locale).await
        })
    });
    let proven = view.proven_email.clone().unwrap_or_default();
    let pending = page.asking.pending;
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); accept(); }>
            <h2 class="csp-heading-m">{move || i18n.t(words::INVITATION_ANSWER_TITLE)}</h2>
            <p data-proven>{move || i18n.tf(words::INVITATION_PROVEN, &[("email", &proven)])}</p>
            <PlainField path="company_name" label_key=words::INVITATION_COMPANY_NAME autocomplete="organization"
                value=company_name errors=errors/>
            <CountrySelect path="country" label=words::INVITATION_COUNTRY value=country errors=errors hint=Some(country_hint)/>
            <PlainField path="tenant_domain" label_key=words::INVITATION_TENANT_DOMAIN hint_key=words::INVITATION_TENANT_DOMAIN_HINT
                width="csp-input--20" value=tenant_domain errors=errors/>
            <div class="csp-actions-row">
                <button type="submit" class="csp-button" data-accept aria-disabled=move || pending.get().to_string()>
                    {move || i18n.t(words::INVITATION_ACCEPT)}
                </button>
                <AskFirst id="decline-question".to_owned() marker="decline" class="csp-button csp-button--secondary"
                    label=Signal::derive(move || i18n.t(words::INVITATION_DECLINE))
                    question=Signal::derive(move || i18n.tf(words::INVITATION_DECLINE_QUESTION, &[("partner", &partner)]))
                    yes=Signal::derive(move || i18n.t(words::INVITATION_DECLINE_YES))
                    no=Signal::derive(move || i18n.t(words::INVITATION_CANCEL))
                    on_yes=decline pending=pending/>
            </div>
        </form>
    }
}

/// A closed invitation: what it means for the customer.
#[component]
fn Closed(view: InvitationView) -> impl IntoView {
    let i18n = use_i18n();
    let (_, said) = closed_words(view.status);
    let partner = view.partner.name;
    let (company, tenant) = match view.customer {
        Some(customer) => (customer.company_name, customer.tenant_domain),
        None => (view.company_name, String::new()),
    };
    view! {
        <div class="csp-inset" data-invitation-status=view.status.as_str()>
            <p>{move || i18n.tf(said, &[("partner", &partner), ("company", &company), ("tenant", &tenant)])}</p>
        </div>
    }
}
