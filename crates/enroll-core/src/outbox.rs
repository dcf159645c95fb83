//! The outbox's rules: what each kind of email is for, how urgent it is,
//! how long it is worth sending, whether it carries a secret, and what
//! happens after each attempt to hand it to the mail relay. The API's
//! store and sender apply them; the app reads `Delivery` to tell someone
//! waiting for a code that it did not arrive. Times are whole seconds.

use serde::{Deserialize, Serialize};

use crate::account::limits;

/// What an email is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EmailKind {
    /// A change of an application's status.
    Status,
    /// The link that resumes a draft.
    Resume,
    /// The code proving the admin's address.
    AdminCode,
    /// A partner account user's temporary password.
    TemporaryPassword,
    /// The code proving a domain for a partner account's users.
    DomainCode,
    /// Telling a partner account's admins that an invitation was
    /// withdrawn (its address became another account's admin).
    InvitationWithdrawn,
    /// Telling a user that signing in with their address is paused after
    /// too many failed attempts.
    SignInLocked,
    /// The code proving the address of a customer looking for a partner.
    RequestCode,
    /// The link to a customer's request's page, once the address is
    /// proven.
    RequestLink,
    /// Telling a partner's referrals admins of a new referral,
    Referral,
    /// or, past the day's first ten, of the rest the next morning.
    ReferralDigest,
    /// Telling a customer which partner accepted the request,
    RequestAccepted,
    /// or that no partner is left to offer it to.
    RequestNoPartner,
    /// A direct partner's invitation to a customer, sent by the product.
    CustomerInvitation,
    /// The code proving a customer admin's address, on the invitation's
    /// page.
    CustomerCode,
    /// Telling a partner's admin agents that a customer accepted.
    CustomerAccepted,
    /// An admin relationship's request to the customer's admin, with the
    /// link that answers it.
    RelationshipRequest,
    /// Telling both sides an admin relationship was approved,
    RelationshipApproved,
    /// ended (terminated or rejected),
    RelationshipEnded,
    /// expired,
    RelationshipExpired,
    /// or ends in 30, 7 or 1 days.
    RelationshipReminder,
    /// The code the customer's admin answers an admin relationship with.
    RelationshipCode,
    /// Telling both sides the partner turned auto-extend on or off.
    RelationshipChanged,
}

/// A resume link works this long after it is made (the draft's token).
pub const RESUME_LINK_SECS: u64 = 30 * 86_400;

/// The numbers of delivery (ARCHITECTURE.md, "Email delivery").
pub mod delivery {
    /// The first retry waits this long; each later one twice the last,
    pub const FIRST_RETRY_SECS: u64 = 60;
    /// but never more than this,
    pub const MAX_RETRY_SECS: u64 = 3600;
    /// and after this long since it was queued, an email is given up.
    pub const GIVE_UP_SECS: u64 = 24 * 3600;
    /// Jitter takes up to this fraction (in percent) off a wait, so that
    /// emails refused together are not retried together.
    pub const JITTER_PERCENT: u64 = 20;
}

impl EmailKind {
    pub const ALL: [EmailKind; 23] = [
        EmailKind::AdminCode,
        EmailKind::TemporaryPassword,
        EmailKind::Resume,
        EmailKind::Status,
        EmailKind::DomainCode,
        EmailKind::InvitationWithdrawn,
        EmailKind::SignInLocked,
        EmailKind::RequestCode,
        EmailKind::RequestLink,
        EmailKind::Referral,
        EmailKind::ReferralDigest,
        EmailKind::RequestAccepted,
        EmailKind::RequestNoPartner,
        EmailKind::CustomerInvitation,
        EmailKind::CustomerCode,
        EmailKind::CustomerAccepted,
        EmailKind::RelationshipRequest,
        EmailKind::RelationshipApproved,
        EmailKind::RelationshipEnded,
        EmailKind::RelationshipExpired,
        EmailKind::RelationshipReminder,
        EmailKind::RelationshipCode,
        EmailKind::RelationshipChanged,
    ];

