//! Admin relationships: a direct partner's admin agents and global admins
//! ask an active customer for admin roles for a time (the customer's
//! admin is emailed a link of its own), turn auto-extend on or off, and
//! end them; the customer's admin, holding the link's token, approves,
//! rejects or ends them. Every move is enroll-core's table's
//! (`admin_relationship::Lifecycle`).

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::Action;
use enroll_core::admin_relationship::{limits, AdminRole, Event, NewAdminRelationship, Side};
use enroll_core::contract::{
    AdminEmailCode, AdminRelationship, AdminRelationshipCreated, AdminRelationshipRequest,
    AdminRelationships, AdminRoleView, AutoExtendChange, CustomerSummary, EmailCodeSent,
    RelationshipTemplate, RelationshipTemplates,
};
use enroll_core::{ApiErrorBody, Catalog, ErrorCode, Locale, ValidationReport};

use super::admin_email::{confirmed_or_problem, new_code, sent_or_throttled, typed_code};
use super::customers::direct_partner;
use super::invitations::inviting_partner;
use super::parameters::{CustomerPath, RelationshipPath, RelationshipRequestPath, TemplatePath};
use super::signed_in::SignedIn;
use super::token_opens::{id_and_token_hash, opened};
use super::AppState;
use crate::auth::{new_id, random_hex, token_hash};
use crate::clock::iso;
use crate::error::{ApiFailure, RequestLocale};
use crate::json::JsonBody;
use crate::mail::{self, RELATIONSHIP_LETTERS};
use crate::store::{Made, Moved, RelationshipToKeep, StoredRelationship};
use crate::throttle::{Action as ThrottleAction, Client};

/// A relationship as both sides see it.
pub(super) fn shown(relationship: StoredRelationship) -> AdminRelationship {
    use enroll_core::admin_relationship::RelationshipStatus::ApprovalPending;
    let request_expires_at = (relationship.status == ApprovalPending)
        .then(|| iso(relationship.requested_at + limits::REQUEST_DAYS * 86_400));
    AdminRelationship {
        id: relationship.id,
        customer_id: relationship.customer_id,
        name: relationship.name,
        duration_days: relationship.duration_days,
        roles: relationship.roles,
        auto_extend: relationship.auto_extend,
        status: relationship.status,
        created_at: iso(relationship.created_at),
        request_expires_at,
        approved_at: relationship.approved_at.map(iso),
        ends_at: relationship.ends_at.map(iso),
        ended_at: relationship.ended_at.map(iso),
        ended_by: relationship.ended_by,
    }
}

/// Each role named and explained in `locale`.
fn role_views(codes: &[String], locale: Locale) -> Vec<AdminRoleView> {
    let catalog = Catalog::get(locale);
    codes
        .iter()
        .filter_map(|code| AdminRole::parse(code))
        .map(|role| AdminRoleView {
            code: role.as_str().to_owned(),
            name: catalog.text(role.name_key()),
            description: catalog.text(role.description_key()),
        })
        .collect()
}

fn internal() -> ApiFailure {
    ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
}

fn not_now() -> ApiFailure {
    ApiFailure::new(StatusCode::CONFLICT, ErrorCode::NotEditable)
}

/// The admin roles
///
/// The built-in admin roles an admin relationship may ask for, each named
/// and explained in the `Accept-Language` language (Global
/// Administrator's code is `global_administrator`).
#[utoipa::path(
    get,
    path = "/reference/admin-roles",
    operation_id = "admin_roles",
    tag = "customers",
    responses((status = 200, description = "The roles, in their list's order", body = Vec<AdminRoleView>,
        example = json!([{"code": "global_reader", "name": "Global Reader",
            "description": "Can read everything a Global Administrator can, and change nothing."}]))),
)]
pub async fn roles(RequestLocale(locale): RequestLocale) -> Json<Vec<AdminRoleView>> {
    let codes: Vec<String> = AdminRole::ALL
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    Json(role_views(&codes, locale))
}

