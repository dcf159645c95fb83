//! A relay that lets the sender down (test-relay, told per recipient to
//! put off, refuse, cut or stall): each email retried after its backoff,
//! failed until the operator retries it, sent again as the same message,
//! and in order. Time is moved on the API's clock, never slept through,
//! for backoff.

use crate::common;

use test_postgres::backends;

use common::mail::{ask, attempted, newest, short_timeout, JANE};
use common::wait::nothing_happens_for;
use common::{api_with_clock, complete, start_with, Api};
use enroll_api::clock::TestClock;
use enroll_api::store::Delivery;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use test_relay::mail::Mail;
use test_relay::{Behaviour, Outcome};

async fn api_with_short_timeout() -> (Api, TestClock) {
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with(move |options| {
        options.clock = Arc::new(shared);
        short_timeout(options);
    })
    .await;
    (api, clock)
}

/// 451 twice, then accepted: three attempts, one message, the clock moved
/// past each backoff.
#[backends]
async fn a_relay_saying_later_twice_gets_the_email_on_the_third_attempt() {
    let (api, clock) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    api.relay
        .script(JANE, [Behaviour::Reply(451), Behaviour::Reply(451)]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let id = newest(&api, "status").await.id;
    let first = attempted(&api, id, 1).await;
    assert_eq!(first.state, Delivery::Retrying, "{first:#?}");
    assert!(first.last_reply.as_deref().unwrap_or("").contains("451"));
    assert!(first.next_attempt_at.is_some());
    // Not before its time.
    nothing_happens_for(Duration::from_millis(400)).await;
    assert_eq!(attempted(&api, id, 1).await.attempts, 1);
    clock.advance(60);
    let second = attempted(&api, id, 2).await;
    assert_eq!(second.state, Delivery::Retrying);
    clock.advance(120);
    let third = api.email_reaches(id, Delivery::Sent).await;
    assert_eq!(third.attempts, 3);
    let receipts: Vec<Mail> = api
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind == "status")
        .collect();
    assert_eq!(receipts.len(), 1, "delivered once");
    let tries = api.relay.attempts();
    let outcomes: Vec<Outcome> = tries.iter().skip(1).map(|a| a.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Replied(451),
            Outcome::Replied(451),
            Outcome::Accepted
        ]
    );
}

