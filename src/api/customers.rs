//! A direct partner's customers: the partner's side (its invitations, its
//! customers, their admin relationships and its role templates, as a
//! signed-in user), and the customer's side of one invitation or one
//! admin relationship, each opened by the token of its link. Such a token
//! is kept in memory only (and in the link the customer is given): never
//! in storage, a path, the URL's query or an event.

use super::{body_of, ApiClient, ApiFailure};
use enroll_core::admin_relationship::NewAdminRelationship;
use enroll_core::contract::{
    AdminEmailCode, AdminRelationship, AdminRelationshipCreated, AdminRelationshipRequest,
    AdminRelationships, AutoExtendChange, Customer, CustomerInvitation, CustomerInvitationCreated,
    CustomerInvitations, Customers, EmailCodeSent, InvitationAddress, InvitationCode,
    InvitationSend, InvitationView, RelationshipTemplate, RelationshipTemplates,
};
use enroll_core::customer::{InvitationAcceptance, NewInvitation};
use enroll_core::Locale;

const INVITATIONS: &str = "/account/customer-invitations";
const TEMPLATES: &str = "/account/admin-relationship-templates";

/// The invitation this tab answers: its id and the token that opens it
/// (`Debug` without the token).
#[derive(Clone, PartialEq, Eq)]
pub struct InvitationRef {
    pub id: String,
    pub token: String,
}

impl std::fmt::Debug for InvitationRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvitationRef")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// The admin relationship this tab shows its customer: its id and the
/// token of the link that opened it (`Debug` without the token).
#[derive(Clone, PartialEq, Eq)]
pub struct RelationshipRef {
    pub id: String,
    pub token: String,
}

impl std::fmt::Debug for RelationshipRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelationshipRef")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// What the customer's admin does with an admin relationship, with a
/// code emailed to them (the link alone is the partner's too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationshipAnswer {
    /// While approval is pending: active from now, for its duration.
    Approve,
    /// While approval is pending: it ends, nothing granted.
    Reject,
    /// At any time before it is over: it ends at once.
    End,
}

impl RelationshipAnswer {
    /// The last segment of its path.
    fn path(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::End => "terminate",
        }
    }
}

impl ApiClient {
    /// The partner's invitations, newest first.
    pub async fn customer_invitations(
        &self,
        token: &str,
        locale: Locale,
    ) -> Result<Vec<CustomerInvitation>, ApiFailure> {
        let (list, _): (CustomerInvitations, _) = self
            .send_as("GET", INVITATIONS, Some(token), None, locale)
            .await?;
        Ok(list.items)
    }

    /// Makes an invitation: its link, the token for sending it, and the
    /// email text, all shown once.
    pub async fn invite_customer(
        &self,
        token: &str,
        invitation: &NewInvitation,
        locale: Locale,
    ) -> Result<CustomerInvitationCreated, ApiFailure> {
        let body = body_of(invitation)?;
        self.post_as(INVITATIONS, Some(token), Some(body), locale)
            .await
    }

    /// Withdraws the invitation `id`: its link stops working.
    pub async fn withdraw_invitation(
        &self,
        token: &str,
        id: &str,
        locale: Locale,
    ) -> Result<CustomerInvitation, ApiFailure> {
        let path = format!("{INVITATIONS}/{id}");
        let (withdrawn, _) = self
            .send_as("DELETE", &path, Some(token), None, locale)
            .await?;
        Ok(withdrawn)
    }

    /// Has the product email the invitation `id` to the customer's admin;
    /// `invitation_token` is the one it was made with (the emailed link
    /// needs it, and the server keeps only its hash).
    pub async fn send_invitation(
        &self,
        token: &str,
        id: &str,
        invitation_token: &str,
        locale: Locale,
    ) -> Result<CustomerInvitation, ApiFailure> {
        let body = body_of(&InvitationSend {
            token: invitation_token.to_owned(),
        })?;
        let path = format!("{INVITATIONS}/{id}/send");
        self.post_as(&path, Some(token), Some(body), locale).await
    }

