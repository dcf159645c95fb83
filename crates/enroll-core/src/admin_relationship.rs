//! Admin relationships (Partner Center's granular delegated admin
//! privileges): a direct partner asks an active customer for admin roles
//! in its tenant for a time; the customer's admin approves or rejects.
//! Their rules and their lifecycle, stated once: one table of states ×
//! events, like the application's status table.
//!
//! ```text
//! created ──send──> approval_pending ──approve──> active ──(30 days before the end)──> expiring
//!                      │   └─reject─┐               │  ▲                                  │
//!                      │            ▼               │  └──── auto-extend by 180 days ─────┤
//!                      │        terminated <── terminate (either side, from any open) ───┤
//!                      └─90 days unanswered──> expired <──────────── the end ────────────┘
//! ```

use serde::{Deserialize, Serialize};

use crate::text::required_line;
use crate::{MessageKey, Problem, ProblemCode, ValidationReport};

/// The numbers of admin relationships (the issue's), one place.
pub mod limits {
    /// Characters in a relationship's name (shown to the customer).
    pub const NAME_MAX_CHARS: usize = 50;
    /// A relationship lasts at least this many days,
    pub const MIN_DURATION_DAYS: u32 = 1;
    /// at most this many,
    pub const MAX_DURATION_DAYS: u32 = 730;
    /// and this many unless the partner says otherwise.
    pub const DEFAULT_DURATION_DAYS: u32 = 730;
    /// An auto-extended relationship gains this many days at its end.
    pub const AUTO_EXTEND_DAYS: u64 = 180;
    /// A request the customer has not answered in this many days expires.
    pub const REQUEST_DAYS: u64 = 90;
    /// An active relationship is expiring from this many days before its
    /// end,
    pub const EXPIRING_DAYS: u64 = 30;
    /// and both sides are reminded this many days before it.
    pub const REMINDER_DAYS: [u64; 3] = [30, 7, 1];
}

const DAY: u64 = 86_400;

/// Where an admin relationship stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipStatus {
    /// Made by the partner, its link not yet given.
    Created,
    /// Waiting for the customer's admin to approve or reject it.
    ApprovalPending,
    Active,
    /// Active, within 30 days of its end (and not auto-extended).
    Expiring,
    /// Its end passed, or the request went unanswered for 90 days.
    Expired,
    /// Ended by either side, or rejected by the customer.
    Terminated,
}

impl RelationshipStatus {
    pub const ALL: [Self; 6] = [
        Self::Created,
        Self::ApprovalPending,
        Self::Active,
        Self::Expiring,
        Self::Expired,
        Self::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::ApprovalPending => "approval_pending",
            Self::Active => "active",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
            Self::Terminated => "terminated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether it gives the partner its roles now.
    pub fn grants_roles(self) -> bool {
        matches!(self, Self::Active | Self::Expiring)
    }

    /// Whether it is over (nothing moves it any more).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Expired | Self::Terminated)
    }
}

/// Who ends a relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Partner,
    Customer,
}

/// What happens to a relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The partner gives the customer the link (the request is made).
    Send,
    /// The customer's admin approves, at this time.
    Approve { at: u64 },
    /// The customer's admin rejects.
    Reject,
    /// One side ends it.
    Terminate(Side),
    /// The clock reaches this time (the runner looks often).
    Tick { now: u64 },
}

/// A relationship's moving parts: its status, when the request was made,
/// when it ends (once active), and whether it extends itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifecycle {
    pub status: RelationshipStatus,
    /// When it was sent for approval (its 90 days count from here).
    pub requested_at: u64,
    /// When it ends, once approved.
    pub ends_at: Option<u64>,
    pub duration_days: u32,
    pub auto_extend: bool,
}

/// Why an event does not apply in a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotNow;

