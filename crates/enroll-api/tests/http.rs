//! The API over real HTTP against a fresh database (SQLite, then PostgreSQL).

mod common;

use test_postgres::backends;

use common::Checked;

use enroll_api::{cli, RunningServer, ServeOptions};
use serde_json::Value;

struct Api {
    server: RunningServer,
    database: String,
    _dir: tempfile::TempDir,
}

async fn start(static_dir: Option<std::path::PathBuf>) -> Api {
    let dir = tempfile::tempdir().unwrap();
    let database = common::fresh_database(dir.path()).await;
    let server = RunningServer::start(ServeOptions {
        static_dir,
        allow_origins: vec!["https://partner.example".into()],
        ..ServeOptions::new("127.0.0.1:0".parse().unwrap(), &database)
    })
    .await
    .unwrap();
    Api {
        server,
        database,
        _dir: dir,
    }
}

#[backends]
async fn program_settings_are_served_closed_then_opened_by_the_operator_command() {
    let api = start(None).await;
    let url = format!("{}/api/v1/program", api.server.url());

    let response = reqwest::Client::new().get(&url).checked().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let body: Value = response.body.clone();
    assert_eq!(body["direct_enrollment_open"], false);
    assert_eq!(body["program_name"], "Cloud Solution Provider program");
    assert!(body["links"]["join_mpn"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    let command = cli::parse(&[
        "program",
        "set",
        "--direct-enrollment",
        "open",
        "--note",
        "Open again since March",
        "--database",
        &api.database,
    ])
    .unwrap();
    cli::run(command).await.unwrap();

    let body: Value = reqwest::Client::new()
        .get(&url)
        .checked()
        .await
        .body
        .clone();
    assert_eq!(body["direct_enrollment_open"], true);
    assert_eq!(body["direct_enrollment_note"], "Open again since March");
}

#[backends]
async fn the_program_is_named_in_the_requests_language_as_the_operator_set_it() {
    let api = start(None).await;
    let url = format!("{}/api/v1/program", api.server.url());
    let named = |language: &'static str| {
        let url = url.clone();
        async move {
            reqwest::Client::new()
                .get(&url)
                .header("Accept-Language", language)
                .checked()
                .await
                .body
                .clone()
        }
    };
    let chinese = named("zh-CN,zh;q=0.9").await;
    assert_eq!(chinese["program_name"], "云解决方案提供商计划");
    assert_eq!(chinese["program_names"]["zh-CN"], "云解决方案提供商计划");
    // A switch to English in the app finds the English name in the same answer.
    assert_eq!(
        chinese["program_names"]["en-US"],
        "Cloud Solution Provider program"
    );
    assert_eq!(
        named("en-US").await["program_name"],
        "Cloud Solution Provider program"
    );

    for (args, refused) in [
        (["--locale", "fr-FR", "--name", "Programme"], true),
        (["--locale", "zh-CN", "--name", "  "], true),
        (["--locale", "zh-CN", "--name", "云计划"], false),
    ] {
        let mut command = vec!["program", "name"];
        command.extend(args);
        command.extend(["--database", &api.database]);
        let ran = cli::run(cli::parse(&command).unwrap()).await;
        assert_eq!(ran.is_err(), refused, "{command:?}");
    }
    assert_eq!(named("zh").await["program_name"], "云计划");
    assert_eq!(
        named("en").await["program_name"],
        "Cloud Solution Provider program"
    );
}

#[backends]
async fn an_unknown_api_route_is_a_localized_json_404() {
    let api = start(None).await;
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/api/v1/nothing-here", api.server.url()))
        .header("Accept-Language", "zh-CN,zh;q=0.9")
        .checked()
        .await;
    assert_eq!(response.status(), 404);
    let body: Value = response.body.clone();
    assert_eq!(body["error"]["code"], "no_such_route");
    assert_eq!(
        body["error"]["message"],
        "此 API 没有这个地址。请参阅 /api/v1/openapi.json。"
    );
}

#[backends]
async fn a_failure_worded_in_another_language_is_not_labelled_compressed() {
    // The reference routes compress; the failure's words are put in after.
    let api = start(None).await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/reference/address-formats/QQ",
            api.server.url()
        ))
        .header("Accept-Language", "zh-CN")
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers().get("content-encoding"), None);
    let body: Value = response.json().await.expect("plain JSON, as labelled");
    common::assert_matches_contract("GET", "/api/v1/reference/address-formats/QQ", 404, &body);
    assert_eq!(body["error"]["code"], "not_found");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{message}"
    );
}

