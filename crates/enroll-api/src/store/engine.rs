//! The two engines behind the store: their pools and connections, how a
//! database is opened (and its URL shown), and the transactions every
//! write and every snapshot read run in.

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Postgres, Sqlite, SqliteConnection, SqlitePool};
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::time::Duration;

use super::{Store, StoreError};

/// A connection of either engine, borrowed for a statement or a
/// transaction; `on!` runs a statement on it.
pub(crate) enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Conn::Postgres(_))
    }

    /// The same connection, borrowed again (for `on!`).
    pub(crate) fn engine(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// A connection taken from the pool for reads outside a transaction.
pub(crate) enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Pooled {
    pub(crate) fn engine(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c),
            Pooled::Postgres(c) => Conn::Postgres(c),
        }
    }
}

#[derive(Clone, Debug)]
pub(super) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// What a write does inside its transaction.
pub(crate) type WriteFuture<'c, T> =
    Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'c>>;

/// The key of the PostgreSQL advisory lock every write holds (`write`):
/// "csp-enro" in ASCII, a number no other user of the database is likely
/// to pick.
const WRITE_LOCK: i64 = 0x6373_702d_656e_726f;

impl Store {
    /// Runs `work` in a transaction on a task of its own, which the caller
    /// awaits. A request whose client hangs up is dropped by the HTTP
    /// server at any await point; had the transaction run in the request's
    /// future, a drop inside `begin` left the connection holding the write
    /// lock with sqlx believing otherwise (found by tests/disconnects.rs).
    /// On its own task the write commits, or rolls back on an error,
    /// whatever happens to the caller.
    ///
    /// Writes are serialized on both engines, so every rule the store
    /// checks and then writes (one submission per Idempotency-Key, one
    /// approved application per MPN ID, the hourly email limits, sign-in
    /// failure counts, the last global admin) holds across instances as it
    /// does in one: SQLite's `BEGIN IMMEDIATE` takes the file's one write
    /// lock at once (writers queue instead of failing on upgrade), and on
    /// PostgreSQL each write takes one transaction-scoped advisory lock
    /// first. That lock rather than serializable transactions: these rules
    /// read several tables and then write, so under serializable isolation
    /// concurrent approvals and submissions would fail and re-run often,
    /// and a write closure that queues an email would have to be safe to
    /// run twice; the writes are short (a few statements, milliseconds),
    /// so queuing them costs little (`cargo xtask bench api`). The one
    /// busy path that needs no lock, a sender claiming an email, takes its
    /// row with `FOR UPDATE SKIP LOCKED` instead (`claim_email`).
    pub(crate) async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c, 'd> FnOnce(&'c mut Conn<'d>) -> WriteFuture<'c, T> + Send + 'static,
    {
        self.transaction(Kind::Serialized, work).await
    }

    /// `write` for work that keeps its own rules by row locks and guarded
    /// updates (`claim_email`): on PostgreSQL it does not queue behind the
    /// other writes; SQLite has only the one writer.
    pub(crate) async fn write_unserialized<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c, 'd> FnOnce(&'c mut Conn<'d>) -> WriteFuture<'c, T> + Send + 'static,
    {
        self.transaction(Kind::Unserialized, work).await
    }

    /// Runs `work` on one snapshot of the whole database, writing nothing
    /// (`copy`): a read transaction on SQLite (the write-ahead log keeps
    /// what it first saw), REPEATABLE READ on PostgreSQL (READ COMMITTED
    /// would give each statement a snapshot of its own while unserialized
    /// writes, email claims and rate buckets, go on).
    pub(crate) async fn read_snapshot<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c, 'd> FnOnce(&'c mut Conn<'d>) -> WriteFuture<'c, T> + Send + 'static,
    {
        self.transaction(Kind::Snapshot, work).await
    }

