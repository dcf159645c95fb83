//! The account's pages after signing in: its users, the organization
//! profile and the provider requests, each shown only where the user's
//! roles allow (`AccountState::may`, from `GET /account`), each action too.

use enroll_core::account::{may_assign, may_change_roles, Action, NewUserRequest, Role, UserView};
use enroll_core::domains::{AccountDomains, DomainCode, DomainCodeSent, DomainProofRequest};
use enroll_core::organization::OrganizationProfile;
use enroll_core::{ErrorCode, ProviderRequest};
use leptos::html::H1;
use leptos::prelude::*;

use super::{AccountState, Section};
use crate::api::Profile;
use crate::i18n::{country_name, use_i18n};
use crate::ui::field::{capitalized, message_at, PlainField};

/// The way back to the account's first page, from its inner pages.
#[component]
pub fn ToAccount() -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    view! {
        <button type="button" class="csp-back-link" data-to-account on:click=move |_| state.open(Section::Home)>
            {move || i18n.t("account.nav.home")}
        </button>
    }
}

/// Links to the pages the user's roles allow.
#[component]
pub fn AccountNav() -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let link = move |action: Action, section: Section, key: &'static str, marker: &'static str| {
        state.may(action).then(|| {
            view! {
                <li>
                    <button type="button" class="csp-link-button" data-nav=marker on:click=move |_| state.open(section)>
                        {move || i18n.t(key)}
                    </button>
                </li>
            }
        })
    };
    view! {
        <nav aria-label=move || i18n.t("account.nav.label")>
            <ul class="csp-list csp-actions">
                {move || link(Action::ListUsers, Section::Users, "account.nav.users", "users")}
                {move || link(Action::ListUsers, Section::Domains, "account.nav.domains", "domains")}
                {move || link(Action::ViewOrganizationProfile, Section::Profile, "account.nav.profile", "profile")}
                {move || link(Action::ViewProviderRequests, Section::ProviderRequests, "account.nav.providers", "providers")}
            </ul>
        </nav>
    }
}

/// Role names in the current language, as a list.
fn role_names(roles: &[Role]) -> String {
    let i18n = use_i18n();
    let names: Vec<String> = roles
        .iter()
        .map(|role| i18n.t(&format!("role.{}", role.as_str())))
        .collect();
    i18n.list(&names)
}

/// The signed-in user's roles and id.
fn actor() -> (Vec<Role>, String) {
    let state = expect_context::<AccountState>();
    state.session.with_untracked(|s| {
        s.as_ref()
            .map(|s| (s.user.roles.clone(), s.user.id.clone()))
            .unwrap_or_default()
    })
}