impl Lifecycle {
    /// The relationship after `event`, or `NotNow` when the event does not
    /// apply to it in its status. The one table of states × events.
    pub fn after(self, event: Event) -> Result<Self, NotNow> {
        use Event::*;
        use RelationshipStatus::*;
        let status = self.status;
        match (status, event) {
            (Created, Send) => Ok(Self {
                status: ApprovalPending,
                ..self
            }),
            (ApprovalPending, Approve { at }) if at < self.request_ends() => Ok(Self {
                status: Active,
                ends_at: Some(at + u64::from(self.duration_days) * DAY),
                ..self
            })
            .map(|approved| approved.settled(at)),
            (ApprovalPending, Reject) => Ok(Self {
                status: Terminated,
                ..self
            }),
            (Created | ApprovalPending | Active | Expiring, Terminate(_)) => Ok(Self {
                status: Terminated,
                ..self
            }),
            (ApprovalPending, Tick { now }) if now >= self.request_ends() => Ok(Self {
                status: Expired,
                ..self
            }),
            (Active | Expiring, Tick { now }) => Ok(self.settled(now)),
            (_, Tick { .. }) => Ok(self),
            _ => Err(NotNow),
        }
    }

    /// When an unanswered request expires.
    fn request_ends(self) -> u64 {
        self.requested_at + limits::REQUEST_DAYS * DAY
    }

    /// An active or expiring relationship as it stands at `now`: extended
    /// past its end if it may be (180 days at a time, until the end is
    /// ahead), else expired at its end, expiring within 30 days of it.
    fn settled(self, now: u64) -> Self {
        let Some(mut ends_at) = self.ends_at else {
            return self;
        };
        if self.auto_extend {
            while now >= ends_at {
                ends_at += limits::AUTO_EXTEND_DAYS * DAY;
            }
        }
        let status = if now >= ends_at {
            RelationshipStatus::Expired
        } else if now + limits::EXPIRING_DAYS * DAY >= ends_at && !self.auto_extend {
            RelationshipStatus::Expiring
        } else {
            RelationshipStatus::Active
        };
        Self {
            status,
            ends_at: Some(ends_at),
            ..self
        }
    }

    /// The reminder due at `now` (30, 7 or 1 days before the end), the
    /// latest of those whose day has come: the runner sends each once.
    pub fn reminder_due(self, now: u64) -> Option<u64> {
        let ends_at = self.ends_at.filter(|_| self.status.grants_roles())?;
        if self.auto_extend {
            return None;
        }
        limits::REMINDER_DAYS
            .into_iter()
            .filter(|days| now + days * DAY >= ends_at && now < ends_at)
            .min()
    }
}

/// The built-in admin roles a relationship may ask for (Microsoft Entra's
/// names, a fixed list). Each is named and explained in both languages in
/// the partners' book (`admin_role.<code>.name`, `….description`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum AdminRole {
    GlobalAdministrator,
    GlobalReader,
    DirectoryReaders,
    UserAdministrator,
    HelpdeskAdministrator,
    PrivilegedAuthenticationAdministrator,
    LicenseAdministrator,
    BillingAdministrator,
    ServiceSupportAdministrator,
    ExchangeAdministrator,
    SharepointAdministrator,
    TeamsAdministrator,
    SecurityAdministrator,
    SecurityReader,
    CloudApplicationAdministrator,
    IntuneAdministrator,
}

