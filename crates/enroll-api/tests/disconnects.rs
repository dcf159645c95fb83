//! Clients that hang up mid-request (a phone on a train) must not break
//! the database: hundreds of saves and submits whose connection closes a
//! millisecond or two after sending, then everything still works, and
//! what was answered as stored is there after a restart.

mod common;

use test_postgres::backends;

use common::{complete, start};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// Sends one whole request, waits `linger`, and closes without reading.
async fn send_and_hang_up(addr: SocketAddr, request: String, linger: Duration) {
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return;
    };
    // A reset, as a dropped mobile connection often ends.
    let _ = stream.set_zero_linger();
    if stream.write_all(request.as_bytes()).await.is_ok() {
        tokio::time::sleep(linger).await;
    }
    // Dropped: the server sees the client gone while it works.
}

fn put_request(addr: SocketAddr, id: &str, token: &str, body: &Value) -> String {
    let body = body.to_string();
    format!(
        "PUT /api/v1/applications/{id} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         If-Match: *\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn submit_request(addr: SocketAddr, id: &str, token: &str, key: &str) -> String {
    format!(
        "POST /api/v1/applications/{id}/submit HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         If-Match: *\r\nIdempotency-Key: {key}\r\nContent-Length: 0\r\n\r\n"
    )
}

/// 800 saves and submits over 20 drafts, each connection reset 0 to 3 ms
/// after its request was sent.
async fn storm(addr: SocketAddr, drafts: &[common::Draft], wave: u64) {
    let mut tasks = Vec::new();
    for round in 0..40u64 {
        for (i, draft) in drafts.iter().enumerate() {
            // Each draft with an MPN ID of its own, so every submit can
            // really submit.
            let mut answers = complete();
            answers["mpn_id"] = json!(format!("{}", 3_000_000 + i));
            answers["company"]["legal_name"] = json!(format!("Contoso {wave}.{round}"));
            let linger = Duration::from_micros(200 * ((round * 7 + i as u64 + wave) % 15));
            let request = if round % 5 == 4 {
                submit_request(
                    addr,
                    &draft.id,
                    &draft.token,
                    &format!("key-{wave}-{round}"),
                )
            } else {
                put_request(addr, &draft.id, &draft.token, &answers)
            };
            tasks.push(tokio::spawn(send_and_hang_up(addr, request, linger)));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    // Let the server finish (or abandon) what it was doing: a grace
    // period, not a wait for a condition (nothing a test can see says when
    // the abandoned writes' tasks are done), so that the save after it is
    // timed against normal work rather than the storm's tail.
    tokio::time::sleep(Duration::from_millis(300)).await;
}

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
