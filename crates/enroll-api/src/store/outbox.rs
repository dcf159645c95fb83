//! Emails waiting to be sent.

use sqlx::Row;

use super::{Store, StoreError};

#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct Email {
    pub id: i64,
    pub application_id: Option<String>,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

impl Store {
    pub async fn queue_email(
        &self,
        application_id: Option<&str>,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO outbox (application_id, to_address, subject, body) VALUES (?, ?, ?, ?)",
        )
        .bind(application_id)
        .bind(to)
        .bind(subject)
        .bind(body)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn outbox(&self) -> Result<Vec<Email>, StoreError> {
        let rows = sqlx::query("SELECT id, application_id, to_address, subject, body, created_at FROM outbox ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Email {
                    id: row.try_get("id")?,
                    application_id: row.try_get("application_id")?,
                    to: row.try_get("to_address")?,
                    subject: row.try_get("subject")?,
                    body: row.try_get("body")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}
