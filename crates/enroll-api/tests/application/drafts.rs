//! Drafts over real HTTP against a fresh database (SQLite, then PostgreSQL): created, read and
//! autosaved with ETags, guarded by their tokens, bank secrets masked and
//! bank fields kept to the country's.

use crate::common;

use test_postgres::backends;

use common::{complete, start, Checked};
use enroll_api::store::Store;
use reqwest::Method;
use serde_json::{json, Value};

#[backends]
async fn a_draft_is_created_read_and_autosaved_with_etags() {
    let api = start(false).await;
    let draft = api.create(&json!({"mpn_id": "1234567"})).await;
    assert_eq!(draft.body["status"], "draft");
    assert_eq!(draft.token.len(), 64);
    assert_eq!(draft.etag, "\"1\"");

    let (etag, body) = api.get(&draft).await;
    assert_eq!(etag, draft.etag);
    assert_eq!(body["mpn_id"], "1234567");
    assert!(
        body.get("resume_token").is_none(),
        "the token is shown once"
    );

    let response = api.put(&draft, &etag, &json!({"mpn_id": "7654321"})).await;
    assert_eq!(response.status(), 200);
    let new_etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);

    // The ETag the user saw is stale now: nothing is silently overwritten.
    let stale = api.put(&draft, &etag, &json!({"mpn_id": "1111111"})).await;
    assert_eq!(stale.status(), 412);
    let body: Value = stale.body.clone();
    assert_eq!(body["error"]["code"], "stale_etag");
    assert_eq!(api.get(&draft).await.1["mpn_id"], "7654321");

    let no_if_match = api
        .request(Method::PUT, &format!("/applications/{}", draft.id))
        .bearer_auth(&draft.token)
        .json(&json!({}))
        .checked()
        .await;
    assert_eq!(no_if_match.status(), 428);
}

#[backends]
async fn tokens_guard_every_application_route() {
    let api = start(false).await;
    let draft = api.create(&json!({})).await;
    let other = api.create(&json!({})).await;
    for path in ["", "/status", "/provider-requests"] {
        let url = format!("/applications/{}{path}", draft.id);
        let missing = api.request(Method::GET, &url).checked().await;
        assert_eq!(missing.status(), 401, "{path}");
        let body: Value = missing.body.clone();
        assert_eq!(body["error"]["code"], "token_required");
        let wrong = api
            .request(Method::GET, &url)
            .bearer_auth(&other.token)
            .checked()
            .await;
        assert_eq!(wrong.status(), 401, "another application's token, {path}");
    }
    let unknown = api
        .request(
            Method::GET,
            "/applications/0123456789abcdef0123456789abcdef",
        )
        .bearer_auth(&draft.token)
        .checked()
        .await;
    assert_eq!(unknown.status(), 404);
}

#[backends]
async fn bank_secrets_come_back_masked_and_survive_a_put_that_leaves_them_masked() {
    let api = start(false).await;
    let draft = api.create(&complete()).await;
    assert_eq!(draft.body["bank"]["iban"], "••••3000");
    let (etag, mut seen) = api.get(&draft).await;
    assert_eq!(seen["bank"]["iban"], "••••3000");
    assert!(
        !seen.to_string().contains("DE89"),
        "no full IBAN anywhere in the answer"
    );

    // The app sends back what it was given, masked IBAN included.
    seen["company"]["legal_name"] = json!("Contoso Limited");
    let response = api.put(&draft, &etag, &seen).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();

    // And the stored IBAN is still the real one: the application submits.
    let store = Store::open(&api.database).await.unwrap();
    let stored = store.application(&draft.id).await.unwrap().unwrap();
    assert_eq!(stored.answers.bank.iban, "DE89 3704 0044 0532 0130 00");
    assert_eq!(stored.answers.company.legal_name, "Contoso Limited");
    let submitted = api.submit(&draft, &etag, "key-1").await;
    assert_eq!(submitted.status(), 200);

    // Sent empty, a secret is cleared (a bank in another country).
    let other = api.create(&complete()).await;
    let mut answers = complete();
    answers["bank"]["iban"] = json!("");
    api.put(&other, &other.etag, &answers).await;
    assert_eq!(api.get(&other).await.1["bank"]["iban"], "");
}

#[backends]
async fn bank_fields_the_country_does_not_use_are_dropped_on_save_and_refused() {
    let api = start(false).await;
    let draft = api.create(&complete()).await;
    let (etag, stored) = api.get(&draft).await;
    assert_eq!(stored["bank"]["iban"], "••••3000");
    // The applicant moves the bank to the UK; the app sends back the masked
    // IBAN it was shown.
    let mut moved = stored.clone();
    moved["bank"]["country"] = json!("GB");
    moved["bank"]["routing_code"] = json!("12-34-56");
    moved["bank"]["account_number"] = json!("12345678");
    let saved = api.put(&draft, &etag, &moved).await;
    assert_eq!(saved.status(), 200);
    let (etag, stored) = api.get(&draft).await;
    assert_eq!(stored["bank"]["iban"], "");
    assert_eq!(stored["bank"]["bic"], "");
    // Back to Germany: the old IBAN did not survive hidden.
    // The app sends back the masked IBAN it was once shown.
    let mut back = stored.clone();
    back["bank"]["country"] = json!("DE");
    back["bank"]["iban"] = json!("••••3000");
    assert_eq!(api.put(&draft, &etag, &back).await.status(), 200);
    let (_, stored) = api.get(&draft).await;
    assert_eq!(stored["bank"]["iban"], "", "no hidden IBAN came back");

    let mut answers = complete();
    answers["bank"] = json!({"country": "GB", "account_holder": "Contoso Ltd",
        "routing_code": "12-34-56", "account_number": "12345678",
        "iban": "DE89370400440532013000"});
    let report: Value = api.validate(&answers).await;
    let problems: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["field"].as_str().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    assert_eq!(problems, [("bank.iban", "not_applicable")]);
}

/// Times come from the server's one clock, never the database's: a draft
/// saved after the clock moved a year says so, and its resume token ends
/// after its days by that clock (moved here, not waited for).
#[backends]
async fn a_draft_s_times_and_its_token_follow_the_server_clock() {
    let (api, clock) = common::api_with_clock().await;
    clock.advance(365 * 86_400);
    let draft = api.create(&json!({})).await;
    let year = enroll_api::clock::iso(enroll_api::clock::Clock::now(&clock));
    let status = api
        .request(Method::GET, &format!("/applications/{}/status", draft.id))
        .bearer_auth(&draft.token)
        .checked()
        .await;
    assert_eq!(status.body["updated_at"], year.as_str());
    assert_eq!(status.body["history"][0]["at"], year.as_str());

    clock.advance(u64::from(enroll_api::auth::TOKEN_DAYS) * 86_400 - 60);
    let response = api
        .put(&draft, &draft.etag, &json!({"mpn_id": "1234567"}))
        .await;
    assert_eq!(response.status(), 200, "a minute before its end");
    clock.advance(60);
    let ended = api
        .request(Method::GET, &format!("/applications/{}", draft.id))
        .bearer_auth(&draft.token)
        .checked()
        .await;
    assert_eq!(ended.status(), 401, "at its end");
}
