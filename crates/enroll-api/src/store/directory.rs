//! The MPN directory and the indirect providers.

use super::{Store, StoreError};
use enroll_core::contract::MpnEntry;
use enroll_core::{Provider, ProviderRequest};

/// A provider request's row: id, provider, status, message, created at.
type RequestRow = (i64, String, String, String, String);

pub enum RequestOutcome {
    Created(ProviderRequest),
    /// This applicant already asked this provider.
    Existing(ProviderRequest),
    /// The applicant has as many pending requests as it may.
    TooManyOpen,
}

impl Store {
    pub async fn mpn_entry(&self, mpn_id: &str) -> Result<Option<MpnEntry>, StoreError> {
        let mut conn = self.acquire().await?;
        let row: Option<(String, String, String)> = on!(conn, c => sqlx::query_as(
            "SELECT mpn_id, company_name, country FROM mpn_directory WHERE mpn_id = $1"
        )
        .bind(mpn_id)
        .fetch_optional(c)
        .await)?;
        Ok(row.map(|(mpn_id, company_name, country)| MpnEntry {
            mpn_id,
            company_name,
            country,
        }))
    }

    pub async fn provider_count(&self) -> Result<i64, StoreError> {
        let mut conn = self.acquire().await?;
        Ok(
            on!(conn, c => sqlx::query_scalar("SELECT COUNT(*) FROM providers")
            .fetch_one(c)
            .await)?,
        )
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
                    let sql = format!("DELETE FROM {table}");
                    execute!(tx, c => sqlx::query(&sql))?;
                }
                for (id, body) in &providers {
                    execute!(tx, c => sqlx::query("INSERT INTO providers (id, body) VALUES ($1, $2)")
                        .bind(id)
                        .bind(body))?;
                }
                for entry in &mpn {
                    execute!(tx, c => sqlx::query(
                        "INSERT INTO mpn_directory (mpn_id, company_name, country) VALUES ($1, $2, $3)",
                    )
                    .bind(&entry.mpn_id)
                    .bind(&entry.company_name)
                    .bind(&entry.country))?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Whether the directory knows any MPN ID (if not, the server runs
    /// without one, and submit cannot check MPN IDs).
    pub async fn has_mpn_directory(&self) -> Result<bool, StoreError> {
        let mut conn = self.acquire().await?;
        Ok(
            on!(conn, c => sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM mpn_directory)")
                .fetch_one(c)
                .await)?,
        )
    }

    pub async fn providers(&self) -> Result<Vec<Provider>, StoreError> {
        let mut conn = self.acquire().await?;
        let bodies: Vec<String> = on!(conn, c => sqlx::query_scalar(
            "SELECT body FROM providers ORDER BY id"
        )
        .fetch_all(c)
        .await)?;
        bodies
            .iter()
            .map(|body| {
                serde_json::from_str(body)
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
        let now = self.now_iso();
        self.write(move |tx| {
            Box::pin(async move {
                let read = |(id, provider_id, status, message, created_at): RequestRow| {
                    ProviderRequest {
                        id,
                        provider_id,
                        provider_name: provider_name.clone(),
                        status,
                        message,
                        created_at,
                    }
                };
                let select = "SELECT id, provider_id, status, message, created_at FROM provider_requests
                              WHERE application_id = $1 AND provider_id = $2";
                let existing: Option<RequestRow> = on!(tx, c => sqlx::query_as(select)
                    .bind(&application_id)
                    .bind(&provider_id)
                    .fetch_optional(c)
                    .await)?;
                if let Some(row) = existing {
                    return Ok(RequestOutcome::Existing(read(row)));
                }
                let open: i64 = on!(tx, c => sqlx::query_scalar(
                    "SELECT COUNT(*) FROM provider_requests
                     WHERE application_id = $1 AND status = 'pending'",
                )
                .bind(&application_id)
                .fetch_one(c)
                .await)?;
                if open >= i64::from(max_open) {
                    return Ok(RequestOutcome::TooManyOpen);
                }
                let row: RequestRow = on!(tx, c => sqlx::query_as(
                    "INSERT INTO provider_requests (application_id, provider_id, message, created_at)
                     VALUES ($1, $2, $3, $4)
                     RETURNING id, provider_id, status, message, created_at",
                )
                .bind(&application_id)
                .bind(&provider_id)
                .bind(&message)
                .bind(&now)
                .fetch_one(c)
                .await)?;
                Ok(RequestOutcome::Created(read(row)))
            })
        })
        .await
    }

    pub async fn provider_requests(
        &self,
        application_id: &str,
    ) -> Result<Vec<ProviderRequest>, StoreError> {
        let mut conn = self.acquire().await?;
        let rows: Vec<(i64, String, String, String, String, String)> = on!(conn, c => sqlx::query_as(
            "SELECT r.id, r.provider_id, p.body, r.status, r.message, r.created_at
             FROM provider_requests r JOIN providers p ON p.id = r.provider_id
             WHERE r.application_id = $1 ORDER BY r.id",
        )
        .bind(application_id)
        .fetch_all(c)
        .await)?;
        rows.into_iter()
            .map(|(id, provider_id, body, status, message, created_at)| {
                let provider: Provider = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("provider: {e}")))?;
                Ok(ProviderRequest {
                    id,
                    provider_id,
                    provider_name: provider.name,
                    status,
                    message,
                    created_at,
                })
            })
            .collect()
    }
}
