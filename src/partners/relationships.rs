//! A direct partner's admin relationships with its customers (Partner
//! Center's granular delegated admin privileges), on the Customers page:
//! each customer's in the list, in brief, and the list filtered by where
//! they stand; a customer opened on its own page, with its history (since
//! when the partner resells to it, every admin relationship, ended ones
//! with who ended them) and, for those who manage them
//! (`ManageAdminRelationships`), a request for admin roles (started from
//! a saved template, or saved as one), auto-extend turned on or off, and
//! Terminate (asked first). A request's link, like an invitation's, is
//! shown once, right after it is made, and kept in this page's memory
//! only: never in storage, the URL or an event.

use enroll_core::account::Action;
use enroll_core::admin_relationship::{
    limits, AdminRole, NewAdminRelationship, RelationshipStatus,
};
use enroll_core::contract::{AdminRelationship, AdminRelationshipCreated, Customer};
use enroll_core::msg::partners as words;
use enroll_core::{ErrorCode, MessageKey, Problem, ProblemCode};
use leptos::html::{Input, H1, H2, P};
use leptos::prelude::*;

use super::customers::{copy_or_select, focused_when_told, worded, CustomerRows, Told};
use super::fields::{Checkbox, ExplainedChoices, Select};
use crate::account::{AccountState, Request};
use crate::api::ApiFailure;
use crate::i18n::{use_i18n, I18n};
use crate::ui::confirm::AskFirst;
use crate::ui::field::{capitalized, PlainField};

/// What each status is called (on the customer's page too).
pub(super) fn status_words(status: RelationshipStatus) -> MessageKey {
    match status {
        RelationshipStatus::Created => words::RELATIONSHIPS_STATUS_CREATED,
        RelationshipStatus::ApprovalPending => words::RELATIONSHIPS_STATUS_APPROVAL_PENDING,
        RelationshipStatus::Active => words::RELATIONSHIPS_STATUS_ACTIVE,
        RelationshipStatus::Expiring => words::RELATIONSHIPS_STATUS_EXPIRING,
        RelationshipStatus::Expired => words::RELATIONSHIPS_STATUS_EXPIRED,
        RelationshipStatus::Terminated => words::RELATIONSHIPS_STATUS_TERMINATED,
    }
}

/// A relationship's roles named in the page's language, in the list's
/// order (tracked); a code this version does not know, as sent.
fn role_names(codes: &[String], i18n: I18n) -> String {
    let names: Vec<String> = codes
        .iter()
        .map(|code| AdminRole::parse(code).map_or_else(|| code.clone(), |r| i18n.t(r.name_key())))
        .collect();
    i18n.list(&names)
}

/// "730 days" / "730 天" (tracked).
pub(super) fn duration_words(days: u32, i18n: I18n) -> String {
    i18n.plural(words::RELATIONSHIPS_DAYS, days as usize)
}

/// Where a relationship is on its way, dated (tracked): made, when its
/// request expires, when it ends, or when it ended and how.
fn when_words(relationship: &AdminRelationship, i18n: I18n) -> String {
    let r = relationship;
    let on = |key: MessageKey, at: Option<&String>| {
        at.map(|at| i18n.tf(key, &[("date", &i18n.date(at, false))]))
    };
    let said = match r.status {
        RelationshipStatus::Created => on(words::RELATIONSHIPS_REQUESTED_ON, Some(&r.created_at)),
        RelationshipStatus::ApprovalPending => on(
            words::RELATIONSHIPS_REQUEST_EXPIRES,
            r.request_expires_at.as_ref(),
        ),
        RelationshipStatus::Active | RelationshipStatus::Expiring => {
            on(words::RELATIONSHIPS_ENDS_ON, r.ends_at.as_ref())
        }
        // Never approved: the request went unanswered.
        RelationshipStatus::Expired if r.approved_at.is_none() => {
            on(words::RELATIONSHIPS_UNANSWERED, r.ended_at.as_ref())
        }
        RelationshipStatus::Expired => on(
            words::RELATIONSHIPS_ENDED_ON,
            r.ended_at.as_ref().or(r.ends_at.as_ref()),
        ),
        RelationshipStatus::Terminated => {
            let key = match (r.ended_by.as_deref(), &r.approved_at) {
                (Some("customer"), None) => words::RELATIONSHIPS_REJECTED_ON,
                (Some("customer"), Some(_)) => words::RELATIONSHIPS_ENDED_BY_CUSTOMER,
                _ => words::RELATIONSHIPS_ENDED_BY_PARTNER,
            };
            on(key, r.ended_at.as_ref())
        }
    };
    said.unwrap_or_default()
}

