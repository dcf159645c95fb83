//! The partner account after approval, stated once: the roles (Partner
//! Center's set), what each role may do and grant, the numbers of signing in, the rule for a
//! new password, and what a session may do at each stage of signing in.
//! The API enforces it; the app reads it to show only what a user may do.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use crate::{ErrorCode, ProblemCode};

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
        ],
        ALL_BUT_GLOBAL_ADMIN,
    ),
    grant(Role::UserManagementAdmin, USERS, STAFF),
    grant(Role::BillingAdmin, EVERYONE, &[]),
    // Admin agents look after customers, through providers too.
    grant(Role::AdminAgent, &[ViewProviderRequests], &[]),
    // Sales agents sell, through providers too.
    grant(Role::SalesAgent, &[ViewProviderRequests], &[]),
    grant(Role::HelpdeskAgent, EVERYONE, &[]),
    grant(Role::BusinessProfileAdmin, EVERYONE, &[]),
    grant(Role::ReferralsAdmin, EVERYONE, &[]),
];

const fn grant(role: Role, actions: &'static [Action], grants: &'static [Role]) -> Grant {
    Grant {
        role,
        actions,
        grants,
    }
}

impl Role {
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

/// Passwords too common to be chosen: a vendored list (the API loads it;
/// the app, which does not carry it, checks only the length).
#[derive(Clone, Debug, Default)]
pub struct CommonPasswords(HashSet<String>);

impl CommonPasswords {
    pub fn from_lines(text: &str) -> Self {
        Self(
            text.lines()
                .map(|line| line.trim().to_lowercase())
                .filter(|line| !line.is_empty())
                .collect(),
        )
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `password` is on the list, or is a listed word with only
    /// digits and symbols around it ("Password2026!", "!!qwertyuiop1"):
    /// what people add to a common password to pass a length rule.
    pub fn contains(&self, password: &str) -> bool {
        let lower = password.trim().to_lowercase();
        let core = lower.trim_matches(|c: char| !c.is_alphabetic());
        self.0.contains(&lower) || (core.chars().count() >= 4 && self.0.contains(core))
    }
}

/// What is wrong with `new` as a new password, if anything: too short,
/// too long, on the common list, or the same as `previous` (the temporary
/// password, or the one being changed). Checked on both sides; the app
/// passes an empty list.
pub fn new_password_problem(
    new: &str,
    previous: &str,
    common: &CommonPasswords,
) -> Option<ProblemCode> {
    let chars = new.chars().count();
    if new.trim().is_empty() {
        Some(ProblemCode::Required)
    } else if chars < limits::PASSWORD_MIN_CHARS {
        Some(ProblemCode::TooShort)
    } else if chars > limits::PASSWORD_MAX_CHARS {
        Some(ProblemCode::TooLong)
    } else if new == previous {
        Some(ProblemCode::SameAsPrevious)
    } else if common.contains(new) {
        Some(ProblemCode::CommonPassword)
    } else {
        None
    }
}

/// Words of the product itself, which a password should not lean on.
pub const PRODUCT_WORDS: &[&str] = &[
    "csp",
    "cloud solution provider",
    "partner",
    "partner center",
    "enroll",
    "enrollment",
];

/// Why a new password is easy to guess: the part that weighs most in the
/// estimate. Each has a message (`password.why.<name>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guessable {
    /// It leans on the user's own address, name, company, or the product.
    OwnWords,
    /// Common words, names or passwords.
    CommonWords,
    /// A row or pattern of keys (`qwertyuiop`).
    Keyboard,
    /// One character or a group repeated (`aaaa`, `abcabc`).
    Repeat,
    /// A sequence (`abcdef`, `123456`).
    Sequence,
    /// Dates and recent years.
    Dates,
    /// Too little of anything to be hard to guess.
    Short,
}

impl Guessable {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OwnWords => "own_words",
            Self::CommonWords => "common_words",
            Self::Keyboard => "keyboard",
            Self::Repeat => "repeat",
            Self::Sequence => "sequence",
            Self::Dates => "dates",
            Self::Short => "short",
        }
    }
}

/// The words a password of this user should not lean on: the address and
/// its parts, the names, the company's words, the product's words; lower
/// case, each of 3 characters or more.
pub fn own_words(email: &str, names: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = vec![email.trim().to_lowercase()];
    for text in std::iter::once(email).chain(names.iter().copied()) {
        let lower = text.trim().to_lowercase();
        words.push(lower.clone());
        words.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_owned),
        );
    }
    words.extend(PRODUCT_WORDS.iter().map(|w| (*w).to_owned()));
    // In the order given: the estimator ranks the first as likeliest.
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| w.chars().count() >= 3 && seen.insert(w.clone()));
    words
}

