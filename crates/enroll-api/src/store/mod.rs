//! All SQL lives here, behind a small interface, so handlers never see a
//! query and another database could replace SQLite without touching them.

mod accounts;
mod applications;
mod directory;
mod email_codes;
mod outbox;
mod records;
mod second_factor;
mod sessions;
mod sign_in_failures;
mod users;

pub use accounts::*;
pub use email_codes::*;
pub use sessions::*;
pub use sign_in_failures::*;
pub use users::*;

pub use applications::{Consequences, NewDraft, StatusChange, UpdateOutcome, WithdrawalNotice};
pub use directory::RequestOutcome;
pub use outbox::{
    queued_signal, Claim, Claimed, Delivery, Email, EmailKind, NewEmail, RetryRefused, Throttled,
};
pub use records::Record;

use enroll_core::{Locale, ProgramLinks, ProgramSettings};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::future::Future;
use std::pin::Pin;
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
    #[error("a database write stopped before its end: {0}")]
    Interrupted(String),
    #[error("{0} signs in to another partner account already (and has chosen a password there): ask the applicant for another admin address with request-info --reason")]
    LoginTaken(String),
    /// The session a step of signing in was taken in ended meanwhile
    /// (signed out, or the same step taken twice at once).
    #[error("the session ended before its token could be replaced")]
    SessionEnded,
    #[error("MPN ID {mpn_id} belongs to the approved application {holder} already: reject this one with --reason (its applicant is emailed why)")]
    MpnApproved { mpn_id: String, holder: String },
}

/// What a write does inside its transaction.
pub(crate) type WriteFuture<'c, T> =
    Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'c>>;

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    /// A secret was erased and the write-ahead log may still hold it
    /// (`outbox::flush_if_needed`).
    unflushed: std::sync::Arc<std::sync::atomic::AtomicBool>,
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
            // Deleted and overwritten content is zeroed in the file: an
            // erased code, password or link is not left in free space.
            .pragma("secure_delete", "on")
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            // A connection must never come back to the pool inside a
            // transaction: the next borrower's "commits" would be nested
            // savepoints that never reach the file, and the write lock it
            // holds would stop every other writer. `write` makes this
            // unreachable from our code; this is the second line.
            .after_release(|conn, _| Box::pin(async move { Ok(!in_transaction(conn).await) }))
            .connect_with(options)
            .await
            .map_err(open_error)?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self {
            pool,
            unflushed: Default::default(),
        })
    }

    /// Runs `work` in a transaction (`BEGIN IMMEDIATE`: writers queue for
    /// the lock instead of failing on upgrade) on a task of its own, which
    /// the caller awaits. A request whose client hangs up is dropped by the
    /// HTTP server at any await point; had the transaction run in the
    /// request's future, a drop inside `begin` left the connection holding
    /// the write lock with sqlx believing otherwise (found by
    /// tests/disconnects.rs). On its own task the write commits, or rolls
    /// back on an error, whatever happens to the caller.
    pub(crate) async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> WriteFuture<'c, T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            let value = work(&mut tx).await?;
            tx.commit().await?;
            Ok(value)
        })
        .await
        .map_err(|e| StoreError::Interrupted(e.to_string()))?
    }

    /// Waits for every connection to come back, then closes them.
    pub async fn close(&self) {
        self.pool.close().await;
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
        let named: Vec<(String, String)> =
            sqlx::query_as("SELECT locale, name FROM program_names ORDER BY locale")
                .fetch_all(&self.pool)
                .await?;
        // Every language the app speaks has a name: the default where the
        // operator gave none, so a language switch never shows the name of
        // the language the request was in.
        let mut program_names: std::collections::BTreeMap<String, String> =
            named.into_iter().collect();
        for locale in Locale::ALL {
            program_names
                .entry(locale.tag().to_owned())
                .or_insert_with(|| program_name.clone());
        }
        Ok(ProgramSettings {
            program_name,
            program_names,
            direct_enrollment_open,
            direct_enrollment_note: note.filter(|n| !n.is_empty()),
            supported_countries,
            links: ProgramLinks { join_mpn },
        })
    }

    /// Names the program in `locale` (shown to applicants reading it).
    pub async fn set_program_name(&self, locale: Locale, name: &str) -> Result<(), StoreError> {
        let (tag, name) = (locale.tag(), name.trim().to_owned());
        self.write(move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO program_names (locale, name) VALUES (?, ?)
                     ON CONFLICT (locale) DO UPDATE SET name = excluded.name",
                )
                .bind(tag)
                .bind(name)
                .execute(&mut *tx)
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// Opens or closes direct enrollment; `note` replaces the previous note
    /// (None clears it).
    pub async fn set_direct_enrollment(
        &self,
        open: bool,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let note = note.map(str::to_owned);
        self.write(move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "UPDATE program_settings
                     SET direct_enrollment_open = ?, direct_enrollment_note = ?,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                     WHERE id = 1",
                )
                .bind(open)
                .bind(note)
                .execute(&mut *tx)
                .await?;
                Ok(())
            })
        })
        .await
    }
}