/// Whether Global Administrator is among `roles`: such a relationship
/// never extends itself (`admin_relationship::auto_extend_problem`).
fn has_global_admin(roles: &[String]) -> bool {
    roles
        .iter()
        .any(|r| r == AdminRole::GlobalAdministrator.as_str())
}

/// The filters of the customers list, by their admin relationships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Filter {
    /// One ends within 30 days (and does not extend itself).
    Expiring,
    /// One waits for the customer's approval.
    Pending,
    /// None gives the partner its roles now.
    NoneActive,
}

impl Filter {
    pub const ALL: [Self; 3] = [Self::Expiring, Self::Pending, Self::NoneActive];

    pub fn code(self) -> &'static str {
        match self {
            Self::Expiring => "expiring",
            Self::Pending => "pending",
            Self::NoneActive => "none_active",
        }
    }

    /// The filter of `code`; none (all customers) for any other.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn words(self) -> MessageKey {
        match self {
            Self::Expiring => words::RELATIONSHIPS_FILTER_EXPIRING,
            Self::Pending => words::RELATIONSHIPS_FILTER_PENDING,
            Self::NoneActive => words::RELATIONSHIPS_FILTER_NONE_ACTIVE,
        }
    }

    /// Whether the list shows `customer` under this filter.
    pub fn keeps(self, customer: &Customer) -> bool {
        let any = |is: fn(RelationshipStatus) -> bool| {
            customer.admin_relationships.iter().any(|r| is(r.status))
        };
        match self {
            Self::Expiring => any(|s| s == RelationshipStatus::Expiring),
            Self::Pending => any(|s| {
                matches!(
                    s,
                    RelationshipStatus::Created | RelationshipStatus::ApprovalPending
                )
            }),
            Self::NoneActive => !any(RelationshipStatus::grants_roles),
        }
    }
}

