//! The users of partner accounts: adding them (in the account's
//! domains), their roles (never beyond the asker's, never leaving an
//! account without a global admin), removing them and their invitations.

use enroll_core::account::{allowed_actions, may_change_roles, Action, Role};
use enroll_core::domains::domain_of;
use enroll_core::email::address_key;
use sqlx::types::Json;

use super::outbox::insert_email;
use super::{secs, unsecs, Conn, NewEmail, Record, Store, StoreError};

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

/// How many users of the account hold global admin, but `except`
/// (counted here: the engines read JSON arrays differently).
async fn other_global_admins(
    conn: &mut Conn<'_>,
    account_id: &str,
    except: &str,
) -> Result<usize, StoreError> {
    let roles: Vec<Json<Vec<Role>>> = on!(conn, c => sqlx::query_scalar(
        "SELECT roles FROM users WHERE account_id = $1 AND id <> $2"
    )
    .bind(account_id)
    .bind(except)
    .fetch_all(c)
    .await)?;
    Ok(roles
        .iter()
        .filter(|Json(roles)| roles.contains(&Role::GlobalAdmin))
        .count())
}

/// Why the user `id` of the account may not be given the roles `after`
/// (none: removed) by someone holding `actor`, read in `conn`'s
/// transaction from the roles as stored: no such user, roles `actor` may
/// not give or take, or the account left without a global admin.
async fn refusal(
    conn: &mut Conn<'_>,
    account_id: &str,
    id: &str,
    actor: &[Role],
    after: &[Role],
) -> Result<Option<UserChange>, StoreError> {
    let roles: Option<Json<Vec<Role>>> = on!(conn, c => sqlx::query_scalar(
        "SELECT roles FROM users WHERE account_id = $1 AND id = $2"
    )
    .bind(account_id)
    .bind(id)
    .fetch_optional(c)
    .await)?;
    let Some(Json(before)) = roles else {
        return Ok(Some(UserChange::Missing));
    };
    if !may_change_roles(actor, &before, after) {
        return Ok(Some(UserChange::Forbidden));
    }
    if !after.contains(&Role::GlobalAdmin) && other_global_admins(conn, account_id, id).await? == 0
    {
        return Ok(Some(UserChange::LastGlobalAdmin));
    }
    Ok(None)
}

pub(super) const USER_COLUMNS: &str =
    "id, account_id, email, first_name, last_name, roles, password_hash,
     password_temporary, password_expires_at, totp_secret, totp_offered";

/// A user's row as both engines read it (`USER_COLUMNS`).
#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: String,
    account_id: String,
    email: String,
    first_name: String,
    last_name: String,
    roles: Json<Vec<Role>>,
    password_hash: String,
    password_temporary: bool,
    password_expires_at: Option<i64>,
    totp_secret: Option<String>,
    totp_offered: Option<String>,
}

pub(super) fn user(row: UserRow) -> User {
    User {
        id: row.id,
        account_id: row.account_id,
        email: row.email,
        first_name: row.first_name,
        last_name: row.last_name,
        roles: row.roles.0,
        password_hash: row.password_hash,
        password_temporary: row.password_temporary,
        password_expires_at: row.password_expires_at.map(unsecs),
        totp_secret: row.totp_secret,
        totp_offered: row.totp_offered,
    }
}

/// The users of account `account_id`, in the order they were added.
pub(super) async fn users_in(
    conn: &mut Conn<'_>,
    account_id: &str,
) -> Result<Vec<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE account_id = $1 ORDER BY seq");
    let rows: Vec<UserRow> =
        on!(conn, c => sqlx::query_as(&sql).bind(account_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(user).collect())
}

/// The user `column` = `value` picks out (`id` or `login`: both unique).
pub(super) async fn user_where(
    conn: &mut Conn<'_>,
    column: &str,
    value: &str,
) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = $1");
    let row: Option<UserRow> =
        on!(conn, c => sqlx::query_as(&sql).bind(value).fetch_optional(c).await)?;
    Ok(row.map(user))
}

