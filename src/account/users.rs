//! The account's users: the list, adding one, changing roles (never
//! beyond the user's own rights), removing, sending an invitation again.

use enroll_core::account::{may_assign, may_change_roles, Action, NewUserRequest, Role, UserView};
use enroll_core::msg;
use leptos::html::H1;
use leptos::prelude::*;

use super::{AccountState, Request};
use crate::i18n::use_i18n;
use crate::ui::field::{message_at, PlainField};

/// Role names in the current language, as a list.
fn role_names(roles: &[Role]) -> String {
    let i18n = use_i18n();
    let names: Vec<String> = roles.iter().map(|role| i18n.t(role.label_key())).collect();
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
                    <label class="csp-checkbox__label" for=id>{move || i18n.t(role.label_key())}</label>
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
    // Adding a user.
    let email = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    // What the last thing done did, said above the list.
    let told = RwSignal::new(None::<String>);
    let add = state.request(
        |api, token, locale, user: NewUserRequest| async move {
            api.add_user(&token, &user, locale).await
        },
        move |_, user| {
            told.set(Some(i18n.tf(
                msg::account::ACCOUNT_USERS_ADDED,
                &[("email", &user.email)],
            )));
            for field in [email, first_name, last_name] {
                field.set(String::new());
            }
            roles.set(Vec::new());
        },
    );
    // Changing, removing, inviting again: what it is, to whom, and what
    // to say once done.
    let change = state.request(
        |api, token, locale, (id, request, said): (String, UserRequest, Option<String>)| {
            async move {
                let done = match request {
                    UserRequest::Roles(names) => api
                        .change_roles(&token, &id, &names, locale)
                        .await
                        .map(drop),
                    UserRequest::Remove => api.remove_user(&token, &id, locale).await,
                    UserRequest::Resend => {
                        api.resend_invitation(&token, &id, locale).await.map(drop)
                    }
                };
                done.map(|()| said)
            }
        },
        move |_, said| {
            told.set(said);
            // The row acted from is redrawn: reading starts again at the
            // page's heading.
            if let Some(h1) = heading.get_untracked() {
                let _ = h1.focus();
            }
        },
    );
    let users = state.loaded(
        move || {
            add.version();
            change.version();
        },
        |api, token, locale| async move { api.users(&token, locale).await },
    );
    let send_add = move || {
        add.send(NewUserRequest {
            email: email.get_untracked(),
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            roles: roles
                .get_untracked()
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
        })
    };
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_USERS_TITLE)}</h1>
        {move || told.get().map(|told| view! { <p class="csp-notice" role="status">{told}</p> })}
        <ul class="csp-list csp-users" data-users>
            {move || users.get().flatten().unwrap_or_default().into_iter().map(|user| view! {
                <UserRow user=user change=change/>
            }).collect::<Vec<_>>()}
        </ul>
        {move || state.may(Action::AddUser).then(|| view! {
            <form novalidate class="csp-add-user" on:submit=move |ev| { ev.prevent_default(); send_add(); }>
                <h2 class="csp-heading-m">{move || i18n.t(msg::account::ACCOUNT_USERS_ADD)}</h2>
                <p>{move || i18n.t(msg::account::ACCOUNT_USERS_ADD_INTRO)}</p>
                <PlainField path="email" label_key=msg::account::ACCOUNT_USERS_EMAIL input_type="email" autocomplete="off" value=email errors=state.errors/>
                <PlainField path="first_name" label_key=msg::account::ACCOUNT_USERS_FIRST_NAME width="csp-input--20" value=first_name errors=state.errors/>
                <PlainField path="last_name" label_key=msg::account::ACCOUNT_USERS_LAST_NAME width="csp-input--20" value=last_name errors=state.errors/>
                <RoleChoice prefix="roles".into() legend=Signal::derive(move || i18n.t(msg::account::ACCOUNT_USERS_ROLES)) chosen=roles
                    error=Signal::derive(move || message_at(&state.errors, "roles"))/>
                <button type="submit" class="csp-button">{move || i18n.t(msg::account::ACCOUNT_USERS_ADD_SUBMIT)}</button>
            </form>
        })}
    }
}

/// One user: who, their roles, and what the signed-in user may do to
/// them (nothing to themselves, and to a global admin only as one).
/// What is done goes through `change`, with what to say once it is.
#[component]
fn UserRow(
    user: UserView,
    change: Request<(String, UserRequest, Option<String>), ()>,
) -> impl IntoView {
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
    let act = move |request: UserRequest, said: Option<String>| {
        change.send((id.clone(), request, said));
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
                {invited.then(|| view! { " "<span class="csp-tag">{move || i18n.t(msg::account::ACCOUNT_USERS_INVITED)}</span> })}</p>
            {undelivered.then(|| view! {
                <p class="csp-error-message" data-undelivered>{move || i18n.t(msg::account::ACCOUNT_USERS_UNDELIVERED)}</p>
            })}
            <p class="csp-hint" data-user-roles>{move || role_names(&roles)}</p>
            {
                let save_roles = save_roles.clone();
                let legend = i18n.tf(msg::account::ACCOUNT_USERS_ROLES_OF, &[("name", &name)]);
                let prefix = format!("roles-{}", user.id);
                move || editing.get().then(|| {
                    let save_roles = save_roles.clone();
                    let legend = legend.clone();
                    view! {
                        <form novalidate on:submit=move |ev| { ev.prevent_default(); save_roles(); }>
                            <RoleChoice prefix=prefix.clone() legend=legend chosen=chosen
                                error=Signal::derive(move || no_role.get().then(|| i18n.t(msg::account::PROBLEM_ROLES_REQUIRED)))/>
                            <button type="submit" class="csp-button">{move || i18n.t(msg::account::ACCOUNT_USERS_SAVE_ROLES)}</button>
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
                                {move || i18n.t(msg::account::ACCOUNT_USERS_CHANGE_ROLES)}<span class="csp-visually-hidden">{format!(" {name}")}</span>
                            </button></li>
                        })}
                        {(invited && state.may(Action::ResendInvitation)).then(|| {
                            let act = act.clone();
                            let (name, email) = (name.clone(), email.clone());
                            view! {
                                <li><button type="button" class="csp-link-button" data-resend on:click=move |_| {
                                    act(UserRequest::Resend, Some(i18n.tf(msg::account::ACCOUNT_USERS_RESENT, &[("email", &email)])))
                                }>
                                    {move || i18n.t(msg::account::ACCOUNT_USERS_RESEND)}<span class="csp-visually-hidden">{format!(" {name}")}</span>
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
                                                <span id=confirm_id.clone()>{i18n.tf(msg::account::ACCOUNT_USERS_REMOVE_CONFIRM, &[("name", &name)])}</span>" "
                                                <button type="button" class="csp-button csp-button--warning" node_ref=yes data-remove-yes on:click=move |_| act(UserRequest::Remove, None)>
                                                    {move || i18n.t(msg::account::ACCOUNT_USERS_REMOVE_YES)}
                                                </button>" "
                                                <button type="button" class="csp-link-button" on:click=move |_| confirming.set(false)>
                                                    {move || i18n.t(msg::account::ACCOUNT_USERS_REMOVE_NO)}
                                                </button>
                                            </span>
                                        }.into_any()
                                    } else {
                                        let name = name.clone();
                                        view! {
                                            <button type="button" class="csp-link-button" data-remove on:click=move |_| confirming.set(true)>
                                                {move || i18n.t(msg::account::ACCOUNT_USERS_REMOVE)}<span class="csp-visually-hidden">{format!(" {name}")}</span>
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
