//! All SQL lives here, behind a small interface, so handlers never see a
//! query and another database could replace SQLite without touching them.

mod applications;
mod directory;
mod outbox;

pub use applications::{HistoryEntry, NewDraft, Record, StatusChange, UpdateOutcome};
pub use directory::{MpnEntry, RequestOutcome};
pub use outbox::Email;

use enroll_core::{ProgramLinks, ProgramSettings};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the SQLite database at `url`, e.g.
    /// `sqlite://target/csp-enroll.db`, and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            url: url.to_owned(),
            source,
        };
        let options = SqliteConnectOptions::from_str(url)
            .map_err(open_error)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL: no fsync per commit, still safe against a crash
            // of the process; `cargo xtask bench api` measured p99 414 ms
            // with FULL and a fsync-bound throughput.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(open_error)?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    pub async fn program_settings(&self) -> Result<ProgramSettings, StoreError> {
        let row: (String, bool, Option<String>, String, String) = sqlx::query_as(
            "SELECT program_name, direct_enrollment_open, direct_enrollment_note,
                    supported_countries, join_mpn_url
             FROM program_settings WHERE id = 1",
        )
        .fetch_one(&self.pool)
        .await?;
        let (program_name, direct_enrollment_open, note, countries, join_mpn) = row;
        let supported_countries = serde_json::from_str(&countries)
            .map_err(|e| StoreError::Corrupt(format!("supported_countries: {e}")))?;
        Ok(ProgramSettings {
            program_name,
            direct_enrollment_open,
            direct_enrollment_note: note.filter(|n| !n.is_empty()),
            supported_countries,
            links: ProgramLinks { join_mpn },
        })
    }

    /// Opens or closes direct enrollment; `note` replaces the previous note
    /// (None clears it).
    pub async fn set_direct_enrollment(
        &self,
        open: bool,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE program_settings
             SET direct_enrollment_open = ?, direct_enrollment_note = ?,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE id = 1",
        )
        .bind(open)
        .bind(note)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn fresh() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn a_new_database_has_direct_enrollment_closed() {
        let (_dir, store) = fresh().await;
        let settings = store.program_settings().await.unwrap();
        assert!(!settings.direct_enrollment_open);
        assert!(settings.supported_countries.contains(&"DE".to_owned()));
        assert!(settings.links.join_mpn.starts_with("https://"));
    }

    #[tokio::test]
    async fn opening_direct_enrollment_persists_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.unwrap();
        store
            .set_direct_enrollment(true, Some("Reopened in May"))
            .await
            .unwrap();
        drop(store);
        let settings = Store::open(&url)
            .await
            .unwrap()
            .program_settings()
            .await
            .unwrap();
        assert!(settings.direct_enrollment_open);
        assert_eq!(
            settings.direct_enrollment_note.as_deref(),
            Some("Reopened in May")
        );
    }

    #[tokio::test]
    async fn a_bad_url_is_a_clear_error() {
        let err = Store::open("postgres://nope").await.unwrap_err();
        assert!(err.to_string().contains("postgres://nope"), "{err}");
    }
}