    /// The partner's customers.
    pub async fn customers(
        &self,
        token: &str,
        locale: Locale,
    ) -> Result<Vec<Customer>, ApiFailure> {
        let (list, _): (Customers, _) = self
            .send_as("GET", "/account/customers", Some(token), None, locale)
            .await?;
        Ok(list.items)
    }

    /// The admin relationships of the partner's customer `customer`,
    /// newest first, ended ones too.
    pub async fn admin_relationships(
        &self,
        token: &str,
        customer: &str,
        locale: Locale,
    ) -> Result<Vec<AdminRelationship>, ApiFailure> {
        let path = format!("/account/customers/{customer}/admin-relationships");
        let (list, _): (AdminRelationships, _) = self
            .send_as("GET", &path, Some(token), None, locale)
            .await?;
        Ok(list.items)
    }

    /// Asks the customer for an admin relationship: sent for approval at
    /// once, its link emailed to the customer's admin and shown here once.
    pub async fn request_admin_relationship(
        &self,
        token: &str,
        customer: &str,
        request: &NewAdminRelationship,
        locale: Locale,
    ) -> Result<AdminRelationshipCreated, ApiFailure> {
        let body = body_of(request)?;
        let path = format!("/account/customers/{customer}/admin-relationships");
        self.post_as(&path, Some(token), Some(body), locale).await
    }

    /// Turns auto-extend of relationship `id` of `customer` on or off
    /// (once approved, until it ends).
    pub async fn set_auto_extend(
        &self,
        token: &str,
        (customer, id): (&str, &str),
        auto_extend: bool,
        locale: Locale,
    ) -> Result<AdminRelationship, ApiFailure> {
        let body = body_of(&AutoExtendChange { auto_extend })?;
        let path = format!("/account/customers/{customer}/admin-relationships/{id}");
        let (changed, _) = self
            .send_as("PATCH", &path, Some(token), Some(body), locale)
            .await?;
        Ok(changed)
    }

    /// Ends relationship `id` of `customer` at once.
    pub async fn terminate_admin_relationship(
        &self,
        token: &str,
        (customer, id): (&str, &str),
        locale: Locale,
    ) -> Result<AdminRelationship, ApiFailure> {
        let path = format!("/account/customers/{customer}/admin-relationships/{id}");
        let (ended, _) = self
            .send_as("DELETE", &path, Some(token), None, locale)
            .await?;
        Ok(ended)
    }

    /// The partner's role templates, by name.
    pub async fn relationship_templates(
        &self,
        token: &str,
        locale: Locale,
    ) -> Result<Vec<RelationshipTemplate>, ApiFailure> {
        let (list, _): (RelationshipTemplates, _) = self
            .send_as("GET", TEMPLATES, Some(token), None, locale)
            .await?;
        Ok(list.items)
    }

    /// Saves `template` (its name the template's): every template.
    pub async fn save_relationship_template(
        &self,
        token: &str,
        template: &NewAdminRelationship,
        locale: Locale,
    ) -> Result<Vec<RelationshipTemplate>, ApiFailure> {
        let body = body_of(template)?;
        let list: RelationshipTemplates = self
            .post_as(TEMPLATES, Some(token), Some(body), locale)
            .await?;
        Ok(list.items)
    }

    /// Deletes the template `id`: the templates left.
    pub async fn delete_relationship_template(
        &self,
        token: &str,
        id: &str,
        locale: Locale,
    ) -> Result<Vec<RelationshipTemplate>, ApiFailure> {
        let path = format!("{TEMPLATES}/{id}");
        let (list, _): (RelationshipTemplates, _) = self
            .send_as("DELETE", &path, Some(token), None, locale)
            .await?;
        Ok(list.items)
    }

