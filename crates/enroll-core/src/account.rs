//! The partner account after approval, stated once: the roles (Partner
//! Center's set), what each role may do and grant, the numbers of signing in, the rule for a
//! new password, and what a session may do at each stage of signing in.
//! The API enforces it; the app reads it to show only what a user may do.

use serde::{Deserialize, Serialize};

use crate::{msg, ErrorCode, MessageKey, ProblemCode};

mod passwords;
pub use passwords::*;

/// A role in the partner account, as Partner Center names it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    GlobalAdmin,
    AccountAdmin,
    UserManagementAdmin,
    BillingAdmin,
    AdminAgent,
    SalesAgent,
    HelpdeskAgent,
    BusinessProfileAdmin,
    ReferralsAdmin,
}

/// Something a signed-in user does in the account. Each route of the
/// account checks one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the account: the company, its status, oneself.
    ViewAccount,
    ListUsers,
    AddUser,
    ChangeUserRoles,
    RemoveUser,
    /// Email a user who has not signed in yet a new temporary password.
    ResendInvitation,
    ViewOrganizationProfile,
    EditOrganizationProfile,
    /// An indirect reseller's requests to providers, and their answers.
    ViewProviderRequests,
    /// Change one's own password, set up one's own second factor.
    ManageOwnSecurity,
    /// Prove another domain for the account's users' addresses.
    ProveDomain,
    /// See the business profile customers' requests are matched against.
    ViewBusinessProfile,
    /// Change it, its logo, and whether it is published.
    EditBusinessProfile,
    /// See the referrals customers' requests became (the contact only
    /// once accepted).
    ViewReferrals,
    /// Accept, decline or close a referral.
    AnswerReferrals,
    /// See a direct partner's customers and its invitations to them.
    ViewCustomers,
    /// Invite a customer to a reseller relationship, send or withdraw the
    /// invitation.
    InviteCustomers,
    /// Ask a customer for an admin relationship, change its auto-extend,
    /// end it; keep role templates.
    ManageAdminRelationships,
}

impl Action {
    /// Whether only a direct partner's users may do it: customers are
    /// associated with a direct partner (an indirect reseller's come
    /// through its provider).
    pub fn needs_direct_partner(self) -> bool {
        matches!(
            self,
            Self::ViewCustomers | Self::InviteCustomers | Self::ManageAdminRelationships
        )
    }
}

/// One row of the table: a role, what it may do, and which roles it may
/// give to (or take from) another user.
/// The last is stated per role, never derived from the actions, so that an
/// action added later cannot silently widen who may grant what.
struct Grant {
    role: Role,
    actions: &'static [Action],
    grants: &'static [Role],
}

use Action::*;

/// Every user: see the account and the organization's profile, and look
/// after their own sign-in.
const EVERYONE: &[Action] = &[ViewAccount, ViewOrganizationProfile, ManageOwnSecurity];

/// Managing users (who may grant global admin: `may_assign`).
const USERS: &[Action] = &[
    ListUsers,
    AddUser,
    ChangeUserRoles,
    RemoveUser,
    ResendInvitation,
];

/// What a user management admin may grant: the agents and the profile and
/// referral roles, none of which can do more than it (edit the organization
/// profile, see the money, or manage the account as a whole).
const STAFF: &[Role] = &[
    Role::UserManagementAdmin,
    Role::AdminAgent,
    Role::SalesAgent,
    Role::HelpdeskAgent,
    Role::BusinessProfileAdmin,
    Role::ReferralsAdmin,
];

/// What an account admin may grant: every role but global admin.
const ALL_BUT_GLOBAL_ADMIN: &[Role] = &[
    Role::AccountAdmin,
    Role::UserManagementAdmin,
    Role::BillingAdmin,
    Role::AdminAgent,
    Role::SalesAgent,
    Role::HelpdeskAgent,
    Role::BusinessProfileAdmin,
    Role::ReferralsAdmin,
];

