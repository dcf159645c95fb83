//! A partner's request for admin roles in a customer's tenant (an admin
//! relationship), as the customer's admin answers it
//! (`data-start="admin-relationship"`, opened by the link emailed to the
//! admin, `#admin-relationship=<id>.<token>`): who asks, the
//! relationship's name, for which tenant, each role with what it allows,
//! for how long and whether it extends itself, and where it stands;
//! approved or rejected (asked first) while it waits, ended (asked first)
//! once approved. Each answer needs a code emailed to the customer's
//! admin: the link alone is the partner's too, and must not be enough to
//! consent. Its lifecycle is enroll-core's, applied by the API: a move
//! that no longer applies (answered in another tab, expired, ended by the
//! partner) is said, and the relationship shown as it now stands.

use enroll_core::admin_relationship::{AdminRole, RelationshipStatus};
use enroll_core::contract::AdminRelationshipRequest;
use enroll_core::msg::partners as words;
use enroll_core::{ErrorCode, MessageKey};
use leptos::html::H1;
use leptos::prelude::*;

use super::fields::SummaryRow;
use super::proof::Asking;
use super::relationships::{duration_words, status_words};
use super::PartnerCard;
use crate::api::{ApiClient, ApiFailure, RelationshipAnswer, RelationshipRef};
use crate::i18n::{use_i18n, I18n};
use crate::ui::confirm::AskFirst;
use crate::ui::error_summary::ErrorSummary;
use crate::ui::field::PlainField;
use crate::ui::{focus_after_render, root_of};

/// The page's heading, by where the relationship stands.
fn title_words(status: RelationshipStatus) -> MessageKey {
    match status {
        RelationshipStatus::Created | RelationshipStatus::ApprovalPending => {
            words::ADMIN_RELATIONSHIP_TITLE
        }
        RelationshipStatus::Active | RelationshipStatus::Expiring => {
            words::ADMIN_RELATIONSHIP_ACTIVE_TITLE
        }
        RelationshipStatus::Expired | RelationshipStatus::Terminated => {
            words::ADMIN_RELATIONSHIP_ENDED_TITLE
        }
    }
}

/// What the relationship means for the customer now, and the date it
/// names (when the request expires, when it ends or ended): by its
/// status, and for one over, how it ended.
fn standing_words(view: &AdminRelationshipRequest) -> (MessageKey, Option<&String>) {
    let r = &view.relationship;
    match r.status {
        RelationshipStatus::Created | RelationshipStatus::ApprovalPending => (
            words::ADMIN_RELATIONSHIP_PENDING,
            r.request_expires_at.as_ref(),
        ),
        RelationshipStatus::Active if r.auto_extend => {
            (words::ADMIN_RELATIONSHIP_ACTIVE_AUTO, r.ends_at.as_ref())
        }
        RelationshipStatus::Active => (words::ADMIN_RELATIONSHIP_ACTIVE, r.ends_at.as_ref()),
        RelationshipStatus::Expiring => (words::ADMIN_RELATIONSHIP_EXPIRING, r.ends_at.as_ref()),
        // Never approved: the request went unanswered.
        RelationshipStatus::Expired if r.approved_at.is_none() => {
            (words::ADMIN_RELATIONSHIP_LAPSED, r.ended_at.as_ref())
        }
        RelationshipStatus::Expired => (
            words::ADMIN_RELATIONSHIP_EXPIRED,
            r.ended_at.as_ref().or(r.ends_at.as_ref()),
        ),
        RelationshipStatus::Terminated => {
            let key = match (r.ended_by.as_deref(), &r.approved_at) {
                (Some("customer"), None) => words::ADMIN_RELATIONSHIP_REJECTED,
                (Some("customer"), Some(_)) => words::ADMIN_RELATIONSHIP_ENDED_BY_CUSTOMER,
                (_, None) => words::ADMIN_RELATIONSHIP_WITHDRAWN,
                (_, Some(_)) => words::ADMIN_RELATIONSHIP_ENDED_BY_PARTNER,
            };
            (key, r.ended_at.as_ref())
        }
    }
}

