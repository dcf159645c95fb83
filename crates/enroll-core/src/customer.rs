//! A direct partner's customers: the invitation to a reseller relationship
//! a partner makes for one customer, what the customer answers, and the
//! resale rule (seed fact 5), stated once.
//!
//! The vendor's page: "a CSP partner cannot resell online services to
//! another CSP partner … this restriction only applies to the tenant used
//! for conducting CSP transactions". So a tenant that an approved partner
//! declared for CSP transactions may not buy; the same partner's corporate
//! tenant may. Beyond it, a partner cannot be its own customer, and CSP
//! markets are per country, so the customer is in the partner's country.

use serde::{Deserialize, Serialize};

use crate::email::email_problems_at;
use crate::reference::{Lookup, ReferenceData};
use crate::tenant::{normalize_tenant_domain, tenant_domain_problem};
use crate::text::required_line;
use crate::{Answers, Problem, ProblemCode, ValidationReport};

/// The numbers of customers' invitations (the issue's), one place.
pub mod limits {
    /// An invitation's link works this long after it is made.
    pub const INVITATION_SECS: u64 = 30 * 86_400;
    /// Invitations the product emails for one partner a day (the others
    /// the partner sends itself).
    pub const INVITATION_EMAILS_PER_DAY: u32 = 50;
    /// Characters in a company's name.
    pub const COMPANY_NAME_MAX_CHARS: usize = 100;
}

/// Where an invitation to a reseller relationship stands. Only a sent one
/// can be answered or withdrawn; the others are final.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Made, its link given; the customer may answer.
    Sent,
    /// The customer accepted: a reseller relationship.
    Accepted,
    Declined,
    /// Unanswered after 30 days.
    Expired,
    /// The partner took it back.
    Withdrawn,
}

impl InvitationStatus {
    pub const ALL: [Self; 5] = [
        Self::Sent,
        Self::Accepted,
        Self::Declined,
        Self::Expired,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The status as stored, seen at `now`: a sent invitation past its
    /// end is expired, whether or not anything wrote so yet.
    pub fn at(self, now: u64, expires_at: u64) -> Self {
        match self {
            Self::Sent if now >= expires_at => Self::Expired,
            other => other,
        }
    }

    /// Whether the customer may still answer it, or the partner withdraw
    /// it.
    pub fn is_open(self) -> bool {
        self == Self::Sent
    }
}

/// `POST /account/customer-invitations`: the customer a partner invites.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct NewInvitation {
    /// The customer's company, as the partner knows it (the customer
    /// names it again when accepting).
    pub company_name: String,
    /// The customer admin's address, if the partner knows it: the product
    /// can then send the invitation itself. Empty when not known.
    pub admin_email: String,
    /// The customer's language (`zh-CN`): of the email text and of the
    /// customer's page.
    pub locale: String,
    /// The customer's page the link opens (with `data-start="invitation"`):
    /// an address on one of the configured host origins; defaults to the
    /// server's `/invitation.html`.
    pub link_base: Option<String>,
}

impl NewInvitation {
    /// As typed, without the spaces around each answer.
    pub fn trimmed(&self) -> Self {
        Self {
            company_name: self.company_name.trim().to_owned(),
            admin_email: self.admin_email.trim().to_owned(),
            locale: self.locale.trim().to_owned(),
            link_base: self.link_base.clone(),
        }
    }

    /// What is wrong with it. Call on `trimmed()`.
    pub fn validate(&self, reference: &ReferenceData) -> ValidationReport {
        let mut errors = Vec::new();
        errors.extend(company_name_problem("company_name", &self.company_name));
        let mut warnings = Vec::new();
        if !self.admin_email.is_empty() {
            let (wrong, doubtful) = email_problems_at("admin_email", &self.admin_email, reference);
            errors.extend(wrong);
            warnings.extend(doubtful);
        }
        if crate::Locale::from_tag(&self.locale).is_none() {
            errors.push(Problem::at("locale", ProblemCode::InvalidFormat));
        }
        ValidationReport::from_problems(errors, warnings)
    }
}

