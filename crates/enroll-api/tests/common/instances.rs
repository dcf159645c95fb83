//! Servers as an operator runs them: `enroll-api serve` processes, and two
//! of them on one PostgreSQL database behind a small load balancer that
//! spreads connections over both, delivering to one SMTP relay.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use enroll_api::mail::sender::MailOptions;
use enroll_api::secret::SecretKeys;
use test_postgres::Backend;
use test_relay::{Relay, RelayOptions};
use tokio::net::{TcpListener, TcpStream};

use super::{start_with_relay, Api};

/// An `enroll-api serve` process, killed when dropped: a test failing
/// while it runs leaves no server behind.
pub struct Process(std::process::Child);

impl Process {
    /// Kills the server as `kill -9` does, and waits for it to end.
    pub fn kill(&mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `enroll-api serve` on `database` with the secret key `key`, delivering
/// to `relay` (its certificate in the file `certificate`), with `flags`
/// added (`--listen`: a free port where not given): the process and the
/// URL it serves at.
pub fn serve(
    database: &str,
    relay: &Relay,
    certificate: &Path,
    key: &str,
    flags: &[&str],
) -> (Process, String) {
    use std::io::BufRead;
    let listen = if flags.contains(&"--listen") {
        &[][..]
    } else {
        &["--listen", "127.0.0.1:0"][..]
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
        .arg("serve")
        .args(listen)
        .args(["--database", database])
        .args([
            "--smtp",
            &format!("smtp://localhost:{}", relay.addr().port()),
        ])
        .args(["--mail-from", "CSP enrollment <csp@contoso.example>"])
        .arg("--smtp-root-cert")
        .arg(certificate)
        .args(["--smtp-timeout-secs", "5", "--mail-lease-secs", "10"])
        .args(flags)
        .env("ENROLL_SMTP_USERNAME", "relay-user")
        .env("ENROLL_SMTP_PASSWORD", "relay-secret")
        .env("ENROLL_SECRET_KEY", key)
        .stdout(std::process::Stdio::piped())
        // Why a server did not start (a port taken, say) shows in the
        // test's output.
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("enroll-api listening on ")
                .map(str::to_owned)
        })
        .expect("the server says where it listens");
    // Keep reading what it prints, so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (Process(child), url)
}

/// How the load balancer picks a server for each connection.
#[derive(Clone, Copy, Debug)]
pub enum Spread {
    RoundRobin,
    Random,
}

/// A TCP load balancer on a loopback port: each connection is passed,
/// byte for byte both ways, to one of `servers`.
async fn balance(servers: Vec<SocketAddr>, spread: Spread) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let turn = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let n = turn.fetch_add(1, Ordering::Relaxed);
            let pick = match spread {
                Spread::RoundRobin => n,
                Spread::Random => scrambled(n),
            } % servers.len();
            let server = servers[pick];
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(server).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    url
}

/// A number that looks random from a counter (splitmix64's mixing): the
/// same order on every run, so a failure can be run again as it was.
fn scrambled(n: usize) -> usize {
    let mut x = (n as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (x ^ (x >> 31)) as usize
}

/// Two `serve` processes on one PostgreSQL database behind a balancer.
pub struct Pair {
    /// The test's tools (its requests go through the balancer; its own
    /// server neither sends mail nor takes the test's requests, and its
    /// operator commands act on the shared database).
    pub api: Api,
    pub servers: Vec<Process>,
    /// Each server's own URL.
    pub urls: Vec<String>,
    pub database: String,
    /// Where the balancer listens.
    pub front: SocketAddr,
    flags: Vec<String>,
    relay_certificate: tempfile::TempDir,
    key: String,
}

impl Pair {
    /// Two servers with `flags` (limits, say) on a new database, spread
    /// over as `spread` says.
    pub async fn start(spread: Spread, flags: &[&str]) -> Pair {
        let relay = Relay::start(RelayOptions::default()).await;
        let key = SecretKeys::new_base64().unwrap();
        let keys = SecretKeys::from_base64(&key, None).unwrap();
        let api = test_postgres::scope(Backend::Postgres, async {
            start_with_relay(relay, move |options| {
                options.mail = MailOptions::default();
                options.secret_keys = keys;
            })
            .await
        })
        .await;
        let dir = tempfile::tempdir().unwrap();
        let certificate = dir.path().join("relay.pem");
        std::fs::write(&certificate, api.relay.certificate_pem()).unwrap();
        let mut pair = Pair {
            database: api.database.clone(),
            api,
            servers: Vec::new(),
            urls: Vec::new(),
            front: SocketAddr::from(([127, 0, 0, 1], 0)),
            flags: flags.iter().map(|f| f.to_string()).collect(),
            relay_certificate: dir,
            key,
        };
        for _ in 0..2 {
            pair.add(None);
        }
        let addresses = pair
            .urls
            .iter()
            .map(|url| url.trim_start_matches("http://").parse().unwrap())
            .collect();
        let front = balance(addresses, spread).await;
        pair.front = front.trim_start_matches("http://").parse().unwrap();
        pair.api = pair.api.behind(front);
        pair
    }

    /// Starts a server (at `listen`, or a free port).
    fn add(&mut self, listen: Option<&str>) {
        let certificate = self.relay_certificate.path().join("relay.pem");
        let mut flags: Vec<&str> = self.flags.iter().map(String::as_str).collect();
        if let Some(listen) = listen {
            flags.extend(["--listen", listen]);
        }
        let (process, url) = serve(
            &self.database,
            &self.api.relay,
            &certificate,
            &self.key,
            &flags,
        );
        self.servers.push(process);
        self.urls.push(url);
    }

    /// Both servers killed (as `kill -9` does) and started again where
    /// they were, behind the same balancer.
    pub fn restart(&mut self) {
        for server in &mut self.servers {
            server.kill();
        }
        self.servers.clear();
        let urls = std::mem::take(&mut self.urls);
        for url in &urls {
            self.add(Some(url.trim_start_matches("http://")));
        }
    }
}
