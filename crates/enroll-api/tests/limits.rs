//! Flooding: the rate limits a client meets (resume emails per
//! application, recipient and client; drafts and MPN lookups per client),
//! counted by the server's clock, kept in the database, and who the client
//! is behind a trusted load balancer.

mod common;

use test_postgres::backends;

use common::Checked;

use common::{error_code, start_with, with_admin, Answer, Api, Draft};
use reqwest::Method;
use serde_json::json;

async fn ask_resume_email(api: &Api, draft: &Draft) -> Answer {
    api.request(
        Method::POST,
        &format!("/applications/{}/resume-email", draft.id),
    )
    .bearer_auth(&draft.token)
    .checked()
    .await
}

#[backends]
async fn resume_emails_are_limited_per_application_recipient_and_client() {
    let api = start_with(|o| {
        o.limits.resume_emails_per_application = 2;
        o.limits.resume_emails_per_recipient = 3;
        o.limits.resume_emails_per_client = 5;
    })
    .await;
    // Per application: the third in the hour is refused.
    let one = api.create(&with_admin("jane.doe@contoso.com")).await;
    for _ in 0..2 {
        assert_eq!(ask_resume_email(&api, &one).await.status(), 202);
    }
    let refused = ask_resume_email(&api, &one).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(error_code(refused).await, "too_many_resume_emails");

    // Per recipient: another draft naming the same mailbox (in other case,
    // with a +tag) gets one more, then no more.
    let two = api.create(&with_admin("JANE.DOE+csp@contoso.com")).await;
    assert_eq!(ask_resume_email(&api, &two).await.status(), 202);
    assert_eq!(ask_resume_email(&api, &two).await.status(), 429);

    // Per client: fresh drafts and fresh addresses, still one client.
    let mut answers = Vec::new();
    for i in 0..3 {
        let draft = api
            .create(&with_admin(&format!("user{i}@fabrikam.com")))
            .await;
        answers.push(ask_resume_email(&api, &draft).await.status().as_u16());
    }
    // Five asked before (refused ones count: a flood is its attempts), so
    // the client's five an hour are gone whoever the email is for.
    assert_eq!(answers, [429, 429, 429]);
    assert_eq!(
        api.outbox().await.len(),
        3,
        "only the granted ones were queued"
    );
}

/// The hour the emails' limits count is the server's clock's: moved past
/// the first email's hour, one more may go; the wait said is to the second.
#[backends]
async fn the_hourly_email_limits_follow_the_server_clock() {
    let clock = enroll_api::clock::TestClock::new();
    let shared = std::sync::Arc::new(clock.clone());
    let api = start_with(move |o| {
        o.clock = shared;
        o.limits.resume_emails_per_application = 3;
    })
    .await;
    let draft = api.create(&with_admin("jane.doe@contoso.com")).await;
    for _ in 0..3 {
        assert_eq!(ask_resume_email(&api, &draft).await.status(), 202);
        clock.advance(600);
    }
    let refused = ask_resume_email(&api, &draft).await;
    assert_eq!(refused.status(), 429);
    assert_eq!(
        refused.headers()["retry-after"],
        "1800",
        "the first leaves the hour in 30 minutes"
    );
    clock.advance(1799);
    assert_eq!(ask_resume_email(&api, &draft).await.status(), 429);
    clock.advance(1);
    assert_eq!(ask_resume_email(&api, &draft).await.status(), 202);
}

#[backends]
async fn drafts_and_mpn_lookups_are_limited_per_client() {
    let api = start_with(|o| {
        o.seed_demo = true;
        o.limits.drafts_per_client = 3;
        o.limits.mpn_lookups_per_client = 4;
    })
    .await;
    for _ in 0..3 {
        api.create(&json!({})).await;
    }
    let refused = api
        .request(Method::POST, "/applications")
        .json(&json!({}))
        .checked()
        .await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(error_code(refused).await, "too_many_drafts");

    for id in ["1234567", "1000000", "1000001", "1000002"] {
        let status = api
            .request(Method::GET, &format!("/mpn/{id}"))
            .checked()
            .await
            .status();
        assert!(status == 200 || status == 404, "{id}: {status}");
    }
    let refused = api.request(Method::GET, "/mpn/1234567").checked().await;
    assert_eq!(refused.status(), 429);
    assert_eq!(error_code(refused).await, "too_many_lookups");
    // What every visitor needs on every keystroke is never limited.
    for _ in 0..20 {
        let status = api
            .request(Method::GET, "/program")
            .checked()
            .await
            .status();
        assert_eq!(status, 200);
    }
}

/// Drafts asked for by one client, as the server sees it: `forwarded`
/// names it in X-Forwarded-For (from the loopback proxy's connection).
async fn drafts_from(api: &Api, forwarded: &str, count: usize) -> Vec<u16> {
    let mut answers = Vec::new();
    for _ in 0..count {
        let answer = api
            .request(Method::POST, "/applications")
            .header("x-forwarded-for", forwarded)
            .json(&json!({}))
            .checked()
            .await;
        answers.push(answer.status().as_u16());
    }
    answers
}

/// Behind a load balancer the operator trusts, each client it names has
/// its own limit; a client naming itself (no trusted proxy between) is
/// the connection, whatever it writes. And the limits are kept in the
/// database: a restart gives nobody a fresh budget.
#[backends]
async fn clients_behind_a_trusted_proxy_are_told_apart_and_limits_outlive_a_restart() {
    let api = start_with(|o| {
        o.limits.drafts_per_client = 2;
        o.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    assert_eq!(drafts_from(&api, "198.51.100.1", 3).await, [201, 201, 429]);
    // The balancer appends what it saw to what the client wrote.
    let forged = "198.51.100.2, 198.51.100.1";
    assert_eq!(
        drafts_from(&api, forged, 1).await,
        [429],
        "the right-most hop is the client"
    );
    assert_eq!(drafts_from(&api, "198.51.100.2", 2).await, [201, 201]);
    let api = api.restart().await;
    assert_eq!(
        drafts_from(&api, "198.51.100.1", 1).await,
        [429],
        "after a restart"
    );

    let untrusting = start_with(|o| o.limits.drafts_per_client = 2).await;
    let names = ["203.0.113.1", "203.0.113.2", "203.0.113.3"];
    let mut answers = Vec::new();
    for name in names {
        answers.extend(drafts_from(&untrusting, name, 1).await);
    }
    assert_eq!(
        answers,
        [201, 201, 429],
        "one connection's address for all three"
    );
}
