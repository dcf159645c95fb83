//! Who the client is behind a load balancer: the connection's peer, unless
//! that peer is in a network the operator trusts (`--trusted-proxy CIDR`,
//! repeatable), whose `X-Forwarded-For` names the client. Read from the
//! right (the nearest hop first): the right-most address not itself in a
//! trusted network is the client; what lies left of it anyone could have
//! written. Without trusted networks the header is never read.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

/// A network in CIDR notation: `10.0.0.0/8`, `2001:db8::/32`, or one
/// address (`192.0.2.10`, a /32 or /128).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    base: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.base, unmapped(addr)) {
            (IpAddr::V4(base), IpAddr::V4(addr)) => {
                same_prefix(&base.octets(), &addr.octets(), self.prefix)
            }
            (IpAddr::V6(base), IpAddr::V6(addr)) => {
                same_prefix(&base.octets(), &addr.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

/// Whether the first `prefix` bits of `a` and `b` are the same.
fn same_prefix(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let (whole, rest) = (usize::from(prefix / 8), prefix % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[whole] & mask == b[whole] & mask
    }
}

/// An IPv4 address reached over IPv6 (`::ffff:192.0.2.1`) as IPv4.
fn unmapped(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let base = unmapped(
            addr.trim()
                .parse::<IpAddr>()
                .map_err(|_| format!("{text:?} is not a network (10.0.0.0/8, 2001:db8::/32)"))?,
        );
        let most = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => most,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= most)
                .ok_or_else(|| format!("{text:?}: the prefix length is 0 to {most}"))?,
        };
        Ok(Self { base, prefix })
    }
}

/// The networks whose proxies may name the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Network>);

impl TrustedProxies {
    pub fn new(networks: Vec<Network>) -> Self {
        Self(networks)
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(addr))
    }

    /// The client of a request that came from `peer` with these
    /// `X-Forwarded-For` values (each a comma-separated list, in order).
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&[u8]]) -> IpAddr {
        let peer = unmapped(peer);
        if !self.trusts(peer) {
            return peer;
        }
        // Split as bytes: a hop that is not text (a client may write any
        // byte) is one unreadable hop, not a reason to drop the line with
        // the addresses the proxies appended after it.
        let hops: Vec<&str> = forwarded_for
            .iter()
            .flat_map(|value| value.split(|b| *b == b','))
            .map(|hop| std::str::from_utf8(hop).unwrap_or("\u{fffd}").trim())
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            // Something that is not an address: what is left of it cannot
            // be told from a forgery; the last hop read stands.
            let Some(addr) = parse_hop(hop) else {
                return client;
            };
            client = addr;
            if !self.trusts(addr) {
                return addr;
            }
        }
        client
    }

    /// The client of the request in `parts` (see `client`).
    pub fn client_address(&self, parts: &Parts) -> IpAddr {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
        if self.0.is_empty() {
            return unmapped(peer);
        }
        let values: Vec<&[u8]> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .map(|value| value.as_bytes())
            .collect();
        self.client(peer, &values)
    }
}

/// An address as proxies write it in `X-Forwarded-For`: bare, or (some
/// do) with a port, IPv6 then in brackets.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(addr) = hop.parse::<IpAddr>() {
        return Some(unmapped(addr));
    }
    hop.parse::<SocketAddr>()
        .ok()
        .map(|addr| unmapped(addr.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// `X-Forwarded-For` lines as the request carries them.
    fn lines<'a>(values: &[&'a str]) -> Vec<&'a [u8]> {
        values.iter().map(|v| v.as_bytes()).collect()
    }

    fn proxies(networks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(networks.iter().map(|n| n.parse().unwrap()).collect())
    }

    #[test]
    fn networks_contain_what_their_prefix_covers() {
        let ten: Network = "10.0.0.0/8".parse().unwrap();
        assert!(ten.contains(ip("10.255.1.2")));
        assert!(!ten.contains(ip("11.0.0.1")));
        assert!(ten.contains(ip("::ffff:10.1.2.3")), "IPv4 over IPv6");
        let odd: Network = "192.0.2.64/26".parse().unwrap();
        assert!(odd.contains(ip("192.0.2.127")));
        assert!(!odd.contains(ip("192.0.2.128")));
        let v6: Network = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let one: Network = "192.0.2.10".parse().unwrap();
        assert!(one.contains(ip("192.0.2.10")) && !one.contains(ip("192.0.2.11")));
        assert!("0.0.0.0/0"
            .parse::<Network>()
            .unwrap()
            .contains(ip("8.8.8.8")));
        for bad in [
            "10.0.0.0/33",
            "2001:db8::/129",
            "example.com/8",
            "10.0.0.0/x",
            "",
        ] {
            assert!(bad.parse::<Network>().is_err(), "{bad}");
        }
    }

    #[test]
    fn without_trusted_proxies_the_header_is_not_read() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), &lines(&["198.51.100.1"])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_peer_that_is_not_trusted_cannot_name_the_client() {
        let trusted = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            trusted.client(ip("203.0.113.9"), &lines(&["198.51.100.1"])),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_right_most_address_not_trusted_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8", "2001:db8:aaaa::/48"]);
        // The client wrote a forged first hop; the balancer appended the
        // address it saw.
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &lines(&["1.2.3.4, 198.51.100.7"])),
            ip("198.51.100.7")
        );
        // Two trusted hops in a row, over two header lines.
        assert_eq!(
            trusted.client(
                ip("10.0.0.2"),
                &lines(&["198.51.100.7, 10.0.0.5", "2001:db8:aaaa::1"])
            ),
            ip("198.51.100.7")
        );
        // Ports and brackets, as some proxies write them.
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &lines(&["[2001:db8:1::9]:4711"])),
            ip("2001:db8:1::9")
        );
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &lines(&["198.51.100.7:80"])),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_hop_that_is_not_text_spoils_only_itself() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let line: &[u8] = b"\xff\xfe, 198.51.100.7";
        assert_eq!(trusted.client(ip("10.0.0.2"), &[line]), ip("198.51.100.7"));
    }

    #[test]
    fn a_chain_of_only_trusted_hops_or_garbage_stops_at_what_was_read() {
        let trusted = proxies(&["10.0.0.0/8"]);
        assert_eq!(trusted.client(ip("10.0.0.2"), &lines(&[])), ip("10.0.0.2"));
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &lines(&["10.0.0.3"])),
            ip("10.0.0.3")
        );
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &lines(&["198.51.100.7, unknown"])),
            ip("10.0.0.2"),
            "an unreadable hop: nothing left of it is believed"
        );
    }
}
