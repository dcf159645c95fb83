//! The sender: a background job (`crate::runner`) that delivers the outbox.
//! It claims due emails (codes, passwords and links first, then the
//! oldest) with a lease, sends several at once over the relay's pooled
//! connections, at most `per_minute` a minute, and records each outcome
//! by enroll-core's rules: sent, retrying (with backoff), failed or
//! expired. A body carrying a secret is erased once the email is done
//! with. With `--mail-dir`, each email is also written as a `.eml` file;
//! with `--mail-dir` alone, writing it is the delivery.
//!
//! Logged per attempt: the email's id, its kind, the recipient's domain
//! and the result. Never a body, a code or a whole address.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Instant;

use enroll_core::outbox::Attempt;

use super::defaults;
use super::message::{self, Identity};
use super::relay::{Relay, RelaySettings};
use crate::auth::random_hex;
use crate::runner::JobContext;
use crate::store::{queued_signal, Claim, Claimed, Store};

/// How the outbox is delivered (`serve`'s mail flags).
#[derive(Clone, Debug)]
pub struct MailOptions {
    /// The relay (`--smtp`); None: no SMTP.
    pub relay: Option<RelaySettings>,
    /// Where each email is also written as a `.eml` file (`--mail-dir`).
    pub mail_dir: Option<PathBuf>,
    pub identity: Identity,
    /// Emails handed to the relay a minute, at most, by this process.
    pub per_minute: u32,
    /// How long a sender holds an email it claimed, in seconds; past it,
    /// another may take the email (its sender is taken for dead).
    pub lease_secs: u64,
    /// How long shutdown waits for sends in flight.
    pub shutdown_wait: Duration,
    /// How often the sender looks for emails nobody woke it for.
    pub poll: Duration,
}

impl Default for MailOptions {
    fn default() -> Self {
        Self {
            relay: None,
            mail_dir: None,
            identity: Identity::development(),
            per_minute: defaults::PER_MINUTE,
            lease_secs: defaults::LEASE_SECS,
            shutdown_wait: Duration::from_secs(defaults::SHUTDOWN_WAIT_SECS),
            poll: Duration::from_secs(defaults::POLL_SECS),
        }
    }
}

impl MailOptions {
    /// Whether anything delivers the outbox (else it is the end of the road).
    pub fn delivers(&self) -> bool {
        self.relay.is_some() || self.mail_dir.is_some()
    }

    /// Settings that cannot work, said before the server starts: a lease
    /// that a send still under way could outlive (another process would
    /// send the email again), a relay whose TLS settings or certificates
    /// do not load.
    pub fn check(&self) -> Result<(), String> {
        let timeout = self
            .relay
            .as_ref()
            .map_or(0, |relay| relay.timeout.as_secs());
        if self.lease_secs < timeout + LEASE_MARGIN_SECS {
            return Err(format!(
                "--mail-lease-secs ({}) must be at least --smtp-timeout-secs ({timeout}) + \
                 {LEASE_MARGIN_SECS}: a send still under way must not be taken by another sender",
                self.lease_secs
            ));
        }
        if self.per_minute == 0 {
            return Err("--smtp-per-minute: at least 1".into());
        }
        if let Some(relay) = &self.relay {
            Relay::new(relay)?;
        }
        Ok(())
    }
}

/// What a lease must leave beyond the longest send: recording the outcome,
/// and the clock's whole seconds.
pub const LEASE_MARGIN_SECS: u64 = 5;

/// The recipient's domain, what the log may name of an address.
fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("?", |(_, domain)| domain)
}

/// Up to `JITTER` for the backoff, at random.
fn jitter() -> u16 {
    let mut bytes = [0u8; 2];
    let _ = getrandom::fill(&mut bytes);
    u16::from_le_bytes(bytes) % 1001
}

/// Where emails go.
enum Target {
    /// To the relay, and a copy of each one it took to `copies`.
    Relay {
        relay: Relay,
        copies: Option<PathBuf>,
    },
    /// Only written to a folder: the writing is the delivery.
    Folder(PathBuf),
}

/// What an attempt needs, shared by the sends in flight.
struct Courier {
    store: Store,
    target: Target,
    identity: Identity,
}

/// The relay's reply code in `reply` ("451", "550"), for the log: the
/// rest of a reply may repeat the address.
fn reply_code(reply: &str) -> &str {
    let digits = |w: &&str| w.len() == 3 && w.bytes().all(|b| b.is_ascii_digit());
    reply
        .split(|c: char| !c.is_ascii_digit())
        .find(digits)
        .unwrap_or("-")
}

