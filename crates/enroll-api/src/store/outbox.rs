//! The outbox: emails queued in the transaction of what they tell, then
//! claimed by a sender (`crate::mail::sender`) and handed to the relay.
//! The rules (kinds, priorities, lives, retries) are enroll-core's
//! `outbox`; this is where they meet SQL.

use enroll_core::email::mailbox;
use std::time::Duration;

pub use enroll_core::outbox::{Delivery, EmailKind};

use super::{secs, unsecs, Conn, Store, StoreError, WriteFuture};
use crate::clock::{from_iso, iso};

mod claims;
pub use claims::RetryRefused;
use claims::ERASE_IF_DONE;

/// Queued emails wake the senders of this process (others find them when
/// they next look).
static QUEUED: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Wakes this process's senders: an email was queued.
pub(super) fn wake_senders() {
    QUEUED.notify_waiters();
}

/// What a sender waits on between looks at the outbox. Take `notified()`
/// and `enable()` it before looking, so a wake during the look is kept.
pub fn queued_signal() -> &'static tokio::sync::Notify {
    &QUEUED
}

/// An email as the outbox holds it (what `enroll-api outbox` shows). Its
/// `Debug` leaves the body out: it may hold a code or a password.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    pub id: i64,
    pub kind: String,
    pub application_id: Option<String>,
    pub to: String,
    pub locale: String,
    pub subject: String,
    /// The text part; empty once erased.
    pub body: String,
    /// The HTML part; empty once erased.
    pub html: String,
    pub created_at: String,
    pub state: Delivery,
    pub attempts: u32,
    /// When it is tried next (retrying), UTC.
    pub next_attempt_at: Option<String>,
    pub last_reply: Option<String>,
    /// When the relay took it, UTC.
    pub sent_at: Option<String>,
    /// The body held a secret and was erased.
    pub erased: bool,
}

/// What an email is about: an application (its applicant's, or the
/// account it became), or a customer's request for a partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum About {
    Application(String),
    PartnerRequest(String),
    /// A direct partner's invitation to a customer.
    Invitation(String),
    /// An admin relationship.
    Relationship(String),
}

impl About {
    pub fn application(&self) -> Option<&str> {
        match self {
            Self::Application(id) => Some(id),
            _ => None,
        }
    }

    pub fn partner_request(&self) -> Option<&str> {
        match self {
            Self::PartnerRequest(id) => Some(id),
            _ => None,
        }
    }

    pub fn invitation(&self) -> Option<&str> {
        match self {
            Self::Invitation(id) => Some(id),
            _ => None,
        }
    }

    pub fn relationship(&self) -> Option<&str> {
        match self {
            Self::Relationship(id) => Some(id),
            _ => None,
        }
    }

    /// The outbox column that says what it is about, and its value.
    fn column(&self) -> (&'static str, &str) {
        match self {
            Self::Application(id) => ("application_id", id),
            Self::PartnerRequest(id) => ("partner_request_id", id),
            Self::Invitation(id) => ("customer_invitation_id", id),
            Self::Relationship(id) => ("admin_relationship_id", id),
        }
    }
}

/// An email to queue (`Debug` without the body).
#[derive(Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub kind: EmailKind,
    pub about: About,
    pub to: String,
    /// The recipient's language tag (en-US, zh-CN).
    pub locale: String,
    pub subject: String,
    pub body: String,
    pub html: String,
    /// The Idempotency-Key of the request asking for it, if it sent one.
    pub request_key: Option<String>,
    /// When it was queued, by the server's clock.
    pub queued_at: u64,
}

/// An email a sender claimed: it alone sends it until `claimed_until`
/// (`Debug` without the body).
#[derive(Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub kind: EmailKind,
    pub to: String,
    pub locale: String,
    pub subject: String,
    pub body: String,
    pub html: String,
    pub message_id: String,
    /// This attempt's number (1 for the first).
    pub attempt: u32,
    pub queued_at: u64,
    /// The claim's token: only its holder records the outcome.
    pub claim: String,
}

impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Email")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("state", &self.state)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("last_reply", &self.last_reply)
            .field("subject", &self.subject)
            .field(
                "body",
                &format_args!("{} characters", self.body.chars().count()),
            )
            .field("erased", &self.erased)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for NewEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewEmail")
            .field("kind", &self.kind)
            .field("about", &self.about)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Claimed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claimed")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

/// What a look for work found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Send this one.
    Email(Box<Claimed>),
    /// This one ran out before it could be sent: marked expired.
    Expired {
        id: i64,
        kind: EmailKind,
        to: String,
    },
    /// Nothing is due.
    Nothing,
}

/// A limit was reached: try again after this long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: Duration,
}

async fn resume_queued(
    conn: &mut Conn<'_>,
    application_id: &str,
    key: &str,
) -> Result<bool, StoreError> {
    Ok(on!(conn, c => sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM outbox
         WHERE application_id = $1 AND kind = $2 AND request_key = $3)",
    )
    .bind(application_id)
    .bind(EmailKind::Resume.as_str())
    .bind(key)
    .fetch_one(c)
    .await)?)
}

/// Queues `email`, due at once, with a Message-ID of its own. Inside the
/// caller's transaction: the email exists exactly when what it tells does.
/// Callers reach it through `Store::write_queuing`, which wakes the sender.
pub(super) async fn insert_email(conn: &mut Conn<'_>, email: &NewEmail) -> Result<(), StoreError> {
    let message_id = crate::auth::random_hex(16)
        .map_err(|e| StoreError::Interrupted(format!("no randomness for a Message-ID: {e}")))?;
    let mut expires_at = email.queued_at + email.kind.lifetime_secs();
    if email.kind == EmailKind::Resume {
        // A link works as long as the draft's token: not past it.
        let token_expires: Option<String> = on!(conn, c => sqlx::query_scalar(
            "SELECT token_expires_at FROM applications WHERE id = $1"
        )
        .bind(email.about.application())
        .fetch_optional(c)
        .await)?;
        if let Some(token_expires) = token_expires.as_deref().and_then(from_iso) {
            expires_at = expires_at.min(token_expires);
        }
    }
    let id: i64 = on!(conn, c => sqlx::query_scalar(
        "INSERT INTO outbox (kind, application_id, to_address, mailbox, locale, subject, body,
                            html, request_key, message_id, priority, state, created_at,
                            queued_at, next_attempt_at, expires_at, partner_request_id,
                            customer_invitation_id, admin_relationship_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'queued', $12, $13, $13, $14, $15,
                 $16, $17)
         RETURNING id",
    )
    .bind(email.kind.as_str())
    .bind(email.about.application())
    .bind(&email.to)
    .bind(mailbox(&email.to))
    .bind(&email.locale)
    .bind(&email.subject)
    .bind(&email.body)
    .bind(&email.html)
    .bind(&email.request_key)
    .bind(&message_id)
    .bind(i64::from(email.kind.priority()))
    .bind(iso(email.queued_at))
    .bind(secs(email.queued_at))
    .bind(secs(expires_at))
    .bind(email.about.partner_request())
    .bind(email.about.invitation())
    .bind(email.about.relationship())
    .fetch_one(c)
    .await)?;
    if email.kind.replaced_by_newer() {
        // An earlier code (of the application: one at a time, for the
        // admin's address or a domain; of a customer's request) or
        // temporary password (of the same user) not yet handed over is
        // dead: never sent.
        // Compared by what it is about: `=` on its one column, so an
        // index serves ((kind, application_id), (partner_request_id, kind),
        // (customer_invitation_id, kind)).
        let (about, id_of_about) = email.about.column();
        let sql = format!(
            "UPDATE outbox SET state = 'expired', last_reply = 'not sent: a newer one replaced it',
                 {ERASE_IF_DONE}
             WHERE id < $3 AND kind = $4 AND {about} = $5
               AND ($4 IN ('admin_code', 'domain_code', 'request_code', 'customer_code',
                        'relationship_code')
                    OR mailbox = $6)
               AND state IN ('queued', 'retrying')"
        );
        execute!(conn, c => sqlx::query(&sql)
            .bind(true)
            .bind(secs(email.queued_at))
            .bind(id)
            .bind(email.kind.as_str())
            .bind(id_of_about)
            .bind(mailbox(&email.to)))?;
    }
    Ok(())
}

