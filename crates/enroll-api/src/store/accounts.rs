//! Partner accounts: made on approval, their proven domains and their
//! organization profile.

use enroll_core::domains::domain_of;
use enroll_core::email::address_key;
use sqlx::{Row, SqliteConnection};

use super::users::{insert_user, user, NewUser, User, USER_COLUMNS};
use super::{secs, unsecs, Store, StoreError};

#[derive(Clone, Debug)]
pub struct NewAccount {
    pub id: String,
    pub user: NewUser,
    pub created_at: u64,
}

/// An account as its users see it.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: String,
    pub application_id: String,
    pub created_at: u64,
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
    let email = address_key(&account.user.email);
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

impl Store {
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
}
