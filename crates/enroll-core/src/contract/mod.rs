//! The bodies of the API's requests and answers that are not values of the
//! domain themselves (those live beside their rules: `Application`,
//! `AccountView`, `ProviderRequest`, ...). One type per body, used by the
//! server to read and write it and by the app to write and read it, so the
//! two cannot drift; the `openapi` feature describes each for the API's
//! document, with an example that a test of the API
//! (crates/enroll-api/tests/contract_examples.rs) decodes back into it.

mod account;
mod applications;
pub mod assets;
mod customers;
mod directory;
mod partner_requests;

pub use account::{Credentials, MfaCode, PasswordChange, TotpConfirmation, Users};
pub use applications::{
    AdminEmailCode, AdminEmailConfirmed, AdminEmailDelivery, CreatedApplication, DraftAnswers,
    EmailCodeSent, HistoryEntry, ResumeEmailQueued, ResumeEmailRequest, StatusHistory,
};
pub use customers::{
    AdminRelationship, AdminRelationshipCreated, AdminRelationshipRequest, AdminRelationships,
    AdminRoleView, AutoExtendChange, Customer, CustomerInvitation, CustomerInvitationCreated,
    CustomerInvitations, CustomerSummary, Customers, InvitationAddress, InvitationCode,
    InvitationEmail, InvitationSend, InvitationView, InvitingPartner, RelationshipTemplate,
    RelationshipTemplates, ResellerRelationship,
};
pub use directory::{MpnEntry, PartnershipRequest, ProviderRequests};
pub use partner_requests::{
    PartnerRequestCreated, PartnerRequestView, ReferralView, Referrals, RequestPartner,
    RequestProof,
};