/// A checkbox per role the signed-in user may give, in `chosen`, under
/// `legend`; `error` beside them.
#[component]
fn RoleChoice(
    /// Ids are made unique by it; `roles` is the add form's, where the
    /// error summary's `roles` link leads.
    prefix: String,
    #[prop(into)] legend: Signal<String>,
    chosen: RwSignal<Vec<Role>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (actor, _) = actor();
    let boxes = Role::ALL
        .into_iter()
        .filter(|role| may_assign(&actor, *role))
        .map(|role| {
            let id = format!("{prefix}-{}", role.as_str());
            view! {
                <div class="csp-checkbox">
                    <input class="csp-checkbox__input" type="checkbox" id=id.clone() value=role.as_str()
                        prop:checked=move || chosen.with(|c| c.contains(&role))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            chosen.update(|c| {
                                c.retain(|r| *r != role);
                                if on { c.push(role) }
                            });
                        }/>
                    <label class="csp-checkbox__label" for=id>{move || i18n.t(&format!("role.{}", role.as_str()))}</label>
                </div>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <fieldset class="csp-fieldset" id=format!("f-{prefix}") tabindex="-1">
            <legend class="csp-label">{legend}</legend>
            {move || error.get().map(|m| view! { <p class="csp-error-message">{m}</p> })}
            {boxes}
        </fieldset>
    }
}

#[component]
pub fn Users(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let users = RwSignal::new(None::<Vec<UserView>>);
    let load = move || {
        state.run(
            |api, token, locale| async move { api.users(&token.unwrap_or_default(), locale).await },
            move |_, list| users.set(Some(list)),
        )
    };
    load();
    // Adding a user.
    let email = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let added = RwSignal::new(None::<String>);
    let add = move || {
        let user = NewUserRequest {
            email: email.get_untracked(),
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            roles: roles
                .get_untracked()
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
        };
        state.run(
            move |api, token, locale| async move {
                api.add_user(&token.unwrap_or_default(), &user, locale)
                    .await
            },
            move |_, user| {
                added.set(Some(
                    i18n.tf("account.users.added", &[("email", &user.email)]),
                ));
                for field in [email, first_name, last_name] {
                    field.set(String::new());
                }
                roles.set(Vec::new());
                load();
            },
        )
    };
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t("account.users.title")}</h1>
        {move || added.get().map(|told| view! { <p class="csp-notice" role="status">{told}</p> })}
        <ul class="csp-list csp-users" data-users>
            {move || users.get().unwrap_or_default().into_iter().map(|user| view! {
                <UserRow user=user on_change=Callback::new(move |told: Option<String>| {
                    added.set(told);
                    load();
                    // The row acted from is redrawn: reading starts again
                    // at the page's heading.
                    if let Some(h1) = heading.get_untracked() {
                        let _ = h1.focus();
                    }
                })/>
            }).collect::<Vec<_>>()}
        </ul>
        {move || state.may(Action::AddUser).then(|| view! {
            <form novalidate class="csp-add-user" on:submit=move |ev| { ev.prevent_default(); add(); }>
                <h2 class="csp-heading-m">{move || i18n.t("account.users.add")}</h2>
                <p>{move || i18n.t("account.users.add_intro")}</p>
                <PlainField path="email" label_key="account.users.email" input_type="email" autocomplete="off" value=email errors=state.errors/>
                <PlainField path="first_name" label_key="account.users.first_name" width="csp-input--20" value=first_name errors=state.errors/>
                <PlainField path="last_name" label_key="account.users.last_name" width="csp-input--20" value=last_name errors=state.errors/>
                <RoleChoice prefix="roles".into() legend=Signal::derive(move || i18n.t("account.users.roles")) chosen=roles
                    error=Signal::derive(move || message_at(&state.errors, "roles"))/>
                <button type="submit" class="csp-button">{move || i18n.t("account.users.add_submit")}</button>
            </form>
        })}
    }
}

