//! The second factor: an authenticator's secret offered then confirmed,
//! each time step accepted once, recovery codes used once.

use super::sessions::{pass_mfa_and_rotate, NewToken};
use super::{secs, Store, StoreError};

impl Store {
    /// Offers a new TOTP secret to the user (not used until confirmed).
    pub async fn offer_totp(&self, user_id: &str, secret: &str) -> Result<(), StoreError> {
        let sql = "UPDATE users SET totp_offered = $1 WHERE id = $2";
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
                let done = execute!(tx, c => sqlx::query(
                    "UPDATE users SET totp_secret = totp_offered, totp_offered = NULL, totp_last_step = $1
                     WHERE id = $2 AND totp_offered = $3",
                )
                .bind(secs(step))
                .bind(&user_id)
                .bind(&offered))?;
                if done != 1 {
                    return Ok(false);
                }
                execute!(tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                    .bind(&user_id))?;
                for hash in &recovery_hashes {
                    execute!(tx, c => sqlx::query(
                        "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)"
                    )
                    .bind(&user_id)
                    .bind(hash))?;
                }
                pass_mfa_and_rotate(tx, &session).await?;
                // Sessions signed in before, without a code, end: from now
                // on signing in needs one.
                execute!(tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                    .bind(&user_id)
                    .bind(&session.new_hash))?;
                Ok(true)
            })
        })
        .await
    }

    /// Accepts the TOTP code of time step `step` for the user once: false
    /// when that step, or a later one, was accepted before (a replay).
    pub async fn accept_totp_step(&self, user_id: &str, step: u64) -> Result<bool, StoreError> {
        let sql = "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1";
        let changed = self.execute(sql, vec![step.into(), user_id.into()]).await?;
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
        let sql = "UPDATE recovery_codes SET used_at = $1
                   WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL";
        let changed = self
            .execute(sql, vec![now.into(), user_id.into(), code_hash.into()])
            .await?;
        Ok(changed == 1)
    }
}