    /// The admin relationship as its customer sees it (who asks, each
    /// role explained).
    pub async fn admin_relationship_request(
        &self,
        relationship: &RelationshipRef,
        locale: Locale,
    ) -> Result<AdminRelationshipRequest, ApiFailure> {
        let path = format!("/admin-relationship-requests/{}", relationship.id);
        let (view, _) = self
            .send_as("GET", &path, Some(&relationship.token), None, locale)
            .await?;
        Ok(view)
    }

    /// Emails the customer's admin (the address that accepted the
    /// reseller relationship) a code to answer with.
    pub async fn send_admin_relationship_code(
        &self,
        relationship: &RelationshipRef,
        locale: Locale,
    ) -> Result<EmailCodeSent, ApiFailure> {
        let path = format!(
            "/admin-relationship-requests/{}/email/code",
            relationship.id
        );
        self.post_as(&path, Some(&relationship.token), None, locale)
            .await
    }

    /// The customer's answer with the emailed `code`: the relationship as
    /// it then stands.
    pub async fn answer_admin_relationship(
        &self,
        relationship: &RelationshipRef,
        (answer, code): (RelationshipAnswer, &str),
        locale: Locale,
    ) -> Result<AdminRelationshipRequest, ApiFailure> {
        let body = body_of(&AdminEmailCode {
            code: code.to_owned(),
        })?;
        let path = format!(
            "/admin-relationship-requests/{}/{}",
            relationship.id,
            answer.path()
        );
        self.post_as(&path, Some(&relationship.token), Some(body), locale)
            .await
    }

    /// The invitation as its customer sees it.
    pub async fn invitation(
        &self,
        invitation: &InvitationRef,
        locale: Locale,
    ) -> Result<InvitationView, ApiFailure> {
        let path = format!("/invitations/{}", invitation.id);
        let (view, _) = self
            .send_as("GET", &path, Some(&invitation.token), None, locale)
            .await?;
        Ok(view)
    }

    /// Emails a code to `email`, the customer admin's address.
    pub async fn send_invitation_code(
        &self,
        invitation: &InvitationRef,
        email: &str,
        locale: Locale,
    ) -> Result<EmailCodeSent, ApiFailure> {
        let body = body_of(&InvitationAddress {
            email: email.to_owned(),
        })?;
        self.answer_invitation(invitation, "email/code", Some(body), locale)
            .await
    }

    /// The emailed code: the invitation with the address proven.
    pub async fn verify_invitation_code(
        &self,
        invitation: &InvitationRef,
        code: &str,
        locale: Locale,
    ) -> Result<InvitationView, ApiFailure> {
        let body = body_of(&InvitationCode {
            code: code.to_owned(),
        })?;
        self.answer_invitation(invitation, "email/verify", Some(body), locale)
            .await
    }

    /// Accepts the invitation for the company's tenant: a reseller
    /// relationship.
    pub async fn accept_invitation(
        &self,
        invitation: &InvitationRef,
        acceptance: &InvitationAcceptance,
        locale: Locale,
    ) -> Result<InvitationView, ApiFailure> {
        let body = body_of(acceptance)?;
        self.answer_invitation(invitation, "accept", Some(body), locale)
            .await
    }

    pub async fn decline_invitation(
        &self,
        invitation: &InvitationRef,
        locale: Locale,
    ) -> Result<InvitationView, ApiFailure> {
        self.answer_invitation(invitation, "decline", None, locale)
            .await
    }

    /// A POST to `/invitations/{id}/<what>` with the invitation's token.
    async fn answer_invitation<T: serde::de::DeserializeOwned>(
        &self,
        invitation: &InvitationRef,
        what: &str,
        body: Option<serde_json::Value>,
        locale: Locale,
    ) -> Result<T, ApiFailure> {
        let path = format!("/invitations/{}/{what}", invitation.id);
        self.post_as(&path, Some(&invitation.token), body, locale)
            .await
    }
}