/// `POST /invitations/{id}/accept`: the customer's company, its country,
/// and the tenant the reseller relationship is for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct InvitationAcceptance {
    pub company_name: String,
    /// ISO 3166-1 alpha-2 (`CN`).
    pub country: String,
    /// The tenant's initial domain, `<name>.onmicrosoft.com`.
    pub tenant_domain: String,
}

impl InvitationAcceptance {
    /// As typed, without the spaces around each answer; the tenant as the
    /// wizard stores tenants (lower case) and the country in capitals.
    pub fn trimmed(&self) -> Self {
        Self {
            company_name: self.company_name.trim().to_owned(),
            country: self.country.trim().to_ascii_uppercase(),
            tenant_domain: normalize_tenant_domain(&self.tenant_domain),
        }
    }

    /// What is wrong with the answers themselves (the resale rule is
    /// `resale_refusals`, which needs the partners). Call on `trimmed()`.
    pub fn validate(&self, reference: &ReferenceData) -> ValidationReport {
        let mut errors = Vec::new();
        errors.extend(company_name_problem("company_name", &self.company_name));
        if self.country.is_empty() {
            errors.push(Problem::at("country", ProblemCode::Required));
        } else if matches!(reference.address_format(&self.country), Lookup::Absent) {
            errors.push(Problem::at("country", ProblemCode::UnknownCountry));
        }
        errors.extend(tenant_domain_problem("tenant_domain", &self.tenant_domain));
        ValidationReport::from_problems(errors, Vec::new())
    }
}

fn company_name_problem(path: &str, name: &str) -> Option<Problem> {
    required_line(path, name, limits::COMPANY_NAME_MAX_CHARS)
}

/// An approved partner's country and tenants, as its application declared
/// them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerTenants {
    /// The partner's account.
    pub account_id: String,
    /// Where the partner is (its address's country): its CSP market.
    pub country: String,
    /// The tenant for CSP transactions, normalised.
    pub csp_domain: String,
    /// The tenant for its own use, normalised; empty when none.
    pub corporate_domain: String,
}

impl PartnerTenants {
    /// The tenants of the partner `account_id`, from its application's
    /// answers.
    pub fn of(account_id: &str, answers: &Answers) -> Self {
        Self {
            account_id: account_id.to_owned(),
            country: answers.address.country.trim().to_ascii_uppercase(),
            csp_domain: normalize_tenant_domain(&answers.tenant.csp_domain),
            corporate_domain: normalize_tenant_domain(&answers.tenant.corporate_domain),
        }
    }

    fn holds(&self, tenant: &str) -> bool {
        self.csp_domain == tenant
            || (!self.corporate_domain.is_empty() && self.corporate_domain == tenant)
    }
}

/// The resale rule: why `acceptance` (trimmed and valid) may not become a
/// customer of `inviter`, given every approved partner's tenants
/// (`partners`, which may include the inviter) and the tenants of the
/// inviter's customers (`customers`, normalised). Each refusal is a
/// problem on its field; none, and the relationship may be made.
pub fn resale_refusals(
    acceptance: &InvitationAcceptance,
    inviter: &PartnerTenants,
    partners: &[PartnerTenants],
    customers: &[String],
) -> Vec<Problem> {
    let tenant = normalize_tenant_domain(&acceptance.tenant_domain);
    let mut refusals = Vec::new();
    if customers.contains(&tenant) {
        // One reseller relationship per tenant and partner.
        refusals.push(Problem::at("tenant_domain", ProblemCode::AlreadyCustomer));
    } else if inviter.holds(&tenant) {
        refusals.push(Problem::at("tenant_domain", ProblemCode::OwnTenant));
    } else if partners
        .iter()
        .any(|p| p.account_id != inviter.account_id && p.csp_domain == tenant)
    {
        // Seed fact 5. Another partner's corporate tenant is not refused.
        refusals.push(Problem::at(
            "tenant_domain",
            ProblemCode::CspTenantOfAnotherPartner,
        ));
    }
    if acceptance.country != inviter.country {
        refusals.push(Problem::at("country", ProblemCode::OtherCountry));
    }
    refusals
}

#[cfg(test)]
mod tests;
