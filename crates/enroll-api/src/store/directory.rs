//! The MPN directory and the indirect providers.

use enroll_core::{Provider, ProviderRequest};
use sqlx::Row;

use super::{Store, StoreError};

#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct MpnEntry {
    pub mpn_id: String,
    pub company_name: String,
    pub country: String,
}

pub enum RequestOutcome {
    Created(ProviderRequest),
    /// This applicant already asked this provider.
    Existing(ProviderRequest),
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
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM provider_requests")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM providers")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM mpn_directory")
            .execute(&mut *tx)
            .await?;
        for provider in providers {
            let body =
                serde_json::to_string(provider).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query("INSERT INTO providers (id, body) VALUES (?, ?)")
                .bind(&provider.id)
                .bind(body)
                .execute(&mut *tx)
                .await?;
        }
        for entry in mpn {
            sqlx::query(
                "INSERT INTO mpn_directory (mpn_id, company_name, country) VALUES (?, ?, ?)",
            )
            .bind(&entry.mpn_id)
            .bind(&entry.company_name)
            .bind(&entry.country)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
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

    pub async fn request_provider(
        &self,
        application_id: &str,
        provider: &Provider,
        message: &str,
    ) -> Result<RequestOutcome, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO provider_requests (application_id, provider_id, message) VALUES (?, ?, ?)
             ON CONFLICT (application_id, provider_id) DO NOTHING",
        )
        .bind(application_id)
        .bind(&provider.id)
        .bind(message)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let row = sqlx::query(
            "SELECT id, provider_id, status, message, created_at FROM provider_requests
             WHERE application_id = ? AND provider_id = ?",
        )
        .bind(application_id)
        .bind(&provider.id)
        .fetch_one(&self.pool)
        .await?;
        let request = ProviderRequest {
            id: row.try_get("id")?,
            provider_id: row.try_get("provider_id")?,
            provider_name: provider.name.clone(),
            status: row.try_get("status")?,
            message: row.try_get("message")?,
            created_at: row.try_get("created_at")?,
        };
        Ok(if inserted == 1 {
            RequestOutcome::Created(request)
        } else {
            RequestOutcome::Existing(request)
        })
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
