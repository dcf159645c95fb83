//! Clients that hang up mid-request (a phone on a train) must not break
//! the database: hundreds of saves and submits whose connection closes a
//! millisecond or two after sending, then everything still works, and
//! what was answered as stored is there after a restart.

mod common;

use test_postgres::backends;

use common::storm::storm;
use common::{complete, start};
use serde_json::json;
use std::time::Duration;

#[backends(flavor = "multi_thread", worker_threads = 4)]
async fn clients_that_hang_up_mid_request_leave_the_database_writable() {
    let api = start(false).await;
    let addr = api.server.addr;

    let mut drafts = Vec::new();
    for _ in 0..20 {
        drafts.push(api.create(&complete()).await);
    }
    // One wave broke the old server about every other time; eight waves,
    // each followed by a save that must work, make a miss unlikely.
    let mut fresh = None;
    for wave in 0..8u64 {
        storm(addr, &drafts, wave).await;
        // A new draft is stored and its save answers in normal time.
        let draft = api
            .create(&json!({"company": {"legal_name": "Fresh Ltd"}}))
            .await;
        let saved = tokio::time::timeout(
            Duration::from_secs(3),
            api.put(
                &draft,
                &draft.etag,
                &json!({"company": {"legal_name": "Fresh GmbH"}}),
            ),
        )
        .await
        .expect("a save answers within 3 s");
        assert_eq!(saved.status(), 200, "wave {wave}: {}", saved.text());
        fresh = Some(draft);
    }
    let fresh = fresh.unwrap();

    // A complete draft submits.
    let mut answers = complete();
    answers["mpn_id"] = json!("4444444");
    let complete_draft = api.create(&answers).await;
    let submitted = api
        .submit(&complete_draft, &complete_draft.etag, "after-the-storm")
        .await;
    assert_eq!(submitted.status(), 200, "{}", submitted.text());

    // Operator commands that write work.
    api.operator(&["program", "set", "--direct-enrollment", "open"])
        .await
        .expect("program set works");
    api.operator(&["review", "start", &complete_draft.id])
        .await
        .expect("review start works");

    // Every draft the storm touched still reads.
    for draft in &drafts {
        api.get(draft).await;
    }

    // After a restart on the same file, what was answered as stored is.
    let api = api.restart().await;
    assert_eq!(
        api.get(&fresh).await.1["company"]["legal_name"],
        "Fresh GmbH"
    );
    assert_eq!(api.get(&complete_draft).await.1["status"], "in_review");
    assert_eq!(
        api.get_json("/program").await["direct_enrollment_open"],
        true
    );
    api.server.shutdown().await;
}
