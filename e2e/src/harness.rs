//! Starting and stopping what a test runs against: the API on a fresh
//! database, the SMTP relay it delivers to, chromedriver and a Chromium
//! session (a fresh profile each), and the partner's page when asked for.

use enroll_api::limits::Limits;
use enroll_api::mail::relay::{RelayLogin, RelaySettings};
use enroll_api::mail::sender::MailOptions;
use enroll_api::{cli, RunningServer, ServeOptions};
use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use test_relay::{Relay, RelayOptions};

use crate::waiting::eventually;

/// Chromium flags for this machine (TOOLCHAIN.md): no sandbox as root, and
/// no background traffic to the internet.
const CHROME_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
];

pub struct Stack {
    pub api: RunningServer,
    /// The SMTP relay the API delivers to: the applicant's inbox.
    pub relay: Relay,
    pub database: String,
    pub browser: Client,
    driver: Child,
    driver_port: u16,
    width: u32,
    profiles: usize,
    dir: tempfile::TempDir,
    /// The partner's page (`examples/host/`) on another origin, when asked
    /// for (`start_with_host_page`).
    pub host_page: Option<String>,
    host_task: Option<tokio::task::JoinHandle<()>>,
}

/// The built app: `$CSP_DIST`, else `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("CSP_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dist.join("index.html").exists(),
        "no built app in {}: run `cargo xtask test` (it builds dist/ first)",
        dist.display()
    );
    dist
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Stack {
    /// Starts the API on a fresh database, chromedriver, and a browser
    /// window `width` CSS pixels wide.
    pub async fn start_with_width(width: u32) -> Stack {
        Self::start_serving(width, dist_dir(), None).await
    }

    /// Like `start_with_width`, serving `site` as the static files, with a
    /// generated directory of `providers` instead of the demo one.
    pub async fn start_serving(width: u32, site: PathBuf, providers: Option<usize>) -> Stack {
        Self::start_full(width, site, providers, None).await
    }

    /// The stack and a partner's page that embeds the app
    /// (`examples/host/`), served on another port: another origin, which
    /// the API allows to call it and to frame the app.
    pub async fn start_with_host_page() -> Stack {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for the host page");
        let origin = format!("http://{}", listener.local_addr().expect("its address"));
        let mut stack = Self::start_full(1280, dist_dir(), None, Some(&origin)).await;
        let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/host");
        stack.host_task = Some(enroll_api::host_page::serve(
            listener,
            pages,
            &stack.api.url(),
        ));
        stack.host_page = Some(origin);
        stack
    }

    async fn start_full(
        width: u32,
        site: PathBuf,
        providers: Option<usize>,
        partner: Option<&str>,
    ) -> Stack {
        let dir = tempfile::tempdir().expect("a temp dir");
        let database = format!("sqlite://{}", dir.path().join("e2e.db").display());
        if let Some(count) = providers {
            let command = cli::parse(&[
                "seed",
                "--providers",
                &count.to_string(),
                "--database",
                &database,
            ])
            .expect("seed arguments");
            cli::run(command).await.expect("the directory is generated");
        }
        let relay = Relay::start(RelayOptions::default()).await;
        let (username, password) = RelayOptions::default().credentials.expect("a login");
        let mail = MailOptions {
            relay: Some(RelaySettings::on_this_machine(
                relay.addr().port(),
                relay.certificate_pem(),
                Some(RelayLogin { username, password }),
                Duration::from_secs(10),
            )),
            poll: Duration::from_millis(200),
            ..MailOptions::default()
        };
        let api = RunningServer::start(ServeOptions {
            static_dir: Some(site),
            mail,
            seed_demo: providers.is_none(),
            // The suite creates many drafts from one address.
            limits: Limits::generous(),
            allow_origins: partner.into_iter().map(str::to_owned).collect(),
            frame_ancestors: partner.into_iter().map(str::to_owned).collect(),
            ..ServeOptions::new("127.0.0.1:0".parse().expect("an address"), &database)
        })
        .await
        .expect("the API starts");

        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));
        eventually(format!("chromedriver listens on port {port}"), async || {
            std::net::TcpStream::connect(("127.0.0.1", port))
        })
        .await;

        let browser = open_browser(port, width, &dir.path().join("chromium-profile-0")).await;
        Stack {
            api,
            relay,
            database,
            browser,
            driver,
            driver_port: port,
            width,
            profiles: 1,
            dir,
            host_page: None,
            host_task: None,
        }
    }

    /// Closes the browser and opens another with a new, empty profile: as
    /// if the user came back on another device.
    pub async fn fresh_browser(&mut self) {
        let _ = self.browser.clone().close().await;
        let profile = self
            .dir
            .path()
            .join(format!("chromium-profile-{}", self.profiles));
        self.profiles += 1;
        self.browser = open_browser(self.driver_port, self.width, &profile).await;
    }

    pub async fn start() -> Stack {
        Self::start_with_width(1280).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.api.url(), path)
    }

    /// Runs an operator command of `enroll-api` against this stack's
    /// database, as an operator would from a shell.
    pub async fn operator(&self, args: &[&str]) {
        let mut args = args.to_vec();
        args.extend(["--database", &self.database]);
        let command = cli::parse(&args).expect("valid operator arguments");
        cli::run(command)
            .await
            .expect("the operator command succeeds");
    }

    pub async fn close(mut self) {
        let _ = self.browser.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if let Some(task) = self.host_task.take() {
            task.abort();
        }
    }
}

/// A Chromium session through the chromedriver on `port`.
async fn open_browser(port: u16, width: u32, profile: &std::path::Path) -> Client {
    let mut args: Vec<String> = CHROME_ARGS.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.push(format!("--window-size={width},900"));
    let mut options = json!({ "args": args });
    // Headless windows are never narrower than 500 px: emulate a phone's
    // viewport to get a real 320 px layout.
    if width < 500 {
        options["mobileEmulation"] =
            json!({ "deviceMetrics": { "width": width, "height": 800, "pixelRatio": 1 } });
    }
    if std::path::Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    // Two crypto providers are built in (ring, aws-lc-rs): say which.
    let _ = rustls::crypto::ring::default_provider().install_default();
    ClientBuilder::rustls()
        .expect("TLS roots for the WebDriver client")
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

impl Drop for Stack {
    fn drop(&mut self) {
        // Also on a failed assertion: never leave a chromedriver behind.
        let _ = self.driver.kill();
    }
}
