//! A real server on a loopback port with a fresh SQLite file, a client,
//! and a real SMTP relay (test-relay) the server delivers its emails to:
//! the tests read their mail there, as a person reads their inbox.
#![allow(dead_code)] // each test file uses its own part of this

use enroll_api::limits::Limits;
use enroll_api::mail::relay::{RelayLogin, RelaySettings};
use enroll_api::mail::sender::MailOptions;
use enroll_api::store::{Delivery, Store};
use enroll_api::{cli, RunningServer, ServeOptions};
use reqwest::header::HeaderMap;
use reqwest::{Client, Method, RequestBuilder, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use test_relay::mail::Mail;
use test_relay::{Relay, RelayOptions};

pub struct Api {
    pub server: RunningServer,
    pub database: String,
    pub client: Client,
    /// The SMTP relay the server delivers to.
    pub relay: Relay,
    /// The options it was started with (a restart reuses them).
    options: ServeOptions,
    _dir: tempfile::TempDir,
}

/// How long a test waits for an email to arrive.
pub const MAIL_PATIENCE: Duration = Duration::from_secs(15);

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
    let database = format!("sqlite://{}", dir.path().join("api.db").display());
    let mut options = options(&database, &relay);
    configure(&mut options);
    let server = RunningServer::start(options.clone()).await.unwrap();
    Api {
        server,
        database,
        client: Client::new(),
        relay,
        options,
        _dir: dir,
    }
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

/// A draft as the API answered its creation.
pub struct Draft {
    pub id: String,
    pub token: String,
    pub etag: String,
    pub body: Value,
}

/// The contract's example application (valid).
pub fn complete() -> Value {
    json!({
        "model": "indirect_reseller",
        "mpn_id": "1234567",
        "company": {"legal_name": "Contoso Ltd", "website": "https://contoso.com"},
        "address": {"country": "DE", "lines": ["Unter den Linden 1"], "locality": "Berlin", "postal_code": "10117"},
        "bank": {"country": "DE", "account_holder": "Contoso Ltd", "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"},
        "admin": {"first_name": "Jane", "last_name": "Doe", "email": "jane.doe@contoso.com"},
        "tenant": {"csp_domain": "contoso.onmicrosoft.com"},
        "attestations": {"no_resale_to_csp_partners": true, "terms_accepted": true}
    })
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.server.url())
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

    pub async fn create(&self, answers: &Value) -> Draft {
        let response = self
            .request(Method::POST, "/applications")
            .json(answers)
            .checked()
            .await;
        assert_eq!(response.status(), 201);
        let etag = response.etag();
        let body = response.body;
        let draft = Draft {
            id: body["id"].as_str().unwrap().to_owned(),
            token: body["resume_token"].as_str().unwrap().to_owned(),
            etag,
            body,
        };
        // Every test's applicant proves the admin address, as the wizard
        // has them do before sending (tests of the proof itself change or
        // clear the address afterwards).
        let email = answers["admin"]["email"].as_str().unwrap_or_default();
        if enroll_core::email::parse_email(email).is_some() {
            self.confirm_admin_email(&draft).await;
        }
        draft
    }

    /// Proves the draft's admin address as an applicant does: asks for a
    /// code, reads it in the inbox, types it back.
    pub async fn confirm_admin_email(&self, draft: &Draft) {
        let sent = self.send_admin_code(draft).await;
        assert_eq!(sent.status(), 202, "{}", sent.text());
        let code = self.last_admin_code().await;
        let verified = self.verify_admin_code(draft, &code).await;
        assert_eq!(verified.status(), 200, "{}", verified.text());
    }

    pub async fn send_admin_code(&self, draft: &Draft) -> Answer {
        self.request(
            Method::POST,
            &format!("/applications/{}/admin-email/code", draft.id),
        )
        .bearer_auth(&draft.token)
        .checked()
        .await
    }

    pub async fn verify_admin_code(&self, draft: &Draft, code: &str) -> Answer {
        self.request(
            Method::POST,
            &format!("/applications/{}/admin-email/verify", draft.id),
        )
        .bearer_auth(&draft.token)
        .json(&serde_json::json!({ "code": code }))
        .checked()
        .await
    }

    /// The code in the latest admin-code email that arrived.
    pub async fn last_admin_code(&self) -> String {
        let emails = self.all_emails().await;
        let email = emails
            .iter()
            .rev()
            .find(|e| e.kind == "admin_code")
            .expect("an admin code email");
        email.code()
    }

    pub async fn get(&self, draft: &Draft) -> (String, Value) {
        let response = self
            .request(Method::GET, &format!("/applications/{}", draft.id))
            .bearer_auth(&draft.token)
            .checked()
            .await;
        assert_eq!(response.status(), 200);
        (response.etag(), response.body)
    }

    pub async fn put(&self, draft: &Draft, etag: &str, answers: &Value) -> Answer {
        self.request(Method::PUT, &format!("/applications/{}", draft.id))
            .bearer_auth(&draft.token)
            .header("If-Match", etag)
            .json(answers)
            .checked()
            .await
    }

    pub async fn submit(&self, draft: &Draft, etag: &str, key: &str) -> Answer {
        self.request(Method::POST, &format!("/applications/{}/submit", draft.id))
            .bearer_auth(&draft.token)
            .header("If-Match", etag)
            .header("Idempotency-Key", key)
            .checked()
            .await
    }

    pub async fn status(&self, draft: &Draft) -> Value {
        let url = format!("/applications/{}/status", draft.id);
        let request = self.request(Method::GET, &url).bearer_auth(&draft.token);
        request.checked().await.body
    }

    /// The emails that arrived, oldest first, once everything queued was
    /// handed over, but for the admin codes the harness asked for itself
    /// (`create` proves every admin address): the emails a test is about.
    pub async fn outbox(&self) -> Vec<Mail> {
        let mut emails = self.all_emails().await;
        emails.retain(|e| e.kind != "admin_code");
        emails
    }

    /// Every email that arrived at the relay, oldest first, once nothing
    /// is queued or being sent; every email queued must have arrived (a
    /// test of "nothing was sent" fails on one queued and failed too).
    pub async fn all_emails(&self) -> Vec<Mail> {
        self.settle().await;
        let rows = self.outbox_rows().await;
        let undelivered: Vec<_> = rows.iter().filter(|r| r.state != Delivery::Sent).collect();
        assert!(
            undelivered.is_empty(),
            "emails not delivered: {undelivered:#?}"
        );
        let arrived = self.relay.messages();
        assert_eq!(arrived.len(), rows.len(), "each email arrived once");
        arrived.iter().map(Mail::from).collect()
    }

    /// Waits until the outbox has no email queued or being sent (each was
    /// handed over, or is waiting for a retry, or was given up).
    pub async fn settle(&self) {
        let deadline = Instant::now() + MAIL_PATIENCE;
        loop {
            let pending = self.server.store.outbox(None).await.unwrap();
            let pending: Vec<_> = pending
                .iter()
                .filter(|e| matches!(e.state, Delivery::Queued | Delivery::Sending))
                .collect();
            if pending.is_empty() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "emails still not handed over after {MAIL_PATIENCE:?}: {pending:#?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The outbox table as the operator's `enroll-api outbox` reads it.
    pub async fn outbox_rows(&self) -> Vec<enroll_api::store::Email> {
        self.server.store.outbox(None).await.unwrap()
    }

    /// Waits until email `id` of the outbox is in `state`, and returns it.
    pub async fn email_reaches(&self, id: i64, state: Delivery) -> enroll_api::store::Email {
        self.email_when(id, &format!("{state:?}"), |row| row.state == state)
            .await
    }

    /// Waits until email `id` of the outbox is as `wanted` says (`what`
    /// words it for a failure), and returns it.
    pub async fn email_when(
        &self,
        id: i64,
        what: &str,
        wanted: impl Fn(&enroll_api::store::Email) -> bool,
    ) -> enroll_api::store::Email {
        let deadline = Instant::now() + MAIL_PATIENCE;
        loop {
            let rows = self.outbox_rows().await;
            let row = rows.into_iter().find(|e| e.id == id).expect("the email");
            if wanted(&row) {
                return row;
            }
            assert!(
                Instant::now() < deadline,
                "email #{id} never {what}: {row:#?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The options the server was started with.
    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    /// A store of its own on the server's database (as another process).
    pub async fn store(&self) -> Store {
        Store::open(&self.database).await.unwrap()
    }

    /// `POST /validate` of `answers`, its report.
    pub async fn validate(&self, answers: &Value) -> Value {
        let request = self.request(Method::POST, "/validate").json(answers);
        request.checked().await.body
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
    pub async fn restart_with(self, change: impl FnOnce(&mut ServeOptions)) -> Api {
        let Api {
            server,
            database,
            client,
            relay,
            options,
            _dir,
        } = self;
        server.shutdown().await;
        let mut options = options;
        change(&mut options);
        let server = RunningServer::start(options.clone()).await.unwrap();
        Api {
            server,
            database,
            client,
            relay,
            options,
            _dir,
        }
    }

    /// Runs an operator command against this server's database.
    pub async fn operator(&self, args: &[&str]) -> Result<(), String> {
        let mut args = args.to_vec();
        args.extend(["--database", &self.database]);
        let command = cli::parse(&args).map_err(|e| e.to_string())?;
        cli::run(command).await.map_err(|e| e.to_string())
    }
}

/// An answer of the API, its body read, and held to the contract.
pub struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
    /// The body as JSON; `Null` when there is none.
    pub body: Value,
}

impl Answer {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as sent.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn etag(&self) -> String {
        self.headers["etag"].to_str().unwrap().to_owned()
    }

    /// `error.code` of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
}

/// Sending a request to the API and checking its answer against the
/// contract: every answer the tests look at goes through this.
pub trait Checked {
    fn checked(self) -> impl std::future::Future<Output = Answer>;
}

impl Checked for RequestBuilder {
    async fn checked(self) -> Answer {
        let (client, request) = self.build_split();
        let request = request.unwrap();
        let method = request.method().as_str().to_owned();
        let path = request.url().path().to_owned();
        let response = client.execute(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!("{method} {path} answered {status} with a body that is not JSON ({e}): {text:.200}")
            })
        };
        assert_matches_contract(&method, &path, status.as_u16(), &body);
        Answer {
            status,
            headers,
            text,
            body,
        }
    }
}

/// What the contract says one operation answers: per status (or
/// `default`), the body's validator, or `None` for an answer without one.
type Answers = BTreeMap<String, Option<jsonschema::Validator>>;

/// The contract's operations: (method, path template) → answers.
struct Contract {
    operations: BTreeMap<(String, String), Answers>,
    /// Per operation, its path parameters' schemas by name.
    path_parameters: BTreeMap<(String, String), BTreeMap<String, jsonschema::Validator>>,
    /// The contract's rule for every answer outside an operation (an
    /// unknown route, a method a path does not have): the error body.
    error: jsonschema::Validator,
}

/// A validator of `schema` inside the document, so that its `$ref`s to
/// `#/components/schemas/...` resolve.
fn validator(document: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = schema.as_object().cloned().unwrap_or_default();
    root.insert("components".into(), document["components"].clone());
    jsonschema::draft202012::new(&Value::Object(root))
        .unwrap_or_else(|e| panic!("the contract's schema {schema} does not compile: {e}"))
}

fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let document = enroll_api::openapi::document();
        let mut operations = BTreeMap::new();
        let mut path_parameters = BTreeMap::new();
        for (template, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let in_path = operation["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|parameter| parameter["in"] == "path")
                    .map(|parameter| {
                        let name = parameter["name"].as_str().unwrap().to_owned();
                        (name, validator(document, &parameter["schema"]))
                    })
                    .collect();
                path_parameters.insert((method.to_uppercase(), template.clone()), in_path);
                let answers = operation["responses"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(status, response)| {
                        let schema = response.pointer("/content/application~1json/schema");
                        (status.clone(), schema.map(|s| validator(document, s)))
                    })
                    .collect();
                operations.insert((method.to_uppercase(), template.clone()), answers);
            }
        }
        let error = validator(
            document,
            &json!({"$ref": "#/components/schemas/ApiErrorBody"}),
        );
        Contract {
            operations,
            path_parameters,
            error,
        }
    })
}