/// A customer's admin relationships in the customers list, as a row of
/// its summary: those in force or waiting, each in brief, and how many
/// ended (its own page has them all).
#[component]
pub(super) fn RelationshipsInBrief(relationships: Vec<AdminRelationship>) -> impl IntoView {
    let i18n = use_i18n();
    let ended = relationships.iter().filter(|r| r.status.is_final()).count();
    let open: Vec<AdminRelationship> = relationships
        .into_iter()
        .filter(|r| !r.status.is_final())
        .collect();
    let lines = if open.is_empty() {
        view! { <p>{move || i18n.t(words::RELATIONSHIPS_NONE_OPEN)}</p> }.into_any()
    } else {
        view! {
            <ul class="csp-list">
                {open.into_iter().map(|r| {
                    let (id, status) = (r.id.clone(), r.status.as_str());
                    view! {
                        <li data-relationship=id data-status=status>
                            <RelationshipLines relationship=r/>
                        </li>
                    }
                }).collect::<Vec<_>>()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="csp-summary__row" data-relationships>
            <dt class="csp-summary__key">{move || capitalized(i18n.t(words::RELATIONSHIPS_TITLE))}</dt>
            <dd class="csp-summary__value">
                {lines}
                {(ended > 0).then(|| view! {
                    <p class="csp-hint">{move || i18n.plural(words::RELATIONSHIPS_ENDED_COUNT, ended)}</p>
                })}
            </dd>
        </div>
    }
}

/// A relationship in a few lines: its name and status, its roles, and
/// where it is on its way (with auto-extend, until it is over).
#[component]
fn RelationshipLines(relationship: AdminRelationship) -> impl IntoView {
    let i18n = use_i18n();
    let status = relationship.status;
    let name = relationship.name.clone();
    let roles = relationship.roles.clone();
    let auto_extend = relationship.auto_extend;
    let when = move || {
        let mut said = vec![when_words(&relationship, i18n)];
        if !status.is_final() {
            said.push(i18n.t(if auto_extend {
                words::RELATIONSHIPS_AUTO_EXTEND_ON
            } else {
                words::RELATIONSHIPS_AUTO_EXTEND_OFF
            }));
        }
        said.join(" · ")
    };
    view! {
        <p><strong>{name}</strong>" "<span class="csp-tag">{move || i18n.t(status_words(status))}</span></p>
        <p data-roles>{move || role_names(&roles, i18n)}</p>
        <p class="csp-hint" data-when>{when}</p>
    }
}

/// What the partner changes in a relationship it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    AutoExtend(bool),
    Terminate,
}

/// A relationship changed, or why not: the customer's admin or the clock
/// ended it meanwhile, or auto-extend is refused with Global
/// Administrator (the catalog's words for the 409 are the application's,
/// and the 422's field is no field of this page).
fn change_worded(
    answer: Result<AdminRelationship, ApiFailure>,
) -> Result<Result<AdminRelationship, MessageKey>, ApiFailure> {
    match answer {
        Err(ApiFailure::Invalid(_)) => Ok(Err(words::RELATIONSHIPS_NO_AUTO_EXTEND)),
        answer => worded(
            answer,
            &[(ErrorCode::NotEditable, words::RELATIONSHIPS_NOT_OPEN)],
        ),
    }
}

/// A customer on its own page: who it is and since when the partner
/// resells to it, every admin relationship it has had (with what may be
/// done to those still open), and a request for admin roles. `changed`
/// counts the changes, for the customers list as for this page.
#[component]
pub(super) fn CustomerView(
    customer: Customer,
    heading: NodeRef<H1>,
    open: RwSignal<Option<String>>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let id = customer.id.clone();
    let company = customer.company.company_name.clone();
    let relationships = {
        let id = id.clone();
        state.loaded(
            move || changed.track(),
            move |api, token, locale| {
                let id = id.clone();
                async move { api.admin_relationships(&token, &id, locale).await }
            },
        )
    };
    let told = RwSignal::new(None::<Told>);
    let change = state.request(
        |api, token, locale, (customer, id, change): (String, String, Change)| async move {
            let ids = (customer.as_str(), id.as_str());
            let answer = match change {
                Change::AutoExtend(on) => api.set_auto_extend(&token, ids, on, locale).await,
                Change::Terminate => api.terminate_admin_relationship(&token, ids, locale).await,
            };
            change_worded(answer)
        },
        move |_, answer: Result<AdminRelationship, MessageKey>| {
            // Refused too: the list shows where it stands now.
            changed.update(|n| *n += 1);
            told.set(Some(match answer {
                Ok(r) => {
                    let key = match (r.status, r.auto_extend) {
                        (RelationshipStatus::Terminated, _) => words::RELATIONSHIPS_TERMINATED,
                        (_, true) => words::RELATIONSHIPS_TURNED_ON,
                        (_, false) => words::RELATIONSHIPS_TURNED_OFF,
                    };
                    Told::Done(i18n.tf(key, &[("name", &r.name)]))
                }
                Err(key) => Told::Refused(key),
            }));
        },
    );
    // What a change did is focused.
    let notice = focused_when_told(told);
    let may_manage = move || state.may(Action::ManageAdminRelationships);
    // Problems and notices belong to the view they were told on.
    let back = move |_| {
        state.errors.set(Vec::new());
        state.notice.set(None);
        open.set(None);
    };
    let list = {
        let company = company.clone();
        move || {
            relationships.get().flatten().map(|items| {
                if items.is_empty() {
                    return view! { <p data-history>{move || i18n.t(words::RELATIONSHIPS_NONE)}</p> }
                        .into_any();
                }
                let may = may_manage();
                view! {
                    <ul class="csp-users" data-history>
                        {items.into_iter().map(|r| view! {
                            <Relationship relationship=r company=company.clone() change=change may_manage=may/>
                        }).collect::<Vec<_>>()}
                    </ul>
                }
                .into_any()
            })
        }
    };
    let request = may_manage().then(|| {
        view! { <RequestForm customer=customer.clone() changed=changed/> }
    });
    view! {
        <p>
            <button type="button" class="csp-back-link" data-customers-back on:click=back>
                {move || i18n.t(words::RELATIONSHIPS_BACK)}
            </button>
        </p>
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading data-customer-page=id>{company}</h1>
        <dl class="csp-summary">
            <CustomerRows customer=customer/>
        </dl>
        <section class="csp-section" aria-labelledby="history-heading">
            <h2 class="csp-heading-m" id="history-heading">{move || i18n.t(words::RELATIONSHIPS_TITLE)}</h2>
            {move || told.get().map(|told| match told {
                Told::Done(text) => view! { <p class="csp-notice" role="status" tabindex="-1" node_ref=notice>{text}</p> }.into_any(),
                Told::Refused(key) => view! {
                    <p class="csp-notice csp-notice--problem" role="alert" tabindex="-1" node_ref=notice>{move || i18n.t(key)}</p>
                }.into_any(),
            })}
            {list}
        </section>
        {request}
    }
}

/// One of the customer's admin relationships: all it says, and, while it
/// is open and the user may, auto-extend turned on or off and Terminate.
#[component]
fn Relationship(
    relationship: AdminRelationship,
    company: String,
    change: Request<(String, String, Change), ()>,
    may_manage: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = relationship.clone();
    let (id, status, auto_extend) = (r.id.clone(), r.status, r.auto_extend);
    let requested = {
        let (created, days) = (r.created_at.clone(), r.duration_days);
        move || {
            let on = i18n.tf(
                words::RELATIONSHIPS_REQUESTED_ON,
                &[("date", &i18n.date(&created, false))],
            );
            format!("{on} · {}", duration_words(days, i18n))
        }
    };
    let ids = (r.customer_id.clone(), r.id.clone());
    let send = move |what: Change| {
        let (customer, id) = ids.clone();
        change.send((customer, id, what));
    };
    let actions = (may_manage && !status.is_final()).then(|| {
        let name = r.name.clone();
        // Changed once approved (until then the customer answers what the
        // request said); never on with Global Administrator: said, not
        // offered.
        let toggle = if !status.grants_roles() {
            ().into_any()
        } else if has_global_admin(&r.roles) && !auto_extend {
            view! { <li class="csp-hint">{move || i18n.t(words::RELATIONSHIPS_NO_AUTO_EXTEND)}</li> }
                .into_any()
        } else {
            let send = send.clone();
            let key = if auto_extend {
                words::RELATIONSHIPS_TURN_OFF
            } else {
                words::RELATIONSHIPS_TURN_ON
            };
            view! {
                <li><button type="button" class="csp-link-button" data-auto-extend=(!auto_extend).to_string()
                    on:click=move |_| send(Change::AutoExtend(!auto_extend))>
                    {move || i18n.t(key)}<span class="csp-visually-hidden">{format!(" {name}")}</span>
                </button></li>
            }
            .into_any()
        };
        let question = {
            let (name, company) = (r.name.clone(), company.clone());
            Signal::derive(move || {
                i18n.tf(
                    words::RELATIONSHIPS_TERMINATE_QUESTION,
                    &[("name", &name), ("company", &company)],
                )
            })
        };
        view! {
            <ul class="csp-list csp-actions">
                {toggle}
                <li>
                    <AskFirst id=format!("terminate-{}", r.id) marker="terminate" about=r.name.clone()
                        label=Signal::derive(move || i18n.t(words::RELATIONSHIPS_TERMINATE))
                        question=question
                        yes=Signal::derive(move || i18n.t(words::RELATIONSHIPS_TERMINATE_YES))
                        no=Signal::derive(move || i18n.t(words::CUSTOMERS_CANCEL))
                        on_yes=Callback::new(move |()| send(Change::Terminate)) pending=change.pending()/>
                </li>
            </ul>
        }
    });
    view! {
        <li class="csp-user" data-relationship=id data-status=status.as_str()>
            <RelationshipLines relationship=relationship/>
            <p class="csp-hint">{requested}</p>
            {actions}
        </li>
    }
}

/// The request form's answers (the duration as typed).
#[derive(Clone, Copy)]
struct RequestFields {
    name: RwSignal<String>,
    duration: RwSignal<String>,
    roles: RwSignal<Vec<String>>,
    auto_extend: RwSignal<bool>,
}

impl RequestFields {
    fn new() -> Self {
        Self {
            name: RwSignal::new(String::new()),
            duration: RwSignal::new(limits::DEFAULT_DURATION_DAYS.to_string()),
            roles: RwSignal::new(Vec::new()),
            auto_extend: RwSignal::new(false),
        }
    }

    /// The request as typed, or the problem of a duration that is no
    /// whole number of days (said at once: the contract's is a number).
    fn request(&self) -> Result<NewAdminRelationship, Problem> {
        let duration_days = self
            .duration
            .get_untracked()
            .trim()
            .parse()
            .map_err(|_| Problem::at("duration_days", ProblemCode::InvalidFormat))?;
        Ok(NewAdminRelationship {
            name: self.name.get_untracked(),
            duration_days,
            roles: self.roles.get_untracked(),
            auto_extend: self.auto_extend.get_untracked(),
        })
    }

    /// A template's roles, duration and auto-extend; the name stays (a
    /// relationship's is its own, unique among the partner's).
    fn fill(&self, template: &NewAdminRelationship) {
        self.duration.set(template.duration_days.to_string());
        self.roles.set(template.roles.clone());
        self.auto_extend.set(template.auto_extend);
    }

    /// Ready for the next request.
    fn clear(&self) {
        self.name.set(String::new());
        self.duration.set(limits::DEFAULT_DURATION_DAYS.to_string());
        self.roles.set(Vec::new());
        self.auto_extend.set(false);
    }
}

/// What the template buttons did, said under the form.
#[derive(Clone)]
enum TemplateTold {
    Saved(String),
    Deleted(String),
}

/// A request for admin roles in `customer`'s tenant: a name, a duration,
/// the roles (each with what it allows), auto-extend; started from a
/// saved template, or saved as one. Once sent, its link.
#[component]
fn RequestForm(customer: Customer, changed: RwSignal<usize>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let fields = RequestFields::new();
    let made = RwSignal::new(None::<AdminRelationshipCreated>);
    // Problems the form finds itself are shown as the server's are.
    let refuse = move |problem: Problem| {
        state.notice.set(None);
        state.errors.set(vec![problem]);
    };
    let customer_id = customer.id.clone();
    // The template chosen, by its id; empty for none.
    let template = RwSignal::new(String::new());
    let create = state.request(
        |api, token, locale, (customer, request): (String, NewAdminRelationship)| async move {
            api.request_admin_relationship(&token, &customer, &request, locale)
                .await
        },
        move |_, created: AdminRelationshipCreated| {
            fields.clear();
            template.set(String::new());
            changed.update(|n| *n += 1);
            made.set(Some(created));
        },
    );
    let template_told = RwSignal::new(None::<TemplateTold>);
    let save = state.request(
        |api, token, locale, template: NewAdminRelationship| async move {
            let name = template.name.trim().to_owned();
            api.save_relationship_template(&token, &template, locale)
                .await
                .map(|_| name)
        },
        move |_, name: String| template_told.set(Some(TemplateTold::Saved(name))),
    );
    // What the template buttons did; focused once a template is deleted,
    // as the button pressed goes with it.
    let told_line = NodeRef::<P>::new();
    let delete = state.request(
        |api, token, locale, (id, name): (String, String)| async move {
            api.delete_relationship_template(&token, &id, locale)
                .await
                .map(|_| name)
        },
        move |_, name: String| {
            template.set(String::new());
            template_told.set(Some(TemplateTold::Deleted(name)));
            request_animation_frame(move || {
                if let Some(p) = told_line.get_untracked() {
                    let _ = p.focus();
                }
            });
        },
    );
    let templates = state.loaded(
        move || {
            save.version();
            delete.version();
        },
        |api, token, locale| async move { api.relationship_templates(&token, locale).await },
    );
    let chosen_template = move || {
        let id = template.get();
        templates.get().flatten()?.into_iter().find(|t| t.id == id)
    };
    // A template chosen fills the form: when it is chosen only, not as
    // the templates are read again (what was typed since stays).
    Effect::new(move |_| {
        let id = template.get();
        let chosen = templates
            .get_untracked()
            .flatten()
            .and_then(|items| items.into_iter().find(|t| t.id == id));
        if let Some(chosen) = chosen {
            fields.fill(&chosen.template);
        }
    });
    let submit = {
        let customer_id = customer_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            template_told.set(None);
            match fields.request() {
                Ok(request) => create.send((customer_id.clone(), request)),
                Err(problem) => refuse(problem),
            }
        }
    };
    let save_template = move |_| {
        template_told.set(None);
        match fields.request() {
            Ok(request) => save.send(request),
            Err(problem) => refuse(problem),
        }
    };
    let template_choice = move || {
        let items = templates.get().flatten().unwrap_or_default();
        (!items.is_empty()).then(|| {
            let options: Vec<(String, String)> = items
                .into_iter()
                .map(|t| (t.id, t.template.name))
                .collect();
            let hint = Signal::derive(move || i18n.t(words::RELATIONSHIPS_TEMPLATE_HINT));
            view! {
                <Select path="template" label=words::RELATIONSHIPS_TEMPLATE options=options value=template
                    errors=state.errors any=words::RELATIONSHIPS_TEMPLATE_NONE hint=Some(hint)/>
            }
        })
    };
    let template_delete = move || {
        chosen_template().map(|chosen| {
            let (id, name) = (chosen.id.clone(), chosen.template.name.clone());
            let question = {
                let name = name.clone();
                Signal::derive(move || {
                    i18n.tf(words::RELATIONSHIPS_DELETE_TEMPLATE_QUESTION, &[("name", &name)])
                })
            };
            view! {
                <p>
                    <AskFirst id="delete-template-question".to_owned() marker="delete-template" about=name.clone()
                        label=Signal::derive(move || i18n.t(words::RELATIONSHIPS_DELETE_TEMPLATE))
                        question=question
                        yes=Signal::derive(move || i18n.t(words::RELATIONSHIPS_DELETE_TEMPLATE_YES))
                        no=Signal::derive(move || i18n.t(words::CUSTOMERS_CANCEL))
                        on_yes=Callback::new(move |()| delete.send((id.clone(), name.clone()))) pending=delete.pending()/>
                </p>
            }
        })
    };
    let roles: Vec<(&'static str, MessageKey, MessageKey)> = AdminRole::ALL
        .into_iter()
        .map(|role| (role.as_str(), role.name_key(), role.description_key()))
        .collect();
    let (company, tenant) = (
        customer.company.company_name.clone(),
        customer.company.tenant_domain.clone(),
    );
    let intro = {
        let company = company.clone();
        move || {
            i18n.tf(
                words::RELATIONSHIPS_REQUEST_INTRO,
                &[("company", &company), ("tenant", &tenant)],
            )
        }
    };
    let admin_email = customer.admin_email.clone();
    view! {
        <section class="csp-section" aria-labelledby="request-heading">
            <h2 class="csp-heading-m" id="request-heading">{move || i18n.t(words::RELATIONSHIPS_REQUEST_TITLE)}</h2>
            <p>{intro}</p>
            <form novalidate data-request on:submit=submit>
                {template_choice}
                {template_delete}
                <PlainField path="name" label_key=words::RELATIONSHIPS_NAME hint_key=words::RELATIONSHIPS_NAME_HINT
                    value=fields.name errors=state.errors/>
                <PlainField path="duration_days" label_key=words::RELATIONSHIPS_DURATION hint_key=words::RELATIONSHIPS_DURATION_HINT
                    input_type="number" inputmode="numeric" width="csp-input--10" value=fields.duration errors=state.errors/>
                <ExplainedChoices path="roles" label=words::RELATIONSHIPS_ROLES hint=words::RELATIONSHIPS_ROLES_HINT
                    options=roles chosen=fields.roles errors=state.errors/>
                <Checkbox path="auto_extend" label=words::RELATIONSHIPS_AUTO_EXTEND hint=words::RELATIONSHIPS_AUTO_EXTEND_HINT
                    value=fields.auto_extend errors=state.errors/>
                <div class="csp-actions-row">
                    <button type="submit" class="csp-button" aria-disabled=move || create.pending().get().to_string()>
                        {move || i18n.t(words::RELATIONSHIPS_SEND)}
                    </button>
                    <button type="button" class="csp-button csp-button--secondary" data-save-template
                        aria-disabled=move || save.pending().get().to_string() on:click=save_template>
                        {move || i18n.t(words::RELATIONSHIPS_SAVE_TEMPLATE)}
                    </button>
                </div>
                <p role="status" class="csp-hint" tabindex="-1" node_ref=told_line data-template-told>
                    {move || template_told.get().map(|told| match told {
                        TemplateTold::Saved(name) => i18n.tf(words::RELATIONSHIPS_TEMPLATE_SAVED, &[("name", &name)]),
                        TemplateTold::Deleted(name) => i18n.tf(words::RELATIONSHIPS_TEMPLATE_DELETED, &[("name", &name)]),
                    })}
                </p>
            </form>
        </section>
        {move || made.get().map(|created| view! {
            <MadeRequest created=created company=company.clone() admin_email=admin_email.clone()/>
        })}
    }
}

/// The request just sent: its link, emailed to the customer's admin and
/// shown here once, to copy.
#[component]
fn MadeRequest(
    created: AdminRelationshipCreated,
    company: String,
    admin_email: String,
) -> impl IntoView {
    let i18n = use_i18n();
    // Focused as it appears: what to do next starts here.
    let heading = NodeRef::<H2>::new();
    request_animation_frame(move || {
        if let Some(h2) = heading.get_untracked() {
            let _ = h2.focus();
        }
    });
    let link_field = NodeRef::<Input>::new();
    let copied = RwSignal::new(None::<bool>);
    let link = created.link.clone();
    let copy_link = move |_| {
        let select = move || {
            if let Some(input) = link_field.get_untracked() {
                let _ = input.focus();
                input.select();
            }
        };
        copy_or_select(link.clone(), select, copied);
    };
    let name = created.relationship.name.clone();
    view! {
        <section class="csp-inset csp-section" data-made-request aria-labelledby="made-request-heading">
            <h2 class="csp-heading-m" id="made-request-heading" tabindex="-1" node_ref=heading>
                {move || i18n.tf(words::RELATIONSHIPS_MADE_TITLE, &[("name", &name), ("company", &company)])}
            </h2>
            <p>{move || i18n.tf(words::RELATIONSHIPS_MADE_INTRO, &[("email", &admin_email)])}</p>
            <div class="csp-field">
                <label class="csp-label" for="f-relationship-link">{move || i18n.t(words::RELATIONSHIPS_LINK)}</label>
                <input class="csp-input" id="f-relationship-link" readonly spellcheck="false" node_ref=link_field value=created.link.clone()/>
            </div>
            <div class="csp-actions-row">
                <button type="button" class="csp-button csp-button--secondary" data-copy-link on:click=copy_link>
                    {move || i18n.t(words::CUSTOMERS_COPY_LINK)}
                </button>
            </div>
            <p role="status" class="csp-hint" data-copied>
                {move || copied.get().map(|done| i18n.t(if done { words::CUSTOMERS_COPIED } else { words::CUSTOMERS_COPY_REFUSED }))}
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use enroll_core::contract::{CustomerSummary, ResellerRelationship};

    fn customer(statuses: &[RelationshipStatus]) -> Customer {
        let relationship = |status: RelationshipStatus| AdminRelationship {
            id: "r".into(),
            customer_id: "c".into(),
            name: "Helpdesk".into(),
            duration_days: 730,
            roles: vec!["global_reader".into()],
            auto_extend: false,
            status,
            created_at: "2026-12-01T08:00:00Z".into(),
            request_expires_at: None,
            approved_at: None,
            ends_at: None,
            ended_at: None,
            ended_by: None,
        };
        Customer {
            id: "c".into(),
            company: CustomerSummary {
                company_name: "Adatum".into(),
                country: "DE".into(),
                tenant_domain: "adatum.onmicrosoft.com".into(),
            },
            admin_email: "li.wei@adatum.com".into(),
            locale: "en-US".into(),
            reseller_relationship: ResellerRelationship {
                status: "active".into(),
                since: "2026-11-01T08:00:00Z".into(),
            },
            invitation_id: "i".into(),
            admin_relationships: statuses.iter().map(|s| relationship(*s)).collect(),
        }
    }

    #[test]
    fn the_filters_keep_customers_by_where_their_relationships_stand() {
        use RelationshipStatus::*;
        let kept = |statuses: &[RelationshipStatus]| {
            let customer = customer(statuses);
            Filter::ALL
                .into_iter()
                .filter(|f| f.keeps(&customer))
                .collect::<Vec<_>>()
        };
        assert_eq!(kept(&[]), [Filter::NoneActive]);
        assert_eq!(kept(&[Active, Expired]), []);
        assert_eq!(kept(&[Expiring]), [Filter::Expiring]);
        assert_eq!(
            kept(&[ApprovalPending, Terminated]),
            [Filter::Pending, Filter::NoneActive]
        );
        assert_eq!(kept(&[Created, Active]), [Filter::Pending]);
        for filter in Filter::ALL {
            assert_eq!(Filter::parse(filter.code()), Some(filter));
        }
        assert_eq!(Filter::parse(""), None, "all customers");
    }

    #[test]
    fn auto_extend_is_not_offered_with_global_administrator() {
        assert!(has_global_admin(&["global_administrator".into()]));
        assert!(!has_global_admin(&["global_reader".into()]));
    }
}
