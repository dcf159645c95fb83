//! A direct partner's customers, as its users see them: the invitations to
//! a reseller relationship (made, listed, emailed, withdrawn) and the
//! customers that accepted. Global admins, admin agents and sales agents
//! of a direct partner (enroll-core's role table and
//! `Action::needs_direct_partner`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::account::{Action, Request};
use enroll_core::admin_relationship::RelationshipStatus;
use enroll_core::contract::AdminRelationship;
use enroll_core::contract::{
    Customer, CustomerInvitation, CustomerInvitationCreated, CustomerInvitations, CustomerSummary,
    Customers, InvitationSend, ResellerRelationship,
};
use enroll_core::customer::{limits, NewInvitation};
use enroll_core::{ApiErrorBody, ErrorCode, PartnerModel, Problem, ProblemCode, ValidationReport};
use std::time::Duration;

use super::admin_relationships::shown;
use super::parameters::InvitationPath;
use super::signed_in::{application_of, permitted, SignedIn};
use super::AppState;
use crate::auth::{new_id, random_hex, token_hash};
use crate::clock::iso;
use crate::error::ApiFailure;
use crate::json::JsonBody;
use crate::mail;
use crate::store::{
    InvitationEmailed, InvitationToKeep, Record, Session, StoredCustomer, StoredInvitation,
};

/// The session, if its user may do `action` in a direct partner's
/// account, with the application the account was made from: 403
/// `forbidden` for any other partner.
pub(super) async fn direct_partner<'s>(
    state: &AppState,
    signed_in: &'s SignedIn,
    action: Action,
) -> Result<(&'s Session, Record), ApiFailure> {
    let session = permitted(signed_in, Request::Account, action)?;
    let (_, application) = application_of(state, session).await?;
    if application.answers.model != Some(PartnerModel::DirectPartner) {
        return Err(ApiFailure::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden));
    }
    Ok((session, application))
}

/// An invitation as the partner's users list it.
pub(super) fn listed(invitation: StoredInvitation) -> CustomerInvitation {
    CustomerInvitation {
        id: invitation.id,
        company_name: invitation.company_name,
        admin_email: invitation.admin_email,
        locale: invitation.locale,
        status: invitation.status,
        created_at: iso(invitation.created_at),
        expires_at: iso(invitation.expires_at),
        emailed_at: invitation.emailed_at.map(iso),
        answered_at: invitation.answered_at.map(iso),
    }
}

/// The customer's page for invitation `id`, the token in its fragment
/// (never sent to a server, never in a server log or a Referer).
fn invitation_link(base: &str, id: &str, token: &str) -> String {
    format!("{base}#invitation={id}.{token}")
}

fn internal() -> ApiFailure {
    ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
}

fn invalid_at(path: &str, code: ProblemCode) -> ApiFailure {
    ApiFailure::invalid(ValidationReport::from_problems(
        vec![Problem::at(path, code)],
        Vec::new(),
    ))
}

/// The invitations
///
/// The direct partner's invitations to customers, newest first, each with
/// where it stands.
#[utoipa::path(
    get,
    path = "/account/customer-invitations",
    operation_id = "list_customer_invitations",
    tag = "customers",
    security(("session" = [])),
    responses(
        (status = 200, description = "The invitations", body = CustomerInvitations),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (global admins, admin agents and sales agents of a direct partner), or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn list_invitations(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<CustomerInvitations>, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::ViewCustomers).await?;
    let items = state
        .store
        .invitations(&session.user.account_id)
        .await?
        .into_iter()
        .map(listed)
        .collect();
    Ok(Json(CustomerInvitations { items }))
}