/// A time of the clock (seconds) as the database stores it.
fn secs(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A stored time back as the clock's seconds.
fn unsecs(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Whether SQLite (not only sqlx's count) has a transaction open on `conn`.
async fn in_transaction(conn: &mut SqliteConnection) -> bool {
    let open_in_sqlite = match conn.lock_handle().await {
        Ok(mut handle) => {
            // SAFETY: the handle is locked for this call, valid while
            // `handle` lives; sqlite3_get_autocommit only reads a flag.
            unsafe { libsqlite3_sys::sqlite3_get_autocommit(handle.as_raw_handle().as_ptr()) == 0 }
        }
        // A connection whose worker is gone is no use to anyone either.
        Err(_) => true,
    };
    open_in_sqlite || conn.is_in_transaction()
}

/// A value bound to one of `Store::execute`'s statements.
pub(crate) enum Param {
    Text(String),
    Int(i64),
}

impl From<&str> for Param {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<u64> for Param {
    fn from(value: u64) -> Self {
        Self::Int(secs(value))
    }
}

impl Store {
    /// One statement in a transaction of its own, with `params` bound in
    /// order: how many rows it changed.
    async fn execute(&self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError> {
        self.write(move |tx| {
            Box::pin(async move {
                let mut query = sqlx::query(sql);
                for param in params {
                    query = match param {
                        Param::Text(text) => query.bind(text),
                        Param::Int(value) => query.bind(value),
                    };
                }
                Ok(query.execute(&mut *tx).await?.rows_affected())
            })
        })
        .await
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

    async fn emails(store: &Store) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&store.pool)
            .await
            .unwrap()
    }

    /// The caller of a write goes away right after its BEGIN ran (what a
    /// client hanging up does to a handler): the write still completes.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_abandoned_after_its_begin_completes() {
        let (_dir, store) = fresh().await;
        let (begun_tx, begun) = tokio::sync::oneshot::channel::<()>();
        let (go_on, go_on_rx) = tokio::sync::oneshot::channel::<()>();
        let writer = store.clone();
        let write = async move {
            writer
                .write(move |tx| {
                    Box::pin(async move {
                        sqlx::query(
                    "INSERT INTO outbox (to_address, subject, body) VALUES ('a@b.c', 'draft', '')",
                )
                .execute(&mut *tx)
                .await?;
                        let _ = begun_tx.send(());
                        let _ = go_on_rx.await;
                        sqlx::query(
                    "INSERT INTO outbox (to_address, subject, body) VALUES ('a@b.c', 'submitted', '')",
                )
                .execute(&mut *tx)
                .await?;
                        Ok(())
                    })
                })
                .await
        };
        let caller = tokio::spawn(write);
        begun.await.unwrap();
        caller.abort();
        assert!(caller.await.unwrap_err().is_cancelled());
        go_on.send(()).unwrap();
        // Both rows land, and the pool takes further writes at once.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while emails(&store).await < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "the write never finished"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        store.set_direct_enrollment(true, None).await.unwrap();
    }

    /// A connection handed back inside a transaction (the state a
    /// cancelled `begin` left) is closed, not lent to the next writer.
    #[tokio::test]
    async fn a_connection_returned_inside_a_transaction_is_discarded() {
        let (_dir, store) = fresh().await;
        {
            let mut conn = store.pool.acquire().await.unwrap();
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut *conn)
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO outbox (to_address, subject, body) VALUES ('a@b.c', 'draft', '')",
            )
            .execute(&mut *conn)
            .await
            .unwrap();
        }
        // Writes work at once (the open transaction held the write lock),
        // on every connection of the pool, and nothing of it was kept.
        for _ in 0..10 {
            tokio::time::timeout(
                Duration::from_secs(2),
                store.set_direct_enrollment(true, None),
            )
            .await
            .expect("the write lock is free")
            .unwrap();
        }
        assert_eq!(emails(&store).await, 0);
    }

    #[tokio::test]
    async fn a_bad_url_is_a_clear_error() {
        let err = Store::open("postgres://nope").await.unwrap_err();
        assert!(err.to_string().contains("postgres://nope"), "{err}");
    }
}
