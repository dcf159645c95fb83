//! The outbox: emails queued in the transaction of what they tell, then
//! claimed by a sender (`crate::mail::sender`) and handed to the relay.
//! The rules (kinds, priorities, lives, retries) are enroll-core's
//! `outbox`; this is where they meet SQL.

use sqlx::{Row, SqliteConnection};
use std::time::Duration;

use enroll_core::outbox::{after_attempt, Attempt, Outcome};
pub use enroll_core::outbox::{Delivery, EmailKind};

use super::{secs, unsecs, Store, StoreError, WriteFuture};

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

/// An email to queue (`Debug` without the body).
#[derive(Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub kind: EmailKind,
    pub application_id: String,
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
            .field("application_id", &self.application_id)
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

/// The mailbox an address delivers to: lower case, without a `+tag`
/// (jane+1@contoso.com and Jane@contoso.com are one inbox).
pub(super) fn mailbox(address: &str) -> String {
    let address = address.trim().to_lowercase();
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{local}@{domain}")
        }
        None => address,
    }
}

async fn resume_queued(
    conn: &mut SqliteConnection,
    application_id: &str,
    key: &str,
) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM outbox
         WHERE application_id = ? AND kind = ? AND request_key = ?)",
    )
    .bind(application_id)
    .bind(EmailKind::Resume.as_str())
    .bind(key)
    .fetch_one(&mut *conn)
    .await?)
}

/// Queues `email`, due at once, with a Message-ID of its own. Inside the
/// caller's transaction: the email exists exactly when what it tells does.
/// Callers reach it through `Store::write_queuing`, which wakes the sender.
pub(super) async fn insert_email(
    conn: &mut SqliteConnection,
    email: &NewEmail,
) -> Result<(), StoreError> {
    let message_id = crate::auth::random_hex(16)
        .map_err(|e| StoreError::Interrupted(format!("no randomness for a Message-ID: {e}")))?;
    let id = sqlx::query(
        "INSERT INTO outbox (kind, application_id, to_address, mailbox, locale, subject, body,
                            html, request_key, message_id, priority, state, queued_at,
                            next_attempt_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
    )
    .bind(email.kind.as_str())
    .bind(&email.application_id)
    .bind(&email.to)
    .bind(mailbox(&email.to))
    .bind(&email.locale)
    .bind(&email.subject)
    .bind(&email.body)
    .bind(&email.html)
    .bind(&email.request_key)
    .bind(message_id)
    .bind(i64::from(email.kind.priority()))
    .bind(secs(email.queued_at))
    .bind(secs(email.queued_at))
    .bind(secs(email.queued_at + email.kind.lifetime_secs()))
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    if email.kind == EmailKind::Resume {
        // A link works as long as the draft's token: not past it.
        sqlx::query(
            "UPDATE outbox SET expires_at = MIN(expires_at, COALESCE(
                 (SELECT CAST(strftime('%s', token_expires_at) AS INTEGER)
                  FROM applications WHERE id = outbox.application_id), expires_at))
             WHERE id = ?",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    if email.kind.replaced_by_newer() {
        // An earlier code (of the application: one at a time, for the
        // admin's address or a domain) or temporary password (of
        // the same user) not yet handed over is dead: never sent.
        sqlx::query(&format!(
            "UPDATE outbox SET state = 'expired', last_reply = 'not sent: a newer one replaced it',
                 {ERASE_IF_DONE}
             WHERE id < ?3 AND kind = ?4 AND application_id = ?5
               AND (?4 IN ('admin_code', 'domain_code') OR mailbox = ?6)
               AND state IN ('queued', 'retrying')"
        ))
        .bind(true)
        .bind(secs(email.queued_at))
        .bind(id)
        .bind(email.kind.as_str())
        .bind(&email.application_id)
        .bind(mailbox(&email.to))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Seconds until the oldest of the emails counted by `filter` (of `kind`,
/// in the last hour) leaves the hour, if there are `limit` or more.
async fn wait_for_slot(
    conn: &mut SqliteConnection,
    kind: EmailKind,
    filter: &str,
    value: &str,
    limit: u32,
) -> Result<Option<Throttled>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT COUNT(*) AS sent,
                COALESCE(CAST(strftime('%s', MIN(created_at)) AS INTEGER) + 3600
                         - CAST(strftime('%s', 'now') AS INTEGER), 0) AS wait
         FROM outbox
         WHERE kind = ? AND {filter} = ?
           AND created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-3600 seconds')"
    ))
    .bind(kind.as_str())
    .bind(value)
    .fetch_one(&mut *conn)
    .await?;
    let sent: i64 = row.try_get("sent")?;
    let wait: i64 = row.try_get("wait")?;
    Ok((sent >= i64::from(limit)).then(|| Throttled {
        retry_after: Duration::from_secs(wait.clamp(1, 3600).unsigned_abs()),
    }))
}