pub(super) async fn insert_user(
    conn: &mut Conn<'_>,
    account_id: &str,
    user: &NewUser,
    now: u64,
) -> Result<(), StoreError> {
    // `seq`: one more than any so far; writes are serialized (`write`),
    // so no two users get the same.
    execute!(conn, c => sqlx::query(
        "INSERT INTO users (id, account_id, email, login, first_name, last_name, roles,
                            password_hash, password_temporary, password_expires_at, created_at,
                            seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9, $10,
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM users))",
    )
    .bind(&user.id)
    .bind(account_id)
    .bind(user.email.trim())
    .bind(address_key(&user.email))
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(Json(&user.roles))
    .bind(&user.password_hash)
    .bind(secs(user.password_expires_at))
    .bind(secs(now)))?;
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
    conn: &mut Conn<'_>,
    email: &str,
    at: u64,
) -> Result<Withdrawal, StoreError> {
    let Some(held) = user_where(conn, "login", &address_key(email)).await? else {
        return Ok(Withdrawal::Free);
    };
    // A global admin is never withdrawn (it may be that account's only
    // one, its first admin not signed in yet): the approval stops instead.
    if !held.password_temporary || held.roles.contains(&Role::GlobalAdmin) {
        return Ok(Withdrawal::SignedIn);
    }
    let (user_id, account_id) = (held.id, held.account_id);
    let application_id: String = on!(conn, c => sqlx::query_scalar(
        "SELECT application_id FROM accounts WHERE id = $1"
    )
    .bind(&account_id)
    .fetch_one(c)
    .await)?;
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM users WHERE id = $1",
    ] {
        execute!(conn, c => sqlx::query(sql).bind(&user_id))?;
    }
    super::business_profiles::forget_referral_contact(conn, &account_id, &user_id, at).await?;
    // Told: whoever of that account may add users (and so invited them).
    let admins = users_in(conn, &account_id)
        .await?
        .into_iter()
        .filter(|admin| allowed_actions(&admin.roles).contains(&Action::AddUser))
        .map(|admin| admin.email)
        .collect();
    let holder = super::records::load(conn, &application_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("account {account_id} has no application")))?;
    Ok(Withdrawal::Withdrawn {
        holder: Box::new(holder),
        admins,
    })
}

impl Store {
    /// The users of an account, in the order they were added (by `seq`,
    /// not by time: the clock of an operator's approval and the API's may
    /// differ).
    pub async fn users_of(&self, account_id: &str) -> Result<Vec<User>, StoreError> {
        users_in(&mut self.acquire().await?.engine(), account_id).await
    }

    /// A user of the account (none of another account's).
    pub async fn user_of(&self, account_id: &str, id: &str) -> Result<Option<User>, StoreError> {
        let user = user_where(&mut self.acquire().await?.engine(), "id", id).await?;
        Ok(user.filter(|user| user.account_id == account_id))
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
                let holder: Option<String> = on!(tx, c => sqlx::query_scalar(
                    "SELECT account_id FROM users WHERE login = $1"
                )
                .bind(address_key(&new.email))
                .fetch_optional(c)
                .await)?;
                match holder {
                    Some(holder) if holder == account_id => return Ok(UserChange::LoginTaken),
                    // Another account's user is answered as any address
                    // outside the domains: nothing tells them apart.
                    Some(_) => return Ok(UserChange::OutsideDomains),
                    None => {}
                }
                let domain = domain_of(&new.email).unwrap_or_default();
                let ours: bool = on!(tx, c => sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM account_domains WHERE account_id = $1 AND domain = $2)",
                )
                .bind(&account_id)
                .bind(&domain)
                .fetch_one(c)
                .await)?;
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
                execute!(tx, c => sqlx::query("UPDATE users SET roles = $1 WHERE account_id = $2 AND id = $3")
                    .bind(Json(&roles))
                    .bind(&account_id)
                    .bind(&id))?;
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
        let now = self.now();
        self.write(move |tx| {
            Box::pin(async move {
                if let Some(refused) = refusal(tx, &account_id, &id, &actor, &[]).await? {
                    return Ok(refused);
                }
                for table in ["sessions", "recovery_codes"] {
                    let sql = format!("DELETE FROM {table} WHERE user_id = $1");
                    execute!(tx, c => sqlx::query(&sql).bind(&id))?;
                }
                execute!(tx, c => sqlx::query("DELETE FROM users WHERE account_id = $1 AND id = $2")
                    .bind(&account_id)
                    .bind(&id))?;
                super::business_profiles::forget_referral_contact(tx, &account_id, &id, now)
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
                let temporary: Option<bool> = on!(tx, c => sqlx::query_scalar(
                    "SELECT password_temporary FROM users WHERE account_id = $1 AND id = $2",
                )
                .bind(&account_id)
                .bind(&id)
                .fetch_optional(c)
                .await)?;
                match temporary {
                    None => return Ok(UserChange::Missing),
                    Some(false) => return Ok(UserChange::SignedInAlready),
                    Some(true) => {}
                }
                execute!(tx, c => sqlx::query(
                    "UPDATE users SET password_hash = $1, password_expires_at = $2
                     WHERE account_id = $3 AND id = $4",
                )
                .bind(&hash)
                .bind(secs(expires_at))
                .bind(&account_id)
                .bind(&id))?;
                // Whoever signed in with the old one is signed out.
                execute!(tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(&id))?;
                insert_email(tx, &message).await?;
                Ok(UserChange::Done)
            })
        })
        .await
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        user_where(
            &mut self.acquire().await?.engine(),
            "login",
            &address_key(email),
        )
        .await
    }
}