/// What is left of `password` (lower case) once the user's own words are
/// taken out, in letters: fewer than `OWN_WORDS_MIN_REST` and the password
/// is only those words dressed up ("Contoso Ltd. 2026").
#[cfg(feature = "password-strength")]
fn letters_beside_own_words(password: &str, own_words: &[String]) -> Option<usize> {
    let lower = password.to_lowercase();
    let mut longest_first: Vec<&String> = own_words.iter().collect();
    longest_first.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let mut rest = lower.clone();
    for word in longest_first {
        rest = rest.replace(word.as_str(), " ");
    }
    (rest != lower).then(|| rest.chars().filter(|c| c.is_alphabetic()).count())
}

/// Fewer letters than this beside the user's own words, and a password is
/// refused as built on them.
#[cfg(feature = "password-strength")]
const OWN_WORDS_MIN_REST: usize = 6;

/// Whether `new` is too easy to guess (NIST SP 800-63B: compare it with
/// what attackers try first), and why: the zxcvbn estimator, given the
/// user's `own_words`, scores it below `limits::PASSWORD_MIN_SCORE`.
/// Only the API has the estimator (feature `password-strength`).
#[cfg(feature = "password-strength")]
pub fn guessable_password(new: &str, own_words: &[String]) -> Option<Guessable> {
    use zxcvbn::matching::patterns::MatchPattern;
    let new: String = new.chars().take(limits::PASSWORD_ESTIMATE_CHARS).collect();
    let new = new.as_str();
    let beside_own = letters_beside_own_words(new, own_words);
    if beside_own.is_some_and(|letters| letters < OWN_WORDS_MIN_REST) {
        return Some(Guessable::OwnWords);
    }
    let inputs: Vec<&str> = own_words.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(new, &inputs);
    if u8::from(estimate.score()) >= limits::PASSWORD_MIN_SCORE {
        return None;
    }
    if beside_own.is_some() {
        return Some(Guessable::OwnWords);
    }
    // The pattern covering most of the password says why.
    let widest = estimate
        .sequence()
        .iter()
        .filter(|m| !matches!(m.pattern, MatchPattern::BruteForce))
        .max_by_key(|m| m.j + 1 - m.i);
    Some(match widest.map(|m| &m.pattern) {
        Some(MatchPattern::Dictionary(_)) => Guessable::CommonWords,
        Some(MatchPattern::Spatial(_)) => Guessable::Keyboard,
        Some(MatchPattern::Repeat(_)) => Guessable::Repeat,
        Some(MatchPattern::Sequence(_)) => Guessable::Sequence,
        Some(MatchPattern::Date(_) | MatchPattern::Regex(_)) => Guessable::Dates,
        Some(MatchPattern::BruteForce) | None => Guessable::Short,
    })
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
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_value(role).unwrap();
            assert_eq!(json, role.as_str());
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn every_role_is_in_the_table_once() {
        for role in Role::ALL {
            assert_eq!(
                GRANTS.iter().filter(|g| g.role == role).count(),
                1,
                "{role:?}"
            );
        }
        assert!(allowed_actions(&[]).is_empty());
    }

    /// The whole table, written out: which role may do what.
    #[test]
    fn each_role_may_do_what_partner_center_gives_it() {
        use Action::*;
        let everyone = [ViewAccount, ViewOrganizationProfile, ManageOwnSecurity];
        let users = [
            ListUsers,
            AddUser,
            ChangeUserRoles,
            RemoveUser,
            ResendInvitation,
        ];
        let with = |extra: &[Action]| {
            let mut all: Vec<Action> = everyone.iter().chain(extra).copied().collect();
            all.sort();
            all
        };
        let admins = with(&[&users[..], &[EditOrganizationProfile, ViewProviderRequests]].concat());
        // Only a global admin proves another domain for the users.
        let mut global = admins.clone();
        global.push(ProveDomain);
        global.sort();
        for (role, expected) in [
            (Role::GlobalAdmin, global),
            (Role::AccountAdmin, admins),
            (Role::UserManagementAdmin, with(&users)),
            (Role::BillingAdmin, with(&[])),
            (Role::AdminAgent, with(&[ViewProviderRequests])),
            (Role::SalesAgent, with(&[ViewProviderRequests])),
            (Role::HelpdeskAgent, with(&[])),
            (Role::BusinessProfileAdmin, with(&[])),
            (Role::ReferralsAdmin, with(&[])),
        ] {
            assert_eq!(allowed_actions(&[role]), expected, "{role:?}");
        }
        // Roles add up.
        let both = allowed_actions(&[Role::SalesAgent, Role::UserManagementAdmin]);
        assert!(both.contains(&ViewProviderRequests) && both.contains(&AddUser));
        assert!(!both.contains(&EditOrganizationProfile));
    }

    #[test]
    fn only_a_global_admin_makes_or_unmakes_a_global_admin() {
        use Role::*;
        assert!(may_assign(&[GlobalAdmin], GlobalAdmin));
        for actor in [UserManagementAdmin, AccountAdmin] {
            assert!(!may_assign(&[actor], GlobalAdmin), "{actor:?}");
            assert!(may_assign(&[actor], SalesAgent), "{actor:?}");
            assert!(!may_change_roles(
                &[actor],
                &[SalesAgent],
                &[SalesAgent, GlobalAdmin]
            ));
            assert!(!may_change_roles(&[actor], &[GlobalAdmin], &[SalesAgent]));
            // Nor the roles beside it.
            assert!(!may_change_roles(
                &[actor],
                &[GlobalAdmin, SalesAgent],
                &[GlobalAdmin]
            ));
        }
        assert!(may_change_roles(
            &[GlobalAdmin],
            &[GlobalAdmin, SalesAgent],
            &[GlobalAdmin]
        ));
        // Likewise a user management admin and an account admin's roles.
        assert!(!may_change_roles(
            &[UserManagementAdmin],
            &[AccountAdmin, SalesAgent],
            &[AccountAdmin]
        ));
        assert!(may_change_roles(
            &[AccountAdmin],
            &[AccountAdmin, SalesAgent],
            &[AccountAdmin]
        ));
    }

    /// The grant column over every pair of roles: the actor's role down,
    /// the role granted across. A role grants nothing beyond what it could
    /// do itself.
    #[test]
    fn who_grants_which_role_over_every_pair() {
        use Role::*;
        let expected: [(Role, &[Role]); 9] = [
            (GlobalAdmin, &Role::ALL),
            (
                AccountAdmin,
                &[
                    AccountAdmin,
                    UserManagementAdmin,
                    BillingAdmin,
                    AdminAgent,
                    SalesAgent,
                    HelpdeskAgent,
                    BusinessProfileAdmin,
                    ReferralsAdmin,
                ],
            ),
            (
                UserManagementAdmin,
                &[
                    UserManagementAdmin,
                    AdminAgent,
                    SalesAgent,
                    HelpdeskAgent,
                    BusinessProfileAdmin,
                    ReferralsAdmin,
                ],
            ),
            (BillingAdmin, &[]),
            (AdminAgent, &[]),
            (SalesAgent, &[]),
            (HelpdeskAgent, &[]),
            (BusinessProfileAdmin, &[]),
            (ReferralsAdmin, &[]),
        ];
        for (actor, grants) in expected {
            for role in Role::ALL {
                assert_eq!(
                    may_assign(&[actor], role),
                    grants.contains(&role),
                    "{actor:?} granting {role:?}"
                );
                // Giving and taking away are the same right, over a user
                // whose roles the actor may assign.
                assert_eq!(
                    may_change_roles(&[actor], &[SalesAgent], &[SalesAgent, role]),
                    grants.contains(&SalesAgent) && grants.contains(&role),
                    "{actor:?} adding {role:?}"
                );
            }
            // Whoever grants a role may also make every change it makes, so
            // no grant raises a user beyond the granter's own rights (an
            // agent's reading of its provider requests is its own work).
            for role in grants {
                let granter = allowed_actions(&[actor]);
                let changes = allowed_actions(&[*role])
                    .into_iter()
                    .filter(|a| !matches!(a, ViewProviderRequests));
                for action in changes {
                    assert!(
                        granter.contains(&action),
                        "{actor:?} grants {role:?}, which may {action:?}"
                    );
                }
            }
        }
    }

    /// The examples: what an attacker tries first is refused, with
    /// the reason; passphrases pass.
    #[test]
    fn a_guessable_password_is_refused_with_the_reason() {
        let own = own_words("sam.lee@fabrikam.com", &["Sam", "Lee", "Fabrikam Inc."]);
        let why = |password: &str| guessable_password(password, &own);
        for (password, reason) in [
            ("123456789012", Guessable::Sequence),
            ("aaaaaaaaaaaa", Guessable::Repeat),
            ("abcdefghijkl", Guessable::Sequence),
            ("qwertyuiopas", Guessable::CommonWords),
            ("zxcvfdsaqwer", Guessable::Keyboard),
            ("07/12/1987", Guessable::Dates),
            ("长城长城长城长城长城长城", Guessable::Repeat),
            ("sam.lee@fabrikam.com", Guessable::OwnWords),
            ("fabrikamfabrikam", Guessable::OwnWords),
            ("Fabrikam Inc. 2026", Guessable::OwnWords),
            ("Fabrikam Ltd. 2026!", Guessable::OwnWords),
            ("Sam Lee of Fabrikam", Guessable::OwnWords),
            ("password1234", Guessable::CommonWords),
        ] {
            assert_eq!(why(password), Some(reason), "{password}");
        }
        for strong in [
            "correct horse battery staple lantern",
            "Seven tall ships sail at noon",
            // The tests' own passwords.
            "violet quarry tandem",
            "amber canyon lantern",
            "七只白鹤飞过蓝色山脉上空",
            // Their own words beside enough of something else.
            "Fabrikam ferries violet quartz",
        ] {
            assert_eq!(why(strong), None, "{strong}");
        }
    }

    #[test]
    fn a_new_password_is_long_new_and_uncommon() {
        let common = CommonPasswords::from_lines("password\nqwertyuiop\n1q2w3e4r5t6y\n");
        let problem = |new: &str| new_password_problem(new, "Temporary-Pass-1234", &common);
        assert_eq!(problem(""), Some(ProblemCode::Required));
        assert_eq!(problem("short pass1"), Some(ProblemCode::TooShort));
        // Counted in characters, not bytes: 12 Chinese characters are enough.
        assert_eq!(problem("长城长城长城长城长城长城"), None);
        assert_eq!(problem(&"x".repeat(257)), Some(ProblemCode::TooLong));
        assert_eq!(
            problem("Temporary-Pass-1234"),
            Some(ProblemCode::SameAsPrevious)
        );
        assert_eq!(problem("1Q2W3E4R5T6Y"), Some(ProblemCode::CommonPassword));
        assert_eq!(problem("Password2026!"), Some(ProblemCode::CommonPassword));
        assert_eq!(problem("!!qwertyuiop12"), Some(ProblemCode::CommonPassword));
        assert_eq!(problem("correct horse battery"), None);
    }

    #[test]
    fn the_vendored_list_refuses_what_people_pick() {
        let common = crate::reference::vendored_common_passwords();
        assert!(common.len() > 19_000, "{}", common.len());
        for picked in [
            "Password2026!",
            "qwerty123456",
            "iloveyou1234",
            "Sunshine!!2024",
        ] {
            assert!(common.contains(picked), "{picked}");
        }
        assert!(!common.contains("violet quarry tandem"));
    }

    #[test]
    fn each_stage_allows_only_its_step() {
        let state = |mfa_enrolled, mfa_passed, temporary_password| {
            SessionStage::of(SignInState {
                mfa_enrolled,
                mfa_passed,
                temporary_password,
            })
        };
        use Request::*;
        use SessionStage::*;
        assert_eq!(state(true, false, false), NeedsMfaCode);
        assert_eq!(state(false, false, true), MustChangePassword);
        // Every user sets up a second factor, whatever the roles.
        assert_eq!(state(false, false, false), MustEnrolMfa);
        assert_eq!(state(true, true, false), Ready);

        assert_eq!(NeedsMfaCode.refusal(Account), Some(ErrorCode::MfaRequired));
        assert_eq!(
            NeedsMfaCode.refusal(ChangePassword),
            Some(ErrorCode::MfaRequired)
        );
        assert_eq!(NeedsMfaCode.refusal(MfaCode), None);
        assert_eq!(
            MustChangePassword.refusal(Account),
            Some(ErrorCode::PasswordChangeRequired)
        );
        assert_eq!(
            MustChangePassword.refusal(EnrolMfa),
            Some(ErrorCode::PasswordChangeRequired)
        );
        assert_eq!(MustChangePassword.refusal(ChangePassword), None);
        assert_eq!(
            MustEnrolMfa.refusal(Account),
            Some(ErrorCode::MfaEnrolmentRequired)
        );
        assert_eq!(MustEnrolMfa.refusal(EnrolMfa), None);
        assert_eq!(Ready.refusal(MfaCode), Some(ErrorCode::MfaNotDue));
        for stage in [NeedsMfaCode, MustChangePassword, MustEnrolMfa, Ready] {
            assert_eq!(stage.refusal(SignOut), None, "{stage:?}");
        }
        assert_eq!(Ready.refusal(Account), None);
    }
}
