//! The transport over real TCP: the timeouts, the connection cap, the size
//! limits, and the contract's JSON body on error answers that axum would
//! give in plain text. Timings are never asserted tightly: a closure must
//! come after the server visibly waited and before a generous deadline.

mod common;

use common::Checked;

use axum::extract::ConnectInfo;
use axum::routing::get;
use axum::Router;
use enroll_api::limits::Limits;
use enroll_api::{RunningServer, ServeOptions};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Far beyond any 1-second limit under test, even on a loaded machine.
const DEADLINE: Duration = Duration::from_secs(10);
/// A closure sooner than this means the server did not wait at all.
const WAITED: Duration = Duration::from_millis(500);

struct Server {
    server: RunningServer,
    _dir: tempfile::TempDir,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.server.url())
    }
    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.server.addr).await.unwrap()
    }
}

/// Every timeout long (30 s) unless `limits` lowers it.
fn long() -> Limits {
    Limits {
        header_timeout_secs: 30,
        body_timeout_secs: 30,
        idle_timeout_secs: 30,
        answer_stall_secs: 30,
        ..Limits::generous()
    }
}

async fn start(limits: Limits) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("api.db").display());
    let server = RunningServer::start(ServeOptions {
        limits,
        ..ServeOptions::new("127.0.0.1:0".parse().unwrap(), &database)
    })
    .await
    .unwrap();
    Server { server, _dir: dir }
}

/// Reads until the server closes the connection (or resets it); how long
/// that took, or `None` if it did not happen before [`DEADLINE`].
async fn closed_within(stream: &mut TcpStream) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    timeout(DEADLINE, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return started.elapsed(),
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
}