/// A customer's admin relationships
///
/// Newest first, each as it stands now.
#[utoipa::path(
    get,
    path = "/account/customers/{id}/admin-relationships",
    operation_id = "list_admin_relationships",
    tag = "customers",
    security(("session" = [])),
    params(CustomerPath),
    responses(
        (status = 200, description = "The relationships", body = AdminRelationships),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (global admins, admin agents and sales agents of a direct partner), or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: the partner has no such customer", body = ApiErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(customer): Path<String>,
) -> Result<Json<AdminRelationships>, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::ViewCustomers).await?;
    let theirs = state.store.customer(&customer).await?;
    if theirs.is_none_or(|c| c.account_id != session.user.account_id) {
        return Err(ApiFailure::not_found());
    }
    let items = state
        .store
        .relationships(&session.user.account_id, Some(&customer))
        .await?
        .into_iter()
        .map(shown)
        .collect();
    Ok(Json(AdminRelationships { items }))
}

/// Ask a customer for an admin relationship
///
/// For an active customer: a name (at most 50 characters, unique among
/// the partner's, shown to the customer), a duration of 1 to 730 days
/// (730 unless given), built-in admin roles, and auto-extend by 180 days
/// (refused with Global Administrator: `auto_extend_global_admin`). It is
/// sent for approval at once: the customer's admin (who accepted the
/// reseller relationship) is emailed a link of its own, which the answer
/// gives too. Unanswered, it expires after 90 days.
#[utoipa::path(
    post,
    path = "/account/customers/{id}/admin-relationships",
    operation_id = "create_admin_relationship",
    tag = "customers",
    security(("session" = [])),
    params(CustomerPath),
    request_body = NewAdminRelationship,
    responses(
        (status = 201, description = "Sent for approval", body = AdminRelationshipCreated),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: the partner has no such customer", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "Problems on `name` (`name_taken`), `duration_days`, `roles`, `auto_extend` (`auto_extend_global_admin`); or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(customer): Path<String>,
    JsonBody(body): JsonBody<NewAdminRelationship>,
) -> Result<Response, ApiFailure> {
    let (session, partner) =
        direct_partner(&state, &signed_in, Action::ManageAdminRelationships).await?;
    let request = body.trimmed();
    // The name's uniqueness is the store's to say, in its write.
    let report = request.validate(false);
    if !report.errors.is_empty() {
        return Err(ApiFailure::invalid(report));
    }
    let (id, token) = new_id()
        .and_then(|id| Ok((id, random_hex(32)?)))
        .map_err(|_| internal())?;
    // The token travels in the fragment, as an invitation's does.
    let link = format!(
        "{}#admin-relationship={id}.{token}",
        state.links.public("admin-relationship.html")
    );
    let keep = RelationshipToKeep {
        id,
        account_id: session.user.account_id.clone(),
        customer_id: customer,
        created_by: session.user.id.clone(),
        token_hash: token_hash(&token),
        request,
    };
    let now = state.clock.now();
    let emailed = link.clone();
    let made = state
        .store
        .create_relationship(
            keep,
            now,
            Box::new(move |relationship, customer| {
                mail::relationship_request_email(&partner, relationship, customer, &emailed, now)
            }),
        )
        .await?;
    match made {
        Made::Relationship(relationship) => Ok((
            StatusCode::CREATED,
            Json(AdminRelationshipCreated {
                relationship: shown(*relationship),
                link,
            }),
        )
            .into_response()),
        Made::Refused(problems) => Err(ApiFailure::invalid(ValidationReport::from_problems(
            problems,
            Vec::new(),
        ))),
        Made::NoCustomer => Err(ApiFailure::not_found()),
    }
}

/// The partner's relationship `rid` of customer `id`, or 404.
async fn of_partner(
    state: &AppState,
    account_id: &str,
    (customer, rid): (&str, &str),
) -> Result<StoredRelationship, ApiFailure> {
    state
        .store
        .relationship(rid)
        .await?
        .filter(|r| r.account_id == account_id && r.customer_id == customer)
        .ok_or_else(ApiFailure::not_found)
}

