//! The partner account: the admin's proven address, accounts and users,
//! sessions, second factors and failed sign-ins. Every time comes from the
//! caller (the API's one clock), in seconds since the Unix epoch.

use enroll_core::account::{allowed_actions, limits, may_change_roles, Action, Role};
use enroll_core::domains::domain_of;
use sqlx::{Row, SqliteConnection};

use super::outbox::{insert_email, mailbox};
use super::{login, secs, unsecs, NewEmail, Record, Store, StoreError};

/// The answer to asking for a code to be emailed to the admin address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeSent {
    Sent,
    /// Three were sent in the last hour: the next may go after this long.
    TooMany {
        retry_after_secs: u64,
    },
}

/// The answer to a code typed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    Confirmed,
    Wrong {
        tries_left: u32,
    },
    /// Too old, tried too often, sent to another address, or never sent.
    Expired,
}

/// What an emailed code proves once typed back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    /// That the application's admin address is the applicant's.
    AdminAddress,
    /// That the account (of the application) has an address in the
    /// address's domain.
    Domain,
}

impl Proof {
    fn purpose(self) -> &'static str {
        match self {
            Self::AdminAddress => "admin",
            Self::Domain => "domain",
        }
    }
}

/// A code to email: sent for an application (an applicant's, or an
/// account's own) to `email`, to prove `proof`; stored as `code_hash`.
#[derive(Clone, Debug)]
pub struct NewCode {
    pub application_id: String,
    pub email: String,
    pub proof: Proof,
    pub code_hash: String,
}

/// A user to create (the first admin on approval).
#[derive(Clone, Debug)]
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: Vec<Role>,
    /// Of the emailed temporary password.
    pub password_hash: String,
    pub password_expires_at: u64,
}

#[derive(Clone, Debug)]
pub struct NewAccount {
    pub id: String,
    pub user: NewUser,
    pub created_at: u64,
}

/// A stored user.
#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub account_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: Vec<Role>,
    pub password_hash: String,
    pub password_temporary: bool,
    pub password_expires_at: Option<u64>,
    pub totp_secret: Option<String>,
    pub totp_offered: Option<String>,
}

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
async fn pass_mfa_and_rotate(
    conn: &mut SqliteConnection,
    token: &NewToken,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET mfa_passed = 1 WHERE token_hash = ?")
        .bind(&token.old_hash)
        .execute(&mut *conn)
        .await?;
    rotate(conn, token).await
}

/// A value bound to one of `Store::execute`'s statements.
pub(crate) enum Param {
    Text(String),
    Int(i64),
}

impl From<&str> for Param {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<u64> for Param {
    fn from(value: u64) -> Self {
        Self::Int(secs(value))
    }
}

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

/// What a change to a user came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserChange {
    Done,
    /// No such user in this account.
    Missing,
    /// The change would leave the account without a global admin.
    LastGlobalAdmin,
    /// The user has signed in already: no invitation to send again.
    SignedInAlready,
    /// The roles of who asks do not allow it (found in the transaction).
    Forbidden,
    /// Another user of this account signs in with this address.
    LoginTaken,
    /// The address is outside the account's proven domains, or signs in
    /// to another account.
    OutsideDomains,
}

/// How many users of the account hold global admin, but `except`.
async fn other_global_admins(
    conn: &mut SqliteConnection,
    account_id: &str,
    except: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE account_id = ? AND id != ? AND roles LIKE '%\"global_admin\"%'",
    )
    .bind(account_id)
    .bind(except)
    .fetch_one(&mut *conn)
    .await?)
}

