//! A direct partner's customers: the invitations it makes, the customer's
//! side of one (opened by its token), and the customers it has.

use serde::{Deserialize, Serialize};

use crate::admin_relationship::RelationshipStatus;
use crate::customer::InvitationStatus;
use crate::outbox::Delivery;

/// The email text a partner sends a customer (or has the product send):
/// in the customer's language, the link in its body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct InvitationEmail {
    pub subject: String,
    pub body: String,
}

/// `POST /account/customer-invitations` answered. No `Debug`: the link
/// holds the token that opens the invitation, shown only here (its hash
/// is kept).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct CustomerInvitationCreated {
    pub id: String,
    pub status: InvitationStatus,
    /// The customer's page: `<page>#invitation=<id>.<token>` (the token in
    /// the fragment, which no browser sends to a server).
    pub link: String,
    /// The token alone, for `POST …/{id}/send`.
    pub token: String,
    /// When the link stops working (UTC, RFC 3339): 30 days on.
    pub expires_at: String,
    pub email: InvitationEmail,
}

/// An invitation as the partner's users list it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CustomerInvitation {
    pub id: String,
    pub company_name: String,
    /// Empty when the partner did not give it.
    pub admin_email: String,
    pub locale: String,
    pub status: InvitationStatus,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub expires_at: String,
    /// When the product emailed it, if it did.
    pub emailed_at: Option<String>,
    /// When the customer accepted, declined, or the partner withdrew it.
    pub answered_at: Option<String>,
}

/// `GET /account/customer-invitations`: newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CustomerInvitations {
    pub items: Vec<CustomerInvitation>,
}

/// `POST /account/customer-invitations/{id}/send`: the token the invitation
/// was made with (only its hash is kept, and the emailed link needs it).
/// No `Debug`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Default)]
#[serde(default)]
pub struct InvitationSend {
    pub token: String,
}

/// The partner that invites, as the customer sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct InvitingPartner {
    /// Its legal name.
    pub name: String,
    /// From its business profile; empty without one.
    pub website: String,
    pub logo_url: Option<String>,
    /// Where it sells (ISO 3166-1 alpha-2): the customer must be there too.
    pub country: String,
}

/// `GET /invitations/{id}`: the invitation as its customer sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct InvitationView {
    pub id: String,
    pub status: InvitationStatus,
    pub partner: InvitingPartner,
    /// The company as the partner named it.
    pub company_name: String,
    /// The address the partner gave for the customer's admin, if any (the
    /// one proven may differ).
    pub admin_email: String,
    /// The language the partner chose for the customer.
    pub locale: String,
    pub expires_at: String,
    /// The customer admin's address once proven with a code.
    pub proven_email: Option<String>,
    /// While the address is not proven: where the newest code's email is;
    /// `null` before any.
    pub code_delivery: Option<Delivery>,
    /// Once accepted: the customer as the relationship records it.
    pub customer: Option<CustomerSummary>,
}

/// `POST /invitations/{id}/email/code`: the customer admin's address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct InvitationAddress {
    /// A work address, by the admin's rules.
    pub email: String,
}

/// `POST /invitations/{id}/email/verify`. No `Debug`: the code proves an
/// address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Default)]
#[serde(default)]
pub struct InvitationCode {
    /// The 6 digits from the email (spaces are fine).
    pub code: String,
}

/// A customer's company and tenant, as the relationship records them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CustomerSummary {
    pub company_name: String,
    pub country: String,
    /// Lower case, `<name>.onmicrosoft.com`.
    pub tenant_domain: String,
}

/// A reseller relationship: the partner resells to the customer's tenant.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ResellerRelationship {
    /// `active`.
    pub status: String,
    /// When the customer accepted (UTC, RFC 3339).
    pub since: String,
}

/// A customer as its partner's users see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    #[serde(flatten)]
    pub company: CustomerSummary,
    /// The customer's admin, who accepted (their proven address).
    pub admin_email: String,
    /// The customer's language.
    pub locale: String,
    pub reseller_relationship: ResellerRelationship,
    /// The invitation it came from.
    pub invitation_id: String,
    /// Its admin relationships, newest first.
    pub admin_relationships: Vec<AdminRelationship>,
}

/// `GET /account/customers`: those with an admin relationship expiring
/// within 30 days first (soonest first), then by company name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Customers {
    pub items: Vec<Customer>,
}

/// An admin relationship as both sides see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AdminRelationship {
    pub id: String,
    pub customer_id: String,
    /// Shown to the customer.
    pub name: String,
    pub duration_days: u32,
    /// `AdminRole` codes.
    pub roles: Vec<String>,
    pub auto_extend: bool,
    pub status: RelationshipStatus,
    /// UTC, RFC 3339.
    pub created_at: String,
    /// While approval is pending: when the request expires unanswered.
    pub request_expires_at: Option<String>,
    pub approved_at: Option<String>,
    /// Once approved: when it ends (moved by each auto-extension).
    pub ends_at: Option<String>,
    pub ended_at: Option<String>,
    /// `partner` or `customer`, for one terminated or rejected.
    pub ended_by: Option<String>,
}

/// `GET /account/customers/{id}/admin-relationships`: newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AdminRelationships {
    pub items: Vec<AdminRelationship>,
}

/// `POST /account/customers/{id}/admin-relationships` answered. No
/// `Debug`: the link holds the token that opens the customer's page,
/// shown only here (its hash is kept).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct AdminRelationshipCreated {
    pub relationship: AdminRelationship,
    /// The customer's page: `<page>#admin-relationship=<id>.<token>`; it
    /// was emailed to the customer's admin too.
    pub link: String,
}

/// `PATCH /account/customers/{id}/admin-relationships/{rid}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct AutoExtendChange {
    pub auto_extend: bool,
}

/// A built-in admin role, named and explained in the reader's language.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AdminRoleView {
    pub code: String,
    pub name: String,
    pub description: String,
}

/// `GET /admin-relationship-requests/{id}`: the relationship as the
/// customer's admin sees it, with who asks and each role explained.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AdminRelationshipRequest {
    #[serde(flatten)]
    pub relationship: AdminRelationship,
    pub partner: InvitingPartner,
    pub customer: CustomerSummary,
    /// The roles asked for, in the request's language.
    pub role_details: Vec<AdminRoleView>,
}

/// A role template: roles, a duration and auto-extend a partner saved
/// under a name, to ask for again.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RelationshipTemplate {
    pub id: String,
    /// The template's name (unique among the partner's), its roles, its
    /// duration and auto-extend.
    #[serde(flatten)]
    pub template: crate::admin_relationship::NewAdminRelationship,
}

/// `GET /account/admin-relationship-templates`: by name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RelationshipTemplates {
    pub items: Vec<RelationshipTemplate>,
}