/// The table, from Partner Center's roles. Every user, whatever the roles,
/// signs in with a second factor (`SessionStage`): the vendor's partner
/// security requirements ask it of every user in a partner's tenant.
const GRANTS: [Grant; 9] = [
    grant(
        Role::GlobalAdmin,
        &[
            ViewAccount,
            ListUsers,
            AddUser,
            ChangeUserRoles,
            RemoveUser,
            ResendInvitation,
            ViewOrganizationProfile,
            EditOrganizationProfile,
            ViewProviderRequests,
            ManageOwnSecurity,
            ProveDomain,
            ViewBusinessProfile,
            EditBusinessProfile,
            ViewReferrals,
            AnswerReferrals,
            ViewCustomers,
            InviteCustomers,
            ManageAdminRelationships,
        ],
        &Role::ALL,
    ),
    // The profile and the users, but not global admins.
    grant(
        Role::AccountAdmin,
        &[
            ViewAccount,
            ListUsers,
            AddUser,
            ChangeUserRoles,
            RemoveUser,
            ResendInvitation,
            ViewOrganizationProfile,
            EditOrganizationProfile,
            ViewProviderRequests,
            ManageOwnSecurity,
            // Reads the business profile; its own admin edits it.
            ViewBusinessProfile,
        ],
        ALL_BUT_GLOBAL_ADMIN,
    ),
    grant(Role::UserManagementAdmin, USERS, STAFF),
    grant(Role::BillingAdmin, EVERYONE, &[]),
    // Admin agents look after customers, through providers too, and hold
    // the admin relationships with them (Partner Center: "Admin agents").
    grant(
        Role::AdminAgent,
        &[
            ViewProviderRequests,
            ViewCustomers,
            InviteCustomers,
            ManageAdminRelationships,
        ],
        &[],
    ),
    // Sales agents sell, through providers too: both invite customers
    // (Partner Center: "request a reseller relationship").
    grant(
        Role::SalesAgent,
        &[ViewProviderRequests, ViewCustomers, InviteCustomers],
        &[],
    ),
    grant(Role::HelpdeskAgent, EVERYONE, &[]),
    grant(
        Role::BusinessProfileAdmin,
        &[ViewBusinessProfile, EditBusinessProfile],
        &[],
    ),
    // Answers the referrals, and reads the profile they were matched
    // against.
    grant(
        Role::ReferralsAdmin,
        &[ViewBusinessProfile, ViewReferrals, AnswerReferrals],
        &[],
    ),
];

const fn grant(role: Role, actions: &'static [Action], grants: &'static [Role]) -> Grant {
    Grant {
        role,
        actions,
        grants,
    }
}

impl Role {
    /// The role's name, as the account's pages show it.
    pub fn label_key(self) -> MessageKey {
        use msg::account::*;
        match self {
            Self::GlobalAdmin => ROLE_GLOBAL_ADMIN,
            Self::AccountAdmin => ROLE_ACCOUNT_ADMIN,
            Self::UserManagementAdmin => ROLE_USER_MANAGEMENT_ADMIN,
            Self::BillingAdmin => ROLE_BILLING_ADMIN,
            Self::AdminAgent => ROLE_ADMIN_AGENT,
            Self::SalesAgent => ROLE_SALES_AGENT,
            Self::HelpdeskAgent => ROLE_HELPDESK_AGENT,
            Self::BusinessProfileAdmin => ROLE_BUSINESS_PROFILE_ADMIN,
            Self::ReferralsAdmin => ROLE_REFERRALS_ADMIN,
        }
    }

    pub const ALL: [Role; 9] = [
        Role::GlobalAdmin,
        Role::AccountAdmin,
        Role::UserManagementAdmin,
        Role::BillingAdmin,
        Role::AdminAgent,
        Role::SalesAgent,
        Role::HelpdeskAgent,
        Role::BusinessProfileAdmin,
        Role::ReferralsAdmin,
    ];