    /// The name stored in the outbox and shown to the operator.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Resume => "resume",
            Self::AdminCode => "admin_code",
            Self::TemporaryPassword => "temporary_password",
            Self::DomainCode => "domain_code",
            Self::InvitationWithdrawn => "invitation_withdrawn",
            Self::SignInLocked => "sign_in_locked",
            Self::RequestCode => "request_code",
            Self::RequestLink => "request_link",
            Self::Referral => "referral",
            Self::ReferralDigest => "referral_digest",
            Self::RequestAccepted => "request_accepted",
            Self::RequestNoPartner => "request_no_partner",
            Self::CustomerInvitation => "customer_invitation",
            Self::CustomerCode => "customer_code",
            Self::CustomerAccepted => "customer_accepted",
            Self::RelationshipRequest => "relationship_request",
            Self::RelationshipApproved => "relationship_approved",
            Self::RelationshipEnded => "relationship_ended",
            Self::RelationshipExpired => "relationship_expired",
            Self::RelationshipReminder => "relationship_reminder",
            Self::RelationshipCode => "relationship_code",
            Self::RelationshipChanged => "relationship_changed",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Whether it only tells something (a status, a notice): nobody waits
    /// on a page for it, and it carries nothing that opens a door.
    fn only_tells(self) -> bool {
        matches!(
            self,
            Self::Status
                | Self::InvitationWithdrawn
                | Self::SignInLocked
                | Self::Referral
                | Self::ReferralDigest
                | Self::RequestAccepted
                | Self::RequestNoPartner
                | Self::CustomerAccepted
                | Self::RelationshipApproved
                | Self::RelationshipEnded
                | Self::RelationshipExpired
                | Self::RelationshipReminder
                | Self::RelationshipChanged
        )
    }

    /// Lower goes first: someone is waiting on a page for a code, a
    /// password or a link; a status email can wait behind them.
    pub fn priority(self) -> u8 {
        u8::from(self.only_tells())
    }

    /// How long after queueing the email is still worth sending: the life
    /// of what it carries (a code past its 10 minutes opens nothing).
    pub fn lifetime_secs(self) -> u64 {
        match self {
            Self::AdminCode
            | Self::DomainCode
            | Self::RequestCode
            | Self::CustomerCode
            | Self::RelationshipCode => limits::EMAIL_CODE_SECS,
            Self::TemporaryPassword => limits::TEMPORARY_PASSWORD_SECS,
            Self::Resume => RESUME_LINK_SECS,
            Self::RequestLink => crate::partner_request::limits::REQUEST_LINK_SECS,
            Self::CustomerInvitation => crate::customer::limits::INVITATION_SECS,
            Self::RelationshipRequest => crate::admin_relationship::limits::REQUEST_DAYS * 86_400,
            _ => delivery::GIVE_UP_SECS,
        }
    }

    /// Whether the emails of this kind about one application arrive in the
    /// order they were queued: "in review" never after "approved". The
    /// others may overtake each other (a new code replaces the last).
    pub fn in_order(self) -> bool {
        matches!(self, Self::Status)
    }

    /// Whether a newer email of this kind makes the earlier ones useless,
    /// so those not yet sent never are: a new code replaces the
    /// application's earlier code, a new temporary password the user's
    /// earlier one. (A resume link does not: every link works.)
    pub fn replaced_by_newer(self) -> bool {
        matches!(
            self,
            Self::AdminCode
                | Self::TemporaryPassword
                | Self::DomainCode
                | Self::RequestCode
                | Self::CustomerCode
                | Self::RelationshipCode
        )
    }

    /// Whether the body holds something that opens a door (a code, a
    /// password, a link with a token): erased once the email is done with.
    pub fn carries_secret(self) -> bool {
        !self.only_tells()
    }
}

/// Where an email is on its way to the relay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Waiting for its first attempt.
    Queued,
    /// A sender holds it (with a lease) and is handing it to the relay.
    Sending,
    /// The relay took it.
    Sent,
    /// The relay said "later", or could not be reached: tried again at
    /// the next attempt's time.
    Retrying,
    /// The relay said "never", or retries ran out: not tried again unless
    /// the operator asks.
    Failed,
    /// What it carried ran out before it could be sent: never sent.
    Expired,
}

