//! The server under test: a real server on a loopback port with a fresh
//! database (a SQLite file, or a PostgreSQL database when the test runs
//! as its `postgres` case, see `#[backends]`), delivering to a real SMTP
//! relay (test-relay); started, restarted, and run operator commands
//! against.

use enroll_api::clock::TestClock;
use enroll_api::limits::Limits;
use enroll_api::mail::relay::{RelayLogin, RelaySettings};
use enroll_api::mail::sender::MailOptions;
use enroll_api::store::Store;
use enroll_api::{cli, RunningServer, ServeOptions};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use test_postgres::Backend;
use test_relay::{Relay, RelayOptions};

use super::Checked;

pub struct Api {
    pub server: RunningServer,
    pub database: String,
    pub client: Client,
    /// The SMTP relay the server delivers to.
    pub relay: Relay,
    /// The options it was started with (a restart reuses them).
    options: ServeOptions,
    /// Where requests go instead of `server` (a load balancer in front of
    /// several servers), once set by `behind`.
    front: Option<String>,
    _dir: tempfile::TempDir,
}

pub async fn start(seed_demo: bool) -> Api {
    start_with(|options| options.seed_demo = seed_demo).await
}

/// A server with generous limits, one host origin
/// (`https://partner.example`), and whatever `configure` changes.
pub async fn start_with(configure: impl FnOnce(&mut ServeOptions)) -> Api {
    let relay = Relay::start(RelayOptions::default()).await;
    start_with_relay(relay, configure).await
}

/// A server delivering to `relay`, configured as `start_with`.
pub async fn start_with_relay(relay: Relay, configure: impl FnOnce(&mut ServeOptions)) -> Api {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let mut options = options(&database, &relay);
    configure(&mut options);
    let server = RunningServer::start(options.clone()).await.unwrap();
    Api {
        server,
        database,
        client: Client::new(),
        relay,
        options,
        front: None,
        _dir: dir,
    }
}

/// A new empty database for the backend the test runs on: a SQLite file
/// in `dir`, or a database on the tests' PostgreSQL server.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    match test_postgres::current() {
        Backend::Sqlite => format!("sqlite://{}", dir.join("api.db").display()),
        Backend::Postgres => test_postgres::fresh_database().await,
    }
}

/// Everything a copy of `database` holds, as text: the SQLite file and its
/// write-ahead log byte for byte; a PostgreSQL database's rows as
/// `pg_dump` writes them (the server's own files are shared by every
/// test's database, and its log keeps old row versions until it recycles
/// them: README, "Several instances").
pub fn stored_text(database: &str) -> String {
    match database.strip_prefix("sqlite://") {
        Some(path) => {
            let mut bytes = std::fs::read(path).unwrap();
            if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
                bytes.extend(wal);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        None => {
            let bindir = std::process::Command::new("pg_config")
                .arg("--bindir")
                .output()
                .expect("pg_config");
            let bindir = String::from_utf8(bindir.stdout).unwrap();
            let dump = std::process::Command::new(format!("{}/pg_dump", bindir.trim()))
                .args(["--data-only", "--dbname", database])
                .output()
                .expect("pg_dump");
            assert!(
                dump.status.success(),
                "{}",
                String::from_utf8_lossy(&dump.stderr)
            );
            String::from_utf8(dump.stdout).unwrap()
        }
    }
}

/// A server whose clock the test moves (`TestClock`), instead of waiting.
pub async fn api_with_clock() -> (Api, TestClock) {
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with(move |options| options.clock = Arc::new(shared)).await;
    (api, clock)
}

/// Generous limits and one host origin, serving `database` on a free port,
/// delivering mail to `relay` over STARTTLS with its login.
fn options(database: &str, relay: &Relay) -> ServeOptions {
    ServeOptions {
        limits: Limits::generous(),
        allow_origins: vec!["https://partner.example".into()],
        mail: mail_to(relay),
        ..ServeOptions::new("127.0.0.1:0".parse().unwrap(), database)
    }
}

/// Delivery to the test relay as `serve --smtp smtp://127.0.0.1:PORT` with
/// its certificate trusted and its login in the environment would set it
/// up, with short waits (a test's time is short).
pub fn mail_to(relay: &Relay) -> MailOptions {
    MailOptions {
        relay: Some(RelaySettings::on_this_machine(
            relay.addr().port(),
            relay.certificate_pem(),
            Some(RelayLogin {
                username: "relay-user".into(),
                password: "relay-secret".into(),
            }),
            // Generous: a debug build's TLS handshake on a busy machine.
            Duration::from_secs(10),
        )),
        lease_secs: 20,
        shutdown_wait: Duration::from_secs(2),
        poll: Duration::from_millis(100),
        ..MailOptions::default()
    }
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        let base = self.front.clone().unwrap_or_else(|| self.server.url());
        format!("{base}/api/v1{path}")
    }

    /// Requests go to `front` from now on, each on a connection of its
    /// own (so a load balancer there spreads them), not to `server`.
    pub fn behind(mut self, front: String) -> Self {
        self.front = Some(front);
        self.client = Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("a client");
        self
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// A request from another client: a connection from `from`, one of
    /// the loopback addresses (127.0.0.0/8), which the API tells apart as
    /// it would two machines.
    pub fn request_from(&self, from: [u8; 4], method: Method, path: &str) -> RequestBuilder {
        let client = Client::builder()
            .local_address(std::net::IpAddr::from(from))
            .build()
            .expect("a client bound to a loopback address");
        client.request(method, self.url(path))
    }

    /// GET without a token, the body as JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        self.request(Method::GET, path).checked().await.body
    }

    /// The options the server was started with.
    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    /// A store of its own on the server's database (as another process).
    pub async fn store(&self) -> Store {
        Store::open(&self.database).await.unwrap()
    }

    /// What the `enroll-api` binary prints for an operator command against
    /// this server's database (what an operator's terminal shows).
    pub fn operator_output(&self, args: &[&str]) -> String {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
            .args(args)
            .args(["--database", &self.database])
            .output()
            .unwrap();
        // A command that failed says why here, not as an empty output.
        assert!(
            output.status.success(),
            "enroll-api {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// The server stopped and started again on the same database file.
    pub async fn restart(self) -> Api {
        self.restart_with(|_| {}).await
    }

    /// The server stopped and started again on the same database file,
    /// with its options changed by `change` (a new secret key, say).
    pub async fn restart_with(mut self, change: impl FnOnce(&mut ServeOptions)) -> Api {
        self.server.shutdown().await;
        change(&mut self.options);
        self.server = RunningServer::start(self.options.clone()).await.unwrap();
        self
    }

    /// The server stopped, `between` done (a copy of its database, say),
    /// and started again on `database`.
    pub async fn moved_to(mut self, database: &str, between: impl std::future::Future) -> Api {
        self.server.shutdown().await;
        between.await;
        self.options.database = database.to_owned();
        self.database = database.to_owned();
        self.server = RunningServer::start(self.options.clone()).await.unwrap();
        self
    }

    /// Runs an operator command against this server's database.
    pub async fn operator(&self, args: &[&str]) -> Result<(), String> {
        let mut args = args.to_vec();
        args.extend(["--database", &self.database]);
        let command = cli::parse(&args).map_err(|e| e.to_string())?;
        cli::run(command).await.map_err(|e| e.to_string())
    }
}