    /// Its row of the table; none for a role the table lacks, which then
    /// may do nothing: a row forgotten fails closed.
    fn grant(self) -> Option<&'static Grant> {
        GRANTS.iter().find(|g| g.role == self)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GlobalAdmin => "global_admin",
            Self::AccountAdmin => "account_admin",
            Self::UserManagementAdmin => "user_management_admin",
            Self::BillingAdmin => "billing_admin",
            Self::AdminAgent => "admin_agent",
            Self::SalesAgent => "sales_agent",
            Self::HelpdeskAgent => "helpdesk_agent",
            Self::BusinessProfileAdmin => "business_profile_admin",
            Self::ReferralsAdmin => "referrals_admin",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// What a user holding `roles` may do, in the table's order: what every
/// user may, and what each role adds.
pub fn allowed_actions(roles: &[Role]) -> Vec<Action> {
    if roles.is_empty() {
        return Vec::new();
    }
    let mut actions: Vec<Action> = roles
        .iter()
        .flat_map(|role| role.grant().map_or(&[][..], |g| g.actions).iter().copied())
        .chain(EVERYONE.iter().copied())
        .collect();
    actions.sort();
    actions.dedup();
    actions
}

/// What a user holding `roles` may do in an account of `model`:
/// `allowed_actions` without what only a direct partner does, for any
/// other.
pub fn account_actions(roles: &[Role], model: Option<crate::PartnerModel>) -> Vec<Action> {
    let direct = model == Some(crate::PartnerModel::DirectPartner);
    allowed_actions(roles)
        .into_iter()
        .filter(|action| direct || !action.needs_direct_partner())
        .collect()
}

/// Whether a user holding `actor` may give `role` to a user, or take it
/// away: one of `actor`'s roles grants it (the table's last column).
pub fn may_assign(actor: &[Role], role: Role) -> bool {
    actor
        .iter()
        .filter_map(|r| r.grant())
        .any(|g| g.grants.contains(&role))
}

/// Whether `actor` may change a user's roles from `before` to `after`
/// (`after` empty: remove the user, or send their invitation again):
/// every role given or taken must be one `actor` may assign, and nobody
/// changes anything of a user holding a role `actor` may not assign (so
/// only a global admin touches a global admin, the roles beside it too).
/// Nobody changes their own roles (`route` checks the user is another): no
/// one raises their own rights, nor locks themselves out.
pub fn may_change_roles(actor: &[Role], before: &[Role], after: &[Role]) -> bool {
    if !before.iter().all(|role| may_assign(actor, *role)) {
        return false;
    }
    let changed = before
        .iter()
        .filter(|r| !after.contains(r))
        .chain(after.iter().filter(|r| !before.contains(r)));
    changed.into_iter().all(|role| may_assign(actor, *role))
}

/// The numbers of signing in (ARCHITECTURE.md, "The partner account"), in
/// seconds where they are times.
pub mod limits {
    /// A code proving the admin's address lasts this long,
    pub const EMAIL_CODE_SECS: u64 = 10 * 60;
    /// may be tried this many times,
    pub const EMAIL_CODE_TRIES: u32 = 5;
    /// and is sent at most this many times an hour to one application.
    pub const EMAIL_CODE_SENDS_PER_HOUR: u32 = 3;
    /// Digits in that code.
    pub const EMAIL_CODE_DIGITS: usize = 6;
    /// A temporary password works this long.
    pub const TEMPORARY_PASSWORD_SECS: u64 = 7 * 24 * 3600;
    /// Characters in a temporary password.
    pub const TEMPORARY_PASSWORD_CHARS: usize = 20;
    /// A session ends after this long without a request,
    pub const SESSION_IDLE_SECS: u64 = 12 * 3600;
    /// and this long after signing in, whatever happens.
    pub const SESSION_MAX_SECS: u64 = 7 * 24 * 3600;
    /// Failed attempts to sign in (passwords, current passwords, second
    /// factor codes) are counted over this window:
    pub const SIGN_IN_WINDOW_SECS: u64 = 15 * 60;
    /// this many for one email address (known or not) from one client,
    /// then that client waits (others still sign in: an attacker cannot
    /// lock the owner out);
    pub const SIGN_IN_FAILURES_PER_ADDRESS: u32 = 5;
    /// this many from one client across addresses (password spraying),
    /// then 429.
    pub const SIGN_IN_FAILURES_PER_CLIENT: u32 = 20;
    /// Wrong second-factor codes for one user from all clients together
    /// in that window (only someone with the password can try them).
    pub const MFA_CODE_FAILURES_PER_USER: u32 = 20;
    /// For one address from all clients together, this many failures
    /// within this window (NIST SP 800-63B: at most 100 consecutive)
    pub const SIGN_IN_FAILURES_PER_ADDRESS_DAY: u32 = 100;
    pub const SIGN_IN_ADDRESS_WINDOW_SECS: u64 = 24 * 3600;
    /// lock the address this long, and again while that many are left in
    /// the window; its owner is emailed, once a window.
    pub const SIGN_IN_ADDRESS_LOCK_SECS: u64 = 3600;
    /// The shortest new password, in characters.
    pub const PASSWORD_MIN_CHARS: usize = 12;
    /// The longest: enough for any passphrase, and bounded for hashing.
    pub const PASSWORD_MAX_CHARS: usize = 256;
    /// The lowest score (0 to 4) the zxcvbn estimator may give a new
    /// password: 3 is "safely unguessable", over 10^8 guesses, far beyond
    /// what the sign-in limits let anyone try.
    pub const PASSWORD_MIN_SCORE: u8 = 3;
    /// The estimator judges a password by this many characters at most:
    /// its time grows fast with the length, and a passphrase is strong by
    /// then.
    pub const PASSWORD_ESTIMATE_CHARS: usize = 100;
}

/// How far a session has come in signing in, and so what it may do. A
/// password alone is not enough where a second factor is set up; a
/// temporary password allows only choosing a new one; an admin without a
/// second factor may only set one up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStage {
    /// The password was right; the second factor's code is still due.
    NeedsMfaCode,
    /// Signed in with a temporary password.
    MustChangePassword,
    /// An admin role, no second factor yet.
    MustEnrolMfa,
    /// Signed in.
    Ready,
}

