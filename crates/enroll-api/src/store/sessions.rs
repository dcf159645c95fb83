//! Sessions: bearer tokens stored hashed, a new one at each step of
//! signing in, ended by signing out, by the operator, idle or old.

use super::users::{user_where, User};
use super::{secs, unsecs, Conn, Store, StoreError};
use enroll_core::account::limits;
use enroll_core::email::address_key;

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
async fn rotate(conn: &mut Conn<'_>, token: &NewToken) -> Result<(), StoreError> {
    let done = execute!(conn, c => sqlx::query("UPDATE sessions SET token_hash = $1 WHERE token_hash = $2")
        .bind(&token.new_hash)
        .bind(&token.old_hash))?;
    if done != 1 {
        return Err(StoreError::SessionEnded);
    }
    Ok(())
}

/// The session gave its second factor (by a code, or by setting one up):
/// it is signed in, under its new token.
pub(super) async fn pass_mfa_and_rotate(
    conn: &mut Conn<'_>,
    token: &NewToken,
) -> Result<(), StoreError> {
    execute!(conn, c => sqlx::query("UPDATE sessions SET mfa_passed = TRUE WHERE token_hash = $1")
        .bind(&token.old_hash))?;
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
                   VALUES ($1, $2, $3, $3, $4)";
        let params = vec![
            token_hash.into(),
            user_id.into(),
            now.into(),
            mfa_passed.into(),
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
                let row: Option<(i64, i64, bool, String)> = on!(tx, c => sqlx::query_as(
                    "SELECT created_at, last_seen_at, mfa_passed, user_id FROM sessions
                     WHERE token_hash = $1",
                )
                .bind(&token_hash)
                .fetch_optional(c)
                .await)?;
                let Some((created_at, last_seen_at, mfa_passed, user_id)) = row else {
                    return Ok(None);
                };
                let (created_at, last_seen_at) = (unsecs(created_at), unsecs(last_seen_at));
                let ended = now >= last_seen_at + limits::SESSION_IDLE_SECS
                    || now >= created_at + limits::SESSION_MAX_SECS;
                if ended {
                    execute!(tx, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(&token_hash))?;
                    return Ok(None);
                }
                let Some(user) = user_where(tx, "id", &user_id).await? else {
                    return Ok(None);
                };
                execute!(tx, c => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                    .bind(secs(now))
                    .bind(&token_hash))?;
                Ok(Some(Session {
                    token_hash,
                    created_at,
                    mfa_passed,
                    user,
                }))
            })
        })
        .await
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM sessions WHERE token_hash = $1";
        self.execute(sql, vec![token_hash.into()]).await.map(drop)
    }

    /// Ends every session of the user signing in as `email`; how many.
    pub async fn revoke_sessions(&self, email: &str) -> Result<Option<u64>, StoreError> {
        let email = address_key(email);
        self.write(move |tx| {
            Box::pin(async move {
                let user_id: Option<String> = on!(tx, c => sqlx::query_scalar(
                    "SELECT id FROM users WHERE login = $1"
                )
                .bind(&email)
                .fetch_optional(c)
                .await)?;
                let Some(user_id) = user_id else {
                    return Ok(None);
                };
                let done = execute!(tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(&user_id))?;
                Ok(Some(done))
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
                execute!(tx, c => sqlx::query(
                    "UPDATE users SET password_hash = $1, password_temporary = FALSE,
                         password_expires_at = NULL
                     WHERE id = $2",
                )
                .bind(&password_hash)
                .bind(&user_id))?;
                execute!(tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                    .bind(&user_id)
                    .bind(&session.new_hash))?;
                Ok(())
            })
        })
        .await
    }
}