impl Courier {
    /// Makes and hands over one email.
    async fn hand_over(&self, email: &Claimed) -> Attempt {
        let message = match message::build(email, &self.identity) {
            Ok(message) => message,
            Err(reason) => return Attempt::Permanent(reason),
        };
        match &self.target {
            Target::Relay { relay, copies } => {
                let attempt = relay.send(&message).await;
                if let (Attempt::Accepted(_), Some(dir)) = (&attempt, copies) {
                    if let Err(e) = write_eml(dir, email, &message.formatted()).await {
                        tracing::warn!(email = email.id, "mail dir: {e}");
                    }
                }
                attempt
            }
            Target::Folder(dir) => match write_eml(dir, email, &message.formatted()).await {
                Ok(path) => Attempt::Accepted(format!("written to {}", path.display())),
                Err(e) => Attempt::Transient(format!("cannot write to the mail dir: {e}")),
            },
        }
    }

    /// Hands over one email and records how it went. Recording is tried
    /// again a few times: an email the relay took but not recorded so
    /// would be sent again once its lease ran out.
    async fn attempt(&self, email: Claimed, context: &JobContext) {
        let attempt = self.hand_over(&email).await;
        let accepted = matches!(attempt, Attempt::Accepted(_));
        let code = reply_code(attempt.reply()).to_owned();
        let jitter = jitter();
        let mut failure = None;
        for pause_ms in [0, 200, 1_000, 5_000] {
            tokio::time::sleep(Duration::from_millis(pause_ms)).await;
            let now = context.clock.now();
            match self
                .store
                .finish_email(&email, attempt.clone(), now, jitter)
                .await
            {
                Ok(Some(outcome)) => {
                    tracing::info!(
                        email = email.id,
                        kind = email.kind.as_str(),
                        domain = domain_of(&email.to),
                        attempt = email.attempt,
                        state = outcome.state.as_str(),
                        accepted,
                        reply = code,
                        "email attempt"
                    );
                    return;
                }
                Ok(None) => {
                    tracing::warn!(
                        email = email.id,
                        kind = email.kind.as_str(),
                        "email attempt outlived its lease: another sender has it"
                    );
                    return;
                }
                Err(e) => failure = Some(e),
            }
        }
        if let Some(e) = failure {
            tracing::error!(email = email.id, "cannot record an email attempt: {e}");
        }
    }
}

/// Writes `bytes` as `DIR/<queued>-<id>-<kind>.eml`, whole or not at all.
async fn write_eml(dir: &Path, email: &Claimed, bytes: &[u8]) -> std::io::Result<PathBuf> {
    tokio::fs::create_dir_all(dir).await?;
    let name = format!(
        "{}-{:06}-{}.eml",
        email.queued_at,
        email.id,
        email.kind.as_str()
    );
    let path = dir.join(&name);
    let partial = dir.join(format!(".{name}.partial"));
    tokio::fs::write(&partial, bytes).await?;
    tokio::fs::rename(&partial, &path).await?;
    Ok(path)
}

/// Sends in the last minute, for `per_minute`.
struct Pace {
    per_minute: usize,
    recent: VecDeque<Instant>,
}

impl Pace {
    /// None if a send may start now, else how long until one may.
    fn wait(&mut self) -> Option<Duration> {
        let now = Instant::now();
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            self.recent.pop_front();
        }
        if self.recent.len() < self.per_minute {
            return None;
        }
        let oldest = *self.recent.front()?;
        Some(Duration::from_secs(60).saturating_sub(now.duration_since(oldest)))
    }

    /// Counts a send that starts now.
    fn count(&mut self) {
        self.recent.push_back(Instant::now());
    }
}

