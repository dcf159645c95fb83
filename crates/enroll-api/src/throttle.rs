//! Per-client rate limits: how often one client (an IP address; an IPv6
//! client by its /64, which one subscriber usually holds whole) may do a
//! thing that costs something. A token bucket per (action, client): `limit`
//! at once, refilled evenly over the hour.
//!
//! Kept in memory: a restart forgets them, and several API instances each
//! count their own (a shared store is for when there are several). Limits
//! that must hold whatever happens (emails per recipient) are counted in
//! the database instead (store/outbox.rs).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use tokio::time::Instant;

use crate::limits::RATE_WINDOW;

/// What a client is limited in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    CreateDraft,
    ResumeEmail,
    /// Emailing a code to prove an admin address.
    AdminCode,
    MpnLookup,
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

/// What a bucket counts: one client, or an IPv6 /48 as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Scope {
    Client(IpAddr),
    Network(IpAddr),
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

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    /// The peer address of the connection. `X-Forwarded-For` is not read:
    /// anyone can send it. Behind a proxy, every client is the proxy.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
        Ok(Self::of(peer))
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
    /// Its own limit: buckets of different actions refill at their rates.
    limit: f64,
}

impl Bucket {
    fn refilled(&self, now: Instant) -> f64 {
        let per_second = self.limit / RATE_WINDOW.as_secs_f64();
        (self.tokens + now.duration_since(self.at).as_secs_f64() * per_second).min(self.limit)
    }
}

/// Token buckets per (action, client).
#[derive(Clone, Default)]
pub struct Throttle {
    state: Arc<Mutex<Buckets>>,
}

#[derive(Default)]
struct Buckets {
    map: HashMap<(Action, Scope), Bucket>,
    /// Size at which full buckets are next forgotten: doubles when most
    /// are still in use, so a flood of clients does not make every call
    /// scan them all.
    prune_at: usize,
}

/// Beyond this many buckets, full ones are forgotten (they say nothing).
const PRUNE_ABOVE: usize = 100_000;

impl Throttle {
    /// Takes one of `limit` an hour for `client` (and one of its /48's
    /// share), or says how long to wait; nothing is taken when refused.
    pub fn take(&self, action: Action, client: Client, limit: u32) -> Result<(), Duration> {
        let limit = limit.max(1);
        let scopes = [
            Some((Scope::Client(client.address), f64::from(limit))),
            client.network.map(|n| {
                (
                    Scope::Network(n),
                    f64::from(limit.saturating_mul(NETWORK_SHARE)),
                )
            }),
        ];
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.map.len() >= state.prune_at.max(PRUNE_ABOVE) {
            state.map.retain(|_, b| b.refilled(now) < b.limit);
            state.prune_at = state.map.len() * 2;
        }
        let mut wait = Duration::ZERO;
        for (scope, limit) in scopes.iter().flatten() {
            let bucket = state.map.entry((action, *scope)).or_insert(Bucket {
                tokens: *limit,
                at: now,
                limit: *limit,
            });
            bucket.limit = *limit;
            bucket.tokens = bucket.refilled(now);
            bucket.at = now;
            if bucket.tokens < 1.0 {
                let per_second = limit / RATE_WINDOW.as_secs_f64();
                wait = wait.max(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second));
            }
        }
        if !wait.is_zero() {
            return Err(wait.max(Duration::from_secs(1)));
        }
        for (scope, _) in scopes.iter().flatten() {
            if let Some(bucket) = state.map.get_mut(&(action, *scope)) {
                bucket.tokens -= 1.0;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_client_gets_its_limit_then_waits_for_a_refill() {
        let throttle = Throttle::default();
        let a = Client::of("192.0.2.1".parse().unwrap());
        let b = Client::of("192.0.2.2".parse().unwrap());
        for _ in 0..3 {
            assert!(throttle.take(Action::MpnLookup, a, 3).is_ok());
        }
        let wait = throttle.take(Action::MpnLookup, a, 3).unwrap_err();
        assert_eq!(wait.as_secs(), 1200, "one in 20 minutes at 3 an hour");
        assert!(
            throttle.take(Action::MpnLookup, b, 3).is_ok(),
            "another client"
        );
        assert!(
            throttle.take(Action::CreateDraft, a, 3).is_ok(),
            "another action"
        );
        tokio::time::advance(Duration::from_secs(1200)).await;
        assert!(throttle.take(Action::MpnLookup, a, 3).is_ok());
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

    #[tokio::test(start_paused = true)]
    async fn many_64s_of_one_48_share_its_limit() {
        let throttle = Throttle::default();
        let mut granted = 0;
        for subnet in 0..100u16 {
            let client = Client::of(format!("2001:db8:7:{subnet:x}::1").parse().unwrap());
            while throttle.take(Action::MpnLookup, client, 3).is_ok() {
                granted += 1;
            }
        }
        assert_eq!(granted, 3 * NETWORK_SHARE, "not 3 for each of 100 /64s");
        let elsewhere = Client::of("2001:db8:8::1".parse().unwrap());
        assert!(
            throttle.take(Action::MpnLookup, elsewhere, 3).is_ok(),
            "another /48"
        );
    }
}
