//! Partner accounts: made on approval, their proven domains and their
//! organization profile.

use super::users::{insert_user, NewUser, User};
use super::{secs, unsecs, Conn, Store, StoreError};
use enroll_core::domains::domain_of;
use enroll_core::email::address_key;

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
    conn: &mut Conn<'_>,
    application_id: &str,
    account: &NewAccount,
) -> Result<(), StoreError> {
    execute!(conn, c => sqlx::query(
        "INSERT INTO accounts (id, application_id, created_at) VALUES ($1, $2, $3)"
    )
    .bind(&account.id)
    .bind(application_id)
    .bind(secs(account.created_at)))?;
    insert_user(conn, &account.id, &account.user, account.created_at).await?;
    // Its users' addresses may be in the proven admin address's domain.
    let email = address_key(&account.user.email);
    let domain = domain_of(&email).unwrap_or_default();
    add_domain(conn, &account.id, &domain, &email, account.created_at).await
}

/// Adds `domain` (proven by a code sent to `proven_by` at `at`) to the
/// account's domains, after those proven before; nothing if it has it.
pub(super) async fn add_domain(
    conn: &mut Conn<'_>,
    account_id: &str,
    domain: &str,
    proven_by: &str,
    at: u64,
) -> Result<(), StoreError> {
    execute!(conn, c => sqlx::query(
        "INSERT INTO account_domains (account_id, domain, proven_by, proven_at, seq)
         VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM account_domains))
         ON CONFLICT (account_id, domain) DO NOTHING",
    )
    .bind(account_id)
    .bind(domain)
    .bind(proven_by)
    .bind(secs(at)))?;
    Ok(())
}

impl Store {
    /// The account's proven domains, in the order they were proven:
    /// (domain, proven at).
    pub async fn account_domains(
        &self,
        account_id: &str,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let mut conn = self.acquire().await?;
        let rows: Vec<(String, i64)> = on!(conn, c => sqlx::query_as(
            "SELECT domain, proven_at FROM account_domains WHERE account_id = $1 ORDER BY seq",
        )
        .bind(account_id)
        .fetch_all(c)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(domain, at)| (domain, unsecs(at)))
            .collect())
    }

    /// The saved organization profile (version, JSON), if it was ever saved.
    pub async fn organization_profile(
        &self,
        account_id: &str,
    ) -> Result<Option<(i64, String)>, StoreError> {
        let mut conn = self.acquire().await?;
        Ok(on!(conn, c => sqlx::query_as(
            "SELECT version, body FROM organization_profiles WHERE account_id = $1"
        )
        .bind(account_id)
        .fetch_optional(c)
        .await)?)
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
                let current: i64 = on!(tx, c => sqlx::query_scalar(
                    "SELECT version FROM organization_profiles WHERE account_id = $1",
                )
                .bind(&account_id)
                .fetch_optional(c)
                .await)?
                .unwrap_or(0);
                if expected.is_some_and(|v| v != current) {
                    return Ok(Err(current));
                }
                execute!(tx, c => sqlx::query(
                    "INSERT INTO organization_profiles (account_id, version, body) VALUES ($1, $2, $3)
                     ON CONFLICT (account_id) DO UPDATE SET version = excluded.version, body = excluded.body",
                )
                .bind(&account_id)
                .bind(current + 1)
                .bind(&body))?;
                Ok(Ok(current + 1))
            })
        })
        .await
    }

    pub async fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        let mut conn = self.acquire().await?;
        let row: Option<(String, String, i64)> = on!(conn, c => sqlx::query_as(
            "SELECT id, application_id, created_at FROM accounts WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(c)
        .await)?;
        Ok(row.map(|(id, application_id, created_at)| Account {
            id,
            application_id,
            created_at: unsecs(created_at),
        }))
    }

    /// Every account, oldest first, with its users (for the operator).
    pub async fn accounts(&self) -> Result<Vec<(Account, Vec<User>)>, StoreError> {
        let ids: Vec<String> = {
            let mut conn = self.acquire().await?;
            on!(conn, c => sqlx::query_scalar("SELECT id FROM accounts ORDER BY created_at, id")
                .fetch_all(c)
                .await)?
        };
        let mut accounts = Vec::new();
        for id in ids {
            let Some(account) = self.account(&id).await? else {
                continue;
            };
            let users = self.users_of(&id).await?;
            accounts.push((account, users));
        }
        Ok(accounts)
    }
}