#[backends]
async fn the_app_html_gets_a_csp_without_unsafe_inline() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!DOCTYPE html><title>t</title>",
    )
    .unwrap();
    let api = start(Some(dist.path().to_path_buf())).await;

    // The app's HTML, not the API: outside the contract.
    let response = reqwest::get(format!("{}/", api.server.url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("object-src 'none'"), "{csp}");
    assert!(csp.contains("base-uri 'none'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(response.text().await.unwrap().contains("<title>t</title>"));
}

#[backends]
async fn the_app_files_go_out_precompressed_when_the_build_made_them() {
    // `cargo xtask` builds write `x.br` and `x.gz` beside `x`.
    let dist = tempfile::tempdir().unwrap();
    let wasm = dist.path().join("app.wasm");
    std::fs::write(&wasm, vec![0u8; 4096]).unwrap();
    std::fs::write(dist.path().join("app.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(dist.path().join("app.wasm.gz"), b"gzip bytes").unwrap();
    let api = start(Some(dist.path().to_path_buf())).await;
    let url = format!("{}/app.wasm", api.server.url());
    let client = reqwest::Client::new();
    for (accepted, encoding, body) in [
        ("br, gzip", "br", &b"brotli bytes"[..]),
        ("gzip", "gzip", &b"gzip bytes"[..]),
    ] {
        let response = client
            .get(&url)
            .header("Accept-Encoding", accepted)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
        assert_eq!(response.headers()["content-type"], "application/wasm");
        // A cache in front (a CDN) keeps one copy per encoding.
        let vary: Vec<_> = response.headers().get_all("vary").iter().collect();
        assert!(
            vary.iter()
                .any(|v| v.to_str().unwrap().contains("accept-encoding")),
            "{vary:?}"
        );
        assert_eq!(&response.bytes().await.unwrap()[..], body);
    }
    // A browser that takes neither gets the file itself.
    let plain = client
        .get(&url)
        .header("Accept-Encoding", "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.headers().get("content-encoding"), None);
    assert_eq!(plain.bytes().await.unwrap().len(), 4096);
}

#[backends]
async fn files_with_a_content_hash_are_kept_a_year_the_rest_revalidated() {
    // Named as the build names them (the one rule the server caches by).
    use enroll_core::contract::assets::with_content_hash;
    let hashed = with_content_hash("csp-enroll.js", "6fb67015682b6c5a");
    let missing = format!(
        "/{}",
        with_content_hash("csp-enroll.js", "0123456789abcdef")
    );
    let dist = tempfile::tempdir().unwrap();
    for name in ["boot.js", hashed.as_str(), "index.html"] {
        std::fs::write(dist.path().join(name), "x").unwrap();
    }
    let api = start(Some(dist.path().to_path_buf())).await;
    let kept = format!("/{hashed}");
    for (path, expected) in [
        (kept.as_str(), "public, max-age=31536000, immutable"),
        ("/boot.js", "no-cache"),
        ("/", "no-cache"),
        // Not there: nothing to keep.
        (missing.as_str(), "no-cache"),
    ] {
        let response = reqwest::get(format!("{}{path}", api.server.url()))
            .await
            .unwrap();
        assert_eq!(response.headers()["cache-control"], expected, "{path}");
    }
}

#[backends]
async fn cors_answers_only_the_configured_origin() {
    let api = start(None).await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/program", api.server.url());
    let allowed = client
        .get(&url)
        .header("Origin", "https://partner.example")
        .checked()
        .await;
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://partner.example"
    );
    let other = client
        .get(&url)
        .header("Origin", "https://evil.example")
        .checked()
        .await;
    assert!(other.headers().get("access-control-allow-origin").is_none());

    // What the app reads from answers must be readable from another origin.
    let exposed = allowed.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("etag") && exposed.contains("retry-after"),
        "{exposed}"
    );
}

/// A partner's page may call every operation of the contract: the
/// browser's preflight for each method and path is answered yes (sign
/// out is a DELETE, changing roles a PATCH).
#[backends]
async fn cors_allows_every_method_the_contract_uses() {
    let api = start(None).await;
    let client = reqwest::Client::new();
    let paths = enroll_api::openapi::document()["paths"]
        .as_object()
        .unwrap();
    let mut asked = 0;
    for (template, operations) in paths {
        let path: String = template
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "x"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in operations.as_object().unwrap().keys() {
            let method = method.to_ascii_uppercase();
            let preflight = client
                .request(
                    reqwest::Method::OPTIONS,
                    format!("{}/api/v1{path}", api.server.url()),
                )
                .header("Origin", "https://partner.example")
                .header("Access-Control-Request-Method", &method)
                .header(
                    "Access-Control-Request-Headers",
                    "authorization,content-type,if-match,idempotency-key,accept-language",
                )
                .send()
                .await
                .unwrap();
            let allowed = preflight
                .headers()
                .get("access-control-allow-methods")
                .map(|v| v.to_str().unwrap().to_ascii_uppercase())
                .unwrap_or_default();
            assert!(
                allowed.split(',').any(|m| m.trim() == method),
                "{method} {template}: the preflight allows {allowed:?}"
            );
            asked += 1;
        }
    }
    assert!(asked > 20, "every operation: {asked}");
}

#[backends]
async fn the_apps_files_are_for_any_origin_the_api_is_not() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("boot.js"), "x").unwrap();
    let api = start(Some(dist.path().to_path_buf())).await;
    let client = reqwest::Client::new();
    // A partner's page on any origin loads the module script (a CORS
    // request), and so can a page nobody configured.
    for origin in ["https://partner.example", "https://anyone.example"] {
        let file = client
            .get(format!("{}/boot.js", api.server.url()))
            .header("Origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(
            file.headers()["access-control-allow-origin"],
            "*",
            "{origin}"
        );
    }
    let api_answer = client
        .get(format!("{}/api/v1/program", api.server.url()))
        .header("Origin", "https://anyone.example")
        .checked()
        .await;
    assert!(api_answer
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[test]
fn a_bad_operator_value_is_refused_with_usage() {
    let err = cli::parse(&[
        "program",
        "set",
        "--direct-enrollment",
        "maybe",
        "--database",
        "x",
    ])
    .unwrap_err();
    assert!(err.to_string().contains("maybe"), "{err}");
}
