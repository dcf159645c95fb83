//! The account's users: list, add (each emailed a temporary password of
//! their own), change roles, remove, send the invitation again. What a
//! signed-in user may do is enroll-core's table (`account::allowed_actions`,
//! `may_change_roles`); the store keeps the account from losing its last
//! global admin.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::{
    limits, may_change_roles, parse_roles, Action, NewUserRequest, Request, RolesChange, UserView,
};
use enroll_core::contract::Users;
use enroll_core::email::address_key;
use enroll_core::email::parse_email;
use enroll_core::text::{caps, line_problem, strip_pasted};
use enroll_core::ErrorCode;
use enroll_core::{ApiErrorBody, Problem, ProblemCode, ValidationReport};

use super::parameters::UserPath;
use super::signed_in::SignedIn;
use super::signed_in::{application_of, permitted};
use super::AppState;
use crate::auth::new_id;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mail;
use crate::passwords;
use crate::store::{NewUser, Session, User, UserChange};

/// A user as listed; `undelivered`: their newest invitation email did not
/// arrive (only while they are invited).
fn view(user: &User, undelivered: bool) -> UserView {
    UserView {
        id: user.id.clone(),
        email: user.email.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        roles: user.roles.clone(),
        invited: user.password_temporary,
        invitation_undelivered: user.password_temporary && undelivered,
    }
}

/// The sign-in addresses of the account's users whose newest invitation
/// email will not arrive.
async fn undelivered(
    state: &AppState,
    account_id: &str,
) -> Result<std::collections::HashSet<String>, ApiFailure> {
    let addresses = state.store.undelivered_invitations(account_id).await?;
    Ok(addresses.iter().map(|a| address_key(a)).collect())
}

fn invalid(problems: Vec<Problem>) -> ApiFailure {
    ApiFailure::invalid(ValidationReport::from_problems(problems, Vec::new()))
}

fn outcome(change: UserChange) -> Result<(), ApiFailure> {
    match change {
        UserChange::Done => Ok(()),
        UserChange::Missing => Err(ApiFailure::not_found()),
        UserChange::LastGlobalAdmin => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::LastGlobalAdmin,
        )),
        UserChange::SignedInAlready => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::SignedInAlready,
        )),
        UserChange::LoginTaken => Err(ApiFailure::new(StatusCode::CONFLICT, ErrorCode::UserExists)),
        UserChange::OutsideDomains => Err(invalid(vec![Problem::at(
            "email",
            ProblemCode::OutsideAccountDomains,
        )])),
        UserChange::Forbidden => Err(ApiFailure::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden)),
    }
}

/// A temporary password and its hash.
async fn temporary() -> Result<(String, String), ApiFailure> {
    let internal = |_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal);
    let password = passwords::temporary_password().map_err(internal)?;
    let hash = passwords::hash(password.clone())
        .await
        .map_err(|_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal))?;
    Ok((password, hash))
}

/// The account's users
#[utoipa::path(
    get,
    path = "/account/users",
    // Unique: the default (the function's name) is another operation's too.
    operation_id = "list_users",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "In the order they were added", body = Users),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Users>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ListUsers)?;
    let users = state.store.users_of(&session.user.account_id).await?;
    let undelivered = undelivered(&state, &session.user.account_id).await?;
    Ok(Json(Users {
        items: users
            .iter()
            .map(|user| view(user, undelivered.contains(&address_key(&user.email))))
            .collect(),
    }))
}

/// Add a user
///
/// They are emailed a temporary password of their own (7 days). Only a
/// global admin gives global admin.
#[utoipa::path(
    post,
    path = "/account/users",
    tag = "account",
    security(("session" = [])),
    request_body = NewUserRequest,
    responses(
        (status = 201, description = "Added and emailed", body = UserView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (by the roles, or a role this user may not give), or a step of signing in first", body = ApiErrorBody),
        (status = 409, description = "`user_exists`: a user of this account signs in with the address already", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "The report: `email` (`required`, `invalid_format`, `outside_account_domains`: not in the account's domains, or another account's), `first_name`, `last_name` (`required`, `control_character`, `too_long` with `max`), `roles` (`required`, `unknown_role`); or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn add(
    State(state): State<AppState>,
    signed_in: SignedIn,
    JsonBody(request): JsonBody<NewUserRequest>,
) -> Result<Response, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::AddUser)?;
    let email = request.email.trim().to_owned();
    // Names are refused as the application's are (a control character,
    // over 100 characters), never silently changed; what pasting brings
    // along goes, as there.
    let (first_name, last_name) = (
        strip_pasted(request.first_name.trim()),
        strip_pasted(request.last_name.trim()),
    );
    let mut problems = Vec::new();
    if email.is_empty() {
        problems.push(Problem::at("email", ProblemCode::Required));
    } else if parse_email(&email).is_none() || email.chars().count() > caps::EMAIL {
        problems.push(Problem::at("email", ProblemCode::InvalidFormat));
    }
    for (path, value) in [("first_name", &first_name), ("last_name", &last_name)] {
        if value.trim().is_empty() {
            problems.push(Problem::at(path, ProblemCode::Required));
        } else if let Some(problem) = line_problem(path, value, caps::PERSON_NAME) {
            problems.push(problem);
        }
    }
    let roles = match parse_roles(&request.roles) {
        Ok(roles) => roles,
        Err(code) => {
            problems.push(Problem::at("roles", code));
            Vec::new()
        }
    };
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    if !may_change_roles(&session.user.roles, &[], &roles) {
        return Err(ApiFailure::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden));
    }
    let (_, record) = application_of(&state, session).await?;
    let (password, hash) = temporary().await?;
    let now = state.clock.now();
    let internal = |_| ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal);
    let new = NewUser {
        id: new_id().map_err(internal)?,
        email: email.clone(),
        first_name,
        last_name,
        roles,
        password_hash: hash,
        password_expires_at: now + limits::TEMPORARY_PASSWORD_SECS,
    };
    let message = mail::temporary_password_email(&record, &new.first_name, &email, &password, now);
    let id = new.id.clone();
    outcome(
        state
            .store
            .add_user(&session.user.account_id, new, now, message)
            .await?,
    )?;
    let added = state
        .store
        .user_of(&session.user.account_id, &id)
        .await?
        .ok_or(ApiFailure::not_found())?;
    Ok((StatusCode::CREATED, Json(view(&added, false))).into_response())
}