/// Why the user `id` of the account may not be given the roles `after`
/// (none: removed) by someone holding `actor`, read in `conn`'s
/// transaction from the roles as stored: no such user, roles `actor` may
/// not give or take, or the account left without a global admin.
async fn refusal(
    conn: &mut SqliteConnection,
    account_id: &str,
    id: &str,
    actor: &[Role],
    after: &[Role],
) -> Result<Option<UserChange>, StoreError> {
    let roles: Option<String> =
        sqlx::query_scalar("SELECT roles FROM users WHERE account_id = ? AND id = ?")
            .bind(account_id)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(roles) = roles else {
        return Ok(Some(UserChange::Missing));
    };
    let before: Vec<Role> =
        serde_json::from_str(&roles).map_err(|e| StoreError::Corrupt(format!("roles: {e}")))?;
    if !may_change_roles(actor, &before, after) {
        return Ok(Some(UserChange::Forbidden));
    }
    if !after.contains(&Role::GlobalAdmin) && other_global_admins(conn, account_id, id).await? == 0
    {
        return Ok(Some(UserChange::LastGlobalAdmin));
    }
    Ok(None)
}

/// An account as its users see it.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: String,
    pub application_id: String,
    pub created_at: u64,
}

const USER_COLUMNS: &str = "id, account_id, email, first_name, last_name, roles, password_hash,
     password_temporary, password_expires_at, totp_secret, totp_offered";

fn user(row: &sqlx::sqlite::SqliteRow) -> Result<User, StoreError> {
    let roles: String = row.try_get("roles")?;
    let roles: Vec<Role> =
        serde_json::from_str(&roles).map_err(|e| StoreError::Corrupt(format!("roles: {e}")))?;
    let expires: Option<i64> = row.try_get("password_expires_at")?;
    Ok(User {
        id: row.try_get("id")?,
        account_id: row.try_get("account_id")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        roles,
        password_hash: row.try_get("password_hash")?,
        password_temporary: row.try_get("password_temporary")?,
        password_expires_at: expires.map(unsecs),
        totp_secret: row.try_get("totp_secret")?,
        totp_offered: row.try_get("totp_offered")?,
    })
}

async fn insert_user(
    conn: &mut SqliteConnection,
    account_id: &str,
    user: &NewUser,
    now: u64,
) -> Result<(), StoreError> {
    let roles = serde_json::to_string(&user.roles)
        .map_err(|e| StoreError::Corrupt(format!("roles: {e}")))?;
    sqlx::query(
        "INSERT INTO users (id, account_id, email, login, first_name, last_name, roles,
                            password_hash, password_temporary, password_expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
    )
    .bind(&user.id)
    .bind(account_id)
    .bind(user.email.trim())
    .bind(login(&user.email))
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(roles)
    .bind(&user.password_hash)
    .bind(secs(user.password_expires_at))
    .bind(secs(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What became of another account's hold on an address that is to be a
/// new account's admin.
pub(super) enum Withdrawal {
    /// No user signs in with it.
    Free,
    /// A user who has chosen a password signs in with it, or a global
    /// admin: left alone.
    SignedIn,
    /// An invited user who never signed in was removed; the admins of
    /// their account (the application `holder`) are to be told.
    Withdrawn {
        holder: Box<Record>,
        admins: Vec<String>,
    },
}

/// Withdraws the invitation of `email` to another account, if it was never
/// taken up (the user removed, with nothing of theirs left), so no account
/// can stall another's approval by inviting its admin's address.
pub(super) async fn withdraw_invitation(
    conn: &mut SqliteConnection,
    email: &str,
) -> Result<Withdrawal, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, u.account_id, u.password_temporary, u.roles, a.application_id
         FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.login = ?",
    )
    .bind(login(email))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(Withdrawal::Free);
    };
    let temporary: i64 = row.try_get("password_temporary")?;
    let roles: String = row.try_get("roles")?;
    // A global admin is never withdrawn (it may be that account's only
    // one, its first admin not signed in yet): the approval stops instead.
    if temporary == 0 || roles.contains("\"global_admin\"") {
        return Ok(Withdrawal::SignedIn);
    }
    let (user_id, account_id, application_id): (String, String, String) = (
        row.try_get("id")?,
        row.try_get("account_id")?,
        row.try_get("application_id")?,
    );
    for sql in [
        "DELETE FROM sessions WHERE user_id = ?",
        "DELETE FROM recovery_codes WHERE user_id = ?",
        "DELETE FROM users WHERE id = ?",
    ] {
        sqlx::query(sql).bind(&user_id).execute(&mut *conn).await?;
    }
    // Told: whoever of that account may add users (and so invited them).
    let rows = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE account_id = ? ORDER BY rowid"
    ))
    .bind(&account_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut admins = Vec::new();
    for row in &rows {
        let admin = user(row)?;
        if allowed_actions(&admin.roles).contains(&Action::AddUser) {
            admins.push(admin.email);
        }
    }
    let holder = super::applications::load(conn, &application_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("account {account_id} has no application")))?;
    Ok(Withdrawal::Withdrawn {
        holder: Box::new(holder),
        admins,
    })
}

