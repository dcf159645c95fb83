//! A real PostgreSQL server for tests, and [`backends`]: one test run on
//! SQLite and on PostgreSQL.
//!
//! [`fresh_database`] gives the URL of a new, empty database. The first
//! call in a test process (a test binary) starts the process's server: a
//! new cluster (`initdb`) in a directory under `/dev/shm` (a tmpfs; `/tmp`
//! when it lacks room), with durability off. It listens on no TCP
//! address, only on a Unix socket in that directory, which is mode 0700
//! and owned by the server's OS user: it trusts whoever reaches the
//! socket, and only that user (and root) can. All
//! the binary's tests share it, each with its own database(s). It stops
//! when the process ends, whether the tests passed, failed or the process
//! was killed, and its directory is removed (see `server.rs`).
//!
//! PostgreSQL's server programs are found with `pg_config --bindir`
//! (Debian: `apt-get install postgresql`; `cargo xtask test` installs it).
//! When the tests run as root, initdb and the server run as the `postgres`
//! OS user; otherwise as the user running the tests.
//!
//! The URLs name the socket's directory in a `host` parameter, as libpq
//! (`psql`, `pg_dump --dbname URL`) and sqlx both read it:
//! `postgres://postgres@localhost:PORT/DATABASE?host=/dev/shm/test-postgres-PID-0`
//! connects to `/dev/shm/test-postgres-PID-0/.s.PGSQL.PORT`. Nothing
//! listens on localhost:PORT (a client that ignored `host` would fail
//! rather than reach another server). Connect as root or as the server's
//! user: others are refused at the directory.
//!
//! Nothing here keeps a connection pool in a static: each
//! `#[tokio::test]` has its own runtime, and a pool made in one runtime
//! breaks in the next. The harness talks to the server over short-lived
//! blocking connections instead (its own small client, `wire.rs`).
//!
//! ```no_run
//! # async fn example() {
//! let url = test_postgres::fresh_database().await;
//! assert!(url.starts_with("postgres://postgres@localhost:"));
//! assert!(url.contains("?host=/"));
//! # }
//! ```

#![warn(missing_docs)]

// Lets `#[backends]`'s `::test_postgres::...` paths resolve in this
// crate's own tests and doctests as they do in other crates.
extern crate self as test_postgres;

mod server;
mod wire;

use std::fmt;
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Runs one async test on both backends.
///
/// On `async fn name() { body }` it makes a module `name` with two tests,
/// `name::sqlite` and `name::postgres`, each a `#[tokio::test]` running
/// `body` inside [`scope`] with its [`Backend`], so [`Backend::current`]
/// tells the body (and whatever it calls in the same task) which one to
/// use. `cargo test name::postgres` runs one of them.
///
/// Arguments go to `tokio::test` as they are:
/// `#[backends(flavor = "multi_thread", worker_threads = 2)]`. The other
/// attributes (doc comments, `#[allow]`, `#[cfg]`, ...) are put on both
/// tests. The module starts with `use super::*;`, so the body sees what it
/// saw where it was written. The crate using it needs `tokio` with the
/// `macros` and `rt` features, as `#[tokio::test]` does.
///
/// Only an `async fn` without arguments, returning `()`, is accepted:
///
/// ```compile_fail
/// #[test_postgres::backends]
/// fn not_async() {}
/// ```
///
/// ```compile_fail
/// #[test_postgres::backends]
/// async fn returns_a_value() -> Result<(), String> { Ok(()) }
/// ```
///
/// ```compile_fail
/// #[test_postgres::backends]
/// async fn takes_an_argument(n: u32) {}
/// ```
pub use test_postgres_macros::backends;

pub use wire::Rows;

/// The database a test runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// SQLite: the default, and the backend outside any [`scope`].
    Sqlite,
    /// PostgreSQL: a database from [`fresh_database`].
    Postgres,
}

impl Backend {
    /// Both backends, SQLite first.
    pub const ALL: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