/// Turn auto-extend on or off
///
/// Once approved and until it ends (while approval is pending, the
/// customer answers what the request said); refused with Global
/// Administrator among its roles (`auto_extend_global_admin` on
/// `auto_extend`). Both sides are emailed.
#[utoipa::path(
    patch,
    path = "/account/customers/{id}/admin-relationships/{rid}",
    operation_id = "change_admin_relationship",
    tag = "customers",
    security(("session" = [])),
    params(RelationshipPath),
    request_body = AutoExtendChange,
    responses(
        (status = 200, description = "Changed", body = AdminRelationship),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: not approved yet, expired or terminated", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`auto_extend_global_admin` on `auto_extend`; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn change(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((customer, rid)): Path<(String, String)>,
    JsonBody(body): JsonBody<AutoExtendChange>,
) -> Result<Json<AdminRelationship>, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::ManageAdminRelationships).await?;
    let account = session.user.account_id.as_str();
    of_partner(&state, account, (&customer, &rid)).await?;
    let now = state.clock.now();
    match state
        .store
        .set_auto_extend(account, &rid, body.auto_extend, now, &RELATIONSHIP_LETTERS)
        .await?
    {
        None => Err(ApiFailure::not_found()),
        Some(Ok(changed)) => Ok(Json(shown(changed))),
        Some(Err(problems)) if problems.is_empty() => Err(not_now()),
        Some(Err(problems)) => Err(ApiFailure::invalid(ValidationReport::from_problems(
            problems,
            Vec::new(),
        ))),
    }
}

/// Terminate a relationship
///
/// The partner ends it at once, at any status but expired or terminated;
/// both sides are emailed.
#[utoipa::path(
    delete,
    path = "/account/customers/{id}/admin-relationships/{rid}",
    operation_id = "terminate_admin_relationship",
    tag = "customers",
    security(("session" = [])),
    params(RelationshipPath),
    responses(
        (status = 200, description = "Terminated", body = AdminRelationship),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: expired or terminated already", body = ApiErrorBody),
    ),
)]
pub async fn terminate(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((customer, rid)): Path<(String, String)>,
) -> Result<Json<AdminRelationship>, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::ManageAdminRelationships).await?;
    of_partner(&state, &session.user.account_id, (&customer, &rid)).await?;
    moved(&state, &rid, Event::Terminate(Side::Partner), None).await
}

/// Moves relationship `id` by `event` now, for the customer's admin once
/// `code` is right (its hashes; none for the partner): 409 `not_editable`
/// when the event does not apply in its status, 422 on `code`.
async fn moved(
    state: &AppState,
    id: &str,
    event: Event,
    code: Option<Vec<String>>,
) -> Result<Json<AdminRelationship>, ApiFailure> {
    let now = state.clock.now();
    match state
        .store
        .move_relationship(id, (event, code), now, &RELATIONSHIP_LETTERS)
        .await?
    {
        Some(Moved::Done(relationship)) => Ok(Json(shown(*relationship))),
        Some(Moved::NotNow(_)) => Err(not_now()),
        Some(Moved::Code(check)) => confirmed_or_problem(check).and(Err(not_now())),
        None => Err(ApiFailure::not_found()),
    }
}

/// The relationship a customer's route names (`/admin-relationship-requests/{id}/…`),
/// opened by its token: 401 without one or with another's, 404 when there
/// is none.
pub struct Asked(StoredRelationship);

impl FromRequestParts<AppState> for Asked {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiFailure> {
        let (id, hash) = id_and_token_hash(parts, state).await?;
        let found = state.store.relationship_by_token(&hash).await?;
        let exists = async { Ok(state.store.relationship(&id).await?.is_some()) };
        opened(found, |r| r.id == id, exists).await.map(Self)
    }
}

/// The relationship as its customer's admin sees it.
async fn request_view(
    state: &AppState,
    relationship: StoredRelationship,
    locale: Locale,
) -> Result<AdminRelationshipRequest, ApiFailure> {
    let partner = inviting_partner(state, &relationship.account_id).await?;
    let customer = state
        .store
        .customer(&relationship.customer_id)
        .await?
        .ok_or_else(ApiFailure::not_found)?;
    Ok(AdminRelationshipRequest {
        role_details: role_views(&relationship.roles, locale),
        partner,
        customer: CustomerSummary {
            company_name: customer.company_name,
            country: customer.country,
            tenant_domain: customer.tenant_domain,
        },
        relationship: shown(relationship),
    })
}

