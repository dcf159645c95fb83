//! Our own accept loop over hyper, instead of `axum::serve`, for what that
//! one cannot be told: how long a client may take to send a request's
//! head and its body, how long a kept-alive connection may sit idle, and
//! how many connections are served at once.
//!
//! Why not hyper's `header_read_timeout`: in hyper 1.12 its timer starts
//! as soon as a kept-alive connection goes idle (`Conn::poll_read_head`
//! runs while waiting for the next request), so it would close every idle
//! connection after the header timeout and the idle timeout could never
//! apply. One watchdog per connection times both instead: the idle
//! timeout from the end of the last answer (or the accept) to the first
//! byte of the next request, the header timeout from that byte until the
//! head is complete. Once an answer is ready, the client must keep taking
//! its bytes: a client that stops reading (a large provider index, a
//! static file) is cut off after `answer_stall_secs` without progress, or
//! it would hold one of the connection slots for ever.

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use enroll_core::ErrorCode;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};
use tokio::time::{sleep, sleep_until, Instant, Sleep};
use tower::ServiceExt;

use crate::limits::Limits;

/// Accepts connections until the listener is dropped; never returns on an
/// accept error (a full file table must not stop the server for good).
pub async fn serve(listener: TcpListener, app: Router, limits: Limits) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    loop {
        // Wait for a free slot before accepting: connections beyond the
        // cap queue in the kernel's backlog instead of costing us a task.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(()); // only if the semaphore is closed, which we never do
        };
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // EMFILE and friends: log, give other connections time to
                // close, try again. Per-connection errors (reset before
                // accept) do not deserve the pause.
                if !is_connection_error(&e) {
                    tracing::error!(error = %e, "accept failed");
                    sleep(Duration::from_millis(250)).await;
                }
                continue;
            }
        };
        let app = app.clone();
        let limits = limits.clone();
        tokio::spawn(async move {
            serve_connection(stream, peer, app, &limits).await;
            drop(slot);
        });
    }
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

async fn serve_connection(stream: TcpStream, peer: SocketAddr, app: Router, limits: &Limits) {
    // Small JSON answers: do not let Nagle hold them back.
    let _ = stream.set_nodelay(true);
    let clock = Arc::new(Clock::new());
    let io = TokioIo::new(Watched {
        io: stream,
        clock: clock.clone(),
        pending: Vec::new(),
        heads: 0,
    });
    let body_timeout = limits.body_timeout();
    let service_clock = clock.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let busy = Busy::start(service_clock.clone());
        let (mut parts, body) = request.into_parts();
        // What `into_make_service_with_connect_info` would give handlers.
        parts.extensions.insert(ConnectInfo(peer));
        let body = Body::new(Deadline {
            inner: body,
            timer: Box::pin(sleep(body_timeout)),
        });
        let answer = app.clone().oneshot(Request::from_parts(parts, body));
        let answer_clock = service_clock.clone();
        async move {
            let response = answer.await?;
            answer_clock.answer_ready();
            // The request counts as in progress until its answer's body is
            // written (or dropped): only then does the idle timer start.
            Ok::<_, std::convert::Infallible>(
                response.map(|inner| Body::new(Tracked { inner, _busy: busy })),
            )
        }
    });
    // Only hyper's HTTP/1 (as `axum::serve` without the http2 feature).
    // hyper's header timer off: our watchdog does the timing (see the
    // module comment).
    let connection = hyper::server::conn::http1::Builder::new()
        .header_read_timeout(None)
        .serve_connection(io, service);
    tokio::select! {
        result = connection => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        // Time is up: dropping the connection closes the socket. Nothing
        // is lost: the client was idle or had not finished a request head.
        () = watchdog(&clock, limits) => {}
    }
}

/// Where a connection stands, for the watchdog, which `changed` wakes.
struct Clock {
    state: Mutex<ClockState>,
    changed: Notify,
}

