//! A stored application as the rest of the store reads it: its row, and
//! loading it by id inside a transaction (approval, the account's
//! notices and withdrawals all need the application they belong to).

use super::{Conn, StoreError};
use enroll_core::bank::clear_unused;
use enroll_core::email::address_key;
use enroll_core::{Answers, ApplicationStatus};

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

/// An application's row as both engines read it (`COLUMNS`).
#[derive(sqlx::FromRow)]
pub(super) struct Row {
    id: String,
    status: String,
    locale: String,
    answers: String,
    version: i64,
    created_at: String,
    updated_at: String,
    admin_email_confirmed: Option<String>,
}

pub(super) fn record(row: Row) -> Result<Record, StoreError> {
    let mut answers: Answers = serde_json::from_str(&row.answers)
        .map_err(|e| StoreError::Corrupt(format!("answers: {e}")))?;
    // Drafts saved before saves cleared them may hold bank fields their
    // country does not use, hidden from the applicant: read as cleared
    // (and so written back cleared by the next save).
    clear_unused(&mut answers.bank);
    Ok(Record {
        id: row.id,
        status: ApplicationStatus::parse(&row.status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {}", row.status)))?,
        locale: row.locale,
        answers,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
        admin_email_confirmed: row.admin_email_confirmed,
    })
}

/// The application `id`, read on `conn` (in its transaction, if any).
pub(super) async fn load(conn: &mut Conn<'_>, id: &str) -> Result<Option<Record>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = $1");
    let row: Option<Row> = on!(conn, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?;
    row.map(record).transpose()
}