/// Not behind an earlier email of its application that must arrive first
/// (enroll-core's `EmailKind::in_order`: status emails, so "in review"
/// never arrives after "approved").
macro_rules! in_turn {
    () => {
        "(kind <> 'status' OR NOT EXISTS (SELECT 1 FROM outbox AS earlier
            WHERE earlier.application_id = outbox.application_id AND earlier.kind = 'status'
              AND earlier.id < outbox.id AND earlier.state IN ('queued', 'sending', 'retrying')))"
    };
}

/// Which emails a sender may take at `$now` (a parameter): queued (due at
/// once, whichever clock queued it: an operator's command has its own),
/// retrying and due, or sending under a lease that ran out (its sender
/// died); and in turn.
macro_rules! claimable_at {
    ($now:literal) => {
        concat!(
            "(state = 'queued' OR (state = 'retrying' AND next_attempt_at <= ",
            $now,
            ") OR (state = 'sending' AND claimed_until <= ",
            $now,
            ")) AND ",
            in_turn!()
        )
    };
}

const CLAIMABLE: &str = claimable_at!("?1");
const CLAIMABLE_AT_4: &str = claimable_at!("?4");
const IN_TURN: &str = in_turn!();

/// The body's columns as an outcome leaves them: a secret goes once the
/// email is done with (sent, failed or expired).
const ERASE_IF_DONE: &str = "
    body = CASE WHEN ?1 THEN '' ELSE body END,
    html = CASE WHEN ?1 THEN '' ELSE html END,
    erased_at = CASE WHEN ?1 THEN ?2 ELSE erased_at END";

fn erases(kind: EmailKind, state: Delivery) -> bool {
    kind.carries_secret() && state.is_final()
}

fn email_of(row: &sqlx::sqlite::SqliteRow) -> Result<Email, StoreError> {
    let state: String = row.try_get("state")?;
    let next: Option<String> = row.try_get("next_attempt")?;
    let state = Delivery::parse(&state)
        .ok_or_else(|| StoreError::Corrupt(format!("outbox state {state:?}")))?;
    Ok(Email {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        application_id: row.try_get("application_id")?,
        to: row.try_get("to_address")?,
        locale: row.try_get("locale")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        html: row.try_get("html")?,
        created_at: row.try_get("created_at")?,
        next_attempt_at: next.filter(|_| state == Delivery::Retrying),
        state,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(0),
        last_reply: row.try_get("last_reply")?,
        sent_at: row.try_get("sent")?,
        erased: row.try_get::<Option<i64>, _>("erased_at")?.is_some(),
    })
}

/// Why `enroll-api outbox retry` did not queue an email again.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RetryRefused {
    #[error("no email #{0}")]
    Missing(i64),
    #[error("email #{id} is {state}: only a failed email is sent again")]
    NotFailed { id: i64, state: &'static str },
    #[error(
        "email #{0} carried a code, a password or a link, erased when it failed: \
         ask for a new one instead (a new code, the invitation sent again)"
    )]
    Erased(i64),
}

