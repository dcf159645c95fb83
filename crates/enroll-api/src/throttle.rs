//! Per-client rate limits: how often one client (an IP address; an IPv6
//! client by its /64, which one subscriber usually holds whole) may do a
//! thing that costs something. A token bucket per (action, client): `limit`
//! at once, refilled evenly over the hour.
//!
//! The buckets live in the database (store/rate_buckets.rs), so every
//! instance on one database counts against the same budget, a restart
//! forgets nothing, and the tests move the one clock instead of waiting.
//! Who the client is comes from the connection, or, behind a proxy the
//! operator trusts, from the address that proxy names (`proxy.rs`).

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::limits::RATE_WINDOW;
use crate::store::{Bucket, Store, StoreError};

/// What a client is limited in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    CreateDraft,
    ResumeEmail,
    /// Emailing a code to prove an admin address.
    AdminCode,
    MpnLookup,
    /// A customer's request for a partner.
    PartnerRequest,
    /// Emailing a code to prove a customer's address.
    RequestCode,
}

impl Action {
    /// As the database names its buckets.
    fn as_str(self) -> &'static str {
        match self {
            Self::CreateDraft => "create_draft",
            Self::ResumeEmail => "resume_email",
            Self::AdminCode => "admin_code",
            Self::MpnLookup => "mpn_lookup",
            Self::PartnerRequest => "partner_request",
            Self::RequestCode => "request_code",
        }
    }
}

/// The client a request comes from, as rate limits count it: an IPv4
/// address, or an IPv6 /64 together with its /48. One subscriber often
/// holds a /56 or a whole /48, so each /48 also has a bucket, of
/// `NETWORK_SHARE` clients' worth: many /64s cannot multiply the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Client {
    address: IpAddr,
    network: Option<IpAddr>,
}

/// What one IPv6 /48 (a site, a campus, one subscriber's allocation) may
/// use together, in clients' worth.
const NETWORK_SHARE: u32 = 16;

impl Client {
    pub fn of(addr: IpAddr) -> Self {
        let v6 = match addr {
            IpAddr::V4(_) => {
                return Self {
                    address: addr,
                    network: None,
                }
            }
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => return Self::of(IpAddr::V4(v4)),
                None => v6,
            },
        };
        let prefix = |keep: usize| {
            let mut segments = v6.segments();
            segments[keep..].fill(0);
            IpAddr::from(segments)
        };
        Self {
            address: prefix(4),
            network: Some(prefix(3)),
        }
    }
}

impl Client {
    /// The client alone (its address, or IPv6 /64), as a key.
    pub fn key(&self) -> String {
        self.address.to_string()
    }

    /// The scopes limits kept in the database count this client against
    /// (sign-in attempts), each with `limit` scaled as the buckets here
    /// are: its address (or /64), and an IPv6 client's /48 as a whole.
    pub fn scopes(&self, limit: u32) -> Vec<(String, u32)> {
        let mut scopes = vec![(format!("client:{}", self.address), limit)];
        if let Some(network) = self.network {
            scopes.push((
                format!("net:{network}"),
                limit.saturating_mul(NETWORK_SHARE),
            ));
        }
        scopes
    }
}

/// The rate limits' buckets, in the database.
#[derive(Clone, Debug)]
pub struct Throttle {
    /// The buckets, and the one clock they are counted by.
    store: Store,
    /// When full buckets were last forgotten (clock seconds).
    swept_at: Arc<AtomicU64>,
}

/// How often full buckets are forgotten (each is full an hour after its
/// last take).
const SWEEP_EVERY_SECS: u64 = 600;

impl Throttle {
    pub fn new(store: Store) -> Self {
        Self {
            store,
            swept_at: Arc::default(),
        }
    }