/// The page's shared state.
#[derive(Clone, Copy)]
struct Page {
    api: StoredValue<ApiClient>,
    i18n: I18n,
    /// The relationship's id and the link's token: in memory only.
    relationship: StoredValue<RelationshipRef>,
    /// The relationship as read, read again after a refusal.
    loaded: LocalResource<Result<AdminRelationshipRequest, ApiFailure>>,
    /// The relationship as the server last gave it.
    view: RwSignal<Option<AdminRelationshipRequest>>,
    asking: Asking,
    /// A code was emailed to the admin: its field and the answers show.
    code_asked: RwSignal<bool>,
    /// The code as typed.
    code: RwSignal<String>,
    /// The last answer found the relationship moved on meanwhile: said
    /// above it, as it now stands.
    moved: RwSignal<bool>,
}

impl Page {
    /// Emails the admin a code (`again`: a new one, asked by the admin);
    /// once it is sent its field shows, focused, in `root`.
    fn send_code(&self, again: bool, root: Option<web_sys::Node>) {
        let page = *self;
        let (api, relationship) = (self.api.get_value(), self.relationship.get_value());
        let locale = self.i18n.locale.get_untracked();
        self.asking.send_code(
            async move {
                api.send_admin_relationship_code(&relationship, locale)
                    .await
            },
            again,
            move |sent| match sent {
                Ok(()) => {
                    page.code_asked.set(true);
                    focus_after_render(root, crate::ui::field_id("code"));
                }
                Err(failure) => page.failed(failure),
            },
        );
    }

    /// Sends the customer's `answer` with the code typed: the relationship
    /// as it then stands (the code is used up), or what went wrong.
    fn answer(&self, answer: RelationshipAnswer) {
        let page = *self;
        let (api, relationship) = (self.api.get_value(), self.relationship.get_value());
        let (code, locale) = (self.code.get_untracked(), self.i18n.locale.get_untracked());
        self.moved.set(false);
        self.asking.send(
            async move {
                api.answer_admin_relationship(&relationship, (answer, &code), locale)
                    .await
            },
            move |answered| match answered {
                Ok(view) => {
                    page.code.set(String::new());
                    page.code_asked.set(false);
                    page.asking.code_sent_to.set(None);
                    page.view.set(Some(view));
                }
                Err(failure) => page.failed(failure),
            },
        );
    }

    /// A failure told where it belongs: a move that no longer applies as
    /// the relationship read again shows it (the catalog's words for the
    /// 409 are the application's), a link that no longer opens it, else
    /// above the page.
    fn failed(&self, failure: ApiFailure) {
        let i18n = self.i18n;
        match failure.code() {
            Some(ErrorCode::NotEditable) => {
                // Read again as it stands; a code asked for the move that
                // no longer applies is not carried to the next one.
                self.code.set(String::new());
                self.code_asked.set(false);
                self.asking.code_sent_to.set(None);
                self.moved.set(true);
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
                let invalid = i18n.t(words::ADMIN_RELATIONSHIP_INVALID);
                self.asking.failure.set(Some(invalid));
            }
            _ => self.asking.failed(failure, &i18n),
        }
    }
}

#[component]
pub fn AdminRelationshipPage(opened: Option<RelationshipRef>) -> impl IntoView {
    let i18n = use_i18n();
    match opened {
        Some(relationship) => view! { <Opened relationship=relationship/> }.into_any(),
        // Nothing to ask the API: the link lost its fragment on the way.
        None => view! {
            <div data-admin-relationship="incomplete">
                <h1 class="csp-heading-l">{move || i18n.t(words::ADMIN_RELATIONSHIP_INCOMPLETE_TITLE)}</h1>
                <p>{move || i18n.t(words::ADMIN_RELATIONSHIP_INCOMPLETE)}</p>
            </div>
        }
        .into_any(),
    }
}