/// An admin relationship asked of a customer
///
/// For the customer's admin holding its link: who asks, for which roles
/// (each explained in the `Accept-Language` language), for how long, and
/// where it stands.
#[utoipa::path(
    get,
    path = "/admin-relationship-requests/{id}",
    operation_id = "read_admin_relationship_request",
    tag = "customers",
    params(RelationshipRequestPath),
    security(("relationshipToken" = [])),
    responses(
        (status = 200, description = "The relationship", body = AdminRelationshipRequest),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
    ),
)]
pub async fn read_request(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Asked(relationship): Asked,
) -> Result<Response, ApiFailure> {
    Ok(Json(request_view(&state, relationship, locale).await?).into_response())
}

/// Email the customer's admin a code to answer
///
/// To the address that accepted the reseller relationship (the link alone
/// is the partner's too): approving, rejecting and ending need the code.
/// A new code replaces the previous one; it works for 10 minutes and 5
/// tries; 3 may be sent an hour.
#[utoipa::path(
    post,
    path = "/admin-relationship-requests/{id}/email/code",
    operation_id = "send_admin_relationship_code",
    tag = "customers",
    params(RelationshipRequestPath),
    security(("relationshipToken" = [])),
    responses(
        (status = 202, description = "Sent", body = EmailCodeSent),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: expired or terminated", body = ApiErrorBody),
        (status = 429, description = "`too_many_codes`: 3 were sent in the last hour, or this client asked too often", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be sent"))),
    ),
)]
pub async fn send_code(
    State(state): State<AppState>,
    Asked(relationship): Asked,
    client: Client,
) -> Result<Response, ApiFailure> {
    let customer = state
        .store
        .customer(&relationship.customer_id)
        .await?
        .ok_or_else(ApiFailure::not_found)?;
    let code = new_code(&state, client, ThrottleAction::RequestCode).await?;
    let now = state.clock.now();
    let message = mail::relationship_code_email(&relationship, &customer, &code, now);
    let sent = state
        .store
        .send_relationship_code(
            &relationship.id,
            state.secrets.code_hash(&code),
            now,
            message,
        )
        .await?
        .ok_or_else(not_now)?;
    sent_or_throttled(sent)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(EmailCodeSent {
            to: customer.admin_email,
            expires_in_secs: enroll_core::account::limits::EMAIL_CODE_SECS,
        }),
    )
        .into_response())
}