/// Seconds until the oldest of the emails counted by `filter` (of `kind`,
/// queued in the hour before `now`) leaves the hour, if there are `limit`
/// or more.
async fn wait_for_slot(
    conn: &mut Conn<'_>,
    kind: EmailKind,
    (filter, value): (&str, &str),
    limit: u32,
    now: u64,
) -> Result<Option<Throttled>, StoreError> {
    let sql = format!(
        "SELECT COUNT(*), MIN(queued_at) FROM outbox
         WHERE kind = $1 AND {filter} = $2 AND queued_at > $3"
    );
    let (sent, oldest): (i64, Option<i64>) = on!(conn, c => sqlx::query_as(&sql)
        .bind(kind.as_str())
        .bind(value)
        .bind(secs(now.saturating_sub(3600)))
        .fetch_one(c)
        .await)?;
    let wait = oldest.map_or(0, |oldest| (unsecs(oldest) + 3600).saturating_sub(now));
    Ok((sent >= i64::from(limit)).then(|| Throttled {
        retry_after: Duration::from_secs(wait.clamp(1, 3600)),
    }))
}

/// An outbox row as both engines read it (`Store::outbox`).
#[derive(sqlx::FromRow)]
pub(super) struct EmailRow {
    id: i64,
    kind: String,
    application_id: Option<String>,
    to_address: String,
    locale: String,
    subject: String,
    body: String,
    html: String,
    created_at: String,
    state: String,
    attempts: i64,
    last_reply: Option<String>,
    erased_at: Option<i64>,
    next_attempt_at: i64,
    sent_at: Option<i64>,
}

pub(super) fn email_of(row: EmailRow) -> Result<Email, StoreError> {
    let state = Delivery::parse(&row.state)
        .ok_or_else(|| StoreError::Corrupt(format!("outbox state {:?}", row.state)))?;
    Ok(Email {
        id: row.id,
        kind: row.kind,
        application_id: row.application_id,
        to: row.to_address,
        locale: row.locale,
        subject: row.subject,
        body: row.body,
        html: row.html,
        created_at: row.created_at,
        next_attempt_at: (state == Delivery::Retrying).then(|| iso(unsecs(row.next_attempt_at))),
        state,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        last_reply: row.last_reply,
        sent_at: row.sent_at.map(|at| iso(unsecs(at))),
        erased: row.erased_at.is_some(),
    })
}

impl Store {
    /// Where the newest email of `kind` about `about` is (a code's, which
    /// a page waits on), if one was queued.
    pub async fn newest_delivery(
        &self,
        about: &About,
        kind: EmailKind,
    ) -> Result<Option<Delivery>, StoreError> {
        let mut conn = self.acquire().await?;
        let (column, id) = about.column();
        let sql = format!(
            "SELECT state FROM outbox WHERE {column} = $1 AND kind = $2 ORDER BY id DESC LIMIT 1"
        );
        let state: Option<String> = on!(conn, c => sqlx::query_scalar(&sql)
            .bind(id)
            .bind(kind.as_str())
            .fetch_optional(c)
            .await)?;
        Ok(state.as_deref().and_then(Delivery::parse))
    }

