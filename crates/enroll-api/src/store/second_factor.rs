//! The second factor: an authenticator's secret offered then confirmed,
//! each time step accepted once, recovery codes used once.

use super::sessions::{pass_mfa_and_rotate, NewToken};
use super::{secs, Store, StoreError};

impl Store {
    /// Offers a new TOTP secret to the user (not used until confirmed).
    pub async fn offer_totp(&self, user_id: &str, secret: &str) -> Result<(), StoreError> {
        let sql = "UPDATE users SET totp_offered = ? WHERE id = ?";
        self.execute(sql, vec![secret.into(), user_id.into()])
            .await
            .map(drop)
    }

    /// Makes the offered secret the user's second factor, `step` its first
    /// accepted code, with these recovery codes (hashed) replacing any
    /// earlier ones; the session confirming it counts as having given the
    /// code, and the user's other sessions end. False when `offered` is no
    /// longer the one offered.
    pub async fn confirm_totp(
        &self,
        user_id: &str,
        offered: &str,
        step: u64,
        recovery_hashes: Vec<String>,
        session: &NewToken,
    ) -> Result<bool, StoreError> {
        let (user_id, offered, session) = (user_id.to_owned(), offered.to_owned(), session.clone());
        self.write(move |tx| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE users SET totp_secret = totp_offered, totp_offered = NULL, totp_last_step = ?
                     WHERE id = ? AND totp_offered = ?",
                )
                .bind(secs(step))
                .bind(&user_id)
                .bind(&offered)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Ok(false);
                }
                sqlx::query("DELETE FROM recovery_codes WHERE user_id = ?")
                    .bind(&user_id)
                    .execute(&mut *tx)
                    .await?;
                for hash in recovery_hashes {
                    sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)")
                        .bind(&user_id)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
                pass_mfa_and_rotate(tx, &session).await?;
                // Sessions signed in before, without a code, end: from now
                // on signing in needs one.
                sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash != ?")
                    .bind(&user_id)
                    .bind(&session.new_hash)
                    .execute(&mut *tx)
                    .await?;
                Ok(true)
            })
        })
        .await
    }

    /// Accepts the TOTP code of time step `step` for the user once: false
    /// when that step, or a later one, was accepted before (a replay).
    pub async fn accept_totp_step(&self, user_id: &str, step: u64) -> Result<bool, StoreError> {
        let sql = "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?";
        let changed = self
            .execute(sql, vec![step.into(), user_id.into(), step.into()])
            .await?;
        Ok(changed == 1)
    }

    /// Uses up one of the user's recovery codes: false when it is not one
    /// of theirs or was used before.
    pub async fn use_recovery_code(
        &self,
        user_id: &str,
        code_hash: &str,
        now: u64,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE recovery_codes SET used_at = ?
                   WHERE user_id = ? AND code_hash = ? AND used_at IS NULL";
        let changed = self
            .execute(sql, vec![now.into(), user_id.into(), code_hash.into()])
            .await?;
        Ok(changed == 1)
    }
}
