//! Harness for the end-to-end tests: the real API (in-process, real HTTP,
//! a fresh SQLite file) serving the real release build from dist/,
//! delivering its emails over SMTP to a real relay (test-relay) where the
//! tests read them, and a real headless Chromium driven through
//! chromedriver.

use enroll_api::limits::Limits;
use enroll_api::mail::relay::{RelayLogin, RelaySettings};
use enroll_api::mail::sender::MailOptions;
use enroll_api::{cli, RunningServer, ServeOptions};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use test_relay::mail::Mail;
use test_relay::{Relay, RelayOptions};

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

/// How long a test waits for the page to show something.
const PATIENCE: Duration = Duration::from_secs(15);

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
        let deadline = Instant::now() + PATIENCE;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

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

    /// Creates and submits the contract's example application over HTTP
    /// (the wizard's own tests go through the pages): `(id, resume token)`.
    pub async fn submitted_application(&self) -> (String, String) {
        let answers = serde_json::to_string(&enroll_core::Answers::example()).expect("answers");
        let http = reqwest::Client::new();
        let created = http
            .post(self.url("/api/v1/applications"))
            .header("Content-Type", "application/json")
            .body(answers)
            .send()
            .await
            .expect("create");
        assert_eq!(created.status(), 201);
        let etag = created.headers()["etag"].to_str().expect("etag").to_owned();
        let body: Value = serde_json::from_str(&created.text().await.expect("body")).expect("json");
        let id = body["id"].as_str().expect("id").to_owned();
        let token = body["resume_token"].as_str().expect("token").to_owned();
        // The admin address proven, as the wizard's code page does.
        let sent_before = self.admin_codes_sent().await;
        let asked = http
            .post(self.url(&format!("/api/v1/applications/{id}/admin-email/code")))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("a code");
        assert_eq!(asked.status(), 202);
        let code = self.admin_code(sent_before).await;
        let proven = http
            .post(self.url(&format!("/api/v1/applications/{id}/admin-email/verify")))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .body(json!({ "code": code }).to_string())
            .send()
            .await
            .expect("verify");
        assert_eq!(proven.status(), 200);
        let submitted = http
            .post(self.url(&format!("/api/v1/applications/{id}/submit")))
            .header("Authorization", format!("Bearer {token}"))
            .header("If-Match", etag)
            .header("Idempotency-Key", "e2e-finder")
            .send()
            .await
            .expect("submit");
        assert_eq!(submitted.status(), 200, "{:?}", submitted.text().await);
        (id, token)
    }

    /// Presses `keys` one after another, each down and up, as a keyboard
    /// does (WebDriver actions: real key events, to whatever has focus).
    /// Special keys are `fantoccini::key::Key`s turned into `char`s.
    pub async fn keys(&self, keys: impl IntoIterator<Item = char>) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut keyboard = KeyActions::new("keyboard".into());
        for key in keys {
            keyboard = keyboard
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.browser
            .perform_actions(keyboard)
            .await
            .expect("the keys are pressed");
    }

    /// Presses one special key (Tab, Enter, Space, Down…).
    pub async fn press(&self, key: fantoccini::key::Key) {
        self.keys([char::from(key)]).await;
    }

    /// Presses Tab until the element focused in the app matches
    /// `selector` (it must come within 40 presses), waiting for it to
    /// appear first.
    pub async fn tab_to(&self, selector: &str) {
        self.wait_for(selector).await;
        for _ in 0..40 {
            let focused = self
                .in_app(
                    selector,
                    "const a = host.shadowRoot.activeElement; return !!a && a === el;",
                )
                .await;
            if focused == json!(true) {
                return;
            }
            self.press(fantoccini::key::Key::Tab).await;
        }
        panic!(
            "Tab never reached `{selector}`; focused: {}",
            self.focused().await
        );
    }

    /// Picks the option `value` of the select `selector` by keyboard: Tab
    /// to it, then the arrow keys (the options' order depends on the
    /// language, so their places are read first).
    pub async fn choose_by_keys(&self, selector: &str, value: &str) {
        self.wait_for(&format!("{selector} option[value='{value}']"))
            .await;
        self.tab_to(selector).await;
        let places = self
            .in_app(
                selector,
                &format!(
                    "return [el.selectedIndex, [...el.options].findIndex(o => o.value === {})];",
                    json!(value)
                ),
            )
            .await;
        let (from, to) = (
            places[0].as_i64().unwrap_or(0),
            places[1].as_i64().expect("the option"),
        );
        let key = if to > from {
            fantoccini::key::Key::Down
        } else {
            fantoccini::key::Key::Up
        };
        self.keys(std::iter::repeat_n(
            char::from(key),
            (to - from).unsigned_abs() as usize,
        ))
        .await;
        let chosen = self.in_app(selector, "return el.value;").await;
        assert_eq!(chosen, value, "{selector} by the arrow keys");
    }

    /// Tabs to a text field and types `text` into it.
    pub async fn type_into(&self, selector: &str, text: &str) {
        self.tab_to(selector).await;
        self.keys(text.chars()).await;
    }

    /// From the start page: "Start now", the way of selling (`indirect`
    /// or `direct`), Continue.
    pub async fn start_as(&self, model: &str) {
        self.click(".csp-button--start").await;
        self.click(&format!("#f-model-{model}")).await;
        self.click("button[type=submit]").await;
    }

    /// Answers the MPN ID question with `mpn`, on to the company page,
    /// once the draft is saved.
    pub async fn answer_mpn_id(&self, mpn: &str) {
        self.fill("#f-mpn_id", mpn).await;
        self.click("button[type=submit]").await;
        self.wait_for_text("h1", "Your company").await;
        self.wait_for_text(".csp-save-state", "Your answers are saved")
            .await;
    }

    /// Answers the company page (a German company), on to the bank page.
    pub async fn answer_company(&self) {
        self.wait_for_text("h1", "Your company").await;
        self.fill("#f-company-legal_name", "Contoso Ltd").await;
        self.choose("#f-address-country", "DE").await;
        self.wait_for("#f-address-postal_code").await;
        self.fill("#f-address-lines-0", "Unter den Linden 1").await;
        self.fill("#f-address-locality", "Berlin").await;
        self.fill("#f-address-postal_code", "10117").await;
        self.click("button[type=submit]").await;
        self.wait_for_text("h1", "Where should the program pay you?")
            .await;
    }

    /// Answers the questions from the company page to Check your answers.
    pub async fn answer_company_to_tenant(&self) {
        self.answer_company().await;
        self.answer_bank_to_tenant("Contoso Ltd").await;
    }

    /// Answers the bank (a German account held by `holder`), admin and
    /// tenant pages, on to Check your answers.
    pub async fn answer_bank_to_tenant(&self, holder: &str) {
        self.answer_bank_and_admin(holder).await;
        self.confirm_admin_email().await;
        self.wait_for_text("h1", "tenants").await;
        self.fill("#f-tenant-csp_domain", "contoso.onmicrosoft.com")
            .await;
        self.click("#f-attestations-no_resale_to_csp_partners")
            .await;
        self.click("#f-attestations-terms_accepted").await;
        self.click("button[type=submit]").await;
        self.wait_for_text("h1", "Check your answers").await;
    }

    /// Answers the bank (a German account held by `holder`) and admin
    /// pages, on to the code page.
    pub async fn answer_bank_and_admin(&self, holder: &str) {
        self.choose("#f-bank-country", "DE").await;
        self.fill("#f-bank-account_holder", holder).await;
        self.fill("#f-bank-iban", "DE89370400440532013000").await;
        self.fill("#f-bank-bic", "COBADEFF").await;
        self.click("button[type=submit]").await;
        self.wait_for_text("h1", "admin").await;
        self.fill("#f-admin-first_name", "Jane").await;
        self.fill("#f-admin-last_name", "Doe").await;
        self.fill("#f-admin-email", "jane.doe@contoso.com").await;
        self.click("button[type=submit]").await;
    }

    /// The emails that arrived so far, oldest first.
    pub fn inbox(&self) -> Vec<Mail> {
        self.relay.messages().iter().map(Mail::from).collect()
    }

    /// The newest email of `kind` (to `to`, when given) once more than
    /// `before` of them arrived, waiting for it as a person waits for
    /// their mail.
    pub async fn mail_to(&self, kind: &str, to: Option<&str>, before: usize) -> Mail {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let mine: Vec<Mail> = self
                .inbox()
                .into_iter()
                .filter(|m| m.kind == kind && to.is_none_or(|to| m.to.eq_ignore_ascii_case(to)))
                .collect();
            if mine.len() > before {
                return mine.last().cloned().expect("one");
            }
            assert!(
                Instant::now() < deadline,
                "no {kind} email arrived for {to:?} (arrived: {:?})",
                self.inbox()
                    .iter()
                    .map(|m| (&m.kind, &m.to))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The code in the newest email proving an admin address, once more
    /// than `sent_before` such emails arrived.
    pub async fn admin_code(&self, sent_before: usize) -> String {
        self.mail_to("admin_code", None, sent_before).await.code()
    }

    /// The temporary password in the newest email giving one to `to`
    /// (English or Chinese), waiting for it to arrive.
    pub async fn temporary_password(&self, to: &str) -> String {
        self.mail_to("temporary_password", Some(to), 0)
            .await
            .temporary_password()
    }

    /// How many admin codes arrived so far.
    pub async fn admin_codes_sent(&self) -> usize {
        let inbox = self.inbox();
        inbox.iter().filter(|m| m.kind == "admin_code").count()
    }

    /// On the code page: types the emailed code and continues.
    pub async fn confirm_admin_email(&self) {
        self.wait_for("#f-code").await;
        let code = self.admin_code(0).await;
        self.fill("#f-code", &code).await;
        self.click("button[type=submit]").await;
    }

    /// Runs `script` in the page with `arguments[0]` = `selector` looked up
    /// inside the app's shadow root as `el` (null when absent).
    pub async fn in_app(&self, selector: &str, script: &str) -> Value {
        let full = format!(
            "const host = document.querySelector('csp-enroll, [data-csp-enroll]');
             const el = host && host.shadowRoot && host.shadowRoot.querySelector(arguments[0]);
             {script}"
        );
        self.browser
            .execute(&full, vec![json!(selector)])
            .await
            .expect("the script runs")
    }

    /// The text of the first element matching `selector` in the app.
    pub async fn text(&self, selector: &str) -> Option<String> {
        self.in_app(selector, "return el ? el.textContent : null;")
            .await
            .as_str()
            .map(str::to_owned)
    }

    /// Waits until the element matching `selector` in the app contains
    /// `needle`, and returns its text.
    pub async fn wait_for_text(&self, selector: &str, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = self.text(selector).await;
            if let Some(text) = text.as_deref().filter(|t| t.contains(needle)) {
                return text.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "`{selector}` never contained {needle:?}; last: {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `selector` matches in the app.
    pub async fn wait_for(&self, selector: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.in_app(selector, "return !!el;").await != json!(true) {
            assert!(Instant::now() < deadline, "`{selector}` never appeared");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the element, as a user's click would (it must exist).
    pub async fn click(&self, selector: &str) {
        self.wait_for(selector).await;
        self.in_app(selector, "el.click(); return true;").await;
    }

    /// Types into an input: sets its value and fires `input`, as a
    /// keyboard would.
    pub async fn fill(&self, selector: &str, value: &str) {
        self.wait_for(selector).await;
        let script = format!(
            "el.focus(); el.value = {}; el.dispatchEvent(new Event('input', {{bubbles: true}})); return true;",
            json!(value)
        );
        self.in_app(selector, &script).await;
    }

    /// Picks an option of a select and fires `change`.
    pub async fn choose(&self, selector: &str, value: &str) {
        self.wait_for(&format!("{selector} option[value='{value}']"))
            .await;
        let script = format!(
            "el.value = {}; el.dispatchEvent(new Event('change', {{bubbles: true}})); return true;",
            json!(value)
        );
        self.in_app(selector, &script).await;
    }

    /// The id and class of the element focused inside the app.
    pub async fn focused(&self) -> String {
        let value = self
            .in_app(
                "body",
                "const a = host.shadowRoot.activeElement; return a ? (a.id + '|' + a.className) : '';",
            )
            .await;
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Everything the browser keeps for this page outside the app's memory:
    /// storage, cookies and the URL.
    pub async fn browser_storage(&self) -> String {
        let value = self
            .browser
            .execute(
                "return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie, location.href]);",
                vec![],
            )
            .await
            .expect("the script runs");
        value.as_str().unwrap_or_default().to_owned()
    }

    /// axe-core's violations on the page as it is now (shadow root
    /// included), one line each; axe comes from `$AXE_CORE_JS`, which
    /// `cargo xtask test` installs and sets.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/tools/axe/node_modules/axe-core/axe.min.js"
            )
            .to_owned()
        });
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("axe-core at {path}: {e}; run `cargo xtask test`, which installs it")
        });
        // Sent as the script itself (not eval'd by the page), so the
        // page's CSP does not apply to it.
        let script = format!(
            "{source}\n;const done = arguments[arguments.length - 1];
             axe.run(document, {{ resultTypes: ['violations'] }}).then(
               r => done(r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' > ')).join(', '))),
               e => done(['axe failed: ' + e]));"
        );
        let value = self
            .browser
            .execute_async(&script, vec![])
            .await
            .expect("axe runs");
        value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("unexpected axe answer: {value}")])
    }

    /// Cuts the browser off the network (or reconnects it), through
    /// chromedriver's network conditions: the page sees real failures.
    pub async fn set_offline(&self, offline: bool) {
        self.set_network(Network {
            offline,
            ..Network::FAST
        })
        .await;
    }

    /// The browser's network from now on (kept across navigations).
    pub async fn set_network(&self, network: Network) {
        let speed = |s: Option<u32>| s.map_or(-1, i64::from);
        let body = json!({
            "network_conditions": {
                "offline": network.offline,
                "latency": network.latency_ms,
                "download_throughput": speed(network.down_bytes_per_s),
                "upload_throughput": speed(network.up_bytes_per_s),
            }
        });
        self.browser
            .issue_cmd(ChromiumCommand {
                path: "chromium/network_conditions",
                body,
            })
            .await
            .expect("chromedriver sets the network conditions");
    }

    /// A Chrome DevTools Protocol command (`Network.clearBrowserCache`, ...)
    /// and its result.
    pub async fn devtools(&self, command: &str, params: Value) -> Value {
        self.browser
            .issue_cmd(ChromiumCommand {
                path: "goog/cdp/execute",
                body: json!({ "cmd": command, "params": params }),
            })
            .await
            .unwrap_or_else(|e| panic!("{command}: {e}"))
    }

    /// Saves the page as `<name>.png` in `$CSP_SCREENSHOTS`, when set: for
    /// looking at, not for asserting.
    pub async fn shot(&self, name: &str) {
        let Some(dir) = std::env::var_os("CSP_SCREENSHOTS") else {
            return;
        };
        let png = self.browser.screenshot().await.expect("a screenshot");
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        std::fs::write(path, png).expect("the screenshot is written");
    }

    /// axe-core finds nothing on the page as it is now; `page` names it in
    /// the failure.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.accessibility_violations().await;
        assert!(violations.is_empty(), "{page}: {violations:#?}");
    }

    pub async fn close(mut self) {
        let _ = self.browser.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if let Some(task) = self.host_task.take() {
            task.abort();
        }
    }

    /// Moves the driver into the iframe that boot.js draws in iframe mode
    /// (inside the host element's shadow root, where WebDriver's own
    /// lookups do not reach); `browser.enter_parent_frame()` leaves it.
    pub async fn enter_app_frame(&self) {
        let deadline = Instant::now() + PATIENCE;
        let frame = loop {
            let found = self
                .browser
                .execute(
                    "const host = document.querySelector('csp-enroll'); \
                     return host && host.shadowRoot && host.shadowRoot.querySelector('iframe');",
                    vec![],
                )
                .await
                .expect("the script runs");
            if let Some(id) = found.as_object().and_then(|o| o.values().next()?.as_str()) {
                break id.to_owned();
            }
            assert!(Instant::now() < deadline, "no iframe was drawn");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        fantoccini::elements::Element::from_element_id(self.browser.clone(), frame.into())
            .enter_frame()
            .await
            .expect("the app's iframe");
    }

    /// Opens the partner's page `path` (`start_with_host_page`).
    pub async fn open_host_page(&self, path: &str) {
        self.browser
            .goto(&self.host_url(path))
            .await
            .expect("the partner's page");
    }

    /// An address on the partner's page (`start_with_host_page`).
    pub fn host_url(&self, path: &str) -> String {
        let origin = self.host_page.as_deref().expect("a stack with a host page");
        format!("{origin}{path}")
    }
}

/// A chromedriver command of its own, outside WebDriver: network
/// conditions (`chromium/network_conditions`) or a DevTools command
/// (`goog/cdp/execute`).
#[derive(Debug)]
struct ChromiumCommand {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for ChromiumCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// How the browser's network behaves: offline, or a link with this round
/// trip and these speeds (bytes per second; `None`: as fast as it goes).
#[derive(Clone, Copy, Debug)]
pub struct Network {
    pub offline: bool,
    pub latency_ms: u32,
    pub down_bytes_per_s: Option<u32>,
    pub up_bytes_per_s: Option<u32>,
}

impl Network {
    pub const FAST: Network = Network {
        offline: false,
        latency_ms: 0,
        down_bytes_per_s: None,
        up_bytes_per_s: None,
    };
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
