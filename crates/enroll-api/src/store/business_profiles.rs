//! Business profiles and their logos.

use enroll_core::business_profile::BusinessProfile;

use super::{secs, Conn, Store, StoreError};

/// A saved business profile as stored: its version, its JSON (without the
/// logo's URL) and its logo's hash.
#[derive(Clone, Debug)]
pub struct StoredProfile {
    pub version: i64,
    pub body: String,
    pub logo: Option<String>,
}

/// A logo as served.
#[derive(Clone, Debug)]
pub struct StoredLogo {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What a save found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Saved, as this version.
    Version(i64),
    /// Someone saved another version meanwhile (the current one).
    Changed(i64),
    /// The referral contact is no user of the account any more.
    NoSuchContact,
}

/// A user removed from the account (`user_id`) is no referral contact:
/// a profile naming them loses its contact and, no longer complete, is
/// unpublished (its page then says the contact is still needed), as a
/// new version. In the removal's own transaction.
pub(super) async fn forget_referral_contact(
    conn: &mut Conn<'_>,
    account_id: &str,
    user_id: &str,
    at: u64,
) -> Result<(), StoreError> {
    let row: Option<(i64, String)> = on!(conn, c => sqlx::query_as(
        "SELECT version, body FROM business_profiles WHERE account_id = $1"
    )
    .bind(account_id)
    .fetch_optional(c)
    .await)?;
    let Some((version, body)) = row else {
        return Ok(());
    };
    let mut profile: BusinessProfile = serde_json::from_str(&body)
        .map_err(|e| StoreError::Corrupt(format!("business profile of {account_id}: {e}")))?;
    if profile.referral_contact.as_deref() != Some(user_id) {
        return Ok(());
    }
    profile.referral_contact = None;
    profile.published = false;
    let body = serde_json::to_string(&profile)
        .map_err(|e| StoreError::Corrupt(format!("business profile of {account_id}: {e}")))?;
    execute!(conn, c => sqlx::query(
        "UPDATE business_profiles SET version = $1, body = $2, published = $3, updated_at = $4
         WHERE account_id = $5",
    )
    .bind(version + 1)
    .bind(&body)
    .bind(false)
    .bind(secs(at))
    .bind(account_id))?;
    Ok(())
}

impl Store {
    pub async fn business_profile(
        &self,
        account_id: &str,
    ) -> Result<Option<StoredProfile>, StoreError> {
        let mut conn = self.acquire().await?;
        let row: Option<(i64, String, Option<String>)> = on!(conn, c => sqlx::query_as(
            "SELECT version, body, logo FROM business_profiles WHERE account_id = $1"
        )
        .bind(account_id)
        .fetch_optional(c)
        .await)?;
        Ok(row.map(|(version, body, logo)| StoredProfile {
            version,
            body,
            logo,
        }))
    }

    /// Saves the profile if `expected` is its current version (0 for one
    /// never saved) and its referral contact, if any, is a user of the
    /// account: checked here, in the write, so a user removed meanwhile
    /// is never saved as the contact.
    pub async fn save_business_profile(
        &self,
        account_id: &str,
        expected: Option<i64>,
        body: String,
        published: bool,
        contact: Option<String>,
    ) -> Result<Saved, StoreError> {
        let account_id = account_id.to_owned();
        let now = self.now();
        self.write(move |tx| {
            Box::pin(async move {
                let current: i64 = on!(tx, c => sqlx::query_scalar(
                    "SELECT version FROM business_profiles WHERE account_id = $1",
                )
                .bind(&account_id)
                .fetch_optional(c)
                .await)?
                .unwrap_or(0);
                if expected.is_some_and(|v| v != current) {
                    return Ok(Saved::Changed(current));
                }
                if let Some(contact) = &contact {
                    let user: Option<String> = on!(tx, c => sqlx::query_scalar(
                        "SELECT id FROM users WHERE id = $1 AND account_id = $2",
                    )
                    .bind(contact)
                    .bind(&account_id)
                    .fetch_optional(c)
                    .await)?;
                    if user.is_none() {
                        return Ok(Saved::NoSuchContact);
                    }
                }
                execute!(tx, c => sqlx::query(
                    "INSERT INTO business_profiles (account_id, version, body, published, logo, updated_at,
                         first_published_at)
                     VALUES ($1, $2, $3, $4, NULL, $5, $6)
                     ON CONFLICT (account_id) DO UPDATE SET version = excluded.version,
                         body = excluded.body, published = excluded.published,
                         updated_at = excluded.updated_at,
                         first_published_at = COALESCE(business_profiles.first_published_at,
                                                       excluded.first_published_at)",
                )
                .bind(&account_id)
                .bind(current + 1)
                .bind(&body)
                .bind(published)
                .bind(secs(now))
                // Kept from the first time: matching prefers the partner
                // published longer ago.
                .bind(published.then(|| secs(now))))?;
                Ok(Saved::Version(current + 1))
            })
        })
        .await
    }

    /// Gives the account's profile `logo` (its hash, type and bytes), or
    /// none; a profile never saved is kept as `default_body`, still
    /// version 0 (never saved). The logo no profile shows any more is
    /// removed. The profile's version stays: a logo is no edit of the
    /// form someone may have open.
    pub async fn set_business_logo(
        &self,
        account_id: &str,
        logo: Option<(String, &'static str, Vec<u8>)>,
        default_body: String,
    ) -> Result<(), StoreError> {
        let account_id = account_id.to_owned();
        let now = self.now();
        self.write(move |tx| {
            Box::pin(async move {
                let before: Option<Option<String>> = on!(tx, c => sqlx::query_scalar(
                    "SELECT logo FROM business_profiles WHERE account_id = $1",
                )
                .bind(&account_id)
                .fetch_optional(c)
                .await)?;
                let hash = logo.as_ref().map(|(hash, _, _)| hash.clone());
                if let Some((hash, content_type, bytes)) = logo {
                    execute!(tx, c => sqlx::query(
                        "INSERT INTO logos (hash, content_type, bytes, created_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (hash) DO NOTHING",
                    )
                    .bind(&hash)
                    .bind(content_type)
                    .bind(&bytes)
                    .bind(secs(now)))?;
                }
                execute!(tx, c => sqlx::query(
                    "INSERT INTO business_profiles (account_id, version, body, published, logo, updated_at)
                     VALUES ($1, 0, $2, $3, $4, $5)
                     ON CONFLICT (account_id) DO UPDATE SET logo = excluded.logo,
                         updated_at = excluded.updated_at",
                )
                .bind(&account_id)
                .bind(&default_body)
                .bind(false)
                .bind(&hash)
                .bind(secs(now)))?;
                if let Some(old) = before.flatten().filter(|old| Some(old) != hash.as_ref()) {
                    execute!(tx, c => sqlx::query(
                        "DELETE FROM logos WHERE hash = $1
                         AND NOT EXISTS (SELECT 1 FROM business_profiles WHERE logo = $1)",
                    )
                    .bind(&old))?;
                }
                Ok(())
            })
        })
        .await
    }

    pub async fn logo(&self, hash: &str) -> Result<Option<StoredLogo>, StoreError> {
        let mut conn = self.acquire().await?;
        let row: Option<(String, Vec<u8>)> = on!(conn, c => sqlx::query_as(
            "SELECT content_type, bytes FROM logos WHERE hash = $1"
        )
        .bind(hash)
        .fetch_optional(c)
        .await)?;
        Ok(row.map(|(content_type, bytes)| StoredLogo {
            content_type,
            bytes,
        }))
    }
}
