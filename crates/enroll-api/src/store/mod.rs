//! All SQL lives here, behind a small interface, so handlers never see a
//! query. Two engines stand behind it: SQLite (one file, the embedded
//! default) and PostgreSQL (several API instances on one database). Each
//! statement is written once where both engines take the same text
//! (`$N` parameters, `RETURNING`, `ON CONFLICT`), and run through `on!`,
//! which compiles it once per engine; the few that differ say so.

/// Runs `$body` with `$c` bound to the connection (`&mut SqliteConnection`
/// or `&mut PgConnection`) that `$conn` (a `Conn` or a `Pooled`) is on:
/// the same statement text, compiled for each engine.
macro_rules! on {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn.engine() {
            $crate::store::Conn::Sqlite($c) => $body,
            $crate::store::Conn::Postgres($c) => $body,
        }
    };
}

/// `on!` for a statement run for the rows it changed: `$query`, built for
/// the connection `$c`, executed on it.
macro_rules! execute {
    ($conn:expr, $c:ident => $query:expr) => {
        on!($conn, $c => $query.execute($c).await.map(|done| done.rows_affected()))
    };
}

/// Binds `params` to `$query` in order (a macro: the query's type differs
/// by engine).
macro_rules! bind_all {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                $crate::store::Param::Text(text) => query.bind(text),
                $crate::store::Param::Int(value) => query.bind(value),
                $crate::store::Param::Flag(flag) => query.bind(flag),
                $crate::store::Param::Real(value) => query.bind(value),
                $crate::store::Param::Json(value) => query.bind(value),
                $crate::store::Param::Bytes(value) => query.bind(value),
            };
        }
        query
    }};
}

mod accounts;
mod admin_relationships;
mod applications;
mod business_profiles;
mod copy;
mod customers;
mod demo;
mod directory;
mod email_codes;
mod engine;
mod outbox;
mod partner_requests;
mod program;
mod rate_buckets;
mod records;
mod referrals;
mod second_factor;
mod sessions;
mod sign_in_failures;
mod users;

pub use accounts::*;
pub use admin_relationships::*;
pub use business_profiles::*;
pub use customers::*;
pub use email_codes::*;
pub use partner_requests::*;
pub use referrals::*;
pub use sessions::*;
pub use sign_in_failures::*;
pub use users::*;

pub use applications::{Consequences, NewDraft, StatusChange, UpdateOutcome, WithdrawalNotice};
pub use copy::{Copied, CopyRefused};
pub use demo::DemoPartner;
pub use directory::RequestOutcome;
pub use outbox::{
    queued_signal, About, Claim, Claimed, Delivery, Email, EmailKind, NewEmail, RetryRefused,
    Throttled,
};
pub use rate_buckets::Bucket;
pub use records::Record;

pub use engine::redacted;
use engine::{open_postgres, open_sqlite, Pool, Pooled};
pub(crate) use engine::{Conn, WriteFuture};

use crate::clock::{iso, SharedClock};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot open the database {0}: give a sqlite:// or postgres:// URL")]
    UnknownEngine(String),
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

#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    /// The one clock every stored time comes from.
    clock: SharedClock,
    /// A secret was erased and the write-ahead log may still hold it
    /// (`outbox::flush_if_needed`).
    unflushed: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// This process's writers to a SQLite file take turns here before
    /// `BEGIN IMMEDIATE` (see `transaction`).
    sqlite_turn: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Store {
    /// Opens the database at `url` with the machine's clock; see `open_with`.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with(url, crate::clock::system()).await
    }

    /// Opens the database at `url` and brings its schema up to date:
    /// `sqlite://target/csp-enroll.db` (created if missing) or
    /// `postgres://user@host/database` (which must exist). Every time the
    /// store writes or compares comes from `clock`.
    pub async fn open_with(url: &str, clock: SharedClock) -> Result<Self, StoreError> {
        let pool = if url.starts_with("sqlite:") {
            Pool::Sqlite(open_sqlite(url).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Pool::Postgres(open_postgres(url).await?)
        } else {
            return Err(StoreError::UnknownEngine(redacted(url)));
        };
        Ok(Self {
            pool,
            clock,
            unflushed: Default::default(),
            sqlite_turn: Default::default(),
        })
    }

    /// The clock's time now.
    pub(crate) fn now(&self) -> u64 {
        self.clock.now()
    }

    /// The clock's time now as stored in the applications' text columns.
    pub(crate) fn now_iso(&self) -> String {
        iso(self.now())
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.pool, Pool::Postgres(_))
    }

    /// A connection for reads outside a transaction.
    pub(crate) async fn acquire(&self) -> Result<Pooled, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Pooled::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Pooled::Postgres(pool.acquire().await?),
        })
    }

    /// Waits for every connection to come back, then closes them.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
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