impl Store {
    /// `write`, for work that may queue emails: the senders of this
    /// process are woken once it has committed.
    pub(crate) async fn write_queuing<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> WriteFuture<'c, T> + Send + 'static,
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
                if let Some(key) = &email.request_key {
                    if resume_queued(tx, &email.application_id, key).await? {
                        return Ok(Ok(()));
                    }
                }
                let mailbox = mailbox(&email.to);
                for (filter, value, limit) in [
                    (
                        "application_id",
                        email.application_id.as_str(),
                        per_application,
                    ),
                    ("mailbox", mailbox.as_str(), per_recipient),
                ] {
                    if let Some(throttled) = wait_for_slot(tx, kind, filter, value, limit).await? {
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
        let mut conn = self.pool.acquire().await?;
        resume_queued(&mut conn, application_id, key).await
    }

    /// Every email, oldest first; only those in `state` when given.
    pub async fn outbox(&self, state: Option<Delivery>) -> Result<Vec<Email>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, application_id, to_address, locale, subject, body, html, created_at,
                    state, attempts, last_reply, erased_at,
                    strftime('%Y-%m-%dT%H:%M:%SZ', next_attempt_at, 'unixepoch') AS next_attempt,
                    strftime('%Y-%m-%dT%H:%M:%SZ', sent_at, 'unixepoch') AS sent
             FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY id",
        )
        .bind(state.map(Delivery::as_str))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(email_of).collect()
    }

    /// Where the newest code proving application `id`'s admin address is
    /// on its way (None: no code was sent).
    pub async fn admin_code_delivery(&self, id: &str) -> Result<Option<Delivery>, StoreError> {
        let state: Option<String> = sqlx::query_scalar(
            "SELECT state FROM outbox WHERE application_id = ? AND kind = ?
             ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .bind(EmailKind::AdminCode.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(state.as_deref().and_then(Delivery::parse))
    }

    /// The addresses of account `account_id`'s users whose newest
    /// temporary-password email failed or expired.
    pub async fn undelivered_invitations(
        &self,
        account_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT sent.to_address FROM outbox AS sent
             JOIN accounts ON accounts.application_id = sent.application_id
             WHERE accounts.id = ? AND sent.kind = 'temporary_password'
               AND sent.state IN ('failed', 'expired')
               AND sent.id = (SELECT MAX(newer.id) FROM outbox AS newer
                              WHERE newer.application_id = sent.application_id
                                AND newer.kind = sent.kind AND newer.mailbox = sent.mailbox)",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// When the next email falls due (clock seconds; at or before `now`
    /// means now), if any is waiting. A read: a sender looks often.
    pub async fn next_email_due(&self) -> Result<Option<u64>, StoreError> {
        let due: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT MIN(CASE state WHEN 'queued' THEN 0
                                   WHEN 'sending' THEN claimed_until
                                   ELSE next_attempt_at END)
             FROM outbox WHERE state IN ('queued', 'retrying', 'sending') AND {IN_TURN}"
        ))
        .fetch_one(&self.pool)
        .await?;
        Ok(due.map(unsecs))
    }

    /// Claims the most urgent due email (`CLAIMABLE`, and not one of
    /// `in_flight`) for `lease` seconds under the token `claim`: codes,
    /// passwords and links first, then the oldest. An email found past its
    /// life is marked expired instead (and its secret erased). Each update
    /// is guarded by the condition of the look, so that where another
    /// process may claim meanwhile (PostgreSQL under read committed;
    /// SQLite's one writer already excludes it) only one claim matches.
    pub async fn claim_email(
        &self,
        now: u64,
        lease: u64,
        claim: String,
        in_flight: &[i64],
    ) -> Result<Claim, StoreError> {
        // Never one this sender is still sending: a clock moved forward
        // (a test's, or a step of the machine's) may end a lease early.
        let skip = serde_json::to_string(in_flight)
            .map_err(|e| StoreError::Corrupt(format!("in-flight ids: {e}")))?;
        let claimed = self
            .write(move |tx| {
                Box::pin(async move {
                    let row = sqlx::query(&format!(
                        "SELECT id, kind, to_address, locale, subject, body, html, message_id,
                                attempts, queued_at, expires_at
                         FROM outbox WHERE ({CLAIMABLE})
                           AND id NOT IN (SELECT value FROM json_each(?2))
                         ORDER BY priority, queued_at, id LIMIT 1"
                    ))
                    .bind(secs(now))
                    .bind(skip)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(row) = row else {
                        return Ok(Claim::Nothing);
                    };
                    let id: i64 = row.try_get("id")?;
                    let kind: String = row.try_get("kind")?;
                    let kind = EmailKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("outbox kind {kind:?}")))?;
                    let to: String = row.try_get("to_address")?;
                    if now >= unsecs(row.try_get("expires_at")?) {
                        let expired = sqlx::query(&format!(
                            "UPDATE outbox SET state = 'expired', claim = NULL, claimed_until = NULL,
                                 last_reply = 'not sent: what it carried had run out', {ERASE_IF_DONE}
                             WHERE id = ?3 AND ({CLAIMABLE_AT_4})"
                        ))
                        .bind(erases(kind, Delivery::Expired))
                        .bind(secs(now))
                        .bind(id)
                        .bind(secs(now))
                        .execute(&mut *tx)
                        .await?;
                        return Ok(if expired.rows_affected() == 1 {
                            Claim::Expired { id, kind, to }
                        } else {
                            Claim::Nothing
                        });
                    }
                    let attempt =
                        u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(0) + 1;
                    let taken = sqlx::query(&format!(
                        "UPDATE outbox SET state = 'sending', claim = ?1, claimed_until = ?2,
                             attempts = ?3 WHERE id = ?5 AND ({CLAIMABLE_AT_4})"
                    ))
                    .bind(&claim)
                    .bind(secs(now + lease))
                    .bind(i64::from(attempt))
                    .bind(secs(now))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    if taken.rows_affected() != 1 {
                        return Ok(Claim::Nothing);
                    }
                    Ok(Claim::Email(Box::new(Claimed {
                        id,
                        kind,
                        to,
                        locale: row.try_get("locale")?,
                        subject: row.try_get("subject")?,
                        body: row.try_get("body")?,
                        html: row.try_get("html")?,
                        message_id: row.try_get("message_id")?,
                        attempt,
                        queued_at: unsecs(row.try_get("queued_at")?),
                        claim,
                    })))
                })
            })
            .await?;
        if matches!(&claimed, Claim::Expired { kind, .. } if kind.carries_secret()) {
            self.secret_erased();
        }
        Ok(claimed)
    }

    /// Records how the attempt on `email` ended at `now`, if its claim is
    /// still the holder's (a sender whose lease ran out records nothing:
    /// another has the email). The outcome, by enroll-core's rules.
    pub async fn finish_email(
        &self,
        email: &Claimed,
        attempt: Attempt,
        now: u64,
        jitter: u16,
    ) -> Result<Option<Outcome>, StoreError> {
        let outcome = after_attempt(
            email.kind,
            email.queued_at,
            email.attempt,
            now,
            attempt,
            jitter,
        );
        let erase = erases(email.kind, outcome.state);
        let (id, claim, recorded) = (email.id, email.claim.clone(), outcome.clone());
        let changed = self
            .write(move |tx| {
                Box::pin(async move {
                    let sent_at = (recorded.state == Delivery::Sent).then_some(secs(now));
                    let result = sqlx::query(&format!(
                        "UPDATE outbox SET state = ?4, last_reply = ?5, sent_at = ?6,
                             next_attempt_at = COALESCE(?7, next_attempt_at),
                             claim = NULL, claimed_until = NULL, {ERASE_IF_DONE}
                         WHERE id = ?3 AND claim = ?8"
                    ))
                    .bind(erase)
                    .bind(secs(now))
                    .bind(id)
                    .bind(recorded.state.as_str())
                    .bind(&recorded.reply)
                    .bind(sent_at)
                    .bind(recorded.next_attempt_at.map(secs))
                    .bind(claim)
                    .execute(&mut *tx)
                    .await?;
                    Ok(result.rows_affected())
                })
            })
            .await?;
        if changed == 1 && erase {
            self.secret_erased();
        }
        Ok((changed == 1).then_some(outcome))
    }

    /// Notes that a secret was erased: the write-ahead log may still hold
    /// the page as it was, until `flush_if_needed` empties it.
    fn secret_erased(&self) {
        self.unflushed
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Writes the write-ahead log into the file and empties it, if a
    /// secret was erased since it was last emptied; the sender calls it
    /// whenever it has nothing to send. Emptying waits for readers and
    /// holds writers meanwhile: on a connection told to wait 100 ms at
    /// most, so a save is never held longer; a busy log is tried again at
    /// the next idle moment.
    pub async fn flush_if_needed(&self) {
        use std::sync::atomic::Ordering;
        if !self.unflushed.swap(false, Ordering::SeqCst) {
            return;
        }
        let emptied = async {
            let mut conn = self.pool.acquire().await?;
            sqlx::query("PRAGMA busy_timeout = 100")
                .execute(&mut *conn)
                .await?;
            let done: Result<(i64, i64, i64), sqlx::Error> =
                sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(&mut *conn)
                    .await;
            sqlx::query("PRAGMA busy_timeout = 5000")
                .execute(&mut *conn)
                .await?;
            done.map(|(busy, _, _)| busy == 0)
        };
        let emptied: Result<bool, sqlx::Error> = emptied.await;
        if !matches!(emptied, Ok(true)) {
            self.secret_erased();
        }
    }

    /// Gives back the emails a stopping sender (claims starting with
    /// `sender.`) still holds: due again at `now`, not after their lease.
    pub async fn release_claims(&self, sender: &str, now: u64) -> Result<u64, StoreError> {
        let pattern = format!("{sender}.%");
        self.write(move |tx| {
            Box::pin(async move {
                let released = sqlx::query(
                    "UPDATE outbox SET state = 'retrying', next_attempt_at = ?, claim = NULL,
                         claimed_until = NULL
                     WHERE state = 'sending' AND claim LIKE ?",
                )
                .bind(secs(now))
                .bind(pattern)
                .execute(&mut *tx)
                .await?;
                Ok(released.rows_affected())
            })
        })
        .await
    }

    /// Queues failed email `id` again, due at `now` (the operator's
    /// `outbox retry`), with a day of retries from now.
    pub async fn retry_email(
        &self,
        id: i64,
        now: u64,
    ) -> Result<Result<(), RetryRefused>, StoreError> {
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let row = sqlx::query("SELECT state, erased_at, kind FROM outbox WHERE id = ?")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else {
                    return Ok(Err(RetryRefused::Missing(id)));
                };
                let state: String = row.try_get("state")?;
                let state = Delivery::parse(&state)
                    .ok_or_else(|| StoreError::Corrupt(format!("outbox state {state:?}")))?;
                if state != Delivery::Failed {
                    return Ok(Err(RetryRefused::NotFailed {
                        id,
                        state: state.as_str(),
                    }));
                }
                if row.try_get::<Option<i64>, _>("erased_at")?.is_some() {
                    return Ok(Err(RetryRefused::Erased(id)));
                }
                let kind: String = row.try_get("kind")?;
                let life = EmailKind::parse(&kind).map_or(0, EmailKind::lifetime_secs);
                sqlx::query(
                    "UPDATE outbox SET state = 'queued', queued_at = ?1, next_attempt_at = ?1,
                         expires_at = ?2, attempts = 0 WHERE id = ?3",
                )
                .bind(secs(now))
                .bind(secs(now + life))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                Ok(Ok(()))
            })
        })
        .await
    }
}
