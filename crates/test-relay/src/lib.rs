//! A real SMTP server for tests.
//!
//! [`Relay::start`] listens on `127.0.0.1` (a port the system picks) and
//! speaks enough of RFC 5321 for a real client such as lettre: EHLO/HELO,
//! STARTTLS (a self-signed certificate for `localhost` and `127.0.0.1`,
//! made at start), AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP and QUIT. It
//! keeps what it receives ([`Relay::messages`], [`Relay::attempts`]) and
//! can be told, per recipient, to misbehave ([`Relay::script`],
//! [`Relay::set_silent`]).
//!
//! Each connection is served by its own task on the runtime that called
//! [`Relay::start`]; a connection that fails only ends itself.

#![warn(missing_docs)]

pub mod mail;
mod parsed;
mod session;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;

pub use parsed::Parsed;

/// How a [`Relay`] presents itself and what it demands of clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelayOptions {
    /// Offer STARTTLS in the EHLO answer (default true).
    pub starttls: bool,
    /// Require AUTH PLAIN with this user and password before MAIL (default
    /// `Some(("relay-user", "relay-secret"))`). AUTH is advertised only after
    /// STARTTLS when `starttls` is true; when `starttls` is false it is
    /// advertised on the plain connection. `None`: no AUTH at all, MAIL is
    /// accepted at once.
    pub credentials: Option<(String, String)>,
    /// How long the relay waits before answering each message's DATA
    /// (default none): a slow relay, for `cargo xtask bench api`.
    pub answer_delay: Duration,
}

impl Default for RelayOptions {
    /// STARTTLS offered, AUTH PLAIN required as `relay-user` / `relay-secret`.
    fn default() -> Self {
        RelayOptions {
            starttls: true,
            credentials: Some(("relay-user".to_owned(), "relay-secret".to_owned())),
            answer_delay: Duration::ZERO,
        }
    }
}

/// What the relay does at the end of one message's DATA, instead of
/// accepting it (see [`Relay::script`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Answer the end of DATA with this code (421, 451, 550, ...) and a
    /// short text; 421 also closes the connection afterwards as RFC 5321
    /// says. A 2xx code accepts the message (it is kept in
    /// [`Relay::messages`]) with that code.
    Reply(u16),
    /// Never answer the end of DATA (keep the connection open, read nothing
    /// more). The connection is held until the relay stops.
    Stall,
    /// Read the whole DATA, then close the TCP connection without any reply
    /// (the message is recorded in attempts as [`Outcome::Cut`], not in
    /// messages).
    CloseAfterData,
}

/// What the relay did with a message whose DATA was completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Answered 250: the message is in [`Relay::messages`].
    Accepted,
    /// Answered with this scripted code ([`Behaviour::Reply`]).
    Replied(u16),
    /// Never answered ([`Behaviour::Stall`]).
    Stalled,
    /// Closed the connection without answering ([`Behaviour::CloseAfterData`]).
    Cut,
}

/// One message whose DATA was completed, whatever became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The RCPT TO addresses, in order.
    pub to: Vec<String>,
    /// The raw message, dot-unstuffed, without the final `.` line.
    pub data: Vec<u8>,
    /// What the relay did with it.
    pub outcome: Outcome,
}

/// An accepted message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The MAIL FROM address, without the angle brackets (empty for `<>`).
    pub from: String,
    /// The RCPT TO addresses, without angle brackets, in order.
    pub to: Vec<String>,
    /// The raw message, dot-unstuffed, without the final `.\r\n` (line
    /// endings as the client sent them).
    pub data: Vec<u8>,
    /// Whether STARTTLS was in force when DATA was sent.
    pub tls: bool,
    /// The user that authenticated on the connection, if any.
    pub authenticated_as: Option<String>,
}

impl Received {
    /// The message parsed with mail-parser. Panics if it cannot be parsed
    /// at all (mail-parser is lenient: only for an empty message).
    pub fn parsed(&self) -> Parsed {
        Parsed::new(&self.data)
    }

    /// Whether `recipient` is among the RCPT TO addresses (ASCII case-insensitive).
    fn is_to(&self, recipient: &str) -> bool {
        self.to.iter().any(|to| to.eq_ignore_ascii_case(recipient))
    }
}