/// Invite a customer
///
/// An invitation for one customer to a reseller relationship: its link
/// (the customer's page, the token in its fragment; it works 30 days)
/// and a ready email text in the customer's language, to copy, to open in
/// an email program, or to have the product send (`…/{id}/send`). The
/// token is shown here only.
#[utoipa::path(
    post,
    path = "/account/customer-invitations",
    operation_id = "create_customer_invitation",
    tag = "customers",
    security(("session" = [])),
    request_body = NewInvitation,
    responses(
        (status = 201, description = "Made: its link, token and email text", body = CustomerInvitationCreated),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`bad_link_base` (not on a host origin); problems on `company_name`, `admin_email`, `locale`; or `wrong_shape`", body = super::parameters::Unprocessable),
    ),
)]
pub async fn create_invitation(
    State(state): State<AppState>,
    signed_in: SignedIn,
    JsonBody(body): JsonBody<NewInvitation>,
) -> Result<Response, ApiFailure> {
    let (session, partner) = direct_partner(&state, &signed_in, Action::InviteCustomers).await?;
    let invitation = body.trimmed();
    let report = invitation.validate(&state.reference.data);
    if !report.errors.is_empty() {
        return Err(ApiFailure::invalid(report));
    }
    let base = match invitation.link_base.as_deref() {
        None => state.links.public("invitation.html"),
        given => state.links.base(given).ok_or(ApiFailure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::BadLinkBase,
        ))?,
    };
    let (id, token) = new_id()
        .and_then(|id| Ok((id, random_hex(32)?)))
        .map_err(|_| internal())?;
    let now = state.clock.now();
    let keep = InvitationToKeep {
        id: id.clone(),
        link_base: base.clone(),
        account_id: session.user.account_id.clone(),
        created_by: session.user.id.clone(),
        token_hash: token_hash(&token),
        invitation,
    };
    state.store.create_invitation(keep, now).await?;
    let made = state
        .store
        .invitation_of(&session.user.account_id, &id)
        .await?
        .ok_or_else(internal)?;
    let link = invitation_link(&base, &id, &token);
    let email = mail::invitation_text(&partner, &made, &link);
    Ok((
        StatusCode::CREATED,
        Json(CustomerInvitationCreated {
            id,
            status: made.status,
            link,
            token,
            expires_at: iso(made.expires_at),
            email,
        }),
    )
        .into_response())
}

/// Withdraw an invitation
///
/// Its link then opens only the news that it was withdrawn.
#[utoipa::path(
    delete,
    path = "/account/customer-invitations/{id}",
    operation_id = "withdraw_customer_invitation",
    tag = "customers",
    security(("session" = [])),
    params(InvitationPath),
    responses(
        (status = 200, description = "Withdrawn", body = CustomerInvitation),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: the account has no such invitation", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: accepted, declined, expired or withdrawn already", body = ApiErrorBody),
    ),
)]
pub async fn withdraw_invitation(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<CustomerInvitation>, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::InviteCustomers).await?;
    let now = state.clock.now();
    match state
        .store
        .withdraw_invitation(&session.user.account_id, &id, now)
        .await?
    {
        None => Err(ApiFailure::not_found()),
        Some((false, _)) => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::NotEditable,
        )),
        Some((true, withdrawn)) => Ok(Json(listed(withdrawn))),
    }
}

