//! Two `enroll-api serve` processes on one PostgreSQL database behind a
//! load balancer that spreads connections over both: every rule holds for
//! the pair as it does for one server.

mod common;

use common::account::{approved, sign_in};
use common::instances::{Pair, Spread};
use common::storm::storm;
use common::{complete, history_of, Checked};
use enroll_api::clock::{iso, Clock, SystemClock};
use reqwest::Method;
use serde_json::json;

/// Twenty submits of one draft with one Idempotency-Key, at once, spread
/// at random: one submission, one receipt email, one answer for all.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_submits_with_one_key_submit_once() {
    let pair = Pair::start(Spread::Random, &[]).await;
    let api = &pair.api;
    let draft = api.create(&complete()).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let request = api
            .request(Method::POST, &format!("/applications/{}/submit", draft.id))
            .bearer_auth(&draft.token)
            .header("If-Match", &draft.etag)
            .header("Idempotency-Key", "one-key");
        tasks.spawn(async move {
            let answer = request.send().await.unwrap();
            (answer.status().as_u16(), answer.text().await.unwrap())
        });
    }
    let answers = tasks.join_all().await;
    assert_eq!(answers[0].0, 200, "{}", answers[0].1);
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:#?}");
    let status = api.status(&draft).await;
    assert_eq!(history_of(&status), ["draft", "submitted"]);
    let receipts: Vec<_> = api
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind == "status")
        .collect();
    assert_eq!(receipts.len(), 1, "one receipt email");
}

/// Two applications with one MPN ID approved at once by two operators
/// (two processes): exactly one is approved, the other refused saying why.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_mpn_id_is_approved_once_when_two_approve_at_once() {
    let pair = Pair::start(Spread::RoundRobin, &[]).await;
    let api = &pair.api;
    for round in 0..4 {
        let mut ids = Vec::new();
        for admin in ["jane", "kim"] {
            let mut answers = complete();
            answers["mpn_id"] = json!(format!("222222{round}"));
            answers["admin"]["email"] = json!(format!("{admin}{round}@contoso.com"));
            let draft = api.create(&answers).await;
            assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
            api.operator(&["review", "start", &draft.id]).await.unwrap();
            ids.push(draft.id);
        }
        let approvals: Vec<_> = ids
            .iter()
            .map(|id| {
                std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
                    .args(["review", "approve", id, "--database", &pair.database])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outcomes: Vec<_> = approvals
            .into_iter()
            .map(|child| child.wait_with_output().unwrap())
            .collect();
        let approved = outcomes.iter().filter(|o| o.status.success()).count();
        assert_eq!(approved, 1, "round {round}: {outcomes:#?}");
        let refused = outcomes.iter().find(|o| !o.status.success()).unwrap();
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(
            said.contains("belongs to the approved application"),
            "{said}"
        );
    }
}

/// The per-client limits, the emails' hourly limits and the sign-in
/// failures count for the pair as for one server (the balancer is every
/// request's client here).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn limits_hold_for_the_pair_as_for_one_server() {
    let flags = [
        "--drafts-per-client",
        "6",
        "--mpn-lookups-per-client",
        "4",
        "--resume-emails-per-client",
        "100",
    ];
    let pair = Pair::start(Spread::RoundRobin, &flags).await;
    let api = &pair.api;
    // Two drafts made (and proven) by the harness first: 4 more, then no.
    let mut answers = complete();
    answers["admin"]["email"] = json!("sam.lee@contoso.com");
    let draft = api.create(&answers).await;
    let (email, temporary) = approved(api).await;
    let mut created = Vec::new();
    for _ in 0..6 {
        let answer = api
            .request(Method::POST, "/applications")
            .json(&json!({}))
            .checked()
            .await;
        created.push(answer.status().as_u16());
    }
    assert_eq!(created, [201, 201, 201, 201, 429, 429], "drafts");

    let mut lookups = Vec::new();
    for _ in 0..6 {
        let answer = api.request(Method::GET, "/mpn/1234567").checked().await;
        lookups.push(answer.status().as_u16());
    }
    assert_eq!(&lookups[4..], [429, 429], "lookups: {lookups:?}");

    // Three codes an hour for one draft (it had one when it was proven).
    let mut codes = Vec::new();
    for _ in 0..3 {
        codes.push(api.send_admin_code(&draft).await.status().as_u16());
    }
    assert_eq!(codes, [202, 202, 429], "admin codes");

    // Three resume links an hour for one application.
    let mut links = Vec::new();
    for _ in 0..4 {
        let answer = api
            .request(
                Method::POST,
                &format!("/applications/{}/resume-email", draft.id),
            )
            .bearer_auth(&draft.token)
            .json(&json!({}))
            .checked()
            .await;
        links.push(answer.status().as_u16());
    }
    assert_eq!(links, [202, 202, 202, 429], "resume links");

    // Five wrong passwords for one address from one client in 15 minutes;
    // the sixth, even the right one, waits.
    let mut tries = Vec::new();
    for _ in 0..5 {
        tries.push(
            sign_in(api, &email, "not the password at all")
                .await
                .status()
                .as_u16(),
        );
    }
    tries.push(sign_in(api, &email, &temporary).await.status().as_u16());
    assert_eq!(tries, [401, 401, 401, 401, 401, 429], "sign-in");
}