    /// `write`, for work that may queue emails: the senders of this
    /// process are woken once it has committed.
    pub(crate) async fn write_queuing<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c, 'd> FnOnce(&'c mut Conn<'d>) -> WriteFuture<'c, T> + Send + 'static,
    {
        let result = self.write(work).await;
        // A queued code or password may have replaced (and erased) an
        // earlier one.
        self.secret_erased();
        QUEUED.notify_waiters();
        result
    }

    /// Queues a resume-link email unless its application or its recipient
    /// had `per_application` / `per_recipient` of them in the last hour.
    /// Counted and queued in one transaction: concurrent asks cannot both
    /// squeeze under the limit. A request replayed with the same
    /// Idempotency-Key finds its email queued and queues nothing.
    pub async fn queue_resume_email(
        &self,
        email: NewEmail,
        per_application: u32,
        per_recipient: u32,
    ) -> Result<Result<(), Throttled>, StoreError> {
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let kind = EmailKind::Resume;
                let application = email.about.application().unwrap_or_default();
                if let Some(key) = &email.request_key {
                    if resume_queued(tx, application, key).await? {
                        return Ok(Ok(()));
                    }
                }
                let mailbox = mailbox(&email.to);
                for (counted, limit) in [
                    (("application_id", application), per_application),
                    (("mailbox", mailbox.as_str()), per_recipient),
                ] {
                    let now = email.queued_at;
                    if let Some(throttled) = wait_for_slot(tx, kind, counted, limit, now).await? {
                        return Ok(Err(throttled));
                    }
                }
                insert_email(tx, &email).await?;
                Ok(Ok(()))
            })
        })
        .await
    }

    /// Whether the request with Idempotency-Key `key` queued its resume
    /// email already.
    pub async fn resume_email_queued(
        &self,
        application_id: &str,
        key: &str,
    ) -> Result<bool, StoreError> {
        let mut conn = self.acquire().await?;
        resume_queued(&mut conn.engine(), application_id, key).await
    }

    /// Every email, oldest first; only those in `state` when given.
    pub async fn outbox(&self, state: Option<Delivery>) -> Result<Vec<Email>, StoreError> {
        let mut conn = self.acquire().await?;
        let rows: Vec<EmailRow> = on!(conn, c => sqlx::query_as(
            "SELECT id, kind, application_id, to_address, locale, subject, body, html, created_at,
                    state, attempts, last_reply, erased_at, next_attempt_at, sent_at
             FROM outbox WHERE CAST($1 AS TEXT) IS NULL OR state = $1 ORDER BY id",
        )
        .bind(state.map(Delivery::as_str))
        .fetch_all(c)
        .await)?;
        rows.into_iter().map(email_of).collect()
    }

    /// Where the newest code proving application `id`'s admin address is
    /// on its way (None: no code was sent).
    pub async fn admin_code_delivery(&self, id: &str) -> Result<Option<Delivery>, StoreError> {
        let mut conn = self.acquire().await?;
        let state: Option<String> = on!(conn, c => sqlx::query_scalar(
            "SELECT state FROM outbox WHERE application_id = $1 AND kind = $2
             ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .bind(EmailKind::AdminCode.as_str())
        .fetch_optional(c)
        .await)?;
        Ok(state.as_deref().and_then(Delivery::parse))
    }

    /// The addresses of account `account_id`'s users whose newest
    /// temporary-password email failed or expired.
    pub async fn undelivered_invitations(
        &self,
        account_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        let mut conn = self.acquire().await?;
        Ok(on!(conn, c => sqlx::query_scalar(
            "SELECT sent.to_address FROM outbox AS sent
             JOIN accounts ON accounts.application_id = sent.application_id
             WHERE accounts.id = $1 AND sent.kind = 'temporary_password'
               AND sent.state IN ('failed', 'expired')
               AND sent.id = (SELECT MAX(newer.id) FROM outbox AS newer
                              WHERE newer.application_id = sent.application_id
                                AND newer.kind = sent.kind AND newer.mailbox = sent.mailbox)",
        )
        .bind(account_id)
        .fetch_all(c)
        .await)?)
    }
}