    async fn transaction<T, F>(&self, kind: Kind, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c, 'd> FnOnce(&'c mut Conn<'d>) -> WriteFuture<'c, T> + Send + 'static,
    {
        let pool = self.pool.clone();
        let turn = self.sqlite_turn.clone();
        tokio::spawn(async move {
            match pool {
                Pool::Sqlite(pool) => {
                    // Writers of this process queue here, each woken the
                    // moment the one before commits. Left to the file's
                    // lock, a writer finding it taken sleeps in SQLite's
                    // busy handler (1, 2, 5, 10 ... 100 ms steps) however
                    // soon the lock is free: `cargo xtask bench api`
                    // measured p99 129 ms at four connections that way.
                    // Other processes (an operator's command) still meet
                    // the busy handler, rarely. A snapshot writes nothing
                    // and waits for no writer.
                    let (_turn, begin) = match kind {
                        Kind::Snapshot => (None, "BEGIN DEFERRED"),
                        _ => (Some(turn.lock().await), "BEGIN IMMEDIATE"),
                    };
                    let mut tx = pool.begin_with(begin).await?;
                    let value = work(&mut Conn::Sqlite(&mut tx)).await?;
                    tx.commit().await?;
                    Ok(value)
                }
                Pool::Postgres(pool) => {
                    let mut tx = match kind {
                        Kind::Snapshot => {
                            pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                                .await?
                        }
                        _ => pool.begin().await?,
                    };
                    if kind == Kind::Serialized {
                        sqlx::query("SELECT pg_advisory_xact_lock($1)")
                            .bind(WRITE_LOCK)
                            .execute(&mut *tx)
                            .await?;
                    }
                    let value = work(&mut Conn::Postgres(&mut tx)).await?;
                    tx.commit().await?;
                    Ok(value)
                }
            }
        })
        .await
        .map_err(|e| StoreError::Interrupted(e.to_string()))?
    }
}

/// What a transaction is for (`Store::transaction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A write, after every other serialized write (`write`).
    Serialized,
    /// A write kept whole by its own row locks (`write_unserialized`).
    Unserialized,
    /// Reads of one snapshot (`read_snapshot`).
    Snapshot,
}

/// How a database that does not open is reported: its URL without a
/// password.
fn open_error(url: &str) -> impl Fn(sqlx::Error) -> StoreError + Copy + '_ {
    move |source| StoreError::Open {
        url: redacted(url),
        source,
    }
}

pub(super) async fn open_sqlite(url: &str) -> Result<SqlitePool, StoreError> {
    let open_error = open_error(url);
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
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok(pool)
}

pub(super) async fn open_postgres(url: &str) -> Result<PgPool, StoreError> {
    let open_error = open_error(url);
    let options = PgConnectOptions::from_str(url).map_err(open_error)?;
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(open_error)?;
    // sqlx takes an advisory lock of its own around migrations: two
    // instances starting at once on a new database migrate it once.
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
}

/// A database URL as it may be shown (errors, the operator's terminal,
/// logs): its password, if it has one, replaced by `***`.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info
                .split_once(':')
                .map_or(user_info, |(user, _)| user);
            let hidden = if user_info.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A store on a new SQLite file (for the store's own tests).
    pub(in crate::store) async fn fresh() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.unwrap();
        (dir, store)
    }

    async fn emails(store: &Store) -> i64 {
        let mut conn = store.acquire().await.unwrap();
        on!(conn, c => sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(c).await)
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
                        execute!(tx, c => sqlx::query(
                            "INSERT INTO outbox (to_address, subject, body, created_at)
                             VALUES ('a@b.c', 'draft', '', '')",
                        ))?;
                        let _ = begun_tx.send(());
                        let _ = go_on_rx.await;
                        execute!(tx, c => sqlx::query(
                            "INSERT INTO outbox (to_address, subject, body, created_at)
                             VALUES ('a@b.c', 'submitted', '', '')",
                        ))?;
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
            let Pool::Sqlite(pool) = &store.pool else {
                unreachable!("opened on SQLite")
            };
            let mut conn = pool.acquire().await.unwrap();
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut *conn)
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO outbox (to_address, subject, body, created_at)
                 VALUES ('a@b.c', 'draft', '', '')",
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

    #[test]
    fn passwords_in_database_urls_are_never_shown() {
        assert_eq!(
            redacted("postgres://enroll:s3cret@db.internal:5432/enroll?sslmode=verify-full"),
            "postgres://enroll:***@db.internal:5432/enroll?sslmode=verify-full"
        );
        assert_eq!(
            redacted("postgres://enroll@db/enroll"),
            "postgres://enroll@db/enroll"
        );
        assert_eq!(
            redacted("postgres://u:p@ss@host/db"),
            "postgres://u:***@host/db"
        );
        assert_eq!(
            redacted("sqlite://target/csp-enroll.db"),
            "sqlite://target/csp-enroll.db"
        );
        assert_eq!(redacted("nonsense"), "nonsense");
    }

    #[tokio::test]
    async fn a_failed_open_does_not_show_the_password() {
        let url = "postgres://enroll:s3cret@127.0.0.1:1/enroll?sslmode=sometimes";
        let err = Store::open(url).await.unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert!(
            err.to_string()
                .contains("postgres://enroll:***@127.0.0.1:1/enroll"),
            "{err}"
        );
    }
}