/// Whether `path` (no prefix, no query) is an instance of `template`:
/// `{name}` segments match any one segment. `Some(n)` with `n` the number
/// of such segments, so the most literal template wins, as in the router.
fn instance_of(template: &str, path: &str) -> Option<usize> {
    let (template, path): (Vec<_>, Vec<_>) =
        (template.split('/').collect(), path.split('/').collect());
    if template.len() != path.len() {
        return None;
    }
    let mut parameters = 0;
    for (want, got) in template.iter().zip(&path) {
        if want.starts_with('{') && want.ends_with('}') && !got.is_empty() {
            parameters += 1;
        } else if want != got {
            return None;
        }
    }
    Some(parameters)
}

/// Fails unless the contract (`GET /api/v1/openapi.json`, built here from
/// the crate) documents answering `status` to `method path` with `body`
/// (`Null`: no body). Outside every documented operation, only the
/// contract's error body for a 404 (no such route) or 405 (no such method)
/// passes.
pub fn assert_matches_contract(method: &str, path: &str, status: u16, body: &Value) {
    let contract = contract();
    let path = path.split('?').next().unwrap_or_default();
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let operation = contract
        .operations
        .iter()
        .filter(|((m, _), _)| m == method)
        .filter_map(|((_, template), answers)| {
            Some((instance_of(template, path)?, template, answers))
        })
        .min_by_key(|(parameters, _, _)| *parameters);
    let Some((_, template, answers)) = operation else {
        assert!(
            matches!(status, 404 | 405),
            "{method} {path} is no operation of the contract, yet answered {status}: {}",
            excerpt(body)
        );
        let errors: Vec<String> = contract
            .error
            .iter_errors(body)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} {status}: not the error body: {errors:?}\n{}",
            excerpt(body)
        );
        return;
    };
    if (200..300).contains(&status) {
        assert_path_parameters_match(method, template, path, status);
    }
    let answer = answers
        .get(&status.to_string())
        .or_else(|| answers.get("default"))
        .unwrap_or_else(|| {
            panic!(
                "{method} {template} answered {status}, which the contract does not list: {}",
                excerpt(body)
            )
        });
    match answer {
        None => assert!(
            body.is_null(),
            "{method} {template} {status}: the contract says no body, got {}",
            excerpt(body)
        ),
        Some(validator) => {
            let errors: Vec<String> = validator
                .iter_errors(body)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{method} {template} {status}: the body is not what the contract says: {errors:#?}\n{}",
                excerpt(body)
            );
        }
    }
}

/// Fails when the server took a path parameter (it answered `status`, a
/// success) that the parameter's schema refuses: a client that checks the
/// contract's patterns would not have sent what the server serves.
fn assert_path_parameters_match(method: &str, template: &str, path: &str, status: u16) {
    let parameters = &contract().path_parameters[&(method.to_owned(), template.to_owned())];
    for (want, got) in template.split('/').zip(path.split('/')) {
        let Some(name) = want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) else {
            continue;
        };
        let value = Value::String(percent_decoded(got));
        let schema = parameters
            .get(name)
            .unwrap_or_else(|| panic!("{method} {template}: `{{{name}}}` is no parameter of it"));
        let errors: Vec<String> = schema.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{method} {path} answered {status}, yet the contract's `{{{name}}}` refuses {value}: {errors:?}"
        );
    }
}

/// A path segment as the server reads it: `%XX` escapes decoded.
fn percent_decoded(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = bytes
            .get(at + 1..at + 3)
            .filter(|_| bytes[at] == b'%')
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                at += 3;
            }
            None => {
                decoded.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The start of `body`, for a failure message (an index is megabytes).
fn excerpt(body: &Value) -> String {
    body.to_string().chars().take(2000).collect()
}