impl Delivery {
    pub const ALL: [Delivery; 6] = [
        Delivery::Queued,
        Delivery::Sending,
        Delivery::Sent,
        Delivery::Retrying,
        Delivery::Failed,
        Delivery::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Retrying => "retrying",
            Self::Failed => "failed",
            Self::Expired => "expired",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == name)
    }

    /// Nothing more happens to it by itself: its secret can go.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Sent | Self::Failed | Self::Expired)
    }

    /// The person waiting for it should be told it is not coming.
    pub fn is_undelivered(self) -> bool {
        matches!(self, Self::Failed | Self::Expired)
    }
}

/// How one attempt to hand an email to the relay ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The relay accepted it (its reply).
    Accepted(String),
    /// Try again later: a 4xx, a timeout, a refused connection, or a
    /// connection cut before the relay's final reply (the email may have
    /// arrived: the resend carries the same Message-ID).
    Transient(String),
    /// Never: a 5xx, or a relay we must not talk to (no STARTTLS).
    Permanent(String),
}

impl Attempt {
    /// What the relay said, or why the attempt ended.
    pub fn reply(&self) -> &str {
        match self {
            Self::Accepted(reply) | Self::Transient(reply) | Self::Permanent(reply) => reply,
        }
    }
}

/// What the outbox records after an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub state: Delivery,
    /// When to try again (only for `Retrying`).
    pub next_attempt_at: Option<u64>,
    /// The relay's reply or why we gave up, for the operator.
    pub reply: String,
}

/// The wait before retry number `failures` (1 after the first failed
/// attempt): 1 minute doubling to at most an hour, less up to
/// `JITTER_PERCENT` by `jitter` (0..=1000, random per attempt).
pub fn backoff_secs(failures: u32, jitter: u16) -> u64 {
    let doublings = failures.saturating_sub(1).min(16);
    let full = (delivery::FIRST_RETRY_SECS << doublings).min(delivery::MAX_RETRY_SECS);
    let off = full * delivery::JITTER_PERCENT * u64::from(jitter.min(1000)) / 100_000;
    full - off
}

/// What becomes of an email of `kind`, queued at `queued_at`, after its
/// `attempts`-th attempt ended at `now` with `attempt`.
pub fn after_attempt(
    kind: EmailKind,
    queued_at: u64,
    attempts: u32,
    now: u64,
    attempt: Attempt,
    jitter: u16,
) -> Outcome {
    match attempt {
        Attempt::Accepted(reply) => Outcome {
            state: Delivery::Sent,
            next_attempt_at: None,
            reply,
        },
        Attempt::Permanent(reply) => Outcome {
            state: Delivery::Failed,
            next_attempt_at: None,
            reply,
        },
        Attempt::Transient(reply) => {
            let next = now + backoff_secs(attempts, jitter);
            let (state, next_attempt_at) = if next >= queued_at + kind.lifetime_secs()
                && kind.lifetime_secs() < delivery::GIVE_UP_SECS
            {
                // What it carries runs out before the next try.
                (Delivery::Expired, None)
            } else if next >= queued_at + delivery::GIVE_UP_SECS {
                (Delivery::Failed, None)
            } else {
                (Delivery::Retrying, Some(next))
            };
            Outcome {
                state,
                next_attempt_at,
                reply,
            }
        }
    }
}

