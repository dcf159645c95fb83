//! Sessions: bearer tokens stored hashed, a new one at each step of
//! signing in, ended by signing out, by the operator, idle or old.

use enroll_core::account::limits;
use enroll_core::email::address_key;
use sqlx::{Row, SqliteConnection};

use super::users::{user, User, USER_COLUMNS};
use super::{secs, unsecs, Store, StoreError};

/// A live session and its user.
#[derive(Clone, Debug)]
pub struct Session {
    pub token_hash: String,
    pub created_at: u64,
    pub mfa_passed: bool,
    pub user: User,
}

/// A session's token (as stored: hashed) before and after a change of its
/// stage: each step of signing in gets a token of its own, so a token seen
/// before the step (over a shoulder, in a log) is worth nothing after it.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub old_hash: String,
    pub new_hash: String,
}

/// Gives the session its new token; `SessionEnded` (the transaction rolls
/// back) when it is gone: signed out meanwhile, or the same step taken
/// twice at once, so no answer carries a token that does not work.
async fn rotate(conn: &mut SqliteConnection, token: &NewToken) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE sessions SET token_hash = ? WHERE token_hash = ?")
        .bind(&token.new_hash)
        .bind(&token.old_hash)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::SessionEnded);
    }
    Ok(())
}

/// The session gave its second factor (by a code, or by setting one up):
/// it is signed in, under its new token.
pub(super) async fn pass_mfa_and_rotate(
    conn: &mut SqliteConnection,
    token: &NewToken,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET mfa_passed = 1 WHERE token_hash = ?")
        .bind(&token.old_hash)
        .execute(&mut *conn)
        .await?;
    rotate(conn, token).await
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        now: u64,
        mfa_passed: bool,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, mfa_passed)
                   VALUES (?, ?, ?, ?, ?)";
        let params = vec![
            token_hash.into(),
            user_id.into(),
            now.into(),
            now.into(),
            u64::from(mfa_passed).into(),
        ];
        self.execute(sql, params).await.map(drop)
    }

    /// The session whose token hashes to `token_hash`, if it is still
    /// alive at `now` (not idle too long, not too old); a live one is
    /// marked as seen now, an ended one is deleted.
    pub async fn live_session(
        &self,
        token_hash: &str,
        now: u64,
    ) -> Result<Option<Session>, StoreError> {
        let token_hash = token_hash.to_owned();
        self.write(move |tx| {
            Box::pin(async move {
                let row = sqlx::query(
                    "SELECT created_at, last_seen_at, mfa_passed, user_id FROM sessions WHERE token_hash = ?",
                )
                .bind(&token_hash)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let created_at = unsecs(row.try_get("created_at")?);
                let last_seen_at = unsecs(row.try_get("last_seen_at")?);
                let ended = now >= last_seen_at + limits::SESSION_IDLE_SECS
                    || now >= created_at + limits::SESSION_MAX_SECS;
                if ended {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
                        .bind(&token_hash)
                        .execute(&mut *tx)
                        .await?;
                    return Ok(None);
                }
                let user_id: String = row.try_get("user_id")?;
                let user_row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))
                    .bind(&user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(user_row) = user_row else {
                    return Ok(None);
                };
                sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
                    .bind(secs(now))
                    .bind(&token_hash)
                    .execute(&mut *tx)
                    .await?;
                Ok(Some(Session {
                    token_hash,
                    created_at,
                    mfa_passed: row.try_get("mfa_passed")?,
                    user: user(&user_row)?,
                }))
            })
        })
        .await
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM sessions WHERE token_hash = ?";
        self.execute(sql, vec![token_hash.into()]).await.map(drop)
    }

    /// Ends every session of the user signing in as `email`; how many.
    pub async fn revoke_sessions(&self, email: &str) -> Result<Option<u64>, StoreError> {
        let email = address_key(email);
        self.write(move |tx| {
            Box::pin(async move {
                let user_id: Option<String> =
                    sqlx::query_scalar("SELECT id FROM users WHERE login = ?")
                        .bind(&email)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(user_id) = user_id else {
                    return Ok(None);
                };
                let done = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                Ok(Some(done.rows_affected()))
            })
        })
        .await
    }

    /// The second factor's code was given: the session is signed in.
    pub async fn pass_mfa(&self, token: &NewToken) -> Result<(), StoreError> {
        let token = token.clone();
        self.write(move |tx| Box::pin(async move { pass_mfa_and_rotate(tx, &token).await }))
            .await
    }

    /// Replaces the user's password with one they chose; the user's other
    /// sessions end (whoever knew the old one is signed out).
    pub async fn set_password(
        &self,
        user_id: &str,
        password_hash: &str,
        session: &NewToken,
    ) -> Result<(), StoreError> {
        let (user_id, password_hash, session) = (
            user_id.to_owned(),
            password_hash.to_owned(),
            session.clone(),
        );
        self.write(move |tx| {
            Box::pin(async move {
                // First: a session that ended meanwhile changes nothing.
                rotate(tx, &session).await?;
                sqlx::query(
                    "UPDATE users SET password_hash = ?, password_temporary = 0, password_expires_at = NULL
                     WHERE id = ?",
                )
                .bind(password_hash)
                .bind(&user_id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash != ?")
                    .bind(&user_id)
                    .bind(&session.new_hash)
                    .execute(&mut *tx)
                    .await?;
                Ok(())
            })
        })
        .await
    }
}
