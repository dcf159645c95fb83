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
    MpnLookup,
}

/// The client a request comes from, as rate limits count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Client(IpAddr);

impl Client {
    pub fn of(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(IpAddr::V4(v4)),
                None => {
                    let mut segments = v6.segments();
                    segments[4..].fill(0);
                    Self(IpAddr::from(segments))
                }
            },
            v4 => Self(v4),
        }
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
    map: HashMap<(Action, Client), Bucket>,
    /// Size at which full buckets are next forgotten: doubles when most
    /// are still in use, so a flood of clients does not make every call
    /// scan them all.
    prune_at: usize,
}

/// Beyond this many buckets, full ones are forgotten (they say nothing).
const PRUNE_ABOVE: usize = 100_000;

impl Throttle {
    /// Takes one of `limit` an hour for `client`, or says how long to wait.
    pub fn take(&self, action: Action, client: Client, limit: u32) -> Result<(), Duration> {
        let limit = f64::from(limit.max(1));
        let per_second = limit / RATE_WINDOW.as_secs_f64();
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.map.len() >= state.prune_at.max(PRUNE_ABOVE) {
            state.map.retain(|_, b| b.refilled(now) < b.limit);
            state.prune_at = state.map.len() * 2;
        }
        let bucket = state.map.entry((action, client)).or_insert(Bucket {
            tokens: limit,
            at: now,
            limit,
        });
        bucket.limit = limit;
        bucket.tokens = bucket.refilled(now);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second)
                .max(Duration::from_secs(1)))
        }
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
}
