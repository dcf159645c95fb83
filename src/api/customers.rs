//! A direct partner's customers: the partner's side (its invitations and
//! its customers, as a signed-in user), and the customer's side of one
//! invitation, opened by the invitation's token. That token is kept in
//! memory only (and in the link the partner gives the customer): never in
//! storage, a path, the URL's query or an event.

use super::{body_of, ApiClient, ApiFailure};
use enroll_core::contract::{
    Customer, CustomerInvitation, CustomerInvitationCreated, CustomerInvitations, Customers,
    EmailCodeSent, InvitationAddress, InvitationCode, InvitationSend, InvitationView,
};
use enroll_core::customer::{InvitationAcceptance, NewInvitation};
use enroll_core::Locale;

const INVITATIONS: &str = "/account/customer-invitations";

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