/// 550: failed, shown to the operator, never tried again by itself;
/// `outbox retry` sends it.
#[backends]
async fn a_relay_saying_never_fails_the_email_until_the_operator_retries_it() {
    let (api, clock) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    api.relay.script(JANE, [Behaviour::Reply(550)]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let id = newest(&api, "status").await.id;
    let failed = api.email_reaches(id, Delivery::Failed).await;
    assert_eq!(failed.attempts, 1);
    assert!(
        !failed.erased,
        "a status email carries no secret: kept to retry"
    );
    let shown = api.operator_output(&["outbox", "--state", "failed"]);
    assert!(shown.contains(&format!("#{id} ")), "{shown}");
    assert!(
        shown.contains("failed, 1 attempt(s)")
            && shown.contains("Relay: ")
            && shown.contains("550"),
        "{shown}"
    );
    assert!(!api
        .operator_output(&["outbox", "--state", "sent"])
        .contains(&format!("#{id} ")));
    clock.advance(3 * 3600);
    nothing_happens_for(Duration::from_millis(500)).await;
    assert_eq!(attempted(&api, id, 1).await.attempts, 1, "never by itself");
    api.operator(&["outbox", "retry", &id.to_string()])
        .await
        .unwrap();
    api.email_reaches(id, Delivery::Sent).await;
    assert_eq!(api.outbox().await.len(), 1);
    let again = api
        .operator(&["outbox", "retry", &id.to_string()])
        .await
        .unwrap_err();
    assert!(again.contains("only a failed email"), "{again}");
    // A failed code was erased: the operator is told to have a new one sent.
    let editable = api.create(&complete()).await;
    api.relay.script(JANE, [Behaviour::Reply(550)]);
    let sent = api.send_admin_code(&editable).await;
    assert_eq!(sent.status(), 202);
    let code = newest(&api, "admin_code").await;
    api.email_reaches(code.id, Delivery::Failed).await;
    let erased = api
        .operator(&["outbox", "retry", &code.id.to_string()])
        .await
        .unwrap_err();
    assert!(
        erased.contains("erased") && erased.contains("new one"),
        "{erased}"
    );
}

/// The connection closes after the message, before the relay's answer:
/// the outcome is unknown, so it is sent again, as the same message.
#[backends]
async fn a_connection_cut_before_the_answer_sends_the_same_message_again() {
    let (api, clock) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    api.relay.script(JANE, [Behaviour::CloseAfterData]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let id = newest(&api, "status").await.id;
    let cut = attempted(&api, id, 1).await;
    assert_eq!(cut.state, Delivery::Retrying, "{cut:#?}");
    clock.advance(60);
    api.email_reaches(id, Delivery::Sent).await;
    let tries = api.relay.attempts();
    let (cut, accepted) = (&tries[tries.len() - 2], &tries[tries.len() - 1]);
    assert_eq!(
        (cut.outcome, accepted.outcome),
        (Outcome::Cut, Outcome::Accepted)
    );
    let parsed = |data: &[u8]| {
        test_relay::Received {
            from: String::new(),
            to: vec![],
            data: data.to_vec(),
            tls: true,
            authenticated_as: None,
        }
        .parsed()
    };
    let (first, again) = (parsed(&cut.data), parsed(&accepted.data));
    assert!(first.message_id().is_some());
    assert_eq!(
        first.message_id(),
        again.message_id(),
        "the same Message-ID"
    );
    assert_eq!(first.header("Date"), again.header("Date"), "the same Date");
    assert_eq!((first.text(), first.html()), (again.text(), again.html()));
}

/// A relay that accepts the connection and never answers: saves and
/// submits made meanwhile answer as usual; the send times out and is
/// retried.
#[backends]
async fn a_relay_that_never_answers_holds_up_no_request() {
    let (api, clock) = api_with_short_timeout().await;
    let draft = api.create(&complete()).await;
    // New connections get no greeting; one the pool kept from the code's
    // delivery gets no answer to its message.
    api.relay.set_silent(true);
    api.relay.script(JANE, [Behaviour::Stall; 8]);
    // Queue emails the sender will hang on: resume links ask for them.
    for _ in 0..3 {
        ask(&api, &draft.id, &draft.token, "resume-email").await;
    }
    let mut etag = draft.etag.clone();
    for n in 0..10 {
        let mut answers = complete();
        answers["company"]["legal_name"] = json!(format!("Contoso Ltd {n}"));
        let saved = api.put(&draft, &etag, &answers).await;
        assert_eq!(saved.status(), 200, "{}", saved.text());
        etag = saved.etag();
    }
    assert_eq!(api.submit(&draft, &etag, "k").await.status(), 200);
    let id = newest(&api, "resume").await.id;
    let timed_out = attempted(&api, id, 1).await;
    assert_eq!(timed_out.state, Delivery::Retrying, "{timed_out:#?}");
    assert!(
        timed_out
            .last_reply
            .as_deref()
            .unwrap_or("")
            .contains("no answer"),
        "{timed_out:#?}"
    );
    api.relay.set_silent(false);
    api.relay.clear_script(JANE);
    clock.advance(3600);
    api.email_reaches(id, Delivery::Sent).await;
}

/// Status emails about one application arrive in the order they tell:
/// "in review" waits behind a "received" that the relay put off.
#[backends]
async fn status_emails_arrive_in_the_order_of_what_happened() {
    let (api, clock) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    api.relay.script(JANE, [Behaviour::Reply(451)]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let received = newest(&api, "status").await.id;
    assert_eq!(attempted(&api, received, 1).await.state, Delivery::Retrying);
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    let in_review = newest(&api, "status").await.id;
    nothing_happens_for(Duration::from_millis(500)).await;
    assert_eq!(
        attempted(&api, in_review, 0).await.state,
        Delivery::Queued,
        "waits its turn"
    );
    clock.advance(60);
    api.email_reaches(in_review, Delivery::Sent).await;
    let subjects: Vec<String> = api.outbox().await.into_iter().map(|m| m.subject).collect();
    assert_eq!(
        subjects,
        [
            "We have received your CSP application",
            "Your CSP application is being reviewed"
        ]
    );
}