/// The relationship the link opened, by where it stands.
#[component]
fn Opened(relationship: RelationshipRef) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<ApiClient>();
    let loaded = {
        let (api, relationship) = (api.clone(), relationship.clone());
        LocalResource::new(move || {
            let (api, relationship) = (api.clone(), relationship.clone());
            let locale = i18n.locale.get_untracked();
            async move { api.admin_relationship_request(&relationship, locale).await }
        })
    };
    let page = Page {
        api: StoredValue::new(api),
        i18n,
        relationship: StoredValue::new(relationship),
        loaded,
        view: RwSignal::new(None),
        asking: Asking::new(),
        code_asked: RwSignal::new(false),
        code: RwSignal::new(String::new()),
        moved: RwSignal::new(false),
    };
    Effect::new(move |_| {
        if let Some(Ok(view)) = loaded.get() {
            page.view.set(Some(view));
        }
    });
    // Drawn again only when the status changes: a request refused for the
    // network leaves the page (and focus) where it is.
    let status = Memo::new(move |_| {
        page.view
            .with(|v| v.as_ref().map(|v| v.relationship.status))
    });
    // After an answer the page opens with its heading focused: a keyboard
    // or screen reader user starts at the top of what changed.
    let heading = NodeRef::<H1>::new();
    Effect::new(move |previous: Option<Option<RelationshipStatus>>| {
        let now = status.get();
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
    view! {
        <div data-admin-relationship>
            {move || {
                let (Some(status), Some(view)) = (status.get(), page.view.get_untracked()) else {
                    return view! { <Unread page=page/> }.into_any();
                };
                let partner = view.partner.name.clone();
                view! {
                    <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>
                        {move || i18n.tf(title_words(status), &[("partner", &partner)])}
                    </h1>
                    {move || page.moved.get().then(|| view! {
                        <p class="csp-notice" role="status" data-moved>{move || i18n.t(words::ADMIN_RELATIONSHIP_MOVED)}</p>
                    })}
                    {failure}
                    <ErrorSummary errors=page.asking.errors/>
                    <Relationship view=view page=page/>
                }
                .into_any()
            }}
        </div>
    }
}

/// The relationship before it is read: loading, or why it cannot be.
#[component]
fn Unread(page: Page) -> impl IntoView {
    let i18n = page.i18n;
    move || {
        match page.loaded.get() {
        None | Some(Ok(_)) => view! {
            <p class="csp-loading" role="status">{move || i18n.t(words::ADMIN_RELATIONSHIP_LOADING)}</p>
        }
        .into_any(),
        // No such relationship, or not this token's: only the email (or
        // the partner) has a link that works.
        Some(Err(ApiFailure::Status { status: 401 | 404, .. })) => view! {
            <h1 class="csp-heading-l">{move || i18n.t(words::ADMIN_RELATIONSHIP_INVALID_TITLE)}</h1>
            <p data-invalid>{move || i18n.t(words::ADMIN_RELATIONSHIP_INVALID)}</p>
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

/// Who asks, for what, for how long and where it stands, the roles each
/// explained, and what the customer may do now.
#[component]
fn Relationship(view: AdminRelationshipRequest, page: Page) -> impl IntoView {
    let i18n = page.i18n;
    let r = view.relationship.clone();
    let status = r.status;
    let partner = view.partner.name.clone();
    let (company, tenant) = (
        view.customer.company_name.clone(),
        view.customer.tenant_domain.clone(),
    );
    let standing = {
        let view = view.clone();
        let (partner, tenant) = (partner.clone(), tenant.clone());
        move || {
            let (key, at) = standing_words(&view);
            let date = at.map(|at| i18n.date(at, false)).unwrap_or_default();
            i18n.tf(
                key,
                &[("partner", &partner), ("tenant", &tenant), ("date", &date)],
            )
        }
    };
    let intro = {
        let (partner, company, name) = (partner.clone(), company.clone(), r.name.clone());
        let days = r.duration_days;
        move || {
            i18n.tf(
                words::ADMIN_RELATIONSHIP_INTRO,
                &[
                    ("partner", &partner),
                    ("company", &company),
                    ("name", &name),
                    ("duration", &duration_words(days, i18n)),
                ],
            )
        }
    };
    let duration = {
        let (days, ends) = (r.duration_days, r.ends_at.clone());
        Signal::derive(move || {
            let days = duration_words(days, i18n);
            match ends.as_ref().filter(|_| status.grants_roles()) {
                Some(at) => i18n.tf(
                    words::ADMIN_RELATIONSHIP_UNTIL,
                    &[("duration", &days), ("date", &i18n.date(at, false))],
                ),
                None => days,
            }
        })
    };
    let auto_extend = {
        let (on, partner) = (r.auto_extend, partner.clone());
        Signal::derive(move || {
            let key = if on {
                words::ADMIN_RELATIONSHIP_AUTO_EXTEND_ON
            } else {
                words::ADMIN_RELATIONSHIP_AUTO_EXTEND_OFF
            };
            i18n.tf(key, &[("partner", &partner)])
        })
    };
    // Each role in the page's language (they follow a switch); one this
    // version does not know, in the words the server sent.
    let roles = r
        .roles
        .iter()
        .map(|code| {
            let known = AdminRole::parse(code);
            let sent = view.role_details.iter().find(|d| d.code == *code).cloned();
            let (sent_name, sent_description) = sent
                .map(|d| (d.name, d.description))
                .unwrap_or_else(|| (code.clone(), String::new()));
            let name = move || known.map_or_else(|| sent_name.clone(), |r| i18n.t(r.name_key()));
            let description = move || {
                known.map_or_else(|| sent_description.clone(), |r| i18n.t(r.description_key()))
            };
            view! {
                <div class="csp-summary__row" data-role=code.clone()>
                    <dt class="csp-summary__key">{name}</dt>
                    <dd class="csp-summary__value">{description}</dd>
                </div>
            }
        })
        .collect::<Vec<_>>();
    let waiting = matches!(
        status,
        RelationshipStatus::Created | RelationshipStatus::ApprovalPending
    );
    let answer = (!status.is_final()).then(|| {
        view! { <Answer page=page status=status partner=partner.clone() company=company.clone()/> }
    });
    let p = view.partner;
    view! {
        <PartnerCard name=p.name website=p.website logo_url=p.logo_url/>
        {waiting.then(|| view! { <p>{intro}</p> })}
        <p class="csp-notice" data-standing data-relationship-status=status.as_str()>{standing}</p>
        <dl class="csp-summary" data-relationship-summary>
            <SummaryRow key=words::ADMIN_RELATIONSHIP_NAME value=r.name.clone()/>
            <SummaryRow key=words::ADMIN_RELATIONSHIP_COMPANY value=company/>
            <SummaryRow key=words::ADMIN_RELATIONSHIP_TENANT value=tenant/>
            <SummaryRow key=words::ADMIN_RELATIONSHIP_DURATION value=duration/>
            <SummaryRow key=words::ADMIN_RELATIONSHIP_AUTO_EXTEND value=auto_extend/>
            <SummaryRow key=words::ADMIN_RELATIONSHIP_STATUS value=Signal::derive(move || i18n.t(status_words(status)))/>
        </dl>
        <h2 class="csp-heading-m">{move || i18n.t(words::ADMIN_RELATIONSHIP_ROLES_TITLE)}</h2>
        <dl class="csp-summary" data-roles>{roles}</dl>
        {answer}
    }
}

/// What the customer's admin may do now, with a code emailed to them:
/// approve or reject (asked first) while approval is pending; end it
/// (asked first) once approved. While pending, rejecting is ending: the
/// same move, offered once.
#[component]
fn Answer(
    page: Page,
    status: RelationshipStatus,
    partner: String,
    company: String,
) -> impl IntoView {
    let i18n = page.i18n;
    let pending = page.asking.pending;
    let waiting = matches!(
        status,
        RelationshipStatus::Created | RelationshipStatus::ApprovalPending
    );
    let (title, intro) = if waiting {
        (
            words::ADMIN_RELATIONSHIP_ANSWER_TITLE,
            words::ADMIN_RELATIONSHIP_ANSWER_INTRO,
        )
    } else {
        (
            words::ADMIN_RELATIONSHIP_END_TITLE,
            words::ADMIN_RELATIONSHIP_END_INTRO,
        )
    };
    let intro = {
        let (partner, company) = (partner.clone(), company.clone());
        move || i18n.tf(intro, &[("partner", &partner), ("company", &company)])
    };
    let ask_code = move |ev: leptos::ev::MouseEvent| {
        let root = ev.target().and_then(|target| root_of(&target));
        page.send_code(false, root);
    };
    let again = move |ev: leptos::ev::MouseEvent| {
        let root = ev.target().and_then(|target| root_of(&target));
        page.asking.clear();
        page.send_code(true, root);
    };
    // Approve is not offered before the request was made (`created`):
    // the API would refuse it.
    let approvable = status == RelationshipStatus::ApprovalPending;
    let moves = move || {
        let partner = partner.clone();
        if waiting {
            let approve = approvable.then(|| view! {
                <button type="button" class="csp-button" data-approve aria-disabled=move || pending.get().to_string()
                    on:click=move |_| page.answer(RelationshipAnswer::Approve)>
                    {move || i18n.t(words::ADMIN_RELATIONSHIP_APPROVE)}
                </button>
            });
            view! {
                <div class="csp-actions-row">
                    {approve}
                    <AskFirst id="reject-question".to_owned() marker="reject" class="csp-button csp-button--secondary"
                        label=Signal::derive(move || i18n.t(words::ADMIN_RELATIONSHIP_REJECT))
                        question=Signal::derive(move || i18n.tf(words::ADMIN_RELATIONSHIP_REJECT_QUESTION, &[("partner", &partner)]))
                        yes=Signal::derive(move || i18n.t(words::ADMIN_RELATIONSHIP_REJECT_YES))
                        no=Signal::derive(move || i18n.t(words::ADMIN_RELATIONSHIP_CANCEL))
                        on_yes=Callback::new(move |()| page.answer(RelationshipAnswer::Reject)) pending=pending/>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="csp-actions-row">
                    <AskFirst id="end-question".to_owned() marker="end" class="csp-button csp-button--secondary"
                        label=Signal::derive(move || i18n.t(words::ADMIN_RELATIONSHIP_END))
                        question=Signal::derive(move || i18n.tf(words::ADMIN_RELATIONSHIP_END_QUESTION, &[("partner", &partner)]))
                        yes=Signal::derive(move || i18n.t(words::ADMIN_RELATIONSHIP_END_YES))
                        no=Signal::derive(move || i18n.t(words::ADMIN_RELATIONSHIP_CANCEL))
                        on_yes=Callback::new(move |()| page.answer(RelationshipAnswer::End)) pending=pending/>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="csp-section" aria-labelledby="answer-heading" data-answer>
            <h2 class="csp-heading-m" id="answer-heading">{move || i18n.t(title)}</h2>
            <p>{intro}</p>
            // Drawn again only when a code is first asked for: a new one
            // leaves what was typed, and focus, where they are.
            {move || if page.code_asked.get() {
                let moves = moves.clone();
                // Said sent only where the server said it sent it.
                let sent_to = move || page.asking.code_sent_to.get().map(|to| view! {
                    <p>{move || i18n.t(words::FIND_CODE_SENT)}" "<strong class="csp-address">{to}</strong></p>
                });
                view! {
                        {sent_to}
                        <PlainField path="code" label_key=words::FIND_CODE hint_key=words::FIND_CODE_HINT
                            autocomplete="one-time-code" inputmode="numeric" width="csp-input--10"
                            value=page.code errors=page.asking.errors/>
                        <p role="status" class="csp-hint">{move || page.asking.resent.get().then(|| i18n.t(words::FIND_RESENT))}</p>
                        <p><button type="button" class="csp-link-button" data-send-again on:click=again>{move || i18n.t(words::FIND_SEND_AGAIN)}</button></p>
                        {moves}
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="csp-button" data-send-code aria-disabled=move || pending.get().to_string()
                        on:click=ask_code>
                        {move || i18n.t(words::ADMIN_RELATIONSHIP_SEND_CODE)}
                    </button>
                }
                .into_any()
            }}
        </section>
    }
}
