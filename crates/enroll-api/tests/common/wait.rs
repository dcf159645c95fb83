//! Waiting in tests: for something to happen, as long as it takes and no
//! longer (`eventually`); and, only to show that something does not
//! happen, for a fixed while (`nothing_happens_for`).

use std::fmt::Debug;
use std::future::Future;
use std::time::{Duration, Instant};

/// How long a test waits for something to happen before it fails:
/// generous, for a debug build on a busy two-core machine (an email's TLS
/// handshake, a sender's retry).
pub const PATIENCE: Duration = Duration::from_secs(15);

/// How often `eventually` looks again.
const POLL: Duration = Duration::from_millis(20);

/// What a check of `eventually` answers: done (with what it found), or
/// not yet (with how things stand, for the failure's message).
pub trait Check {
    type Found;
    fn done(self) -> Result<Self::Found, String>;
}

/// `true` once the condition holds.
impl Check for bool {
    type Found = ();
    fn done(self) -> Result<(), String> {
        self.then_some(()).ok_or_else(String::new)
    }
}

/// `Some` of what was waited for.
impl<T> Check for Option<T> {
    type Found = T;
    fn done(self) -> Result<T, String> {
        self.ok_or_else(String::new)
    }
}

/// `Ok` of what was waited for, or `Err` of how things stand meanwhile.
impl<T, E: Debug> Check for Result<T, E> {
    type Found = T;
    fn done(self) -> Result<T, String> {
        self.map_err(|now| format!("{now:#?}"))
    }
}

/// Runs `check` every 20 ms until it is done, and gives what it found.
/// After `PATIENCE` it fails the test: `what` (the awaited thing, in
/// words) never happened, and how things stood at the last look.
pub async fn eventually<C, F>(what: &str, mut check: impl FnMut() -> F) -> C::Found
where
    C: Check,
    F: Future<Output = C>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        match check().await.done() {
            Ok(found) => return found,
            Err(now) if Instant::now() >= deadline => match now.is_empty() {
                true => panic!("never happened within {PATIENCE:?}: {what}"),
                false => panic!("never happened within {PATIENCE:?}: {what}\nlast seen: {now}"),
            },
            Err(_) => tokio::time::sleep(POLL).await,
        }
    }
}

/// Lets `span` pass, for the test to check after it that something did
/// not happen meanwhile (an attempt before its time, an email that must
/// never come). A fixed wait is right for that, and only for that: no
/// event can end it early, since the point is that none comes; the span is
/// what the claim covers, several of the sender's polls (every 100 ms in
/// the tests) long. To wait for something to happen, use `eventually`.
pub async fn nothing_happens_for(span: Duration) {
    tokio::time::sleep(span).await;
}
