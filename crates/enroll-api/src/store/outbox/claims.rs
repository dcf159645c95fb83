//! A sender's side of the outbox: the next email due, claiming it under a
//! lease (so two senders, or two instances, never send one email twice),
//! its outcome, releasing claims at shutdown, and the operator's retry.
//! Bodies that carried a secret are erased once the email is done with.

use enroll_core::outbox::{after_attempt, Attempt, Outcome};
pub use enroll_core::outbox::{Delivery, EmailKind};

use super::{secs, unsecs, Store, StoreError};

use super::{Claim, Claimed};

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

const CLAIMABLE: &str = claimable_at!("$1");
const CLAIMABLE_AT_4: &str = claimable_at!("$4");
const IN_TURN: &str = in_turn!();

/// The body's columns as an outcome leaves them: a secret goes once the
/// email is done with (sent, failed or expired).
pub(super) const ERASE_IF_DONE: &str = "
    body = CASE WHEN $1 THEN '' ELSE body END,
    html = CASE WHEN $1 THEN '' ELSE html END,
    erased_at = CASE WHEN $1 THEN $2 ELSE erased_at END";

fn erases(kind: EmailKind, state: Delivery) -> bool {
    kind.carries_secret() && state.is_final()
}

/// A due email as a sender's look reads it.
#[derive(sqlx::FromRow)]
struct DueRow {
    id: i64,
    kind: String,
    to_address: String,
    locale: String,
    subject: String,
    body: String,
    html: String,
    message_id: String,
    attempts: i64,
    queued_at: i64,
    expires_at: i64,
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
    /// When the next email falls due (clock seconds; at or before `now`
    /// means now), if any is waiting. A read: a sender looks often.
    pub async fn next_email_due(&self) -> Result<Option<u64>, StoreError> {
        let sql = format!(
            "SELECT MIN(CASE state WHEN 'queued' THEN 0
                                   WHEN 'sending' THEN claimed_until
                                   ELSE next_attempt_at END)
             FROM outbox WHERE state IN ('queued', 'retrying', 'sending') AND {IN_TURN}"
        );
        let mut conn = self.acquire().await?;
        let due: Option<i64> = on!(conn, c => sqlx::query_scalar(&sql).fetch_one(c).await)?;
        Ok(due.map(unsecs))
    }

    /// Claims the most urgent due email (`CLAIMABLE`, and not one of
    /// `in_flight`) for `lease` seconds under the token `claim`: codes,
    /// passwords and links first, then the oldest. An email found past its
    /// life is marked expired instead (and its secret erased).
    ///
    /// Two senders (in one process or in two instances) never take one
    /// email: on PostgreSQL the look locks the row it finds and passes
    /// over rows another sender holds (`FOR UPDATE SKIP LOCKED`), so
    /// senders take different emails at once without queuing behind the
    /// store's other writes; on SQLite the one writer excludes it. Each
    /// update is guarded by the condition of the look as well.
    pub async fn claim_email(
        &self,
        now: u64,
        lease: u64,
        claim: String,
        in_flight: &[i64],
    ) -> Result<Claim, StoreError> {
        // Never one this sender is still sending: a clock moved forward
        // (a test's, or a step of the machine's) may end a lease early.
        let skip: Vec<String> = (0..in_flight.len())
            .map(|n| format!("${}", n + 2))
            .collect();
        let skip = if skip.is_empty() {
            String::new()
        } else {
            format!("AND id NOT IN ({})", skip.join(", "))
        };
        let lock = if self.is_postgres() {
            "FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let look = format!(
            "SELECT id, kind, to_address, locale, subject, body, html, message_id,
                    attempts, queued_at, expires_at
             FROM outbox WHERE ({CLAIMABLE}) {skip}
             ORDER BY priority, queued_at, id LIMIT 1 {lock}"
        );
        let in_flight = in_flight.to_vec();
        let claimed = self
            .write_unserialized(move |tx| {
                Box::pin(async move {
                    let row: Option<DueRow> = on!(tx, c => {
                        let mut query = sqlx::query_as(&look).bind(secs(now));
                        for id in &in_flight {
                            query = query.bind(*id);
                        }
                        query.fetch_optional(c).await
                    })?;
                    let Some(row) = row else {
                        return Ok(Claim::Nothing);
                    };
                    let id = row.id;
                    let kind = EmailKind::parse(&row.kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("outbox kind {:?}", row.kind)))?;
                    let to = row.to_address;
                    if now >= unsecs(row.expires_at) {
                        let sql = format!(
                            "UPDATE outbox SET state = 'expired', claim = NULL, claimed_until = NULL,
                                 last_reply = 'not sent: what it carried had run out', {ERASE_IF_DONE}
                             WHERE id = $3 AND ({CLAIMABLE_AT_4})"
                        );
                        let expired = execute!(tx, c => sqlx::query(&sql)
                            .bind(erases(kind, Delivery::Expired))
                            .bind(secs(now))
                            .bind(id)
                            .bind(secs(now)))?;
                        return Ok(if expired == 1 {
                            Claim::Expired { id, kind, to }
                        } else {
                            Claim::Nothing
                        });
                    }
                    let attempt = u32::try_from(row.attempts).unwrap_or(0) + 1;
                    let sql = format!(
                        "UPDATE outbox SET state = 'sending', claim = $1, claimed_until = $2,
                             attempts = $3 WHERE id = $5 AND ({CLAIMABLE_AT_4})"
                    );
                    let taken = execute!(tx, c => sqlx::query(&sql)
                        .bind(&claim)
                        .bind(secs(now + lease))
                        .bind(i64::from(attempt))
                        .bind(secs(now))
                        .bind(id))?;
                    if taken != 1 {
                        return Ok(Claim::Nothing);
                    }
                    Ok(Claim::Email(Box::new(Claimed {
                        id,
                        kind,
                        to,
                        locale: row.locale,
                        subject: row.subject,
                        body: row.body,
                        html: row.html,
                        message_id: row.message_id,
                        attempt,
                        queued_at: unsecs(row.queued_at),
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
                    let sql = format!(
                        "UPDATE outbox SET state = $4, last_reply = $5, sent_at = $6,
                             next_attempt_at = COALESCE($7, next_attempt_at),
                             claim = NULL, claimed_until = NULL, {ERASE_IF_DONE}
                         WHERE id = $3 AND claim = $8"
                    );
                    let result = execute!(tx, c => sqlx::query(&sql)
                        .bind(erase)
                        .bind(secs(now))
                        .bind(id)
                        .bind(recorded.state.as_str())
                        .bind(&recorded.reply)
                        .bind(sent_at)
                        .bind(recorded.next_attempt_at.map(secs))
                        .bind(&claim))?;
                    Ok(result)
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
    pub(super) fn secret_erased(&self) {
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
        let crate::store::Pool::Sqlite(pool) = &self.pool else {
            // PostgreSQL keeps no write-ahead log of ours to empty: its
            // own log is recycled by the server.
            return;
        };
        let emptied = async {
            let mut conn = pool.acquire().await?;
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
                let released = execute!(tx, c => sqlx::query(
                    "UPDATE outbox SET state = 'retrying', next_attempt_at = $1, claim = NULL,
                         claimed_until = NULL
                     WHERE state = 'sending' AND claim LIKE $2",
                )
                .bind(secs(now))
                .bind(&pattern))?;
                Ok(released)
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
                let row: Option<(String, Option<i64>, String)> = on!(tx, c => sqlx::query_as(
                    "SELECT state, erased_at, kind FROM outbox WHERE id = $1"
                )
                .bind(id)
                .fetch_optional(c)
                .await)?;
                let Some((state, erased_at, kind)) = row else {
                    return Ok(Err(RetryRefused::Missing(id)));
                };
                let state = Delivery::parse(&state)
                    .ok_or_else(|| StoreError::Corrupt(format!("outbox state {state:?}")))?;
                if state != Delivery::Failed {
                    return Ok(Err(RetryRefused::NotFailed {
                        id,
                        state: state.as_str(),
                    }));
                }
                if erased_at.is_some() {
                    return Ok(Err(RetryRefused::Erased(id)));
                }
                let life = EmailKind::parse(&kind).map_or(0, EmailKind::lifetime_secs);
                execute!(tx, c => sqlx::query(
                    "UPDATE outbox SET state = 'queued', queued_at = $1, next_attempt_at = $1,
                         expires_at = $2, attempts = 0 WHERE id = $3",
                )
                .bind(secs(now))
                .bind(secs(now + life))
                .bind(id))?;
                Ok(Ok(()))
            })
        })
        .await
    }
}