/// What a session needs to know about its user to place it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignInState {
    pub mfa_enrolled: bool,
    /// The session gave the second factor's code.
    pub mfa_passed: bool,
    pub temporary_password: bool,
}

/// The kind of request a session makes, as the stages tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Give the second factor's code (`POST /session/mfa`).
    MfaCode,
    /// Change one's password (`POST /session/password`).
    ChangePassword,
    /// Set up a second factor (`POST /account/mfa/totp…`).
    EnrolMfa,
    /// Sign out: allowed at every stage.
    SignOut,
    /// Anything else in the account.
    Account,
}

impl SessionStage {
    pub fn of(state: SignInState) -> Self {
        if state.mfa_enrolled && !state.mfa_passed {
            Self::NeedsMfaCode
        } else if state.temporary_password {
            Self::MustChangePassword
        } else if !state.mfa_enrolled {
            Self::MustEnrolMfa
        } else {
            Self::Ready
        }
    }

    /// Why a session at this stage may not make `request`: the error code
    /// the API answers, or `None` when it may.
    pub fn refusal(self, request: Request) -> Option<ErrorCode> {
        use Request::*;
        match (self, request) {
            (_, SignOut) => None,
            (Self::NeedsMfaCode, MfaCode) => None,
            (Self::NeedsMfaCode, _) => Some(ErrorCode::MfaRequired),
            (_, MfaCode) => Some(ErrorCode::MfaNotDue),
            (Self::MustChangePassword, ChangePassword) => None,
            (Self::MustChangePassword, _) => Some(ErrorCode::PasswordChangeRequired),
            (Self::MustEnrolMfa, EnrolMfa | ChangePassword) => None,
            (Self::MustEnrolMfa, _) => Some(ErrorCode::MfaEnrolmentRequired),
            (Self::Ready, _) => None,
        }
    }
}