/// Have the product email an invitation
///
/// To the customer admin's address the partner gave, once: asked again,
/// it answers as before and sends nothing. The token the invitation was
/// made with goes in the body (only its hash is kept, and the emailed
/// link needs it). At most 50 a day for one account.
#[utoipa::path(
    post,
    path = "/account/customer-invitations/{id}/send",
    operation_id = "send_customer_invitation",
    tag = "customers",
    security(("session" = [])),
    params(InvitationPath),
    request_body = InvitationSend,
    responses(
        (status = 202, description = "Queued (now or before)", body = CustomerInvitation),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden`, or a step of signing in first", body = ApiErrorBody),
        (status = 404, description = "`not_found`: the account has no such invitation", body = ApiErrorBody),
        (status = 409, description = "`not_editable`: accepted, declined, expired or withdrawn", body = ApiErrorBody),
        (status = 415, description = "`json_required`", body = ApiErrorBody),
        (status = 422, description = "`required` on `admin_email` (the invitation has no address), `invalid_format` on `token` (not the invitation's); or `wrong_shape`", body = super::parameters::Unprocessable),
        (status = 429, description = "`too_many_codes`: the account emailed 50 invitations in the last day", body = ApiErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until another may be emailed"))),
    ),
)]
pub async fn send_invitation(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<InvitationSend>,
) -> Result<Response, ApiFailure> {
    let (session, partner) = direct_partner(&state, &signed_in, Action::InviteCustomers).await?;
    let account = session.user.account_id.as_str();
    let token = body.token.trim().to_owned();
    let now = state.clock.now();
    let outcome = state
        .store
        .email_invitation(
            (account, &id),
            token_hash(body.token.trim()),
            now,
            limits::INVITATION_EMAILS_PER_DAY,
            Box::new(move |invitation| {
                // The link as the partner was given it, on the page it
                // was made for.
                let link = invitation_link(&invitation.link_base, &invitation.id, &token);
                mail::invitation_email(&partner, invitation, &link, now)
            }),
        )
        .await?
        .ok_or_else(ApiFailure::not_found)?;
    match outcome {
        InvitationEmailed::Emailed(invitation) => {
            Ok((StatusCode::ACCEPTED, Json(listed(*invitation))).into_response())
        }
        InvitationEmailed::NoAddress => Err(invalid_at("admin_email", ProblemCode::Required)),
        InvitationEmailed::WrongToken => Err(invalid_at("token", ProblemCode::InvalidFormat)),
        InvitationEmailed::NotOpen => Err(ApiFailure::new(
            StatusCode::CONFLICT,
            ErrorCode::NotEditable,
        )),
        InvitationEmailed::DayFull { retry_after_secs } => Err(ApiFailure::throttled(
            ErrorCode::TooManyCodes,
            Duration::from_secs(retry_after_secs),
        )),
    }
}

/// A customer as its partner's users see it, with its admin
/// relationships.
pub(super) fn customer_view(
    customer: StoredCustomer,
    relationships: Vec<AdminRelationship>,
) -> Customer {
    Customer {
        id: customer.id,
        company: CustomerSummary {
            company_name: customer.company_name,
            country: customer.country,
            tenant_domain: customer.tenant_domain,
        },
        admin_email: customer.admin_email,
        locale: customer.locale,
        reseller_relationship: ResellerRelationship {
            status: customer.relationship,
            since: iso(customer.since),
        },
        invitation_id: customer.invitation_id,
        admin_relationships: relationships,
    }
}

/// The customers
///
/// The direct partner's customers, by company name, each with its
/// reseller relationship.
#[utoipa::path(
    get,
    path = "/account/customers",
    operation_id = "list_customers",
    tag = "customers",
    security(("session" = [])),
    responses(
        (status = 200, description = "The customers", body = Customers),
        (status = 401, description = "`session_required` or `session_expired`", body = ApiErrorBody),
        (status = 403, description = "`forbidden` (global admins, admin agents and sales agents of a direct partner), or a step of signing in first", body = ApiErrorBody),
    ),
)]
pub async fn list_customers(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Customers>, ApiFailure> {
    let (session, _) = direct_partner(&state, &signed_in, Action::ViewCustomers).await?;
    let account = session.user.account_id.as_str();
    let mut relationships = state.store.relationships(account, None).await?;
    let mut items: Vec<Customer> = state
        .store
        .customers(account)
        .await?
        .into_iter()
        .map(|customer| {
            let (theirs, others) = relationships
                .drain(..)
                .partition(|r| r.customer_id == customer.id);
            relationships = others;
            customer_view(customer, theirs.into_iter().map(shown).collect())
        })
        .collect();
    // Those with a relationship expiring soon first, the soonest first
    // (RFC 3339 in UTC sorts as time does); the others keep their order.
    let soonest = |c: &Customer| {
        c.admin_relationships
            .iter()
            .filter(|r| r.status == RelationshipStatus::Expiring)
            .filter_map(|r| r.ends_at.clone())
            .min()
    };
    items.sort_by_cached_key(|c| soonest(c).map_or((1, String::new()), |end| (0, end)));
    Ok(Json(Customers { items }))
}