/// One answer read off the wire: status, headers (lower-case names), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one answer (our answers all have a Content-Length).
async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed before an answer: {bytes:?}");
        bytes.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8(bytes[..head_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .expect("a content-length")
        .1
        .parse()
        .unwrap();
    while bytes.len() < head_end + length {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed inside an answer");
        bytes.extend_from_slice(&buf[..n]);
    }
    Answer {
        status: status.parse().unwrap(),
        headers,
        body: String::from_utf8(bytes[head_end..head_end + length].to_vec()).unwrap(),
    }
}

/// An answer of the API to `method path` read off the wire, held to the
/// contract like every answer the other tests receive.
async fn read_api_answer(stream: &mut TcpStream, method: &str, path: &str) -> Answer {
    let answer = read_answer(stream).await;
    let body = match answer.body.is_empty() {
        true => Value::Null,
        false => serde_json::from_str(&answer.body).unwrap(),
    };
    common::assert_matches_contract(method, path, answer.status, &body);
    answer
}

const GET_PROGRAM: &[u8] = b"GET /api/v1/program HTTP/1.1\r\nHost: localhost\r\n\r\n";

#[tokio::test]
async fn a_half_sent_request_head_is_cut_off_after_the_header_timeout() {
    // The idle timeout stays long: only the header timeout can close it.
    let api = start(Limits {
        header_timeout_secs: 1,
        ..long()
    })
    .await;
    let mut stream = api.connect().await;
    stream
        .write_all(b"GET /api/v1/program HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    let took = closed_within(&mut stream)
        .await
        .expect("the connection is still open");
    assert!(took >= WAITED, "closed at once ({took:?})");
}

#[tokio::test]
async fn a_trickled_body_is_answered_408_after_the_body_timeout() {
    let api = start(Limits {
        body_timeout_secs: 1,
        ..long()
    })
    .await;
    let mut stream = api.connect().await;
    stream
        .write_all(
            b"POST /api/v1/validate HTTP/1.1\r\nHost: localhost\r\n\
              Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        )
        .await
        .unwrap();
    // A byte every 100 ms: a timeout restarted by each chunk never fires,
    // and the whole body would take 100 s.
    let started = Instant::now();
    let mut buf = [0u8; 1];
    loop {
        assert!(started.elapsed() < DEADLINE, "the body is still accepted");
        // Refused once the server has answered and closed: the answer is
        // still there to read.
        if stream.write_all(b" ").await.is_err() {
            break;
        }
        match timeout(Duration::from_millis(100), stream.peek(&mut buf)).await {
            Err(_) => {}
            Ok(_) => break,
        }
    }
    assert!(started.elapsed() >= WAITED, "cut off at once");
    // The client is told why, not just cut off.
    let answer = read_api_answer(&mut stream, "POST", "/api/v1/validate").await;
    assert_eq!(answer.status, 408);
    assert!(answer
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/json")));
    let body: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(body["error"]["code"], "request_timeout");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    // The header timeout stays long: only the idle timeout can close it.
    let api = start(Limits {
        idle_timeout_secs: 1,
        ..long()
    })
    .await;
    let mut stream = api.connect().await;
    stream.write_all(GET_PROGRAM).await.unwrap();
    assert_eq!(
        read_api_answer(&mut stream, "GET", "/api/v1/program")
            .await
            .status,
        200
    );
    let took = closed_within(&mut stream)
        .await
        .expect("the connection is still open");
    assert!(took >= WAITED, "closed at once ({took:?})");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_slot() {
    let api = start(Limits {
        max_connections: 2,
        ..long()
    })
    .await;
    // Two kept-alive connections that were surely accepted: answered.
    let mut first = api.connect().await;
    let mut second = api.connect().await;
    for stream in [&mut first, &mut second] {
        stream.write_all(GET_PROGRAM).await.unwrap();
        assert_eq!(
            read_api_answer(stream, "GET", "/api/v1/program")
                .await
                .status,
            200
        );
    }
    // A third one connects (the kernel's backlog) but is not served.
    let mut third = api.connect().await;
    third.write_all(GET_PROGRAM).await.unwrap();
    let mut buf = [0u8; 1];
    let early = timeout(Duration::from_secs(1), third.peek(&mut buf)).await;
    assert!(early.is_err(), "answered beyond the cap: {early:?}");
    // Once one closes, the third is accepted and answered.
    drop(first);
    let answer = timeout(
        DEADLINE,
        read_api_answer(&mut third, "GET", "/api/v1/program"),
    )
    .await
    .expect("still waiting after a slot was freed");
    assert_eq!(answer.status, 200);
    second.write_all(GET_PROGRAM).await.unwrap();
    assert_eq!(
        read_api_answer(&mut second, "GET", "/api/v1/program")
            .await
            .status,
        200
    );
}

// A stand-in app for the transport alone, not the API: its one route is
// not part of the contract.
#[allow(clippy::disallowed_methods)]
#[tokio::test]
async fn handlers_see_the_peer_address() {
    // The transport alone, with a route that answers ConnectInfo.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route(
        "/",
        get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
    );
    tokio::spawn(enroll_api::transport::serve(
        listener,
        app,
        Limits::default(),
    ));
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let answer = read_answer(&mut stream).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, stream.local_addr().unwrap().to_string());
}

/// The error code of a JSON error answer, checking its shape.
async fn error_code(response: common::Answer) -> String {
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: Value = response.body.clone();
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    body["error"]["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_long_uri_is_a_json_414() {
    let api = start(long()).await;
    let url = format!("{}?q={}", api.url("/program"), "a".repeat(9 * 1024));
    let response = reqwest::Client::new().get(url).checked().await;
    assert_eq!(response.status(), 414);
    assert_eq!(error_code(response).await, "uri_too_long");
}

#[tokio::test]
async fn large_headers_are_a_localized_json_431() {
    let api = start(long()).await;
    let mut request = reqwest::Client::new()
        .get(api.url("/program"))
        .header("Accept-Language", "zh-CN");
    for i in 0..17 {
        request = request.header(format!("x-filler-{i}"), "a".repeat(1024));
    }
    let response = request.checked().await;
    assert_eq!(response.status(), 431);
    let body: Value = response.body.clone();
    assert_eq!(body["error"]["code"], "headers_too_large");
    assert_eq!(body["error"]["message"], "请求标头过大。");
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405_with_allow() {
    let api = start(long()).await;
    let response = reqwest::Client::new()
        .delete(api.url("/program"))
        .checked()
        .await;
    assert_eq!(response.status(), 405);
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET"), "{allow}");
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(error_code(response).await, "method_not_allowed");
}

#[tokio::test]
async fn a_large_body_is_a_json_413() {
    let api = start(long()).await;
    let big = json!({ "company": { "legal_name": "a".repeat(100_000) } });
    let response = reqwest::Client::new()
        .post(api.url("/validate"))
        .json(&big)
        .checked()
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(error_code(response).await, "too_large");
}

/// A new draft: its id and resume token.
async fn create_draft(api: &Server) -> (String, String) {
    let response = reqwest::Client::new()
        .post(api.url("/applications"))
        .json(&json!({}))
        .checked()
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.body.clone();
    let id = body["id"].as_str().unwrap().to_owned();
    (id, body["resume_token"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_put_without_json_is_a_json_415() {
    let api = start(long()).await;
    let (id, token) = create_draft(&api).await;
    let response = reqwest::Client::new()
        .put(api.url(&format!("/applications/{id}")))
        .bearer_auth(&token)
        .header("If-Match", "\"x\"")
        .header("Content-Type", "text/plain")
        .body("{}")
        .checked()
        .await;
    assert_eq!(response.status(), 415);
    assert_eq!(error_code(response).await, "json_required");
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let api = start(long()).await;
    let (id, token) = create_draft(&api).await;
    let response = reqwest::Client::new()
        .get(api.url(&format!("/applications/{id}")))
        .header("Authorization", format!("bearer  {token}"))
        .checked()
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_client_that_stops_reading_its_answer_is_cut_off() {
    // A 32 MB file: far more than the socket buffers hold, so the server
    // must wait for a client that does not read.
    let site = tempfile::tempdir().unwrap();
    const SIZE: usize = 32 << 20;
    let mut bytes = vec![0u8; SIZE];
    let mut x: u32 = 1;
    for b in bytes.iter_mut() {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        *b = (x >> 24) as u8;
    }
    std::fs::write(site.path().join("big.bin"), &bytes).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("api.db").display());
    let server = RunningServer::start(ServeOptions {
        static_dir: Some(site.path().to_owned()),
        limits: Limits {
            answer_stall_secs: 1,
            ..long()
        },
        ..ServeOptions::new("127.0.0.1:0".parse().unwrap(), &database)
    })
    .await
    .unwrap();

    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    // Reads nothing for three times the stall limit.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut received = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    let ended = timeout(DEADLINE, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received += n,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the connection is still open");
    assert!(
        received < SIZE,
        "the whole file arrived: the client was not cut off"
    );
}

/// A request hyper cannot parse (a broken request line or header) is
/// answered as every other error: JSON with a code and a message, not an
/// empty 400.
#[tokio::test]
async fn a_request_that_is_not_http_is_a_json_400() {
    let api = start(long()).await;
    for broken in [
        &b"GET /api/v1/program HTTP/1.1\r\nHost: localhost\r\nNot a header\r\n\r\n"[..],
        b"HELLO\r\n\r\n",
        b"GET /api/v1/program HTTP/1.1\r\nContent-Length: x\r\nHost: localhost\r\n\r\n",
    ] {
        let mut stream = api.connect().await;
        stream.write_all(broken).await.unwrap();
        let answer = read_answer(&mut stream).await;
        let shown = String::from_utf8_lossy(broken);
        assert_eq!(answer.status, 400, "{shown}");
        assert!(
            answer
                .header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{shown}: {:?}",
            answer.headers
        );
        let body: Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(body["error"]["code"], "malformed_request", "{shown}");
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        // Nothing more comes on that connection.
        assert!(closed_within(&mut stream).await.is_some());
    }
    // After answers of our own on a kept-alive connection, the same.
    let mut stream = api.connect().await;
    for _ in 0..2 {
        stream.write_all(GET_PROGRAM).await.unwrap();
        assert_eq!(read_answer(&mut stream).await.status, 200);
    }
    stream.write_all(b"BROKEN\r\n\r\n").await.unwrap();
    let answer = read_answer(&mut stream).await;
    assert_eq!(answer.status, 400);
    let body: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(body["error"]["code"], "malformed_request");
}
