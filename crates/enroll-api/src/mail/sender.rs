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

/// The defaults of `serve`'s flags.
pub mod defaults {
    pub const PER_MINUTE: u32 = 120;
    pub const TIMEOUT_SECS: u64 = 30;
    pub const LEASE_SECS: u64 = 120;
    pub const SHUTDOWN_WAIT_SECS: u64 = 5;
    /// Connections to the relay, and so sends at once.
    pub const CONNECTIONS: u32 = 4;
    pub const POLL_SECS: u64 = 5;
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

    /// Settings that cannot work together, said before the server starts.
    pub fn check(&self) -> Result<(), String> {
        if let Some(relay) = &self.relay {
            if relay.timeout.as_secs() >= self.lease_secs {
                return Err(format!(
                    "--mail-lease-secs ({}) must be longer than --smtp-timeout-secs ({}): \
                     a send still under way must not be taken by another sender",
                    self.lease_secs,
                    relay.timeout.as_secs()
                ));
            }
        }
        if self.per_minute == 0 {
            return Err("--smtp-per-minute: at least 1".into());
        }
        Ok(())
    }
}

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

/// What an attempt needs, shared by the sends in flight.
struct Delivery {
    store: Store,
    relay: Option<Relay>,
    mail_dir: Option<PathBuf>,
    identity: Identity,
}

impl Delivery {
    /// Makes and hands over one email, then records how it went.
    async fn attempt(&self, email: Claimed, context: &JobContext) {
        let attempt = match message::build(&email, &self.identity) {
            Err(reason) => Attempt::Permanent(reason),
            Ok(message) => match &self.relay {
                Some(relay) => {
                    let attempt = relay.send(&message).await;
                    if let (Attempt::Accepted(_), Some(dir)) = (&attempt, &self.mail_dir) {
                        if let Err(e) = write_eml(dir, &email, &message.formatted()).await {
                            tracing::warn!(email = email.id, "mail dir: {e}");
                        }
                    }
                    attempt
                }
                None => match &self.mail_dir {
                    Some(dir) => match write_eml(dir, &email, &message.formatted()).await {
                        Ok(path) => Attempt::Accepted(format!("written to {}", path.display())),
                        Err(e) => Attempt::Transient(format!("cannot write to the mail dir: {e}")),
                    },
                    None => return,
                },
            },
        };
        let result = match &attempt {
            Attempt::Accepted(_) => "accepted".to_owned(),
            Attempt::Transient(reply) | Attempt::Permanent(reply) => {
                // The relay's first word (a code) at most: its text may
                // repeat the address.
                reply.split_whitespace().next().unwrap_or("").to_owned()
            }
        };
        let now = context.clock.now();
        match self
            .store
            .finish_email(&email, attempt, now, jitter())
            .await
        {
            Ok(Some(outcome)) => tracing::info!(
                email = email.id,
                kind = email.kind.as_str(),
                domain = domain_of(&email.to),
                attempt = email.attempt,
                state = outcome.state.as_str(),
                result,
                "email attempt"
            ),
            Ok(None) => tracing::warn!(
                email = email.id,
                kind = email.kind.as_str(),
                "email attempt outlived its lease: another sender has it"
            ),
            Err(e) => tracing::error!(email = email.id, "cannot record an email attempt: {e}"),
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

/// The sender's job: runs until the stop signal, then waits for the sends
/// in flight (the runner bounds that wait).
pub async fn run(store: Store, options: MailOptions, mut context: JobContext) {
    let relay = match options.relay.as_ref().map(Relay::new).transpose() {
        Ok(relay) => relay,
        Err(e) => {
            tracing::error!("the sender cannot start: {e}");
            return;
        }
    };
    let connections = options
        .relay
        .as_ref()
        .map_or(1, |relay| relay.connections.max(1)) as usize;
    let delivery = Arc::new(Delivery {
        store: store.clone(),
        relay: relay.clone(),
        mail_dir: options.mail_dir.clone(),
        identity: options.identity.clone(),
    });
    let slots = Arc::new(Semaphore::new(connections));
    let mut pace = Pace {
        per_minute: options.per_minute.max(1) as usize,
        recent: VecDeque::new(),
    };
    let mut in_flight = JoinSet::new();
    while !context.stopping() {
        // Enabled before looking: an email queued meanwhile wakes the wait.
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
        let Ok(claim) = random_hex(12) else { break };
        match store
            .claim_email(context.clock.now(), options.lease_secs, claim)
            .await
        {
            Ok(Claim::Email(email)) => {
                pace.count();
                let Ok(permit) = slots.clone().acquire_owned().await else {
                    break;
                };
                let (delivery, task_context) = (delivery.clone(), context.clone());
                in_flight.spawn(async move {
                    delivery.attempt(*email, &task_context).await;
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
    // Stopping: no new claims; the sends in flight finish (the runner
    // ends them after its wait).
    while in_flight.join_next().await.is_some() {}
    if let Some(relay) = relay {
        relay.close().await;
    }
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
    fn logs_name_the_domain_only() {
        assert_eq!(domain_of("jane.doe@contoso.com"), "contoso.com");
        assert_eq!(domain_of("nobody"), "?");
    }
}