/// Approve an admin relationship
///
/// While approval is pending (not after 90 days): it is active from now
/// for its duration; both sides are emailed.
#[utoipa::path(
    post,
    path = "/admin-relationship-requests/{id}/approve",
    operation_id = "approve_admin_relationship",
    tag = "customers",
    params(RelationshipRequestPath),
    security(("relationshipToken" = [])),
    request_body = AdminEmailCode,
    responses(
        (status = 200, description = "Active", body = AdminRelationshipRequest),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: not waiting for approval", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "A problem on `code`: `required`, `wrong_code` (with `tries_left`) or `code_expired` (ask for a new one); or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn approve(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Asked(relationship): Asked,
    JsonBody(body): JsonBody<AdminEmailCode>,
) -> Result<Response, ApiFailure> {
    let now = state.clock.now();
    let event = Event::Approve { at: now };
    answer(&state, relationship, (event, &body.code), locale).await
}

/// Reject an admin relationship
///
/// While approval is pending: it ends (terminated by the customer); both
/// sides are emailed.
#[utoipa::path(
    post,
    path = "/admin-relationship-requests/{id}/reject",
    operation_id = "reject_admin_relationship",
    tag = "customers",
    params(RelationshipRequestPath),
    security(("relationshipToken" = [])),
    request_body = AdminEmailCode,
    responses(
        (status = 200, description = "Rejected", body = AdminRelationshipRequest),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: not waiting for approval", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "A problem on `code`: `required`, `wrong_code` (with `tries_left`) or `code_expired`; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn reject(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Asked(relationship): Asked,
    JsonBody(body): JsonBody<AdminEmailCode>,
) -> Result<Response, ApiFailure> {
    answer(&state, relationship, (Event::Reject, &body.code), locale).await
}

/// End an admin relationship (the customer)
///
/// At any status but expired or terminated; both sides are emailed.
#[utoipa::path(
    post,
    path = "/admin-relationship-requests/{id}/terminate",
    operation_id = "end_admin_relationship",
    tag = "customers",
    params(RelationshipRequestPath),
    security(("relationshipToken" = [])),
    request_body = AdminEmailCode,
    responses(
        (status = 200, description = "Terminated", body = AdminRelationshipRequest),
        (status = 401, description = "`token_required` or `invalid_token`", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: expired or terminated already", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "A problem on `code`: `required`, `wrong_code` (with `tries_left`) or `code_expired`; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn end(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
    Asked(relationship): Asked,
    JsonBody(body): JsonBody<AdminEmailCode>,
) -> Result<Response, ApiFailure> {
    let event = Event::Terminate(Side::Customer);
    answer(&state, relationship, (event, &body.code), locale).await
}

/// The customer admin's answer, given with the code emailed to them (the
/// link alone is the partner's too: it must not be enough to consent).
async fn answer(
    state: &AppState,
    relationship: StoredRelationship,
    (event, code): (Event, &str),
    locale: Locale,
) -> Result<Response, ApiFailure> {
    let typed = typed_code(code)?;
    let hashes = state.secrets.code_hashes(&typed);
    let Json(_) = moved(state, &relationship.id, event, Some(hashes)).await?;
    let now = state
        .store
        .relationship(&relationship.id)
        .await?
        .ok_or_else(ApiFailure::not_found)?;
    Ok(Json(request_view(state, now, locale).await?).into_response())
}

/// The partner's role templates, as both sides of the contract see them.
async fn templates_of(
    state: &AppState,
    account_id: &str,
) -> Result<RelationshipTemplates, ApiFailure> {
    let items = state
        .store
        .relationship_templates(account_id)
        .await?
        .into_iter()
        .map(|(id, template)| RelationshipTemplate { id, template })
        .collect();
    Ok(RelationshipTemplates { items })
}

/// The role templates
///
/// Roles, a duration and auto-extend the partner saved under a name, to
/// ask customers for again; by name.
#[utoipa::path(
    get,
    path = "/account/admin-relationship-templates",
    operation_id = "list_relationship_templates",
    tag = "customers",
    security(("session" = [])),
    responses(
        (status = 200, description = "The templates", body = RelationshipTemplates),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (admin agents and global admins of a direct partner), or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn templates(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<RelationshipTemplates>, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::ManageAdminRelationships).await?;
    Ok(Json(templates_of(&state, &session.user.account_id).await?))
}

/// Save a role template
///
/// Checked as a relationship is (its name unique among the partner's
/// templates, Global Administrator never with auto-extend).
#[utoipa::path(
    post,
    path = "/account/admin-relationship-templates",
    operation_id = "save_relationship_template",
    tag = "customers",
    security(("session" = [])),
    request_body = NewAdminRelationship,
    responses(
        (status = 201, description = "Saved: every template", body = RelationshipTemplates),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "Problems on `name` (`name_taken`), `duration_days`, `roles`, `auto_extend`; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn save_template(
    State(state): State<AppState>,
    signed_in: SignedIn,
    JsonBody(body): JsonBody<NewAdminRelationship>,
) -> Result<Response, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::ManageAdminRelationships).await?;
    let account = session.user.account_id.as_str();
    let id = new_id().map_err(|_| internal())?;
    let now = state.clock.now();
    if let Err(problems) = state
        .store
        .save_relationship_template(account, id, body.trimmed(), now)
        .await?
    {
        return Err(ApiFailure::invalid(ValidationReport::from_problems(
            problems,
            Vec::new(),
        )));
    }
    Ok((
        StatusCode::CREATED,
        Json(templates_of(&state, account).await?),
    )
        .into_response())
}

/// Delete a role template
#[utoipa::path(
    delete,
    path = "/account/admin-relationship-templates/{id}",
    operation_id = "delete_relationship_template",
    tag = "customers",
    security(("session" = [])),
    params(TemplatePath),
    responses(
        (status = 200, description = "Deleted: the templates left", body = RelationshipTemplates),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`", body = ApiErrorBody),
    ),
)]
pub async fn delete_template(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<RelationshipTemplates>, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::ManageAdminRelationships).await?;
    let account = session.user.account_id.as_str();
    if !state
        .store
        .delete_relationship_template(account, &id)
        .await?
    {
        return Err(ApiFailure::not_found());
    }
    Ok(Json(templates_of(&state, account).await?))
}