/// A running SMTP server on `127.0.0.1`.
///
/// Cheap to clone (all clones share one server). The accept loop runs on a
/// spawned tokio task; it and every open connection end when the last clone
/// is dropped or on [`Relay::stop`].
#[derive(Clone)]
pub struct Relay {
    inner: Arc<Inner>,
}

/// Owned by the `Relay` clones only: dropping it drops `stop`, which ends
/// the tasks (they hold `Shared` and a receiver, never this).
struct Inner {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
}

/// What the accept loop and the connections share with the handle.
pub(crate) struct Shared {
    pub(crate) options: RelayOptions,
    pub(crate) acceptor: TlsAcceptor,
    certificate_pem: String,
    silent: AtomicBool,
    record: Mutex<Record>,
}

#[derive(Default)]
struct Record {
    /// Keyed by the ASCII-lowercased recipient.
    scripts: HashMap<String, VecDeque<Behaviour>>,
    messages: Vec<Received>,
    attempts: Vec<Attempt>,
}

impl Shared {
    fn record(&self) -> MutexGuard<'_, Record> {
        // A panic elsewhere while holding the lock leaves the data usable.
        self.record
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The behaviour for a message to `to`: one is consumed from the script
    /// of each distinct recipient that has one; the first of them (in RCPT
    /// order) applies.
    pub(crate) fn take_behaviour(&self, to: &[String]) -> Option<Behaviour> {
        let mut record = self.record();
        let mut seen: Vec<String> = Vec::new();
        let mut chosen = None;
        for recipient in to {
            let key = recipient.to_ascii_lowercase();
            if seen.contains(&key) {
                continue;
            }
            if let Some(next) = record.scripts.get_mut(&key).and_then(VecDeque::pop_front) {
                chosen.get_or_insert(next);
            }
            seen.push(key);
        }
        chosen
    }

    /// Records a completed DATA; `received` is kept in messages when given.
    pub(crate) fn finish(&self, attempt: Attempt, received: Option<Received>) {
        let mut record = self.record();
        record.attempts.push(attempt);
        if let Some(received) = received {
            record.messages.push(received);
        }
    }
}

impl Relay {
    /// Starts a relay on `127.0.0.1:0` (a free port) on the current tokio
    /// runtime. Panics if it cannot bind or make its certificate.
    pub async fn start(options: RelayOptions) -> Relay {
        let (certificate_pem, acceptor) = tls_identity();
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("test-relay: cannot bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("test-relay: no local address");
        let shared = Arc::new(Shared {
            options,
            acceptor,
            certificate_pem,
            silent: AtomicBool::new(false),
            record: Mutex::new(Record::default()),
        });
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        Relay {
            inner: Arc::new(Inner { shared, addr, stop }),
        }
    }

    /// The address the relay listens on (`127.0.0.1` and its port).
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// `"smtp://127.0.0.1:PORT"` (callers add `"?tls=none"` themselves).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.inner.addr)
    }

    /// PEM of the self-signed certificate the relay presents (what a client
    /// must trust). It names `localhost` and `127.0.0.1`.
    pub fn certificate_pem(&self) -> String {
        self.inner.shared.certificate_pem.clone()
    }

    /// Behaviours for the next messages to `recipient` (compared
    /// ASCII-case-insensitively), one consumed per message whose RCPT
    /// includes it, in order; once used up, messages are accepted with 250.
    /// Appends to what is already scripted for it. When a message has
    /// several scripted recipients, each of their scripts gives up one
    /// behaviour and the first recipient's (in RCPT order) applies.
    pub fn script(&self, recipient: &str, behaviours: impl IntoIterator<Item = Behaviour>) {
        self.inner
            .shared
            .record()
            .scripts
            .entry(recipient.to_ascii_lowercase())
            .or_default()
            .extend(behaviours);
    }

    /// Forgets what is still scripted for `recipient`: its next messages
    /// are accepted.
    pub fn clear_script(&self, recipient: &str) {
        self.inner
            .shared
            .record()
            .scripts
            .remove(&recipient.to_ascii_lowercase());
    }

