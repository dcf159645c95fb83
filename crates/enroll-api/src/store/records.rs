//! A stored application as the rest of the store reads it: its row, and
//! loading it by id inside a transaction (approval, the account's
//! notices and withdrawals all need the application they belong to).

use enroll_core::bank::clear_unused;
use enroll_core::email::address_key;
use enroll_core::{Answers, ApplicationStatus};
use sqlx::{Row, SqliteConnection};

use super::StoreError;

/// A stored application.
#[derive(Clone, Debug)]
pub struct Record {
    pub id: String,
    pub status: ApplicationStatus,
    pub locale: String,
    pub answers: Answers,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The admin address proven by an emailed code, lower case.
    pub admin_email_confirmed: Option<String>,
}

impl Record {
    /// Whether the answers' admin address is the one proven: changing the
    /// address takes the proof away.
    pub fn admin_email_is_confirmed(&self) -> bool {
        self.admin_email_confirmed.as_deref()
            == Some(address_key(&self.answers.admin.email).as_str())
    }
}

pub(super) const COLUMNS: &str =
    "id, status, locale, answers, version, created_at, updated_at, admin_email_confirmed";

pub(super) fn record(row: &sqlx::sqlite::SqliteRow) -> Result<Record, StoreError> {
    let status: String = row.try_get("status")?;
    let answers: String = row.try_get("answers")?;
    let mut answers: Answers =
        serde_json::from_str(&answers).map_err(|e| StoreError::Corrupt(format!("answers: {e}")))?;
    // Drafts saved before saves cleared them may hold bank fields their
    // country does not use, hidden from the applicant: read as cleared
    // (and so written back cleared by the next save).
    clear_unused(&mut answers.bank);
    Ok(Record {
        id: row.try_get("id")?,
        status: ApplicationStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        locale: row.try_get("locale")?,
        answers,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        admin_email_confirmed: row.try_get("admin_email_confirmed")?,
    })
}

/// The application `id`, read in `conn`'s transaction.
pub(super) async fn load(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<Record>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM applications WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(record).transpose()
}