/// The account's domains (users are added in these only) and, for a
/// global admin, proving another: a domain and an address in it, then the
/// code emailed there.
#[component]
pub fn DomainsPage(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let domains = RwSignal::new(Vec::<String>::new());
    let show = move |list: AccountDomains| {
        domains.set(list.items.into_iter().map(|d| d.domain).collect());
    };
    state.run(
        |api, token, locale| async move { api.domains(&token.unwrap_or_default(), locale).await },
        move |_, list| show(list),
    );
    let domain = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // The domain a code was sent for; the notice said where.
    let sent = RwSignal::new(None::<DomainCodeSent>);
    let told = RwSignal::new(None::<String>);
    let send = move || {
        let request = DomainProofRequest {
            domain: domain.get_untracked(),
            email: email.get_untracked(),
        };
        state.run(
            move |api, token, locale| async move {
                api.prove_domain(&token.unwrap_or_default(), &request, locale)
                    .await
            },
            move |_, answer: DomainCodeSent| {
                let minutes = (answer.expires_in_secs / 60).to_string();
                told.set(Some(i18n.tf(
                    "account.domains.sent",
                    &[("email", &answer.to), ("minutes", &minutes)],
                )));
                code.set(String::new());
                sent.set(Some(answer));
            },
        )
    };
    let verify = move || {
        let Some(for_domain) = sent.get_untracked().map(|s| s.domain) else {
            return;
        };
        let typed = DomainCode {
            code: code.get_untracked(),
        };
        state.run(
            move |api, token, locale| async move {
                api.verify_domain(&token.unwrap_or_default(), &for_domain, &typed, locale)
                    .await
            },
            move |_, list| {
                let proven = sent.get_untracked().map(|s| s.domain).unwrap_or_default();
                told.set(Some(
                    i18n.tf("account.domains.proven", &[("domain", &proven)]),
                ));
                show(list);
                sent.set(None);
                domain.set(String::new());
                email.set(String::new());
            },
        )
    };
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t("account.domains.title")}</h1>
        <section data-domains>
            <p>{move || i18n.t("account.domains.intro")}</p>
            <ul class="csp-list">
                {move || domains.get().into_iter().map(|d| view! { <li>{d}</li> }).collect::<Vec<_>>()}
            </ul>
            {move || told.get().map(|t| view! { <p class="csp-notice" role="status">{t}</p> })}
            {move || state.may(Action::ProveDomain).then(|| match sent.get() {
                None => view! {
                    <form novalidate class="csp-prove-domain" on:submit=move |ev| { ev.prevent_default(); send(); }>
                        <h2 class="csp-heading-m">{move || i18n.t("account.domains.add")}</h2>
                        <p>{move || i18n.t("account.domains.add_intro")}</p>
                        <PlainField path="domain" label_key="account.domains.domain" hint_key="account.domains.domain_hint" width="csp-input--20" autocomplete="off" value=domain errors=state.errors/>
                        <PlainField path="email" label_key="account.domains.email" input_type="email" autocomplete="off" value=email errors=state.errors/>
                        <button type="submit" class="csp-button csp-button--secondary">{move || i18n.t("account.domains.send")}</button>
                    </form>
                }.into_any(),
                Some(_) => view! {
                    <form novalidate class="csp-prove-domain" on:submit=move |ev| { ev.prevent_default(); verify(); }>
                        <PlainField path="code" label_key="account.domains.code" width="csp-input--10" autocomplete="one-time-code" inputmode="numeric" value=code errors=state.errors/>
                        <button type="submit" class="csp-button">{move || i18n.t("account.domains.verify")}</button>
                        <p>
                            <button type="button" class="csp-link-button" data-another-address on:click=move |_| {
                                sent.set(None);
                                told.set(None);
                            }>{move || i18n.t("account.domains.another")}</button>
                        </p>
                    </form>
                }.into_any(),
            })}
        </section>
    }
}