/// The sender's job: runs until the stop signal, then waits up to the
/// shutdown wait for the sends in flight; those still running then are
/// ended and their emails made due again at once (the same Message-ID: a
/// receiver sees one message), not left to their lease.
pub async fn run(store: Store, options: MailOptions, mut context: JobContext) {
    let target = match (&options.relay, &options.mail_dir) {
        (Some(settings), copies) => match Relay::new(settings) {
            Ok(relay) => Target::Relay {
                relay,
                copies: copies.clone(),
            },
            Err(e) => {
                // `MailOptions::check` refused this before serving.
                tracing::error!("the sender cannot start: {e}");
                return;
            }
        },
        (None, Some(dir)) => Target::Folder(dir.clone()),
        (None, None) => return,
    };
    let connections = options
        .relay
        .as_ref()
        .map_or(1, |relay| relay.connections.max(1)) as usize;
    let courier = Arc::new(Courier {
        store: store.clone(),
        target,
        identity: options.identity.clone(),
    });
    // Every claim of this sender starts with its own token: what shutdown
    // gives back.
    let Ok(sender) = random_hex(8) else {
        tracing::error!("the sender cannot start: no randomness");
        return;
    };
    let slots = Arc::new(Semaphore::new(connections));
    let mut pace = Pace {
        per_minute: options.per_minute.max(1) as usize,
        recent: VecDeque::new(),
    };
    let mut in_flight = JoinSet::new();
    // The emails this sender is sending: never claimed again meanwhile.
    let ids_in_flight = Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    let mut claims = 0u64;
    while !context.stopping() {
        // Made before looking: an email queued meanwhile ends the wait.
        let wake = queued_signal().notified();
        tokio::pin!(wake);
        wake.as_mut().enable();
        while in_flight.try_join_next().is_some() {}
        if slots.available_permits() == 0 {
            // Every connection busy: wait for a send to end.
            tokio::select! {
                _ = in_flight.join_next() => {}
                _ = context.stopped() => {}
            }
            continue;
        }
        if let Some(wait) = pace.wait() {
            let due = context.clock.now() + wait.as_secs().max(1);
            context.wait(Some(due), wake).await;
            continue;
        }
        claims += 1;
        let claim = format!("{sender}.{claims}");
        let sending: Vec<i64> = ids_in_flight
            .lock()
            .map(|ids| ids.clone())
            .unwrap_or_default();
        match store
            .claim_email(context.clock.now(), options.lease_secs, claim, &sending)
            .await
        {
            Ok(Claim::Email(email)) => {
                pace.count();
                let Ok(permit) = slots.clone().acquire_owned().await else {
                    break;
                };
                let (courier, task_context) = (courier.clone(), context.clone());
                let ids = ids_in_flight.clone();
                if let Ok(mut ids) = ids.lock() {
                    ids.push(email.id);
                }
                in_flight.spawn(async move {
                    let id = email.id;
                    courier.attempt(*email, &task_context).await;
                    if let Ok(mut ids) = ids.lock() {
                        ids.retain(|sent| *sent != id);
                    }
                    drop(permit);
                });
            }
            Ok(Claim::Expired { id, kind, to }) => tracing::info!(
                email = id,
                kind = kind.as_str(),
                domain = domain_of(&to),
                state = "expired",
                "email not sent: what it carried ran out"
            ),
            Ok(Claim::Nothing) => {
                store.flush_if_needed().await;
                let due = store.next_email_due().await.unwrap_or(None);
                context.wait(due, wake).await;
            }
            Err(e) => {
                tracing::error!("cannot claim an email: {e}");
                context.wait(None, wake).await;
            }
        }
    }
    // Stopping: no new claims; the sends in flight get the shutdown wait.
    let drained = tokio::time::timeout(options.shutdown_wait, async {
        while in_flight.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        in_flight.abort_all();
        while in_flight.join_next().await.is_some() {}
        match store.release_claims(&sender, context.clock.now()).await {
            Ok(released) => tracing::warn!(
                released,
                "sends still under way at shutdown were ended; their emails are due again"
            ),
            Err(e) => tracing::error!("cannot give back the emails being sent: {e}"),
        }
    }
    if let Target::Relay { relay, .. } = &courier.target {
        relay.close().await;
    }
    store.flush_if_needed().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_allows_per_minute_then_says_how_long_to_wait() {
        let mut pace = Pace {
            per_minute: 3,
            recent: VecDeque::new(),
        };
        for _ in 0..3 {
            assert_eq!(pace.wait(), None);
            pace.count();
        }
        let wait = pace.wait().expect("the fourth waits");
        assert!(wait <= Duration::from_secs(60) && wait > Duration::from_secs(59));
    }

    #[test]
    fn the_log_takes_the_reply_code_alone() {
        assert_eq!(reply_code("250 2.0.0 Ok: queued"), "250");
        assert_eq!(
            reply_code("permanent error (550): 5.1.1 <jane@x.example>"),
            "550"
        );
        assert_eq!(reply_code("no answer from the relay within 30 s"), "-");
    }

    #[test]
    fn logs_name_the_domain_only() {
        assert_eq!(domain_of("jane.doe@contoso.com"), "contoso.com");
        assert_eq!(domain_of("nobody"), "?");
    }
}
