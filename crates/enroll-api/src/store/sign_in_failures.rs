//! Failed sign-ins, counted before each attempt is checked: per address
//! and client, per client, and per address from everywhere (a lock, with
//! one email a day to its owner).

use super::outbox::insert_email;
use super::{secs, unsecs, Conn, NewEmail, Record, Store, StoreError};

/// A limit on attempts to sign in: at most `limit` counted against `scope`
/// over the last `window_secs`.
#[derive(Clone, Debug)]
pub struct AttemptLimit {
    pub scope: String,
    pub limit: u32,
    pub window_secs: u64,
}

/// The email telling the user (at `to`) of the account whose application
/// is `holder` that signing in with their address is paused.
pub type LockNotice = fn(holder: &Record, to: &str, now: u64) -> NewEmail;

/// The bound past which a scope (the address `login`, from all clients) is
/// locked for `lock_secs`, and `notice` queued to its owner, if it has one.
#[derive(Clone, Debug)]
pub struct Lockout {
    pub scope: String,
    pub login: String,
    pub limit: u32,
    pub window_secs: u64,
    pub lock_secs: u64,
    pub notice: Option<LockNotice>,
}

/// What counting an attempt came to: its rows (to forgive if it was
/// right), or the seconds to wait; and whether an email was queued.
type Counted = (Result<Vec<i64>, u64>, bool);

/// `Store::begin_attempt`'s work, in its transaction.
async fn count_attempt(
    tx: &mut Conn<'_>,
    limits: Vec<AttemptLimit>,
    lockout: Lockout,
    now: u64,
) -> Result<Counted, StoreError> {
    let longest = limits
        .iter()
        .map(|l| l.window_secs)
        .chain([lockout.window_secs])
        .max()
        .unwrap_or(0);
    let forgotten = secs(now.saturating_sub(longest));
    for sql in [
        "DELETE FROM sign_in_failures WHERE at <= $1",
        // A lock over for a whole window: its notice may go again.
        "DELETE FROM sign_in_locks WHERE until <= $1",
    ] {
        execute!(tx, c => sqlx::query(sql).bind(forgotten))?;
    }
    let lock: Option<(i64, Option<i64>)> = on!(tx, c => sqlx::query_as(
        "SELECT until, notified_at FROM sign_in_locks WHERE scope = $1"
    )
    .bind(&lockout.scope)
    .fetch_optional(c)
    .await)?;
    let (until, notified_at) = match lock {
        Some((until, notified_at)) => (Some(until), notified_at),
        None => (None, None),
    };
    if let Some(until) = until.map(unsecs).filter(|until| *until > now) {
        return Ok((Err(until - now), false));
    }
    for limit in &limits {
        let since = secs(now.saturating_sub(limit.window_secs));
        let (attempts, oldest): (i64, Option<i64>) = on!(tx, c => sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE scope = $1 AND at > $2",
        )
        .bind(&limit.scope)
        .bind(since)
        .fetch_one(c)
        .await)?;
        if attempts >= i64::from(limit.limit) {
            let free_at = oldest.map_or(now, unsecs) + limit.window_secs;
            return Ok((Err(free_at.saturating_sub(now).max(1)), false));
        }
    }
    let since = secs(now.saturating_sub(lockout.window_secs));
    let failures: i64 = on!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_in_failures WHERE scope = $1 AND at > $2"
    )
    .bind(&lockout.scope)
    .bind(since)
    .fetch_one(c)
    .await)?;
    if failures >= i64::from(lockout.limit) {
        // Locked for the hour; the failures stay counted, so after it the
        // address locks again until fewer than the limit are left in the
        // window: at most `limit` guesses a window, however many clients.
        // Its owner is told once a window.
        let due = notified_at.is_none_or(|at| unsecs(at) + lockout.window_secs <= now);
        let mut queued = false;
        if due {
            if let Some(notice) = lockout.notice {
                queued = queue_lock_notice(tx, &lockout.login, notice, now).await?;
            }
        }
        execute!(tx, c => sqlx::query(
            "INSERT INTO sign_in_locks (scope, until, notified_at) VALUES ($1, $2, $3)
             ON CONFLICT (scope) DO UPDATE SET until = excluded.until,
                 notified_at = COALESCE(excluded.notified_at, sign_in_locks.notified_at)",
        )
        .bind(&lockout.scope)
        .bind(secs(now + lockout.lock_secs))
        .bind(due.then(|| secs(now))))?;
        return Ok((Err(lockout.lock_secs), queued));
    }
    let mut ids = Vec::new();
    let scopes = limits.iter().map(|l| &l.scope).chain([&lockout.scope]);
    for scope in scopes {
        let id: i64 = on!(tx, c => sqlx::query_scalar(
            "INSERT INTO sign_in_failures (scope, at) VALUES ($1, $2) RETURNING id"
        )
        .bind(scope)
        .bind(secs(now))
        .fetch_one(c)
        .await)?;
        ids.push(id);
    }
    Ok((Ok(ids), false))
}

/// Queues the lock's notice to the user signing in as `login`, if there is
/// one (an unknown address has nobody to tell): whether it was queued.
async fn queue_lock_notice(
    tx: &mut Conn<'_>,
    login: &str,
    notice: LockNotice,
    now: u64,
) -> Result<bool, StoreError> {
    let row: Option<(String, String)> = on!(tx, c => sqlx::query_as(
        "SELECT u.email, a.application_id FROM users u JOIN accounts a ON a.id = u.account_id
         WHERE u.login = $1",
    )
    .bind(login)
    .fetch_optional(c)
    .await)?;
    let Some((email, application_id)) = row else {
        return Ok(false);
    };
    let Some(holder) = super::records::load(tx, &application_id).await? else {
        return Ok(false);
    };
    insert_email(tx, &notice(&holder, &email, now)).await?;
    Ok(true)
}

impl Store {
    /// Counts an attempt to sign in (a password or a code) before it is
    /// checked, against each of `limits` (over its own window), and
    /// against `lockout`: refused (the seconds to wait) while any is at
    /// its limit or the lockout's scope is locked. Reaching the lockout's
    /// limit locks its scope for `lock_secs`, forgets its count (so the
    /// next lock needs as many failures again) and queues `notice`. The
    /// ids counted, for `forgive_attempt` when it was right.
    pub async fn begin_attempt(
        &self,
        limits: Vec<AttemptLimit>,
        lockout: Lockout,
        now: u64,
    ) -> Result<Result<Vec<i64>, u64>, StoreError> {
        let (counted, queued) = self
            .write(move |tx| Box::pin(count_attempt(tx, limits, lockout, now)))
            .await?;
        if queued {
            super::outbox::wake_senders();
        }
        Ok(counted)
    }

    /// A right attempt: it does not count as a failure.
    pub async fn forgive_attempt(&self, ids: Vec<i64>) -> Result<(), StoreError> {
        self.write(move |tx| {
            Box::pin(async move {
                for id in ids {
                    execute!(tx, c => sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
                        .bind(id))?;
                }
                Ok(())
            })
        })
        .await
    }
}
