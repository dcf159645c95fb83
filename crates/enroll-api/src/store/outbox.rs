//! Emails waiting to be sent. The outbox is the mail transport: what is
//! queued here is what a mail relay would deliver.

use sqlx::{Row, SqliteConnection};
use std::time::Duration;

use super::{Store, StoreError};

#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct Email {
    pub id: i64,
    pub kind: String,
    pub application_id: Option<String>,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

/// What an email is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailKind {
    /// A change of an application's status.
    Status,
    /// The link that resumes a draft.
    Resume,
    /// The code proving the admin's address.
    AdminCode,
    /// A partner account user's temporary password.
    TemporaryPassword,
}

impl EmailKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Resume => "resume",
            Self::AdminCode => "admin_code",
            Self::TemporaryPassword => "temporary_password",
        }
    }
}

/// An email to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEmail {
    pub kind: EmailKind,
    pub application_id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The Idempotency-Key of the request asking for it, if it sent one.
    pub request_key: Option<String>,
}

/// A limit was reached: try again after this long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: Duration,
}

/// The mailbox an address delivers to: lower case, without a `+tag`
/// (jane+1@contoso.com and Jane@contoso.com are one inbox).
fn mailbox(address: &str) -> String {
    let address = address.trim().to_lowercase();
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{local}@{domain}")
        }
        None => address,
    }
}

async fn resume_queued(
    conn: &mut SqliteConnection,
    application_id: &str,
    key: &str,
) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM outbox
         WHERE application_id = ? AND kind = ? AND request_key = ?)",
    )
    .bind(application_id)
    .bind(EmailKind::Resume.as_str())
    .bind(key)
    .fetch_one(&mut *conn)
    .await?)
}

pub(super) async fn insert_email(
    conn: &mut SqliteConnection,
    email: &NewEmail,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO outbox (kind, application_id, to_address, mailbox, subject, body, request_key)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(email.kind.as_str())
    .bind(&email.application_id)
    .bind(&email.to)
    .bind(mailbox(&email.to))
    .bind(&email.subject)
    .bind(&email.body)
    .bind(&email.request_key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Seconds until the oldest of the emails counted by `filter` (of `kind`,
/// in the last hour) leaves the hour, if there are `limit` or more.
async fn wait_for_slot(
    conn: &mut SqliteConnection,
    kind: EmailKind,
    filter: &str,
    value: &str,
    limit: u32,
) -> Result<Option<Throttled>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT COUNT(*) AS sent,
                COALESCE(CAST(strftime('%s', MIN(created_at)) AS INTEGER) + 3600
                         - CAST(strftime('%s', 'now') AS INTEGER), 0) AS wait
         FROM outbox
         WHERE kind = ? AND {filter} = ?
           AND created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-3600 seconds')"
    ))
    .bind(kind.as_str())
    .bind(value)
    .fetch_one(&mut *conn)
    .await?;
    let sent: i64 = row.try_get("sent")?;
    let wait: i64 = row.try_get("wait")?;
    Ok((sent >= i64::from(limit)).then(|| Throttled {
        retry_after: Duration::from_secs(wait.clamp(1, 3600).unsigned_abs()),
    }))
}

impl Store {
    /// Queues a resume-link email unless its application or its recipient
    /// had `per_application` / `per_recipient` of them in the last hour.
    /// Counted and queued in one transaction: concurrent asks cannot both
    /// squeeze under the limit. A request replayed with the same
    /// Idempotency-Key finds its email queued and queues nothing.
    pub async fn queue_resume_email(
        &self,
        email: NewEmail,
        per_application: u32,
        per_recipient: u32,
    ) -> Result<Result<(), Throttled>, StoreError> {
        self.write(move |tx| {
            Box::pin(async move {
                let kind = EmailKind::Resume;
                if let Some(key) = &email.request_key {
                    if resume_queued(tx, &email.application_id, key).await? {
                        return Ok(Ok(()));
                    }
                }
                let mailbox = mailbox(&email.to);
                for (filter, value, limit) in [
                    (
                        "application_id",
                        email.application_id.as_str(),
                        per_application,
                    ),
                    ("mailbox", mailbox.as_str(), per_recipient),
                ] {
                    if let Some(throttled) = wait_for_slot(tx, kind, filter, value, limit).await? {
                        return Ok(Err(throttled));
                    }
                }
                insert_email(tx, &email).await?;
                Ok(Ok(()))
            })
        })
        .await
    }

    /// Whether the request with Idempotency-Key `key` queued its resume
    /// email already.
    pub async fn resume_email_queued(
        &self,
        application_id: &str,
        key: &str,
    ) -> Result<bool, StoreError> {
        let mut conn = self.pool.acquire().await?;
        resume_queued(&mut conn, application_id, key).await
    }

    pub async fn outbox(&self) -> Result<Vec<Email>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, application_id, to_address, subject, body, created_at
             FROM outbox ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Email {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
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
