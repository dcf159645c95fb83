//! Token buckets for the per-client rate limits (`crate::throttle`), one
//! row per (action, scope). Each take is one upsert that refills the
//! bucket, takes a token if one is there and answers what is left, in the
//! same statement on both engines: two instances taking from one bucket at
//! once are ordered by the row's lock, so together they grant what one
//! would.

use super::{secs, Store, StoreError};

/// A bucket to take from: what it counts, and how many it holds when full
/// (refilled evenly over `window_secs`).
#[derive(Clone, Debug)]
pub struct Bucket {
    pub scope: String,
    pub limit: u32,
}

/// The tokens in a bucket once refilled at `$4` (now), where `$3` is the
/// limit and `$5` the tokens added a second; a clock read earlier by
/// another instance adds nothing rather than taking.
const REFILLED: &str = "(CASE WHEN rate_buckets.tokens
        + (CASE WHEN $4 > rate_buckets.at THEN $4 - rate_buckets.at ELSE 0 END)
          * CAST($5 AS DOUBLE PRECISION) > CAST($3 AS DOUBLE PRECISION)
    THEN CAST($3 AS DOUBLE PRECISION)
    ELSE rate_buckets.tokens
        + (CASE WHEN $4 > rate_buckets.at THEN $4 - rate_buckets.at ELSE 0 END)
          * CAST($5 AS DOUBLE PRECISION) END)";

impl Store {
    /// Takes one token of `action` from every bucket of `buckets` at `now`,
    /// or none: `Err(seconds)` until each has one again.
    pub async fn take_tokens(
        &self,
        action: &str,
        buckets: Vec<Bucket>,
        window_secs: u64,
        now: u64,
    ) -> Result<Result<(), u64>, StoreError> {
        let action = action.to_owned();
        let take = format!(
            "INSERT INTO rate_buckets (action, scope, tokens, at)
             VALUES ($1, $2, CAST($3 AS DOUBLE PRECISION) - 1, $4)
             ON CONFLICT (action, scope) DO UPDATE
                 SET tokens = {REFILLED} - 1,
                     at = CASE WHEN $4 > rate_buckets.at THEN $4 ELSE rate_buckets.at END
                 WHERE {REFILLED} >= 1
             RETURNING tokens"
        );
        let look = format!("SELECT {REFILLED} FROM rate_buckets WHERE action = $1 AND scope = $2");
        // Row locks keep each upsert whole; the one writer of SQLite, or
        // the rows taken in one order (the client's bucket, then its
        // network's), keep two buckets' takes from deadlocking.
        self.write_unserialized(move |tx| {
            Box::pin(async move {
                let mut taken = Vec::new();
                let mut wait = 0u64;
                for bucket in &buckets {
                    let limit = f64::from(bucket.limit.max(1));
                    let per_second = limit / window_secs.max(1) as f64;
                    // Both statements take the same five parameters.
                    macro_rules! bound {
                        ($sql:expr) => {
                            sqlx::query_scalar($sql)
                                .bind(&action)
                                .bind(&bucket.scope)
                                .bind(limit)
                                .bind(secs(now))
                                .bind(per_second)
                        };
                    }
                    let left: Option<f64> =
                        on!(tx, c => bound!(&take).fetch_optional(c).await)?;
                    if left.is_some() {
                        taken.push(bucket.scope.clone());
                        continue;
                    }
                    let tokens: f64 =
                        on!(tx, c => bound!(&look).fetch_optional(c).await)?.unwrap_or(0.0);
                    let seconds = ((1.0 - tokens) / per_second).ceil().max(1.0);
                    wait = wait.max(seconds as u64);
                }
                if wait == 0 {
                    return Ok(Ok(()));
                }
                // Refused by one bucket: the tokens the others gave go back.
                for scope in taken {
                    execute!(tx, c => sqlx::query(
                        "UPDATE rate_buckets SET tokens = tokens + 1 WHERE action = $1 AND scope = $2"
                    )
                    .bind(&action)
                    .bind(&scope))?;
                }
                Ok(Err(wait))
            })
        })
        .await
    }

    /// Forgets buckets nobody took from since `before`: full by now, they
    /// say nothing a new one would not. On PostgreSQL a bucket being taken
    /// from right now is passed over (`SKIP LOCKED`), so the sweep never
    /// waits for a take nor a take for it.
    pub async fn forget_full_buckets(&self, before: u64) -> Result<u64, StoreError> {
        let sql = if self.is_postgres() {
            "DELETE FROM rate_buckets WHERE (action, scope) IN (
                 SELECT action, scope FROM rate_buckets WHERE at < $1
                 FOR UPDATE SKIP LOCKED)"
        } else {
            "DELETE FROM rate_buckets WHERE at < $1"
        };
        self.write_unserialized(move |tx| {
            Box::pin(async move { Ok(execute!(tx, c => sqlx::query(sql).bind(secs(before)))?) })
        })
        .await
    }
}