    /// `"sqlite"` or `"postgres"`: the name of its test in a [`backends`]
    /// module.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The backend of the [`scope`] the current task runs in; SQLite
    /// outside any. A task-local: tasks spawned with `tokio::spawn` do not
    /// inherit it, so read it in the test's own task.
    pub fn current() -> Backend {
        BACKEND
            .try_with(|backend| *backend)
            .unwrap_or(Backend::Sqlite)
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

tokio::task_local! {
    static BACKEND: Backend;
}

/// Same as [`Backend::current`].
pub fn current() -> Backend {
    Backend::current()
}

/// Runs `future` with [`Backend::current`] giving `backend` (nested
/// scopes: the innermost wins).
pub async fn scope<F: Future>(backend: Backend, future: F) -> F::Output {
    BACKEND.scope(backend, future).await
}

/// A new, empty database on the process's server (started by the first
/// call, which takes about half a second): its URL,
/// `postgres://postgres@localhost:PORT/t_PID_N?host=SOCKET_DIRECTORY`
/// (see the crate's documentation), for sqlx and libpq alike.
///
/// Runs the blocking work on the runtime's blocking pool, so the caller's
/// runtime goes on serving its other tasks meanwhile; outside a tokio
/// runtime it simply blocks. Panics, with the reason, if PostgreSQL is
/// missing or the server cannot start or create the database.
pub async fn fresh_database() -> String {
    let created = match tokio::runtime::Handle::try_current() {
        Ok(runtime) => runtime
            .spawn_blocking(try_fresh_database)
            .await
            .unwrap_or_else(|e| Err(format!("test-postgres: creating a database failed: {e}"))),
        Err(_) => try_fresh_database(),
    };
    // Here rather than in the blocking pool: the panic names the test's
    // thread, and so the test.
    created.unwrap_or_else(|message| panic!("{message}"))
}

/// [`fresh_database`] for code outside async (or that may block): blocks
/// the calling thread until the database exists.
#[track_caller]
pub fn fresh_database_blocking() -> String {
    match try_fresh_database() {
        Ok(url) => url,
        Err(message) => panic!("{message}"),
    }
}

fn try_fresh_database() -> Result<String, String> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let server = server::try_get()?;
    // Unique within the server (the counter) and recognisable in its log
    // (the pid of the test process that asked).
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    // FILE_COPY copies the template's files: 5 ms a database on tmpfs (22
    // on an idle disk), against 15 ms (37) for PostgreSQL 15's default,
    // WAL_LOG, which also writes the whole template into the WAL.
    let sql = format!("CREATE DATABASE \"{name}\" STRATEGY FILE_COPY");
    wire::Connection::open(&server.socket(), server::USER, "postgres")
        .and_then(|mut connection| connection.simple_query(&sql))
        .map_err(|error| {
            format!(
                "test-postgres: cannot create database {name}: {error}\n(server files in {})",
                server.dir.display()
            )
        })?;
    Ok(url(server, &name))
}

fn url(server: &server::Server, database: &str) -> String {
    // The directory's path is ours (/dev/shm or /tmp, then
    // test-postgres-PID-N): nothing in it needs escaping in a URL.
    format!(
        "postgres://{}@localhost:{}/{database}?host={}",
        server::USER,
        server.port,
        server.dir.display()
    )
}

/// The URL of `database` on the process's server (starting it if needed):
/// `postgres://postgres@localhost:PORT/DATABASE?host=SOCKET_DIRECTORY`.
/// `server_url("postgres")` is the maintenance database, for what a test
/// does outside its own.
#[track_caller]
pub fn server_url(database: &str) -> String {
    url(server::get(), database)
}

/// The server's directory (starting it if needed): its data directory
/// `data/`, its Unix socket `.s.PGSQL.PORT` and its log `server.log`;
/// the `host` of the URLs. Mode 0700, owned by the server's OS user.
/// Removed once the test process is gone.
#[track_caller]
pub fn server_directory() -> &'static Path {
    &server::get().dir
}

/// The server's version, e.g. `15.20 (Debian 15.20-0+deb12u1)` (starting
/// it if needed).
#[track_caller]
pub fn server_version() -> &'static str {
    &server::get().version
}

/// Runs `sql` (one or more statements, no parameters) on the database at
/// `url` over a new blocking connection, and returns every row as text
/// (`None` for NULL), or the server's error. For looking into a database
/// from a test without a driver; `url` as [`fresh_database`] gives it
/// (a Unix socket's directory as its host, trust authentication; no TCP,
/// no TLS).
pub fn query(url: &str, sql: &str) -> Result<Rows, String> {
    let target = wire::parse_url(url)?;
    let mut connection = wire::Connection::open(&target.socket, &target.user, &target.database)?;
    connection.simple_query(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_scope_the_backend_is_sqlite() {
        assert_eq!(Backend::current(), Backend::Sqlite);
        assert_eq!(current(), Backend::Sqlite);
        assert_eq!(Backend::Postgres.to_string(), "postgres");
        assert_eq!(Backend::ALL.map(Backend::name), ["sqlite", "postgres"]);
    }

    #[tokio::test]
    async fn scopes_nest_and_end() {
        let seen = scope(Backend::Postgres, async {
            let outer = Backend::current();
            let inner = scope(Backend::Sqlite, async { Backend::current() }).await;
            (outer, inner, Backend::current())
        })
        .await;
        assert_eq!(
            seen,
            (Backend::Postgres, Backend::Sqlite, Backend::Postgres)
        );
        assert_eq!(Backend::current(), Backend::Sqlite);
    }

    // The macro's paths (`::test_postgres`) resolve inside this crate too.
    #[backends]
    async fn in_crate() {
        let expected = std::thread::current()
            .name()
            .and_then(|name| name.rsplit("::").next())
            .map(str::to_owned);
        if let Some(expected) = expected.filter(|name| name == "sqlite" || name == "postgres") {
            assert_eq!(Backend::current().name(), expected);
        }
    }
}