/// Whether an email of `kind` queued at `queued_at` may still be sent at
/// `now`.
pub fn still_worth_sending(kind: EmailKind, queued_at: u64, now: u64) -> bool {
    now < queued_at + kind.lifetime_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_a_minute_doubling_to_an_hour() {
        let waits: Vec<u64> = (1..=9).map(|n| backoff_secs(n, 0)).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert_eq!(backoff_secs(u32::MAX, 0), 3600);
    }

    #[test]
    fn jitter_only_shortens_and_by_at_most_a_fifth() {
        for failures in 1..10 {
            let full = backoff_secs(failures, 0);
            let least = backoff_secs(failures, 1000);
            assert!(least < full);
            assert!(least >= full * 4 / 5, "{least} of {full}");
            assert_eq!(backoff_secs(failures, 5000), least, "clamped");
        }
    }

    #[test]
    fn codes_passwords_and_links_go_before_status_emails() {
        for kind in [
            EmailKind::AdminCode,
            EmailKind::TemporaryPassword,
            EmailKind::Resume,
        ] {
            assert!(kind.priority() < EmailKind::Status.priority());
            assert!(kind.carries_secret());
        }
        assert!(!EmailKind::Status.carries_secret());
    }

    #[test]
    fn names_read_back() {
        for kind in EmailKind::ALL {
            assert_eq!(EmailKind::parse(kind.as_str()), Some(kind));
        }
        for state in Delivery::ALL {
            assert_eq!(Delivery::parse(state.as_str()), Some(state));
        }
        assert_eq!(Delivery::parse("lost"), None);
    }

    #[test]
    fn a_transient_failure_retries_until_a_day_has_passed() {
        let q = 1_000_000;
        let later = after_attempt(
            EmailKind::Status,
            q,
            1,
            q,
            Attempt::Transient("451".into()),
            0,
        );
        assert_eq!(later.state, Delivery::Retrying);
        assert_eq!(later.next_attempt_at, Some(q + 60));
        let last = after_attempt(
            EmailKind::Status,
            q,
            30,
            q + delivery::GIVE_UP_SECS - 100,
            Attempt::Transient("451".into()),
            0,
        );
        assert_eq!(last.state, Delivery::Failed, "retries ran out");
        let password = after_attempt(
            EmailKind::TemporaryPassword,
            q,
            30,
            q + delivery::GIVE_UP_SECS - 100,
            Attempt::Transient("451".into()),
            0,
        );
        assert_eq!(password.state, Delivery::Failed, "a day of retries at most");
    }

    #[test]
    fn a_code_that_would_be_retried_after_its_life_expires_instead() {
        let q = 1_000_000;
        let outcome = after_attempt(
            EmailKind::AdminCode,
            q,
            4,
            q + 300,
            Attempt::Transient("timeout".into()),
            0,
        );
        assert_eq!(outcome.state, Delivery::Expired);
        assert!(outcome.state.is_undelivered() && outcome.state.is_final());
        let early = after_attempt(
            EmailKind::AdminCode,
            q,
            1,
            q,
            Attempt::Transient("451".into()),
            0,
        );
        assert_eq!(early.state, Delivery::Retrying);
    }

    #[test]
    fn the_relay_saying_never_or_yes_is_final() {
        let failed = after_attempt(
            EmailKind::Status,
            0,
            1,
            0,
            Attempt::Permanent("550".into()),
            0,
        );
        assert_eq!(
            (failed.state, failed.next_attempt_at),
            (Delivery::Failed, None)
        );
        let sent = after_attempt(
            EmailKind::Resume,
            0,
            1,
            0,
            Attempt::Accepted("250".into()),
            0,
        );
        assert_eq!(sent.state, Delivery::Sent);
        assert!(!Delivery::Retrying.is_final() && !Delivery::Sending.is_final());
    }

    /// A subject shows on lock screens and stays once a body is erased:
    /// no placeholder, so no code, link or anything typed, ever.
    #[test]
    fn every_email_subject_is_fixed_text() {
        for locale in crate::Locale::ALL {
            let catalog = crate::Catalog::get(locale);
            let subjects: Vec<&str> = catalog
                .keys()
                .filter(|k| k.starts_with("email.") && k.ends_with(".subject"))
                .collect();
            assert!(subjects.len() >= 8, "{locale:?}: {subjects:?}");
            for key in subjects {
                let text = catalog.text_of(key);
                assert!(!text.contains('{'), "{locale:?} {key}: {text}");
            }
        }
    }

    #[test]
    fn an_email_is_worth_sending_for_its_kinds_life() {
        let q = 5_000;
        assert!(still_worth_sending(EmailKind::AdminCode, q, q + 599));
        assert!(!still_worth_sending(EmailKind::AdminCode, q, q + 600));
        assert!(still_worth_sending(EmailKind::Status, q, q + 86_399));
        assert!(!still_worth_sending(EmailKind::Status, q, q + 86_400));
        assert!(still_worth_sending(EmailKind::Resume, q, q + 86_400 * 29));
    }
}
