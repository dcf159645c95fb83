//! Submitting an application: its headers and valid answers needed, and
//! one submission however many times it is sent at once.

use crate::common;

use test_postgres::backends;

use common::{complete, history_of, start, Checked};
use reqwest::Method;
use serde_json::{json, Value};

#[backends]
async fn submit_needs_its_headers_and_valid_answers() {
    let api = start(false).await;
    let draft = api.create(&json!({"mpn_id": "1234567"})).await;
    let no_key = api
        .request(Method::POST, &format!("/applications/{}/submit", draft.id))
        .bearer_auth(&draft.token)
        .header("If-Match", &draft.etag)
        .checked()
        .await;
    assert_eq!(no_key.status(), 400);
    let no_etag = api
        .request(Method::POST, &format!("/applications/{}/submit", draft.id))
        .bearer_auth(&draft.token)
        .header("Idempotency-Key", "k")
        .checked()
        .await;
    assert_eq!(no_etag.status(), 428);

    let incomplete = api.submit(&draft, &draft.etag, "k1").await;
    assert_eq!(incomplete.status(), 422);
    let report: Value = incomplete.body.clone();
    assert_eq!(report["valid"], false);
    assert!(report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "bank.country"));
    assert_eq!(api.status(&draft).await["status"], "draft");

    let stale = api.submit(&draft, "\"99\"", "k2").await;
    assert_eq!(stale.status(), 412);
}

#[backends(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_submits_with_one_key_submit_once_with_identical_answers() {
    let api = start(false).await;
    let draft = api.create(&complete()).await;
    let url = api.url(&format!("/applications/{}/submit", draft.id));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, token, etag) = (
                api.client.clone(),
                url.clone(),
                draft.token.clone(),
                draft.etag.clone(),
            );
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .header("If-Match", etag)
                    .header("Idempotency-Key", "double-click")
                    .checked()
                    .await;
                (response.status().as_u16(), response.text().to_owned())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    assert!(
        answers.iter().all(|a| a == &answers[0]),
        "identical answers: {answers:?}"
    );
    assert_eq!(answers[0].0, 200);
    let status = api.status(&draft).await;
    assert_eq!(status["status"], "submitted");
    let history = history_of(&status);
    assert_eq!(history, ["draft", "submitted"], "one submission");

    // A new key after submission: refused, and changes are refused too.
    let again = api.submit(&draft, &draft.etag, "another-key").await;
    assert_eq!(again.status(), 409);
    let (etag, _) = api.get(&draft).await;
    assert_eq!(api.put(&draft, &etag, &json!({})).await.status(), 409);

    // One submission, one "we received it" email, whatever was replayed.
    let outbox = api.outbox().await;
    let received: Vec<_> = outbox
        .iter()
        .filter(|e| e.subject.contains("received"))
        .collect();
    assert_eq!(received.len(), 1, "{outbox:#?}");
    assert_eq!(outbox.len(), 1);
}