/// A value bound to a statement (`Store::execute`'s, and every value
/// `copy` moves); `None` is NULL.
#[derive(Clone, Debug)]
pub(crate) enum Param {
    Text(Option<String>),
    Int(Option<i64>),
    Flag(Option<bool>),
    Real(Option<f64>),
    /// A JSON value: text on SQLite, JSONB on PostgreSQL.
    Json(Option<sqlx::types::Json<serde_json::Value>>),
    /// Bytes: a BLOB on SQLite, BYTEA on PostgreSQL.
    Bytes(Option<Vec<u8>>),
}

impl From<&str> for Param {
    fn from(text: &str) -> Self {
        Self::Text(Some(text.to_owned()))
    }
}

impl From<u64> for Param {
    fn from(value: u64) -> Self {
        Self::Int(Some(secs(value)))
    }
}

impl From<bool> for Param {
    fn from(flag: bool) -> Self {
        Self::Flag(Some(flag))
    }
}

impl Store {
    /// One statement in a transaction of its own, with `params` bound in
    /// order: how many rows it changed.
    async fn execute(&self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError> {
        self.write(move |tx| {
            Box::pin(async move { Ok(execute!(tx, c => bind_all!(sqlx::query(sql), params))?) })
        })
        .await
    }
}

#[cfg(test)]
mod tests {

    /// Every time the store writes or compares comes from the API's clock
    /// and every statement runs on both engines: none asks the database
    /// for its time, its row ids, or SQLite's own placeholders and JSON.
    #[test]
    fn statements_ask_the_database_for_no_time_and_run_on_both_engines() {
        let sources = [
            ("mod.rs", include_str!("mod.rs")),
            ("accounts.rs", include_str!("accounts.rs")),
            ("copy.rs", include_str!("copy.rs")),
            ("applications.rs", include_str!("applications.rs")),
            ("directory.rs", include_str!("directory.rs")),
            ("engine.rs", include_str!("engine.rs")),
            ("email_codes.rs", include_str!("email_codes.rs")),
            ("outbox.rs", include_str!("outbox.rs")),
            ("outbox/claims.rs", include_str!("outbox/claims.rs")),
            ("program.rs", include_str!("program.rs")),
            ("rate_buckets.rs", include_str!("rate_buckets.rs")),
            ("records.rs", include_str!("records.rs")),
            ("second_factor.rs", include_str!("second_factor.rs")),
            ("sessions.rs", include_str!("sessions.rs")),
            ("sign_in_failures.rs", include_str!("sign_in_failures.rs")),
            ("users.rs", include_str!("users.rs")),
        ];
        // Spelled in pieces so this test's own text does not match.
        // Compared in lower case; Rust's own `.now()` is never preceded
        // by a space, a comma or a parenthesis.
        let banned = [
            ["strf", "time("].concat(),
            ["'no", "w'"].concat(),
            ["current_", "timestamp"].concat(),
            ["current_", "date"].concat(),
            ["current_", "time"].concat(),
            ["local", "timestamp"].concat(),
            ["clock_", "timestamp"].concat(),
            ["statement_", "timestamp"].concat(),
            ["julian", "day("].concat(),
            ["date", "time("].concat(),
            [" now", "()"].concat(),
            ["(now", "()"].concat(),
            [",now", "()"].concat(),
            ["row", "id"].concat(),
            ["json_", "each"].concat(),
            ["insert or ", "ignore"].concat(),
            [" = ", "?"].concat(),
        ];
        for (file, text) in sources {
            let code = text.split("#[cfg(test)]").next().unwrap_or(text);
            let code = code.to_lowercase();
            for word in &banned {
                assert!(!code.contains(word.as_str()), "{file} has {word}");
            }
        }
    }
}
