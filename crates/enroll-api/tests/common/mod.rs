//! A real server on a loopback port with a fresh SQLite file, and a client.
#![allow(dead_code)] // each test file uses its own part of this

use enroll_api::limits::Limits;
use enroll_api::{cli, RunningServer, ServeOptions};
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::{json, Value};

pub struct Api {
    pub server: RunningServer,
    pub database: String,
    pub client: Client,
    _dir: tempfile::TempDir,
}

pub async fn start(seed_demo: bool) -> Api {
    start_with(|options| options.seed_demo = seed_demo).await
}

/// A server with generous limits, one host origin
/// (`https://partner.example`), and whatever `configure` changes.
pub async fn start_with(configure: impl FnOnce(&mut ServeOptions)) -> Api {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("api.db").display());
    let mut options = options(&database);
    configure(&mut options);
    let server = RunningServer::start(options).await.unwrap();
    Api {
        server,
        database,
        client: Client::new(),
        _dir: dir,
    }
}

/// Generous limits and one host origin, serving `database` on a free port.
fn options(database: &str) -> ServeOptions {
    ServeOptions {
        limits: Limits::generous(),
        allow_origins: vec!["https://partner.example".into()],
        ..ServeOptions::new("127.0.0.1:0".parse().unwrap(), database)
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

    /// GET without a token, the body as JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        json_of(self.request(Method::GET, path)).await
    }

    pub async fn create(&self, answers: &Value) -> Draft {
        let response = self
            .request(Method::POST, "/applications")
            .json(answers)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        Draft {
            id: body["id"].as_str().unwrap().to_owned(),
            token: body["resume_token"].as_str().unwrap().to_owned(),
            etag,
            body,
        }
    }

    pub async fn get(&self, draft: &Draft) -> (String, Value) {
        let response = self
            .request(Method::GET, &format!("/applications/{}", draft.id))
            .bearer_auth(&draft.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        (etag, response.json().await.unwrap())
    }

    pub async fn put(&self, draft: &Draft, etag: &str, answers: &Value) -> Response {
        self.request(Method::PUT, &format!("/applications/{}", draft.id))
            .bearer_auth(&draft.token)
            .header("If-Match", etag)
            .json(answers)
            .send()
            .await
            .unwrap()
    }

    pub async fn submit(&self, draft: &Draft, etag: &str, key: &str) -> Response {
        self.request(Method::POST, &format!("/applications/{}/submit", draft.id))
            .bearer_auth(&draft.token)
            .header("If-Match", etag)
            .header("Idempotency-Key", key)
            .send()
            .await
            .unwrap()
    }

    pub async fn status(&self, draft: &Draft) -> Value {
        let url = format!("/applications/{}/status", draft.id);
        json_of(self.request(Method::GET, &url).bearer_auth(&draft.token)).await
    }

    /// The queued emails, oldest first.
    pub async fn outbox(&self) -> Vec<enroll_api::store::Email> {
        enroll_api::store::Store::open(&self.database)
            .await
            .unwrap()
            .outbox()
            .await
            .unwrap()
    }

    /// `POST /validate` of `answers`, its report.
    pub async fn validate(&self, answers: &Value) -> Value {
        json_of(self.request(Method::POST, "/validate").json(answers)).await
    }

    /// What the `enroll-api` binary prints for an operator command against
    /// this server's database (what an operator's terminal shows).
    pub fn operator_output(&self, args: &[&str]) -> String {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
            .args(args)
            .args(["--database", &self.database])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    }

    /// The server stopped and started again on the same database file.
    pub async fn restart(self) -> Api {
        let Api {
            server,
            database,
            client,
            _dir,
        } = self;
        server.shutdown().await;
        let server = RunningServer::start(options(&database)).await.unwrap();
        Api {
            server,
            database,
            client,
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

/// Sends `request`; its answer's body as JSON.
async fn json_of(request: RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}
