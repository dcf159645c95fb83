//! Clients that hang up mid-request, as a phone on a train does: saves and
//! submits whose connection is reset a millisecond or two after sending.

use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::complete;

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
pub async fn storm(addr: SocketAddr, drafts: &[super::Draft], wave: u64) {
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
