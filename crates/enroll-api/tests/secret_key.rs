//! The server's secret key: required to serve, and the key the emailed
//! codes are stored under (HMAC), rotated without losing them.

mod common;

use test_postgres::backends;

use common::account::problem_code;
use common::{complete, Checked};
use reqwest::Method;

/// The database keeps an emailed code only as HMAC-SHA-256 under a key
/// derived from the server's secret key (a copy of the database does not
/// give the code back, as SHA-256 of six digits would); while rotating,
/// codes made under the previous key still work, and once it is dropped
/// they do not.
#[backends]
async fn emailed_codes_are_stored_keyed_and_survive_a_key_rotation() {
    use enroll_api::secret::SecretKeys;
    let (a, b) = (
        SecretKeys::new_base64().unwrap(),
        SecretKeys::new_base64().unwrap(),
    );
    let keys =
        |current: &str, previous: Option<&str>| SecretKeys::from_base64(current, previous).unwrap();
    let only_a = keys(&a, None);
    let api = common::start_with(move |o| o.secret_keys = only_a).await;
    let created = api
        .request(Method::POST, "/applications")
        .json(&complete())
        .checked()
        .await;
    let draft = common::Draft {
        id: created.body["id"].as_str().unwrap().to_owned(),
        token: created.body["resume_token"].as_str().unwrap().to_owned(),
        etag: created.etag(),
        body: created.body.clone(),
    };
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    let bytes = common::stored_text(&api.database);
    let plain = enroll_api::auth::token_hash(&code);
    assert!(
        !bytes.contains(&plain),
        "the code's plain SHA-256 is stored"
    );

    // Rotating to B with A kept as the previous key: A's code works.
    let rotating = keys(&b, Some(&a));
    let api = api.restart_with(move |o| o.secret_keys = rotating).await;
    let verified = api.verify_admin_code(&draft, &code).await;
    assert_eq!(verified.status(), 200, "{}", verified.text());

    // A code made under A, then A dropped: it no longer matches.
    let only_a = keys(&a, None);
    let api = api.restart_with(move |o| o.secret_keys = only_a).await;
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    let only_b = keys(&b, None);
    let api = api.restart_with(move |o| o.secret_keys = only_b).await;
    let refused = api.verify_admin_code(&draft, &code).await;
    assert_eq!(problem_code(&refused), ("code".into(), "wrong_code".into()));
}

/// `serve` does not start without the secret key (unless told to keep a
/// development one), and says how to make one.
#[test]
fn serve_refuses_to_start_without_a_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &database])
        .env_remove("ENROLL_SECRET_KEY")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("ENROLL_SECRET_KEY is not set") && said.contains("new-secret-key"),
        "{said}"
    );
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
        .arg("new-secret-key")
        .output()
        .unwrap();
    let key = String::from_utf8(made.stdout).unwrap();
    assert!(enroll_api::secret::SecretKeys::from_base64(key.trim(), None).is_ok());
}