/// One user: who, their roles, and what the signed-in user may do to
/// them (nothing to themselves, and to a global admin only as one).
/// `on_change` is told what to say when something was done.
#[component]
fn UserRow(user: UserView, on_change: Callback<Option<String>>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let chosen = RwSignal::new(user.roles.clone());
    let no_role = RwSignal::new(false);
    let name = format!("{} {}", user.first_name, user.last_name);
    let (actor, me) = actor();
    let may_act = user.id != me && may_change_roles(&actor, &user.roles, &[]);
    let id = user.id.clone();
    let roles = user.roles.clone();
    let act = move |request: UserRequest, told: Option<String>| {
        let id = id.clone();
        state.run(
            move |api, token, locale| async move {
                let token = token.unwrap_or_default();
                match request {
                    UserRequest::Roles(names) => api
                        .change_roles(&token, &id, &names, locale)
                        .await
                        .map(drop),
                    UserRequest::Remove => api.remove_user(&token, &id, locale).await,
                    UserRequest::Resend => {
                        api.resend_invitation(&token, &id, locale).await.map(drop)
                    }
                }
            },
            move |_, ()| on_change.run(told),
        )
    };
    let save_roles = {
        let act = act.clone();
        move || {
            let names: Vec<String> = chosen
                .get_untracked()
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect();
            // At least one: said here, beside the boxes.
            no_role.set(names.is_empty());
            if !names.is_empty() {
                act(UserRequest::Roles(names), None);
            }
        }
    };
    let yes = NodeRef::<leptos::html::Button>::new();
    // The question asked, the answer is where focus goes.
    Effect::new(move |_| {
        if confirming.get() {
            request_animation_frame(move || {
                if let Some(button) = yes.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
    });
    let invited = user.invited;
    let undelivered = user.invitation_undelivered;
    let email = user.email.clone();
    let confirm_id = format!("confirm-{}", user.id);
    view! {
        <li class="csp-user" data-user=user.email.clone()>
            <p><strong>{name.clone()}</strong>" "{user.email.clone()}
                {invited.then(|| view! { " "<span class="csp-tag">{move || i18n.t("account.users.invited")}</span> })}</p>
            {undelivered.then(|| view! {
                <p class="csp-error-message" data-undelivered>{move || i18n.t("account.users.undelivered")}</p>
            })}
            <p class="csp-hint" data-user-roles>{move || role_names(&roles)}</p>
            {
                let save_roles = save_roles.clone();
                let legend = i18n.tf("account.users.roles_of", &[("name", &name)]);
                let prefix = format!("roles-{}", user.id);
                move || editing.get().then(|| {
                    let save_roles = save_roles.clone();
                    let legend = legend.clone();
                    view! {
                        <form novalidate on:submit=move |ev| { ev.prevent_default(); save_roles(); }>
                            <RoleChoice prefix=prefix.clone() legend=legend chosen=chosen
                                error=Signal::derive(move || no_role.get().then(|| i18n.t("problem.roles.required")))/>
                            <button type="submit" class="csp-button">{move || i18n.t("account.users.save_roles")}</button>
                        </form>
                    }
                })
            }
            {may_act.then(|| {
                let act = act.clone();
                let name = name.clone();
                view! {
                    <ul class="csp-list csp-actions">
                        {state.may(Action::ChangeUserRoles).then(|| view! {
                            <li><button type="button" class="csp-link-button" data-change-roles on:click=move |_| editing.update(|e| *e = !*e)>
                                {move || i18n.t("account.users.change_roles")}<span class="csp-visually-hidden">{format!(" {name}")}</span>
                            </button></li>
                        })}
                        {(invited && state.may(Action::ResendInvitation)).then(|| {
                            let act = act.clone();
                            let (name, email) = (name.clone(), email.clone());
                            view! {
                                <li><button type="button" class="csp-link-button" data-resend on:click=move |_| {
                                    act(UserRequest::Resend, Some(i18n.tf("account.users.resent", &[("email", &email)])))
                                }>
                                    {move || i18n.t("account.users.resend")}<span class="csp-visually-hidden">{format!(" {name}")}</span>
                                </button></li>
                            }
                        })}
                        {state.may(Action::RemoveUser).then(|| {
                            let act = act.clone();
                            let name = name.clone();
                            let confirm_id = confirm_id.clone();
                            view! {
                                <li>
                                    {move || if confirming.get() {
                                        let act = act.clone();
                                        view! {
                                            <span class="csp-confirm" role="group" aria-labelledby=confirm_id.clone()>
                                                <span id=confirm_id.clone()>{i18n.tf("account.users.remove_confirm", &[("name", &name)])}</span>" "
                                                <button type="button" class="csp-button csp-button--warning" node_ref=yes data-remove-yes on:click=move |_| act(UserRequest::Remove, None)>
                                                    {move || i18n.t("account.users.remove_yes")}
                                                </button>" "
                                                <button type="button" class="csp-link-button" on:click=move |_| confirming.set(false)>
                                                    {move || i18n.t("account.users.remove_no")}
                                                </button>
                                            </span>
                                        }.into_any()
                                    } else {
                                        let name = name.clone();
                                        view! {
                                            <button type="button" class="csp-link-button" data-remove on:click=move |_| confirming.set(true)>
                                                {move || i18n.t("account.users.remove")}<span class="csp-visually-hidden">{format!(" {name}")}</span>
                                            </button>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        })}
                    </ul>
                }
            })}
        </li>
    }
}

/// What a user's row asks of the API.
#[derive(Clone)]
enum UserRequest {
    Roles(Vec<String>),
    Remove,
    Resend,
}

#[component]
pub fn ProfilePage(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let profile = RwSignal::new(None::<Profile>);
    let editing = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let load = move || {
        state.run(
            |api, token, locale| async move {
                api.organization_profile(&token.unwrap_or_default(), locale)
                    .await
            },
            move |_, loaded| profile.set(Some(loaded)),
        )
    };
    load();
    // Saved by someone else meanwhile: shown as it is now, to change
    // again (the notice says so); the old version would fail every save.
    Effect::new(move |_| {
        let changed = state
            .notice
            .with(|n| n.as_ref().and_then(|f| f.code()) == Some(ErrorCode::ProfileChanged));
        if changed {
            editing.set(false);
            load();
        }
    });
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t("account.profile.title")}</h1>
        {move || saved.get().then(|| view! { <p class="csp-notice" role="status">{move || i18n.t("account.profile.saved")}</p> })}
        {move || match (profile.get(), editing.get()) {
            (None, _) => ().into_any(),
            (Some(current), false) => view! {
                <ProfileView profile=current.profile.clone()/>
                {state.may(Action::EditOrganizationProfile).then(|| view! {
                    <button type="button" class="csp-button csp-button--secondary" data-edit-profile on:click=move |_| {
                        saved.set(false);
                        editing.set(true);
                    }>{move || i18n.t("account.profile.edit")}</button>
                })}
            }.into_any(),
            (Some(current), true) => view! {
                <ProfileForm current=current on_saved=Callback::new(move |new: Profile| {
                    profile.set(Some(new));
                    editing.set(false);
                    saved.set(true);
                })/>
            }.into_any(),
        }}
    }
}

/// The profile as written.
#[component]
fn ProfileView(profile: OrganizationProfile) -> impl IntoView {
    let i18n = use_i18n();
    let address = profile.address.clone();
    let address = move || {
        let a = &address;
        let country = country_name(&a.country, i18n.locale.get());
        a.lines
            .iter()
            .chain([&a.locality, &a.region, &a.postal_code, &country])
            .filter(|l| !l.trim().is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    };
    let contact = |c: &enroll_core::organization::Contact| {
        [
            format!("{} {}", c.first_name, c.last_name),
            c.email.clone(),
            c.phone.clone(),
        ]
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
    };
    let row = move |key: &'static str, value: String| {
        view! {
            <div class="csp-summary__row">
                <dt class="csp-summary__key">{move || capitalized(i18n.t(key))}</dt>
                <dd class="csp-summary__value">{value}</dd>
            </div>
        }
    };
    view! {
        <dl class="csp-summary" data-profile>
            {row("account.profile.legal_name", profile.legal_name.clone())}
            <div class="csp-summary__row">
                <dt class="csp-summary__key">{move || i18n.t("account.profile.address")}</dt>
                <dd class="csp-summary__value">{address}</dd>
            </div>
            {row("account.profile.primary_contact", contact(&profile.primary_contact))}
            {row("account.profile.support_contact", contact(&profile.support_contact))}
        </dl>
    }
}

/// Editing the profile: the fields of the one loaded, saved against its
/// version.
#[component]
fn ProfileForm(current: Profile, on_saved: Callback<Profile>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let p = &current.profile;
    let field = |value: &str| RwSignal::new(value.to_owned());
    let legal_name = field(&p.legal_name);
    let country = field(&p.address.country);
    let line1 = field(
        p.address
            .lines
            .first()
            .map(String::as_str)
            .unwrap_or_default(),
    );
    let line2 = field(
        p.address
            .lines
            .get(1)
            .map(String::as_str)
            .unwrap_or_default(),
    );
    let locality = field(&p.address.locality);
    let region = field(&p.address.region);
    let postal_code = field(&p.address.postal_code);
    let contact_fields = |c: &enroll_core::organization::Contact| {
        (
            field(&c.first_name),
            field(&c.last_name),
            field(&c.email),
            field(&c.phone),
        )
    };
    let primary = contact_fields(&p.primary_contact);
    let support = contact_fields(&p.support_contact);
    let etag = current.etag.clone();
    let base = current.profile.clone();
    let save = move || {
        let mut profile = base.clone();
        profile.legal_name = legal_name.get_untracked();
        profile.address.country = country.get_untracked().trim().to_uppercase();
        // The form shows two lines; a third and fourth (the API takes four)
        // are kept as they were.
        let more = base.address.lines.iter().skip(2).cloned();
        profile.address.lines = [line1.get_untracked(), line2.get_untracked()]
            .into_iter()
            .chain(more)
            .filter(|l| !l.trim().is_empty())
            .collect();
        profile.address.locality = locality.get_untracked();
        profile.address.region = region.get_untracked();
        profile.address.postal_code = postal_code.get_untracked();
        let read = |(f, l, e, ph): (
            RwSignal<String>,
            RwSignal<String>,
            RwSignal<String>,
            RwSignal<String>,
        )| {
            enroll_core::organization::Contact {
                first_name: f.get_untracked(),
                last_name: l.get_untracked(),
                email: e.get_untracked(),
                phone: ph.get_untracked(),
            }
        };
        profile.primary_contact = read(primary);
        profile.support_contact = read(support);
        let sent = Profile {
            profile,
            etag: etag.clone(),
        };
        state.run(
            move |api, token, locale| async move {
                api.save_organization_profile(&token.unwrap_or_default(), &sent, locale)
                    .await
            },
            move |_, saved| on_saved.run(saved),
        )
    };
    let contact_view = move |prefix: &'static str,
                             legend: &'static str,
                             (f, l, e, ph): (
        RwSignal<String>,
        RwSignal<String>,
        RwSignal<String>,
        RwSignal<String>,
    )| {
        let path = |name: &str| format!("{prefix}.{name}");
        view! {
            <fieldset class="csp-fieldset">
                <legend class="csp-heading-m">{move || i18n.t(legend)}</legend>
                <PlainField path=path("first_name") label_key="account.users.first_name" width="csp-input--20" value=f errors=state.errors/>
                <PlainField path=path("last_name") label_key="account.users.last_name" width="csp-input--20" value=l errors=state.errors/>
                <PlainField path=path("email") label_key="account.users.email" input_type="email" value=e errors=state.errors/>
                <PlainField path=path("phone") label_key="account.profile.phone" input_type="tel" width="csp-input--20" value=ph errors=state.errors/>
            </fieldset>
        }
    };
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); save(); }>
            <PlainField path="legal_name" label_key="account.profile.legal_name" value=legal_name errors=state.errors/>
            <fieldset class="csp-fieldset">
                <legend class="csp-heading-m">{move || i18n.t("account.profile.address")}</legend>
                <PlainField path="address.country" label_key="account.profile.country" hint_key="account.profile.country_hint" width="csp-input--4" value=country errors=state.errors/>
                <PlainField path="address.lines.0" label_key="account.profile.line1" value=line1 errors=state.errors/>
                <PlainField path="address.lines.1" label_key="account.profile.line2" value=line2 errors=state.errors/>
                <PlainField path="address.locality" label_key="account.profile.locality" width="csp-input--20" value=locality errors=state.errors/>
                <PlainField path="address.region" label_key="account.profile.region" width="csp-input--20" value=region errors=state.errors/>
                <PlainField path="address.postal_code" label_key="account.profile.postal_code" width="csp-input--10" value=postal_code errors=state.errors/>
            </fieldset>
            {contact_view("primary_contact", "account.profile.primary_contact", primary)}
            {contact_view("support_contact", "account.profile.support_contact", support)}
            <button type="submit" class="csp-button">{move || i18n.t("account.profile.save")}</button>
        </form>
    }
}

#[component]
pub fn ProviderRequests(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let requests = RwSignal::new(None::<Vec<ProviderRequest>>);
    state.run(
        |api, token, locale| async move {
            api.provider_relationships(&token.unwrap_or_default(), locale)
                .await
        },
        move |_, list| requests.set(Some(list)),
    );
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t("account.providers.title")}</h1>
        {move || requests.get().map(|list| if list.is_empty() {
            view! { <p data-provider-requests>{move || i18n.t("account.providers.none")}</p> }.into_any()
        } else {
            view! {
                <ul class="csp-list csp-history" data-provider-requests>
                    {list.into_iter().map(|r| {
                        let status = i18n.t(&format!("finder.request.status.{}", r.status));
                        view! { <li><strong>{r.provider_name}</strong>" — "{status}" · "{i18n.date(&r.created_at, false)}</li> }
                    }).collect::<Vec<_>>()}
                </ul>
            }.into_any()
        })}
    }
}