    /// When true, new connections are accepted and then nothing at all is
    /// ever written or read (no greeting) until the client gives up;
    /// existing connections unaffected.
    pub fn set_silent(&self, silent: bool) {
        self.inner.shared.silent.store(silent, Ordering::SeqCst);
    }

    /// Accepted messages, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.inner.shared.record().messages.clone()
    }

    /// Every message whose DATA was completed (accepted or not), with what
    /// the relay did.
    pub fn attempts(&self) -> Vec<Attempt> {
        self.inner.shared.record().attempts.clone()
    }

    /// Waits (polling every 20 ms, real time, even under a paused tokio
    /// clock) until an accepted message to `recipient` (case-insensitive)
    /// beyond the first `already` ones to that recipient arrives, panicking
    /// with a clear message after `timeout`. Returns it.
    pub async fn next_to(&self, recipient: &str, already: usize, timeout: Duration) -> Received {
        let deadline = Instant::now() + timeout;
        loop {
            let found = {
                let record = self.inner.shared.record();
                record
                    .messages
                    .iter()
                    .filter(|message| message.is_to(recipient))
                    .nth(already)
                    .cloned()
            };
            if let Some(message) = found {
                return message;
            }
            if Instant::now() >= deadline {
                let record = self.inner.shared.record();
                let count = record
                    .messages
                    .iter()
                    .filter(|m| m.is_to(recipient))
                    .count();
                let attempts: Vec<String> = record
                    .attempts
                    .iter()
                    .map(|a| format!("{:?} -> {:?}", a.to, a.outcome))
                    .collect();
                panic!(
                    "test-relay: no message to {recipient} beyond the first {already} within \
                     {timeout:?} ({count} accepted to it so far; all attempts: [{}])",
                    attempts.join(", ")
                );
            }
            real_sleep(POLL).await;
        }
    }

    /// Number of accepted messages to `recipient` so far (case-insensitive).
    pub fn count_to(&self, recipient: &str) -> usize {
        self.inner
            .shared
            .record()
            .messages
            .iter()
            .filter(|message| message.is_to(recipient))
            .count()
    }

    /// Stops accepting connections and ends every open one (a client sees
    /// them closed). What was received stays readable.
    pub fn stop(&self) {
        self.inner.stop.send_replace(true);
    }
}

impl fmt::Debug for Relay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Relay")
            .field("addr", &self.inner.addr)
            .finish()
    }
}

const POLL: Duration = Duration::from_millis(20);

/// Sleeps in real time: a blocking task keeps a paused tokio clock from
/// jumping ahead (which would fire the timers of the code under test).
async fn real_sleep(duration: Duration) {
    let _ = tokio::task::spawn_blocking(move || std::thread::sleep(duration)).await;
}

/// Resolves once the relay is stopped or its last handle is dropped.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// A fresh self-signed certificate for `localhost` and `127.0.0.1`, as PEM
/// and as what serves TLS with it (rustls with ring).
fn tls_identity() -> (String, TlsAcceptor) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("test-relay: cannot make a certificate");
    let certificate = certified.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("test-relay: TLS versions")
    .with_no_client_auth()
    .with_single_cert(vec![certificate], key)
    .expect("test-relay: TLS certificate");
    (certified.cert.pem(), TlsAcceptor::from(Arc::new(config)))
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = stopped(&mut stop) => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let shared = Arc::clone(&shared);
                    let mut stop = stop.clone();
                    tokio::spawn(async move {
                        tokio::select! {
                            () = stopped(&mut stop) => {}
                            () = connection(stream, shared) => {}
                        }
                    });
                }
                // Out of descriptors and the like: wait rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
        }
    }
}

async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    if shared.silent.load(Ordering::SeqCst) {
        hold_silently(stream).await;
    } else {
        session::serve(stream, &shared).await;
    }
}

/// Neither writes nor reads until the client closes (seen by peeking, which
/// consumes nothing). Should the client send something, holds the
/// connection until the relay stops.
async fn hold_silently(stream: TcpStream) {
    let mut byte = [0u8; 1];
    match stream.peek(&mut byte).await {
        Ok(0) | Err(_) => {}
        Ok(_) => std::future::pending().await,
    }
}