/// Another user than the signed-in one: nobody changes their own roles,
/// removes themselves or resends their own invitation (no one raises their
/// own rights, nor locks themselves out).
fn someone_else(session: &Session, id: &str) -> Result<(), ApiFailure> {
    if session.user.id == id {
        return Err(ApiFailure::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden));
    }
    Ok(())
}

/// The user the path names, in the signed-in user's account.
/// The user `id` of the session's account, as the list shows them.
async fn shown_user(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<Json<UserView>, ApiFailure> {
    let user = target(state, session, id).await?;
    let undelivered = undelivered(state, &user.account_id).await?;
    let undelivered = undelivered.contains(&address_key(&user.email));
    Ok(Json(view(&user, undelivered)))
}

async fn target(state: &AppState, session: &Session, id: &str) -> Result<User, ApiFailure> {
    state
        .store
        .user_of(&session.user.account_id, id)
        .await?
        .ok_or(ApiFailure::not_found())
}

/// One user
#[utoipa::path(
    get,
    path = "/account/users/{id}",
    // Unique: the default (the function's name) is another operation's too.
    operation_id = "read_user",
    tag = "account",
    security(("session" = [])),
    params(UserPath),
    responses(
        (status = 200, description = "The user", body = UserView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such user in this account", body = ApiErrorBody),
    ),
)]
pub async fn read(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<UserView>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ListUsers)?;
    shown_user(&state, session, &id).await
}

/// Change a user's roles
///
/// At once: the user's live sessions have the new roles from their next
/// request. Only a global admin gives or takes global admin; the last one
/// stays.
#[utoipa::path(
    patch,
    path = "/account/users/{id}",
    tag = "account",
    security(("session" = [])),
    params(UserPath),
    request_body = RolesChange,
    responses(
        (status = 200, description = "The user, with the new roles", body = UserView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (by the roles, or a role this user may not give or take)", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`last_global_admin`: the account keeps one", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`roles`: `required` or `unknown_role`; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn change_roles(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<RolesChange>,
) -> Result<Json<UserView>, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ChangeUserRoles)?;
    someone_else(session, &id)?;
    let roles =
        parse_roles(&change.roles).map_err(|code| invalid(vec![Problem::at("roles", code)]))?;
    // Who may change them is checked against the roles as stored, in the
    // transaction that writes: a promotion committed meanwhile counts.
    let actor = session.user.roles.clone();
    outcome(
        state
            .store
            .set_roles(&session.user.account_id, &id, actor, roles)
            .await?,
    )?;
    shown_user(&state, session, &id).await
}

/// Remove a user
///
/// Their sessions end at once. Never the last global admin; a global admin
/// only by a global admin.
#[utoipa::path(
    delete,
    path = "/account/users/{id}",
    tag = "account",
    security(("session" = [])),
    params(UserPath),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`last_global_admin`", body = ApiErrorBody),
    ),
)]
pub async fn remove(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::RemoveUser)?;
    someone_else(session, &id)?;
    let actor = session.user.roles.clone();
    outcome(
        state
            .store
            .remove_user(&session.user.account_id, &id, actor)
            .await?,
    )?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send the invitation again
///
/// A new temporary password (7 days); the previous one stops working.
/// Only for a user who has not chosen a password yet.
#[utoipa::path(
    post,
    path = "/account/users/{id}/invitation",
    tag = "account",
    security(("session" = [])),
    params(UserPath),
    responses(
        (status = 202, description = "Emailed", body = UserView),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`signed_in_already`: the user has a password of their own", body = ApiErrorBody),
    ),
)]
pub async fn resend_invitation(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiFailure> {
    let session = permitted(&signed_in, Request::Account, Action::ResendInvitation)?;
    someone_else(session, &id)?;
    let user = target(&state, session, &id).await?;
    // A global admin's password is reset by a global admin only.
    if !may_change_roles(&session.user.roles, &user.roles, &[]) {
        return Err(ApiFailure::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden));
    }
    let (_, record) = application_of(&state, session).await?;
    let (password, hash) = temporary().await?;
    let now = state.clock.now();
    let expires_at = now + limits::TEMPORARY_PASSWORD_SECS;
    let message =
        mail::temporary_password_email(&record, &user.first_name, &user.email, &password, now);
    outcome(
        state
            .store
            .renew_invitation(&session.user.account_id, &id, &hash, expires_at, message)
            .await?,
    )?;
    Ok((StatusCode::ACCEPTED, Json(view(&user, false))).into_response())
}