/// A user of the account, as the API answers and the app shows them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AccountUser {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: Vec<Role>,
}

/// A user as the account's users page lists them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: Vec<Role>,
    /// Has not chosen a password yet: the invitation may be sent again.
    pub invited: bool,
    /// The email with their newest temporary password could not be
    /// delivered (failed or expired): the admin checks the address or
    /// sends the invitation again.
    #[serde(default)]
    pub invitation_undelivered: bool,
}

/// A user to add: they are emailed a temporary password of their own.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct NewUserRequest {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Role names (`sales_agent`); an unknown one is refused.
    pub roles: Vec<String>,
}

/// A user's roles, replaced.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct RolesChange {
    pub roles: Vec<String>,
}

/// The roles named in `names`: `Err` with the problem's code when one is
/// unknown, or none is named.
pub fn parse_roles(names: &[String]) -> Result<Vec<Role>, ProblemCode> {
    if names.is_empty() {
        return Err(ProblemCode::Required);
    }
    let mut roles = names
        .iter()
        .map(|name| Role::parse(name.trim()).ok_or(ProblemCode::UnknownRole))
        .collect::<Result<Vec<_>, _>>()?;
    roles.sort();
    roles.dedup();
    Ok(roles)
}

/// Where a session stands: what it must do before anything else.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SessionState {
    /// The bearer token for every later request: on signing in, and at
    /// each later step of signing in (a code given, a password chosen),
    /// when the one before stops working. Kept in memory only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub user: AccountUser,
    /// The second factor's code is due (`POST /session/mfa`).
    pub mfa_required: bool,
    /// Signed in with a temporary password: choose a new one first
    /// (`POST /session/password`).
    pub must_change_password: bool,
    /// An admin role without a second factor: set one up first
    /// (`POST /account/mfa/totp`).
    pub mfa_enrolment_required: bool,
}

impl SessionState {
    /// The stage these flags describe.
    pub fn stage(&self) -> SessionStage {
        if self.mfa_required {
            SessionStage::NeedsMfaCode
        } else if self.must_change_password {
            SessionStage::MustChangePassword
        } else if self.mfa_enrolment_required {
            SessionStage::MustEnrolMfa
        } else {
            SessionStage::Ready
        }
    }

    /// The flags of `stage`, for `user`.
    pub fn at(stage: SessionStage, user: AccountUser, token: Option<String>) -> Self {
        Self {
            token,
            user,
            mfa_required: stage == SessionStage::NeedsMfaCode,
            must_change_password: stage == SessionStage::MustChangePassword,
            mfa_enrolment_required: stage == SessionStage::MustEnrolMfa,
        }
    }
}

/// The account: whose it is, and what the signed-in user may do in it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct AccountView {
    pub id: String,
    /// The company's legal name, from the application.
    pub company: String,
    pub model: Option<crate::PartnerModel>,
    pub status: crate::ApplicationStatus,
    pub user: AccountUser,
    /// What the user's roles allow: the app shows only these.
    pub actions: Vec<Action>,
}

/// A second factor on offer: put into an authenticator app, then
/// confirmed with a code from it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TotpOffer {
    /// The secret in base32, in groups of 4, to type in by hand.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub uri: String,
    /// The QR code as an SVG document, made on the server.
    pub qr_svg: String,
}

/// The second factor is set up: these recovery codes work once each, in
/// place of a code, and are shown only now.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TotpConfirmed {
    pub recovery_codes: Vec<String>,
    /// The session's token from now on: the one it had stops working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[cfg(test)]
mod tests;