struct ClockState {
    /// Requests being answered (hyper's HTTP/1 answers one at a time).
    busy: usize,
    /// The first byte of a request head arrived while idle.
    in_head: bool,
    /// When the idle wait or the head began.
    since: Instant,
    /// An answer is being written; when its last bytes went out.
    writing: Option<Instant>,
    /// Requests handed to our service on this connection.
    served: u64,
}

impl Clock {
    fn new() -> Self {
        Self {
            state: Mutex::new(ClockState {
                busy: 0,
                in_head: false,
                since: Instant::now(),
                writing: None,
                served: 0,
            }),
            changed: Notify::new(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ClockState> {
        // A panic while holding this lock leaves plain numbers behind.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn answer_ready(&self) {
        self.state().writing = Some(Instant::now());
        self.changed.notify_one();
    }

    /// Bytes of an answer went out: the stall deadline moves on (the
    /// watchdog reads it when it next wakes; no need to wake it).
    fn bytes_sent(&self) {
        let mut s = self.state();
        if s.writing.is_some() {
            s.writing = Some(Instant::now());
        }
    }

    fn bytes_arrived(&self) {
        let mut s = self.state();
        if s.busy == 0 && !s.in_head {
            s.in_head = true;
            s.since = Instant::now();
            self.changed.notify_one();
        }
    }
}

/// Returns once the connection has been idle, or in a request head, for
/// too long. Every change of state wakes it to compute the new deadline
/// (`notify_one` keeps a wake-up that comes while it is not waiting).
async fn watchdog(clock: &Clock, limits: &Limits) {
    let (header, idle) = (limits.header_timeout(), limits.idle_timeout());
    let stall = limits.answer_stall_timeout();
    loop {
        let deadline = {
            let s = clock.state();
            match (s.busy, s.in_head, s.writing) {
                (0, false, _) => Some(s.since + idle),
                (0, true, _) => Some(s.since + header),
                // Writing an answer: the client must keep reading it.
                (_, _, Some(progress)) => Some(progress + stall),
                // Reading the body (its own deadline bounds it) or in our
                // handler (ours to bound).
                _ => None,
            }
        };
        match deadline {
            Some(deadline) if deadline <= Instant::now() => return,
            Some(deadline) => tokio::select! {
                () = sleep_until(deadline) => {}
                () = clock.changed.notified() => {}
            },
            None => clock.changed.notified().await,
        }
    }
}

/// One request in progress, from the service call to its answer's end.
struct Busy(Arc<Clock>);

impl Busy {
    fn start(clock: Arc<Clock>) -> Self {
        {
            let mut s = clock.state();
            s.busy += 1;
            s.served += 1;
            s.in_head = false;
        }
        clock.changed.notify_one();
        Self(clock)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let mut s = self.0.state();
        s.busy -= 1;
        if s.busy == 0 {
            // Bytes of a pipelined next request already read count as idle
            // time, not head time: bounded either way.
            s.writing = None;
            s.in_head = false;
            s.since = Instant::now();
            self.0.changed.notify_one();
        }
    }
}

/// The socket, telling the clock when bytes arrive, and giving hyper's own
/// error answers a body like every other error's.
struct Watched {
    io: TcpStream,
    clock: Arc<Clock>,
    /// Bytes of a rewritten answer still to go out, before anything else.
    pending: Vec<u8>,
    /// Final answer heads written for our service's answers.
    heads: u64,
}

impl Watched {
    /// Writes what is pending; ready once nothing is.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        while !self.pending.is_empty() {
            match Pin::new(&mut self.io).poll_write(cx, &self.pending) {
                Poll::Ready(Ok(0)) => {
                    return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()))
                }
                Poll::Ready(Ok(n)) => {
                    self.pending.drain(..n);
                    self.clock.bytes_sent();
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// The status of an answer head `bytes` start with (`HTTP/1.1 200 …`).
fn head_status(bytes: &[u8]) -> Option<u16> {
    let rest = bytes.strip_prefix(b"HTTP/1.1 ")?;
    std::str::from_utf8(rest.get(..3)?).ok()?.parse().ok()
}

/// hyper answers a request it cannot parse by itself, before any handler
/// runs: a status line and no body. Such an answer (a head written when
/// every request our service took has had its own) is given the JSON body
/// every other error has, in English (nothing of the request can be read,
/// its Accept-Language neither).
fn with_json_body(head: &[u8]) -> Option<Vec<u8>> {
    let head = std::str::from_utf8(head).ok()?;
    let (status_line, rest) = head.split_once("\r\n")?;
    let code = head_status(head.as_bytes())?;
    let empty = rest
        .split("\r\n")
        .any(|line| line.eq_ignore_ascii_case("content-length: 0"));
    if code < 400 || !empty || !head.ends_with("\r\n\r\n") {
        return None;
    }
    let status = axum::http::StatusCode::from_u16(code).ok()?;
    let error = match code {
        400 => ErrorCode::MalformedRequest,
        414 => ErrorCode::UriTooLong,
        431 => ErrorCode::HeadersTooLarge,
        _ => crate::guards::code_of(status),
    };
    let body = crate::error::ApiFailure::new(status, error).worded(enroll_core::Locale::default());
    let mut out = format!("{status_line}\r\n");
    for line in rest.split("\r\n").filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("content-length:") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!(
        "content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    ));
    Some(out.into_bytes())
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.io).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.clock.bytes_arrived();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if let Poll::Ready(Err(e)) = self.poll_pending(cx) {
            return Poll::Ready(Err(e));
        }
        if !self.pending.is_empty() {
            return Poll::Pending;
        }
        // A final answer's head (not a `100 Continue`): our service's,
        // or, when every request it took has had one, hyper's own.
        let head = head_status(buf).is_some_and(|code| code >= 200);
        let ours = head && self.heads < self.clock.state().served;
        if head && !ours {
            if let Some(answer) = with_json_body(buf) {
                self.pending = answer;
                // Taken whole; `poll_flush` sends what is left.
                let _ = self.poll_pending(cx);
                return Poll::Ready(Ok(buf.len()));
            }
        }
        let result = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.bytes_sent();
            // Counted once it went out (a write retried is the same head).
            if ours {
                self.heads += 1;
            }
        }
        result
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        // hyper's own answers are looked at whole, as `poll_write` does.
        let first = bufs.iter().find(|b| !b.is_empty());
        if !self.pending.is_empty() || first.is_some_and(|b| b.starts_with(b"HTTP/1.1 ")) {
            let whole: Vec<u8> = bufs.iter().flat_map(|b| b.iter().copied()).collect();
            return self.poll_write(cx, &whole);
        }
        let result = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.bytes_sent();
        }
        result
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.io).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// The request body, failing with [`BodyTimeout`] once the whole body has
/// taken longer than allowed. tower-http's `RequestBodyTimeout` restarts
/// its timer at every chunk, so a body trickled a byte at a time would
/// never end; this deadline is for the whole body.
struct Deadline {
    inner: Incoming,
    timer: Pin<Box<Sleep>>,
}

/// The request body did not arrive in time (`limits.body_timeout`).
#[derive(Debug)]
pub struct BodyTimeout;

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for BodyTimeout {}

impl BodyTimeout {
    /// Whether `err`, or an error it wraps, is a body timeout: extractors
    /// see it wrapped in axum's rejections.
    pub fn caused(err: &(dyn std::error::Error + 'static)) -> bool {
        let mut next = Some(err);
        while let Some(e) = next {
            if e.is::<BodyTimeout>() {
                return true;
            }
            next = e.source();
        }
        false
    }
}

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        // What has arrived is taken even at the deadline.
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimeout)))),
            Poll::Pending => Poll::Pending,
        }
    }
    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// An answer's body, holding its request's [`Busy`] until written.
struct Tracked {
    inner: Body,
    _busy: Busy,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }
    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
