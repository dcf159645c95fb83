//! The MPN directory and the indirect providers.

use enroll_core::contract::MpnEntry;
use enroll_core::{Provider, ProviderRequest};
use sqlx::Row;

use super::{Store, StoreError};

pub enum RequestOutcome {
    Created(ProviderRequest),
    /// This applicant already asked this provider.
    Existing(ProviderRequest),
    /// The applicant has as many pending requests as it may.
    TooManyOpen,
}

impl Store {
    pub async fn mpn_entry(&self, mpn_id: &str) -> Result<Option<MpnEntry>, StoreError> {
        let row =
            sqlx::query("SELECT mpn_id, company_name, country FROM mpn_directory WHERE mpn_id = ?")
                .bind(mpn_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| {
            Ok(MpnEntry {
                mpn_id: row.try_get("mpn_id")?,
                company_name: row.try_get("company_name")?,
                country: row.try_get("country")?,
            })
        })
        .transpose()
    }

    pub async fn provider_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM providers")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Replaces the directory (providers and MPN entries) in one transaction.
    pub async fn replace_directory(
        &self,
        providers: &[Provider],
        mpn: &[MpnEntry],
    ) -> Result<(), StoreError> {
        let providers = providers
            .iter()
            .map(|p| Ok((p.id.clone(), serde_json::to_string(p)?)))
            .collect::<Result<Vec<_>, serde_json::Error>>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mpn = mpn.to_vec();
        self.write(move |tx| {
            Box::pin(async move {
                for table in ["provider_requests", "providers", "mpn_directory"] {
                    sqlx::query(&format!("DELETE FROM {table}"))
                        .execute(&mut *tx)
                        .await?;
                }
                for (id, body) in &providers {
                    sqlx::query("INSERT INTO providers (id, body) VALUES (?, ?)")
                        .bind(id)
                        .bind(body)
                        .execute(&mut *tx)
                        .await?;
                }
                for entry in &mpn {
                    sqlx::query(
                        "INSERT INTO mpn_directory (mpn_id, company_name, country) VALUES (?, ?, ?)",
                    )
                    .bind(&entry.mpn_id)
                    .bind(&entry.company_name)
                    .bind(&entry.country)
                    .execute(&mut *tx)
                    .await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Whether the directory knows any MPN ID (if not, the server runs
    /// without one, and submit cannot check MPN IDs).
    pub async fn has_mpn_directory(&self) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM mpn_directory)")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn providers(&self) -> Result<Vec<Provider>, StoreError> {
        let rows = sqlx::query("SELECT body FROM providers ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let body: String = row.try_get("body")?;
                serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("provider: {e}")))
            })
            .collect()
    }

    /// Records that the applicant asks `provider` to partner, once per
    /// provider, and at most `max_open` pending requests at a time.
    pub async fn request_provider(
        &self,
        application_id: &str,
        provider: &Provider,
        message: &str,
        max_open: u32,
    ) -> Result<RequestOutcome, StoreError> {
        let (application_id, message) = (application_id.to_owned(), message.to_owned());
        let (provider_id, provider_name) = (provider.id.clone(), provider.name.clone());
        self.write(move |tx| {
            Box::pin(async move {
                let read = |row: sqlx::sqlite::SqliteRow| -> Result<ProviderRequest, StoreError> {
                    Ok(ProviderRequest {
                        id: row.try_get("id")?,
                        provider_id: row.try_get("provider_id")?,
                        provider_name: provider_name.clone(),
                        status: row.try_get("status")?,
                        message: row.try_get("message")?,
                        created_at: row.try_get("created_at")?,
                    })
                };
                let select = "SELECT id, provider_id, status, message, created_at FROM provider_requests
                              WHERE application_id = ? AND provider_id = ?";
                let existing = sqlx::query(select)
                    .bind(&application_id)
                    .bind(&provider_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = existing {
                    return Ok(RequestOutcome::Existing(read(row)?));
                }
                let open: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM provider_requests WHERE application_id = ? AND status = 'pending'",
                )
                .bind(&application_id)
                .fetch_one(&mut *tx)
                .await?;
                if open >= i64::from(max_open) {
                    return Ok(RequestOutcome::TooManyOpen);
                }
                sqlx::query(
                    "INSERT INTO provider_requests (application_id, provider_id, message) VALUES (?, ?, ?)",
                )
                .bind(&application_id)
                .bind(&provider_id)
                .bind(&message)
                .execute(&mut *tx)
                .await?;
                let row = sqlx::query(select)
                    .bind(&application_id)
                    .bind(&provider_id)
                    .fetch_one(&mut *tx)
                    .await?;
                Ok(RequestOutcome::Created(read(row)?))
            })
        })
        .await
    }

    pub async fn provider_requests(
        &self,
        application_id: &str,
    ) -> Result<Vec<ProviderRequest>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.provider_id, p.body, r.status, r.message, r.created_at
             FROM provider_requests r JOIN providers p ON p.id = r.provider_id
             WHERE r.application_id = ? ORDER BY r.id",
        )
        .bind(application_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let body: String = row.try_get("body")?;
                let provider: Provider = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("provider: {e}")))?;
                Ok(ProviderRequest {
                    id: row.try_get("id")?,
                    provider_id: row.try_get("provider_id")?,
                    provider_name: provider.name,
                    status: row.try_get("status")?,
                    message: row.try_get("message")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}