    /// Takes one of `limit` an hour for `client` (and one of its /48's
    /// share), or says how long to wait; nothing is taken when refused.
    pub async fn take(
        &self,
        action: Action,
        client: Client,
        limit: u32,
    ) -> Result<Result<(), Duration>, StoreError> {
        let now = self.store.now();
        let window = RATE_WINDOW.as_secs();
        let swept = self.swept_at.load(Ordering::Relaxed);
        if now >= swept + SWEEP_EVERY_SECS
            && self
                .swept_at
                .compare_exchange(swept, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            // Housekeeping on a request's path: its failure is the
            // sweep's, not the request's.
            let before = now.saturating_sub(window);
            if let Err(e) = self.store.forget_full_buckets(before).await {
                tracing::warn!("forgetting full rate buckets: {e}");
            }
        }
        let buckets = client
            .scopes(limit.max(1))
            .into_iter()
            .map(|(scope, limit)| Bucket { scope, limit })
            .collect();
        let taken = self
            .store
            .take_tokens(action.as_str(), buckets, window, now)
            .await?;
        Ok(taken.map_err(Duration::from_secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::TestClock;
    use test_postgres::{backends, Backend};

    /// A fresh database of the backend the test runs on.
    async fn database(dir: &tempfile::TempDir) -> String {
        match test_postgres::current() {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("t.db").display()),
            Backend::Postgres => test_postgres::fresh_database().await,
        }
    }

    /// A throttle (as one server holds) on the database at `url`.
    async fn throttle_on(url: &str, clock: &TestClock) -> Throttle {
        let store = Store::open_with(url, Arc::new(clock.clone()))
            .await
            .unwrap();
        Throttle::new(store)
    }

    /// A throttle on a fresh database, with a clock the test moves.
    async fn throttle() -> (Throttle, TestClock, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let clock = TestClock::new();
        let throttle = throttle_on(&database(&dir).await, &clock).await;
        (throttle, clock, dir)
    }

    async fn take(
        throttle: &Throttle,
        action: Action,
        client: Client,
        limit: u32,
    ) -> Result<(), Duration> {
        throttle.take(action, client, limit).await.unwrap()
    }

    #[backends]
    async fn a_client_gets_its_limit_then_waits_for_a_refill() {
        let (throttle, clock, _dir) = throttle().await;
        let a = Client::of("192.0.2.1".parse().unwrap());
        let b = Client::of("192.0.2.2".parse().unwrap());
        for _ in 0..3 {
            assert!(take(&throttle, Action::MpnLookup, a, 3).await.is_ok());
        }
        let wait = take(&throttle, Action::MpnLookup, a, 3).await.unwrap_err();
        assert_eq!(wait.as_secs(), 1200, "one in 20 minutes at 3 an hour");
        assert!(
            take(&throttle, Action::MpnLookup, b, 3).await.is_ok(),
            "another client"
        );
        assert!(
            take(&throttle, Action::CreateDraft, a, 3).await.is_ok(),
            "another action"
        );
        clock.advance(1199);
        assert!(take(&throttle, Action::MpnLookup, a, 3).await.is_err());
        clock.advance(1);
        assert!(take(&throttle, Action::MpnLookup, a, 3).await.is_ok());
    }

    /// An instance whose clock is behind takes a token without winding
    /// the bucket's time back: the seconds already refilled are not
    /// refilled again.
    #[backends]
    async fn a_clock_behind_gives_no_second_refill() {
        let dir = tempfile::tempdir().unwrap();
        let url = database(&dir).await;
        let ahead = TestClock::new();
        let behind = TestClock::new();
        ahead.advance(600);
        let (first, second) = (
            throttle_on(&url, &ahead).await,
            throttle_on(&url, &behind).await,
        );
        let client = Client::of("192.0.2.9".parse().unwrap());
        for _ in 0..2 {
            assert!(take(&first, Action::MpnLookup, client, 3).await.is_ok());
        }
        assert!(
            take(&second, Action::MpnLookup, client, 3).await.is_ok(),
            "the last token"
        );
        // 600 s after the first server's takes: half a token (one in 1200 s).
        ahead.advance(600);
        assert!(take(&first, Action::MpnLookup, client, 3).await.is_err());
    }

    /// Two servers on one database (two throttles on two stores) give a
    /// client, asking of both at once, what one gives.
    #[backends(flavor = "multi_thread", worker_threads = 4)]
    async fn two_instances_share_one_budget() {
        let dir = tempfile::tempdir().unwrap();
        let url = database(&dir).await;
        let clock = TestClock::new();
        let (first, second) = (
            throttle_on(&url, &clock).await,
            throttle_on(&url, &clock).await,
        );
        let client = Client::of("198.51.100.7".parse().unwrap());
        // All spawned before any is awaited: the asks overlap.
        let asks: Vec<_> = (0..40)
            .map(|n| {
                let throttle = if n % 2 == 0 {
                    first.clone()
                } else {
                    second.clone()
                };
                tokio::spawn(async move {
                    throttle
                        .take(Action::CreateDraft, client, 25)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut granted = 0;
        for ask in asks {
            granted += usize::from(ask.await.unwrap().is_ok());
        }
        assert_eq!(granted, 25);
    }

    #[test]
    fn an_ipv6_client_is_its_64_prefix() {
        let one = Client::of("2001:db8:1:2:aaaa::1".parse().unwrap());
        let same = Client::of("2001:db8:1:2:bbbb::9".parse().unwrap());
        let other = Client::of("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(one, same);
        assert_ne!(one, other);
        let mapped = Client::of("::ffff:192.0.2.1".parse().unwrap());
        assert_eq!(mapped, Client::of("192.0.2.1".parse().unwrap()));
    }

    #[backends]
    async fn many_64s_of_one_48_share_its_limit() {
        let (throttle, _clock, _dir) = throttle().await;
        let mut granted = 0;
        for subnet in 0..40u16 {
            let client = Client::of(format!("2001:db8:7:{subnet:x}::1").parse().unwrap());
            while take(&throttle, Action::MpnLookup, client, 3).await.is_ok() {
                granted += 1;
            }
        }
        assert_eq!(granted, 3 * NETWORK_SHARE, "not 3 for each of 40 /64s");
        let elsewhere = Client::of("2001:db8:8::1".parse().unwrap());
        assert!(
            take(&throttle, Action::MpnLookup, elsewhere, 3)
                .await
                .is_ok(),
            "another /48"
        );
    }
}