impl AdminRole {
    pub const ALL: [Self; 16] = [
        Self::GlobalAdministrator,
        Self::GlobalReader,
        Self::DirectoryReaders,
        Self::UserAdministrator,
        Self::HelpdeskAdministrator,
        Self::PrivilegedAuthenticationAdministrator,
        Self::LicenseAdministrator,
        Self::BillingAdministrator,
        Self::ServiceSupportAdministrator,
        Self::ExchangeAdministrator,
        Self::SharepointAdministrator,
        Self::TeamsAdministrator,
        Self::SecurityAdministrator,
        Self::SecurityReader,
        Self::CloudApplicationAdministrator,
        Self::IntuneAdministrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GlobalAdministrator => "global_administrator",
            Self::GlobalReader => "global_reader",
            Self::DirectoryReaders => "directory_readers",
            Self::UserAdministrator => "user_administrator",
            Self::HelpdeskAdministrator => "helpdesk_administrator",
            Self::PrivilegedAuthenticationAdministrator => {
                "privileged_authentication_administrator"
            }
            Self::LicenseAdministrator => "license_administrator",
            Self::BillingAdministrator => "billing_administrator",
            Self::ServiceSupportAdministrator => "service_support_administrator",
            Self::ExchangeAdministrator => "exchange_administrator",
            Self::SharepointAdministrator => "sharepoint_administrator",
            Self::TeamsAdministrator => "teams_administrator",
            Self::SecurityAdministrator => "security_administrator",
            Self::SecurityReader => "security_reader",
            Self::CloudApplicationAdministrator => "cloud_application_administrator",
            Self::IntuneAdministrator => "intune_administrator",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// Its name, in the partners' book.
    pub fn name_key(self) -> MessageKey {
        self.keys().0
    }

    /// What it lets the partner do, in the partners' book.
    pub fn description_key(self) -> MessageKey {
        self.keys().1
    }

    fn keys(self) -> (MessageKey, MessageKey) {
        use crate::msg::partners::*;
        match self {
            Self::GlobalAdministrator => (
                ADMIN_ROLE_GLOBAL_ADMINISTRATOR_NAME,
                ADMIN_ROLE_GLOBAL_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::GlobalReader => (
                ADMIN_ROLE_GLOBAL_READER_NAME,
                ADMIN_ROLE_GLOBAL_READER_DESCRIPTION,
            ),
            Self::DirectoryReaders => (
                ADMIN_ROLE_DIRECTORY_READERS_NAME,
                ADMIN_ROLE_DIRECTORY_READERS_DESCRIPTION,
            ),
            Self::UserAdministrator => (
                ADMIN_ROLE_USER_ADMINISTRATOR_NAME,
                ADMIN_ROLE_USER_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::HelpdeskAdministrator => (
                ADMIN_ROLE_HELPDESK_ADMINISTRATOR_NAME,
                ADMIN_ROLE_HELPDESK_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::PrivilegedAuthenticationAdministrator => (
                ADMIN_ROLE_PRIVILEGED_AUTHENTICATION_ADMINISTRATOR_NAME,
                ADMIN_ROLE_PRIVILEGED_AUTHENTICATION_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::LicenseAdministrator => (
                ADMIN_ROLE_LICENSE_ADMINISTRATOR_NAME,
                ADMIN_ROLE_LICENSE_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::BillingAdministrator => (
                ADMIN_ROLE_BILLING_ADMINISTRATOR_NAME,
                ADMIN_ROLE_BILLING_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::ServiceSupportAdministrator => (
                ADMIN_ROLE_SERVICE_SUPPORT_ADMINISTRATOR_NAME,
                ADMIN_ROLE_SERVICE_SUPPORT_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::ExchangeAdministrator => (
                ADMIN_ROLE_EXCHANGE_ADMINISTRATOR_NAME,
                ADMIN_ROLE_EXCHANGE_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::SharepointAdministrator => (
                ADMIN_ROLE_SHAREPOINT_ADMINISTRATOR_NAME,
                ADMIN_ROLE_SHAREPOINT_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::TeamsAdministrator => (
                ADMIN_ROLE_TEAMS_ADMINISTRATOR_NAME,
                ADMIN_ROLE_TEAMS_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::SecurityAdministrator => (
                ADMIN_ROLE_SECURITY_ADMINISTRATOR_NAME,
                ADMIN_ROLE_SECURITY_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::SecurityReader => (
                ADMIN_ROLE_SECURITY_READER_NAME,
                ADMIN_ROLE_SECURITY_READER_DESCRIPTION,
            ),
            Self::CloudApplicationAdministrator => (
                ADMIN_ROLE_CLOUD_APPLICATION_ADMINISTRATOR_NAME,
                ADMIN_ROLE_CLOUD_APPLICATION_ADMINISTRATOR_DESCRIPTION,
            ),
            Self::IntuneAdministrator => (
                ADMIN_ROLE_INTUNE_ADMINISTRATOR_NAME,
                ADMIN_ROLE_INTUNE_ADMINISTRATOR_DESCRIPTION,
            ),
        }
    }
}

/// `POST /account/customers/{id}/admin-relationships`: what the partner
/// asks for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct NewAdminRelationship {
    /// Shown to the customer; unique among the partner's relationships.
    pub name: String,
    /// 1 to 730 days from approval.
    pub duration_days: u32,
    /// Codes of `AdminRole` (`GET /reference/admin-roles`).
    pub roles: Vec<String>,
    /// Extend by 180 days at each end (never with Global Administrator).
    pub auto_extend: bool,
}

impl Default for NewAdminRelationship {
    fn default() -> Self {
        Self {
            name: String::new(),
            duration_days: limits::DEFAULT_DURATION_DAYS,
            roles: Vec::new(),
            auto_extend: false,
        }
    }
}

impl NewAdminRelationship {
    /// As typed: the name without the spaces around it, each role once,
    /// in the list's order.
    pub fn trimmed(&self) -> Self {
        let mut roles: Vec<String> = Vec::new();
        for role in AdminRole::ALL {
            if self.roles.iter().any(|r| r.trim() == role.as_str()) {
                roles.push(role.as_str().to_owned());
            }
        }
        roles.extend(
            self.roles
                .iter()
                .map(|r| r.trim().to_owned())
                .filter(|r| AdminRole::parse(r).is_none()),
        );
        Self {
            name: self.name.trim().to_owned(),
            roles,
            ..self.clone()
        }
    }

    /// What is wrong with it, at its fields; `taken` says whether the
    /// partner has a relationship of that name already. Call on
    /// `trimmed()`.
    pub fn validate(&self, taken: bool) -> ValidationReport {
        let mut errors = Vec::new();
        errors.extend(required_line("name", &self.name, limits::NAME_MAX_CHARS));
        if taken && !self.name.is_empty() {
            errors.push(Problem::at("name", ProblemCode::NameTaken));
        }
        // Said as the other bounds are: "at least 1 day", "at most 730".
        if self.duration_days < limits::MIN_DURATION_DAYS {
            errors.push(
                Problem::at("duration_days", ProblemCode::TooShort)
                    .with_param("min", limits::MIN_DURATION_DAYS.to_string()),
            );
        } else if self.duration_days > limits::MAX_DURATION_DAYS {
            errors.push(
                Problem::at("duration_days", ProblemCode::TooLong)
                    .with_param("max", limits::MAX_DURATION_DAYS.to_string()),
            );
        }
        if self.roles.is_empty() {
            errors.push(Problem::at("roles", ProblemCode::Required));
        }
        for unknown in self.roles.iter().filter(|r| AdminRole::parse(r).is_none()) {
            errors.push(
                Problem::at("roles", ProblemCode::InvalidFormat)
                    .with_param("value", unknown.clone()),
            );
        }
        errors.extend(auto_extend_problem(self.auto_extend, &self.roles));
        ValidationReport::from_problems(errors, Vec::new())
    }
}

/// Auto-extend is refused while Global Administrator is among the roles
/// (Partner Center: such a relationship must be asked for again), when a
/// relationship is made and when auto-extend is turned on later.
pub fn auto_extend_problem(auto_extend: bool, roles: &[String]) -> Option<Problem> {
    let global = AdminRole::GlobalAdministrator.as_str();
    (auto_extend && roles.iter().any(|r| r == global))
        .then(|| Problem::at("auto_extend", ProblemCode::AutoExtendGlobalAdmin))
}

#[cfg(test)]
mod tests;
