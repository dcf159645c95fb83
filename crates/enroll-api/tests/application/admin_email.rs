//! The applicant proves the admin's address before submitting, over real
//! HTTP with the API's clock moved by the test: a code emailed, good for
//! ten minutes and five tries, three sent an hour (per draft and per
//! inbox); a new address needs the proof again, and an application
//! without it is not approved.

use crate::common;

use test_postgres::backends;

use common::account::problem_code;
use common::{api_with_clock, complete, start_with};
use enroll_api::clock::TestClock;
use serde_json::json;

#[backends]
async fn submitting_needs_the_admin_address_proven_and_a_new_address_needs_it_again() {
    let (api, _) = api_with_clock().await;
    let mut answers = complete();
    answers["admin"]["email"] = json!("");
    let draft = api.create(&answers).await;
    // No address yet: no code, and the report says why.
    let refused = api.send_admin_code(&draft).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        problem_code(&refused),
        ("admin.email".into(), "required".into())
    );

    let (etag, mut stored) = api.get(&draft).await;
    stored["admin"]["email"] = json!("jane.doe@contoso.com");
    let saved = api.put(&draft, &etag, &stored).await;
    let submit = api.submit(&draft, &saved.etag(), "a").await;
    assert_eq!(submit.status(), 422);
    assert_eq!(
        problem_code(&submit),
        ("admin.email".into(), "admin_email_unverified".into())
    );
    api.confirm_admin_email(&draft).await;
    let (etag, mut stored) = api.get(&draft).await;
    assert_eq!(stored["admin_email_confirmed"], true);

    // A new address takes the proof away; proving it again submits.
    stored["admin"]["email"] = json!("john.roe@contoso.com");
    let saved = api.put(&draft, &etag, &stored).await;
    assert_eq!(saved.body["admin_email_confirmed"], false);
    let submit = api.submit(&draft, &saved.etag(), "b").await;
    assert_eq!(
        problem_code(&submit),
        ("admin.email".into(), "admin_email_unverified".into())
    );
    api.confirm_admin_email(&draft).await;
    let codes: Vec<_> = api
        .all_emails()
        .await
        .into_iter()
        .filter(|e| e.kind == "admin_code")
        .map(|e| e.to)
        .collect();
    assert_eq!(codes, ["jane.doe@contoso.com", "john.roe@contoso.com"]);
    assert_eq!(api.submit(&draft, &saved.etag(), "c").await.status(), 200);
}

#[backends]
async fn a_code_lasts_ten_minutes_and_five_tries_and_three_are_sent_an_hour() {
    let (api, clock) = api_with_clock().await;
    let mut answers = complete();
    answers["admin"]["email"] = json!("not yet");
    let draft = api.create(&answers).await;
    let (etag, mut stored) = api.get(&draft).await;
    stored["admin"]["email"] = json!("jane.doe@contoso.com");
    api.put(&draft, &etag, &stored).await;

    // Expired after 10 minutes.
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    clock.advance(600);
    let late = api.verify_admin_code(&draft, &code).await;
    assert_eq!(problem_code(&late), ("code".into(), "code_expired".into()));

    // Five wrong tries use the code up, the right one included after.
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for tries_left in (1..=4).rev() {
        let answer = api.verify_admin_code(&draft, wrong).await;
        assert_eq!(problem_code(&answer), ("code".into(), "wrong_code".into()));
        assert_eq!(
            answer.body["errors"][0]["params"]["tries_left"],
            tries_left.to_string()
        );
    }
    let fifth = api.verify_admin_code(&draft, wrong).await;
    assert_eq!(problem_code(&fifth), ("code".into(), "code_expired".into()));
    let used_up = api.verify_admin_code(&draft, &code).await;
    assert_eq!(
        problem_code(&used_up),
        ("code".into(), "code_expired".into())
    );

    // A third send this hour works; the fourth waits for the first to age.
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let fourth = api.send_admin_code(&draft).await;
    assert_eq!(fourth.status(), 429);
    assert_eq!(fourth.code(), "too_many_codes");
    let wait: u64 = fourth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((2990..=3000).contains(&wait), "{wait}");
    clock.advance(wait);
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    assert_eq!(
        api.verify_admin_code(&draft, &format!(" {code} "))
            .await
            .status(),
        200
    );
}

/// Three codes an hour reach one address, however many drafts ask.
#[backends]
async fn an_address_gets_three_codes_an_hour_from_all_drafts_together() {
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with(move |options| {
        options.clock = std::sync::Arc::new(shared);
        options.limits.admin_codes_per_recipient = 3;
    })
    .await;
    let mut answers = complete();
    answers["admin"]["email"] = json!("not yet");
    let mut sent = Vec::new();
    for _ in 0..4 {
        let draft = api.create(&answers).await;
        let (etag, mut stored) = api.get(&draft).await;
        stored["admin"]["email"] = json!("victim@fabrikam.com");
        api.put(&draft, &etag, &stored).await;
        sent.push(api.send_admin_code(&draft).await.status().as_u16());
    }
    assert_eq!(sent, [202, 202, 202, 429]);

    // One inbox however it is written: a +tag or capitals are no way
    // round the limit.
    let mut sent = Vec::new();
    for address in [
        "target+1@fabrikam.com",
        "Target+2@fabrikam.com",
        "target@FABRIKAM.com",
        "target+4@fabrikam.com",
    ] {
        let draft = api.create(&answers).await;
        let (etag, mut stored) = api.get(&draft).await;
        stored["admin"]["email"] = json!(address);
        api.put(&draft, &etag, &stored).await;
        sent.push(api.send_admin_code(&draft).await.status().as_u16());
    }
    assert_eq!(sent, [202, 202, 202, 429]);
}

/// Applications sent before the proof existed: approving one would send
/// the password to an address nobody proved; the operator is told what
/// to do instead.
#[backends]
async fn an_application_without_a_proven_address_is_not_approved() {
    let (api, _) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    let store = enroll_api::store::Store::open(&api.database).await.unwrap();
    store.forget_admin_email_proof(&draft.id).await.unwrap();
    let refused = api
        .operator(&["review", "approve", &draft.id])
        .await
        .unwrap_err();
    assert!(
        refused.contains("not proven") && refused.contains("request-info"),
        "{refused}"
    );
    assert!(api
        .outbox()
        .await
        .iter()
        .all(|e| e.kind != "temporary_password"));
    assert!(api.operator_output(&["accounts", "list"]).trim().is_empty());
}