pub(super) async fn insert_account(
    conn: &mut SqliteConnection,
    application_id: &str,
    account: &NewAccount,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO accounts (id, application_id, created_at) VALUES (?, ?, ?)")
        .bind(&account.id)
        .bind(application_id)
        .bind(secs(account.created_at))
        .execute(&mut *conn)
        .await?;
    insert_user(conn, &account.id, &account.user, account.created_at).await?;
    // Its users' addresses may be in the proven admin address's domain.
    let email = login(&account.user.email);
    sqlx::query(
        "INSERT INTO account_domains (account_id, domain, proven_by, proven_at) VALUES (?, ?, ?, ?)",
    )
    .bind(&account.id)
    .bind(domain_of(&email).unwrap_or_default())
    .bind(&email)
    .bind(secs(account.created_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What counting an attempt came to: its rows (to forgive if it was
/// right), or the seconds to wait; and whether an email was queued.
type Counted = (Result<Vec<i64>, u64>, bool);

/// `Store::begin_attempt`'s work, in its transaction.
async fn count_attempt(
    tx: &mut SqliteConnection,
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
        "DELETE FROM sign_in_failures WHERE at <= ?",
        // A lock over for a whole window: its notice may go again.
        "DELETE FROM sign_in_locks WHERE until <= ?",
    ] {
        sqlx::query(sql).bind(forgotten).execute(&mut *tx).await?;
    }
    let lock = sqlx::query("SELECT until, notified_at FROM sign_in_locks WHERE scope = ?")
        .bind(&lockout.scope)
        .fetch_optional(&mut *tx)
        .await?;
    let (until, notified_at): (Option<i64>, Option<i64>) = match &lock {
        Some(row) => (row.try_get("until")?, row.try_get("notified_at")?),
        None => (None, None),
    };
    if let Some(until) = until.map(unsecs).filter(|until| *until > now) {
        return Ok((Err(until - now), false));
    }
    for limit in &limits {
        let since = secs(now.saturating_sub(limit.window_secs));
        let row = sqlx::query(
            "SELECT COUNT(*) AS attempts, MIN(at) AS oldest FROM sign_in_failures
                 WHERE scope = ? AND at > ?",
        )
        .bind(&limit.scope)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        let attempts: i64 = row.try_get("attempts")?;
        if attempts >= i64::from(limit.limit) {
            let oldest: Option<i64> = row.try_get("oldest")?;
            let free_at = oldest.map_or(now, unsecs) + limit.window_secs;
            return Ok((Err(free_at.saturating_sub(now).max(1)), false));
        }
    }
    let since = secs(now.saturating_sub(lockout.window_secs));
    let failures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE scope = ? AND at > ?")
            .bind(&lockout.scope)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
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
        sqlx::query(
            "INSERT INTO sign_in_locks (scope, until, notified_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (scope) DO UPDATE SET until = ?2,
                 notified_at = COALESCE(?3, sign_in_locks.notified_at)",
        )
        .bind(&lockout.scope)
        .bind(secs(now + lockout.lock_secs))
        .bind(due.then(|| secs(now)))
        .execute(&mut *tx)
        .await?;
        return Ok((Err(lockout.lock_secs), queued));
    }
    let mut ids = Vec::new();
    let scopes = limits.iter().map(|l| &l.scope).chain([&lockout.scope]);
    for scope in scopes {
        let done = sqlx::query("INSERT INTO sign_in_failures (scope, at) VALUES (?, ?)")
            .bind(scope)
            .bind(secs(now))
            .execute(&mut *tx)
            .await?;
        ids.push(done.last_insert_rowid());
    }
    Ok((Ok(ids), false))
}

/// Queues the lock's notice to the user signing in as `login`, if there is
/// one (an unknown address has nobody to tell): whether it was queued.
async fn queue_lock_notice(
    tx: &mut SqliteConnection,
    login: &str,
    notice: LockNotice,
    now: u64,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT u.email, a.application_id FROM users u JOIN accounts a ON a.id = u.account_id
         WHERE u.login = ?",
    )
    .bind(login)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let (email, application_id): (String, String) =
        (row.try_get("email")?, row.try_get("application_id")?);
    let Some(holder) = super::applications::load(tx, &application_id).await? else {
        return Ok(false);
    };
    insert_email(tx, &notice(&holder, &email, now)).await?;
    Ok(true)
}

impl Store {
    /// One statement in a transaction of its own, with `params` bound in
    /// order: how many rows it changed.
    async fn execute(&self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError> {
        self.write(move |tx| {
            Box::pin(async move {
                let mut query = sqlx::query(sql);
                for param in params {
                    query = match param {
                        Param::Text(text) => query.bind(text),
                        Param::Int(value) => query.bind(value),
                    };
                }
                Ok(query.execute(&mut *tx).await?.rows_affected())
            })
        })
        .await
    }

    /// Records a new code (replacing any earlier code of its application)
    /// and queues `message`, which carries it; refused when three were
    /// sent for the application, or `per_recipient` to the address, in the
    /// hour before `now`.
    pub async fn send_email_code(
        &self,
        code: NewCode,
        now: u64,
        per_recipient: u32,
        message: NewEmail,
    ) -> Result<CodeSent, StoreError> {
        let NewCode {
            application_id: id,
            email,
            proof,
            code_hash,
        } = code;
        let email = login(&email);
        // Counted per inbox: jane+1@ and Jane@ are one (the `+tag`
        // would otherwise give each spelling its own three).
        let inbox = mailbox(&email);
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let hour_ago = secs(now.saturating_sub(3600));
                // Per application, and per address: drafts are free, and
                // an address is not to be flooded from many of them.
                let per_application = limits::EMAIL_CODE_SENDS_PER_HOUR;
                for (column, limit) in [("application_id", per_application), ("email", per_recipient)] {
                    let value = if column == "email" { &inbox } else { &id };
                    let row = sqlx::query(&format!(
                        "SELECT COUNT(*) AS sent, MIN(sent_at) AS oldest FROM email_code_sends
                         WHERE {column} = ? AND sent_at > ?"
                    ))
                    .bind(value)
                    .bind(hour_ago)
                    .fetch_one(&mut *tx)
                    .await?;
                    let sent: i64 = row.try_get("sent")?;
                    if sent >= i64::from(limit) {
                        let oldest: i64 = row.try_get("oldest")?;
                        let free_at = unsecs(oldest) + 3600;
                        return Ok(CodeSent::TooMany {
                            retry_after_secs: free_at.saturating_sub(now).max(1),
                        });
                    }
                }
                sqlx::query(
                    "INSERT INTO email_codes (application_id, email, purpose, code_hash, expires_at, tries_left)
                     VALUES (?, ?, ?, ?, ?, ?)
                     ON CONFLICT (application_id) DO UPDATE SET email = excluded.email,
                         purpose = excluded.purpose, code_hash = excluded.code_hash,
                         expires_at = excluded.expires_at, tries_left = excluded.tries_left",
                )
                .bind(&id)
                .bind(&email)
                .bind(proof.purpose())
                .bind(&code_hash)
                .bind(secs(now + limits::EMAIL_CODE_SECS))
                .bind(i64::from(limits::EMAIL_CODE_TRIES))
                .execute(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO email_code_sends (application_id, email, sent_at) VALUES (?, ?, ?)")
                    .bind(&id)
                    .bind(&inbox)
                    .bind(secs(now))
                    .execute(&mut *tx)
                    .await?;
                insert_email(tx, &message).await?;
                Ok(CodeSent::Sent)
            })
        })
        .await
    }

    /// Checks a typed code (`code_hashes`: its hashes under each key in
    /// use) against the one sent for application `id` to prove `proof` of
    /// `proves` (the admin address; or the domain, for the account): a
    /// right one proves it.
    pub async fn check_email_code(
        &self,
        id: &str,
        proves: &str,
        proof: Proof,
        code_hashes: Vec<String>,
        now: u64,
    ) -> Result<CodeCheck, StoreError> {
        let (id, proves) = (id.to_owned(), login(proves));
        self.write(move |tx| {
            Box::pin(async move {
                let row = sqlx::query(
                    "SELECT email, purpose, code_hash, expires_at, tries_left FROM email_codes
                     WHERE application_id = ?",
                )
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    return Ok(CodeCheck::Expired);
                };
                let email: String = row.try_get("email")?;
                let purpose: String = row.try_get("purpose")?;
                let expires_at: i64 = row.try_get("expires_at")?;
                let tries_left: i64 = row.try_get("tries_left")?;
                let domain = domain_of(&email).unwrap_or_default();
                let sent_for = match proof {
                    Proof::AdminAddress => &email,
                    Proof::Domain => &domain,
                };
                if *sent_for != proves
                    || purpose != proof.purpose()
                    || unsecs(expires_at) <= now
                    || tries_left <= 0
                {
                    return Ok(CodeCheck::Expired);
                }
                // Under the current key, or the previous one (rotating).
                let expected: String = row.try_get("code_hash")?;
                if !code_hashes.contains(&expected) {
                    sqlx::query(
                        "UPDATE email_codes SET tries_left = tries_left - 1 WHERE application_id = ?",
                    )
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                    return Ok(CodeCheck::Wrong {
                        tries_left: u32::try_from(tries_left - 1).unwrap_or(0),
                    });
                }
                sqlx::query("DELETE FROM email_codes WHERE application_id = ?")
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                match proof {
                    Proof::AdminAddress => {
                        sqlx::query("UPDATE applications SET admin_email_confirmed = ? WHERE id = ?")
                            .bind(&email)
                            .bind(&id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Proof::Domain => {
                        sqlx::query(
                            "INSERT OR IGNORE INTO account_domains (account_id, domain, proven_by, proven_at)
                             SELECT id, ?, ?, ? FROM accounts WHERE application_id = ?",
                        )
                        .bind(&domain)
                        .bind(&email)
                        .bind(secs(now))
                        .bind(&id)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                Ok(CodeCheck::Confirmed)
            })
        })
        .await
    }

    /// The account's proven domains, in the order they were proven:
    /// (domain, proven at).
    pub async fn account_domains(
        &self,
        account_id: &str,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT domain, proven_at FROM account_domains WHERE account_id = ?
             ORDER BY rowid",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("domain")?, unsecs(row.try_get("proven_at")?))))
            .collect()
    }

    /// Takes the proof of the admin's address away, as applications sent
    /// before proofs existed have none (for tests and repairs).
    pub async fn forget_admin_email_proof(&self, id: &str) -> Result<(), StoreError> {
        let sql = "UPDATE applications SET admin_email_confirmed = NULL WHERE id = ?";
        self.execute(sql, vec![id.into()]).await.map(drop)
    }

    /// The saved organization profile (version, JSON), if it was ever saved.
    pub async fn organization_profile(
        &self,
        account_id: &str,
    ) -> Result<Option<(i64, String)>, StoreError> {
        let row =
            sqlx::query("SELECT version, body FROM organization_profiles WHERE account_id = ?")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| Ok((row.try_get("version")?, row.try_get("body")?)))
            .transpose()
    }

    /// Saves the profile if `expected` is its current version (0 for one
    /// never saved): the new version, or `Err` with the current one.
    pub async fn save_organization_profile(
        &self,
        account_id: &str,
        expected: Option<i64>,
        body: String,
    ) -> Result<Result<i64, i64>, StoreError> {
        let account_id = account_id.to_owned();
        self.write(move |tx| {
            Box::pin(async move {
                let current: i64 = sqlx::query_scalar(
                    "SELECT version FROM organization_profiles WHERE account_id = ?",
                )
                .bind(&account_id)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or(0);
                if expected.is_some_and(|v| v != current) {
                    return Ok(Err(current));
                }
                sqlx::query(
                    "INSERT INTO organization_profiles (account_id, version, body) VALUES (?, ?, ?)
                     ON CONFLICT (account_id) DO UPDATE SET version = excluded.version, body = excluded.body",
                )
                .bind(&account_id)
                .bind(current + 1)
                .bind(body)
                .execute(&mut *tx)
                .await?;
                Ok(Ok(current + 1))
            })
        })
        .await
    }

    /// The users of an account, in the order they were added (by row: the
    /// clock of an operator's approval and the API's may differ).
    pub async fn users_of(&self, account_id: &str) -> Result<Vec<User>, StoreError> {
        sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE account_id = ? ORDER BY rowid"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(user)
        .collect()
    }

    /// A user of the account (none of another account's).
    pub async fn user_of(&self, account_id: &str, id: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE account_id = ? AND id = ?"
        ))
        .bind(account_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user).transpose()
    }

    /// Adds a user to the account with the temporary password `message`
    /// carries, queued in the same transaction.
    pub async fn add_user(
        &self,
        account_id: &str,
        new: NewUser,
        now: u64,
        message: NewEmail,
    ) -> Result<UserChange, StoreError> {
        let account_id = account_id.to_owned();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let holder: Option<String> =
                    sqlx::query_scalar("SELECT account_id FROM users WHERE login = ?")
                        .bind(login(&new.email))
                        .fetch_optional(&mut *tx)
                        .await?;
                match holder {
                    Some(holder) if holder == account_id => return Ok(UserChange::LoginTaken),
                    // Another account's user is answered as any address
                    // outside the domains: nothing tells them apart.
                    Some(_) => return Ok(UserChange::OutsideDomains),
                    None => {}
                }
                let domain = domain_of(&new.email).unwrap_or_default();
                let ours: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM account_domains WHERE account_id = ? AND domain = ?)",
                )
                .bind(&account_id)
                .bind(&domain)
                .fetch_one(&mut *tx)
                .await?;
                if !ours {
                    return Ok(UserChange::OutsideDomains);
                }
                insert_user(tx, &account_id, &new, now).await?;
                insert_email(tx, &message).await?;
                Ok(UserChange::Done)
            })
        })
        .await
    }

    /// Gives the user these roles, if `actor` (the roles of who asks) may
    /// change them from what they are now, checked in the same transaction
    /// as the write; never leaving the account without a global admin.
    /// Live sessions see them at their next request.
    pub async fn set_roles(
        &self,
        account_id: &str,
        id: &str,
        actor: Vec<Role>,
        roles: Vec<Role>,
    ) -> Result<UserChange, StoreError> {
        let (account_id, id) = (account_id.to_owned(), id.to_owned());
        self.write(move |tx| {
            Box::pin(async move {
                if let Some(refused) = refusal(tx, &account_id, &id, &actor, &roles).await? {
                    return Ok(refused);
                }
                let roles = serde_json::to_string(&roles)
                    .map_err(|e| StoreError::Corrupt(format!("roles: {e}")))?;
                sqlx::query("UPDATE users SET roles = ? WHERE account_id = ? AND id = ?")
                    .bind(roles)
                    .bind(&account_id)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                Ok(UserChange::Done)
            })
        })
        .await
    }

    /// Removes the user, their sessions and recovery codes, if `actor` may
    /// take all their roles (checked in the same transaction); never the
    /// last global admin.
    pub async fn remove_user(
        &self,
        account_id: &str,
        id: &str,
        actor: Vec<Role>,
    ) -> Result<UserChange, StoreError> {
        let (account_id, id) = (account_id.to_owned(), id.to_owned());
        self.write(move |tx| {
            Box::pin(async move {
                if let Some(refused) = refusal(tx, &account_id, &id, &actor, &[]).await? {
                    return Ok(refused);
                }
                for table in ["sessions", "recovery_codes"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE user_id = ?"))
                        .bind(&id)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("DELETE FROM users WHERE account_id = ? AND id = ?")
                    .bind(&account_id)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                Ok(UserChange::Done)
            })
        })
        .await
    }

    /// A new temporary password for a user who has not signed in yet (the
    /// previous one stops working), queued in `message`.
    pub async fn renew_invitation(
        &self,
        account_id: &str,
        id: &str,
        password_hash: &str,
        expires_at: u64,
        message: NewEmail,
    ) -> Result<UserChange, StoreError> {
        let (account_id, id, hash) = (
            account_id.to_owned(),
            id.to_owned(),
            password_hash.to_owned(),
        );
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let temporary: Option<bool> = sqlx::query_scalar(
                    "SELECT password_temporary FROM users WHERE account_id = ? AND id = ?",
                )
                .bind(&account_id)
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await?;
                match temporary {
                    None => return Ok(UserChange::Missing),
                    Some(false) => return Ok(UserChange::SignedInAlready),
                    Some(true) => {}
                }
                sqlx::query(
                    "UPDATE users SET password_hash = ?, password_expires_at = ? WHERE account_id = ? AND id = ?",
                )
                .bind(hash)
                .bind(secs(expires_at))
                .bind(&account_id)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                // Whoever signed in with the old one is signed out.
                sqlx::query("DELETE FROM sessions WHERE user_id = ?")
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                insert_email(tx, &message).await?;
                Ok(UserChange::Done)
            })
        })
        .await
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE login = ?"))
            .bind(login(email))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user).transpose()
    }

    pub async fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query("SELECT id, application_id, created_at FROM accounts WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(Account {
                id: row.try_get("id")?,
                application_id: row.try_get("application_id")?,
                created_at: unsecs(row.try_get("created_at")?),
            })
        })
        .transpose()
    }

    /// Every account, oldest first, with its users (for the operator).
    pub async fn accounts(&self) -> Result<Vec<(Account, Vec<User>)>, StoreError> {
        let rows = sqlx::query("SELECT id FROM accounts ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        let mut accounts = Vec::new();
        for row in rows {
            let id: String = row.try_get("id")?;
            let Some(account) = self.account(&id).await? else {
                continue;
            };
            let users = sqlx::query(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE account_id = ? ORDER BY rowid"
            ))
            .bind(&id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(user)
            .collect::<Result<Vec<_>, _>>()?;
            accounts.push((account, users));
        }
        Ok(accounts)
    }

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
                    sqlx::query("DELETE FROM sign_in_failures WHERE id = ?")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                Ok(())
            })
        })
        .await
    }

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
        let email = login(email);
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
