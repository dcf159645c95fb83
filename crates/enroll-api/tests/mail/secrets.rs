//! Emails carrying a secret (a code, a password, a link): a code not sent
//! past its ten minutes or once replaced, and every secret gone from the
//! database once delivered.

use crate::common;

use test_postgres::backends;

use common::mail::{ask, attempted, newest, short_timeout, unproven_draft, JANE};
use common::wait::{eventually, nothing_happens_for};
use common::{api_with_clock, complete, start_with_relay, Checked, MAIL_PATIENCE};
use enroll_api::clock::TestClock;
use enroll_api::store::Delivery;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use test_relay::mail::Mail;
use test_relay::{Behaviour, Relay, RelayOptions};

/// A code whose email still fails past its 10 minutes is not sent: it
/// expires, its body goes, and the code page is told.
#[backends]
async fn a_code_still_undelivered_after_its_ten_minutes_expires() {
    let (api, clock) = api_with_clock().await;
    api.relay.script(JANE, [Behaviour::Reply(451); 20]);
    let (id, token) = unproven_draft(&api).await;
    ask(&api, &id, &token, "admin-email/code").await;
    let delivery = || async {
        let answer = api
            .request(Method::GET, &format!("/applications/{id}/admin-email/code"))
            .bearer_auth(&token)
            .checked()
            .await;
        answer.body["delivery"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let row = newest(&api, "admin_code").await;
    let mut attempts = 1;
    loop {
        let now = attempted(&api, row.id, attempts).await;
        if now.state == Delivery::Expired {
            assert!(now.erased && now.body.is_empty() && now.html.is_empty());
            break;
        }
        assert_eq!(now.state, Delivery::Retrying, "{now:#?}");
        assert_eq!(delivery().await, "retrying");
        clock.advance(4 * 60);
        attempts += 1;
        assert!(attempts < 10, "never expired");
    }
    assert_eq!(delivery().await, "expired");
    assert!(
        api.relay.messages().is_empty(),
        "the code was never delivered"
    );
}

/// A new code replaces the last: the earlier email, put off by the relay,
/// is never sent (its code no longer works), the new one arrives.
#[backends]
async fn a_replaced_code_is_never_sent() {
    let (api, clock) = api_with_clock().await;
    let mut answers = complete();
    answers["admin"]["email"] = json!("not yet");
    let draft = api.create(&answers).await;
    let (etag, mut stored) = api.get(&draft).await;
    stored["admin"]["email"] = json!(JANE);
    assert_eq!(api.put(&draft, &etag, &stored).await.status(), 200);
    api.relay.script(JANE, [Behaviour::Reply(451)]);
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let first = newest(&api, "admin_code").await.id;
    assert_eq!(attempted(&api, first, 1).await.state, Delivery::Retrying);
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let replaced = api.email_reaches(first, Delivery::Expired).await;
    assert!(replaced.erased, "{replaced:#?}");
    clock.advance(120);
    let mail = api.relay.next_to(JANE, 0, MAIL_PATIENCE).await;
    let code = Mail::from(&mail).code();
    let verified = api.verify_admin_code(&draft, &code).await;
    assert_eq!(verified.status(), 200, "the code that arrived works");
    nothing_happens_for(Duration::from_millis(300)).await;
    assert_eq!(
        api.relay.messages().len(),
        1,
        "the replaced code never came"
    );
}

/// Bodies carrying a code, a password or a link are in the database until
/// delivered, and not after: neither in the rows nor in the file's bytes.
#[backends]
async fn secrets_leave_the_database_once_delivered() {
    let relay = Relay::start(RelayOptions::default()).await;
    relay.set_silent(true);
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with_relay(relay.clone(), move |options| {
        options.clock = Arc::new(shared);
        short_timeout(options);
    })
    .await;
    let (id, token) = unproven_draft(&api).await;
    ask(&api, &id, &token, "admin-email/code").await;
    // The relay is silent: the code is read where it waits, to prove the
    // address, which a resume link needs.
    let waiting = api.outbox_rows().await;
    let code = waiting[0]
        .body
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("the code in the queued body")
        .to_owned();
    let verified = api
        .request(
            Method::POST,
            &format!("/applications/{id}/admin-email/verify"),
        )
        .bearer_auth(&token)
        .json(&json!({ "code": code }))
        .checked()
        .await;
    assert_eq!(verified.status(), 200, "{}", verified.text());
    ask(&api, &id, &token, "resume-email").await;
    let rows = api.outbox_rows().await;
    assert!(rows.iter().all(|r| !r.body.is_empty() && !r.erased));
    let code_line = rows[0]
        .html
        .lines()
        .find(|l| l.contains("</strong>"))
        .expect("the code's line")
        .to_owned();
    assert!(common::stored_text(&api.database).contains(&code_line));
    assert!(common::stored_text(&api.database).contains(&token));
    for row in &rows {
        attempted(&api, row.id, 1).await;
    }
    relay.set_silent(false);
    clock.advance(61);
    for row in &rows {
        api.email_reaches(row.id, Delivery::Sent).await;
    }
    let rows = api.outbox_rows().await;
    assert!(rows
        .iter()
        .all(|r| r.erased && r.body.is_empty() && r.html.is_empty()));
    let shown = api.operator_output(&["outbox"]);
    assert!(
        shown.contains("[sent, ") && shown.contains("(body erased"),
        "{shown}"
    );
    // The write-ahead log is emptied at once, or when the sender is next
    // idle if a reader held it.
    eventually("the code and the link gone from the file", || async {
        let bytes = common::stored_text(&api.database);
        !bytes.contains(&code_line) && !bytes.contains(&token)
    })
    .await;
    let mail = api.all_emails().await;
    let link = mail.iter().find(|m| m.kind == "resume").expect("the link");
    assert!(link.body.contains(&token), "the link arrived");
}