/// Two hundred emails queued while both servers' senders run: each is
/// delivered exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_queued_emails_are_each_delivered_once_by_two_senders() {
    let pair = Pair::start(Spread::RoundRobin, &[]).await;
    let now = SystemClock.now();
    let insert = format!(
        "INSERT INTO outbox (kind, to_address, mailbox, subject, body, html, locale, message_id,
                             priority, state, created_at, queued_at, next_attempt_at, expires_at)
         SELECT 'status', 'user' || n || '@contoso.com', 'user' || n || '@contoso.com',
                'Notice ' || n, 'Body ' || n, '', 'en-US', md5(n::TEXT), 1, 'queued',
                '{}', {now}, {now}, {}
         FROM generate_series(1, 200) AS n",
        iso(now),
        now + 86_400
    );
    test_postgres::query(&pair.database, &insert).unwrap();
    let emails = pair.api.all_emails().await;
    assert_eq!(emails.len(), 200);
    let mut subjects: Vec<&str> = emails.iter().map(|m| m.subject.as_str()).collect();
    subjects.sort_unstable();
    subjects.dedup();
    assert_eq!(subjects.len(), 200, "each once");
    let sent = pair.api.outbox_rows().await;
    assert!(sent.iter().all(|row| row.attempts == 1), "none taken twice");
}

/// Clients hanging up a few milliseconds after sending, their connections
/// spread over both servers: everything answered as stored is there after
/// both are killed and started again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_hanging_up_on_the_pair_lose_nothing_across_a_restart_of_both() {
    let generous = [
        "--admin-codes-per-recipient",
        "1000",
        "--resume-emails-per-client",
        "1000",
    ];
    let mut pair = Pair::start(Spread::Random, &generous).await;
    let mut drafts = Vec::new();
    for _ in 0..20 {
        drafts.push(pair.api.create(&complete()).await);
    }
    let mut fresh = Vec::new();
    for wave in 0..3u64 {
        storm(pair.front, &drafts, wave).await;
        let api = &pair.api;
        let draft = api
            .create(&json!({"company": {"legal_name": "Fresh Ltd"}}))
            .await;
        let name = json!({"company": {"legal_name": format!("Fresh {wave} GmbH")}});
        let saved = api.put(&draft, &draft.etag, &name).await;
        assert_eq!(saved.status(), 200, "wave {wave}: {}", saved.text());
        fresh.push((draft, format!("Fresh {wave} GmbH")));
    }
    let mut answers = complete();
    answers["mpn_id"] = json!("4444444");
    let sent = pair.api.create(&answers).await;
    assert_eq!(
        pair.api.submit(&sent, &sent.etag, "after").await.status(),
        200
    );

    pair.restart();
    let api = &pair.api;
    for (draft, name) in &fresh {
        assert_eq!(
            api.get(draft).await.1["company"]["legal_name"],
            name.as_str()
        );
    }
    assert_eq!(api.get(&sent).await.1["status"], "submitted");
    for draft in &drafts {
        api.get(draft).await;
    }
}
